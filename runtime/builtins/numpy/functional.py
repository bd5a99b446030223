# numpy/functional.py: numpy 1.24's functions over Python callables and
# choices (numpy/lib/function_base.py, shape_base.py, core/numeric.py,
# core/fromnumeric.py): vectorize, apply_along_axis, fromfunction,
# piecewise, select, choose, put/place/extract/copyto, and small functions
# tutorials reach (argwhere, convolve, vdot, fix, sinc, the nan products,
# numpy's constant aliases). It runs into the numpy module's members at
# `import numpy`.

# numpy's module constants besides pi, e, nan and inf
NINF = -inf
PINF = inf
NAN = nan
NaN = nan
Inf = inf
Infinity = inf
infty = inf
NZERO = -0.0
PZERO = 0.0
euler_gamma = 0.577215664901532860606512090082402431
product = prod
sometrue = any
alltrue = all
row_stack = vstack
asanyarray = asarray


def cumproduct(*args, **kwargs):
    return cumprod(*args, **kwargs)


def _scalar_of(r):
    return r[()] if isinstance(r, ndarray) and r.ndim == 0 else r


# ------------------------------------------------------------ Python callables

_OTYPE_CHARS = {"d": float64, "f": float32, "e": float16, "l": int64, "q": int64, "i": int32, "h": int16,
                "b": int8, "B": uint8, "?": bool_}


class vectorize:
    """a Python function of scalars called on each element of broadcast arrays"""

    def __init__(self, pyfunc, otypes=None, doc=None, excluded=None, cache=False, signature=None):
        if signature is not None:
            raise NotImplementedError("tsr's numpy: vectorize(signature=) is not supported")
        self.pyfunc = pyfunc
        self.cache = cache
        self.signature = signature
        self.excluded = set(excluded) if excluded else set()
        if isinstance(otypes, str):
            for c in otypes:
                if c not in _OTYPE_CHARS:
                    raise ValueError("Invalid otype specified: %s" % (c,))
            otypes = [_OTYPE_CHARS[c] for c in otypes]
        elif otypes is not None:
            otypes = [dtype(t) for t in otypes]
        self.otypes = otypes
        self.__doc__ = pyfunc.__doc__ if doc is None else doc

    def __call__(self, *args, **kwargs):
        func = self.pyfunc
        if self.excluded:
            fixed = {k: v for k, v in kwargs.items() if k in self.excluded}
            kwargs = {k: v for k, v in kwargs.items() if k not in self.excluded}
            pos = [i for i in range(len(args)) if i in self.excluded]
            if fixed or pos:
                inner, held = func, {i: args[i] for i in pos}

                def func(*vals, **kw):
                    it = iter(vals)
                    full = [held[i] if i in held else next(it) for i in range(len(vals) + len(held))]
                    kw.update(fixed)
                    return inner(*full, **kw)

                args = tuple(a for i, a in enumerate(args) if i not in held)
        names = list(kwargs)
        arrays = broadcast_arrays(*[asarray(a) for a in args] + [asarray(kwargs[k]) for k in names])
        if not arrays:
            return func()
        shape = arrays[0].shape
        flats = [a.ravel() for a in arrays]
        n = flats[0].size
        npos = len(args)

        def call(i):
            vals = [f[i] for f in flats]
            return func(*vals[:npos], **dict(zip(names, vals[npos:])))

        otypes = self.otypes
        if n == 0:
            if otypes is None:
                raise ValueError("cannot call `vectorize` on size 0 inputs unless `otypes` is set")
            outs = [[] for _ in otypes]
            first = None
        else:
            first = call(0)
            if otypes is None:
                firsts = first if isinstance(first, tuple) else (first,)
                otypes = [asarray(v).dtype for v in firsts]
                if not self.cache:
                    first = call(0)  # numpy calls it once more (the ufunc's first element)
            results = [first] + [call(i) for i in range(1, n)]
            if isinstance(first, tuple):
                outs = [[r[k] for r in results] for k in range(len(first))]
            else:
                outs = [results]
        arrs = [array(o, dtype=t).reshape(shape) for o, t in zip(outs, otypes)]
        if len(arrs) == 1 and not isinstance(first, tuple):
            return arrs[0]
        return tuple(arrs)


