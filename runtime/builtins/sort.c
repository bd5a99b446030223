/* sort.c: sorting and order statistics: sort, argsort, topk, kthvalue,
 * median, mode, unique. */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static const NamedTupleType nt_sort = {"sort", 2, values_indices};
static const NamedTupleType nt_topk = {"topk", 2, values_indices};
static const NamedTupleType nt_kthvalue = {"kthvalue", 2, values_indices};
static const NamedTupleType nt_median = {"median", 2, values_indices};
static const NamedTupleType nt_nanmedian = {"nanmedian", 2, values_indices};
static const NamedTupleType nt_mode = {"mode", 2, values_indices};

static Value *sort_common(bool indices_only, Value *self, const CallArgs *a) {
    const char *fn = indices_only ? "argsort" : "sort";
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, dim=, descending=, *, stable=", v)) return NULL;
    if (v[1] && v[1]->kind == VK_BOOL && !v[2]) { /* sort(x, True) */
        v[2] = v[1];
        v[1] = NULL;
    }
    int64_t dim;
    bool desc, stable = false;
    if (!arg_int(v[1], fn, "dim", -1, &dim) || !arg_bool(v[2], fn, "descending", false, &desc) ||
        !(v[3] && v[3]->kind == VK_NONE ? true : arg_bool(v[3], fn, "stable", false, &stable)))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *vals = NULL, *idx = NULL;
    bool ok = op_sort(x, dim, desc, stable, &vals, &idx);
    tensor_release(x);
    if (!ok) return NULL;
    if (indices_only) {
        tensor_release(vals);
        return wrap_tensor(idx);
    }
    return tensor_pair(&nt_sort, vals, idx);
}

static Value *bi_sort(Value *self, const CallArgs *a) { return sort_common(false, self, a); }
static Value *bi_argsort(Value *self, const CallArgs *a) { return sort_common(true, self, a); }

static Value *bi_topk(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, "topk", "input, k, dim=, largest=, sorted=", v)) return NULL;
    int64_t k, dim;
    bool largest, sorted;
    if (!arg_int(v[1], "topk", "k", 0, &k) || !arg_int(v[2], "topk", "dim", -1, &dim) ||
        !arg_bool(v[3], "topk", "largest", true, &largest) || !arg_bool(v[4], "topk", "sorted", true, &sorted))
        return NULL;
    Tensor *x = arg_tensor(v[0], "topk", "input");
    if (!x) return NULL;
    Tensor *vals, *idx;
    bool ok = op_topk(x, k, dim, largest, sorted, &vals, &idx);
    tensor_release(x);
    return ok ? tensor_pair(&nt_topk, vals, idx) : NULL;
}

static Value *bi_kthvalue(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, "kthvalue", "input, k, dim=, keepdim=", v)) return NULL;
    int64_t k, dim;
    bool keepdim;
    if (!arg_int(v[1], "kthvalue", "k", 0, &k) || !arg_int(v[2], "kthvalue", "dim", -1, &dim) ||
        !arg_bool(v[3], "kthvalue", "keepdim", false, &keepdim))
        return NULL;
    Tensor *x = arg_tensor(v[0], "kthvalue", "input");
    if (!x) return NULL;
    Tensor *vals, *idx;
    bool ok = op_kthvalue(x, k, dim, keepdim, &vals, &idx);
    tensor_release(x);
    return ok ? tensor_pair(&nt_kthvalue, vals, idx) : NULL;
}

/* median / nanmedian(input, dim=None, keepdim=False) */
static Value *median_common(const char *fn, bool nan, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, dim=, keepdim=", v)) return NULL;
    int64_t dim;
    bool keepdim;
    if (!arg_int(v[1], fn, "dim", 0, &dim) || !arg_bool(v[2], fn, "keepdim", false, &keepdim))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Value *r = NULL;
    if (is_none(v[1])) {
        r = wrap_tensor(nan ? op_nanmedian_all(x) : op_median_all(x));
    } else {
        Tensor *vals, *idx;
        if (nan ? op_nanmedian_dim(x, dim, keepdim, &vals, &idx) : op_median_dim(x, dim, keepdim, &vals, &idx))
            r = tensor_pair(nan ? &nt_nanmedian : &nt_median, vals, idx);
    }
    tensor_release(x);
    return r;
}
static Value *bi_median(Value *self, const CallArgs *a) { return median_common("median", false, self, a); }
static Value *bi_nanmedian(Value *self, const CallArgs *a) { return median_common("nanmedian", true, self, a); }

static Value *bi_mode(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "mode", "input, dim=, keepdim=", v)) return NULL;
    int64_t dim;
    bool keepdim;
    if (!arg_int(v[1], "mode", "dim", -1, &dim) || !arg_bool(v[2], "mode", "keepdim", false, &keepdim))
        return NULL;
    Tensor *x = arg_tensor(v[0], "mode", "input");
    if (!x) return NULL;
    Tensor *vals, *idx;
    bool ok = op_mode_dim(x, dim, keepdim, &vals, &idx);
    tensor_release(x);
    return ok ? tensor_pair(&nt_mode, vals, idx) : NULL;
}

static Value *bi_unique(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, "unique", "input, sorted=, return_inverse=, return_counts=, dim=", v)) return NULL;
    bool sorted, inv, cnt;
    if (!arg_bool(v[1], "unique", "sorted", true, &sorted) ||
        !arg_bool(v[2], "unique", "return_inverse", false, &inv) ||
        !arg_bool(v[3], "unique", "return_counts", false, &cnt))
        return NULL;
    if (!is_none(v[4])) {
        tsr_raise(ERR_NotImplementedError, "%s", "unique(dim=...) is not supported yet");
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "unique", "input");
    if (!x) return NULL;
    Tensor *vals = NULL, *iv = NULL, *ct = NULL;
    bool ok = op_unique(x, &vals, inv ? &iv : NULL, cnt ? &ct : NULL);
    tensor_release(x);
    if (!ok) return NULL;
    if (!inv && !cnt) return wrap_tensor(vals);
    Tensor *items[3] = {vals, iv, ct};
    Tensor *sel[3];
    int n = 0;
    sel[n++] = vals;
    if (inv) sel[n++] = iv;
    if (cnt) sel[n++] = ct;
    (void)items;
    return tuple_steal(sel, n);
}

#define SORT_ENTRIES                                                        \
    {"sort", bi_sort}, {"argsort", bi_argsort}, {"topk", bi_topk},          \
    {"kthvalue", bi_kthvalue}, {"median", bi_median}, {"mode", bi_mode},    \
    {"unique", bi_unique}, {"nanmedian", bi_nanmedian},

const Builtin sort_functions[] = {
    SORT_ENTRIES
    {NULL, NULL},
};

const Builtin sort_methods[] = {
    SORT_ENTRIES
    {NULL, NULL},
};
