/* elementwise.c: backward formulas for the elementwise nodes: arithmetic,
 * lerp, addcmul/addcdiv, the unary functions, where, clamp and
 * masked_fill, fill/zero, and the fused backward functions of relu, tanh
 * and sigmoid with their own backward-of-backward nodes (PyTorch 1.13's
 * tools/autograd/derivatives.yaml and FunctionsManual.cpp).
 *
 * Every formula is written with the op layer, so that with grad mode on
 * (create_graph=True) it records a differentiable graph. Intermediates live
 * in a per-call Scratch that is released at the end; the S* helpers return
 * NULL (error raised) when an operand is NULL, so a formula is one
 * expression and a single check (formula.h). What each node saves (ag_save
 * order) is documented with its op in runtime/ops/. */

#include <math.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* An optional saved tensor (clamp bounds): *out NULL when none was saved. */
static bool saved_opt(GradNode *node, int i, Tensor **out) {
    *out = NULL;
    if (i < node->n_saved && !node->saved[i] && !node->released) return true;
    *out = ag_saved(node, i);
    return *out != NULL;
}

/* ---------------------------------------------------- arithmetic nodes */

/* op_add_alpha's alpha (1 when the node has no ctx). */
static double node_alpha(GradNode *node) {
    return node->ctx ? ((const AlphaCtx *)node->ctx)->alpha : 1.0;
}

/* maybe_multiply: t * alpha, or t itself when alpha is 1 */
static Tensor *times_alpha(Scratch *s, Tensor *t, double alpha) {
    return alpha == 1.0 ? t : S2f(s, BIN_MUL, t, alpha);
}

FORMULA(add_backward) {
    BEGIN;
    SET(0, grad);
    SET(1, times_alpha(s, grad, node_alpha(node)));
    END;
}

FORMULA(sub_backward) {
    BEGIN;
    SET(0, grad);
    SET(1, times_alpha(s, S1(s, UN_NEG, grad), node_alpha(node)));
    END;
}

/* rsub.Scalar(self, other): other - alpha * self. One edge: self. */
FORMULA(rsub_backward) {
    BEGIN;
    SET(0, times_alpha(s, S1(s, UN_NEG, grad), node_alpha(node)));
    END;
}

/* rsub.Tensor(self, other): other - alpha * self. Edges: self, other. */
FORMULA(rsub_tensor_backward) {
    BEGIN;
    SET(0, times_alpha(s, S1(s, UN_NEG, grad), node_alpha(node)));
    SET(1, grad);
    END;
}

/* mul.Scalar / div.Scalar: grad * other, grad / other, which ATen's
 * formulas compute with other as a wrapped number (MulBackward0 and
 * DivBackward0 with a None edge, unlike pow's `exponent * ...`). */
FORMULA(mul_scalar_backward) {
    BEGIN;
    SAVED(w, 0);
    SET(0, S2(s, BIN_MUL, grad, Sconj(s, w)));
    END;
}

FORMULA(div_scalar_backward) {
    BEGIN;
    SAVED(w, 0);
    SET(0, S2(s, BIN_DIV, grad, Sconj(s, w)));
    END;
}

FORMULA(mul_backward) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, S2(s, BIN_MUL, grad, Sconj(s, b)));
    SET(1, S2(s, BIN_MUL, grad, Sconj(s, a)));
    END;
}

FORMULA(div_backward) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, S2(s, BIN_DIV, grad, Sconj(s, b)));
    /* -grad * ((self / other) / other).conj() */
    SET(1, S2(s, BIN_MUL, S1(s, UN_NEG, grad), Sconj(s, S2(s, BIN_DIV, S2(s, BIN_DIV, a, b), b))));
    END;
}

/* pow(self, Scalar exponent), and square() (exponent 2, nothing saved but
 * self): grad * (exp * self.pow(exp - 1)); zeros for exponent 0. */
