/* ops_extra.c: gather/scatter, nonzero, cumprod, topk/kthvalue/median/
 * mode, tril/triu, diagonal/diag/trace, addmm, roll, movedim, nan_to_num,
 * isclose, logspace, vector_norm and unique. Autograd nodes and what they
 * save are listed in ops.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_index.h"
#include "cuda_sort.h"
#include "cuda_values.h"
#include "device.h"
#include "error.h"
#include "ops.h"
#include "reduce.h"
#include "op_errors.h"

/* ---- elementwise extras ---- */

Tensor *op_nan_to_num(Tensor *a, bool has_nan, double nan, bool has_pos, double posinf, bool has_neg,
                      double neginf) {
    OpCtx ctx = op_ctx(a, 0, NULL);
    Tensor *out = tensor_clone(a, DT_UNDEFINED);
    if (!out || !dtype_is_float(a->dtype))
        return ag_record_steal(out, "NanToNumBackward0", &a, 1, &a, 1, &ctx, sizeof ctx);
    double big, small;
    switch (a->dtype) {
    case DT_FLOAT32: big = 3.4028234663852886e38; break;
    case DT_FLOAT16: big = 65504.0; break;
    case DT_BFLOAT16: big = 3.3895313892515355e38; break;
    default: big = 1.7976931348623157e308; break;
    }
    small = -big;
    if (!has_nan) nan = 0;
    if (has_pos) big = posinf;
    if (has_neg) small = neginf;
    int64_t n = tensor_numel(out), es = (int64_t)dtype_size(a->dtype);
    /* the clone is dense from its storage's start, as the loop below assumes */
    if (tensor_is_cuda(out) && cuda_nan_to_num(a->dtype, out->storage->data, n, nan, big, small) == KERNEL_OK)
        return ag_record_steal(out, "NanToNumBackward0", &a, 1, &a, 1, &ctx, sizeof ctx);
    char *p = storage_host(out->storage);
    for (int64_t i = 0; i < n; i++) {
        double v = dtype_load_f64(a->dtype, p + i * es);
        if (isnan(v)) dtype_store_f64(a->dtype, p + i * es, nan);
        else if (isinf(v)) dtype_store_f64(a->dtype, p + i * es, v > 0 ? big : small);
    }
    return ag_record_steal(out, "NanToNumBackward0", &a, 1, &a, 1, &ctx, sizeof ctx);
}

/* |a - b| <= atol + rtol * |b|, or a == b (infinities), NaNs equal if asked */
Tensor *op_isclose(Tensor *a, Tensor *b, double rtol, double atol, bool equal_nan) {
    if (a->dtype != b->dtype) {
        tsr_raise(ERR_RuntimeError, "%s did not match %s", dtype_scalar_name(a->dtype), dtype_scalar_name(b->dtype));
        return NULL;
    }
    Tensor *r = NULL;
    NO_GRAD({
        Tensor *eq = op_binary(BIN_EQ, a, b);
        if (equal_nan && eq && dtype_is_float(a->dtype)) {
            Tensor *na = op_unary(UN_ISNAN, a), *nb = na ? op_unary(UN_ISNAN, b) : NULL;
            Tensor *both = nb ? op_binary(BIN_LOGICAL_AND, na, nb) : NULL;
            Tensor *e2 = both ? op_binary(BIN_LOGICAL_OR, eq, both) : NULL;
            tensor_release(na);
            tensor_release(nb);
            tensor_release(both);
            tensor_release(eq);
            eq = e2;
        }
        if (eq && dtype_is_integral(a->dtype, true) && rtol == 0 && atol == 0) {
            r = tensor_retain(eq);
        } else if (eq) {
            Tensor *af = dtype_is_float(a->dtype) ? tensor_retain(a) : op_to_dtype(a, tsr_default_float);
            Tensor *bf = af ? (dtype_is_float(b->dtype) ? tensor_retain(b) : op_to_dtype(b, tsr_default_float)) : NULL;
            Tensor *d = bf ? op_binary(BIN_SUB, af, bf) : NULL;
            Tensor *ad = d ? op_unary(UN_ABS, d) : NULL;
            Tensor *ab = ad ? op_unary(UN_ABS, bf) : NULL;
            Tensor *rt = tensor_wrapped_float(rtol), *at = tensor_wrapped_float(atol);
            Tensor *tol = ab && rt ? op_binary(BIN_MUL, ab, rt) : NULL;
            Tensor *tol2 = tol && at ? op_binary(BIN_ADD, tol, at) : NULL;
            Tensor *le = tol2 ? op_binary(BIN_LE, ad, tol2) : NULL;
            Tensor *fin = le ? op_unary(UN_ISFINITE, ad) : NULL;
            Tensor *lef = fin ? op_binary(BIN_LOGICAL_AND, le, fin) : NULL;
            r = lef ? op_binary(BIN_LOGICAL_OR, eq, lef) : NULL;
            Tensor *tmp[] = {af, bf, d, ad, ab, rt, at, tol, tol2, le, fin, lef};
            for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
        }
        tensor_release(eq);
    });
    return r;
}

Tensor *op_logspace(double start, double end, int64_t steps, double base, DType dtype, Device dev) {
    if (steps < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "number of steps must be non-negative");
        return NULL;
    }
    DType dt = dtype != DT_UNDEFINED ? dtype : tsr_default_float;
    Tensor *out = tensor_empty(dt, 1, &steps, dev);
    if (!out) return NULL;
    int64_t es = (int64_t)dtype_size(dt);
    double step = steps > 1 ? (end - start) / (double)(steps - 1) : 0;
    int64_t half = steps / 2;
    for (int64_t i = 0; i < steps; i++) {
        /* PyTorch fills from both ends (as linspace does) */
        double e = i < half ? start + step * (double)i : end - step * (double)(steps - i - 1);
        double v = pow(base, e);
        if (dtype_is_float(dt)) dtype_store_f64(dt, (char *)storage_host(out->storage) + i * es, v);
        else dtype_store_i64(dt, (char *)storage_host(out->storage) + i * es, (int64_t)v);
    }
    return out;
}
