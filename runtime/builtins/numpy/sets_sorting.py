# numpy/sets_sorting.py: numpy 1.24's unique (numpy/lib/arraysetops.py:
# return_index/inverse/counts, axis, nans collapsed), setxor1d, lexsort
# and compress. It runs into the numpy module's members at `import
# numpy`; unique keeps tsr's C unique for the plain call.

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


_unique_nan_dtypes = (float64, float32, float16, complex128, complex64)


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True):
    ar = asarray(ar)
    if axis is not None:
        return _unique_axis(ar, axis, return_index, return_inverse, return_counts)
    if not (return_index or return_inverse or return_counts) and ar.dtype not in _unique_nan_dtypes:
        return _unique_values(ar)
    ar = ar.ravel()
    if return_index or return_inverse:
        perm = argsort(ar, kind="stable")
        aux = ar[perm]
    else:
        aux = sort(ar)
    mask = empty(aux.shape, dtype=bool)
    mask[:1] = True
    if equal_nan and aux.shape[0] > 0 and aux.dtype in _unique_nan_dtypes and isnan(aux[-1]):
        if aux.dtype in (complex128, complex64):  # every complex nan is one
            aux_firstnan = int(nonzero(isnan(aux))[0][0])  # searchsorted(isnan(aux), True)
        else:
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
