/* loss_ctc.c: CTC's alpha and beta recursions (loss_ctc.h), written once
 * per dtype as LossCTC.cpp's ctc_loss_cpu_template and
 * ctc_loss_backward_cpu_template compute them in scalar_t. */
#include "loss_ctc.h"

#include <math.h>

/* target' of state s: blank between the labels */
static int64_t prime(const CtcGeom *g, int64_t b, int64_t s) {
    return s % 2 == 0 ? g->blank : g->targets[g->offsets[b] + s / 2];
}

#define DEF_CTC(SUF, FT, EXP, LOG)                                                                        \
    static void fwd_##SUF(const CtcGeom *g, const FT *lp, FT *nll, FT *la) {                               \
        const FT neginf = (FT)-INFINITY;                                                                  \
        for (int64_t b = 0; b < g->N; b++) {                                                            \
            int64_t il = g->input_lengths[b], tl = g->target_lengths[b];                                \
            FT *a = la + b * g->T * g->L;                                                                \
            for (int64_t s = 0; s < g->L; s++) a[s] = neginf;                                           \
            a[0] = lp[b * g->C + g->blank];                                                             \
            if (tl > 0) a[1] = lp[b * g->C + prime(g, b, 1)];                                           \
            for (int64_t t = 1; t < il; t++) {                                                          \
                for (int64_t s = 0; s < 2 * tl + 1; s++) {                                              \
                    int64_t cur = prime(g, b, s);                                                       \
                    FT la1 = a[(t - 1) * g->L + s], lamax = la1, la2, la3;                               \
                    if (s > 0) {                                                                        \
                        la2 = a[(t - 1) * g->L + s - 1];                                                \
                        if (la2 > lamax) lamax = la2;                                                   \
                    } else {                                                                            \
                        la2 = neginf;                                                                   \
                    }                                                                                   \
                    if (s > 1 && prime(g, b, s - 2) != cur) {                                           \
                        la3 = a[(t - 1) * g->L + s - 2];                                                \
                        if (la3 > lamax) lamax = la3;                                                   \
                    } else {                                                                            \
                        la3 = neginf;                                                                   \
                    }                                                                                   \
                    if (lamax == neginf) lamax = 0;                                                     \
                    FT sum = EXP(la1 - lamax) + EXP(la2 - lamax);                                        \
                    sum = sum + EXP(la3 - lamax);                                                       \
                    FT r = LOG(sum) + lamax;                                                             \
                    a[t * g->L + s] = r + lp[(t * g->N + b) * g->C + cur];                              \
                }                                                                                       \
            }                                                                                           \
            if (il <= 0) {                                                                              \
                nll[b] = (FT)INFINITY; /* ATen reads before log_alpha here */                            \
            } else if (tl == 0) {                                                                       \
                nll[b] = -a[(il - 1) * g->L];                                                           \
            } else {                                                                                    \
                FT l1 = a[(il - 1) * g->L + tl * 2], l2 = a[(il - 1) * g->L + tl * 2 - 1];               \
                FT m = l1 < l2 ? l2 : l1; /* std::max */                                                 \
                m = m == neginf ? 0 : m;                                                                \
                FT ll = LOG(EXP(l1 - m) + EXP(l2 - m)) + m;                                              \
                nll[b] = -ll;                                                                           \
            }                                                                                           \
        }                                                                                               \
    }                                                                                                   \
    static void bwd_##SUF(const CtcGeom *g, const FT *gout, const FT *lp, const FT *nll, const FT *la,      \
                          bool zero_inf, FT *lb, FT *grad) {                                              \
        const FT neginf = (FT)-INFINITY;                                                                  \
        for (int64_t i = 0; i < g->T * g->N * g->C; i++) grad[i] = neginf;                              \
        for (int64_t b = 0; b < g->N; b++) {                                                            \
            int64_t il = g->input_lengths[b], tl = g->target_lengths[b];                                \
            const FT *a = la + b * g->T * g->L;                                                          \
            FT *be = lb + b * g->T * g->L;                                                               \
            if (il > 0) {                                                                               \
                for (int64_t s = 0; s < g->L; s++) be[(il - 1) * g->L + s] = neginf;                   \
                be[(il - 1) * g->L + 2 * tl] = lp[((il - 1) * g->N + b) * g->C + g->blank];            \
                grad[((il - 1) * g->N + b) * g->C + g->blank] =                                         \
                    a[(il - 1) * g->L + 2 * tl] + be[(il - 1) * g->L + 2 * tl];                         \
                if (tl > 0) {                                                                           \
                    int64_t cur = prime(g, b, 2 * tl - 1);                                              \
                    be[(il - 1) * g->L + 2 * tl - 1] = lp[((il - 1) * g->N + b) * g->C + cur];          \
                    grad[((il - 1) * g->N + b) * g->C + cur] =                                          \
                        a[(il - 1) * g->L + 2 * tl - 1] + be[(il - 1) * g->L + 2 * tl - 1];             \
                }                                                                                       \
            }                                                                                           \
            for (int64_t t = il - 2; t >= 0; t--) {                                                     \
                for (int64_t s = 2 * tl; s >= 0; s--) {                                                 \
                    FT lb1 = be[(t + 1) * g->L + s], lbmax = lb1, lb2, lb3;                              \
                    int64_t cur = prime(g, b, s);                                                       \
                    if (s < 2 * tl) {                                                                   \
                        lb2 = be[(t + 1) * g->L + s + 1];                                               \
                        if (lb2 > lbmax) lbmax = lb2;                                                   \
                    } else {                                                                            \
                        lb2 = neginf;                                                                   \
                    }                                                                                   \
                    if (s < 2 * tl - 1 && prime(g, b, s + 2) != cur) {                                  \
                        lb3 = be[(t + 1) * g->L + s + 2];                                               \
                        if (lb3 > lbmax) lbmax = lb3;                                                   \
                    } else {                                                                            \
                        lb3 = neginf;                                                                   \
                    }                                                                                   \
                    if (lbmax == neginf) lbmax = 0;                                                     \
                    FT sum = EXP(lb1 - lbmax) + EXP(lb2 - lbmax);                                        \
                    sum = sum + EXP(lb3 - lbmax);                                                       \
                    FT r = LOG(sum) + lbmax;                                                             \
                    be[t * g->L + s] = r + lp[(t * g->N + b) * g->C + cur];                             \
                    FT lab = a[t * g->L + s] + be[t * g->L + s];                                         \
                    FT *lcab = &grad[(t * g->N + b) * g->C + cur];                                       \
                    if (*lcab == neginf) {                                                              \
                        *lcab = lab;                                                                    \
                    } else {                                                                            \
                        FT mx = *lcab < lab ? lab : *lcab; /* std::max */                                \
                        *lcab = LOG(EXP(*lcab - mx) + EXP(lab - mx)) + mx;                              \
                    }                                                                                   \
                }                                                                                       \
            }                                                                                           \
            FT gr = gout[b], nl = nll[b];                                                                \
            if (zero_inf && nl == (FT)INFINITY) {                                                        \
                for (int64_t t = 0; t < g->T; t++)                                                      \
                    for (int64_t c = 0; c < g->C; c++) grad[(t * g->N + b) * g->C + c] = 0;             \
                continue;                                                                               \
            }                                                                                           \
            for (int64_t t = 0; t < g->T; t++)                                                          \
                for (int64_t c = 0; c < g->C; c++) {                                                    \
                    FT *res = &grad[(t * g->N + b) * g->C + c];                                          \
                    if (t >= il) {                                                                      \
                        *res = 0;                                                                       \
                        continue;                                                                       \
                    }                                                                                   \
                    FT l = lp[(t * g->N + b) * g->C + c];                                                \
                    FT e = *res + nl;                                                                    \
                    e = e - l;                                                                          \
                    *res = (EXP(l) - EXP(e)) * gr;                                                      \
                }                                                                                       \
        }                                                                                               \
    }

DEF_CTC(f32, float, expf, logf)
DEF_CTC(f64, double, exp, log)

void kernel_ctc_loss(DType dt, const CtcGeom *g, const void *log_probs, void *nll, void *log_alpha) {
    if (dt == DT_FLOAT32) fwd_f32(g, log_probs, nll, log_alpha);
    else fwd_f64(g, log_probs, nll, log_alpha);
}

void kernel_ctc_loss_backward(DType dt, const CtcGeom *g, const void *grad_out, const void *log_probs,
                              const void *nll, const void *log_alpha, bool zero_infinity, void *log_beta, void *grad) {
    if (dt == DT_FLOAT32) bwd_f32(g, grad_out, log_probs, nll, log_alpha, zero_infinity, log_beta, grad);
    else bwd_f64(g, grad_out, log_probs, nll, log_alpha, zero_infinity, log_beta, grad);
}
