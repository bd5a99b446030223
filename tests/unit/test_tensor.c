/* Unit tests of the tensor core: storage/view refcounting, geometry,
 * broadcasting copies with conversion, error texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "tensor.h"

static Tensor *arange_f32(int ndim, const int64_t *shape) {
    Tensor *t = tensor_empty(DT_FLOAT32, ndim, shape, device_cpu());
    assert_non_null(t);
    float *p = (float *)tensor_data(t);
    for (int64_t i = 0; i < tensor_numel(t); i++) p[i] = (float)i;
    return t;
}

static void test_views_share_storage(void **state) {
    (void)state;
    int64_t shape[2] = {2, 3};
    Tensor *t = arange_f32(2, shape);
    assert_int_equal(t->storage->rc, 1);
    /* transpose as a view: shape (3, 2), strides (1, 3) */
    int64_t ts[2] = {3, 2}, st[2] = {1, 3};
    Tensor *v = tensor_as_strided(t, 2, ts, st, 0);
    assert_non_null(v);
    assert_int_equal(t->storage->rc, 2);
    assert_ptr_equal(v->storage, t->storage);
    assert_false(tensor_is_contiguous(v));
    assert_true(tensor_get_f64(v, 1) == 3.0); /* v[0][1] = t[1][0] */
    /* writes through the view are visible in the base */
    *(float *)tensor_data(v) = 42.f;
    assert_true(tensor_get_f64(t, 0) == 42.0);
    /* the storage outlives its first owner */
    tensor_release(t);
    assert_int_equal(v->storage->rc, 1);
    assert_true(tensor_get_f64(v, 5) == 5.0);
    Tensor *c = tensor_contiguous(v);
    assert_true(tensor_is_contiguous(c));
    assert_ptr_not_equal(c->storage, v->storage);
    assert_true(tensor_get_f64(c, 2) == 1.0);
    Tensor *same = tensor_contiguous(c);
    assert_ptr_equal(same, c);
    assert_int_equal(c->rc, 2);
    tensor_release(same);
    tensor_release(c);
    tensor_release(v);
}

static void test_offset_and_numel(void **state) {
    (void)state;
    int64_t shape[1] = {10};
    Tensor *t = arange_f32(1, shape);
    int64_t s[1] = {3}, st[1] = {2};
    Tensor *v = tensor_as_strided(t, 1, s, st, 4); /* t[4:10:2] */
    assert_true(tensor_get_f64(v, 0) == 4.0);
    assert_true(tensor_get_f64(v, 2) == 8.0);
    assert_int_equal(tensor_numel(v), 3);
    int64_t zero_shape[2] = {0, 3};
    Tensor *e = tensor_empty(DT_INT64, 2, zero_shape, device_cpu());
    assert_int_equal(tensor_numel(e), 0);
    assert_true(tensor_is_contiguous(e));
    tensor_release(e);
    tensor_release(v);
    tensor_release(t);
}

static void test_copy_broadcast_convert(void **state) {
    (void)state;
    int64_t row[1] = {3}, mat[2] = {2, 3};
    Tensor *src = arange_f32(1, row);
    Tensor *dst = tensor_zeros(DT_INT32, 2, mat, device_cpu());
    assert_true(tensor_copy_(dst, src));
    const int32_t *d = (const int32_t *)tensor_data(dst);
    int32_t expect[6] = {0, 1, 2, 0, 1, 2};
    assert_memory_equal(d, expect, sizeof expect);
    /* a mismatched shape raises PyTorch's expand error */
    int64_t four[1] = {4};
    Tensor *bad = arange_f32(1, four);
    assert_false(tensor_copy_(dst, bad));
    assert_int_equal(tsr_err_kind(), ERR_RuntimeError);
    assert_string_equal(tsr_err_msg(),
                        "The expanded size of the tensor (3) must match the existing size (4) at "
                        "non-singleton dimension 1.  Target sizes: [2, 3].  Tensor sizes: [4]");
    tsr_err_clear();
    /* float -> bool */
    Tensor *b = tensor_clone(src, DT_BOOL);
    assert_true(tensor_get_i64(b, 0) == 0 && tensor_get_i64(b, 2) == 1);
    tensor_release(b);
    tensor_release(bad);
    tensor_release(dst);
    tensor_release(src);
}

static void test_overlapping_copy(void **state) {
    (void)state;
    /* x[1:] = x[:-1] must copy the old values */
    int64_t n[1] = {5};
    Tensor *t = arange_f32(1, n);
    int64_t four[1] = {4}, one[1] = {1};
    Tensor *dst = tensor_as_strided(t, 1, four, one, 1);
    Tensor *src = tensor_as_strided(t, 1, four, one, 0);
    assert_true(tensor_copy_(dst, src));
    float expect[5] = {0, 0, 1, 2, 3};
    assert_memory_equal(tensor_data(t), expect, sizeof expect);
    tensor_release(dst);
    tensor_release(src);
    tensor_release(t);
}

static void test_errors(void **state) {
    (void)state;
    int64_t neg[2] = {2, -1};
    assert_null(tensor_empty(DT_FLOAT32, 2, neg, device_cpu()));
    assert_string_equal(tsr_err_msg(), "Trying to create tensor with negative dimension -1: [2, -1]");
    tsr_err_clear();
    assert_int_equal(wrap_dim(-1, 3), 2);
    assert_int_equal(wrap_dim(3, 3), -1);
    assert_int_equal(tsr_err_kind(), ERR_IndexError);
    assert_string_equal(tsr_err_msg(),
                        "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    tsr_err_clear();
    assert_int_equal(wrap_dim(0, 0), 0);
    assert_int_equal(wrap_dim(-1, 0), 0);
    /* absurd sizes fail cleanly instead of crashing */
    int64_t huge[2] = {INT64_MAX / 2, 4};
    assert_null(tensor_empty(DT_FLOAT64, 2, huge, device_cpu()));
    assert_true(tsr_err_occurred());
    tsr_err_clear();
    int64_t big[1] = {(int64_t)1 << 50};
    assert_null(tensor_empty(DT_FLOAT64, 1, big, device_cpu()));
    assert_int_equal(tsr_err_kind(), ERR_RuntimeError);
    tsr_err_clear();
}

static void test_autograd_record_frees(void **state) {
    (void)state;
    Tensor *x = tensor_scalar_f64(DT_FLOAT32, 2.0);
    x->requires_grad = true;
    Tensor *y = tensor_scalar_f64(DT_FLOAT32, 4.0);
    Tensor *inputs[2] = {x, NULL};
    GradNode *n = ag_record(y, NODE_MulBackward0, inputs, 2);
    assert_non_null(n);
    assert_string_equal(ag_node_name(y->grad_fn), "MulBackward0");
    assert_non_null(n->next[0].node);
    assert_string_equal(ag_node_name(n->next[0].node), "AccumulateGrad");
    assert_null(n->next[1].node);
    assert_int_equal(x->rc, 2); /* the AccumulateGrad node holds the leaf */
    tensor_release(y);          /* frees the graph */
    assert_int_equal(x->rc, 1);
    tensor_release(x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_views_share_storage), cmocka_unit_test(test_offset_and_numel),
        cmocka_unit_test(test_copy_broadcast_convert), cmocka_unit_test(test_overlapping_copy),
        cmocka_unit_test(test_errors), cmocka_unit_test(test_autograd_record_frees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
