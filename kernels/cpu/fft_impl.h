/* fft_impl.h: the body of fft.c for one precision, included once with
 * T float, N(x) x##_f and once with T double, N(x) x##_d.
 *
 * A C port of pocketfft (C++ header-only version, pocketfft_hdronly.h,
 * https://github.com/mreineck/pocketfft branch cpp):
 *   Copyright (C) 2010-2022 Max-Planck-Society
 *   Copyright (C) 2019-2020 Peter Bell
 *   Authors: Martin Reinecke, Peter Bell
 *   Licensed under the 3-clause BSD license: redistribution and use in
 *   source and binary forms, with or without modification, are permitted
 *   provided that the copyright notice, the list of conditions and the
 *   disclaimer in pocketfft's LICENSE.md are retained; neither the name of
 *   the copyright holder nor the names of its contributors may be used to
 *   endorse or promote products derived from this software without
 *   specific prior written permission. THE SOFTWARE IS PROVIDED "AS IS",
 *   WITHOUT WARRANTY OF ANY KIND.
 * Every expression keeps pocketfft's order of operations (and its long
 * double constants rounded once to T), so the rounding is the same. */

typedef struct {
    T r, i;
} N(cx);
#define CX N(cx)

typedef struct {
    size_t fct;
    CX *tw, *tws;
} N(cfact);

typedef struct {
    size_t length, nfct;
    N(cfact) fact[64];
    CX *mem, *ch; /* twiddles; scratch of length */
} N(cfftp);

typedef struct {
    size_t fct;
    T *tw, *tws;
} N(rfact);

typedef struct {
    size_t length, nfct;
    N(rfact) fact[64];
    T *mem, *ch;
} N(rfftp);

typedef struct {
    size_t n, n2;
    N(cfftp) plan;
    CX *bk, *bkf, *akf, *tmp; /* tmp: n, for the real transform */
} N(blue);

/* pocketfft_c / pocketfft_r: one of the two plans */
typedef struct {
    bool use_blue;
    N(cfftp) c;
    N(rfftp) r;
    N(blue) b;
    void *line; /* the line being transformed: len complex */
} N(plan);

#include "fft_cpass_impl.h"

/* ---- twiddles: sincos_2pibyn */

static size_t N(sincos_shift)(size_t n) {
    size_t nval = (n + 2) / 2, shift = 1;
    while (((size_t)1 << shift) * ((size_t)1 << shift) < nval) ++shift;
    return shift;
}
/* entries (of sc_cx) the tables of n need */
static size_t N(sincos_entries)(size_t n) {
    size_t shift = N(sincos_shift)(n), mask = ((size_t)1 << shift) - 1, nval = (n + 2) / 2;
    return (mask + 1) + (nval + mask) / (mask + 1);
}

typedef struct {
    size_t n, mask, shift;
    const sc_cx *v1, *v2;
} N(sincos);

static N(sincos) N(sincos_init)(size_t n, sc_cx *mem) {
    N(sincos) s;
    s.n = n;
    s.shift = N(sincos_shift)(n);
    s.mask = ((size_t)1 << s.shift) - 1;
    double ang = (double)(0.25L * 3.141592653589793238462643383279502884197L / (long double)n);
    size_t nval = (n + 2) / 2, n1 = s.mask + 1, n2 = (nval + s.mask) / (s.mask + 1);
    sc_cx *v1 = mem, *v2 = mem + n1;
    v1[0] = (sc_cx){1, 0};
    for (size_t i = 1; i < n1; ++i) v1[i] = sincos_calc(i, n, ang);
    v2[0] = (sc_cx){1, 0};
    for (size_t i = 1; i < n2; ++i) v2[i] = sincos_calc(i * (s.mask + 1), n, ang);
    s.v1 = v1;
    s.v2 = v2;
    return s;
}

