# torch.functional, shape part: the shape and test functions ATen composes
# from other ops (dstack, hsplit/vsplit/dsplit over tensor_split,
# repeat_interleave over index_select, unique_consecutive, narrow_copy,
# is_nonzero, is_same_size, is_signed, isneginf, isposinf, isreal) and the
# deprecated Tensor.resize / resize_as (autograd's Resize), and torch.asarray, so
# results record PyTorch's nodes (CatBackward0, SliceBackward0,
# IndexSelectBackward0). Runs into torch.functional after functional.py.


def dstack(tensors):
    if len(tensors) == 0:
        raise RuntimeError('dstack expects a non-empty TensorList')
    return torch.cat(atleast_3d(tensors), 2)


def _split(name, input, indices_or_sections, min_dim, dim):
    if input.dim() < min_dim:
        raise RuntimeError(f'torch.{name} requires a tensor with at least {min_dim} dimension, '
                           f'but got a tensor with {input.dim()} dimensions!')
    if isinstance(indices_or_sections, int):
        size = input.shape[dim]
        if indices_or_sections == 0 or size % indices_or_sections != 0:
            raise RuntimeError(f'torch.{name} attempted to split along dimension {dim}, but the size of the '
                               f'dimension {size} is not divisible by the split_size {indices_or_sections}!')
    return torch.tensor_split(input, indices_or_sections, dim)


def hsplit(input, indices_or_sections):
    return _split('hsplit', input, indices_or_sections, 1, 0 if input.dim() == 1 else 1)


def vsplit(input, indices_or_sections):
    return _split('vsplit', input, indices_or_sections, 2, 0)


def dsplit(input, indices_or_sections):
    return _split('dsplit', input, indices_or_sections, 3, 2)


def _repeats_index(repeats):
    # repeat_interleave(repeats): each i repeated repeats[i] times
    if repeats.dim() != 1:
        raise RuntimeError('repeat_interleave only accept 1D vector as repeat')
    if repeats.dtype != torch.int64 and repeats.dtype != torch.int32:
        raise RuntimeError(f'"repeat_interleave_cpu" not implemented for \'{_SCALAR_NAMES[repeats.dtype]}\'')
    if repeats.numel() > 0 and int(repeats.min()) < 0:
        raise RuntimeError('repeats can not be negative')
    idx = []
    for i, r in enumerate(repeats.tolist()):
        idx.extend([i] * r)
    return torch.tensor(idx, dtype=repeats.dtype, device=repeats.device)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    if repeats is None:
        return _repeats_index(input)
    if dim is None:
        input = input.flatten()
        dim = 0
    if not isinstance(repeats, torch.Tensor):
        repeats = torch.tensor(repeats, dtype=torch.long, device=input.device)
    if repeats.dim() == 0 or (repeats.dim() == 1 and repeats.shape[0] == 1):
        repeats = repeats.reshape(1).expand(input.shape[dim])
    elif repeats.dim() == 1:
        if repeats.shape[0] != input.shape[dim]:
            raise RuntimeError('repeats must have the same size as input along dim')
    else:
        raise RuntimeError('repeats must be 0-dim or 1-dim tensor')
    return input.index_select(dim, _repeats_index(repeats).long())


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    if dim is None:
        flat = input.flatten()
        n = flat.numel()
        keep = torch.ones(n, dtype=torch.bool, device=input.device)
        if n > 1:
            keep[1:] = flat[1:] != flat[:-1]
        output = flat[keep]
        inverse_shape = input.shape
    else:
        d = dim % input.dim() if input.dim() > 0 else dim
        n = input.shape[d]
        rows = input.movedim(d, 0).reshape(n, -1)
        keep = torch.ones(n, dtype=torch.bool, device=input.device)
        if n > 1:
            keep[1:] = (rows[1:] != rows[:-1]).any(1)
        output = input.index_select(d, keep.nonzero().flatten())
        inverse_shape = (n,)
    result = [output]
    if return_inverse:
        result.append((keep.long().cumsum(0) - 1).reshape(inverse_shape))
    if return_counts:
        starts = keep.nonzero().flatten()
        ends = torch.cat([starts[1:], torch.tensor([n], device=input.device)])
        result.append(ends - starts)
    return result[0] if len(result) == 1 else tuple(result)


def narrow_copy(input, dim, start, length):
    return input.narrow(dim, start, length).clone()


