/* unary.c: elementwise unary kernels, dtype casts and softmax.
 *
 * Same scheme as binary.c: one scalar expression per op (scalar_ops.h's
 * lists, in `a` of the compute type C), one generic loop, expanded once per
 * dtype into loop functions and a dispatch table. */
#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"
#include "copy.h"
#include "scalar_ops.h"
#include "vec_math.h"
#include "complex_ops.h"
#include "complex_unary.h"

#define DEF_ULOOP(NAME, T, CT, LD, TO, STO, EXPR)                                  \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {           \
        typedef CT C;                                                              \
        if (s[0] == sizeof(TO) && s[1] == sizeof(T)) {                             \
            TO *o = (TO *)d[0];                                                    \
            const T *x = (const T *)d[1];                                          \
            for (int64_t i = 0; i < n; i++) {                                      \
                C a = LD(x + i);                                                   \
                STO(o + i, EXPR);                                                  \
            }                                                                      \
        } else {                                                                   \
            for (int64_t i = 0; i < n; i++) {                                      \
                C a = LD((const T *)(d[1] + i * s[1]));                            \
                STO((TO *)(d[0] + i * s[0]), EXPR);                                \
            }                                                                      \
        }                                                                          \
    }

/* a loop per (op, dtype) from scalar_ops.h's lists: X(OP, KIND, EXPR, DT, T,
 * C, LD, ST) */
#define FAMILY_OPS(X, FAM, ...) TSR_##FAM##_UNARY(X, __VA_ARGS__)
#define ALL_UN(X) TSR_SCALAR_DTYPES(FAMILY_OPS, X)

#define GEN_VAL(NAME, EXPR, T, C, LD, ST) DEF_ULOOP(NAME, T, C, LD, T, ST, (C)(EXPR))
#define GEN_BOOL(NAME, EXPR, T, C, LD, ST) DEF_ULOOP(NAME, T, C, LD, bool, ST_N, EXPR)
#define GEN_LOOP(OP, KIND, EXPR, DT, T, C, LD, ST) GEN_##KIND(un_##OP##_##DT, EXPR, T, C, LD, ST)
ALL_UN(GEN_LOOP)
#undef GEN_LOOP

/* complex: negation and the reciprocal as cpu_kernel_vec runs them: the
 * vector form on blocks of two vectors (neg: 0 - z, so +0 stays +0; the
 * reciprocal: conj(z) / |z|^2), the scalar one (-z; 1 / z, fused,
 * complex_ops.h) on the tail and on strided rows */
#define LD_C(p) (*(p))
#define ST_C(p, v) (*(p) = (v))
#define DEF_CKVEC1(NAME, T, VF, SF)                                                   \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {              \
        const int64_t z = sizeof(T), blk = 2 * (32 / (int64_t)sizeof(T));              \
        if (s[0] == z && (s[1] == z || s[1] == 0)) {                                  \
            T *o = (T *)d[0];                                                         \
            const T *x = (const T *)d[1];                                             \
            const int64_t sa = s[1] ? 1 : 0;                                          \
            int64_t i = 0, nv = n / blk * blk;                                        \
            for (; i < nv; i++) o[i] = VF(x[i * sa]);                                 \
            for (; i < n; i++) o[i] = SF(x[i * sa]);                                  \
            return;                                                                   \
        }                                                                             \
        for (int64_t i = 0; i < n; i++) *(T *)(d[0] + i * s[0]) = SF(*(const T *)(d[1] + i * s[1])); \
    }
#define DEF_CNEG(P, T)                                                                \
    static inline T P##_neg_v(T a) { return (T){0 - a.re, 0 - a.im}; }                \
    static inline T P##_neg_s(T a) { return (T){-a.re, -a.im}; }
DEF_CNEG(cf, tsr_cfloat)
DEF_CNEG(cd, tsr_cdouble)
DEF_CKVEC1(un_NEG_COMPLEX64, tsr_cfloat, cf_neg_v, cf_neg_s)
DEF_CKVEC1(un_NEG_COMPLEX128, tsr_cdouble, cd_neg_v, cd_neg_s)
DEF_CKVEC1(un_RECIPROCAL_COMPLEX64, tsr_cfloat, cf_recip, cf_recip_s)
DEF_CKVEC1(un_RECIPROCAL_COMPLEX128, tsr_cdouble, cd_recip, cd_recip_s)
/* sgn (the UN_SIGN loop of complex dtypes): z / |z|, 0 at 0; the vector
 * form divides by sqrt(re^2 + im^2) (abs_), the scalar one is a complex
 * quotient by zabs(z) = (hypot(re, im), 0) */
