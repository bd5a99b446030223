/* matmul.c: GEMM on BLIS; integer GEMM with a simple blocked loop. */
#include "matmul.h"

#include "error.h"
#include "complex_ops.h"
#include "gemm_ref_avx512.h"

#include <blis.h>
#include <sched.h>
#include <limits.h>
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
/* BLIS's context with its reference gemm micro-kernel replaced by one that
 * computes the same bits faster (gemm_ref_avx512.c), or NULL: BLIS's own */
static cntx_t ref_fast_cntx;
static cntx_t *gemm_cntx;

/* When BLIS runs its 'generic' configuration (it knows no better kernels
 * for this CPU; PyTorch's process then runs the same ones), its products
 * are plain C loops, about a fifth of what the CPU can do. Keep BLIS's
 * blocking, packing and threading, and swap in the AVX-512 micro-kernel
 * with the same arithmetic: the k blocks (KC) stay BLIS's, the tile shape
 * changes no bit. TSR_BLIS_REFERENCE=1 keeps BLIS's own micro-kernel. */
static void gemm_context_setup(void) {
    const char *keep = getenv("TSR_BLIS_REFERENCE");
    if (keep && *keep && strcmp(keep, "0") != 0) return;
    if (bli_arch_query_id() != BLIS_ARCH_GENERIC || !__builtin_cpu_supports("avx512f")) return;
    ref_fast_cntx = *bli_gks_query_cntx();
    cntx_t *cx = &ref_fast_cntx;
    /* the reference KC, MC and NC for float and double, rounded to the new tiles */
    if (bli_cntx_get_blksz_def_dt(BLIS_FLOAT, BLIS_KC, cx) != 256 ||
        bli_cntx_get_blksz_def_dt(BLIS_DOUBLE, BLIS_KC, cx) != 256)
        return; /* not the BLIS this kernel was checked against */
    blksz_t mr, nr, mc, kc, nc;
    bli_blksz_init_easy(&mr, GEMM_REF_S_MR, GEMM_REF_D_MR, bli_cntx_get_blksz_def_dt(BLIS_SCOMPLEX, BLIS_MR, cx),
                        bli_cntx_get_blksz_def_dt(BLIS_DCOMPLEX, BLIS_MR, cx));
    bli_blksz_init_easy(&nr, GEMM_REF_S_NR, GEMM_REF_D_NR, bli_cntx_get_blksz_def_dt(BLIS_SCOMPLEX, BLIS_NR, cx),
                        bli_cntx_get_blksz_def_dt(BLIS_DCOMPLEX, BLIS_NR, cx));
    bli_blksz_init_easy(&mc, 256, 128, bli_cntx_get_blksz_def_dt(BLIS_SCOMPLEX, BLIS_MC, cx),
                        bli_cntx_get_blksz_def_dt(BLIS_DCOMPLEX, BLIS_MC, cx));
    bli_blksz_init_easy(&kc, 256, 256, bli_cntx_get_blksz_def_dt(BLIS_SCOMPLEX, BLIS_KC, cx),
                        bli_cntx_get_blksz_def_dt(BLIS_DCOMPLEX, BLIS_KC, cx));
    bli_blksz_init_easy(&nc, 4096, 4096, bli_cntx_get_blksz_def_dt(BLIS_SCOMPLEX, BLIS_NC, cx),
                        bli_cntx_get_blksz_def_dt(BLIS_DCOMPLEX, BLIS_NC, cx));
    bli_cntx_set_blkszs(BLIS_NAT, 5, BLIS_NC, &nc, BLIS_NR, BLIS_KC, &kc, BLIS_KR, BLIS_MC, &mc, BLIS_MR, BLIS_NR,
                        &nr, BLIS_NR, BLIS_MR, &mr, BLIS_MR, cx);
    bli_cntx_set_l3_nat_ukrs(2, BLIS_GEMM_UKR, BLIS_FLOAT, (void_fp)gemm_ref_s_avx512, TRUE, BLIS_GEMM_UKR,
                             BLIS_DOUBLE, (void_fp)gemm_ref_d_avx512, TRUE, cx);
    gemm_cntx = cx;
}

