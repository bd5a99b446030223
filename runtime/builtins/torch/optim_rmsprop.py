# torch.optim.RMSprop: 1.13's single-tensor update (_single_tensor_rmsprop).
import torch


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, foreach=None, maximize=False, differentiable=False):
        _check_non_negative(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay,
                            alpha=alpha)
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, foreach=foreach, maximize=maximize,
                        differentiable=differentiable)
        super(RMSprop, self).__init__(params, defaults)

    _setstate_group_defaults = {'momentum': 0, 'centered': False,
                                'foreach': None, 'maximize': False, 'differentiable': False}

    @_use_grad_for_differentiable
    def step(self, closure=None):
        return self._step_groups(closure, self._step_group)

    def _step_group(self, group, params, grads):
        square_avgs, grad_avgs, momentum_buffer_list = [], [], []
        for p in params:
            state = self.state[p]
            if len(state) == 0:
                state['step'] = 0
                state['square_avg'] = torch.zeros_like(p)
                if group['momentum'] > 0:
                    state['momentum_buffer'] = torch.zeros_like(p)
                if group['centered']:
                    state['grad_avg'] = torch.zeros_like(p)
            square_avgs.append(state['square_avg'])
            if group['momentum'] > 0:
                momentum_buffer_list.append(state['momentum_buffer'])
            if group['centered']:
                grad_avgs.append(state['grad_avg'])
            if group['differentiable'] and isinstance(state['step'], torch.Tensor):
                raise RuntimeError("`step` can't be a tensor")
            state['step'] += 1
        _single_tensor_rmsprop(params, grads, square_avgs, grad_avgs, momentum_buffer_list,
                lr=group['lr'], alpha=group['alpha'], eps=group['eps'],
                weight_decay=group['weight_decay'], momentum=group['momentum'],
                centered=group['centered'], maximize=group['maximize'],
                differentiable=group['differentiable'])


def _single_tensor_rmsprop(params, grads, square_avgs, grad_avgs, momentum_buffer_list,
            foreach=None, maximize=False, differentiable=False, *,
            lr, alpha, eps, weight_decay, momentum, centered):
    for i, param in enumerate(params):
        grad = grads[i]
        grad = grad if not maximize else -grad
        square_avg = square_avgs[i]
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        if centered:
            grad_avg = grad_avgs[i]
            grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha)
            avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
        else:
            avg = square_avg.sqrt()
        if differentiable:
            avg = avg.add(eps)
        else:
            avg = avg.add_(eps)
        if momentum > 0:
            buf = momentum_buffer_list[i]
            buf.mul_(momentum).addcdiv_(grad, avg)
            param.add_(buf, alpha=-lr)
        else:
            param.addcdiv_(grad, avg, value=-lr)
