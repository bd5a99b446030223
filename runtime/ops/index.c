/* index.c: x[...] and x[...] = v with Python/PyTorch semantics, and the
 * indexing ops gather, scatter/scatter_add, take, index_select,
 * masked_select and nonzero: PyTorch's TensorAdvancedIndexing.cpp.
 *
 * Basic entries (ints, slices, None, Ellipsis) walk a view of x through
 * select/slice/unsqueeze (each recorded like PyTorch does). Index tensors
 * make the access advanced: they broadcast together and the result is a
 * copy, laid out with NumPy's placement rule (adjacent advanced dims replace
 * the first of them; otherwise they go to the front).
 *
 * IndexBackward0's saved tensor 0 is an int64 tensor of the result's shape
 * holding, for each result element, the row-major flat position of its
 * source element in the node's input (for an index_add-style backward).
 * The other nodes (node->ctx an OpCtx of self with args as noted):
 *   GatherBackward0: args {dim}; saved {index}.
 *   ScatterBackward0 (src) / ScatterBackward1 (value) / ScatterAddBackward0:
 *     args {dim}; saved {index}; inputs {self, src} or {self}.
 *   TakeBackward0 / IndexSelectBackward0 / MaskedSelectBackward0: input
 *     {self}; saved {positions}: int64 of the result's shape, the row-major
 *     position of each result element in self (masked_select: in the
 *     broadcast of self and mask, whose shape is then the args; else no
 *     args). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "index_reduce.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"
#include "scalar_ops.h"

/* The basic part of an index applied, plus the advanced index tensors. */
typedef struct {
    Tensor *view;                 /* x after ints/slices/None (new reference) */
    Tensor *adv[TSR_MAX_DIMS];    /* per dim of view: int64 index tensor or NULL (owned) */
    int n_adv;
} Indexed;

static void indexed_free(Indexed *ix) {
    tensor_release(ix->view);
    for (int i = 0; i < TSR_MAX_DIMS; i++) tensor_release(ix->adv[i]);
    memset(ix, 0, sizeof *ix);
}

/* Replaces ix->view with r (steals r). */
static bool step_view(Indexed *ix, Tensor *r) {
    if (!r) return false;
    tensor_release(ix->view);
    ix->view = r;
    return true;
}

/* Coordinates of the true elements of mask (k-d) as k contiguous int64
 * tensors on the mask's device (nonzero's columns). */
static bool mask_to_indices(Tensor *mask, Tensor **out) {
    if (mask->ndim == 0) return true;
    bool mode = ag_grad_enabled;
    ag_grad_enabled = false;
    Tensor *nz = op_nonzero(mask);
    bool ok = nz != NULL;
    for (int j = 0; ok && j < mask->ndim; j++) {
        Tensor *col = op_select(nz, 1, j);
        out[j] = col ? tensor_clone(col, DT_UNDEFINED) : NULL;
        tensor_release(col);
        ok = out[j] != NULL;
    }
    ag_grad_enabled = mode;
    tensor_release(nz);
    if (!ok)
        for (int j = 0; j < mask->ndim; j++) tensor_release(out[j]), out[j] = NULL;
    return ok;
}

/* A 0-dim integer tensor index selects like a Python int (uint8 counts as a mask). */
static bool is_select_tensor(const Tensor *t) {
    return t->ndim == 0 && dtype_is_int(t->dtype) && t->dtype != DT_UINT8 && t->dtype != DT_BOOL;
}

static bool raise_int_bounds(int64_t k, int real_dim, int64_t size) {
    tsr_raise(ERR_IndexError, "index %lld is out of bounds for dimension %d with size %lld", (long long)k,
              real_dim, (long long)size);
    return false;
}

/* PyTorch's expandTensors: the recorded index tensors (rec[d] applies at
 * position d of the list, like PyTorch's outIndices) become one int64
 * tensor per dim of the view; a k-d mask covers k view dims from where it
 * lands, checked against the view left by the basic indexing. */
static bool expand_indices(Indexed *ix, Tensor **rec, int nrec) {
    Tensor *v = ix->view;
    for (int d = 0; d < nrec; d++) {
        Tensor *t = rec[d];
        if (!t) continue;
        if (tensor_is_cuda(t) && !tensor_is_cuda(v)) {
            tsr_raise(ERR_RuntimeError, "%s",
                      "indices should be either on cpu or on the same device as the indexed tensor (cpu)");
            return false;
        }
        if (t->dtype != DT_INT64 && t->dtype != DT_BOOL && t->dtype != DT_UINT8) {
            tsr_raise(ERR_IndexError, "%s", "tensors used as indices must be long, byte or bool tensors");
            return false;
        }
    }
    int o = 0;
    for (int d = 0; d < nrec; d++) {
        Tensor *t = rec[d];
        if (!t || t->dtype == DT_INT64) {
            if (o >= v->ndim) goto too_many;
            if (t) {
                ix->adv[o] = tensor_contiguous(t);
                if (!ix->adv[o]) return false;
                ix->n_adv++;
            }
            o++;
            continue;
        }
        for (int j = 0; j < t->ndim; j++) {
            if (o + j >= v->ndim) {
                tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [%d, %d], but got %d)",
                          -v->ndim, v->ndim - 1, o + j);
                return false;
            }
            if (t->shape[j] != v->shape[o + j]) {
                char b1[512], b2[512];
                op_shape_text(b1, sizeof b1, t->ndim, t->shape);
                op_shape_text(b2, sizeof b2, v->ndim, v->shape);
                tsr_raise(ERR_IndexError,
                          "The shape of the mask %s at index %d does not match the shape of the "
                          "indexed tensor %s at index %d",
                          b1, j, b2, o + j);
                return false;
            }
        }
        if (!mask_to_indices(t, &ix->adv[o])) return false;
        ix->n_adv += t->ndim;
        o += t->ndim;
    }
    return true;
too_many:
    tsr_raise(ERR_IndexError, "too many indices for tensor of dimension %d (got %d)", v->ndim, nrec);
    return false;
}

/* PyTorch's applySlicing then expandTensors: ints, slices, None and 0-dim
 * tensors walk the view first (an int out of range names its position in
 * the subscript); index tensors are recorded at the current dim, each
 * moving it by one (a k-d mask too, as PyTorch does), and checked after. */
