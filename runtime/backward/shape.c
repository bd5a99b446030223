/* autograd_formulas_shape.c: backward formulas for the view, shape,
 * indexing, reduction and linear-algebra nodes (PyTorch 1.13's
 * tools/autograd/derivatives.yaml and FunctionsManual.cpp).
 *
 * Formulas use the op layer so that, run with grad mode on
 * (create_graph=True), they record a differentiable graph. Geometry comes
 * from the node's OpCtx (ops.h) and its edge metadata; what each op keeps
 * there is documented in ops_shape.c, ops_reduce.c, ops_index.c and
 * ops_linalg.c. Where a formula needs a tensor that its op does not save
 * yet, it accepts it as saved tensor 0 (the input) / 1 (the result) and
 * otherwise raises (see the notes at each formula).
 *
 * The few raw loops work on integer position tensors (constants of the
 * graph), except two: the index scatter-add (no scatter op: it records
 * IndexPutImplBackward0 itself, like PyTorch's index_put_) and prod's
 * exclusive cumulative products when a zero is present (no cumprod op:
 * constants, so a second derivative through them is missing). Formulas
 * computed with grad mode off record PyTorch's backward-of-backward node
 * (SelectBackwardBackward0, ...) so create_graph graphs keep its names. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* A 0-dim zero of dtype dt (not a wrapped number). */
static Tensor *Szero(Scratch *s, DType dt) { return keep(s, tensor_scalar_f64(dt, 0.0)); }

static Tensor *Sreshape(Scratch *s, Tensor *a, int ndim, const int64_t *shape) {
    return a ? keep(s, op_reshape(a, ndim, shape)) : NULL;
}

static Tensor *Sflat(Scratch *s, Tensor *a) {
    int64_t m1 = -1;
    return Sreshape(s, a, 1, &m1);
}

/* Saved tensor i, raising a clear error if the op did not save it. */
static Tensor *saved(GradNode *node, int i, const char *what) {
    if (i >= node->n_saved) {
        tsr_raise(ERR_RuntimeError, "%s: the forward op did not save %s", node->name, what);
        return NULL;
    }
    return ag_saved(node, i);
}

/* Sorted copy of a small dim list. */
static void sort_dims(int n, const int64_t *in, int64_t *out) {
    memcpy(out, in, sizeof(int64_t) * (size_t)n);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
            int64_t t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
}

/* The reduced grad with its reduced dims back (size 1): unsqueezes each
 * reduced dim in ascending order unless keepdim (PyTorch's
 * unsqueeze_multiple / restore_reduced_dims). */
static Tensor *restore_dims(Scratch *s, Tensor *g, int in_ndim, int nd, const int64_t *dims, bool keepdim) {
    if (!g || keepdim || in_ndim == 0) return g;
    int64_t sd[TSR_MAX_DIMS];
    sort_dims(nd, dims, sd);
    for (int i = 0; i < nd && g; i++) g = Sunsqueeze(s, g, sd[i]);
    return g;
}

/* restore_reduced_dims: the reduced grad reshaped with its reduced dims
 * back as size 1 (the input's sizes, c->sizes, with those dims 1). */
static Tensor *restore_reshape(Scratch *s, Tensor *g, const OpCtx *c, int nd, const int64_t *dims, bool keepdim) {
    if (!g || keepdim || c->ndim == 0) return g;
    int64_t sh[TSR_MAX_DIMS];
    memcpy(sh, c->sizes, sizeof(int64_t) * (size_t)c->ndim);
    for (int i = 0; i < nd; i++) sh[dims[i]] = 1;
    return Sreshape(s, g, c->ndim, sh);
}

/* For reductions: the reduced dims (args[0..nargs-2]) and keepdim. */
static int red_dims(const OpCtx *c, int extra, const int64_t **dims, bool *keepdim) {
    int nd = c->nargs - 1 - extra;
    if (nd < 0) nd = 0;
    *dims = c->args;
    *keepdim = c->nargs > nd && c->args[nd] != 0;
    return nd;
}

/* -------------------------------------------------- views and reshapes */

static bool identity_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    return set_grad(node, 0, gi, go[0]);
}

/* View/ReshapeAlias/UnsafeView/Squeeze*: grad.reshape(self.sizes()) */
static bool reshape_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    GradEdge *e = &node->next[0];
    Tensor *r = op_reshape(go[0], e->ndim, e->shape);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