def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    arr = asarray(arr)
    nd = arr.ndim
    axis = _axis(axis, nd)
    inarr = moveaxis(arr, axis, -1)
    outer = inarr.shape[:-1]
    idxs = list(ndindex(outer))
    if not idxs:
        raise ValueError("Cannot apply_along_axis when any iteration dimensions are 0")
    res = asarray(func1d(inarr[idxs[0]], *args, **kwargs))
    buff = zeros(outer + res.shape, res.dtype)
    buff[idxs[0]] = res
    for ind in idxs[1:]:
        buff[ind] = asarray(func1d(inarr[ind], *args, **kwargs))
    dims = list(range(buff.ndim))
    perm = dims[0:axis] + dims[buff.ndim - res.ndim:buff.ndim] + dims[axis:buff.ndim - res.ndim]
    return buff.transpose(perm)


def fromfunction(function, shape, *, dtype=float, **kwargs):
    return function(*indices(shape, dtype=dtype), **kwargs)


def piecewise(x, condlist, funclist, *args, **kw):
    x = asarray(x)
    n2 = len(funclist)
    if isscalar(condlist) or (not isinstance(condlist[0], (list, ndarray)) and x.ndim != 0):
        condlist = [condlist]
    condlist = asarray(condlist, dtype=bool)
    n = len(condlist)
    if n == n2 - 1:
        condelse = ~any(condlist, axis=0, keepdims=True)
        condlist = concatenate([condlist, condelse], axis=0)
        n += 1
    elif n != n2:
        raise ValueError("with {} condition(s), either {} or {} functions are expected".format(n, n, n + 1))
    y = zeros_like(x)
    for cond, func in zip(condlist, funclist):
        if not callable(func):
            y[cond] = func
        else:
            vals = x[cond]
            if vals.size > 0:
                y[cond] = func(vals, *args, **kw)
    return y


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if len(condlist) == 0:
        raise ValueError("select with an empty condition list is not possible")
    choicelist = [asarray(choice) for choice in choicelist]
    try:
        intermediate_dtype = result_type(*choicelist)
    except TypeError as e:
        raise TypeError("Choicelist elements do not have a common dtype: " + str(e))
    default_array = asarray(default)
    choicelist.append(default_array)
    dt = result_type(intermediate_dtype, default_array)
    condlist = [asarray(cond) for cond in condlist]
    for i, cond in enumerate(condlist):
        if cond.dtype != bool_:
            raise TypeError("invalid entry {} in condlist: should be boolean ndarray".format(i))
    arrays = broadcast_arrays(*(condlist + choicelist))
    conds, choices = arrays[:len(condlist)], arrays[len(condlist):]
    result = choices[-1].astype(dt)
    for cond, choice in zip(conds[::-1], choices[-2::-1]):
        result = where(cond, choice.astype(dt), result)
    return result


def choose(a, choices, out=None, mode="raise"):
    a = asarray(a)
    choices = [asarray(c) for c in choices]
    arrays = broadcast_arrays(a, *choices)
    idx, chs = arrays[0], arrays[1:]
    n = len(chs)
    if mode == "raise":
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise ValueError("invalid entry in choice array")
    elif mode == "wrap":
        idx = idx % n
    elif mode == "clip":
        idx = clip(idx, 0, n - 1)
    else:
        raise ValueError("clipmode must be one of 'clip', 'raise', or 'wrap' (got %r)" % (mode,))
    dt = result_type(*chs)
    stacked = stack([c.astype(dt) for c in chs])
    r = take_along_axis(stacked, idx.astype(int64)[None], 0)[0]
    if out is not None:
        out[...] = r
        return out
    return _scalar_of(r)


def argwhere(a):
    a = asarray(a)
    if a.ndim == 0:
        return stack(list(nonzero(a.reshape(1)))).T[:, :0]
    return stack(list(nonzero(a))).T


def extract(condition, arr):
    return asarray(arr).ravel()[nonzero(asarray(condition).ravel())[0]]


