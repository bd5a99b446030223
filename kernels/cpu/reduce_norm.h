/* reduce_norm.h: ATen 1.13's vector-norm reduction on the CPU
 * (ReduceOpsKernel.cpp's norm_kernel_tensor_iterator_impl), for float32
 * and float64, in PyTorch's order of accumulation (no allocation). */
#ifndef TSR_KERNEL_REDUCE_NORM_H
#define TSR_KERNEL_REDUCE_NORM_H

#include "kernels.h"
#include "reduce.h"

/* The ord-p norm of every output's reduced elements of in (dtype dt),
 * written row-major into out (dtype dt):
 * - float32, p == 2 over one contiguous (coalesced) reduced dim: ATen's vectorised
 *   row loop (lane accumulators, then lanes folded in order, then the
 *   tail), with fused multiply-adds under the AVX2/AVX-512 capabilities;
 * - otherwise each output accumulates its elements one by one in
 *   TensorIterator's order (reduced dims sorted by input stride), with
 *   NormZeroOps, NormOneOps, NormTwoOps, AbsMaxOps, AbsMinOps or NormOps.
 * KERNEL_UNSUPPORTED for other dtypes. */
KernelStatus kernel_norm(DType dt, const ReduceGeom *g, const char *in, char *out, double p);

#endif
