/* numpy_module.c: `import numpy`: the module, its dtypes and scalar types,
 * array creation, the torch interop (torch.from_numpy, Tensor.numpy), and
 * np.set_printoptions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "bytes.h"
#include "class.h"
#include "interp_internal.h"
#include "numpy.h"
#include "ops.h"
#include "print_ndarray.h"
#include "stdlib_py.h"

/* ------------------------------------------------------------ dtypes */

static const struct { const char *name; DType dtype; } dtype_names[] = {
    {"float64", DT_FLOAT64}, {"float32", DT_FLOAT32}, {"float16", DT_FLOAT16}, {"int64", DT_INT64},
    {"int32", DT_INT32},     {"int16", DT_INT16},     {"int8", DT_INT8},       {"uint8", DT_UINT8},
    {"bool", DT_BOOL},       {"float", DT_FLOAT64},   {"double", DT_FLOAT64},  {"int", DT_INT64},
    {"f8", DT_FLOAT64},      {"f4", DT_FLOAT32},      {"f2", DT_FLOAT16},      {"i8", DT_INT64},
    {"i4", DT_INT32},        {"i2", DT_INT16},        {"i1", DT_INT8},         {"u1", DT_UINT8},
    {"bool_", DT_BOOL},      {"?", DT_BOOL},          {"single", DT_FLOAT32},  {"half", DT_FLOAT16},
    {"complex128", DT_COMPLEX128}, {"complex64", DT_COMPLEX64}, {"complex", DT_COMPLEX128},
    {"c16", DT_COMPLEX128},  {"c8", DT_COMPLEX64},    {"cdouble", DT_COMPLEX128}, {"csingle", DT_COMPLEX64},
    {"complex_", DT_COMPLEX128}, {"D", DT_COMPLEX128}, {"F", DT_COMPLEX64},
};

bool np_arg_dtype(Value *v, DType *out) {
    *out = DT_UNDEFINED;
    if (is_none(v)) return true;
    if (v->kind == VK_NPDTYPE) {
        *out = v->dtype;
        return true;
    }
    if (v->kind == VK_TYPE) {
        DType d = numpy_type_dtype(v->type);
        if (d == DT_UNDEFINED)
            d = v->type == T_FLOAT ? DT_FLOAT64 : v->type == T_INT ? DT_INT64 : v->type == T_BOOL ? DT_BOOL
                                                                                              : DT_UNDEFINED;
        if (d != DT_UNDEFINED) {
            *out = d;
            return true;
        }
    }
    if (v->kind == VK_STR)
        for (size_t i = 0; i < sizeof dtype_names / sizeof *dtype_names; i++)
            if (!strcmp(dtype_names[i].name, v->str.s)) {
                *out = dtype_names[i].dtype;
                return true;
            }
    if (v->kind == VK_STR) tsr_raise(ERR_TypeError, "data type '%s' not understood", v->str.s);
    else tsr_raise(ERR_TypeError, "Cannot interpret '%s' as a data type", val_type_name(v));
    return false;
}

/* ------------------------------------------------------------ casting rules */

/* numpy's kinds in the order same_kind casts go: bool, unsigned, signed,
 * float, complex */
static int cast_kind(DType d) {
    return d == DT_BOOL ? 0 : d == DT_UINT8 ? 1 : dtype_is_float(d) ? 3 : dtype_is_complex(d) ? 4 : 2;
}

typedef enum { CAST_NO, CAST_EQUIV, CAST_SAFE, CAST_SAME_KIND, CAST_UNSAFE } CastRule;
static const char *const cast_rules[] = {"no", "equiv", "safe", "same_kind", "unsafe"};

/* casting= of numpy's functions, or its ValueError */
static bool arg_casting(Value *v, CastRule *out) {
    if (v->kind == VK_STR)
        for (int i = 0; i <= CAST_UNSAFE; i++)
            if (!strcmp(v->str.s, cast_rules[i])) {
                *out = (CastRule)i;
                return true;
            }
    Value *r = val_repr(v);
    tsr_raise(ERR_ValueError, "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe' (got %s)",
              r ? r->str.s : "?");
    val_release(r);
    return false;
}

