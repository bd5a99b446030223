/* complex_unary.c: complex64/complex128 math as ATen 1.13's CPU kernels
 * compute it (UnaryOpsKernel.cpp, vec256_complex_{float,double}.h).
 *
 * Most Vectorized<c10::complex<T>> functions are map(std::f), and
 * libstdc++'s std::f of a complex number is glibc's cf (clogf, csqrtf,
 * csinf, ...), so every element goes through glibc: log, sqrt, sin, cos,
 * tan, sinh, cosh, tanh, and the scalar-only asinh, acosh, atanh. The
 * others are ATen's own vector formulas, applied to every element (the
 * VML kernels map whole rows, the tail zero padded): exp (SLEEF's exp and
 * sincos, vec_math_avx2.c), log2/log10 (log over a constant), asin, acos
 * of complex128 (pi/2 - asin; complex64's is cacosf, as measured) and atan
 * (i/2 log((i + z) / (i - z))). sigmoid and rsqrt
 * are cpu_kernel_vec ops: the vector form on blocks of two vectors, the
 * scalar lambda (glibc, fused quotients) on the rest. */
#include "c_complex.h"
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "complex_ops.h"
#include "complex_unary.h"
#include "kernels.h"
#include "vec_math.h"

static inline float complex fc_of(tsr_cfloat z) { return CMPLXF(z.re, z.im); }
static inline double complex dc_of(tsr_cdouble z) { return CMPLX(z.re, z.im); }
static inline tsr_cfloat cf_of(float complex z) { return (tsr_cfloat){crealf(z), cimagf(z)}; }
static inline tsr_cdouble cd_of(double complex z) { return (tsr_cdouble){creal(z), cimag(z)}; }

/* glibc's complex functions, per part type */
#define GLIBC_FUNCS(X) X(log) X(sqrt) X(sin) X(cos) X(tan) X(sinh) X(cosh) X(tanh) X(asinh) X(acosh) X(atanh) X(exp) X(acos)
#define DEF_G(F)                                                                 \
    static inline tsr_cfloat cf_g_##F(tsr_cfloat z) { return cf_of(c##F##f(fc_of(z))); } \
    static inline tsr_cdouble cd_g_##F(tsr_cdouble z) { return cd_of(c##F(dc_of(z))); }
GLIBC_FUNCS(DEF_G)
#undef DEF_G

/* ATen's vector formulas (vec256_complex_*.h, 1.13), per element */
#define DEF_FORMULAS(P, T, R, LN2, LN10, PI_2)                                        \
    static inline T P##_v_log2(T z) {                                                 \
        T l = P##_g_log(z);                                                           \
        return (T){l.re / (R)LN2, l.im / (R)LN2};                                     \
    }                                                                                 \
    static inline T P##_v_log10(T z) {                                                \
        T l = P##_g_log(z);                                                           \
        return (T){l.re / (R)LN10, l.im / (R)LN10};                                   \
    }                                                                                 \
    /* asin(z) = -i ln(iz + sqrt(1 - z^2)) */                                        \
    static inline T P##_v_asin(T z) {                                                 \
        R a = z.re, b = z.im, ab = a * -b;                                            \
        T root = P##_g_sqrt((T){(R)1 - (a * a - b * b), ab + ab});                    \
        T ln = P##_g_log((T){-b + root.re, a + root.im});                             \
        return (T){ln.im, -ln.re};                                                    \
    }                                                                                 \
    /* complex128's acos: pi/2 - asin(z) (complex64's is glibc's cacosf) */           \
    static inline T P##_v_acos(T z) {                                                 \
        T s = P##_v_asin(z);                                                          \
        return (T){(R)PI_2 - s.re, (R)0 - s.im};                                      \
    }                                                                                 \
    /* atan(z) = i/2 ln((i + z) / (i - z)) */                                        \
    static inline T P##_v_atan(T z) {                                                 \
        T q = P##_div((T){z.re, (R)1 + z.im}, (T){(R)0 - z.re, (R)1 - z.im});         \
        return P##_mul((T){0, (R)0.5}, P##_g_log(q));                                 \
    }                                                                                 \
    /* sigmoid and rsqrt: vector and scalar forms */                                \
    static inline T P##_v_sigmoid(T z, T e) { return P##_recip((T){(R)1 + e.re, e.im}); } \
    static inline T P##_s_sigmoid(T z) {                                              \
        T e = P##_g_exp((T){-z.re, -z.im});                                           \
        return P##_div_s((T){1, 0}, (T){(R)1 + e.re, e.im});                          \
    }                                                                                 \
    static inline T P##_v_rsqrt(T z) { return P##_recip(P##_g_sqrt(z)); }            \
    static inline T P##_s_rsqrt(T z) { return P##_div_s((T){1, 0}, P##_g_sqrt(z)); }
DEF_FORMULAS(cf, tsr_cfloat, float, 0.693147180559945309417, 2.302585092994045684018, 1.57079632679489661923)
DEF_FORMULAS(cd, tsr_cdouble, double, 0.693147180559945309417, 2.302585092994045684018, 1.57079632679489661923)

/* exp on every element: SLEEF on vectors where ATen's AVX2 kernels run
 * (vec_math_avx2.c), glibc's cexp otherwise */
