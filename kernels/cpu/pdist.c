/* pdist.c: _pdist_forward / _pdist_backward loops (pdist.h), written once
 * per dtype by a macro: T the element type, W the lanes of ATen's vector
 * (8 floats, 4 doubles), FMA / POW / SQRT / CEIL the libm functions. The
 * vector pow ATen's general-p maps and gradients call (Sleef) runs through
 * vec_math's pow loop on chunks padded to whole vectors; libm's pow where
 * this CPU has no vector loop. */
#include <math.h>
#include <string.h>

#include "pdist.h"
#include "vec_math.h"

enum { PD_ZERO, PD_ONE, PD_TWO, PD_INF, PD_GEN };

static int pdist_kind(double p) {
    return p == 0.0 ? PD_ZERO : p == 1.0 ? PD_ONE : p == 2.0 ? PD_TWO : isinf(p) ? PD_INF : PD_GEN;
}

enum { PD_CHUNK = 32 }; /* whole vectors of 8 or 16 lanes, twice */

#define DEF_PDIST(SUF, T, DT, W, FMA, POW, SQRT, CEIL, FABS)                                          \
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
    /* vec_reduce_all over W lanes: float's by the AVX2 shuffle tree, double's in order */       \
    static T fold_##SUF(T *acc, int kind) {                                                       \
        if (W == 8) {                                                                             \
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
    /* out[k] = pow(a[k], b[k]) as Vectorized<T>::pow, k < n <= PD_CHUNK */                       \
    static void vpow_##SUF(T *out, const T *a, const T *b, int64_t n) {                           \
        IterLoopFn fn = vec_binary_loop(BIN_POW, DT);                                             \
        if (!fn) {                                                                                \
            for (int64_t k = 0; k < n; k++) out[k] = POW(a[k], b[k]);                             \
            return;                                                                               \
        }                                                                                         \
        T pa[PD_CHUNK], pb[PD_CHUNK], po[PD_CHUNK];                                               \
        for (int64_t k = 0; k < PD_CHUNK; k++) {                                                  \
            pa[k] = k < n ? a[k] : 1;                                                             \
            pb[k] = k < n ? b[k] : 1;                                                             \
        }                                                                                         \
        char *d[3] = {(char *)po, (char *)pa, (char *)pb};                                        \
        const int64_t st[3] = {sizeof(T), sizeof(T), sizeof(T)};                                  \
        fn(d, st, PD_CHUNK, NULL);                                                                \
        memcpy(out, po, (size_t)n * sizeof(T));                                                   \
    }                                                                                             \
    /* the general-p row: pow(|a - b|, p) summed as map2_reduce_all sums */                       \
    static T row_gen_##SUF(const T *a, const T *b, int64_t m, T p) {                              \
        T acc[W], d[PD_CHUNK], e[PD_CHUNK], v[PD_CHUNK];                                          \
        for (int64_t j0 = 0; j0 < m; j0 += PD_CHUNK) {                                            \
            int64_t c = m - j0 < PD_CHUNK ? m - j0 : PD_CHUNK;                                    \
            for (int64_t k = 0; k < c; k++) {                                                     \
                d[k] = FABS(a[j0 + k] - b[j0 + k]);                                               \
                e[k] = p;                                                                         \
            }                                                                                     \
            vpow_##SUF(v, d, e, c);                                                               \
            for (int64_t k = 0; k < c; k++) {                                                     \
                int64_t i = j0 + k;                                                               \
                if (i < W) acc[i] = v[k];                                                         \
                else acc[i % W] += v[k];                                                          \
            }                                                                                     \
        }                                                                                         \
        if (m < W) {                                                                              \
            T r = m > 0 ? acc[0] : 0;                                                             \
            for (int64_t k = 1; k < m; k++) r += acc[k];                                          \
            return r;                                                                             \
        }                                                                                         \
        return fold_##SUF(acc, PD_GEN);                                                           \
    }                                                                                             \
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
        return fold_##SUF(acc, kind);                                                             \
    }                                                                                             \
    static void fwd_##SUF(const T *x, int64_t n, int64_t m, double pd, T *out) {                  \
        int kind = pdist_kind(pd);                                                                \
        T p = (T)pd;                                                                              \
        int64_t k = 0;                                                                            \
        for (int64_t i = 0; i < n; i++)                                                           \
            for (int64_t j = i + 1; j < n; j++, k++) {                                            \
                T agg = kind == PD_GEN ? row_gen_##SUF(x + i * m, x + j * m, m, p) : row_##SUF(kind, x + i * m, x + j * m, m, p);                              \
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
        default: return 0; /* general p: bwd_ (vector pow) */                                     \
        }                                                                                         \
    }                                                                                             \
    /* _pdist_backward: the columns are independent lanes, so pair by pair
     * over all columns gives each element ATen's order */                                    \
    static void bwd_##SUF(const T *g, const T *x, int64_t n, int64_t m, double pd, const T *dist, T *gin) { \
        int kind = pdist_kind(pd);                                                                \
        T p = (T)pd, e1 = p - 1, ex = p < 2 ? p - 1 : p - 2;                                      \
        memset(gin, 0, (size_t)(n * m) * sizeof(T));                                              \
        if (kind == PD_ZERO) return;                                                              \
        int64_t k = 0;                                                                            \
        for (int64_t i = 0; i + 1 < n; i++)                                                       \
            for (int64_t j = i + 1; j < n; j++, k++) {                                            \
                T dp = 0, dd[PD_CHUNK], ad[PD_CHUNK], e[PD_CHUNK], pw[PD_CHUNK];                  \
                if (kind == PD_GEN && dist[k] != 0) vpow_##SUF(&dp, &dist[k], &e1, 1);            \
                for (int64_t c0 = 0; c0 < m; c0 += PD_CHUNK) {                                    \
                    int64_t cnt = m - c0 < PD_CHUNK ? m - c0 : PD_CHUNK;                          \
                    for (int64_t c = 0; c < cnt; c++) {                                           \
                        dd[c] = x[i * m + c0 + c] - x[j * m + c0 + c];                            \
                        ad[c] = FABS(dd[c]);                                                      \
                        e[c] = ex;                                                                \
                    }                                                                             \
                    if (kind == PD_GEN && dist[k] != 0) vpow_##SUF(pw, ad, e, cnt);               \
                    for (int64_t c = 0; c < cnt; c++) {                                           \
                        T r;                                                                      \
                        if (kind != PD_GEN) r = bwd1_##SUF(kind, dd[c], g[k], dist[k], p);        \
                        else if (dist[k] == 0) r = 0;                                             \
                        else if (p < 2) r = sign_##SUF(dd[c]) * pw[c] * g[k] / dp;                \
                        else r = dd[c] * pw[c] * g[k] / dp;                                       \
                        gin[i * m + c0 + c] = gin[i * m + c0 + c] + r;                            \
                        gin[j * m + c0 + c] = gin[j * m + c0 + c] - r;                            \
                    }                                                                             \
                }                                                                                 \
            }                                                                                     \
    }                                                                                             \
    /* cdist: ATen's scalar loop, agg = red(agg, map(|a - b|)) column by column
     * (std::min / std::max: a NaN difference is kept by the 0-norm's min and
     * dropped by the inf-norm's max). GCC vectorizes p = 2's squares in
     * blocks of W / 2 (an in-order sum of rounded squares) and contracts
     * the scalar tail's square-add into an fma. */                             \
    static void cfwd_##SUF(const T *x1, const T *x2, int64_t nb, int64_t r1, int64_t r2, int64_t m, double pd, \
                           T *out) {                                                              \
        int kind = pdist_kind(pd);                                                                \
        T p = (T)pd;                                                                              \
        for (int64_t l = 0; l < nb; l++)                                                          \
            for (int64_t i = 0; i < r1; i++)                                                      \
                for (int64_t j = 0; j < r2; j++) {                                                \
                    const T *a = x1 + (l * r1 + i) * m, *b = x2 + (l * r2 + j) * m;               \
                    T agg = 0;                                                                    \
                    for (int64_t k = 0; k < m; k++) {                                             \
                        T d = FABS(a[k] - b[k]);                                                  \
                        switch (kind) {                                                           \
                        case PD_ZERO: { T c = CEIL(d); agg = agg + (1 < c ? 1 : c); break; }      \
                        case PD_TWO: agg = k < m - m % (W / 2) ? agg + d * d : FMA(d, d, agg); break; \
                        case PD_INF: agg = agg < d ? d : agg; break;                              \
                        case PD_GEN: agg = agg + POW(d, p); break;                                \
                        default: agg = agg + d; break;                                            \
                        }                                                                         \
                    }                                                                             \
                    *out++ = kind == PD_TWO ? SQRT(agg) : kind == PD_GEN ? (T)pow(agg, 1.0 / p) : agg; \
                }                                                                                 \
    }                                                                                             \
    /* _cdist_backward: gin[l, i, :] = sum over j (in order) of the norm's
     * backward of x1[l, i, :] - x2[l, j, :] (Vectorized pow for general p) */ \
    static void cbwd_##SUF(const T *g, const T *x1, const T *x2, int64_t nb, int64_t r1, int64_t r2, int64_t m, \
                           double pd, const T *dist, T *gin) {                                    \
        int kind = pdist_kind(pd);                                                                \
        T p = (T)pd, e1 = p - 1, ex = p < 2 ? p - 1 : p - 2;                                      \
        memset(gin, 0, (size_t)(nb * r1 * m) * sizeof(T));                                        \
        if (kind == PD_ZERO) return;                                                              \
        int64_t k = 0;                                                                            \
        for (int64_t l = 0; l < nb; l++)                                                          \
            for (int64_t i = 0; i < r1; i++) {                                                    \
                const T *a = x1 + (l * r1 + i) * m;                                               \
                T *out = gin + (l * r1 + i) * m;                                                  \
                for (int64_t j = 0; j < r2; j++, k++) {                                           \
                    const T *b = x2 + (l * r2 + j) * m;                                           \
                    T dp = 0, dd[PD_CHUNK], ad[PD_CHUNK], e[PD_CHUNK], pw[PD_CHUNK];              \
                    bool gen = kind == PD_GEN;                                                       \
                    if (gen && dist[k] != 0) vpow_##SUF(&dp, &dist[k], &e1, 1);                   \
                    for (int64_t c0 = 0; c0 < m; c0 += PD_CHUNK) {                                \
                        int64_t cnt = m - c0 < PD_CHUNK ? m - c0 : PD_CHUNK;                      \
                        for (int64_t c = 0; c < cnt; c++) {                                       \
                            dd[c] = a[c0 + c] - b[c0 + c];                                        \
                            ad[c] = FABS(dd[c]);                                                  \
                            e[c] = ex;                                                            \
                        }                                                                         \
                        if (gen && dist[k] != 0) vpow_##SUF(pw, ad, e, cnt);                      \
                        for (int64_t c = 0; c < cnt; c++) {                                       \
                            T r;                                                                  \
                            if (!gen) r = bwd1_##SUF(kind, dd[c], g[k], dist[k], p);              \
                            else if (dist[k] == 0) r = 0;                                         \
                            else if (p < 2) r = sign_##SUF(dd[c]) * pw[c] * g[k] / dp;            \
                            else r = dd[c] * pw[c] * g[k] / dp;                                   \
                            out[c0 + c] = out[c0 + c] + r;                                        \
                        }                                                                         \
                    }                                                                             \
                }                                                                                 \
            }                                                                                     \
    }

