# numpy/printing.py: numpy 1.24's printing helpers (numpy/core/
# arrayprint.py, numeric.py): printoptions, array2string, array_str,
# array_repr over tsr's ndarray printing, binary_repr and base_repr. It
# runs into the numpy module's members at `import numpy`.

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