static bool transpose_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = c->ndim < 2 ? tensor_retain(go[0]) : op_transpose(go[0], c->args[0], c->args[1]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

static bool t_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    Tensor *r = op_t(go[0]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

static bool permute_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
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
static bool squeeze_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    GradEdge *e = &node->next[0];
    bool one_dim = !strcmp(node->name, "SqueezeBackward1");
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

static bool unsqueeze_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = op_squeeze(go[0], 1, &c->args[0]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

/* Expand: at::sum_to(grad, self.sizes()) (set_grad does it). */
static bool expand_backward(GradNode *node, Tensor *const *go, Tensor **gi) { return identity_backward(node, go, gi); }

/* Records `name` (a backward-of-backward node, with OpCtx args) on r
 * computed from g with grad mode off, when create_graph needs it. */
static bool record_on(Tensor *r, Tensor *g, const char *name, int nargs, const int64_t *args) {
    if (!r || !ag_any_requires_grad(&g, 1)) return r != NULL;
    GradNode *n = ag_record(r, name, &g, 1);
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
static bool select_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
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
    bool ok = record_on(r, go[0], "SelectBackwardBackward0", 2, c->args) && set_grad(node, 0, gi, r);
    scratch_free(&s);
    return ok;
}

/* slice_backward: zeros(sizes).slice(dim, start, end, step).copy_(grad) */
static bool slice_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
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
    bool ok = record_on(r, go[0], "SliceBackwardBackward0", 4, c->args) && set_grad(node, 0, gi, r);
    scratch_free(&s);
    return ok;
}

/* cat_tensors_backward: each input's slice of grad along dim. node->ctx is
 * int64 [dim, n, size_0..size_{n-1}] (ops_shape.c). */
static bool cat_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
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
static bool stack_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
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
static bool split_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    Tensor *g0 = first_grad(node, go);
    if (!g0 || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    GradEdge *e = &node->next[0];
    int d = (int)c->args[0], n = node->n_outputs;
    bool is_split = strcmp(node->name, "SplitBackward0") == 0;
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
            tsr_raise(ERR_RuntimeError, "%s: too many outputs for the saved sizes", node->name);
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
static bool unbind_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
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

static bool flip_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = op_flip(go[0], c->nargs, c->args);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

/* repeat_backward: for each repeated dim, view it as (repeat, size) and
 * sum the repeat; leading new dims are summed by set_grad. */
static bool repeat_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
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

/* ------------------------------------------------------------ indexing */

/* dst[pos[k]] += src[k] over flat positions (index_put_ with accumulate
 * on zeros). Raw loop: records nothing. */
static Tensor *scatter_add_raw(Tensor *g, Tensor *pos, const GradEdge *e) {
    Tensor *out = tensor_zeros(g->dtype, e->ndim, e->shape, e->device);
    Tensor *gc = tensor_contiguous(g), *pc = tensor_contiguous(pos);
    if (!out || !gc || !pc) goto fail;
    int64_t n = tensor_numel(pc), numel = tensor_numel(out), es = (int64_t)dtype_size(g->dtype);
    const int64_t *p = (const int64_t *)tensor_data(pc);
    char *o = tensor_data(out);
    const char *src = tensor_data(gc);
    for (int64_t k = 0; k < n; k++) {
        if (p[k] < 0 || p[k] >= numel) {
            tsr_raise(ERR_RuntimeError, "%s", "index backward: position out of range");
            goto fail;
        }
        char *dst = o + p[k] * es;
        if (dtype_is_float(g->dtype))
            dtype_store_f64(g->dtype, dst, dtype_load_f64(g->dtype, dst) + dtype_load_f64(g->dtype, src + k * es));
        else
            dtype_store_i64(g->dtype, dst, dtype_load_i64(g->dtype, dst) + dtype_load_i64(g->dtype, src + k * es));
    }
    tensor_release(gc);
    tensor_release(pc);
    return out;
fail:
    tensor_release(out);
    tensor_release(gc);
    tensor_release(pc);
    return NULL;
}

/* index_backward: zeros(self).index_put_(indices, grad, accumulate=True),
 * via saved tensor 0: each result element's flat source position. With
 * create_graph the result records IndexPutImplBackward0 (inputs: the
 * zeros, grad; saved: the positions). */
static bool index_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    Tensor *pos = saved(node, 0, "the source positions");
    if (!pos) return false;
    Tensor *r = scatter_add_raw(go[0], pos, &node->next[0]);
    if (r && ag_any_requires_grad(&go[0], 1)) {
        Tensor *z = tensor_zeros(go[0]->dtype, 0, NULL, go[0]->storage->device);
        GradNode *n = z ? ag_record(r, "IndexPutImplBackward0", (Tensor *[]){z, go[0]}, 2) : NULL;
        tensor_release(z);
        if (!n || !ag_save(n, pos)) {
            tensor_release(r);
            return false;
        }
    }
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

/* IndexPutImplBackward0 (accumulate=True): self gets grad, values get
 * grad at the positions (saved tensor 0, of values' shape). */
static bool index_put_impl_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0]) return true;
    if (need(node, 0) && !set_grad(node, 0, gi, go[0])) return false;
    if (!need(node, 1)) return true;
    Tensor *pos = saved(node, 0, "the positions");
    if (!pos) return false;
    Scratch s = {0};
    TensorIndex ti = {.kind = IDX_TENSOR, .tensor = pos};
    Tensor *flat = Sflat(&s, go[0]);
    bool ok = flat && set_grad(node, 1, gi, keep(&s, op_index(flat, &ti, 1)));
    scratch_free(&s);
    return ok;
}

