/* linalg_decomp.c: torch.linalg's decompositions and what PyTorch 1.13
 * builds on them (aten/src/ATen/native/BatchLinearAlgebra.cpp,
 * LinearAlgebra.cpp): the LU factorization (getrf) and its solve (getrs),
 * and over them det, slogdet, logdet, inv/inv_ex and solve/solve_ex;
 * lu_factor/lu_factor_ex, lu_solve; the Cholesky factorization (potrf):
 * cholesky/cholesky_ex and the deprecated torch.cholesky; solve_triangular
 * (BLAS trsm, BLIS as in Debian's PyTorch); cholesky_solve (potrs),
 * cholesky_inverse (potri), triangular_solve (trsm), lu_unpack, and
 * linalg.lu over lu_factor_ex and lu_unpack.
 *
 * Every routine runs per matrix of the batch through kernels/cpu/lapack.c
 * on the host (a CUDA tensor's managed memory is read in place), on
 * F-contiguous copies as ATen makes them, with ATen's shortcut: a
 * C-contiguous A is factored as A^T (the same bytes read column-major),
 * and the solves then run getrs with trans 'T'. So LU, pivots and info
 * are the oracle's, and so are the results, bit for bit.
 *
 * Nodes (saved in this order):
 *   LinalgDetBackward0: inputs {A}; saved {A, det, LU, pivots}.
 *   LinalgSlogdetBackward0: outputs {sign, logabsdet}; inputs {A};
 *     saved {A, sign, LU, pivots}.
 *   LinalgInvExBackward0: inputs {A}; saved {inverse}.
 *   LinalgSolveExBackward0: inputs {A, B}; saved {A, result, LU, pivots};
 *     args {left}.
 *   LinalgCholeskyExBackward0, CholeskyBackward0: inputs {A}; saved {L};
 *     args {upper}.
 *   CholeskySolveBackward0: inputs {B, L}; saved {L, X}; args {upper}.
 *   CholeskyInverseBackward0: inputs {L}; saved {L, inverse}; args {upper}.
 *   TriangularSolveBackward0 (outputs {solution, cloned_coefficient};
 *     inputs {b, A}), LuUnpackBackward0 (outputs {L, U}; inputs {LU}):
 *     PyTorch's names, nothing saved, NotImplementedError (not written).
 *   LinalgLuFactorExBackward0 (on LU), LinalgLuSolveBackward0 (inputs
 *     {LU, B}), LinalgSolveTriangularBackward0 (inputs {A, B}): PyTorch's
 *     names, nothing saved; their backward raises NotImplementedError
 *     (not written yet). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lapack.h"
#include "linalg_lapack.h"
#include "op_errors.h"
#include "ops.h"

/* ---- PyTorch's checks (LinearAlgebraUtils.h) */

bool la_check_is_matrix(const Tensor *A, const char *fn, const char *arg) {
    if (A->ndim >= 2) return true;
    tsr_raise(ERR_RuntimeError, "%s: The input tensor %s must have at least 2 dimensions.", fn, arg);
    return false;
}

bool la_check_square(const Tensor *A, const char *fn, const char *arg) {
    if (!la_check_is_matrix(A, fn, arg)) return false;
    if (A->shape[A->ndim - 1] == A->shape[A->ndim - 2]) return true;
    tsr_raise(ERR_RuntimeError, "%s: %s must be batches of square matrices, but they are %lld by %lld matrices", fn,
              arg, (long long)A->shape[A->ndim - 2], (long long)A->shape[A->ndim - 1]);
    return false;
}

bool la_check_float(const Tensor *A, const char *fn, bool low_ok) {
    if (!dtype_is_float(A->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s: Expected a floating point or complex tensor as input. Got %s", fn,
                  dtype_scalar_name(A->dtype));
        return false;
    }
    if (!low_ok && A->dtype != DT_FLOAT32 && A->dtype != DT_FLOAT64) {
        tsr_raise(ERR_RuntimeError, "%s: Low precision dtypes not supported. Got %s", fn, dtype_scalar_name(A->dtype));
        return false;
    }
    return true;
}

/* The kernels have float32 and float64 loops only (ATen's "lu_cpu", ...) */
bool la_check_kernel(const Tensor *A, const char *kernel) {
    if (A->dtype == DT_FLOAT32 || A->dtype == DT_FLOAT64) return true;
    op_raise_not_implemented(kernel, A->dtype);
    return false;
}

/* LAPACK takes int sizes */
bool la_check_int_sizes(const Tensor *A) {
    for (int i = A->ndim >= 2 ? A->ndim - 2 : 0; i < A->ndim; i++) {
        if (A->shape[i] > INT_MAX / 2) {
            tsr_raise(ERR_RuntimeError, "%s", "tsr: matrix too large for LAPACK");
            return false;
        }
    }
    return true;
}

/* at::_linalg_check_errors: info is a contiguous int32 tensor of the batch */
bool op_linalg_check_errors(Tensor *info, const char *api, bool is_matrix) {
    const int32_t *p = (const int32_t *)tensor_data(info);
    int64_t n = tensor_numel(info), at = 0;
    while (at < n && p[at] == 0) at++;
    if (at == n) return true;
    int code = p[at];
    char batch[64] = "";
    if (!is_matrix) snprintf(batch, sizeof batch, ": (Batch element %lld)", (long long)at);
    if (code < 0) {
        /* reference LAPACK 3.10+: info -4 for non-finite input to gesdd */
        if (strstr(api, "svd") && code == -4)
            tsr_raise(ERR__LinAlgError, "%s%s: The algorithm failed to converge because the input matrix contained "
                      "non-finite values.", api, batch);
        else
            tsr_raise(ERR_RuntimeError, "%s%s: Argument %d has illegal value. Most certainly there is a bug in the "
                      "implementation calling the backend library.", api, batch, -code);
        return false;
    }
    if (strstr(api, "inv")) {
        tsr_raise(ERR__LinAlgError, "%s%s: The diagonal element %d is zero, the inversion could not be completed "
                  "because the input matrix is singular.", api, batch, code);
    } else if (strstr(api, "solve")) {
        tsr_raise(ERR__LinAlgError, "%s%s: The solver failed because the input matrix is singular.", api, batch);
    } else if (strstr(api, "cholesky")) {
        tsr_raise(ERR__LinAlgError, "%s%s: The factorization could not be completed because the input is not "
                  "positive-definite (the leading minor of order %d is not positive-definite).", api, batch, code);
    } else if (strstr(api, "svd")) {
        tsr_raise(ERR__LinAlgError, "%s%s: The algorithm failed to converge because the input matrix is "
                  "ill-conditioned or has too many repeated singular values (error code: %d).", api, batch, code);
    } else if (strstr(api, "eig") || strstr(api, "syevd")) {
        tsr_raise(ERR__LinAlgError, "%s%s: The algorithm failed to converge because the input matrix is "
                  "ill-conditioned or has too many repeated eigenvalues (error code: %d).", api, batch, code);
    } else if (strstr(api, "lu_factor")) {
        tsr_raise(ERR_RuntimeError, "%s%s: U[%d,%d] is zero and using it on lu_solve would result in a division by "
                  "zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or "
                  "linalg.lu_factor_ex(A, pivot)", api, batch, code, code);
    } else {
        /* TORCH_INTERNAL_ASSERT(false, ...) of 1.13's _linalg_check_errors */
        tsr_raise(ERR_RuntimeError, "false INTERNAL ASSERT FAILED at \"./aten/src/ATen/native/BatchLinearAlgebra.cpp\""
                  ":1491, please report a bug to PyTorch. %s: Unknown error code: %d.", api, code);
    }
    return false;
}

