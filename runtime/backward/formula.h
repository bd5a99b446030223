/* formula.h: what every backward-formula file shares: the Scratch, the S*
 * helpers and the formula prelude (FORMULA, BEGIN, SET, END, ...).
 *
 * Formulas chain many ops; each result is kept in a Scratch and released
 * together at the end (`scratch_free`), so a formula reads like the math
 * and still frees everything on every path. Every helper is NULL-safe in
 * its tensor arguments: an earlier failure propagates as NULL. */
#ifndef TSR_FORMULA_H
#define TSR_FORMULA_H

#include <stdlib.h>

#include "error.h"
#include "backward.h"
#include "ops.h"

typedef struct {
    Tensor **t;
    int n, cap;
} Scratch;

static inline Tensor *keep(Scratch *s, Tensor *t) {
    if (!t) return NULL;
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 32;
        Tensor **nt = realloc(s->t, sizeof *nt * (size_t)cap);
        if (!nt) {
            tensor_release(t);
            tsr_raise(ERR_MemoryError, "%s", "out of memory");
            return NULL;
        }
        s->t = nt;
        s->cap = cap;
    }
    s->t[s->n++] = t;
    return t;
}

static inline void scratch_free(Scratch *s) {
    for (int i = 0; i < s->n; i++) tensor_release(s->t[i]);
    free(s->t);
    s->t = NULL;
    s->n = s->cap = 0;
}

static inline Tensor *S2(Scratch *s, BinaryOp op, Tensor *a, Tensor *b) {
    return a && b ? keep(s, op_binary(op, a, b)) : NULL;
}

static inline Tensor *S1(Scratch *s, UnaryOp op, Tensor *a) {
    return a ? keep(s, op_unary(op, a)) : NULL;
}

/* A Python float (a wrapped number: it does not change the dtype). */
static inline Tensor *Sf(Scratch *s, double v) { return keep(s, tensor_wrapped_float(v)); }

static inline Tensor *S2f(Scratch *s, BinaryOp op, Tensor *a, double v) {
    return a ? keep(s, op_scalar_binary(op, a, v, false)) : NULL;
}

static inline Tensor *Sf2(Scratch *s, BinaryOp op, double v, Tensor *a) {
    return a ? keep(s, op_scalar_binary(op, a, v, true)) : NULL;
}

static inline Tensor *Swhere(Scratch *s, Tensor *c, Tensor *a, Tensor *b) {
    return c && a && b ? keep(s, op_where(c, a, b)) : NULL;
}

/* t.conj(): t itself for a real tensor (as ATen's conj), else the
 * conjugate (ConjBackward0 under create_graph); a Python scalar's stays a
 * wrapped number. derivatives.yaml's .conj() placements. */
static inline Tensor *Sconj(Scratch *s, Tensor *t) {
    if (!t || !dtype_is_complex(t->dtype)) return t;
    return keep(s, op_conj(t));
}

/* t.sgn() (SgnBackward0; sign for real dtypes) */
static inline Tensor *Ssgn(Scratch *s, Tensor *t) { return t ? keep(s, op_sgn(t)) : NULL; }

/* t.masked_fill(mask, 0): PyTorch's formulas' masked_fill_(mask, 0) */
static inline Tensor *Sfill0(Scratch *s, Tensor *t, Tensor *mask) {
    Tensor *z = Sf(s, 0.0);
    return t && mask && z ? keep(s, op_masked_fill(t, mask, z)) : NULL;
}

static inline Tensor *Szeros(Scratch *s, DType dt, int ndim, const int64_t *shape, Device dev) {
    return keep(s, tensor_zeros(dt, ndim, shape, dev));
}

static inline Tensor *Szeros_like(Scratch *s, Tensor *t) {
    return t ? keep(s, tensor_zeros(t->dtype, t->ndim, t->shape, t->storage->device)) : NULL;
}

static inline Tensor *Sunsqueeze(Scratch *s, Tensor *a, int64_t d) {
    return a ? keep(s, op_unsqueeze(a, d)) : NULL;
}

/* a.mT() (a.mH() of a real matrix) and a @ b */
static inline Tensor *SmT(Scratch *s, Tensor *a) { return a ? keep(s, op_transpose(a, -2, -1)) : NULL; }
static inline Tensor *Smatmul(Scratch *s, Tensor *a, Tensor *b) { return a && b ? keep(s, op_matmul(a, b)) : NULL; }

/* A 0-dim zero of dtype dt (not a wrapped number). */
static inline Tensor *Szero(Scratch *s, DType dt) { return keep(s, tensor_scalar_f64(dt, 0.0)); }

static inline Tensor *Sreshape(Scratch *s, Tensor *a, int ndim, const int64_t *shape) {
    return a ? keep(s, op_reshape(a, ndim, shape)) : NULL;
}

static inline Tensor *Sflat(Scratch *s, Tensor *a) {
    int64_t m1 = -1;
    return Sreshape(s, a, 1, &m1);
}

static inline Tensor *Ssum(Scratch *s, Tensor *a, int nd, const int64_t *dims, bool keepdim) {
    return a ? keep(s, op_sum(a, nd, dims, keepdim, DT_UNDEFINED)) : NULL;
}

/* The formulas of AG_NODES (autograd/nodes.h), declared from the list;
 * each is defined in the file of its family, with FORMULA(fn) when it
 * uses the prelude below. */
#define X(name, fn) bool fn(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs);
AG_NODES(X)
#undef X

#define FORMULA(fn) bool fn(GradNode *node, Tensor *const *grad_outputs, Tensor **grad_inputs)

