/* builtins_more.c: torch functions and tensor methods over ops_more.c:
 * positive, sgn, signbit, nansum, nanmean, cummax, cummin, tensordot,
 * vdot, addcmul(_), addcdiv(_), var_mean, std_mean, round(decimals=),
 * diff, cross, kron, aminmax. torch.round and Tensor.round are this
 * file's (they add decimals=). */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static const NamedTupleType nt_cummax = {"cummax", 2, values_indices};
static const NamedTupleType nt_cummin = {"cummin", 2, values_indices};
static const char *const min_max[] = {"min", "max"};
static const NamedTupleType nt_aminmax = {"aminmax", 2, min_max};

/* f(input) */
typedef Tensor *(*Unary)(Tensor *);
static Value *unary_common(const char *fn, Unary op, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, fn, "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = op(x);
    tensor_release(x);
    if (r && self && r == self->tensor) { /* positive() returns self itself */
        tensor_release(r);
        return val_retain(self);
    }
    if (r && !self && v[0]->kind == VK_TENSOR && r == v[0]->tensor) {
        tensor_release(r);
        return val_retain(v[0]);
    }
    return wrap_tensor(r);
}
static Value *bi_positive(Value *self, const CallArgs *a) { return unary_common("positive", op_positive, self, a); }
static Value *bi_sgn(Value *self, const CallArgs *a) { return unary_common("sgn", op_sgn, self, a); }
static Value *bi_signbit(Value *self, const CallArgs *a) { return unary_common("signbit", op_signbit, self, a); }

/* nansum/nanmean(input, dim=None, keepdim=False, *, dtype=None) */
static Value *nan_common(const char *fn, bool mean, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, dim=, keepdim=, *, dtype=", v)) return NULL;
    if (v[1] && v[1]->kind == VK_DTYPE && !v[3]) { /* nansum(x, torch.float64) */
        v[3] = v[1];
        v[1] = NULL;
    }
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    bool keepdim;
    DType dt;
    if (!arg_dims(v[1], fn, dims, &nd) || !arg_bool(v[2], fn, "keepdim", false, &keepdim) ||
        !arg_dtype(v[3], fn, &dt))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = mean ? op_nanmean(x, nd, dims, keepdim, dt) : op_nansum(x, nd, dims, keepdim, dt);
    tensor_release(x);
    return wrap_tensor(r);
}
static Value *bi_nansum(Value *self, const CallArgs *a) { return nan_common("nansum", false, self, a); }
static Value *bi_nanmean(Value *self, const CallArgs *a) { return nan_common("nanmean", true, self, a); }

