/* linalg_spectral.c: the symmetric eigendecomposition and the SVD as
 * PyTorch 1.13 computes them on the CPU (BatchLinearAlgebra.cpp,
 * BatchLinearAlgebraKernel.cpp): linalg.eigh / eigvalsh (syevd), the
 * deprecated torch.symeig (syev), linalg.svd / svdvals and torch.svd
 * (gesdd). Each runs LAPACK per matrix on an F-contiguous copy with the
 * workspace its query asks for, as ATen's apply_lapack_eigh, apply_symeig
 * and apply_svd do, so values and the signs of the vectors are LAPACK's,
 * bit for bit the oracle's. The value-only forms compute the vectors when
 * the input requires grad, as ATen does (the values may differ in the last
 * bits between jobz 'N' and 'V').
 *
 * Nodes (outputs; inputs {A}): LinalgEighBackward0 {L, V}, saved {L, V};
 * SymeigBackward0 {eigenvalues, eigenvectors}; LinalgSvdBackward0 {U, S,
 * Vh}, saved {U, S, Vh}, args {full_matrices, compute_uv};
 * LinalgPinvBackward0 (inputs {A}; saved {A, pinv}). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "lapack.h"
#include "linalg_lapack.h"
#include "op_errors.h"
#include "ops.h"

/* The batch of values: A's shape without its last dim, contiguous */
static Tensor *values_like(Tensor *A, int64_t last) {
    int64_t sh[TSR_MAX_DIMS];
    memcpy(sh, A->shape, sizeof(int64_t) * (size_t)(A->ndim - 2));
    sh[A->ndim - 2] = last;
    return tensor_empty(A->dtype, A->ndim - 1, sh, A->storage->device);
}

static Tensor *empty0(Tensor *A) {
    int64_t zero = 0;
    return tensor_empty(A->dtype, 1, &zero, A->storage->device);
}

static Tensor *zero_info(Tensor *A) { return tensor_zeros(DT_INT32, A->ndim - 2, A->shape, A->storage->device); }

/* at::native::checkUplo: 'L' or 'U' in either case; *upper */
bool op_check_uplo(const char *uplo, bool *upper) {
    char c = (char)toupper((unsigned char)uplo[0]);
    if (strlen(uplo) == 1 && (c == 'U' || c == 'L')) {
        *upper = c == 'U';
        return true;
    }
    tsr_raise(ERR_RuntimeError, "Expected UPLO argument to be 'L' or 'U', but got %s", uplo);
    return false;
}

/* ---- eigh (syevd) */

/* syevd over V (F-contiguous (*, n, n), holding A) into L (*, n); stops at
 * the first failure as apply_lapack_eigh does */
static bool syevd_batch(Tensor *V, Tensor *L, Tensor *info, bool upper, bool compute_v) {
    int nd = V->ndim;
    int n = (int)V->shape[nd - 1], lda = n > 1 ? n : 1;
    DType dt = V->dtype;
    size_t es = dtype_size(dt);
    char jobz = compute_v ? 'V' : 'N', uplo = upper ? 'U' : 'L';
    int lwork, liwork;
    kernel_syevd_lwork(dt, jobz, uplo, n, lda, &lwork, &liwork);
    char *work = tsr_malloc((unsigned long long)lwork * es);
    int *iwork = work ? tsr_malloc((unsigned long long)liwork * sizeof(int)) : NULL;
    if (!iwork) {
        free(work);
        return false;
    }
    char *a = tensor_data(V), *w = tensor_data(L);
    int32_t *in = (int32_t *)tensor_data(info);
    int64_t B = la_batch_count(V, 2);
    for (int64_t b = 0; b < B; b++) {
        in[b] = kernel_syevd(dt, jobz, uplo, n, a + (size_t)(b * n * n) * es, lda, w + (size_t)(b * n) * es, work,
                             lwork, iwork, liwork);
        if (in[b]) break;
    }
    free(work);
    free(iwork);
    return true;
}

