# numpy/statistics.py: numpy 1.24's order statistics, averages, nan-aware
# reductions, differences, histograms and interpolation (numpy/lib/
# function_base.py, nanfunctions.py, histograms.py), in numpy's own order of
# operations so float64 results keep numpy's bits. Runs into the numpy
# module's members at `import numpy` (numpy/shape.py's helpers included).


def _is_float(a):
    return a.dtype in (float64, float32, float16)


def _no_complex(a, name):
    """tsr's refusal of complex arrays where it has no complex loop"""
    if a.dtype in (complex64, complex128):
        raise TypeError("tsr's numpy has no complex loop for '%s' yet (dtype('%s'))" % (name, a.dtype))


def sort_complex(a):
    b = array(a, copy=True)
    b.sort()
    if b.dtype in (complex64, complex128):
        return b
    return b.astype(complex64 if b.dtype in (int8, uint8, int16) else complex128)


def ptp(a, axis=None, keepdims=False):
    a = asarray(a)
    return subtract(a.max(axis, keepdims=keepdims), a.min(axis, keepdims=keepdims))


def cumprod(a, axis=None, dtype=None):
    a, axis = _flat_axis(a, axis)
    if dtype is not None and a.dtype != dtype:
        a = a.astype(dtype)
    if a.dtype in (complex64, complex128):
        return _complex_cumprod(a, axis)
    if dtype is None and not _is_float(a):
        dtype = int64
    t = _t(a if dtype is None else a.astype(dtype))
    return _out(_torch.cumprod(t, axis))


def diff(a, n=1, axis=-1, prepend=None, append=None):
    if n == 0:
        return asarray(a)
    if n < 0:
        raise ValueError("order must be non-negative but got " + repr(n))
    a = asarray(a)
    if a.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    axis = _axis(axis, a.ndim)
    parts = []
    for v in (prepend, append):
        if v is None:
            parts.append(None)
            continue
        v = asarray(v)
        if v.ndim == 0:
            shape = list(a.shape)
            shape[axis] = 1
            v = broadcast_to(v, tuple(shape))
        parts.append(v)
    if parts[0] is not None:
        a = concatenate((parts[0], a), axis)
    if parts[1] is not None:
        a = concatenate((a, parts[1]), axis)
    for _ in range(n):
        hi = _along(a, axis, 1, None)
        lo = _along(a, axis, 0, -1)
        a = not_equal(hi, lo) if a.dtype == bool_ else hi - lo
    return a


def _mean_of(x, axis):
    return mean(x, axis)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    a0 = asarray(a)
    a, ax = _flat_axis(a0, axis)
    n = a.shape[ax]
    s = sort(a, ax)
    if n == 0:
        r = mean(s, ax)
    else:
        k = n // 2
        pick = _along(s, ax, k, k + 1) if n % 2 else _along(s, ax, k - 1, k + 1)
        r = mean(pick, ax)
        if _is_float(s):
            nans = isnan(_along(s, ax, n - 1, n).squeeze(ax))
            if nans.any():
                r = where(nans, nan, r).astype(r.dtype)
                r = r[()] if r.ndim == 0 else r
    if keepdims:
        r = _keep(r, a0, axis)
    return r


def _keep(r, a0, axis):
    shape = list(a0.shape)
    for ax in (range(a0.ndim) if axis is None else [_axis(axis, a0.ndim)]):
        shape[ax] = 1
    return asarray(r).reshape(tuple(shape))


def _lerp(a, b, t):
    diff_b_a = subtract(b, a)
    low = add(a, diff_b_a * t)
    high = subtract(b, diff_b_a * (1 - t))
    return where(t >= 0.5, high, low)


