# numpy/index_tricks.py: numpy 1.24's index helpers (numpy/lib/
# index_tricks.py, core/numeric.py, lib/twodim_base.py): mgrid, ogrid,
# r_, c_, ix_, ndindex, ndenumerate, indices, the triangle and diagonal
# index functions, written over tsr's ndarray. It runs into the numpy
# module's members at `import numpy`.


class ndindex:
    """the indices of an array of the given shape, in C order"""

    def __init__(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], tuple):
            shape = shape[0]
        self._shape = tuple(shape)

    def __iter__(self):
        shape = self._shape
        for n in shape:
            if n == 0:
                return
        idx = [0] * len(shape)
        while True:
            yield tuple(idx)
            k = len(shape) - 1
            while k >= 0:
                idx[k] += 1
                if idx[k] < shape[k]:
                    break
                idx[k] = 0
                k -= 1
            if k < 0:
                return


class ndenumerate:
    """(index, value) of each element of an array, in C order"""

    def __init__(self, arr):
        self._arr = asarray(arr)

    def __iter__(self):
        a = self._arr
        for idx in ndindex(a.shape):
            yield idx, a[idx]


def indices(dimensions, dtype=int, sparse=False):
    dimensions = tuple(dimensions)
    N = len(dimensions)
    shape = (1,) * N
    res = [] if sparse else empty((N,) + dimensions, dtype=dtype)
    for i, dim in enumerate(dimensions):
        idx = arange(dim, dtype=dtype).reshape(shape[:i] + (dim,) + shape[i + 1:])
        if sparse:
            res.append(idx)
        else:
            res[i] = idx
    return tuple(res) if sparse else res


def _grid_axis(s):
    """the values one slice of mgrid/ogrid spans (integer or float steps)"""
    start = 0 if s.start is None else s.start
    step = 1 if s.step is None else s.step
    return arange(start, s.stop, step)


class _Grid:
    def __init__(self, sparse):
        self.sparse = sparse

    def __getitem__(self, key):
        if isinstance(key, slice):
            return _grid_axis(key)
        axes = [_grid_axis(k) for k in key]
        dt = result_type(*axes)
        if self.sparse:
            n = len(axes)
            return [a.astype(dt).reshape((1,) * i + (a.size,) + (1,) * (n - i - 1)) for i, a in enumerate(axes)]
        shape = tuple(a.size for a in axes)
        out = empty((len(axes),) + shape, dtype=dt)
        for i, a in enumerate(axes):
            out[i] = a.reshape((1,) * i + (a.size,) + (1,) * (len(axes) - i - 1))
        return out


mgrid = _Grid(False)
ogrid = _Grid(True)


class _Concatenator:
    """r_ and c_: slices, arrays and scalars joined along an axis"""

    def __init__(self, axis, ndmin, trans1d):
        self.axis = axis
        self.ndmin = ndmin
        self.trans1d = trans1d

    def __getitem__(self, key):
        if not isinstance(key, tuple):
            key = (key,)
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        objs = []
        scalars = []
        for k, item in enumerate(key):
            if isinstance(item, slice):
                new = _grid_axis(item)
                if ndmin > 1:
                    new = array(new, copy=False, ndmin=ndmin)
                    if trans1d != -1:
                        new = new.swapaxes(-1, trans1d)
            elif isinstance(item, str):
                if k != 0:
                    raise ValueError("special directives must be the first entry.")
                if item in ("r", "c"):
                    raise NotImplementedError("tsr's numpy: the matrix directives of r_ are not supported")
                parts = item.split(",")
                try:
                    axis = int(parts[0])
                    if len(parts) > 1:
                        ndmin = int(parts[1])
                    if len(parts) > 2:
                        trans1d = int(parts[2])
                except ValueError:
                    raise ValueError("unknown special directive")
                continue
            elif type(item) in (int, float, bool):
                new = array(item, ndmin=ndmin)
                scalars.append((len(objs), item))
            else:
                item_ndim = asarray(item).ndim
                new = array(item, copy=False, ndmin=ndmin)
                if trans1d != -1 and item_ndim < ndmin:
                    k2 = ndmin - item_ndim
                    k1 = trans1d
                    if k1 < 0:
                        k1 += k2 + 1
                    defaxes = list(range(ndmin))
                    axes = defaxes[:k1] + defaxes[k2:] + defaxes[k1:k2]
                    new = new.transpose(axes)
            objs.append(new)
        if not objs:
            return array([])
        if scalars and len(scalars) < len(objs):
            where_scalar = [i for i, _ in scalars]
            arrays = [o for i, o in enumerate(objs) if i not in where_scalar]
            dt = result_type(*(arrays + [v for _, v in scalars]))
            objs = [o.astype(dt) for o in objs]
        return concatenate(tuple(objs), axis=axis)

    def __len__(self):
        return 0


r_ = _Concatenator(0, 1, -1)
c_ = _Concatenator(-1, 2, 0)


def ix_(*args):
    out = []
    nd = len(args)
    for k, new in enumerate(args):
        if not isinstance(new, ndarray):
            new = asarray(new)
            if new.size == 0:
                new = new.astype(int64)
        if new.ndim != 1:
            raise ValueError("Cross index must be 1 dimensional")
        if new.dtype == bool_:
            new = new.nonzero()[0]
        new = new.reshape((1,) * k + (new.size,) + (1,) * (nd - k - 1))
        out.append(new)
    return tuple(out)


def tril_indices(n, k=0, m=None):
    return nonzero(tri(n, m, k=k, dtype=bool))


def triu_indices(n, k=0, m=None):
    return nonzero(~tri(n, m, k=k - 1, dtype=bool))


def _square_2d(arr):
    arr = asarray(arr)
    if arr.ndim != 2:
        raise ValueError("input array must be 2-d")
    return arr


def tril_indices_from(arr, k=0):
    arr = _square_2d(arr)
    return tril_indices(arr.shape[-2], k=k, m=arr.shape[-1])


def triu_indices_from(arr, k=0):
    arr = _square_2d(arr)
    return triu_indices(arr.shape[-2], k=k, m=arr.shape[-1])


def diag_indices(n, ndim=2):
    idx = arange(n)
    return (idx,) * ndim


def diag_indices_from(arr):
    arr = asarray(arr)
    if not arr.ndim >= 2:
        raise ValueError("input array must be at least 2-d")
    for n in arr.shape[1:]:
        if n != arr.shape[0]:
            raise ValueError("All dimensions of input must be of equal length")
    return diag_indices(arr.shape[0], arr.ndim)


def diagflat(v, k=0):
    return diag(asarray(v).ravel(), k)