static bool np_can_cast_dtype(DType from, DType to, CastRule rule) {
    switch (rule) {
    case CAST_NO: case CAST_EQUIV: return from == to;
    case CAST_SAFE: return np_promote(from, to) == to;
    case CAST_SAME_KIND: return np_promote(from, to) == to || cast_kind(from) <= cast_kind(to);
    default: return true;
    }
}

/* np.can_cast(from_, to, casting='safe'): from_ a dtype, an array, or a
 * Python number (numpy 1.24 reads its value) */
static Value *np_can_cast(Value *self, const CallArgs *a) {
    ARGS(3);
    PARSE("can_cast", "from_, to, casting=");
    CastRule rule = CAST_SAFE;
    DType to, from = DT_UNDEFINED;
    if (is_none(v_[1])) {
        tsr_raise(ERR_TypeError, "%s", "did not understand one of the types; 'None' not accepted");
        return NULL;
    }
    if ((v_[2] && !arg_casting(v_[2], &rule)) || !np_arg_dtype(v_[1], &to)) return NULL;
    if (to == DT_UNDEFINED) to = DT_FLOAT64;
    Value *f = v_[0];
    if (f->kind == VK_TENSOR) return val_bool(np_can_cast_dtype(f->tensor->dtype, to, rule));
    if (f->kind == VK_INT || f->kind == VK_FLOAT) { /* the value: what it fits */
        if (f->kind == VK_FLOAT) {
            double x = fabs(f->f);
            bool fits = to == DT_FLOAT64 || (to == DT_FLOAT32 && !(x > 3.4028234663852886e38)) ||
                        (to == DT_FLOAT16 && !(x > 65504.0));
            return val_bool(dtype_is_float(to) ? fits || rule == CAST_UNSAFE : np_can_cast_dtype(DT_FLOAT64, to, rule));
        }
        if (dtype_is_float(to) || rule == CAST_UNSAFE) return val_bool(true);
        if (to == DT_BOOL) return val_bool(false);
        int64_t v = f->i;
        int bits = (int)dtype_size(to) * 8;
        bool fits = to == DT_UINT8 ? v >= 0 && v <= 255
                    : bits >= 64 ? true : v >= -((int64_t)1 << (bits - 1)) && v < ((int64_t)1 << (bits - 1));
        return val_bool(fits);
    }
    if (f->kind == VK_LIST || f->kind == VK_TUPLE || is_none(f)) {
        tsr_raise(ERR_TypeError, "did not understand one of the types; 'None' not accepted");
        return NULL;
    }
    if (!np_arg_dtype(f, &from)) return NULL;
    return val_bool(np_can_cast_dtype(from, to, rule));
}

/* np.promote_types(type1, type2) */
static Value *np_promote_types(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("promote_types", "type1, type2");
    DType x, y;
    if (!np_arg_dtype(v_[0], &x) || !np_arg_dtype(v_[1], &y)) return NULL;
    return val_npdtype(np_promote(x == DT_UNDEFINED ? DT_FLOAT64 : x, y == DT_UNDEFINED ? DT_FLOAT64 : y));
}

/* np.result_type(*arrays_and_dtypes): the arrays' and dtypes' promotion,
 * then each Python or numpy scalar by numpy 1.24's value-based rule */
static Value *np_result_type_fn(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "result_type() takes no keyword arguments");
        return NULL;
    }
    if (a->nargs == 0) {
        tsr_raise(ERR_ValueError, "%s", "at least one array or dtype is required");
        return NULL;
    }
    DType acc = DT_UNDEFINED;
    bool any_array = false;
    for (int pass = 0; pass < 2; pass++, any_array = acc != DT_UNDEFINED)
        for (int i = 0; i < a->nargs; i++) {
            Value *v = a->args[i];
            bool scalar = v->kind == VK_BOOL || v->kind == VK_INT || v->kind == VK_FLOAT || v->kind == VK_COMPLEX ||
                          (v->kind == VK_TENSOR && (v->tensor->ndim == 0 || !val_is_ndarray(v)));
            if (pass == 0 && !scalar) { /* arrays and dtypes */
                DType d;
                if (v->kind == VK_TENSOR) d = v->tensor->dtype;
                else if (v->kind == VK_LIST || v->kind == VK_TUPLE) {
                    Tensor *t = np_tensor_of(v);
                    if (!t) return NULL;
                    d = t->dtype;
                    tensor_release(t);
                } else if (!np_arg_dtype(v, &d)) return NULL;
                if (d == DT_UNDEFINED) d = DT_FLOAT64;
                acc = acc == DT_UNDEFINED ? d : np_promote(acc, d);
            } else if (pass == 1 && scalar) {
                if (!any_array) { /* scalars only: their dtypes promote */
                    Tensor *t = np_tensor_of(v);
                    if (!t) return NULL;
                    acc = acc == DT_UNDEFINED ? t->dtype : np_promote(acc, t->dtype);
                    tensor_release(t);
                    continue;
                }
                int64_t zero = 0;
                Value *arr = numpy_result_steal(tensor_full_i64(acc, 1, &zero, 0, device_cpu()));
                DType r = arr ? np_result_type(arr, v) : DT_UNDEFINED;
                val_release(arr);
                if (r == DT_UNDEFINED) return NULL;
                acc = r;
            }
        }
    return val_npdtype(acc);
}

