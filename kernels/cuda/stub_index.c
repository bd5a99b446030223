/* stub_index.c: cuda_index.h in a build without nvcc. */
#include "cuda_index.h"

KernelStatus cuda_gather(int es, const CudaIndexWalk *w, char *out, const int64_t *index,
                         const char *src, int64_t dim_stride) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_scatter(DType dt, const CudaIndexWalk *w, char *self, int64_t dim_stride,
                          const int64_t *index, const char *src, const void *value, bool add) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_index_gather(int es, const CudaAdvGeom *g, const char *base, char *out) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_index_put(int es, const CudaAdvGeom *g, char *base, const char *val_base,
                            const int64_t *val_stride) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_take(int es, const char *src, const int64_t *pos, int64_t n, char *dst) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_mod_gather(int es, const CudaModWalk *w, const char *src, char *dst) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_select_positions(int ndim, const int64_t *shape, const int64_t *cstride, int dim, DType idt,
                                   const char *index, int64_t istride, int64_t *pos) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_wrap_negative(int64_t *p, int64_t n, int64_t size) { return KERNEL_UNSUPPORTED; }
