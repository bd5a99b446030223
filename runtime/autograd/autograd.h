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
#include <stddef.h>

#include "nodes.h"
#include "tensor.h"

/* Edges keep up to this many dims inline; more go to the heap. */
#define AG_EDGE_INLINE_DIMS 6

typedef struct GradEdge {
    struct GradNode *node; /* owned; NULL when that input needs no grad */
    int input_nr;          /* which output of `node` this edge feeds */
    /* The input this edge stands for: its gradient must come back with
     * this shape, dtype and device (PyTorch's InputMetadata). */
    DType dtype;
    Device device;
    int ndim;
    /* ndim sizes: `small`, or a heap array when ndim > AG_EDGE_INLINE_DIMS
     * (owned; freed with the node). Never copy an edge by assignment
     * alone: the copy must point at its own `small` (see record.c). */
    int64_t *shape;
    int64_t small[AG_EDGE_INLINE_DIMS];
} GradEdge;

/* What a version-counter error says of a saved tensor: its storage version
 * when saved, and for the node's own output its output number (-1: an
 * input, named by its current grad_fn as PyTorch's SavedVariable does). */
typedef struct {
    int64_t version;
    int output_nr;
} AgSavedMeta;

typedef struct GradNode {
    int64_t rc;
    GradNodeKind kind;       /* NODE_MulBackward0, ... (nodes.h) */
    uint64_t seq;            /* PyTorch's sequence_nr: creation order (UINT64_MAX: AccumulateGrad) */
    int n_next;
    GradEdge *next;          /* next_functions, one per differentiable input */
    Tensor *leaf;            /* AccumulateGrad only: the leaf (owned weakly: see record.c) */
    int n_saved;
    Tensor **saved;          /* owned saved tensors (may contain NULL) */
    AgSavedMeta *saved_meta; /* one per saved tensor */
    void *ctx;               /* op-specific saved scalars, free()d with the node */
    int n_outputs;           /* 1, or the outputs of ag_record_multi */
    bool released;           /* saved tensors freed by a backward without retain_graph */
    /* retain_grad(): the non-leaf outputs of this node whose .grad must be
     * set by backward. Weak pointers: a tensor removes itself when freed. */
    int n_retained;
    Tensor **retained;
    /* CopySlices of an in-place op on a view: that op's node (owned), whose
     * formula CopySlices runs on the written region (PyTorch's fn). */
    struct GradNode *view_fn;
    /* register_hook() on a non-leaf output of this node (see AgHook). */
    struct AgHook *hooks;
} GradNode;

/* PyTorch's name of the node ("MulBackward0"), for printing and errors;
 * a custom Function's node is named after its class (custom_function.c). */
const char *ag_node_name(const GradNode *n);

/* The saved tensor i of node, checked: raises PyTorch's errors for a freed
 * graph ("Trying to backward through the graph a second time ...") and
 * for a saved tensor modified in place since it was saved ("one of the
 * variables needed for gradient computation has been modified by an
 * inplace operation: ..."). Borrowed; NULL on error. */
Tensor *ag_saved(GradNode *node, int i);
/* PyTorch's ERR_BACKWARD_TWICE, the text of that first error. */
extern const char ag_err_backward_twice[];

/* retain_grad() on a non-leaf: registers t on its grad_fn (weakly). */
bool ag_retain_grad(Tensor *t);
/* Called by tensor_release when a retained tensor dies. */
void ag_forget_retained(Tensor *t);

/* Global grad mode (torch.is_grad_enabled()). */
extern bool ag_grad_enabled;
/* Runs expr with grad mode off (the parts of a composite op, constants of
 * a backward graph such as masks and positions). */
#define NO_GRAD(...)                       \
    do {                                   \
        bool prev_mode_ = ag_grad_enabled; \
        ag_grad_enabled = false;           \
        __VA_ARGS__;                       \
        ag_grad_enabled = prev_mode_;      \
    } while (0)

/* True when grad mode is on and any of the inputs requires grad. */
bool ag_any_requires_grad(Tensor *const *inputs, int n);

/* Records `out` as produced by a node of kind `kind` from `inputs`:
 * creates the node with edges to each input's grad_fn (or AccumulateGrad),
 * sets out->grad_fn and out->requires_grad. Call only when
 * ag_any_requires_grad() is true. Saves nothing; use ag_save() after.
 * Returns the node (borrowed from out), NULL with an error raised. */