/* np.ufunc's casting of an input (index >= 0) or its output (index -1):
 * None, or numpy's UFuncTypeError (numpy/ufuncs.py) */
static Value *np_ufunc_cast(Value *self, const CallArgs *a) {
    ARGS(5);
    PARSE("_ufunc_cast", "name, from_, to, casting, index");
    CastRule rule;
    DType from, to;
    int64_t index;
    if (v_[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s", "_ufunc_cast(): the ufunc's name must be a str");
        return NULL;
    }
    if (!arg_casting(v_[3], &rule) || !np_arg_dtype(v_[1], &from) ||
        !np_arg_dtype(v_[2], &to) || !val_as_int(v_[4], &index))
        return NULL;
    if (np_can_cast_dtype(from, to, rule)) return val_none();
    char what[40];
    if (index < 0) snprintf(what, sizeof what, "output");
    else snprintf(what, sizeof what, "input %lld", (long long)index);
    tsr_raise(index < 0 ? ERR__UFuncOutputCastingError : ERR__UFuncInputCastingError,
              "Cannot cast ufunc '%s' %s from dtype('%s') to dtype('%s') with casting rule '%s'", v_[0]->str.s,
              what, numpy_dtype_name(from), numpy_dtype_name(to), cast_rules[rule]);
    return NULL;
}

static Value *np_dtype(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("dtype", "dtype");
    DType d;
    if (!np_arg_dtype(v_[0], &d)) return NULL;
    if (d == DT_UNDEFINED) d = DT_FLOAT64;
    return val_npdtype(d);
}

Value *numpy_scalar_new(TypeId t, const CallArgs *a) {
    DType d = numpy_type_dtype(t);
    if (a->nargs == 0 && !a->nkw) return numpy_result_steal(tensor_scalar_i64(d, 0));
    ARGS(1);
    PARSE(type_object_name(t), "x");
    Tensor *src = np_tensor_of(v_[0]);
    if (!src) return NULL;
    Tensor *r;
    if (dtype_is_complex(src->dtype) && !dtype_is_complex(d)) /* float(z), int(z) refuse; bool tests */
        r = np_complex_to_real(src, d, true);
    else r = tensor_clone(src, d);
    tensor_release(src);
    return numpy_result_steal(r);
}

/* ------------------------------------------------------------ creation */

/* np.array's data: nested Python data, where a list may hold arrays
 * (np.array([a, b]) stacks them) */
static Tensor *from_object(Value *x, DType d, int depth) {
    x = val_unwrap(x);
    bool has_array = false;
    if ((x->kind == VK_LIST || x->kind == VK_TUPLE) && depth < TSR_MAX_DIMS)
        for (int64_t i = 0; i < x->seq.len; i++) {
            Value *it = val_unwrap(x->seq.items[i]);
            if ((it->kind == VK_TENSOR && it->tensor->ndim > 0) || it->kind == VK_LIST || it->kind == VK_TUPLE)
                has_array = has_array || it->kind == VK_TENSOR || depth + 1 < TSR_MAX_DIMS;
        }
    if (!has_array) return x->kind == VK_TENSOR ? tensor_clone(x->tensor, d == DT_UNDEFINED ? x->tensor->dtype : d)
                                                : tensor_from_data_numpy(x, d);
    int n = (int)x->seq.len;
    Tensor **ts = tsr_calloc((unsigned long long)n, sizeof *ts);
    if (!ts) return NULL;
    bool ok = true;
    DType rd = DT_UNDEFINED;
    for (int i = 0; ok && i < n; i++) {
        ok = (ts[i] = from_object(x->seq.items[i], d, depth + 1)) != NULL;
        if (ok) rd = rd == DT_UNDEFINED ? ts[i]->dtype : np_promote(rd, ts[i]->dtype);
    }
    for (int i = 0; ok && i < n; i++) {
        Tensor *c = tensor_to_dtype(ts[i], rd);
        tensor_release(ts[i]);
        ok = (ts[i] = c) != NULL;
    }
    for (int i = 1; ok && i < n; i++) {
        bool same = ts[i]->ndim == ts[0]->ndim;
        for (int k = 0; same && k < ts[0]->ndim; k++) same = ts[i]->shape[k] == ts[0]->shape[k];
        if (!same) {
            tsr_raise(ERR_ValueError, "setting an array element with a sequence. The requested array has an "
                                      "inhomogeneous shape after 1 dimensions. The detected shape was (%d,) + "
                                      "inhomogeneous part.", n);
            ok = false;
        }
    }
    Tensor *r = ok ? op_stack(ts, n, 0) : NULL;
    for (int i = 0; i < n; i++) tensor_release(ts[i]);
    free(ts);
    return r;
}

static Value *np_array_common(const CallArgs *a, const char *fn, bool copy_always) {
    ARGS(6);
    if (!args_parse(a, 0, fn, copy_always ? "object, dtype=, *, copy=, order=, subok=, ndmin=" : "object, dtype=, order=", v_))
        return NULL;
    DType d;
    int64_t ndmin = 0;
    if (!np_arg_dtype(v_[1], &d) || (copy_always && !arg_int(v_[5], fn, "ndmin", 0, &ndmin))) return NULL;
    if (copy_always && v_[2] && val_truthy(v_[2]) == 0) copy_always = false;
    Value *x = val_unwrap(v_[0]), *r;
    if (x->kind == VK_TENSOR) {
        Tensor *t = x->tensor;
        if (!t->numpy && t->requires_grad) {
            tsr_raise(ERR_RuntimeError, "%s",
                      "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
            return NULL;
        }
        if (!copy_always && t->numpy == TENSOR_NP_ARRAY && (d == DT_UNDEFINED || d == t->dtype))
            r = val_retain(x);
        else r = ndarray_from_tensor_steal(tensor_clone(t, d == DT_UNDEFINED ? t->dtype : d));
    } else {
        r = ndarray_from_tensor_steal(from_object(x, d, 0));
    }
    if (!r || r->tensor->ndim >= ndmin) return r;
    if (ndmin > TSR_MAX_DIMS) { /* numpy's limit is 32 */
        val_release(r);
        tsr_raise(ERR_ValueError, "ndmin bigger than allowable number of dimensions NPY_MAXDIMS (=%d)", 32);
        return NULL;
    }
    /* ndmin: ones prepended to the shape (a view) */
    int64_t shape[TSR_MAX_DIMS];
    int nd = (int)ndmin, pad = nd - r->tensor->ndim;
    for (int i = 0; i < nd; i++) shape[i] = i < pad ? 1 : r->tensor->shape[i - pad];
    Value *v = ndarray_from_tensor_steal(op_reshape(r->tensor, nd, shape));
    val_release(r);
    return v;
}

static Value *np_array(Value *self, const CallArgs *a) { return np_array_common(a, "array", true); }
static Value *np_asarray(Value *self, const CallArgs *a) { return np_array_common(a, "asarray", false); }

/* np.frombuffer(buffer, dtype=float, count=-1, offset=0): a 1-d array over
 * a bytes or bytearray's memory, shared */
static Value *np_frombuffer(Value *self, const CallArgs *a) {
    Value *v[4] = {0};
    if (!args_parse(a, 0, "frombuffer", "buffer, dtype=, count=, offset=", v)) return NULL;
    DType d = DT_FLOAT64;
    int64_t count = -1, offset = 0;
    if ((v[1] && !np_arg_dtype(v[1], &d)) || (v[2] && !val_as_int(v[2], &count)) ||
        (v[3] && !val_as_int(v[3], &offset)))
        return NULL;
    if (d == DT_UNDEFINED) d = DT_FLOAT64;
    Value *buf = val_unwrap(v[0]);
    if (!val_is_bytes(buf)) {
        tsr_raise(ERR_TypeError, "a bytes-like object is required, not '%s'", val_type_name(buf));
        return NULL;
    }
    int64_t len = buf->bytes.len, es = (int64_t)dtype_size(d);
    if (offset < 0 || offset > len) {
        tsr_raise(ERR_ValueError, "offset must be non-negative and no greater than buffer length (%lld)", (long long)len);
        return NULL;
    }
    if (count < 0) {
        if ((len - offset) % es) {
            tsr_raise(ERR_ValueError, "%s", "buffer size must be a multiple of element size");
            return NULL;
        }
        count = (len - offset) / es;
    } else if (count > (len - offset) / es) {
        tsr_raise(ERR_ValueError, "%s", "buffer is smaller than requested size");
        return NULL;
    }
    Tensor *t = bytes_tensor(buf, d, offset, count);
    return t ? ndarray_from_tensor_steal(t) : NULL;
}

static bool shape_arg(Value *v, int64_t *shape, int *ndim) {
    if (v->kind == VK_TUPLE || v->kind == VK_LIST)
        return val_as_shape(v->seq.items, (int)v->seq.len, shape, ndim, "zeros");
    return val_as_shape(&v, 1, shape, ndim, "zeros");
}

static Value *filled(const char *fn, const CallArgs *a, int fill) { /* 0 zeros, 1 ones, 2 empty, 3 full */
    Value *v[3] = {0};
    if (!args_parse(a, 0, fn, fill == 3 ? "shape, fill_value, dtype=" : "shape, dtype=", v)) return NULL;
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    DType d;
    if (!shape_arg(v[0], shape, &nd) || !np_arg_dtype(v[fill == 3 ? 2 : 1], &d)) return NULL;
    if (fill == 3) {
        Tensor *fv = np_tensor_of(v[1]);
        if (!fv) return NULL;
        if (d == DT_UNDEFINED) d = fv->dtype;
        Tensor *t = tensor_empty(d, nd, shape, device_cpu());
        bool ok = t && tensor_copy_(t, fv);
        tensor_release(fv);
        if (!ok) {
            tensor_release(t);
            return NULL;
        }
        return ndarray_from_tensor_steal(t);
    }
    if (d == DT_UNDEFINED) d = DT_FLOAT64;
    return ndarray_from_tensor_steal(fill == 1 ? tensor_full_i64(d, nd, shape, 1, device_cpu())
                                               : tensor_zeros(d, nd, shape, device_cpu()));
}

static Value *np_zeros(Value *self, const CallArgs *a) { return filled("zeros", a, 0); }
static Value *np_ones(Value *self, const CallArgs *a) { return filled("ones", a, 1); }
static Value *np_empty(Value *self, const CallArgs *a) { return filled("empty", a, 2); }
static Value *np_full(Value *self, const CallArgs *a) { return filled("full", a, 3); }

static Value *filled_like(const char *fn, const CallArgs *a, int fill) {
    Value *v[3] = {0};
    if (!args_parse(a, 0, fn, fill == 3 ? "a, fill_value, dtype=" : "a, dtype=", v)) return NULL;
    DType d;
    if (!np_arg_dtype(v[fill == 3 ? 2 : 1], &d)) return NULL;
    Tensor *src = np_tensor_of(v[0]);
    if (!src) return NULL;
    if (d == DT_UNDEFINED) d = src->dtype;
    Tensor *t = tensor_zeros(d, src->ndim, src->shape, device_cpu());
    tensor_release(src);
    if (t && fill) {
        Tensor *fv = fill == 1 ? tensor_scalar_i64(DT_INT64, 1) : np_tensor_of(v[1]);
        bool ok = fv && tensor_copy_(t, fv);
        tensor_release(fv);
        if (!ok) {
            tensor_release(t);
            return NULL;
        }
    }
    return ndarray_from_tensor_steal(t);
}

static Value *np_zeros_like(Value *self, const CallArgs *a) { return filled_like("zeros_like", a, 0); }
static Value *np_ones_like(Value *self, const CallArgs *a) { return filled_like("ones_like", a, 1); }
static Value *np_empty_like(Value *self, const CallArgs *a) { return filled_like("empty_like", a, 0); }
static Value *np_full_like(Value *self, const CallArgs *a) { return filled_like("full_like", a, 3); }

static Value *np_arange(Value *self, const CallArgs *a) {
    Value *v[4] = {0};
    if (!args_parse(a, 0, "arange", "start, stop=, step=, dtype=", v)) return NULL;
    Value *nums[3] = {v[0], v[1], v[2]};
    bool any_float = false;
    for (int i = 0; i < 3; i++)
        if (!is_none(nums[i]) && (nums[i]->kind == VK_FLOAT || (nums[i]->kind == VK_TENSOR && dtype_is_float(nums[i]->tensor->dtype))))
            any_float = true;
    double start = 0, stop, step = 1;
    if (is_none(v[1])) {
        if (!arg_double(v[0], "arange", "stop", 0, &stop)) return NULL;
    } else if (!arg_double(v[0], "arange", "start", 0, &start) || !arg_double(v[1], "arange", "stop", 0, &stop) ||
               !arg_double(v[2], "arange", "step", 1, &step)) {
        return NULL;
    }
    if (step == 0) {
        tsr_raise(ERR_ZeroDivisionError, "%s", "division by zero");
        return NULL;
    }
    DType d;
    if (!np_arg_dtype(v[3], &d)) return NULL;
    if (d == DT_UNDEFINED) d = any_float ? DT_FLOAT64 : DT_INT64;
    int64_t n = (int64_t)ceil((stop - start) / step);
    if (n < 0) n = 0;
    Tensor *t = tensor_empty(d, 1, &n, device_cpu());
    if (!t) return NULL;
    char *p = tensor_data(t);
    for (int64_t i = 0; i < n; i++) dtype_store_f64(d, p + i * (int64_t)dtype_size(d), start + (double)i * step);
    return ndarray_from_tensor_steal(t);
}

static Value *np_linspace(Value *self, const CallArgs *a) {
    Value *v[5] = {0};
    if (!args_parse(a, 0, "linspace", "start, stop, num=, endpoint=, dtype=", v)) return NULL;
    double start, stop;
    int64_t num;
    bool endpoint;
    DType d;
    if (!arg_double(v[0], "linspace", "start", 0, &start) || !arg_double(v[1], "linspace", "stop", 0, &stop) ||
        !arg_int(v[2], "linspace", "num", 50, &num) || !arg_bool(v[3], "linspace", "endpoint", true, &endpoint) ||
        !np_arg_dtype(v[4], &d))
        return NULL;
    if (num < 0) {
        tsr_raise(ERR_ValueError, "Number of samples, %lld, must be non-negative.", (long long)num);
        return NULL;
    }
    if (d == DT_UNDEFINED) d = DT_FLOAT64;
    Tensor *t = tensor_empty(d, 1, &num, device_cpu());
    if (!t) return NULL;
    int64_t div = endpoint ? num - 1 : num;
    double delta = stop - start, step = div > 0 ? delta / (double)div : NAN;
    char *p = tensor_data(t);
    for (int64_t i = 0; i < num; i++) {
        double x = div > 0 ? start + (double)i * step : start + (double)i * delta;
        if (endpoint && num > 1 && i == num - 1) x = stop;
        dtype_store_f64(d, p + i * (int64_t)dtype_size(d), x);
    }
    return ndarray_from_tensor_steal(t);
}

static Value *np_eye(Value *self, const CallArgs *a) {
    Value *v[3] = {0};
    if (!args_parse(a, 0, "eye", "N, M=, dtype=", v)) return NULL;
    int64_t n, m;
    DType d;
    if (!arg_int(v[0], "eye", "N", 0, &n) || !arg_int(v[1], "eye", "M", n, &m) || !np_arg_dtype(v[2], &d))
        return NULL;
    if (is_none(v[1])) m = n;
    return ndarray_from_tensor_steal(op_eye(n, m, d == DT_UNDEFINED ? DT_FLOAT64 : d, device_cpu()));
}

static Value *np_identity(Value *self, const CallArgs *a) {
    Value *v[2] = {0};
    if (!args_parse(a, 0, "identity", "n, dtype=", v)) return NULL;
    int64_t n;
    DType d;
    if (!arg_int(v[0], "identity", "n", 0, &n) || !np_arg_dtype(v[1], &d)) return NULL;
    return ndarray_from_tensor_steal(op_eye(n, n, d == DT_UNDEFINED ? DT_FLOAT64 : d, device_cpu()));
}

/* ------------------------------------------------------------ print options */

static Value *np_set_printoptions(Value *self, const CallArgs *a) {
    Value *v[5] = {0};
    if (!args_parse(a, 0, "set_printoptions", "precision=, threshold=, edgeitems=, linewidth=, suppress=", v))
        return NULL;
    NumpyPrintOptions o = numpy_print_options;
    if (!arg_int(v[0], "set_printoptions", "precision", o.precision, &o.precision) ||
        !arg_int(v[1], "set_printoptions", "threshold", o.threshold, &o.threshold) ||
        !arg_int(v[2], "set_printoptions", "edgeitems", o.edgeitems, &o.edgeitems) ||
        !arg_int(v[3], "set_printoptions", "linewidth", o.linewidth, &o.linewidth) ||
        !arg_bool(v[4], "set_printoptions", "suppress", o.suppress, &o.suppress))
        return NULL;
    if (o.precision < 0) {
        tsr_raise(ERR_ValueError, "%s", "precision must be >= 0");
        return NULL;
    }
    if (o.threshold < 0) {
        tsr_raise(ERR_ValueError, "%s", "threshold must be non-NAN, try sys.maxsize for untruncated representation");
        return NULL;
    }
    numpy_print_options = o;
    return val_none();
}

static bool put_steal(Value *d, const char *k, Value *v) {
    if (!v) return false;
    bool ok = dict_set(d->dict, k, v);
    val_release(v);
    return ok;
}

static Value *np_get_printoptions(Value *self, const CallArgs *a) {
    if (!args_none("get_printoptions", a)) return NULL;
    NumpyPrintOptions o = numpy_print_options;
    Value *d = val_dict_new();
    bool ok = d && put_steal(d, "edgeitems", val_int(o.edgeitems)) &&
              put_steal(d, "threshold", val_int(o.threshold)) && put_steal(d, "floatmode", val_cstr("maxprec")) &&
              put_steal(d, "precision", val_int(o.precision)) && put_steal(d, "suppress", val_bool(o.suppress)) &&
              put_steal(d, "linewidth", val_int(o.linewidth)) && put_steal(d, "nanstr", val_cstr("nan")) &&
              put_steal(d, "infstr", val_cstr("inf")) && put_steal(d, "sign", val_cstr("-")) &&
              put_steal(d, "formatter", val_none()) && put_steal(d, "legacy", val_bool(false));
    if (!ok) {
        val_release(d);
        return NULL;
    }
    return d;
}

/* ------------------------------------------------------------ torch interop */

static Value *bi_from_numpy(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("from_numpy", "ndarray");
    if (!val_is_ndarray(v_[0])) {
        tsr_raise(ERR_TypeError, "expected np.ndarray (got %s)", val_type_name(v_[0]));
        return NULL;
    }
    v_[0]->tensor->storage->borrowed = true; /* not resizable from torch */
    return val_tensor_steal(tensor_alias(v_[0]->tensor)); /* a tensor over the array's storage */
}

static Value *bi_numpy(Value *self, const CallArgs *a) {
    Value *v[1] = {0};
    if (!args_parse(a, 0, "numpy", "*, force=", v)) return NULL;
    Tensor *t = self->tensor;
    bool force;
    if (!arg_bool(v[0], "numpy", "force", false, &force)) return NULL;
    if (t->requires_grad && !force) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
        return NULL;
    }
    if (tensor_is_cuda(t) && !force) {
        tsr_raise(ERR_TypeError, "%s",
                  "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to "
                  "host memory first.");
        return NULL;
    }
    if (t->dtype == DT_BFLOAT16) {
        tsr_raise(ERR_TypeError, "%s", "Got unsupported ScalarType BFloat16");
        return NULL;
    }
    if (tensor_is_cuda(t)) return ndarray_from_tensor_steal(tensor_clone(t, DT_UNDEFINED)); /* force: a copy */
    return ndarray_from_tensor_steal(tensor_alias(t));
}

const Builtin numpy_interop_functions[] = {
    {"from_numpy", bi_from_numpy},
    {NULL, NULL},
};

const Builtin numpy_interop_methods[] = {
    {"numpy", bi_numpy},
    {NULL, NULL},
};

/* ------------------------------------------------------------ the module */

extern const Builtin numpy_functions[]; /* numpy_functions.c */
extern const Builtin numpy_io_functions[]; /* numpy_io.c: save, load */
extern const Builtin numpy_ufunc_functions[]; /* numpy_ufuncs.c */
extern const Builtin numpy_fpe_functions[];   /* numpy_fpe.c */

static const Builtin numpy_module_functions[] = {
    {"array", np_array},
    {"frombuffer", np_frombuffer},
    {"asarray", np_asarray},
    {"can_cast", np_can_cast},
    {"promote_types", np_promote_types},
    {"result_type", np_result_type_fn},
    {"_ufunc_cast", np_ufunc_cast},
    {"dtype", np_dtype},
    {"zeros", np_zeros},
    {"ones", np_ones},
    {"empty", np_empty},
    {"full", np_full},
    {"zeros_like", np_zeros_like},
    {"ones_like", np_ones_like},
    {"empty_like", np_empty_like},
    {"full_like", np_full_like},
    {"arange", np_arange},
    {"linspace", np_linspace},
    {"eye", np_eye},
    {"identity", np_identity},
    {"set_printoptions", np_set_printoptions},
    {"get_printoptions", np_get_printoptions},
    {NULL, NULL},
};

/* What an AttributeError for a name tsr's numpy lacks adds (lang/eval_ops.c
 * reads a module's __tsr_missing__). */
#define NUMPY_MISSING_NOTE                                                                              \
    " (tsr's numpy covers only ndarray, dtypes, array creation, printing, arithmetic, reductions, "  \
    "indexing and the common functions; see docs/user-guide.md)"

static bool put(Value *module, const char *name, Value *v_steal) {
    if (!v_steal) return false;
    bool ok = dict_set(module->module.members, name, v_steal);
    val_release(v_steal);
    return ok;
}

bool stdlib_numpy_open(Value *module) {
    if (!module_install(module, numpy_module_functions) || !module_install(module, numpy_functions) ||
        !module_install(module, numpy_io_functions) || !module_install(module, numpy_ufunc_functions) ||
        !module_install(module, numpy_fpe_functions))
        return false;
    static const struct { const char *name; TypeId type; } types[] = {
        {"ndarray", T_NDARRAY}, {"float64", T_NP_FLOAT64}, {"float32", T_NP_FLOAT32}, {"float16", T_NP_FLOAT16},
        {"int64", T_NP_INT64},  {"int32", T_NP_INT32},     {"int16", T_NP_INT16},     {"int8", T_NP_INT8},
        {"uint8", T_NP_UINT8},  {"bool_", T_NP_BOOL},      {"double", T_NP_FLOAT64},  {"single", T_NP_FLOAT32},
        {"half", T_NP_FLOAT16}, {"int_", T_NP_INT64},      {"float_", T_NP_FLOAT64},
        {"complex64", T_NP_COMPLEX64}, {"complex128", T_NP_COMPLEX128}, {"csingle", T_NP_COMPLEX64},
        {"cdouble", T_NP_COMPLEX128},  {"complex_", T_NP_COMPLEX128},
    };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!put(module, types[i].name, val_type(types[i].type))) return false;
    if (!(put(module, "pi", val_float(M_PI)) && put(module, "e", val_float(M_E)) &&
           put(module, "nan", val_float(NAN)) && put(module, "inf", val_float(INFINITY)) &&
           put(module, "newaxis", val_none()) &&
           dict_set(module->module.members, "AxisError", class_of_error(ERR_AxisError)) && put(module, "__version__", val_cstr("1.24.2")) &&
           put(module, "__tsr_missing__", val_cstr(NUMPY_MISSING_NOTE)) &&
           put(module, "random", stdlib_import("numpy.random")) &&
           put(module, "linalg", stdlib_import("numpy.linalg")) &&
           put(module, "fft", stdlib_import("numpy.fft"))))
        return false;
    /* the functions written in Python (runtime/builtins/numpy/NAME.py) run
     * with the module's members as their globals */
    for (const StdlibSource *s = stdlib_py_sources; s->name; s++)
        if (!strncmp(s->name, "numpy/", 6) &&
            !interp_run_module(tsr_interp, "numpy", s->src, s->len, module->module.members))
            return false;
    return true;
}
