/* vec_softmax_bwd_loops.h: the backward of softmax and log_softmax
 * (_softmax_backward_data, _log_softmax_backward_data) as ATen 1.13's
 * SoftMaxKernel.cpp computes them in float32 / float64, for one vector
 * width. Included by vec_math_loops.h after DEF_SOFTMAX_LASTDIM (whose
 * NAME##_fold and NAME##_load it uses). g: the incoming gradient, y: the
 * forward's result; GCC fuses ATen's a * b + c into one multiply-add
 * (the kernels are built with -mfma), written here as fma().
 *   last dim (_vec_host_softmax_backward_lastdim): sum = reduce_all(+, g)
 *     (log) or map2_reduce_all(g * y, +), lanes across the row as the
 *     forward's reductions; then g - exp(y) * sum (log) or (g - sum) * y,
 *     every element through the vector exp (vec::map2's partial vector);
 *   other dims (_vec_softmax_backward, _vec_log_softmax_backward): per
 *     column, sum down the dim in order (sum += g, or sum += g * y), then
 *     the same formulas. */
#define DEF_SOFTMAX_BWD(NAME, T, VT, VEXP, FOLD, LOAD)                            \
    static T NAME##_rsum(const T *g, const T *y, int64_t n, bool prod) {          \
        const int64_t w = LANES(VT, T);                                           \
        VT acc, a, b, r;                                                          \
        if (n < w) {                                                              \
            a = LOAD(g, n);                                                       \
            if (prod) a = a * LOAD(y, n);                                         \
            return FOLD(a, n, false);                                             \
        }                                                                         \
        memcpy(&acc, g, sizeof acc);                                              \
        if (prod) {                                                               \
            memcpy(&b, y, sizeof b);                                              \
            acc = acc * b;                                                        \
        }                                                                         \
        int64_t d = w;                                                            \
        for (; d < n - n % w; d += w) {                                           \
            memcpy(&a, g + d, sizeof a);                                          \
            if (!prod) acc = acc + a;                                             \
            else {                                                                \
                memcpy(&b, y + d, sizeof b);                                      \
                for (int64_t k = 0; k < w; k++) acc[k] = fma(a[k], b[k], acc[k]); \
            }                                                                     \
        }                                                                         \
        if (n - d > 0) {                                                          \
            a = LOAD(g + d, n - d);                                               \
            if (!prod) r = acc + a;                                               \
            else {                                                                \
                b = LOAD(y + d, n - d);                                           \
                for (int64_t k = 0; k < w; k++) r[k] = fma(a[k], b[k], acc[k]);   \
            }                                                                     \
            for (int64_t k = 0; k < n - d; k++) acc[k] = r[k];                    \
        }                                                                         \
        return FOLD(acc, w, false);                                               \
    }                                                                             \
    /* out[i] for m <= W elements whose sums are s[i]; scalar: std::exp */       \
    static void NAME##_apply(const T *g, const T *y, const T *s, T *out, int64_t m, bool lg, \
                             bool scalar) {                                       \
        VT gv = LOAD(g, m), yv = LOAD(y, m), sv = LOAD(s, m), r;                  \
        if (lg) {                                                                 \
            VT e = VEXP(yv);                                                      \
            if (scalar)                                                           \
                for (int64_t k = 0; k < m; k++) e[k] = exp(yv[k]);                \
            for (int64_t k = 0; k < m; k++) r[k] = fma(-e[k], sv[k], gv[k]);      \
        } else {                                                                  \
            r = (gv - sv) * yv;                                                   \
        }                                                                         \
        T tmp[sizeof(VT) / sizeof(T)];                                            \
        memcpy(tmp, &r, sizeof r);                                                \
        memcpy(out, tmp, (size_t)m * sizeof(T));                                  \
    }                                                                             \
    static void NAME(const T *g, const T *y, T *out, int64_t outer, int64_t n, int64_t inner, \
                     bool lastdim, bool lg) {                                     \
        const int64_t w = LANES(VT, T);                                           \
        T s[sizeof(VT) / sizeof(T)];                                              \
        if (lastdim) {                                                            \
            for (int64_t i = 0; i < outer; i++) {                                 \
                const T *gi = g + i * n, *yi = y + i * n;                         \
                T sum = NAME##_rsum(gi, yi, n, !lg);                              \
                for (int64_t k = 0; k < w; k++) s[k] = sum;                       \
                for (int64_t d = 0; d < n; d += w)                                \
                    NAME##_apply(gi + d, yi + d, s, out + i * n + d, n - d < w ? n - d : w, lg, false); \
            }                                                                     \
            return;                                                               \
        }                                                                         \
        for (int64_t o = 0; o < outer; o++)                                       \
            for (int64_t c = 0; c < inner; c += w) {                              \
                const int64_t m = inner - c < w ? inner - c : w;                  \
                const int64_t base = o * n * inner + c;                           \
                for (int64_t k = 0; k < m; k++) s[k] = 0;                         \
                for (int64_t d = 0; d < n; d++)                                   \
                    for (int64_t k = 0; k < m; k++) {                             \
                        int64_t at = base + d * inner + k;                        \
                        s[k] = lg ? s[k] + g[at] : fma(g[at], y[at], s[k]);       \
                    }                                                             \
                for (int64_t d = 0; d < n; d++) {                                 \
                    int64_t at = base + d * inner;                                \
                    NAME##_apply(g + at, y + at, s, out + at, m, lg, m < w);      \
                }                                                                 \
            }                                                                     \
    }
