/* reduce.c: reductions (sum, mean, nansum, var, std, var_mean, max, min,
 * aminmax, argmax, norm, logsumexp, equal, allclose, ...) and the scans
 * along a dim (cumsum(_), cumprod(_), cummax, cummin, diff). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "linalg_args.h"
#include "error.h"
#include "ops.h"

static const NamedTupleType nt_max = {"max", 2, values_indices};
static const NamedTupleType nt_min = {"min", 2, values_indices};

static const NamedTupleType nt_cummax = {"cummax", 2, values_indices};
static const NamedTupleType nt_cummin = {"cummin", 2, values_indices};
static const char *const min_max[] = {"min", "max"};
static const NamedTupleType nt_aminmax = {"aminmax", 2, min_max};

/* sum/mean/prod: (input, dim=None, keepdim=False, *, dtype=None) */
typedef Tensor *(*ReduceDtypeFn)(Tensor *, int, const int64_t *, bool, DType);

static Value *reduce_dtype_common(const char *fn, ReduceDtypeFn op, bool single_dim, Value *self,
                                  const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, dim=, keepdim=, *, dtype=", v)) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    bool keepdim;
    DType dt;
    if (v[1] && v[1]->kind == VK_DTYPE && !v[3]) { /* sum(x, torch.float64) */
        v[3] = v[1];
        v[1] = NULL;
    }
    if (single_dim && v[1] && v[1]->kind != VK_INT && v[1]->kind != VK_NONE) {
        tsr_raise(ERR_TypeError, "%s(): argument 'dim' must be int, not %s", fn, val_type_name(v[1]));
        return NULL;
    }
    if (!arg_dims(v[1], fn, dims, &nd) || !arg_bool(v[2], fn, "keepdim", false, &keepdim) ||
        !arg_dtype(v[3], fn, &dt))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = warn_complex_to_real(x, dt) ? op(x, nd, dims, keepdim, dt) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_sum(Value *self, const CallArgs *a) { return reduce_dtype_common("sum", op_sum, false, self, a); }
static Value *bi_mean(Value *self, const CallArgs *a) { return reduce_dtype_common("mean", op_mean, false, self, a); }
static Value *bi_prod(Value *self, const CallArgs *a) { return reduce_dtype_common("prod", op_prod, true, self, a); }

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

/* amax/amin/all/any: (input, dim=None, keepdim=False) */
typedef Tensor *(*ReduceFn)(Tensor *, int, const int64_t *, bool);

static Value *reduce_common(const char *fn, ReduceFn op, Value *self, const CallArgs *a) {
    const CallArgs *orig = a;
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, dim=, keepdim=", v)) return NULL;
    /* PyTorch 1.13's all/any take one int dim only */
    if ((op == op_all || op == op_any) && v[1] && (v[1]->kind == VK_TUPLE || v[1]->kind == VK_LIST)) {
        raise_invalid_args(fn, orig);
        return NULL;
    }
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    bool keepdim;
    if (!arg_dims(v[1], fn, dims, &nd) || !arg_bool(v[2], fn, "keepdim", false, &keepdim))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = op(x, nd, dims, keepdim);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_amax(Value *self, const CallArgs *a) { return reduce_common("amax", op_amax, self, a); }
static Value *bi_amin(Value *self, const CallArgs *a) { return reduce_common("amin", op_amin, self, a); }
static Value *bi_all(Value *self, const CallArgs *a) { return reduce_common("all", op_all, self, a); }
static Value *bi_any(Value *self, const CallArgs *a) { return reduce_common("any", op_any, self, a); }

/* var/std: (input, dim=None, unbiased=True, keepdim=False, *, correction=None);
 * var(x, False) is var(x, unbiased=False). */
static Value *var_common(const char *fn, bool take_sqrt, Value *self, const CallArgs *a) {
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
    int64_t correction;
    if (!arg_dims(v[1], fn, dims, &nd) || !arg_bool(v[2], fn, "unbiased", true, &unbiased) ||
        !arg_bool(v[3], fn, "keepdim", false, &keepdim))
        return NULL;
    correction = unbiased ? 1 : 0;
    if (v[4] && v[4]->kind != VK_NONE && !arg_int(v[4], fn, "correction", 1, &correction))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = op_var(x, nd, dims, correction, keepdim, take_sqrt);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_var(Value *self, const CallArgs *a) { return var_common("var", false, self, a); }
static Value *bi_std(Value *self, const CallArgs *a) { return var_common("std", true, self, a); }

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

/* max/min: (input) -> tensor; (input, dim, keepdim=False) -> return_types;
 * (input, other) -> maximum/minimum. */
static Value *maxmin_common(bool is_max, Value *self, const CallArgs *a) {
    const char *fn = is_max ? "max" : "min";
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, dim=, keepdim=, *, other=", v)) return NULL;
    Value *other = v[3];
    if (v[1] && v[1]->kind == VK_TENSOR && !v[2]) {
        other = v[1];
        v[1] = NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Value *res = NULL;
    if (other) {
        Tensor *y = arg_tensor(other, fn, "other");
        if (y) res = wrap_tensor(op_binary(is_max ? BIN_MAXIMUM : BIN_MINIMUM, x, y));
        tensor_release(y);
    } else if (!v[1] || v[1]->kind == VK_NONE) {
        if (v[2]) raise_invalid_args(fn, a);
        else res = wrap_tensor(is_max ? op_max_all(x) : op_min_all(x));
    } else {
        int64_t dim;
        bool keepdim;
        if (arg_int(v[1], fn, "dim", 0, &dim) && arg_bool(v[2], fn, "keepdim", false, &keepdim)) {
            Tensor *vals = NULL, *idx = NULL;
            bool ok = is_max ? op_max_dim(x, dim, keepdim, &vals, &idx)
                             : op_min_dim(x, dim, keepdim, &vals, &idx);
            res = ok ? tensor_pair(is_max ? &nt_max : &nt_min, vals, idx) : NULL;
        }
    }
    tensor_release(x);
    return res;
}

static Value *bi_max(Value *self, const CallArgs *a) { return maxmin_common(true, self, a); }
static Value *bi_min(Value *self, const CallArgs *a) { return maxmin_common(false, self, a); }

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

static Value *arg_common(bool is_max, Value *self, const CallArgs *a) {
    const char *fn = is_max ? "argmax" : "argmin";
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, dim=, keepdim=", v)) return NULL;
    bool has_dim = v[1] && v[1]->kind != VK_NONE;
    int64_t dim;
    bool keepdim;
    if (!arg_int(has_dim ? v[1] : NULL, fn, "dim", 0, &dim) ||
        !arg_bool(v[2], fn, "keepdim", false, &keepdim))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = is_max ? op_argmax(x, has_dim, dim, keepdim) : op_argmin(x, has_dim, dim, keepdim);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_argmax(Value *self, const CallArgs *a) { return arg_common(true, self, a); }
static Value *bi_argmin(Value *self, const CallArgs *a) { return arg_common(false, self, a); }

static Value *bi_cumsum(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "cumsum", "input, dim, *, dtype=", v)) return NULL;
    int64_t dim;
    DType dt;
    if (!arg_int(v[1], "cumsum", "dim", 0, &dim) || !arg_dtype(v[2], "cumsum", &dt)) return NULL;
    Tensor *x = arg_tensor(v[0], "cumsum", "input");
    if (!x) return NULL;
    Tensor *r = op_cumsum(x, dim, dt);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_cumprod(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "cumprod", "input, dim, *, dtype=", v)) return NULL;
    int64_t dim;
    DType dt;
    if (!arg_int(v[1], "cumprod", "dim", 0, &dim) || !arg_dtype(v[2], "cumprod", &dt)) return NULL;
    Tensor *x = arg_tensor(v[0], "cumprod", "input");
    Tensor *r = x ? op_cumprod(x, dim, dt) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *cum_inplace_common(const char *fn, bool prod, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, dim, *, dtype=", v)) return NULL;
    int64_t dim;
    DType dt;
    if (!arg_int(v[1], fn, "dim", 0, &dim) || !arg_dtype(v[2], fn, &dt)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    if (dt != DT_UNDEFINED && dt != x->dtype) {
        tsr_raise(ERR_RuntimeError,
                  "Bad in-place call: input tensor dtype %s and output tensor dtype %s should match",
                  dtype_cpp_name(x->dtype), dtype_cpp_name(dt));
    } else if (op_inplace_allowed(x)) {
        Tensor *s = op_inplace_standin(x, ag_any_requires_grad(&x, 1));
        if (s) {
            Tensor *o = prod ? op_cumprod(s, dim, x->dtype) : op_cumsum(s, dim, x->dtype);
            r = commit_inplace(x, o, SIZE_FMT);
        }
        tensor_release(s);
    }
    tensor_release(x);
    return inplace_result(self, r);
}
static Value *bi_cumsum_(Value *self, const CallArgs *a) { return cum_inplace_common("cumsum_", false, self, a); }
static Value *bi_cumprod_(Value *self, const CallArgs *a) { return cum_inplace_common("cumprod_", true, self, a); }

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

static Value *bi_count_nonzero(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, "count_nonzero", "input, dim=", v)) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    if (!arg_dims(v[1], "count_nonzero", dims, &nd)) return NULL;
    Tensor *x = arg_tensor(v[0], "count_nonzero", "input");
    if (!x) return NULL;
    Tensor *zero = tensor_wrapped_int(0);
    Tensor *nz = zero ? op_binary(BIN_NE, x, zero) : NULL;
    Tensor *r = nz ? op_sum(nz, nd, dims, false, DT_INT64) : NULL;
    tensor_release(zero);
    tensor_release(nz);
    tensor_release(x);
    return wrap_tensor(r);
}

/* torch.norm(p='nuc') (v: input, p, dim, keepdim, dtype) and
 * torch.nuclear_norm (v: input, dim, keepdim): at::nuclear_norm, i.e.
 * linalg.matrix_norm(ord='nuc') over dims -2, -1 of a matrix, or dim */
static Value *nuclear_norm_common(Value **v, bool from_norm) {
    Value *dim = v[from_norm ? 2 : 1], *kd = v[from_norm ? 3 : 2];
    if (from_norm && !is_none(v[4])) {
        tsr_raise(ERR_ValueError, "%s", "dtype argument is not supported in nuclear norm");
        return NULL;
    }
    int64_t dims[TSR_MAX_DIMS] = {-2, -1};
    int nd = 2;
    bool keepdim;
    const char *fn = from_norm ? "norm" : "nuclear_norm";
    if ((!is_none(dim) && !arg_dims(dim, fn, dims, &nd)) || !arg_bool(kd, fn, "keepdim", false, &keepdim))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    if (is_none(dim) && x->ndim != 2)
        tsr_raise(ERR_RuntimeError, "Expected a tensor with 2 dimensions, but got a tensor with %d dimension%s instead.",
                  x->ndim, x->ndim == 1 ? "" : "s");
    else if (nd != 2)
        tsr_raise(ERR_RuntimeError, "%s", "nuclear norm requires a 'dim' argument of size 2");
    else
        r = linalg_matrix_norm_svd(x, 0, dims[0], dims[1], keepdim, DT_UNDEFINED);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_nuclear_norm(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "nuclear_norm", "input, dim=, keepdim=", v)) return NULL;
    return nuclear_norm_common(v, false);
}

/* norm(input, p='fro', dim=None, keepdim=False, dtype=None) */
static Value *bi_norm(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, "norm", "input, p=, dim=, keepdim=, dtype=", v)) return NULL;
    double p = 2;
    bool fro = !v[1] || v[1]->kind == VK_NONE;
    if (v[1] && v[1]->kind == VK_STR && !strcmp(v[1]->str.s, "nuc")) return nuclear_norm_common(v, true);
    if (v[1] && v[1]->kind == VK_STR) {
        fro = true;
        if (strcmp(v[1]->str.s, "fro")) {
            tsr_raise(ERR_RuntimeError, "only valid string values are 'fro' and 'nuc', found %s", v[1]->str.s);
            return NULL;
        }
    } else if (v[1] && v[1]->kind != VK_NONE && !arg_double(v[1], "norm", "p", 2, &p)) {
        return NULL;
    }
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    bool keepdim;
    DType dt;
    if (!arg_dims(v[2], "norm", dims, &nd) || !arg_bool(v[3], "norm", "keepdim", false, &keepdim) ||
        !arg_dtype(v[4], "norm", &dt))
        return NULL;
    Tensor *x = arg_tensor(v[0], "norm", "input");
    if (!x) return NULL;
    Tensor *in = x, *r = NULL;
    if (!dtype_is_float(x->dtype)) {
        tsr_raise(ERR_RuntimeError,
                  "norm(): input dtype should be either floating point or complex. Got %s instead.",
                  dtype_scalar_name(x->dtype));
        goto fail;
    }
    if (dt != DT_UNDEFINED) {
        in = op_to_dtype(x, dt);
        if (!in) goto fail;
    } else {
        tensor_retain(in);
    }
    r = op_norm(in, p, fro, nd, dims, keepdim);
    tensor_release(in);