/* cummax/cummin(input, dim) */
static Value *cum_common(const char *fn, bool is_max, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    int64_t dim;
    if (!args_parse(a, 0, fn, "input, dim", v) || !arg_int(v[1], fn, "dim", 0, &dim)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *vals, *idx;
    bool ok = op_cummaxmin(x, dim, is_max, &vals, &idx);
    tensor_release(x);
    return ok ? tensor_pair(is_max ? &nt_cummax : &nt_cummin, vals, idx) : NULL;
}
static Value *bi_cummax(Value *self, const CallArgs *a) { return cum_common("cummax", true, self, a); }
static Value *bi_cummin(Value *self, const CallArgs *a) { return cum_common("cummin", false, self, a); }

/* addcmul/addcdiv(input, tensor1, tensor2, *, value=1) and the in-place forms */
static Value *addc_common(const char *fn, bool div, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, tensor1, tensor2, *, value=", v)) return NULL;
    double value = 1;
    if (v[3] && v[3]->kind == VK_TENSOR && v[3]->tensor->ndim == 0) {
        value = tensor_get_f64(v[3]->tensor, 0);
    } else if (!arg_double(v[3], fn, "value", 1, &value)) {
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *t1 = x ? arg_tensor(v[1], fn, "tensor1") : NULL;
    Tensor *t2 = t1 ? arg_tensor(v[2], fn, "tensor2") : NULL;
    Tensor *r = NULL;
    if (t2) r = inplace ? op_addcmul_(x, t1, t2, value, div) : op_addcmul(x, t1, t2, value, div);
    tensor_release(x);
    tensor_release(t1);
    tensor_release(t2);
    if (r && inplace && self && r == self->tensor) {
        tensor_release(r);
        return val_retain(self);
    }
    return wrap_tensor(r);
}
static Value *bi_addcmul(Value *self, const CallArgs *a) { return addc_common("addcmul", false, false, self, a); }
static Value *bi_addcdiv(Value *self, const CallArgs *a) { return addc_common("addcdiv", true, false, self, a); }
static Value *bi_addcmul_(Value *self, const CallArgs *a) { return addc_common("addcmul_", false, true, self, a); }
static Value *bi_addcdiv_(Value *self, const CallArgs *a) { return addc_common("addcdiv_", true, true, self, a); }

/* var_mean/std_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None);
 * var_mean(x, False) is var_mean(x, unbiased=False). A plain tuple. */
static Value *var_mean_common(const char *fn, bool take_sqrt, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, fn, "input, dim=, unbiased=, keepdim=, *, correction=", v)) return NULL;
    if (v[1] && v[1]->kind == VK_BOOL && !v[2]) {
        v[2] = v[1];
        v[1] = NULL;
    }
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    bool unbiased, keepdim;
    if (!arg_dims(v[1], fn, dims, &nd) || !arg_bool(v[2], fn, "unbiased", true, &unbiased) ||
        !arg_bool(v[3], fn, "keepdim", false, &keepdim))
        return NULL;
    int64_t correction = unbiased ? 1 : 0;
    if (!is_none(v[4]) && !arg_int(v[4], fn, "correction", 1, &correction)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *var, *mean;
    bool ok = op_var_mean(x, nd, dims, correction, keepdim, take_sqrt, &var, &mean);
    tensor_release(x);
    return ok ? tensor_pair(NULL, var, mean) : NULL;
}
static Value *bi_var_mean(Value *self, const CallArgs *a) { return var_mean_common("var_mean", false, self, a); }
static Value *bi_std_mean(Value *self, const CallArgs *a) { return var_mean_common("std_mean", true, self, a); }

/* round(input, *, decimals=0) */
static Value *bi_round(Value *self, const CallArgs *a) {
    const CallArgs *orig = a;
    if (self && orig->nargs > 0) { /* PyTorch's method parser says this */
        tsr_raise(ERR_TypeError, "round() takes from 1 to 0 positional arguments but %d were given", orig->nargs);
        return NULL;
    }
    WITH_SELF(a);
    if (a->nargs > 1) {
        char got[256];
        int len = 0;
        got[0] = 0;
        for (int i = 0; i < orig->nargs && len < 200; i++)
            len += snprintf(got + len, sizeof got - (size_t)len, "%s%s", i ? ", " : "",
                            orig->args[i]->kind == VK_TENSOR ? "Tensor" : val_type_name(orig->args[i]));
        for (int k = 0; k < orig->nkw && len < 200; k++)
            len += snprintf(got + len, sizeof got - (size_t)len, "%s%s=%s", (orig->nargs || k) ? ", " : "",
                            orig->kwnames[k],
                            orig->kwvals[k]->kind == VK_TENSOR ? "Tensor" : val_type_name(orig->kwvals[k]));
        tsr_raise(ERR_TypeError,
                  "round() received an invalid combination of arguments - got (%s), but expected one of:\n"
                  " * (Tensor input, *, Tensor out)\n * (Tensor input, *, int decimals, Tensor out)\n",
                  got);
        return NULL;
    }
    Value *v[2];
    if (!args_parse(a, 0, "round", "input, *, decimals=", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "round", "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    int64_t d;
    if (!v[1]) r = op_unary(UN_ROUND, x);
    else if (arg_int(v[1], "round", "decimals", 0, &d)) r = op_round_decimals(x, d);
    tensor_release(x);
    return wrap_tensor(r);
}

/* diff(input, n=1, dim=-1, prepend=None, append=None) */
static Value *bi_diff(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, "diff", "input, n=, dim=, prepend=, append=", v)) return NULL;
    int64_t n, dim;
    if (!arg_int(v[1], "diff", "n", 1, &n) || !arg_int(v[2], "diff", "dim", -1, &dim)) return NULL;
    Tensor *x = arg_tensor(v[0], "diff", "input");
    Tensor *pre = NULL, *app = NULL, *r = NULL;
    if (!x) return NULL;
    if (!is_none(v[3]) && !(pre = arg_tensor(v[3], "diff", "prepend"))) goto done;
    if (!is_none(v[4]) && !(app = arg_tensor(v[4], "diff", "append"))) goto done;
    r = op_diff(x, n, dim, pre, app);
done:
    tensor_release(x);
    tensor_release(pre);
    tensor_release(app);
    return wrap_tensor(r);
}

/* aminmax(input, *, dim=None, keepdim=False) */
static Value *bi_aminmax(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "aminmax", "input, *, dim=, keepdim=", v)) return NULL;
    int64_t dim = 0;
    bool keepdim, has_dim = !is_none(v[1]);
    if ((has_dim && !arg_int(v[1], "aminmax", "dim", 0, &dim)) || !arg_bool(v[2], "aminmax", "keepdim", false, &keepdim))
        return NULL;
    Tensor *x = arg_tensor(v[0], "aminmax", "input");
    if (!x) return NULL;
    Tensor *mn, *mx;
    bool ok = op_aminmax(x, has_dim, dim, keepdim, &mn, &mx);
    tensor_release(x);
    return ok ? tensor_pair(&nt_aminmax, mn, mx) : NULL;
}

#define MORE_SHARED                                                                            \
    {"positive", bi_positive}, {"sgn", bi_sgn}, {"signbit", bi_signbit}, {"nansum", bi_nansum},  \
    {"nanmean", bi_nanmean}, {"cummax", bi_cummax}, {"cummin", bi_cummin},    \
    {"addcmul", bi_addcmul}, {"addcdiv", bi_addcdiv}, {"diff", bi_diff},    \
    {"aminmax", bi_aminmax},

const Builtin more_functions[] = {
    MORE_SHARED
    {"var_mean", bi_var_mean},
    {"std_mean", bi_std_mean},
    {"round", bi_round},
    {NULL, NULL},
};

const Builtin more_methods[] = {
    MORE_SHARED
    {"round", bi_round},
    {"addcmul_", bi_addcmul_},
    {"addcdiv_", bi_addcdiv_},
    {NULL, NULL},
};
