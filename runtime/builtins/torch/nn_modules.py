# torch.nn.parameter and torch.nn.modules.lazy: PyTorch's modules of these
# names, so `from torch.nn.parameter import UninitializedParameter` and
# `from torch.nn.modules.lazy import LazyModuleMixin` work. The classes are
# defined once, in torch.nn's members (nn_parameter.py, nn_lazy.py ran
# there under these names); each module here holds them again.
import torch

_nn = torch.nn
if __name__ == 'torch.nn.parameter':
    Parameter = _nn.Parameter
    UninitializedTensorMixin = _nn.UninitializedTensorMixin
    UninitializedParameter = _nn.UninitializedParameter
    UninitializedBuffer = _nn.UninitializedBuffer
    is_lazy = _nn.is_lazy
elif __name__ == 'torch.nn.modules.lazy':
    LazyModuleMixin = _nn.LazyModuleMixin
    is_lazy = _nn.is_lazy