/* BLIS's arch is left to its own detection, as in PyTorch's process
 * (Debian's PyTorch calls sgemm_/dgemm_/sgemv_ of this same BLIS, which
 * picks its sub-configuration from cpuid): another arch's kernels sum
 * in another order, and every product would differ from PyTorch's in
 * the last bits. Use every core this process may run on (its affinity
 * mask) unless the user set a thread count: BLIS splits only the m and n
 * loops, never k, so the thread count changes no bit. */
static void blis_setup(void) {
    bli_init();
    gemm_context_setup();
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

/* Integer GEMM: wrapping arithmetic in the dtype's width, so any order of
 * the sum gives PyTorch's result. Tiles of b (KB rows x NB columns) stay in
 * cache while every row of a passes over them; the inner loop runs along
 * a row of b and c and vectorises when both are contiguous. Polls Ctrl-C
 * once per row of each tile and returns early (the op raises). */
#define INT_GEMM(NAME, U, W)                                                                       \
    static void NAME(int64_t m, int64_t n, int64_t k, const U *a, int64_t rsa, int64_t csa,       \
                     const U *b, int64_t rsb, int64_t csb, U *c, int64_t rsc, int64_t csc) {      \
        enum { KB = 128, NB = 512 };                                                              \
        for (int64_t i = 0; i < m; i++)                                                           \
            for (int64_t j = 0; j < n; j++) c[i * rsc + j * csc] = 0;                             \
        for (int64_t j0 = 0; j0 < n; j0 += NB) {                                                  \
            int64_t j1 = j0 + NB < n ? j0 + NB : n;                                               \
            for (int64_t p0 = 0; p0 < k; p0 += KB) {                                              \
                int64_t p1 = p0 + KB < k ? p0 + KB : k;                                           \
                for (int64_t i = 0; i < m; i++) {                                                 \
                    if (tsr_interrupted) return;                                                  \
                    U *crow = c + i * rsc;                                                        \
                    for (int64_t p = p0; p < p1; p++) {                                           \
                        U aip = a[i * rsa + p * csa];                                             \
                        const U *brow = b + p * rsb;                                              \
                        if (csb == 1 && csc == 1) {                                               \
                            for (int64_t j = j0; j < j1; j++) crow[j] = (U)((W)crow[j] + (W)aip * (W)brow[j]); \
                        } else {                                                                  \
                            for (int64_t j = j0; j < j1; j++)                                     \
                                crow[j * csc] = (U)((W)crow[j * csc] + (W)aip * (W)brow[j * csb]);    \
                        }                                                                         \
                    }                                                                             \
                }                                                                                 \
            }                                                                                     \
        }                                                                                         \
    }
/* W: the unsigned type the products are formed in (never int, whose
 * overflow is undefined: uint16 operands would promote to it) */
INT_GEMM(int_gemm_u8, uint8_t, uint32_t)
INT_GEMM(int_gemm_u16, uint16_t, uint32_t)
INT_GEMM(int_gemm_u32, uint32_t, uint32_t)
INT_GEMM(int_gemm_u64, uint64_t, uint64_t)
#undef INT_GEMM

static void int_gemm(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t rsa,
                     int64_t csa, const void *b, int64_t rsb, int64_t csb, void *c, int64_t rsc,
                     int64_t csc) {
    switch (dtype_size(dt)) {
    case 1: int_gemm_u8(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc); break;
    case 2: int_gemm_u16(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc); break;
    case 4: int_gemm_u32(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc); break;
    default: int_gemm_u64(m, n, k, a, rsa, csa, b, rsb, csb, c, rsc, csc); break;
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

bool kernel_gemm_reference_on_avx512(void) {
    if (!blis_ready) blis_setup();
    return gemm_cntx != NULL;
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
                     (float *)b, rsb, csb, &beta, c, rsc, csc, gemm_cntx, rp);
    } else {
        double alpha = 1, beta = 0;
        bli_dgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, m, n, k, &alpha, (double *)a, rsa, csa,
                     (double *)b, rsb, csb, &beta, c, rsc, csc, gemm_cntx, rp);
    }
}

