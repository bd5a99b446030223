/* vec_math_avx2.c: vec_math.h's loops for ATen's AVX2 kernels: 8 floats or
 * 4 doubles a vector, SLEEF's avx2 entry points (Vectorized<float> in
 * vec256_float.h calls Sleef_expf8_u10 & co.). Compiled with -mavx2 -mfma
 * (Makefile); called only after cpu_capability() chose AVX2. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__AVX2__)
#include <immintrin.h>
#include <sleef.h>

#define VF __m256
#define VD __m256d
#define SLEEF_F(f, u) Sleef_##f##f8_##u
#define SLEEF_D(f, u) Sleef_##f##d4_##u
#define SQRT_F _mm256_sqrt_ps
#define SQRT_D _mm256_sqrt_pd
#define SUFFIX avx2
#include "vec_math_loops.h"

/* Vectorized<c10::complex<T>>::exp (vec256_complex_*.h): exp of both
 * parts and sincos of both (SLEEF, 1.0 ULP), re = exp(a) cos(b),
 * im = exp(a) sin(b); the lanes are independent, so one element at a time
 * in lane 0 gives the same bits */
#define CEXP_ONE(T, VT, SETR, STORE, EXP, SINCOS, V2, W)                         \
    do {                                                                         \
        const T *x = (const T *)(in + i * is);                                   \
        VT v = SETR;                                                             \
        T e[W], sn[W], cs[W];                                                    \
        STORE(e, EXP(v));                                                        \
        V2 sc = SINCOS(v);                                                       \
        STORE(sn, sc.x);                                                         \
        STORE(cs, sc.y);                                                         \
        T *o = (T *)(out + i * os);                                              \
        o[0] = e[0] * cs[1];                                                     \
        o[1] = e[0] * sn[1];                                                     \
    } while (0)
bool vec_complex_exp_avx2(DType dt, const char *in, int64_t is, char *out, int64_t os, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        if (dt == DT_COMPLEX64)
            CEXP_ONE(float, __m256, _mm256_setr_ps(x[0], x[1], 0, 0, 0, 0, 0, 0), _mm256_storeu_ps, Sleef_expf8_u10,
                     Sleef_sincosf8_u10, Sleef___m256_2, 8);
        else
            CEXP_ONE(double, __m256d, _mm256_setr_pd(x[0], x[1], 0, 0), _mm256_storeu_pd, Sleef_expd4_u10,
                     Sleef_sincosd4_u10, Sleef___m256d_2, 4);
    }
    return true;
}
#undef CEXP_ONE
#else
bool vec_complex_exp_avx2(DType dt, const char *in, int64_t is, char *out, int64_t os, int64_t n) { return false; }
#include "vec_math.h"
IterLoopFn vec_unary_loop_avx2(UnaryOp op, DType dt) { return NULL; }
IterLoopFn vec_binary_loop_avx2(BinaryOp op, DType dt) { return NULL; }
bool vec_softmax_lastdim_avx2(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                                bool log) {
    return false;
}
bool vec_softmax_inner_avx2(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                            int64_t inner, bool log) {
    return false;
}
bool vec_softmax_backward_avx2(DType dt, const char *g, const char *y, char *out, int64_t outer,
                               int64_t n, int64_t inner, bool lastdim, bool log) {
    return false;
}
IterLoopFn vec_pow_scalar_loop_avx2(DType dt) { return NULL; }
#endif
