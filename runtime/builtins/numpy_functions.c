/* numpy_functions.c: numpy's functions and the ndarray methods that share
 * them (np.sum(a, axis) is a.sum(axis)): reductions with numpy's result
 * dtypes, shape functions, elementwise math, sorting, joining. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "bytes.h"
#include "interp_internal.h"
#include "numpy.h"
#include "numpy_complex.h"
#include "numpy_float_math.h"
#include "numpy_reduce.h"
#include "ops.h"

/* The array an argument names (np.asarray), or NULL with an error. */
static Tensor *arr(Value *v) { return np_tensor_of(v); }

/* axis=None -> every dim; an int or a tuple of ints otherwise */
static bool axes(Value *v, const Tensor *t, int64_t *dims, int *n) {
    if (is_none(v)) {
        *n = t->ndim;
        for (int i = 0; i < t->ndim; i++) dims[i] = i;
        return true;
    }
    Value *one[1] = {v};
    Value **items = v->kind == VK_TUPLE || v->kind == VK_LIST ? v->seq.items : one;
    int64_t cnt = v->kind == VK_TUPLE || v->kind == VK_LIST ? v->seq.len : 1;
    if (cnt > TSR_MAX_DIMS) cnt = TSR_MAX_DIMS;
    for (int64_t i = 0; i < cnt; i++) {
        int64_t d;
        if (!val_as_int(items[i], &d)) return false;
        if (d < -t->ndim || d >= (t->ndim ? t->ndim : 1)) {
            tsr_raise(ERR_AxisError, "axis %lld is out of bounds for array of dimension %d", (long long)d,
                      t->ndim);
            return false;
        }
        dims[i] = d < 0 ? d + t->ndim : d;
    }
    *n = (int)cnt;
    return true;
}

typedef enum { R_SUM, R_PROD, R_MEAN, R_STD, R_VAR, R_MAX, R_MIN, R_ALL, R_ANY, R_ARGMAX, R_ARGMIN, R_CUMSUM } RKind;
static const char *const r_names[] = {"sum", "prod", "mean", "std", "var", "max", "min",
                                      "all", "any", "argmax", "argmin", "cumsum"};
static const char *const r_ufuncs[] = {[R_MAX] = "maximum", [R_MIN] = "minimum"};

/* the elements each result of a reduction over dims gathers */
static int64_t np_count(const Tensor *t, int nd, const int64_t *dims) {
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= t->shape[dims[i]];
    return n;
}

/* the places in numpy's Python (numpy/core/_methods.py, fromnumeric.py of
 * the oracle's numpy 1.24) its reductions warn from */
#define NP_METHODS_PY "/usr/lib/python3/dist-packages/numpy/core/_methods.py"
#define NP_FROMNUMERIC_PY "/usr/lib/python3/dist-packages/numpy/core/fromnumeric.py"
static const NpWarnAt at_sum_method = {NP_METHODS_PY, 49, "numpy.core._methods",
                                       "return umr_sum(a, axis, dtype, out, keepdims, initial, where)"};
static const NpWarnAt at_prod_method = {NP_METHODS_PY, 53, "numpy.core._methods",
                                        "return umr_prod(a, axis, dtype, out, keepdims, initial, where)"};
static const NpWarnAt at_wrapreduction = {NP_FROMNUMERIC_PY, 86, "numpy.core.fromnumeric",
                                          "return ufunc.reduce(obj, axis, dtype, out, **passkwargs)"};
static const NpWarnAt at_mean_fn = {NP_FROMNUMERIC_PY, 3464, "numpy.core.fromnumeric",
                                    "return _methods._mean(a, axis=axis, dtype=dtype,"};
static const NpWarnAt at_mean_sum = {NP_METHODS_PY, 181, "numpy.core._methods",
                                     "ret = umr_sum(arr, axis, dtype, out, keepdims, where=where)"};
static const NpWarnAt at_mean_div = {NP_METHODS_PY, 184, "numpy.core._methods", "ret = um.true_divide("};
static const NpWarnAt at_mean_sdiv = {NP_METHODS_PY, 192, "numpy.core._methods", "ret = ret.dtype.type(ret / rcount)"};
static const NpWarnAt at_var_fn = {NP_FROMNUMERIC_PY, 3747, "numpy.core.fromnumeric",
                                   "return _methods._var(a, axis=axis, dtype=dtype, out=out, ddof=ddof,"};
static const NpWarnAt at_var_std = {NP_METHODS_PY, 269, "numpy.core._methods",
                                    "ret = _var(a, axis=axis, dtype=dtype, out=out, ddof=ddof,"};
static const NpWarnAt at_var_mean = {NP_METHODS_PY, 226, "numpy.core._methods",
                                     "arrmean = um.true_divide(arrmean, div, out=arrmean,"};
static const NpWarnAt at_var_div = {NP_METHODS_PY, 258, "numpy.core._methods", "ret = um.true_divide("};
static const NpWarnAt at_var_sdiv = {NP_METHODS_PY, 261, "numpy.core._methods", "ret = ret.dtype.type(ret / rcount)"};

/* a float sum in numpy's order where numpy_sum.c has it */
static Tensor *np_sum_of(Tensor *t, int nd, const int64_t *dims, bool keep) {
    return np_reduce_handles(t) ? op_np_sum(t, nd, dims, keep) : op_sum(t, nd, dims, keep, DT_UNDEFINED);
}

/* numpy's _var meets its floating-point errors step by step
 * (_methods.py): the mean's sum, the deviations, their squares, their
 * sum. Run for a result that is not finite (a finite one met none). */
static bool var_step_errors(Tensor *src, int nd, const int64_t *dims, int64_t count) {
    static const NpWarnAt at_sum = {NP_METHODS_PY, 215, "numpy.core._methods",
                                    "arrmean = umr_sum(arr, axis, dtype, keepdims=True, where=where)"};
    static const NpWarnAt at_sub = {NP_METHODS_PY, 236, "numpy.core._methods", "x = asanyarray(arr - arrmean)"};
    static const NpWarnAt at_mul = {NP_METHODS_PY, 239, "numpy.core._methods", "x = um.multiply(x, x, out=x)"};
    static const NpWarnAt at_sq = {NP_METHODS_PY, 250, "numpy.core._methods",
                                   "ret = umr_sum(x, axis, dtype, out, keepdims=keepdims, where=where)"};
    np_fpe_clear();
    Tensor *s = np_sum_of(src, nd, dims, true), *mean = NULL, *x = NULL, *x2 = NULL, *ss = NULL;
    bool ok = s && np_fpe_check("reduce", &at_sum);
    Tensor *n = ok ? tensor_scalar_f64(s->dtype, (double)count) : NULL;
    if (n && (mean = op_binary(BIN_DIV, s, n))) {
        np_fpe_clear();
        ok = (x = op_binary(BIN_SUB, src, mean)) && np_fpe_check("subtract", &at_sub);
        ok = ok && (x2 = op_binary(BIN_MUL, x, x)) && np_fpe_check("multiply", &at_mul);
        ok = ok && (ss = np_sum_of(x2, nd, dims, false)) && np_fpe_check("reduce", &at_sq);
    } else {
        ok = false;
    }
    Tensor *all[] = {s, n, mean, x, x2, ss};
    for (int i = 0; i < 6; i++) tensor_release(all[i]);
    np_fpe_clear();
    return ok;
}

