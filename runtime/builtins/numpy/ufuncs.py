# numpy/ufuncs.py: numpy 1.24's ufunc objects over tsr's elementwise
# functions (numpy_functions.c, numpy_ufuncs.c): the call's keywords out=,
# where=, dtype= and casting= (numpy/core/src/umath/ufunc_object.c), the
# methods reduce, accumulate and outer, and np.errstate
# (numpy/core/_ufunc_config.py) over np.seterr/np.seterrcall
# (numpy_fpe.c). It runs last into the numpy module's members at
# `import numpy`, so np.add, np.sqrt, ... become ufuncs.

_UFUNC_KEYWORDS = ("out", "where", "casting", "order", "dtype", "subok", "signature", "extobj")


def _fits(shape, target):
    """whether an array of shape broadcasts to target unchanged"""
    if len(shape) > len(target):
        return False
    for s, t in zip(reversed(shape), reversed(target)):
        if s != t and s != 1:
            return False
    return True


def _out_arg(out, positional):
    """the one output array of out= (an array, a 1-tuple, None)"""
    if out is None:
        return None
    if isinstance(out, tuple) and not positional:
        if len(out) != 1:
            raise ValueError("The 'out' tuple must have exactly one entry per ufunc output")
        out = out[0]
        if out is None:
            return None
    if not isinstance(out, ndarray):
        raise TypeError("return arrays must be of ArrayType")
    return out


def _write_out(name, r, out, where, casting):
    """r written into out where `where` holds, as numpy's ufuncs do"""
    r = asarray(r)
    _ufunc_cast(name, r.dtype, out.dtype, casting, -1)
    if not _fits(r.shape, out.shape):
        raise ValueError("non-broadcastable output operand with shape %s doesn't match the broadcast shape %s"
                         % (_shape_text(out.shape), _shape_text(r.shape)))
    _put_where(out, r, where)
    return out


def _put_where(dst, src, where):
    """dst[...] = src where `where` (broadcast) holds, src cast to dst's dtype"""
    if type(where) in (bool, int):  # a Python scalar casts to bool
        if not where:
            return
        where = True
    if where is True:
        dst[...] = src
        return
    w = asarray(where)
    if w.dtype != bool_:
        raise TypeError("Cannot cast array data from dtype('%s') to dtype('bool') according to the rule 'safe'"
                        % w.dtype)
    w = broadcast_to(w, dst.shape)
    dst[w] = broadcast_to(src.astype(dst.dtype), dst.shape)[w]


_select = where  # np.where (ufunc methods take a where= of their own)


