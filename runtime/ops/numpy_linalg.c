/* numpy_linalg.c: numpy.linalg's numerics (see the header). */
#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "lapack.h"
#include "lapack_eig.h"
#include "numpy_linalg.h"
#include "ops.h"

/* getrf of every matrix of A: LU (F-contiguous), pivots, info */
static bool lu_of(Tensor *A, Tensor **LU, Tensor **piv, Tensor **info)
{
    return op_linalg_lu_factor_ex(A, true, false, "numpy.linalg", LU, piv, info);
}

/* slogdet_single_element after getrf: the sign from the pivots and U's
 * diagonal, the logs of |U[i][i]| summed in order */
static void slogdet_one(const double *lu, const int32_t *piv, int32_t info, int64_t m, double *sign, double *logdet)
{
    if (info != 0) {
        *sign = 0;
        *logdet = -INFINITY;
        return;
    }
    int change = 0;
    for (int64_t i = 0; i < m; i++) change += piv[i] != i + 1;
    double s = change % 2 ? -1 : 1, acc = 0;
    for (int64_t i = 0; i < m; i++) {
        double e = lu[i * (m + 1)];
        if (e < 0) {
            s = -s;
            e = -e;
        }
        acc += log(e);
    }
    *sign = s;
    *logdet = acc;
}

bool op_np_slogdet(Tensor *A, Tensor **sign, Tensor **logdet)
{
    *sign = *logdet = NULL;
    Tensor *LU, *piv, *info;
    int nd = A->ndim;
    int64_t m = A->shape[nd - 1];
    Tensor *s = tensor_empty(A->dtype, nd - 2, A->shape, device_cpu());
    Tensor *l = s ? tensor_empty(A->dtype, nd - 2, A->shape, device_cpu()) : NULL;
    if (!l || !lu_of(A, &LU, &piv, &info)) {
        tensor_release(s);
        tensor_release(l);
        return false;
    }
    int64_t batch = tensor_numel(s);
    const int32_t *p = (const int32_t *)tensor_data(piv), *in = (const int32_t *)tensor_data(info);
    for (int64_t b = 0; b < batch; b++)
        slogdet_one((const double *)tensor_data(LU) + b * m * m, p + b * m, m ? in[b] : 0, m,
                    (double *)tensor_data(s) + b, (double *)tensor_data(l) + b);
    tensor_release(LU);
    tensor_release(piv);
    tensor_release(info);
    *sign = s;
    *logdet = l;
    return true;
}

Tensor *op_np_det(Tensor *A)
{
    Tensor *s, *l;
    if (!op_np_slogdet(A, &s, &l)) return NULL;
    double *ps = (double *)tensor_data(s);
    const double *pl = (const double *)tensor_data(l);
    for (int64_t i = 0; i < tensor_numel(s); i++) ps[i] = ps[i] * exp(pl[i]);
    tensor_release(l);
    return s;
}

Tensor *op_np_solve(Tensor *A, Tensor *B, bool *singular)
{
    *singular = false;
    Tensor *LU, *piv, *info;
    if (!lu_of(A, &LU, &piv, &info)) return NULL;
    const int32_t *in = (const int32_t *)tensor_data(info);
    for (int64_t b = 0; b < tensor_numel(info); b++) *singular = *singular || in[b] > 0;
    Tensor *X = *singular ? NULL : op_linalg_lu_solve_nograd(LU, piv, B, true, false);
    tensor_release(LU);
    tensor_release(piv);
    tensor_release(info);
    return X;
}

Tensor *op_np_pow_scalar(Tensor *x, double p)
{
    Tensor *c = tensor_contiguous(x);
    Tensor *r = c ? tensor_empty(x->dtype, x->ndim, x->shape, device_cpu()) : NULL;
    if (r) {
        int64_t n = tensor_numel(r);
        if (x->dtype == DT_FLOAT64) {
            const double *a = (const double *)tensor_data(c);
            double *o = (double *)tensor_data(r);
            for (int64_t i = 0; i < n; i++) o[i] = pow(a[i], p);
        } else {
            const float *a = (const float *)tensor_data(c);
            float *o = (float *)tensor_data(r);
            for (int64_t i = 0; i < n; i++) o[i] = powf(a[i], (float)p);
        }
    }
    tensor_release(c);
    return r;
}

