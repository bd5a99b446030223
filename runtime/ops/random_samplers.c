/* random_samplers.c: PyTorch 1.13's samplers drawn one element at a time
 * from the CPU generator (declared in ops.h): Tensor.cauchy_,
 * log_normal_ and geometric_, torch.poisson and torch.binomial.
 *
 * Each element takes ATen's draws in ATen's order (cpu_serial_kernel), so
 * after torch.manual_seed the values match bit for bit. A CUDA tensor is
 * filled on the host from the CPU generator and copied back (PyTorch's
 * GPU draws come from Philox: those numbers differ, the checks do not).
 */
#include <math.h>
#include <stdlib.h>

#include "autograd.h"
#include "error.h"
#include "layout.h"
#include "ops.h"
#include "random.h"

/* ------------------------------------------------------ the draws --- */

/* at::cauchy_distribution<double>: median + sigma * tan(pi * (u - 0.5)),
 * the multiply-add fused as ATen's AVX2 build compiles it */
static double draw_cauchy(RngGen *g, const double *a)
{
    double u = rng_uniform_double(g, 0, 1);
    return fma(a[1], tan(M_PI * (u - 0.5)), a[0]);
}

/* at::lognormal_distribution<double>: exp of a cached Box-Muller normal */
static double draw_log_normal(RngGen *g, const double *a)
{
    return exp(rng_normal_double(g, a[0], a[1]));
}

/* at::geometric_distribution<double>: ceil(log(u) / log1p(-p)) */
static double draw_geometric(RngGen *g, const double *a)
{
    double u = rng_uniform_double(g, 0, 1);
    return ceil(log(u) / log1p(-a[0]));
}

/* Numpy's Poisson sampler as ATen's sample_poisson adapts it: Hoermann's
 * transformed rejection (PTRS) from rate 10 on, multiplication of
 * uniforms below. A rate that is not finite would loop forever in
 * PyTorch; here it gives NaN. */
static double sample_poisson(double lambda, RngGen *g)
{
    if (lambda == 0)
        return 0;
    if (!isfinite(lambda))
        return NAN;
    if (lambda < 10) {
        double enlam = exp(-lambda), prod = 1.0;
        int64_t x = 0;
        for (;;) {
            prod *= rng_uniform_double(g, 0, 1);
            if (!(prod > enlam))
                return (double)x;
            x++;
        }
    }
    double slam = sqrt(lambda), loglam = log(lambda);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = rng_uniform_double(g, 0, 1) - 0.5;
        double v = rng_uniform_double(g, 0, 1);
        double us = 0.5 - fabs(u);
        int64_t k = (int64_t)floor((2 * a / us + b) * u + lambda + 0.43);
        if (us >= 0.07 && v <= vr)
            return (double)k;
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <= -lambda + (double)k * loglam - lgamma((double)k + 1))
            return (double)k;
    }
}

/* ATen's stirling_approx_tail: the error of Stirling's formula for k! */
static double stirling_tail(double k)
{
    static const double tail[] = {0.0810614667953272,  0.0413406959554092,  0.0276779256849983,
                                  0.02079067210376509, 0.0166446911898211,  0.0138761288230707,
                                  0.0118967099458917,  0.0104112652619720,  0.00925546218271273,
                                  0.00833056343336287};
    if (k <= 9)
        return tail[(size_t)k];
    double kp1sq = (k + 1) * (k + 1);
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1);
}

/* The binomial samplers compute in the input's type where ATen's
 * templates do (scalar_t: float for float32 input; flt says so) and in
 * double elsewhere. R rounds a product of scalar_t operands. */
#define R(x) (flt ? (double)(float)(x) : (x))

/* Sum of geometric waiting times until they pass count. */
static double binomial_inversion(double count, double prob, bool flt, RngGen *g)
{
    double logprob = R(log1p(-prob)), geom_sum = 0, num = 0;
    for (;;) {
        double u = rng_uniform_double(g, 0, 1);
        geom_sum += ceil(log(u) / logprob);
        if (geom_sum > count)
            return num;
        num = num + 1;
    }
}

/* Hoermann's BTRS (transformed rejection with squeeze), as ATen adapts
 * TensorFlow's. */
