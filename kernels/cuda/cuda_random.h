/* cuda_random.h: random fills of CUDA tensors from a Philox4x32-10
 * counter-based generator (the algorithm of PyTorch's CUDA generator).
 *
 * The stream (documented in random.cu) is a function of (seed, offset,
 * element position) only: element i of a fill (row-major over the
 * tensor's shape) draws the Philox block with key = seed and counter =
 * (i, offset), so results do not depend on the launch configuration and
 * the emulated device draws the same numbers as a GPU. The caller
 * advances the offset once per fill. It is not PyTorch's exact CUDA
 * stream (that depends on PyTorch's grid sizes for the device). */
#ifndef TSR_CUDA_RANDOM_H
#define TSR_CUDA_RANDOM_H

#include "tsr_cuda.h"

#include "kernels.h"

#define CUDA_RAND_MAX_DIMS 25

#ifdef __cplusplus
extern "C" {
#endif

/* The elements written: shape and element strides of the tensor. */
typedef struct {
    int ndim;
    int64_t shape[CUDA_RAND_MAX_DIMS];
    int64_t stride[CUDA_RAND_MAX_DIMS];
} CudaRandGeom;

/* Philox4x32-10 (Salmon et al. 2011) of one block, for tests. */
void cuda_philox(uint64_t seed, uint64_t c_lo, uint64_t c_hi, uint32_t out[4]);

/* Float dtypes: [from, to) with dtype-many random bits, as the CPU's. */
KernelStatus cuda_rand_uniform(DType dt, const CudaRandGeom *g, char *data, double from, double to,
                               uint64_t seed, uint64_t offset);
/* Float dtypes: Box-Muller. */
KernelStatus cuda_rand_normal(DType dt, const CudaRandGeom *g, char *data, double mean, double std,
                              uint64_t seed, uint64_t offset);
/* from + (random % range), range 0 meaning a raw 64-bit draw; 64-bit
 * draws where range >= 2^32. Stored as the dtype (any but none). */
KernelStatus cuda_rand_int(DType dt, const CudaRandGeom *g, char *data, int64_t from, uint64_t range,
                           uint64_t seed, uint64_t offset);
/* Float dtypes: -1/lambd * log(1 - u). */
KernelStatus cuda_rand_exponential(DType dt, const CudaRandGeom *g, char *data, double lambd,
                                   uint64_t seed, uint64_t offset);
/* 1 where u < p: p a number (pdata NULL) or read at pdata with pstride
 * (over g's shape) of float dtype pdt; u is double for a number or a
 * float64 p, else float (as the CPU's). */
KernelStatus cuda_rand_bernoulli(DType dt, const CudaRandGeom *g, char *data, double p,
                                 const char *pdata, DType pdt, const int64_t *pstride, uint64_t seed,
                                 uint64_t offset);

#ifdef __cplusplus
}
#endif

#endif
