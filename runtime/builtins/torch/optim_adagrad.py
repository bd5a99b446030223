# torch.optim.Adagrad: 1.13's single-tensor update (_single_tensor_adagrad).
import torch


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False):
        _check_non_negative(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                            initial_accumulator_value=initial_accumulator_value, eps=eps)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value,
                        foreach=foreach, maximize=maximize)
        super(Adagrad, self).__init__(params, defaults)

        for group in self.param_groups:
            for p in group['params']:
                state = self.state[p]
                state['step'] = torch.tensor(0.0)
                state['sum'] = torch.full_like(p, initial_accumulator_value)

    _setstate_group_defaults = {'foreach': None, 'maximize': False}
    _setstate_tensors = ('step',)

    def share_memory(self):
        for group in self.param_groups:
            for p in group['params']:
                self.state[p]['sum'].share_memory_()

    @torch.no_grad()
    def step(self, closure=None):
        return self._step_groups(closure, self._step_group)

    def _step_group(self, group, params, grads):
        state_sums = [self.state[p]['sum'] for p in params]
        state_steps = [self.state[p]['step'] for p in params]
        _single_tensor_adagrad(params, grads, state_sums, state_steps,
                lr=group['lr'], weight_decay=group['weight_decay'],
                lr_decay=group['lr_decay'], eps=group['eps'],
                maximize=group['maximize'])


def _single_tensor_adagrad(params, grads, state_sums, state_steps, has_sparse_grad=None, foreach=None, *,
            lr, weight_decay, lr_decay, eps, maximize):
    for param, grad, state_sum, step_t in zip(params, grads, state_sums, state_steps):
        step_t += 1
        step = step_t.item()
        grad = grad if not maximize else -grad
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        clr = lr / (1 + (step - 1) * lr_decay)
        state_sum.addcmul_(grad, grad, value=1)
        std = state_sum.sqrt().add_(eps)
        param.addcdiv_(grad, std, value=-clr)
