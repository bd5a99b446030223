/* stdlib_cmath.c: Python's cmath module, CPython 3.11's algorithms
 * (Modules/cmathmodule.c, 3.11's tables) so that every bit agrees: the special-value
 * tables of C99 Annex G for infinite and NaN parts, the scaled sqrt and
 * log, and errno turned into ValueError "math domain error" (EDOM) or
 * OverflowError "math range error" (ERANGE). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "complex.h"
#include "error.h"
#include "interp_internal.h"
#include "stdlib_math.h"

#define CM_LARGE_DOUBLE (DBL_MAX / 4.)
#define CM_SQRT_LARGE_DOUBLE (sqrt(CM_LARGE_DOUBLE))
#define CM_LOG_LARGE_DOUBLE (log(CM_LARGE_DOUBLE))
#define CM_SQRT_DBL_MIN (sqrt(DBL_MIN))
#define CM_SCALE_UP (2 * (DBL_MANT_DIG / 2) + 1)
#define CM_SCALE_DOWN (-(CM_SCALE_UP + 1) / 2)
#define CM_LN2 0.6931471805599453094
#define CM_LN10 2.302585092994045684

/* the class of a double, the row or column of a special-value table */
enum { ST_NINF, ST_NEG, ST_NZERO, ST_PZERO, ST_POS, ST_PINF, ST_NAN };

static int special_type(double d) {
    if (isfinite(d)) {
        if (d != 0) return copysign(1., d) == 1. ? ST_POS : ST_NEG;
        return copysign(1., d) == 1. ? ST_PZERO : ST_NZERO;
    }
    if (isnan(d)) return ST_NAN;
    return copysign(1., d) == 1. ? ST_PINF : ST_NINF;
}

#define P M_PI
#define P14 (0.25 * M_PI)
#define P12 (0.5 * M_PI)
#define P34 (0.75 * M_PI)
#define INF INFINITY
#define N NAN
#define U -9.5426319407711027e33 /* never reached */
#define C(re, im) {re, im},

