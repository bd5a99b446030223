#include "autograd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

bool ag_grad_enabled = true;

const char *const ag_node_names[] = {
#define X(name, fn) [NODE_##name] = #name,
    AG_NODES(X)
#undef X
};
_Static_assert(sizeof ag_node_names / sizeof *ag_node_names == NODE_COUNT, "one name per node kind");

bool ag_any_requires_grad(Tensor *const *inputs, int n) {
    if (!ag_grad_enabled) return false;
    for (int i = 0; i < n; i++)
        if (inputs[i] && ag_requires_grad(inputs[i])) return true;
    return false;
}

/* tensor_release's call into this layer (tensor.h) */
static void release_tensor_state(Tensor *t) {
    if (t->retains_grad) ag_forget_retained(t);
    if (t->hooks) ag_free_tensor_hooks(t);
    GradNode *fn = t->grad_fn;
    t->grad_fn = NULL;
    ag_node_release(fn);
}

/* at::sequence_number: every node gets the next one when it is made; the
 * engine runs the ready node made last first. */
static uint64_t next_seq;

static GradNode *node_new(GradNodeKind kind, int n_next) {
    tensor_autograd_release = release_tensor_state;
    GradNode *node = tsr_calloc(1, sizeof *node);
    if (!node) return NULL;
    node->rc = 1;
    node->kind = kind;
    node->seq = kind == NODE_AccumulateGrad ? UINT64_MAX : next_seq++;
    node->n_next = n_next;
    node->n_outputs = 1;
    if (n_next) {
        node->next = tsr_calloc(n_next, sizeof *node->next);
        if (!node->next) {
            free(node);
            return NULL;
        }
        for (int i = 0; i < n_next; i++) node->next[i].shape = node->next[i].small;
    }
    return node;
}

/* Sets e's shape: inline up to AG_EDGE_INLINE_DIMS dims, else on the heap. */
static bool edge_set_shape(GradEdge *e, int ndim, const int64_t *shape) {
    if (e->shape != e->small) free(e->shape);
    e->shape = e->small;
    e->ndim = 0;
    if (ndim > AG_EDGE_INLINE_DIMS) {
        e->shape = tsr_malloc(sizeof(int64_t) * (size_t)ndim);
        if (!e->shape) {
            e->shape = e->small;
            return false;
        }
    }
    memcpy(e->shape, shape, sizeof(int64_t) * (size_t)ndim);
    e->ndim = ndim;
    return true;
}

/* The AccumulateGrad node of a leaf. PyTorch keeps one per leaf (a weak
 * reference from the tensor); we make one per use, holding the leaf. A
 * leaf never points back at its AccumulateGrad, so no cycle forms. */
static GradNode *accumulate_node(Tensor *leaf) {
    GradNode *node = node_new(NODE_AccumulateGrad, 0);
    if (!node) return NULL;
    node->leaf = tensor_retain(leaf);
    return node;
}

static bool edge_for(Tensor *t, GradEdge *e) {
    e->node = NULL;
    e->input_nr = 0;
    if (!t) return true;
    if (!ag_refresh_grad_fn(t)) return false;
    e->dtype = t->dtype;
    e->device = t->storage->device;
    if (!edge_set_shape(e, t->ndim, t->shape)) return false;
    if (!t->requires_grad) return true;
    if (t->grad_fn) {
        ag_node_retain(t->grad_fn);
        e->node = t->grad_fn;
        e->input_nr = t->output_nr;
        return true;
    }
    e->node = accumulate_node(t);
    return e->node != NULL;
}

GradNode *ag_node_new(GradNodeKind kind, Tensor *const *inputs, int n) {
    GradNode *node = node_new(kind, n);
    if (!node) return NULL;
    for (int i = 0; i < n; i++) {
        if (!edge_for(inputs[i], &node->next[i])) {
            ag_node_release(node);
            return NULL;
        }
    }
    return node;
}

