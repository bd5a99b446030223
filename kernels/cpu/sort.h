/* sort.h: the scan and selection kernels both devices have (the CPU loops
 * are sort.c; their CUDA twins, kernels/cuda/sort.cu, have the same
 * signatures, table.h). Lines are given as (ndim, shape, d, strides): the
 * lines along dim d of an ndim tensor, strides in elements; ndim 0 is one
 * line of one element. */
#ifndef TSR_KERNEL_SORT_H
#define TSR_KERNEL_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What is written from each sorted line of n elements (kernel_sort_line's
 * order: stable, NaN largest, reversed for descending). */
typedef enum {
    SORT_PICK_ALL,    /* the whole line (sort): out has the input's shape */
    SORT_PICK_FIRST,  /* the first k (topk); dim d of out has size k */
    SORT_PICK_FIRST_UNSORTED, /* topk(sorted=False): the k in selection order */
    SORT_PICK_KTH,    /* element k (0-based; kthvalue) */
    SORT_PICK_MEDIAN, /* the lower median, or the first NaN when there is one */
    SORT_PICK_MODE    /* the most frequent value (bitwise equal; the first run
                         of the longest), with the largest index of that run */
} SortPick;
/* Scratch bytes sort_select needs for the lines along d (on its device). */
size_t kernel_sort_scratch(DType dt, int ndim, const int64_t *shape, int d);
/* Sorts every line along d of `in` (stable, or in the order of libstdc++'s
 * std::sort, PyTorch's sort(stable=False)) and writes `pick` of each to values
 * (dt) and indices (int64, positions along d). out_stride has ndim
 * entries in the input's dim numbering: entry d is the stride of the
 * picked positions (unused for the single-element picks), the others
 * those of the output's remaining dims; values and indices share them. */
KernelStatus kernel_sort_select(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                                const int64_t *in_stride, bool descending, bool stable, SortPick pick,
                                int64_t k, char *values, int64_t *indices, const int64_t *out_stride,
                                void *scratch);
/* Cumulative product along d (float32 rounds after each step; other
 * floats accumulate in double; integers and bool wrap in int64). in may
 * equal out. */
KernelStatus kernel_cumprod(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                            const int64_t *in_stride, char *out, const int64_t *out_stride);
/* cummax/cummin along d (values dt, indices int64, both at out_stride):
 * a NaN is taken and sticks; ties take the later position. */
KernelStatus kernel_cummaxmin(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                              const int64_t *in_stride, char *values, int64_t *indices,
                              const int64_t *out_stride, bool is_max);
/* nonzero, in two steps around a host read of the count: nonzero_count
 * leaves the count of nonzero elements of in at *count_dev (in scratch,
 * of nonzero_scratch(numel) bytes); after the host has read it and
 * allocated out (count x ndim int64), nonzero_write fills it with their
 * coordinates in row-major order. The same scratch goes to both. */
size_t kernel_nonzero_scratch(int64_t numel);
KernelStatus kernel_nonzero_count(DType dt, int ndim, const int64_t *shape, const char *in,
                                  const int64_t *in_stride, void *scratch, int64_t **count_dev);
KernelStatus kernel_nonzero_write(DType dt, int ndim, const int64_t *shape, const char *in,
                                  const int64_t *in_stride, void *scratch, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif
