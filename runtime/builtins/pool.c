/* pool.c: max, average and adaptive pooling, 1-d, 2-d and 3-d, as
 * torch.nn.functional functions (and the torch namespace's
 * max_pool1d/2d/3d, max_pool1d_with_indices, avg_pool1d,
 * adaptive_avg_pool1d, adaptive_max_pool1d) over runtime/ops/pool.c. */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* x pooled by op_pool; dims 1 runs on x.unsqueeze(-2) and squeezes the
 * result (and the indices) back */
static Value *pool_run(Tensor *x, int dims, PoolParams *p, bool return_indices) {
    Tensor *xi = dims == 1 ? op_unsqueeze(x, -2) : tensor_retain(x), *idx = NULL, *r = NULL;
    if (!xi) return NULL;
    r = op_pool(xi, p, return_indices ? &idx : NULL);
    tensor_release(xi);
    if (r && dims == 1) {
        int64_t d = -2;
        Tensor *s1 = op_squeeze(r, 1, &d), *s2 = NULL;
        tensor_release(r);
        r = s1;
        if (idx) {
            NO_GRAD(s2 = op_squeeze(idx, 1, &d));
            tensor_release(idx);
            idx = s2;
        }
        if (!r || (return_indices && !idx)) {
            tensor_release(r);
            tensor_release(idx);
            return NULL;
        }
    }
    if (!r) return NULL;
    if (!return_indices) return wrap_tensor(r);
    Tensor *ts[2] = {r, idx};
    return tuple_steal(ts, 2);
}

/* v (a list or tuple) of a length 3-d pooling refuses: not 1 or 3 (or 0
 * where empty) */
static bool bad_len3(Value *v, bool empty_ok) {
    if (!v || (v->kind != VK_LIST && v->kind != VK_TUPLE)) return false;
    return !(v->seq.len == 1 || v->seq.len == 3 || (empty_ok && v->seq.len == 0));
}

/* kernel_size, stride (None or empty: the kernel), padding, dilation of a
 * dims-d pooling into p (1-d: the 2-d one of height 1); 3-d checks the
 * lengths as max_pool3d and avg_pool3d do */
static bool pool_sizes(const char *fn, int dims, Value *k, Value *st, Value *pad, Value *dil, PoolParams *p) {
    int64_t kk[3], ss[3], pp[3], dd[3] = {1, 1, 1};
    if (dims == 3) {
        bool mx = !strncmp(fn, "max", 3);
        const char *what = bad_len3(k, false)                ? mx ? "kernel_size must either be a single int, or a tuple of three ints"
                                                                  : "kernel_size must be a single int, or a tuple of three ints"
                           : !is_none(st) && bad_len3(st, true) ? mx ? "stride must either be omitted, a single int, or a tuple of three ints"
                                                                  : "stride must be omitted, a single int, or a tuple of three ints"
                           : bad_len3(pad, false)             ? mx ? "padding must be either be a single int, or a tuple of three ints"
                                                                  : "padding must be a single int, or a tuple of three ints"
                           : mx && bad_len3(dil, false)       ? "dilation must be either a single int, or a tuple of three ints"
                                                              : NULL;
        if (what) {
            tsr_raise(ERR_RuntimeError, "%s: %s", mx ? "max_pool3d" : "avg_pool3d", what);
            return false;
        }
    }
    if (!arg_int_tuple(k, fn, "kernel_size", dims, 1, kk)) return false;
    bool no_stride = is_none(st) || ((st->kind == VK_LIST || st->kind == VK_TUPLE) && st->seq.len == 0);
    if (no_stride) memcpy(ss, kk, sizeof ss);
    else if (!arg_int_tuple(st, fn, "stride", dims, 1, ss)) return false;
    if (!arg_int_tuple(pad, fn, "padding", dims, 0, pp) || (dil && !arg_int_tuple(dil, fn, "dilation", dims, 1, dd))) return false;
    if (dims == 1) {
        p->kh = p->sh = p->dh = 1;
        p->ph = 0;
        p->kw = kk[0], p->sw = ss[0], p->pw = pp[0], p->dw = dd[0];
        return true;
    }
    int o = dims == 3;
    if (o) {
        p->dims = 3;
        p->kd = kk[0], p->sd = ss[0], p->pd = pp[0], p->dd = dd[0];
    }
    p->kh = kk[o], p->kw = kk[o + 1], p->sh = ss[o], p->sw = ss[o + 1];
    p->ph = pp[o], p->pw = pp[o + 1], p->dh = dd[o], p->dw = dd[o + 1];
    return true;
}

