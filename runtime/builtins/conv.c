/* conv.c: torch.conv1d/conv2d/conv_transpose1d/conv_transpose2d and their
 * torch.nn.functional twins (F's table, conv_functional_functions, which
 * torch_module_init installs beside nn.c's), and the pooling functions:
 * the Python-level argument handling (int or tuple sizes, padding='same'
 * and 'valid', unbatched inputs) over runtime/ops/conv.c and pool.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* An int or a list/tuple of ints into out[0..n); a single int repeats. */
static bool int_tuple(Value *v, const char *fn, const char *name, int n, int64_t dflt, int64_t *out) {
    if (is_none(v)) {
        for (int i = 0; i < n; i++) out[i] = dflt;
        return true;
    }
    if (v->kind == VK_INT || v->kind == VK_BOOL) {
        for (int i = 0; i < n; i++) out[i] = v->kind == VK_INT ? v->i : v->b;
        return true;
    }
    if (v->kind == VK_LIST || v->kind == VK_TUPLE) {
        int64_t len = v->seq.len;
        for (int64_t i = 0; i < len; i++)
            if (v->seq.items[i]->kind != VK_INT && v->seq.items[i]->kind != VK_BOOL) {
                tsr_raise(ERR_TypeError, "%s(): argument '%s' must be tuple of ints, but found element of type %s at pos %lld",
                          fn, name, val_type_name(v->seq.items[i]), (long long)i);
                return false;
            }
        if (len == 1) {
            for (int i = 0; i < n; i++) out[i] = v->seq.items[0]->i;
            return true;
        }
        if (len != n) {
            char buf[256];
            size_t k = (size_t)snprintf(buf, sizeof buf, "[");
            for (int64_t i = 0; i < len && k < sizeof buf; i++)
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%lld", i ? ", " : "", (long long)v->seq.items[i]->i);
            if (k < sizeof buf) snprintf(buf + k, sizeof buf - k, "]");
            tsr_raise(ERR_RuntimeError,
                      "expected %s to be a single integer value or a list of %d values to match the convolution dimensions, but got %s=%s",
                      name, n, name, buf);
            return false;
        }
        for (int i = 0; i < n; i++) out[i] = v->seq.items[i]->i;
        return true;
    }
    tsr_raise(ERR_TypeError, "%s(): argument '%s' must be tuple of ints, not %s", fn, name, val_type_name(v));
    return false;
}

/* x unsqueezed to a batch of one when it has dims + 1 dims; *batched says which */
static Tensor *batchify(Tensor *x, int dims, const char *fn, bool *batched) {
    if (x->ndim != dims + 1 && x->ndim != dims + 2) {
        char s[256];
        shape_str(x, s, sizeof s);
        tsr_raise(ERR_RuntimeError, "Expected %dD (unbatched) or %dD (batched) input to %s, but got input of size: %s",
                  dims + 1, dims + 2, fn, s);
        return NULL;
    }
    *batched = x->ndim == dims + 2;
    return *batched ? tensor_retain(x) : op_unsqueeze(x, 0);
}

static Tensor *unbatchify(Tensor *r, bool batched) {
    if (!r || batched) return r;
    int64_t d = 0;
    Tensor *s = op_squeeze(r, 1, &d);
    tensor_release(r);
    return s;
}