static void exp_row(DType dt, const char *in, int64_t is, char *out, int64_t os, int64_t n) {
    if (vec_complex_exp(dt, in, is, out, os, n)) return;
    for (int64_t i = 0; i < n; i++) {
        if (dt == DT_COMPLEX64) *(tsr_cfloat *)(out + i * os) = cf_g_exp(*(const tsr_cfloat *)(in + i * is));
        else *(tsr_cdouble *)(out + i * os) = cd_g_exp(*(const tsr_cdouble *)(in + i * is));
    }
}

#define DEF_MAP(NAME, T, F)                                                           \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {              \
        for (int64_t i = 0; i < n; i++) *(T *)(d[0] + i * s[0]) = F(*(const T *)(d[1] + i * s[1])); \
    }
/* X(OP, function suffix): every element through one function */
#define COMPLEX_MAPS(X)                                                               \
    X(LOG, g_log) X(SQRT, g_sqrt) X(SIN, g_sin) X(COS, g_cos) X(TAN, g_tan)           \
    X(SINH, g_sinh) X(COSH, g_cosh) X(TANH, g_tanh) X(ASINH, g_asinh)                 \
    X(ACOSH, g_acosh) X(ATANH, g_atanh) X(LOG2, v_log2) X(LOG10, v_log10)             \
    X(ASIN, v_asin) X(ATAN, v_atan)
#define GEN(OP, F) DEF_MAP(cu_##OP##_c64, tsr_cfloat, cf_##F) DEF_MAP(cu_##OP##_c128, tsr_cdouble, cd_##F)
DEF_MAP(cu_ACOS_c64, tsr_cfloat, cf_g_acos)
DEF_MAP(cu_ACOS_c128, tsr_cdouble, cd_v_acos)
COMPLEX_MAPS(GEN)
#undef GEN

static void cu_EXP_c64(char **d, const int64_t *s, int64_t n, void *ctx) { exp_row(DT_COMPLEX64, d[1], s[1], d[0], s[0], n); }
static void cu_EXP_c128(char **d, const int64_t *s, int64_t n, void *ctx) { exp_row(DT_COMPLEX128, d[1], s[1], d[0], s[0], n); }

/* cpu_kernel_vec: contiguous rows run the vector form on blocks of two
 * vectors (sigmoid's exp through exp_row's vectors), the scalar lambda on
 * the rest; strided rows the scalar lambda throughout */
#define DEF_KVEC_C(NAME, P, T, DT, EXP, VEXPR, SF)                                         \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {              \
        const int64_t z = sizeof(T), blk = 2 * (32 / (int64_t)sizeof(T));              \
        int64_t nv = (s[0] == z && s[1] == z) ? n / blk * blk : 0; \
        T *o = (T *)d[0];                                                             \
        const T *x = (const T *)d[1];                                                 \
        for (int64_t b = 0; b < nv; b += blk) {                                       \
            T v[8], e[8] = {{0}};                                                     \
            for (int k = 0; EXP && k < blk; k++) v[k] = (T){-x[b + k].re, -x[b + k].im}; \
            if (EXP) exp_row(DT, (const char *)v, z, (char *)e, z, blk); /* exp(-z) */ \
            for (int k = 0; k < blk; k++) o[b + k] = VEXPR;                           \
        }                                                                             \
        for (int64_t i = nv; i < n; i++)                                              \
            *(T *)(d[0] + i * s[0]) = SF(*(const T *)(d[1] + i * s[1]));              \
    }
DEF_KVEC_C(cu_SIGMOID_c64, cf, tsr_cfloat, DT_COMPLEX64, true, cf_v_sigmoid(x[b + k], e[k]), cf_s_sigmoid)
DEF_KVEC_C(cu_SIGMOID_c128, cd, tsr_cdouble, DT_COMPLEX128, true, cd_v_sigmoid(x[b + k], e[k]), cd_s_sigmoid)
DEF_KVEC_C(cu_RSQRT_c64, cf, tsr_cfloat, DT_COMPLEX64, false, cf_v_rsqrt(x[b + k]), cf_s_rsqrt)
DEF_KVEC_C(cu_RSQRT_c128, cd, tsr_cdouble, DT_COMPLEX128, false, cd_v_rsqrt(x[b + k]), cd_s_rsqrt)

IterLoopFn complex_unary_loop(UnaryOp op, DType dt) {
    bool c64 = dt == DT_COMPLEX64;
    if (!c64 && dt != DT_COMPLEX128) return NULL;
    switch (op) {
#define CASE(OP, F) case UN_##OP: return c64 ? cu_##OP##_c64 : cu_##OP##_c128;
        COMPLEX_MAPS(CASE)
        CASE(EXP, -) CASE(SIGMOID, -) CASE(RSQRT, -) CASE(ACOS, -)
#undef CASE
    default: return NULL;
    }
}

/* pow(a, b) = std::pow: glibc's cpow, for tensor ** tensor and the
 * exponents without a special kernel */
#define DEF_POW(NAME, T, F, OF)                                                       \
    void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {                     \
        for (int64_t i = 0; i < n; i++)                                               \
            *(T *)(d[0] + i * s[0]) = OF(F(*(const T *)(d[1] + i * s[1]), *(const T *)(d[2] + i * s[2]))); \
    }
static inline float complex cpow_f(tsr_cfloat a, tsr_cfloat b) { return cpowf(fc_of(a), fc_of(b)); }
static inline double complex cpow_d(tsr_cdouble a, tsr_cdouble b) { return cpow(dc_of(a), dc_of(b)); }
DEF_POW(complex_pow_c64, tsr_cfloat, cpow_f, cf_of)
DEF_POW(complex_pow_c128, tsr_cdouble, cpow_d, cd_of)