GradNode *ag_record(Tensor *out, GradNodeKind kind, Tensor *const *inputs, int n) {
    GradNode *node = ag_node_new(kind, inputs, n);
    if (!node) return NULL;
    ag_node_release(out->grad_fn);
    out->grad_fn = node;
    out->output_nr = 0;
    out->requires_grad = true;
    return node;
}

GradNode *ag_record_multi(Tensor **outs, int n_outs, GradNodeKind kind,
                          Tensor *const *inputs, int n) {
    GradNode *node = ag_node_new(kind, inputs, n);
    if (!node) return NULL;
    node->n_outputs = n_outs;
    for (int i = 0; i < n_outs; i++) {
        ag_node_retain(node);
        ag_node_release(outs[i]->grad_fn);
        outs[i]->grad_fn = node;
        outs[i]->output_nr = i;
        outs[i]->requires_grad = true;
    }
    ag_node_release(node); /* the outputs hold it now */
    return node;
}

void ag_node_set_kind(GradNode *node, GradNodeKind kind) {
    node->kind = kind;
}

static bool save(GradNode *node, Tensor *t, int output_nr) {
    if (t && t->storage->inference) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "Inference tensors cannot be saved for backward. To work around you can make a clone to get "
                  "a normal tensor and use it in autograd.");
        return false;
    }
    Tensor **s = tsr_realloc(node->saved, sizeof(Tensor *) * (node->n_saved + 1));
    if (!s) return false;
    node->saved = s;
    AgSavedMeta *m = tsr_realloc(node->saved_meta, sizeof(AgSavedMeta) * (node->n_saved + 1));
    if (!m) return false;
    node->saved_meta = m;
    m[node->n_saved] = (AgSavedMeta){t ? t->storage->version : 0, output_nr};
    s[node->n_saved++] = tensor_retain(t);
    return true;
}

bool ag_save(GradNode *node, Tensor *t) { return save(node, t, -1); }

bool ag_save_result(GradNode *node, Tensor *out, int output_nr) {
    Tensor *alias = tensor_alias(out);
    if (!alias) return false;
    bool ok = save(node, alias, output_nr);
    tensor_release(alias);
    return ok;
}

Tensor *ag_record_steal(Tensor *out, GradNodeKind kind, Tensor *const *inputs, int n,
                        Tensor *const *saved, int n_saved, const void *ctx, size_t ctx_size) {
    if (!out || !ag_any_requires_grad(inputs, n)) return out;
    GradNode *node = ag_record(out, kind, inputs, n);
    bool ok = node != NULL;
    if (ok && ctx) {
        node->ctx = tsr_malloc(ctx_size);
        ok = node->ctx != NULL;
        if (ok) memcpy(node->ctx, ctx, ctx_size);
    }
    for (int i = 0; ok && i < n_saved; i++)
        ok = saved[i] == out ? ag_save_result(node, out, 0) : ag_save(node, saved[i]);
    if (!ok) {
        tensor_release(out);
        return NULL;
    }
    return out;
}

void ag_node_retain(GradNode *n) {
    if (n) n->rc++;
}

static void node_free_all(GradNode *n);
static void free_hooks(AgHook *h);

/* Iterative: a graph a million nodes deep (a long loop of y = y * 2) must
 * not overflow the C stack when it is freed. */
void ag_node_release(GradNode *n) {
    if (!n || --n->rc > 0) return;
    node_free_all(n);
}

typedef struct {
    GradNode **items;
    int depth, cap;
} NodeStack;

/* Drops one reference to m; pushes it when that was the last. */
static void drop_node(GradNode *m, NodeStack *st) {
    if (!m || --m->rc > 0) return;
    if (st->depth == st->cap) {
        int c = st->cap ? st->cap * 2 : 64;
        GradNode **s = realloc(st->items, sizeof(GradNode *) * (size_t)c);
        if (!s) { /* fall back to recursion rather than leak */
            m->rc = 1;
            ag_node_release(m);
            return;
        }
        st->items = s;
        st->cap = c;
    }
    st->items[st->depth++] = m;
}

