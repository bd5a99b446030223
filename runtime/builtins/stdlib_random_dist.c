/* stdlib_random_dist.c: random's real-valued distributions, the formulas
 * of CPython 3.11's random.py in the same order of draws and operations. */
#include <math.h>

#include "builtins.h"
#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"
#include "stdlib_random.h"

#define TWOPI (2.0 * M_PI)

/* a / b as Python's float division */
static bool py_fdiv(double a, double b, double *out) {
    if (b == 0) {
        tsr_raise(ERR_ZeroDivisionError, "%s", "float division by zero");
        return false;
    }
    *out = a / b;
    return true;
}

/* x % y as Python's float modulo */
static double fmod_py(double x, double y) {
    double m = fmod(x, y);
    if (m) {
        if ((y < 0) != (m < 0)) m += y;
    } else {
        m = copysign(0.0, y);
    }
    return m;
}

/* x + d * t with Python's operators: exact for ints and floats, and
 * tensors work as in Python */
static Value *add_scaled(Value *x, Value *d, double t) {
    Value *tv = val_float(t);
    Value *m = tv ? binary_op(B_MUL, d, tv) : NULL;
    Value *r = m ? binary_op(B_ADD, x, m) : NULL;
    val_release(tv), val_release(m);
    return r;
}

/* mu + z * sigma with Python's operators; mu and sigma default to 0.0
 * and 1.0 */
static Value *scale(Value *mu, double z, Value *sigma) {
    Value *zero = mu ? NULL : val_float(0.0), *one = sigma ? NULL : val_float(1.0);
    Value *m = mu ? mu : zero, *s = sigma ? sigma : one;
    Value *r = m && s ? add_scaled(m, s, z) : NULL;
    val_release(zero), val_release(one);
    return r;
}

/* a + (b - a) * random(): b - a first, so a type error draws nothing */
static Value *r_uniform(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.uniform", "a, b");
    Value *d = binary_op(B_SUB, v_[1], v_[0]);
    Value *r = d ? add_scaled(v_[0], d, pyrandom_double()) : NULL;
    val_release(d);
    return r;
}

static Value *r_triangular(Value *self, const CallArgs *a) {
    ARGS(3);
    RANDOM_PARSE("Random.triangular", "low=, high=, mode=");
    Value *dlow = v_[0] ? NULL : val_float(0.0), *dhigh = v_[1] ? NULL : val_float(1.0);
    Value *low = v_[0] ? v_[0] : dlow, *high = v_[1] ? v_[1] : dhigh;
    Value *r = NULL;
    double u = pyrandom_double(), c = 0.5, lo, hi, mode;
    if (!low || !high || !val_as_double(low, &lo) || !val_as_double(high, &hi)) goto done;
    if (!is_none(v_[2])) {
        if (!val_as_double(v_[2], &mode)) goto done;
        if (hi - lo == 0) { /* ZeroDivisionError: low itself */
            r = val_retain(low);
            goto done;
        }
        c = (mode - lo) / (hi - lo);
    }
    if (u > c) {
        u = 1.0 - u;
        c = 1.0 - c;
        Value *t = low;
        low = high, high = t;
    }
    Value *d = binary_op(B_SUB, high, low);
    r = d ? add_scaled(low, d, sqrt(u * c)) : NULL;
    val_release(d);
done:
    val_release(dlow), val_release(dhigh);
    return r;
}

static double normal_z(void) {
    const double nv_magic = 4 * exp(-0.5) / sqrt(2.0);
    for (;;) {
        double u1 = pyrandom_double(), u2 = 1.0 - pyrandom_double();
        double z = nv_magic * (u1 - 0.5) / u2;
        if (z * z / 4.0 <= -log(u2)) return z;
    }
}

static Value *r_normalvariate(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.normalvariate", "mu=, sigma=");
    return scale(v_[0], normal_z(), v_[1]);
}

static Value *r_lognormvariate(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.lognormvariate", "mu, sigma");
    Value *n = scale(v_[0], normal_z(), v_[1]);
    double x;
    bool ok = n && val_as_double(n, &x);
    val_release(n);
    if (!ok) return NULL;
    if (isinf(exp(x)) && isfinite(x)) {
        tsr_raise(ERR_OverflowError, "%s", "math range error");
        return NULL;
    }
    return val_float(exp(x));
}

static Value *r_gauss(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.gauss", "mu=, sigma=");
    PyRandom *g = pyrandom();
    double z = g->gauss_next;
    bool had = g->has_gauss;
    g->has_gauss = false;
    if (!had) {
        double x2pi = pyrandom_double() * TWOPI;
        double g2rad = sqrt(-2.0 * log(1.0 - pyrandom_double()));
        z = cos(x2pi) * g2rad;
        g->gauss_next = sin(x2pi) * g2rad;
        g->has_gauss = true;
    }
    return scale(v_[0], z, v_[1]);
}