/* CPython's tables, by special_type(z.real) then special_type(z.imag) */
static const Cpx acos_special_values[7][7] = {
    {C(P34, INF) C(P, INF) C(P, INF) C(P, -INF) C(P, -INF) C(P34, -INF) C(N, INF)},
    {C(P12, INF) C(U, U) C(U, U) C(U, U) C(U, U) C(P12, -INF) C(N, N)},
    {C(P12, INF) C(U, U) C(P12, 0.) C(P12, -0.) C(U, U) C(P12, -INF) C(P12, N)},
    {C(P12, INF) C(U, U) C(P12, 0.) C(P12, -0.) C(U, U) C(P12, -INF) C(P12, N)},
    {C(P12, INF) C(U, U) C(U, U) C(U, U) C(U, U) C(P12, -INF) C(N, N)},
    {C(P14, INF) C(0., INF) C(0., INF) C(0., -INF) C(0., -INF) C(P14, -INF) C(N, INF)},
    {C(N, INF) C(N, N) C(N, N) C(N, N) C(N, N) C(N, -INF) C(N, N)},
};
static const Cpx acosh_special_values[7][7] = {
    {C(INF, -P34) C(INF, -P) C(INF, -P) C(INF, P) C(INF, P) C(INF, P34) C(INF, N)},
    {C(INF, -P12) C(U, U) C(U, U) C(U, U) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P12) C(U, U) C(0., -P12) C(0., P12) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P12) C(U, U) C(0., -P12) C(0., P12) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P12) C(U, U) C(U, U) C(U, U) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P14) C(INF, -0.) C(INF, -0.) C(INF, 0.) C(INF, 0.) C(INF, P14) C(INF, N)},
    {C(INF, N) C(N, N) C(N, N) C(N, N) C(N, N) C(INF, N) C(N, N)},
};
static const Cpx asinh_special_values[7][7] = {
    {C(-INF, -P14) C(-INF, -0.) C(-INF, -0.) C(-INF, 0.) C(-INF, 0.) C(-INF, P14) C(-INF, N)},
    {C(-INF, -P12) C(U, U) C(U, U) C(U, U) C(U, U) C(-INF, P12) C(N, N)},
    {C(-INF, -P12) C(U, U) C(-0., -0.) C(-0., 0.) C(U, U) C(-INF, P12) C(N, N)},
    {C(INF, -P12) C(U, U) C(0., -0.) C(0., 0.) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P12) C(U, U) C(U, U) C(U, U) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P14) C(INF, -0.) C(INF, -0.) C(INF, 0.) C(INF, 0.) C(INF, P14) C(INF, N)},
    {C(INF, N) C(N, N) C(N, -0.) C(N, 0.) C(N, N) C(INF, N) C(N, N)},
};
static const Cpx atanh_special_values[7][7] = {
    {C(-0., -P12) C(-0., -P12) C(-0., -P12) C(-0., P12) C(-0., P12) C(-0., P12) C(-0., N)},
    {C(-0., -P12) C(U, U) C(U, U) C(U, U) C(U, U) C(-0., P12) C(N, N)},
    {C(-0., -P12) C(U, U) C(-0., -0.) C(-0., 0.) C(U, U) C(-0., P12) C(-0., N)},
    {C(0., -P12) C(U, U) C(0., -0.) C(0., 0.) C(U, U) C(0., P12) C(0., N)},
    {C(0., -P12) C(U, U) C(U, U) C(U, U) C(U, U) C(0., P12) C(N, N)},
    {C(0., -P12) C(0., -P12) C(0., -P12) C(0., P12) C(0., P12) C(0., P12) C(0., N)},
    {C(0., -P12) C(N, N) C(N, N) C(N, N) C(N, N) C(0., P12) C(N, N)},
};
static const Cpx cosh_special_values[7][7] = {
    {C(INF, N) C(U, U) C(INF, 0.) C(INF, -0.) C(U, U) C(INF, N) C(INF, N)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(N, 0.) C(U, U) C(1., 0.) C(1., -0.) C(U, U) C(N, 0.) C(N, 0.)},
    {C(N, 0.) C(U, U) C(1., -0.) C(1., 0.) C(U, U) C(N, 0.) C(N, 0.)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(INF, N) C(U, U) C(INF, -0.) C(INF, 0.) C(U, U) C(INF, N) C(INF, N)},
    {C(N, N) C(N, N) C(N, 0.) C(N, 0.) C(N, N) C(N, N) C(N, N)},
};
static const Cpx exp_special_values[7][7] = {
    {C(0., 0.) C(U, U) C(0., -0.) C(0., 0.) C(U, U) C(0., 0.) C(0., 0.)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(N, N) C(U, U) C(1., -0.) C(1., 0.) C(U, U) C(N, N) C(N, N)},
    {C(N, N) C(U, U) C(1., -0.) C(1., 0.) C(U, U) C(N, N) C(N, N)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(INF, N) C(U, U) C(INF, -0.) C(INF, 0.) C(U, U) C(INF, N) C(INF, N)},
    {C(N, N) C(N, N) C(N, -0.) C(N, 0.) C(N, N) C(N, N) C(N, N)},
};
static const Cpx log_special_values[7][7] = {
    {C(INF, -P34) C(INF, -P) C(INF, -P) C(INF, P) C(INF, P) C(INF, P34) C(INF, N)},
    {C(INF, -P12) C(U, U) C(U, U) C(U, U) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P12) C(U, U) C(-INF, -P) C(-INF, P) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P12) C(U, U) C(-INF, -0.) C(-INF, 0.) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P12) C(U, U) C(U, U) C(U, U) C(U, U) C(INF, P12) C(N, N)},
    {C(INF, -P14) C(INF, -0.) C(INF, -0.) C(INF, 0.) C(INF, 0.) C(INF, P14) C(INF, N)},
    {C(INF, N) C(N, N) C(N, N) C(N, N) C(N, N) C(INF, N) C(N, N)},
};
static const Cpx sinh_special_values[7][7] = {
    {C(INF, N) C(U, U) C(-INF, -0.) C(-INF, 0.) C(U, U) C(INF, N) C(INF, N)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(0., N) C(U, U) C(-0., -0.) C(-0., 0.) C(U, U) C(0., N) C(0., N)},
    {C(0., N) C(U, U) C(0., -0.) C(0., 0.) C(U, U) C(0., N) C(0., N)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(INF, N) C(U, U) C(INF, -0.) C(INF, 0.) C(U, U) C(INF, N) C(INF, N)},
    {C(N, N) C(N, N) C(N, -0.) C(N, 0.) C(N, N) C(N, N) C(N, N)},
};
static const Cpx sqrt_special_values[7][7] = {
    {C(INF, -INF) C(0., -INF) C(0., -INF) C(0., INF) C(0., INF) C(INF, INF) C(N, INF)},
    {C(INF, -INF) C(U, U) C(U, U) C(U, U) C(U, U) C(INF, INF) C(N, N)},
    {C(INF, -INF) C(U, U) C(0., -0.) C(0., 0.) C(U, U) C(INF, INF) C(N, N)},
    {C(INF, -INF) C(U, U) C(0., -0.) C(0., 0.) C(U, U) C(INF, INF) C(N, N)},
    {C(INF, -INF) C(U, U) C(U, U) C(U, U) C(U, U) C(INF, INF) C(N, N)},
    {C(INF, -INF) C(INF, -0.) C(INF, -0.) C(INF, 0.) C(INF, 0.) C(INF, INF) C(INF, N)},
    {C(INF, -INF) C(N, N) C(N, N) C(N, N) C(N, N) C(INF, INF) C(N, N)},
};
static const Cpx tanh_special_values[7][7] = {
    {C(-1., 0.) C(U, U) C(-1., -0.) C(-1., 0.) C(U, U) C(-1., 0.) C(-1., 0.)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(N, N) C(U, U) C(-0., -0.) C(-0., 0.) C(U, U) C(N, N) C(N, N)},
    {C(N, N) C(U, U) C(0., -0.) C(0., 0.) C(U, U) C(N, N) C(N, N)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(1., 0.) C(U, U) C(1., -0.) C(1., 0.) C(U, U) C(1., 0.) C(1., 0.)},
    {C(N, N) C(N, N) C(N, -0.) C(N, 0.) C(N, N) C(N, N) C(N, N)},
};
static const Cpx rect_special_values[7][7] = {
    {C(INF, N) C(U, U) C(-INF, 0.) C(-INF, -0.) C(U, U) C(INF, N) C(INF, N)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(0., 0.) C(U, U) C(-0., 0.) C(-0., -0.) C(U, U) C(0., 0.) C(0., 0.)},
    {C(0., 0.) C(U, U) C(0., -0.) C(0., 0.) C(U, U) C(0., 0.) C(0., 0.)},
    {C(N, N) C(U, U) C(U, U) C(U, U) C(U, U) C(N, N) C(N, N)},
    {C(INF, N) C(U, U) C(INF, -0.) C(INF, 0.) C(U, U) C(INF, N) C(INF, N)},
    {C(N, N) C(N, N) C(N, 0.) C(N, 0.) C(N, N) C(N, N) C(N, N)},
};
#undef C

