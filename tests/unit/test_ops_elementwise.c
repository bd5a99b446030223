/* Elementwise ops, creation and conversion (expected values from PyTorch
 * 1.13 via the oracle). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "error.h"
#include "ops.h"

static Tensor *mk(DType dt, int nd, const int64_t *shape, const double *vals) {
    Tensor *t = tensor_empty(dt, nd, shape, device_cpu());
    assert_non_null(t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n; i++)
        dtype_store_f64(dt, (char *)t->storage->data + i * dtype_size(dt), vals[i]);
    return t;
}
#define VEC(dt, ...) mk1(dt, (const double[]){__VA_ARGS__}, sizeof((double[]){__VA_ARGS__}) / sizeof(double))
static Tensor *mk1(DType dt, const double *v, int64_t n) { return mk(dt, 1, &n, v); }

/* Checks dtype and values (exactly when tol == 0; NaNs match NaNs) and
 * releases t. */
static void expect(Tensor *t, DType dt, double tol, int64_t n, const double *v) {
    if (!t) fail_msg("error: %s", tsr_err_msg());
    assert_int_equal(t->dtype, dt);
    assert_int_equal(tensor_numel(t), n);
    for (int64_t i = 0; i < n; i++) {
        double got = tensor_get_f64(t, i);
        if (isnan(v[i])) {
            assert_true(isnan(got));
        } else if (tol == 0 ? (dt == DT_FLOAT64 ? got != v[i] : (float)got != (float)v[i])
                            : fabs(got - v[i]) > tol * fmax(1, fabs(v[i]))) {
            fail_msg("element %lld: got %.9g, expected %.9g", (long long)i, got, v[i]);
        }
    }
    tensor_release(t);
}
#define EXPECT(t, dt, tol, ...) \
    expect(t, dt, tol, sizeof((double[]){__VA_ARGS__}) / sizeof(double), (const double[]){__VA_ARGS__})

static void expect_err(Tensor *t, ErrKind k, const char *msg) {
    assert_null(t);
    assert_int_equal(tsr_err_kind(), k);
    assert_string_equal(tsr_err_msg(), msg);
    tsr_err_clear();
}

static void expect_shape(Tensor *t, int nd, const int64_t *shape) {
    assert_int_equal(t->ndim, nd);
    for (int d = 0; d < nd; d++) assert_int_equal(t->shape[d], shape[d]);
}

static void test_broadcast_shapes(void **st) {
    int64_t a[3] = {2, 1, 3}, b[2] = {4, 3}, out[4];
    assert_int_equal(broadcast_shapes(3, a, 2, b, out), 3);
    assert_int_equal(out[0], 2);
    assert_int_equal(out[1], 4);
    assert_int_equal(out[2], 3);
    int64_t c[2] = {2, 3}, d[2] = {3, 2};
    assert_int_equal(broadcast_shapes(2, c, 2, d, out), -1);
    assert_string_equal(tsr_err_msg(), "The size of tensor a (3) must match the size of tensor b "
                                       "(2) at non-singleton dimension 1");
    tsr_err_clear();
    Tensor *x = VEC(DT_FLOAT32, 1, 1, 1), *y = VEC(DT_FLOAT32, 1, 1, 1, 1);
    expect_err(op_binary(BIN_ADD, x, y), ERR_RuntimeError,
               "The size of tensor a (3) must match the size of tensor b (4) at non-singleton "
               "dimension 0");
    expect_err(op_binary(BIN_EQ, x, y), ERR_RuntimeError,
               "The size of tensor a (3) must match the size of tensor b (4) at non-singleton "
               "dimension 0");
    tensor_release(x);
    tensor_release(y);
}

