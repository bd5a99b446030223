/* test_fft.c: the pocketfft port (kernels/cpu/fft.c) against a direct DFT
 * in long double, over every plan kind: the radix passes, the generic
 * pass, Bluestein (large primes), r2c/c2r and strided lines. Bit-exactness
 * with PyTorch is the goldens' job (tests/golden/fft). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "fft.h"

static double sig(size_t i) { return sin((double)i * 0.37 + 0.1) * (double)(1 + i % 7); }

/* the largest |got - dft| over len complex outputs, relative to the
 * largest |dft|, for the c2c of x (len complex) */
static double c2c_error(size_t len, bool fwd, bool dbl) {
    double *x = malloc(sizeof(double) * 2 * len), *yd = malloc(sizeof(double) * 2 * len);
    float *xf = malloc(sizeof(float) * 2 * len), *yf = malloc(sizeof(float) * 2 * len);
    void *w = malloc(kernel_fft_work_size(FFT_C2C, dbl, (int64_t)len));
    assert_non_null(w);
    for (size_t i = 0; i < 2 * len; i++) x[i] = sig(i), xf[i] = (float)sig(i);
    if (dbl)
        kernel_fft_c2c(true, x, yd, 1, (int64_t)len, 1, fwd, 1.0, w);
    else
        kernel_fft_c2c(false, xf, yf, 1, (int64_t)len, 1, fwd, 1.0, w);
    double err = 0, big = 1e-30;
    const long double pi = 3.141592653589793238462643383279502884L;
    for (size_t k = 0; k < len; k++) {
        long double re = 0, im = 0;
        for (size_t j = 0; j < len; j++) {
            long double a = (fwd ? -2 : 2) * pi * (long double)((j * k) % len) / (long double)len;
            long double xr = dbl ? x[2 * j] : xf[2 * j], xi = dbl ? x[2 * j + 1] : xf[2 * j + 1];
            re += xr * cosl(a) - xi * sinl(a);
            im += xr * sinl(a) + xi * cosl(a);
        }
        double gr = dbl ? yd[2 * k] : yf[2 * k], gi = dbl ? yd[2 * k + 1] : yf[2 * k + 1];
        err = fmax(err, fmax(fabs(gr - (double)re), fabs(gi - (double)im)));
        big = fmax(big, fmax(fabs((double)re), fabs((double)im)));
    }
    free(x), free(yd), free(xf), free(yf), free(w);
    return err / big;
}

static void test_c2c_lengths(void **state) {
    (void)state;
    /* every radix (2, 3, 4, 5, 7, 8, 11), the generic pass (13, 169),
     * Bluestein (97, 1009: large primes past the cost estimate) */
    static const size_t lens[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 16, 22, 30, 64, 77, 97, 121, 169, 1009};
    for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
        assert_true(c2c_error(lens[i], true, true) < 1e-13);
        assert_true(c2c_error(lens[i], false, true) < 1e-13);
        assert_true(c2c_error(lens[i], true, false) < 1e-5);
    }
}

/* r2c then c2r (backward, factor 1/len) gives the signal back, on lines
 * of a (2, len, 3) array: every inner index a line of stride 3 */
static void test_real_round_trip(void **state) {
    (void)state;
    static const size_t lens[] = {1, 2, 3, 5, 8, 12, 15, 31, 64, 97, 100, 1009};
    for (size_t t = 0; t < sizeof lens / sizeof *lens; t++) {
        size_t len = lens[t], half = len / 2 + 1, n = 2 * len * 3;
        double *x = malloc(sizeof(double) * n), *y = malloc(sizeof(double) * n);
        double *c = malloc(sizeof(double) * 2 * 2 * half * 3);
        void *w = malloc(kernel_fft_work_size(FFT_R2C, true, (int64_t)len));
        assert_non_null(w);
        for (size_t i = 0; i < n; i++) x[i] = sig(i);
        kernel_fft_r2c(true, x, c, 2, (int64_t)len, 3, 1.0, w);
        /* the zero frequency of line (0, 0) is the sum of its values */
        double s = 0;
        for (size_t i = 0; i < len; i++) s += x[i * 3];
        assert_true(fabs(c[0] - s) <= 1e-12 * (1 + fabs(s)));
        assert_true(c[1] == 0);
        kernel_fft_c2r(true, c, y, 2, (int64_t)len, 3, 1.0 / (double)len, w);
        for (size_t i = 0; i < n; i++) assert_true(fabs(y[i] - x[i]) < 1e-12);
        free(x), free(y), free(c), free(w);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c2c_lengths),
        cmocka_unit_test(test_real_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