static bool select_backward_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = op_select(go[0], c->args[0], c->args[1]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

static bool slice_backward_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *r = op_slice(go[0], c->args[0], c->args[1], c->args[2], c->args[3]);
    bool ok = set_grad(node, 0, gi, r);
    tensor_release(r);
    return ok;
}

/* The written positions of an in-place index write (IndexPutBackward0,
 * CopySlices): saved tensor 0 when the op saved one (int64, the indexing
 * result's shape, flat row-major positions in the written tensor);
 * otherwise, for a basic-index write, from the OpCtx (the written view's
 * geometry), taking the written tensor as contiguous from offset 0. */
static Tensor *written_positions(Scratch *s, GradNode *node) {
    if (node->n_saved > 0) return ag_saved(node, 0);
    OpCtx *c = ctx_of(node);
    if (!c) return NULL;
    GradEdge *e = &node->next[0];
    if (strcmp(node->name, "CopySlices") != 0) {
        tsr_raise(ERR_RuntimeError, "%s: the forward op did not save the written positions", node->name);
        return NULL;
    }
    int64_t numel = 1;
    for (int d = 0; d < e->ndim; d++) numel *= e->shape[d];
    Tensor *pos = keep(s, tensor_empty(DT_INT64, c->ndim, c->sizes, device_cpu()));
    if (!pos) return NULL;
    int64_t n = tensor_numel(pos), idx[TSR_MAX_DIMS] = {0};
    int64_t *p = (int64_t *)tensor_data(pos);
    for (int64_t k = 0; k < n; k++) {
        int64_t o = c->offset;
        for (int d = 0; d < c->ndim; d++) o += idx[d] * c->strides[d];
        if (o < 0 || o >= numel) {
            tsr_raise(ERR_RuntimeError, "%s", "CopySlices: written region outside the base (non-contiguous base)");
            return NULL;
        }
        p[k] = o;
        for (int d = c->ndim - 1; d >= 0; d--) {
            if (++idx[d] < c->sizes[d]) break;
            idx[d] = 0;
        }
    }
    return pos;
}

/* In-place a[idx] = value: the base's grad is grad with the written
 * region zeroed; value's grad is grad at the region, summed to value's
 * shape (value may carry extra leading 1-dims). */
static bool index_put_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (node->view_fn) return ag_copy_slices_backward(node, go, gi);
    if (!go[0] || (!need(node, 0) && !need(node, 1))) return true;
    Scratch s = {0};
    bool ok = false;
    Tensor *g = go[0];
    Tensor *pos = written_positions(&s, node);
    if (!pos) goto done;
    GradEdge *e0 = &node->next[0];
    if (need(node, 0)) {
        Tensor *mask = keep(&s, tensor_zeros(DT_BOOL, e0->ndim, e0->shape, e0->device));
        if (!mask) goto done;
        Tensor *pc = keep(&s, tensor_contiguous(pos));
        if (!pc) goto done;
        int64_t n = tensor_numel(pc), numel = tensor_numel(mask);
        const int64_t *p = (const int64_t *)tensor_data(pc);
        bool *m = (bool *)tensor_data(mask);
        for (int64_t k = 0; k < n; k++)
            if (p[k] >= 0 && p[k] < numel) m[p[k]] = true;
        if (!set_grad(node, 0, gi, Swhere(&s, mask, Szero(&s, g->dtype), g))) goto done;
    }
    if (need(node, 1)) {
        GradEdge *e1 = &node->next[1];
        TensorIndex ti = {.kind = IDX_TENSOR, .tensor = pos};
        Tensor *flat = Sflat(&s, g);
        Tensor *region = flat ? keep(&s, op_index(flat, &ti, 1)) : NULL;
        if (!region) goto done;
        int drop = 0;
        while (e1->ndim - drop > region->ndim && e1->shape[drop] == 1) drop++;
        Tensor *r = keep(&s, ag_sum_to(region, e1->ndim - drop, e1->shape + drop));
        if (!set_grad(node, 1, gi, Sreshape(&s, r, e1->ndim, e1->shape))) goto done;
    }
    ok = true;
