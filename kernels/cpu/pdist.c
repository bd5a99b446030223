/* pdist.c: _pdist_forward / _pdist_backward loops (pdist.h), written once
 * per dtype by a macro: T the element type, W the lanes of ATen's vector
 * (8 floats, 4 doubles), FMA / POW / SQRT / CEIL the libm functions. */
#include <math.h>
#include <string.h>

#include "pdist.h"

enum { PD_ZERO, PD_ONE, PD_TWO, PD_INF, PD_GEN };

static int pdist_kind(double p) {
    return p == 0.0 ? PD_ZERO : p == 1.0 ? PD_ONE : p == 2.0 ? PD_TWO : isinf(p) ? PD_INF : PD_GEN;
}

#define DEF_PDIST(SUF, T, W, FMA, POW, SQRT, CEIL, FABS)                                              \
    static T max_##SUF(T a, T b) { return (a != a || b != b) ? (T)NAN : a > b ? a : b; }             \
    /* map(|a - b|) */                                                                            \
    static T map_##SUF(int kind, T d, T p) {                                                      \
        switch (kind) {                                                                           \
        case PD_ZERO: { T c = CEIL(d); return c < 1 ? c : 1; }                                    \
        case PD_GEN: return POW(d, p);                                                            \
        default: return d;                                                                        \
        }                                                                                         \
    }                                                                                             \
    /* red(acc, map(d)), the p = 2 product fused into the add */                                  \
    static T step_##SUF(int kind, T acc, T d, T p) {                                              \
        if (kind == PD_TWO) return FMA(d, d, acc);                                                \
        if (kind == PD_INF) return max_##SUF(acc, d);                                             \
        return acc + map_##SUF(kind, d, p);                                                       \
    }                                                                                             \
    static T red_##SUF(int kind, T a, T b) { return kind == PD_INF ? max_##SUF(a, b) : a + b; }    \
    static T row_##SUF(int kind, const T *a, const T *b, int64_t m, T p) {                         \
        T acc[W];                                                                                 \
        if (m < W) {                                                                              \
            for (int64_t k = 0; k < m; k++) {                                                     \
                T d = FABS(a[k] - b[k]);                                                          \
                acc[k] = kind == PD_TWO ? d * d : map_##SUF(kind, d, p);                          \
            }                                                                                     \
            T r = m > 0 ? acc[0] : 0;                                                             \
            for (int64_t k = 1; k < m; k++) r = red_##SUF(kind, r, acc[k]);                       \
            return r;                                                                             \
        }                                                                                         \
        for (int k = 0; k < W; k++) {                                                             \
            T d = FABS(a[k] - b[k]);                                                              \
            acc[k] = kind == PD_TWO ? d * d : map_##SUF(kind, d, p);                              \
        }                                                                                         \
        int64_t j = W;                                                                            \
        for (; j < m - m % W; j += W)                                                             \
            for (int k = 0; k < W; k++) acc[k] = step_##SUF(kind, acc[k], FABS(a[j + k] - b[j + k]), p); \
        for (int64_t k = 0; j + k < m; k++) acc[k] = step_##SUF(kind, acc[k], FABS(a[j + k] - b[j + k]), p); \
        if (W == 8) { /* VecReduceAllSIMD<float>: halves, quarters, pairs */                      \
            for (int step = W / 2; step >= 1; step /= 2) {                                        \
                T nx[W];                                                                          \
                for (int k = 0; k < W; k++) nx[k] = red_##SUF(kind, acc[k], acc[k ^ step]);       \
                memcpy(acc, nx, sizeof nx);                                                       \
            }                                                                                     \
            return acc[0];                                                                        \
        }                                                                                         \
        T r = acc[0];                                                                             \
        for (int k = 1; k < W; k++) r = red_##SUF(kind, r, acc[k]);                               \
        return r;                                                                                 \
    }                                                                                             \
    static void fwd_##SUF(const T *x, int64_t n, int64_t m, double pd, T *out) {                  \
        int kind = pdist_kind(pd);                                                                \
        T p = (T)pd;                                                                              \
        int64_t k = 0;                                                                            \
        for (int64_t i = 0; i < n; i++)                                                           \
            for (int64_t j = i + 1; j < n; j++, k++) {                                            \
                T agg = row_##SUF(kind, x + i * m, x + j * m, m, p);                              \
                out[k] = kind == PD_TWO ? SQRT(agg) : kind == PD_GEN ? (T)pow(agg, 1.0 / p) : agg; \
            }                                                                                     \
    }                                                                                             \
    static T sign_##SUF(T v) {                                                                    \
        T c = CEIL(v), f = floor(v);                                                              \
        T hi = c > 0 ? c : 0, lo = f < 0 ? f : 0;                                                 \
        return (hi < 1 ? hi : 1) + (lo > -1 ? lo : -1);                                           \
    }                                                                                             \
    static T bwd1_##SUF(int kind, T diff, T grad, T dist, T p) {                                  \
        switch (kind) {                                                                           \
        case PD_ONE: return grad * sign_##SUF(diff);                                              \
        case PD_TWO: return dist == 0 ? 0 : grad * diff / dist;                                   \
        case PD_INF: {                                                                            \
            T e = CEIL(FABS(FABS(diff) - dist));                                                  \
            return grad * sign_##SUF(diff) * (1 - (e < 1 ? e : 1));                               \
        }                                                                                         \
        default:                                                                                  \
            if (p < 2) /* lttdist_calc */                                                         \
                return dist == 0 ? 0 : sign_##SUF(diff) * POW(FABS(diff), p - 1) * grad / POW(dist, p - 1); \
            return dist == 0 ? 0 : diff * POW(FABS(diff), p - 2) * grad / POW(dist, p - 1);       \
        }                                                                                         \
    }                                                                                             \
    static void bwd_##SUF(const T *g, const T *x, int64_t n, int64_t m, double pd, const T *dist, T *gin) { \
        int kind = pdist_kind(pd);                                                                \
        T p = (T)pd;                                                                              \
        memset(gin, 0, (size_t)(n * m) * sizeof(T));                                              \
        if (kind == PD_ZERO) return;                                                              \
        for (int64_t c = 0; c < m; c++) {                                                         \
            int64_t k = 0;                                                                        \
            for (int64_t i = 0; i + 1 < n; i++) {                                                 \
                T ri = gin[i * m + c];                                                            \
                for (int64_t j = i + 1; j < n; j++, k++) {                                        \
                    T r = bwd1_##SUF(kind, x[i * m + c] - x[j * m + c], g[k], dist[k], p);        \
                    ri = ri + r;                                                                  \
                    gin[j * m + c] = gin[j * m + c] - r;                                          \
                }                                                                                 \
                gin[i * m + c] = ri;                                                              \
            }                                                                                     \
        }                                                                                         \
    }

DEF_PDIST(f32, float, 8, fmaf, powf, sqrtf, ceilf, fabsf)
DEF_PDIST(f64, double, 4, fma, pow, sqrt, ceil, fabs)

void kernel_pdist(DType dt, const void *x, int64_t n, int64_t m, double p, void *out) {
    if (dt == DT_FLOAT32) fwd_f32(x, n, m, p, out);
    else fwd_f64(x, n, m, p, out);
}

void kernel_pdist_backward(DType dt, const void *grad, const void *x, int64_t n, int64_t m, double p,
                           const void *dist, void *gin) {
    if (dt == DT_FLOAT32) bwd_f32(grad, x, n, m, p, dist, gin);
    else bwd_f64(grad, x, n, m, p, dist, gin);
}