static Value *conv_common(const CallArgs *a, int dims, bool transposed, const char *fn) {
    Value *v[8];
    const char *spec = transposed ? "input, weight, bias=, stride=, padding=, output_padding=, groups=, dilation="
                                  : "input, weight, bias=, stride=, padding=, dilation=, groups=";
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    ConvParams p;
    memset(&p, 0, sizeof p);
    p.dims = dims;
    p.transposed = transposed;
    Value *vpad = v[4], *vdil = transposed ? v[7] : v[5], *vgroups = transposed ? v[6] : v[6];
    if (!int_tuple(v[3], fn, "stride", dims, 1, p.stride) || !int_tuple(vdil, fn, "dilation", dims, 1, p.dil) ||
        !arg_int(vgroups, fn, "groups", 1, &p.groups) ||
        (transposed && !int_tuple(v[5], fn, "output_padding", dims, 0, p.outpad)))
        return NULL;
    const char *padstr = NULL;
    if (!transposed && vpad && vpad->kind == VK_STR) {
        padstr = vpad->str.s;
        if (strcmp(padstr, "same") && strcmp(padstr, "valid")) {
            tsr_raise(ERR_RuntimeError, "Invalid padding string: '%s'", padstr);
            return NULL;
        }
    } else if (!int_tuple(vpad, fn, "padding", dims, 0, p.pad)) {
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, "input"), *w = x ? arg_tensor(v[1], fn, "weight") : NULL, *b = NULL;
    Tensor *xb = NULL, *xp = NULL, *r = NULL;
    bool batched = true;
    if (!w) goto done;
    if (!is_none(v[2]) && !(b = arg_tensor(v[2], fn, "bias"))) goto done;
    if (!(xb = batchify(x, dims, fn, &batched))) goto done;
    if (w->ndim >= 3 && w->ndim != dims + 2) {
        char buf[128];
        size_t k = (size_t)snprintf(buf, sizeof buf, "[");
        for (int i = 0; i < dims; i++) k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%lld", i ? ", " : "", (long long)p.stride[i]);
        snprintf(buf + k, sizeof buf - k, "]");
        tsr_raise(ERR_RuntimeError,
                  "expected stride to be a single integer value or a list of %d values to match the convolution dimensions, but got stride=%s",
                  w->ndim - 2, buf);
        goto done;
    }
    xp = tensor_retain(xb);
    if (padstr && !strcmp(padstr, "same")) {
        for (int i = 0; i < dims; i++)
            if (p.stride[i] != 1) {
                tsr_raise(ERR_RuntimeError, "%s", "padding='same' is not supported for strided convolutions");
                goto done;
            }
        if (w->ndim != dims + 2) {
            char s1[256], s2[256];
            shape_str(w, s1, sizeof s1);
            shape_str(xb, s2, sizeof s2);
            tsr_raise(ERR_RuntimeError,
                      "Expected %d-dimensional input for %d-dimensional weight %s, but got %d-dimensional input of size %s instead",
                      w->ndim, w->ndim, s1, xb->ndim, s2);
            goto done;
        }
        int64_t extra[4] = {0, 0, 0, 0};
        bool asym = false;
        for (int i = 0; i < dims; i++) {
            int64_t total = p.dil[i] * (w->shape[2 + i] - 1);
            p.pad[i] = total / 2;
            if (total % 2) {
                asym = true;
                extra[2 * (dims - 1 - i) + 1] = 1;
            }
        }
        if (asym) {
            Tensor *t = op_nn_constant_pad(xp, 2 * dims, extra, 0.0);
            tensor_release(xp);
            if (!(xp = t)) goto done;
        }
    }
    r = unbatchify(op_convolution(xp, w, b, &p), batched);
done:
    tensor_release(x);
    tensor_release(w);
    tensor_release(b);
    tensor_release(xb);
    tensor_release(xp);
    return wrap_tensor(r);
}

static Value *bi_conv1d(Value *self, const CallArgs *a) { return conv_common(a, 1, false, "conv1d"); }
static Value *bi_conv2d(Value *self, const CallArgs *a) { return conv_common(a, 2, false, "conv2d"); }
static Value *bi_conv_transpose1d(Value *self, const CallArgs *a) {
    return conv_common(a, 1, true, "conv_transpose1d");
}
static Value *bi_conv_transpose2d(Value *self, const CallArgs *a) {
    return conv_common(a, 2, true, "conv_transpose2d");
}

/* ------------------------------------------------------------ pooling */

/* x pooled by op_pool2d; dims 1 runs on x.unsqueeze(-2) and squeezes the
 * result (and the indices) back */
