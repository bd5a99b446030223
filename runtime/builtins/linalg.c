/* linalg.c: the matrix products (matmul, mm, bmm, mv, dot, vdot, inner,
 * outer, addmm, tensordot, einsum), cross and kron, the triangles and
 * diagonals of matrices (tril, triu, diag, diagonal, trace), and
 * torch.linalg (norm, vector_norm, matrix_norm). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "linalg_args.h"
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

/* einsum(op0, sublist0, op1, sublist1, ..., [sublist_out]): the subscript
 * lists as the equation torch.functional.einsum makes of them (0-25 are
 * A-Z, 26-51 a-z, Ellipsis is ...) */
static bool einsum_sublist(StrBuf *eq, Value *list) {
    Value *items = iterate_to_list(list);
    if (!items) return false;
    bool ok = true;
    for (int64_t i = 0; ok && i < items->seq.len; i++) {
        Value *s = items->seq.items[i];
        bool is_int = s->kind == VK_INT || s->kind == VK_BOOL;
        double v = s->kind == VK_FLOAT ? s->f : s->kind == VK_INT ? (double)s->i : s->kind == VK_BOOL ? s->b : 0;
        if (s->kind == VK_ELLIPSIS) {
            ok = sb_appends(eq, "...");
        } else if (!is_int && s->kind != VK_FLOAT) {
            tsr_raise(ERR_TypeError, "'>=' not supported between instances of '%s' and 'int'", val_type_name(s));
            ok = false;
        } else if (!(v >= 0 && v < 52)) {
            tsr_raise(ERR_ValueError, "%s", "einsum(): subscript in subscript list is not within the valid range [0, 52)");
            ok = false;
        } else if (!is_int) { /* chr(ord('A') + 3.0) */
            tsr_raise(ERR_TypeError, "%s", "'float' object cannot be interpreted as an integer");
            ok = false;
        } else {
            int n = (int)v;
            ok = sb_printf(eq, "%c", n < 26 ? (char)('A' + n) : (char)('a' + n - 26));
        }
    }
    val_release(items);
    return ok;
}

static Value *bi_einsum(Value *self, const CallArgs *a);

static Value *einsum_sublists(const CallArgs *a) {
    StrBuf eq = {0};
    int nops = (a->nargs + 1) / 2 - (a->nargs % 2 == 1);
    bool ok = true;
    for (int i = 0; ok && i < nops; i++)
        ok = (!i || sb_appends(&eq, ",")) && einsum_sublist(&eq, a->args[2 * i + 1]);
    if (ok && a->nargs % 2 == 1) ok = sb_appends(&eq, "->") && einsum_sublist(&eq, a->args[a->nargs - 1]);
    if (ok && !eq.data) ok = sb_appends(&eq, "");
    Value **args = ok ? tsr_calloc((size_t)nops + 1, sizeof *args) : NULL;
    Value *r = NULL;
    if (args && (args[0] = val_str(eq.data, eq.len))) {
        for (int i = 0; i < nops; i++) args[i + 1] = a->args[2 * i];
        r = bi_einsum(NULL, &(CallArgs){args, nops + 1, NULL, NULL, 0});
        val_release(args[0]);
    }
    free(args);
    pybuf_free(&eq);
    return r;
}

static Value *bi_einsum(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "einsum() got an unexpected keyword argument '%s'", a->kwnames[0]);
        return NULL;
    }
    if (a->nargs >= 2 && a->args[0]->kind == VK_TENSOR) return einsum_sublists(a);
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
    if (x && inplace) {
        Tensor *s = op_inplace_begin(x);
        Tensor *r = s ? op_tril(s, k, upper) : NULL;
        tensor_release(s);
        r = r ? op_inplace_commit(x, r) : NULL;
        tensor_release(x);
        return inplace_result(a->args[0], r);
    }
    Tensor *r = x ? op_tril(x, k, upper) : NULL;
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

/* ---- multi_dot, chain_matmul, vecdot (LinearAlgebra.cpp) */

/* multi_dot_impl: the 1-D ends viewed as a row / column, every pair
 * checked, then mm in the order of least cost (the matrix chain order for
 * more than three, evaluated with an explicit stack) and viewed back */
