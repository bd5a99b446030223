/* fft_numpy.c: np.fft's transforms (see the header).
 *
 * A C port of pocketfft's C version as numpy 1.24 ships it
 * (numpy/fft/_pocketfft.c):
 *   Copyright (C) 2004-2018 Max-Planck-Society
 *   Author: Martin Reinecke
 *   Licensed under the 3-clause BSD license: redistribution and use in
 *   source and binary forms, with or without modification, are permitted
 *   provided that the copyright notice, the list of conditions and the
 *   disclaimer in pocketfft's LICENSE.md are retained; neither the name of
 *   the copyright holder nor the names of its contributors may be used to
 *   endorse or promote products derived from this software without
 *   specific prior written permission. THE SOFTWARE IS PROVIDED "AS IS",
 *   WITHOUT WARRANTY OF ANY KIND.
 * Every expression keeps pocketfft's order of operations, so the rounding
 * is numpy's. The radix passes are the ones torch.fft's C++ pocketfft runs
 * (fft_cpass_impl.h, fft_rpass_impl.h: the same arithmetic); the twiddles,
 * factors, plans and Bluestein steps here are the C version's own. Its
 * mallocs are pieces of the caller's workspace, carved once per call by
 * the plan (counted, without writing, for the size). */
#include "fft_numpy.h"

#include <math.h>
#include <string.h>

#include "fft.h"
#include "fft_bump.h"

/* ---- twiddles: sincos_2pibyn from a polynomial sin/cos of pi a */

/* cos(pi a) - 1 and sin(pi a) for a in [-0.25, 0.25] */
static void sincosm1pi(double a, double *restrict res) {
    double s = a * a;
    double r = -1.0369917389758117e-4;
    r = fma(r, s, 1.9294935641298806e-3);
    r = fma(r, s, -2.5806887942825395e-2);
    r = fma(r, s, 2.3533063028328211e-1);
    r = fma(r, s, -1.3352627688538006e+0);
    r = fma(r, s, 4.0587121264167623e+0);
    r = fma(r, s, -4.9348022005446790e+0);
    double c = r * s;
    r = 4.6151442520157035e-4;
    r = fma(r, s, -7.3700183130883555e-3);
    r = fma(r, s, 8.2145868949323936e-2);
    r = fma(r, s, -5.9926452893214921e-1);
    r = fma(r, s, 2.5501640398732688e+0);
    r = fma(r, s, -5.1677127800499516e+0);
    s = s * a;
    r = r * s;
    s = fma(a, 3.1415926535897931e+0, r);
    res[0] = c;
    res[1] = s;
}

static void calc_first_octant(size_t den, double *restrict res) {
    size_t n = (den + 4) >> 3;
    if (n == 0) return;
    res[0] = 1.;
    res[1] = 0.;
    if (n == 1) return;
    size_t l1 = (size_t)sqrt((double)n);
    for (size_t i = 1; i < l1; ++i) sincosm1pi((2. * (double)i) / (double)den, &res[2 * i]);
    size_t start = l1;
    while (start < n) {
        double cs[2];
        sincosm1pi((2. * (double)start) / (double)den, cs);
        res[2 * start] = cs[0] + 1.;
        res[2 * start + 1] = cs[1];
        size_t end = l1;
        if (start + end > n) end = n - start;
        for (size_t i = 1; i < end; ++i) {
            double csx[2] = {res[2 * i], res[2 * i + 1]};
            res[2 * (start + i)] = ((cs[0] * csx[0] - cs[1] * csx[1] + cs[0]) + csx[0]) + 1.;
            res[2 * (start + i) + 1] = (cs[0] * csx[1] + cs[1] * csx[0]) + cs[1] + csx[1];
        }
        start += l1;
    }
    for (size_t i = 1; i < l1; ++i) res[2 * i] += 1.;
}

