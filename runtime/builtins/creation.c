/* creation.c: tensor creation (tensor, zeros, ones, full, arange,
 * linspace, logspace, eye, *_like, new_*, Tensor and the typed
 * constructors). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "bytes.h"
#include "class.h"
#include "device.h"
#include "layout.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

/* requires_grad=True on a fresh tensor (factory functions' wording). */
static Tensor *finish(Tensor *t, bool requires_grad) {
    if (!t || !requires_grad) return t;
    if (!dtype_is_float(t->dtype) && !dtype_is_complex(t->dtype)) {
        tensor_release(t);
        tsr_raise(ERR_RuntimeError, "%s", "Only Tensors of floating point and complex dtype can require gradients");
        return NULL;
    }
    t->requires_grad = true;
    return t;
}

/* t (stolen) moved to dev when it is not there already (data built on
 * the host, then copied). */
static Tensor *to_device_steal(Tensor *t, Device dev) {
    if (!t || dev.type == DEV_CPU) return t;
    Tensor *c = tensor_empty(t->dtype, t->ndim, t->shape, dev);
    if (c && !tensor_copy_(c, t)) {
        tensor_release(c);
        c = NULL;
    }
    tensor_release(t);
    return c;
}

static bool given(const Value *v) { return v && v->kind != VK_NONE; }

typedef struct {
    DType dtype;
    Device device;
    bool requires_grad;
} Factory;

/* Reads dtype=, device=, requires_grad= from out slots (any may be NULL). */
static bool factory_opts(const char *fn, Value *dtype, Value *device, Value *rg, Factory *f) {
    return arg_dtype(dtype, fn, &f->dtype) && arg_device(device, fn, &f->device) &&
           arg_bool(rg, fn, "requires_grad", false, &f->requires_grad);
}

/* The number of leading positional args (varargs sizes). */
static int leading_positional(const CallArgs *a) { return a->nargs; }

/* ---- tensor(data) */

static Value *bi_tensor(Value *self, const CallArgs *a) {
    Value *v[4];
    if (!args_parse(a, 0, "tensor", "data, *, dtype=, device=, requires_grad=", v)) return NULL;
    Factory f;
    if (!factory_opts("tensor", v[1], v[2], v[3], &f)) return NULL;
    if (v[0]->kind == VK_TENSOR && !v[0]->tensor->numpy &&
        !tsr_warn(ERR_UserWarning, "To copy construct from a tensor, it is recommended to use "
                                   "sourceTensor.clone().detach() or sourceTensor.clone().detach().requires_grad_(True), "
                                   "rather than torch.tensor(sourceTensor)."))
        return NULL;
    return wrap_tensor(finish(to_device_steal(tensor_from_data(v[0], f.dtype), f.device), f.requires_grad));
}

static Value *bi_as_tensor(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!args_parse(a, 0, "as_tensor", "data, dtype=, device=", v)) return NULL;
    Factory f;
    if (!factory_opts("as_tensor", v[1], v[2], NULL, &f)) return NULL;
    if (v[0]->kind == VK_TENSOR) {
        Tensor *t = v[0]->tensor;
        Device dev = given(v[2]) ? f.device : t->storage->device;
        if ((f.dtype == DT_UNDEFINED || f.dtype == t->dtype) && device_equal(dev, t->storage->device)) {
            if (!t->numpy) return val_retain(v[0]);
            t->storage->borrowed = true; /* an ndarray's storage, as a tensor (not resizable) */
            return val_tensor_steal(tensor_alias(t));
        }
        return wrap_tensor(op_to(t, f.dtype, dev, false));
    }
    return wrap_tensor(to_device_steal(tensor_from_data(v[0], f.dtype), f.device));
}

/* ---- zeros, ones, empty: (*size, dtype=, device=, requires_grad=) */

static Value *sized_fill(const char *fn, const CallArgs *a, int which) {
    Value *v[7] = {NULL};
    int np = leading_positional(a);
    bool empty = which == 2;
    MemFormat mf;
    if (!args_parse(a, np, fn,
                    empty ? "size=, *, out=, dtype=, layout=, device=, requires_grad=, memory_format="
                          : "size=, *, out=, dtype=, layout=, device=, requires_grad=",
                    v) ||
        !arg_layout(v[3], fn) || !arg_memory_format(v[6], fn, MEMFMT_CONTIGUOUS, &mf))
        return NULL;
    int64_t shape[TSR_MAX_DIMS];
    int ndim = 0;
    if (np > 0 && v[0]) {
        tsr_raise(ERR_TypeError, "%s() got multiple values for argument 'size'", fn);
        return NULL;
    }
    if (np > 0 ? !val_as_shape(a->args, np, shape, &ndim, fn)
               : (v[0] ? !val_as_shape(&v[0], 1, shape, &ndim, fn) : false))
        return NULL;
    Factory f;
    if (!factory_opts(fn, v[2], v[4], v[5], &f)) return NULL;
    DType dt = f.dtype == DT_UNDEFINED ? tsr_default_float : f.dtype;
    if (mf == MEMFMT_PRESERVE) {
        tsr_raise(ERR_RuntimeError, "%s", "unsupported memory format Preserve");
        return NULL;
    }
    if (!layout_check_format_rank(ndim, mf)) return NULL;
    int rank = layout_format_rank(mf);
    Tensor *t = which == 1 ? tensor_full_i64(dt, ndim, shape, 1, f.device)
                           : tensor_zeros(dt, ndim, shape, f.device);
    if (t && rank) layout_channels_last_strides(ndim, shape, t->stride); /* filled alike everywhere */
    return wrap_tensor(finish(t, f.requires_grad));
}

