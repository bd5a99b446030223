/* scan.c: torch.logcumsumexp and Tensor.logcumsumexp (op runtime/ops/scan.c). */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* logcumsumexp(input, dim) */
static Value *bi_logcumsumexp(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, "logcumsumexp", "input, dim", v)) return NULL;
    int64_t dim;
    if (!arg_int(v[1], "logcumsumexp", "dim", 0, &dim)) return NULL;
    Tensor *x = arg_tensor(v[0], "logcumsumexp", "input");
    Tensor *r = x ? op_logcumsumexp(x, dim) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

const Builtin scan_functions[] = {
    {"logcumsumexp", bi_logcumsumexp},
    {NULL, NULL},
};

const Builtin scan_methods[] = {
    {"logcumsumexp", bi_logcumsumexp},
    {NULL, NULL},
};
