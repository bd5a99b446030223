/* cuda_elementwise.h: the CUDA elementwise, copy and fill kernels.
 * Same contracts as the CPU kernels of kernels/cpu/kernels.h and copy.h
 * (operands described by a TsrIter whose data pointers are device
 * addresses); launches are asynchronous. KERNEL_UNSUPPORTED makes the op
 * layer fall back to the CPU kernel (after cuda_sync). */
#ifndef TSR_CUDA_ELEMENTWISE_H
#define TSR_CUDA_ELEMENTWISE_H

#include "kernels.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

KERNEL_ENTRY_TYPE(kernel_binary) cuda_binary;
KERNEL_ENTRY_TYPE(kernel_unary) cuda_unary;
KERNEL_ENTRY_TYPE(kernel_cast) cuda_cast;
KERNEL_ENTRY_TYPE(kernel_where) cuda_where;
KERNEL_ENTRY_TYPE(kernel_fma) cuda_fma;
KERNEL_ENTRY_TYPE(kernel_softmax) cuda_softmax;
/* kernel_copy_strided's contract (dims innermost first, element strides). */
KernelStatus cuda_copy_strided(int es, int ndim, const int64_t *shape, char *dst,
                               const int64_t *dst_stride, const char *src,
                               const int64_t *src_stride, int64_t numel);
/* n contiguous elements of es bytes, each set to the bytes at value (host). */
KernelStatus cuda_fill(int es, char *dst, int64_t n, const void *value);
/* Test hook (tests/unit/test_cuda_elementwise.c): nonzero forces the 64-bit
 * index path, which real tensors only take past 2^31 elements or bytes. */
extern int cuda_elementwise_force_i64;

#ifdef __cplusplus
}
#endif

#endif