bool op_linalg_eigh(Tensor *A, const char *uplo, bool compute_v, Tensor **L, Tensor **V) {
    *L = *V = NULL;
    bool upper;
    if (!la_check_square(A, "linalg.eigh", "A") || !op_check_uplo(uplo, &upper)) return false;
    if (!la_check_kernel(A, "linalg_eigh_cpu") || !la_check_int_sizes(A)) return false;
    Tensor *l = values_like(A, A->shape[A->ndim - 1]);
    Tensor *v = l ? (compute_v ? la_clone_col_major(A) : empty0(A)) : NULL;
    Tensor *work = NULL, *info = NULL;
    if (!v) goto fail;
    if (tensor_numel(A) > 0) {
        work = compute_v ? tensor_retain(v) : la_clone_col_major(A);
        info = work ? zero_info(A) : NULL;
        if (!info || !syevd_batch(work, l, info, upper, compute_v) ||
            !op_linalg_check_errors(info, "linalg.eigh", A->ndim == 2))
            goto fail;
    }
    tensor_release(work);
    tensor_release(info);
    work = info = NULL;
    if (ag_any_requires_grad(&A, 1)) {
        Tensor *outs[2] = {l, v};
        GradNode *node = ag_record_multi(outs, 2, NODE_LinalgEighBackward0, &A, 1);
        int64_t args[1] = {compute_v};
        if (!node || !op_set_ctx(node, A, 1, args) || !ag_save_result(node, l, 0) || !ag_save_result(node, v, 1))
            goto fail;
    }
    *L = l, *V = v;
    return true;
fail:
    tensor_release(l);
    tensor_release(v);
    tensor_release(work);
    tensor_release(info);
    return false;
}

/* ---- symeig (syev) */

bool op_symeig(Tensor *A, bool eigenvectors, bool upper, Tensor **L, Tensor **V) {
    *L = *V = NULL;
    if (!la_check_square(A, "linalg.symeig", "A")) return false;
    if (!la_check_kernel(A, "symeig_cpu") || !la_check_int_sizes(A)) return false;
    Tensor *work = la_clone_col_major(A);
    Tensor *l = work ? values_like(A, A->shape[A->ndim - 1]) : NULL, *info = NULL, *v = NULL;
    if (!l) goto fail;
    if (tensor_numel(A) == 0) {
        v = tensor_empty(A->dtype, A->ndim, A->shape, A->storage->device);
    } else {
        info = zero_info(A);
        if (!info) goto fail;
        int nd = A->ndim;
        int n = (int)A->shape[nd - 1], lda = n > 1 ? n : 1;
        DType dt = A->dtype;
        size_t es = dtype_size(dt);
        char jobz = eigenvectors ? 'V' : 'N', uplo = upper ? 'U' : 'L';
        int lwork = kernel_syev_lwork(dt, jobz, uplo, n, lda);
        char *wk = tsr_malloc((unsigned long long)lwork * es);
        if (!wk) goto fail;
        char *a = tensor_data(work), *w = tensor_data(l);
        int32_t *in = (int32_t *)tensor_data(info);
        int64_t B = la_batch_count(A, 2);
        for (int64_t b = 0; b < B; b++) {
            in[b] = kernel_syev(dt, jobz, uplo, n, a + (size_t)(b * n * n) * es, lda, w + (size_t)(b * n) * es, wk,
                                lwork);
            if (in[b]) break;
        }
        free(wk);
        if (!op_linalg_check_errors(info, "symeig", A->ndim == 2)) goto fail;
        v = eigenvectors ? tensor_retain(work) : empty0(A);
    }
    if (!v) goto fail;
    tensor_release(work);
    tensor_release(info);
    work = info = NULL;
    if (ag_any_requires_grad(&A, 1)) {
        Tensor *outs[2] = {l, v}; /* as eigh's: saved {L, V}, args {eigenvectors} */
        int64_t args[1] = {eigenvectors};
        GradNode *node = ag_record_multi(outs, 2, NODE_SymeigBackward0, &A, 1);
        if (!node || !op_set_ctx(node, A, 1, args) || !ag_save_result(node, l, 0) || !ag_save_result(node, v, 1))
            goto fail;
    }
    *L = l, *V = v;
    return true;
fail:
    tensor_release(work);
    tensor_release(info);
    tensor_release(l);
    tensor_release(v);
    return false;
}