#define DEF_CSGN(P, T, R, SQRT, HYPOT)                                                \
    static inline T P##_sgn(T a) {                                                    \
        R m = SQRT(a.re * a.re + a.im * a.im);                                        \
        return m == 0 ? (T){0, 0} : (T){a.re / m, a.im / m};                          \
    }                                                                                 \
    static inline T P##_sgn_s(T a) {                                                  \
        if (a.re == 0 && a.im == 0) return (T){0, 0};                                 \
        return P##_div_s(a, (T){HYPOT(a.re, a.im), 0}); /* z / zabs(z), a complex */ \
    }
DEF_CSGN(cf, tsr_cfloat, float, sqrtf, hypotf)
DEF_CSGN(cd, tsr_cdouble, double, sqrt, hypot)
DEF_CKVEC1(un_SIGN_COMPLEX64, tsr_cfloat, cf_sgn, cf_sgn_s)
DEF_CKVEC1(un_SIGN_COMPLEX128, tsr_cdouble, cd_sgn, cd_sgn_s)
/* isnan, isinf, isfinite: of either part */
#define C_ISNAN(T) (isnan(a.re) || isnan(a.im))
#define C_ISINF(T) (isinf(a.re) || isinf(a.im))
#define C_ISFINITE(T) (isfinite(a.re) && isfinite(a.im))
#define GEN_CP(OP)                                                                    \
    DEF_ULOOP(un_##OP##_COMPLEX64, tsr_cfloat, tsr_cfloat, LD_C, bool, ST_N, C_##OP(tsr_cfloat)) \
    DEF_ULOOP(un_##OP##_COMPLEX128, tsr_cdouble, tsr_cdouble, LD_C, bool, ST_N, C_##OP(tsr_cdouble))
GEN_CP(ISNAN)
GEN_CP(ISINF)
GEN_CP(ISFINITE)
#undef GEN_CP
#define COMPLEX_UNARY(X) X(NEG) X(RECIPROCAL) X(SIGN) X(ISNAN) X(ISINF) X(ISFINITE)

static const IterLoopFn un_table[UN_COUNT][DT_COUNT] = {
#define ENTRY(OP, KIND, EXPR, DT, ...) [UN_##OP][DT_##DT] = un_##OP##_##DT,
    ALL_UN(ENTRY)
#undef ENTRY
#define ENTRY(OP) [UN_##OP][DT_COMPLEX64] = un_##OP##_COMPLEX64, [UN_##OP][DT_COMPLEX128] = un_##OP##_COMPLEX128,
    COMPLEX_UNARY(ENTRY)
#undef ENTRY
};

/* bfloat16 ops whose ATen 1.13 kernel rounds inside its formula (the
 * others compute in float and round once): sinc's cpu_kernel on
 * c10::BFloat16 (pi, the product, sin and the quotient each rounded), and
 * rsqrt's scalar lambda 1 / std::sqrt(BFloat16) (two roundings) on the
 * tail of a contiguous row and on strided rows; its blocks of two
 * Vectorized<BFloat16> compute 1 / sqrt in float. */
static inline float bf16_round(float v) { return bf16_to_float(float_to_bf16(v)); }
static void un_SINC_bf16_rounded(char **d, const int64_t *s, int64_t n, void *ctx) {
    const float pi = bf16_round((float)M_PI);
    for (int64_t i = 0; i < n; i++) {
        float a = bf16_to_float(*(const tsr_bfloat16 *)(d[1] + i * s[1])), r = 1;
        if (a != 0) {
            float p = bf16_round(pi * a);
            r = bf16_round(sinf(p)) / p;
        }
        *(tsr_bfloat16 *)(d[0] + i * s[0]) = float_to_bf16(r);
    }
}
static void un_RSQRT_bf16_rounded(char **d, const int64_t *s, int64_t n, void *ctx) {
    const int64_t z = sizeof(tsr_bfloat16), blk = cpu_capability() == CPU_CAP_AVX512 ? 64 : 32;
    int64_t nv = s[0] == z && s[1] == z ? n - n % blk : 0;
    for (int64_t i = 0; i < n; i++) {
        float a = bf16_to_float(*(const tsr_bfloat16 *)(d[1] + i * s[1]));
        float r = i < nv ? 1.0f / sqrtf(a) : 1.0f / bf16_round(sqrtf(a));
        *(tsr_bfloat16 *)(d[0] + i * s[0]) = float_to_bf16(r);
    }
}

KernelStatus kernel_unary(UnaryOp op, DType dt, const TsrIter *it) {
    if ((unsigned)op >= UN_COUNT || (unsigned)dt >= DT_COUNT || (!un_table[op][dt] && !complex_unary_loop(op, dt)))
        return KERNEL_UNSUPPORTED;
    /* float32/float64 math as ATen's vectorised kernels compute it, on
     * CPUs where PyTorch runs them (vec_math.h); iter_run's split keeps
     * each half's start a multiple of 64 elements, so of the vectors */
    IterLoopFn cfn = complex_unary_loop(op, dt);
    if (cfn) {
        if (it->numel > 0) iter_run(it, cfn, NULL);
        return KERNEL_OK;
    }
    IterLoopFn fn = vec_unary_loop(op, dt);
    if (dt == DT_BFLOAT16 && op == UN_SINC) fn = un_SINC_bf16_rounded;
    if (dt == DT_BFLOAT16 && op == UN_RSQRT) fn = un_RSQRT_bf16_rounded;
    if (it->numel > 0) iter_run(it, fn ? fn : un_table[op][dt], NULL);
    return KERNEL_OK;
}

/* ---- casts: every (out, in) dtype pair ----
 * VAL_<DT> loads as double (floats) or int64 (ints, bool); PUT_<DT> stores
 * with PyTorch's (C's, compiled for x86) conversion: floats to int64
 * truncate through cvttsd2si, floats to narrower ints through its 32-bit
 * form and then wrap (NaN and out of range give INT64_MIN / INT32_MIN),
 * ints wrap, anything nonzero is true. */
static inline int64_t i2i(int64_t v) { return v; }
#define TO_I64(v) _Generic((v), double: f64_to_i64, default: i2i)(v)
#define TO_I32(v) _Generic((v), double: f64_to_i32, default: i2i)(v)

#define VAL_UINT8(p) ((int64_t) * (const uint8_t *)(p))
#define VAL_INT8(p) ((int64_t) * (const int8_t *)(p))
#define VAL_INT16(p) ((int64_t) * (const int16_t *)(p))
#define VAL_INT32(p) ((int64_t) * (const int32_t *)(p))
#define VAL_INT64(p) (*(const int64_t *)(p))
#define VAL_BOOL(p) ((int64_t) * (const bool *)(p))
#define VAL_FLOAT16(p) ((double)half_to_float(*(const tsr_half *)(p)))
#define VAL_BFLOAT16(p) ((double)bf16_to_float(*(const tsr_bfloat16 *)(p)))
#define VAL_FLOAT32(p) ((double)*(const float *)(p))
#define VAL_FLOAT64(p) (*(const double *)(p))
#define VAL_COMPLEX64(p) ((double)((const tsr_cfloat *)(p))->re) /* to a real dtype: the real part */
#define VAL_COMPLEX128(p) (((const tsr_cdouble *)(p))->re)

#define PUT_UINT8(p, v) (*(uint8_t *)(p) = (uint8_t)(uint64_t)TO_I32(v))
#define PUT_INT8(p, v) (*(int8_t *)(p) = (int8_t)(uint8_t)(uint64_t)TO_I32(v))
#define PUT_INT16(p, v) (*(int16_t *)(p) = (int16_t)(uint16_t)(uint64_t)TO_I32(v))
#define PUT_INT32(p, v) (*(int32_t *)(p) = (int32_t)(uint32_t)(uint64_t)TO_I32(v))
#define PUT_INT64(p, v) (*(int64_t *)(p) = TO_I64(v))
#define PUT_BOOL(p, v) (*(bool *)(p) = (v) != 0)
#define PUT_FLOAT16(p, v) (*(tsr_half *)(p) = float_to_half((float)(v)))
#define PUT_BFLOAT16(p, v) (*(tsr_bfloat16 *)(p) = float_to_bf16((float)(v)))
#define PUT_FLOAT32(p, v) (*(float *)(p) = (float)(v))
#define PUT_FLOAT64(p, v) (*(double *)(p) = (double)(v))
#define PUT_COMPLEX64(p, v) (*(tsr_cfloat *)(p) = (tsr_cfloat){(float)(v), 0.0f})
#define PUT_COMPLEX128(p, v) (*(tsr_cdouble *)(p) = (tsr_cdouble){(double)(v), 0.0})

#define DEF_CAST(DO, TO, DI, TI)                                                         \
    static void cast_##DO##_##DI(char **d, const int64_t *s, int64_t n, void *ctx) {     \
        if (s[0] == sizeof(TO) && s[1] == sizeof(TI)) {                                  \
            for (int64_t i = 0; i < n; i++)                                              \
                PUT_##DO((TO *)d[0] + i, VAL_##DI((const TI *)d[1] + i));                \
        } else {                                                                         \
            for (int64_t i = 0; i < n; i++) PUT_##DO(d[0] + i * s[0], VAL_##DI(d[1] + i * s[1])); \
        }                                                                                \
    }
#define CAST_FROM_REAL(Y, DO, TO)                                                       \
    Y(DO, TO, UINT8, uint8_t) Y(DO, TO, INT8, int8_t) Y(DO, TO, INT16, int16_t)        \
    Y(DO, TO, INT32, int32_t) Y(DO, TO, INT64, int64_t) Y(DO, TO, FLOAT16, tsr_half)   \
    Y(DO, TO, FLOAT32, float) Y(DO, TO, FLOAT64, double) Y(DO, TO, BOOL, bool)         \
    Y(DO, TO, BFLOAT16, tsr_bfloat16)
#define CAST_FROM_ALL(Y, DO, TO) \
    CAST_FROM_REAL(Y, DO, TO) Y(DO, TO, COMPLEX64, tsr_cfloat) Y(DO, TO, COMPLEX128, tsr_cdouble)
/* complex to a real dtype (bool too, in 1.13) takes the real part;
 * complex to complex keeps both: below */
#define ALL_CASTS(Y)                                                                    \
    CAST_FROM_ALL(Y, UINT8, uint8_t) CAST_FROM_ALL(Y, INT8, int8_t)                     \
    CAST_FROM_ALL(Y, INT16, int16_t) CAST_FROM_ALL(Y, INT32, int32_t)                   \
    CAST_FROM_ALL(Y, INT64, int64_t) CAST_FROM_ALL(Y, FLOAT16, tsr_half)                \
    CAST_FROM_ALL(Y, FLOAT32, float) CAST_FROM_ALL(Y, FLOAT64, double)                  \
    CAST_FROM_ALL(Y, BOOL, bool) CAST_FROM_ALL(Y, BFLOAT16, tsr_bfloat16)              \
    CAST_FROM_REAL(Y, COMPLEX64, tsr_cfloat) CAST_FROM_REAL(Y, COMPLEX128, tsr_cdouble)

ALL_CASTS(DEF_CAST)

/* X(out dtype, out type, in dtype, in type, statement on o, x) */
#define COMPLEX_CASTS(X)                                                                \
    X(COMPLEX64, tsr_cfloat, COMPLEX64, tsr_cfloat, *o = *x)                            \
    X(COMPLEX64, tsr_cfloat, COMPLEX128, tsr_cdouble, *o = ((tsr_cfloat){(float)x->re, (float)x->im})) \
    X(COMPLEX128, tsr_cdouble, COMPLEX64, tsr_cfloat, *o = ((tsr_cdouble){x->re, x->im}))             \
    X(COMPLEX128, tsr_cdouble, COMPLEX128, tsr_cdouble, *o = *x)
#define DEF_COMPLEX_CAST(DO, TO, DI, TI, STMT)                                          \
    static void cast_##DO##_##DI(char **d, const int64_t *s, int64_t n, void *ctx) {     \
        for (int64_t i = 0; i < n; i++) {                                                \
            TO *o = (TO *)(d[0] + i * s[0]);                                             \
            const TI *x = (const TI *)(d[1] + i * s[1]);                                 \
            STMT;                                                                        \
        }                                                                                \
    }
