/* shrink.c: torch.hardshrink(input, lambd=0.5), Tensor.hardshrink,
 * F.hardshrink and F.softshrink(input, lambd=0.5) over runtime/ops/shrink.c. */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static Value *bi_hardshrink(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2] = {0};
    double lambd = 0.5;
    /* a method's lambd is its first argument */
    if (!args_parse_torch(a, "hardshrink", "input, lambd=", v) ||
        !arg_number(v[1], "hardshrink", "lambd", self ? 1 : 2, &lambd))
        return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, "hardshrink", "input");
    if (!x) return NULL;
    Tensor *r = op_hardshrink(x, lambd);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_softshrink(Value *self, const CallArgs *a) {
    Value *v[2] = {0};
    double lambd = 0.5;
    if (!args_parse(a, 0, "softshrink", "input, lambd=", v) || !arg_number(v[1], "softshrink", "lambd", 2, &lambd))
        return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, "softshrink", "input");
    if (!x) return NULL;
    Tensor *r = op_softshrink(x, lambd);
    tensor_release(x);
    return wrap_tensor(r);
}

const Builtin shrink_functions[] = {
    {"hardshrink", bi_hardshrink},
    {NULL, NULL},
};

const Builtin shrink_methods[] = {
    {"hardshrink", bi_hardshrink},
    {NULL, NULL},
};

const Builtin shrink_functional_functions[] = {
    {"hardshrink", bi_hardshrink},
    {"softshrink", bi_softshrink},
    {NULL, NULL},
};
