/* The gradcheck sweep: for every node kind with a formula (AG_NODES in
 * autograd/nodes.h, all but AccumulateGrad), at least one op that records
 * it is run on float64 inputs with odd shapes (broadcast operands,
 * transposed or sliced non-contiguous views), and the gradient from the
 * real engine (ag_grad) of sum(out * w), w random, is compared with
 * central finite differences (eps 1e-6, atol 1e-5, rtol 1e-3). A node
 * kind without a case here fails test_every_formula_has_a_case, so new
 * formulas cannot skip the sweep. Backward-of-backward nodes (TanhBackwardBackward0, ...) are
 * produced by a first-order torch.autograd.grad(create_graph=True) inside
 * the case.
 *
 * Inputs stay away from non-differentiable points; test_conventions checks
 * PyTorch 1.13's values at those points (abs at 0, ties, clamp bounds,
 * ...), taken from the oracle. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "formula.h"
#include "error.h"
#include "backward.h"
#include "index_reduce.h"
#include "ops.h"
#include "random.h"

#define EPS 1e-6
#define ATOL 1e-5
#define RTOL 1e-3

/* ------------------------------------------------------- temporaries */

/* Intermediates of a case's builder, released by the harness after each
 * evaluation. T(NULL) (an op failed) jumps back to the harness. */
enum { POOL_MAX = 256 };
static Tensor *pool[POOL_MAX];
static int pool_n;
static jmp_buf case_jmp;
static char case_err[512];

static void pool_free(void) {
    for (int i = 0; i < pool_n; i++) tensor_release(pool[i]);
    pool_n = 0;
}

static Tensor *T(Tensor *t) {
    if (!t) {
        snprintf(case_err, sizeof case_err, "%s: %s", tsr_err_name(tsr_err_kind()), tsr_err_msg());
        longjmp(case_jmp, 1);
    }
    if (pool_n == POOL_MAX) {
        snprintf(case_err, sizeof case_err, "test pool full");
        longjmp(case_jmp, 1);
    }
    pool[pool_n++] = t;
    return t;
}

static void check(bool ok) {
    if (!ok) T(NULL);
}

#define SH(...) ((const int64_t[]){__VA_ARGS__})

static Tensor *W(double v) { return T(tensor_wrapped_float(v)); }

/* An int64 constant of the given shape. */
static Tensor *ix64(int ndim, const int64_t *shape, const int64_t *v) {
    Tensor *t = T(tensor_empty(DT_INT64, ndim, shape, device_cpu()));
    memcpy(t->storage->data, v, sizeof(int64_t) * (size_t)tensor_numel(t));
    return t;
}

static Tensor *mask35(void) {
    Tensor *m = T(tensor_empty(DT_BOOL, 2, SH(3, 5), device_cpu()));
    for (int i = 0; i < 15; i++) ((bool *)m->storage->data)[i] = (i * 7) % 3 == 1;
    return m;
}

/* d out / d x contracted with v, create_graph=True (a function of x and v). */
static Tensor *grad_cg(Tensor *out, Tensor *x, Tensor *v) {
    Tensor *r = NULL;
    check(ag_grad(&out, &v, 1, &x, 1, -1, true, false, &r));
    return T(r);
}

/* ------------------------------------------------------------ builders */

typedef Tensor *(*Build)(Tensor *const *x);
#define B(name) static Tensor *name(Tensor *const *x)

static Tensor *bin(BinaryOp op, Tensor *a, Tensor *b) { return T(op_binary(op, a, b)); }
static Tensor *un(UnaryOp op, Tensor *a) { return T(op_unary(op, a)); }

/* elementwise */
B(b_add) { return bin(BIN_ADD, x[0], x[1]); }
B(b_add_alpha) { return T(op_add_alpha(x[0], x[1], 2.5, false)); }
B(b_sub) { return T(op_add_alpha(x[0], x[1], 0.5, true)); }
B(b_rsub) { return bin(BIN_SUB, W(2.5), x[0]); }
B(b_rsub_tensor) { return T(op_rsub(x[0], x[1], 1.5)); }
B(b_mul) { return bin(BIN_MUL, x[0], x[1]); }
B(b_div) { return bin(BIN_DIV, x[0], x[1]); }
B(b_pow_scalar) { return bin(BIN_POW, x[0], W(2.5)); }
/* the Scalar overloads backward formulas record (op_scalar_binary) */
static Tensor *sc(BinaryOp op, Tensor *a, double v, bool rev) { return T(op_scalar_binary(op, a, v, rev)); }
B(b_mul_scalar) { return sc(BIN_MUL, x[0], -1.5, false); }
B(b_rmul_scalar) { return sc(BIN_MUL, x[0], 2.5, true); }
B(b_div_scalar) { return sc(BIN_DIV, x[0], 2.5, false); }
B(b_rdiv_scalar) { return sc(BIN_DIV, x[0], 2.5, true); }
B(b_add_scalar) { return sc(BIN_ADD, x[0], 2.5, false); }
B(b_sub_scalar) { return sc(BIN_SUB, x[0], 2.5, false); }
B(b_rsub_scalar) { return sc(BIN_SUB, x[0], 2.5, true); }
B(b_pow_scalar_op) { return sc(BIN_POW, x[0], 3.0, false); }
B(b_mul_scalar_bb) { return grad_cg(sc(BIN_MUL, x[0], 3.0, false), x[0], x[1]); }
B(b_div_scalar_bb) { return grad_cg(sc(BIN_DIV, x[0], 3.0, false), x[0], x[1]); }
B(b_square) { return un(UN_SQUARE, x[0]); }
B(b_pow) { return bin(BIN_POW, x[0], x[1]); }
B(b_rpow) { return bin(BIN_POW, W(1.7), x[0]); }
B(b_pow_scalar_base) { return T(op_pow_scalar_base(W(1.7), x[0])); }
B(b_pow_zero_base) { return T(op_pow_scalar_base(W(0.0), x[0])); }
B(b_atan2) { return bin(BIN_ATAN2, x[0], x[1]); }
B(b_hypot) { return bin(BIN_HYPOT, x[0], x[1]); }
B(b_logaddexp) { return bin(BIN_LOGADDEXP, x[0], x[1]); }
B(b_maximum) { return bin(BIN_MAXIMUM, x[0], x[1]); }
B(b_minimum) { return bin(BIN_MINIMUM, x[0], x[1]); }
B(b_fmod_s) { return bin(BIN_FMOD, x[0], W(0.7)); }
B(b_fmod) { return bin(BIN_FMOD, x[0], x[1]); }
B(b_rem_s) { return bin(BIN_REMAINDER, x[0], W(0.7)); }
B(b_rem) { return bin(BIN_REMAINDER, x[0], x[1]); }
B(b_floor_divide) { return bin(BIN_FLOOR_DIVIDE, x[0], x[1]); }
#define UNARY(n, op) B(n) { return un(op, x[0]); }
UNARY(b_neg, UN_NEG)
UNARY(b_abs, UN_ABS)
UNARY(b_sign, UN_SIGN)
UNARY(b_relu, UN_RELU)
UNARY(b_sqrt, UN_SQRT)
UNARY(b_rsqrt, UN_RSQRT)
UNARY(b_exp, UN_EXP)
UNARY(b_exp2, UN_EXP2)
UNARY(b_expm1, UN_EXPM1)
UNARY(b_log, UN_LOG)
UNARY(b_log2, UN_LOG2)
UNARY(b_log10, UN_LOG10)
UNARY(b_log1p, UN_LOG1P)
UNARY(b_sin, UN_SIN)
UNARY(b_cos, UN_COS)
UNARY(b_tan, UN_TAN)
UNARY(b_asin, UN_ASIN)
UNARY(b_acos, UN_ACOS)
UNARY(b_atan, UN_ATAN)
UNARY(b_sinh, UN_SINH)
UNARY(b_cosh, UN_COSH)
UNARY(b_tanh, UN_TANH)
UNARY(b_sigmoid, UN_SIGMOID)
UNARY(b_reciprocal, UN_RECIPROCAL)
UNARY(b_floor, UN_FLOOR)
UNARY(b_ceil, UN_CEIL)
UNARY(b_round, UN_ROUND)
UNARY(b_trunc, UN_TRUNC)
UNARY(b_frac, UN_FRAC)
B(b_where) { return T(op_where(mask35(), x[0], x[1])); }
B(b_clamp_t) { return T(op_clamp(x[0], x[1], x[2])); }
B(b_clamp_min_t) { return T(op_clamp(x[0], x[1], NULL)); }
B(b_clamp_s) { return T(op_clamp(x[0], W(-0.5), W(0.7))); }
B(b_masked_fill_s) { return T(op_masked_fill(x[0], mask35(), W(2.0))); }
B(b_masked_fill_t) { return T(op_masked_fill(x[0], mask35(), x[1])); }
B(b_softmax) { return T(op_softmax(x[0], 1, false)); }
B(b_log_softmax) { return T(op_softmax(x[0], 0, true)); }
B(b_relu_bb) { return grad_cg(un(UN_RELU, x[0]), x[0], x[1]); }
B(b_tanh_bb) { return grad_cg(un(UN_TANH, x[0]), x[0], x[1]); }
B(b_sigmoid_bb) { return grad_cg(un(UN_SIGMOID, x[0]), x[0], x[1]); }
B(b_softmax_bb) { return grad_cg(T(op_softmax(x[0], 1, false)), x[0], x[1]); }
B(b_log_softmax_bb) { return grad_cg(T(op_softmax(x[0], 0, true)), x[0], x[1]); }
/* through float32 and back: exact for the 'q' inputs and eps 2^-20 */
B(b_to_copy) { return T(op_to_dtype(T(op_to_dtype(x[0], DT_FLOAT32)), DT_FLOAT64)); }
B(b_clone) { return T(op_clone(x[0])); }
B(b_pin_memory) { return T(op_pin_memory(x[0])); }

/* views and shapes */
B(b_view) { return T(op_view(x[0], 2, SH(5, 3))); }
B(b_reshape_alias) { return T(op_reshape(x[0], 1, SH(15))); }
B(b_unsafe_view) { return T(op_reshape(x[0], 2, SH(5, -1))); }
B(b_alias) {
    TensorIndex e = {.kind = IDX_ELLIPSIS};
    return T(op_index(x[0], &e, 1));
}
B(b_transpose) { return T(op_transpose(x[0], 0, 2)); }
B(b_t) { return T(op_t(x[0])); }
B(b_permute) { return T(op_permute(x[0], 3, SH(2, 0, 1))); }
B(b_squeeze_all) { return T(op_squeeze(x[0], 0, NULL)); }
B(b_squeeze_dim) { return T(op_squeeze(x[0], 1, SH(1))); }
B(b_squeeze3) { return T(op_matmul(x[0], x[1])); }
B(b_unsqueeze) { return T(op_unsqueeze(x[0], 1)); }
/* in-place view ops act on a non-leaf copy (a leaf would raise) */
static Tensor *inplace_view_case(Tensor *c, Tensor *(*f)(Tensor *)) {
    if (!c) return NULL;
    Tensor *r = f(c);
    tensor_release(c);
    return r;
}
static Tensor *sq_all_(Tensor *c) { return op_squeeze_(c, 0, NULL); }
static Tensor *unsq_(Tensor *c) { return op_unsqueeze_(c, 1); }
static Tensor *tr_(Tensor *c) { return op_transpose_(c, 0, 2); }
B(b_squeeze_all_) { return T(inplace_view_case(op_clone(x[0]), sq_all_)); }
B(b_unsqueeze_) { return T(inplace_view_case(op_clone(x[0]), unsq_)); }
B(b_t_) { return T(inplace_view_case(op_clone(x[0]), op_t_)); }
B(b_transpose_) { return T(inplace_view_case(op_clone(x[0]), tr_)); }
B(b_expand) { return T(op_expand(x[0], 3, SH(2, 3, 5))); }
B(b_select) { return T(op_select(x[0], 1, 2)); }
B(b_slice) { return T(op_slice(x[0], 1, 1, 5, 2)); }
B(b_cat) { return T(op_cat(x, 2, 0)); }
B(b_stack) { return T(op_stack(x, 2, 1)); }
/* Keeps the n pieces of a split (a malloc'd array) and concatenates
 * pieces a and b along dim (the others stay unused). */
static Tensor *pieces_cat(Tensor **p, int n, int want, int a, int b, int64_t dim, bool stack) {
    if (n < 0) T(NULL);
    for (int i = 0; i < n; i++) T(p[i]);
    if (n != want) free(p);
    check(n == want);
    Tensor *two[2] = {p[a], p[b]};
    free(p);
    return T(stack ? op_stack(two, 2, dim) : op_cat(two, 2, dim));
}
B(b_split) {
    Tensor **p = NULL;
    int n = op_split(x[0], 3, 0, &p);
    return pieces_cat(p, n, 3, 0, 2, 0, false);
}
B(b_split_sizes) {
    Tensor **p = NULL;
    int n = op_split_sizes(x[0], 3, SH(1, 2, 3), 1, &p);
    return pieces_cat(p, n, 3, 2, 0, 1, false);
}
B(b_unsafe_split) {
    Tensor **p = NULL;
    int n = op_unsafe_split(x[0], 3, 0, &p);
    return pieces_cat(p, n, 3, 2, 0, 0, false);
}
B(b_unsafe_split_sizes) {
    Tensor **p = NULL;
    int n = op_unsafe_split_sizes(x[0], 3, SH(1, 2, 3), 1, &p);
    return pieces_cat(p, n, 3, 2, 0, 1, false);
}
B(b_unbind) {
    Tensor **p = NULL;
    int n = op_unbind(x[0], 0, &p);
    return pieces_cat(p, n, 3, 2, 0, 0, true);
}
B(b_flip) { return T(op_flip(x[0], 2, SH(0, 1))); }
B(b_rot90) { return T(op_rot90(x[0], 1, 0, 1)); }
B(b_rot90_3) { return T(op_rot90(x[0], 3, 1, 0)); }
B(b_repeat) { return T(op_repeat(x[0], 3, SH(2, 1, 2))); }
static TensorIndex tix(Tensor *t) { return (TensorIndex){.kind = IDX_TENSOR, .tensor = t}; }
B(b_index) {
    TensorIndex i = tix(ix64(1, SH(3), SH(2, 0, 2)));
    return T(op_index(x[0], &i, 1));
}
B(b_index_bb) {
    TensorIndex i = tix(ix64(1, SH(3), SH(2, 0, 2)));
    return grad_cg(T(op_index(x[0], &i, 1)), x[0], x[1]);
}
B(b_select_bb) { return grad_cg(T(op_select(x[0], 1, 2)), x[0], x[1]); }
B(b_slice_bb) { return grad_cg(T(op_slice(x[0], 1, 1, 5, 2)), x[0], x[1]); }
B(b_index_put) {
    Tensor *c = T(op_clone(x[0]));
    TensorIndex i = tix(ix64(1, SH(2), SH(2, 0)));
    check(op_index_put_(c, &i, 1, x[1]));
    return c;
}
B(b_copy_slices) {
    Tensor *c = T(op_clone(x[0]));
    TensorIndex i[2] = {{.kind = IDX_SLICE, .step = 1}, {.kind = IDX_SLICE, .has_start = true, .start = 1,
                                                          .has_stop = true, .stop = 3, .step = 1}};
    check(op_index_put_(c, i, 2, x[1]));
    return c;
}
B(b_copy_) { /* y = clone(a); y.copy_(b) with b broadcast: CopyBackwards */
    Tensor *c = T(op_clone(x[0]));
    return T(op_copy_(c, x[1])); /* a new reference to c */
}

/* reductions */
B(b_sum) { return T(op_sum(x[0], 0, NULL, false, DT_UNDEFINED)); }
B(b_sum_dim) { return T(op_sum(x[0], 1, SH(1), false, DT_UNDEFINED)); }
B(b_mean) { return T(op_mean(x[0], 0, NULL, false, DT_UNDEFINED)); }
B(b_mean_dim) { return T(op_mean(x[0], 2, SH(0, 2), true, DT_UNDEFINED)); }
B(b_prod) { return T(op_prod(x[0], 0, NULL, false, DT_UNDEFINED)); }
B(b_prod_dim) { return T(op_prod(x[0], 1, SH(1), false, DT_UNDEFINED)); }
B(b_amax) { return T(op_amax(x[0], 1, SH(1), false)); }
B(b_amin) { return T(op_amin(x[0], 1, SH(0), true)); }
static Tensor *values_of(bool ok, Tensor **v, Tensor **i) {
    check(ok);
    T(*i);
    return T(*v);
}
B(b_max_dim) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_max_dim(x[0], 1, false, &v, &i), &v, &i);
}
B(b_min_dim) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_min_dim(x[0], 0, true, &v, &i), &v, &i);
}
B(b_max_all) { return T(op_max_all(x[0])); }
B(b_min_all) { return T(op_min_all(x[0])); }
B(b_sort) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_sort(x[0], 1, true, false, &v, &i), &v, &i);
}
B(b_cumsum) { return T(op_cumsum(x[0], 1, DT_UNDEFINED)); }
B(b_var) { return T(op_var(x[0], 1, SH(1), 1, false, false)); }
B(b_std) { return T(op_var(x[0], 0, NULL, 1, false, true)); }

/* linear algebra */
B(b_mm) { return T(op_mm(x[0], x[1])); }
B(b_bmm) { return T(op_bmm(x[0], x[1])); }
B(b_mv) { return T(op_matmul(x[0], x[1])); }
B(b_dot) { return T(op_dot(x[0], x[1])); }
B(b_einsum_mm) { return T(op_einsum("ij,jk->ik", x, 2)); }
B(b_einsum_diag) { return T(op_einsum("ii->i", x, 1)); }

