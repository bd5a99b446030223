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

/* ---------------------------------------------------------- in-place */

bool op_inplace_allowed(Tensor *a) { return ag_check_inplace(a, ag_requires_grad(a)); }

/* op_inplace_allowed when other inputs may require grad (PyTorch checks
 * whenever any input of the op does). */
static bool inplace_allowed_with(Tensor *a, Tensor *const *ins, int n) {
    bool rg = ag_requires_grad(a);
    for (int i = 0; i < n; i++) rg |= ins[i] && ag_requires_grad(ins[i]);
    return ag_check_inplace(a, rg);
}

/* What an out-of-place op reads in place of a when its result is written
 * back into a: a itself when no graph is recorded, else a copy of a's
 * values carrying a's history. */
Tensor *op_inplace_standin(Tensor *a, bool grad) {
    if (!grad) return tensor_retain(a);
    Tensor *c = tensor_clone(a, DT_UNDEFINED);
    if (!c) return NULL;
    c->requires_grad = a->requires_grad;
    if (a->grad_fn) {
        ag_node_retain(a->grad_fn);
        c->grad_fn = a->grad_fn;
        c->output_nr = a->output_nr;
    }
    return c;
}

/* Writes r into a and moves r's node onto a; steals r. */
Tensor *op_inplace_commit(Tensor *a, Tensor *r) {
    if (!r) return NULL;
    if (!tensor_copy_(a, r)) {
        tensor_release(r);
        return NULL;
    }
    a->storage->version++;
    if (r->grad_fn) {
        ag_node_release(a->grad_fn);
        a->grad_fn = r->grad_fn;
        a->output_nr = r->output_nr;
        a->requires_grad = true;
        r->grad_fn = NULL;
        if (!ag_rebase_view(a)) {
            tensor_release(r);
            return NULL;
        }
    }
    tensor_release(r);
    return tensor_retain(a);
}

typedef Tensor *(*Op3)(Tensor *, Tensor *, Tensor *);

/* a = fn(a, b, c) in place, with fn's node. */
static Tensor *inplace3(Op3 fn, Tensor *a, Tensor *b, Tensor *c) {
    Tensor *ins[3] = {a, b, c};
    if (!inplace_allowed_with(a, ins, 3)) return NULL;
    Tensor *s = op_inplace_standin(a, ag_any_requires_grad(ins, 3));
    if (!s) return NULL;
    Tensor *r = fn(s, b, c);
    tensor_release(s);
    return op_inplace_commit(a, r);
}

static Tensor *masked_fill3(Tensor *a, Tensor *m, Tensor *v) { return op_masked_fill(a, m, v); }
/* In place, PyTorch broadcasts (self, mask): its error names them in that
 * order (out of place, (mask, self)). */
Tensor *op_masked_fill_(Tensor *a, Tensor *mask, Tensor *value) {
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(a->ndim, a->shape, mask->ndim, mask->shape, shape);
    if (nd < 0 || !op_check_inplace_shape(a, nd, shape)) return NULL;
    return inplace3(masked_fill3, a, mask, value);
}
Tensor *op_clamp_(Tensor *a, Tensor *min, Tensor *max) { return inplace3(op_clamp, a, min, max); }

static Tensor *clamp_min3(Tensor *a, Tensor *b, Tensor *c) { return op_clamp_bound(a, b, false); }
static Tensor *clamp_max3(Tensor *a, Tensor *b, Tensor *c) { return op_clamp_bound(a, b, true); }
Tensor *op_clamp_bound_(Tensor *a, Tensor *bound, bool is_max) {
    return inplace3(is_max ? clamp_max3 : clamp_min3, a, bound, NULL);
}

static Tensor *div_floor3(Tensor *a, Tensor *b, Tensor *c) { return op_div_mode(a, b, true); }
static Tensor *div_trunc3(Tensor *a, Tensor *b, Tensor *c) { return op_div_mode(a, b, false); }
Tensor *op_div_mode_(Tensor *a, Tensor *b, bool floor) {
    return inplace3(floor ? div_floor3 : div_trunc3, a, b, NULL);
}

static Tensor *add_alpha3(Tensor *a, Tensor *b, Tensor *alpha) {
    return op_add_alpha(a, b, dtype_load_f64(DT_FLOAT64, tensor_data(alpha)), false);
}
static Tensor *sub_alpha3(Tensor *a, Tensor *b, Tensor *alpha) {
    return op_add_alpha(a, b, dtype_load_f64(DT_FLOAT64, tensor_data(alpha)), true);
}
Tensor *op_add_alpha_(Tensor *a, Tensor *b, double alpha, bool subtract) {
    Tensor *al = tensor_wrapped_float(alpha);
    Tensor *r = al ? inplace3(subtract ? sub_alpha3 : add_alpha3, a, b, al) : NULL;
    tensor_release(al);
    return r;
}

/* fill_ / zero_: value NULL = zero_. */
Tensor *op_fill_(Tensor *a, Tensor *value) {
    if (value && value->ndim != 0) {
        tsr_raise(ERR_RuntimeError,
                  "fill_ only supports 0-dimension value tensor but got tensor with %d dimensions.",
                  value->ndim);
        return NULL;
    }
    if (!inplace_allowed_with(a, &value, 1) || (value && !scalar_fits(a->dtype, value))) return NULL;
    Tensor *zero = value ? NULL : tensor_wrapped_int(0);
    Tensor *v = value ? value : zero;
    if (!v || !tensor_copy_(a, v)) {
        tensor_release(zero);
        return NULL;
    }
    tensor_release(zero);
    a->storage->version++;
    bool tensor_value = value && !value->wrapped_number;
    Tensor *ins[2] = {a, tensor_value ? value : NULL};
    if (ag_any_requires_grad(ins, 2) && dtype_is_float(a->dtype)) {
        const char *name = !value ? "ZeroBackward0" : tensor_value ? "FillBackward3" : "FillBackward2";
        if (!ag_record(a, name, ins, tensor_value ? 2 : 1) || !ag_rebase_view(a)) return NULL;
    }
    return tensor_retain(a);
}

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
