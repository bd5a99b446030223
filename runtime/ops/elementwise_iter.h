/* elementwise_iter.h: the elementwise machinery of elementwise.c that
 * elementwise_ternary.c and nn.c's softmax run on: broadcast iterators over
 * kernel operands, kernel dispatch by device, operand conversion (private to
 * runtime/ops/). */
#ifndef TSR_ELEMENTWISE_ITER_H
#define TSR_ELEMENTWISE_ITER_H

#include "iter.h"
#include "kernels.h"
#include "ops.h"

/* The iterator over out and ins (all broadcast to out's shape), with raw
 * addresses (tensor_ptr): the kernel runs on out's device. */
void ew_make_iter(TsrIter *it, Tensor *out, Tensor *const *ins, int nin);
/* The where kernel (out = cond ? a : b, elements of es bytes) on dev: the
 * CUDA kernel on the GPU, else (or where it has no loop) the CPU's. */
KernelStatus ew_run_where(Device dev, size_t es, const TsrIter *it);
/* t converted to dtype by the cast kernel, no autograd (t itself, retained,
 * when it already has it). */
Tensor *ew_to_dtype(Tensor *t, DType dtype);
/* t as a kernel operand on dev in dtype (a CPU 0-dim tensor goes to the
 * GPU as a fill). */
Tensor *ew_operand(Tensor *t, DType dtype, Device dev);
/* PyTorch's result type of a and b (wrapped numbers count less). */
DType ew_result_type2(Tensor *a, Tensor *b);
/* op_binary with grad mode off (the parts of an op that records one node
 * itself). */
Tensor *ew_binary_nograd(BinaryOp op, Tensor *a, Tensor *b);
/* fma(a, b, c) in dtype (float32 or float64), broadcast, rounded once as
 * PyTorch's kernels contract `c + a * b`; no autograd. */
Tensor *ew_fma(Tensor *a, Tensor *b, Tensor *c, DType dtype);
/* The same written into out (its dtype, shape and device; a, b and c
 * broadcast to it); out may be c itself. */
bool ew_fma_into(Tensor *out, Tensor *a, Tensor *b, Tensor *c);

#endif
