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

static inline CX N(cadd)(CX a, CX b) { return (CX){a.r + b.r, a.i + b.i}; }
static inline CX N(csub)(CX a, CX b) { return (CX){a.r - b.r, a.i - b.i}; }
static inline CX N(cscale)(CX a, T s) { return (CX){a.r * s, a.i * s}; }
/* special_mul<fwd>: v * w (backward) or v * conj(w) (forward) */
static inline CX N(smul)(CX v, CX w, bool fwd) {
    return fwd ? (CX){v.r * w.r + v.i * w.i, v.i * w.r - v.r * w.i} : (CX){v.r * w.r - v.i * w.i, v.r * w.i + v.i * w.r};
}
static inline CX N(rotx90)(CX a, bool fwd) { return fwd ? (CX){a.i, -a.r} : (CX){-a.i, a.r}; }

#define CPM(a, b, c, d)        \
    do {                       \
        CX c_ = (c), d_ = (d); \
        (a) = N(cadd)(c_, d_); \
        (b) = N(csub)(c_, d_); \
    } while (0)

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

/* ---- complex radix passes (cfftp) */

#define WA(x, i) wa[(i)-1 + (x) * (ido - 1)]
#define CH(a, b, c) ch[(a) + ido * ((b) + l1 * (c))]
#define CC(a, b, c) cc[(a) + ido * ((b) + cdim * (c))]

static void N(pass2)(size_t ido, size_t l1, const CX *restrict cc, CX *restrict ch, const CX *restrict wa, bool fwd) {
    const size_t cdim = 2;
    for (size_t k = 0; k < l1; ++k) {
        CH(0, k, 0) = N(cadd)(CC(0, 0, k), CC(0, 1, k));
        CH(0, k, 1) = N(csub)(CC(0, 0, k), CC(0, 1, k));
        for (size_t i = 1; i < ido; ++i) {
            CH(i, k, 0) = N(cadd)(CC(i, 0, k), CC(i, 1, k));
            CH(i, k, 1) = N(smul)(N(csub)(CC(i, 0, k), CC(i, 1, k)), WA(0, i), fwd);
        }
    }
}

#define PREP3(idx)                        \
    CX t0 = CC(idx, 0, k), t1, t2;        \
    CPM(t1, t2, CC(idx, 1, k), CC(idx, 2, k)); \
    CH(idx, k, 0) = N(cadd)(t0, t1);
#define PARTSTEP3a(u1, u2, twr, twi)                  \
    {                                                 \
        CX ca = N(cadd)(t0, N(cscale)(t1, twr));      \
        CX cb = {-t2.i * twi, t2.r * twi};            \
        CPM(CH(0, k, u1), CH(0, k, u2), ca, cb);      \
    }
#define PARTSTEP3b(u1, u2, twr, twi)                                              \
    {                                                                             \
        CX ca = N(cadd)(t0, N(cscale)(t1, twr));                                  \
        CX cb = {-t2.i * twi, t2.r * twi};                                        \
        CH(i, k, u1) = N(smul)(N(cadd)(ca, cb), WA(u1 - 1, i), fwd);              \
        CH(i, k, u2) = N(smul)(N(csub)(ca, cb), WA(u2 - 1, i), fwd);              \
    }
static void N(pass3)(size_t ido, size_t l1, const CX *restrict cc, CX *restrict ch, const CX *restrict wa, bool fwd) {
    const size_t cdim = 3;
    const T tw1r = -0.5, tw1i = (fwd ? -1 : 1) * (T)(0.8660254037844386467637231707529362L);
    for (size_t k = 0; k < l1; ++k) {
        {
            PREP3(0)
            PARTSTEP3a(1, 2, tw1r, tw1i)
        }
        for (size_t i = 1; i < ido; ++i) {
            PREP3(i)
            PARTSTEP3b(1, 2, tw1r, tw1i)
        }
    }
}
#undef PREP3
#undef PARTSTEP3a
#undef PARTSTEP3b

static void N(pass4)(size_t ido, size_t l1, const CX *restrict cc, CX *restrict ch, const CX *restrict wa, bool fwd) {
    const size_t cdim = 4;
    for (size_t k = 0; k < l1; ++k) {
        {
            CX t1, t2, t3, t4;
            CPM(t2, t1, CC(0, 0, k), CC(0, 2, k));
            CPM(t3, t4, CC(0, 1, k), CC(0, 3, k));
            t4 = N(rotx90)(t4, fwd);
            CPM(CH(0, k, 0), CH(0, k, 2), t2, t3);
            CPM(CH(0, k, 1), CH(0, k, 3), t1, t4);
        }
        for (size_t i = 1; i < ido; ++i) {
            CX t1, t2, t3, t4;
            CX cc0 = CC(i, 0, k), cc1 = CC(i, 1, k), cc2 = CC(i, 2, k), cc3 = CC(i, 3, k);
            CPM(t2, t1, cc0, cc2);
            CPM(t3, t4, cc1, cc3);
            t4 = N(rotx90)(t4, fwd);
            CH(i, k, 0) = N(cadd)(t2, t3);
            CH(i, k, 1) = N(smul)(N(cadd)(t1, t4), WA(0, i), fwd);
            CH(i, k, 2) = N(smul)(N(csub)(t2, t3), WA(1, i), fwd);
            CH(i, k, 3) = N(smul)(N(csub)(t1, t4), WA(2, i), fwd);
        }
    }
}

#define PREP5(idx)                              \
    CX t0 = CC(idx, 0, k), t1, t2, t3, t4;      \
    CPM(t1, t4, CC(idx, 1, k), CC(idx, 4, k));  \
    CPM(t2, t3, CC(idx, 2, k), CC(idx, 3, k));  \
    CH(idx, k, 0).r = t0.r + t1.r + t2.r;       \
    CH(idx, k, 0).i = t0.i + t1.i + t2.i;
#define PARTSTEP5a(u1, u2, twar, twbr, twai, twbi)  \
    {                                               \
        CX ca, cb;                                  \
        ca.r = t0.r + twar * t1.r + twbr * t2.r;    \
        ca.i = t0.i + twar * t1.i + twbr * t2.i;    \
        cb.i = twai * t4.r twbi * t3.r;             \
        cb.r = -(twai * t4.i twbi * t3.i);          \
        CPM(CH(0, k, u1), CH(0, k, u2), ca, cb);    \
    }
#define PARTSTEP5b(u1, u2, twar, twbr, twai, twbi)                          \
    {                                                                       \
        CX ca, cb;                                                          \
        ca.r = t0.r + twar * t1.r + twbr * t2.r;                            \
        ca.i = t0.i + twar * t1.i + twbr * t2.i;                            \
        cb.i = twai * t4.r twbi * t3.r;                                     \
        cb.r = -(twai * t4.i twbi * t3.i);                                  \
        CH(i, k, u1) = N(smul)(N(cadd)(ca, cb), WA(u1 - 1, i), fwd);        \
        CH(i, k, u2) = N(smul)(N(csub)(ca, cb), WA(u2 - 1, i), fwd);        \
    }