/* "Mean of empty slice." / "Degrees of freedom <= 0 for slice": the
 * method's caller, or the place in numpy's Python (at) */
static bool stats_warn(const char *msg, const NpWarnAt *at) {
    return at ? tsr_warn_explicit(ERR_RuntimeWarning, msg, at->file, at->line, at->module, at->text)
              : tsr_warn_from(ERR_RuntimeWarning, msg, "numpy");
}

/* numpy's var/std with no degrees of freedom left (count <= ddof): the
 * sum of squares divided by max(count - ddof, 0) = 0 (inf or nan, and
 * their flags); pop the variance with ddof 0 */
static Tensor *var_over_zero(Tensor *pop, int64_t count, bool take_sqrt) {
    Tensor *n = tensor_scalar_f64(pop->dtype, (double)count), *z = n ? tensor_scalar_f64(pop->dtype, 0.0) : NULL;
    Tensor *ss = !z ? NULL : count ? op_binary(BIN_MUL, pop, n) /* an empty slice's sum of squares is 0 */
                                   : tensor_full_i64(pop->dtype, pop->ndim, pop->shape, 0, device_cpu());
    np_fpe_clear();
    Tensor *r = ss ? op_binary(BIN_DIV, ss, z) : NULL;
    tensor_release(n);
    tensor_release(z);
    tensor_release(ss);
    if (r && take_sqrt) { /* sqrt of inf or nan raises nothing */
        Tensor *q = op_unary(UN_SQRT, r);
        tensor_release(r);
        r = q;
    }
    return r;
}

/* the ufunc a reduction runs, named in its errors */
static const char *const r_ufunc_names[] = {"add", "multiply", "add", "add", "add", "maximum", "minimum",
                                            "logical_and", "logical_or", "argmax", "argmin", "add"};

/* out= of a reduction: r (released) written into the array out (numpy
 * casts a reduction's result unsafely), which is returned */
static Value *reduce_out(RKind k, Tensor *r, Value *out) {
    Value *res = NULL;
    if (!val_is_ndarray(out)) {
        tsr_raise(ERR_TypeError, "%s", "output must be an array");
    } else if (out->tensor->ndim != r->ndim && k != R_ARGMAX && k != R_ARGMIN && k != R_CUMSUM) {
        tsr_raise(ERR_ValueError,
                  "output parameter for reduction operation %s has the wrong number of dimensions: Found %d but "
                  "expected %d",
                  r_ufunc_names[k], out->tensor->ndim, r->ndim);
    } else {
        bool same = out->tensor->ndim == r->ndim;
        for (int i = 0; same && i < r->ndim; i++) same = out->tensor->shape[i] == r->shape[i];
        if (!same) tsr_raise(ERR_ValueError, "%s", "output array does not match result of the reduction");
        else if (tensor_copy_(out->tensor, r)) res = val_retain(out);
    }
    tensor_release(r);
    return res;
}

/* set while np.add.reduce / np.multiply.reduce run np.sum / np.prod: their
 * flags are the caller's */
static bool reduce_ufunc_call;

static Value *reduce(Value *self, const CallArgs *a, RKind k) {
    bool method = self != NULL;
    WITH_SELF(a);
    Value *v[6] = {0};
    if (!args_parse(a, 0, r_names[k], "a, axis=, dtype=, out=, ddof=, keepdims=", v)) return NULL;
    bool keep;
    int64_t ddof;
    DType dt;
    if (!arg_bool(v[5], r_names[k], "keepdims", false, &keep) || !arg_int(v[4], r_names[k], "ddof", 0, &ddof) ||
        !np_arg_dtype(v[2], &dt))
        return NULL;
    Tensor *t = arr(v[0]);
    if (!t) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    Tensor *r = NULL, *src = NULL;
    if (!axes(v[1], t, dims, &nd)) goto done;
    if ((k == R_MAX || k == R_MIN) && tensor_numel(t) == 0) {
        tsr_raise(ERR_ValueError, "zero-size array to reduction operation %s which has no identity", r_ufuncs[k]);
        goto done;
    }
    np_fpe_clear();
    switch (k) {
    case R_SUM:
        if (dtype_is_complex(t->dtype) || dtype_is_complex(dt)) { /* numpy's complex pairwise sum */
            src = tensor_to_dtype(t, dt == DT_UNDEFINED ? t->dtype : dt);
            r = src && dtype_is_complex(src->dtype) ? op_np_sum(src, nd, dims, keep)
                : src                              ? op_sum(src, nd, dims, keep, DT_UNDEFINED)
                                                   : NULL;
        } else {
            r = (dt == DT_UNDEFINED || dt == t->dtype) && np_reduce_handles(t) ? op_np_sum(t, nd, dims, keep)
                                                                                  : op_sum(t, nd, dims, keep, dt);
        }
        r = np_fpe_done(r, "reduce", reduce_ufunc_call ? NULL : method ? &at_sum_method : &at_wrapreduction);
        break;
    case R_PROD:
        if (dtype_is_complex(t->dtype) && (dt == DT_UNDEFINED || dtype_is_complex(dt))) {
            src = tensor_to_dtype(t, dt == DT_UNDEFINED ? t->dtype : dt);
            r = np_fpe_done(src ? op_np_complex_prod(src, nd, dims, keep) : NULL, "reduce",
                            reduce_ufunc_call ? NULL : method ? &at_prod_method : &at_wrapreduction);
            break;
        }
        r = np_fpe_done(op_prod(t, nd, dims, keep, dt), "reduce",
                        reduce_ufunc_call ? NULL : method ? &at_prod_method : &at_wrapreduction);
        break;
    case R_MEAN: case R_STD: case R_VAR: {
        src = tensor_to_dtype(t, dt != DT_UNDEFINED                                    ? dt
                                 : dtype_is_float(t->dtype) || dtype_is_complex(t->dtype) ? t->dtype
                                                                                           : DT_FLOAT64);
        if (!src) break;
        int64_t count = np_count(src, nd, dims);
        if (k == R_MEAN && count == 0 && !stats_warn("Mean of empty slice.", method ? NULL : &at_mean_fn)) break;
        if (k != R_MEAN && count - ddof <= 0 &&
            !stats_warn("Degrees of freedom <= 0 for slice", k == R_STD ? &at_var_std : method ? NULL : &at_var_fn))
            break;
        np_fpe_clear();
        if (k == R_MEAN && dtype_is_complex(src->dtype))
            r = op_np_mean(src, nd, dims, keep);
        else if ((np_reduce_handles(src) || (dtype_is_complex(src->dtype) && !tensor_is_cuda(src))) &&
                 (k == R_MEAN || count - ddof > 0))
            r = k == R_MEAN ? op_np_mean(src, nd, dims, keep) : op_np_var(src, nd, dims, ddof, keep, k == R_STD);
        else if (k == R_MEAN || count - ddof > 0)
            r = k == R_MEAN ? op_mean(src, nd, dims, keep, DT_UNDEFINED) : op_var(src, nd, dims, ddof, keep, k == R_STD);
        else { /* numpy divides by max(count - ddof, 0) */
            Tensor *pop = count ? op_var(src, nd, dims, 0, keep, false) : op_mean(src, nd, dims, keep, DT_UNDEFINED);
            bool ok = pop != NULL;
            if (ok && count == 0 && tensor_numel(pop)) { /* the mean's 0 / 0 */
                np_fpe_raise_invalid();
                ok = np_fpe_check("divide", &at_var_mean);
            }
            r = ok ? var_over_zero(pop, count, k == R_STD) : NULL;
            tensor_release(pop);
        }
        bool scalar = r && r->ndim == 0;
        if (k == R_MEAN)
            r = np_fpe_done(r, count == 0 ? scalar ? "scalar divide" : "divide" : "reduce",
                            count == 0 ? scalar ? &at_mean_sdiv : &at_mean_div : &at_mean_sum);
        else if (count - ddof <= 0)
            r = np_fpe_done(r, scalar ? "scalar divide" : "divide", scalar ? &at_var_sdiv : &at_var_div);
        else if (r && !dtype_is_complex(src->dtype) && !np_all_finite(r) && !var_step_errors(src, nd, dims, count)) {
            tensor_release(r);
            r = NULL;
        } else np_fpe_clear();
        break;
    }
    case R_MAX: case R_MIN:
        if (dtype_is_complex(t->dtype)) r = op_np_complex_argext(t, nd, dims, keep, k == R_MAX, false);
        else r = k == R_MAX ? op_amax(t, nd, dims, keep) : op_amin(t, nd, dims, keep);
        break;
    case R_ALL: case R_ANY: /* a complex element is true when either part is nonzero */
        src = dtype_is_complex(t->dtype) ? np_complex_to_real(t, DT_BOOL, false) : tensor_retain(t);
        r = !src ? NULL : k == R_ALL ? op_all(src, nd, dims, keep) : op_any(src, nd, dims, keep);
        break;
    case R_ARGMAX: case R_ARGMIN: {
        bool has = !is_none(v[1]);
        if (has ? t->ndim && t->shape[dims[0]] == 0 : tensor_numel(t) == 0) {
            tsr_raise(ERR_ValueError, "attempt to get %s of an empty sequence", r_names[k]);
            break;
        }
        if (dtype_is_complex(t->dtype)) { /* numpy's lexicographic order */
            int64_t all[TSR_MAX_DIMS];
            for (int d = 0; d < t->ndim; d++) all[d] = d;
            r = op_np_complex_argext(t, has ? 1 : t->ndim, has ? dims : all, keep, k == R_ARGMAX, true);
            break;
        }
        r = k == R_ARGMAX ? op_argmax(t, has, has ? dims[0] : 0, keep) : op_argmin(t, has, has ? dims[0] : 0, keep);
        break;
    }
    case R_CUMSUM:
        if (dtype_is_complex(t->dtype) && (dt == DT_UNDEFINED || dtype_is_complex(dt))) {
            int64_t m1 = -1;
            Tensor *c = tensor_to_dtype(t, dt == DT_UNDEFINED ? t->dtype : dt);
            src = c && is_none(v[1]) ? op_reshape(c, 1, &m1) : tensor_retain(c);
            tensor_release(c);
            r = src ? op_np_complex_accumulate(src, is_none(v[1]) ? 0 : dims[0], false) : NULL;
            break;
        }
        if (is_none(v[1])) {
            int64_t m1 = -1;
            src = op_reshape(t, 1, &m1);
            r = src ? op_cumsum(src, 0, dt) : NULL;
        } else {
            r = op_cumsum(t, dims[0], dt);
        }
        break;
    }
done:
    tensor_release(t);
    tensor_release(src);
    if (r && !is_none(v[3])) return reduce_out(k, r, v[3]);
    return numpy_result_steal(r);
}