/* ops_extra.c */
B(b_gather) { return T(op_gather(x[0], 1, ix64(2, SH(3, 2), SH(0, 4, 2, 2, 1, 3)))); }
B(b_scatter_src) { return T(op_scatter(x[0], 1, ix64(2, SH(3, 2), SH(0, 4, 2, 1, 3, 1)), x[1], 0, false, false)); }
B(b_scatter_value) { return T(op_scatter(x[0], 1, ix64(2, SH(3, 2), SH(0, 4, 2, 1, 3, 1)), NULL, 1.5, false, false)); }
B(b_scatter_add) { return T(op_scatter(x[0], 1, ix64(2, SH(3, 2), SH(0, 0, 2, 1, 3, 3)), x[1], 0, true, false)); }
B(b_cumprod) { return T(op_cumprod(x[0], 1, DT_UNDEFINED)); }
B(b_cumprod_bb) { return grad_cg(T(op_cumprod(x[0], 1, DT_UNDEFINED)), x[0], x[1]); }
B(b_topk) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_topk(x[0], 2, 1, true, true, &v, &i), &v, &i);
}
B(b_kthvalue) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_kthvalue(x[0], 2, 1, false, &v, &i), &v, &i);
}
B(b_median_dim) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_median_dim(x[0], 0, true, &v, &i), &v, &i);
}
B(b_mode) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_mode_dim(x[0], 1, false, &v, &i), &v, &i);
}
B(b_median_all) { return T(op_median_all(x[0])); }
B(b_tril) { return T(op_tril(x[0], 1, false)); }
B(b_triu) { return T(op_tril(x[0], -1, true)); }
B(b_diagonal) { return T(op_diagonal(x[0], 1, 0, 2)); }
B(b_diagonal_bb) { return grad_cg(T(op_diagonal(x[0], 1, 0, 2)), x[0], x[1]); }
B(b_diag) { return T(op_diag(x[0], 1)); }
B(b_diag_embed) { return T(op_diag_embed(x[0], -1, 0, 2)); }
B(b_block_diag) { return T(op_block_diag(x, 2)); }
B(b_diag_bb) { return grad_cg(T(op_diag(x[0], -1)), x[0], x[1]); }
B(b_trace) { return T(op_trace(x[0])); }
B(b_roll) { return T(op_roll(x[0], 2, SH(1, -2), SH(0, 1))); }
B(b_roll_flat) { return T(op_roll(x[0], 0, SH(4), NULL)); }
B(b_addmm) { return T(op_addmm(x[0], x[1], x[2], 0.5, 2.0)); }
B(b_addmm_1) { return T(op_addmm(x[0], x[1], x[2], 1.0, 1.0)); }
B(b_nan_to_num) { return T(op_nan_to_num(x[0], false, 0, false, 0, false, 0)); }
B(b_norm2) { return T(op_vector_norm(x[0], 2, 1, SH(1), false, DT_UNDEFINED)); }
B(b_norm3) { return T(op_vector_norm(x[0], 3, 0, NULL, false, DT_UNDEFINED)); }
B(b_norm15) { return T(op_vector_norm(x[0], 1.5, 1, SH(-1), true, DT_UNDEFINED)); }
B(b_norm05) { return T(op_vector_norm(x[0], 0.5, 2, SH(0, 2), false, DT_UNDEFINED)); }
B(b_norm1) { return T(op_vector_norm(x[0], 1, 1, SH(0), false, DT_UNDEFINED)); }
B(b_norm_inf) { return T(op_vector_norm(x[0], INFINITY, 1, SH(1), false, DT_UNDEFINED)); }
B(b_gather_bb) { return grad_cg(b_gather(x), x[0], x[1]); }
B(b_scatter_bb) { return grad_cg(b_scatter_src(x), x[1], x[2]); }
B(b_topk_bb) { return grad_cg(b_topk(x), x[0], x[1]); }
B(b_median_all_bb) { return grad_cg(b_median_all(x), x[0], x[1]); }
B(b_trace_bb) { return grad_cg(b_trace(x), x[0], x[1]); }
B(b_roll_bb) { return grad_cg(b_roll(x), x[0], x[1]); }
B(b_tril_bb) { return grad_cg(b_tril(x), x[0], x[1]); }
B(b_addmm_bb) { return grad_cg(b_addmm(x), x[1], x[3]); }
/* linalg_add.c, statistics.c */
B(b_addmv) { return T(op_addmv(x[0], x[1], x[2], 0.5, 2.0)); }
B(b_addr) { return T(op_addr(x[0], x[1], x[2], (OpScalar){0.5, 'f'}, (OpScalar){2.0, 'f'}, false)); }
B(b_addbmm) { return T(op_addbmm(x[0], x[1], x[2], 0.5, 2.0)); }
B(b_baddbmm) { return T(op_baddbmm(x[0], x[1], x[2], 1.5, 0.5)); }
B(b_dist) { return T(op_dist(x[0], x[1], 3)); }
B(b_dist2) { return T(op_dist(x[0], x[1], 2)); }
B(b_nan_to_num_bb) { return grad_cg(b_nan_to_num(x), x[0], x[1]); }
B(b_norm3_bb) { return grad_cg(b_norm3(x), x[0], x[1]); }
B(b_norm2_bb) { return grad_cg(T(op_vector_norm(x[0], 2, 1, SH(1), false, DT_UNDEFINED)), x[0], x[1]); }

/* ops_composite.c */
B(b_logsumexp) { return T(op_logsumexp(x[0], 1, SH(1), false)); }
B(b_lerp_s) { return T(op_lerp(x[0], x[1], W(0.3))); }
B(b_lerp_t) { return T(op_lerp(x[0], x[1], x[2])); }
B(b_take) { return T(op_take(x[0], ix64(2, SH(2, 2), SH(7, 0, 14, 7)))); }
B(b_take_bb) { return grad_cg(T(op_take(x[0], ix64(2, SH(2, 2), SH(7, 0, 14, 7)))), x[0], x[1]); }
B(b_index_select) { return T(op_index_select(x[0], 1, ix64(1, SH(3), SH(4, 1, 4)))); }
B(b_index_select_bb) { return grad_cg(T(op_index_select(x[0], 1, ix64(1, SH(3), SH(4, 1, 4)))), x[0], x[1]); }
static Tensor *mask5(void) {
    Tensor *m = T(tensor_empty(DT_BOOL, 1, SH(5), device_cpu()));
    for (int i = 0; i < 5; i++) ((bool *)m->storage->data)[i] = i % 2 == 0;
    return m;
}
B(b_masked_select) { return T(op_masked_select(x[0], mask5())); }
B(b_masked_select_bb) { return grad_cg(T(op_masked_select(x[0], mask5())), x[0], x[1]); }
/* a write through a view: CopySlices on the base, AsStridedBackward0 on the view */
static Tensor *view_write(Tensor *const *x) {
    Tensor *c = T(op_clone(x[0]));
    Tensor *v = T(op_slice(c, 0, 0, 2, 1));
    TensorIndex i[2] = {{.kind = IDX_SLICE, .step = 1}, {.kind = IDX_INT, .i = 1}};
    check(op_index_put_(v, i, 2, x[1]));
    return v;
}
/* an in-place op on a view (CopySlices running the op's node on the
 * region), read through a sibling view made before it (its grad_fn is
 * regenerated as AsStridedBackward0 over the base's CopySlices) */
static Tensor *view_inplace(Tensor *const *x) {
    Tensor *c = T(op_clone(x[0]));
    Tensor *v1 = T(op_slice(c, 0, 0, 2, 1));
    Tensor *v2 = T(op_slice(c, 0, 1, 3, 1));
    T(op_binary_(BIN_MUL, v1, x[1]));
    T(op_binary_(BIN_MUL, v2, W(1.5)));
    return bin(BIN_MUL, v2, T(op_slice(c, 0, 0, 2, 1)));
}
B(b_view_inplace) { return view_inplace(x); }
B(b_view_inplace_bb) { return grad_cg(view_inplace(x), x[0], x[2]); }
B(b_as_strided) { return view_write(x); }
B(b_as_strided_bb) { return grad_cg(view_write(x), x[0], x[2]); }
B(b_norm) { return T(op_norm(x[0], 2, false, 1, SH(1), false)); }
B(b_norm_fro) { return T(op_norm(x[0], 2, true, 0, NULL, false)); }
B(b_clamp_min_s) { return T(op_clamp_bound(x[0], W(0.3), false)); }
B(b_clamp_min_b) { return T(op_clamp_bound(x[0], x[1], false)); }
B(b_clamp_max_s) { return T(op_clamp_bound(x[0], W(-0.3), true)); }
B(b_clamp_max_b) { return T(op_clamp_bound(x[0], x[1], true)); }
B(b_div_floor) { return T(op_div_mode(x[0], x[1], true)); }
B(b_div_trunc) { return T(op_div_mode(x[0], x[1], false)); }
static Tensor *fill(Tensor *const *x, Tensor *value) {
    Tensor *c = T(op_clone(x[0]));
    T(op_fill_(c, value));
    return T(op_binary(BIN_MUL, c, x[0]));
}
B(b_zero_) { return fill(x, NULL); }
B(b_fill_s) { return fill(x, W(1.5)); }
B(b_fill_t) { return fill(x, x[1]); }
B(b_fill_out_s) { return T(op_fill(x[0], W(1.5))); }
B(b_fill_out_t) { return T(op_fill(x[0], x[1])); }
/* in-place variants (the node is recorded on a clone) */
B(b_add_) { return T(op_add_alpha_(T(op_clone(x[0])), x[1], 2.0, true)); }
B(b_clamp_) { return T(op_clamp_(T(op_clone(x[0])), x[1], W(0.7))); }
B(b_masked_fill_) { return T(op_masked_fill_(T(op_clone(x[0])), mask35(), x[1])); }

/* ---- ops_more.c builders (positive ... aminmax) ---- */
B(m_sgn) { return T(op_sgn(x[0])); }
B(m_angle) { return T(op_angle(x[0])); }
B(m_round_dec) { return T(op_round_decimals(x[0], 2)); }
B(m_nansum) { return T(op_nansum(x[0], 1, SH(1), false, DT_UNDEFINED)); }
B(m_nansum_all) { return T(op_nansum(x[0], 0, NULL, true, DT_UNDEFINED)); }
static Tensor *cum(Tensor *a, int64_t dim, bool is_max) {
    Tensor *v = NULL, *i = NULL;
    check(op_cummaxmin(a, dim, is_max, &v, &i));
    T(i);
    return T(v);
}
B(m_cummax) { return cum(x[0], 1, true); }
B(m_cummin) { return cum(x[0], 0, false); }
B(m_cummax_bb) { return grad_cg(cum(x[0], 1, true), x[0], x[1]); }
B(m_vdot) { return T(op_vdot(x[0], x[1])); }
B(m_addcmul) { return T(op_addcmul(x[0], x[1], x[2], 0.5, false)); }
B(m_addcdiv) { return T(op_addcmul(x[0], x[1], x[2], -1.5, true)); }
B(m_addcmul_) { return T(op_addcmul_(T(op_clone(x[0])), x[1], x[2], 2.0, false)); }
static Tensor *var_mean(Tensor *a, int nd, const int64_t *dims, int64_t corr, bool keepdim, bool sq) {
    Tensor *v = NULL, *m = NULL;
    check(op_var_mean(a, nd, dims, corr, keepdim, sq, &v, &m));
    T(v);
    T(m);
    return bin(BIN_ADD, v, bin(BIN_MUL, m, W(2.0)));
}
B(m_var_mean) { return var_mean(x[0], 1, SH(1), 1, false, false); }
B(m_var_mean_all) { return var_mean(x[0], 0, NULL, 0, false, false); }
B(m_std_mean) { return var_mean(x[0], 1, SH(0), 1, true, true); }
B(m_std_mean_bb) { return grad_cg(var_mean(x[0], 1, SH(1), 1, false, true), x[0], x[1]); }
B(m_cross) { return T(op_cross(x[0], x[1], true, 1)); }
B(m_cross_bb) { return grad_cg(T(op_cross(x[0], x[1], false, 0)), x[0], x[2]); }
/* the LAPACK-based nodes (linalg_decomp.c) on well-conditioned inputs:
 * x + 4 I, and x x^T + I for the Cholesky factorization */
static Tensor *dominant(Tensor *x) {
    int64_t n = x->shape[x->ndim - 1];
    return T(op_add_alpha(x, T(op_eye(n, n, x->dtype, x->storage->device)), 4.0, false));
}
static Tensor *spd(Tensor *x) {
    int64_t n = x->shape[x->ndim - 1];
    Tensor *g = T(op_matmul(x, T(op_transpose(x, -2, -1))));
    return T(op_add_alpha(g, T(op_eye(n, n, x->dtype, x->storage->device)), 1.0, false));
}
/* (a, b) of an op that returned ok: both go to the pool, one is the result */
static Tensor *pair_second(bool ok, Tensor *a, Tensor *b) { return ok ? (T(a), T(b)) : T(NULL); }
static Tensor *pair_first(bool ok, Tensor *a, Tensor *b) { return ok ? (T(b), T(a)) : T(NULL); }
B(m_det) { return T(op_linalg_det(dominant(x[0]))); }
B(m_det_t) { return T(op_linalg_det(T(op_transpose(dominant(x[0]), -2, -1)))); }
B(m_slogdet) {
    Tensor *sg = NULL, *l = NULL;
    bool ok = op_linalg_slogdet(dominant(x[0]), &sg, &l);
    return pair_second(ok, sg, l);
}
B(m_logdet) { return T(op_logdet(dominant(x[0]))); }
B(m_inv) {
    Tensor *r = NULL, *info = NULL;
    bool ok = op_linalg_inv_ex(dominant(x[0]), false, "linalg.inv", &r, &info);
    return pair_first(ok, r, info);
}
static Tensor *solve(Tensor *A, Tensor *B, bool left) {
    Tensor *r = NULL, *info = NULL;
    bool ok = op_linalg_solve_ex(A, B, left, false, "torch.linalg.solve", &r, &info);
    return pair_first(ok, r, info);
}
B(m_solve) { return solve(dominant(x[0]), x[1], true); }
B(m_solve_right) { return solve(T(op_transpose(dominant(x[0]), -2, -1)), x[1], false); }
B(m_solve_bb) { return grad_cg(solve(dominant(x[0]), x[1], true), x[1], x[2]); }
static Tensor *chol(Tensor *x, bool upper) {
    Tensor *L = NULL, *info = NULL;
    bool ok = op_linalg_cholesky_ex(spd(x), upper, false, "linalg.cholesky", &L, &info);
    return pair_first(ok, L, info);
}
B(m_cholesky) { return chol(x[0], false); }
B(m_cholesky_upper) { return chol(x[0], true); }
B(m_cholesky_legacy) { return T(op_cholesky_legacy(spd(x[0]), false)); }
static Tensor *lu(Tensor *x, Tensor **piv) {
    Tensor *LU = NULL, *info = NULL;
    bool square = x->shape[x->ndim - 1] == x->shape[x->ndim - 2];
    bool ok = op_linalg_lu_factor_ex(square ? dominant(x) : x, true, false, "torch.linalg.lu_factor", &LU, piv, &info);
    T(*piv);
    return pair_first(ok, LU, info);
}
B(m_lu_factor) {
    Tensor *piv = NULL;
    return lu(x[0], &piv);
}
B(m_lu_solve) {
    Tensor *piv = NULL;
    Tensor *LU = lu(x[0], &piv);
    return T(op_linalg_lu_solve(LU, piv, x[1], true, false));
}
B(m_solve_triangular) { return T(op_linalg_solve_triangular(dominant(x[0]), x[1], true, true, false)); }
B(m_solve_triangular_lr) { return T(op_linalg_solve_triangular(dominant(x[0]), x[1], false, false, false)); }
B(m_solve_triangular_unit) { return T(op_linalg_solve_triangular(dominant(x[0]), x[1], false, true, true)); }
B(m_lu_solve_adj) {
    Tensor *piv = NULL;
    Tensor *LU = lu(x[0], &piv);
    return T(op_linalg_lu_solve(LU, piv, x[1], false, true));
}
B(m_lu_solve_right) {
    Tensor *piv = NULL;
    Tensor *LU = lu(x[0], &piv);
    return T(op_linalg_lu_solve(LU, piv, x[1], false, false));
}
static Tensor *sym(Tensor *x) { return bin(BIN_ADD, x, T(op_transpose(x, -2, -1))); }
static Tensor *eigh(Tensor *x, bool vectors) {
    Tensor *L = NULL, *V = NULL;
    bool ok = op_linalg_eigh(sym(x), "L", true, &L, &V);
    if (!ok || !vectors) return pair_first(ok, L, V);
    T(L);
    return bin(BIN_MUL, T(V), V);
}
B(m_eigh_values) { return eigh(x[0], false); }
B(m_eigh_vectors) { return eigh(x[0], true); }
static Tensor *qr(Tensor *x, bool q) {
    Tensor *Q = NULL, *R = NULL;
    bool ok = op_linalg_qr(x, 0, &Q, &R);
    return q ? pair_first(ok, Q, R) : pair_second(ok, Q, R);
}
B(m_qr_q) { return qr(x[0], true); }
B(m_qr_r) { return qr(x[0], false); }
B(m_qr_both) { return bin(BIN_ADD, T(op_sum(qr(x[0], true), 0, NULL, false, DT_UNDEFINED)), qr(x[0], false)); }
B(m_geqrf) {
    Tensor *a = NULL, *tau = NULL;
    bool ok = op_geqrf(x[0], &a, &tau);
    return pair_first(ok, a, tau);
}
B(m_householder) { return T(op_linalg_householder_product(x[0], x[1])); }
B(m_symeig) {
    Tensor *L = NULL, *V = NULL;
    bool ok = op_symeig(sym(x[0]), true, true, &L, &V);
    return pair_first(ok, L, V);
}
/* eigenvalues only: not differentiable (linalg_eig_backward's error) */
B(m_symeig_values) {
    Tensor *L = NULL, *V = NULL;
    bool ok = op_symeig(sym(x[0]), false, true, &L, &V);
    return pair_first(ok, L, V);
}
B(m_cholesky_solve) { return T(op_cholesky_solve(x[1], chol(x[0], false), false)); }
B(m_cholesky_inverse) { return T(op_cholesky_inverse(chol(x[0], true), true)); }
B(m_cholesky_inverse_l) { return T(op_cholesky_inverse(chol(x[0], false), false)); }
B(m_cholesky_solve_u) { return T(op_cholesky_solve(x[1], chol(x[0], true), true)); }
B(m_triangular_solve) {
    Tensor *X = NULL, *Ac = NULL;
    bool ok = op_triangular_solve(x[1], dominant(x[0]), true, false, false, &X, &Ac);
    return pair_first(ok, X, Ac);
}
/* lower, transposed, unit diagonal; the copy of A's gradient adds in */
B(m_triangular_solve_t) {
    Tensor *X = NULL, *Ac = NULL;
    bool ok = op_triangular_solve(x[1], dominant(x[0]), false, true, true, &X, &Ac);
    if (!ok) return T(NULL);
    T(X), T(Ac);
    return bin(BIN_ADD, T(op_sum(X, 0, NULL, false, DT_UNDEFINED)), Ac);
}
B(m_pinv) { return T(op_linalg_pinv(x[0], NULL, NULL, false)); }
B(m_pinv_h) { return T(op_linalg_pinv(sym(x[0]), NULL, NULL, true)); }
B(m_lu_unpack) {
    Tensor *piv = NULL, *P = NULL, *L = NULL, *U = NULL;
    Tensor *LU = lu(x[0], &piv);
    bool ok = op_lu_unpack(LU, piv, true, true, &P, &L, &U);
    T(P);
    return pair_second(ok, L, U);
}
B(m_svdvals) { return T(op_linalg_svdvals(x[0], false)); }
/* U * U + (Vh * Vh).sum() + S: free of the vectors' signs */
static Tensor *svd_all(Tensor *x, bool full) {
    Tensor *U = NULL, *S = NULL, *Vh = NULL;
    if (!op_linalg_svd(x, full, true, false, &U, &S, &Vh)) return T(NULL);
    T(U), T(S), T(Vh);
    Tensor *v = T(op_sum(bin(BIN_MUL, Vh, Vh), 0, NULL, false, DT_UNDEFINED));
    return bin(BIN_ADD, bin(BIN_ADD, bin(BIN_MUL, U, U), v), T(op_sum(S, 0, NULL, false, DT_UNDEFINED)));
}
B(m_svd) { return svd_all(x[0], false); }
B(m_svd_full) { return svd_all(x[0], true); }
/* ---- end ops_more.c builders ---- */