static void N(pass5)(size_t ido, size_t l1, const CX *restrict cc, CX *restrict ch, const CX *restrict wa, bool fwd) {
    const size_t cdim = 5;
    const T tw1r = (T)(0.3090169943749474241022934171828191L),
            tw1i = (fwd ? -1 : 1) * (T)(0.9510565162951535721164393333793821L),
            tw2r = (T)(-0.8090169943749474241022934171828191L),
            tw2i = (fwd ? -1 : 1) * (T)(0.5877852522924731291687059546390728L);
    for (size_t k = 0; k < l1; ++k) {
        {
            PREP5(0)
            PARTSTEP5a(1, 4, tw1r, tw2r, +tw1i, +tw2i)
            PARTSTEP5a(2, 3, tw2r, tw1r, +tw2i, -tw1i)
        }
        for (size_t i = 1; i < ido; ++i) {
            PREP5(i)
            PARTSTEP5b(1, 4, tw1r, tw2r, +tw1i, +tw2i)
            PARTSTEP5b(2, 3, tw2r, tw1r, +tw2i, -tw1i)
        }
    }
}
#undef PREP5
#undef PARTSTEP5a
#undef PARTSTEP5b

#define PREP7(idx)                                   \
    CX t1 = CC(idx, 0, k), t2, t3, t4, t5, t6, t7;   \
    CPM(t2, t7, CC(idx, 1, k), CC(idx, 6, k));       \
    CPM(t3, t6, CC(idx, 2, k), CC(idx, 5, k));       \
    CPM(t4, t5, CC(idx, 3, k), CC(idx, 4, k));       \
    CH(idx, k, 0).r = t1.r + t2.r + t3.r + t4.r;     \
    CH(idx, k, 0).i = t1.i + t2.i + t3.i + t4.i;
#define PARTSTEP7a0(u1, u2, x1, x2, x3, y1, y2, y3, out1, out2) \
    {                                                           \
        CX ca, cb;                                              \
        ca.r = t1.r + x1 * t2.r + x2 * t3.r + x3 * t4.r;        \
        ca.i = t1.i + x1 * t2.i + x2 * t3.i + x3 * t4.i;        \
        cb.i = y1 * t7.r y2 * t6.r y3 * t5.r;                   \
        cb.r = -(y1 * t7.i y2 * t6.i y3 * t5.i);                \
        CPM(out1, out2, ca, cb);                                \
    }
#define PARTSTEP7a(u1, u2, x1, x2, x3, y1, y2, y3) \
    PARTSTEP7a0(u1, u2, x1, x2, x3, y1, y2, y3, CH(0, k, u1), CH(0, k, u2))
#define PARTSTEP7(u1, u2, x1, x2, x3, y1, y2, y3)                    \
    {                                                                \
        CX da, db;                                                   \
        PARTSTEP7a0(u1, u2, x1, x2, x3, y1, y2, y3, da, db)          \
        CH(i, k, u1) = N(smul)(da, WA(u1 - 1, i), fwd);              \
        CH(i, k, u2) = N(smul)(db, WA(u2 - 1, i), fwd);              \
    }
static void N(pass7)(size_t ido, size_t l1, const CX *restrict cc, CX *restrict ch, const CX *restrict wa, bool fwd) {
    const size_t cdim = 7;
    const T tw1r = (T)(0.6234898018587335305250048840042398L),
            tw1i = (fwd ? -1 : 1) * (T)(0.7818314824680298087084445266740578L),
            tw2r = (T)(-0.2225209339563144042889025644967948L),
            tw2i = (fwd ? -1 : 1) * (T)(0.9749279121818236070181316829939312L),
            tw3r = (T)(-0.9009688679024191262361023195074451L),
            tw3i = (fwd ? -1 : 1) * (T)(0.433883739117558120475768332848359L);
    for (size_t k = 0; k < l1; ++k) {
        {
            PREP7(0)
            PARTSTEP7a(1, 6, tw1r, tw2r, tw3r, +tw1i, +tw2i, +tw3i)
            PARTSTEP7a(2, 5, tw2r, tw3r, tw1r, +tw2i, -tw3i, -tw1i)
            PARTSTEP7a(3, 4, tw3r, tw1r, tw2r, +tw3i, -tw1i, +tw2i)
        }
        for (size_t i = 1; i < ido; ++i) {
            PREP7(i)
            PARTSTEP7(1, 6, tw1r, tw2r, tw3r, +tw1i, +tw2i, +tw3i)
            PARTSTEP7(2, 5, tw2r, tw3r, tw1r, +tw2i, -tw3i, -tw1i)
            PARTSTEP7(3, 4, tw3r, tw1r, tw2r, +tw3i, -tw1i, +tw2i)
        }
    }
}
#undef PREP7
#undef PARTSTEP7a0
#undef PARTSTEP7a
#undef PARTSTEP7

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

#define PREP11(idx)                                                      \
    CX t1 = CC(idx, 0, k), t2, t3, t4, t5, t6, t7, t8, t9, t10, t11;     \
    CPM(t2, t11, CC(idx, 1, k), CC(idx, 10, k));                         \
    CPM(t3, t10, CC(idx, 2, k), CC(idx, 9, k));                          \
    CPM(t4, t9, CC(idx, 3, k), CC(idx, 8, k));                           \
    CPM(t5, t8, CC(idx, 4, k), CC(idx, 7, k));                           \
    CPM(t6, t7, CC(idx, 5, k), CC(idx, 6, k));                           \
    CH(idx, k, 0).r = t1.r + t2.r + t3.r + t4.r + t5.r + t6.r;           \
    CH(idx, k, 0).i = t1.i + t2.i + t3.i + t4.i + t5.i + t6.i;
#define PARTSTEP11a0(u1, u2, x1, x2, x3, x4, x5, y1, y2, y3, y4, y5, out1, out2)              \
    {                                                                                         \
        CX ca, cb;                                                                            \
        ca.r = t1.r + t2.r * x1 + t3.r * x2 + t4.r * x3 + t5.r * x4 + t6.r * x5;              \
        ca.i = t1.i + t2.i * x1 + t3.i * x2 + t4.i * x3 + t5.i * x4 + t6.i * x5;              \
        cb.i = y1 * t11.r y2 * t10.r y3 * t9.r y4 * t8.r y5 * t7.r;                           \
        cb.r = -(y1 * t11.i y2 * t10.i y3 * t9.i y4 * t8.i y5 * t7.i);                        \
        CPM(out1, out2, ca, cb);                                                              \
    }
