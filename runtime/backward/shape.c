/* shape.c: backward formulas for the view and shape nodes: view/reshape,
 * transpose/permute, squeeze/unsqueeze, expand, select/slice, cat/stack,
 * split/unbind, flip, repeat, roll, diagonal (PyTorch 1.13's
 * tools/autograd/derivatives.yaml and FunctionsManual.cpp).
 *
 * Formulas use the op layer so that, run with grad mode on
 * (create_graph=True), they record a differentiable graph. Geometry comes
 * from the node's OpCtx (ops.h) and its edge metadata. Formulas computed
 * with grad mode off record PyTorch's backward-of-backward node
 * (SelectBackwardBackward0, ...) so create_graph graphs keep its names. */

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* -------------------------------------------------- views and reshapes */

/* View/ReshapeAlias/UnsafeView/Squeeze*: grad.reshape(self.sizes()) */
bool reshape_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    GradEdge *e = &node->next[0];
    Tensor *r = op_reshape(go[0], e->ndim, e->shape);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

bool transpose_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = c->ndim < 2 ? tensor_retain(go[0]) : op_transpose(go[0], c->args[0], c->args[1]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

bool t_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    Tensor *r = op_t(go[0]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

bool permute_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    int64_t inv[TSR_MAX_DIMS];
    for (int i = 0; i < c->nargs; i++) inv[c->args[i]] = i;
    Tensor *r = op_permute(go[0], c->nargs, inv);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

/* squeeze: unsqueeze_to(grad, self.sizes()) (every size-1 dim of self),
 * squeeze.dim: unsqueeze_to(grad, dim, self.sizes()) */
bool squeeze_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    GradEdge *e = &node->next[0];
    bool one_dim = node->kind == NODE_SqueezeBackward1;
    OpCtx *c = one_dim ? ctx_of(node) : NULL;
    if (one_dim && !c) return false;
    Scratch s = {0};
    Tensor *g = go[0];
    for (int d = 0; d < e->ndim && g; d++) {
        if (one_dim && d != c->args[0]) continue;
        if (e->shape[d] == 1) g = Sunsqueeze(&s, g, d);
    }
    bool ok = g && set_grad(node, 0, gi, g);
    scratch_free(&s);
    return ok;
}

bool unsqueeze_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = op_squeeze(go[0], 1, &c->args[0]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

/* Expand: at::sum_to(grad, self.sizes()) (set_grad does it). */
bool expand_backward(GradNode *node, Tensor *const *go, Tensor **gi) { return identity_backward(node, go, gi); }

/* Records a node of kind `kind` (a backward-of-backward node, with OpCtx
 * args) on r computed from g with grad mode off, when create_graph needs
 * it. */
static bool record_on(Tensor *r, Tensor *g, GradNodeKind kind, int nargs, const int64_t *args) {
    if (!r || !ag_any_requires_grad(&g, 1)) return r != NULL;
    GradNode *n = ag_record(r, kind, &g, 1);
    return n && op_set_ctx(n, g, nargs, args);
}

/* zeros(shape) with grad written into the region idx (grad mode off). */
static Tensor *embed(Scratch *s, Tensor *g, const GradEdge *e, const TensorIndex *idx, int n) {
    Tensor *z = Szeros(s, g->dtype, e->ndim, e->shape, e->device);
    bool ok = false;
    if (z) NO_GRAD(ok = op_index_put_(z, idx, n, g));
    return ok ? z : NULL;
}

static void full_slices(TensorIndex *idx, int n) {
    memset(idx, 0, sizeof(TensorIndex) * (size_t)n);
    for (int i = 0; i < n; i++) {
        idx[i].kind = IDX_SLICE;
        idx[i].step = 1;
    }
}

/* select_backward: zeros(sizes).select(dim, index).copy_(grad) */
bool select_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    int d = (int)c->args[0];
    TensorIndex idx[TSR_MAX_DIMS];
    full_slices(idx, d + 1);
    idx[d].kind = IDX_INT;
    idx[d].i = c->args[1];
    Tensor *r = embed(&s, go[0], &node->next[0], idx, d + 1);
    bool ok = record_on(r, go[0], NODE_SelectBackwardBackward0, 2, c->args) && set_grad(node, 0, gi, r);
    scratch_free(&s);
    return ok;
}

/* slice_backward: zeros(sizes).slice(dim, start, end, step).copy_(grad) */
bool slice_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    int d = (int)c->args[0];
    TensorIndex idx[TSR_MAX_DIMS];
    full_slices(idx, d + 1);
    idx[d].has_start = idx[d].has_stop = true;
    idx[d].start = c->args[1];
    idx[d].stop = c->args[2];
    idx[d].step = c->args[3];
    Tensor *r = embed(&s, go[0], &node->next[0], idx, d + 1);
    bool ok = record_on(r, go[0], NODE_SliceBackwardBackward0, 4, c->args) && set_grad(node, 0, gi, r);
    scratch_free(&s);
    return ok;
}

