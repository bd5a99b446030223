/* test_ops_linalg.c: matrix ops, norms (ops/linalg.c), einsum (ops/einsum.c),
 * isclose and logspace, against values printed by PyTorch 1.13. */
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

static void test_matrix_ops(void **state) {
    int64_t s34[2] = {3, 4};
    Tensor *a = arange_f(2, s34);
    Tensor *tl = op_tril(a, 0, false);
    expect(tl, 2, s34, (double[]){0, 0, 0, 0, 4, 5, 0, 0, 8, 9, 10, 0});
    Tensor *d = op_diagonal(a, 1, 0, 1);
    expect(d, 1, (int64_t[]){3}, (double[]){1, 6, 11});
    assert_ptr_equal(d->storage, a->storage); /* a view */
    Tensor *tr = op_trace(a);
    expect(tr, 0, NULL, (double[]){15});
    Tensor *r = op_roll(a, 1, (int64_t[]){1}, (int64_t[]){1});
    expect(r, 2, s34, (double[]){3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10});
    Tensor *tmp[] = {a, tl, d, tr, r};
    for (size_t k = 0; k < sizeof tmp / sizeof *tmp; k++) tensor_release(tmp[k]);
}

static void test_einsum(void **state) {
    int64_t s23[2] = {2, 3}, s34[2] = {3, 4}, s33[2] = {3, 3};
    Tensor *a = arange_f(2, s23), *b = arange_f(2, s34), *m = arange_f(2, s33);
    /* torch.einsum('ij,jk->ik', arange(6.).reshape(2,3), arange(12.).reshape(3,4)) */
    Tensor *ops[2] = {a, b};
    Tensor *c = op_einsum("ij,jk->ik", ops, 2);
    expect(c, 2, (int64_t[]){2, 4}, (double[]){20, 23, 26, 29, 56, 68, 80, 92});
    Tensor *tr = op_einsum("ii", &m, 1);
    expect(tr, 0, NULL, (double[]){12});
    Tensor *dg = op_einsum("ii->i", &m, 1);
    expect(dg, 1, (int64_t[]){3}, (double[]){0, 4, 8});
    assert_null(op_einsum("ij,jk", ops, 1));
    assert_string_equal(tsr_err_msg(), "einsum(): fewer operands were provided than specified in the equation");
    tsr_err_clear();
    Tensor *tmp[] = {a, b, m, c, tr, dg};
    for (size_t k = 0; k < sizeof tmp / sizeof *tmp; k++) tensor_release(tmp[k]);
}

static void test_norms_unique_isclose(void **state) {
    int64_t s2[1] = {2}, s4[1] = {4};
    Tensor *v = from_f(1, s2, (float[]){3, 4});
    Tensor *n2 = op_vector_norm(v, 2, 0, NULL, false, DT_UNDEFINED);
    expect(n2, 0, NULL, (double[]){5});
    Tensor *n1 = op_vector_norm(v, 1, 0, NULL, false, DT_UNDEFINED);
    expect(n1, 0, NULL, (double[]){7});
    Tensor *u = from_i64(1, s4, (int64_t[]){3, 1, 2, 1});
    Tensor *vals, *inv, *cnt;
    assert_true(op_unique(u, &vals, &inv, &cnt));
    expect(vals, 1, (int64_t[]){3}, (double[]){1, 2, 3});
    expect(inv, 1, s4, (double[]){2, 0, 1, 0});
    expect(cnt, 1, (int64_t[]){3}, (double[]){2, 1, 1});
    Tensor *p = from_f(1, s2, (float[]){1, 2}), *q = from_f(1, s2, (float[]){1.000001f, 2.1f});
    /* torch.isclose([1., 2.], [1.000001, 2.1]) -> [True, False] */
    Tensor *ic = op_isclose(p, q, 1e-5, 1e-8, false);
    assert_int_equal(ic->dtype, DT_BOOL);
    expect(ic, 1, s2, (double[]){1, 0});
    Tensor *ls = op_logspace(0, 2, 3, 10, DT_UNDEFINED, device_cpu());
    expect(ls, 1, (int64_t[]){3}, (double[]){1, 10, 100});
    Tensor *tmp[] = {v, n2, n1, u, vals, inv, cnt, p, q, ic, ls};
    for (size_t k = 0; k < sizeof tmp / sizeof *tmp; k++) tensor_release(tmp[k]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix_ops),
        cmocka_unit_test(test_einsum),
        cmocka_unit_test(test_norms_unique_isclose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