/* ------------------------------------------------------------- cases */

/* nn.functional (ops_nn.c, autograd_formulas_nn.c) */
static Tensor *act(int kind, double p0, double p1, double p2, GradNodeKind node, Tensor *x) {
    NnActCtx c = {kind, {p0, p1, p2}, false};
    return T(op_nn_act(&c, node, x));
}
static Tensor *act_(int kind, double p0, double p1, GradNodeKind node, Tensor *x) {
    NnActCtx c = {kind, {p0, p1, 1.0}, false};
    Tensor *y = T(op_clone(x));
    return T(op_nn_act_(&c, node, y));
}

B(b_gelu) { return act(NN_GELU, 0, 0, 0, NODE_GeluBackward0, x[0]); }
B(b_gelu_tanh) { return act(NN_GELU_TANH, 0, 0, 0, NODE_GeluBackward0, x[0]); }
B(b_gelu_bb) { return grad_cg(act(NN_GELU, 0, 0, 0, NODE_GeluBackward0, x[0]), x[0], x[1]); }
B(b_gelu_tanh_bb) { return grad_cg(act(NN_GELU_TANH, 0, 0, 0, NODE_GeluBackward0, x[0]), x[0], x[1]); }
B(b_silu) { return act(NN_SILU, 0, 0, 0, NODE_SiluBackward0, x[0]); }
B(b_silu_bb) { return grad_cg(act(NN_SILU, 0, 0, 0, NODE_SiluBackward0, x[0]), x[0], x[1]); }
B(b_silu_backward_bb) { /* silu_backward(grad_output, self) itself: PyTorch's SiluBackwardBackward0 */
    NnActCtx c = {NN_SILU, {0, 0, 0}, false};
    return T(op_nn_act_backward(&c, x[1], x[0], NULL));
}
B(b_elu) { return act(NN_ELU, 0.7, 1.3, 0.9, NODE_EluBackward0, x[0]); }
B(b_elu_bb) { return grad_cg(act(NN_ELU, 0.7, 1.3, 0.9, NODE_EluBackward0, x[0]), x[0], x[1]); }
B(b_elu_) { return act_(NN_ELU, 0.7, 1.0, NODE_EluBackward1, x[0]); }
B(b_elu__bb) { return grad_cg(act_(NN_ELU, 0.7, 1.0, NODE_EluBackward1, x[0]), x[0], x[1]); }
B(b_celu) { return act(NN_ELU, 2.0, 1.0, 0.5, NODE_CeluBackward0, x[0]); }
B(b_celu_) { return act_(NN_ELU, 1.0, 1.0, NODE_CeluBackward1, x[0]); }
B(b_leaky) { return act(NN_LEAKY, 0.1, 0, 0, NODE_LeakyReluBackward0, x[0]); }
B(b_leaky_bb) { return grad_cg(act(NN_LEAKY, 0.1, 0, 0, NODE_LeakyReluBackward0, x[0]), x[0], x[1]); }
B(b_leaky_) { return act_(NN_LEAKY, 0.1, 0, NODE_LeakyReluBackward1, x[0]); }
B(b_softplus) { return act(NN_SOFTPLUS, 1.5, 1.0, 0, NODE_SoftplusBackward0, x[0]); }
B(b_softplus_bb) { return grad_cg(act(NN_SOFTPLUS, 1.5, 20.0, 0, NODE_SoftplusBackward0, x[0]), x[0], x[1]); }
B(b_hardtanh) { return act(NN_HARDTANH, -1.0, 1.0, 0, NODE_HardtanhBackward0, x[0]); }
B(b_hardtanh_bb) { return grad_cg(act(NN_HARDTANH, -1.0, 1.0, 0, NODE_HardtanhBackward0, x[0]), x[0], x[1]); }
B(b_hardtanh_) { return act_(NN_HARDTANH, -1.0, 1.0, NODE_HardtanhBackward0, x[0]); }
B(b_mish) { return act(NN_MISH, 0, 0, 0, NODE_MishBackward0, x[0]); }
B(b_mish_bb) { return grad_cg(act(NN_MISH, 0, 0, 0, NODE_MishBackward0, x[0]), x[0], x[1]); }
B(b_hardswish) { return act(NN_HARDSWISH, 0, 0, 0, NODE_HardswishBackward0, x[0]); }
B(b_hardswish_bb) { return grad_cg(act(NN_HARDSWISH, 0, 0, 0, NODE_HardswishBackward0, x[0]), x[0], x[1]); }
B(b_hardsigmoid) { return act(NN_HARDSIGMOID, 0, 0, 0, NODE_HardsigmoidBackward0, x[0]); }
B(b_logsigmoid) { return act(NN_LOGSIGMOID, 0, 0, 0, NODE_LogSigmoidBackward0, x[0]); }
B(b_logsigmoid_bb) { return grad_cg(act(NN_LOGSIGMOID, 0, 0, 0, NODE_LogSigmoidBackward0, x[0]), x[0], x[1]); }

static Tensor *ploss(int kind, int red, double p, Tensor *a, Tensor *b) {
    return T(op_nn_pointwise_loss(kind, a, b, red, p));
}
/* the first-order gradient w.r.t. both inputs, summed with weights v */
static Tensor *ploss_bb(int kind, int red, double p, Tensor *const *x) {
    Tensor *out = ploss(kind, red, p, x[0], x[1]);
    Tensor *go = red == NN_RED_NONE ? x[2] : T(tensor_full_f64(DT_FLOAT64, 0, NULL, 0.7, device_cpu()));
    Tensor *ins[2] = {x[0], x[1]}, *r[2] = {NULL, NULL};
    check(ag_grad(&out, &go, 1, ins, 2, -1, true, false, r));
    T(r[0]);
    T(r[1]);
    return T(op_binary(BIN_ADD, r[0], T(op_binary(BIN_MUL, r[1], x[2]))));
}
B(b_mse_mean) { return ploss(NN_MSE, NN_RED_MEAN, 0, x[0], x[1]); }
B(b_mse_none) { return ploss(NN_MSE, NN_RED_NONE, 0, x[0], x[1]); }
B(b_mse_bb) { return ploss_bb(NN_MSE, NN_RED_MEAN, 0, x); }
B(b_mse_bb_none) { return ploss_bb(NN_MSE, NN_RED_NONE, 0, x); }
B(b_sl1_sum) { return ploss(NN_SMOOTH_L1, NN_RED_SUM, 0.5, x[0], x[1]); }
B(b_sl1_bb) { return ploss_bb(NN_SMOOTH_L1, NN_RED_MEAN, 0.5, x); }
B(b_huber_none) { return ploss(NN_HUBER, NN_RED_NONE, 0.6, x[0], x[1]); }
B(b_huber_bb) { return ploss_bb(NN_HUBER, NN_RED_SUM, 0.6, x); }
B(b_l1) { return T(op_nn_l1_loss(x[0], x[1], NN_RED_MEAN)); }

static Tensor *targets(int n, const int64_t *v, int nd, const int64_t *shape) {
    Tensor *t = T(tensor_empty(DT_INT64, nd, shape, device_cpu()));
    memcpy(t->storage->data, v, sizeof(int64_t) * (size_t)n);
    return t;
}
/* A constant (no grad) float64 weight: 0.5, 0.6, ... */
static Tensor *cw(int nd, const int64_t *shape) {
    Tensor *t = T(tensor_empty(DT_FLOAT64, nd, shape, device_cpu()));
    for (int64_t i = 0; i < tensor_numel(t); i++) ((double *)t->storage->data)[i] = 0.5 + 0.1 * (double)(i % 13);
    return t;
}
static Tensor *t4(void) { return targets(4, (const int64_t[]){1, 0, 4, 2}, 1, SH(4)); }
B(b_nll) { return T(op_nn_nll_loss(x[0], t4(), NULL, NN_RED_MEAN, -100)); }
B(b_nll_w) {
    Tensor *t = targets(4, (const int64_t[]){1, 0, 4, 1}, 1, SH(4));
    return T(op_nn_nll_loss(x[0], t, cw(1, SH(5)), NN_RED_SUM, 4));
}
B(b_nll_none) { return T(op_nn_nll_loss(x[0], t4(), NULL, NN_RED_NONE, 0)); }
B(b_nll_bb) {
    Tensor *out = T(op_nn_nll_loss(T(op_unary(UN_TANH, x[0])), t4(), NULL, NN_RED_MEAN, -100));
    Tensor *go = T(tensor_full_f64(DT_FLOAT64, 0, NULL, 1.0, device_cpu()));
    Tensor *g = grad_cg(out, x[0], go);
    return T(op_binary(BIN_MUL, g, g));
}
B(b_nll2d) {
    Tensor *t = targets(8, (const int64_t[]){0, 2, 1, 1, 2, 0, 0, 1}, 3, SH(2, 2, 2));
    return T(op_nn_nll_loss(x[0], t, NULL, NN_RED_MEAN, -100));
}
B(b_nll2d_bb) {
    Tensor *t = targets(8, (const int64_t[]){0, 2, 1, 1, 2, 0, 0, 1}, 3, SH(2, 2, 2));
    Tensor *out = T(op_nn_nll_loss(T(op_unary(UN_TANH, x[0])), t, NULL, NN_RED_SUM, -100));
    Tensor *go = T(tensor_full_f64(DT_FLOAT64, 0, NULL, 1.0, device_cpu()));
    Tensor *g = grad_cg(out, x[0], go);
    return T(op_binary(BIN_MUL, g, g));
}
B(b_nll3d) {
    Tensor *t = targets(6, (const int64_t[]){0, 2, 1, 1, 2, 0}, 2, SH(2, 3));
    return T(op_nn_nll_loss(x[0], t, NULL, NN_RED_NONE, -100));
}
B(b_ce) { return T(op_nn_cross_entropy(x[0], t4(), NULL, NN_RED_MEAN, -100, 0.0)); }
B(b_ce_ls) { return T(op_nn_cross_entropy(x[0], t4(), cw(1, SH(5)), NN_RED_MEAN, -100, 0.2)); }
B(b_ce_ls_none) { return T(op_nn_cross_entropy(x[0], t4(), NULL, NN_RED_NONE, 4, 0.1)); }
B(b_ce_prob) { return T(op_nn_cross_entropy(x[0], x[1], NULL, NN_RED_MEAN, -100, 0.1)); }

B(b_bce) { return T(op_nn_bce(T(op_unary(UN_SIGMOID, x[0])), x[1], NULL, NN_RED_MEAN)); }
B(b_bce_w) { return T(op_nn_bce(T(op_unary(UN_SIGMOID, x[0])), x[1], cw(1, SH(5)), NN_RED_NONE)); }
B(b_bce_bb) {
    Tensor *p = T(op_unary(UN_SIGMOID, x[0]));
    Tensor *out = T(op_nn_bce(p, x[1], cw(2, SH(3, 5)), NN_RED_SUM));
    Tensor *go = T(tensor_full_f64(DT_FLOAT64, 0, NULL, 1.3, device_cpu()));
    Tensor *ins[2] = {x[0], x[1]}, *r[2] = {NULL, NULL};
    check(ag_grad(&out, &go, 1, ins, 2, -1, true, false, r));
    T(r[0]);
    T(r[1]);
    return T(op_binary(BIN_ADD, T(op_binary(BIN_MUL, r[0], r[0])), T(op_binary(BIN_MUL, r[1], r[1]))));
}
B(b_bce_logits) { return T(op_nn_bce_logits(x[0], x[1], NULL, NULL, NN_RED_MEAN)); }
B(b_bce_logits_pw) { return T(op_nn_bce_logits(x[0], x[1], cw(1, SH(5)), cw(1, SH(5)), NN_RED_NONE)); }

