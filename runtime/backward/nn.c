/* nn.c: backward formulas for the nn nodes: the activations (gelu, silu,
 * elu/celu, leaky_relu, softplus, hardtanh, logsigmoid, softmax and
 * log_softmax), the losses (mse, smooth_l1, huber, nll,
 * binary_cross_entropy[_with_logits]) with their backward-of-backward
 * nodes, and constant padding (PyTorch 1.13's derivatives.yaml and
 * FunctionsManual.cpp). What each node saves is
 * documented with its op in runtime/ops/. */

#include <math.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* Saved tensor i; *out NULL for a tensor saved as None. False on error. */
static bool saved_opt(GradNode *node, int i, Tensor **out) {
    *out = NULL;
    if (i >= node->n_saved) {
        tsr_raise(ERR_RuntimeError, "%s: the forward op did not save tensor %d", ag_node_name(node), i);
        return false;
    }
    *out = ag_saved(node, i);
    return *out || !tsr_err_occurred();
}

static Tensor *saved_present(GradNode *node, int i) {
    Tensor *t;
    if (!saved_opt(node, i, &t)) return NULL;
    if (!t) tsr_raise(ERR_RuntimeError, "%s: saved tensor %d is missing", ag_node_name(node), i);
    return t;
}

/* --------------------------------------------------------- activations */

/* GeluBackward0, EluBackward0/1, CeluBackward0/1, LeakyReluBackward0/1,
 * SoftplusBackward0, HardtanhBackward0/1, LogSigmoidBackward0:
 * XXX_backward(grad, self or result, ...) */
FORMULA(act_backward) {
    BEGIN;
    const NnActCtx *c = node->ctx;
    if (!c) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        return false;
    }
    Tensor *x = c->is_result ? saved_result(s, node, ag_saved(node, 0)) : saved_present(node, 0);
    Tensor *buf = x && c->kind == NN_LOGSIGMOID ? saved_present(node, 1) : NULL;
    if (!x || (c->kind == NN_LOGSIGMOID && !buf)) ok = false;
    /* celu's derivative (derivatives.yaml) passes input_scale as
     * 1.0 / alpha.toFloat(): alpha rounded to float first */
    NnActCtx cc = *c;
    if (node->kind == NODE_CeluBackward0 || node->kind == NODE_CeluBackward1)
        cc.p[2] = 1.0 / (double)(float)c->p[0];
    SET(0, keep(s, op_nn_act_backward(&cc, grad, x, buf)));
    END;
}

/* silu: infinitely_differentiable_silu_backward when grad mode is on:
 * grad_output * sigmoid * (1 + input * (1 - sigmoid)); else silu_backward */
FORMULA(silu_backward) {
    BEGIN;
    Tensor *x = saved_present(node, 0);
    if (!x) ok = false;
    if (ok && !ag_grad_enabled) {
        NnActCtx c = {NN_SILU, {0, 0, 0}, false};
        Tensor *g = NULL;
        NO_GRAD(g = keep(s, op_nn_act_backward(&c, grad, x, NULL)));
        SET(0, g);
    } else if (ok) {
        Tensor *sg = S1(s, UN_SIGMOID, x);
        Tensor *one = sg ? keep(s, tensor_full_f64(sg->dtype, sg->ndim, sg->shape, 1.0, sg->storage->device)) : NULL;
        Tensor *r = S2(s, BIN_SUB, one, sg);
        Tensor *a = S2f(s, BIN_ADD, S2(s, BIN_MUL, x, r), 1.0);
        SET(0, S2(s, BIN_MUL, S2(s, BIN_MUL, grad, sg), a));
    }
    END;
}

/* mish: infinitely_differentiable_mish_backward when grad mode is on:
 * t = x.exp().log1p().tanh(); grad_output * (t + x * sigmoid(x) * (1 - t * t));
 * else mish_backward */
