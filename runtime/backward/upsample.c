/* upsample.c: the backward formula of the interpolation nodes (their op:
 * runtime/ops/upsample.c). */
#include "error.h"
#include "formula.h"
#include "ops.h"

/* UpsampleNearest1D/2DBackward1, UpsampleBilinear2DBackward1: the
 * interpolation's adjoint (op_upsample_backward), recording nothing */
FORMULA(upsample_backward) {
    BEGIN;
    const UpsampleParams *p = node->ctx;
    if (!p) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_upsample_backward(grad, p)));
    END;
}