#define REDUCER(name, kind) \
    static Value *np_##name(Value *self, const CallArgs *a) { return reduce(self, a, kind); }
REDUCER(sum, R_SUM)
REDUCER(prod, R_PROD)
REDUCER(mean, R_MEAN)
REDUCER(std, R_STD)
REDUCER(var, R_VAR)
REDUCER(max, R_MAX)
REDUCER(min, R_MIN)
REDUCER(all, R_ALL)
REDUCER(any, R_ANY)
REDUCER(argmax, R_ARGMAX)
REDUCER(argmin, R_ARGMIN)
REDUCER(cumsum, R_CUMSUM)

/* np.add.reduce and np.multiply.reduce (numpy/ufuncs.py): np.sum and
 * np.prod whose floating-point errors are the caller's line's */
static Value *ufunc_reduce(const CallArgs *a, RKind k) {
    reduce_ufunc_call = true;
    Value *r = reduce(NULL, a, k);
    reduce_ufunc_call = false;
    return r;
}

/* cumprod of a complex array along axis (statistics.py flattened it for
 * axis=None): multiply.accumulate's loop */
static Value *np_complex_cumprod(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("_complex_cumprod", "a, axis");
    int64_t axis;
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    Tensor *r = NULL;
    if (val_as_int(v_[1], &axis)) r = op_np_complex_accumulate(t, axis, true);
    tensor_release(t);
    return numpy_result_steal(r);
}

static Value *np_add_reduce(Value *self, const CallArgs *a) { return ufunc_reduce(a, R_SUM); }
static Value *np_multiply_reduce(Value *self, const CallArgs *a) { return ufunc_reduce(a, R_PROD); }

/* ------------------------------------------------------------ shape */

static Value *np_reshape(Value *self, const CallArgs *a) {
    Tensor *t = self ? tensor_retain(self->tensor) : a->nargs ? arr(a->args[0]) : NULL;
    if (!t) {
        if (!tsr_err_occurred()) tsr_raise(ERR_TypeError, "%s", "reshape() missing required argument 'a' (pos 0)");
        return NULL;
    }
    int first = self ? 0 : 1;
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    Value *const *sv = a->nargs > first ? a->args + first : NULL; /* args is NULL when there are none */
    int ns = a->nargs - first;
    bool ok = ns == 1 && (sv[0]->kind == VK_TUPLE || sv[0]->kind == VK_LIST)
                  ? val_as_shape(sv[0]->seq.items, (int)sv[0]->seq.len, shape, &nd, "reshape")
                  : val_as_shape(sv, ns, shape, &nd, "reshape");
    Tensor *r = NULL;
    if (ok) {
        int64_t known = 1, numel = tensor_numel(t);
        int neg = -1;
        for (int i = 0; i < nd; i++)
            if (shape[i] == -1) neg = i;
            else known *= shape[i];
        if ((neg < 0 && known != numel) || (neg >= 0 && (known == 0 || numel % known))) {
            char buf[300];
            size_t k = (size_t)snprintf(buf, sizeof buf, "(");
            for (int i = 0; i < nd && k < sizeof buf; i++)
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%lld", i ? "," : "", (long long)shape[i]);
            if (k < sizeof buf) snprintf(buf + k, sizeof buf - k, nd == 1 ? ",)" : ")");
            tsr_raise(ERR_ValueError, "cannot reshape array of size %lld into shape %s", (long long)numel, buf);
        } else {
            r = op_reshape(t, nd, shape);
        }
    }
    tensor_release(t);
    return numpy_result_steal(r);
}