FORMULA(pow_backward0) {
    BEGIN;
    SAVED(a, 0);
    double e = 2.0;
    if (node->n_saved > 1) {
        SAVED(b, 1);
        if (dtype_is_complex(b->dtype)) { /* a complex Scalar: exp * self.pow(exp - 1), exp - 1 in complex<double> */
            double re, im;
            tensor_get_complex(b, 0, &re, &im);
            if (re == 0.0 && im == 0.0) SET(0, Szeros_like(s, a));
            else {
                Tensor *p = S2(s, BIN_POW, a, keep(s, tensor_wrapped_complex(re - 1.0, im)));
                SET(0, S2(s, BIN_MUL, grad, Sconj(s, S2(s, BIN_MUL, p, b))));
            }
            END;
        }
        e = tensor_get_f64(b, 0);
    }
    /* grad * (exponent * self.pow(exponent - 1)).conj() */
    if (e == 0.0) SET(0, Szeros_like(s, a));
    else SET(0, S2(s, BIN_MUL, grad, Sconj(s, Sf2(s, BIN_MUL, e, S2f(s, BIN_POW, a, e - 1.0)))));
    END;
}

/* pow(self, Tensor exponent): pow_backward_self, pow_backward_exponent */
FORMULA(pow_backward1) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SAVED_RESULT(result, 2);
    if (need(node, 0)) {
        Tensor *g = S2(s, BIN_MUL, grad,
                       Sconj(s, S2(s, BIN_MUL, b, S2(s, BIN_POW, a, S2f(s, BIN_SUB, b, 1.0)))));
        SET(0, Swhere(s, S2f(s, BIN_EQ, b, 0.0), Sf(s, 0.0), g));
    }
    if (need(node, 1)) {
        /* self.log() in self's dtype (PyTorch 1.13); a Python-number base
         * is torch.tensor(base, dtype=result_type) (Tensor.__rpow__). */
        Tensor *a_ = a->wrapped_number ? keep(s, op_to_dtype(a, result->dtype)) : a;
        /* a complex exponent: imag(exponent) == 0 and real(exponent) >= 0 */
        Tensor *b_ge = dtype_is_complex(b->dtype)
                           ? S2(s, BIN_LOGICAL_AND, S2f(s, BIN_EQ, keep(s, op_imag(b)), 0.0),
                                S2f(s, BIN_GE, keep(s, op_real(b)), 0.0))
                           : S2f(s, BIN_GE, b, 0.0);
        Tensor *cond = S2(s, BIN_LOGICAL_AND, S2f(s, BIN_EQ, a, 0.0), b_ge);
        Tensor *v = Sconj(s, S2(s, BIN_MUL, result, S1(s, UN_LOG, a_)));
        SET(1, S2(s, BIN_MUL, grad, Swhere(s, cond, Sf(s, 0.0), v)));
    }
    END;
}

/* pow.Scalar (torch.pow(number, x)): grad * result * log(base), where a zero
 * base has zero gradient for exponents >= 0 (pow_backward_exponent). */
FORMULA(pow_backward2) {
    BEGIN;
    SAVED(base, 0);
    SAVED(e, 1);
    SAVED_RESULT(result, 2);
    double b = tensor_get_f64(base, 0);
    Tensor *v = S2f(s, BIN_MUL, result, log(b));
    if (b == 0) v = Swhere(s, S2f(s, BIN_GE, e, 0.0), Szeros(s, grad->dtype, 0, NULL, grad->storage->device), v);
    SET(0, S2(s, BIN_MUL, grad, v));
    END;
}

FORMULA(atan2_backward) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    Tensor *recip = S1(s, UN_RECIPROCAL,
                       S2(s, BIN_ADD, S2(s, BIN_MUL, a, a), S2(s, BIN_MUL, b, b)));
    SET(0, S2(s, BIN_MUL, S2(s, BIN_MUL, grad, b), recip));
    SET(1, S2(s, BIN_MUL, S2(s, BIN_MUL, grad, S1(s, UN_NEG, a)), recip));
    END;
}

FORMULA(hypot_backward) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SAVED_RESULT(result, 2);
    SET(0, S2(s, BIN_DIV, S2(s, BIN_MUL, grad, a), result));
    SET(1, S2(s, BIN_DIV, S2(s, BIN_MUL, grad, b), result));
    END;
}