FORMULA(mish_backward) {
    BEGIN;
    Tensor *x = saved_present(node, 0);
    if (!x) ok = false;
    if (ok && !ag_grad_enabled) {
        NnActCtx c = {NN_MISH, {0, 0, 0}, false};
        Tensor *g = NULL;
        NO_GRAD(g = keep(s, op_nn_act_backward(&c, grad, x, NULL)));
        SET(0, g);
    } else if (ok) {
        Tensor *sg = S1(s, UN_SIGMOID, x);
        Tensor *t = S1(s, UN_TANH, S1(s, UN_LOG1P, S1(s, UN_EXP, x)));
        Tensor *one_m = t ? S2(s, BIN_SUB, keep(s, tensor_full_f64(t->dtype, t->ndim, t->shape, 1.0, t->storage->device)),
                               S2(s, BIN_MUL, t, t))
                          : NULL;
        SET(0, S2(s, BIN_MUL, grad, S2(s, BIN_ADD, t, S2(s, BIN_MUL, S2(s, BIN_MUL, x, sg), one_m))));
    }
    END;
}

/* glu: glu_backward(grad, self, dim); under create_graph the same formula
 * of recorded ops (PyTorch records GluBackwardBackward0 there) */
FORMULA(glu_backward) {
    BEGIN;
    SAVED(x, 0);
    const int64_t *dim = node->ctx;
    if (!dim) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    if (ok) SET(0, keep(s, op_glu_backward(grad, x, *dim)));
    END;
}

/* XXXBackwardBackward0: inputs {grad_output, self}.
 * grad_output: XXX_backward(grad, self); self: grad * grad_output * f''(self)
 * (zeros for leaky_relu and hardtanh). */
FORMULA(act_bb) {
    BEGIN;
    const NnActCtx *c = node->ctx;
    Tensor *go = c ? saved_present(node, 0) : NULL, *x = go ? saved_present(node, 1) : NULL;
    if (!x) ok = false;
    if (ok && need(node, 0)) {
        Tensor *buf = NULL;
        if (c->kind == NN_LOGSIGMOID) NO_GRAD(buf = S1(s, UN_EXP, S1(s, UN_NEG, S1(s, UN_ABS, x))));
        SET(0, keep(s, op_nn_act_backward(c, grad, x, buf)));
    }
    if (ok && need(node, 1)) {
        if (c->kind == NN_LEAKY || c->kind == NN_HARDTANH) {
            SET(1, Szeros_like(s, grad));
        } else if (c->kind == NN_HARDSWISH) {
            /* where((-3 < self) & (self < 3), grad * grad_output / 3, 0) */
            Tensor *in = S2(s, BIN_LOGICAL_AND, S2f(s, BIN_GT, x, -3.0), S2f(s, BIN_LT, x, 3.0));
            Tensor *v = S2f(s, BIN_DIV, S2(s, BIN_MUL, grad, go), 3.0);
            Tensor *z = Szeros_like(s, v);
            SET(1, in && v && z ? keep(s, op_where(in, v, z)) : NULL);
        } else {
            SET(1, S2(s, BIN_MUL, S2(s, BIN_MUL, grad, go), keep(s, op_nn_act_d2(c, x))));
        }
    }
    END;
}

/* ------------------------------------------------------ pointwise losses */

static int loss_kind(GradNodeKind kind) {
    if (kind == NODE_MseLossBackward0) return NN_MSE;
    if (kind == NODE_SmoothL1LossBackward0) return NN_SMOOTH_L1;
    return NN_HUBER;
}

/* self: XXX_loss_backward(grad, self, target); target: XXX_loss_backward(grad, target, self) */
FORMULA(loss_backward) {
    BEGIN;
    const NnLossCtx *c = node->ctx;
    int kind = loss_kind(node->kind);
    Tensor *x = c ? saved_present(node, 0) : NULL, *t = x ? saved_present(node, 1) : NULL;
    if (!t) ok = false;
    SET(0, keep(s, op_nn_pointwise_loss_backward(kind, grad, x, t, c->reduction, c->p)));
    SET(1, keep(s, op_nn_pointwise_loss_backward(kind, grad, t, x, c->reduction, c->p)));
    END;
}

