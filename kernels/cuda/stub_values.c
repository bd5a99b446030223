/* stub_values.c: cuda_values.h in a build without nvcc. */
#include "cuda_values.h"

KernelStatus cuda_arange(DType dt, char *data, int64_t n, double start, double step, int64_t istart,
                         int64_t istep, int64_t lanes, int64_t nvec) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_linspace(DType dt, char *data, int64_t steps, float fs, float fe, float fst, double ds,
                           double de, double dst, int64_t lanes, int64_t nvec) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_fill_strided(int es, char *data, int64_t n, int64_t stride, const void *value) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_nan_to_num(DType dt, char *data, int64_t n, double nan, double posinf, double neginf) {
    return KERNEL_UNSUPPORTED;
}
KernelStatus cuda_range_check(DType dt, int ndim, const int64_t *shape, const int64_t *stride,
                              const char *data, double lo, double hi, uint8_t *flag) {
    return KERNEL_UNSUPPORTED;
}
