/* vec_math_loops.h: the loops of vec_math.h's rows, for one vector width.
 * Included by vec_math_avx2.c and vec_math_avx512.c after they define, for
 * their instruction set:
 *   VF, VD          the float and double vector types (__m256, ...)
 *   SLEEF_F(f, u), SLEEF_D(f, u)   SLEEF's function f at accuracy u for
 *                   VF / VD (Sleef_expf8_u10, Sleef_expd4_u10, ...)
 *   SQRT_F, SQRT_D  the vector square roots
 *   SUFFIX          the name of the table function (vec_unary_loop_SUFFIX)
 * Vectors are GCC vector types: + - * / act lane by lane, each one IEEE
 * operation as ATen's _mm256_add_ps & co. (no contraction: the Makefile
 * compiles with -ffp-contract=off). */
#include <stdint.h>
#include <string.h>
#include <tgmath.h>

#include "vec_math.h"

#define LANES(VT, T) ((int64_t)(sizeof(VT) / sizeof(T)))
/* a strided row of a VML op is copied through buffers of this many */
#define VM_BUF 256

/* ---- 'm': every element through the vector function (vec::map) ---- */
#define DEF_MAP(NAME, T, VT, VEXPR)                                               \
    static void NAME##_row(T *o, const T *x, int64_t n) {                         \
        const int64_t w = LANES(VT, T);                                           \
        int64_t i = 0;                                                            \
        for (; i + w <= n; i += w) {                                              \
            VT a, r;                                                              \
            memcpy(&a, x + i, sizeof a);                                          \
            r = VEXPR;                                                            \
            memcpy(o + i, &r, sizeof r);                                          \
        }                                                                         \
        if (i < n) { /* Vectorized::loadu(ptr, count): zero padded */             \
            T tmp[sizeof(VT) / sizeof(T)] = {0};                                  \
            VT a, r;                                                              \
            memcpy(tmp, x + i, (size_t)(n - i) * sizeof(T));                      \
            memcpy(&a, tmp, sizeof a);                                            \
            r = VEXPR;                                                            \
            memcpy(tmp, &r, sizeof r);                                            \
            memcpy(o + i, tmp, (size_t)(n - i) * sizeof(T));                      \
        }                                                                         \
    }                                                                             \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {          \
        if (s[0] == sizeof(T) && s[1] == sizeof(T)) {                             \
            NAME##_row((T *)d[0], (const T *)d[1], n);                            \
            return;                                                               \
        }                                                                         \
        T in[VM_BUF], out[VM_BUF];                                                \
        for (int64_t i = 0; i < n; i += VM_BUF) {                                 \
            int64_t m = n - i < VM_BUF ? n - i : VM_BUF;                          \
            for (int64_t j = 0; j < m; j++) in[j] = *(const T *)(d[1] + (i + j) * s[1]); \
            NAME##_row(out, in, m);                                               \
            for (int64_t j = 0; j < m; j++) *(T *)(d[0] + (i + j) * s[0]) = out[j]; \
        }                                                                         \
    }

/* ---- 'k': cpu_kernel_vec's vectorized_loop, or basic_loop when strided ---- */
#define DEF_KVEC(NAME, T, VT, VEXPR, SEXPR)                                       \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {          \
        typedef T C;                                                              \
        const int64_t w = LANES(VT, T);                                           \
        if (s[0] == sizeof(T) && (s[1] == sizeof(T) || s[1] == 0)) {              \
            T *o = (T *)d[0];                                                     \
            const T *x = (const T *)d[1];                                         \
            const int64_t step = s[1] ? 1 : 0;                                    \
            int64_t i = 0;                                                        \
            for (; i + 2 * w <= n; i += 2 * w) {                                  \
                VT a, r0, r1;                                                     \
                if (step) memcpy(&a, x + i, sizeof a);                            \
                else a = *x - (VT){0}; /* x - 0 keeps -0 */                                            \
                r0 = VEXPR;                                                       \
                if (step) memcpy(&a, x + i + w, sizeof a);                        \
                r1 = VEXPR;                                                       \
                memcpy(o + i, &r0, sizeof r0);                                    \
                memcpy(o + i + w, &r1, sizeof r1);                                \
            }                                                                     \
            for (; i < n; i++) {                                                  \
                C a = x[i * step];                                                \
                o[i] = (C)(SEXPR);                                                \
            }                                                                     \
            return;                                                               \
        }                                                                         \
        for (int64_t i = 0; i < n; i++) {                                         \
            C a = *(const T *)(d[1] + i * s[1]);                                  \
            *(T *)(d[0] + i * s[0]) = (C)(SEXPR);                                 \
        }                                                                         \
    }