B(b_linear) { return T(op_nn_linear(x[0], x[1], x[2])); }
B(b_linear3d) { return T(op_nn_linear(T(op_contiguous(x[0])), x[1], x[2])); }
B(b_linear_nob) { return T(op_nn_linear(x[0], x[1], NULL)); }
B(b_normalize) { return T(op_nn_normalize(x[0], 2.0, 1, 1e-12)); }
B(b_normalize_p1) { return T(op_nn_normalize(x[0], 1.0, 0, 1e-12)); }
B(b_pad) { return T(op_nn_constant_pad(x[0], 4, (const int64_t[]){1, 2, -1, 1}, 0.5)); }
/* reflection (mode 0) and replication (1), negative pads included */
B(b_reflect1d) { return T(op_nn_pad_mode(x[0], 0, 1, (const int64_t[]){2, -1})); }
B(b_reflect2d) { return T(op_nn_pad_mode(x[0], 0, 2, (const int64_t[]){1, 2, 2, 1})); }
B(b_reflect3d) { return T(op_nn_pad_mode(x[0], 0, 3, (const int64_t[]){1, 1, 0, 1, 1, 0})); }
B(b_replicate1d) { return T(op_nn_pad_mode(x[0], 1, 1, (const int64_t[]){3, 1})); }
B(b_replicate2d) { return T(op_nn_pad_mode(x[0], 1, 2, (const int64_t[]){2, 0, -1, 2})); }
B(b_replicate3d) { return T(op_nn_pad_mode(x[0], 1, 3, (const int64_t[]){1, 2, 1, 0, 0, 1})); }
B(b_pad_bb) {
    Tensor *y = T(op_nn_constant_pad(x[0], 2, (const int64_t[]){2, -1}, 0.0));
    Tensor *sq = T(op_binary(BIN_MUL, y, y));
    Tensor *g = grad_cg(sq, x[0], T(op_nn_constant_pad(x[1], 2, (const int64_t[]){2, -1}, 0.0)));
    return T(op_binary(BIN_MUL, g, g));
}
static Tensor *conv(Tensor *const *x, int dims, bool tr, int64_t groups, int64_t stride, int64_t pad, int64_t dil) {
    ConvParams p = {dims, {stride, stride, stride}, {pad, pad, pad}, {dil, dil, dil}, {0, 0, 0}, groups, tr};
    return T(op_convolution(x[0], x[1], x[2], &p));
}
B(b_conv2d) { return conv(x, 2, false, 2, 2, 1, 1); }
B(b_conv2d_dil) { return conv(x, 2, false, 1, 1, 0, 2); }
B(b_conv1d) { return conv(x, 1, false, 1, 1, 1, 1); }
B(b_conv_t2d) { return conv(x, 2, true, 1, 2, 1, 1); }
B(b_conv3d) { return conv(x, 3, false, 2, 2, 1, 1); }
B(b_conv_t3d) { return conv(x, 3, true, 1, 2, 1, 1); }
static Tensor *pool2d(Tensor *x, int kind, int64_t k, int64_t st, int64_t pad, bool ceil) {
    PoolParams p = {kind, k, k, st, st, pad, pad, 1, 1, ceil, false, false, 0, 2, 3};
    return T(op_pool(x, &p, NULL));
}
B(b_max_pool2d) { return pool2d(x[0], NN_POOL_MAX, 3, 2, 1, true); }
B(b_avg_pool2d) { return pool2d(x[0], NN_POOL_AVG, 3, 2, 1, false); }
B(b_amax_pool2d) { return pool2d(x[0], NN_POOL_AMAX, 0, 0, 0, false); }
B(b_conv_tbc) { return T(op_conv_tbc(x[0], x[1], x[2], 1)); }
B(b_segment_mean) {
    int64_t two = 2, lv[2] = {2, 3};
    Tensor *l = tensor_empty(DT_INT64, 1, &two, device_cpu());
    if (!l) return NULL;
    memcpy(tensor_data(l), lv, sizeof lv);
    Tensor *r = op_segment_reduce(x[0], "mean", l, NULL, 0, false, false, 0);
    tensor_release(l);
    return T(r);
}
B(b_resize_fn) {
    int64_t sh[2] = {5, 2};
    return T(op_resize_function(x[0], 2, sh));
}
B(b_aavg_pool2d) { return pool2d(x[0], NN_POOL_AAVG, 0, 0, 0, false); }
static Tensor *pool3d(Tensor *x, int kind, int64_t k, int64_t st, int64_t pad, bool ceil) {
    PoolParams p = {kind, k, k, st, st, pad, pad, 1, 1, ceil, false, false, 0, 2, 3, 3, k, st, pad, 1, 2};
    return T(op_pool(x, &p, NULL));
}
B(b_max_pool3d) { return pool3d(x[0], NN_POOL_MAX, 3, 2, 1, true); }
B(b_avg_pool3d) { return pool3d(x[0], NN_POOL_AVG, 3, 2, 1, false); }
B(b_amax_pool3d) { return pool3d(x[0], NN_POOL_AMAX, 0, 0, 0, false); }
B(b_aavg_pool3d) { return pool3d(x[0], NN_POOL_AAVG, 0, 0, 0, false); }
/* fractional max pooling with fixed samples (distinct inputs: no ties) */
static Tensor *frac_samples(int64_t n, const double *v) {
    Tensor *t = T(tensor_empty(DT_FLOAT64, 1, &n, device_cpu()));
    memcpy(t->storage->data, v, sizeof(double) * (size_t)n);
    return t;
}
B(b_frac_pool2d) {
    Tensor *smp = frac_samples(8, (const double[]){0.1, 0.7, 0.4, 0.9, 0.5, 0.2, 0.8, 0.3});
    return T(op_fractional_max_pool(x[0], 2, 2, (const int64_t[]){2, 3}, 2, (const int64_t[]){3, 2}, smp, NULL));
}
B(b_frac_pool3d) {
    Tensor *smp = frac_samples(6, (const double[]){0.1, 0.7, 0.4, 0.9, 0.5, 0.2});
    return T(op_fractional_max_pool(x[0], 3, 3, (const int64_t[]){2, 2, 2}, 3, (const int64_t[]){2, 3, 2}, smp,
                                    NULL));
}
B(b_batch_norm) { return T(op_batch_norm(x[0], NULL, NULL, x[1], x[2], true, 0.1, 1e-5)); }
B(b_batch_norm_eval) {
    Tensor *rm = T(tensor_full_f64(x[0]->dtype, 1, (const int64_t[]){3}, 0.25, device_cpu()));
    Tensor *rv = T(tensor_full_f64(x[0]->dtype, 1, (const int64_t[]){3}, 1.5, device_cpu()));
    return T(op_batch_norm(x[0], rm, rv, x[1], x[2], false, 0.1, 1e-5));
}
B(b_layer_norm) { return T(op_layer_norm(x[0], 1, (const int64_t[]){5}, x[1], x[2], 1e-5)); }
B(b_group_norm) { return T(op_group_norm(x[0], 2, x[1], x[2], 1e-5)); }
B(b_embedding) {
    Tensor *ix = ix64(2, (const int64_t[]){2, 3}, (const int64_t[]){0, 2, 3, 2, 2, 1});
    return T(op_embedding(x[0], ix, -1));
}
B(b_unfold) {
    FoldParams f = {{2, 3}, {1, 2}, {1, 0}, {2, 1}, {0, 0}};
    return T(op_im2col(x[0], &f));
}
B(b_pixel_shuffle) { return T(op_pixel_shuffle(x[0], 2)); }
B(b_pixel_unshuffle) { return T(op_pixel_unshuffle(x[0], 2)); }
B(b_rrelu_eval) { return T(op_nn_rrelu(x[0], 0.1, 0.3, false)); }
B(m_lstsq) {
    Tensor *ts[4] = {NULL, NULL, NULL, NULL};
    bool ok = op_linalg_lstsq(x[0], x[1], false, 0, "gelsd", &ts[0], &ts[1], &ts[2], &ts[3]);
    tensor_release(ts[1]), tensor_release(ts[2]), tensor_release(ts[3]);
    return T(ok ? ts[0] : NULL);
}
/* L * L summed (m x k) plus U (k x n): both outputs' gradients */
B(m_linalg_lu) {
    Tensor *P = NULL, *L = NULL, *U = NULL;
    int64_t m = x[0]->shape[x[0]->ndim - 2], n = x[0]->shape[x[0]->ndim - 1];
    Tensor *A = m == n ? dominant(x[0]) : x[0];
    bool ok = op_linalg_lu(A, true, &P, &L, &U);
    tensor_release(P);
    if (!ok) return T(NULL);
    T(L), T(U);
    return bin(BIN_ADD, T(op_sum(bin(BIN_MUL, L, L), 0, NULL, false, DT_UNDEFINED)), U);
}
B(m_matrix_exp) { return T(op_linalg_matrix_exp(x[0])); }
B(m_matrix_exp_small) { return T(op_linalg_matrix_exp(T(op_scalar_binary(BIN_MUL, x[0], 0.05, false)))); }
B(b_threshold) { return T(op_threshold(x[0], 0.1, 5.0)); }
B(b_threshold_) {
    Tensor *c = T(op_clone(x[0]));
    return T(op_threshold_(c, 0.1, 5.0));
}
B(b_threshold_bb) { return grad_cg(T(op_threshold(x[0], 0.1, 5.0)), x[0], x[1]); }
B(b_multi_margin) {
    MarginCtx c = {2, 0.5, NN_RED_MEAN};
    Tensor *w = T(tensor_full_f64(DT_FLOAT64, 1, SH(5), 0.7, device_cpu()));
    return T(op_multi_margin_loss(x[0], ix64(1, SH(3), (const int64_t[]){1, 0, 4}), w, &c));
}
/* ctc_loss through log_softmax (its gradient assumes normalised log_probs),
 * padded targets with a repeat, one shorter input, mean and sum */
B(b_ctc_loss) {
    Tensor *lp = T(op_softmax(x[0], 2, true));
    Tensor *tg = ix64(2, SH(2, 3), (const int64_t[]){1, 1, 2, 3, 2, 0});
    Tensor *il = ix64(1, SH(2), (const int64_t[]){6, 5});
    Tensor *tl = ix64(1, SH(2), (const int64_t[]){3, 2});
    return T(op_ctc_loss(lp, tg, il, tl, 0, NN_RED_MEAN, false));
}
B(b_ctc_loss_cat) {
    Tensor *lp = T(op_softmax(x[0], 2, true));
    Tensor *tg = ix64(1, SH(4), (const int64_t[]){0, 1, 2, 1});
    Tensor *il = ix64(1, SH(2), (const int64_t[]){4, 6});
    Tensor *tl = ix64(1, SH(2), (const int64_t[]){1, 3});
    return T(op_ctc_loss(lp, tg, il, tl, 3, NN_RED_NONE, true));
}
B(b_multi_margin_none) {
    MarginCtx c = {1, 1.0, NN_RED_NONE};
    return T(op_multi_margin_loss(x[0], ix64(1, SH(3), (const int64_t[]){1, 0, 4}), NULL, &c));
}
B(b_multilabel_margin) {
    const int64_t t[] = {1, 0, -1, 2, 0, 4, 3, 2, 1, -1, 0, 0, 0, 0, 0};
    return T(op_multilabel_margin_loss(x[0], ix64(2, SH(3, 5), t), NN_RED_SUM));
}
B(b_max_unpool2d) {
    const int64_t i[] = {0, 3, 9, 14, 5, 6, 11, 12};
    return T(op_max_unpool(x[0], ix64(4, SH(1, 2, 2, 2), i), 2, SH(4, 4), NULL));
}
B(b_max_unpool3d) {
    const int64_t i[] = {0, 7, 9, 14};
    return T(op_max_unpool(x[0], ix64(5, SH(1, 1, 1, 2, 2), i), 3, SH(2, 2, 4), SH(2, 2, 2)));
}
B(b_hardshrink) { return T(op_hardshrink(x[0], 0.3)); }
B(b_hardshrink_bb) { return grad_cg(T(op_hardshrink(x[0], 0.3)), x[0], x[1]); }
B(b_softshrink) { return T(op_softshrink(x[0], 0.3)); }
B(b_softshrink_bb) { return grad_cg(T(op_softshrink(x[0], 0.3)), x[0], x[1]); }
B(b_glu) { return T(op_glu(x[0], 1)); }
B(b_glu_first) { return T(op_glu(x[0], 0)); }
B(b_prelu) { return T(op_prelu(x[0], x[1])); }
/* the gradients of prelu(x0, x1) for grad_output x2, gw broadcast over gx */
B(b_prelu_bb) {
    Tensor *out = T(op_prelu(x[0], x[1])), *g[2] = {NULL, NULL};
    Tensor *ins[2] = {x[0], x[1]};
    check(ag_grad(&out, &x[2], 1, ins, 2, -1, true, false, g));
    T(g[0]);
    T(g[1]);
    return bin(BIN_ADD, g[0], g[1]);
}
B(b_bilinear) { return T(op_bilinear(x[0], x[1], x[2], x[3])); }
B(b_bilinear_bb) {
    Tensor *out = T(op_bilinear(x[0], x[1], x[2], NULL));
    return grad_cg(out, x[2], x[3]);
}
B(b_affine_grid) { return T(op_affine_grid_generator(x[0], 4, SH(2, 1, 3, 4), false)); }
B(b_affine_grid3) { return T(op_affine_grid_generator(x[0], 5, SH(2, 1, 2, 3, 2), true)); }
/* embedding_bag over 8 indices in bags {0,1} {} {2,3,4} {5,6,7}, index 4
 * repeated; mode 0 sum with x[1] as per_sample_weights, 1 mean, 2 max */
static Tensor *emb_bag(Tensor *w, Tensor *psw, int64_t mode, int64_t pad) {
    Tensor *idx = ix64(1, SH(8), (const int64_t[]){1, 2, 4, 5, 4, 3, 2, 0});
    Tensor *off = ix64(1, SH(4), (const int64_t[]){0, 2, 2, 5});
    Tensor *r[4] = {NULL, NULL, NULL, NULL};
    check(op_embedding_bag(w, idx, off, false, mode, false, psw, false, pad >= 0, pad, r));
    for (int k = 1; k < 4; k++) T(r[k]);
    return T(r[0]);
}
B(b_embedding_bag_sum) { return emb_bag(x[0], x[1], 0, -1); }
B(b_embedding_bag_mean) { return emb_bag(x[0], NULL, 1, 3); }
B(b_embedding_bag_max) { return emb_bag(x[0], NULL, 2, -1); }
/* grid_sampler_2d over x[0] (1x2x4x5) at x[1] (1x3x2x2) scaled into
 * [-0.9, 0.9]: bilinear zeros, bicubic border, bilinear reflection */
static Tensor *grid_of(Tensor *g) { return T(op_scalar_binary(BIN_MUL, T(op_unary(UN_TANH, g)), 0.9, false)); }
B(b_grid_bilinear) { return T(op_grid_sampler_2d(x[0], grid_of(x[1]), 0, 0, false)); }
B(b_grid_bicubic) { return T(op_grid_sampler_2d(x[0], grid_of(x[1]), 2, 1, true)); }
B(b_grid_reflect) { return T(op_grid_sampler_2d(x[0], grid_of(x[1]), 0, 2, false)); }
B(b_grid3d_zeros) { return T(op_grid_sampler_3d(x[0], grid_of(x[1]), 0, 0, false)); }
B(b_grid3d_border) { return T(op_grid_sampler_3d(x[0], grid_of(x[1]), 0, 1, true)); }
B(b_grid3d_reflect) { return T(op_grid_sampler_3d(x[0], grid_of(x[1]), 0, 2, false)); }
B(b_pdist2) { return T(op_pdist(x[0], 2.0)); }
B(b_pdist1) { return T(op_pdist(x[0], 1.0)); }
B(b_pdist3) { return T(op_pdist(x[0], 3.0)); }
B(b_pdist15) { return T(op_pdist(x[0], 1.5)); }
B(b_pdist_bb) { return grad_cg(T(op_pdist(x[0], 2.0)), x[0], x[1]); }
B(b_cdist2) { return T(op_cdist(x[0], x[1], 2.0, 2)); }
B(b_cdist1) { return T(op_cdist(x[0], x[1], 1.0, 0)); }
B(b_cdist3) { return T(op_cdist(x[0], x[1], 3.0, 0)); }
B(b_cdist15) { return T(op_cdist(x[0], x[1], 1.5, 0)); }
B(b_cdist_inf) { return T(op_cdist(x[0], x[1], INFINITY, 0)); }
B(b_cdist_mm) { return T(op_cdist(x[0], x[1], 2.0, 1)); }
B(b_cdist_bb) { return grad_cg(T(op_cdist(x[0], x[1], 3.0, 0)), x[0], x[2]); }
B(b_fold) {
    FoldParams f = {{2, 2}, {1, 1}, {0, 1}, {1, 2}, {3, 4}};
    return T(op_col2im(x[0], &f));
}
static Tensor *upsample(Tensor *x, int dims, bool bilinear, bool align, int64_t oh, int64_t ow, double scale) {
    UpsampleParams p = {dims, bilinear, align, {oh, ow}, {0, 0}, {scale, scale}};
    return T(op_upsample(x, &p));
}
B(b_up_bilinear) { return upsample(x[0], 2, true, false, 5, 7, 0); }
B(b_up_bilinear_ac) { return upsample(x[0], 2, true, true, 4, 6, 0); }
B(b_up_nearest2d) { return upsample(x[0], 2, false, false, 5, 7, 0); }
B(b_up_linear1d) { return upsample(x[0], 1, true, false, 8, 0, 0); }
B(b_up_nearest1d) { return upsample(x[0], 1, false, false, 7, 0, 0); }
B(b_cosine_similarity) { return T(op_nn_cosine_similarity(x[0], x[1], 1, 1e-8)); }

/* index_scatter.c, strided.c: writes at positions, user geometries */
B(b_index_add) { return T(op_index_add(x[0], 1, ix64(1, SH(3), SH(4, 0, 4)), x[1], -1.5)); }
B(b_index_copy) { return T(op_index_copy(x[0], 1, ix64(1, SH(2), SH(3, 0)), x[1])); }
B(b_index_fill_s) { return T(op_index_fill(x[0], 0, ix64(1, SH(2), SH(2, -3)), W(0.5))); }
B(b_index_fill_t) { return T(op_index_fill(x[0], 1, ix64(1, SH(2), SH(1, 1)), x[1])); }
B(b_put) { return T(op_put(x[0], ix64(1, SH(3), SH(14, 2, -1)), x[1], true)); }
B(b_index_put_t) {
    TensorIndex i = {.kind = IDX_TENSOR, .tensor = ix64(1, SH(2), SH(2, 0))};
    return T(op_index_put(x[0], &i, 1, x[1], false));
}
B(b_masked_scatter) { return T(op_masked_scatter(x[0], mask35(), x[1])); }
B(b_select_scatter) { return T(op_select_scatter(x[0], x[1], 1, -2)); }
B(b_slice_scatter) { return T(op_slice_scatter(x[0], x[1], 1, 1, 5, 2)); }
B(b_diagonal_scatter) { return T(op_diagonal_scatter(x[0], x[1], 1, 0, 1)); }
B(b_as_strided_scatter) {
    return T(op_as_strided_scatter(x[0], x[1], 2, SH(2, 2), 2, SH(1, 5), true, 2));
}
/* as_strided_ on a non-leaf: AsStridedBackward1 over its history */
B(b_as_strided_inplace) {
    Tensor *y = T(op_clone(x[0]));
    return T(op_as_strided_(y, 2, SH(3, 2), 2, SH(1, 3), true, 1));
}
B(b_as_strided_user) { return T(op_as_strided(x[0], 2, SH(3, 2), 2, SH(1, 3), true, 1)); }
B(b_unfold_view) { return T(op_unfold(x[0], 1, 3, 1)); }
B(b_scatter_reduce_sum) {
    return T(op_scatter_reduce(x[0], 1, ix64(2, SH(3, 2), SH(0, 0, 2, 1, 3, 3)), x[1], SCATTER_SUM, true));
}
B(b_scatter_reduce_mean) {
    return T(op_scatter_reduce(x[0], 1, ix64(2, SH(3, 2), SH(0, 0, 2, 1, 3, 3)), x[1], SCATTER_MEAN, false));
}
B(b_scatter_reduce_prod) {
    return T(op_scatter_reduce(x[0], 1, ix64(2, SH(3, 2), SH(0, 0, 2, 1, 3, 3)), x[1], SCATTER_PROD, true));
}
B(b_scatter_reduce_amax) {
    return T(op_scatter_reduce(x[0], 1, ix64(2, SH(3, 2), SH(0, 0, 2, 1, 3, 3)), x[1], SCATTER_AMAX, true));
}
B(b_index_reduce_mean) {
    return T(op_index_reduce(x[0], 1, ix64(1, SH(3), SH(4, 0, 4)), x[1], SCATTER_MEAN, false));
}
B(b_scatter_reduce_amin) {
    return T(op_scatter_reduce(x[0], 1, ix64(2, SH(3, 2), SH(0, 0, 2, 1, 3, 3)), x[1], SCATTER_AMIN, false));
}
/* Inputs: space-separated "D:SHAPE[:L]": domain D (n: [-2,2] away from 0;
 * p: [0.5,2]; u: [-0.8,0.8]; d: distinct, well separated; z: n with some
 * exact zeros; o: n with one zero; q: multiples of 1/8; l: [-1.5,-0.3]; h: [0.3,1.5]), SHAPE
 * like 3x5 (empty: 0-dim), L: t = a transposed view (last two dims
 * swapped), s = a view taking every other row of dim 0. */
enum { F_F32EPS = 1, F_EXPECT_ERROR = 2 };

