/* test_ops_index.c: gather, scatter and nonzero (ops/index.c), and cumprod
 * (ops/reduce.c), against values printed by PyTorch 1.13. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "error.h"
#include "ops.h"
#include "ops_fixtures.h"

static void test_gather_scatter(void **state) {
    int64_t s34[2] = {3, 4}, s32[2] = {3, 2};
    Tensor *x = arange_f(2, s34);
    /* torch.gather(arange(12.).reshape(3,4), 1, [[0,3],[2,0],[1,1]]) */
    Tensor *ix = from_i64(2, s32, (int64_t[]){0, 3, 2, 0, 1, 1});
    Tensor *g = op_gather(x, 1, ix);
    expect(g, 2, s32, (double[]){0, 3, 6, 4, 9, 9});
    /* zeros(3,4).scatter_add(1, ix, ones(3,2)) -> row 2 gets 2 at column 1 */
    Tensor *z = tensor_zeros(DT_FLOAT32, 2, s34, device_cpu());
    Tensor *ones = tensor_full_f64(DT_FLOAT32, 2, s32, 1, device_cpu());
    Tensor *sa = op_scatter(z, 1, ix, ones, 0, true, false);
    expect(sa, 2, s34, (double[]){1, 0, 0, 1, 1, 0, 1, 0, 0, 2, 0, 0});
    Tensor *sv = op_scatter(z, 1, ix, NULL, 2.5, false, false);
    expect(sv, 2, s34, (double[]){2.5, 0, 0, 2.5, 2.5, 0, 2.5, 0, 0, 2.5, 0, 0});
    /* out-of-range index: PyTorch's message */
    Tensor *bad = from_i64(2, (int64_t[]){1, 1}, (int64_t[]){4});
    assert_null(op_gather(x, 1, bad));
    assert_string_equal(tsr_err_msg(), "index 4 is out of bounds for dimension 1 with size 4");
    tsr_err_clear();
    Tensor *tmp[] = {x, ix, g, z, ones, sa, sv, bad};
    for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
}

static void test_nonzero_cumprod(void **state) {
    int64_t s4[1] = {4};
    Tensor *v = from_f(1, s4, (float[]){0, 1.5f, 0, -2});
    Tensor *nz = op_nonzero(v);
    expect(nz, 2, (int64_t[]){2, 1}, (double[]){1, 3});
    Tensor *i = from_i64(1, s4, (int64_t[]){1, 2, 3, 4});
    Tensor *cp = op_cumprod(i, 0, DT_UNDEFINED);
    assert_int_equal(cp->dtype, DT_INT64);
    expect(cp, 1, s4, (double[]){1, 2, 6, 24});
    Tensor *tmp[] = {v, nz, i, cp};
    for (size_t k = 0; k < sizeof tmp / sizeof *tmp; k++) tensor_release(tmp[k]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gather_scatter),
        cmocka_unit_test(test_nonzero_cumprod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
