/* linalg.c: the matrix products (matmul, mm, bmm, mv, dot, vdot, inner,
 * outer, addmm, tensordot, einsum), cross and kron, the triangles and
 * diagonals of matrices (tril, triu, diag, diagonal, trace), and
 * torch.linalg (norm, vector_norm, matrix_norm). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* ---- matrix products */

static Tensor *mv_checked(Tensor *m, Tensor *v) {
    if (m->ndim != 2 || v->ndim != 1) {
        tsr_raise(ERR_RuntimeError, "vector + matrix @ vector expected, got 1, %d, %d", m->ndim, v->ndim);
        return NULL;
    }
    return op_matmul(m, v);
}

static Value *bi_matmul(Value *self, const CallArgs *a) { return tensor_op2("matmul", "input", "other", op_matmul, self, a); }
static Value *bi_mm(Value *self, const CallArgs *a) { return tensor_op2("mm", "input", "mat2", op_mm, self, a); }
static Value *bi_bmm(Value *self, const CallArgs *a) { return tensor_op2("bmm", "input", "mat2", op_bmm, self, a); }
static Value *bi_mv(Value *self, const CallArgs *a) { return tensor_op2("mv", "input", "vec", mv_checked, self, a); }
static Value *bi_dot(Value *self, const CallArgs *a) { return tensor_op2("dot", "input", "other", op_dot, self, a); }

static Value *bi_inner(Value *self, const CallArgs *a) { return tensor_op2("inner", "input", "other", op_inner, self, a); }
static Value *bi_outer(Value *self, const CallArgs *a) { return tensor_op2("outer", "input", "vec2", op_outer, self, a); }

static Value *bi_vdot(Value *self, const CallArgs *a) { return tensor_op2("vdot", "input", "other", op_vdot, self, a); }

static Value *addmm_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, fn, "input, mat1, mat2, *, beta=, alpha=", v)) return NULL;
    double beta, alpha;
    if (!arg_double(v[3], fn, "beta", 1, &beta) || !arg_double(v[4], fn, "alpha", 1, &alpha))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *m1 = x ? arg_tensor(v[1], fn, "mat1") : NULL;
    Tensor *m2 = m1 ? arg_tensor(v[2], fn, "mat2") : NULL;
    Tensor *r = NULL;
    if (!inplace) {
        r = m2 ? op_addmm(x, m1, m2, beta, alpha) : NULL;
    } else if (m2 && m1->ndim == 2 && m2->ndim == 2 && m1->shape[1] == m2->shape[0] &&
               (x->ndim != 2 || x->shape[0] != m1->shape[0] || x->shape[1] != m2->shape[1])) {
        /* a valid product whose shape is not self's: the in-place size error
         * (PyTorch checks the product before expanding self) */
        char sx[256];
        shape_str(x, sx, sizeof sx);
        tsr_raise(ERR_RuntimeError, "Bad in-place call: input tensor size %s and output tensor size [%lld, %lld] should match",
                  sx, (long long)m1->shape[0], (long long)m2->shape[1]);
    } else if (m2 && op_inplace_allowed(x)) {
        Tensor *ins[3] = {x, m1, m2};
        Tensor *s = op_inplace_standin(x, ag_any_requires_grad(ins, 3));
        if (s) r = commit_inplace(x, op_addmm(s, m1, m2, beta, alpha), SIZE_FMT);
        tensor_release(s);
    }
    tensor_release(x);
    tensor_release(m1);
    tensor_release(m2);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}

static Value *bi_addmm(Value *self, const CallArgs *a) { return addmm_common("addmm", false, self, a); }
static Value *bi_addmm_(Value *self, const CallArgs *a) { return addmm_common("addmm_", true, self, a); }

/* A list/tuple of ints (dims_self: position 3, dims_other: position 4) */
static bool int_list(Value *v, int64_t *out, int *n, bool second) {
    if ((v->kind == VK_LIST || v->kind == VK_TUPLE) && v->seq.len <= TSR_MAX_DIMS) {
        for (int64_t i = 0; i < v->seq.len; i++) {
            Value *e = v->seq.items[i];
            if (e->kind != VK_INT) goto bad;
            out[i] = e->i;
        }
        *n = (int)v->seq.len;
        return true;
    }
bad:
    tsr_raise(ERR_TypeError, "tensordot(): argument '%s' (position %d) must be tuple of ints, not %s",
              second ? "dims_other" : "dims_self", second ? 4 : 3, val_type_name(v));
    return false;
}

