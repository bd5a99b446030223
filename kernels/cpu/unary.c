/* unary.c: elementwise unary kernels, dtype casts and softmax.
 *
 * Same scheme as binary.c: one scalar expression per op (in `a`, of the
 * compute type C), one generic loop, expanded once per dtype by the lists
 * below into loop functions and a dispatch table. */
#include <stdbool.h>
#include <stdint.h>
#include <tgmath.h>

#include "kernels.h"
#include "copy.h"

#define LD_N(p) (*(p))
#define ST_N(p, v) (*(p) = (v))
#define LD_H(p) half_to_float(*(p))
#define ST_H(p, v) (*(p) = float_to_half(v))
#define LD_BF(p) bf16_to_float(*(p))
#define ST_BF(p, v) (*(p) = float_to_bf16(v))

static inline int64_t i_abs(int64_t a) { return a < 0 ? (int64_t)(0 - (uint64_t)a) : a; }
static inline int64_t i_sign(int64_t a) { return (a > 0) - (a < 0); }

#define DEF_ULOOP(NAME, T, C, LD, TO, STO, EXPR)                                   \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {           \
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

/* X(OP, DT, T, C, LD, TO, STO, EXPR) */
#define FLOAT_UN(X, DT, T, C, LD, ST)                                         \
    X(NEG, DT, T, C, LD, T, ST, -a)                                           \
    X(ABS, DT, T, C, LD, T, ST, fabs(a))                                      \
    X(SIGN, DT, T, C, LD, T, ST, (C)((a > 0) - (a < 0)))                      \
    X(SQUARE, DT, T, C, LD, T, ST, a * a)                                     \
    X(RELU, DT, T, C, LD, T, ST, a < 0 ? (C)0 : a) /* keeps -0. and nan */                \
    X(SQRT, DT, T, C, LD, T, ST, sqrt(a))                                     \
    X(RSQRT, DT, T, C, LD, T, ST, (C)1 / sqrt(a))                             \
    X(EXP, DT, T, C, LD, T, ST, exp(a))                                       \
    X(EXP2, DT, T, C, LD, T, ST, exp2(a))                                     \
    X(EXPM1, DT, T, C, LD, T, ST, expm1(a))                                   \
    X(LOG, DT, T, C, LD, T, ST, log(a))                                       \
    X(LOG2, DT, T, C, LD, T, ST, log2(a))                                     \
    X(LOG10, DT, T, C, LD, T, ST, log10(a))                                   \
    X(LOG1P, DT, T, C, LD, T, ST, log1p(a))                                   \
    X(SIN, DT, T, C, LD, T, ST, sin(a))                                       \
    X(COS, DT, T, C, LD, T, ST, cos(a))                                       \
    X(TAN, DT, T, C, LD, T, ST, tan(a))                                       \
    X(ASIN, DT, T, C, LD, T, ST, asin(a))                                     \
    X(ACOS, DT, T, C, LD, T, ST, acos(a))                                     \
    X(ATAN, DT, T, C, LD, T, ST, atan(a))                                     \
    X(SINH, DT, T, C, LD, T, ST, sinh(a))                                     \
    X(COSH, DT, T, C, LD, T, ST, cosh(a))                                     \
    X(TANH, DT, T, C, LD, T, ST, tanh(a))                                     \
    X(SIGMOID, DT, T, C, LD, T, ST, (C)1 / ((C)1 + exp(-a)))                  \
    X(RECIPROCAL, DT, T, C, LD, T, ST, (C)1 / a)                              \
    X(FLOOR, DT, T, C, LD, T, ST, floor(a))                                   \
    X(CEIL, DT, T, C, LD, T, ST, ceil(a))                                     \
    X(ROUND, DT, T, C, LD, T, ST, nearbyint(a))                               \
    X(TRUNC, DT, T, C, LD, T, ST, trunc(a))                                   \
    X(FRAC, DT, T, C, LD, T, ST, a - trunc(a))                                \
    X(ISNAN, DT, T, C, LD, bool, ST_N, a != a)                                \
    X(ISINF, DT, T, C, LD, bool, ST_N, isinf(a))                              \
    X(ISFINITE, DT, T, C, LD, bool, ST_N, isfinite(a))                        \
    X(LOGICAL_NOT, DT, T, C, LD, bool, ST_N, a == 0)