static void calc_first_quadrant(size_t n, double *restrict res) {
    double *restrict p = res + n;
    calc_first_octant(n << 1, p);
    size_t ndone = (n + 2) >> 2;
    size_t i = 0, idx1 = 0, idx2 = 2 * ndone - 2;
    for (; i + 1 < ndone; i += 2, idx1 += 2, idx2 -= 2) {
        res[idx1] = p[2 * i];
        res[idx1 + 1] = p[2 * i + 1];
        res[idx2] = p[2 * i + 3];
        res[idx2 + 1] = p[2 * i + 2];
    }
    if (i != ndone) {
        res[idx1] = p[2 * i];
        res[idx1 + 1] = p[2 * i + 1];
    }
}

static void calc_first_half(size_t n, double *res) {
    int64_t ndone = (int64_t)(n + 1) >> 1;
    double *p = res + n - 1;
    calc_first_octant(n << 2, p);
    int64_t i4 = 0, in = (int64_t)n, i = 0;
    for (; i4 <= in - i4; ++i, i4 += 4) { /* octant 0 */
        res[2 * i] = p[2 * i4];
        res[2 * i + 1] = p[2 * i4 + 1];
    }
    for (; i4 - in <= 0; ++i, i4 += 4) { /* octant 1 */
        int64_t xm = in - i4;
        res[2 * i] = p[2 * xm + 1];
        res[2 * i + 1] = p[2 * xm];
    }
    for (; i4 <= 3 * in - i4; ++i, i4 += 4) { /* octant 2 */
        int64_t xm = i4 - in;
        res[2 * i] = -p[2 * xm + 1];
        res[2 * i + 1] = p[2 * xm];
    }
    for (; i < ndone; ++i, i4 += 4) { /* octant 3 */
        int64_t xm = 2 * in - i4;
        res[2 * i] = -p[2 * xm];
        res[2 * i + 1] = p[2 * xm + 1];
    }
}

static void fill_first_quadrant(size_t n, double *restrict res) {
    const double hsqt2 = 0.707106781186547524400844362104849;
    size_t quart = n >> 2;
    if ((n & 7) == 0) res[quart] = res[quart + 1] = hsqt2;
    for (size_t i = 2, j = 2 * quart - 2; i < quart; i += 2, j -= 2) {
        res[j] = res[i + 1];
        res[j + 1] = res[i];
    }
}

static void fill_first_half(size_t n, double *restrict res) {
    size_t half = n >> 1;
    if ((n & 3) == 0)
        for (size_t i = 0; i < half; i += 2) {
            res[i + half] = -res[i + 1];
            res[i + half + 1] = res[i];
        }
    else
        for (size_t i = 2, j = 2 * half - 2; i < half; i += 2, j -= 2) {
            res[j] = -res[i];
            res[j + 1] = res[i + 1];
        }
}

static void fill_second_half(size_t n, double *restrict res) {
    if ((n & 1) == 0)
        for (size_t i = 0; i < n; ++i) res[i + n] = -res[i];
    else
        for (size_t i = 2, j = 2 * n - 2; i < n; i += 2, j -= 2) {
            res[j] = res[i];
            res[j + 1] = -res[i + 1];
        }
}

static void sincos_2pibyn_half(size_t n, double *restrict res) {
    if ((n & 3) == 0) {
        calc_first_octant(n, res);
        fill_first_quadrant(n, res);
        fill_first_half(n, res);
    } else if ((n & 1) == 0) {
        calc_first_quadrant(n, res);
        fill_first_half(n, res);
    } else
        calc_first_half(n, res);
}

static void sincos_2pibyn(size_t n, double *restrict res) {
    sincos_2pibyn_half(n, res);
    fill_second_half(n, res);
}

/* ---- the complex plan (cfftp) */

typedef struct {
    double r, i;
} cmplx;

#define NFCT 25
typedef struct {
    size_t fct;
    cmplx *tw, *tws;
} cfctdata;

typedef struct {
    size_t length, nfct;
    cfctdata fct[NFCT];
    cmplx *ch; /* pass_all's scratch */
} cfftp_plan;

