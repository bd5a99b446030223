/* linalg_ormqr.c: torch.ormqr / Tensor.ormqr (ops/linalg_ormqr.c). */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static Value *bi_ormqr(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    const char *fn = "ormqr";
    if (!args_parse(a, 0, fn, "input, input2, input3, left=, transpose=", v)) return NULL;
    bool left, transpose;
    if (!arg_bool(v[3], fn, "left", true, &left) || !arg_bool(v[4], fn, "transpose", false, &transpose)) return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *tau = A ? la_tensor_arg(a, v[1], 1, fn, "input2") : NULL;
    Tensor *C = tau ? la_tensor_arg(a, v[2], 2, fn, "input3") : NULL;
    Tensor *r = C ? op_ormqr(A, tau, C, left, transpose) : NULL;
    tensor_release(A);
    tensor_release(tau);
    tensor_release(C);
    return wrap_tensor(r);
}

const Builtin linalg_ormqr_functions[] = {
    {"ormqr", bi_ormqr},
    {NULL, NULL},
};

const Builtin linalg_ormqr_methods[] = {
    {"ormqr", bi_ormqr},
    {NULL, NULL},
};
