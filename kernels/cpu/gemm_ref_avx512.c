/* gemm_ref_avx512.c: BLIS's reference gemm micro-kernel arithmetic
 * (bli_sgemm/dgemm_generic_ref of BLIS 0.9), on AVX-512.
 *
 * Each element of the tile is summed over k in order, from zero, one
 * rounded product and one rounded sum a step (no FMA: the generic
 * configuration is built for baseline x86-64), then scaled by alpha, then
 * stored, or added to beta * C. The tile's shape changes no bit, so this
 * kernel runs a wider tile than the reference's 4x16 (float) and 4x8
 * (double), with its accumulators in registers. Built with -mavx512f and
 * ISO C's -ffp-contract=off (Makefile): a fused multiply-add would round
 * once where BLIS rounds twice. */
#include "gemm_ref_avx512.h"

#include <immintrin.h>

/* one k step of row i: c_i0 += a_i * b0, c_i1 += a_i * b1 */
#define STEP_S(i)                                                                                                      \
    do {                                                                                                               \
        __m512 ai = _mm512_set1_ps(a[i]);                                                                              \
        c##i##0 = _mm512_add_ps(c##i##0, _mm512_mul_ps(ai, b0));                                                       \
        c##i##1 = _mm512_add_ps(c##i##1, _mm512_mul_ps(ai, b1));                                                       \
    } while (0)
#define STEP_D(i)                                                                                                      \
    do {                                                                                                               \
        __m512d ai = _mm512_set1_pd(a[i]);                                                                             \
        c##i##0 = _mm512_add_pd(c##i##0, _mm512_mul_pd(ai, b0));                                                       \
        c##i##1 = _mm512_add_pd(c##i##1, _mm512_mul_pd(ai, b1));                                                       \
    } while (0)
#define ROWS(X) X(0); X(1); X(2); X(3); X(4); X(5); X(6); X(7)

/* Writes the alpha-scaled tile ab (MR x NR, row-major) into the m x n
 * corner of C as the reference does: c = ab, or c = ab + beta * c. */
#define STORE_TILE(T, NR)                                                                                              \
    do {                                                                                                               \
        T be = *beta;                                                                                                  \
        for (dim_t i = 0; i < m; i++)                                                                                  \
            for (dim_t j = 0; j < n; j++) {                                                                            \
                T *cij = c + i * rs_c + j * cs_c;                                                                      \
                *cij = be == 0 ? ab[i * (NR) + j] : ab[i * (NR) + j] + be * *cij;                                     \
            }                                                                                                          \
    } while (0)

void gemm_ref_s_avx512(dim_t m, dim_t n, dim_t k, float *restrict alpha, float *restrict a, float *restrict b,
                       float *restrict beta, float *restrict c, inc_t rs_c, inc_t cs_c, auxinfo_t *data,
                       cntx_t *cntx) {
    (void)data, (void)cntx;
    __m512 z = _mm512_setzero_ps();
    __m512 c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    __m512 c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
    for (dim_t l = 0; l < k; l++) {
        __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
        ROWS(STEP_S);
        a += GEMM_REF_S_MR;
        b += GEMM_REF_S_NR;
    }
    __m512 al = _mm512_set1_ps(*alpha);
    float ab[GEMM_REF_S_MR * GEMM_REF_S_NR] __attribute__((aligned(64)));
#define SAVE_S(i)                                                                                                      \
    do {                                                                                                               \
        _mm512_store_ps(ab + (i) * GEMM_REF_S_NR, _mm512_mul_ps(c##i##0, al));                                         \
        _mm512_store_ps(ab + (i) * GEMM_REF_S_NR + 16, _mm512_mul_ps(c##i##1, al));                                    \
    } while (0)
    ROWS(SAVE_S);
    if (m == GEMM_REF_S_MR && n == GEMM_REF_S_NR && cs_c == 1) {
        float be = *beta;
        __m512 bv = _mm512_set1_ps(be);
        for (int i = 0; i < GEMM_REF_S_MR; i++) {
            float *ci = c + i * rs_c;
            __m512 r0 = _mm512_load_ps(ab + i * GEMM_REF_S_NR), r1 = _mm512_load_ps(ab + i * GEMM_REF_S_NR + 16);
            if (be != 0) {
                r0 = _mm512_add_ps(r0, _mm512_mul_ps(bv, _mm512_loadu_ps(ci)));
                r1 = _mm512_add_ps(r1, _mm512_mul_ps(bv, _mm512_loadu_ps(ci + 16)));
            }
            _mm512_storeu_ps(ci, r0);
            _mm512_storeu_ps(ci + 16, r1);
        }
        return;
    }
    STORE_TILE(float, GEMM_REF_S_NR);
}

void gemm_ref_d_avx512(dim_t m, dim_t n, dim_t k, double *restrict alpha, double *restrict a, double *restrict b,
                       double *restrict beta, double *restrict c, inc_t rs_c, inc_t cs_c, auxinfo_t *data,
                       cntx_t *cntx) {
    (void)data, (void)cntx;
    __m512d z = _mm512_setzero_pd();
    __m512d c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
    __m512d c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
    for (dim_t l = 0; l < k; l++) {
        __m512d b0 = _mm512_loadu_pd(b), b1 = _mm512_loadu_pd(b + 8);
        ROWS(STEP_D);
        a += GEMM_REF_D_MR;
        b += GEMM_REF_D_NR;
    }
    __m512d al = _mm512_set1_pd(*alpha);
    double ab[GEMM_REF_D_MR * GEMM_REF_D_NR] __attribute__((aligned(64)));
#define SAVE_D(i)                                                                                                      \
    do {                                                                                                               \
        _mm512_store_pd(ab + (i) * GEMM_REF_D_NR, _mm512_mul_pd(c##i##0, al));                                         \
        _mm512_store_pd(ab + (i) * GEMM_REF_D_NR + 8, _mm512_mul_pd(c##i##1, al));                                     \
    } while (0)
    ROWS(SAVE_D);
    if (m == GEMM_REF_D_MR && n == GEMM_REF_D_NR && cs_c == 1) {
        double be = *beta;
        __m512d bv = _mm512_set1_pd(be);
        for (int i = 0; i < GEMM_REF_D_MR; i++) {
            double *ci = c + i * rs_c;
            __m512d r0 = _mm512_load_pd(ab + i * GEMM_REF_D_NR), r1 = _mm512_load_pd(ab + i * GEMM_REF_D_NR + 8);
            if (be != 0) {
                r0 = _mm512_add_pd(r0, _mm512_mul_pd(bv, _mm512_loadu_pd(ci)));
                r1 = _mm512_add_pd(r1, _mm512_mul_pd(bv, _mm512_loadu_pd(ci + 8)));
            }
            _mm512_storeu_pd(ci, r0);
            _mm512_storeu_pd(ci + 8, r1);
        }
        return;
    }
    STORE_TILE(double, GEMM_REF_D_NR);
}