/* the complex radix passes, shared with torch.fft's pocketfft */
#define T double
#define N(x) x##_np
typedef cmplx cx_np;
#define CX cx_np
#include "fft_cpass_impl.h"
#undef CPM
#undef CX
#undef T
#undef N

static void pass_all(const cfftp_plan *plan, cmplx c[], double fct, const int sign) {
    if (plan->length == 1) return;
    size_t len = plan->length;
    size_t l1 = 1, nf = plan->nfct;
    cmplx *ch = plan->ch, *p1 = c, *p2 = ch;
    bool fwd = sign < 0;

    for (size_t k1 = 0; k1 < nf; k1++) {
        size_t ip = plan->fct[k1].fct;
        size_t l2 = ip * l1;
        size_t ido = len / l2;
        const cmplx *tw = plan->fct[k1].tw;
        if (ip == 4) pass4_np(ido, l1, p1, p2, tw, fwd);
        else if (ip == 2) pass2_np(ido, l1, p1, p2, tw, fwd);
        else if (ip == 3) pass3_np(ido, l1, p1, p2, tw, fwd);
        else if (ip == 5) pass5_np(ido, l1, p1, p2, tw, fwd);
        else if (ip == 7) pass7_np(ido, l1, p1, p2, tw, fwd);
        else if (ip == 11) pass11_np(ido, l1, p1, p2, tw, fwd);
        else {
            passg_np(ido, ip, l1, p1, p2, tw, plan->fct[k1].tws, fwd);
            cmplx *t = p1;
            p1 = p2;
            p2 = t;
        }
        cmplx *t = p1;
        p1 = p2;
        p2 = t;
        l1 = l2;
    }
    if (p1 != c) {
        if (fct != 1.)
            for (size_t i = 0; i < len; ++i) {
                c[i].r = ch[i].r * fct;
                c[i].i = ch[i].i * fct;
            }
        else
            memcpy(c, p1, len * sizeof(cmplx));
    } else if (fct != 1.)
        for (size_t i = 0; i < len; ++i) {
            c[i].r *= fct;
            c[i].i *= fct;
        }
}

/* cfftp_factorize and rfftp_factorize: 4s, a 2 moved to the front, odd
 * divisors; false when more than NFCT */
static bool factorize(size_t length, size_t *fct, size_t *nfct_out) {
    size_t nfct = 0;
    while ((length % 4) == 0) {
        if (nfct >= NFCT) return false;
        fct[nfct++] = 4;
        length >>= 2;
    }
    if ((length % 2) == 0) {
        length >>= 1;
        if (nfct >= NFCT) return false;
        fct[nfct++] = 2;
        size_t t = fct[0];
        fct[0] = fct[nfct - 1];
        fct[nfct - 1] = t;
    }
    size_t maxl = (size_t)(sqrt((double)length)) + 1;
    for (size_t divisor = 3; (length > 1) && (divisor < maxl); divisor += 2)
        if ((length % divisor) == 0) {
            while ((length % divisor) == 0) {
                if (nfct >= NFCT) return false;
                fct[nfct++] = divisor;
                length /= divisor;
            }
            maxl = (size_t)(sqrt((double)length)) + 1;
        }
    if (length > 1) {
        if (nfct >= NFCT) return false;
        fct[nfct++] = length;
    }
    *nfct_out = nfct;
    return true;
}

