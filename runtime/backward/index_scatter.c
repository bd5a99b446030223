/* index_scatter.c: the backward of the writes at positions
 * (runtime/ops/index_scatter.c): index_add, index_copy, index_fill,
 * index_put, put, masked_scatter and the *_scatter view writes. Each node
 * has inputs {self, src} (or {self}), saved {pos} (the flat row-major
 * positions in self that were written) and a ScatterPosCtx. As
 * derivatives.yaml writes them:
 *   self: grad (accumulated writes) or grad with the written positions
 *         zeroed (copies, fills);
 *   src:  grad at the positions (times alpha), zero-padded to the source
 *         (masked_scatter), or for a filled 0-dim value the sum of grad
 *         over the written positions. */
#include <string.h>

#include "error.h"
#include "formula.h"
#include "index_reduce.h"
#include "ops.h"

/* Boolean mask of self's shape, true at the positions. */
static Tensor *positions_mask(Scratch *s, Tensor *pos, const GradEdge *e, Device dev) {
    Tensor *m = keep(s, tensor_zeros(DT_BOOL, e->ndim, e->shape, device_cpu()));
    if (!m) return NULL;
    bool *q = (bool *)tensor_data(m);
    const int64_t *p = (const int64_t *)tensor_data(pos);
    int64_t numel = tensor_numel(m);
    for (int64_t k = 0, n = tensor_numel(pos); k < n; k++)
        if (p[k] >= 0 && p[k] < numel) q[p[k]] = true;
    if (dev.type == DEV_CPU) return m;
    Tensor *d = keep(s, tensor_empty(DT_BOOL, e->ndim, e->shape, dev));
    return d && tensor_copy_(d, m) ? d : NULL;
}

FORMULA(scatter_positions_backward) {
    BEGIN;
    const ScatterPosCtx *c = node->ctx;
    if (!c) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        scratch_free(s);
        return false;
    }
    SAVED(pos, 0);
    Tensor *mask = NULL;
    if ((need(node, 0) && !c->add) || (need(node, 1) && c->value))
        ok = (mask = positions_mask(s, pos, &node->next[0], grad->storage->device)) != NULL;
    if (need(node, 0)) SET(0, c->add ? grad : Sfill0(s, grad, mask));
    if (ok && need(node, 1)) {
        GradEdge *e = &node->next[1];
        Tensor *g;
        if (c->value) {
            g = Ssum(s, Swhere(s, mask, grad, Szero(s, grad->dtype)), 0, NULL, false);
        } else {
            TensorIndex ti = {.kind = IDX_TENSOR, .tensor = pos};
            Tensor *flat = Sflat(s, grad);
            g = flat ? keep(s, op_index(flat, &ti, 1)) : NULL;
            int64_t n = g ? tensor_numel(g) : 0, total = 1;
            for (int d = 0; d < e->ndim; d++) total *= e->shape[d];
            if (g && c->pad) {
                if (total > n) {
                    int64_t rest = total - n;
                    Tensor *z = Szeros(s, g->dtype, 1, &rest, g->storage->device);
                    Tensor *parts[2] = {g, z};
                    g = z ? keep(s, op_cat(parts, 2, 0)) : NULL;
                }
                g = Sreshape(s, g, e->ndim, e->shape);
            }
            if (g && c->alpha != 1.0) g = S2f(s, BIN_MUL, g, c->alpha);
        }
        SET(1, g);
    }
    END;
}

/* ---------------------------------------------------- scatter_reduce */

static Tensor *Sgather(Scratch *s, Tensor *t, int64_t d, Tensor *index) {
    return t ? keep(s, op_gather(t, d, index)) : NULL;
}

/* t.scatter_add(d, index, src) (out of place) */
static Tensor *Sscatter_add(Scratch *s, Tensor *t, int64_t d, Tensor *index, Tensor *src) {
    return t && src ? keep(s, op_scatter(t, d, index, src, 0.0, true, false)) : NULL;
}

