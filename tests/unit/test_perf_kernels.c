/* Tests for the performance paths: the caching host allocator, the tiled
 * strided copy, and the two-thread contiguous sums (which must give the
 * bits PyTorch gives with one thread). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "copy.h"
#include "host_alloc.h"
#include "reduce.h"

static void test_host_alloc_reuse(void **state) {
    (void)state;
    size_t sizes[] = {1, 64, 65, 4096, 300000, (size_t)3 << 20, ((size_t)5 << 20) + 7};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        char *p = host_alloc(sizes[i]);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 64, 0);
        memset(p, 0x5a, sizes[i]);
        host_free(p, sizes[i]);
        char *q = host_alloc(sizes[i]);
        assert_non_null(q);
        if (host_cache_enabled()) assert_ptr_equal(p, q); /* the freed block comes back */
        memset(q, 1, sizes[i]);
        host_free(q, sizes[i]);
    }
    /* a slightly smaller request of the same size class reuses the block */
    char *a = host_alloc((size_t)3 << 20);
    host_free(a, (size_t)3 << 20);
    char *b = host_alloc(((size_t)3 << 20) - 1000);
    if (host_cache_enabled()) assert_ptr_equal(a, b);
    memset(b, 2, ((size_t)3 << 20) - 1000);
    host_free(b, ((size_t)3 << 20) - 1000);
    host_alloc_trim();
    host_free(NULL, 10);
}

static void check_transpose(int64_t rows, int64_t cols, int es) {
    /* dst (cols x rows, contiguous) = src (rows x cols, contiguous) transposed */
    char *src = malloc((size_t)(rows * cols * es)), *dst = malloc((size_t)(rows * cols * es));
    for (int64_t i = 0; i < rows * cols * es; i++) src[i] = (char)(i * 7 + i / 253);
    memset(dst, 0, (size_t)(rows * cols * es));
    int64_t shape[2] = {rows, cols};          /* innermost first: dst's inner dim has rows */
    int64_t ds[2] = {1, rows}, ss[2] = {cols, 1};
    kernel_copy_strided(es, 2, shape, dst, ds, src, ss, rows * cols);
    for (int64_t c = 0; c < cols; c++)
        for (int64_t r = 0; r < rows; r++)
            assert_memory_equal(dst + (c * rows + r) * es, src + (r * cols + c) * es, es);
    free(src);
    free(dst);
}

static void test_copy_transpose(void **state) {
    (void)state;
    check_transpose(3, 5, 4);
    check_transpose(67, 131, 4);     /* partial tiles and 4x4 blocks */
    check_transpose(600, 700, 4);    /* two threads */
    check_transpose(129, 66, 8);
    check_transpose(100, 37, 2);
    check_transpose(65, 70, 1);
}

static void test_copy_fill_and_slices(void **state) {
    (void)state;
    float v = 2.5f, out[1000];
    int64_t shape[1] = {1000}, ds[1] = {1}, ss[1] = {0};
    kernel_copy_strided(4, 1, shape, (char *)out, ds, (const char *)&v, ss, 1000);
    for (int i = 0; i < 1000; i++) assert_true(out[i] == 2.5f);
    /* every other column of a 4x6 int16 matrix into a contiguous 4x3 */
    int16_t src[24], dst[12];
    for (int i = 0; i < 24; i++) src[i] = (int16_t)(i * 3 - 20);
    int64_t sh[2] = {3, 4}, d2[2] = {1, 3}, s2[2] = {2, 6};
    kernel_copy_strided(2, 2, sh, (char *)dst, d2, (const char *)src, s2, 12);
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 3; c++) assert_int_equal(dst[r * 3 + c], src[r * 6 + c * 2]);
}

/* expected values from PyTorch 1.13 with one thread (as the oracle runs):
 * a = (torch.arange(n) % 1000).float() * 0.001; a.sum(), a.double().sum() */
static void test_contiguous_sum_bits(void **state) {
    (void)state;
    struct {
        int64_t n;
        float f;
        double d;
    } cases[] = {
        {5000, 0x1.383p+11f, 0x1.383000f79e500p+11},
        {1000003, 0x1.e7cb02p+18f, 0x1.e7cb01b40e46ap+18},
        {786437, 0x1.7f7f94p+18f, 0x1.7f7f923652e66p+18},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        int64_t n = cases[c].n;
        float *a = malloc(sizeof(float) * (size_t)n);
        double *b = malloc(sizeof(double) * (size_t)n);
        for (int64_t i = 0; i < n; i++) {
            a[i] = (float)(i % 1000) * 0.001f;
            b[i] = a[i];
        }
        ReduceGeom g;
        memset(&g, 0, sizeof g);
        g.nred = 1;
        g.red_shape[0] = n;
        g.red_stride[0] = 1;
        float fs = 0;
        double dsum = 0;
        kernel_sum(DT_FLOAT32, &g, (const char *)a, (char *)&fs, -1, NULL);
        kernel_sum(DT_FLOAT64, &g, (const char *)b, (char *)&dsum, -1, NULL);
        assert_true(fs == cases[c].f);
        assert_true(dsum == cases[c].d);
        free(a);
        free(b);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_host_alloc_reuse),
        cmocka_unit_test(test_copy_transpose),
        cmocka_unit_test(test_copy_fill_and_slices),
        cmocka_unit_test(test_contiguous_sum_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
