/* cuda_elementwise.h: the CUDA elementwise, copy and fill kernels.
 * Same contracts as the CPU kernels of kernels/cpu/kernels.h and copy.h
 * (operands described by a TsrIter whose data pointers are device
 * addresses); launches are asynchronous. KERNEL_UNSUPPORTED makes the op
 * layer fall back to the CPU kernel (after cuda_sync). */
#ifndef TSR_CUDA_ELEMENTWISE_H
#define TSR_CUDA_ELEMENTWISE_H

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

KernelStatus cuda_binary(BinaryOp op, DType dt, const TsrIter *it);
KernelStatus cuda_unary(UnaryOp op, DType dt, const TsrIter *it);
KernelStatus cuda_cast(DType out_dt, DType in_dt, const TsrIter *it);
KernelStatus cuda_where(size_t elem_size, const TsrIter *it);
KernelStatus cuda_softmax(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                          int64_t inner, bool log);
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