/* special functions (elementwise_ops.h rows, ops/special.c) */
static Tensor *cst(double v) { return T(tensor_full_f64(DT_FLOAT64, 2, (const int64_t[]){3, 4}, v, device_cpu())); }
static Tensor *shift(Tensor *a, double mul, double add) { return sc(BIN_ADD, sc(BIN_MUL, a, mul, false), add, false); }
B(b_xlogy) { return bin(BIN_XLOGY, x[0], x[1]); }
B(b_xlogy_so) { return sc(BIN_XLOGY, x[0], 1.5, false); }
B(b_xlogy_ss) { return sc(BIN_XLOGY, x[0], 1.5, true); }
B(b_xlog1py) { return bin(BIN_XLOG1PY, x[0], x[1]); }
B(b_xlog1py_so) { return sc(BIN_XLOG1PY, x[0], 1.5, false); }
B(b_xlog1py_ss) { return sc(BIN_XLOG1PY, x[0], 1.5, true); }
B(b_zeta) { return bin(BIN_ZETA, cst(2.5), x[0]); }
B(b_zeta_so) { return sc(BIN_ZETA, x[0], 1.5, false); }
B(b_zeta_ss) { return sc(BIN_ZETA, x[0], 2.5, true); }
B(b_copysign) { return bin(BIN_COPYSIGN, x[0], x[1]); }
B(b_copysign_so) { return sc(BIN_COPYSIGN, x[0], -1.5, false); }
B(b_fmax) { return bin(BIN_FMAX, x[0], x[1]); }
B(b_fmin) { return bin(BIN_FMIN, x[0], x[1]); }
B(b_logaddexp2) { return bin(BIN_LOGADDEXP2, x[0], x[1]); }
B(b_nextafter) { return bin(BIN_NEXTAFTER, x[0], x[1]); }
B(b_acosh) { return un(UN_ACOSH, sc(BIN_ADD, x[0], 1.0, false)); }
B(b_asinh) { return un(UN_ASINH, x[0]); }
B(b_atanh) { return un(UN_ATANH, x[0]); }
B(b_erf) { return un(UN_ERF, x[0]); }
B(b_erfc) { return un(UN_ERFC, x[0]); }
B(b_erfinv) { return un(UN_ERFINV, x[0]); }
B(b_lgamma) { return un(UN_LGAMMA, x[0]); }
B(b_digamma) { return un(UN_DIGAMMA, x[0]); }
B(b_polygamma) { return T(op_polygamma(1, x[0])); }
B(b_mvlgamma) { return T(op_mvlgamma(sc(BIN_ADD, x[0], 1.0, false), 2)); }
B(b_i0) { return un(UN_I0, x[0]); }
B(b_i0e) { return un(UN_I0E, x[0]); }
B(b_i1) { return un(UN_I1, x[0]); }
B(b_i1e) { return un(UN_I1E, x[0]); }
B(b_sinc) { return un(UN_SINC, x[0]); }
B(b_entr) { return un(UN_ENTR, x[0]); }
B(b_logit) { return T(op_logit(shift(x[0], 0.5, 0.5), NAN)); }
B(b_logit_eps) { return T(op_logit(shift(x[0], 0.5, 0.5), 0.2)); }
B(b_deg2rad) { return T(op_deg2rad(x[0], true)); }
B(b_rad2deg) { return T(op_deg2rad(x[0], false)); }
B(b_logcumsumexp) { return T(op_logcumsumexp(x[0], 1)); }
B(b_renorm) { return T(op_renorm(x[0], 2.0, 0, 1.5)); }
B(b_renorm_p3) { return T(op_renorm(x[0], 3.0, 1, 0.8)); }
B(b_nanmedian_all) { return T(op_nanmedian_all(x[0])); }
B(b_nanmedian_dim) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_nanmedian_dim(x[0], 1, false, &v, &i), &v, &i);
}
B(b_logcumsumexp_bb) { return grad_cg(T(op_logcumsumexp(x[0], 1)), x[0], x[1]); }
B(b_erfcx) { return un(UN_ERFCX, x[0]); }
B(b_log_ndtr) { return un(UN_LOG_NDTR, x[0]); }
B(b_ndtri) { return un(UN_NDTRI, sc(BIN_MUL, x[0], 0.3, false)); }
B(b_igamma) { return bin(BIN_IGAMMA, cst(1.5), x[0]); }
B(b_igamma_self) { return bin(BIN_IGAMMA, x[0], cst(1.5)); }
B(b_igammac) { return bin(BIN_IGAMMAC, cst(2.5), x[0]); }

/* complex tensors' own ops and the FFTs, seen through real parts (the
 * loss is real): complex(x0, x1) and view_as_real of a complex result */
static Tensor *cplx(Tensor *re, Tensor *im) { return T(op_complex(re, im)); }
static Tensor *parts(Tensor *z) { return T(op_view_as_real(z)); }
static const int64_t LAST[1] = {1};
B(c_complex) { return parts(cplx(x[0], x[1])); }
B(c_polar) { return parts(T(op_polar(x[0], x[1]))); }
B(c_conj) { return parts(T(op_conj(cplx(x[0], x[1])))); }
B(c_conj_physical) { return parts(T(op_conj_physical(cplx(x[0], x[1])))); }
B(c_conj_physical_) { return parts(T(op_conj_physical_(cplx(x[0], x[1])))); }
B(c_view_as_complex) { return T(op_complex_abs(T(op_view_as_complex(x[0])))); }
B(c_fft_r2c) { return parts(T(op_fft_r2c_raw(x[0], 1, LAST, FFT_NORM_NONE, true))); }
B(c_fft_c2c) { return parts(T(op_fft_c2c_raw(cplx(x[0], x[1]), 1, LAST, FFT_NORM_BY_ROOT_N, true))); }
B(c_fft_c2r) { return T(op_fft_c2r_raw(cplx(x[0], x[1]), 1, LAST, FFT_NORM_BY_N, 6)); }

typedef struct {
    const char *node; /* a node the op records (checked in its graph) */
    Build fn;
    const char *in;
    int flags;
} Case;

/* random samplers: reseeded per evaluation, so the value is a constant of
 * x (their gradients are zero) */
static Tensor *sampler(Tensor *x, RandomSampler which, double a, double b) {
    rng_seed(rng_default(), 7);
    return T(op_random_sampler_(T(op_clone(x)), which, a, b, rng_default()));
}
B(b_cauchy_) { return sampler(x[0], SAMPLER_CAUCHY, 0, 1); }
B(b_log_normal_) { return sampler(x[0], SAMPLER_LOG_NORMAL, 1, 2); }
B(b_geometric_) { return sampler(x[0], SAMPLER_GEOMETRIC, 0.3, 0); }
B(b_poisson) {
    rng_seed(rng_default(), 7);
    return T(op_poisson(x[0], rng_default()));
}
B(b_ormqr) { return T(op_ormqr(x[0], x[1], x[2], true, false)); }
B(b_frexp) {
    Tensor *m, *e;
    check(op_frexp(x[0], &m, &e));
    T(e);
    return T(m);
}
/* torch.autograd.Function's node, its backward written in C here as the
 * interpreter's callback would run the user's: x0 * x1 with a non-tensor
 * argument between them (no edge, no gradient). */
static bool mul_fn_call(GradNode *node, Tensor *const *grads, Tensor **gi) {
    Tensor *a = ag_saved(node, 0), *b = ag_saved(node, 1);
    if (!a || !b || !grads[0]) return false;
    gi[0] = op_binary(BIN_MUL, grads[0], b);
    gi[1] = op_binary(BIN_MUL, grads[0], a);
    return gi[0] && gi[1];
}
B(b_custom_function) {
    Tensor *out = NULL;
    NO_GRAD(out = op_binary(BIN_MUL, x[0], x[1]));
    T(out);
    Tensor *ins[3] = {x[0], NULL, x[1]};
    GradNode *node = ag_function_node("FunctionBackward", NULL, ins, 3, 1);
    check(node != NULL);
    ag_function_call = mul_fn_call;
    out->grad_fn = node;
    out->output_nr = 0;
    out->requires_grad = true;
    check(ag_save(node, x[0]) && ag_save(node, x[1]));
    ((AgFunctionCtx *)node->ctx)->outputs[0] = (AgOutputInfo){true, out->dtype, device_cpu(), 0, {0}};
    return out;
}
/* @once_differentiable's Error node: differentiating it raises. */
B(b_delayed_error) {
    Tensor *out = T(tensor_alias(x[0]));
    Tensor *outs[1] = {out};
    check(ag_record_error(outs, 1, x, "trying to differentiate twice"));
    return out;
}

