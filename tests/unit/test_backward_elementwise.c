/* test_backward_elementwise.c: the backward formulas of the elementwise,
 * conversion and clone nodes, called directly on the node a forward op
 * recorded. Expected gradients come from PyTorch 1.13 (x.grad after
 * y.backward(tensor([1., -2., 0.5])) in float32); every formula is also
 * checked against central finite differences in float64, with broadcasting,
 * non-contiguous inputs and mixed dtypes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "backward.h"
#include "ops.h"

/* ---- helpers */

static Tensor *mk(DType dt, int nd, const int64_t *shape, const double *vals) {
    Tensor *t = tensor_empty(dt, nd, shape, device_cpu());
    assert_non_null(t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n; i++)
        dtype_store_f64(dt, (char *)t->storage->data + i * dtype_size(dt), vals[i]);
    return t;
}
static Tensor *mk3(DType dt, const double *v) { return mk(dt, 1, (const int64_t[]){3}, v); }

/* The edge of node that stands for leaf (NULL-safe leaf); -1 if none. */
static int edge_of(GradNode *node, Tensor *leaf) {
    for (int i = 0; leaf && i < node->n_next; i++)
        if (node->next[i].node && node->next[i].node->leaf == leaf) return i;
    return -1;
}

/* Runs out's node formula with gout; *ga, *gb: the gradients for the leaves
 * a and b (new references, NULL when none). Returns the formula's result. */
static bool run_formula(Tensor *out, Tensor *gout, Tensor *a, Tensor *b, Tensor **ga, Tensor **gb) {
    GradNode *node = out->grad_fn;
    assert_non_null(node);
    BackwardFn fn = ag_formulas[node->kind];
    if (!fn) fail_msg("no formula for %s", ag_node_name(node));
    Tensor **gi = calloc((size_t)node->n_next + 1, sizeof *gi);
    Tensor *go[1] = {gout};
    bool ok = fn(node, go, gi);
    int ia = edge_of(node, a), ib = edge_of(node, b);
    *ga = ia >= 0 ? gi[ia] : NULL;
    *gb = ib >= 0 ? gi[ib] : NULL;
    for (int i = 0; i < node->n_next; i++)
        if (i != ia && i != ib) tensor_release(gi[i]);
    free(gi);
    return ok;
}

static void expect_vals(Tensor *t, const Tensor *like, double tol, const double *v) {
    assert_non_null(t);
    assert_int_equal(t->dtype, like->dtype);
    assert_int_equal(t->ndim, like->ndim);
    for (int d = 0; d < t->ndim; d++) assert_int_equal(t->shape[d], like->shape[d]);
    for (int64_t i = 0; i < tensor_numel(t); i++) {
        double got = tensor_get_f64(t, i);
        if (isnan(v[i]) ? !isnan(got) : fabs(got - v[i]) > tol * fmax(1, fabs(v[i])))
            fail_msg("element %lld: got %.9g, expected %.9g", (long long)i, got, v[i]);
    }
}

/* ---- the cases */

enum { K_UN, K_BIN, K_CUSTOM };
enum {
    C_POW_SCALAR, C_MUL_SCALAR, C_RSUB, C_FMOD_SCALAR, C_REM_SCALAR, C_CLAMP_SCALAR,
    C_CLAMP_MIN, C_CLAMP_TENSOR, C_CLAMP_TMAX, C_WHERE, C_MASKED_FILL, C_MASKED_FILL_T,
    C_SOFTMAX, C_LOG_SOFTMAX, C_TO_F64, C_CLONE,
};

typedef struct {
    const char *node;
    int kind, op;
    double a[3], b[3];   /* inputs of the oracle case */
    double ga[3], gb[3]; /* PyTorch's gradients */
} Case;

