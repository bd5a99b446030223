/* stdlib_math.c: Python's `math` module, with CPython 3.11's results,
 * special cases and messages. tsr's ints are 64-bit: where CPython would
 * return a larger int (factorial(21), comb(68, 34), floor(1e19)) this
 * raises OverflowError instead. The float helpers that need more than one
 * screen (gamma, fsum, hypot) live in stdlib_math_float.c. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"
#include "stdlib_math.h"

/* ---- errors */

static Value *domain_error(void) {
    tsr_raise(ERR_ValueError, "%s", "math domain error");
    return NULL;
}

static Value *range_error(void) {
    tsr_raise(ERR_OverflowError, "%s", "math range error");
    return NULL;
}

static Value *too_big(const char *fn) {
    tsr_raise(ERR_OverflowError, "math.%s() result does not fit in 64 bits (tsr ints are 64-bit)", fn);
    return NULL;
}

/* errno after a libm call whose result is r: true (error raised) for a
 * domain error or an overflow; underflow (a small r) is no error. */
static bool errno_raised(double r) {
    if (errno == ERANGE && fabs(r) < 1.5) return false;
    if (errno == ERANGE) range_error();
    else domain_error();
    return true;
}

/* ---- arguments */

static bool no_keywords(const char *fn, const CallArgs *a) {
    if (!a->nkw) return true;
    tsr_raise(ERR_TypeError, "math.%s() takes no keyword arguments", fn);
    return false;
}

static bool one_arg(const char *fn, const CallArgs *a) {
    if (!no_keywords(fn, a)) return false;
    if (a->nargs == 1) return true;
    tsr_raise(ERR_TypeError, "math.%s() takes exactly one argument (%d given)", fn, a->nargs);
    return false;
}

/* CPython's _PyArg_CheckPositional: "atan2 expected 2 arguments, got 1" */
static bool arg_count(const char *fn, const CallArgs *a, int min, int max) {
    if (!no_keywords(fn, a)) return false;
    if (a->nargs >= min && a->nargs <= max) return true;
    int n = a->nargs < min ? min : max;
    tsr_raise(ERR_TypeError, "%s expected %s%d argument%s, got %d", fn,
              min == max ? "" : a->nargs < min ? "at least " : "at most ", n, n == 1 ? "" : "s", a->nargs);
    return false;
}

/* The result of x.__float__() or x.__index__() for an instance; *found is
 * false when its class has neither. */
Value *instance_number(Value *v, bool *found) {
    Value *r = special_call(v, "__float__", NULL, 0, found);
    if (*found) {
        if (r && r->kind != VK_FLOAT) {
            tsr_raise(ERR_TypeError, "%s.__float__ returned non-float (type %s)", val_type_name(v),
                      val_type_name(r));
            val_release(r);
            return NULL;
        }
        return r;
    }
    return special_call(v, "__index__", NULL, 0, found);
}

bool math_real_arg(Value *v, double *out) {
    if (v->kind == VK_INSTANCE) {
        bool found;
        Value *r = instance_number(v, &found);
        if (found) {
            bool ok = r && val_as_double(r, out);
            val_release(r);
            return ok;
        }
    } else if (v->kind == VK_INT || v->kind == VK_BOOL || v->kind == VK_FLOAT || v->kind == VK_TENSOR) {
        return val_as_double(v, out); /* a tensor: its __float__ */
    }
    tsr_raise(ERR_TypeError, "must be real number, not %s", val_type_name(v));
    return false;
}

