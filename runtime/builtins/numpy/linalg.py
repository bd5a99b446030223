# numpy/linalg.py: the np.linalg functions numpy 1.24 writes over its
# others (numpy/linalg/linalg.py): svd's hermitian route, pinv,
# matrix_rank and multi_dot. Runs
# into the numpy module's members at `import numpy` and puts them into
# np.linalg (the decompositions are numpy_linalg*.c).


def _linalg_functions():
    LinAlgError = linalg.LinAlgError

    def _assert_2d(*arrays):
        for a in arrays:
            if a.ndim != 2:
                raise LinAlgError("%d-dimensional array given. Array must be two-dimensional" % a.ndim)

    def _transpose(a):
        return swapaxes(a, -1, -2)

    svd_lapack = linalg.svd

    def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
        if not hermitian:
            return svd_lapack(a, full_matrices, compute_uv)
        # from eigh: |eigenvalues| descending, their signs moved into vt
        a = asarray(a)
        if compute_uv:
            s, u = linalg.eigh(a)
            sgn = sign(s)
            s = abs(s)
            sidx = flip(argsort(s), -1)
            sgn = take_along_axis(sgn, sidx, axis=-1)
            s = take_along_axis(s, sidx, axis=-1)
            u = take_along_axis(u, sidx[..., None, :], axis=-1)
            vt = _transpose(u * sgn[..., None, :]).conjugate()
            return u, s, vt
        s = abs(linalg.eigvalsh(a))
        return flip(sort(s), -1)

    def pinv(a, rcond=1e-15, hermitian=False):
        a = asarray(a)
        rcond = asarray(rcond)
        if a.size == 0 and _product(a.shape[-2:]) == 0:
            m, n = a.shape[-2:]
            return empty(a.shape[:-2] + (n, m), dtype=a.dtype)
        a = a.conjugate()
        u, s, vt = linalg.svd(a, full_matrices=False, hermitian=hermitian)
        cutoff = rcond[..., newaxis] * amax(s, axis=-1, keepdims=True)
        large = s > cutoff
        s = where(large, divide(1, where(large, s, 1)), 0)
        return matmul(_transpose(vt), multiply(s[..., newaxis], _transpose(u)))

    def matrix_rank(A, tol=None, hermitian=False):
        A = asarray(A)
        if A.ndim < 2:
            return int(not all(A == 0))
        S = linalg.svd(A, compute_uv=False, hermitian=hermitian)
        if tol is None:
            rows, cols = A.shape[-2:]
            tol = S.max(axis=-1, keepdims=True) * (rows if rows > cols else cols) * finfo(S.dtype).eps
        else:
            tol = asarray(tol)[..., newaxis]
        return count_nonzero(S > tol, axis=-1)

    def _multi_dot_three(A, B, C, out=None):
        a0, a1b0 = A.shape
        b1c0, c1 = C.shape
        cost1 = a0 * b1c0 * (a1b0 + c1)  # (AB)C
        cost2 = a1b0 * c1 * (a0 + b1c0)  # A(BC)
        if cost1 < cost2:
            return dot(dot(A, B), C)
        return dot(A, dot(B, C))

    def _chain_order(arrays):
        """the matrix chain order's split points (Cormen's s, 0-based)"""
        n = len(arrays)
        p = [a.shape[0] for a in arrays] + [arrays[-1].shape[1]]
        m = [[0.0] * n for _ in range(n)]
        s = [[0] * n for _ in range(n)]
        for l in range(1, n):
            for i in range(n - l):
                j = i + l
                m[i][j] = float("inf")
                for k in range(i, j):
                    q = m[i][k] + m[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                    if q < m[i][j]:
                        m[i][j] = q
                        s[i][j] = k
        return s

    def _multi_dot(arrays, order, i, j):
        if i == j:
            return arrays[i]
        return dot(_multi_dot(arrays, order, i, order[i][j]), _multi_dot(arrays, order, order[i][j] + 1, j))

    def multi_dot(arrays, *, out=None):
        n = len(arrays)
        if n < 2:
            raise ValueError("Expecting at least two arrays.")
        elif n == 2:
            return _with_out(dot(arrays[0], arrays[1]), out)
        arrays = [asanyarray(a) for a in arrays]
        ndim_first, ndim_last = arrays[0].ndim, arrays[-1].ndim
        if arrays[0].ndim == 1:
            arrays[0] = atleast_2d(arrays[0])
        if arrays[-1].ndim == 1:
            arrays[-1] = atleast_2d(arrays[-1]).T
        _assert_2d(*arrays)
        if n == 3:
            result = _multi_dot_three(arrays[0], arrays[1], arrays[2])
        else:
            result = _multi_dot(arrays, _chain_order(arrays), 0, n - 1)
        result = _with_out(result, out)
        if ndim_first == 1 and ndim_last == 1:
            return result[0, 0]
        elif ndim_first == 1 or ndim_last == 1:
            return result.ravel()
        return result

    def _with_out(r, out):
        if out is None:
            return r
        out[...] = r
        return out

    def _product(shape):
        r = 1
        for d in shape:
            r *= d
        return r

    return svd, pinv, matrix_rank, multi_dot


linalg.svd, linalg.pinv, linalg.matrix_rank, linalg.multi_dot = _linalg_functions()
del _linalg_functions
