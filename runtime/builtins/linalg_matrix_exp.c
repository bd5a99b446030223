/* linalg_matrix_exp.c: the matrix exponential as linalg.matrix_exp,
 * torch.matrix_exp and Tensor.matrix_exp (runtime/ops/linalg_matrix_exp.c). */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static Value *matrix_exp_common(const char *fn, const char *sig, const char *name, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, fn, sig, v)) return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, name);
    Tensor *r = x ? op_linalg_matrix_exp(x) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_linalg_matrix_exp(Value *self, const CallArgs *a) {
    return matrix_exp_common("linalg_matrix_exp", "input", "input", self, a);
}

static Value *bi_matrix_exp(Value *self, const CallArgs *a) {
    return matrix_exp_common("matrix_exp", "input", "input", self, a);
}

const Builtin linalg_matrix_exp_module_functions[] = {
    {"matrix_exp", bi_linalg_matrix_exp},
    {NULL, NULL},
};

const Builtin linalg_matrix_exp_functions[] = {
    {"matrix_exp", bi_matrix_exp},
    {NULL, NULL},
};

const Builtin linalg_matrix_exp_methods[] = {
    {"matrix_exp", bi_matrix_exp},
    {NULL, NULL},
};