/* ---- layouts */

/* at::native::batched_matrix_contiguous_strides */
void la_batched_strides(int nd, const int64_t *shape, bool col_major, int64_t *st) {
    contiguous_strides(nd, shape, st);
    if (col_major && nd >= 2) {
        st[nd - 1] = shape[nd - 2] > 1 ? shape[nd - 2] : 1;
        st[nd - 2] = 1;
    }
}

/* An uninitialised tensor of shape with la_batched_strides */
Tensor *la_empty_batched(DType dt, int nd, const int64_t *shape, bool col_major, Device dev) {
    Tensor *t = tensor_empty(dt, nd, shape, dev);
    if (!t || !col_major || nd < 2) return t;
    int64_t st[TSR_MAX_DIMS];
    la_batched_strides(nd, shape, true, st);
    Tensor *v = tensor_as_strided(t, nd, shape, st, 0);
    tensor_release(t);
    return v;
}

/* cloneBatchedColumnMajor(A): an F-contiguous copy */
Tensor *la_clone_col_major(Tensor *A) {
    Tensor *r = la_empty_batched(A->dtype, A->ndim, A->shape, true, A->storage->device);
    if (r && !tensor_copy_(r, A)) {
        tensor_release(r);
        r = NULL;
    }
    return r;
}

bool la_same_strides(const Tensor *a, const int64_t *st) {
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] > 1 && a->stride[i] != st[i]) return false;
    return true;
}

/* t itself when it has la_batched_strides(col_major) already, else a copy
 * laid out so (the result of a structured op writing into its meta's
 * strides). Steals t. */
static Tensor *relayout_steal(Tensor *t, bool col_major) {
    if (!t) return NULL;
    int64_t st[TSR_MAX_DIMS];
    la_batched_strides(t->ndim, t->shape, col_major, st);
    if (la_same_strides(t, st)) return t;
    Tensor *r = la_empty_batched(t->dtype, t->ndim, t->shape, col_major, t->storage->device);
    if (r && !tensor_copy_(r, t)) {
        tensor_release(r);
        r = NULL;
    }
    tensor_release(t);
    return r;
}