/* ---- svd (gesdd) */

/* The identity in each matrix of t (zeros elsewhere) */
static void fill_eye(Tensor *t) {
    int nd = t->ndim;
    int64_t r = t->shape[nd - 2], c = t->shape[nd - 1], B = la_batch_count(t, 2);
    size_t es = dtype_size(t->dtype);
    char *d = tensor_data(t);
    if (B * r * c == 0) return;
    memset(d, 0, (size_t)(B * r * c) * es);
    /* F-contiguous: (i, i) at i * r + i */
    for (int64_t b = 0; b < B; b++)
        for (int64_t i = 0; i < r && i < c; i++) {
            char *e = d + (size_t)(b * r * c + i * r + i) * es;
            if (t->dtype == DT_FLOAT64) *(double *)e = 1.0;
            else *(float *)e = 1.0f;
        }
}

static bool gesdd_batch(Tensor *A, bool full, bool compute_uv, Tensor *U, Tensor *S, Tensor *Vh, Tensor *info) {
    int nd = A->ndim;
    int m = (int)A->shape[nd - 2], n = (int)A->shape[nd - 1], k = m < n ? m : n;
    DType dt = A->dtype;
    size_t es = dtype_size(dt);
    char jobz = compute_uv ? (full ? 'A' : 'S') : 'N';
    int lda = m > 1 ? m : 1;
    int ucols = compute_uv ? (int)U->shape[nd - 1] : 0, vrows = compute_uv ? (int)Vh->shape[nd - 2] : 0;
    int ldu = compute_uv ? (m > 1 ? m : 1) : 1, ldvt = compute_uv ? (vrows > 1 ? vrows : 1) : 1;
    int lwork = kernel_gesdd_lwork(dt, jobz, m, n, lda, ldu, ldvt);
    char *work = tsr_malloc((unsigned long long)lwork * es);
    int *iwork = work ? tsr_malloc((unsigned long long)(8 * (k > 0 ? k : 1)) * sizeof(int)) : NULL;
    if (!iwork) {
        free(work);
        return false;
    }
    char *a = tensor_data(A), *s = tensor_data(S);
    char *u = compute_uv ? tensor_data(U) : NULL, *vt = compute_uv ? tensor_data(Vh) : NULL;
    int32_t *in = (int32_t *)tensor_data(info);
    int64_t B = la_batch_count(A, 2);
    for (int64_t b = 0; b < B; b++)
        in[b] = kernel_gesdd(dt, jobz, m, n, a + (size_t)(b * m * n) * es, lda, s + (size_t)(b * k) * es,
                             u ? u + (size_t)(b * m * ucols) * es : NULL, ldu,
                             vt ? vt + (size_t)(b * vrows * n) * es : NULL, ldvt, work, lwork, iwork);
    free(work);
    free(iwork);
    return true;
}