/* XXXLossBackwardBackward0: inputs {grad_output, self, target}.
 * grad_output: XXX_loss_backward(grad, self, target) (summed unless
 * reduction none); self: grad * grad_output * loss''(self - target)
 * (/ numel for mean); target: its negation. */
FORMULA(loss_bb) {
    BEGIN;
    const NnLossCtx *c = node->ctx;
    int kind = c ? (int)c->ignore_index : 0;
    Tensor *go = c ? saved_present(node, 0) : NULL, *x = go ? saved_present(node, 1) : NULL, *t = x ? saved_present(node, 2) : NULL;
    if (!t) ok = false;
    if (ok && need(node, 0)) {
        Tensor *g = keep(s, op_nn_pointwise_loss_backward(kind, grad, x, t, c->reduction, c->p));
        if (g && c->reduction != NN_RED_NONE) g = keep(s, op_sum(g, 0, NULL, false, DT_UNDEFINED));
        SET(0, g);
    }
    if (ok && (need(node, 1) || need(node, 2))) {
        Tensor *g = S2(s, BIN_MUL, grad, go);
        if (kind == NN_MSE) {
            g = S2f(s, BIN_MUL, g, 2.0);
        } else if (kind == NN_SMOOTH_L1 && c->p == 0) {
            g = Szeros_like(s, g);
        } else {
            Tensor *mask = NULL;
            NO_GRAD(mask = S2f(s, BIN_LT, S1(s, UN_ABS, S2(s, BIN_SUB, x, t)), c->p));
            Tensor *m = mask ? keep(s, op_to_dtype(mask, g ? g->dtype : x->dtype)) : NULL;
            g = S2(s, BIN_MUL, g, m);
            if (kind == NN_SMOOTH_L1) g = S2f(s, BIN_DIV, g, c->p);
        }
        if (c->reduction == NN_RED_MEAN) g = S2f(s, BIN_DIV, g, (double)tensor_numel(x));
        SET(1, g);
        SET(2, S1(s, UN_NEG, g));
    }
    END;
}

/* ------------------------------------------------------------- nll_loss */

/* self: nll_loss_backward(grad, self, target, weight, reduction, ignore_index, total_weight) */
FORMULA(nll_backward) {
    BEGIN;
    const NnLossCtx *c = node->ctx;
    Tensor *x = c ? saved_present(node, 0) : NULL, *t = x ? saved_present(node, 1) : NULL, *tw = t ? saved_present(node, 2) : NULL;
    Tensor *w = NULL;
    if (!tw || !saved_opt(node, 3, &w)) ok = false;
    SET(0, keep(s, op_nn_nll_loss_backward(grad, x, t, w, c->reduction, c->ignore_index, tw)));
    END;
}

/* grad_output: nll_loss(grad, target, weight, reduction, ignore_index); self: zeros */
FORMULA(nll_bb) {
    BEGIN;
    const NnLossCtx *c = node->ctx;
    Tensor *t = c ? saved_present(node, 0) : NULL, *w = NULL;
    if (!t || !saved_opt(node, 1, &w)) ok = false;
    SET(0, keep(s, op_nn_nll_loss(grad, t, w, c->reduction, c->ignore_index)));
    SET(1, Szeros_like(s, grad));
    END;
}

/* ------------------------------------------------ binary_cross_entropy */

static Tensor *mean_div(Scratch *s, Tensor *g, int reduction, Tensor *x) {
    return reduction == NN_RED_MEAN ? S2f(s, BIN_DIV, g, (double)tensor_numel(x)) : g;
}

