/* linalg.c: backward formulas for the linear-algebra nodes: mm/bmm, mv,
 * dot, vdot, addmm, linalg_cross, tril/triu, diag, trace and the vector
 * norms (PyTorch 1.13's tools/autograd/derivatives.yaml and
 * FunctionsManual.cpp).
 * Formulas use the op layer so create_graph works. einsum composes
 * existing ops and records no node of its own. */

#include <math.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* A 2-d input laid out column-major (ATen's mm_mat1/2_backward test). */
static bool col_major(const Tensor *t) {
    return t->ndim == 2 && t->stride[0] == 1 && t->stride[1] == t->shape[0];
}

/* op_mm(a, b) kept in s, or NULL when an operand is */
static Tensor *Smm(Scratch *s, Tensor *a, Tensor *b) { return a && b ? keep(s, op_mm(a, b)) : NULL; }
static Tensor *St(Scratch *s, Tensor *a) { return a ? keep(s, op_t(a)) : NULL; }

/* ATen's mm_mat1_backward: grad.mm(mat2.t().conj()) * alpha, or for a
 * column-major mat1 mat2.conj().mm(grad.t()).t() * alpha, which keeps its
 * gradient column-major (maybe_multiply skips a factor of 1) */
static Tensor *mm_mat1_grad(Scratch *s, Tensor *grad, Tensor *mat2, const Tensor *mat1, double alpha) {
    Tensor *g = col_major(mat1) ? St(s, Smm(s, Sconj(s, mat2), St(s, grad))) : Smm(s, grad, Sconj(s, St(s, mat2)));
    return alpha == 1.0 ? g : S2f(s, BIN_MUL, g, alpha);
}

/* ATen's mm_mat2_backward: mat1.t().conj().mm(grad) * alpha, or for a
 * column-major mat2 grad.t().mm(mat1.conj()).t() * alpha */
static Tensor *mm_mat2_grad(Scratch *s, Tensor *grad, Tensor *mat1, const Tensor *mat2, double alpha) {
    Tensor *g = col_major(mat2) ? St(s, Smm(s, St(s, grad), Sconj(s, mat1))) : Smm(s, Sconj(s, St(s, mat1)), grad);
    return alpha == 1.0 ? g : S2f(s, BIN_MUL, g, alpha);
}

/* mm: self: mm_mat1_backward; mat2: mm_mat2_backward (saved: self, mat2).
 * bmm: self: grad.bmm(mat2.transpose(1, 2).conj()); mat2:
 * self.transpose(1, 2).conj().bmm(grad) */
bool mm_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0]) return true;
    Tensor *a = ag_saved(node, 0);
    Tensor *b = a ? ag_saved(node, 1) : NULL;
    if (!a || !b) return false;
    Scratch s = {0};
    bool ok = false;
    if (node->kind != NODE_BmmBackward0) {
        if (need(node, 0) && !set_grad(node, 0, gi, mm_mat1_grad(&s, go[0], b, a, 1.0))) goto done;
        if (need(node, 1) && !set_grad(node, 1, gi, mm_mat2_grad(&s, go[0], a, b, 1.0))) goto done;
    } else {
        if (need(node, 0)) {
            Tensor *bt = Sconj(&s, keep(&s, op_transpose(b, 1, 2)));
            if (!bt || !set_grad(node, 0, gi, keep(&s, op_bmm(go[0], bt)))) goto done;
        }
        if (need(node, 1)) {
            Tensor *at = Sconj(&s, keep(&s, op_transpose(a, 1, 2)));
            if (!at || !set_grad(node, 1, gi, keep(&s, op_bmm(at, go[0])))) goto done;
        }
    }
    ok = true;
done:
    scratch_free(&s);
    return ok;
}

/* mv: self: grad.ger(vec.conj()); vec: self.conj().t().mv(grad) */
bool mv_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0]) return true;
    Tensor *a = ag_saved(node, 0);
    Tensor *v = a ? ag_saved(node, 1) : NULL;
    if (!a || !v) return false;
    Scratch s = {0};
    bool ok = false;
    if (need(node, 0)) {
        Tensor *vc = Sconj(&s, v);
        if (!vc || !set_grad(node, 0, gi, keep(&s, op_outer(go[0], vc)))) goto done;
    }
    if (need(node, 1)) {
        Tensor *ac = Sconj(&s, a);
        Tensor *at = ac ? keep(&s, op_t(ac)) : NULL;
        if (!at || !set_grad(node, 1, gi, keep(&s, op_matmul(at, go[0])))) goto done;
    }
    ok = true;
