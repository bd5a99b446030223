/* convert.c: conversions of tensors: to, type, type_as, float(), double()
 * ... (the dtype conversions), cpu(), cuda(), clone, contiguous, copy_,
 * item and tolist; and the type rules (result_type, promote_types,
 * can_cast). */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "device.h"
#include "error.h"
#include "ops.h"

/* clone / contiguous with their memory_format (clone: preserve, contiguous:
 * contiguous_format by default) */
static Value *format_copy(const char *fn, bool clone, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    MemFormat f;
    if (!args_parse(a, 0, fn, clone ? "input, *, memory_format=" : "input, memory_format=", v) ||
        !arg_memory_format(v[1], fn, clone ? MEMFMT_PRESERVE : MEMFMT_CONTIGUOUS, &f))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = clone ? op_clone_format(x, f) : op_contiguous_format(x, f);
    tensor_release(x);
    return same_or_wrap(self, r);
}
static Value *bi_contiguous(Value *self, const CallArgs *a) { return format_copy("contiguous", false, self, a); }
static Value *bi_clone(Value *self, const CallArgs *a) { return format_copy("clone", true, self, a); }

/* ATen's TORCH_WARN_ONCE in copy_impl, before a complex tensor becomes
 * real; false when the warning was turned into an error */
bool warn_complex_to_real(const Tensor *t, DType dt) {
    static bool warned;
    if (warned || dt == DT_UNDEFINED || !dtype_is_complex(t->dtype) || dtype_is_complex(dt)) return true;
    warned = true;
    return tsr_warn(ERR_UserWarning, "Casting complex values to real discards the imaginary part (Triggered "
                                     "internally at  ./aten/src/ATen/native/Copy.cpp:250.)");
}

static Value *convert_to(Value *self, DType dt, bool copy, MemFormat f) {
    Tensor *t = self->tensor;
    if (!warn_complex_to_real(t, dt)) return NULL;
    return same_or_wrap(self, op_to_format(t, dt, t->storage->device, copy, f));
}

static Value *bi_to_impl(Value *self, const CallArgs *a) {
    Value *v[7];
    if (!args_parse(a, 0, "to", "arg0=, arg1=, non_blocking=, copy=, *, dtype=, device=, memory_format=", v))
        return NULL;
    DType dt = DT_UNDEFINED;
    Device dev = self->tensor->storage->device;
    bool copy = false, nb;
    Value *pos[2] = {v[0], v[1]};
    for (int i = 0; i < 2; i++) {
        Value *p = pos[i];
        if (!p || p->kind == VK_NONE) continue;
        if (p->kind == VK_DTYPE) {
            dt = p->dtype;
        } else if (p->kind == VK_TENSOR && i == 0) {
            dt = p->tensor->dtype;
            dev = p->tensor->storage->device;
        } else if ((p->kind == VK_STR || p->kind == VK_DEVICE || p->kind == VK_INT) && i == 0) {
            if (!arg_device(p, "to", &dev)) return NULL;
        } else if (p->kind == VK_BOOL && i == 1) {
            nb = p->b;
            (void)nb;
        } else {
            raise_invalid_args("to", a);
            return NULL;
        }
    }
    if (v[4] && v[4]->kind != VK_NONE && !arg_dtype(v[4], "to", &dt)) return NULL;
    if (v[5] && v[5]->kind != VK_NONE && !arg_device(v[5], "to", &dev)) return NULL;
    MemFormat f;
    if (!arg_bool(v[3], "to", "copy", false, &copy) || !arg_memory_format(v[6], "to", MEMFMT_PRESERVE, &f))
        return NULL;
    if (!device_equal(device_normalize(dev), self->tensor->storage->device)) {
        if (!warn_complex_to_real(self->tensor, dt)) return NULL;
        return wrap_tensor(op_to_format(self->tensor, dt, dev, copy, f));
    }
    return convert_to(self, dt == DT_UNDEFINED ? self->tensor->dtype : dt, copy, f);
}

