# numpy/functional.py: numpy 1.24's functions over Python callables and
# choices (numpy/lib/function_base.py, shape_base.py, core/numeric.py,
# core/fromnumeric.py): vectorize, apply_along_axis, fromfunction,
# piecewise, select, choose, put/place/extract/copyto, the dtype helpers
# finfo, iinfo, isscalar, and small functions tutorials reach (argwhere,
# convolve, vdot, fix, sinc, binary_repr, ...). It runs into the numpy
# module's members at `import numpy`.

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


# ------------------------------------------------------------ dtype information

_NP_SCALAR_TYPES = (float64, float32, float16, int64, int32, int16, int8, uint8, bool_)


def isscalar(element):
    return type(element) in (int, float, bool, str) or type(element) in _NP_SCALAR_TYPES


# (bits, precision, machep, negep, minexp, maxexp, nexp, nmant, iexp, repr, str's numbers)
_FINFO = {
    "float64": (64, 15, -52, -53, -1022, 1024, 11, 52,
                "finfo(resolution=1e-15, min=-1.7976931348623157e+308, max=1.7976931348623157e+308, dtype=float64)",
                ("1.0000000000000001e-15", "2.2204460492503131e-16", "1.1102230246251565e-16",
                 "2.2250738585072014e-308", "1.7976931348623157e+308", "4.9406564584124654e-324")),
    "float32": (32, 6, -23, -24, -126, 128, 8, 23,
                "finfo(resolution=1e-06, min=-3.4028235e+38, max=3.4028235e+38, dtype=float32)",
                ("1.0000000e-06", "1.1920929e-07", "5.9604645e-08", "1.1754944e-38", "3.4028235e+38",
                 "1.4012985e-45")),
    "float16": (16, 3, -10, -11, -14, 16, 5, 10,
                "finfo(resolution=0.001, min=-6.55040e+04, max=6.55040e+04, dtype=float16)",
                ("1.00040e-03", "9.76562e-04", "4.88281e-04", "6.10352e-05", "6.55040e+04", "5.96046e-08")),
}


def _dtype_arg(t):
    if isinstance(t, ndarray) or type(t) in _NP_SCALAR_TYPES:
        return t.dtype
    return dtype(t)


class finfo:
    """machine limits of a float dtype"""

    def __init__(self, dtype):
        d = _dtype_arg(float64 if dtype is None else dtype)
        row = _FINFO.get(str(d))
        if row is None:
            raise ValueError("data type %r not inexact" % (dtype,))
        self.dtype = d
        (self.bits, self.precision, self.machep, self.negep, self.minexp, self.maxexp, self.nexp,
         self.nmant, self._repr, self._strs) = row
        t = d.type
        self.iexp = self.nexp
        self.eps = t(2.0 ** self.machep)
        self.epsneg = t(2.0 ** self.negep)
        self.tiny = t(2.0 ** self.minexp)
        self.smallest_normal = self.tiny
        self.smallest_subnormal = t(2.0 ** (self.minexp - self.nmant))
        self.max = t((2.0 - 2.0 ** self.machep) * 2.0 ** (self.maxexp - 1))
        self.min = -self.max
        self.resolution = t(10.0 ** -self.precision)

    def __repr__(self):
        return self._repr

    def __str__(self):
        res, eps, epsneg, tiny, mx, sub = self._strs
        return ("Machine parameters for %s\n"
                "---------------------------------------------------------------\n"
                "precision = %3s   resolution = %s\n"
                "machep = %6s   eps =        %s\n"
                "negep =  %6s   epsneg =     %s\n"
                "minexp = %6s   tiny =       %s\n"
                "maxexp = %6s   max =        %s\n"
                "nexp =   %6s   min =        -max\n"
                "smallest_normal = %s   smallest_subnormal = %s\n"
                "---------------------------------------------------------------\n"
                % (self.dtype, self.precision, res, self.machep, eps, self.negep, epsneg, self.minexp, tiny,
                   self.maxexp, mx, self.nexp, tiny, sub))


