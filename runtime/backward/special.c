/* special.c: backward formulas of the special functions (xlogy, xlog1py,
 * zeta, copysign, fmax/fmin, logaddexp2, the inverse hyperbolics, the
 * error and gamma function families, the Bessel functions i0/i1, sinc,
 * entr, logit, deg2rad), as PyTorch 1.13's derivatives.yaml and
 * FunctionsManual.cpp write them. Saved tensors: binary nodes self then
 * other (a wrapped number for a Scalar overload); unary nodes self;
 * runtime/ops/special.c lists its composites' saves and ctx. */
#include <float.h>
#include <math.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* self: at::xlogy(grad, other).masked_fill((self == 0.) & (other <= 0.),
 * 0.) (xlog1py: xlog1py(grad, other), other <= -1.); the xlogy kernel
 * takes std::log of other in the result's dtype, a Python number too */
static Tensor *xlog_self_grad(Scratch *s, BinaryOp op, Tensor *grad, Tensor *a, Tensor *b) {
    bool p1 = op == BIN_XLOG1PY;
    Tensor *g = S2(s, op, grad, b);
    Tensor *zero = S2(s, BIN_EQ, a, Sf(s, 0.0)), *low = S2(s, BIN_LE, b, Sf(s, p1 ? -1.0 : 0.0));
    return Sfill0(s, g, S2(s, BIN_LOGICAL_AND, zero, low));
}

FORMULA(xlogy_backward0) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, xlog_self_grad(s, BIN_XLOGY, grad, a, b));
    SET(1, S2(s, BIN_DIV, S2(s, BIN_MUL, grad, a), b));
    END;
}

/* xlogy(number, other): one edge, other */
FORMULA(xlogy_backward1) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, S2(s, BIN_DIV, S2(s, BIN_MUL, grad, a), b));
    END;
}

/* xlogy(self, number): one edge, self */
FORMULA(xlogy_backward2) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, xlog_self_grad(s, BIN_XLOGY, grad, a, b));
    END;
}

FORMULA(xlog1py_backward0) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, xlog_self_grad(s, BIN_XLOG1PY, grad, a, b));
    SET(1, S2(s, BIN_DIV, S2(s, BIN_MUL, grad, a), S2f(s, BIN_ADD, b, 1.0)));
    END;
}

FORMULA(xlog1py_backward1) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, S2(s, BIN_DIV, S2(s, BIN_MUL, grad, a), S2f(s, BIN_ADD, b, 1.0)));
    END;
}

FORMULA(xlog1py_backward2) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, xlog_self_grad(s, BIN_XLOG1PY, grad, a, b));
    END;
}

static bool zeta_self_not_implemented(void) {
    tsr_raise(ERR_NotImplementedError, "%s", "the derivative for 'zeta' is not implemented.");
    return false;
}

/* other: grad * -self * zeta(self + 1., other); self: not implemented */
static Tensor *zeta_other_grad(Scratch *s, Tensor *grad, Tensor *a, Tensor *b) {
    return S2(s, BIN_MUL, S2(s, BIN_MUL, grad, S1(s, UN_NEG, a)), S2(s, BIN_ZETA, S2f(s, BIN_ADD, a, 1.0), b));
}

FORMULA(zeta_backward0) {
    if (grad_outputs[0] && need(node, 0)) return zeta_self_not_implemented();
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(1, zeta_other_grad(s, grad, a, b));
    END;
}

FORMULA(zeta_backward1) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, zeta_other_grad(s, grad, a, b));
    END;
}

FORMULA(zeta_backward2) {
    if (grad_outputs[0] && need(node, 0)) return zeta_self_not_implemented();
    return true;
}

/* self: grad * (result / self), 0 where self is 0; other: zeros */
FORMULA(copysign_backward) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    Tensor *result = S2(s, BIN_COPYSIGN, a, b);
    SET(0, S2(s, BIN_MUL, grad, Sfill0(s, S2(s, BIN_DIV, result, a), S2(s, BIN_EQ, a, Sf(s, 0.0)))));
    if (node->kind == NODE_CopysignBackward0) SET(1, Szeros_like(s, b));
    END;
}

/* fmax: self gets grad where self >= other or other is NaN, other the
 * rest (fmin: <=) */
