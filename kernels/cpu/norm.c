/* norm.c: batch, layer and group normalization loops (norm.h). */
#include "norm.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* ATen's AVX2 kernels are built with -mfma, and GCC contracts their
 * Vectorized x * alpha + beta into one fused multiply-add */
#define FMA_f fmaf
#define FMA_d fma

/* ATen's vec::reduce_all(+) and vec::map2_reduce_all((x - mean) * dy, +)
 * over Vectorized<T> of L lanes (AVX2: 8 floats, 4 doubles): a vector
 * accumulator (its adds of products fused, as GCC contracts them in the
 * -mfma kernel file), a partial last vector merged into its first lanes,
 * then the lanes folded: floats by AVX2's shuffle tree (ATen's
 * VecReduceAllSIMD), doubles lane by lane. */
#define DEF_VEC_REDUCE(SFX, T, L, FMA, TREE)                                                                  \
    static T fold_##SFX(const T *acc, int64_t size) {                                                       \
        if (TREE && size == L) {                                                                            \
            T t[L];                                                                                         \
            for (int i = 0; i < L; i++) t[i] = acc[i];                                                      \
            for (int h = L / 2; h >= 1; h /= 2) {                                                           \
                T u[L];                                                                                     \
                for (int i = 0; i < L; i++) u[i] = t[i] + t[i ^ h];                                         \
                for (int i = 0; i < L; i++) t[i] = u[i];                                                    \
            }                                                                                               \
            return t[0];                                                                                    \
        }                                                                                                   \
        T a = acc[0];                                                                                       \
        for (int64_t i = 1; i < size; i++) a = a + acc[i];                                                  \
        return a;                                                                                           \
    }                                                                                                       \
    static T vsum_##SFX(const T *a, int64_t n) {                                                            \
        T acc[L] = {0};                                                                                     \
        if (n < L) {                                                                                        \
            for (int64_t i = 0; i < n; i++) acc[i] = a[i];                                                  \
            return fold_##SFX(acc, n);                                                                      \
        }                                                                                                   \
        for (int i = 0; i < L; i++) acc[i] = a[i];                                                          \
        int64_t d = L;                                                                                      \
        for (; d < n - n % L; d += L)                                                                       \
            for (int i = 0; i < L; i++) acc[i] = acc[i] + a[d + i];                                         \
        for (int64_t i = 0; i < n - d; i++) acc[i] = acc[i] + a[d + i];                                    \
        return fold_##SFX(acc, L);                                                                          \
    }                                                                                                       \
    static T vdot_##SFX(const T *x, T m, const T *g, int64_t n) {                                           \
        T acc[L] = {0};                                                                                     \
        if (n < L) {                                                                                        \
            for (int64_t i = 0; i < n; i++) acc[i] = (x[i] - m) * g[i];                                     \
            return fold_##SFX(acc, n);                                                                      \
        }                                                                                                   \
        for (int i = 0; i < L; i++) acc[i] = (x[i] - m) * g[i];                                             \
        int64_t d = L;                                                                                      \
        for (; d < n - n % L; d += L)                                                                       \
            for (int i = 0; i < L; i++)                                                                     \
                acc[i] = FMA(x[d + i] - m, g[d + i], acc[i]);                                               \
        for (int64_t i = 0; i < n - d; i++)                                                                 \
            acc[i] = FMA(x[d + i] - m, g[d + i], acc[i]);                                                   \
        return fold_##SFX(acc, L);                                                                          \
    }
DEF_VEC_REDUCE(f, float, 8, fmaf, 1)
DEF_VEC_REDUCE(d, double, 4, fma, 0)

/* ATen's utils::RowwiseMoments (moments_utils.h): Welford over vectors of
 * L lanes in chunks of 16, the chunks' moments merged by a cascade stack
 * (AddMomentsVec), the leftover elements by a scalar Welford, then the
 * lanes merged in (AddMoments), every product rounded on its own (no
 * fused multiply-adds here, unlike the kernels around it: checked against
 * the oracle). Writes the mean and the biased variance. */
