/* custom_function.c: the nodes of torch.autograd.Function (PyTorch's
 * PyNode) and of @once_differentiable (its DelayedError's Error node).
 *
 * The recording half: a FunctionBackward node has one next edge per
 * tensor argument of forward (made as any op's), n_outputs outputs and an
 * AgFunctionCtx naming it after the user's class. The interpreter sets
 * ag_function_call (its formula calls the user's backward) and
 * ag_function_free (the ctx object dies with the node). */
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "error.h"

bool (*ag_function_call)(GradNode *node, Tensor *const *grads, Tensor **grad_inputs);
void (*ag_function_free)(GradNode *node, void *obj);

const char *ag_node_name(const GradNode *n) {
    if (n->kind == NODE_FunctionBackward && n->ctx) return ((const AgFunctionCtx *)n->ctx)->name;
    return ag_node_names[n->kind];
}

/* node_free's call for a FunctionBackward node: what its ctx owns (the
 * ctx struct itself is free()d with the node). */
void ag_function_ctx_free(GradNode *node) {
    if (node->kind != NODE_FunctionBackward) return;
    AgFunctionCtx *c = node->ctx;
    if (!c) return;
    void *obj = c->obj;
    c->obj = NULL;
    if (obj && ag_function_free) ag_function_free(node, obj);
    free(c->name);
    free(c->is_tensor_input);
    free(c->outputs);
}

GradNode *ag_function_node(const char *name, void *obj, Tensor *const *inputs, int n_inputs, int n_outputs) {
    int n_tensors = 0;
    for (int i = 0; i < n_inputs; i++) n_tensors += inputs[i] != NULL;
    Tensor **tensors = tsr_calloc((size_t)n_tensors + 1, sizeof *tensors);
    AgFunctionCtx *c = tsr_calloc(1, sizeof *c);
    GradNode *node = NULL;
    if (!tensors || !c) goto fail;
    c->obj = obj;
    obj = NULL;
    c->name = tsr_strdup(name);
    c->n_inputs = n_inputs;
    c->is_tensor_input = tsr_calloc((size_t)n_inputs + 1, sizeof *c->is_tensor_input);
    c->n_outputs = n_outputs;
    c->outputs = tsr_calloc((size_t)n_outputs + 1, sizeof *c->outputs);
    c->materialize_grads = true;
    if (!c->name || !c->is_tensor_input || !c->outputs) goto fail;
    for (int i = 0, k = 0; i < n_inputs; i++) {
        c->is_tensor_input[i] = inputs[i] != NULL;
        if (inputs[i]) tensors[k++] = inputs[i];
    }
    node = ag_node_new(NODE_FunctionBackward, tensors, n_tensors);
    if (!node) goto fail;
    node->n_outputs = n_outputs;
    node->ctx = c;
    free(tensors);
    return node;
fail:
    if (c) {
        GradNode tmp = {.ctx = c, .kind = NODE_FunctionBackward};
        ag_function_ctx_free(&tmp);
        free(c);
    }
    if (obj && ag_function_free) ag_function_free(NULL, obj);
    free(tensors);
    return NULL;
}

bool ag_record_error(Tensor **outs, int n, Tensor *const *inputs, const char *msg) {
    if (!ag_record_multi(outs, n, NODE_Error, inputs, n)) return false;
    GradNode *node = outs[0]->grad_fn;
    node->ctx = tsr_strdup(msg);
    return node->ctx != NULL;
}