/* ---- the BLAS interface, called as ATen 1.13 calls it ---- */

/* The thread count for BLIS's global runtime, which the BLAS entry points
 * read: one thread for small products (waking a second costs more than it
 * saves) or while other processes keep a core busy, else every core,
 * splitting the larger of the two output dims. Set only on a change. */
static void blas_threads(int64_t m, int64_t n, int64_t k) {
    static int last_ways_n = -1, last_ways_m = -1;
    if (blis_threads <= 0) return; /* BLIS_NUM_THREADS / OMP_NUM_THREADS decide */
    double work = (double)m * (double)n * (double)k;
    int wn = 1, wm = 1;
    if (!(work < 64.0 * 64 * 64 || blis_threads == 1 || cores_busy())) {
        if (n >= m) wn = blis_threads;
        else wm = blis_threads;
    }
    if (wn == last_ways_n && wm == last_ways_m) return;
    /* jc splits the columns (BLAS n), ic the rows (BLAS m): measured 5%
     * faster than BLIS's default factorisation for square products */
    bli_thread_set_ways(wn, 1, wm, 1, 1);
    last_ways_n = wn, last_ways_m = wm;
}

/* ATen's gemm_stub loops for a product BLAS cannot take (a dimension or
 * leading dimension over INT_MAX): C = alpha * op(A) op(B) + beta * C,
 * column-major, one dot product per element. */
#define GEMM_FALLBACK(T)                                                                        \
    static void gemm_loop_##T(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha,      \
                              const T *a, int64_t lda, const T *b, int64_t ldb, T beta, T *c,  \
                              int64_t ldc) {                                                   \
        for (int64_t j = 0; j < n; j++)                                                        \
            for (int64_t i = 0; i < m; i++) {                                                  \
                T acc = 0;                                                                     \
                for (int64_t l = 0; l < k; l++)                                                \
                    acc += (ta ? a[l + i * lda] : a[i + l * lda]) *                            \
                           (tb ? b[j + l * ldb] : b[l + j * ldb]);                             \
                T *cp = c + i + j * ldc;                                                       \
                *cp = beta == 0 ? alpha * acc : beta * *cp + alpha * acc;                      \
            }                                                                                  \
    }
GEMM_FALLBACK(float)
GEMM_FALLBACK(double)

static bool fits_int(int64_t v) { return v <= INT_MAX; }

