/* stub_matmul.c: cuda_matmul.h in a build without nvcc. */
#include "cuda_matmul.h"

KernelStatus cuda_gemm(DType dt, int64_t batch, int64_t m, int64_t n, int64_t k, const void *a,
                       int64_t bsa, int64_t rsa, int64_t csa, const void *b, int64_t bsb,
                       int64_t rsb, int64_t csb, void *c, int64_t bsc, int64_t rsc, int64_t csc) {
    return KERNEL_UNSUPPORTED;
}
bool cuda_gemm_strides_ok(int64_t rows, int64_t cols, int64_t rs, int64_t cs) { return false; }
char cuda_gemm_backend(void) { return 'n'; }
