/* linalg_ldl.c: torch.linalg.ldl_factor_ex / ldl_factor and ldl_solve on
 * LAPACK's Bunch-Kaufman routines (sytrf, sytrs; hermitian is the same
 * routine for real dtypes), as 1.13's BatchLinearAlgebra.cpp runs them:
 * LD is A's lower triangle factored in place, F-contiguous; pivots are
 * LAPACK's 1-based int32 pivots (negative for 2 x 2 blocks); info one
 * int32 per matrix. PyTorch has no derivative for either: a result that
 * requires grad gets the NotImplemented node. */
#include <string.h>

#include "error.h"
#include "lapack.h"
#include "linalg_lapack.h"
#include "op_errors.h"
#include "ops.h"

bool op_linalg_ldl_factor_ex(Tensor *A, bool hermitian, bool check_errors, const char *api, Tensor **LD,
                             Tensor **pivots, Tensor **info) {
    (void)hermitian; /* hetrf is sytrf for real matrices */
    *LD = *pivots = *info = NULL;
    const char *fn = "torch.linalg.ldl_factor_ex";
    if (!la_check_square(A, fn, "A") || !la_check_float(A, fn, true)) return false;
    int nd = A->ndim;
    int64_t n = A->shape[nd - 1];
    Device dev = A->storage->device;
    Tensor *ld = la_empty_batched(A->dtype, nd, A->shape, true, dev);
    Tensor *piv = ld ? tensor_empty(DT_INT32, nd - 1, A->shape, dev) : NULL;
    Tensor *inf = piv ? tensor_zeros(DT_INT32, nd - 2, A->shape, dev) : NULL;
    Tensor *work = NULL;
    if (!inf) goto fail;
    if (tensor_numel(A) > 0) {
        if (!la_check_kernel(A, "ldl_factor_kernel_cpu") || !la_check_int_sizes(A) || !tensor_copy_(ld, A)) goto fail;
        int lda = n > 1 ? (int)n : 1;
        int64_t lwork = kernel_sytrf_lwork(A->dtype, 'L', (int)n, lda);
        work = tensor_empty(A->dtype, 1, &lwork, device_cpu());
        if (!work) goto fail;
        char *a = tensor_data(ld);
        int32_t *p = (int32_t *)tensor_data(piv), *in = (int32_t *)tensor_data(inf);
        size_t es = dtype_size(A->dtype);
        int64_t count = la_batch_count(A, 2);
        for (int64_t b = 0; b < count; b++) {
            char *m = a + (size_t)(b * n * n) * es;
            /* at::tril_out(LD, A): the upper triangle is zero
             * (column-major: element (i, j) at j * n + i) */
            for (int64_t j = 0; j < n; j++)
                for (int64_t i = 0; i < j; i++) memset(m + (size_t)(j * n + i) * es, 0, es);
            in[b] = kernel_sytrf(A->dtype, 'L', (int)n, m, lda, p + b * n, tensor_data(work), (int)lwork);
        }
        tensor_release(work);
        work = NULL;
    }
    if (check_errors && !op_linalg_check_errors(inf, api, nd == 2)) goto fail;
    ld = op_record_not_implemented(ld, &A, 1, "linalg_ldl_factor_ex");
    if (!ld) goto fail;
    *LD = ld, *pivots = piv, *info = inf;
    return true;
fail:
    tensor_release(work);
    tensor_release(ld);
    tensor_release(piv);
    tensor_release(inf);
    return false;
}

Tensor *op_linalg_ldl_solve(Tensor *LD, Tensor *pivots, Tensor *B, bool hermitian) {
    (void)hermitian;
    const char *fn = "torch.linalg.ldl_solve";
    if (!la_check_square(LD, fn, "A") || !la_check_float(LD, fn, true) || !la_linear_solve_check(B, LD, fn))
        return NULL;
    bool same = pivots->ndim == LD->ndim - 1;
    for (int i = 0; same && i < pivots->ndim; i++) same = pivots->shape[i] == LD->shape[i];
    if (!same) {
        char sh[256];
        op_shape_text(sh, sizeof sh, pivots->ndim, pivots->shape);
        tsr_raise(ERR_RuntimeError, "%s: Expected LD.shape[:-1] and pivots.shape to be the same, but got pivots with "
                  "shape %s instead", fn, sh);
        return NULL;
    }
    if (!dtype_is_int(pivots->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s: Expected pivots to be integers. Got %s", fn, dtype_scalar_name(pivots->dtype));
        return NULL;
    }
    Tensor *Bb = NULL, *Lb = NULL, *res = NULL, *ld = NULL, *piv = NULL;
    if (!la_broadcast_batch(B, LD, &Bb, &Lb)) return NULL;
    int nd = Bb->ndim;
    res = la_empty_batched(B->dtype, nd, Bb->shape, true, B->storage->device);
    if (!res) goto fail;
    if (tensor_numel(res) > 0) {
        int64_t psh[TSR_MAX_DIMS];
        memcpy(psh, Lb->shape, sizeof(int64_t) * (size_t)(nd - 1));
        Tensor *pe = NULL;
        if (!la_check_kernel(LD, "ldl_solve_kernel_cpu") || !la_check_int_sizes(Bb) || !tensor_copy_(res, Bb)) goto fail;
        NO_GRAD(pe = op_expand(pivots, nd - 1, psh));
        piv = pe ? tensor_to_dtype(pe, DT_INT32) : NULL;
        tensor_release(pe);
        Tensor *pc = piv ? tensor_contiguous(piv) : NULL;
        tensor_release(piv);
        piv = pc;
        ld = piv ? la_clone_col_major(Lb) : NULL;
        if (!ld) goto fail;
        int64_t n = res->shape[nd - 2], nrhs = res->shape[nd - 1], count = la_batch_count(res, 2);
        size_t es = dtype_size(B->dtype);
        int ldn = n > 1 ? (int)n : 1;
        char *bd = tensor_data(res);
        const char *a = tensor_data(ld);
        const int32_t *p = (const int32_t *)tensor_data(piv);
        for (int64_t i = 0; i < count; i++)
            kernel_sytrs(B->dtype, 'L', (int)n, (int)nrhs, a + (size_t)(i * n * n) * es, ldn, p + i * n,
                         bd + (size_t)(i * n * nrhs) * es, ldn);
    }
    tensor_release(Bb);
    tensor_release(Lb);
    tensor_release(ld);
    tensor_release(piv);
    Tensor *ins[2] = {LD, B};
    return op_record_not_implemented(res, ins, 2, "linalg_ldl_solve");
fail:
    tensor_release(Bb);
    tensor_release(Lb);
    tensor_release(ld);
    tensor_release(piv);
    tensor_release(res);
    return NULL;
}
