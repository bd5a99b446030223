/* binary.c: elementwise binary kernels and where().
 *
 * One scalar expression per op (scalar_ops.h's lists, in `a` and `b` of
 * the compute type C) and one generic loop (DEF_LOOP), expanded once per
 * dtype: the lists generate a loop function per (op, dtype) and the
 * dispatch table. Half and bfloat16 load into float, compute, and round
 * back on store. */
#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"
#include "scalar_ops.h"
#include "vec_math.h"
#include "complex_ops.h"
#include "complex_unary.h"

/* integer division by zero: flag it (ctx is an int *) and write 0 */
#define ZCHECK(T, EXPR) (b == 0 ? (*(volatile int *)ctx = 1, (T)0) : (T)(EXPR))

/* ---- the generic loop: contiguous, scalar-a, scalar-b and strided ---- */
#define DEF_LOOP(NAME, T, CT, LD, TO, STO, EXPR)                                       \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {               \
        typedef CT C;                                                                  \
        char *po = d[0];                                                               \
        const char *pa = d[1], *pb = d[2];                                             \
        if (s[0] == sizeof(TO) && s[1] == sizeof(T) && s[2] == sizeof(T)) {            \
            TO *o = (TO *)po;                                                          \
            const T *x = (const T *)pa, *y = (const T *)pb;                            \
            for (int64_t i = 0; i < n; i++) {                                          \
                C a = LD(x + i), b = LD(y + i);                                        \
                STO(o + i, EXPR);                                                      \
            }                                                                          \
        } else if (s[0] == sizeof(TO) && s[1] == sizeof(T) && s[2] == 0) {             \
            TO *o = (TO *)po;                                                          \
            const T *x = (const T *)pa;                                                \
            const C b = LD((const T *)pb);                                             \
            for (int64_t i = 0; i < n; i++) {                                          \
                C a = LD(x + i);                                                       \
                STO(o + i, EXPR);                                                      \
            }                                                                          \
        } else if (s[0] == sizeof(TO) && s[1] == 0 && s[2] == sizeof(T)) {             \
            TO *o = (TO *)po;                                                          \
            const T *y = (const T *)pb;                                                \
            const C a = LD((const T *)pa);                                             \
            for (int64_t i = 0; i < n; i++) {                                          \
                C b = LD(y + i);                                                       \
                STO(o + i, EXPR);                                                      \
            }                                                                          \
        } else {                                                                       \
            for (int64_t i = 0; i < n; i++) {                                          \
                C a = LD((const T *)(pa + i * s[1])), b = LD((const T *)(pb + i * s[2])); \
                STO((TO *)(po + i * s[0]), EXPR);                                      \
            }                                                                          \
        }                                                                              \
    }

/* ---- a loop per (op, dtype) from scalar_ops.h's lists: X(OP, KIND, EXPR,
 * DT, T, C, LD, ST) ---- */
#define FAMILY_OPS(X, FAM, ...) TSR_##FAM##_BINARY(X, __VA_ARGS__)
#define ALL_DTYPES(X) TSR_SCALAR_DTYPES(FAMILY_OPS, X)

#define GEN_VAL(NAME, EXPR, T, C, LD, ST) DEF_LOOP(NAME, T, C, LD, T, ST, (C)(EXPR))
#define GEN_BOOL(NAME, EXPR, T, C, LD, ST) DEF_LOOP(NAME, T, C, LD, bool, ST_N, EXPR)
#define GEN_IDIV(NAME, EXPR, T, C, LD, ST) DEF_LOOP(NAME, T, C, LD, T, ST, ZCHECK(C, EXPR))
#define GEN_LOOP(OP, KIND, EXPR, DT, T, C, LD, ST) GEN_##KIND(bin_##OP##_##DT, EXPR, T, C, LD, ST)
ALL_DTYPES(GEN_LOOP)
#undef GEN_LOOP

