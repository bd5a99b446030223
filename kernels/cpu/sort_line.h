/* sort_line.h: sorting and selection within one line of a tensor (CPU),
 * in the orders PyTorch's CPU kernels produce; sort.c runs them over the
 * lines of a tensor. */
#ifndef TSR_KERNEL_SORT_LINE_H
#define TSR_KERNEL_SORT_LINE_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"

/* PyTorch's topk of one line: the k largest (smallest) values and their
 * positions, equal elements in the order its partial_sort / nth_element
 * leave them; `sorted` false leaves nth_element's order. perm is scratch
 * of 4*n int64. */
void kernel_topk_line(DType dt, const char *in, int64_t in_stride, int64_t n, int64_t k, bool largest,
                      bool sorted, char *values, int64_t val_stride, int64_t *indices, int64_t idx_stride,
                      int64_t *perm);
/* PyTorch's kthvalue of one line: the position of the k-th smallest
 * (0-based), equal elements resolved as its quickselect resolves them. */
int64_t kernel_kthvalue_line(DType dt, const char *in, int64_t in_stride, int64_t n, int64_t k, int64_t *perm);
/* nanmedian of one stably sorted line (NaN last) of n >= 1 elements and
 * its sorted indices: the position in the sorted line of ATen's pick, the
 * nth at (m - 1) / 2 (C's division) of the m non-NaN values, and through
 * *index its original index; an all-NaN line gives the index libstdc++'s
 * std::nth_element leaves at position 0 (all compare equal). perm is
 * scratch of 4*n int64. */
int64_t kernel_nanmedian_line(DType dt, const char *sorted, int64_t stride, const int64_t *sorted_idx,
                              int64_t idx_stride, int64_t n, int64_t *perm, int64_t *index);
/* Sort of one line of n elements: fills values (contiguous, stride
 * vs) and indices; perm is scratch of 4*n int64. NaN sorts as largest;
 * stable, or in std::sort's order.
 * Stops early, leaving values and indices unset, once tsr_interrupted is
 * set: the op checks it and raises KeyboardInterrupt. */
void kernel_sort_line(DType dt, const char *in, int64_t in_stride, char *values,
                      int64_t val_stride, int64_t *indices, int64_t idx_stride, int64_t n,
                      bool descending, bool stable, int64_t *perm);

#endif
