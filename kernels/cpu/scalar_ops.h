/* scalar_ops.h: the scalar functors of the elementwise ops, written once
 * and read by both backends: binary.c and unary.c (C11) expand the op lists
 * below into their CPU loops, kernels/cuda/elementwise.cu (C++17, compiled
 * by nvcc, or by g++ for the emulated device) into its Bin/Un functors.
 * Adding an elementwise op is one row here plus its row in
 * elementwise_ops.h (and, for a libm function no op used before, its name
 * in TSR_MATH1 / TSR_MATH2 below).
 *
 * An op's expression is in `a` (and `b`), of the compute type C: a typedef
 * in the CPU loop, the functor's template parameter on CUDA. Half and
 * bfloat16 compute in float, float32 in float (never double), integers wrap
 * through uint64. The libm names in the expressions (sqrt, pow, fmod, ...)
 * pick the function by the argument's type: <tgmath.h>'s macros in C, the
 * float/double overloads of namespace tsr_scalar below in C++ (whose code
 * must be inside that namespace to see them), each calling sqrtf for float
 * and sqrt for double, so both languages call the same libm function.
 * Expressions have no a * b + c shapes that nvcc could contract to an FMA. */
#ifndef TSR_SCALAR_OPS_H
#define TSR_SCALAR_OPS_H

#include <stdbool.h>
#include <stdint.h>

/* TSR_HD: a scalar function both compilers inline: host and device under
 * nvcc, plain C++ inline for the emulated device (TSR_CUDA_EMULATE), static
 * inline in C. */
#if defined(__CUDACC__) && !defined(TSR_CUDA_EMULATE)
#define TSR_HD __host__ __device__ __forceinline__
#elif defined(__cplusplus)
#define TSR_HD inline
#else
#define TSR_HD static inline
#endif

#ifdef __cplusplus
#include <cmath>