#define SPECIAL_VALUE(z, table)                                           \
    if (!isfinite((z).re) || !isfinite((z).im)) {                         \
        errno = 0;                                                        \
        return table[special_type((z).re)][special_type((z).im)];         \
    }

static Cpx c_sqrt(Cpx z);
static Cpx c_asinh(Cpx z);
static Cpx c_atanh(Cpx z);
static Cpx c_cosh(Cpx z);
static Cpx c_sinh(Cpx z);
static Cpx c_tanh(Cpx z);

static Cpx c_acos(Cpx z) {
    Cpx s1, s2, r;
    SPECIAL_VALUE(z, acos_special_values);
    if (fabs(z.re) > CM_LARGE_DOUBLE || fabs(z.im) > CM_LARGE_DOUBLE) {
        r.re = atan2(fabs(z.im), z.re);
        r.im = -copysign(log(hypot(z.re / 2., z.im / 2.)) + CM_LN2 * 2., z.im);
    } else {
        s1 = c_sqrt((Cpx){1. - z.re, -z.im});
        s2 = c_sqrt((Cpx){1. + z.re, z.im});
        r.re = 2. * atan2(s1.re, s2.re);
        r.im = asinh(s2.re * s1.im - s2.im * s1.re);
    }
    errno = 0;
    return r;
}