/* self: grad / (1 + exp(other - self)), other: grad / (1 + exp(self - other)) */
FORMULA(logaddexp_backward) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, S2(s, BIN_DIV, grad, Sf2(s, BIN_ADD, 1.0, S1(s, UN_EXP, S2(s, BIN_SUB, b, a)))));
    SET(1, S2(s, BIN_DIV, grad, Sf2(s, BIN_ADD, 1.0, S1(s, UN_EXP, S2(s, BIN_SUB, a, b)))));
    END;
}

/* where(eq, grad / 2, grad).masked_fill_(zero, 0) */
static Tensor *minmax_part(Scratch *s, Tensor *grad, Tensor *eq, Tensor *zero) {
    Tensor *g = Swhere(s, eq, S2f(s, BIN_DIV, grad, 2.0), grad);
    return g && zero ? keep(s, op_masked_fill_(g, zero, Sf(s, 0.0))) : NULL;
}

/* maximum/minimum: ties split the gradient in half.
 *   self:  where(self == other, grad / 2, grad).masked_fill_(self LOSES other, 0)
 *   other: where(self == other, grad / 2, grad).masked_fill_(self WINS other, 0) */
static bool minmax(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs, bool is_max) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    Tensor *eq = S2(s, BIN_EQ, a, b);
    Tensor *lt = need(node, 0) || need(node, 1) ? S2(s, BIN_LT, a, b) : NULL;
    Tensor *gt = need(node, 0) || need(node, 1) ? S2(s, BIN_GT, a, b) : NULL;
    if (need(node, 0)) SET(0, minmax_part(s, grad, eq, is_max ? lt : gt));
    if (need(node, 1)) SET(1, minmax_part(s, grad, eq, is_max ? gt : lt));
    END;
}

FORMULA(maximum_backward) { return minmax(node, grad_outputs, grad_inputs, true); }
FORMULA(minimum_backward) { return minmax(node, grad_outputs, grad_inputs, false); }

/* fmod/remainder by a scalar: self: grad */
FORMULA(passthrough_self) {
    BEGIN;
    SET(0, grad);
    END;
}

/* fmod(self, other): other: -grad * self.div(other, rounding_mode="trunc") */
FORMULA(fmod_backward1) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, grad);
    SET(1, S2(s, BIN_MUL, S1(s, UN_NEG, grad), S1(s, UN_TRUNC, S2(s, BIN_DIV, a, b))));
    END;
}

/* remainder(self, other): other: -grad * self.div(other, rounding_mode="floor") */
FORMULA(remainder_backward1) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, grad);
    SET(1, S2(s, BIN_MUL, S1(s, UN_NEG, grad), S2(s, BIN_FLOOR_DIVIDE, a, b))); /* div_floor's kernel */
    END;
}

/* PyTorch's NotImplemented node: node->ctx, when set, is the aten op's
 * name (a malloc'd string); floor_divide records none. */
FORMULA(not_implemented_backward) {
    const char *name = node->ctx ? (const char *)node->ctx : "floor_divide";
    /* a name starting with '=' is written without "aten::" (channel_shuffle) */
    tsr_raise(ERR_RuntimeError, "derivative for %s%s is not implemented", name[0] == '=' ? "" : "aten::",
              name + (name[0] == '='));
    return false;
}

/* ---------------------------------------------------------------- lerp */

FORMULA(lerp_backward0) {
    BEGIN;
    const AlphaCtx *c = node->ctx;
    double w = c ? c->alpha : 0.5;
    SET(0, S2(s, BIN_MUL, grad, Sf(s, 1.0 - w)));
    SET(1, S2(s, BIN_MUL, grad, Sf(s, w)));
    END;
}

FORMULA(lerp_backward1) {
    BEGIN;
    Tensor *x = saved_t(node, 0), *e = x ? saved_t(node, 1) : NULL, *w = e ? saved_t(node, 2) : NULL;
    if (!w) ok = false;
    SET(0, S2(s, BIN_MUL, grad, S2(s, BIN_SUB, Sf(s, 1.0), w)));
    SET(1, S2(s, BIN_MUL, grad, w));
    SET(2, S2(s, BIN_MUL, grad, S2(s, BIN_SUB, e, x)));
    END;
}

