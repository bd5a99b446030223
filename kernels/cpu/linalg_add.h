/* linalg_add.h: the loop of torch.addr for float32/float64 (ATen's
 * addr_kernel, cpu/LinearAlgebraKernel.cpp). No allocation. */
#ifndef TSR_KERNEL_LINALG_ADD_H
#define TSR_KERNEL_LINALG_ADD_H

#include "dtype.h"
#include "iter.h"
#include "kernels.h"

/* out = beta * self + alpha * vec1 * vec2 over the iterator's four
 * operands (out, self, vec1, vec2), all of dtype dt (float32 or float64),
 * rounded as PyTorch's AVX2 build computes it: in a row that its
 * vectorized loop takes (every operand unit-stride, or one input
 * broadcast), the elements before the last n % (2 * lanes) as
 * fma(alpha * vec1, vec2, beta * self), the others as
 * fma(beta, self, alpha * vec1 * vec2); self is not read when beta is 0. */
KernelStatus kernel_addr(DType dt, const TsrIter *it, double beta, double alpha);

#endif