static Tensor *multi_dot(Tensor **in, int n) {
    if (n < 2) {
        tsr_raise(ERR_RuntimeError, "multi_dot(): expected at least 2 tensors but got %d", n);
        return NULL;
    }
    int64_t out_shape[2];
    int out_nd = 0;
    if (in[0]->ndim != 1 && in[0]->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "multi_dot(): the first tensor must be 1D or 2D but got %dD", in[0]->ndim);
        return NULL;
    }
    if (in[0]->ndim == 2) out_shape[out_nd++] = in[0]->shape[0];
    if (in[n - 1]->ndim != 1 && in[n - 1]->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "multi_dot(): the last tensor must be 1D or 2D but got %dD", in[n - 1]->ndim);
        return NULL;
    }
    if (in[n - 1]->ndim == 2) out_shape[out_nd++] = in[n - 1]->shape[1];
    for (int i = 1; i < n - 1; i++)
        if (in[i]->ndim != 2) {
            tsr_raise(ERR_RuntimeError, "multi_dot(): tensor %d must be 2D but got %dD", i, in[i]->ndim);
            return NULL;
        }
    Tensor **t = tsr_calloc((unsigned long long)n, sizeof *t);
    if (!t) return NULL;
    Tensor *r = NULL, **stack = NULL;
    int64_t *p = NULL, *m = NULL, *sp = NULL, *fr = NULL;
    for (int i = 0; i < n; i++) {
        if (i == 0 && in[i]->ndim == 1) t[i] = op_unsqueeze(in[i], 0);
        else if (i == n - 1 && in[i]->ndim == 1) t[i] = op_unsqueeze(in[i], -1);
        else t[i] = tensor_retain(in[i]);
        if (!t[i]) goto done;
    }
    for (int i = 1; i < n; i++) {
        if (t[i]->dtype != t[0]->dtype) {
            tsr_raise(ERR_RuntimeError, "multi_dot(): all tensors must have be the same dtype but tensor 0 is %s and "
                      "tensor %d %s", dtype_cpp_name(t[0]->dtype), i, dtype_cpp_name(t[i]->dtype));
            goto done;
        }
        if (t[i - 1]->shape[1] != t[i]->shape[0]) {
            char a[128], b[128];
            shape_str(in[i - 1], a, sizeof a);
            shape_str(in[i], b, sizeof b);
            tsr_raise(ERR_RuntimeError, "multi_dot(): tensors %d and %d with shapes %s and %s cannot be multiplied",
                      i - 1, i, a, b);
            goto done;
        }
    }
    if (n == 2) {
        Tensor *x = op_mm(t[0], t[1]);
        r = x ? op_view(x, out_nd, out_shape) : NULL;
        tensor_release(x);
        goto done;
    }
    if (n == 3) {
        int64_t a = t[0]->shape[0], b = t[1]->shape[0], c = t[2]->shape[0], d = t[2]->shape[1];
        Tensor *x = (a * c) * (b + d) > (b * d) * (a + c) ? op_mm(t[1], t[2]) : op_mm(t[0], t[1]);
        Tensor *y = !x ? NULL : (a * c) * (b + d) > (b * d) * (a + c) ? op_mm(t[0], x) : op_mm(x, t[2]);
        r = y ? op_view(y, out_nd, out_shape) : NULL;
        tensor_release(x);
        tensor_release(y);
        goto done;
    }
    {
        /* matrix_chain_order: tensor i is p[i] x p[i + 1]; sp[i][j] the split */
        size_t nn = (size_t)n * (size_t)n;
        p = tsr_malloc(sizeof(int64_t) * (size_t)(n + 1));
        m = p ? tsr_calloc(nn, sizeof(int64_t)) : NULL;
        sp = m ? tsr_calloc(nn, sizeof(int64_t)) : NULL;
        fr = sp ? tsr_malloc(sizeof(int64_t) * 3 * (size_t)n) : NULL;
        stack = fr ? tsr_calloc((unsigned long long)n + 1, sizeof *stack) : NULL;
        if (!stack) goto done;
        for (int i = 0; i < n; i++) p[i] = t[i]->shape[0];
        p[n] = t[n - 1]->shape[1];
        for (int l = 1; l < n; l++)
            for (int i = 0; i < n - l; i++) {
                int j = i + l;
                m[i * n + j] = INT64_MAX;
                for (int k = i; k < j; k++) {
                    int64_t q = m[i * n + k] + m[(k + 1) * n + j] + p[i] * p[k + 1] * p[j + 1];
                    if (q < m[i * n + j]) {
                        m[i * n + j] = q;
                        sp[i * n + j] = k;
                    }
                }
            }
        /* matrix_chain_multiplication(i, j) = mm(chain(i, s), chain(s + 1, j)):
         * frames (i, j, state) on fr, results on stack */
        int nf = 0, ns = 0;
        fr[0] = 0, fr[1] = n - 1, fr[2] = 0, nf = 1;
        bool failed = false;
        while (nf > 0 && !failed) {
            int64_t *f = fr + 3 * (nf - 1), i = f[0], j = f[1];
            if (i == j) {
                stack[ns++] = tensor_retain(t[i]);
                nf--;
            } else if (f[2] < 2) {
                int64_t k = sp[i * n + j];
                int64_t *g = fr + 3 * nf;
                g[0] = f[2] == 0 ? i : k + 1, g[1] = f[2] == 0 ? k : j, g[2] = 0;
                f[2]++;
                nf++;
            } else {
                Tensor *x = op_mm(stack[ns - 2], stack[ns - 1]);
                tensor_release(stack[ns - 2]);
                tensor_release(stack[ns - 1]);
                ns -= 2;
                if (!x) failed = true;
                else stack[ns++] = x;
                nf--;
            }
        }
        if (!failed && ns == 1) r = op_view(stack[0], out_nd, out_shape);
        for (int i = 0; i < ns; i++) tensor_release(stack[i]);
    }