static void test_promotion(void **st) {
    Tensor *i = VEC(DT_INT64, 1, 2), *f = tensor_wrapped_float(1.5);
    EXPECT(op_binary(BIN_ADD, i, f), DT_FLOAT32, 0, 2.5, 3.5);
    Tensor *u = VEC(DT_UINT8, 1, 2), *s = VEC(DT_INT8, 1, 2);
    EXPECT(op_binary(BIN_ADD, u, s), DT_INT16, 0, 2, 4);
    Tensor *d0 = tensor_scalar_f64(DT_FLOAT64, 1), *f32 = VEC(DT_FLOAT32, 1);
    EXPECT(op_binary(BIN_ADD, d0, f32), DT_FLOAT32, 0, 2);
    Tensor *b = VEC(DT_BOOL, 1), *wb = tensor_wrapped_bool(true), *wi = tensor_wrapped_int(1);
    EXPECT(op_binary(BIN_ADD, b, b), DT_BOOL, 0, 1);
    EXPECT(op_binary(BIN_ADD, b, wb), DT_BOOL, 0, 1);
    EXPECT(op_binary(BIN_ADD, b, wi), DT_INT64, 0, 2);
    EXPECT(op_binary(BIN_DIV, b, wb), DT_FLOAT32, 0, 1);
    Tensor *i32 = VEC(DT_INT32, 1, 2), *l0 = tensor_scalar_i64(DT_INT64, 5),
           *f0 = tensor_scalar_f64(DT_FLOAT32, 5);
    EXPECT(op_binary(BIN_ADD, i32, l0), DT_INT32, 0, 6, 7);
    EXPECT(op_binary(BIN_ADD, i32, f0), DT_FLOAT32, 0, 6, 7);
    Tensor *h = VEC(DT_FLOAT16, 1, 2), *bf = VEC(DT_BFLOAT16, 1);
    EXPECT(op_binary(BIN_ADD, h, d0), DT_FLOAT16, 0, 2, 3);
    EXPECT(op_binary(BIN_ADD, bf, h), DT_FLOAT32, 0, 2, 3);
    /* comparisons compute in the promoted type: -1 becomes uint8 255 */
    Tensor *m1 = tensor_wrapped_int(-1);
    EXPECT(op_binary(BIN_LT, u, m1), DT_BOOL, 0, 1, 1);
    EXPECT(op_binary(BIN_EQ, i, f), DT_BOOL, 0, 0, 0);
    Tensor *fz = VEC(DT_FLOAT32, 0, 1);
    EXPECT(op_binary(BIN_LOGICAL_AND, i, fz), DT_BOOL, 0, 0, 1);
    Tensor *rel[] = {i, f, u, s, d0, f32, b, wb, wi, i32, l0, f0, h, bf, m1, fz};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

static void test_arith_values(void **st) {
    Tensor *a = VEC(DT_INT64, 7, -7), *b = VEC(DT_INT64, -2, 2);
    EXPECT(op_binary(BIN_FLOOR_DIVIDE, a, b), DT_INT64, 0, -4, -4);
    EXPECT(op_binary(BIN_REMAINDER, a, b), DT_INT64, 0, -1, 1);
    EXPECT(op_binary(BIN_FMOD, a, b), DT_INT64, 0, 1, -1);
    EXPECT(op_binary(BIN_DIV, a, b), DT_FLOAT32, 0, -3.5, -3.5);
    Tensor *fa = VEC(DT_FLOAT32, 7.5, -7.5), *fb = VEC(DT_FLOAT32, -2, 2);
    EXPECT(op_binary(BIN_FLOOR_DIVIDE, fa, fb), DT_FLOAT32, 0, -4, -4);
    EXPECT(op_binary(BIN_REMAINDER, fa, fb), DT_FLOAT32, 0, -0.5, 0.5);
    EXPECT(op_binary(BIN_FMOD, fa, fb), DT_FLOAT32, 0, 1.5, -1.5);
    Tensor *z = tensor_wrapped_int(0), *zf = tensor_wrapped_float(0);
    expect_err(op_binary(BIN_FLOOR_DIVIDE, a, z), ERR_RuntimeError, "ZeroDivisionError");
    expect_err(op_binary(BIN_REMAINDER, a, z), ERR_RuntimeError, "ZeroDivisionError");
    EXPECT(op_binary(BIN_DIV, a, z), DT_FLOAT32, 0, INFINITY, -INFINITY);
    EXPECT(op_binary(BIN_FLOOR_DIVIDE, fa, zf), DT_FLOAT32, 0, INFINITY, -INFINITY);
    Tensor *x = VEC(DT_FLOAT32, 0.1), *y = VEC(DT_FLOAT32, 0.2);
    EXPECT(op_binary(BIN_ADD, x, y), DT_FLOAT32, 0, 0.300000012);
    Tensor *u = VEC(DT_UINT8, 1, 2), *three = tensor_wrapped_int(3);
    EXPECT(op_binary(BIN_SUB, u, three), DT_UINT8, 0, 254, 255);
    Tensor *i8 = VEC(DT_INT8, 5), *hund = tensor_wrapped_int(100);
    EXPECT(op_binary(BIN_MUL, i8, hund), DT_INT8, 0, -12);
    Tensor *h = VEC(DT_FLOAT16, 1, 2, 5), *bf = VEC(DT_BFLOAT16, 1, 2, 5);
    EXPECT(op_binary(BIN_DIV, h, three), DT_FLOAT16, 0, 0.333251953, 0.666503906, 1.66699219);
    EXPECT(op_binary(BIN_DIV, bf, three), DT_BFLOAT16, 0, 0.333984375, 0.66796875, 1.6640625);
    Tensor *pb = VEC(DT_INT64, 2, 3, -2, -1, 1, 2), *pe = VEC(DT_INT64, 10, 3, -1, -3, -3, -3);
    EXPECT(op_binary(BIN_POW, pb, pe), DT_INT64, 0, 1024, 27, 0, -1, 1, 0);
    Tensor *neg1 = tensor_wrapped_int(-1);
    expect_err(op_binary(BIN_POW, pb, neg1), ERR_RuntimeError,
               "Integers to negative integer powers are not allowed.");
    Tensor *fx = VEC(DT_FLOAT32, -1.5, -0.5, 0.5, 2.5, 3.0), *p25 = tensor_wrapped_float(2.5),
           *two = tensor_wrapped_float(2);
    EXPECT(op_binary(BIN_POW, fx, p25), DT_FLOAT32, 1e-6, NAN, NAN, 0.176776692, 9.88211727, 15.5884571);
    EXPECT(op_binary(BIN_ATAN2, fx, two), DT_FLOAT32, 1e-6, -0.643501103, -0.244978666, 0.244978666, 0.8960554, 0.982793748);
    EXPECT(op_binary(BIN_HYPOT, fx, two), DT_FLOAT32, 1e-6, 2.5, 2.06155276, 2.06155276, 3.20156217, 3.60555124);
    EXPECT(op_binary(BIN_DIV, fx, three), DT_FLOAT32, 0, -0.5, -0.166666672, 0.166666672, 0.833333313, 1);
    Tensor *mx = VEC(DT_FLOAT32, 1, NAN, 3), *my = VEC(DT_FLOAT32, 2, 1, NAN);
    EXPECT(op_binary(BIN_MAXIMUM, mx, my), DT_FLOAT32, 0, 2, NAN, NAN);
    EXPECT(op_binary(BIN_MINIMUM, mx, my), DT_FLOAT32, 0, 1, NAN, NAN);
    Tensor *rel[] = {a, b, fa, fb, z, zf, x, y, u, three, i8, hund, h, bf, pb, pe, neg1, fx, p25, two, mx, my};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

static void test_bitwise_and_bool(void **st) {
    Tensor *a = VEC(DT_INT64, 1, 2), *b = VEC(DT_INT64, 70, -1);
    EXPECT(op_binary(BIN_LSHIFT, a, b), DT_INT64, 0, 64, 0);
    Tensor *c = VEC(DT_INT8, 1, 3), *d = VEC(DT_INT8, 7, 9);
    EXPECT(op_binary(BIN_LSHIFT, c, d), DT_INT8, 0, -128, 0);
    Tensor *e = VEC(DT_INT64, -8, 8, -1), *f = VEC(DT_INT64, 1, 70, 64);
    EXPECT(op_binary(BIN_RSHIFT, e, f), DT_INT64, 0, -4, 0, -1);
    Tensor *t = VEC(DT_BOOL, 1, 0), *wt = tensor_wrapped_bool(true), *three = VEC(DT_INT64, 3);
    EXPECT(op_binary(BIN_BITWISE_AND, three, wt), DT_INT64, 0, 1);
    EXPECT(op_binary(BIN_BITWISE_XOR, t, t), DT_BOOL, 0, 0, 0);
    EXPECT(op_binary(BIN_BITWISE_OR, t, wt), DT_BOOL, 0, 1, 1);
    Tensor *fl = VEC(DT_FLOAT32, 1), *one = tensor_wrapped_int(1);
    expect_err(op_binary(BIN_BITWISE_AND, fl, fl), ERR_RuntimeError, "\"bitwise_and_cpu\" not implemented for 'Float'");
    expect_err(op_binary(BIN_BITWISE_OR, fl, one), ERR_RuntimeError, "\"bitwise_or_cpu\" not implemented for 'Float'");
    expect_err(op_binary(BIN_LSHIFT, fl, one), ERR_RuntimeError, "\"lshift_cpu\" not implemented for 'Float'");
    expect_err(op_binary(BIN_LSHIFT, t, t), ERR_RuntimeError, "\"lshift_cpu\" not implemented for 'Bool'");
    expect_err(op_binary(BIN_SUB, t, t), ERR_RuntimeError,
               "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
               "or `logical_xor()` operator instead.");
    expect_err(op_binary(BIN_FLOOR_DIVIDE, t, t), ERR_RuntimeError, "\"div_floor_cpu\" not implemented for 'Bool'");
    expect_err(op_binary(BIN_POW, t, t), ERR_RuntimeError, "\"pow\" not implemented for 'Bool'");
    expect_err(op_binary(BIN_HYPOT, a, a), ERR_RuntimeError, "\"hypot_cpu\" not implemented for 'Long'");
    EXPECT(op_binary(BIN_MUL, t, t), DT_BOOL, 0, 1, 0);
    EXPECT(op_binary(BIN_LOGICAL_XOR, a, t), DT_BOOL, 0, 0, 1);
    EXPECT(op_binary(BIN_MAXIMUM, t, t), DT_BOOL, 0, 1, 0);
    Tensor *rel[] = {a, b, c, d, e, f, t, wt, three, fl, one};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

static void test_strided_inputs(void **st) {
    int64_t sh[2] = {2, 3};
    Tensor *a = mk(DT_FLOAT32, 2, sh, (const double[]){0, 1, 2, 3, 4, 5});
    int64_t tsh[2] = {3, 2}, tst[2] = {1, 3};
    Tensor *at = tensor_as_strided(a, 2, tsh, tst, 0); /* a.t() */
    Tensor *v = VEC(DT_FLOAT32, 10, 20);
    Tensor *r = op_binary(BIN_ADD, at, v);
    expect_shape(r, 2, tsh);
    EXPECT(r, DT_FLOAT32, 0, 10, 23, 11, 24, 12, 25);
    int64_t esh[3] = {2, 2, 3}, est[3] = {0, 3, 1}; /* a.expand(2, 2, 3) */
    Tensor *ae = tensor_as_strided(a, 3, esh, est, 0);
    int64_t csh[3] = {1, 2, 1};
    Tensor *col = mk(DT_FLOAT32, 3, csh, (const double[]){1, 2});
    r = op_binary(BIN_MUL, ae, col);
    expect_shape(r, 3, esh);
    EXPECT(r, DT_FLOAT32, 0, 0, 1, 2, 6, 8, 10, 0, 1, 2, 6, 8, 10);
    EXPECT(op_unary(UN_NEG, at), DT_FLOAT32, 0, -0., -3, -1, -4, -2, -5);
    /* a strided int view converted to float for exp */
    Tensor *ai = mk(DT_INT64, 2, sh, (const double[]){0, 1, 2, 3, 4, 5});
    Tensor *ait = tensor_as_strided(ai, 2, tsh, tst, 0);
    EXPECT(op_unary(UN_SQUARE, ait), DT_INT64, 0, 0, 9, 1, 16, 4, 25);
    Tensor *two = tensor_wrapped_int(2);
    EXPECT(op_binary(BIN_GT, ait, two), DT_BOOL, 0, 0, 1, 0, 1, 0, 1);
    Tensor *rel[] = {a, at, v, ae, col, ai, ait, two};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

static void test_large_threaded(void **st) {
    int64_t n = 300000;
    Tensor *a = tensor_empty(DT_FLOAT32, 1, &n, device_cpu());
    float *p = a->storage->data;
    for (int64_t i = 0; i < n; i++) p[i] = (float)i;
    Tensor *rev = tensor_as_strided(a, 1, &n, (const int64_t[]){-1}, n - 1); /* flip */
    Tensor *r = op_binary(BIN_ADD, a, rev);
    assert_non_null(r);
    for (int64_t i = 0; i < n; i++)
        if (((float *)r->storage->data)[i] != 299999.0f) fail_msg("element %lld", (long long)i);
    Tensor *q = op_unary(UN_ISNAN, r);
    assert_int_equal(q->dtype, DT_BOOL);
    for (int64_t i = 0; i < n; i++) assert_false(((bool *)q->storage->data)[i]);
    Tensor *c = op_to_dtype(r, DT_INT32);
    assert_int_equal(tensor_get_i64(c, n - 1), 299999);
    Tensor *rel[] = {a, rev, r, q, c};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

static void test_unary(void **st) {
    Tensor *x = VEC(DT_FLOAT32, -1.5, -0.5, 0.5, 2.5, 3.0);
    EXPECT(op_unary(UN_EXP, x), DT_FLOAT32, 1e-6, 0.223130167, 0.606530666, 1.64872122, 12.1824942, 20.085537);
    EXPECT(op_unary(UN_SIGMOID, x), DT_FLOAT32, 1e-6, 0.182425529, 0.377540678, 0.622459352, 0.924141824, 0.952574134);
    EXPECT(op_unary(UN_TANH, x), DT_FLOAT32, 1e-6, -0.905148268, -0.462117165, 0.462117165, 0.986614287, 0.995054781);
    EXPECT(op_unary(UN_ROUND, x), DT_FLOAT32, 0, -2, -0., 0, 2, 3);
    EXPECT(op_unary(UN_FRAC, x), DT_FLOAT32, 0, -0.5, -0.5, 0.5, 0.5, 0);
    EXPECT(op_unary(UN_SIGN, x), DT_FLOAT32, 0, -1, -1, 1, 1, 1);
    EXPECT(op_unary(UN_RELU, x), DT_FLOAT32, 0, 0, 0, 0.5, 2.5, 3);
    Tensor *nz = VEC(DT_FLOAT32, -0., NAN, INFINITY);
    EXPECT(op_unary(UN_SIGN, nz), DT_FLOAT32, 0, 0, 0, 1);
    EXPECT(op_unary(UN_ISNAN, nz), DT_BOOL, 0, 0, 1, 0);
    EXPECT(op_unary(UN_ISFINITE, nz), DT_BOOL, 0, 1, 0, 0);
    Tensor *i = VEC(DT_INT64, 1, 2, -3), *i8 = VEC(DT_INT8, -128, 5), *b = VEC(DT_BOOL, 1, 0);
    EXPECT(op_unary(UN_EXP, i), DT_FLOAT32, 1e-6, 2.71828175, 7.38905621, 0.0497870669);
    EXPECT(op_unary(UN_SQUARE, i), DT_INT64, 0, 1, 4, 9);
    EXPECT(op_unary(UN_ABS, i8), DT_INT8, 0, -128, 5);
    EXPECT(op_unary(UN_FLOOR, i), DT_INT64, 0, 1, 2, -3);
    EXPECT(op_unary(UN_BITWISE_NOT, i), DT_INT64, 0, -2, -3, 2);
    EXPECT(op_unary(UN_ISNAN, i), DT_BOOL, 0, 0, 0, 0);
    EXPECT(op_unary(UN_SQRT, b), DT_FLOAT32, 0, 1, 0);
    EXPECT(op_unary(UN_SQUARE, b), DT_INT64, 0, 1, 0);
    EXPECT(op_unary(UN_SIGN, b), DT_BOOL, 0, 1, 0);
    EXPECT(op_unary(UN_LOGICAL_NOT, i), DT_BOOL, 0, 0, 0, 0);
    EXPECT(op_unary(UN_BITWISE_NOT, b), DT_BOOL, 0, 0, 1);
    expect_err(op_unary(UN_NEG, b), ERR_RuntimeError,
               "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
               "to invert a mask, use the `~` or `logical_not()` operator instead.");
    expect_err(op_unary(UN_ABS, b), ERR_RuntimeError, "\"abs_cpu\" not implemented for 'Bool'");
    expect_err(op_unary(UN_RELU, b), ERR_RuntimeError, "Boolean inputs not supported for relu");
    expect_err(op_unary(UN_FLOOR, b), ERR_RuntimeError, "\"floor_vml_cpu\" not implemented for 'Bool'");
    expect_err(op_unary(UN_FRAC, i), ERR_RuntimeError, "\"frac_cpu\" not implemented for 'Long'");
    expect_err(op_unary(UN_BITWISE_NOT, x), ERR_RuntimeError, "\"bitwise_not_cpu\" not implemented for 'Float'");
    Tensor *h = VEC(DT_FLOAT16, 0.5), *d = VEC(DT_FLOAT64, 2);
    /* PyTorch 1.13's CPU build has no float16 exp; bfloat16 has one */
    expect_err(op_unary(UN_EXP, h), ERR_RuntimeError, "\"exp_vml_cpu\" not implemented for 'Half'");
    Tensor *hb = VEC(DT_BFLOAT16, 0.5);
    EXPECT(op_unary(UN_EXP, hb), DT_BFLOAT16, 0, 1.6484375);
    tensor_release(hb);
    EXPECT(op_unary(UN_SQRT, d), DT_FLOAT64, 0, 1.4142135623730951);
    Tensor *rel[] = {x, nz, i, i8, b, h, d};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

static void test_inplace(void **st) {
    int64_t sh[2] = {2, 3};
    Tensor *a = mk(DT_FLOAT32, 2, sh, (const double[]){0, 1, 2, 3, 4, 5});
    Tensor *row = VEC(DT_FLOAT32, 10, 20, 30);
    int64_t v0 = a->storage->version;
    Tensor *r = op_binary_(BIN_ADD, a, row);
    assert_ptr_equal(r, a);
    tensor_release(r);
    assert_int_equal(a->storage->version, v0 + 1);
    EXPECT(tensor_retain(a), DT_FLOAT32, 0, 10, 21, 32, 13, 24, 35);
    r = op_binary_(BIN_MUL, a, a); /* full aliasing */
    tensor_release(r);
    EXPECT(tensor_retain(a), DT_FLOAT32, 0, 100, 441, 1024, 169, 576, 1225);
    expect_err(op_binary_(BIN_ADD, row, a), ERR_RuntimeError,
               "output with shape [3] doesn't match the broadcast shape [2, 3]");
    Tensor *i = VEC(DT_INT64, 1, 2), *f = tensor_wrapped_float(1.5), *two = tensor_wrapped_int(2);
    expect_err(op_binary_(BIN_ADD, i, f), ERR_RuntimeError,
               "result type Float can't be cast to the desired output type Long");
    expect_err(op_binary_(BIN_DIV, i, two), ERR_RuntimeError,
               "result type Float can't be cast to the desired output type Long");
    expect_err(op_unary_(UN_SQRT, i), ERR_RuntimeError,
               "result type Float can't be cast to the desired output type Long");
    Tensor *b = VEC(DT_BOOL, 1), *one = tensor_wrapped_int(1);
    expect_err(op_binary_(BIN_ADD, b, one), ERR_RuntimeError,
               "result type Long can't be cast to the desired output type Bool");
    /* int result written into a float tensor; comparison into float */
    Tensor *fl = VEC(DT_FLOAT32, 1, 2);
    tensor_release(op_binary_(BIN_ADD, fl, i));
    EXPECT(tensor_retain(fl), DT_FLOAT32, 0, 2, 4);
    Tensor *w3 = tensor_wrapped_int(3);
    tensor_release(op_binary_(BIN_GT, fl, w3));
    tensor_release(w3);
    EXPECT(tensor_retain(fl), DT_FLOAT32, 0, 0, 1);
    Tensor *u = VEC(DT_UINT8, 1), *s8 = VEC(DT_INT8, 1);
    tensor_release(op_binary_(BIN_ADD, u, s8));
    EXPECT(tensor_retain(u), DT_UINT8, 0, 2);
    tensor_release(op_unary_(UN_NEG, i));
    EXPECT(tensor_retain(i), DT_INT64, 0, -1, -2);
    /* partial overlap: a[1:] += a[:-1] */
    Tensor *x = VEC(DT_FLOAT32, 0, 1, 2, 3);
    int64_t n3 = 3, s1 = 1;
    Tensor *hi = tensor_as_strided(x, 1, &n3, &s1, 1), *lo = tensor_as_strided(x, 1, &n3, &s1, 0);
    expect_err(op_binary_(BIN_ADD, hi, lo), ERR_RuntimeError,
               "unsupported operation: some elements of the input tensor and the written-to "
               "tensor refer to a single memory location. Please clone() the tensor before "
               "performing the operation.");
    /* leaf requiring grad */
    Tensor *g = VEC(DT_FLOAT32, 1, 2);
    g->requires_grad = true;
    expect_err(op_binary_(BIN_ADD, g, one), ERR_RuntimeError,
               "a leaf Variable that requires grad is being used in an in-place operation.");
    Tensor *gm = op_binary(BIN_MUL, g, one);
    Tensor *gr = op_binary_(BIN_ADD, gm, one);
    assert_string_equal(ag_node_name(gm->grad_fn), "AddBackward0");
    assert_string_equal(ag_node_name(gm->grad_fn->next[0].node), "MulBackward0");
    tensor_release(gr);
    Tensor *rel[] = {a, row, i, f, two, b, one, fl, u, s8, x, hi, lo, g, gm};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

static void check_node(Tensor *t, const char *name) {
    assert_non_null(t);
    assert_non_null(t->grad_fn);
    assert_string_equal(ag_node_name(t->grad_fn), name);
    tensor_release(t);
}

static void test_autograd_names(void **st) {
    Tensor *x = VEC(DT_FLOAT32, 1, 2), *one = tensor_wrapped_int(1), *two = tensor_wrapped_float(2);
    x->requires_grad = true;
    check_node(op_binary(BIN_ADD, x, one), "AddBackward0");
    check_node(op_binary(BIN_ADD, one, x), "AddBackward0");
    check_node(op_binary(BIN_SUB, one, x), "RsubBackward1");
    check_node(op_binary(BIN_SUB, x, x), "SubBackward0");
    /* the op divides; `2 / x` in a program is reciprocal(x) * 2 (eval_ops.c),
     * which is where PyTorch's MulBackward0 comes from */
    check_node(op_binary(BIN_DIV, two, x), "DivBackward0");
    check_node(op_binary(BIN_DIV, x, x), "DivBackward0");
    check_node(op_binary(BIN_POW, x, two), "PowBackward0");
    check_node(op_binary(BIN_POW, x, x), "PowBackward1");
    check_node(op_binary(BIN_REMAINDER, x, two), "RemainderBackward0");
    check_node(op_unary(UN_SQUARE, x), "PowBackward0");
    check_node(op_unary(UN_EXP, x), "ExpBackward0");
    check_node(op_unary(UN_LOG1P, x), "Log1PBackward0");
    check_node(op_clamp(x, one, NULL), "ClampBackward1");
    check_node(op_softmax(x, 0, false), "SoftmaxBackward0");
    check_node(op_softmax(x, 0, true), "LogSoftmaxBackward0");
    check_node(op_to_dtype(x, DT_FLOAT64), "ToCopyBackward0");
    check_node(op_clone(x), "CloneBackward0");
    check_node(op_add_alpha(x, x, 2, false), "AddBackward0");
    Tensor *m = op_binary(BIN_GT, x, one);
    assert_null(m->grad_fn);
    assert_false(m->requires_grad);
    check_node(op_where(m, x, two), "WhereBackward0");
    check_node(op_masked_fill(x, m, one), "MaskedFillBackward0");
    Tensor *same = op_to_dtype(x, DT_FLOAT32);
    assert_ptr_equal(same, x);
    tensor_release(same);
    Tensor *det = op_detach(x);
    assert_false(det->requires_grad);
    assert_ptr_equal(det->storage, x->storage);
    tensor_release(det);
    Tensor *li = op_to_dtype(x, DT_INT64);
    assert_false(li->requires_grad);
    tensor_release(li);
    ag_grad_enabled = false;
    Tensor *ng = op_binary(BIN_MUL, x, x);
    assert_null(ng->grad_fn);
    tensor_release(ng);
    ag_grad_enabled = true;
    Tensor *rel[] = {x, one, two, m};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

static void test_where_clamp_fill_softmax(void **st) {
    Tensor *c = VEC(DT_BOOL, 1, 0), *i = VEC(DT_INT64, 1, 2), *w25 = tensor_wrapped_float(2.5);
    EXPECT(op_where(c, i, w25), DT_FLOAT32, 0, 1, 2.5);
    expect_err(op_where(i, i, i), ERR_RuntimeError,
               "where expected condition to be a boolean tensor, but got a tensor with dtype Long");
    Tensor *f = VEC(DT_FLOAT32, -2, 0.5, NAN, 7), *m1 = tensor_wrapped_int(-1), *p1 = tensor_wrapped_int(1);
    EXPECT(op_clamp(f, m1, p1), DT_FLOAT32, 0, -1, 0.5, NAN, 1);
    Tensor *ii = VEC(DT_INT64, -2, 0, 7), *lo = tensor_wrapped_float(0.5), *hi = tensor_wrapped_float(1.5);
    EXPECT(op_clamp(ii, lo, hi), DT_FLOAT32, 0, 0.5, 0.5, 1.5);
    EXPECT(op_clamp(ii, hi, lo), DT_FLOAT32, 0, 0.5, 0.5, 0.5);
    EXPECT(op_clamp(ii, NULL, p1), DT_INT64, 0, -2, 0, 1);
    EXPECT(op_masked_fill(i, c, w25), DT_INT64, 0, 2, 2);
    int64_t sh[2] = {2, 1};
    Tensor *m2 = mk(DT_BOOL, 2, sh, (const double[]){1, 0}), *ones = VEC(DT_FLOAT32, 1, 1, 1),
           *zero = tensor_wrapped_int(0);
    Tensor *r = op_masked_fill(ones, m2, zero);
    int64_t rs[2] = {2, 3};
    expect_shape(r, 2, rs);
    EXPECT(r, DT_FLOAT32, 0, 0, 0, 0, 1, 1, 1);
    expect_err(op_masked_fill(i, c, i), ERR_RuntimeError,
               "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 "
               "dimension(s).");
    Tensor *s = mk(DT_FLOAT32, 2, rs, (const double[]){1, 2, 3, 0.5, -1, 4});
    EXPECT(op_softmax(s, 0, false), DT_FLOAT32, 1e-6, 0.622459352, 0.952574134, 0.268941432, 0.377540678, 0.0474258736, 0.731058598);
    EXPECT(op_softmax(s, -1, false), DT_FLOAT32, 1e-6, 0.0900305733, 0.244728476, 0.665240943, 0.0291217621, 0.00649794331, 0.964380324);
    EXPECT(op_softmax(s, 1, true), DT_FLOAT32, 1e-6, -2.40760589, -1.40760589, -0.407605946, -3.53626966, -5.03626966, -0.0362695642);
    Tensor *big = VEC(DT_FLOAT32, 1000, 0), *ninf = VEC(DT_FLOAT32, -INFINITY, -INFINITY);
    EXPECT(op_softmax(big, 0, true), DT_FLOAT32, 0, 0, -1000);
    EXPECT(op_softmax(ninf, 0, false), DT_FLOAT32, 0, NAN, NAN);
    expect_err(op_softmax(s, 2, false), ERR_IndexError,
               "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
    expect_err(op_softmax(i, 0, false), ERR_RuntimeError,
               "\"softmax_lastdim_kernel_impl\" not implemented for 'Long'");
    Tensor *s0 = tensor_scalar_f64(DT_FLOAT32, 3);
    EXPECT(op_softmax(s0, 0, false), DT_FLOAT32, 0, 1);
    Tensor *i2 = VEC(DT_INT64, 1, 2), *i34 = VEC(DT_INT64, 3, 4);
    EXPECT(op_add_alpha(i2, i34, 3, false), DT_INT64, 0, 10, 14);
    expect_err(op_add_alpha(i2, i34, 0.5, false), ERR_RuntimeError,
               "For integral input tensors, argument alpha must not be a floating point number.");
    Tensor *f12 = VEC(DT_FLOAT32, 1, 2), *f34 = VEC(DT_FLOAT32, 3, 4);
    EXPECT(op_add_alpha(f12, f34, 0.5, true), DT_FLOAT32, 0, -0.5, 0);
    Tensor *rel[] = {c, i, w25, f, m1, p1, ii, lo, hi, m2, ones, zero, s, big, ninf, s0, i2, i34, f12, f34};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

static void test_creation_conversion(void **st) {
    Device c = device_cpu();
    EXPECT(op_arange(0, 1, 0.1, DT_FLOAT32, c), DT_FLOAT32, 0, 0, 0.100000001, 0.200000003,
           0.300000012, 0.400000006, 0.5, 0.600000024, 0.699999988, 0.800000012, 0.899999976);
    EXPECT(op_arange(10, 0, -3, DT_INT64, c), DT_INT64, 0, 10, 7, 4, 1);
    EXPECT(op_arange(-1.5, 3, 1, DT_INT64, c), DT_INT64, 0, -1, 0, 1, 2);
    EXPECT(op_arange(-1.5, 3, 1, DT_INT32, c), DT_INT32, 0, -1, 0, 1, 2, 3);
    EXPECT(op_arange(0, 1, 0.3, DT_FLOAT64, c), DT_FLOAT64, 1e-15, 0, 0.3, 0.6, 0.9);
    expect_err(op_arange(1, 0, 1, DT_INT64, c), ERR_RuntimeError,
               "upper bound and larger bound inconsistent with step sign");
    expect_err(op_arange(0, 1, 0, DT_INT64, c), ERR_RuntimeError, "step must be nonzero");
    EXPECT(op_linspace(0, 1, 5, DT_FLOAT32, c), DT_FLOAT32, 0, 0, 0.25, 0.5, 0.75, 1);
    EXPECT(op_linspace(-1, 1, 7, DT_FLOAT32, c), DT_FLOAT32, 0, -1, -0.666666627, -0.333333313,
           -2.98023224e-08, 0.333333313, 0.666666627, 1);
    EXPECT(op_linspace(0, 10, 4, DT_INT64, c), DT_INT64, 0, 0, 3, 6, 10);
    /* 50 steps: the vectorised part rounds lane by lane like PyTorch */
    Tensor *l50 = op_linspace(0, 1, 50, DT_FLOAT32, c);
    assert_true((float)tensor_get_f64(l50, 15) == 0.306122422f);
    assert_true((float)tensor_get_f64(l50, 35) == 0.714285731f);
    tensor_release(l50);
    Tensor *e = op_eye(2, 3, DT_FLOAT32, c);
    int64_t es[2] = {2, 3};
    expect_shape(e, 2, es);
    EXPECT(e, DT_FLOAT32, 0, 1, 0, 0, 0, 1, 0);
    Tensor *f = VEC(DT_FLOAT32, 1.7, -1.7, 300);
    EXPECT(op_to_dtype(f, DT_UINT8), DT_UINT8, 0, 1, 255, 44);
    EXPECT(op_to_dtype(f, DT_INT64), DT_INT64, 0, 1, -1, 300);
    EXPECT(op_to_dtype(f, DT_BOOL), DT_BOOL, 0, 1, 1, 1);
    EXPECT(op_to_dtype(f, DT_FLOAT16), DT_FLOAT16, 0, 1.7001953125, -1.7001953125, 300);
    int64_t sh[2] = {2, 2}, tst[2] = {1, 2};
    Tensor *g = mk(DT_FLOAT32, 2, sh, (const double[]){1, 2, 3, 4});
    g->requires_grad = true;
    Tensor *gt = tensor_as_strided(g, 2, sh, tst, 0);
    gt->requires_grad = true; /* stands in for a recorded view */
    Tensor *cg = op_contiguous(gt);
    assert_true(tensor_is_contiguous(cg));
    assert_string_equal(ag_node_name(cg->grad_fn), "CloneBackward0");
    EXPECT(cg, DT_FLOAT32, 0, 1, 3, 2, 4);
    Tensor *same = op_contiguous(g);
    assert_ptr_equal(same, g);
    tensor_release(same);
    Tensor *rel[] = {f, g, gt};
    for (size_t k = 0; k < sizeof rel / sizeof *rel; k++) tensor_release(rel[k]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_broadcast_shapes),
        cmocka_unit_test(test_promotion),
        cmocka_unit_test(test_arith_values),
        cmocka_unit_test(test_bitwise_and_bool),
        cmocka_unit_test(test_strided_inputs),
        cmocka_unit_test(test_large_threaded),
        cmocka_unit_test(test_unary),
        cmocka_unit_test(test_inplace),
        cmocka_unit_test(test_autograd_names),
        cmocka_unit_test(test_where_clamp_fill_softmax),
        cmocka_unit_test(test_creation_conversion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
