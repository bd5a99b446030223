# torch.optim.RAdam: 1.13's single-tensor update (_single_tensor_radam).
import math
import torch


class RAdam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None):
        _check_adam_args(lr, eps, betas, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach)
        super(RAdam, self).__init__(params, defaults)

    _setstate_group_defaults = {'foreach': None}
    _setstate_tensors = ('step',)

    @torch.no_grad()
    def step(self, closure=None):
        return self._step_groups(closure, self._step_group)

    def _step_group(self, group, params, grads):
        states = _lazy_state(self, params, step=lambda p: torch.tensor(0.0),
                             exp_avg=torch.zeros_like, exp_avg_sq=torch.zeros_like)
        beta1, beta2 = group['betas']
        _single_tensor_radam(params, grads, [s['exp_avg'] for s in states],
                             [s['exp_avg_sq'] for s in states], [s['step'] for s in states],
                             beta1=beta1, beta2=beta2, lr=group['lr'],
                             weight_decay=group['weight_decay'], eps=group['eps'])


def _single_tensor_radam(params, grads, exp_avgs, exp_avg_sqs, state_steps, *,
                         beta1, beta2, lr, weight_decay, eps):
    for i, param in enumerate(params):
        grad = grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        bias_corrected_exp_avg = exp_avg / bias_correction1
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * (beta2 ** step) / bias_correction2
        if rho_t > 5.:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            adaptive_lr = math.sqrt(bias_correction2) / exp_avg_sq.sqrt().add_(eps)
            param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=-1.0)
        else:
            param.add_(bias_corrected_exp_avg * lr, alpha=-1.0)
