/* storage.c: x.storage(). The storage classes are Python (torch/storage.py,
 * module torch.storage, as PyTorch's torch/storage.py); this file hands
 * them the tensor over a storage's bytes. */
#include <stdint.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

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
    if (r) tensor_set_dtype(r, dt);
    return wrap_tensor(r);
}

/* x.storage(): torch.storage.TypedStorage over x's whole storage */
static Value *bi_storage(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "storage", "", NULL)) return NULL;
    Value *fn = torch_python_member("storage", "_typed_storage");
    if (!fn) return NULL;
    Value *args[1] = {self};
    CallArgs ca = {args, 1, NULL, NULL, 0};
    Value *r = call_value(fn, &ca);
    val_release(fn);
    return r;
}

const Builtin storage_functions[] = {
    {"_storage_view", bi_storage_view},
    {NULL, NULL},
};

const Builtin storage_methods[] = {
    {"storage", bi_storage},
    {NULL, NULL},
};
