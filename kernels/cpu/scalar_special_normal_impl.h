/* scalar_special_normal_impl.h: torch.special's functions of the normal
 * distribution, erfcx(x) = exp(x^2) erfc(x), log_ndtr(x) and ndtri(p),
 * for one compute type; included by scalar_special.h beside
 * scalar_special_impl.h (same SC / SF conventions, no include guard on
 * purpose). ATen's Math.h calc_erfcx (Steven G. Johnson's Faddeeva
 * erfcx), calc_log_ndtr (SciPy's) and calc_ndtri (Cephes), with the same
 * operations, types and fused multiply-adds as PyTorch's AVX2 build: where
 * ATen mixes double constants into float math, the float version computes
 * in double as ATen does (noted at each place). */

/* erfcx on [0, 50] mapped to y100 = 400 / (4 + x) in [0, 100]: a
 * degree-6 polynomial per unit interval of y100, in double for both types
 * (the table's constants are double) */
TSR_HD SC SF(sp_erfcx_y100)(SC y100) {
    switch ((int)y100) {
#define TSR_ERFCX_CASE(k, c0, c1, c2, c3, c4, c5, c6)                                                     \
    case k: {                                                                                          \
        double t = (double)((SC)2 * y100 - (SC)(2 * k + 1));                                           \
        return (SC)fma(fma(fma(fma(fma(fma(c6, t, c5), t, c4), t, c3), t, c2), t, c1), t, c0);          \
    }
        TSR_ERFCX_Y100(TSR_ERFCX_CASE)
#undef TSR_ERFCX_CASE
    }
    return 1; /* y100 == 100: |x| below 4 ulp */
}

TSR_HD SC SF(sp_erfcx)(SC x) {
    if (x != x) return x;
    if (x >= 0) {
        if (x > 50) { /* the continued fraction, 5 terms (1 above 5e7) */
            const SC ispi = (SC)0.56418958354775628694807945156;
            if ((double)x > 5e7) return ispi / x;
            SC xx = x * x;
            if (sizeof(SC) == sizeof(float)) { /* + 4.5 and + 3.75 are double in ATen */
                double num = fma((double)xx, (double)xx + 4.5, 2.0);
                double den = (double)x * ((double)(xx * (xx + (SC)5)) + 3.75);
                return (SC)((double)ispi * num / den);
            }
            return (SC)(ispi * fma(xx, xx + (SC)4.5, (SC)2) / (x * fma(xx, xx + (SC)5, (SC)3.75)));
        }
        return SF(sp_erfcx_y100)((SC)400 / ((SC)4 + x));
    }
    if ((double)x < -26.7) return (SC)INFINITY;
    /* exp(x * x) is double's exp for both types (ATen's unqualified exp) */
    if ((double)x < -6.1) return (SC)(2 * exp((double)(x * x)));
    return (SC)fma(2.0, exp((double)(x * x)), -(double)SF(sp_erfcx_y100)((SC)400 / ((SC)4 - x)));
}

/* log of the standard normal CDF: log(erfcx(-t) / 2) - t^2 below -1, else
 * log1p(-erfc(t) / 2), t = x / sqrt(2) */
TSR_HD SC SF(sp_log_ndtr)(SC x) {
    SC t = (SC)((double)x * 0.70710678118654752440); /* x * M_SQRT1_2, in double */
    /* t * t is not fused here in PyTorch's build (checked bit for bit) */
    if (x < (SC)-1.0) return log(SF(sp_erfcx)(-t) / (SC)2) - t * t;
    return log1p(-erfc(t) / (SC)2);
}

/* the inverse of the standard normal CDF (Cephes ndtri) */
TSR_HD SC SF(sp_ndtri)(SC y0) {
    const SC s2pi = (SC)2.50662827463100050242E0;
    const SC P0[5] = {(SC)-5.99633501014107895267E1, (SC)9.80010754185999661536E1, (SC)-5.66762857469070293439E1,
                      (SC)1.39312609387279679503E1, (SC)-1.23916583867381258016E0};
    const SC Q0[9] = {(SC)1.00000000000000000000E0,  (SC)1.95448858338141759834E0,  (SC)4.67627912898881538453E0,
                      (SC)8.63602421390890590575E1,  (SC)-2.25462687854119370527E2, (SC)2.00260212380060660359E2,
                      (SC)-8.20372256168333339912E1, (SC)1.59056225126211695515E1,  (SC)-1.18331621121330003142E0};
    const SC P1[9] = {(SC)4.05544892305962419923E0,   (SC)3.15251094599893866154E1,  (SC)5.71628192246421288162E1,
                      (SC)4.40805073893200834700E1,   (SC)1.46849561928858024014E1,  (SC)2.18663306850790267539E0,
                      (SC)-1.40256079171354495875E-1, (SC)-3.50424626827848203418E-2, (SC)-8.57456785154685413611E-4};
    const SC Q1[9] = {(SC)1.00000000000000000000E0,   (SC)1.57799883256466749731E1,  (SC)4.53907635128879210584E1,
                      (SC)4.13172038254672030440E1,   (SC)1.50425385692907503408E1,  (SC)2.50464946208309415979E0,
                      (SC)-1.42182922854787788574E-1, (SC)-3.80806407691578277194E-2, (SC)-9.33259480895457427372E-4};
    const SC P2[9] = {(SC)3.23774891776946035970E0,  (SC)6.91522889068984211695E0,  (SC)3.93881025292474443415E0,
                      (SC)1.33303460815807542389E0,  (SC)2.01485389549179081538E-1, (SC)1.23716634817820021358E-2,
                      (SC)3.01581553508235416007E-4, (SC)2.65806974686737550832E-6, (SC)6.23974539184983293730E-9};
    const SC Q2[9] = {(SC)1.00000000000000000000E0,  (SC)6.02427039364742014255E0,  (SC)3.67983563856160859403E0,
                      (SC)1.37702099489081330271E0,  (SC)2.16236993594496635890E-1, (SC)1.34204006088543189037E-2,
                      (SC)3.28014464682127739104E-4, (SC)2.89247864745380683936E-6, (SC)6.79019408009981274425E-9};
    const SC exp_m2 = (SC)0.13533528323661269189; /* exp(-2) */
    if (y0 == 0) return (SC)-INFINITY;
    if (y0 == 1) return (SC)INFINITY;
    if (y0 < 0 || y0 > 1) return (SC)NAN;
    bool code = true;
    SC y = y0;
    if (y > (SC)1 - exp_m2) {
        y = (SC)1 - y;
        code = false;
    }
    if (y > exp_m2) {
        y = y - (SC)0.5;
        SC y2 = y * y;
        SC x = fma(y, y2 * SF(sp_polevl)(y2, P0, 4) / SF(sp_polevl)(y2, Q0, 8), y);
        return x * s2pi;
    }
    /* ::sqrt and ::log: double's for both types */
    SC x = (SC)sqrt(-2.0 * log((double)y));
    SC x0 = (SC)((double)x - log((double)x) / (double)x);
    SC z = (SC)1 / x;
    SC x1 = x < (SC)8.0 ? z * SF(sp_polevl)(z, P1, 8) / SF(sp_polevl)(z, Q1, 8)
                        : z * SF(sp_polevl)(z, P2, 8) / SF(sp_polevl)(z, Q2, 8);
    x = x0 - x1;
    return code ? -x : x;
}
