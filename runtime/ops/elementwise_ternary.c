/* elementwise_ternary.c: the elementwise ops of three operands: where,
 * clamp (and clamp_min/clamp_max), masked_fill, lerp, addcmul/addcdiv
 * (PyTorch's TensorCompare.cpp, Lerp.cpp, PointwiseOps.cpp). where, clamp
 * and masked_fill run on the machinery of elementwise.c
 * (elementwise_iter.h); lerp has its own loop, as PyTorch's kernel rounds.
 *
 * Autograd (saved tensors in ag_save order):
 *   WhereBackward0: inputs {self, other}; saved {condition}.
 *   ClampBackward0 (tensor bounds): inputs {self, min, max};
 *     ClampBackward1 (number bounds): input {self}; both save {self, min,
 *     max} (min/max may be NULL).
 *   ClampMin/ClampMaxBackward0: input {self}; saved {self, bound}.
 *     ClampMin/ClampMaxBackward1: inputs {self, bound}; saved {self, bound}.
 *     ctx an OpCtx of self, no args.
 *   MaskedFillBackward0 (number value): input {self}; MaskedFillBackward1:
 *     inputs {self, value}; both save {mask}.
 *   LerpBackward0 (number weight): inputs {self, end}; ctx AlphaCtx
 *     {weight}. LerpBackward1: inputs {self, end, weight}; saved {self, end,
 *     weight}; ctx an OpCtx of self, no args.
 *   AddcmulBackward0 / AddcdivBackward0: inputs {self, tensor1, tensor2};
 *     saved {tensor1, tensor2}; ctx AlphaCtx {value}.
 * Only floating results get a node. */
#include <math.h>
#include <string.h>

#include "device.h"
#include "elementwise_iter.h"
#include "error.h"
#include "layout.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"
#include "scalar_ops.h"

/* ---- where, clamp, clamp_min/clamp_max, masked_fill ---- */

Tensor *op_where(Tensor *cond, Tensor *a, Tensor *b) {
    int64_t s1[TSR_MAX_DIMS], shape[TSR_MAX_DIMS];
    DType rt = ew_result_type2(a, b);
    /* a number operand becomes a tensor of the result type first */
    if ((a->wrapped_number && !scalar_fits(rt, a)) || (b->wrapped_number && !scalar_fits(rt, b))) return NULL;
    if (cond->dtype != DT_BOOL) {
        tsr_raise(ERR_RuntimeError,
                  "where expected condition to be a boolean tensor, but got a tensor with dtype %s",
                  dtype_scalar_name(cond->dtype));
        return NULL;
    }
    int nd = broadcast_shapes(cond->ndim, cond->shape, a->ndim, a->shape, s1);
    if (nd < 0) return NULL;
    nd = broadcast_shapes(nd, s1, b->ndim, b->shape, shape);
    if (nd < 0) return NULL;
    Tensor *all3[3] = {cond, a, b};
    if (!device_check_same(all3, 3)) return NULL;
    Device dev = device_of_operands(all3, 3);
    Tensor *ca = ew_operand(a, rt, dev), *cb = ca ? ew_operand(b, rt, dev) : NULL, *out = NULL;
    Tensor *cc = cb ? ew_operand(cond, DT_BOOL, dev) : NULL;
    if (!cc) goto fail;
    out = layout_empty_elementwise(rt, nd, shape, dev, all3, 3);
    if (!out) goto fail;
    Tensor *ins[3] = {cc, ca, cb};
    TsrIter it;
    ew_make_iter(&it, out, ins, 3);
    ew_run_where(dev, dtype_size(rt), &it);
    Tensor *gins[2] = {a, b};
    if (dtype_is_differentiable(out->dtype)) out = ag_record_steal(out, NODE_WhereBackward0, gins, 2, &cond, 1, NULL, 0);
fail:
    tensor_release(ca);
    tensor_release(cb);
    tensor_release(cc);
    return out;
}

