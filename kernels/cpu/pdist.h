/* pdist.h: the CPU loops of _pdist_forward and _pdist_backward, and of
 * _cdist_forward and _cdist_backward (ATen's
 * DistanceOpsKernel.cpp) over a contiguous n x m float32 / float64 input.
 * The forward reduces each pair's row with vec::map2_reduce_all (lanes of
 * 8 floats / 4 doubles across the row, the last partial vector updating
 * its own lanes, float lanes folded by the AVX2 shuffle tree, doubles in
 * order; rows shorter than a vector summed in order; the p = 2 map-add
 * fused as GCC contracts it with -mfma). The backward runs down each
 * column, lane by lane. pow (general p) is vec_math's vector pow (Sleef,
 * as ATen's Vectorized<T>::pow). */
#ifndef TSR_KERNEL_PDIST_H
#define TSR_KERNEL_PDIST_H

#include <stdint.h>

#include "kernels.h"

/* out: n * (n - 1) / 2 distances */
void kernel_pdist(DType dt, const void *x, int64_t n, int64_t m, double p, void *out);
/* gin (n x m) from grad and dist (n * (n - 1) / 2 each, contiguous) */
void kernel_pdist_backward(DType dt, const void *grad, const void *x, int64_t n, int64_t m, double p,
                           const void *dist, void *gin);

/* cdist over nb batches of contiguous r1 x m and r2 x m inputs: out
 * nb x r1 x r2 (ATen's scalar loop, DistanceOpsKernel.cpp's cdist) */
void kernel_cdist(DType dt, const void *x1, const void *x2, int64_t nb, int64_t r1, int64_t r2, int64_t m, double p,
                  void *out);
/* _cdist_backward: gin (nb x r1 x m) from grad and dist (nb x r1 x r2) */
void kernel_cdist_backward(DType dt, const void *grad, const void *x1, const void *x2, int64_t nb, int64_t r1,
                           int64_t r2, int64_t m, double p, const void *dist, void *gin);

#endif
