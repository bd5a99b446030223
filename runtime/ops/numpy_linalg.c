/* numpy_linalg.c: numpy.linalg's numerics (see the header). */
#include <math.h>

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
