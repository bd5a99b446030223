/* glu.c: F.glu(x, dim): a * sigmoid(b) of x's halves a, b along dim, as
 * ATen's glu kernel computes it (the sigmoid rounded, then the product).
 * One node, GluBackward0 (saves self, the wrapped dim as its ctx), whose
 * glu_backward gives a: sigmoid(b) * grad, b: (1 - sigmoid(b)) *
 * sigmoid(b) * a * grad, in that order (glu_backward_cpu_out), joined
 * along dim. bfloat16: the forward in float, rounded once; the backward's
 * sigmoid rounded to bfloat16 (its output is), b's product in float. */
#include "autograd.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

/* the halves of x along d (new references), or false with the error */
static bool glu_halves(Tensor *x, int64_t dim, int *d, Tensor **a, Tensor **b) {
    *a = *b = NULL;
    if (x->ndim == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "glu does not support scalars because halving size must be even");
        return false;
    }
    if ((*d = wrap_dim(dim, x->ndim)) < 0) return false;
    int64_t n = x->shape[*d];
    if (n % 2 != 0) {
        tsr_raise(ERR_RuntimeError, "Halving dimension must be even, but dimension %d is size %lld", *d, (long long)n);
        return false;
    }
    *a = op_narrow(x, *d, 0, n / 2);
    if (*a) *b = op_narrow(x, *d, n / 2, n / 2);
    if (!*b) {
        tensor_release(*a);
        *a = NULL;
        return false;
    }
    return true;
}

/* a * sigmoid(b), recording nothing */
static Tensor *glu_values(Tensor *x, int64_t dim, int *d) {
    Tensor *a, *b;
    if (!glu_halves(x, dim, d, &a, &b)) return NULL;
    Tensor *sig = NULL, *out = NULL;
    if (!dtype_is_float(x->dtype)) op_raise_not_implemented("glu_cpu", x->dtype);
    else if (op_reduced_float_ok(RF_GLU, x)) {
        bool bf = x->dtype == DT_BFLOAT16;
        Tensor *fa = bf ? op_to_dtype(a, DT_FLOAT32) : tensor_retain(a);
        Tensor *fb = fa ? (bf ? op_to_dtype(b, DT_FLOAT32) : tensor_retain(b)) : NULL;
        if (fb) sig = op_unary(UN_SIGMOID, fb);
        if (sig) out = op_binary(BIN_MUL, fa, sig);
        if (out && bf) {
            Tensor *r = op_to_dtype(out, DT_BFLOAT16);
            tensor_release(out);
            out = r;
        }
        tensor_release(fa);
        tensor_release(fb);
    }
    tensor_release(a);
    tensor_release(b);
    tensor_release(sig);
    return out;
}

Tensor *op_glu(Tensor *x, int64_t dim) {
    int d = 0;
    Tensor *out = NULL;
    NO_GRAD(out = glu_values(x, dim, &d));
    int64_t dd = d;
    return ag_record_steal(out, NODE_GluBackward0, &x, 1, &x, 1, &dd, sizeof dd);
}

Tensor *op_glu_backward(Tensor *grad, Tensor *x, int64_t dim) {
    int d;
    Tensor *a, *b;
    if (!glu_halves(x, dim, &d, &a, &b)) return NULL;
    bool bf = x->dtype == DT_BFLOAT16 && grad->dtype == DT_BFLOAT16;
    DType ct = bf ? DT_FLOAT32 : x->dtype;
    Tensor *sig = op_unary(UN_SIGMOID, b);
    Tensor *fs = sig ? (bf ? op_to_dtype(sig, ct) : tensor_retain(sig)) : NULL;
    Tensor *fa = fs ? (bf ? op_to_dtype(a, ct) : tensor_retain(a)) : NULL;
    Tensor *fg = fa ? (bf ? op_to_dtype(grad, ct) : tensor_retain(grad)) : NULL;
    Tensor *one = fg ? tensor_scalar_f64(ct, 1.0) : NULL;
    Tensor *t1 = one ? op_binary(BIN_SUB, one, fs) : NULL;
    Tensor *t2 = t1 ? op_binary(BIN_MUL, t1, fs) : NULL;
    Tensor *t3 = t2 ? op_binary(BIN_MUL, t2, fa) : NULL;
    Tensor *gb = t3 ? op_binary(BIN_MUL, t3, fg) : NULL;
    if (gb && bf) {
        Tensor *r = op_to_dtype(gb, DT_BFLOAT16);
        tensor_release(gb);
        gb = r;
    }
    Tensor *ga = gb ? op_binary(BIN_MUL, sig, grad) : NULL;
    Tensor *parts[2] = {ga, gb};
    Tensor *out = ga ? op_cat(parts, 2, d) : NULL;
    Tensor *all[] = {a, b, sig, fs, fa, fg, one, t1, t2, t3, gb, ga};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) tensor_release(all[i]);
    return out;
}