static Value *bi_zeros(Value *self, const CallArgs *a) { return sized_fill("zeros", a, 0); }
static Value *bi_ones(Value *self, const CallArgs *a) { return sized_fill("ones", a, 1); }
static Value *bi_empty(Value *self, const CallArgs *a) { return sized_fill("empty", a, 2); }

/* The dtype full() infers from its fill value. */
static DType scalar_dtype(Value *v) {
    if (v->kind == VK_BOOL) return DT_BOOL;
    if (v->kind == VK_INT) return DT_INT64;
    if (v->kind == VK_TENSOR) return v->tensor->dtype;
    if (v->kind == VK_COMPLEX) return dtype_to_complex(tsr_default_float);
    return tsr_default_float;
}

/* c10's checked_convert: a Python fill value outside dt's range is an error
 * (a negative int may wrap into an unsigned type: full(.., -1, dtype=uint8)). */
static bool check_fill_range(DType dt, Value *fill) {
    if (fill->kind == VK_INT) return scalar_fits_number(dt, true, fill->i, 0);
    if (fill->kind == VK_FLOAT) return scalar_fits_number(dt, false, 0, fill->f);
    if (fill->kind == VK_TENSOR && fill->tensor->ndim == 0) return scalar_fits(dt, fill->tensor);
    return true;
}

static Tensor *full_tensor(DType dt, int ndim, const int64_t *shape, Value *fill, Device dev) {
    if (!check_fill_range(dt, fill)) return NULL;
    if (fill->kind == VK_COMPLEX || (fill->kind == VK_TENSOR && dtype_is_complex(fill->tensor->dtype))) {
        Tensor *one = val_as_tensor(fill), *t = one ? tensor_empty(dt, ndim, shape, dev) : NULL;
        bool ok = t && tensor_copy_(t, one); /* broadcasts the one value, converting it to dt */
        tensor_release(one);
        if (!ok) tensor_release(t);
        return ok ? t : NULL;
    }
    if (fill->kind == VK_INT || fill->kind == VK_BOOL ||
        (fill->kind == VK_TENSOR && !dtype_is_float(fill->tensor->dtype))) {
        int64_t i;
        if (!val_as_int(fill, &i)) return NULL;
        return tensor_full_i64(dt, ndim, shape, i, dev);
    }
    double d;
    if (!val_as_double(fill, &d)) return NULL;
    return tensor_full_f64(dt, ndim, shape, d, dev);
}

static bool check_fill(const char *fn, Value *fill) {
    if (fill->kind == VK_INT || fill->kind == VK_FLOAT || fill->kind == VK_BOOL || fill->kind == VK_COMPLEX ||
        (fill->kind == VK_TENSOR && fill->tensor->ndim == 0))
        return true;
    tsr_raise(ERR_TypeError, "%s(): argument 'fill_value' must be Number, not %s", fn,
              val_type_name(fill));
    return false;
}

static Value *bi_full(Value *self, const CallArgs *a) {
    Value *v[7];
    if (!args_parse(a, 0, "full", "size, fill_value, *, out=, dtype=, layout=, device=, requires_grad=", v))
        return NULL;
    int64_t shape[TSR_MAX_DIMS];
    int ndim;
    if (v[0]->kind == VK_INT || v[0]->kind == VK_BOOL) { /* full(2, 3): size must be a sequence */
        tsr_raise(ERR_TypeError, "full(): argument 'size' (position 1) must be tuple of ints, not %s",
                  val_type_name(v[0]));
        return NULL;
    }
    if (!val_as_shape(&v[0], 1, shape, &ndim, "full") || !check_fill("full", v[1])) return NULL;
    Factory f;
    if (!arg_layout(v[4], "full") || !factory_opts("full", v[3], v[5], v[6], &f)) return NULL;
    DType dt = f.dtype == DT_UNDEFINED ? scalar_dtype(v[1]) : f.dtype;
    return wrap_tensor(finish(full_tensor(dt, ndim, shape, v[1], f.device), f.requires_grad));
}