/* make_cfftp_plan with its twiddles (cfftp_comp_twiddle) and scratch */
static bool make_cfftp_plan(cfftp_plan *plan, size_t length, Bump *b) {
    memset(plan, 0, sizeof *plan);
    plan->length = length;
    if (length == 1) return true;
    size_t f[NFCT];
    if (!factorize(length, f, &plan->nfct)) return false;
    size_t twsize = 0, l1 = 1;
    for (size_t k = 0; k < plan->nfct; ++k) {
        plan->fct[k].fct = f[k];
        size_t ip = f[k], ido = length / (l1 * ip);
        twsize += (ip - 1) * (ido - 1);
        if (ip > 11) twsize += ip;
        l1 *= ip;
    }
    cmplx *mem = bump(b, twsize * sizeof(cmplx));
    plan->ch = bump(b, length * sizeof(cmplx));
    double *twid = bump(b, 2 * length * sizeof(double));
    if (!b->base) return true;
    sincos_2pibyn(length, twid);
    l1 = 1;
    size_t memofs = 0;
    for (size_t k = 0; k < plan->nfct; ++k) {
        size_t ip = plan->fct[k].fct, ido = length / (l1 * ip);
        plan->fct[k].tw = mem + memofs;
        memofs += (ip - 1) * (ido - 1);
        for (size_t j = 1; j < ip; ++j)
            for (size_t i = 1; i < ido; ++i) {
                plan->fct[k].tw[(j - 1) * (ido - 1) + i - 1].r = twid[2 * j * l1 * i];
                plan->fct[k].tw[(j - 1) * (ido - 1) + i - 1].i = twid[2 * j * l1 * i + 1];
            }
        if (ip > 11) {
            plan->fct[k].tws = mem + memofs;
            memofs += ip;
            for (size_t j = 0; j < ip; ++j) {
                plan->fct[k].tws[j].r = twid[2 * j * l1 * ido];
                plan->fct[k].tws[j].i = twid[2 * j * l1 * ido + 1];
            }
        }
        l1 *= ip;
    }
    return true;
}

/* ---- the real plan (rfftp) */

typedef struct {
    size_t fct;
    double *tw, *tws;
} rfctdata;

typedef struct {
    size_t length, nfct;
    rfctdata fct[NFCT];
    double *ch;
} rfftp_plan;

/* the real radix passes, shared with torch.fft's pocketfft */
#define T double
#define N(x) x##_np
#include "fft_rpass_impl.h"
#undef T
#undef N

static void copy_and_norm(double *c, double *p1, size_t n, double fct) {
    if (p1 != c) {
        if (fct != 1.)
            for (size_t i = 0; i < n; ++i) c[i] = fct * p1[i];
        else
            memcpy(c, p1, n * sizeof(double));
    } else if (fct != 1.)
        for (size_t i = 0; i < n; ++i) c[i] *= fct;
}

static void rfftp_forward(const rfftp_plan *plan, double c[], double fct) {
    if (plan->length == 1) return;
    size_t n = plan->length;
    size_t l1 = n, nf = plan->nfct;
    double *p1 = c, *p2 = plan->ch;
    for (size_t k1 = 0; k1 < nf; ++k1) {
        size_t k = nf - k1 - 1;
        size_t ip = plan->fct[k].fct;
        size_t ido = n / l1;
        l1 /= ip;
        if (ip == 4) radf4_np(ido, l1, p1, p2, plan->fct[k].tw);
        else if (ip == 2) radf2_np(ido, l1, p1, p2, plan->fct[k].tw);
        else if (ip == 3) radf3_np(ido, l1, p1, p2, plan->fct[k].tw);
        else if (ip == 5) radf5_np(ido, l1, p1, p2, plan->fct[k].tw);
        else {
            radfg_np(ido, ip, l1, p1, p2, plan->fct[k].tw, plan->fct[k].tws);
            double *t = p1;
            p1 = p2;
            p2 = t;
        }
        double *t = p1;
        p1 = p2;
        p2 = t;
    }
    copy_and_norm(c, p1, n, fct);
}

