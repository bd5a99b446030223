/* linalg_lstsq.c: torch.linalg.lstsq on the CPU as PyTorch 1.13 runs it
 * (BatchLinearAlgebra.cpp linalg_lstsq_out_info, apply_lstsq): A's
 * F-contiguous copy (batch broadcast with B's) and B in an F-contiguous
 * buffer of max(m, n) rows go through LAPACK's driver (gelsy by default,
 * gels, gelsd, gelss) matrix by matrix; the solution is the buffer's first
 * n rows (a view of it), the residuals the column sums of squares of rows
 * n..m-1 when m > n and the driver is not gelsy (for gelsd/gelss only when
 * every matrix has rank n), rank for every driver but gels, singular
 * values for gelsd and gelss; the fields a driver does not give are empty.
 *
 * gelsy's column pivots (jpvt) start at zero for every matrix, LAPACK's
 * "every column free"; ATen passes an uninitialised buffer that carries
 * the previous matrix's pivots, so its results for pivot-sensitive
 * batches are not reproducible bit for bit (it says so itself).
 *
 * Node LinalgLstsqBackward0 (on the solution): inputs {A, B}; saved {A, B}. */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lapack_lstsq.h"
#include "linalg_lapack.h"
#include "ops.h"

static const char *const drivers[] = {"gels", "gelsy", "gelsd", "gelss"};

static bool lstsq_checks(Tensor *A, Tensor *B) {
    if (A->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "%s", "torch.linalg.lstsq: input must have at least 2 dimensions.");
        return false;
    }
    if (B->ndim < 1) {
        tsr_raise(ERR_RuntimeError, "%s", "torch.linalg.lstsq: other must have at least 1 dimension.");
        return false;
    }
    if (A->dtype != B->dtype) {
        tsr_raise(ERR_RuntimeError,
                  "torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype %s and "
                  "other's dtype %s",
                  dtype_scalar_name(A->dtype), dtype_scalar_name(B->dtype));
        return false;
    }
    int diff = A->ndim - B->ndim;
    if (diff < 0 || diff > 1) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and (input.dim() - "
                  "other.dim()) <= 1");
        return false;
    }
    int64_t bm = diff ? B->shape[B->ndim - 1] : B->shape[B->ndim - 2];
    if (A->shape[A->ndim - 2] != bm) {
        tsr_raise(ERR_RuntimeError, "%s",
                  diff ? "torch.linalg.lstsq: input.size(-2) should match other.size(-1)"
                       : "torch.linalg.lstsq: input.size(-2) should match other.size(-2)");
        return false;
    }
    return true;
}

static Tensor *empty1(DType dt, Device dev) {
    int64_t z = 0;
    return tensor_empty(dt, 1, &z, dev);
}

/* Runs the driver over every matrix; false with an error raised */
static bool run_driver(LstsqDriver drv, Tensor *Aw, Tensor *sol, Tensor *rank, Tensor *sv, double rcond) {
    DType dt = Aw->dtype;
    int nd = Aw->ndim;
    int m = (int)Aw->shape[nd - 2], n = (int)Aw->shape[nd - 1], nrhs = (int)sol->shape[nd - 1];
    int lda = m > 1 ? m : 1, ldb = m > n ? m : n;
    if (ldb < 1) ldb = 1;
    int64_t batch = la_batch_count(Aw, 2), k = m < n ? m : n;
    int lwork = 1, liwork = 1;
    kernel_lstsq_lwork(drv, dt, m, n, nrhs, lda, ldb, rcond, &lwork, &liwork);
    size_t es = dtype_size(dt);
    void *work = tsr_malloc((unsigned long long)lwork * es);
    int *iwork = work ? tsr_malloc((unsigned long long)liwork * sizeof(int)) : NULL;
    int *jpvt = iwork ? tsr_malloc((unsigned long long)(n > 1 ? n : 1) * sizeof(int)) : NULL;
    if (!jpvt) {
        free(work);
        free(iwork);
        return false;
    }
    char *a = tensor_data(Aw), *b = tensor_data(sol);
    char *s = sv ? tensor_data(sv) : NULL;
    int64_t *rk = rank ? (int64_t *)tensor_data(rank) : NULL;
    int info = 0;
    int64_t bad = -1;
    for (int64_t i = 0; i < batch; i++) {
        int r = 0;
        memset(jpvt, 0, sizeof(int) * (size_t)(n > 1 ? n : 1));
        int inf = kernel_lstsq(drv, dt, m, n, nrhs, a + (size_t)(i * m * n) * es, lda,
                               b + (size_t)(i * ldb * nrhs) * es, ldb, jpvt, rcond, &r,
                               s ? s + (size_t)(i * k) * es : NULL, work, lwork, iwork);
        if (rk) rk[i] = r;
        if (inf != 0 && bad < 0) bad = i, info = inf;
    }
    free(work);
    free(iwork);
    free(jpvt);
    if (bad < 0) return true;
    char where[64] = "";
    if (batch > 1 || nd > 2) snprintf(where, sizeof where, ": (Batch element %lld)", (long long)bad);
    if (info < 0)
        tsr_raise(ERR_RuntimeError, "torch.linalg.lstsq%s: Argument %d has illegal value. Most certainly there is a "
                  "bug in the implementation calling the backend library.", where, -info);
    else
        tsr_raise(ERR__LinAlgError, "torch.linalg.lstsq%s: The least squares solution could not be computed because "
                  "the input matrix does not have full rank (error code: %d).", where, info);
    return false;
}

