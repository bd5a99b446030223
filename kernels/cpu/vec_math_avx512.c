/* vec_math_avx512.c: vec_math.h's loops for ATen's AVX-512 kernels: 16
 * floats or 8 doubles a vector, SLEEF's avx512f entry points (vec512/).
 * Compiled with -mavx512f & co. (Makefile); called only after
 * cpu_capability() chose AVX512 (ATEN_CPU_CAPABILITY=avx512). */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__AVX512F__)
#include <immintrin.h>
#include <sleef.h>

#define VF __m512
#define VD __m512d
#define SLEEF_F(f, u) Sleef_##f##f16_##u
#define SLEEF_D(f, u) Sleef_##f##d8_##u
#define SQRT_F _mm512_sqrt_ps
#define SQRT_D _mm512_sqrt_pd
#define SUFFIX avx512
#include "vec_math_loops.h"
#else
#include "vec_math.h"
IterLoopFn vec_unary_loop_avx512(UnaryOp op, DType dt) { return NULL; }
IterLoopFn vec_binary_loop_avx512(BinaryOp op, DType dt) { return NULL; }
bool vec_softmax_lastdim_avx512(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                                  bool log) {
    return false;
}
bool vec_softmax_inner_avx512(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                              int64_t inner, bool log) {
    return false;
}
bool vec_softmax_backward_avx512(DType dt, const char *g, const char *y, char *out, int64_t outer,
                               int64_t n, int64_t inner, bool lastdim, bool log) {
    return false;
}
IterLoopFn vec_pow_scalar_loop_avx512(DType dt) { return NULL; }
#endif