static bool apply_basic(Tensor *a, const TensorIndex *idx, int n, Indexed *ix) {
    memset(ix, 0, sizeof *ix);
    int consumed = 0, ellipses = 0;
    for (int i = 0; i < n; i++) {
        switch (idx[i].kind) {
        case IDX_INT:
        case IDX_SLICE: consumed++; break;
        case IDX_ELLIPSIS: ellipses++; break;
        case IDX_NONE: break;
        case IDX_TENSOR: {
            Tensor *t = idx[i].tensor;
            consumed += (t->dtype == DT_BOOL || t->dtype == DT_UINT8) ? t->ndim : 1;
            break;
        }
        }
    }
    if (ellipses > 1) {
        tsr_raise(ERR_IndexError, "%s", "an index can only have a single ellipsis ('...')");
        return false;
    }
    if (consumed > a->ndim) {
        if (a->ndim == 0) {
            tsr_raise(ERR_IndexError, "%s",
                      "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                      "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
        } else {
            tsr_raise(ERR_IndexError, "too many indices for tensor of dimension %d", a->ndim);
        }
        return false;
    }
    Tensor *rec[TSR_MAX_DIMS] = {0}; /* owned */
    int nrec = 0;
    ix->view = tensor_retain(a);
    int dim = 0;
    for (int i = 0; i < n; i++) {
        const TensorIndex *e = &idx[i];
        Tensor *v = ix->view;
        switch (e->kind) {
        case IDX_INT: {
            int64_t size = v->shape[dim], k = e->i;
            if (k < -size || k >= size) {
                raise_int_bounds(k, i, size);
                goto fail;
            }
            if (!step_view(ix, op_select(v, dim, k))) goto fail;
            break;
        }
        case IDX_SLICE: {
            int64_t step = e->step;
            if (step == 0) {
                tsr_raise(ERR_ValueError, "%s", "slice step cannot be zero");
                goto fail;
            }
            if (step < 0) {
                tsr_raise(ERR_ValueError, "%s", "step must be greater than zero");
                goto fail;
            }
            int64_t start = e->has_start ? e->start : 0;
            int64_t stop = e->has_stop ? e->stop : INT64_MAX;
            if (!step_view(ix, op_slice(v, dim, start, stop, step))) goto fail;
            dim++;
            break;
        }
        case IDX_NONE:
            if (!step_view(ix, op_unsqueeze(v, dim))) goto fail;
            dim++;
            break;
        case IDX_ELLIPSIS: dim += a->ndim - consumed; break;
        case IDX_TENSOR: {
            Tensor *t = e->tensor;
            if (is_select_tensor(t)) {
                if (tensor_is_cuda(t) && !tensor_is_cuda(a) && t->dtype != DT_INT64) {
                    tsr_raise(ERR_RuntimeError, "%s",
                              "indices should be either on cpu or on the same device as the indexed tensor (cpu)");
                    goto fail;
                }
                int64_t size = v->shape[dim], k = tensor_get_i64(t, 0);
                if (k < -size || k >= size) {
                    raise_int_bounds(k, i, size);
                    goto fail;
                }
                if (!step_view(ix, op_select(v, dim, k))) goto fail;
                break;
            }
            if (dim >= TSR_MAX_DIMS) {
                tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions", TSR_MAX_DIMS);
                goto fail;
            }
            if (t->ndim == 0 && (t->dtype == DT_BOOL || t->dtype == DT_UINT8)) {
                /* x[True]: a new dim indexed by [0] or [] */
                if (!step_view(ix, op_unsqueeze(v, dim))) goto fail;
                int64_t len = tensor_get_f64(t, 0) != 0 ? 1 : 0;
                rec[dim] = tensor_zeros(DT_INT64, 1, &len, device_cpu());
                if (!rec[dim]) goto fail;
            } else {
                rec[dim] = tensor_retain(t);
            }
            nrec = ++dim;
            break;
        }
        }
    }
    bool ok = expand_indices(ix, rec, nrec);
    for (int d = 0; d < nrec; d++) tensor_release(rec[d]);
    if (ok) return true;
    indexed_free(ix);
    return false;
fail:
    for (int d = 0; d < nrec; d++) tensor_release(rec[d]);
    indexed_free(ix);
    return false;
}

/* Geometry of an advanced access: result shape and, per result element,
 * where it reads in the view. */
typedef struct {
    int ndim;
    int64_t shape[TSR_MAX_DIMS];
    int bnd;                      /* broadcast index ndim */
    int64_t bshape[TSR_MAX_DIMS];
    int bpos;                     /* where the broadcast dims sit in the result */
    int nrest;
    int rest[TSR_MAX_DIMS];       /* non-indexed dims of the view, in order */
    Tensor *bidx[TSR_MAX_DIMS];   /* per view dim: broadcast index (borrowed views) */
} AdvPlan;

static bool plan_advanced(Indexed *ix, AdvPlan *p) {
    Tensor *v = ix->view;
    memset(p, 0, sizeof *p);
    int first = -1, last = -1;
    p->bnd = 0;
    for (int d = 0; d < v->ndim; d++) {
        Tensor *t = ix->adv[d];
        if (!t) {
            p->rest[p->nrest++] = d;
            continue;
        }
        if (first < 0) first = d;
        last = d;
        int nd = p->bnd > t->ndim ? p->bnd : t->ndim;
        int64_t out[TSR_MAX_DIMS];
        for (int k = 0; k < nd; k++) {
            int ia = k - (nd - p->bnd), ib = k - (nd - t->ndim);
            int64_t sa = ia >= 0 ? p->bshape[ia] : 1, sb = ib >= 0 ? t->shape[ib] : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                char buf[2048];
                size_t w = 0;
                for (int q = 0; q < v->ndim; q++) {
                    if (!ix->adv[q]) continue;
                    char b[512];
                    op_shape_text(b, sizeof b, ix->adv[q]->ndim, ix->adv[q]->shape);
                    w += (size_t)snprintf(buf + w, sizeof buf - w, "%s%s", w ? ", " : "", b);
                    if (w >= sizeof buf) break;
                }
                tsr_raise(ERR_IndexError,
                          "shape mismatch: indexing tensors could not be broadcast together with shapes %s", buf);
                return false;
            }
            out[k] = sa == 1 ? sb : sa;
        }
        p->bnd = nd;
        memcpy(p->bshape, out, sizeof(int64_t) * nd);
    }
    bool adjacent = true;
    for (int d = first; d <= last; d++) adjacent &= ix->adv[d] != NULL;
    int before = 0;
    if (adjacent)
        for (int d = 0; d < first; d++) before++;
    p->bpos = before;
    p->ndim = p->nrest + p->bnd;
    if (p->ndim > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions", TSR_MAX_DIMS);
        return false;
    }
    int k = 0;
    for (int i = 0; i < before; i++) p->shape[k++] = v->shape[p->rest[i]];
    for (int i = 0; i < p->bnd; i++) p->shape[k++] = p->bshape[i];
    for (int i = before; i < p->nrest; i++) p->shape[k++] = v->shape[p->rest[i]];
    /* PyTorch's AdvancedIndex: an indexed dim of size 0 with a non-empty
     * index can hold no valid index */
    bool bempty = false, zero_dim = false;
    for (int i = 0; i < p->bnd; i++) bempty |= p->bshape[i] == 0;
    for (int d = 0; d < v->ndim; d++) zero_dim |= ix->adv[d] && v->shape[d] == 0;
    if (zero_dim && !bempty) {
        tsr_raise(ERR_IndexError, "%s", "index is out of bounds for dimension with size 0");
        return false;
    }
    /* bounds check, in the kernel, so only when the result has elements;
     * PyTorch's kernel numbers the indexed dims 0, 1, ... */
    int64_t total = 1;
    for (int i = 0; i < p->ndim; i++) total *= p->shape[i];
    if (total == 0) return true;
    int ordinal = -1;
    for (int d = 0; d < v->ndim; d++) {
        Tensor *t = ix->adv[d];
        if (!t) continue;
        ordinal++;
        int64_t n = tensor_numel(t), size = v->shape[d];
        const int64_t *q = (const int64_t *)tensor_data(t);
        for (int64_t i = 0; i < n; i++) {
            if (q[i] < -size || q[i] >= size) {
                tsr_raise(ERR_IndexError, "index %lld is out of bounds for dimension %d with size %lld",
                          (long long)q[i], ordinal, (long long)size);
                return false;
            }
        }
    }
    return true;
}