def _quantile(a, q, axis, keepdims):
    a0 = asarray(a)
    arr, ax = _flat_axis(a0, axis)
    q = asarray(q)
    if q.ndim > 2:
        raise ValueError("q must be a scalar or 1d")
    arr = moveaxis(sort(arr, ax), ax, 0)
    n = arr.shape[0]
    vi = (n - 1) * q
    if vi.dtype != float64 and vi.dtype != float32 and vi.dtype != float16:
        vi = vi.astype(float64)
    prev = floor(vi)
    nxt = prev + 1
    above = vi >= n - 1
    prev = where(above, -1, prev)
    nxt = where(above, -1, nxt)
    below = vi < 0
    prev = where(below, 0, prev).astype(int64)
    nxt = where(below, 0, nxt).astype(int64)
    previous = take(arr, prev, 0)
    following = take(arr, nxt, 0)
    gamma = asarray(vi - prev).reshape(vi.shape + (1,) * (arr.ndim - 1))
    result = _lerp(previous, following, gamma)
    if _is_float(arr) and n:
        nans = isnan(take(arr, -1, 0))
        if asarray(nans).any():
            result = where(nans, nan, result).astype(result.dtype)
    if keepdims:
        shape = list(a0.shape)
        for k in (range(a0.ndim) if axis is None else [_axis(axis, a0.ndim)]):
            shape[k] = 1
        result = result.reshape(q.shape + tuple(shape))
    return result[()] if result.ndim == 0 else result


def _check_method(method):
    if method != "linear":
        raise NotImplementedError("tsr's numpy computes quantiles with method='linear' only")


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    _check_method(method)
    q = asarray(q)
    if not (((q >= 0) & (q <= 1)).all()):
        raise ValueError("Quantiles must be in the range [0, 1]")
    return _quantile(a, q, axis, keepdims)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    _check_method(method)
    q = true_divide(q, 100)
    q = asarray(q)
    if not (((q >= 0) & (q <= 1)).all()):
        raise ValueError("Percentiles must be in the range [0, 100]")
    return _quantile(a, q, axis, keepdims)


def average(a, axis=None, weights=None, returned=False, keepdims=False):
    a = asarray(a)
    if weights is None:
        avg = a.mean(axis, keepdims=keepdims)
        if returned:
            scl = a.size / avg.size if axis is not None else float(a.size)
            return avg, full_like(asarray(avg), scl, dtype=asarray(avg).dtype)[()] if asarray(avg).ndim == 0 \
                else full_like(avg, scl)
        return avg
    wgt = asarray(weights)
    if a.shape != wgt.shape:
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        if wgt.ndim != 1:
            raise TypeError("1D weights expected when shapes of a and weights differ.")
        ax = _axis(axis, a.ndim)
        if wgt.shape[0] != a.shape[ax]:
            raise ValueError("Length of weights not compatible with specified axis.")
        wgt = broadcast_to(wgt, (a.ndim - 1) * (1,) + wgt.shape).swapaxes(-1, ax)
    scl = wgt.astype(float64).sum(axis, keepdims=keepdims)
    if (asarray(scl) == 0.0).any():
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    avg = multiply(a.astype(float64), wgt.astype(float64)).sum(axis, keepdims=keepdims) / scl
    if returned:
        return avg, scl
    return avg


def _nan_replaced(a, value):
    a = asarray(a)
    if not _is_float(a):
        return a, None
    mask = isnan(a)
    return where(mask, value, a).astype(a.dtype), mask


def nansum(a, axis=None, dtype=None, keepdims=False):
    arr, mask = _nan_replaced(a, 0)
    return arr.sum(axis, dtype=dtype, keepdims=keepdims)


def nanmean(a, axis=None, dtype=None, keepdims=False):
    arr, mask = _nan_replaced(a, 0)
    if mask is None:
        return arr.mean(axis, dtype=dtype, keepdims=keepdims)
    cnt = (~mask).sum(axis, dtype=int64, keepdims=keepdims)
    tot = arr.sum(axis, dtype=dtype, keepdims=keepdims)
    avg = _div_keep(tot, cnt)
    if (asarray(cnt) == 0).any():
        _runtime_warning("Mean of empty slice")
    return avg


def _div_keep(tot, cnt):
    """numpy's _divide_by_count: its 0 / 0 raises nothing"""
    with errstate(invalid="ignore", divide="ignore"):
        r = true_divide(tot, cnt)
    if asarray(r).dtype != asarray(tot).dtype:
        r = asarray(r).astype(asarray(tot).dtype)
        r = r[()] if r.ndim == 0 else r
    return r


