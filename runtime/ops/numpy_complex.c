/* numpy_complex.c: numpy's complex loops (see the header). */
#include "c_complex.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
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

/* nc_pow: 1 for a zero exponent, 0 or nan (invalid) for a zero base,
 * small integral real exponents by repeated multiplication (a negative
 * one inverted by numpy's division), cpow otherwise */
#define DEF_CPOW(SUF, R, CT, CPOW, CMPLXS, CRE, CIM)                                       \
    static void cmul_##SUF(R ar, R ai, R br, R bi, R *or_, R *oi)                        \
    {                                                                                    \
        R re = ar * br - ai * bi, im = ar * bi + ai * br;                                \
        *or_ = re;                                                                       \
        *oi = im;                                                                        \
    }                                                                                    \
    static void cpow_##SUF(R ar, R ai, R br, R bi, R *or_, R *oi)                        \
    {                                                                                    \
        if (br == 0 && bi == 0) {                                                        \
            *or_ = 1, *oi = 0;                                                           \
            return;                                                                      \
        }                                                                                \
        if (ar == 0 && ai == 0) {                                                        \
            if (br > 0 && bi == 0) {                                                     \
                *or_ = 0, *oi = 0;                                                       \
            } else {                                                                     \
                volatile R tmp = (R)INFINITY;                                            \
                tmp -= (R)INFINITY; /* raises invalid */                                 \
                *or_ = (R)NAN, *oi = (R)NAN;                                             \
            }                                                                            \
            return;                                                                      \
        }                                                                                \
        int64_t n;                                                                       \
        if (bi == 0 && br >= -9.2e18 && br <= 9.2e18 && (R)(n = (int64_t)br) == br) {   \
            if (n == 1) {                                                                \
                *or_ = ar, *oi = ai;                                                     \
                return;                                                                  \
            }                                                                            \
            if (n == 2) {                                                                \
                cmul_##SUF(ar, ai, ar, ai, or_, oi);                                     \
                return;                                                                  \
            }                                                                            \
            if (n == 3) {                                                                \
                R tr, ti;                                                                \
                cmul_##SUF(ar, ai, ar, ai, &tr, &ti);                                    \
                cmul_##SUF(ar, ai, tr, ti, or_, oi);                                     \
                return;                                                                  \
            }                                                                            \
            if (n > -100 && n < 100) {                                                   \
                R pr = ar, pi = ai, qr = 1, qi = 0;                                      \
                int64_t mask = 1, m = n < 0 ? -n : n;                                    \
                for (;;) {                                                               \
                    if (m & mask) cmul_##SUF(qr, qi, pr, pi, &qr, &qi);                  \
                    mask <<= 1;                                                          \
                    if (m < mask || mask <= 0) break;                                    \
                    cmul_##SUF(pr, pi, pr, pi, &pr, &pi);                                \
                }                                                                        \
                if (br < 0) cdiv_##SUF(1, 0, qr, qi, &qr, &qi); /* numpy's division */   \
                *or_ = qr, *oi = qi;                                                     \
                return;                                                                  \
            }                                                                            \
        }                                                                                \
        CT z = CPOW(CMPLXS(ar, ai), CMPLXS(br, bi));                                     \
        *or_ = CRE(z), *oi = CIM(z);                                                     \
    }
DEF_CPOW(f64, double, double complex, cpow, CMPLX, creal, cimag)
DEF_CPOW(f32, float, float complex, cpowf, CMPLXF, crealf, cimagf)

