/* cuda_values.h: the CUDA twins of kernels/cpu/values.h (arange,
 * linspace, eye's strided fill, tril, nan_to_num: the same values as the CPU
 * loops, so a tensor prints alike on both devices), and a range check over
 * a strided tensor for the op layer's validation (bernoulli's p, index
 * bounds). Launches are asynchronous; KERNEL_UNSUPPORTED makes the op
 * layer run the CPU kernel. */
#ifndef TSR_CUDA_VALUES_H
#define TSR_CUDA_VALUES_H

#include "tsr_cuda.h"

#include "kernels.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* values.h's kernels. */
KERNEL_ENTRY_TYPE(kernel_arange) cuda_arange;
KERNEL_ENTRY_TYPE(kernel_linspace) cuda_linspace;
KERNEL_ENTRY_TYPE(kernel_fill_strided) cuda_fill_strided;
KERNEL_ENTRY_TYPE(kernel_tril) cuda_tril;
KERNEL_ENTRY_TYPE(kernel_nan_to_num) cuda_nan_to_num;

/* *flag = 1 (device memory, one byte the caller zeroed) when an element of
 * the strided tensor (ndim <= CUDA_VALUES_MAX_DIMS, element strides) is
 * NaN or outside [lo, hi]. Every thread that finds one stores the same 1,
 * so the result does not depend on the order threads run in. */
#define CUDA_VALUES_MAX_DIMS 25
KernelStatus cuda_range_check(DType dt, int ndim, const int64_t *shape, const int64_t *stride,
                              const char *data, double lo, double hi, uint8_t *flag);

#ifdef __cplusplus
}
#endif

#endif
