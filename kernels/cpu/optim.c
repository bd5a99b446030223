/* optim.c: the optimizers' fused updates (optim.h). The build compiles C
 * without contraction (-std=c11, and -ffp-contract=off in the Makefile),
 * so every `a * b` and `a + b` below rounds on its own and only FMA() is
 * fused; the copies built for FMA hardware run where the CPU has it (one
 * rounding either way: the same bits as libm's fma). */
#include "optim.h"

#include <math.h>
#include <stdint.h>

/* whether two arrays of `bytes` bytes share any byte */
static bool overlaps(const void *a, const void *b, int64_t bytes) {
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    return x < y + (uintptr_t)bytes && y < x + (uintptr_t)bytes;
}

/* One update per element, so the loop vectorises when the three arrays
 * are distinct (restrict); the flags are constants of each call, which
 * GCC hoists out of the loop. The same operations a lane as one scalar. */
#define SGD_BODY(T, FMA)                                                                            \
    for (int64_t i = 0; i < n; i++) {                                                               \
        T d = maximize ? -g[i] : g[i];                                                              \
        if (decay) d = FMA(p[i], wd, d);                                                            \
        if (use_buf) {                                                                              \
            T b = buf[i] * mom;                                                                     \
            b = FMA(d, damp, b);                                                                    \
            buf[i] = b;                                                                             \
            d = nesterov ? FMA(b, mom, d) : b;                                                      \
        }                                                                                           \
        p[i] = FMA(d, nlr, p[i]);                                                                   \
    }
#define DEF_SGD(NAME, T, FMA, ATTR)                                                                 \
    ATTR static void NAME##_distinct(int64_t n, T *restrict p, const T *restrict g, T *restrict buf, \
                                     T wd, T mom, T damp, T nlr, bool maximize, bool decay,         \
                                     bool use_buf, bool nesterov) {                                 \
        SGD_BODY(T, FMA)                                                                            \
    }                                                                                               \
    ATTR static void NAME##_any(int64_t n, T *p, const T *g, T *buf, T wd, T mom, T damp, T nlr,   \
                                bool maximize, bool decay, bool use_buf, bool nesterov) {           \
        SGD_BODY(T, FMA)                                                                            \
    }                                                                                               \
    ATTR static void NAME(int64_t n, void *pv, const void *gv, void *bv, const SgdStep *s) {        \
        T *p = pv, *buf = bv;                                                                       \
        const T *g = gv;                                                                            \
        const T wd = (T)s->weight_decay, mom = (T)s->momentum, damp = (T)s->damp, nlr = (T)-s->lr;  \
        bool decay = s->weight_decay != 0, use_buf = s->momentum != 0;                              \
        bool distinct = !overlaps(p, g, n * (int64_t)sizeof(T)) &&                                  \
                        !(use_buf && (overlaps(p, buf, n * (int64_t)sizeof(T)) ||                   \
                                      overlaps(g, buf, n * (int64_t)sizeof(T))));                   \
        (distinct ? NAME##_distinct : NAME##_any)(n, p, g, use_buf ? buf : NULL, wd, mom, damp, nlr, \
                                                  s->maximize, decay, use_buf, s->nesterov);        \
    }

/* torch.maximum: NaN from either side */
#define DEF_ADAM(NAME, T, FMA, SQRT, ATTR)                                                          \
    ATTR static void NAME(int64_t n, void *pv, const void *gv, void *mv, void *vv, void *xv,         \
                          const AdamStep *s) {                                                      \
        T *p = pv, *m = mv, *v = vv, *vmax = xv;                                                    \
        const T *g = gv;                                                                            \
        const T wd = (T)s->weight_decay, dec = (T)s->decay, b1 = (T)s->beta1, b2 = (T)s->beta2;     \
        const T omb1 = (T)s->omb1, omb2 = (T)s->omb2, eps = (T)s->eps, bc2 = (T)s->bc2_sqrt;        \
        const T nss = (T)-s->step_size;                                                             \
        bool coupled = !s->decoupled && s->weight_decay != 0;                                       \
        for (int64_t i = 0; i < n; i++) {                                                           \
            T gi = s->maximize ? -g[i] : g[i];                                                      \
            T pi = p[i];                                                                            \
            if (s->decoupled) pi = pi * dec;                                                        \
            else if (coupled) gi = FMA(pi, wd, gi);                                                 \
            T mi = m[i] * b1;                                                                       \
            mi = FMA(gi, omb1, mi);                                                                 \
            m[i] = mi;                                                                              \
            T vi = v[i] * b2;                                                                       \
            T sg = omb2 * gi;                                                                       \
            vi = FMA(sg, gi, vi);                                                                   \
            v[i] = vi;                                                                              \
            T src = vi;                                                                             \
            if (s->amsgrad) {                                                                       \
                T a = vmax[i];                                                                      \
                src = (a != a || a > vi) ? a : vi;                                                  \
                vmax[i] = src;                                                                      \
            }                                                                                       \
            T den = SQRT(src) / bc2;                                                                \
            den = den + eps;                                                                        \
            T num = nss * mi;                                                                       \
            T q = num / den;                                                                        \
            p[i] = pi + q;                                                                          \
        }                                                                                           \
    }

DEF_SGD(sgd_f32, float, fmaf, )
DEF_SGD(sgd_f64, double, fma, )
DEF_ADAM(adam_f32, float, fmaf, sqrtf, )
DEF_ADAM(adam_f64, double, fma, sqrt, )
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_FMA_HW 1
DEF_SGD(sgd_f32_hw, float, __builtin_fmaf, __attribute__((target("avx2,fma"))))
DEF_SGD(sgd_f64_hw, double, __builtin_fma, __attribute__((target("avx2,fma"))))
DEF_ADAM(adam_f32_hw, float, __builtin_fmaf, __builtin_sqrtf, __attribute__((target("avx2,fma"))))
DEF_ADAM(adam_f64_hw, double, __builtin_fma, __builtin_sqrt, __attribute__((target("avx2,fma"))))
#endif

typedef void (*SgdFn)(int64_t, void *, const void *, void *, const SgdStep *);
typedef void (*AdamFn)(int64_t, void *, const void *, void *, void *, void *, const AdamStep *);

/* the loops for dt: [0] float32, [1] float64; false for other dtypes */
static bool pick(DType dt, int *k) {
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) return false;
    *k = dt == DT_FLOAT64;
#ifdef HAVE_FMA_HW
    if (__builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2")) *k += 2;
#endif
    return true;
}

KernelStatus kernel_sgd_step(DType dt, int64_t n, void *param, const void *grad, void *buf, const SgdStep *s) {
    static const SgdFn fns[] = {sgd_f32, sgd_f64,
#ifdef HAVE_FMA_HW
                                sgd_f32_hw, sgd_f64_hw
#endif
    };
    int k;
    if (!pick(dt, &k)) return KERNEL_UNSUPPORTED;
    fns[k](n, param, grad, buf, s);
    return KERNEL_OK;
}

KernelStatus kernel_adam_step(DType dt, int64_t n, void *param, const void *grad, void *m, void *v, void *vmax,
                              const AdamStep *s) {
    static const AdamFn fns[] = {adam_f32, adam_f64,
#ifdef HAVE_FMA_HW
                                 adam_f32_hw, adam_f64_hw
#endif
    };
    int k;
    if (!pick(dt, &k)) return KERNEL_UNSUPPORTED;
    fns[k](n, param, grad, m, v, vmax, s);
    return KERNEL_OK;
}