#define INT_UN(X, DT, T)                                                      \
    X(NEG, DT, T, T, LD_N, T, ST_N, (T)(0 - (uint64_t)a))                     \
    X(ABS, DT, T, T, LD_N, T, ST_N, (T)i_abs(a))                              \
    X(SIGN, DT, T, T, LD_N, T, ST_N, (T)i_sign(a))                            \
    X(SQUARE, DT, T, T, LD_N, T, ST_N, (T)((uint64_t)a * (uint64_t)a))        \
    X(RELU, DT, T, T, LD_N, T, ST_N, a > 0 ? a : (T)0)                        \
    X(FLOOR, DT, T, T, LD_N, T, ST_N, a)                                      \
    X(CEIL, DT, T, T, LD_N, T, ST_N, a)                                       \
    X(ROUND, DT, T, T, LD_N, T, ST_N, a)                                      \
    X(TRUNC, DT, T, T, LD_N, T, ST_N, a)                                      \
    X(ISNAN, DT, T, T, LD_N, bool, ST_N, ((void)a, false))                    \
    X(ISINF, DT, T, T, LD_N, bool, ST_N, ((void)a, false))                    \
    X(ISFINITE, DT, T, T, LD_N, bool, ST_N, ((void)a, true))                  \
    X(LOGICAL_NOT, DT, T, T, LD_N, bool, ST_N, a == 0)                        \
    X(BITWISE_NOT, DT, T, T, LD_N, T, ST_N, (T)~a)

#define BOOL_UN(X, DT, T)                                                     \
    X(SIGN, DT, T, T, LD_N, T, ST_N, a)                                       \
    X(ISNAN, DT, T, T, LD_N, bool, ST_N, ((void)a, false))                    \
    X(ISINF, DT, T, T, LD_N, bool, ST_N, ((void)a, false))                    \
    X(ISFINITE, DT, T, T, LD_N, bool, ST_N, ((void)a, true))                  \
    X(LOGICAL_NOT, DT, T, T, LD_N, bool, ST_N, !a)                            \
    X(BITWISE_NOT, DT, T, T, LD_N, bool, ST_N, !a)

#define ALL_UN(X)                                              \
    FLOAT_UN(X, FLOAT32, float, float, LD_N, ST_N)             \
    FLOAT_UN(X, FLOAT64, double, double, LD_N, ST_N)           \
    FLOAT_UN(X, FLOAT16, tsr_half, float, LD_H, ST_H)          \
    FLOAT_UN(X, BFLOAT16, tsr_bfloat16, float, LD_BF, ST_BF)   \
    INT_UN(X, UINT8, uint8_t)                                  \
    INT_UN(X, INT8, int8_t)                                    \
    INT_UN(X, INT16, int16_t)                                  \
    INT_UN(X, INT32, int32_t)                                  \
    INT_UN(X, INT64, int64_t)                                  \
    BOOL_UN(X, BOOL, bool)

#define GEN_LOOP(OP, DT, T, C, LD, TO, STO, EXPR) DEF_ULOOP(un_##OP##_##DT, T, C, LD, TO, STO, EXPR)
ALL_UN(GEN_LOOP)
#undef GEN_LOOP

static const IterLoopFn un_table[UN_COUNT][DT_COUNT] = {
#define ENTRY(OP, DT, T, C, LD, TO, STO, EXPR) [UN_##OP][DT_##DT] = un_##OP##_##DT,
    ALL_UN(ENTRY)
#undef ENTRY
};

KernelStatus kernel_unary(UnaryOp op, DType dt, const TsrIter *it) {
    if ((unsigned)op >= UN_COUNT || (unsigned)dt >= DT_COUNT || !un_table[op][dt])
        return KERNEL_UNSUPPORTED;
    if (it->numel > 0) iter_run(it, un_table[op][dt], NULL);
    return KERNEL_OK;
}

/* ---- casts: every (out, in) dtype pair ----
 * VAL_<DT> loads as double (floats) or int64 (ints, bool); PUT_<DT> stores
 * with PyTorch's (C's, compiled for x86) conversion: floats to int64
 * truncate through cvttsd2si, floats to narrower ints through its 32-bit
 * form and then wrap (NaN and out of range give INT64_MIN / INT32_MIN),
 * ints wrap, anything nonzero is true. */
static inline int64_t f2i(double v) {
    if (v != v || v >= 9223372036854775808.0 || v < -9223372036854775808.0) return INT64_MIN;
    return (int64_t)v;
}
static inline int64_t f2i32(double v) {
    if (v != v || v >= 2147483648.0 || v <= -2147483649.0) return INT32_MIN;
    return (int64_t)v;
}
static inline int64_t i2i(int64_t v) { return v; }
#define TO_I64(v) _Generic((v), double: f2i, default: i2i)(v)
#define TO_I32(v) _Generic((v), double: f2i32, default: i2i)(v)

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

