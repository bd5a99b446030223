/* test_gemm_ref.c: the AVX-512 micro-kernel that stands in for BLIS's
 * reference one (kernels/cpu/gemm_ref_avx512.c) gives BLIS's bits. BLIS
 * is made to run its 'generic' configuration (BLIS_ARCH_TYPE), so the
 * comparison holds on any CPU with AVX-512F; elsewhere the test skips.
 * Products of every storage, transposition, alpha and beta, partial
 * tiles, several k blocks, and special values, compared bit for bit with
 * BLIS's own sgemm_/dgemm_ and bli_?gemm_ex (a NaN matches any NaN). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <blis.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matmul.h"

static uint64_t rng = 88172645463325252ull;
static double next_value(void) {
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    unsigned r = (unsigned)(rng >> 40) % 1000;
    double u = (double)(rng % 2000001) / 1000000.0 - 1.0;
    if (r == 0) return NAN;
    if (r == 1) return INFINITY;
    if (r == 2) return -0.0;
    if (r < 6) return u * 1e-41; /* float subnormals */
    if (r < 60) return u * 1e4;
    if (r < 120) return u * 1e-4;
    return u;
}

/* the same bits, or both NaN: which NaN operand an SSE instruction passes
 * on (its sign and payload) follows the operand order the compiler picked
 * in BLIS's C loops, which differs from row to row there */
static bool same_value(const char *x, const char *y, bool dbl) {
    if (dbl) {
        double u, v;
        memcpy(&u, x, 8), memcpy(&v, y, 8);
        return (isnan(u) && isnan(v)) || memcmp(x, y, 8) == 0;
    }
    float u, v;
    memcpy(&u, x, 4), memcpy(&v, y, 4);
    return (isnan(u) && isnan(v)) || memcmp(x, y, 4) == 0;
}

static bool skip_test(void) { return !__builtin_cpu_supports("avx512f"); }

/* one product both ways through the BLAS entry; returns how many of the
 * m x n results differ in any bit */
static size_t blas_case(bool dbl, bool ta, bool tb, int m, int n, int k, double alpha, double beta) {
    size_t es = dbl ? 8 : 4;
    int lda = (ta ? k : m) + (int)(rng % 3), ldb = (tb ? n : k) + (int)(rng % 2), ldc = m + (int)(rng % 2);
    size_t na = (size_t)lda * (size_t)(ta ? m : k), nb = (size_t)ldb * (size_t)(tb ? k : n), nc = (size_t)ldc * n;
    char *a = malloc(na * es), *b = malloc(nb * es), *c1 = malloc(nc * es), *c2 = malloc(nc * es);
    assert_non_null(a), assert_non_null(b), assert_non_null(c1), assert_non_null(c2);
    for (size_t i = 0; i < na; i++) dbl ? (((double *)a)[i] = next_value()) : (((float *)a)[i] = (float)next_value());
    for (size_t i = 0; i < nb; i++) dbl ? (((double *)b)[i] = next_value()) : (((float *)b)[i] = (float)next_value());
    for (size_t i = 0; i < nc; i++) dbl ? (((double *)c1)[i] = next_value()) : (((float *)c1)[i] = (float)next_value());
    memcpy(c2, c1, nc * es);
    kernel_blas_gemm(dbl ? DT_FLOAT64 : DT_FLOAT32, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c1, ldc);
    f77_int im = m, in = n, ik = k, ilda = lda, ildb = ldb, ildc = ldc;
    f77_char cta = ta ? 't' : 'n', ctb = tb ? 't' : 'n';
    if (dbl) {
        dgemm_(&cta, &ctb, &im, &in, &ik, &alpha, (double *)a, &ilda, (double *)b, &ildb, &beta, (double *)c2, &ildc);
    } else {
        float al = (float)alpha, be = (float)beta;
        sgemm_(&cta, &ctb, &im, &in, &ik, &al, (float *)a, &ilda, (float *)b, &ildb, &be, (float *)c2, &ildc);
    }
    size_t bad = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i < m; i++) {
            size_t at = ((size_t)j * ldc + i) * es;
            bad += !same_value(c1 + at, c2 + at, dbl);
        }
    free(a), free(b), free(c1), free(c2);
    return bad;
}

