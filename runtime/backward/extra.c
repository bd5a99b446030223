/* autograd_formulas_extra.c: backward formulas for the nodes of
 * ops_extra.c (gather/scatter, cumprod, topk/kthvalue/median/mode,
 * tril/triu, diagonal/diag/trace, addmm, roll, nan_to_num, vector_norm),
 * after PyTorch 1.13's tools/autograd/derivatives.yaml and
 * FunctionsManual.cpp. ops_einsum.c composes existing ops and records no
 * node of its own.
 *
 * What each op keeps (OpCtx args, saved tensors) is listed at the end of
 * ops.h. Formulas use the op layer so that with create_graph they record
 * PyTorch's backward graph (gather's gradient is a ScatterAddBackward0,
 * topk's a ScatterBackward0, ...). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

static Tensor *Sslice(Scratch *s, Tensor *a, int64_t d, int64_t start, int64_t end) {
    return a ? keep(s, op_slice(a, d, start, end, 1)) : NULL;
}

static Tensor *Ssum(Scratch *s, Tensor *a, int nd, const int64_t *dims, bool keepdim) {
    return a ? keep(s, op_sum(a, nd, dims, keepdim, DT_UNDEFINED)) : NULL;
}

/* The formula's skeleton: grad is grad_outputs[0]; a NULL incoming
 * gradient means no gradient flows. */
#define BEGIN                       \
    Tensor *grad = grad_outputs[0]; \
    Scratch sc = {NULL, 0, 0};      \
    Scratch *s = &sc;               \
    bool ok = true;                 \
    if (!grad) return true;         \
    (void)s
#define END          \
    scratch_free(s); \
    return ok
#define SET(i, expr)                                                              \
    do {                                                                          \
        if (ok && need(node, i)) ok = set_grad(node, i, grad_inputs, (expr));     \
    } while (0)
#define SAVED(var, i)                \
    Tensor *var = ag_saved(node, i); \
    if (!var) {                      \
        scratch_free(s);             \
        return false;                \
    }
#define CTX(var)                 \
    OpCtx *var = ctx_of(node);   \
    if (!var) {                  \
        scratch_free(s);         \
        return false;            \
    }

/* ------------------------------------------------------ gather/scatter */

/* gather: self: zeros(self.sizes()).scatter_add(dim, index, grad) */
FORMULA(gather_backward) {
    BEGIN;
    CTX(c);
    SAVED(index, 0);
    GradEdge *e = &node->next[0];
    Tensor *z = Szeros(s, grad->dtype, e->ndim, e->shape, e->device);
    SET(0, z ? keep(s, op_scatter(z, c->args[0], index, grad, 0.0, true, false)) : NULL);
    END;
}

/* scatter(src): self: grad.scatter(dim, index, 0); src: grad.gather(dim, index).
 * scatter(value) has only the self edge. */
FORMULA(scatter_backward) {
    BEGIN;
    CTX(c);
    SAVED(index, 0);
    SET(0, keep(s, op_scatter(grad, c->args[0], index, NULL, 0.0, false, false)));
    SET(1, keep(s, op_gather(grad, c->args[0], index)));
    END;
}

/* scatter_add: self: grad; src: grad.gather(dim, index) */
FORMULA(scatter_add_backward) {
    BEGIN;
    CTX(c);
    SAVED(index, 0);
    SET(0, grad);
    SET(1, keep(s, op_gather(grad, c->args[0], index)));
    END;
}

/* -------------------------------------------------------------- cumprod */

/* cumprod_backward. Without zeros: reversed_cumsum(result * grad) / self.
 * With zeros, PyTorch's O(n^2) form (its create_graph path, valid for any
 * input): grad_k = sum_{j >= k} grad_j * prod_{i <= j, i != k} x_i, built
 * per k from prod(x[:k]) and cumprod(x[k+1:]). */