namespace tsr_scalar {

/* <tgmath.h> for C++: fn(float) calls fnf, fn(double) calls fn */
#define TSR_MATH1(fn)                                             \
    TSR_HD float fn(float a) { return ::fn##f(a); }               \
    TSR_HD double fn(double a) { return ::fn(a); }
#define TSR_MATH2(fn)                                             \
    TSR_HD float fn(float a, float b) { return ::fn##f(a, b); }   \
    TSR_HD double fn(double a, double b) { return ::fn(a, b); }
TSR_MATH1(sqrt) TSR_MATH1(exp) TSR_MATH1(exp2) TSR_MATH1(expm1) TSR_MATH1(log) TSR_MATH1(log2)
TSR_MATH1(log10) TSR_MATH1(log1p) TSR_MATH1(sin) TSR_MATH1(cos) TSR_MATH1(tan) TSR_MATH1(asin)
TSR_MATH1(acos) TSR_MATH1(atan) TSR_MATH1(sinh) TSR_MATH1(cosh) TSR_MATH1(tanh) TSR_MATH1(floor)
TSR_MATH1(ceil) TSR_MATH1(nearbyint) TSR_MATH1(trunc) TSR_MATH1(fabs)
TSR_MATH2(fmod) TSR_MATH2(pow) TSR_MATH2(atan2) TSR_MATH2(hypot) TSR_MATH2(copysign)
TSR_MATH1(acosh) TSR_MATH1(asinh) TSR_MATH1(atanh) TSR_MATH1(erf) TSR_MATH1(erfc) TSR_MATH1(lgamma)
TSR_MATH2(fmax) TSR_MATH2(fmin) TSR_MATH2(nextafter)
TSR_HD float fma(float a, float b, float c) { return ::fmaf(a, b, c); }
TSR_HD double fma(double a, double b, double c) { return ::fma(a, b, c); }
#undef TSR_MATH1
#undef TSR_MATH2
/* C's classification macros, for float and double */
template <class C> TSR_HD bool isinf(C a) { return fabs(a) == (C)INFINITY; }
template <class C> TSR_HD bool isfinite(C a) { return fabs(a) < (C)INFINITY; }
#else
#include <tgmath.h>
#endif

/* ---- the dtypes of each family: Y(X, FAMILY, DT, T, C, LD, ST) with the
 * storage type T, the compute type C (float for half and bfloat16), LD(p)
 * loading *p as C and ST(p, v) storing v at p (X passes through to Y) ---- */
#define TSR_SCALAR_DTYPES(Y, X)                                \
    Y(X, FLOAT, FLOAT32, float, float, LD_N, ST_N)             \
    Y(X, FLOAT, FLOAT64, double, double, LD_N, ST_N)           \
    Y(X, FLOAT, FLOAT16, tsr_half, float, LD_H, ST_H)          \
    Y(X, FLOAT, BFLOAT16, tsr_bfloat16, float, LD_BF, ST_BF)   \
    Y(X, INT, UINT8, uint8_t, uint8_t, LD_N, ST_N)             \
    Y(X, INT, INT8, int8_t, int8_t, LD_N, ST_N)                \
    Y(X, INT, INT16, int16_t, int16_t, LD_N, ST_N)             \
    Y(X, INT, INT32, int32_t, int32_t, LD_N, ST_N)             \
    Y(X, INT, INT64, int64_t, int64_t, LD_N, ST_N)             \
    Y(X, BOOL, BOOL, bool, bool, LD_N, ST_N)
#define LD_N(p) (*(p))
#define ST_N(p, v) (*(p) = (v))
#ifdef __cplusplus /* cuda_compat.h's device copies of dtype.c's conversions */
#define LD_H(p) tsr_h2f(*(p))
#define ST_H(p, v) (*(p) = tsr_f2h(v))
#define LD_BF(p) tsr_bf2f(*(p))
#define ST_BF(p, v) (*(p) = tsr_f2bf(v))
#else /* dtype.h's */
#define LD_H(p) half_to_float(*(p))
#define ST_H(p, v) (*(p) = float_to_half(v))
#define LD_BF(p) bf16_to_float(*(p))
#define ST_BF(p, v) (*(p) = float_to_bf16(v))
#endif

/* ---- float helpers, for float and double: f_floordiv(a, b) etc. pick by
 * type (_Generic in C, overloads in C++) ---- */
#define TSR_FLOAT_HELPERS(C, SFX)                                                   \
    TSR_HD C f_floordiv##SFX(C a, C b) { /* PyTorch's div_floor_floating */        \
        if (b == 0) return a / b;                                                   \
        C mod = fmod(a, b);                                                         \
        C div = (a - mod) / b;                                                      \
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;                             \
        if (div == 0) return copysign((C)0, a / b);                                 \
        C fl = floor(div);                                                          \
        if (div - fl > (C)0.5) fl += 1;                                             \
        return fl;                                                                  \
    }                                                                               \
    TSR_HD C f_rem##SFX(C a, C b) { /* Python's %: the sign of b */                 \
        C mod = fmod(a, b);                                                         \
        if (mod != 0 && (b < 0) != (mod < 0)) mod += b;                             \
        return mod;                                                                 \
    }                                                                               \
    /* maximum / minimum: NaN propagates */                                         \
    TSR_HD C f_max##SFX(C a, C b) { return (a != a || a > b) ? a : b; }             \
    TSR_HD C f_min##SFX(C a, C b) { return (a != a || a < b) ? a : b; }             \
    /* logaddexp: PyTorch's vectorised CPU kernel (equal infinities pass) */        \
    TSR_HD C f_logaddexp##SFX(C a, C b) {                                           \
        if (a == b && fabs(a) == (C)INFINITY) return a;                             \
        return f_max##SFX(a, b) + log1p(exp(-fabs(a - b)));                         \
    }
#ifdef __cplusplus
TSR_FLOAT_HELPERS(float, )
TSR_FLOAT_HELPERS(double, )
#else
TSR_FLOAT_HELPERS(float, _f)
TSR_FLOAT_HELPERS(double, _d)
#define f_floordiv(a, b) _Generic((a), float: f_floordiv_f, default: f_floordiv_d)(a, b)
#define f_rem(a, b) _Generic((a), float: f_rem_f, default: f_rem_d)(a, b)
#define f_max(a, b) _Generic((a), float: f_max_f, default: f_max_d)(a, b)
#define f_min(a, b) _Generic((a), float: f_min_f, default: f_min_d)(a, b)
#define f_logaddexp(a, b) _Generic((a), float: f_logaddexp_f, default: f_logaddexp_d)(a, b)
#endif
#undef TSR_FLOAT_HELPERS

