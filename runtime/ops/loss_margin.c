/* loss_margin.c: multi_margin_loss and multilabel_margin_loss, ATen's own
 * ops (LossMultiMargin.cpp, LossMultiLabelMargin.cpp) with their checks in
 * their order; the loops are kernels/cpu/loss_margin.c on contiguous host
 * copies (CUDA tensors come back to their device).
 *
 * Nodes: MultiMarginLossBackward0 (input {self}; saved {self, target,
 * weight}; ctx MarginCtx) and MultilabelMarginLossBackward0 (input {self};
 * saved {self, target, is_target}). Their backward results record
 * NotImplemented under create_graph, as PyTorch 1.13 has no derivative of
 * multi_margin_loss_backward / multilabel_margin_loss_backward. */
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "loss_margin.h"
#include "op_errors.h"
#include "ops.h"

/* nframe, dim and PyTorch's "Expected non-empty vector or matrix" check */
static bool margin_frames(const Tensor *x, int64_t *nframe, int64_t *dim) {
    int nd = x->ndim;
    bool valid = (nd == 2 && x->shape[1] != 0) || (nd == 1 && x->shape[0] != 0) || nd == 0;
    *nframe = nd <= 1 ? 1 : x->shape[0];
    *dim = nd == 0 ? 1 : nd == 1 ? x->shape[0] : x->shape[1];
    if (!valid) {
        char s[256];
        op_shape_text(s, sizeof s, x->ndim, x->shape);
        tsr_raise(ERR_RuntimeError, "Expected non-empty vector or matrix with optional 0-dim batch size, but got: %s",
                  s);
    }
    return valid;
}

static bool margin_dtypes(const char *kernel, const Tensor *x, const Tensor *target, const Tensor *weight) {
    if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64) {
        op_raise_not_implemented(kernel, x->dtype);
        return false;
    }
    if (target->dtype != DT_INT64) {
        tsr_raise(ERR_RuntimeError, "expected scalar type Long but found %s", dtype_scalar_name(target->dtype));
        return false;
    }
    if (weight && weight->dtype != x->dtype) {
        tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", dtype_scalar_name(x->dtype),
                  dtype_scalar_name(weight->dtype));
        return false;
    }
    return true;
}

/* host contiguous copies of up to three tensors (NULL stays NULL) */
static bool hosts(Tensor *const *in, Tensor **out, int n) {
    for (int i = 0; i < n; i++) out[i] = NULL;
    for (int i = 0; i < n; i++)
        if (in[i] && !(out[i] = op_host_contiguous(in[i]))) {
            for (int k = 0; k < i; k++) tensor_release(out[k]);
            return false;
        }
    return true;
}

static void release_all(Tensor **t, int n) {
    for (int i = 0; i < n; i++) tensor_release(t[i]);
}

/* ------------------------------------------------- multi_margin_loss */

static bool multi_check(Tensor *x, Tensor *target, Tensor *weight, const MarginCtx *c, MarginGeom *g) {
    int64_t nframe, dim;
    if (!margin_frames(x, &nframe, &dim)) return false;
    if (target->ndim > 1 || tensor_numel(target) != nframe) {
        char s[256];
        op_shape_text(s, sizeof s, target->ndim, target->shape);
        tsr_raise(ERR_RuntimeError, "inconsistent target size, got: %s", s);
        return false;
    }
    *g = (MarginGeom){nframe, dim, c->p, c->margin, c->reduction == NN_RED_NONE && target->ndim > 0,
                      c->reduction == NN_RED_MEAN};
    return true;
}

/* every target in [0, dim), and inside weight (PyTorch reads past a short
 * weight; tsr raises) */
static bool multi_targets(const int64_t *t, const MarginGeom *g, const Tensor *weight) {
    for (int64_t f = 0; f < g->nframe; f++) {
        if (t[f] < 0 || t[f] >= g->dim) {
            tsr_raise(ERR_RuntimeError, "%s", "target out of range");
            return false;
        }
        if (weight && t[f] >= tensor_numel(weight)) {
            tsr_raise(ERR_RuntimeError, "multi_margin_loss: target %lld is out of range for a weight of %lld elements",
                      (long long)t[f], (long long)tensor_numel(weight));
            return false;
        }
    }
    return true;
}

Tensor *op_multi_margin_loss(Tensor *x, Tensor *target, Tensor *weight, const MarginCtx *c) {
    MarginGeom g;
    if (!multi_check(x, target, weight, c, &g)) return NULL;
    int64_t n1 = g.nframe;
    Tensor *out = tensor_empty(x->dtype, g.per_frame ? 1 : 0, &n1, device_cpu());
    if (!out) return NULL;
    if (tensor_numel(x) > 0) {
        Tensor *h[3];
        Tensor *in[3] = {x, target, weight};
        if (!margin_dtypes("multi_margin_loss_cpu_kernel", x, target, weight) || !hosts(in, h, 3)) {
            tensor_release(out);
            return NULL;
        }
        bool ok = multi_targets((const int64_t *)tensor_data(h[1]), &g, weight);
        if (ok)
            kernel_multi_margin_loss(x->dtype, &g, tensor_data(h[0]), (const int64_t *)tensor_data(h[1]),
                                     h[2] ? tensor_data(h[2]) : NULL, tensor_data(out));
        release_all(h, 3);
        if (!ok) {
            tensor_release(out);
            return NULL;
        }
    }
    out = op_host_result_to_steal(out, x->storage->device);
    Tensor *saves[3] = {x, target, weight};
    return ag_record_steal(out, NODE_MultiMarginLossBackward0, &x, 1, saves, 3, c, sizeof *c);
}