bool select_backward_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = op_select(go[0], c->args[0], c->args[1]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

bool slice_backward_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = op_slice(go[0], c->args[0], c->args[1], c->args[2], c->args[3]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

/* cat_tensors_backward: each input's slice of grad along dim. node->ctx is
 * int64 [dim, n, size_0..size_{n-1}] (ops/shape.c). */
bool cat_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0]) return true;
    const int64_t *c = node->ctx;
    if (!c) return ctx_of(node) != NULL;
    int64_t d = c[0], n = c[1], off = 0;
    for (int i = 0; i < n && i < node->n_next; i++) {
        int64_t size = c[2 + i];
        GradEdge *e = &node->next[i];
        if (need(node, i)) {
            Tensor *r;
            if (e->ndim == 1 && e->shape[0] == 0 && size == 0) /* skipped legacy empty input */
                r = tensor_zeros(go[0]->dtype, e->ndim, e->shape, e->device);
            else
                r = op_slice(go[0], d, off, off + size, 1);
            bool ok = set_grad(node, i, gi, r);
            tensor_release(r);
            if (!ok) return false;
        }
        off += size;
    }
    return true;
}

/* stack_tensors_backward: grad.select(dim, i) for each input */
bool stack_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0]) return true;
    const int64_t *c = node->ctx;
    if (!c) return ctx_of(node) != NULL;
    for (int i = 0; i < c[1] && i < node->n_next; i++) {
        if (!need(node, i)) continue;
        Tensor *r = op_select(go[0], c[0], i);
        bool ok = set_grad(node, i, gi, r);
        tensor_release(r);
        if (!ok) return false;
    }
    return true;
}

/* The first defined grad of a multi-output node (for dtype). */
static Tensor *first_grad(GradNode *node, Tensor *const *go) {
    for (int i = 0; i < node->n_outputs; i++)
        if (go[i]) return go[i];
    return NULL;
}

/* split_backward / split_with_sizes_backward: the pieces (zeros for the
 * undefined ones) concatenated along dim. ctx args: dim, sizes... */
bool split_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    Tensor *g0 = first_grad(node, go);
    if (!g0 || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    GradEdge *e = &node->next[0];
    int d = (int)c->args[0], n = node->n_outputs;
    bool is_split = node->kind == NODE_SplitBackward0 || node->kind == NODE_UnsafeSplitBackward0;
    Tensor **pieces = tsr_calloc((size_t)n, sizeof *pieces);
    if (!pieces) return false;
    Scratch s = {0};
    bool ok = false;
    int64_t total = e->shape[d];
    for (int i = 0; i < n; i++) {
        if (go[i]) {
            pieces[i] = go[i];
            continue;
        }
        int64_t sz[TSR_MAX_DIMS];
        memcpy(sz, e->shape, sizeof(int64_t) * (size_t)e->ndim);
        if (1 + i < c->nargs) {
            sz[d] = c->args[1 + i];
        } else if (is_split) {
            int64_t split = c->args[1], rest = total - (int64_t)i * split;
            sz[d] = rest < split ? rest : split;
        } else {
            tsr_raise(ERR_RuntimeError, "%s: too many outputs for the saved sizes", ag_node_name(node));
            goto done;
        }
        pieces[i] = Szeros(&s, g0->dtype, e->ndim, sz, e->device);
        if (!pieces[i]) goto done;
    }
    ok = set_grad(node, 0, gi, keep(&s, op_cat(pieces, n, d)));
done:
    free(pieces);
    scratch_free(&s);
    return ok;
}

