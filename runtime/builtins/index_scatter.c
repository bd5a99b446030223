/* index_scatter.c: the writes at positions: index_add, index_copy,
 * index_fill, index_put, put, masked_scatter, index_reduce (and their
 * in-place forms), select_scatter, slice_scatter, diagonal_scatter, and
 * take_along_dim. */
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "index_reduce.h"
#include "ops.h"

/* index_add / index_copy: (input, dim, index, source[, *, alpha=]) */
static Value *index_source_common(const char *fn, bool add, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5] = {0};
    if (!args_parse(a, 0, fn, add ? "input, dim, index, source, *, alpha=" : "input, dim, index, source", v))
        return NULL;
    int64_t dim;
    double alpha = 1.0;
    if (!arg_int(v[1], fn, "dim", 0, &dim) || (add && !arg_double(v[4], fn, "alpha", 1.0, &alpha))) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *ix = x ? arg_tensor(v[2], fn, "index") : NULL;
    Tensor *src = ix ? arg_tensor(v[3], fn, "source") : NULL;
    Tensor *r = NULL;
    if (src) {
        if (add)
            r = inplace ? op_index_add_(x, dim, ix, src, alpha) : op_index_add(x, dim, ix, src, alpha);
        else
            r = inplace ? op_index_copy_(x, dim, ix, src) : op_index_copy(x, dim, ix, src);
    }
    tensor_release(x);
    tensor_release(ix);
    tensor_release(src);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}
static Value *bi_index_add(Value *self, const CallArgs *a) { return index_source_common("index_add", true, false, self, a); }
static Value *bi_index_add_(Value *self, const CallArgs *a) { return index_source_common("index_add_", true, true, self, a); }
static Value *bi_index_copy(Value *self, const CallArgs *a) { return index_source_common("index_copy", false, false, self, a); }
static Value *bi_index_copy_(Value *self, const CallArgs *a) { return index_source_common("index_copy_", false, true, self, a); }

/* scatter_reduce / index_reduce and their in-place forms (builtins_util.h) */
Value *reduce_into(const char *fn, bool inplace, Value *self, Value *const *v, const char *src_name,
                   ReduceIntoOp reduce, int64_t dim, int op, bool incl) {
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *ix = x ? arg_tensor(v[2], fn, "index") : NULL;
    Tensor *src = ix ? arg_tensor(v[3], fn, src_name) : NULL;
    Tensor *r = NULL;
    if (src) {
        Tensor *in[2] = {x, src};
        Tensor *st = !inplace ? tensor_retain(x)
                     : op_inplace_allowed(x) ? op_inplace_standin(x, ag_any_requires_grad(in, 2))
                                             : NULL;
        Tensor *o = st ? reduce(st, dim, ix, src, op, incl) : NULL;
        r = inplace ? commit_inplace(x, o, SIZE_FMT) : o;
        tensor_release(st);
    }
    tensor_release(x);
    tensor_release(ix);
    tensor_release(src);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}

/* index_reduce(input, dim, index, source, reduce, *, include_self=True) */
static Value *index_reduce_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[6] = {0};
    if (!args_parse(a, 0, fn, "input, dim, index, source, reduce, *, include_self=", v)) return NULL;
    int64_t dim;
    bool incl;
    if (!arg_int(v[1], fn, "dim", 0, &dim) || !arg_bool(v[5], fn, "include_self", true, &incl)) return NULL;
    if (v[4]->kind != VK_STR) {
        raise_invalid_args(fn, a);
        return NULL;
    }
    static const char *const names[] = {"prod", "mean", "amax", "amin"};
    static const int ops[] = {SCATTER_PROD, SCATTER_MEAN, SCATTER_AMAX, SCATTER_AMIN};
    int op = -1;
    for (int k = 0; k < 4; k++)
        if (!strcmp(v[4]->str.s, names[k])) op = ops[k];
    if (op < 0) {
        tsr_raise(ERR_RuntimeError, "index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got %s.",
                  v[4]->str.s);
        return NULL;
    }
    return reduce_into(fn, inplace, self, v, "source", op_index_reduce, dim, op, incl);
}
static Value *bi_index_reduce(Value *self, const CallArgs *a) {
    return index_reduce_common("index_reduce", false, self, a);
}
static Value *bi_index_reduce_(Value *self, const CallArgs *a) {
    return index_reduce_common("index_reduce_", true, self, a);
}

