/* sort.c: the ops that sort each line: sort, topk, kthvalue, median, mode
 * (PyTorch's Sorting.cpp) and unique (dim=None: the flattened input,
 * sorted).
 *
 * Autograd: node->ctx is an OpCtx (ops.h) of the input with args as noted;
 * saved tensors as noted.
 *   SortBackward0: args {dim, descending}; saved {indices}.
 *   TopkBackward0 / KthvalueBackward0 / MedianBackward1 / ModeBackward0:
 *     args {dim, keepdim}; saved {indices}.
 *   MedianBackward0 (median of all elements): saved {self, result}.
 * unique records nothing (its outputs are not differentiable). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"
#include "reduce.h"

bool op_sort(Tensor *a, int64_t dim, bool descending, Tensor **values, Tensor **indices) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    Tensor *v = tensor_empty(a->dtype, a->ndim, a->shape, a->storage->device);
    Tensor *ix = tensor_empty(DT_INT64, a->ndim, a->shape, a->storage->device);
    int64_t *perm = NULL;
    if (!v || !ix) goto fail;
    int64_t n = a->ndim ? a->shape[d] : 1, total = tensor_numel(a);
    bool done = false;
    if (total > 0 && tensor_is_cuda(a)) {
        size_t nb = tsr_cuda->sort_scratch(a->dtype, total);
        void *scratch = device_alloc(nb);
        if (!scratch) goto fail;
        KernelStatus st = tsr_cuda->sort_select(a->dtype, a->ndim, a->shape, d, tensor_ptr(a), a->stride, descending,
                                           SORT_PICK_ALL, 0, tensor_ptr(v), (int64_t *)tensor_ptr(ix), v->stride,
                                           scratch);
        device_free(scratch, nb); /* reused only by later launches on the same stream */
        done = st == KERNEL_OK;
    }
    if (total > 0 && !done) {
        perm = tsr_malloc(sizeof(int64_t) * 2 * (n > 0 ? n : 1));
        if (!perm) goto fail;
        int64_t lines = total / n, es = (int64_t)dtype_size(a->dtype);
        int64_t st = a->ndim ? a->stride[d] : 1, ost = a->ndim ? v->stride[d] : 1;
        const char *base = storage_host(a->storage);
        for (int64_t k = 0; k < lines; k++) {
            int64_t ioff, ooff;
            op_line_offset(a, d, k, &ioff);
            op_line_offset(v, d, k, &ooff);
            kernel_sort_line(a->dtype, base + ioff * es, st, (char *)storage_host(v->storage) + ooff * es, ost,
                             (int64_t *)storage_host(ix->storage) + ooff, ost, n, descending, perm);
        }
    }
    free(perm);
    int64_t args[2] = {d, descending};
    OpCtx ctx = op_ctx(a, 2, args);
    if (!(v = ag_record_steal(v, NODE_SortBackward0, &a, 1, &ix, 1, &ctx, sizeof ctx))) goto fail;
    *values = v;
    *indices = ix;
    return true;
fail:
    tensor_release(v);
    tensor_release(ix);
    return false;
}

/* ---- sorted selections: topk, kthvalue, median, mode ---- */

/* Element offset of the row-major position k of shape (ndim, shape) for strides st. */
static int64_t offset_of(int ndim, const int64_t *shape, const int64_t *st, int64_t k) {
    int64_t o = 0;
    for (int i = ndim - 1; i >= 0; i--) {
        o += (k % shape[i]) * st[i];
        k /= shape[i];
    }
    return o;
}

/* Sorts every line along d and hands each to pick(); values/indices are
 * laid out with `dim` of size kout (kept or dropped per keepdim). */
typedef void (*PickFn)(const char *sv, const int64_t *si, int64_t n, int64_t es, char *ov,
                       int64_t ovs, int64_t *oi, int64_t ois, void *ctx);