class ufunc:
    """numpy's universal function: an elementwise function of nin arrays"""

    def __init__(self, name, fn, nin, identity=None, nout=1):
        self.__name__ = name
        self._fn = fn
        self.nin = nin
        self.nout = nout
        self.nargs = nin + nout
        self.identity = identity

    def __repr__(self):
        return "<ufunc '" + self.__name__ + "'>"

    def __call__(self, *args, **kwargs):
        if not kwargs and len(args) == self.nin:
            return self._fn(*args)
        name, nin, nout = self.__name__, self.nin, self.nout
        if len(args) < nin or len(args) > nin + nout:
            raise TypeError("%s() takes from %d to %d positional arguments but %d were given"
                            % (name, nin, nin + nout, len(args)))
        for k in kwargs:
            if k not in _UFUNC_KEYWORDS:
                raise TypeError("%s() got an unexpected keyword argument '%s'" % (name, k))
        if len(args) > nin:
            if "out" in kwargs:
                raise TypeError("cannot specify 'out' as both a positional and keyword argument")
            outs = [_out_arg(o, True) for o in args[nin:]]
        elif nout > 1 and kwargs.get("out") is not None:
            outs = kwargs["out"]
            if not isinstance(outs, tuple):
                raise TypeError("'out' must be a tuple of arrays")
            if len(outs) != nout:
                raise ValueError("The 'out' tuple must have exactly one entry per ufunc output")
            outs = [_out_arg(o, True) for o in outs]
        else:
            outs = [_out_arg(kwargs.get("out"), False)]
        outs = outs + [None] * (nout - len(outs))
        where = kwargs.get("where", True)
        casting = kwargs.get("casting", "same_kind")
        _ufunc_cast(name, bool_, bool_, casting, 0)  # checks the name of the rule
        dt = kwargs.get("dtype")
        inputs = args[:nin]
        if dt is not None:
            dt = dtype(dt)
            cast = []
            for i, x in enumerate(inputs):
                x = asarray(x)
                _ufunc_cast(name, x.dtype, dt, casting, i)
                cast.append(x.astype(dt))
            inputs = cast
        if type(where) not in (bool, int) and outs[0] is not None and not _fits(asarray(where).shape, outs[0].shape):
            raise ValueError("operands could not be broadcast together with shapes "
                             + "".join(_shape_text(asarray(x).shape) + " " for x in inputs)
                             + "".join(_shape_text(o.shape) + " " for o in outs) + _shape_text(asarray(where).shape) + " ")
        r = self._fn(*inputs)
        rs = r if nout > 1 else (r,)
        if dt is not None and asarray(rs[0]).dtype != dt:  # (float math of integers, divide, predicates)
            raise TypeError("No loop matching the specified signature and casting was found for ufunc " + name)
        rs = tuple(x if o is None else _write_out(name, x, o, where, casting) for x, o in zip(rs, outs))
        return rs if nout > 1 else rs[0]

    def _binary(self, what):
        if self.nin != 2:
            raise ValueError(what + " only supported for binary functions")

    def reduce(self, array, axis=0, dtype=None, out=None, keepdims=False, initial=None, where=True):
        self._binary("reduce")
        name = self.__name__
        a = asarray(array)
        out = _out_arg(out, False)
        if where is not True:
            fill = self.identity if self.identity is not None else initial
            if fill is None:
                raise ValueError("reduction operation '%s' does not have an identity, so to use a where mask one "
                                 "has to specify 'initial'" % name)
            a = _select(broadcast_to(asarray(where), a.shape), a, fill)
        fast = {"add": _add_reduce, "multiply": _multiply_reduce}.get(name)
        if fast is not None:
            r = fast(a, axis, dtype, keepdims=keepdims)
        elif name in ("maximum", "minimum") and dtype is None:
            r = a.max(axis, keepdims=keepdims) if name == "maximum" else a.min(axis, keepdims=keepdims)
        elif name in ("logical_and", "logical_or") and dtype is None:
            r = a.all(axis, keepdims=keepdims) if name == "logical_and" else a.any(axis, keepdims=keepdims)
        else:
            r = self._fold(a, axis, dtype, keepdims)
        if initial is not None:
            r = self(initial, r)
        if out is None:
            return r
        return _write_out(name, r, out, True, "unsafe")

    def _fold(self, a, axis, dt, keepdims):
        """reduce one step at a time along one axis (or all, flattened)"""
        if dt is not None:
            a = a.astype(dt)
        if axis is None:
            a, axis = a.ravel(), 0
        a = moveaxis(a, _axis(axis, a.ndim), 0)
        if a.shape[0] == 0:
            if self.identity is None:
                raise ValueError("zero-size array to reduction operation %s which has no identity" % self.__name__)
            r = full(a.shape[1:], self.identity)
        else:
            r = a[0]
            for i in range(1, a.shape[0]):
                r = self(r, a[i])
        if keepdims:
            r = expand_dims(asarray(r), _axis(axis, r.ndim + 1))
        return r

    def accumulate(self, array, axis=0, dtype=None, out=None):
        self._binary("accumulate")
        name = self.__name__
        a = asarray(array)
        if a.ndim == 0:
            raise TypeError("cannot accumulate on a scalar")
        out = _out_arg(out, False)
        if name == "add":
            r = cumsum(a, axis, dtype)
        elif name == "multiply":
            r = cumprod(a, axis, dtype)
        else:
            if dtype is not None:
                a = a.astype(dtype)
            axis = _axis(axis, a.ndim)
            m = moveaxis(a, axis, 0)
            parts = [m[0]]
            for i in range(1, m.shape[0]):
                parts.append(self(parts[-1], m[i]))
            r = moveaxis(stack(parts), 0, axis) if parts else a.copy()
        if out is None:
            return r
        return _write_out(name, r, out, True, "unsafe")

    def reduceat(self, array, indices, axis=0, dtype=None, out=None):
        """reduce over the slices indices[i]:indices[i + 1] along axis (the
        last to the end); a slice that is empty or runs backwards gives
        a[indices[i]] itself, in the reduction's dtype"""
        self._binary("reduceat")
        name = self.__name__
        a = asarray(array)
        if a.ndim == 0:
            raise TypeError("cannot reduceat on a scalar")
        ind = asarray(indices)
        if ind.ndim > 1:
            raise ValueError("object too deep for desired array")
        ind = ind.reshape(-1).astype(int64).tolist()
        out = _out_arg(out, False)
        axis = _axis(axis, a.ndim)
        n = a.shape[axis]
        for i in ind:
            if i < 0 or i >= n:
                raise IndexError("index %d out-of-bounds in %s.reduceat [0, %d)" % (i, name, n))
        m = moveaxis(a, axis, 0)
        parts = []
        for k in range(len(ind)):
            s = ind[k]
            e = ind[k + 1] if k + 1 < len(ind) else n
            r = self.reduce(m[s:s + 1], 0, dtype)
            if e - s > 1 and name == "add":  # a[s] + the pairwise sum of the rest along the axis
                r = r + self.reduce(ascontiguousarray(moveaxis(m[s + 1:e], 0, -1)), -1, dtype)
            elif e - s > 1:
                r = self.reduce(m[s:e], 0, dtype)
            parts.append(r)
        if parts:
            r = moveaxis(stack(parts), 0, axis)
        else:  # no indices: an empty axis of the reduction's dtype
            one = self.reduce(m[0:1], 0, dtype) if n else self.reduce(zeros((1,) + m.shape[1:], m.dtype), 0, dtype)
            r = moveaxis(zeros((0,) + one.shape, one.dtype), 0, axis)
        if out is None:
            return r
        return _write_out(name, r, out, True, "unsafe")

    def at(self, a, indices, b=None):
        """a[indices] = self(a[indices], b), unbuffered: repeated indices
        apply again"""
        if not isinstance(a, ndarray):
            raise TypeError("at() argument 1 must be numpy.ndarray, not " + type(a).__name__)
        if (b is None) != (self.nin == 1):
            raise ValueError("second operand needed for ufunc" if b is None else
                             "second operand provided when ufunc is unary")
        if not isinstance(indices, tuple):
            indices = (indices,)
        parts = []
        for ix in indices:
            if isinstance(ix, slice) or ix is Ellipsis:
                raise NotImplementedError("tsr's numpy: ufunc.at with slices is not supported")
            parts.append(asarray(ix))
        parts = broadcast_arrays(*parts)
        n = parts[0].size
        if n == 0:
            return None
        flat = [p.ravel().tolist() for p in parts]
        sub_shape = asarray(a[tuple(f[0] for f in flat)]).shape
        if b is not None:
            vals = broadcast_to(asarray(b), parts[0].shape + sub_shape).reshape((n,) + sub_shape)
        for k in range(n):
            idx = tuple(f[k] for f in flat)
            r = self(a[idx]) if b is None else self(a[idx], vals[k])
            a[idx] = r

    def outer(self, A, B, **kwargs):
        self._binary("outer product")
        A, B = asarray(A), asarray(B)
        return self(A.reshape(A.shape + (1,) * B.ndim), B, **kwargs)


