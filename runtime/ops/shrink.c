/* shrink.c: torch.hardshrink (F.hardshrink, Tensor.hardshrink) and
 * F.softshrink, with lambd converted to x's dtype first as ATen's kernels
 * do. hardshrink: 0 where -lambd <= x <= lambd, else x; softshrink: x -
 * lambd where x > lambd, x + lambd where x < -lambd, else 0 (NaN too). One
 * node each, HardshrinkBackward0 / SoftshrinkBackward0 (saves self, lambd
 * as its ctx): shrink_backward(grad, self, lambd), ATen's one formula for
 * both, which records Hardshrink/SoftshrinkBackwardBackward0 under
 * create_graph. */
#include "autograd.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

/* where(-lambd <= x <= lambd, zero, other), recording nothing */
static Tensor *shrink_where(Tensor *x, double lambd, Tensor *other) {
    Tensor *lo = tensor_scalar_f64(x->dtype, -lambd);
    Tensor *hi = lo ? tensor_scalar_f64(x->dtype, lambd) : NULL;
    Tensor *zero = hi ? tensor_scalar_f64(other->dtype, 0.0) : NULL;
    Tensor *ge = zero ? op_binary(BIN_GE, x, lo) : NULL;
    Tensor *le = ge ? op_binary(BIN_LE, x, hi) : NULL;
    Tensor *in = le ? op_binary(BIN_LOGICAL_AND, ge, le) : NULL;
    Tensor *out = in ? op_where(in, zero, other) : NULL;
    tensor_release(lo);
    tensor_release(hi);
    tensor_release(zero);
    tensor_release(ge);
    tensor_release(le);
    tensor_release(in);
    return out;
}

/* where(x > lambd, x - lambd, where(x < -lambd, x + lambd, 0)), in x's
 * dtype, recording nothing */
static Tensor *softshrink_values(Tensor *x, double lambd) {
    Tensor *lo = tensor_scalar_f64(x->dtype, -lambd);
    Tensor *hi = lo ? tensor_scalar_f64(x->dtype, lambd) : NULL;
    Tensor *zero = hi ? tensor_scalar_f64(x->dtype, 0.0) : NULL;
    Tensor *gt = zero ? op_binary(BIN_GT, x, hi) : NULL;
    Tensor *lt = gt ? op_binary(BIN_LT, x, lo) : NULL;
    Tensor *down = lt ? op_binary(BIN_SUB, x, hi) : NULL;
    Tensor *up = down ? op_binary(BIN_SUB, x, lo) : NULL;
    Tensor *inner = up ? op_where(lt, up, zero) : NULL;
    Tensor *out = inner ? op_where(gt, down, inner) : NULL;
    Tensor *all[] = {lo, hi, zero, gt, lt, down, up, inner};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) tensor_release(all[i]);
    return out;
}

static bool shrink_dtype_ok(Tensor *x, const char *kernel) {
    if (dtype_is_float(x->dtype)) return op_kernel_supports(kernel, x->dtype, false, false);
    op_raise_not_implemented(kernel, x->dtype);
    return false;
}

Tensor *op_hardshrink(Tensor *x, double lambd) {
    if (!shrink_dtype_ok(x, "hardshrink_cpu")) return NULL;
    Tensor *out = NULL;
    NO_GRAD(out = shrink_where(x, lambd, x));
    return ag_record_steal(out, NODE_HardshrinkBackward0, &x, 1, &x, 1, &lambd, sizeof lambd);
}

Tensor *op_softshrink(Tensor *x, double lambd) {
    if (lambd < 0) {
        tsr_raise(ERR_RuntimeError, "lambda must be greater or equal to 0, but found to be %g.", lambd);
        return NULL;
    }
    if (!shrink_dtype_ok(x, "softshrink_cpu") || !op_reduced_float_ok(RF_SOFTSHRINK, x)) return NULL;
    Tensor *out = NULL;
    NO_GRAD(out = softshrink_values(x, lambd));
    return ag_record_steal(out, NODE_SoftshrinkBackward0, &x, 1, &x, 1, &lambd, sizeof lambd);
}

Tensor *op_shrink_backward(Tensor *grad, Tensor *x, double lambd, bool soft) {
    Tensor *ins[2] = {grad, x};
    Tensor *out = NULL;
    NO_GRAD(out = shrink_where(x, lambd, grad));
    return ag_record_steal(out, soft ? NODE_SoftshrinkBackwardBackward0 : NODE_HardshrinkBackwardBackward0, ins, 2,
                           &x, 1, &lambd, sizeof lambd);
}
