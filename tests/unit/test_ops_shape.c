/* Views, shape ops and indexing (expected values from PyTorch 1.13). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ops.h"

static Tensor *arange2(DType dt, int r, int c) {
    int64_t s[2] = {r, c};
    Tensor *t = tensor_empty(dt, 2, s, device_cpu());
    for (int i = 0; i < r * c; i++) dtype_store_f64(dt, (char *)t->storage->data + i * dtype_size(dt), i);
    return t;
}

static Tensor *itensor(int n, const int64_t *v) {
    int64_t s = n;
    Tensor *t = tensor_empty(DT_INT64, 1, &s, device_cpu());
    memcpy(t->storage->data, v, sizeof(int64_t) * n);
    return t;
}

static void expect_err(ErrKind k, const char *msg) {
    assert_int_equal(tsr_err_kind(), k);
    assert_string_equal(tsr_err_msg(), msg);
    tsr_err_clear();
}

static void expect_values(Tensor *t, int n, const double *v) {
    assert_non_null(t);
    assert_int_equal(tensor_numel(t), n);
    for (int i = 0; i < n; i++) assert_true(tensor_get_f64(t, i) == v[i]);
}

static void test_view_reshape(void **st) {
    Tensor *x = arange2(DT_FLOAT32, 2, 3);
    int64_t s4 = 4, sm[2] = {-1, -1}, s6 = 6, s32[2] = {3, -1};
    assert_null(op_view(x, 1, &s4));
    expect_err(ERR_RuntimeError, "shape '[4]' is invalid for input of size 6");
    assert_null(op_view(x, 2, sm));
    expect_err(ERR_RuntimeError, "only one dimension can be inferred");
    Tensor *v = op_view(x, 2, s32);
    assert_int_equal(v->shape[1], 2);
    assert_ptr_equal(v->storage, x->storage);
    tensor_release(v);
    Tensor *t = op_t(x);
    assert_null(op_view(t, 1, &s6));
    expect_err(ERR_RuntimeError, "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
    Tensor *r = op_reshape(t, 1, &s6);
    assert_ptr_not_equal(r->storage, x->storage);
    double want[] = {0, 3, 1, 4, 2, 5};
    expect_values(r, 6, want);
    tensor_release(r);
    /* permuted 3-D: view(2,4,3) works with strides (12,1,4) */
    Tensor *b = arange2(DT_FLOAT32, 2, 12);
    int64_t s234[3] = {2, 3, 4}, perm[3] = {0, 2, 1}, s243[3] = {2, 4, 3}, s83[2] = {8, 3};
    Tensor *b3 = op_view(b, 3, s234), *bp = op_permute(b3, 3, perm);
    v = op_view(bp, 3, s243);
    assert_int_equal(v->stride[0], 12);
    assert_int_equal(v->stride[1], 1);
    assert_int_equal(v->stride[2], 4);
    tensor_release(v);
    r = op_reshape(bp, 2, s83);
    assert_int_equal(r->stride[0], 3);
    assert_ptr_not_equal(r->storage, b->storage);
    tensor_release(r);
    /* sliced: view(2,8) of c = x3[:, 1:] has strides (12,1) */
    Tensor *c = op_slice(b3, 1, 1, INT64_MAX, 1);
    int64_t s28[2] = {2, 8};
    v = op_view(c, 2, s28);
    assert_int_equal(v->stride[0], 12);
    assert_int_equal(v->offset, 4);
    tensor_release(v);
    /* autograd names */
    x->requires_grad = true;
    v = op_view(x, 1, &s6);
    assert_string_equal(ag_node_name(v->grad_fn), "ViewBackward0");
    assert_ptr_equal(v->view_base, x);
    tensor_release(v);
    v = op_reshape(x, 1, &s6);
    assert_string_equal(ag_node_name(v->grad_fn), "ReshapeAliasBackward0");
    tensor_release(v);
    tensor_release(t);
    t = op_t(x);
    v = op_reshape(t, 1, &s6);
    assert_string_equal(ag_node_name(v->grad_fn), "UnsafeViewBackward0");
    assert_null(v->view_base);
    tensor_release(v);
    Tensor *all[] = {x, t, b, b3, bp, c};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) tensor_release(all[i]);
}