/* ---- binary 'k': vectorized_loop when every operand is contiguous, or
 * one input is a broadcast scalar and the rest contiguous; else
 * basic_loop ---- */
#define DEF_KVEC2(NAME, T, VT, VEXPR, SEXPR)                                      \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {          \
        typedef T C;                                                              \
        const int64_t w = LANES(VT, T), z = sizeof(T);                            \
        if (s[0] == z && ((s[1] == z && (s[2] == z || s[2] == 0)) ||              \
                          (s[1] == 0 && s[2] == z))) {                            \
            T *o = (T *)d[0];                                                     \
            const T *x = (const T *)d[1], *y = (const T *)d[2];                   \
            const int64_t sa = s[1] ? 1 : 0, sb = s[2] ? 1 : 0;                   \
            int64_t i = 0;                                                        \
            for (; i + 2 * w <= n; i += 2 * w) {                                  \
                VT a, b, r[2];                                                    \
                for (int h = 0; h < 2; h++) {                                     \
                    if (sa) memcpy(&a, x + i + h * w, sizeof a);                  \
                    else a = *x - (VT){0}; /* x - 0 keeps -0 */                                        \
                    if (sb) memcpy(&b, y + i + h * w, sizeof b);                  \
                    else b = *y - (VT){0};                                        \
                    r[h] = VEXPR;                                                 \
                }                                                                 \
                memcpy(o + i, &r[0], sizeof r[0]);                                \
                memcpy(o + i + w, &r[1], sizeof r[1]);                            \
            }                                                                     \
            for (; i < n; i++) {                                                  \
                C a = x[i * sa], b = y[i * sb];                                   \
                o[i] = (C)(SEXPR);                                                \
            }                                                                     \
            return;                                                               \
        }                                                                         \
        for (int64_t i = 0; i < n; i++) {                                         \
            C a = *(const T *)(d[1] + i * s[1]), b = *(const T *)(d[2] + i * s[2]); \
            *(T *)(d[0] + i * s[0]) = (C)(SEXPR);                                 \
        }                                                                         \
    }

/* ---- pow with a broadcast scalar exponent: PowKernel.cpp's
 * pow_tensor_scalar_kernel (0.5, -0.5, -1: the sqrt, rsqrt, reciprocal
 * kernels; 2, 3, -2: products; else SLEEF's pow on vectors, the exponent
 * rounded to T, and on the tail std::pow(base, exp) in double, rounded to
 * T). NAME##_e takes the exponent as the double ATen's Scalar holds (a
 * Python number's full value), NAME reads it from the operand. ---- */