static Value *pool_run(Tensor *x, int dims, PoolParams *p, bool return_indices) {
    Tensor *xi = dims == 1 ? op_unsqueeze(x, -2) : tensor_retain(x), *idx = NULL, *r = NULL;
    if (!xi) return NULL;
    r = op_pool2d(xi, p, return_indices ? &idx : NULL);
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

/* kernel_size, stride (None or empty: the kernel), padding, dilation of a
 * dims-d pooling into the 2-d p (height 1 for 1-d) */
static bool pool_sizes(const char *fn, int dims, Value *k, Value *st, Value *pad, Value *dil, PoolParams *p) {
    int64_t kk[2], ss[2], pp[2], dd[2] = {1, 1};
    if (!int_tuple(k, fn, "kernel_size", dims, 1, kk)) return false;
    bool no_stride = is_none(st) || ((st->kind == VK_LIST || st->kind == VK_TUPLE) && st->seq.len == 0);
    if (no_stride) memcpy(ss, kk, sizeof ss);
    else if (!int_tuple(st, fn, "stride", dims, 1, ss)) return false;
    if (!int_tuple(pad, fn, "padding", dims, 0, pp) || (dil && !int_tuple(dil, fn, "dilation", dims, 1, dd))) return false;
    if (dims == 1) {
        p->kh = p->sh = p->dh = 1;
        p->ph = 0;
        p->kw = kk[0], p->sw = ss[0], p->pw = pp[0], p->dw = dd[0];
    } else {
        p->kh = kk[0], p->kw = kk[1], p->sh = ss[0], p->sw = ss[1];
        p->ph = pp[0], p->pw = pp[1], p->dh = dd[0], p->dw = dd[1];
    }
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
static Value *bi_max_pool1d_wi(Value *self, const CallArgs *a) {
    return max_pool_common(a, 1, "max_pool1d_with_indices", 1);
}
static Value *bi_max_pool2d_wi(Value *self, const CallArgs *a) {
    return max_pool_common(a, 2, "max_pool2d_with_indices", 1);
}

static Value *avg_pool_common(const CallArgs *a, int dims, const char *fn) {
    Value *v[7];
    const char *spec = dims == 2 ? "input, kernel_size, stride=, padding=, ceil_mode=, count_include_pad=, divisor_override="
                                 : "input, kernel_size, stride=, padding=, ceil_mode=, count_include_pad=";
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    PoolParams p;
    memset(&p, 0, sizeof p);
    p.kind = NN_POOL_AVG;
    if (!pool_sizes(fn, dims, v[1], v[2], v[3], NULL, &p) || !arg_bool(v[4], fn, "ceil_mode", false, &p.ceil) ||
        !arg_bool(v[5], fn, "count_include_pad", true, &p.count_include_pad))
        return NULL;
    if (dims == 2 && !is_none(v[6])) {
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

static Value *adaptive_common(const CallArgs *a, int dims, bool max, const char *fn) {
    Value *v[3];
    if (!args_parse(a, 0, fn, max ? "input, output_size, return_indices=" : "input, output_size", v)) return NULL;
    bool ri = false;
    if (max && !arg_bool(v[2], fn, "return_indices", false, &ri)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    PoolParams p;
    memset(&p, 0, sizeof p);
    p.kind = max ? NN_POOL_AMAX : NN_POOL_AAVG;
    int64_t os[2] = {-1, -1};
    Value *o = v[1], *r = NULL;
    if (o->kind == VK_LIST || o->kind == VK_TUPLE) {
        if (o->seq.len != dims) {
            tsr_raise(ERR_RuntimeError, "%s: output_size must be %d", fn, dims);
            goto done;
        }
        for (int i = 0; i < dims; i++)
            if (!is_none(o->seq.items[i]) && !arg_int(o->seq.items[i], fn, "output_size", 0, &os[i])) goto done;
    } else if (!arg_int(o, fn, "output_size", 0, &os[0])) {
        goto done;
    } else if (dims == 2) {
        os[1] = os[0];
    }
    if (dims == 1) {
        if (x->ndim != 2 && x->ndim != 3) {
            tsr_raise(ERR_RuntimeError, "%s(): Expected 2D or 3D tensor, but got %d-dimensional tensor", fn, x->ndim);
            goto done;
        }
        p.oh = 1;
        p.ow = os[0] < 0 ? x->shape[x->ndim - 1] : os[0];
    } else {
        p.oh = os[0] < 0 && x->ndim >= 2 ? x->shape[x->ndim - 2] : os[0];
        p.ow = os[1] < 0 && x->ndim >= 1 ? x->shape[x->ndim - 1] : os[1];
    }
    if (!max && dims == 2 && p.oh == 1 && p.ow == 1 && (x->ndim == 3 || x->ndim == 4) && tensor_numel(x) > 0) {
        int64_t d[2] = {-1, -2};
        r = wrap_tensor(op_mean(x, 2, d, true, DT_UNDEFINED));
        goto done;
    }
    r = pool_run(x, dims, &p, ri);
done:
    tensor_release(x);
    return r;
}

static Value *bi_adaptive_avg_pool1d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 1, false, "adaptive_avg_pool1d");
}
static Value *bi_adaptive_avg_pool2d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 2, false, "adaptive_avg_pool2d");
}
static Value *bi_adaptive_max_pool1d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 1, true, "adaptive_max_pool1d");
}
static Value *bi_adaptive_max_pool2d(Value *self, const CallArgs *a) {
    return adaptive_common(a, 2, true, "adaptive_max_pool2d");
}