static inline CX N(sincos_at)(const N(sincos) *s, size_t idx) {
    if (2 * idx <= s->n) {
        sc_cx x1 = s->v1[idx & s->mask], x2 = s->v2[idx >> s->shift];
        return (CX){(T)(x1.r * x2.r - x1.i * x2.i), (T)(x1.r * x2.i + x1.i * x2.r)};
    }
    idx = s->n - idx;
    sc_cx x1 = s->v1[idx & s->mask], x2 = s->v2[idx >> s->shift];
    return (CX){(T)(x1.r * x2.r - x1.i * x2.i), -(T)(x1.r * x2.i + x1.i * x2.r)};
}

/* ---- pass8 (the C++ pocketfft's own) */

#define WA(x, i) wa[(i)-1 + (x) * (ido - 1)]
#define CH(a, b, c) ch[(a) + ido * ((b) + l1 * (c))]
#define CC(a, b, c) cc[(a) + ido * ((b) + cdim * (c))]

static inline CX N(rotx45)(CX a, bool fwd) {
    const T hsqt2 = (T)(0.707106781186547524400844362104849L);
    T tmp = a.r;
    if (fwd) return (CX){hsqt2 * (a.r + a.i), hsqt2 * (a.i - tmp)};
    return (CX){hsqt2 * (a.r - a.i), hsqt2 * (a.i + tmp)};
}
static inline CX N(rotx135)(CX a, bool fwd) {
    const T hsqt2 = (T)(0.707106781186547524400844362104849L);
    T tmp = a.r;
    if (fwd) return (CX){hsqt2 * (a.i - a.r), hsqt2 * (-tmp - a.i)};
    return (CX){hsqt2 * (-a.r - a.i), hsqt2 * (tmp - a.i)};
}
/* PMINPLACE(a, b): a += b, b = old a - b */
#define CPMIN(a, b)            \
    do {                       \
        CX t_ = (a);           \
        (a) = N(cadd)(a, b);   \
        (b) = N(csub)(t_, b);  \
    } while (0)

static void N(pass8)(size_t ido, size_t l1, const CX *restrict cc, CX *restrict ch, const CX *restrict wa, bool fwd) {
    const size_t cdim = 8;
    for (size_t k = 0; k < l1; ++k) {
        {
            CX a0, a1, a2, a3, a4, a5, a6, a7;
            CPM(a1, a5, CC(0, 1, k), CC(0, 5, k));
            CPM(a3, a7, CC(0, 3, k), CC(0, 7, k));
            CPMIN(a1, a3);
            a3 = N(rotx90)(a3, fwd);

            a7 = N(rotx90)(a7, fwd);
            CPMIN(a5, a7);
            a5 = N(rotx45)(a5, fwd);
            a7 = N(rotx135)(a7, fwd);

            CPM(a0, a4, CC(0, 0, k), CC(0, 4, k));
            CPM(a2, a6, CC(0, 2, k), CC(0, 6, k));
            CPM(CH(0, k, 0), CH(0, k, 4), N(cadd)(a0, a2), a1);
            CPM(CH(0, k, 2), CH(0, k, 6), N(csub)(a0, a2), a3);
            a6 = N(rotx90)(a6, fwd);
            CPM(CH(0, k, 1), CH(0, k, 5), N(cadd)(a4, a6), a5);
            CPM(CH(0, k, 3), CH(0, k, 7), N(csub)(a4, a6), a7);
        }
        for (size_t i = 1; i < ido; ++i) {
            CX a0, a1, a2, a3, a4, a5, a6, a7;
            CPM(a1, a5, CC(i, 1, k), CC(i, 5, k));
            CPM(a3, a7, CC(i, 3, k), CC(i, 7, k));
            a7 = N(rotx90)(a7, fwd);
            CPMIN(a1, a3);
            a3 = N(rotx90)(a3, fwd);
            CPMIN(a5, a7);
            a5 = N(rotx45)(a5, fwd);
            a7 = N(rotx135)(a7, fwd);
            CPM(a0, a4, CC(i, 0, k), CC(i, 4, k));
            CPM(a2, a6, CC(i, 2, k), CC(i, 6, k));
            CPMIN(a0, a2);
            CH(i, k, 0) = N(cadd)(a0, a1);
            CH(i, k, 4) = N(smul)(N(csub)(a0, a1), WA(3, i), fwd);
            CH(i, k, 2) = N(smul)(N(cadd)(a2, a3), WA(1, i), fwd);
            CH(i, k, 6) = N(smul)(N(csub)(a2, a3), WA(5, i), fwd);
            a6 = N(rotx90)(a6, fwd);
            CPMIN(a4, a6);
            CH(i, k, 1) = N(smul)(N(cadd)(a4, a5), WA(0, i), fwd);
            CH(i, k, 5) = N(smul)(N(csub)(a4, a5), WA(4, i), fwd);
            CH(i, k, 3) = N(smul)(N(cadd)(a6, a7), WA(2, i), fwd);
            CH(i, k, 7) = N(smul)(N(csub)(a6, a7), WA(6, i), fwd);
        }
    }
}
#undef CC
#undef CH
#undef WA