static Cpx c_acosh(Cpx z) {
    Cpx s1, s2, r;
    SPECIAL_VALUE(z, acosh_special_values);
    if (fabs(z.re) > CM_LARGE_DOUBLE || fabs(z.im) > CM_LARGE_DOUBLE) {
        r.re = log(hypot(z.re / 2., z.im / 2.)) + CM_LN2 * 2.;
        r.im = atan2(z.im, z.re);
    } else {
        s1 = c_sqrt((Cpx){z.re - 1., z.im});
        s2 = c_sqrt((Cpx){z.re + 1., z.im});
        r.re = asinh(s1.re * s2.re + s1.im * s2.im);
        r.im = 2. * atan2(s1.im, s2.re);
    }
    errno = 0;
    return r;
}

static Cpx c_asin(Cpx z) { /* asin(z) = -i asinh(iz) */
    Cpx s = c_asinh((Cpx){-z.im, z.re});
    return (Cpx){s.im, -s.re};
}

static Cpx c_asinh(Cpx z) {
    Cpx s1, s2, r;
    SPECIAL_VALUE(z, asinh_special_values);
    if (fabs(z.re) > CM_LARGE_DOUBLE || fabs(z.im) > CM_LARGE_DOUBLE) {
        if (z.im >= 0.) r.re = copysign(log(hypot(z.re / 2., z.im / 2.)) + CM_LN2 * 2., z.re);
        else r.re = -copysign(log(hypot(z.re / 2., z.im / 2.)) + CM_LN2 * 2., -z.re);
        r.im = atan2(z.im, fabs(z.re));
    } else {
        s1 = c_sqrt((Cpx){1. + z.im, -z.re});
        s2 = c_sqrt((Cpx){1. - z.im, z.re});
        r.re = asinh(s1.re * s2.im - s2.re * s1.im);
        r.im = atan2(z.im, s1.re * s2.re - s1.im * s2.im);
    }
    errno = 0;
    return r;
}

static Cpx c_atan(Cpx z) { /* atan(z) = -i atanh(iz) */
    Cpx s = c_atanh((Cpx){-z.im, z.re});
    return (Cpx){s.im, -s.re};
}

static Cpx c_atanh(Cpx z) {
    Cpx r;
    SPECIAL_VALUE(z, atanh_special_values);
    if (z.re < 0.) { /* atanh(z) = -atanh(-z) */
        Cpx m = c_atanh((Cpx){-z.re, -z.im});
        return (Cpx){-m.re, -m.im};
    }
    double ay = fabs(z.im);
    if (z.re > CM_SQRT_LARGE_DOUBLE || ay > CM_SQRT_LARGE_DOUBLE) { /* ~ 1/z +/- i*pi/2 */
        double h = hypot(z.re / 2., z.im / 2.);
        r.re = z.re / 4. / h / h;
        r.im = copysign(M_PI / 2., z.im);
        errno = 0;
    } else if (z.re == 1. && ay < CM_SQRT_DBL_MIN) {
        if (ay == 0.) {
            r.re = INF;
            r.im = z.im;
            errno = EDOM;
        } else {
            r.re = -log(sqrt(ay) / sqrt(hypot(ay, 2.)));
            r.im = copysign(atan2(2., -ay) / 2, z.im);
            errno = 0;
        }
    } else {
        r.re = log1p(4. * z.re / ((1 - z.re) * (1 - z.re) + ay * ay)) / 4.;
        r.im = -atan2(-2. * z.im, (1 - z.re) * (1 + z.re) - ay * ay) / 2.;
        errno = 0;
    }
    return r;
}

static Cpx c_cos(Cpx z) { return c_cosh((Cpx){-z.im, z.re}); } /* cos(z) = cosh(iz) */

static Cpx c_cosh(Cpx z) {
    Cpx r;
    if (!isfinite(z.re) || !isfinite(z.im)) {
        if (isinf(z.re) && isfinite(z.im) && z.im != 0.) {
            r.re = copysign(INF, cos(z.im));
            r.im = z.re > 0 ? copysign(INF, sin(z.im)) : -copysign(INF, sin(z.im));
        } else {
            r = cosh_special_values[special_type(z.re)][special_type(z.im)];
        }
        errno = isinf(z.im) && !isnan(z.re) ? EDOM : 0;
        return r;
    }
    if (fabs(z.re) > CM_LOG_LARGE_DOUBLE) {
        double x_minus_one = z.re - copysign(1., z.re);
        r.re = cos(z.im) * cosh(x_minus_one) * M_E;
        r.im = sin(z.im) * sinh(x_minus_one) * M_E;
    } else {
        r.re = cos(z.im) * cosh(z.re);
        r.im = sin(z.im) * sinh(z.re);
    }
    errno = isinf(r.re) || isinf(r.im) ? ERANGE : 0;
    return r;
}