#define DEF_CAST(DO, TO, DI, TI)                                                         \
    static void cast_##DO##_##DI(char **d, const int64_t *s, int64_t n, void *ctx) {     \
        if (s[0] == sizeof(TO) && s[1] == sizeof(TI)) {                                  \
            for (int64_t i = 0; i < n; i++)                                              \
                PUT_##DO((TO *)d[0] + i, VAL_##DI((const TI *)d[1] + i));                \
        } else {                                                                         \
            for (int64_t i = 0; i < n; i++) PUT_##DO(d[0] + i * s[0], VAL_##DI(d[1] + i * s[1])); \
        }                                                                                \
    }
#define CAST_FROM_ALL(Y, DO, TO)                                                        \
    Y(DO, TO, UINT8, uint8_t) Y(DO, TO, INT8, int8_t) Y(DO, TO, INT16, int16_t)        \
    Y(DO, TO, INT32, int32_t) Y(DO, TO, INT64, int64_t) Y(DO, TO, FLOAT16, tsr_half)   \
    Y(DO, TO, FLOAT32, float) Y(DO, TO, FLOAT64, double) Y(DO, TO, BOOL, bool)         \
    Y(DO, TO, BFLOAT16, tsr_bfloat16)
#define ALL_CASTS(Y)                                                                    \
    CAST_FROM_ALL(Y, UINT8, uint8_t) CAST_FROM_ALL(Y, INT8, int8_t)                     \
    CAST_FROM_ALL(Y, INT16, int16_t) CAST_FROM_ALL(Y, INT32, int32_t)                   \
    CAST_FROM_ALL(Y, INT64, int64_t) CAST_FROM_ALL(Y, FLOAT16, tsr_half)                \
    CAST_FROM_ALL(Y, FLOAT32, float) CAST_FROM_ALL(Y, FLOAT64, double)                  \
    CAST_FROM_ALL(Y, BOOL, bool) CAST_FROM_ALL(Y, BFLOAT16, tsr_bfloat16)

ALL_CASTS(DEF_CAST)

static const IterLoopFn cast_table[DT_COUNT][DT_COUNT] = {
#define ENTRY(DO, TO, DI, TI) [DT_##DO][DT_##DI] = cast_##DO##_##DI,
    ALL_CASTS(ENTRY)
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

/* ---- softmax over the middle dim of [outer, n, inner] ----
 * Like PyTorch: subtract the max, exponentiate, scale by 1/sum (log:
 * x - max - log(sum)), accumulating in the compute type C. */
#define DEF_SOFTMAX(NAME, T, C, LD, ST)                                                  \
    static void NAME(const char *in, char *out, int64_t outer, int64_t n, int64_t inner, \
                     bool lg) {                                                          \
        const T *x = (const T *)in;                                                      \
        T *y = (T *)out;                                                                 \
        for (int64_t o = 0; o < outer; o++) {                                            \
            for (int64_t j = 0; j < inner; j++) {                                        \
                const T *xs = x + o * n * inner + j;                                     \
                T *ys = y + o * n * inner + j;                                           \
                C mx = -INFINITY;                                                        \
                for (int64_t k = 0; k < n; k++) {                                        \
                    C v = LD(xs + k * inner);                                            \
                    if (v != v || v > mx) mx = v;                                        \
                }                                                                        \
                C sum = 0;                                                               \
                if (lg) {                                                                \
                    for (int64_t k = 0; k < n; k++) sum += exp(LD(xs + k * inner) - mx); \
                    C ls = log(sum);                                                     \
                    for (int64_t k = 0; k < n; k++)                                      \
                        ST(ys + k * inner, LD(xs + k * inner) - mx - ls);                \
                } else {                                                                 \
                    for (int64_t k = 0; k < n; k++) {                                    \
                        C e = exp(LD(xs + k * inner) - mx);                              \
                        sum += e;                                                        \
                        ST(ys + k * inner, e);                                           \
                    }                                                                    \
                    C inv = (C)1 / sum;                                                  \
                    for (int64_t k = 0; k < n; k++)                                      \
                        ST(ys + k * inner, LD(ys + k * inner) * inv);                    \
                }                                                                        \
            }                                                                            \
        }                                                                                \
    }
DEF_SOFTMAX(softmax_f32, float, float, LD_N, ST_N)
DEF_SOFTMAX(softmax_f64, double, double, LD_N, ST_N)
DEF_SOFTMAX(softmax_bf16, tsr_bfloat16, float, LD_BF, ST_BF)

KernelStatus kernel_softmax(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                            int64_t inner, bool log) {
    switch (dt) {
    case DT_FLOAT32: softmax_f32(in, out, outer, n, inner, log); return KERNEL_OK;
    case DT_FLOAT64: softmax_f64(in, out, outer, n, inner, log); return KERNEL_OK;
    case DT_BFLOAT16: softmax_bf16(in, out, outer, n, inner, log); return KERNEL_OK;
    default: return KERNEL_UNSUPPORTED;
    }
}