static void test_dims_ops(void **st) {
    Tensor *x = arange2(DT_FLOAT32, 2, 3);
    int64_t p1 = 0, p00[2] = {0, 0};
    assert_null(op_permute(x, 1, &p1));
    expect_err(ERR_RuntimeError, "permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1");
    assert_null(op_permute(x, 2, p00));
    expect_err(ERR_RuntimeError, "permute(): duplicate dims are not allowed.");
    int64_t s234[3] = {2, 3, 1};
    Tensor *x3 = op_view(x, 3, s234);
    assert_null(op_t(x3));
    expect_err(ERR_RuntimeError, "t() expects a tensor with <= 2 dimensions, but self is 3D");
    Tensor *sq = op_squeeze(x3, 0, NULL);
    assert_int_equal(sq->ndim, 2);
    tensor_release(sq);
    int64_t dm1 = -1;
    sq = op_squeeze(x3, 1, &dm1);
    assert_int_equal(sq->ndim, 2);
    tensor_release(sq);
    Tensor *u = op_unsqueeze(x, 2);
    assert_int_equal(u->stride[2], 1);
    tensor_release(u);
    assert_null(op_unsqueeze(x, 3));
    expect_err(ERR_IndexError, "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
    Tensor *xt = op_t(x);
    u = op_unsqueeze(xt, 0);
    assert_int_equal(u->stride[0], 3);
    tensor_release(u);
    /* expand */
    Tensor *row = op_select(x, 0, 1);
    int64_t e24[2] = {2, 4}, e23[3] = {4, 2, 3}, e3 = 4, em[3] = {-1, 2, 3};
    Tensor *e = op_expand(row, 2, (int64_t[]){2, 3});
    assert_int_equal(e->stride[0], 0);
    assert_int_equal(e->offset, 3);
    tensor_release(e);
    assert_null(op_expand(row, 2, e24));
    expect_err(ERR_RuntimeError, "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]");
    e = op_expand(x, 3, e23);
    assert_int_equal(e->stride[0], 0);
    tensor_release(e);
    assert_null(op_expand(x, 1, &e3));
    expect_err(ERR_RuntimeError, "expand(torch.FloatTensor{[2, 3]}, size=[4]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)");
    assert_null(op_expand(x, 3, em));
    expect_err(ERR_RuntimeError, "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0");
    /* select / slice / narrow */
    assert_null(op_select(x, 0, 2));
    expect_err(ERR_IndexError, "select(): index 2 out of range for tensor of size [2, 3] at dimension 0");
    Tensor *s = op_slice(x, 1, -2, 100, 1);
    assert_int_equal(s->shape[1], 2);
    assert_int_equal(s->offset, 1);
    tensor_release(s);
    assert_null(op_slice(x, 0, 0, 2, 0));
    expect_err(ERR_ValueError, "step must be greater than zero");
    assert_null(op_narrow(x, 0, 1, 2));
    expect_err(ERR_RuntimeError, "start (1) + length (2) exceeds dimension size (2).");
    s = op_narrow(x, 0, -1, 1);
    assert_int_equal(s->offset, 3);
    tensor_release(s);
    /* flip / repeat */
    Tensor *f = op_flip(x, 1, (int64_t[]){1});
    double wf[] = {2, 1, 0, 5, 4, 3};
    expect_values(f, 6, wf);
    tensor_release(f);
    assert_null(op_flip(x, 2, p00));
    expect_err(ERR_RuntimeError, "dim 0 appears multiple times in the list of dims");
    Tensor *rp = op_repeat(row, 2, (int64_t[]){2, 2});
    double wr[] = {3, 4, 5, 3, 4, 5, 3, 4, 5, 3, 4, 5};
    assert_int_equal(rp->shape[1], 6);
    expect_values(rp, 12, wr);
    tensor_release(rp);
    Tensor *all[] = {x, x3, xt, row};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) tensor_release(all[i]);
}