GradNode *ag_record(Tensor *out, GradNodeKind kind, Tensor *const *inputs, int n);
/* A node of kind kind with an edge to each input (NULL: no edge), owned by
 * no tensor yet: a new reference, NULL on error. */
GradNode *ag_node_new(GradNodeKind kind, Tensor *const *inputs, int n);
/* Records a node with several outputs (e.g. split/unbind): each outs[i]
 * gets the same node with output_nr i. */
GradNode *ag_record_multi(Tensor **outs, int n_outs, GradNodeKind kind,
                          Tensor *const *inputs, int n);
/* The ops' one way to record a node on their result: when grad mode is on
 * and any of inputs requires grad (ag_any_requires_grad), records `out` as
 * the output of a node of kind `kind` from inputs (ag_record), gives the
 * node a copy of ctx (ctx_size bytes; NULL for none), which the node frees, and
 * saves saved[0..n_saved) in that order (ag_save; an entry may be NULL, and
 * an entry that is `out` itself is saved with ag_save_result, so the node
 * never holds its own output). Takes ownership of out: returns it (recorded
 * or not), or NULL with an error raised having released it. out NULL:
 * returns NULL (the error that made it stands). */
Tensor *ag_record_steal(Tensor *out, GradNodeKind kind, Tensor *const *inputs, int n,
                        Tensor *const *saved, int n_saved, const void *ctx, size_t ctx_size);
/* Makes node a node of another kind (an op that records one node and
 * then names it as the overload PyTorch would have picked). */
void ag_node_set_kind(GradNode *node, GradNodeKind kind);

/* Saves a tensor on the node (retained). */
bool ag_save(GradNode *node, Tensor *t);
/* Saves the node's own output `out` (its output number output_nr) as an
 * alias without autograd state, so the node never holds its output. */
bool ag_save_result(GradNode *node, Tensor *out, int output_nr);

void ag_node_retain(GradNode *n);
void ag_node_release(GradNode *n);

/* ---- views (record.c) ----
 * Every view made by a view op has view_base (the base it views, never a
 * view itself), PyTorch's CreationMeta and the storage version at which
 * its grad_fn was last set (attr_version). */
enum { AG_VIEW_DEFAULT = 0, AG_VIEW_NO_GRAD, AG_VIEW_MULTI_OUTPUT, AG_VIEW_IN_CUSTOM_FUNCTION };

/* Marks v, just made as a view of a (one of several outputs when multi). */
void ag_set_view(Tensor *v, Tensor *a, bool multi_output);

/* After an in-place op recorded its node on a view a (a->view_base set),
 * installs CopySlices on the base and AsStridedBackward0 on a. No-op when
 * a is no view, records nothing, or grad mode is off. */
bool ag_rebase_view(Tensor *a);

/* PyTorch's grad_fn getter: a view whose base (or another view of it) was
 * modified in place since its grad_fn was set gets a new grad_fn,
 * AsStridedBackward0 over the base's current history. Raises PyTorch's
 * error for multi-output views and views made in no_grad mode. Call before
 * reading t->grad_fn where it is shown or recorded. */
bool ag_refresh_grad_fn(Tensor *t);

/* requires_grad as PyTorch reports it for a view: its own, or its base's. */
bool ag_requires_grad(const Tensor *t);

/* PyTorch's check_inplace before an in-place op on a (requires_grad: does
 * any input of the op require grad): the leaf, view-of-leaf, multi-output
 * view and no_grad view errors. */
bool ag_check_inplace(Tensor *a, bool requires_grad);
/* An in-place write into an inference tensor outside inference_mode:
 * PyTorch's RuntimeError (false). */
bool ag_check_inference_write(Tensor *a);

/* The geometry a view node keeps (node->ctx of CopySlices and of a
 * regenerated AsStridedBackward0): the view's and its base's sizes,
 * strides and storage offsets when it was recorded. */
typedef struct {
    int ndim, bndim;
    bool parts; /* a real view of a complex base: its positions are not the base's elements */
    int64_t offset, boffset;
    int64_t sizes[TSR_MAX_DIMS], strides[TSR_MAX_DIMS];
    int64_t bsizes[TSR_MAX_DIMS], bstrides[TSR_MAX_DIMS];
} AgViewGeom;

