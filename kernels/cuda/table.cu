/* table.cu: the CUDA backend's table of entry points (cuda_kernels.h). */
#include "cuda_kernels.h"

extern "C" const CudaKernels cuda_kernel_table = {
#define CUDA_KERNEL_ENTRY(name) &cuda_##name,
    CUDA_KERNELS(CUDA_KERNEL_ENTRY)
#undef CUDA_KERNEL_ENTRY
};