Tensor *op_clamp(Tensor *a, Tensor *min, Tensor *max) {
    if (!min && !max) {
        tsr_raise(ERR_RuntimeError, "%s", "torch.clamp: At least one of 'min' or 'max' must not be None");
        return NULL;
    }
    /* one result type over all three (clamp(uint8, -5, 8.0) clamps in float) */
    ResultTypeState rs;
    result_type_init(&rs);
    Tensor *all3[3] = {a, min, max};
    for (int i = 0; i < 3; i++)
        if (all3[i]) result_type_add(&rs, all3[i]->dtype, all3[i]->ndim, all3[i]->wrapped_number);
    DType rt = result_type_finish(&rs);
    if (rt == DT_FLOAT16 && !tensor_is_cuda(a)) {
        bool smin = min && min->wrapped_number, smax = max && max->wrapped_number;
        const char *k = min && max ? (smin && smax ? "clamp_scalar_cpu" : !smin && !smax ? "clamp_cpu" : NULL)
                        : smin ? "clamp_min_cpu" : smax ? "clamp_max_scalar_cpu" : NULL;
        if (k) {
            op_raise_not_implemented(k, rt);
            return NULL;
        }
    }
    for (int i = 1; i < 3; i++) /* number bounds convert to the result type */
        if (all3[i] && all3[i]->wrapped_number && !scalar_fits(rt, all3[i])) return NULL;
    Tensor *ca = ew_to_dtype(a, rt);
    if (!ca) return NULL;
    Tensor *lo = min ? ew_binary_nograd(BIN_MAXIMUM, ca, min) : tensor_retain(ca);
    tensor_release(ca);
    if (!lo) return NULL;
    Tensor *out = max ? ew_binary_nograd(BIN_MINIMUM, lo, max) : tensor_retain(lo);
    tensor_release(lo);
    if (!out) return NULL;
    if (out == a) { /* never hand back the input itself */
        tensor_release(out);
        out = tensor_clone(a, DT_UNDEFINED);
        if (!out) return NULL;
    }
    bool scalars = (!min || min->wrapped_number) && (!max || max->wrapped_number);
    Tensor *ins[3] = {a, min, max};
    if (!dtype_is_float(out->dtype)) return out;
    return ag_record_steal(out, scalars ? NODE_ClampBackward1 : NODE_ClampBackward0, ins, scalars ? 1 : 3, ins, 3, NULL, 0);
}

Tensor *op_clamp_bound(Tensor *a, Tensor *bound, bool is_max) {
    Tensor *r = NULL;
    NO_GRAD(r = op_clamp(a, is_max ? NULL : bound, is_max ? bound : NULL));
    if (!r || !dtype_is_float(r->dtype)) return r;
    bool scalar = bound->wrapped_number;
    GradNodeKind kind = is_max ? (scalar ? NODE_ClampMaxBackward0 : NODE_ClampMaxBackward1)
                              : (scalar ? NODE_ClampMinBackward0 : NODE_ClampMinBackward1);
    Tensor *ins[2] = {a, bound};
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(r, kind, ins, scalar ? 1 : 2, ins, 2, &ctx, sizeof ctx);
}

Tensor *op_masked_fill(Tensor *a, Tensor *mask, Tensor *value) {
    int64_t shape[TSR_MAX_DIMS];
    if (value->ndim != 0) {
        tsr_raise(ERR_RuntimeError,
                  "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with %d "
                  "dimension(s).",
                  value->ndim);
        return NULL;
    }
    int nd = broadcast_shapes(mask->ndim, mask->shape, a->ndim, a->shape, shape); /* masked_fill expands (mask, self) */
    if (nd < 0) return NULL;
    Tensor *am[2] = {a, mask};
    if (!device_check_same(am, 2)) return NULL;
    Device dev = a->storage->device;
    if (!scalar_fits(a->dtype, value)) return NULL; /* value.item() converted to a's type */
    Tensor *m = ew_operand(mask, DT_BOOL, dev), *v = m ? ew_operand(value, a->dtype, dev) : NULL, *out = NULL;
    if (!v) goto fail;
    out = layout_empty_elementwise(a->dtype, nd, shape, dev, am, 2);
    if (!out) goto fail;
    Tensor *ins[3] = {m, v, a};
    TsrIter it;
    ew_make_iter(&it, out, ins, 3);
    ew_run_where(dev, dtype_size(a->dtype), &it);
    if (dtype_is_differentiable(out->dtype)) {
        bool scalar = value->wrapped_number;
        Tensor *gins[2] = {a, value};
        out = ag_record_steal(out, scalar ? NODE_MaskedFillBackward0 : NODE_MaskedFillBackward1, gins, scalar ? 1 : 2,
                              &mask, 1, NULL, 0);
    }
fail:
    tensor_release(m);
    tensor_release(v);
    return out;
}

/* ---- lerp ---- */

static bool same_dtype(Tensor *a, Tensor *b, const char *what) {
    if (a->dtype == b->dtype) return true;
    tsr_raise(ERR_RuntimeError, "expected dtype %s for `%s` but got dtype %s", dtype_cpp_name(a->dtype), what,
              dtype_cpp_name(b->dtype));
    return false;
}