/* Calls fn(ctx, k, src_off, flat_pos) for each result element k (row-major):
 * src_off is the element offset in the view's storage, flat_pos the view's
 * row-major position. */
typedef void (*adv_visit_fn)(void *ctx, int64_t k, int64_t src_off, int64_t flat_pos);

static void adv_walk(Indexed *ix, const AdvPlan *p, adv_visit_fn fn, void *ctx) {
    Tensor *v = ix->view;
    int64_t total = 1;
    for (int i = 0; i < p->ndim; i++) total *= p->shape[i];
    if (total == 0) return;
    int64_t cstr[TSR_MAX_DIMS];
    contiguous_strides(v->ndim, v->shape, cstr);
    /* per indexed dim, strides of its index tensor against bshape */
    int64_t istr[TSR_MAX_DIMS][TSR_MAX_DIMS];
    for (int d = 0; d < v->ndim; d++) {
        Tensor *t = ix->adv[d];
        if (!t) continue;
        for (int k = 0; k < p->bnd; k++) {
            int it = k - (p->bnd - t->ndim);
            istr[d][k] = (it < 0 || t->shape[it] == 1) ? 0 : t->stride[it];
        }
    }
    int64_t idx[TSR_MAX_DIMS] = {0};
    for (int64_t k = 0; k < total; k++) {
        int64_t off = v->offset, pos = 0;
        /* rest dims */
        for (int i = 0; i < p->nrest; i++) {
            int rd = i < p->bpos ? i : i + p->bnd;
            int64_t c = idx[rd];
            off += c * v->stride[p->rest[i]];
            pos += c * cstr[p->rest[i]];
        }
        for (int d = 0; d < v->ndim; d++) {
            Tensor *t = ix->adv[d];
            if (!t) continue;
            int64_t e = 0;
            for (int b = 0; b < p->bnd; b++) e += idx[p->bpos + b] * istr[d][b];
            int64_t c = ((const int64_t *)tensor_data(t))[e];
            if (c < 0) c += v->shape[d];
            off += c * v->stride[d];
            pos += c * cstr[d];
        }
        fn(ctx, k, off, pos);
        for (int d = p->ndim - 1; d >= 0; d--) {
            if (++idx[d] < p->shape[d]) break;
            idx[d] = 0;
        }
    }
}

/* ---- the GPU path: the access as a kernel geometry. Index tensors on the
 * CPU (masks, CPU index tensors) are copied to device memory, held in
 * DevTemps until the launch has been queued. */
typedef struct {
    void *p[TSR_MAX_DIMS];
    size_t n[TSR_MAX_DIMS];
    int count;
} DevTemps;

static void temps_free(DevTemps *t) {
    for (int i = 0; i < t->count; i++) device_free(t->p[i], t->n[i]);
    t->count = 0;
}

/* 1: g describes the access; 0: the GPU kernel cannot take it; -1: error raised. */
static int adv_geom(Indexed *ix, const AdvPlan *p, CudaAdvGeom *g, DevTemps *tmp) {
    Tensor *v = ix->view;
    memset(g, 0, sizeof *g);
    memset(tmp, 0, sizeof *tmp);
    if (p->ndim > CUDA_INDEX_MAX_DIMS) return 0;
    g->ndim = p->ndim;
    memcpy(g->shape, p->shape, sizeof(int64_t) * (size_t)p->ndim);
    for (int i = 0; i < p->nrest; i++) g->rest_stride[i < p->bpos ? i : i + p->bnd] = v->stride[p->rest[i]];
    for (int d = 0; d < v->ndim; d++) {
        Tensor *t = ix->adv[d];
        if (!t) continue;
        if (g->nidx == CUDA_ADV_MAX_INDICES) return 0;
        CudaAdvIndex *x = &g->idx[g->nidx++];
        x->size = v->shape[d];
        x->view_stride = v->stride[d];
        for (int b = 0; b < p->bnd; b++) {
            int it = b - (p->bnd - t->ndim);
            x->stride[p->bpos + b] = (it < 0 || t->shape[it] == 1) ? 0 : t->stride[it];
        }
        if (tensor_is_cuda(t)) {
            x->data = (const int64_t *)tensor_ptr(t);
            continue;
        }
        size_t nb = sizeof(int64_t) * (size_t)tensor_numel(t);
        void *dev = device_alloc(nb ? nb : 1);
        if (!dev) {
            temps_free(tmp);
            return -1;
        }
        tmp->p[tmp->count] = dev;
        tmp->n[tmp->count++] = nb ? nb : 1;
        if (nb && !tsr_cuda->memcpy(dev, tensor_data(t), nb)) {
            tsr_raise(ERR_RuntimeError, "CUDA error: %s", tsr_cuda->last_error());
            temps_free(tmp);
            return -1;
        }
        x->data = dev;
    }
    return 1;
}

typedef struct {
    char *dst;
    const char *src;
    int64_t es;
    int64_t *pos;
} GatherCtx;

static void gather_visit(void *vc, int64_t k, int64_t off, int64_t pos) {
    GatherCtx *c = vc;
    if (c->dst) memcpy(c->dst + k * c->es, c->src + off * c->es, (size_t)c->es);
    if (c->pos) c->pos[k] = pos;
}

Tensor *op_index(Tensor *a, const TensorIndex *idx, int n) {
    Indexed ix;
    if (!apply_basic(a, idx, n, &ix)) return NULL;
    Tensor *out = NULL, *pos = NULL;
    if (ix.n_adv == 0) {
        if (ix.view == a) {
            /* nothing applied (x[...] / x[()]): an alias */
            out = op_make_view(a, a->ndim, a->shape, a->stride, a->offset, NODE_AliasBackward0);
        } else {
            out = tensor_retain(ix.view);
        }
        indexed_free(&ix);
        return out;
    }
    AdvPlan p;
    if (!plan_advanced(&ix, &p)) goto fail;
    out = tensor_empty(a->dtype, p.ndim, p.shape, a->storage->device);
    if (!out) goto fail;
    bool grad = ag_any_requires_grad(&ix.view, 1);
    if (grad) {
        pos = tensor_empty(DT_INT64, p.ndim, p.shape, device_cpu());
        if (!pos) goto fail;
    }
    bool on_gpu = false;
    if (tensor_is_cuda(ix.view) && tensor_is_cuda(out)) {
        CudaAdvGeom g;
        DevTemps tmp;
        int r = adv_geom(&ix, &p, &g, &tmp);
        if (r < 0) goto fail;
        on_gpu = r > 0 && tsr_cuda->index_gather((int)dtype_size(a->dtype), &g, tensor_ptr(ix.view), tensor_ptr(out)) == KERNEL_OK;
        temps_free(&tmp);
    }
    if (!on_gpu || pos) { /* on the GPU, the walk only records the positions */
        GatherCtx gc = {on_gpu ? NULL : storage_host(out->storage), on_gpu ? NULL : storage_host(ix.view->storage),
                        (int64_t)dtype_size(a->dtype), pos ? (int64_t *)storage_host(pos->storage) : NULL};
        adv_walk(&ix, &p, gather_visit, &gc);
    }
    if (grad) {
        GradNode *node = ag_record(out, NODE_IndexBackward0, &ix.view, 1);
        if (!node || !op_set_ctx(node, ix.view, 0, NULL) || !ag_save(node, pos)) goto fail;
    }
    tensor_release(pos);
    indexed_free(&ix);
    return out;
fail:
    tensor_release(out);
    tensor_release(pos);
    indexed_free(&ix);
    return NULL;
}