static Value *index_fill_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4] = {0};
    if (!args_parse(a, 0, fn, "input, dim, index, value", v)) return NULL;
    int64_t dim;
    if (!arg_int(v[1], fn, "dim", 0, &dim)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *ix = x ? arg_tensor(v[2], fn, "index") : NULL;
    Tensor *val = ix ? arg_tensor_or_scalar(v[3], fn, "value") : NULL;
    Tensor *r = !val ? NULL : inplace ? op_index_fill_(x, dim, ix, val) : op_index_fill(x, dim, ix, val);
    tensor_release(x);
    tensor_release(ix);
    tensor_release(val);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}
static Value *bi_index_fill(Value *self, const CallArgs *a) { return index_fill_common("index_fill", false, self, a); }
static Value *bi_index_fill_(Value *self, const CallArgs *a) { return index_fill_common("index_fill_", true, self, a); }

static Value *put_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4] = {0};
    if (!args_parse(a, 0, fn, "input, index, source, accumulate=", v)) return NULL;
    bool acc;
    if (!arg_bool(v[3], fn, "accumulate", false, &acc)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *ix = x ? arg_tensor(v[1], fn, "index") : NULL;
    Tensor *src = ix ? arg_tensor(v[2], fn, "source") : NULL;
    Tensor *r = !src ? NULL : inplace ? op_put_(x, ix, src, acc) : op_put(x, ix, src, acc);
    tensor_release(x);
    tensor_release(ix);
    tensor_release(src);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}
static Value *bi_put(Value *self, const CallArgs *a) { return put_common("put", false, self, a); }
static Value *bi_put_(Value *self, const CallArgs *a) { return put_common("put_", true, self, a); }

static Value *index_put_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4] = {0};
    if (!args_parse(a, 0, fn, "input, indices, values, accumulate=", v)) return NULL;
    bool acc;
    if (!arg_bool(v[3], fn, "accumulate", false, &acc)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor **ts = NULL;
    int n = arg_tensor_list(v[1], fn, &ts);
    Tensor *val = n >= 0 ? arg_tensor_or_scalar(v[2], fn, "values") : NULL;
    Tensor *r = NULL;
    if (val) {
        TensorIndex idx[TSR_MAX_DIMS + 1];
        if (n > TSR_MAX_DIMS) {
            tsr_raise(ERR_IndexError, "too many indices for tensor of dimension %d (got %d)", x->ndim, n);
        } else {
            for (int i = 0; i < n; i++) idx[i] = (TensorIndex){.kind = IDX_TENSOR, .tensor = ts[i]};
            r = inplace ? op_index_put_values_(x, idx, n, val, acc) : op_index_put(x, idx, n, val, acc);
        }
    }
    if (n >= 0) tensor_list_release(ts, n);
    tensor_release(x);
    tensor_release(val);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}
static Value *bi_index_put(Value *self, const CallArgs *a) { return index_put_common("index_put", false, self, a); }
static Value *bi_index_put_(Value *self, const CallArgs *a) { return index_put_common("index_put_", true, self, a); }

static Value *masked_scatter_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3] = {0};
    if (!args_parse(a, 0, fn, "input, mask, source", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *m = x ? arg_tensor(v[1], fn, "mask") : NULL;
    Tensor *src = m ? arg_tensor(v[2], fn, "source") : NULL;
    Tensor *r = !src ? NULL : inplace ? op_masked_scatter_(x, m, src) : op_masked_scatter(x, m, src);
    tensor_release(x);
    tensor_release(m);
    tensor_release(src);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}
static Value *bi_masked_scatter(Value *self, const CallArgs *a) {
    return masked_scatter_common("masked_scatter", false, self, a);
}
static Value *bi_masked_scatter_(Value *self, const CallArgs *a) {
    return masked_scatter_common("masked_scatter_", true, self, a);
}

static Value *bi_select_scatter(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4] = {0};
    int64_t dim, index;
    if (!args_parse(a, 0, "select_scatter", "input, src, dim, index", v) ||
        !arg_int(v[2], "select_scatter", "dim", 0, &dim) || !arg_int(v[3], "select_scatter", "index", 0, &index))
        return NULL;
    Tensor *x = arg_tensor(v[0], "select_scatter", "input");
    Tensor *src = x ? arg_tensor(v[1], "select_scatter", "src") : NULL;
    Tensor *r = src ? op_select_scatter(x, src, dim, index) : NULL;
    tensor_release(x);
    tensor_release(src);
    return wrap_tensor(r);
}

