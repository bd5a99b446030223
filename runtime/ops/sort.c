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
#include "lines.h"
#include "sort_line.h"

/* Sorts the lines along d of a with kt's kernel and writes `pick` of
 * each into v and ix (at ost, sort.h), the status in *st; false with an
 * error raised. */
static bool sort_with(const Kernels *kt, Tensor *a, int d, bool descending, bool stable, SortPick pick, int64_t k,
                      Tensor *v, Tensor *ix, const int64_t *ost, KernelStatus *st) {
    Tensor *scratch;
    if (!device_scratch(kt, a->storage->device, kt->sort_scratch(a->dtype, a->ndim, a->shape, d), &scratch))
        return false;
    *st = kt->sort_select(a->dtype, a->ndim, a->shape, d, tensor_ptr(a), a->stride, descending, stable, pick, k,
                          tensor_ptr(v), (int64_t *)tensor_ptr(ix), ost, scratch ? tensor_ptr(scratch) : NULL);
    tensor_release(scratch); /* on a GPU, reused only by later launches on the same stream */
    return !tsr_check_interrupt();
}

/* sort_with on a's device, or the CPU's where that has no kernel. */
static bool sort_run(Tensor *a, int d, bool descending, bool stable, SortPick pick, int64_t k, Tensor *v,
                     Tensor *ix, const int64_t *ost) {
    KernelStatus st;
    const Kernels *kt = device_kernels(a->storage->device);
    if (!sort_with(kt, a, d, descending, stable, pick, k, v, ix, ost, &st)) return false;
    if (st != KERNEL_UNSUPPORTED || kt == &cpu_kernels) return true;
    device_wait();
    return sort_with(&cpu_kernels, a, d, descending, stable, pick, k, v, ix, ost, &st);
}

bool op_sort(Tensor *a, int64_t dim, bool descending, bool stable, Tensor **values, Tensor **indices) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    Tensor *v = tensor_empty(a->dtype, a->ndim, a->shape, a->storage->device);
    Tensor *ix = tensor_empty(DT_INT64, a->ndim, a->shape, a->storage->device);
    if (!v || !ix) goto fail;
    if (tensor_numel(a) > 0 && !sort_run(a, d, descending, stable, SORT_PICK_ALL, 0, v, ix, v->stride)) goto fail;
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

/* Sorts every line along d and writes `kind` of each; values/indices are
 * laid out with `dim` of size kout (kept or dropped per keepdim). */
static bool select_lines(Tensor *a, int d, bool descending, int64_t kout, bool keepdim, SortPick kind, int64_t k,
                         Tensor **values, Tensor **indices) {
    int64_t osh[TSR_MAX_DIMS];
    int ond = 0;
    for (int i = 0; i < a->ndim; i++) {
        if (i != d) osh[ond++] = a->shape[i];
        else if (keepdim) osh[ond++] = kout;
    }
    Tensor *v = tensor_empty(a->dtype, ond, osh, a->storage->device);
    Tensor *ix = tensor_empty(DT_INT64, ond, osh, a->storage->device);
    if (!v || !ix) goto fail;
    if (tensor_numel(a) > 0 && kout > 0) {
        /* the output's strides in the input's dim numbering; along d, the
         * picked positions' (0 when the dim is dropped) */
        int64_t ost_all[TSR_MAX_DIMS], ost[TSR_MAX_DIMS];
        contiguous_strides(ond, osh, ost_all);
        int q = 0;
        for (int i = 0; i < a->ndim; i++) ost[i] = i != d || keepdim ? ost_all[q++] : 0;
        if (!sort_run(a, d, descending, true, kind, k, v, ix, ost)) goto fail;
    }
    *values = v;
    *indices = ix;
    return true;
fail:
    tensor_release(v);
    tensor_release(ix);
    return false;
}

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

