/* cuda_kernels.h: the CUDA backend as one table of entry points.
 *
 * Layers above kernels/ reach the GPU only through tsr_cuda (device.h), a
 * pointer to cuda_kernel_table, or NULL in a build without CUDA: that build
 * links no kernels/cuda object at all, and a CUDA tensor cannot exist in it,
 * so no call through the table is reached there. Each entry's signature and
 * contract are the prototype's in its family header (cuda_elementwise.h,
 * ...); the table takes their types, so a signature is written once. */
#ifndef TSR_CUDA_KERNELS_H
#define TSR_CUDA_KERNELS_H

#include "cuda_elementwise.h"
#include "cuda_index.h"
#include "cuda_matmul.h"
#include "cuda_random.h"
#include "cuda_reduce.h"
#include "cuda_sort.h"
#include "cuda_values.h"
#include "table.h"
#include "tsr_cuda.h"

/* X(name): the entry cuda_<name> of the family headers. The compute
 * kernels both devices have are not here but in cuda_compute_table, the
 * CUDA side of kernels/cpu/table.h's Kernels. */
#define CUDA_KERNELS(X)                                                                    \
    /* the device runtime (tsr_cuda.h) */                                                  \
    X(build_kind) X(init) X(device_count) X(device_name) X(total_memory) X(last_error)     \
    X(driver_version) X(raw_alloc) X(raw_free) X(sync) X(memcpy) X(memset0) X(pending)    \
    /* elementwise */                                                                      \
    X(copy_strided) X(fill)                                                                \
    X(elementwise_force_i64)                                                               \
    /* index */                                                                            \
    X(index_gather) X(index_put)                                                           \
    /* matmul */                                                                           \
    X(gemm) X(gemm_strides_ok)                                                             \
    /* random */                                                                           \
    X(rand_uniform) X(rand_normal) X(rand_int) X(rand_exponential) X(rand_bernoulli)       \
    /* values */                                                                           \
    X(range_check)

#ifdef __cplusplus
#define CUDA_ENTRY_TYPE(e) decltype(e)
#else
#define CUDA_ENTRY_TYPE(e) __typeof__(e)
#endif

typedef struct {
#define CUDA_KERNEL_FIELD(name) CUDA_ENTRY_TYPE(cuda_##name) *name;
    CUDA_KERNELS(CUDA_KERNEL_FIELD)
#undef CUDA_KERNEL_FIELD
} CudaKernels;

#ifdef __cplusplus
extern "C" {
#endif
/* table.cu; linked only in a build with CUDA (real or emulated) */
extern const CudaKernels cuda_kernel_table;
extern const Kernels cuda_compute_table;
#ifdef __cplusplus
}
#endif

#endif
