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

/* One kernel per type: T the element, V its vector of W lanes (the tile
 * is MR x NR, NR = 2W), STEP/SAVE the row macros above, then the
 * type's intrinsics */
#define DEF_GEMM_REF(NAME, T, V, W, MR, NR, STEP, SAVE, LOADU, LOAD, STOREU, SET1, SETZERO, ADD, MUL)             \
    void NAME(dim_t m, dim_t n, dim_t k, T *restrict alpha, T *restrict a, T *restrict b, T *restrict beta,       \
              T *restrict c, inc_t rs_c, inc_t cs_c, auxinfo_t *data, cntx_t *cntx) {                             \
        (void)data, (void)cntx;                                                                                    \
        V z = SETZERO();                                                                                           \
        V c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;                                  \
        V c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;                                  \
        for (dim_t l = 0; l < k; l++) {                                                                            \
            V b0 = LOADU(b), b1 = LOADU(b + W);                                                                    \
            ROWS(STEP);                                                                                            \
            a += MR;                                                                                               \
            b += NR;                                                                                               \
        }                                                                                                          \
        V al = SET1(*alpha);                                                                                       \
        T ab[MR * NR] __attribute__((aligned(64)));                                                                \
        ROWS(SAVE);                                                                                                \
        if (m == MR && n == NR && cs_c == 1) {                                                                     \
            T be = *beta;                                                                                          \
            V bv = SET1(be);                                                                                       \
            for (int i = 0; i < MR; i++) {                                                                         \
                T *ci = c + i * rs_c;                                                                              \
                V r0 = LOAD(ab + i * NR), r1 = LOAD(ab + i * NR + W);                                              \
                if (be != 0) {                                                                                     \
                    r0 = ADD(r0, MUL(bv, LOADU(ci)));                                                              \
                    r1 = ADD(r1, MUL(bv, LOADU(ci + W)));                                                          \
                }                                                                                                  \
                STOREU(ci, r0);                                                                                    \
                STOREU(ci + W, r1);                                                                                \
            }                                                                                                      \
            return;                                                                                                \
        }                                                                                                          \
        STORE_TILE(T, NR);                                                                                         \
    }

/* the alpha-scaled accumulators of row i into ab */
#define SAVE_S(i)                                                                                                      \
    do {                                                                                                               \
        _mm512_store_ps(ab + (i) * GEMM_REF_S_NR, _mm512_mul_ps(c##i##0, al));                                         \
        _mm512_store_ps(ab + (i) * GEMM_REF_S_NR + 16, _mm512_mul_ps(c##i##1, al));                                    \
    } while (0)
#define SAVE_D(i)                                                                                                      \
    do {                                                                                                               \
        _mm512_store_pd(ab + (i) * GEMM_REF_D_NR, _mm512_mul_pd(c##i##0, al));                                         \
        _mm512_store_pd(ab + (i) * GEMM_REF_D_NR + 8, _mm512_mul_pd(c##i##1, al));                                     \
    } while (0)

DEF_GEMM_REF(gemm_ref_s_avx512, float, __m512, 16, GEMM_REF_S_MR, GEMM_REF_S_NR, STEP_S, SAVE_S, _mm512_loadu_ps,
             _mm512_load_ps, _mm512_storeu_ps, _mm512_set1_ps, _mm512_setzero_ps, _mm512_add_ps,
             _mm512_mul_ps)
DEF_GEMM_REF(gemm_ref_d_avx512, double, __m512d, 8, GEMM_REF_D_MR, GEMM_REF_D_NR, STEP_D, SAVE_D, _mm512_loadu_pd,
             _mm512_load_pd, _mm512_storeu_pd, _mm512_set1_pd, _mm512_setzero_pd, _mm512_add_pd,
             _mm512_mul_pd)