#define DEF_POW_SCALAR(NAME, T, VT, VPOW)                                         \
    DEF_KVEC(NAME##_sq, T, VT, a * a, a * a)                                      \
    DEF_KVEC(NAME##_cube, T, VT, a * a * a, a * a * a)                            \
    DEF_KVEC(NAME##_m2, T, VT, V_ONE / (a * a), 1.0 / (double)(a * a))            \
    DEF_KVEC(NAME##_rsqrt, T, VT, V_ONE / V_SQRT(a), (C)1 / sqrt(a))              \
    DEF_KVEC(NAME##_recip, T, VT, V_ONE / a, (C)1 / a)                            \
    static void NAME##_e(char **d, const int64_t *s, int64_t n, void *ctx, double e) { \
        typedef T C;                                                              \
        char *d2[2] = {d[0], d[1]};                                               \
        if (e == 0.5) {                                                           \
            for (int64_t i = 0; i < n; i++)                                       \
                *(T *)(d[0] + i * s[0]) = sqrt(*(const T *)(d[1] + i * s[1]));    \
            return;                                                               \
        }                                                                         \
        if (e == -0.5) return NAME##_rsqrt(d2, s, n, ctx);                        \
        if (e == -1) return NAME##_recip(d2, s, n, ctx);                          \
        if (e == 2) return NAME##_sq(d2, s, n, ctx);                              \
        if (e == 3) return NAME##_cube(d2, s, n, ctx);                            \
        if (e == -2) return NAME##_m2(d2, s, n, ctx);                             \
        const int64_t w = LANES(VT, T);                                           \
        int64_t i = 0;                                                            \
        if (s[0] == sizeof(T) && s[1] == sizeof(T)) {                             \
            T *o = (T *)d[0];                                                     \
            const T *x = (const T *)d[1];                                         \
            const VT b = (T)e - (VT){0};                                          \
            for (; i + 2 * w <= n; i += 2 * w) {                                  \
                VT a, r0, r1;                                                     \
                memcpy(&a, x + i, sizeof a);                                      \
                r0 = VPOW(a, b);                                                  \
                memcpy(&a, x + i + w, sizeof a);                                  \
                r1 = VPOW(a, b);                                                  \
                memcpy(o + i, &r0, sizeof r0);                                    \
                memcpy(o + i + w, &r1, sizeof r1);                                \
            }                                                                     \
        }                                                                         \
        for (; i < n; i++)                                                        \
            *(T *)(d[0] + i * s[0]) =                                             \
                (C)pow((double)*(const T *)(d[1] + i * s[1]), e);                 \
    }                                                                             \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {          \
        NAME##_e(d, s, n, ctx, (double)*(const T *)d[2]);                         \
    }                                                                             \
    /* ctx: the exponent, a double */                                             \
    static void NAME##_dexp(char **d, const int64_t *s, int64_t n, void *ctx) {   \
        NAME##_e(d, s, n, NULL, *(const double *)ctx);                            \
    }                                                                             \
    static void NAME##_any(char **d, const int64_t *s, int64_t n, void *ctx);     \
    static void NAME##_dispatch(char **d, const int64_t *s, int64_t n, void *ctx) { \
        if (s[2] == 0 && s[1] != 0) NAME(d, s, n, ctx);                           \
        else NAME##_any(d, s, n, ctx);                                            \
    }

/* the rows' LOOP column names the loop: MAP or KVEC */
#define GEN_MAP(NAME, T, VT, VEXPR, SEXPR) DEF_MAP(NAME, T, VT, VEXPR)
#define GEN_KVEC(NAME, T, VT, VEXPR, SEXPR) DEF_KVEC(NAME, T, VT, VEXPR, SEXPR)

#define V_ONE ((V_T){0} + 1)
#define V_ZERO ((V_T){0})

/* float32 loops */
#define V_T VF
#define V_SLEEF1(f, u) SLEEF_F(f, u)
#define V_SLEEF2(f, u) SLEEF_F(f, u)
#define V_SQRT(v) SQRT_F(v)
#define GEN(OP, LOOP, VEXPR, SEXPR) GEN_##LOOP(vu_##OP##_f32, float, VF, VEXPR, SEXPR)
TSR_VEC_UNARY(GEN)
#undef GEN
#define GEN(OP, VEXPR, SEXPR) DEF_KVEC2(vb_##OP##_f32, float, VF, VEXPR, SEXPR)
TSR_VEC_BINARY(GEN)
#undef GEN
DEF_POW_SCALAR(vb_pow_f32, float, VF, SLEEF_F(pow, u10))
#undef V_T
#undef V_SLEEF1
#undef V_SLEEF2
#undef V_SQRT

/* float64 loops */
#define V_T VD
#define V_SLEEF1(f, u) SLEEF_D(f, u)
#define V_SLEEF2(f, u) SLEEF_D(f, u)
#define V_SQRT(v) SQRT_D(v)
#define GEN(OP, LOOP, VEXPR, SEXPR) GEN_##LOOP(vu_##OP##_f64, double, VD, VEXPR, SEXPR)
TSR_VEC_UNARY(GEN)
#undef GEN
#define GEN(OP, VEXPR, SEXPR) DEF_KVEC2(vb_##OP##_f64, double, VD, VEXPR, SEXPR)
TSR_VEC_BINARY(GEN)
#undef GEN
DEF_POW_SCALAR(vb_pow_f64, double, VD, SLEEF_D(pow, u10))
#undef V_T
#undef V_SLEEF1
#undef V_SLEEF2
#undef V_SQRT

#define VEC_TABLE_FN_(S) vec_unary_loop_##S
#define VEC_TABLE_FN(S) VEC_TABLE_FN_(S)
IterLoopFn VEC_TABLE_FN(SUFFIX)(UnaryOp op, DType dt) {
    static const IterLoopFn f32[UN_COUNT] = {
#define ENTRY(OP, ...) [UN_##OP] = vu_##OP##_f32,
        TSR_VEC_UNARY(ENTRY)
#undef ENTRY
    };
    static const IterLoopFn f64[UN_COUNT] = {
#define ENTRY(OP, ...) [UN_##OP] = vu_##OP##_f64,
        TSR_VEC_UNARY(ENTRY)
#undef ENTRY
    };
    if ((unsigned)op >= UN_COUNT) return NULL;
    return dt == DT_FLOAT32 ? f32[op] : dt == DT_FLOAT64 ? f64[op] : NULL;
}

/* ---- softmax / log_softmax over the last dim (SoftMaxKernel.cpp's
 * _vec_softmax_lastdim, _vec_log_softmax_lastdim) with functional_base.h's
 * vec::reduce_all / map_reduce_all: lanes accumulate across the row, the
 * last partial vector updates only its own lanes (Vec::set), and the lanes
 * are then folded: float's whole vectors by halves (VecReduceAllSIMD's
 * shuffles), otherwise in order 0, 1, 2, ... ---- */
#define DEF_SOFTMAX_LASTDIM(NAME, T, VT, VEXP, VLOG)                              \
    static T NAME##_max1(T a, T b) { /* vec::maximum, one lane */                 \
        return (a != a || b != b) ? (T)NAN : (a > b ? a : b);                     \
    }                                                                             \
    static T NAME##_fold(VT acc, int64_t lanes, bool is_max) {                    \
        T a[sizeof(VT) / sizeof(T)];                                              \
        memcpy(a, &acc, sizeof acc);                                              \
        if (sizeof(T) == 4 && lanes == LANES(VT, T)) {                            \
            /* VecReduceAllSIMD<float>: halves, then quarters, ... */             \
            for (int64_t step = lanes / 2; step >= 1; step /= 2) {                \
                T b[sizeof(VT) / sizeof(T)];                                      \
                for (int64_t k = 0; k < lanes; k++)                               \
                    b[k] = is_max ? NAME##_max1(a[k], a[k ^ step]) : a[k] + a[k ^ step]; \
                memcpy(a, b, sizeof b);                                           \
            }                                                                     \
            return a[0];                                                          \
        }                                                                         \
        T r = a[0];                                                               \
        for (int64_t k = 1; k < lanes; k++)                                       \
            r = is_max ? NAME##_max1(r, a[k]) : r + a[k];                         \
        return r;                                                                 \
    }                                                                             \
    static VT NAME##_load(const T *p, int64_t count) {                            \
        T tmp[sizeof(VT) / sizeof(T)] = {0};                                      \
        VT v;                                                                     \
        memcpy(tmp, p, (size_t)count * sizeof(T));                                \
        memcpy(&v, tmp, sizeof v);                                                \
        return v;                                                                 \
    }                                                                             \
    static VT NAME##_vmax(VT a, VT b) { /* vec::maximum: NaN propagates */         \
        VT r;                                                                     \
        for (size_t k = 0; k < sizeof(VT) / sizeof(T); k++)                       \
            r[k] = NAME##_max1(a[k], b[k]);                                       \
        return r;                                                                 \
    }                                                                             \
    /* reduce_all(maximum) and map_reduce_all((x - mx).exp(), +) */              \
    static T NAME##_reduce(const T *x, int64_t n, bool is_max, T mx) {            \
        const int64_t w = LANES(VT, T);                                           \
        VT acc, v;                                                                \
        if (n < w) {                                                              \
            v = NAME##_load(x, n);                                                \
            if (!is_max) v = VEXP(v - mx);                                        \
            return NAME##_fold(v, n, is_max);                                     \
        }                                                                         \
        memcpy(&acc, x, sizeof acc);                                              \
        if (!is_max) acc = VEXP(acc - mx);                                        \
        int64_t d = w;                                                            \
        for (; d < n - n % w; d += w) {                                           \
            memcpy(&v, x + d, sizeof v);                                          \
            if (is_max) acc = NAME##_vmax(acc, v);                                \
            else acc = acc + VEXP(v - mx);                                        \
        }                                                                         \
        if (n - d > 0) {                                                          \
            v = NAME##_load(x + d, n - d);                                        \
            VT r;                                                                 \
            if (is_max) r = NAME##_vmax(acc, v);                                  \
            else r = acc + VEXP(v - mx);                                          \
            for (int64_t k = 0; k < n - d; k++) acc[k] = r[k];                    \
        }                                                                         \
        return NAME##_fold(acc, w, is_max);                                       \
    }                                                                             \
    static void NAME(const T *in, T *out, int64_t outer, int64_t n, bool lg) {    \
        const int64_t w = LANES(VT, T);                                           \
        for (int64_t i = 0; i < outer; i++) {                                     \
            const T *x = in + i * n;                                              \
            T *y = out + i * n;                                                   \
            T mx = NAME##_reduce(x, n, true, 0);                                  \
            T sum = NAME##_reduce(x, n, false, mx);                               \
            int64_t d = 0;                                                        \
            if (lg) {                                                             \
                VT s = (VT){0} + sum; /* vec::map(log) over the sums */           \
                s = VLOG(s);                                                      \
                T ls = s[0];                                                      \
                for (; d + w <= n; d += w) {                                      \
                    VT v;                                                         \
                    memcpy(&v, x + d, sizeof v);                                  \
                    v = v - mx - ls;                                              \
                    memcpy(y + d, &v, sizeof v);                                  \
                }                                                                 \
                for (; d < n; d++) y[d] = x[d] - mx - ls; /* lane by lane */      \
            } else {                                                              \
                T inv = 1 / sum;                                                  \
                for (; d + w <= n; d += w) {                                      \
                    VT v;                                                         \
                    memcpy(&v, x + d, sizeof v);                                  \
                    v = VEXP(v - mx) * inv;                                       \
                    memcpy(y + d, &v, sizeof v);                                  \
                }                                                                 \
                if (d < n) {                                                      \
                    VT v = NAME##_load(x + d, n - d);                             \
                    v = VEXP(v - mx) * inv;                                       \
                    T tmp[sizeof(VT) / sizeof(T)];                                \
                    memcpy(tmp, &v, sizeof v);                                    \
                    memcpy(y + d, tmp, (size_t)(n - d) * sizeof(T));              \
                }                                                                 \
            }                                                                     \
        }                                                                         \
    }