/* ------------------------------------------------------ normalization */

static bool opt_t(Value *v, const char *fn, const char *name, Tensor **out) {
    *out = NULL;
    return is_none(v) || (*out = arg_tensor(v, fn, name)) != NULL;
}

/* "torch.Size([1, 3])" */
static void size_repr(const Tensor *x, char *buf, size_t n) {
    char s[240];
    shape_str((Tensor *)x, s, sizeof s);
    snprintf(buf, n, "torch.Size(%s)", s);
}

static Value *bi_batch_norm(Value *self, const CallArgs *a) {
    Value *v[8];
    if (!args_parse(a, 0, "batch_norm", "input, running_mean, running_var, weight=, bias=, training=, momentum=, eps=", v))
        return NULL;
    bool train;
    double mom, eps;
    if (!arg_bool(v[5], "batch_norm", "training", false, &train) || !arg_double(v[6], "batch_norm", "momentum", 0.1, &mom) ||
        !arg_double(v[7], "batch_norm", "eps", 1e-5, &eps))
        return NULL;
    Tensor *t[5] = {NULL, NULL, NULL, NULL, NULL}, *r = NULL;
    static const char *const names[] = {"input", "running_mean", "running_var", "weight", "bias"};
    for (int i = 0; i < 5; i++)
        if (!(i == 0 ? (t[0] = arg_tensor(v[0], "batch_norm", "input")) != NULL : opt_t(v[i], "batch_norm", names[i], &t[i])))
            goto done;
    if (train) {
        Tensor *x = t[0];
        int64_t sp = x->ndim >= 1 ? x->shape[0] : 1;
        for (int i = 2; i < x->ndim; i++) sp *= x->shape[i];
        if (sp == 1 && x->ndim >= 2) {
            char buf[256];
            size_repr(x, buf, sizeof buf);
            tsr_raise(ERR_ValueError, "Expected more than 1 value per channel when training, got input size %s", buf);
            goto done;
        }
    }
    r = op_batch_norm(t[0], t[1], t[2], t[3], t[4], train, mom, eps);
done:
    for (int i = 0; i < 5; i++) tensor_release(t[i]);
    return wrap_tensor(r);
}

static Value *bi_layer_norm(Value *self, const CallArgs *a) {
    Value *v[5];
    if (!args_parse(a, 0, "layer_norm", "input, normalized_shape, weight=, bias=, eps=", v)) return NULL;
    double eps;
    int64_t shape[TSR_MAX_DIMS];
    int nd = 0;
    if (!arg_double(v[4], "layer_norm", "eps", 1e-5, &eps)) return NULL;
    Value *ns = v[1];
    if (ns->kind == VK_INT) {
        shape[0] = ns->i;
        nd = 1;
    } else if (ns->kind == VK_LIST || ns->kind == VK_TUPLE || ns->kind == VK_SIZE) {
        if (ns->seq.len > TSR_MAX_DIMS) {
            tsr_raise(ERR_RuntimeError, "%s", "layer_norm: normalized_shape has too many dims");
            return NULL;
        }
        for (int64_t i = 0; i < ns->seq.len; i++)
            if (!arg_int(ns->seq.items[i], "layer_norm", "normalized_shape", 0, &shape[nd++])) return NULL;
    } else {
        tsr_raise(ERR_TypeError, "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not %s",
                  val_type_name(ns));
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "layer_norm", "input"), *w = NULL, *b = NULL, *r = NULL;
    if (x && opt_t(v[2], "layer_norm", "weight", &w) && opt_t(v[3], "layer_norm", "bias", &b))
        r = op_layer_norm(x, nd, shape, w, b, eps);
    tensor_release(x);
    tensor_release(w);
    tensor_release(b);
    return wrap_tensor(r);
}