#define MOMENT_CHUNK 16
#define DEF_MOMENTS(SFX, T, L)                                                                             \
    static void add_moments_##SFX(int64_t m0_add, T m1_add, T m2_add, int64_t *m0, T *m1, T *m2) {          \
        int64_t n = *m0 + m0_add;                                                                           \
        T c = n == 0 ? (T)0 : (T)m0_add / (T)n;                                                             \
        T delta = m1_add - *m1;                                                                             \
        *m1 = *m1 + c * delta;                                                                           \
        *m2 = *m2 + (m2_add + delta * delta * c * (T)*m0);                                                 \
        *m0 = n;                                                                                            \
    }                                                                                                       \
    static void add_moments_vec_##SFX(int64_t m0_add, const T *m1_add, const T *m2_add, int64_t *m0, T *m1, \
                                      T *m2) {                                                              \
        int64_t n = *m0 + m0_add;                                                                           \
        T c = n == 0 ? (T)0 : (T)m0_add / (T)n;                                                             \
        for (int k = 0; k < L; k++) {                                                                       \
            T delta = m1_add[k] - m1[k];                                                                    \
            m1[k] = m1[k] + c * delta;                                                                   \
            m2[k] = m2[k] + (m2_add[k] + delta * delta * c * (T)*m0);                                      \
        }                                                                                                   \
        *m0 = n;                                                                                            \
    }                                                                                                       \
    static void rowwise_moments_##SFX(const T *x, int64_t N, T *mean, T *var) {                             \
        int64_t n = N / L, m = (n + MOMENT_CHUNK - 1) / MOMENT_CHUNK, depth = 1;                            \
        while (((int64_t)1 << depth) < m) depth++; /* CeilLog2, at least 1 */                               \
        int64_t m0_stk[64] = {0};                                                                           \
        T m1_stk[64][L], m2_stk[64][L];                                                                     \
        memset(m1_stk, 0, sizeof(T) * L * (size_t)depth);                                                   \
        memset(m2_stk, 0, sizeof(T) * L * (size_t)depth);                                                   \
        for (int64_t i = 0; i < m; i++) {                                                                   \
            const T *xp = x + i * MOMENT_CHUNK * L;                                                         \
            int64_t m0 = n - i * MOMENT_CHUNK < MOMENT_CHUNK ? n - i * MOMENT_CHUNK : MOMENT_CHUNK;         \
            T m1v[L] = {0}, m2v[L] = {0};                                                                   \
            for (int64_t j = 0; j < m0; j++) {                                                              \
                T cj = (T)1 / (T)(j + 1);                                                                   \
                for (int k = 0; k < L; k++) {                                                               \
                    T xv = xp[j * L + k], delta = xv - m1v[k];                                              \
                    m1v[k] = m1v[k] + delta * cj;                                                        \
                    m2v[k] = m2v[k] + delta * (xv - m1v[k]);                                               \
                }                                                                                           \
            }                                                                                               \
            add_moments_vec_##SFX(m0, m1v, m2v, &m0_stk[0], m1_stk[0], m2_stk[0]);                          \
            int64_t mask = i + 1;                                                                           \
            for (int64_t j = 1; j < depth && (mask & 1) == 0; ++j) {                                        \
                add_moments_vec_##SFX(m0_stk[j - 1], m1_stk[j - 1], m2_stk[j - 1], &m0_stk[j], m1_stk[j],   \
                                      m2_stk[j]);                                                           \
                m0_stk[j - 1] = 0;                                                                          \
                memset(m1_stk[j - 1], 0, sizeof(T) * L);                                                    \
                memset(m2_stk[j - 1], 0, sizeof(T) * L);                                                    \
                mask >>= 1;                                                                                 \
            }                                                                                               \
        }                                                                                                   \
        for (int64_t i = 1; i < depth; i++)                                                                 \
            add_moments_vec_##SFX(m0_stk[i], m1_stk[i], m2_stk[i], &m0_stk[0], m1_stk[0], m2_stk[0]);       \
        int64_t m0 = 0;                                                                                     \
        T m1 = 0, m2 = 0;                                                                                   \
        for (int64_t i = n * L; i < N; i++) {                                                               \
            T delta = x[i] - m1;                                                                            \
            ++m0;                                                                                           \
            m1 += delta / (T)m0;                                                                            \
            m2 = m2 + delta * (x[i] - m1);                                                                 \
        }                                                                                                   \
        for (int k = 0; k < L; k++) add_moments_##SFX(n, m1_stk[0][k], m2_stk[0][k], &m0, &m1, &m2);        \
        *mean = m1;                                                                                         \
        *var = m2 / (T)N;                                                                                   \
    }