Tensor *op_multi_margin_loss_backward(Tensor *grad, Tensor *x, Tensor *target, Tensor *weight, const MarginCtx *c) {
    MarginGeom g;
    if (!multi_check(x, target, weight, c, &g)) return NULL;
    g.per_frame = !(c->reduction != NN_RED_NONE || grad->ndim == 0);
    Tensor *gin = tensor_zeros(x->dtype, x->ndim, x->shape, device_cpu());
    if (!gin) return NULL;
    if (tensor_numel(x) > 0) {
        Tensor *h[4];
        Tensor *in[4] = {x, target, weight, grad};
        if (!hosts(in, h, 4)) {
            tensor_release(gin);
            return NULL;
        }
        bool ok = multi_targets((const int64_t *)tensor_data(h[1]), &g, weight);
        if (ok)
            kernel_multi_margin_loss_backward(x->dtype, &g, tensor_data(h[0]), (const int64_t *)tensor_data(h[1]),
                                              h[2] ? tensor_data(h[2]) : NULL, tensor_data(h[3]), tensor_data(gin));
        release_all(h, 4);
        if (!ok) {
            tensor_release(gin);
            return NULL;
        }
    }
    gin = op_host_result_to_steal(gin, x->storage->device);
    Tensor *ins[2] = {grad, x};
    return op_record_not_implemented(gin, ins, 2, "multi_margin_loss_backward");
}

/* -------------------------------------------- multilabel_margin_loss */

static bool label_check(Tensor *x, Tensor *target, int reduction, MarginGeom *g) {
    int64_t nframe, dim;
    if (!margin_frames(x, &nframe, &dim)) return false;
    bool ok = x->ndim <= 1 ? target->ndim <= 1 && tensor_numel(target) == dim
                           : target->ndim == 2 && target->shape[0] == nframe && target->shape[1] == dim;
    if (!ok) {
        char s[256];
        op_shape_text(s, sizeof s, target->ndim, target->shape);
        tsr_raise(ERR_RuntimeError, "inconsistent size %s for argument #2 'target'", s);
        return false;
    }
    *g = (MarginGeom){nframe, dim, 1, 1.0, reduction == NN_RED_NONE && target->ndim > 1, reduction == NN_RED_MEAN};
    return true;
}

static bool label_targets(const Tensor *target, const MarginGeom *g) {
    const int64_t *t = (const int64_t *)tensor_data(target);
    for (int64_t i = 0; i < tensor_numel(target); i++)
        if (t[i] < -1 || t[i] >= g->dim) {
            tsr_raise(ERR_RuntimeError, "%s", "argument #2 'target' is out of range");
            return false;
        }
    return true;
}

Tensor *op_multilabel_margin_loss(Tensor *x, Tensor *target, int reduction) {
    MarginGeom g;
    if (!label_check(x, target, reduction, &g)) return NULL;
    int64_t n1 = g.nframe;
    Tensor *out = tensor_empty(x->dtype, g.per_frame ? 1 : 0, &n1, device_cpu());
    Tensor *is_t = out ? tensor_zeros(x->dtype, target->ndim, target->shape, device_cpu()) : NULL;
    if (!is_t) {
        tensor_release(out);
        return NULL;
    }
    bool ok = true;
    if (tensor_numel(x) > 0) {
        Tensor *h[2];
        Tensor *in[2] = {x, target};
        /* the range check (target.min().item<int64_t>()) reads any dtype; then the kernel's dtypes */
        ok = hosts(in, h, 2);
        if (ok) {
            Tensor *t64 = op_to_dtype(h[1], DT_INT64);
            ok = t64 && label_targets(t64, &g) && margin_dtypes("multilabel_margin_loss_forward_out_frame", x, target,
                                                                NULL);
            if (ok)
                kernel_multilabel_margin_loss(x->dtype, &g, tensor_data(h[0]), (const int64_t *)tensor_data(h[1]), tensor_data(is_t),
                                              tensor_data(out));
            tensor_release(t64);
            release_all(h, 2);
        }
    }
    if (!ok) {
        tensor_release(out);
        tensor_release(is_t);
        return NULL;
    }
    out = op_host_result_to_steal(out, x->storage->device);
    is_t = out ? op_host_result_to_steal(is_t, x->storage->device) : (tensor_release(is_t), NULL);
    Tensor *saves[3] = {x, target, is_t};
    out = is_t ? ag_record_steal(out, NODE_MultilabelMarginLossBackward0, &x, 1, saves, 3, &reduction,
                                 sizeof reduction)
               : (tensor_release(out), NULL);
    tensor_release(is_t);
    return out;
}

Tensor *op_multilabel_margin_loss_backward(Tensor *grad, Tensor *x, Tensor *target, Tensor *is_target,
                                           int reduction) {
    MarginGeom g;
    if (!label_check(x, target, reduction, &g)) return NULL;
    g.per_frame = !(reduction != NN_RED_NONE || grad->ndim == 0);
    Tensor *gin = tensor_zeros(x->dtype, x->ndim, x->shape, device_cpu());
    if (!gin) return NULL;
    if (tensor_numel(x) > 0) {
        Tensor *h[4];
        Tensor *in[4] = {x, target, is_target, grad};
        if (!hosts(in, h, 4)) {
            tensor_release(gin);
            return NULL;
        }
        kernel_multilabel_margin_loss_backward(x->dtype, &g, tensor_data(h[0]), (const int64_t *)tensor_data(h[1]), tensor_data(h[2]),
                                               tensor_data(h[3]), tensor_data(gin));
        release_all(h, 4);
    }
    gin = op_host_result_to_steal(gin, x->storage->device);
    Tensor *ins[2] = {grad, x};
    return op_record_not_implemented(gin, ins, 2, "multilabel_margin_loss_backward");
}
