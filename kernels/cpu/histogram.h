/* histogram.h: the loops of bincount, histc/histogram and
 * searchsorted/bucketize (ATen's SummaryOps.cpp, cpu/HistogramKernel.cpp,
 * Bucketization.cpp). Contiguous operands, no allocation. */
#ifndef TSR_KERNEL_HISTOGRAM_H
#define TSR_KERNEL_HISTOGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"

/* out[in[i]] += 1 (out int64, w NULL) or += w[i] (out and w of wdt,
 * float32 or float64); in: n non-negative integers of dtype dt. */
void kernel_bincount(DType dt, int64_t n, const void *in, DType wdt, const void *w, void *out);

typedef enum { HIST_LINEAR, HIST_LINEAR_LOCAL_SEARCH, HIST_BINARY_SEARCH } HistAlgorithm;
/* histogramdd_cpu_contiguous for one dimension: each of the n elements
 * of in (dtype dt: a float type) inside [edges[0], edges[nedges-1]]
 * adds w[i] (1 when w is NULL) to hist[pos] (in dt's arithmetic), pos
 * chosen by alg as ATen chooses it. hist (nedges - 1 of dt) is zeroed
 * first. */
void kernel_histogram(DType dt, int64_t n, const void *in, const void *w, const void *edges, int64_t nedges,
                      HistAlgorithm alg, void *hist);

/* the same over n points of D coordinates (in: n x D), edges[d] the
 * nedges[d] edges of dimension d; hist (the product of nedges[d] - 1,
 * row-major) is zeroed first; a point outside any dimension's edges
 * counts nowhere */
void kernel_histogramdd(DType dt, int64_t n, int64_t D, const void *in, const void *w, const void *const *edges,
                        const int64_t *nedges, HistAlgorithm alg, void *hist);

/* searchsorted_cpu_contiguous: out[i] (int32 or int64, out_dt) is the
 * insertion point of in[i] into the sorted run of bd it belongs to (all
 * of bd's nbd elements when bd_1d, else run i / in_inner, each of
 * nbd elements), the first position whose value is >= (right: >) the
 * element; sorter (int64, NULL for none) orders each run. in and bd of
 * dtype dt. */
void kernel_searchsorted(DType dt, int64_t n, const void *in, int64_t in_inner, const void *bd, int64_t nbd,
                         bool bd_1d, const int64_t *sorter, bool right, DType out_dt, void *out);

#endif