/* ---------------------------------------------------- addcmul, addcdiv */

/* addcmul: self: grad; tensor1: grad * (tensor2 * value); tensor2: grad * (tensor1 * value)
 * addcdiv: tensor1: grad * (value / tensor2);
 *          tensor2: -grad * (value * tensor1 / (tensor2 * tensor2)) */
FORMULA(addc_backward) {
    BEGIN;
    const AlphaCtx *c = node->ctx;
    double v = c ? c->alpha : 1.0;
    bool div = node->kind == NODE_AddcdivBackward0;
    SET(0, grad);
    Tensor *t1 = (need(node, 1) || need(node, 2)) ? saved_t(node, 0) : NULL;
    Tensor *t2 = t1 ? saved_t(node, 1) : NULL;
    if ((need(node, 1) || need(node, 2)) && !t2) ok = false;
    if (div) {
        SET(1, S2(s, BIN_MUL, grad, Sf2(s, BIN_DIV, v, t2)));
        SET(2, S2(s, BIN_MUL, S1(s, UN_NEG, grad),
                  S2(s, BIN_DIV, Sf2(s, BIN_MUL, v, t1), S2(s, BIN_MUL, t2, t2))));
    } else {
        SET(1, S2(s, BIN_MUL, grad, S2f(s, BIN_MUL, t2, v)));
        SET(2, S2(s, BIN_MUL, grad, S2f(s, BIN_MUL, t1, v)));
    }
    END;
}

/* --------------------------------------------------------- unary nodes */

FORMULA(neg_backward) {
    BEGIN;
    SET(0, S1(s, UN_NEG, grad));
    END;
}

/* sign, floor, ceil, round, trunc: zeros */
FORMULA(zero_backward) {
    BEGIN;
    SET(0, Szeros_like(s, grad));
    END;
}

/* frac, clone, _to_copy (set_grad converts back to the input's dtype) */
FORMULA(identity_backward) {
    BEGIN;
    SET(0, grad);
    END;
}

FORMULA(abs_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, x ? keep(s, op_sgn(x)) : NULL)); /* grad * self.sgn() */
    END;
}

FORMULA(sqrt_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, S2(s, BIN_DIV, grad, Sf2(s, BIN_MUL, 2.0, Sconj(s, r))));
    END;
}

/* -0.5 * grad * result.pow(3).conj() */
FORMULA(rsqrt_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, S2(s, BIN_MUL, Sf2(s, BIN_MUL, -0.5, grad), Sconj(s, S2f(s, BIN_POW, r, 3.0))));
    END;
}

FORMULA(exp_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, S2(s, BIN_MUL, grad, Sconj(s, r)));
    END;
}

FORMULA(exp2_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, S2f(s, BIN_MUL, S2(s, BIN_MUL, grad, r), M_LN2));
    END;
}

FORMULA(expm1_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, S2(s, BIN_MUL, grad, S2f(s, BIN_ADD, r, 1.0)));
    END;
}

FORMULA(log_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_DIV, grad, Sconj(s, x)));
    END;
}

FORMULA(log2_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_DIV, grad, S2f(s, BIN_MUL, Sconj(s, x), M_LN2))); /* grad / (self.conj() * LN2) */
    END;
}

FORMULA(log10_backward) {
    BEGIN;
    SAVED(x, 0);
    /* derivatives.yaml's literal 2.3025850929940456, one ulp below M_LN10 */
    SET(0, S2(s, BIN_DIV, grad, S2f(s, BIN_MUL, Sconj(s, x), 2.3025850929940456)));
    END;
}

FORMULA(log1p_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_DIV, grad, S2f(s, BIN_ADD, x, 1.0)));
    END;
}

FORMULA(sin_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, Sconj(s, S1(s, UN_COS, x))));
    END;
}

FORMULA(cos_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, S1(s, UN_NEG, Sconj(s, S1(s, UN_SIN, x)))));
    END;
}