done:
    scratch_free(&s);
    return ok;
}

/* ---------------------------------------------------------- reductions */

/* sum()/mean() over every element (SumBackward0, MeanBackward0): their
 * formulas expand the 0-dim grad directly, with no unsqueeze. */
static bool full_reduction(const GradNode *node) {
    return !strcmp(node->name, "SumBackward0") || !strcmp(node->name, "MeanBackward0");
}

/* sum_backward: grad (dims restored) expanded to self's sizes */
static bool sum_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    Scratch s = {0};
    Tensor *g = full_reduction(node) ? go[0] : restore_dims(&s, go[0], c->ndim, nd, dims, keepdim);
    bool ok = g && set_grad(node, 0, gi, keep(&s, op_expand(g, c->ndim, c->sizes)));
    scratch_free(&s);
    return ok;
}

/* mean_backward: sum_backward(...) / numel of the reduced dims */
static bool mean_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    int64_t count = 1;
    for (int i = 0; i < nd && c->ndim > 0; i++) count *= c->sizes[dims[i]];
    Scratch s = {0};
    Tensor *g = full_reduction(node) ? go[0] : restore_dims(&s, go[0], c->ndim, nd, dims, keepdim);
    g = g ? keep(&s, op_expand(g, c->ndim, c->sizes)) : NULL;
    bool ok = set_grad(node, 0, gi, S2f(&s, BIN_DIV, g, (double)count));
    scratch_free(&s);
    return ok;
}

/* The node's input (saved tensor 0) and result (saved tensor 1, or
 * recomputed from the input with the current grad mode). */
typedef Tensor *(*Recompute)(Tensor *in, const OpCtx *c, const char *name);

static bool input_and_result(Scratch *s, GradNode *node, Recompute fn, Tensor **in, Tensor **res) {
    *in = saved(node, 0, "its input");
    if (!*in) return false;
    if (node->n_saved > 1) {
        *res = ag_saved(node, 1);
        return *res != NULL;
    }
    *res = keep(s, fn(*in, node->ctx, node->name));
    return *res != NULL;
}

static Tensor *recompute_prod(Tensor *in, const OpCtx *c, const char *name) {
    bool all = strcmp(name, "ProdBackward0") == 0;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    return op_prod(in, all ? 0 : nd, dims, keepdim, DT_UNDEFINED);
}

/* prod_safe_zeros_backward's exclusive products along dim d of x
 * (contiguous copy): prefix (cumprod of [1, x[:-1]]) times reversed
 * suffix, with cumprod's double accumulation. Raw loops: constants. */
static Tensor *exclusive_products(Tensor *x, int d) {
    Tensor *xc = tensor_contiguous(x);
    if (!xc) return NULL;
    Tensor *out = tensor_empty(x->dtype, x->ndim, x->shape, x->storage->device);
    Tensor *pre = tensor_empty(x->dtype, x->ndim, x->shape, x->storage->device);
    if (!out || !pre) goto fail;
    int64_t n = x->shape[d], stride = xc->stride[d], total = tensor_numel(xc);
    int64_t es = (int64_t)dtype_size(x->dtype);
    const char *src = tensor_data(xc);
    char *po = tensor_data(out), *pp = tensor_data(pre);
    for (int64_t base = 0; n > 0 && base < total; base++) {
        if ((base / stride) % n != 0) continue; /* first element of each line */
        double acc = 1.0;
        for (int64_t i = 0; i < n; i++) {
            int64_t o = (base + i * stride) * es;
            dtype_store_f64(x->dtype, pp + o, acc);
            acc *= dtype_load_f64(x->dtype, src + o);
        }
        acc = 1.0;
        for (int64_t i = n - 1; i >= 0; i--) {
            int64_t o = (base + i * stride) * es;
            /* exclusive_normal * exclusive_reverse, each rounded to the dtype */
            char r[16];
            dtype_store_f64(x->dtype, r, acc);
            dtype_store_f64(x->dtype, po + o, dtype_load_f64(x->dtype, pp + o) * dtype_load_f64(x->dtype, r));
            acc *= dtype_load_f64(x->dtype, src + o);
        }
    }
    tensor_release(xc);
    tensor_release(pre);
    return out;
fail:
    tensor_release(xc);
    tensor_release(out);
    tensor_release(pre);
    return NULL;
}

