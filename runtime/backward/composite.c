/* autograd_formulas_composite.c: backward formulas for the nodes recorded
 * by ops_composite.c and for AsStridedBackward0 (a view rewritten by an
 * index assignment, ops_index.c); PyTorch 1.13's derivatives.yaml and
 * FunctionsManual.cpp. What each node saves is listed at the top of
 * ops_composite.c. Formulas use the op layer so create_graph works; the
 * scatter of a gradient to flat positions is a raw loop that records its
 * own node (PyTorch's backward-of-backward name) when the gradient needs
 * grad. */
#include <math.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* t.masked_fill(mask, 0) */
static Tensor *saved(GradNode *node, int i) {
    if (i >= node->n_saved) {
        tsr_raise(ERR_RuntimeError, "%s: the forward op did not save tensor %d", node->name, i);
        return NULL;
    }
    return ag_saved(node, i);
}

/* g with the reduced dims (wrapped against ndim) back as size-1 dims,
 * unless keepdim. */
static Tensor *restore_dims(Scratch *s, Tensor *g, int ndim, int nd, const int64_t *dims, bool keepdim) {
    if (!g || keepdim || ndim == 0) return g;
    bool red[TSR_MAX_DIMS] = {false};
    for (int i = 0; i < nd; i++) {
        int w = wrap_dim(dims[i], ndim);
        if (w < 0) return NULL;
        red[w] = true;
    }
    for (int d = 0; d < ndim && g; d++)
        if (red[d]) g = keep(s, op_unsqueeze(g, d));
    return g;
}

#define BEGIN                                   \
    Tensor *grad = go[0];                       \
    if (!grad) return true;                     \
    Scratch sc = {0}, *s = &sc;                 \
    bool ok = true;                             \
    (void)s
#define SET(i, expr) \
    if (ok && need(node, i)) ok = set_grad(node, i, gi, (expr))
#define END              \
    scratch_free(s);     \
    return ok

/* ------------------------------------------------------------ logsumexp */

/* self: grad * (self - result).exp(), both unsqueezed to self's dims */
static bool logsumexp_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    BEGIN;
    OpCtx *c = ctx_of(node);
    Tensor *x = c ? saved(node, 0) : NULL, *r = x ? saved(node, 1) : NULL;
    if (!r) ok = false;
    if (ok) {
        int nd = c->nargs - 1;
        bool kd = c->args[nd] != 0;
        Tensor *g = restore_dims(s, grad, x->ndim, nd, c->args, kd);
        Tensor *ru = restore_dims(s, r, x->ndim, nd, c->args, kd);
        SET(0, S2(s, BIN_MUL, g, S1(s, UN_EXP, S2(s, BIN_SUB, x, ru))));
    }
    END;
}

/* ----------------------------------------------------------------- lerp */

static bool lerp_backward0(GradNode *node, Tensor *const *go, Tensor **gi) {
    BEGIN;
    const AlphaCtx *c = node->ctx;
    double w = c ? c->alpha : 0.5;
    SET(0, S2(s, BIN_MUL, grad, Sf(s, 1.0 - w)));
    SET(1, S2(s, BIN_MUL, grad, Sf(s, w)));
    END;
}

static bool lerp_backward1(GradNode *node, Tensor *const *go, Tensor **gi) {
    BEGIN;
    Tensor *x = saved(node, 0), *e = x ? saved(node, 1) : NULL, *w = e ? saved(node, 2) : NULL;
    if (!w) ok = false;
    SET(0, S2(s, BIN_MUL, grad, S2(s, BIN_SUB, Sf(s, 1.0), w)));
    SET(1, S2(s, BIN_MUL, grad, w));
    SET(2, S2(s, BIN_MUL, grad, S2(s, BIN_SUB, e, x)));
    END;
}

/* ------------------------------------------------ scatter to positions */

/* zeros(shape).index_put_(positions, g, accumulate=True) over flat
 * row-major positions; records `name` (input g, saved pos) when g needs
 * grad, whose backward gathers back (gather_back_backward). */
/* copy: positions are distinct and each is written (not added), so a -0.
 * gradient stays -0. as PyTorch's as_strided_backward copies it. */