/* value without leading size-1 dims beyond ndim (PyTorch's slicePrefix1sSize) */
static Tensor *strip_leading_ones(Tensor *v, int ndim) {
    int drop = 0;
    while (v->ndim - drop > ndim && v->shape[drop] == 1) drop++;
    return tensor_as_strided(v, v->ndim - drop, v->shape + drop, v->stride + drop, v->offset);
}

typedef struct {
    char *dst;
    const char *src;
    int64_t es;
    int64_t vndim;
    int64_t rshape[TSR_MAX_DIMS];
    int rndim;
    int64_t vstride[TSR_MAX_DIMS]; /* value strides against the result shape (0 = broadcast) */
    int64_t voff;
} ScatterCtx;

static void scatter_visit(void *vc, int64_t k, int64_t off, int64_t pos) {
    ScatterCtx *c = vc;
    int64_t so = c->voff, rem = k;
    for (int d = c->rndim - 1; d >= 0; d--) {
        int64_t i = rem % c->rshape[d];
        rem /= c->rshape[d];
        so += i * c->vstride[d];
    }
    memcpy(c->dst + off * c->es, c->src + so * c->es, (size_t)c->es);
}

static bool leaf_check(Tensor *a, bool is_view) {
    if (!ag_check_inference_write(a)) return false;
    if (ag_grad_enabled && a->view_base && a->view_base->requires_grad && !a->view_base->grad_fn) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "a view of a leaf Variable that requires grad is being used in an in-place operation.");
        return false;
    }
    if (ag_grad_enabled && a->requires_grad && !a->grad_fn) {
        tsr_raise(ERR_RuntimeError, "%s",
                  is_view ? "a view of a leaf Variable that requires grad is being used in an in-place operation."
                          : "a leaf Variable that requires grad is being used in an in-place operation.");
        return false;
    }
    return true;
}

/* ---- autograd of index assignment ----
 * a[idx] = v records on the base of a (a itself when a is no view): for an
 * advanced index applied to the base directly IndexPutBackward0, otherwise
 * CopySlices (PyTorch's node for a write through a view); inputs {base's
 * old history, v}; saved tensor 0 an int64 tensor shaped like a[idx]
 * holding the row-major positions in the base that were written (the
 * layout the index_put formula in runtime/backward/ reads). When a is a
 * view, a's own grad_fn becomes AsStridedBackward0 on the base, saving the
 * positions of a's elements in the base. */

/* Row-major position in base of the element at storage offset off; dims
 * taken by decreasing stride (base is non-overlapping). */
