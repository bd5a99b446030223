/* stdlib_math_float.c: the float algorithms of the math module that
 * CPython implements itself rather than taking from libm (gamma, lgamma,
 * fsum, the vector norm of hypot and dist). They follow CPython 3.11's
 * methods step by step, so that results agree to the last bit. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "stdlib_math.h"

static const double PI = 3.141592653589793238462643383279502884197;
static const double LOG_PI = 1.144729885849400174143427351353058711647;

/* sin(pi * x), accurate for finite x near integers (the reflection
 * formula of gamma needs it exactly 0 at integers) */
static double sin_pi(double x) {
    double y = fmod(fabs(x), 2.0), r;
    switch ((int)round(2.0 * y)) {
    case 0: r = sin(PI * y); break;
    case 1: r = cos(PI * (y - 0.5)); break;
    case 2: r = sin(PI * (1.0 - y)); break; /* not -sin(PI*(y-1)): that gives -0.0 at y == 1 */
    case 3: r = -cos(PI * (y - 1.5)); break;
    default: r = sin(PI * (y - 2.0)); break;
    }
    return copysign(1.0, x) * r;
}

/* The Lanczos approximation, N = 13, g = 6.024680040776729583740234375
 * (Boost's parameters), written as a rational function. */
#define LANCZOS_N 13
static const double lanczos_g = 6.024680040776729583740234375;
static const double lanczos_g_minus_half = 5.524680040776729583740234375;
static const double lanczos_num[LANCZOS_N] = {
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
};
/* x*(x+1)*...*(x+N-2) */
static const double lanczos_den[LANCZOS_N] = {
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0,
    2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0,
};

static double lanczos_sum(double x) { /* x > 0 */
    double num = 0.0, den = 0.0;
    if (x < 5.0) {
        for (int i = LANCZOS_N; --i >= 0;) {
            num = num * x + lanczos_num[i];
            den = den * x + lanczos_den[i];
        }
    } else { /* in 1/x, which cannot overflow */
        for (int i = 0; i < LANCZOS_N; i++) {
            num = num / x + lanczos_num[i];
            den = den / x + lanczos_den[i];
        }
    }
    return num / den;
}

double math_tgamma(double x) {
    if (!isfinite(x)) {
        if (isnan(x) || x > 0) return x;
        errno = EDOM;
        return NAN;
    }
    if (x == 0) {
        errno = EDOM;
        return copysign(HUGE_VAL, x);
    }
    if (x == floor(x)) {
        if (x < 0) {
            errno = EDOM;
            return NAN;
        }
        if (x <= 23) { /* exact: (x-1)! */
            double f = 1.0;
            for (int i = 2; i < (int)x; i++) f *= i;
            return f;
        }
    }
    double ax = fabs(x);
    if (ax < 1e-20) { /* gamma(x) ~ 1/x */
        double r = 1.0 / x;
        if (isinf(r)) errno = ERANGE;
        return r;
    }
    if (ax > 200.0) {
        if (x < 0) return 0.0 / sin_pi(x);
        errno = ERANGE;
        return HUGE_VAL;
    }
    double y = ax + lanczos_g_minus_half;
    /* z: the rounding error of y, for a first-order correction */
    double z = ax > lanczos_g_minus_half ? (y - ax) - lanczos_g_minus_half : (y - lanczos_g_minus_half) - ax;
    z = z * lanczos_g / y;
    double r;
    if (x < 0) {
        r = -PI / sin_pi(ax) / ax * exp(y) / lanczos_sum(ax);
        r -= z * r;
        if (ax < 140.0) {
            r /= pow(y, ax - 0.5);
        } else {
            double sqrtpow = pow(y, ax / 2.0 - 0.25);
            r /= sqrtpow;
            r /= sqrtpow;
        }
    } else {
        r = lanczos_sum(ax) / exp(y);
        r += z * r;
        if (ax < 140.0) {
            r *= pow(y, ax - 0.5);
        } else {
            double sqrtpow = pow(y, ax / 2.0 - 0.25);
            r *= sqrtpow;
            r *= sqrtpow;
        }
    }
    if (isinf(r)) errno = ERANGE;
    return r;
}

double math_lgamma(double x) {
    if (!isfinite(x)) return isnan(x) ? x : HUGE_VAL;
    if (x == floor(x) && x <= 2.0) {
        if (x <= 0) {
            errno = EDOM;
            return HUGE_VAL;
        }
        return 0.0;
    }
    double ax = fabs(x);
    if (ax < 1e-20) return -log(ax);
    double r = log(lanczos_sum(ax)) - lanczos_g;
    r += (ax - 0.5) * (log(ax + lanczos_g - 0.5) - 1);
    if (x < 0) r = LOG_PI - log(fabs(sin_pi(ax))) - log(ax) - r; /* reflection */
    if (isinf(r)) errno = ERANGE;
    return r;
}