static int64_t count_zeros(Tensor *x) {
    int64_t n = tensor_numel(x), z = 0;
    for (int64_t i = 0; i < n; i++) z += tensor_get_f64(x, i) == 0;
    return z;
}

/* prod_backward (all elements and along a dim), handling zeros like
 * PyTorch: no zero -> grad * result / input; else the safe exclusive
 * products (all-reduce with several zeros: zeros). Needs the input saved
 * (saved tensor 0). */
static bool prod_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    bool ok = false;
    Tensor *in, *res;
    if (!input_and_result(&s, node, recompute_prod, &in, &res)) goto done;
    if (in->ndim == 0) {
        ok = set_grad(node, 0, gi, go[0]);
        goto done;
    }
    bool all = strcmp(node->name, "ProdBackward0") == 0;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    Tensor *g = go[0];
    if (!all) {
        g = restore_dims(&s, g, c->ndim, nd, dims, keepdim);
        res = restore_dims(&s, res, c->ndim, nd, dims, keepdim);
        if (!g || !res) goto done;
    }
    int64_t zeros = count_zeros(in);
    Tensor *r;
    if (zeros == 0) {
        r = S2(&s, BIN_MUL, g, S2(&s, BIN_DIV, res, in));
    } else if (all && zeros > 1) {
        r = Szeros(&s, in->dtype, in->ndim, in->shape, in->storage->device);
    } else {
        Tensor *ex = all ? keep(&s, exclusive_products(Sflat(&s, in), 0))
                         : keep(&s, exclusive_products(in, (int)dims[0]));
        r = S2(&s, BIN_MUL, g, Sreshape(&s, ex, in->ndim, in->shape));
    }
    ok = set_grad(node, 0, gi, r);
done:
    scratch_free(&s);
    return ok;
}

static Tensor *recompute_amax(Tensor *in, const OpCtx *c, const char *name) {
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    Tensor *r = NULL;
    bool is_max = strncmp(name, "Amax", 4) == 0;
    NO_GRAD(r = is_max ? op_amax(in, nd, dims, keepdim) : op_amin(in, nd, dims, keepdim));
    return r;
}

/* amax/amin: scale_grad_by_count(restore(grad), restore(result) == self, dims):
 * (grad / mask.sum(dims, keepdim=True)) * mask */
static bool amax_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    bool ok = false;
    Tensor *in, *res;
    if (!input_and_result(&s, node, recompute_amax, &in, &res)) goto done;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    Tensor *g = restore_reshape(&s, go[0], c, nd, dims, keepdim);
    res = restore_reshape(&s, res, c, nd, dims, keepdim);
    Tensor *mask = NULL, *count = NULL;
    NO_GRAD({
        mask = S2(&s, BIN_EQ, res, in);
        count = mask ? keep(&s, op_sum(mask, in->ndim ? nd : 0, dims, true, DT_UNDEFINED)) : NULL;
    });
    ok = set_grad(node, 0, gi, S2(&s, BIN_MUL, S2(&s, BIN_DIV, g, count), mask));
done:
    scratch_free(&s);
    return ok;
}

/* max()/min() over all elements: evenly_distribute_backward: the grad
 * split evenly among the elements equal to the result (NaN: the NaNs). */
static bool max_all_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    Scratch s = {0};
    bool ok = false;
    Tensor *in = saved(node, 0, "its input");
    if (!in) goto done;
    bool is_max = strncmp(node->name, "Max", 3) == 0;
    Tensor *mask = NULL, *count = NULL;
    NO_GRAD({
        Tensor *v = keep(&s, is_max ? op_max_all(in) : op_min_all(in));
        if (v) {
            if (isnan(tensor_get_f64(v, 0))) mask = keep(&s, op_unary(UN_ISNAN, in));
            else mask = S2(&s, BIN_EQ, in, v);
        }
        count = mask ? keep(&s, op_sum(mask, 0, NULL, false, DT_UNDEFINED)) : NULL;
    });
    Tensor *share = S2(&s, BIN_DIV, go[0], count);
    if (!share) goto done;
    if (tensor_is_cuda(in)) { /* ATen's CUDA path: mask * (grad / mask.sum()) */
        ok = set_grad(node, 0, gi, S2(&s, BIN_MUL, mask, share));
    } else { /* grad.new_zeros(sizes).masked_fill_(mask, grad / mask.sum()) */
        Tensor *z = keep(&s, tensor_zeros(go[0]->dtype, in->ndim, in->shape, go[0]->storage->device));
        ok = z && set_grad(node, 0, gi, keep(&s, op_masked_fill_(z, mask, share)));
    }