def _scalar(r):
    return r[()] if isinstance(r, ndarray) and r.ndim == 0 else r


def bitwise_and(x1, x2):
    return asarray(x1) & x2


def bitwise_or(x1, x2):
    return asarray(x1) | x2


def bitwise_xor(x1, x2):
    return asarray(x1) ^ x2


def left_shift(x1, x2):
    return asarray(x1) << x2


def right_shift(x1, x2):
    return asarray(x1) >> x2


def invert(x):
    return ~asarray(x)


def positive(x):
    x = asarray(x)
    if x.dtype == bool_:
        raise TypeError("ufunc 'positive' did not contain a loop with signature matching types "
                        "<class 'numpy.dtype[bool_]'> -> None")
    return _scalar(x.copy())


def signbit(x):
    x = asarray(x)
    if x.dtype in (complex64, complex128):
        raise TypeError("ufunc 'signbit' not supported for the input types, and the inputs could not be safely "
                        "coerced to any supported types according to the casting rule ''safe''")
    if x.dtype in (float64, float32, float16):
        return copysign(1.0, x) < 0
    return x < 0


def _float_of(x):
    """x as an array of numpy's float dtype for its dtype (float math)"""
    x = asarray(x)
    if x.dtype in (float64, float32, float16):
        return x
    return x.astype(float16 if x.dtype in (bool_, int8, uint8) else float32 if x.dtype == int16 else float64)