static Value *np_transpose(Value *self, const CallArgs *a) {
    Tensor *t = self ? tensor_retain(self->tensor) : a->nargs ? arr(a->args[0]) : NULL;
    if (!t) {
        if (!tsr_err_occurred()) tsr_raise(ERR_TypeError, "%s", "transpose() missing required argument 'a' (pos 0)");
        return NULL;
    }
    int first = self ? 0 : 1;
    int64_t dims[TSR_MAX_DIMS];
    int nd = a->nargs - first;
    Value *const *sv = a->nargs > first ? a->args + first : NULL; /* args is NULL when there are none */
    if (nd == 1 && (sv[0]->kind == VK_TUPLE || sv[0]->kind == VK_LIST)) {
        nd = (int)sv[0]->seq.len;
        sv = sv[0]->seq.items;
    }
    Tensor *r = NULL;
    if (nd == 0 || (nd == 1 && is_none(sv[0]))) {
        nd = t->ndim;
        for (int i = 0; i < nd; i++) dims[i] = nd - 1 - i;
    } else {
        for (int i = 0; i < nd && i < TSR_MAX_DIMS; i++)
            if (!val_as_int(sv[i], &dims[i])) goto done;
        if (nd != t->ndim) {
            tsr_raise(ERR_ValueError, "%s", "axes don't match array");
            goto done;
        }
    }
    r = op_permute(t, nd, dims);
done:
    tensor_release(t);
    return numpy_result_steal(r);
}

static Value *np_flatten(Value *self, const CallArgs *a) {
    if (!args_none("flatten", a)) return NULL;
    int64_t m1 = -1;
    Tensor *c = tensor_clone(self->tensor, DT_UNDEFINED), *r = c ? op_reshape(c, 1, &m1) : NULL;
    tensor_release(c);
    return numpy_result_steal(r);
}

static Value *np_ravel(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    ARGS(1);
    PARSE("ravel", "a");
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    int64_t m1 = -1;
    Tensor *r = op_reshape(t, 1, &m1);
    tensor_release(t);
    return numpy_result_steal(r);
}

static Value *np_squeeze(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    ARGS(2);
    PARSE("squeeze", "a, axis=");
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd = 0;
    Tensor *r = NULL;
    if (is_none(v_[1]) || axes(v_[1], t, dims, &nd)) {
        for (int i = 0; i < nd; i++)
            if (t->shape[dims[i]] != 1) {
                tsr_raise(ERR_ValueError, "%s", "cannot select an axis to squeeze out which has size not equal to one");
                goto done;
            }
        if (is_none(v_[1])) nd = 0;
        r = nd || is_none(v_[1]) ? op_squeeze(t, nd, dims) : NULL;
    }
done:
    tensor_release(t);
    return numpy_result_steal(r);
}

static Value *np_astype(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("astype", "dtype");
    DType d;
    if (!np_arg_dtype(v_[0], &d)) return NULL;
    if (d == DT_UNDEFINED) d = DT_FLOAT64;
    Tensor *t = self->tensor;
    if (dtype_is_complex(t->dtype) && !dtype_is_complex(d)) return numpy_result_steal(np_complex_to_real(t, d, false));
    if (dtype_is_float(t->dtype) && !dtype_is_float(d) && d != DT_BOOL && tensor_numel(t)) {
        /* C's float-to-integer conversion (through int32 for the small
         * integers) raises invalid for nan, inf and what does not fit */
        double lim = dtype_size(d) == 8 ? 9223372036854775808.0 : 2147483648.0;
        Tensor *ab = op_unary(UN_ABS, t), *l = ab ? tensor_scalar_f64(ab->dtype, lim) : NULL;
        Tensor *fits = l ? op_binary(BIN_LT, ab, l) : NULL;
        Tensor *all = fits ? op_all(fits, 0, NULL, false) : NULL;
        bool bad = all && !tensor_get_i64(all, 0);
        tensor_release(ab);
        tensor_release(l);
        tensor_release(fits);
        tensor_release(all);
        if (bad) {
            np_fpe_clear();
            np_fpe_raise_invalid();
            if (!np_fpe_check("cast", NULL)) return NULL;
        }
    }
    return numpy_result_steal(tensor_clone(t, d));
}

static Value *np_copy(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    ARGS(1);
    PARSE("copy", "a");
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    Tensor *r = tensor_clone(t, DT_UNDEFINED);
    tensor_release(t);
    return numpy_result_steal(r);
}

static Value *np_tolist(Value *self, const CallArgs *a) {
    if (!args_none("tolist", a)) return NULL;
    return tensor_tolist_value(self->tensor);
}

/* a.tobytes(order='C'): the elements' bytes in C (or Fortran) order */
static Value *np_tobytes(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("tobytes", "order=");
    const char *order = v_[0] && v_[0]->kind == VK_STR ? v_[0]->str.s : "C";
    if (v_[0] && v_[0]->kind != VK_NONE && v_[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "order must be str, not %s", val_type_name(v_[0]));
        return NULL;
    }
    if (strlen(order) != 1 || !strchr("CFAKcfak", order[0])) {
        Value *r = val_repr(v_[0]);
        if (r) tsr_raise(ERR_ValueError, "order must be one of 'C', 'F', 'A', or 'K' (got %s)", r->str.s);
        val_release(r);
        return NULL;
    }
    Tensor *t = self->tensor, *view = NULL;
    if ((order[0] == 'F' || order[0] == 'f') && t->ndim > 1) { /* Fortran order: the C order of the reversed axes */
        int64_t dims[TSR_MAX_DIMS];
        for (int i = 0; i < t->ndim; i++) dims[i] = t->ndim - 1 - i;
        if (!(view = op_permute(t, t->ndim, dims))) return NULL;
        t = view;
    }
    Tensor *c = tensor_contiguous(t);
    tensor_release(view);
    if (!c) return NULL;
    Value *r = val_bytes(tensor_data(c), tensor_numel(c) * (int64_t)dtype_size(c->dtype));
    tensor_release(c);
    return r;
}

static Value *np_item(Value *self, const CallArgs *a) {
    if (!args_none("item", a)) return NULL;
    if (tensor_numel(self->tensor) != 1) {
        tsr_raise(ERR_ValueError, "%s", "can only convert an array of size 1 to a Python scalar");
        return NULL;
    }
    return tensor_item_value(self->tensor);
}

static Value *np_fill(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("fill", "value");
    Tensor *v = arr(v_[0]);
    bool ok = v && tensor_copy_(self->tensor, v);
    tensor_release(v);
    return ok ? val_none() : NULL;
}

/* ------------------------------------------------------------ binary functions */

static Value *np_binfn(Value *self, const CallArgs *a, const char *fn, BinKind op) {
    WITH_SELF(a);
    ARGS(2);
    PARSE(fn, "x1, x2");
    return op == B_MATMUL ? numpy_binary(op, v_[0], v_[1], false) : numpy_ufunc_binary(op, v_[0], v_[1]);
}