bool op_linalg_svd(Tensor *A, bool full_matrices, bool compute_uv, bool has_driver, Tensor **U, Tensor **S,
                   Tensor **Vh) {
    *U = *S = *Vh = NULL;
    if (!la_check_is_matrix(A, "linalg.svd", "A") || !la_check_float(A, "linalg.svd", true)) return false;
    int nd = A->ndim;
    int64_t m = A->shape[nd - 2], n = A->shape[nd - 1], k = m < n ? m : n;
    Device dev = A->storage->device;
    int64_t sh[TSR_MAX_DIMS];
    memcpy(sh, A->shape, sizeof(int64_t) * (size_t)nd);
    Tensor *u = NULL, *s = NULL, *vh = NULL, *work = NULL, *info = NULL;
    if (compute_uv) {
        sh[nd - 1] = full_matrices ? m : k;
        u = la_empty_batched(A->dtype, nd, sh, true, dev);
        sh[nd - 2] = full_matrices ? n : k, sh[nd - 1] = n;
        vh = u ? la_empty_batched(A->dtype, nd, sh, true, dev) : NULL;
    } else {
        u = empty0(A);
        vh = u ? empty0(A) : NULL;
    }
    s = vh ? values_like(A, k) : NULL;
    if (!s) goto fail;
    if (tensor_numel(A) == 0) {
        if (compute_uv && full_matrices) {
            fill_eye(u);
            fill_eye(vh);
        }
    } else {
        if (has_driver) {
            tsr_raise(ERR_RuntimeError, "%s", "torch.linalg.svd: keyword argument `driver=` is only supported on CUDA "
                      "inputs with cuSOLVER backend.");
            goto fail;
        }
        if (!la_check_kernel(A, "linalg_svd_cpu") || !la_check_int_sizes(A)) goto fail;
        work = la_clone_col_major(A);
        info = work ? zero_info(A) : NULL;
        if (!info || !gesdd_batch(work, full_matrices, compute_uv, u, s, vh, info) ||
            !op_linalg_check_errors(info, "linalg.svd", nd == 2))
            goto fail;
    }
    tensor_release(work);
    tensor_release(info);
    work = info = NULL;
    if (ag_any_requires_grad(&A, 1)) {
        Tensor *outs[3] = {u, s, vh};
        GradNode *node = ag_record_multi(outs, 3, NODE_LinalgSvdBackward0, &A, 1);
        int64_t args[2] = {full_matrices, compute_uv};
        if (!node || !op_set_ctx(node, A, 2, args) || !ag_save_result(node, u, 0) || !ag_save_result(node, s, 1) ||
            !ag_save_result(node, vh, 2))
            goto fail;
    }
    *U = u, *S = s, *Vh = vh;
    return true;
fail:
    tensor_release(u);
    tensor_release(s);
    tensor_release(vh);
    tensor_release(work);
    tensor_release(info);
    return false;
}

Tensor *op_linalg_svdvals(Tensor *A, bool has_driver) {
    Tensor *U, *S, *Vh;
    if (!op_linalg_svd(A, false, ag_any_requires_grad(&A, 1), has_driver, &U, &S, &Vh)) return NULL;
    tensor_release(U);
    tensor_release(Vh);
    return S;
}

bool op_svd_legacy(Tensor *A, bool some, bool compute_uv, Tensor **U, Tensor **S, Tensor **V) {
    *U = *S = *V = NULL;
    if (A->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "linalg.svd: input should have at least 2 dimensions, but has %d dimensions instead",
                  A->ndim);
        return false;
    }
    Tensor *u = NULL, *s = NULL, *vh = NULL;
    if (compute_uv) {
        if (!op_linalg_svd(A, !some, true, false, &u, &s, &vh)) return false;
    } else {
        s = op_linalg_svdvals(A, false);
        if (!s) return false;
        int nd = A->ndim;
        int64_t sh[TSR_MAX_DIMS], m = A->shape[nd - 2], n = A->shape[nd - 1];
        memcpy(sh, A->shape, sizeof(int64_t) * (size_t)nd);
        sh[nd - 1] = m;
        u = tensor_zeros(A->dtype, nd, sh, A->storage->device);
        sh[nd - 2] = n, sh[nd - 1] = n;
        vh = u ? tensor_zeros(A->dtype, nd, sh, A->storage->device) : NULL;
    }
    /* Vh.mH(): a transposed view, with autograd */
    Tensor *v = vh ? op_transpose(vh, -2, -1) : NULL;
    tensor_release(vh);
    if (!v) {
        tensor_release(u);
        tensor_release(s);
        return false;
    }
    *U = u, *S = s, *V = v;
    return true;
}

/* ---- pinv, matrix_rank (LinearAlgebra.cpp's composites) */

/* get_atol_rtol: atol (NULL: 0) and rtol (NULL: eps * max(m, n), or 0
 * where atol > 0 when atol is given) as 0-d float64 tensors, or the given
 * tensors (0-d CPU tensors, which PyTorch's binary ops take with any
 * device's); new references */
