/* renorm.c: torch.renorm, Tensor.renorm and Tensor.renorm_ (op
 * runtime/ops/renorm.c). */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static bool renorm_args(const char *fn, const CallArgs *a, Tensor **x, double *p, int64_t *dim, double *maxnorm) {
    Value *v[4];
    *x = NULL;
    if (!args_parse(a, 0, fn, "input, p, dim, maxnorm", v)) return false;
    if (!arg_double(v[1], fn, "p", 0, p) || !arg_int(v[2], fn, "dim", 0, dim) ||
        !arg_double(v[3], fn, "maxnorm", 0, maxnorm))
        return false;
    *x = arg_tensor(v[0], fn, "input");
    return *x != NULL;
}

/* renorm(input, p, dim, maxnorm) */
static Value *bi_renorm(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Tensor *x;
    double p, maxnorm;
    int64_t dim;
    if (!renorm_args("renorm", a, &x, &p, &dim, &maxnorm)) return NULL;
    Tensor *r = op_renorm(x, p, dim, maxnorm);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_renorm_(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Tensor *x;
    double p, maxnorm;
    int64_t dim;
    if (!renorm_args("renorm_", a, &x, &p, &dim, &maxnorm)) return NULL;
    Tensor *r = NULL;
    if (op_renorm_check(x, p, maxnorm) && op_inplace_allowed(x)) {
        Tensor *s = op_inplace_standin(x, ag_any_requires_grad(&x, 1));
        if (s) r = commit_inplace(x, op_renorm(s, p, dim, maxnorm), SIZE_FMT);
        tensor_release(s);
    }
    tensor_release(x);
    return inplace_result(self, r);
}

const Builtin renorm_functions[] = {
    {"renorm", bi_renorm},
    {NULL, NULL},
};

const Builtin renorm_methods[] = {
    {"renorm", bi_renorm},
    {"renorm_", bi_renorm_},
    {NULL, NULL},
};