/* A view of A with its last two dims swapped (A.mT()), no autograd */
Tensor *la_mT_view(Tensor *A) {
    int64_t sh[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    int nd = A->ndim;
    memcpy(sh, A->shape, sizeof(int64_t) * (size_t)nd);
    memcpy(st, A->stride, sizeof(int64_t) * (size_t)nd);
    sh[nd - 1] = A->shape[nd - 2], sh[nd - 2] = A->shape[nd - 1];
    st[nd - 1] = A->stride[nd - 2], st[nd - 2] = A->stride[nd - 1];
    return tensor_as_strided(A, nd, sh, st, A->offset);
}

int64_t la_batch_count(const Tensor *t, int mat_dims) {
    int64_t n = 1;
    for (int i = 0; i < t->ndim - mat_dims; i++) n *= t->shape[i];
    return n;
}

/* ---- LU (getrf) */

/* linalg_lu_factor_ex's kernel on A (no checks of its own, no node):
 * LU F-contiguous, pivots int32 (*, min(m, n)), info int32 (*). */
static bool lu_factor_raw(Tensor *A, Tensor **LU, Tensor **pivots, Tensor **info) {
    *LU = *pivots = *info = NULL;
    int nd = A->ndim;
    int64_t m = A->shape[nd - 2], n = A->shape[nd - 1], k = m < n ? m : n;
    int64_t psh[TSR_MAX_DIMS];
    memcpy(psh, A->shape, sizeof(int64_t) * (size_t)(nd - 2));
    psh[nd - 2] = k;
    Device dev = A->storage->device;
    Tensor *lu = la_empty_batched(A->dtype, nd, A->shape, true, dev);
    Tensor *piv = lu ? tensor_empty(DT_INT32, nd - 1, psh, dev) : NULL;
    Tensor *inf = piv ? tensor_zeros(DT_INT32, nd - 2, psh, dev) : NULL;
    if (!inf || !tensor_copy_(lu, A)) goto fail;
    int64_t B = la_batch_count(A, 2);
    if (tensor_numel(A) > 0) {
        char *a = tensor_data(lu);
        int32_t *p = (int32_t *)tensor_data(piv), *in = (int32_t *)tensor_data(inf);
        size_t es = dtype_size(A->dtype);
        int lda = m > 1 ? (int)m : 1;
        for (int64_t b = 0; b < B; b++)
            in[b] = kernel_getrf(A->dtype, (int)m, (int)n, a + (size_t)(b * m * n) * es, lda, p + b * k);
    }
    *LU = lu, *pivots = piv, *info = inf;
    return true;
fail:
    tensor_release(lu);
    tensor_release(piv);
    tensor_release(inf);
    return false;
}

/* Factors A as ATen's det/slogdet/solve do: A^T when A is contiguous */
static bool lu_factor_for(Tensor *A, const char *kernel, Tensor **LU, Tensor **pivots, Tensor **info) {
    if (!la_check_kernel(A, kernel) || !la_check_int_sizes(A)) return false;
    bool use_A_T = tensor_is_contiguous(A);
    Tensor *src = use_A_T ? la_mT_view(A) : tensor_retain(A);
    bool ok = src && lu_factor_raw(src, LU, pivots, info);
    tensor_release(src);
    return ok;
}

/* ---- getrs over a broadcast batch */

/* X solving op(A) X = B (left) or X op(A) = B from A's LU (F-contiguous
 * (*, n, n)) and pivots; B (*, n, k) or (*, k, n) of LU's dtype. The batch
 * dims broadcast. linalg_lu_solve without its checks and node: the result
 * is column-major for left, row-major otherwise. */
static Tensor *lu_solve_raw(Tensor *LU, Tensor *pivots, Tensor *B, bool left, bool adjoint) {
    int nl = LU->ndim, nb = B->ndim;
    int64_t bsh[TSR_MAX_DIMS];
    int nbatch = broadcast_shapes(nb - 2, B->shape, nl - 2, LU->shape, bsh);
    if (nbatch < 0) return NULL;
    int nd = nbatch + 2;
    bsh[nbatch] = B->shape[nb - 2], bsh[nbatch + 1] = B->shape[nb - 1];
    Device dev = B->storage->device;
    Tensor *res = la_empty_batched(B->dtype, nd, bsh, left, dev);
    if (!res || tensor_numel(res) == 0) return res;
    /* solve A^H X^H = B^H for X A = B: the transposed result is column-major */
    Tensor *work = left ? tensor_retain(res) : la_mT_view(res);
    Tensor *src = left ? tensor_retain(B) : la_mT_view(B);
    Tensor *lu = NULL, *piv = NULL;
    if (!work || !src || !tensor_copy_(work, src)) goto fail;
    if (!left) adjoint = !adjoint;
    int64_t st[TSR_MAX_DIMS];
    la_batched_strides(nl, LU->shape, true, st);
    lu = la_same_strides(LU, st) ? tensor_retain(LU) : la_empty_batched(LU->dtype, nl, LU->shape, true, dev);
    if (!lu || (lu != LU && !tensor_copy_(lu, LU))) goto fail;
    piv = tensor_contiguous(pivots);
    if (!piv) goto fail;
    {
        int64_t n = work->shape[nd - 2], nrhs = work->shape[nd - 1];
        int64_t count = la_batch_count(work, 2), lu_count = la_batch_count(lu, 2);
        size_t es = dtype_size(B->dtype);
        char *bd = tensor_data(work);
        const char *ld = tensor_data(lu);
        const int32_t *pd = (const int32_t *)tensor_data(piv);
        int ldn = n > 1 ? (int)n : 1;
        for (int64_t i = 0; i < count; i++) {
            /* the LU batch index broadcast to the result's batch index i */
            int64_t li = 0, rem = i, mul = 1;
            for (int d = nbatch - 1; d >= 0; d--) {
                int64_t idx = rem % bsh[d];
                rem /= bsh[d];
                int ld_ = d - (nbatch - (nl - 2));
                if (ld_ >= 0) {
                    if (LU->shape[ld_] != 1) li += idx * mul;
                    mul *= LU->shape[ld_];
                }
            }
            if (li >= lu_count) li = lu_count - 1;
            kernel_getrs(B->dtype, adjoint ? 'T' : 'N', (int)n, (int)nrhs, ld + (size_t)(li * n * n) * es, ldn,
                         pd + li * n, bd + (size_t)(i * n * nrhs) * es, ldn);
        }
    }
    tensor_release(work);
    tensor_release(src);
    tensor_release(lu);
    tensor_release(piv);
    return res;
fail:
    tensor_release(work);
    tensor_release(src);
    tensor_release(lu);
    tensor_release(piv);
    tensor_release(res);
    return NULL;
}

Tensor *op_linalg_lu_solve_nograd(Tensor *LU, Tensor *pivots, Tensor *B, bool left, bool adjoint) {
    if (!la_check_kernel(LU, "linalg.lu_solve_cpu") || !la_check_int_sizes(B)) return NULL;
    return lu_solve_raw(LU, pivots, B, left, adjoint);
}

/* ---- det, slogdet, logdet */

/* lu_det_P: (-1) ** (the number of row interchanges), as A's dtype */
static Tensor *lu_det_P(Tensor *pivots, DType dt) {
    int nd = pivots->ndim;
    Tensor *r = tensor_empty(dt, nd - 1, pivots->shape, pivots->storage->device);
    Tensor *p = r ? tensor_contiguous(pivots) : NULL;
    if (!p) {
        tensor_release(r);
        return NULL;
    }
    int64_t k = pivots->shape[nd - 1], B = tensor_numel(r);
    const int32_t *pd = (const int32_t *)tensor_data(p);
    char *rd = tensor_data(r);
    for (int64_t b = 0; b < B; b++) {
        int64_t swaps = 0;
        for (int64_t i = 0; i < k; i++) swaps += pd[b * k + i] != i + 1;
        double s = swaps % 2 ? -1.0 : 1.0;
        if (dt == DT_FLOAT64) ((double *)rd)[b] = s;
        else ((float *)rd)[b] = (float)s;
    }
    tensor_release(p);
    return r;
}

static Tensor *lu_diag(Tensor *LU) { return op_diagonal(LU, 0, -2, -1); }

static bool det_checks(Tensor *A, const char *fn, bool low_ok) {
    return la_check_square(A, fn, "A") && la_check_float(A, fn, low_ok);
}

Tensor *op_linalg_det(Tensor *A) {
    if (!det_checks(A, "linalg.det", true)) return NULL;
    Tensor *LU = NULL, *piv = NULL, *info = NULL, *detp = NULL, *d = NULL, *pr = NULL, *det = NULL;
    NO_GRAD(if (lu_factor_for(A, "lu_cpu", &LU, &piv, &info)) {
        detp = lu_det_P(piv, A->dtype);
        d = detp ? lu_diag(LU) : NULL;
        int64_t last = -1;
        pr = d ? op_prod(d, 1, &last, false, DT_UNDEFINED) : NULL;
        det = pr ? op_binary(BIN_MUL, detp, pr) : NULL;
    });
    tensor_release(info);
    tensor_release(detp);
    tensor_release(d);
    tensor_release(pr);
    if (det && ag_any_requires_grad(&A, 1)) {
        Tensor *saved[4] = {A, det, LU, piv};
        det = ag_record_steal(det, NODE_LinalgDetBackward0, &A, 1, saved, 4, NULL, 0);
    }
    tensor_release(LU);
    tensor_release(piv);
    return det;
}

static bool slogdet_common(Tensor *A, const char *fn, Tensor **sign, Tensor **logabsdet) {
    *sign = *logabsdet = NULL;
    if (!det_checks(A, fn, false)) return false;
    Tensor *LU = NULL, *piv = NULL, *info = NULL, *detp = NULL, *d = NULL, *sg = NULL, *sp = NULL, *ab = NULL,
           *lg = NULL, *s = NULL, *l = NULL;
    int64_t last = -1;
    NO_GRAD(if (lu_factor_for(A, "lu_cpu", &LU, &piv, &info)) {
        detp = lu_det_P(piv, A->dtype);
        d = detp ? lu_diag(LU) : NULL;
        sg = d ? op_sgn(d) : NULL;
        sp = sg ? op_prod(sg, 1, &last, false, DT_UNDEFINED) : NULL;
        s = sp ? op_binary(BIN_MUL, sp, detp) : NULL;
        ab = s ? op_unary(UN_ABS, d) : NULL;
        lg = ab ? op_unary(UN_LOG, ab) : NULL;
        l = lg ? op_sum(lg, 1, &last, false, DT_UNDEFINED) : NULL;
    });
    tensor_release(info);
    tensor_release(detp);
    tensor_release(d);
    tensor_release(sg);
    tensor_release(sp);
    tensor_release(ab);
    tensor_release(lg);
    bool ok = l != NULL;
    if (ok && ag_any_requires_grad(&A, 1)) {
        Tensor *outs[2] = {s, l};
        GradNode *node = ag_record_multi(outs, 2, NODE_LinalgSlogdetBackward0, &A, 1);
        ok = node && ag_save(node, A) && ag_save_result(node, s, 0) && ag_save(node, LU) && ag_save(node, piv);
    }
    tensor_release(LU);
    tensor_release(piv);
    if (!ok) {
        tensor_release(s);
        tensor_release(l);
        return false;
    }
    *sign = s, *logabsdet = l;
    return true;
}

bool op_linalg_slogdet(Tensor *A, Tensor **sign, Tensor **logabsdet) {
    return slogdet_common(A, "linalg.slogdet", sign, logabsdet);
}

/* logdet: where(sign == -1, nan, logabsdet) for real A */
Tensor *op_logdet(Tensor *A) {
    if (!det_checks(A, "logdet", false)) return NULL;
    Tensor *s, *l;
    if (!slogdet_common(A, "linalg.slogdet", &s, &l)) return NULL;
    Tensor *m1 = tensor_wrapped_float(-1.0), *nan_ = m1 ? tensor_wrapped_float(NAN) : NULL;
    Tensor *c = NULL, *r = NULL;
    if (nan_) c = op_binary(BIN_EQ, s, m1);
    if (c) r = op_where(c, nan_, l);
    tensor_release(m1);
    tensor_release(nan_);
    tensor_release(c);
    tensor_release(s);
    tensor_release(l);
    return r;
}

/* ---- solve, inv */

/* at::native::linalg_solve_is_vector_rhs */
static bool solve_is_vector_rhs(const Tensor *A, const Tensor *B) {
    if (B->ndim == 1) return true;
    if (B->ndim != A->ndim - 1) return false;
    for (int i = 0; i < B->ndim; i++)
        if (B->shape[i] != A->shape[i]) return false;
    return true;
}

/* The computation of _linalg_solve_ex (checked inputs): X, and the
 * factorization it used */
static bool solve_core(Tensor *A, Tensor *B, bool left, bool check_errors, const char *api, Tensor **X,
                       Tensor **LU, Tensor **piv, Tensor **info) {
    *X = *LU = *piv = *info = NULL;
    bool vector_case = solve_is_vector_rhs(A, B);
    bool use_A_T = tensor_is_contiguous(A);
    Tensor *B_ = NULL, *x = NULL;
    if (!lu_factor_for(A, "lu_cpu", LU, piv, info)) goto fail;
    if (check_errors && !op_linalg_check_errors(*info, api, A->ndim == 2)) goto fail;
    B_ = vector_case ? op_unsqueeze(B, -1) : tensor_retain(B);
    x = B_ ? lu_solve_raw(*LU, *piv, B_, left, use_A_T) : NULL;
    if (!x) goto fail;
    if (vector_case) {
        int64_t last = -1;
        Tensor *sq = op_squeeze(x, 1, &last);
        tensor_release(x);
        x = relayout_steal(sq, left);
        if (!x) goto fail;
    }
    tensor_release(B_);
    *X = x;
    return true;
fail:
    tensor_release(B_);
    tensor_release(*LU);
    tensor_release(*piv);
    tensor_release(*info);
    *LU = *piv = *info = NULL;
    return false;
}

static bool solve_checks(Tensor *A, Tensor *B, bool left) {
    const char *fn = "linalg.solve";
    if (!la_check_float(A, fn, true)) return false;
    if (A->dtype != B->dtype) {
        tsr_raise(ERR_RuntimeError, "%s: Expected A and B to have the same dtype, but found A of type %s and B of "
                  "type %s instead", fn, dtype_scalar_name(A->dtype), dtype_scalar_name(B->dtype));
        return false;
    }
    bool vector_case = solve_is_vector_rhs(A, B);
    if (!la_check_square(A, fn, "A")) return false;
    int nb = B->ndim + (vector_case ? 1 : 0);
    if (nb < 2) return la_check_is_matrix(B, fn, "B");
    int64_t br = vector_case ? B->shape[B->ndim - 1] : B->shape[nb - 2];
    int64_t bc = vector_case ? 1 : B->shape[nb - 1];
    int64_t n = A->shape[A->ndim - 1];
    if (left ? n != br : n != bc) {
        tsr_raise(ERR_RuntimeError, "%s: Incompatible shapes of A and B for the equation %s (%lldx%lld and "
                  "%lldx%lld)", fn, left ? "AX = B" : "XA = B", (long long)n, (long long)n, (long long)br,
                  (long long)bc);
        return false;
    }
    int64_t tmp[TSR_MAX_DIMS];
    if (broadcast_shapes(nb - 2, B->shape, A->ndim - 2, A->shape, tmp) < 0) return false;
    if (!left && vector_case) {
        tsr_raise(ERR_RuntimeError, "%s", "linalg.solve: Vector broadcasting of the left hand side is not supported "
                  "for left=False. In this case linalg.solve is equivalent to B / A.squeeze(-1)");
        return false;
    }
    return true;
}

bool op_linalg_solve_ex(Tensor *A, Tensor *B, bool left, bool check_errors, const char *api, Tensor **X,
                        Tensor **info) {
    *X = *info = NULL;
    if (!solve_checks(A, B, left)) return false;
    Tensor *x = NULL, *LU = NULL, *piv = NULL, *inf = NULL;
    bool ok;
    NO_GRAD(ok = solve_core(A, B, left, check_errors, api, &x, &LU, &piv, &inf));
    if (!ok) return false;
    Tensor *ins[2] = {A, B};
    if (ag_any_requires_grad(ins, 2)) {
        GradNode *node = ag_record(x, NODE_LinalgSolveExBackward0, ins, 2);
        int64_t args[1] = {left};
        ok = node && op_set_ctx(node, A, 1, args) && ag_save(node, A) && ag_save_result(node, x, 0) &&
             ag_save(node, LU) && ag_save(node, piv);
    }
    tensor_release(LU);
    tensor_release(piv);
    if (!ok) {
        tensor_release(x);
        tensor_release(inf);
        return false;
    }
    *X = x, *info = inf;
    return true;
}

/* The identity batch of A's shape, F-contiguous (linalg_inv_ex's result) */
static Tensor *identity_like(Tensor *A) {
    Tensor *I = la_empty_batched(A->dtype, A->ndim, A->shape, true, A->storage->device);
    if (!I) return NULL;
    int64_t n = A->shape[A->ndim - 1], B = la_batch_count(A, 2);
    char *d = tensor_data(I);
    size_t es = dtype_size(A->dtype);
    if (B * n * n == 0) return I;
    memset(d, 0, (size_t)(B * n * n) * es);
    for (int64_t b = 0; b < B; b++)
        for (int64_t i = 0; i < n; i++) {
            char *e = d + (size_t)(b * n * n + i * n + i) * es;
            if (A->dtype == DT_FLOAT64) *(double *)e = 1.0;
            else if (A->dtype == DT_FLOAT32) *(float *)e = 1.0f;
        }
    return I;
}

bool op_linalg_inv_ex(Tensor *A, bool check_errors, const char *api, Tensor **inverse, Tensor **info) {
    *inverse = *info = NULL;
    if (!la_check_square(A, "linalg.inv", "A") || !la_check_float(A, "linalg.inv", false)) return false;
    Tensor *I = identity_like(A), *x = NULL, *LU = NULL, *piv = NULL, *inf = NULL;
    bool ok = I != NULL;
    if (ok) NO_GRAD(ok = solve_core(A, I, true, false, api, &x, &LU, &piv, &inf));
    tensor_release(I);
    tensor_release(LU);
    tensor_release(piv);
    if (ok && check_errors) ok = op_linalg_check_errors(inf, api, A->ndim == 2);
    if (ok && ag_any_requires_grad(&A, 1)) {
        Tensor *saved[1] = {x};
        Tensor *r = ag_record_steal(x, NODE_LinalgInvExBackward0, &A, 1, saved, 1, NULL, 0);
        x = r;
        ok = r != NULL;
    }
    if (!ok) {
        tensor_release(x);
        tensor_release(inf);
        return false;
    }
    *inverse = x, *info = inf;
    return true;
}

/* ---- cholesky (potrf) */

/* L (F-contiguous) of A's triangle and info; no checks, no node */
static bool cholesky_raw(Tensor *A, bool upper, Tensor **L, Tensor **info) {
    *L = *info = NULL;
    int nd = A->ndim;
    Device dev = A->storage->device;
    Tensor *l = la_empty_batched(A->dtype, nd, A->shape, true, dev);
    Tensor *inf = l ? tensor_zeros(DT_INT32, nd - 2, A->shape, dev) : NULL;
    if (!inf || !tensor_copy_(l, A)) goto fail;
    int64_t n = A->shape[nd - 1], B = la_batch_count(A, 2);
    if (tensor_numel(A) > 0) {
        char *d = tensor_data(l);
        int32_t *in = (int32_t *)tensor_data(inf);
        size_t es = dtype_size(A->dtype);
        for (int64_t b = 0; b < B; b++) {
            char *m = d + (size_t)(b * n * n) * es;
            /* ATen's tril_out/triu_out of A before potrf: the other
             * triangle is zero (column-major: element (i, j) at j * n + i) */
            for (int64_t j = 0; j < n; j++)
                for (int64_t i = 0; i < n; i++)
                    if (upper ? i > j : i < j) memset(m + (size_t)(j * n + i) * es, 0, es);
            in[b] = kernel_potrf(A->dtype, upper ? 'U' : 'L', (int)n, m, n > 1 ? (int)n : 1);
        }
    }
    *L = l, *info = inf;
    return true;
fail:
    tensor_release(l);
    tensor_release(inf);
    return false;
}

Tensor *la_record_unimplemented(Tensor *out, GradNodeKind kind, Tensor *const *ins, int n) {
    return ag_record_steal(out, kind, ins, n, NULL, 0, NULL, 0);
}

/* The Cholesky nodes save L and keep upper in args[0] */
static Tensor *record_cholesky(Tensor *L, GradNodeKind kind, Tensor *A, bool upper) {
    if (!ag_any_requires_grad(&A, 1)) return L;
    int64_t args[1] = {upper};
    OpCtx ctx = op_ctx(A, 1, args);
    Tensor *saved[1] = {L};
    return ag_record_steal(L, kind, &A, 1, saved, 1, &ctx, sizeof ctx);
}

bool op_linalg_cholesky_ex(Tensor *A, bool upper, bool check_errors, const char *api, Tensor **L, Tensor **info) {
    *L = *info = NULL;
    if (!la_check_square(A, "linalg.cholesky", "A") || !la_check_float(A, "linalg.cholesky", true) ||
        !la_check_kernel(A, "cholesky_cpu") || !la_check_int_sizes(A))
        return false;
    Tensor *l, *inf;
    if (!cholesky_raw(A, upper, &l, &inf)) return false;
    if (check_errors && !op_linalg_check_errors(inf, api, A->ndim == 2)) {
        tensor_release(l);
        tensor_release(inf);
        return false;
    }
    l = record_cholesky(l, NODE_LinalgCholeskyExBackward0, A, upper);
    if (!l) {
        tensor_release(inf);
        return false;
    }
    *L = l, *info = inf;
    return true;
}

/* torch.cholesky (deprecated): its own checks and texts */
Tensor *op_cholesky_legacy(Tensor *A, bool upper) {
    if (tensor_numel(A) == 0) return tensor_empty(A->dtype, A->ndim, A->shape, A->storage->device);
    if (!la_check_square(A, "cholesky", "A") || !la_check_kernel(A, "cholesky_cpu") || !la_check_int_sizes(A)) return NULL;
    Tensor *l, *inf;
    if (!cholesky_raw(A, upper, &l, &inf)) return NULL;
    bool ok = op_linalg_check_errors(inf, "cholesky", A->ndim == 2);
    tensor_release(inf);
    if (!ok) {
        tensor_release(l);
        return NULL;
    }
    return record_cholesky(l, NODE_CholeskyBackward0, A, upper);
}

/* ---- lu_factor, lu_solve */

bool op_linalg_lu_factor_ex(Tensor *A, bool pivot, bool check_errors, const char *api, Tensor **LU, Tensor **piv,
                            Tensor **info) {
    *LU = *piv = *info = NULL;
    if (A->ndim < 2) {
        char sh[256];
        op_shape_text(sh, sizeof sh, A->ndim, A->shape);
        tsr_raise(ERR_RuntimeError, "torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: %s instead",
                  sh);
        return false;
    }
    if (tensor_numel(A) > 0) {
        if (!la_check_kernel(A, "lu_cpu") || !la_check_int_sizes(A)) return false;
        if (!pivot) {
            tsr_raise(ERR_RuntimeError, "%s", "linalg.lu_factor: LU without pivoting is not implemented on the CPU");
            return false;
        }
    }
    Tensor *lu, *p, *in;
    if (!lu_factor_raw(A, &lu, &p, &in)) return false;
    if (check_errors && !op_linalg_check_errors(in, api, A->ndim == 2)) goto fail;
    if (ag_any_requires_grad(&A, 1)) { /* saved {LU, pivots}, args {pivot} */
        Tensor *outs[1] = {lu};
        int64_t args[1] = {pivot};
        GradNode *node = ag_record_multi(outs, 1, NODE_LinalgLuFactorExBackward0, &A, 1);
        if (!node || !op_set_ctx(node, A, 1, args) || !ag_save_result(node, lu, 0) || !ag_save(node, p)) goto fail;
    }
    *LU = lu, *piv = p, *info = in;
    return true;
fail:
    tensor_release(lu);
    tensor_release(p);
    tensor_release(in);
    return false;
}

Tensor *op_linalg_lu_solve(Tensor *LU, Tensor *pivots, Tensor *B, bool left, bool adjoint) {
    if (!la_check_float(LU, "torch.linalg.lu_solve", true)) return NULL;
    if (LU->dtype != B->dtype) {
        tsr_raise(ERR_RuntimeError, "linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type "
                  "%s and B of type %s instead", dtype_scalar_name(LU->dtype), dtype_scalar_name(B->dtype));
        return NULL;
    }
    if (pivots->dtype != DT_INT32) {
        tsr_raise(ERR_RuntimeError, "%s", "linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32");
        return NULL;
    }
    if (!la_check_square(LU, "torch.linalg.lu_solve", "A") || !la_check_is_matrix(B, "linalg.lu_solve", "B")) return NULL;
    int64_t n = LU->shape[LU->ndim - 1], bd = B->shape[B->ndim - (left ? 2 : 1)];
    if (n != bd) {
        tsr_raise(ERR_RuntimeError, "linalg.lu_solve: Incompatible shapes of A and B for the equation %s (%lldx%lld "
                  "and %lldx%lld)", left ? "AX = B" : "XA = B", (long long)n, (long long)n,
                  (long long)B->shape[B->ndim - 2], (long long)B->shape[B->ndim - 1]);
        return NULL;
    }
    if (pivots->ndim == 0) {
        tsr_raise(ERR_IndexError, "%s", "Dimension specified as -1 but tensor has no dimensions");
        return NULL;
    }
    if (pivots->shape[pivots->ndim - 1] != n) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "linalg.lu_solve: Number of pivots per batch should be same as the dimension of the matrix");
        return NULL;
    }
    bool same = pivots->ndim == LU->ndim - 1;
    for (int i = 0; same && i < pivots->ndim; i++) same = pivots->shape[i] == LU->shape[i];
    if (!same) {
        char sh[256];
        op_shape_text(sh, sizeof sh, pivots->ndim, pivots->shape);
        tsr_raise(ERR_RuntimeError, "linalg.lu_solve: Expected LU.shape[:-1] and pivots.shape to be the same, but got "
                  "pivots with shape %s instead", sh);
        return NULL;
    }
    if (!la_check_kernel(LU, "linalg.lu_solve_cpu") || !la_check_int_sizes(B)) return NULL;
    Tensor *r = lu_solve_raw(LU, pivots, B, left, adjoint);
    Tensor *ins[2] = {LU, B}, *saved[3] = {LU, pivots, r};
    int64_t args[2] = {left, adjoint};
    OpCtx ctx = op_ctx(LU, 2, args);
    return ag_record_steal(r, NODE_LinalgLuSolveBackward0, ins, 2, saved, 3, &ctx, sizeof ctx);
}

