/* matrix_exp.h: the linear combinations of torch.linalg.matrix_exp's
 * Taylor polynomials (ATen's _compute_linear_combination_cpu_kernel,
 * cpu/LinearAlgebraKernel.cpp). No allocation. */
#ifndef TSR_KERNEL_MATRIX_EXP_H
#define TSR_KERNEL_MATRIX_EXP_H

#include <stdint.h>

#include "dtype.h"

/* out[i][e] = sum over j < k of coef[i][j] * in[j][e], for i < m and
 * e < numel: each out starts at 0 and adds the terms in j order, as
 * fma(in, coef, out) in float32/float64 (PyTorch's AVX2 build contracts
 * `*out += in * coef`) and as a product rounded to dt, then a sum rounded
 * to dt, in the 16-bit floats. coef holds the m x k coefficients row-major
 * as elements of dt (ATen reads its blob with the input's dtype). The
 * in[j] and out[i] are contiguous, numel elements of dt each. */
void kernel_linear_combination(DType dt, int m, int k, int64_t numel, const void *const *in, const void *coef,
                               void *const *out);

#endif