/* scalar_tensor(s, *, dtype=, layout=, device=, requires_grad=): a 0-dim
 * tensor of the default float dtype unless dtype is given */
static Value *bi_scalar_tensor(Value *self, const CallArgs *a) {
    Value *v[6];
    if (!args_parse(a, 0, "scalar_tensor", "s, *, dtype=, layout=, device=, requires_grad=, pin_memory=", v))
        return NULL;
    Value *s = v[0];
    if (!(s->kind == VK_INT || s->kind == VK_FLOAT || s->kind == VK_BOOL ||
          (s->kind == VK_TENSOR && s->tensor->ndim == 0))) {
        tsr_raise(ERR_TypeError, "scalar_tensor(): argument 's' (position 1) must be Number, not %s",
                  val_type_name(s));
        return NULL;
    }
    Factory f;
    if (!arg_layout(v[2], "scalar_tensor") || !factory_opts("scalar_tensor", v[1], v[3], v[4], &f)) return NULL;
    DType dt = f.dtype == DT_UNDEFINED ? tsr_default_float : f.dtype;
    return wrap_tensor(finish(full_tensor(dt, 0, NULL, s, f.device), f.requires_grad));
}

/* ---- *_like(input, [fill_value], *, dtype=, device=, requires_grad=) */

static Value *like_common(const char *fn, const CallArgs *a, int which) {
    Value *v[8];
    bool has_fill = which == 3;
    const char *spec = has_fill
        ? "input, fill_value, *, dtype=, layout=, device=, requires_grad=, memory_format="
        : "input, *, dtype=, layout=, device=, requires_grad=, memory_format=";
    int o = has_fill ? 2 : 1;
    MemFormat mf;
    if (!args_parse(a, 0, fn, spec, v) || !arg_layout(v[o + 1], fn) ||
        !arg_memory_format(v[o + 4], fn, MEMFMT_PRESERVE, &mf))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Factory f;
    if (!factory_opts(fn, v[o], v[o + 2], v[o + 3], &f) || (has_fill && !check_fill(fn, v[1]))) {
        tensor_release(x);
        return NULL;
    }
    DType dt = f.dtype == DT_UNDEFINED ? x->dtype : f.dtype;
    if (!given(v[o + 2])) f.device = x->storage->device;
    Tensor *t;
    if (which == 1) t = tensor_full_i64(dt, x->ndim, x->shape, 1, f.device);
    else if (which == 3) t = full_tensor(dt, x->ndim, x->shape, v[1], f.device);
    else t = tensor_zeros(dt, x->ndim, x->shape, f.device);
    if (!layout_check_format_rank(x->ndim, mf)) {
        tensor_release(t);
        t = NULL;
    }
    layout_restride_format(t, x, mf);
    tensor_release(x);
    return wrap_tensor(finish(t, f.requires_grad));
}

static Value *bi_zeros_like(Value *self, const CallArgs *a) { return like_common("zeros_like", a, 0); }
static Value *bi_ones_like(Value *self, const CallArgs *a) { return like_common("ones_like", a, 1); }
static Value *bi_empty_like(Value *self, const CallArgs *a) { return like_common("empty_like", a, 2); }
static Value *bi_full_like(Value *self, const CallArgs *a) { return like_common("full_like", a, 3); }

/* ---- x.new_zeros(size), new_ones, new_empty, new_full, new_tensor:
 * dtype and device default to x's. */

static Value *new_common(Value *self, const CallArgs *a, const char *fn, int which) {
    Value *v[8];
    Tensor *x = self->tensor;
    int np = which == 3 ? 0 : (which == 4 ? 0 : a->nargs);
    const char *spec = which == 3   ? "size, fill_value, *, dtype=, device=, requires_grad="
                       : which == 4 ? "data, *, dtype=, device=, requires_grad="
                                    : "size=, *, dtype=, device=, requires_grad=";
    if (!args_parse(a, np, fn, spec, v)) return NULL;
    int o = which >= 3 ? (which == 3 ? 2 : 1) : 1;
    Factory f;
    if (!factory_opts(fn, v[o], v[o + 1], v[o + 2], &f)) return NULL;
    DType dt = f.dtype == DT_UNDEFINED ? x->dtype : f.dtype;
    if (!given(v[o + 1])) f.device = x->storage->device;
    if (which == 4)
        return wrap_tensor(finish(to_device_steal(tensor_from_data(v[0], dt), f.device), f.requires_grad));
    int64_t shape[TSR_MAX_DIMS];
    int ndim = 0;
    bool ok = which == 3 || np == 0 ? (v[0] ? val_as_shape(&v[0], 1, shape, &ndim, fn) : true)
                                    : val_as_shape(a->args, np, shape, &ndim, fn);
    if (!ok || (which == 3 && !check_fill(fn, v[1]))) return NULL;
    Tensor *t;
    if (which == 1) t = tensor_full_i64(dt, ndim, shape, 1, f.device);
    else if (which == 3) t = full_tensor(dt, ndim, shape, v[1], f.device);
    else t = tensor_zeros(dt, ndim, shape, f.device);
    return wrap_tensor(finish(t, f.requires_grad));
}