static void rfftp_backward(const rfftp_plan *plan, double c[], double fct) {
    if (plan->length == 1) return;
    size_t n = plan->length;
    size_t l1 = 1, nf = plan->nfct;
    double *p1 = c, *p2 = plan->ch;
    for (size_t k = 0; k < nf; k++) {
        size_t ip = plan->fct[k].fct, ido = n / (ip * l1);
        if (ip == 4) radb4_np(ido, l1, p1, p2, plan->fct[k].tw);
        else if (ip == 2) radb2_np(ido, l1, p1, p2, plan->fct[k].tw);
        else if (ip == 3) radb3_np(ido, l1, p1, p2, plan->fct[k].tw);
        else if (ip == 5) radb5_np(ido, l1, p1, p2, plan->fct[k].tw);
        else radbg_np(ido, ip, l1, p1, p2, plan->fct[k].tw, plan->fct[k].tws);
        double *t = p1;
        p1 = p2;
        p2 = t;
        l1 *= ip;
    }
    copy_and_norm(c, p1, n, fct);
}

/* make_rfftp_plan with its twiddles (rfftp_comp_twiddle) and scratch */
static bool make_rfftp_plan(rfftp_plan *plan, size_t length, Bump *b) {
    memset(plan, 0, sizeof *plan);
    plan->length = length;
    if (length == 1) return true;
    size_t f[NFCT];
    if (!factorize(length, f, &plan->nfct)) return false;
    size_t twsize = 0, l1 = 1;
    for (size_t k = 0; k < plan->nfct; ++k) {
        plan->fct[k].fct = f[k];
        size_t ip = f[k], ido = length / (l1 * ip);
        twsize += (ip - 1) * (ido - 1);
        if (ip > 5) twsize += 2 * ip;
        l1 *= ip;
    }
    double *ptr = bump(b, twsize * sizeof(double));
    plan->ch = bump(b, length * sizeof(double));
    double *twid = bump(b, 2 * length * sizeof(double));
    if (!b->base) return true;
    sincos_2pibyn_half(length, twid);
    l1 = 1;
    for (size_t k = 0; k < plan->nfct; ++k) {
        size_t ip = plan->fct[k].fct, ido = length / (l1 * ip);
        if (k < plan->nfct - 1) { /* the last factor needs no twiddles */
            plan->fct[k].tw = ptr;
            ptr += (ip - 1) * (ido - 1);
            for (size_t j = 1; j < ip; ++j)
                for (size_t i = 1; i <= (ido - 1) / 2; ++i) {
                    plan->fct[k].tw[(j - 1) * (ido - 1) + 2 * i - 2] = twid[2 * j * l1 * i];
                    plan->fct[k].tw[(j - 1) * (ido - 1) + 2 * i - 1] = twid[2 * j * l1 * i + 1];
                }
        }
        if (ip > 5) { /* the generic passes' factors */
            plan->fct[k].tws = ptr;
            ptr += 2 * ip;
            plan->fct[k].tws[0] = 1.;
            plan->fct[k].tws[1] = 0.;
            for (size_t i = 1; i <= (ip >> 1); ++i) {
                plan->fct[k].tws[2 * i] = twid[2 * i * (length / ip)];
                plan->fct[k].tws[2 * i + 1] = twid[2 * i * (length / ip) + 1];
                plan->fct[k].tws[2 * (ip - i)] = twid[2 * i * (length / ip)];
                plan->fct[k].tws[2 * (ip - i) + 1] = -twid[2 * i * (length / ip) + 1];
            }
        }
        l1 *= ip;
    }
    return true;
}

/* ---- Bluestein's algorithm */

typedef struct {
    size_t n, n2;
    cfftp_plan plan;
    double *bk, *bkf, *akf, *tmp; /* akf: 2 n2; tmp: the real transforms' 2 n */
} fftblue_plan;