#define PARTSTEP11a(u1, u2, x1, x2, x3, x4, x5, y1, y2, y3, y4, y5) \
    PARTSTEP11a0(u1, u2, x1, x2, x3, x4, x5, y1, y2, y3, y4, y5, CH(0, k, u1), CH(0, k, u2))
#define PARTSTEP11(u1, u2, x1, x2, x3, x4, x5, y1, y2, y3, y4, y5)              \
    {                                                                           \
        CX da, db;                                                              \
        PARTSTEP11a0(u1, u2, x1, x2, x3, x4, x5, y1, y2, y3, y4, y5, da, db)    \
        CH(i, k, u1) = N(smul)(da, WA(u1 - 1, i), fwd);                         \
        CH(i, k, u2) = N(smul)(db, WA(u2 - 1, i), fwd);                         \
    }
static void N(pass11)(size_t ido, size_t l1, const CX *restrict cc, CX *restrict ch, const CX *restrict wa,
                      bool fwd) {
    const size_t cdim = 11;
    const T tw1r = (T)(0.8412535328311811688618116489193677L),
            tw1i = (fwd ? -1 : 1) * (T)(0.5406408174555975821076359543186917L),
            tw2r = (T)(0.4154150130018864255292741492296232L),
            tw2i = (fwd ? -1 : 1) * (T)(0.9096319953545183714117153830790285L),
            tw3r = (T)(-0.1423148382732851404437926686163697L),
            tw3i = (fwd ? -1 : 1) * (T)(0.9898214418809327323760920377767188L),
            tw4r = (T)(-0.6548607339452850640569250724662936L),
            tw4i = (fwd ? -1 : 1) * (T)(0.7557495743542582837740358439723444L),
            tw5r = (T)(-0.9594929736144973898903680570663277L),
            tw5i = (fwd ? -1 : 1) * (T)(0.2817325568414296977114179153466169L);
    for (size_t k = 0; k < l1; ++k) {
        {
            PREP11(0)
            PARTSTEP11a(1, 10, tw1r, tw2r, tw3r, tw4r, tw5r, +tw1i, +tw2i, +tw3i, +tw4i, +tw5i)
            PARTSTEP11a(2, 9, tw2r, tw4r, tw5r, tw3r, tw1r, +tw2i, +tw4i, -tw5i, -tw3i, -tw1i)
            PARTSTEP11a(3, 8, tw3r, tw5r, tw2r, tw1r, tw4r, +tw3i, -tw5i, -tw2i, +tw1i, +tw4i)
            PARTSTEP11a(4, 7, tw4r, tw3r, tw1r, tw5r, tw2r, +tw4i, -tw3i, +tw1i, +tw5i, -tw2i)
            PARTSTEP11a(5, 6, tw5r, tw1r, tw4r, tw2r, tw3r, +tw5i, -tw1i, +tw4i, -tw2i, +tw3i)
        }
        for (size_t i = 1; i < ido; ++i) {
            PREP11(i)
            PARTSTEP11(1, 10, tw1r, tw2r, tw3r, tw4r, tw5r, +tw1i, +tw2i, +tw3i, +tw4i, +tw5i)
            PARTSTEP11(2, 9, tw2r, tw4r, tw5r, tw3r, tw1r, +tw2i, +tw4i, -tw5i, -tw3i, -tw1i)
            PARTSTEP11(3, 8, tw3r, tw5r, tw2r, tw1r, tw4r, +tw3i, -tw5i, -tw2i, +tw1i, +tw4i)
            PARTSTEP11(4, 7, tw4r, tw3r, tw1r, tw5r, tw2r, +tw4i, -tw3i, +tw1i, +tw5i, -tw2i)
            PARTSTEP11(5, 6, tw5r, tw1r, tw4r, tw2r, tw3r, +tw5i, -tw1i, +tw4i, -tw2i, +tw3i)
        }
    }
}
#undef PREP11
#undef PARTSTEP11a0
#undef PARTSTEP11a
#undef PARTSTEP11
#undef CC

/* the generic odd factor ip; csarr: ip roots (the plan's tws) */
static void N(passg)(size_t ido, size_t ip, size_t l1, CX *restrict cc, CX *restrict ch, const CX *restrict wa,
                     const CX *restrict csarr, bool fwd) {
    const size_t cdim = ip;
    size_t ipph = (ip + 1) / 2;
    size_t idl1 = ido * l1;
#define CC(a, b, c) cc[(a) + ido * ((b) + cdim * (c))]
#define CX3(a, b, c) cc[(a) + ido * ((b) + l1 * (c))]
#define CX2(a, b) cc[(a) + idl1 * (b)]
#define CH2(a, b) ch[(a) + idl1 * (b)]
#define WAL(x) (CX){csarr[x].r, fwd ? -csarr[x].i : csarr[x].i}
    for (size_t k = 0; k < l1; ++k)
        for (size_t i = 0; i < ido; ++i) CH(i, k, 0) = CC(i, 0, k);
    for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc)
        for (size_t k = 0; k < l1; ++k)
            for (size_t i = 0; i < ido; ++i) CPM(CH(i, k, j), CH(i, k, jc), CC(i, j, k), CC(i, jc, k));
    for (size_t k = 0; k < l1; ++k)
        for (size_t i = 0; i < ido; ++i) {
            CX tmp = CH(i, k, 0);
            for (size_t j = 1; j < ipph; ++j) tmp = N(cadd)(tmp, CH(i, k, j));
            CX3(i, k, 0) = tmp;
        }
    for (size_t l = 1, lc = ip - 1; l < ipph; ++l, --lc) {
        CX wl = WAL(l), w2l = WAL(2 * l); /* l >= 1: wal[0] (1, 0) is never read here */
        for (size_t ik = 0; ik < idl1; ++ik) {
            CX2(ik, l).r = CH2(ik, 0).r + wl.r * CH2(ik, 1).r + w2l.r * CH2(ik, 2).r;
            CX2(ik, l).i = CH2(ik, 0).i + wl.r * CH2(ik, 1).i + w2l.r * CH2(ik, 2).i;
            CX2(ik, lc).r = -wl.i * CH2(ik, ip - 1).i - w2l.i * CH2(ik, ip - 2).i;
            CX2(ik, lc).i = wl.i * CH2(ik, ip - 1).r + w2l.i * CH2(ik, ip - 2).r;
        }
        size_t iwal = 2 * l;
        size_t j = 3, jc = ip - 3;
        for (; j < ipph - 1; j += 2, jc -= 2) {
            iwal += l;
            if (iwal > ip) iwal -= ip;
            CX xwal = WAL(iwal);
            iwal += l;
            if (iwal > ip) iwal -= ip;
            CX xwal2 = WAL(iwal);
            for (size_t ik = 0; ik < idl1; ++ik) {
                CX2(ik, l).r += CH2(ik, j).r * xwal.r + CH2(ik, j + 1).r * xwal2.r;
                CX2(ik, l).i += CH2(ik, j).i * xwal.r + CH2(ik, j + 1).i * xwal2.r;
                CX2(ik, lc).r -= CH2(ik, jc).i * xwal.i + CH2(ik, jc - 1).i * xwal2.i;
                CX2(ik, lc).i += CH2(ik, jc).r * xwal.i + CH2(ik, jc - 1).r * xwal2.i;
            }
        }
        for (; j < ipph; ++j, --jc) {
            iwal += l;
            if (iwal > ip) iwal -= ip;
            CX xwal = WAL(iwal);
            for (size_t ik = 0; ik < idl1; ++ik) {
                CX2(ik, l).r += CH2(ik, j).r * xwal.r;
                CX2(ik, l).i += CH2(ik, j).i * xwal.r;
                CX2(ik, lc).r -= CH2(ik, jc).i * xwal.i;
                CX2(ik, lc).i += CH2(ik, jc).r * xwal.i;
            }
        }
    }
    /* shuffling and twiddling */
    if (ido == 1)
        for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc)
            for (size_t ik = 0; ik < idl1; ++ik) {
                CX t1 = CX2(ik, j), t2 = CX2(ik, jc);
                CPM(CX2(ik, j), CX2(ik, jc), t1, t2);
            }
    else
        for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc)
            for (size_t k = 0; k < l1; ++k) {
                CX t1 = CX3(0, k, j), t2 = CX3(0, k, jc);
                CPM(CX3(0, k, j), CX3(0, k, jc), t1, t2);
                for (size_t i = 1; i < ido; ++i) {
                    CX x1, x2;
                    CPM(x1, x2, CX3(i, k, j), CX3(i, k, jc));
                    size_t idij = (j - 1) * (ido - 1) + i - 1;
                    CX3(i, k, j) = N(smul)(x1, wa[idij], fwd);
                    idij = (jc - 1) * (ido - 1) + i - 1;
                    CX3(i, k, jc) = N(smul)(x2, wa[idij], fwd);
                }
            }
