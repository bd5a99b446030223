/* linalg_composite.c: the torch.linalg functions PyTorch 1.13 composes
 * from other ops (aten/src/ATen/native/LinearAlgebra.cpp), so they record
 * the nodes of their parts: linalg.vander (cumprod, cat), linalg.tensorinv
 * (reshape, inv_ex, reshape), linalg.tensorsolve (movedim, reshape,
 * solve, reshape). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "linalg_lapack.h"
#include "ops.h"

Tensor *op_linalg_vander(Tensor *x, bool has_n, int64_t N) {
    DType t = x->dtype;
    if (t != DT_FLOAT32 && t != DT_FLOAT64 && !dtype_is_integral(t, false)) {
        tsr_raise(ERR_RuntimeError, "linalg.vander supports floating point, complex, and integer tensors, but got %s",
                  dtype_scalar_name(t));
        return NULL;
    }
    Tensor *x_ = x->ndim == 0 ? op_unsqueeze(x, -1) : tensor_retain(x);
    if (!x_) return NULL;
    int64_t shape[TSR_MAX_DIMS + 1];
    int nd = x_->ndim;
    memcpy(shape, x_->shape, sizeof *shape * (size_t)nd);
    int64_t n = has_n ? N : shape[nd - 1];
    if (n <= 1) {
        tensor_release(x_);
        tsr_raise(ERR_RuntimeError, "%s", "N must be greater than 1.");
        return NULL;
    }
    shape[nd] = n - 1;
    Tensor *u = op_unsqueeze(x_, -1);
    tensor_release(x_);
    Tensor *e = u ? op_expand(u, nd + 1, shape) : NULL;
    tensor_release(u);
    Tensor *cp = e ? op_cumprod(e, -1, DT_UNDEFINED) : NULL;
    tensor_release(e);
    if (!cp) return NULL;
    shape[nd] = 1;
    Tensor *ones = tensor_full_i64(cp->dtype, nd + 1, shape, 1, cp->storage->device);
    Tensor *parts[2] = {ones, cp};
    Tensor *r = ones ? op_cat(parts, 2, -1) : NULL;
    tensor_release(ones);
    tensor_release(cp);
    return r;
}

static int64_t prod(const int64_t *s, int n) {
    int64_t p = 1;
    for (int i = 0; i < n; i++) p *= s[i];
    return p;
}

static Tensor *reshape_steal(Tensor *t, int nd, const int64_t *shape) {
    Tensor *r = t ? op_reshape(t, nd, shape) : NULL;
    tensor_release(t);
    return r;
}

Tensor *op_linalg_tensorinv(Tensor *A, int64_t ind) {
    if (ind <= 0) {
        tsr_raise(ERR_RuntimeError, "Expected a strictly positive integer for 'ind', but got %lld", (long long)ind);
        return NULL;
    }
    int nd = A->ndim;
    if (ind > nd) { /* self.sizes().slice(ind) */
        tsr_raise(ERR_RuntimeError, "%s", "cannot create std::vector larger than max_size()");
        return NULL;
    }
    int64_t pe = prod(A->shape + ind, nd - (int)ind), ps = prod(A->shape, (int)ind);
    if (pe != ps) {
        tsr_raise(ERR_RuntimeError,
                  "Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got "
                  "%lld != %lld",
                  (long long)pe, (long long)ps);
        return NULL;
    }
    int64_t shape[TSR_MAX_DIMS], sq[2] = {pe, pe};
    memcpy(shape, A->shape + ind, sizeof *shape * (size_t)(nd - ind));
    memcpy(shape + (nd - ind), A->shape, sizeof *shape * (size_t)ind);
    Tensor *m = op_reshape(A, 2, sq);
    Tensor *inv = NULL, *info = NULL;
    bool ok = m && op_linalg_inv_ex(m, false, "inv", &inv, &info) && op_linalg_check_errors(info, "inv", true);
    tensor_release(m);
    tensor_release(info);
    if (!ok) {
        tensor_release(inv);
        return NULL;
    }
    return reshape_steal(inv, nd, shape);
}