bool math_parse_clinic(const char *fn, const CallArgs *a, const char *const *names, int n, int npos, int posonly,
                       int nreq, Value **out) {
    if (a->nargs + a->nkw > n) {
        tsr_raise(ERR_TypeError, "%s() takes at most %d arguments (%d given)", fn, n, a->nargs + a->nkw);
        return false;
    }
    if (a->nargs > npos || a->nargs < posonly) {
        tsr_raise(ERR_TypeError, "%s() takes exactly %d positional argument%s (%d given)", fn, npos,
                  npos == 1 ? "" : "s", a->nargs);
        return false;
    }
    bool taken[8] = {false}; /* a->nkw <= n <= 8 here */
    for (int i = 0; i < a->nargs; i++) out[i] = a->args[i];
    for (int i = a->nargs; i < n; i++) {
        for (int k = 0; k < a->nkw && i >= posonly; k++)
            if (!strcmp(a->kwnames[k], names[i])) out[i] = a->kwvals[k], taken[k] = true;
        if (!out[i] && i < nreq) {
            tsr_raise(ERR_TypeError, "%s() missing required argument '%s' (pos %d)", fn, names[i], i + 1);
            return false;
        }
    }
    for (int k = 0; k < a->nkw; k++) {
        if (taken[k]) continue;
        int i = 0;
        while (i < a->nargs && strcmp(a->kwnames[k], names[i])) i++;
        if (i < a->nargs && i >= posonly)
            tsr_raise(ERR_TypeError, "argument for %s() given by name ('%s') and position (%d)", fn,
                      names[i], i + 1);
        else
            tsr_raise(ERR_TypeError, "'%s' is an invalid keyword argument for %s()", a->kwnames[k], fn);
        return false;
    }
    return true;
}

/* operator.index(v): ints, bools, one-element integer tensors, __index__ */
static bool index_arg(Value *v, int64_t *out) {
    if (v->kind == VK_INSTANCE) {
        bool found;
        Value *r = special_call(v, "__index__", NULL, 0, &found);
        if (found) {
            bool ok = r && val_as_int(r, out);
            val_release(r);
            return ok;
        }
    }
    return val_as_int(v, out);
}

/* ---- one float in, one float out */

/* CPython's math_1: a NaN from a non-NaN is a domain error; an infinity
 * from a finite x an overflow (or, can_overflow false, a singularity). */
static Value *math_1(const char *fn, const CallArgs *a, double (*f)(double), bool can_overflow) {
    double x;
    if (!one_arg(fn, a) || !math_real_arg(a->args[0], &x)) return NULL;
    errno = 0;
    double r = f(x);
    if (isnan(r) && !isnan(x)) return domain_error();
    if (isinf(r) && isfinite(x)) return can_overflow ? range_error() : domain_error();
    if (isfinite(r) && errno && errno_raised(r)) return NULL;
    return val_float(r);
}

/* math_1a: for functions that set errno themselves */
static Value *math_1a(const char *fn, const CallArgs *a, double (*f)(double)) {
    double x;
    if (!one_arg(fn, a) || !math_real_arg(a->args[0], &x)) return NULL;
    errno = 0;
    double r = f(x);
    if (errno && errno_raised(r)) return NULL;
    return val_float(r);
}

#define FUNC1(name, f, can_overflow) \
    static Value *m_##name(Value *self, const CallArgs *a) { return math_1(#name, a, f, can_overflow); }
#define FUNC1A(name, f) \
    static Value *m_##name(Value *self, const CallArgs *a) { return math_1a(#name, a, f); }
FUNC1(acos, acos, false)
FUNC1(acosh, acosh, false)
FUNC1(asin, asin, false)
FUNC1(asinh, asinh, false)
FUNC1(atan, atan, false)
FUNC1(atanh, atanh, false)
FUNC1(cbrt, cbrt, false)
FUNC1(cos, cos, false)
FUNC1(cosh, cosh, true)
FUNC1(exp, exp, true)
FUNC1(exp2, exp2, true)
FUNC1(expm1, expm1, true)
FUNC1(fabs, fabs, false)
FUNC1(log1p, log1p, false)
FUNC1(sin, sin, false)
FUNC1(sinh, sinh, true)
FUNC1(sqrt, sqrt, false)
FUNC1(tan, tan, false)
FUNC1(tanh, tanh, false)
FUNC1A(erf, erf)
FUNC1A(erfc, erfc)
FUNC1A(gamma, math_tgamma)
FUNC1A(lgamma, math_lgamma)
#undef FUNC1
#undef FUNC1A

static const double deg_to_rad = 3.141592653589793238462643383279502884197 / 180.0;
static const double rad_to_deg = 180.0 / 3.141592653589793238462643383279502884197;

