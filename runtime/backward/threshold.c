/* threshold.c: the backward formula of ThresholdBackward0 and
 * ThresholdBackward1 (their op: runtime/ops/threshold.c):
 * threshold_backward(grad, self, threshold), self saved before an in-place
 * write. */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(threshold_backward) {
    BEGIN;
    SAVED(x, 0);
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_threshold_backward(grad, x, *(const double *)node->ctx)));
    END;
}
