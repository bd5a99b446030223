/* numpy_linalg.c: np.linalg (numpy/linalg/linalg.py of numpy 1.24): the
 * arguments, checks, result types and messages around ops/numpy_linalg.c
 * and the numpy reductions. */
#include <math.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "interp_internal.h"
#include "numpy.h"
#include "numpy_linalg.h"
#include "numpy_reduce.h"
#include "ops.h"

/* _makearray + _commonType: numpy computes in float64 (t) and casts the
 * result to float32 (result_t) when every input was float32 */
Tensor *np_la_array(Value *v)
{
    Tensor *t = np_tensor_of(v);
    if (!t || t->dtype == DT_FLOAT64) return t;
    if (dtype_is_complex(t->dtype)) { /* no complex LAPACK calls in tsr yet */
        tsr_raise(ERR_TypeError, "tsr's numpy has no complex loop for np.linalg yet (dtype('%s'))",
                  dtype_name(t->dtype));
        tensor_release(t);
        return NULL;
    }
    Tensor *c = tensor_to_dtype(t, DT_FLOAT64);
    tensor_release(t);
    return c;
}

/* the result cast to result_t (float32 when every input was) */
Tensor *np_la_result(Tensor *r, bool single)
{
    if (!r || !single) return r;
    Tensor *c = tensor_to_dtype(r, DT_FLOAT32);
    tensor_release(r);
    return c;
}

bool np_la_single(Value *v)
{
    Value *u = val_unwrap(v);
    return u->kind == VK_TENSOR && u->tensor->dtype == DT_FLOAT32;
}

/* _assert_stacked_2d and _assert_stacked_square */
bool np_la_square(const Tensor *t)
{
    if (t->ndim < 2) {
        tsr_raise(ERR_LinAlgError, "%d-dimensional array given. Array must be at least two-dimensional", t->ndim);
        return false;
    }
    if (t->shape[t->ndim - 1] != t->shape[t->ndim - 2]) {
        tsr_raise(ERR_LinAlgError, "%s", "Last 2 dimensions of the array must be square");
        return false;
    }
    return true;
}

static Tensor *square_arg(Value *v)
{
    Tensor *t = np_la_array(v);
    if (t && !np_la_square(t)) {
        tensor_release(t);
        return NULL;
    }
    return t;
}

static Value *la_det(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("det", "a");
    Tensor *t = square_arg(v_[0]);
    Tensor *r = t ? op_np_det(t) : NULL;
    tensor_release(t);
    return numpy_result_steal(np_la_result(r, np_la_single(v_[0])));
}

static Value *la_slogdet(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("slogdet", "a");
    Tensor *t = square_arg(v_[0]), *s = NULL, *l = NULL;
    bool ok = t && op_np_slogdet(t, &s, &l);
    tensor_release(t);
    if (!ok) return NULL;
    Value *tup = val_tuple_new(2);
    bool single = np_la_single(v_[0]);
    Value *sv = numpy_result_steal(np_la_result(s, single)), *lv = numpy_result_steal(np_la_result(l, single));
    if (!tup || !sv || !lv) {
        val_release(tup);
        val_release(sv);
        val_release(lv);
        return NULL;
    }
    tup->seq.items[0] = sv;
    tup->seq.items[1] = lv;
    return tup;
}

static Tensor *solve_or_raise(Tensor *A, Tensor *B)
{
    bool singular;
    Tensor *x = op_np_solve(A, B, &singular);
    if (singular) tsr_raise(ERR_LinAlgError, "%s", "Singular matrix");
    return x;
}

static Value *la_inv(Value *self, const CallArgs *a)
{
    ARGS(1);
    PARSE("inv", "a");
    Tensor *t = square_arg(v_[0]);
    if (!t) return NULL;
    int64_t m = t->shape[t->ndim - 1];
    Tensor *eye = op_eye(m, m, t->dtype, device_cpu());
    Tensor *r = eye ? solve_or_raise(t, eye) : NULL;
    Tensor *c = r ? tensor_contiguous(r) : NULL;
    tensor_release(eye);
    tensor_release(r);
    tensor_release(t);
    return numpy_result_steal(np_la_result(c, np_la_single(v_[0])));
}

