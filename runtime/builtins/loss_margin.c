/* loss_margin.c: F.multi_margin_loss and F.multilabel_margin_loss (1.13's
 * functional.py: reduction first, then p and weight's checks, then
 * torch._C._nn's op) over runtime/ops/loss_margin.c. */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static Value *bi_multi_margin_loss(Value *self, const CallArgs *a) {
    const char *fn = "multi_margin_loss";
    Value *v[8];
    double p, margin;
    int red;
    if (!args_parse(a, 0, fn, "input, target, p=, margin=, weight=, size_average=, reduce=, reduction=", v) ||
        !arg_reduction(v[5], v[6], v[7], &red) || !arg_double(v[2], fn, "p", 1.0, &p) ||
        !arg_double(v[3], fn, "margin", 1.0, &margin))
        return NULL;
    if (p != 1 && p != 2) {
        tsr_raise(ERR_ValueError, "%s", "only p == 1 and p == 2 supported");
        return NULL;
    }
    Tensor *w = is_none(v[4]) ? NULL : arg_tensor(v[4], fn, "weight");
    if (!is_none(v[4]) && !w) return NULL;
    if (w && w->ndim != 1) {
        tensor_release(w);
        tsr_raise(ERR_ValueError, "%s", "weight must be one-dimensional");
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, "input"), *t = x ? arg_tensor(v[1], fn, "target") : NULL, *r = NULL;
    MarginCtx c = {(int)p, margin, red};
    if (t) r = op_multi_margin_loss(x, t, w, &c);
    tensor_release(x);
    tensor_release(t);
    tensor_release(w);
    return wrap_tensor(r);
}

static Value *bi_multilabel_margin_loss(Value *self, const CallArgs *a) {
    const char *fn = "multilabel_margin_loss";
    Value *v[5];
    int red;
    if (!args_parse(a, 0, fn, "input, target, size_average=, reduce=, reduction=", v) ||
        !arg_reduction(v[2], v[3], v[4], &red))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input"), *t = x ? arg_tensor(v[1], fn, "target") : NULL, *r = NULL;
    if (t) r = op_multilabel_margin_loss(x, t, red);
    tensor_release(x);
    tensor_release(t);
    return wrap_tensor(r);
}

const Builtin loss_margin_functional_functions[] = {
    {"multi_margin_loss", bi_multi_margin_loss},
    {"multilabel_margin_loss", bi_multilabel_margin_loss},
    {NULL, NULL},
};