/* torch.tensordot(a, b, dims=2, out=None) (torch/functional.py) */
static Value *bi_tensordot(Value *self, const CallArgs *a) {
    Value *v[4];
    if (!args_parse(a, 0, "tensordot", "a, b, dims=, out=", v)) return NULL;
    Value *dv = v[2];
    int64_t d1[TSR_MAX_DIMS], d2[TSR_MAX_DIMS];
    int n1 = 0, n2 = 0;
    if (v[3] && v[3]->kind != VK_NONE) {
        tsr_raise(ERR_RuntimeError, "%s", "tsr: tensordot(out=) is not supported");
        return NULL;
    }
    int64_t count = 2;
    bool have_count = !dv;
    if (dv && dv->kind == VK_INT) {
        count = dv->i;
        have_count = true;
    } else if (dv && dv->kind == VK_TENSOR && tensor_numel(dv->tensor) <= 1) {
        count = tensor_get_i64(dv->tensor, 0);
        have_count = true;
    } else if (dv && (dv->kind == VK_LIST || dv->kind == VK_TUPLE)) {
        if (dv->seq.len != 2) {
            tsr_raise(ERR_ValueError, "%s %lld)", dv->seq.len > 2 ? "too many values to unpack (expected 2, got" :
                      "not enough values to unpack (expected 2, got", (long long)dv->seq.len);
            return NULL;
        }
        if (!int_list(dv->seq.items[0], d1, &n1, false) || !int_list(dv->seq.items[1], d2, &n2, true)) return NULL;
    } else if (dv && dv->kind == VK_TENSOR) {
        Tensor *t = dv->tensor;
        if (t->ndim != 2 || t->shape[0] != 2 || t->shape[1] > TSR_MAX_DIMS) {
            tsr_raise(ERR_RuntimeError, "%s", "tensordot: dims tensor must have shape [2, n]");
            return NULL;
        }
        n1 = n2 = (int)t->shape[1];
        for (int i = 0; i < n1; i++) {
            d1[i] = tensor_get_i64(t, i);
            d2[i] = tensor_get_i64(t, n1 + i);
        }
    } else if (dv) {
        Value *r = val_repr(dv);
        tsr_raise(ERR_RuntimeError,
                  "tensordot expects dims to be int or Tuple[List[int], List[int]] or List[List[int]] containing "
                  "two lists, but got dims=%s",
                  r && r->kind == VK_STR ? r->str.s : "?");
        val_release(r);
        return NULL;
    }
    if (have_count) {
        if (count < 0) {
            if (dv && dv->kind == VK_TENSOR) {
                tsr_raise(ERR_RuntimeError, "tensordot expects dims >= 0, but got dims=tensor(%lld)", (long long)count);
            } else {
                tsr_raise(ERR_RuntimeError, "tensordot expects dims >= 0, but got dims=%lld", (long long)count);
            }
            return NULL;
        }
        if (count > TSR_MAX_DIMS) count = TSR_MAX_DIMS + 1;
        n1 = n2 = (int)(count > TSR_MAX_DIMS ? TSR_MAX_DIMS : count);
        for (int i = 0; i < n1; i++) {
            d1[i] = i - n1;
            d2[i] = i;
        }
    }
    Tensor *x = arg_tensor(v[0], "tensordot", "a");
    Tensor *y = x ? arg_tensor(v[1], "tensordot", "b") : NULL;
    Tensor *r = y ? op_tensordot(x, y, n1, d1, n2, d2) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

/* ---- einsum */

static Value *bi_einsum(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "einsum() got an unexpected keyword argument '%s'", a->kwnames[0]);
        return NULL;
    }
    if (a->nargs < 2 || a->args[0]->kind != VK_STR) {
        tsr_raise(ERR_ValueError, "%s",
                  "einsum(): must specify the equation string and at least one operand, or at least one "
                  "operand and its subscripts list");
        return NULL;
    }
    Tensor **ts = NULL;
    int n;
    if (a->nargs == 2 && (a->args[1]->kind == VK_LIST || a->args[1]->kind == VK_TUPLE)) {
        n = arg_tensor_list(a->args[1], "einsum", &ts);
        if (n < 0) return NULL;
    } else {
        n = a->nargs - 1;
        ts = tsr_calloc((size_t)n, sizeof *ts);
        if (!ts) return NULL;
        for (int i = 0; i < n; i++) {
            ts[i] = arg_tensor(a->args[i + 1], "einsum", "operands");
            if (!ts[i]) {
                tensor_list_release(ts, n);
                return NULL;
            }
        }
    }
    if (n == 0) {
        tensor_list_release(ts, n);
        tsr_raise(ERR_ValueError, "%s",
                  "einsum(): must specify the equation string and at least one operand, or at least one "
                  "operand and its subscripts list");
        return NULL;
    }
    Tensor *r = op_einsum(a->args[0]->str.s, ts, n);
    tensor_list_release(ts, n);
    return wrap_tensor(r);
}