/* degrees, radians, isfinite, isinf, isnan, ulp, frexp, modf: no errors */
static bool one_real(const char *fn, const CallArgs *a, double *x) {
    return one_arg(fn, a) && math_real_arg(a->args[0], x);
}

static Value *m_degrees(Value *self, const CallArgs *a) {
    double x;
    return one_real("degrees", a, &x) ? val_float(x * rad_to_deg) : NULL;
}

static Value *m_radians(Value *self, const CallArgs *a) {
    double x;
    return one_real("radians", a, &x) ? val_float(x * deg_to_rad) : NULL;
}

static Value *m_isfinite(Value *self, const CallArgs *a) {
    double x;
    return one_real("isfinite", a, &x) ? val_bool(isfinite(x)) : NULL;
}

static Value *m_isinf(Value *self, const CallArgs *a) {
    double x;
    return one_real("isinf", a, &x) ? val_bool(isinf(x)) : NULL;
}

static Value *m_isnan(Value *self, const CallArgs *a) {
    double x;
    return one_real("isnan", a, &x) ? val_bool(isnan(x)) : NULL;
}

static Value *m_ulp(Value *self, const CallArgs *a) {
    double x;
    if (!one_real("ulp", a, &x)) return NULL;
    if (isnan(x)) return val_float(x);
    x = fabs(x);
    if (isinf(x)) return val_float(x);
    double up = nextafter(x, INFINITY);
    return val_float(isinf(up) ? x - nextafter(x, -INFINITY) : up - x);
}

static Value *float_pair(double x, double y) { return pair_steal(val_float(x), val_float(y)); }

static Value *m_frexp(Value *self, const CallArgs *a) {
    double x;
    if (!one_real("frexp", a, &x)) return NULL;
    int e = 0;
    if (isfinite(x) && x != 0) x = frexp(x, &e);
    return pair_steal(val_float(x), val_int(e));
}

static Value *m_modf(Value *self, const CallArgs *a) {
    double x, ip;
    if (!one_real("modf", a, &x)) return NULL;
    if (isinf(x)) return float_pair(copysign(0.0, x), x);
    if (isnan(x)) return float_pair(x, x);
    double frac = modf(x, &ip);
    return float_pair(frac, ip);
}

/* ---- logarithms: ints take their exact value (CPython's loghelper) */

static double m_log(double x) {
    if (isfinite(x)) {
        if (x > 0) return log(x);
        errno = EDOM;
        return x == 0 ? -HUGE_VAL : NAN;
    }
    if (isnan(x) || x > 0) return x;
    errno = EDOM;
    return NAN;
}

static double m_log2(double x) {
    if (x > 0 && isfinite(x)) return log2(x);
    return m_log(x);
}

static double m_log10(double x) {
    if (x > 0 && isfinite(x)) return log10(x);
    return m_log(x);
}

/* log(x) with f, as a double; false with the error raised */
static bool log_helper(Value *v, double (*f)(double), double *out) {
    if (v->kind == VK_INT || v->kind == VK_BOOL) {
        int64_t n = v->kind == VK_INT ? v->i : v->b;
        if (n <= 0) return domain_error(), false;
        *out = f((double)n);
        return true;
    }
    double x;
    if (!math_real_arg(v, &x)) return false;
    errno = 0;
    double r = f(x);
    if (isnan(r) && !isnan(x)) return domain_error(), false;
    if (isinf(r) && isfinite(x)) return domain_error(), false;
    *out = r;
    return true;
}

static Value *m_log_fn(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "log() takes no keyword arguments");
        return NULL;
    }
    if (a->nargs < 1 || a->nargs > 2) {
        tsr_raise(ERR_TypeError, "%s", "math.log requires 1 to 2 arguments");
        return NULL;
    }
    double num, den;
    if (!log_helper(a->args[0], m_log, &num)) return NULL;
    if (a->nargs == 1) return val_float(num);
    if (!log_helper(a->args[1], m_log, &den)) return NULL;
    if (den == 0) {
        tsr_raise(ERR_ZeroDivisionError, "%s", "float division by zero");
        return NULL;
    }
    return val_float(num / den);
}

static Value *m_log2_fn(Value *self, const CallArgs *a) {
    double r;
    return one_arg("log2", a) && log_helper(a->args[0], m_log2, &r) ? val_float(r) : NULL;
}

