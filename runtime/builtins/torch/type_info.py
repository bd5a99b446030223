# torch.finfo and torch.iinfo: the numeric limits of a dtype, as PyTorch's
# C++ classes (torch/csrc/TypeInfo.cpp) give and print them.

import torch

# dtype: (bits, eps, max, tiny, resolution)
_FLOAT_INFO = {
    torch.float32: (32, 2.0 ** -23, (2.0 - 2.0 ** -23) * 2.0 ** 127, 2.0 ** -126, 1e-06),
    torch.float64: (64, 2.0 ** -52, 1.7976931348623157e+308, 2.0 ** -1022, 1e-15),
    torch.float16: (16, 2.0 ** -10, 65504.0, 2.0 ** -14, 0.001),
    torch.bfloat16: (16, 2.0 ** -7, (2.0 - 2.0 ** -7) * 2.0 ** 127, 2.0 ** -126, 0.01),
}
# dtype: (bits, min, max)
_INT_INFO = {
    torch.uint8: (8, 0, 255), torch.int8: (8, -128, 127), torch.int16: (16, -32768, 32767),
    torch.int32: (32, -2147483648, 2147483647),
    torch.int64: (64, -9223372036854775808, 9223372036854775807),
}


def _dtype_name(dtype):
    return str(dtype)[len('torch.'):]


class finfo:
    __module__ = 'torch'

    def __init__(self, type=None):
        if type is None:
            type = torch.get_default_dtype()
        if type not in _FLOAT_INFO:
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        self.bits, self.eps, self.max, self.tiny, self.resolution = _FLOAT_INFO[type]
        self.min = -self.max
        self.smallest_normal = self.tiny
        self.dtype = _dtype_name(type)

    def __repr__(self):
        return 'finfo(resolution=%g, min=%g, max=%g, eps=%g, smallest_normal=%g, tiny=%g, dtype=%s)' % (
            self.resolution, self.min, self.max, self.eps, self.tiny, self.tiny, self.dtype)

    def __eq__(self, other):
        return isinstance(other, finfo) and self.dtype == other.dtype


class iinfo:
    __module__ = 'torch'

    def __init__(self, type):
        if type is torch.bool:
            raise TypeError('torch.bool is not supported by torch.iinfo')
        if type not in _INT_INFO:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle "
                            "'torch.iinfo'")
        self.bits, self.min, self.max = _INT_INFO[type]
        self.dtype = _dtype_name(type)

    def __repr__(self):
        return 'iinfo(min=%g, max=%g, dtype=%s)' % (self.min, self.max, self.dtype)

    def __eq__(self, other):
        return isinstance(other, iinfo) and self.dtype == other.dtype
