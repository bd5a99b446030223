/* ops_convert.c: .to(dtype), clone, contiguous, detach. Copies run the
 * cast kernel over a strided iterator. */
#include <string.h>

#include "device.h"
#include "error.h"
#include "iter.h"
#include "layout.h"
#include "kernels.h"
#include "ops.h"
#include "operands.h"

/* a's values written into out (new, a's shape; stolen), converted to
 * out's dtype; no autograd. */
static Tensor *copy_into(Tensor *a, Tensor *out) {
    if (!out) return NULL;
    if (tensor_is_cuda(a)) { /* tensor_copy_ runs the GPU kernels */
        if (!tensor_copy_(out, a)) {
            tensor_release(out);
            return NULL;
        }
        return out;
    }
    DType dtype = out->dtype;
    int64_t strides[2][ITER_MAX_DIMS];
    int64_t es_out = (int64_t)dtype_size(dtype), es_in = (int64_t)dtype_size(a->dtype);
    for (int d = 0; d < a->ndim; d++) {
        strides[0][d] = out->stride[d] * es_out;
        strides[1][d] = a->shape[d] == 1 ? 0 : a->stride[d] * es_in;
    }
    char *data[2] = {tensor_data(out), tensor_data(a)};
    TsrIter it;
    iter_init(&it, 2, a->ndim, a->shape, data, strides);
    kernel_cast(dtype, a->dtype, &it);
    return out;
}

/* A copy of a as dtype, laid out as a (memory_format=preserve). */
static Tensor *copy_as(Tensor *a, DType dtype) {
    return copy_into(a, layout_empty_like(a, dtype, a->storage->device));
}

/* a as dtype on dev: converted on a's own device, then moved in one copy. */
static Tensor *copy_to(Tensor *a, DType dtype, Device dev) {
    Tensor *c = copy_as(a, dtype);
    if (!c || device_equal(c->storage->device, dev)) return c;
    Tensor *out = layout_empty_like(c, dtype, dev);
    if (out && !tensor_copy_(out, c)) {
        tensor_release(out);
        out = NULL;
    }
    tensor_release(c);
    return out;
}

Tensor *op_to_dtype(Tensor *a, DType dtype) {
    if (dtype == DT_UNDEFINED || a->dtype == dtype) return tensor_retain(a);
    Tensor *out = copy_as(a, dtype); /* only a floating result carries grad */
    return dtype_is_float(dtype) ? ag_record_steal(out, "ToCopyBackward0", &a, 1, NULL, 0, NULL, 0) : out;
}

Tensor *op_to(Tensor *a, DType dtype, Device dev, bool copy) {
    if (dtype == DT_UNDEFINED) dtype = a->dtype;
    dev = device_normalize(dev);
    if (dev.type != DEV_CPU && !device_ensure(dev)) return NULL;
    if (device_equal(dev, a->storage->device)) {
        if (dtype != a->dtype) return op_to_dtype(a, dtype);
        return copy ? op_clone(a) : tensor_retain(a);
    }
    Tensor *out = copy_to(a, dtype, dev);
    return dtype_is_float(dtype) ? ag_record_steal(out, "ToCopyBackward0", &a, 1, NULL, 0, NULL, 0) : out;
}

Tensor *op_clone(Tensor *a) {
    Tensor *out = copy_into(a, layout_empty_like(a, a->dtype, a->storage->device));
    return dtype_is_float(a->dtype) ? ag_record_steal(out, "CloneBackward0", &a, 1, NULL, 0, NULL, 0) : out;
}

Tensor *op_contiguous(Tensor *a) {
    if (tensor_is_contiguous(a)) return tensor_retain(a);
    Tensor *c = copy_into(a, tensor_empty(a->dtype, a->ndim, a->shape, a->storage->device));
    return dtype_is_float(a->dtype) ? ag_record_steal(c, "CloneBackward0", &a, 1, NULL, 0, NULL, 0) : c;
}

Tensor *op_detach(Tensor *a) { return tensor_alias(a); }

/* ---- operand copies and temporaries (operands.h) ---- */

Tensor *op_host_contig(Tensor *t) {
    Tensor *r = NULL;
    if (tensor_is_cuda(t)) {
        NO_GRAD(r = op_to(t, t->dtype, device_cpu(), true));
        if (!r) return NULL;
        Tensor *c = tensor_contiguous(r);
        tensor_release(r);
        return c;
    }
    return tensor_contiguous(t);
}

Tensor *op_expanded_copy(Tensor *t, int nd, const int64_t *shape) {
    Tensor *c = tensor_empty(t->dtype, nd, shape, t->storage->device);
    if (c && !tensor_copy_(c, t)) {
        tensor_release(c);
        return NULL;
    }
    return c;
}

void op_release_all(Tensor **ts, int n) {
    for (int i = 0; i < n; i++) tensor_release(ts[i]);
}