static Value *m_log10_fn(Value *self, const CallArgs *a) {
    double r;
    return one_arg("log10", a) && log_helper(a->args[0], m_log10, &r) ? val_float(r) : NULL;
}

/* ---- two floats in */

static bool two_reals(const char *fn, const CallArgs *a, double *x, double *y) {
    return arg_count(fn, a, 2, 2) && math_real_arg(a->args[0], x) && math_real_arg(a->args[1], y);
}

/* CPython's math_2: NaN from non-NaNs a domain error, infinity from
 * finite inputs an overflow */
static Value *math_2(const char *fn, const CallArgs *a, double (*f)(double, double)) {
    double x, y;
    if (!two_reals(fn, a, &x, &y)) return NULL;
    double r = f(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y)) return domain_error();
    if (isinf(r) && isfinite(x) && isfinite(y)) return range_error();
    return val_float(r);
}

static double m_atan2(double y, double x) {
    if (isnan(x) || isnan(y)) return NAN;
    if (isinf(y)) {
        if (isinf(x)) return copysign(copysign(1.0, x) == 1.0 ? 0.25 * M_PI : 0.75 * M_PI, y);
        return copysign(0.5 * M_PI, y);
    }
    if (isinf(x) || y == 0) return copysign(copysign(1.0, x) == 1.0 ? 0.0 : M_PI, y);
    return atan2(y, x);
}

/* IEEE 754 remainder: x - n*y for the nearest n, ties to even; exact */
static double m_remainder(double x, double y) {
    if (isfinite(x) && isfinite(y)) {
        if (y == 0) return NAN;
        double ax = fabs(x), ay = fabs(y);
        double m = fmod(ax, ay), c = ay - m, r;
        if (m < c) r = m;
        else if (m > c) r = -c;
        else r = m - 2.0 * fmod(0.5 * (ax - m), ay); /* halfway: the even multiple */
        return copysign(1.0, x) * r;
    }
    if (isnan(x)) return x;
    if (isnan(y)) return y;
    if (isinf(x)) return NAN;
    return x;
}

static Value *m_atan2_fn(Value *self, const CallArgs *a) { return math_2("atan2", a, m_atan2); }
static Value *m_copysign(Value *self, const CallArgs *a) { return math_2("copysign", a, copysign); }
static Value *m_remainder_fn(Value *self, const CallArgs *a) { return math_2("remainder", a, m_remainder); }

static Value *m_fmod(Value *self, const CallArgs *a) {
    double x, y;
    if (!two_reals("fmod", a, &x, &y)) return NULL;
    if (isinf(y) && isfinite(x)) return val_float(x);
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y)) return domain_error();
    return val_float(r);
}

static Value *m_nextafter(Value *self, const CallArgs *a) {
    double x, y;
    return two_reals("nextafter", a, &x, &y) ? val_float(nextafter(x, y)) : NULL;
}

static Value *m_pow(Value *self, const CallArgs *a) {
    double x, y, r;
    if (!two_reals("pow", a, &x, &y)) return NULL;
    if (!isfinite(x) || !isfinite(y)) { /* IEEE specials, as C99 Annex F */
        if (isnan(x)) r = y == 0 ? 1.0 : x;
        else if (isnan(y)) r = x == 1 ? 1.0 : y;
        else if (isinf(x)) {
            bool odd_y = isfinite(y) && fmod(fabs(y), 2.0) == 1.0;
            if (y > 0) r = odd_y ? x : fabs(x);
            else if (y == 0) r = 1.0;
            else r = odd_y ? copysign(0.0, x) : 0.0;
        } else if (fabs(x) == 1.0) r = 1.0;
        else if (y > 0 && fabs(x) > 1.0) r = y;
        else if (y < 0 && fabs(x) < 1.0) r = -y;
        else r = 0.0;
        return val_float(r);
    }
    r = pow(x, y);
    if (isnan(r)) return domain_error();             /* (-x) ** non-integer */
    if (isinf(r)) return x == 0 ? domain_error() : range_error(); /* 0 ** -y, overflow */
    return val_float(r);
}

