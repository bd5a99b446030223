/* threshold.c: torch.threshold / torch.threshold_ and F.threshold(input,
 * threshold, value, inplace=False) / F.threshold_ over
 * runtime/ops/threshold.c. */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static Value *threshold_call(const CallArgs *a, const char *fn, const char *spec, bool inplace_arg, bool inplace) {
    Value *v[4] = {0};
    double th = 0, val = 0;
    const char *op = inplace && !inplace_arg ? "threshold_" : "threshold";
    if (!args_parse(a, 0, fn, spec, v) || (inplace_arg && !arg_bool(v[3], fn, "inplace", false, &inplace)) ||
        !arg_number(v[1], op, "threshold", 2, &th) || !arg_number(v[2], op, "value", 3, &val))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = inplace ? op_threshold_(x, th, val) : op_threshold(x, th, val);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_threshold(Value *self, const CallArgs *a) {
    return threshold_call(a, "threshold", "input, threshold, value", false, false);
}

static Value *bi_threshold_(Value *self, const CallArgs *a) {
    return threshold_call(a, "threshold_", "input, threshold, value", false, true);
}

/* F.threshold: functional.py's _threshold (inplace picks _VF.threshold_) */
static Value *bi_f_threshold(Value *self, const CallArgs *a) {
    return threshold_call(a, "_threshold", "input, threshold, value, inplace=", true, false);
}

const Builtin threshold_functions[] = {
    {"threshold", bi_threshold},
    {"threshold_", bi_threshold_},
    {NULL, NULL},
};

const Builtin threshold_methods[] = {
    {NULL, NULL},
};

const Builtin threshold_functional_functions[] = {
    {"threshold", bi_f_threshold},
    {"threshold_", bi_threshold_},
    {NULL, NULL},
};