static Value *la_solve(Value *self, const CallArgs *a)
{
    ARGS(2);
    PARSE("solve", "a, b");
    Tensor *A = np_la_array(v_[0]), *B = A ? np_la_array(v_[1]) : NULL;
    Tensor *x = NULL, *b2 = NULL;
    if (!B || !np_la_square(A)) goto done;
    int64_t m = A->shape[A->ndim - 1];
    bool vec = B->ndim == A->ndim - 1;
    if (vec) {
        if (B->ndim < 1) {
            tsr_raise(ERR_ValueError, "solve1: Input operand 1 does not have enough dimensions (has %d, gufunc core with signature (m,m),(m)->(m) requires 1)", B->ndim);
            goto done;
        }
        if (B->shape[B->ndim - 1] != m) {
            tsr_raise(ERR_ValueError, "solve1: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m)->(m) (size %lld is different from %lld)",
                      (long long)B->shape[B->ndim - 1], (long long)m);
            goto done;
        }
        b2 = op_unsqueeze(B, B->ndim);
    } else {
        if (B->ndim < 2) {
            tsr_raise(ERR_ValueError, "solve: Input operand 1 does not have enough dimensions (has %d, gufunc core with signature (m,m),(m,n)->(m,n) requires 2)", B->ndim);
            goto done;
        }
        if (B->shape[B->ndim - 2] != m) {
            tsr_raise(ERR_ValueError, "solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m,n)->(m,n) (size %lld is different from %lld)",
                      (long long)B->shape[B->ndim - 2], (long long)m);
            goto done;
        }
        b2 = tensor_retain(B);
    }
    if (!b2) goto done;
    Tensor *r = solve_or_raise(A, b2);
    if (r && vec) {
        int64_t last = r->ndim - 1;
        Tensor *sq = op_squeeze(r, 1, &last);
        tensor_release(r);
        r = sq;
    }
    x = r ? tensor_contiguous(r) : NULL;
    tensor_release(r);
done:
    tensor_release(A);
    tensor_release(B);
    tensor_release(b2);
    return numpy_result_steal(np_la_result(x, x && np_la_single(v_[0]) && np_la_single(v_[1])));
}

/* ------------------------------------------------------------ norm */

typedef enum { ORD_NONE, ORD_FRO, ORD_NUC, ORD_NUM, ORD_BAD } OrdKind;

static Tensor *abs_of(Tensor *x) { return op_unary(UN_ABS, x); }

/* sqrt(add.reduce(x * x, axes)) */
static Tensor *two_norm(Tensor *x, int nd, const int64_t *dims, bool keep)
{
    Tensor *sq = op_binary(BIN_MUL, x, x);
    Tensor *s = sq ? op_np_sum(sq, nd, dims, keep) : NULL;
    Tensor *r = s ? op_unary(UN_SQRT, s) : NULL;
    tensor_release(sq);
    tensor_release(s);
    return r;
}

static Tensor *vector_norm(Tensor *x, OrdKind k, double ord, int64_t dim, bool keep)
{
    if (k == ORD_NONE || (k == ORD_NUM && ord == 2)) return two_norm(x, 1, &dim, keep);
    Tensor *ax = abs_of(x), *r = NULL;
    if (!ax) return NULL;
    if (isinf(ord)) {
        r = ord > 0 ? op_amax(ax, 1, &dim, keep) : op_amin(ax, 1, &dim, keep);
    } else if (ord == 0) {
        Tensor *z = tensor_zeros(x->dtype, 0, NULL, device_cpu());
        Tensor *ne = z ? op_binary(BIN_NE, x, z) : NULL;
        Tensor *f = ne ? tensor_to_dtype(ne, x->dtype) : NULL;
        r = f ? op_np_sum(f, 1, &dim, keep) : NULL;
        tensor_release(z);
        tensor_release(ne);
        tensor_release(f);
    } else if (ord == 1) {
        r = op_np_sum(ax, 1, &dim, keep);
    } else {
        Tensor *p = op_np_pow_scalar(ax, ord);
        Tensor *s = p ? op_np_sum(p, 1, &dim, keep) : NULL;
        /* reciprocal(ord, dtype=ret.dtype) */
        double inv = x->dtype == DT_FLOAT32 ? (double)(1.0f / (float)ord) : 1.0 / ord;
        r = s ? op_np_pow_scalar(s, inv) : NULL;
        tensor_release(p);
        tensor_release(s);
    }
    tensor_release(ax);
    return r;
}

