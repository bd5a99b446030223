/* value_convert.c: Values to the C types builtins need, with Python's and
 * PyTorch's TypeError texts. */
#include <string.h>

#include "class.h"
#include "error.h"
#include "value.h"

bool val_as_int(Value *v, int64_t *out) {
    switch (v->kind) {
    case VK_INT: *out = v->i; return true;
    case VK_BOOL: *out = v->b; return true;
    case VK_TENSOR: {
        Tensor *t = v->tensor;
        if (!dtype_is_integral(t->dtype, true) || tensor_numel(t) != 1) {
            tsr_raise(ERR_TypeError, "%s",
                      "only integer tensors of a single element can be converted to an index");
            return false;
        }
        *out = tensor_get_i64(t, 0);
        return true;
    }
    default:
        if (v->kind == VK_INSTANCE && v->inst.payload && v->inst.payload->kind == VK_INT)
            return val_as_int(v->inst.payload, out); /* an int subclass */
        if (v->kind == VK_INSTANCE) { /* operator.index: __index__ */
            bool found;
            Value *r = special_call(v, "__index__", NULL, 0, &found);
            if (found) {
                if (!r) return false;
                bool ok = r->kind == VK_INT || r->kind == VK_BOOL;
                if (ok) *out = r->kind == VK_INT ? r->i : r->b;
                else tsr_raise(ERR_TypeError, "__index__ returned non-int (type %s)", val_type_name(r));
                val_release(r);
                return ok;
            }
        }
        tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer",
                  val_type_name(v));
        return false;
    }
}

bool val_as_double(Value *v, double *out) {
    switch (v->kind) {
    case VK_INT: *out = (double)v->i; return true;
    case VK_BOOL: *out = v->b; return true;
    case VK_FLOAT: *out = v->f; return true;
    case VK_TENSOR:
        if (tensor_numel(v->tensor) != 1) {
            tsr_raise(ERR_ValueError, "%s",
                      "only one element tensors can be converted to Python scalars");
            return false;
        }
        *out = tensor_get_f64(v->tensor, 0);
        return true;
    default:
        if (v->kind == VK_INSTANCE && v->inst.payload &&
            (v->inst.payload->kind == VK_INT || v->inst.payload->kind == VK_FLOAT))
            return val_as_double(v->inst.payload, out); /* an int or float subclass */
        tsr_raise(ERR_TypeError, "must be real number, not %s", val_type_name(v));
        return false;
    }
}

bool val_as_bool(Value *v, bool *out) {
    if (v->kind == VK_BOOL) {
        *out = v->b;
        return true;
    }
    if (v->kind == VK_TENSOR && v->tensor->dtype == DT_BOOL && tensor_numel(v->tensor) == 1) {
        *out = tensor_get_i64(v->tensor, 0) != 0;
        return true;
    }
    tsr_raise(ERR_TypeError, "expected bool, not %s", val_type_name(v));
    return false;
}

Tensor *val_as_tensor(Value *v) {
    switch (v->kind) {
    case VK_TENSOR: return tensor_retain(v->tensor);
    case VK_BOOL: return tensor_wrapped_bool(v->b);
    case VK_INT: return tensor_wrapped_int(v->i);
    case VK_FLOAT: return tensor_wrapped_float(v->f);
    case VK_COMPLEX: return tensor_wrapped_complex(v->c.re, v->c.im);
    default:
        tsr_raise(ERR_TypeError, "expected Tensor as argument, but got %s", val_type_name(v));
        return NULL;
    }
}

/* An int for a size: int, or an integral 1-element tensor (not bool). */
static bool size_elem(Value *v, int64_t *out) {
    if (v->kind == VK_INT) {
        *out = v->i;
        return true;
    }
    if (v->kind == VK_TENSOR && dtype_is_int(v->tensor->dtype) && tensor_numel(v->tensor) == 1) {
        *out = tensor_get_i64(v->tensor, 0);
        return true;
    }
    return false;
}