static bool fmaxmin_backward(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs, BinaryOp cmp) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    Tensor *m = S2(s, BIN_LOGICAL_OR, S2(s, cmp, a, b), S1(s, UN_ISNAN, b));
    SET(0, Sfill0(s, grad, S1(s, UN_LOGICAL_NOT, m)));
    SET(1, Sfill0(s, grad, m));
    END;
}

FORMULA(fmax_backward) { return fmaxmin_backward(node, grad_outputs, grad_inputs, BIN_GE); }
FORMULA(fmin_backward) { return fmaxmin_backward(node, grad_outputs, grad_inputs, BIN_LE); }

/* grad / (1 + pow(2, other - self)), and symmetrically */
static Tensor *pow2(Scratch *s, Tensor *e) {
    Tensor *two = Sf(s, 2.0);
    return two && e ? keep(s, op_pow_scalar_base(two, e)) : NULL;
}

FORMULA(logaddexp2_backward) {
    BEGIN;
    SAVED(a, 0);
    SAVED(b, 1);
    SET(0, S2(s, BIN_DIV, grad, Sf2(s, BIN_ADD, 1.0, pow2(s, S2(s, BIN_SUB, b, a)))));
    SET(1, S2(s, BIN_DIV, grad, Sf2(s, BIN_ADD, 1.0, pow2(s, S2(s, BIN_SUB, a, b)))));
    END;
}

FORMULA(nextafter_backward) {
    (void)grad_inputs;
    if (!grad_outputs[0] || (!need(node, 0) && !need(node, 1))) return true;
    tsr_raise(ERR_NotImplementedError, "%s", "the derivative for 'nextafter' is not implemented.");
    return false;
}

/* ------------------------------------------------------------- unary */

/* grad * (self.pow(2) + c).rsqrt() */
static Tensor *rsqrt_sq_plus(Scratch *s, Tensor *grad, Tensor *x, double c) {
    return S2(s, BIN_MUL, grad,
              Sconj(s, S1(s, UN_RSQRT, S2f(s, c < 0 ? BIN_SUB : BIN_ADD, S2f(s, BIN_POW, x, 2.0), fabs(c)))));
}

/* complex: grad * ((self + 1).rsqrt() * (self - 1).rsqrt()).conj() (sqrt(x*y)
 * is not sqrt(x)*sqrt(y) there) */
FORMULA(acosh_backward) {
    BEGIN;
    SAVED(x, 0);
    if (dtype_is_complex(x->dtype)) {
        Tensor *p = S2(s, BIN_MUL, S1(s, UN_RSQRT, S2f(s, BIN_ADD, x, 1.0)), S1(s, UN_RSQRT, S2f(s, BIN_SUB, x, 1.0)));
        SET(0, S2(s, BIN_MUL, grad, Sconj(s, p)));
        END;
    }
    SET(0, rsqrt_sq_plus(s, grad, x, -1.0));
    END;
}

FORMULA(asinh_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, rsqrt_sq_plus(s, grad, x, 1.0));
    END;
}

/* grad * 1 / (1 - self.pow(2)).conj() */
FORMULA(atanh_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_DIV, S2f(s, BIN_MUL, grad, 1.0), Sconj(s, Sf2(s, BIN_SUB, 1.0, S2f(s, BIN_POW, x, 2.0)))));
    END;
}

/* c * exp(-(self.pow(2))) * grad, c = +-2 / sqrt(pi) */
static bool erf_family_backward(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs, double c) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, Sf2(s, BIN_MUL, c, S1(s, UN_EXP, S1(s, UN_NEG, S2f(s, BIN_POW, x, 2.0)))), grad));
    END;
}

FORMULA(erf_backward) { return erf_family_backward(node, grad_outputs, grad_inputs, 2.0 / sqrt(M_PI)); }
FORMULA(erfc_backward) { return erf_family_backward(node, grad_outputs, grad_inputs, -2.0 / sqrt(M_PI)); }

/* 0.5 * sqrt(pi) * exp(self.erfinv().pow(2)) * grad */
FORMULA(erfinv_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, Sf2(s, BIN_MUL, 0.5 * sqrt(M_PI), S1(s, UN_EXP, S2f(s, BIN_POW, S1(s, UN_ERFINV, x), 2.0))),
              grad));
    END;
}

