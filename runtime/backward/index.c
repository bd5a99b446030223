/* index.c: backward formulas for the indexing nodes: gather/scatter,
 * indexing and index assignment (IndexBackward0,
 * IndexPutBackward0, CopySlices), take/index_select/masked_select, and
 * AsStridedBackward0 (a view rewritten by an in-place op on its base), with
 * the backward-of-backward nodes their gradients record (PyTorch 1.13's
 * tools/autograd/derivatives.yaml and FunctionsManual.cpp).
 *
 * Formulas use the op layer so create_graph works. The scatter of a
 * gradient to flat positions is a raw loop (the positions are constants of
 * the graph) that records its own node (PyTorch's backward-of-backward
 * name) when the gradient needs grad. What each node saves is documented
 * with its op in runtime/ops/. */

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* ----------------------------------------------------- gather, scatter */

/* gather: self: zeros(self.sizes()).scatter_add(dim, index, grad) */
FORMULA(gather_backward) {
    BEGIN;
    CTX(c);
    SAVED(index, 0);
    GradEdge *e = &node->next[0];
    Tensor *z = Szeros(s, grad->dtype, e->ndim, e->shape, e->device);
    SET(0, z ? keep(s, op_scatter(z, c->args[0], index, grad, 0.0, true, false)) : NULL);
    END;
}

/* scatter(src): self: grad.scatter(dim, index, 0); src: grad.gather(dim, index).
 * scatter(value) has only the self edge. */
FORMULA(scatter_backward) {
    BEGIN;
    CTX(c);
    SAVED(index, 0);
    SET(0, keep(s, op_scatter(grad, c->args[0], index, NULL, 0.0, false, false)));
    SET(1, keep(s, op_gather(grad, c->args[0], index)));
    END;
}

/* scatter_add: self: grad; src: grad.gather(dim, index) */
FORMULA(scatter_add_backward) {
    BEGIN;
    CTX(c);
    SAVED(index, 0);
    SET(0, grad);
    SET(1, keep(s, op_gather(grad, c->args[0], index)));
    END;
}

/* ---------------------------------------------------- index, index_put */

/* *dst += *src for a floating or complex dtype (a complex number part
 * by part, each rounded to the part's dtype) */