DEF_MOMENTS(f, float, 8)
DEF_MOMENTS(d, double, 4)

#define DEF_VPROD(SFX, T, L, FMA, TREE)                                                                    \
    static T vprod_##SFX(const T *a, const T *b, const T *c, int64_t n) {                                    \
        T acc[L] = {0};                                                                                     \
        int64_t d = 0;                                                                                      \
        for (; d < n; d += L) {                                                                             \
            for (int k = 0; k < L && d + k < n; k++) {                                                      \
                T p = b ? a[d + k] * b[d + k] : a[d + k];                                                   \
                T q = c ? c[d + k] : 1;                                                                     \
                if (d == 0) acc[k] = c ? p * q : p;                                                         \
                else if (!b && !c) acc[k] = acc[k] + p;                                                     \
                else acc[k] = c ? FMA(p, q, acc[k]) : FMA(a[d + k], b[d + k], acc[k]);                      \
            }                                                                                               \
        }                                                                                                   \
        return fold_##SFX(acc, n < L ? n : L);                                                              \
    }
DEF_VPROD(f, float, 8, fmaf, 1)
DEF_VPROD(d, double, 4, fma, 0)

#define DEF_NORM(SFX, T)                                                                                     \
    static void bn_stats_##SFX(int64_t N, int64_t C, int64_t S, const T *x, T *mean, T *var_sum) {          \
        if (S == 1 && N > 1) { /* ATen's channels-last kernel, one thread: sums in a T buffer */            \
            for (int64_t c = 0; c < C; c++) {                                                               \
                T buf = 0;                                                                                  \
                for (int64_t i = 0; i < N; i++) buf = x[i * C + c] + buf;                                   \
                T m = (T)((0.0 + buf) / (double)N);                                                         \
                T vb = 0;                                                                                   \
                for (int64_t i = 0; i < N; i++) {                                                           \
                    T d = x[i * C + c] - m;                                                                 \
                    vb = FMA_##SFX(d, d, vb);                                                               \
                }                                                                                           \
                mean[c] = m;                                                                                \
                var_sum[c] = (T)(0.0 + vb);                                                                 \
            }                                                                                               \
            return;                                                                                         \
        }                                                                                                   \
        for (int64_t c = 0; c < C; c++) {                                                                   \
            double sum = 0;                                                                                 \
            for (int64_t n = 0; n < N; n++)                                                                 \
                for (int64_t i = 0; i < S; i++) sum += x[(n * C + c) * S + i];                              \
            T m = (T)(sum / (double)(N * S));                                                               \
            double vs = 0;                                                                                  \
            for (int64_t n = 0; n < N; n++)                                                                 \
                for (int64_t i = 0; i < S; i++) {                                                           \
                    T d = x[(n * C + c) * S + i] - m;                                                       \
                    vs += d * d;                                                                            \
                }                                                                                           \
            mean[c] = m;                                                                                    \
            var_sum[c] = (T)vs;                                                                             \
        }                                                                                                   \
    }                                                                                                       \
    static void affine_##SFX(int64_t N, int64_t C, int64_t S, const T *x, const T *al, const T *be, T *o) { \
        for (int64_t n = 0; n < N; n++)                                                                     \
            for (int64_t c = 0; c < C; c++) {                                                               \
                const T *xp = x + (n * C + c) * S;                                                          \
                T *op = o + (n * C + c) * S;                                                                \
                T a = al[c], b = be[c];                                                                     \
                for (int64_t i = 0; i < S; i++) op[i] = FMA_##SFX(xp[i], a, b);                             \
            }                                                                                               \
    }                                                                                                       \
    static void bn_bw_##SFX(int64_t N, int64_t C, int64_t S, const T *g, const T *x, const T *mean,         \
                            const T *invstd, const T *w, bool train, T *gi, T *gw, T *gb) {                 \
        int64_t cnt = N * S;                                                                                \
        for (int64_t c = 0; c < C; c++) {                                                                   \
            T m = mean[c], is = invstd[c], wc = w ? w[c] : 1;                                               \
            double sum = 0, dotp = 0;                                                                       \
            if (S == 1) { /* ATen's channels-last kernel, one thread: T buffers */                           \
                T sb = 0, db_ = 0;                                                                          \
                for (int64_t i = 0; i < N; i++) {                                                           \
                    sb = sb + g[i * C + c];                                                                 \
                    db_ = FMA_##SFX(x[i * C + c] - m, g[i * C + c], db_);                                   \
                }                                                                                           \
                sum = sb;                                                                                   \
                dotp = db_;                                                                                 \
            } else                                                                                          \
                for (int64_t n = 0; n < N; n++) {                                                           \
                    int64_t o = (n * C + c) * S;                                                            \
                    sum += vsum_##SFX(g + o, S);                                                            \
                    dotp += vdot_##SFX(x + o, m, g + o, S);                                                 \
                }                                                                                           \
            if (gi) {                                                                                       \
                if (train) {                                                                                \
                    T k = (T)dotp * is * is / (T)cnt, gm = (T)(sum / cnt); /* k in T, as ATen casts */    \
                    for (int64_t n = 0; n < N; n++)                                                         \
                        for (int64_t i = 0; i < S; i++) {                                                   \
                            int64_t o = (n * C + c) * S + i;                                                \
                            T dx = x[o] - m, t = g[o] - gm;                                                 \
                            /* t - dx * k, fused; unfused in the channels-last kernel's */        \
                            /* partial last vector of doubles (as the oracle's bits show) */         \
                            bool tail = S == 1 && sizeof(T) == 8 && c >= C - C % 4;                         \
                            gi[o] = (tail ? t - dx * k : FMA_##SFX(-dx, k, t)) * is * wc;                   \
                        }                                                                                   \
                } else {                                                                                    \
                    for (int64_t n = 0; n < N; n++)                                                         \
                        for (int64_t i = 0; i < S; i++) {                                                   \
                            int64_t o = (n * C + c) * S + i;                                                \
                            gi[o] = g[o] * is * wc;                                                         \
                        }                                                                                   \
                }                                                                                           \
            }                                                                                               \
            if (gw) gw[c] = (T)(dotp * is);                                                                 \
            if (gb) gb[c] = (T)sum;                                                                         \
        }                                                                                                   \
    }                                                                                                       \
    /* batch_norm_backward_cpu_template's loop for an input or gradient   \
     * that is not contiguous: per channel a serial dot product in double  \
     * of (x - mean) * g products in T, then x's share in T stored first  \
     * and subtracted after (Normalization.cpp has no fused products). */ \
    static void bn_bw_generic_##SFX(int64_t N, int64_t C, int64_t S, const T *g, const T *x, const T *mean, \
                                    const T *invstd, const T *w, bool train, const T *gsum, T *gi, T *gw,  \
                                    T *gb) {                                                                \
        int64_t cnt = N * S;                                                                                \
        for (int64_t c = 0; c < C; c++) {                                                                   \
            T m = mean[c], is = invstd[c], wc = w ? w[c] : 1;                                               \
            double dotp = 0;                                                                                \
            for (int64_t n = 0; n < N; n++)                                                                 \
                for (int64_t i = 0; i < S; i++) {                                                           \
                    int64_t o = (n * C + c) * S + i;                                                        \
                    T p = (x[o] - m) * g[o];                                                                \
                    dotp += p;                                                                              \
                }                                                                                           \
            if (gi) {                                                                                       \
                T k = (T)dotp * is * is / (T)cnt, gm = gsum[c] / (T)cnt;                                    \
                for (int64_t n = 0; n < N; n++)                                                             \
                    for (int64_t i = 0; i < S; i++) {                                                       \
                        int64_t o = (n * C + c) * S + i;                                                    \
                        if (train) {                                                                        \
                            T t = (x[o] - m) * k;                                                           \
                            gi[o] = (g[o] - gm - t) * is * wc;                                              \
                        } else {                                                                            \
                            gi[o] = g[o] * is * wc;                                                         \
                        }                                                                                   \
                    }                                                                                       \
            }                                                                                               \
            if (gw) gw[c] = (T)(dotp * is);                                                                 \
            if (gb) gb[c] = gsum[c];                                                                        \
        }                                                                                                   \
    }                                                                                                       \
    /* batch_norm_cpu_update_stats_template's loop for an input that is   \
     * not contiguous: per channel sum (x - mean)^2 in double, with mean  \
     * (at::mean's) in double */                                           \
    static void bn_var_sum_generic_##SFX(int64_t N, int64_t C, int64_t S, const T *x, const T *mean,       \
                                         double *var_sum) {                                                 \
        for (int64_t c = 0; c < C; c++) {                                                                   \
            double m = mean[c], vs = 0;                                                                     \
            for (int64_t n = 0; n < N; n++)                                                                 \
                for (int64_t i = 0; i < S; i++) {                                                           \
                    double d = x[(n * C + c) * S + i] - m;                                                  \
                    vs += d * d;                                                                            \
                }                                                                                           \
            var_sum[c] = vs;                                                                                \
        }                                                                                                   \
    }                                                                                                       \
    /* batch_norm_cpu_transform_input_template's cpu_kernel */              \
    static void bn_transform_generic_##SFX(int64_t N, int64_t C, int64_t S, const T *x, const T *mean,     \
                                           const T *invstd, const T *w, const T *b, T *o) {                 \
        for (int64_t n = 0; n < N; n++)                                                                     \
            for (int64_t c = 0; c < C; c++) {                                                               \
                T m = mean[c], is = invstd[c], wc = w ? w[c] : 1, bc = b ? b[c] : 0;                        \
                for (int64_t i = 0; i < S; i++) {                                                           \
                    int64_t k = (n * C + c) * S + i;                                                        \
                    o[k] = ((x[k] - m) * is) * wc + bc;                                                     \
                }                                                                                           \
            }                                                                                               \
    }                                                                                                       \
    static void moments_##SFX(int64_t rows, int64_t n, const T *x, double eps, T *mean, T *rstd) {          \
        for (int64_t r = 0; r < rows; r++) {                                                                \
            T m, v;                                                                                         \
            rowwise_moments_##SFX(x + r * n, n, &m, &v);                                                    \
            mean[r] = m;                                                                                    \
            rstd[r] = (T)1 / (T)sqrt((double)((v > 0 ? v : 0) + (T)eps));                                   \
        }                                                                                                   \
    }                                                                                                       \
    /* y = (x * scale + bias) * w + b, both fused as ATen's AVX2 build */                                   \
    static void ln_apply_##SFX(int64_t rows, int64_t n, const T *x, const T *mean, const T *rstd,           \
                               const T *w, const T *b, T *y) {                                              \
        for (int64_t r = 0; r < rows; r++) {                                                                \
            T sc = rstd[r], bi = -rstd[r] * mean[r];                                                        \
            for (int64_t i = 0; i < n; i++)                                                                 \
                y[r * n + i] = FMA_##SFX(FMA_##SFX(x[r * n + i], sc, bi), w ? w[i] : 1, b ? b[i] : 0);      \
        }                                                                                                   \
    }                                                                                                       \
    /* ATen's LayerNormBackwardKernelImplInternal as its AVX2 build runs it  */                              \
    /* (one thread, as the oracle's torch.get_num_threads() is here): ds, db by */                             \
    /* lane reductions, b and c and dx with GCC's fused multiply-adds */                                       \
    static void ln_bw_##SFX(int64_t rows, int64_t n, const T *g, const T *x, const T *mean, const T *rstd,  \
                            const T *w, T *gi, T *gw, T *gb) {                                              \
        T scale = (T)1 / (T)n;                                                                              \
        for (int64_t r = 0; r < rows; r++) {                                                                \
            const T *gp = g + r * n, *xp = x + r * n;                                                       \
            T m = mean[r], a = rstd[r];                                                                     \
            if (gi) {                                                                                       \
                T ds = vprod_##SFX(gp, xp, w, n), db = vprod_##SFX(gp, w, NULL, n);                         \
                T b = FMA_##SFX(db, m, -ds) * a * a * a * scale;                                            \
                T c = FMA_##SFX(-b, m, -(db * a * scale));                                                  \
                for (int64_t i = 0; i < n; i++)                                                             \
                    gi[r * n + i] = FMA_##SFX(b, xp[i], a * gp[i] * (w ? w[i] : 1)) + c;                    \
            }                                                                                               \
            for (int64_t i = 0; i < n; i++) { /* dgamma += dy * (a * x + b), dbeta += dy */                 \
                if (gw) gw[i] = FMA_##SFX(gp[i], FMA_##SFX(a, xp[i], -a * m), gw[i]);                       \
                if (gb) gb[i] = gb[i] + gp[i];                                                              \
            }                                                                                               \
        }                                                                                                   \
    }                                                                                                       \
    static void gn_apply_##SFX(int64_t N, int64_t C, int64_t S, int64_t G, const T *x, const T *mean,       \
                               const T *rstd, const T *w, const T *b, T *y) {                               \
        int64_t D = C / G;                                                                                  \
        for (int64_t n = 0; n < N; n++)                                                                     \
            for (int64_t c = 0; c < C; c++) {                                                               \
                int64_t r = n * G + c / D;                                                                  \
                T sc = w ? rstd[r] * w[c] : rstd[r];                                                        \
                const T *xp = x + (n * C + c) * S;                                                          \
                T *yp = y + (n * C + c) * S;                                                                \
                if (!w && !b) { /* ATen: (x - mean) * rstd */                                               \
                    for (int64_t i = 0; i < S; i++) yp[i] = (xp[i] - mean[r]) * sc;                         \
                    continue;                                                                               \
                }                                                                                           \
                T bi = -sc * mean[r] + (b ? b[c] : 0); /* ATen: bias unfused, y fused (oracle) */           \
                for (int64_t i = 0; i < S; i++) yp[i] = FMA_##SFX(sc, xp[i], bi);                           \
            }                                                                                               \
    }                                                                                                       \
    /* ATen's GroupNormBackwardKernelImplInternal (AVX2: L lanes, GCC's   \
     * fused products): per (n, c) ds = sum(dy * x), db = sum(dy) in L lane \
     * accumulators added in order, then the tail; per (n, g) the same over \
     * the group's channels times gamma; dx = c1 * dy + c2 * x + c3 in T.   \
     * sc: 2 * N * C elements for ds and db. */                             \
    static void gn_bw_##SFX(int64_t N, int64_t C, int64_t S, int64_t G, const T *g, const T *x,             \
                            const T *mean, const T *rstd, const T *w, T *gi, T *gw, T *gb, T *sc) {         \
        int64_t D = C / G, L = L_##SFX;                                                                     \
        T *dsa = sc, *dba = sc + N * C;                                                                     \
        for (int64_t i = 0; i < N * C; i++) { /* ComputeInternalGradients */                                \
            const T *gp = g + i * S, *xp = x + i * S;                                                       \
            T ds[L_##SFX] = {0}, db[L_##SFX] = {0};                                                         \
            int64_t in = S / L * L, j = 0;                                                                  \
            for (; j < in; j += L)                                                                          \
                for (int64_t l = 0; l < L; l++) {                                                           \
                    ds[l] = FMA_##SFX(gp[j + l], xp[j + l], ds[l]);                                         \
                    db[l] = db[l] + gp[j + l];                                                              \
                }                                                                                           \
            T dsv = 0, dbv = 0;                                                                             \
            for (int64_t l = 0; l < L; l++) dsv += ds[l], dbv += db[l];                                     \
            for (; j < S; j++) {                                                                            \
                dsv = FMA_##SFX(gp[j], xp[j], dsv);                                                         \
                dbv += gp[j];                                                                               \
            }                                                                                               \
            dsa[i] = dsv, dba[i] = dbv;                                                                     \
        }                                                                                                   \
        if (gi) {                                                                                           \
            T s = (T)1 / (T)(D * S);                                                                        \
            for (int64_t i = 0; i < N * G; i++) { /* GroupNormInputBackward */                              \
                int64_t gr = i % G, dv = D / L * L, j = 0;                                                  \
                const T *dsp = dsa + i * D, *dbp = dba + i * D, *wp = w ? w + gr * D : NULL;                \
                T ds[L_##SFX] = {0}, db[L_##SFX] = {0};                                                     \
                for (; j < dv; j += L)                                                                      \
                    for (int64_t l = 0; l < L; l++) {                                                       \
                        T wv = wp ? wp[j + l] : (T)1;                                                       \
                        ds[l] = FMA_##SFX(dsp[j + l], wv, ds[l]);                                           \
                        db[l] = FMA_##SFX(dbp[j + l], wv, db[l]);                                           \
                    }                                                                                       \
                T dsv = 0, dbv = 0;                                                                         \
                for (int64_t l = 0; l < L; l++) dsv += ds[l], dbv += db[l];                                 \
                for (; j < D; j++) {                                                                        \
                    T wv = wp ? wp[j] : (T)1;                                                               \
                    dsv = FMA_##SFX(dsp[j], wv, dsv);                                                       \
                    dbv = FMA_##SFX(dbp[j], wv, dbv);                                                       \
                }                                                                                           \
                T m = mean[i], rs = rstd[i];                                                                \
                T c2 = FMA_##SFX(dbv, m, -dsv) * rs * rs * rs * s;                                          \
                T c3 = FMA_##SFX(-c2, m, -(dbv * rs * s));                                                  \
                for (int64_t d = 0; d < D; d++) {                                                           \
                    int64_t c = gr * D + d, o = (i * D + d) * S;                                            \
                    T c1 = rs * (w ? w[c] : (T)1);                                                          \
                    for (int64_t k = 0; k < S; k++) gi[o + k] = FMA_##SFX(c1, g[o + k], c2 * x[o + k]) + c3; \
                }                                                                                           \
            }                                                                                               \
        }                                                                                                   \
        if (gw) { /* GammaBackward */                                                                       \
            memset(gw, 0, sizeof(T) * (size_t)C);                                                           \
            for (int64_t i = 0; i < N * G; i++)                                                             \
                for (int64_t j = 0; j < D; j++) {                                                           \
                    int64_t c = (i % G) * D + j;                                                            \
                    T t = FMA_##SFX(-dba[i * D + j], mean[i], dsa[i * D + j]);                              \
                    gw[c] = FMA_##SFX(t, rstd[i], gw[c]);                                                   \
                }                                                                                           \
        }                                                                                                   \
        if (gb) { /* BetaBackward */                                                                        \
            memset(gb, 0, sizeof(T) * (size_t)C);                                                           \
            for (int64_t n = 0; n < N; n++)                                                                 \
                for (int64_t c = 0; c < C; c++) gb[c] += dba[n * C + c];                                    \
        }                                                                                                   \
    }

#define L_f 8
#define L_d 4
DEF_NORM(f, float)
DEF_NORM(d, double)

#define DISPATCH(call_f, call_d)                  \
    do {                                          \
        if (dt == DT_FLOAT32) call_f;             \
        else if (dt == DT_FLOAT64) call_d;        \
        else return KERNEL_UNSUPPORTED;           \
        return KERNEL_OK;                         \
    } while (0)

KernelStatus kernel_bn_stats(DType dt, int64_t N, int64_t C, int64_t S, const void *x, void *mean, void *var_sum) {
    DISPATCH(bn_stats_f(N, C, S, x, mean, var_sum), bn_stats_d(N, C, S, x, mean, var_sum));
}

KernelStatus kernel_channel_affine(DType dt, int64_t N, int64_t C, int64_t S, const void *x, const void *alpha,
                                   const void *beta, void *out) {
    DISPATCH(affine_f(N, C, S, x, alpha, beta, out), affine_d(N, C, S, x, alpha, beta, out));
}

KernelStatus kernel_bn_backward(DType dt, int64_t N, int64_t C, int64_t S, const void *gout, const void *x,
                                const void *mean, const void *invstd, const void *weight, bool train, void *gi,
                                void *gw, void *gb) {
    DISPATCH(bn_bw_f(N, C, S, gout, x, mean, invstd, weight, train, gi, gw, gb),
             bn_bw_d(N, C, S, gout, x, mean, invstd, weight, train, gi, gw, gb));
}

KernelStatus kernel_bn_var_sum_generic(DType dt, int64_t N, int64_t C, int64_t S, const void *x, const void *mean,
                                       double *var_sum) {
    DISPATCH(bn_var_sum_generic_f(N, C, S, x, mean, var_sum), bn_var_sum_generic_d(N, C, S, x, mean, var_sum));
}

KernelStatus kernel_bn_transform_generic(DType dt, int64_t N, int64_t C, int64_t S, const void *x, const void *mean,
                                         const void *invstd, const void *w, const void *b, void *out) {
    DISPATCH(bn_transform_generic_f(N, C, S, x, mean, invstd, w, b, out),
             bn_transform_generic_d(N, C, S, x, mean, invstd, w, b, out));
}

KernelStatus kernel_bn_backward_generic(DType dt, int64_t N, int64_t C, int64_t S, const void *gout, const void *x,
                                        const void *mean, const void *invstd, const void *weight, bool train,
                                        const void *gsum, void *gi, void *gw, void *gb) {
    DISPATCH(bn_bw_generic_f(N, C, S, gout, x, mean, invstd, weight, train, gsum, gi, gw, gb),
             bn_bw_generic_d(N, C, S, gout, x, mean, invstd, weight, train, gsum, gi, gw, gb));
}

KernelStatus kernel_row_moments(DType dt, int64_t rows, int64_t n, const void *x, double eps, void *mean, void *rstd) {
    DISPATCH(moments_f(rows, n, x, eps, mean, rstd), moments_d(rows, n, x, eps, mean, rstd));
}

KernelStatus kernel_layer_norm_apply(DType dt, int64_t rows, int64_t n, const void *x, const void *mean,
                                     const void *rstd, const void *w, const void *b, void *y) {
    DISPATCH(ln_apply_f(rows, n, x, mean, rstd, w, b, y), ln_apply_d(rows, n, x, mean, rstd, w, b, y));
}

KernelStatus kernel_layer_norm_backward(DType dt, int64_t rows, int64_t n, const void *gout, const void *x,
                                        const void *mean, const void *rstd, const void *w, void *gi, void *gw,
                                        void *gb) {
    DISPATCH(ln_bw_f(rows, n, gout, x, mean, rstd, w, gi, gw, gb), ln_bw_d(rows, n, gout, x, mean, rstd, w, gi, gw, gb));
}

KernelStatus kernel_group_norm_apply(DType dt, int64_t N, int64_t C, int64_t S, int64_t G, const void *x,
                                     const void *mean, const void *rstd, const void *w, const void *b, void *y) {
    DISPATCH(gn_apply_f(N, C, S, G, x, mean, rstd, w, b, y), gn_apply_d(N, C, S, G, x, mean, rstd, w, b, y));
}

KernelStatus kernel_group_norm_backward(DType dt, int64_t N, int64_t C, int64_t S, int64_t G, const void *gout,
                                        const void *x, const void *mean, const void *rstd, const void *w, void *gi,
                                        void *gw, void *gb, void *scratch) {
    DISPATCH(gn_bw_f(N, C, S, G, gout, x, mean, rstd, w, gi, gw, gb, scratch),
             gn_bw_d(N, C, S, G, gout, x, mean, rstd, w, gi, gw, gb, scratch));
}
