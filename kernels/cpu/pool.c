/* pool.c: max, average and adaptive pooling (pool.h). */
#include "pool.h"

#include <math.h>

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t start_index(int64_t o, int64_t osz, int64_t isz) { return (o * isz) / osz; }
static int64_t end_index(int64_t o, int64_t osz, int64_t isz) { return ((o + 1) * isz + osz - 1) / osz; }

/* the window of output (oh, ow): rows [*h0, *h1) and columns [*w0, *w1) */
static void max_window(const PoolGeom *g, bool adaptive, int64_t oh, int64_t ow, int64_t *h0, int64_t *h1,
                       int64_t *w0, int64_t *w1) {
    if (adaptive) {
        *h0 = start_index(oh, g->OH, g->H);
        *h1 = end_index(oh, g->OH, g->H);
        *w0 = start_index(ow, g->OW, g->W);
        *w1 = end_index(ow, g->OW, g->W);
        return;
    }
    *h0 = oh * g->sh - g->ph;
    *w0 = ow * g->sw - g->pw;
    *h1 = min64(*h0 + (g->kh - 1) * g->dh + 1, g->H);
    *w1 = min64(*w0 + (g->kw - 1) * g->dw + 1, g->W);
    while (*h0 < 0) *h0 += g->dh;
    while (*w0 < 0) *w0 += g->dw;
}

#define DEF_MAX(NAME, T)                                                                                  \
    static void NAME(const PoolGeom *g, bool adaptive, const T *x, T *out, int64_t *idx) {              \
        int64_t dh = adaptive ? 1 : g->dh, dw = adaptive ? 1 : g->dw;                                    \
        for (int64_t p = 0; p < g->planes; p++) {                                                        \
            const T *xp = x + p * g->H * g->W;                                                           \
            for (int64_t oh = 0; oh < g->OH; oh++) {                                                     \
                for (int64_t ow = 0; ow < g->OW; ow++) {                                                 \
                    int64_t h0, h1, w0, w1;                                                              \
                    max_window(g, adaptive, oh, ow, &h0, &h1, &w0, &w1);                                 \
                    int64_t mi = h0 * g->W + w0;                                                         \
                    T mv = -INFINITY;                                                                    \
                    for (int64_t ih = h0; ih < h1; ih += dh)                                             \
                        for (int64_t iw = w0; iw < w1; iw += dw) {                                       \
                            int64_t i = ih * g->W + iw;                                                  \
                            T v = xp[i];                                                                 \
                            if (v > mv || isnan(v)) {                                                    \
                                mv = v;                                                                  \
                                mi = i;                                                                  \
                            }                                                                            \
                        }                                                                                \
                    int64_t o = (p * g->OH + oh) * g->OW + ow;                                           \
                    out[o] = mv;                                                                         \
                    idx[o] = mi;                                                                         \
                }                                                                                        \
            }                                                                                            \
        }                                                                                                \
    }
DEF_MAX(max_f, float)
DEF_MAX(max_d, double)

