/* pdist.c: torch.pdist(input, p=2) and F.pdist over runtime/ops/pdist.c. */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static Value *bi_pdist(Value *self, const CallArgs *a) {
    Value *v[2] = {0};
    double p;
    if (!args_parse(a, 0, "pdist", "input, p=", v)) return NULL;
    if (v[1] && v[1]->kind != VK_INT && v[1]->kind != VK_FLOAT && v[1]->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "pdist(): argument 'p' (position 2) must be float, not %s", val_type_name(v[1]));
        return NULL;
    }
    if (!arg_double(v[1], "pdist", "p", 2.0, &p)) return NULL;
    Tensor *x = arg_tensor(v[0], "pdist", "input");
    if (!x) return NULL;
    Tensor *r = op_pdist(x, p);
    tensor_release(x);
    return wrap_tensor(r);
}

const Builtin pdist_functions[] = {
    {"pdist", bi_pdist},
    {NULL, NULL},
};

const Builtin pdist_methods[] = {
    {NULL, NULL},
};

const Builtin pdist_functional_functions[] = {
    {"pdist", bi_pdist},
    {NULL, NULL},
};
