/* test_autograd.c: the backward engine (ag_backward, ag_grad) on small
 * graphs built with the op layer. Expected values come from PyTorch 1.13
 * (the oracle); they are exact in binary floating point. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "autograd.h"
#include "backward.h"
#include "error.h"
#include "formula.h"
#include "ops.h"

/* ---- helpers */

static Tensor *vec(DType dt, int n, const double *vals, bool requires_grad) {
    int64_t shape[1] = {n};
    Tensor *t = tensor_empty(dt, 1, shape, device_cpu());
    assert_non_null(t);
    for (int i = 0; i < n; i++) dtype_store_f64(dt, tensor_data(t) + i * (int64_t)dtype_size(dt), vals[i]);
    t->requires_grad = requires_grad;
    return t;
}

static Tensor *scalar(double v, bool requires_grad) {
    Tensor *t = tensor_scalar_f64(DT_FLOAT32, v);
    assert_non_null(t);
    t->requires_grad = requires_grad;
    return t;
}

static void expect_values(const Tensor *t, int n, const double *want) {
    assert_non_null(t);
    assert_int_equal(tensor_numel(t), n);
    for (int i = 0; i < n; i++) assert_true(tensor_get_f64(t, i) == want[i]);
}

static Tensor *mul(Tensor *a, Tensor *b) {
    Tensor *r = op_binary(BIN_MUL, a, b);
    assert_non_null(r);
    return r;
}

static Tensor *add(Tensor *a, Tensor *b) {
    Tensor *r = op_binary(BIN_ADD, a, b);
    assert_non_null(r);
    return r;
}

static Tensor *sum(Tensor *a) {
    Tensor *r = op_sum(a, 0, NULL, false, DT_UNDEFINED);
    assert_non_null(r);
    return r;
}

static Tensor *pow_scalar(Tensor *a, double e) {
    Tensor *w = tensor_wrapped_float(e);
    Tensor *r = op_binary(BIN_POW, a, w);
    tensor_release(w);
    assert_non_null(r);
    return r;
}

