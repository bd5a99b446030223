/* linalg_tensorsolve.c: linalg.tensorinv and linalg.tensorsolve
 * (runtime/ops/linalg_tensorsolve.c). */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static Value *bi_linalg_tensorinv(Value *self, const CallArgs *a) {
    const char *fn = "linalg_tensorinv";
    Value *v[3];
    int64_t ind;
    if (!args_parse(a, 0, fn, "A, ind=, *, out=", v) || !la_no_out(v[2], fn) || !arg_int(v[1], fn, "ind", 2, &ind))
        return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *r = x ? op_linalg_tensorinv(x, ind) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_linalg_tensorsolve(Value *self, const CallArgs *a) {
    const char *fn = "linalg_tensorsolve";
    Value *v[4];
    if (!args_parse(a, 0, fn, "A, B, dims=, *, out=", v) || !la_no_out(v[3], fn)) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd = 0;
    bool has_dims = v[2] && !is_none(v[2]);
    if (has_dims) {
        bool ints = v[2]->kind == VK_LIST || v[2]->kind == VK_TUPLE || v[2]->kind == VK_SIZE;
        if (!ints || !val_as_dims(v[2], dims, &nd)) {
            tsr_err_clear();
            tsr_raise(ERR_TypeError, "%s(): argument 'dims' must be tuple of ints, not %s", fn, val_type_name(v[2]));
            return NULL;
        }
    }
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *y = x ? la_tensor_arg(a, v[1], 1, fn, "B") : NULL;
    Tensor *r = y ? op_linalg_tensorsolve(x, y, nd, has_dims ? dims : NULL) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

const Builtin linalg_tensorsolve_module_functions[] = {
    {"tensorinv", bi_linalg_tensorinv},
    {"tensorsolve", bi_linalg_tensorsolve},
    {NULL, NULL},
};
