/* scalar_special_impl.h: the special functions of the elementwise ops for
 * one compute type, included by scalar_special.h once per type with
 *   SC      the type (float or double)
 *   SF(n)   the function's name for it (n##_f / n##_d in C, n in C++)
 * It has no include guard on purpose. The algorithms are ATen's
 * (aten/src/ATen/native/Math.h, PyTorch 1.13), which come from the Cephes
 * Math Library and Pavlis' erfinv: the same operations in the same type
 * and order, so the results have PyTorch's bits. Each function notes what
 * ATen computes in double for a float argument. No static data: tables are
 * local arrays, which every compiler (nvcc's device code too) accepts.
 *
 * fma(): PyTorch's CPU kernels run these functions in the translation unit
 * built for the machine's vector extension (-mavx2 -mfma), where GCC's
 * default contraction turns each a * b + c whose product has no other use
 * into one fused multiply-add. The bodies write those fma() calls out, so
 * the roundings are PyTorch's on any machine (glibc's fma is exact without
 * the instruction too). */

/* Cephes' polevl: C[0] x^len + ... + C[len] (Horner, highest first) */
TSR_HD SC SF(sp_polevl)(SC x, const SC *c, int len) {
    SC r = 0;
    for (int i = 0; i <= len; i++) r = fma(r, x, c[i]);
    return r;
}

/* Cephes' chbevl: the Chebyshev series of `len` coefficients at x */
TSR_HD SC SF(sp_chbevl)(SC x, const SC *c, int len) {
    SC b0 = c[0], b1 = 0, b2 = 0;
    for (int i = 1; i < len; i++) {
        b2 = b1;
        b1 = b0;
        b0 = fma(x, b1, -b2) + c[i];
    }
    return (SC)0.5 * (b0 - b2);
}

/* erfinv: Pavlis' rational approximation and two Newton steps */
TSR_HD SC SF(sp_erfinv)(SC y) {
    const SC a[4] = {(SC)0.886226899, (SC)-1.645349621, (SC)0.914624893, (SC)-0.140543331};
    const SC b[4] = {(SC)-2.118377725, (SC)1.442710462, (SC)-0.329097515, (SC)0.012229801};
    const SC c[4] = {(SC)-1.970840454, (SC)-1.624906493, (SC)3.429567803, (SC)1.641345311};
    const SC d[2] = {(SC)3.543889200, (SC)1.637067800};
    const SC two_over_sqrt_pi = (SC)2.0 * (SC)0.564189583547756286948079451560772586;
    SC ya = fabs(y), x, z, num, den;
    if (ya > 1.0) return (SC)NAN;
    if (ya == 1.0) return copysign((SC)INFINITY, y);
    if (ya <= (SC)0.7) {
        z = y * y;
        num = fma(fma(fma(a[3], z, a[2]), z, a[1]), z, a[0]);
        den = fma(fma(fma(fma(b[3], z, b[2]), z, b[1]), z, b[0]), z, (SC)1.0);
        x = y * num / den;
    } else {
        z = sqrt(-log(((SC)1.0 - ya) / (SC)2.0));
        num = fma(fma(fma(c[3], z, c[2]), z, c[1]), z, c[0]);
        den = fma(fma(d[1], z, d[0]), z, (SC)1.0);
        x = copysign(num, y) / den;
    }
    x = x - (erf(x) - y) / (two_over_sqrt_pi * exp(-x * x));
    x = x - (erf(x) - y) / (two_over_sqrt_pi * exp(-x * x));
    return x;
}

/* digamma (Cephes psi) for x > 0: the recurrence up to 10, then the
 * asymptotic series */
TSR_HD SC SF(sp_digamma_pos)(SC x) {
    const SC A[7] = {(SC)8.33333333333333333333E-2, (SC)-2.10927960927960927961E-2,
                     (SC)7.57575757575757575758E-3, (SC)-4.16666666666666666667E-3,
                     (SC)3.96825396825396825397E-3, (SC)-8.33333333333333333333E-3,
                     (SC)8.33333333333333333333E-2};
    SC result = 0;
    while (x < 10) {
        result -= 1 / x;
        x += 1;
    }
    if (x == 10) return result + (SC)2.25175258906672110764;
    SC y = 0;
    if (x < (SC)1.0e17) {
        SC z = 1 / (x * x);
        y = z * SF(sp_polevl)(z, A, 6);
    }
    return result + log(x) - ((SC)0.5 / x) - y;
}

