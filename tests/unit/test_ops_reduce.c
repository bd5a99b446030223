/* Reductions and matmul (expected values from PyTorch 1.13). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "error.h"
#include "ops.h"

static Tensor *arange(DType dt, int n, double scale) {
    int64_t s = n;
    Tensor *t = tensor_empty(dt, 1, &s, device_cpu());
    for (int i = 0; i < n; i++) dtype_store_f64(dt, (char *)t->storage->data + i * dtype_size(dt), i * scale);
    return t;
}

static Tensor *arange2(DType dt, int r, int c) {
    Tensor *a = arange(dt, r * c, 1);
    int64_t sh[2] = {r, c};
    Tensor *v = op_view(a, 2, sh);
    tensor_release(a);
    return v;
}

static void expect_err(ErrKind k, const char *msg) {
    assert_int_equal(tsr_err_kind(), k);
    assert_string_equal(tsr_err_msg(), msg);
    tsr_err_clear();
}

/* x_i = ((i*7919) % 1000) / 7 in float32 */
static Tensor *pattern(int n) {
    int64_t s = n;
    Tensor *t = tensor_empty(DT_FLOAT32, 1, &s, device_cpu());
    float *p = t->storage->data;
    for (int i = 0; i < n; i++) p[i] = (float)((int64_t)i * 7919 % 1000) / 7.0f;
    return t;
}

static float sum_f(Tensor *t, int nd, const int64_t *dims, int64_t flat) {
    Tensor *s = op_sum(t, nd, dims, false, DT_UNDEFINED);
    assert_non_null(s);
    float v = (float)tensor_get_f64(s, flat);
    tensor_release(s);
    return v;
}

static void test_sum_cascade(void **st) {
    Tensor *x = pattern(100003);
    assert_true(sum_f(x, 0, NULL, 0) == 7135965.0f);
    Tensor *h = op_slice(x, 0, 0, 1000, 1);
    assert_true(sum_f(h, 0, NULL, 0) == 71357.140625f);
    Tensor *mean = op_mean(h, 0, NULL, false, DT_UNDEFINED);
    assert_true((float)tensor_get_f64(mean, 0) == 71.35713958740234f);
    Tensor *s37 = op_slice(x, 0, 0, 37, 1);
    assert_true(sum_f(s37, 0, NULL, 0) == 2579.142822265625f);
    Tensor *s3 = op_slice(x, 0, 0, INT64_MAX, 3);
    assert_true(sum_f(s3, 0, NULL, 0) == 2378695.0f);
    Tensor *x1 = op_slice(x, 0, 0, 100000, 1);
    int64_t sh[2] = {1000, 100}, d0 = 0, d1 = 1;
    Tensor *m = op_view(x1, 2, sh);
    assert_true(sum_f(m, 1, &d0, 7) == 69000.0f);
    assert_true(sum_f(m, 1, &d1, 7) == 7007.1435546875f);
    assert_true(sum_f(m, 0, NULL, 0) == 7135714.0f);
    Tensor *mt = op_t(m);
    assert_true(sum_f(mt, 1, &d1, 7) == 69000.0f);
    Tensor *xd = tensor_clone(x, DT_FLOAT64);
    Tensor *sd = op_sum(xd, 0, NULL, false, DT_UNDEFINED);
    assert_true(fabs(tensor_get_f64(sd, 0) - 7135965.2852934) < 1e-6);
    Tensor *all[] = {x, h, mean, s37, s3, x1, m, mt, xd, sd};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) tensor_release(all[i]);
}

