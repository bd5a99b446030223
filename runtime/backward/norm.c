/* norm.c: the backward formulas of NativeBatchNormBackward0,
 * NativeLayerNormBackward0, NativeGroupNormBackward0 (op_norm_backward)
 * and EmbeddingBackward0 (op_embedding_backward); their gradients record
 * no graph of their own. What each node saves is documented with its op
 * (runtime/ops/norm.c). */
#include "error.h"
#include "formula.h"
#include "ops.h"

static const NormCtx *norm_ctx(GradNode *node) {
    if (!node->ctx) tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
    return node->ctx;
}

FORMULA(norm_backward) {
    BEGIN;
    const NormCtx *c = norm_ctx(node);
    SAVED(x, 0);
    Tensor *w = ag_saved(node, 1);
    if (!w && tsr_err_occurred()) ok = false;
    Tensor *s0 = ok ? ag_saved(node, 2) : NULL, *s1 = s0 ? ag_saved(node, 3) : NULL;
    if (!c || !s1) ok = false;
    Tensor *r[3] = {NULL, NULL, NULL};
    bool nd[3] = {need(node, 0), need(node, 1), need(node, 2)};
    if (ok && !op_norm_backward(c, grad, x, w, s0, s1, nd, r)) ok = false;
    for (int i = 0; i < 3; i++) keep(s, r[i]);
    SET(0, r[0]);
    SET(1, r[1]);
    SET(2, r[2]);
    END;
}

FORMULA(embedding_backward) {
    BEGIN;
    const NormCtx *c = norm_ctx(node);
    SAVED(idx, 0);
    if (!c) ok = false;
    SET(0, keep(s, op_embedding_backward(grad, idx, c->rows, c->n)));
    END;
}