done:
    scratch_free(&s);
    return ok;
}

/* value_selecting_reduction_backward: zeros(sizes).scatter(dim, indices,
 * grad). Saved tensor 0: the indices; ctx args: dim, keepdim. */
static bool max_dim_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *ix = saved(node, 0, "the indices");
    if (!ix) return false;
    if (c->ndim == 0) return set_grad(node, 0, gi, go[0]);
    Scratch s = {0};
    bool ok = false;
    int d = (int)c->args[0];
    bool keepdim = c->args[1] != 0;
    Tensor *g = go[0];
    if (!keepdim) {
        g = Sunsqueeze(&s, g, d);
        ix = Sunsqueeze(&s, ix, d);
        if (!g || !ix) goto done;
    }
    Tensor *z = keep(&s, tensor_zeros(g->dtype, c->ndim, c->sizes, g->storage->device));
    ok = z && set_grad(node, 0, gi, keep(&s, op_scatter(z, d, ix, g, 0.0, false, false)));
done:
    scratch_free(&s);
    return ok;
}

/* sort: grad scattered back through the permutation, as a gather
 * grad.flatten()[P] where P[source position] = sorted position. */
static bool sort_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *ix = saved(node, 0, "the indices");
    if (!ix) return false;
    if (c->ndim == 0) return set_grad(node, 0, gi, go[0]);
    Scratch s = {0};
    bool ok = false;
    int d = (int)c->args[0];
    Tensor *ixc = keep(&s, tensor_contiguous(ix));
    Tensor *P = keep(&s, tensor_empty(DT_INT64, c->ndim, c->sizes, device_cpu()));
    if (!ixc || !P) goto done;
    int64_t total = tensor_numel(P), n = c->sizes[d], stride = P->stride[d];
    const int64_t *src = (const int64_t *)tensor_data(ixc);
    int64_t *p = (int64_t *)tensor_data(P);
    for (int64_t k = 0; k < total; k++) {
        int64_t i = (k / stride) % n, j = src[k];
        if (j < 0 || j >= n) {
            tsr_raise(ERR_RuntimeError, "%s", "sort backward: index out of range");
            goto done;
        }
        p[k + (j - i) * stride] = k;
    }
    TensorIndex ti = {.kind = IDX_TENSOR, .tensor = P};
    Tensor *flat = Sflat(&s, go[0]);
    ok = flat && set_grad(node, 0, gi, keep(&s, op_index(flat, &ti, 1)));
done:
    scratch_free(&s);
    return ok;
}

/* cumsum_backward: grad.to(self dtype), reversed cumsum along dim */
static bool cumsum_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    bool ok = false;
    Tensor *g = go[0];
    if (g->dtype != c->dtype) g = keep(&s, op_to_dtype(g, c->dtype));
    if (!g) goto done;
    int64_t d = c->args[0];
    if (tensor_numel(g) <= 1 || c->ndim == 0 || g->shape[d] == 1) {
        ok = set_grad(node, 0, gi, g);
        goto done;
    }
    Tensor *f = keep(&s, op_flip(g, 1, &d));
    f = f ? keep(&s, op_cumsum(f, d, DT_UNDEFINED)) : NULL;
    ok = f && set_grad(node, 0, gi, keep(&s, op_flip(f, 1, &d)));
done:
    scratch_free(&s);
    return ok;
}

/* var_backward (1.13): all elements of a 0-dim or every dim reduced
 * without keepdim: n == correction ? inf * grad
 * : 2 / (n - correction) * grad * (self - self.mean()); else
 * 2 / (rnumel - correction) * restore(grad) * (self - self.mean(dims, true)). */
