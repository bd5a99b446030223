# torch.functional: the creation functions PyTorch composes from other ops
# (torch/functional.py and ATen's composite TensorShape.cpp): meshgrid,
# cartesian_prod, combinations, tril/triu_indices, vander, diagflat,
# atleast_1d/2d/3d, broadcast_to, broadcast_tensors. Each is written with
# the ops ATen's composite calls, so results record PyTorch's nodes
# (ExpandBackward0, StackBackward0, CopySlices, FlipBackward0, ...).
# torch reaches them through its __getattr__ (storage.c).

import sys
import torch

def _warn(filename, lineno, line, message):
    # warnings.warn as PyTorch's own file torch/FILENAME issues it at
    # LINENO, whose source line is LINE: through the warnings filters
    import warnings
    warnings._torch_warn(message, '/usr/lib/python3/dist-packages/torch/' + filename, lineno,
                         'torch.' + filename[:-3].replace('/', '.'), line)


def _tensor_list(args):
    # f(a, b) and f([a, b]) / f((a, b))
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        return list(args[0])
    return list(args)


def meshgrid(*tensors, indexing=None):
    tensors = _tensor_list(tensors)
    _check_tensors(tensors)
    if indexing is None:
        _warn('functional.py', 504, 'return _VF.meshgrid(tensors, **kwargs)  # type: ignore[attr-defined]',
              'torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument. '
              '(Triggered internally at  ./aten/src/ATen/native/TensorShape.cpp:3190.)')
        indexing = 'ij'
    if len(tensors) == 0:
        raise RuntimeError('meshgrid expects a non-empty TensorList')
    for i in range(len(tensors) - 1):
        if tensors[i].dtype != tensors[i + 1].dtype:
            raise RuntimeError('meshgrid expects all tensors to have the same dtype')
        if tensors[i].device != tensors[i + 1].device:
            raise RuntimeError('meshgrid expects all tensors to have the same device')
    if indexing != 'xy' and indexing != 'ij':
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    for t in tensors:
        if t.dim() > 1:
            raise RuntimeError(f'torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got a '
                               f'{t.dim()}D tensor')
    swap = indexing == 'xy' and len(tensors) >= 2
    if swap:
        tensors[0], tensors[1] = tensors[1], tensors[0]
    shape = [t.numel() for t in tensors]
    out = []
    for i, t in enumerate(tensors):
        view = [1] * len(tensors)
        view[i] = -1
        out.append(t.view(view).expand(shape))
    if swap:
        out[0], out[1] = out[1], out[0]
    return tuple(out)


def _check_tensors(tensors):
    for i, t in enumerate(tensors):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f'expected Tensor as element {i} in argument 0, but got {type(t).__name__}')


def cartesian_prod(*tensors):
    _check_tensors(tensors)
    for t in tensors:
        if t.dim() != 1:
            raise RuntimeError(f'Expect a 1D vector, but got shape {list(t.shape)}')
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(tensors, indexing='ij')
    return torch.stack([g.flatten() for g in grids], 1)


def _index_tuples(n, r, with_replacement):
    # the r-tuples of indices below n in lexicographic order (ATen masks a
    # meshgrid of indices and gets the same order)
    if (r > n and not with_replacement) or n == 0:
        return []
    idx = [0] * r if with_replacement else list(range(r))
    out = [list(idx)]
    while True:
        i = r - 1
        while i >= 0 and idx[i] == (n - 1 if with_replacement else i + n - r):
            i -= 1
        if i < 0:
            return out
        idx[i] += 1
        for j in range(i + 1, r):
            idx[j] = idx[i] if with_replacement else idx[j - 1] + 1
        out.append(list(idx))


def combinations(input, r=2, with_replacement=False):
    if input.dim() != 1:
        raise RuntimeError(f'Expect a 1D vector, but got shape {list(input.shape)}')
    if r < 0:
        raise RuntimeError(f'Expect a non-negative number, but got {r}')
    if r == 0:
        return torch.empty(0, dtype=input.dtype, device=input.device)
    combos = _index_tuples(input.numel(), r, with_replacement)
    if len(combos) == 0:
        return torch.empty(0, r, dtype=input.dtype, device=input.device)
    cols = []
    for k in range(r):
        idx = torch.tensor([c[k] for c in combos], dtype=torch.long, device=input.device)
        cols.append(input[idx])
    return torch.stack(cols, 1)


