/* matrix_exp.c: matrix_exp.h's linear combinations. */
#include <math.h>
#include <string.h>

#include "matrix_exp.h"

void kernel_linear_combination(DType dt, int m, int k, int64_t numel, const void *const *in, const void *coef,
                               void *const *out) {
    size_t es = dtype_size(dt);
    for (int i = 0; i < m; i++) {
        memset(out[i], 0, (size_t)numel * es);
        for (int j = 0; j < k; j++) {
            const char *c = (const char *)coef + (size_t)(i * k + j) * es;
            if (dt == DT_FLOAT64) {
                double cv, *o = out[i];
                const double *x = in[j];
                memcpy(&cv, c, sizeof cv);
                for (int64_t e = 0; e < numel; e++) o[e] = fma(x[e], cv, o[e]);
            } else if (dt == DT_FLOAT32) {
                float cv, *o = out[i];
                const float *x = in[j];
                memcpy(&cv, c, sizeof cv);
                for (int64_t e = 0; e < numel; e++) o[e] = fmaf(x[e], cv, o[e]);
            } else {
                double cv = dtype_load_f64(dt, c);
                char *o = out[i];
                const char *x = in[j];
                for (int64_t e = 0; e < numel; e++) {
                    char prod[8];
                    dtype_store_f64(dt, prod, dtype_load_f64(dt, x + (size_t)e * es) * cv);
                    float s = (float)dtype_load_f64(dt, o + (size_t)e * es) + (float)dtype_load_f64(dt, prod);
                    dtype_store_f64(dt, o + (size_t)e * es, (double)s);
                }
            }
        }
    }
}