static Value *m_ldexp(Value *self, const CallArgs *a) {
    double x;
    if (!arg_count("ldexp", a, 2, 2) || !math_real_arg(a->args[0], &x)) return NULL;
    Value *iv = a->args[1];
    if (iv->kind != VK_INT && iv->kind != VK_BOOL) {
        tsr_raise(ERR_TypeError, "%s", "Expected an int as second argument to ldexp.");
        return NULL;
    }
    int64_t e = iv->kind == VK_INT ? iv->i : iv->b;
    if (x == 0 || !isfinite(x)) return val_float(x);
    if (e > INT32_MAX) return range_error();
    if (e < INT32_MIN) return val_float(copysign(0.0, x));
    double r = ldexp(x, (int)e);
    return isinf(r) ? range_error() : val_float(r);
}

static Value *m_isclose(Value *self, const CallArgs *a) {
    static const char *const names[] = {"a", "b", "rel_tol", "abs_tol"};
    Value *v[4] = {0};
    if (!math_parse_clinic("isclose", a, names, 4, 2, 0, 2, v)) return NULL;
    double x, y, rel = 1e-9, abs_tol = 0.0;
    if (!math_real_arg(v[0], &x) || !math_real_arg(v[1], &y) || (v[2] && !math_real_arg(v[2], &rel)) ||
        (v[3] && !math_real_arg(v[3], &abs_tol)))
        return NULL;
    if (rel < 0 || abs_tol < 0) {
        tsr_raise(ERR_ValueError, "%s", "tolerances must be non-negative");
        return NULL;
    }
    if (x == y) return val_bool(true);
    if (isinf(x) || isinf(y)) return val_bool(false);
    double diff = fabs(y - x);
    return val_bool(diff <= fabs(rel * y) || diff <= fabs(rel * x) || diff <= abs_tol);
}

/* ---- to integers */

/* floor(x), ceil(x) of a float as an int */
static Value *int_of_float(double x, const char *fn) {
    if (isnan(x) || isinf(x)) return int_from_double(x);
    if (x >= 9223372036854775808.0 || x < -9223372036854775808.0) return too_big(fn);
    return val_int((int64_t)x);
}

/* floor, ceil and trunc: ints stay ints, an instance's __floor__,
 * __ceil__ or __trunc__ decides, anything else goes through float */
static Value *rounding(const char *fn, const char *special, const CallArgs *a, double (*f)(double)) {
    if (!one_arg(fn, a)) return NULL;
    Value *v = a->args[0];
    if (v->kind == VK_INT || v->kind == VK_BOOL) return val_int(v->kind == VK_INT ? v->i : v->b);
    if (v->kind == VK_INSTANCE) {
        bool found;
        Value *r = special_call(v, special, NULL, 0, &found);
        if (found) return r;
    }
    if (f == trunc && v->kind != VK_FLOAT) {
        tsr_raise(ERR_TypeError, "type %s doesn't define __trunc__ method", val_type_name(v));
        return NULL;
    }
    double x;
    if (!math_real_arg(v, &x)) return NULL;
    return int_of_float(f(x), fn);
}

static Value *m_floor(Value *self, const CallArgs *a) { return rounding("floor", "__floor__", a, floor); }
static Value *m_ceil(Value *self, const CallArgs *a) { return rounding("ceil", "__ceil__", a, ceil); }
static Value *m_trunc(Value *self, const CallArgs *a) { return rounding("trunc", "__trunc__", a, trunc); }

/* ---- integer functions */

static Value *factorial_of(int64_t n) {
    if (n < 0) {
        tsr_raise(ERR_ValueError, "%s", "factorial() not defined for negative values");
        return NULL;
    }
    if (n > 20) return too_big("factorial");
    int64_t r = 1;
    for (int64_t i = 2; i <= n; i++) r *= i;
    return val_int(r);
}

static Value *m_factorial(Value *self, const CallArgs *a) {
    int64_t n;
    return one_arg("factorial", a) && index_arg(a->args[0], &n) ? factorial_of(n) : NULL;
}