/* ---- softmax over a dim that is not the last (SoftMaxKernel.cpp's
 * _vec_softmax): across each outer block, W columns of the inner dims at a
 * time as vectors (max, exp stored and summed down the dim, then divided by
 * the sum); the remaining columns one by one as host_softmax's scalar
 * loop does it, except that the sum is of scalar_t and the result divided
 * (std::max does not propagate a NaN after the first element) ---- */
#define DEF_SOFTMAX_INNER(NAME, T, VT, VEXP, VMAX)                                \
    static void NAME(const T *in, T *out, int64_t outer, int64_t n, int64_t inner) { \
        const int64_t w = LANES(VT, T);                                           \
        for (int64_t o = 0; o < outer; o++) {                                     \
            const T *xo = in + o * n * inner;                                     \
            T *yo = out + o * n * inner;                                          \
            int64_t j = 0;                                                        \
            for (; j + w <= inner; j += w) {                                      \
                VT mx, v, sum = (VT){0};                                          \
                memcpy(&mx, xo + j, sizeof mx);                                   \
                for (int64_t d = 1; d < n; d++) {                                 \
                    memcpy(&v, xo + d * inner + j, sizeof v);                     \
                    mx = VMAX(mx, v);                                             \
                }                                                                 \
                for (int64_t d = 0; d < n; d++) {                                 \
                    memcpy(&v, xo + d * inner + j, sizeof v);                     \
                    v = VEXP(v - mx);                                             \
                    memcpy(yo + d * inner + j, &v, sizeof v);                     \
                    sum = sum + v;                                                \
                }                                                                 \
                for (int64_t d = 0; d < n; d++) {                                 \
                    memcpy(&v, yo + d * inner + j, sizeof v);                     \
                    v = v / sum;                                                  \
                    memcpy(yo + d * inner + j, &v, sizeof v);                     \
                }                                                                 \
            }                                                                     \
            for (; j < inner; j++) {                                              \
                T mx = xo[j], sum = 0;                                            \
                for (int64_t d = 1; d < n; d++) {                                 \
                    T v = xo[d * inner + j];                                      \
                    if (mx < v) mx = v;                                           \
                }                                                                 \
                for (int64_t d = 0; d < n; d++) {                                 \
                    yo[d * inner + j] = exp(xo[d * inner + j] - mx);              \
                    sum += yo[d * inner + j];                                     \
                }                                                                 \
                for (int64_t d = 0; d < n; d++) yo[d * inner + j] = yo[d * inner + j] / sum; \
            }                                                                     \
        }                                                                         \
    }

