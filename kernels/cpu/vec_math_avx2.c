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
bool vec_complex_exp_avx2(DType dt, const char *in, int64_t is, char *out, int64_t os, int64_t n) {
    for (int64_t i = 0; i < n; i++) {
        if (dt == DT_COMPLEX64) {
            const float *x = (const float *)(in + i * is);
            __m256 v = _mm256_setr_ps(x[0], x[1], 0, 0, 0, 0, 0, 0);
            float e[8], sn[8], cs[8];
            _mm256_storeu_ps(e, Sleef_expf8_u10(v));
            Sleef___m256_2 sc = Sleef_sincosf8_u10(v);
            _mm256_storeu_ps(sn, sc.x);
            _mm256_storeu_ps(cs, sc.y);
            float *o = (float *)(out + i * os);
            o[0] = e[0] * cs[1];
            o[1] = e[0] * sn[1];
        } else {
            const double *x = (const double *)(in + i * is);
            __m256d v = _mm256_setr_pd(x[0], x[1], 0, 0);
            double e[4], sn[4], cs[4];
            _mm256_storeu_pd(e, Sleef_expd4_u10(v));
            Sleef___m256d_2 sc = Sleef_sincosd4_u10(v);
            _mm256_storeu_pd(sn, sc.x);
            _mm256_storeu_pd(cs, sc.y);
            double *o = (double *)(out + i * os);
            o[0] = e[0] * cs[1];
            o[1] = e[0] * sn[1];
        }
    }
    return true;
}
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
#endif
