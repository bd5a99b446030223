/* numpy_distributions.c: numpy's distributions (see the header): the
 * same draws in the same order, so seeded programs print numpy's
 * numbers. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "numpy_distributions.h"

double npdist_standard_gamma(const NpSource *g, double shape)
{
    if (shape == 1.0) return g->exponential(g->state);
    if (shape == 0.0) return 0.0;
    if (shape < 1.0) {
        for (;;) {
            double U = g->next_double(g->state), V = g->exponential(g->state);
            if (U <= 1.0 - shape) {
                double X = pow(U, 1. / shape);
                if (X <= V) return X;
            } else {
                double Y = -log((1 - U) / shape);
                double X = pow(1.0 - shape + shape * Y, 1. / shape);
                if (X <= (V + Y)) return X;
            }
        }
    }
    double b = shape - 1. / 3., c = 1. / sqrt(9 * b);
    for (;;) {
        double X, V;
        do {
            X = g->normal(g->state);
            V = 1.0 + c * X;
        } while (V <= 0.0);
        V = V * V * V;
        double U = g->next_double(g->state);
        if (U < 1.0 - 0.0331 * (X * X) * (X * X)) return b * V;
        if (log(U) < 0.5 * X * X + b * (1. - V + log(V))) return b * V;
    }
}

double npdist_beta(const NpSource *g, double a, double b)
{
    if (a <= 1.0 && b <= 1.0) {
        /* Johnk's algorithm */
        for (;;) {
            double U = g->next_double(g->state), V = g->next_double(g->state);
            double X = pow(U, 1.0 / a), Y = pow(V, 1.0 / b), XpY = X + Y;
            /* RandomState's Johnk lacks the XpY > 0 test */
            if (XpY <= 1.0 && (g->legacy || XpY > 0.0)) {
                if (X + Y > 0) return X / XpY;
                double logX = log(U) / a, logY = log(V) / b;
                double logM = logX > logY ? logX : logY;
                logX -= logM;
                logY -= logM;
                return exp(logX - log(exp(logX) + exp(logY)));
            }
        }
    }
    double Ga = npdist_standard_gamma(g, a), Gb = npdist_standard_gamma(g, b);
    return Ga / (Ga + Gb);
}

double npdist_standard_t(const NpSource *g, double df)
{
    double num = g->normal(g->state), denom = npdist_standard_gamma(g, df / 2);
    return sqrt(df / 2) * num / sqrt(denom);
}

double npdist_laplace(const NpSource *g, double loc, double scale)
{
    for (;;) { /* U == 0 is drawn again */
        double U = g->next_double(g->state);
        if (U >= 0.5) return loc - scale * log(2.0 - U - U);
        if (U > 0.0) return loc + scale * log(U + U);
    }
}

double npdist_gumbel(const NpSource *g, double loc, double scale)
{
    for (;;) {
        double U = 1.0 - g->next_double(g->state);
        if (U < 1.0) return loc - scale * log(-log(U));
    }
}

double npdist_logistic(const NpSource *g, double loc, double scale)
{
    for (;;) {
        double U = g->next_double(g->state);
        if (U > 0.0) return loc + scale * log(U / (1.0 - U));
    }
}

double npdist_wald(const NpSource *g, double mean, double scale)
{
    double mu_2l = mean / (2 * scale);
    double Y = g->normal(g->state);
    Y = mean * Y * Y;
    double X = mean + mu_2l * (Y - sqrt(4 * scale * Y + Y * Y));
    double U = g->next_double(g->state);
    return U <= mean / (mean + X) ? X : mean * mean / X;
}

double npdist_triangular(const NpSource *g, double left, double mode, double right)
{
    double base = right - left, leftbase = mode - left, ratio = leftbase / base;
    double leftprod = leftbase * base, rightprod = (right - mode) * base;
    double U = g->next_double(g->state);
    if (U <= ratio) return left + sqrt(U * leftprod);
    return right - sqrt((1.0 - U) * rightprod);
}

/* (int64_t)x as numpy's x86 build computes it: out of range and NaN give
 * INT64_MIN (cvttsd2si), where C leaves the cast undefined */