static Tensor *var_grad(Scratch *s, GradNode *node, const OpCtx *c, Tensor *g, Tensor *in) {
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 1, &dims, &keepdim);
    int64_t correction = c->args[c->nargs - 1];
    if (!g) return NULL;
    if (in->ndim == 0 || (nd == in->ndim && !keepdim)) {
        int64_t n = tensor_numel(in);
        if (n == correction) {
            if (in->ndim != 0) {
                char buf[256];
                int k = 0;
                for (int i = 0; i < in->ndim && k < 200; i++)
                    k += snprintf(buf + k, sizeof buf - (size_t)k, "%s%lld", i ? ", " : "", (long long)in->shape[i]);
                if (k == 0) buf[0] = 0;
                tsr_raise(ERR_RuntimeError,
                          "Function %s returned an invalid gradient at index 0 - got [] but expected "
                          "shape compatible with [%s]",
                          node->name, buf);
                return NULL;
            }
            return Sf2(s, BIN_MUL, INFINITY, g);
        }
        Tensor *m = keep(s, op_mean(in, 0, NULL, false, DT_UNDEFINED));
        return S2(s, BIN_MUL, Sf2(s, BIN_MUL, 2.0 / (double)(n - correction), g), S2(s, BIN_SUB, in, m));
    }
    int64_t rnumel = 1;
    for (int i = 0; i < nd; i++) rnumel *= in->shape[dims[i]];
    if (!keepdim && in->ndim > 1) g = restore_dims(s, g, in->ndim, nd, dims, false);
    Tensor *m = keep(s, op_mean(in, nd, dims, true, DT_UNDEFINED));
    return S2(s, BIN_MUL, Sf2(s, BIN_MUL, 2.0 / (double)(rnumel - correction), g), S2(s, BIN_SUB, in, m));
}

static bool var_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *in = saved(node, 0, "its input");
    if (!in) return false;
    Scratch s = {0};
    bool ok = set_grad(node, 0, gi, var_grad(&s, node, c, go[0], in));
    scratch_free(&s);
    return ok;
}

static Tensor *recompute_std(Tensor *in, const OpCtx *c, const char *name) {
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 1, &dims, &keepdim);
    return op_var(in, nd, dims, c->args[c->nargs - 1], keepdim, true);
}

/* std_backward: var_backward((grad / (result * 2)).masked_fill_(result == 0, 0)) */
static bool std_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    bool ok = false;
    Tensor *in, *res;
    if (!input_and_result(&s, node, recompute_std, &in, &res)) goto done;
    Tensor *q = S2(&s, BIN_DIV, go[0], S2f(&s, BIN_MUL, res, 2.0));
    Tensor *zero = NULL;
    NO_GRAD(zero = S2(&s, BIN_EQ, res, Szero(&s, res->dtype)));
    Tensor *gv = q && zero ? keep(&s, op_masked_fill_(q, zero, Sf(&s, 0.0))) : NULL;
    ok = set_grad(node, 0, gi, var_grad(&s, node, c, gv, in));
done:
    scratch_free(&s);
    return ok;
}

/* ------------------------------------------------------ linear algebra */

/* A 2-d input laid out column-major (ATen's mm_mat1/2_backward test). */
static bool col_major(const Tensor *t) {
    return t->ndim == 2 && t->stride[0] == 1 && t->stride[1] == t->shape[0];
}

/* mm: self: grad.mm(mat2.t()); mat2: self.t().mm(grad) (saved: self, mat2) */
static bool mm_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0]) return true;
    Tensor *a = ag_saved(node, 0);
    Tensor *b = a ? ag_saved(node, 1) : NULL;
    if (!a || !b) return false;
    Scratch s = {0};
    bool ok = false;
    bool bmm = strcmp(node->name, "BmmBackward0") == 0;
    if (!bmm && ((need(node, 0) && col_major(a)) || (need(node, 1) && col_major(b)))) {
        /* mm_mat1/2_backward keep a column-major input's gradient
         * column-major: mat2.mm(grad.t()).t(), grad.t().mm(mat1).t() */
        Tensor *gt = keep(&s, op_t(go[0]));
        if (!gt) goto done;
        if (need(node, 0) && col_major(a)) {
            if (!set_grad(node, 0, gi, keep(&s, op_t(keep(&s, op_mm(b, gt)))))) goto done;
        }
        if (need(node, 1) && col_major(b)) {
            if (!set_grad(node, 1, gi, keep(&s, op_t(keep(&s, op_mm(gt, a)))))) goto done;
        }
    }
    if (need(node, 0) && (bmm || !col_major(a))) {
        Tensor *bt = keep(&s, bmm ? op_transpose(b, 1, 2) : op_t(b));
        if (!bt || !set_grad(node, 0, gi, keep(&s, bmm ? op_bmm(go[0], bt) : op_mm(go[0], bt)))) goto done;
    }
    if (need(node, 1) && (bmm || !col_major(b))) {
        Tensor *at = keep(&s, bmm ? op_transpose(a, 1, 2) : op_t(a));
        if (!at || !set_grad(node, 1, gi, keep(&s, bmm ? op_bmm(at, go[0]) : op_mm(at, go[0])))) goto done;
    }
    ok = true;