Tensor *op_lerp(Tensor *a, Tensor *end, Tensor *weight) {
    bool scalar_w = weight->wrapped_number;
    if (!same_dtype(a, end, "end") || (!scalar_w && !same_dtype(a, weight, "weight"))) return NULL;
    if (a->dtype != DT_FLOAT32 && a->dtype != DT_FLOAT64 && a->dtype != DT_BFLOAT16) {
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
    } else if (a->dtype == DT_BFLOAT16) { /* the same in float (opmath), rounded once */
        const tsr_bfloat16 *s = (const tsr_bfloat16 *)tensor_data(t[0]), *e = (const tsr_bfloat16 *)tensor_data(t[1]);
        const tsr_bfloat16 *w = scalar_w ? NULL : (const tsr_bfloat16 *)tensor_data(t[2]);
        tsr_bfloat16 *o = (tsr_bfloat16 *)tensor_data(out);
        float wf = (float)ws;
        for (int64_t i = 0; i < n; i++) {
            float si = bf16_to_float(s[i]), ei = bf16_to_float(e[i]), wi = w ? bf16_to_float(w[i]) : wf;
            o[i] = float_to_bf16(wi < 0.5f ? fmaf(wi, ei - si, si) : fmaf(-(ei - si), 1.0f - wi, ei));
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
        return ag_record_steal(out, NODE_LerpBackward0, ins, 2, NULL, 0, &c, sizeof c);
    }
    Tensor *ins[3] = {a, end, weight};
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(out, NODE_LerpBackward1, ins, 3, ins, 3, &ctx, sizeof ctx);
fail:
    op_release_all(t, 3);
    tensor_release(out);
    return NULL;
}

/* ---- addcmul, addcdiv ---- */

/* self + value * t1 * t2 (div: self + value * t1 / t2), computed as
 * PyTorch's CPU kernel does: in the promoted type, value cast to it first,
 * (value * t1) first; for float32/float64 addcmul's multiply-add is one
 * fma, as its build contracts it. */
Tensor *op_addcmul(Tensor *self, Tensor *t1, Tensor *t2, double value, bool div) {
    if (div && dtype_is_integral(t1->dtype, true) && dtype_is_integral(t2->dtype, true)) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "Integer division with addcdiv is no longer supported, and in a future  release addcdiv "
                  "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
                  "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for "
                  "integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future "
                  "addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), "
                  "for all dtypes.");
        return NULL;
    }
    int64_t sh[TSR_MAX_DIMS], sh2[TSR_MAX_DIMS];
    int nd = broadcast_shapes(self->ndim, self->shape, t1->ndim, t1->shape, sh);
    if (nd < 0 || broadcast_shapes(nd, sh, t2->ndim, t2->shape, sh2) < 0) return NULL;
    DType rt = dtype_promote(dtype_promote(self->dtype, t1->dtype), t2->dtype);
    if (!op_reduced_float_ok_dtype(div ? RF_ADDCDIV : RF_ADDCMUL, rt, tensor_is_cuda(self))) return NULL;
    Tensor *t[6] = {0}, *r = NULL;
    NO_GRAD({
        t[0] = op_to_dtype(t1, rt);
        t[1] = t[0] ? op_to_dtype(t2, rt) : NULL;
        t[2] = t[1] ? op_to_dtype(self, rt) : NULL;
        t[3] = !t[2] ? NULL
               : dtype_is_float(rt) ? tensor_wrapped_float(value)
               : rt == DT_BOOL      ? tensor_wrapped_bool(value != 0)
                                    : tensor_wrapped_int(f64_to_i64(value));
        t[4] = t[3] ? op_binary(BIN_MUL, t[3], t[0]) : NULL;
        if (!div && (rt == DT_FLOAT32 || rt == DT_FLOAT64)) {
            /* self + (value * t1) * t2, contracted into one fma */
            r = t[4] ? ew_fma(t[4], t[1], t[2], rt) : NULL;
        } else {
            t[5] = t[4] ? op_binary(div ? BIN_DIV : BIN_MUL, t[4], t[1]) : NULL;
            r = t[5] ? op_binary(BIN_ADD, t[2], t[5]) : NULL;
        }
    });
    for (int i = 0; i < 6; i++) tensor_release(t[i]);
    Tensor *ins[3] = {self, t1, t2};
    AlphaCtx c = {value};
    return ag_record_steal(r, div ? NODE_AddcdivBackward0 : NODE_AddcmulBackward0, ins, 3, (Tensor *[]){t1, t2}, 2, &c,
                           sizeof c);
}