static bool comb_args(const char *fn, Value *nv, Value *kv, int64_t *n, int64_t *k) {
    if (!index_arg(nv, n) || !index_arg(kv, k)) return false;
    if (*n < 0) tsr_raise(ERR_ValueError, "%s", "n must be a non-negative integer");
    else if (*k < 0) tsr_raise(ERR_ValueError, "%s", "k must be a non-negative integer");
    return *n >= 0 && *k >= 0;
}

static Value *m_comb(Value *self, const CallArgs *a) {
    int64_t n, k;
    if (!arg_count("comb", a, 2, 2) || !comb_args("comb", a->args[0], a->args[1], &n, &k)) return NULL;
    if (k > n) return val_int(0);
    if (k > n - k) k = n - k;
    /* C(n, i) grows with i up to n/2: the first value past int64 ends it */
    unsigned __int128 c = 1;
    for (int64_t i = 0; i < k; i++) {
        c = c * (unsigned __int128)(n - i) / (unsigned __int128)(i + 1);
        if (c > INT64_MAX) return too_big("comb");
    }
    return val_int((int64_t)c);
}

static Value *m_perm(Value *self, const CallArgs *a) {
    if (!arg_count("perm", a, 1, 2)) return NULL;
    if (a->nargs == 1 || a->args[1]->kind == VK_NONE) {
        int64_t n;
        return index_arg(a->args[0], &n) ? factorial_of(n) : NULL;
    }
    int64_t n, k;
    if (!comb_args("perm", a->args[0], a->args[1], &n, &k)) return NULL;
    if (k > n) return val_int(0);
    int64_t p = 1;
    for (int64_t i = 0; i < k; i++)
        if (__builtin_mul_overflow(p, n - i, &p)) return too_big("perm");
    return val_int(p);
}

static uint64_t gcd_u(uint64_t x, uint64_t y) {
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    return x;
}

/* gcd and lcm fold the magnitudes of their arguments (|INT64_MIN| is a
 * magnitude too: gcd(-2**63, 6) is 2) */
static Value *gcd_lcm(const char *fn, const CallArgs *a, bool lcm) {
    if (!no_keywords(fn, a)) return NULL;
    uint64_t r = lcm ? 1 : 0;
    for (int i = 0; i < a->nargs; i++) {
        int64_t v;
        if (!index_arg(a->args[i], &v)) return NULL;
        uint64_t x = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        if (i == 0) r = x;
        else if (!lcm) r = gcd_u(r, x);
        else if (!r || !x) r = 0;
        else if (__builtin_mul_overflow(r / gcd_u(r, x), x, &r)) return too_big(fn);
    }
    return r > INT64_MAX ? too_big(fn) : val_int((int64_t)r);
}

static Value *m_gcd(Value *self, const CallArgs *a) { return gcd_lcm("gcd", a, false); }
static Value *m_lcm(Value *self, const CallArgs *a) { return gcd_lcm("lcm", a, true); }

static Value *m_isqrt(Value *self, const CallArgs *a) {
    int64_t n;
    if (!one_arg("isqrt", a) || !index_arg(a->args[0], &n)) return NULL;
    if (n < 0) {
        tsr_raise(ERR_ValueError, "%s", "isqrt() argument must be nonnegative");
        return NULL;
    }
    uint64_t r = (uint64_t)sqrt((double)n); /* within one of the answer */
    while (r * r > (uint64_t)n) r--;
    while ((r + 1) * (r + 1) <= (uint64_t)n) r++;
    return val_int((int64_t)r);
}

/* ---- over iterables and varargs */

static Value *m_fsum(Value *self, const CallArgs *a) {
    if (!one_arg("fsum", a)) return NULL;
    Value *items = iterate_to_list(a->args[0]);
    if (!items) return NULL;
    double r;
    bool ok = math_fsum(items->seq.items, items->seq.len, &r);
    val_release(items);
    return ok ? val_float(r) : NULL;
}

static Value *m_prod(Value *self, const CallArgs *a) {
    static const char *const names[] = {"iterable", "start"};
    Value *v[2] = {0};
    if (!math_parse_clinic("prod", a, names, 2, 1, 1, 1, v)) return NULL;
    Value *one = v[1] ? NULL : val_int(1);
    Value *r = fold_op(B_MUL, v[0], v[1] ? v[1] : one);
    val_release(one);
    return r;
}