#undef CC
#undef CX3
#undef CX2
#undef CH2
#undef WAL
}
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

#define WA(x, i) wa[(i) + (x) * (ido - 1)]
#define PM(a, b, c, d)   \
    do {                 \
        T c_ = (c), d_ = (d); \
        (a) = c_ + d_;   \
        (b) = c_ - d_;   \
    } while (0)
/* (a+ib) = conj(c+id) * (e+if) */
#define MULPM(a, b, c, d, e, f)          \
    do {                                 \
        T c_ = (c), d_ = (d), e_ = (e), f_ = (f); \
        (a) = c_ * e_ + d_ * f_;         \
        (b) = c_ * f_ - d_ * e_;         \
    } while (0)
/* forward passes: CC (ido, l1, ip) in, CH (ido, ip, l1) out */
#define CC(a, b, c) cc[(a) + ido * ((b) + l1 * (c))]
#define CH(a, b, c) ch[(a) + ido * ((b) + cdim * (c))]

static void N(radf2)(size_t ido, size_t l1, const T *restrict cc, T *restrict ch, const T *restrict wa) {
    const size_t cdim = 2;
    for (size_t k = 0; k < l1; k++) PM(CH(0, 0, k), CH(ido - 1, 1, k), CC(0, k, 0), CC(0, k, 1));
    if ((ido & 1) == 0)
        for (size_t k = 0; k < l1; k++) {
            CH(0, 1, k) = -CC(ido - 1, k, 1);
            CH(ido - 1, 0, k) = CC(ido - 1, k, 0);
        }
    if (ido <= 2) return;
    for (size_t k = 0; k < l1; k++)
        for (size_t i = 2; i < ido; i += 2) {
            size_t ic = ido - i;
            T tr2, ti2;
            MULPM(tr2, ti2, WA(0, i - 2), WA(0, i - 1), CC(i - 1, k, 1), CC(i, k, 1));
            PM(CH(i - 1, 0, k), CH(ic - 1, 1, k), CC(i - 1, k, 0), tr2);
            PM(CH(i, 0, k), CH(ic, 1, k), ti2, CC(i, k, 0));
        }
}

#define REARRANGE(rx, ix, ry, iy)                                    \
    do {                                                             \
        T t1 = rx + ry, t2 = ry - rx, t3 = ix + iy, t4 = ix - iy;   \
        rx = t1;                                                     \
        ix = t3;                                                     \
        ry = t4;                                                     \
        iy = t2;                                                     \
    } while (0)

static void N(radf3)(size_t ido, size_t l1, const T *restrict cc, T *restrict ch, const T *restrict wa) {
    const size_t cdim = 3;
    const T taur = -0.5, taui = (T)(0.8660254037844386467637231707529362L);
    for (size_t k = 0; k < l1; k++) {
        T cr2 = CC(0, k, 1) + CC(0, k, 2);
        CH(0, 0, k) = CC(0, k, 0) + cr2;
        CH(0, 2, k) = taui * (CC(0, k, 2) - CC(0, k, 1));
        CH(ido - 1, 1, k) = CC(0, k, 0) + taur * cr2;
    }
    if (ido == 1) return;
    for (size_t k = 0; k < l1; k++)
        for (size_t i = 2; i < ido; i += 2) {
            size_t ic = ido - i;
            T di2, di3, dr2, dr3;
            MULPM(dr2, di2, WA(0, i - 2), WA(0, i - 1), CC(i - 1, k, 1), CC(i, k, 1));
            MULPM(dr3, di3, WA(1, i - 2), WA(1, i - 1), CC(i - 1, k, 2), CC(i, k, 2));
            REARRANGE(dr2, di2, dr3, di3);
            CH(i - 1, 0, k) = CC(i - 1, k, 0) + dr2;
            CH(i, 0, k) = CC(i, k, 0) + di2;
            T tr2 = CC(i - 1, k, 0) + taur * dr2;
            T ti2 = CC(i, k, 0) + taur * di2;
            T tr3 = taui * dr3;
            T ti3 = taui * di3;
            PM(CH(i - 1, 2, k), CH(ic - 1, 1, k), tr2, tr3);
            PM(CH(i, 2, k), CH(ic, 1, k), ti3, ti2);
        }
}