#include "scalar_special.h"

/* ---- integer helpers: int64 (every int dtype fits); b == -1 is special
 * so that INT64_MIN / -1 wraps instead of trapping ---- */
TSR_HD int64_t i_floordiv(int64_t a, int64_t b) {
    if (b == -1) return (int64_t)(0 - (uint64_t)a);
    int64_t q = a / b, r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) q--;
    return q;
}
TSR_HD int64_t i_rem(int64_t a, int64_t b) {
    if (b == -1) return 0;
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}
TSR_HD int64_t i_fmod(int64_t a, int64_t b) { return b == -1 ? 0 : a % b; }
TSR_HD uint64_t i_pow(int64_t a, int64_t b) { /* PyTorch's powi */
    if (b < 0) {
        if (a == 1) return 1;
        if (a == -1) return (b & 1) ? (uint64_t)-1 : 1;
        return 0;
    }
    uint64_t r = 1, base = (uint64_t)a;
    while (b) {
        if (b & 1) r *= base;
        b >>= 1;
        base *= base;
    }
    return r;
}
/* PyTorch's scalar lshift is a plain C shift: x86 masks the count to the
 * width of the promoted type (32 bits for narrow types). */
TSR_HD uint64_t i_shl(int64_t a, int64_t b, int bits) {
    return (uint64_t)a << ((uint64_t)b & (uint64_t)(bits - 1));
}
TSR_HD int64_t i_shr(int64_t a, int64_t b, int bits, bool is_signed) {
    if (b < 0 || b >= bits) return is_signed && a < 0 ? -1 : 0;
    return a >> b;
}
TSR_HD int64_t i_max(int64_t a, int64_t b) { return a > b ? a : b; }
TSR_HD int64_t i_min(int64_t a, int64_t b) { return a < b ? a : b; }
TSR_HD int64_t i_abs(int64_t a) { return a < 0 ? (int64_t)(0 - (uint64_t)a) : a; }
TSR_HD int64_t i_sign(int64_t a) { return (a > 0) - (a < 0); }
/* gcd of |a| and |b| (ATen's calc_gcd); lcm through it, 0 when both are 0 */
TSR_HD int64_t i_gcd(int64_t a, int64_t b) {
    a = i_abs(a); /* INT64_MIN stays negative, as std::abs leaves it */
    b = i_abs(b);
    while (a != 0) {
        int64_t c = a;
        a = a == -1 ? 0 : b % a; /* INT64_MIN % -1 would trap */
        b = c;
    }
    return b;
}
/* a / g * b wrapping in two's complement where ATen's would overflow (or
 * trap: INT64_MIN / -1) */
TSR_HD int64_t i_lcm(int64_t a, int64_t b) {
    int64_t g = i_gcd(a, b);
    if (g == 0) return 0;
    int64_t q = g == -1 ? (int64_t)(0 - (uint64_t)a) : a / g;
    return i_abs((int64_t)((uint64_t)q * (uint64_t)b));
}

/* ---- float to integer casts: C compiled for x86 (PyTorch's kernels)
 * truncates through cvttsd2si: NaN and out of range give INT64_MIN, and
 * for the types narrower than int64 its 32-bit form's INT32_MIN (the
 * caller then wraps the result to the width) ---- */
TSR_HD int64_t f64_to_i64(double v) {
    if (v != v || v >= 9223372036854775808.0 || v < -9223372036854775808.0) return INT64_MIN;
    return (int64_t)v;
}
TSR_HD int64_t f64_to_i32(double v) {
    if (v != v || v >= 2147483648.0 || v <= -2147483649.0) return INT32_MIN;
    return (int64_t)v;
}

/* ---- the op lists: X(OP, KIND, EXPR, ...), one list per dtype family
 * (float: float32, float64 and the half types; int; bool), the trailing
 * arguments passed through to X. KIND says what EXPR gives:
 *   VAL   a value of the compute type C (the result has the operands' dtype)
 *   BOOL  a truth value (bool result)
 *   IDIV  VAL for an integer division: the CPU loop flags a zero divisor
 *         (ZeroDivisionError), which a GPU kernel cannot report, so the
 *         CUDA table leaves these to the CPU kernel. ---- */