def float_power(x1, x2):
    x1, x2 = asarray(x1), asarray(x2)
    if x1.dtype in (complex64, complex128) or x2.dtype in (complex64, complex128):
        return power(x1.astype(float64), x2.astype(float64))
    return _float_power(x1, x2)  # numpy's 'd' loop: the C library's pow


def modf(x):
    x = _float_of(x)
    with errstate(invalid="ignore"):
        i = trunc(x)
        f = where(isinf(x), copysign(zeros_like(x), x), x - i)
    return _scalar(asarray(f, dtype=x.dtype)), _scalar(asarray(i))


def frexp(x):
    x = _float_of(x)
    m, e = _torch.frexp(_t(x))
    return _out(m), _out(e)


def ldexp(x1, x2):
    x1 = _float_of(x1)
    x2 = asarray(x2)
    if x2.dtype in (float64, float32, float16):
        raise TypeError("ufunc 'ldexp' not supported for the input types, and the inputs could not be safely "
                        "coerced to any supported types according to the casting rule ''safe''")
    return multiply(x1, power(asarray(2.0, dtype=x1.dtype), x2.astype(x1.dtype)))


def spacing(x):
    x = _float_of(x)
    return nextafter(x, copysign(asarray(inf, dtype=x.dtype), x)) - x


