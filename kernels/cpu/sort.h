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