/* ---- solve_triangular (BLAS trsm) */

/* X with op(A) X = B (left) or X A = B, A triangular; the result is
 * F-contiguous of A's dtype (ATen's linalg_solve_triangular_out into a new
 * tensor: B copied into an F-contiguous out, A read in place when its
 * matrices are column- or row-major, the latter as trans 'T' with the
 * other triangle). Checked inputs, no node. */
static Tensor *solve_triangular_raw(Tensor *A, Tensor *B, bool upper, bool left, bool unit) {
    int na = A->ndim, nb = B->ndim;
    int64_t sh[TSR_MAX_DIMS];
    int nbatch = broadcast_shapes(nb - 2, B->shape, na - 2, A->shape, sh);
    if (nbatch < 0) return NULL;
    int nd = nbatch + 2;
    sh[nbatch] = B->shape[nb - 2], sh[nbatch + 1] = B->shape[nb - 1];
    Device dev = B->storage->device;
    Tensor *out = la_empty_batched(A->dtype, nd, sh, true, dev);
    if (!out || tensor_numel(out) == 0) return out;
    Tensor *Af = NULL;
    if (!tensor_copy_(out, B)) goto fail;
    /* ATen reads A in place when the broadcast A is contiguous or
     * F-contiguous as a whole (is_row_or_column_contiguous) */
    bool bcast = na - 2 != nbatch;
    for (int d = 0; !bcast && d < nbatch; d++) bcast = A->shape[d] != sh[d];
    bool a_row = !bcast && tensor_is_contiguous(A), a_col = false;
    if (!bcast && !a_row) {
        Tensor *t = la_mT_view(A);
        if (!t) goto fail;
        a_col = tensor_is_contiguous(t);
        tensor_release(t);
    }
    if (a_col || a_row) {
        Af = tensor_retain(A);
    } else {
        Af = la_empty_batched(A->dtype, na, A->shape, true, dev);
        if (!Af || !tensor_copy_(Af, A)) goto fail;
        a_col = true;
    }
    {
        int64_t m = out->shape[nd - 2], n = out->shape[nd - 1], k = A->shape[na - 1];
        int64_t lda = k > 1 ? k : 1;
        size_t es = dtype_size(A->dtype);
        int64_t count = la_batch_count(out, 2);
        char *od = tensor_data(out);
        const char *ad = tensor_data(Af);
        for (int64_t i = 0; i < count; i++) {
            /* A's matrix for the result's batch index i (A's batch dims
             * broadcast, read through its strides) */
            int64_t off = 0, rem = i;
            for (int d = nbatch - 1; d >= 0; d--) {
                int64_t idx = rem % sh[d];
                rem /= sh[d];
                int ad_ = d - (nbatch - (na - 2));
                if (ad_ >= 0 && Af->shape[ad_] != 1) off += idx * Af->stride[ad_];
            }
            kernel_trsm(A->dtype, left ? 'L' : 'R', (upper == a_col) ? 'U' : 'L', a_col ? 'N' : 'T', unit ? 'U' : 'N',
                        (int)m, (int)n, ad + (size_t)off * es, (int)lda, od + (size_t)(i * m * n) * es,
                        m > 1 ? (int)m : 1);
        }
    }
    tensor_release(Af);
    return out;
fail:
    tensor_release(Af);
    tensor_release(out);
    return NULL;
}