static Tensor *Sas(Scratch *s, Tensor *t, DType dt) { return t ? keep(s, op_to_dtype(t, dt)) : NULL; }

/* t.masked_fill(mask, v) */
static Tensor *Sfill(Scratch *s, Tensor *t, Tensor *mask, double v) {
    Tensor *val = Sf(s, v);
    return t && mask && val ? keep(s, op_masked_fill(t, mask, val)) : NULL;
}

/* scatter_reduce_backward of FunctionsManual.cpp (1.13) */
FORMULA(scatter_reduce_backward) {
    BEGIN;
    CTX(c);
    SAVED(index, 0);
    SAVED(self, 1);
    SAVED(src, 2);
    SAVED_RESULT(result, 3);
    int64_t d = c->args[0], op = c->args[1];
    bool incl = c->args[2] != 0;
    DType dt = self->dtype;
    Tensor *gs = NULL, *gsrc = NULL;
    if (op == SCATTER_SUM) {
        gs = grad;
        gsrc = Sgather(s, grad, d, index);
    } else if (op == SCATTER_MEAN) {
        Tensor *n0 = incl ? keep(s, tensor_full_f64(grad->dtype, grad->ndim, grad->shape, 1.0, grad->storage->device))
                          : Szeros_like(s, grad);
        Tensor *ones = keep(s, tensor_full_f64(src->dtype, src->ndim, src->shape, 1.0, src->storage->device));
        Tensor *n = Sscatter_add(s, n0, d, index, ones);
        n = Sfill(s, n, S2(s, BIN_EQ, n, Sf(s, 0.0)), 1.0);
        gs = S2(s, BIN_DIV, grad, n);
        gsrc = S2(s, BIN_DIV, Sgather(s, grad, d, index), Sgather(s, n, d, index));
    } else if (op == SCATTER_AMAX || op == SCATTER_AMIN) {
        Tensor *value = Sgather(s, result, d, index);
        Tensor *self_eq = S2(s, BIN_EQ, self, result), *src_eq = S2(s, BIN_EQ, src, value);
        Tensor *nd = Sscatter_add(s, Sas(s, self_eq, dt), d, index, Sas(s, src_eq, dt));
        Tensor *gd = S2(s, BIN_DIV, grad, nd);
        gs = S2(s, BIN_MUL, self_eq, gd);
        gsrc = S2(s, BIN_MUL, src_eq, Sgather(s, gd, d, index));
    } else { /* prod */
        Tensor *mself = Sfill(s, self, S2(s, BIN_EQ, self, Sf(s, 0.0)), 1.0);
        Tensor *msr = mself ? keep(s, op_scatter_reduce(mself, d, index, src, SCATTER_PROD, incl)) : NULL;
        gs = S2(s, BIN_DIV, S2(s, BIN_MUL, grad, msr), mself);
        Tensor *src_zero = S2(s, BIN_EQ, src, Sf(s, 0.0));
        Tensor *nz = Sgather(s, Sscatter_add(s, Szeros_like(s, self), d, index, Sas(s, src_zero, dt)), d, index);
        Tensor *single = S2(s, BIN_BITWISE_AND, src_zero, S2(s, BIN_EQ, nz, Sf(s, 1.0)));
        Tensor *msrc = Sfill(s, src, single, 1.0);
        Tensor *msrc_res = msrc ? keep(s, op_scatter_reduce(self, d, index, msrc, SCATTER_PROD, incl)) : NULL;
        Tensor *a = Sgather(s, S2(s, BIN_MUL, grad, msrc_res), d, index);
        Tensor *b = S2(s, BIN_DIV, Sgather(s, S2(s, BIN_MUL, grad, result), d, index), Sfill(s, src, src_zero, 1.0));
        gsrc = Swhere(s, single, a, b);
    }
    if (!incl && gs) gs = keep(s, op_scatter(gs, d, index, NULL, 0.0, false, false));
    SET(0, gs);
    SET(1, gsrc);
    END;
}
