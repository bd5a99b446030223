/* numpy_distributions.h: numpy 1.24's distributions over either bit
 * source: Generator's (PCG64, ziggurat normals and exponentials) or the
 * legacy RandomState's (MT19937, polar Box-Muller gauss, -log(1 - U)).
 * random/src/distributions/distributions.c and legacy/legacy-
 * distributions.c share most algorithms; where RandomState kept older
 * formulas (pareto, power, rayleigh, beta's Johnk test, binomial without
 * the n == 0 / p == 0 shortcut, geometric's inversion) `legacy` picks
 * them. The parameters are checked by the caller; nothing here allocates
 * or raises. */
#ifndef TSR_NUMPY_DISTRIBUTIONS_H
#define TSR_NUMPY_DISTRIBUTIONS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct NpSource {
    void *state;
    double (*next_double)(void *state);
    double (*normal)(void *state);
    double (*exponential)(void *state);
    bool legacy;
} NpSource;

double npdist_standard_gamma(const NpSource *s, double shape);
double npdist_beta(const NpSource *s, double a, double b);
double npdist_standard_t(const NpSource *s, double df);
double npdist_pareto(const NpSource *s, double a);
double npdist_weibull(const NpSource *s, double a);
double npdist_power(const NpSource *s, double a);
double npdist_rayleigh(const NpSource *s, double mode);
double npdist_laplace(const NpSource *s, double loc, double scale);
double npdist_gumbel(const NpSource *s, double loc, double scale);
double npdist_logistic(const NpSource *s, double loc, double scale);
double npdist_wald(const NpSource *s, double mean, double scale);
double npdist_triangular(const NpSource *s, double left, double mode, double right);
int64_t npdist_poisson(const NpSource *s, double lam);
int64_t npdist_binomial(const NpSource *s, double p, int64_t n);
int64_t npdist_geometric(const NpSource *s, double p);

#endif