/* digamma: infinities at 0, NaN at negative integers, and for negative x
 * the reflection, with tan of the fractional part taken in double for
 * both types */
TSR_HD SC SF(sp_digamma)(SC x) {
    const double pi = 3.14159265358979323846;
    if (x == 0) return copysign((SC)INFINITY, -x);
    if (x < 0) {
        if (x == trunc(x)) return (SC)NAN;
        double q, r = modf((double)x, &q);
        SC reflect = (SC)(pi / tan(pi * r));
        return SF(sp_digamma_pos)(1 - x) - reflect;
    }
    return SF(sp_digamma_pos)(x);
}

/* exp(-|x|) I0(|x|) as Chebyshev series on [0, 8] and (8, inf) */
TSR_HD SC SF(sp_i0e_series)(SC x, bool *big) {
    const SC A[30] = {
        (SC)-4.41534164647933937950E-18, (SC)3.33079451882223809783E-17, (SC)-2.43127984654795469359E-16,
        (SC)1.71539128555513303061E-15,  (SC)-1.16853328779934516808E-14, (SC)7.67618549860493561688E-14,
        (SC)-4.85644678311192946090E-13, (SC)2.95505266312963983461E-12, (SC)-1.72682629144155570723E-11,
        (SC)9.67580903537323691224E-11,  (SC)-5.18979560163526290666E-10, (SC)2.65982372468238665035E-9,
        (SC)-1.30002500998624804212E-8,  (SC)6.04699502254191894932E-8,  (SC)-2.67079385394061173391E-7,
        (SC)1.11738753912010371815E-6,   (SC)-4.41673835845875056359E-6, (SC)1.64484480707288970893E-5,
        (SC)-5.75419501008210370398E-5,  (SC)1.88502885095841655729E-4,  (SC)-5.76375574538582365885E-4,
        (SC)1.63947561694133579842E-3,   (SC)-4.32430999505057594430E-3, (SC)1.05464603945949983183E-2,
        (SC)-2.37374148058994688156E-2,  (SC)4.93052842396707084878E-2,  (SC)-9.49010970480476444210E-2,
        (SC)1.71620901522208775349E-1,   (SC)-3.04682672343198398683E-1, (SC)6.76795274409476084995E-1};
    const SC B[25] = {
        (SC)-7.23318048787475395456E-18, (SC)-4.83050448594418207126E-18, (SC)4.46562142029675999901E-17,
        (SC)3.46122286769746109310E-17,  (SC)-2.82762398051658348494E-16, (SC)-3.42548561967721913462E-16,
        (SC)1.77256013305652638360E-15,  (SC)3.81168066935262242075E-15,  (SC)-9.55484669882830764870E-15,
        (SC)-4.15056934728722208663E-14, (SC)1.54008621752140982691E-14,  (SC)3.85277838274214270114E-13,
        (SC)7.18012445138366623367E-13,  (SC)-1.79417853150680611778E-12, (SC)-1.32158118404477131188E-11,
        (SC)-3.14991652796324136454E-11, (SC)1.18891471078464383424E-11,  (SC)4.94060238822496958910E-10,
        (SC)3.39623202570838634515E-9,   (SC)2.26666899049817806459E-8,   (SC)2.04891858946906374183E-7,
        (SC)2.89137052083475648297E-6,   (SC)6.88975834691682398426E-5,   (SC)3.36911647825569408990E-3,
        (SC)8.04490411014108831608E-1};
    *big = x > (SC)8.0;
    if (!*big) return SF(sp_chbevl)((x / (SC)2.0) - (SC)2.0, A, 30);
    return SF(sp_chbevl)((SC)32.0 / x - (SC)2.0, B, 25);
}

/* I0(x) */
TSR_HD SC SF(sp_i0)(SC x) {
    bool big;
    x = fabs(x);
    SC v = SF(sp_i0e_series)(x, &big);
    return big ? exp(x) * v / sqrt(x) : exp(x) * v;
}

/* sin(pi x) / (pi x), 1 at 0 */
TSR_HD SC SF(sp_sinc)(SC a) {
    if (a == 0) return 1;
    SC p = (SC)3.14159265358979323846 * a;
    return sin(p) / p;
}

/* xlogy: 0 where x is 0 (unless y is NaN) */
TSR_HD SC SF(sp_xlogy)(SC x, SC y) {
    if (y != y) return (SC)NAN;
    if (x == 0) return 0;
    return x * log(y);
}

