/* pixel_shuffle.c: the backward formulas of PixelShuffleBackward0 and
 * PixelUnshuffleBackward0 (their op: runtime/ops/pixel_shuffle.c), each
 * the other op on the gradient, recorded (derivatives.yaml). */
#include "error.h"
#include "formula.h"
#include "ops.h"

static int64_t shuffle_factor(GradNode *node) {
    if (node->ctx) return *(const int64_t *)node->ctx;
    tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
    return 0;
}

FORMULA(pixel_shuffle_backward) {
    BEGIN;
    int64_t r = shuffle_factor(node);
    if (!r) ok = false;
    SET(0, keep(s, op_pixel_unshuffle(grad, r)));
    END;
}

FORMULA(pixel_unshuffle_backward) {
    BEGIN;
    int64_t r = shuffle_factor(node);
    if (!r) ok = false;
    SET(0, keep(s, op_pixel_shuffle(grad, r)));
    END;
}
