/* matmul.h: CPU GEMM (BLIS for float32/float64, a blocked loop for
 * integers). No allocation. Strides are in elements. */
#ifndef TSR_KERNEL_MATMUL_H
#define TSR_KERNEL_MATMUL_H

#include <stdint.h>

#include "dtype.h"

/* C (m x n) = A (m x k) @ B (k x n). For float32/float64 each operand
 * must have unit row or column stride (BLIS); C is overwritten. dt is
 * float32, float64 or an integer type (wrapping arithmetic). */
void kernel_gemm(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t rsa,
                 int64_t csa, const void *b, int64_t rsb, int64_t csb, void *c, int64_t rsc,
                 int64_t csc);

#endif
