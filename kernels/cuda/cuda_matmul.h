/* cuda_matmul.h: GEMM on the GPU. Float types go to cuBLAS (loaded with
 * dlopen on first use); integer types, the emulated device, and a machine
 * whose cuBLAS cannot be loaded use a simple kernel (one thread per output
 * element). Launches are asynchronous. */
#ifndef TSR_CUDA_MATMUL_H
#define TSR_CUDA_MATMUL_H

#include "tsr_cuda.h"

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* For each b < batch: C[b] (m x n) = A[b] (m x k) @ B[b] (k x n). Element
 * strides: bsX between batch entries (0 repeats an operand), rsX and csX rows
 * and columns. dt: float32, float64 (in their own precision, no TF32),
 * float16 and bfloat16 (float32 accumulation, like PyTorch's CUDA GEMM),
 * or an integer type (wrapping). C is overwritten. KERNEL_UNSUPPORTED for
 * bool. */
KernelStatus cuda_gemm(DType dt, int64_t batch, int64_t m, int64_t n, int64_t k, const void *a,
                       int64_t bsa, int64_t rsa, int64_t csa, const void *b, int64_t bsb,
                       int64_t rsb, int64_t csb, void *c, int64_t bsc, int64_t rsc, int64_t csc);
/* True when cuBLAS reads a rows x cols operand with these strides in place
 * (a unit stride in one dim, the other at least the extent); other operands
 * are best made contiguous first, or the simple kernel runs. */
bool cuda_gemm_strides_ok(int64_t rows, int64_t cols, int64_t rs, int64_t cs);
/* 'c' cuBLAS loaded, 'k' the simple kernel only (emulated, or no cuBLAS);
 * loads cuBLAS if not tried yet. For tests and the banner of benchmarks. */
char cuda_gemm_backend(void);

#ifdef __cplusplus
}
#endif

#endif