static Value *bi_group_norm(Value *self, const CallArgs *a) {
    Value *v[5];
    if (!args_parse(a, 0, "group_norm", "input, num_groups, weight=, bias=, eps=", v)) return NULL;
    double eps;
    int64_t G;
    if (!arg_int(v[1], "group_norm", "num_groups", 1, &G) || !arg_double(v[4], "group_norm", "eps", 1e-5, &eps))
        return NULL;
    Tensor *x = arg_tensor(v[0], "group_norm", "input"), *w = NULL, *b = NULL, *r = NULL;
    if (!x) return NULL;
    if (x->ndim < 2) {
        tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [%d, %d], but got 1)",
                  x->ndim ? -x->ndim : -1, x->ndim ? x->ndim - 1 : 0);
        goto done;
    }
    if (G > 0 && x->shape[1] % G == 0) {
        int64_t sp = x->shape[0] * (x->shape[1] / G);
        for (int i = 2; i < x->ndim; i++) sp *= x->shape[i];
        if (sp == 1) {
            char s[240];
            size_t k = (size_t)snprintf(s, sizeof s, "[%lld, %lld", (long long)(x->shape[0] * x->shape[1] / G), (long long)G);
            for (int i = 2; i < x->ndim; i++) k += (size_t)snprintf(s + k, sizeof s - k, ", %lld", (long long)x->shape[i]);
            snprintf(s + k, sizeof s - k, "]");
            tsr_raise(ERR_ValueError, "Expected more than 1 value per channel when training, got input size %s", s);
            goto done;
        }
    }
    if (opt_t(v[2], "group_norm", "weight", &w) && opt_t(v[3], "group_norm", "bias", &b))
        r = op_group_norm(x, G, w, b, eps);
done:
    tensor_release(x);
    tensor_release(w);
    tensor_release(b);
    return wrap_tensor(r);
}

static Value *bi_embedding(Value *self, const CallArgs *a) {
    Value *v[7];
    if (!args_parse(a, 0, "embedding", "input, weight, padding_idx=, max_norm=, norm_type=, scale_grad_by_freq=, sparse=", v))
        return NULL;
    Tensor *ix = arg_tensor(v[0], "embedding", "input"), *w = ix ? arg_tensor(v[1], "embedding", "weight") : NULL, *r = NULL;
    int64_t pad = -1;
    if (!w) goto done;
    if (!is_none(v[3])) {
        tsr_raise(ERR_RuntimeError, "%s", "tsr: embedding(max_norm=) is not supported");
        goto done;
    }
    if (!is_none(v[2])) {
        if (!arg_int(v[2], "embedding", "padding_idx", -1, &pad)) goto done;
        int64_t nw = w->ndim ? w->shape[0] : 0;
        if (pad > 0 && pad >= nw) {
            tsr_raise(ERR_AssertionError, "%s", "Padding_idx must be within num_embeddings");
            goto done;
        }
        if (pad < 0) {
            if (pad < -nw) {
                tsr_raise(ERR_AssertionError, "%s", "Padding_idx must be within num_embeddings");
                goto done;
            }
            pad += nw;
        }
    }
    r = op_embedding(w, ix, pad);
done:
    tensor_release(ix);
    tensor_release(w);
    return wrap_tensor(r);
}

/* torch.batch_norm(input, weight, bias, running_mean, running_var,
 * training, momentum, eps, cudnn_enabled) */
static Value *bi_torch_batch_norm(Value *self, const CallArgs *a) {
    Value *v[9];
    if (!args_parse(a, 0, "batch_norm",
                    "input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled", v))
        return NULL;
    bool train, cudnn;
    double mom, eps;
    if (!arg_bool(v[5], "batch_norm", "training", false, &train) || !arg_double(v[6], "batch_norm", "momentum", 0.1, &mom) ||
        !arg_double(v[7], "batch_norm", "eps", 1e-5, &eps) || !arg_bool(v[8], "batch_norm", "cudnn_enabled", false, &cudnn))
        return NULL;
    Tensor *t[5] = {NULL, NULL, NULL, NULL, NULL}, *r = NULL;
    static const char *const names[] = {"input", "weight", "bias", "running_mean", "running_var"};
    for (int i = 0; i < 5; i++)
        if (!(i == 0 ? (t[0] = arg_tensor(v[0], "batch_norm", "input")) != NULL : opt_t(v[i], "batch_norm", names[i], &t[i])))
            goto done;
    r = op_batch_norm(t[0], t[3], t[4], t[1], t[2], train, mom, eps);
done:
    for (int i = 0; i < 5; i++) tensor_release(t[i]);
    return wrap_tensor(r);
}

