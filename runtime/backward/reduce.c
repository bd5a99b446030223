/* reduce.c: backward formulas for the reduction nodes: sum/mean/nansum,
 * prod, amax/amin and max/min, logsumexp, the cumulative ops (cumsum,
 * cumprod, cummax/cummin), var/std and var_mean/std_mean (PyTorch 1.13's
 * tools/autograd/derivatives.yaml and FunctionsManual.cpp).
 *
 * Formulas use the op layer so that, run with grad mode on
 * (create_graph=True), they record a differentiable graph. The reduced
 * dims and keepdim come from the node's OpCtx (ops.h). Where a formula
 * needs a tensor that its op may not save, it accepts it as saved tensor
 * 0 (the input) / 1 (the result) and otherwise recomputes or raises. prod's
 * exclusive cumulative products when a zero is present are a raw loop
 * (constants, so a second derivative through them is missing). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

static Tensor *Sslice(Scratch *s, Tensor *a, int64_t d, int64_t start, int64_t end) {
    return a ? keep(s, op_slice(a, d, start, end, 1)) : NULL;
}

/* Sorted copy of a small dim list. */
static void sort_dims(int n, const int64_t *in, int64_t *out) {
    memcpy(out, in, sizeof(int64_t) * (size_t)n);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && out[j - 1] > out[j]; j--) {
            int64_t t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
}

/* The reduced grad with its reduced dims back (size 1): unsqueezes each
 * reduced dim in ascending order unless keepdim (PyTorch's
 * unsqueeze_multiple / restore_reduced_dims). */
static Tensor *restore_dims(Scratch *s, Tensor *g, int in_ndim, int nd, const int64_t *dims, bool keepdim) {
    if (!g || keepdim || in_ndim == 0) return g;
    int64_t sd[TSR_MAX_DIMS];
    sort_dims(nd, dims, sd);
    for (int i = 0; i < nd && g; i++) g = Sunsqueeze(s, g, sd[i]);
    return g;
}

/* restore_reduced_dims: the reduced grad reshaped with its reduced dims
 * back as size 1 (the input's sizes, c->sizes, with those dims 1). */
static Tensor *restore_reshape(Scratch *s, Tensor *g, const OpCtx *c, int nd, const int64_t *dims, bool keepdim) {
    if (!g || keepdim || c->ndim == 0) return g;
    int64_t sh[TSR_MAX_DIMS];
    memcpy(sh, c->sizes, sizeof(int64_t) * (size_t)c->ndim);
    for (int i = 0; i < nd; i++) sh[dims[i]] = 1;
    return Sreshape(s, g, c->ndim, sh);
}

/* For reductions: the reduced dims (args[0..nargs-2]) and keepdim. */
static int red_dims(const OpCtx *c, int extra, const int64_t **dims, bool *keepdim) {
    int nd = c->nargs - 1 - extra;
    if (nd < 0) nd = 0;
    *dims = c->args;
    *keepdim = c->nargs > nd && c->args[nd] != 0;
    return nd;
}

/* sum_backward: g with the reduced dims back (unless keepdim), expanded
 * to shape. nd 0 = every dim. */
static Tensor *sum_back(Scratch *s, Tensor *g, int ndim, const int64_t *shape, int nd, const int64_t *dims,
                        bool keepdim) {
    if (!g) return NULL;
    if (!keepdim && ndim > 0 && nd > 0) {
        bool red[TSR_MAX_DIMS] = {false};
        for (int i = 0; i < nd; i++) red[dims[i]] = true;
        for (int d = 0; d < ndim && g; d++)
            if (red[d]) g = Sunsqueeze(s, g, d);
    }
    return g ? keep(s, op_expand(g, ndim, shape)) : NULL;
}

/* ----------------------------------------------------------- sum, mean */

/* sum()/mean() over every element (SumBackward0, MeanBackward0): their
 * formulas expand the 0-dim grad directly, with no unsqueeze. */
static bool full_reduction(const GradNode *node) {
    return node->kind == NODE_SumBackward0 || node->kind == NODE_MeanBackward0;
}

/* sum_backward: grad (dims restored) expanded to self's sizes */
bool sum_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    Scratch s = {0};
    Tensor *g = full_reduction(node) ? go[0] : restore_dims(&s, go[0], c->ndim, nd, dims, keepdim);
    bool ok = g && set_grad(node, 0, gi, keep(&s, op_expand(g, c->ndim, c->sizes)));
    scratch_free(&s);
    return ok;
}