/* ---- complex: c10::complex's arithmetic in 1.13. add and sub are
 * ATen's a + alpha * b with alpha 1 or -1 as a complex number (so the
 * signs of zero parts come out as PyTorch's); division without scaling:
 * x / 0 is nan, as PyTorch prints it.
 * mul and div run cpu_kernel_vec's loop: Vectorized<c10::complex<T>>
 * (a product, or a quotient over abs_2, each part rounded once per
 * operation) on blocks of two 256-bit vectors, then the scalar operator
 * on the tail, which ATen's AVX2 build compiles with contraction: the
 * first product of each sum becomes a fused multiply-add. A strided
 * operand runs the scalar operator throughout. ---- */
#define LD_C(p) (*(p))
#define ST_C(p, v) (*(p) = (v))

/* cpu_kernel_vec's vectorized_loop (every operand contiguous, or one a
 * broadcast scalar): VF on blocks of 2 * (32 / sizeof(T)) elements, then
 * basic_loop on the tail, SF throughout where an operand is strided.
 * basic_loop is GCC's code in ATen's build, which vectorises some of the
 * tail (TF there) and leaves the rest scalar (LF): measured against
 * PyTorch for complex64 products, two contiguous operands run pairs in
 * TF and a last odd element in LF (complex128: all in TF); with a scalar operand, one element in
 * LF, then four in TF where at least four follow, the rest in LF. A
 * quotient's tail is SF throughout (TF = LF = SF). */
#define DEF_CKVEC2(NAME, T, VF, TF, LF, SF)                                           \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {              \
        const int64_t z = sizeof(T), blk = 2 * (32 / (int64_t)sizeof(T));              \
        if (s[0] == z && ((s[1] == z && (s[2] == z || s[2] == 0)) || (s[1] == 0 && s[2] == z))) { \
            T *o = (T *)d[0];                                                         \
            const T *x = (const T *)d[1], *y = (const T *)d[2];                       \
            const int64_t sa = s[1] ? 1 : 0, sb = s[2] ? 1 : 0;                       \
            int64_t i = 0, nv = n / blk * blk;                                        \
            for (; i < nv; i++) o[i] = VF(x[i * sa], y[i * sb]);                      \
            int64_t r = n - nv, t0, t1; /* the tail's [t0, t1) in TF */               \
            if (sa && sb) t0 = 0, t1 = z == 16 ? r : r / 2 * 2;                       \
            else if (r >= 5) t0 = 1, t1 = 5;                                          \
            else t0 = t1 = 0;                                                         \
            for (int64_t k = 0; k < r; k++, i++)                                      \
                o[i] = k >= t0 && k < t1 ? TF(x[i * sa], y[i * sb]) : LF(x[i * sa], y[i * sb]); \
            return;                                                                   \
        }                                                                             \
        for (int64_t i = 0; i < n; i++)                                               \
            *(T *)(d[0] + i * s[0]) = SF(*(const T *)(d[1] + i * s[1]), *(const T *)(d[2] + i * s[2])); \
    }