static void N(cfftp_exec)(const N(cfftp) *p, CX *c, T fct, bool fwd) {
    size_t length = p->length;
    if (length == 1) {
        c[0] = N(cscale)(c[0], fct);
        return;
    }
    size_t l1 = 1;
    CX *ch = p->ch, *p1 = c, *p2 = ch, *sw;
    for (size_t k1 = 0; k1 < p->nfct; k1++) {
        size_t ip = p->fact[k1].fct;
        size_t l2 = ip * l1;
        size_t ido = length / l2;
        const CX *tw = p->fact[k1].tw;
        if (ip == 4)
            N(pass4)(ido, l1, p1, p2, tw, fwd);
        else if (ip == 8)
            N(pass8)(ido, l1, p1, p2, tw, fwd);
        else if (ip == 2)
            N(pass2)(ido, l1, p1, p2, tw, fwd);
        else if (ip == 3)
            N(pass3)(ido, l1, p1, p2, tw, fwd);
        else if (ip == 5)
            N(pass5)(ido, l1, p1, p2, tw, fwd);
        else if (ip == 7)
            N(pass7)(ido, l1, p1, p2, tw, fwd);
        else if (ip == 11)
            N(pass11)(ido, l1, p1, p2, tw, fwd);
        else {
            N(passg)(ido, ip, l1, p1, p2, tw, p->fact[k1].tws, fwd);
            sw = p1, p1 = p2, p2 = sw;
        }
        sw = p1, p1 = p2, p2 = sw;
        l1 = l2;
    }
    if (p1 != c) {
        if (fct != 1.)
            for (size_t i = 0; i < length; ++i) c[i] = N(cscale)(ch[i], fct);
        else
            memcpy(c, p1, length * sizeof *c);
    } else if (fct != 1.)
        for (size_t i = 0; i < length; ++i) c[i] = N(cscale)(c[i], fct);
}

static void N(cfftp_factorize)(N(cfftp) *p) {
    size_t len = p->length, n = 0;
    while ((len & 7) == 0) p->fact[n++].fct = 8, len >>= 3;
    while ((len & 3) == 0) p->fact[n++].fct = 4, len >>= 2;
    if ((len & 1) == 0) {
        len >>= 1;
        p->fact[n++].fct = 2;
        size_t t = p->fact[0].fct;
        p->fact[0].fct = p->fact[n - 1].fct;
        p->fact[n - 1].fct = t;
    }
    for (size_t divisor = 3; divisor * divisor <= len; divisor += 2)
        while ((len % divisor) == 0) p->fact[n++].fct = divisor, len /= divisor;
    if (len > 1) p->fact[n++].fct = len;
    p->nfct = n;
}

/* lays out a cfftp of length n in b (its twiddles and its scratch line);
 * b's base NULL: only sizing (the pointers stay NULL) */
