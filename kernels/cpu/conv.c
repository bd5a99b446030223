/* conv.c: im2col and col2im (conv.h). */
#include "conv.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define DEF_IM2COL(NAME, T)                                                                              \
    static void NAME(const ConvGeom *g, const T *x, T *col) {                                           \
        int64_t L = g->OH * g->OW;                                                                       \
        for (int64_t c = 0; c < g->C; c++) {                                                             \
            const T *xc = x + c * g->H * g->W;                                                           \
            for (int64_t ki = 0; ki < g->kh; ki++) {                                                     \
                for (int64_t kj = 0; kj < g->kw; kj++) {                                                 \
                    int64_t ri = g->blk ? ((c / g->blk * g->kh + ki) * g->kw + kj) * g->blk + c % g->blk \
                                        : (c * g->kh + ki) * g->kw + kj;                                 \
                    T *row = col + ri * L;                                                               \
                    int64_t woff = kj * g->dw - g->pw;                                                   \
                    /* the output columns whose input column is inside the image */                     \
                    int64_t ow0 = 0, ow1 = g->OW;                                                        \
                    while (ow0 < g->OW && ow0 * g->sw + woff < 0) ow0++;                                 \
                    while (ow1 > ow0 && (ow1 - 1) * g->sw + woff >= g->W) ow1--;                         \
                    for (int64_t oh = 0; oh < g->OH; oh++) {                                             \
                        T *r = row + oh * g->OW;                                                         \
                        int64_t ih = oh * g->sh - g->ph + ki * g->dh;                                    \
                        if (ih < 0 || ih >= g->H) {                                                      \
                            memset(r, 0, sizeof(T) * (size_t)g->OW);                                     \
                            continue;                                                                    \
                        }                                                                                \
                        const T *xr = xc + ih * g->W;                                                    \
                        for (int64_t ow = 0; ow < ow0; ow++) r[ow] = 0;                                  \
                        if (g->sw == 1) {                                                                \
                            if (ow1 > ow0) memcpy(r + ow0, xr + ow0 + woff, sizeof(T) * (size_t)(ow1 - ow0)); \
                        } else {                                                                         \
                            for (int64_t ow = ow0; ow < ow1; ow++) r[ow] = xr[ow * g->sw + woff];        \
                        }                                                                                \
                        for (int64_t ow = ow1 > ow0 ? ow1 : ow0; ow < g->OW; ow++) r[ow] = 0;            \
                    }                                                                                    \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
        int64_t cpad = g->blk ? (g->C + g->blk - 1) / g->blk * g->blk : g->C;                            \
        for (int64_t c = g->C; c < cpad; c++)                                                            \
            for (int64_t kk = 0; kk < g->kh * g->kw; kk++)                                               \
                memset(col + ((c / g->blk * g->kh * g->kw + kk) * g->blk + c % g->blk) * L, 0,           \
                       sizeof(T) * (size_t)L);                                                           \
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

#define DEF_COL2IM(NAME, T)                                                                              \
    static void NAME(const ConvGeom *g, const T *col, T *x) {                                           \
        int64_t L = g->OH * g->OW;                                                                       \
        for (int64_t c = 0; c < g->C; c++) {                                                             \
            T *xc = x + c * g->H * g->W;                                                                 \
            for (int64_t ki = 0; ki < g->kh; ki++) {                                                     \
                for (int64_t kj = 0; kj < g->kw; kj++) {                                                 \
                    const T *row = col + ((c * g->kh + ki) * g->kw + kj) * L;                            \
                    int64_t woff = kj * g->dw - g->pw;                                                   \
                    for (int64_t oh = 0; oh < g->OH; oh++) {                                             \
                        int64_t ih = oh * g->sh - g->ph + ki * g->dh;                                    \
                        if (ih < 0 || ih >= g->H) continue;                                              \
                        T *xr = xc + ih * g->W;                                                          \
                        const T *r = row + oh * g->OW;                                                   \
                        for (int64_t ow = 0; ow < g->OW; ow++) {                                         \
                            int64_t iw = ow * g->sw + woff;                                              \
                            if (iw >= 0 && iw < g->W) xr[iw] += r[ow];                                   \
                        }                                                                                \
                    }                                                                                    \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }

DEF_COL2IM(col2im_f, float)
DEF_COL2IM(col2im_d, double)

KernelStatus kernel_col2im(DType dt, const ConvGeom *g, const void *col, void *x) {
    if (dt == DT_FLOAT32) col2im_f(g, col, x);
    else if (dt == DT_FLOAT64) col2im_d(g, col, x);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

#define DEF_GEMM_ORDERED(NAME, T)                                                                        \
    static void NAME(int64_t m, int64_t n, int64_t k, const T *a, int64_t rsa, int64_t csa, const T *b, T *c) { \
        for (int64_t i = 0; i < m; i++) {                                                                \
            T *cr = c + i * n;                                                                           \
            for (int64_t j = 0; j < n; j++) cr[j] = 0;                                                   \
            for (int64_t l = 0; l < k; l++) {                                                            \
                T av = a[i * rsa + l * csa];                                                             \
                const T *br = b + l * n;                                                                 \
                for (int64_t j = 0; j < n; j++) {                                                        \
                    T p = av * br[j];                                                                    \
                    cr[j] = cr[j] + p;                                                                   \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }
DEF_GEMM_ORDERED(gemm_ordered_f, float)
DEF_GEMM_ORDERED(gemm_ordered_d, double)

KernelStatus kernel_gemm_ordered(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t rsa, int64_t csa,
                                 const void *b, void *c) {
    if (dt == DT_FLOAT32) gemm_ordered_f(m, n, k, a, rsa, csa, b, c);
    else if (dt == DT_FLOAT64) gemm_ordered_d(m, n, k, a, rsa, csa, b, c);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

/* FMA chains along k, row i from init[i] (NULL: zero), A's rows lda
 * apart; a copy built for FMA hardware runs where the CPU has it (fma
 * rounds once either way, so the bits are the same). */
#define DEF_GEMM_FMA(NAME, T, FMA, ATTR)                                                                 \
    ATTR static void NAME(int64_t m, int64_t n, int64_t k, const T *a, int64_t lda, const T *b,         \
                          const T *init, T *c) {                                                         \
        for (int64_t i = 0; i < m; i++) {                                                                \
            T *cr = c + i * n;                                                                           \
            for (int64_t j = 0; j < n; j++) cr[j] = init ? init[i] : 0;                                  \
            for (int64_t l = 0; l < k; l++) {                                                            \
                T av = a[i * lda + l];                                                                   \
                const T *br = b + l * n;                                                                 \
                for (int64_t j = 0; j < n; j++) cr[j] = FMA(av, br[j], cr[j]);                           \
            }                                                                                            \
        }                                                                                                \
    }
DEF_GEMM_FMA(gemm_fma_f, float, fmaf, )
DEF_GEMM_FMA(gemm_fma_d, double, fma, )
DEF_GEMM_FMA(gemm_fma_f_hw, float, __builtin_fmaf, __attribute__((target("avx2,fma"))))
DEF_GEMM_FMA(gemm_fma_d_hw, double, __builtin_fma, __attribute__((target("avx2,fma"))))

static KernelStatus gemm_fma(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t lda, const void *b,
                             const void *init, void *c) {
    bool hw = __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2");
    if (dt == DT_FLOAT32) (hw ? gemm_fma_f_hw : gemm_fma_f)(m, n, k, a, lda, b, init, c);
    else if (dt == DT_FLOAT64) (hw ? gemm_fma_d_hw : gemm_fma_d)(m, n, k, a, lda, b, init, c);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

KernelStatus kernel_gemm_fma_init(DType dt, int64_t m, int64_t n, int64_t k, const void *a, const void *b,
                                  const void *init, void *c) {
    return gemm_fma(dt, m, n, k, a, k, b, init, c);
}

KernelStatus kernel_gemm_fma(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t lda, const void *b,
                             void *c) {
    return gemm_fma(dt, m, n, k, a, lda, b, NULL, c);
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
