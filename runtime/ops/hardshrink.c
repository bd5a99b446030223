/* hardshrink.c: torch.hardshrink (F.hardshrink, Tensor.hardshrink): 0 where
 * -lambd <= x <= lambd, else x, with lambd converted to x's dtype first as
 * ATen's hardshrink_kernel does. One node, HardshrinkBackward0 (saves self,
 * lambd as its ctx): hardshrink_backward(grad, self, lambd), which records
 * HardshrinkBackwardBackward0 under create_graph. */
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

static bool hardshrink_dtype_ok(Tensor *x) {
    if (dtype_is_float(x->dtype)) return op_kernel_supports("hardshrink_cpu", x->dtype, false, false);
    op_raise_not_implemented("hardshrink_cpu", x->dtype);
    return false;
}

Tensor *op_hardshrink(Tensor *x, double lambd) {
    if (!hardshrink_dtype_ok(x)) return NULL;
    Tensor *out = NULL;
    NO_GRAD(out = shrink_where(x, lambd, x));
    return ag_record_steal(out, NODE_HardshrinkBackward0, &x, 1, &x, 1, &lambd, sizeof lambd);
}

Tensor *op_hardshrink_backward(Tensor *grad, Tensor *x, double lambd) {
    Tensor *ins[2] = {grad, x};
    Tensor *out = NULL;
    NO_GRAD(out = shrink_where(x, lambd, grad));
    return ag_record_steal(out, NODE_HardshrinkBackwardBackward0, ins, 2, &x, 1, &lambd, sizeof lambd);
}