static const Case cases[] = {
    {"FunctionBackward", b_custom_function, "n:3x5 n:5"},
    {"Error", b_delayed_error, "n:3x4", F_EXPECT_ERROR},
    {"AddBackward0", b_add, "n:3x5:t n:5"},
    {"AddBackward0", b_add_alpha, "n:2x1x4 n:3x1"},
    {"SubBackward0", b_sub, "n:3x5 n:1x5:s"},
    {"RsubBackward1", b_rsub, "n:3x5:t"},
    {"RsubBackward0", b_rsub_tensor, "n:3x5:t n:5"},
    {"MulBackward0", b_mul, "n:2x1x4 n:3x1:t"},
    {"DivBackward0", b_div, "n:3x5:t p:5"},
    {"PowBackward0", b_pow_scalar, "p:3x5:t"},
    {"MulBackward1", b_mul_scalar, "n:3x5:t"},
    {"MulBackward1", b_rmul_scalar, "n:2x1x4"},
    {"DivBackward1", b_div_scalar, "n:3x5:t"},
    {"MulBackward1", b_rdiv_scalar, "p:3x5:t"},
    {"AddBackward1", b_add_scalar, "n:3x5:t"},
    {"SubBackward1", b_sub_scalar, "n:3x5:t"},
    {"RsubBackward1", b_rsub_scalar, "n:3x5:t"},
    {"PowBackward0", b_pow_scalar_op, "n:3x5:t"},
    {"MulBackward0", b_mul_scalar_bb, "n:3x5:t n:3x5"},
    {"DivBackward0", b_div_scalar_bb, "n:3x5:t n:3x5"},
    {"PowBackward0", b_square, "n:2x1x4"},
    {"PowBackward1", b_pow, "p:3x5:t n:5"},
    {"PowBackward1", b_rpow, "n:3x5"},
    {"PowBackward2", b_pow_scalar_base, "n:3x5:t"},
    {"PowBackward2", b_pow_zero_base, "p:2x3"},
    {"Atan2Backward0", b_atan2, "n:3x5:t n:3x1"},
    {"HypotBackward0", b_hypot, "n:3x5 n:5:s"},
    {"LogaddexpBackward0", b_logaddexp, "n:3x5 n:5:s"},
    {"ComplexBackward0", c_complex, "n:3x5:t n:5"},
    {"ViewAsRealBackward0", c_complex, "n:3x5 n:3x5"},
    {"PolarBackward0", c_polar, "p:3x5 n:3x5:t"},
    {"ConjBackward0", c_conj, "n:3x5 n:3x5"},
    {"ConjPhysicalBackward0", c_conj_physical, "n:3x5 n:3x5"},
    {"ConjPhysicalBackward1", c_conj_physical_, "n:3x5 n:3x5"},
    {"ViewAsComplexBackward0", c_view_as_complex, "p:3x2"},
    {"FftR2CBackward0", c_fft_r2c, "n:3x5"},
    {"FftC2CBackward0", c_fft_c2c, "n:3x5 n:3x5"},
    {"FftC2RBackward0", c_fft_c2r, "n:3x4 n:3x4"},
    {"MaximumBackward0", b_maximum, "n:3x5:t n:5"},
    {"MinimumBackward0", b_minimum, "n:2x1x4 n:3x1"},
    {"FmodBackward0", b_fmod_s, "n:3x5:t"},
    {"FmodBackward1", b_fmod, "n:3x5 p:3x1:t"},
    {"RemainderBackward0", b_rem_s, "n:3x5:t"},
    {"RemainderBackward1", b_rem, "n:3x5 p:5"},
    {"NotImplemented", b_floor_divide, "n:3x5 p:5", F_EXPECT_ERROR},
    {"XlogyBackward0", b_xlogy, "n:3x4 p:3x4"},
    {"XlogyBackward2", b_xlogy_so, "n:3x4"},
    {"XlogyBackward1", b_xlogy_ss, "p:3x4"},
    {"SpecialXlog1PyBackward0", b_xlog1py, "n:3x4 h:3x4"},
    {"SpecialXlog1PyBackward2", b_xlog1py_so, "n:3x4"},
    {"SpecialXlog1PyBackward1", b_xlog1py_ss, "h:3x4"},
    {"SpecialZetaBackward0", b_zeta, "p:3x4"},
    {"SpecialZetaBackward2", b_zeta_so, "p:3x4", F_EXPECT_ERROR},
    {"SpecialZetaBackward1", b_zeta_ss, "p:3x4"},
    {"CopysignBackward0", b_copysign, "n:3x4 n:3x4"},
    {"CopysignBackward1", b_copysign_so, "n:3x4"},
    {"FmaxBackward0", b_fmax, "n:3x4 n:3x4"},
    {"FminBackward0", b_fmin, "n:3x4 n:3x4"},
    {"Logaddexp2Backward0", b_logaddexp2, "n:3x4 n:3x4"},
    {"NextafterBackward0", b_nextafter, "n:3x4 n:3x4", F_EXPECT_ERROR},
    {"AcoshBackward0", b_acosh, "p:3x4"},
    {"AsinhBackward0", b_asinh, "n:3x4"},
    {"AtanhBackward0", b_atanh, "u:3x4"},
    {"ErfBackward0", b_erf, "n:3x4"},
    {"ErfcBackward0", b_erfc, "n:3x4"},
    {"ErfinvBackward0", b_erfinv, "u:3x4"},
    {"LgammaBackward0", b_lgamma, "p:3x4"},
    {"DigammaBackward0", b_digamma, "p:3x4"},
    {"PolygammaBackward0", b_polygamma, "p:3x4"},
    {"MvlgammaBackward0", b_mvlgamma, "p:3x4"},
    {"I0Backward0", b_i0, "n:3x4"},
    {"SpecialI0EBackward0", b_i0e, "n:3x4"},
    {"SpecialI1Backward0", b_i1, "n:3x4"},
    {"SpecialI1EBackward0", b_i1e, "n:3x4"},
    {"SincBackward0", b_sinc, "n:3x4"},
    {"SpecialEntrBackward0", b_entr, "p:3x4"},
    {"LogitBackward0", b_logit, "u:3x4"},
    {"LogitBackward0", b_logit_eps, "u:3x4"},
    {"Deg2RadBackward0", b_deg2rad, "n:3x4"},
    {"Rad2DegBackward0", b_rad2deg, "n:3x4"},
    {"NegBackward0", b_neg, "n:3x5:t"},
    {"AbsBackward0", b_abs, "n:3x5:t"},
    {"SignBackward0", b_sign, "n:3x5:t"},
    {"ReluBackward0", b_relu, "n:3x5:t"},
    {"SqrtBackward0", b_sqrt, "p:3x5:t"},
    {"RsqrtBackward0", b_rsqrt, "p:2x1x4"},
    {"ExpBackward0", b_exp, "n:3x5:t"},
    {"Exp2Backward0", b_exp2, "n:3x5:s"},
    {"Expm1Backward0", b_expm1, "n:3x5:t"},
    {"LogBackward0", b_log, "p:3x5:t"},
    {"Log2Backward0", b_log2, "p:3x5"},
    {"Log10Backward0", b_log10, "p:3x5:t"},
    {"Log1PBackward0", b_log1p, "p:3x5:s"},
    {"SinBackward0", b_sin, "n:3x5:t"},
    {"CosBackward0", b_cos, "n:2x1x4"},
    {"TanBackward0", b_tan, "u:3x5:t"},
    {"AsinBackward0", b_asin, "u:3x5:t"},
    {"AcosBackward0", b_acos, "u:3x5"},
    {"AtanBackward0", b_atan, "n:3x5:t"},
    {"SinhBackward0", b_sinh, "n:3x5:t"},
    {"CoshBackward0", b_cosh, "n:3x5"},
    {"TanhBackward0", b_tanh, "n:3x5:t"},
    {"SigmoidBackward0", b_sigmoid, "n:3x5:t"},
    {"ReciprocalBackward0", b_reciprocal, "n:3x5:t"},
    {"FloorBackward0", b_floor, "n:3x5:t"},
    {"CeilBackward0", b_ceil, "n:3x5"},
    {"RoundBackward0", b_round, "n:3x5:t"},
    {"TruncBackward0", b_trunc, "n:3x5:t"},
    {"FracBackward0", b_frac, "n:3x5:t"},
    {"WhereBackward0", b_where, "n:3x5:t n:5"},
    {"ClampBackward0", b_clamp_t, "n:3x5:t l:5 h:3x1"},
    {"ClampBackward0", b_clamp_min_t, "n:3x5 l:3x5:t"},
    {"ClampBackward1", b_clamp_s, "n:3x5:t"},
    {"MaskedFillBackward0", b_masked_fill_s, "n:3x5:t"},
    {"MaskedFillBackward1", b_masked_fill_t, "n:3x5:t n:"},
    {"SoftmaxBackward0", b_softmax, "n:3x5:t"},
    {"LogSoftmaxBackward0", b_log_softmax, "n:3x5:t"},
    {"ThresholdBackwardBackward0", b_relu_bb, "n:3x5:t n:3x5"},
    {"TanhBackwardBackward0", b_tanh_bb, "n:3x5:t n:3x5"},
    {"SigmoidBackwardBackward0", b_sigmoid_bb, "n:3x5 n:3x5:t"},
    {"SoftmaxBackwardDataBackward0", b_softmax_bb, "n:3x5:t n:3x5"},
    {"LogSoftmaxBackwardDataBackward0", b_log_softmax_bb, "n:3x5:t n:3x5"},
    {"ToCopyBackward0", b_to_copy, "q:3x5:t", F_F32EPS},
    {"CloneBackward0", b_clone, "n:3x5:t"},
    {"PinMemoryBackward0", b_pin_memory, "n:3x5:t"},

    {"ViewBackward0", b_view, "n:3x5"},
    {"ReshapeAliasBackward0", b_reshape_alias, "n:3x5"},
    {"UnsafeViewBackward0", b_unsafe_view, "n:3x5:t"},
    {"AliasBackward0", b_alias, "n:3x5:t"},
    {"TransposeBackward0", b_transpose, "n:2x3x4:t"},
    {"TBackward0", b_t, "n:3x5:t"},
    {"PermuteBackward0", b_permute, "n:2x3x4:s"},
    {"SqueezeBackward0", b_squeeze_all, "n:3x1x5"},
    {"SqueezeBackward1", b_squeeze_dim, "n:3x1x5:s"},
    {"SqueezeBackward3", b_squeeze3, "n:4 n:4x3:t"},
    {"UnsqueezeBackward0", b_unsqueeze, "n:3x5:t"},
    {"SqueezeBackward2", b_squeeze_all_, "n:3x1x5"},
    {"UnsqueezeBackward1", b_unsqueeze_, "n:3x5:t"},
    {"TBackward1", b_t_, "n:3x5:t"},
    {"TransposeBackward1", b_transpose_, "n:2x3x4:t"},
    {"ExpandBackward0", b_expand, "n:3x1"},
    {"SelectBackward0", b_select, "n:3x5:t"},
    {"SliceBackward0", b_slice, "n:3x5:t"},
    {"CatBackward0", b_cat, "n:2x5 n:3x5:t"},
    {"StackBackward0", b_stack, "n:3x5:t n:3x5"},
    {"SplitBackward0", b_split, "n:7x3"},
    {"SplitWithSizesBackward0", b_split_sizes, "n:3x6:t"},
    {"UnsafeSplitBackward0", b_unsafe_split, "n:7x3"},
    {"UnsafeSplitWithSizesBackward0", b_unsafe_split_sizes, "n:3x6:t"},
    {"UnbindBackward0", b_unbind, "n:3x4:t"},
    {"FlipBackward0", b_flip, "n:3x5:t"},
    {"Rot90Backward0", b_rot90, "n:3x5:t"},
    {"Rot90Backward0", b_rot90_3, "n:3x4"},
    {"RepeatBackward0", b_repeat, "n:2x3:t"},
    {"IndexBackward0", b_index, "n:3x5:t"},
    {"IndexPutImplBackward0", b_index_bb, "n:3x5:t n:3x5"},
    {"SelectBackwardBackward0", b_select_bb, "n:3x5:t n:3"},
    {"SliceBackwardBackward0", b_slice_bb, "n:3x5:t n:3x2"},
    {"IndexPutBackward0", b_index_put, "n:3x5:t n:5"},
    {"CopySlices", b_copy_slices, "n:3x5:t n:3x2"},
    {"CopySlices", b_view_inplace, "n:3x5:t n:5"},
    {"AsStridedBackward0", b_view_inplace, "n:3x5 h:1x5:t"},
    {"AsStridedScatterBackward0", b_view_inplace_bb, "n:3x5:t n:5 n:2x5"},
    {"CopyBackwards", b_copy_, "n:3x5 n:1x5:t"},
    {"SumBackward0", b_sum, "n:3x5:t"},
    {"SumBackward1", b_sum_dim, "n:2x3x4:t"},
    {"MeanBackward0", b_mean, "n:3x5:t"},
    {"MeanBackward1", b_mean_dim, "n:2x3x4:s"},
    {"ProdBackward0", b_prod, "n:3x5:t"},
    {"ProdBackward0", b_prod, "o:3x5:t"},
    {"ProdBackward1", b_prod_dim, "n:3x5:t"},
    {"ProdBackward1", b_prod_dim, "z:3x5"},
    {"AmaxBackward0", b_amax, "d:3x5:t"},
    {"AminBackward0", b_amin, "d:3x5:t"},
    {"MaxBackward0", b_max_dim, "d:3x5:t"},
    {"MinBackward0", b_min_dim, "d:3x5:t"},
    {"MaxBackward1", b_max_all, "d:3x5:t"},
    {"MinBackward1", b_min_all, "d:3x5"},
    {"SortBackward0", b_sort, "d:3x5:t"},
    {"CumsumBackward0", b_cumsum, "n:3x5:t"},
    {"VarBackward0", b_var, "n:3x5:t"},
    {"StdBackward0", b_std, "n:2x1x4"},
    {"MmBackward0", b_mm, "n:3x4:t n:4x2"},
    {"BmmBackward0", b_bmm, "n:2x3x4:t n:2x4x2"},
    {"MvBackward0", b_mv, "n:3x4:t n:4"},
    {"DotBackward0", b_dot, "n:5:s n:5"},
    {"BmmBackward0", b_einsum_mm, "n:3x4:t n:4x2"},
    {"DiagonalBackward0", b_einsum_diag, "n:3x3:t"},

    {"GatherBackward0", b_gather, "n:3x5:t"},
    {"ScatterBackward0", b_scatter_src, "n:3x5:t n:3x2"},
    {"ScatterBackward1", b_scatter_value, "n:3x5:t"},
    {"ScatterAddBackward0", b_scatter_add, "n:3x5:t n:3x2:t"},
    {"CumprodBackward0", b_cumprod, "n:3x5:t"},
    {"CumprodBackward0", b_cumprod, "z:3x5"},
    {"CumprodBackward0", b_cumprod_bb, "z:3x5 n:3x5"},
    {"TopkBackward0", b_topk, "d:3x5:t"},
    {"KthvalueBackward0", b_kthvalue, "d:3x5:t"},
    {"MedianBackward1", b_median_dim, "d:3x5:t"},
    {"ModeBackward0", b_mode, "d:3x5:t"},
    {"MedianBackward0", b_median_all, "d:3x5:t"},
    {"TrilBackward0", b_tril, "n:3x5:t"},
    {"TriuBackward0", b_triu, "n:2x3x4:s"},
    {"DiagonalBackward0", b_diagonal, "n:2x3x4:t"},
    {"DiagonalBackwardBackward0", b_diagonal_bb, "n:2x3x4:t n:3x2"},
    {"DiagBackward0", b_diag, "n:4:s"},
    {"DiagEmbedBackward0", b_diag_embed, "n:2x3"},
    {"BlockDiagBackward0", b_block_diag, "n:2x3 n:4"},
    {"DiagBackward0", b_diag, "n:3x3:t"},
    {"DiagBackward0", b_diag, "n:3x5:t"},
    {"DiagonalBackwardBackward0", b_diag_bb, "n:3x5:t n:2"},
    {"TraceBackward0", b_trace, "n:3x5:t"},
    {"RollBackward0", b_roll, "n:3x5:t"},
    {"RollBackward0", b_roll_flat, "n:3x5:t"},
    {"AddmmBackward0", b_addmm, "n:5 n:3x4:t n:4x5"},
    {"AddmmBackward0", b_addmm_1, "n:3x1 n:3x4 n:4x5:t"},
    {"AddmvBackward0", b_addmv, "n:3 n:3x4 n:4"},
    {"AddmvBackward0", b_addmv, "n:1 n:3x4:t n:4"},
    {"AddrBackward0", b_addr, "n:3x1 n:3 n:4"},
    {"AddbmmBackward0", b_addbmm, "n:5 n:2x3x4 n:2x4x5"},
    {"BaddbmmBackward0", b_baddbmm, "n:3x5 n:2x3x4 n:2x4x5"},
    {"BaddbmmBackward0", b_baddbmm, "n:2x3x5 n:2x3x9 n:2x9x5"},
    {"DistBackward0", b_dist, "n:3x4 n:4"},
    {"DistBackward0", b_dist2, "n:2x3 n:2x3"},
    {"NanToNumBackward0", b_nan_to_num, "n:3x5:t"},
    {"LinalgVectorNormBackward0", b_norm2, "n:3x5:t"},
    {"LinalgVectorNormBackward0", b_norm3, "n:3x5:t"},
    {"LinalgVectorNormBackward0", b_norm15, "n:3x5:t"},
    {"LinalgVectorNormBackward0", b_norm05, "n:2x3x4:t"},
    {"LinalgVectorNormBackward0", b_norm1, "n:3x5:t"},
    {"LinalgVectorNormBackward0", b_norm_inf, "d:3x5:t"},
    {"LinalgVectorNormBackward0", b_norm2_bb, "n:3x5:t n:3"},
    {"LinalgVectorNormBackward0", b_norm3_bb, "n:3x5:t n:"},
    {"ScatterAddBackward0", b_gather_bb, "n:3x5:t n:3x2"},
    {"GatherBackward0", b_scatter_bb, "n:3x5 n:3x2:t n:3x5"},
    {"ScatterBackward0", b_topk_bb, "d:3x5:t n:3x2"},
    {"MaskedFillBackward1", b_median_all_bb, "d:3x5:t n:"},
    {"WhereBackward0", b_trace_bb, "n:3x5:t n:"},
    {"RollBackward0", b_roll_bb, "n:3x5:t n:3x5"},
    {"TrilBackward0", b_tril_bb, "n:3x5:t n:3x5"},
    {"MmBackward0", b_addmm_bb, "n:5 n:3x4:t n:4x5 n:3x5"},
    {"MulBackward0", b_nan_to_num_bb, "n:3x5:t n:3x5"},
    {"CumprodBackward0", b_cumprod_bb, "n:3x5:t n:3x5"},

    {"LogsumexpBackward0", b_logsumexp, "n:3x5:t"},
    {"LerpBackward0", b_lerp_s, "n:3x5:t n:5"},
    {"LerpBackward1", b_lerp_t, "n:3x5 n:3x1:t u:5"},
    {"TakeBackward0", b_take, "n:3x5:t"},
    {"PutBackward0", b_take_bb, "n:3x5:t n:2x2"},
    {"IndexSelectBackward0", b_index_select, "n:3x5:t"},
    {"IndexAddBackward0", b_index_select_bb, "n:3x5:t n:3x3"},
    {"MaskedSelectBackward0", b_masked_select, "n:3x5:t"},
    {"MaskedScatterBackward0", b_masked_select_bb, "n:3x5:t n:9"},
    {"AsStridedBackward0", b_as_strided, "n:3x5:t n:2"},
    {"AsStridedScatterBackward0", b_as_strided_bb, "n:3x5:t n:2 n:2x5"},
    {"NormBackward1", b_norm, "n:3x5:t"},
    {"NormBackward1", b_norm_fro, "n:2x3x4:s"},
    {"ClampMinBackward0", b_clamp_min_s, "n:3x5:t"},
    {"ClampMinBackward1", b_clamp_min_b, "n:3x5:t l:5"},
    {"ClampMaxBackward0", b_clamp_max_s, "n:3x5:t"},
    {"ClampMaxBackward1", b_clamp_max_b, "n:3x5 h:3x1:t"},
    {"DivBackward2", b_div_floor, "n:3x5:t p:5"},
    {"DivBackward2", b_div_trunc, "n:3x5 p:3x1"},
    {"ZeroBackward0", b_zero_, "n:3x5:t"},
    {"FillBackward2", b_fill_s, "n:3x5:t"},
    {"FillBackward0", b_fill_out_s, "n:3x5:t"},
    {"FillBackward1", b_fill_out_t, "n:3x5:t n:"},
    {"FillBackward3", b_fill_t, "n:3x5:t n:"},
    {"SubBackward0", b_add_, "n:3x5:t n:5"},
    {"ClampBackward0", b_clamp_, "n:3x5:t l:5"},
    {"MaskedFillBackward1", b_masked_fill_, "n:3x5:t n:"},
    /* ---- ops_more.c (positive ... aminmax) ---- */
    {"SgnBackward0", m_sgn, "n:3x5:t"},
    {"AngleBackward0", m_angle, "n:3x5:t"},
    {"RoundBackward1", m_round_dec, "n:3x5:t"},
    {"NansumBackward0", m_nansum, "n:3x5:t"},
    {"NansumBackward0", m_nansum_all, "n:2x3x4:s"},
    {"CummaxBackward0", m_cummax, "d:3x5:t"},
    {"CumminBackward0", m_cummin, "d:3x5:t"},
    {"ScatterAddBackward0", m_cummax_bb, "d:3x5:t n:3x5"},
    {"VdotBackward0", m_vdot, "n:5 n:5"},
    {"AddcmulBackward0", m_addcmul, "n:3x5:t n:5 n:3x1"},
    {"AddcdivBackward0", m_addcdiv, "n:3x1 n:3x5:t p:5"},
    {"AddcmulBackward0", m_addcmul_, "n:3x5 n:5 n:3x5:t"},
    {"VarMeanBackward0", m_var_mean, "n:3x5:t"},
    {"VarMeanBackward0", m_var_mean_all, "n:2x3x4:s"},
    {"StdMeanBackward0", m_std_mean, "n:3x5:t"},
    {"StdMeanBackward0", m_std_mean_bb, "n:3x5:t n:3"},
    {"LinalgCrossBackward0", m_cross, "n:4x3:t n:1x3"},
    {"LinalgCrossBackward0", m_cross_bb, "n:3x4 n:3x4 n:3x4"},
    {"LinalgDetBackward0", m_det, "n:2x3x3"},
    {"LinalgDetBackward0", m_det_t, "n:3x3"},
    {"LinalgSlogdetBackward0", m_slogdet, "n:2x3x3"},
    {"WhereBackward0", m_logdet, "n:3x3"},
    {"LinalgInvExBackward0", m_inv, "n:2x3x3"},
    {"LinalgSolveExBackward0", m_solve, "n:3x3 n:2x3x2"},
    {"LinalgSolveExBackward0", m_solve, "n:2x3x3 n:3"},
    {"LinalgSolveExBackward0", m_solve_right, "n:3x3 n:2x3"},
    {"LinalgSolveExBackward0", m_solve_bb, "n:3x3 n:3x2 n:3x2"},
    {"LinalgCholeskyExBackward0", m_cholesky, "n:2x3x3"},
    {"LinalgCholeskyExBackward0", m_cholesky_upper, "n:3x3"},
    {"CholeskyBackward0", m_cholesky_legacy, "n:3x3"},
    {"LinalgLuFactorExBackward0", m_lu_factor, "n:3x3"},
    {"LinalgLuFactorExBackward0", m_lu_factor, "n:2x3x5"},
    {"LinalgLuFactorExBackward0", m_lu_factor, "n:5x3"},
    {"LinalgLuSolveBackward0", m_lu_solve, "n:3x3 n:3x2"},
    {"LinalgLuSolveBackward0", m_lu_solve_adj, "n:3x3 n:2x3"},
    {"LinalgLuSolveBackward0", m_lu_solve_right, "n:2x3x3 n:2x3"},
    {"LinalgSolveTriangularBackward0", m_solve_triangular, "n:3x3 n:3x2"},
    {"LinalgSolveTriangularBackward0", m_solve_triangular_lr, "n:2x3x3 n:2x3"},
    {"LinalgSolveTriangularBackward0", m_solve_triangular_unit, "n:3x3 n:3x2"},
    {"LinalgEighBackward0", m_eigh_values, "n:2x3x3"},
    {"LinalgEighBackward0", m_eigh_vectors, "n:3x3"},
    {"LinalgQrBackward0", m_qr_q, "n:4x3"},
    {"LinalgQrBackward0", m_qr_r, "n:2x3x3"},
    {"LinalgQrBackward0", m_qr_both, "n:3x5"},
    {"GeqrfBackward0", m_geqrf, "n:4x3", F_EXPECT_ERROR},
    {"LinalgHouseholderProductBackward0", m_householder, "n:4x3 n:2", F_EXPECT_ERROR},
    {"SymeigBackward0", m_symeig, "n:3x3"},
    {"SymeigBackward0", m_symeig_values, "n:3x3", F_EXPECT_ERROR},
    {"LinalgSvdBackward0", m_svdvals, "n:4x3"},
    {"LinalgSvdBackward0", m_svd, "n:4x3"},
    {"LinalgSvdBackward0", m_svd_full, "n:3x5"},
    {"LinalgSvdBackward0", m_svd, "n:2x3x3"},
    {"CholeskySolveBackward0", m_cholesky_solve, "n:3x3 n:3x2"},
    {"CholeskySolveBackward0", m_cholesky_solve_u, "n:3x3 n:2x3x2"},
    {"CholeskyInverseBackward0", m_cholesky_inverse, "n:3x3"},
    {"CholeskyInverseBackward0", m_cholesky_inverse_l, "n:2x3x3"},
    {"TriangularSolveBackward0", m_triangular_solve, "n:3x3 n:3x2"},
    {"TriangularSolveBackward0", m_triangular_solve_t, "n:2x3x3 n:2x3x2"},
    {"LinalgPinvBackward0", m_pinv, "n:4x3"},
    {"LuUnpackBackward0", m_lu_unpack, "n:3x3"},
    {"LuUnpackBackward0", m_lu_unpack, "n:3x5"},
    {"LuUnpackBackward0", m_lu_unpack, "n:5x3"},
    {"LinalgPinvBackward0", m_pinv, "n:2x3x5"},
    {"LinalgPinvBackward0", m_pinv_h, "n:3x3"},
    /* ---- end ops_more.c ---- */
    /* nn.functional */
    {"GeluBackward0", b_gelu, "n:3x5:t"},
    {"GeluBackward0", b_gelu_tanh, "n:2x1x4"},
    {"GeluBackwardBackward0", b_gelu_bb, "n:3x5:t n:3x5"},
    {"GeluBackwardBackward0", b_gelu_tanh_bb, "n:4x3:s n:4x3"},
    {"SiluBackward0", b_silu, "n:3x5:t"},
    {"AddBackward1", b_silu_bb, "n:3x5 n:3x5:t"},
    {"SiluBackwardBackward0", b_silu_backward_bb, "n:3x5 n:3x5:t"},
    {"EluBackward0", b_elu, "n:3x5:t"},
    {"EluBackwardBackward0", b_elu_bb, "n:3x5:s n:3x5"},
    {"EluBackward1", b_elu_, "n:3x5:t"},
    {"EluBackwardBackward0", b_elu__bb, "n:3x5 n:3x5"},
    {"CeluBackward0", b_celu, "n:3x5:t"},
    {"CeluBackward1", b_celu_, "n:2x1x4"},
    {"LeakyReluBackward0", b_leaky, "n:3x5:t"},
    {"LeakyReluBackwardBackward0", b_leaky_bb, "n:3x5 n:3x5:t"},
    {"LeakyReluBackward1", b_leaky_, "n:3x5:s"},
    {"SoftplusBackward0", b_softplus, "n:3x5:t"},
    {"SoftplusBackwardBackward0", b_softplus_bb, "n:3x5 n:3x5"},
    {"HardtanhBackward0", b_hardtanh, "u:3x5:t"},
    {"HardtanhBackwardBackward0", b_hardtanh_bb, "u:3x5 n:3x5"},
    {"HardtanhBackward0", b_hardtanh_, "u:3x5:s"},
    {"LogSigmoidBackward0", b_logsigmoid, "n:3x5:t"},
    {"MishBackward0", b_mish, "n:3x5:t"},
    {"MulBackward0", b_mish_bb, "n:3x5 n:3x5:t"}, /* infinitely_differentiable_mish_backward */
    {"HardswishBackward0", b_hardswish, "n:3x5:t"},
    {"HardswishBackwardBackward0", b_hardswish_bb, "n:3x5 n:3x5:t"},
    {"HardsigmoidBackward0", b_hardsigmoid, "n:3x5:t"},
    {"LogSigmoidBackwardBackward0", b_logsigmoid_bb, "n:3x5 n:3x5:t"},
    {"MseLossBackward0", b_mse_mean, "n:3x5:t n:3x5"},
    {"MseLossBackward0", b_mse_none, "n:3x5 n:5"},
    {"MseLossBackwardBackward0", b_mse_bb, "n:3x5:t n:3x5 n:3x5"},
    {"MseLossBackwardBackward0", b_mse_bb_none, "n:3x5 n:3x5:s n:3x5"},
    {"SmoothL1LossBackward0", b_sl1_sum, "n:3x5:t n:3x5"},
    {"SmoothL1LossBackwardBackward0", b_sl1_bb, "u:3x5 u:3x5:t n:3x5"},
    {"HuberLossBackward0", b_huber_none, "n:3x5:s n:3x5"},
    {"HuberLossBackwardBackward0", b_huber_bb, "u:3x5 u:3x5 n:3x5"},
    {"AbsBackward0", b_l1, "n:3x5:t n:3x5"},
    {"NllLossBackward0", b_nll, "n:4x5:t"},
    {"NllLossBackward0", b_nll_w, "n:4x5"},
    {"NllLossBackward0", b_nll_none, "n:4x5:s"},
    {"NllLossBackwardBackward0", b_nll_bb, "n:4x5:t"},
    {"NllLoss2DBackward0", b_nll2d, "n:2x3x2x2"},
    {"NllLoss2DBackwardBackward0", b_nll2d_bb, "n:2x3x2x2"},
    {"NllLoss2DBackward0", b_nll3d, "n:2x3x3"},
    {"NllLossBackward0", b_ce, "n:4x5:t"},
    {"NllLossBackward0", b_ce_ls, "n:4x5:t"},
    {"IndexPutBackward0", b_ce_ls_none, "n:4x5:t"},
    {"LogSoftmaxBackward0", b_ce_prob, "n:4x5:t p:4x5"},
    {"BinaryCrossEntropyBackward0", b_bce, "n:3x5:t h:3x5"},
    {"BinaryCrossEntropyBackward0", b_bce_w, "n:3x5 h:3x5:s"},
    {"BinaryCrossEntropyBackwardBackward0", b_bce_bb, "u:3x5 h:3x5"},
    {"BinaryCrossEntropyWithLogitsBackward0", b_bce_logits, "n:3x5:t n:3x5"},
    {"BinaryCrossEntropyWithLogitsBackward0", b_bce_logits_pw, "n:3x5 n:3x5:t"},
    {"AddmmBackward0", b_linear, "n:3x4 n:5x4:t n:5"},
    {"AddmmBackward0", b_linear3d, "n:2x3x4 n:5x4 n:5"},
    {"MmBackward0", b_linear_nob, "n:3x4:t n:5x4"},
    {"NormBackward1", b_normalize, "n:3x5:t"},
    {"NormBackward1", b_normalize_p1, "n:3x5"},
    {"ConstantPadNdBackward0", b_pad, "n:3x5:t"},
    {"ConstantPadNdBackward0", b_pad_bb, "n:3x5 n:3x5"},
    {"ReflectionPad1DBackward0", b_reflect1d, "n:2x2x4"},
    {"ReflectionPad2DBackward0", b_reflect2d, "n:1x2x3x4"},
    {"ReflectionPad3DBackward0", b_reflect3d, "n:2x2x3x3"},
    {"ReplicationPad1DBackward0", b_replicate1d, "n:2x3"},
    {"ReplicationPad2DBackward0", b_replicate2d, "n:1x1x3x4"},
    {"ReplicationPad3DBackward0", b_replicate3d, "n:1x1x2x3x3"},
    {"SumBackward1", b_cosine_similarity, "n:3x5:t n:5"},
    {"MaxPool2DWithIndicesBackward0", b_max_pool2d, "d:2x5x6"},
    {"AvgPool2DBackward0", b_avg_pool2d, "n:1x2x5x6"},
    {"AdaptiveMaxPool2DBackward0", b_amax_pool2d, "d:2x5x7"},
    {"ResizeBackward", b_resize_fn, "n:2x5:t"},
    {"SegmentReduceBackward0", b_segment_mean, "n:5x2"},
    {"ConvTbcBackward0", b_conv_tbc, "n:5x2x3 n:3x3x4 n:4"},
    {"AdaptiveAvgPool2DBackward0", b_aavg_pool2d, "n:1x2x5x7"},
    {"NativeBatchNormBackward0", b_batch_norm, "n:4x3x2 n:3 n:3"},
    {"NativeBatchNormBackward0", b_batch_norm_eval, "n:4x3x2 n:3 n:3"},
    {"NativeLayerNormBackward0", b_layer_norm, "n:3x5 n:5 n:5"},
    {"NativeGroupNormBackward0", b_group_norm, "n:2x4x3 n:4 n:4"},
    {"EmbeddingBackward0", b_embedding, "n:4x3"},
    {"Im2ColBackward0", b_unfold, "n:2x2x4x5"},
    {"Col2ImBackward0", b_fold, "n:2x8x6"},
    {"UpsampleBilinear2DBackward1", b_up_bilinear, "n:1x2x3x4"},
    {"UpsampleBilinear2DBackward1", b_up_bilinear_ac, "n:2x1x3x3"},
    {"UpsampleNearest2DBackward1", b_up_nearest2d, "n:1x2x3x4"},
    {"UpsampleNearest1DBackward1", b_up_nearest1d, "n:2x2x3"},
    {"UpsampleLinear1DBackward1", b_up_linear1d, "n:2x2x5"},
    {"ConvolutionBackward0", b_conv2d, "n:2x4x5x5 n:6x2x3x3 n:6"},
    {"ConvolutionBackward0", b_conv2d_dil, "n:1x2x5x6 n:3x2x2x2 n:3"},
    {"ConvolutionBackward0", b_conv1d, "n:2x3x6 n:2x3x3 n:2"},
    {"ConvolutionBackward0", b_conv_t2d, "n:1x2x3x3 n:2x3x3x3 n:3"},
    {"IndexAddBackward0", b_index_add, "n:3x5:t n:3x3"},
    {"IndexCopyBackward0", b_index_copy, "n:3x5 n:3x2:t"},
    {"IndexFillBackward0", b_index_fill_s, "n:3x5:t"},
    {"IndexFillBackward1", b_index_fill_t, "n:3x5 n:"},
    {"PutBackward0", b_put, "n:3x5:t n:3"},
    {"IndexPutBackward0", b_index_put_t, "n:3x5 n:5"},
    {"MaskedScatterBackward0", b_masked_scatter, "n:3x5:t n:4x4"},
    {"SelectScatterBackward0", b_select_scatter, "n:3x5:t n:3"},
    {"SliceScatterBackward0", b_slice_scatter, "n:3x5 n:3x2:t"},
    {"DiagonalScatterBackward0", b_diagonal_scatter, "n:3x5:t n:3"},
    {"AsStridedScatterBackward0", b_as_strided_scatter, "n:3x5 n:2x2"},
    {"AsStridedBackward0", b_as_strided_user, "n:3x5"},
    {"AsStridedBackward1", b_as_strided_inplace, "n:3x5"},
    {"UnfoldBackward0", b_unfold_view, "n:3x5:t"},
    {"ScatterReduceBackward0", b_scatter_reduce_sum, "n:3x5:t n:3x2"},
    {"ScatterReduceBackward0", b_scatter_reduce_mean, "n:3x5 n:3x2:t"},
    {"ScatterReduceBackward0", b_scatter_reduce_prod, "p:3x5 p:3x2"},
    {"ScatterReduceBackward0", b_scatter_reduce_amax, "d:3x5 d:3x2"},
    {"ScatterReduceBackward0", b_scatter_reduce_amin, "d:3x5:t d:3x2"},
    {"IndexReduceBackward0", b_index_reduce_mean, "n:3x5:t n:3x3"},
    {"LogcumsumexpBackward0", b_logcumsumexp, "n:3x5:t"},
    {"LogcumsumexpBackward0", b_logcumsumexp_bb, "n:3x5:t n:3x5"},
    {"RenormBackward0", b_renorm, "n:3x4:t"},
    {"RenormBackward0", b_renorm_p3, "n:3x4:t"},
    {"NanmedianBackward0", b_nanmedian_all, "d:3x5:t"},
    {"NanmedianBackward1", b_nanmedian_dim, "d:3x5:t"},
    {"PixelShuffleBackward0", b_pixel_shuffle, "n:2x8x2x3"},
    {"PixelUnshuffleBackward0", b_pixel_unshuffle, "n:2x2x4x6"},
    {"RreluWithNoiseBackward0", b_rrelu_eval, "n:3x4"},
    {"LinalgMatrixExpBackward0", m_matrix_exp, "n:2x3x3"},
    {"LinalgMatrixExpBackward0", m_matrix_exp_small, "n:4x4"},
    {"LinalgLstsqBackward0", m_lstsq, "n:5x3 n:5x2"},
    {"LinalgLstsqBackward0", m_lstsq, "n:2x3 n:2x4"},
    {"LinalgLuBackward0", m_linalg_lu, "n:3x3"},
    {"LinalgLuBackward0", m_linalg_lu, "n:3x5"},
    {"LinalgLuBackward0", m_linalg_lu, "n:2x5x3"},
    {"ThresholdBackward0", b_threshold, "n:3x5:t"},
    {"ThresholdBackward1", b_threshold_, "n:3x5"},
    {"ThresholdBackwardBackward0", b_threshold_bb, "n:3x5:t n:3x5"},
    {"MultiMarginLossBackward0", b_multi_margin, "n:3x5:t"},
    {"MultiMarginLossBackward0", b_multi_margin_none, "n:3x5"},
    {"MultilabelMarginLossBackward0", b_multilabel_margin, "n:3x5:t"},
    {"CtcLossBackward0", b_ctc_loss, "n:6x2x4"},
    {"CtcLossBackward0", b_ctc_loss_cat, "n:6x2x4:t"},
    {"MaxUnpool2DBackward0", b_max_unpool2d, "n:1x2x2x2"},
    {"MaxUnpool3DBackward0", b_max_unpool3d, "n:1x1x1x2x2"},
    {"HardshrinkBackward0", b_hardshrink, "n:3x5:t"},
    {"HardshrinkBackwardBackward0", b_hardshrink_bb, "n:3x5:t n:3x5"},
    {"SoftshrinkBackward0", b_softshrink, "n:3x5:t"},
    {"SoftshrinkBackwardBackward0", b_softshrink_bb, "n:3x5:t n:3x5"},
    {"GluBackward0", b_glu, "n:3x4:t"},
    {"GluBackward0", b_glu_first, "n:4x3x2"},
    {"PreluBackward0", b_prelu, "n:3x4x2:t n:4"},
    {"PreluBackward0", b_prelu, "n:3x5 n:1"},
    {"PreluBackwardBackward0", b_prelu_bb, "n:3x4 n:4 n:3x4"},
    {"PreluBackwardBackward0", b_prelu_bb, "n:3x4 n:1 n:3x4"},
    {"TrilinearBackward0", b_bilinear, "n:2x3 n:2x5:t n:4x3x5 n:4"},
    {"TrilinearBackward0", b_bilinear_bb, "n:2x3 n:2x5 n:4x3x5 n:2x4"},
    {"AffineGridGeneratorBackward0", b_affine_grid, "n:2x2x3"},
    {"AffineGridGeneratorBackward0", b_affine_grid3, "n:2x3x4"},
    {"EmbeddingBagBackward0", b_embedding_bag_sum, "n:6x3 n:8"},
    {"EmbeddingBagBackward0", b_embedding_bag_mean, "n:6x3:t"},
    {"EmbeddingBagBackward0", b_embedding_bag_max, "n:6x3"},
    {"GridSampler2DBackward0", b_grid_bilinear, "n:1x2x4x5 n:1x3x2x2"},
    {"GridSampler2DBackward0", b_grid_bicubic, "n:1x2x4x5:t n:1x3x2x2"},
    {"GridSampler2DBackward0", b_grid_reflect, "n:1x2x4x5 n:1x3x2x2:t"},
    {"GridSampler3DBackward0", b_grid3d_zeros, "n:1x2x3x4x5 n:1x2x3x2x3"},
    {"GridSampler3DBackward0", b_grid3d_border, "n:1x2x3x4x5:t n:1x2x3x2x3"},
    {"GridSampler3DBackward0", b_grid3d_reflect, "n:1x2x3x4x5 n:1x2x3x2x3:t"},
    {"PdistBackward0", b_pdist2, "n:4x3:t"},
    {"PdistBackward0", b_pdist1, "n:4x3"},
    {"PdistBackward0", b_pdist3, "n:4x9"},
    {"PdistBackward0", b_pdist15, "n:4x3"},
    {"PdistBackwardBackward0", b_pdist_bb, "n:4x3 n:6", F_EXPECT_ERROR},
    {"CdistBackward0", b_cdist2, "n:4x3:t n:5x3"},
    {"CdistBackward0", b_cdist1, "n:2x1x4x3 n:3x5x3"},
    {"CdistBackward0", b_cdist3, "n:4x9 n:2x9"},
    {"CdistBackward0", b_cdist15, "n:4x3 n:5x3"},
    {"CdistBackward0", b_cdist_inf, "n:4x3 n:5x3"},
    {"EuclideanDistBackward0", b_cdist_mm, "n:2x1x4x3 n:3x5x3"},
    {"CdistBackwardBackward0", b_cdist_bb, "n:4x3 n:5x3 n:4x5", F_EXPECT_ERROR},
    {"SpecialErfcxBackward0", b_erfcx, "n:3x4"},
    {"SpecialLogNdtrBackward0", b_log_ndtr, "n:3x4"},
    {"SpecialNdtriBackward0", b_ndtri, "p:3x4"},
    {"IgammaBackward0", b_igamma, "p:3x4"},
    {"IgammaBackward0", b_igamma_self, "p:3x4", F_EXPECT_ERROR},
    {"IgammacBackward0", b_igammac, "p:3x4"},
    {"CauchyBackward0", b_cauchy_, "n:3x5:t"},
    {"LogNormalBackward0", b_log_normal_, "n:3x5:t"},
    {"GeometricBackward0", b_geometric_, "n:3x5:t"},
    {"PoissonBackward0", b_poisson, "p:3x5"},
    {"FrexpBackward0", b_frexp, "n:3x5:t"},
    {"OrmqrBackward0", b_ormqr, "n:4x3 n:3 n:4x2", F_EXPECT_ERROR},
    {"ConvolutionBackward0", b_conv3d, "n:1x4x4x3x5 n:4x2x2x2x3 n:4"},
    {"ConvolutionBackward0", b_conv_t3d, "n:1x2x2x3x2 n:2x3x2x2x2 n:3"},
    {"MaxPool3DWithIndicesBackward0", b_max_pool3d, "d:2x4x5x6"},
    {"AvgPool3DBackward0", b_avg_pool3d, "n:1x2x4x5x6"},
    {"AdaptiveMaxPool3DBackward0", b_amax_pool3d, "d:2x4x5x7"},
    {"FractionalMaxPool2DBackward0", b_frac_pool2d, "d:2x2x5x6"},
    {"FractionalMaxPool3DBackward0", b_frac_pool3d, "d:2x4x5x4"},
    {"AdaptiveAvgPool3DBackward0", b_aavg_pool3d, "n:1x2x4x5x7"},
};