static Value *bi_new_zeros(Value *self, const CallArgs *a) { return new_common(self, a, "new_zeros", 0); }
static Value *bi_new_ones(Value *self, const CallArgs *a) { return new_common(self, a, "new_ones", 1); }
static Value *bi_new_empty(Value *self, const CallArgs *a) { return new_common(self, a, "new_empty", 2); }
static Value *bi_new_full(Value *self, const CallArgs *a) { return new_common(self, a, "new_full", 3); }
static Value *bi_new_tensor(Value *self, const CallArgs *a) { return new_common(self, a, "new_tensor", 4); }

/* ---- arange, linspace, eye */

static bool is_number(Value *v) {
    return v->kind == VK_INT || v->kind == VK_FLOAT || v->kind == VK_BOOL ||
           (v->kind == VK_TENSOR && tensor_numel(v->tensor) == 1);
}

static bool is_floaty(Value *v) {
    return v->kind == VK_FLOAT || (v->kind == VK_TENSOR && dtype_is_float(v->tensor->dtype));
}

static Value *bi_arange(Value *self, const CallArgs *a) {
    Value *v[8];
    if (!args_parse(a, 0, "arange",
                    "start, end=, step=, *, out=, dtype=, layout=, device=, requires_grad=", v))
        return NULL;
    Value *num[3];
    int n = 0;
    for (int i = 0; i < 3; i++)
        if (v[i] && v[i]->kind != VK_NONE) num[n++] = v[i];
    for (int i = 0; i < n; i++) {
        if (!is_number(num[i])) {
            raise_invalid_args("arange", a);
            return NULL;
        }
    }
    double start = 0, end, step = 1;
    bool any_float = false;
    for (int i = 0; i < n; i++) any_float |= is_floaty(num[i]);
    if (n == 1) {
        if (!val_as_double(num[0], &end)) return NULL;
    } else {
        if (!val_as_double(num[0], &start) || !val_as_double(num[1], &end)) return NULL;
        if (n == 3 && !val_as_double(num[2], &step)) return NULL;
    }
    Factory f;
    if (!arg_layout(v[5], "arange") || !factory_opts("arange", v[4], v[6], v[7], &f)) return NULL;
    DType dt = f.dtype != DT_UNDEFINED ? f.dtype : (any_float ? tsr_default_float : DT_INT64);
    if (dtype_is_complex(dt)) {
        tsr_raise(ERR_RuntimeError, "\"arange_cpu\" not implemented for '%s'", dtype_scalar_name(dt));
        return NULL;
    }
    return wrap_tensor(finish(op_arange(start, end, step, dt, f.device), f.requires_grad));
}

static Value *bi_linspace(Value *self, const CallArgs *a) {
    Value *v[8];
    if (!args_parse(a, 0, "linspace",
                    "start, end, steps, *, out=, dtype=, layout=, device=, requires_grad=", v))
        return NULL;
    double start, end;
    int64_t steps;
    if (!arg_double(v[0], "linspace", "start", 0, &start) ||
        !arg_double(v[1], "linspace", "end", 0, &end) ||
        !arg_int(v[2], "linspace", "steps", 0, &steps))
        return NULL;
    if (steps < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "number of steps must be non-negative");
        return NULL;
    }
    Factory f;
    if (!arg_layout(v[5], "linspace") || !factory_opts("linspace", v[4], v[6], v[7], &f)) return NULL;
    DType dt = f.dtype != DT_UNDEFINED ? f.dtype : tsr_default_float;
    return wrap_tensor(finish(op_linspace(start, end, steps, dt, f.device), f.requires_grad));
}

static Value *bi_logspace(Value *self, const CallArgs *a) {
    Value *v[9];
    if (!args_parse(a, 0, "logspace",
                    "start, end, steps, base=, *, out=, dtype=, layout=, device=, requires_grad=", v))
        return NULL;
    double start, end, base;
    int64_t steps;
    DType dt;
    Device dev;
    bool rg;
    if (!arg_double(v[0], "logspace", "start", 0, &start) || !arg_double(v[1], "logspace", "end", 0, &end) ||
        !arg_int(v[2], "logspace", "steps", 0, &steps) || !arg_double(v[3], "logspace", "base", 10, &base) ||
        !arg_dtype(v[5], "logspace", &dt) || !arg_device(v[7], "logspace", &dev) ||
        !arg_bool(v[8], "logspace", "requires_grad", false, &rg))
        return NULL;
    Tensor *r = op_logspace(start, end, steps, base, dt, dev);
    if (r && rg) r->requires_grad = true;
    return wrap_tensor(r);
}