static const Case cases[] = {
    {"NegBackward0", K_UN, UN_NEG, {0.5, 1.5, -2}, {0}, {-1, 2, -0.5}, {0}},
    {"AbsBackward0", K_UN, UN_ABS, {0.5, 1.5, -2}, {0}, {1, -2, -0.5}, {0}},
    {"SignBackward0", K_UN, UN_SIGN, {0.5, 1.5, -2}, {0}, {0, 0, 0}, {0}},
    {"PowBackward0", K_UN, UN_SQUARE, {0.5, 1.5, -2}, {0}, {1, -6, -2}, {0}},
    {"ReluBackward0", K_UN, UN_RELU, {0.5, 1.5, -2}, {0}, {1, -2, 0}, {0}},
    {"SqrtBackward0", K_UN, UN_SQRT, {0.5, 1.5, 2}, {0}, {0.707106769, -0.816496551, 0.176776692}, {0}},
    {"RsqrtBackward0", K_UN, UN_RSQRT, {0.5, 1.5, 2}, {0}, {-1.41421342, 0.544331014, -0.0883883387}, {0}},
    {"ExpBackward0", K_UN, UN_EXP, {0.5, 1.5, -2}, {0}, {1.64872122, -8.96337795, 0.0676676407}, {0}},
    {"Exp2Backward0", K_UN, UN_EXP2, {0.5, 1.5, -2}, {0}, {0.980258107, -3.92103243, 0.0866433978}, {0}},
    {"Expm1Backward0", K_UN, UN_EXPM1, {0.5, 1.5, -2}, {0}, {1.64872122, -8.96337795, 0.0676676333}, {0}},
    {"LogBackward0", K_UN, UN_LOG, {0.5, 1.5, 2}, {0}, {2, -1.33333337, 0.25}, {0}},
    {"Log2Backward0", K_UN, UN_LOG2, {0.5, 1.5, 2}, {0}, {2.88539004, -1.9235934, 0.360673755}, {0}},
    {"Log10Backward0", K_UN, UN_LOG10, {0.5, 1.5, 2}, {0}, {0.868588924, -0.579059303, 0.108573616}, {0}},
    {"Log1PBackward0", K_UN, UN_LOG1P, {0.5, 1.5, 2}, {0}, {0.666666687, -0.800000012, 0.166666672}, {0}},
    {"SinBackward0", K_UN, UN_SIN, {0.5, 1.5, -2}, {0}, {0.87758255, -0.141474396, -0.208073422}, {0}},
    {"CosBackward0", K_UN, UN_COS, {0.5, 1.5, -2}, {0}, {-0.47942555, 1.99498999, 0.454648703}, {0}},
    {"TanBackward0", K_UN, UN_TAN, {0.5, 1.5, -2}, {0}, {1.29844642, -399.700104, 2.8871994}, {0}},
    {"AsinBackward0", K_UN, UN_ASIN, {0.5, -0.25, 0.75}, {0}, {1.15470052, -2.0655911, 0.755928993}, {0}},
    {"AcosBackward0", K_UN, UN_ACOS, {0.5, -0.25, 0.75}, {0}, {-1.15470052, 2.0655911, -0.755928993}, {0}},
    {"AtanBackward0", K_UN, UN_ATAN, {0.5, 1.5, -2}, {0}, {0.800000012, -0.615384638, 0.100000001}, {0}},
    {"SinhBackward0", K_UN, UN_SINH, {0.5, 1.5, -2}, {0}, {1.12762594, -4.7048192, 1.88109791}, {0}},
    {"CoshBackward0", K_UN, UN_COSH, {0.5, 1.5, -2}, {0}, {0.521095276, -4.25855875, -1.81343019}, {0}},
    {"TanhBackward0", K_UN, UN_TANH, {0.5, 1.5, -2}, {0}, {0.786447704, -0.36141324, 0.035325408}, {0}},
    {"SigmoidBackward0", K_UN, UN_SIGMOID, {0.5, 1.5, -2}, {0}, {0.23500371, -0.298292935, 0.0524967909}, {0}},
    {"ReciprocalBackward0", K_UN, UN_RECIPROCAL, {0.5, 1.5, -2}, {0}, {-4, 0.888888955, -0.125}, {0}},
    {"FloorBackward0", K_UN, UN_FLOOR, {0.5, 1.5, -2}, {0}, {0, 0, 0}, {0}},
    {"CeilBackward0", K_UN, UN_CEIL, {0.5, 1.5, -2}, {0}, {0, 0, 0}, {0}},
    {"RoundBackward0", K_UN, UN_ROUND, {0.5, 1.5, -2}, {0}, {0, 0, 0}, {0}},
    {"TruncBackward0", K_UN, UN_TRUNC, {0.5, 1.5, -2}, {0}, {0, 0, 0}, {0}},
    {"FracBackward0", K_UN, UN_FRAC, {0.5, 1.5, -2}, {0}, {1, -2, 0.5}, {0}},
    {"AddBackward0", K_BIN, BIN_ADD, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, -2, 0.5}, {1, -2, 0.5}},
    {"SubBackward0", K_BIN, BIN_SUB, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, -2, 0.5}, {-1, 2, -0.5}},
    {"MulBackward0", K_BIN, BIN_MUL, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {0.5, 1, 0.625}, {0.5, -3, -1}},
    {"DivBackward0", K_BIN, BIN_DIV, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {2, 4, 0.400000006}, {-2, 12, 0.639999986}},
    {"PowBackward1", K_BIN, BIN_POW, {0.5, 1.5, 2}, {2, -0.5, 1.25}, {1, 0.544331074, 0.743254423}, {-0.173286796, -0.662121773, 0.824295521}},
    {"Atan2Backward0", K_BIN, BIN_ATAN2, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, 0.400000006, 0.112359554}, {-1, 1.20000005, 0.179775283}},
    {"HypotBackward0", K_BIN, BIN_HYPOT, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {0.707106769, -1.89736652, -0.423999161}, {0.707106769, 0.632455528, 0.264999479}},
    {"MaximumBackward0", K_BIN, BIN_MAXIMUM, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {0.5, -2, 0}, {0.5, 0, 0.5}},
    {"MinimumBackward0", K_BIN, BIN_MINIMUM, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {0.5, 0, 0.5}, {0.5, -2, 0}},
    {"FmodBackward1", K_BIN, BIN_FMOD, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, -2, 0.5}, {-1, -6, 0.5}},
    {"RemainderBackward1", K_BIN, BIN_REMAINDER, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, -2, 0.5}, {-1, -6, 1}},
    {"PowBackward0", K_CUSTOM, C_POW_SCALAR, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {0.883883476, -9.18558693, NAN}, {0}},
    {"MulBackward0", K_CUSTOM, C_MUL_SCALAR, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {3, -6, 1.5}, {0}},
    {"RsubBackward1", K_CUSTOM, C_RSUB, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {-1, 2, -0.5}, {0}},
    {"FmodBackward0", K_CUSTOM, C_FMOD_SCALAR, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, -2, 0.5}, {0}},
    {"RemainderBackward0", K_CUSTOM, C_REM_SCALAR, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, -2, 0.5}, {0}},
    {"ClampBackward1", K_CUSTOM, C_CLAMP_SCALAR, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, 0, 0}, {0}},
    {"ClampBackward1", K_CUSTOM, C_CLAMP_MIN, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {0, -2, 0}, {0}},
    {"ClampBackward0", K_CUSTOM, C_CLAMP_TENSOR, {0.5, 1.5, -2}, {0, 2, -3}, {1, 0, 0}, {0, -2, 0}},
    {"ClampBackward0", K_CUSTOM, C_CLAMP_TMAX, {0.5, 1.5, -2}, {0, 2, -3}, {0, -2, 0}, {1, 0, 0.5}},
    {"WhereBackward0", K_CUSTOM, C_WHERE, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, 0, 0.5}, {0, -2, 0}},
    {"MaskedFillBackward0", K_CUSTOM, C_MASKED_FILL, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {0, -2, 0}, {0}},
    {"MaskedFillBackward1", K_CUSTOM, C_MASKED_FILL_T, {0.5, 1.5, -2}, {4, 0, 0}, {0, -2, 0}, {1.5, 0, 0}},
    {"SoftmaxBackward0", K_CUSTOM, C_SOFTMAX, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {0.567472756, -0.60325408, 0.0357813835}, {0}},
    {"LogSoftmaxBackward0", K_CUSTOM, C_LOG_SOFTMAX, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1.13156629, -1.64236581, 0.510799587}, {0}},
    {"ToCopyBackward0", K_CUSTOM, C_TO_F64, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, -2, 0.5}, {0}},
    {"CloneBackward0", K_CUSTOM, C_CLONE, {0.5, 1.5, -2}, {0.5, -0.5, 1.25}, {1, -2, 0.5}, {0}},

};
enum { N_CASES = sizeof cases / sizeof cases[0] };

