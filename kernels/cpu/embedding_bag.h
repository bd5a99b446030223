/* embedding_bag.h: the loops of torch.embedding_bag (1.13's
 * EmbeddingBag.cpp) over contiguous host data: float32 or float64 rows
 * (dt), int64 indices. No allocation, no errors raised: a bad index comes
 * back as *bad_pos / *bad_idx with a non-OK status. */
#ifndef TSR_KERNEL_EMBEDDING_BAG_H
#define TSR_KERNEL_EMBEDDING_BAG_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"
#include "kernels.h"

typedef struct {
    DType dt;            /* float32 or float64 */
    int64_t num_weights; /* rows of weight */
    int64_t dim;         /* columns of weight (and of out) */
    const void *weight;  /* num_weights x dim */
    int64_t n;           /* indices */
    const int64_t *indices;
    const int64_t *offset2bag; /* n: each index's bag (the slow paths, max) */
    const int64_t *bounds;     /* num_bags + 1: each bag's [begin, end) (the fast path) */
    const void *psw;           /* per_sample_weights (n, dt) or NULL */
    int64_t num_bags;
    int64_t padding_idx; /* < 0: none */
    void *out;           /* num_bags x dim, zeroed by the caller */
    int64_t *bag_size;   /* num_bags, decremented per padded index (slow paths, max) */
    int64_t *max_indices; /* num_bags x dim (max) */
} EmbeddingBagLoop;

/* sum (also mean before its division), the fast path: caffe2's
 * EmbeddingLookupIdx, each bag out = fma(w, row, out) over its range in
 * order (w 1 without psw); a bad index: its position among the indices. */
KernelStatus kernel_embedding_bag_lookup(const EmbeddingBagLoop *a, int64_t *bad_pos, int64_t *bad_idx);
/* sum, the slow path (padding_idx, float64): out[bag] += row (axpy with 1)
 * or += row * psw, over the indices in order. */
KernelStatus kernel_embedding_bag_add(const EmbeddingBagLoop *a, int64_t *bad_idx);
/* max: embedding_bag_cpu_max_out. */
KernelStatus kernel_embedding_bag_max(const EmbeddingBagLoop *a, int64_t *bad_idx);

/* The dense backward of sum/mean for indices sorted (indices.sort()'s
 * order) with their bags (offset2bag of each sorted position) and psw in
 * the same order (or NULL): per run of equal indices (not padding_idx),
 * for each j in the run, gw[index] += scale * grad[bag] (cpublas::axpy,
 * fused per element), scale = psw[j] (or 1), / counts[sorted[run
 * number]] when by_freq, / bag_size[bag] (mean, nonzero), computed in
 * double. counts: num_weights zeroed int64. Indices outside
 * [0, num_weights) (past the last offset, never checked) and bags
 * outside [0, num_bags) are skipped, here and below. */
void kernel_embedding_bag_backward_sum(DType dt, int64_t n, const int64_t *sorted, const int64_t *bags,
                                       const void *psw, const int64_t *bag_size, bool mean, bool by_freq,
                                       int64_t padding_idx, int64_t num_weights, int64_t num_bags, int64_t dim,
                                       const void *grad, int64_t *counts, void *gw);
/* max: gw[max_indices[b, d], d] += grad[b, d] over the bags with a
 * nonzero bag_size, in order. */
void kernel_embedding_bag_backward_max(DType dt, int64_t num_weights, int64_t num_bags, int64_t dim,
                                       const int64_t *bag_size, const int64_t *max_indices, const void *grad,
                                       void *gw);
/* per_sample_weights' gradient: out[i] = grad[bag_i] . weight[idx_i]
 * (dot_impl), 0 for padding_idx. */
void kernel_embedding_bag_backward_psw(DType dt, int64_t n, const int64_t *indices, const int64_t *offset2bag,
                                       int64_t padding_idx, int64_t num_weights, int64_t num_bags, int64_t dim,
                                       const void *grad, const void *weight, void *out);

#endif
