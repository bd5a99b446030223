# numpy/shape.py: numpy 1.24's shape and indexing functions (numpy/lib/
# shape_base.py, function_base.py, twodim_base.py, index_tricks.py,
# core/fromnumeric.py, core/numeric.py), written over tsr's ndarray and
# torch's ops. It runs into the numpy module's members at `import numpy`.
import torch as _torch


def _t(a):
    return _torch.from_numpy(asarray(a))


def _out(t):
    r = t.numpy()
    return r[()] if r.ndim == 0 else r


def _axis(axis, ndim, what=None):
    if not isinstance(axis, int):
        axis = axis.__index__()
    if axis < -ndim or axis >= ndim:
        msg = "axis %d is out of bounds for array of dimension %d" % (axis, ndim)
        raise AxisError(what + ": " + msg if what else msg)
    return axis + ndim if axis < 0 else axis


def _axes(axis, ndim, what=None):
    if not isinstance(axis, (tuple, list)):
        axis = [axis]
    r = [_axis(x, ndim, what) for x in axis]
    if len(set(r)) != len(r):
        raise ValueError("repeated axis in `%s` argument" % what if what else "repeated axis")
    return r


def _flat_axis(a, axis):
    """a and its axis, normalized; axis=None: a flattened, axis 0"""
    a = asarray(a)
    if axis is None:
        return a.ravel(), 0
    return a, _axis(axis, a.ndim)


def _index_error(idx, bad, axis, n):
    raise IndexError("index %d is out of bounds for axis %d with size %d" % (idx[bad].ravel()[0], axis, n))


def ndim(a):
    return asarray(a).ndim


def size(a, axis=None):
    a = asarray(a)
    if axis is None:
        return a.size
    return a.shape[axis]


def expand_dims(a, axis):
    a = asarray(a)
    if not isinstance(axis, (tuple, list)):
        axis = (axis,)
    out_ndim = len(axis) + a.ndim
    axis = _axes(axis, out_ndim)
    it = iter(a.shape)
    return a.reshape(tuple(1 if ax in axis else next(it) for ax in range(out_ndim)))


def flip(m, axis=None):
    m = asarray(m)
    dims = list(range(m.ndim)) if axis is None else _axes(axis, m.ndim)
    return _out(_torch.flip(_t(m), dims))


def fliplr(m):
    m = asarray(m)
    if m.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return flip(m, 1)


def flipud(m):
    m = asarray(m)
    if m.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return flip(m, 0)


def roll(a, shift, axis=None):
    a = asarray(a)
    if axis is None:
        return roll(a.ravel(), shift, 0).reshape(a.shape)
    shifts = list(shift) if isinstance(shift, (tuple, list)) else [shift]
    axes = [_axis(x, a.ndim) for x in (axis if isinstance(axis, (tuple, list)) else [axis])]
    if len(shifts) == 1:
        shifts = shifts * len(axes)
    if len(axes) == 1:
        axes = axes * len(shifts)
    if len(axes) != len(shifts):
        raise ValueError("'shift' and 'axis' should be scalars or 1D sequences")
    total = [0] * a.ndim
    for s, ax in zip(shifts, axes):
        total[ax] += s
    t = _t(a)
    for ax in range(a.ndim):
        if total[ax] and a.shape[ax]:
            t = _torch.roll(t, total[ax] % a.shape[ax], ax)
    return _out(t.clone())