bool op_topk(Tensor *a, int64_t k, int64_t dim, bool largest, bool sorted, Tensor **values,
             Tensor **indices) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    int64_t n = a->ndim ? a->shape[d] : 1;
    if (k < 0 || k > n) {
        tsr_raise(ERR_RuntimeError, "%s", "selected index k out of range");
        return false;
    }
    if (a->storage->device.type == DEV_CPU && !op_kernel_supports("topk_cpu", a->dtype, false, false)) return false;
    if (a->ndim == 0) k = 1; /* a 0-dim result holds its one element even for k == 0 */
    return select_lines(a, d, largest, k, true, sorted ? SORT_PICK_FIRST : SORT_PICK_FIRST_UNSORTED, k, values,
                        indices) &&
           record_selection(a, d, true, NODE_TopkBackward0, values, indices);
}

bool op_kthvalue(Tensor *a, int64_t k, int64_t dim, bool keepdim, Tensor **values, Tensor **indices) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    int64_t n = a->ndim ? a->shape[d] : 1;
    if (k < 1 || k > n) {
        tsr_raise(ERR_RuntimeError, "kthvalue(): selected number k out of range for dimension %d", d);
        return false;
    }
    if (a->storage->device.type == DEV_CPU && !op_kernel_supports("kthvalue_cpu", a->dtype, false, false))
        return false;
    return select_lines(a, d, false, 1, keepdim, SORT_PICK_KTH, k - 1, values, indices) &&
           record_selection(a, d, keepdim, NODE_KthvalueBackward0, values, indices);
}

/* median/nanmedian along dim: the wrapped dim after PyTorch's checks, or -1 */
static int median_dim_checked(Tensor *a, int64_t dim) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return -1;
    if (a->ndim && a->shape[d] == 0) {
        tsr_raise(ERR_IndexError, "median(): Expected reduction dim %d to have non-zero size.", d);
        return -1;
    }
    return op_kernel_supports("median_out", a->dtype, false, false) ? d : -1;
}

bool op_median_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices) {
    int d = median_dim_checked(a, dim);
    if (d < 0) return false;
    return select_lines(a, d, false, 1, keepdim, SORT_PICK_MEDIAN, 0, values, indices) &&
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
    bool ok = select_lines(flat, 0, false, 1, false, SORT_PICK_MEDIAN, 0, &v, &ix);
    tensor_release(flat);
    tensor_release(ix);
    if (!ok) return NULL;
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(v, NODE_MedianBackward0, &a, 1, (Tensor *[]){a, v}, 2, &ctx, sizeof ctx);
}

/* nanmedian along d (n = a's size there, >= 1): a stable sort of each
 * line (NaN last) on a's device, then on the host ATen's pick of the
 * non-NaN lower median (kernel_nanmedian_line) */
static bool nanmedian_lines(Tensor *a, int d, bool keepdim, Tensor **values, Tensor **indices) {
    int64_t n = a->ndim ? a->shape[d] : 1, osh[TSR_MAX_DIMS];
    int ond = 0;
    for (int i = 0; i < a->ndim; i++) {
        if (i != d) osh[ond++] = a->shape[i];
        else if (keepdim) osh[ond++] = 1;
    }
    Tensor *sv = NULL, *si = NULL;
    if (!select_lines(a, d, false, n, true, SORT_PICK_ALL, 0, &sv, &si)) return false;
    Tensor *v = tensor_empty(a->dtype, ond, osh, a->storage->device);
    Tensor *ix = tensor_empty(DT_INT64, ond, osh, a->storage->device);
    int64_t *perm = v && ix ? tsr_malloc(sizeof(int64_t) * 4 * (size_t)n) : NULL;
    bool ok = perm != NULL;
    if (ok) {
        int64_t es = (int64_t)dtype_size(a->dtype), lines = line_count(sv->ndim, sv->shape, d);
        int64_t st = line_stride(sv->ndim, sv->stride, d);
        const char *svd = tensor_data(sv);
        const int64_t *sid = (const int64_t *)tensor_data(si);
        char *vd = tensor_data(v);
        int64_t *ixd = (int64_t *)tensor_data(ix);
        for (int64_t k = 0; k < lines; k++) {
            int64_t off = line_offset(sv->ndim, sv->shape, d, sv->stride, k), index;
            int64_t pos = kernel_nanmedian_line(a->dtype, svd + off * es, st, sid + off, st, n, perm, &index);
            memcpy(vd + k * es, svd + (off + pos * st) * es, (size_t)es);
            ixd[k] = index;
        }
    }
    free(perm);
    tensor_release(sv);
    tensor_release(si);
    if (!ok) {
        tensor_release(v);
        tensor_release(ix);
        return false;
    }
    *values = v;
    *indices = ix;
    return true;
}