#define TSR_CMP_BINARY(X, ...)                                                   \
    X(EQ, BOOL, a == b, __VA_ARGS__)                                             \
    X(NE, BOOL, a != b, __VA_ARGS__)                                             \
    X(LT, BOOL, a < b, __VA_ARGS__)                                              \
    X(LE, BOOL, a <= b, __VA_ARGS__)                                             \
    X(GT, BOOL, a > b, __VA_ARGS__)                                              \
    X(GE, BOOL, a >= b, __VA_ARGS__)                                             \
    X(LOGICAL_AND, BOOL, (a != 0) && (b != 0), __VA_ARGS__)                      \
    X(LOGICAL_OR, BOOL, (a != 0) || (b != 0), __VA_ARGS__)                       \
    X(LOGICAL_XOR, BOOL, (a != 0) != (b != 0), __VA_ARGS__)

#define TSR_FLOAT_BINARY(X, ...)                                                 \
    X(ADD, VAL, a + b, __VA_ARGS__)                                              \
    X(SUB, VAL, a - b, __VA_ARGS__)                                              \
    X(MUL, VAL, a * b, __VA_ARGS__)                                              \
    X(DIV, VAL, a / b, __VA_ARGS__)                                              \
    X(FLOOR_DIVIDE, VAL, f_floordiv(a, b), __VA_ARGS__)                          \
    X(REMAINDER, VAL, f_rem(a, b), __VA_ARGS__)                                  \
    X(FMOD, VAL, fmod(a, b), __VA_ARGS__)                                        \
    X(POW, VAL, (b == 2 ? a * a : b == 1 ? a : pow(a, b)), __VA_ARGS__)          \
    X(ATAN2, VAL, atan2(a, b), __VA_ARGS__)                                      \
    X(HYPOT, VAL, hypot(a, b), __VA_ARGS__)                                      \
    X(MAXIMUM, VAL, f_max(a, b), __VA_ARGS__)                                    \
    X(MINIMUM, VAL, f_min(a, b), __VA_ARGS__)                                    \
    X(LOGADDEXP, VAL, f_logaddexp(a, b), __VA_ARGS__)                            \
    X(XLOGY, VAL, sp_xlogy(a, b), __VA_ARGS__)                                   \
    X(COPYSIGN, VAL, copysign(a, b), __VA_ARGS__)                                \
    X(FMAX, VAL, sp_fmax(a, b), __VA_ARGS__)                                     \
    X(FMIN, VAL, sp_fmin(a, b), __VA_ARGS__)                                     \
    X(LOGADDEXP2, VAL, sp_logaddexp2(a, b), __VA_ARGS__)                         \
    X(HEAVISIDE, VAL, a == 0 ? b : (C)(a > 0), __VA_ARGS__)                      \
    X(NEXTAFTER, VAL, nextafter(a, b), __VA_ARGS__)                              \
    X(XLOG1PY, VAL, sp_xlog1py(a, b), __VA_ARGS__)                               \
    X(ZETA, VAL, sp_zeta(a, b), __VA_ARGS__)                                     \
    X(POLYGAMMA, VAL, sp_polygamma(a, b), __VA_ARGS__)                           \
    X(LOGIT, VAL, sp_logit(a, b), __VA_ARGS__)                                   \
    X(IGAMMA, VAL, sp_igamma(a, b), __VA_ARGS__)                                 \
    X(IGAMMAC, VAL, sp_igammac(a, b), __VA_ARGS__)                               \
    X(CHEBYSHEV_T, VAL, sp_chebyshev_t(a, b), __VA_ARGS__) \
    X(CHEBYSHEV_U, VAL, sp_chebyshev_u(a, b), __VA_ARGS__) \
    X(CHEBYSHEV_V, VAL, sp_chebyshev_v(a, b), __VA_ARGS__) \
    X(CHEBYSHEV_W, VAL, sp_chebyshev_w(a, b), __VA_ARGS__) \
    X(SHIFTED_CHEBYSHEV_T, VAL, sp_shifted_chebyshev_t(a, b), __VA_ARGS__) \
    X(SHIFTED_CHEBYSHEV_U, VAL, sp_shifted_chebyshev_u(a, b), __VA_ARGS__) \
    X(SHIFTED_CHEBYSHEV_V, VAL, sp_shifted_chebyshev_v(a, b), __VA_ARGS__) \
    X(SHIFTED_CHEBYSHEV_W, VAL, sp_shifted_chebyshev_w(a, b), __VA_ARGS__) \
    X(HERMITE_H, VAL, sp_hermite_h(a, b), __VA_ARGS__) \
    X(HERMITE_HE, VAL, sp_hermite_he(a, b), __VA_ARGS__) \
    X(LAGUERRE_L, VAL, sp_laguerre_l(a, b), __VA_ARGS__) \
    X(LEGENDRE_P, VAL, sp_legendre_p(a, b), __VA_ARGS__) \
    TSR_CMP_BINARY(X, __VA_ARGS__)

