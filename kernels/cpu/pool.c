/* pool.c: max, average and adaptive pooling (pool.h). */
#include "pool.h"

#include <math.h>

#include "dtype.h"

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t start_index(int64_t o, int64_t osz, int64_t isz) { return (o * isz) / osz; }
static int64_t end_index(int64_t o, int64_t osz, int64_t isz) { return ((o + 1) * isz + osz - 1) / osz; }

/* One dim of a window: [*i0, *i1) (and the dilation step) of output o */
static void max_range(bool adaptive, int64_t o, int64_t osz, int64_t isz, int64_t k, int64_t st, int64_t pad,
                      int64_t dil, int64_t *i0, int64_t *i1) {
    if (adaptive) {
        *i0 = start_index(o, osz, isz);
        *i1 = end_index(o, osz, isz);
        return;
    }
    *i0 = o * st - pad;
    *i1 = min64(*i0 + (k - 1) * dil + 1, isz);
    while (*i0 < 0) *i0 += dil;
}

#define DEF_MAX(NAME, T)                                                                                  \
    static void NAME(const PoolGeom *g, bool adaptive, const T *x, T *out, int64_t *idx) {              \
        int64_t dd = adaptive ? 1 : g->dd, dh = adaptive ? 1 : g->dh, dw = adaptive ? 1 : g->dw;         \
        int64_t HW = g->H * g->W;                                                                        \
        int64_t o = 0;                                                                                   \
        for (int64_t p = 0; p < g->planes; p++) {                                                        \
            const T *xp = x + p * g->D * HW;                                                             \
            for (int64_t od = 0; od < g->OD; od++) {                                                     \
                int64_t d0, d1;                                                                          \
                max_range(adaptive, od, g->OD, g->D, g->kd, g->sd, g->pd, g->dd, &d0, &d1);              \
                for (int64_t oh = 0; oh < g->OH; oh++) {                                                 \
                    int64_t h0, h1;                                                                      \
                    max_range(adaptive, oh, g->OH, g->H, g->kh, g->sh, g->ph, g->dh, &h0, &h1);          \
                    for (int64_t ow = 0; ow < g->OW; ow++, o++) {                                        \
                        int64_t w0, w1;                                                                  \
                        max_range(adaptive, ow, g->OW, g->W, g->kw, g->sw, g->pw, g->dw, &w0, &w1);      \
                        int64_t mi = d0 * HW + h0 * g->W + w0;                                           \
                        T mv = -INFINITY;                                                                \
                        for (int64_t id = d0; id < d1; id += dd)                                         \
                            for (int64_t ih = h0; ih < h1; ih += dh)                                     \
                                for (int64_t iw = w0; iw < w1; iw += dw) {                               \
                                    int64_t i = id * HW + ih * g->W + iw;                                \
                                    T v = xp[i];                                                         \
                                    if (v > mv || isnan(v)) {                                            \
                                        mv = v;                                                          \
                                        mi = i;                                                          \
                                    }                                                                    \
                                }                                                                        \
                        out[o] = mv;                                                                     \
                        idx[o] = mi;                                                                     \
                    }                                                                                    \
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
        int64_t L = g->OD * g->OH * g->OW, V = g->D * g->H * g->W;                                      \
        for (int64_t p = 0; p < g->planes; p++)                                                          \
            for (int64_t o = 0; o < L; o++) gin[p * V + idx[p * L + o]] += gout[p * L + o];              \
    }
DEF_MAX_BW(max_bw_f, float)
DEF_MAX_BW(max_bw_d, double)

/* ---- bfloat16 and float16: ATen's loops on c10::BFloat16 / c10::Half,
 * each operation computed in float and rounded to the dtype ---- */
static float rnd(DType dt, float v) {
    return dt == DT_BFLOAT16 ? bf16_to_float(float_to_bf16(v)) : half_to_float(float_to_half(v));
}
static float ld(DType dt, const void *p, int64_t i) {
    return dt == DT_BFLOAT16 ? bf16_to_float(((const tsr_bfloat16 *)p)[i]) : half_to_float(((const tsr_half *)p)[i]);
}
static void st(DType dt, void *p, int64_t i, float v) {
    if (dt == DT_BFLOAT16) ((tsr_bfloat16 *)p)[i] = float_to_bf16(v);
    else ((tsr_half *)p)[i] = float_to_half(v);
}
static bool reduced(DType dt) { return dt == DT_BFLOAT16 || dt == DT_FLOAT16; }

KernelStatus kernel_max_pool2d_backward(DType dt, const PoolGeom *g, const void *gout, const int64_t *idx, void *gin) {
    if (dt == DT_FLOAT32) max_bw_f(g, gout, idx, gin);
    else if (dt == DT_FLOAT64) max_bw_d(g, gout, idx, gin);
    else if (reduced(dt)) { /* grad_input[maxindex] += grad_output */
        int64_t L = g->OD * g->OH * g->OW, V = g->D * g->H * g->W;
        for (int64_t p = 0; p < g->planes; p++)
            for (int64_t o = 0; o < L; o++) {
                int64_t i = p * V + idx[p * L + o];
                st(dt, gin, i, ld(dt, gin, i) + ld(dt, gout, p * L + o));
            }
    } else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

/* One dim of the average window of output o, clipped to the input:
 * [*i0, *i1); returns the size of the window clipped to the padded input
 * (count_include_pad's count) */
static int64_t avg_range(int64_t o, int64_t isz, int64_t k, int64_t st, int64_t pad, int64_t *i0, int64_t *i1) {
    int64_t a = o * st - pad, b = min64(a + k, isz + pad), n = b - a;
    *i0 = max64(a, 0);
    *i1 = min64(b, isz);
    return n;
}

/* the average window of output (od, oh, ow), clipped; *div its divisor;
 * false when empty */
static bool avg_window(const PoolGeom *g, int64_t od, int64_t oh, int64_t ow, int64_t r[6], int64_t *div) {
    int64_t pool_size = avg_range(od, g->D, g->kd, g->sd, g->pd, &r[0], &r[1]) *
                        avg_range(oh, g->H, g->kh, g->sh, g->ph, &r[2], &r[3]) *
                        avg_range(ow, g->W, g->kw, g->sw, g->pw, &r[4], &r[5]);
    if (r[0] >= r[1] || r[2] >= r[3] || r[4] >= r[5]) return false;
    *div = g->divisor ? g->divisor
                      : g->count_include_pad ? pool_size : (r[1] - r[0]) * (r[3] - r[2]) * (r[5] - r[4]);
    return true;
}

/* the loops over the planes' outputs and, BODY, one window r */
#define AVG_LOOPS(BODY)                                                                                   \
    int64_t HW = g->H * g->W, V = g->D * HW, o = 0;                                                      \
    for (int64_t p = 0; p < g->planes; p++)                                                              \
        for (int64_t od = 0; od < g->OD; od++)                                                           \
            for (int64_t oh = 0; oh < g->OH; oh++)                                                       \
                for (int64_t ow = 0; ow < g->OW; ow++, o++) {                                            \
                    int64_t r[6], div = 1;                                                               \
                    bool any = avg_window(g, od, oh, ow, r, &div);                                       \
                    BODY                                                                                 \
                }

#define DEF_AVG(NAME, T)                                                                                  \
    static void NAME(const PoolGeom *g, const T *x, T *out) {                                           \
        AVG_LOOPS(if (!any) {                                                                            \
            out[o] = 0;                                                                                  \
            continue;                                                                                    \
        } T sum = 0;                                                                                     \
                  for (int64_t id = r[0]; id < r[1]; id++) for (int64_t ih = r[2]; ih < r[3]; ih++)      \
                      for (int64_t iw = r[4]; iw < r[5]; iw++) sum += x[p * V + id * HW + ih * g->W + iw]; \
                  out[o] = sum / (T)div;)                                                                \
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
        AVG_LOOPS(if (!any) continue; T d = gout[o] / (T)div;                                            \
                  for (int64_t id = r[0]; id < r[1]; id++) for (int64_t ih = r[2]; ih < r[3]; ih++)      \
                      for (int64_t iw = r[4]; iw < r[5]; iw++) gin[p * V + id * HW + ih * g->W + iw] += d;) \
    }
DEF_AVG_BW(avg_bw_f, float)
DEF_AVG_BW(avg_bw_d, double)

/* grad_delta = grad_output / divide_factor, added to each input of the
 * window, in the dtype */
static void avg_bw_reduced(DType dt, const PoolGeom *g, const void *gout, void *gin) {
    AVG_LOOPS(if (!any) continue; float d = rnd(dt, ld(dt, gout, o) / (float)div);
              for (int64_t id = r[0]; id < r[1]; id++) for (int64_t ih = r[2]; ih < r[3]; ih++)
                  for (int64_t iw = r[4]; iw < r[5]; iw++) {
                      int64_t i = p * V + id * HW + ih * g->W + iw;
                      st(dt, gin, i, ld(dt, gin, i) + d);
                  })
}

KernelStatus kernel_avg_pool2d_backward(DType dt, const PoolGeom *g, const void *gout, void *gin) {
    if (dt == DT_FLOAT32) avg_bw_f(g, gout, gin);
    else if (dt == DT_FLOAT64) avg_bw_d(g, gout, gin);
    else if (reduced(dt)) avg_bw_reduced(dt, g, gout, gin);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

#define DEF_AAVG(NAME, T, BW)                                                                             \
    static void NAME(const PoolGeom *g, const T *in, T *res) {                                          \
        int64_t HW = g->H * g->W, V = g->D * HW, o = 0;                                                  \
        for (int64_t p = 0; p < g->planes; p++)                                                          \
            for (int64_t od = 0; od < g->OD; od++) {                                                     \
                int64_t d0 = start_index(od, g->OD, g->D), d1 = end_index(od, g->OD, g->D);             \
                for (int64_t oh = 0; oh < g->OH; oh++) {                                                 \
                    int64_t h0 = start_index(oh, g->OH, g->H), h1 = end_index(oh, g->OH, g->H);         \
                    for (int64_t ow = 0; ow < g->OW; ow++, o++) {                                        \
                        int64_t w0 = start_index(ow, g->OW, g->W), w1 = end_index(ow, g->OW, g->W);     \
                        int64_t kd = d1 - d0, kh = h1 - h0, kw = w1 - w0;                                \
                        const T *ip = BW ? NULL : in + p * V;                                            \
                        T *rp = BW ? res + p * V : NULL;                                                 \
                        if (BW) {                                                                        \
                            T d = in[o] / (T)kd / (T)kh / (T)kw; /* / 1 is exact: 2-d as 3-d */         \
                            for (int64_t id = d0; id < d1; id++)                                         \
                                for (int64_t ih = h0; ih < h1; ih++)                                     \
                                    for (int64_t iw = w0; iw < w1; iw++) rp[id * HW + ih * g->W + iw] += d; \
                        } else {                                                                         \
                            T sum = 0;                                                                   \
                            for (int64_t id = d0; id < d1; id++)                                         \
                                for (int64_t ih = h0; ih < h1; ih++)                                     \
                                    for (int64_t iw = w0; iw < w1; iw++) sum += ip[id * HW + ih * g->W + iw]; \
                            res[o] = sum / (T)kd / (T)kh / (T)kw;                                         \
                        }                                                                                \
                    }                                                                                    \
                }                                                                                        \
            }                                                                                            \
    }
DEF_AAVG(aavg_f, float, 0)
DEF_AAVG(aavg_d, double, 0)
DEF_AAVG(aavg_bw_f, float, 1)
DEF_AAVG(aavg_bw_d, double, 1)

/* adaptive average pooling in the dtype: the 3-d loops sum in it
 * (adaptive_avg_pool3d_out_frame<Half>), every division rounds; the 2-d
 * backward's grad_output / kh / kw too (its forward sums in float: the op
 * layer runs the float kernel) */
static void aavg_reduced(DType dt, const PoolGeom *g, const void *in, void *res, bool bw) {
    int64_t HW = g->H * g->W, V = g->D * HW, o = 0;
    bool three = g->D > 1 || g->OD > 1 || g->kd > 1;
    for (int64_t p = 0; p < g->planes; p++)
        for (int64_t od = 0; od < g->OD; od++) {
            int64_t d0 = start_index(od, g->OD, g->D), d1 = end_index(od, g->OD, g->D);
            for (int64_t oh = 0; oh < g->OH; oh++) {
                int64_t h0 = start_index(oh, g->OH, g->H), h1 = end_index(oh, g->OH, g->H);
                for (int64_t ow = 0; ow < g->OW; ow++, o++) {
                    int64_t w0 = start_index(ow, g->OW, g->W), w1 = end_index(ow, g->OW, g->W);
                    float kd = (float)(d1 - d0), kh = (float)(h1 - h0), kw = (float)(w1 - w0);
                    if (bw) {
                        float d = ld(dt, in, o);
                        if (three) d = rnd(dt, d / kd);
                        d = rnd(dt, rnd(dt, d / kh) / kw);
                        for (int64_t id = d0; id < d1; id++)
                            for (int64_t ih = h0; ih < h1; ih++)
                                for (int64_t iw = w0; iw < w1; iw++) {
                                    int64_t i = p * V + id * HW + ih * g->W + iw;
                                    st(dt, res, i, ld(dt, res, i) + d);
                                }
                    } else {
                        float sum = 0;
                        for (int64_t id = d0; id < d1; id++)
                            for (int64_t ih = h0; ih < h1; ih++)
                                for (int64_t iw = w0; iw < w1; iw++)
                                    sum = rnd(dt, sum + ld(dt, in, p * V + id * HW + ih * g->W + iw));
                        st(dt, res, o, rnd(dt, rnd(dt, sum / kd) / kh) / kw);
                    }
                }
            }
        }
}

KernelStatus kernel_adaptive_avg_pool2d(DType dt, const PoolGeom *g, const void *x, void *out) {
    if (dt == DT_FLOAT32) aavg_f(g, x, out);
    else if (dt == DT_FLOAT64) aavg_d(g, x, out);
    else if (reduced(dt)) aavg_reduced(dt, g, x, out, false);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

KernelStatus kernel_adaptive_avg_pool2d_backward(DType dt, const PoolGeom *g, const void *gout, void *gin) {
    if (dt == DT_FLOAT32) aavg_bw_f(g, gout, gin);
    else if (dt == DT_FLOAT64) aavg_bw_d(g, gout, gin);
    else if (reduced(dt)) aavg_reduced(dt, g, gout, gin, true);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}

/* ------------------------------------------------ fractional max pooling */

/* static_cast<int> of a float as x86 gives it: out of range (and NaN)
 * become INT_MIN */
static inline int64_t frac_trunc(double v) {
    return v == v && v > -2147483649.0 && v < 2147483648.0 ? (int64_t)(int)v : (int64_t)INT32_MIN;
}

/* ATen's generate_intervals, element i of the sequence, computed in T_ */
#define DEF_FRAC_START(NAME, T_)                                                              \
    static int64_t NAME(T_ sample, int64_t in, int64_t out, int64_t k, int64_t i) {           \
        if (i == out - 1) return in - k;                                                      \
        T_ alpha = (T_)(in - k) / (T_)(out - 1);                                              \
        return frac_trunc((double)(((T_)i + sample) * alpha)) - frac_trunc((double)(sample * alpha)); \
    }
DEF_FRAC_START(frac_start_f, float)
DEF_FRAC_START(frac_start_d, double)

/* samples: per plane dims values (2-d: W then H; 3-d: T, H, W) */
#define DEF_FRAC(NAME, T_, START)                                                                             \
    static KernelStatus NAME(const PoolGeom *g, int dims, const T_ *x, const T_ *smp, T_ *out, int64_t *idx) { \
        int64_t L = g->OD * g->OH * g->OW, V = g->D * g->H * g->W;                                          \
        for (int64_t p = 0; p < g->planes; p++) {                                                            \
            const T_ *s = smp + p * dims;                                                                    \
            T_ sd = dims == 3 ? s[0] : 0, sh = dims == 3 ? s[1] : s[1], sw = dims == 3 ? s[2] : s[0];       \
            const T_ *xp = x + p * V;                                                                        \
            for (int64_t od = 0; od < g->OD; od++) {                                                         \
                int64_t d0 = dims == 3 ? START(sd, g->D, g->OD, g->kd, od) : 0;                              \
                for (int64_t oh = 0; oh < g->OH; oh++) {                                                     \
                    int64_t h0 = START(sh, g->H, g->OH, g->kh, oh);                                          \
                    for (int64_t ow = 0; ow < g->OW; ow++) {                                                 \
                        int64_t w0 = START(sw, g->W, g->OW, g->kw, ow);                                      \
                        T_ mx = -(T_)INFINITY;                                                               \
                        int64_t mi = (d0 * g->H + h0) * g->W + w0;                                           \
                        for (int64_t d = d0; d < d0 + g->kd; d++)                                            \
                            for (int64_t h = h0; h < h0 + g->kh; h++)                                        \
                                for (int64_t w = w0; w < w0 + g->kw; w++) {                                  \
                                    if (d < 0 || d >= g->D || h < 0 || h >= g->H || w < 0 || w >= g->W)      \
                                        return KERNEL_INDEX_OUT_OF_RANGE;                                    \
                                    int64_t pi = (d * g->H + h) * g->W + w;                                  \
                                    T_ v = xp[pi];                                                           \
                                    if (v > mx || v != v) {                                                  \
                                        mx = v;                                                              \
                                        mi = pi;                                                             \
                                    }                                                                        \
                                }                                                                            \
                        int64_t o = p * L + (od * g->OH + oh) * g->OW + ow;                                  \
                        out[o] = mx;                                                                         \
                        idx[o] = mi;                                                                         \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
        return KERNEL_OK;                                                                                    \
    }
DEF_FRAC(frac_f, float, frac_start_f)
DEF_FRAC(frac_d, double, frac_start_d)

KernelStatus kernel_fractional_max_pool(DType dt, const PoolGeom *g, int dims, const void *x, const void *samples,
                                        void *out, int64_t *idx) {
    if (dt == DT_FLOAT32) return frac_f(g, dims, x, samples, out, idx);
    if (dt == DT_FLOAT64) return frac_d(g, dims, x, samples, out, idx);
    return KERNEL_UNSUPPORTED;
}
