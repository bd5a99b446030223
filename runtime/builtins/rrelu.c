/* rrelu.c: torch.rrelu(input, lower=1/8, upper=1/3, training=False,
 * generator=None) over runtime/ops/rrelu.c (F.rrelu is Python:
 * nn_functional.py). Only the default generator is supported. */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static Value *bi_rrelu(Value *self, const CallArgs *a) {
    Value *v[5];
    double lower, upper;
    bool training;
    if (!args_parse(a, 0, "rrelu", "input, lower=, upper=, training=, generator=", v) ||
        !arg_double(v[1], "rrelu", "lower", 1.0 / 8, &lower) || !arg_double(v[2], "rrelu", "upper", 1.0 / 3, &upper) ||
        !arg_bool(v[3], "rrelu", "training", false, &training))
        return NULL;
    if (v[4] && v[4]->kind != VK_NONE) {
        tsr_raise(ERR_NotImplementedError, "%s", "rrelu: a generator other than the default one is not supported");
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "rrelu", "input");
    if (!x) return NULL;
    Tensor *out = op_nn_rrelu(x, lower, upper, training);
    tensor_release(x);
    return wrap_tensor(out);
}

const Builtin rrelu_functions[] = {
    {"rrelu", bi_rrelu},
    {NULL, NULL},
};

const Builtin rrelu_methods[] = {
    {NULL, NULL},
};
