# numpy/products.py: numpy 1.24's products (cross, inner, outer, kron,
# tensordot, einsum), set routines (numpy/lib/arraysetops.py) and
# fill_diagonal. Runs into the numpy module's members at `import numpy`.


def outer(a, b, out=None):
    a = asarray(a).ravel()
    b = asarray(b).ravel()
    return multiply(a.reshape(a.size, 1), b.reshape(1, b.size))


def inner(a, b):
    a = asarray(a)
    b = asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return multiply(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError("shapes %s and %s not aligned: %d (dim %d) != %d (dim %d)"
                         % (_shape_text(a.shape), _shape_text(b.shape), a.shape[-1], a.ndim - 1,
                            b.shape[-1], b.ndim - 1))
    r = tensordot(a, b, (-1, -1))
    return r[()] if r.ndim == 0 else r  # PyArray_InnerProduct returns a scalar


def tensordot(a, b, axes=2):
    try:
        iter(axes)
    except Exception:
        axes_a = list(range(-axes, 0))
        axes_b = list(range(0, axes))
    else:
        axes_a, axes_b = axes
    axes_a = list(axes_a) if isinstance(axes_a, (tuple, list)) else [axes_a]
    axes_b = list(axes_b) if isinstance(axes_b, (tuple, list)) else [axes_b]
    na, nb = len(axes_a), len(axes_b)
    a, b = asarray(a), asarray(b)
    as_ = a.shape
    nda = a.ndim
    bs = b.shape
    ndb = b.ndim
    equal = True
    if na != nb:
        equal = False
    else:
        for k in range(na):
            if as_[axes_a[k]] != bs[axes_b[k]]:
                equal = False
                break
            if axes_a[k] < 0:
                axes_a[k] += nda
            if axes_b[k] < 0:
                axes_b[k] += ndb
    if not equal:
        raise ValueError("shape-mismatch for sum")
    newaxes_a, newshape_a, olda = _fold(as_, axes_a, False)
    newaxes_b, newshape_b, oldb = _fold(bs, axes_b, True)
    at = a.transpose(newaxes_a).reshape(newshape_a)
    bt = b.transpose(newaxes_b).reshape(newshape_b)
    res = dot(at, bt).reshape(tuple(olda + oldb))
    return array(res) if res.ndim == 0 else res  # a 0-d array, not a scalar


def _fold(shape, axes, summed_first):
    """tensordot's transpose and 2-d shape of one operand: its free axes,
    then the summed ones (the summed first for the second operand)"""
    notin = [k for k in range(len(shape)) if k not in axes]
    n_sum = 1
    for axis in axes:
        n_sum *= shape[axis]
    n_free = 1
    for ax in notin:
        n_free *= shape[ax]
    free = [shape[axis] for axis in notin]
    if summed_first:
        return axes + notin, (n_sum, n_free), free
    return notin + axes, (n_free, n_sum), free


def kron(a, b):
    a = asarray(a)
    b = asarray(b)
    nd = a.ndim if a.ndim > b.ndim else b.ndim
    if nd == 0:
        return multiply(a, b)
    a = a.reshape((1,) * (nd - a.ndim) + a.shape)
    b = b.reshape((1,) * (nd - b.ndim) + b.shape)
    sa, sb = [], []
    for k in range(nd):
        sa += [a.shape[k], 1]
        sb += [1, b.shape[k]]
    r = multiply(a.reshape(tuple(sa)), b.reshape(tuple(sb)))
    return r.reshape(tuple(a.shape[k] * b.shape[k] for k in range(nd)))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa, axisb, axisc = (axis,) * 3
    a = moveaxis(asarray(a), axisa, -1)
    b = moveaxis(asarray(b), axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError("incompatible dimensions for cross product\n(dimension must be 2 or 3)")
    a0, a1 = a[..., 0], a[..., 1]
    b0, b1 = b[..., 0], b[..., 1]
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return multiply(a0, b1) - multiply(a1, b0)
    a2 = a[..., 2] if a.shape[-1] == 3 else zeros_like(a0)
    b2 = b[..., 2] if b.shape[-1] == 3 else zeros_like(b0)
    if a.shape[-1] == 2:
        cp = stack([multiply(a1, b2), -multiply(a0, b2), multiply(a0, b1) - multiply(a1, b0)], -1)
    elif b.shape[-1] == 2:
        cp = stack([-multiply(a2, b1), multiply(a2, b0), multiply(a0, b1) - multiply(a1, b0)], -1)
    else:
        cp = stack([multiply(a1, b2) - multiply(a2, b1), multiply(a2, b0) - multiply(a0, b2),
                    multiply(a0, b1) - multiply(a1, b0)], -1)
    return moveaxis(cp, -1, axisc)


def einsum(subscripts, *operands, optimize=False):
    ts = [_t(asarray(o)) for o in operands]
    return _out(_torch.einsum(subscripts, *ts))


def fill_diagonal(a, val, wrap=False):
    if a.ndim < 2:
        raise ValueError("array must be at least 2-d")
    end = None
    if a.ndim == 2:
        step = a.shape[1] + 1
        if not wrap:
            end = a.shape[1] * a.shape[1]
    else:
        for s in a.shape[1:]:
            if s != a.shape[0]:
                raise ValueError("All dimensions of input must be of equal length")
        step = 1
        acc = 1
        for s in a.shape[:-1]:
            acc *= s
            step += acc
    flat = a.reshape(a.size)
    v = asarray(val).astype(a.dtype).ravel()
    idx = arange(0, a.size if end is None else (end if end < a.size else a.size), step)
    if v.size == 1:
        flat[idx] = v[0]
    elif v.size:
        flat[idx] = resize(v, idx.size)


def in1d(ar1, ar2, assume_unique=False, invert=False):
    ar1 = asarray(ar1).ravel()
    ar2 = asarray(ar2).ravel()
    if ar1.size == 0 or ar2.size == 0:
        r = zeros(ar1.size, dtype=bool)
    else:
        r = (ar1.reshape(ar1.size, 1) == ar2.reshape(1, ar2.size)).any(1)
    return ~r if invert else r


def isin(element, test_elements, assume_unique=False, invert=False):
    element = asarray(element)
    return in1d(element, test_elements, invert=invert).reshape(element.shape)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    if return_indices:
        raise NotImplementedError("np.intersect1d: tsr's numpy has no return_indices=")
    if not assume_unique:
        ar1 = unique(ar1)
        ar2 = unique(ar2)
    aux = sort(concatenate((asarray(ar1).ravel(), asarray(ar2).ravel())))
    return aux[:-1][aux[1:] == aux[:-1]]


def union1d(ar1, ar2):
    return unique(concatenate((asarray(ar1).ravel(), asarray(ar2).ravel())))


def setdiff1d(ar1, ar2, assume_unique=False):
    ar1 = asarray(ar1).ravel() if assume_unique else unique(ar1)
    return ar1[in1d(ar1, ar2, invert=True)]


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None):
    if fweights is not None or aweights is not None:
        raise NotImplementedError("np.cov: tsr's numpy has no fweights=/aweights=")
    m = asarray(m)
    if m.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    dtype = float64
    if y is not None:
        y = asarray(y)
        if y.ndim > 2:
            raise ValueError("y has more than 2 dimensions")
    X = m.astype(dtype)
    if X.ndim < 2:
        X = X.reshape(1, X.size)
    if not rowvar and X.shape[0] != 1:
        X = X.T
    if X.shape[0] == 0:
        return array([]).reshape(0, 0)
    if y is not None:
        y = y.astype(dtype)
        if y.ndim < 2:
            y = y.reshape(1, y.size)
        if not rowvar and y.shape[0] != 1:
            y = y.T
        X = concatenate((X, y), axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    avg = X.mean(1)
    fact = X.shape[1] - ddof
    if fact <= 0:
        fact = 0.0
    X = X - avg.reshape(avg.size, 1)
    c = dot(X, X.T)
    c = multiply(c, true_divide(1, fact)).astype(c.dtype)
    return c.squeeze()


def corrcoef(x, y=None, rowvar=True):
    c = cov(x, y, rowvar)
    if c.ndim == 0:
        return c / c
    d = diagonal(c)
    stddev = sqrt(d)
    c = c / stddev.reshape(stddev.size, 1)
    c = c / stddev.reshape(1, stddev.size)
    return clip(c, -1, 1)