static bool atol_rtol_f64(Tensor *A, Tensor *atol, Tensor *rtol, Tensor **at, Tensor **rt) {
    *at = atol ? tensor_retain(atol) : tensor_scalar_f64(DT_FLOAT64, 0.0);
    *rt = NULL;
    if (!*at) return false;
    if (rtol) {
        *rt = tensor_retain(rtol);
        return true;
    }
    if (A->dtype != DT_FLOAT32 && A->dtype != DT_FLOAT64) {
        tsr_raise(ERR_RuntimeError, "%s", "This function doesn't handle types other than float and double");
        tensor_release(*at);
        return false;
    }
    int64_t m = A->shape[A->ndim - 2], n = A->shape[A->ndim - 1];
    double eps = A->dtype == DT_FLOAT64 ? 2.220446049250313e-16 : 1.1920928955078125e-07;
    Tensor *def = tensor_scalar_f64(DT_FLOAT64, eps * (double)(m > n ? m : n));
    if (!def || !atol) {
        *rt = def;
        if (!def) tensor_release(*at);
        return def != NULL;
    }
    Tensor *zero = tensor_scalar_f64(DT_FLOAT64, 0.0);
    Tensor *pos = zero ? op_binary(BIN_GT, atol, zero) : NULL;
    *rt = pos ? op_where(pos, zero, def) : NULL;
    tensor_release(zero);
    tensor_release(pos);
    tensor_release(def);
    if (*rt) return true;
    tensor_release(*at);
    return false;
}

/* ... on A's device as ATen makes them (at::full({}, v, input.options())):
 * 0-d tolerances move there, so unsqueezed they still meet A's values */
static bool atol_rtol(Tensor *A, Tensor *atol, Tensor *rtol, Tensor **at, Tensor **rt) {
    if (!atol_rtol_f64(A, atol, rtol, at, rt)) return false;
    Device dev = A->storage->device;
    Tensor **both[2] = {at, rt};
    for (int i = 0; i < 2; i++) {
        Tensor *t = *both[i];
        if (t->ndim != 0 || device_equal(t->storage->device, dev)) continue;
        Tensor *moved = op_to(t, t->dtype, dev, false);
        tensor_release(t);
        *both[i] = moved;
    }
    if (*at && *rt) return true;
    tensor_release(*at);
    tensor_release(*rt);
    return false;
}

/* max(atol.unsqueeze(-1), rtol.unsqueeze(-1) * smax) */
static Tensor *tolerance(Tensor *at, Tensor *rt, Tensor *smax) {
    Tensor *a = op_unsqueeze(at, -1), *r = a ? op_unsqueeze(rt, -1) : NULL;
    Tensor *p = r ? op_binary(BIN_MUL, r, smax) : NULL;
    Tensor *tol = p ? op_binary(BIN_MAXIMUM, a, p) : NULL;
    tensor_release(a);
    tensor_release(r);
    tensor_release(p);
    return tol;
}

static Tensor *pinv_raw(Tensor *A, Tensor *atol, Tensor *rtol, bool hermitian);

/* linalg.pinv: the composite below without grad, then one
 * LinalgPinvBackward0 (saved {A, result}) as derivatives.yaml has it */
Tensor *op_linalg_pinv(Tensor *A, Tensor *atol, Tensor *rtol, bool hermitian) {
    Tensor *r = NULL;
    NO_GRAD(r = pinv_raw(A, atol, rtol, hermitian));
    if (!r || !ag_any_requires_grad(&A, 1)) return r;
    Tensor *saved[2] = {A, r};
    return ag_record_steal(r, NODE_LinalgPinvBackward0, &A, 1, saved, 2, NULL, 0);
}

