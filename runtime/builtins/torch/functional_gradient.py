# torch.gradient: ATen's composite (ReduceOps.cpp, gradient_helper and
# gradient_helper_float): second-order central differences inside, first-
# or second-order one-sided differences at the edges, per dim, written with
# the same slices and arithmetic so results are ATen's.
# torch reaches it through its __getattr__ (torch_python.c).

import torch


def _gradient_check(input, spacing_size, dims, edge_order):
    if input.dtype == torch.uint8:
        raise RuntimeError('torch.gradient does not support uint8 input.')
    if spacing_size is not None and dims is None:
        if spacing_size != 1 and spacing_size != input.dim():
            raise RuntimeError('torch.gradient expected spacing to be unspecified, a scalar or a list of length '
                               f'{input.dim()} but got a list of length {spacing_size}')
    if spacing_size is not None and dims is not None:
        if spacing_size != len(dims):
            raise RuntimeError("torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
                               f'arguments to have the same length, but got a spacing argument of length '
                               f'{spacing_size} and a dim argument of length {len(dims)}.')
    if edge_order != 1 and edge_order != 2:
        raise RuntimeError('torch.gradient only supports edge_order=1 and edge_order=2.')
    if dims is not None:
        seen = set()
        for d in dims:
            w = _wrap_dim(d, input.dim())
            if w in seen:
                raise RuntimeError(f'dim {w} appears multiple times in the list of dims')
            seen.add(w)
        for d in dims:
            if input.size(d) < edge_order + 1:
                raise RuntimeError('torch.gradient expected each dimension size to be at least edge_order+1')
    else:
        for i in range(input.dim()):
            if input.size(i) < edge_order + 1:
                raise RuntimeError('torch.gradient expected each dimension size to be at least edge_order+1')


def _wrap_dim(d, n):
    lo, hi = (-1, 0) if n == 0 else (-n, n - 1)
    if d < lo or d > hi:
        raise IndexError(f'Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})')
    return d + n if d < 0 else d


def _gradient_float(input, spacing, dims, edge_order):
    result = []
    for i in range(len(dims)):
        d = _wrap_dim(dims[i], input.dim())
        h = spacing[i]
        n = input.size(d)
        center = (input.narrow(d, 2, n - 2) - input.narrow(d, 0, n - 2)) / h
        if edge_order == 1:
            prepend = (input.narrow(d, 1, 1) - input.narrow(d, 0, 1)) / h
            append = (input.narrow(d, n - 1, 1) - input.narrow(d, n - 2, 1)) / h
        else:
            prepend = (input.narrow(d, 0, 1) * -1.5 + input.narrow(d, 1, 1) * 2 - input.narrow(d, 2, 1) * 0.5) / h
            append = (input.narrow(d, n - 3, 1) * 0.5 + input.narrow(d, n - 2, 1) * -2
                      + input.narrow(d, n - 1, 1) * 1.5) / h
        result.append(torch.cat([prepend, center / 2, append], d))
    return tuple(result)


def _gradient_coordinates(input, coordinates, dims, edge_order):
    result = []
    for i in range(len(dims)):
        if coordinates[i].dim() != 1:
            raise RuntimeError('torch.gradient expected each element of spacing to have one dimension, but got an '
                               f'element with {coordinates[i].dim()} dimensions!')
        d = _wrap_dim(dims[i], input.dim())
        n = input.size(d)
        shape = [1] * input.dim()
        shape[d] = -1
        ax_dx = coordinates[i].diff(1, 0)
        m = ax_dx.size(0)
        dx1 = ax_dx[0:m - 1]
        dx2 = ax_dx[1:]
        a = (-dx2 / (dx1 * (dx1 + dx2))).reshape(shape)
        b = ((dx2 - dx1) / (dx1 * dx2)).reshape(shape)
        c = (dx1 / (dx2 * (dx1 + dx2))).reshape(shape)
        center = a * input.narrow(d, 0, n - 2) + b * input.narrow(d, 1, n - 2) + c * input.narrow(d, 2, n - 2)
        if edge_order == 1:
            prepend = (input.narrow(d, 1, 1) - input.narrow(d, 0, 1)) / ax_dx[0]
            append = (input.narrow(d, n - 1, 1) - input.narrow(d, n - 2, 1)) / ax_dx[-1]
        else:
            a = -(2.0 * ax_dx[0] + ax_dx[1]) / (ax_dx[0] * (ax_dx[0] + ax_dx[1]))
            b = (ax_dx[0] + ax_dx[1]) / (ax_dx[0] * ax_dx[1])
            c = (-ax_dx[0]) / (ax_dx[1] * (ax_dx[0] + ax_dx[1]))
            prepend = a * input.narrow(d, 0, 1) + b * input.narrow(d, 1, 1) + c * input.narrow(d, 2, 1)
            a = (ax_dx[-1]) / (ax_dx[-2] * (ax_dx[-1] + ax_dx[-2]))
            b = -(ax_dx[-1] + ax_dx[-2]) / (ax_dx[-1] * ax_dx[-2])
            c = (2 * ax_dx[-1] + ax_dx[-2]) / (ax_dx[-1] * (ax_dx[-1] + ax_dx[-2]))
            append = a * input.narrow(d, n - 3, 1) + b * input.narrow(d, n - 2, 1) + c * input.narrow(d, n - 1, 1)
        result.append(torch.cat([prepend, center, append], d))
    return tuple(result)


def gradient(input, *, spacing=None, dim=None, edge_order=1):
    if dim is None:
        dims = None
        todo = list(range(input.dim()))
    elif isinstance(dim, int):
        dims = [dim]
        todo = dims
    else:
        dims = list(dim)
        todo = dims
    if spacing is None:
        _gradient_check(input, None, dims, edge_order)
        return _gradient_float(input, [1.0] * len(todo), todo, edge_order)
    if isinstance(spacing, (list, tuple)):
        spacing = list(spacing)
        if len(spacing) > 0 and isinstance(spacing[0], torch.Tensor):
            _gradient_check(input, len(spacing), dims, edge_order)
            return _gradient_coordinates(input, spacing, todo, edge_order)
        _gradient_check(input, len(spacing), dims, edge_order)
        if len(spacing) == 1 and len(todo) != 1:
            spacing = spacing * len(todo)
        return _gradient_float(input, spacing, todo, edge_order)
    # one scalar: the same step along every dim
    _gradient_check(input, len(todo) if dim is not None and not isinstance(dim, int) else
                    (1 if isinstance(dim, int) else input.dim()), dims, edge_order)
    return _gradient_float(input, [spacing] * len(todo), todo, edge_order)
