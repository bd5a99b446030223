/* histogram.c: torch.bincount, histc, histogram (torch.return_types.
 * histogram), searchsorted and bucketize, and their Tensor methods. */
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static const char *const hist_fields[] = {"hist", "bin_edges"};
static const NamedTupleType nt_histogram = {"histogram", 2, hist_fields};

/* an optional tensor argument (None or absent: *out NULL) */
static bool opt_tensor(Value *v, const char *fn, const char *name, Tensor **out) {
    *out = NULL;
    if (is_none(v)) return true;
    *out = arg_tensor(v, fn, name);
    return *out != NULL;
}

static Value *bi_bincount(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "bincount", "input, weights=, minlength=", v)) return NULL;
    int64_t minlength;
    Tensor *w;
    if (!arg_int(v[2], "bincount", "minlength", 0, &minlength) || !opt_tensor(v[1], "bincount", "weights", &w))
        return NULL;
    Tensor *x = arg_tensor(v[0], "bincount", "input");
    Tensor *r = x ? op_bincount(x, w, minlength) : NULL;
    tensor_release(x);
    tensor_release(w);
    return wrap_tensor(r);
}

static Value *bi_histc(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, "histc", "input, bins=, min=, max=", v)) return NULL;
    int64_t bins;
    double mn, mx;
    if (!arg_int(v[1], "histc", "bins", 100, &bins) || !arg_double(v[2], "histc", "min", 0, &mn) ||
        !arg_double(v[3], "histc", "max", 0, &mx))
        return NULL;
    Tensor *x = arg_tensor(v[0], "histc", "input");
    Tensor *r = x ? op_histc(x, bins, mn, mx) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

/* range=: a tuple/list of numbers */
static bool range_arg(Value *v, double *out, int *n) {
    *n = 0;
    if (is_none(v)) return true;
    if ((v->kind == VK_LIST || v->kind == VK_TUPLE) && v->seq.len <= 8) {
        for (int64_t i = 0; i < v->seq.len; i++)
            if (!arg_double(v->seq.items[i], "histogram", "range", 0, &out[i])) return false;
        *n = (int)v->seq.len;
        return true;
    }
    tsr_raise(ERR_TypeError, "histogram(): argument 'range' must be tuple of floats, not %s", val_type_name(v));
    return false;
}

static Value *bi_histogram(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, "histogram", "input, bins=, *, range=, weight=, density=", v)) return NULL;
    double range[8];
    int nrange;
    bool density;
    int64_t bins = 100;
    Tensor *w = NULL, *bt = NULL;
    if (!range_arg(v[2], range, &nrange) || !arg_bool(v[4], "histogram", "density", false, &density)) return NULL;
    if (v[1] && v[1]->kind == VK_TENSOR) {
        bt = tensor_retain(v[1]->tensor);
    } else if (!arg_int(v[1], "histogram", "bins", 100, &bins)) {
        return NULL;
    }
    if (bt && !is_none(v[2])) {
        tsr_raise(ERR_TypeError, "%s", "histogram() received an invalid combination of arguments");
        tensor_release(bt);
        return NULL;
    }
    if (!opt_tensor(v[3], "histogram", "weight", &w)) {
        tensor_release(bt);
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "histogram", "input"), *h = NULL, *e = NULL;
    bool ok = x && op_histogram(x, bins, bt, nrange, is_none(v[2]) ? NULL : range, w, density, &h, &e);
    tensor_release(x);
    tensor_release(w);
    tensor_release(bt);
    return ok ? tensor_pair(&nt_histogram, h, e) : NULL;
}

static const char *const histdd_fields[] = {"hist", "bin_edges"};
static const NamedTupleType nt_histogramdd = {"histogramdd", 2, histdd_fields};

/* torch.histogramdd(input, bins, *, range=None, weight=None, density=False):
 * bins an int, a sequence of ints or a sequence of edge tensors */