static void N(radf4)(size_t ido, size_t l1, const T *restrict cc, T *restrict ch, const T *restrict wa) {
    const size_t cdim = 4;
    const T hsqt2 = (T)(0.707106781186547524400844362104849L);
    for (size_t k = 0; k < l1; k++) {
        T tr1, tr2;
        PM(tr1, CH(0, 2, k), CC(0, k, 3), CC(0, k, 1));
        PM(tr2, CH(ido - 1, 1, k), CC(0, k, 0), CC(0, k, 2));
        PM(CH(0, 0, k), CH(ido - 1, 3, k), tr2, tr1);
    }
    if ((ido & 1) == 0)
        for (size_t k = 0; k < l1; k++) {
            T ti1 = -hsqt2 * (CC(ido - 1, k, 1) + CC(ido - 1, k, 3));
            T tr1 = hsqt2 * (CC(ido - 1, k, 1) - CC(ido - 1, k, 3));
            PM(CH(ido - 1, 0, k), CH(ido - 1, 2, k), CC(ido - 1, k, 0), tr1);
            PM(CH(0, 3, k), CH(0, 1, k), ti1, CC(ido - 1, k, 2));
        }
    if (ido <= 2) return;
    for (size_t k = 0; k < l1; k++)
        for (size_t i = 2; i < ido; i += 2) {
            size_t ic = ido - i;
            T ci2, ci3, ci4, cr2, cr3, cr4, ti1, ti2, ti3, ti4, tr1, tr2, tr3, tr4;
            MULPM(cr2, ci2, WA(0, i - 2), WA(0, i - 1), CC(i - 1, k, 1), CC(i, k, 1));
            MULPM(cr3, ci3, WA(1, i - 2), WA(1, i - 1), CC(i - 1, k, 2), CC(i, k, 2));
            MULPM(cr4, ci4, WA(2, i - 2), WA(2, i - 1), CC(i - 1, k, 3), CC(i, k, 3));
            PM(tr1, tr4, cr4, cr2);
            PM(ti1, ti4, ci2, ci4);
            PM(tr2, tr3, CC(i - 1, k, 0), cr3);
            PM(ti2, ti3, CC(i, k, 0), ci3);
            PM(CH(i - 1, 0, k), CH(ic - 1, 3, k), tr2, tr1);
            PM(CH(i, 0, k), CH(ic, 3, k), ti1, ti2);
            PM(CH(i - 1, 2, k), CH(ic - 1, 1, k), tr3, ti4);
            PM(CH(i, 2, k), CH(ic, 1, k), tr4, ti3);
        }
}

static void N(radf5)(size_t ido, size_t l1, const T *restrict cc, T *restrict ch, const T *restrict wa) {
    const size_t cdim = 5;
    const T tr11 = (T)(0.3090169943749474241022934171828191L), ti11 = (T)(0.9510565162951535721164393333793821L),
            tr12 = (T)(-0.8090169943749474241022934171828191L), ti12 = (T)(0.5877852522924731291687059546390728L);
    for (size_t k = 0; k < l1; k++) {
        T cr2, cr3, ci4, ci5;
        PM(cr2, ci5, CC(0, k, 4), CC(0, k, 1));
        PM(cr3, ci4, CC(0, k, 3), CC(0, k, 2));
        CH(0, 0, k) = CC(0, k, 0) + cr2 + cr3;
        CH(ido - 1, 1, k) = CC(0, k, 0) + tr11 * cr2 + tr12 * cr3;
        CH(0, 2, k) = ti11 * ci5 + ti12 * ci4;
        CH(ido - 1, 3, k) = CC(0, k, 0) + tr12 * cr2 + tr11 * cr3;
        CH(0, 4, k) = ti12 * ci5 - ti11 * ci4;
    }
    if (ido == 1) return;
    for (size_t k = 0; k < l1; ++k)
        for (size_t i = 2, ic = ido - 2; i < ido; i += 2, ic -= 2) {
            T di2, di3, di4, di5, dr2, dr3, dr4, dr5;
            MULPM(dr2, di2, WA(0, i - 2), WA(0, i - 1), CC(i - 1, k, 1), CC(i, k, 1));
            MULPM(dr3, di3, WA(1, i - 2), WA(1, i - 1), CC(i - 1, k, 2), CC(i, k, 2));
            MULPM(dr4, di4, WA(2, i - 2), WA(2, i - 1), CC(i - 1, k, 3), CC(i, k, 3));
            MULPM(dr5, di5, WA(3, i - 2), WA(3, i - 1), CC(i - 1, k, 4), CC(i, k, 4));
            REARRANGE(dr2, di2, dr5, di5);
            REARRANGE(dr3, di3, dr4, di4);
            CH(i - 1, 0, k) = CC(i - 1, k, 0) + dr2 + dr3;
            CH(i, 0, k) = CC(i, k, 0) + di2 + di3;
            T tr2 = CC(i - 1, k, 0) + tr11 * dr2 + tr12 * dr3;
            T ti2 = CC(i, k, 0) + tr11 * di2 + tr12 * di3;
            T tr3 = CC(i - 1, k, 0) + tr12 * dr2 + tr11 * dr3;
            T ti3 = CC(i, k, 0) + tr12 * di2 + tr11 * di3;
            T tr5 = ti11 * dr5 + ti12 * dr4;
            T ti5 = ti11 * di5 + ti12 * di4;
            T tr4 = ti12 * dr5 - ti11 * dr4;
            T ti4 = ti12 * di5 - ti11 * di4;
            PM(CH(i - 1, 2, k), CH(ic - 1, 1, k), tr2, tr5);
            PM(CH(i, 2, k), CH(ic, 1, k), ti5, ti2);
            PM(CH(i - 1, 4, k), CH(ic - 1, 3, k), tr3, tr4);
            PM(CH(i, 4, k), CH(ic, 3, k), ti4, ti3);
        }
}
#undef REARRANGE
#undef CC
#undef CH

