/* strided.c: the functions that take a user geometry: as_strided(_),
 * as_strided_scatter, Tensor.unfold, fill_diagonal_, resize_ and
 * resize_as_. */
#include <string.h>

#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "ops.h"

/* size and stride (lists or tuples) and storage_offset (None: the input's) */
static bool geometry_args(Value *vsize, Value *vstride, Value *voff, const char *fn, int64_t *size, int *n,
                          int64_t *stride, int *ns, bool *has_off, int64_t *off) {
    if (!val_as_shape(&vsize, 1, size, n, fn) || !val_as_shape(&vstride, 1, stride, ns, fn)) return false;
    *has_off = !is_none(voff);
    return !*has_off || arg_int(voff, fn, "storage_offset", 0, off);
}

static Value *as_strided_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4] = {0};
    int64_t size[TSR_MAX_DIMS], stride[TSR_MAX_DIMS], off = 0;
    int n, ns;
    bool has_off;
    if (!args_parse(a, 0, fn, "input, size, stride, storage_offset=", v) ||
        !geometry_args(v[1], v[2], v[3], fn, size, &n, stride, &ns, &has_off, &off))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *r = !x ? NULL
                : inplace ? op_as_strided_(x, n, size, ns, stride, has_off, off)
                          : op_as_strided(x, n, size, ns, stride, has_off, off);
    tensor_release(x);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}
static Value *bi_as_strided(Value *self, const CallArgs *a) { return as_strided_common("as_strided", false, self, a); }
static Value *bi_as_strided_(Value *self, const CallArgs *a) { return as_strided_common("as_strided_", true, self, a); }

static Value *bi_as_strided_scatter(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    const char *fn = "as_strided_scatter";
    Value *v[5] = {0};
    int64_t size[TSR_MAX_DIMS], stride[TSR_MAX_DIMS], off = 0;
    int n, ns;
    bool has_off;
    if (!args_parse(a, 0, fn, "input, src, size, stride, storage_offset=", v) ||
        !geometry_args(v[2], v[3], v[4], fn, size, &n, stride, &ns, &has_off, &off))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *src = x ? arg_tensor(v[1], fn, "src") : NULL;
    Tensor *r = src ? op_as_strided_scatter(x, src, n, size, ns, stride, has_off, off) : NULL;
    tensor_release(x);
    tensor_release(src);
    return wrap_tensor(r);
}

static Value *bi_unfold_method(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4] = {0};
    int64_t dim, size, step;
    if (!args_parse(a, 0, "unfold", "input, dimension, size, step", v) ||
        !arg_int(v[1], "unfold", "dimension", 0, &dim) || !arg_int(v[2], "unfold", "size", 0, &size) ||
        !arg_int(v[3], "unfold", "step", 0, &step))
        return NULL;
    Tensor *x = arg_tensor(v[0], "unfold", "input");
    Tensor *r = x ? op_unfold(x, dim, size, step) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_fill_diagonal_(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3] = {0};
    bool wrap;
    if (!args_parse(a, 0, "fill_diagonal_", "input, fill_value, wrap=", v) ||
        !arg_bool(v[2], "fill_diagonal_", "wrap", false, &wrap))
        return NULL;
    Tensor *x = arg_tensor(v[0], "fill_diagonal_", "input");
    Tensor *val = x ? arg_tensor_or_scalar(v[1], "fill_diagonal_", "fill_value") : NULL;
    Tensor *r = val ? op_fill_diagonal_(x, val, wrap) : NULL;
    tensor_release(x);
    tensor_release(val);
    return inplace_result(self, r);
}

static Value *bi_resize_(Value *self, const CallArgs *a) {
    int64_t size[TSR_MAX_DIMS];
    int n;
    if (!self || a->nkw > 0) {
        raise_invalid_args("resize_", a);
        return NULL;
    }
    if (a->nargs == 0) {
        tsr_raise(ERR_TypeError, "%s", "resize_() missing 1 required positional arguments: \"size\"");
        return NULL;
    }
    if (!val_as_shape(a->args, a->nargs, size, &n, "resize_")) return NULL;
    Tensor *x = self->kind == VK_TENSOR ? self->tensor : NULL;
    return inplace_result(self, x ? op_resize_(x, n, size) : NULL);
}

static Value *bi_resize_as_(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3] = {0};
    bool given = a->nargs >= 2;
    for (int k = 0; k < a->nkw; k++) given = given || !strcmp(a->kwnames[k], "the_template");
    if (!given) { /* PyTorch's parser's text */
        tsr_raise(ERR_TypeError, "%s", "resize_as_() missing 1 required positional arguments: \"the_template\"");
        return NULL;
    }
    if (!args_parse(a, 0, "resize_as_", "input, the_template, *, memory_format=", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "resize_as_", "input");
    Tensor *t = x ? arg_tensor(v[1], "resize_as_", "the_template") : NULL;
    Tensor *r = t ? op_resize_(x, t->ndim, t->shape) : NULL;
    tensor_release(x);
    tensor_release(t);
    return inplace_result(self, r);
}