static Value *max_pool_common(const CallArgs *a, int dims, const char *fn, int force_indices) {
    Value *v[7];
    if (!args_parse(a, 0, fn, "input, kernel_size, stride=, padding=, dilation=, ceil_mode=, return_indices=", v))
        return NULL;
    PoolParams p;
    memset(&p, 0, sizeof p);
    p.kind = NN_POOL_MAX;
    bool ri;
    if (!pool_sizes(fn, dims, v[1], v[2], v[3], v[4], &p) || !arg_bool(v[5], fn, "ceil_mode", false, &p.ceil) ||
        !arg_bool(v[6], fn, "return_indices", false, &ri))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    if (dims == 1 && x->ndim != 2 && x->ndim != 3) {
        char sz[256];
        shape_str(x, sz, sizeof sz);
        tsr_raise(ERR_RuntimeError,
                  "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:%s", sz);
        tensor_release(x);
        return NULL;
    }
    Value *r = pool_run(x, dims, &p, ri || force_indices);
    tensor_release(x);
    return r;
}

static Value *bi_max_pool1d(Value *self, const CallArgs *a) { return max_pool_common(a, 1, "max_pool1d", 0); }
static Value *bi_max_pool2d(Value *self, const CallArgs *a) { return max_pool_common(a, 2, "max_pool2d", 0); }
static Value *bi_max_pool3d(Value *self, const CallArgs *a) { return max_pool_common(a, 3, "max_pool3d", 0); }
static Value *bi_max_pool3d_wi(Value *self, const CallArgs *a) {
    return max_pool_common(a, 3, "max_pool3d_with_indices", 1);
}
static Value *bi_max_pool1d_wi(Value *self, const CallArgs *a) {
    return max_pool_common(a, 1, "max_pool1d_with_indices", 1);
}
static Value *bi_max_pool2d_wi(Value *self, const CallArgs *a) {
    return max_pool_common(a, 2, "max_pool2d_with_indices", 1);
}

static Value *avg_pool_common(const CallArgs *a, int dims, const char *fn) {
    Value *v[7];
    const char *spec = dims > 1 ? "input, kernel_size, stride=, padding=, ceil_mode=, count_include_pad=, divisor_override="
                                : "input, kernel_size, stride=, padding=, ceil_mode=, count_include_pad=";
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    PoolParams p;
    memset(&p, 0, sizeof p);
    p.kind = NN_POOL_AVG;
    if (!pool_sizes(fn, dims, v[1], v[2], v[3], NULL, &p) || !arg_bool(v[4], fn, "ceil_mode", false, &p.ceil) ||
        !arg_bool(v[5], fn, "count_include_pad", true, &p.count_include_pad))
        return NULL;
    if (dims > 1 && !is_none(v[6])) {
        if (!arg_int(v[6], fn, "divisor_override", 0, &p.divisor)) return NULL;
        p.divisor_set = true;
    }
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Value *r = NULL;
    if (dims == 1 && x->ndim != 2 && x->ndim != 3)
        tsr_raise(ERR_RuntimeError,
                  "Expected 2 to 3 dimensions, but got %d-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)",
                  x->ndim);
    else
        r = pool_run(x, dims, &p, false);
    tensor_release(x);
    return r;
}

static Value *bi_avg_pool1d(Value *self, const CallArgs *a) { return avg_pool_common(a, 1, "avg_pool1d"); }
static Value *bi_avg_pool2d(Value *self, const CallArgs *a) { return avg_pool_common(a, 2, "avg_pool2d"); }
static Value *bi_avg_pool3d(Value *self, const CallArgs *a) { return avg_pool_common(a, 3, "avg_pool3d"); }

/* force_indices: the _with_indices forms, which return (values, indices)
 * whatever return_indices says */