/* An engine call that must succeed; shows the error otherwise. */
#define OK(call)                                                         \
    do {                                                                 \
        if (!(call)) fail_msg("%s failed: %s", #call, tsr_err_msg());    \
    } while (0)

static void expect_error(const char *prefix) {
    assert_true(tsr_err_occurred());
    assert_int_equal(tsr_err_kind(), ERR_RuntimeError);
    if (strncmp(tsr_err_msg(), prefix, strlen(prefix))) fail_msg("got error: %s", tsr_err_msg());
    tsr_err_clear();
}

/* ---- tests */

/* y = (x*x).sum() twice: x.grad accumulates 2x + 2x */
static void test_accumulates_across_calls(void **state) {
    Tensor *x = vec(DT_FLOAT32, 2, (double[]){1, 2}, true);
    for (int k = 0; k < 2; k++) {
        Tensor *xx = mul(x, x), *y = sum(xx);
        OK(ag_backward(y, NULL, false, false));
        tensor_release(xx);
        tensor_release(y);
    }
    expect_values(x->grad, 2, (double[]){4, 8});
    assert_int_equal(x->grad->dtype, DT_FLOAT32);
    assert_null(x->grad->grad_fn);
    tensor_release(x);
}

/* y = (x*x + x*w).sum(): gradients meet at x from three edges */
static void test_several_paths(void **state) {
    Tensor *x = vec(DT_FLOAT32, 2, (double[]){1, 2}, true);
    Tensor *w = scalar(3, true);
    Tensor *xx = mul(x, x), *xw = mul(x, w), *s = add(xx, xw), *y = sum(s);
    OK(ag_backward(y, NULL, false, false));
    expect_values(x->grad, 2, (double[]){5, 7}); /* 2x + w */
    expect_values(w->grad, 1, (double[]){3});    /* sum(x) */
    tensor_release(xx), tensor_release(xw), tensor_release(s), tensor_release(y);
    tensor_release(x), tensor_release(w);
}

/* retain_graph keeps saved tensors; the next backward frees them and a
 * third one raises PyTorch's error */
static void test_retain_graph_and_freed_graph(void **state) {
    Tensor *x = scalar(3, true);
    Tensor *y = pow_scalar(x, 3);
    OK(ag_backward(y, NULL, true, false));
    expect_values(x->grad, 1, (double[]){27});
    OK(ag_backward(y, NULL, false, false));
    expect_values(x->grad, 1, (double[]){54});
    assert_true(y->grad_fn->released);
    assert_false(ag_backward(y, NULL, false, false));
    expect_error("Trying to backward through the graph a second time (or directly access saved tensors "
                 "after they have already been freed).");
    expect_values(x->grad, 1, (double[]){54});
    tensor_release(y), tensor_release(x);
}

/* a saved tensor modified in place after it was saved */
static void test_version_counter(void **state) {
    Tensor *x = vec(DT_FLOAT32, 2, (double[]){1, 2}, true);
    Tensor *a = vec(DT_FLOAT32, 2, (double[]){1, 1}, false);
    Tensor *xa = mul(x, a), *y = sum(xa);
    Tensor *one = tensor_wrapped_float(1);
    Tensor *r = op_binary_(BIN_ADD, a, one);
    assert_non_null(r);
    tensor_release(r), tensor_release(one);
    assert_false(ag_backward(y, NULL, false, false));
    expect_error("one of the variables needed for gradient computation has been modified by an inplace "
                 "operation: [torch.FloatTensor [2]]");
    assert_null(x->grad);
    tensor_release(xa), tensor_release(y), tensor_release(a), tensor_release(x);
}

/* b = a*3; b.retain_grad(); (b*b).backward() -> b.grad 2b, a.grad 6b */
static void test_retain_grad(void **state) {
    Tensor *a = scalar(2, true);
    Tensor *three = tensor_wrapped_float(3);
    Tensor *b = mul(a, three);
    OK(ag_retain_grad(b));
    Tensor *c = mul(b, b);
    OK(ag_backward(c, NULL, false, false));
    expect_values(b->grad, 1, (double[]){12});
    expect_values(a->grad, 1, (double[]){36});
    tensor_release(c);
    tensor_release(b); /* dies while registered: the node forgets it */
    tensor_release(three), tensor_release(a);
}

/* torch.autograd.grad(d, [a, z], allow_unused=True) -> (2, None) */
static void test_grad_allow_unused(void **state) {
    Tensor *a = scalar(2, true), *z = scalar(1, true);
    Tensor *two = tensor_wrapped_float(2);
    Tensor *d = mul(a, two);
    Tensor *ins[2] = {a, z}, *res[2];
    assert_false(ag_grad(&d, NULL, 1, ins, 2, 1, false, false, res));
    expect_error("One of the differentiated Tensors appears to not have been used in the graph. "
                 "Set allow_unused=True if this is the desired behavior.");
    assert_null(res[0]);
    OK(ag_grad(&d, NULL, 1, ins, 2, -1, false, true, res));
    expect_values(res[0], 1, (double[]){2});
    assert_null(res[1]);
    assert_null(a->grad); /* grad() leaves .grad alone */
    tensor_release(res[0]);
    Tensor *plain = scalar(1, false);
    assert_false(ag_grad(&d, NULL, 1, &plain, 1, 1, false, false, res));
    expect_error("One of the differentiated Tensors does not require grad");
    tensor_release(plain), tensor_release(d), tensor_release(two), tensor_release(a), tensor_release(z);
}

/* grad of a non-leaf: p -> q = 2p -> s = sum(q*q); ds/dq = 2q */
static void test_grad_nonleaf_input(void **state) {
    Tensor *p = vec(DT_FLOAT32, 2, (double[]){1, 3}, true);
    Tensor *two = tensor_wrapped_float(2);
    Tensor *q = mul(p, two), *qq = mul(q, q), *s = sum(qq);
    Tensor *ins[2] = {q, p}, *res[2];
    OK(ag_grad(&s, NULL, 1, ins, 2, -1, false, false, res));
    expect_values(res[0], 2, (double[]){4, 12});
    expect_values(res[1], 2, (double[]){8, 24});
    tensor_release(res[0]), tensor_release(res[1]);
    tensor_release(s), tensor_release(qq), tensor_release(q), tensor_release(two), tensor_release(p);
}

/* x**3 at 2: 12, then 12 (6x), then 6, through create_graph */
static void test_create_graph_higher_order(void **state) {
    Tensor *x = scalar(2, true);
    Tensor *f = pow_scalar(x, 3);
    Tensor *g1, *g2, *g3;
    OK(ag_grad(&f, NULL, 1, &x, 1, -1, true, false, &g1));
    expect_values(g1, 1, (double[]){12});
    assert_non_null(g1->grad_fn);
    OK(ag_grad(&g1, NULL, 1, &x, 1, -1, true, false, &g2));
    expect_values(g2, 1, (double[]){12});
    OK(ag_grad(&g2, NULL, 1, &x, 1, -1, false, false, &g3));
    expect_values(g3, 1, (double[]){6});
    assert_null(g3->grad_fn);
    assert_true(ag_grad_enabled);
    /* backward(create_graph=True): x.grad has a graph (CopyBackwards) */
    OK(ag_backward(f, NULL, true, true));
    assert_non_null(x->grad->grad_fn);
    assert_string_equal(ag_node_name(x->grad->grad_fn), "CopyBackwards");
    OK(ag_backward(x->grad, NULL, false, false));
    expect_values(x->grad, 1, (double[]){24}); /* 12 + d(3x^2)/dx, in place */
    /* x.grad's graph holds x: the cycle PyTorch warns about; x.grad = None breaks it */
    tensor_release(x->grad);
    x->grad = NULL;
    tensor_release(g1), tensor_release(g2), tensor_release(g3), tensor_release(f), tensor_release(x);
}

/* the gradient takes the leaf's dtype: (x64.float() * 2).sum() */
static void test_gradient_dtype(void **state) {
    Tensor *x = vec(DT_FLOAT64, 2, (double[]){1, 2}, true);
    Tensor *xf = op_to_dtype(x, DT_FLOAT32);
    assert_non_null(xf);
    Tensor *two = tensor_wrapped_float(2);
    Tensor *m = mul(xf, two), *y = sum(m);
    OK(ag_backward(y, NULL, false, false));
    assert_int_equal(x->grad->dtype, DT_FLOAT64);
    expect_values(x->grad, 2, (double[]){2, 2});
    tensor_release(y), tensor_release(m), tensor_release(two), tensor_release(xf), tensor_release(x);
}

/* the errors of the seed gradient */
static void test_root_errors(void **state) {
    Tensor *x = vec(DT_FLOAT32, 2, (double[]){1, 2}, true);
    Tensor *two = tensor_wrapped_float(2);
    Tensor *y = mul(x, two);
    assert_false(ag_backward(y, NULL, false, false));
    expect_error("grad can be implicitly created only for scalar outputs");
    Tensor *g3 = vec(DT_FLOAT32, 3, (double[]){1, 1, 1}, false);
    assert_false(ag_backward(y, g3, false, false));
    expect_error("Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a "
                 "shape of torch.Size([2]).");
    Tensor *g2 = vec(DT_FLOAT32, 2, (double[]){1, -1}, false);
    OK(ag_backward(y, g2, false, false));
    expect_values(x->grad, 2, (double[]){2, -2});
    Tensor *plain = vec(DT_FLOAT32, 2, (double[]){1, 2}, false);
    Tensor *ps = sum(plain);
    assert_false(ag_backward(ps, NULL, false, false));
    expect_error("element 0 of tensors does not require grad and does not have a grad_fn");
    /* a leaf root: its gradient goes straight to .grad */
    OK(ag_backward(x, g2, false, false));
    expect_values(x->grad, 2, (double[]){3, -3});
    tensor_release(ps), tensor_release(plain), tensor_release(g2), tensor_release(g3);
    tensor_release(y), tensor_release(two), tensor_release(x);
}

/* a node without a formula (AccumulateGrad's row: the engine never runs
 * it) names itself; grad mode comes back */
static void test_missing_formula(void **state) {
    assert_ptr_equal(ag_formulas[NODE_AccumulateGrad], no_formula);
    Tensor *x = scalar(1, true);
    Tensor *y = tensor_clone(x, DT_UNDEFINED);
    assert_non_null(ag_record(y, NODE_AccumulateGrad, &x, 1));
    assert_false(ag_backward(y, NULL, false, true));
    expect_error("tsr: no backward formula for AccumulateGrad yet");
    assert_true(ag_grad_enabled);
    tensor_release(y), tensor_release(x);
}

/* AG_NODES: every kind has a unique, non-empty name, and every kind that
 * code records has a formula (only AccumulateGrad's row, which the engine
 * handles itself, has none); that each row names a function at all is
 * checked when it compiles. */
static void test_node_kinds(void **state) {
    assert_null(ag_node_names[NODE_NONE]);
    assert_null(ag_formulas[NODE_NONE]);
    for (int k = 1; k < NODE_COUNT; k++) {
        const char *name = ag_node_names[k];
        assert_non_null(name);
        assert_true(name[0] != 0);
        for (int j = 1; j < k; j++)
            if (!strcmp(ag_node_names[j], name)) fail_msg("node name %s twice (kinds %d and %d)", name, j, k);
        assert_non_null(ag_formulas[k]);
        if (k != NODE_AccumulateGrad && ag_formulas[k] == no_formula) fail_msg("%s has no formula", name);
    }
    assert_string_equal(ag_node_names[NODE_MulBackward0], "MulBackward0");
    assert_ptr_equal(ag_formulas[NODE_MulBackward0], mul_backward);
}

/* torch.autograd.backward([u.sum(), (u*u).sum()]) in one pass */
static void test_backward_multi(void **state) {
    Tensor *p = vec(DT_FLOAT32, 3, (double[]){1, 2, 3}, true);
    Tensor *two = tensor_wrapped_float(2);
    Tensor *u = mul(p, two), *uu = mul(u, u);
    Tensor *roots[2] = {sum(u), sum(uu)};
    OK(ag_backward_multi(roots, NULL, 2, false, false));
    expect_values(p->grad, 3, (double[]){10, 18, 26});
    tensor_release(roots[0]), tensor_release(roots[1]);
    tensor_release(uu), tensor_release(u), tensor_release(two), tensor_release(p);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accumulates_across_calls),
        cmocka_unit_test(test_several_paths),
        cmocka_unit_test(test_retain_graph_and_freed_graph),
        cmocka_unit_test(test_version_counter),
        cmocka_unit_test(test_retain_grad),
        cmocka_unit_test(test_grad_allow_unused),
        cmocka_unit_test(test_grad_nonleaf_input),
        cmocka_unit_test(test_create_graph_higher_order),
        cmocka_unit_test(test_gradient_dtype),
        cmocka_unit_test(test_root_errors),
        cmocka_unit_test(test_missing_formula),
        cmocka_unit_test(test_node_kinds),
        cmocka_unit_test(test_backward_multi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