/* Shewchuk's exact summation as msum() (Hettinger) with Dickinson's
 * correctly rounded final step: partials[] are non-overlapping, sorted by
 * magnitude, and sum exactly to the items seen. volatile keeps hi and lo
 * the doubles the proof needs. */
bool math_fsum(Value *const *items, int64_t n, double *out) {
    int64_t np = 0, cap = 32;
    double small[32], *p = small;
    double special = 0.0, inf_sum = 0.0;
    volatile double hi, yr, lo = 0.0;
    bool ok = true;
    for (int64_t k = 0; ok && k < n; k++) {
        double x;
        if (!(ok = math_real_arg(items[k], &x))) break;
        double xsave = x;
        int64_t i = 0;
        for (int64_t j = 0; j < np; j++) {
            double y = p[j];
            if (fabs(x) < fabs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            hi = x + y;
            yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) p[i++] = lo;
            x = hi;
        }
        np = i;
        if (x == 0.0) continue;
        if (!isfinite(x)) {
            /* an inf or nan summand, or an overflow of the partials */
            if (isfinite(xsave)) {
                tsr_raise(ERR_OverflowError, "%s", "intermediate overflow in fsum");
                ok = false;
                break;
            }
            if (isinf(xsave)) inf_sum += xsave;
            special += xsave;
            np = 0;
            continue;
        }
        if (np >= cap) {
            double *bigger = tsr_malloc(sizeof(double) * (size_t)cap * 2);
            if (!(ok = bigger != NULL)) break;
            memcpy(bigger, p, sizeof(double) * (size_t)np);
            if (p != small) free(p);
            p = bigger;
            cap *= 2;
        }
        p[np++] = x;
    }
    if (ok && special != 0.0) {
        if (isnan(inf_sum)) {
            tsr_raise(ERR_ValueError, "%s", "-inf + inf in fsum");
            ok = false;
        }
        *out = special;
    } else if (ok) {
        hi = 0.0;
        if (np > 0) {
            hi = p[--np];
            /* sum from the top until the sum becomes inexact */
            while (np > 0) {
                double x = hi, y = p[--np];
                hi = x + y;
                yr = hi - x;
                lo = y - yr;
                if (lo != 0.0) break;
            }
            /* round half to even across partials: sum([1e-16, 1, 1e16]) */
            if (np > 0 && ((lo < 0.0 && p[np - 1] < 0.0) || (lo > 0.0 && p[np - 1] > 0.0))) {
                double y = lo * 2.0;
                double x = hi + y;
                yr = x - hi;
                if (y == yr) hi = x;
            }
        }
        *out = hi;
    }
    if (p != small) free(p);
    return ok;
}

/* Neumaier's compensated step: csum += x, the rounding error into *frac */
static inline void add_compensated(double *csum, double *frac, double x) {
    double old = *csum;
    *csum += x;
    *frac += (old - *csum) + x;
}

/* Veltkamp-Dekker: x == *hi + *lo, *hi holding half the bits */
static inline void split(double x, double *hi, double *lo) {
    const double T27 = 134217729.0; /* 2**27 + 1 */
    double t = x * T27;
    *hi = t - (t - x);
    *lo = x - *hi;
}

/* CPython's vector_norm: lossless power-of-two scaling, exact squares by
 * splitting, compensated summation (csum starts at 1.0 so that it always
 * outweighs the addends), and one differential correction of the sqrt. */
double math_vector_norm(double *vec, int64_t n) {
    double max = 0.0;
    bool found_nan = false;
    for (int64_t i = 0; i < n; i++) {
        vec[i] = fabs(vec[i]);
        found_nan |= isnan(vec[i]) != 0;
        if (vec[i] > max) max = vec[i];
    }
    if (isinf(max)) return max;
    if (found_nan) return NAN;
    if (max == 0.0 || n <= 1) return max;
    double csum = 1.0, frac1 = 0.0, frac2 = 0.0, frac3 = 0.0, hi, lo;
    int max_e;
    frexp(max, &max_e);
    if (max_e < -1023) { /* ldexp(1.0, -max_e) would overflow: divide by max */
        for (int64_t i = 0; i < n; i++) {
            double x = vec[i] / max;
            add_compensated(&csum, &frac1, x * x);
        }
        return max * sqrt(csum - 1.0 + frac1);
    }
    double scale = ldexp(1.0, -max_e);
    for (int64_t i = 0; i < n; i++) {
        split(vec[i] * scale, &hi, &lo);
        add_compensated(&csum, &frac1, hi * hi);
        add_compensated(&csum, &frac2, 2.0 * hi * lo);
        frac3 += lo * lo;
    }
    double h = sqrt(csum - 1.0 + (frac1 + frac2 + frac3));
    split(h, &hi, &lo);
    add_compensated(&csum, &frac1, -hi * hi);
    add_compensated(&csum, &frac2, -2.0 * hi * lo);
    add_compensated(&csum, &frac3, -lo * lo);
    double x = csum - 1.0 + (frac1 + frac2 + frac3);
    return (h + x / (2.0 * h)) / scale;
}