static Value *bi_eye(Value *self, const CallArgs *a) {
    Value *v[7];
    if (!args_parse(a, 0, "eye", "n, m=, *, out=, dtype=, layout=, device=, requires_grad=", v))
        return NULL;
    int64_t n, m;
    if (!arg_int(v[0], "eye", "n", 0, &n)) return NULL;
    if (!(v[1] && v[1]->kind != VK_NONE ? arg_int(v[1], "eye", "m", 0, &m) : (m = n, true)))
        return NULL;
    if (n < 0 || m < 0) {
        tsr_raise(ERR_RuntimeError, "%s must be greater or equal to 0, got %lld", n < 0 ? "n" : "m",
                  (long long)(n < 0 ? n : m));
        return NULL;
    }
    Factory f;
    if (!factory_opts("eye", v[3], v[5], v[6], &f)) return NULL;
    DType dt = f.dtype != DT_UNDEFINED ? f.dtype : tsr_default_float;
    return wrap_tensor(finish(op_eye(n, m, dt, f.device), f.requires_grad));
}

/* ---- torch.Tensor(...), torch.FloatTensor(...), ...: a sequence gives
 * the data, ints give an (uninitialised: zeroed) tensor of that size. */

static Value *legacy_ctor(DType dt, const CallArgs *a) {
    Value *v[1];
    int np = a->nargs;
    if (!args_parse(a, np, "new", "*, device=", v)) return NULL;
    Device dev;
    if (!arg_device(v[0], "new", &dev)) return NULL;
    if (np == 0) {
        int64_t zero = 0;
        return wrap_tensor(tensor_zeros(dt, 1, &zero, dev));
    }
    Value *first = a->args[0];
    if (np == 1 && (first->kind == VK_LIST || first->kind == VK_TUPLE))
        return wrap_tensor(to_device_steal(tensor_from_data(first, dt), dev));
    if (np == 1 && first->kind == VK_TENSOR) {
        if (first->tensor->dtype != dt) {
            tsr_raise(ERR_TypeError, "expected %s (got %s)", dtype_name(dt), dtype_name(first->tensor->dtype));
            return NULL;
        }
        return wrap_tensor(tensor_alias(first->tensor));
    }
    int64_t shape[TSR_MAX_DIMS];
    int ndim = 0;
    for (int i = 0; i < np; i++) {
        if (a->args[i]->kind != VK_INT && a->args[i]->kind != VK_SIZE) {
            tsr_raise(ERR_TypeError, "new(): data must be a sequence (got %s)",
                      val_type_name(a->args[i]));
            return NULL;
        }
    }
    if (!val_as_shape(a->args, np, shape, &ndim, "new")) return NULL;
    return wrap_tensor(tensor_zeros(dt, ndim, shape, dev));
}

static Value *bi_Tensor(Value *self, const CallArgs *a) { return legacy_ctor(tsr_default_float, a); }

#define X(e, ct, sz, nm, tn, k, cpp, c10) \
    static Value *bi_ctor_##e(Value *self, const CallArgs *a) { return legacy_ctor(DT_##e, a); }
TSR_DTYPES(X)
#undef X

#define CTOR_ENTRY(e, ct, sz, nm, tn, k, cpp, c10) {tn, bi_ctor_##e},

/* ---- empty_strided(size, stride, *, dtype=, layout=, device=,
 * requires_grad=, pin_memory=) and x.new_empty_strided(size, stride, ...):
 * a fresh storage as large as the geometry reaches (zeros here), viewed
 * with the given strides. */

static bool shape_tuple(Value *v, const char *fn, const char *name, int pos, int64_t *out, int *n) {
    if (v->kind != VK_TUPLE && v->kind != VK_LIST && v->kind != VK_SIZE) {
        tsr_raise(ERR_TypeError, "%s(): argument '%s' (position %d) must be tuple of SymInts, not %s", fn, name, pos,
                  val_type_name(v));
        return false;
    }
    if (v->seq.len > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %lld", TSR_MAX_DIMS, (long long)v->seq.len);
        return false;
    }
    *n = (int)v->seq.len;
    for (int i = 0; i < *n; i++) {
        Value *e = v->seq.items[i];
        if (e->kind != VK_INT) {
            tsr_raise(ERR_TypeError, "%s(): argument '%s' must be tuple of SymInts, but found element of type %s at pos %d",
                      fn, name, val_type_name(e), i + 1);
            return false;
        }
        out[i] = e->i;
    }
    if (!strcmp(name, "size"))
        for (int i = 0; i < *n; i++)
            if (out[i] < 0) {
                char ss[256];
                op_shape_text(ss, sizeof ss, *n, out);
                tsr_raise(ERR_RuntimeError, "Trying to create tensor with negative dimension %lld: %s", (long long)out[i], ss);
                return false;
            }
    return true;
}