/* ------------------------------------------------------------ inputs */

static uint64_t rng_state;
static double urand(void) { /* [0, 1) */
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}
static double uniform(double lo, double hi) { return lo + (hi - lo) * urand(); }

static double draw(char dom, int64_t k, int64_t n) {
    double v;
    switch (dom) {
    case 'p': return uniform(0.5, 2.0);
    case 'u': return uniform(-0.8, 0.8);
    case 'l': return uniform(-1.5, -0.3);
    case 'h': return uniform(0.3, 1.5);
    case 'q': return (double)((int)uniform(2, 17) * (urand() < 0.5 ? -1 : 1)) / 8.0;
    case 'd': return 0.3 * (double)((k * 7 + 3) % n) - 0.15 * (double)n + uniform(0.0, 0.05);
    case 'o':
    case 'z':
        if (dom == 'o' ? k == 1 : k % 4 == 1) return 0.0;
        /* fall through */
    default:
        do v = uniform(-2.0, 2.0);
        while (fabs(v) < 0.2);
        return v;
    }
}

/* Pointer to the element at row-major logical position k. */
static double *elem(Tensor *t, int64_t k) {
    int64_t off = t->offset;
    for (int d = t->ndim - 1; d >= 0; d--) {
        off += (k % t->shape[d]) * t->stride[d];
        k /= t->shape[d];
    }
    return (double *)t->storage->data + off;
}