#define TSR_INT_BINARY(X, ...)                                                   \
    X(ADD, VAL, (uint64_t)a + (uint64_t)b, __VA_ARGS__)                          \
    X(SUB, VAL, (uint64_t)a - (uint64_t)b, __VA_ARGS__)                          \
    X(MUL, VAL, (uint64_t)a * (uint64_t)b, __VA_ARGS__)                          \
    X(FLOOR_DIVIDE, IDIV, i_floordiv(a, b), __VA_ARGS__)                         \
    X(REMAINDER, IDIV, i_rem(a, b), __VA_ARGS__)                                 \
    X(FMOD, IDIV, i_fmod(a, b), __VA_ARGS__)                                     \
    X(POW, VAL, i_pow(a, b), __VA_ARGS__)                                        \
    X(MAXIMUM, VAL, i_max(a, b), __VA_ARGS__)                                    \
    X(MINIMUM, VAL, i_min(a, b), __VA_ARGS__)                                    \
    X(BITWISE_AND, VAL, a & b, __VA_ARGS__)                                      \
    X(BITWISE_OR, VAL, a | b, __VA_ARGS__)                                       \
    X(BITWISE_XOR, VAL, a ^ b, __VA_ARGS__)                                      \
    X(LSHIFT, VAL, i_shl(a, b, sizeof(C) < 4 ? 32 : 8 * (int)sizeof(C)), __VA_ARGS__) \
    X(RSHIFT, VAL, i_shr(a, b, 8 * (int)sizeof(C), (C)-1 < (C)0), __VA_ARGS__)   \
    X(FMAX, VAL, i_max(a, b), __VA_ARGS__)                                       \
    X(FMIN, VAL, i_min(a, b), __VA_ARGS__)                                       \
    X(HEAVISIDE, VAL, a == 0 ? b : (C)(a > 0), __VA_ARGS__)                      \
    X(GCD, VAL, i_gcd(a, b), __VA_ARGS__)                                        \
    X(LCM, VAL, i_lcm(a, b), __VA_ARGS__)                                        \
    TSR_CMP_BINARY(X, __VA_ARGS__)

#define TSR_BOOL_BINARY(X, ...)                                                  \
    X(ADD, VAL, a || b, __VA_ARGS__)                                             \
    X(MUL, VAL, a && b, __VA_ARGS__)                                             \
    X(MAXIMUM, VAL, a || b, __VA_ARGS__)                                         \
    X(MINIMUM, VAL, a && b, __VA_ARGS__)                                         \
    X(BITWISE_AND, VAL, a && b, __VA_ARGS__)                                     \
    X(BITWISE_OR, VAL, a || b, __VA_ARGS__)                                      \
    X(BITWISE_XOR, VAL, a != b, __VA_ARGS__)                                     \
    X(FMAX, VAL, a || b, __VA_ARGS__)                                            \
    X(FMIN, VAL, a && b, __VA_ARGS__)                                            \
    X(HEAVISIDE, VAL, a == 0 ? b : a, __VA_ARGS__)                               \
    TSR_CMP_BINARY(X, __VA_ARGS__)