static bool select_lines(Tensor *a, int d, bool descending, int64_t kout, bool keepdim, SortPick kind,
                         int64_t k, PickFn pick, void *ctx, Tensor **values, Tensor **indices) {
    int64_t osh[TSR_MAX_DIMS];
    int ond = 0;
    for (int i = 0; i < a->ndim; i++) {
        if (i != d) osh[ond++] = a->shape[i];
        else if (keepdim) osh[ond++] = kout;
    }
    Tensor *v = tensor_empty(a->dtype, ond, osh, a->storage->device);
    Tensor *ix = tensor_empty(DT_INT64, ond, osh, a->storage->device);
    int64_t n = a->ndim ? a->shape[d] : 1, total = tensor_numel(a), es = (int64_t)dtype_size(a->dtype);
    int64_t *scratch = NULL;
    char *sv = NULL;
    if (!v || !ix) goto fail;
    if (total > 0 && kout > 0) {
        int64_t lines = total / n;
        int64_t rest_shape[TSR_MAX_DIMS], rest_st[TSR_MAX_DIMS], vst[TSR_MAX_DIMS], ist[TSR_MAX_DIMS];
        int nr = 0;
        for (int i = 0; i < a->ndim; i++)
            if (i != d) rest_shape[nr] = a->shape[i], rest_st[nr++] = a->stride[i];
        /* strides of the output over the other dims */
        int64_t ost_all[TSR_MAX_DIMS];
        contiguous_strides(ond, osh, ost_all);
        int q = 0;
        int64_t odim_stride = 0;
        for (int i = 0; i < a->ndim; i++) {
            if (i == d) {
                if (keepdim) odim_stride = ost_all[q++];
                continue;
            }
            vst[i - (i > d)] = ost_all[q];
            ist[i - (i > d)] = ost_all[q++];
        }
        int64_t sst = a->ndim ? a->stride[d] : 1;
        bool done = false;
        if (tensor_is_cuda(a)) {
            int64_t ost[TSR_MAX_DIMS];
            for (int i = 0; i < a->ndim; i++) ost[i] = i == d ? odim_stride : vst[i - (i > d)];
            size_t nb = tsr_cuda->sort_scratch(a->dtype, total);
            void *dscratch = device_alloc(nb);
            if (!dscratch) goto fail;
            done = tsr_cuda->sort_select(a->dtype, a->ndim, a->shape, d, tensor_ptr(a), a->stride, descending, kind, k,
                                    tensor_ptr(v), (int64_t *)tensor_ptr(ix), ost, dscratch) == KERNEL_OK;
            device_free(dscratch, nb); /* reused only by later launches on the same stream */
        }
        if (!done) {
            scratch = tsr_malloc(sizeof(int64_t) * 3 * (size_t)n);
            sv = tsr_malloc((size_t)(n * es));
            if (!scratch || !sv) goto fail;
        }
        for (int64_t line_k = 0; line_k < lines && !done; line_k++) {
            const char *line = tensor_data(a) + offset_of(nr, rest_shape, rest_st, line_k) * es;
            int64_t oo = offset_of(nr, rest_shape, vst, line_k);
            kernel_sort_line(a->dtype, line, sst, sv, 1, scratch, 1, n, descending, scratch + n);
            pick(sv, scratch, n, es, (char *)storage_host(v->storage) + oo * es, odim_stride,
                 (int64_t *)storage_host(ix->storage) + offset_of(nr, rest_shape, ist, line_k), odim_stride, ctx);
        }
    }
    free(scratch);
    free(sv);
    *values = v;
    *indices = ix;
    return true;
fail:
    free(scratch);
    free(sv);
    tensor_release(v);
    tensor_release(ix);
    return false;
}

typedef struct {
    int64_t k;
} TopkCtx;

/* The selections' node on *values (ag_record_steal): args {dim, keepdim};
 * saved {indices}. Releases both on failure. */
static bool record_selection(Tensor *a, int d, bool keepdim, GradNodeKind kind, Tensor **values,
                             Tensor **indices) {
    int64_t args[2] = {d, keepdim};
    OpCtx ctx = op_ctx(a, 2, args);
    if ((*values = ag_record_steal(*values, kind, &a, 1, indices, 1, &ctx, sizeof ctx))) return true;
    tensor_release(*indices);
    return false;
}

