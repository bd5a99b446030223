/* test_ops_sort.c: the sort family (ops/sort.c: topk, kthvalue, median,
 * mode, unique) against values printed by PyTorch 1.13. */
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

static void test_selections(void **state) {
    int64_t s6[1] = {6};
    Tensor *x = from_f(1, s6, (float[]){3, 1, 4, 1.5f, 9, 2.6f});
    Tensor *v, *ix;
    /* torch.topk(x, 3): values [9, 4, 3], indices [4, 2, 0] */
    assert_true(op_topk(x, 3, -1, true, true, &v, &ix));
    expect(v, 1, (int64_t[]){3}, (double[]){9, 4, 3});
    expect(ix, 1, (int64_t[]){3}, (double[]){4, 2, 0});
    tensor_release(v);
    tensor_release(ix);
    /* torch.kthvalue(x, 2): 1.5 at 3 */
    assert_true(op_kthvalue(x, 2, 0, false, &v, &ix));
    expect(v, 0, NULL, (double[]){1.5});
    expect(ix, 0, NULL, (double[]){3});
    tensor_release(v);
    tensor_release(ix);
    /* torch.median(x) = 2.6 (lower median) */
    v = op_median_all(x);
    expect(v, 0, NULL, (double[]){2.6});
    tensor_release(v);
    assert_false(op_topk(x, 7, 0, true, true, &v, &ix));
    assert_string_equal(tsr_err_msg(), "selected index k out of range");
    tsr_err_clear();
    tensor_release(x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