/* Releases a tensor the node held; when that frees the tensor, its grad_fn
 * goes on the stack instead of being released recursively. */
static void drop_tensor(Tensor *t, NodeStack *st) {
    if (t && t->rc == 1 && t->grad_fn) {
        GradNode *g = t->grad_fn;
        if (t->retains_grad) ag_forget_retained(t);
        t->retains_grad = false;
        t->grad_fn = NULL;
        tensor_release(t);
        drop_node(g, st);
        return;
    }
    tensor_release(t);
}

/* Frees n (its count already 0). */
static void node_free(GradNode *n, NodeStack *st) {
    for (int i = 0; i < n->n_next; i++) {
        drop_node(n->next[i].node, st);
        if (n->next[i].shape != n->next[i].small) free(n->next[i].shape);
    }
    free(n->next);
    for (int i = 0; i < n->n_saved; i++) drop_tensor(n->saved[i], st);
    free(n->saved);
    free(n->saved_meta);
    for (int i = 0; i < n->n_retained; i++)
        if (n->retained[i]) n->retained[i]->retains_grad = false;
    free(n->retained);
    drop_tensor(n->leaf, st);
    drop_node(n->view_fn, st);
    free_hooks(n->hooks);
    ag_function_ctx_free(n);
    free(n->ctx);
    free(n);
}

bool ag_retain_grad(Tensor *t) {
    if (!t->grad_fn || t->retains_grad) return true; /* leaves keep grads anyway */
    GradNode *n = t->grad_fn;
    Tensor **r = tsr_realloc(n->retained, sizeof(Tensor *) * (size_t)(n->n_retained + 1));
    if (!r) return false;
    n->retained = r;
    r[n->n_retained++] = t; /* weak: t removes itself when freed */
    t->retains_grad = true;
    return true;
}

void ag_forget_retained(Tensor *t) {
    GradNode *n = t->grad_fn;
    if (!n) return;
    for (int i = 0; i < n->n_retained; i++)
        if (n->retained[i] == t) n->retained[i] = NULL;
}



static void describe_tensor(const Tensor *t, char *buf, size_t n) {
    /* a complex dtype has no legacy tensor type: c10's toString is
     * "CPUComplexFloatType" */
    int k = dtype_is_complex(t->dtype) ? snprintf(buf, n, "%s%sType [", t->storage->device.type == DEV_CPU ? "CPU" : "CUDA",
                                                  dtype_scalar_name(t->dtype))
                                       : snprintf(buf, n, "torch.%s [", tsr_dtype_info[t->dtype].tensor_type);
    for (int d = 0; d < t->ndim && k < (int)n; d++)
        k += snprintf(buf + k, n - (size_t)k, "%s%lld", d ? ", " : "", (long long)t->shape[d]);
    if (k < (int)n) snprintf(buf + k, n - (size_t)k, "]");
}

const char ag_err_backward_twice[] =
    "Trying to backward through the graph a second time (or directly access saved "
    "tensors after they have already been freed). Saved intermediate values of the "
    "graph are freed when you call .backward() or autograd.grad(). Specify "
    "retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward.";

Tensor *ag_saved(GradNode *node, int i) {
    if (node->released) {
        tsr_raise(ERR_RuntimeError, "%s", ag_err_backward_twice);
        return NULL;
    }
    if (i < 0 || i >= node->n_saved) {
        tsr_raise(ERR_RuntimeError, "%s: no saved tensor %d", ag_node_name(node), i);
        return NULL;
    }
    Tensor *t = node->saved[i];
    const AgSavedMeta *m = &node->saved_meta[i];
    if (t && t->storage->version != m->version) {
        char desc[256], output[160] = "";
        describe_tensor(t, desc, sizeof desc);
        if (m->output_nr >= 0)
            snprintf(output, sizeof output, ", which is output %d of %s,", m->output_nr, ag_node_name(node));
        else if (t->grad_fn)
            snprintf(output, sizeof output, ", which is output %d of %s,", t->output_nr,
                     ag_node_name(t->grad_fn));
        tsr_raise(ERR_RuntimeError,
                  "one of the variables needed for gradient computation has been modified by an "
                  "inplace operation: [%s]%s is at version %lld; expected version %lld instead. "
                  "Hint: enable anomaly detection to find the operation that failed to compute its "
                  "gradient, with torch.autograd.set_detect_anomaly(True).",
                  desc, output, (long long)t->storage->version, (long long)m->version);
        return NULL;
    }
    return t;
}