static Tensor *strided_empty(const char *fn, Value *vsize, Value *vstride, DType dt, Device dev) {
    int64_t size[TSR_MAX_DIMS], stride[TSR_MAX_DIMS];
    int n, ns;
    if (!shape_tuple(vsize, fn, "size", 1, size, &n) || !shape_tuple(vstride, fn, "stride", 2, stride, &ns))
        return NULL;
    if (n != ns) {
        tsr_raise(ERR_RuntimeError, "dimensionality of sizes (%d) must match dimensionality of strides (%d)", n, ns);
        return NULL;
    }
    int64_t need = 1;
    bool empty = false, bad = false;
    for (int d = 0; d < n; d++) {
        if (stride[d] < 0) bad = true;
        if (size[d] == 0) empty = true;
        else if (!bad) need += (size[d] - 1) * stride[d];
    }
    if (bad) {
        char ss[256], st[256];
        op_shape_text(ss, sizeof ss, n, size);
        op_shape_text(st, sizeof st, n, stride);
        tsr_raise(ERR_RuntimeError, "Storage size calculation overflowed with sizes=%s and strides=%s", ss, st);
        return NULL;
    }
    int64_t len = empty ? 0 : need;
    Tensor *base = tensor_zeros(dt, 1, &len, dev);
    if (!base) return NULL;
    Tensor *t = tensor_as_strided(base, n, size, stride, 0);
    tensor_release(base);
    return t;
}

static Value *bi_empty_strided(Value *self, const CallArgs *a) {
    Value *v[7];
    const char *fn = "empty_strided";
    if (!args_parse(a, 0, fn, "size, stride, *, dtype=, layout=, device=, requires_grad=, pin_memory=", v))
        return NULL;
    Factory f;
    if (!arg_layout(v[3], fn) || !factory_opts(fn, v[2], v[4], v[5], &f)) return NULL;
    DType dt = f.dtype == DT_UNDEFINED ? tsr_default_float : f.dtype;
    return wrap_tensor(finish(strided_empty(fn, v[0], v[1], dt, f.device), f.requires_grad));
}

static Value *bi_new_empty_strided(Value *self, const CallArgs *a) {
    Value *v[7];
    const char *fn = "new_empty_strided";
    Tensor *x = self->tensor;
    if (!args_parse(a, 0, fn, "size, stride, *, dtype=, layout=, device=, requires_grad=, pin_memory=", v))
        return NULL;
    Factory f;
    if (!factory_opts(fn, v[2], v[4], v[5], &f)) return NULL;
    DType dt = f.dtype == DT_UNDEFINED ? x->dtype : f.dtype;
    if (!given(v[4])) f.device = x->storage->device;
    return wrap_tensor(finish(strided_empty(fn, v[0], v[1], dt, f.device), f.requires_grad));
}

/* ---- x.new(...): the legacy constructor, x's dtype and device (device=
 * only): new() empty; new(*sizes) or new(torch.Size) uninitialised (zeros
 * here); new(sequence) the data; new(storage) over the storage; new(other)
 * an alias of a tensor of the same type. */

static void options_text(char *buf, size_t n, const Tensor *t) {
    char dev[64];
    snprintf(buf, n,
             "TensorOptions(dtype=%s, device=%s, layout=Strided, requires_grad=false (default), "
             "pinned_memory=false (default), memory_format=(nullopt))",
             dtype_cpp_name(t->dtype), device_str(t->storage->device, dev, sizeof dev));
}