bool op_np_lstsq(Tensor *A, Tensor *B, double rcond, Tensor **X, Tensor **resid, int64_t *rank, Tensor **S)
{
    *X = *resid = *S = NULL;
    int m = (int)A->shape[0], n = (int)A->shape[1], k = (int)B->shape[1];
    int mn = m < n ? m : n, mx = m > n ? m : n, lda = m > 1 ? m : 1, ldb = mx > 1 ? mx : 1;
    int nrhs = k > 0 ? k : 1; /* LAPACK cannot take no right-hand side: numpy adds a zero column */
    int64_t xs[2] = {n, k}, ks = k, ss = mn;
    Tensor *x = tensor_empty(DT_FLOAT64, 2, xs, device_cpu());
    Tensor *r = x ? tensor_empty(DT_FLOAT64, 1, &ks, device_cpu()) : NULL;
    Tensor *sv = r ? tensor_empty(DT_FLOAT64, 1, &ss, device_cpu()) : NULL;
    int lwork = 0, liwork = 0;
    kernel_gelsd_lwork(m, n, nrhs, lda, ldb, &lwork, &liwork);
    double *a = sv ? tsr_calloc((unsigned long long)lda * (unsigned long long)(n ? n : 1), sizeof *a) : NULL;
    double *b = a ? tsr_calloc((unsigned long long)ldb * (unsigned long long)nrhs, sizeof *b) : NULL;
    double *work = b ? tsr_calloc((unsigned long long)(lwork > 1 ? lwork : 1), sizeof *work) : NULL;
    int *iwork = work ? tsr_calloc((unsigned long long)(liwork > 1 ? liwork : 1), sizeof *iwork) : NULL;
    bool ok = iwork != NULL;
    if (ok) {
        const double *pa = (const double *)tensor_data(A), *pb = (const double *)tensor_data(B);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) a[(size_t)j * (size_t)lda + (size_t)i] = pa[(size_t)i * (size_t)n + (size_t)j];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < k; j++) b[(size_t)j * (size_t)ldb + (size_t)i] = pb[(size_t)i * (size_t)k + (size_t)j];
        int rk = 0;
        int info = kernel_gelsd(m, n, nrhs, a, lda, b, ldb, (double *)tensor_data(sv), rcond, &rk, work, lwork, iwork);
        if (info != 0) {
            tsr_raise(ERR_LinAlgError, "%s", "SVD did not converge in Linear Least Squares");
            ok = false;
        } else {
            double *px = (double *)tensor_data(x), *pr = (double *)tensor_data(r);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < k; j++)
                    px[(size_t)i * (size_t)k + (size_t)j] = m ? b[(size_t)j * (size_t)ldb + (size_t)i] : 0;
            for (int j = 0; j < k; j++) { /* umath_linalg's abs2: the column's rows n..m, in order */
                const double *col = b + (size_t)j * (size_t)m;
                double acc = 0;
                for (int i = n; i < m; i++) acc += col[i] * col[i];
                pr[j] = acc;
            }
            *rank = rk;
        }
    }
    free(a);
    free(b);
    free(work);
    free(iwork);
    if (!ok) {
        tensor_release(x);
        tensor_release(r);
        tensor_release(sv);
        return false;
    }
    *X = x;
    *resid = r;
    *S = sv;
    return true;
}

/* umath_linalg's mk_complex_eigenvectors: a real eigenvalue's vector as
 * it is; a conjugate pair's two columns re, im as re + i im, re - i im */
static void complex_vectors(const double *vr, const double *wi, int n, tsr_cdouble *v)
{
    for (int j = 0; j < n; j++) {
        const double *re = vr + (size_t)j * (size_t)n;
        if (wi[j] == 0 || j + 1 == n) {
            for (int i = 0; i < n; i++) v[(size_t)i * (size_t)n + (size_t)j] = (tsr_cdouble){re[i], 0};
            continue;
        }
        const double *im = re + n;
        for (int i = 0; i < n; i++) {
            v[(size_t)i * (size_t)n + (size_t)j] = (tsr_cdouble){re[i], im[i]};
            v[(size_t)i * (size_t)n + (size_t)j + 1] = (tsr_cdouble){re[i], -im[i]};
        }
        j++;
    }
}

bool op_np_eig(Tensor *A, bool vectors, Tensor **W, Tensor **V, bool *real)
{
    *W = NULL;
    if (V) *V = NULL;
    *real = true;
    int nd = A->ndim;
    int n = (int)A->shape[nd - 1];
    int64_t vs[TSR_MAX_DIMS];
    for (int i = 0; i < nd; i++) vs[i] = A->shape[i];
    Tensor *c = tensor_contiguous(A);
    Tensor *w = c ? tensor_empty(DT_COMPLEX128, nd - 1, vs, device_cpu()) : NULL;
    Tensor *v = w && vectors ? tensor_empty(DT_COMPLEX128, nd, vs, device_cpu()) : NULL;
    int ld = n > 1 ? n : 1, ldvr = vectors ? ld : 1;
    int lwork = kernel_geev_lwork(vectors ? 'V' : 'N', n, ld, ldvr);
    size_t nn = (size_t)ld * (size_t)ld;
    double *a = w && (v || !vectors) ? tsr_calloc(nn, sizeof *a) : NULL;
    double *wr = a ? tsr_calloc((size_t)ld, sizeof *wr) : NULL, *wi = wr ? tsr_calloc((size_t)ld, sizeof *wi) : NULL;
    double *vr = wi ? tsr_calloc(vectors ? nn : 1, sizeof *vr) : NULL;
    double *work = vr ? tsr_calloc((size_t)lwork, sizeof *work) : NULL;
    bool ok = work != NULL;
    int64_t batch = ok && n ? tensor_numel(c) / ((int64_t)n * n) : 0;
    for (int64_t b = 0; ok && b < batch; b++) {
        const double *pa = (const double *)tensor_data(c) + b * n * n;
        for (int i = 0; i < n; i++) /* A itself, column-major */
            for (int j = 0; j < n; j++) a[(size_t)j * (size_t)n + (size_t)i] = pa[(size_t)i * (size_t)n + (size_t)j];
        if (kernel_geev(vectors ? 'V' : 'N', n, a, ld, wr, wi, vr, ldvr, work, lwork) != 0) {
            tsr_raise(ERR_LinAlgError, "%s", "Eigenvalues did not converge");
            ok = false;
            break;
        }
        tsr_cdouble *pw = (tsr_cdouble *)tensor_data(w) + b * n;
        for (int i = 0; i < n; i++) {
            pw[i] = (tsr_cdouble){wr[i], wi[i]};
            if (wi[i] != 0) *real = false;
        }
        if (vectors) complex_vectors(vr, wi, n, (tsr_cdouble *)tensor_data(v) + b * n * n);
    }
    free(a);
    free(wr);
    free(wi);
    free(vr);
    free(work);
    tensor_release(c);
    if (!ok) {
        tensor_release(w);
        tensor_release(v);
        return false;
    }
    *W = w;
    if (V) *V = v;
    return true;
}
