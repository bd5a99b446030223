/* cuda_sort.h: sorting and scans on the GPU: sort/argsort and the selections
 * read from sorted lines (topk, kthvalue, median, mode), cumprod,
 * cummax/cummin and nonzero. Results equal the CPU kernels' exactly
 * (kernel_sort_line's order: stable, NaN largest, reversed for descending).
 * Addresses are device addresses; launches are asynchronous;
 * KERNEL_UNSUPPORTED makes the op layer run the CPU code.
 *
 * Lines are given as (ndim, shape, d, strides): the lines along dim d of an
 * ndim tensor, strides in elements; ndim 0 is one line of one element. */
#ifndef TSR_CUDA_SORT_H
#define TSR_CUDA_SORT_H

#include "tsr_cuda.h"

#include "kernels.h"
#include "reduce.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What is written from each sorted line of n elements. */
typedef enum {
    SORT_PICK_ALL,    /* the whole line (sort): out has the input's shape */
    SORT_PICK_FIRST,  /* the first k (topk); dim d of out has size k */
    SORT_PICK_KTH,    /* element k (0-based; kthvalue) */
    SORT_PICK_MEDIAN, /* the lower median, or the first NaN when there is one */
    SORT_PICK_MODE    /* the most frequent value (bitwise equal; the first run
                         of the longest), with the largest index of that run */
} SortPick;

/* Device scratch bytes cuda_sort_select needs for `total` elements. */
size_t cuda_sort_scratch(DType dt, int64_t total);
/* Sorts every line along d of `in` and writes `pick` of each to values
 * (dt) and indices (int64, positions along d). out_stride has ndim
 * entries in the input's dim numbering: entry d is the stride of the
 * picked positions (unused for the single-element picks), the others
 * those of the output's remaining dims; values and indices share them. */
KernelStatus cuda_sort_select(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                              const int64_t *in_stride, bool descending, SortPick pick, int64_t k,
                              char *values, int64_t *indices, const int64_t *out_stride,
                              void *scratch);

/* cumprod and cummax/cummin: sort.h's kernel_cumprod and
 * kernel_cummaxmin (bool cumprod is KERNEL_UNSUPPORTED). */
KERNEL_ENTRY_TYPE(kernel_cumprod) cuda_cumprod;
KERNEL_ENTRY_TYPE(kernel_cummaxmin) cuda_cummaxmin;
/* nonzero: sort.h's kernel_nonzero_* (the counting passes are a prefix sum
 * over fixed chunks, no atomics: the order is row-major and deterministic). */
KERNEL_ENTRY_TYPE(kernel_nonzero_scratch) cuda_nonzero_scratch;
KERNEL_ENTRY_TYPE(kernel_nonzero_count) cuda_nonzero_count;
KERNEL_ENTRY_TYPE(kernel_nonzero_write) cuda_nonzero_write;

#ifdef __cplusplus
}
#endif

#endif