done:
    scratch_free(&s);
    return ok;
}

/* dot: self: grad * tensor.conj(); tensor: grad * self.conj() */
bool dot_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0]) return true;
    Tensor *a = ag_saved(node, 0);
    Tensor *b = a ? ag_saved(node, 1) : NULL;
    if (!a || !b) return false;
    Scratch s = {0};
    bool ok = (!need(node, 0) || set_grad(node, 0, gi, S2(&s, BIN_MUL, go[0], Sconj(&s, b)))) &&
              (!need(node, 1) || set_grad(node, 1, gi, S2(&s, BIN_MUL, go[0], Sconj(&s, a))));
    scratch_free(&s);
    return ok;
}

/* self: grad.conj() * other; other: grad * self */
FORMULA(vdot_backward) {
    BEGIN;
    Tensor *x = saved_t(node, 0), *y = x ? saved_t(node, 1) : NULL;
    if (!y) ok = false;
    SET(0, S2(s, BIN_MUL, Sconj(s, grad), y));
    SET(1, S2(s, BIN_MUL, grad, x));
    END;
}

/* addmm: self: grad * beta; mat1: mm_mat1_backward(alpha); mat2:
 * mm_mat2_backward(alpha) (maybe_multiply skips a factor of 1) */
FORMULA(addmm_backward) {
    BEGIN;
    SAVED(m1, 0);
    SAVED(m2, 1);
    const AddmmCtx *c = node->ctx;
    double beta = c ? c->beta : 1.0, alpha = c ? c->alpha : 1.0;
    SET(0, beta == 1.0 ? grad : S2f(s, BIN_MUL, grad, beta));
    if (need(node, 1)) SET(1, mm_mat1_grad(s, grad, m2, m1, alpha));
    if (need(node, 2)) SET(2, mm_mat2_grad(s, grad, m1, m2, alpha));
    END;
}

/* self: linalg_cross(other, grad, dim); other: linalg_cross(grad, self, dim) */
FORMULA(cross_backward) {
    BEGIN;
    OpCtx *c = ctx_of(node);
    Tensor *x = c ? saved_t(node, 0) : NULL, *y = x ? saved_t(node, 1) : NULL;
    if (!y) ok = false;
    int64_t d = ok ? c->args[0] : 0;
    SET(0, keep(s, op_cross(y, grad, true, d)));
    SET(1, keep(s, op_cross(grad, x, true, d)));
    END;
}

FORMULA(tril_backward) {
    BEGIN;
    CTX(c);
    SET(0, keep(s, op_tril(grad, c->args[0], false)));
    END;
}

FORMULA(triu_backward) {
    BEGIN;
    CTX(c);
    SET(0, keep(s, op_tril(grad, c->args[0], true)));
    END;
}

/* diag_backward: grad.diag(diagonal) for a vector or a square matrix,
 * else diagonal_backward(grad, sizes, diagonal, 0, 1). */
FORMULA(diag_backward) {
    BEGIN;
    CTX(c);
    if (c->ndim == 1 || c->sizes[0] == c->sizes[1]) SET(0, keep(s, op_diag(grad, c->args[0])));
    else SET(0, diagonal_embed(s, grad, &node->next[0], c->args[0], 0, 1));
    END;
}

/* diag_embed_backward: grad.diagonal(offset, dim1, dim2); args {offset,
 * dim1, dim2} */
FORMULA(diag_embed_backward) {
    BEGIN;
    CTX(c);
    SET(0, keep(s, op_diagonal(grad, c->args[0], c->args[1], c->args[2])));
    END;
}

/* block_diag_backward: each input's block of grad, in its shape (from its
 * edge); set_grad converts it to the input's dtype */
FORMULA(block_diag_backward) {
    BEGIN;
    int64_t r = 0, col = 0;
    for (int i = 0; ok && i < node->n_next; i++) {
        GradEdge *e = &node->next[i];
        int64_t h = e->ndim == 2 ? e->shape[0] : 1, w = e->ndim == 0 ? 1 : e->shape[e->ndim - 1];
        if (need(node, i)) {
            Tensor *rows = keep(s, op_slice(grad, 0, r, r + h, 1));
            Tensor *blk = rows ? keep(s, op_slice(rows, 1, col, col + w, 1)) : NULL;
            ok = blk && set_grad(node, i, grad_inputs, keep(s, op_reshape(blk, e->ndim, e->shape)));
        }
        r += h;
        col += w;
    }
    END;
}