/* ---- log_softmax over a dim that is not the last (_vec_logsoftmax): per
 * outer block, the columns' max (blendv(max, x, x > max) from -inf: a NaN
 * is skipped), the sum of exp(x - max) down the dim (vectors, then
 * std::exp on the inner % W last columns), SLEEF's log of every sum
 * (vec::map), then x - max - log(sum). Columns are taken in chunks of
 * about 128 KiB, a multiple of W: the scalar columns are the last
 * inner % W either way. sc holds the column maxima and sums: the caller's
 * 2 * inner elements. ---- */
#define DEF_LOG_SOFTMAX_INNER(NAME, T, VT, VEXP, VLOG)                            \
    static void NAME##_map_log(T *p, int64_t n) {                                 \
        const int64_t w = LANES(VT, T);                                           \
        int64_t i = 0;                                                            \
        for (; i < n; i += w) {                                                   \
            T tmp[sizeof(VT) / sizeof(T)] = {0};                                  \
            int64_t m = n - i < w ? n - i : w;                                    \
            VT v;                                                                 \
            memcpy(tmp, p + i, (size_t)m * sizeof(T));                            \
            memcpy(&v, tmp, sizeof v);                                            \
            v = VLOG(v);                                                          \
            memcpy(tmp, &v, sizeof v);                                            \
            memcpy(p + i, tmp, (size_t)m * sizeof(T));                            \
        }                                                                         \
    }                                                                             \
    static void NAME(const T *in, T *out, int64_t outer, int64_t n, int64_t inner) { \
        const int64_t w = LANES(VT, T), vend = inner - inner % w;                 \
        T mxs[64], sums[64]; /* a block of columns at a time */                   \
        for (int64_t o = 0; o < outer; o++) {                                     \
            const T *xo = in + o * n * inner;                                     \
            T *yo = out + o * n * inner;                                          \
            for (int64_t c0 = 0; c0 < inner; c0 += 64) {                          \
                int64_t c1 = c0 + 64 < inner ? c0 + 64 : inner;                   \
                for (int64_t c = c0; c < c1; c++) {                               \
                    mxs[c - c0] = -INFINITY;                                      \
                    sums[c - c0] = 0;                                             \
                }                                                                 \
                for (int64_t d = 0; d < n; d++)                                   \
                    for (int64_t c = c0; c < c1; c++) {                           \
                        T v = xo[d * inner + c];                                  \
                        if (v > mxs[c - c0]) mxs[c - c0] = v;                     \
                    }                                                             \
                for (int64_t d = 0; d < n; d++) {                                 \
                    int64_t c = c0;                                               \
                    for (; c + w <= c1 && c + w <= vend; c += w) {                \
                        VT v, m, sm;                                              \
                        memcpy(&v, xo + d * inner + c, sizeof v);                 \
                        memcpy(&m, mxs + (c - c0), sizeof m);                     \
                        memcpy(&sm, sums + (c - c0), sizeof sm);                  \
                        sm = sm + VEXP(v - m);                                    \
                        memcpy(sums + (c - c0), &sm, sizeof sm);                  \
                    }                                                             \
                    for (; c < c1; c++)                                           \
                        sums[c - c0] += exp(xo[d * inner + c] - mxs[c - c0]);     \
                }                                                                 \
                NAME##_map_log(sums, c1 - c0);                                    \
                for (int64_t d = 0; d < n; d++)                                   \
                    for (int64_t c = c0; c < c1; c++)                             \
                        yo[d * inner + c] = xo[d * inner + c] - mxs[c - c0] - sums[c - c0]; \
            }                                                                     \
        }                                                                         \
    }

