/* conv.c: torch.conv1d/2d/3d and conv_transpose1d/2d/3d and their
 * torch.nn.functional twins, torch.convolution (at::convolution), conv_tbc,
 * and F.unfold/F.fold: the Python-level
 * argument handling (int or tuple sizes, padding='same' and 'valid',
 * unbatched inputs) over runtime/ops/conv.c. F's tables of the nn layer
 * families (conv, pool, norm, upsample: *_functional_functions) are
 * installed by torch_module_init beside nn.c's. */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* An int or a list/tuple of ints into out[0..n); a single int repeats. */
bool arg_int_tuple(Value *v, const char *fn, const char *name, int n, int64_t dflt, int64_t *out) {
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
    if (!arg_int_tuple(v[3], fn, "stride", dims, 1, p.stride) || !arg_int_tuple(vdil, fn, "dilation", dims, 1, p.dil) ||
        !arg_int(vgroups, fn, "groups", 1, &p.groups) ||
        (transposed && !arg_int_tuple(v[5], fn, "output_padding", dims, 0, p.outpad)))
        return NULL;
    const char *padstr = NULL;
    if (!transposed && vpad && vpad->kind == VK_STR) {
        padstr = vpad->str.s;
        if (strcmp(padstr, "same") && strcmp(padstr, "valid")) {
            tsr_raise(ERR_RuntimeError, "Invalid padding string: '%s'", padstr);
            return NULL;
        }
    } else if (!arg_int_tuple(vpad, fn, "padding", dims, 0, p.pad)) {
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, "input"), *w = x ? arg_tensor(v[1], fn, "weight") : NULL, *b = NULL;
    Tensor *xb = NULL, *xp = NULL, *r = NULL;
    bool batched = true;
    if (!w) goto done;
    if (!is_none(v[2]) && !(b = arg_tensor(v[2], fn, "bias"))) goto done;
    if (dims == 2 && !transposed && !padstr && b && b->dtype != x->dtype) { /* conv2d's own check */
        tsr_raise(ERR_RuntimeError, "Input type (%s) and bias type (%s) should be the same", dtype_cpp_name(x->dtype),
                  dtype_cpp_name(b->dtype));
        goto done;
    }
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
        int64_t extra[6] = {0, 0, 0, 0, 0, 0};
        bool asym = false;
        for (int i = 0; i < dims; i++) {
            int64_t total = p.dil[i] * (w->shape[2 + i] - 1);
            p.pad[i] = total / 2;
            if (total % 2) {
                asym = true;
                extra[2 * (dims - 1 - i) + 1] = 1;
            }
        }
        static bool warned = false; /* TORCH_WARN_ONCE */
        if (asym && !warned) {
            warned = true;
            if (!tsr_warn(ERR_UserWarning,
                          "Using padding='same' with even kernel lengths and odd dilation may require a zero-padded "
                          "copy of the input be created (Triggered internally at  "
                          "./aten/src/ATen/native/Convolution.cpp:895.)"))
                goto done;
        }
        if (asym) {
            Tensor *t = op_nn_constant_pad(xp, 2 * dims, extra, 0.0);
            tensor_release(xp);
            if (!(xp = t)) goto done;
        }
    }
    /* 1.13 has complex_convolution in conv1d/2d/3d and conv_transpose1d only */
    r = unbatchify(dtype_is_complex(x->dtype) && (!transposed || dims == 1) ? op_convolution_complex(xp, w, b, &p) : op_convolution(xp, w, b, &p),
                   batched);
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
static Value *bi_conv3d(Value *self, const CallArgs *a) { return conv_common(a, 3, false, "conv3d"); }
static Value *bi_conv_transpose1d(Value *self, const CallArgs *a) {
    return conv_common(a, 1, true, "conv_transpose1d");
}
static Value *bi_conv_transpose2d(Value *self, const CallArgs *a) {
    return conv_common(a, 2, true, "conv_transpose2d");
}
static Value *bi_conv_transpose3d(Value *self, const CallArgs *a) {
    return conv_common(a, 3, true, "conv_transpose3d");
}

/* torch.convolution(input, weight, bias, stride, padding, dilation,
 * transposed, output_padding, groups): at::convolution, every argument
 * required, the int lists as lists (one value repeats) */
static bool conv_list(Value *v, int pos, const char *name, int dims, int64_t *out) {
    if (v->kind != VK_LIST && v->kind != VK_TUPLE) {
        tsr_raise(ERR_TypeError, "convolution(): argument '%s' (position %d) must be tuple of ints, not %s", name, pos,
                  val_type_name(v));
        return false;
    }
    int64_t n = v->seq.len, tmp[8];
    for (int64_t i = 0; i < n; i++) {
        Value *e = v->seq.items[i];
        if (e->kind != VK_INT && e->kind != VK_BOOL) {
            tsr_raise(ERR_TypeError, "convolution(): argument '%s' must be tuple of ints, but found element of type "
                      "%s at pos %lld", name, val_type_name(e), (long long)i + 1);
            return false;
        }
        if (i < 8) tmp[i] = e->i;
    }
    if (n != 1 && n != dims) {
        char buf[160];
        size_t k = (size_t)snprintf(buf, sizeof buf, "[");
        for (int64_t i = 0; i < n && i < 8 && k < sizeof buf; i++)
            k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%lld", i ? ", " : "", (long long)tmp[i]);
        if (k < sizeof buf) snprintf(buf + k, sizeof buf - k, "]");
        tsr_raise(ERR_RuntimeError, "expected %s to be a single integer value or a list of %d values to match the "
                  "convolution dimensions, but got %s=%s", name, dims, name, buf);
        return false;
    }
    for (int i = 0; i < dims; i++) out[i] = n == 1 ? tmp[0] : tmp[i];
    return true;
}