/* trace_backward: grad on the main diagonal of a zeros(sizes) */
FORMULA(trace_backward) {
    BEGIN;
    CTX(c);
    Tensor *eye = NULL;
    NO_GRAD(eye = keep(s, op_eye(c->sizes[0], c->sizes[1], DT_BOOL, node->next[0].device)));
    SET(0, Swhere(s, eye, grad, keep(s, tensor_scalar_f64(grad->dtype, 0.0))));
    END;
}

/* PyTorch's norm_backward(grad, x, p, norm) over dims (nd of them,
 * wrapped; keepdim as the forward had it), op for op so create_graph
 * builds its graph; NULL with an error raised. p is not 0. */
Tensor *norm_backward_of(Scratch *s, Tensor *grad, Tensor *x, Tensor *norm, double p, bool keepdim, int nd,
                         int64_t *dims) {
    Tensor *g = grad;
    if (!keepdim && x->ndim != 0 && nd > 0) {
        /* unsqueeze_multiple: ascending dims */
        for (int i = 1; i < nd; i++)
            for (int j = i; j > 0 && dims[j - 1] > dims[j]; j--) {
                int64_t t = dims[j];
                dims[j] = dims[j - 1];
                dims[j - 1] = t;
            }
        for (int i = 0; i < nd; i++) {
            g = Sunsqueeze(s, g, dims[i]);
            norm = Sunsqueeze(s, norm, dims[i]);
        }
    }
    /* PyTorch's norm_backward, op for op (so create_graph builds its graph) */
    Tensor *zero_norm = NULL, *r = NULL;
    NO_GRAD(zero_norm = S2f(s, BIN_EQ, norm, 0.0));
    if (p == 1.0) {
        r = S2(s, BIN_MUL, Ssgn(s, x), g);
    } else if (p == 2.0) {
        r = S2(s, BIN_MUL, g, Sfill0(s, S2(s, BIN_DIV, x, norm), zero_norm));
    } else if (isinf(p)) {
        Tensor *mask = NULL, *count = NULL;
        NO_GRAD({
            Tensor *ax = S1(s, UN_ABS, x);
            mask = S2(s, BIN_LOGICAL_OR, S2(s, BIN_EQ, ax, norm), S1(s, UN_ISNAN, ax));
            count = nd > 0 ? Ssum(s, mask, nd, dims, true) : Ssum(s, mask, 0, NULL, false);
        });
        r = S2(s, BIN_MUL, Ssgn(s, x), S2(s, BIN_MUL, S2(s, BIN_DIV, g, count), mask));
    } else if (p < 1.0) {
        Tensor *xz = NULL;
        NO_GRAD(xz = S2f(s, BIN_EQ, x, 0.0));
        Tensor *scaled = S2(s, BIN_MUL, Ssgn(s, x), Sfill0(s, S2f(s, BIN_POW, S1(s, UN_ABS, x), p - 1.0), xz));
        r = S2(s, BIN_MUL, S2(s, BIN_MUL, scaled, g), S2f(s, BIN_POW, norm, 1.0 - p));
    } else {
        Tensor *scaled = p < 2.0 ? S2(s, BIN_MUL, Ssgn(s, x), S2f(s, BIN_POW, S1(s, UN_ABS, x), p - 1.0))
                                 : S2(s, BIN_MUL, x, S2f(s, BIN_POW, S1(s, UN_ABS, x), p - 2.0));
        Tensor *scale = S2(s, BIN_DIV, g, S2f(s, BIN_POW, norm, p - 1.0));
        r = S2(s, BIN_MUL, scaled, Sfill0(s, scale, zero_norm));
    }
    return r;
}

/* linalg_vector_norm_backward and NormBackward1 (norm_backward): args {ord bits, keepdim,
 * dims...}; saved {self, result}. */
FORMULA(vector_norm_backward) {
    BEGIN;
    CTX(c);
    SAVED(x, 0);
    SAVED_RESULT(norm, 1);
    double p;
    memcpy(&p, &c->args[0], sizeof p);
    bool keepdim = c->args[1] != 0;
    int nd = c->nargs - 2;
    int64_t dims[TSR_MAX_DIMS];
    for (int i = 0; i < nd && i < TSR_MAX_DIMS; i++) {
        int w = wrap_dim(c->args[2 + i], x->ndim);
        if (w < 0) {
            scratch_free(s);
            return false;
        }
        dims[i] = w;
    }
    if (p == 0.0) { /* PyTorch returns an undefined gradient */
        END;
    }
    Tensor *r = norm_backward_of(s, grad, x, norm, p, keepdim, nd, dims);
    SET(0, r);
    END;
}