static void test_blas_entry_bits(void **state) {
    (void)state;
    if (skip_test()) skip();
    assert_true(kernel_gemm_reference_on_avx512());
    static const int dims[][3] = {{2, 2, 1},     {8, 32, 256},  {9, 33, 257},  {64, 256, 784}, {256, 64, 784},
                                  {10, 64, 256}, {3, 700, 513}, {130, 5, 1000}, {47, 61, 300}, {17, 2, 9}};
    static const double ab[][2] = {{1, 0}, {1, 1}, {0.3, -0.7}, {-2, 0.5}};
    for (int dbl = 0; dbl < 2; dbl++)
        for (size_t d = 0; d < sizeof dims / sizeof *dims; d++)
            for (int t = 0; t < 4; t++) {
                const double *s = ab[(d + (size_t)t) % 4];
                assert_int_equal(blas_case(dbl, t & 1, t & 2, dims[d][0], dims[d][1], dims[d][2], s[0], s[1]), 0);
            }
}

/* kernel_gemm (bli_?gemm_ex, row- or column-stored operands) against
 * bli_?gemm_ex on BLIS's own context */
static void test_object_entry_bits(void **state) {
    (void)state;
    if (skip_test()) skip();
    for (int dbl = 0; dbl < 2; dbl++)
        for (int rep = 0; rep < 12; rep++) {
            int m = 2 + (int)(rng % 90), n = 2 + (int)(rng % 90), k = 1 + (int)(rng % 600);
            bool ra = rng & 1, rb = rng & 2, rc = rng & 4;
            size_t es = dbl ? 8 : 4;
            char *a = malloc((size_t)m * k * es), *b = malloc((size_t)k * n * es);
            char *c1 = malloc((size_t)m * n * es), *c2 = malloc((size_t)m * n * es);
            assert_non_null(a), assert_non_null(b), assert_non_null(c1), assert_non_null(c2);
            for (int i = 0; i < m * k; i++) dbl ? (((double *)a)[i] = next_value()) : (((float *)a)[i] = (float)next_value());
            for (int i = 0; i < k * n; i++) dbl ? (((double *)b)[i] = next_value()) : (((float *)b)[i] = (float)next_value());
            inc_t rsa = ra ? k : 1, csa = ra ? 1 : m, rsb = rb ? n : 1, csb = rb ? 1 : k, rsc = rc ? n : 1, csc = rc ? 1 : m;
            kernel_gemm(dbl ? DT_FLOAT64 : DT_FLOAT32, m, n, k, a, rsa, csa, b, rsb, csb, c1, rsc, csc);
            if (dbl) {
                double one = 1, zero = 0;
                bli_dgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, m, n, k, &one, (double *)a, rsa, csa, (double *)b, rsb,
                             csb, &zero, (double *)c2, rsc, csc, NULL, NULL);
            } else {
                float one = 1, zero = 0;
                bli_sgemm_ex(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, m, n, k, &one, (float *)a, rsa, csa, (float *)b, rsb,
                             csb, &zero, (float *)c2, rsc, csc, NULL, NULL);
            }
            size_t bad = 0;
            for (size_t i = 0; i < (size_t)m * n; i++) bad += !same_value(c1 + i * es, c2 + i * es, dbl);
            assert_int_equal(bad, 0);
            free(a), free(b), free(c1), free(c2);
        }
}

int main(void) {
    char arch[16];
    snprintf(arch, sizeof arch, "%d", (int)BLIS_ARCH_GENERIC);
    setenv("BLIS_ARCH_TYPE", arch, 1);
    unsetenv("TSR_BLIS_REFERENCE");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blas_entry_bits),
        cmocka_unit_test(test_object_entry_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
