# torch.optim.AdamW: Adam with decoupled weight decay (_single_tensor_adamw).
import torch


class AdamW(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=1e-2, amsgrad=False, *, maximize=False,
                 foreach=None, capturable=False):
        _check_adam_args(lr, eps, betas, weight_decay)
        defaults = dict(lr=lr, betas=betas, eps=eps,
                        weight_decay=weight_decay, amsgrad=amsgrad,
                        foreach=foreach, maximize=maximize, capturable=capturable)
        super(AdamW, self).__init__(params, defaults)

    _setstate_group_defaults = {'amsgrad': False, 'maximize': False,
                                'foreach': None, 'capturable': False}
    _setstate_tensors = ('step',)

    @torch.no_grad()
    def step(self, closure=None):
        return _adam_family_step(self, closure, _single_tensor_adamw)


def _single_tensor_adamw(*args, **kwargs):
    _single_tensor_adam(*args, decoupled_weight_decay=True, **kwargs)