FORMULA(cumprod_backward) {
    BEGIN;
    CTX(c);
    SAVED(x, 0);
    SAVED_RESULT(r, 1);
    if (!need(node, 0)) {
        END;
    }
    if (grad->dtype != x->dtype) grad = keep(s, op_to_dtype(grad, x->dtype));
    int64_t d = c->args[0];
    if (!grad) {
        ok = false;
    } else if (tensor_numel(x) <= 1 || x->ndim == 0 || x->shape[d] == 1) {
        SET(0, grad);
    } else {
        bool zeros = false;
        int64_t n = tensor_numel(x);
        for (int64_t i = 0; i < n && !zeros; i++) zeros = tensor_get_f64(x, i) == 0;
        if (!zeros) {
            Tensor *w = S2(s, BIN_MUL, r, grad);
            Tensor *f = w ? keep(s, op_flip(w, 1, &d)) : NULL;
            f = f ? keep(s, op_cumsum(f, d, DT_UNDEFINED)) : NULL;
            f = f ? keep(s, op_flip(f, 1, &d)) : NULL;
            SET(0, S2(s, BIN_DIV, f, x));
        } else {
            int64_t size = x->shape[d];
            Tensor **cols = tsr_calloc((size_t)size, sizeof *cols);
            if (!cols) ok = false;
            for (int64_t k = 0; ok && k < size; k++) {
                Tensor *omitted;
                if (k == 0) {
                    Tensor *from = keep(s, op_cumprod(Sslice(s, x, d, 1, size), d, DT_UNDEFINED));
                    int64_t osz[TSR_MAX_DIMS];
                    memcpy(osz, x->shape, sizeof(int64_t) * (size_t)x->ndim);
                    osz[d] = 1;
                    Tensor *ones = keep(s, tensor_full_f64(x->dtype, x->ndim, osz, 1.0, x->storage->device));
                    Tensor *pair[2] = {ones, from};
                    omitted = ones && from ? keep(s, op_cat(pair, 2, d)) : NULL;
                } else {
                    Tensor *pre = Sslice(s, x, d, 0, k);
                    Tensor *until = pre ? keep(s, op_prod(pre, 1, &d, true, DT_UNDEFINED)) : NULL;
                    if (k == size - 1) {
                        omitted = until;
                    } else {
                        Tensor *from = keep(s, op_cumprod(Sslice(s, x, d, k + 1, size), d, DT_UNDEFINED));
                        Tensor *prod = S2(s, BIN_MUL, until, from);
                        Tensor *pair[2] = {until, prod};
                        omitted = until && prod ? keep(s, op_cat(pair, 2, d)) : NULL;
                    }
                }
                cols[k] = Ssum(s, S2(s, BIN_MUL, Sslice(s, grad, d, k, size), omitted), 1, &d, false);
                if (!cols[k]) ok = false;
            }
            if (ok) SET(0, keep(s, op_stack(cols, (int)size, d)));
            free(cols);
        }
    }
    END;
}

/* -------------------------------------------------- value selections */

/* value_selecting_reduction_backward: zeros(sizes).scatter(dim, indices,
 * grad), after unsqueezing dim when not keepdim (topk keeps it). */
FORMULA(value_selecting_backward) {
    BEGIN;
    CTX(c);
    SAVED(ix, 0);
    if (c->ndim == 0) {
        SET(0, grad);
        END;
    }
    int64_t d = c->args[0];
    bool keepdim = c->args[1] != 0;
    Tensor *g = grad;
    if (!keepdim) {
        g = Sunsqueeze(s, g, d);
        ix = Sunsqueeze(s, ix, d);
    }
    Tensor *z = Szeros(s, grad->dtype, c->ndim, c->sizes, node->next[0].device);
    SET(0, z && g && ix ? keep(s, op_scatter(z, d, ix, g, 0.0, false, false)) : NULL);
    END;
}

/* median() of all elements: evenly_distribute_backward: grad / count at
 * the elements equal to the result (the NaNs when it is NaN). */
FORMULA(median_all_backward) {
    BEGIN;
    SAVED(x, 0);
    SAVED(r, 1);
    Tensor *mask = NULL;
    NO_GRAD(mask = isnan(tensor_get_f64(r, 0)) ? S1(s, UN_ISNAN, x) : S2(s, BIN_EQ, x, r));
    Tensor *count = Ssum(s, mask, 0, NULL, false);
    Tensor *z = Szeros(s, grad->dtype, x->ndim, x->shape, x->storage->device);
    Tensor *v = S2(s, BIN_DIV, grad, count);
    SET(0, z && mask && v ? keep(s, op_masked_fill(z, mask, v)) : NULL);
    END;
}

/* ---------------------------------------------- triangles and diagonals */

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

/* diagonal_backward: zeros(sizes) with grad copied into the diagonal,
 * recorded as DiagonalBackwardBackward0 (whose formula takes the diagonal
 * again) when create_graph needs it. */
static Tensor *diagonal_embed(Scratch *s, Tensor *grad, const GradEdge *e, int64_t offset, int64_t d1,
                              int64_t d2) {
    Tensor *z = Szeros(s, grad->dtype, e->ndim, e->shape, e->device);
    if (!z) return NULL;
    bool ok = false;
    NO_GRAD({
        Tensor *v = op_diagonal(z, offset, d1, d2);
        ok = v && tensor_copy_(v, grad);
        tensor_release(v);
    });
    if (!ok) return NULL;
    if (ag_any_requires_grad(&grad, 1)) {
        int64_t args[3] = {offset, d1, d2};
        GradNode *n = ag_record(z, "DiagonalBackwardBackward0", &grad, 1);
        if (!n || !op_set_ctx(n, grad, 3, args)) return NULL;
    }
    return z;
}