done:
    for (int i = 0; i < n; i++) tensor_release(t[i]);
    free(t);
    free(p);
    free(m);
    free(sp);
    free(fr);
    free(stack);
    return r;
}

static Value *bi_linalg_multi_dot(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, "linalg_multi_dot", "tensors, *, out=", v)) return NULL;
    if (!la_no_out(v[1], "linalg_multi_dot")) return NULL;
    Tensor **ts;
    int n = arg_tensor_list(v[0], "linalg_multi_dot", &ts);
    if (n < 0) return NULL;
    Tensor *r = multi_dot(ts, n);
    tensor_list_release(ts, n);
    return wrap_tensor(r);
}

/* chain_matmul(*matrices) (deprecated): all 2-D, one is cloned */
static Value *bi_chain_matmul(Value *self, const CallArgs *a) {
    if (a->nkw > 0) {
        raise_invalid_args("chain_matmul", a);
        return NULL;
    }
    Tensor **ts = tsr_calloc((unsigned long long)(a->nargs > 0 ? a->nargs : 1), sizeof *ts);
    if (!ts) return NULL;
    int n = 0;
    Tensor *r = NULL;
    for (; n < a->nargs; n++) {
        ts[n] = arg_tensor(a->args[n], "chain_matmul", "matrices");
        if (!ts[n]) goto done;
    }
    for (int i = 0; i < n; i++)
        if (ts[i]->ndim != 2) {
            tsr_raise(ERR_RuntimeError, "Tensor dimension is %d, expected 2 instead.", ts[i]->ndim);
            goto done;
        }
    if (n == 0) tsr_raise(ERR_RuntimeError, "%s", "chain_matmul(): Expected one or more matrices");
    else r = n == 1 ? op_clone(ts[0]) : multi_dot(ts, n);
done:
    tensor_list_release(ts, n);
    return wrap_tensor(r);
}

/* linalg.vecdot(x, y, *, dim=-1) = (x.conj() * y).sum(dim); vdot(x, y)
 * for two vectors (dim unused) */
