/* complex_ops.h: c10::complex<T>'s arithmetic as ATen 1.13's CPU kernels
 * round it, for the complex kernels (binary.c, unary.c, reduce.c).
 *
 * P_mul, P_div: the vector forms (Vectorized<c10::complex<T>>: every
 * product and sum rounded once); P_mul_s, P_div_s: the scalar operators as
 * ATen's AVX2 build compiles them, with contraction: the first product of
 * each sum becomes a fused multiply-add. Division is unscaled (x / 0 is
 * nan, as PyTorch prints it). P_add / P_sub are a + alpha * b with alpha 1
 * or -1, so zero parts keep PyTorch's signs. */
#ifndef TSR_KERNEL_COMPLEX_OPS_H
#define TSR_KERNEL_COMPLEX_OPS_H

#include <math.h>
#include <stdbool.h>

#include "dtype.h"

#define DEF_COMPLEX_ARITH(P, T, R, FMA)                                                      \
    static inline T P##_mul(T a, T b) {                                                      \
        return (T){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};                    \
    }                                                                                        \
    static inline T P##_mul_s(T a, T b) {                                                    \
        return (T){FMA(a.re, b.re, -(a.im * b.im)), FMA(a.re, b.im, a.im * b.re)};           \
    }                                                                                        \
    static inline T P##_add(T a, T b) {                                                      \
        T ab = P##_mul((T){1, 0}, b);                                                        \
        return (T){a.re + ab.re, a.im + ab.im};                                              \
    }                                                                                        \
    static inline T P##_sub(T a, T b) {                                                      \
        T ab = P##_mul((T){-1, 0}, b);                                                       \
        return (T){a.re + ab.re, a.im + ab.im};                                              \
    }                                                                                        \
    static inline T P##_div(T x, T y) {                                                      \
        R den = y.re * y.re + y.im * y.im;                                                   \
        return (T){(x.re * y.re + x.im * y.im) / den, (x.im * y.re - x.re * y.im) / den};    \
    }                                                                                        \
    static inline T P##_div_s(T x, T y) {                                                    \
        R den = FMA(y.re, y.re, y.im * y.im);                                                \
        return (T){FMA(x.re, y.re, x.im * y.im) / den, FMA(x.im, y.re, -(x.re * y.im)) / den}; \
    }                                                                                        \
    /* basic_loop's tail forms (binary.c) */                                                 \
    static inline T P##_mul_t(T a, T b) { return P##_mul_s(a, b); }                          \
    static inline T P##_mul_l(T a, T b) { return P##_mul(a, b); }                            \
    static inline T P##_div_t(T a, T b) { return P##_div_s(a, b); }                          \
    static inline T P##_div_l(T a, T b) { return P##_div_s(a, b); }                          \
    /* reciprocal: the vector form conj(z) / abs_2(z); the scalar 1 / z */                   \
    static inline T P##_recip(T a) {                                                         \
        R den = a.re * a.re + a.im * a.im;                                                   \
        return (T){a.re / den, -a.im / den};                                                 \
    }                                                                                        \
    static inline T P##_recip_s(T a) { return P##_div_s((T){1, 0}, a); }                     \
    static inline bool P##_eq(T a, T b) { return a.re == b.re && a.im == b.im; }             \
    static inline bool P##_ne(T a, T b) { return !(a.re == b.re && a.im == b.im); }
DEF_COMPLEX_ARITH(cf, tsr_cfloat, float, fmaf)
DEF_COMPLEX_ARITH(cd, tsr_cdouble, double, fma)

#endif