# tsr's elementwise functions that are numpy ufuncs: (name, nin, identity)
add = ufunc("add", add, 2, 0)
subtract = ufunc("subtract", subtract, 2, None)
multiply = ufunc("multiply", multiply, 2, 1)
divide = ufunc("divide", divide, 2, None)
power = ufunc("power", power, 2, None)
maximum = ufunc("maximum", maximum, 2, None)
minimum = ufunc("minimum", minimum, 2, None)
arctan2 = ufunc("arctan2", arctan2, 2, None)
hypot = ufunc("hypot", hypot, 2, 0)
logaddexp = ufunc("logaddexp", logaddexp, 2, None)
logaddexp2 = ufunc("logaddexp2", logaddexp2, 2, None)
copysign = ufunc("copysign", copysign, 2, None)
fmax = ufunc("fmax", fmax, 2, None)
fmin = ufunc("fmin", fmin, 2, None)
fmod = ufunc("fmod", fmod, 2, None)
remainder = ufunc("remainder", remainder, 2, None)
floor_divide = ufunc("floor_divide", floor_divide, 2, None)
equal = ufunc("equal", equal, 2, None)
not_equal = ufunc("not_equal", not_equal, 2, None)
less = ufunc("less", less, 2, None)
less_equal = ufunc("less_equal", less_equal, 2, None)
greater = ufunc("greater", greater, 2, None)
greater_equal = ufunc("greater_equal", greater_equal, 2, None)
logical_and = ufunc("logical_and", logical_and, 2, True)
logical_or = ufunc("logical_or", logical_or, 2, False)
logical_xor = ufunc("logical_xor", logical_xor, 2, False)
exp = ufunc("exp", exp, 1, None)
exp2 = ufunc("exp2", exp2, 1, None)
expm1 = ufunc("expm1", expm1, 1, None)
log = ufunc("log", log, 1, None)
log2 = ufunc("log2", log2, 1, None)
log10 = ufunc("log10", log10, 1, None)
log1p = ufunc("log1p", log1p, 1, None)
sqrt = ufunc("sqrt", sqrt, 1, None)
square = ufunc("square", square, 1, None)
reciprocal = ufunc("reciprocal", reciprocal, 1, None)
negative = ufunc("negative", negative, 1, None)
absolute = ufunc("absolute", absolute, 1, None)
conjugate = ufunc("conjugate", conjugate, 1, None)
fabs = ufunc("fabs", fabs, 1, None)
sign = ufunc("sign", sign, 1, None)
sin = ufunc("sin", sin, 1, None)
cos = ufunc("cos", cos, 1, None)
tan = ufunc("tan", tan, 1, None)
arcsin = ufunc("arcsin", arcsin, 1, None)
arccos = ufunc("arccos", arccos, 1, None)
arctan = ufunc("arctan", arctan, 1, None)
sinh = ufunc("sinh", sinh, 1, None)
cosh = ufunc("cosh", cosh, 1, None)
tanh = ufunc("tanh", tanh, 1, None)
arcsinh = ufunc("arcsinh", arcsinh, 1, None)
arccosh = ufunc("arccosh", arccosh, 1, None)
arctanh = ufunc("arctanh", arctanh, 1, None)
deg2rad = ufunc("deg2rad", deg2rad, 1, None)
rad2deg = ufunc("rad2deg", rad2deg, 1, None)
degrees = ufunc("degrees", degrees, 1, None)
radians = ufunc("radians", radians, 1, None)
floor = ufunc("floor", floor, 1, None)
ceil = ufunc("ceil", ceil, 1, None)
trunc = ufunc("trunc", trunc, 1, None)
rint = ufunc("rint", rint, 1, None)
isnan = ufunc("isnan", isnan, 1, None)
isinf = ufunc("isinf", isinf, 1, None)
isfinite = ufunc("isfinite", isfinite, 1, None)
bitwise_and = ufunc("bitwise_and", bitwise_and, 2, -1)
bitwise_or = ufunc("bitwise_or", bitwise_or, 2, 0)
bitwise_xor = ufunc("bitwise_xor", bitwise_xor, 2, 0)
left_shift = ufunc("left_shift", left_shift, 2, None)
right_shift = ufunc("right_shift", right_shift, 2, None)
invert = ufunc("invert", invert, 1, None)
positive = ufunc("positive", positive, 1, None)
signbit = ufunc("signbit", signbit, 1, None)
cbrt = ufunc("cbrt", cbrt, 1, None)
float_power = ufunc("float_power", float_power, 2, None)
heaviside = ufunc("heaviside", heaviside, 2, None)
nextafter = ufunc("nextafter", nextafter, 2, None)
gcd = ufunc("gcd", gcd, 2, 0)
lcm = ufunc("lcm", lcm, 2, None)
ldexp = ufunc("ldexp", ldexp, 2, None)
spacing = ufunc("spacing", spacing, 1, None)
divmod = ufunc("divmod", divmod, 2, None, 2)
modf = ufunc("modf", modf, 1, None, 2)
frexp = ufunc("frexp", frexp, 1, None, 2)
logical_not = ufunc("logical_not", logical_not, 1, None)
true_divide = divide
mod = remainder
abs = absolute
conj = conjugate


class _unspecified:
    pass


class errstate:
    """with np.errstate(divide='ignore', ...): np.seterr for the block"""

    def __init__(self, *, call=_unspecified, **kwargs):
        self.call = call
        self.kwargs = kwargs

    def __enter__(self):
        self.oldstate = seterr(**self.kwargs)
        if self.call is not _unspecified:
            self.oldcall = seterrcall(self.call)

    def __exit__(self, *exc_info):
        seterr(**self.oldstate)
        if self.call is not _unspecified:
            seterrcall(self.oldcall)

    def __call__(self, func):
        def inner(*args, **kwds):
            with self:
                return func(*args, **kwds)
        return inner