/* Whether b is a differentiable input of the case. */
static bool b_diff(const Case *c) {
    if (c->kind == K_BIN) return true;
    if (c->kind == K_UN) return false;
    return c->op == C_CLAMP_TENSOR || c->op == C_CLAMP_TMAX || c->op == C_WHERE ||
           c->op == C_MASKED_FILL_T;
}

static Tensor *fwd(const Case *c, Tensor *a, Tensor *b) {
    if (c->kind == K_UN) return op_unary((UnaryOp)c->op, a);
    if (c->kind == K_BIN) return op_binary((BinaryOp)c->op, a, b);
    Tensor *k = NULL, *k2 = NULL, *r = NULL;
    switch (c->op) {
    case C_POW_SCALAR: r = op_binary(BIN_POW, a, k = tensor_wrapped_float(2.5)); break;
    case C_MUL_SCALAR: r = op_binary(BIN_MUL, a, k = tensor_wrapped_int(3)); break;
    case C_RSUB: r = op_binary(BIN_SUB, k = tensor_wrapped_int(2), a); break;
    case C_FMOD_SCALAR: r = op_binary(BIN_FMOD, a, k = tensor_wrapped_float(0.75)); break;
    case C_REM_SCALAR: r = op_binary(BIN_REMAINDER, a, k = tensor_wrapped_float(0.75)); break;
    case C_CLAMP_SCALAR:
        r = op_clamp(a, k = tensor_wrapped_float(-1.0), k2 = tensor_wrapped_float(1.0));
        break;
    case C_CLAMP_MIN: r = op_clamp(a, k = tensor_wrapped_float(1.0), NULL); break;
    case C_CLAMP_TENSOR: r = op_clamp(a, b, k = mk3(b->dtype, (const double[]){1.0, 3.0, -2.5})); break;
    case C_CLAMP_TMAX: r = op_clamp(a, NULL, b); break;
    case C_WHERE: r = op_where(k = mk3(DT_BOOL, (const double[]){1, 0, 1}), a, b); break;
    case C_MASKED_FILL:
        r = op_masked_fill(a, k = mk3(DT_BOOL, (const double[]){1, 0, 1}), k2 = tensor_wrapped_float(7.0));
        break;
    case C_MASKED_FILL_T: r = op_masked_fill(a, k = mk3(DT_BOOL, (const double[]){1, 0, 1}), b); break;
    case C_SOFTMAX: r = op_softmax(a, -1, false); break;
    case C_LOG_SOFTMAX: r = op_softmax(a, -1, true); break;
    case C_TO_F64: r = op_to_dtype(a, a->dtype == DT_FLOAT64 ? DT_FLOAT32 : DT_FLOAT64); break;
    case C_CLONE: r = op_clone(a); break;
    }
    tensor_release(k);
    tensor_release(k2);
    return r;
}