/* grad * (1 + result.pow(2)).conj() */
FORMULA(tan_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, S2(s, BIN_MUL, grad, Sconj(s, Sf2(s, BIN_ADD, 1.0, S2f(s, BIN_POW, r, 2.0)))));
    END;
}

/* (-self * self + 1).rsqrt() */
static Tensor *one_minus_sq_rsqrt(Scratch *s, Tensor *x) {
    return S1(s, UN_RSQRT, S2f(s, BIN_ADD, S2(s, BIN_MUL, S1(s, UN_NEG, x), x), 1.0));
}

FORMULA(asin_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, Sconj(s, one_minus_sq_rsqrt(s, x))));
    END;
}

FORMULA(acos_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, Sconj(s, S1(s, UN_NEG, one_minus_sq_rsqrt(s, x)))));
    END;
}

FORMULA(atan_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_DIV, grad, Sconj(s, S2f(s, BIN_ADD, S2(s, BIN_MUL, x, x), 1.0))));
    END;
}

FORMULA(sinh_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, Sconj(s, S1(s, UN_COSH, x))));
    END;
}

FORMULA(cosh_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, Sconj(s, S1(s, UN_SINH, x))));
    END;
}

/* -grad * (result * result).conj() */
FORMULA(reciprocal_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, S2(s, BIN_MUL, S1(s, UN_NEG, grad), Sconj(s, S2(s, BIN_MUL, r, r))));
    END;
}

/* nan_to_num: grad * isfinite(self) */
FORMULA(nan_to_num_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, S1(s, UN_ISFINITE, x)));
    END;
}

/* ------------------------------------------- where, clamp, masked_fill */

/* Edges (self, other); saved cond. */
FORMULA(where_backward) {
    BEGIN;
    SAVED(cond, 0);
    SET(0, Swhere(s, cond, grad, Sf(s, 0.0)));
    SET(1, Swhere(s, cond, Sf(s, 0.0), grad));
    END;
}

/* clamp_backward: grad where min <= self <= max (each bound optional) */
static Tensor *clamp_self_grad(Scratch *s, Tensor *grad, Tensor *x, Tensor *lo, Tensor *hi) {
    Tensor *pred;
    if (lo && hi) pred = S2(s, BIN_LOGICAL_AND, S2(s, BIN_GE, x, lo), S2(s, BIN_LE, x, hi));
    else if (lo) pred = S2(s, BIN_GE, x, lo);
    else if (hi) pred = S2(s, BIN_LE, x, hi);
    else return grad;
    return Swhere(s, pred, grad, Sf(s, 0.0));
}

/* clamp with Python-scalar bounds: one edge (self); saved self, min, max. */
FORMULA(clamp_backward1) {
    BEGIN;
    SAVED(x, 0);
    Tensor *lo, *hi;
    if (!saved_opt(node, 1, &lo) || !saved_opt(node, 2, &hi)) {
        scratch_free(s);
        return false;
    }
    SET(0, clamp_self_grad(s, grad, x, lo, hi));
    END;
}

/* clamp with tensor bounds: edges (self, min, max); clamp_backward_min_max
 * (min gets the gradient where self < min (and min < max), max where
 * self > max (or max < min)). */
FORMULA(clamp_backward0) {
    BEGIN;
    SAVED(x, 0);
    Tensor *lo, *hi;
    if (!saved_opt(node, 1, &lo) || !saved_opt(node, 2, &hi)) {
        scratch_free(s);
        return false;
    }
    SET(0, clamp_self_grad(s, grad, x, lo, hi));
    if (lo && hi) {
        SET(1, Swhere(s, S2(s, BIN_LOGICAL_AND, S2(s, BIN_LT, x, lo), S2(s, BIN_LT, lo, hi)),
                      grad, Sf(s, 0.0)));
        SET(2, Swhere(s, S2(s, BIN_LOGICAL_OR, S2(s, BIN_GT, x, hi), S2(s, BIN_LT, hi, lo)),
                      grad, Sf(s, 0.0)));
    } else if (lo) {
        SET(1, Swhere(s, S2(s, BIN_LT, x, lo), grad, Sf(s, 0.0)));
    } else if (hi) {
        SET(2, Swhere(s, S2(s, BIN_GT, x, hi), grad, Sf(s, 0.0)));
    }
    END;
}

