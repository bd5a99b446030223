/* linalg_qr.c: the QR decomposition as PyTorch 1.13 computes it
 * (BatchLinearAlgebra.cpp, BatchLinearAlgebraKernel.cpp): linalg.qr
 * (modes reduced, complete, r; torch.qr is its some= spelling), torch.geqrf
 * and linalg.householder_product (torch.orgqr). geqrf factors an
 * F-contiguous copy of each matrix, orgqr builds Q from its reflectors,
 * each with the workspace LAPACK's query asks for, once per batch, as
 * ATen's apply_geqrf / apply_orgqr do: the same calls, so the same bits.
 *
 * Nodes: LinalgQrBackward0 (outputs {Q, R}; inputs {A}; saved {Q, R};
 * args {mode: 0 reduced, 1 complete, 2 r}), GeqrfBackward0 (outputs {a,
 * tau}; PyTorch has no derivative either), LinalgHouseholderProductBackward0
 * (inputs {input, tau}; not written yet). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lapack.h"
#include "linalg_lapack.h"
#include "op_errors.h"
#include "ops.h"

/* geqrf in place over QR (F-contiguous (*, m, n)), tau (*, min(m, n))
 * contiguous */
static bool geqrf_batch(Tensor *QR, Tensor *tau) {
    if (tensor_numel(QR) == 0) return true;
    int nd = QR->ndim;
    int m = (int)QR->shape[nd - 2], n = (int)QR->shape[nd - 1], k = m < n ? m : n;
    int lda = m > 1 ? m : 1;
    DType dt = QR->dtype;
    size_t es = dtype_size(dt);
    int lwork = kernel_geqrf_lwork(dt, m, n, lda);
    if (lwork < n) lwork = n;
    char *work = tsr_malloc((unsigned long long)lwork * es);
    if (!work) return false;
    char *a = tensor_data(QR), *t = tensor_data(tau);
    int64_t B = la_batch_count(QR, 2);
    for (int64_t b = 0; b < B; b++)
        kernel_geqrf(dt, m, n, a + (size_t)(b * m * n) * es, lda, t + (size_t)(b * k) * es, work, lwork);
    free(work);
    return true;
}

/* orgqr in place over Q (F-contiguous (*, m, n), m >= n >= k) with tau
 * (*, k), contiguous */
static bool orgqr_batch(Tensor *Q, Tensor *tau) {
    if (tensor_numel(Q) == 0) return true;
    int nd = Q->ndim;
    int m = (int)Q->shape[nd - 2], n = (int)Q->shape[nd - 1], k = (int)tau->shape[tau->ndim - 1];
    int lda = m > 1 ? m : 1;
    DType dt = Q->dtype;
    size_t es = dtype_size(dt);
    int lwork = kernel_orgqr_lwork(dt, m, n, k, lda);
    char *work = tsr_malloc((unsigned long long)lwork * es);
    if (!work) return false;
    char *a = tensor_data(Q);
    const char *t = tensor_data(tau);
    int64_t B = la_batch_count(Q, 2);
    for (int64_t b = 0; b < B; b++)
        kernel_orgqr(dt, m, n, k, a + (size_t)(b * m * n) * es, lda, t + (size_t)(b * k) * es, work, lwork);
    free(work);
    return true;
}

/* tau's shape: A's batch dims and min(m, n) */
static Tensor *empty_tau(Tensor *A) {
    int nd = A->ndim;
    int64_t sh[TSR_MAX_DIMS];
    memcpy(sh, A->shape, sizeof(int64_t) * (size_t)(nd - 2));
    int64_t m = A->shape[nd - 2], n = A->shape[nd - 1];
    sh[nd - 2] = m < n ? m : n;
    return tensor_empty(A->dtype, nd - 1, sh, A->storage->device);
}

/* QR (F-contiguous copy of A) and tau after geqrf */
static bool geqrf_raw(Tensor *A, Tensor **QR, Tensor **tau) {
    *QR = la_clone_col_major(A);
    *tau = *QR ? empty_tau(A) : NULL;
    if (*tau && geqrf_batch(*QR, *tau)) return true;
    tensor_release(*QR);
    tensor_release(*tau);
    *QR = *tau = NULL;
    return false;
}

bool op_geqrf(Tensor *A, Tensor **a, Tensor **tau) {
    *a = *tau = NULL;
    if (A->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "%s", "torch.geqrf: input must have at least 2 dimensions.");
        return false;
    }
    if (!la_check_kernel(A, "geqrf_cpu") || !la_check_int_sizes(A) || !geqrf_raw(A, a, tau)) return false;
    if (ag_any_requires_grad(&A, 1)) {
        Tensor *outs[2] = {*a, *tau};
        if (!ag_record_multi(outs, 2, NODE_GeqrfBackward0, &A, 1)) {
            tensor_release(*a);
            tensor_release(*tau);
            *a = *tau = NULL;
            return false;
        }
    }
    return true;
}

/* at::native::_parse_qr_mode: 0 reduced, 1 complete, 2 r; -1 raised */
int op_qr_mode(const char *mode) {
    if (!strcmp(mode, "reduced")) return 0;
    if (!strcmp(mode, "complete")) return 1;
    if (!strcmp(mode, "r")) return 2;
    tsr_raise(ERR_RuntimeError, "qr received unrecognized mode '%s' but expected one of 'reduced' (default), 'r', or "
              "'complete'", mode);
    return -1;
}