/* dot: a scalar or 0-d operand multiplies */
static Value *np_dot(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    ARGS(3);
    PARSE("dot", "a, b, out=");
    for (int i = 0; i < 2; i++) {
        Value *u = val_unwrap(v_[i]);
        if (u->kind == VK_INT || u->kind == VK_FLOAT || u->kind == VK_BOOL || u->kind == VK_COMPLEX ||
            (u->kind == VK_TENSOR && u->tensor->ndim == 0))
            return numpy_ufunc_binary(B_MUL, v_[0], v_[1]);
    }
    if (v_[2] && !is_none(v_[2])) {
        tsr_raise(ERR_TypeError, "%s", "tsr's numpy has no out= for dot yet");
        return NULL;
    }
    return numpy_binary(B_MATMUL, v_[0], v_[1], false);
}
static Value *np_matmul(Value *self, const CallArgs *a) { return np_binfn(self, a, "matmul", B_MATMUL); }
static Value *np_add(Value *self, const CallArgs *a) { return np_binfn(self, a, "add", B_ADD); }
static Value *np_subtract(Value *self, const CallArgs *a) { return np_binfn(self, a, "subtract", B_SUB); }
static Value *np_multiply(Value *self, const CallArgs *a) { return np_binfn(self, a, "multiply", B_MUL); }
static Value *np_divide(Value *self, const CallArgs *a) { return np_binfn(self, a, "divide", B_DIV); }
static Value *np_power(Value *self, const CallArgs *a) { return np_binfn(self, a, "power", B_POW); }

/* maximum/minimum: promote like an operator, then torch's elementwise op */
static Value *np_extremum(const CallArgs *a, const char *fn, BinaryOp op) {
    ARGS(2);
    PARSE(fn, "x1, x2");
    DType rd = np_result_type(v_[0], v_[1]);
    if (rd == DT_UNDEFINED) return NULL;
    Tensor *x = arr(v_[0]), *y = x ? arr(v_[1]) : NULL;
    Tensor *cx = y ? tensor_to_dtype(x, rd) : NULL, *cy = cx ? tensor_to_dtype(y, rd) : NULL;
    Tensor *r = !cy || !np_check_broadcast(cx, cy) ? NULL
                : dtype_is_complex(rd)                ? op_np_complex_binary(op, cx, cy)
                                                      : op_binary(op, cx, cy);
    tensor_release(x);
    tensor_release(y);
    tensor_release(cx);
    tensor_release(cy);
    return numpy_result_steal(r);
}

static Value *np_maximum(Value *self, const CallArgs *a) { return np_extremum(a, "maximum", BIN_MAXIMUM); }
static Value *np_minimum(Value *self, const CallArgs *a) { return np_extremum(a, "minimum", BIN_MINIMUM); }

/* ------------------------------------------------------------ unary math */

static Value *np_unary(const CallArgs *a, const char *fn, UnaryOp op, bool to_float) {
    ARGS(1);
    PARSE(fn, "x");
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    Tensor *src = to_float && !dtype_is_complex(t->dtype) ? tensor_to_dtype(t, np_float_dtype(t->dtype))
                                                          : tensor_retain(t);
    Tensor *r = NULL;
    if (src && op == UN_ABS && dtype_is_complex(src->dtype)) { /* |z| (npy_cabs: hypot) */
        r = op_complex_abs(src);
    } else if (src && dtype_is_complex(src->dtype) && (op == UN_ISNAN || op == UN_SQUARE)) {
        r = op == UN_ISNAN ? np_complex_predicate(op, src) : op_binary(BIN_MUL, src, src);
    } else if (src && dtype_is_complex(src->dtype) && np_complex_unary_has(fn)) {
        np_fpe_clear(); /* the C library's complex math raises numpy's flags */
        r = np_fpe_done(op_np_complex_unary(fn, src), fn, NULL);
        tensor_release(src);
        tensor_release(t);
        return numpy_result_steal(r);
    } else if (src && dtype_is_float(src->dtype) && src->dtype != DT_BFLOAT16 && np_float_unary_has(fn)) {
        r = op_np_float_unary(fn, src); /* numpy's own loops (SVML on AVX512_SKX) */
    } else if (src && src->dtype == DT_FLOAT16) { /* numpy's half loops compute in float32 */
        Tensor *f = tensor_to_dtype(src, DT_FLOAT32), *rf = f ? op_unary(op, f) : NULL;
        r = rf ? tensor_to_dtype(rf, rf->dtype == DT_FLOAT32 ? DT_FLOAT16 : rf->dtype) : NULL;
        tensor_release(f);
        tensor_release(rf);
    } else if (src) {
        r = op_unary(op, src);
    }
    if (r && op == UN_SIGN && dtype_is_float(src->dtype)) { /* numpy's sign of nan is nan */
        Tensor *nan = op_unary(UN_ISNAN, src), *s = nan ? op_where(nan, src, r) : NULL;
        tensor_release(nan);
        tensor_release(r);
        r = s;
    }
    np_fpe_clear(); /* the vectorised math's own flags are not numpy's */
    if (r && op != UN_ISNAN) {
        np_fpe_from_values(r, src, NULL,
                           op == UN_LOG || op == UN_LOG2 || op == UN_LOG10 ? NP_POLE_ALWAYS
                           : op == UN_EXP                                  ? NP_EXP_LIKE
                                                                           : NP_POLE_NONE);
        r = np_fpe_done(r, fn, NULL);
    }
    tensor_release(src);
    tensor_release(t);
    return numpy_result_steal(r);
}

#define UNARY(name, op, fl) \
    static Value *np_##name(Value *self, const CallArgs *a) { return np_unary(a, #name, op, fl); }
UNARY(exp, UN_EXP, true)
UNARY(log, UN_LOG, true)
UNARY(log2, UN_LOG2, true)
UNARY(log10, UN_LOG10, true)
UNARY(sqrt, UN_SQRT, true)
UNARY(sin, UN_SIN, true)
UNARY(cos, UN_COS, true)
UNARY(tan, UN_TAN, true)
UNARY(tanh, UN_TANH, true)
UNARY(abs, UN_ABS, false)
UNARY(absolute, UN_ABS, false)
UNARY(floor, UN_FLOOR, true)
UNARY(ceil, UN_CEIL, true)
UNARY(sign, UN_SIGN, false)
UNARY(square, UN_SQUARE, false)
UNARY(isnan, UN_ISNAN, false)
UNARY(negative, UN_NEG, false)

/* ------------------------------------------------------------ complex parts */

/* r as what numpy gives for src's part: a numpy scalar's part is a numpy
 * scalar, an array's (a 0-dim one too) an array */
static Value *like_input(Value *src, Tensor *r) {
    return val_unwrap(src)->kind == VK_TENSOR && val_unwrap(src)->tensor->numpy == TENSOR_NP_SCALAR
               ? numpy_result_steal(r)
               : ndarray_from_tensor_steal(r);
}

/* a.real: a view of the real parts (the array itself when real) */
static Tensor *real_part(Tensor *t) { return op_real(t); }

/* a.imag: a view of the imaginary parts; zeros of a real array's dtype */
static Tensor *imag_part(Tensor *t) {
    if (dtype_is_complex(t->dtype)) return op_imag(t);
    return tensor_full_i64(t->dtype, t->ndim, t->shape, 0, device_cpu());
}

