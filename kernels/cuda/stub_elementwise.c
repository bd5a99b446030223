/* stub_elementwise.c: cuda_elementwise.h in a build without nvcc. */
#include "cuda_elementwise.h"

/* elementwise.cu's test hook (tests/unit/test_cuda_elementwise.c) */
int cuda_elementwise_force_i64 = 0;

KernelStatus cuda_binary(BinaryOp op, DType dt, const TsrIter *it) { return KERNEL_UNSUPPORTED; }
KernelStatus cuda_unary(UnaryOp op, DType dt, const TsrIter *it) { return KERNEL_UNSUPPORTED; }
KernelStatus cuda_cast(DType out_dt, DType in_dt, const TsrIter *it) { return KERNEL_UNSUPPORTED; }
KernelStatus cuda_where(size_t elem_size, const TsrIter *it) { return KERNEL_UNSUPPORTED; }
KernelStatus cuda_softmax(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                          int64_t inner, bool log) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_copy_strided(int es, int ndim, const int64_t *shape, char *dst,
                               const int64_t *dst_stride, const char *src,
                               const int64_t *src_stride, int64_t numel) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_fill(int es, char *dst, int64_t n, const void *value) { return KERNEL_UNSUPPORTED; }