static bool make_fftblue_plan(fftblue_plan *plan, size_t length, Bump *b) {
    plan->n = length;
    plan->n2 = kernel_fft_good_size(plan->n * 2 - 1);
    double *mem = bump(b, (2 * plan->n + 2 * plan->n2) * sizeof(double));
    plan->akf = bump(b, 2 * plan->n2 * sizeof(double));
    plan->tmp = bump(b, 2 * plan->n * sizeof(double));
    double *tmp = bump(b, 4 * plan->n * sizeof(double));
    if (!make_cfftp_plan(&plan->plan, plan->n2, b)) return false;
    if (!b->base) return true;
    plan->bk = mem;
    plan->bkf = plan->bk + 2 * plan->n;

    /* b_k */
    sincos_2pibyn(2 * plan->n, tmp);
    plan->bk[0] = 1;
    plan->bk[1] = 0;
    size_t coeff = 0;
    for (size_t m = 1; m < plan->n; ++m) {
        coeff += 2 * m - 1;
        if (coeff >= 2 * plan->n) coeff -= 2 * plan->n;
        plan->bk[2 * m] = tmp[2 * coeff];
        plan->bk[2 * m + 1] = tmp[2 * coeff + 1];
    }
    /* the zero-padded, Fourier transformed b_k, normalised */
    double xn2 = 1. / (double)plan->n2;
    plan->bkf[0] = plan->bk[0] * xn2;
    plan->bkf[1] = plan->bk[1] * xn2;
    for (size_t m = 2; m < 2 * plan->n; m += 2) {
        plan->bkf[m] = plan->bkf[2 * plan->n2 - m] = plan->bk[m] * xn2;
        plan->bkf[m + 1] = plan->bkf[2 * plan->n2 - m + 1] = plan->bk[m + 1] * xn2;
    }
    for (size_t m = 2 * plan->n; m <= (2 * plan->n2 - 2 * plan->n + 1); ++m) plan->bkf[m] = 0.;
    pass_all(&plan->plan, (cmplx *)plan->bkf, 1., -1);
    return true;
}

static void fftblue_fft(const fftblue_plan *plan, double c[], int isign, double fct) {
    size_t n = plan->n;
    size_t n2 = plan->n2;
    const double *bk = plan->bk, *bkf = plan->bkf;
    double *akf = plan->akf;

    /* a_k, and its FFT */
    if (isign > 0)
        for (size_t m = 0; m < 2 * n; m += 2) {
            akf[m] = c[m] * bk[m] - c[m + 1] * bk[m + 1];
            akf[m + 1] = c[m] * bk[m + 1] + c[m + 1] * bk[m];
        }
    else
        for (size_t m = 0; m < 2 * n; m += 2) {
            akf[m] = c[m] * bk[m] + c[m + 1] * bk[m + 1];
            akf[m + 1] = -c[m] * bk[m + 1] + c[m + 1] * bk[m];
        }
    for (size_t m = 2 * n; m < 2 * n2; ++m) akf[m] = 0;

    pass_all(&plan->plan, (cmplx *)akf, fct, -1);

    /* the convolution */
    if (isign > 0)
        for (size_t m = 0; m < 2 * n2; m += 2) {
            double im = -akf[m] * bkf[m + 1] + akf[m + 1] * bkf[m];
            akf[m] = akf[m] * bkf[m] + akf[m + 1] * bkf[m + 1];
            akf[m + 1] = im;
        }
    else
        for (size_t m = 0; m < 2 * n2; m += 2) {
            double im = akf[m] * bkf[m + 1] + akf[m + 1] * bkf[m];
            akf[m] = akf[m] * bkf[m] - akf[m + 1] * bkf[m + 1];
            akf[m + 1] = im;
        }

    pass_all(&plan->plan, (cmplx *)akf, 1., 1); /* inverse FFT */

    /* times b_k */
    if (isign > 0)
        for (size_t m = 0; m < 2 * n; m += 2) {
            c[m] = bk[m] * akf[m] - bk[m + 1] * akf[m + 1];
            c[m + 1] = bk[m + 1] * akf[m] + bk[m] * akf[m + 1];
        }
    else
        for (size_t m = 0; m < 2 * n; m += 2) {
            c[m] = bk[m] * akf[m] + bk[m + 1] * akf[m + 1];
            c[m + 1] = -bk[m + 1] * akf[m] + bk[m] * akf[m + 1];
        }
}