/* X(OP, function suffix, result: VAL, KVEC (vector and scalar forms) or BOOL) */
#define COMPLEX_BINARY(X) X(ADD, add, VAL) X(SUB, sub, VAL) X(MUL, mul, KVEC) X(DIV, div, KVEC) X(EQ, eq, BOOL) X(NE, ne, BOOL) X(POW, pow, POW)
#define GEN_C_VAL(OP, FN) DEF_LOOP(bin_##OP##_COMPLEX64, tsr_cfloat, tsr_cfloat, LD_C, tsr_cfloat, ST_C, cf_##FN(a, b)) \
    DEF_LOOP(bin_##OP##_COMPLEX128, tsr_cdouble, tsr_cdouble, LD_C, tsr_cdouble, ST_C, cd_##FN(a, b))
#define GEN_C_KVEC(OP, FN) DEF_CKVEC2(bin_##OP##_COMPLEX64, tsr_cfloat, cf_##FN, cf_##FN##_t, cf_##FN##_l, cf_##FN##_s) \
    DEF_CKVEC2(bin_##OP##_COMPLEX128, tsr_cdouble, cd_##FN, cd_##FN##_t, cd_##FN##_l, cd_##FN##_s)
#define GEN_C_BOOL(OP, FN) DEF_LOOP(bin_##OP##_COMPLEX64, tsr_cfloat, tsr_cfloat, LD_C, bool, ST_N, cf_##FN(a, b)) \
    DEF_LOOP(bin_##OP##_COMPLEX128, tsr_cdouble, tsr_cdouble, LD_C, bool, ST_N, cd_##FN(a, b))
#define GEN_C_POW(OP, FN) /* complex_unary.c: glibc's cpow */
#define bin_POW_COMPLEX64 complex_pow_c64
#define bin_POW_COMPLEX128 complex_pow_c128
#define GEN_C(OP, FN, KIND) GEN_C_##KIND(OP, FN)
COMPLEX_BINARY(GEN_C)
#undef GEN_C

static const IterLoopFn bin_table[BIN_COUNT][DT_COUNT] = {
#define ENTRY(OP, KIND, EXPR, DT, ...) [BIN_##OP][DT_##DT] = bin_##OP##_##DT,
    ALL_DTYPES(ENTRY)
#undef ENTRY
#define ENTRY(OP, FN, KIND) [BIN_##OP][DT_COMPLEX64] = bin_##OP##_COMPLEX64, [BIN_##OP][DT_COMPLEX128] = bin_##OP##_COMPLEX128,
    COMPLEX_BINARY(ENTRY)
#undef ENTRY
};

static void logit_bf16(char **d, const int64_t *s, int64_t n, void *ctx);
static void xlogy_bf16(char **d, const int64_t *s, int64_t n, void *ctx);
static void xlog1py_bf16(char **d, const int64_t *s, int64_t n, void *ctx);

KernelStatus kernel_binary(BinaryOp op, DType dt, const TsrIter *it) {
    if ((unsigned)op >= BIN_COUNT || (unsigned)dt >= DT_COUNT || !bin_table[op][dt])
        return KERNEL_UNSUPPORTED;
    int err = 0;
    IterLoopFn fn = vec_binary_loop(op, dt); /* float math as ATen vectorises it */
    if (dt == DT_BFLOAT16 && op == BIN_LOGIT) fn = logit_bf16;
    if (dt == DT_BFLOAT16 && op == BIN_XLOGY) fn = xlogy_bf16;
    if (dt == DT_BFLOAT16 && op == BIN_XLOG1PY) fn = xlog1py_bf16;
    if (it->numel > 0) iter_run(it, fn ? fn : bin_table[op][dt], &err);
    return err ? KERNEL_ZERO_DIVISION : KERNEL_OK;
}

/* bfloat16 ** number: pow_tensor_scalar_optimized_kernel<BFloat16,
 * BFloat16> with the exponent rounded to bfloat16: 2, 3 and -2 are
 * products on Vectorized<BFloat16> / c10::BFloat16 (each operation
 * rounded), -0.5 the rsqrt kernel, others pow in float (0.5 and -1, the
 * sqrt and reciprocal kernels, round once too) */
static inline float bf16_round(float v) { return bf16_to_float(float_to_bf16(v)); }
static void pow_scalar_bf16(char **d, const int64_t *s, int64_t n, void *ctx) {
    const float e = bf16_round((float)*(const double *)ctx);
    const int64_t z = sizeof(tsr_bfloat16), blk = cpu_capability() == CPU_CAP_AVX512 ? 64 : 32;
    const int64_t nv = s[0] == z && s[1] == z ? n - n % blk : 0;
    for (int64_t i = 0; i < n; i++) {
        float a = bf16_to_float(*(const tsr_bfloat16 *)(d[1] + i * s[1])), r;
        if (e == 3) r = bf16_round(a * a) * a;
        else if (e == -2) r = 1.0f / bf16_round(a * a);
        else if (e == -0.5f) r = i < nv ? 1.0f / sqrtf(a) : 1.0f / bf16_round(sqrtf(a));
        else if (e == 0.5f) r = sqrtf(a);
        else if (e == -1) r = 1.0f / a;
        else if (e == 2) r = a * a;
        else r = powf(a, e);
        *(tsr_bfloat16 *)(d[0] + i * s[0]) = float_to_bf16(r);
    }
}

/* bfloat16 logit(x, eps): logit_kernel on Vectorized<BFloat16> /
 * c10::BFloat16, every operation rounded (x clamped to [eps, 1 - eps]
 * unless eps is NaN, then log(x / (1 - x)), inf at 1) */
static void logit_bf16(char **d, const int64_t *s, int64_t n, void *ctx) {
    for (int64_t i = 0; i < n; i++) {
        float x = bf16_to_float(*(const tsr_bfloat16 *)(d[1] + i * s[1]));
        float eps = bf16_to_float(*(const tsr_bfloat16 *)(d[2] + i * s[2]));
        if (eps == eps) {
            float hi = bf16_round(1.0f - eps);
            x = x < eps ? eps : x > hi ? hi : x;
        }
        float r = x == 1.0f ? INFINITY : logf(bf16_round(x / bf16_round(1.0f - x)));
        *(tsr_bfloat16 *)(d[0] + i * s[0]) = float_to_bf16(r);
    }
}

/* bfloat16 xlogy / xlog1py: ATen's scalar lambda x * std::log(y) calls
 * c10's std::log(BFloat16), which rounds the logarithm to bfloat16 before
 * the product rounds again */
static void xlog_bf16(char **d, const int64_t *s, int64_t n, bool p1) {
    for (int64_t i = 0; i < n; i++) {
        float x = bf16_to_float(*(const tsr_bfloat16 *)(d[1] + i * s[1]));
        float y = bf16_to_float(*(const tsr_bfloat16 *)(d[2] + i * s[2]));
        float r = y != y ? NAN : x == 0 ? 0.0f : x * bf16_round(p1 ? log1pf(y) : logf(y));
        *(tsr_bfloat16 *)(d[0] + i * s[0]) = float_to_bf16(r);
    }
}
static void xlogy_bf16(char **d, const int64_t *s, int64_t n, void *ctx) { xlog_bf16(d, s, n, false); }
static void xlog1py_bf16(char **d, const int64_t *s, int64_t n, void *ctx) { xlog_bf16(d, s, n, true); }

KernelStatus kernel_pow_scalar(DType dt, const TsrIter *it, double exponent) {
    IterLoopFn fn = dt == DT_BFLOAT16 ? pow_scalar_bf16 : vec_pow_scalar_loop(dt);
    if (!fn) return KERNEL_UNSUPPORTED;
    if (it->numel > 0) iter_run(it, fn, &exponent);
    return KERNEL_OK;
}

/* ---- where(cond, a, b): copies elements by size ---- */
#define DEF_WHERE(NAME, T)                                                           \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {             \
        for (int64_t i = 0; i < n; i++) {                                            \
            bool c = *(const bool *)(d[1] + i * s[1]);                               \
            *(T *)(d[0] + i * s[0]) = c ? *(const T *)(d[2] + i * s[2])              \
                                        : *(const T *)(d[3] + i * s[3]);             \
        }                                                                            \
    }
/* The same for a contiguous line of an integer-sized T (either value may
 * be a scalar: stride 0), as a bit mask GCC vectorises; the strided loop
 * otherwise */
#define DEF_WHERE_MASKED(NAME, T)                                                    \
    DEF_WHERE(NAME##_strided, T)                                                     \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {             \
        if (s[0] != sizeof(T) || s[1] != 1 || (s[2] != sizeof(T) && s[2] != 0) ||   \
            (s[3] != sizeof(T) && s[3] != 0)) {                                      \
            NAME##_strided(d, s, n, ctx);                                            \
            return;                                                                  \
        }                                                                            \
        T *o = (T *)d[0];                                                            \
        const uint8_t *c = (const uint8_t *)d[1];                                    \
        const T *x = (const T *)d[2], *y = (const T *)d[3];                          \
        int64_t xs = s[2] != 0, ys = s[3] != 0;                                      \
        for (int64_t i = 0; i < n; i++) {                                            \
            T m = (T)((T)0 - (T)(c[i] != 0)), xv = x[i * xs], yv = y[i * ys];        \
            o[i] = (T)((xv & m) | (yv & (T)~m));                                     \
        }                                                                            \
    }
DEF_WHERE_MASKED(where_1, uint8_t)
DEF_WHERE_MASKED(where_2, uint16_t)
DEF_WHERE_MASKED(where_4, uint32_t)
DEF_WHERE_MASKED(where_8, uint64_t)
typedef struct { uint64_t lo, hi; } where16_t; /* complex128 */
DEF_WHERE(where_16, where16_t)

KernelStatus kernel_where(size_t elem_size, const TsrIter *it) {
    IterLoopFn fn = elem_size == 1 ? where_1 : elem_size == 2 ? where_2
                  : elem_size == 4 ? where_4 : elem_size == 8 ? where_8 : elem_size == 16 ? where_16 : NULL;
    if (!fn) return KERNEL_UNSUPPORTED;
    if (it->numel > 0) iter_run(it, fn, NULL);
    return KERNEL_OK;
}

/* ---- fma(a, b, c): one rounding ----
 * The build targets x86-64-v2, which has no FMA instruction, so fmaf is a
 * libm call per element; where the CPU has FMA (as PyTorch's AVX2 kernels
 * assume) a copy of the loop compiled for it runs instead. Both round once,
 * so the bits are the same. */
#define DEF_FMA(NAME, T, F, ATTR)                                                    \
    ATTR static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {        \
        if (s[0] == sizeof(T) && s[1] == sizeof(T) && s[2] == sizeof(T) && s[3] == sizeof(T)) { \
            T *o = (T *)d[0];                                                        \
            const T *a = (const T *)d[1], *b = (const T *)d[2], *c = (const T *)d[3]; \
            for (int64_t i = 0; i < n; i++) o[i] = F(a[i], b[i], c[i]);              \
            return;                                                                  \
        }                                                                            \
        if (s[0] == sizeof(T) && s[1] == sizeof(T) && s[2] == 0 && s[3] == sizeof(T)) { \
            T *o = (T *)d[0]; /* add(x, y, alpha=k): fma(y, k, x), k broadcast */    \
            const T *a = (const T *)d[1], *c = (const T *)d[3];                      \
            const T k = *(const T *)d[2];                                            \
            for (int64_t i = 0; i < n; i++) o[i] = F(a[i], k, c[i]);                 \
            return;                                                                  \
        }                                                                            \
        for (int64_t i = 0; i < n; i++)                                              \
            *(T *)(d[0] + i * s[0]) = F(*(const T *)(d[1] + i * s[1]),               \
                                        *(const T *)(d[2] + i * s[2]),               \
                                        *(const T *)(d[3] + i * s[3]));              \
    }
DEF_FMA(fma_f32, float, fmaf, )
DEF_FMA(fma_f64, double, fma, )
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_FMA_HW 1
DEF_FMA(fma_f32_hw, float, __builtin_fmaf, __attribute__((target("avx2,fma"))))
DEF_FMA(fma_f64_hw, double, __builtin_fma, __attribute__((target("avx2,fma"))))
#endif

KernelStatus kernel_fma(DType dt, const TsrIter *it) {
    IterLoopFn fn = dt == DT_FLOAT32 ? fma_f32 : dt == DT_FLOAT64 ? fma_f64 : NULL;
    if (!fn) return KERNEL_UNSUPPORTED;
#ifdef HAVE_FMA_HW
    if (__builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2"))
        fn = dt == DT_FLOAT32 ? fma_f32_hw : fma_f64_hw;
#endif
    if (it->numel > 0) iter_run(it, fn, NULL);
    return KERNEL_OK;
}