/* self: binary_cross_entropy_backward(grad, self, target, weight, reduction)
 * target: -logit(self) * grad [* weight] [/ numel] */
FORMULA(bce_backward) {
    BEGIN;
    const NnLossCtx *c = node->ctx;
    Tensor *x = c ? saved_present(node, 0) : NULL, *t = x ? saved_present(node, 1) : NULL, *w = NULL;
    if (!t || !saved_opt(node, 2, &w)) ok = false;
    SET(0, keep(s, op_nn_bce_backward(grad, x, t, w, c->reduction)));
    if (ok && need(node, 1)) {
        Tensor *logit = S1(s, UN_LOG, S2(s, BIN_DIV, x, Sf2(s, BIN_SUB, 1.0, x)));
        Tensor *g = S2(s, BIN_MUL, S1(s, UN_NEG, logit), grad);
        if (w) g = S2(s, BIN_MUL, g, w);
        SET(1, mean_div(s, g, c->reduction, t));
    }
    END;
}

/* BinaryCrossEntropyBackwardBackward0: inputs {grad_output, self, target}
 * (FunctionsManual's binary_cross_entropy_double_backward*). */
FORMULA(bce_bb) {
    BEGIN;
    const NnLossCtx *c = node->ctx;
    Tensor *go = c ? saved_present(node, 0) : NULL, *x = go ? saved_present(node, 1) : NULL, *t = x ? saved_present(node, 2) : NULL;
    Tensor *w = NULL;
    if (!t || !saved_opt(node, 3, &w)) ok = false;
    const double eps = 1e-12;
    if (ok && need(node, 0)) {
        /* (input - target) / ((1 - input) * input).clamp_min(eps) * grad [* weight], summed */
        Tensor *den = S2(s, BIN_MUL, Sf2(s, BIN_SUB, 1.0, x), x);
        Tensor *e = Sf(s, eps), *cl = den && e ? keep(s, op_clamp_bound(den, e, false)) : NULL;
        Tensor *g = S2(s, BIN_MUL, S2(s, BIN_DIV, S2(s, BIN_SUB, x, t), cl), grad);
        if (w) g = S2(s, BIN_MUL, g, w);
        if (g && c->reduction != NN_RED_NONE) g = mean_div(s, keep(s, op_sum(g, 0, NULL, false, DT_UNDEFINED)),
                                                          c->reduction, x);
        SET(0, g);
    }
    if (ok && need(node, 1)) {
        /* (x*x - 2*x*t + t) / ((x + eps)^2 * (1 - x + eps)^2) * grad * grad_output */
        Tensor *num = S2(s, BIN_ADD, S2(s, BIN_SUB, S2(s, BIN_MUL, x, x), Sf2(s, BIN_MUL, 2.0, S2(s, BIN_MUL, x, t))), t);
        Tensor *a = S2f(s, BIN_POW, S2f(s, BIN_ADD, x, eps), 2.0);
        Tensor *b = S2f(s, BIN_POW, S2f(s, BIN_ADD, Sf2(s, BIN_SUB, 1.0, x), eps), 2.0);
        Tensor *g = S2(s, BIN_MUL, S2(s, BIN_DIV, num, S2(s, BIN_MUL, a, b)), S2(s, BIN_MUL, grad, go));
        if (w) g = S2(s, BIN_MUL, g, w);
        SET(1, mean_div(s, g, c->reduction, x));
    }
    if (ok && need(node, 2)) {
        /* -grad * grad_output [* weight] / ((1 - self) * self).clamp_min(eps) */
        Tensor *g = S2(s, BIN_MUL, S1(s, UN_NEG, grad), go);
        if (w) g = S2(s, BIN_MUL, g, w);
        Tensor *den = NULL;
        NO_GRAD(den = S2(s, BIN_MUL, Sf2(s, BIN_SUB, 1.0, x), x); den = den ? keep(s, op_clamp_bound(den, Sf(s, eps), false)) : NULL);
        SET(2, mean_div(s, S2(s, BIN_DIV, g, den), c->reduction, x));
    }
    END;
}