static Cpx c_exp(Cpx z) {
    Cpx r;
    if (!isfinite(z.re) || !isfinite(z.im)) {
        if (isinf(z.re) && isfinite(z.im) && z.im != 0.) {
            if (z.re > 0) {
                r.re = copysign(INF, cos(z.im));
                r.im = copysign(INF, sin(z.im));
            } else {
                r.re = copysign(0., cos(z.im));
                r.im = copysign(0., sin(z.im));
            }
        } else {
            r = exp_special_values[special_type(z.re)][special_type(z.im)];
        }
        errno = isinf(z.im) && (isfinite(z.re) || (isinf(z.re) && z.re > 0)) ? EDOM : 0;
        return r;
    }
    if (z.re > CM_LOG_LARGE_DOUBLE) {
        double l = exp(z.re - 1.);
        r.re = l * cos(z.im) * M_E;
        r.im = l * sin(z.im) * M_E;
    } else {
        double l = exp(z.re);
        r.re = l * cos(z.im);
        r.im = l * sin(z.im);
    }
    errno = isinf(r.re) || isinf(r.im) ? ERANGE : 0;
    return r;
}

/* log(hypot) rescaled where hypot is subnormal or overflows, through
 * log1p where |z| is near 1 */
static Cpx c_log(Cpx z) {
    Cpx r;
    SPECIAL_VALUE(z, log_special_values);
    double ax = fabs(z.re), ay = fabs(z.im);
    if (ax > CM_LARGE_DOUBLE || ay > CM_LARGE_DOUBLE) {
        r.re = log(hypot(ax / 2., ay / 2.)) + CM_LN2;
    } else if (ax < DBL_MIN && ay < DBL_MIN) {
        if (ax > 0. || ay > 0.) {
            r.re = log(hypot(ldexp(ax, DBL_MANT_DIG), ldexp(ay, DBL_MANT_DIG))) - DBL_MANT_DIG * CM_LN2;
        } else { /* log(+/-0. +/- 0i) */
            r.re = -INF;
            r.im = atan2(z.im, z.re);
            errno = EDOM;
            return r;
        }
    } else {
        double h = hypot(ax, ay);
        if (0.71 <= h && h <= 1.73) {
            double am = ax > ay ? ax : ay, an = ax > ay ? ay : ax;
            r.re = log1p((am - 1) * (am + 1) + an * an) / 2.;
        } else {
            r.re = log(h);
        }
    }
    r.im = atan2(z.im, z.re);
    errno = 0;
    return r;
}

static Cpx c_log10(Cpx z) {
    Cpx r = c_log(z);
    int saved = errno;
    r.re = r.re / CM_LN10;
    r.im = r.im / CM_LN10;
    errno = saved;
    return r;
}

static Cpx c_sin(Cpx z) { /* sin(z) = -i sinh(iz) */
    Cpx s = c_sinh((Cpx){-z.im, z.re});
    return (Cpx){s.im, -s.re};
}

static Cpx c_sinh(Cpx z) {
    Cpx r;
    if (!isfinite(z.re) || !isfinite(z.im)) {
        if (isinf(z.re) && isfinite(z.im) && z.im != 0.) {
            r.re = z.re > 0 ? copysign(INF, cos(z.im)) : -copysign(INF, cos(z.im));
            r.im = copysign(INF, sin(z.im));
        } else {
            r = sinh_special_values[special_type(z.re)][special_type(z.im)];
        }
        errno = isinf(z.im) && !isnan(z.re) ? EDOM : 0;
        return r;
    }
    if (fabs(z.re) > CM_LOG_LARGE_DOUBLE) {
        double x_minus_one = z.re - copysign(1., z.re);
        r.re = cos(z.im) * sinh(x_minus_one) * M_E;
        r.im = sin(z.im) * cosh(x_minus_one) * M_E;
    } else {
        r.re = cos(z.im) * sinh(z.re);
        r.im = sin(z.im) * cosh(z.re);
    }
    errno = isinf(r.re) || isinf(r.im) ? ERANGE : 0;
    return r;
}