/* xlog1py: x * log1p(y), 0 where x is 0 (unless y is NaN) */
TSR_HD SC SF(sp_xlog1py)(SC x, SC y) {
    if (y != y) return (SC)NAN;
    if (x == 0) return 0;
    return x * log1p(y);
}

/* logit: log(x / (1 - x)), x first clamped to [eps, 1 - eps] unless eps
 * is NaN (no eps) */
TSR_HD SC SF(sp_logit)(SC x, SC eps) {
    if (eps == eps) {
        SC lo = eps, hi = (SC)1 - eps;
        x = x < lo ? lo : (x > hi ? hi : x);
    }
    return x == (SC)1 ? (SC)INFINITY : log(x / ((SC)1 - x));
}

/* fmax, fmin: NaN only when both are; equal values give a (fmax(0., -0.)
 * is 0.), as PyTorch's compiled std::fmax does */
TSR_HD SC SF(sp_fmax)(SC a, SC b) { return a != a ? b : (a < b ? b : a); }
TSR_HD SC SF(sp_fmin)(SC a, SC b) { return a != a ? b : (b < a ? b : a); }

/* entr: -x log x, 0 at 0, -inf below */
TSR_HD SC SF(sp_entr)(SC x) {
    if (x != x) return x;
    if (x > 0) return -x * log(x);
    if (x == 0) return 0;
    return -(SC)INFINITY;
}

/* logaddexp2: log2(2^a + 2^b); equal infinities pass through */
TSR_HD SC SF(sp_logaddexp2)(SC a, SC b) {
    if (fabs(a) == (SC)INFINITY && a == b) return a;
    SC m = a < b ? b : a;
    return m + log2((SC)1.0 + pow((SC)2.0, -fabs(a - b)));
}

/* exp(-|x|) I1(|x|) / ... as Chebyshev series; float uses the last 17 and 7
 * coefficients only, as ATen's float tables do */
TSR_HD SC SF(sp_i1e_series)(SC x, bool *big) {
    const SC A[29] = {
        (SC)2.77791411276104639959E-18, (SC)-2.11142121435816608115E-17, (SC)1.55363195773620046921E-16,
        (SC)-1.10559694773538630805E-15, (SC)7.60068429473540693410E-15, (SC)-5.04218550472791168711E-14,
        (SC)3.22379336594557470981E-13, (SC)-1.98397439776494371520E-12, (SC)1.17361862988909016308E-11,
        (SC)-6.66348972350202774223E-11, (SC)3.62559028155211703701E-10, (SC)-1.88724975172282928790E-9,
        (SC)9.38153738649577178388E-9,  (SC)-4.44505912879632808065E-8, (SC)2.00329475355213526229E-7,
        (SC)-8.56872026469545474066E-7, (SC)3.47025130813767847674E-6,  (SC)-1.32731636560394358279E-5,
        (SC)4.78156510755005422638E-5,  (SC)-1.61760815825896745588E-4, (SC)5.12285956168575772895E-4,
        (SC)-1.51357245063125314899E-3, (SC)4.15642294431288815669E-3,  (SC)-1.05640848946261981558E-2,
        (SC)2.47264490306265168283E-2,  (SC)-5.29459812080949914269E-2, (SC)1.02643658689847095384E-1,
        (SC)-1.76416518357834055153E-1, (SC)2.52587186443633654823E-1};
    const SC B[25] = {
        (SC)7.51729631084210481353E-18,  (SC)4.41434832307170791151E-18,  (SC)-4.65030536848935832153E-17,
        (SC)-3.20952592199342395980E-17, (SC)2.96262899764595013876E-16,  (SC)3.30820231092092828324E-16,
        (SC)-1.88035477551078244854E-15, (SC)-3.81440307243700780478E-15, (SC)1.04202769841288027642E-14,
        (SC)4.27244001671195135429E-14,  (SC)-2.10154184277266431302E-14, (SC)-4.08355111109219731823E-13,
        (SC)-7.19855177624590851209E-13, (SC)2.03562854414708950722E-12,  (SC)1.41258074366137813316E-11,
        (SC)3.25260358301548823856E-11,  (SC)-1.89749581235054123450E-11, (SC)-5.58974346219658380687E-10,
        (SC)-3.83538038596423702205E-9,  (SC)-2.63146884688951950684E-8,  (SC)-2.51223623787020892529E-7,
        (SC)-3.88256480887769039346E-6,  (SC)-1.10588938762623716291E-4,  (SC)-9.76109749136146840777E-3,
        (SC)7.78576235018280120474E-1};
    int fa = sizeof(SC) == 4 ? 12 : 0, fb = sizeof(SC) == 4 ? 18 : 0;
    *big = x > (SC)8.0;
    if (!*big) return SF(sp_chbevl)((x / (SC)2.0) - (SC)2.0, A + fa, 29 - fa);
    return SF(sp_chbevl)((SC)32.0 / x - (SC)2.0, B + fb, 25 - fb);
}