bool val_as_shape(Value *const *args, int nargs, int64_t *shape, int *ndim, const char *fname) {
    Value *const *items = args;
    int64_t n = nargs;
    bool one_seq = nargs == 1 && val_is_seq(args[0]);
    if (one_seq) {
        items = args[0]->seq.items;
        n = args[0]->seq.len;
    } else if (nargs == 1 && !size_elem(args[0], &shape[0])) {
        tsr_raise(ERR_TypeError, "%s(): argument 'size' (position 1) must be tuple of SymInts, not %s",
                  fname, val_type_name(args[0]));
        return false;
    }
    if (n > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %lld", TSR_MAX_DIMS,
                  (long long)n);
        return false;
    }
    for (int64_t i = 0; i < n; i++) {
        if (!size_elem(items[i], &shape[i])) {
            tsr_raise(ERR_TypeError,
                      "%s(): argument 'size' must be tuple of SymInts, but found element of type %s at pos %lld",
                      fname, val_type_name(items[i]), (long long)i + 1);
            return false;
        }
    }
    *ndim = (int)n;
    return true;
}

bool val_as_dims(Value *v, int64_t *dims, int *ndims) {
    if (v->kind == VK_INT) {
        dims[0] = v->i;
        *ndims = 1;
        return true;
    }
    if (v->kind == VK_LIST || v->kind == VK_TUPLE || v->kind == VK_SIZE) {
        if (v->seq.len > TSR_MAX_DIMS) {
            tsr_raise(ERR_RuntimeError, "too many dimensions: %lld", (long long)v->seq.len);
            return false;
        }
        for (int64_t i = 0; i < v->seq.len; i++) {
            Value *e = v->seq.items[i];
            if (e->kind != VK_INT) {
                tsr_raise(ERR_TypeError, "dim must be a tuple of ints, but found element of type %s at pos %lld",
                          val_type_name(e), (long long)i);
                return false;
            }
            dims[i] = e->i;
        }
        *ndims = (int)v->seq.len;
        return true;
    }
    tsr_raise(ERR_TypeError, "dim must be int or tuple of ints, not %s", val_type_name(v));
    return false;
}

bool val_as_dtype(Value *v, DType *out) {
    if (v->kind == VK_DTYPE) {
        *out = v->dtype;
        return true;
    }
    /* dtype=float / int / bool: the Python types, whichever way the
     * interpreter represents them. */
    const char *name = NULL;
    if (v->kind == VK_TYPE) {
        if (v->type == T_FLOAT) name = "float";
        else if (v->type == T_INT) name = "int";
        else if (v->type == T_BOOL) name = "bool";
    } else if (v->kind == VK_BUILTIN) {
        name = v->builtin->name;
    }
    if (name) {
        if (!strcmp(name, "float")) { *out = DT_FLOAT64; return true; }
        if (!strcmp(name, "int")) { *out = DT_INT64; return true; }
        if (!strcmp(name, "bool")) { *out = DT_BOOL; return true; }
    }
    tsr_raise(ERR_TypeError, "dtype must be torch.dtype, not %s", val_type_name(v));
    return false;
}

static bool parse_device(const char *s, Device *out) {
    Device d = {DEV_CPU, -1};
    const char *rest;
    if (!strncmp(s, "cpu", 3)) {
        rest = s + 3;
    } else if (!strncmp(s, "cuda", 4)) {
        d.type = DEV_CUDA;
        rest = s + 4;
    } else {
        tsr_raise(ERR_RuntimeError,
                  "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, ort, xla, lazy, vulkan, mps, meta, hpu, privateuseone device type at start of device string: %s",
                  s);
        return false;
    }
    if (*rest == ':') {
        const char *p = rest + 1;
        int idx = 0;
        if (!*p) goto bad;
        for (; *p; p++) {
            if (*p < '0' || *p > '9' || idx > 100000) goto bad;
            idx = idx * 10 + (*p - '0');
        }
        d.index = idx;
    } else if (*rest) {
        goto bad;
    }
    *out = d;
    return true;
bad:
    tsr_raise(ERR_RuntimeError, "Invalid device string: '%s'", s);
    return false;
}

bool val_as_device(Value *v, Device *out) {
    if (v->kind == VK_DEVICE) {
        *out = v->device;
        return true;
    }
    if (v->kind == VK_STR) return parse_device(v->str.s, out);
    if (v->kind == VK_INT) {
        if (v->i < 0) {
            tsr_raise(ERR_RuntimeError, "Device index must not be negative");
            return false;
        }
        out->type = DEV_CUDA;
        out->index = (int)v->i;
        return true;
    }
    tsr_raise(ERR_TypeError, "expected torch.device, not %s", val_type_name(v));
    return false;
}