/* mean_backward: sum_backward(...) / numel of the reduced dims */
bool mean_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    int64_t count = 1;
    for (int i = 0; i < nd && c->ndim > 0; i++) count *= c->sizes[dims[i]];
    Scratch s = {0};
    Tensor *g = full_reduction(node) ? go[0] : restore_dims(&s, go[0], c->ndim, nd, dims, keepdim);
    g = g ? keep(&s, op_expand(g, c->ndim, c->sizes)) : NULL;
    bool ok = set_grad(node, 0, gi, S2f(&s, BIN_DIV, g, (double)count));
    scratch_free(&s);
    return ok;
}

/* nansum_backward: sum_backward(grad, ...) * self.isnan().logical_not() */
FORMULA(nansum_backward) {
    BEGIN;
    OpCtx *c = ctx_of(node);
    Tensor *x = c ? saved_t(node, 0) : NULL;
    if (!x) ok = false;
    if (ok) {
        Tensor *g = grad;
        if (g->dtype != x->dtype) g = keep(s, op_to_dtype(g, x->dtype));
        g = sum_back(s, g, x->ndim, x->shape, c->nargs - 1, c->args + 1, c->args[0] != 0);
        Tensor *mask = NULL;
        NO_GRAD(mask = S1(s, UN_LOGICAL_NOT, S1(s, UN_ISNAN, x)));
        SET(0, S2(s, BIN_MUL, g, mask));
    }
    END;
}

/* ---------------------------------------------------------------- prod */

/* The node's input (saved tensor 0) and result (saved tensor 1, or
 * recomputed from the input with the current grad mode). */
typedef Tensor *(*Recompute)(Tensor *in, const OpCtx *c, GradNodeKind kind);

static bool input_and_result(Scratch *s, GradNode *node, Recompute fn, Tensor **in, Tensor **res) {
    *in = saved(node, 0, "its input");
    if (!*in) return false;
    if (node->n_saved > 1) {
        *res = ag_saved(node, 1);
        return *res != NULL;
    }
    *res = keep(s, fn(*in, node->ctx, node->kind));
    return *res != NULL;
}

static Tensor *recompute_prod(Tensor *in, const OpCtx *c, GradNodeKind kind) {
    bool all = kind == NODE_ProdBackward0;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    return op_prod(in, all ? 0 : nd, dims, keepdim, DT_UNDEFINED);
}

/* prod_safe_zeros_backward's exclusive products along dim d of x
 * (contiguous copy): prefix (cumprod of [1, x[:-1]]) times reversed
 * suffix, with cumprod's double accumulation. Raw loops: constants. */
static Tensor *exclusive_products(Tensor *x, int d) {
    Tensor *xc = tensor_contiguous(x);
    if (!xc) return NULL;
    Tensor *out = tensor_empty(x->dtype, x->ndim, x->shape, x->storage->device);
    Tensor *pre = tensor_empty(x->dtype, x->ndim, x->shape, x->storage->device);
    if (!out || !pre) goto fail;
    int64_t n = x->shape[d], stride = xc->stride[d], total = tensor_numel(xc);
    int64_t es = (int64_t)dtype_size(x->dtype);
    const char *src = tensor_data(xc);
    char *po = tensor_data(out), *pp = tensor_data(pre);
    for (int64_t base = 0; n > 0 && base < total; base++) {
        if ((base / stride) % n != 0) continue; /* first element of each line */
        double acc = 1.0;
        for (int64_t i = 0; i < n; i++) {
            int64_t o = (base + i * stride) * es;
            dtype_store_f64(x->dtype, pp + o, acc);
            acc *= dtype_load_f64(x->dtype, src + o);
        }
        acc = 1.0;
        for (int64_t i = n - 1; i >= 0; i--) {
            int64_t o = (base + i * stride) * es;
            /* exclusive_normal * exclusive_reverse, each rounded to the dtype */
            char r[16];
            dtype_store_f64(x->dtype, r, acc);
            dtype_store_f64(x->dtype, po + o, dtype_load_f64(x->dtype, pp + o) * dtype_load_f64(x->dtype, r));
            acc *= dtype_load_f64(x->dtype, src + o);
        }
    }
    tensor_release(xc);
    tensor_release(pre);
    return out;
fail:
    tensor_release(xc);
    tensor_release(out);
    tensor_release(pre);
    return NULL;
}