/* binary_cross_entropy_with_logits_backward / _target_backward (1.13) */
FORMULA(bce_logits_backward) {
    BEGIN;
    const NnLossCtx *c = node->ctx;
    Tensor *x = c ? saved_present(node, 0) : NULL, *t = x ? saved_present(node, 1) : NULL, *w = NULL, *pw = NULL;
    if (!t || !saved_opt(node, 2, &w) || !saved_opt(node, 3, &pw)) ok = false;
    if (ok && need(node, 0)) {
        Tensor *g;
        if (pw) {
            /* t = pos_weight.mul(target); t.add(1).sub_(target).mul_(input.sigmoid()).sub_(t).mul_(grad) */
            Tensor *pt = S2(s, BIN_MUL, pw, t);
            g = S2(s, BIN_MUL, S2(s, BIN_SUB, S2(s, BIN_MUL, S2(s, BIN_SUB, S2f(s, BIN_ADD, pt, 1.0), t),
                                                  S1(s, UN_SIGMOID, x)),
                                      pt),
                   grad);
        } else {
            g = S2(s, BIN_MUL, S2(s, BIN_SUB, S1(s, UN_SIGMOID, x), t), grad);
        }
        if (w) g = S2(s, BIN_MUL, g, w);
        SET(0, mean_div(s, g, c->reduction, x));
    }
    if (ok && need(node, 1)) {
        Tensor *g;
        if (pw) {
            /* log_sigmoid(-self) - log_sigmoid(self) * pos_weight, log_sigmoid(z) = -softplus(-z) */
            NnActCtx ls = {NN_LOGSIGMOID, {0, 0, 0}, false};
            Tensor *nx = S1(s, UN_NEG, x);
            Tensor *a = nx ? keep(s, op_nn_act(&ls, NODE_LogSigmoidBackward0, nx)) : NULL;
            Tensor *b = keep(s, op_nn_act(&ls, NODE_LogSigmoidBackward0, x));
            g = S2(s, BIN_SUB, a, S2(s, BIN_MUL, b, pw));
        } else {
            g = S1(s, UN_NEG, x);
        }
        g = S2(s, BIN_MUL, g, grad);
        if (w) g = S2(s, BIN_MUL, g, w);
        SET(1, mean_div(s, g, c->reduction, t));
    }
    END;
}

/* ------------------------------------------------------------------ pad */

/* constant_pad_nd_backward: constant_pad_nd(grad, -pad) */
FORMULA(pad_backward) {
    BEGIN;
    OpCtx *c = ctx_of(node);
    if (!c) ok = false;
    if (ok) {
        int64_t neg[TSR_MAX_DIMS * 2 + 4];
        for (int i = 0; i < c->nargs; i++) neg[i] = -c->args[i];
        SET(0, keep(s, op_nn_constant_pad(grad, c->nargs, neg, 0.0)));
    }
    END;
}

/* reflection_padNd_backward / replication_padNd_backward: the adjoint of
 * the padding's gather (op_nn_pad_mode_backward), recording nothing */
static bool pad_mode_backward(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs, int mode) {
    BEGIN;
    OpCtx *c = ctx_of(node);
    if (!c) ok = false;
    if (ok) SET(0, keep(s, op_nn_pad_mode_backward(grad, mode, c)));
    END;
}

FORMULA(reflection_pad_backward) { return pad_mode_backward(node, grad_outputs, grad_inputs, 0); }
FORMULA(replication_pad_backward) { return pad_mode_backward(node, grad_outputs, grad_inputs, 1); }

/* ------------------------------------------------ softmax, log_softmax */