def _nanext(a, axis, keepdims, fill, pick):
    given_array = isinstance(a, ndarray)
    arr, mask = _nan_replaced(a, fill)
    if mask is None:
        return pick(arr, axis, keepdims=keepdims)
    r = pick(arr, axis, keepdims=keepdims)
    allnan = mask.all(axis, keepdims=keepdims)
    if asarray(allnan).any():
        r = where(allnan, nan, r).astype(arr.dtype)
        r = r[()] if r.ndim == 0 else r
        # numpy's ndarray path (fmax.reduce) and its other path word it apart
        _runtime_warning("All-NaN slice encountered" if given_array else "All-NaN axis encountered")
    return r


def nanmax(a, axis=None, out=None, keepdims=False):
    return _nanext(a, axis, keepdims, -inf, amax)


def nanmin(a, axis=None, out=None, keepdims=False):
    return _nanext(a, axis, keepdims, inf, amin)


def _nanvar(a, axis, dtype, ddof, keepdims):
    """nanvar, and whether a slice had no degrees of freedom left"""
    arr, mask = _nan_replaced(a, 0)
    if mask is None:
        return arr.var(axis, dtype=dtype, ddof=ddof, keepdims=keepdims), False
    cnt = (~mask).sum(axis, dtype=int64, keepdims=True)
    avg = _div_keep(arr.sum(axis, dtype=dtype, keepdims=True), cnt)
    with errstate(invalid="ignore"):
        arr = where(mask, 0, subtract(arr, avg)).astype(arr.dtype)
    sqr = multiply(arr, arr)
    var = sqr.sum(axis, dtype=dtype, keepdims=keepdims)
    dof = (cnt if keepdims else cnt.reshape(asarray(var).shape)) - ddof
    var = _div_keep(var, dof)
    isbad = asarray(dof <= 0)
    if isbad.any():
        var = where(isbad, nan, var).astype(asarray(var).dtype)
        var = var[()] if var.ndim == 0 else var
    return var, bool(isbad.any())


def nanvar(a, axis=None, dtype=None, ddof=0, keepdims=False):
    var, bad = _nanvar(a, axis, dtype, ddof, keepdims)
    if bad:
        _runtime_warning("Degrees of freedom <= 0 for slice.")
    return var


def nanstd(a, axis=None, dtype=None, ddof=0, keepdims=False):
    var, bad = _nanvar(a, axis, dtype, ddof, keepdims)
    if bad:  # numpy's nanvar warns from nanstd's line
        import warnings as _warnings
        _warnings._torch_warn("Degrees of freedom <= 0 for slice.",
                              "/usr/lib/python3/dist-packages/numpy/lib/nanfunctions.py", 1872,
                              "numpy.lib.nanfunctions", "var = nanvar(a, axis=axis, dtype=dtype, out=out, ddof=ddof,",
                              RuntimeWarning)
    return sqrt(var)


def bincount(x, weights=None, minlength=0):
    x = asarray(x)
    if x.ndim != 1:
        raise ValueError("object too deep for desired array" if x.ndim > 1
                         else "object of too small depth for desired array")
    if x.dtype not in (int64, int32, int16, int8, uint8, bool_):
        raise TypeError("Cannot cast array data from dtype('%s') to dtype('int64') according to the rule 'safe'"
                        % x.dtype)
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    if x.size and (x < 0).any():
        raise ValueError("'list' argument must have no negative elements")
    t = _t(x.astype(int64))
    if weights is None:
        return _torch.bincount(t, minlength=minlength).numpy()
    w = asarray(weights).astype(float64)
    return _torch.bincount(t, _t(w), minlength=minlength).numpy()


def digitize(x, bins, right=False):
    x = asarray(x)
    bins = asarray(bins)
    if bins.ndim != 1:
        raise ValueError("object too deep for desired array")
    inc = (bins[1:] >= bins[:-1]).all()
    dec = (bins[1:] <= bins[:-1]).all()
    if not inc and not dec:
        raise ValueError("bins must be monotonically increasing or decreasing")
    side = "left" if right else "right"
    if inc:
        return searchsorted(bins, x, side=side)
    return len(bins) - searchsorted(flip(bins), x, side=side)