/* s = 2*sqrt(x/8 + hypot(x/8, y/8)) for x, y >= 0, with subnormal parts
 * scaled up first; d = y/(2s) */
static Cpx c_sqrt(Cpx z) {
    Cpx r;
    double s, d;
    SPECIAL_VALUE(z, sqrt_special_values);
    if (z.re == 0. && z.im == 0.) return (Cpx){0., z.im};
    double ax = fabs(z.re), ay = fabs(z.im);
    if (ax < DBL_MIN && ay < DBL_MIN) {
        ax = ldexp(ax, CM_SCALE_UP);
        s = ldexp(sqrt(ax + hypot(ax, ldexp(ay, CM_SCALE_UP))), CM_SCALE_DOWN);
    } else {
        ax /= 8.;
        s = 2. * sqrt(ax + hypot(ax, ay / 8.));
    }
    d = ay / (2. * s);
    if (z.re >= 0.) {
        r.re = s;
        r.im = copysign(d, z.im);
    } else {
        r.re = d;
        r.im = copysign(s, z.im);
    }
    errno = 0;
    return r;
}

static Cpx c_tan(Cpx z) { /* tan(z) = -i tanh(iz) */
    Cpx s = c_tanh((Cpx){-z.im, z.re});
    return (Cpx){s.im, -s.re};
}

static Cpx c_tanh(Cpx z) {
    Cpx r;
    if (!isfinite(z.re) || !isfinite(z.im)) {
        if (isinf(z.re) && isfinite(z.im) && z.im != 0.) {
            r.re = z.re > 0 ? 1.0 : -1.0;
            r.im = copysign(0., 2. * sin(z.im) * cos(z.im));
        } else {
            r = tanh_special_values[special_type(z.re)][special_type(z.im)];
        }
        errno = isinf(z.im) && isfinite(z.re) ? EDOM : 0;
        return r;
    }
    if (fabs(z.re) > CM_LOG_LARGE_DOUBLE) {
        r.re = copysign(1., z.re);
        r.im = 4. * sin(z.im) * cos(z.im) * exp(-2. * fabs(z.re));
    } else {
        double tx = tanh(z.re), ty = tan(z.im), cx = 1. / cosh(z.re), txty = tx * ty;
        double denom = 1. + txty * txty;
        r.re = tx * (1. + ty * ty) / denom;
        r.im = ((ty / denom) * cx) * cx;
    }
    errno = 0;
    return r;
}

/* CPython 3.11's _Py_c_quot: division by zero sets EDOM */
static Cpx c_quot(Cpx a, Cpx b) {
    Cpx r;
    double abs_breal = b.re < 0 ? -b.re : b.re, abs_bimag = b.im < 0 ? -b.im : b.im;
    if (abs_breal >= abs_bimag) {
        if (abs_breal == 0.0) {
            errno = EDOM;
            r.re = r.im = 0.0;
        } else {
            double ratio = b.im / b.re, denom = b.re + b.im * ratio;
            r.re = (a.re + a.im * ratio) / denom;
            r.im = (a.im - a.re * ratio) / denom;
        }
    } else if (abs_bimag >= abs_breal) {
        double ratio = b.re / b.im, denom = b.re * ratio + b.im;
        r.re = (a.re * ratio + a.im) / denom;
        r.im = (a.im * ratio - a.re) / denom;
    } else {
        r.re = r.im = NAN;
    }
    return r;
}

/* CPython's _Py_c_abs: hypot, ERANGE when it overflows from finite parts */
static double c_abs(Cpx z) {
    if (!isfinite(z.re) || !isfinite(z.im)) {
        if (isinf(z.re)) return fabs(z.re);
        if (isinf(z.im)) return fabs(z.im);
        return NAN;
    }
    double r = hypot(z.re, z.im);
    errno = isfinite(r) ? 0 : ERANGE;
    return r;
}

/* ---- arguments and errors ---- */

/* PyComplex_AsCComplex: a complex, an object's __complex__, else a real
 * number (PyFloat_AsDouble's rules) */
