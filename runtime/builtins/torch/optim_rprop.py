# torch.optim.Rprop: 1.13's single-tensor update (_single_tensor_rprop).
import torch


class Rprop(Optimizer):
    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50),
                 foreach=None, maximize=False):
        _check_non_negative(lr=lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError("Invalid eta values: {}, {}".format(etas[0], etas[1]))
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach, maximize=maximize)
        super(Rprop, self).__init__(params, defaults)

    _setstate_group_defaults = {'foreach': None, 'maximize': False}

    @torch.no_grad()
    def step(self, closure=None):
        return self._step_groups(closure, self._step_group)

    def _step_group(self, group, params, grads):
        lr = group['lr']
        states = _lazy_state(self, params, step=lambda p: 0, prev=torch.zeros_like,
                             step_size=lambda p: torch.full_like(p.grad, lr))
        for s in states:
            s['step'] += 1
        etaminus, etaplus = group['etas']
        step_size_min, step_size_max = group['step_sizes']
        _single_tensor_rprop(params, grads, [s['prev'] for s in states],
                             [s['step_size'] for s in states],
                             step_size_min=step_size_min, step_size_max=step_size_max,
                             etaminus=etaminus, etaplus=etaplus, maximize=group['maximize'])


def _single_tensor_rprop(params, grads, prevs, step_sizes, *,
                         step_size_min, step_size_max, etaminus, etaplus, maximize):
    for i, param in enumerate(params):
        grad = grads[i]
        grad = grad if not maximize else -grad
        prev = prevs[i]
        step_size = step_sizes[i]
        sign = grad.mul(prev).sign()
        sign[sign.gt(0)] = etaplus
        sign[sign.lt(0)] = etaminus
        sign[sign.eq(0)] = 1
        step_size.mul_(sign).clamp_(step_size_min, step_size_max)
        grad = grad.clone()
        grad[sign.eq(etaminus)] = 0
        param.addcmul_(grad.sign(), step_size, value=-1)
        prev.copy_(grad)
