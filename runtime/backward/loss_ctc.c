/* loss_ctc.c: the backward formula of CtcLossBackward0 (its op:
 * runtime/ops/loss_ctc.c), derivatives.yaml's _ctc_loss_backward(grad,
 * log_probs, targets, input_lengths, target_lengths, result0, result1,
 * blank, zero_infinity). */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(ctc_loss_backward) {
    BEGIN;
    SAVED(lp, 0);
    SAVED(tg, 1);
    SAVED(il, 2);
    SAVED(tl, 3);
    SAVED(nll, 4);
    SAVED(la, 5);
    const CtcCtx *c = node->ctx;
    if (!c) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_ctc_loss_backward(grad, lp, tg, il, tl, nll, la, c)));
    END;
}
