/* fft_cpass_impl.h: pocketfft's complex radix passes (pass2, pass3,
 * pass4, pass5, pass7, pass11 and the generic passg, forward or
 * backward) and their complex helpers, included with T the part type, N(x)
 * the name of each function and CX the complex type N(cx) (a struct of
 * r, i): once per precision by fft_impl.h (torch.fft's C++ pocketfft,
 * which adds pass8) and with T double by fft_numpy.c (numpy's C
 * pocketfft): the two pocketffts' passes are the same arithmetic, in the
 * same order. Attribution and license: fft_impl.h. */

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