FORMULA(clamp_bound_backward) {
    BEGIN;
    bool is_max = node->kind == NODE_ClampMaxBackward0 || node->kind == NODE_ClampMaxBackward1;
    Tensor *x = saved_t(node, 0), *b = x ? saved_t(node, 1) : NULL;
    if (!b) ok = false;
    SET(0, Swhere(s, S2(s, is_max ? BIN_LE : BIN_GE, x, b), grad, Sf(s, 0.0)));
    SET(1, Swhere(s, S2(s, is_max ? BIN_GT : BIN_LT, x, b), grad, Sf(s, 0.0)));
    END;
}

/* masked_fill(self, mask, value): self: grad.masked_fill(mask, 0);
 * a tensor value: the sum of the gradient where mask is set. */
FORMULA(masked_fill_backward) {
    BEGIN;
    SAVED(saved_mask, 0);
    Tensor *mask = saved_mask->dtype == DT_BOOL ? saved_mask : keep(s, op_to_dtype(saved_mask, DT_BOOL));
    if (!mask) ok = false;
    if (ok && need(node, 0)) {
        Tensor *z = Sf(s, 0.0);
        SET(0, z ? keep(s, op_masked_fill(grad, mask, z)) : NULL);
    }
    if (ok && need(node, 1)) {
        Tensor *m = Swhere(s, mask, grad, Sf(s, 0.0));
        SET(1, m ? keep(s, op_sum(m, 0, NULL, false, DT_UNDEFINED)) : NULL);
    }
    END;
}

/* ------------------------------------------------ zero gradients, fill */

/* DivBackward2 (rounding mode), ZeroBackward0, FillBackward0/2: zeros;
 * FillBackward1/3's value: grad.sum() */
FORMULA(fill_backward) {
    BEGIN;
    SET(0, Szeros_like(s, grad));
    if (node->kind == NODE_FillBackward3 || node->kind == NODE_FillBackward1) {
        SET(1, keep(s, op_sum(grad, 0, NULL, false, DT_UNDEFINED)));
    } else {
        SET(1, Szeros_like(s, grad));
    }
    END;
}

/* ------------------------------------------- fused backward functions
 *
 * relu, tanh, sigmoid and (log_)softmax backward are single functions in
 * PyTorch (threshold_backward, tanh_backward, ...): with create_graph they
 * record one node (TanhBackwardBackward0, ...) with edges (grad_output,
 * output), whose own formulas follow (softmax's in nn.c). */

/* threshold_backward(grad, result, 0) */
static Tensor *threshold_bw(Scratch *s, Tensor *grad, Tensor *r, int64_t dim) {
    return Swhere(s, S2f(s, BIN_LE, r, 0.0), Sf(s, 0.0), grad);
}

/* float16/bfloat16 operands of tanh_backward and sigmoid_backward: ATen's
 * kernels convert them to float, compute and round once */
static bool reduced_float_pair(const Tensor *grad, const Tensor *r) {
    return grad && r && grad->dtype == r->dtype && (r->dtype == DT_FLOAT16 || r->dtype == DT_BFLOAT16);
}

static Tensor *Sto(Scratch *s, Tensor *t, DType dt) { return t ? keep(s, op_to_dtype(t, dt)) : NULL; }

static Tensor *tanh_formula(Scratch *s, Tensor *grad, Tensor *r) {
    return S2(s, BIN_MUL, grad, Sf2(s, BIN_SUB, 1.0, S2(s, BIN_MUL, r, r)));
}

/* grad * (1 - result * result): conjugated for complex (tanh_backward's
 * complex loop: a * conj(1 - b * b)); in float, no fused multiply-add, for
 * float16/bfloat16 */
