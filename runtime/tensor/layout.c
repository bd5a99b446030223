/* layout.c: see layout.h. */
#include "layout.h"

#include "error.h"

#include <string.h>

#define ITER_OPS_MAX 4 /* operands of an elementwise op: where() has three */

bool layout_is_dense(int ndim, const int64_t *shape, const int64_t *stride) {
    if (ndim == 0) return true;
    if (ndim == 1) return shape[0] < 2 || stride[0] == 1;
    int perm[TSR_MAX_DIMS];
    for (int i = 0; i < ndim; i++) perm[i] = i;
    /* by stride, dims of size 0 and 1 last (insertion sort: ndim is small) */
    for (int i = 1; i < ndim; i++) {
        int p = perm[i], j = i - 1;
        while (j >= 0) {
            int q = perm[j];
            bool before = shape[p] >= 2 && (shape[q] < 2 || stride[p] < stride[q]);
            if (!before) break;
            perm[j + 1] = q;
            j--;
        }
        perm[j + 1] = p;
    }
    int64_t want = 1;
    for (int i = 0; i < ndim; i++) {
        int64_t n = shape[perm[i]];
        if (n < 2) return true;
        if (stride[perm[i]] != want) return false;
        want *= n;
    }
    return true;
}

/* Strides that are dense in the order perm (perm[0] the fastest dim). */
static void dense_in_order(int ndim, const int64_t *shape, const int *perm, int64_t *out) {
    int64_t s = 1;
    for (int i = 0; i < ndim; i++) {
        out[perm[i]] = s;
        if (shape[perm[i]] > 1) s *= shape[perm[i]];
    }
}

/* TensorIterator's reorder_dimensions: perm[0] the fastest dim. Operand k's
 * element strides are st[k] (0 where it broadcasts, which leaves the
 * comparison to the next operand); equal strides put the smaller dim first.
 * An insertion sort that stops at the first "keep": the order is the one
 * PyTorch computes even when the comparisons are ambiguous. */
static void reorder_dims(int ndim, const int64_t *shape, const int64_t (*st)[TSR_MAX_DIMS], int nops,
                         int *perm) {
    for (int i = 0; i < ndim; i++) perm[i] = ndim - 1 - i;
    for (int i = 1; i < ndim; i++) {
        int d1 = i;
        for (int d0 = i - 1; d0 >= 0; d0--) {
            int cmp = 0;
            for (int k = 0; k < nops && cmp == 0; k++) {
                int64_t s0 = st[k][perm[d0]], s1 = st[k][perm[d1]];
                if (s0 == 0 || s1 == 0) continue;
                if (s0 < s1) cmp = -1;
                else if (s0 > s1) cmp = 1;
                else if (shape[perm[d0]] > shape[perm[d1]]) cmp = 1;
            }
            if (cmp > 0) {
                int t = perm[d0];
                perm[d0] = perm[d1];
                perm[d1] = t;
                d1 = d0;
            } else if (cmp < 0) {
                break;
            }
        }
    }
}

void layout_infer_dense(int ndim, const int64_t *shape, const int64_t *stride, int64_t *out) {
    int64_t st[1][TSR_MAX_DIMS];
    int perm[TSR_MAX_DIMS];
    memcpy(st[0], stride, sizeof(int64_t) * ndim);
    reorder_dims(ndim, shape, st, 1, perm);
    dense_in_order(ndim, shape, perm, out);
}

Tensor *layout_empty_strided(DType dtype, int ndim, const int64_t *shape, const int64_t *stride,
                             Device dev) {
    Tensor *t = tensor_empty(dtype, ndim, shape, dev);
    if (t && ndim) memcpy(t->stride, stride, sizeof(int64_t) * ndim);
    return t;
}

Tensor *layout_empty_like(const Tensor *t, DType dtype, Device dev) {
    if (tensor_is_contiguous(t)) return tensor_empty(dtype, t->ndim, t->shape, dev);
    int64_t st[TSR_MAX_DIMS];
    if (layout_is_dense(t->ndim, t->shape, t->stride)) memcpy(st, t->stride, sizeof(int64_t) * t->ndim);
    else layout_infer_dense(t->ndim, t->shape, t->stride, st);
    return layout_empty_strided(dtype, t->ndim, t->shape, st, dev);
}

void layout_restride_fresh(Tensor *t, const Tensor *like) {
    if (!t || tensor_is_contiguous(like)) return;
    if (layout_is_dense(like->ndim, like->shape, like->stride))
        memcpy(t->stride, like->stride, sizeof(int64_t) * like->ndim);
    else layout_infer_dense(like->ndim, like->shape, like->stride, t->stride);
}

/* Operand k's element stride along output dim d (0 where it broadcasts). */
static int64_t bstride(const Tensor *t, int ndim, const int64_t *shape, int d) {
    int td = d - (ndim - t->ndim);
    if (td < 0 || (t->shape[td] == 1 && shape[d] != 1)) return 0;
    return t->stride[td];
}

/* t has exactly this shape and contiguous strides (the common case,
 * checked without calls: this runs for every elementwise op). */
