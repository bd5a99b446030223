/* linalg_ormqr.c: torch.ormqr, the product of the Q of geqrf's
 * reflectors with a matrix, as PyTorch 1.13's ormqr_out / apply_ormqr
 * compute it: LAPACK's ormqr over an F-contiguous copy of each matrix
 * (the result keeps that layout), with the workspace its query asks
 * for, once per batch. Node: OrmqrBackward0 (PyTorch has no derivative). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lapack.h"
#include "linalg_lapack.h"
#include "op_errors.h"
#include "ops.h"

static bool ormqr_checks(Tensor *A, Tensor *tau, Tensor *C, bool left) {
    const char *fn = "torch.ormqr";
    if (A->ndim < 2 || C->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "%s: %s must have at least 2 dimensions.", fn, A->ndim < 2 ? "input" : "other");
        return false;
    }
    if (tau->ndim == 0) {
        tsr_raise(ERR_IndexError, "%s", "Dimension specified as -1 but tensor has no dimensions");
        return false;
    }
    int cond = left ? -2 : -1;
    int64_t cs = C->shape[C->ndim + cond], k = tau->shape[tau->ndim - 1];
    if (cs < k) {
        tsr_raise(ERR_RuntimeError, "%s: other.shape[%d] must be greater than or equal to tau.shape[-1]", fn, cond);
        return false;
    }
    if (cs != A->shape[A->ndim - 2]) {
        tsr_raise(ERR_RuntimeError, "%s: other.shape[%d] must be equal to input.shape[-2]", fn, cond);
        return false;
    }
    if (k > A->shape[A->ndim - 1]) {
        tsr_raise(ERR_RuntimeError, "%s: tau.shape[-1] must be less than or equal to input.shape[-1]", fn);
        return false;
    }
    if (A->ndim - tau->ndim != 1) {
        tsr_raise(ERR_RuntimeError, "%s: Expected tau to have one dimension less than input, but got tau.ndim equal "
                  "to %d and input.ndim is equal to %d", fn, tau->ndim, A->ndim);
        return false;
    }
    if (A->ndim != C->ndim) {
        tsr_raise(ERR_RuntimeError, "%s: Expected other to have the same number of dimensions as input, but got "
                  "other.ndim equal to %d and input.ndim is equal to %d", fn, C->ndim, A->ndim);
        return false;
    }
    int nb = A->ndim - 2;
    const Tensor *bad[2] = {tau, C};
    const char *names[2] = {"tau", "other"};
    int nbs[2] = {tau->ndim - 1, C->ndim - 2};
    for (int i = 0; i < 2 && nb > 0; i++)
        if (memcmp(A->shape, bad[i]->shape, sizeof(int64_t) * (size_t)nb)) {
            char sh[256];
            op_shape_text(sh, sizeof sh, nbs[i], bad[i]->shape);
            tsr_raise(ERR_RuntimeError, "%s: Expected batch dimensions of %s to be equal to input.shape[:-2], but got %s",
                      fn, names[i], sh);
            return false;
        }
    for (int i = 0; i < 2; i++)
        if (bad[i]->dtype != A->dtype) {
            tsr_raise(ERR_RuntimeError, "%s: Expected input and %s to have the same dtype, but input has dtype%s and %s "
                      "has dtype %s", fn, names[i], dtype_scalar_name(A->dtype), names[i],
                      dtype_scalar_name(bad[i]->dtype));
            return false;
        }
    return la_check_kernel(A, "ormqr_cpu") && la_check_int_sizes(A) && la_check_int_sizes(C);
}

Tensor *op_ormqr(Tensor *A, Tensor *tau, Tensor *C, bool left, bool transpose) {
    if (!ormqr_checks(A, tau, C, left)) return NULL;
    Tensor *a = la_clone_col_major(A);
    Tensor *r = a ? la_clone_col_major(C) : NULL;
    Tensor *t = r ? tensor_contiguous(tau) : NULL;
    bool ok = t != NULL;
    if (ok && tensor_numel(r) != 0) {
        int nd = C->ndim;
        int m = (int)C->shape[nd - 2], n = (int)C->shape[nd - 1], k = (int)tau->shape[tau->ndim - 1];
        int ma = (int)A->shape[nd - 2], na = (int)A->shape[nd - 1];
        int lda = left ? m : n, ldc = m;
        if (lda < 1) lda = 1;
        if (ldc < 1) ldc = 1;
        char side = left ? 'L' : 'R', trans = transpose ? 'T' : 'N';
        DType dt = A->dtype;
        size_t es = dtype_size(dt);
        int lwork = kernel_ormqr_lwork(dt, side, trans, m, n, k, lda, ldc);
        char *work = tsr_malloc((unsigned long long)lwork * es);
        ok = work != NULL;
        const char *ap = tensor_data(a), *tp = tensor_data(t);
        char *cp = tensor_data(r);
        int64_t B = la_batch_count(A, 2);
        for (int64_t b = 0; ok && b < B; b++)
            kernel_ormqr(dt, side, trans, m, n, k, ap + (size_t)(b * ma * na) * es, lda, tp + (size_t)(b * k) * es,
                         cp + (size_t)(b * m * n) * es, ldc, work, lwork);
        free(work);
    }
    tensor_release(a);
    tensor_release(t);
    if (!ok) {
        tensor_release(r);
        return NULL;
    }
    Tensor *ins[3] = {A, tau, C};
    return la_record_unimplemented(r, NODE_OrmqrBackward0, ins, 3);
}
