# torch.optim.NAdam: 1.13's single-tensor update (_single_tensor_nadam).
import torch


class NAdam(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=0, momentum_decay=4e-3, foreach=None):
        _check_adam_args(lr, eps, betas, weight_decay)
        _check_non_negative(momentum_decay=momentum_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay, foreach=foreach)
        super(NAdam, self).__init__(params, defaults)

    _setstate_group_defaults = {'foreach': None}
    _setstate_tensors = ('step', 'mu_product')

    @torch.no_grad()
    def step(self, closure=None):
        return self._step_groups(closure, self._step_group)

    def _step_group(self, group, params, grads):
        states = _lazy_state(self, params, step=lambda p: torch.tensor(0.0),
                             mu_product=lambda p: torch.tensor(1.0),
                             exp_avg=torch.zeros_like, exp_avg_sq=torch.zeros_like)
        beta1, beta2 = group['betas']
        _single_tensor_nadam(params, grads, [s['exp_avg'] for s in states],
                             [s['exp_avg_sq'] for s in states], [s['mu_product'] for s in states],
                             [s['step'] for s in states], beta1=beta1, beta2=beta2,
                             lr=group['lr'], weight_decay=group['weight_decay'],
                             momentum_decay=group['momentum_decay'], eps=group['eps'])


def _single_tensor_nadam(params, grads, exp_avgs, exp_avg_sqs, mu_products, state_steps, *,
                         beta1, beta2, lr, weight_decay, momentum_decay, eps):
    for i, param in enumerate(params):
        grad = grads[i]
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        mu_product = mu_products[i]
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product *= mu
        mu_product_next = mu_product * mu * mu_next
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        param.addcdiv_(grad, denom, value=(-lr * (1. - mu) / (1. - mu_product.item())))
        param.addcdiv_(exp_avg, denom, value=(-lr * mu_next) / (1. - mu_product_next.item()))
