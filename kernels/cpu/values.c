/* values.c: the CPU value loops (values.h). */
#include "values.h"

#include <math.h>
#include <string.h>

KernelStatus kernel_arange(DType dt, char *p, int64_t n, double start, double step, int64_t istart,
                           int64_t istep, int64_t lanes, int64_t nvec) {
    int64_t es = (int64_t)dtype_size(dt);
    if (dtype_is_int(dt)) {
        for (int64_t i = 0; i < n; i++)
            dtype_store_i64(dt, p + i * es, (int64_t)((uint64_t)istart + (uint64_t)istep * (uint64_t)i));
        return KERNEL_OK;
    }
    /* floats: element-wise start + step*i in double, rounded to the dtype;
     * vectorised chunks: a per-vector base rounded to the dtype, plus
     * lane*step in double (Vectorized<T>::arange). */
    int64_t i = 0;
    for (; i < nvec; i += lanes) {
        double base = fma(step, (double)i, start);
        if (dt != DT_FLOAT64) base = (float)base;
        for (int64_t j = 0; j < lanes; j++) dtype_store_f64(dt, p + (i + j) * es, fma(step, (double)j, base));
    }
    for (; i < n; i++) dtype_store_f64(dt, p + i * es, fma(step, (double)i, start));
    return KERNEL_OK;
}

KernelStatus kernel_linspace(DType dt, char *p, int64_t steps, float fs, float fe, float fst, double ds,
                             double de, double dst, int64_t lanes, int64_t nvec) {
    int64_t half = steps / 2, es = (int64_t)dtype_size(dt);
    if (dt == DT_FLOAT32 || dt == DT_FLOAT16 || dt == DT_BFLOAT16) {
        /* computed in float (the scalar type; half types round each step) */
        int64_t i = 0;
        for (; i < nvec; i += lanes) {
            float base = i < half ? fmaf(fst, (float)i, fs) : fmaf(-fst, (float)(steps - i - 1), fe);
            for (int64_t j = 0; j < lanes; j++) {
                float lane = (float)j * fst; /* not fused: Vectorized::arange */
                dtype_store_f64(dt, p + (i + j) * es, base + lane);
            }
        }
        for (; i < steps; i++) {
            float v = i < half ? fmaf(fst, (float)i, fs) : fmaf(-fst, (float)(steps - i - 1), fe);
            dtype_store_f64(dt, p + i * es, v);
        }
        return KERNEL_OK;
    }
    int64_t i = 0;
    if (dt == DT_FLOAT64) /* Vectorized<double>::arange blocks, as float's */
        for (; i < nvec; i += lanes) {
            double base = i < half ? fma(dst, (double)i, ds) : fma(-dst, (double)(steps - i - 1), de);
            for (int64_t j = 0; j < lanes; j++) {
                double lane = (double)j * dst;
                dtype_store_f64(dt, p + (i + j) * es, base + lane);
            }
        }
    for (; i < steps; i++) {
        double v = i < half ? fma(dst, (double)i, ds) : fma(-dst, (double)(steps - i - 1), de);
        dtype_store_f64(dt, p + i * es, v);
    }
    return KERNEL_OK;
}

KernelStatus kernel_fill_strided(int es, char *data, int64_t n, int64_t stride, const void *value) {
    for (int64_t i = 0; i < n; i++) memcpy(data + i * stride * es, value, (size_t)es);
    return KERNEL_OK;
}

KernelStatus kernel_tril(int es, char *data, int64_t mats, int64_t rows, int64_t cols, int64_t diagonal,
                         bool upper) {
    for (int64_t m = 0; m < mats; m++)
        for (int64_t i = 0; i < rows; i++)
            for (int64_t j = 0; j < cols; j++) {
                bool keep = upper ? j - i >= diagonal : j - i <= diagonal;
                if (!keep) memset(data + ((m * rows + i) * cols + j) * es, 0, (size_t)es);
            }
    return KERNEL_OK;
}

KernelStatus kernel_nan_to_num(DType dt, char *p, int64_t n, double nan, double posinf, double neginf) {
    int64_t es = (int64_t)dtype_size(dt);
    for (int64_t i = 0; i < n; i++) {
        double v = dtype_load_f64(dt, p + i * es);
        if (isnan(v)) dtype_store_f64(dt, p + i * es, nan);
        else if (isinf(v)) dtype_store_f64(dt, p + i * es, v > 0 ? posinf : neginf);
    }
    return KERNEL_OK;
}
