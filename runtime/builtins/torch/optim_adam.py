# torch.optim.Adam: 1.13's single-tensor update (_single_tensor_adam).
import math
import torch


def _check_adam_args(lr, eps, betas, weight_decay):
    _check_non_negative(lr=lr, eps=eps)
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError("Invalid beta parameter at index 0: {}".format(betas[0]))
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError("Invalid beta parameter at index 1: {}".format(betas[1]))
    _check_non_negative(weight_decay=weight_decay)


def _adam_state(optimizer, group, params):
    # the parameters' moments, created at the first step
    exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps = [], [], [], []
    for p in params:
        state = optimizer.state[p]
        if len(state) == 0:
            state['step'] = torch.tensor(0.)
            state['exp_avg'] = torch.zeros_like(p)
            state['exp_avg_sq'] = torch.zeros_like(p)
            if group['amsgrad']:
                state['max_exp_avg_sq'] = torch.zeros_like(p)
        exp_avgs.append(state['exp_avg'])
        exp_avg_sqs.append(state['exp_avg_sq'])
        if group['amsgrad']:
            max_exp_avg_sqs.append(state['max_exp_avg_sq'])
        steps.append(state['step'])
    return exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps


def _adam_family_step(optimizer, closure, update):
    # Adam's and AdamW's step: each group's moments, then update()
    def step_group(group, params, grads):
        beta1, beta2 = group['betas']
        exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps = _adam_state(optimizer, group, params)
        update(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps,
               amsgrad=group['amsgrad'], beta1=beta1, beta2=beta2, lr=group['lr'],
               weight_decay=group['weight_decay'], eps=group['eps'],
               maximize=group['maximize'])
    return optimizer._step_groups(closure, step_group)


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=0, amsgrad=False, *, foreach=None,
                 maximize=False, capturable=False,
                 differentiable=False, fused=False):
        _check_adam_args(lr, eps, betas, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps,
                        weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused)
        super(Adam, self).__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` cannot be `differentiable`")
            raise RuntimeError("FusedAdam requires all the params to be CUDA, floating point")

    _setstate_group_defaults = {'amsgrad': False, 'maximize': False, 'foreach': None,
                                'capturable': False, 'differentiable': False, 'fused': False}
    _setstate_tensors = ('step',)

    @_use_grad_for_differentiable
    def step(self, closure=None, *, grad_scaler=None):
        return _adam_family_step(self, closure, _single_tensor_adam)


def _single_tensor_adam(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps, *,
                        amsgrad, beta1, beta2, lr, weight_decay, eps, maximize,
                        decoupled_weight_decay=False):
    # decoupled_weight_decay: AdamW's param *= 1 - lr * weight_decay
    for i, param in enumerate(params):
        step_t = state_steps[i]
        step_t += 1
        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bias_correction2_sqrt = math.sqrt(bias_correction2)
        # one fused loop where it gives the same bits (runtime/ops/optim.c)
        if tsr._adam_step(param, grads[i], exp_avgs[i], exp_avg_sqs[i],
                          max_exp_avg_sqs[i] if amsgrad else None, beta1, beta2, 1 - beta1, 1 - beta2,
                          eps, weight_decay, 1 - lr * weight_decay, step_size, bias_correction2_sqrt,
                          amsgrad, maximize, decoupled_weight_decay):
            continue
        grad = grads[i] if not maximize else -grads[i]
        if decoupled_weight_decay:
            param.mul_(1 - lr * weight_decay)
        elif weight_decay != 0:
            grad = grad.add(param, alpha=weight_decay)
        exp_avg = exp_avgs[i]
        exp_avg_sq = exp_avg_sqs[i]
        exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        if amsgrad:
            max_exp_avg_sqs[i].copy_(torch.maximum(max_exp_avg_sqs[i], exp_avg_sq))
            denom = (max_exp_avg_sqs[i].sqrt() / bias_correction2_sqrt).add_(eps)
        else:
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
        param.addcdiv_(exp_avg, denom, value=-step_size)