/* int64 tensor shaped like the view: each element's row-major position in
 * the base. NULL with an error raised. */
Tensor *ag_view_positions(const AgViewGeom *g);

/* ---- hooks (Tensor.register_hook) ----
 * A hook is an interpreter callable; the interpreter sets ag_hook_call /
 * ag_hook_free. A leaf's hooks hang on the tensor, a non-leaf's on its
 * grad_fn for its output_nr (as PyTorch's pre-hooks), in registration
 * order. */
typedef struct AgHook {
    struct AgHook *next;  /* the owner's list */
    struct AgHook *all_prev, *all_next; /* every live hook, for remove() by id */
    int64_t id;
    int output_nr;
    void *fn;             /* NULL once removed */
} AgHook;

/* Calls fn(grad): a new reference to the replacement gradient, NULL for
 * "keep grad" (None returned) with no error, or NULL with an error. */
extern Tensor *(*ag_hook_call)(void *fn, Tensor *grad);
extern void (*ag_hook_free)(void *fn);

/* A tensor whose .grad has a history (backward(create_graph=True), or a
 * .grad assigned from a graph) may hold itself through it, PyTorch's
 * documented cycle: ag_note_grad_history tells the interpreter's cycle
 * collector (ag_grad_history_hook, set by it), which frees the cycle once
 * nothing else holds the tensor. */
extern void (*ag_grad_history_hook)(Tensor *t);
void ag_note_grad_history(Tensor *t);

/* Registers fn (owned by the hook from now on) on t; returns its id, or -1
 * with an error raised. */
int64_t ag_add_hook(Tensor *t, void *fn);
/* handle.remove(): false when the id is gone already. */
bool ag_remove_hook(int64_t id);
/* Called by tensor_release for a tensor with hooks. */
void ag_free_tensor_hooks(Tensor *t);

/* ---- torch.autograd.Function (custom_function.c) ----
 * A node of kind FunctionBackward stands for one call of a Function
 * subclass's apply (PyTorch's PyNode). Its ctx is an AgFunctionCtx: the
 * interpreter's ctx object (the XBackward instance, which is also what
 * y.grad_fn shows), which forward arguments were tensors (one next edge
 * each) and what each output was, for zeros of an unused output's
 * gradient (set_materialize_grads). */
typedef struct {
    bool defined; /* a tensor (a non-tensor output has no gradient) */
    DType dtype;
    Device device;
    int ndim;
    int64_t shape[TSR_MAX_DIMS];
} AgOutputInfo;

typedef struct {
    char *name;           /* "LegendrePolynomial3Backward" (owned) */
    void *obj;            /* the ctx object: owned, released through ag_function_free */
    int n_inputs;         /* forward's arguments */
    bool *is_tensor_input;
    int n_outputs;        /* forward's outputs (== node->n_outputs) */
    AgOutputInfo *outputs;
    bool materialize_grads;
} AgFunctionCtx;

/* A FunctionBackward node named name with an edge per tensor of inputs
 * (n_inputs entries, NULL for a non-tensor argument) and n_outputs
 * outputs; obj (owned by the node from now on; NULL allowed) is released
 * through ag_function_free. Returns a new reference, NULL on error. */
GradNode *ag_function_node(const char *name, void *obj, Tensor *const *inputs, int n_inputs, int n_outputs);
/* The interpreter's side: runs the backward of node (grads: one per output,
 * NULL entries allowed; grad_inputs: one per next edge, set to new
 * references or NULL). false with an error raised. */
extern bool (*ag_function_call)(GradNode *node, Tensor *const *grads, Tensor **grad_inputs);
/* node_free's call: frees what a FunctionBackward node's ctx owns. */
void ag_function_ctx_free(GradNode *node);
/* Releases the node's ctx object (the node is being freed; NULL: it never
 * was made). */
extern void (*ag_function_free)(GradNode *node, void *obj);
/* The DelayedError node of @once_differentiable (PyTorch's Error node):
 * its formula raises msg. Records it on outs (n of them) from inputs. */
bool ag_record_error(Tensor **outs, int n, Tensor *const *inputs, const char *msg);

#endif
