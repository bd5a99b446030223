/* linalg_add.c: backward formulas of addmv, addr, addbmm and baddbmm
 * (PyTorch 1.13's derivatives.yaml; maybe_multiply skips a factor of 1).
 * self's gradient is grad * beta, summed back to self's shape by
 * set_grad, as PyTorch's engine does for a broadcast input. */
#include "formula.h"
#include "ops.h"

/* maybe_multiply(t, v) */
static Tensor *times(Scratch *s, Tensor *t, double v) { return !t ? NULL : v == 1.0 ? t : S2f(s, BIN_MUL, t, v); }

static AddmmCtx scalars(GradNode *node) {
    const AddmmCtx *c = node->ctx;
    return c ? *c : (AddmmCtx){1.0, 1.0};
}

/* mat: grad.ger(vec) * alpha; vec: mat.t().mv(grad) * alpha */
FORMULA(addmv_backward) {
    BEGIN;
    SAVED(mat, 0);
    SAVED(vec, 1);
    AddmmCtx c = scalars(node);
    SET(0, times(s, grad, c.beta));
    SET(1, times(s, keep(s, op_outer(grad, vec)), c.alpha));
    SET(2, times(s, keep(s, op_matmul(keep(s, op_t(mat)), grad)), c.alpha));
    END;
}

/* vec1: grad.mv(vec2) * alpha; vec2: grad.t().mv(vec1) * alpha */
FORMULA(addr_backward) {
    BEGIN;
    SAVED(v1, 0);
    SAVED(v2, 1);
    AddmmCtx c = scalars(node);
    SET(0, times(s, grad, c.beta));
    SET(1, times(s, keep(s, op_matmul(grad, v2)), c.alpha));
    SET(2, times(s, keep(s, op_matmul(keep(s, op_t(grad)), v1)), c.alpha));
    END;
}

/* batch1: grad.bmm(batch2.transpose(1, 2)) * alpha;
 * batch2: batch1.transpose(1, 2).bmm(grad) * alpha. addbmm expands grad
 * to (b, n, p) first: grad.unsqueeze(0).expand(...) */
static bool bmm_grads(GradNode *node, Scratch *s, Tensor *g, Tensor **gi, bool summed) {
    Tensor *b1 = ag_saved(node, 0), *b2 = b1 ? ag_saved(node, 1) : NULL;
    if (!b2) return false;
    AddmmCtx c = scalars(node);
    bool ok = true;
    Tensor *grad = g;
    if (summed && (need(node, 1) || need(node, 2))) {
        int64_t sh[3] = {b1->shape[0], b1->shape[1], b2->shape[2]};
        grad = keep(s, op_expand(keep(s, op_unsqueeze(g, 0)), 3, sh));
    }
    Tensor **grad_inputs = gi;
    SET(0, times(s, g, c.beta));
    SET(1, times(s, keep(s, op_bmm(grad, keep(s, op_transpose(b2, 1, 2)))), c.alpha));
    SET(2, times(s, keep(s, op_bmm(keep(s, op_transpose(b1, 1, 2)), grad)), c.alpha));
    return ok;
}

FORMULA(addbmm_backward) {
    BEGIN;
    ok = bmm_grads(node, s, grad, grad_inputs, true);
    END;
}

FORMULA(baddbmm_backward) {
    BEGIN;
    ok = bmm_grads(node, s, grad, grad_inputs, false);
    END;
}
