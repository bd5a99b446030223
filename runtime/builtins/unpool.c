/* unpool.c: the op under F.max_unpool1d/2d/3d (torch._C._nn.max_unpool2d
 * and max_unpool3d: F's functions are Python, nn_functional.py, which
 * computes output_size as functional.py's _unpool_output_size does). */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* a list/tuple of n ints */
static bool int_list(Value *v, const char *fn, const char *name, int n, int64_t *out) {
    if (!v || !val_is_seq(v) || v->seq.len != n) {
        tsr_raise(ERR_RuntimeError, "%s: %s must have %d elements", fn, name, n);
        return false;
    }
    for (int i = 0; i < n; i++)
        if (!arg_int(v->seq.items[i], fn, name, 0, &out[i])) return false;
    return true;
}

static Value *unpool_call(const CallArgs *a, int nd) {
    const char *fn = nd == 2 ? "max_unpool2d" : "max_unpool3d";
    Value *v[5] = {0};
    int64_t osize[3], stride[3];
    if (!args_parse(a, 0, fn, nd == 2 ? "input, indices, output_size" : "input, indices, output_size, stride, padding",
                    v) ||
        !int_list(v[2], fn, "output_size", nd, osize) || (nd == 3 && !int_list(v[3], fn, "stride", 3, stride)))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input"), *i = x ? arg_tensor(v[1], fn, "indices") : NULL, *r = NULL;
    if (i) r = op_max_unpool(x, i, nd, osize, stride);
    tensor_release(x);
    tensor_release(i);
    return wrap_tensor(r);
}

static Value *bi_max_unpool2d(Value *self, const CallArgs *a) { return unpool_call(a, 2); }
static Value *bi_max_unpool3d(Value *self, const CallArgs *a) { return unpool_call(a, 3); }

const Builtin unpool_functional_functions[] = {
    {"_max_unpool2d", bi_max_unpool2d},
    {"_max_unpool3d", bi_max_unpool3d},
    {NULL, NULL},
};
