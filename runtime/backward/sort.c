/* sort.c: backward formulas for the sort family: sort, and the value
 * selections topk, kthvalue, median and mode (PyTorch 1.13's
 * tools/autograd/derivatives.yaml and FunctionsManual.cpp). Their
 * gradients go back through the saved indices; with create_graph they
 * record PyTorch's backward graph (topk's gradient is a ScatterBackward0,
 * ...). */

#include <math.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* sort: grad scattered back through the permutation, as a gather
 * grad.flatten()[P] where P[source position] = sorted position. */
bool sort_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *ix = saved(node, 0, "the indices");
    if (!ix) return false;
    if (c->ndim == 0) return set_grad(node, 0, gi, go[0]);
    Scratch s = {0};
    bool ok = false;
    int d = (int)c->args[0];
    Tensor *ixc = keep(&s, tensor_contiguous(ix));
    Tensor *P = keep(&s, tensor_empty(DT_INT64, c->ndim, c->sizes, device_cpu()));
    if (!ixc || !P) goto done;
    int64_t total = tensor_numel(P), n = c->sizes[d], stride = P->stride[d];
    const int64_t *src = (const int64_t *)tensor_data(ixc);
    int64_t *p = (int64_t *)tensor_data(P);
    for (int64_t k = 0; k < total; k++) {
        int64_t i = (k / stride) % n, j = src[k];
        if (j < 0 || j >= n) {
            tsr_raise(ERR_RuntimeError, "%s", "sort backward: index out of range");
            goto done;
        }
        p[k + (j - i) * stride] = k;
    }
    TensorIndex ti = {.kind = IDX_TENSOR, .tensor = P};
    Tensor *flat = Sflat(&s, go[0]);
    ok = flat && set_grad(node, 0, gi, keep(&s, op_index(flat, &ti, 1)));
done:
    scratch_free(&s);
    return ok;
}

/* value_selecting_reduction_backward: zeros(sizes).scatter(dim, indices,
 * grad), after unsqueezing dim when not keepdim (topk keeps it). */
FORMULA(value_selecting_backward) {
    BEGIN;
    CTX(c);
    SAVED(ix, 0);
    if (c->ndim == 0) {
        SET(0, grad);
        END;
    }
    int64_t d = c->args[0];
    bool keepdim = c->args[1] != 0;
    Tensor *g = grad;
    if (!keepdim) {
        g = Sunsqueeze(s, g, d);
        ix = Sunsqueeze(s, ix, d);
    }
    Tensor *z = Szeros(s, grad->dtype, c->ndim, c->sizes, node->next[0].device);
    SET(0, z && g && ix ? keep(s, op_scatter(z, d, ix, g, 0.0, false, false)) : NULL);
    END;
}

/* median() of all elements: evenly_distribute_backward: grad / count at
 * the elements equal to the result (the NaNs when it is NaN). */
FORMULA(median_all_backward) {
    BEGIN;
    SAVED(x, 0);
    SAVED(r, 1);
    Tensor *mask = NULL;
    NO_GRAD(mask = isnan(tensor_get_f64(r, 0)) ? S1(s, UN_ISNAN, x) : S2(s, BIN_EQ, x, r));
    Tensor *count = Ssum(s, mask, 0, NULL, false);
    Tensor *z = Szeros(s, grad->dtype, x->ndim, x->shape, x->storage->device);
    Tensor *v = S2(s, BIN_DIV, grad, count);
    SET(0, z && mask && v ? keep(s, op_masked_fill(z, mask, v)) : NULL);
    END;
}