Tensor *op_linalg_tensorsolve(Tensor *A, Tensor *B, int ndims, const int64_t *dims) {
    int nd = A->ndim;
    Tensor *A_ = NULL;
    if (dims) {
        int64_t dest[TSR_MAX_DIMS];
        for (int i = 0; i < ndims; i++) dest[i] = nd - ndims + i;
        A_ = op_movedim(A, ndims, dims, dest);
    } else {
        A_ = tensor_retain(A);
    }
    if (!A_) return NULL;
    int bd = B->ndim;
    if (bd > nd) { /* sizes().slice(other.dim(), ndim - other.dim()) */
        tensor_release(A_);
        tsr_raise(ERR_RuntimeError, "%s", "cannot create std::vector larger than max_size()");
        return NULL;
    }
    int64_t rshape[TSR_MAX_DIMS];
    int rn = nd - bd;
    memcpy(rshape, A_->shape + bd, sizeof *rshape * (size_t)rn);
    int64_t rp = prod(rshape, rn), op = prod(B->shape, bd);
    if (rp != op) {
        tensor_release(A_);
        tsr_raise(ERR_RuntimeError,
                  "Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                  "prod(self.shape[:other.ndim]), but got %lld != %lld",
                  (long long)rp, (long long)op);
        return NULL;
    }
    int64_t sq[2] = {rp, rp};
    Tensor *m = reshape_steal(A_, 2, sq);
    Tensor *b = m ? op_flatten(B, 0, -1) : NULL;
    Tensor *X = NULL, *info = NULL;
    bool ok = b && op_linalg_solve_ex(m, b, true, false, "torch.linalg.solve", &X, &info) &&
              op_linalg_check_errors(info, "torch.linalg.solve", true);
    tensor_release(m);
    tensor_release(b);
    tensor_release(info);
    if (!ok) {
        tensor_release(X);
        return NULL;
    }
    return reshape_steal(X, rn, rshape);
}

bool op_linalg_lu(Tensor *A, bool pivot, Tensor **P, Tensor **L, Tensor **U) {
    *P = *L = *U = NULL;
    if (A->ndim < 2) {
        char sz[256];
        int k = snprintf(sz, sizeof sz, "[");
        for (int i = 0; i < A->ndim && k < (int)sizeof sz; i++)
            k += snprintf(sz + k, sizeof sz - (size_t)k, "%s%lld", i ? ", " : "", (long long)A->shape[i]);
        tsr_raise(ERR_RuntimeError, "linalg.lu: Expected tensor with 2 or more dimensions. Got size: %s] instead", sz);
        return false;
    }
    if (!pivot) {
        tsr_raise(ERR_RuntimeError, "%s", "linalg.lu_factor: LU without pivoting is not implemented on the CPU");
        return false;
    }
    if (!la_check_kernel(A, "lu_cpu")) return false;
    Tensor *LU = NULL, *piv = NULL, *info = NULL, *p = NULL, *l = NULL, *u = NULL;
    bool ok = false;
    NO_GRAD(ok = op_linalg_lu_factor_ex(A, true, false, "torch.linalg.lu", &LU, &piv, &info) &&
                 op_lu_unpack(LU, piv, true, true, &p, &l, &u));
    tensor_release(LU);
    tensor_release(piv);
    tensor_release(info);
    Tensor *lc = NULL, *uc = NULL;
    if (ok) NO_GRAD(lc = op_contiguous(l); uc = lc ? op_contiguous(u) : NULL);
    tensor_release(l);
    tensor_release(u);
    ok = uc != NULL;
    if (ok && ag_any_requires_grad(&A, 1)) {
        Tensor *outs[2] = {lc, uc};
        ok = ag_record_multi(outs, 2, NODE_LinalgLuBackward0, &A, 1) != NULL;
    }
    if (!ok) {
        tensor_release(p);
        tensor_release(lc);
        tensor_release(uc);
        return false;
    }
    *P = p, *L = lc, *U = uc;
    return true;
}