static void test_sum_dtypes_dims(void **st) {
    Tensor *x = arange2(DT_INT32, 2, 3);
    int64_t dims[2] = {0, 1}, dup[2] = {0, -2}, d1 = -1;
    Tensor *s = op_sum(x, 0, NULL, false, DT_UNDEFINED);
    assert_int_equal(s->dtype, DT_INT64);
    assert_int_equal(s->ndim, 0);
    assert_int_equal(tensor_get_i64(s, 0), 15);
    tensor_release(s);
    s = op_sum(x, 2, dims, true, DT_UNDEFINED);
    assert_int_equal(s->ndim, 2);
    assert_int_equal(s->shape[0], 1);
    assert_int_equal(s->shape[1], 1);
    tensor_release(s);
    s = op_sum(x, 1, &d1, false, DT_INT32);
    assert_int_equal(s->dtype, DT_INT32);
    assert_int_equal(tensor_get_i64(s, 0), 3);
    assert_int_equal(tensor_get_i64(s, 1), 12);
    tensor_release(s);
    assert_null(op_sum(x, 2, dup, false, DT_UNDEFINED));
    expect_err(ERR_RuntimeError, "dim 0 appears multiple times in the list of dims");
    int64_t bad = 2;
    assert_null(op_sum(x, 1, &bad, false, DT_UNDEFINED));
    expect_err(ERR_IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
    assert_null(op_mean(x, 0, NULL, false, DT_UNDEFINED));
    expect_err(ERR_RuntimeError, "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Int");
    s = op_mean(x, 0, NULL, false, DT_FLOAT64);
    assert_int_equal(s->dtype, DT_FLOAT64);
    assert_true(tensor_get_f64(s, 0) == 2.5);
    tensor_release(s);
    s = op_prod(x, 1, dims, false, DT_UNDEFINED); /* [0*3, 1*4, 2*5] */
    assert_int_equal(s->dtype, DT_INT64);
    assert_int_equal(tensor_get_i64(s, 2), 10);
    tensor_release(s);
    /* empty sums */
    int64_t es[2] = {0, 3};
    Tensor *e = tensor_zeros(DT_FLOAT32, 2, es, device_cpu());
    s = op_sum(e, 1, dims, false, DT_UNDEFINED);
    assert_int_equal(s->shape[0], 3);
    assert_true(tensor_get_f64(s, 2) == 0);
    tensor_release(s);
    s = op_mean(e, 0, NULL, false, DT_UNDEFINED);
    assert_true(isnan(tensor_get_f64(s, 0)));
    tensor_release(s);
    assert_null(op_max_all(e));
    expect_err(ERR_RuntimeError, "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
    Tensor *v = NULL, *ix = NULL;
    assert_false(op_max_dim(e, 0, false, &v, &ix));
    expect_err(ERR_IndexError, "max(): Expected reduction dim 0 to have non-zero size.");
    assert_null(op_amax(e, 1, dims, false));
    expect_err(ERR_IndexError, "amax(): Expected reduction dim 0 to have non-zero size.");
    assert_null(op_argmax(e, false, 0, false));
    expect_err(ERR_IndexError, "argmax(): Expected reduction dim to be specified for input.numel() == 0.");
    tensor_release(e);
    tensor_release(x);
}

static void test_var_max_sort(void **st) {
    Tensor *z = arange2(DT_FLOAT32, 3, 4);
    Tensor *v = op_var(z, 0, NULL, 1, false, false);
    assert_true(tensor_get_f64(v, 0) == 13.0);
    tensor_release(v);
    int64_t d1 = 1;
    v = op_var(z, 1, &d1, 1, false, true);
    assert_true((float)tensor_get_f64(v, 1) == 1.29099440574646f);
    tensor_release(v);
    Tensor *zi = tensor_clone(z, DT_INT64);
    assert_null(op_var(zi, 0, NULL, 1, false, false));
    expect_err(ERR_RuntimeError, "std and var only support floating point and complex dtypes");
    /* cumsum of z.t() along 0 */
    Tensor *zt = op_t(z);
    Tensor *c = op_cumsum(zt, 0, DT_UNDEFINED);
    double want[] = {0, 4, 8, 1, 9, 17, 3, 15, 27, 6, 22, 38};
    for (int i = 0; i < 12; i++) assert_true(tensor_get_f64(c, i) == want[i]);
    tensor_release(c);
    c = op_cumsum(zi, 1, DT_UNDEFINED);
    assert_int_equal(c->dtype, DT_INT64);
    assert_int_equal(tensor_get_i64(c, 3), 6);
    tensor_release(c);
    /* max with NaN and ties */
    int64_t three = 3;
    Tensor *m = tensor_empty(DT_FLOAT32, 1, &three, device_cpu());
    float *p = m->storage->data;
    p[0] = 1, p[1] = NAN, p[2] = 3;
    Tensor *vals, *idx;
    assert_true(op_max_dim(m, 0, false, &vals, &idx));
    assert_true(isnan(tensor_get_f64(vals, 0)));
    assert_int_equal(tensor_get_i64(idx, 0), 1);
    tensor_release(vals);
    tensor_release(idx);
    assert_true(op_sort(m, 0, false, false, &vals, &idx));
    assert_true(tensor_get_f64(vals, 0) == 1 && tensor_get_f64(vals, 1) == 3 && isnan(tensor_get_f64(vals, 2)));
    assert_int_equal(tensor_get_i64(idx, 1), 2);
    assert_int_equal(tensor_get_i64(idx, 2), 1);
    tensor_release(vals);
    tensor_release(idx);
    assert_true(op_sort(m, 0, true, false, &vals, &idx));
    assert_int_equal(tensor_get_i64(idx, 0), 1);
    assert_int_equal(tensor_get_i64(idx, 1), 2);
    tensor_release(vals);
    tensor_release(idx);
    p[0] = 3, p[1] = 1, p[2] = 3;
    assert_true(op_min_dim(m, 0, true, &vals, &idx));
    assert_int_equal(vals->ndim, 1);
    assert_int_equal(tensor_get_i64(idx, 0), 1);
    tensor_release(vals);
    tensor_release(idx);
    Tensor *am = op_argmax(m, false, 0, false);
    assert_int_equal(tensor_get_i64(am, 0), 0); /* first of ties */
    tensor_release(am);
    Tensor *mb = tensor_clone(m, DT_BOOL);
    assert_null(op_argmax(mb, false, 0, false));
    expect_err(ERR_RuntimeError, "\"argmax_cpu\" not implemented for 'Bool'");
    Tensor *any = op_all(mb, 0, NULL, false);
    assert_int_equal(any->dtype, DT_BOOL);
    assert_int_equal(tensor_get_i64(any, 0), 1);
    tensor_release(any);
    Tensor *mu = tensor_clone(m, DT_UINT8);
    any = op_any(mu, 0, NULL, false);
    assert_int_equal(any->dtype, DT_UINT8);
    tensor_release(any);
    Tensor *all[] = {z, zi, zt, m, mb, mu};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) tensor_release(all[i]);
}

static void test_matmul(void **st) {
    Tensor *a = arange2(DT_FLOAT32, 2, 3), *b = arange2(DT_FLOAT32, 3, 4);
    Tensor *c = op_matmul(a, b);
    double want[] = {20, 23, 26, 29, 56, 68, 80, 92};
    assert_int_equal(c->ndim, 2);
    for (int i = 0; i < 8; i++) assert_true(tensor_get_f64(c, i) == want[i]);
    tensor_release(c);
    Tensor *bt = op_t(b), *at = op_t(a);
    c = op_matmul(bt, at); /* transposed operands go to BLIS as is */
    for (int i = 0; i < 8; i++) assert_true(tensor_get_f64(c, i) == want[(i % 2) * 4 + i / 2]);
    tensor_release(c);
    Tensor *ai = tensor_clone(a, DT_INT64), *bi = tensor_clone(b, DT_INT64);
    c = op_mm(ai, bi);
    assert_int_equal(c->dtype, DT_INT64);
    assert_int_equal(tensor_get_i64(c, 7), 92);
    tensor_release(c);
    /* 3-D @ 1-D */
    Tensor *t24 = arange(DT_FLOAT32, 24, 1), *v4 = arange(DT_FLOAT32, 4, 1);
    int64_t s3[3] = {2, 3, 4};
    Tensor *t3 = op_view(t24, 3, s3);
    c = op_matmul(t3, v4);
    double w2[] = {14, 38, 62, 86, 110, 134};
    assert_int_equal(c->ndim, 2);
    for (int i = 0; i < 6; i++) assert_true(tensor_get_f64(c, i) == w2[i]);
    tensor_release(c);
    /* errors */
    int64_t s45[2] = {4, 5};
    Tensor *o45 = tensor_zeros(DT_FLOAT32, 2, s45, device_cpu());
    assert_null(op_matmul(a, o45));
    expect_err(ERR_RuntimeError, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
    Tensor *v2 = arange(DT_FLOAT32, 2, 1);
    assert_null(op_matmul(a, v2));
    expect_err(ERR_RuntimeError, "size mismatch, got 2, 2x3,2");
    Tensor *a2 = tensor_clone(at, DT_FLOAT64);
    assert_null(op_mm(a, a2));
    expect_err(ERR_RuntimeError, "expected scalar type Float but found Double");
    Tensor *ab = tensor_clone(a, DT_BOOL), *abt = op_t(ab);
    assert_null(op_mm(ab, abt));
    expect_err(ERR_RuntimeError, "\"addmm_impl_cpu_\" not implemented for 'Bool'");
    assert_null(op_dot(a, a));
    expect_err(ERR_RuntimeError, "1D tensors expected, but got 2D and 2D tensors");
    Tensor *v3 = arange(DT_FLOAT32, 3, 1);
    assert_null(op_dot(v3, v4));
    expect_err(ERR_RuntimeError, "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively");
    c = op_dot(v3, v3);
    assert_true(tensor_get_f64(c, 0) == 5);
    tensor_release(c);
    Tensor *all[] = {a, b, bt, at, ai, bi, t24, v4, t3, o45, v2, a2, ab, abt, v3};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) tensor_release(all[i]);
}

static void test_autograd_names(void **st) {
    Tensor *x = arange2(DT_FLOAT32, 2, 3);
    x->requires_grad = true;
    Tensor *s = op_sum(x, 0, NULL, false, DT_UNDEFINED);
    assert_string_equal(ag_node_name(s->grad_fn), "SumBackward0");
    tensor_release(s);
    int64_t d0 = 0;
    s = op_mean(x, 1, &d0, false, DT_UNDEFINED);
    assert_string_equal(ag_node_name(s->grad_fn), "MeanBackward1");
    tensor_release(s);
    s = op_max_all(x);
    assert_string_equal(ag_node_name(s->grad_fn), "MaxBackward1");
    tensor_release(s);
    Tensor *xt = op_t(x);
    s = op_matmul(x, xt);
    assert_string_equal(ag_node_name(s->grad_fn), "MmBackward0");
    tensor_release(s);
    Tensor *r = op_select(x, 0, 0);
    s = op_matmul(r, x);
    assert_null(s);
    tsr_err_clear();
    int64_t s32[2] = {3, 2};
    Tensor *y = op_view(x, 2, s32);
    s = op_matmul(r, y);
    assert_string_equal(ag_node_name(s->grad_fn), "SqueezeBackward3");
    tensor_release(s);
    int64_t s3[3] = {1, 2, 3};
    Tensor *x3 = op_view(x, 3, s3);
    s = op_matmul(x3, xt);
    assert_string_equal(ag_node_name(s->grad_fn), "UnsafeViewBackward0");
    assert_int_equal(s->ndim, 3);
    tensor_release(s);
    Tensor *all[] = {x, xt, r, y, x3};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) tensor_release(all[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sum_cascade),
        cmocka_unit_test(test_sum_dtypes_dims),
        cmocka_unit_test(test_var_max_sort),
        cmocka_unit_test(test_matmul),
        cmocka_unit_test(test_autograd_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
