/* bilinear.c: torch.bilinear(input1, input2, weight, bias=None) and
 * F.bilinear over runtime/ops/bilinear.c. */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static Value *bi_bilinear(Value *self, const CallArgs *a) {
    Value *v[4] = {0};
    if (!args_parse_torch(a, "bilinear", "input1, input2, weight, bias=", v)) return NULL;
    static const char *const names[3] = {"input1", "input2", "weight"};
    Tensor *t[4] = {NULL, NULL, NULL, NULL};
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) ok = (t[i] = la_tensor_arg(a, v[i], i, "bilinear", names[i])) != NULL;
    if (ok && !is_none(v[3])) ok = (t[3] = la_tensor_arg(a, v[3], 3, "bilinear", "bias")) != NULL;
    Tensor *r = ok ? op_bilinear(t[0], t[1], t[2], t[3]) : NULL;
    for (int i = 0; i < 4; i++) tensor_release(t[i]);
    return wrap_tensor(r);
}

const Builtin bilinear_functions[] = {
    {"bilinear", bi_bilinear},
    {NULL, NULL},
};

const Builtin bilinear_methods[] = {
    {NULL, NULL},
};

const Builtin bilinear_functional_functions[] = {
    {"bilinear", bi_bilinear},
    {NULL, NULL},
};
