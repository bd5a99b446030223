/* cuda_index.h: the CUDA indexing kernels: gather/scatter/scatter_add
 * along a dim, the advanced-index gather and put of x[idx] / x[idx] = v,
 * and a gather by flat positions. Index values must already be validated
 * by the op layer (on the host, raising PyTorch's errors); index arrays are
 * device memory. Launches are asynchronous; KERNEL_UNSUPPORTED makes the
 * op layer run its CPU loop. */
#ifndef TSR_CUDA_INDEX_H
#define TSR_CUDA_INDEX_H

#include "tsr_cuda.h"

#include "table.h"

#define CUDA_INDEX_MAX_DIMS KERNEL_MAX_DIMS

#ifdef __cplusplus
extern "C" {
#endif

/* gather, scatter and take: index.h's kernel_gather, kernel_scatter and
 * kernel_take, with indices validated by the caller (dim_size and bad are
 * not read). */
KERNEL_ENTRY_TYPE(kernel_gather) cuda_gather;
KERNEL_ENTRY_TYPE(kernel_scatter) cuda_scatter;
KERNEL_ENTRY_TYPE(kernel_take) cuda_take;

/* Advanced indexing. The result (shape/ndim) reads, for result position
 * c, the element at
 *   base + sum_d c[d] * rest_stride[d]
 *        + sum_i wrap_i(idx[i].data[sum_d c[d] * idx[i].stride[d]]) * idx[i].view_stride
 * where wrap_i adds idx[i].size to negative indices. */
#define CUDA_ADV_MAX_INDICES 8
typedef struct {
    const int64_t *data; /* device memory, validated */
    int64_t size, view_stride;
    int64_t stride[CUDA_INDEX_MAX_DIMS]; /* over the result dims */
} CudaAdvIndex;
typedef struct {
    int ndim, nidx;
    int64_t shape[CUDA_INDEX_MAX_DIMS];
    int64_t rest_stride[CUDA_INDEX_MAX_DIMS];
    CudaAdvIndex idx[CUDA_ADV_MAX_INDICES];
} CudaAdvGeom;

/* out (contiguous, result shape) = view[...]; base: the view's element 0
 * of its storage (storage data + view offset 0 = storage start). */
KernelStatus cuda_index_gather(int es, const CudaAdvGeom *g, const char *base, char *out);
/* view[...] = val, val read at val_base + sum_d c[d] * val_stride[d]. */
KernelStatus cuda_index_put(int es, const CudaAdvGeom *g, char *base, const char *val_base,
                            const int64_t *val_stride);

KERNEL_ENTRY_TYPE(kernel_mod_gather) cuda_mod_gather;

/* index_select's and take's positions: index.h's kernel_select_positions
 * (ndim >= 1) and kernel_wrap_negative, with indices validated by the
 * caller (dim_size, size and bad are not read). */
KERNEL_ENTRY_TYPE(kernel_select_positions) cuda_select_positions;
KERNEL_ENTRY_TYPE(kernel_wrap_negative) cuda_wrap_negative;

#ifdef __cplusplus
}
#endif

#endif
