#include "autograd.h"

#include <stdio.h>
#include <stdlib.h>

#include "error.h"

bool ag_grad_enabled = true;

bool ag_any_requires_grad(Tensor *const *inputs, int n) {
    if (!ag_grad_enabled) return false;
    for (int i = 0; i < n; i++)
        if (inputs[i] && inputs[i]->requires_grad) return true;
    return false;
}

static GradNode *node_new(const char *name, int n_next) {
    GradNode *node = tsr_calloc(1, sizeof *node);
    if (!node) return NULL;
    node->rc = 1;
    node->name = name;
    node->n_next = n_next;
    node->n_outputs = 1;
    if (n_next) {
        node->next = tsr_calloc(n_next, sizeof *node->next);
        if (!node->next) {
            free(node);
            return NULL;
        }
    }
    return node;
}

/* The AccumulateGrad node of a leaf. PyTorch keeps one per leaf (a weak
 * reference from the tensor); we make one per use, holding the leaf. A
 * leaf never points back at its AccumulateGrad, so no cycle forms. */
static GradNode *accumulate_node(Tensor *leaf) {
    GradNode *node = node_new("AccumulateGrad", 0);
    if (!node) return NULL;
    node->leaf = tensor_retain(leaf);
    return node;
}

static bool edge_for(Tensor *t, GradEdge *e) {
    e->node = NULL;
    e->input_nr = 0;
    if (!t) return true;
    e->dtype = t->dtype;
    e->device = t->storage->device;
    e->ndim = t->ndim;
    for (int d = 0; d < t->ndim; d++) e->shape[d] = t->shape[d];
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

static GradNode *make_node(const char *name, Tensor *const *inputs, int n) {
    GradNode *node = node_new(name, n);
    if (!node) return NULL;
    for (int i = 0; i < n; i++) {
        if (!edge_for(inputs[i], &node->next[i])) {
            ag_node_release(node);
            return NULL;
        }
    }
    return node;
}

GradNode *ag_record(Tensor *out, const char *name, Tensor *const *inputs, int n) {
    GradNode *node = make_node(name, inputs, n);
    if (!node) return NULL;
    ag_node_release(out->grad_fn);
    out->grad_fn = node;
    out->output_nr = 0;
    out->requires_grad = true;
    return node;
}

GradNode *ag_record_multi(Tensor **outs, int n_outs, const char *name,
                          Tensor *const *inputs, int n) {
    GradNode *node = make_node(name, inputs, n);
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

bool ag_save(GradNode *node, Tensor *t) {
    Tensor **s = tsr_realloc(node->saved, sizeof(Tensor *) * (node->n_saved + 1));
    if (!s) return false;
    node->saved = s;
    int64_t *v = tsr_realloc(node->saved_versions, sizeof(int64_t) * (node->n_saved + 1));
    if (!v) return false;
    node->saved_versions = v;
    v[node->n_saved] = t ? t->storage->version : 0;
    s[node->n_saved++] = tensor_retain(t);
    return true;
}

void ag_node_retain(GradNode *n) {
    if (n) n->rc++;
}

static void node_free_all(GradNode *n);

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
    for (int i = 0; i < n->n_next; i++) drop_node(n->next[i].node, st);
    free(n->next);
    for (int i = 0; i < n->n_saved; i++) drop_tensor(n->saved[i], st);
    free(n->saved);
    free(n->saved_versions);
    for (int i = 0; i < n->n_retained; i++)
        if (n->retained[i]) n->retained[i]->retains_grad = false;
    free(n->retained);
    drop_tensor(n->leaf, st);
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

/* ag_sum_to and ag_saved use the op layer */
#include "ops.h"

Tensor *ag_sum_to(Tensor *grad, int ndim, const int64_t *shape) {
    if (grad->ndim == ndim) {
        bool same = true;
        for (int d = 0; d < ndim; d++) same &= grad->shape[d] == shape[d];
        if (same) return tensor_retain(grad);
    }
    int lead = grad->ndim - ndim;
    if (lead < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "sum_to: gradient has fewer dimensions than its input");
        return NULL;
    }
    int64_t dims[TSR_MAX_DIMS];
    int nd = 0;
    for (int d = 0; d < lead; d++) dims[nd++] = d;
    for (int d = 0; d < ndim; d++)
        if (shape[d] == 1 && grad->shape[lead + d] != 1) dims[nd++] = lead + d;
    Tensor *r = tensor_retain(grad);
    if (nd) {
        Tensor *s = op_sum(grad, nd, dims, true, DT_UNDEFINED);
        tensor_release(r);
        if (!s) return NULL;
        r = s;
    }
    if (r->ndim != ndim) {
        Tensor *v = op_reshape(r, ndim, shape);
        tensor_release(r);
        r = v;
    }
    return r;
}

static void describe_tensor(const Tensor *t, char *buf, size_t n) {
    int k = snprintf(buf, n, "torch.%s [", tsr_dtype_info[t->dtype].tensor_type);
    for (int d = 0; d < t->ndim && k < (int)n; d++)
        k += snprintf(buf + k, n - (size_t)k, "%s%lld", d ? ", " : "", (long long)t->shape[d]);
    if (k < (int)n) snprintf(buf + k, n - (size_t)k, "]");
}

Tensor *ag_saved(GradNode *node, int i) {
    if (node->released) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "Trying to backward through the graph a second time (or directly access saved "
                  "tensors after they have already been freed). Saved intermediate values of the "
                  "graph are freed when you call .backward() or autograd.grad(). Specify "
                  "retain_graph=True if you need to backward through the graph a second time or "
                  "if you need to access saved tensors after calling backward.");
        return NULL;
    }
    if (i < 0 || i >= node->n_saved) {
        tsr_raise(ERR_RuntimeError, "%s: no saved tensor %d", node->name, i);
        return NULL;
    }
    Tensor *t = node->saved[i];
    if (t && t->storage->version != node->saved_versions[i]) {
        char desc[256], output[160] = "";
        describe_tensor(t, desc, sizeof desc);
        if (t->grad_fn)
            snprintf(output, sizeof output, ", which is output %d of %s,", t->output_nr,
                     t->grad_fn->name);
        tsr_raise(ERR_RuntimeError,
                  "one of the variables needed for gradient computation has been modified by an "
                  "inplace operation: [%s]%s is at version %lld; expected version %lld instead. "
                  "Hint: enable anomaly detection to find the operation that failed to compute its "
                  "gradient, with torch.autograd.set_detect_anomaly(True).",
                  desc, output, (long long)t->storage->version, (long long)node->saved_versions[i]);
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
