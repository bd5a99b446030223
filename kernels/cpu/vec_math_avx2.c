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
#else
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
