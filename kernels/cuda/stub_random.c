/* stub_random.c: cuda_random.h in a build without nvcc. */
#include "cuda_random.h"

void cuda_philox(uint64_t seed, uint64_t c_lo, uint64_t c_hi, uint32_t out[4]) {
    out[0] = out[1] = out[2] = out[3] = 0;
}
KernelStatus cuda_rand_uniform(DType dt, const CudaRandGeom *g, char *data, double from, double to,
                               uint64_t seed, uint64_t offset) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_rand_normal(DType dt, const CudaRandGeom *g, char *data, double mean, double std,
                              uint64_t seed, uint64_t offset) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_rand_int(DType dt, const CudaRandGeom *g, char *data, int64_t from, uint64_t range,
                           uint64_t seed, uint64_t offset) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_rand_exponential(DType dt, const CudaRandGeom *g, char *data, double lambd,
                                   uint64_t seed, uint64_t offset) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_rand_bernoulli(DType dt, const CudaRandGeom *g, char *data, double p,
                                 const char *pdata, DType pdt, const int64_t *pstride, uint64_t seed,
                                 uint64_t offset) {
    return KERNEL_UNSUPPORTED;
}
