/* tensor_attrs.c: tensor attributes (x.shape, x.grad = ..., x.data = ...),
 * the methods that read a tensor's metadata (x.size(), x.stride(),
 * x.dim(), x.numel(), x.data_ptr(), x.get_device() ...) and the method
 * table lookup. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "class.h"
#include "device.h"
#include "error.h"
#include "ops.h"

/* TensorBase::grad()'s TORCH_WARN for a non-leaf that does not retain its grad */
#define NON_LEAF_GRAD_WARNING                                                                              \
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "     \
    "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "    \
    "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor " \
    "by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 " \
    "for more informations. (Triggered internally at  ./build/aten/src/ATen/core/TensorBody.h:480.)"

static Value *attr_T(Tensor *t) {
    int64_t dims[TSR_MAX_DIMS];
    for (int i = 0; i < t->ndim; i++) dims[i] = t->ndim - 1 - i;
    return wrap_tensor(op_permute(t, t->ndim, dims));
}

static Value *attr_mT(Tensor *t) {
    if (t->ndim < 2) {
        tsr_raise(ERR_RuntimeError,
                  "tensor.mT is only supported on matrices or batches of matrices. Got %d-D tensor.",
                  t->ndim);
        return NULL;
    }
    return wrap_tensor(op_transpose(t, -2, -1));
}

/* x.mH: the conjugate transpose of the last two dims */
static Value *attr_mH(Tensor *t) {
    if (t->ndim < 2) {
        tsr_raise(ERR_RuntimeError,
                  "tensor.mH is only supported on matrices or batches of matrices. Got %d-D tensor.", t->ndim);
        return NULL;
    }
    Tensor *tr = op_transpose(t, -2, -1), *r = tr ? op_conj(tr) : NULL;
    tensor_release(tr);
    return wrap_tensor(r);
}

/* x.H: the conjugate transpose of a matrix */
static Value *attr_H(Tensor *t) {
    if (t->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "tensor.H is only supported on matrices (2-D tensors). Got %d-D tensor.", t->ndim);
        return NULL;
    }
    Tensor *tr = op_transpose(t, 0, 1), *r = tr ? op_conj(tr) : NULL;
    tensor_release(tr);
    return wrap_tensor(r);
}

Value *tensor_getattr(Value *self, const char *name) {
    Tensor *t = self->tensor;
    switch (name[0]) {
    case 'T':
        if (!strcmp(name, "T")) return attr_T(t);
        break;
    case 'H':
        if (!strcmp(name, "H")) return attr_H(t);
        break;
    case 'm':
        if (!strcmp(name, "mT")) return attr_mT(t);
        if (!strcmp(name, "mH")) return attr_mH(t);
        break;
    case 's':
        if (!strcmp(name, "shape")) return val_size_new(t->ndim, t->shape);
        break;
    case 'd':
        if (!strcmp(name, "dtype")) return val_dtype(t->dtype);
        if (!strcmp(name, "device")) return val_device(t->storage->device);
        if (!strcmp(name, "data")) return wrap_tensor(tensor_alias(t));
        break;
    case 'n':
        if (!strcmp(name, "ndim")) return val_int(t->ndim);
        break;
    case 'g':
        if (!strcmp(name, "grad")) {
            if (t->grad) return val_tensor_steal(tensor_retain(t->grad));
            if (!ag_refresh_grad_fn(t)) return NULL;
            if (t->grad_fn && !t->retains_grad && !tsr_warn(ERR_UserWarning, NON_LEAF_GRAD_WARNING)) return NULL;
            return val_none();
        }
        if (!strcmp(name, "grad_fn")) {
            if (!ag_refresh_grad_fn(t)) return NULL; /* a view's grad_fn after an in-place op */
            return t->grad_fn ? val_gradfn(t->grad_fn) : val_none();
        }
        break;
    case 'r':
        if (!strcmp(name, "real")) return wrap_tensor(op_real(t));
        if (!strcmp(name, "requires_grad")) return val_bool(ag_requires_grad(t));
        if (!strcmp(name, "retains_grad")) return val_bool(t->retains_grad);
        break;
    case 'i':
        if (!strcmp(name, "imag")) return wrap_tensor(op_imag(t));
        if (!strcmp(name, "is_leaf")) {
            if (!ag_refresh_grad_fn(t)) return NULL;
            return val_bool(t->grad_fn == NULL);
        }
        if (!strcmp(name, "is_cuda")) return val_bool(t->storage->device.type == DEV_CUDA);
        if (!strcmp(name, "is_sparse") || !strcmp(name, "is_quantized") ||
            !strcmp(name, "is_meta") || !strcmp(name, "is_mkldnn"))
            return val_bool(false);
        break;
    case 'l':
        if (!strcmp(name, "layout")) return val_torch_enum(TE_STRIDED);
        break;
    case 'o':
        if (!strcmp(name, "output_nr")) return val_int(t->output_nr);
        break;
    case '_':
        if (!strcmp(name, "_version")) return val_int(t->storage->version);
        if (!strcmp(name, "_base")) return t->view_base ? val_tensor_steal(tensor_retain(t->view_base)) : val_none();
        break;
    default:
        break;
    }
    tsr_raise(ERR_AttributeError, "'Tensor' object has no attribute '%s'", name);
    return NULL;
}