static void test_cat_split(void **st) {
    Tensor *x = arange2(DT_FLOAT32, 2, 3), *o = arange2(DT_FLOAT32, 3, 3);
    Tensor *l = tensor_clone(x, DT_INT64), *in = tensor_clone(x, DT_INT32);
    assert_null(op_cat((Tensor *[]){x, o}, 2, 1));
    expect_err(ERR_RuntimeError, "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.");
    Tensor *c = op_cat((Tensor *[]){x, o}, 2, 0);
    assert_int_equal(c->shape[0], 5);
    assert_true(tensor_get_f64(c, 14) == 8);
    tensor_release(c);
    c = op_cat((Tensor *[]){l, in}, 2, -1);
    assert_int_equal(c->dtype, DT_INT64);
    assert_int_equal(c->shape[1], 6);
    tensor_release(c);
    int64_t z = 0;
    Tensor *empty = tensor_empty(DT_FLOAT32, 1, &z, device_cpu());
    c = op_cat((Tensor *[]){x, empty}, 2, 0);
    assert_int_equal(c->shape[0], 2);
    tensor_release(c);
    Tensor *r0 = op_select(x, 0, 0);
    assert_null(op_stack((Tensor *[]){r0, o}, 2, 0));
    expect_err(ERR_RuntimeError, "stack expects each tensor to be equal size, but got [3] at entry 0 and [3, 3] at entry 1");
    Tensor *r1 = op_select(x, 0, 1);
    c = op_stack((Tensor *[]){r0, r1}, 2, 1);
    double ws[] = {0, 3, 1, 4, 2, 5};
    assert_int_equal(c->shape[0], 3);
    expect_values(c, 6, ws);
    tensor_release(c);
    Tensor **parts;
    int n = op_split(o, 2, 0, &parts);
    assert_int_equal(n, 2);
    assert_int_equal(parts[1]->shape[0], 1);
    assert_int_equal(parts[1]->offset, 6);
    for (int i = 0; i < n; i++) tensor_release(parts[i]);
    free(parts);
    assert_int_equal(op_split(x, 0, 0, &parts), -1);
    expect_err(ERR_RuntimeError, "split_size can only be 0 if dimension size is 0, but got dimension size of 2");
    assert_int_equal(op_split_sizes(x, 2, (int64_t[]){1, 2}, 0, &parts), -1);
    expect_err(ERR_RuntimeError, "split_with_sizes expects split_sizes to sum exactly to 2 (input tensor's size at dimension 0), but got split_sizes=[1, 2]");
    n = op_chunk(x, 4, 1, &parts);
    assert_int_equal(n, 3);
    for (int i = 0; i < n; i++) tensor_release(parts[i]);
    free(parts);
    x->requires_grad = true;
    n = op_unbind(x, 1, &parts);
    assert_int_equal(n, 3);
    assert_string_equal(ag_node_name(parts[2]->grad_fn), "UnbindBackward0");
    assert_int_equal(parts[2]->output_nr, 2);
    for (int i = 0; i < n; i++) tensor_release(parts[i]);
    free(parts);
    Tensor *all[] = {x, o, l, in, empty, r0, r1};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) tensor_release(all[i]);
}

static TensorIndex I(int64_t i) { TensorIndex t = {.kind = IDX_INT, .i = i}; return t; }
static TensorIndex S(bool hs, int64_t a, bool he, int64_t b, int64_t step) {
    TensorIndex t = {.kind = IDX_SLICE, .has_start = hs, .start = a, .has_stop = he, .stop = b, .step = step};
    return t;
}
static TensorIndex T(Tensor *x) { TensorIndex t = {.kind = IDX_TENSOR, .tensor = x}; return t; }
static const TensorIndex NONE = {.kind = IDX_NONE}, ELL = {.kind = IDX_ELLIPSIS};

