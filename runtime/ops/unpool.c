/* unpool.c: max_unpool2d / max_unpool3d (ATen's MaxUnpooling.cpp with
 * its checks; F.max_unpool1d is the 2-d op on unsqueezed tensors). Each
 * (N, C) plane of the output (zeros) receives input[i] at indices[i], in
 * order (a later duplicate wins), after every index has been checked
 * (the last invalid one is named, as ATen's loop keeps the last). The
 * values are a scatter over planes flattened to rows; MaxUnpool2DBackward0
 * / MaxUnpool3DBackward0 (saved {indices}) gather the gradient back. */
#include <inttypes.h>
#include <stdio.h>

#include "autograd.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

static bool unpool_check(Tensor *x, Tensor *idx, int nd, const int64_t *stride) {
    char s1[256], s2[256];
    if (idx->dtype != DT_INT64) {
        if (nd == 2)
            tsr_raise(ERR_RuntimeError, "elements in indices should be type int64 but got: %s",
                      dtype_scalar_name(idx->dtype));
        else
            tsr_raise(ERR_RuntimeError, "%s", "elements in indices should be type int64");
        return false;
    }
    if (x->ndim != nd + 1 && x->ndim != nd + 2) {
        tsr_raise(ERR_RuntimeError, "Input to max_unpooling%dd should be a %dd or %dd Tensor, but got a tensor with %d "
                  "dimensions.", nd, nd + 1, nd + 2, x->ndim);
        return false;
    }
    bool same = x->ndim == idx->ndim;
    for (int i = 0; same && i < x->ndim; i++) same = x->shape[i] == idx->shape[i];
    if (!same) {
        op_shape_text(s1, sizeof s1, x->ndim, x->shape);
        op_shape_text(s2, sizeof s2, idx->ndim, idx->shape);
        tsr_raise(ERR_RuntimeError, "Expected shape of indices to be same as that of the input tensor (%s) but got "
                  "indices tensor with shape: %s", s1, s2);
        return false;
    }
    for (int i = 1; i < x->ndim; i++)
        if (x->shape[i] <= 0) {
            op_shape_text(s1, sizeof s1, x->ndim, x->shape);
            tsr_raise(ERR_RuntimeError, "max_unpooling%dd_forward_out_cpu(): Expected input to have non-zero size for "
                      "non-batch dimensions, but got %s with dimension %d being empty.", nd, s1, i);
            return false;
        }
    if (stride && (stride[0] <= 0 || stride[1] <= 0 || stride[2] <= 0)) {
        op_shape_text(s1, sizeof s1, 3, stride);
        tsr_raise(ERR_RuntimeError, "strides should be greater than zero, but got stride: %s", s1);
        return false;
    }
    if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64) {
        op_raise_not_implemented(nd == 2 ? "max_unpool2d" : "max_unpool3d", x->dtype);
        return false;
    }
    return true;
}

/* the last index outside [0, plane) of a host int64 tensor, into *bad */
static bool unpool_bad_index(Tensor *idx, int64_t plane, int64_t *bad) {
    Tensor *h = op_host_contiguous(idx);
    if (!h) return false;
    const int64_t *p = (const int64_t *)tensor_data(h);
    bool found = false;
    for (int64_t i = 0; i < tensor_numel(h); i++)
        if (p[i] < 0 || p[i] >= plane) {
            *bad = p[i];
            found = true;
        }
    tensor_release(h);
    if (!found) *bad = 0;
    return found;
}

Tensor *op_max_unpool(Tensor *x, Tensor *idx, int nd, const int64_t *osize, const int64_t *stride) {
    if (!unpool_check(x, idx, nd, nd == 3 ? stride : NULL)) return NULL;
    int batch = x->ndim == nd + 2;
    int64_t rows = 1, k = 1, plane = 1, shape[5];
    for (int i = 0; i < x->ndim - nd; i++) rows *= (shape[i] = x->shape[i]);
    for (int i = 0; i < nd; i++) {
        k *= x->shape[x->ndim - nd + i];
        plane *= (shape[batch + 1 + i] = osize[i]);
    }
    Tensor *out = tensor_zeros(x->dtype, x->ndim, shape, x->storage->device);
    if (!out) return NULL;
    if (tensor_numel(out) > 0 && tensor_numel(x) > 0) {
        int64_t bad;
        if (unpool_bad_index(idx, plane, &bad) || tsr_err_occurred()) {
            if (!tsr_err_occurred()) {
                if (nd == 2)
                    tsr_raise(ERR_RuntimeError, "Found an invalid max index: %" PRId64
                              " (output volumes are of size %" PRId64 "x%" PRId64, bad, osize[0], osize[1]);
                else
                    tsr_raise(ERR_RuntimeError, "Found an invalid max index: %" PRId64
                              " (output volumes are of size %" PRId64 "x%" PRId64 "x%" PRId64, bad, osize[0],
                              osize[1], osize[2]);
            }
            tensor_release(out);
            return NULL;
        }
        int64_t in2[2] = {rows, k}, out2[2] = {rows, plane};
        Tensor *r = NULL;
        NO_GRAD({
            Tensor *o2 = op_view(out, 2, out2);
            Tensor *i2 = o2 ? op_reshape(idx, 2, in2) : NULL;
            Tensor *x2 = i2 ? op_reshape(x, 2, in2) : NULL;
            r = x2 ? op_scatter(o2, 1, i2, x2, 0, false, true) : NULL;
            tensor_release(o2);
            tensor_release(i2);
            tensor_release(x2);
        });
        if (!r) {
            tensor_release(out);
            return NULL;
        }
        tensor_release(r);
    }
    int64_t nd64 = nd;
    return ag_record_steal(out, nd == 2 ? NODE_MaxUnpool2DBackward0 : NODE_MaxUnpool3DBackward0, &x, 1, &idx, 1,
                           &nd64, sizeof nd64);
}

/* max_pool_double_backward(grad, indices, nd): each input position reads
 * the gradient at its index in its plane */
Tensor *op_max_unpool_backward(Tensor *grad, Tensor *idx, int nd) {
    int64_t rows = 1, k = 1, plane = 1;
    for (int i = 0; i < idx->ndim - nd; i++) rows *= idx->shape[i];
    for (int i = 0; i < nd; i++) {
        k *= idx->shape[idx->ndim - nd + i];
        plane *= grad->shape[grad->ndim - nd + i];
    }
    int64_t g2[2] = {rows, plane}, i2s[2] = {rows, k};
    Tensor *gv = op_reshape(grad, 2, g2);
    Tensor *iv = gv ? op_reshape(idx, 2, i2s) : NULL;
    Tensor *r = iv ? op_gather(gv, 1, iv) : NULL;
    Tensor *out = r ? op_reshape(r, idx->ndim, idx->shape) : NULL;
    tensor_release(gv);
    tensor_release(iv);
    tensor_release(r);
    return out;
}
