/* layout.h: the memory layout PyTorch gives a new tensor.
 *
 * PyTorch keeps the layout of its inputs: x.t() + 1, x.t().clone() and
 * torch.zeros_like(x.t()) all have strides (1, n), not (n, 1). A teacher
 * showing strides sees what PyTorch shows only if tsr follows the same
 * rules (c10's is_non_overlapping_and_dense and infer_dense_strides,
 * TensorIterator's reorder_dimensions). Strides are in elements. */
#ifndef TSR_LAYOUT_H
#define TSR_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "tensor.h"

/* c10's is_non_overlapping_and_dense: the elements fill a block of memory
 * exactly, in some dim order. */
bool layout_is_dense(int ndim, const int64_t *shape, const int64_t *stride);
/* c10's infer_dense_strides: dense strides in the order of stride's
 * (zero-stride dims keep their contiguous place). */
void layout_infer_dense(int ndim, const int64_t *shape, const int64_t *stride, int64_t *out);

/* empty_like(t, memory_format=preserve): t's strides when t is dense, else
 * infer_dense_strides (clone, .to(), *_like). */
Tensor *layout_empty_like(const Tensor *t, DType dtype, Device dev);
/* The output of an elementwise op over ins (broadcast to shape), as
 * TensorIterator allocates it: contiguous when every input is, else
 * ordered by the inputs' strides. NULL entries in ins are skipped. */
Tensor *layout_empty_elementwise(DType dtype, int ndim, const int64_t *shape, Device dev,
                                 Tensor *const *ins, int nin);
/* Gives t the strides layout_empty_like would have given it for like. t is
 * new and contiguous, and what it holds does not depend on the order its
 * storage is read in: one value everywhere (zeros_like, full_like), or
 * draws made element by element in memory order (rand_like, as PyTorch's
 * iterator fills a dense tensor). */
void layout_restride_fresh(Tensor *t, const Tensor *like);
/* A new uninitialised tensor with the given strides (which must describe
 * a dense block). */
Tensor *layout_empty_strided(DType dtype, int ndim, const int64_t *shape, const int64_t *stride,
                             Device dev);

#endif