static bool base_position(const Tensor *base, int64_t off, int64_t *pos) {
    int order[TSR_MAX_DIMS], n = 0;
    int64_t cs[TSR_MAX_DIMS];
    contiguous_strides(base->ndim, base->shape, cs);
    for (int d = 0; d < base->ndim; d++) {
        if (base->shape[d] == 1) continue;
        int k = n++;
        while (k > 0 && base->stride[order[k - 1]] < base->stride[d]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = d;
    }
    int64_t rem = off - base->offset, p = 0;
    for (int k = 0; k < n; k++) {
        int d = order[k];
        int64_t st = base->stride[d], i = st > 0 ? rem / st : 0;
        if (i < 0 || i >= base->shape[d]) break;
        rem -= i * st;
        p += i * cs[d];
    }
    if (rem != 0) {
        tsr_raise(ERR_RuntimeError, "%s", "index assignment: the written view is not part of its base");
        return false;
    }
    *pos = p;
    return true;
}

/* Positions in base of each element of view (same storage), shaped like view. */
static Tensor *view_positions(const Tensor *view, const Tensor *base) {
    Tensor *pos = tensor_empty(DT_INT64, view->ndim, view->shape, device_cpu());
    if (!pos) return NULL;
    int64_t n = tensor_numel(pos), idx[TSR_MAX_DIMS] = {0}, *p = (int64_t *)tensor_data(pos);
    for (int64_t k = 0; k < n; k++) {
        int64_t off = view->offset;
        for (int d = 0; d < view->ndim; d++) off += idx[d] * view->stride[d];
        if (!base_position(base, off, &p[k])) {
            tensor_release(pos);
            return NULL;
        }
        for (int d = view->ndim - 1; d >= 0; d--) {
            if (++idx[d] < view->shape[d]) break;
            idx[d] = 0;
        }
    }
    return pos;
}

static void offset_visit(void *vc, int64_t k, int64_t off, int64_t pos) { ((int64_t *)vc)[k] = off; }

/* Positions in base written by an advanced index (shape p->shape). */
static Tensor *advanced_positions(Indexed *ix, const AdvPlan *p, const Tensor *base) {
    Tensor *pos = tensor_empty(DT_INT64, p->ndim, p->shape, device_cpu());
    if (!pos) return NULL;
    int64_t *q = (int64_t *)tensor_data(pos), n = tensor_numel(pos);
    adv_walk(ix, p, offset_visit, q);
    for (int64_t k = 0; k < n; k++) {
        if (!base_position(base, q[k], &q[k])) {
            tensor_release(pos);
            return NULL;
        }
    }
    return pos;
}

/* Records the write (see above); pos: the written positions in base. */
static bool record_index_put(Tensor *a, Tensor *base, Tensor *value, Tensor *pos, bool direct) {
    GradNode *node = ag_record(base, direct ? NODE_IndexPutBackward0 : NODE_CopySlices, (Tensor *[]){base, value}, 2);
    if (!node || !ag_save(node, pos)) return false;
    if (a == base) return true;
    Tensor *apos = view_positions(a, base);
    node = apos ? ag_record(a, NODE_AsStridedBackward0, &base, 1) : NULL;
    bool ok = node && ag_save(node, apos);
    tensor_release(apos);
    return ok;
}

/* ag_rebase_view (in-place ops on views) is in autograd/record.c */

bool op_index_put_(Tensor *a, const TensorIndex *idx, int n, Tensor *value) {
    Indexed ix;
    if (value->wrapped_number && !scalar_fits(a->dtype, value)) return false; /* before indexing */
    bool saved_mode = ag_grad_enabled;
    ag_grad_enabled = false; /* the internal view records nothing */
    bool ok = apply_basic(a, idx, n, &ix);
    ag_grad_enabled = saved_mode;
    if (!ok) return false;
    Tensor *val = NULL, *conv = NULL, *pos = NULL;
    bool result = false;
    Tensor *base = a->view_base ? a->view_base : a;
    bool grad = ag_any_requires_grad((Tensor *[]){base, a, value}, 3);
    if (ix.n_adv == 0) {
        if (!leaf_check(a, true)) goto done;
        Tensor *dst = ix.view;
        if (value->ndim > dst->ndim) {
            val = strip_leading_ones(value, dst->ndim);
            if (!val) goto done;
            if (val->ndim > dst->ndim) { /* op_expand raises PyTorch's copy_ error */
                tensor_release(op_expand(val, dst->ndim, dst->shape));
                goto done;
            }
        } else {
            val = tensor_retain(value);
        }
        if (grad && !(pos = view_positions(dst, base))) goto done;
        if (!tensor_copy_(dst, val)) goto done;
        if (grad && !record_index_put(a, base, value, pos, false)) goto done;
    } else {
        if (!leaf_check(a, false)) goto done;
        if (value->dtype != a->dtype) {
            if (!value->wrapped_number) {
                /* "FloatTensor" -> "Float" */
                char msg[512];
                const char *d = tsr_dtype_info[a->dtype].tensor_type, *s = tsr_dtype_info[value->dtype].tensor_type;
                snprintf(msg, sizeof msg,
                         "Index put requires the source and destination dtypes match, got %.*s for the "
                         "destination and %.*s for the source.",
                         (int)(strlen(d) - 6), d, (int)(strlen(s) - 6), s);
                tsr_raise(ERR_RuntimeError, "%s", msg);
                goto done;
            }
            conv = tensor_clone(value, a->dtype);
            if (!conv) goto done;
        }
        Tensor *src = conv ? conv : value;
        AdvPlan p;
        if (!plan_advanced(&ix, &p)) goto done;
        val = strip_leading_ones(src, p.ndim);
        if (!val) goto done;
        ScatterCtx sc;
        memset(&sc, 0, sizeof sc);
        bool fits = val->ndim <= p.ndim;
        for (int d = 0; fits && d < p.ndim; d++) {
            int vd = d - (p.ndim - val->ndim);
            if (vd < 0) {
                sc.vstride[d] = 0;
            } else if (val->shape[vd] == p.shape[d]) {
                sc.vstride[d] = val->shape[vd] == 1 ? 0 : val->stride[vd];
            } else if (val->shape[vd] == 1) {
                sc.vstride[d] = 0;
            } else {
                fits = false;
            }
        }
        if (!fits) {
            char b1[512], b2[512];
            op_shape_text(b1, sizeof b1, src->ndim, src->shape);
            op_shape_text(b2, sizeof b2, p.ndim, p.shape);
            tsr_raise(ERR_RuntimeError,
                      "shape mismatch: value tensor of shape %s cannot be broadcast to indexing result of shape %s",
                      b1, b2);
            goto done;
        }
        /* a copy of the value if it overlaps a's storage */
        if (val->storage == a->storage) {
            Tensor *c = tensor_clone(val, DT_UNDEFINED);
            if (!c) goto done;
            tensor_release(val);
            val = c;
            for (int d = 0; d < p.ndim; d++) {
                int vd = d - (p.ndim - val->ndim);
                sc.vstride[d] = (vd < 0 || val->shape[vd] == 1) ? 0 : val->stride[vd];
            }
        }
        if (tensor_is_cuda(ix.view)) {
            if (!tensor_is_cuda(val)) { /* a CPU value (a Python scalar): to the device */
                Tensor *c = tensor_empty(val->dtype, val->ndim, val->shape, ix.view->storage->device);
                if (!c || !tensor_copy_(c, val)) {
                    tensor_release(c);
                    goto done;
                }
                tensor_release(val);
                val = c;
                for (int d = 0; d < p.ndim; d++) {
                    int vd = d - (p.ndim - val->ndim);
                    sc.vstride[d] = (vd < 0 || val->shape[vd] == 1) ? 0 : val->stride[vd];
                }
            }
            CudaAdvGeom g;
            DevTemps tmp;
            int r = adv_geom(&ix, &p, &g, &tmp);
            if (r < 0) goto done;
            bool on_gpu = r > 0 && tsr_cuda->index_put((int)dtype_size(a->dtype), &g, tensor_ptr(ix.view), tensor_ptr(val),
                                                  sc.vstride) == KERNEL_OK;
            temps_free(&tmp);
            if (on_gpu) {
                if (grad && !(pos = advanced_positions(&ix, &p, base))) goto done;
                if (grad && !record_index_put(a, base, value, pos, ix.view == a && base == a)) goto done;
                a->storage->version++;
                result = true;
                goto done;
            }
        }
        sc.dst = storage_host(ix.view->storage);
        sc.src = storage_host(val->storage);
        sc.voff = val->offset;
        sc.es = (int64_t)dtype_size(a->dtype);
        sc.rndim = p.ndim;
        memcpy(sc.rshape, p.shape, sizeof p.shape);
        if (grad && !(pos = advanced_positions(&ix, &p, base))) goto done;
        adv_walk(&ix, &p, scatter_visit, &sc);
        if (grad && !record_index_put(a, base, value, pos, ix.view == a && base == a)) goto done;
    }
    a->storage->version++;
    result = true;
done:
    tensor_release(val);
    tensor_release(conv);
    tensor_release(pos);
    indexed_free(&ix);
    return result;
}

/* ---- gather / scatter ---- */

/* Checks of gather/scatter: index dims, dtype, and sizes. */
static bool check_index(const char *fn, Tensor *a, int d, Tensor *index, Tensor *src) {
    if (index->dtype != DT_INT64) {
        tsr_raise(ERR_RuntimeError, "%s(): Expected dtype int64 for index", fn);
        return false;
    }
    int an = a->ndim ? a->ndim : 1, in = index->ndim ? index->ndim : 1;
    if (tensor_numel(index) == 0) return true;
    if (an != in) {
        tsr_raise(ERR_RuntimeError, "Index tensor must have the same number of dimensions as %s tensor",
                  src || strncmp(fn, "scatter", 7) == 0 ? "self" : "input");
        return false;
    }
    char b1[256], b2[256], b3[256];
    for (int k = 0; k < index->ndim; k++) {
        bool bad_self = k != d && index->shape[k] > a->shape[k];
        bool bad_src = src && src->ndim == index->ndim && index->shape[k] > src->shape[k];
        if (bad_self || bad_src) {
            op_shape_text(b1, sizeof b1, index->ndim, index->shape);
            op_shape_text(b2, sizeof b2, a->ndim, a->shape);
            if (src) {
                op_shape_text(b3, sizeof b3, src->ndim, src->shape);
                tsr_raise(ERR_RuntimeError,
                          "Expected index %s to be smaller than self %s apart from dimension %d and to be "
                          "smaller size than src %s",
                          b1, b2, d, b3);
            } else {
                tsr_raise(ERR_RuntimeError,
                          "Size does not match at dimension %d expected index %s to be smaller than self "
                          "%s apart from dimension %d",
                          k, b1, b2, d);
            }
            return false;
        }
    }
    return true;
}

/* gather/scatter's error for an index outside [0, size) along dim d */
static void raise_index_bounds(int64_t ix, int d, int64_t size) {
    tsr_raise(ERR_RuntimeError, "index %lld is out of bounds for dimension %d with size %lld", (long long)ix, d,
              (long long)size);
}

/* The GPU kernels take validated indices: the index is checked on the
 * host first (the CPU loop's error for the first bad one in row-major
 * order), then one launch. */
static bool gpu_indices_ok(Tensor *index, int d, int64_t size) {
    IndexWalk w = {0};
    w.ndim = index->ndim;
    for (int k = 0; k < w.ndim; k++) {
        w.shape[k] = index->shape[k];
        w.st[1][k] = index->stride[k];
    }
    int64_t bad;
    if (kernel_index_check(&w, (const int64_t *)tensor_data(index), size, &bad) == KERNEL_OK) return true;
    raise_index_bounds(bad, d, size);
    return false;
}

Tensor *op_gather(Tensor *a, int64_t dim, Tensor *index) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0 || !check_index("gather", a, d, index, NULL)) return NULL;
    Tensor *out = tensor_empty(a->dtype, index->ndim, index->shape, a->storage->device);
    if (!out) return NULL;
    if (tensor_numel(index) > 0) {
        IndexWalk w = {0};
        w.ndim = index->ndim;
        for (int k = 0; k < w.ndim; k++) {
            w.shape[k] = index->shape[k];
            w.st[0][k] = out->stride[k];
            w.st[1][k] = index->stride[k];
            w.st[2][k] = k == d ? 0 : a->stride[k];
        }
        int64_t size = a->ndim ? a->shape[d] : 1, sstride = a->ndim ? a->stride[d] : 0, bad = 0;
        Device dev = tensor_is_cuda(a) && tensor_is_cuda(index) ? a->storage->device : device_cpu();
        if (dev.type == DEV_CUDA && !gpu_indices_ok(index, d, size)) {
            tensor_release(out);
            return NULL;
        }
        KernelStatus st;
        DEVICE_RUN(st, dev, gather, (int)dtype_size(a->dtype), &w, tensor_ptr(out),
                   (const int64_t *)tensor_ptr(index), tensor_ptr(a), sstride, size, &bad);
        if (st != KERNEL_OK) {
            raise_index_bounds(bad, d, size);
            tensor_release(out);
            return NULL;
        }
    }
    int64_t args[1] = {d};
    OpCtx ctx = op_ctx(a, 1, args);
    return ag_record_steal(out, NODE_GatherBackward0, &a, 1, &index, 1, &ctx, sizeof ctx);
}