FORMULA(diagonal_backward) {
    BEGIN;
    CTX(c);
    SET(0, diagonal_embed(s, grad, &node->next[0], c->args[0], c->args[1], c->args[2]));
    END;
}

FORMULA(diagonal_backward_backward) {
    BEGIN;
    CTX(c);
    SET(0, keep(s, op_diagonal(grad, c->args[0], c->args[1], c->args[2])));
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

/* trace_backward: grad on the main diagonal of a zeros(sizes) */
FORMULA(trace_backward) {
    BEGIN;
    CTX(c);
    Tensor *eye = NULL;
    NO_GRAD(eye = keep(s, op_eye(c->sizes[0], c->sizes[1], DT_BOOL, node->next[0].device)));
    SET(0, Swhere(s, eye, grad, keep(s, tensor_scalar_f64(grad->dtype, 0.0))));
    END;
}

/* ------------------------------------------------------------- others */

/* roll: grad.roll(-shifts, dims); args {n, shifts[n], dims[n]}, a single
 * dim of -1 meaning the flattened roll. */
FORMULA(roll_backward) {
    BEGIN;
    CTX(c);
    int n = (int)c->args[0];
    int64_t shifts[TSR_MAX_DIMS], dims[TSR_MAX_DIMS];
    for (int i = 0; i < n && i < TSR_MAX_DIMS; i++) {
        shifts[i] = -c->args[1 + i];
        dims[i] = c->args[1 + n + i];
    }
    bool flat = n == 1 && dims[0] < 0;
    SET(0, keep(s, op_roll(grad, flat ? 0 : n, shifts, dims)));
    END;
}

/* addmm: self: grad * beta; mat1: grad.mm(mat2.t()) * alpha;
 * mat2: mat1.t().mm(grad) * alpha (maybe_multiply skips a factor of 1) */
FORMULA(addmm_backward) {
    BEGIN;
    SAVED(m1, 0);
    SAVED(m2, 1);
    const AddmmCtx *c = node->ctx;
    double beta = c ? c->beta : 1.0, alpha = c ? c->alpha : 1.0;
    SET(0, beta == 1.0 ? grad : S2f(s, BIN_MUL, grad, beta));
    if (need(node, 1)) {
        Tensor *g = keep(s, op_mm(grad, keep(s, op_t(m2))));
        SET(1, alpha == 1.0 ? g : S2f(s, BIN_MUL, g, alpha));
    }
    if (need(node, 2)) {
        Tensor *g = keep(s, op_mm(keep(s, op_t(m1)), grad));
        SET(2, alpha == 1.0 ? g : S2f(s, BIN_MUL, g, alpha));
    }
    END;
}

/* nan_to_num: grad * isfinite(self) */
FORMULA(nan_to_num_backward) {
    BEGIN;
    SAVED(x, 0);
    SET(0, S2(s, BIN_MUL, grad, S1(s, UN_ISFINITE, x)));
    END;
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
    SET(0, r);
    END;
}

/* --------------------------------------------------------------- table */

const BackwardDef ag_formulas_extra[] = {
    {"GatherBackward0", gather_backward},
    {"ScatterBackward0", scatter_backward},
    {"ScatterBackward1", scatter_backward},
    {"ScatterAddBackward0", scatter_add_backward},
    {"CumprodBackward0", cumprod_backward},
    {"TopkBackward0", value_selecting_backward},
    {"KthvalueBackward0", value_selecting_backward},
    {"MedianBackward1", value_selecting_backward},
    {"ModeBackward0", value_selecting_backward},
    {"MedianBackward0", median_all_backward},
    {"TrilBackward0", tril_backward},
    {"TriuBackward0", triu_backward},
    {"DiagonalBackward0", diagonal_backward},
    {"DiagonalBackwardBackward0", diagonal_backward_backward},
    {"DiagBackward0", diag_backward},
    {"TraceBackward0", trace_backward},
    {"RollBackward0", roll_backward},
    {"AddmmBackward0", addmm_backward},
    {"NanToNumBackward0", nan_to_num_backward},
    {"LinalgVectorNormBackward0", vector_norm_backward},
    {"NormBackward1", vector_norm_backward},
    {NULL, NULL},
};
