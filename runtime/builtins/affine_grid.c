/* affine_grid.c: torch.affine_grid_generator(theta, size, align_corners)
 * over runtime/ops/affine_grid.c (F.affine_grid is Python, in
 * torch/nn_functional.py, as in PyTorch). */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static Value *bi_affine_grid_generator(Value *self, const CallArgs *a) {
    const char *fn = "affine_grid_generator";
    Value *v[3] = {0};
    if (!args_parse_torch(a, fn, "theta, size, align_corners", v)) return NULL;
    Value *sv = v[1];
    int64_t size[TSR_MAX_DIMS];
    int n = 0;
    if (sv->kind != VK_LIST && sv->kind != VK_TUPLE && sv->kind != VK_SIZE) {
        tsr_raise(ERR_TypeError, "%s(): argument 'size' (position 2) must be tuple of ints, not %s", fn,
                  val_type_name(sv));
        return NULL;
    }
    for (int64_t i = 0; i < sv->seq.len; i++) {
        Value *e = sv->seq.items[i];
        if (e->kind != VK_INT || i >= TSR_MAX_DIMS) {
            tsr_raise(ERR_TypeError, "%s(): argument 'size' must be tuple of ints, but found element of type %s at pos %lld",
                      fn, val_type_name(e), (long long)i + 1);
            return NULL;
        }
        size[n++] = e->i;
    }
    if (v[2]->kind != VK_BOOL) {
        tsr_raise(ERR_TypeError, "%s(): argument 'align_corners' (position 3) must be bool, not %s", fn,
                  val_type_name(v[2]));
        return NULL;
    }
    Tensor *theta = la_tensor_arg(a, v[0], 0, fn, "theta");
    if (!theta) return NULL;
    Tensor *r = op_affine_grid_generator(theta, n, size, v[2]->b);
    tensor_release(theta);
    return wrap_tensor(r);
}

const Builtin affine_grid_functions[] = {
    {"affine_grid_generator", bi_affine_grid_generator},
    {NULL, NULL},
};

const Builtin affine_grid_methods[] = {
    {NULL, NULL},
};