/* ---- cross, kron */

/* cross(input, other, dim=None) */
static Value *bi_cross(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "cross", "input, other, dim=", v)) return NULL;
    int64_t dim = 0;
    bool has_dim = !is_none(v[2]);
    if (has_dim && !arg_int(v[2], "cross", "dim", 0, &dim)) return NULL;
    Tensor *x = arg_tensor(v[0], "cross", "input");
    Tensor *y = x ? arg_tensor(v[1], "cross", "other") : NULL;
    Tensor *r = y ? op_cross(x, y, has_dim, dim) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

static Value *bi_kron(Value *self, const CallArgs *a) { return tensor_op2("kron", "input", "other", op_kron, self, a); }

/* ---- triangles and diagonals: tril/triu/diag/diagonal/trace */

static Value *tril_common(const char *fn, bool upper, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, fn, "input, diagonal=", v)) return NULL;
    int64_t k;
    if (!arg_int(v[1], fn, "diagonal", 0, &k)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *r = x ? op_tril(x, k, upper) : NULL;
    if (r && inplace) {
        bool ok = tensor_copy_(x, r);
        if (ok) x->storage->version++;
        tensor_release(r);
        tensor_release(x);
        return ok ? val_retain(a->args[0]) : NULL;
    }
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_tril(Value *self, const CallArgs *a) { return tril_common("tril", false, false, self, a); }
static Value *bi_triu(Value *self, const CallArgs *a) { return tril_common("triu", true, false, self, a); }
static Value *bi_tril_(Value *self, const CallArgs *a) { return tril_common("tril_", false, true, self, a); }
static Value *bi_triu_(Value *self, const CallArgs *a) { return tril_common("triu_", true, true, self, a); }

static Value *bi_diag(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, "diag", "input, diagonal=", v)) return NULL;
    int64_t k;
    if (!arg_int(v[1], "diag", "diagonal", 0, &k)) return NULL;
    Tensor *x = arg_tensor(v[0], "diag", "input");
    Tensor *r = x ? op_diag(x, k) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

/* torch.block_diag(*tensors) */
static Value *bi_block_diag(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "block_diag() got an unexpected keyword argument '%s'", a->kwnames[0]);
        return NULL;
    }
    Tensor *ts[ARGS_MAX];
    int n = 0;
    for (; n < a->nargs; n++) {
        if (a->args[n]->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "expected Tensor as element %d in argument 0, but got %s", n,
                      val_type_name(a->args[n]));
            break;
        }
        ts[n] = a->args[n]->tensor;
    }
    return n < a->nargs ? NULL : wrap_tensor(op_block_diag(ts, n));
}

/* diagonal(input, offset=0, dim1=0, dim2=1) and diag_embed(input, offset=0,
 * dim1=-2, dim2=-1) */
static Value *diagonal_common(const char *fn, int64_t dim1, int64_t dim2,
                              Tensor *(*op)(Tensor *, int64_t, int64_t, int64_t), Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, offset=, dim1=, dim2=", v)) return NULL;
    int64_t off, d1, d2;
    if (!arg_int(v[1], fn, "offset", 0, &off) || !arg_int(v[2], fn, "dim1", dim1, &d1) ||
        !arg_int(v[3], fn, "dim2", dim2, &d2))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *r = x ? op(x, off, d1, d2) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}
