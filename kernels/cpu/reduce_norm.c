/* reduce_norm.c: the vector-norm reduction in ATen 1.13's order
 * (reduce_norm.h). */
#include "reduce_norm.h"

#include <math.h>
#include <stdbool.h>

#include "vec_math.h"

/* is_reduce_lastdim: the reduced dims coalesce into one of stride 1;
 * its length in *len. */
static bool one_contiguous_dim(const ReduceOrder *r, int64_t *len) {
    if (r->n == 0 || r->stride[0] != 1) return false;
    int64_t n = r->shape[0];
    for (int i = 1; i < r->n; i++) {
        if (r->stride[i] != r->stride[i - 1] * r->shape[i - 1]) return false;
        n *= r->shape[i];
    }
    *len = n;
    return true;
}

typedef enum { NORM_ZERO, NORM_ONE, NORM_TWO, NORM_MAX, NORM_MIN, NORM_P } NormKind;

static NormKind norm_kind(double p) {
    if (p == 0) return NORM_ZERO;
    if (p == 1) return NORM_ONE;
    if (p == 2) return NORM_TWO;
    if (p == INFINITY) return NORM_MAX;
    if (p == -INFINITY) return NORM_MIN;
    return NORM_P;
}

/* One kernel per accumulator type T (ATen's acc_t: float for float32).
 * FUSED: the AVX2 and AVX-512 builds contract acc + x * x into an FMA. */
#define DEF_NORM(SFX, T, FMA, SQRT, POW, FABS)                                                              \
    static T norm_row_##SFX(const T *x, int64_t size, int lanes, bool fused) {                              \
        T acc[16] = {0};                                                                                    \
        int64_t d = 0;                                                                                      \
        for (; d < size - size % lanes; d += lanes)                                                         \
            for (int k = 0; k < lanes; k++) acc[k] = fused ? FMA(x[d + k], x[d + k], acc[k]) : acc[k] + x[d + k] * x[d + k]; \
        T b = acc[0];                                                                                       \
        for (int k = 1; k < lanes; k++) b = b + acc[k];                                                     \
        /* GCC vectorises the scalar tail's squares four at a time (then adds   \
         * them in order): only the last size % 4 are fused */                 \
        for (int64_t plain = d + (size - d) / 4 * 4; d < plain; d++) b = b + x[d] * x[d];                   \
        for (; d < size; d++) b = fused ? FMA(x[d], x[d], b) : b + x[d] * x[d];                              \
        return SQRT(b);                                                                                     \
    }                                                                                                       \
    static T norm_seq_##SFX(const T *base, const ReduceOrder *r, NormKind k, T p, bool fused) {                  \
        int64_t idx[RED_MAX_DIMS] = {0}, total = 1, off = 0;                                                \
        for (int i = 0; i < r->n; i++) total *= r->shape[i];                                                \
        T acc = k == NORM_MIN ? (T)INFINITY : (T)0;                                                         \
        for (int64_t e = 0; e < total; e++) {                                                               \
            T v = base[off];                                                                                \
            switch (k) {                                                                                    \
            case NORM_ZERO: acc = acc + (v != 0 ? (T)1 : (T)0); break;                                      \
            case NORM_ONE: acc = acc + FABS(v); break;                                                      \
            case NORM_TWO: acc = fused ? FMA(v, v, acc) : acc + v * v; break;                               \
            case NORM_MAX: acc = (isnan(acc) || isnan(v)) ? (T)NAN : (FABS(v) > acc ? FABS(v) : acc); break; \
            case NORM_MIN: acc = (isnan(acc) || isnan(v)) ? (T)NAN : (FABS(v) < acc ? FABS(v) : acc); break; \
            case NORM_P: acc = acc + POW(FABS(v), p); break;                                                \
            }                                                                                               \
            for (int i = 0; i < r->n; i++) {                                                                \
                off += r->stride[i];                                                                        \
                if (++idx[i] < r->shape[i]) break;                                                          \
                off -= r->stride[i] * r->shape[i];                                                          \
                idx[i] = 0;                                                                                 \
            }                                                                                               \
        }                                                                                                   \
        switch (k) {                                                                                        \
        case NORM_TWO: return SQRT(acc);                                                                    \
        case NORM_P: return POW(acc, (T)1 / p);                                                             \
        default: return acc;                                                                                \
        }                                                                                                   \
    }                                                                                                       \
    static void norm_all_##SFX(const ReduceGeom *g, const T *in, T *out, double pd, int lanes, bool fused) { \
        ReduceOrder r;                                                                                          \
        kernel_reduce_order(g, &r);                                                                                    \
        NormKind k = norm_kind(pd);                                                                         \
        int64_t len = 0;                                                                                    \
        bool row = lanes > 0 && k == NORM_TWO && one_contiguous_dim(&r, &len);                              \
        int64_t nout = 1, idx[RED_MAX_DIMS] = {0}, off = 0;                                                 \
        for (int i = 0; i < g->nout; i++) nout *= g->out_shape[i];                                          \
        for (int64_t o = 0; o < nout; o++) {                                                                \
            out[o] = row ? norm_row_##SFX(in + off, len, lanes, fused)                                      \
                         : norm_seq_##SFX(in + off, &r, k, (T)pd, fused);                                   \
            for (int i = g->nout - 1; i >= 0; i--) {                                                        \
                off += g->out_stride[i];                                                                    \
                if (++idx[i] < g->out_shape[i]) break;                                                      \
                off -= g->out_stride[i] * g->out_shape[i];                                                  \
                idx[i] = 0;                                                                                 \
            }                                                                                               \
        }                                                                                                   \
    }
DEF_NORM(f, float, fmaf, sqrtf, powf, fabsf)
DEF_NORM(d, double, fma, sqrt, pow, fabs)

KernelStatus kernel_norm(DType dt, const ReduceGeom *g, const char *in, char *out, double p) {
    CpuCapability cap = cpu_capability();
    bool fused = cap != CPU_CAP_DEFAULT;
    int vec_bytes = cap == CPU_CAP_AVX512 ? 64 : 32;
    if (dt == DT_FLOAT32)
        norm_all_f(g, (const float *)in, (float *)out, p, vec_bytes / 4, fused);
    else if (dt == DT_FLOAT64)
        norm_all_d(g, (const double *)in, (double *)out, p, 0, fused); /* no row loop for double */
    else
        return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}