#define DEF_CLOOP(SUF, T, R)                                                               \
    static void cloop_##SUF(int op, const T *x, const T *y, T *o, int64_t n)             \
    {                                                                                    \
        for (int64_t i = 0; i < n; i++) {                                                \
            R ar = x[i].re, ai = x[i].im, br = y[i].re, bi = y[i].im;                    \
            switch (op) {                                                                \
            case BIN_ADD: o[i] = (T){ar + br, ai + bi}; break;                           \
            case BIN_SUB: o[i] = (T){ar - br, ai - bi}; break;                           \
            case BIN_MUL: o[i] = (T){ar * br - ai * bi, ar * bi + ai * br}; break;       \
            case BIN_POW: cpow_##SUF(ar, ai, br, bi, &o[i].re, &o[i].im); break;             \
            case BIN_MAXIMUM: /* CGE: a kept when it holds a nan or is >= b */                  \
                o[i] = ar != ar || ai != ai || (ar > br && ai == ai && bi == bi) || (ar == br && ai >= bi) \
                           ? x[i] : y[i];                                                        \
                break;                                                                           \
            case BIN_MINIMUM: /* CLE */                                                          \
                o[i] = ar != ar || ai != ai || (ar < br && ai == ai && bi == bi) || (ar == br && ai <= bi) \
                           ? x[i] : y[i];                                                        \
                break;                                                                           \
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

/* ---- unary math: numpy's nc_* over the C library's complex functions
 * (npy_cexp is cexp where the platform has it, as Debian's numpy does);
 * log2/log10 scale clog's parts, exp2 scales the argument by ln 2,
 * reciprocal is numpy's own division ---- */
typedef double complex (*CFn)(double complex);
typedef float complex (*CFnF)(float complex);
typedef enum { PRE_NONE, POST_LOG2E, POST_LOG10E, PRE_LN2, RECIPROCAL, SIGN, NEGATIVE } CStep;
static const struct { const char *name; CFn f; CFnF ff; CStep step; } cfns[] = {
    {"exp", cexp, cexpf, PRE_NONE},       {"log", clog, clogf, PRE_NONE},       {"sqrt", csqrt, csqrtf, PRE_NONE},
    {"sin", csin, csinf, PRE_NONE},       {"cos", ccos, ccosf, PRE_NONE},       {"tan", ctan, ctanf, PRE_NONE},
    {"sinh", csinh, csinhf, PRE_NONE},    {"cosh", ccosh, ccoshf, PRE_NONE},    {"tanh", ctanh, ctanhf, PRE_NONE},
    {"arcsin", casin, casinf, PRE_NONE},  {"arccos", cacos, cacosf, PRE_NONE},  {"arctan", catan, catanf, PRE_NONE},
    {"arcsinh", casinh, casinhf, PRE_NONE}, {"arccosh", cacosh, cacoshf, PRE_NONE},
    {"arctanh", catanh, catanhf, PRE_NONE}, {"log2", clog, clogf, POST_LOG2E}, {"log10", clog, clogf, POST_LOG10E},
    {"exp2", cexp, cexpf, PRE_LN2},       {"reciprocal", NULL, NULL, RECIPROCAL}, {"sign", NULL, NULL, SIGN},
    {"negative", NULL, NULL, NEGATIVE}, /* both parts' signs flip (torch's neg is 0 - z) */
};

static int cfn_index(const char *name)
{
    for (size_t i = 0; i < sizeof cfns / sizeof *cfns; i++)
        if (!strcmp(cfns[i].name, name)) return (int)i;
    return -1;
}

bool np_complex_unary_has(const char *name) { return cfn_index(name) >= 0; }

/* numpy's complex reciprocal: 1/z by the larger part */
#define DEF_CRECIP(SUF, R)                                                                 \
    static void crecip_##SUF(R xr, R xi, R *or_, R *oi)                                  \
    {                                                                                    \
        if ((xi < 0 ? -xi : xi) <= (xr < 0 ? -xr : xr)) {                                \
            R r = xi / xr, d = xr + xi * r;                                              \
            *or_ = 1 / d;                                                                \
            *oi = -r / d;                                                                \
        } else {                                                                         \
            R r = xr / xi, d = xr * r + xi;                                              \
            *or_ = r / d;                                                                \
            *oi = -1 / d;                                                                \
        }                                                                                \
    }
DEF_CRECIP(f64, double)
DEF_CRECIP(f32, float)

/* numpy 1.24's complex sign: 1, -1 or 0 by CGT/CLT/CEQ against 0, nan
 * when none holds; its ordered comparisons of a nan raise invalid */
static double csign(double re, double im)
{
    if (re != re || (re == 0 && im != im)) {
        volatile double tmp = INFINITY;
        tmp -= INFINITY; /* raises invalid, as the comparison does */
        (void)tmp;
    }
    return (re > 0 && im == im) || (re == 0 && im > 0)   ? 1
           : (re < 0 && im == im) || (re == 0 && im < 0) ? -1
           : re == 0 && im == 0                          ? 0
                                                         : NAN;
}

Tensor *op_np_complex_unary(const char *name, Tensor *t)
{
    int k = cfn_index(name);
    Tensor *c = k >= 0 ? tensor_contiguous(t) : NULL;
    Tensor *r = c ? tensor_empty(t->dtype, t->ndim, t->shape, device_cpu()) : NULL;
    if (!r) {
        tensor_release(c);
        return NULL;
    }
    int64_t n = tensor_numel(r);
    CStep step = cfns[k].step;
    if (t->dtype == DT_COMPLEX128) {
        const tsr_cdouble *x = (const tsr_cdouble *)tensor_data(c);
        tsr_cdouble *o = (tsr_cdouble *)tensor_data(r);
        for (int64_t i = 0; i < n; i++) {
            if (step == RECIPROCAL) {
                crecip_f64(x[i].re, x[i].im, &o[i].re, &o[i].im);
                continue;
            }
            if (step == SIGN) {
                o[i] = (tsr_cdouble){csign(x[i].re, x[i].im), 0};
                continue;
            }
            if (step == NEGATIVE) {
                o[i] = (tsr_cdouble){-x[i].re, -x[i].im};
                continue;
            }
            double re = x[i].re, im = x[i].im;
            if (step == PRE_LN2) re *= M_LN2, im *= M_LN2;
            double complex z = cfns[k].f(CMPLX(re, im));
            double s = step == POST_LOG2E ? M_LOG2E : step == POST_LOG10E ? M_LOG10E : 1;
            o[i] = s == 1 ? (tsr_cdouble){creal(z), cimag(z)} : (tsr_cdouble){creal(z) * s, cimag(z) * s};
        }
    } else {
        const tsr_cfloat *x = (const tsr_cfloat *)tensor_data(c);
        tsr_cfloat *o = (tsr_cfloat *)tensor_data(r);
        for (int64_t i = 0; i < n; i++) {
            if (step == RECIPROCAL) {
                crecip_f32(x[i].re, x[i].im, &o[i].re, &o[i].im);
                continue;
            }
            if (step == SIGN) {
                o[i] = (tsr_cfloat){(float)csign(x[i].re, x[i].im), 0};
                continue;
            }
            if (step == NEGATIVE) {
                o[i] = (tsr_cfloat){-x[i].re, -x[i].im};
                continue;
            }
            float re = x[i].re, im = x[i].im;
            if (step == PRE_LN2) re *= (float)M_LN2, im *= (float)M_LN2;
            float complex z = cfns[k].ff(CMPLXF(re, im));
            float s = step == POST_LOG2E ? (float)M_LOG2E : step == POST_LOG10E ? (float)M_LOG10E : 1;
            o[i] = s == 1 ? (tsr_cfloat){crealf(z), cimagf(z)} : (tsr_cfloat){crealf(z) * s, cimagf(z) * s};
        }
    }
    tensor_release(c);
    return r;
}

/* ---- multiply.reduce and add/multiply.accumulate: sequential along the
 * reduced elements in C order, as numpy's loops run them ---- */

/* the shape of a reduction over dims (nd of them) of t, 1s for them when
 * keep; *inner: the elements each result gathers */
static int reduced_shape(const Tensor *t, int nd, const int64_t *dims, bool keep, int64_t *shape, int64_t *inner)
{
    int rn = 0;
    *inner = 1;
    for (int d = 0; d < t->ndim; d++) {
        bool r = false;
        for (int i = 0; i < nd; i++) r = r || dims[i] == d;
        if (!r) shape[rn++] = t->shape[d];
        else {
            *inner *= t->shape[d];
            if (keep) shape[rn++] = 1;
        }
    }
    return rn;
}

/* t with the dims in `red` (nd of them) moved last, contiguous */
static Tensor *reduced_last(Tensor *t, int nd, const int64_t *dims)
{
    int64_t perm[TSR_MAX_DIMS];
    int k = 0;
    for (int d = 0; d < t->ndim; d++) {
        bool r = false;
        for (int i = 0; i < nd; i++) r = r || dims[i] == d;
        if (!r) perm[k++] = d;
    }
    for (int d = 0; d < t->ndim; d++)
        for (int i = 0; i < nd; i++)
            if (dims[i] == d) perm[k++] = d;
    Tensor *p = op_permute(t, t->ndim, perm), *c = p ? tensor_contiguous(p) : NULL;
    tensor_release(p);
    return c;
}

/* numpy's complex128 multiply reduce loop (the scalar path of its
 * AVX512F dispatch, compiled with contraction, on the oracle's x86-64):
 * the real part fma(ar, br, -(ai bi)), the imaginary part
 * fma(ar, bi, ai br); complex64's reduce multiplies plainly */
static void cmul_fma_f64(double ar, double ai, double br, double bi, double *or_, double *oi)
{
    double re = fma(ar, br, -(ai * bi)), im = fma(ar, bi, ai * br);
    *or_ = re;
    *oi = im;
}

Tensor *op_np_complex_prod(Tensor *t, int nd, const int64_t *dims, bool keep)
{
    int64_t shape[TSR_MAX_DIMS], inner;
    int rn = reduced_shape(t, nd, dims, keep, shape, &inner);
    Tensor *c = reduced_last(t, nd, dims), *r = c ? tensor_empty(t->dtype, rn, shape, device_cpu()) : NULL;
    if (r) {
        int64_t outer = tensor_numel(r);
        if (t->dtype == DT_COMPLEX128) {
            const tsr_cdouble *x = (const tsr_cdouble *)tensor_data(c);
            tsr_cdouble *o = (tsr_cdouble *)tensor_data(r);
            for (int64_t j = 0; j < outer; j++) {
                double qr = 1, qi = 0;
                for (int64_t i = 0; i < inner; i++)
                    cmul_fma_f64(qr, qi, x[j * inner + i].re, x[j * inner + i].im, &qr, &qi);
                o[j] = (tsr_cdouble){qr, qi};
            }
        } else {
            const tsr_cfloat *x = (const tsr_cfloat *)tensor_data(c);
            tsr_cfloat *o = (tsr_cfloat *)tensor_data(r);
            for (int64_t j = 0; j < outer; j++) {
                float qr = 1, qi = 0;
                for (int64_t i = 0; i < inner; i++)
                    cmul_f32(qr, qi, x[j * inner + i].re, x[j * inner + i].im, &qr, &qi);
                o[j] = (tsr_cfloat){qr, qi};
            }
        }
    }
    tensor_release(c);
    return r;
}

Tensor *op_np_complex_accumulate(Tensor *t, int64_t dim, bool mul)
{
    Tensor *c = reduced_last(t, 1, &dim), *r = c ? tensor_empty(t->dtype, c->ndim, c->shape, device_cpu()) : NULL;
    if (r) {
        int64_t inner = t->ndim ? t->shape[dim] : 1, outer = inner ? tensor_numel(r) / inner : 0;
        for (int64_t j = 0; j < outer; j++)
            for (int64_t i = 0; i < inner; i++) {
                int64_t k = j * inner + i;
                if (t->dtype == DT_COMPLEX128) {
                    const tsr_cdouble *x = (const tsr_cdouble *)tensor_data(c);
                    tsr_cdouble *o = (tsr_cdouble *)tensor_data(r);
                    if (!i) o[k] = x[k];
                    else if (mul) cmul_fma_f64(o[k - 1].re, o[k - 1].im, x[k].re, x[k].im, &o[k].re, &o[k].im);
                    else o[k] = (tsr_cdouble){o[k - 1].re + x[k].re, o[k - 1].im + x[k].im};
                } else {
                    const tsr_cfloat *x = (const tsr_cfloat *)tensor_data(c);
                    tsr_cfloat *o = (tsr_cfloat *)tensor_data(r);
                    if (!i) o[k] = x[k];
                    else if (mul) cmul_f32(o[k - 1].re, o[k - 1].im, x[k].re, x[k].im, &o[k].re, &o[k].im);
                    else o[k] = (tsr_cfloat){o[k - 1].re + x[k].re, o[k - 1].im + x[k].im};
                }
            }
    }
    tensor_release(c);
    if (!r || t->ndim == 0) return r;
    int64_t back[TSR_MAX_DIMS]; /* the accumulated axis back in its place */
    for (int d = 0; d < t->ndim; d++) back[d] = d < dim ? d : d == dim ? t->ndim - 1 : d - 1;
    Tensor *p = op_permute(r, t->ndim, back), *out = p ? tensor_contiguous(p) : NULL;
    tensor_release(p);
    tensor_release(r);
    return out;
}

/* ---- ordering: numpy's lexicographic complex order (npysort's CLT):
 * real parts first, then imaginary parts; nan sorts last, by class:
 * (finite real, nan imag) by real, then (nan real, finite imag) by imag,
 * then nan in both ---- */

static int nan_class(double re, double im) { return (re != re) * 2 + (im != im); }

/* a < b in numpy's sort order */
static bool clt(double ar, double ai, double br, double bi)
{
    int ca = nan_class(ar, ai), cb = nan_class(br, bi);
    if (ca != cb) return ca < cb;
    switch (ca) {
    case 0: return ar < br || (ar == br && ai < bi);
    case 1: return ar < br;
    case 2: return ai < bi;
    default: return false;
    }
}

/* element i of a contiguous complex row as doubles */
static void part_at(const Tensor *c, int64_t i, double *re, double *im)
{
    if (c->dtype == DT_COMPLEX128) {
        const tsr_cdouble *p = (const tsr_cdouble *)tensor_data((Tensor *)c) + i;
        *re = p->re, *im = p->im;
    } else {
        const tsr_cfloat *p = (const tsr_cfloat *)tensor_data((Tensor *)c) + i;
        *re = p->re, *im = p->im;
    }
}

Tensor *op_np_complex_argext(Tensor *t, int nd, const int64_t *dims, bool keep, bool is_max, bool want_index)
{
    int64_t shape[TSR_MAX_DIMS], inner;
    int rn = reduced_shape(t, nd, dims, keep, shape, &inner);
    Tensor *c = reduced_last(t, nd, dims);
    Tensor *r = c ? tensor_empty(want_index ? DT_INT64 : t->dtype, rn, shape, device_cpu()) : NULL;
    if (r && inner > 0) {
        int64_t outer = tensor_numel(r);
        size_t es = dtype_size(t->dtype);
        for (int64_t j = 0; j < outer; j++) {
            /* CDOUBLE_argmax/argmin: the first nan, else the first extreme */
            int64_t best = 0;
            double mr, mi;
            part_at(c, j * inner, &mr, &mi);
            if (!(mr != mr || mi != mi))
                for (int64_t i = 1; i < inner; i++) {
                    double xr, xi;
                    part_at(c, j * inner + i, &xr, &xi);
                    bool nan = xr != xr || xi != xi;
                    bool better = is_max ? xr > mr || (xr == mr && xi > mi) : xr < mr || (xr == mr && xi < mi);
                    if (better || nan) {
                        mr = xr, mi = xi, best = i;
                        if (nan) break;
                    }
                }
            if (want_index) ((int64_t *)tensor_data(r))[j] = best;
            else memcpy((char *)tensor_data(r) + j * es, (char *)tensor_data(c) + (j * inner + best) * es, es);
        }
    }
    tensor_release(c);
    return r;
}

/* a stable merge sort of idx[0..n) by clt over row (scratch tmp[n]) */
static void merge_sort(const Tensor *c, int64_t base, int64_t *idx, int64_t *tmp, int64_t n)
{
    for (int64_t w = 1; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n, i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                double ar, ai, br, bi;
                part_at(c, base + idx[j], &br, &bi);
                part_at(c, base + idx[i], &ar, &ai);
                tmp[k++] = clt(br, bi, ar, ai) ? idx[j++] : idx[i++];
            }
            while (i < mid) tmp[k++] = idx[i++];
            while (j < hi) tmp[k++] = idx[j++];
        }
        memcpy(idx, tmp, (size_t)n * sizeof *idx);
    }
}

bool op_np_complex_sort(Tensor *t, int64_t dim, Tensor **vals, Tensor **idx)
{
    *vals = *idx = NULL;
    Tensor *c = reduced_last(t, 1, &dim);
    if (!c) return false;
    int64_t n = t->shape[dim], rows = n ? tensor_numel(c) / n : 0;
    Tensor *v = tensor_empty(t->dtype, c->ndim, c->shape, device_cpu());
    Tensor *ix = v ? tensor_empty(DT_INT64, c->ndim, c->shape, device_cpu()) : NULL;
    int64_t *tmp = ix ? tsr_malloc((unsigned long long)(n ? n : 1) * sizeof(int64_t)) : NULL;
    if (!tmp) {
        tensor_release(c);
        tensor_release(v);
        tensor_release(ix);
        return false;
    }
    size_t es = dtype_size(t->dtype);
    for (int64_t j = 0; j < rows; j++) {
        int64_t *p = (int64_t *)tensor_data(ix) + j * n;
        for (int64_t i = 0; i < n; i++) p[i] = i;
        merge_sort(c, j * n, p, tmp, n);
        for (int64_t i = 0; i < n; i++)
            memcpy((char *)tensor_data(v) + (j * n + i) * es, (char *)tensor_data(c) + (j * n + p[i]) * es, es);
    }
    free(tmp);
    tensor_release(c);
    /* the sorted axis back in its place */
    int64_t back[TSR_MAX_DIMS];
    for (int d = 0; d < t->ndim; d++) back[d] = d < dim ? d : d == dim ? t->ndim - 1 : d - 1;
    Tensor *pv = op_permute(v, t->ndim, back), *pi = pv ? op_permute(ix, t->ndim, back) : NULL;
    tensor_release(v);
    tensor_release(ix);
    *vals = pv ? tensor_contiguous(pv) : NULL;
    *idx = pi ? tensor_contiguous(pi) : NULL;
    tensor_release(pv);
    tensor_release(pi);
    if (*vals && *idx) return true;
    tensor_release(*vals);
    tensor_release(*idx);
    *vals = *idx = NULL;
    return false;
}