/* b for a case: 0-dim for masked_fill's tensor value, else shape (3,) */
static Tensor *make_b(const Case *c, DType dt, const double *v) {
    if (c->kind == K_CUSTOM && c->op == C_MASKED_FILL_T) return mk(dt, 0, NULL, v);
    return mk3(dt, v);
}

/* ---- oracle values (float32) */

static void test_oracle_values(void **st) {
    const double g[3] = {1.0, -2.0, 0.5};
    for (int k = 0; k < N_CASES; k++) {
        const Case *c = &cases[k];
        Tensor *a = mk3(DT_FLOAT32, c->a), *b = make_b(c, DT_FLOAT32, c->b);
        a->requires_grad = true;
        b->requires_grad = b_diff(c);
        Tensor *out = fwd(c, a, b);
        if (!out) fail_msg("%s: forward failed: %s", c->node, tsr_err_msg());
        assert_string_equal(ag_node_name(out->grad_fn), c->node);
        Tensor *gout = mk3(out->dtype, g), *ga, *gb;
        if (!run_formula(out, gout, a, b, &ga, &gb)) fail_msg("%s: %s", c->node, tsr_err_msg());
        expect_vals(ga, a, 1e-6, c->ga);
        if (b_diff(c)) expect_vals(gb, b, 1e-6, c->gb);
        else assert_null(gb);
        tensor_release(ga);
        tensor_release(gb);
        tensor_release(gout);
        tensor_release(out);
        tensor_release(a);
        tensor_release(b);
    }
}

