/* threshold.c: torch.threshold / threshold_ (F.threshold): x <= threshold
 * gives value, else x, with threshold and value converted to x's dtype
 * first (Scalar.to<scalar_t>(): truncated for integer dtypes) as ATen's
 * threshold_kernel does. One node: ThresholdBackward0 (out of place, saves
 * self) or ThresholdBackward1 (in place, saves self before the write);
 * both give threshold_backward(grad, self, threshold), recorded as
 * ThresholdBackwardBackward0 under create_graph. */
#include "autograd.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

/* where(x <= th, value, x) in x's dtype, recording nothing */
static Tensor *threshold_values(Tensor *x, double threshold, double value) {
    Tensor *th = tensor_scalar_f64(x->dtype, threshold);
    Tensor *val = th ? tensor_scalar_f64(x->dtype, value) : NULL;
    Tensor *mask = val ? op_binary(BIN_LE, x, th) : NULL;
    Tensor *out = mask ? op_where(mask, val, x) : NULL;
    tensor_release(th);
    tensor_release(val);
    tensor_release(mask);
    return out;
}

Tensor *op_threshold(Tensor *x, double threshold, double value) {
    if (!op_kernel_supports("threshold_cpu", x->dtype, false, false)) return NULL;
    Tensor *out = NULL;
    NO_GRAD(out = threshold_values(x, threshold, value));
    return ag_record_steal(out, NODE_ThresholdBackward0, &x, 1, &x, 1, &threshold, sizeof threshold);
}

Tensor *op_threshold_(Tensor *x, double threshold, double value) {
    bool rg = ag_requires_grad(x);
    if (!ag_check_inplace(x, rg)) return NULL;
    if (!op_kernel_supports("threshold_cpu", x->dtype, false, false)) return NULL;
    bool grad = ag_any_requires_grad(&x, 1);
    Tensor *s = op_inplace_standin(x, grad);
    if (!s) return NULL;
    Tensor *r = NULL;
    NO_GRAD(r = threshold_values(s, threshold, value));
    if (r && grad) r = ag_record_steal(r, NODE_ThresholdBackward1, &s, 1, &s, 1, &threshold, sizeof threshold);
    tensor_release(s);
    return r ? op_inplace_commit(x, r) : NULL;
}

/* threshold_backward(grad, self, threshold): grad where self > threshold,
 * else 0; one ThresholdBackwardBackward0 node (saving self, the threshold
 * as its ctx) when grad or self requires grad. */
Tensor *op_threshold_backward(Tensor *grad, Tensor *x, double threshold) {
    Tensor *ins[2] = {grad, x};
    Tensor *out = NULL;
    NO_GRAD({
        Tensor *th = tensor_scalar_f64(x->dtype, threshold);
        Tensor *zero = th ? tensor_scalar_f64(grad->dtype, 0.0) : NULL;
        Tensor *mask = zero ? op_binary(BIN_LE, x, th) : NULL;
        out = mask ? op_where(mask, zero, grad) : NULL;
        tensor_release(th);
        tensor_release(zero);
        tensor_release(mask);
    });
    return ag_record_steal(out, NODE_ThresholdBackwardBackward0, ins, 2, &x, 1, &threshold, sizeof threshold);
}
