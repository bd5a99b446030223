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

/* torch.memory_format, as c10's MemoryFormat. */
typedef enum { MEMFMT_CONTIGUOUS, MEMFMT_CHANNELS_LAST, MEMFMT_CHANNELS_LAST_3D, MEMFMT_PRESERVE } MemFormat;

/* The rank a channels-last format needs (4 or 5), 0 for the others. */
int layout_format_rank(MemFormat f);
/* False with c10's "required rank 4 tensor to use channels_last format"
 * when f needs a rank ndim is not. */
bool layout_check_format_rank(int ndim, MemFormat f);
/* Tensor.is_contiguous(memory_format=f): c10's channels-last contiguity
 * (dims C, W, H, N (3d: C, W, H, D, N) dense in that order, size-1 dims
 * ignored); plain contiguity for the others. */
bool layout_is_format(const Tensor *t, MemFormat f);
/* c10's get_channels_last_strides_2d/3d for a rank-4 or rank-5 shape. */
void layout_channels_last_strides(int ndim, const int64_t *shape, int64_t *out);
/* suggest_memory_format: channels-last when t's strides look like it
 * (c10's is_channels_last_strides_2d/3d), else contiguous. */
MemFormat layout_suggest_format(const Tensor *t);
/* layout_restride_fresh for *_like(memory_format=f): like's layout for
 * preserve, contiguous strides for contiguous, channels-last strides (t
 * must have the format's rank) otherwise. */
void layout_restride_format(Tensor *t, const Tensor *like, MemFormat f);

#endif