/* ---- finite differences (float64) */

static double *elem(Tensor *t, int64_t flat) {
    int64_t off = t->offset, rem = flat;
    for (int d = t->ndim - 1; d >= 0; d--) {
        off += (rem % t->shape[d]) * t->stride[d];
        rem /= t->shape[d];
    }
    return (double *)t->storage->data + off;
}

/* sum(gout * f(a, b)) with grad mode off */
static double loss(const Case *c, Tensor *a, Tensor *b, Tensor *gout) {
    bool mode = ag_grad_enabled;
    ag_grad_enabled = false;
    Tensor *out = fwd(c, a, b);
    assert_non_null(out);
    Tensor *p = op_binary(BIN_MUL, out, gout);
    Tensor *s = op_sum(p, 0, NULL, false, DT_UNDEFINED);
    ag_grad_enabled = mode;
    double v = tensor_get_f64(s, 0);
    tensor_release(out);
    tensor_release(p);
    tensor_release(s);
    return v;
}

static void fd_check(const Case *c, Tensor *x, Tensor *grad, Tensor *a, Tensor *b, Tensor *gout) {
    const double eps = 1e-6;
    for (int64_t i = 0; i < tensor_numel(x); i++) {
        double *p = elem(x, i), v = *p;
        *p = v + eps;
        double lp = loss(c, a, b, gout);
        *p = v - eps;
        double lm = loss(c, a, b, gout);
        *p = v;
        double num = (lp - lm) / (2 * eps), ana = tensor_get_f64(grad, i);
        if (fabs(num - ana) > 1e-5 * fmax(1, fabs(ana)))
            fail_msg("%s op %d: element %lld: analytic %.12g, numeric %.12g", c->node, c->op,
                     (long long)i, ana, num);
    }
}

/* The (2,3) input for finite differences: away from kinks and ties. */
static void fd_inputs(const Case *c, double *av, double *bv) {
    static const double pos[3] = {0.5, 1.5, 2.0};
    const double *src = c->kind == K_CUSTOM && c->op == C_POW_SCALAR ? pos : c->a;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++) av[i * 3 + j] = src[j] + 0.03 + 0.1 * i;
    for (int j = 0; j < 3; j++) bv[j] = c->b[j] + 0.07;
}

