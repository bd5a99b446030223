/* vec_act_avx512.c: vec_act.h's kernels (vec_act_impl.h) as ATen's
 * AVX-512 build runs them (ATEN_CPU_CAPABILITY=avx512): 16 floats or 8
 * doubles a vector, vec512's masks as all-ones lanes. Compiled with the
 * AVX-512 flags, -mfma and -ffp-contract=fast (Makefile), as ATen's
 * AVX-512 kernel files are. Called only after cpu_capability() chose
 * AVX-512. */
#include "vec_act.h"

#if defined(__x86_64__) && defined(__GNUC__) && defined(__AVX512F__) && defined(__AVX512DQ__)
#include <immintrin.h>
#include <sleef.h>
#include <string.h>
#include <tgmath.h>

#define INLINE static inline __attribute__((always_inline))

/* a comparison mask as Vectorized's all-ones lanes */
#define LANES_F(m) _mm512_castsi512_ps(_mm512_mask_set1_epi32(_mm512_set1_epi32(0), (m), (int)0xFFFFFFFF))
#define LANES_D(m) _mm512_castsi512_pd(_mm512_mask_set1_epi64(_mm512_set1_epi64(0), (m), -1))

/* vec::minimum / vec::maximum: NaN (all ones) when either is */
INLINE __m512 min_f16(__m512 a, __m512 b) {
    return _mm512_or_ps(_mm512_min_ps(a, b), LANES_F(_mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q)));
}
INLINE __m512d min_d8(__m512d a, __m512d b) {
    return _mm512_or_pd(_mm512_min_pd(a, b), LANES_D(_mm512_cmp_pd_mask(a, b, _CMP_UNORD_Q)));
}
INLINE __m512 max_f16(__m512 a, __m512 b) {
    return _mm512_or_ps(_mm512_max_ps(a, b), LANES_F(_mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q)));
}
INLINE __m512d max_d8(__m512d a, __m512d b) {
    return _mm512_or_pd(_mm512_max_pd(a, b), LANES_D(_mm512_cmp_pd_mask(a, b, _CMP_UNORD_Q)));
}

#include "vec_act_impl.h"

/* Vectorized::abs: the sign bit cleared; blendv takes the lanes whose mask
 * is all ones */
#define ABS_F(v) _mm512_andnot_ps(_mm512_set1_ps(-0.f), (v))
#define ABS_D(v) _mm512_andnot_pd(_mm512_set1_pd(-0.), (v))
#define BLEND_F(a, b, m) \
    _mm512_mask_blend_ps(_mm512_cmpeq_epi32_mask(_mm512_castps_si512(m), _mm512_set1_epi32(-1)), (a), (b))
#define BLEND_D(a, b, m) \
    _mm512_mask_blend_pd(_mm512_cmpeq_epi64_mask(_mm512_castpd_si512(m), _mm512_set1_epi64(-1)), (a), (b))
#define GT_F(a, b) LANES_F(_mm512_cmp_ps_mask((a), (b), _CMP_GT_OQ))
#define LT_F(a, b) LANES_F(_mm512_cmp_ps_mask((a), (b), _CMP_LT_OQ))
#define GE_F(a, b) LANES_F(_mm512_cmp_ps_mask((a), (b), _CMP_GE_OQ))
#define GT_D(a, b) LANES_D(_mm512_cmp_pd_mask((a), (b), _CMP_GT_OQ))
#define LT_D(a, b) LANES_D(_mm512_cmp_pd_mask((a), (b), _CMP_LT_OQ))
#define GE_D(a, b) LANES_D(_mm512_cmp_pd_mask((a), (b), _CMP_GE_OQ))
#define AND_F(a, b) _mm512_and_ps((a), (b))
#define AND_D(a, b) _mm512_and_pd((a), (b))

DEF_ACTS(f16, float, __m512, Sleef_expf16_u10, Sleef_log1pf16_u10, Sleef_tanhf16_u10, Sleef_erff16_u10, min_f16,
         max_f16, ABS_F, BLEND_F, GT_F, LT_F, GE_F, AND_F)
DEF_ACTS(d8, double, __m512d, Sleef_expd8_u10, Sleef_log1pd8_u10, Sleef_tanhd8_u10, Sleef_erfd8_u10, min_d8,
         max_d8, ABS_D, BLEND_D, GT_D, LT_D, GE_D, AND_D)

bool vec_act_avx512(const VecActArgs *a, DType dt, int64_t n, const char *x, const char *g, char *buf,
                    char *out) {
    if (dt == DT_FLOAT32)
        f16_run(a, n, (const float *)x, (const float *)g, (float *)buf, (float *)out);
    else if (dt == DT_FLOAT64)
        d8_run(a, n, (const double *)x, (const double *)g, (double *)buf, (double *)out);
    else
        return false;
    return true;
}
#else
bool vec_act_avx512(const VecActArgs *a, DType dt, int64_t n, const char *x, const char *g, char *buf,
                    char *out) {
    return false;
}
#endif