static void node_free_all(GradNode *n) {
    NodeStack st = {0};
    node_free(n, &st);
    while (st.depth > 0) node_free(st.items[--st.depth], &st);
    free(st.items);
}

/* ---- views: PyTorch's view + in-place handling ---- */

void ag_set_view(Tensor *v, Tensor *a, bool multi_output) {
    Tensor *base = a->view_base ? a->view_base : a;
    if (v->view_base != base) {
        tensor_release(v->view_base);
        v->view_base = tensor_retain(base);
    }
    int meta = multi_output ? (ag_grad_enabled ? AG_VIEW_MULTI_OUTPUT : AG_VIEW_NO_GRAD)
                            : (ag_grad_enabled ? AG_VIEW_DEFAULT : AG_VIEW_NO_GRAD);
    /* PyTorch's propagate_creation_meta: a view of a special view stays special */
    if (meta == AG_VIEW_DEFAULT && a->view_base) meta = a->view_meta;
    v->view_meta = meta;
    v->view_version = v->storage->version;
}

bool ag_requires_grad(const Tensor *t) {
    return t->requires_grad || (t->view_base && t->view_base->requires_grad);
}

/* PyTorch's handle_view_on_rebase: views that must not be rebased. */
static bool handle_view_on_rebase(Tensor *t, bool indirect) {
    if (t->view_meta == AG_VIEW_DEFAULT) return true;
    const char *what = indirect ? "its base or another view of its base has been" : "is being";
    char head[256];
    if (t->grad_fn)
        snprintf(head, sizeof head, "Output %d of %s is a view and %s modified inplace.", t->output_nr,
                 ag_node_name(t->grad_fn), what);
    else
        snprintf(head, sizeof head, "A view was created in no_grad mode and %s modified inplace with grad mode enabled.",
                 what);
    if (t->view_meta == AG_VIEW_IN_CUSTOM_FUNCTION)
        tsr_raise(ERR_RuntimeError,
                  "%s This view was created inside a custom Function (or because an input was returned as-is) and "
                  "the autograd logic to handle view+inplace would override the custom backward associated with "
                  "the custom Function, leading to incorrect gradients. This behavior is forbidden. You can fix "
                  "this by cloning the output of the custom Function.",
                  head);
    else if (t->view_meta == AG_VIEW_MULTI_OUTPUT)
        tsr_raise(ERR_RuntimeError,
                  "%s This view is the output of a function that returns multiple views. Such functions do not "
                  "allow the output views to be modified inplace. You should replace the inplace operation by an "
                  "out-of-place one.",
                  head);
    else
        tsr_raise(ERR_RuntimeError,
                  "%s Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
                  "code by moving both the view and the inplace either both inside the no_grad block (if you don't "
                  "want the inplace to be tracked) or both outside (if you want the inplace to be tracked).",
                  head);
    return false;
}

static AgViewGeom *view_geom(const Tensor *v, const Tensor *base) {
    AgViewGeom *g = tsr_calloc(1, sizeof *g);
    if (!g) return NULL;
    g->ndim = v->ndim;
    g->offset = v->offset;
    for (int d = 0; d < v->ndim; d++) {
        g->sizes[d] = v->shape[d];
        g->strides[d] = v->stride[d];
    }
    g->parts = v->dtype != base->dtype; /* .real/.imag/view_as_real of a complex base */
    g->bndim = base->ndim;
    g->boffset = base->offset;
    for (int d = 0; d < base->ndim; d++) {
        g->bsizes[d] = base->shape[d];
        g->bstrides[d] = base->stride[d];
    }
    return g;
}