Tensor *op_linalg_solve_triangular_nograd(Tensor *A, Tensor *B, bool upper, bool left, bool unit) {
    return solve_triangular_raw(A, B, upper, left, unit);
}

Tensor *op_linalg_solve_triangular(Tensor *A, Tensor *B, bool upper, bool left, bool unit) {
    const char *fn = "linalg.solve_triangular";
    if (!la_check_square(A, fn, "A") || !la_check_is_matrix(B, fn, "B")) return NULL;
    int64_t n = A->shape[A->ndim - 1], bd = B->shape[B->ndim - (left ? 2 : 1)];
    if (n != bd) {
        tsr_raise(ERR_RuntimeError, "%s: Incompatible shapes of A and B for the equation %s (%lldx%lld and %lldx%lld)",
                  fn, left ? "AX = B" : "XA = B", (long long)n, (long long)n, (long long)B->shape[B->ndim - 2],
                  (long long)B->shape[B->ndim - 1]);
        return NULL;
    }
    if (!la_check_kernel(A, "triangular_solve_cpu") || !la_check_int_sizes(A) || !la_check_int_sizes(B)) return NULL;
    Tensor *r = solve_triangular_raw(A, B, upper, left, unit);
    Tensor *ins[2] = {A, B}, *saved[2] = {A, r};
    int64_t args[3] = {upper, left, unit};
    OpCtx ctx = op_ctx(A, 3, args);
    return ag_record_steal(r, NODE_LinalgSolveTriangularBackward0, ins, 2, saved, 2, &ctx, sizeof ctx);
}