static Value *bi_linalg_vecdot(Value *self, const CallArgs *a) {
    Value *v[4];
    if (!args_parse(a, 0, "linalg_vecdot", "x, y, *, dim=, out=", v)) return NULL;
    int64_t dim;
    if (!arg_int(v[2], "linalg_vecdot", "dim", -1, &dim)) return NULL;
    if (!la_no_out(v[3], "linalg_vecdot")) return NULL;
    Tensor *x = arg_tensor(v[0], "linalg_vecdot", "x"), *y = x ? arg_tensor(v[1], "linalg_vecdot", "y") : NULL;
    Tensor *r = NULL;
    if (y && !dtype_is_float(x->dtype))
        tsr_raise(ERR_RuntimeError, "linalg.vecdot: Expected a floating point or complex tensor as input. Got %s",
                  dtype_scalar_name(x->dtype));
    else if (y && x->dtype != y->dtype)
        tsr_raise(ERR_RuntimeError, "linalg.vecdot: Expected x and y to have the same dtype, but found x of type %s "
                  "and y of type %s instead", dtype_scalar_name(x->dtype), dtype_scalar_name(y->dtype));
    else if (y && x->ndim == 1 && y->ndim == 1 && !dtype_is_complex(x->dtype))
        r = op_dot(x, y);
    else if (y) {
        Tensor *p = op_binary(BIN_MUL, x, y);
        r = p ? op_sum(p, 1, &dim, false, DT_UNDEFINED) : NULL;
        tensor_release(p);
    }
    tensor_release(x);
    tensor_release(y);
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

/* linalg.matrix_norm's ord 2, -2 (the largest, smallest singular value)
 * and 'nuc' (ord 0 here: their sum), as LinearAlgebra.cpp computes them:
 * svdvals of x with dims d0, d1 moved to the end, reduced over the last
 * dim; keepdim puts the two dims back */
Tensor *linalg_matrix_norm_svd(Tensor *x, double ord, int64_t d0, int64_t d1, bool keepdim, DType dt) {
    int nd = x->ndim, w0 = wrap_dim(d0, nd), w1 = w0 < 0 ? -1 : wrap_dim(d1, nd);
    if (w0 < 0 || w1 < 0) return NULL;
    if (!dtype_is_float(x->dtype)) {
        tsr_raise(ERR_RuntimeError, "linalg.matrix_norm: Expected a floating point or complex tensor as input. Got %s",
                  dtype_scalar_name(x->dtype));
        return NULL;
    }
    if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64) {
        tsr_raise(ERR_RuntimeError, "linalg.matrix_norm: Low precision dtypes not supported. Got %s",
                  dtype_scalar_name(x->dtype));
        return NULL;
    }
    if (w0 == w1) {
        tsr_raise(ERR_RuntimeError, "linalg.matrix_norm: dims must be different. Got (%d, %d)", w0, w1);
        return NULL;
    }
    int64_t perm[TSR_MAX_DIMS], rev[TSR_MAX_DIMS];
    int k = 0;
    for (int i = 0; i < nd; i++)
        if (i != w0 && i != w1) perm[k++] = i;
    perm[k++] = w0, perm[k++] = w1;
    for (int i = 0; i < nd; i++) rev[perm[i]] = i;
    Tensor *xc = dt != DT_UNDEFINED ? op_to_dtype(x, dt) : tensor_retain(x);
    Tensor *p = xc ? op_permute(xc, nd, perm) : NULL;
    Tensor *sv = p ? op_linalg_svdvals(p, false) : NULL;
    int64_t last = -1;
    Tensor *r = !sv ? NULL : ord > 0 ? op_amax(sv, 1, &last, keepdim) : ord < 0 ? op_amin(sv, 1, &last, keepdim)
                                     : op_sum(sv, 1, &last, keepdim, DT_UNDEFINED);
    if (r && keepdim) {
        Tensor *u = op_unsqueeze(r, -1);
        tensor_release(r);
        r = u ? op_permute(u, nd, rev) : NULL;
        tensor_release(u);
    }
    tensor_release(xc);
    tensor_release(p);
    tensor_release(sv);
    return r;
}