static double binomial_btrs(double count, double prob, bool flt, RngGen *g)
{
    double stddev = R(sqrt(R(R(count * prob) * R(1 - prob))));
    double b = 1.15 + 2.53 * stddev;
    double a = -0.0873 + 0.0248 * b + 0.01 * prob;
    double c = R(count * prob) + 0.5;
    double v_r = 0.92 - 4.2 / b;
    double r = R(prob / R(1 - prob));
    double alpha = (2.83 + 5.1 / b) * stddev;
    double m = floor(R(R(count + 1) * prob));
    for (;;) {
        double u = rng_uniform_double(g, 0, 1) - 0.5;
        double v = rng_uniform_double(g, 0, 1);
        double us = 0.5 - fabs(u);
        double k = R(floor((2 * a / us + b) * u + c));
        if (k < 0 || k > count)
            continue;
        if (us >= 0.07 && v <= v_r)
            return k;
        v = log(v * alpha / (a / (us * us) + b));
        double ub = (m + 0.5) * log((m + 1) / (r * (count - m + 1))) +
                    (count + 1) * log((count - m + 1) / R(R(count - k) + 1)) +
                    (k + 0.5) * log(r * R(R(count - k) + 1) / R(k + 1)) + stirling_tail(m) +
                    stirling_tail(count - m) - stirling_tail(k) - stirling_tail(R(count - k));
        if (v <= ub)
            return k;
    }
}

static double sample_binomial(double count, double prob, bool flt, RngGen *g)
{
    if (count <= 0.0 || prob <= 0.0)
        return 0;
    if (prob >= 1.0)
        return count;
    if (!isfinite(count)) /* PyTorch loops forever */
        return NAN;
    if (prob <= 0.5)
        return R(count * prob) >= 10.0 ? binomial_btrs(count, prob, flt, g)
                                       : binomial_inversion(count, prob, flt, g);
    if (prob > 0.5) {
        double q = R(1.0 - prob);
        return R(count - (R(count * q) >= 10.0 ? binomial_btrs(count, q, flt, g)
                                               : binomial_inversion(count, q, flt, g)));
    }
    return NAN; /* prob is NaN */
}

#undef R

/* ------------------------------------------------- in-place fills --- */

/* Runs fill on t where it lives: a CUDA tensor through a host copy. */
static bool fill_on_host(Tensor *t, double (*draw)(RngGen *, const double *), const double *args, RngGen *g)
{
    if (!tensor_is_cuda(t)) return rng_fill_each_(t, draw, args, g);
    /* a host tensor with t's strides, so the draws land where the CPU's would */
    Tensor *h = layout_empty_like(t, t->dtype, device_cpu());
    if (!h)
        return false;
    bool ok = rng_fill_each_(h, draw, args, g) && tensor_copy_(t, h);
    tensor_release(h);
    return ok;
}

static const char *const sampler_names[] = {"cauchy_cpu", "log_normal_cpu", "geometric_cpu"};
static double (*const sampler_draws[])(RngGen *, const double *) = {draw_cauchy, draw_log_normal, draw_geometric};
static const GradNodeKind sampler_nodes[] = {NODE_CauchyBackward0, NODE_LogNormalBackward0, NODE_GeometricBackward0};

Tensor *op_random_sampler_(Tensor *t, RandomSampler which, double a, double b, RngGen *g)
{
    if (which == SAMPLER_LOG_NORMAL && !(b > 0.0)) {
        tsr_raise(ERR_RuntimeError, "log_normal_ expects std > 0.0, but found std=%g", b);
        return NULL;
    }
    if (which == SAMPLER_GEOMETRIC && !(a > 0 && a < 1)) {
        tsr_raise(ERR_RuntimeError, "geometric_ expects p to be in (0, 1), but got p=%g", a);
        return NULL;
    }
    bool ints_too = which == SAMPLER_GEOMETRIC;
    if (t->dtype == DT_BOOL || dtype_is_complex(t->dtype) || (!ints_too && !dtype_is_float(t->dtype))) {
        tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", sampler_names[which],
                  dtype_scalar_name(t->dtype));
        return NULL;
    }
    bool rg = ag_requires_grad(t);
    if (!ag_check_inplace(t, rg))
        return NULL;
    double args[2] = {a, b};
    if (!fill_on_host(t, sampler_draws[which], args, g))
        return NULL;
    t->storage->version++;
    if (rg && (!ag_record(t, sampler_nodes[which], &t, 1) || !ag_rebase_view(t)))
        return NULL;
    return tensor_retain(t);
}