COMPLEX_CASTS(DEF_COMPLEX_CAST)

static const IterLoopFn cast_table[DT_COUNT][DT_COUNT] = {
#define ENTRY(DO, TO, DI, TI, ...) [DT_##DO][DT_##DI] = cast_##DO##_##DI,
    ALL_CASTS(ENTRY) COMPLEX_CASTS(ENTRY)
#undef ENTRY
};

KernelStatus kernel_cast(DType out_dt, DType in_dt, const TsrIter *it) {
    if ((unsigned)out_dt >= DT_COUNT || (unsigned)in_dt >= DT_COUNT) return KERNEL_UNSUPPORTED;
    if (it->numel <= 0) return KERNEL_OK;
    /* same dtype (contiguous(), clone of a view): the tiled copy, which
     * keeps transposes in cache */
    if (out_dt == in_dt && it->ndim > 1 && it->nops == 2) {
        int64_t es = (int64_t)dtype_size(out_dt), ds[ITER_MAX_DIMS], ss[ITER_MAX_DIMS];
        bool ok = true;
        for (int d = 0; d < it->ndim; d++) {
            ok &= it->strides[d][0] % es == 0 && it->strides[d][1] % es == 0;
            ds[d] = it->strides[d][0] / es;
            ss[d] = it->strides[d][1] / es;
        }
        if (ok) {
            kernel_copy_strided((int)es, it->ndim, it->shape, it->data[0], ds, it->data[1], ss,
                                it->numel);
            return KERNEL_OK;
        }
    }
    iter_run(it, cast_table[out_dt][in_dt], NULL);
    return KERNEL_OK;
}