static Value *bi_slice_scatter(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[6] = {0};
    int64_t dim, start, end, step;
    if (!args_parse(a, 0, "slice_scatter", "input, src, dim=, start=, end=, step=", v) ||
        !arg_int(v[2], "slice_scatter", "dim", 0, &dim) ||
        !arg_int(is_none(v[3]) ? NULL : v[3], "slice_scatter", "start", 0, &start) ||
        !arg_int(is_none(v[4]) ? NULL : v[4], "slice_scatter", "end", INT64_MAX, &end) ||
        !arg_int(v[5], "slice_scatter", "step", 1, &step))
        return NULL;
    Tensor *x = arg_tensor(v[0], "slice_scatter", "input");
    Tensor *src = x ? arg_tensor(v[1], "slice_scatter", "src") : NULL;
    Tensor *r = src ? op_slice_scatter(x, src, dim, start, end, step) : NULL;
    tensor_release(x);
    tensor_release(src);
    return wrap_tensor(r);
}

static Value *bi_diagonal_scatter(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5] = {0};
    int64_t offset, d1, d2;
    if (!args_parse(a, 0, "diagonal_scatter", "input, src, offset=, dim1=, dim2=", v) ||
        !arg_int(v[2], "diagonal_scatter", "offset", 0, &offset) ||
        !arg_int(v[3], "diagonal_scatter", "dim1", 0, &d1) || !arg_int(v[4], "diagonal_scatter", "dim2", 1, &d2))
        return NULL;
    Tensor *x = arg_tensor(v[0], "diagonal_scatter", "input");
    Tensor *src = x ? arg_tensor(v[1], "diagonal_scatter", "src") : NULL;
    Tensor *r = src ? op_diagonal_scatter(x, src, offset, d1, d2) : NULL;
    tensor_release(x);
    tensor_release(src);
    return wrap_tensor(r);
}

static Value *bi_take_along_dim(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3] = {0};
    int64_t dim = 0;
    if (!args_parse(a, 0, "take_along_dim", "input, indices, dim=", v)) return NULL;
    bool has_dim = !is_none(v[2]);
    if (has_dim && !arg_int(v[2], "take_along_dim", "dim", 0, &dim)) return NULL;
    Tensor *x = arg_tensor(v[0], "take_along_dim", "input");
    Tensor *ix = x ? arg_tensor(v[1], "take_along_dim", "indices") : NULL;
    Tensor *r = ix ? op_take_along_dim(x, ix, has_dim, dim) : NULL;
    tensor_release(x);
    tensor_release(ix);
    return wrap_tensor(r);
}

#define INDEX_SCATTER_ENTRIES                                                          \
    {"index_add", bi_index_add}, {"index_copy", bi_index_copy},                        \
    {"index_fill", bi_index_fill}, {"index_put", bi_index_put}, {"put", bi_put},       \
    {"masked_scatter", bi_masked_scatter}, {"select_scatter", bi_select_scatter},      \
    {"slice_scatter", bi_slice_scatter}, {"diagonal_scatter", bi_diagonal_scatter},    \
    {"take_along_dim", bi_take_along_dim}, {"index_reduce", bi_index_reduce},

const Builtin index_scatter_functions[] = {
    INDEX_SCATTER_ENTRIES
    {"index_put_", bi_index_put_},
    {NULL, NULL},
};

const Builtin index_scatter_methods[] = {
    INDEX_SCATTER_ENTRIES
    {"index_add_", bi_index_add_},
    {"index_copy_", bi_index_copy_},
    {"index_fill_", bi_index_fill_},
    {"index_put_", bi_index_put_},
    {"put_", bi_put_},
    {"masked_scatter_", bi_masked_scatter_},
    {"index_reduce_", bi_index_reduce_},
    {NULL, NULL},
};