static Value *bi_histogramdd(Value *self, const CallArgs *a) {
    const char *fn = "histogramdd";
    Value *v[5];
    if (!args_parse(a, 0, fn, "input, bins, *, range=, weight=, density=", v)) return NULL;
    double range[2 * TSR_HIST_MAX_DIMS];
    int nrange = 0;
    bool density;
    if (!arg_bool(v[4], fn, "density", false, &density)) return NULL;
    if (!is_none(v[2])) {
        if ((v[2]->kind != VK_LIST && v[2]->kind != VK_TUPLE) || v[2]->seq.len > 2 * TSR_HIST_MAX_DIMS) {
            tsr_raise(ERR_TypeError, "histogramdd(): argument 'range' must be tuple of floats, not %s",
                      val_type_name(v[2]));
            return NULL;
        }
        for (int64_t i = 0; i < v[2]->seq.len; i++)
            if (!arg_double(v[2]->seq.items[i], fn, "range", 0, &range[i])) return NULL;
        nrange = (int)v[2]->seq.len;
    }
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    int64_t counts[TSR_HIST_MAX_DIMS];
    Tensor *bt[TSR_HIST_MAX_DIMS] = {0}, *w = NULL, *h = NULL, *e[TSR_HIST_MAX_DIMS] = {0};
    int nb = 0;
    bool tensors = false, ok = true;
    int64_t D = x->ndim ? x->shape[x->ndim - 1] : 0;
    if (v[1]->kind == VK_INT) {
        nb = D < 0 || D > TSR_HIST_MAX_DIMS ? TSR_HIST_MAX_DIMS + 1 : (int)D;
        for (int i = 0; i < nb && i < TSR_HIST_MAX_DIMS; i++) counts[i] = v[1]->i;
    } else if ((v[1]->kind == VK_LIST || v[1]->kind == VK_TUPLE) && v[1]->seq.len <= TSR_HIST_MAX_DIMS) {
        nb = (int)v[1]->seq.len;
        tensors = nb > 0 && v[1]->seq.items[0]->kind == VK_TENSOR;
        for (int i = 0; ok && i < nb; i++) {
            Value *it = v[1]->seq.items[i];
            if (tensors && it->kind == VK_TENSOR) bt[i] = tensor_retain(it->tensor);
            else if (!tensors && it->kind == VK_INT) counts[i] = it->i;
            else {
                tsr_raise(ERR_TypeError, "%s", "histogramdd() received an invalid combination of arguments");
                ok = false;
            }
        }
    } else {
        tsr_raise(ERR_TypeError, "%s", "histogramdd() received an invalid combination of arguments");
        ok = false;
    }
    if (ok && tensors && !is_none(v[2])) {
        tsr_raise(ERR_TypeError, "%s", "histogramdd() received an invalid combination of arguments");
        ok = false;
    }
    ok = ok && opt_tensor(v[3], fn, "weight", &w);
    ok = ok && op_histogramdd(x, tensors ? NULL : counts, bt, nb > TSR_HIST_MAX_DIMS ? -1 : nb, nrange,
                              is_none(v[2]) ? NULL : range, w, density, &h, e);
    tensor_release(x);
    tensor_release(w);
    for (int i = 0; i < TSR_HIST_MAX_DIMS; i++) tensor_release(bt[i]);
    if (!ok) return NULL;
    Value *edges = tuple_steal(e, (int)D);
    Value *r = edges ? val_namedtuple_new(&nt_histogramdd) : NULL;
    if (!r) {
        tensor_release(h);
        if (edges) val_release(edges);
        return NULL;
    }
    r->seq.items[0] = val_tensor_steal(h);
    r->seq.items[1] = edges;
    if (!r->seq.items[0]) {
        val_release(r);
        return NULL;
    }
    return r;
}

/* side= / right= as searchsorted_pre_check reads them */
static bool side_arg(Value *side, bool *right) {
    if (is_none(side)) return true;
    if (side->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "searchsorted(): argument 'side' must be str, not %s", val_type_name(side));
        return false;
    }
    const char *s = side->str.s;
    if (strcmp(s, "left") != 0 && strcmp(s, "right") != 0) {
        tsr_raise(ERR_RuntimeError, "torch.searchsorted(): side can only be 'left' or 'right' but got %s", s);
        return false;
    }
    if (*right && strcmp(s, "right") != 0) {
        tsr_raise(ERR_RuntimeError,
                  "torch.searchsorted(): side and right can't be set to opposites, got side of %s while right was True",
                  s);
        return false;
    }
    *right = strcmp(s, "right") == 0;
    return true;
}

static Value *bi_searchsorted(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[6];
    if (!args_parse(a, 0, "searchsorted", "sorted_sequence, input, *, out_int32=, right=, side=, sorter=", v))
        return NULL;
    bool out_int32, right;
    Tensor *sorter;
    if (!arg_bool(v[2], "searchsorted", "out_int32", false, &out_int32) ||
        !arg_bool(v[3], "searchsorted", "right", false, &right) || !side_arg(v[4], &right) ||
        !opt_tensor(v[5], "searchsorted", "sorter", &sorter))
        return NULL;
    Tensor *bd = arg_tensor(v[0], "searchsorted", "sorted_sequence");
    Tensor *x = bd ? arg_tensor_or_scalar(v[1], "searchsorted", "input") : NULL;
    Tensor *r = x ? op_searchsorted(bd, x, out_int32, right, sorter) : NULL;
    tensor_release(bd);
    tensor_release(x);
    tensor_release(sorter);
    return wrap_tensor(r);
}

static Value *bi_bucketize(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, "bucketize", "input, boundaries, *, out_int32=, right=", v)) return NULL;
    bool out_int32, right;
    if (!arg_bool(v[2], "bucketize", "out_int32", false, &out_int32) ||
        !arg_bool(v[3], "bucketize", "right", false, &right))
        return NULL;
    Tensor *x = arg_tensor_or_scalar(v[0], "bucketize", "input");
    Tensor *bd = x ? arg_tensor(v[1], "bucketize", "boundaries") : NULL;
    Tensor *r = bd ? op_bucketize(x, bd, out_int32, right) : NULL;
    tensor_release(bd);
    tensor_release(x);
    return wrap_tensor(r);
}

#define HISTOGRAM_COMMON {"bincount", bi_bincount}, {"histc", bi_histc}, {"histogram", bi_histogram},

const Builtin histogram_functions[] = {
    HISTOGRAM_COMMON{"bucketize", bi_bucketize},
    {"histogramdd", bi_histogramdd},
    {"searchsorted", bi_searchsorted},
    {NULL, NULL},
};

const Builtin histogram_methods[] = {
    HISTOGRAM_COMMON{NULL, NULL},
};