static Value *r_expovariate(Value *self, const CallArgs *a) {
    ARGS(1);
    RANDOM_PARSE("Random.expovariate", "lambd");
    Value *x = val_float(-log(1.0 - pyrandom_double()));
    Value *r = x ? binary_op(B_DIV, x, v_[0]) : NULL;
    val_release(x);
    return r;
}

static Value *r_vonmisesvariate(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.vonmisesvariate", "mu, kappa");
    double mu, kappa;
    if (!val_as_double(v_[0], &mu) || !val_as_double(v_[1], &kappa)) return NULL;
    if (kappa <= 1e-6) return val_float(TWOPI * pyrandom_double());
    double s = 0.5 / kappa, r = s + sqrt(1.0 + s * s), z;
    for (;;) {
        double u1 = pyrandom_double();
        z = cos(M_PI * u1);
        double d = z / (r + z), u2 = pyrandom_double();
        if (u2 < 1.0 - d * d || u2 <= (1.0 - d) * exp(d)) break;
    }
    double q = 1.0 / r, f = (q + z) / (1.0 + q * z), u3 = pyrandom_double();
    return val_float(u3 > 0.5 ? fmod_py(mu + acos(f), TWOPI) : fmod_py(mu - acos(f), TWOPI));
}

static bool gamma_draw(double alpha, double beta, double *out) {
    if (alpha <= 0.0 || beta <= 0.0) {
        tsr_raise(ERR_ValueError, "%s", "gammavariate: alpha and beta must be > 0.0");
        return false;
    }
    if (alpha > 1.0) {
        const double log4 = log(4.0), sg_magic = 1.0 + log(4.5);
        double ainv = sqrt(2.0 * alpha - 1.0), bbb = alpha - log4, ccc = alpha + ainv;
        for (;;) {
            double u1 = pyrandom_double();
            if (!(1e-7 < u1 && u1 < 0.9999999)) continue;
            double u2 = 1.0 - pyrandom_double();
            double v = log(u1 / (1.0 - u1)) / ainv, x = alpha * exp(v);
            double z = u1 * u1 * u2, r = bbb + ccc * v - x;
            if (r + sg_magic - 4.5 * z >= 0.0 || r >= log(z)) {
                *out = x * beta;
                return true;
            }
        }
    }
    if (alpha == 1.0) {
        *out = -log(1.0 - pyrandom_double()) * beta;
        return true;
    }
    double x;
    for (;;) {
        double u = pyrandom_double(), b = (M_E + alpha) / M_E, p = b * u;
        x = p <= 1.0 ? pow(p, 1.0 / alpha) : -log((b - p) / alpha);
        double u1 = pyrandom_double();
        if (p > 1.0 ? u1 <= pow(x, alpha - 1.0) : u1 <= exp(-x)) break;
    }
    *out = x * beta;
    return true;
}

static Value *r_gammavariate(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.gammavariate", "alpha, beta");
    double alpha, beta, x;
    if (!val_as_double(v_[0], &alpha) || !val_as_double(v_[1], &beta) || !gamma_draw(alpha, beta, &x))
        return NULL;
    return val_float(x);
}

static Value *r_betavariate(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.betavariate", "alpha, beta");
    double alpha, beta, y, y2;
    if (!val_as_double(v_[0], &alpha) || !val_as_double(v_[1], &beta) || !gamma_draw(alpha, 1.0, &y))
        return NULL;
    if (!y) return val_float(0.0);
    if (!gamma_draw(beta, 1.0, &y2)) return NULL;
    return val_float(y / (y + y2));
}

static Value *r_paretovariate(Value *self, const CallArgs *a) {
    ARGS(1);
    RANDOM_PARSE("Random.paretovariate", "alpha");
    double alpha, e, u = 1.0 - pyrandom_double();
    if (!val_as_double(v_[0], &alpha) || !py_fdiv(-1.0, alpha, &e)) return NULL;
    return val_float(pow(u, e));
}

static Value *r_weibullvariate(Value *self, const CallArgs *a) {
    ARGS(2);
    RANDOM_PARSE("Random.weibullvariate", "alpha, beta");
    double alpha, beta, e, u = 1.0 - pyrandom_double();
    if (!val_as_double(v_[0], &alpha) || !val_as_double(v_[1], &beta) || !py_fdiv(1.0, beta, &e)) return NULL;
    return val_float(alpha * pow(-log(u), e));
}

const Builtin random_dist_functions[] = {
    {"uniform", r_uniform},
    {"triangular", r_triangular},
    {"normalvariate", r_normalvariate},
    {"lognormvariate", r_lognormvariate},
    {"gauss", r_gauss},
    {"expovariate", r_expovariate},
    {"vonmisesvariate", r_vonmisesvariate},
    {"gammavariate", r_gammavariate},
    {"betavariate", r_betavariate},
    {"paretovariate", r_paretovariate},
    {"weibullvariate", r_weibullvariate},
    {NULL, NULL},
};