Tensor *ag_view_positions(const AgViewGeom *g) {
    if (g->parts) {
        tsr_raise(ERR_NotImplementedError, "%s",
                  "the derivative of an in-place op on a real view of a complex tensor (.real, .imag, "
                  "view_as_real) is not implemented in tsr");
        return NULL;
    }
    /* base dims by decreasing stride: a storage offset decomposes greedily */
    int order[TSR_MAX_DIMS], n = 0;
    int64_t cs[TSR_MAX_DIMS], acc = 1;
    for (int d = g->bndim - 1; d >= 0; d--) {
        cs[d] = acc;
        acc *= g->bsizes[d];
    }
    for (int d = 0; d < g->bndim; d++) {
        if (g->bsizes[d] == 1) continue;
        int k = n++;
        while (k > 0 && g->bstrides[order[k - 1]] < g->bstrides[d]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = d;
    }
    Tensor *pos = tensor_empty(DT_INT64, g->ndim, g->sizes, device_cpu());
    if (!pos) return NULL;
    int64_t total = tensor_numel(pos), idx[TSR_MAX_DIMS] = {0}, *p = (int64_t *)tensor_data(pos);
    for (int64_t k = 0; k < total; k++) {
        int64_t rem = g->offset - g->boffset, q = 0;
        for (int d = 0; d < g->ndim; d++) rem += idx[d] * g->strides[d];
        for (int j = 0; j < n; j++) {
            int d = order[j];
            int64_t st = g->bstrides[d], i = st > 0 ? rem / st : 0;
            if (i < 0 || i >= g->bsizes[d]) break;
            rem -= i * st;
            q += i * cs[d];
        }
        if (rem != 0) {
            tensor_release(pos);
            tsr_raise(ERR_RuntimeError, "%s", "autograd: a view is not part of its base");
            return NULL;
        }
        p[k] = q;
        for (int d = g->ndim - 1; d >= 0; d--) {
            if (++idx[d] < g->sizes[d]) break;
            idx[d] = 0;
        }
    }
    return pos;
}

/* t's grad_fn becomes AsStridedBackward0 over its base's current history. */
static bool regenerate_view_grad_fn(Tensor *t) {
    Tensor *base = t->view_base;
    GradNode *node = node_new(NODE_AsStridedBackward0, 1);
    if (!node) return false;
    node->ctx = view_geom(t, base);
    if (!node->ctx || !edge_for(base, &node->next[0])) {
        ag_node_release(node);
        return false;
    }
    ag_node_release(t->grad_fn);
    t->grad_fn = node;
    t->output_nr = 0;
    t->requires_grad = true;
    t->view_version = t->storage->version;
    return true;
}

bool ag_refresh_grad_fn(Tensor *t) {
    Tensor *base = t->view_base;
    if (!base || base == t) return true;
    if (!t->grad_fn && !base->requires_grad) return true;
    if (t->view_version == t->storage->version) return true;
    if (!handle_view_on_rebase(t, true)) return false;
    return regenerate_view_grad_fn(t);
}

bool ag_check_inference_write(Tensor *a) {
    if (a->storage->inference && !tsr_inference_mode) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone "
                  "to get a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 "
                  "for more details.");
        return false;
    }
    return true;
}

bool ag_check_inplace(Tensor *a, bool requires_grad) {
    if (!ag_check_inference_write(a)) return false;
    if (!requires_grad || !ag_grad_enabled) return true;
    if (a->view_base) {
        if (!handle_view_on_rebase(a, false)) return false;
        if (ag_requires_grad(a) && !a->view_base->grad_fn) {
            tsr_raise(ERR_RuntimeError, "%s",
                      "a view of a leaf Variable that requires grad is being used in an in-place operation.");
            return false;
        }
    }
    if (a->requires_grad && !a->grad_fn) {
        tsr_raise(ERR_RuntimeError, "%s", "a leaf Variable that requires grad is being used in an in-place operation.");
        return false;
    }
    return ag_refresh_grad_fn(a);
}