static Tensor *matrix_norm(Tensor *x, double ord, const char *sord, int64_t d0, int64_t d1, bool keepdim,
                           DType dt) {
    if (x->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "%s", "linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
        return NULL;
    }
    int64_t dims[2] = {d0, d1};
    if (sord && !strcmp(sord, "fro")) return op_vector_norm(x, 2, 2, dims, keepdim, dt);
    if (sord && strcmp(sord, "nuc")) {
        tsr_raise(ERR_RuntimeError, "linalg.matrix_norm: Order %s not supported.", sord);
        return NULL;
    }
    if (sord || ord == 2 || ord == -2) return linalg_matrix_norm_svd(x, sord ? 0 : ord, d0, d1, keepdim, dt);
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

/* linalg.cond(A, p=None): ord None/2/-2 from svdvals; 1, -1, inf, -inf,
 * 'fro' as norm(A) * norm(inv(A)) (inf where A is singular), 'nuc' as
 * sum(S) * sum(1 / S), as LinearAlgebra.cpp computes them */
static Tensor *linalg_cond(Tensor *A, bool has_ord, double ord, bool ord_is_int, const char *sord) {
    if (!sord) {
        if (A->ndim < 2) {
            tsr_raise(ERR_RuntimeError, "%s", "linalg.cond: The input tensor must have at least 2 dimensions.");
            return NULL;
        }
        if (!has_ord) ord = 2;
        if (!(fabs(ord) == 2 || fabs(ord) == 1 || isinf(ord))) {
            tsr_raise(ERR_RuntimeError, "linalg.cond got an invalid norm type: %g", ord);
            return NULL;
        }
    }
    char what[64];
    if (sord) snprintf(what, sizeof what, "linalg.cond(ord=%s)", sord);
    else if (ord_is_int) snprintf(what, sizeof what, "linalg.cond(ord=%lld)", (long long)ord);
    else snprintf(what, sizeof what, "linalg.cond(ord=%f)", ord);
    bool svd_ord = !sord && fabs(ord) == 2;
    if (sord && A->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "%s: The input tensor A must have at least 2 dimensions.", what);
        return NULL;
    }
    if (!svd_ord && A->shape[A->ndim - 1] != A->shape[A->ndim - 2]) {
        tsr_raise(ERR_RuntimeError, "%s: A must be batches of square matrices, but they are %lld by %lld matrices",
                  what, (long long)A->shape[A->ndim - 2], (long long)A->shape[A->ndim - 1]);
        return NULL;
    }
    if (sord && strcmp(sord, "fro") && strcmp(sord, "nuc")) {
        tsr_raise(ERR_RuntimeError, "linalg.cond got an invalid norm type: %s", sord);
        return NULL;
    }
    if (tensor_numel(A) == 0) return tensor_zeros(A->dtype, A->ndim - 2, A->shape, A->storage->device);
    int64_t last = -1;
    if (svd_ord || (sord && !strcmp(sord, "nuc"))) {
        Tensor *S = op_linalg_svdvals(A, false), *r = NULL;
        if (!S) return NULL;
        if (svd_ord) {
            Tensor *mx = op_narrow(S, -1, 0, 1), *mn = mx ? op_narrow(S, -1, -1, 1) : NULL;
            Tensor *q = mn ? (ord < 0 ? op_binary(BIN_DIV, mn, mx) : op_binary(BIN_DIV, mx, mn)) : NULL;
            r = q ? op_squeeze(q, 1, &last) : NULL;
            tensor_release(mx);
            tensor_release(mn);
            tensor_release(q);
        } else {
            Tensor *s1 = op_sum(S, 1, &last, false, DT_UNDEFINED), *rc = s1 ? op_unary(UN_RECIPROCAL, S) : NULL;
            Tensor *s2 = rc ? op_sum(rc, 1, &last, false, DT_UNDEFINED) : NULL;
            r = s2 ? op_binary(BIN_MUL, s1, s2) : NULL;
            tensor_release(s1);
            tensor_release(rc);
            tensor_release(s2);
        }
        tensor_release(S);
        return r;
    }
    Tensor *inv = NULL, *info = NULL, *u1 = NULL, *u2 = NULL, *zero = NULL, *bad = NULL, *inf = NULL, *filled = NULL,
           *n1 = NULL, *n2 = NULL, *p = NULL, *r = NULL;
    if (!op_linalg_inv_ex(A, false, "linalg.inv", &inv, &info)) return NULL;
    u1 = op_unsqueeze(info, -1);
    u2 = u1 ? op_unsqueeze(u1, -1) : NULL;
    zero = u2 ? tensor_wrapped_int(0) : NULL;
    bad = zero ? op_binary(BIN_GT, u2, zero) : NULL;
    inf = bad ? tensor_wrapped_float(INFINITY) : NULL;
    /* ATen's out-of-place masked_fill returns a contiguous tensor */
    Tensor *mf = inf ? op_masked_fill(inv, bad, inf) : NULL;
    filled = mf ? op_contiguous(mf) : NULL;
    tensor_release(mf);
    n1 = filled ? matrix_norm(A, ord, sord, -2, -1, false, DT_UNDEFINED) : NULL;
    n2 = n1 ? matrix_norm(filled, ord, sord, -2, -1, false, DT_UNDEFINED) : NULL;
    p = n2 ? op_binary(BIN_MUL, n1, n2) : NULL;
    r = p ? op_nan_to_num(p, true, INFINITY, true, INFINITY, true, -INFINITY) : NULL;
    tensor_release(inv);
    tensor_release(info);
    tensor_release(u1);
    tensor_release(u2);
    tensor_release(zero);
    tensor_release(bad);
    tensor_release(inf);
    tensor_release(filled);
    tensor_release(n1);
    tensor_release(n2);
    tensor_release(p);
    return r;
}

static Value *bi_linalg_cond(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!args_parse(a, 0, "linalg_cond", "input, p=, *, out=", v)) return NULL;
    if (!la_no_out(v[2], "linalg_cond")) return NULL;
    double ord;
    const char *sord;
    if (!parse_ord(v[1], "linalg_cond", 2, &ord, &sord)) return NULL;
    bool is_int = v[1] && v[1]->kind == VK_INT;
    Tensor *x = arg_tensor(v[0], "linalg_cond", "input");
    Tensor *r = x ? linalg_cond(x, !is_none(v[1]), ord, is_int, sord) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
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
    {"cond", bi_linalg_cond},
    {"multi_dot", bi_linalg_multi_dot},
    {"vecdot", bi_linalg_vecdot},
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
    {"chain_matmul", bi_chain_matmul},
    {NULL, NULL},
};

const Builtin linalg_methods[] = {
    LINALG_ENTRIES
    {"addmm_", bi_addmm_},
    {"tril_", bi_tril_},
    {"triu_", bi_triu_},
    {NULL, NULL},
};
