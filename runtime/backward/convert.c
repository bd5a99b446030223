/* convert.c: the formula of dst.copy_(src) (CopyBackwards). */

#include "formula.h"

/* ---- the backward: self's old values are overwritten, src flows through */

FORMULA(copy_backward) {
    Tensor *grad = grad_outputs[0];
    Scratch sc = {0}, *s = &sc;
    bool ok = true;
    if (need(node, 0)) ok = set_grad(node, 0, grad_inputs, Szeros_like(s, grad));
    if (ok && need(node, 1)) ok = set_grad(node, 1, grad_inputs, grad);
    scratch_free(s);
    return ok;
}

const BackwardDef ag_formulas_convert[] = {
    {"CopyBackwards", copy_backward},
    {NULL, NULL},
};
