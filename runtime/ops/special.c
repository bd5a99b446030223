/* special.c: the special functions that are not one row of
 * elementwise_ops.h: polygamma(n, x), mvlgamma(x, p), logit(x, eps),
 * deg2rad/rad2deg and torch.special.ndtr, each recording PyTorch's node
 * (PyTorch's UnaryOps.cpp and special function composites). Their parts run
 * through op_unary/op_binary without grad and one node is recorded. Saved
 * tensors and ctx per node:
 *   PolygammaBackward0: saved {self}; ctx an OpCtx of self, args {n}.
 *   MvlgammaBackward0: saved {self}; ctx an OpCtx of self, args {p}.
 *   LogitBackward0: saved {self}; ctx an AlphaCtx {eps} (NaN: no eps).
 *   Deg2RadBackward0, Rad2DegBackward0: nothing. */
#include <math.h>

#include "error.h"
#include "ops.h"

/* self as a floating tensor: integers and bool in the default dtype */
static Tensor *to_float(Tensor *a) {
    return dtype_is_float(a->dtype) ? tensor_retain(a) : op_to_dtype(a, tsr_default_float);
}

/* a OP v, v a Python float, recording nothing */
static Tensor *scalar_nograd(BinaryOp op, Tensor *a, double v) {
    Tensor *w = tensor_wrapped_float(v), *r = NULL;
    if (w) NO_GRAD(r = op_binary(op, a, w));
    tensor_release(w);
    return r;
}

Tensor *op_polygamma(int64_t n, Tensor *x) {
    if (n < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "polygamma(n, x) does not support negative n.");
        return NULL;
    }
    Tensor *r = NULL;
    if (n == 0) {
        NO_GRAD(r = op_unary(UN_DIGAMMA, x));
    } else if (n == 1) {
        NO_GRAD(r = op_unary(UN_TRIGAMMA, x));
    } else {
        Tensor *f = to_float(x);
        r = f ? scalar_nograd(BIN_POLYGAMMA, f, (double)n) : NULL;
        tensor_release(f);
    }
    OpCtx ctx = op_ctx(x, 1, &n);
    return ag_record_steal(r, NODE_PolygammaBackward0, &x, 1, &x, 1, &ctx, sizeof ctx);
}

/* sum over j < p of lgamma (fn UN_LGAMMA) or digamma of x - j / 2, as
 * PyTorch's arange(-p / 2 + 0.5, 0.5, 0.5) + x.unsqueeze(-1) summed over
 * the last dim (x floating) */
Tensor *op_mvlgamma_terms(Tensor *x, int64_t p, UnaryOp fn) {
    Tensor *r = NULL;
    NO_GRAD({
        Tensor *args = op_arange(-(double)p / 2. + 0.5, 0.5, 0.5, x->dtype, x->storage->device);
        Tensor *u = args ? op_unsqueeze(x, -1) : NULL;
        Tensor *s = u ? op_binary(BIN_ADD, args, u) : NULL;
        Tensor *g = s ? op_unary(fn, s) : NULL;
        int64_t last = -1;
        r = g ? op_sum(g, 1, &last, false, DT_UNDEFINED) : NULL;
        tensor_release(args);
        tensor_release(u);
        tensor_release(s);
        tensor_release(g);
    });
    return r;
}

Tensor *op_mvlgamma(Tensor *x, int64_t p) {
    if (x->dtype == DT_BOOL) {
        tsr_raise(ERR_RuntimeError, "%s", "The input tensor may not be a boolean tensor.");
        return NULL;
    }
    if (p < 1) {
        tsr_raise(ERR_RuntimeError, "%s", "p has to be greater than or equal to 1");
        return NULL;
    }
    Tensor *f = to_float(x), *sum = NULL, *r = NULL;
    sum = f ? op_mvlgamma_terms(f, p, UN_LGAMMA) : NULL;
    if (sum) r = scalar_nograd(BIN_ADD, sum, (double)(p * (p - 1)) * log(3.14159265358979323846) * 0.25);
    tensor_release(f);
    tensor_release(sum);
    OpCtx ctx = op_ctx(x, 1, &p);
    return ag_record_steal(r, NODE_MvlgammaBackward0, &x, 1, &x, 1, &ctx, sizeof ctx);
}

Tensor *op_logit(Tensor *x, double eps) {
    Tensor *r = NULL, *f = to_float(x);
    if (f) r = scalar_nograd(BIN_LOGIT, f, eps);
    tensor_release(f);
    AlphaCtx c = {eps};
    return ag_record_steal(r, NODE_LogitBackward0, &x, 1, &x, 1, &c, sizeof c);
}

/* deg2rad: x * (pi / 180); rad2deg: x * (180 / pi), in the default float
 * for integers */
Tensor *op_deg2rad(Tensor *x, bool to_rad) {
    Tensor *f = to_float(x), *r = NULL;
    const double pi = 3.14159265358979323846;
    if (f) r = scalar_nograd(BIN_MUL, f, to_rad ? pi / 180.0 : 180.0 / pi);
    tensor_release(f);
    return ag_record_steal(r, to_rad ? NODE_Deg2RadBackward0 : NODE_Rad2DegBackward0, &x, 1, NULL, 0, NULL, 0);
}

/* special.ndtr: (1 + erf(x * sqrt(1/2))) * 0.5, recorded op by op as
 * PyTorch's composite does (its grad_fn is the last MulBackward1) */
Tensor *op_ndtr(Tensor *x) {
    Tensor *f = to_float(x);
    Tensor *t = f ? op_scalar_binary(BIN_MUL, f, 0.70710678118654752440, false) : NULL;
    Tensor *e = t ? op_unary(UN_ERF, t) : NULL;
    Tensor *s = e ? op_scalar_binary(BIN_ADD, e, 1.0, true) : NULL;
    Tensor *r = s ? op_scalar_binary(BIN_MUL, s, 0.5, false) : NULL;
    tensor_release(f);
    tensor_release(t);
    tensor_release(e);
    tensor_release(s);
    return r;
}