/* ---------------------------------------------------- new tensors --- */

/* The input on the host, contiguous: the order PyTorch's iterator walks
 * it (its output is a new contiguous tensor). */
static Tensor *host_contiguous(Tensor *x)
{
    Tensor *h = tensor_is_cuda(x) ? op_to(x, x->dtype, device_cpu(), false) : tensor_retain(x);
    if (!h)
        return NULL;
    Tensor *c = tensor_contiguous(h);
    tensor_release(h);
    return c;
}

/* out (CPU, contiguous, stolen) moved to dev. */
static Tensor *to_device(Tensor *out, Device dev)
{
    if (!out || dev.type != DEV_CUDA)
        return out;
    Tensor *d = op_to(out, out->dtype, dev, false);
    tensor_release(out);
    return d;
}

Tensor *op_poisson(Tensor *rates, RngGen *g)
{
    if (!dtype_is_float(rates->dtype) || rates->dtype == DT_FLOAT16) {
        tsr_raise(ERR_RuntimeError, "\"poisson_cpu\" not implemented for '%s'", dtype_scalar_name(rates->dtype));
        return NULL;
    }
    Tensor *in = host_contiguous(rates);
    Tensor *out = in ? tensor_empty(rates->dtype, rates->ndim, rates->shape, device_cpu()) : NULL;
    if (!out) {
        tensor_release(in);
        return NULL;
    }
    int64_t n = tensor_numel(in);
    for (int64_t i = 0; i < n; i++) {
        double lambda = tensor_get_f64(in, i);
        if (!(lambda >= 0)) {
            tensor_release(in);
            tensor_release(out);
            tsr_raise(ERR_RuntimeError, "invalid Poisson rate, expected rate to be non-negative");
            return NULL;
        }
        dtype_store_f64(out->dtype, (char *)tensor_data(out) + i * (int64_t)dtype_size(out->dtype),
                        sample_poisson(lambda, g));
    }
    tensor_release(in);
    out = to_device(out, rates->storage->device);
    if (!out || !ag_requires_grad(rates))
        return out;
    return ag_record_steal(out, NODE_PoissonBackward0, &rates, 1, NULL, 0, NULL, 0);
}

Tensor *op_binomial(Tensor *count, Tensor *prob, RngGen *g)
{
    if (prob->dtype != count->dtype) {
        tsr_raise(ERR_RuntimeError, "Found dtype %s but expected %s", dtype_scalar_name(prob->dtype),
                  dtype_scalar_name(count->dtype));
        return NULL;
    }
    if (count->dtype != DT_FLOAT32 && count->dtype != DT_FLOAT64) {
        tsr_raise(ERR_RuntimeError, "\"binomial_cpu\" not implemented for '%s'", dtype_scalar_name(count->dtype));
        return NULL;
    }
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(count->ndim, count->shape, prob->ndim, prob->shape, shape);
    if (nd < 0)
        return NULL;
    Tensor *ce = op_expand(count, nd, shape), *pe = ce ? op_expand(prob, nd, shape) : NULL;
    Tensor *c = pe ? host_contiguous(ce) : NULL, *p = c ? host_contiguous(pe) : NULL;
    tensor_release(ce);
    tensor_release(pe);
    Tensor *out = p ? tensor_empty(count->dtype, nd, shape, device_cpu()) : NULL;
    if (!out) {
        tensor_release(c);
        tensor_release(p);
        return NULL;
    }
    /* float32 computes in float where ATen's scalar_t is float */
    bool flt = count->dtype == DT_FLOAT32;
    int64_t n = tensor_numel(out);
    for (int64_t i = 0; i < n; i++)
        dtype_store_f64(out->dtype, (char *)tensor_data(out) + i * (int64_t)dtype_size(out->dtype),
                        sample_binomial(tensor_get_f64(c, i), tensor_get_f64(p, i), flt, g));
    tensor_release(c);
    tensor_release(p);
    out = to_device(out, count->storage->device);
    Tensor *ins[2] = {count, prob};
    if (!out || !ag_any_requires_grad(ins, 2))
        return out;
    GradNode *node = ag_record(out, NODE_NotImplemented, ins, 2);
    if (!node || !(node->ctx = tsr_strndup("binomial", 8))) {
        tensor_release(out);
        return NULL;
    }
    return out;
}