def place(arr, mask, vals):
    if not isinstance(arr, ndarray):
        raise TypeError("argument 1 must be numpy.ndarray, not " + type(arr).__name__)
    m = asarray(mask, dtype=bool)
    n = int(m.sum())
    vals = asarray(vals).ravel()
    if n == 0:
        return None
    if vals.size == 0:
        raise ValueError("Cannot insert from an empty array!")
    arr[m] = resize(vals, n)


def put(a, ind, v, mode="raise"):
    if not isinstance(a, ndarray):
        raise TypeError("argument 1 must be numpy.ndarray, not " + type(a).__name__)
    ind = asarray(ind, dtype=int64).ravel()
    size = a.size
    if mode == "raise":
        for i in ind.tolist():
            if i < -size or i >= size:
                raise IndexError("index %d is out of bounds for axis 0 with size %d" % (i, size))
        ind = where(ind < 0, ind + size, ind)
    elif mode == "wrap":
        ind = ind % size
    elif mode == "clip":
        ind = clip(ind, 0, size - 1)
    v = asarray(v).ravel()
    if ind.size == 0 or v.size == 0:
        return None
    a[unravel_index(ind, a.shape)] = resize(v, ind.size)


def put_along_axis(arr, indices, values, axis):
    arr = asarray(arr)
    indices = asarray(indices)
    if axis is None:
        raise NotImplementedError("tsr's numpy: put_along_axis(axis=None) is not supported")
    if indices.ndim != arr.ndim:
        raise ValueError("`indices` and `arr` must have the same number of dimensions")
    axis = _axis(axis, arr.ndim)
    fancy = []
    for dim in range(arr.ndim):
        if dim == axis:
            fancy.append(indices)
        else:
            shape = [1] * arr.ndim
            shape[dim] = arr.shape[dim]
            fancy.append(arange(arr.shape[dim]).reshape(shape))
    arr[tuple(fancy)] = values


def copyto(dst, src, casting="same_kind", where=True):
    if not isinstance(dst, ndarray):
        raise TypeError("copyto() argument 1 must be numpy.ndarray, not " + type(dst).__name__)
    scalar = type(src) in (int, float, bool)
    src = asarray(src)
    if not can_cast(src if scalar else src.dtype, dst.dtype, casting):
        raise TypeError("Cannot cast %s from dtype('%s') to dtype('%s') according to the rule '%s'"
                        % ("scalar" if scalar else "array data", src.dtype, dst.dtype, casting))
    if not _fits(src.shape, dst.shape):
        raise ValueError("could not broadcast input array from shape %s into shape %s"
                         % (_shape_text(src.shape), _shape_text(dst.shape)))
    _put_where(dst, src, where)


def broadcast_arrays(*args, subok=False):
    args = [asarray(a) for a in args]
    shape = ()
    for a in args:
        s = a.shape
        if len(s) > len(shape):
            shape = (1,) * (len(s) - len(shape)) + shape
        s = (1,) * (len(shape) - len(s)) + s
        out = []
        for x, y in zip(shape, s):
            if x != y and x != 1 and y != 1:
                raise ValueError("shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is "
                                 "between arg 0 with shape %s and arg %d with shape %s."
                                 % (_shape_text(args[0].shape), args.index(a), _shape_text(a.shape)))
            out.append(y if x == 1 else x)
        shape = tuple(out)
    return [a if a.shape == shape else broadcast_to(a, shape) for a in args]


def ascontiguousarray(a, dtype=None):
    return array(a, dtype=dtype, copy=False, ndmin=1)


def array_equiv(a1, a2):
    try:
        a1, a2 = asarray(a1), asarray(a2)
    except Exception:
        return False
    try:
        x, y = broadcast_arrays(a1, a2)
    except ValueError:
        return False
    return bool((x == y).all())


def iterable(y):
    try:
        iter(y)
    except TypeError:
        return False
    return True


def vdot(a, b):
    a = asarray(a).ravel()
    if a.dtype in (complex128, complex64):  # numpy's vdot conjugates a (zdotc)
        a = conjugate(a)
    return dot(a, asarray(b).ravel())