/* I1(x): odd */
TSR_HD SC SF(sp_i1)(SC x0) {
    bool big;
    SC x = fabs(x0), v = SF(sp_i1e_series)(x, &big);
    SC out = big ? (exp(x) * v) / sqrt(x) : exp(x) * x * v;
    return x0 < (SC)0.0 ? -out : out;
}

/* exp(-|x|) I1(x) */
TSR_HD SC SF(sp_i1e)(SC x0) {
    bool big;
    SC x = fabs(x0), v = SF(sp_i1e_series)(x, &big);
    SC out = big ? v / sqrt(x) : v * x;
    return x0 < (SC)0.0 ? -out : out;
}

/* exp(-|x|) I0(x) */
TSR_HD SC SF(sp_i0e)(SC x) {
    bool big;
    x = fabs(x);
    SC v = SF(sp_i0e_series)(x, &big);
    return big ? v / sqrt(x) : v;
}

/* trigamma: the reflection below 0.5, six steps of the recurrence, then
 * the asymptotic series */
TSR_HD SC SF(sp_trigamma)(SC x) {
    const SC pi = (SC)3.14159265358979323846;
    SC sign = +1, result = 0;
    if (x < (SC)0.5) {
        sign = -1;
        SC s = sin(pi * x);
        result -= (pi * pi) / (s * s);
        x = 1 - x;
    }
    for (int i = 0; i < 6; ++i) {
        result += 1 / (x * x);
        x += 1;
    }
    SC ixx = 1 / (x * x);
    SC inner = fma(-ixx, fma(-ixx, (SC)1. / 42, (SC)1. / 30), (SC)1. / 6);
    result += fma(ixx, inner, 1 + 1 / (2 * x)) / x;
    return sign * result;
}

/* Hurwitz zeta(x, q) (Cephes): on the CPU ATen accumulates in double for
 * both types; its first power is taken in the argument's type */
TSR_HD SC SF(sp_zeta)(SC x, SC q) {
    const double MACHEP = 1.11022302462515654042E-16;
    const double A[12] = {12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
                          7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
                          -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18};
    double a, b, k, s, t, w;
    if (x == 1) return (SC)INFINITY;
    if (x < 1) return (SC)NAN;
    if (q <= 0) {
        if (q == floor(q)) return (SC)INFINITY;
        if (x != floor(x)) return (SC)NAN;
    }
    s = pow(q, -x);
    a = q;
    int i = 0;
    b = 0.0;
    while ((i < 9) || (a <= 9.0)) {
        /* a q so negative that the walk up to 9 takes more than 10^7
         * steps (forever once a + 1 == a): ATen loops on; tsr answers NaN */
        if (i > 10000000 || a + 1.0 == a) return (SC)NAN;
        i += 1;
        a += 1.0;
        b = pow(a, -(double)x);
        s += b;
        if ((-MACHEP * s < b) && (b < MACHEP * s)) return (SC)s;
    }
    w = a;
    s += b * w / (x - 1.0);
    s = fma(-0.5, b, s);
    a = 1.0;
    k = 0.0;
    for (i = 0; i < 12; i++) {
        a *= x + k;
        b /= w;
        t = a * b / A[i];
        s = s + t;
        t = fabs(t / s);
        if (t < MACHEP) return (SC)s;
        k += 1.0;
        a *= x + k;
        b /= w;
        k += 1.0;
    }
    return (SC)s;
}

/* polygamma(n, x) for n >= 2: (-1)^(n+1) n! zeta(n + 1, x) */
TSR_HD SC SF(sp_polygamma)(SC x, SC n) {
    int ni = (int)n;
    SC one = 1;
    return ((ni % 2) ? one : -one) * exp(lgamma((SC)ni + one)) * SF(sp_zeta)((SC)(ni + 1), x);
}
