/* autograd_formulas_more.c: backward formulas for the nodes recorded by
 * ops_more.c (PyTorch 1.13's derivatives.yaml and FunctionsManual.cpp).
 * What each node saves is listed at the top of ops_more.c. */
#include <math.h>
#include <string.h>

#include "formula.h"
#include "error.h"
#include "ops.h"

#define BEGIN                   \
    Scratch sc = {0}, *s = &sc; \
    bool ok = true;             \
    (void)s
#define SET(i, expr) \
    if (ok && need(node, i)) ok = set_grad(node, i, grad_inputs, (expr))
#define END          \
    scratch_free(s); \
    return ok

static Tensor *saved_t(GradNode *node, int i) {
    if (i >= node->n_saved) {
        tsr_raise(ERR_RuntimeError, "%s: the forward op did not save tensor %d", node->name, i);
        return NULL;
    }
    return ag_saved(node, i);
}

/* sum_backward: g with the reduced dims back (unless keepdim), expanded
 * to shape. nd 0 = every dim. */
static Tensor *sum_back(Scratch *s, Tensor *g, int ndim, const int64_t *shape, int nd, const int64_t *dims,
                        bool keepdim) {
    if (!g) return NULL;
    if (!keepdim && ndim > 0 && nd > 0) {
        bool red[TSR_MAX_DIMS] = {false};
        for (int i = 0; i < nd; i++) red[dims[i]] = true;
        for (int d = 0; d < ndim && g; d++)
            if (red[d]) g = Sunsqueeze(s, g, d);
    }
    return g ? keep(s, op_expand(g, ndim, shape)) : NULL;
}

/* SgnBackward0 (real inputs), RoundBackward1: zeros */
FORMULA(zeros_backward) {
    if (!grad_outputs[0]) return true;
    BEGIN;
    SET(0, Szeros_like(s, grad_outputs[0]));
    END;
}

/* nansum_backward: sum_backward(grad, ...) * self.isnan().logical_not() */
FORMULA(nansum_backward) {
    if (!grad_outputs[0]) return true;
    BEGIN;
    OpCtx *c = ctx_of(node);
    Tensor *x = c ? saved_t(node, 0) : NULL;
    if (!x) ok = false;
    if (ok) {
        Tensor *g = grad_outputs[0];
        if (g->dtype != x->dtype) g = keep(s, op_to_dtype(g, x->dtype));
        g = sum_back(s, g, x->ndim, x->shape, c->nargs - 1, c->args + 1, c->args[0] != 0);
        Tensor *mask = NULL;
        NO_GRAD(mask = S1(s, UN_LOGICAL_NOT, S1(s, UN_ISNAN, x)));
        SET(0, S2(s, BIN_MUL, g, mask));
    }
    END;
}

/* cummaxmin_backward: zeros(self).scatter_add(dim, indices, grad) */
FORMULA(cummaxmin_backward) {
    Tensor *grad = grad_outputs[0];
    if (!grad) return true;
    BEGIN;
    OpCtx *c = ctx_of(node);
    Tensor *ix = c ? saved_t(node, 0) : NULL;
    if (!ix) ok = false;
    if (ok) {
        if (c->ndim == 0) {
            SET(0, grad);
        } else {
            Tensor *z = Szeros(s, grad->dtype, c->ndim, c->sizes, grad->storage->device);
            Tensor *g = tensor_numel(grad) == 0 ? z
                        : z ? keep(s, op_scatter(z, c->args[0], ix, grad, 0, true, false)) : NULL;
            SET(0, g);
        }
    }
    END;
}

/* self: grad.conj() * other; other: grad * self */
FORMULA(vdot_backward) {
    Tensor *grad = grad_outputs[0];
    if (!grad) return true;
    BEGIN;
    Tensor *x = saved_t(node, 0), *y = x ? saved_t(node, 1) : NULL;
    if (!y) ok = false;
    SET(0, S2(s, BIN_MUL, grad, y));
    SET(1, S2(s, BIN_MUL, grad, x));
    END;
}

/* addcmul: self: grad; tensor1: grad * (tensor2 * value); tensor2: grad * (tensor1 * value)
 * addcdiv: tensor1: grad * (value / tensor2);
 *          tensor2: -grad * (value * tensor1 / (tensor2 * tensor2)) */