static bool set_requires_grad(Tensor *t, Value *v) {
    if (v->kind != VK_BOOL) {
        tsr_raise(ERR_RuntimeError, "%s", "requires_grad must be a bool");
        return false;
    }
    if (t->grad_fn) {
        if (v->b)
            tsr_raise(ERR_RuntimeError, "%s", "you can only change requires_grad flags of leaf variables.");
        else
            tsr_raise(ERR_RuntimeError, "%s",
                      "you can only change requires_grad flags of leaf variables. If you want to use "
                      "a computed variable in a subgraph that doesn't require differentiation use "
                      "var_no_grad = var.detach().");
        return false;
    }
    if (v->b && !dtype_is_float(t->dtype) && !dtype_is_complex(t->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "only Tensors of floating point and complex dtype can require gradients");
        return false;
    }
    t->requires_grad = v->b;
    return true;
}

static bool set_grad(Tensor *t, Value *v) {
    if (v->kind == VK_NONE) {
        tensor_release(t->grad);
        t->grad = NULL;
        return true;
    }
    if (v->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "assigned grad expected to be a Tensor or None but got grad of type%s",
                  val_type_name(v));
        return false;
    }
    Tensor *g = v->tensor;
    if (g == t) {
        tsr_raise(ERR_RuntimeError, "%s", "can't assign Variable as its own grad");
        return false;
    }
    /* the "type" compared is PyTorch's: device type and dtype */
    if (g->dtype != t->dtype || g->storage->device.type != t->storage->device.type) {
        tsr_raise(ERR_RuntimeError, "%s", "assigned grad has data of a different type");
        return false;
    }
    if (g->ndim != t->ndim || memcmp(g->shape, t->shape, sizeof(int64_t) * t->ndim)) {
        tsr_raise(ERR_RuntimeError, "%s", "assigned grad has data of a different size");
        return false;
    }
    tensor_retain(g);
    tensor_release(t->grad);
    t->grad = g;
    ag_note_grad_history(t);
    return true;
}

/* x.data = y: x now views y's storage with y's geometry and dtype; x keeps
 * its autograd identity. */
static bool set_data(Tensor *t, Value *v) {
    if (v->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "Variable data has to be a tensor, but got %s", val_type_name(v));
        return false;
    }
    Tensor *src = v->tensor;
    if (t->requires_grad && !dtype_is_float(src->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "data set to a tensor that requires gradients must be floating point or complex dtype");
        return false;
    }
    storage_retain(src->storage);
    storage_release(t->storage);
    t->storage = src->storage;
    t->dtype = src->dtype;
    t->ndim = src->ndim;
    t->offset = src->offset;
    memcpy(t->shape, src->shape, sizeof t->shape);
    memcpy(t->stride, src->stride, sizeof t->stride);
    return true;
}

static const char *const readonly_attrs[] = {
    "shape", "dtype", "device", "T", "mT", "mH", "ndim", "grad_fn", "is_leaf", "is_cuda", "output_nr", "layout",
    "_version", "retains_grad", NULL,
};

bool tensor_setattr(Value *self, const char *name, Value *v) {
    Tensor *t = self->tensor;
    if (!strcmp(name, "requires_grad")) return set_requires_grad(t, v);
    if (!strcmp(name, "grad")) return set_grad(t, v);
    if (!strcmp(name, "data")) return set_data(t, v);
    for (int i = 0; readonly_attrs[i]; i++) {
        if (!strcmp(name, readonly_attrs[i])) {
            tsr_raise(ERR_AttributeError,
                      "attribute '%s' of 'torch._C._TensorBase' objects is not writable", name);
            return false;
        }
    }
    tsr_raise(ERR_AttributeError, "'Tensor' object has no attribute '%s'", name);
    return false;
}

