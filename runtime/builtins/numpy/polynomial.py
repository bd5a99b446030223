# numpy/polynomial.py: numpy 1.24's vander, polyval and polyfit (numpy/lib/
# twodim_base.py, polynomial.py) in numpy's order of operations; polyfit
# solves with np.linalg.lstsq (LAPACK's gelsd, as numpy). Runs into the
# numpy module's members at `import numpy`.


def vander(x, N=None, increasing=False):
    x = asarray(x)
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    if N is None:
        N = x.shape[0]
    dt = (x[:0] + zeros(0, dtype=int64)).dtype  # promote_types(x.dtype, int)
    cols = []
    for k in range(N):
        # multiply.accumulate: each power is the previous one times x
        cols.append(ones(x.shape[0], dtype=dt) if k == 0 else x.astype(dt) if k == 1 else cols[-1] * x)
    if not increasing:
        cols = cols[::-1]
    if N == 0:
        return empty((x.shape[0], 0), dtype=dt)
    return column_stack(cols)


def polyval(p, x):
    p = asarray(p)
    x = asarray(x)
    y = zeros_like(x)
    for pv in p:
        y = y * x + pv
    return y


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    if cov:
        raise NotImplementedError("np.polyfit: tsr's numpy has no cov=")
    order = int(deg) + 1
    x = asarray(x) + 0.0
    y = asarray(y) + 0.0
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if x.ndim != 1:
        raise TypeError("expected 1D vector for x")
    if x.size == 0:
        raise TypeError("expected non-empty vector for x")
    if y.ndim < 1 or y.ndim > 2:
        raise TypeError("expected 1D or 2D array for y")
    if x.shape[0] != y.shape[0]:
        raise TypeError("expected x and y to have same length")
    if rcond is None:
        rcond = len(x) * (2.220446049250313e-16 if x.dtype == float64 else 1.1920928955078125e-07)
    lhs = vander(x, order)
    rhs = y
    if w is not None:
        w = asarray(w) + 0.0
        if w.ndim != 1:
            raise TypeError("expected a 1-d array for weights")
        if w.shape[0] != y.shape[0]:
            raise TypeError("expected w and y to have the same length")
        lhs = lhs * w.reshape(w.shape[0], 1)
        rhs = rhs * (w.reshape(w.shape[0], 1) if rhs.ndim == 2 else w)
    scale = sqrt((lhs * lhs).sum(axis=0))
    lhs = lhs / scale
    c, resids, rank, s = linalg.lstsq(lhs, rhs, rcond)
    c = (c.T / scale).T
    if full:
        return c, resids, rank, s, rcond
    return c