static Value *bi_convolution(Value *self, const CallArgs *a) {
    const char *fn = "convolution";
    Value *v[9];
    if (!args_parse_torch(a, fn, "input, weight, bias, stride, padding, dilation, transposed, output_padding, groups",
                          v))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input"), *w = x ? arg_tensor(v[1], fn, "weight") : NULL, *b = NULL, *r = NULL;
    ConvParams p;
    memset(&p, 0, sizeof p);
    if (!w || (!is_none(v[2]) && !(b = arg_tensor(v[2], fn, "bias")))) goto done;
    p.dims = w->ndim - 2;
    if (p.dims < 1 || p.dims > 3) {
        tsr_raise(ERR_RuntimeError, "tsr: convolution over a %d-dimensional weight is not supported", w->ndim);
        goto done;
    }
    if (!conv_list(v[3], 4, "stride", p.dims, p.stride) || !conv_list(v[4], 5, "padding", p.dims, p.pad) ||
        !conv_list(v[5], 6, "dilation", p.dims, p.dil) || !arg_bool(v[6], fn, "transposed", false, &p.transposed) ||
        !conv_list(v[7], 8, "output_padding", p.dims, p.outpad) || !arg_int(v[8], fn, "groups", 1, &p.groups))
        goto done;
    if (x->ndim != w->ndim) {
        char s1[256], s2[256];
        shape_str(w, s1, sizeof s1);
        shape_str(x, s2, sizeof s2);
        tsr_raise(ERR_RuntimeError, "Expected %d-dimensional input for %d-dimensional weight %s, but got "
                  "%d-dimensional input of size %s instead", w->ndim, w->ndim, s1, x->ndim, s2);
        goto done;
    }
    r = op_convolution(x, w, b, &p);
done:
    tensor_release(x);
    tensor_release(w);
    tensor_release(b);
    return wrap_tensor(r);
}

/* torch.conv_tbc(input, weight, bias, pad=0) and F.conv_tbc */
static Value *bi_conv_tbc(Value *self, const CallArgs *a) {
    const char *fn = "conv_tbc";
    Value *v[4];
    int64_t pad;
    if (!args_parse_torch(a, fn, "input, weight, bias, pad=", v) || !arg_int(v[3], fn, "pad", 0, &pad)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input"), *w = x ? arg_tensor(v[1], fn, "weight") : NULL;
    Tensor *b = w ? arg_tensor(v[2], fn, "bias") : NULL;
    Tensor *r = b ? op_conv_tbc(x, w, b, pad) : NULL;
    tensor_release(x);
    tensor_release(w);
    tensor_release(b);
    return wrap_tensor(r);
}

/* -------------------------------------------------------- unfold, fold */

static bool fold_args(const char *fn, Value *k, Value *d, Value *p, Value *st, FoldParams *f) {
    memset(f, 0, sizeof *f);
    return arg_int_tuple(k, fn, "kernel_size", 2, 1, f->k) && arg_int_tuple(d, fn, "dilation", 2, 1, f->d) &&
           arg_int_tuple(p, fn, "padding", 2, 0, f->p) && arg_int_tuple(st, fn, "stride", 2, 1, f->s);
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
        !fold_args("fold", v[2], v[3], v[4], v[5], &f) || !arg_int_tuple(v[1], "fold", "output_size", 2, 1, f.out))
        return NULL;
    Tensor *x = arg_tensor(v[0], "fold", "input");
    if (!x) return NULL;
    Tensor *r = op_col2im(x, &f);
    tensor_release(x);
    return wrap_tensor(r);
}

#define CONV_ENTRIES                                                                                   \
    {"conv1d", bi_conv1d}, {"conv2d", bi_conv2d}, {"conv_transpose1d", bi_conv_transpose1d},          \
        {"conv_transpose2d", bi_conv_transpose2d}, {"conv3d", bi_conv3d},                                  \
        {"conv_transpose3d", bi_conv_transpose3d}, {"conv_tbc", bi_conv_tbc},

const Builtin conv_functions[] = {
    CONV_ENTRIES
    {"convolution", bi_convolution},
    {NULL, NULL},
};

const Builtin conv_methods[] = {
    {NULL, NULL},
};

const Builtin conv_functional_functions[] = {
    CONV_ENTRIES
    {"unfold", bi_unfold},
    {"fold", bi_fold},
    {NULL, NULL},
};
