/* ops_more.c: the rest of the op library tutorials use: positive, sgn,
 * signbit, nansum/nanmean, cummax/cummin, tensordot, vdot, addcmul/addcdiv,
 * var_mean/std_mean, round(decimals=), diff, cross, kron, aminmax.
 *
 * Ops PyTorch writes as one kernel record PyTorch's node; ops PyTorch
 * writes as a composite (tensordot, diff, kron, nanmean) run exactly the
 * ops its implementation runs, so the graph matches. What each node keeps
 * (autograd_formulas_more.c reads it):
 *   SgnBackward0, RoundBackward1: nothing (gradient zero).
 *   NansumBackward0: ctx OpCtx args {keepdim, dims...}; saved {self}.
 *   CummaxBackward0 / CumminBackward0: ctx OpCtx args {dim}; saved {indices}.
 *   VdotBackward0: inputs {self, other}; saved {self, other}.
 *   AddcmulBackward0 / AddcdivBackward0: inputs {self, tensor1, tensor2};
 *     saved {tensor1, tensor2}; ctx AlphaCtx {value}.
 *   VarMeanBackward0 / StdMeanBackward0 (two outputs): ctx OpCtx args
 *     {correction, keepdim, has_dim, dims...}; saved {self} (+ {std} for
 *     StdMean, the output as an alias).
 *   LinalgCrossBackward0: inputs {self, other}; saved {self, other}; ctx
 *     OpCtx args {dim}.
 *   NotImplemented (aminmax): PyTorch 1.13 has no derivative for it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_sort.h"
#include "error.h"
#include "ops.h"
#include "op_errors.h"
#include "operands.h"

/* ------------------------------------------------------ positive, sgn */

Tensor *op_positive(Tensor *a) {
    if (a->dtype == DT_BOOL) {
        tsr_raise(ERR_RuntimeError, "%s", "The `+` operator, on a bool tensor is not supported.");
        return NULL;
    }
    return tensor_retain(a);
}

Tensor *op_sgn(Tensor *a) {
    Tensor *r = NULL;
    NO_GRAD(r = op_unary(UN_SIGN, a));
    return ag_record_steal(r, "SgnBackward0", &a, 1, NULL, 0, NULL, 0);
}

Tensor *op_signbit(Tensor *a) {
    Tensor *h = op_host_contig(a);
    Tensor *out = h ? tensor_empty(DT_BOOL, a->ndim, a->shape, device_cpu()) : NULL;
    if (out) {
        int64_t n = tensor_numel(h);
        size_t es = dtype_size(h->dtype);
        const char *p = tensor_data(h);
        bool *o = (bool *)tensor_data(out);
        for (int64_t i = 0; i < n; i++) {
            if (dtype_is_float(h->dtype)) o[i] = signbit(dtype_load_f64(h->dtype, p + (size_t)i * es)) != 0;
            else if (h->dtype == DT_BOOL) o[i] = false;
            else o[i] = dtype_load_i64(h->dtype, p + (size_t)i * es) < 0;
        }
    }
    tensor_release(h);
    return op_host_result_to_steal(out, a->storage->device);
}

/* ---------------------------------------------------- addcmul, addcdiv */

/* self + value * t1 * t2 (div: self + value * t1 / t2), computed as
 * PyTorch's CPU kernel does: in the promoted type, value cast to it first,
 * (value * t1) first. */
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
    Tensor *t[6] = {0}, *r = NULL;
    NO_GRAD({
        t[0] = op_to_dtype(t1, rt);
        t[1] = t[0] ? op_to_dtype(t2, rt) : NULL;
        t[2] = t[1] ? op_to_dtype(self, rt) : NULL;
        t[3] = !t[2] ? NULL
               : dtype_is_float(rt) ? tensor_wrapped_float(value)
               : rt == DT_BOOL      ? tensor_wrapped_bool(value != 0)
                                    : tensor_wrapped_int((int64_t)value);
        t[4] = t[3] ? op_binary(BIN_MUL, t[3], t[0]) : NULL;
        t[5] = t[4] ? op_binary(div ? BIN_DIV : BIN_MUL, t[4], t[1]) : NULL;
        r = t[5] ? op_binary(BIN_ADD, t[2], t[5]) : NULL;
    });
    for (int i = 0; i < 6; i++) tensor_release(t[i]);
    Tensor *ins[3] = {self, t1, t2};
    AlphaCtx c = {value};
    return ag_record_steal(r, div ? "AddcdivBackward0" : "AddcmulBackward0", ins, 3, (Tensor *[]){t1, t2}, 2, &c,
                           sizeof c);
}

/* ------------------------------------------------------ round(decimals) */

Tensor *op_round_decimals(Tensor *a, int64_t decimals) {
    if (!dtype_is_float(a->dtype) || a->dtype == DT_FLOAT16) {
        op_raise_not_implemented(decimals != 0 ? "round_cpu" : "round_vml_cpu", a->dtype);
        return NULL;
    }
    Tensor *r = NULL;
    if (decimals == 0) {
        NO_GRAD(r = op_unary(UN_ROUND, a));
    } else {
        Tensor *h = op_host_contig(a);
        r = h ? tensor_empty(a->dtype, a->ndim, a->shape, device_cpu()) : NULL;
        if (r) {
            bool neg = decimals < 0;
            int64_t dd = neg ? -decimals : decimals;
            double p = pow(10, (double)dd);
            int64_t n = tensor_numel(h);
            if (a->dtype == DT_FLOAT64) {
                const double *x = (const double *)tensor_data(h);
                double *o = (double *)tensor_data(r);
                for (int64_t i = 0; i < n; i++) o[i] = neg ? nearbyint(x[i] / p) * p : nearbyint(x[i] * p) / p;
            } else if (a->dtype == DT_FLOAT32) {
                const float *x = (const float *)tensor_data(h);
                float *o = (float *)tensor_data(r), pf = (float)p;
                for (int64_t i = 0; i < n; i++)
                    o[i] = neg ? nearbyintf(x[i] / pf) * pf : nearbyintf(x[i] * pf) / pf;
            } else { /* bfloat16: each operation rounds to bfloat16 */
                size_t es = dtype_size(a->dtype);
                const char *x = tensor_data(h);
                char *o = tensor_data(r), tmp[8];
                dtype_store_f64(a->dtype, tmp, p);
                float pf = (float)dtype_load_f64(a->dtype, tmp);
                for (int64_t i = 0; i < n; i++) {
                    float xi = (float)dtype_load_f64(a->dtype, x + (size_t)i * es);
                    dtype_store_f64(a->dtype, tmp, neg ? xi / pf : xi * pf);
                    float t = nearbyintf((float)dtype_load_f64(a->dtype, tmp));
                    dtype_store_f64(a->dtype, o + (size_t)i * es, neg ? t * pf : t / pf);
                }
            }
        }
        tensor_release(h);
        r = op_host_result_to_steal(r, a->storage->device);
    }
    return ag_record_steal(r, "RoundBackward1", &a, 1, NULL, 0, NULL, 0);
}