/* The node's own output, saved as an alias without autograd state (so the
 * node does not hold itself). With grad mode on (create_graph) it comes
 * back as an output of node, like PyTorch's unpacked SavedVariable, so the
 * backward graph differentiates through it. Needs a Scratch *s in scope. */
static inline Tensor *saved_result(Scratch *s, GradNode *node, Tensor *var) {
    if (var && ag_grad_enabled && !var->grad_fn) {
        var = keep(s, tensor_alias(var));
        if (var) {
            ag_node_retain(node);
            var->grad_fn = node;
            var->output_nr = 0;
            var->requires_grad = true;
        }
    }
    return var;
}

#define SAVED_RESULT(var, i)                                   \
    Tensor *var = saved_result(s, node, ag_saved(node, i));    \
    if (!var) {                                                \
        scratch_free(s);                                       \
        return false;                                          \
    }

/* Does input i want a gradient? */
static inline bool need(GradNode *node, int i) {
    return i < node->n_next && node->next[i].node != NULL;
}

/* grad_inputs[i] = g reduced to the input's shape and converted to its
 * dtype (PyTorch's validate_outputs). g is borrowed; NULL means error. */
static inline bool set_grad(GradNode *node, int i, Tensor **grad_inputs, Tensor *g) {
    if (!g) return false;
    GradEdge *e = &node->next[i];
    Tensor *r = ag_sum_to(g, e->ndim, e->shape);
    if (!r) return false;
    if (r->dtype != e->dtype) {
        Tensor *c = ag_grad_to(r, e->dtype, r->storage->device);
        tensor_release(r);
        if (!c) return false;
        r = c;
    }
    tensor_release(grad_inputs[i]);
    grad_inputs[i] = r;
    return true;
}

static inline OpCtx *ctx_of(GradNode *node) {
    if (!node->ctx) tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
    return node->ctx;
}

/* ---- helpers that formulas of several files share ---- */

/* The fused backward functions (elementwise.c): fn(grad, r) as one node of
 * kind `kind` when grad is needed (saving grad_output unless save_grad is
 * false, then output; dim >= 0: an OpCtx with it). */
typedef Tensor *(*FusedFn)(Scratch *s, Tensor *grad, Tensor *r, int64_t dim);
Tensor *fused_backward(Scratch *s, GradNodeKind kind, FusedFn fn, Tensor *grad, Tensor *r, int64_t dim,
                       bool save_grad);

/* PyTorch's norm_backward(grad, x, p, norm) over dims (nd, wrapped;
 * reordered in place) with the forward's keepdim, p != 0 (linalg.c; dist
 * uses it too). */
Tensor *norm_backward_of(Scratch *s, Tensor *grad, Tensor *x, Tensor *norm, double p, bool keepdim, int nd,
                         int64_t *dims);

/* diagonal_backward (shape.c): zeros(sizes) with grad copied into the
 * diagonal, recorded as DiagonalBackwardBackward0 (whose formula takes the
 * diagonal again) when create_graph needs it. */
Tensor *diagonal_embed(Scratch *s, Tensor *grad, const GradEdge *e, int64_t offset, int64_t d1, int64_t d2);

/* Saved tensor i, raising a clear error if the op did not save it. */
static inline Tensor *saved(GradNode *node, int i, const char *what) {
    if (i >= node->n_saved) {
        tsr_raise(ERR_RuntimeError, "%s: the forward op did not save %s", ag_node_name(node), what);
        return NULL;
    }
    return ag_saved(node, i);
}

/* The same, naming the tensor by its number. */
static inline Tensor *saved_t(GradNode *node, int i) {
    if (i >= node->n_saved) {
        tsr_raise(ERR_RuntimeError, "%s: the forward op did not save tensor %d", ag_node_name(node), i);
        return NULL;
    }
    return ag_saved(node, i);
}

/* ---- the formula prelude ----
 *
 *   FORMULA(exp_backward) {
 *       BEGIN;
 *       SAVED_RESULT(r, 0);
 *       SET(0, S2(s, BIN_MUL, grad, r));
 *       END;
 *   }
 *
 * BEGIN: grad = grad_outputs[0] (NULL: no gradient flows, the formula
 *   returns true), a Scratch *s and bool ok. SCRATCH: only s and ok, for a
 *   formula that reads grad_outputs itself (several outputs).
 * SAVED(var, i), CTX(var) (and SAVED_RESULT above): saved tensor i, the
 *   node's OpCtx; the formula returns false when it is missing.
 * SET(i, expr): grad_inputs[i] = expr (through set_grad) when input i
 *   wants a gradient and nothing failed so far; a NULL expr fails.
 * END: frees the scratch and returns ok. */
#define SCRATCH                 \
    Scratch sc = {0}, *s = &sc; \
    bool ok = true;             \
    (void)s
#define BEGIN                       \
    Tensor *grad = grad_outputs[0]; \
    if (!grad) return true;         \
    SCRATCH
#define SET(i, expr)                                                          \
    do {                                                                      \
        if (ok && need(node, i)) ok = set_grad(node, i, grad_inputs, (expr)); \
    } while (0)
#define END          \
    scratch_free(s); \
    return ok
#define SAVED(var, i)                \
    Tensor *var = ag_saved(node, i); \
    if (!var) {                      \
        scratch_free(s);             \
        return false;                \
    }
#define CTX(var)               \
    OpCtx *var = ctx_of(node); \
    if (!var) {                \
        scratch_free(s);       \
        return false;          \
    }

#endif