fail:
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_logsumexp(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "logsumexp", "input, dim, keepdim=", v)) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    bool keepdim;
    if (!arg_dims(v[1], "logsumexp", dims, &nd) || !arg_bool(v[2], "logsumexp", "keepdim", false, &keepdim))
        return NULL;
    Tensor *x = arg_tensor(v[0], "logsumexp", "input");
    if (!x) return NULL;
    Tensor *r = op_logsumexp(x, nd, dims, keepdim);
    tensor_release(x);
    return wrap_tensor(r);
}

/* allclose: isclose(...).all(), as PyTorch defines it */
static Value *bi_allclose(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, "allclose", "input, other, rtol=, atol=, equal_nan=", v)) return NULL;
    double rtol, atol;
    bool equal_nan;
    if (!arg_double(v[2], "allclose", "rtol", 1e-5, &rtol) ||
        !arg_double(v[3], "allclose", "atol", 1e-8, &atol) ||
        !arg_bool(v[4], "allclose", "equal_nan", false, &equal_nan))
        return NULL;
    Tensor *x = arg_tensor(v[0], "allclose", "input");
    Tensor *y = x ? arg_tensor(v[1], "allclose", "other") : NULL;
    Tensor *close = y ? op_isclose(x, y, rtol, atol, equal_nan) : NULL;
    Tensor *all = close ? op_all(close, 0, NULL, false) : NULL;
    Value *res = all ? val_bool(tensor_get_i64(all, 0) != 0) : NULL;
    tensor_release(all);
    tensor_release(close);
    tensor_release(x);
    tensor_release(y);
    return res;
}

