/* bilinear.c: the backward formula of TrilinearBackward0 (its op:
 * runtime/ops/bilinear.c): _trilinear_backward, three _trilinear calls. */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(trilinear_backward) {
    BEGIN;
    SAVED(i1, 0);
    SAVED(i2, 1);
    SAVED(i3, 2);
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    Tensor *in[3] = {i1, i2, i3}, *g[3] = {NULL, NULL, NULL};
    bool want[3] = {need(node, 0), need(node, 1), need(node, 2)};
    if (ok) ok = op_trilinear_backward(grad, in, node->ctx, want, g);
    for (int k = 0; k < 3; k++) keep(s, g[k]);
    for (int k = 0; k < 3; k++) SET(k, g[k]);
    END;
}
