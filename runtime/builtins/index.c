/* index.c: the indexing functions: index_select, take, masked_select,
 * masked_fill(_), nonzero (and nonzero_tuple, where(condition)'s result),
 * argwhere, gather, scatter(_) and scatter_add(_). */
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "index_reduce.h"
#include "ops.h"

/* Index helpers built on op_index (advanced indexing). */
static Value *bi_index_select(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2 + 1];
    int64_t dim;
    if (!args_parse(a, 0, "index_select", "input, dim, index", v) ||
        !arg_int(v[1], "index_select", "dim", 0, &dim))
        return NULL;
    Tensor *x = arg_tensor(v[0], "index_select", "input");
    Tensor *idx = x ? arg_tensor(v[2], "index_select", "index") : NULL;
    Tensor *r = idx ? op_index_select(x, dim, idx) : NULL;
    tensor_release(x);
    tensor_release(idx);
    return wrap_tensor(r);
}

static Value *bi_take(Value *self, const CallArgs *a) {
    return tensor_op2("take", "input", "index", op_take, self, a);
}

static Value *bi_masked_select(Value *self, const CallArgs *a) {
    return tensor_op2("masked_select", "input", "mask", op_masked_select, self, a);
}

static Value *masked_fill_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, mask, value", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *m = x ? arg_tensor(v[1], fn, "mask") : NULL;
    Tensor *val = m ? arg_tensor_or_scalar(v[2], fn, "value") : NULL;
    Tensor *r = !val ? NULL : inplace ? op_masked_fill_(x, m, val) : op_masked_fill(x, m, val);
    tensor_release(x);
    tensor_release(m);
    tensor_release(val);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}
static Value *bi_masked_fill(Value *self, const CallArgs *a) { return masked_fill_common("masked_fill", false, self, a); }
static Value *bi_masked_fill_(Value *self, const CallArgs *a) { return masked_fill_common("masked_fill_", true, self, a); }

Value *nonzero_tuple(Tensor *x) {
    Tensor *nz = op_nonzero(x);
    if (!nz) return NULL;
    int nd = x->ndim ? x->ndim : 1;
    Tensor *cols[TSR_MAX_DIMS] = {NULL};
    for (int d = 0; d < nd; d++) {
        Tensor *c = x->ndim ? op_select(nz, 1, d) : NULL;
        if (!x->ndim) { /* a 0-dim input counts as 1-D */
            int64_t n = nz->shape[0];
            c = tensor_zeros(DT_INT64, 1, &n, x->storage->device);
        }
        cols[d] = c ? tensor_clone(c, DT_UNDEFINED) : NULL;
        tensor_release(c);
    }
    tensor_release(nz);
    return tuple_steal(cols, nd);
}

static Value *bi_nonzero(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, "nonzero", "input, *, as_tuple=", v)) return NULL;
    bool as_tuple;
    if (!arg_bool(v[1], "nonzero", "as_tuple", false, &as_tuple)) return NULL;
    Tensor *x = arg_tensor(v[0], "nonzero", "input");
    if (!x) return NULL;
    Value *r = as_tuple ? nonzero_tuple(x) : wrap_tensor(op_nonzero(x));
    tensor_release(x);
    return r;
}

static Value *bi_argwhere(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, "argwhere", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "argwhere", "input");
    Tensor *r = x ? op_nonzero(x) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_gather(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, "gather", "input, dim, index, *, sparse_grad=", v)) return NULL;
    int64_t dim;
    if (!arg_int(v[1], "gather", "dim", 0, &dim)) return NULL;
    Tensor *x = arg_tensor(v[0], "gather", "input");
    Tensor *ix = x ? arg_tensor(v[2], "gather", "index") : NULL;
    Tensor *r = ix ? op_gather(x, dim, ix) : NULL;
    tensor_release(x);
    tensor_release(ix);
    return wrap_tensor(r);
}

