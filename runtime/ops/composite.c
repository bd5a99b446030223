/* ops_composite.c: ops that PyTorch implements as one autograd node but
 * that tsr's builtins used to build from other ops (so their grad_fn had
 * the wrong name): logsumexp, lerp, take, index_select, masked_select,
 * norm, clamp_min/clamp_max, div with a rounding mode, and the in-place
 * fill_/zero_/masked_fill_/clamp_/add_(alpha) family. inner and outer stay
 * compositions, but of exactly the ops PyTorch's own implementation uses
 * (tensordot; reshape * vec2), so the graph matches.
 *
 * Forwards run through other ops with grad mode off (or a direct loop) and
 * then record one node. What each node keeps (autograd_formulas_composite.c
 * reads it):
 *   LogsumexpBackward0: ctx OpCtx args {dims..., keepdim}; saved {self, result}.
 *   LerpBackward0: inputs {self, end}; ctx AlphaCtx {weight}.
 *   LerpBackward1: inputs {self, end, weight}; saved {self, end, weight}.
 *   TakeBackward0 / IndexSelectBackward0 / MaskedSelectBackward0: input
 *     {self}; saved {positions}: int64 of the result's shape, the row-major
 *     position of each result element in self (masked_select: in the
 *     broadcast of self and mask, whose shape is then ctx args; else no args).
 *   NormBackward1: as LinalgVectorNormBackward0 (ops.h), formula shared.
 *   ClampMin/ClampMaxBackward0: input {self}; saved {self, bound}.
 *   ClampMin/ClampMaxBackward1: inputs {self, bound}; saved {self, bound}.
 *   DivBackward2: inputs {self, other}; nothing saved (gradients are zero).
 *   ZeroBackward0, FillBackward2: input {self}; FillBackward3: {self, value}.
 * In-place ops record their node on self; self's old history goes to the
 * node through a stand-in (a copy of self carrying its grad_fn), so saved
 * inputs are the values before the write. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_index.h"
#include "device.h"
#include "error.h"
#include "ops.h"
#include "op_errors.h"
#include "operands.h"

/* --------------------------------------------------------------- lerp */

static bool same_dtype(Tensor *a, Tensor *b, const char *what) {
    if (a->dtype == b->dtype) return true;
    tsr_raise(ERR_RuntimeError, "expected dtype %s for `%s` but got dtype %s", dtype_cpp_name(a->dtype), what,
              dtype_cpp_name(b->dtype));
    return false;
}

