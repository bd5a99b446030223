/* loss_ctc.c: ctc_loss's forward-backward recursions (Graves et al.
 * 2006, in log space), as ATen's LossCTC.cpp computes them: the same
 * three-term log-sum-exp with its max, the same order of the loops, one
 * libm exp/log per term in the dtype of the input. */
#include <math.h>

#include "loss_ctc.h"

/* the augmented target l'[s]: blank at even s */
static inline int64_t ctc_prime(const CtcGeom *g, int64_t b, int64_t s) {
    return s % 2 == 0 ? g->blank : g->targets[g->offsets[b] + s / 2];
}

#define CTC_LOOPS(T_, EXP, LOG, SUFFIX)                                                                         \
    static void ctc_forward_##SUFFIX(const CtcGeom *g, const T_ *lp, T_ *nll, T_ *la) {                      \
        const T_ neginf = -(T_)INFINITY;                                                                     \
        const int64_t T = g->T, B = g->B, C = g->C, S = g->S;                                                \
        for (int64_t b = 0; b < B; b++)                                                                      \
            for (int64_t s = 0; s < S; s++) la[b * T * S + s] = neginf;                                      \
        for (int64_t b = 0; b < B; b++) {                                                                    \
            int64_t il = g->input_lengths[b], tl = g->target_lengths[b];                                     \
            const T_ *lpb = lp + b * C; /* lpb[t * B * C + c] */                                            \
            T_ *lab = la + b * T * S;   /* lab[t * S + s] */                                                \
            if (il == 0) {                                                                                   \
                nll[b] = tl == 0 ? (T_)0 : -neginf;                                                          \
                continue;                                                                                    \
            }                                                                                                \
            lab[0] = lpb[g->blank];                                                                          \
            if (tl > 0) lab[1] = lpb[ctc_prime(g, b, 1)];                                                    \
            for (int64_t t = 1; t < il; t++)                                                                 \
                for (int64_t s = 0; s < 2 * tl + 1; s++) {                                                   \
                    int64_t cur = ctc_prime(g, b, s);                                                        \
                    T_ la1 = lab[(t - 1) * S + s], lamax = la1, la2, la3;                                    \
                    if (s > 0) {                                                                             \
                        la2 = lab[(t - 1) * S + s - 1];                                                      \
                        if (la2 > lamax) lamax = la2;                                                        \
                    } else                                                                                   \
                        la2 = neginf;                                                                        \
                    if (s > 1 && ctc_prime(g, b, s - 2) != cur) {                                            \
                        la3 = lab[(t - 1) * S + s - 2];                                                      \
                        if (la3 > lamax) lamax = la3;                                                        \
                    } else                                                                                   \
                        la3 = neginf;                                                                        \
                    if (lamax == neginf) lamax = 0;                                                          \
                    lab[t * S + s] = LOG(EXP(la1 - lamax) + EXP(la2 - lamax) + EXP(la3 - lamax)) + lamax +   \
                                     lpb[t * B * C + cur];                                                   \
                }                                                                                            \
            if (tl == 0) {                                                                                   \
                nll[b] = -lab[(il - 1) * S];                                                                 \
            } else {                                                                                         \
                T_ l1 = lab[(il - 1) * S + tl * 2], l2 = lab[(il - 1) * S + tl * 2 - 1];                     \
                T_ m = l1 < l2 ? l2 : l1; /* std::max */                                                                    \
                if (m == neginf) m = 0;                                                                      \
                nll[b] = -(LOG(EXP(l1 - m) + EXP(l2 - m)) + m);                                              \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
                                                                                                             \
    static void ctc_backward_##SUFFIX(const CtcGeom *g, const T_ *gout, const T_ *lp, const T_ *nllv,         \
                                      const T_ *la, T_ *lbeta, T_ *grad) {                                   \
        const T_ neginf = -(T_)INFINITY;                                                                     \
        const int64_t T = g->T, B = g->B, C = g->C, S = g->S;                                                \
        for (int64_t i = 0; i < T * B * C; i++) grad[i] = neginf;                                            \
        for (int64_t b = 0; b < B; b++) {                                                                    \
            T_ nll = nllv[b];                                                                                \
            T_ *gb = grad + b * C; /* gb[t * B * C + c] */                                                  \
            if (g->zero_infinity && nll == (T_)INFINITY) {                                                   \
                for (int64_t t = 0; t < T; t++)                                                              \
                    for (int64_t c = 0; c < C; c++) gb[t * B * C + c] = 0;                                   \
                continue;                                                                                    \
            }                                                                                                \
            const T_ *lpb = lp + b * C;                                                                      \
            const T_ *lab = la + b * T * S;                                                                  \
            T_ *lbb = lbeta + b * T * S;                                                                     \
            int64_t il = g->input_lengths[b], tl = g->target_lengths[b];                                     \
            if (il > 0) {                                                                                    \
                for (int64_t s = 0; s < S; s++) lbb[(il - 1) * S + s] = neginf;                              \
                lbb[(il - 1) * S + 2 * tl] = lpb[(il - 1) * B * C + g->blank];                               \
                gb[(il - 1) * B * C + g->blank] = lab[(il - 1) * S + 2 * tl] + lbb[(il - 1) * S + 2 * tl];   \
                if (tl > 0) {                                                                                \
                    int64_t cur = ctc_prime(g, b, 2 * tl - 1);                                               \
                    lbb[(il - 1) * S + 2 * tl - 1] = lpb[(il - 1) * B * C + cur];                            \
                    gb[(il - 1) * B * C + cur] = lab[(il - 1) * S + 2 * tl - 1] + lbb[(il - 1) * S + 2 * tl - 1]; \
                }                                                                                            \
            }                                                                                                \
            for (int64_t t = il - 2; t >= 0; t--)                                                            \
                for (int64_t s = 2 * tl; s >= 0; s--) {                                                      \
                    T_ lb1 = lbb[(t + 1) * S + s], lbmax = lb1, lb2, lb3;                                    \
                    int64_t cur = ctc_prime(g, b, s);                                                        \
                    if (s < 2 * tl) {                                                                        \
                        lb2 = lbb[(t + 1) * S + s + 1];                                                      \
                        if (lb2 > lbmax) lbmax = lb2;                                                        \
                    } else                                                                                   \
                        lb2 = neginf;                                                                        \
                    if (s < 2 * tl - 1 && ctc_prime(g, b, s + 2) != cur) {                                   \
                        lb3 = lbb[(t + 1) * S + s + 2];                                                      \
                        if (lb3 > lbmax) lbmax = lb3;                                                        \
                    } else                                                                                   \
                        lb3 = neginf;                                                                        \
                    if (lbmax == neginf) lbmax = 0;                                                          \
                    lbb[t * S + s] = LOG(EXP(lb1 - lbmax) + EXP(lb2 - lbmax) + EXP(lb3 - lbmax)) + lbmax +   \
                                     lpb[t * B * C + cur];                                                   \
                    T_ lab_ = lab[t * S + s] + lbb[t * S + s];                                               \
                    T_ *lcab = &gb[t * B * C + cur];                                                         \
                    if (*lcab == neginf) {                                                                   \
                        *lcab = lab_;                                                                        \
                    } else {                                                                                 \
                        T_ mx = *lcab < lab_ ? lab_ : *lcab;                                                 \
                        *lcab = LOG(EXP(*lcab - mx) + EXP(lab_ - mx)) + mx;                                  \
                    }                                                                                        \
                }                                                                                            \
            T_ gr = gout[b];                                                                                 \
            for (int64_t t = 0; t < il; t++)                                                                 \
                for (int64_t c = 0; c < C; c++) {                                                            \
                    T_ *res = &gb[t * B * C + c];                                                            \
                    T_ l = lpb[t * B * C + c];                                                               \
                    *res = (EXP(l) - EXP(*res + nll - l)) * gr;                                              \
                }                                                                                            \
            for (int64_t t = il; t < T; t++)                                                                 \
                for (int64_t c = 0; c < C; c++) gb[t * B * C + c] = 0;                                       \
        }                                                                                                    \
    }

CTC_LOOPS(float, expf, logf, f32)
CTC_LOOPS(double, exp, log, f64)

void kernel_ctc_loss(DType dt, const CtcGeom *g, const void *log_probs, void *nll, void *log_alpha) {
    if (dt == DT_FLOAT32)
        ctc_forward_f32(g, log_probs, nll, log_alpha);
    else
        ctc_forward_f64(g, log_probs, nll, log_alpha);
}

void kernel_ctc_loss_backward(DType dt, const CtcGeom *g, const void *gout, const void *log_probs, const void *nll,
                              const void *log_alpha, void *log_beta, void *grad) {
    if (dt == DT_FLOAT32)
        ctc_backward_f32(g, gout, log_probs, nll, log_alpha, log_beta, grad);
    else
        ctc_backward_f64(g, gout, log_probs, nll, log_alpha, log_beta, grad);
}