static int64_t count_zeros(Tensor *x) {
    int64_t n = tensor_numel(x), z = 0;
    for (int64_t i = 0; i < n; i++) {
        double re, im = 0.0;
        if (dtype_is_complex(x->dtype))
            tensor_get_complex(x, i, &re, &im);
        else
            re = tensor_get_f64(x, i);
        z += re == 0 && im == 0;
    }
    return z;
}

/* prod_backward (all elements and along a dim), handling zeros like
 * PyTorch: no zero -> grad * result / input; else the safe exclusive
 * products (all-reduce with several zeros: zeros). Needs the input saved
 * (saved tensor 0). */
bool prod_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    bool ok = false;
    Tensor *in, *res;
    if (!input_and_result(&s, node, recompute_prod, &in, &res)) goto done;
    if (in->ndim == 0) {
        ok = set_grad(node, 0, gi, go[0]);
        goto done;
    }
    bool all = node->kind == NODE_ProdBackward0;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    Tensor *g = go[0];
    if (!all) {
        g = restore_dims(&s, g, c->ndim, nd, dims, keepdim);
        res = restore_dims(&s, res, c->ndim, nd, dims, keepdim);
        if (!g || !res) goto done;
    }
    int64_t zeros = count_zeros(in);
    Tensor *r;
    if (zeros == 0) {
        r = S2(&s, BIN_MUL, g, Sconj(&s, S2(&s, BIN_DIV, res, in))); /* grad * (result / input).conj() */
    } else if (dtype_is_complex(in->dtype)) {
        tsr_raise(ERR_NotImplementedError, "%s",
                  "the derivative of prod for complex tensors with zeros is not implemented in tsr");
        goto done;
    } else if (all && zeros > 1) {
        r = Szeros(&s, in->dtype, in->ndim, in->shape, in->storage->device);
    } else {
        Tensor *ex = all ? keep(&s, exclusive_products(Sflat(&s, in), 0))
                         : keep(&s, exclusive_products(in, (int)dims[0]));
        r = S2(&s, BIN_MUL, g, Sreshape(&s, ex, in->ndim, in->shape));
    }
    ok = set_grad(node, 0, gi, r);
done:
    scratch_free(&s);
    return ok;
}

/* ------------------------------------------------ amax, amin, max, min */

static Tensor *recompute_amax(Tensor *in, const OpCtx *c, GradNodeKind kind) {
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    Tensor *r = NULL;
    bool is_max = kind == NODE_AmaxBackward0;
    NO_GRAD(r = is_max ? op_amax(in, nd, dims, keepdim) : op_amin(in, nd, dims, keepdim));
    return r;
}

/* amax/amin: scale_grad_by_count(restore(grad), restore(result) == self, dims):
 * (grad / mask.sum(dims, keepdim=True)) * mask */
bool amax_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    bool ok = false;
    Tensor *in, *res;
    if (!input_and_result(&s, node, recompute_amax, &in, &res)) goto done;
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 0, &dims, &keepdim);
    Tensor *g = restore_reshape(&s, go[0], c, nd, dims, keepdim);
    res = restore_reshape(&s, res, c, nd, dims, keepdim);
    Tensor *mask = NULL, *count = NULL;
    NO_GRAD({
        mask = S2(&s, BIN_EQ, res, in);
        count = mask ? keep(&s, op_sum(mask, in->ndim ? nd : 0, dims, true, DT_UNDEFINED)) : NULL;
    });
    ok = set_grad(node, 0, gi, S2(&s, BIN_MUL, S2(&s, BIN_DIV, g, count), mask));
done:
    scratch_free(&s);
    return ok;
}

/* max()/min() over all elements: evenly_distribute_backward: the grad
 * split evenly among the elements equal to the result (NaN: the NaNs). */
