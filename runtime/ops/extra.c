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

/* ---- gather / scatter ---- */

/* Walks every element of `shape` (row-major) keeping the element offsets
 * of up to three operands; fn gets the position along `dim` as well. */
typedef struct {
    int ndim;
    int64_t shape[TSR_MAX_DIMS], pos[TSR_MAX_DIMS];
    int64_t st[3][TSR_MAX_DIMS];
    int64_t off[3];
} Walk;

static void walk_next(Walk *w) {
    for (int d = w->ndim - 1; d >= 0; d--) {
        w->pos[d]++;
        for (int k = 0; k < 3; k++) w->off[k] += w->st[k][d];
        if (w->pos[d] < w->shape[d]) return;
        for (int k = 0; k < 3; k++) w->off[k] -= w->st[k][d] * w->shape[d];
        w->pos[d] = 0;
    }
}

/* Checks of gather/scatter: index dims, dtype, and sizes. */
static bool check_index(const char *fn, Tensor *a, int d, Tensor *index, Tensor *src) {
    if (index->dtype != DT_INT64) {
        tsr_raise(ERR_RuntimeError, "%s(): Expected dtype int64 for index", fn);
        return false;
    }
    int an = a->ndim ? a->ndim : 1, in = index->ndim ? index->ndim : 1;
    if (tensor_numel(index) == 0) return true;
    if (an != in) {
        tsr_raise(ERR_RuntimeError, "%s", "Index tensor must have the same number of dimensions as input tensor");
        return false;
    }
    char b1[256], b2[256], b3[256];
    for (int k = 0; k < index->ndim; k++) {
        bool bad_self = k != d && index->shape[k] > a->shape[k];
        bool bad_src = src && src->ndim == index->ndim && index->shape[k] > src->shape[k];
        if (bad_self || bad_src) {
            op_shape_text(b1, sizeof b1, index->ndim, index->shape);
            op_shape_text(b2, sizeof b2, a->ndim, a->shape);
            if (src) {
                op_shape_text(b3, sizeof b3, src->ndim, src->shape);
                tsr_raise(ERR_RuntimeError,
                          "Expected index %s to be smaller than self %s apart from dimension %d and to be "
                          "smaller size than src %s",
                          b1, b2, d, b3);
            } else {
                tsr_raise(ERR_RuntimeError,
                          "Size does not match at dimension %d expected index %s to be smaller than self "
                          "%s apart from dimension %d",
                          k, b1, b2, d);
            }
            return false;
        }
    }
    return true;
}

/* ---- the GPU path: indices validated on the host first (the CPU loop's
 * error for the first bad one in row-major order), then one launch. */
static bool indices_in_range(Tensor *index, int d, int64_t size) {
    Walk w = {0};
    w.ndim = index->ndim;
    for (int k = 0; k < w.ndim; k++) {
        w.shape[k] = index->shape[k];
        w.st[1][k] = index->stride[k];
    }
    const int64_t *ip = (const int64_t *)tensor_data(index);
    int64_t n = tensor_numel(index);
    for (int64_t i = 0; i < n; i++, walk_next(&w)) {
        int64_t ix = ip[w.off[1]];
        if (ix < 0 || ix >= size) {
            tsr_raise(ERR_RuntimeError, "index %lld is out of bounds for dimension %d with size %lld",
                      (long long)ix, d, (long long)size);
            return false;
        }
    }
    return true;
}

/* The walk in the kernel's terms; false when the GPU cannot take it. */
static bool cuda_walk(const Walk *w, CudaIndexWalk *cw) {
    if (w->ndim > CUDA_INDEX_MAX_DIMS) return false;
    memset(cw, 0, sizeof *cw);
    cw->ndim = w->ndim;
    for (int d = 0; d < w->ndim; d++) {
        cw->shape[d] = w->shape[d];
        for (int k = 0; k < 3; k++) cw->st[k][d] = w->st[k][d];
    }
    return true;
}