Tensor *op_scatter(Tensor *a, int64_t dim, Tensor *index, Tensor *src, double value, bool add,
                   bool inplace) {
    const char *fn = add ? "scatter_add" : "scatter";
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    if (src && src->dtype != a->dtype) {
        tsr_raise(ERR_RuntimeError, "%s(): Expected self.dtype to be equal to src.dtype", fn);
        return NULL;
    }
    if (!check_index(fn, a, d, index, src)) return NULL;
    if (inplace && ag_grad_enabled && !a->grad_fn && a->requires_grad) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "a leaf Variable that requires grad is being used in an in-place operation.");
        return NULL;
    }
    /* value= converts to a's type (an integral double counts as a Python int) */
    if (!src && tensor_numel(index) > 0 &&
        !scalar_fits_number(a->dtype, value == trunc(value) && fabs(value) < 9.2e18, f64_to_i64(value), value))
        return NULL;
    Tensor *out = inplace ? tensor_retain(a) : tensor_clone(a, DT_UNDEFINED);
    if (!out) return NULL;
    char vbuf[16];
    dtype_store_f64(a->dtype, vbuf, value);
    if (tensor_numel(index) > 0) {
        IndexWalk w = {0};
        w.ndim = index->ndim;
        for (int k = 0; k < w.ndim; k++) {
            w.shape[k] = index->shape[k];
            w.st[0][k] = k == d ? 0 : out->stride[k];
            w.st[1][k] = index->stride[k];
            w.st[2][k] = src ? src->stride[k] : 0;
        }
        int64_t size = out->ndim ? out->shape[d] : 1, dstride = out->ndim ? out->stride[d] : 0, bad = 0;
        bool gpu = tensor_is_cuda(out) && tensor_is_cuda(index) && (!src || tensor_is_cuda(src));
        Device dev = gpu ? out->storage->device : device_cpu();
        if (gpu && !gpu_indices_ok(index, d, size)) {
            tensor_release(out);
            return NULL;
        }
        KernelStatus st;
        DEVICE_RUN(st, dev, scatter, a->dtype, &w, tensor_ptr(out), dstride, size,
                   (const int64_t *)tensor_ptr(index), src ? tensor_ptr(src) : NULL, vbuf, add, &bad);
        if (st != KERNEL_OK) {
            raise_index_bounds(bad, d, size);
            tensor_release(out);
            return NULL;
        }
    }
    if (inplace) out->storage->version++;
    Tensor *in[2] = {a, src};
    int64_t args[1] = {d};
    GradNodeKind kind = add ? NODE_ScatterAddBackward0 : src ? NODE_ScatterBackward0 : NODE_ScatterBackward1;
    OpCtx ctx = op_ctx(a, 1, args);
    /* in place, out is a itself: the node replaces a's history */
    return ag_record_steal(out, kind, in, src ? 2 : 1, &index, 1, &ctx, sizeof ctx);
}

/* ---- scatter with a reduction ---- */

/* The largest (or smallest) value of integer type dt. */
static int64_t int_limit(DType dt, bool largest) {
    switch (dt) {
    case DT_UINT8: return largest ? UINT8_MAX : 0;
    case DT_INT8: return largest ? INT8_MAX : INT8_MIN;
    case DT_INT16: return largest ? INT16_MAX : INT16_MIN;
    case DT_INT32: return largest ? INT32_MAX : INT32_MIN;
    default: return largest ? INT64_MAX : INT64_MIN;
    }
}

/* The identity of a reduction in dt (host bytes of one element). */
static void reduce_identity(DType dt, int op, char *buf) {
    if (op == SCATTER_PROD) {
        dtype_store_f64(dt, buf, 1.0);
    } else if (op == SCATTER_AMAX || op == SCATTER_AMIN) {
        bool mx = op == SCATTER_AMAX;
        if (dtype_is_float(dt)) dtype_store_f64(dt, buf, mx ? -INFINITY : INFINITY);
        else if (dt == DT_BOOL) dtype_store_i64(dt, buf, mx ? 0 : 1);
        else dtype_store_i64(dt, buf, int_limit(dt, !mx));
    } else {
        dtype_store_f64(dt, buf, 0.0);
    }
}

/* out = a.clone() with src (or the scalar value) reduced in by op along
 * d (checked); include_self false: the targets start from op's identity.
 * Mean leaves sums: the caller divides. Runs on the host. */