static KernelStatus max_any(DType dt, const PoolGeom *g, bool adaptive, const void *x, void *out, int64_t *idx) {
    if (dt == DT_FLOAT32) max_f(g, adaptive, x, out, idx);
    else if (dt == DT_FLOAT64) max_d(g, adaptive, x, out, idx);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

KernelStatus kernel_max_pool2d(DType dt, const PoolGeom *g, const void *x, void *out, int64_t *idx) {
    return max_any(dt, g, false, x, out, idx);
}

KernelStatus kernel_adaptive_max_pool2d(DType dt, const PoolGeom *g, const void *x, void *out, int64_t *idx) {
    return max_any(dt, g, true, x, out, idx);
}

#define DEF_MAX_BW(NAME, T)                                                                               \
    static void NAME(const PoolGeom *g, const T *gout, const int64_t *idx, T *gin) {                    \
        int64_t L = g->OH * g->OW;                                                                       \
        for (int64_t p = 0; p < g->planes; p++)                                                          \
            for (int64_t o = 0; o < L; o++) gin[p * g->H * g->W + idx[p * L + o]] += gout[p * L + o];    \
    }
DEF_MAX_BW(max_bw_f, float)
DEF_MAX_BW(max_bw_d, double)

KernelStatus kernel_max_pool2d_backward(DType dt, const PoolGeom *g, const void *gout, const int64_t *idx, void *gin) {
    if (dt == DT_FLOAT32) max_bw_f(g, gout, idx, gin);
    else if (dt == DT_FLOAT64) max_bw_d(g, gout, idx, gin);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

/* the average window of (oh, ow), clipped; *div its divisor; false when empty */
static bool avg_window(const PoolGeom *g, int64_t oh, int64_t ow, int64_t *h0, int64_t *h1, int64_t *w0, int64_t *w1,
                       int64_t *div) {
    *h0 = oh * g->sh - g->ph;
    *w0 = ow * g->sw - g->pw;
    *h1 = min64(*h0 + g->kh, g->H + g->ph);
    *w1 = min64(*w0 + g->kw, g->W + g->pw);
    int64_t pool_size = (*h1 - *h0) * (*w1 - *w0);
    *h0 = max64(*h0, 0);
    *w0 = max64(*w0, 0);
    *h1 = min64(*h1, g->H);
    *w1 = min64(*w1, g->W);
    if (*h0 >= *h1 || *w0 >= *w1) return false;
    *div = g->divisor ? g->divisor : g->count_include_pad ? pool_size : (*h1 - *h0) * (*w1 - *w0);
    return true;
}

#define DEF_AVG(NAME, T)                                                                                  \
    static void NAME(const PoolGeom *g, const T *x, T *out) {                                           \
        for (int64_t p = 0; p < g->planes; p++) {                                                        \
            const T *xp = x + p * g->H * g->W;                                                           \
            for (int64_t oh = 0; oh < g->OH; oh++)                                                       \
                for (int64_t ow = 0; ow < g->OW; ow++) {                                                 \
                    int64_t h0, h1, w0, w1, div = 1, o = (p * g->OH + oh) * g->OW + ow;                  \
                    if (!avg_window(g, oh, ow, &h0, &h1, &w0, &w1, &div)) {                              \
                        out[o] = 0;                                                                      \
                        continue;                                                                        \
                    }                                                                                    \
                    T sum = 0;                                                                           \
                    for (int64_t ih = h0; ih < h1; ih++)                                                 \
                        for (int64_t iw = w0; iw < w1; iw++) sum += xp[ih * g->W + iw];                  \
                    out[o] = sum / (T)div;                                                               \
                }                                                                                        \
        }                                                                                                \
    }
DEF_AVG(avg_f, float)
DEF_AVG(avg_d, double)
DEF_AVG(avg_l, int64_t)

KernelStatus kernel_avg_pool2d(DType dt, const PoolGeom *g, const void *x, void *out) {
    if (dt == DT_FLOAT32) avg_f(g, x, out);
    else if (dt == DT_FLOAT64) avg_d(g, x, out);
    else if (dt == DT_INT64) avg_l(g, x, out);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

#define DEF_AVG_BW(NAME, T)                                                                               \
    static void NAME(const PoolGeom *g, const T *gout, T *gin) {                                        \
        for (int64_t p = 0; p < g->planes; p++) {                                                        \
            T *gp = gin + p * g->H * g->W;                                                               \
            for (int64_t oh = 0; oh < g->OH; oh++)                                                       \
                for (int64_t ow = 0; ow < g->OW; ow++) {                                                 \
                    int64_t h0, h1, w0, w1, div = 1;                                                     \
                    if (!avg_window(g, oh, ow, &h0, &h1, &w0, &w1, &div)) continue;                      \
                    T d = gout[(p * g->OH + oh) * g->OW + ow] / (T)div;                                  \
                    for (int64_t ih = h0; ih < h1; ih++)                                                 \
                        for (int64_t iw = w0; iw < w1; iw++) gp[ih * g->W + iw] += d;                    \
                }                                                                                        \
        }                                                                                                \
    }
DEF_AVG_BW(avg_bw_f, float)
DEF_AVG_BW(avg_bw_d, double)

KernelStatus kernel_avg_pool2d_backward(DType dt, const PoolGeom *g, const void *gout, void *gin) {
    if (dt == DT_FLOAT32) avg_bw_f(g, gout, gin);
    else if (dt == DT_FLOAT64) avg_bw_d(g, gout, gin);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

#define DEF_AAVG(NAME, T, BW)                                                                             \
    static void NAME(const PoolGeom *g, const T *in, T *res) {                                          \
        for (int64_t p = 0; p < g->planes; p++)                                                          \
            for (int64_t oh = 0; oh < g->OH; oh++) {                                                     \
                int64_t h0 = start_index(oh, g->OH, g->H), h1 = end_index(oh, g->OH, g->H);             \
                for (int64_t ow = 0; ow < g->OW; ow++) {                                                 \
                    int64_t w0 = start_index(ow, g->OW, g->W), w1 = end_index(ow, g->OW, g->W);         \
                    int64_t kh = h1 - h0, kw = w1 - w0, o = (p * g->OH + oh) * g->OW + ow;               \
                    if (BW) {                                                                            \
                        T d = in[o] / (T)kh / (T)kw;                                                     \
                        for (int64_t ih = h0; ih < h1; ih++)                                             \
                            for (int64_t iw = w0; iw < w1; iw++) res[(p * g->H + ih) * g->W + iw] += d;  \
                    } else {                                                                             \
                        T sum = 0;                                                                       \
                        for (int64_t ih = h0; ih < h1; ih++)                                             \
                            for (int64_t iw = w0; iw < w1; iw++) sum += in[(p * g->H + ih) * g->W + iw]; \
                        res[o] = sum / (T)kh / (T)kw;                                                    \
                    }                                                                                    \
                }                                                                                        \
            }                                                                                            \
    }
DEF_AAVG(aavg_f, float, 0)
DEF_AAVG(aavg_d, double, 0)
DEF_AAVG(aavg_bw_f, float, 1)
DEF_AAVG(aavg_bw_d, double, 1)

KernelStatus kernel_adaptive_avg_pool2d(DType dt, const PoolGeom *g, const void *x, void *out) {
    if (dt == DT_FLOAT32) aavg_f(g, x, out);
    else if (dt == DT_FLOAT64) aavg_d(g, x, out);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

KernelStatus kernel_adaptive_avg_pool2d_backward(DType dt, const PoolGeom *g, const void *gout, void *gin) {
    if (dt == DT_FLOAT32) aavg_bw_f(g, gout, gin);
    else if (dt == DT_FLOAT64) aavg_bw_d(g, gout, gin);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}