bool op_linalg_lstsq(Tensor *A, Tensor *B, bool has_rcond, double rcond, const char *driver, Tensor **solution,
                     Tensor **residuals, Tensor **rank, Tensor **sv) {
    *solution = *residuals = *rank = *sv = NULL;
    if (!lstsq_checks(A, B)) return false;
    int drv = driver ? -1 : LSTSQ_GELSY;
    for (int i = 0; driver && i < 4; i++)
        if (!strcmp(driver, drivers[i])) drv = i;
    if (drv < 0) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)");
        return false;
    }
    DType dt = A->dtype;
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) {
        tsr_raise(ERR_RuntimeError, "%s", "This function doesn't handle types other than float and double");
        return false;
    }
    if (!la_check_int_sizes(A) || !la_check_int_sizes(B)) return false;
    Device dev = A->storage->device;
    bool vector = A->ndim - B->ndim == 1;
    int nd = A->ndim;
    int64_t m = A->shape[nd - 2], n = A->shape[nd - 1];
    Tensor *B2 = vector ? op_unsqueeze(B, -1) : tensor_retain(B);
    if (!B2) return false;
    int64_t nrhs = B2->shape[nd - 1];
    int64_t bsh[TSR_MAX_DIMS];
    int bn = broadcast_shapes(nd - 2, A->shape, nd - 2, B2->shape, bsh);
    if (bn < 0) {
        tensor_release(B2);
        return false;
    }
    if (!has_rcond) rcond = (dt == DT_FLOAT32 ? (double)FLT_EPSILON : DBL_EPSILON) * (double)(m > n ? m : n);
    int64_t shape[TSR_MAX_DIMS];
    memcpy(shape, bsh, sizeof *shape * (size_t)bn);
    /* A's working copy, batch broadcast */
    shape[bn] = m, shape[bn + 1] = n;
    Tensor *Ae = NULL, *Aw = NULL, *Be = NULL, *sol = NULL, *rk = NULL, *s = NULL, *res = NULL;
    bool ok = false;
    NO_GRAD(Ae = op_expand(A, bn + 2, shape));
    Aw = Ae ? la_empty_batched(dt, bn + 2, shape, true, dev) : NULL;
    if (!Aw || !tensor_copy_(Aw, Ae)) goto done;
    /* B in a max(m, n)-row F-contiguous buffer */
    shape[bn] = m > n ? m : n, shape[bn + 1] = nrhs;
    sol = la_empty_batched(dt, bn + 2, shape, true, dev);
    if (!sol) goto done;
    { /* zeroed on its device (a CUDA buffer has no host pointer) */
        Tensor *zero = tensor_scalar_f64(dt, 0.0), *filled = NULL;
        NO_GRAD(filled = zero ? op_fill_(sol, zero) : NULL);
        tensor_release(zero);
        tensor_release(filled);
        if (!filled) goto done;
    }
    shape[bn] = m;
    NO_GRAD(Be = op_expand(B2, bn + 2, shape));
    Tensor *top = Be ? op_narrow(sol, -2, 0, m) : NULL;
    ok = top && tensor_copy_(top, Be);
    tensor_release(top);
    if (!ok) goto done;
    ok = false;
    rk = drv == LSTSQ_GELS ? empty1(DT_INT64, dev) : tensor_zeros(DT_INT64, bn, bsh, dev);
    if (drv == LSTSQ_GELSD || drv == LSTSQ_GELSS) {
        shape[bn] = m < n ? m : n;
        s = tensor_zeros(dt, bn + 1, shape, dev);
    } else {
        s = empty1(dt, dev);
    }
    if (!rk || !s) goto done;
    if (tensor_numel(sol) > 0 && m > 0 && n > 0 && nrhs > 0 &&
        !run_driver((LstsqDriver)drv, Aw, sol, drv == LSTSQ_GELS ? NULL : rk,
                    drv == LSTSQ_GELSD || drv == LSTSQ_GELSS ? s : NULL, rcond))
        goto done;
    /* residuals */
    bool with_res = m > n && drv != LSTSQ_GELSY;
    if (with_res && drv != LSTSQ_GELS) {
        const int64_t *rv = (const int64_t *)tensor_data(rk);
        for (int64_t i = 0; i < tensor_numel(rk); i++)
            if (rv[i] != n) with_res = false;
    }
    if (with_res) {
        Tensor *raw = op_narrow(sol, -2, n, m - n), *sq = NULL;
        int64_t d = -2;
        if (raw) NO_GRAD(sq = op_scalar_binary(BIN_POW, raw, 2.0, false));
        if (sq) NO_GRAD(res = op_sum(sq, 1, &d, false, dt));
        tensor_release(raw);
        tensor_release(sq);
    } else {
        res = empty1(dt, dev);
    }
    if (!res) goto done;
    if (m == 0) memset(tensor_data(sol), 0, (size_t)tensor_numel(sol) * dtype_size(dt));
    {
        int64_t vsh[TSR_MAX_DIMS];
        memcpy(vsh, sol->shape, sizeof *vsh * (size_t)(bn + 2));
        vsh[bn] = n;
        Tensor *view = tensor_as_strided(sol, vector ? bn + 1 : bn + 2, vsh, sol->stride, sol->offset);
        if (!view) goto done;
        Tensor *ins[2] = {A, B};
        if (ag_any_requires_grad(ins, 2)) {
            view = ag_record_steal(view, NODE_LinalgLstsqBackward0, ins, 2, ins, 2, NULL, 0);
            if (!view) goto done;
        }
        *solution = view;
    }
    *residuals = res, *rank = rk, *sv = s;
    res = rk = s = NULL;
    ok = true;
done:
    tensor_release(B2);
    tensor_release(Ae);
    tensor_release(Aw);
    tensor_release(Be);
    tensor_release(sol);
    tensor_release(rk);
    tensor_release(s);
    tensor_release(res);
    return ok;
}
