/* pdist.c: the backward formulas of PdistBackward0 (_pdist_backward; its
 * op: runtime/ops/pdist.c) and PdistBackwardBackward0 (not implemented in
 * PyTorch 1.13). */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(pdist_backward) {
    BEGIN;
    SAVED(x, 0);
    SAVED_RESULT(dist, 1);
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_pdist_backward(grad, x, *(const double *)node->ctx, dist)));
    END;
}

FORMULA(pdist_backward_backward) {
    tsr_raise(ERR_NotImplementedError, "%s", "the derivative for '_pdist_backward' is not implemented.");
    return false;
}