Value *numpy_complex_attr(Value *self, const char *name) {
    Tensor *t = self->tensor;
    return like_input(self, !strcmp(name, "real") ? real_part(t) : imag_part(t));
}

/* np.real(val), np.imag(val): a Python number's own parts */
static Value *np_part(const CallArgs *a, const char *fn, bool imag) {
    ARGS(1);
    PARSE(fn, "val");
    Value *v = val_unwrap(v_[0]);
    if (v->kind == VK_COMPLEX) return val_float(imag ? v->c.im : v->c.re);
    if (v->kind == VK_FLOAT) return val_float(imag ? 0.0 : v->f);
    if (v->kind == VK_INT || v->kind == VK_BOOL) return val_int(imag ? 0 : v->kind == VK_INT ? v->i : v->b);
    Tensor *t = arr(v);
    if (!t) return NULL;
    Value *r = like_input(v, imag ? imag_part(t) : real_part(t));
    tensor_release(t);
    return r;
}
static Value *np_real(Value *self, const CallArgs *a) { return np_part(a, "real", false); }
static Value *np_imag(Value *self, const CallArgs *a) { return np_part(a, "imag", true); }

/* np.conjugate(x), a.conj(): a new array (real arrays keep their values) */
static Value *np_conjugate(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    ARGS(1);
    PARSE("conjugate", "x");
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    Tensor *r = dtype_is_complex(t->dtype) ? op_conj(t) : tensor_clone(t, DT_UNDEFINED);
    tensor_release(t);
    return numpy_result_steal(r);
}

/* np.angle(z, deg=False): arctan2(z.imag, z.real), in the float dtype of
 * numpy's arctan2 for a real z */
static Value *np_angle(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("angle", "z, deg=");
    bool deg;
    if (!arg_bool(v_[1], "angle", "deg", false, &deg)) return NULL;
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    Tensor *r;
    if (dtype_is_complex(t->dtype)) { /* numpy's arctan2 loop (SVML on AVX512_SKX) */
        Tensor *re = op_real(t), *im = re ? op_imag(t) : NULL;
        r = im ? op_np_float_binary("arctan2", im, re) : NULL;
        tensor_release(re);
        tensor_release(im);
    } else { /* arctan2(0, x): 0 or pi, nan for nan */
        DType fd = np_float_dtype(t->dtype);
        Tensor *c = tensor_to_dtype(t, DT_COMPLEX128), *g = c ? op_complex_angle(c) : NULL;
        r = g ? tensor_to_dtype(g, fd) : NULL;
        tensor_release(c);
        tensor_release(g);
    }
    tensor_release(t);
    if (r && deg) { /* a *= 180/pi in a's dtype */
        Tensor *k = tensor_scalar_f64(r->dtype, 180 / M_PI), *d = k ? op_binary(BIN_MUL, r, k) : NULL;
        tensor_release(k);
        tensor_release(r);
        r = d;
    }
    return numpy_result_steal(r);
}

static Value *np_clip(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    ARGS(4);
    PARSE("clip", "a, a_min, a_max, out=");
    if (is_none(v_[1]) && is_none(v_[2])) {
        tsr_raise(ERR_ValueError, "%s", "One of max or min must be given");
        return NULL;
    }
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    Tensor *lo = is_none(v_[1]) ? NULL : arr(v_[1]), *hi = is_none(v_[2]) ? NULL : arr(v_[2]);
    Tensor *r = NULL;
    if ((lo || is_none(v_[1])) && (hi || is_none(v_[2]))) {
        DType rd = t->dtype;
        if (lo) rd = np_promote(rd, lo->ndim ? lo->dtype : dtype_is_float(lo->dtype) && !dtype_is_float(rd) ? DT_FLOAT64 : rd);
        if (hi) rd = np_promote(rd, hi->ndim ? hi->dtype : dtype_is_float(hi->dtype) && !dtype_is_float(rd) ? DT_FLOAT64 : rd);
        Tensor *ct = tensor_to_dtype(t, rd);
        Tensor *clo = lo ? tensor_to_dtype(lo, rd) : NULL, *chi = hi ? tensor_to_dtype(hi, rd) : NULL;
        if (ct && dtype_is_complex(rd)) { /* maximum with a_min, then minimum with a_max, lexicographic */
            Tensor *m = clo && np_check_broadcast(ct, clo) ? op_np_complex_binary(BIN_MAXIMUM, ct, clo)
                        : clo                               ? NULL
                                                            : tensor_retain(ct);
            r = !m ? NULL : !chi ? tensor_retain(m) : np_check_broadcast(m, chi) ? op_np_complex_binary(BIN_MINIMUM, m, chi)
                                                                                : NULL;
            tensor_release(m);
        } else if (ct) {
            r = op_clamp(ct, clo, chi);
        }
        tensor_release(ct);
        tensor_release(clo);
        tensor_release(chi);
    }
    tensor_release(t);
    tensor_release(lo);
    tensor_release(hi);
    if (r && !is_none(v_[3])) { /* out=: numpy 1.24 falls back to unsafe casting */
        Value *res = numpy_result_steal(r), *np = res ? stdlib_import("numpy") : NULL;
        Value *w = np ? dict_get(np->module.members, "_write_out") : NULL;
        Value *args[5] = {val_cstr("clip"), res, v_[3], val_bool(true), val_cstr("unsafe")};
        Value *out = w && args[0] && args[3] && args[4] ? call_value(w, &(CallArgs){args, 5, NULL, NULL, 0}) : NULL;
        val_release(args[0]);
        val_release(args[3]);
        val_release(args[4]);
        val_release(res);
        val_release(np);
        return out;
    }
    return numpy_result_steal(r);
}

/* ------------------------------------------------------------ comparisons */

static Value *np_array_equal(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("array_equal", "a1, a2");
    Tensor *x = arr(v_[0]), *y = x ? arr(v_[1]) : NULL;
    Value *r = NULL;
    if (y) {
        bool same = x->ndim == y->ndim;
        for (int i = 0; same && i < x->ndim; i++) same = x->shape[i] == y->shape[i];
        if (!same) r = val_bool(false);
        else {
            DType rd = np_promote(x->dtype, y->dtype);
            Tensor *cx = tensor_to_dtype(x, rd), *cy = cx ? tensor_to_dtype(y, rd) : NULL;
            Tensor *eq = cy ? op_binary(BIN_EQ, cx, cy) : NULL, *all = eq ? op_all(eq, 0, NULL, false) : NULL;
            if (all) r = val_bool(tensor_get_i64(all, 0) != 0);
            tensor_release(cx);
            tensor_release(cy);
            tensor_release(eq);
            tensor_release(all);
        }
    }
    tensor_release(x);
    tensor_release(y);
    return r;
}

