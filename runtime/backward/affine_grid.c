/* affine_grid.c: the backward formula of AffineGridGeneratorBackward0 (its
 * op: runtime/ops/affine_grid.c). */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(affine_grid_generator_backward) {
    BEGIN;
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_affine_grid_generator_backward(grad, node->ctx)));
    END;
}
