# torch.optim.SGD: 1.13's single-tensor update (_single_tensor_sgd).
import torch


class SGD(Optimizer):
    def __init__(self, params, lr=required, momentum=0, dampening=0,
                 weight_decay=0, nesterov=False, *, maximize=False, foreach=None,
                 differentiable=False):
        if lr is not required and lr < 0.0:
            raise ValueError("Invalid learning rate: {}".format(lr))
        if momentum < 0.0:
            raise ValueError("Invalid momentum value: {}".format(momentum))
        if weight_decay < 0.0:
            raise ValueError("Invalid weight_decay value: {}".format(weight_decay))

        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov,
                        maximize=maximize, foreach=foreach,
                        differentiable=differentiable)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super(SGD, self).__init__(params, defaults)

    _setstate_group_defaults = {'nesterov': False, 'maximize': False,
                                'foreach': None, 'differentiable': False}

    @_use_grad_for_differentiable
    def step(self, closure=None):
        return self._step_groups(closure, self._step_group)

    def _step_group(self, group, params, grads):
        bufs = [self.state[p].get('momentum_buffer') for p in params]
        _single_tensor_sgd(params, grads, bufs,
            weight_decay=group['weight_decay'],
            momentum=group['momentum'],
            lr=group['lr'],
            dampening=group['dampening'],
            nesterov=group['nesterov'],
            maximize=group['maximize'])
        for p, buf in zip(params, bufs):
            self.state[p]['momentum_buffer'] = buf


def _single_tensor_sgd(params, d_p_list, momentum_buffer_list, has_sparse_grad=None, foreach=None, *,
        weight_decay, momentum, lr, dampening, nesterov, maximize):
    for i, param in enumerate(params):
        # one fused loop where it gives the same bits (runtime/ops/optim.c)
        if tsr._sgd_step(param, d_p_list[i], momentum_buffer_list[i], lr, momentum,
                         1 - dampening, weight_decay, nesterov, maximize):
            continue
        d_p = d_p_list[i] if not maximize else -d_p_list[i]
        if weight_decay != 0:
            d_p = d_p.add(param, alpha=weight_decay)
        if momentum != 0:
            buf = momentum_buffer_list[i]
            if buf is None:
                buf = torch.clone(d_p).detach()
                momentum_buffer_list[i] = buf
            else:
                buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
            if nesterov:
                d_p = d_p.add(buf, alpha=momentum)
            else:
                d_p = buf
        param.add_(d_p, alpha=-lr)