static void N(cfftp_layout)(Bump *b, N(cfftp) *p, size_t n) {
    p->length = n;
    p->nfct = 0;
    if (n == 1) return;
    N(cfftp_factorize)(p);
    size_t tw = 0, l1 = 1;
    for (size_t k = 0; k < p->nfct; ++k) {
        size_t ip = p->fact[k].fct, ido = n / (l1 * ip);
        tw += (ip - 1) * (ido - 1);
        if (ip > 11) tw += ip;
        l1 *= ip;
    }
    p->mem = bump(b, tw * sizeof(CX));
    p->ch = bump(b, n * sizeof(CX));
}

static void N(cfftp_twiddle)(N(cfftp) *p, sc_cx *sc) {
    size_t length = p->length;
    if (length == 1) return;
    N(sincos) tw = N(sincos_init)(length, sc);
    size_t l1 = 1, memofs = 0;
    for (size_t k = 0; k < p->nfct; ++k) {
        size_t ip = p->fact[k].fct, ido = length / (l1 * ip);
        p->fact[k].tw = p->mem + memofs;
        memofs += (ip - 1) * (ido - 1);
        for (size_t j = 1; j < ip; ++j)
            for (size_t i = 1; i < ido; ++i) p->fact[k].tw[(j - 1) * (ido - 1) + i - 1] = N(sincos_at)(&tw, j * l1 * i);
        if (ip > 11) {
            p->fact[k].tws = p->mem + memofs;
            memofs += ip;
            for (size_t j = 0; j < ip; ++j) p->fact[k].tws[j] = N(sincos_at)(&tw, j * l1 * ido);
        }
        l1 *= ip;
    }
}

/* ---- real radix passes (rfftp) */
#include "fft_rpass_impl.h"

static void N(rfftp_exec)(const N(rfftp) *p, T *c, T fct, bool r2hc) {
    size_t length = p->length;
    if (length == 1) {
        c[0] *= fct;
        return;
    }
    size_t nf = p->nfct;
    T *p1 = c, *p2 = p->ch, *sw;
    if (r2hc)
        for (size_t k1 = 0, l1 = length; k1 < nf; ++k1) {
            size_t k = nf - k1 - 1;
            size_t ip = p->fact[k].fct;
            size_t ido = length / l1;
            l1 /= ip;
            if (ip == 4)
                N(radf4)(ido, l1, p1, p2, p->fact[k].tw);
            else if (ip == 2)
                N(radf2)(ido, l1, p1, p2, p->fact[k].tw);
            else if (ip == 3)
                N(radf3)(ido, l1, p1, p2, p->fact[k].tw);
            else if (ip == 5)
                N(radf5)(ido, l1, p1, p2, p->fact[k].tw);
            else {
                N(radfg)(ido, ip, l1, p1, p2, p->fact[k].tw, p->fact[k].tws);
                sw = p1, p1 = p2, p2 = sw;
            }
            sw = p1, p1 = p2, p2 = sw;
        }
    else
        for (size_t k = 0, l1 = 1; k < nf; k++) {
            size_t ip = p->fact[k].fct, ido = length / (ip * l1);
            if (ip == 4)
                N(radb4)(ido, l1, p1, p2, p->fact[k].tw);
            else if (ip == 2)
                N(radb2)(ido, l1, p1, p2, p->fact[k].tw);
            else if (ip == 3)
                N(radb3)(ido, l1, p1, p2, p->fact[k].tw);
            else if (ip == 5)
                N(radb5)(ido, l1, p1, p2, p->fact[k].tw);
            else
                N(radbg)(ido, ip, l1, p1, p2, p->fact[k].tw, p->fact[k].tws);
            sw = p1, p1 = p2, p2 = sw;
            l1 *= ip;
        }
    /* copy_and_norm */
    if (p1 != c) {
        if (fct != 1.)
            for (size_t i = 0; i < length; ++i) c[i] = fct * p1[i];
        else
            memcpy(c, p1, length * sizeof *c);
    } else if (fct != 1.)
        for (size_t i = 0; i < length; ++i) c[i] *= fct;
}