Tensor *op_gather(Tensor *a, int64_t dim, Tensor *index) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0 || !check_index("gather", a, d, index, NULL)) return NULL;
    Tensor *out = tensor_empty(a->dtype, index->ndim, index->shape, a->storage->device);
    if (!out) return NULL;
    int64_t n = tensor_numel(index), es = (int64_t)dtype_size(a->dtype);
    if (n > 0) {
        Walk w = {0};
        w.ndim = index->ndim;
        for (int k = 0; k < w.ndim; k++) {
            w.shape[k] = index->shape[k];
            w.st[0][k] = out->stride[k];
            w.st[1][k] = index->stride[k];
            w.st[2][k] = k == d ? 0 : a->stride[k];
        }
        int64_t size = a->ndim ? a->shape[d] : 1, sstride = a->ndim ? a->stride[d] : 0;
        CudaIndexWalk cw;
        bool gpu = tensor_is_cuda(a) && tensor_is_cuda(index) && cuda_walk(&w, &cw);
        if (gpu && !indices_in_range(index, d, size)) {
            tensor_release(out);
            return NULL;
        }
        if (gpu && cuda_gather((int)es, &cw, tensor_ptr(out), (const int64_t *)tensor_ptr(index), tensor_ptr(a),
                               sstride) == KERNEL_OK)
            n = 0; /* done on the GPU */
        const int64_t *ip = n ? (const int64_t *)tensor_data(index) : NULL;
        const char *src = n ? tensor_data(a) : NULL;
        char *dst = n ? tensor_data(out) : NULL;
        for (int64_t i = 0; i < n; i++, walk_next(&w)) {
            int64_t ix = ip[w.off[1]];
            if (ix < 0 || ix >= size) {
                tsr_raise(ERR_RuntimeError, "index %lld is out of bounds for dimension %d with size %lld",
                          (long long)ix, d, (long long)size);
                tensor_release(out);
                return NULL;
            }
            memcpy(dst + w.off[0] * es, src + (w.off[2] + ix * sstride) * es, (size_t)es);
        }
    }
    int64_t args[1] = {d};
    OpCtx ctx = op_ctx(a, 1, args);
    return ag_record_steal(out, "GatherBackward0", &a, 1, &index, 1, &ctx, sizeof ctx);
}

Tensor *op_scatter(Tensor *a, int64_t dim, Tensor *index, Tensor *src, double value, bool add,
                   bool inplace) {
    const char *fn = add ? "scatter_add" : "scatter";
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    if (src && src->dtype != a->dtype) {
        tsr_raise(ERR_RuntimeError, "%s(): Expected self.dtype to be equal to src.dtype", fn);
        return NULL;
    }
    if (!check_index(fn, a, d, index, src)) return NULL;
    if (inplace && ag_grad_enabled && !a->grad_fn && a->requires_grad) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "a leaf Variable that requires grad is being used in an in-place operation.");
        return NULL;
    }
    /* value= converts to a's type (an integral double counts as a Python int) */
    if (!src && tensor_numel(index) > 0 &&
        !scalar_fits_number(a->dtype, value == trunc(value) && fabs(value) < 9.2e18, (int64_t)value, value))
        return NULL;
    Tensor *out = inplace ? tensor_retain(a) : tensor_clone(a, DT_UNDEFINED);
    if (!out) return NULL;
    int64_t n = tensor_numel(index), es = (int64_t)dtype_size(a->dtype);
    char vbuf[16];
    dtype_store_f64(a->dtype, vbuf, value);
    if (n > 0) {
        Walk w = {0};
        w.ndim = index->ndim;
        for (int k = 0; k < w.ndim; k++) {
            w.shape[k] = index->shape[k];
            w.st[0][k] = k == d ? 0 : out->stride[k];
            w.st[1][k] = index->stride[k];
            w.st[2][k] = src ? src->stride[k] : 0;
        }
        int64_t size = out->ndim ? out->shape[d] : 1, dstride = out->ndim ? out->stride[d] : 0;
        CudaIndexWalk cw;
        bool gpu = tensor_is_cuda(out) && tensor_is_cuda(index) && (!src || tensor_is_cuda(src)) &&
                   cuda_walk(&w, &cw);
        if (gpu && !indices_in_range(index, d, size)) {
            tensor_release(out);
            return NULL;
        }
        if (gpu && cuda_scatter(a->dtype, &cw, tensor_ptr(out), dstride, (const int64_t *)tensor_ptr(index),
                                src ? tensor_ptr(src) : NULL, vbuf, add) == KERNEL_OK)
            n = 0; /* done on the GPU */
        const int64_t *ip = n ? (const int64_t *)tensor_data(index) : NULL;
        const char *sp = src && n ? tensor_data(src) : vbuf;
        char *dst = n ? tensor_data(out) : NULL;
        for (int64_t i = 0; i < n; i++, walk_next(&w)) {
            int64_t ix = ip[w.off[1]];
            if (ix < 0 || ix >= size) {
                tsr_raise(ERR_RuntimeError, "index %lld is out of bounds for dimension %d with size %lld",
                          (long long)ix, d, (long long)size);
                tensor_release(out);
                return NULL;
            }
            char *p = dst + (w.off[0] + ix * dstride) * es;
            const char *s = sp + w.off[2] * es;
            if (!add) memcpy(p, s, (size_t)es);
            else if (a->dtype == DT_FLOAT32) *(float *)p += *(const float *)s;
            else if (a->dtype == DT_FLOAT64) *(double *)p += *(const double *)s;
            else if (dtype_is_float(a->dtype))
                dtype_store_f64(a->dtype, p, (float)(dtype_load_f64(a->dtype, p) + dtype_load_f64(a->dtype, s)));
            else if (a->dtype == DT_BOOL) *(bool *)p = *(bool *)p || *(const bool *)s;
            else dtype_store_i64(a->dtype, p, dtype_load_i64(a->dtype, p) + dtype_load_i64(a->dtype, s));
        }
    }
    if (inplace) out->storage->version++;
    Tensor *in[2] = {a, src};
    int64_t args[1] = {d};
    const char *name = add ? "ScatterAddBackward0" : src ? "ScatterBackward0" : "ScatterBackward1";
    OpCtx ctx = op_ctx(a, 1, args);
    /* in place, out is a itself: the node replaces a's history */
    return ag_record_steal(out, name, in, src ? 2 : 1, &index, 1, &ctx, sizeof ctx);
}

