/* loss_margin.c: the backward formulas of MultiMarginLossBackward0 and
 * MultilabelMarginLossBackward0 (their ops: runtime/ops/loss_margin.c),
 * ATen's backward functions. */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(multi_margin_loss_backward) {
    BEGIN;
    SAVED(x, 0);
    SAVED(target, 1);
    Tensor *weight = node->n_saved > 2 ? ag_saved(node, 2) : NULL;
    const MarginCtx *c = node->ctx;
    if (!c) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_multi_margin_loss_backward(grad, x, target, weight, c)));
    END;
}

FORMULA(multilabel_margin_loss_backward) {
    BEGIN;
    SAVED(x, 0);
    SAVED(target, 1);
    SAVED(is_target, 2);
    const int *red = node->ctx;
    if (!red) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_multilabel_margin_loss_backward(grad, x, target, is_target, *red)));
    END;
}