static void N(radfg)(size_t ido, size_t ip, size_t l1, T *restrict cc, T *restrict ch, const T *restrict wa,
                     const T *restrict csarr) {
    const size_t cdim = ip;
    size_t ipph = (ip + 1) / 2;
    size_t idl1 = ido * l1;
#define CC(a, b, c) cc[(a) + ido * ((b) + cdim * (c))]
#define CH(a, b, c) ch[(a) + ido * ((b) + l1 * (c))]
#define C1(a, b, c) cc[(a) + ido * ((b) + l1 * (c))]
#define C2(a, b) cc[(a) + idl1 * (b)]
#define CH2(a, b) ch[(a) + idl1 * (b)]
    if (ido > 1) {
        for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc) {
            size_t is = (j - 1) * (ido - 1), is2 = (jc - 1) * (ido - 1);
            for (size_t k = 0; k < l1; ++k) {
                size_t idij = is;
                size_t idij2 = is2;
                for (size_t i = 1; i <= ido - 2; i += 2) {
                    T t1 = C1(i, k, j), t2 = C1(i + 1, k, j), t3 = C1(i, k, jc), t4 = C1(i + 1, k, jc);
                    T x1 = wa[idij] * t1 + wa[idij + 1] * t2, x2 = wa[idij] * t2 - wa[idij + 1] * t1,
                      x3 = wa[idij2] * t3 + wa[idij2 + 1] * t4, x4 = wa[idij2] * t4 - wa[idij2 + 1] * t3;
                    PM(C1(i, k, j), C1(i + 1, k, jc), x3, x1);
                    PM(C1(i + 1, k, j), C1(i, k, jc), x2, x4);
                    idij += 2;
                    idij2 += 2;
                }
            }
        }
    }
    for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc)
        for (size_t k = 0; k < l1; ++k) {
            /* MPINPLACE(a, b): a -= b, b = old a + b */
            T t = C1(0, k, jc);
            C1(0, k, jc) -= C1(0, k, j);
            C1(0, k, j) = t + C1(0, k, j);
        }
    for (size_t l = 1, lc = ip - 1; l < ipph; ++l, --lc) {
        for (size_t ik = 0; ik < idl1; ++ik) {
            CH2(ik, l) = C2(ik, 0) + csarr[2 * l] * C2(ik, 1) + csarr[4 * l] * C2(ik, 2);
            CH2(ik, lc) = csarr[2 * l + 1] * C2(ik, ip - 1) + csarr[4 * l + 1] * C2(ik, ip - 2);
        }
        size_t iang = 2 * l;
        size_t j = 3, jc = ip - 3;
        for (; j < ipph - 3; j += 4, jc -= 4) {
            iang += l;
            if (iang >= ip) iang -= ip;
            T ar1 = csarr[2 * iang], ai1 = csarr[2 * iang + 1];
            iang += l;
            if (iang >= ip) iang -= ip;
            T ar2 = csarr[2 * iang], ai2 = csarr[2 * iang + 1];
            iang += l;
            if (iang >= ip) iang -= ip;
            T ar3 = csarr[2 * iang], ai3 = csarr[2 * iang + 1];
            iang += l;
            if (iang >= ip) iang -= ip;
            T ar4 = csarr[2 * iang], ai4 = csarr[2 * iang + 1];
            for (size_t ik = 0; ik < idl1; ++ik) {
                CH2(ik, l) += ar1 * C2(ik, j) + ar2 * C2(ik, j + 1) + ar3 * C2(ik, j + 2) + ar4 * C2(ik, j + 3);
                CH2(ik, lc) += ai1 * C2(ik, jc) + ai2 * C2(ik, jc - 1) + ai3 * C2(ik, jc - 2) + ai4 * C2(ik, jc - 3);
            }
        }
        for (; j < ipph - 1; j += 2, jc -= 2) {
            iang += l;
            if (iang >= ip) iang -= ip;
            T ar1 = csarr[2 * iang], ai1 = csarr[2 * iang + 1];
            iang += l;
            if (iang >= ip) iang -= ip;
            T ar2 = csarr[2 * iang], ai2 = csarr[2 * iang + 1];
            for (size_t ik = 0; ik < idl1; ++ik) {
                CH2(ik, l) += ar1 * C2(ik, j) + ar2 * C2(ik, j + 1);
                CH2(ik, lc) += ai1 * C2(ik, jc) + ai2 * C2(ik, jc - 1);
            }
        }
        for (; j < ipph; ++j, --jc) {
            iang += l;
            if (iang >= ip) iang -= ip;
            T ar = csarr[2 * iang], ai = csarr[2 * iang + 1];
            for (size_t ik = 0; ik < idl1; ++ik) {
                CH2(ik, l) += ar * C2(ik, j);
                CH2(ik, lc) += ai * C2(ik, jc);
            }
        }
    }
    for (size_t ik = 0; ik < idl1; ++ik) CH2(ik, 0) = C2(ik, 0);
    for (size_t j = 1; j < ipph; ++j)
        for (size_t ik = 0; ik < idl1; ++ik) CH2(ik, 0) += C2(ik, j);
    for (size_t k = 0; k < l1; ++k)
        for (size_t i = 0; i < ido; ++i) CC(i, 0, k) = CH(i, k, 0);
    for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc) {
        size_t j2 = 2 * j - 1;
        for (size_t k = 0; k < l1; ++k) {
            CC(ido - 1, j2, k) = CH(0, k, j);
            CC(0, j2 + 1, k) = CH(0, k, jc);
        }
    }
    if (ido == 1) return;
    for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc) {
        size_t j2 = 2 * j - 1;
        for (size_t k = 0; k < l1; ++k)
            for (size_t i = 1, ic = ido - i - 2; i <= ido - 2; i += 2, ic -= 2) {
                CC(i, j2 + 1, k) = CH(i, k, j) + CH(i, k, jc);
                CC(ic, j2, k) = CH(i, k, j) - CH(i, k, jc);
                CC(i + 1, j2 + 1, k) = CH(i + 1, k, j) + CH(i + 1, k, jc);
                CC(ic + 1, j2, k) = CH(i + 1, k, jc) - CH(i + 1, k, j);
            }
    }
#undef CC
#undef CH
#undef C1
#undef C2
#undef CH2
}

/* backward passes: CC (ido, ip, l1) in, CH (ido, l1, ip) out */
#define CC(a, b, c) cc[(a) + ido * ((b) + cdim * (c))]
#define CH(a, b, c) ch[(a) + ido * ((b) + l1 * (c))]

static void N(radb2)(size_t ido, size_t l1, const T *restrict cc, T *restrict ch, const T *restrict wa) {
    const size_t cdim = 2;
    for (size_t k = 0; k < l1; k++) PM(CH(0, k, 0), CH(0, k, 1), CC(0, 0, k), CC(ido - 1, 1, k));
    if ((ido & 1) == 0)
        for (size_t k = 0; k < l1; k++) {
            CH(ido - 1, k, 0) = 2 * CC(ido - 1, 0, k);
            CH(ido - 1, k, 1) = -2 * CC(0, 1, k);
        }
    if (ido <= 2) return;
    for (size_t k = 0; k < l1; ++k)
        for (size_t i = 2; i < ido; i += 2) {
            size_t ic = ido - i;
            T ti2, tr2;
            PM(CH(i - 1, k, 0), tr2, CC(i - 1, 0, k), CC(ic - 1, 1, k));
            PM(ti2, CH(i, k, 0), CC(i, 0, k), CC(ic, 1, k));
            MULPM(CH(i, k, 1), CH(i - 1, k, 1), WA(0, i - 2), WA(0, i - 1), ti2, tr2);
        }
}