/* ---- softmax over the middle dim of [outer, n, inner], accumulating in
 * the compute type C (scalar_ops.h's TSR_SOFTMAX_LINE) ---- */
#define DEF_SOFTMAX(NAME, T, C, LD, ST)                                                  \
    static void NAME(const char *in, char *out, int64_t outer, int64_t n, int64_t inner, \
                     bool lg) {                                                          \
        const T *x = (const T *)in;                                                      \
        T *y = (T *)out;                                                                 \
        for (int64_t o = 0; o < outer; o++) {                                            \
            for (int64_t j = 0; j < inner; j++) {                                        \
                const T *xs = x + o * n * inner + j;                                     \
                T *ys = y + o * n * inner + j;                                           \
                TSR_SOFTMAX_LINE(C, xs, ys, n, inner, lg, LD, ST);                       \
            }                                                                            \
        }                                                                                \
    }
DEF_SOFTMAX(softmax_f32, float, float, LD_N, ST_N)
DEF_SOFTMAX(softmax_f64, double, double, LD_N, ST_N)
DEF_SOFTMAX(softmax_bf16, tsr_bfloat16, float, LD_BF, ST_BF)

KernelStatus kernel_softmax(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                            int64_t inner, bool lastdim, bool log) {
    if (lastdim && n > 0 && vec_softmax_lastdim(dt, in, out, outer, n, log)) return KERNEL_OK;
    if (!lastdim && n > 0 && vec_softmax_inner(dt, in, out, outer, n, inner, log))
        return KERNEL_OK;
    switch (dt) {
    case DT_FLOAT32: softmax_f32(in, out, outer, n, inner, log); return KERNEL_OK;
    case DT_FLOAT64: softmax_f64(in, out, outer, n, inner, log); return KERNEL_OK;
    case DT_BFLOAT16: softmax_bf16(in, out, outer, n, inner, log); return KERNEL_OK;
    default: return KERNEL_UNSUPPORTED;
    }
}

KernelStatus kernel_softmax_backward(DType dt, const char *g, const char *y, char *out, int64_t outer,
                                     int64_t n, int64_t inner, bool lastdim, bool log) {
    if (outer * n * inner == 0) return KERNEL_OK;
    return vec_softmax_backward(dt, g, y, out, outer, n, inner, lastdim, log) ? KERNEL_OK
                                                                              : KERNEL_UNSUPPORTED;
}