static void test_index(void **st) {
    Tensor *x = arange2(DT_FLOAT32, 3, 4);
    assert_null(op_index(x, (TensorIndex[]){I(5)}, 1));
    expect_err(ERR_IndexError, "index 5 is out of bounds for dimension 0 with size 3");
    assert_null(op_index(x, (TensorIndex[]){I(0), I(0), I(0)}, 3));
    expect_err(ERR_IndexError, "too many indices for tensor of dimension 2");
    assert_null(op_index(x, (TensorIndex[]){S(false, 0, false, 0, -1)}, 1));
    expect_err(ERR_ValueError, "step must be greater than zero");
    Tensor *r = op_index(x, (TensorIndex[]){ELL, NONE, I(1)}, 3);
    assert_int_equal(r->ndim, 2);
    assert_int_equal(r->stride[0], 4);
    assert_int_equal(r->offset, 1);
    assert_ptr_equal(r->storage, x->storage);
    tensor_release(r);
    r = op_index(x, (TensorIndex[]){S(true, -10, true, 2, 1)}, 1);
    assert_int_equal(r->shape[0], 2);
    tensor_release(r);
    Tensor *i02 = itensor(2, (int64_t[]){0, 2}), *i3 = itensor(1, (int64_t[]){3});
    r = op_index(x, (TensorIndex[]){S(false, 0, false, 0, 1), T(i02)}, 2);
    double w1[] = {0, 2, 4, 6, 8, 10};
    assert_int_equal(r->shape[0], 3);
    expect_values(r, 6, w1);
    tensor_release(r);
    assert_null(op_index(x, (TensorIndex[]){T(i3)}, 1));
    expect_err(ERR_IndexError, "index 3 is out of bounds for dimension 0 with size 3");
    /* non-adjacent advanced dims go to the front: x[t, None, t] -> [2, 1] */
    Tensor *i01 = itensor(2, (int64_t[]){0, 1}), *i12 = itensor(2, (int64_t[]){1, 2});
    r = op_index(x, (TensorIndex[]){T(i01), NONE, T(i12)}, 3);
    assert_int_equal(r->ndim, 2);
    assert_int_equal(r->shape[0], 2);
    assert_int_equal(r->shape[1], 1);
    double w2[] = {1, 6};
    expect_values(r, 2, w2);
    tensor_release(r);
    /* bool mask */
    int64_t three = 3, two = 2;
    Tensor *m = tensor_zeros(DT_BOOL, 1, &three, device_cpu());
    ((bool *)m->storage->data)[0] = ((bool *)m->storage->data)[2] = true;
    r = op_index(x, (TensorIndex[]){T(m)}, 1);
    double w3[] = {0, 1, 2, 3, 8, 9, 10, 11};
    assert_int_equal(r->shape[0], 2);
    expect_values(r, 8, w3);
    tensor_release(r);
    Tensor *m2 = tensor_zeros(DT_BOOL, 1, &two, device_cpu());
    assert_null(op_index(x, (TensorIndex[]){T(m2)}, 1));
    expect_err(ERR_IndexError, "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0");
    /* index_put_ */
    Tensor *y = tensor_clone(x, DT_UNDEFINED);
    Tensor *val = tensor_wrapped_int(7);
    int64_t v0 = y->storage->version;
    assert_true(op_index_put_(y, (TensorIndex[]){S(false, 0, false, 0, 1), I(1)}, 2, val));
    assert_true(tensor_get_f64(y, 9) == 7);
    assert_int_equal(y->storage->version, v0 + 1);
    Tensor *vd = tensor_clone(i12, DT_FLOAT64);
    assert_false(op_index_put_(y, (TensorIndex[]){T(i01)}, 1, vd));
    expect_err(ERR_RuntimeError, "Index put requires the source and destination dtypes match, got Float for the destination and Double for the source.");
    Tensor *vf = tensor_clone(i12, DT_FLOAT32);
    assert_true(op_index_put_(y, (TensorIndex[]){T(i02), T(i01)}, 2, vf));
    assert_true(tensor_get_f64(y, 0) == 1 && tensor_get_f64(y, 9) == 2);
    Tensor *v3 = tensor_full_f64(DT_FLOAT32, 1, &three, 5, device_cpu());
    assert_false(op_index_put_(y, (TensorIndex[]){T(m)}, 1, v3));
    expect_err(ERR_RuntimeError, "shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 4]");
    /* autograd names */
    x->requires_grad = true;
    r = op_index(x, (TensorIndex[]){T(i02)}, 1);
    assert_string_equal(ag_node_name(r->grad_fn), "IndexBackward0");
    tensor_release(r);
    r = op_index(x, (TensorIndex[]){ELL}, 1);
    assert_string_equal(ag_node_name(r->grad_fn), "AliasBackward0");
    tensor_release(r);
    assert_false(op_index_put_(x, (TensorIndex[]){I(0)}, 1, val));
    expect_err(ERR_RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation.");
    Tensor *all[] = {x, i02, i3, i01, i12, m, m2, y, val, vd, vf, v3};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) tensor_release(all[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_reshape),
        cmocka_unit_test(test_dims_ops),
        cmocka_unit_test(test_cat_split),
        cmocka_unit_test(test_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