FORMULA(lgamma_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, S1(s, UN_DIGAMMA, x)));
    END;
}

static Tensor *Spolygamma(Scratch *s, int64_t n, Tensor *x) { return x ? keep(s, op_polygamma(n, x)) : NULL; }

FORMULA(digamma_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, Spolygamma(s, 1, x)));
    END;
}

FORMULA(polygamma_backward) {
    BEGIN;
    SAVED(x, 0);
    CTX(c);
    SET(0, S2(s, BIN_MUL, grad, Spolygamma(s, c->args[0] + 1, x)));
    END;
}

/* grad * sum over j of digamma(self - j / 2) */
FORMULA(mvlgamma_backward) {
    BEGIN;
    SAVED(x, 0);
    CTX(c);
    SET(0, S2(s, BIN_MUL, grad, keep(s, op_mvlgamma_terms(x, c->args[0], UN_DIGAMMA))));
    END;
}

FORMULA(i0_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, S1(s, UN_I1, x)));
    END;
}

/* grad * (i1e(self) - self.sgn() * result) */
FORMULA(i0e_backward) {
    BEGIN;
    SAVED(x, 0);
    Tensor *result = S1(s, UN_I0E, x);
    SET(0, S2(s, BIN_MUL, grad, S2(s, BIN_SUB, S1(s, UN_I1E, x), S2(s, BIN_MUL, Ssgn(s, x), result))));
    END;
}

/* i1 and i1e: self replaced by eps where |self| <= eps (where 0.5 is the
 * gradient) */
static bool i1_family_backward(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs, bool scaled) {
    BEGIN;
    SAVED(x, 0);
    double eps = x->dtype == DT_FLOAT64 ? DBL_EPSILON : x->dtype == DT_FLOAT32 ? (double)FLT_EPSILON
                 : x->dtype == DT_BFLOAT16 ? 0.0078125 : 0.0009765625;
    Tensor *not_tiny = S2(s, BIN_GT, S1(s, UN_ABS, x), Sf(s, eps));
    Tensor *eps_t = keep(s, tensor_full_f64(x->dtype, 0, NULL, eps, x->storage->device));
    Tensor *half = keep(s, tensor_full_f64(x->dtype, 0, NULL, 0.5, x->storage->device));
    Tensor *safe = Swhere(s, not_tiny, x, eps_t);
    Tensor *result = S1(s, scaled ? UN_I1E : UN_I1, x);
    Tensor *gradx = scaled ? S2(s, BIN_SUB, S1(s, UN_I0E, safe),
                                S2(s, BIN_MUL, result, S2(s, BIN_ADD, Ssgn(s, safe), S1(s, UN_RECIPROCAL, safe))))
                           : S2(s, BIN_SUB, S1(s, UN_I0, safe), S2(s, BIN_MUL, result, S1(s, UN_RECIPROCAL, safe)));
    SET(0, S2(s, BIN_MUL, grad, Swhere(s, not_tiny, gradx, half)));
    END;
}

FORMULA(i1_backward) { return i1_family_backward(node, grad_outputs, grad_inputs, false); }
FORMULA(i1e_backward) { return i1_family_backward(node, grad_outputs, grad_inputs, true); }

/* grad * ((pi x cos(pi x) - sin(pi x)) / (pi x^2)), 0 where pi x^2 is 0 */
FORMULA(sinc_backward) {
    BEGIN;
    SAVED(x, 0);
    Tensor *xpi = S2f(s, BIN_MUL, x, M_PI);
    Tensor *sq = S2f(s, BIN_MUL, S2(s, BIN_MUL, x, x), M_PI);
    Tensor *out = S2(s, BIN_DIV, S2(s, BIN_MUL, grad, S2(s, BIN_SUB, S2(s, BIN_MUL, xpi, S1(s, UN_COS, xpi)),
                                                          S1(s, UN_SIN, xpi))),
                     sq);
    SET(0, Swhere(s, S2(s, BIN_EQ, sq, Sf(s, 0.0)), Szero(s, grad->dtype), out));
    END;
}