static void pick_first_k(const char *sv, const int64_t *si, int64_t n, int64_t es, char *ov, int64_t ovs,
                         int64_t *oi, int64_t ois, void *ctx) {
    int64_t k = ((TopkCtx *)ctx)->k;
    for (int64_t i = 0; i < k; i++) {
        memcpy(ov + i * ovs * es, sv + i * es, (size_t)es);
        oi[i * ois] = si[i];
    }
}

bool op_topk(Tensor *a, int64_t k, int64_t dim, bool largest, bool sorted, Tensor **values,
             Tensor **indices) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    int64_t n = a->ndim ? a->shape[d] : 1;
    if (k < 0 || k > n) {
        tsr_raise(ERR_RuntimeError, "%s", "selected index k out of range");
        return false;
    }
    if (a->ndim == 0) k = 1; /* a 0-dim result holds its one element even for k == 0 */
    TopkCtx c = {k};
    return select_lines(a, d, largest, k, true, SORT_PICK_FIRST, k, pick_first_k, &c, values, indices) &&
           record_selection(a, d, true, NODE_TopkBackward0, values, indices);
}

static void pick_kth(const char *sv, const int64_t *si, int64_t n, int64_t es, char *ov, int64_t ovs,
                     int64_t *oi, int64_t ois, void *ctx) {
    int64_t k = ((TopkCtx *)ctx)->k;
    memcpy(ov, sv + k * es, (size_t)es);
    *oi = si[k];
}

bool op_kthvalue(Tensor *a, int64_t k, int64_t dim, bool keepdim, Tensor **values, Tensor **indices) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    int64_t n = a->ndim ? a->shape[d] : 1;
    if (k < 1 || k > n) {
        tsr_raise(ERR_RuntimeError, "kthvalue(): selected number k out of range for dimension %d", d);
        return false;
    }
    TopkCtx c = {k - 1};
    return select_lines(a, d, false, 1, keepdim, SORT_PICK_KTH, k - 1, pick_kth, &c, values, indices) &&
           record_selection(a, d, keepdim, NODE_KthvalueBackward0, values, indices);
}

/* The lower median; a NaN anywhere makes the result that NaN. */
static void pick_median(const char *sv, const int64_t *si, int64_t n, int64_t es, char *ov, int64_t ovs,
                        int64_t *oi, int64_t ois, void *ctx) {
    DType dt = *(DType *)ctx;
    int64_t k = (n - 1) / 2;
    if (dtype_is_float(dt) && isnan(dtype_load_f64(dt, sv + (n - 1) * es))) {
        k = n - 1;
        while (k > 0 && isnan(dtype_load_f64(dt, sv + (k - 1) * es))) k--;
    }
    memcpy(ov, sv + k * es, (size_t)es);
    *oi = si[k];
}

bool op_median_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    if (a->ndim && a->shape[d] == 0) {
        tsr_raise(ERR_IndexError, "median(): Expected reduction dim %d to have non-zero size.", d);
        return false;
    }
    if (!op_kernel_supports("median_out", a->dtype, false, false)) return false;
    DType dt = a->dtype;
    return select_lines(a, d, false, 1, keepdim, SORT_PICK_MEDIAN, 0, pick_median, &dt, values, indices) &&
           record_selection(a, d, keepdim, NODE_MedianBackward1, values, indices);
}

Tensor *op_median_all(Tensor *a) {
    if (!op_kernel_supports("median_cpu", a->dtype, false, false)) return NULL;
    if (tensor_numel(a) == 0)
        return tensor_full_f64(a->dtype, 0, NULL, dtype_is_float(a->dtype) ? NAN : 0, a->storage->device);
    Tensor *flat = NULL, *v = NULL, *ix = NULL;
    int64_t n = tensor_numel(a);
    NO_GRAD(flat = op_reshape(a, 1, &n));
    if (!flat) return NULL;
    DType dt = a->dtype;
    bool ok = select_lines(flat, 0, false, 1, false, SORT_PICK_MEDIAN, 0, pick_median, &dt, &v, &ix);
    tensor_release(flat);
    tensor_release(ix);
    if (!ok) return NULL;
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(v, NODE_MedianBackward0, &a, 1, (Tensor *[]){a, v}, 2, &ctx, sizeof ctx);
}