/* ---- matrix_power (composite, LinearAlgebra.cpp's
 * linalg_matrix_power_impl: the same matmuls in the same order) */

static Tensor *clone_contiguous(Tensor *a) { return tensor_is_contiguous(a) ? op_clone(a) : op_contiguous(a); }

static Tensor *mm_steal(Tensor *x, Tensor *y) {
    Tensor *r = x && y ? op_matmul(x, y) : NULL;
    tensor_release(x);
    return r;
}

Tensor *op_linalg_matrix_power(Tensor *A, int64_t n) {
    if (!la_check_square(A, "linalg.matrix_power", "A")) return NULL;
    if (n == 0) {
        Tensor *out = clone_contiguous(A);
        Tensor *eye = out ? op_eye(A->shape[A->ndim - 1], A->shape[A->ndim - 1], A->dtype, A->storage->device) : NULL;
        Tensor *r = eye ? op_copy_(out, eye) : NULL;
        tensor_release(eye);
        tensor_release(out);
        return r;
    }
    if (n == 1) return clone_contiguous(A);
    Tensor *a = NULL;
    if (n < 0) {
        Tensor *info = NULL;
        if (!op_linalg_inv_ex(A, false, "linalg.inv", &a, &info)) return NULL;
        bool ok = op_linalg_check_errors(info, "linalg.inv", A->ndim == 2);
        tensor_release(info);
        if (!ok) {
            tensor_release(a);
            return NULL;
        }
        if (n == -1) return a;
    } else {
        a = tensor_retain(A);
    }
    uint64_t k = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    Tensor *r = NULL;
    if (k == 2) {
        r = op_matmul(a, a);
    } else if (k == 3) {
        r = mm_steal(op_matmul(a, a), a);
    } else {
        /* binary decomposition from the least significant bit */
        Tensor *z = NULL;
        bool failed = false;
        while (k > 0 && !failed) {
            bool bit = k % 2;
            k /= 2;
            z = z ? mm_steal(z, z) : tensor_retain(a);
            if (!z) failed = true;
            else if (bit) {
                r = r ? mm_steal(r, z) : tensor_retain(z);
                if (!r) failed = true;
            }
            if (!failed && tsr_check_interrupt()) failed = true;
        }
        tensor_release(z);
        if (failed) {
            tensor_release(r);
            r = NULL;
        }
    }
    tensor_release(a);
    return r;
}

/* ---- cholesky_solve (potrs), cholesky_inverse (potri) */

/* B's and A's batch dims broadcast (_linalg_broadcast_batch_dims): *Bb,
 * *Ab expanded views */