static Value *adaptive_common(const CallArgs *a, int dims, bool max, const char *fn, bool force_indices) {
    Value *v[3];
    if (!args_parse(a, 0, fn, max ? "input, output_size, return_indices=" : "input, output_size", v)) return NULL;
    bool ri = false;
    if (max && !arg_bool(v[2], fn, "return_indices", false, &ri)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    PoolParams p;
    memset(&p, 0, sizeof p);
    p.kind = max ? NN_POOL_AMAX : NN_POOL_AAVG;
    int64_t os[3] = {-1, -1, -1};
    Value *o = v[1], *r = NULL;
    if (o->kind == VK_LIST || o->kind == VK_TUPLE) {
        if (o->seq.len != dims) {
            if (dims == 3 && max)
                tsr_raise(ERR_RuntimeError, "%s(): internal error: output_size.size() must be 3", "adaptive_max_pool3d");
            else
                tsr_raise(ERR_RuntimeError, "%s: output_size must be %d", dims == 3 ? "adaptive_avg_pool3d" : fn, dims);
            goto done;
        }
        for (int i = 0; i < dims; i++)
            if (!is_none(o->seq.items[i]) && !arg_int(o->seq.items[i], fn, "output_size", 0, &os[i])) goto done;
    } else if (!arg_int(o, fn, "output_size", 0, &os[0])) {
        goto done;
    } else {
        os[1] = os[2] = os[0];
    }
    if (dims == 3) {
        p.dims = 3;
        int64_t *dst[3] = {&p.od, &p.oh, &p.ow};
        for (int i = 0; i < 3; i++) *dst[i] = os[i] < 0 && x->ndim >= 3 - i ? x->shape[x->ndim - 3 + i] : os[i];
        if (!max && p.od == 1 && p.oh == 1 && p.ow == 1) { /* adaptive_avg_pool3d's mean, any rank */
            int64_t d[3] = {-1, -2, -3};
            r = wrap_tensor(op_mean(x, 3, d, true, DT_UNDEFINED));
            goto done;
        }
        r = pool_run(x, 3, &p, ri || force_indices);
        goto done;
    }
    if (dims == 1) {
        if (x->ndim != 2 && x->ndim != 3) { /* checkDimRange */
            tsr_raise(ERR_RuntimeError,
                      "Expected 2 to 3 dimensions, but got %d-dimensional tensor for argument #1 'self' (while "
                      "checking arguments for %s)",
                      x->ndim, fn);
            goto done;
        }
        p.oh = 1;
        p.ow = os[0] < 0 ? x->shape[x->ndim - 1] : os[0];
        if (!max && p.ow == 1) { /* adaptive_avg_pool2d(x.unsqueeze(-2), (1, 1))'s mean, squeezed */
            int64_t d[2] = {-1, -2}, sq = -2;
            Tensor *u = op_unsqueeze(x, -2), *m = u ? op_mean(u, 2, d, true, DT_UNDEFINED) : NULL;
            r = wrap_tensor(m ? op_squeeze(m, 1, &sq) : NULL);
            tensor_release(u);
            tensor_release(m);
            goto done;
        }
    } else {
        p.oh = os[0] < 0 && x->ndim >= 2 ? x->shape[x->ndim - 2] : os[0];
        p.ow = os[1] < 0 && x->ndim >= 1 ? x->shape[x->ndim - 1] : os[1];
    }
    if (!max && dims == 2 && p.oh == 1 && p.ow == 1) { /* adaptive_avg_pool2d's mean, any rank */
        int64_t d[2] = {-1, -2};
        Tensor *m = op_mean(x, 2, d, true, DT_UNDEFINED);
        if (m && x->ndim == 4 && layout_suggest_format(x) == MEMFMT_CHANNELS_LAST) {
            /* restrided in place to channels-last (AsStridedBackward1) */
            int64_t c = x->shape[1], sh[4] = {x->shape[0], c, 1, 1}, st[4] = {c, 1, c, c};
            Tensor *cl = op_as_strided_(m, 4, sh, 4, st, false, 0);
            tensor_release(m);
            m = cl;
        }
        r = wrap_tensor(m);
        goto done;
    }
    r = pool_run(x, dims, &p, ri || force_indices);
done:
    tensor_release(x);
    return r;
}

static Value *bi_adaptive_avg_pool1d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 1, false, "adaptive_avg_pool1d", false);
}
static Value *bi_adaptive_avg_pool2d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 2, false, "adaptive_avg_pool2d", false);
}
static Value *bi_adaptive_max_pool1d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 1, true, "adaptive_max_pool1d", false);
}
static Value *bi_adaptive_max_pool2d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 2, true, "adaptive_max_pool2d", false);
}

static Value *bi_adaptive_avg_pool3d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 3, false, "adaptive_avg_pool3d", false);
}
static Value *bi_adaptive_max_pool3d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 3, true, "adaptive_max_pool3d", false);
}
static Value *bi_adaptive_max_pool3d_wi(Value *self, const CallArgs *a) {
    return adaptive_common(a, 3, true, "adaptive_max_pool3d_with_indices", true);
}
static Value *bi_adaptive_max_pool1d_wi(Value *self, const CallArgs *a) {
    return adaptive_common(a, 1, true, "adaptive_max_pool1d_with_indices", true);
}
static Value *bi_adaptive_max_pool2d_wi(Value *self, const CallArgs *a) {
    return adaptive_common(a, 2, true, "adaptive_max_pool2d_with_indices", true);
}

const Builtin pool_functions[] = {
    {"max_pool1d", bi_max_pool1d},
    {"max_pool2d", bi_max_pool2d},
    {"avg_pool1d", bi_avg_pool1d},
    {"adaptive_avg_pool1d", bi_adaptive_avg_pool1d},
    {"max_pool3d", bi_max_pool3d},
    {"adaptive_max_pool1d", bi_adaptive_max_pool1d_wi},
    {"max_pool1d_with_indices", bi_max_pool1d_wi},
    {NULL, NULL},
};

