/* ops_copy.c: Tensor.copy_(src): src's values (broadcast, converted, from
 * any device) written into self, with PyTorch's autograd: self's history is
 * replaced by CopyBackwards (self gets a zero gradient, src the gradient
 * summed to its shape, in its dtype, on its device), and a write through a
 * view puts CopySlices on the base. */
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "ops.h"
#include "op_errors.h"

bool op_check_inplace_shape(const Tensor *self, int nd, const int64_t *shape) {
    if (nd == self->ndim && !memcmp(shape, self->shape, sizeof(int64_t) * (size_t)nd)) return true;
    char a[256], b[256];
    op_shape_text(a, sizeof a, self->ndim, self->shape);
    op_shape_text(b, sizeof b, nd, shape);
    tsr_raise(ERR_RuntimeError, "output with shape %s doesn't match the broadcast shape %s", a, b);
    return false;
}

/* TensorIterator's checks: src must broadcast to dst's shape. */
static bool check_shapes(Tensor *dst, Tensor *src) {
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(dst->ndim, dst->shape, src->ndim, src->shape, shape);
    return nd >= 0 && op_check_inplace_shape(dst, nd, shape);
}

Tensor *op_copy_(Tensor *dst, Tensor *src) {
    if (!check_shapes(dst, src)) return NULL;
    Tensor *ins[2] = {dst, src};
    bool grad = ag_any_requires_grad(ins, 2) && dtype_is_float(dst->dtype);
    if (grad && !ag_check_inplace(dst, true)) return NULL;
    if (dst->storage == src->storage && dst->offset == src->offset && dst->dtype == src->dtype &&
        dst->ndim == src->ndim && !memcmp(dst->shape, src->shape, sizeof(int64_t) * dst->ndim) &&
        !memcmp(dst->stride, src->stride, sizeof(int64_t) * dst->ndim))
        return tensor_retain(dst); /* x.copy_(x) */
    if (!grad) {
        if (!tensor_copy_(dst, src)) return NULL;
        dst->storage->version++;
        return tensor_retain(dst);
    }
    /* the out-of-place result: src's values in dst's shape, dtype, device */
    Tensor *r = tensor_empty(dst->dtype, dst->ndim, dst->shape, dst->storage->device);
    if (!r) return NULL;
    Tensor *standin = op_inplace_standin(dst, true);
    if (!standin || !tensor_copy_(r, src)) {
        tensor_release(standin);
        tensor_release(r);
        return NULL;
    }
    Tensor *gins[2] = {standin, src};
    bool ok = ag_record(r, "CopyBackwards", gins, 2) != NULL;
    tensor_release(standin);
    if (!ok) {
        tensor_release(r);
        return NULL;
    }
    return op_inplace_commit(dst, r);
}