static Value *scatter_common(const char *fn, bool add, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[6];
    if (!args_parse(a, 0, fn, add ? "input, dim, index, src" : "input, dim, index, src=, *, value=, reduce=", v))
        return NULL;
    if (!add && !v[3]) v[3] = v[4];
    if (!v[3] || (add && v[3]->kind != VK_TENSOR) || (!add && v[4] && v[3] != v[4])) {
        raise_invalid_args(fn, a);
        return NULL;
    }
    int reduce = -1; /* scatter's reduce=: 0 add, 1 multiply */
    if (!add && !is_none(v[5])) {
        if (v[5]->kind != VK_STR) {
            raise_invalid_args(fn, a);
            return NULL;
        }
        if (!strcmp(v[5]->str.s, "add")) reduce = 0;
        else if (!strcmp(v[5]->str.s, "multiply")) reduce = 1;
        else {
            tsr_raise(ERR_RuntimeError, "%s", "reduce argument must be either add or multiply.");
            return NULL;
        }
    }
    int64_t dim;
    double value = 0;
    if (!arg_int(v[1], fn, "dim", 0, &dim)) return NULL;
    /* a complex value=: a source of the value broadcast over the index
     * (the values are the same; a real tensor takes no imaginary part) */
    bool cvalue = v[3]->kind == VK_COMPLEX && v[0]->kind == VK_TENSOR;
    if (v[3]->kind != VK_TENSOR && !cvalue && !arg_double(v[3], fn, "value", 0, &value)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *ix = x ? arg_tensor(v[2], fn, "index") : NULL;
    Tensor *src = v[3]->kind == VK_TENSOR ? tensor_retain(v[3]->tensor) : NULL;
    if (cvalue && ix) {
        Tensor *w = val_as_tensor(v[3]);
        Tensor *c = w && scalar_fits(x->dtype, w) ? op_to(w, x->dtype, x->storage->device, false) : NULL;
        src = c ? op_expand(c, ix->ndim, ix->shape) : NULL;
        tensor_release(w);
        tensor_release(c);
        if (!src) {
            tensor_release(x);
            tensor_release(ix);
            return NULL;
        }
    }
    Tensor *r = NULL;
    if (ix && reduce >= 0) {
        Tensor *in[2] = {x, src};
        Tensor *st = !inplace ? tensor_retain(x)
                     : op_inplace_allowed(x) ? op_inplace_standin(x, ag_any_requires_grad(in, src ? 2 : 1))
                                             : NULL;
        Tensor *o = st ? op_scatter_with_reduce(st, dim, ix, src, value, reduce == 1) : NULL;
        r = inplace ? commit_inplace(x, o, SIZE_FMT) : o;
        tensor_release(st);
    } else if (ix) {
        r = op_scatter(x, dim, ix, src, value, add, inplace);
    }
    tensor_release(x);
    tensor_release(ix);
    tensor_release(src);
    if (r && inplace && self) {
        tensor_release(r);
        return val_retain(self);
    }
    return wrap_tensor(r);
}

static Value *bi_scatter(Value *self, const CallArgs *a) { return scatter_common("scatter", false, false, self, a); }
static Value *bi_scatter_(Value *self, const CallArgs *a) { return scatter_common("scatter_", false, true, self, a); }
static Value *bi_scatter_add(Value *self, const CallArgs *a) { return scatter_common("scatter_add", true, false, self, a); }
static Value *bi_scatter_add_(Value *self, const CallArgs *a) { return scatter_common("scatter_add_", true, true, self, a); }

/* scatter_reduce(input, dim, index, src, reduce, *, include_self=True) */
static Value *scatter_reduce_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[6] = {0};
    if (!args_parse(a, 0, fn, "input, dim, index, src, reduce, *, include_self=", v)) return NULL;
    int64_t dim;
    bool incl;
    if (!arg_int(v[1], fn, "dim", 0, &dim) || !arg_bool(v[5], fn, "include_self", true, &incl)) return NULL;
    if (v[4]->kind != VK_STR) {
        raise_invalid_args(fn, a);
        return NULL;
    }
    static const char *const names[] = {"sum", "prod", "mean", "amax", "amin"};
    static const int ops[] = {SCATTER_SUM, SCATTER_PROD, SCATTER_MEAN, SCATTER_AMAX, SCATTER_AMIN};
    int op = -1;
    for (int k = 0; k < 5; k++)
        if (!strcmp(v[4]->str.s, names[k])) op = ops[k];
    if (op < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "reduce argument must be either sum, prod, mean, amax or amin.");
        return NULL;
    }
    return reduce_into(fn, inplace, self, v, "src", op_scatter_reduce, dim, op, incl);
}
static Value *bi_scatter_reduce(Value *self, const CallArgs *a) {
    return scatter_reduce_common("scatter_reduce", false, self, a);
}
static Value *bi_scatter_reduce_(Value *self, const CallArgs *a) {
    return scatter_reduce_common("scatter_reduce_", true, self, a);
}

#define INDEX_ENTRIES                                                               \
    {"index_select", bi_index_select}, {"take", bi_take},                           \
    {"masked_select", bi_masked_select}, {"masked_fill", bi_masked_fill},           \
    {"nonzero", bi_nonzero}, {"argwhere", bi_argwhere}, {"gather", bi_gather},      \
    {"scatter", bi_scatter}, {"scatter_add", bi_scatter_add},                       \
    {"scatter_reduce", bi_scatter_reduce},

const Builtin index_functions[] = {
    INDEX_ENTRIES
    {NULL, NULL},
};

const Builtin index_methods[] = {
    INDEX_ENTRIES
    {"masked_fill_", bi_masked_fill_},
    {"scatter_", bi_scatter_},
    {"scatter_add_", bi_scatter_add_},
    {"scatter_reduce_", bi_scatter_reduce_},
    {NULL, NULL},
};
