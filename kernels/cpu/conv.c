/* conv.c: im2col and col2im (conv.h). */
#include "conv.h"

#include <string.h>

#define DEF_IM2COL(NAME, T)                                                                              \
    static void NAME(const ConvGeom *g, const T *x, T *col) {                                           \
        int64_t L = g->OH * g->OW;                                                                       \
        for (int64_t c = 0; c < g->C; c++) {                                                             \
            const T *xc = x + c * g->H * g->W;                                                           \
            for (int64_t ki = 0; ki < g->kh; ki++) {                                                     \
                for (int64_t kj = 0; kj < g->kw; kj++) {                                                 \
                    T *row = col + ((c * g->kh + ki) * g->kw + kj) * L;                                  \
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
