/* prelu.c: torch.prelu(input, weight), Tensor.prelu and F.prelu over
 * runtime/ops/prelu.c. */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static Value *bi_prelu(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2] = {0};
    if (!args_parse_torch(a, "prelu", "input, weight", v)) return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, "prelu", "input");
    Tensor *w = x ? la_tensor_arg(a, v[1], 1, "prelu", "weight") : NULL;
    Tensor *r = w ? op_prelu(x, w) : NULL;
    tensor_release(x);
    tensor_release(w);
    return wrap_tensor(r);
}

const Builtin prelu_functions[] = {
    {"prelu", bi_prelu},
    {NULL, NULL},
};

const Builtin prelu_methods[] = {
    {"prelu", bi_prelu},
    {NULL, NULL},
};

const Builtin prelu_functional_functions[] = {
    {"prelu", bi_prelu},
    {NULL, NULL},
};
