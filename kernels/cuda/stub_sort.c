/* stub_sort.c: cuda_sort.h in a build without nvcc. */
#include "cuda_sort.h"

size_t cuda_sort_scratch(DType dt, int64_t total) { return 0; }
KernelStatus cuda_sort_select(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                              const int64_t *in_stride, bool descending, SortPick pick, int64_t k,
                              char *values, int64_t *indices, const int64_t *out_stride,
                              void *scratch) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_cumprod(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                          const int64_t *in_stride, char *out, const int64_t *out_stride) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_cummaxmin(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                            const int64_t *in_stride, char *values, int64_t *indices,
                            const int64_t *out_stride, bool is_max) {
    return KERNEL_UNSUPPORTED;
}
size_t cuda_nonzero_scratch(int64_t numel) { return 0; }
KernelStatus cuda_nonzero_count(DType dt, int ndim, const int64_t *shape, const char *in,
                                const int64_t *in_stride, void *scratch, int64_t **count_dev) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_nonzero_write(DType dt, int ndim, const int64_t *shape, const char *in,
                                const int64_t *in_stride, void *scratch, int64_t *out) {
    return KERNEL_UNSUPPORTED;
}