bool la_broadcast_batch(Tensor *B, Tensor *A, Tensor **Bb, Tensor **Ab) {
    *Bb = *Ab = NULL;
    int64_t sh[TSR_MAX_DIMS];
    int nb = broadcast_shapes(B->ndim - 2, B->shape, A->ndim - 2, A->shape, sh);
    if (nb < 0) return false;
    sh[nb] = B->shape[B->ndim - 2], sh[nb + 1] = B->shape[B->ndim - 1];
    *Bb = op_expand(B, nb + 2, sh);
    sh[nb] = A->shape[A->ndim - 2], sh[nb + 1] = A->shape[A->ndim - 1];
    *Ab = *Bb ? op_expand(A, nb + 2, sh) : NULL;
    if (*Ab) return true;
    tensor_release(*Bb);
    *Bb = NULL;
    return false;
}

/* at::native::linearSolveCheckInputs(b, A, name) */
bool la_linear_solve_check(Tensor *B, Tensor *A, const char *name) {
    if (B->dtype != A->dtype) {
        tsr_raise(ERR_RuntimeError, "Expected b and A to have the same dtype, but found b of type %s and A of type %s "
                  "instead.", dtype_scalar_name(B->dtype), dtype_scalar_name(A->dtype));
        return false;
    }
    int64_t n = A->shape[A->ndim - 1];
    if (A->shape[A->ndim - 2] != n) {
        tsr_raise(ERR_RuntimeError, "A must be batches of square matrices, but they are %lld by %lld matrices",
                  (long long)A->shape[A->ndim - 2], (long long)n);
        return false;
    }
    if (B->ndim < 2) {
        tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got -2)");
        return false;
    }
    if (B->shape[B->ndim - 2] != n) {
        tsr_raise(ERR_RuntimeError, "Incompatible matrix sizes for %s: each A matrix is %lld by %lld but each b "
                  "matrix is %lld by %lld", name, (long long)n, (long long)n, (long long)B->shape[B->ndim - 2],
                  (long long)B->shape[B->ndim - 1]);
        return false;
    }
    return true;
}

Tensor *op_cholesky_solve(Tensor *B, Tensor *L, bool upper) {
    if (B->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "b should have at least 2 dimensions, but has %d dimensions instead", B->ndim);
        return NULL;
    }
    if (L->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "u should have at least 2 dimensions, but has %d dimensions instead", L->ndim);
        return NULL;
    }
    if (!la_linear_solve_check(B, L, "cholesky_solve")) return NULL;
    int64_t n = L->shape[L->ndim - 1];
    Tensor *Bb, *Lb;
    if (!la_broadcast_batch(B, L, &Bb, &Lb)) return NULL;
    Tensor *X = NULL, *Lc = NULL;
    if (!la_check_kernel(B, "cholesky_solve_cpu") || !la_check_int_sizes(Bb)) goto done;
    X = la_clone_col_major(Bb);
    Lc = X ? la_clone_col_major(Lb) : NULL;
    if (!Lc) goto done;
    if (tensor_numel(X) > 0) {
        int nd = X->ndim;
        int64_t k = X->shape[nd - 1], B_ = la_batch_count(X, 2);
        size_t es = dtype_size(B->dtype);
        char *xd = tensor_data(X);
        const char *ld = tensor_data(Lc);
        int ld_ = n > 1 ? (int)n : 1;
        for (int64_t b = 0; b < B_; b++)
            kernel_potrs(B->dtype, upper ? 'U' : 'L', (int)n, (int)k, ld + (size_t)(b * n * n) * es, ld_,
                         xd + (size_t)(b * n * k) * es, ld_);
    }
done:
    tensor_release(Bb);
    tensor_release(Lb);
    tensor_release(Lc);
    if (!X) return NULL;
    Tensor *ins[2] = {B, L};
    if (!ag_any_requires_grad(ins, 2)) return X;
    int64_t args[1] = {upper};
    OpCtx ctx = op_ctx(B, 1, args);
    Tensor *saved[2] = {L, X};
    return ag_record_steal(X, NODE_CholeskySolveBackward0, ins, 2, saved, 2, &ctx, sizeof ctx);
}

Tensor *op_cholesky_inverse(Tensor *L, bool upper) {
    if (!la_check_square(L, "cholesky_inverse", "A") || !la_check_kernel(L, "cholesky_inverse_out_cpu") ||
        !la_check_int_sizes(L))
        return NULL;
    Tensor *R = la_clone_col_major(L);
    int64_t one = 1, B = la_batch_count(L, 2);
    Tensor *info = R ? tensor_zeros(DT_INT32, 1, B > 0 ? &B : &one, L->storage->device) : NULL;
    if (!info) {
        tensor_release(R);
        return NULL;
    }
    if (tensor_numel(R) > 0) {
        int64_t n = L->shape[L->ndim - 1];
        size_t es = dtype_size(L->dtype);
        char *d = tensor_data(R);
        int32_t *in = (int32_t *)tensor_data(info);
        for (int64_t b = 0; b < B; b++) {
            char *a = d + (size_t)(b * n * n) * es;
            in[b] = kernel_potri(L->dtype, upper ? 'U' : 'L', (int)n, a, (int)n);
            /* apply_reflect_conj_tri_single: the computed triangle mirrored
             * (column-major: (r, c) at c * n + r) */
            for (int64_t c = 0; c < n; c++)
                for (int64_t r = 0; r < n; r++)
                    if (upper ? r > c : r < c) memcpy(a + (size_t)(c * n + r) * es, a + (size_t)(r * n + c) * es, es);
        }
    }
    bool ok = op_linalg_check_errors(info, "cholesky_inverse", R->ndim == 2);
    tensor_release(info);
    if (!ok) {
        tensor_release(R);
        return NULL;
    }
    if (!ag_any_requires_grad(&L, 1)) return R;
    int64_t args[1] = {upper};
    OpCtx ctx = op_ctx(L, 1, args);
    Tensor *saved[2] = {L, R};
    return ag_record_steal(R, NODE_CholeskyInverseBackward0, &L, 1, saved, 2, &ctx, sizeof ctx);
}

/* ---- torch.triangular_solve (deprecated; BLAS trsm as
 * apply_triangular_solve calls it on F-contiguous copies) */

bool op_triangular_solve(Tensor *B, Tensor *A, bool upper, bool transpose, bool unit, Tensor **X, Tensor **Ac) {
    *X = *Ac = NULL;
    if (B->ndim < 2 || A->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "torch.triangular_solve: Expected %s to have at least 2 dimensions, but it has %d "
                  "dimensions instead", B->ndim < 2 ? "b" : "A", B->ndim < 2 ? B->ndim : A->ndim);
        return false;
    }
    if (!la_linear_solve_check(B, A, "triangular_solve")) return false;
    int64_t n = A->shape[A->ndim - 1];
    Tensor *Bb, *Ab;
    if (!la_broadcast_batch(B, A, &Bb, &Ab)) return false;
    Tensor *x = NULL, *ac = NULL;
    bool ok = la_check_kernel(A, "triangular_solve_cpu") && la_check_int_sizes(Bb);
    x = ok ? la_clone_col_major(Bb) : NULL;
    ac = x ? la_clone_col_major(Ab) : NULL;
    tensor_release(Bb);
    tensor_release(Ab);
    if (!ac) {
        tensor_release(x);
        return false;
    }
    if (tensor_numel(x) > 0 && n > 0) {
        int nd = x->ndim;
        int64_t k = x->shape[nd - 1], count = la_batch_count(x, 2);
        size_t es = dtype_size(A->dtype);
        char *xd = tensor_data(x);
        const char *ad = tensor_data(ac);
        for (int64_t b = 0; b < count; b++)
            kernel_trsm(A->dtype, 'L', upper ? 'U' : 'L', transpose ? 'T' : 'N', unit ? 'U' : 'N', (int)n, (int)k,
                        ad + (size_t)(b * n * n) * es, (int)n, xd + (size_t)(b * n * k) * es, (int)n);
    }
    Tensor *ins[2] = {B, A};
    if (ag_any_requires_grad(ins, 2)) {
        Tensor *outs[2] = {x, ac};
        int64_t args[3] = {upper, transpose, unit};
        GradNode *node = ag_record_multi(outs, 2, NODE_TriangularSolveBackward0, ins, 2);
        if (!node || !op_set_ctx(node, A, 3, args) || !ag_save(node, A) || !ag_save_result(node, x, 0)) {
            tensor_release(x);
            tensor_release(ac);
            return false;
        }
    }
    *X = x, *Ac = ac;
    return true;
}