def rot90(m, k=1, axes=(0, 1)):
    m = asarray(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    if axes[0] == axes[1] or axes[0] - axes[1] == m.ndim or axes[1] - axes[0] == m.ndim:
        raise ValueError("Axes must be different.")
    if axes[0] >= m.ndim or axes[0] < -m.ndim or axes[1] >= m.ndim or axes[1] < -m.ndim:
        raise ValueError("Axes={} out of range for array of ndim={}.".format(axes, m.ndim))
    return _out(_torch.rot90(_t(m), k, [axes[0] % m.ndim, axes[1] % m.ndim]))


def tile(A, reps):
    A = asarray(A)
    tup = tuple(reps) if isinstance(reps, (tuple, list)) else (reps,)
    d = len(tup)
    if A.ndim < d:
        A = A.reshape((1,) * (d - A.ndim) + A.shape)
    tup = (1,) * (A.ndim - d) + tup
    for n in tup:
        if n < 0:
            raise ValueError("negative dimensions are not allowed")
    if A.ndim == 0:
        return A.copy()
    return _out(_t(A).repeat(tup))


def repeat(a, repeats, axis=None):
    a, axis = _flat_axis(a, axis)
    r = asarray(repeats)
    if r.ndim == 0:
        r = full(a.shape[axis], int(r))
    elif r.ndim == 1 and r.shape[0] == 1:
        r = full(a.shape[axis], int(r[0]))
    if r.ndim != 1 or r.shape[0] != a.shape[axis]:
        raise ValueError("operands could not be broadcast together with shape (%d,) (%d,)"
                         % (a.shape[axis], r.size))
    if (r < 0).any():
        raise ValueError("negative dimensions are not allowed")
    return _out(_torch.repeat_interleave(_t(a), _t(r.astype(int64)), axis))


def swapaxes(a, axis1, axis2):
    a = asarray(a)
    i = _axis(axis1, a.ndim, "axis1")
    j = _axis(axis2, a.ndim, "axis2")
    return _out(_torch.swapaxes(_t(a), i, j))


def moveaxis(a, source, destination):
    a = asarray(a)
    source = _axes(source, a.ndim, "source")
    destination = _axes(destination, a.ndim, "destination")
    if len(source) != len(destination):
        raise ValueError("`source` and `destination` arguments must have the same number of elements")
    order = [n for n in range(a.ndim) if n not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return a.transpose(order)


def _along(a, axis, start, stop):
    return a[(slice(None),) * axis + (slice(start, stop),)]


def array_split(ary, indices_or_sections, axis=0):
    ary = asarray(ary)
    ntotal = ary.shape[axis]
    axis = _axis(axis, ary.ndim)
    if isinstance(indices_or_sections, (tuple, list)) or asarray(indices_or_sections).ndim > 0:
        div_points = [0] + [int(i) for i in indices_or_sections] + [ntotal]
    else:
        nsections = int(indices_or_sections)
        if nsections <= 0:
            raise ValueError("number sections must be larger than 0.")
        each, extras = ntotal // nsections, ntotal % nsections
        sizes = [0] + extras * [each + 1] + (nsections - extras) * [each]
        div_points = []
        acc = 0
        for s in sizes:
            acc += s
            div_points.append(acc)
    out = []
    for i in range(len(div_points) - 1):
        st, end = div_points[i], div_points[i + 1]
        if st < 0:
            st += ntotal
        if end < 0:
            end += ntotal
        st = 0 if st < 0 else ntotal if st > ntotal else st
        end = st if end < st else ntotal if end > ntotal else end
        out.append(_along(ary, axis, st, end).copy())
    return out


def split(ary, indices_or_sections, axis=0):
    if not isinstance(indices_or_sections, (tuple, list)) and asarray(indices_or_sections).ndim == 0:
        n = asarray(ary).shape[axis]
        if n % int(indices_or_sections):
            raise ValueError("array split does not result in an equal division")
    return array_split(ary, indices_or_sections, axis)


def hsplit(ary, indices_or_sections):
    if ndim(ary) == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(ary, indices_or_sections, 1 if ndim(ary) > 1 else 0)


def vsplit(ary, indices_or_sections):
    if ndim(ary) < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(ary, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    if ndim(ary) < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(ary, indices_or_sections, 2)


def _atleast(arys, n):
    res = []
    for ary in arys:
        a = asarray(ary)
        if a.ndim < n:
            if n == 1:
                a = a.reshape(1)
            elif n == 2:
                a = a.reshape((1, a.size) if a.ndim == 1 else (1, 1))
            else:
                a = a.reshape((1, 1, 1) if a.ndim == 0 else (1, a.shape[0], 1) if a.ndim == 1
                              else a.shape + (1,))
        res.append(a)
    return res[0] if len(res) == 1 else res


def atleast_1d(*arys):
    return _atleast(arys, 1)


def atleast_2d(*arys):
    return _atleast(arys, 2)


def atleast_3d(*arys):
    return _atleast(arys, 3)


def dstack(tup):
    arrs = atleast_3d(*tup)
    if not isinstance(arrs, list):
        arrs = [arrs]
    return concatenate(arrs, 2)


def column_stack(tup):
    arrays = []
    for v in tup:
        arr = asarray(v)
        if arr.ndim < 2:
            arr = arr.reshape(arr.size, 1)
        arrays.append(arr)
    return concatenate(arrays, 1)


def _shape_text(shape):
    return "(" + ",".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def broadcast_to(array, shape):
    a = asarray(array)
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    for s in shape:
        if s < 0:
            raise ValueError("all elements of broadcast shape must be non-negative")
    ok = len(shape) >= a.ndim
    for i in range(1, a.ndim + 1):
        if ok and a.shape[-i] != 1 and a.shape[-i] != shape[-i]:
            ok = False
    if not ok:
        raise ValueError("operands could not be broadcast together with remapped shapes "
                         "[original->remapped]: %s  and requested shape %s"
                         % (_shape_text(a.shape), _shape_text(shape)))
    return _out(_t(a).expand(shape).clone())


def diag(v, k=0):
    v = asarray(v)
    if v.ndim == 1:
        return _out(_torch.diag(_t(v), k))
    if v.ndim == 2:
        return diagonal(v, k).copy()
    raise ValueError("Input must be 1- or 2-d.")


def diagonal(a, offset=0, axis1=0, axis2=1):
    a = asarray(a)
    if a.ndim < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    i = _axis(axis1, a.ndim, "axis1")
    j = _axis(axis2, a.ndim, "axis2")
    if i == j:
        raise ValueError("axis1 and axis2 cannot be the same")
    return _out(_torch.diagonal(_t(a), offset, i, j).clone())


def trace(a, offset=0, axis1=0, axis2=1, dtype=None):
    return sum(diagonal(a, offset, axis1, axis2), -1, dtype=dtype)


def tri(N, M=None, k=0, dtype=float):
    if M is None:
        M = N
    m = arange(N).reshape(N, 1) >= arange(-k, M - k).reshape(1, M)
    return m.astype(dtype)


def tril(m, k=0):
    m = asarray(m)
    mask = tri(*m.shape[-2:], k=k, dtype=bool)
    return where(mask, m, zeros(1, m.dtype))


def triu(m, k=0):
    m = asarray(m)
    mask = tri(*m.shape[-2:], k=k - 1, dtype=bool)
    return where(mask, zeros(1, m.dtype), m)


def _check_index(idx, n, axis):
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        _index_error(idx, bad, axis, n)
    return where(idx < 0, idx + n, idx)


def take(a, indices, axis=None):
    a, axis = _flat_axis(a, axis)
    idx = asarray(indices)
    if isinstance(indices, ndarray) and idx.dtype not in (int64, int32, int16, int8, uint8, bool_):
        raise TypeError("Cannot cast array data from dtype('%s') to dtype('int64') according to the rule 'safe'"
                        % idx.dtype)
    idx = _check_index(idx.astype(int64), a.shape[axis], axis)
    flat = _torch.index_select(_t(a), axis, _t(idx.ravel()))
    shape = a.shape[:axis] + idx.shape + a.shape[axis + 1:]
    return _out(flat.reshape(shape))


def take_along_axis(arr, indices, axis):
    arr = asarray(arr)
    indices = asarray(indices)
    if axis is None:
        arr = arr.ravel()
        axis = 0
    if indices.ndim != arr.ndim:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    axis = _axis(axis, arr.ndim)
    idx = _check_index(indices.astype(int64), arr.shape[axis], axis)
    return _out(_torch.take_along_dim(_t(arr), _t(idx), axis))


def append(arr, values, axis=None):
    arr = asarray(arr)
    if axis is None:
        if arr.ndim != 1:
            arr = arr.ravel()
        values = asarray(values).ravel()
        axis = arr.ndim - 1
    return concatenate((arr, values), axis)


def delete(arr, obj, axis=None):
    arr, axis = _flat_axis(arr, axis)
    n = arr.shape[axis]
    keep = ones(n, dtype=bool)
    if isinstance(obj, slice):
        keep[obj] = False
    else:
        idx = asarray(obj)
        if idx.dtype == bool_:
            keep = ~idx
        else:
            if idx.size:
                bad = (idx < -n) | (idx >= n)
                if bad.any():
                    _index_error(idx, bad, axis, n)
                keep[idx] = False
    return arr[(slice(None),) * axis + (keep,)]


def insert(arr, obj, values, axis=None):
    arr, axis = _flat_axis(arr, axis)
    n = arr.shape[axis]
    if isinstance(obj, slice):
        obj = arange(*obj.indices(n))
    indices = asarray(obj)
    if indices.ndim == 0:
        index = int(indices)
        if index < -n or index > n:
            raise IndexError("index %d is out of bounds for axis %d with size %d" % (index, axis, n))
        if index < 0:
            index += n
        values = array(values, dtype=arr.dtype)
        while values.ndim < arr.ndim:
            values = values.reshape((1,) + values.shape)
        values = moveaxis(values, 0, axis)
        numnew = values.shape[axis]
        shape = list(arr.shape)
        shape[axis] = numnew
        values = broadcast_to(values, tuple(shape))
        return concatenate((_along(arr, axis, 0, index), values, _along(arr, axis, index, None)), axis)
    indices = indices.astype(int64)
    bad = (indices < -n) | (indices > n)
    if bad.any():
        _index_error(indices, bad, axis, n)
    indices = where(indices < 0, indices + n, indices).ravel()
    numnew = indices.size
    order = argsort(indices)
    sorted_idx = indices[order] + arange(numnew)
    newshape = list(arr.shape)
    newshape[axis] += numnew
    old_mask = ones(newshape[axis], dtype=bool)
    old_mask[sorted_idx] = False
    shape = list(arr.shape)
    shape[axis] = numnew
    vals = broadcast_to(array(values, dtype=arr.dtype), tuple(shape))
    new = empty(tuple(newshape), dtype=arr.dtype)
    pre = (slice(None),) * axis
    new[pre + (old_mask,)] = arr
    new[pre + (sorted_idx,)] = take(vals, order, axis)
    return new


def _pad_pairs(width, nd, what):
    w = asarray(width)
    if w.dtype not in (int64, int32, int16, int8, uint8):
        raise TypeError("`%s` must be of integral type." % what)
    w = w.astype(int64)
    if w.ndim == 0:
        w = w.reshape(1, 1)
    elif w.ndim == 1:
        w = w.reshape(1, w.shape[0])
    try:
        w = broadcast_to(w, (nd, 2))
    except ValueError:
        raise ValueError("operands could not be broadcast together with remapped shapes "
                         "[original->remapped]: %s  and requested shape %s"
                         % (_shape_text(asarray(width).shape), _shape_text((nd, 2))))
    return w.tolist()


def pad(array_, pad_width, mode="constant", constant_values=0):
    a = asarray(array_)
    if mode not in ("constant", "edge", "wrap", "reflect", "symmetric"):
        raise NotImplementedError("np.pad mode %r: tsr's numpy pads in modes 'constant', 'edge', 'wrap', "
                                  "'reflect' and 'symmetric'" % (mode,))
    pw = _pad_pairs(pad_width, a.ndim, "pad_width")
    for b, e in pw:
        if b < 0 or e < 0:
            raise ValueError("index can't contain negative values")
    if mode != "constant":
        for ax in range(a.ndim):
            b, e = pw[ax]
            a = take(a, _pad_index(a.shape[ax], b, e, mode, ax), ax)
        return a
    vals = asarray(constant_values)
    if vals.ndim == 0:
        pairs = [[vals, vals]] * a.ndim
    else:
        v = vals.reshape(1, vals.size) if vals.ndim == 1 else vals
        v = broadcast_to(v, (a.ndim, 2))
        pairs = [[v[i, 0], v[i, 1]] for i in range(a.ndim)]
    shape = tuple(s + b + e for s, (b, e) in zip(a.shape, pw))
    out = empty(shape, dtype=a.dtype)
    center = tuple(slice(b, b + s) for s, (b, e) in zip(a.shape, pw))
    out[center] = a
    for ax in range(a.ndim):
        b, e = pw[ax]
        pre = (slice(None),) * ax
        if b:
            out[pre + (slice(0, b),)] = pairs[ax][0]
        if e:
            out[pre + (slice(shape[ax] - e, shape[ax]),)] = pairs[ax][1]
    return out


def _wrap_index(n, before, after):
    """mode 'wrap' as numpy 1.24's _set_wrap_both fills it: chunk by chunk,
    each pass copying from what the previous passes filled"""
    total = before + n + after
    idx = [None] * before + list(range(n)) + [None] * after
    lp, rp = before, after
    while lp > 0 or rp > 0:
        period = total - rp - lp
        nl = nr = 0
        if lp > 0:
            m = period if period < lp else lp
            chunk = idx[total - rp - m:total - rp]
            if lp > period:
                idx[lp - period:lp] = chunk
                nl = lp - period
            else:
                idx[0:lp] = chunk
        if rp > 0:
            m = period if period < rp else rp
            chunk = idx[lp:lp + m]
            if rp > period:
                idx[total - rp:total - rp + period] = chunk
                nr = rp - period
            else:
                idx[total - rp:] = chunk
        lp, rp = nl, nr
    return array(idx, dtype=int64)


def _pad_index(n, before, after, mode, axis):
    """the source index along an axis of n elements of each padded position"""
    if n == 0 and before + after:
        raise ValueError("can't extend empty axis %d using modes other than 'constant' or 'empty'" % axis)
    i = arange(-before, n + after)
    if mode == "edge" or (mode == "reflect" and n == 1):
        return clip(i, 0, n - 1)
    if mode == "wrap":
        return _wrap_index(n, before, after)
    period = 2 * n - 2 if mode == "reflect" else 2 * n
    i = i % period
    return where(i >= n, period - i - (0 if mode == "reflect" else 1), i)


def resize(a, new_shape):
    if not isinstance(new_shape, (tuple, list)):
        new_shape = (new_shape,)
    a = asarray(a).ravel()
    new_size = 1
    for dim in new_shape:
        new_size *= dim
        if dim < 0:
            raise ValueError("all elements of `new_shape` must be non-negative")
    if a.size == 0 or new_size == 0:
        return zeros(tuple(new_shape), dtype=a.dtype)
    repeats = -(-new_size // a.size)
    a = concatenate((a,) * repeats)[:new_size]
    return a.reshape(tuple(new_shape))


def nonzero(a):
    a = asarray(a)
    if a.ndim == 0:
        a = a.reshape(1)
    return tuple(t.numpy() for t in _torch.nonzero(_t(a), as_tuple=True))


def flatnonzero(a):
    return nonzero(asarray(a).ravel())[0]


def count_nonzero(a, axis=None, keepdims=False):
    a = asarray(a)
    if axis is None and not keepdims:
        return int((a != 0).sum())
    return (a != 0).sum(axis, dtype=int64, keepdims=keepdims)


def unravel_index(indices, shape):
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    idx = asarray(indices)
    if idx.dtype not in (int64, int32, int16, int8, uint8):
        raise TypeError("only int indices permitted")
    total = 1
    for s in shape:
        total *= s
    if ((idx < 0) | (idx >= total)).any():
        bad = idx[(idx < 0) | (idx >= total)].ravel()[0] if idx.ndim else idx
        raise ValueError("index %d is out of bounds for array with size %d" % (bad, total))
    out = []
    rem = idx.astype(int64)
    for s in reversed(shape):
        out.append(rem % s)
        rem = rem // s
    return tuple(reversed(out))


def searchsorted(a, v, side="left", sorter=None):
    a = asarray(a)
    if side not in ("left", "right"):
        raise ValueError("search side must be 'left' or 'right' (got %r)" % (side,))
    if sorter is not None:
        a = a[asarray(sorter)]
    vv = asarray(v)
    d = (a.ravel()[:0] + vv.ravel()[:0]).dtype  # the promoted dtype
    floats = d in (float64, float32, float16)
    # numpy orders nan after every number (a sorted array's nans are last):
    # numbers are searched among a's numbers; a nan goes after them (left)
    # or after the nans too (right)
    n_num = a.size - int(isnan(a).sum()) if floats and a.dtype in (float64, float32, float16) else a.size
    r = _torch.searchsorted(_t(a[:n_num].astype(d)), _t(vv.astype(d).reshape(vv.size)), right=side == "right")
    r = _out(r.reshape(vv.shape))
    if floats and isnan(vv).any():
        r = _scalar_of(where(isnan(vv), a.size if side == "right" else n_num, r))
    return r


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    nd = len(xi)
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    s0 = (1,) * nd
    output = [asarray(x).reshape(s0[:i] + (-1,) + s0[i + 1:]) for i, x in enumerate(xi)]
    if indexing == "xy" and nd > 1:
        output[0] = output[0].reshape((1, -1) + s0[2:])
        output[1] = output[1].reshape((-1, 1) + s0[2:])
    if not sparse:
        shape = [1] * nd
        for o in output:
            shape = [s if s > 1 else n for s, n in zip(o.shape, shape)]
        output = [broadcast_to(o, tuple(shape)) for o in output]
    if copy:
        output = [o.copy() for o in output]
    return output


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    y = linspace(start, stop, num=num, endpoint=endpoint)
    r = power(base, y)
    return r if dtype is None else r.astype(dtype)
