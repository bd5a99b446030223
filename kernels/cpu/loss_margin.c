/* loss_margin.c: multi_margin_loss and multilabel_margin_loss loops
 * (loss_margin.h), written once per dtype by a macro: T the element type,
 * ACC at::acc_type<T, false> (double for both). */
#include "loss_margin.h"

#define DEF_MARGIN(SUF, T)                                                                          \
    static T multi_inner_##SUF(const MarginGeom *g, const T *x, const T *w, int64_t ti) {           \
        T xt = x[ti], m = (T)g->margin, sum = 0;                                                    \
        for (int64_t d = 0; d < g->dim; d++) {                                                      \
            if (d == ti) continue;                                                                  \
            T z = m - xt + x[d];                                                                    \
            if (z > 0) {                                                                            \
                T h = g->p == 1 ? z : z * z;                                                        \
                if (w) h *= w[ti];                                                                  \
                sum += h;                                                                           \
            }                                                                                       \
        }                                                                                           \
        sum /= (T)g->dim;                                                                           \
        return sum;                                                                                 \
    }                                                                                               \
    static void multi_fwd_##SUF(const MarginGeom *g, const T *x, const int64_t *t, const T *w, T *out) { \
        if (g->per_frame) {                                                                         \
            for (int64_t f = 0; f < g->nframe; f++) out[f] = multi_inner_##SUF(g, x + f * g->dim, w, t[f]); \
            return;                                                                                 \
        }                                                                                           \
        double sum = 0;                                                                             \
        for (int64_t f = 0; f < g->nframe; f++) sum += multi_inner_##SUF(g, x + f * g->dim, w, t[f]); \
        if (g->mean) sum /= (double)g->nframe;                                                      \
        out[0] = (T)sum;                                                                            \
    }                                                                                               \
    static void multi_bwd_##SUF(const MarginGeom *g, const T *x, const int64_t *t, const T *w, const T *go, \
                                T *gin) {                                                           \
        int64_t n = g->nframe, dim = g->dim;                                                        \
        T gs = (T)(g->mean ? 1. / (double)(n * dim) : 1. / (double)dim), m = (T)g->margin;           \
        for (int64_t f = 0; f < n; f++) {                                                           \
            const T *xr = x + f * dim;                                                              \
            T *gr = gin + f * dim, xt = xr[t[f]], gt = 0;                                           \
            for (int64_t d = 0; d < dim; d++) {                                                     \
                T z = m - xt + xr[d];                                                               \
                if (d == t[f]) continue;                                                            \
                if (z > 0) {                                                                        \
                    T h = g->p == 1 ? gs : 2 * gs * z;                                              \
                    if (w) h *= w[t[f]];                                                            \
                    gt -= h;                                                                        \
                    gr[d] = h;                                                                      \
                } else {                                                                            \
                    gr[d] = 0;                                                                      \
                }                                                                                   \
            }                                                                                       \
            gr[t[f]] = gt;                                                                          \
        }                                                                                           \
        for (int64_t f = 0; f < n; f++)                                                             \
            for (int64_t d = 0; d < dim; d++) gin[f * dim + d] *= g->per_frame ? go[f] : go[0];     \
    }                                                                                               \
    static T label_inner_##SUF(int64_t dim, const T *x, const int64_t *t, T *is_t) {           \
        double sum = 0;                                                                             \
        for (int64_t k = 0; k < dim && t[k] >= 0; k++) is_t[t[k]] = 1;                              \
        for (int64_t k = 0; k < dim && t[k] >= 0; k++) {                                            \
            T xt = x[t[k]];                                                                         \
            for (int64_t d = 0; d < dim; d++)                                                       \
                if (!is_t[d]) {                                                                     \
                    T z = 1 - xt + x[d];                                                            \
                    if (z > 0) sum += z;                                                            \
                }                                                                                   \
        }                                                                                           \
        return (T)sum; /* the inner sum returns scalar_t */                                         \
    }                                                                                               \
    static void label_fwd_##SUF(const MarginGeom *g, const T *x, const int64_t *t, T *is_t, T *out) { \
        int64_t dim = g->dim;                                                                       \
        if (g->per_frame) {                                                                         \
            for (int64_t f = 0; f < g->nframe; f++) {                                               \
                T sum = label_inner_##SUF(dim, x + f * dim, t + f * dim, is_t + f * dim);         \
                sum /= (T)dim;                                                                      \
                out[f] = sum;                                                                       \
            }                                                                                       \
            return;                                                                                 \
        }                                                                                           \
        double sum = 0;                                                                             \
        for (int64_t f = 0; f < g->nframe; f++)                                                     \
            sum += label_inner_##SUF(dim, x + f * dim, t + f * dim, is_t + f * dim);                \
        sum /= (double)dim;                                                                         \
        if (g->mean) sum /= (double)g->nframe;                                                      \
        out[0] = (T)sum;                                                                            \
    }                                                                                               \
    static void label_bwd_##SUF(const MarginGeom *g, const T *x, const int64_t *t, const T *is_t,   \
                                const T *go, T *gin) {                                              \
        int64_t n = g->nframe, dim = g->dim;                                                        \
        T gs = (T)(g->mean ? 1. / (double)(n * dim) : 1. / (double)dim);                            \
        for (int64_t f = 0; f < n; f++) {                                                           \
            const T *xr = x + f * dim, *ir = is_t + f * dim;                                        \
            const int64_t *tr = t + f * dim;                                                        \
            T *gr = gin + f * dim;                                                                  \
            for (int64_t k = 0; k < dim && tr[k] >= 0; k++) {                                       \
                T xt = xr[tr[k]];                                                                   \
                for (int64_t d = 0; d < dim; d++)                                                   \
                    if (!ir[d]) {                                                                   \
                        T z = 1 - xt + xr[d];                                                       \
                        if (z > 0) {                                                                \
                            gr[tr[k]] -= gs;                                                        \
                            gr[d] += gs;                                                            \
                        }                                                                           \
                    }                                                                               \
            }                                                                                       \
        }                                                                                           \
        for (int64_t f = 0; f < n; f++)                                                             \
            for (int64_t d = 0; d < dim; d++) gin[f * dim + d] *= g->per_frame ? go[f] : go[0];     \
    }

DEF_MARGIN(f32, float)
DEF_MARGIN(f64, double)

void kernel_multi_margin_loss(DType dt, const MarginGeom *g, const void *x, const int64_t *target,
                              const void *weight, void *out) {
    if (dt == DT_FLOAT32) multi_fwd_f32(g, x, target, weight, out);
    else multi_fwd_f64(g, x, target, weight, out);
}

void kernel_multi_margin_loss_backward(DType dt, const MarginGeom *g, const void *x, const int64_t *target,
                                       const void *weight, const void *gout, void *gin) {
    if (dt == DT_FLOAT32) multi_bwd_f32(g, x, target, weight, gout, gin);
    else multi_bwd_f64(g, x, target, weight, gout, gin);
}

void kernel_multilabel_margin_loss(DType dt, const MarginGeom *g, const void *x, const int64_t *target,
                                   void *is_target, void *out) {
    if (dt == DT_FLOAT32) label_fwd_f32(g, x, target, is_target, out);
    else label_fwd_f64(g, x, target, is_target, out);
}

void kernel_multilabel_margin_loss_backward(DType dt, const MarginGeom *g, const void *x, const int64_t *target,
                                            const void *is_target, const void *gout, void *gin) {
    if (dt == DT_FLOAT32) label_bwd_f32(g, x, target, is_target, gout, gin);
    else label_bwd_f64(g, x, target, is_target, gout, gin);
}