/* unbind_backward: stack of the grads (zeros for undefined ones). */
bool unbind_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    Tensor *g0 = first_grad(node, go);
    if (!g0 || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    int n = node->n_outputs;
    Tensor **pieces = tsr_calloc((size_t)n, sizeof *pieces);
    if (!pieces) return false;
    Scratch s = {0};
    bool ok = false;
    for (int i = 0; i < n; i++) {
        pieces[i] = go[i] ? go[i] : Szeros(&s, g0->dtype, g0->ndim, g0->shape, g0->storage->device);
        if (!pieces[i]) goto done;
    }
    ok = set_grad(node, 0, gi, keep(&s, op_stack(pieces, n, c->args[0])));
done:
    free(pieces);
    scratch_free(&s);
    return ok;
}

bool flip_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = op_flip(go[0], c->nargs, c->args);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

/* rot90_backward: grad.rot90(-k, dims); args {k, dim0, dim1} */
bool rot90_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = op_rot90(go[0], -c->args[0], c->args[1], c->args[2]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

/* repeat_backward: for each repeated dim, view it as (repeat, size) and
 * sum the repeat; leading new dims are summed by set_grad. */
bool repeat_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    GradEdge *e = &node->next[0];
    int nd = c->nargs, lead = nd - e->ndim;
    Scratch s = {0};
    Tensor *g = go[0];
    for (int i = 0; i < nd && g; i++) {
        int64_t r = c->args[i];
        if (r == 1) continue;
        int64_t sz[TSR_MAX_DIMS + 1];
        int k = 0;
        for (int j = 0; j < nd; j++) {
            if (j == i) sz[k++] = r;
            sz[k++] = j == i ? (j < lead ? 1 : e->shape[j - lead]) : g->shape[j];
        }
        if (k > TSR_MAX_DIMS) {
            tsr_raise(ERR_RuntimeError, "%s", "repeat backward: too many dimensions");
            g = NULL;
            break;
        }
        g = Sreshape(&s, g, k, sz);
        int64_t dim = i;
        if (g) g = keep(&s, op_sum(g, 1, &dim, false, DT_UNDEFINED));
    }
    bool ok = g && set_grad(node, 0, gi, g);
    scratch_free(&s);
    return ok;
}

/* roll: grad.roll(-shifts, dims); args {n, shifts[n], dims[n]}, a single
 * dim of -1 meaning the flattened roll. */
FORMULA(roll_backward) {
    BEGIN;
    CTX(c);
    int n = (int)c->args[0];
    int64_t shifts[TSR_MAX_DIMS], dims[TSR_MAX_DIMS];
    for (int i = 0; i < n && i < TSR_MAX_DIMS; i++) {
        shifts[i] = -c->args[1 + i];
        dims[i] = c->args[1 + n + i];
    }
    bool flat = n == 1 && dims[0] < 0;
    SET(0, keep(s, op_roll(grad, flat ? 0 : n, shifts, dims)));
    END;
}

/* ------------------------------------------------------------ diagonal */

Tensor *diagonal_embed(Scratch *s, Tensor *grad, const GradEdge *e, int64_t offset, int64_t d1, int64_t d2) {
    Tensor *z = Szeros(s, grad->dtype, e->ndim, e->shape, e->device);
    if (!z) return NULL;
    bool ok = false;
    NO_GRAD({
        Tensor *v = op_diagonal(z, offset, d1, d2);
        ok = v && tensor_copy_(v, grad);
        tensor_release(v);
    });
    if (!ok) return NULL;
    if (ag_any_requires_grad(&grad, 1)) {
        int64_t args[3] = {offset, d1, d2};
        GradNode *n = ag_record(z, NODE_DiagonalBackwardBackward0, &grad, 1);
        if (!n || !op_set_ctx(n, grad, 3, args)) return NULL;
    }
    return z;
}

FORMULA(diagonal_backward) {
    BEGIN;
    CTX(c);
    SET(0, diagonal_embed(s, grad, &node->next[0], c->args[0], c->args[1], c->args[2]));
    END;
}

FORMULA(diagonal_backward_backward) {
    BEGIN;
    CTX(c);
    SET(0, keep(s, op_diagonal(grad, c->args[0], c->args[1], c->args[2])));
    END;
}

/* torch.autograd._functions.Resize.backward: grad.contiguous().view(the
 * input's sizes) */
FORMULA(resize_backward) {
    BEGIN;
    GradEdge *e = &node->next[0];
    Tensor *c = keep(s, op_contiguous(grad));
    SET(0, c ? keep(s, op_view(c, e->ndim, e->shape)) : NULL);
    END;
}
