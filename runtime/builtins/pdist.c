/* pdist.c: torch.pdist(input, p=2) and F.pdist, torch.cdist(x1, x2, p=2.,
 * compute_mode=...) (torch/functional.py's, calling _VF.cdist with every
 * argument by position) over runtime/ops/pdist.c. */
#include <string.h>

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

static const char *const cdist_modes[] = {"use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                                          "donot_use_mm_for_euclid_dist"};

static Value *bi_cdist(Value *self, const CallArgs *a) {
    (void)self;
    Value *v[4] = {0};
    if (!args_parse(a, 0, "cdist", "x1, x2, p=, compute_mode=", v)) return NULL;
    int mode = 0;
    if (v[3]) {
        mode = -1;
        for (int i = 0; i < 3; i++)
            if (v[3]->kind == VK_STR && !strcmp(v[3]->str.s, cdist_modes[i])) mode = i;
        if (mode < 0) {
            Value *str = val_str_of(v[3]);
            if (str) tsr_raise(ERR_ValueError, "%s is not a valid value for compute_mode", str->str.s);
            val_release(str);
            return NULL;
        }
    }
    for (int i = 0; i < 2; i++)
        if (v[i]->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "cdist(): argument '%s' (position %d) must be Tensor, not %s", i ? "x2" : "x1",
                      i + 1, val_type_name(v[i]));
            return NULL;
        }
    double p = 2.0;
    if (v[2] && v[2]->kind != VK_INT && v[2]->kind != VK_BOOL && v[2]->kind != VK_FLOAT && v[2]->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "cdist(): argument 'p' (position 3) must be float, not %s", val_type_name(v[2]));
        return NULL;
    }
    if (!arg_double(v[2], "cdist", "p", 2.0, &p)) return NULL;
    return wrap_tensor(op_cdist(v[0]->tensor, v[1]->tensor, p, mode));
}

const Builtin pdist_functions[] = {
    {"pdist", bi_pdist},
    {"cdist", bi_cdist},
    {NULL, NULL},
};

const Builtin pdist_methods[] = {
    {NULL, NULL},
};

const Builtin pdist_functional_functions[] = {
    {"pdist", bi_pdist},
    {NULL, NULL},
};