static Value *bi_type(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!args_parse(a, 0, "type", "dtype=, non_blocking=, *, copy=", v)) return NULL;
    Tensor *t = self->tensor;
    Value *d = v[0];
    if (!d || d->kind == VK_NONE) {
        char buf[64];
        snprintf(buf, sizeof buf, "torch.%s%s", tensor_is_cuda(t) ? "cuda." : "", tsr_dtype_info[t->dtype].tensor_type);
        return val_cstr(buf);
    }
    DType dt = DT_UNDEFINED;
    if (d->kind == VK_DTYPE) {
        dt = d->dtype;
    } else if (d->kind == VK_STR || d->kind == VK_BUILTIN) {
        const char *name = d->kind == VK_STR ? d->str.s : d->builtin->name;
        bool cuda = !strncmp(name, "torch.cuda.", 11);
        dt = dtype_from_tensor_type(cuda ? name + 11 : name); /* torch.cuda.FloatTensor */
        if (dt != DT_UNDEFINED && cuda != tensor_is_cuda(t)) { /* the type names the device too */
            Device dev = {cuda ? DEV_CUDA : DEV_CPU, cuda ? 0 : -1};
            if (!warn_complex_to_real(t, dt)) return NULL;
            return wrap_tensor(op_to(t, dt, dev, false));
        }
        if (dt == DT_UNDEFINED) {
            tsr_raise(ERR_ValueError, "invalid type: '%s'", name);
            return NULL;
        }
    } else {
        tsr_raise(ERR_TypeError, "type(): argument 'dtype' must be torch.dtype or str, not %s",
                  val_type_name(d));
        return NULL;
    }
    return convert_to(self, dt, false, MEMFMT_PRESERVE);
}

static Value *bi_type_as(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "type_as", "other", v)) return NULL;
    Tensor *o = arg_tensor(v[0], "type_as", "other");
    if (!o) return NULL;
    Tensor *r = warn_complex_to_real(self->tensor, o->dtype) ? op_to_dtype(self->tensor, o->dtype) : NULL;
    tensor_release(o);
    return wrap_tensor(r);
}

#define X(name, dt)                                                                    \
    static Value *bi_conv_##name(Value *self, const CallArgs *a) {                     \
        Value *v[1];                                                                   \
        MemFormat f;                                                                   \
        if (!args_parse(a, 0, #name, "memory_format=", v) ||                           \
            !arg_memory_format(v[0], #name, MEMFMT_PRESERVE, &f))                      \
            return NULL;                                                               \
        return convert_to(self, dt, false, f);                                         \
    }
#define TSR_CONVERSIONS(X)                                                             \
    X(float, DT_FLOAT32) X(double, DT_FLOAT64) X(half, DT_FLOAT16)                     \
    X(bfloat16, DT_BFLOAT16) X(int, DT_INT32) X(long, DT_INT64) X(short, DT_INT16)     \
    X(bool, DT_BOOL) X(byte, DT_UINT8) X(char, DT_INT8) X(cfloat, DT_COMPLEX64)       \
    X(cdouble, DT_COMPLEX128)
TSR_CONVERSIONS(X)
#undef X

static Value *bi_cpu(Value *self, const CallArgs *a) {
    Value *v[1];
    MemFormat f;
    if (!args_parse(a, 0, "cpu", "memory_format=", v) || !arg_memory_format(v[0], "cpu", MEMFMT_PRESERVE, &f))
        return NULL;
    if (!tensor_is_cuda(self->tensor)) return val_retain(self);
    return wrap_tensor(op_to_format(self->tensor, DT_UNDEFINED, device_cpu(), false, f));
}

static Value *bi_cuda(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!args_parse(a, 0, "cuda", "device=, non_blocking=, memory_format=", v)) return NULL;
    Device dev = {DEV_CUDA, 0};
    if (v[0] && v[0]->kind != VK_NONE) {
        if (v[0]->kind == VK_INT) dev.index = (int)v[0]->i;
        else if (!arg_device(v[0], "cuda", &dev)) return NULL;
        if (dev.type != DEV_CUDA) {
            char b[16];
            tsr_raise(ERR_RuntimeError, "Invalid device, must be cuda device, got %s", device_str(dev, b, sizeof b));
            return NULL;
        }
    }
    MemFormat f;
    if (!arg_memory_format(v[2], "cuda", MEMFMT_PRESERVE, &f)) return NULL;
    if (device_equal(dev, self->tensor->storage->device)) return val_retain(self);
    return wrap_tensor(op_to_format(self->tensor, DT_UNDEFINED, dev, false, f));
}

static Value *bi_copy_(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, "copy_", "src, non_blocking=", v)) return NULL;
    Tensor *src = arg_tensor_or_scalar(v[0], "copy_", "src"); /* x.copy_(5) works too */
    if (!src) return NULL;
    Tensor *r = op_copy_(self->tensor, src);
    tensor_release(src);
    if (!r) return NULL;
    tensor_release(r);
    return val_retain(self);
}

