/* cuda_reduce.h: the CUDA reduction kernels (sum/prod/min/max/all/any/
 * var/std over a ReduceGeom, cumsum along a dim). The contracts are those
 * of kernels/cpu/reduce.h, with device addresses; launches are
 * asynchronous. KERNEL_UNSUPPORTED makes the op layer run the CPU kernel.
 *
 * Reductions are deterministic run to run (no atomics): a first launch in
 * which each thread reduces a fixed strided subset of one output's
 * elements into a partial, then launches that combine fixed groups of
 * partials in order. The partials live in `scratch`, device memory of
 * cuda_reduce_scratch() bytes that the caller allocates (NULL when that is
 * 0): kernels allocate nothing. */
#ifndef TSR_CUDA_REDUCE_H
#define TSR_CUDA_REDUCE_H

#include "tsr_cuda.h"

#include "kernels.h"
#include "reduce.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/* reduce.h's reductions; scratch: device memory of cuda_reduce_scratch(g)
 * bytes (NULL when that is 0). cuda_sum divides by div >= 0 in the
 * accumulation type, as kernel_sum does (mean). */
KERNEL_ENTRY_TYPE(kernel_reduce_scratch) cuda_reduce_scratch;
KERNEL_ENTRY_TYPE(kernel_sum) cuda_sum;
KERNEL_ENTRY_TYPE(kernel_prod) cuda_prod;
KERNEL_ENTRY_TYPE(kernel_minmax) cuda_minmax;
KERNEL_ENTRY_TYPE(kernel_allany) cuda_allany;
KERNEL_ENTRY_TYPE(kernel_var) cuda_var;
/* reduce.h's kernel_cumsum, one thread per line; float types accumulate
 * in double like the CPU kernel. */
KERNEL_ENTRY_TYPE(kernel_cumsum) cuda_cumsum;

#ifdef __cplusplus
}
#endif

#endif