const Builtin pool_methods[] = {
    {NULL, NULL},
};

/* an int (repeated dims times) or a list/tuple of ints as given (ATen
 * checks the length): n values into out[0..8), with the IntArrayRef
 * parser's errors (a list fits when its first element is an int; the
 * others are checked when read) */
static bool frac_sizes(Value *v, const char *fn, const char *name, int pos, int dims, int64_t *out, int *n) {
    bool list = v && (v->kind == VK_LIST || v->kind == VK_TUPLE);
    if (!(list ? v->seq.len == 0 || v->seq.items[0]->kind == VK_INT : v && v->kind == VK_INT)) {
        tsr_raise(ERR_TypeError, "%s(): argument '%s' (position %d) must be tuple of ints, not %s", fn, name, pos,
                  v ? val_type_name(v) : "NoneType");
        return false;
    }
    if (!list) {
        for (int i = 0; i < dims; i++) out[i] = v->i;
        *n = dims;
        return true;
    }
    *n = v->seq.len > 8 ? 8 : (int)v->seq.len;
    for (int i = 0; i < *n; i++) {
        Value *e = v->seq.items[i];
        if (e->kind != VK_INT) {
            tsr_raise(ERR_TypeError, "%s(): argument '%s' must be tuple of ints, but found element of type %s at pos %d",
                      fn, name, val_type_name(e), i + 1);
            return false;
        }
        out[i] = e->i;
    }
    if (v->seq.len > 8) *n = 9; /* a length ATen refuses */
    return true;
}

/* _fractional_max_pool(input, kernel_size, output_size, random_samples,
 * dims): torch._C._nn.fractional_max_pool2d / 3d, (output, indices); F's
 * fractional_max_pool2d/3d (torch/nn_functional.py) draw the samples */
static Value *bi_fractional_max_pool(Value *self, const CallArgs *a) {
    Value *v[5];
    const char *fn = "fractional_max_pool";
    if (!args_parse(a, 0, fn, "input, kernel_size, output_size, random_samples, dims", v)) return NULL;
    int64_t dims, k[8], o[8];
    int nk, no;
    if (!arg_int(v[4], fn, "dims", 2, &dims)) return NULL;
    fn = dims == 3 ? "fractional_max_pool3d" : "fractional_max_pool2d";
    if (!frac_sizes(v[1], fn, "kernel_size", 2, (int)dims, k, &nk) ||
        !frac_sizes(v[2], fn, "output_size", 3, (int)dims, o, &no))
        return NULL;
    if (v[3]->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "%s(): argument 'random_samples' (position 4) must be Tensor, not %s", fn,
                  val_type_name(v[3]));
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, "input"), *smp = x ? arg_tensor(v[3], fn, "random_samples") : NULL;
    Tensor *idx = NULL, *r = smp ? op_fractional_max_pool(x, dims == 3 ? 3 : 2, nk, k, no, o, smp, &idx) : NULL;
    tensor_release(x);
    tensor_release(smp);
    if (!r) return NULL;
    Tensor *ts[2] = {r, idx};
    return tuple_steal(ts, 2);
}

const Builtin pool_functional_functions[] = {
    {"_fractional_max_pool", bi_fractional_max_pool},
    {"max_pool1d", bi_max_pool1d},
    {"max_pool2d", bi_max_pool2d},
    {"max_pool1d_with_indices", bi_max_pool1d_wi},
    {"max_pool2d_with_indices", bi_max_pool2d_wi},
    {"avg_pool1d", bi_avg_pool1d},
    {"avg_pool2d", bi_avg_pool2d},
    {"adaptive_avg_pool1d", bi_adaptive_avg_pool1d},
    {"adaptive_avg_pool2d", bi_adaptive_avg_pool2d},
    {"adaptive_max_pool1d", bi_adaptive_max_pool1d},
    {"adaptive_max_pool2d", bi_adaptive_max_pool2d},
    {"adaptive_max_pool1d_with_indices", bi_adaptive_max_pool1d_wi},
    {"adaptive_max_pool2d_with_indices", bi_adaptive_max_pool2d_wi},
    {"max_pool3d", bi_max_pool3d},
    {"max_pool3d_with_indices", bi_max_pool3d_wi},
    {"avg_pool3d", bi_avg_pool3d},
    {"adaptive_avg_pool3d", bi_adaptive_avg_pool3d},
    {"adaptive_max_pool3d", bi_adaptive_max_pool3d},
    {"adaptive_max_pool3d_with_indices", bi_adaptive_max_pool3d_wi},
    {NULL, NULL},
};