static Tensor *tanh_bw(Scratch *s, Tensor *grad, Tensor *r, int64_t dim) {
    if (r && dtype_is_complex(r->dtype))
        return S2(s, BIN_MUL, grad, Sconj(s, Sf2(s, BIN_SUB, 1.0, S2(s, BIN_MUL, r, r))));
    if (reduced_float_pair(grad, r))
        return Sto(s, tanh_formula(s, Sto(s, grad, DT_FLOAT32), Sto(s, r, DT_FLOAT32)), r->dtype);
    Tensor *k = grad && r ? op_tanh_backward_vec(grad, r) : NULL;
    if (k) return keep(s, k);
    if (tsr_err_occurred()) return NULL;
    return tanh_formula(s, grad, r);
}

/* grad * (1 - result) * result; complex: grad * conj((1 - result) * result)
 * (sigmoid_backward's complex loop) */
static Tensor *sigmoid_bw(Scratch *s, Tensor *grad, Tensor *r, int64_t dim) {
    if (r && dtype_is_complex(r->dtype))
        return S2(s, BIN_MUL, grad, Sconj(s, S2(s, BIN_MUL, Sf2(s, BIN_SUB, 1.0, r), r)));
    if (reduced_float_pair(grad, r))
        return Sto(s, sigmoid_bw(s, Sto(s, grad, DT_FLOAT32), Sto(s, r, DT_FLOAT32), -1), r->dtype);
    return S2(s, BIN_MUL, S2(s, BIN_MUL, grad, Sf2(s, BIN_SUB, 1.0, r)), r);
}

Tensor *fused_backward(Scratch *s, GradNodeKind kind, FusedFn fn, Tensor *grad, Tensor *r, int64_t dim,
                       bool save_grad) {
    Tensor *ins[2] = {grad, r};
    if (!ag_any_requires_grad(ins, 2)) return fn(s, grad, r, dim);
    ag_grad_enabled = false;
    Tensor *out = fn(s, grad, r, dim);
    ag_grad_enabled = true;
    if (!out) return NULL;
    GradNode *n = ag_record(out, kind, ins, 2);
    if (!n || (save_grad && !ag_save(n, grad)) || !ag_save(n, r) ||
        (dim >= 0 && !op_set_ctx(n, r, 1, &dim)))
        return NULL;
    return out;
}

FORMULA(relu_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, fused_backward(s, NODE_ThresholdBackwardBackward0, threshold_bw, grad, r, -1, false));
    END;
}

FORMULA(tanh_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, fused_backward(s, NODE_TanhBackwardBackward0, tanh_bw, grad, r, -1, true));
    END;
}

FORMULA(sigmoid_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, fused_backward(s, NODE_SigmoidBackwardBackward0, sigmoid_bw, grad, r, -1, true));
    END;
}

/* threshold_backward(grad_output, self, threshold): self gets zeros; the
 * threshold is the ctx of F.threshold's nodes (ops/threshold.c), else 0 */
FORMULA(threshold_backward_backward) {
    BEGIN;
    SAVED(r, 0);
    if (node->ctx) SET(0, keep(s, op_threshold_backward(grad, r, *(const double *)node->ctx)));
    else SET(0, fused_backward(s, NODE_ThresholdBackwardBackward0, threshold_bw, grad, r, -1, false));
    SET(1, Szeros_like(s, grad));
    END;
}

/* tanh_backward(grad_output, output): output: grad * (-2 * output * grad_output) */
FORMULA(tanh_backward_backward) {
    BEGIN;
    SAVED(go, 0);
    SAVED(r, 1);
    SET(0, fused_backward(s, NODE_TanhBackwardBackward0, tanh_bw, grad, r, -1, true));
    SET(1, S2(s, BIN_MUL, grad, S2(s, BIN_MUL, Sf2(s, BIN_MUL, -2.0, r), go)));
    END;
}

/* sigmoid_backward(grad_output, output): output: grad * grad_output * (-2 * output + 1) */
FORMULA(sigmoid_backward_backward) {
    BEGIN;
    SAVED(go, 0);
    SAVED(r, 1);
    SET(0, fused_backward(s, NODE_SigmoidBackwardBackward0, sigmoid_bw, grad, r, -1, true));
    SET(1, S2(s, BIN_MUL, S2(s, BIN_MUL, grad, go), S2f(s, BIN_ADD, Sf2(s, BIN_MUL, -2.0, r), 1.0)));
    END;
}