static void N(rfftp_layout)(Bump *b, N(rfftp) *p, size_t n) {
    p->length = n;
    p->nfct = 0;
    if (n == 1) return;
    size_t len = n, nf = 0;
    while ((len % 4) == 0) p->fact[nf++].fct = 4, len >>= 2;
    if ((len % 2) == 0) {
        len >>= 1;
        p->fact[nf++].fct = 2;
        size_t t = p->fact[0].fct;
        p->fact[0].fct = p->fact[nf - 1].fct;
        p->fact[nf - 1].fct = t;
    }
    for (size_t divisor = 3; divisor * divisor <= len; divisor += 2)
        while ((len % divisor) == 0) p->fact[nf++].fct = divisor, len /= divisor;
    if (len > 1) p->fact[nf++].fct = len;
    p->nfct = nf;
    size_t twsz = 0, l1 = 1;
    for (size_t k = 0; k < nf; ++k) {
        size_t ip = p->fact[k].fct, ido = n / (l1 * ip);
        twsz += (ip - 1) * (ido - 1);
        if (ip > 5) twsz += 2 * ip;
        l1 *= ip;
    }
    p->mem = bump(b, twsz * sizeof(T));
    p->ch = bump(b, n * sizeof(T));
}

static void N(rfftp_twiddle)(N(rfftp) *p, sc_cx *sc) {
    size_t length = p->length;
    if (length == 1) return;
    N(sincos) twid = N(sincos_init)(length, sc);
    size_t l1 = 1;
    T *ptr = p->mem;
    for (size_t k = 0; k < p->nfct; ++k) {
        size_t ip = p->fact[k].fct, ido = length / (l1 * ip);
        p->fact[k].tw = p->fact[k].tws = NULL;
        if (k < p->nfct - 1) {
            p->fact[k].tw = ptr;
            ptr += (ip - 1) * (ido - 1);
            for (size_t j = 1; j < ip; ++j)
                for (size_t i = 1; i <= (ido - 1) / 2; ++i) {
                    CX w = N(sincos_at)(&twid, j * l1 * i);
                    p->fact[k].tw[(j - 1) * (ido - 1) + 2 * i - 2] = w.r;
                    p->fact[k].tw[(j - 1) * (ido - 1) + 2 * i - 1] = w.i;
                }
        }
        if (ip > 5) {
            p->fact[k].tws = ptr;
            ptr += 2 * ip;
            p->fact[k].tws[0] = 1.;
            p->fact[k].tws[1] = 0.;
            for (size_t i = 2, ic = 2 * ip - 2; i <= ic; i += 2, ic -= 2) {
                CX w = N(sincos_at)(&twid, i / 2 * (length / ip));
                p->fact[k].tws[i] = w.r;
                p->fact[k].tws[i + 1] = w.i;
                p->fact[k].tws[ic] = w.r;
                p->fact[k].tws[ic + 1] = -w.i;
            }
        }
        l1 *= ip;
    }
}

/* ---- Bluestein (fftblue) */

static void N(blue_layout)(Bump *b, N(blue) *p, size_t n) {
    p->n = n;
    p->n2 = kernel_fft_good_size(n * 2 - 1);
    N(cfftp_layout)(b, &p->plan, p->n2);
    CX *mem = bump(b, (n + p->n2 / 2 + 1) * sizeof(CX));
    p->bk = mem;
    p->bkf = mem ? mem + n : NULL;
    p->akf = bump(b, p->n2 * sizeof(CX));
    p->tmp = bump(b, n * sizeof(CX));
}