/* One input leaf from its spec "D:SHAPE[:L]" (spec points at it); NULL on
 * a bad spec. */
static Tensor *make_input(const char *spec, int len) {
    char buf[64];
    if (len >= (int)sizeof buf) return NULL;
    memcpy(buf, spec, (size_t)len);
    buf[len] = 0;
    char dom = buf[0];
    int64_t shape[TSR_MAX_DIMS];
    int nd = 0;
    const char *p = buf + 2;
    while (*p && *p != ':') {
        shape[nd++] = strtoll(p, (char **)&p, 10);
        if (*p == 'x') p++;
    }
    char layout = *p == ':' ? p[1] : 0;
    int64_t bshape[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    memcpy(bshape, shape, sizeof(int64_t) * (size_t)nd);
    if (layout == 't') { /* base with the last two dims swapped */
        bshape[nd - 1] = shape[nd - 2];
        bshape[nd - 2] = shape[nd - 1];
    } else if (layout == 's') {
        bshape[0] = 2 * shape[0];
    }
    Tensor *base = tensor_empty(DT_FLOAT64, nd, bshape, device_cpu());
    int64_t bst[TSR_MAX_DIMS];
    contiguous_strides(nd, bshape, bst);
    memcpy(st, bst, sizeof(int64_t) * (size_t)nd);
    if (layout == 't') {
        st[nd - 1] = bst[nd - 2];
        st[nd - 2] = bst[nd - 1];
    } else if (layout == 's') {
        st[0] = 2 * bst[0];
    }
    Tensor *t = tensor_as_strided(base, nd, shape, st, 0);
    tensor_release(base);
    int64_t n = tensor_numel(t);
    for (int64_t k = 0; k < n; k++) *elem(t, k) = draw(dom, k, n);
    t->requires_grad = true;
    return t;
}

static int make_inputs(const char *in, Tensor **xs) {
    int n = 0;
    for (const char *p = in; *p;) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ' ') e++;
        if (e > p) xs[n++] = make_input(p, (int)(e - p));
        p = e;
    }
    return n;
}

/* ------------------------------------------------------------- harness */

/* sum(out * w) */
static double loss(Tensor *out, Tensor *w) {
    double s = 0;
    int64_t n = tensor_numel(out);
    for (int64_t i = 0; i < n; i++) s += tensor_get_f64(out, i) * tensor_get_f64(w, i);
    return s;
}

static bool graph_has(GradNode *n, const char *name, int depth) {
    if (!n || depth > 64) return false;
    if (!strcmp(ag_node_name(n), name)) return true;
    for (int i = 0; i < n->n_next; i++)
        if (graph_has(n->next[i].node, name, depth + 1)) return true;
    return false;
}

/* A node of the graph without a formula, or NULL. */
static const char *missing_formula(GradNode *n, int depth) {
    if (!n || depth > 64) return NULL;
    if (n->kind != NODE_AccumulateGrad && ag_formulas[n->kind] == no_formula) return ag_node_name(n);
    for (int i = 0; i < n->n_next; i++) {
        const char *m = missing_formula(n->next[i].node, depth + 1);
        if (m) return m;
    }
    return NULL;
}

/* Runs the builder: a new reference to its output, or NULL with the
 * failure in case_err. */
static Tensor *build(Build fn, Tensor *const *xs) {
    Tensor *out = NULL;
    tsr_err_clear();
    pool_n = 0;
    if (setjmp(case_jmp)) {
        pool_free();
        return NULL;
    }
    out = tensor_retain(fn(xs));
    pool_free();
    return out;
}

/* Runs one case; returns NULL when it passes, else a description (static). */
static const char *run_case(const Case *c, uint64_t seed) {
    static char msg[1024];
    Tensor *xs[8] = {0}, *res[8] = {0}, *out = NULL, *w = NULL;
    int nx = 0;
    const char *verdict = NULL;
    rng_state = seed;
    nx = make_inputs(c->in, xs);
    for (int j = 0; j < nx; j++)
        if (!xs[j]) {
            snprintf(msg, sizeof msg, "bad input spec '%s'", c->in);
            verdict = msg;
            goto done;
        }
    out = build(c->fn, xs);
    if (!out) {
        snprintf(msg, sizeof msg, "forward failed: %s", case_err);
        verdict = msg;
        goto done;
    }
    if (!graph_has(out->grad_fn, c->node, 0)) {
        snprintf(msg, sizeof msg, "the op's graph does not contain %s (root %s)", c->node,
                 out->grad_fn ? ag_node_name(out->grad_fn) : "none");
        verdict = msg;
        goto done;
    }
    const char *mf = missing_formula(out->grad_fn, 0);
    if (mf && !(c->flags & F_EXPECT_ERROR)) {
        snprintf(msg, sizeof msg, "node %s in the graph has no formula", mf);
        verdict = msg;
        goto done;
    }
    w = tensor_empty(DT_FLOAT64, out->ndim, out->shape, device_cpu());
    for (int64_t i = 0; i < tensor_numel(w); i++) ((double *)w->storage->data)[i] = uniform(-1.0, 1.0);
    bool ok = ag_grad(&out, &w, 1, xs, nx, -1, false, true, res);
    if (c->flags & F_EXPECT_ERROR) {
        if (ok) verdict = "expected the backward pass to raise";
        tsr_err_clear();
        goto done;
    }
    if (!ok) {
        snprintf(msg, sizeof msg, "backward failed: %s", tsr_err_msg());
        verdict = msg;
        goto done;
    }
    tensor_release(out);
    out = NULL;
    double eps = c->flags & F_F32EPS ? 1.0 / 1048576.0 : EPS;
    for (int j = 0; j < nx && !verdict; j++) {
        Tensor *x = xs[j], *g = res[j];
        if (g && (g->ndim != x->ndim || memcmp(g->shape, x->shape, sizeof(int64_t) * (size_t)x->ndim) ||
                  g->dtype != x->dtype)) {
            snprintf(msg, sizeof msg, "input %d: gradient of the wrong shape or dtype", j);
            verdict = msg;
            break;
        }
        for (int64_t k = 0; k < tensor_numel(x) && !verdict; k++) {
            double *p = elem(x, k), orig = *p, l[2];
            for (int side = 0; side < 2; side++) {
                *p = orig + (side ? -eps : eps);
                Tensor *o = build(c->fn, xs);
                if (!o) {
                    *p = orig;
                    snprintf(msg, sizeof msg, "perturbed forward failed: %s", case_err);
                    verdict = msg;
                    goto done;
                }
                l[side] = loss(o, w);
                tensor_release(o);
            }
            *p = orig;
            double num = (l[0] - l[1]) / (2 * eps), ana = g ? tensor_get_f64(g, (int64_t)k) : 0.0;
            if (!(fabs(ana - num) <= ATOL + RTOL * fabs(num))) {
                snprintf(msg, sizeof msg, "input %d element %lld: analytic %.10g, numerical %.10g", j,
                         (long long)k, ana, num);
                verdict = msg;
            }
        }
    }
done:
    for (int j = 0; j < nx; j++) {
        tensor_release(xs[j]);
        tensor_release(res[j]);
    }
    tensor_release(out);
    tensor_release(w);
    tsr_err_clear();
    return verdict;
}

#define N_CASES ((int)(sizeof cases / sizeof *cases))

static void test_sweep(void **state) {
    (void)state;
    int failed = 0;
    for (int i = 0; i < N_CASES; i++) {
        const char *v = run_case(&cases[i], 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1));
        if (v) {
            failed++;
            print_error("FAIL %s (case %d, inputs \"%s\"): %s\n", cases[i].node, i, cases[i].in, v);
        }
    }
    if (failed) fail_msg("%d of %d gradcheck cases failed", failed, N_CASES);
}

/* Every node kind with a formula (all but AccumulateGrad) has a case. */
static void test_every_formula_has_a_case(void **state) {
    (void)state;
    int missing = 0, names = 0;
    for (int k = 1; k < NODE_COUNT; k++) {
        if (k == NODE_AccumulateGrad) continue;
        names++;
        bool found = false;
        for (int i = 0; i < N_CASES && !found; i++) found = !strcmp(cases[i].node, ag_node_names[k]);
        if (!found) {
            missing++;
            print_error("no gradcheck case for %s\n", ag_node_names[k]);
        }
    }
    print_message("gradcheck sweep: %d formula nodes, %d cases\n", names, N_CASES);
    if (missing) fail_msg("%d formula nodes have no gradcheck case in test_backward_gradcheck.c", missing);
}

/* ------------------------------------------- non-differentiable points */

B(c_clamp_s) { return T(op_clamp(x[0], W(-1.0), W(2.0))); }
B(c_max_dim) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_max_dim(x[0], 1, false, &v, &i), &v, &i);
}
B(c_median_dim) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_median_dim(x[0], 1, false, &v, &i), &v, &i);
}
B(c_prod_dim) { return T(op_prod(x[0], 1, SH(1), false, DT_UNDEFINED)); }
B(c_norm2) { return T(op_vector_norm(x[0], 2, 1, SH(1), false, DT_UNDEFINED)); }
B(c_norm_inf) { return T(op_vector_norm(x[0], INFINITY, 0, NULL, false, DT_UNDEFINED)); }
B(c_topk) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_topk(x[0], 2, 0, true, true, &v, &i), &v, &i);
}
B(c_kthvalue) {
    Tensor *v = NULL, *i = NULL;
    return values_of(op_kthvalue(x[0], 2, 0, false, &v, &i), &v, &i);
}
B(c_amax) { return T(op_amax(x[0], 1, SH(1), false)); }

/* The gradient of out.sum() at chosen points, from PyTorch 1.13:
 * inputs are 1-D of 4 or 2-D (2, 3) (rows: number of rows, 0 = 1-D). */
typedef struct {
    const char *what;
    Build fn;
    int nx, rows;
    double in[3][6];
    double grad[3][6];
} Convention;

#define I3 INFINITY
static const Convention conventions[] = {
    {"abs at 0", b_abs, 1, 0, {{0, -1, 2, 3}}, {{0, -1, 1, 1}}},
    {"relu at 0", b_relu, 1, 0, {{0, -1, 2, 3}}, {{0, 0, 1, 1}}},
    {"sign", b_sign, 1, 0, {{0, -1, 2, 3}}, {{0, 0, 0, 0}}},
    {"floor at integers", b_floor, 1, 0, {{1, -1.5, 2, 0}}, {{0, 0, 0, 0}}},
    {"round at halves", b_round, 1, 0, {{0.5, 1.5, 2, -0.5}}, {{0, 0, 0, 0}}},
    {"sqrt at 0", b_sqrt, 1, 0, {{0, 4, 1, 0.25}}, {{I3, 0.25, 0.5, 1}}},
    {"maximum ties", b_maximum, 2, 0, {{1, 2, 3, 0}, {1, 0, 5, 0}}, {{0.5, 1, 0, 0.5}, {0.5, 0, 1, 0.5}}},
    {"minimum ties", b_minimum, 2, 0, {{1, 2, 3, 0}, {1, 0, 5, 0}}, {{0.5, 0, 1, 0.5}, {0.5, 1, 0, 0.5}}},
    {"clamp at its bounds", c_clamp_s, 1, 0, {{-1, 2, 3, 0.5}}, {{1, 1, 0, 1}}},
    {"clamp at tensor bounds", b_clamp_t, 3, 0, {{-1, 2, 3, 0.5}, {-1, -1, -1, -1}, {2, 2, 2, 2}},
     {{1, 1, 0, 1}, {0, 0, 0, 0}, {0, 0, 1, 0}}},
    {"amax ties", c_amax, 1, 2, {{1, 3, 3, 2, 2, 2}}, {{0, 0.5, 0.5, 1. / 3, 1. / 3, 1. / 3}}},
    {"max() ties", b_max_all, 1, 2, {{1, 3, 3, 2, 3, 0}}, {{0, 1. / 3, 1. / 3, 0, 1. / 3, 0}}},
    {"max(dim) ties", c_max_dim, 1, 2, {{1, 3, 3, 2, 2, 2}}, {{0, 1, 0, 1, 0, 0}}},
    {"median() ties", b_median_all, 1, 2, {{1, 0, -2, 3, 0, 0}}, {{0, 1. / 3, 0, 0, 1. / 3, 1. / 3}}},
    {"median(dim) ties", c_median_dim, 1, 2, {{1, 0, 0, 3, 3, 0}}, {{0, 0, 1, 1, 0, 0}}},
    {"prod with zeros", b_prod, 1, 2, {{1, 0, -2, 3, 4, 5}}, {{0, -120, 0, 0, 0, 0}}},
    {"prod(dim) with zeros", c_prod_dim, 1, 2, {{1, 0, 0, 3, 0, 5}}, {{0, 0, 0, 0, 15, 0}}},
    {"cumprod with zeros", b_cumprod, 1, 2, {{1, 0, -2, 3, 0, 0}}, {{1, -1, 0, 1, 3, 0}}},
    {"2-norm of zeros", c_norm2, 1, 2, {{0, 0, 0, 3, 4, 0}}, {{0, 0, 0, 0.6, 0.8, 0}}},
    {"inf-norm ties", c_norm_inf, 1, 2, {{1, -3, 3, 2, 2, 2}}, {{0, -0.5, 0.5, 0, 0, 0}}},
    {"nan_to_num", b_nan_to_num, 1, 0, {{1, INFINITY, NAN, -INFINITY}}, {{1, 0, 0, 0}}},
    {"topk ties", c_topk, 1, 0, {{1, 3, 3, 2}}, {{0, 1, 1, 0}}},
    {"kthvalue ties", c_kthvalue, 1, 0, {{1, 3, 3, 2}}, {{0, 0, 0, 1}}},
    {"std of a constant", b_std, 1, 0, {{2, 2, 2, 2}}, {{0, 0, 0, 0}}},
};

static void test_conventions(void **state) {
    (void)state;
    int failed = 0;
    for (size_t c = 0; c < sizeof conventions / sizeof *conventions; c++) {
        const Convention *cv = &conventions[c];
        Tensor *xs[3] = {0}, *res[3] = {0}, *out = NULL, *w = NULL;
        int64_t shape[2] = {cv->rows ? cv->rows : 4, 3};
        int nd = cv->rows ? 2 : 1;
        for (int j = 0; j < cv->nx; j++) {
            xs[j] = tensor_empty(DT_FLOAT64, nd, shape, device_cpu());
            memcpy(xs[j]->storage->data, cv->in[j], sizeof(double) * (size_t)tensor_numel(xs[j]));
            xs[j]->requires_grad = true;
        }
        out = build(cv->fn, xs);
        if (!out) {
            print_error("FAIL %s: %s\n", cv->what, case_err);
            failed++;
            goto next;
        }
        w = tensor_full_f64(DT_FLOAT64, out->ndim, out->shape, 1.0, device_cpu());
        if (!ag_grad(&out, &w, 1, xs, cv->nx, -1, false, true, res)) {
            print_error("FAIL %s: %s\n", cv->what, tsr_err_msg());
            failed++;
            goto next;
        }
        for (int j = 0; j < cv->nx; j++)
            for (int64_t k = 0; k < tensor_numel(xs[j]); k++) {
                double got = res[j] ? tensor_get_f64(res[j], k) : 0.0, want = cv->grad[j][k];
                if (got == want || fabs(got - want) <= 1e-12) continue;
                print_error("FAIL %s: input %d element %lld: got %.17g, PyTorch %.17g\n", cv->what, j,
                            (long long)k, got, want);
                failed++;
                j = cv->nx;
                break;
            }
    next:
        for (int j = 0; j < 3; j++) {
            tensor_release(xs[j]);
            tensor_release(res[j]);
        }
        tensor_release(out);
        tensor_release(w);
        tsr_err_clear();
    }
    if (failed) fail_msg("%d gradient conventions differ from PyTorch", failed);
}

/* dropout in training: the kept elements get grad / (1 - p), the dropped 0 */
static void test_dropout_grad(void **state) {
    (void)state;
    Tensor *x = tensor_full_f64(DT_FLOAT64, 2, SH(20, 30), 1.5, device_cpu());
    x->requires_grad = true;
    Tensor *y = op_nn_dropout(x, 0.25, true, false);
    assert_non_null(y);
    assert_string_equal(ag_node_name(y->grad_fn), "MulBackward0");
    Tensor *r = NULL;
    assert_false(ag_grad(&y, NULL, 1, &x, 1, -1, false, false, &r)); /* not a scalar */
    tsr_err_clear();
    Tensor *g = tensor_full_f64(DT_FLOAT64, 2, SH(20, 30), 1.0, device_cpu());
    assert_true(ag_grad(&y, &g, 1, &x, 1, -1, false, false, &r));
    int kept = 0;
    for (int64_t i = 0; i < 600; i++) {
        double yv = tensor_get_f64(y, i), gv = tensor_get_f64(r, i);
        if (yv != 0) {
            kept++;
            assert_true(fabs(yv - 2.0) < 1e-12 && fabs(gv - 1.0 / 0.75) < 1e-12);
        } else {
            assert_true(gv == 0);
        }
    }
    assert_true(kept > 380 && kept < 520);
    Tensor *same = op_nn_dropout(x, 0.0, true, false);
    assert_ptr_equal(same, x);
    tensor_release(same);
    tensor_release(r);
    tensor_release(g);
    tensor_release(y);
    tensor_release(x);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_formula_has_a_case),
        cmocka_unit_test(test_sweep),
        cmocka_unit_test(test_conventions),
        cmocka_unit_test(test_dropout_grad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