static Value *bi_diagonal(Value *self, const CallArgs *a) { return diagonal_common("diagonal", 0, 1, op_diagonal, self, a); }
static Value *bi_diag_embed(Value *self, const CallArgs *a) {
    return diagonal_common("diag_embed", -2, -1, op_diag_embed, self, a);
}

static Value *bi_trace(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, "trace", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "trace", "input");
    Tensor *r = x ? op_trace(x) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

/* ---- torch.linalg */

/* ord: None, a number, inf, or 'fro'/'nuc' (str: *is_str set) */
static bool parse_ord(Value *v, const char *fn, double dflt, double *ord, const char **str) {
    *str = NULL;
    *ord = dflt;
    if (is_none(v)) return true;
    if (v->kind == VK_STR) {
        *str = v->str.s;
        return true;
    }
    return arg_double(v, fn, "ord", dflt, ord);
}

static Tensor *matrix_norm(Tensor *x, double ord, const char *sord, int64_t d0, int64_t d1, bool keepdim,
                           DType dt) {
    if (x->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "%s", "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
        return NULL;
    }
    int64_t dims[2] = {d0, d1};
    if (sord && !strcmp(sord, "fro")) return op_vector_norm(x, 2, 2, dims, keepdim, dt);
    if (sord) {
        if (!strcmp(sord, "nuc")) {
            tsr_raise(ERR_NotImplementedError, "%s", "linalg.matrix_norm: ord='nuc' (SVD) is not supported yet");
        } else {
            tsr_raise(ERR_RuntimeError, "linalg.matrix_norm: Order %s not supported.", sord);
        }
        return NULL;
    }
    if (ord == 2 || ord == -2) {
        tsr_raise(ERR_NotImplementedError, "%s", "linalg.matrix_norm: ord=2 (SVD) is not supported yet");
        return NULL;
    }
    if (!(ord == 1 || ord == -1 || isinf(ord))) {
        tsr_raise(ERR_RuntimeError, "linalg.matrix_norm: Order %g not supported.", ord);
        return NULL;
    }
    /* 1: max column sum (sum over d0, then max over d1); inf: rows */
    int w0 = wrap_dim(d0, x->ndim), w1 = w0 < 0 ? -1 : wrap_dim(d1, x->ndim);
    if (w0 < 0 || w1 < 0) return NULL;
    int64_t sd = isinf(ord) ? w1 : w0, md = isinf(ord) ? w0 : w1;
    Tensor *ax = op_unary(UN_ABS, x), *s = ax ? op_sum(ax, 1, &sd, true, dt) : NULL;
    Tensor *m = s ? (ord > 0 ? op_amax(s, 1, &md, true) : op_amin(s, 1, &md, true)) : NULL;
    Tensor *r = NULL;
    if (m) {
        int64_t both[2] = {w0, w1};
        r = keepdim ? tensor_retain(m) : op_squeeze(m, 2, both);
    }
    tensor_release(ax);
    tensor_release(s);
    tensor_release(m);
    return r;
}