/* _multi_svd_norm: the singular values of x with the axes row, col moved
 * last (svd's float64, in x's dtype), then their sum (which 0), amax (1)
 * or amin (-1) */
static Tensor *svd_norm(Tensor *x, int64_t row, int64_t col, int which)
{
    int64_t perm[TSR_MAX_DIMS];
    int n = 0;
    for (int64_t i = 0; i < x->ndim; i++)
        if (i != row && i != col) perm[n++] = i;
    perm[n++] = row;
    perm[n++] = col;
    Tensor *y = op_permute(x, x->ndim, perm), *y64 = y ? tensor_to_dtype(y, DT_FLOAT64) : NULL;
    Tensor *U = NULL, *S = NULL, *Vh = NULL, *r = NULL;
    if (y64 && op_linalg_svd(y64, false, false, false, &U, &S, &Vh)) {
        Tensor *s = tensor_to_dtype(S, x->dtype);
        int64_t last = s ? s->ndim - 1 : 0;
        if (s) r = which == 0 ? op_np_sum(s, 1, &last, false) : which > 0 ? op_amax(s, 1, &last, false)
                                                                          : op_amin(s, 1, &last, false);
        tensor_release(s);
    }
    tensor_release(y);
    tensor_release(y64);
    tensor_release(U);
    tensor_release(S);
    tensor_release(Vh);
    return r;
}

static Tensor *matrix_norm(Tensor *x, OrdKind k, double ord, int64_t row, int64_t col, bool keep)
{
    int64_t both[2] = {row, col};
    Tensor *r = NULL;
    if (k == ORD_NONE || k == ORD_FRO) {
        r = two_norm(x, 2, both, false);
    } else if (k == ORD_NUC || (k == ORD_NUM && fabs(ord) == 2)) {
        r = svd_norm(x, row, col, k == ORD_NUC ? 0 : ord > 0 ? 1 : -1);
    } else if (k == ORD_NUM && (fabs(ord) == 1 || isinf(ord))) {
        Tensor *ax = abs_of(x);
        int64_t sum_axis = fabs(ord) == 1 ? row : col, ext_axis = fabs(ord) == 1 ? col : row;
        if (ext_axis > sum_axis) ext_axis--;
        Tensor *s = ax ? op_np_sum(ax, 1, &sum_axis, false) : NULL;
        r = s ? (ord > 0 ? op_amax(s, 1, &ext_axis, false) : op_amin(s, 1, &ext_axis, false)) : NULL;
        tensor_release(ax);
        tensor_release(s);
    } else {
        tsr_raise(ERR_ValueError, "%s", "Invalid norm order for matrices.");
        return NULL;
    }
    if (r && keep) {
        int64_t shape[TSR_MAX_DIMS];
        memcpy(shape, x->shape, sizeof(int64_t) * (size_t)x->ndim);
        shape[row] = shape[col] = 1;
        Tensor *rs = op_reshape(r, x->ndim, shape);
        tensor_release(r);
        r = rs;
    }
    return r;
}

static bool norm_ord(Value *v, OrdKind *k, double *ord)
{
    *ord = 0;
    if (!v || is_none(v)) return (*k = ORD_NONE), true;
    v = val_unwrap(v);
    if (v->kind == VK_STR) {
        *k = strcmp(v->str.s, "fro") == 0 || strcmp(v->str.s, "f") == 0 ? ORD_FRO
             : strcmp(v->str.s, "nuc") == 0                         ? ORD_NUC
                                                                     : ORD_BAD;
        return true;
    }
    *k = ORD_NUM;
    return arg_double(v, "norm", "ord", 0, ord);
}

