/* conv.c: im2col and col2im (conv.h). */
#include "conv.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "iter.h"

/* The output columns [*ow0, *ow1) of a kernel column whose input column
 * ow * sw + woff lies inside the image */
static void inside_cols(const ConvGeom *g, int64_t woff, int64_t *ow0, int64_t *ow1) {
    int64_t a = 0, b = g->OW;
    while (a < g->OW && a * g->sw + woff < 0) a++;
    while (b > a && (b - 1) * g->sw + woff >= g->W) b--;
    *ow0 = a;
    *ow1 = b;
}

#define DEF_IM2COL(NAME, T)                                                                              \
    static void NAME(const ConvGeom *g, const T *x, T *col) {                                           \
        int64_t P = g->OH * g->OW, L = g->OD * P, HW = g->H * g->W;                                      \
        for (int64_t c = 0; c < g->C; c++) {                                                             \
            const T *xc = x + c * g->D * HW;                                                             \
            for (int64_t kt = 0; kt < g->kd; kt++) {                                                     \
                for (int64_t ki = 0; ki < g->kh; ki++) {                                                 \
                    for (int64_t kj = 0; kj < g->kw; kj++) {                                             \
                        int64_t kk = (kt * g->kh + ki) * g->kw + kj, nk = g->kd * g->kh * g->kw;         \
                        int64_t ri = g->blk ? (c / g->blk * nk + kk) * g->blk + c % g->blk : c * nk + kk; \
                        int64_t woff = kj * g->dw - g->pw, ow0, ow1;                                     \
                        inside_cols(g, woff, &ow0, &ow1);                                                \
                        for (int64_t od = 0; od < g->OD; od++) {                                         \
                            T *plane = col + ri * L + od * P;                                            \
                            int64_t id = od * g->sd - g->pd + kt * g->dd;                                \
                            if (id < 0 || id >= g->D) {                                                  \
                                memset(plane, 0, sizeof(T) * (size_t)P);                                 \
                                continue;                                                                \
                            }                                                                            \
                            for (int64_t oh = 0; oh < g->OH; oh++) {                                     \
                                T *r = plane + oh * g->OW;                                               \
                                int64_t ih = oh * g->sh - g->ph + ki * g->dh;                            \
                                if (ih < 0 || ih >= g->H) {                                              \
                                    memset(r, 0, sizeof(T) * (size_t)g->OW);                             \
                                    continue;                                                            \
                                }                                                                        \
                                const T *xr = xc + id * HW + ih * g->W;                                  \
                                for (int64_t ow = 0; ow < ow0; ow++) r[ow] = 0;                          \
                                if (g->sw == 1) {                                                        \
                                    if (ow1 > ow0) memcpy(r + ow0, xr + ow0 + woff, sizeof(T) * (size_t)(ow1 - ow0)); \
                                } else {                                                                 \
                                    for (int64_t ow = ow0; ow < ow1; ow++) r[ow] = xr[ow * g->sw + woff]; \
                                }                                                                        \
                                for (int64_t ow = ow1 > ow0 ? ow1 : ow0; ow < g->OW; ow++) r[ow] = 0;    \
                            }                                                                            \
                        }                                                                                \
                    }                                                                                    \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
        int64_t cpad = g->blk ? (g->C + g->blk - 1) / g->blk * g->blk : g->C, nk = g->kd * g->kh * g->kw; \
        for (int64_t c = g->C; c < cpad; c++)                                                            \
            for (int64_t kk = 0; kk < nk; kk++)                                                          \
                memset(col + ((c / g->blk * nk + kk) * g->blk + c % g->blk) * L, 0, sizeof(T) * (size_t)L); \
    }

DEF_IM2COL(im2col_1, uint8_t)
DEF_IM2COL(im2col_2, uint16_t)
DEF_IM2COL(im2col_4, uint32_t)
DEF_IM2COL(im2col_8, uint64_t)

KernelStatus kernel_im2col(DType dt, const ConvGeom *g, const void *x, void *col) {
    switch (dtype_size(dt)) {
    case 1: im2col_1(g, x, col); break;
    case 2: im2col_2(g, x, col); break;
    case 4: im2col_4(g, x, col); break;
    case 8: im2col_8(g, x, col); break;
    default: return KERNEL_UNSUPPORTED;
    }
    return KERNEL_OK;
}

/* ADD(a, b): a += b in T (float16/bfloat16: in float, rounded to T) */
#define PLAIN_ADD(a, b) ((a) += (b))
#define HALF_ADD(a, b) ((a) = float_to_half(half_to_float(a) + half_to_float(b)))
#define BF16_ADD(a, b) ((a) = float_to_bf16(bf16_to_float(a) + bf16_to_float(b)))
#define DEF_COL2IM(NAME, T, ADD)                                                                         \
    static void NAME(const ConvGeom *g, const T *col, T *x) {                                            \
        int64_t P = g->OH * g->OW, L = g->OD * P, HW = g->H * g->W;                                      \
        for (int64_t c = 0; c < g->C; c++) {                                                             \
            T *xc = x + c * g->D * HW;                                                                   \
            for (int64_t kt = 0; kt < g->kd; kt++) {                                                     \
                for (int64_t ki = 0; ki < g->kh; ki++) {                                                 \
                    for (int64_t kj = 0; kj < g->kw; kj++) {                                             \
                        const T *row = col + (((c * g->kd + kt) * g->kh + ki) * g->kw + kj) * L;         \
                        int64_t woff = kj * g->dw - g->pw, ow0, ow1;                                     \
                        inside_cols(g, woff, &ow0, &ow1);                                                \
                        for (int64_t od = 0; od < g->OD; od++) {                                         \
                            int64_t id = od * g->sd - g->pd + kt * g->dd;                                \
                            if (id < 0 || id >= g->D) continue;                                          \
                            for (int64_t oh = 0; oh < g->OH; oh++) {                                     \
                                int64_t ih = oh * g->sh - g->ph + ki * g->dh;                            \
                                if (ih < 0 || ih >= g->H) continue;                                      \
                                T *xr = xc + id * HW + ih * g->W + woff;                                 \
                                const T *r = row + od * P + oh * g->OW;                                  \
                                if (g->sw == 1)                                                          \
                                    for (int64_t ow = ow0; ow < ow1; ow++) ADD(xr[ow], r[ow]);           \
                                else                                                                     \
                                    for (int64_t ow = ow0; ow < ow1; ow++) ADD(xr[ow * g->sw], r[ow]);   \
                            }                                                                            \
                        }                                                                                \
                    }                                                                                    \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }

DEF_COL2IM(col2im_f, float, PLAIN_ADD)
DEF_COL2IM(col2im_d, double, PLAIN_ADD)
DEF_COL2IM(col2im_l, int64_t, PLAIN_ADD)
DEF_COL2IM(col2im_h, tsr_half, HALF_ADD)
DEF_COL2IM(col2im_b, tsr_bfloat16, BF16_ADD)

KernelStatus kernel_col2im(DType dt, const ConvGeom *g, const void *col, void *x) {
    if (dt == DT_FLOAT32) col2im_f(g, col, x);
    else if (dt == DT_FLOAT64) col2im_d(g, col, x);
    else if (dt == DT_INT64) col2im_l(g, col, x);
    else if (dt == DT_FLOAT16) col2im_h(g, col, x);
    else if (dt == DT_BFLOAT16) col2im_b(g, col, x);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

/* The GEMMs of convolution: C (m x n, row-major) = A (m x k, element
 * strides rsa, csa) @ B (k x n, row-major), in one of two sums:
 *   fused (oneDNN): each element one chain of fused multiply-adds along k
 *     in order, from init[i] (NULL: zero);
 *   ordered (BLIS's reference kernels, which Debian's BLIS 0.9 runs on
 *     this CPU and PyTorch's cpublas::gemm calls): k in blocks of KC = 256;
 *     per block a chain from zero, a rounded product then a rounded sum per
 *     step; each block's sum added to C (the first block stored, unless
 *     accum: then C's values are beta = 1's, added to as well).
 * Every element's sum is the same whatever the blocking, so the vector
 * kernels below compute tiles of MR rows x 2 vectors of columns in
 * registers, k in slices of KC (a fused tile's partial chain waits in C
 * between slices, stored and reloaded unrounded), and the rows split
 * between two threads: the bits do not depend on the path taken. */
typedef struct {
    int64_t m, n, k, rsa, csa;
    const void *a, *b, *init;
    void *c;
    bool fused, accum;
} GemmJob;

#define GEMM_KC 256

/* the plain loops: the reference and the fallback, rows [i0, i1), columns
 * [j0, n); the ordered sum takes the columns 64 at a time (its block sums
 * wait in part[]) */
#define DEF_GEMM_SCALAR(NAME, T, FMA, ATTR)                                                              \
    ATTR static void NAME(const GemmJob *jb, int64_t i0, int64_t i1, int64_t j0) {                       \
        const T *a = jb->a, *b = jb->b, *init = jb->init;                                                \
        T *c = jb->c;                                                                                    \
        int64_t n = jb->n;                                                                               \
        for (int64_t i = i0; i < i1; i++) {                                                              \
            T *cr = c + i * n;                                                                           \
            if (jb->fused) {                                                                             \
                for (int64_t j = j0; j < n; j++) cr[j] = init ? init[i] : 0;                             \
                for (int64_t l = 0; l < jb->k; l++) {                                                    \
                    T av = a[i * jb->rsa + l * jb->csa];                                                 \
                    const T *br = b + l * n;                                                             \
                    for (int64_t j = j0; j < n; j++) cr[j] = FMA(av, br[j], cr[j]);                      \
                }                                                                                        \
                continue;                                                                                \
            }                                                                                            \
            for (int64_t jc = j0; jc < n; jc += 64) {                                                    \
                int64_t nc = n - jc < 64 ? n - jc : 64;                                                  \
                T part[64];                                                                              \
                for (int64_t l0 = 0; l0 < jb->k || l0 == 0; l0 += GEMM_KC) {                            \
                    int64_t l1 = jb->k - l0 < GEMM_KC ? jb->k : l0 + GEMM_KC;                            \
                    for (int64_t j = 0; j < nc; j++) part[j] = 0;                                        \
                    for (int64_t l = l0; l < l1; l++) {                                                  \
                        T av = a[i * jb->rsa + l * jb->csa];                                             \
                        const T *br = b + l * n + jc;                                                    \
                        for (int64_t j = 0; j < nc; j++) {                                               \
                            T p = av * br[j];                                                            \
                            part[j] = part[j] + p;                                                       \
                        }                                                                                \
                    }                                                                                    \
                    for (int64_t j = 0; j < nc; j++) cr[jc + j] = l0 || jb->accum ? cr[jc + j] + part[j] : part[j]; \
                    if (l1 >= jb->k) break;                                                              \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }
DEF_GEMM_SCALAR(gemm_scalar_f, float, fmaf, )
DEF_GEMM_SCALAR(gemm_scalar_d, double, fma, )
DEF_GEMM_SCALAR(gemm_scalar_f_hw, float, __builtin_fmaf, __attribute__((target("avx2,fma"))))
DEF_GEMM_SCALAR(gemm_scalar_d_hw, double, __builtin_fma, __attribute__((target("avx2,fma"))))

#if defined(__x86_64__) && !defined(__cplusplus)
#include <immintrin.h>
#define TSR_GEMM_VECTOR 1

/* one tile: rows i..i+R, columns j..j+2*NV, k slice [l0, l1) */
#define GEMM_TILE(R, V, NV, LOAD, STORE, SET1, ZERO, FMADD, ADD, MUL)                                    \
    do {                                                                                                 \
        V acc[R][2];                                                                                     \
        if (jb->fused) {                                                                                 \
            for (int r = 0; r < R; r++) {                                                                \
                if (l0) {                                                                                \
                    acc[r][0] = LOAD(c + (i + r) * n + j);                                               \
                    acc[r][1] = LOAD(c + (i + r) * n + j + NV);                                          \
                } else {                                                                                 \
                    acc[r][0] = acc[r][1] = init ? SET1(init[i + r]) : ZERO();                           \
                }                                                                                        \
            }                                                                                            \
            for (int64_t l = l0; l < l1; l++) {                                                          \
                V b0 = LOAD(b + l * n + j), b1 = LOAD(b + l * n + j + NV);                               \
                for (int r = 0; r < R; r++) {                                                            \
                    V av = SET1(a[(i + r) * rsa + l * csa]);                                             \
                    acc[r][0] = FMADD(av, b0, acc[r][0]);                                                \
                    acc[r][1] = FMADD(av, b1, acc[r][1]);                                                \
                }                                                                                        \
            }                                                                                            \
        } else {                                                                                         \
            for (int r = 0; r < R; r++) acc[r][0] = acc[r][1] = ZERO();                                  \
            for (int64_t l = l0; l < l1; l++) {                                                          \
                V b0 = LOAD(b + l * n + j), b1 = LOAD(b + l * n + j + NV);                               \
                for (int r = 0; r < R; r++) {                                                            \
                    V av = SET1(a[(i + r) * rsa + l * csa]);                                             \
                    acc[r][0] = ADD(acc[r][0], MUL(av, b0));                                             \
                    acc[r][1] = ADD(acc[r][1], MUL(av, b1));                                             \
                }                                                                                        \
            }                                                                                            \
            if (l0 || jb->accum)                                                                         \
                for (int r = 0; r < R; r++) {                                                            \
                    acc[r][0] = ADD(LOAD(c + (i + r) * n + j), acc[r][0]);                               \
                    acc[r][1] = ADD(LOAD(c + (i + r) * n + j + NV), acc[r][1]);                          \
                }                                                                                        \
        }                                                                                                \
        for (int r = 0; r < R; r++) {                                                                    \
            STORE(c + (i + r) * n + j, acc[r][0]);                                                       \
            STORE(c + (i + r) * n + j + NV, acc[r][1]);                                                  \
        }                                                                                                \
    } while (0)

#define DEF_GEMM_VECTOR(NAME, T, SCALAR, ATTR, V, NV, LOAD, STORE, SET1, ZERO, FMADD, ADD, MUL)           \
    ATTR static void NAME(const GemmJob *jb, int64_t i0, int64_t i1) {                                   \
        const T *a = jb->a, *b = jb->b, *init = jb->init;                                                \
        T *c = jb->c;                                                                                    \
        int64_t n = jb->n, k = jb->k, rsa = jb->rsa, csa = jb->csa, nv = n / (2 * NV) * (2 * NV);         \
        for (int64_t l0 = 0; l0 < k || l0 == 0; l0 += GEMM_KC) {                                         \
            int64_t l1 = k - l0 < GEMM_KC ? k : l0 + GEMM_KC;                                            \
            for (int64_t j = 0; j < nv; j += 2 * NV) {                                                   \
                int64_t i = i0;                                                                          \
                for (; i + 6 <= i1; i += 6) GEMM_TILE(6, V, NV, LOAD, STORE, SET1, ZERO, FMADD, ADD, MUL); \
                for (; i < i1; i++) GEMM_TILE(1, V, NV, LOAD, STORE, SET1, ZERO, FMADD, ADD, MUL);       \
            }                                                                                            \
            if (l1 >= k) break;                                                                          \
        }                                                                                                \
        if (nv < n) SCALAR(jb, i0, i1, nv);                                                              \
    }

/* The columns [j0, n) past the last whole tile, one masked vector at a
 * time, with the scalar loop's operations a lane (AVX-512) */
#define DEF_GEMM_TAIL(NAME, T, ATTR, V, NV, MASK, LOADZ, STOREM, SET1, ZERO, FMADD, ADD, MUL)             \
    ATTR static void NAME(const GemmJob *jb, int64_t i0, int64_t i1, int64_t j0) {                       \
        const T *a = jb->a, *b = jb->b, *init = jb->init;                                                \
        T *c = jb->c;                                                                                    \
        int64_t n = jb->n, k = jb->k, rsa = jb->rsa, csa = jb->csa;                                      \
        for (int64_t j = j0; j < n; j += NV) {                                                           \
            MASK m = (MASK)((1u << (n - j < NV ? n - j : NV)) - 1);                                      \
            for (int64_t i = i0; i < i1; i++) {                                                          \
                T *cr = c + i * n + j;                                                                   \
                if (jb->fused) {                                                                         \
                    V acc = init ? SET1(init[i]) : ZERO();                                               \
                    for (int64_t l = 0; l < k; l++)                                                      \
                        acc = FMADD(SET1(a[i * rsa + l * csa]), LOADZ(m, b + l * n + j), acc);           \
                    STOREM(cr, m, acc);                                                                  \
                    continue;                                                                            \
                }                                                                                        \
                for (int64_t l0 = 0; l0 < k || l0 == 0; l0 += GEMM_KC) {                                 \
                    int64_t l1 = k - l0 < GEMM_KC ? k : l0 + GEMM_KC;                                    \
                    V part = ZERO();                                                                     \
                    for (int64_t l = l0; l < l1; l++)                                                    \
                        part = ADD(part, MUL(SET1(a[i * rsa + l * csa]), LOADZ(m, b + l * n + j)));      \
                    STOREM(cr, m, l0 || jb->accum ? ADD(LOADZ(m, cr), part) : part);                     \
                    if (l1 >= k) break;                                                                  \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }
DEF_GEMM_TAIL(gemm_avx512_tail_f, float, __attribute__((target("avx512f,avx2,fma"))), __m512, 16, __mmask16,
              _mm512_maskz_loadu_ps, _mm512_mask_storeu_ps, _mm512_set1_ps, _mm512_setzero_ps, _mm512_fmadd_ps,
              _mm512_add_ps, _mm512_mul_ps)
DEF_GEMM_TAIL(gemm_avx512_tail_d, double, __attribute__((target("avx512f,avx2,fma"))), __m512d, 8, __mmask8,
              _mm512_maskz_loadu_pd, _mm512_mask_storeu_pd, _mm512_set1_pd, _mm512_setzero_pd, _mm512_fmadd_pd,
              _mm512_add_pd, _mm512_mul_pd)
DEF_GEMM_VECTOR(gemm_avx512_f, float, gemm_avx512_tail_f, __attribute__((target("avx512f,avx2,fma"))), __m512, 16,
                _mm512_loadu_ps, _mm512_storeu_ps, _mm512_set1_ps, _mm512_setzero_ps, _mm512_fmadd_ps, _mm512_add_ps,
                _mm512_mul_ps)
DEF_GEMM_VECTOR(gemm_avx512_d, double, gemm_avx512_tail_d, __attribute__((target("avx512f,avx2,fma"))), __m512d, 8,
                _mm512_loadu_pd, _mm512_storeu_pd, _mm512_set1_pd, _mm512_setzero_pd, _mm512_fmadd_pd, _mm512_add_pd,
                _mm512_mul_pd)
DEF_GEMM_VECTOR(gemm_avx2_f, float, gemm_scalar_f_hw, __attribute__((target("avx2,fma"))), __m256, 8, _mm256_loadu_ps,
                _mm256_storeu_ps, _mm256_set1_ps, _mm256_setzero_ps, _mm256_fmadd_ps, _mm256_add_ps, _mm256_mul_ps)
DEF_GEMM_VECTOR(gemm_avx2_d, double, gemm_scalar_d_hw, __attribute__((target("avx2,fma"))), __m256d, 4,
                _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd, _mm256_setzero_pd, _mm256_fmadd_pd, _mm256_add_pd,
                _mm256_mul_pd)
#endif

/* 0: the plain loops, 1: AVX2 + FMA, 2: AVX-512 (TSR_GEMM_LEVEL caps it) */
static int gemm_level(void) {
    static int level = -1;
    if (level < 0) {
        int l = 0;
#ifdef TSR_GEMM_VECTOR
        if (__builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2")) l = 1;
        if (l && __builtin_cpu_supports("avx512f")) l = 2;
#endif
        const char *cap = getenv("TSR_GEMM_LEVEL");
        if (cap && *cap >= '0' && *cap < '0' + l) l = *cap - '0';
        level = l;
    }
    return level;
}

static void gemm_rows(const GemmJob *jb, bool dbl, int64_t i0, int64_t i1) {
    int level = gemm_level();
#ifdef TSR_GEMM_VECTOR
    if (level == 2) {
        (dbl ? gemm_avx512_d : gemm_avx512_f)(jb, i0, i1);
        return;
    }
    if (level == 1) {
        (dbl ? gemm_avx2_d : gemm_avx2_f)(jb, i0, i1);
        return;
    }
#endif
    (void)level;
    (dbl ? gemm_scalar_d : gemm_scalar_f)(jb, i0, i1, 0);
}

typedef struct {
    const GemmJob *jb;
    bool dbl;
    int64_t mid;
} GemmHalves;

static void gemm_half(void *arg, int part) {
    const GemmHalves *h = arg;
    if (part == 0) gemm_rows(h->jb, h->dbl, 0, h->mid);
    else gemm_rows(h->jb, h->dbl, h->mid, h->jb->m);
}

/* Two threads from about a million multiply-adds (each takes whole rows) */
#define GEMM_PARALLEL_MIN 1048576.0

static KernelStatus gemm_run(DType dt, const GemmJob *jb) {
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) return KERNEL_UNSUPPORTED;
    bool dbl = dt == DT_FLOAT64;
    if ((double)jb->m * (double)jb->n * (double)jb->k >= GEMM_PARALLEL_MIN && jb->m >= 2 && par_available()) {
        GemmHalves h = {jb, dbl, jb->m / 2};
        if (h.mid >= 6) h.mid = h.mid / 6 * 6; /* whole tiles on the first thread */
        par_run2(gemm_half, &h);
    } else {
        gemm_rows(jb, dbl, 0, jb->m);
    }
    return KERNEL_OK;
}

KernelStatus kernel_gemm_ordered(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t rsa, int64_t csa,
                                 const void *b, void *c, bool accum) {
    GemmJob jb = {m, n, k, rsa, csa, a, b, NULL, c, false, accum};
    return gemm_run(dt, &jb);
}

KernelStatus kernel_gemm_fma_init(DType dt, int64_t m, int64_t n, int64_t k, const void *a, const void *b,
                                  const void *init, void *c) {
    GemmJob jb = {m, n, k, k, 1, a, b, init, c, true, false};
    return gemm_run(dt, &jb);
}

KernelStatus kernel_gemm_fma(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t rsa, int64_t csa,
                             const void *b, void *c) {
    GemmJob jb = {m, n, k, rsa, csa, a, b, NULL, c, true, false};
    return gemm_run(dt, &jb);
}

KernelStatus kernel_add(DType dt, int64_t n, const void *src, void *dst) {
    if (dt == DT_FLOAT32)
        for (int64_t i = 0; i < n; i++) ((float *)dst)[i] += ((const float *)src)[i];
    else if (dt == DT_FLOAT64)
        for (int64_t i = 0; i < n; i++) ((double *)dst)[i] += ((const double *)src)[i];
    else
        return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

KernelStatus kernel_channel_bias(DType dt, int64_t C, int64_t plane, const void *bias, void *out) {
    if (dt == DT_FLOAT32) {
        const float *b = bias;
        float *o = out;
        for (int64_t c = 0; c < C; c++)
            for (int64_t i = 0; i < plane; i++) o[c * plane + i] += b[c];
    } else if (dt == DT_FLOAT64) {
        const double *b = bias;
        double *o = out;
        for (int64_t c = 0; c < C; c++)
            for (int64_t i = 0; i < plane; i++) o[c * plane + i] += b[c];
    } else {
        return KERNEL_UNSUPPORTED;
    }
    return KERNEL_OK;
}

#define DEF_TRANSPOSE(NAME, T)                                                                           \
    static void NAME(int64_t r, int64_t c, const T *src, T *dst) {                                       \
        for (int64_t i0 = 0; i0 < r; i0 += 32)                                                           \
            for (int64_t j0 = 0; j0 < c; j0 += 32)                                                       \
                for (int64_t i = i0; i < r && i < i0 + 32; i++)                                          \
                    for (int64_t j = j0; j < c && j < j0 + 32; j++) dst[j * r + i] = src[i * c + j];     \
    }
DEF_TRANSPOSE(transpose_4, uint32_t)
DEF_TRANSPOSE(transpose_8, uint64_t)

KernelStatus kernel_transpose(DType dt, int64_t r, int64_t c, const void *src, void *dst) {
    switch (dtype_size(dt)) {
    case 4: transpose_4(r, c, src, dst); break;
    case 8: transpose_8(r, c, src, dst); break;
    default: return KERNEL_UNSUPPORTED;
    }
    return KERNEL_OK;
}
