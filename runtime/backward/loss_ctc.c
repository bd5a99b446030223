/* loss_ctc.c: CtcLossBackward0's formula (_ctc_loss_backward; its op:
 * runtime/ops/loss_ctc.c), the gradient of log_probs only. */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(ctc_loss_backward) {
    BEGIN;
    Tensor *sv[6];
    for (int i = 0; i < 6 && ok; i++) {
        sv[i] = saved_t(node, i);
        if (!sv[i]) ok = false;
    }
    if (ok && !node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    if (ok) SET(0, keep(s, op_ctc_loss_backward(grad, sv, node->ctx)));
    END;
}
