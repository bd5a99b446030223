# torch.optim.Adamax: 1.13's single-tensor update (_single_tensor_adamax).
import torch


class Adamax(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False):
        _check_adam_args(lr, eps, betas, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize)
        super(Adamax, self).__init__(params, defaults)

    _setstate_group_defaults = {'foreach': None, 'maximize': False}
    _setstate_tensors = ('step',)

    @torch.no_grad()
    def step(self, closure=None):
        return self._step_groups(closure, self._step_group)

    def _step_group(self, group, params, grads):
        states = _lazy_state(self, params, step=lambda p: torch.tensor(0.0),
                             exp_avg=torch.zeros_like, exp_inf=torch.zeros_like)
        beta1, beta2 = group['betas']
        _single_tensor_adamax(params, grads, [s['exp_avg'] for s in states],
                              [s['exp_inf'] for s in states], [s['step'] for s in states],
                              eps=group['eps'], beta1=beta1, beta2=beta2, lr=group['lr'],
                              weight_decay=group['weight_decay'], maximize=group['maximize'])


def _single_tensor_adamax(params, grads, exp_avgs, exp_infs, state_steps, *,
                          eps, beta1, beta2, lr, weight_decay, maximize):
    for i, param in enumerate(params):
        grad = grads[i]
        grad = grad if not maximize else -grad
        exp_avg = exp_avgs[i]
        exp_inf = exp_infs[i]
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        norm_buf = torch.cat([exp_inf.mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze_(0)], 0)
        exp_inf.copy_(torch.amax(norm_buf, 0, keepdim=False))
        bias_correction = 1 - beta1 ** step
        clr = lr / bias_correction
        param.addcdiv_(exp_avg, exp_inf, value=-clr)