DEF_PDIST(f32, float, DT_FLOAT32, 8, fmaf, powf, sqrtf, ceilf, fabsf)
DEF_PDIST(f64, double, DT_FLOAT64, 4, fma, pow, sqrt, ceil, fabs)

void kernel_pdist(DType dt, const void *x, int64_t n, int64_t m, double p, void *out) {
    if (dt == DT_FLOAT32) fwd_f32(x, n, m, p, out);
    else fwd_f64(x, n, m, p, out);
}

void kernel_cdist(DType dt, const void *x1, const void *x2, int64_t nb, int64_t r1, int64_t r2, int64_t m, double p,
                  void *out) {
    if (dt == DT_FLOAT32) cfwd_f32(x1, x2, nb, r1, r2, m, p, out);
    else cfwd_f64(x1, x2, nb, r1, r2, m, p, out);
}

void kernel_cdist_backward(DType dt, const void *grad, const void *x1, const void *x2, int64_t nb, int64_t r1,
                           int64_t r2, int64_t m, double p, const void *dist, void *gin) {
    if (dt == DT_FLOAT32) cbwd_f32(grad, x1, x2, nb, r1, r2, m, p, dist, gin);
    else cbwd_f64(grad, x1, x2, nb, r1, r2, m, p, dist, gin);
}

void kernel_pdist_backward(DType dt, const void *grad, const void *x, int64_t n, int64_t m, double p,
                           const void *dist, void *gin) {
    if (dt == DT_FLOAT32) bwd_f32(grad, x, n, m, p, dist, gin);
    else bwd_f64(grad, x, n, m, p, dist, gin);
}
