/* vec_act_impl.h: vec_act.h's kernels written once over a vector type,
 * for the files that instantiate them per instruction set
 * (vec_act_avx2.c, vec_act_avx512.c). Each expression is written in
 * ATen's order (Activation.cpp, BinaryOpsKernel.cpp): those files are
 * compiled with -ffp-contract=fast, so GCC fuses `a * b + c` where it
 * fuses ATen's own. Include after <immintrin.h>, <sleef.h>, <string.h>
 * and <tgmath.h>, with INLINE defined. */
#ifndef TSR_VEC_ACT_IMPL_H
#define TSR_VEC_ACT_IMPL_H

#include "vec_act.h"

/* The kernels for one type: T the scalar, V the vector, and the vector
 * functions ATen's Vectorized<T> calls. BLEND(a, b, m): m ? b : a lane by
 * lane (Vec::blendv); GT/LT: comparison masks as V. */
#define DEF_ACTS(S, T, V, VEXP, VLOG1P, VTANH, VERF, VMIN, VMAX, VABS, BLEND, GT, LT, GE, AND)   \
    INLINE V S##_splat(T v) { return (V){0} + v; }                                            \
    /* GeluKernelImpl */                                                                       \
    INLINE V S##_gelu_v(V x) {                                                                 \
        const V kAlpha = S##_splat((T)M_SQRT1_2), kOne = S##_splat(1), kHalf = S##_splat(0.5); \
        return x * kHalf * (kOne + VERF(x * kAlpha));                                          \
    }                                                                                          \
    INLINE T S##_gelu_s(T x) {                                                                 \
        const T kAlpha = (T)M_SQRT1_2;                                                         \
        return x * (T)0.5 * ((T)1 + erf(x * kAlpha));                                          \
    }                                                                                          \
    INLINE V S##_gelu_tanh_v(V x) {                                                           \
        const V kBeta = S##_splat((T)(M_SQRT2 * M_2_SQRTPI * 0.5));                             \
        const V kKappa = S##_splat((T)0.044715), kOne = S##_splat(1), kHalf = S##_splat(0.5);  \
        V x_cube = x * x * x;                                                                  \
        V inner = kBeta * (x + kKappa * x_cube);                                               \
        return kHalf * x * (kOne + VTANH(inner));                                              \
    }                                                                                          \
    INLINE T S##_gelu_tanh_s(T x) {                                                           \
        const T kBeta = (T)(M_SQRT2 * M_2_SQRTPI * 0.5), kKappa = (T)0.044715;                  \
        T x_cube = x * x * x;                                                                  \
        T inner = kBeta * (x + kKappa * x_cube);                                               \
        return (T)0.5 * x * ((T)1 + tanh(inner));                                              \
    }                                                                                          \
    /* GeluBackwardKernelImpl */                                                               \
    INLINE V S##_gelu_bwd_v(V dy, V x) {                                                       \
        const V kAlpha = S##_splat((T)M_SQRT1_2);                                              \
        const V kBeta = S##_splat((T)(M_2_SQRTPI * M_SQRT1_2 * 0.5));                           \
        const V kOne = S##_splat(1), kHalf = S##_splat(0.5), kMHalf = S##_splat(-0.5);         \
        V cdf = kHalf * (kOne + VERF(x * kAlpha));                                             \
        V pdf = kBeta * VEXP(x * x * kMHalf);                                                  \
        /* ATen's build fuses x * pdf into the sum, not cdf's product */                     \
        __asm__("" : "+x"(cdf));                                                               \
        return dy * (cdf + x * pdf);                                                           \
    }                                                                                          \
    INLINE T S##_gelu_bwd_s(T dy, T x) {                                                       \
        const T kAlpha = (T)M_SQRT1_2;                                                         \
        const T kBeta = (T)(M_2_SQRTPI * M_SQRT1_2 * (T)0.5);                                   \
        const T cdf = (T)0.5 * ((T)1 + erf(x * kAlpha));                                       \
        const T pdf = kBeta * exp(x * x * (T)-0.5);                                            \
        return dy * (cdf + x * pdf);                                                           \
    }                                                                                          \
    INLINE V S##_gelu_tanh_bwd_v(V dy, V x) {                                                 \
        const V kBeta = S##_splat((T)(M_SQRT2 * M_2_SQRTPI * 0.5));                             \
        const V kKappa = S##_splat((T)0.044715), kOne = S##_splat(1), kThree = S##_splat(3);   \
        const V kHalf = S##_splat(0.5);                                                        \
        V x_sq = x * x;                                                                        \
        V x_cube = x * x * x;                                                                  \
        V inner = kBeta * (x + kKappa * x_cube);                                               \
        V th = VTANH(inner);                                                                   \
        V left = kHalf * x;                                                                    \
        V right = kOne + th;                                                                   \
        V left_derivative = kHalf * right;                                                     \
        V tanh_derivative = kOne - th * th;                                                    \
        V inner_derivative = kBeta * (kOne + kThree * kKappa * x_sq);                          \
        V right_derivative = left * tanh_derivative * inner_derivative;                        \
        return dy * (left_derivative + right_derivative);                                      \
    }                                                                                          \
    INLINE T S##_gelu_tanh_bwd_s(T dy, T x) {                                                 \
        const T kBeta = (T)(M_SQRT2 * M_2_SQRTPI * 0.5), kKappa = (T)0.044715;                  \
        T x_sq = x * x;                                                                        \
        T x_cube = x_sq * x;                                                                   \
        T inner = kBeta * (x + kKappa * x_cube);                                               \
        T th = tanh(inner);                                                                    \
        T left = (T)0.5 * x;                                                                   \
        T right = (T)1 + th;                                                                   \
        T left_derivative = (T)0.5 * right;                                                    \
        T tanh_derivative = (T)1 - th * th;                                                    \
        T inner_derivative = kBeta * ((T)1 + (T)3 * kKappa * x_sq);                            \
        T right_derivative = left * tanh_derivative * inner_derivative;                        \
        return dy * (left_derivative + right_derivative);                                      \
    }                                                                                          \
    /* silu_kernel, silu_backward_kernel */                                                    \
    INLINE V S##_silu_v(V x) { return x / (S##_splat(1) + VEXP(-x)); }                         \
    INLINE T S##_silu_s(T x) { return x / ((T)1 + exp(-x)); }                                  \
    INLINE V S##_silu_bwd_v(V dy, V x) {                                                       \
        const V kOne = S##_splat(1);                                                           \
        const V sigmoid = kOne / (kOne + VEXP(-x));                                            \
        return dy * sigmoid * (kOne + x * (kOne - sigmoid));                                   \
    }                                                                                          \
    INLINE T S##_silu_bwd_s(T dy, T x) {                                                       \
        const T sigmoid = (T)1 / ((T)1 + exp(-x));                                             \
        return dy * sigmoid * ((T)1 + x * ((T)1 - sigmoid));                                   \
    }                                                                                          \
    /* elu_kernel, elu_backward_kernel (c: negcoef, poscoef, negiptcoef) */                    \
    INLINE V S##_elu_v(const T *c, V a) {                                                      \
        const V neg = S##_splat(c[0]), pos = S##_splat(c[1]), ipt = S##_splat(c[2]);           \
        V cmp = GT(a, S##_splat(0));                                                           \
        return BLEND((VEXP(a * ipt) - S##_splat(1)) * neg, a * pos, cmp);                      \
    }                                                                                          \
    INLINE T S##_elu_s(const T *c, T a) {                                                      \
        return a <= (T)0 ? (exp(a * c[2]) - (T)1) * c[0] : a * c[1];                           \
    }                                                                                          \
    INLINE V S##_elu_bwd_v(const T *c, bool is_result, V a, V b) {                             \
        const V neg = S##_splat(c[0]), pos = S##_splat(c[1]), ipt = S##_splat(c[2]);           \
        V cmp = GT(b, S##_splat(0));                                                           \
        if (is_result) return BLEND(a * ipt * (b + neg), a * pos, cmp);                        \
        return BLEND(a * ipt * neg * VEXP(b * ipt), a * pos, cmp);                             \
    }                                                                                          \
    INLINE T S##_elu_bwd_s(const T *c, bool is_result, T a, T b) {                             \
        if (is_result) return b <= (T)0 ? a * c[2] * (b + c[0]) : a * c[1];                    \
        return b <= (T)0 ? a * c[2] * c[0] * exp(b * c[2]) : a * c[1];                         \
    }                                                                                          \
    /* leaky_relu_kernel, leaky_relu_backward_kernel (c: negval) */                            \
    INLINE V S##_leaky_v(const T *c, V a) {                                                    \
        return a * BLEND(S##_splat(c[0]), S##_splat(1), GT(a, S##_splat(0)));                  \
    }                                                                                          \
    INLINE T S##_leaky_s(const T *c, T a) { return a > (T)0 ? a : a * c[0]; }                  \
    INLINE V S##_leaky_bwd_v(const T *c, V b, V a) {                                           \
        return b * BLEND(S##_splat(c[0]), S##_splat(1), GT(a, S##_splat(0)));                  \
    }                                                                                          \
    INLINE T S##_leaky_bwd_s(const T *c, T b, T a) { return a > (T)0 ? b : b * c[0]; }         \
    /* softplus_kernel, softplus_backward_kernel (c: beta, threshold) */                       \
    INLINE V S##_softplus_v(const T *c, V a) {                                                 \
        const V beta = S##_splat(c[0]), threshold = S##_splat(c[1]);                           \
        return BLEND(VLOG1P(VEXP(a * beta)) / beta, a, GT(a * beta, threshold));               \
    }                                                                                          \
    INLINE T S##_softplus_s(const T *c, T a) {                                                 \
        return (a * c[0]) > c[1] ? a : (T)log1p(exp(a * c[0])) / c[0];                         \
    }                                                                                          \
    INLINE V S##_softplus_bwd_v(const T *c, V a, V b) {                                        \
        const V beta = S##_splat(c[0]), threshold = S##_splat(c[1]);                           \
        const V z = VEXP(b * beta);                                                            \
        return BLEND(a * z / (z + S##_splat(1)), a, GT(b * beta, threshold));                  \
    }                                                                                          \
    INLINE T S##_softplus_bwd_s(const T *c, T a, T b) {                                        \
        T z = exp(b * c[0]);                                                                   \
        return (b * c[0]) > c[1] ? a : a * z / (z + (T)1.);                                    \
    }                                                                                          \
    /* log_sigmoid_backward_cpu_kernel (a: self, b: buffer, c: grad) */                        \
    INLINE V S##_logsig_bwd_v(V a, V b, V c) {                                                 \
        const V zero = S##_splat(0), one = S##_splat(1);                                       \
        V mask = LT(a, zero);                                                                  \
        V max_deriv = BLEND(zero, one, mask);                                                  \
        V sign = BLEND(-one, one, mask);                                                       \
        return (max_deriv - sign * (b / (one + b))) * c;                                       \
    }                                                                                          \
    INLINE T S##_logsig_bwd_s(T a, T b, T c) {                                                 \
        bool in_negative = a < (T)0;                                                           \
        T max_deriv = in_negative ? (T)1 : (T)0;                                               \
        T sign = in_negative ? (T)1 : -(T)1;                                                   \
        return (max_deriv - sign * (b / ((T)1 + b))) * c;                                      \
    }                                                                                          \
    /* mish_kernel, mish_backward_kernel */                                                    \
    INLINE V S##_mish_v(V x) { return x * VTANH(VLOG1P(VEXP(x))); }                            \
    INLINE T S##_mish_s(T x) { return x * tanh(log1p(exp(x))); }                               \
    INLINE V S##_mish_bwd_v(V dy, V x) {                                                       \
        const V kOne = S##_splat(1);                                                           \
        const V sigmoid = kOne / (kOne + VEXP(-x));                                            \
        const V tanh_softplus = VTANH(VLOG1P(VEXP(x)));                                        \
        return dy * (tanh_softplus + x * sigmoid * (kOne - tanh_softplus * tanh_softplus));    \
    }                                                                                          \
    INLINE T S##_mish_bwd_s(T dy, T x) {                                                       \
        const T sigmoid = (T)1 / ((T)1 + exp(-x));                                             \
        const T tanh_softplus = tanh(log1p(exp(x)));                                           \
        return dy * (tanh_softplus + x * sigmoid * ((T)1 - tanh_softplus * tanh_softplus));    \
    }                                                                                          \
    /* hardswish_kernel, hardswish_backward_kernel: the vectors pass the  */                   \
    /* gradient through at x >= 3, the scalar lambda only above 3 */                           \
    INLINE T S##_min_s(T a, T b) { return b < a ? b : a; } /* std::min */                      \
    INLINE T S##_max_s(T a, T b) { return a < b ? b : a; } /* std::max */                      \
    INLINE V S##_hardswish_v(V x) {                                                            \
        const V k3 = S##_splat(3), k0 = S##_splat(0), k6 = S##_splat(6);                       \
        return x * VMIN(VMAX(x + k3, k0), k6) / k6;                                        \
    }                                                                                          \
    INLINE T S##_hardswish_s(T x) { return x * S##_min_s(S##_max_s(x + (T)3, (T)0), (T)6) / (T)6; } \
    INLINE V S##_hardswish_bwd_v(V g, V x) {                                                   \
        const V k3 = S##_splat(3), km3 = S##_splat(-3), kh = S##_splat(0.5), k0 = S##_splat(0);  \
        return BLEND(BLEND(g * ((x / k3) + kh), g, GE(x, k3)), k0, LT(x, km3));                \
    }                                                                                          \
    INLINE T S##_hardswish_bwd_s(T g, T x) {                                                   \
        if (x < (T)-3) return (T)0;                                                            \
        if (x <= (T)3) return g * ((x / (T)3) + (T)0.5);                                       \
        return g;                                                                              \
    }                                                                                          \
    /* hardsigmoid_kernel, hardsigmoid_backward_kernel (one_sixth is the  */                   \
    /* float 1.0f / 6.0f, for double too) */                                                   \
    INLINE V S##_hardsigmoid_v(V x) {                                                          \
        const V k3 = S##_splat(3), k0 = S##_splat(0), k6 = S##_splat(6);                       \
        return VMIN(VMAX(x + k3, k0), k6) / k6;                                            \
    }                                                                                          \
    INLINE T S##_hardsigmoid_s(T x) { return S##_min_s(S##_max_s(x + (T)3, (T)0), (T)6) / (T)6; } \
    INLINE V S##_hardsigmoid_bwd_v(V g, V x) {                                                 \
        const V k3 = S##_splat(3), km3 = S##_splat(-3), k0 = S##_splat(0);                     \
        const V sixth = S##_splat((T)(1.0f / 6.0f));                                           \
        return BLEND(k0, g * sixth, AND(GT(x, km3), LT(x, k3)));                               \
    }                                                                                          \
    INLINE T S##_hardsigmoid_bwd_s(T g, T x) {                                                 \
        return (x > (T)-3 && x < (T)3) ? g * (T)(1.0f / 6.0f) : (T)0;                          \
    }                                                                                          \
    /* tanh_backward_kernel (a: grad, b: result) */                                            \
    INLINE V S##_tanh_bwd_v(V a, V b) { return a * (S##_splat(1) - b * b); }                   \
    INLINE T S##_tanh_bwd_s(T a, T b) { return a * ((T)1 - b * b); }                           \
    INLINE V S##_abs(V v) { return VABS(v); }                        \
    /* log_sigmoid_cpu_kernel: vectors over every element, the last one  */                    \
    /* zero padded; the buffer is exp(-|x|) */                                                 \
    static void S##_logsig(int64_t n, const T *x, T *buf, T *out) {                            \
        const int64_t w = (int64_t)(sizeof(V) / sizeof(T));                                    \
        for (int64_t d = 0; d < n; d += w) {                                                   \
            T tx[sizeof(V) / sizeof(T)] = {0}, tb[sizeof(V) / sizeof(T)], to[sizeof(V) / sizeof(T)]; \
            int64_t m = n - d < w ? n - d : w;                                                 \
            V v, b, o;                                                                         \
            memcpy(tx, x + d, (size_t)m * sizeof(T));                                          \
            memcpy(&v, tx, sizeof v);                                                          \
            V mn = VMIN(v, S##_splat(0));                                                      \
            b = VEXP(-S##_abs(v));                                                             \
            o = mn - VLOG1P(b);                                                                \
            memcpy(tb, &b, sizeof b);                                                          \
            memcpy(to, &o, sizeof o);                                                          \
            memcpy(buf + d, tb, (size_t)m * sizeof(T));                                        \
            memcpy(out + d, to, (size_t)m * sizeof(T));                                        \
        }                                                                                      \
    }                                                                                          \
    /* one element or vector of the kernel A names (x, g, b as in vec_act) */                  \
    INLINE V S##_pick_v(const VecActArgs *A, const T *c, V x, V g, V b) {                      \
        switch (A->act) {                                                                      \
        case VACT_GELU: return A->backward ? S##_gelu_bwd_v(g, x) : S##_gelu_v(x);             \
        case VACT_GELU_TANH: return A->backward ? S##_gelu_tanh_bwd_v(g, x) : S##_gelu_tanh_v(x); \
        case VACT_SILU: return A->backward ? S##_silu_bwd_v(g, x) : S##_silu_v(x);             \
        case VACT_ELU: return A->backward ? S##_elu_bwd_v(c, A->is_result, g, x) : S##_elu_v(c, x); \
        case VACT_LEAKY: return A->backward ? S##_leaky_bwd_v(c, g, x) : S##_leaky_v(c, x);    \
        case VACT_SOFTPLUS: return A->backward ? S##_softplus_bwd_v(c, g, x) : S##_softplus_v(c, x); \
        case VACT_LOGSIGMOID: return S##_logsig_bwd_v(x, b, g);                                \
        case VACT_TANH: return S##_tanh_bwd_v(g, x);                                           \
        case VACT_MISH: return A->backward ? S##_mish_bwd_v(g, x) : S##_mish_v(x);             \
        case VACT_HARDSWISH: return A->backward ? S##_hardswish_bwd_v(g, x) : S##_hardswish_v(x); \
        case VACT_HARDSIGMOID: return A->backward ? S##_hardsigmoid_bwd_v(g, x) : S##_hardsigmoid_v(x); \
        default: return x;                                                                     \
        }                                                                                      \
    }                                                                                          \
    INLINE T S##_pick_s(const VecActArgs *A, const T *c, T x, T g, T b) {                      \
        switch (A->act) {                                                                      \
        case VACT_GELU: return A->backward ? S##_gelu_bwd_s(g, x) : S##_gelu_s(x);             \
        case VACT_GELU_TANH: return A->backward ? S##_gelu_tanh_bwd_s(g, x) : S##_gelu_tanh_s(x); \
        case VACT_SILU: return A->backward ? S##_silu_bwd_s(g, x) : S##_silu_s(x);             \
        case VACT_ELU: return A->backward ? S##_elu_bwd_s(c, A->is_result, g, x) : S##_elu_s(c, x); \
        case VACT_LEAKY: return A->backward ? S##_leaky_bwd_s(c, g, x) : S##_leaky_s(c, x);    \
        case VACT_SOFTPLUS: return A->backward ? S##_softplus_bwd_s(c, g, x) : S##_softplus_s(c, x); \
        case VACT_LOGSIGMOID: return S##_logsig_bwd_s(x, b, g);                                \
        case VACT_TANH: return S##_tanh_bwd_s(g, x);                                           \
        case VACT_MISH: return A->backward ? S##_mish_bwd_s(g, x) : S##_mish_s(x);             \
        case VACT_HARDSWISH: return A->backward ? S##_hardswish_bwd_s(g, x) : S##_hardswish_s(x); \
        case VACT_HARDSIGMOID: return A->backward ? S##_hardsigmoid_bwd_s(g, x) : S##_hardsigmoid_s(x); \
        default: return x;                                                                     \
        }                                                                                      \
    }                                                                                          \
    /* cpu_kernel_vec's vectorized_loop: two vectors at a time, then the  */                   \
    /* scalar lambda on the rest */                                                            \
    static void S##_run(const VecActArgs *A, int64_t n, const T *x, const T *g, T *buf, T *out) { \
        T c[3];                                                                                \
        c[0] = A->act == VACT_ELU ? (T)A->p[0] * (T)A->p[1] : (T)A->p[0];                     \
        c[1] = (T)A->p[1];                                                                     \
        c[2] = (T)A->p[2];                                                                     \
        if (A->act == VACT_LOGSIGMOID && !A->backward) {                                       \
            S##_logsig(n, x, buf, out);                                                        \
            return;                                                                            \
        }                                                                                      \
        const int64_t w = (int64_t)(sizeof(V) / sizeof(T));                                    \
        const bool has_b = A->act == VACT_LOGSIGMOID;                                          \
        int64_t i = 0;                                                                         \
        for (; !A->scalar && i + 2 * w <= n; i += 2 * w)                                       \
            for (int64_t k = i; k < i + 2 * w; k += w) {                                       \
                V vx, vg = {0}, vb = {0}, r;                                                   \
                memcpy(&vx, x + k, sizeof vx);                                                 \
                if (g) memcpy(&vg, g + k, sizeof vg);                                          \
                if (has_b) memcpy(&vb, buf + k, sizeof vb);                                    \
                r = S##_pick_v(A, c, vx, vg, vb);                                              \
                memcpy(out + k, &r, sizeof r);                                                 \
            }                                                                                  \
        for (; i < n; i++) out[i] = S##_pick_s(A, c, x[i], g ? g[i] : 0, has_b ? buf[i] : 0);  \
    }

#endif
