/* linalg_tensorsolve.c: linalg.tensorinv and linalg.tensorsolve, as
 * PyTorch 1.13 composes them (aten/src/ATen/native/LinearAlgebra.cpp), so
 * they record the nodes of their parts: tensorinv (reshape, inv_ex,
 * reshape), tensorsolve (movedim, reshape, solve, reshape). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "linalg_lapack.h"
#include "ops.h"

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
