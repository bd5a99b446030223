/* backward.h: the backward pass: the engine that walks a recorded graph
 * (engine.c) and each node's formula (the other files, by op family).
 * Formulas are written with the op layer, so this layer sits above ops/. */
#ifndef TSR_BACKWARD_H
#define TSR_BACKWARD_H

#include "autograd.h"

/* ---- the backward pass (engine.c and the formula files) ----
 *
 * A backward formula computes the gradient for each next edge of the node
 * from the gradients of its outputs:
 *   grad_outputs[n_outputs]: the incoming gradients (a NULL entry means
 *     zero: that output was not used);
 *   grad_inputs[n_next]: to be filled with new references (NULL = no
 *     gradient; entries whose edge node is NULL may be left NULL).
 * Formulas are written with the op layer (op_mul, op_sum, ...), so when the
 * engine runs them with grad mode on (create_graph=True) they record a
 * differentiable graph of the backward pass. Each formula reduces a
 * broadcast gradient back to its input's shape (ag_sum_to, using the edge
 * metadata). Returns false with an error raised. */
typedef bool (*BackwardFn)(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs);

/* The formula of each node kind (engine.c; generated from AG_NODES, in
 * autograd/nodes.h). */
extern const BackwardFn ag_formulas[NODE_COUNT];

/* Sums grad down to shape (undoing broadcasting); returns a new reference
 * (grad itself, retained, when shapes already match). */
Tensor *ag_sum_to(Tensor *grad, int ndim, const int64_t *shape);

/* g converted to an input's dtype and device: a complex gradient of a
 * real input is its real part (PyTorch's handle_r_to_c), without the
 * warning of a complex-to-real cast. A new reference, NULL on error. */
Tensor *ag_grad_to(Tensor *g, DType dtype, Device device);

/* tensor.backward(gradient, retain_graph, create_graph): accumulates into
 * the leaves' .grad. gradient NULL: implicit ones for a scalar root, else
 * PyTorch's "grad can be implicitly created only for scalar outputs". */
bool ag_backward(Tensor *root, Tensor *gradient, bool retain_graph, bool create_graph);

/* torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph,
 * create_graph, allow_unused): results[n_inputs] new references (NULL for
 * unused inputs when allow_unused). retain_graph < 0 means "default"
 * (= create_graph). */
bool ag_grad(Tensor *const *outputs, Tensor *const *grad_outputs, int n_outputs,
             Tensor *const *inputs, int n_inputs, int retain_graph, bool create_graph,
             bool allow_unused, Tensor **results);

/* torch.autograd.backward(tensors, grad_tensors): one pass from several
 * roots (gradients[i] NULL: implicit ones for a scalar root; gradients
 * itself may be NULL). */
bool ag_backward_multi(Tensor *const *roots, Tensor *const *gradients, int n, bool retain_graph,
                       bool create_graph);

/* A node whose formula tsr has only for real tensors (not in
 * AG_COMPLEX_NODES), given a complex gradient or input: NotImplementedError
 * (false). The engine checks each node it runs; CopySlices its view_fn. */
bool ag_check_complex(GradNode *node, Tensor *const *grads, int n_grads);

/* CopySlices with a view_fn (index.c). */
bool ag_copy_slices_backward(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs);

#endif