static Value *np_where(Value *self, const CallArgs *a) {
    ARGS(3);
    PARSE("where", "condition, x=, y=");
    if (!v_[1] && !v_[2]) { /* np.where(condition): np.nonzero(condition) */
        Value *np = stdlib_import("numpy"), *nz = np ? dict_get(np->module.members, "nonzero") : NULL;
        Value *r = nz ? call_value(nz, &(CallArgs){v_, 1, NULL, NULL, 0}) : NULL;
        val_release(np);
        return r;
    }
    if (!v_[1] || !v_[2]) {
        tsr_raise(ERR_ValueError, "%s", "either both or neither of x and y should be given");
        return NULL;
    }
    DType rd = np_result_type(v_[1], v_[2]);
    if (rd == DT_UNDEFINED) return NULL;
    Tensor *c = arr(v_[0]), *x = c ? arr(v_[1]) : NULL, *y = x ? arr(v_[2]) : NULL;
    Tensor *cb = y ? tensor_to_dtype(c, DT_BOOL) : NULL;
    Tensor *cx = cb ? tensor_to_dtype(x, rd) : NULL, *cy = cx ? tensor_to_dtype(y, rd) : NULL;
    Tensor *r = NULL;
    if (cy && dtype_is_complex(rd)) { /* the real and the imaginary parts chosen apart */
        Tensor *xr = op_real(cx), *yr = xr ? op_real(cy) : NULL, *xi = yr ? op_imag(cx) : NULL;
        Tensor *yi = xi ? op_imag(cy) : NULL, *re = yi ? op_where(cb, xr, yr) : NULL;
        Tensor *im = re ? op_where(cb, xi, yi) : NULL;
        r = im ? op_complex(re, im) : NULL;
        Tensor *parts[] = {xr, yr, xi, yi, re, im};
        for (int i = 0; i < 6; i++) tensor_release(parts[i]);
    } else if (cy) {
        r = op_where(cb, cx, cy);
    }
    Tensor *all[] = {c, x, y, cb, cx, cy};
    for (int i = 0; i < 6; i++) tensor_release(all[i]);
    return numpy_result_steal(r);
}

/* ------------------------------------------------------------ sorting */

static Value *sort_common(Value *self, const CallArgs *a, bool want_indices, bool inplace) {
    WITH_SELF(a);
    ARGS(4);
    PARSE(want_indices ? "argsort" : "sort", "a, axis=, kind=, order=");
    /* kind=: every kind gives sorted values; tsr's sort is stable, as
     * numpy's 'stable' and 'mergesort' and its quicksort of short rows */
    if (!is_none(v_[2])) {
        static const char *const kinds[] = {"quicksort", "mergesort", "heapsort", "stable"};
        bool ok = v_[2]->kind == VK_STR;
        for (int i = 0; ok && i < 4; i++)
            if (!strcmp(v_[2]->str.s, kinds[i])) break;
            else if (i == 3) ok = false;
        if (!ok) {
            Value *r = val_repr(v_[2]);
            tsr_raise(ERR_ValueError, "sort kind must be one of 'quick', 'heap', or 'stable' (got %s)",
                      r ? r->str.s : "?");
            val_release(r);
            return NULL;
        }
    }
    if (!is_none(v_[3])) {
        tsr_raise(ERR_ValueError, "%s", "Cannot specify order when the array has no fields.");
        return NULL;
    }
    int64_t axis = -1;
    if (v_[1] && !is_none(v_[1]) && !val_as_int(v_[1], &axis)) return NULL;
    Tensor *t = arr(v_[0]), *flat = NULL;
    if (!t) return NULL;
    if (v_[1] && is_none(v_[1])) {
        int64_t m1 = -1;
        flat = op_reshape(t, 1, &m1);
        tensor_release(t);
        if (!(t = flat)) return NULL;
        axis = 0;
    }
    Tensor *vals = NULL, *idx = NULL;
    Value *r = NULL;
    bool sorted = false;
    if (t->ndim == 0) {
        tsr_raise(ERR_AxisError, "axis %lld is out of bounds for array of dimension 0", (long long)axis);
    } else if (dtype_is_complex(t->dtype)) { /* numpy's lexicographic order */
        if (axis < -t->ndim || axis >= t->ndim)
            tsr_raise(ERR_AxisError, "axis %lld is out of bounds for array of dimension %d", (long long)axis,
                      t->ndim);
        else sorted = op_np_complex_sort(t, axis < 0 ? axis + t->ndim : axis, &vals, &idx);
    } else {
        sorted = op_sort(t, axis, false, true, &vals, &idx);
    }
    if (sorted) {
        if (inplace) {
            r = tensor_copy_(t, vals) ? val_none() : NULL;
        } else {
            r = numpy_result_steal(want_indices ? idx : vals);
            if (want_indices) idx = NULL;
            else vals = NULL;
        }
    }
    tensor_release(vals);
    tensor_release(idx);
    tensor_release(t);
    return r;
}

static Value *np_sort(Value *self, const CallArgs *a) { return sort_common(self, a, false, self != NULL); }
static Value *np_argsort(Value *self, const CallArgs *a) { return sort_common(self, a, true, false); }

static Value *np_unique(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("unique", "ar");
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    Tensor *vals = NULL, *inv = NULL, *cnt = NULL;
    bool ok = op_unique(t, &vals, &inv, &cnt);
    tensor_release(t);
    tensor_release(inv);
    tensor_release(cnt);
    return ok ? numpy_result_steal(vals) : NULL;
}

/* ------------------------------------------------------------ joining */

static int array_list(Value *v, const char *fn, Tensor ***out) {
    Value *items = iterate_to_list(v);
    if (!items) return -1;
    int n = (int)items->seq.len;
    Tensor **ts = calloc((size_t)(n ? n : 1), sizeof *ts);
    bool ok = ts != NULL;
    DType rd = DT_UNDEFINED;
    for (int i = 0; ok && i < n; i++) {
        ok = (ts[i] = arr(items->seq.items[i])) != NULL;
        if (ok) rd = rd == DT_UNDEFINED ? ts[i]->dtype : np_promote(rd, ts[i]->dtype);
    }
    for (int i = 0; ok && i < n; i++) {
        Tensor *c = tensor_to_dtype(ts[i], rd);
        tensor_release(ts[i]);
        ok = (ts[i] = c) != NULL;
    }
    val_release(items);
    if (ok && n == 0) {
        tsr_raise(ERR_ValueError, "%s", "need at least one array to concatenate");
        ok = false;
    }
    if (!ok) {
        if (ts) tensor_list_release(ts, n);
        return -1;
    }
    *out = ts;
    return n;
}

static Value *join(const CallArgs *a, const char *fn, int mode) { /* 0 concatenate, 1 stack, 2 vstack, 3 hstack */
    ARGS(2);
    if (!args_parse(a, 0, fn, mode >= 2 ? "tup" : "arrays, axis=", v_)) return NULL;
    int64_t axis;
    if (!arg_int(v_[1], fn, "axis", 0, &axis)) return NULL;
    Tensor **ts;
    int n = array_list(v_[0], fn, &ts);
    if (n < 0) return NULL;
    Tensor *r = NULL;
    bool ok = true;
    if (mode == 0) {
        for (int i = 0; i < n; i++)
            if (ts[i]->ndim == 0) {
                tsr_raise(ERR_ValueError, "%s", "zero-dimensional arrays cannot be concatenated");
                ok = false;
                break;
            }
        if (ok) r = op_cat(ts, n, axis);
    } else if (mode == 1) {
        r = op_stack(ts, n, axis);
    } else {
        /* vstack: at least 2-d, along 0; hstack: along 1 unless 1-d */
        for (int i = 0; i < n; i++) {
            if (ts[i]->ndim >= (mode == 2 ? 2 : 1)) continue;
            int64_t shape[2] = {1, ts[i]->ndim ? ts[i]->shape[0] : 1};
            Tensor *v = mode == 2 ? op_reshape(ts[i], 2, shape) : op_reshape(ts[i], 1, shape + 1);
            tensor_release(ts[i]);
            ts[i] = v;
            if (!v) ok = false;
        }
        if (ok) r = op_cat(ts, n, mode == 2 || ts[0]->ndim == 1 ? 0 : 1);
    }
    for (int i = 0; i < n; i++) tensor_release(ts[i]);
    free(ts);
    return numpy_result_steal(r);
}