/* torch._resize_function(tensor, sizes): Tensor.resize's Function
 * (runtime/builtins/torch/functional_shape.py checks the count) */
static Value *bi_resize_function(Value *self, const CallArgs *a) {
    Value *v[2] = {0};
    int64_t size[TSR_MAX_DIMS];
    int n;
    if (!args_parse(a, 0, "_resize_function", "tensor, sizes", v) || !val_as_shape(&v[1], 1, size, &n, "view"))
        return NULL;
    Tensor *x = arg_tensor(v[0], "_resize_function", "tensor");
    Tensor *r = x ? op_resize_function(x, n, size) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

/* x.set_(), x.set_(source), x.set_(source, storage_offset, size, stride=):
 * source a tensor or a storage (its _t: the tensor over the whole storage) */
static Value *bi_set_(Value *self, const CallArgs *a) {
    Value *v[4];
    Tensor *x = self->tensor;
    if (!args_parse(a, 0, "set_", "source=, storage_offset=, size=, stride=", v)) return NULL;
    if (is_none(v[0])) {
        if (!is_none(v[1]) || !is_none(v[2]) || !is_none(v[3])) {
            tsr_raise(ERR_TypeError, "%s", "set_() received an invalid combination of arguments");
            return NULL;
        }
        return inplace_result(self, op_set_(x, NULL, false, 0, 0, NULL, NULL));
    }
    bool storage = v[0]->kind != VK_TENSOR;
    Value *tv = storage ? object_getattr(v[0], "_t") : val_retain(v[0]);
    if (!tv || tv->kind != VK_TENSOR) {
        if (tv) val_release(tv);
        tsr_err_clear();
        tsr_raise(ERR_TypeError, "%s", "set_() received an invalid combination of arguments");
        return NULL;
    }
    Tensor *src = tv->tensor;
    if (storage && src->dtype != x->dtype && src->dtype != DT_UINT8) {
        tsr_raise(ERR_RuntimeError, "Expected a Storage of type %s or an UntypedStorage, but got type %s for argument 1 'storage'",
                  dtype_cpp_name(x->dtype), dtype_scalar_name(src->dtype));
        val_release(tv);
        return NULL;
    }
    int64_t off = 0, size[TSR_MAX_DIMS], stride[TSR_MAX_DIMS];
    int n = 0, ns = 0;
    bool geometry = storage || !is_none(v[1]);
    bool ok = true;
    if (!is_none(v[1]) || !is_none(v[2])) {
        ok = !is_none(v[1]) && !is_none(v[2]) && (storage || !is_none(v[3]));
        if (!ok) tsr_raise(ERR_TypeError, "%s", "set_() received an invalid combination of arguments");
        ok = ok && arg_int(v[1], "set_", "storage_offset", 0, &off) && val_as_shape(&v[2], 1, size, &n, "set_");
        if (ok && !is_none(v[3])) {
            ok = val_as_shape(&v[3], 1, stride, &ns, "set_");
            if (ok && ns != n) {
                tsr_raise(ERR_RuntimeError, "%s", "mismatch in length of strides and shape");
                ok = false;
            }
        } else if (ok) {
            int64_t acc = 1;
            for (int d = n - 1; d >= 0; d--) {
                stride[d] = acc;
                acc *= size[d] > 1 ? size[d] : 1;
            }
        }
    } else if (storage) {
        int64_t es = (int64_t)dtype_size(x->dtype);
        n = 1;
        size[0] = src->storage->nbytes / es;
        stride[0] = 1;
    }
    Tensor *r = ok ? op_set_(x, src, geometry, off, n, size, stride) : NULL;
    val_release(tv);
    return inplace_result(self, r);
}

const Builtin strided_functions[] = {
    {"as_strided", bi_as_strided},
    {"as_strided_", bi_as_strided_},
    {"as_strided_scatter", bi_as_strided_scatter},
    {"resize_as_", bi_resize_as_},
    {"_resize_function", bi_resize_function},
    {NULL, NULL},
};

const Builtin strided_methods[] = {
    {"as_strided", bi_as_strided},
    {"as_strided_", bi_as_strided_},
    {"as_strided_scatter", bi_as_strided_scatter},
    {"unfold", bi_unfold_method},
    {"fill_diagonal_", bi_fill_diagonal_},
    {"resize_", bi_resize_},
    {"resize_as_", bi_resize_as_},
    {"set_", bi_set_},
    {NULL, NULL},
};