static Value *bi_equal(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, "equal", "input, other", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "equal", "input");
    Tensor *y = x ? arg_tensor(v[1], "equal", "other") : NULL;
    bool eq = false, ok = y && op_equal(x, y, &eq);
    tensor_release(x);
    tensor_release(y);
    return ok ? val_bool(eq) : NULL;
}

#define REDUCE_ENTRIES                                                         \
    {"sum", bi_sum}, {"mean", bi_mean}, {"prod", bi_prod},                     \
    {"nansum", bi_nansum}, {"nanmean", bi_nanmean},                            \
    {"amax", bi_amax}, {"amin", bi_amin}, {"all", bi_all}, {"any", bi_any},    \
    {"var", bi_var}, {"std", bi_std}, {"max", bi_max}, {"min", bi_min},        \
    {"aminmax", bi_aminmax}, {"argmax", bi_argmax}, {"argmin", bi_argmin},     \
    {"cumsum", bi_cumsum}, {"cumprod", bi_cumprod}, {"cummax", bi_cummax},     \
    {"cummin", bi_cummin}, {"diff", bi_diff},                                  \
    {"count_nonzero", bi_count_nonzero}, {"norm", bi_norm},                    \
    {"logsumexp", bi_logsumexp}, {"equal", bi_equal}, {"allclose", bi_allclose},