void kernel_blas_gemm(DType dt, bool transa, bool transb, int64_t m, int64_t n, int64_t k, double alpha,
                      const void *a, int64_t lda, const void *b, int64_t ldb, double beta, void *c,
                      int64_t ldc) {
    if (!blis_ready) blis_setup();
    /* cpublas's normalize_last_dims */
    if (n == 1) ldc = m;
    if (transa) {
        if (m == 1) lda = k;
    } else if (k == 1) {
        lda = m;
    }
    if (transb) {
        if (k == 1) ldb = n;
    } else if (n == 1) {
        ldb = k;
    }
    /* cpublas's use_blas_gemm */
    bool blas = fits_int(m) && fits_int(n) && fits_int(k) && fits_int(lda) && fits_int(ldb) && fits_int(ldc) &&
                lda >= (transa ? k : m) && lda >= 1 && ldb >= (transb ? n : k) && ldb >= 1 && ldc >= m && ldc >= 1;
    if (!blas && dtype_is_complex(dt)) return; /* complex products past int range: not in tsr (the op checks) */
    if (!blas) {
        if (dt == DT_FLOAT32)
            gemm_loop_float(transa, transb, m, n, k, (float)alpha, a, lda, b, ldb, (float)beta, c, ldc);
        else
            gemm_loop_double(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    f77_int im = (f77_int)m, in = (f77_int)n, ik = (f77_int)k, ilda = (f77_int)lda, ildb = (f77_int)ldb,
            ildc = (f77_int)ldc;
    f77_char ta = transa ? 't' : 'n', tb = transb ? 't' : 'n';
    blas_threads(m, n, k);
    if (dt == DT_COMPLEX64) { /* cpublas::gemm for c10::complex<float>: cgemm_ */
        scomplex al = {(float)alpha, 0}, be = {(float)beta, 0};
        cgemm_(&ta, &tb, &im, &in, &ik, &al, (scomplex *)a, &ilda, (scomplex *)b, &ildb, &be, c, &ildc);
    } else if (dt == DT_COMPLEX128) {
        dcomplex al = {alpha, 0}, be = {beta, 0};
        zgemm_(&ta, &tb, &im, &in, &ik, &al, (dcomplex *)a, &ilda, (dcomplex *)b, &ildb, &be, c, &ildc);
    } else if (gemm_cntx && m > 1 && n > 1) {
        /* sgemm_/dgemm_ as BLIS's BLAS layer runs them (bla_gemm.c, where
         * m or n of 1 goes to gemv instead), on the faster context */
        trans_t bta = transa ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE, btb = transb ? BLIS_TRANSPOSE : BLIS_NO_TRANSPOSE;
        if (dt == DT_FLOAT32) {
            float al = (float)alpha, be = (float)beta;
            bli_sgemm_ex(bta, btb, m, n, k, &al, (float *)a, 1, lda, (float *)b, 1, ldb, &be, c, 1, ldc, gemm_cntx,
                         NULL);
        } else {
            bli_dgemm_ex(bta, btb, m, n, k, &alpha, (double *)a, 1, lda, (double *)b, 1, ldb, &beta, c, 1, ldc,
                         gemm_cntx, NULL);
        }
    } else if (dt == DT_FLOAT32) {
        float al = (float)alpha, be = (float)beta;
        sgemm_(&ta, &tb, &im, &in, &ik, &al, a, &ilda, b, &ildb, &be, c, &ildc);
    } else {
        dgemm_(&ta, &tb, &im, &in, &ik, &alpha, a, &ilda, b, &ildb, &beta, c, &ildc);
    }
}

/* ATen's gemv<scalar_t> fallback loops (BlasKernel.cpp), for what BLAS
 * cannot take */
#define GEMV_FALLBACK(T)                                                                        \
    static void gemv_loop_##T(bool trans, int64_t m, int64_t n, T alpha, const T *a, int64_t lda, \
                              const T *x, int64_t incx, T beta, T *y, int64_t incy) {          \
        if (trans) {                                                                           \
            for (int64_t i = 0; i < n; i++) {                                                  \
                T sum = 0;                                                                     \
                const T *row = a + lda * i;                                                    \
                for (int64_t j = 0; j < m; j++) sum += x[j * incx] * row[j];                   \
                y[i * incy] = beta == 0 ? alpha * sum : beta * y[i * incy] + alpha * sum;      \
            }                                                                                  \
        } else {                                                                               \
            if (beta != 1)                                                                     \
                for (int64_t i = 0; i < m; i++) y[i * incy] = beta == 0 ? 0 : y[i * incy] * beta; \
            for (int64_t j = 0; j < n; j++) {                                                  \
                const T *column = a + lda * j;                                                 \
                T z = alpha * x[j * incx];                                                     \
                for (int64_t i = 0; i < m; i++) y[i * incy] += z * column[i];                  \
            }                                                                                  \
        }                                                                                      \
    }
GEMV_FALLBACK(float)
GEMV_FALLBACK(double)

/* ATen's gemv loops for complex, alpha 1 and beta 0 (mv): the plain
 * scalar product (complex_ops.h), summed in order */
#define GEMV_COMPLEX(P, T)                                                                      \
    static void gemv_loop_c_##P(bool trans, int64_t m, int64_t n, const T *a, int64_t lda,    \
                                const T *x, int64_t incx, T *y, int64_t incy) {                \
        if (trans) {                                                                           \
            for (int64_t i = 0; i < n; i++) {                                                  \
                T sum = {0, 0};                                                                \
                for (int64_t j = 0; j < m; j++) {                                              \
                    T p = P##_mul(x[j * incx], a[lda * i + j]);                              \
                    sum.re += p.re, sum.im += p.im;                                            \
                }                                                                              \
                y[i * incy] = sum;                                                             \
            }                                                                                  \
        } else {                                                                               \
            for (int64_t i = 0; i < m; i++) y[i * incy] = (T){0, 0};                           \
            for (int64_t j = 0; j < n; j++) {                                                  \
                T z = x[j * incx];                                                             \
                for (int64_t i = 0; i < m; i++) {                                              \
                    T p = P##_mul(z, a[lda * j + i]);                                        \
                    y[i * incy].re += p.re, y[i * incy].im += p.im;                            \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    }
GEMV_COMPLEX(cf, tsr_cfloat)
GEMV_COMPLEX(cd, tsr_cdouble)

void kernel_blas_gemv(DType dt, bool trans, int64_t m, int64_t n, double alpha, const void *a, int64_t lda,
                      const void *x, int64_t incx, double beta, void *y, int64_t incy) {
    if (!blis_ready) blis_setup();
    if (n == 1) lda = m;
    bool blas = fits_int(m) && fits_int(n) && fits_int(lda) && incx > 0 && fits_int(incx) && incy > 0 &&
                fits_int(incy) && lda >= m && lda >= 1;
    if (dtype_is_complex(dt)) { /* ATen's own loops for complex (no gemv fast path) */
        if (dt == DT_COMPLEX64) gemv_loop_c_cf(trans, m, n, a, lda, x, incx, y, incy);
        else gemv_loop_c_cd(trans, m, n, a, lda, x, incx, y, incy);
        return;
    }
    if (!blas) {
        if (dt == DT_FLOAT32)
            gemv_loop_float(trans, m, n, (float)alpha, a, lda, x, incx, (float)beta, y, incy);
        else
            gemv_loop_double(trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
        return;
    }
    f77_int im = (f77_int)m, in = (f77_int)n, ilda = (f77_int)lda, ix = (f77_int)incx, iy = (f77_int)incy;
    f77_char t = trans ? 't' : 'n';
    blas_threads(m, n, 1);
    if (dt == DT_COMPLEX64) {
        scomplex al = {(float)alpha, 0}, be = {(float)beta, 0};
        cgemv_(&t, &im, &in, &al, (scomplex *)a, &ilda, (scomplex *)x, &ix, &be, y, &iy);
    } else if (dt == DT_COMPLEX128) {
        dcomplex al = {alpha, 0}, be = {beta, 0};
        zgemv_(&t, &im, &in, &al, (dcomplex *)a, &ilda, (dcomplex *)x, &ix, &be, y, &iy);
    } else if (dt == DT_FLOAT32) {
        float al = (float)alpha, be = (float)beta;
        sgemv_(&t, &im, &in, &al, a, &ilda, x, &ix, &be, y, &iy);
    } else {
        dgemv_(&t, &im, &in, &alpha, a, &ilda, x, &ix, &beta, y, &iy);
    }
}

void kernel_blas_dot(DType dt, int64_t n, const void *x, int64_t incx, const void *y, int64_t incy, void *out) {
    if (!blis_ready) blis_setup();
    if (n == 1) incx = incy = 1;
    if (fits_int(n) && fits_int(incx) && fits_int(incy)) {
        f77_int in = (f77_int)n, ix = (f77_int)incx, iy = (f77_int)incy;
        /* complex: Debian's PyTorch 1.13 calls cdotu_/zdotu_ with the f2c
         * convention (the result through a first pointer argument) while
         * this BLIS returns it by value, so the result keeps its initial
         * zero: torch.dot and torch.vdot of complex vectors print 0j there */
        if (dtype_is_complex(dt)) memset(out, 0, dtype_size(dt));
        else if (dt == DT_FLOAT32) *(float *)out = sdot_(&in, x, &ix, y, &iy);
        else *(double *)out = ddot_(&in, x, &ix, y, &iy);
        return;
    }
    if (dtype_is_complex(dt)) return; /* complex: BLAS only (the op checks) */
    if (dt == DT_FLOAT32) {
        float s = 0;
        for (int64_t i = 0; i < n; i++) s += ((const float *)x)[i * incx] * ((const float *)y)[i * incy];
        *(float *)out = s;
    } else {
        double s = 0;
        for (int64_t i = 0; i < n; i++) s += ((const double *)x)[i * incx] * ((const double *)y)[i * incy];
        *(double *)out = s;
    }
}

/* ATen's vdot_impl: conj(x) . y through cdotc_fast_path, complex dt */
void kernel_blas_vdot(DType dt, int64_t n, const void *x, int64_t incx, const void *y, int64_t incy, void *out) {
    if (!blis_ready) blis_setup();
    if (n == 1) incx = incy = 1;
    (void)n, (void)x, (void)incx, (void)y, (void)incy;
    memset(out, 0, dtype_size(dt)); /* cdotc_/zdotc_: 0, as kernel_blas_dot says */
}

/* ATen 1.13's baddbmm_cpu_kernel, which bmm and baddbmm run when
 * k * m * n < 400: bmm sums r = s . m in k order; baddbmm starts from
 * r * beta (0 when beta is 0, so NaN in r is dropped) and adds
 * alpha * s[k] * m[k] one k at a time. */
#define BMM_SMALL(T)                                                                            \
    static void bmm_small_##T(int64_t bs, int64_t is, int64_t js, int64_t ks, const T *s,      \
                              const int64_t *ss, const T *mt, const int64_t *ms, T *r,        \
                              const int64_t *rs, bool is_bmm, T beta, T alpha) {              \
        for (int64_t b = 0; b < bs; b++)                                                       \
            for (int64_t i = 0; i < is; i++)                                                   \
                for (int64_t j = 0; j < js; j++) {                                             \
                    T *rp = r + b * rs[0] + i * rs[1] + j * rs[2];                             \
                    T acc = is_bmm || beta == 0 ? 0 : *rp * beta;                              \
                    for (int64_t k = 0; k < ks; k++) {                                         \
                        T x = s[b * ss[0] + i * ss[1] + k * ss[2]];                            \
                        T y = mt[b * ms[0] + k * ms[1] + j * ms[2]];                           \
                        acc += is_bmm ? x * y : alpha * x * y;                                 \
                    }                                                                          \
                    *rp = acc;                                                                 \
                }                                                                              \
    }
BMM_SMALL(float)
BMM_SMALL(double)

/* complex bmm (is_bmm only): acc += s * m, each product rounded per
 * operation (measured against PyTorch) */
#define BMM_SMALL_C(P, T)                                                                       \
    static void bmm_small_##P(int64_t bs, int64_t is, int64_t js, int64_t ks, const T *s,      \
                              const int64_t *ss, const T *mt, const int64_t *ms, T *r,        \
                              const int64_t *rs) {                                            \
        for (int64_t b = 0; b < bs; b++)                                                       \
            for (int64_t i = 0; i < is; i++)                                                   \
                for (int64_t j = 0; j < js; j++) {                                             \
                    T acc = {0, 0};                                                            \
                    for (int64_t k = 0; k < ks; k++) {                                         \
                        T p = P##_mul(s[b * ss[0] + i * ss[1] + k * ss[2]], mt[b * ms[0] + k * ms[1] + j * ms[2]]); \
                        acc.re += p.re, acc.im += p.im;                                        \
                    }                                                                          \
                    r[b * rs[0] + i * rs[1] + j * rs[2]] = acc;                                \
                }                                                                              \
    }
BMM_SMALL_C(cf, tsr_cfloat)
BMM_SMALL_C(cd, tsr_cdouble)

void kernel_bmm_small(DType dt, int64_t bs, int64_t m, int64_t n, int64_t k, const void *s, const int64_t *ss,
                      const void *mt, const int64_t *ms, void *r, const int64_t *rs, bool is_bmm, double beta,
                      double alpha) {
    if (dt == DT_COMPLEX64)
        bmm_small_cf(bs, m, n, k, s, ss, mt, ms, r, rs);
    else if (dt == DT_COMPLEX128)
        bmm_small_cd(bs, m, n, k, s, ss, mt, ms, r, rs);
    else if (dt == DT_FLOAT32)
        bmm_small_float(bs, m, n, k, s, ss, mt, ms, r, rs, is_bmm, (float)beta, (float)alpha);
    else
        bmm_small_double(bs, m, n, k, s, ss, mt, ms, r, rs, is_bmm, beta, alpha);
}
