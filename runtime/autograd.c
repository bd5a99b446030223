#include "autograd.h"

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
    if (!t || !t->requires_grad) return true;
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
    s[node->n_saved++] = tensor_retain(t);
    if (t) node->saved_version = t->storage->version;
    return true;
}

void ag_node_retain(GradNode *n) {
    if (n) n->rc++;
}

void ag_node_release(GradNode *n) {
    if (!n || --n->rc > 0) return;
    for (int i = 0; i < n->n_next; i++) ag_node_release(n->next[i].node);
    free(n->next);
    for (int i = 0; i < n->n_saved; i++) tensor_release(n->saved[i]);
    free(n->saved);
    tensor_release(n->leaf);
    free(n->ctx);
    free(n);
}