static bool contiguous_of_shape(const Tensor *t, int ndim, const int64_t *shape) {
    if (t->ndim != ndim) return false;
    int64_t expect = 1;
    for (int d = ndim - 1; d >= 0; d--) {
        if (t->shape[d] != shape[d] || (shape[d] != 1 && t->stride[d] != expect)) return false;
        expect *= shape[d];
    }
    return true;
}

Tensor *layout_empty_elementwise(DType dtype, int ndim, const int64_t *shape, Device dev,
                                 Tensor *const *ins, int nin) {
    if (ndim < 2) return tensor_empty(dtype, ndim, shape, dev);
    int k = 0;
    while (k < nin && (!ins[k] || contiguous_of_shape(ins[k], ndim, shape))) k++;
    if (k == nin || ndim < 2) return tensor_empty(dtype, ndim, shape, dev);
    /* TensorIterator's fast setup: every input contiguous, or every input
     * of the output's shape with the same dense strides */
    bool same_shape = true, all_contig = true, same_dense = true;
    const Tensor *first = NULL;
    for (k = 0; k < nin; k++) {
        const Tensor *t = ins[k];
        if (!t) continue;
        same_shape &= t->ndim == ndim && !memcmp(t->shape, shape, sizeof(int64_t) * ndim);
        all_contig &= tensor_is_contiguous(t);
        if (same_dense && (!layout_is_dense(t->ndim, t->shape, t->stride) ||
                           (first && memcmp(first->stride, t->stride, sizeof(int64_t) * t->ndim))))
            same_dense = false;
        if (!first) first = t;
    }
    if (ndim < 2 || !first || (same_shape && all_contig)) return tensor_empty(dtype, ndim, shape, dev);
    if (same_shape && same_dense) return layout_empty_strided(dtype, ndim, shape, first->stride, dev);
    int64_t st[ITER_OPS_MAX][TSR_MAX_DIMS];
    int nops = 0, perm[TSR_MAX_DIMS];
    for (k = 0; k < nin && nops < ITER_OPS_MAX; k++)
        if (ins[k]) {
            for (int d = 0; d < ndim; d++) st[nops][d] = bstride(ins[k], ndim, shape, d);
            nops++;
        }
    reorder_dims(ndim, shape, (const int64_t(*)[TSR_MAX_DIMS])st, nops, perm);
    int64_t out_st[TSR_MAX_DIMS];
    dense_in_order(ndim, shape, perm, out_st);
    return layout_empty_strided(dtype, ndim, shape, out_st, dev);
}

int layout_format_rank(MemFormat f) {
    return f == MEMFMT_CHANNELS_LAST ? 4 : f == MEMFMT_CHANNELS_LAST_3D ? 5 : 0;
}

bool layout_check_format_rank(int ndim, MemFormat f) {
    int rank = layout_format_rank(f);
    if (!rank || ndim == rank) return true;
    tsr_raise(ERR_RuntimeError, "required rank %d tensor to use %s format", rank,
              rank == 4 ? "channels_last" : "channels_last_3d");
    return false;
}

/* The dims of a channels-last layout, innermost first. */
static const int *channels_last_order(int ndim) {
    static const int order4[] = {1, 3, 2, 0}, order5[] = {1, 4, 3, 2, 0};
    return ndim == 4 ? order4 : order5;
}

bool layout_is_format(const Tensor *t, MemFormat f) {
    int rank = layout_format_rank(f);
    if (!rank) return tensor_is_contiguous(t);
    if (t->ndim != rank) return false;
    const int *order = channels_last_order(rank);
    int64_t expected = 1;
    for (int i = 0; i < rank; i++) {
        int d = order[i];
        if (t->shape[d] == 1) continue;
        if (t->stride[d] != expected) return false;
        expected *= t->shape[d];
    }
    return true;
}

void layout_channels_last_strides(int ndim, const int64_t *shape, int64_t *out) {
    const int *order = channels_last_order(ndim);
    int64_t s = 1;
    for (int i = 0; i < ndim; i++) {
        out[order[i]] = s;
        s *= shape[order[i]];
    }
}

/* c10's is_channels_last_strides_2d_s4 / _3d_s5 */
static bool strides_like_channels_last(const Tensor *t) {
    if (t->ndim != 4 && t->ndim != 5) return false;
    if (t->stride[1] == 0) return false;
    const int *order = channels_last_order(t->ndim);
    int64_t min = 0;
    for (int i = 0; i < t->ndim; i++) {
        int d = order[i];
        if (t->shape[d] == 0 || t->stride[d] < min) return false;
        if (d == 0 && min == t->stride[1]) return false;
        min = t->stride[d];
        if (t->shape[d] > 1) min *= t->shape[d];
    }
    return true;
}

MemFormat layout_suggest_format(const Tensor *t) {
    if (!strides_like_channels_last(t)) return MEMFMT_CONTIGUOUS;
    return t->ndim == 4 ? MEMFMT_CHANNELS_LAST : MEMFMT_CHANNELS_LAST_3D;
}

void layout_restride_format(Tensor *t, const Tensor *like, MemFormat f) {
    if (!t) return;
    if (f == MEMFMT_PRESERVE) layout_restride_fresh(t, like);
    else if (layout_format_rank(f) == t->ndim) layout_channels_last_strides(t->ndim, t->shape, t->stride);
}