static Tensor *scatter_reduce_core(const char *fn, Tensor *a, int d, Tensor *index, Tensor *src, double value, int op,
                                   bool include_self) {
    if (!check_index(fn, a, d, index, src)) return NULL;
    if (!src && tensor_numel(index) > 0 &&
        !scalar_fits_number(a->dtype, value == trunc(value) && fabs(value) < 9.2e18, f64_to_i64(value), value))
        return NULL;
    Tensor *out = tensor_clone(a, DT_UNDEFINED);
    if (!out || tensor_numel(index) == 0) return out;
    IndexWalk w = {0};
    w.ndim = index->ndim;
    for (int k = 0; k < w.ndim; k++) {
        w.shape[k] = index->shape[k];
        w.st[0][k] = k == d ? 0 : out->stride[k];
        w.st[1][k] = index->stride[k];
        w.st[2][k] = src ? src->stride[k] : 0;
    }
    int64_t size = out->ndim ? out->shape[d] : 1, dstride = out->ndim ? out->stride[d] : 0, bad = 0;
    char vbuf[16], ibuf[16];
    dtype_store_f64(a->dtype, vbuf, value);
    if (dtype_is_float(a->dtype) || a->dtype == DT_BOOL) dtype_store_f64(a->dtype, vbuf, value);
    else dtype_store_i64(a->dtype, vbuf, f64_to_i64(value));
    reduce_identity(a->dtype, op, ibuf);
    char *o = tensor_data(out);
    const int64_t *ix = (const int64_t *)tensor_data(index);
    const char *sp = src ? tensor_data(src) : NULL;
    KernelStatus st = KERNEL_OK;
    if (!include_self) { /* the identity, one element, at every target */
        IndexWalk wi = w;
        memset(wi.st[2], 0, sizeof wi.st[2]);
        st = kernel_scatter(a->dtype, &wi, o, dstride, size, ix, NULL, ibuf, false, &bad);
    }
    if (st == KERNEL_OK) st = kernel_scatter_reduce(a->dtype, &w, o, dstride, size, ix, sp, vbuf, op, &bad);
    if (st != KERNEL_OK) {
        raise_index_bounds(bad, d, size);
        tensor_release(out);
        return NULL;
    }
    return out;
}

/* mean: out / count (floor division for integers), count the number of
 * values reduced into each element (1 more with include_self), at least 1 */
static Tensor *scatter_mean_divide(Tensor *out, int d, Tensor *index, Tensor *src, bool include_self) {
    Tensor *count = include_self ? tensor_full_f64(out->dtype, out->ndim, out->shape, 1.0, out->storage->device)
                                 : tensor_zeros(out->dtype, out->ndim, out->shape, out->storage->device);
    Tensor *ones = count ? tensor_full_f64(out->dtype, src->ndim, src->shape, 1.0, out->storage->device) : NULL;
    Tensor *c = ones ? op_scatter(count, d, index, ones, 0.0, true, true) : NULL;
    Tensor *zero = c ? tensor_scalar_f64(out->dtype, 0.0) : NULL, *one = zero ? tensor_wrapped_int(1) : NULL;
    Tensor *mask = one ? op_binary(BIN_EQ, c, zero) : NULL;
    Tensor *filled = mask ? op_masked_fill_(c, mask, one) : NULL;
    Tensor *r = NULL;
    if (filled) r = dtype_is_float(out->dtype) ? op_binary(BIN_DIV, out, filled) : op_div_mode(out, filled, true);
    tensor_release(count);
    tensor_release(ones);
    tensor_release(c);
    tensor_release(zero);
    tensor_release(one);
    tensor_release(mask);
    tensor_release(filled);
    return r;
}

Tensor *op_scatter_reduce(Tensor *a, int64_t dim, Tensor *index, Tensor *src, int op, bool include_self) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    if (src->dtype != a->dtype) {
        tsr_raise(ERR_RuntimeError, "%s", "scatter(): Expected self.dtype to be equal to src.dtype");
        return NULL;
    }
    Tensor *out = scatter_reduce_core("scatter", a, d, index, src, 0.0, op, include_self);
    if (out && op == SCATTER_MEAN) {
        Tensor *m = NULL;
        NO_GRAD(m = scatter_mean_divide(out, d, index, src, include_self));
        tensor_release(out);
        out = m;
    }
    if (!out || !ag_any_requires_grad((Tensor *[]){a, src}, 2)) return out;
    Tensor *in[2] = {a, src};
    Tensor *saved[4] = {index, a, src, out};
    int64_t args[3] = {d, op, include_self};
    OpCtx ctx = op_ctx(a, 3, args);
    return ag_record_steal(out, NODE_ScatterReduceBackward0, in, 2, saved, 4, &ctx, sizeof ctx);
}

Tensor *op_scatter_with_reduce(Tensor *a, int64_t dim, Tensor *index, Tensor *src, double value, bool multiply) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    if (src && src->dtype != a->dtype) {
        tsr_raise(ERR_RuntimeError, "%s", "scatter(): Expected self.dtype to be equal to src.dtype");
        return NULL;
    }
    Tensor *out = scatter_reduce_core("scatter", a, d, index, src, value, multiply ? SCATTER_PROD : SCATTER_SUM, true);
    Tensor *in[2] = {a, src};
    if (!out || !ag_any_requires_grad(in, src ? 2 : 1)) return out;
    GradNode *n = ag_record(out, NODE_NotImplemented, in, src ? 2 : 1);
    if (!n || !(n->ctx = tsr_strndup("scatter", 7))) {
        tensor_release(out);
        return NULL;
    }
    return out;
}

/* ---- take, index_select, masked_select: gathers by flat position ---- */

/* out[k] = src[pos[k]] over src's row-major positions (src of shape
 * nd/shape, broadcast from a). */
static Tensor *gather_flat(Tensor *a, int nd, const int64_t *shape, Tensor *pos) {
    Tensor *src = op_expanded_copy(a, nd, shape);
    Tensor *out = src ? tensor_empty(a->dtype, pos->ndim, pos->shape, a->storage->device) : NULL;
    if (!out) {
        tensor_release(src);
        return NULL;
    }
    bool gpu = tensor_is_cuda(out) && tensor_is_cuda(pos) && tensor_is_cuda(src);
    KernelStatus st;
    DEVICE_RUN(st, gpu ? out->storage->device : device_cpu(), take, (int)dtype_size(a->dtype), tensor_ptr(src),
               (const int64_t *)tensor_ptr(pos), tensor_numel(pos), tensor_ptr(out));
    (void)st; /* take has a loop for every element size */
    tensor_release(src);
    return out;
}