class iinfo:
    """machine limits of an integer dtype"""

    def __init__(self, int_type):
        d = _dtype_arg(int_type)
        self.dtype = d
        self.kind = d.kind
        if self.kind not in ("i", "u"):
            raise ValueError("Invalid integer data type %r." % (self.kind,))
        self.bits = d.itemsize * 8
        if self.kind == "u":
            self.min = 0
            self.max = 2 ** self.bits - 1
        else:  # (2 ** 63 is past tsr's 64-bit ints)
            self.max = ((1 << (self.bits - 2)) - 1) * 2 + 1
            self.min = -self.max - 1

    def __repr__(self):
        return "iinfo(min=%d, max=%d, dtype=%s)" % (self.min, self.max, self.dtype)

    def __str__(self):
        return ("Machine parameters for %s\n"
                "---------------------------------------------------------------\n"
                "min = %d\nmax = %d\n"
                "---------------------------------------------------------------\n" % (self.dtype, self.min, self.max))


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
    return dot(asarray(a).ravel(), asarray(b).ravel())


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


def binary_repr(num, width=None):
    num = int(num)
    if num == 0:
        return "0" * (width or 1)
    if num > 0:
        binary = bin(num)[2:]
        outwidth = len(binary) if width is None or width < len(binary) else width
        return binary.zfill(outwidth)
    if width is None:
        return "-" + bin(-num)[2:]
    poswidth = len(bin(-num)[2:])
    if 2 ** (poswidth - 1) == -num:
        poswidth -= 1
    binary = bin(2 ** (poswidth + 1) + num)[2:]
    return "1" * (width - len(binary) if width > len(binary) else 0) + binary


def base_repr(number, base=2, padding=0):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if base > len(digits):
        raise ValueError("Bases greater than 36 not handled in base_repr.")
    if base < 2:
        raise ValueError("Bases less than 2 not handled in base_repr.")
    num = int(number) if number >= 0 else -int(number)
    res = []
    while num:
        res.append(digits[num % base])
        num //= base
    if padding:
        res.append("0" * padding)
    if number < 0:
        res.append("-")
    return "".join(reversed(res or "0"))


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