/* ---- methods that read the metadata: x.size(), x.dim(), x.data_ptr() ... */

static Value *bi_numel(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, "numel", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "numel", "input");
    if (!x) return NULL;
    Value *r = val_int(tensor_numel(x));
    tensor_release(x);
    return r;
}

static Value *bi_dim(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "dim", "", NULL)) return NULL;
    return val_int(self->tensor->ndim);
}

static Value *size_stride(const char *fn, bool stride, Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, fn, "dim=", v)) return NULL;
    Tensor *t = self->tensor;
    if (!v[0] || v[0]->kind == VK_NONE) {
        if (!stride) return val_size_new(t->ndim, t->shape);
        Value *tup = val_tuple_new(t->ndim);
        for (int i = 0; tup && i < t->ndim; i++) {
            if (!(tup->seq.items[i] = val_int(t->stride[i]))) {
                val_release(tup);
                tup = NULL;
            }
        }
        return tup;
    }
    int64_t d;
    if (!arg_int(v[0], fn, "dim", 0, &d)) return NULL;
    int w = wrap_dim(d, t->ndim);
    if (w < 0) return NULL;
    if (t->ndim == 0) { /* size(0) of a 0-dim tensor */
        tsr_raise(ERR_IndexError, "%s", "Dimension specified as 0 but tensor has no dimensions");
        return NULL;
    }
    return val_int(stride ? t->stride[w] : t->shape[w]);
}
static Value *bi_size(Value *self, const CallArgs *a) { return size_stride("size", false, self, a); }
static Value *bi_stride(Value *self, const CallArgs *a) { return size_stride("stride", true, self, a); }

static Value *bi_storage_offset(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "storage_offset", "", NULL)) return NULL;
    return val_int(self->tensor->offset);
}

static Value *bi_is_contiguous(Value *self, const CallArgs *a) {
    Value *v[1];
    MemFormat f;
    if (!args_parse(a, 0, "is_contiguous", "memory_format=", v) ||
        !arg_memory_format(v[0], "is_contiguous", MEMFMT_CONTIGUOUS, &f))
        return NULL;
    return val_bool(layout_is_format(self->tensor, f));
}

static Value *bi_is_floating_point(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, "is_floating_point", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "is_floating_point", "input");
    if (!x) return NULL;
    bool f = dtype_is_float(x->dtype);
    tensor_release(x);
    return val_bool(f);
}

static Value *bi_data_ptr(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "data_ptr", "", NULL)) return NULL;
    return val_int((int64_t)(intptr_t)tensor_data(self->tensor));
}

static Value *bi_element_size(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "element_size", "", NULL)) return NULL;
    return val_int((int64_t)dtype_size(self->tensor->dtype));
}

static Value *bi_get_device(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "get_device", "", NULL)) return NULL;
    Device d = self->tensor->storage->device;
    return val_int(d.type == DEV_CPU ? -1 : (d.index < 0 ? 0 : d.index));
}

/* x.is_set_to(y): the same storage, offset, sizes and strides */
static Value *bi_is_set_to(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "is_set_to", "tensor", v)) return NULL;
    if (v[0]->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "is_set_to(): argument 'tensor' (position 1) must be Tensor, not %s",
                  val_type_name(v[0]));
        return NULL;
    }
    const Tensor *x = self->tensor, *y = v[0]->tensor;
    bool same = x->storage == y->storage && x->offset == y->offset && x->ndim == y->ndim;
    for (int i = 0; same && i < x->ndim; i++) same = x->shape[i] == y->shape[i] && x->stride[i] == y->stride[i];
    return val_bool(same);
}

/* A CUDA storage is always shareable between processes; a CPU one after
 * share_memory_() (tsr runs one process: the flag is all it changes). */
static Value *bi_is_shared(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "is_shared", "", NULL)) return NULL;
    const Storage *s = self->tensor->storage;
    return val_bool(s->device.type != DEV_CPU || s->shared);
}

static Value *bi_share_memory_(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "share_memory_", "", NULL)) return NULL;
    self->tensor->storage->shared = true;
    return val_retain(self);
}