done:
    scratch_free(&s);
    return ok;
}

/* mv: self: grad.ger(vec); vec: self.t().mv(grad) */
static bool mv_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0]) return true;
    Tensor *a = ag_saved(node, 0);
    Tensor *v = a ? ag_saved(node, 1) : NULL;
    if (!a || !v) return false;
    Scratch s = {0};
    bool ok = false;
    if (need(node, 0) && !set_grad(node, 0, gi, keep(&s, op_outer(go[0], v)))) goto done;
    if (need(node, 1)) {
        Tensor *at = keep(&s, op_t(a));
        if (!at || !set_grad(node, 1, gi, keep(&s, op_matmul(at, go[0])))) goto done;
    }
    ok = true;
done:
    scratch_free(&s);
    return ok;
}

/* dot: self: grad * tensor; tensor: grad * self */
static bool dot_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0]) return true;
    Tensor *a = ag_saved(node, 0);
    Tensor *b = a ? ag_saved(node, 1) : NULL;
    if (!a || !b) return false;
    Scratch s = {0};
    bool ok = (!need(node, 0) || set_grad(node, 0, gi, S2(&s, BIN_MUL, go[0], b))) &&
              (!need(node, 1) || set_grad(node, 1, gi, S2(&s, BIN_MUL, go[0], a)));
    scratch_free(&s);
    return ok;
}

/* --------------------------------------------------------------- table */

const BackwardDef ag_formulas_shape[] = {
    {"ViewBackward0", reshape_backward},
    {"ReshapeAliasBackward0", reshape_backward},
    {"UnsafeViewBackward0", reshape_backward},
    {"AliasBackward0", identity_backward},
    {"TransposeBackward0", transpose_backward},
    {"TBackward0", t_backward},
    {"PermuteBackward0", permute_backward},
    {"SqueezeBackward0", squeeze_backward},
    {"SqueezeBackward1", squeeze_backward},
    {"SqueezeBackward3", reshape_backward},
    {"UnsqueezeBackward0", unsqueeze_backward},
    /* the in-place view ops (ops_inplace_view.c) keep the same ctx */
    {"SqueezeBackward2", reshape_backward},
    {"UnsqueezeBackward1", unsqueeze_backward},
    {"TransposeBackward1", transpose_backward},
    {"TBackward1", t_backward},
    {"ExpandBackward0", expand_backward},
    {"SelectBackward0", select_backward},
    {"SliceBackward0", slice_backward},
    {"CatBackward0", cat_backward},
    {"StackBackward0", stack_backward},
    {"SplitBackward0", split_backward},
    {"SplitWithSizesBackward0", split_backward},
    {"UnbindBackward0", unbind_backward},
    {"FlipBackward0", flip_backward},
    {"RepeatBackward0", repeat_backward},
    {"IndexBackward0", index_backward},
    {"IndexPutImplBackward0", index_put_impl_backward},
    {"SelectBackwardBackward0", select_backward_backward},
    {"SliceBackwardBackward0", slice_backward_backward},
    {"IndexPutBackward0", index_put_backward},
    {"CopySlices", index_put_backward},
    {"SumBackward0", sum_backward},
    {"SumBackward1", sum_backward},
    {"MeanBackward0", mean_backward},
    {"MeanBackward1", mean_backward},
    {"ProdBackward0", prod_backward},
    {"ProdBackward1", prod_backward},
    {"AmaxBackward0", amax_backward},
    {"AminBackward0", amax_backward},
    {"MaxBackward0", max_dim_backward},
    {"MinBackward0", max_dim_backward},
    {"MaxBackward1", max_all_backward},
    {"MinBackward1", max_all_backward},
    {"SortBackward0", sort_backward},
    {"CumsumBackward0", cumsum_backward},
    {"VarBackward0", var_backward},
    {"StdBackward0", std_backward},
    {"MmBackward0", mm_backward},
    {"BmmBackward0", mm_backward},
    {"MvBackward0", mv_backward},
    {"DotBackward0", dot_backward},
    {NULL, NULL},
};
