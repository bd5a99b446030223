/* convert.c: the formula of the copy nodes. CopyBackwards is dst.copy_(src)
 * and the copy backward(create_graph=True) makes of a leaf's first
 * gradient; _to_copy and clone (ToCopyBackward0, CloneBackward0) pass the
 * gradient through (identity_backward, elementwise.c). */
#include "formula.h"

/* x.grad under create_graph is a copy of the incoming gradient recorded as
 * PyTorch's CopyBackwards (next edges: the fresh copy, then the source). */
bool copy_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (go[0] && node->n_next > 1 && node->next[1].node) gi[1] = tensor_retain(go[0]);
    return true;
}
