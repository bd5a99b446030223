/* unpool.c: the backward formula of MaxUnpool2DBackward0 and
 * MaxUnpool3DBackward0 (their op: runtime/ops/unpool.c). */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(max_unpool_backward) {
    BEGIN;
    SAVED(idx, 0);
    const int64_t *nd = node->ctx;
    if (!nd) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_max_unpool_backward(grad, idx, (int)*nd)));
    END;
}
