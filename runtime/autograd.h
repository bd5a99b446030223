/* autograd.h: the dynamic graph recorded as ops run.
 *
 * This is the recording half: nodes with PyTorch's names and their edges
 * to the inputs' nodes. A node holds references to its inputs' grad_fn (or
 * to leaf tensors, through AccumulateGrad nodes) and to saved tensors, never
 * to its own output.
 */
#ifndef TSR_AUTOGRAD_H
#define TSR_AUTOGRAD_H

#include <stdbool.h>

#include "tensor.h"

typedef struct GradEdge {
    struct GradNode *node; /* owned; NULL when that input needs no grad */
    int input_nr;          /* which output of `node` this edge feeds */
} GradEdge;

typedef struct GradNode {
    int64_t rc;
    const char *name;        /* "MulBackward0", "AccumulateGrad", ... (static) */
    int n_next;
    GradEdge *next;          /* next_functions, one per differentiable input */
    Tensor *leaf;            /* AccumulateGrad only: the leaf (owned weakly: see autograd.c) */
    int n_saved;
    Tensor **saved;          /* owned saved tensors (may contain NULL) */
    void *ctx;               /* op-specific saved scalars, free()d with the node */
    int64_t saved_version;   /* storage version of saved tensors at record time */
} GradNode;

/* Global grad mode (torch.is_grad_enabled()). */
extern bool ag_grad_enabled;

/* True when grad mode is on and any of the inputs requires grad. */
bool ag_any_requires_grad(Tensor *const *inputs, int n);

/* Records `out` as produced by a node named `name` from `inputs`: creates
 * the node with edges to each input's grad_fn (or AccumulateGrad), sets
 * out->grad_fn and out->requires_grad. Call only when
 * ag_any_requires_grad() is true. Saves nothing; use ag_save() after.
 * Returns the node (borrowed from out), NULL with an error raised. */
GradNode *ag_record(Tensor *out, const char *name, Tensor *const *inputs, int n);
/* Records a node with several outputs (e.g. split/unbind): each outs[i]
 * gets the same node with output_nr i. */
GradNode *ag_record_multi(Tensor **outs, int n_outs, const char *name,
                          Tensor *const *inputs, int n);
/* Saves a tensor on the node (retained). */
bool ag_save(GradNode *node, Tensor *t);

void ag_node_retain(GradNode *n);
void ag_node_release(GradNode *n);

#endif