DEF_SOFTMAX_LASTDIM(vsm_f32, float, VF, SLEEF_F(exp, u10), SLEEF_F(log, u10))
DEF_SOFTMAX_LASTDIM(vsm_f64, double, VD, SLEEF_D(exp, u10), SLEEF_D(log, u10))
DEF_SOFTMAX_INNER(vsmi_f32, float, VF, SLEEF_F(exp, u10), vsm_f32_vmax)
DEF_SOFTMAX_INNER(vsmi_f64, double, VD, SLEEF_D(exp, u10), vsm_f64_vmax)
DEF_LOG_SOFTMAX_INNER(vlsmi_f32, float, VF, SLEEF_F(exp, u10), SLEEF_F(log, u10))
DEF_LOG_SOFTMAX_INNER(vlsmi_f64, double, VD, SLEEF_D(exp, u10), SLEEF_D(log, u10))

#include "vec_softmax_bwd_loops.h"
DEF_SOFTMAX_BWD(vsmb_f32, float, VF, SLEEF_F(exp, u10), vsm_f32_fold, vsm_f32_load)
DEF_SOFTMAX_BWD(vsmb_f64, double, VD, SLEEF_D(exp, u10), vsm_f64_fold, vsm_f64_load)

/* pow: the scalar-exponent kernel when the exponent is broadcast, else the
 * row's tensor-tensor loop */