def histogram(a, bins=10, range=None, density=None, weights=None):
    a = asarray(a).ravel()
    if weights is not None:
        weights = asarray(weights).ravel()
    b = asarray(bins)
    if b.ndim == 0:
        nb = int(bins)
        if nb < 1:
            raise ValueError("`bins` must be positive, when an integer")
        if range is not None:
            first, last = range
            if first > last:
                raise ValueError("max must be larger than min in range parameter.")
        elif a.size == 0:
            first, last = 0, 1
        else:
            first, last = a.min().item(), a.max().item()
        if not (isfinite(first) and isfinite(last)):
            raise ValueError("autodetected range of [{}, {}] is not finite".format(first, last))
        if first == last:
            first = first - 0.5
            last = last + 0.5
        edge_type = float64 if not _is_float(a) else a.dtype
        edges = linspace(first, last, nb + 1, endpoint=True).astype(edge_type)
        keep = (a >= first) & (a <= last)
        tmp = a[keep].astype(edges.dtype)
        tw = weights[keep] if weights is not None else None
        norm = nb / (last - first)
        f_idx = (tmp - first) * norm
        idx = f_idx.astype(int64)
        idx = where(idx == nb, idx - 1, idx)
        idx = where(tmp < edges[idx], idx - 1, idx)
        idx = where((tmp >= edges[idx + 1]) & (idx != nb - 1), idx + 1, idx)
        n = bincount(idx, weights=tw, minlength=nb)
        if weights is None:
            n = n.astype(int64)
    else:
        edges = b
        if (edges[1:] < edges[:-1]).any():
            raise ValueError("`bins` must increase monotonically, when an array")
        if weights is None:
            sa = sort(a)
            cum = concatenate((searchsorted(sa, edges[:-1], "left"), searchsorted(sa, edges[-1:], "right")))
        else:
            order = argsort(a)
            sa = a[order]
            cw = concatenate((zeros(1, float64), weights[order].astype(float64).cumsum()))
            cum = cw[concatenate((searchsorted(sa, edges[:-1], "left"), searchsorted(sa, edges[-1:], "right")))]
        n = diff(cum)
    if density:
        db = diff(edges).astype(float64)
        return n / db / n.sum(), edges
    return n, edges


def interp(x, xp, fp, left=None, right=None, period=None):
    if period is not None:
        raise NotImplementedError("np.interp: tsr's numpy has no period=")
    xp = asarray(xp).astype(float64)
    fp = asarray(fp).astype(float64)
    x0 = asarray(x)
    if x0.dtype in (complex64, complex128):
        raise TypeError("float() argument must be a string or a real number, not 'complex'")
    x = x0.astype(float64)
    if xp.ndim != 1 or fp.ndim != 1:
        raise ValueError("object too deep for desired array")
    if fp.shape[0] != xp.shape[0]:
        raise ValueError("fp and xp are not of the same length.")
    if xp.shape[0] == 0:
        raise ValueError("array of sample points is empty")
    n = xp.shape[0]
    lval = fp[0] if left is None else float(left)
    rval = fp[-1] if right is None else float(right)
    if n == 1:
        r = where(x < xp[0], lval, where(x > xp[0], rval, fp[0]))
    else:
        j = searchsorted(xp, x, "right") - 1
        jc = clip(j, 0, n - 2)
        slope = (fp[jc + 1] - fp[jc]) / (xp[jc + 1] - xp[jc])
        r = slope * (x - xp[jc]) + fp[jc]
        r2 = slope * (x - xp[jc + 1]) + fp[jc + 1]
        r = where(isnan(r), where(isnan(r2) & (fp[jc] == fp[jc + 1]), fp[jc], r2), r)
        r = where(xp[jc] == x, fp[jc], r)
        r = where(j == n - 1, fp[-1], r)
        r = where(x > xp[-1], rval, r)
        r = where(j == -1, lval, r)
        r = where(isnan(x), x, r)
    r = asarray(r).astype(float64)
    return r[()] if r.ndim == 0 else r


def trapz(y, x=None, dx=1.0, axis=-1):
    y = asarray(y)
    axis = _axis(axis, y.ndim)
    if x is None:
        d = dx
    else:
        x = asarray(x)
        if x.ndim == 1:
            d = diff(x)
            shape = [1] * y.ndim
            shape[axis] = d.shape[0]
            d = d.reshape(tuple(shape))
        else:
            d = diff(x, axis=axis)
    return add_reduce(d * (_along(y, axis, 1, None) + _along(y, axis, 0, -1)) / 2.0, axis)


