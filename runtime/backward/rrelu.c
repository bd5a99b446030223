/* rrelu.c: the backward formula of RreluWithNoiseBackward0 (its op:
 * runtime/ops/rrelu.c): rrelu_with_noise_backward(grad, self, noise, ...). */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(rrelu_backward) {
    BEGIN;
    const RreluCtx *c = node->ctx;
    Tensor *x = c ? ag_saved(node, 0) : NULL, *noise = x ? ag_saved(node, 1) : NULL;
    if (!noise) {
        if (!tsr_err_occurred()) tsr_raise(ERR_RuntimeError, "%s: missing saved tensors", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_nn_rrelu_backward(grad, x, noise, c)));
    END;
}
