/* random_samplers.c: Tensor.cauchy_, log_normal_, geometric_,
 * torch.poisson and torch.binomial (ops/random_samplers.c). */
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"
#include "random.h"

/* self.NAME_(a=, b=, *, generator=) */
static Value *sampler_(Value *self, const CallArgs *a, RandomSampler which, const char *fn, const char *spec,
                       const char *an, double ad, const char *bn, double bd)
{
    Value *v[3];
    double x, y = 0;
    int nargs = bn ? 2 : 1;
    if (!args_parse(a, 0, fn, spec, v))
        return NULL;
    for (int i = 0; i < nargs; i++) /* PyTorch's parser: "must be float" */
        if (v[i] && v[i]->kind != VK_INT && v[i]->kind != VK_FLOAT && v[i]->kind != VK_BOOL &&
            v[i]->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "%s(): argument '%s' must be float, not %s", fn, i ? bn : an,
                      val_type_name(v[i]));
            return NULL;
        }
    if (!arg_double(v[0], fn, an, ad, &x) || (bn && !arg_double(v[1], fn, bn, bd, &y)))
        return NULL;
    RngGen *g = arg_generator(v[nargs], fn);
    return g ? wrap_tensor(op_random_sampler_(self->tensor, which, x, y, g)) : NULL;
}

static Value *bi_cauchy_(Value *self, const CallArgs *a)
{
    return sampler_(self, a, SAMPLER_CAUCHY, "cauchy_", "median=, sigma=, *, generator=", "median", 0, "sigma", 1);
}

static Value *bi_log_normal_(Value *self, const CallArgs *a)
{
    return sampler_(self, a, SAMPLER_LOG_NORMAL, "log_normal_", "mean=, std=, *, generator=", "mean", 1, "std", 2);
}

static Value *bi_geometric_(Value *self, const CallArgs *a)
{
    bool has_p = a->nargs > 0;
    for (int i = 0; i < a->nkw; i++)
        has_p = has_p || !strcmp(a->kwnames[i], "p");
    if (!has_p) { /* PyTorch's argument parser's wording */
        tsr_raise(ERR_TypeError, "geometric_() missing 1 required positional arguments: \"p\"");
        return NULL;
    }
    return sampler_(self, a, SAMPLER_GEOMETRIC, "geometric_", "p, *, generator=", "p", 0, NULL, 0);
}

/* torch.poisson(input, generator=None) */
static Value *bi_poisson(Value *self, const CallArgs *a)
{
    Value *v[2];
    const char *fn = "poisson";
    if (!args_parse(a, 0, fn, "input, generator=", v))
        return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "input");
    RngGen *g = x ? arg_generator(v[1], fn) : NULL;
    Tensor *r = g ? op_poisson(x, g) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

/* torch.binomial(count, prob, generator=None): the result is written into
 * a tensor of count's shape, resized (with the out= warning) to the
 * broadcast shape. */
static Value *bi_binomial(Value *self, const CallArgs *a)
{
    Value *v[3];
    const char *fn = "binomial";
    if (!args_parse(a, 0, fn, "count, prob, generator=", v))
        return NULL;
    Tensor *c = la_tensor_arg(a, v[0], 0, fn, "count");
    Tensor *p = c ? la_tensor_arg(a, v[1], 1, fn, "prob") : NULL;
    RngGen *g = p ? arg_generator(v[2], fn) : NULL;
    Tensor *r = g ? op_binomial(c, p, g) : NULL;
    if (r && tensor_numel(c) != 0 &&
        (r->ndim != c->ndim || memcmp(r->shape, c->shape, sizeof(int64_t) * (size_t)c->ndim))) {
        if (!warn_output_resized(c->ndim, c->shape, r->ndim, r->shape)) {
            tensor_release(r);
            r = NULL;
        }
    }
    tensor_release(c);
    tensor_release(p);
    return wrap_tensor(r);
}

const Builtin random_samplers_functions[] = {
    {"poisson", bi_poisson},
    {"binomial", bi_binomial},
    {NULL, NULL},
};

const Builtin random_samplers_methods[] = {
    {"cauchy_", bi_cauchy_},
    {"log_normal_", bi_log_normal_},
    {"geometric_", bi_geometric_},
    {NULL, NULL},
};
