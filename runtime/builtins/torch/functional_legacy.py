# torch.functional (part): PyTorch 1.13's legacy entry points: the
# functions removed in 1.9 that now only raise (torch/_linalg_utils.py),
# and the small composites ATen writes with other ops (frobenius_norm,
# norm_except_dim, adjoint), so their nodes are those ops' nodes.

import torch


def _tensor_arg(fn, name, position, value):
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, "
                        f"not {type(value).__name__}")


def _int_arg(fn, name, position, value):
    if type(value) is not int:
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be int, "
                        f"not {type(value).__name__}")


def matrix_rank(input, tol=None, symmetric=False, *, out=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed.",
        "Please use the `torch.linalg.matrix_rank` function instead.",
    )


def solve(input, A, *, out=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. Please use the `torch.linalg.solve` function instead.",
    )


def eig(self, eigenvectors=False, *, e=None, v=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. Please use the `torch.linalg.eig` function instead.",
    )


def is_distributed(input):
    _tensor_arg('is_distributed', 'input', 1, input)
    return False


def adjoint(input):
    # real tensors: the transpose of the last two dims (a view); 0-d: itself
    _tensor_arg('adjoint', 'input', 1, input)
    if input.dim() == 1:
        raise RuntimeError("tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.")
    if input.dim() == 0:
        return input
    return input.transpose(-2, -1)


def frobenius_norm(input, dim=None, keepdim=False):
    _tensor_arg('frobenius_norm', 'input', 1, input)
    if dim is None:
        if keepdim:
            return torch.norm(input, 2, (), True)
        return torch.norm(input)
    dims = [dim] if type(dim) is int else list(dim)
    if len(dims) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions instead.")
    if len(dims) < 2:
        return torch.norm(input, 2, dims, keepdim)
    n = input.dim()
    wrapped = []
    for d in dims:
        lo, hi = -max(n, 1), max(n, 1) - 1
        if d < lo or d > hi:
            raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})")
        wrapped.append(d + max(n, 1) if d < 0 else d)
    if wrapped[0] == wrapped[1]:
        raise RuntimeError(f"Expected dims to be different, got [{dims[0]}, {dims[1]}] instead")
    return torch.sqrt(torch.sum(input * input, wrapped, keepdim))


def norm_except_dim(v, pow=2, dim=0):
    _tensor_arg('norm_except_dim', 'v', 1, v)
    _int_arg('norm_except_dim', 'pow', 2, pow)
    _int_arg('norm_except_dim', 'dim', 3, dim)
    if dim == -1:
        return v.norm(pow)
    if dim == 0:
        size = [1] * v.dim()
        size[0] = v.size(0)
        return v.contiguous().view(v.size(0), -1).norm(pow, 1).view(size)
    if dim == v.dim() - 1:
        size = [1] * v.dim()
        size[-1] = v.size(-1)
        return v.contiguous().view(-1, v.size(-1)).norm(pow, 0).view(size)
    return norm_except_dim(v.transpose(0, dim), pow, 0).transpose(0, dim)
