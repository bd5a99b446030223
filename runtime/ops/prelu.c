/* prelu.c: torch.prelu (F.prelu, Tensor.prelu), 1.13's prelu_cpu: x where
 * x > 0, else weight * x, one weight shared or one per channel (dim 1).
 * Node PreluBackward0 (saves self, weight): prelu_backward, whose two
 * results record one PreluBackwardBackward0 (prelu_double_backward) under
 * create_graph. */
#include "autograd.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

/* weight viewed to broadcast against x: its values along dim 1 when x has
 * two dims or more, else a single value in x's rank */
static Tensor *weight_view(Tensor *x, Tensor *w) {
    int64_t shape[TSR_MAX_DIMS];
    for (int i = 0; i < x->ndim; i++) shape[i] = 1;
    if (x->ndim >= 2) shape[1] = tensor_numel(w);
    return op_view(w, x->ndim, shape);
}

static bool prelu_check(Tensor *x, Tensor *w) {
    int64_t n = tensor_numel(w);
    if (n != 1) {
        if (x->ndim == 0) {
            tsr_raise(ERR_RuntimeError, "%s", "Not allow zero-dim input tensor.");
            return false;
        }
        int64_t channels = x->ndim > 1 ? x->shape[1] : 1;
        if (channels != n) {
            tsr_raise(ERR_RuntimeError,
                      "Mismatch of parameter numbers and input channel size. Found parameter numbers = %lld and "
                      "channel size = %lld.",
                      (long long)n, (long long)channels);
            return false;
        }
    }
    if (w->ndim > 1) {
        tsr_raise(ERR_RuntimeError, "prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = %d", w->ndim);
        return false;
    }
    if (w->dtype != x->dtype) {
        tsr_raise(ERR_RuntimeError, "Found dtype %s but expected %s", dtype_scalar_name(w->dtype),
                  dtype_scalar_name(x->dtype));
        return false;
    }
    if (!dtype_is_float(x->dtype)) {
        op_raise_not_implemented("prelu_cpu", x->dtype);
        return false;
    }
    return op_kernel_supports("prelu_cpu", x->dtype, false, false);
}

static Tensor *prelu_values(Tensor *x, Tensor *w) {
    Tensor *wv = weight_view(x, w);
    Tensor *zero = wv ? tensor_scalar_f64(x->dtype, 0.0) : NULL;
    Tensor *pos = zero ? op_binary(BIN_GT, x, zero) : NULL;
    Tensor *wx = pos ? op_binary(BIN_MUL, wv, x) : NULL;
    Tensor *out = wx ? op_where(pos, x, wx) : NULL;
    tensor_release(wv);
    tensor_release(zero);
    tensor_release(pos);
    tensor_release(wx);
    return out;
}

Tensor *op_prelu(Tensor *x, Tensor *w) {
    if (!prelu_check(x, w)) return NULL;
    Tensor *out = NULL;
    NO_GRAD(out = prelu_values(x, w));
    Tensor *ins[2] = {x, w};
    return ag_record_steal(out, NODE_PreluBackward0, ins, 2, ins, 2, NULL, 0);
}

/* prelu_backward's values: gx = grad where x > 0 else weight * grad; gw =
 * the sum of (0 where x > 0 else x * grad) over every dim but the
 * channel's (all of them for a shared weight), in weight's shape */
static bool prelu_backward_values(Tensor *grad, Tensor *x, Tensor *w, Tensor **gx, Tensor **gw) {
    Tensor *wv = weight_view(x, w);
    Tensor *zero = wv ? tensor_scalar_f64(x->dtype, 0.0) : NULL;
    Tensor *pos = zero ? op_binary(BIN_GT, x, zero) : NULL;
    Tensor *wg = pos ? op_binary(BIN_MUL, wv, grad) : NULL;
    Tensor *xg = wg ? op_binary(BIN_MUL, x, grad) : NULL;
    Tensor *coll = xg ? op_where(pos, zero, xg) : NULL;
    *gx = coll ? op_where(pos, grad, wg) : NULL;
    Tensor *sum = NULL;
    if (*gx) {
        if (tensor_numel(w) == 1) {
            sum = op_sum(coll, 0, NULL, false, DT_UNDEFINED);
        } else {
            int64_t dims[TSR_MAX_DIMS];
            int nd = 0;
            for (int i = 0; i < x->ndim; i++)
                if (i != 1) dims[nd++] = i;
            sum = op_sum(coll, nd, dims, false, DT_UNDEFINED);
        }
    }
    *gw = sum ? op_reshape(sum, w->ndim, w->shape) : NULL;
    tensor_release(wv);
    tensor_release(zero);
    tensor_release(pos);
    tensor_release(wg);
    tensor_release(xg);
    tensor_release(coll);
    tensor_release(sum);
    if (*gw) return true;
    tensor_release(*gx);
    *gx = NULL;
    return false;
}

bool op_prelu_backward(Tensor *grad, Tensor *x, Tensor *w, Tensor **gx, Tensor **gw) {
    bool ok = false;
    NO_GRAD(ok = prelu_backward_values(grad, x, w, gx, gw));
    if (!ok) return false;
    Tensor *ins[3] = {grad, x, w};
    if (ag_any_requires_grad(ins, 3)) {
        Tensor *outs[2] = {*gx, *gw};
        GradNode *node = ag_record_multi(outs, 2, NODE_PreluBackwardBackward0, ins, 3);
        if (!node || !ag_save(node, grad) || !ag_save(node, x) || !ag_save(node, w)) {
            tensor_release(*gx);
            tensor_release(*gw);
            *gx = *gw = NULL;
            return false;
        }
    }
    return true;
}