FORMULA(addc_backward) {
    Tensor *grad = grad_outputs[0];
    if (!grad) return true;
    BEGIN;
    const AlphaCtx *c = node->ctx;
    double v = c ? c->alpha : 1.0;
    bool div = !strcmp(node->name, "AddcdivBackward0");
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

/* var_backward (1.13): dim None: dof = numel - correction,
 * dof <= 0 ? grad * where(self == mean, nan, inf) : (2 / dof) * grad * (self - self.mean());
 * with dims: (2 / dof) * unsqueezed grad * (self - self.mean(dims, true)). */
static Tensor *var_back(Scratch *s, const OpCtx *c, Tensor *g, Tensor *x) {
    if (!g) return NULL;
    int64_t correction = c->args[0];
    bool keepdim = c->args[1] != 0, has_dim = c->args[2] != 0;
    int nd = c->nargs - 3;
    const int64_t *dims = c->args + 3;
    if (x->ndim == 0 || !has_dim) {
        int64_t dof = tensor_numel(x) - correction;
        Tensor *m = keep(s, op_mean(x, 0, NULL, false, DT_UNDEFINED));
        if (dof <= 0) {
            Tensor *eq = NULL;
            NO_GRAD(eq = S2(s, BIN_EQ, x, m));
            return S2(s, BIN_MUL, g, Swhere(s, eq, Sf(s, NAN), Sf(s, INFINITY)));
        }
        return S2(s, BIN_MUL, S2(s, BIN_MUL, Sf(s, 2.0 / (double)dof), g), S2(s, BIN_SUB, x, m));
    }
    if (!keepdim && x->ndim > 1) {
        bool red[TSR_MAX_DIMS] = {false};
        for (int i = 0; i < nd; i++) red[dims[i]] = true;
        for (int d = 0; d < x->ndim && g; d++)
            if (red[d]) g = Sunsqueeze(s, g, d);
    }
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= x->shape[dims[i]];
    Tensor *m = keep(s, op_mean(x, nd, dims, true, DT_UNDEFINED));
    return S2(s, BIN_MUL, S2(s, BIN_MUL, Sf(s, 2.0 / (double)(n - correction)), g), S2(s, BIN_SUB, x, m));
}

/* var_mean_backward / std_mean_backward: the var (std) part plus
 * mean_backward(gmean) = sum_backward(gmean) / n */
FORMULA(var_mean_backward) {
    Tensor *gv = grad_outputs[0], *gm = grad_outputs[1];
    if ((!gv && !gm) || !need(node, 0)) return true;
    BEGIN;
    bool is_std = !strcmp(node->name, "StdMeanBackward0");
    OpCtx *c = ctx_of(node);
    Tensor *x = c ? saved_t(node, 0) : NULL;
    if (!x) ok = false;
    Tensor *gself = NULL;
    if (ok && gv) {
        if (is_std) {
            SAVED_RESULT(r, 1);
            Tensor *q = S2(s, BIN_DIV, gv, S2f(s, BIN_MUL, r, 2.0));
            Tensor *zero = NULL;
            NO_GRAD(zero = S2f(s, BIN_EQ, r, 0.0));
            gv = q ? keep(s, op_masked_fill(q, zero, Sf(s, 0.0))) : NULL;
        }
        gself = var_back(s, c, gv, x);
        if (!gself) ok = false;
    }
    if (ok && gm) {
        int nd = c->args[2] ? c->nargs - 3 : 0;
        int64_t n = 1;
        if (nd == 0 || nd == x->ndim) n = tensor_numel(x);
        else
            for (int i = 0; i < nd; i++) n *= x->shape[c->args[3 + i]];
        Tensor *aux = S2f(s, BIN_DIV, sum_back(s, gm, x->ndim, x->shape, nd, c->args + 3, c->args[1] != 0),
                          (double)n);
        gself = gself ? S2(s, BIN_ADD, gself, aux) : aux;
        if (!gself) ok = false;
    }
    if (ok && gself) ok = set_grad(node, 0, grad_inputs, gself);
    END;
}

/* self: linalg_cross(other, grad, dim); other: linalg_cross(grad, self, dim) */
FORMULA(cross_backward) {
    Tensor *grad = grad_outputs[0];
    if (!grad) return true;
    BEGIN;
    OpCtx *c = ctx_of(node);
    Tensor *x = c ? saved_t(node, 0) : NULL, *y = x ? saved_t(node, 1) : NULL;
    if (!y) ok = false;
    int64_t d = ok ? c->args[0] : 0;
    SET(0, keep(s, op_cross(y, grad, true, d)));
    SET(1, keep(s, op_cross(grad, x, true, d)));
    END;
}

const BackwardDef ag_formulas_more[] = {
    {"SgnBackward0", zeros_backward},
    {"RoundBackward1", zeros_backward},
    {"NansumBackward0", nansum_backward},
    {"CummaxBackward0", cummaxmin_backward},
    {"CumminBackward0", cummaxmin_backward},
    {"VdotBackward0", vdot_backward},
    {"AddcmulBackward0", addc_backward},
    {"AddcdivBackward0", addc_backward},
    {"VarMeanBackward0", var_mean_backward},
    {"StdMeanBackward0", var_mean_backward},
    {"LinalgCrossBackward0", cross_backward},
    {NULL, NULL},
};