/* torch.segment_reduce(data, reduce, *, lengths=None, indices=None,
 * offsets=None, axis=0, unsafe=False, initial=None) */
static Value *bi_segment_reduce(Value *self, const CallArgs *a) {
    const char *fn = "segment_reduce";
    Value *v[8];
    if (!args_parse(a, 0, fn, "data, reduce, *, lengths=, indices=, offsets=, axis=, unsafe=, initial=", v)) return NULL;
    if (v[1]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "segment_reduce(): argument 'reduce' (position 2) must be str, not %s",
                  val_type_name(v[1]));
        return NULL;
    }
    int64_t axis;
    bool unsafe;
    double initial = 0;
    if (!arg_int(v[5], fn, "axis", 0, &axis) || !arg_bool(v[6], fn, "unsafe", false, &unsafe) ||
        (!is_none(v[7]) && !arg_double(v[7], fn, "initial", 0, &initial)))
        return NULL;
    Tensor *data = arg_tensor(v[0], fn, "data"), *len = NULL, *off = NULL, *r = NULL;
    if (!data) return NULL;
    if (!is_none(v[2]) && !(len = arg_tensor(v[2], fn, "lengths"))) goto done;
    if (!is_none(v[4]) && !(off = arg_tensor(v[4], fn, "offsets"))) goto done;
    if (!is_none(v[3])) {
        tsr_raise(ERR_RuntimeError, "%s", "segment_reduce(): indices based reduction is not supported yet.");
        goto done;
    }
    r = op_segment_reduce(data, v[1]->str.s, len, off, axis, unsafe, !is_none(v[7]), initial);
done:
    tensor_release(data);
    tensor_release(len);
    tensor_release(off);
    return wrap_tensor(r);
}

const Builtin reduce_functions[] = {
    REDUCE_ENTRIES
    {"segment_reduce", bi_segment_reduce},
    {"var_mean", bi_var_mean},
    {"std_mean", bi_std_mean},
    {"nuclear_norm", bi_nuclear_norm},
    {NULL, NULL},
};

const Builtin reduce_methods[] = {
    REDUCE_ENTRIES
    {"cumsum_", bi_cumsum_},
    {"cumprod_", bi_cumprod_},
    {NULL, NULL},
};