/* mode: the most frequent value (the smallest among ties), index of its last occurrence */
static void pick_mode(const char *sv, const int64_t *si, int64_t n, int64_t es, char *ov, int64_t ovs,
                      int64_t *oi, int64_t ois, void *ctx) {
    int64_t best = 0, best_len = 0;
    for (int64_t i = 0; i < n;) {
        int64_t j = i + 1;
        while (j < n && !memcmp(sv + j * es, sv + i * es, (size_t)es)) j++;
        if (j - i > best_len) best = i, best_len = j - i;
        i = j;
    }
    int64_t idx = si[best];
    for (int64_t i = best; i < best + best_len; i++)
        if (si[i] > idx) idx = si[i];
    memcpy(ov, sv + best * es, (size_t)es);
    *oi = idx;
}

bool op_mode_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    if (a->ndim && a->shape[d] == 0) { /* no line to pick from */
        tsr_raise(ERR_IndexError, "mode(): Expected reduction dim %d to have non-zero size.", d);
        return false;
    }
    return select_lines(a, d, false, 1, keepdim, SORT_PICK_MODE, 0, pick_mode, NULL, values, indices) &&
           record_selection(a, d, keepdim, NODE_ModeBackward0, values, indices);
}

/* ---- unique ---- */

bool op_unique(Tensor *a, Tensor **values, Tensor **inverse, Tensor **counts) {
    int64_t n = tensor_numel(a), es = (int64_t)dtype_size(a->dtype);
    Tensor *c = tensor_contiguous(a);
    Tensor *vals = NULL, *inv = NULL, *cnt = NULL;
    char *sv = NULL;
    int64_t *perm = NULL;
    if (!c) return false;
    sv = tsr_malloc((size_t)(n ? n : 1) * (size_t)es);
    perm = tsr_malloc(sizeof(int64_t) * 3 * (size_t)(n ? n : 1));
    if (!sv || !perm) goto fail;
    if (n) kernel_sort_line(a->dtype, tensor_data(c), 1, sv, 1, perm, 1, n, false, perm + n);
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) /* NaNs are never equal to each other */
        if (i == 0 || memcmp(sv + i * es, sv + (i - 1) * es, (size_t)es) ||
            (dtype_is_float(a->dtype) && isnan(dtype_load_f64(a->dtype, sv + i * es))))
            m++;
    vals = tensor_empty(a->dtype, 1, &m, a->storage->device);
    if (inverse) inv = tensor_empty(DT_INT64, a->ndim, a->shape, a->storage->device);
    if (counts) cnt = tensor_zeros(DT_INT64, 1, &m, a->storage->device);
    if (!vals || (inverse && !inv) || (counts && !cnt)) goto fail;
    int64_t g = -1;
    for (int64_t i = 0; i < n; i++) {
        bool fresh = i == 0 || memcmp(sv + i * es, sv + (i - 1) * es, (size_t)es) ||
                     (dtype_is_float(a->dtype) && isnan(dtype_load_f64(a->dtype, sv + i * es)));
        if (fresh) memcpy((char *)storage_host(vals->storage) + (++g) * es, sv + i * es, (size_t)es);
        if (inv) ((int64_t *)storage_host(inv->storage))[perm[i]] = g;
        if (cnt) ((int64_t *)storage_host(cnt->storage))[g]++;
    }
    free(sv);
    free(perm);
    tensor_release(c);
    *values = vals;
    if (inverse) *inverse = inv;
    if (counts) *counts = cnt;
    return true;
fail:
    free(sv);
    free(perm);
    tensor_release(c);
    tensor_release(vals);
    tensor_release(inv);
    tensor_release(cnt);
    return false;
}