static Value *bi_item(Value *self, const CallArgs *a) {
    if (a->nargs || a->nkw) {
        tsr_raise(ERR_TypeError, "_TensorBase.item() takes no arguments (%d given)", a->nargs + a->nkw);
        return NULL;
    }
    return tensor_item_value(self->tensor);
}

static Value *bi_tolist(Value *self, const CallArgs *a) {
    if (a->nargs || a->nkw) {
        tsr_raise(ERR_TypeError, "_TensorBase.tolist() takes no arguments (%d given)", a->nargs + a->nkw);
        return NULL;
    }
    return tensor_tolist_value(self->tensor);
}

/* ---- type rules */

static Value *bi_result_type(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, "result_type", "tensor1, tensor2", v)) return NULL;
    ResultTypeState s;
    result_type_init(&s);
    for (int i = 0; i < 2; i++) {
        Tensor *t = arg_tensor_or_scalar(v[i], "result_type", i ? "tensor2" : "tensor1");
        if (!t) return NULL;
        result_type_add(&s, t->dtype, t->ndim, t->wrapped_number);
        tensor_release(t);
    }
    return val_dtype(result_type_finish(&s));
}

static Value *bi_promote_types(Value *self, const CallArgs *a) {
    Value *v[2];
    DType d1, d2;
    if (!args_parse(a, 0, "promote_types", "type1, type2", v)) return NULL;
    if (v[0]->kind != VK_DTYPE || v[1]->kind != VK_DTYPE) {
        raise_invalid_args("promote_types", a);
        return NULL;
    }
    d1 = v[0]->dtype;
    d2 = v[1]->dtype;
    return val_dtype(dtype_promote(d1, d2));
}

static Value *bi_can_cast(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, "can_cast", "from, to", v)) return NULL;
    DType f, t;
    if (v[0]->kind != VK_DTYPE || v[1]->kind != VK_DTYPE) {
        tsr_raise(ERR_TypeError, "can_cast(): argument '%s' must be torch.dtype, not %s",
                  v[0]->kind != VK_DTYPE ? "from" : "to", val_type_name(v[0]->kind != VK_DTYPE ? v[0] : v[1]));
        return NULL;
    }
    f = v[0]->dtype;
    t = v[1]->dtype;
    return val_bool(dtype_can_cast(f, t));
}

#define CONV_ENTRY(name, dt) {#name, bi_conv_##name},

const Builtin convert_functions[] = {
    {"clone", bi_clone},
    {"result_type", bi_result_type},
    {"promote_types", bi_promote_types},
    {"can_cast", bi_can_cast},
    {NULL, NULL},
};

const Builtin convert_methods[] = {
    {"clone", bi_clone},
    {"contiguous", bi_contiguous},
    {"to", bi_to_impl},
    {"type", bi_type},
    {"type_as", bi_type_as},
    TSR_CONVERSIONS(CONV_ENTRY)
    {"cpu", bi_cpu},
    {"cuda", bi_cuda},
    {"copy_", bi_copy_},
    {"item", bi_item},
    {"tolist", bi_tolist},
    {NULL, NULL},
};
