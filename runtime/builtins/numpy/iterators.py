# numpy/iterators.py: numpy 1.24's iterators over an array's elements:
# a.flat (numpy.flatiter: C order, indexing and assignment through it) and
# np.nditer (its default order 'K' walks memory order; multi_index,
# finished/iternext, several broadcast operands, writable 0-d views). It
# runs into the numpy module's members at `import numpy`.


class flatiter:
    """a.flat: the elements of a in C order, read and written by index"""

    def __init__(self, base):
        self.base = base

    def __iter__(self):
        flat = self.base.ravel()
        for i in range(flat.size):
            yield flat[i]

    def __len__(self):
        return self.base.size

    def __getitem__(self, key):
        return self.base.ravel()[key]

    def __setitem__(self, key, value):
        base = self.base
        idx = asarray(arange(base.size)[key]).ravel()
        if idx.size == 0:
            return
        value = asarray(value).ravel()
        if value.size == 0:
            return
        base[unravel_index(idx, base.shape)] = resize(value, idx.size)

    def copy(self):
        return self.base.ravel().copy()

    def __array__(self):
        return self.base.ravel().copy()


def _memory_order(a):
    """the axes of a from the largest stride to the smallest (numpy's 'K')"""
    axes = list(range(a.ndim))
    strides = a.strides
    axes.sort(key=lambda k: -(strides[k] if strides[k] >= 0 else -strides[k]))
    return axes


class nditer:
    """np.nditer over one array or several broadcast together"""

    def __init__(self, op, flags=None, op_flags=None, op_dtypes=None, order="K", casting="safe", op_axes=None,
                 itershape=None, buffersize=0):
        flags = list(flags or ())
        for f in flags:
            if f in ("external_loop", "buffered", "c_index", "f_index", "reduce_ok", "ranged"):
                raise NotImplementedError("tsr's numpy: nditer's flag '%s' is not supported" % f)
        self._single = not isinstance(op, (list, tuple))
        ops = [op] if self._single else list(op)
        ops = [asarray(o) for o in ops]
        if op_dtypes is not None:
            dts = [op_dtypes] if self._single else list(op_dtypes)
            ops = [o if d is None else o.astype(d) for o, d in zip(ops, dts)]
        if len(ops) > 1:
            try:
                ops = broadcast_arrays(*ops)
            except ValueError:
                raise ValueError("operands could not be broadcast together with shapes "
                                 + "".join(_shape_text(o.shape) + " " for o in ops))
        self.operands = tuple(ops)
        self._multi = "multi_index" in flags
        shape = ops[0].shape
        if order == "F":
            axes = list(range(len(shape)))[::-1]
        elif order == "K" and len(ops) == 1 and not self._multi:
            axes = _memory_order(ops[0])
        else:
            axes = list(range(len(shape)))
        self._axes = axes
        self._idxs = [self._unpermute(i) for i in ndindex(tuple(shape[k] for k in axes))]
        self._pos = 0
        self.ndim = len(shape)
        self.shape = shape
        self.itersize = len(self._idxs)

    def _unpermute(self, idx):
        out = [0] * len(idx)
        for k, v in zip(self._axes, idx):
            out[k] = v
        return tuple(out)

    def _values(self, idx):
        vals = tuple(o[idx + (Ellipsis,)] for o in self.operands)
        return vals[0] if self._single else vals

    def __iter__(self):
        return self

    def __next__(self):
        if self._pos >= len(self._idxs):
            raise StopIteration
        idx = self._idxs[self._pos]
        self._pos += 1
        return self._values(idx)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None

    def close(self):
        return None

    @property
    def finished(self):
        return self._pos >= len(self._idxs)

    def iternext(self):
        self._pos += 1
        return self._pos < len(self._idxs)

    @property
    def multi_index(self):
        if not self._multi:
            raise ValueError("Iterator is not tracking a multi-index")
        return self._idxs[self._pos]

    @property
    def iterindex(self):
        return self._pos

    @property
    def value(self):
        return self._values(self._idxs[self._pos])

    def __getitem__(self, i):
        return self.operands[i][self._idxs[self._pos] + (Ellipsis,)]

    def reset(self):
        self._pos = 0