/* nanmedian: median's kernels (median_out, median_cpu) over the non-NaN
 * values; NanmedianBackward1 / NanmedianBackward0 */
bool op_nanmedian_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices) {
    int d = median_dim_checked(a, dim);
    if (d < 0) return false;
    return nanmedian_lines(a, d, keepdim, values, indices) &&
           record_selection(a, d, keepdim, NODE_NanmedianBackward1, values, indices);
}

Tensor *op_nanmedian_all(Tensor *a) {
    if (!op_kernel_supports("median_cpu", a->dtype, false, false)) return NULL;
    if (tensor_numel(a) == 0) /* NaN, converted as a float NaN converts to a's dtype */
        return tensor_full_f64(a->dtype, 0, NULL, NAN, a->storage->device);
    Tensor *flat = NULL, *v = NULL, *ix = NULL;
    int64_t n = tensor_numel(a);
    NO_GRAD(flat = op_reshape(a, 1, &n));
    if (!flat) return NULL;
    bool ok = nanmedian_lines(flat, 0, false, &v, &ix);
    tensor_release(flat);
    tensor_release(ix);
    if (!ok) return NULL;
    OpCtx ctx = op_ctx(a, 0, NULL);
    return ag_record_steal(v, NODE_NanmedianBackward0, &a, 1, (Tensor *[]){a, v}, 2, &ctx, sizeof ctx);
}

bool op_mode_dim(Tensor *a, int64_t dim, bool keepdim, Tensor **values, Tensor **indices) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return false;
    if (a->ndim && a->shape[d] == 0) { /* no line to pick from */
        tsr_raise(ERR_IndexError, "mode(): Expected reduction dim %d to have non-zero size.", d);
        return false;
    }
    return select_lines(a, d, false, 1, keepdim, SORT_PICK_MODE, 0, values, indices) &&
           record_selection(a, d, keepdim, NODE_ModeBackward0, values, indices);
}

/* ---- unique ---- */

/* == on two elements: floats by value (-0.0 == 0.0; NaN equals nothing),
 * other dtypes bitwise */
static bool sorted_equal(DType dt, const char *x, const char *y) {
    if (dtype_is_float(dt)) return dtype_load_f64(dt, x) == dtype_load_f64(dt, y);
    return memcmp(x, y, dtype_size(dt)) == 0;
}

bool op_unique(Tensor *a, Tensor **values, Tensor **inverse, Tensor **counts) {
    if (a->storage->device.type == DEV_CPU && !op_kernel_supports("unique", a->dtype, false, true)) return false;
    int64_t n = tensor_numel(a), es = (int64_t)dtype_size(a->dtype);
    Tensor *c = tensor_contiguous(a);
    Tensor *vals = NULL, *inv = NULL, *cnt = NULL;
    char *sv = NULL;
    int64_t *perm = NULL;
    if (!c) return false;
    sv = tsr_malloc((size_t)(n ? n : 1) * (size_t)es);
    perm = tsr_malloc(sizeof(int64_t) * 5 * (size_t)(n ? n : 1));
    if (!sv || !perm) goto fail;
    if (n) kernel_sort_line(a->dtype, tensor_data(c), 1, sv, 1, perm, 1, n, false, true, perm + n);
    if (tsr_check_interrupt()) goto fail;
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++)
        if (i == 0 || !sorted_equal(a->dtype, sv + i * es, sv + (i - 1) * es)) m++;
    vals = tensor_empty(a->dtype, 1, &m, a->storage->device);
    if (inverse) inv = tensor_empty(DT_INT64, a->ndim, a->shape, a->storage->device);
    if (counts) cnt = tensor_zeros(DT_INT64, 1, &m, a->storage->device);
    if (!vals || (inverse && !inv) || (counts && !cnt)) goto fail;
    int64_t g = -1;
    for (int64_t i = 0; i < n; i++) {
        bool fresh = i == 0 || !sorted_equal(a->dtype, sv + i * es, sv + (i - 1) * es);
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
