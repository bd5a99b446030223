/* grid_sample.c: the backward formulas of GridSampler2DBackward0 and
 * GridSampler3DBackward0 (their op: runtime/ops/grid_sample.c):
 * grid_sampler_2d_backward / grid_sampler_3d_backward. */
#include "error.h"
#include "formula.h"
#include "ops.h"

typedef bool (*GridBackward)(Tensor *, Tensor *, Tensor *, const void *, bool, Tensor **, Tensor **);

static bool grid_backward(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs, GridBackward fn) {
    BEGIN;
    SAVED(input, 0);
    SAVED(grid, 1);
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        scratch_free(s);
        return false;
    }
    Tensor *gi = NULL, *gg = NULL;
    ok = fn(grad, input, grid, node->ctx, need(node, 0), &gi, &gg);
    keep(s, gi);
    keep(s, gg);
    SET(0, gi);
    SET(1, gg);
    END;
}

FORMULA(grid_sampler_2d_backward) { return grid_backward(node, grad_outputs, grad_inputs, op_grid_sampler_2d_backward); }

FORMULA(grid_sampler_3d_backward) { return grid_backward(node, grad_outputs, grad_inputs, op_grid_sampler_3d_backward); }