class printoptions:
    """with np.printoptions(precision=3): np.set_printoptions for the block"""

    def __init__(self, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs

    def __enter__(self):
        self.opts = get_printoptions()
        set_printoptions(*self.args, **self.kwargs)
        return get_printoptions()

    def __exit__(self, *exc_info):
        changed = list(self.kwargs) + ["precision", "threshold", "edgeitems", "linewidth", "suppress", "nanstr",
                                       "infstr"][:len(self.args)]
        set_printoptions(**{k: self.opts[k] for k in changed if k in self.opts})


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


def compress(condition, a, axis=None, out=None):
    a = asarray(a)
    condition = asarray(condition, dtype=bool).ravel()
    if axis is None:
        a, axis = a.ravel(), 0
    n = a.shape[_axis(axis, a.ndim)]
    if condition.size > n:
        raise IndexError("index %d is out of bounds for axis %d with size %d"
                         % (nonzero(condition)[0][-1], _axis(axis, a.ndim), n))
    return take(a, nonzero(condition)[0], axis)


def _compress_method(a, condition, axis=None, out=None):
    return compress(condition, a, axis, out)


def _view_method(a, dtype=None, type=None):
    if dtype is not None and dtype != a.dtype:
        raise NotImplementedError("tsr's numpy: a.view(dtype) reinterpreting memory is not supported")
    return a[...]


def array_repr(arr, max_line_width=None, precision=None, suppress_small=None):
    with printoptions(**_print_kwargs(max_line_width, precision, suppress_small)):
        return repr(asarray(arr))


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    with printoptions(**_print_kwargs(max_line_width, precision, suppress_small)):
        return str(asarray(a))


def array2string(a, max_line_width=None, precision=None, suppress_small=None, separator=" ", prefix="",
                 style=None, formatter=None, threshold=None, edgeitems=None, sign=None, floatmode=None,
                 suffix="", *, legacy=None):
    if separator != " " or prefix or suffix or formatter is not None or sign is not None or floatmode is not None:
        raise NotImplementedError("tsr's numpy: array2string's separator, prefix, suffix, formatter, sign and "
                                  "floatmode are not supported")
    kw = _print_kwargs(max_line_width, precision, suppress_small)
    if threshold is not None:
        kw["threshold"] = threshold
    if edgeitems is not None:
        kw["edgeitems"] = edgeitems
    a = asarray(a)
    with printoptions(**kw):
        return str(a) if a.ndim else repr(a[()])


def _print_kwargs(max_line_width, precision, suppress_small):
    kw = {}
    if max_line_width is not None:
        kw["linewidth"] = max_line_width
    if precision is not None:
        kw["precision"] = precision
    if suppress_small is not None:
        kw["suppress"] = suppress_small
    return kw


def lexsort(keys, axis=-1):
    if isinstance(keys, tuple) or isinstance(keys, list):
        keys = [asarray(k) for k in keys]
    else:
        keys = asarray(keys)
        keys = [k for k in keys] if keys.ndim else []
    if not keys:
        raise TypeError("need sequence of keys with len > 0 in lexsort")
    keys = broadcast_arrays(*keys)
    if keys[0].ndim == 0:
        raise AxisError("axis -1 is out of bounds for array of dimension 0")
    ax = _axis(axis, keys[0].ndim)
    idx = None
    for k in keys:
        k = moveaxis(k, ax, -1)
        if idx is None:
            idx = argsort(k, axis=-1, kind="stable")
        else:
            idx = take_along_axis(idx, argsort(take_along_axis(k, idx, -1), axis=-1, kind="stable"), -1)
    return moveaxis(idx, -1, ax)


_unique_values = unique


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True):
    ar = asarray(ar)
    if axis is not None:
        return _unique_axis(ar, axis, return_index, return_inverse, return_counts)
    if not (return_index or return_inverse or return_counts) and ar.dtype not in (float64, float32, float16):
        return _unique_values(ar)
    ar = ar.ravel()
    if return_index or return_inverse:
        perm = argsort(ar, kind="stable")
        aux = ar[perm]
    else:
        aux = sort(ar)
    mask = empty(aux.shape, dtype=bool)
    mask[:1] = True
    if equal_nan and aux.shape[0] > 0 and aux.dtype in (float64, float32, float16) and isnan(aux[-1]):
        aux_firstnan = int(searchsorted(aux, aux[-1], side="left"))
        if aux_firstnan > 0:
            mask[1:aux_firstnan] = aux[1:aux_firstnan] != aux[:aux_firstnan - 1]
        mask[aux_firstnan] = True
        mask[aux_firstnan + 1:] = False
    else:
        mask[1:] = aux[1:] != aux[:-1]
    ret = (aux[mask],)
    if return_index:
        ret += (perm[mask],)
    if return_inverse:
        imask = cumsum(mask) - 1
        inv_idx = empty(mask.shape, dtype=int64)
        inv_idx[perm] = imask
        ret += (inv_idx,)
    if return_counts:
        idx = concatenate(nonzero(mask) + (array([mask.size]),))
        ret += (diff(idx),)
    return ret[0] if len(ret) == 1 else ret


def _unique_axis(ar, axis, return_index, return_inverse, return_counts):
    axis = _axis(axis, ar.ndim)
    moved = moveaxis(ar, axis, 0)
    rest = moved.shape[1:]
    rows = moved.reshape(moved.shape[0], -1)
    n = rows.shape[0]
    if rows.shape[1] == 0:
        order = arange(n)
    else:
        order = lexsort([rows[:, j] for j in range(rows.shape[1] - 1, -1, -1)])
    srt = rows[order]
    mask = empty(n, dtype=bool)
    mask[:1] = True
    if n > 1:
        mask[1:] = (srt[1:] != srt[:-1]).any(axis=1)
    uniq = moveaxis(srt[mask].reshape((-1,) + rest), 0, axis)
    ret = (uniq,)
    if return_index:
        ret += (order[mask],)
    if return_inverse:
        inv = empty(n, dtype=int64)
        inv[order] = cumsum(mask) - 1
        ret += (inv,)
    if return_counts:
        idx = concatenate(nonzero(mask) + (array([n]),))
        ret += (diff(idx),)
    return ret[0] if len(ret) == 1 else ret


def setxor1d(ar1, ar2, assume_unique=False):
    if not assume_unique:
        ar1 = unique(ar1)
        ar2 = unique(ar2)
    aux = concatenate((ar1, ar2))
    if aux.size == 0:
        return aux
    aux = sort(aux)
    flag = concatenate(([True], aux[1:] != aux[:-1], [True]))
    return aux[flag[1:] & flag[:-1]]