bool max_all_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    Scratch s = {0};
    bool ok = false;
    Tensor *in = saved(node, 0, "its input");
    if (!in) goto done;
    bool is_max = node->kind == NODE_MaxBackward1;
    Tensor *mask = NULL, *count = NULL;
    NO_GRAD({
        Tensor *v = keep(&s, is_max ? op_max_all(in) : op_min_all(in));
        if (v) {
            if (isnan(tensor_get_f64(v, 0))) mask = keep(&s, op_unary(UN_ISNAN, in));
            else mask = S2(&s, BIN_EQ, in, v);
        }
        count = mask ? keep(&s, op_sum(mask, 0, NULL, false, DT_UNDEFINED)) : NULL;
    });
    Tensor *share = S2(&s, BIN_DIV, go[0], count);
    if (!share) goto done;
    if (tensor_is_cuda(in)) { /* ATen's CUDA path: mask * (grad / mask.sum()) */
        ok = set_grad(node, 0, gi, S2(&s, BIN_MUL, mask, share));
    } else { /* grad.new_zeros(sizes).masked_fill_(mask, grad / mask.sum()) */
        Tensor *z = keep(&s, tensor_zeros(go[0]->dtype, in->ndim, in->shape, go[0]->storage->device));
        ok = z && set_grad(node, 0, gi, keep(&s, op_masked_fill_(z, mask, share)));
    }
done:
    scratch_free(&s);
    return ok;
}

/* value_selecting_reduction_backward: zeros(sizes).scatter(dim, indices,
 * grad). Saved tensor 0: the indices; ctx args: dim, keepdim. */
bool max_dim_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *ix = saved(node, 0, "the indices");
    if (!ix) return false;
    if (c->ndim == 0) return set_grad(node, 0, gi, go[0]);
    Scratch s = {0};
    bool ok = false;
    int d = (int)c->args[0];
    bool keepdim = c->args[1] != 0;
    Tensor *g = go[0];
    if (!keepdim) {
        g = Sunsqueeze(&s, g, d);
        ix = Sunsqueeze(&s, ix, d);
        if (!g || !ix) goto done;
    }
    Tensor *z = keep(&s, tensor_zeros(g->dtype, c->ndim, c->sizes, g->storage->device));
    ok = z && set_grad(node, 0, gi, keep(&s, op_scatter(z, d, ix, g, 0.0, false, false)));
done:
    scratch_free(&s);
    return ok;
}

/* ------------------------------------------------------------ logsumexp */

/* g with the reduced dims (wrapped against ndim) back as size-1 dims,
 * unless keepdim. */
static Tensor *restore_dims_wrapped(Scratch *s, Tensor *g, int ndim, int nd, const int64_t *dims, bool keepdim) {
    if (!g || keepdim || ndim == 0) return g;
    bool red[TSR_MAX_DIMS] = {false};
    for (int i = 0; i < nd; i++) {
        int w = wrap_dim(dims[i], ndim);
        if (w < 0) return NULL;
        red[w] = true;
    }
    for (int d = 0; d < ndim && g; d++)
        if (red[d]) g = keep(s, op_unsqueeze(g, d));
    return g;
}

/* self: grad * (self - result).exp(), both unsqueezed to self's dims */
FORMULA(logsumexp_backward) {
    BEGIN;
    OpCtx *c = ctx_of(node);
    Tensor *x = c ? saved_t(node, 0) : NULL, *r = x ? saved_t(node, 1) : NULL;
    if (!r) ok = false;
    if (ok) {
        int nd = c->nargs - 1;
        bool kd = c->args[nd] != 0;
        Tensor *g = restore_dims_wrapped(s, grad, x->ndim, nd, c->args, kd);
        Tensor *ru = restore_dims_wrapped(s, r, x->ndim, nd, c->args, kd);
        SET(0, S2(s, BIN_MUL, g, S1(s, UN_EXP, S2(s, BIN_SUB, x, ru))));
    }
    END;
}

/* ---------------------------------------------------------- cumulative */

/* cumsum_backward: grad.to(self dtype), reversed cumsum along dim */
bool cumsum_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    bool ok = false;
    Tensor *g = go[0];
    if (g->dtype != c->dtype) g = keep(&s, op_to_dtype(g, c->dtype));
    if (!g) goto done;
    int64_t d = c->args[0];
    if (tensor_numel(g) <= 1 || c->ndim == 0 || g->shape[d] == 1) {
        ok = set_grad(node, 0, gi, g);
        goto done;
    }
    Tensor *f = keep(&s, op_flip(g, 1, &d));
    f = f ? keep(&s, op_cumsum(f, d, DT_UNDEFINED)) : NULL;
    ok = f && set_grad(node, 0, gi, keep(&s, op_flip(f, 1, &d)));
done:
    scratch_free(&s);
    return ok;
}

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

