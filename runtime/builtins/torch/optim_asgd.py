# torch.optim.ASGD: 1.13's single-tensor update (_single_tensor_asgd).
import math
import torch


class ASGD(Optimizer):
    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False):
        _check_non_negative(lr=lr, weight_decay=weight_decay)
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize)
        super(ASGD, self).__init__(params, defaults)

    _setstate_group_defaults = {'foreach': None, 'maximize': False}
    _setstate_tensors = ('step', 'eta', 'mu')

    @torch.no_grad()
    def step(self, closure=None):
        return self._step_groups(closure, self._step_group)

    def _step_group(self, group, params, grads):
        lr = group['lr']
        states = _lazy_state(self, params, step=lambda p: torch.tensor(0.0),
                             eta=lambda p: torch.tensor(lr), mu=lambda p: torch.tensor(1.0),
                             ax=torch.zeros_like)
        _single_tensor_asgd(params, grads, [s['ax'] for s in states], [s['mu'] for s in states],
                            [s['eta'] for s in states], [s['step'] for s in states],
                            lambd=group['lambd'], lr=lr, t0=group['t0'], alpha=group['alpha'],
                            weight_decay=group['weight_decay'], maximize=group['maximize'])


def _single_tensor_asgd(params, grads, axs, mus, etas, state_steps, *,
                        lambd, lr, t0, alpha, weight_decay, maximize):
    for i, param in enumerate(params):
        grad = grads[i]
        grad = grad if not maximize else -grad
        mu = mus[i]
        ax = axs[i]
        eta = etas[i]
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        param.mul_(1 - lambd * eta.item())
        param.add_(grad, alpha=-eta.item())
        if mu.item() != 1:
            ax.add_(param.sub(ax).mul(mu))
        else:
            ax.copy_(param)
        eta.copy_(torch.tensor(lr / math.pow((1 + lambd * lr * step), alpha)))
        mu.copy_(torch.tensor(1 / max(1, step - t0)))