#define TSR_FLOAT_UNARY(X, ...)                                                  \
    X(NEG, VAL, -a, __VA_ARGS__)                                                 \
    X(ABS, VAL, fabs(a), __VA_ARGS__)                                            \
    X(SIGN, VAL, (a > 0) - (a < 0), __VA_ARGS__)                                 \
    X(SQUARE, VAL, a * a, __VA_ARGS__)                                           \
    X(RELU, VAL, a < 0 ? (C)0 : a, __VA_ARGS__) /* keeps -0. and nan */          \
    X(SQRT, VAL, sqrt(a), __VA_ARGS__)                                           \
    X(RSQRT, VAL, (C)1 / sqrt(a), __VA_ARGS__)                                   \
    X(EXP, VAL, exp(a), __VA_ARGS__)                                             \
    X(EXP2, VAL, exp2(a), __VA_ARGS__)                                           \
    X(EXPM1, VAL, expm1(a), __VA_ARGS__)                                         \
    X(LOG, VAL, log(a), __VA_ARGS__)                                             \
    X(LOG2, VAL, log2(a), __VA_ARGS__)                                           \
    X(LOG10, VAL, log10(a), __VA_ARGS__)                                         \
    X(LOG1P, VAL, log1p(a), __VA_ARGS__)                                         \
    X(SIN, VAL, sin(a), __VA_ARGS__)                                             \
    X(COS, VAL, cos(a), __VA_ARGS__)                                             \
    X(TAN, VAL, tan(a), __VA_ARGS__)                                             \
    X(ASIN, VAL, asin(a), __VA_ARGS__)                                           \
    X(ACOS, VAL, acos(a), __VA_ARGS__)                                           \
    X(ATAN, VAL, atan(a), __VA_ARGS__)                                           \
    X(SINH, VAL, sinh(a), __VA_ARGS__)                                           \
    X(COSH, VAL, cosh(a), __VA_ARGS__)                                           \
    X(TANH, VAL, tanh(a), __VA_ARGS__)                                           \
    X(SIGMOID, VAL, (C)1 / ((C)1 + exp(-a)), __VA_ARGS__)                        \
    X(RECIPROCAL, VAL, (C)1 / a, __VA_ARGS__)                                    \
    X(FLOOR, VAL, floor(a), __VA_ARGS__)                                         \
    X(CEIL, VAL, ceil(a), __VA_ARGS__)                                           \
    X(ROUND, VAL, nearbyint(a), __VA_ARGS__)                                     \
    X(TRUNC, VAL, trunc(a), __VA_ARGS__)                                         \
    X(FRAC, VAL, a - trunc(a), __VA_ARGS__)                                      \
    X(ISNAN, BOOL, a != a, __VA_ARGS__)                                          \
    X(ISINF, BOOL, isinf(a), __VA_ARGS__)                                        \
    X(ISFINITE, BOOL, isfinite(a), __VA_ARGS__)                                  \
    X(LOGICAL_NOT, BOOL, a == 0, __VA_ARGS__)                                    \
    X(ACOSH, VAL, acosh(a), __VA_ARGS__)                                         \
    X(ASINH, VAL, asinh(a), __VA_ARGS__)                                         \
    X(ATANH, VAL, atanh(a), __VA_ARGS__)                                         \
    X(ERF, VAL, erf(a), __VA_ARGS__)                                             \
    X(ERFC, VAL, erfc(a), __VA_ARGS__)                                           \
    X(ERFINV, VAL, sp_erfinv(a), __VA_ARGS__)                                    \
    X(LGAMMA, VAL, lgamma(a), __VA_ARGS__)                                       \
    X(DIGAMMA, VAL, sp_digamma(a), __VA_ARGS__)                                  \
    X(I0, VAL, sp_i0(a), __VA_ARGS__)                                            \
    X(SINC, VAL, sp_sinc(a), __VA_ARGS__)                                        \
    X(TRIGAMMA, VAL, sp_trigamma(a), __VA_ARGS__)                                \
    X(I0E, VAL, sp_i0e(a), __VA_ARGS__)                                          \
    X(I1, VAL, sp_i1(a), __VA_ARGS__)                                            \
    X(I1E, VAL, sp_i1e(a), __VA_ARGS__)                                          \
    X(ENTR, VAL, sp_entr(a), __VA_ARGS__)                                        \
    X(ERFCX, VAL, sp_erfcx(a), __VA_ARGS__)                                      \
    X(LOG_NDTR, VAL, sp_log_ndtr(a), __VA_ARGS__)                                \
    X(NDTRI, VAL, sp_ndtri(a), __VA_ARGS__) \
    X(BESSEL_J0, VAL, sp_bessel_j0(a), __VA_ARGS__) \
    X(BESSEL_J1, VAL, sp_bessel_j1(a), __VA_ARGS__) \
    X(BESSEL_Y0, VAL, sp_bessel_y0(a), __VA_ARGS__) \
    X(BESSEL_Y1, VAL, sp_bessel_y1(a), __VA_ARGS__) \
    X(MODIFIED_BESSEL_I0, VAL, sp_bessel_i0(a), __VA_ARGS__) \
    X(MODIFIED_BESSEL_I1, VAL, sp_bessel_i1(a), __VA_ARGS__) \
    X(MODIFIED_BESSEL_K0, VAL, sp_bessel_k0(a), __VA_ARGS__) \
    X(MODIFIED_BESSEL_K1, VAL, sp_bessel_k1(a), __VA_ARGS__) \
    X(SCALED_MODIFIED_BESSEL_K0, VAL, sp_bessel_k0e(a), __VA_ARGS__) \
    X(SCALED_MODIFIED_BESSEL_K1, VAL, sp_bessel_k1e(a), __VA_ARGS__) \
    X(SPHERICAL_BESSEL_J0, VAL, sp_spherical_j0(a), __VA_ARGS__) \
    X(AIRY_AI, VAL, sp_airy_ai(a), __VA_ARGS__)