/* cummaxmin_backward: zeros(self).scatter_add(dim, indices, grad) */
FORMULA(cummaxmin_backward) {
    BEGIN;
    OpCtx *c = ctx_of(node);
    Tensor *ix = c ? saved_t(node, 0) : NULL;
    if (!ix) ok = false;
    if (ok) {
        if (c->ndim == 0) {
            SET(0, grad);
        } else {
            Tensor *z = Szeros(s, grad->dtype, c->ndim, c->sizes, grad->storage->device);
            Tensor *g = tensor_numel(grad) == 0 ? z
                        : z ? keep(s, op_scatter(z, c->args[0], ix, grad, 0, true, false)) : NULL;
            SET(0, g);
        }
    }
    END;
}

/* ------------------------------------------------------------ var, std */

/* var_backward (1.13): all elements of a 0-dim or every dim reduced
 * without keepdim: n == correction ? inf * grad
 * : 2 / (n - correction) * grad * (self - self.mean()); else
 * 2 / (rnumel - correction) * restore(grad) * (self - self.mean(dims, true)). */
static Tensor *var_grad(Scratch *s, GradNode *node, const OpCtx *c, Tensor *g, Tensor *in) {
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 1, &dims, &keepdim);
    int64_t correction = c->args[c->nargs - 1];
    if (!g) return NULL;
    if (in->ndim == 0 || (nd == in->ndim && !keepdim)) {
        int64_t n = tensor_numel(in);
        if (n == correction) {
            if (in->ndim != 0) {
                char buf[256];
                int k = 0;
                for (int i = 0; i < in->ndim && k < 200; i++)
                    k += snprintf(buf + k, sizeof buf - (size_t)k, "%s%lld", i ? ", " : "", (long long)in->shape[i]);
                if (k == 0) buf[0] = 0;
                tsr_raise(ERR_RuntimeError,
                          "Function %s returned an invalid gradient at index 0 - got [] but expected "
                          "shape compatible with [%s]",
                          ag_node_name(node), buf);
                return NULL;
            }
            return Sf2(s, BIN_MUL, INFINITY, g);
        }
        Tensor *m = keep(s, op_mean(in, 0, NULL, false, DT_UNDEFINED));
        return S2(s, BIN_MUL, Sf2(s, BIN_MUL, 2.0 / (double)(n - correction), g), S2(s, BIN_SUB, in, m));
    }
    int64_t rnumel = 1;
    for (int i = 0; i < nd; i++) rnumel *= in->shape[dims[i]];
    if (!keepdim && in->ndim > 1) g = restore_dims(s, g, in->ndim, nd, dims, false);
    Tensor *m = keep(s, op_mean(in, nd, dims, true, DT_UNDEFINED));
    return S2(s, BIN_MUL, Sf2(s, BIN_MUL, 2.0 / (double)(rnumel - correction), g), S2(s, BIN_SUB, in, m));
}

bool var_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Tensor *in = saved(node, 0, "its input");
    if (!in) return false;
    Scratch s = {0};
    bool ok = set_grad(node, 0, gi, var_grad(&s, node, c, go[0], in));
    scratch_free(&s);
    return ok;
}

static Tensor *recompute_std(Tensor *in, const OpCtx *c, GradNodeKind kind) {
    const int64_t *dims;
    bool keepdim;
    int nd = red_dims(c, 1, &dims, &keepdim);
    return op_var(in, nd, dims, c->args[c->nargs - 1], keepdim, true);
}

/* std_backward: var_backward((grad / (result * 2)).masked_fill_(result == 0, 0)) */
bool std_backward(GradNode *node, Tensor *const *go, Tensor **gi) {
    if (!go[0] || !need(node, 0)) return true;
    OpCtx *c = ctx_of(node);
    if (!c) return false;
    Scratch s = {0};
    bool ok = false;
    Tensor *in, *res;
    if (!input_and_result(&s, node, recompute_std, &in, &res)) goto done;
    Tensor *q = S2(&s, BIN_DIV, go[0], S2f(&s, BIN_MUL, res, 2.0));
    Tensor *zero = NULL;
    NO_GRAD(zero = S2(&s, BIN_EQ, res, Szero(&s, res->dtype)));
    Tensor *gv = q && zero ? keep(&s, op_masked_fill_(q, zero, Sf(&s, 0.0))) : NULL;
    ok = set_grad(node, 0, gi, var_grad(&s, node, c, gv, in));
done:
    scratch_free(&s);
    return ok;
}