static Value *la_norm(Value *self, const CallArgs *a)
{
    ARGS(4);
    PARSE("norm", "x, ord=, axis=, keepdims=");
    bool keep;
    OrdKind k;
    double ord;
    if (!arg_bool(v_[3], "norm", "keepdims", false, &keep) || !norm_ord(v_[1], &k, &ord)) return NULL;
    Tensor *x0 = np_tensor_of(v_[0]);
    if (!x0) return NULL;
    Tensor *x = dtype_is_float(x0->dtype) && x0->dtype != DT_FLOAT16 && x0->dtype != DT_BFLOAT16
                    ? tensor_retain(x0)
                    : tensor_to_dtype(x0, DT_FLOAT64);
    tensor_release(x0);
    if (!x) return NULL;
    Tensor *r = NULL;
    int nd = x->ndim;
    Value *axv = v_[2] && !is_none(v_[2]) ? val_unwrap(v_[2]) : NULL;
    if (!axv && (k == ORD_NONE || (k == ORD_FRO && nd == 2) || (k == ORD_NUM && ord == 2 && nd == 1))) {
        /* sqrt(x.ravel().dot(x.ravel())) */
        int64_t m1 = -1;
        Tensor *flat = op_reshape(x, 1, &m1);
        Tensor *d = flat ? op_matmul(flat, flat) : NULL;
        r = d ? op_unary(UN_SQRT, d) : NULL;
        tensor_release(flat);
        tensor_release(d);
        if (r && keep) {
            int64_t ones[TSR_MAX_DIMS];
            for (int i = 0; i < nd; i++) ones[i] = 1;
            Tensor *rs = op_reshape(r, nd, ones);
            tensor_release(r);
            r = rs;
        }
        tensor_release(x);
        return numpy_result_steal(r);
    }
    int64_t axes[TSR_MAX_DIMS];
    int na = 0;
    if (!axv) {
        for (int i = 0; i < nd && i < TSR_MAX_DIMS; i++) axes[na++] = i;
    } else if (axv->kind == VK_TUPLE || axv->kind == VK_LIST) {
        for (int64_t i = 0; i < axv->seq.len && na < 3; i++)
            if (!val_as_int(axv->seq.items[i], &axes[na++])) goto done;
        if (axv->seq.len > 2) na = 3;
    } else if (!np_arg_dim(axv, &axes[na++])) {
        tsr_raise(ERR_TypeError, "%s", "'axis' must be None, an integer or a tuple of integers");
        goto done;
    }
    for (int i = 0; i < na && i < 2; i++) {
        if (axes[i] < -nd || axes[i] >= nd) {
            tsr_raise(ERR_AxisError, "axis %lld is out of bounds for array of dimension %d", (long long)axes[i], nd);
            goto done;
        }
        if (axes[i] < 0) axes[i] += nd;
    }
    if (na == 1) {
        if (k == ORD_FRO || k == ORD_NUC || k == ORD_BAD) {
            Value *s = val_str_of(val_unwrap(v_[1]));
            if (s) tsr_raise(ERR_ValueError, "Invalid norm order '%s' for vectors", s->str.s);
            val_release(s);
            goto done;
        }
        r = vector_norm(x, k, ord, axes[0], keep);
    } else if (na == 2) {
        if (axes[0] == axes[1]) {
            tsr_raise(ERR_ValueError, "%s", "Duplicate axes given.");
            goto done;
        }
        if (k == ORD_BAD) {
            tsr_raise(ERR_ValueError, "%s", "Invalid norm order for matrices.");
            goto done;
        }
        r = matrix_norm(x, k, ord, axes[0], axes[1], keep);
    } else {
        tsr_raise(ERR_ValueError, "%s", "Improper number of dimensions to norm.");
    }
done:
    tensor_release(x);
    return numpy_result_steal(r);
}

/* matrix_power: numpy's binary decomposition (the same as torch's) */
static Value *la_matrix_power(Value *self, const CallArgs *a)
{
    ARGS(2);
    PARSE("matrix_power", "a, n");
    Tensor *t = np_tensor_of(v_[0]);
    if (!t) return NULL;
    Tensor *r = NULL;
    int64_t n;
    Value *nv = val_unwrap(v_[1]);
    if (!np_la_square(t)) goto done;
    if (nv->kind != VK_INT && nv->kind != VK_BOOL &&
        !(nv->kind == VK_TENSOR && nv->tensor->ndim == 0 && !dtype_is_float(nv->tensor->dtype))) {
        tsr_raise(ERR_TypeError, "%s", "exponent must be an integer");
        goto done;
    }
    if (!np_arg_dim(nv, &n)) goto done;
    if (n < 0) {
        Tensor *f = np_la_array(v_[0]);
        int64_t m = f ? f->shape[f->ndim - 1] : 0;
        Tensor *eye = f ? op_eye(m, m, f->dtype, device_cpu()) : NULL;
        Tensor *inv = eye ? solve_or_raise(f, eye) : NULL;
        r = inv ? np_la_result(op_linalg_matrix_power(inv, -n), np_la_single(v_[0])) : NULL;
        tensor_release(f);
        tensor_release(eye);
        tensor_release(inv);
    } else {
        r = op_linalg_matrix_power(t, n);
    }
    if (r) {
        Tensor *c = tensor_contiguous(r);
        tensor_release(r);
        r = c;
    }
done:
    tensor_release(t);
    return numpy_result_steal(r);
}