static int64_t to_i64(double x)
{
    return x >= -9223372036854775808.0 && x < 9223372036854775808.0 ? (int64_t)x : INT64_MIN;
}

/* random_loggam */
static double loggam(double x)
{
    static const double a[10] = {8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
                                 -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
                                 6.410256410256410e-03,  -2.955065359477124e-02, 1.796443723688307e-01,
                                 -1.39243221690590e+00};
    if (x == 1.0 || x == 2.0) return 0.0;
    int64_t n = x < 7.0 ? (int64_t)(7 - x) : 0;
    double x0 = x + (double)n, x2 = (1.0 / x0) * (1.0 / x0);
    double gl0 = a[9];
    for (int k = 8; k >= 0; k--) {
        gl0 *= x2;
        gl0 += a[k];
    }
    double gl = gl0 / x0 + 0.5 * 1.8378770664093453e+00 + (x0 - 0.5) * log(x0) - x0;
    if (x < 7.0)
        for (int64_t k = 1; k <= n; k++) {
            gl -= log(x0 - 1.0);
            x0 -= 1.0;
        }
    return gl;
}

static int64_t poisson_mult(const NpSource *g, double lam)
{
    double enlam = exp(-lam), prod = 1.0;
    int64_t X = 0;
    for (;;) {
        prod *= g->next_double(g->state);
        if (prod > enlam) X += 1;
        else return X;
    }
}

/* Hoermann's transformed rejection (PTRS) */
static int64_t poisson_ptrs(const NpSource *g, double lam)
{
    double slam = sqrt(lam), loglam = log(lam);
    double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double U = g->next_double(g->state) - 0.5, V = g->next_double(g->state);
        double us = 0.5 - fabs(U);
        int64_t k = to_i64(floor((2 * a / us + b) * U + lam + 0.43));
        if (us >= 0.07 && V <= vr) return k;
        if (k < 0 || (us < 0.013 && V > us)) continue;
        if (log(V) + log(invalpha) - log(a / (us * us) + b) <= -lam + (double)k * loglam - loggam((double)k + 1))
            return k;
    }
}

int64_t npdist_poisson(const NpSource *g, double lam)
{
    if (lam >= 10) return poisson_ptrs(g, lam);
    if (lam == 0) return 0;
    return poisson_mult(g, lam);
}

