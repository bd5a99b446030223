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

/* sort and the sorted selections: sort.h's kernel_sort_scratch and
 * kernel_sort_select (scratch: device memory). */
KERNEL_ENTRY_TYPE(kernel_sort_scratch) cuda_sort_scratch;
KERNEL_ENTRY_TYPE(kernel_sort_select) cuda_sort_select;
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