static Tensor *pinv_raw(Tensor *A, Tensor *atol, Tensor *rtol, bool hermitian) {
    if ((A->dtype != DT_FLOAT32 && A->dtype != DT_FLOAT64) || A->ndim < 2) {
        char sh[256];
        op_shape_text(sh, sizeof sh, A->ndim, A->shape);
        tsr_raise(ERR_RuntimeError, "linalg.pinv(%s{%s}): expected a tensor with 2 or more dimensions of float, "
                  "double, cfloat or cdouble types", dtype_scalar_name(A->dtype), sh);
        return NULL;
    }
    Tensor *at, *rt;
    if (!atol_rtol(A, atol, rtol, &at, &rt)) return NULL;
    Tensor *U = NULL, *S = NULL, *V = NULL, *smax = NULL, *tol = NULL, *gt = NULL, *rec = NULL, *zero = NULL,
           *sp = NULL, *spu = NULL, *VS = NULL, *UH = NULL, *r = NULL;
    bool ok;
    /* an empty A takes the SVD path whatever hermitian says */
    if (hermitian && tensor_numel(A) > 0) {
        Tensor *L = NULL;
        ok = op_linalg_eigh(A, "L", true, &L, &U);
        S = ok ? op_unary(UN_ABS, L) : NULL;
        int64_t last = -1;
        smax = S ? op_amax(S, 1, &last, true) : NULL;
        rec = smax ? op_unary(UN_RECIPROCAL, L) : NULL;
        tensor_release(L);
        V = U ? tensor_retain(U) : NULL;
    } else {
        ok = op_svd_legacy(A, true, true, &U, &S, &V);
        smax = ok && tensor_numel(A) > 0 ? op_narrow(S, -1, 0, 1) : NULL;
        rec = ok ? op_unary(UN_RECIPROCAL, S) : NULL;
    }
    if (!rec) goto done;
    if (tensor_numel(A) == 0) {
        sp = tensor_retain(rec);
    } else {
        tol = smax ? tolerance(at, rt, smax) : NULL;
        gt = tol ? op_binary(BIN_GT, S, tol) : NULL;
        zero = gt ? tensor_scalar_f64(S->dtype, 0.0) : NULL;
        Tensor *w = zero ? op_where(gt, rec, zero) : NULL;
        sp = w ? op_to_dtype(w, A->dtype) : NULL;
        tensor_release(w);
    }
    spu = sp ? op_unsqueeze(sp, -2) : NULL;
    VS = spu ? op_binary(BIN_MUL, V, spu) : NULL;
    UH = VS ? op_transpose(U, -2, -1) : NULL;
    r = UH ? op_matmul(VS, UH) : NULL;
done:
    tensor_release(at);
    tensor_release(rt);
    tensor_release(U);
    tensor_release(S);
    tensor_release(V);
    tensor_release(smax);
    tensor_release(tol);
    tensor_release(gt);
    tensor_release(rec);
    tensor_release(zero);
    tensor_release(sp);
    tensor_release(spu);
    tensor_release(VS);
    tensor_release(UH);
    return r;
}

Tensor *op_linalg_matrix_rank(Tensor *A, Tensor *atol, Tensor *rtol, bool hermitian) {
    if (!la_check_is_matrix(A, "torch.linalg.matrix_rank", "input")) return NULL;
    Tensor *at, *rt;
    if (!atol_rtol(A, atol, rtol, &at, &rt)) return NULL;
    Tensor *S = NULL, *smax = NULL, *tol = NULL, *gt = NULL, *r = NULL;
    int64_t last = -1;
    if (tensor_numel(A) == 0) {
        r = tensor_zeros(DT_INT64, A->ndim - 2, A->shape, A->storage->device);
        goto done;
    }
    if (hermitian) {
        Tensor *L = NULL, *V = NULL;
        if (op_linalg_eigh(A, "L", ag_any_requires_grad(&A, 1), &L, &V)) S = op_unary(UN_ABS, L);
        tensor_release(L);
        tensor_release(V);
        smax = S ? op_amax(S, 1, &last, true) : NULL;
    } else {
        S = op_linalg_svdvals(A, false);
        smax = S ? op_narrow(S, -1, 0, 1) : NULL;
    }
    tol = smax ? tolerance(at, rt, smax) : NULL;
    gt = tol ? op_binary(BIN_GT, S, tol) : NULL;
    r = gt ? op_sum(gt, 1, &last, false, DT_UNDEFINED) : NULL;
done:
    tensor_release(at);
    tensor_release(rt);
    tensor_release(S);
    tensor_release(smax);
    tensor_release(tol);
    tensor_release(gt);
    return r;
}
