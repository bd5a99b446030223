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

/* Device scratch bytes any reduction of this geometry needs (0: none). */
size_t cuda_reduce_scratch(const ReduceGeom *g);

/* kernel_sum; when div >= 0 every result is then divided by div in the
 * accumulation type, as op_mean does on the host (mean); -1: no division. */
KernelStatus cuda_sum(DType dt, const ReduceGeom *g, const char *in, char *out, double div,
                      void *scratch);
KernelStatus cuda_prod(DType dt, const ReduceGeom *g, const char *in, char *out, void *scratch);
KernelStatus cuda_minmax(DType dt, const ReduceGeom *g, const char *in, char *values,
                         int64_t *indices, bool is_max, void *scratch);
KernelStatus cuda_allany(DType dt, const ReduceGeom *g, const char *in, DType out_dt, char *out,
                         bool is_all, void *scratch);
KernelStatus cuda_var(DType dt, const ReduceGeom *g, const char *in, char *out,
                      int64_t correction, bool take_sqrt, void *scratch);
/* reduce.h's kernel_cumsum, one thread per line; float types accumulate
 * in double like the CPU kernel. */
KERNEL_ENTRY_TYPE(kernel_cumsum) cuda_cumsum;

#ifdef __cplusplus
}
#endif

#endif
