/* affine_grid.c: torch.affine_grid_generator (F.affine_grid's op), 1.13's
 * AffineGridGenerator.cpp: a base grid of (x, y[, z], 1) points from
 * linspace(-1, 1) (scaled by (n - 1) / n unless align_corners), times
 * theta^T by bmm. One node, AffineGridGeneratorBackward0 (ctx: size and
 * align_corners), whose formula is affine_grid_generator_backward:
 * base^T bmm grad, transposed (composite: it records its ops). */
#include "autograd.h"
#include "error.h"
#include "ops.h"

typedef struct {
    int n;
    int64_t size[5];
    bool align_corners;
} AffineGridCtx;

/* linspace_from_neg_one: a 0-dim 0 for one step */
static Tensor *steps_from_neg_one(Tensor *like, int64_t n, bool align_corners) {
    if (n <= 1) return tensor_scalar_f64(like->dtype, 0.0);
    Tensor *r = op_linspace(-1.0, 1.0, n, like->dtype, like->storage->device);
    if (!r || align_corners) return r;
    Tensor *m = op_scalar_binary(BIN_MUL, r, (double)(n - 1), false);
    tensor_release(r);
    if (!m) return NULL;
    Tensor *d = op_scalar_binary(BIN_DIV, m, (double)n, false);
    tensor_release(m);
    return d;
}

/* copies src into base.select(-1, k), src unsqueezed `unsq` times at -1 */
static bool fill_component(Tensor *base, int k, Tensor *src, int unsq) {
    Tensor *s = src ? tensor_retain(src) : NULL;
    for (int i = 0; i < unsq && s; i++) {
        Tensor *u = s->ndim ? op_unsqueeze(s, -1) : tensor_retain(s);
        tensor_release(s);
        s = u;
    }
    Tensor *dst = s ? op_select(base, -1, k) : NULL;
    Tensor *r = dst ? op_copy_(dst, s) : NULL;
    bool ok = r != NULL;
    tensor_release(r);
    tensor_release(dst);
    tensor_release(s);
    return ok;
}

/* make_base_grid_4D / 5D: (N, [D,] H, W, dims + 1) */
static Tensor *base_grid(Tensor *like, const AffineGridCtx *c) {
    int sp = c->n - 2; /* spatial dims: 2 or 3 */
    int64_t shape[5];
    shape[0] = c->size[0];
    for (int i = 0; i < sp; i++) shape[1 + i] = c->size[2 + i];
    shape[1 + sp] = sp + 1;
    Tensor *base = tensor_empty(like->dtype, sp + 2, shape, like->storage->device);
    bool ok = base != NULL;
    /* component k: the steps along spatial dim sp-1-k (W first) */
    for (int k = 0; k < sp && ok; k++) {
        Tensor *steps = steps_from_neg_one(like, c->size[2 + sp - 1 - k], c->align_corners);
        ok = steps && fill_component(base, k, steps, k);
        tensor_release(steps);
    }
    if (ok) {
        Tensor *one = tensor_scalar_f64(like->dtype, 1.0);
        ok = one && fill_component(base, sp, one, 0);
        tensor_release(one);
    }
    if (!ok) {
        tensor_release(base);
        return NULL;
    }
    return base;
}

static Tensor *affine_grid_values(Tensor *theta, const AffineGridCtx *c) {
    int sp = c->n - 2;
    int64_t pts = 1;
    for (int i = 0; i < sp; i++) pts *= c->size[2 + i];
    Tensor *base = base_grid(theta, c);
    int64_t flat[3] = {c->size[0], pts, sp + 1};
    Tensor *b = base ? op_view(base, 3, flat) : NULL;
    Tensor *tt = b ? op_transpose(theta, 1, 2) : NULL;
    Tensor *g = tt ? op_bmm(b, tt) : NULL;
    int64_t shape[5];
    shape[0] = c->size[0];
    for (int i = 0; i < sp; i++) shape[1 + i] = c->size[2 + i];
    shape[1 + sp] = sp;
    Tensor *out = g ? op_view(g, sp + 2, shape) : NULL;
    tensor_release(base);
    tensor_release(b);
    tensor_release(tt);
    tensor_release(g);
    return out;
}

Tensor *op_affine_grid_generator(Tensor *theta, int n, const int64_t *size, bool align_corners) {
    if (n != 4 && n != 5) {
        tsr_raise(ERR_RuntimeError, "%s", "AffineGridGenerator needs 4d (spatial) or 5d (volumetric) inputs.");
        return NULL;
    }
    AffineGridCtx c = {n, {0}, align_corners};
    for (int i = 0; i < n; i++) c.size[i] = size[i];
    Tensor *out = NULL;
    NO_GRAD(out = affine_grid_values(theta, &c));
    return ag_record_steal(out, NODE_AffineGridGeneratorBackward0, &theta, 1, NULL, 0, &c, sizeof c);
}

Tensor *op_affine_grid_generator_backward(Tensor *grad, const void *ctx) {
    const AffineGridCtx *c = ctx;
    int sp = c->n - 2;
    int64_t pts = 1;
    for (int i = 0; i < sp; i++) pts *= c->size[2 + i];
    Tensor *base = base_grid(grad, c);
    int64_t flat[3] = {c->size[0], pts, sp + 1}, gflat[3] = {c->size[0], pts, sp};
    Tensor *b = base ? op_view(base, 3, flat) : NULL;
    Tensor *bt = b ? op_transpose(b, 1, 2) : NULL;
    Tensor *g = bt ? op_view(grad, 3, gflat) : NULL;
    Tensor *m = g ? op_bmm(bt, g) : NULL;
    Tensor *out = m ? op_transpose(m, 1, 2) : NULL;
    tensor_release(base);
    tensor_release(b);
    tensor_release(bt);
    tensor_release(g);
    tensor_release(m);
    return out;
}
