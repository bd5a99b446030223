# numpy/dtype_info.py: numpy 1.24's dtype information (numpy/core/
# getlimits.py, numeric.py): finfo and iinfo with numpy's repr and str,
# isscalar. It runs into the numpy module's members at `import numpy`.

_NP_SCALAR_TYPES = (float64, float32, float16, int64, int32, int16, int8, uint8, bool_, complex64, complex128)


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
        d = {"complex64": _dtype_arg(float32), "complex128": _dtype_arg(float64)}.get(str(d), d)  # the parts' float
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


def iscomplexobj(x):
    try:
        d = x.dtype
    except AttributeError:
        d = asarray(x).dtype
    return d == complex64 or d == complex128


def isrealobj(x):
    return not iscomplexobj(x)


def iscomplex(x):
    ax = asarray(x)
    if iscomplexobj(ax):
        return ax.imag != 0
    return zeros(ax.shape, bool_)[()]


def isreal(x):
    return imag(x) == 0


def real_if_close(a, tol=100):
    a = asarray(a)
    if not iscomplexobj(a):
        return a
    if tol > 1:
        tol = finfo(a.dtype).eps * tol
    if all(absolute(a.imag) < tol):
        a = a.real
    return a