static Value *bi_new(Value *self, const CallArgs *a) {
    Tensor *x = self->tensor;
    Device dev = x->storage->device;
    for (int i = 0; i < a->nkw; i++) {
        if (strcmp(a->kwnames[i], "device") != 0) {
            tsr_raise(ERR_TypeError, "new() received an invalid combination of arguments - got an unexpected keyword argument '%s'",
                      a->kwnames[i]);
            return NULL;
        }
        if (!arg_device(a->kwvals[i], "new", &dev)) return NULL;
    }
    int64_t shape[TSR_MAX_DIMS];
    int ndim = 0;
    if (a->nargs == 0) {
        int64_t zero = 0;
        return wrap_tensor(tensor_zeros(x->dtype, 1, &zero, dev));
    }
    Value *v0 = a->args[0];
    if (a->nargs == 1 && v0->kind == VK_TENSOR) {
        Tensor *o = v0->tensor;
        if (o->dtype != x->dtype || !device_equal(o->storage->device, dev)) {
            char want[512], got[512];
            options_text(want, sizeof want, x);
            options_text(got, sizeof got, o);
            tsr_raise(ERR_TypeError, "expected %s (got %s)", want, got);
            return NULL;
        }
        return wrap_tensor(tensor_alias(o));
    }
    if (a->nargs == 1 && (v0->kind == VK_TUPLE || v0->kind == VK_LIST))
        return wrap_tensor(to_device_steal(tensor_from_data(v0, x->dtype), dev));
    if (a->nargs == 1 && v0->kind == VK_INSTANCE) {
        Value *tv = object_getattr(v0, "_t");
        if (tv && tv->kind == VK_TENSOR) {
            Tensor *st = tv->tensor;
            int64_t n = st->storage->nbytes / (int64_t)dtype_size(x->dtype), one = 1;
            Tensor *r = tensor_zeros(x->dtype, 1, &n, st->storage->device);
            Tensor *out = r ? op_set_(r, st, true, 0, 1, &n, &one) : NULL;
            tensor_release(r);
            val_release(tv);
            return wrap_tensor(out);
        }
        if (tv) val_release(tv);
        tsr_err_clear();
    }
    if (a->nargs == 1 && v0->kind != VK_INT && v0->kind != VK_SIZE) {
        if (v0->kind == VK_FLOAT || v0->kind == VK_BOOL)
            tsr_raise(ERR_TypeError, "new(): data must be a sequence (got %s)", val_type_name(v0));
        else
            tsr_raise(ERR_TypeError, "new(): invalid data type '%s'", val_type_name(v0));
        return NULL;
    }
    if (a->nargs > 1)
        for (int i = 0; i < a->nargs; i++)
            if (a->args[i]->kind != VK_INT) {
                tsr_raise(ERR_TypeError, "new(): argument 'size' must be tuple of ints, but found element of type %s at pos %d",
                          val_type_name(a->args[i]), i + 1);
                return NULL;
            }
    if (!val_as_shape(a->args, a->nargs, shape, &ndim, "new")) return NULL;
    return wrap_tensor(tensor_zeros(x->dtype, ndim, shape, dev));
}

/* torch.frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
 * a 1-d tensor over a bytes or bytearray's memory, shared */
static Value *bi_frombuffer(Value *self, const CallArgs *a) {
    Value *v[5] = {0};
    if (!args_parse(a, 0, "frombuffer", "buffer, *, dtype=, count=, offset=, requires_grad=", v)) return NULL;
    if (!v[1]) {
        tsr_raise(ERR_TypeError, "%s", "frombuffer() missing 1 required positional arguments: \"dtype\"");
        return NULL;
    }
    DType dt;
    int64_t count = -1, offset = 0;
    bool rg = false;
    if (!arg_dtype(v[1], "frombuffer", &dt) || (v[2] && !arg_int(v[2], "frombuffer", "count", 0, &count)) ||
        (v[3] && !arg_int(v[3], "frombuffer", "offset", 0, &offset)) ||
        !arg_bool(v[4], "frombuffer", "requires_grad", false, &rg))
        return NULL;
    Value *buf = val_unwrap(v[0]);
    if (!val_is_bytes(buf)) {
        tsr_raise(ERR_ValueError, "%s", "object does not implement Python buffer protocol.");
        return NULL;
    }
    int64_t len = buf->bytes.len, es = (int64_t)dtype_size(dt);
    if (!len || !count) {
        tsr_raise(ERR_ValueError, "both buffer length (%lld) and count (%lld) must not be 0", (long long)len,
                  (long long)count);
        return NULL;
    }
    if (offset < 0 || offset >= len) {
        tsr_raise(ERR_ValueError,
                  "offset (%lld bytes) must be non-negative and no greater than buffer length (%lld bytes) minus 1",
                  (long long)offset, (long long)len);
        return NULL;
    }
    if (count < 0) {
        if ((len - offset) % es) {
            tsr_raise(ERR_ValueError,
                      "buffer length (%lld bytes) after offset (%lld bytes) must be a multiple of element size (%lld)",
                      (long long)(len - offset), (long long)offset, (long long)es);
            return NULL;
        }
        count = (len - offset) / es;
    } else if (count > (len - offset) / es) {
        tsr_raise(ERR_ValueError,
                  "requested buffer length (%lld * %lld bytes) after offset (%lld bytes) must not be greater than "
                  "actual buffer length (%lld bytes)",
                  (long long)count, (long long)es, (long long)offset, (long long)len);
        return NULL;
    }
    static bool warned; /* TORCH_WARN_ONCE */
    if (buf->kind == VK_BYTES && !warned) {
        warned = true;
        if (!tsr_warn(ERR_UserWarning,
                      "The given buffer is not writable, and PyTorch does not support non-writable tensors. This "
                      "means you can write to the underlying (supposedly non-writable) buffer using the tensor. You "
                      "may want to copy the buffer to protect its data or make it writable before converting it to a "
                      "tensor. This type of warning will be suppressed for the rest of this program. (Triggered "
                      "internally at  ./torch/csrc/utils/tensor_new.cpp:1563.)"))
            return NULL;
    }
    return wrap_tensor(finish(bytes_tensor(buf, dt, offset, count), rg));
}