static Value *bi_linalg_vector_norm(Value *self, const CallArgs *a) {
    Value *v[5];
    if (!args_parse(a, 0, "linalg_vector_norm", "input, ord=, dim=, keepdim=, *, dtype=", v)) return NULL;
    double ord;
    const char *sord;
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    bool keepdim;
    DType dt;
    if (!parse_ord(v[1], "linalg_vector_norm", 2, &ord, &sord) || !arg_dims(v[2], "linalg_vector_norm", dims, &nd) ||
        !arg_bool(v[3], "linalg_vector_norm", "keepdim", false, &keepdim) || !arg_dtype(v[4], "linalg_vector_norm", &dt))
        return NULL;
    if (sord) {
        tsr_raise(ERR_TypeError, "linalg_vector_norm(): argument 'ord' must be Number, not str");
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "linalg_vector_norm", "input");
    Tensor *r = x ? op_vector_norm(x, ord, nd, dims, keepdim, dt) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_linalg_matrix_norm(Value *self, const CallArgs *a) {
    Value *v[5];
    if (!args_parse(a, 0, "linalg_matrix_norm", "input, ord=, dim=, keepdim=, *, dtype=", v)) return NULL;
    double ord;
    const char *sord;
    int64_t dims[TSR_MAX_DIMS] = {-2, -1};
    int nd = 2;
    bool keepdim;
    DType dt;
    if (!parse_ord(v[1], "linalg_matrix_norm", 0, &ord, &sord) ||
        (!is_none(v[2]) && !arg_dims(v[2], "linalg_matrix_norm", dims, &nd)) ||
        !arg_bool(v[3], "linalg_matrix_norm", "keepdim", false, &keepdim) ||
        !arg_dtype(v[4], "linalg_matrix_norm", &dt))
        return NULL;
    if (is_none(v[1])) sord = "fro";
    if (nd != 2) {
        tsr_raise(ERR_RuntimeError, "%s", "linalg.matrix_norm: dim must be a 2-tuple. Got");
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "linalg_matrix_norm", "input");
    Tensor *r = x ? matrix_norm(x, ord, sord, dims[0], dims[1], keepdim, dt) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_linalg_norm(Value *self, const CallArgs *a) {
    Value *v[5];
    if (!args_parse(a, 0, "linalg_norm", "input, ord=, dim=, keepdim=, *, dtype=", v)) return NULL;
    double ord;
    const char *sord;
    int64_t dims[TSR_MAX_DIMS];
    int nd;
    bool keepdim;
    DType dt;
    if (!parse_ord(v[1], "linalg_norm", 2, &ord, &sord) || !arg_dims(v[2], "linalg_norm", dims, &nd) ||
        !arg_bool(v[3], "linalg_norm", "keepdim", false, &keepdim) || !arg_dtype(v[4], "linalg_norm", &dt))
        return NULL;
    Tensor *x = arg_tensor(v[0], "linalg_norm", "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    if (!is_none(v[2])) {
        if (nd == 1 && !sord) r = op_vector_norm(x, ord, 1, dims, keepdim, dt);
        else if (nd == 2) r = matrix_norm(x, ord, sord ? sord : (is_none(v[1]) ? "fro" : NULL), dims[0], dims[1], keepdim, dt);
        else tsr_raise(ERR_RuntimeError, "linalg.norm: If dim is specified, it must be of length 1 or 2. Got [%d dims]", nd);
    } else if (is_none(v[1])) {
        r = op_vector_norm(x, 2, 0, NULL, keepdim, dt);
    } else if (x->ndim == 2) {
        r = matrix_norm(x, ord, sord, -2, -1, keepdim, dt);
    } else if (x->ndim == 1 && !sord) {
        r = op_vector_norm(x, ord, 0, NULL, keepdim, dt);
    } else {
        tsr_raise(ERR_RuntimeError,
                  "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got %dD.", x->ndim);
    }
    tensor_release(x);
    return wrap_tensor(r);
}

const Builtin linalg_module_functions[] = {
    {"norm", bi_linalg_norm},
    {"vector_norm", bi_linalg_vector_norm},
    {"matrix_norm", bi_linalg_matrix_norm},
    {NULL, NULL},
};

#define LINALG_ENTRIES                                                           \
    {"matmul", bi_matmul}, {"mm", bi_mm}, {"bmm", bi_bmm}, {"mv", bi_mv},        \
    {"dot", bi_dot}, {"vdot", bi_vdot}, {"inner", bi_inner},                     \
    {"outer", bi_outer}, {"ger", bi_outer}, {"addmm", bi_addmm},                 \
    {"cross", bi_cross}, {"kron", bi_kron}, {"tril", bi_tril}, {"triu", bi_triu}, \
    {"diag", bi_diag}, {"diagonal", bi_diagonal}, {"trace", bi_trace},           \
    {"diag_embed", bi_diag_embed},

const Builtin linalg_functions[] = {
    LINALG_ENTRIES
    {"tensordot", bi_tensordot},
    {"einsum", bi_einsum},
    {"block_diag", bi_block_diag},
    {NULL, NULL},
};

const Builtin linalg_methods[] = {
    LINALG_ENTRIES
    {"addmm_", bi_addmm_},
    {"tril_", bi_tril_},
    {"triu_", bi_triu_},
    {NULL, NULL},
};