static bool complex_arg(Value *v, Cpx *out) {
    if (v->kind == VK_COMPLEX) {
        *out = (Cpx){v->c.re, v->c.im};
        return true;
    }
    if (v->kind == VK_INSTANCE) {
        bool found;
        Value *r = instance_complex(v, &found);
        if (found) {
            if (r) *out = (Cpx){r->c.re, r->c.im};
            val_release(r);
            return r != NULL;
        }
    }
    out->im = 0.;
    return math_real_arg(v, &out->re);
}

static Value *math_error(void) {
    if (errno == ERANGE) tsr_raise(ERR_OverflowError, "%s", "math range error");
    else tsr_raise(ERR_ValueError, "%s", "math domain error");
    return NULL;
}

/* a METH_O function's one argument */
static bool one_arg(const char *fn, const CallArgs *a, Cpx *z) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "cmath.%s() takes no keyword arguments", fn);
        return false;
    }
    if (a->nargs != 1) {
        tsr_raise(ERR_TypeError, "cmath.%s() takes exactly one argument (%d given)", fn, a->nargs);
        return false;
    }
    return complex_arg(a->args[0], z);
}

static Value *cmath_1(const char *fn, const CallArgs *a, Cpx (*f)(Cpx)) {
    Cpx z;
    if (!one_arg(fn, a, &z)) return NULL;
    errno = 0;
    Cpx r = f(z);
    if (errno) return math_error();
    return val_complex(r.re, r.im);
}

#define CMATH_1(name)                                                                          \
    static Value *cm_##name(Value *self, const CallArgs *a) { return cmath_1(#name, a, c_##name); }
CMATH_1(acos)
CMATH_1(acosh)
CMATH_1(asin)
CMATH_1(asinh)
CMATH_1(atan)
CMATH_1(atanh)
CMATH_1(cos)
CMATH_1(cosh)
CMATH_1(exp)
CMATH_1(log10)
CMATH_1(sin)
CMATH_1(sinh)
CMATH_1(sqrt)
CMATH_1(tan)
CMATH_1(tanh)
#undef CMATH_1

/* _PyArg_CheckPositional's messages */
static bool positional(const char *fn, const CallArgs *a, int min, int max) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s() takes no keyword arguments", fn);
        return false;
    }
    if (a->nargs < min || a->nargs > max) {
        if (min == max) tsr_raise(ERR_TypeError, "%s expected %d argument%s, got %d", fn, min, min == 1 ? "" : "s", a->nargs);
        else if (a->nargs < min) tsr_raise(ERR_TypeError, "%s expected at least %d argument%s, got %d", fn, min, min == 1 ? "" : "s", a->nargs);
        else tsr_raise(ERR_TypeError, "%s expected at most %d argument%s, got %d", fn, max, max == 1 ? "" : "s", a->nargs);
        return false;
    }
    return true;
}

/* log(z[, base]) */
static Value *cm_log(Value *self, const CallArgs *a) {
    Cpx x, y;
    if (!positional("log", a, 1, 2) || !complex_arg(a->args[0], &x)) return NULL;
    errno = 0;
    x = c_log(x);
    if (a->nargs == 2) {
        int saved = errno;
        if (!complex_arg(a->args[1], &y)) return NULL;
        errno = saved;
        y = c_log(y);
        x = c_quot(x, y);
    }
    if (errno) return math_error();
    return val_complex(x.re, x.im);
}

static Value *cm_phase(Value *self, const CallArgs *a) {
    Cpx z;
    if (!one_arg("phase", a, &z)) return NULL;
    return val_float(atan2(z.im, z.re));
}

static Value *cm_polar(Value *self, const CallArgs *a) {
    Cpx z;
    if (!one_arg("polar", a, &z)) return NULL;
    errno = 0;
    double phi = atan2(z.im, z.re), r = c_abs(z);
    if (errno) return math_error();
    Value *t = val_tuple_new(2);
    if (!t) return NULL;
    if (!(t->seq.items[0] = val_float(r)) || !(t->seq.items[1] = val_float(phi))) {
        val_release(t);
        return NULL;
    }
    return t;
}