/* BTPE's Step50/Step52: does v accept y? */
static bool btpe_accept(int64_t y, int64_t m, int64_t n, double r, double q, double nrq, double v, double xm)
{
    int64_t k = llabs(y - m);
    if (!(k > 20 && (double)k < nrq / 2.0 - 1)) {
        double s = r / q, a = s * (double)(n + 1), F = 1.0;
        if (m < y)
            for (int64_t i = m + 1; i <= y; i++) F *= (a / (double)i - s);
        else if (m > y)
            for (int64_t i = y + 1; i <= m; i++) F /= (a / (double)i - s);
        return v <= F;
    }
    double kd = (double)k;
    double rho = (kd / nrq) * ((kd * (kd / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    double t = -kd * kd / (2 * nrq);
    double A = log(v);
    if (A < t - rho) return true;
    if (A > t + rho) return false;
    double x1 = (double)y + 1, f1 = (double)m + 1, z = (double)(n + 1 - m), w = (double)(n - y + 1);
    double x2 = x1 * x1, f2 = f1 * f1, z2 = z * z, w2 = w * w;
    return !(A > (xm * log(f1 / x1) + ((double)(n - m) + 0.5) * log(z / w) + (double)(y - m) * log(w * r / (x1 * q)) +
                  (13680. - (462. - (132. - (99. - 140. / f2) / f2) / f2) / f2) / f1 / 166320. +
                  (13680. - (462. - (132. - (99. - 140. / z2) / z2) / z2) / z2) / z / 166320. +
                  (13680. - (462. - (132. - (99. - 140. / x2) / x2) / x2) / x2) / x1 / 166320. +
                  (13680. - (462. - (132. - (99. - 140. / w2) / w2) / w2) / w2) / w / 166320.));
}

/* Kachitvichyanukul and Schmeiser's BTPE, p <= 0.5 */
static int64_t binomial_btpe(const NpSource *g, int64_t n, double p)
{
    double r = p < 1.0 - p ? p : 1.0 - p, q = 1.0 - r;
    double fm = (double)n * r + r;
    int64_t m = (int64_t)floor(fm);
    double p1 = floor(2.195 * sqrt((double)n * r * q) - 4.6 * q) + 0.5;
    double xm = (double)m + 0.5, xl = xm - p1, xr = xm + p1;
    double c = 0.134 + 20.5 / (15.3 + (double)m);
    double a = (fm - xl) / (fm - xl * r);
    double laml = a * (1.0 + a / 2.0);
    a = (xr - fm) / (xr * q);
    double lamr = a * (1.0 + a / 2.0);
    double p2 = p1 * (1.0 + 2.0 * c), p3 = p2 + c / laml, p4 = p3 + c / lamr;
    double nrq = (double)n * r * q;
    for (;;) {
        double u = g->next_double(g->state) * p4, v = g->next_double(g->state);
        int64_t y;
        if (u <= p1) {
            y = (int64_t)floor(xm - p1 * v + u);
        } else {
            if (u <= p2) {
                double x = xl + (u - p1) / c;
                v = v * c + 1.0 - fabs((double)m - x + 0.5) / p1;
                if (v > 1.0) continue;
                y = (int64_t)floor(x);
            } else if (u <= p3) {
                if (v == 0.0) continue;
                y = to_i64(floor(xl + log(v) / laml));
                if (y < 0) continue;
                v = v * (u - p2) * laml;
            } else {
                if (v == 0.0) continue;
                y = to_i64(floor(xr - log(v) / lamr));
                if (y > n) continue;
                v = v * (u - p3) * lamr;
            }
            if (!btpe_accept(y, m, n, r, q, nrq, v, xm)) continue;
        }
        return p > 0.5 ? n - y : y;
    }
}

static int64_t binomial_inversion(const NpSource *g, int64_t n, double p)
{
    double q = 1.0 - p, qn = exp((double)n * log(q)), np = (double)n * p;
    double bd = np + 10.0 * sqrt(np * q + 1);
    int64_t bound = (int64_t)((double)n < bd ? (double)n : bd);
    int64_t X = 0;
    double px = qn, U = g->next_double(g->state);
    while (U > px) {
        X++;
        if (X > bound) {
            X = 0;
            px = qn;
            U = g->next_double(g->state);
        } else {
            U -= px;
            px = ((double)(n - X + 1) * p * px) / ((double)X * q);
        }
    }
    return X;
}

int64_t npdist_binomial(const NpSource *g, double p, int64_t n)
{
    if (!g->legacy && (n == 0 || p == 0.0)) return 0;
    if (p <= 0.5) return p * (double)n <= 30.0 ? binomial_inversion(g, n, p) : binomial_btpe(g, n, p);
    double q = 1.0 - p;
    return n - (q * (double)n <= 30.0 ? binomial_inversion(g, n, q) : binomial_btpe(g, n, q));
}

int64_t npdist_geometric(const NpSource *g, double p)
{
    if (p >= 0.333333333333333333333333) {
        int64_t X = 1;
        double sum = p, prod = p, q = 1.0 - p, U = g->next_double(g->state);
        while (U > sum) {
            prod *= q;
            sum += prod;
            X++;
        }
        return X;
    }
    if (g->legacy) return to_i64(ceil(log1p(-g->next_double(g->state)) / log(1 - p)));
    return to_i64(ceil(-g->exponential(g->state) / log1p(-p)));
}

double npdist_pareto(const NpSource *g, double a)
{
    double e = g->exponential(g->state);
    return g->legacy ? exp(e / a) - 1 : expm1(e / a);
}

double npdist_weibull(const NpSource *g, double a)
{
    return a == 0.0 ? 0.0 : pow(g->exponential(g->state), 1. / a);
}

double npdist_power(const NpSource *g, double a)
{
    double e = g->exponential(g->state);
    return pow(g->legacy ? 1 - exp(-e) : -expm1(-e), 1. / a);
}

double npdist_rayleigh(const NpSource *g, double mode)
{
    if (g->legacy) return mode * sqrt(-2.0 * log1p(-g->next_double(g->state)));
    return mode * sqrt(2.0 * g->exponential(g->state));
}
