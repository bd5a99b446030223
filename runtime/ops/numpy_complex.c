/* numpy_complex.c: numpy's complex loops (see the header). */
#include <math.h>

#include "numpy_complex.h"
#include "ops.h"

/* CDOUBLE_divide / CFLOAT_divide: Smith's method in the part type */
#define DEF_CDIV(SUF, R)                                                                   \
    static void cdiv_##SUF(R ar, R ai, R br, R bi, R *or_, R *oi)                        \
    {                                                                                    \
        R babs_r = br < 0 ? -br : br, babs_i = bi < 0 ? -bi : bi;                        \
        if (babs_r >= babs_i) {                                                          \
            if (babs_r == 0 && babs_i == 0) {                                            \
                *or_ = ar / babs_r;                                                      \
                *oi = ai / babs_r;                                                       \
            } else {                                                                     \
                R rat = bi / br, scl = (R)1.0 / (br + bi * rat);                         \
                *or_ = (ar + ai * rat) * scl;                                            \
                *oi = (ai - ar * rat) * scl;                                             \
            }                                                                            \
        } else {                                                                         \
            R rat = br / bi, scl = (R)1.0 / (bi + br * rat);                             \
            *or_ = (ar * rat + ai) * scl;                                                \
            *oi = (ai * rat - ar) * scl;                                                 \
        }                                                                                \
    }
DEF_CDIV(f64, double)
DEF_CDIV(f32, float)

#define DEF_CLOOP(SUF, T, R)                                                               \
    static void cloop_##SUF(int op, const T *x, const T *y, T *o, int64_t n)             \
    {                                                                                    \
        for (int64_t i = 0; i < n; i++) {                                                \
            R ar = x[i].re, ai = x[i].im, br = y[i].re, bi = y[i].im;                    \
            switch (op) {                                                                \
            case BIN_ADD: o[i] = (T){ar + br, ai + bi}; break;                           \
            case BIN_SUB: o[i] = (T){ar - br, ai - bi}; break;                           \
            case BIN_MUL: o[i] = (T){ar * br - ai * bi, ar * bi + ai * br}; break;       \
            default: cdiv_##SUF(ar, ai, br, bi, &o[i].re, &o[i].im); break;              \
            }                                                                            \
        }                                                                                \
    }
DEF_CLOOP(f64, tsr_cdouble, double)
DEF_CLOOP(f32, tsr_cfloat, float)

Tensor *op_np_complex_binary(int op, Tensor *a, Tensor *b)
{
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, shape);
    if (nd < 0) return NULL;
    Tensor *ea = op_expand(a, nd, shape), *eb = ea ? op_expand(b, nd, shape) : NULL;
    Tensor *ca = eb ? tensor_contiguous(ea) : NULL, *cb = ca ? tensor_contiguous(eb) : NULL;
    Tensor *r = cb ? tensor_empty(a->dtype, nd, shape, device_cpu()) : NULL;
    if (r) {
        int64_t n = tensor_numel(r);
        if (a->dtype == DT_COMPLEX128)
            cloop_f64(op, (const tsr_cdouble *)tensor_data(ca), (const tsr_cdouble *)tensor_data(cb),
                      (tsr_cdouble *)tensor_data(r), n);
        else
            cloop_f32(op, (const tsr_cfloat *)tensor_data(ca), (const tsr_cfloat *)tensor_data(cb),
                      (tsr_cfloat *)tensor_data(r), n);
    }
    tensor_release(ea);
    tensor_release(eb);
    tensor_release(ca);
    tensor_release(cb);
    return r;
}

void op_np_complex_divide_count(Tensor *x, int64_t n)
{
    int64_t m = tensor_numel(x);
    if (x->dtype == DT_COMPLEX128) {
        tsr_cdouble *p = (tsr_cdouble *)tensor_data(x);
        for (int64_t i = 0; i < m; i++) cdiv_f64(p[i].re, p[i].im, (double)n, 0, &p[i].re, &p[i].im);
    } else if (x->ndim == 0) { /* a complex64 scalar / int is complex128 math, cast back */
        tsr_cfloat *p = (tsr_cfloat *)tensor_data(x);
        double re, im;
        cdiv_f64(p->re, p->im, (double)n, 0, &re, &im);
        *p = (tsr_cfloat){(float)re, (float)im};
    } else {
        tsr_cfloat *p = (tsr_cfloat *)tensor_data(x);
        for (int64_t i = 0; i < m; i++) cdiv_f32(p[i].re, p[i].im, (float)n, 0, &p[i].re, &p[i].im);
    }
}
