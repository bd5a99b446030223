/* matmul.c: GEMM on BLIS; integer GEMM with a simple blocked loop. */
#include "matmul.h"

#include <blis.h>
#include <string.h>

static int blis_ready;

static void int_gemm(DType dt, int64_t m, int64_t n, int64_t k, const char *a, int64_t rsa,
                     int64_t csa, const char *b, int64_t rsb, int64_t csb, char *c, int64_t rsc,
                     int64_t csc) {
    int64_t es = (int64_t)dtype_size(dt);
    enum { BLK = 64 };
    for (int64_t i = 0; i < m; i++)
        for (int64_t j = 0; j < n; j++) dtype_store_i64(dt, c + (i * rsc + j * csc) * es, 0);
    for (int64_t p0 = 0; p0 < k; p0 += BLK) {
        int64_t p1 = p0 + BLK < k ? p0 + BLK : k;
        for (int64_t i = 0; i < m; i++) {
            for (int64_t j = 0; j < n; j++) {
                char *cp = c + (i * rsc + j * csc) * es;
                uint64_t acc = (uint64_t)dtype_load_i64(dt, cp);
                for (int64_t p = p0; p < p1; p++)
                    acc += (uint64_t)dtype_load_i64(dt, a + (i * rsa + p * csa) * es) *
                           (uint64_t)dtype_load_i64(dt, b + (p * rsb + j * csb) * es);
                dtype_store_i64(dt, cp, (int64_t)acc);
            }
        }
    }
}

void kernel_gemm(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t rsa,
                 int64_t csa, const void *b, int64_t rsb, int64_t csb, void *c, int64_t rsc,
                 int64_t csc) {
    if (m == 0 || n == 0) return;
    if (k == 0) {
        int64_t es = (int64_t)dtype_size(dt);
        for (int64_t i = 0; i < m; i++)
            for (int64_t j = 0; j < n; j++) memset((char *)c + (i * rsc + j * csc) * es, 0, (size_t)es);
        return;
    }
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) {
        int_gemm(dt, m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc);
        return;
    }
    if (!blis_ready) {
        bli_init();
        blis_ready = 1;
    }
    if (dt == DT_FLOAT32) {
        float alpha = 1, beta = 0;
        bli_sgemm(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, m, n, k, &alpha, (float *)a, rsa, csa,
                  (float *)b, rsb, csb, &beta, c, rsc, csc);
    } else {
        double alpha = 1, beta = 0;
        bli_dgemm(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, m, n, k, &alpha, (double *)a, rsa, csa,
                  (double *)b, rsb, csb, &beta, c, rsc, csc);
    }
}
