/* hardshrink.c: the backward formulas of HardshrinkBackward0 and
 * HardshrinkBackwardBackward0 (their ops: runtime/ops/hardshrink.c), as
 * derivatives.yaml writes them: self gets hardshrink_backward(grad, self,
 * lambd); hardshrink_backward's grad_out gets the same, its self zeros. */
#include "error.h"
#include "formula.h"
#include "ops.h"

static const double *lambd_of(GradNode *node) {
    if (!node->ctx) tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
    return node->ctx;
}

FORMULA(hardshrink_backward) {
    BEGIN;
    SAVED(x, 0);
    const double *lambd = lambd_of(node);
    if (!lambd) ok = false;
    SET(0, keep(s, op_hardshrink_backward(grad, x, *lambd)));
    END;
}

FORMULA(hardshrink_backward_backward) {
    BEGIN;
    SAVED(x, 0);
    const double *lambd = lambd_of(node);
    if (!lambd) ok = false;
    SET(0, keep(s, op_hardshrink_backward(grad, x, *lambd)));
    SET(1, Szeros_like(s, grad));
    END;
}
