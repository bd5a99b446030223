/* test_ops_extra.c: the ops of ops_extra.c and ops_einsum.c against values
 * printed by PyTorch 1.13. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "error.h"
#include "ops.h"

/* A float32 tensor of shape with values 0, 1, 2, ... */
static Tensor *arange_f(int ndim, const int64_t *shape) {
    Tensor *t = tensor_empty(DT_FLOAT32, ndim, shape, device_cpu());
    assert_non_null(t);
    for (int64_t i = 0; i < tensor_numel(t); i++) ((float *)t->storage->data)[i] = (float)i;
    return t;
}

static Tensor *from_i64(int ndim, const int64_t *shape, const int64_t *v) {
    Tensor *t = tensor_empty(DT_INT64, ndim, shape, device_cpu());
    assert_non_null(t);
    memcpy(t->storage->data, v, sizeof(int64_t) * (size_t)tensor_numel(t));
    return t;
}

static Tensor *from_f(int ndim, const int64_t *shape, const float *v) {
    Tensor *t = tensor_empty(DT_FLOAT32, ndim, shape, device_cpu());
    assert_non_null(t);
    memcpy(t->storage->data, v, sizeof(float) * (size_t)tensor_numel(t));
    return t;
}

static void expect(Tensor *t, int ndim, const int64_t *shape, const double *vals) {
    assert_non_null(t);
    assert_int_equal(t->ndim, ndim);
    for (int i = 0; i < ndim; i++) assert_int_equal(t->shape[i], shape[i]);
    for (int64_t i = 0; i < tensor_numel(t); i++) assert_float_equal(tensor_get_f64(t, i), vals[i], 1e-4);
}

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

static void test_norm_unique_isclose(void **state) {
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
        cmocka_unit_test(test_gather_scatter), cmocka_unit_test(test_nonzero_cumprod),
        cmocka_unit_test(test_selections),     cmocka_unit_test(test_matrix_ops),
        cmocka_unit_test(test_einsum),         cmocka_unit_test(test_norm_unique_isclose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