static void N(blue_init)(N(blue) *p, sc_cx *sc) {
    size_t n = p->n, n2 = p->n2;
    N(cfftp_twiddle)(&p->plan, sc);
    /* b_k */
    N(sincos) tmp = N(sincos_init)(2 * n, sc);
    CX *bk = p->bk, *bkf = p->bkf;
    bk[0] = (CX){1, 0};
    size_t coeff = 0;
    for (size_t m = 1; m < n; ++m) {
        coeff += 2 * m - 1;
        if (coeff >= 2 * n) coeff -= 2 * n;
        bk[m] = N(sincos_at)(&tmp, coeff);
    }
    /* the zero-padded, Fourier transformed b_k, with normalisation */
    CX *tbkf = p->akf;
    T xn2 = (T)1 / (T)n2;
    tbkf[0] = N(cscale)(bk[0], xn2);
    for (size_t m = 1; m < n; ++m) tbkf[m] = tbkf[n2 - m] = N(cscale)(bk[m], xn2);
    for (size_t m = n; m <= (n2 - n); ++m) tbkf[m] = (CX){0, 0};
    N(cfftp_exec)(&p->plan, tbkf, 1, true);
    for (size_t i = 0; i < n2 / 2 + 1; ++i) bkf[i] = tbkf[i];
}

static void N(blue_fft)(const N(blue) *p, CX *c, T fct, bool fwd) {
    size_t n = p->n, n2 = p->n2;
    CX *akf = p->akf;
    const CX *bk = p->bk, *bkf = p->bkf;
    for (size_t m = 0; m < n; ++m) akf[m] = N(smul)(c[m], bk[m], fwd);
    CX zero = N(cscale)(akf[0], (T)0);
    for (size_t m = n; m < n2; ++m) akf[m] = zero;
    N(cfftp_exec)(&p->plan, akf, 1, true);
    /* the convolution */
    akf[0] = N(smul)(akf[0], bkf[0], !fwd);
    for (size_t m = 1; m < (n2 + 1) / 2; ++m) {
        akf[m] = N(smul)(akf[m], bkf[m], !fwd);
        akf[n2 - m] = N(smul)(akf[n2 - m], bkf[m], !fwd);
    }
    if ((n2 & 1) == 0) akf[n2 / 2] = N(smul)(akf[n2 / 2], bkf[n2 / 2], !fwd);
    N(cfftp_exec)(&p->plan, akf, 1, false);
    for (size_t m = 0; m < n; ++m) c[m] = N(cscale)(N(smul)(akf[m], bk[m], fwd), fct);
}

static void N(blue_exec_r)(const N(blue) *p, T *c, T fct, bool fwd) {
    size_t n = p->n;
    CX *tmp = p->tmp;
    if (fwd) {
        T zero = (T)0 * c[0];
        for (size_t m = 0; m < n; ++m) tmp[m] = (CX){c[m], zero};
        N(blue_fft)(p, tmp, fct, true);
        c[0] = tmp[0].r;
        memcpy(&c[1], &tmp[1].r, (n - 1) * sizeof(T));
    } else {
        tmp[0] = (CX){c[0], c[0] * 0};
        memcpy(&tmp[1].r, c + 1, (n - 1) * sizeof(T));
        if ((n & 1) == 0) tmp[n / 2].i = (T)0 * c[0];
        for (size_t m = 1; 2 * m < n; ++m) tmp[n - m] = (CX){tmp[m].r, -tmp[m].i};
        N(blue_fft)(p, tmp, fct, false);
        for (size_t m = 0; m < n; ++m) c[m] = tmp[m].r;
    }
}

/* ---- pocketfft_c / pocketfft_r: the plan and its workspace */

static size_t N(plan_layout)(Bump *b, N(plan) *p, size_t len, bool real) {
    p->use_blue = kernel_fft_use_bluestein(len, real);
    size_t sc = N(sincos_entries)(len);
    if (p->use_blue) {
        N(blue_layout)(b, &p->b, len);
        size_t s2 = N(sincos_entries)(2 * len), s3 = N(sincos_entries)(p->b.n2);
        sc = s2 > s3 ? s2 : s3;
    } else if (real)
        N(rfftp_layout)(b, &p->r, len);
    else
        N(cfftp_layout)(b, &p->c, len);
    p->line = bump(b, len * sizeof(CX));
    return sc;
}

