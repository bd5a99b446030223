/* stub_reduce.c: cuda_reduce.h in a build without nvcc. */
#include "cuda_reduce.h"

size_t cuda_reduce_scratch(const ReduceGeom *g) { return 0; }
KernelStatus cuda_sum(DType dt, const ReduceGeom *g, const char *in, char *out, double div,
                      void *scratch) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_prod(DType dt, const ReduceGeom *g, const char *in, char *out, void *scratch) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_minmax(DType dt, const ReduceGeom *g, const char *in, char *values,
                         int64_t *indices, bool is_max, void *scratch) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_allany(DType dt, const ReduceGeom *g, const char *in, DType out_dt, char *out,
                         bool is_all, void *scratch) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_var(DType dt, const ReduceGeom *g, const char *in, char *out,
                      int64_t correction, bool take_sqrt, void *scratch) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_cumsum(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                         const int64_t *in_stride, char *out, const int64_t *out_stride) {
    return KERNEL_UNSUPPORTED;
}
