/* ops_inplace_view.c: squeeze_, unsqueeze_, t_, transpose_. The tensor
 * itself takes the geometry of the view the out-of-place op makes, and the
 * node that op recorded (with the old geometry in its ctx, exactly what the
 * backward needs) takes PyTorch's in-place name. */
#include <string.h>

#include "error.h"
#include "ops.h"

/* Rebinds a to the view v (stolen) and renames v's node. */
static Tensor *become_view(Tensor *a, Tensor *v, const char *inplace_name) {
    if (!v) return NULL;
    a->ndim = v->ndim;
    if (v->ndim) {
        memcpy(a->shape, v->shape, sizeof(int64_t) * (size_t)v->ndim);
        memcpy(a->stride, v->stride, sizeof(int64_t) * (size_t)v->ndim);
    }
    a->offset = v->offset;
    if (v->grad_fn) { /* its edge leads to a's previous history: no cycle */
        GradNode *node = v->grad_fn;
        node->name = inplace_name;
        ag_node_release(a->grad_fn);
        a->grad_fn = node;
        a->output_nr = v->output_nr;
        a->requires_grad = true;
        v->grad_fn = NULL;
    }
    tensor_release(v);
    a->storage->version++;
    a->view_version = a->storage->version; /* its own node is current */
    return tensor_retain(a);
}

Tensor *op_squeeze_(Tensor *a, int ndims, const int64_t *dims) {
    if (!op_inplace_allowed(a)) return NULL;
    return become_view(a, op_squeeze(a, ndims, dims), ndims == 0 ? "SqueezeBackward2" : "SqueezeBackward3");
}

Tensor *op_unsqueeze_(Tensor *a, int64_t dim) {
    if (!op_inplace_allowed(a)) return NULL;
    return become_view(a, op_unsqueeze(a, dim), "UnsqueezeBackward1");
}

Tensor *op_t_(Tensor *a) {
    if (!op_inplace_allowed(a)) return NULL;
    return become_view(a, op_t(a), "TBackward1");
}

Tensor *op_transpose_(Tensor *a, int64_t d0, int64_t d1) {
    if (!op_inplace_allowed(a)) return NULL;
    return become_view(a, op_transpose(a, d0, d1), "TransposeBackward1");
}