/* transposed: a is the transpose of a contiguous (3,2) tensor */
static void fd_case(const Case *c, bool transposed) {
    double av[6], bv[3], gv[6];
    fd_inputs(c, av, bv);
    for (int k = 0; k < 6; k++) gv[k] = 0.37 * (k % 5 - 2) + 0.1;
    Tensor *a;
    if (transposed) {
        double tv[6];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++) tv[j * 2 + i] = av[i * 3 + j];
        Tensor *base = mk(DT_FLOAT64, 2, (const int64_t[]){3, 2}, tv);
        a = tensor_as_strided(base, 2, (const int64_t[]){2, 3}, (const int64_t[]){1, 2}, 0);
        tensor_release(base);
        assert_false(tensor_is_contiguous(a));
    } else {
        a = mk(DT_FLOAT64, 2, (const int64_t[]){2, 3}, av);
    }
    Tensor *b = make_b(c, DT_FLOAT64, bv);
    a->requires_grad = true;
    b->requires_grad = b_diff(c);
    Tensor *out = fwd(c, a, b);
    assert_non_null(out);
    Tensor *gout = mk(out->dtype, 2, (const int64_t[]){2, 3}, gv), *ga, *gb;
    if (!run_formula(out, gout, a, b, &ga, &gb)) fail_msg("%s: %s", c->node, tsr_err_msg());
    expect_vals(ga, a, INFINITY, av);
    fd_check(c, a, ga, a, b, gout);
    if (b_diff(c)) {
        expect_vals(gb, b, INFINITY, bv);
        fd_check(c, b, gb, a, b, gout);
    }
    tensor_release(ga);
    tensor_release(gb);
    tensor_release(gout);
    tensor_release(out);
    tensor_release(a);
    tensor_release(b);
}

static void test_finite_differences(void **st) {
    for (int k = 0; k < N_CASES; k++) {
        const Case *c = &cases[k];
        if (c->kind == K_CUSTOM && c->op == C_TO_F64) continue; /* a float32 round trip */
        fd_case(c, false);
        fd_case(c, true);
    }
}

/* float32 (2,3) OP float64 (3,): each gradient in its input's dtype and
 * shape, equal to the all-float64 gradients. */
static void test_mixed_dtypes(void **st) {
    for (int k = 0; k < N_CASES; k++) {
        const Case *c = &cases[k];
        if (c->kind != K_BIN) continue;
        double av[6], bv[3], gv[6] = {1, -2, 0.5, 0.25, 3, -1};
        fd_inputs(c, av, bv);
        Tensor *a32 = mk(DT_FLOAT32, 2, (const int64_t[]){2, 3}, av);
        for (int i = 0; i < 6; i++) av[i] = tensor_get_f64(a32, i);
        Tensor *a64 = mk(DT_FLOAT64, 2, (const int64_t[]){2, 3}, av);
        Tensor *b = mk3(DT_FLOAT64, bv);
        Tensor *g = mk(DT_FLOAT64, 2, (const int64_t[]){2, 3}, gv);
        a32->requires_grad = a64->requires_grad = b->requires_grad = true;
        Tensor *o32 = fwd(c, a32, b), *o64 = fwd(c, a64, b), *ga32, *gb32, *ga64, *gb64;
        assert_int_equal(o32->dtype, DT_FLOAT64);
        assert_true(run_formula(o32, g, a32, b, &ga32, &gb32));
        assert_true(run_formula(o64, g, a64, b, &ga64, &gb64));
        double ref[6];
        for (int i = 0; i < 6; i++) ref[i] = tensor_get_f64(ga64, i);
        expect_vals(ga32, a32, 1e-6, ref);
        for (int i = 0; i < 3; i++) ref[i] = tensor_get_f64(gb64, i);
        expect_vals(gb32, b, 1e-6, ref); /* float32 intermediates (a * a) */
        Tensor *ts[] = {a32, a64, b, g, o32, o64, ga32, gb32, ga64, gb64};
        for (size_t i = 0; i < sizeof ts / sizeof *ts; i++) tensor_release(ts[i]);
    }
}

/* PyTorch's values for float32 (2,3) OP float64 (3,), intermediates of
 * a's dtype included: atan2, div, hypot, pow (a.abs()). */