/* ---- nonzero ---- */

static bool elem_nonzero(DType dt, const char *p) {
    switch (dt) {
    case DT_FLOAT32: return *(const float *)p != 0;
    case DT_FLOAT64: return *(const double *)p != 0;
    case DT_FLOAT16:
    case DT_BFLOAT16: return dtype_load_f64(dt, p) != 0;
    default: break;
    }
    for (size_t i = 0; i < dtype_size(dt); i++)
        if (p[i]) return true;
    return false;
}

/* nonzero on the GPU: the count comes back to the host (a wait) to size the
 * output. *out NULL and true: no kernel for it; false: an error raised. */
static bool nonzero_cuda(Tensor *a, Tensor **out) {
    *out = NULL;
    size_t nb = cuda_nonzero_scratch(tensor_numel(a));
    void *scratch = device_alloc(nb);
    if (!scratch) return false;
    int64_t *count_dev = NULL, count = 0;
    bool ok = true;
    if (cuda_nonzero_count(a->dtype, a->ndim, a->shape, tensor_ptr(a), a->stride, scratch, &count_dev) == KERNEL_OK) {
        if (!cuda_memcpy(&count, count_dev, sizeof count)) {
            tsr_raise(ERR_RuntimeError, "CUDA error: %s", cuda_last_error());
            ok = false;
        }
        int64_t shape[2] = {count, a->ndim};
        Tensor *o = ok ? tensor_empty(DT_INT64, 2, shape, a->storage->device) : NULL;
        if (o && cuda_nonzero_write(a->dtype, a->ndim, a->shape, tensor_ptr(a), a->stride, scratch,
                                    (int64_t *)tensor_ptr(o)) != KERNEL_OK) {
            tsr_raise(ERR_RuntimeError, "%s", "nonzero: the CUDA kernel failed");
            tensor_release(o);
            o = NULL;
        }
        ok = o != NULL;
        *out = o;
    }
    device_free(scratch, nb); /* reused only by later launches on the same stream */
    return ok;
}

Tensor *op_nonzero(Tensor *a) {
    if (tensor_is_cuda(a)) {
        Tensor *o;
        if (!nonzero_cuda(a, &o)) return NULL;
        if (o) return o;
    }
    Tensor *c = tensor_contiguous(a);
    if (!c) return NULL;
    int64_t n = tensor_numel(c), es = (int64_t)dtype_size(c->dtype), count = 0;
    const char *p = tensor_data(c);
    for (int64_t i = 0; i < n; i++) count += elem_nonzero(c->dtype, p + i * es);
    int64_t shape[2] = {count, a->ndim};
    Tensor *out = tensor_empty(DT_INT64, 2, shape, a->storage->device);
    if (out) {
        int64_t *o = (int64_t *)storage_host(out->storage);
        for (int64_t i = 0; i < n; i++) {
            if (!elem_nonzero(c->dtype, p + i * es)) continue;
            int64_t k = i;
            for (int dd = a->ndim - 1; dd >= 0; dd--) {
                o[dd] = k % a->shape[dd];
                k /= a->shape[dd];
            }
            o += a->ndim;
        }
    }
    tensor_release(c);
    return out;
}

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
