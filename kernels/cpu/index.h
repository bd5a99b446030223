/* index.h: the indexing kernels of both devices: gather/scatter/scatter_add
 * along a dim and a gather by flat positions (take, index_select,
 * masked_select). The CPU loops are index.c; the CUDA twins,
 * kernels/cuda/index.cu, have the same signatures (table.h). */
#ifndef TSR_KERNEL_INDEX_H
#define TSR_KERNEL_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* gather/scatter over the index's shape: st[0] the out (gather) or self
 * (scatter; 0 along dim) strides, st[1] the index's, st[2] the source's
 * (gather: self with 0 along dim; scatter: src, unused for a value).
 * Element strides. */
typedef struct {
    int ndim;
    int64_t shape[KERNEL_MAX_DIMS];
    int64_t st[3][KERNEL_MAX_DIMS];
} IndexWalk;

/* out[w0] = src[w2 + index[w1] * dim_stride], elements of es bytes, in
 * row-major order of the walk. An index outside [0, dim_size) stops the
 * loop with KERNEL_INDEX_OUT_OF_RANGE and the index in *bad (the CUDA
 * kernel takes indices the caller has validated). */
KernelStatus kernel_gather(int es, const IndexWalk *w, char *out, const int64_t *index, const char *src,
                           int64_t dim_stride, int64_t dim_size, int64_t *bad);
/* self[w0 + index[w1] * dim_stride] = src[w2] (or *value: host bytes of
 * one element when src is NULL); add: += (scatter_add; bool: or). Bounds
 * as kernel_gather's; elements before a bad index are already written. */
KernelStatus kernel_scatter(DType dt, const IndexWalk *w, char *self, int64_t dim_stride, int64_t dim_size,
                            const int64_t *index, const char *src, const void *value, bool add, int64_t *bad);
/* A gather with wrapped coordinates: dst (contiguous over shape) at
 * position c reads src[sum_d ((c[d] + add[d]) % mod[d]) * stride[d]]
 * (element strides). roll: add = size - shift, mod = size; repeat: add 0,
 * mod = the input's size along d. */
typedef struct {
    int ndim;
    int64_t shape[KERNEL_MAX_DIMS], add[KERNEL_MAX_DIMS];
    int64_t mod[KERNEL_MAX_DIMS], stride[KERNEL_MAX_DIMS];
} ModWalk;
KernelStatus kernel_mod_gather(int es, const ModWalk *w, const char *src, char *dst);
/* Flat positions (take): p[k] += size where p[k] < 0, k < n; a p[k]
 * outside [-size, size) stops with KERNEL_INDEX_OUT_OF_RANGE, *bad =
 * p[k] (the CUDA kernel takes positions the caller has checked). */
KernelStatus kernel_wrap_negative(int64_t *p, int64_t n, int64_t size, int64_t *bad);
/* index_select's flat positions: pos (contiguous over shape) at position
 * c = sum_{d != dim} c[d] * cstride[d] + index[c[dim] * istride] * cstride[dim],
 * index int32 or int64, cstride the input's contiguous strides. An index
 * outside [0, dim_size) stops with KERNEL_INDEX_OUT_OF_RANGE, *bad = it;
 * ndim 0 checks index[0] against dim_size (1). The CUDA kernel takes a
 * validated index and ndim >= 1. */
KernelStatus kernel_select_positions(int ndim, const int64_t *shape, const int64_t *cstride, int dim, DType idt,
                                     const char *index, int64_t istride, int64_t *pos, int64_t dim_size,
                                     int64_t *bad);
/* The bounds check alone, over operand 1 (the index): KERNEL_OK, or
 * KERNEL_INDEX_OUT_OF_RANGE with the first bad index in *bad. For an op
 * that validates on the host before a device kernel (CPU only). */
KernelStatus kernel_index_check(const IndexWalk *w, const int64_t *index, int64_t dim_size, int64_t *bad);
/* dst[k] = src[pos[k]] for k < n (src contiguous, pos validated). */
KernelStatus kernel_take(int es, const char *src, const int64_t *pos, int64_t n, char *dst);
/* embedding's backward: out (rows of d, zeroed) row idx[i] += grad row i
 * for i < n, skipping idx[i] == padding_idx and indices outside [0, rows).
 * float32, float64. */
KernelStatus kernel_embedding_backward(DType dt, int64_t n, int64_t d, const int64_t *idx, const void *grad,
                                       int64_t rows, int64_t padding_idx, void *out);

#ifdef __cplusplus
}
#endif

#endif