static void add_element(DType dt, char *dst, const char *src) {
    if (!dtype_is_complex(dt)) {
        dtype_store_f64(dt, dst, dtype_load_f64(dt, dst) + dtype_load_f64(dt, src));
        return;
    }
    DType pt = dtype_to_real(dt);
    size_t ps = dtype_size(pt);
    for (int part = 0; part < 2; part++)
        dtype_store_f64(pt, dst + part * ps, dtype_load_f64(pt, dst + part * ps) + dtype_load_f64(pt, src + part * ps));
}

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
        if (dtype_is_float(g->dtype) || dtype_is_complex(g->dtype))
            add_element(g->dtype, dst, src + k * es);
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
bool index_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    Tensor *pos = saved(node, 0, "the source positions");
    if (!pos) return false;
    Tensor *r = scatter_add_raw(go[0], pos, &node->next[0]);
    if (r && ag_any_requires_grad(&go[0], 1)) {
        Tensor *z = tensor_zeros(go[0]->dtype, 0, NULL, go[0]->storage->device);
        GradNode *n = z ? ag_record(r, NODE_IndexPutImplBackward0, (Tensor *[]){z, go[0]}, 2) : NULL;
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
bool index_put_impl_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
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
    if (node->kind != NODE_CopySlices) {
        tsr_raise(ERR_RuntimeError, "%s: the forward op did not save the written positions", ag_node_name(node));
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
bool index_put_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (node->view_fn) return ag_copy_slices_backward(node, go, gi);
    /* torch.index_put (index_scatter.c) records a ctx; x[i] = v none */
    if (node->kind == NODE_IndexPutBackward0 && node->ctx) return scatter_positions_backward(node, go, gi);
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

/* ------------------------------------------------ scatter to positions */

/* zeros(shape).index_put_(positions, g, accumulate=True) over flat
 * row-major positions; records `kind` (input g, saved pos) when g needs
 * grad, whose backward gathers back (gather_back_backward). */
/* copy: positions are distinct and each is written (not added), so a -0.
 * gradient stays -0. as PyTorch's as_strided_backward copies it. */
static Tensor *scatter_positions(Tensor *g, Tensor *pos, int nd, const int64_t *shape, GradNodeKind kind,
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
            add_element(g->dtype, dst, src + k * es);
    }
    tensor_release(gc);
    tensor_release(pc);
    if (ag_any_requires_grad(&g, 1)) {
        GradNode *node = ag_record(out, kind, &g, 1);
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

static GradNodeKind double_backward_kind(GradNodeKind kind) {
    if (kind == NODE_TakeBackward0) return NODE_PutBackward0;
    if (kind == NODE_IndexSelectBackward0) return NODE_IndexAddBackward0;
    if (kind == NODE_MaskedSelectBackward0) return NODE_MaskedScatterBackward0;
    return NODE_AsStridedScatterBackward0;
}

/* Take/IndexSelect/MaskedSelect/AsStridedBackward0: the gradient scattered
 * (accumulating) to the saved positions of the input (or, with ctx args,
 * of that shape, then summed to the input's shape). */
FORMULA(positions_backward) {
    BEGIN;
    Tensor *pos = need(node, 0) ? saved_t(node, 0) : NULL;
    if (need(node, 0) && !pos) ok = false;
    if (ok && need(node, 0)) {
        const OpCtx *c = node->ctx;
        GradEdge *e = &node->next[0];
        bool own = c && c->nargs > 0;
        Tensor *r = keep(s, scatter_positions(grad, pos, own ? c->nargs : e->ndim, own ? c->args : e->shape,
                                              double_backward_kind(node->kind), false));
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

/* AsStridedBackward0 regenerated for a view whose base changed (autograd/record.c:
 * ctx an AgViewGeom, nothing saved): the gradient written into zeros of
 * the base's shape at the view's positions. Nodes recorded by index
 * assignment (ops/index.c) saved the positions instead. */
FORMULA(as_strided_backward) {
    if (node->n_saved > 0 || !node->ctx) return positions_backward(node, grad_outputs, grad_inputs);
    BEGIN;
    if (need(node, 0)) {
        const AgViewGeom *g = node->ctx;
        Tensor *pos = keep(s, ag_view_positions(g));
        bool copy = pos && positions_distinct(pos, geom_numel(g->bndim, g->bsizes));
        SET(0, pos ? keep(s, scatter_positions(grad, pos, g->bndim, g->bsizes, NODE_AsStridedScatterBackward0, copy))
                   : NULL);
    }
    END;
}

/* CopySlices of an in-place op on a view (autograd/record.c's ag_rebase_view),
 * PyTorch's CopySlices::apply: the view's node runs on the written region
 * of the gradient; the base's old history gets the gradient with that
 * region replaced (copied, not added) by the node's gradient for the
 * view's old value; the node's other inputs get theirs. */
bool ag_copy_slices_backward(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs) {
    BEGIN;
    GradNode *fn = node->view_fn;
    const AgViewGeom *g = node->ctx;
    BackwardFn f = ag_formulas[fn->kind];
    Tensor **res = ok ? tsr_calloc((size_t)fn->n_next + 1, sizeof *res) : NULL;
    Tensor *pos = res ? keep(s, ag_view_positions(g)) : NULL;
    int64_t m1 = -1;
    Tensor *flat = pos ? keep(s, op_reshape(grad, 1, &m1)) : NULL;
    TensorIndex ti = {.kind = IDX_TENSOR, .tensor = pos};
    Tensor *region = flat ? keep(s, op_index(flat, &ti, 1)) : NULL;
    ok = region && ag_check_complex(fn, &region, 1) && f(fn, &region, res);
    for (int i = 0; ok && i < fn->n_next; i++) {
        if (!res[i] || !fn->next[i].node) continue;
        GradEdge *e = &fn->next[i];
        Tensor *r = keep(s, ag_sum_to(res[i], e->ndim, e->shape));
        if (r && r->dtype != e->dtype) r = keep(s, ag_grad_to(r, e->dtype, r->storage->device));
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
                     : r0  ? keep(s, scatter_positions(r0, pos, g->bndim, g->bsizes, NODE_AsStridedScatterBackward0, true))
                           : Sf(s, 0.0);
        SET(0, Swhere(s, mask, sc, grad));
    }
    for (int i = 0; res && i < fn->n_next; i++) tensor_release(res[i]);
    free(res);
    END;
}

/* The backward of a scatter: the gradient gathered at the positions. */
FORMULA(gather_back_backward) {
    /* the forward ops of these names (index_scatter.c) record a ctx */
    if (node->ctx) return scatter_positions_backward(node, grad_outputs, grad_inputs);
    BEGIN;
    Tensor *pos = need(node, 0) ? saved_t(node, 0) : NULL;
    if (need(node, 0)) {
        int64_t m1 = -1;
        Tensor *flat = pos ? keep(s, op_reshape(grad, 1, &m1)) : NULL;
        TensorIndex ti = {.kind = IDX_TENSOR, .tensor = pos};
        SET(0, flat ? keep(s, op_index(flat, &ti, 1)) : NULL);
    }
    END;
}