/* The softmax dim: OpCtx args[0] when the op recorded one, else the last. */
static int64_t softmax_dim(GradNode *node, const Tensor *r) {
    const OpCtx *c = node->ctx;
    int64_t d = c && c->nargs > 0 ? c->args[0] : -1;
    if (r->ndim == 0) return 0;
    return d < 0 ? d + r->ndim : d;
}

static Tensor *Ssum_dim(Scratch *s, Tensor *t, int64_t dim) {
    if (!t) return NULL;
    return keep(s, t->ndim ? op_sum(t, 1, &dim, true, DT_UNDEFINED)
                           : op_sum(t, 0, NULL, false, DT_UNDEFINED));
}

/* _softmax_backward_data: result * (grad - (grad * result).sum(dim, true));
 * ATen's CPU kernel where it applies */
static Tensor *softmax_bw(Scratch *s, Tensor *grad, Tensor *r, int64_t dim) {
    Tensor *k = grad && r ? op_softmax_backward_vec(grad, r, dim, false) : NULL;
    if (k) return keep(s, k);
    if (tsr_err_occurred()) return NULL;
    return S2(s, BIN_MUL, r, S2(s, BIN_SUB, grad, Ssum_dim(s, S2(s, BIN_MUL, grad, r), dim)));
}

/* _log_softmax_backward_data: grad - exp(result) * grad.sum(dim, true) */
static Tensor *log_softmax_bw(Scratch *s, Tensor *grad, Tensor *r, int64_t dim) {
    Tensor *k = grad && r ? op_softmax_backward_vec(grad, r, dim, true) : NULL;
    if (k) return keep(s, k);
    if (tsr_err_occurred()) return NULL;
    return S2(s, BIN_SUB, grad, S2(s, BIN_MUL, S1(s, UN_EXP, r), Ssum_dim(s, grad, dim)));
}

FORMULA(softmax_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, fused_backward(s, NODE_SoftmaxBackwardDataBackward0, softmax_bw, grad, r, softmax_dim(node, r), true));
    END;
}

FORMULA(log_softmax_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    SET(0, fused_backward(s, NODE_LogSoftmaxBackwardDataBackward0, log_softmax_bw, grad, r,
                 softmax_dim(node, r), true));
    END;
}

/* _softmax_backward_data(grad_output, output): output: softmax_double_backward
 * = grad_output * grad - (output * grad_output).sum(dim, true) * grad
 *   - grad_output * (output * grad).sum(dim, true) */
FORMULA(softmax_backward_data_backward) {
    BEGIN;
    SAVED(go, 0);
    SAVED(r, 1);
    int64_t d = softmax_dim(node, r);
    SET(0, fused_backward(s, NODE_SoftmaxBackwardDataBackward0, softmax_bw, grad, r, d, true));
    if (need(node, 1)) {
        Tensor *t1 = S2(s, BIN_MUL, go, grad);
        Tensor *t2 = S2(s, BIN_MUL, Ssum_dim(s, S2(s, BIN_MUL, r, go), d), grad);
        Tensor *t3 = S2(s, BIN_MUL, go, Ssum_dim(s, S2(s, BIN_MUL, r, grad), d));
        SET(1, S2(s, BIN_SUB, S2(s, BIN_SUB, t1, t2), t3));
    }
    END;
}

/* _log_softmax_backward_data(grad_output, output):
 *   grad_output: grad - (grad * output.exp()).sum(dim, true)
 *   output: -grad_output.sum(dim, true) * output.exp() * grad */
FORMULA(log_softmax_backward_data_backward) {
    BEGIN;
    SAVED(go, 0);
    SAVED(r, 1);
    int64_t d = softmax_dim(node, r);
    Tensor *e = S1(s, UN_EXP, r);
    SET(0, S2(s, BIN_SUB, grad, Ssum_dim(s, S2(s, BIN_MUL, grad, e), d)));
    SET(1, S2(s, BIN_MUL, S2(s, BIN_MUL, S1(s, UN_NEG, Ssum_dim(s, go, d)), e), grad));
    END;
}
