/* storage.c: x.storage() and the storage names of the torch module.
 * The storage classes are Python (torch/storage.py, module torch.storage,
 * as PyTorch's torch/storage.py); this file hands them the tensor over a
 * storage's bytes and makes torch.FloatStorage & co. reachable from torch
 * without loading torch.storage before a program asks for it. */
#include <stdint.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"
#include "ops.h"

/* torch.storage's member name, loading its Python the first time */
static Value *storage_module_member(const char *name) {
    Value *mod = dict_get(tsr_interp->torch->module.members, "storage");
    Dict *members = mod && mod->kind == VK_MODULE ? module_members(mod) : NULL;
    if (!members) {
        if (!tsr_err_occurred()) tsr_raise(ERR_RuntimeError, "internal error: no torch.storage");
        return NULL;
    }
    Value *v = dict_get(members, name);
    if (!v) tsr_raise(ERR_AttributeError, "module 'torch.storage' has no attribute '%s'", name);
    return v ? val_retain(v) : NULL;
}

/* torch._storage_view(t, dtype): a 1-D tensor of dtype over every byte
 * of t's storage, from its start (no autograd): what a storage holds. */
static Value *bi_storage_view(Value *self, const CallArgs *a) {
    (void)self;
    Value *v[2] = {0};
    if (!args_parse(a, 0, "_storage_view", "input, dtype", v)) return NULL;
    DType dt;
    if (!arg_dtype(v[1], "_storage_view", &dt)) return NULL;
    Tensor *t = arg_tensor(v[0], "_storage_view", "input");
    if (!t) return NULL;
    if (dt == DT_UNDEFINED) dt = t->dtype;
    int64_t n = t->storage->nbytes / (int64_t)dtype_size(dt), one = 1;
    Tensor *r = tensor_as_strided(t, 1, &n, &one, 0);
    tensor_release(t);
    if (r) r->dtype = dt;
    return wrap_tensor(r);
}

/* x.storage(): torch.storage.TypedStorage over x's whole storage */
static Value *bi_storage(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "storage", "", NULL)) return NULL;
    Value *fn = storage_module_member("_typed_storage");
    if (!fn) return NULL;
    Value *args[1] = {self};
    CallArgs ca = {args, 1, NULL, NULL, 0};
    Value *r = call_value(fn, &ca);
    val_release(fn);
    return r;
}

/* torch.__getattr__ (PEP 562): the names torch.storage defines that PyTorch
 * also has as torch.NAME */
static const char *const storage_names[] = {
    "TypedStorage", "UntypedStorage", "is_storage", "typename",
    "DoubleStorage", "FloatStorage", "HalfStorage", "LongStorage", "IntStorage",
    "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage", "BFloat16Storage",
    NULL,
};

static Value *bi_torch_getattr(Value *self, const CallArgs *a) {
    (void)self;
    Value *v[1] = {0};
    if (!args_parse(a, 0, "__getattr__", "name", v)) return NULL;
    if (v[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "attribute name must be string, not '%s'", val_type_name(v[0]));
        return NULL;
    }
    for (int i = 0; storage_names[i]; i++)
        if (!strcmp(storage_names[i], v[0]->str.s)) return storage_module_member(storage_names[i]);
    tsr_raise(ERR_AttributeError, "module 'torch' has no attribute '%s'", v[0]->str.s);
    return NULL;
}

const Builtin storage_functions[] = {
    {"_storage_view", bi_storage_view},
    {"__getattr__", bi_torch_getattr},
    {NULL, NULL},
};

const Builtin storage_methods[] = {
    {"storage", bi_storage},
    {NULL, NULL},
};
