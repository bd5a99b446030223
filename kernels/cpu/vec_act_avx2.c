/* vec_act_avx2.c: vec_act.h's kernels (vec_act_impl.h) as ATen's AVX2
 * build runs them: 8 floats or 4 doubles a vector. Compiled with -mavx2
 * -mfma -ffp-contract=fast (Makefile), so GCC fuses `a * b + c` where it
 * fuses ATen's own. Called only after cpu_capability() chose AVX2. */
#include "vec_act.h"

#if defined(__x86_64__) && defined(__GNUC__) && defined(__AVX2__)
#include <immintrin.h>
#include <sleef.h>
#include <string.h>
#include <tgmath.h>

#define INLINE static inline __attribute__((always_inline))

/* vec::minimum: the smaller, NaN when either is */
INLINE __m256 min_f8(__m256 a, __m256 b) {
    return _mm256_or_ps(_mm256_min_ps(a, b), _mm256_cmp_ps(a, b, _CMP_UNORD_Q));
}
INLINE __m256d min_d4(__m256d a, __m256d b) {
    return _mm256_or_pd(_mm256_min_pd(a, b), _mm256_cmp_pd(a, b, _CMP_UNORD_Q));
}
/* vec::maximum: the larger, NaN when either is */
INLINE __m256 max_f8(__m256 a, __m256 b) {
    return _mm256_or_ps(_mm256_max_ps(a, b), _mm256_cmp_ps(a, b, _CMP_UNORD_Q));
}
INLINE __m256d max_d4(__m256d a, __m256d b) {
    return _mm256_or_pd(_mm256_max_pd(a, b), _mm256_cmp_pd(a, b, _CMP_UNORD_Q));
}

#include "vec_act_impl.h"

/* Vectorized::abs: the sign bit cleared */
#define ABS_F(v) _mm256_andnot_ps(_mm256_set1_ps(-0.f), (v))
#define ABS_D(v) _mm256_andnot_pd(_mm256_set1_pd(-0.), (v))
#define BLEND_F(a, b, m) _mm256_blendv_ps((a), (b), (m))
#define BLEND_D(a, b, m) _mm256_blendv_pd((a), (b), (m))
#define GT_F(a, b) _mm256_cmp_ps((a), (b), _CMP_GT_OQ)
#define LT_F(a, b) _mm256_cmp_ps((a), (b), _CMP_LT_OQ)
#define GT_D(a, b) _mm256_cmp_pd((a), (b), _CMP_GT_OQ)
#define LT_D(a, b) _mm256_cmp_pd((a), (b), _CMP_LT_OQ)
#define GE_F(a, b) _mm256_cmp_ps((a), (b), _CMP_GE_OQ)
#define GE_D(a, b) _mm256_cmp_pd((a), (b), _CMP_GE_OQ)
#define AND_F(a, b) _mm256_and_ps((a), (b))
#define AND_D(a, b) _mm256_and_pd((a), (b))

DEF_ACTS(f8, float, __m256, Sleef_expf8_u10, Sleef_log1pf8_u10, Sleef_tanhf8_u10, Sleef_erff8_u10, min_f8,
         max_f8, ABS_F, BLEND_F, GT_F, LT_F, GE_F, AND_F)
DEF_ACTS(d4, double, __m256d, Sleef_expd4_u10, Sleef_log1pd4_u10, Sleef_tanhd4_u10,
         Sleef_erfd4_u10, min_d4, max_d4, ABS_D, BLEND_D, GT_D, LT_D, GE_D, AND_D)

bool vec_act_avx2(const VecActArgs *a, DType dt, int64_t n, const char *x, const char *g,
                  char *buf, char *out) {
    if (dt == DT_FLOAT32)
        f8_run(a, n, (const float *)x, (const float *)g, (float *)buf, (float *)out);
    else if (dt == DT_FLOAT64)
        d4_run(a, n, (const double *)x, (const double *)g, (double *)buf, (double *)out);
    else
        return false;
    return true;
}
#else
bool vec_act_avx2(const VecActArgs *a, DType dt, int64_t n, const char *x, const char *g,
                  char *buf, char *out) {
    return false;
}
#endif
