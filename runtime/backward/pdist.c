/* pdist.c: the backward formulas of PdistBackward0 (_pdist_backward; its
 * op: runtime/ops/pdist.c) and PdistBackwardBackward0 (not implemented in
 * PyTorch 1.13); of cdist's CdistBackward0 (_cdist_backward),
 * CdistBackwardBackward0 (not implemented either) and
 * EuclideanDistBackward0 (its matmul path). */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(pdist_backward) {
    BEGIN;
    SAVED(x, 0);
    SAVED_RESULT(dist, 1);
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_pdist_backward(grad, x, *(const double *)node->ctx, dist)));
    END;
}

FORMULA(pdist_backward_backward) {
    tsr_raise(ERR_NotImplementedError, "%s", "the derivative for '_pdist_backward' is not implemented.");
    return false;
}

/* _cdist_forward: x1 <- _cdist_backward(grad.contiguous(), x1, x2, p,
 * result); x2 <- _cdist_backward(grad.mT().contiguous(), x2, x1, p,
 * result.mT().contiguous()) */
FORMULA(cdist_backward) {
    BEGIN;
    SAVED(x1, 0);
    SAVED(x2, 1);
    SAVED_RESULT(dist, 2);
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    double p = ok ? *(const double *)node->ctx : 0;
    if (ok && need(node, 0)) {
        Tensor *g = keep(s, op_contiguous(grad));
        SET(0, g ? keep(s, op_cdist_backward(g, x1, x2, p, dist)) : NULL);
    }
    if (ok && need(node, 1)) {
        Tensor *gt = keep(s, op_transpose(grad, -2, -1));
        Tensor *g = gt ? keep(s, op_contiguous(gt)) : NULL;
        Tensor *dt = g ? keep(s, op_transpose(dist, -2, -1)) : NULL;
        Tensor *d = dt ? keep(s, op_contiguous(dt)) : NULL;
        SET(1, d ? keep(s, op_cdist_backward(g, x2, x1, p, d)) : NULL);
    }
    END;
}

FORMULA(cdist_backward_backward) {
    tsr_raise(ERR_NotImplementedError, "%s", "the derivative for '_cdist_backward' is not implemented.");
    return false;
}

/* _euclidean_dist_backward: ratio = grad / res, 0 where res is 0;
 * x1 <- x1 * ratio.sum(-1, true) - ratio @ x2,
 * x2 <- x2 * ratio.sum(-2).unsqueeze(-1) - ratio.mT @ x1 */
FORMULA(euclidean_dist_backward) {
    BEGIN;
    SAVED(x1, 0);
    SAVED(x2, 1);
    SAVED_RESULT(res, 2);
    int64_t last = -1, second = -2;
    Tensor *q = S2(s, BIN_DIV, grad, res);
    Tensor *mask = q ? S2(s, BIN_EQ, res, keep(s, tensor_wrapped_int(0))) : NULL;
    Tensor *ratio = Sfill0(s, q, mask);
    if (!ratio) ok = false;
    if (ok && need(node, 0)) {
        Tensor *a = S2(s, BIN_MUL, x1, Ssum(s, ratio, 1, &last, true));
        Tensor *b = a ? keep(s, op_matmul(ratio, x2)) : NULL;
        SET(0, b ? S2(s, BIN_SUB, a, b) : NULL);
    }
    if (ok && need(node, 1)) {
        Tensor *a = S2(s, BIN_MUL, x2, Sunsqueeze(s, Ssum(s, ratio, 1, &second, false), -1));
        Tensor *rt = a ? keep(s, op_transpose(ratio, -2, -1)) : NULL;
        Tensor *b = rt ? keep(s, op_matmul(rt, x1)) : NULL;
        SET(1, b ? S2(s, BIN_SUB, a, b) : NULL);
    }
    END;
}
