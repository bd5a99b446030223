/* prelu.c: the backward formulas of PreluBackward0 (prelu_backward) and
 * PreluBackwardBackward0 (FunctionsManual's prelu_double_backward) (their
 * ops: runtime/ops/prelu.c). */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(prelu_backward) {
    BEGIN;
    SAVED(x, 0);
    SAVED(w, 1);
    Tensor *gx = NULL, *gw = NULL;
    ok = op_prelu_backward(grad, x, w, &gx, &gw);
    keep(s, gx);
    keep(s, gw);
    SET(0, gx);
    SET(1, gw);
    END;
}

/* mask.type_as(like) */
static Tensor *mask_as(Scratch *s, Tensor *mask, Tensor *like) {
    return mask && like ? keep(s, op_to_dtype(mask, like->dtype)) : NULL;
}

/* t unsqueezed at dim 1 n times, expanded as like */
static Tensor *expand_channels(Scratch *s, Tensor *t, int n, Tensor *like) {
    for (int i = 0; i < n && t; i++) t = Sunsqueeze(s, t, 1);
    return t ? keep(s, op_expand(t, like->ndim, like->shape)) : NULL;
}

/* grads of (gx, gw) = prelu_backward(gO, x, w) with respect to gO, x, w */
FORMULA(prelu_backward_backward) {
    Tensor *ggI_ = grad_outputs[0], *ggW_ = grad_outputs[1];
    SCRATCH;
    SAVED(gO, 0);
    SAVED(x, 1);
    SAVED(w, 2);
    Tensor *ggI = ggI_ ? ggI_ : Szeros_like(s, x);
    Tensor *ggW = ggW_ ? ggW_ : Szeros_like(s, w);
    Tensor *zero = Szero(s, x->dtype);
    Tensor *pos = mask_as(s, S2(s, BIN_GT, x, zero), ggI);
    Tensor *nonpos = mask_as(s, S2(s, BIN_LE, x, zero), ggW);
    if (tensor_numel(w) == 1) {
        bool squeeze = x->ndim == 0 && w->ndim == 1;
        Tensor *wq = squeeze ? keep(s, op_squeeze(w, 0, NULL)) : w;
        Tensor *ggWq = squeeze && ggW ? keep(s, op_squeeze(ggW, 0, NULL)) : ggW;
        Tensor *ggWx = ggWq ? keep(s, op_expand(ggWq, gO->ndim, gO->shape)) : NULL;
        if (ok && need(node, 0)) {
            Tensor *wx = wq ? keep(s, op_expand(wq, x->ndim, x->shape)) : NULL;
            Tensor *mask = S2(s, BIN_ADD, pos, S2(s, BIN_MUL, nonpos, wx));
            SET(0, S2(s, BIN_ADD, S2(s, BIN_MUL, ggI, mask), S2(s, BIN_MUL, ggWx, S2(s, BIN_MUL, nonpos, x))));
        }
        SET(1, S2(s, BIN_MUL, S2(s, BIN_MUL, ggWx, gO), nonpos));
        if (ok && need(node, 2)) {
            Tensor *sum = Ssum(s, S2(s, BIN_MUL, S2(s, BIN_MUL, ggI, gO), nonpos), 0, NULL, false);
            SET(2, sum ? keep(s, op_expand(sum, w->ndim, w->shape)) : NULL);
        }
        END;
    }
    int n = x->ndim - 2 > 0 ? x->ndim - 2 : 0;
    Tensor *ggWx = expand_channels(s, ggW, n, ggI);
    if (ok && need(node, 0)) {
        Tensor *wx = expand_channels(s, w, n, x);
        Tensor *mask = S2(s, BIN_ADD, pos, S2(s, BIN_MUL, nonpos, wx));
        SET(0, S2(s, BIN_ADD, S2(s, BIN_MUL, ggI, mask), S2(s, BIN_MUL, S2(s, BIN_MUL, ggWx, nonpos), x)));
    }
    SET(1, S2(s, BIN_MUL, S2(s, BIN_MUL, ggWx, gO), nonpos));
    if (ok && need(node, 2)) {
        Tensor *gW = S2(s, BIN_MUL, S2(s, BIN_MUL, ggI, gO), nonpos);
        int64_t d0 = 0, d1 = 1;
        if (gW && x->ndim > 1) gW = Ssum(s, gW, 1, &d0, false);
        while (gW && gW->ndim > 1) gW = Ssum(s, gW, 1, &d1, false);
        SET(2, gW);
    }
    END;
}