/* np.linalg.lstsq(a, b, rcond="warn"): (x, residuals, rank, s) as numpy's
 * linalg.py builds them on umath_linalg's gelsd; a 2-d, b 1-d or 2-d (the
 * stacked forms are not covered); rcond absent is numpy's old default -1
 * (its FutureWarning is not printed) */
static Value *la_lstsq(Value *self, const CallArgs *a)
{
    ARGS(3);
    PARSE("lstsq", "a, b, rcond=");
    bool single = np_la_single(v_[0]) && np_la_single(v_[1]);
    double rcond = -1;
    bool rcond_none = v_[2] && is_none(v_[2]);
    if (v_[2] && !rcond_none && !arg_double(v_[2], "lstsq", "rcond", -1, &rcond)) return NULL;
    Tensor *A = np_la_array(v_[0]), *B = A ? np_la_array(v_[1]) : NULL, *b2 = NULL, *ca = NULL, *cb = NULL;
    Tensor *X = NULL, *R = NULL, *S = NULL;
    Value *out = NULL;
    if (!B) goto done;
    bool is_1d = B->ndim == 1;
    b2 = is_1d ? op_unsqueeze(B, 1) : tensor_retain(B);
    if (!b2) goto done;
    Tensor *both[2] = {A, b2};
    for (int i = 0; i < 2; i++)
        if (both[i]->ndim != 2) {
            tsr_raise(ERR_LinAlgError, "%d-dimensional array given. Array must be two-dimensional", both[i]->ndim);
            goto done;
        }
    int64_t m = A->shape[0], n = A->shape[1];
    if (b2->shape[0] != m) {
        tsr_raise(ERR_LinAlgError, "%s", "Incompatible dimensions");
        goto done;
    }
    if (rcond_none) rcond = 2.220446049250313e-16 * (double)(m > n ? m : n);
    int64_t rank = 0;
    ca = tensor_contiguous(A);
    cb = ca ? tensor_contiguous(b2) : NULL;
    if (!cb || !op_np_lstsq(ca, cb, rcond, &X, &R, &rank, &S)) goto done;
    if (is_1d) {
        int64_t last = 1;
        Tensor *sq = op_squeeze(X, 1, &last), *c = sq ? tensor_contiguous(sq) : NULL;
        tensor_release(sq);
        tensor_release(X);
        X = c;
    }
    if (X && (rank != n || m <= n)) {
        int64_t zero = 0;
        tensor_release(R);
        R = tensor_empty(DT_FLOAT64, 1, &zero, device_cpu());
    }
    X = np_la_result(X, single);
    R = np_la_result(R, single);
    S = np_la_result(S, single);
    if (!X || !R || !S) goto done;
    out = val_tuple_new(4);
    if (out) {
        out->seq.items[0] = ndarray_from_tensor_steal(X);
        out->seq.items[1] = ndarray_from_tensor_steal(R);
        out->seq.items[2] = val_int(rank);
        out->seq.items[3] = ndarray_from_tensor_steal(S);
        X = R = S = NULL;
        for (int i = 0; i < 4; i++)
            if (!out->seq.items[i]) {
                val_release(out);
                out = NULL;
                break;
            }
    }
done:
    tensor_release(A);
    tensor_release(B);
    tensor_release(b2);
    tensor_release(ca);
    tensor_release(cb);
    tensor_release(X);
    tensor_release(R);
    tensor_release(S);
    return out;
}

extern const Builtin numpy_linalg_decomp_functions[]; /* numpy_linalg_decomp.c */

static const Builtin numpy_linalg_functions[] = {
    {"det", la_det},       {"slogdet", la_slogdet}, {"inv", la_inv},
    {"solve", la_solve},   {"norm", la_norm},       {"matrix_power", la_matrix_power},
    {"lstsq", la_lstsq},
    {NULL, NULL},
};

bool stdlib_numpy_linalg_open(Value *module)
{
    return module_install(module, numpy_linalg_functions) && module_install(module, numpy_linalg_decomp_functions) &&
           dict_set(module->module.members, "LinAlgError", class_of_error(ERR_LinAlgError));
}