/* lays the plan out in work and computes its twiddles */
static void N(plan_init)(N(plan) *p, size_t len, bool real, void *work) {
    Bump b = {work, 0};
    size_t sc = N(plan_layout)(&b, p, len, real);
    sc_cx *scm = bump(&b, sc * sizeof(sc_cx));
    if (p->use_blue)
        N(blue_init)(&p->b, scm);
    else if (real)
        N(rfftp_twiddle)(&p->r, scm);
    else
        N(cfftp_twiddle)(&p->c, scm);
}

static size_t N(work_size)(FftKind kind, size_t len) {
    Bump b = {NULL, 0};
    N(plan) p;
    size_t sc = N(plan_layout)(&b, &p, len, kind != FFT_C2C);
    bump(&b, sc * sizeof(sc_cx));
    return b.off;
}

static void N(c2c)(const CX *in, CX *out, size_t outer, size_t len, size_t inner, bool fwd, T fct, void *work) {
    N(plan) p;
    N(plan_init)(&p, len, false, work);
    CX *buf = p.line;
    for (size_t o = 0; o < outer; o++)
        for (size_t j = 0; j < inner; j++) {
            const CX *src = in + o * len * inner + j;
            CX *dst = out + o * len * inner + j;
            for (size_t i = 0; i < len; i++) buf[i] = src[i * inner];
            if (p.use_blue)
                N(blue_fft)(&p.b, buf, fct, fwd);
            else
                N(cfftp_exec)(&p.c, buf, fct, fwd);
            for (size_t i = 0; i < len; i++) dst[i * inner] = buf[i];
        }
}

static void N(r2c)(const T *in, CX *out, size_t outer, size_t len, size_t inner, T fct, void *work) {
    N(plan) p;
    N(plan_init)(&p, len, true, work);
    T *buf = p.line;
    size_t half = len / 2 + 1;
    for (size_t o = 0; o < outer; o++)
        for (size_t j = 0; j < inner; j++) {
            const T *src = in + o * len * inner + j;
            CX *dst = out + o * half * inner + j;
            for (size_t i = 0; i < len; i++) buf[i] = src[i * inner];
            if (p.use_blue)
                N(blue_exec_r)(&p.b, buf, fct, true);
            else
                N(rfftp_exec)(&p.r, buf, fct, true);
            dst[0] = (CX){buf[0], 0};
            size_t i = 1, ii = 1;
            for (; i < len - 1; i += 2, ++ii) dst[ii * inner] = (CX){buf[i], buf[i + 1]};
            if (i < len) dst[ii * inner] = (CX){buf[i], 0};
        }
}

static void N(c2r)(const CX *in, T *out, size_t outer, size_t len, size_t inner, T fct, void *work) {
    N(plan) p;
    N(plan_init)(&p, len, true, work);
    T *buf = p.line;
    size_t half = len / 2 + 1;
    for (size_t o = 0; o < outer; o++)
        for (size_t j = 0; j < inner; j++) {
            const CX *src = in + o * half * inner + j;
            T *dst = out + o * len * inner + j;
            buf[0] = src[0].r;
            size_t i = 1, ii = 1;
            for (; i < len - 1; i += 2, ++ii) {
                buf[i] = src[ii * inner].r;
                buf[i + 1] = src[ii * inner].i;
            }
            if (i < len) buf[i] = src[ii * inner].r;
            if (p.use_blue)
                N(blue_exec_r)(&p.b, buf, fct, false);
            else
                N(rfftp_exec)(&p.r, buf, fct, false);
            for (size_t k = 0; k < len; k++) dst[k * inner] = buf[k];
        }
}

#undef CPM
#undef CPMIN
#undef CX