# ATen's ScalarType names, as "not implemented for" errors print them
_SCALAR_NAMES = {torch.float32: 'Float', torch.float64: 'Double', torch.float16: 'Half',
                 torch.bfloat16: 'BFloat16', torch.bool: 'Bool', torch.uint8: 'Byte',
                 torch.int8: 'Char', torch.int16: 'Short', torch.int32: 'Int', torch.int64: 'Long',
                 torch.complex64: 'ComplexFloat', torch.complex128: 'ComplexDouble'}


def _tri_indices(name, row, col, offset, dtype, device, lower):
    if dtype is None:
        dtype = torch.long
    if dtype != torch.long and dtype != torch.int32:
        raise RuntimeError(f'"{name}" not implemented for \'{_SCALAR_NAMES[dtype]}\'')
    if row < 0:
        raise RuntimeError(f'row must be non-negative, got{row}')
    if col < 0:
        raise RuntimeError(f'col must be non-negative, got{col}')
    rows = []
    cols = []
    for i in range(row):
        for j in range(col):
            if (j - i <= offset) if lower else (j - i >= offset):
                rows.append(i)
                cols.append(j)
    if len(rows) == 0:
        return torch.empty(2, 0, dtype=dtype, device=device)
    return torch.tensor([rows, cols], dtype=dtype, device=device)


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None, pin_memory=False):
    return _tri_indices('tril_indices', row, col, offset, dtype, device, True)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None, pin_memory=False):
    return _tri_indices('triu_indices', row, col, offset, dtype, device, False)


def vander(x, N=None, increasing=False):
    if x.dim() != 1:
        raise RuntimeError('x must be a one-dimensional tensor.')
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError('N must be non-negative.')
    # cumprod promotes integers to long
    result = torch.empty(x.shape[0], n, dtype=torch.promote_types(x.dtype, torch.long), device=x.device)
    if n > 0:
        result.fill_(1)
        if n > 1:
            result[:, 1:] = torch.cumprod(x.unsqueeze(1).expand(x.shape[0], n - 1), 1)
    if not increasing:
        return torch.flip(result, [1])
    return result


def diagflat(input, offset=0):
    return input.contiguous().view(-1).diag(offset)


def _wrap_dim(dim, n):
    if dim < -n or dim >= n:
        raise IndexError(f'Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})')
    return dim % n


def _atleast(name, args, nd):
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        return tuple(_atleast(name, [t], nd) for t in args[0])
    if len(args) == 0:
        return ()
    if len(args) > 1:
        return tuple(_atleast(name, [t], nd) for t in args)
    t = args[0]
    if not isinstance(t, torch.Tensor):
        ty = type(t).__name__
        raise TypeError(f"{name}() received an invalid combination of arguments - got ({ty}), but expected one of:"
                        f" * (Tensor input) didn't match because some of the arguments have invalid types: (!{ty}!)"
                        f" * (tuple of Tensors tensors) didn't match because some of the arguments have invalid"
                        f" types: (!{ty}!)")
    if nd == 1:
        return t.reshape(1) if t.dim() == 0 else t
    if nd == 2:
        if t.dim() == 0:
            return t.reshape(1, 1)
        return t.unsqueeze(0) if t.dim() == 1 else t
    if t.dim() == 0:
        return t.reshape(1, 1, 1)
    if t.dim() == 1:
        return t.unsqueeze(0).unsqueeze(-1)
    return t.unsqueeze(-1) if t.dim() == 2 else t


def atleast_1d(*tensors):
    return _atleast('atleast_1d', tensors, 1)


def atleast_2d(*tensors):
    return _atleast('atleast_2d', tensors, 2)


def atleast_3d(*tensors):
    return _atleast('atleast_3d', tensors, 3)


def broadcast_to(input, *size):
    if len(size) == 1 and isinstance(size[0], (list, tuple)):
        size = size[0]
    return input.expand(size)


def _infer_size(a, b):
    # ATen's infer_size: the broadcast shape of a and b, with its error
    n = max(len(a), len(b))
    out = [0] * n
    for i in range(n - 1, -1, -1):
        da = len(a) - n + i
        db = len(b) - n + i
        sa = a[da] if da >= 0 else 1
        sb = b[db] if db >= 0 else 1
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(f'The size of tensor a ({sa}) must match the size of tensor b ({sb}) '
                               f'at non-singleton dimension {i}')
        out[i] = sb if sa == 1 else sa
    return out


def broadcast_tensors(*tensors):
    _check_tensors(tensors)
    if len(tensors) == 0:
        return ()
    shape = []
    for t in tensors:
        shape = _infer_size(shape, list(t.shape))
    return tuple(t.expand(shape) for t in tensors)