static void N(radb3)(size_t ido, size_t l1, const T *restrict cc, T *restrict ch, const T *restrict wa) {
    const size_t cdim = 3;
    const T taur = -0.5, taui = (T)(0.8660254037844386467637231707529362L);
    for (size_t k = 0; k < l1; k++) {
        T tr2 = 2 * CC(ido - 1, 1, k);
        T cr2 = CC(0, 0, k) + taur * tr2;
        CH(0, k, 0) = CC(0, 0, k) + tr2;
        T ci3 = 2 * taui * CC(0, 2, k);
        PM(CH(0, k, 2), CH(0, k, 1), cr2, ci3);
    }
    if (ido == 1) return;
    for (size_t k = 0; k < l1; k++)
        for (size_t i = 2, ic = ido - 2; i < ido; i += 2, ic -= 2) {
            T tr2 = CC(i - 1, 2, k) + CC(ic - 1, 1, k);
            T ti2 = CC(i, 2, k) - CC(ic, 1, k);
            T cr2 = CC(i - 1, 0, k) + taur * tr2;
            T ci2 = CC(i, 0, k) + taur * ti2;
            CH(i - 1, k, 0) = CC(i - 1, 0, k) + tr2;
            CH(i, k, 0) = CC(i, 0, k) + ti2;
            T cr3 = taui * (CC(i - 1, 2, k) - CC(ic - 1, 1, k));
            T ci3 = taui * (CC(i, 2, k) + CC(ic, 1, k));
            T di2, di3, dr2, dr3;
            PM(dr3, dr2, cr2, ci3);
            PM(di2, di3, ci2, cr3);
            MULPM(CH(i, k, 1), CH(i - 1, k, 1), WA(0, i - 2), WA(0, i - 1), di2, dr2);
            MULPM(CH(i, k, 2), CH(i - 1, k, 2), WA(1, i - 2), WA(1, i - 1), di3, dr3);
        }
}

static void N(radb4)(size_t ido, size_t l1, const T *restrict cc, T *restrict ch, const T *restrict wa) {
    const size_t cdim = 4;
    const T sqrt2 = (T)(1.414213562373095048801688724209698L);
    for (size_t k = 0; k < l1; k++) {
        T tr1, tr2;
        PM(tr2, tr1, CC(0, 0, k), CC(ido - 1, 3, k));
        T tr3 = 2 * CC(ido - 1, 1, k);
        T tr4 = 2 * CC(0, 2, k);
        PM(CH(0, k, 0), CH(0, k, 2), tr2, tr3);
        PM(CH(0, k, 3), CH(0, k, 1), tr1, tr4);
    }
    if ((ido & 1) == 0)
        for (size_t k = 0; k < l1; k++) {
            T tr1, tr2, ti1, ti2;
            PM(ti1, ti2, CC(0, 3, k), CC(0, 1, k));
            PM(tr2, tr1, CC(ido - 1, 0, k), CC(ido - 1, 2, k));
            CH(ido - 1, k, 0) = tr2 + tr2;
            CH(ido - 1, k, 1) = sqrt2 * (tr1 - ti1);
            CH(ido - 1, k, 2) = ti2 + ti2;
            CH(ido - 1, k, 3) = -sqrt2 * (tr1 + ti1);
        }
    if (ido <= 2) return;
    for (size_t k = 0; k < l1; ++k)
        for (size_t i = 2; i < ido; i += 2) {
            T ci2, ci3, ci4, cr2, cr3, cr4, ti1, ti2, ti3, ti4, tr1, tr2, tr3, tr4;
            size_t ic = ido - i;
            PM(tr2, tr1, CC(i - 1, 0, k), CC(ic - 1, 3, k));
            PM(ti1, ti2, CC(i, 0, k), CC(ic, 3, k));
            PM(tr4, ti3, CC(i, 2, k), CC(ic, 1, k));
            PM(tr3, ti4, CC(i - 1, 2, k), CC(ic - 1, 1, k));
            PM(CH(i - 1, k, 0), cr3, tr2, tr3);
            PM(CH(i, k, 0), ci3, ti2, ti3);
            PM(cr4, cr2, tr1, tr4);
            PM(ci2, ci4, ti1, ti4);
            MULPM(CH(i, k, 1), CH(i - 1, k, 1), WA(0, i - 2), WA(0, i - 1), ci2, cr2);
            MULPM(CH(i, k, 2), CH(i - 1, k, 2), WA(1, i - 2), WA(1, i - 1), ci3, cr3);
            MULPM(CH(i, k, 3), CH(i - 1, k, 3), WA(2, i - 2), WA(2, i - 1), ci4, cr4);
        }
}

static void N(radb5)(size_t ido, size_t l1, const T *restrict cc, T *restrict ch, const T *restrict wa) {
    const size_t cdim = 5;
    const T tr11 = (T)(0.3090169943749474241022934171828191L), ti11 = (T)(0.9510565162951535721164393333793821L),
            tr12 = (T)(-0.8090169943749474241022934171828191L), ti12 = (T)(0.5877852522924731291687059546390728L);
    for (size_t k = 0; k < l1; k++) {
        T ti5 = CC(0, 2, k) + CC(0, 2, k);
        T ti4 = CC(0, 4, k) + CC(0, 4, k);
        T tr2 = CC(ido - 1, 1, k) + CC(ido - 1, 1, k);
        T tr3 = CC(ido - 1, 3, k) + CC(ido - 1, 3, k);
        CH(0, k, 0) = CC(0, 0, k) + tr2 + tr3;
        T cr2 = CC(0, 0, k) + tr11 * tr2 + tr12 * tr3;
        T cr3 = CC(0, 0, k) + tr12 * tr2 + tr11 * tr3;
        T ci4, ci5;
        MULPM(ci5, ci4, ti5, ti4, ti11, ti12);
        PM(CH(0, k, 4), CH(0, k, 1), cr2, ci5);
        PM(CH(0, k, 3), CH(0, k, 2), cr3, ci4);
    }
    if (ido == 1) return;
    for (size_t k = 0; k < l1; ++k)
        for (size_t i = 2, ic = ido - 2; i < ido; i += 2, ic -= 2) {
            T tr2, tr3, tr4, tr5, ti2, ti3, ti4, ti5;
            PM(tr2, tr5, CC(i - 1, 2, k), CC(ic - 1, 1, k));
            PM(ti5, ti2, CC(i, 2, k), CC(ic, 1, k));
            PM(tr3, tr4, CC(i - 1, 4, k), CC(ic - 1, 3, k));
            PM(ti4, ti3, CC(i, 4, k), CC(ic, 3, k));
            CH(i - 1, k, 0) = CC(i - 1, 0, k) + tr2 + tr3;
            CH(i, k, 0) = CC(i, 0, k) + ti2 + ti3;
            T cr2 = CC(i - 1, 0, k) + tr11 * tr2 + tr12 * tr3;
            T ci2 = CC(i, 0, k) + tr11 * ti2 + tr12 * ti3;
            T cr3 = CC(i - 1, 0, k) + tr12 * tr2 + tr11 * tr3;
            T ci3 = CC(i, 0, k) + tr12 * ti2 + tr11 * ti3;
            T ci4, ci5, cr5, cr4;
            MULPM(cr5, cr4, tr5, tr4, ti11, ti12);
            MULPM(ci5, ci4, ti5, ti4, ti11, ti12);
            T dr2, dr3, dr4, dr5, di2, di3, di4, di5;
            PM(dr4, dr3, cr3, ci4);
            PM(di3, di4, ci3, cr4);
            PM(dr5, dr2, cr2, ci5);
            PM(di2, di5, ci2, cr5);
            MULPM(CH(i, k, 1), CH(i - 1, k, 1), WA(0, i - 2), WA(0, i - 1), di2, dr2);
            MULPM(CH(i, k, 2), CH(i - 1, k, 2), WA(1, i - 2), WA(1, i - 1), di3, dr3);
            MULPM(CH(i, k, 3), CH(i - 1, k, 3), WA(2, i - 2), WA(2, i - 1), di4, dr4);
            MULPM(CH(i, k, 4), CH(i - 1, k, 4), WA(3, i - 2), WA(3, i - 1), di5, dr5);
        }
}
#undef CC
#undef CH

