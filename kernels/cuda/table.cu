/* table.cu: the CUDA backend's tables: its entry points (cuda_kernels.h)
 * and its side of the compute kernels both devices have (table.h). */
#include "cuda_kernels.h"

extern "C" const CudaKernels cuda_kernel_table = {
#define CUDA_KERNEL_ENTRY(name) &cuda_##name,
    CUDA_KERNELS(CUDA_KERNEL_ENTRY)
#undef CUDA_KERNEL_ENTRY
};

extern "C" const Kernels cuda_compute_table = {
#define CUDA_COMPUTE_ENTRY(name) &cuda_##name,
    KERNEL_TABLE(CUDA_COMPUTE_ENTRY)
#undef CUDA_COMPUTE_ENTRY
};