static void vb_pow_f32_any(char **d, const int64_t *s, int64_t n, void *ctx) {
    vb_POW_f32(d, s, n, ctx);
}
static void vb_pow_f64_any(char **d, const int64_t *s, int64_t n, void *ctx) {
    vb_POW_f64(d, s, n, ctx);
}

#define VEC_BINARY_FN_(S) vec_binary_loop_##S
#define VEC_BINARY_FN(S) VEC_BINARY_FN_(S)
IterLoopFn VEC_BINARY_FN(SUFFIX)(BinaryOp op, DType dt) {
    static const IterLoopFn f32[BIN_COUNT] = {
#define ENTRY(OP, ...) [BIN_##OP] = vb_##OP##_f32,
        TSR_VEC_BINARY(ENTRY)
#undef ENTRY
    };
    static const IterLoopFn f64[BIN_COUNT] = {
#define ENTRY(OP, ...) [BIN_##OP] = vb_##OP##_f64,
        TSR_VEC_BINARY(ENTRY)
#undef ENTRY
    };
    if ((unsigned)op >= BIN_COUNT) return NULL;
    if (op == BIN_POW)
        return dt == DT_FLOAT32 ? vb_pow_f32_dispatch : dt == DT_FLOAT64 ? vb_pow_f64_dispatch : NULL;
    return dt == DT_FLOAT32 ? f32[op] : dt == DT_FLOAT64 ? f64[op] : NULL;
}

