/* norm.c: batch_norm, layer_norm, group_norm and embedding, with
 * torch.nn.functional's signatures and Python-level checks and the torch
 * namespace's, over runtime/ops/norm.c. */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

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
    if (ns->kind == VK_LIST || ns->kind == VK_TUPLE || ns->kind == VK_SIZE) {
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

const Builtin norm_functions[] = {
    {"batch_norm", bi_torch_batch_norm},
    {"layer_norm", bi_layer_norm},
    {"group_norm", bi_group_norm},
    {"embedding", bi_torch_embedding},
    {NULL, NULL},
};

const Builtin norm_methods[] = {
    {NULL, NULL},
};

const Builtin norm_functional_functions[] = {
    {"batch_norm", bi_batch_norm},
    {"layer_norm", bi_layer_norm},
    {"group_norm", bi_group_norm},
    {"embedding", bi_embedding},
    {NULL, NULL},
};