static Value *np_concatenate(Value *self, const CallArgs *a) { return join(a, "concatenate", 0); }
static Value *np_stack(Value *self, const CallArgs *a) { return join(a, "stack", 1); }
static Value *np_vstack(Value *self, const CallArgs *a) { return join(a, "vstack", 2); }
static Value *np_hstack(Value *self, const CallArgs *a) { return join(a, "hstack", 3); }

static Value *np_shape(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("shape", "a");
    Tensor *t = arr(v_[0]);
    if (!t) return NULL;
    Value *tu = val_tuple_new(t->ndim);
    for (int i = 0; tu && i < t->ndim; i++) tu->seq.items[i] = val_int(t->shape[i]);
    tensor_release(t);
    return tu;
}

Value *numpy_python_builtin(const char *name, const CallArgs *a) {
    Value *x = a->nargs ? a->args[0] : NULL;
    if (!strcmp(name, "pow") && a->nargs == 2) return numpy_binary(B_POW, a->args[0], a->args[1], false);
    if (!strcmp(name, "round") && x && x->kind == VK_TENSOR && x->tensor->numpy == TENSOR_NP_SCALAR) {
        Value *f = tensor_item_value(x->tensor); /* np.float64.__round__ as float's */
        if (!f) return NULL;
        Value *args[2] = {f, a->nargs > 1 ? a->args[1] : NULL};
        CallArgs ca = {args, a->nargs > 1 ? 2 : 1, NULL, NULL, 0};
        Value *r = call_function(tsr_interp, dict_get(tsr_interp->builtins->dict, "round"), &ca);
        val_release(f);
        return r;
    }
    static const struct { const char *name; BuiltinFn fn; bool along0; } map[] = {
        {"abs", np_abs, false}, {"sum", np_sum, true}, {"max", np_max, true}, {"min", np_min, true},
        {"all", np_all, true},  {"any", np_any, true},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        if (strcmp(map[i].name, name)) continue;
        if (!map[i].along0 || a->nargs != 1 || a->nkw) return map[i].fn(NULL, a);
        /* sum(a), max(a): Python iterates over the first axis */
        Value *zero = val_int(0);
        Value *args[2] = {x, zero};
        CallArgs ca = {args, 2, NULL, NULL, 0};
        Value *r = zero ? map[i].fn(NULL, &ca) : NULL;
        val_release(zero);
        return r;
    }
    tsr_raise(ERR_TypeError, "%s() does not support numpy arrays in tsr", name);
    return NULL;
}

/* the functions of the numpy module (numpy_module.c installs them) */
const Builtin numpy_functions[] = {
    {"sum", np_sum},           {"prod", np_prod},         {"mean", np_mean},
    {"std", np_std},           {"var", np_var},           {"max", np_max},
    {"min", np_min},           {"amax", np_max},          {"amin", np_min},
    {"all", np_all},           {"any", np_any},           {"argmax", np_argmax},
    {"argmin", np_argmin},     {"cumsum", np_cumsum},     {"_add_reduce", np_add_reduce},
    {"_multiply_reduce", np_multiply_reduce},     {"reshape", np_reshape},
    {"transpose", np_transpose}, {"ravel", np_ravel},     {"squeeze", np_squeeze},
    {"copy", np_copy},         {"dot", np_dot},           {"matmul", np_matmul},
    {"add", np_add},           {"subtract", np_subtract}, {"multiply", np_multiply},
    {"divide", np_divide},     {"power", np_power},       {"maximum", np_maximum},
    {"minimum", np_minimum},   {"exp", np_exp},           {"log", np_log},
    {"log2", np_log2},         {"log10", np_log10},       {"sqrt", np_sqrt},
    {"sin", np_sin},           {"cos", np_cos},           {"tan", np_tan},
    {"tanh", np_tanh},         {"abs", np_abs},           {"absolute", np_absolute},
    {"floor", np_floor},       {"ceil", np_ceil},         {"sign", np_sign},
    {"square", np_square},     {"isnan", np_isnan},       {"negative", np_negative},
    {"clip", np_clip},         {"array_equal", np_array_equal},
    {"where", np_where},       {"sort", np_sort},         {"argsort", np_argsort},
    {"unique", np_unique},     {"concatenate", np_concatenate}, {"stack", np_stack},
    {"vstack", np_vstack},     {"hstack", np_hstack},     {"shape", np_shape},
    {"real", np_real},         {"imag", np_imag},         {"conjugate", np_conjugate},
    {"angle", np_angle},       {"_complex_cumprod", np_complex_cumprod},
    {NULL, NULL},
};

/* ndarray methods, sorted by name (numpy_method_lookup bisects) */
const Builtin numpy_array_methods[] = {
    {"all", np_all},         {"any", np_any},         {"argmax", np_argmax},   {"argmin", np_argmin},
    {"argsort", np_argsort}, {"astype", np_astype},   {"clip", np_clip},       {"conj", np_conjugate},
    {"conjugate", np_conjugate}, {"copy", np_copy},
    {"cumsum", np_cumsum},   {"dot", np_dot},         {"fill", np_fill},       {"flatten", np_flatten},
    {"item", np_item},       {"max", np_max},         {"mean", np_mean},       {"min", np_min},
    {"prod", np_prod},       {"ravel", np_ravel},     {"reshape", np_reshape}, {"sort", np_sort},
    {"squeeze", np_squeeze}, {"std", np_std},         {"sum", np_sum},         {"tobytes", np_tobytes}, {"tolist", np_tolist},
    {"transpose", np_transpose}, {"var", np_var},
    {NULL, NULL},
};

extern const Builtin numpy_ufunc_methods[];  /* numpy_ufuncs.c */
extern const Builtin numpy_python_methods[]; /* numpy_python.c */

const Builtin *numpy_method_lookup(const char *name) {
    const Builtin *more[] = {numpy_ufunc_methods, numpy_python_methods};
    for (int k = 0; k < 2; k++)
        for (const Builtin *b = more[k]; b->name; b++)
            if (!strcmp(b->name, name)) return b;
    int lo = 0, hi = (int)(sizeof numpy_array_methods / sizeof *numpy_array_methods) - 2;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(name, numpy_array_methods[mid].name);
        if (!c) return &numpy_array_methods[mid];
        if (c < 0) hi = mid - 1;
        else lo = mid + 1;
    }
    return NULL;
}