def _correlate_modes(mode):
    if mode in ("valid", "v", 0):
        return 0
    if mode in ("same", "s", 1):
        return 1
    if mode in ("full", "f", 2):
        return 2
    raise ValueError("mode must be one of 'valid', 'same', or 'full' (got %r)" % (mode,))


def _correlate(a, v, mode):
    """numpy's _pyarray_correlate: sliding dot products of 1-d a and v"""
    n, m = a.size, v.size
    swapped = m > n
    if swapped:
        a, v, n, m = v, a, m, n
    if mode == 0:
        left, length = 0, n - m + 1
    elif mode == 1:
        left, length = m // 2, n
    else:
        left, length = m - 1, n + m - 1
    dt = result_type(a, v)
    out = zeros(length, dtype=dt)
    for i in range(length):
        k = i - left
        lo, hi = k if k > 0 else 0, k + m if k + m < n else n  # (max and min are numpy's here)
        out[i] = dot(a[lo:hi], v[lo - k:hi - k])
    return out[::-1].copy() if swapped else out


def correlate(a, v, mode="valid"):
    a, v = asarray(a), asarray(v)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError("object too deep for desired array")
    if a.size == 0:
        raise ValueError("a cannot be empty")
    if v.size == 0:
        raise ValueError("v cannot be empty")
    return _correlate(a, v, _correlate_modes(mode))


def convolve(a, v, mode="full"):
    a, v = array(a, copy=False, ndmin=1), array(v, copy=False, ndmin=1)
    if len(v) > len(a):
        a, v = v, a
    if len(a) == 0:
        raise ValueError("a cannot be empty")
    if len(v) == 0:
        raise ValueError("v cannot be empty")
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError("object too deep for desired array")
    return _correlate(a, v[::-1].copy(), _correlate_modes(mode))


def fix(x, out=None):
    res = asarray(ceil(x, out=out))
    res = floor(x, out=res, where=greater_equal(x, 0))
    if out is None and isinstance(res, ndarray) and res.ndim == 0:
        res = res[()]
    return res


def sinc(x):
    x = asarray(x)
    y = pi * where(x == 0, 1.0e-20, x)
    return sin(y) / y


def trim_zeros(filt, trim="fb"):
    first = 0
    trim = trim.upper()
    if "F" in trim:
        for i in filt:
            if i != 0.0:
                break
            first = first + 1
    last = len(filt)
    if "B" in trim:
        for i in filt[::-1]:
            if i != 0.0:
                break
            last = last - 1
    return filt[first:last]


def _nan_filled(a, fill):
    a = asarray(a)
    if a.dtype not in (float64, float32, float16):
        return a, None
    mask = isnan(a)
    return where(mask, fill, a).astype(a.dtype), mask


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False):
    a, _ = _nan_filled(a, 1)
    return prod(a, axis=axis, dtype=dtype, out=out, keepdims=keepdims)


def nancumsum(a, axis=None, dtype=None, out=None):
    a, _ = _nan_filled(a, 0)
    return cumsum(a, axis=axis, dtype=dtype)


def nancumprod(a, axis=None, dtype=None, out=None):
    a, _ = _nan_filled(a, 1)
    return cumprod(a, axis=axis, dtype=dtype)


def _nanarg(a, axis, keepdims, fill, fn):
    a = asarray(a)
    filled, mask = _nan_filled(a, fill)
    if mask is not None and any(all(mask, axis=axis)):
        raise ValueError("All-NaN slice encountered")
    return fn(filled, axis=axis, keepdims=keepdims)


def nanargmax(a, axis=None, out=None, *, keepdims=False):
    return _nanarg(a, axis, keepdims, -inf, argmax)


def nanargmin(a, axis=None, out=None, *, keepdims=False):
    return _nanarg(a, axis, keepdims, inf, argmin)


def _view_method(a, dtype=None, type=None):
    if dtype is not None and dtype != a.dtype:
        raise NotImplementedError("tsr's numpy: a.view(dtype) reinterpreting memory is not supported")
    return a[...]
