/* test_np_math.c: numpy 1.24's float math loops (kernels/cpu/np_math.h).
 * numpy's own algorithms (np_math_simd.h) are plain C and run on every
 * CPU: their values are checked against numpy's on an AVX-512 machine,
 * including inputs where GCC's fused `x * c + magic` picks another
 * quadrant than two roundings would. The dispatch is checked for the CPU
 * the test runs on. Expected values from the oracle (numpy 1.24.2). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "np_math.h"
#include "np_math_simd.h"

static void test_exp_f32(void **state) {
    (void)state;
    assert_true(np_simd_exp_f32(-87.6831207f) == 8.311981207346086e-39f); /* fused quadrant */
    assert_true(np_simd_exp_f32(-85.6036758f) == 6.649606826132912e-38f);
    assert_true(np_simd_exp_f32(-30.8450508f) == 4.0194318820562305e-14f);
    assert_true(np_simd_exp_f32(INFINITY) == INFINITY);
    assert_true(np_simd_exp_f32(-INFINITY) == 0.0f);
    assert_true(isnan(np_simd_exp_f32(NAN)));
}

static void test_log_f32(void **state) {
    (void)state;
    assert_true(np_simd_log_f32(1e-40f) == -92.10340881347656f); /* a subnormal */
    assert_true(np_simd_log_f32(0.7f) == -0.3566749393939972f);
    assert_true(np_simd_log_f32(3.0f) == 1.0986123085021973f);
    assert_true(np_simd_log_f32(0.0f) == -INFINITY);
    assert_true(isnan(np_simd_log_f32(-1.0f)));
}

static void test_sincos_f32(void **state) {
    (void)state;
    assert_true(np_simd_sincos_f32(-110727.7890625f, false) == 0.7072536945343018f); /* fused quadrant */
    assert_true(np_simd_sincos_f32(2.5f, false) == 0.5984721779823303f);
    assert_true(np_simd_sincos_f32(200000.0f, false) == -0.07145189493894577f); /* the C library */
    assert_true(np_simd_sincos_f32(1.5f, true) == 0.07073719799518585f);
    assert_true(np_simd_sincos_f32(80000.0f, true) == -0.7918746471405029f);
}

static void test_tanh(void **state) {
    (void)state;
    assert_true(np_simd_tanh_f32(0.3f) == 0.29131263494491577f);
    assert_true(np_simd_tanh_f32(-2.5f) == -0.9866142868995667f);
    assert_true(np_simd_tanh_f32(30.0f) == 1.0f);
    assert_true(np_simd_tanh_f64(0.3) == 0.2913126124515909);
    assert_true(np_simd_tanh_f64(-2.5) == -0.9866142981514303);
    assert_true(np_simd_tanh_f64(1e-5) == 9.999999999666668e-06);
    assert_true(np_simd_tanh_f64(-INFINITY) == -1.0);
    assert_true(isnan(np_simd_tanh_f64(NAN)));
}

/* the dispatch: SVML's sin on AVX512_SKX, the C library's elsewhere */
static void test_dispatch(void **state) {
    (void)state;
    double x[3] = {0.5, 1e-5, 3.7}, s[3], e[3];
    np_math_unary(NPM_sin, DT_FLOAT64, x, s, 3, false);
    np_math_unary(NPM_exp, DT_FLOAT64, x, e, 3, false);
    if (!strcmp(np_math_target(), "AVX512_SKX")) {
        assert_true(s[0] == 0.47942553860420295);
        assert_true(e[1] == 1.00001000005 && e[2] == 40.4473043600674);
    } else {
        assert_true(s[0] == sin(0.5) && e[2] == exp(3.7));
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exp_f32), cmocka_unit_test(test_log_f32), cmocka_unit_test(test_sincos_f32),
        cmocka_unit_test(test_tanh),    cmocka_unit_test(test_dispatch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
