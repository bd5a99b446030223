/* matmul.c: GEMM on BLIS; integer GEMM with a simple blocked loop. */
#include "matmul.h"

#include <blis.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int blis_ready;
static int blis_threads = 1; /* threads for large products (0: BLIS decides, from the env) */
static cpu_set_t cores; /* the cores this process may run on, ncores of them */
static int ncores = 1;

/* Debian's BLIS picks its sub-configuration from cpuid and falls back to
 * 'haswell' (or 'generic') on AVX-512 processors it cannot classify, at
 * about half the speed of its 'skx' kernels. BLIS reads BLIS_ARCH_TYPE
 * once, at initialisation: name skx there when the processor has the
 * AVX-512 subsets skx uses, unless the user chose an arch already
 * (BLIS_ARCH_TYPE=3 restores haswell). Debian's amd64 libblis is built for
 * the x86_64 family, which includes skx; a BLIS built without it would stop
 * at init. Also use every core this process may run on (its affinity
 * mask) unless the user set a thread count. */
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
        if (sched_getaffinity(0, sizeof cores, &cores) == 0) {
            ncores = CPU_COUNT(&cores);
        } else {
            long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
            ncores = ncpu > 1 ? (int)ncpu : 1;
            CPU_ZERO(&cores);
            for (int i = 0; i < ncores && i < CPU_SETSIZE; i++) CPU_SET(i, &cores);
        }
        blis_threads = ncores > 1 ? ncores : 1;
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

/* Seconds the cores this process may run on have been idle (/proc/stat's
 * idle and iowait, in USER_HZ ticks), or -1. */
static double cores_idle_seconds(void) {
    FILE *f = fopen("/proc/stat", "r");
    if (!f) return -1;
    char line[256];
    unsigned long long sum = 0;
    int seen = 0;
    while (fgets(line, sizeof line, f) && strncmp(line, "cpu", 3) == 0) {
        int cpu;
        unsigned long long user, nice, sys, idle, iowait;
        if (sscanf(line, "cpu%d %llu %llu %llu %llu %llu", &cpu, &user, &nice, &sys, &idle, &iowait) == 6 &&
            cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &cores)) {
            sum += idle + iowait;
            seen++;
        }
    }
    fclose(f);
    long hz = sysconf(_SC_CLK_TCK);
    return seen == ncores && hz > 0 ? (double)sum / (double)hz : -1;
}

static double clock_seconds(clockid_t id) {
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* True when other processes keep a core busy. BLIS's threads meet at spin
 * barriers: when another process holds one core, the thread that shares it
 * is descheduled for whole time slices while its partner spins, and a
 * 2-thread product runs several times slower than a 1-thread one (46-57
 * against 82-95 GFLOP/s float64 here while a compiler ran).
 *
 * The measure is the CPU time others used over the last window of at least
 * 50 ms: all cores' busy time (wall x cores - idle, from /proc/stat) less
 * this process's own (CLOCK_PROCESS_CPUTIME_ID, which counts BLIS's threads
 * spinning between calls). Busy means more than half a core: quiet, the
 * figure stays within +-0.1 (tick rounding), and a compiler shows as 1.0.
 * An instantaneous count of runnable tasks (/proc/loadavg) also sees
 * BLIS's own spinning worker and any momentary kernel thread: it called 3%
 * of the products of a quiet benchmark busy, each then taking twice as
 * long. Before the first window ends that count is all there is, and so
 * after a pause of over a second, whose average would hide a process that
 * just started: busy when more tasks are runnable than there are cores (one
 * of them may be this process's elementwise worker, about to sleep). */
static bool cores_busy(void) {
    static double last_wall, last_idle, last_own;
    static bool have_window_start, busy;
    double wall = clock_seconds(CLOCK_MONOTONIC);
    double span = wall - last_wall;
    if (have_window_start && span >= 0 && span < 0.05) return busy;
    double idle = cores_idle_seconds();
    double own = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    if (have_window_start && idle >= 0 && span > 0 && span <= 1.0) {
        double others = (ncores * span - (idle - last_idle) - (own - last_own)) / span;
        busy = others > 0.5;
    } else {
        FILE *f = fopen("/proc/loadavg", "r");
        double l1, l5, l15;
        int running = 0, total = 0;
        busy = false;
        if (f) {
            if (fscanf(f, "%lf %lf %lf %d/%d", &l1, &l5, &l15, &running, &total) == 5)
                busy = running > ncores;
            fclose(f);
        }
    }
    last_wall = wall;
    last_idle = idle;
    last_own = own;
    have_window_start = idle >= 0;
    return busy;
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
        if (work < 64.0 * 64 * 64 || blis_threads == 1 || cores_busy()) {
            bli_rntm_set_num_threads(1, &rntm);
        } else if (n >= m) {
            /* split the columns (jc loop): measured 5% faster than BLIS's
             * default factorisation for square products on 2 cores */
            bli_rntm_set_ways(blis_threads, 1, 1, 1, 1, &rntm);
        } else {
            bli_rntm_set_ways(1, 1, blis_threads, 1, 1, &rntm);
        }
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