static void test_mixed_dtypes_oracle(void **st) {
    static const struct {
        BinaryOp op;
        double ga[6], gb[3];
    } want[] = {
        {BIN_ATAN2,
         {0.94090461730957031, 0.34048619866371155, 0.11736880242824554, 0.19742311537265778,
          -0.45393764972686768, -0.25194203853607178},
         {-1.0930806780475928, -0.50924306231280214, -0.18175385661006901}},
        {BIN_DIV,
         {1.7543859481811523, 4.6511626243591309, 0.37878787517547607, 0.43859648704528809,
          -6.9767441749572754, -0.75757575035095215},
         {-2.116035611565644, -9.8972419843988355, -0.50792010471949989}},
        {BIN_HYPOT,
         {0.68094372749328613, -1.9254043102264404, -0.4153752326965332, 0.18538394570350647,
          2.9007620811462402, 0.81696784496307373},
         {0.90006407611578854, -0.22410498695814951, -0.29836070451237018}},
        {BIN_POW,
         {0.74892139434814453, 0.46815505623817444, 0.81992310285568237, 0.17381946742534637,
          -0.64144796133041382, -1.6127358675003052},
         {-0.53087188329839219, 0.47960519602582863, -0.60039580179305674}},
    };
    const double gv[6] = {1, -2, 0.5, 0.25, 3, -1};
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        double av[6] = {0.53, 1.53, -1.97, 0.63, 1.63, -1.87};
        if (want[k].op == BIN_POW)
            for (int i = 0; i < 6; i++) av[i] = fabs(av[i]);
        Tensor *a = mk(DT_FLOAT32, 2, (const int64_t[]){2, 3}, av);
        Tensor *b = mk3(DT_FLOAT64, (const double[]){0.57, -0.43, 1.32});
        Tensor *g = mk(DT_FLOAT64, 2, (const int64_t[]){2, 3}, gv), *ga, *gb;
        a->requires_grad = b->requires_grad = true;
        Tensor *out = op_binary(want[k].op, a, b);
        assert_true(run_formula(out, g, a, b, &ga, &gb));
        expect_vals(ga, a, 0, want[k].ga);
        expect_vals(gb, b, 1e-15, want[k].gb);
        Tensor *ts[] = {a, b, g, out, ga, gb};
        for (size_t i = 0; i < sizeof ts / sizeof *ts; i++) tensor_release(ts[i]);
    }
}

/* ---- nodes with op arguments in ctx */

static void test_add_sub_alpha(void **st) {
    Tensor *a = mk3(DT_FLOAT32, (const double[]){0.5, 1.5, -2}), *b = mk3(DT_FLOAT32, (const double[]){1, 2, 3});
    Tensor *g = mk3(DT_FLOAT32, (const double[]){1, -2, 0.5}), *ga, *gb;
    a->requires_grad = b->requires_grad = true;
    for (int sub = 0; sub < 2; sub++) {
        Tensor *out = op_add_alpha(a, b, 2.5, sub);
        assert_non_null(out);
        assert_string_equal(ag_node_name(out->grad_fn), sub ? "SubBackward0" : "AddBackward0");
        if (!out->grad_fn->ctx) { /* what op_add_alpha is to record */
            AlphaCtx *ctx = calloc(1, sizeof *ctx);
            ctx->alpha = 2.5;
            out->grad_fn->ctx = ctx;
        }
        assert_true(run_formula(out, g, a, b, &ga, &gb));
        /* torch.sub(a, b, alpha=2.5).backward(g): a.grad = g, b.grad = -2.5 g */
        expect_vals(ga, a, 0, (const double[]){1, -2, 0.5});
        expect_vals(gb, b, 0, sub ? (const double[]){-2.5, 5, -1.25} : (const double[]){2.5, -5, 1.25});
        tensor_release(ga);
        tensor_release(gb);
        tensor_release(out);
    }
    tensor_release(a);
    tensor_release(b);
    tensor_release(g);
}

/* softmax over dim 0 of a (2,3) input, the dim from the OpCtx. */
static void test_softmax_dim0(void **st) {
    Tensor *a = mk(DT_FLOAT32, 2, (const int64_t[]){2, 3}, (const double[]){0.5, 1.5, -2, 1, 0, 0.25});
    Tensor *g = mk(DT_FLOAT32, 2, (const int64_t[]){2, 3}, (const double[]){1, -2, 0.5, 0.25, 3, -1});
    a->requires_grad = true;
    for (int lg = 0; lg < 2; lg++) {
        Tensor *out = op_softmax(a, 0, lg), *ga, *gb;
        assert_non_null(out);
        int64_t dim = 0;
        if (!out->grad_fn->ctx) assert_true(op_set_ctx(out->grad_fn, a, 1, &dim));
        assert_true(run_formula(out, g, a, NULL, &ga, &gb));
        /* x.softmax(0).backward(g) / x.log_softmax(0).backward(g) */
        expect_vals(ga, a, 1e-6,
                    lg ? (const double[]){0.528074145, -2.8175745, 0.547674716, -0.528074205, 2.8175745, -0.547674775}
                       : (const double[]){0.176252782, -0.745732248, 0.129386917, -0.176252782, 0.745732248, -0.129386917});
        tensor_release(ga);
        tensor_release(out);
    }
    tensor_release(a);
    tensor_release(g);
}

