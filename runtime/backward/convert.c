/* convert.c: the formula of the copy nodes. CopyBackwards is dst.copy_(src)
 * and the copy backward(create_graph=True) makes of a leaf's first
 * gradient; _to_copy and clone (ToCopyBackward0, CloneBackward0) pass the
 * gradient through (identity_backward, elementwise.c). */
#include "formula.h"

/* PyTorch's CopyBackwards: zeros for dst's old history (its values were
 * overwritten), the gradient for src. Also what x.grad under create_graph
 * records (next edges: the fresh copy, which needs nothing, then the
 * source). */
bool copy_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    Tensor *g = go[0];
    if (!g) return true;
    if (need(node, 0)) {
        gi[0] = tensor_zeros(g->dtype, g->ndim, g->shape, g->storage->device);
        if (!gi[0]) return false;
    }
    if (need(node, 1)) gi[1] = tensor_retain(g);
    return true;
}