#define TSR_INT_UNARY(X, ...)                                                    \
    X(NEG, VAL, 0 - (uint64_t)a, __VA_ARGS__)                                    \
    X(ABS, VAL, i_abs(a), __VA_ARGS__)                                           \
    X(SIGN, VAL, i_sign(a), __VA_ARGS__)                                         \
    X(SQUARE, VAL, (uint64_t)a * (uint64_t)a, __VA_ARGS__)                       \
    X(RELU, VAL, a > 0 ? a : (C)0, __VA_ARGS__)                                  \
    X(FLOOR, VAL, a, __VA_ARGS__)                                                \
    X(CEIL, VAL, a, __VA_ARGS__)                                                 \
    X(ROUND, VAL, a, __VA_ARGS__)                                                \
    X(TRUNC, VAL, a, __VA_ARGS__)                                                \
    X(ISNAN, BOOL, ((void)a, false), __VA_ARGS__)                                \
    X(ISINF, BOOL, ((void)a, false), __VA_ARGS__)                                \
    X(ISFINITE, BOOL, ((void)a, true), __VA_ARGS__)                              \
    X(LOGICAL_NOT, BOOL, a == 0, __VA_ARGS__)                                    \
    X(BITWISE_NOT, VAL, ~a, __VA_ARGS__)

#define TSR_BOOL_UNARY(X, ...)                                                   \
    X(SIGN, VAL, a, __VA_ARGS__)                                                 \
    X(ISNAN, BOOL, ((void)a, false), __VA_ARGS__)                                \
    X(ISINF, BOOL, ((void)a, false), __VA_ARGS__)                                \
    X(ISFINITE, BOOL, ((void)a, true), __VA_ARGS__)                              \
    X(LOGICAL_NOT, BOOL, !a, __VA_ARGS__)                                        \
    X(BITWISE_NOT, BOOL, !a, __VA_ARGS__)

/* ---- softmax of one line: n elements of x and y at stride `inner`, in
 * the compute type C; LD(p) loads *p as C, ST(p, v) stores v at p. Like
 * PyTorch: subtract the max, exponentiate, scale by 1/sum (log: x - max -
 * log(sum)); the stored (rounded) values are the ones scaled. ---- */
#define TSR_SOFTMAX_LINE(C, xs, ys, n, inner, lg, LD, ST)                        \
    do {                                                                         \
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
    } while (0)

#ifdef __cplusplus
} /* namespace tsr_scalar */
#endif

#endif