/* PyTorch's rebase_history for an in-place op on a view a: the op has just
 * recorded its node fn on a (fn's edge 0: a's old history). The base gets
 * CopySlices, whose next edges are the base's old history and fn's other
 * inputs; it runs fn on the written region of the gradient. a's grad_fn
 * becomes AsStridedBackward0 over the base. */
bool ag_rebase_view(Tensor *a) {
    Tensor *base = a->view_base;
    if (!ag_grad_enabled || !base || base == a || !a->grad_fn) return true;
    GradNode *fn = a->grad_fn;
    GradNode *cs = node_new(NODE_CopySlices, fn->n_next > 0 ? fn->n_next : 1);
    if (!cs) return false;
    cs->ctx = view_geom(a, base);
    if (!cs->ctx || !edge_for(base, &cs->next[0])) {
        ag_node_release(cs);
        return false;
    }
    for (int i = 1; i < fn->n_next; i++) {
        GradEdge *d = &cs->next[i], *e = &fn->next[i];
        if (!edge_set_shape(d, e->ndim, e->shape)) {
            ag_node_release(cs);
            return false;
        }
        d->node = e->node;
        d->input_nr = e->input_nr;
        d->dtype = e->dtype;
        d->device = e->device;
        ag_node_retain(d->node);
    }
    ag_node_retain(fn);
    cs->view_fn = fn;
    ag_node_release(base->grad_fn);
    base->grad_fn = cs;
    base->output_nr = 0;
    base->requires_grad = true;
    return regenerate_view_grad_fn(a);
}

/* ---- hooks ---- */

Tensor *(*ag_hook_call)(void *fn, Tensor *grad);
void (*ag_hook_free)(void *fn);
void (*ag_grad_history_hook)(Tensor *t);

void ag_note_grad_history(Tensor *t) {
    if (t->grad && t->grad->grad_fn && ag_grad_history_hook) ag_grad_history_hook(t);
}
static AgHook *all_hooks;
static int64_t next_hook_id;

int64_t ag_add_hook(Tensor *t, void *fn) {
    tensor_autograd_release = release_tensor_state;
    if (!ag_refresh_grad_fn(t)) return -1;
    if (!t->requires_grad) {
        tsr_raise(ERR_RuntimeError, "%s", "cannot register a hook on a tensor that doesn't require gradient");
        return -1;
    }
    AgHook *h = tsr_calloc(1, sizeof *h);
    if (!h) return -1;
    h->id = next_hook_id++;
    h->fn = fn;
    h->output_nr = t->grad_fn ? t->output_nr : 0;
    AgHook **tail = t->grad_fn ? &t->grad_fn->hooks : &t->hooks;
    while (*tail) tail = &(*tail)->next;
    *tail = h;
    h->all_next = all_hooks;
    if (all_hooks) all_hooks->all_prev = h;
    all_hooks = h;
    return h->id;
}

bool ag_remove_hook(int64_t id) {
    for (AgHook *h = all_hooks; h; h = h->all_next)
        if (h->id == id) {
            if (!h->fn) return false;
            void *fn = h->fn;
            h->fn = NULL;
            if (ag_hook_free) ag_hook_free(fn);
            return true;
        }
    return false;
}

static void free_hooks(AgHook *h) {
    while (h) {
        AgHook *n = h->next;
        if (h->all_prev) h->all_prev->all_next = h->all_next;
        else all_hooks = h->all_next;
        if (h->all_next) h->all_next->all_prev = h->all_prev;
        if (h->fn && ag_hook_free) ag_hook_free(h->fn);
        free(h);
        h = n;
    }
}

void ag_free_tensor_hooks(Tensor *t) {
    AgHook *h = t->hooks;
    t->hooks = NULL;
    free_hooks(h);
}