#include "vec_softmax_bf16_loops.h"

#define VEC_SOFTMAX_FN_(S) vec_softmax_lastdim_##S
#define VEC_SOFTMAX_FN(S) VEC_SOFTMAX_FN_(S)
bool VEC_SOFTMAX_FN(SUFFIX)(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                            bool log) {
    if (dt == DT_FLOAT32) vsm_f32((const float *)in, (float *)out, outer, n, log);
    else if (dt == DT_FLOAT64) vsm_f64((const double *)in, (double *)out, outer, n, log);
    else if (dt == DT_BFLOAT16) bsm_lastdim((const tsr_bfloat16 *)in, (tsr_bfloat16 *)out, outer, n, log);
    else return false;
    return true;
}

#define VEC_SOFTMAX_INNER_FN_(S) vec_softmax_inner_##S
#define VEC_SOFTMAX_INNER_FN(S) VEC_SOFTMAX_INNER_FN_(S)
bool VEC_SOFTMAX_INNER_FN(SUFFIX)(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                                  int64_t inner, bool log) {
    if (dt == DT_FLOAT32 && log) vlsmi_f32((const float *)in, (float *)out, outer, n, inner);
    else if (dt == DT_FLOAT64 && log) vlsmi_f64((const double *)in, (double *)out, outer, n, inner);
    else if (dt == DT_FLOAT32) vsmi_f32((const float *)in, (float *)out, outer, n, inner);
    else if (dt == DT_FLOAT64) vsmi_f64((const double *)in, (double *)out, outer, n, inner);
    else if (dt == DT_BFLOAT16) bsm_inner((const tsr_bfloat16 *)in, (tsr_bfloat16 *)out, outer, n, inner, log);
    else return false;
    return true;
}

#define VEC_SOFTMAX_BWD_FN_(S) vec_softmax_backward_##S
#define VEC_SOFTMAX_BWD_FN(S) VEC_SOFTMAX_BWD_FN_(S)
bool VEC_SOFTMAX_BWD_FN(SUFFIX)(DType dt, const char *g, const char *y, char *out, int64_t outer,
                                int64_t n, int64_t inner, bool lastdim, bool log) {
    if (dt == DT_FLOAT32)
        vsmb_f32((const float *)g, (const float *)y, (float *)out, outer, n, inner, lastdim, log);
    else if (dt == DT_FLOAT64)
        vsmb_f64((const double *)g, (const double *)y, (double *)out, outer, n, inner, lastdim, log);
    else if (dt == DT_BFLOAT16)
        bsm_backward((const tsr_bfloat16 *)g, (const tsr_bfloat16 *)y, (tsr_bfloat16 *)out, outer, n, inner,
                     lastdim, log);
    else return false;
    return true;
}

#define VEC_POW_SCALAR_FN_(S) vec_pow_scalar_loop_##S
#define VEC_POW_SCALAR_FN(S) VEC_POW_SCALAR_FN_(S)
IterLoopFn VEC_POW_SCALAR_FN(SUFFIX)(DType dt) {
    return dt == DT_FLOAT32 ? vb_pow_f32_dexp : dt == DT_FLOAT64 ? vb_pow_f64_dexp : NULL;
}