def is_nonzero(input):
    n = input.numel()
    if n == 0:
        raise RuntimeError('Boolean value of Tensor with no values is ambiguous')
    if n > 1:
        raise RuntimeError('Boolean value of Tensor with more than one value is ambiguous')
    return bool(input.item())


def is_same_size(input, other):
    return input.shape == other.shape


def is_signed(input):
    return input.dtype != torch.uint8 and input.dtype != torch.bool


def isneginf(input):
    if input.is_floating_point():
        return input == float('-inf')
    return torch.zeros_like(input, dtype=torch.bool)


def isposinf(input):
    if input.is_floating_point():
        return input == float('inf')
    return torch.zeros_like(input, dtype=torch.bool)


def isreal(input):
    if input.is_complex():
        return input.imag == 0
    return torch.ones_like(input, dtype=torch.bool)


def resize(self, *sizes):
    # Tensor.resize (torch/_tensor.py): deprecated, torch.autograd._functions.Resize
    _warn('_tensor.py', 761, 'warnings.warn("non-inplace resize is deprecated")',
          'non-inplace resize is deprecated')
    return _autograd_resize(self, sizes)


def resize_as(self, tensor):
    _warn('_tensor.py', 769, 'warnings.warn("non-inplace resize_as is deprecated")',
          'non-inplace resize_as is deprecated')
    return _autograd_resize(self, tensor.size())


def _autograd_resize(tensor, sizes):
    # Resize.forward: the element count must not change (sizes multiplied as
    # Python multiplies them, so a tuple given as one size never matches)
    numel = 1
    for s in sizes:
        numel = numel * s
    if tensor.numel() != numel:
        raise RuntimeError(("requested resize to {} ({} elements in total), "
                            "but the given tensor has a size of {} ({} elements). "
                            "autograd's resize can only change the shape of a given "
                            "tensor, while preserving the number of elements. ").format(
            'x'.join(map(str, sizes)), numel,
            'x'.join(map(str, tensor.size())), tensor.numel()))
    return torch._resize_function(tensor, sizes)


_ASARRAY_MISSING = object()


def asarray(obj=_ASARRAY_MISSING, *, dtype=None, device=None, copy=None, requires_grad=False):
    # torch.asarray (torch/csrc/utils/tensor_new.cpp): a tensor or an
    # ndarray is aliased unless copy=True or the dtype/device must change;
    # anything else is built as torch.tensor builds it
    if obj is _ASARRAY_MISSING:
        raise TypeError('asarray() missing 1 required positional arguments: "obj"')
    import numpy
    tensor = None
    if isinstance(obj, torch.Tensor):
        tensor = obj
    elif isinstance(obj, numpy.ndarray):
        tensor = torch.from_numpy(obj)
    if tensor is None:
        if copy is False:
            raise ValueError("can't alias arbitrary sequence into a tensor.")
        tensor = torch.tensor(obj, dtype=dtype, device=device)
        return _asarray_requires_grad(tensor) if requires_grad else tensor
    wrong_device = device is not None and torch.device(device) != tensor.device
    wrong_dtype = dtype is not None and dtype != tensor.dtype
    if copy or (copy is None and (wrong_device or wrong_dtype)):
        if wrong_device or wrong_dtype:
            tensor = tensor.to(device if device is not None else tensor.device,
                               dtype if dtype is not None else tensor.dtype, copy=bool(copy))
        else:
            tensor = tensor.clone()
    elif wrong_device:
        raise ValueError(f"can't alias tensor from device '{tensor.device}' to '{torch.device(device)}'.")
    elif wrong_dtype:
        raise ValueError(f"can't alias tensor with dtype '{_SCALAR_NAMES[tensor.dtype]}' into dtype "
                         f"'{_SCALAR_NAMES[dtype]}'.")
    if requires_grad:
        if tensor.is_leaf:
            _asarray_requires_grad(tensor)
    elif tensor.requires_grad:
        if tensor.is_leaf:
            tensor.requires_grad_(False)
        else:
            tensor = tensor.detach()
    return tensor


def _asarray_requires_grad(tensor):
    # TensorImpl::set_requires_grad's message
    if not tensor.is_floating_point():
        raise RuntimeError('Only Tensors of floating point and complex dtype can require gradients')
    return tensor.requires_grad_(True)