Tensor *op_take(Tensor *a, Tensor *index) {
    if (index->dtype != DT_INT64) {
        tsr_raise(ERR_RuntimeError, "take(): Expected a long tensor for index, but got %s",
                  dtype_scalar_name(index->dtype));
        return NULL;
    }
    int64_t numel = tensor_numel(a);
    Tensor *pos = tensor_clone(index, DT_INT64);
    if (!pos) return NULL;
    /* on the GPU: checked there, and only when it fails on the host (the
     * CPU kernel finds the bad index) */
    bool on_gpu = tensor_is_cuda(pos) && device_all_in_range(pos, -(double)numel, (double)numel - 1) == 1;
    KernelStatus st;
    int64_t bad = 0;
    DEVICE_RUN(st, on_gpu ? pos->storage->device : device_cpu(), wrap_negative, (int64_t *)tensor_ptr(pos),
               tensor_numel(pos), numel, &bad);
    if (st != KERNEL_OK) {
        tsr_raise(ERR_IndexError, "out of range: tried to access index %lld on a tensor of %lld elements.",
                  (long long)bad, (long long)numel);
        tensor_release(pos);
        return NULL;
    }
    OpCtx ctx = op_ctx(a, 0, NULL);
    Tensor *out = ag_record_steal(gather_flat(a, a->ndim, a->shape, pos), NODE_TakeBackward0, &a, 1, &pos, 1, &ctx,
                                  sizeof ctx);
    tensor_release(pos);
    return out;
}

Tensor *op_index_select(Tensor *a, int64_t dim, Tensor *index) {
    int w = wrap_dim(dim, a->ndim);
    if (w < 0) return NULL;
    if (index->ndim > 1) {
        tsr_raise(ERR_IndexError, "%s", "index_select(): Index is supposed to be a vector");
        return NULL;
    }
    if (index->dtype != DT_INT64 && index->dtype != DT_INT32) {
        tsr_raise(ERR_RuntimeError, "%s", "index_select(): Expected dtype int32 or int64 for index");
        return NULL;
    }
    int64_t ni = tensor_numel(index), size = a->ndim ? a->shape[w] : 1;
    int64_t shape[TSR_MAX_DIMS], cs[TSR_MAX_DIMS];
    int nd = a->ndim;
    memcpy(shape, a->shape, sizeof(int64_t) * (size_t)nd);
    if (nd) shape[w] = ni;
    contiguous_strides(a->ndim, a->shape, cs);
    /* on the GPU: the index checked there (the host loop raises the
     * error), the positions computed there */
    bool on_gpu = nd > 0 && tensor_is_cuda(a) && tensor_is_cuda(index) &&
                  device_all_in_range(index, 0, (double)size - 1) == 1;
    Tensor *pos = tensor_empty(DT_INT64, nd, shape, on_gpu ? a->storage->device : device_cpu());
    if (!pos) return NULL;
    KernelStatus st;
    int64_t bad = 0;
    DEVICE_RUN(st, pos->storage->device, select_positions, nd, shape, cs, w, index->dtype, tensor_ptr(index),
               index->ndim ? index->stride[0] : 0, (int64_t *)tensor_ptr(pos), size, &bad);
    if (st != KERNEL_OK) {
        /* PyTorch's two CPU paths word it differently */
        if (w == 0)
            tsr_raise(ERR_IndexError, "%s", "index out of range in self");
        else
            tsr_raise(ERR_RuntimeError, "INDICES element is out of DATA bounds, id=%lld axis_dim=%lld",
                      (long long)bad, (long long)size);
        tensor_release(pos);
        return NULL;
    }
    OpCtx ctx = op_ctx(a, 0, NULL);
    Tensor *out = ag_record_steal(gather_flat(a, a->ndim, a->shape, pos), NODE_IndexSelectBackward0, &a, 1, &pos, 1,
                                  &ctx, sizeof ctx);
    tensor_release(pos);
    return out;
}

Tensor *op_masked_select(Tensor *a, Tensor *mask) {
    if (mask->dtype != DT_BOOL && mask->dtype != DT_UINT8) {
        tsr_raise(ERR_RuntimeError, "%s", "masked_select: expected BoolTensor or ByteTensor for mask");
        return NULL;
    }
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(mask->ndim, mask->shape, a->ndim, a->shape, shape);
    if (nd < 0) return NULL;
    Tensor *m = NULL;
    if (mask->dtype == DT_UINT8) { /* a byte mask: 0 or 1 (checked in PyTorch's kernel) */
        int64_t mn = tensor_numel(mask);
        Tensor *hm = tensor_empty(DT_UINT8, mask->ndim, mask->shape, device_cpu());
        if (!hm || !tensor_copy_(hm, mask)) {
            tensor_release(hm);
            return NULL;
        }
        bool bad = false;
        for (int64_t i = 0; i < mn && !bad; i++) bad = tensor_get_f64(hm, i) > 1;
        tensor_release(hm);
        if (bad) {
            tsr_raise(ERR_RuntimeError, "%s", "Mask tensor can take 0 and 1 values only");
            return NULL;
        }
        Tensor *b = tensor_clone(mask, DT_BOOL);
        m = b ? op_expanded_copy(b, nd, shape) : NULL;
        tensor_release(b);
    } else {
        m = op_expanded_copy(mask, nd, shape);
    }
    if (!m) return NULL;
    /* the positions: nonzero of the flat mask */
    int64_t n = tensor_numel(m);
    Tensor *flat = op_reshape(m, 1, &n), *nz = flat ? op_nonzero(flat) : NULL;
    Tensor *pos = nz ? op_reshape(nz, 1, &nz->shape[0]) : NULL;
    tensor_release(flat);
    tensor_release(nz);
    tensor_release(m);
    if (!pos) return NULL;
    OpCtx ctx = op_ctx(a, nd, shape);
    Tensor *out = ag_record_steal(gather_flat(a, nd, shape, pos), NODE_MaskedSelectBackward0, &a, 1, &pos, 1, &ctx,
                                  sizeof ctx);
    tensor_release(pos);
    return out;
}

/* ---- nonzero ---- */

/* nonzero with kernels k: the count comes back to the host (a wait on a
 * GPU) to size the output. NULL with *st KERNEL_OK: an error raised. */
static Tensor *nonzero_with(const Kernels *k, Tensor *a, KernelStatus *st) {
    int64_t *count = NULL;
    Tensor *scratch, *out = NULL;
    *st = KERNEL_OK;
    if (!device_scratch(k, a->storage->device, k->nonzero_scratch(tensor_numel(a)), &scratch)) return NULL;
    *st = k->nonzero_count(a->dtype, a->ndim, a->shape, tensor_ptr(a), a->stride, tensor_ptr(scratch), &count);
    if (*st == KERNEL_OK && (!tensor_is_cuda(a) || device_synchronize())) {
        int64_t shape[2] = {*count, a->ndim};
        out = tensor_empty(DT_INT64, 2, shape, a->storage->device);
        if (out && (*st = k->nonzero_write(a->dtype, a->ndim, a->shape, tensor_ptr(a), a->stride, tensor_ptr(scratch),
                                           (int64_t *)tensor_ptr(out))) != KERNEL_OK) {
            tsr_raise(ERR_RuntimeError, "%s", "nonzero: the CUDA kernel failed");
            tensor_release(out);
            out = NULL;
            *st = KERNEL_OK;
        }
    }
    tensor_release(scratch); /* on a GPU, reused only by later launches on the same stream */
    return out;
}

Tensor *op_nonzero(Tensor *a) {
    KernelStatus st;
    Tensor *out = nonzero_with(device_kernels(a->storage->device), a, &st);
    if (st != KERNEL_UNSUPPORTED) return out;
    device_wait();
    return nonzero_with(&cpu_kernels, a, &st);
}
