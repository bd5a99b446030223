/* embedding_bag.c: the backward formula of EmbeddingBagBackward0 (its op:
 * runtime/ops/embedding_bag.c): weight gets _embedding_bag_dense_backward,
 * per_sample_weights _embedding_bag_per_sample_weights_backward. */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(embedding_bag_backward) {
    BEGIN;
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        scratch_free(s);
        return false;
    }
    Tensor *saved[7] = {NULL};
    int n_saved = node->n_next > 1 ? 7 : 6;
    for (int i = 0; i < n_saved; i++) {
        saved[i] = ag_saved(node, i);
        if (!saved[i]) {
            scratch_free(s);
            return false;
        }
    }
    Tensor *gw = NULL, *gp = NULL;
    ok = op_embedding_bag_backward(grad, saved, node->ctx, need(node, 0), need(node, 1), &gw, &gp);
    keep(s, gw);
    keep(s, gp);
    SET(0, gw);
    SET(1, gp);
    END;
}
