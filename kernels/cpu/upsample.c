/* upsample.c: nearest and bilinear interpolation (upsample.h). */
#include "upsample.h"

#include <math.h>

#include "dtype.h"

static float scale_value(double scale, int64_t in, int64_t out) {
    return scale > 0 ? (float)(1.0 / scale) : (float)in / (float)out;
}

static int64_t nearest_idx(int64_t o, int64_t in, int64_t out, double scale) {
    if (out == in) return o;
    if (out == 2 * in) return o >> 1;
    float s = scale_value(scale, in, out);
    int64_t i = (int64_t)floorf((float)o * s);
    return i < in - 1 ? i : in - 1;
}

/* compute_source_index_and_lambda */
static void linear_idx(int64_t o, int64_t in, int64_t out, double scale, bool align, int64_t *i0, int64_t *i1,
                       float *l0, float *l1) {
    if (out == in) {
        *i0 = *i1 = o;
        *l0 = 1;
        *l1 = 0;
        return;
    }
    float ratio = align ? (out > 1 ? (float)(in - 1) / (float)(out - 1) : 0.0f) : scale_value(scale, in, out);
    float real;
    if (align) {
        real = ratio * (float)o;
    } else {
        real = ratio * ((float)o + 0.5f) - 0.5f;
        if (real < 0) real = 0;
    }
    *i0 = (int64_t)real;
    *i1 = *i0 + (*i0 < in - 1 ? 1 : 0);
    float l = real - (float)*i0;
    *l1 = l < 0 ? 0 : l > 1 ? 1 : l;
    *l0 = 1.0f - *l1;
}

#define DEF_UP(SFX, T)                                                                                      \
    static void up_##SFX(const UpsampleGeom *g, const T *x, T *out, bool bw) {                              \
        int64_t HW = g->H * g->W, OHW = g->OH * g->OW;                                                      \
        for (int64_t oh = 0; oh < g->OH; oh++) {                                                            \
            int64_t h0, h1;                                                                                 \
            float hl0 = 1, hl1 = 0;                                                                         \
            if (g->bilinear) linear_idx(oh, g->H, g->OH, g->sh, g->align_corners, &h0, &h1, &hl0, &hl1);    \
            else h0 = h1 = nearest_idx(oh, g->H, g->OH, g->sh);                                             \
            for (int64_t ow = 0; ow < g->OW; ow++) {                                                        \
                int64_t w0, w1;                                                                             \
                float wl0 = 1, wl1 = 0;                                                                     \
                if (g->bilinear) linear_idx(ow, g->W, g->OW, g->sw, g->align_corners, &w0, &w1, &wl0, &wl1); \
                else w0 = w1 = nearest_idx(ow, g->W, g->OW, g->sw);                                         \
                for (int64_t p = 0; p < g->planes; p++) {                                                   \
                    int64_t o = p * OHW + oh * g->OW + ow;                                                  \
                    if (!bw) {                                                                              \
                        const T *xp = x + p * HW;                                                           \
                        if (!g->bilinear) {                                                                 \
                            out[o] = xp[h0 * g->W + w0];                                                    \
                            continue;                                                                       \
                        }                                                                                   \
                        T t = xp[h0 * g->W + w0] * (T)wl0;                                                  \
                        t += xp[h0 * g->W + w1] * (T)wl1;                                                   \
                        T r = t * (T)hl0;                                                                   \
                        t = xp[h1 * g->W + w0] * (T)wl0;                                                    \
                        t += xp[h1 * g->W + w1] * (T)wl1;                                                   \
                        r += t * (T)hl1;                                                                    \
                        out[o] = r;                                                                         \
                    } else {                                                                                \
                        T *gp = out + p * HW, gv = x[o];                                                    \
                        if (!g->bilinear) {                                                                 \
                            gp[h0 * g->W + w0] += gv;                                                       \
                            continue;                                                                       \
                        }                                                                                   \
                        gp[h0 * g->W + w0] += (T)hl0 * (T)wl0 * gv;                                         \
                        gp[h0 * g->W + w1] += (T)hl0 * (T)wl1 * gv;                                         \
                        gp[h1 * g->W + w0] += (T)hl1 * (T)wl0 * gv;                                         \
                        gp[h1 * g->W + w1] += (T)hl1 * (T)wl1 * gv;                                         \
                    }                                                                                       \
                }                                                                                           \
            }                                                                                               \
        }                                                                                                   \
    }
DEF_UP(f, float)
DEF_UP(d, double)

/* bfloat16 nearest: the forward copies; the backward's grad_input +=
 * grad_output adds in bfloat16, each sum rounded */
static void up_nearest_bf16(const UpsampleGeom *g, const tsr_bfloat16 *x, tsr_bfloat16 *out, bool bw) {
    int64_t HW = g->H * g->W, OHW = g->OH * g->OW;
    for (int64_t oh = 0; oh < g->OH; oh++) {
        int64_t h = nearest_idx(oh, g->H, g->OH, g->sh);
        for (int64_t ow = 0; ow < g->OW; ow++) {
            int64_t w = nearest_idx(ow, g->W, g->OW, g->sw);
            for (int64_t p = 0; p < g->planes; p++) {
                int64_t o = p * OHW + oh * g->OW + ow, i = p * HW + h * g->W + w;
                if (bw) out[i] = float_to_bf16(bf16_to_float(out[i]) + bf16_to_float(x[o]));
                else out[o] = x[i];
            }
        }
    }
}

KernelStatus kernel_upsample(DType dt, const UpsampleGeom *g, const void *x, void *out) {
    if (dt == DT_FLOAT32) up_f(g, x, out, false);
    else if (dt == DT_FLOAT64) up_d(g, x, out, false);
    else if (dt == DT_BFLOAT16 && !g->bilinear) up_nearest_bf16(g, x, out, false);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

KernelStatus kernel_upsample_backward(DType dt, const UpsampleGeom *g, const void *gout, void *gin) {
    if (dt == DT_FLOAT32) up_f(g, gout, gin, true);
    else if (dt == DT_FLOAT64) up_d(g, gout, gin, true);
    else if (dt == DT_BFLOAT16 && !g->bilinear) up_nearest_bf16(g, gout, gin, true);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}