/* Pinned memory: tsr is the PyTorch build torch.cuda.is_available() says it
 * is. With a GPU (a CUDA build), x.pin_memory() gives a copy whose storage
 * is marked pinned (is_pinned() True) and a pinned tensor itself; without
 * one (a CPU-only build, the oracle's), pin_memory raises the dispatcher's
 * NotImplementedError and nothing is pinned. */
static Value *bi_is_pinned(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "is_pinned", "device=", v)) return NULL;
    const Storage *s = self->tensor->storage;
    return val_bool(s->device.type == DEV_CPU && s->pinned);
}

static const NoKernelSite pin_memory_site = {0, "0.cpp:14904", "0.cpp:16458"};

static Value *bi_pin_memory(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "pin_memory", "device=", v)) return NULL; /* the pinning accelerator: CUDA's */
    Tensor *t = self->tensor;
    if (device_cuda_state() != CUDA_READY) {
        raise_no_backend_kernel("_pin_memory", "CUDA", &pin_memory_site);
        return NULL;
    }
    if (t->storage->device.type != DEV_CPU) {
        tsr_raise(ERR_RuntimeError, "cannot pin 'torch.cuda.%s' only dense CPU tensors can be pinned",
                  tsr_dtype_info[t->dtype].tensor_type);
        return NULL;
    }
    if (t->storage->pinned) return val_retain(self);
    return wrap_tensor(op_pin_memory(t));
}

/* t.as_subclass(cls) (lang/subclass.c) */
static Value *bi_as_subclass(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "as_subclass", "cls", v)) return NULL;
    return tensor_as_subclass(self->tensor, v[0]);
}

const Builtin tensor_attrs_functions[] = {
    {"numel", bi_numel},
    {"is_floating_point", bi_is_floating_point},
    {NULL, NULL},
};

const Builtin tensor_attrs_methods[] = {
    {"numel", bi_numel},
    {"nelement", bi_numel},
    {"is_floating_point", bi_is_floating_point},
    {"dim", bi_dim},
    {"ndimension", bi_dim},
    {"size", bi_size},
    {"stride", bi_stride},
    {"storage_offset", bi_storage_offset},
    {"is_contiguous", bi_is_contiguous},
    {"data_ptr", bi_data_ptr},
    {"element_size", bi_element_size},
    {"get_device", bi_get_device},
    {"is_set_to", bi_is_set_to},
    {"is_shared", bi_is_shared},
    {"share_memory_", bi_share_memory_},
    {"as_subclass", bi_as_subclass},
    {"is_pinned", bi_is_pinned},
    {"pin_memory", bi_pin_memory},
    {NULL, NULL},
};

/* ---- method lookup: every *_methods table, sorted once, binary search. */

static const Builtin **method_index;
static int method_count = -1;

static int cmp_builtin(const void *a, const void *b) {
    const Builtin *x = *(const Builtin *const *)a, *y = *(const Builtin *const *)b;
    return strcmp(x->name, y->name);
}

/* every tensor method table (NULL-terminated): the index below, and
 * completion through LangHooks */
const Builtin *const tensor_method_tables[] = {
#define X(stem) stem##_methods,
    BUILTIN_TABLES(X)
#undef X
    NULL,
};

/* Names are unique across the tables (builtins_open refuses to start
 * otherwise), so the sorted index needs no tie rule. */
static bool build_method_index(void) {
    int n = 0;
    for (const Builtin *const *t = tensor_method_tables; *t; t++)
        for (const Builtin *b = *t; b->name; b++) n += b->name[0] != 0; /* "": a form that does not exist */
    const Builtin **idx = malloc(sizeof *idx * (size_t)(n ? n : 1));
    if (!idx) return false;
    n = 0;
    for (const Builtin *const *t = tensor_method_tables; *t; t++)
        for (const Builtin *b = *t; b->name; b++)
            if (b->name[0]) idx[n++] = b;
    qsort(idx, (size_t)n, sizeof *idx, cmp_builtin);
    method_index = idx;
    method_count = n;
    return true;
}

const Builtin *tensor_method_lookup(const char *name) {
    if (method_count < 0 && !build_method_index()) return NULL;
    int lo = 0, hi = method_count - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(name, method_index[mid]->name);
        if (c == 0) return method_index[mid];
        if (c < 0) hi = mid - 1;
        else lo = mid + 1;
    }
    return NULL;
}