def add_reduce(a, axis):
    return asarray(a).sum(axis)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    x = asarray(x)
    _no_complex(x, "nan_to_num")
    if not _is_float(x):
        return x.copy() if x.ndim else x[()]
    big = 1.7976931348623157e308 if x.dtype == float64 else 3.4028234663852886e38 if x.dtype == float32 \
        else 65504.0
    r = where(isnan(x), nan, x)
    r = where(x == inf, big if posinf is None else posinf, r)
    r = where(x == -inf, -big if neginf is None else neginf, r)
    r = r.astype(x.dtype)
    return r[()] if r.ndim == 0 else r


def gradient(f, *varargs, axis=None, edge_order=1):
    f = asarray(f)
    axes = list(range(f.ndim)) if axis is None else _axes(axis, f.ndim)
    if edge_order != 1:
        raise NotImplementedError("np.gradient: tsr's numpy has edge_order=1 only")
    if len(varargs) == 0:
        dxs = [1.0] * len(axes)
    elif len(varargs) == 1 and asarray(varargs[0]).ndim == 0:
        dxs = [varargs[0]] * len(axes)
    elif len(varargs) == len(axes):
        dxs = list(varargs)
    else:
        raise TypeError("invalid number of arguments")
    _no_complex(f, "gradient")
    otype = f.dtype if _is_float(f) else float64
    f = f.astype(otype)
    outs = []
    for ax, dx in zip(axes, dxs):
        n = f.shape[ax]
        if n < 2:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        dxa = asarray(dx)
        if dxa.ndim != 0:
            raise NotImplementedError("np.gradient: tsr's numpy takes scalar spacings only")
        parts = []
        parts.append((_along(f, ax, 1, 2) - _along(f, ax, 0, 1)) / dx)
        if n > 2:
            parts.insert(1, (_along(f, ax, 2, None) - _along(f, ax, 0, -2)) / (2.0 * dx))
        parts.append((_along(f, ax, n - 1, n) - _along(f, ax, n - 2, n - 1)) / dx)
        outs.append(concatenate(parts, ax).astype(otype))
    return outs[0] if len(outs) == 1 else outs


def _nan_reduce1d(a, axis, keepdims, fn1d, all_nan_line):
    """fn1d over the numbers of each slice (numpy's nan order statistics);
    an all-nan slice gives nan and numpy's warning"""
    a = asarray(a)
    if not _is_float(a):
        return fn1d(a, axis, keepdims)
    bad = [False]

    def one(v):
        v = v[~isnan(v)]
        if v.size == 0:
            bad[0] = True
            return asarray(nan, dtype=v.dtype)
        return asarray(fn1d(v, None, False))

    if axis is None:
        r = one(a.ravel())
        if keepdims:
            r = r.reshape(r.shape + (1,) * a.ndim)
    else:
        ax = _axis(axis, a.ndim)
        r = apply_along_axis(one, ax, a)
        if r.ndim == a.ndim - 1 and keepdims:
            r = expand_dims(r, ax)
    if bad[0]:
        import warnings as _warnings
        _warnings._torch_warn("All-NaN slice encountered", "/usr/lib/python3/dist-packages/numpy/lib/nanfunctions.py",
                              all_nan_line[0], "numpy.lib.nanfunctions", all_nan_line[1], RuntimeWarning)
    return r[()] if isinstance(r, ndarray) and r.ndim == 0 else r


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return _nan_reduce1d(a, axis, keepdims, lambda v, ax, kd: median(v, axis=ax, keepdims=kd),
                         (1217, "return function_base._ureduce(a, func=_nanmedian, keepdims=keepdims,"))


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    q = asarray(q)
    if q.ndim:
        raise NotImplementedError("tsr's numpy: nanquantile/nanpercentile of several q are not supported")
    line = ((1556, "return function_base._ureduce(a,") if axis is None else
            (1577, "result = np.apply_along_axis(_nanquantile_1d, axis, a, q,"))
    return _nan_reduce1d(a, axis, keepdims, lambda v, ax, kd: quantile(v, q, axis=ax, method=method, keepdims=kd),
                         line)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False):
    return nanquantile(a, true_divide(q, 100), axis, out, overwrite_input, method, keepdims)