static Tensor *scatter_positions(Tensor *g, Tensor *pos, int nd, const int64_t *shape, const char *name,
                                 bool copy) {
    Tensor *out = tensor_zeros(g->dtype, nd, shape, g->storage->device);
    Tensor *gc = out ? tensor_contiguous(g) : NULL, *pc = gc ? tensor_contiguous(pos) : NULL;
    if (!pc) goto fail;
    int64_t n = tensor_numel(pc), numel = tensor_numel(out), es = (int64_t)dtype_size(g->dtype);
    if (tensor_numel(gc) != n) {
        tsr_raise(ERR_RuntimeError, "%s", "scatter backward: gradient and positions differ in size");
        goto fail;
    }
    const int64_t *p = (const int64_t *)tensor_data(pc);
    char *o = tensor_data(out);
    const char *src = tensor_data(gc);
    for (int64_t k = 0; k < n; k++) {
        if (p[k] < 0 || p[k] >= numel) {
            tsr_raise(ERR_RuntimeError, "%s", "scatter backward: position out of range");
            goto fail;
        }
        char *dst = o + p[k] * es;
        if (copy)
            memcpy(dst, src + k * es, (size_t)es);
        else
            dtype_store_f64(g->dtype, dst, dtype_load_f64(g->dtype, dst) + dtype_load_f64(g->dtype, src + k * es));
    }
    tensor_release(gc);
    tensor_release(pc);
    if (ag_any_requires_grad(&g, 1)) {
        GradNode *node = ag_record(out, name, &g, 1);
        if (!node || !ag_save(node, pos)) {
            tensor_release(out);
            return NULL;
        }
    }
    return out;
fail:
    tensor_release(out);
    tensor_release(gc);
    tensor_release(pc);
    return NULL;
}

static const char *double_backward_name(const char *name) {
    if (!strcmp(name, "TakeBackward0")) return "PutBackward0";
    if (!strcmp(name, "IndexSelectBackward0")) return "IndexAddBackward0";
    if (!strcmp(name, "MaskedSelectBackward0")) return "MaskedScatterBackward0";
    return "AsStridedScatterBackward0";
}

/* Take/IndexSelect/MaskedSelect/AsStridedBackward0: the gradient scattered
 * (accumulating) to the saved positions of the input (or, with ctx args,
 * of that shape, then summed to the input's shape). */
static bool positions_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    BEGIN;
    Tensor *pos = need(node, 0) ? saved(node, 0) : NULL;
    if (need(node, 0) && !pos) ok = false;
    if (ok && need(node, 0)) {
        const OpCtx *c = node->ctx;
        GradEdge *e = &node->next[0];
        bool own = c && c->nargs > 0;
        Tensor *r = keep(s, scatter_positions(grad, pos, own ? c->nargs : e->ndim, own ? c->args : e->shape,
                                              double_backward_name(node->name), false));
        SET(0, r);
    }
    END;
}

/* Distinct positions (a non-overlapping view)? */
static bool positions_distinct(Tensor *pos, int64_t numel) {
    bool *seen = tsr_calloc((size_t)numel + 1, 1);
    if (!seen) return false;
    const int64_t *p = (const int64_t *)tensor_data(pos);
    bool ok = true;
    for (int64_t k = 0, n = tensor_numel(pos); k < n && ok; k++) {
        if (p[k] < 0 || p[k] >= numel || seen[p[k]]) ok = false;
        else seen[p[k]] = true;
    }
    free(seen);
    return ok;
}

static int64_t geom_numel(int nd, const int64_t *shape) {
    int64_t n = 1;
    for (int d = 0; d < nd; d++) n *= shape[d];
    return n;
}

/* AsStridedBackward0 regenerated for a view whose base changed (autograd.c:
 * ctx an AgViewGeom, nothing saved): the gradient written into zeros of
 * the base's shape at the view's positions. Nodes recorded by index
 * assignment (ops_index.c) saved the positions instead. */
static bool as_strided_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (node->n_saved > 0 || !node->ctx) return positions_backward(node, go, gi);
    BEGIN;
    if (need(node, 0)) {
        const AgViewGeom *g = node->ctx;
        Tensor *pos = keep(s, ag_view_positions(g));
        bool copy = pos && positions_distinct(pos, geom_numel(g->bndim, g->bsizes));
        SET(0, pos ? keep(s, scatter_positions(grad, pos, g->bndim, g->bsizes, "AsStridedScatterBackward0", copy))
                   : NULL);
    }
    END;
}

/* CopySlices of an in-place op on a view (autograd.c's ag_rebase_view),
 * PyTorch's CopySlices::apply: the view's node runs on the written region
 * of the gradient; the base's old history gets the gradient with that
 * region replaced (copied, not added) by the node's gradient for the
 * view's old value; the node's other inputs get theirs. */
