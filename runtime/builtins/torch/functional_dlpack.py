# torch.to_dlpack and torch.from_dlpack (torch/utils/dlpack.py and
# Tensor.__dlpack__): a capsule holds the tensor's memory until one
# from_dlpack consumes it; from_dlpack also takes a tensor or an ndarray,
# whose memory the result shares.

import torch


class PyCapsule:
    def __init__(self, tensor):
        self._tensor = tensor

    def __repr__(self):
        return '<capsule object "dltensor" at ' + hex(id(self)) + '>'


def to_dlpack(data):
    if not isinstance(data, torch.Tensor):
        raise RuntimeError('data must be a Tensor')
    if data.dtype == torch.bool:
        raise RuntimeError('Bool type is not supported by dlpack')
    return PyCapsule(data.detach())


def from_dlpack(ext_tensor):
    import numpy
    if isinstance(ext_tensor, torch.Tensor):
        # Tensor.__dlpack__
        if ext_tensor.requires_grad:
            raise RuntimeError("Can't export tensors that require gradient, use tensor.detach()")
        ext_tensor = to_dlpack(ext_tensor)
    elif isinstance(ext_tensor, numpy.ndarray):
        return torch.from_numpy(ext_tensor)
    if not isinstance(ext_tensor, PyCapsule) or ext_tensor._tensor is None:
        raise RuntimeError('from_dlpack received an invalid capsule. Note that DLTensor capsules can be consumed '
                           'only once, so you might have already constructed a tensor from it once.')
    t = ext_tensor._tensor
    ext_tensor._tensor = None
    return t