static void rfftblue_backward(const fftblue_plan *plan, double c[], double fct) {
    size_t n = plan->n;
    double *tmp = plan->tmp;
    tmp[0] = c[0];
    tmp[1] = 0.;
    memcpy(tmp + 2, c + 1, (n - 1) * sizeof(double));
    if ((n & 1) == 0) tmp[n + 1] = 0.;
    for (size_t m = 2; m < n; m += 2) {
        tmp[2 * n - m] = tmp[m];
        tmp[2 * n - m + 1] = -tmp[m + 1];
    }
    fftblue_fft(plan, tmp, 1, fct);
    for (size_t m = 0; m < n; ++m) c[m] = tmp[2 * m];
}

static void rfftblue_forward(const fftblue_plan *plan, double c[], double fct) {
    size_t n = plan->n;
    double *tmp = plan->tmp;
    for (size_t m = 0; m < n; ++m) {
        tmp[2 * m] = c[m];
        tmp[2 * m + 1] = 0.;
    }
    fftblue_fft(plan, tmp, -1, fct);
    c[0] = tmp[0];
    memcpy(c + 1, tmp + 2, (n - 1) * sizeof(double));
}

/* ---- the plans numpy's execute makes: radix passes or Bluestein */

typedef struct {
    bool blue;
    cfftp_plan c;
    rfftp_plan r;
    fftblue_plan b;
} Plan;

static bool make_plan(Plan *p, bool real, size_t n, Bump *b) {
    p->blue = kernel_fft_use_bluestein(n, real);
    if (p->blue) return make_fftblue_plan(&p->b, n, b);
    return real ? make_rfftp_plan(&p->r, n, b) : make_cfftp_plan(&p->c, n, b);
}

size_t kernel_npfft_work_size(bool real, int64_t n) {
    Bump b = {NULL, 0};
    Plan p;
    if (n < 1 || !make_plan(&p, real, (size_t)n, &b)) return 0;
    return b.off + 64;
}

/* the plan in the workspace's first 64-byte boundary on */
static bool plan_in(Plan *p, bool real, int64_t n, void *work) {
    Bump b = {(char *)(((uintptr_t)work + 63) & ~(uintptr_t)63), 0};
    return make_plan(p, real, (size_t)n, &b);
}

void kernel_npfft_c2c(double *data, int64_t nrep, int64_t n, bool forward, double fct, void *work) {
    Plan p;
    if (!plan_in(&p, false, n, work)) return;
    for (int64_t i = 0; i < nrep; i++, data += 2 * n) {
        if (p.blue) fftblue_fft(&p.b, data, forward ? -1 : 1, fct);
        else pass_all(&p.c, (cmplx *)data, fct, forward ? -1 : 1);
    }
}

void kernel_npfft_r2c(const double *in, double *out, int64_t nrep, int64_t n, double fct, void *work) {
    Plan p;
    if (!plan_in(&p, true, n, work)) return;
    int64_t rstep = (n / 2 + 1) * 2;
    for (int64_t i = 0; i < nrep; i++, in += n, out += rstep) {
        out[rstep - 1] = 0.0;
        memcpy(out + 1, in, (size_t)n * sizeof(double));
        if (p.blue) rfftblue_forward(&p.b, out + 1, fct);
        else rfftp_forward(&p.r, out + 1, fct);
        out[0] = out[1];
        out[1] = 0.0;
    }
}

void kernel_npfft_c2r(const double *in, double *out, int64_t nrep, int64_t n, double fct, void *work) {
    Plan p;
    if (!plan_in(&p, true, n, work)) return;
    for (int64_t i = 0; i < nrep; i++, in += 2 * n, out += n) {
        memcpy(out + 1, in + 2, (size_t)(n - 1) * sizeof(double));
        out[0] = in[0];
        if (p.blue) rfftblue_backward(&p.b, out, fct);
        else rfftp_backward(&p.r, out, fct);
    }
}