/* rect(r, phi): rect(x, t) as exp(log(x) + it) in the spirit of C99 */
static Value *cm_rect(Value *self, const CallArgs *a) {
    double r, phi;
    if (!positional("rect", a, 2, 2) || !math_real_arg(a->args[0], &r) || !math_real_arg(a->args[1], &phi))
        return NULL;
    Cpx z;
    errno = 0;
    if (!isfinite(r) || !isfinite(phi)) {
        if (isinf(r) && isfinite(phi) && phi != 0.) {
            z.re = r > 0 ? copysign(INF, cos(phi)) : -copysign(INF, cos(phi));
            z.im = r > 0 ? copysign(INF, sin(phi)) : -copysign(INF, sin(phi));
        } else {
            z = rect_special_values[special_type(r)][special_type(phi)];
        }
        errno = r != 0. && !isnan(r) && isinf(phi) ? EDOM : 0;
    } else if (phi == 0.0) {
        z.re = r;
        z.im = r * phi;
    } else {
        z.re = r * cos(phi);
        z.im = r * sin(phi);
    }
    if (errno) return math_error();
    return val_complex(z.re, z.im);
}

static Value *cm_isfinite(Value *self, const CallArgs *a) {
    Cpx z;
    if (!one_arg("isfinite", a, &z)) return NULL;
    return val_bool(isfinite(z.re) && isfinite(z.im));
}

static Value *cm_isnan(Value *self, const CallArgs *a) {
    Cpx z;
    if (!one_arg("isnan", a, &z)) return NULL;
    return val_bool(isnan(z.re) || isnan(z.im));
}

static Value *cm_isinf(Value *self, const CallArgs *a) {
    Cpx z;
    if (!one_arg("isinf", a, &z)) return NULL;
    return val_bool(isinf(z.re) || isinf(z.im));
}

/* isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0) */
static Value *cm_isclose(Value *self, const CallArgs *a) {
    static const char *const names[] = {"a", "b", "rel_tol", "abs_tol"};
    Value *v[4] = {0};
    if (!math_parse_clinic("isclose", a, names, 4, 2, 0, 2, v)) return NULL;
    Cpx x, y;
    double rel_tol = 1e-09, abs_tol = 0.0;
    if (!complex_arg(v[0], &x) || !complex_arg(v[1], &y) || (v[2] && !math_real_arg(v[2], &rel_tol)) ||
        (v[3] && !math_real_arg(v[3], &abs_tol)))
        return NULL;
    if (rel_tol < 0.0 || abs_tol < 0.0) {
        tsr_raise(ERR_ValueError, "%s", "tolerances must be non-negative");
        return NULL;
    }
    if (x.re == y.re && x.im == y.im) return val_bool(true);
    if (isinf(x.re) || isinf(x.im) || isinf(y.re) || isinf(y.im)) return val_bool(false);
    double diff = c_abs((Cpx){x.re - y.re, x.im - y.im});
    return val_bool(diff <= rel_tol * c_abs(y) || diff <= rel_tol * c_abs(x) || diff <= abs_tol);
}

static const Builtin cmath_functions[] = {
    {"acos", cm_acos},       {"acosh", cm_acosh},   {"asin", cm_asin},   {"asinh", cm_asinh},
    {"atan", cm_atan},       {"atanh", cm_atanh},   {"cos", cm_cos},     {"cosh", cm_cosh},
    {"exp", cm_exp},         {"isclose", cm_isclose}, {"isfinite", cm_isfinite}, {"isinf", cm_isinf},
    {"isnan", cm_isnan},     {"log", cm_log},       {"log10", cm_log10}, {"phase", cm_phase},
    {"polar", cm_polar},     {"rect", cm_rect},     {"sin", cm_sin},     {"sinh", cm_sinh},
    {"sqrt", cm_sqrt},       {"tan", cm_tan},       {"tanh", cm_tanh},   {NULL, NULL},
};

static bool set_member(Value *module, const char *name, Value *v) {
    bool ok = v && dict_set(module->module.members, name, v);
    val_release(v);
    return ok;
}

bool stdlib_cmath_open(Value *module) {
    return module_install(module, cmath_functions) && set_member(module, "pi", val_float(M_PI)) &&
           set_member(module, "e", val_float(M_E)) && set_member(module, "tau", val_float(2 * M_PI)) &&
           set_member(module, "inf", val_float(INFINITY)) && set_member(module, "infj", val_complex(0.0, INFINITY)) &&
           set_member(module, "nan", val_float(fabs(NAN))) && set_member(module, "nanj", val_complex(0.0, fabs(NAN)));
}