/* torch.embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False) */
static Value *bi_torch_embedding(Value *self, const CallArgs *a) {
    Value *v[5];
    int64_t pad;
    if (!args_parse(a, 0, "embedding", "weight, indices, padding_idx=, scale_grad_by_freq=, sparse=", v) ||
        !arg_int(v[2], "embedding", "padding_idx", -1, &pad))
        return NULL;
    Tensor *w = arg_tensor(v[0], "embedding", "weight"), *ix = w ? arg_tensor(v[1], "embedding", "indices") : NULL;
    Tensor *r = ix ? op_embedding(w, ix, pad) : NULL;
    tensor_release(w);
    tensor_release(ix);
    return wrap_tensor(r);
}

/* -------------------------------------------------------- unfold, fold */

static bool fold_args(const char *fn, Value *k, Value *d, Value *p, Value *st, FoldParams *f) {
    memset(f, 0, sizeof *f);
    return int_tuple(k, fn, "kernel_size", 2, 1, f->k) && int_tuple(d, fn, "dilation", 2, 1, f->d) &&
           int_tuple(p, fn, "padding", 2, 0, f->p) && int_tuple(st, fn, "stride", 2, 1, f->s);
}

static Value *bi_unfold(Value *self, const CallArgs *a) {
    Value *v[5];
    FoldParams f;
    if (!args_parse(a, 0, "unfold", "input, kernel_size, dilation=, padding=, stride=", v) ||
        !fold_args("unfold", v[1], v[2], v[3], v[4], &f))
        return NULL;
    Tensor *x = arg_tensor(v[0], "unfold", "input");
    if (!x) return NULL;
    Tensor *r = op_im2col(x, &f);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_fold(Value *self, const CallArgs *a) {
    Value *v[6];
    FoldParams f;
    if (!args_parse(a, 0, "fold", "input, output_size, kernel_size, dilation=, padding=, stride=", v) ||
        !fold_args("fold", v[2], v[3], v[4], v[5], &f) || !int_tuple(v[1], "fold", "output_size", 2, 1, f.out))
        return NULL;
    Tensor *x = arg_tensor(v[0], "fold", "input");
    if (!x) return NULL;
    Tensor *r = op_col2im(x, &f);
    tensor_release(x);
    return wrap_tensor(r);
}

/* ------------------------------------------------------- interpolate */

static const char *const INTERP_MODES =
    "nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact";

static Value *bi_interpolate(Value *self, const CallArgs *a) {
    Value *v[7];
    if (!args_parse(a, 0, "interpolate",
                    "input, size=, scale_factor=, mode=, align_corners=, recompute_scale_factor=, antialias=", v))
        return NULL;
    const char *mode = "nearest";
    if (!is_none(v[3])) {
        if (v[3]->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "interpolate(): argument 'mode' must be str, not %s", val_type_name(v[3]));
            return NULL;
        }
        mode = v[3]->str.s;
    }
    bool align = false, recompute = false;
    bool nearest_like = !strcmp(mode, "nearest") || !strcmp(mode, "area") || !strcmp(mode, "nearest-exact");
    if (nearest_like && !is_none(v[4])) {
        tsr_raise(ERR_ValueError,
                  "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
        return NULL;
    }
    if (!arg_bool(v[4], "interpolate", "align_corners", false, &align) ||
        !arg_bool(v[5], "interpolate", "recompute_scale_factor", false, &recompute))
        return NULL;
    Tensor *x = arg_tensor(v[0], "interpolate", "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    int dim = x->ndim - 2;
    UpsampleParams p;
    memset(&p, 0, sizeof p);
    Value *size = v[1], *sf = v[2];
    if (!is_none(size) && !is_none(sf)) {
        tsr_raise(ERR_ValueError, "%s", "only one of size or scale_factor should be defined");
        goto done;
    }
    if (is_none(size) && is_none(sf)) {
        tsr_raise(ERR_ValueError, "%s", "either size or scale_factor should be defined");
        goto done;
    }
    if (dim < 1 || dim > 2) {
        if (dim == 3) tsr_raise(ERR_NotImplementedError, "%s", "tsr: 3-d (5D input) interpolation is not supported");
        else
            tsr_raise(ERR_NotImplementedError,
                      "Input Error: Only 3D, 4D and 5D input Tensors supported (got %dD) for the modes: %s (got %s)",
                      x->ndim, INTERP_MODES, mode);
        goto done;
    }
    Value *given = is_none(size) ? sf : size;
    bool is_seq = given->kind == VK_LIST || given->kind == VK_TUPLE;
    if (is_seq && given->seq.len != dim) {
        Value *rep = val_repr(given);
        char sp[128];
        size_t k = (size_t)snprintf(sp, sizeof sp, "[");
        for (int i = 0; i < dim; i++) k += (size_t)snprintf(sp + k, sizeof sp - k, "%s%lld", i ? ", " : "", (long long)x->shape[2 + i]);
        snprintf(sp + k, sizeof sp - k, "]");
        if (given == size)
            tsr_raise(ERR_ValueError,
                      "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of %s and output size of %s. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.",
                      sp, rep && rep->kind == VK_STR ? rep->str.s : "?");
        else
            tsr_raise(ERR_ValueError,
                      "Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of %s and scale_factor of shape %s. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.",
                      sp, rep && rep->kind == VK_STR ? rep->str.s : "?");
        val_release(rep);
        goto done;
    }
    for (int i = 0; i < dim; i++) {
        Value *e = is_seq ? given->seq.items[i] : given;
        if (given == size) {
            if (!arg_int(e, "interpolate", "size", 0, &p.out[i])) goto done;
        } else {
            double s;
            if (!arg_double(e, "interpolate", "scale_factor", 1.0, &s)) goto done;
            p.out[i] = (int64_t)floor((double)x->shape[2 + i] * s);
            if (!recompute) p.scale[i] = s;
        }
    }
    p.dims = dim;
    p.align_corners = align;
    if (!strcmp(mode, "nearest")) {
        p.bilinear = false;
    } else if (!strcmp(mode, "bilinear")) {
        if (dim != 2) {
            tsr_raise(ERR_NotImplementedError, "Got %dD input, but bilinear mode needs 4D input", x->ndim);
            goto done;
        }
        p.bilinear = true;
    } else if (!strcmp(mode, "linear") || !strcmp(mode, "bicubic") || !strcmp(mode, "trilinear") ||
               !strcmp(mode, "area") || !strcmp(mode, "nearest-exact")) {
        tsr_raise(ERR_NotImplementedError, "tsr: interpolate(mode='%s') is not supported", mode);
        goto done;
    } else {
        tsr_raise(ERR_NotImplementedError,
                  "Input Error: Only 3D, 4D and 5D input Tensors supported (got %dD) for the modes: %s (got %s)", x->ndim,
                  INTERP_MODES, mode);
        goto done;
    }
    r = op_upsample(x, &p);
done:
    tensor_release(x);
    return wrap_tensor(r);
}

#define CONV_ENTRIES                                                                                   \
    {"conv1d", bi_conv1d}, {"conv2d", bi_conv2d}, {"conv_transpose1d", bi_conv_transpose1d},          \
        {"conv_transpose2d", bi_conv_transpose2d},

const Builtin conv_functions[] = {
    CONV_ENTRIES
    {"max_pool1d", bi_max_pool1d},
    {"max_pool2d", bi_max_pool2d},
    {"avg_pool1d", bi_avg_pool1d},
    {"adaptive_avg_pool1d", bi_adaptive_avg_pool1d},
    {"batch_norm", bi_torch_batch_norm},
    {"layer_norm", bi_layer_norm},
    {"group_norm", bi_group_norm},
    {"embedding", bi_torch_embedding},
    {NULL, NULL},
};

const Builtin conv_methods[] = {
    {NULL, NULL},
};

const Builtin conv_functional_functions[] = {
    CONV_ENTRIES
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
    {"batch_norm", bi_batch_norm},
    {"layer_norm", bi_layer_norm},
    {"group_norm", bi_group_norm},
    {"embedding", bi_embedding},
    {"unfold", bi_unfold},
    {"fold", bi_fold},
    {"interpolate", bi_interpolate},
    {NULL, NULL},
};