static void N(radbg)(size_t ido, size_t ip, size_t l1, T *restrict cc, T *restrict ch, const T *restrict wa,
                     const T *restrict csarr) {
    const size_t cdim = ip;
    size_t ipph = (ip + 1) / 2;
    size_t idl1 = ido * l1;
#define CC(a, b, c) cc[(a) + ido * ((b) + cdim * (c))]
#define CH(a, b, c) ch[(a) + ido * ((b) + l1 * (c))]
#define C1(a, b, c) cc[(a) + ido * ((b) + l1 * (c))]
#define C2(a, b) cc[(a) + idl1 * (b)]
#define CH2(a, b) ch[(a) + idl1 * (b)]
    for (size_t k = 0; k < l1; ++k)
        for (size_t i = 0; i < ido; ++i) CH(i, k, 0) = CC(i, 0, k);
    for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc) {
        size_t j2 = 2 * j - 1;
        for (size_t k = 0; k < l1; ++k) {
            CH(0, k, j) = 2 * CC(ido - 1, j2, k);
            CH(0, k, jc) = 2 * CC(0, j2 + 1, k);
        }
    }
    if (ido != 1) {
        for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc) {
            size_t j2 = 2 * j - 1;
            for (size_t k = 0; k < l1; ++k)
                for (size_t i = 1, ic = ido - i - 2; i <= ido - 2; i += 2, ic -= 2) {
                    CH(i, k, j) = CC(i, j2 + 1, k) + CC(ic, j2, k);
                    CH(i, k, jc) = CC(i, j2 + 1, k) - CC(ic, j2, k);
                    CH(i + 1, k, j) = CC(i + 1, j2 + 1, k) - CC(ic + 1, j2, k);
                    CH(i + 1, k, jc) = CC(i + 1, j2 + 1, k) + CC(ic + 1, j2, k);
                }
        }
    }
    for (size_t l = 1, lc = ip - 1; l < ipph; ++l, --lc) {
        for (size_t ik = 0; ik < idl1; ++ik) {
            C2(ik, l) = CH2(ik, 0) + csarr[2 * l] * CH2(ik, 1) + csarr[4 * l] * CH2(ik, 2);
            C2(ik, lc) = csarr[2 * l + 1] * CH2(ik, ip - 1) + csarr[4 * l + 1] * CH2(ik, ip - 2);
        }
        size_t iang = 2 * l;
        size_t j = 3, jc = ip - 3;
        for (; j < ipph - 3; j += 4, jc -= 4) {
            iang += l;
            if (iang > ip) iang -= ip;
            T ar1 = csarr[2 * iang], ai1 = csarr[2 * iang + 1];
            iang += l;
            if (iang > ip) iang -= ip;
            T ar2 = csarr[2 * iang], ai2 = csarr[2 * iang + 1];
            iang += l;
            if (iang > ip) iang -= ip;
            T ar3 = csarr[2 * iang], ai3 = csarr[2 * iang + 1];
            iang += l;
            if (iang > ip) iang -= ip;
            T ar4 = csarr[2 * iang], ai4 = csarr[2 * iang + 1];
            for (size_t ik = 0; ik < idl1; ++ik) {
                C2(ik, l) += ar1 * CH2(ik, j) + ar2 * CH2(ik, j + 1) + ar3 * CH2(ik, j + 2) + ar4 * CH2(ik, j + 3);
                C2(ik, lc) += ai1 * CH2(ik, jc) + ai2 * CH2(ik, jc - 1) + ai3 * CH2(ik, jc - 2) + ai4 * CH2(ik, jc - 3);
            }
        }
        for (; j < ipph - 1; j += 2, jc -= 2) {
            iang += l;
            if (iang > ip) iang -= ip;
            T ar1 = csarr[2 * iang], ai1 = csarr[2 * iang + 1];
            iang += l;
            if (iang > ip) iang -= ip;
            T ar2 = csarr[2 * iang], ai2 = csarr[2 * iang + 1];
            for (size_t ik = 0; ik < idl1; ++ik) {
                C2(ik, l) += ar1 * CH2(ik, j) + ar2 * CH2(ik, j + 1);
                C2(ik, lc) += ai1 * CH2(ik, jc) + ai2 * CH2(ik, jc - 1);
            }
        }
        for (; j < ipph; ++j, --jc) {
            iang += l;
            if (iang > ip) iang -= ip;
            T war = csarr[2 * iang], wai = csarr[2 * iang + 1];
            for (size_t ik = 0; ik < idl1; ++ik) {
                C2(ik, l) += war * CH2(ik, j);
                C2(ik, lc) += wai * CH2(ik, jc);
            }
        }
    }
    for (size_t j = 1; j < ipph; ++j)
        for (size_t ik = 0; ik < idl1; ++ik) CH2(ik, 0) += CH2(ik, j);
    for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc)
        for (size_t k = 0; k < l1; ++k) PM(CH(0, k, jc), CH(0, k, j), C1(0, k, j), C1(0, k, jc));
    if (ido == 1) return;
    for (size_t j = 1, jc = ip - 1; j < ipph; ++j, --jc)
        for (size_t k = 0; k < l1; ++k)
            for (size_t i = 1; i <= ido - 2; i += 2) {
                CH(i, k, j) = C1(i, k, j) - C1(i + 1, k, jc);
                CH(i, k, jc) = C1(i, k, j) + C1(i + 1, k, jc);
                CH(i + 1, k, j) = C1(i + 1, k, j) + C1(i, k, jc);
                CH(i + 1, k, jc) = C1(i + 1, k, j) - C1(i, k, jc);
            }
    for (size_t j = 1; j < ip; ++j) {
        size_t is = (j - 1) * (ido - 1);
        for (size_t k = 0; k < l1; ++k) {
            size_t idij = is;
            for (size_t i = 1; i <= ido - 2; i += 2) {
                T t1 = CH(i, k, j), t2 = CH(i + 1, k, j);
                CH(i, k, j) = wa[idij] * t1 - wa[idij + 1] * t2;
                CH(i + 1, k, j) = wa[idij] * t2 + wa[idij + 1] * t1;
                idij += 2;
            }
        }
    }
#undef CC
#undef CH
#undef C1
#undef C2
#undef CH2
}
#undef WA
#undef PM
#undef MULPM

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