/* hypot(*coordinates) */
static Value *m_hypot(Value *self, const CallArgs *a) {
    if (!no_keywords("hypot", a)) return NULL;
    double small[16], *x = a->nargs <= 16 ? small : tsr_malloc(sizeof(double) * (size_t)a->nargs);
    if (!x) return NULL;
    bool ok = true;
    for (int i = 0; ok && i < a->nargs; i++) ok = math_real_arg(a->args[i], &x[i]);
    double r = ok ? math_vector_norm(x, a->nargs) : 0;
    if (x != small) free(x);
    return ok ? val_float(r) : NULL;
}

static Value *m_dist(Value *self, const CallArgs *a) {
    if (!arg_count("dist", a, 2, 2)) return NULL;
    Value *p = iterate_to_list(a->args[0]);
    Value *q = p ? iterate_to_list(a->args[1]) : NULL;
    double *d = NULL;
    bool ok = q != NULL;
    if (ok && p->seq.len != q->seq.len) {
        tsr_raise(ERR_ValueError, "%s", "both points must have the same number of dimensions");
        ok = false;
    }
    if (ok) ok = (d = tsr_malloc(sizeof(double) * (size_t)(p->seq.len + 1))) != NULL;
    for (int64_t i = 0; ok && i < p->seq.len; i++) {
        double px, qx;
        ok = math_real_arg(p->seq.items[i], &px) && math_real_arg(q->seq.items[i], &qx);
        if (ok) d[i] = px - qx;
    }
    double r = ok ? math_vector_norm(d, p->seq.len) : 0;
    free(d);
    val_release(p);
    val_release(q);
    return ok ? val_float(r) : NULL;
}

static const Builtin math_functions[] = {
    {"acos", m_acos},           {"acosh", m_acosh},         {"asin", m_asin},
    {"asinh", m_asinh},         {"atan", m_atan},           {"atan2", m_atan2_fn},
    {"atanh", m_atanh},         {"cbrt", m_cbrt},           {"ceil", m_ceil},
    {"comb", m_comb},           {"copysign", m_copysign},   {"cos", m_cos},
    {"cosh", m_cosh},           {"degrees", m_degrees},     {"dist", m_dist},
    {"erf", m_erf},             {"erfc", m_erfc},           {"exp", m_exp},
    {"exp2", m_exp2},           {"expm1", m_expm1},         {"fabs", m_fabs},
    {"factorial", m_factorial}, {"floor", m_floor},         {"fmod", m_fmod},
    {"frexp", m_frexp},         {"fsum", m_fsum},           {"gamma", m_gamma},
    {"gcd", m_gcd},             {"hypot", m_hypot},         {"isclose", m_isclose},
    {"isfinite", m_isfinite},   {"isinf", m_isinf},         {"isnan", m_isnan},
    {"isqrt", m_isqrt},         {"lcm", m_lcm},             {"ldexp", m_ldexp},
    {"lgamma", m_lgamma},       {"log", m_log_fn},          {"log1p", m_log1p},
    {"log10", m_log10_fn},      {"log2", m_log2_fn},        {"modf", m_modf},
    {"nextafter", m_nextafter}, {"perm", m_perm},           {"pow", m_pow},
    {"prod", m_prod},           {"radians", m_radians},     {"remainder", m_remainder_fn},
    {"sin", m_sin},             {"sinh", m_sinh},           {"sqrt", m_sqrt},
    {"tan", m_tan},             {"tanh", m_tanh},           {"trunc", m_trunc},
    {"ulp", m_ulp},             {NULL, NULL},
};

static bool set_float(Value *module, const char *name, double x) {
    Value *v = val_float(x);
    bool ok = v && dict_set(module->module.members, name, v);
    val_release(v);
    return ok;
}

bool stdlib_math_open(Value *module) {
    return module_install(module, math_functions) && set_float(module, "pi", M_PI) &&
           set_float(module, "e", M_E) && set_float(module, "tau", 2 * M_PI) &&
           set_float(module, "inf", INFINITY) && set_float(module, "nan", NAN);
}