bool op_linalg_qr(Tensor *A, int mode, Tensor **Q, Tensor **R) {
    *Q = *R = NULL;
    if (!la_check_is_matrix(A, "linalg.qr", "A") || !la_check_float(A, "linalg.qr", true)) return false;
    if (!la_check_kernel(A, "geqrf_cpu") || !la_check_int_sizes(A)) return false;
    bool compute_q = mode != 2, reduced = mode != 1;
    int nd = A->ndim;
    int64_t m = A->shape[nd - 2], n = A->shape[nd - 1], k = m < n ? m : n;
    Device dev = A->storage->device;
    DType dt = A->dtype;
    size_t es = dtype_size(dt);
    int64_t sh[TSR_MAX_DIMS], B = la_batch_count(A, 2);
    memcpy(sh, A->shape, sizeof(int64_t) * (size_t)nd);
    Tensor *QR = NULL, *tau = NULL, *q = NULL, *r = NULL;
    if (!geqrf_raw(A, &QR, &tau)) return false;
    const char *qr = tensor_data(QR);
    /* R: QR's upper triangle in its first rows (k, or m for complete) */
    int64_t rr = reduced ? k : m;
    sh[nd - 2] = rr;
    r = la_empty_batched(dt, nd, sh, true, dev);
    if (!r) goto fail;
    {
        char *rd = tensor_data(r);
        for (int64_t b = 0; b < B; b++)
            for (int64_t j = 0; j < n; j++)
                for (int64_t i = 0; i < rr; i++) {
                    char *e = rd + (size_t)(b * rr * n + j * rr + i) * es;
                    if (i <= j) memcpy(e, qr + (size_t)(b * m * n + j * m + i) * es, es);
                    else memset(e, 0, es);
                }
    }
    if (compute_q) {
        /* Q: QR's first columns (all of them when they fit), then orgqr */
        int64_t qc = reduced ? k : m, cols = qc < n ? qc : n;
        sh[nd - 2] = m, sh[nd - 1] = qc;
        q = la_empty_batched(dt, nd, sh, true, dev);
        if (!q) goto fail;
        char *qd = tensor_data(q);
        for (int64_t b = 0; b < B && m > 0 && cols > 0; b++)
            memcpy(qd + (size_t)(b * m * qc) * es, qr + (size_t)(b * m * n) * es, (size_t)(m * cols) * es);
        if (!orgqr_batch(q, tau)) goto fail;
    } else {
        int64_t zero = 0;
        q = tensor_empty(dt, 1, &zero, dev);
        if (!q) goto fail;
    }
    tensor_release(QR);
    tensor_release(tau);
    QR = tau = NULL;
    if (ag_any_requires_grad(&A, 1)) {
        Tensor *outs[2] = {q, r};
        GradNode *node = ag_record_multi(outs, 2, NODE_LinalgQrBackward0, &A, 1);
        int64_t args[1] = {mode};
        if (!node || !op_set_ctx(node, A, 1, args) || !ag_save_result(node, q, 0) || !ag_save_result(node, r, 1))
            goto fail;
    }
    *Q = q, *R = r;
    return true;
fail:
    tensor_release(QR);
    tensor_release(tau);
    tensor_release(q);
    tensor_release(r);
    return false;
}

Tensor *op_linalg_householder_product(Tensor *A, Tensor *tau) {
    const char *fn = "torch.linalg.householder_product";
    if (A->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "%s: input must have at least 2 dimensions.", fn);
        return NULL;
    }
    int nd = A->ndim;
    if (A->shape[nd - 2] < A->shape[nd - 1]) {
        tsr_raise(ERR_RuntimeError, "%s: input.shape[-2] must be greater than or equal to input.shape[-1]", fn);
        return NULL;
    }
    /* tau.size(-1) of a 0-d tau is PyTorch's IndexError */
    if (tau->ndim == 0) {
        tsr_raise(ERR_IndexError, "%s", "Dimension specified as -1 but tensor has no dimensions");
        return NULL;
    }
    if (A->shape[nd - 1] < tau->shape[tau->ndim - 1]) {
        tsr_raise(ERR_RuntimeError, "%s: input.shape[-1] must be greater than or equal to tau.shape[-1]", fn);
        return NULL;
    }
    if (nd - tau->ndim != 1) {
        tsr_raise(ERR_RuntimeError, "%s: Expected tau to have one dimension less than input, but got tau.ndim equal "
                  "to %d and input.ndim is equal to %d", fn, tau->ndim, nd);
        return NULL;
    }
    if (nd > 2 && memcmp(A->shape, tau->shape, sizeof(int64_t) * (size_t)(nd - 2))) {
        char sh[256];
        op_shape_text(sh, sizeof sh, tau->ndim - 1, tau->shape);
        tsr_raise(ERR_RuntimeError, "%s: Expected batch dimensions of tau to be equal to input.shape[:-2], but got %s",
                  fn, sh);
        return NULL;
    }
    if (tau->dtype != A->dtype) {
        tsr_raise(ERR_RuntimeError, "%s: tau dtype %s does not match input dtype %s", fn,
                  dtype_scalar_name(tau->dtype), dtype_scalar_name(A->dtype));
        return NULL;
    }
    if (!la_check_kernel(A, "orgqr_cpu") || !la_check_int_sizes(A)) return NULL;
    Tensor *r = la_clone_col_major(A);
    Tensor *t = r ? tensor_contiguous(tau) : NULL;
    bool ok = t && orgqr_batch(r, t);
    tensor_release(t);
    if (!ok) {
        tensor_release(r);
        return NULL;
    }
    Tensor *ins[2] = {A, tau};
    return la_record_unimplemented(r, NODE_LinalgHouseholderProductBackward0, ins, 2);
}