/* ---- errors */

static void test_errors(void **st) {
    Tensor *a = mk3(DT_FLOAT32, (const double[]){0.5, 1.5, -2});
    Tensor *g = mk3(DT_FLOAT32, (const double[]){1, 1, 1}), *ga, *gb;
    a->requires_grad = true;
    Tensor *two = tensor_wrapped_int(2);
    Tensor *fd = op_binary(BIN_FLOOR_DIVIDE, a, two);
    assert_false(run_formula(fd, g, a, NULL, &ga, &gb));
    assert_string_equal(tsr_err_msg(), "derivative for aten::floor_divide is not implemented");
    tsr_err_clear();
    /* a freed graph: the saved-tensor error comes through */
    Tensor *e = op_unary(UN_EXP, a);
    e->grad_fn->released = true;
    assert_false(run_formula(e, g, a, NULL, &ga, &gb));
    assert_non_null(strstr(tsr_err_msg(), "Trying to backward through the graph a second time"));
    tsr_err_clear();
    /* no incoming gradient: no gradient out */
    Tensor *m = op_binary(BIN_MUL, a, a);
    Tensor *go[1] = {NULL}, *gi[2] = {NULL, NULL};
    assert_true(ag_formulas[NODE_MulBackward0](m->grad_fn, go, gi));
    assert_null(gi[0]);
    assert_null(gi[1]);
    Tensor *ts[] = {a, g, two, fd, e, m};
    for (size_t i = 0; i < sizeof ts / sizeof *ts; i++) tensor_release(ts[i]);
}

/* A formula run with grad mode on records its own graph (create_graph). */
static void test_records_graph(void **st) {
    Tensor *a = mk3(DT_FLOAT64, (const double[]){0.5, 1.5, -2});
    Tensor *g = mk3(DT_FLOAT64, (const double[]){1, 1, 1}), *ga, *gb;
    a->requires_grad = true;
    Tensor *y = op_unary(UN_SIN, a);
    assert_true(run_formula(y, g, a, NULL, &ga, &gb));
    assert_non_null(ga->grad_fn);
    assert_string_equal(ag_node_name(ga->grad_fn), "MulBackward0");
    tensor_release(ga);
    ag_grad_enabled = false;
    assert_true(run_formula(y, g, a, NULL, &ga, &gb));
    ag_grad_enabled = true;
    assert_null(ga->grad_fn);
    /* tanh's backward is one node whose output edge leads back to tanh */
    Tensor *t = op_unary(UN_TANH, a), *gt, *unused;
    g->requires_grad = true;
    assert_true(run_formula(t, g, a, NULL, &gt, &unused));
    assert_string_equal(ag_node_name(gt->grad_fn), "TanhBackwardBackward0");
    assert_ptr_equal(gt->grad_fn->next[0].node->leaf, g);
    assert_ptr_equal(gt->grad_fn->next[1].node, t->grad_fn);
    tensor_release(gt);
    tensor_release(t);
    Tensor *ts[] = {a, g, y, ga};
    for (size_t i = 0; i < sizeof ts / sizeof *ts; i++) tensor_release(ts[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_values),
        cmocka_unit_test(test_finite_differences),
        cmocka_unit_test(test_mixed_dtypes),
        cmocka_unit_test(test_mixed_dtypes_oracle),
        cmocka_unit_test(test_add_sub_alpha),
        cmocka_unit_test(test_softmax_dim0),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_records_graph),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
