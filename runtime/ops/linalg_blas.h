/* linalg_blas.h: the float32/float64 BLAS path of linalg.c's products,
 * shared with linalg_add.c's addmv, addbmm and baddbmm (private to
 * runtime/ops/). */
#ifndef TSR_LINALG_BLAS_H
#define TSR_LINALG_BLAS_H

#include <stdbool.h>
#include <stdint.h>

#include "tensor.h"

/* a and b both on the CPU, one dtype, float32 or float64 */
bool blas_pair(const Tensor *a, const Tensor *b);
/* ATen's addmm_impl_cpu_ into the rm x rn result at rp (element strides
 * rs0, rs1), which holds self already when beta != 0: one gemm of m1
 * (rm x k) and m2 (k x rn), 2-D, k > 0. False with an error raised. */
bool blas_addmm(char *rp, int64_t rm, int64_t rn, int64_t rs0, int64_t rs1, Tensor *m1, Tensor *m2, double beta,
                double alpha);

#endif