/* grad * (-(1 + self.log())) */
FORMULA(entr_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, S1(s, UN_NEG, Sf2(s, BIN_ADD, 1.0, S1(s, UN_LOG, x)))));
    END;
}

/* grad / (x (1 - x)), NaN outside [0, 1] (with eps: 0 outside [eps, 1 - eps]) */
FORMULA(logit_backward) {
    BEGIN;
    SAVED(x, 0);
    const AlphaCtx *c = node->ctx;
    double eps = c ? c->alpha : NAN;
    double lo = eps == eps ? eps : 0.0, hi = eps == eps ? 1.0 - eps : 1.0;
    Tensor *out = S2(s, BIN_DIV, grad, S2(s, BIN_MUL, x, Sf2(s, BIN_SUB, 1.0, x)));
    Tensor *outside = S2(s, BIN_LOGICAL_OR, S2(s, BIN_LT, x, Sf(s, lo)), S2(s, BIN_GT, x, Sf(s, hi)));
    Tensor *fill = Sf(s, eps == eps ? 0.0 : NAN);
    SET(0, outside && fill && out ? keep(s, op_masked_fill(out, outside, fill)) : NULL);
    END;
}

FORMULA(deg2rad_backward) {
    BEGIN;
    SET(0, keep(s, op_deg2rad(grad, true)));
    END;
}

FORMULA(rad2deg_backward) {
    BEGIN;
    SET(0, keep(s, op_deg2rad(grad, false)));
    END;
}

/* special_erfcx: (2.0 * self * result - 2.0 / sqrt(M_PI)) * grad */
FORMULA(erfcx_backward) {
    BEGIN;
    SAVED(x, 0);
    Tensor *result = S1(s, UN_ERFCX, x);
    Tensor *d = S2f(s, BIN_SUB, S2(s, BIN_MUL, S2f(s, BIN_MUL, x, 2.0), result), 2.0 / sqrt(M_PI));
    SET(0, S2(s, BIN_MUL, d, grad));
    END;
}

/* special_log_ndtr: grad / sqrt(2 pi) * (result + self.pow(2) / 2).neg().exp() */
FORMULA(log_ndtr_backward) {
    BEGIN;
    SAVED(x, 0);
    Tensor *result = S1(s, UN_LOG_NDTR, x);
    Tensor *e = S1(s, UN_EXP, S1(s, UN_NEG, S2(s, BIN_ADD, result, S2f(s, BIN_DIV, S2f(s, BIN_POW, x, 2.0), 2.0))));
    SET(0, S2(s, BIN_MUL, S2f(s, BIN_DIV, grad, sqrt(2 * M_PI)), e));
    END;
}

/* special_ndtri: grad * sqrt(2 pi) * (result.square() / 2).exp() */
FORMULA(ndtri_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    Tensor *e = S1(s, UN_EXP, S2f(s, BIN_DIV, S1(s, UN_SQUARE, r), 2.0));
    SET(0, S2(s, BIN_MUL, S2f(s, BIN_MUL, grad, sqrt(2 * M_PI)), e));
    END;
}

/* igamma / igammac: self not implemented; other: (-)grad *
 * exp((self - 1) * log(other) - other - lgamma(self)) */
FORMULA(igamma_backward) {
    bool upper = node->kind == NODE_IgammacBackward0;
    BEGIN;
    SAVED(a, 0);
    SAVED(x, 1);
    /* the generated apply() computes other's gradient before self's
     * not_implemented (float16 raises lgamma's refusal first) */
    if (need(node, 1)) {
        Tensor *t = S2(s, BIN_MUL, S2f(s, BIN_SUB, a, 1.0), S1(s, UN_LOG, x));
        Tensor *e = S1(s, UN_EXP, S2(s, BIN_SUB, S2(s, BIN_SUB, t, x), S1(s, UN_LGAMMA, a)));
        SET(1, S2(s, BIN_MUL, upper ? S1(s, UN_NEG, grad) : grad, e));
    }
    if (ok && need(node, 0)) {
        tsr_raise(ERR_NotImplementedError, "the derivative for '%s: input' is not implemented.",
                  upper ? "igammac" : "igamma");
        ok = false;
    }
    END;
}