Tensor *op_lerp(Tensor *a, Tensor *end, Tensor *weight) {
    bool scalar_w = weight->wrapped_number;
    if (!same_dtype(a, end, "end") || (!scalar_w && !same_dtype(a, weight, "weight"))) return NULL;
    if (a->dtype != DT_FLOAT32 && a->dtype != DT_FLOAT64) {
        tsr_raise(ERR_RuntimeError, "\"lerp_kernel_%s\" not implemented for '%s'",
                  scalar_w ? "scalar" : "tensor", dtype_scalar_name(a->dtype));
        return NULL;
    }
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(a->ndim, a->shape, end->ndim, end->shape, shape);
    if (nd < 0) return NULL;
    if (!scalar_w) {
        int64_t s2[TSR_MAX_DIMS];
        nd = broadcast_shapes(nd, shape, weight->ndim, weight->shape, s2);
        if (nd < 0) return NULL;
        memcpy(shape, s2, sizeof(int64_t) * (size_t)nd);
    }
    Tensor *t[3] = {op_expanded_copy(a, nd, shape), op_expanded_copy(end, nd, shape),
                    scalar_w ? NULL : op_expanded_copy(weight, nd, shape)};
    Tensor *out = tensor_empty(a->dtype, nd, shape, a->storage->device);
    if (!t[0] || !t[1] || (!scalar_w && !t[2]) || !out) goto fail;
    int64_t n = tensor_numel(out);
    double ws = scalar_w ? dtype_load_f64(weight->dtype, tensor_data(weight)) : 0;
    /* PyTorch's lerp (1.13): self + w * (end - self) when w < 0.5, else
     * end - (end - self) * (1 - w), in the tensor's dtype; its build
     * contracts each into one fused multiply-add */
    if (a->dtype == DT_FLOAT32) {
        const float *s = (const float *)tensor_data(t[0]), *e = (const float *)tensor_data(t[1]);
        const float *w = scalar_w ? NULL : (const float *)tensor_data(t[2]);
        float *o = (float *)tensor_data(out), wf = (float)ws;
        for (int64_t i = 0; i < n; i++) {
            float wi = w ? w[i] : wf;
            o[i] = wi < 0.5f ? fmaf(wi, e[i] - s[i], s[i]) : fmaf(-(e[i] - s[i]), 1.0f - wi, e[i]);
        }
    } else {
        const double *s = (const double *)tensor_data(t[0]), *e = (const double *)tensor_data(t[1]);
        const double *w = scalar_w ? NULL : (const double *)tensor_data(t[2]);
        double *o = (double *)tensor_data(out);
        for (int64_t i = 0; i < n; i++) {
            double wi = w ? w[i] : ws;
            o[i] = wi < 0.5 ? fma(wi, e[i] - s[i], s[i]) : fma(-(e[i] - s[i]), 1.0 - wi, e[i]);
        }
    }
    op_release_all(t, 3);
    if (scalar_w) {
        Tensor *ins[2] = {a, end};
        AlphaCtx c = {ws};
        return ag_record_steal(out, "LerpBackward0", ins, 2, NULL, 0, &c, sizeof c);
    }
    Tensor *ins[3] = {a, end, weight};
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(out, "LerpBackward1", ins, 3, ins, 3, &ctx, sizeof ctx);
fail:
    op_release_all(t, 3);
    tensor_release(out);
    return NULL;
}

/* ------------------------------------------------- clamp_min, div mode */

Tensor *op_clamp_bound(Tensor *a, Tensor *bound, bool is_max) {
    Tensor *r = NULL;
    NO_GRAD(r = op_clamp(a, is_max ? NULL : bound, is_max ? bound : NULL));
    if (!r || !dtype_is_float(r->dtype)) return r;
    bool scalar = bound->wrapped_number;
    const char *name = is_max ? (scalar ? "ClampMaxBackward0" : "ClampMaxBackward1")
                              : (scalar ? "ClampMinBackward0" : "ClampMinBackward1");
    Tensor *ins[2] = {a, bound};
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(r, name, ins, scalar ? 1 : 2, ins, 2, &ctx, sizeof ctx);
}

/* div(a, b, rounding_mode='floor' / 'trunc') */
Tensor *op_div_mode(Tensor *a, Tensor *b, bool floor) {
    Tensor *r = NULL;
    bool prev = ag_grad_enabled;
    ag_grad_enabled = false;
    if (floor) {
        r = op_binary(BIN_FLOOR_DIVIDE, a, b);
    } else {
        ResultTypeState s;
        result_type_init(&s);
        result_type_add(&s, a->dtype, a->ndim, a->wrapped_number);
        result_type_add(&s, b->dtype, b->ndim, b->wrapped_number);
        DType rt = result_type_finish(&s);
        Tensor *q = op_binary(BIN_DIV, a, b);
        Tensor *t = q ? op_unary(UN_TRUNC, q) : NULL;
        r = t && !dtype_is_float(rt) ? op_to_dtype(t, rt) : tensor_retain(t);
        tensor_release(q);
        tensor_release(t);
    }
    ag_grad_enabled = prev;
    if (!r || !dtype_is_float(r->dtype)) return r;
    Tensor *ins[2] = {a, b->wrapped_number ? NULL : b};
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(r, "DivBackward2", ins, 2, NULL, 0, &ctx, sizeof ctx);
}