/* torch.from_file(filename, shared=None, size=0, *, dtype=None, layout=None,
 * device=None, pin_memory=False, requires_grad=False): a 1-d tensor of size
 * elements over the file mapped into memory (storage_map_file); shared=True
 * writes go to the file. ATen registers only a CPU kernel. */
static const NoKernelSite from_file_site = {30798, "2.cpp:16915", "2.cpp:16890"};

static Value *bi_from_file(Value *self, const CallArgs *a) {
    Value *v[8] = {0};
    if (!args_parse(a, 0, "from_file",
                    "filename, shared=, size=, *, dtype=, layout=, device=, pin_memory=, requires_grad=", v))
        return NULL;
    if (v[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "from_file(): argument 'filename' (position 1) must be str, not %s",
                  val_type_name(v[0]));
        return NULL;
    }
    bool shared = false, pin;
    int64_t size = 0;
    Factory f;
    if ((given(v[1]) && !arg_bool(v[1], "from_file", "shared", false, &shared)) ||
        (given(v[2]) && !arg_int(v[2], "from_file", "size", 0, &size)) ||
        !arg_bool(v[6], "from_file", "pin_memory", false, &pin) || !factory_opts("from_file", v[3], v[5], v[7], &f))
        return NULL;
    if (given(v[4]) && v[4]->kind == VK_TORCHENUM && v[4]->i != TE_STRIDED &&
        torch_enum_type((TorchEnum)v[4]->i) == T_LAYOUT) {
        TorchEnum l = (TorchEnum)v[4]->i;
        raise_no_backend_kernel("from_file",
                                l == TE_SPARSE_COO ? "SparseCPU" : l == TE_MKLDNN ? "MkldnnCPU" : "SparseCsrCPU",
                                &from_file_site);
        return NULL;
    }
    if (!arg_layout(v[4], "from_file")) return NULL;
    if (f.device.type != DEV_CPU) {
        raise_no_backend_kernel("from_file", "CUDA", &from_file_site);
        return NULL;
    }
    if (pin) {
        tsr_raise(ERR_RuntimeError, "%s", "tensors constructed from a file cannot be pinned");
        return NULL;
    }
    DType dt = f.dtype == DT_UNDEFINED ? tsr_default_float : f.dtype;
    /* ATen's byte count wraps; tsr refuses one that does not fit */
    int64_t nbytes;
    if (__builtin_mul_overflow(size, (int64_t)dtype_size(dt), &nbytes)) {
        tsr_raise(ERR_RuntimeError, "from_file(): size %lld of %s overflows the byte count", (long long)size,
                  dtype_name(dt));
        return NULL;
    }
    Storage *st = storage_map_file(v[0]->str.s, shared, nbytes);
    if (!st) return NULL;
    int64_t zero = 0; /* an empty tensor given the mapped storage (mmap refused a negative size) */
    Tensor *t = tensor_empty(dt, 1, &zero, device_cpu());
    if (!t) {
        storage_release(st);
        return NULL;
    }
    storage_release(t->storage);
    t->storage = st;
    t->shape[0] = size;
    t->stride[0] = 1;
    return wrap_tensor(finish(t, f.requires_grad));
}

const Builtin creation_functions[] = {
    {"from_file", bi_from_file},
    {"frombuffer", bi_frombuffer},
    {"tensor", bi_tensor},
    {"as_tensor", bi_as_tensor},
    {"zeros", bi_zeros},
    {"ones", bi_ones},
    {"empty", bi_empty},
    {"full", bi_full},
    {"scalar_tensor", bi_scalar_tensor},
    {"zeros_like", bi_zeros_like},
    {"ones_like", bi_ones_like},
    {"empty_like", bi_empty_like},
    {"full_like", bi_full_like},
    {"arange", bi_arange},
    {"linspace", bi_linspace},
    {"logspace", bi_logspace},
    {"eye", bi_eye},
    {"Tensor", bi_Tensor},
    TSR_DTYPES(CTOR_ENTRY)
    {"empty_strided", bi_empty_strided},
    {NULL, NULL},
};

const Builtin creation_methods[] = {
    {"new_zeros", bi_new_zeros},
    {"new_ones", bi_new_ones},
    {"new_empty", bi_new_empty},
    {"new_full", bi_new_full},
    {"new_tensor", bi_new_tensor},
    {"new_empty_strided", bi_new_empty_strided},
    {"new", bi_new},
    {NULL, NULL},
};