bool ag_copy_slices_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    BEGIN;
    GradNode *fn = node->view_fn;
    const AgViewGeom *g = node->ctx;
    BackwardFn f = ag_formula_lookup(fn->name);
    if (!f) {
        tsr_raise(ERR_RuntimeError, "tsr: no backward formula for %s yet", fn->name);
        ok = false;
    }
    Tensor **res = ok ? tsr_calloc((size_t)fn->n_next + 1, sizeof *res) : NULL;
    Tensor *pos = res ? keep(s, ag_view_positions(g)) : NULL;
    int64_t m1 = -1;
    Tensor *flat = pos ? keep(s, op_reshape(grad, 1, &m1)) : NULL;
    TensorIndex ti = {.kind = IDX_TENSOR, .tensor = pos};
    Tensor *region = flat ? keep(s, op_index(flat, &ti, 1)) : NULL;
    ok = region && f(fn, &region, res);
    for (int i = 0; ok && i < fn->n_next; i++) {
        if (!res[i] || !fn->next[i].node) continue;
        GradEdge *e = &fn->next[i];
        Tensor *r = keep(s, ag_sum_to(res[i], e->ndim, e->shape));
        if (r && r->dtype != e->dtype) r = keep(s, op_to_dtype(r, e->dtype));
        tensor_release(res[i]);
        res[i] = r ? tensor_retain(r) : NULL;
        if (!r) ok = false;
        else if (i > 0) SET(i, r);
    }
    if (ok && need(node, 0)) {
        Tensor *mask = NULL;
        NO_GRAD(mask = keep(s, tensor_zeros(DT_BOOL, g->bndim, g->bsizes, grad->storage->device)));
        if (mask) {
            const int64_t *p = (const int64_t *)tensor_data(pos);
            bool *m = (bool *)tensor_data(mask);
            for (int64_t k = 0, n = tensor_numel(pos); k < n; k++) m[p[k]] = true;
        }
        Tensor *r0 = fn->n_next > 0 && fn->next[0].node ? res[0] : NULL;
        Tensor *sc = !mask ? NULL
                     : r0  ? keep(s, scatter_positions(r0, pos, g->bndim, g->bsizes, "AsStridedScatterBackward0", true))
                           : Sf(s, 0.0);
        SET(0, Swhere(s, mask, sc, grad));
    }
    for (int i = 0; res && i < fn->n_next; i++) tensor_release(res[i]);
    free(res);
    END;
}

/* The backward of a scatter: the gradient gathered at the positions. */
static bool gather_back_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    BEGIN;
    Tensor *pos = need(node, 0) ? saved(node, 0) : NULL;
    if (need(node, 0)) {
        int64_t m1 = -1;
        Tensor *flat = pos ? keep(s, op_reshape(grad, 1, &m1)) : NULL;
        TensorIndex ti = {.kind = IDX_TENSOR, .tensor = pos};
        SET(0, flat ? keep(s, op_index(flat, &ti, 1)) : NULL);
    }
    END;
}

/* -------------------------------------------------- clamp_min/clamp_max */

static bool clamp_bound_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    BEGIN;
    bool is_max = node->name[5] == 'M' && node->name[6] == 'a';
    Tensor *x = saved(node, 0), *b = x ? saved(node, 1) : NULL;
    if (!b) ok = false;
    SET(0, Swhere(s, S2(s, is_max ? BIN_LE : BIN_GE, x, b), grad, Sf(s, 0.0)));
    SET(1, Swhere(s, S2(s, is_max ? BIN_GT : BIN_LT, x, b), grad, Sf(s, 0.0)));
    END;
}

/* ------------------------------------------------- zero gradients, fill */

/* DivBackward2 (rounding mode), ZeroBackward0, FillBackward2: zeros;
 * FillBackward3's value: grad.sum() */
static bool zeros_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    BEGIN;
    SET(0, Szeros_like(s, grad));
    if (!strcmp(node->name, "FillBackward3")) {
        SET(1, keep(s, op_sum(grad, 0, NULL, false, DT_UNDEFINED)));
    } else {
        SET(1, Szeros_like(s, grad));
    }
    END;
}

const BackwardDef ag_formulas_composite[] = {
    {"LogsumexpBackward0", logsumexp_backward},
    {"LerpBackward0", lerp_backward0},
    {"LerpBackward1", lerp_backward1},
    {"TakeBackward0", positions_backward},
    {"IndexSelectBackward0", positions_backward},
    {"MaskedSelectBackward0", positions_backward},
    {"AsStridedBackward0", as_strided_backward},
    {"PutBackward0", gather_back_backward},
    {"IndexAddBackward0", gather_back_backward},
    {"MaskedScatterBackward0", gather_back_backward},
    {"AsStridedScatterBackward0", gather_back_backward},
    {"ClampMinBackward0", clamp_bound_backward},
    {"ClampMinBackward1", clamp_bound_backward},
    {"ClampMaxBackward0", clamp_bound_backward},
    {"ClampMaxBackward1", clamp_bound_backward},
    {"DivBackward2", zeros_backward},
    {"ZeroBackward0", zeros_backward},
    {"FillBackward2", zeros_backward},
    {"FillBackward3", zeros_backward},
    {NULL, NULL},
};
