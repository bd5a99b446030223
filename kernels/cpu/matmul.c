/* matmul.c: GEMM on BLIS; integer GEMM with a simple blocked loop. */
#include "matmul.h"

#include <blis.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int blis_ready;
static int blis_threads = 1; /* threads for large products (0: BLIS decides, from the env) */

/* Debian's BLIS picks its sub-configuration from cpuid and falls back to
 * 'haswell' (or 'generic') on AVX-512 processors it cannot classify, at
 * about half the speed of its 'skx' kernels. BLIS reads BLIS_ARCH_TYPE
 * once, at initialisation: name skx there when the processor has the
 * AVX-512 subsets skx uses, unless the user chose an arch already. Also use
 * every core (up to 2 here) unless the user set a thread count. */
static void blis_setup(void) {
    bool set_arch = false;
    if (!getenv("BLIS_ARCH_TYPE")) {
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
            __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) {
            char id[16];
            snprintf(id, sizeof id, "%d", (int)BLIS_ARCH_SKX);
            set_arch = setenv("BLIS_ARCH_TYPE", id, 0) == 0;
        }
    }
    bli_init();
    if (set_arch) unsetenv("BLIS_ARCH_TYPE");
    if (getenv("BLIS_NUM_THREADS") || getenv("OMP_NUM_THREADS")) {
        blis_threads = 0;
    } else {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        blis_threads = ncpu > 1 ? (int)ncpu : 1;
    }
    blis_ready = 1;
}

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
    if (!blis_ready) blis_setup();
    /* small products stay on one thread: waking a second costs more than it saves */
    rntm_t rntm = BLIS_RNTM_INITIALIZER;
    rntm_t *rp = NULL;
    if (blis_threads > 0) {
        double work = (double)m * (double)n * (double)k;
        bli_rntm_set_num_threads(work >= 64.0 * 64 * 64 ? blis_threads : 1, &rntm);
        rp = &rntm;
    }
    if (dt == DT_FLOAT32) {
        float alpha = 1, beta = 0;
        bli_sgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, m, n, k, &alpha, (float *)a, rsa, csa,
                     (float *)b, rsb, csb, &beta, c, rsc, csc, NULL, rp);
    } else {
        double alpha = 1, beta = 0;
        bli_dgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, m, n, k, &alpha, (double *)a, rsa, csa,
                     (double *)b, rsb, csb, &beta, c, rsc, csc, NULL, rp);
    }
}
