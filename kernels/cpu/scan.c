/* scan.c: logcumsumexp's loop (ATen's cpu_cum_base_kernel with
 * _log_add_exp_helper, ReduceOps.cpp). */
#include <math.h>

#include "dtype.h"
#include "lines.h"
#include "scan.h"

/* ATen's _log_add_exp_helper: std::min/max return their first argument
 * when one is NaN, hence the explicit NaN test on y */
static double log_add_exp(double x, double y) {
    double mn = isnan(y) ? y : (y < x ? y : x);
    double mx = isnan(y) ? y : (x < y ? y : x);
    if (mn != mx || isfinite(mn)) return log1p(exp(mn - mx)) + mx;
    return x; /* both infinite and equal */
}

static float log_add_expf(float x, float y) {
    float mn = isnan(y) ? y : (y < x ? y : x);
    float mx = isnan(y) ? y : (x < y ? y : x);
    if (mn != mx || isfinite(mn)) return log1pf(expf(mn - mx)) + mx;
    return x;
}

KernelStatus kernel_logcumsumexp(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                                 const int64_t *in_stride, char *out, const int64_t *out_stride) {
    int64_t n = line_length(ndim, shape, d), lines = line_count(ndim, shape, d), es = (int64_t)dtype_size(dt);
    int64_t ist = line_stride(ndim, in_stride, d) * es, ost = line_stride(ndim, out_stride, d) * es;
    for (int64_t k = 0; k < lines; k++) {
        const char *p = in + line_offset(ndim, shape, d, in_stride, k) * es;
        char *q = out + line_offset(ndim, shape, d, out_stride, k) * es;
        if (dt == DT_BFLOAT16) {
            float acc = -INFINITY;
            for (int64_t i = 0; i < n; i++) {
                acc = log_add_expf((float)dtype_load_f64(dt, p + i * ist), acc);
                dtype_store_f64(dt, q + i * ost, acc);
            }
        } else {
            double acc = -INFINITY;
            for (int64_t i = 0; i < n; i++) {
                acc = log_add_exp(dtype_load_f64(dt, p + i * ist), acc);
                dtype_store_f64(dt, q + i * ost, acc);
            }
        }
    }
    return KERNEL_OK;
}
