/* shrink.c: the backward formulas of Hardshrink/SoftshrinkBackward0 and
 * their BackwardBackward0 nodes (the ops: runtime/ops/shrink.c), as
 * derivatives.yaml writes them: self gets XXX_backward(grad, self, lambd);
 * XXX_backward's grad_out gets the same, its self zeros. */
#include "error.h"
#include "formula.h"
#include "ops.h"

static const double *lambd_of(GradNode *node) {
    if (!node->ctx) tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
    return node->ctx;
}

static bool is_soft(GradNode *node) {
    return node->kind == NODE_SoftshrinkBackward0 || node->kind == NODE_SoftshrinkBackwardBackward0;
}

FORMULA(shrink_backward) {
    BEGIN;
    SAVED(x, 0);
    const double *lambd = lambd_of(node);
    if (!lambd) ok = false;
    SET(0, keep(s, op_shrink_backward(grad, x, *lambd, is_soft(node))));
    END;
}

FORMULA(shrink_backward_backward) {
    BEGIN;
    SAVED(x, 0);
    const double *lambd = lambd_of(node);
    if (!lambd) ok = false;
    SET(0, keep(s, op_shrink_backward(grad, x, *lambd, is_soft(node))));
    SET(1, Szeros_like(s, grad));
    END;
}
