/* vec_act_onednn_avx2.c: float32 gelu (approximate='none') as PyTorch 1.13
 * computes it on a contiguous input of more than one element: through
 * oneDNN's eltwise primitive (Activation.cpp's use_mkldnn), whose JIT code
 * (jit_uni_eltwise_injector's gelu_erf, forward and backward) is mirrored
 * here instruction by instruction. Compiled with -mavx2 -mfma but,
 * unlike vec_act_avx2.c, without contraction: JIT code fuses only where
 * it says vfmadd. The results are the same for oneDNN's AVX2 and AVX-512
 * kernels (the same operations, lane by lane). */
#include "vec_act.h"

#if defined(__x86_64__) && defined(__GNUC__) && defined(__AVX2__)
#include <immintrin.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))

/* ---- oneDNN's gelu_erf (PyTorch 1.13 runs float32 gelu with
 * approximate='none', forward and backward, through oneDNN 2.6's eltwise
 * primitive when the input is contiguous with more than one element:
 * jit_uni_eltwise_injector's exp and Abramowitz-Stegun erf, instruction by
 * instruction) ---- */
#define F8(h) _mm256_castsi256_ps(_mm256_set1_epi32((int)(h)))

/* exp_compute_vector_fwd: 2^n * p(r), p a degree-5 polynomial; inputs
 * below log(FLT_MIN) give 0 */
INLINE __m256 dnnl_exp_f8(__m256 x) {
    const __m256 one = F8(0x3f800000);
    __m256 mask = _mm256_cmp_ps(x, F8(0xc2aeac50), _CMP_LT_OS);
    x = _mm256_min_ps(x, F8(0x42b17218));
    x = _mm256_max_ps(x, F8(0xc2aeac50));
    __m256 r = x;
    __m256 fx = _mm256_add_ps(_mm256_mul_ps(x, F8(0x3fb8aa3b)), F8(0x3f000000));
    fx = _mm256_floor_ps(fx);
    r = _mm256_fnmadd_ps(fx, F8(0x3f317218), r);
    /* 2^(n-1), times 2 at the end (2^n may not fit) */
    fx = _mm256_sub_ps(fx, one);
    __m256i e = _mm256_cvtps_epi32(fx);
    e = _mm256_add_epi32(e, _mm256_set1_epi32(0x7f));
    e = _mm256_slli_epi32(e, 23);
    __m256 p2 = _mm256_blendv_ps(_mm256_castsi256_ps(e), _mm256_setzero_ps(), mask);
    __m256 y = F8(0x3c07cfce);
    y = _mm256_fmadd_ps(y, r, F8(0x3d2b9d0d));
    y = _mm256_fmadd_ps(y, r, F8(0x3e2aad40));
    y = _mm256_fmadd_ps(y, r, F8(0x3efffee3));
    y = _mm256_fmadd_ps(y, r, F8(0x3f7ffffb));
    y = _mm256_fmadd_ps(y, r, one);
    y = _mm256_mul_ps(y, p2);
    return _mm256_mul_ps(y, F8(0x40000000));
}

/* sign(x) * (1 - r(t) * t * exp(-x*x)), t = 1 / (p|x| + 1), given
 * q = -exp(-x*x) */
INLINE __m256 dnnl_erf_tail_f8(__m256 x, __m256 q) {
    const __m256 one = F8(0x3f800000), sign = F8(0x80000000);
    __m256 sgn = _mm256_and_ps(x, sign);
    __m256 ax = _mm256_andnot_ps(sign, x);
    __m256 t = _mm256_div_ps(one, _mm256_fmadd_ps(F8(0x3ea7ba05), ax, one));
    q = _mm256_mul_ps(q, t);
    __m256 r = F8(0x3f87dc22);
    r = _mm256_fmadd_ps(r, t, F8(0xbfba00e3));
    r = _mm256_fmadd_ps(r, t, F8(0x3fb5f0e3));
    r = _mm256_fmadd_ps(r, t, F8(0xbe91a98e));
    r = _mm256_fmadd_ps(r, t, F8(0x3e827906));
    return _mm256_xor_ps(_mm256_fmadd_ps(q, r, one), sgn);
}

/* gelu_erf_compute_vector_fwd */
INLINE __m256 dnnl_gelu_f8(__m256 s) {
    const __m256 sign = F8(0x80000000), c = F8(0x3f3504f3);
    __m256 x = _mm256_mul_ps(s, c);
    __m256 q = _mm256_xor_ps(dnnl_exp_f8(_mm256_xor_ps(_mm256_mul_ps(x, x), sign)), sign);
    __m256 erf = dnnl_erf_tail_f8(x, q);
    __m256 half_s = _mm256_mul_ps(s, F8(0x3f000000));
    return _mm256_fmadd_ps(erf, half_s, half_s);
}

/* gelu_erf_compute_vector_bwd, times the incoming gradient */
INLINE __m256 dnnl_gelu_bwd_f8(__m256 dy, __m256 s) {
    const __m256 sign = F8(0x80000000), half = F8(0x3f000000);
    __m256 x = _mm256_mul_ps(s, F8(0x3f3504f3));
    __m256 q = dnnl_exp_f8(_mm256_xor_ps(_mm256_mul_ps(x, x), sign));
    __m256 t = _mm256_mul_ps(_mm256_mul_ps(x, F8(0x3f106eba)), q);
    __m256 erf = dnnl_erf_tail_f8(x, _mm256_xor_ps(q, sign));
    __m256 p = _mm256_add_ps(t, half);
    p = _mm256_fmadd_ps(erf, half, p);
    return _mm256_mul_ps(p, dy);
}

/* oneDNN's loop: every element through vectors (the tail masked) */
void vec_act_onednn_gelu_avx2(bool backward, int64_t n, const float *x, const float *g, float *out) {
    for (int64_t d = 0; d < n; d += 8) {
        float tx[8] = {0}, tg[8] = {0}, to[8];
        int64_t m = n - d < 8 ? n - d : 8;
        __m256 v, r;
        memcpy(tx, x + d, (size_t)m * sizeof(float));
        v = _mm256_loadu_ps(tx);
        if (backward) {
            memcpy(tg, g + d, (size_t)m * sizeof(float));
            r = dnnl_gelu_bwd_f8(_mm256_loadu_ps(tg), v);
        } else {
            r = dnnl_gelu_f8(v);
        }
        _mm256_storeu_ps(to, r);
        memcpy(out + d, to, (size_t)m * sizeof(float));
    }
}
#else
void vec_act_onednn_gelu_avx2(bool backward, int64_t n, const float *x, const float *g,
                              float *out) {}
#endif
