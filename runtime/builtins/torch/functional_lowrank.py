# torch.svd_lowrank and torch.pca_lowrank, as PyTorch 1.13 writes them in
# Python (torch/_lowrank.py, Halko et al.'s randomized range finder over
# torch.randn, torch.linalg.qr and torch.linalg.svd), for dense tensors.

import torch


def _floating_dtype(A):
    # _linalg_utils.get_floating_dtype: integers map to float32
    if A.dtype in (torch.float16, torch.float32, torch.float64):
        return A.dtype
    return torch.float32


def _transpose(A):
    ndim = len(A.shape)
    return A.transpose(ndim - 1, ndim - 2)


def _matmul(A, B):
    return B if A is None else torch.matmul(A, B)


def _approximate_basis(A, q, niter=2, M=None):
    niter = 2 if niter is None else niter
    m, n = A.shape[-2:]
    dtype = _floating_dtype(A)
    R = torch.randn(n, q, dtype=dtype, device=A.device)
    A_H = _transpose(A)
    if M is None:
        Q = torch.linalg.qr(_matmul(A, R)).Q
        for i in range(niter):
            Q = torch.linalg.qr(_matmul(A_H, Q)).Q
            Q = torch.linalg.qr(_matmul(A, Q)).Q
    else:
        M_H = _transpose(M)
        Q = torch.linalg.qr(_matmul(A, R) - _matmul(M, R)).Q
        for i in range(niter):
            Q = torch.linalg.qr(_matmul(A_H, Q) - _matmul(M_H, Q)).Q
            Q = torch.linalg.qr(_matmul(A, Q) - _matmul(M, Q)).Q
    return Q


def svd_lowrank(A, q=6, niter=2, M=None):
    return _svd_lowrank(A, q=q, niter=niter, M=M)


def _svd_lowrank(A, q=6, niter=2, M=None):
    q = 6 if q is None else q
    m, n = A.shape[-2:]
    M_t = None if M is None else _transpose(M)
    A_t = _transpose(A)
    if m < n or n > q:
        Q = _approximate_basis(A_t, q, niter=niter, M=M_t)
        B_t = _matmul(A, Q) if M is None else _matmul(A, Q) - _matmul(M, Q)
        assert B_t.shape[-2] == m, (B_t.shape, m)
        assert B_t.shape[-1] == q, (B_t.shape, q)
        assert B_t.shape[-1] <= B_t.shape[-2], B_t.shape
        U, S, Vh = torch.linalg.svd(B_t, full_matrices=False)
        V = Vh.mT  # mH: real dtypes only
        V = Q.matmul(V)
    else:
        Q = _approximate_basis(A, q, niter=niter, M=M)
        B = _matmul(A_t, Q) if M is None else _matmul(A_t, Q) - _matmul(M_t, Q)
        B_t = _transpose(B)
        assert B_t.shape[-2] == q, (B_t.shape, q)
        assert B_t.shape[-1] == n, (B_t.shape, n)
        assert B_t.shape[-1] <= B_t.shape[-2], B_t.shape
        U, S, Vh = torch.linalg.svd(B_t, full_matrices=False)
        V = Vh.mT  # mH: real dtypes only
        U = Q.matmul(U)
    return U, S, V


def pca_lowrank(A, q=None, center=True, niter=2):
    (m, n) = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (q >= 0 and q <= min(m, n)):
        raise ValueError("q(={}) must be non-negative integer"
                         " and not greater than min(m, n)={}".format(q, min(m, n)))
    if not (niter >= 0):
        raise ValueError("niter(={}) must be non-negative integer".format(niter))
    if not center:
        return _svd_lowrank(A, q, niter=niter, M=None)
    C = A.mean(dim=(-2,), keepdim=True)
    return _svd_lowrank(A - C, q, niter=niter, M=None)