/* var_backward (1.13): dim None: dof = numel - correction,
 * dof <= 0 ? grad * where(self == mean, nan, inf) : (2 / dof) * grad * (self - self.mean());
 * with dims: (2 / dof) * unsqueezed grad * (self - self.mean(dims, true)). */
static Tensor *var_back(Scratch *s, const OpCtx *c, Tensor *g, Tensor *x) {
    if (!g) return NULL;
    int64_t correction = c->args[0];
    bool keepdim = c->args[1] != 0, has_dim = c->args[2] != 0;
    int nd = c->nargs - 3;
    const int64_t *dims = c->args + 3;
    if (x->ndim == 0 || !has_dim) {
        int64_t dof = tensor_numel(x) - correction;
        Tensor *m = keep(s, op_mean(x, 0, NULL, false, DT_UNDEFINED));
        if (dof <= 0) {
            Tensor *eq = NULL;
            NO_GRAD(eq = S2(s, BIN_EQ, x, m));
            return S2(s, BIN_MUL, g, Swhere(s, eq, Sf(s, NAN), Sf(s, INFINITY)));
        }
        return S2(s, BIN_MUL, S2(s, BIN_MUL, Sf(s, 2.0 / (double)dof), g), S2(s, BIN_SUB, x, m));
    }
    if (!keepdim && x->ndim > 1) {
        bool red[TSR_MAX_DIMS] = {false};
        for (int i = 0; i < nd; i++) red[dims[i]] = true;
        for (int d = 0; d < x->ndim && g; d++)
            if (red[d]) g = Sunsqueeze(s, g, d);
    }
    int64_t n = 1;
    for (int i = 0; i < nd; i++) n *= x->shape[dims[i]];
    Tensor *m = keep(s, op_mean(x, nd, dims, true, DT_UNDEFINED));
    return S2(s, BIN_MUL, S2(s, BIN_MUL, Sf(s, 2.0 / (double)(n - correction)), g), S2(s, BIN_SUB, x, m));
}

/* var_mean_backward / std_mean_backward: the var (std) part plus
 * mean_backward(gmean) = sum_backward(gmean) / n */
FORMULA(var_mean_backward) {
    Tensor *gv = grad_outputs[0], *gm = grad_outputs[1];
    if ((!gv && !gm) || !need(node, 0)) return true;
    SCRATCH;
    bool is_std = node->kind == NODE_StdMeanBackward0;
    OpCtx *c = ctx_of(node);
    Tensor *x = c ? saved_t(node, 0) : NULL;
    if (!x) ok = false;
    Tensor *gself = NULL;
    if (ok && gv) {
        if (is_std) {
            SAVED_RESULT(r, 1);
            Tensor *q = S2(s, BIN_DIV, gv, S2f(s, BIN_MUL, r, 2.0));
            Tensor *zero = NULL;
            NO_GRAD(zero = S2f(s, BIN_EQ, r, 0.0));
            gv = q ? keep(s, op_masked_fill(q, zero, Sf(s, 0.0))) : NULL;
        }
        gself = var_back(s, c, gv, x);
        if (!gself) ok = false;
    }
    if (ok && gm) {
        int nd = c->args[2] ? c->nargs - 3 : 0;
        int64_t n = 1;
        if (nd == 0 || nd == x->ndim) n = tensor_numel(x);
        else
            for (int i = 0; i < nd; i++) n *= x->shape[c->args[3 + i]];
        Tensor *aux = S2f(s, BIN_DIV, sum_back(s, gm, x->ndim, x->shape, nd, c->args + 3, c->args[1] != 0),
                          (double)n);
        gself = gself ? S2(s, BIN_ADD, gself, aux) : aux;
        if (!gself) ok = false;
    }
    if (ok && gself) ok = set_grad(node, 0, grad_inputs, gself);
    END;
}

/* SegmentReduceBackward0: _segment_reduce_backward(grad, result, data,
 * reduce, lengths, ..., initial) (runtime/ops/segment_reduce.c) */
FORMULA(segment_reduce_backward) {
    BEGIN;
    SAVED(data, 0);
    SAVED_RESULT(out, 1);
    SAVED(lengths, 2);
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        scratch_free(s);
        return false;
    }
    Tensor *g = keep(s, op_contiguous(grad));
    SET(0, g ? keep(s, op_segment_reduce_backward(g, out, data, lengths, node->ctx)) : NULL);
    END;
}
