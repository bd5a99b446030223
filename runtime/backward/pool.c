/* pool.c: the backward formula of the pooling nodes. What they save is
 * documented with their op (runtime/ops/pool.c). */
#include "error.h"
#include "formula.h"
#include "ops.h"

/* MaxPool2DWithIndicesBackward0, AvgPool2DBackward0 (and the 3D nodes),
 * AdaptiveMaxPool2DBackward0, AdaptiveAvgPool2DBackward0: the pooling
 * backward kernels (op_pool_backward), recording nothing. */
FORMULA(pool2d_backward) {
    BEGIN;
    const PoolParams *p = node->ctx;
    if (!p) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        scratch_free(s);
        return false;
    }
    SAVED(x, 0);
    Tensor *idx = NULL;
    if (p->kind == NN_POOL_MAX || p->kind == NN_POOL_AMAX || p->kind == NN_POOL_FRAC) {
        idx = ag_saved(node, 1);
        if (!idx) ok = false;
    }
    if (ok) SET(0, keep(s, op_pool_backward(p, grad, x, idx)));
    END;
}
