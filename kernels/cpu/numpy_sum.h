/* numpy_sum.h: numpy 1.24's float and complex add.reduce, in numpy's order.
 *
 * numpy sums a contiguous run with pairwise_sum (8 accumulators up to
 * 128 elements, halves above), one call per buffer of 8192 elements, each
 * added into the output (which starts at the identity 0); when the
 * innermost run is kept rather than reduced, the outer reduced axes
 * accumulate element by element in C order. The array is described as
 * runs of coalesced axes, outermost first, each reduced or kept.
 */
#ifndef TSR_KERNEL_NUMPY_SUM_H
#define TSR_KERNEL_NUMPY_SUM_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"

#define NP_SUM_MAX_RUNS 64

typedef struct NpSumRuns {
    int n;
    int64_t len[NP_SUM_MAX_RUNS];
    bool reduced[NP_SUM_MAX_RUNS];
} NpSumRuns;

/* in: C-contiguous; out: the kept elements in C order, zeroed by the
 * caller (numpy's identity) */
void kernel_np_sum_f64(const NpSumRuns *r, const double *in, double *out);
void kernel_np_sum_f32(const NpSumRuns *r, const float *in, float *out);
/* complex add.reduce (numpy's pairwise sum over the interleaved parts) */
void kernel_np_sum_c128(const NpSumRuns *r, const tsr_cdouble *in, tsr_cdouble *out);
void kernel_np_sum_c64(const NpSumRuns *r, const tsr_cfloat *in, tsr_cfloat *out);

#endif
