/* reduce.h: CPU reduction kernels over strided data (no allocation).
 *
 * A reduction is described by ReduceGeom: the kept ("out") dims with the
 * input's strides, and the reduced dims with theirs (elements, row-major).
 * Outputs are written contiguously in row-major order of out_shape. */
#ifndef TSR_KERNEL_REDUCE_H
#define TSR_KERNEL_REDUCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtype.h"
#include "kernels.h"

#define RED_MAX_DIMS 25

typedef struct {
    int nout;
    int64_t out_shape[RED_MAX_DIMS];
    int64_t out_stride[RED_MAX_DIMS];
    int nred;
    int64_t red_shape[RED_MAX_DIMS];
    int64_t red_stride[RED_MAX_DIMS];
} ReduceGeom;

/* The reductions, with the CUDA kernels' signatures (cuda_reduce.h):
 * scratch is reduce_scratch(g) bytes on the device (the CPU needs none:
 * 0, and NULL is passed). */
size_t kernel_reduce_scratch(const ReduceGeom *g);
/* Sum / product; output dtype == input dtype. Floats sum with PyTorch's
 * cascade order (float32 accumulators for float32/half/bfloat16); ints
 * wrap around in int64. div >= 0 (mean): every sum is then divided by
 * div, in double for float64, else in float; -1: no division. */
KernelStatus kernel_sum(DType dt, const ReduceGeom *g, const char *in, char *out, double div,
                        void *scratch);
KernelStatus kernel_prod(DType dt, const ReduceGeom *g, const char *in, char *out, void *scratch);
/* Max/min with NaN propagation and first-occurrence ties. values (same
 * dtype as input) and/or indices (row-major position within the reduced
 * dims) may be NULL. Every reduction must be non-empty. */
KernelStatus kernel_minmax(DType dt, const ReduceGeom *g, const char *in, char *values,
                           int64_t *indices, bool is_max, void *scratch);
/* all/any: writes out_dt (bool or uint8) 0/1. */
KernelStatus kernel_allany(DType dt, const ReduceGeom *g, const char *in, DType out_dt, char *out,
                           bool is_all, void *scratch);
/* variance (or std) with correction, computed in double (Welford), stored
 * as dt; mean (may be NULL) gets Welford's mean, as ATen's var_mean. */
KernelStatus kernel_var(DType dt, const ReduceGeom *g, const char *in, char *out, char *mean, int64_t correction,
                        bool take_sqrt, void *scratch);
/* The reduced dims of g (size > 1) in TensorIterator's order, innermost
 * first: reorder_dimensions starts from the last dim and insertion-sorts
 * by input stride, equal strides by size; a stride-0 (broadcast) dim
 * compares as a tie and never moves. */
typedef struct {
    int n;
    int64_t shape[RED_MAX_DIMS], stride[RED_MAX_DIMS];
} ReduceOrder;
void kernel_reduce_order(const ReduceGeom *g, ReduceOrder *r);
/* ATen's std_var_all_cpu: the sum of (x - mean)^2 in double over the
 * reduced elements of a float32 or float64 tensor (g has one output), in
 * TensorIterator's order (kernel_reduce_order, then coalesced), each 2-d
 * slab of the two innermost dims summed on its own and added to the total. */
double kernel_var_all_sum(DType dt, const ReduceGeom *g, const char *data, double mean);
/* cumulative sum along one dim of length n (in/out strides in elements),
 * for `count` lines given by line offsets. Float32 accumulates in double
 * like PyTorch's CPU kernel. in and out have the same dtype. */
void kernel_cumsum_line(DType dt, const char *in, int64_t in_stride, char *out, int64_t out_stride,
                        int64_t n);
/* Cumulative sum along d of every line of in into out (lines.h;
 * element strides), kernel_cumsum_line on each. */
KernelStatus kernel_cumsum(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                           const int64_t *in_stride, char *out, const int64_t *out_stride);
#endif
