/* grid_sample.c: the backward formula of GridSampler2DBackward0 (its op:
 * runtime/ops/grid_sample.c): grid_sampler_2d_backward. */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(grid_sampler_2d_backward) {
    BEGIN;
    SAVED(input, 0);
    SAVED(grid, 1);
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        scratch_free(s);
        return false;
    }
    Tensor *gi = NULL, *gg = NULL;
    ok = op_grid_sampler_2d_backward(grad, input, grid, node->ctx, need(node, 0), &gi, &gg);
    keep(s, gi);
    keep(s, gg);
    SET(0, gi);
    SET(1, gg);
    END;
}
