/* cuda_values.h: CUDA kernels that compute each element's value from its
 * position (arange, linspace, a strided fill for eye's diagonal), or from
 * the element alone (nan_to_num), and a range check over a strided tensor
 * for the op layer's validation (bernoulli's p, index bounds). Same values
 * as the CPU code they replace (runtime/ops_create.c, ops_extra.c), so a
 * tensor prints alike on both devices. Launches are asynchronous;
 * KERNEL_UNSUPPORTED makes the op layer run its CPU loop. */
#ifndef TSR_CUDA_VALUES_H
#define TSR_CUDA_VALUES_H

#include "tsr_cuda.h"

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* n elements of arange, as op_arange's CPU loop: integer dtypes
 * istart + istep * i (wrapping); float dtypes fma(step, i, start), except
 * that i < nvec (a multiple of lanes) takes fma(step, i % lanes, base)
 * with base = fma(step, i - i % lanes, start), rounded to float unless
 * float64 (the CPU's vectorised chunks). */
KernelStatus cuda_arange(DType dt, char *data, int64_t n, double start, double step, int64_t istart,
                         int64_t istep, int64_t lanes, int64_t nvec);
/* steps (>= 2) elements of linspace, as op_linspace's CPU loop: float32,
 * float16 and bfloat16 in float from fs, fe, fst (vectorised chunks of
 * `lanes` below nvec: a chunk base plus lane * fst, not fused); other
 * dtypes in double from ds, de, dst. Element i < steps / 2 counts from
 * the start, the others back from the end. */
KernelStatus cuda_linspace(DType dt, char *data, int64_t steps, float fs, float fe, float fst, double ds,
                           double de, double dst, int64_t lanes, int64_t nvec);
/* data[i * stride] = the es bytes at value (host) for i < n. */
KernelStatus cuda_fill_strided(int es, char *data, int64_t n, int64_t stride, const void *value);
/* n contiguous float elements: NaN -> nan, +inf -> posinf, -inf -> neginf
 * (each converted to dt as dtype_store_f64 converts). */
KernelStatus cuda_nan_to_num(DType dt, char *data, int64_t n, double nan, double posinf, double neginf);

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