/* ---- torch.lu_unpack (lu_unpack_out): L (unit lower, m x k), U (upper,
 * k x n) copied out of LU, P (m x m) from the 1-based row swaps */

static Tensor *empty0_like(Tensor *t) {
    int64_t zero = 0;
    return tensor_empty(t->dtype, 1, &zero, t->storage->device);
}

/* P of the batch from pivots (int32, (*, k)); false with PyTorch's error
 * for a pivot out of [1, m] */
static Tensor *unpack_pivots(Tensor *LU, Tensor *pivots) {
    int nd = LU->ndim;
    int64_t m = LU->shape[nd - 2], n = LU->shape[nd - 1], k = m < n ? m : n;
    int64_t sh[TSR_MAX_DIMS];
    memcpy(sh, LU->shape, sizeof(int64_t) * (size_t)nd);
    sh[nd - 1] = m;
    Tensor *P = tensor_zeros(LU->dtype, nd, sh, LU->storage->device);
    Tensor *pc = P ? tensor_contiguous(pivots) : NULL;
    int64_t *perm = pc ? tsr_malloc(sizeof(int64_t) * (size_t)(m > 0 ? m : 1)) : NULL;
    if (!perm) goto fail;
    {
        int64_t B = la_batch_count(LU, 2);
        const int32_t *pv = (const int32_t *)tensor_data(pc);
        char *pd = tensor_data(P);
        size_t es = dtype_size(LU->dtype);
        Tensor *one = tensor_scalar_f64(LU->dtype, 1.0);
        if (!one) goto fail;
        const char *od = tensor_data(one);
        for (int64_t b = 0; b < B; b++) {
            for (int64_t i = 0; i < m; i++) perm[i] = i;
            for (int64_t i = 0; i < k; i++) {
                int64_t p = (int64_t)pv[b * k + i] - 1;
                if (p < 0 || p >= m) {
                    tensor_release(one);
                    tsr_raise(ERR_RuntimeError, "%s", "pivots passed to lu_unpack must be between 1 and LU.size(-2) "
                              "inclusive.Did you properly pass the result of lu_factor?");
                    goto fail;
                }
                int64_t t = perm[i];
                perm[i] = perm[p], perm[p] = t;
            }
            /* P.scatter_(-2, perm.unsqueeze(-2), 1): P[perm[j], j] = 1 */
            for (int64_t j = 0; j < m; j++) memcpy(pd + (size_t)(b * m * m + perm[j] * m + j) * es, od, es);
        }
        tensor_release(one);
    }
    free(perm);
    tensor_release(pc);
    return P;
fail:
    free(perm);
    tensor_release(pc);
    tensor_release(P);
    return NULL;
}

bool op_lu_unpack(Tensor *LU, Tensor *pivots, bool unpack_data, bool unpack_pivots_, Tensor **P, Tensor **L,
                  Tensor **U) {
    *P = *L = *U = NULL;
    if (LU->ndim < 2) {
        char sh[256];
        op_shape_text(sh, sizeof sh, LU->ndim, LU->shape);
        tsr_raise(ERR_RuntimeError, "torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: %s instead",
                  sh);
        return false;
    }
    int nd = LU->ndim;
    int64_t m = LU->shape[nd - 2], n = LU->shape[nd - 1], k = m < n ? m : n;
    if (unpack_pivots_) {
        if (pivots->dtype != DT_INT32) {
            tsr_raise(ERR_RuntimeError, "%s", "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of "
                      "torch.int32 dtype.\nNote: this function is intended to be used with the output produced by "
                      "torch.linalg.lu_factor");
            return false;
        }
        /* PyTorch reads pivots unchecked (a mismatch corrupts its memory) */
        bool same = pivots->ndim == nd - 1 && pivots->shape[nd - 2] == k &&
                    !memcmp(pivots->shape, LU->shape, sizeof(int64_t) * (size_t)(nd - 2));
        if (!same) {
            char a[256], b[256];
            op_shape_text(a, sizeof a, pivots->ndim, pivots->shape);
            op_shape_text(b, sizeof b, nd, LU->shape);
            tsr_raise(ERR_RuntimeError, "tsr: lu_unpack: pivots of shape %s do not match LU of shape %s", a, b);
            return false;
        }
    }
    Tensor *p = NULL, *l = NULL, *u = NULL, *ln = NULL, *un = NULL, *ld = NULL, *one = NULL;
    bool ok = false;
    NO_GRAD({
        p = unpack_pivots_ ? unpack_pivots(LU, pivots) : empty0_like(LU);
        if (p && unpack_data) {
            ln = op_narrow(LU, -1, 0, k);
            un = ln ? op_narrow(LU, -2, 0, k) : NULL;
            l = un ? op_tril(ln, -1, false) : NULL;
            u = l ? op_tril(un, 0, true) : NULL;
            ld = u ? op_diagonal(l, 0, -2, -1) : NULL;
            one = ld ? tensor_scalar_f64(DT_FLOAT64, 1.0) : NULL;
            Tensor *f = one ? op_fill_(ld, one) : NULL;
            ok = f != NULL;
            tensor_release(f);
        } else if (p) {
            l = empty0_like(LU);
            u = l ? empty0_like(LU) : NULL;
            ok = u != NULL;
        }
    });
    tensor_release(ln);
    tensor_release(un);
    tensor_release(ld);
    tensor_release(one);
    if (ok && ag_any_requires_grad(&LU, 1)) {
        Tensor *outs[2] = {l, u};
        int64_t args[2] = {LU->shape[nd - 2], LU->shape[nd - 1]};
        GradNode *node = ag_record_multi(outs, 2, NODE_LuUnpackBackward0, &LU, 1);
        ok = node && op_set_ctx(node, LU, 2, args);
    }
    if (!ok) {
        tensor_release(p);
        tensor_release(l);
        tensor_release(u);
        return false;
    }
    *P = p, *L = l, *U = u;
    return true;
}

/* linalg.lu: P, L, U (LinalgLuBackward0 on L and U) */
bool op_linalg_lu(Tensor *A, bool pivot, Tensor **P, Tensor **L, Tensor **U) {
    *P = *L = *U = NULL;
    if (A->ndim < 2) {
        char sh[256];
        op_shape_text(sh, sizeof sh, A->ndim, A->shape);
        tsr_raise(ERR_RuntimeError, "linalg.lu: Expected tensor with 2 or more dimensions. Got size: %s instead", sh);
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
        Tensor *outs[2] = {lc, uc}; /* saved {P, L, U}, args {pivot} */
        int64_t args[1] = {pivot};
        GradNode *node = ag_record_multi(outs, 2, NODE_LinalgLuBackward0, &A, 1);
        ok = node && op_set_ctx(node, A, 1, args) && ag_save(node, p) && ag_save_result(node, lc, 0) &&
             ag_save_result(node, uc, 1);
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
