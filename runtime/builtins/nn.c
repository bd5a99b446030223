/* nn.c: torch.nn.functional's functions over the nn ops (argument parsing
 * with F's signatures and Python-level checks), which live only in F
 * (torch_module_init installs nn_functional_functions there), and softmax
 * and log_softmax, which are torch functions and tensor methods too. */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* An optional tensor argument: *out NULL for None/absent. */
static bool opt_tensor(Value *v, const char *fn, const char *name, Tensor **out) {
    *out = NULL;
    if (is_none(v)) return true;
    return (*out = arg_tensor(v, fn, name)) != NULL;
}

static bool arg_str(Value *v, const char *fn, const char *name, const char *dflt, const char **out) {
    if (is_none(v)) {
        *out = dflt;
        return true;
    }
    if (v->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s(): argument '%s' must be str, not %s", fn, name, val_type_name(v));
        return false;
    }
    *out = v->str.s;
    return true;
}

/* reduction=, with the legacy size_average=/reduce= (_Reduction) */
#define REDUCTION_PY "/usr/lib/python3/dist-packages/torch/nn/_reduction.py"

bool arg_reduction(Value *size_average, Value *reduce, Value *reduction, int *out) {
    const char *r = "mean";
    if (!is_none(size_average) || !is_none(reduce)) {
        int sa = 1, rd = 1;
        if (!is_none(size_average) && (sa = val_truthy(size_average)) < 0) return false;
        if (!is_none(reduce) && (rd = val_truthy(reduce)) < 0) return false;
        r = sa && rd ? "mean" : rd ? "sum" : "none";
        char msg[128];
        snprintf(msg, sizeof msg, "size_average and reduce args will be deprecated, please use reduction='%s' instead.",
                 r);
        if (!tsr_warn_explicit(ERR_UserWarning, msg, REDUCTION_PY, 42, "torch.nn._reduction",
                               "warnings.warn(warning.format(ret))"))
            return false;
    } else if (!arg_str(reduction, "loss", "reduction", "mean", &r)) {
        return false;
    }
    if (!strcmp(r, "elementwise_mean") &&
        !tsr_warn_explicit(ERR_UserWarning, "reduction='elementwise_mean' is deprecated, please use reduction='mean' instead.",
                           REDUCTION_PY, 13, "torch.nn._reduction",
                           "warnings.warn(\"reduction='elementwise_mean' is deprecated, please use reduction='mean' instead.\")"))
        return false;
    if (!strcmp(r, "none")) *out = NN_RED_NONE;
    else if (!strcmp(r, "mean") || !strcmp(r, "elementwise_mean")) *out = NN_RED_MEAN;
    else if (!strcmp(r, "sum")) *out = NN_RED_SUM;
    else {
        tsr_raise(ERR_ValueError, "%s is not a valid value for reduction", r);
        return false;
    }
    return true;
}

/* "torch.Size([3, 4])" */
static void size_str(const Tensor *t, char *buf, size_t n) {
    size_t k = (size_t)snprintf(buf, n, "torch.Size([");
    for (int i = 0; i < t->ndim && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%lld", i ? ", " : "", (long long)t->shape[i]);
    if (k < n) snprintf(buf + k, n - k, "])");
}

static bool same_shape(const Tensor *a, const Tensor *b) {
    return a->ndim == b->ndim && !memcmp(a->shape, b->shape, sizeof(int64_t) * (size_t)a->ndim);
}

/* The result of an op that may return its input: the input's Value then. */
static Value *wrap_same(Tensor *r, Value *in) {
    if (r && in && in->kind == VK_TENSOR && r == in->tensor) {
        tensor_release(r);
        return val_retain(in);
    }
    return wrap_tensor(r);
}

/* ------------------------------------------------------- activations */

static Value *act_common(const char *fn, const NnActCtx *c, GradNodeKind kind, GradNodeKind kind_, bool inplace,
                         Value *in) {
    Tensor *x = arg_tensor(in, fn, "input");
    if (!x) return NULL;
    Tensor *r = inplace ? op_nn_act_(c, kind_, x) : op_nn_act(c, kind, x);
    tensor_release(x);
    return inplace ? wrap_same(r, in) : wrap_tensor(r);
}

static bool get_inplace(Value *v, const char *fn, bool *out) { return arg_bool(v, fn, "inplace", false, out); }

static Value *bi_gelu(Value *self, const CallArgs *a) {
    Value *v[2];
    const char *ap;
    if (!args_parse(a, 0, "gelu", "input, *, approximate=", v) || !arg_str(v[1], "gelu", "approximate", "none", &ap))
        return NULL;
    NnActCtx c = {NN_GELU, {0, 0, 0}, false};
    if (!strcmp(ap, "tanh")) c.kind = NN_GELU_TANH;
    else if (strcmp(ap, "none")) {
        tsr_raise(ERR_RuntimeError, "%s", "approximate argument must be either none or tanh.");
        return NULL;
    }
    return act_common("gelu", &c, NODE_GeluBackward0, NODE_NONE, false, v[0]);
}

static Value *bi_silu(Value *self, const CallArgs *a) {
    Value *v[2];
    bool ip;
    if (!args_parse(a, 0, "silu", "input, inplace=", v) || !get_inplace(v[1], "silu", &ip)) return NULL;
    NnActCtx c = {NN_SILU, {0, 0, 0}, false};
    return act_common("silu", &c, NODE_SiluBackward0, NODE_SiluBackward0, ip, v[0]);
}

/* mish, hardswish, hardsigmoid: (input, inplace=False) */
static Value *act_inplace_common(const char *fn, int kind, GradNodeKind node, const CallArgs *a) {
    Value *v[2];
    bool ip;
    if (!args_parse(a, 0, fn, "input, inplace=", v) || !get_inplace(v[1], fn, &ip)) return NULL;
    NnActCtx c = {kind, {0, 0, 0}, false};
    return act_common(fn, &c, node, node, ip, v[0]);
}
static Value *bi_mish(Value *self, const CallArgs *a) {
    return act_inplace_common("mish", NN_MISH, NODE_MishBackward0, a);
}
static Value *bi_hardswish(Value *self, const CallArgs *a) {
    return act_inplace_common("hardswish", NN_HARDSWISH, NODE_HardswishBackward0, a);
}
static Value *bi_hardsigmoid(Value *self, const CallArgs *a) {
    return act_inplace_common("hardsigmoid", NN_HARDSIGMOID, NODE_HardsigmoidBackward0, a);
}

static Value *bi_glu(Value *self, const CallArgs *a) {
    Value *v[2];
    int64_t dim = -1;
    if (!args_parse(a, 0, "glu", "input, dim=", v) || !arg_int(v[1], "glu", "dim", -1, &dim)) return NULL;
    Tensor *x = arg_tensor(v[0], "glu", "input");
    if (!x) return NULL;
    Tensor *r = op_glu(x, dim);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *elu_common(const char *fn, Value *self, const CallArgs *a, bool force_inplace) {
    Value *v[3];
    double alpha;
    bool ip = force_inplace;
    if (!args_parse(a, 0, fn, force_inplace ? "input, alpha=" : "input, alpha=, inplace=", v) ||
        !arg_double(v[1], fn, "alpha", 1.0, &alpha) || (!force_inplace && !get_inplace(v[2], fn, &ip)))
        return NULL;
    NnActCtx c = {NN_ELU, {alpha, 1, 1}, false};
    return act_common(fn, &c, NODE_EluBackward0, NODE_EluBackward1, ip, v[0]);
}
static Value *bi_elu(Value *self, const CallArgs *a) { return elu_common("elu", self, a, false); }
static Value *bi_elu_(Value *self, const CallArgs *a) { return elu_common("elu_", self, a, true); }

static Value *bi_selu(Value *self, const CallArgs *a) {
    Value *v[2];
    bool ip;
    if (!args_parse(a, 0, "selu", "input, inplace=", v) || !get_inplace(v[1], "selu", &ip)) return NULL;
    NnActCtx c = {NN_ELU, {1.6732632423543772848170429916717, 1.0507009873554804934193349852946, 1}, false};
    return act_common("selu", &c, NODE_EluBackward0, NODE_EluBackward1, ip, v[0]);
}

static Value *bi_celu(Value *self, const CallArgs *a) {
    Value *v[3];
    double alpha;
    bool ip;
    if (!args_parse(a, 0, "celu", "input, alpha=, inplace=", v) || !arg_double(v[1], "celu", "alpha", 1.0, &alpha) ||
        !get_inplace(v[2], "celu", &ip))
        return NULL;
    if (alpha == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "ZeroDivisionError");
        return NULL;
    }
    NnActCtx c = {NN_ELU, {alpha, 1, 1.0 / alpha}, false};
    return act_common("celu", &c, NODE_CeluBackward0, NODE_CeluBackward1, ip, v[0]);
}

static Value *leaky_common(const char *fn, Value *self, const CallArgs *a, bool force_inplace) {
    Value *v[3];
    double slope;
    bool ip = force_inplace;
    if (!args_parse(a, 0, fn, force_inplace ? "input, negative_slope=" : "input, negative_slope=, inplace=", v) ||
        !arg_double(v[1], fn, "negative_slope", 0.01, &slope) || (!force_inplace && !get_inplace(v[2], fn, &ip)))
        return NULL;
    NnActCtx c = {NN_LEAKY, {slope, 0, 0}, false};
    return act_common(fn, &c, NODE_LeakyReluBackward0, NODE_LeakyReluBackward1, ip, v[0]);
}
static Value *bi_leaky_relu(Value *self, const CallArgs *a) { return leaky_common("leaky_relu", self, a, false); }
static Value *bi_leaky_relu_(Value *self, const CallArgs *a) { return leaky_common("leaky_relu_", self, a, true); }

static Value *bi_softplus(Value *self, const CallArgs *a) {
    Value *v[3];
    double beta, th;
    if (!args_parse(a, 0, "softplus", "input, beta=, threshold=", v) ||
        !arg_double(v[1], "softplus", "beta", 1.0, &beta) || !arg_double(v[2], "softplus", "threshold", 20.0, &th))
        return NULL;
    NnActCtx c = {NN_SOFTPLUS, {beta, th, 0}, false};
    return act_common("softplus", &c, NODE_SoftplusBackward0, NODE_NONE, false, v[0]);
}

static Value *hardtanh_common(const char *fn, Value *self, const CallArgs *a, bool force_inplace) {
    Value *v[4];
    double lo, hi;
    bool ip = force_inplace;
    if (!args_parse(a, 0, fn, force_inplace ? "input, min_val=, max_val=" : "input, min_val=, max_val=, inplace=", v) ||
        !arg_double(v[1], fn, "min_val", -1.0, &lo) || !arg_double(v[2], fn, "max_val", 1.0, &hi) ||
        (!force_inplace && !get_inplace(v[3], fn, &ip)))
        return NULL;
    NnActCtx c = {NN_HARDTANH, {lo, hi, 0}, false};
    return act_common(fn, &c, NODE_HardtanhBackward0, NODE_HardtanhBackward0, ip, v[0]);
}
static Value *bi_hardtanh(Value *self, const CallArgs *a) { return hardtanh_common("hardtanh", self, a, false); }
static Value *bi_hardtanh_(Value *self, const CallArgs *a) { return hardtanh_common("hardtanh_", self, a, true); }

static Value *bi_relu6(Value *self, const CallArgs *a) {
    Value *v[2];
    bool ip;
    if (!args_parse(a, 0, "relu6", "input, inplace=", v) || !get_inplace(v[1], "relu6", &ip)) return NULL;
    NnActCtx c = {NN_HARDTANH, {0, 6, 0}, false};
    return act_common("relu6", &c, NODE_HardtanhBackward0, NODE_HardtanhBackward0, ip, v[0]);
}

static Value *bi_logsigmoid(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "logsigmoid", "input", v)) return NULL;
    NnActCtx c = {NN_LOGSIGMOID, {0, 0, 0}, false};
    return act_common("log_sigmoid", &c, NODE_LogSigmoidBackward0, NODE_NONE, false, v[0]);
}

/* F.relu(input, inplace=False) */
static Value *bi_relu(Value *self, const CallArgs *a) {
    Value *v[2];
    bool ip;
    if (!args_parse(a, 0, "relu", "input, inplace=", v) || !get_inplace(v[1], "relu", &ip)) return NULL;
    Tensor *x = arg_tensor(v[0], "relu", "input");
    if (!x) return NULL;
    Tensor *r = ip ? op_unary_(UN_RELU, x) : op_unary(UN_RELU, x);
    tensor_release(x);
    return ip ? wrap_same(r, v[0]) : wrap_tensor(r);
}

/* F.relu_(input) */
static Value *bi_relu_(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "relu_", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "relu_", "input");
    if (!x) return NULL;
    Tensor *r = op_unary_(UN_RELU, x);
    tensor_release(x);
    return wrap_same(r, v[0]);
}

static Value *softmax_common(const char *fn, bool log, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, dim, dtype=", v)) return NULL;
    int64_t dim;
    DType dt;
    if (!arg_int(v[1], fn, "dim", 0, &dim) || !arg_dtype(v[2], fn, &dt)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *in = x;
    if (dt != DT_UNDEFINED) {
        in = op_to_dtype(x, dt);
        tensor_release(x);
        if (!in) return NULL;
    }
    Tensor *r = op_softmax(in, dim, log);
    tensor_release(in);
    return wrap_tensor(r);
}
static Value *bi_softmax(Value *self, const CallArgs *a) { return softmax_common("softmax", false, self, a); }
static Value *bi_log_softmax(Value *self, const CallArgs *a) { return softmax_common("log_softmax", true, self, a); }

/* F.softmax, F.log_softmax, F.softmin(input, dim=None, _stacklevel=3,
 * dtype=None): without dim, F's _get_softmax_dim picks one (0 for 0-, 1-
 * and 3-d input, else 1) and warns that the choice is deprecated. softmin
 * is softmax of -input. */
static Value *f_softmax_common(const char *fn, bool log, bool negate, const CallArgs *a) {
    Value *v[4];
    DType dt;
    if (!args_parse(a, 0, fn, "input, dim=, _stacklevel=, dtype=", v) || !arg_dtype(v[3], fn, &dt)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    int64_t dim = x->ndim == 0 || x->ndim == 1 || x->ndim == 3 ? 0 : 1;
    if (is_none(v[1])) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "Implicit dimension choice for %s has been deprecated. Change the call to include dim=X as an argument.",
                 fn);
        if (!tsr_warn_caller(ERR_UserWarning, msg)) {
            tensor_release(x);
            return NULL;
        }
    } else if (!arg_int(v[1], fn, "dim", 0, &dim)) {
        tensor_release(x);
        return NULL;
    }
    Tensor *n = negate ? op_unary(UN_NEG, x) : tensor_retain(x), *c = NULL, *r = NULL;
    tensor_release(x);
    if (n && dt != DT_UNDEFINED) c = op_to_dtype(n, dt);
    else c = tensor_retain(n);
    r = c ? op_softmax(c, dim, log) : NULL;
    tensor_release(n);
    tensor_release(c);
    return wrap_tensor(r);
}
static Value *bi_f_softmax(Value *self, const CallArgs *a) { return f_softmax_common("softmax", false, false, a); }
static Value *bi_f_log_softmax(Value *self, const CallArgs *a) { return f_softmax_common("log_softmax", true, false, a); }
static Value *bi_softmin(Value *self, const CallArgs *a) { return f_softmax_common("softmin", false, true, a); }

/* ------------------------------------------------------------- losses */

/* torch.broadcast_tensors(input, target) for the pointwise losses */
static bool broadcast_pair(Tensor **x, Tensor **t) {
    int64_t sh[TSR_MAX_DIMS];
    int nd = broadcast_shapes((*x)->ndim, (*x)->shape, (*t)->ndim, (*t)->shape, sh);
    if (nd < 0) return false;
    Tensor **ts[2] = {x, t};
    for (int i = 0; i < 2; i++) {
        Tensor *c = *ts[i];
        if (c->ndim == nd && !memcmp(c->shape, sh, sizeof(int64_t) * (size_t)nd)) continue;
        Tensor *e = op_expand(c, nd, sh);
        if (!e) return false;
        tensor_release(c);
        *ts[i] = e;
    }
    return true;
}

static Value *pointwise_loss(const char *fn, int kind, Value *self, const CallArgs *a) {
    Value *v[6] = {0};
    bool huber = kind == NN_HUBER, l1 = kind < 0;
    const char *spec = huber              ? "input, target, reduction=, delta="
                       : kind == NN_SMOOTH_L1 ? "input, target, size_average=, reduce=, reduction=, beta="
                                              : "input, target, size_average=, reduce=, reduction=";
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    int red;
    double p = 1.0;
    Tensor *x = arg_tensor(v[0], fn, "input"), *t = x ? arg_tensor(v[1], fn, "target") : NULL, *r = NULL;
    if (!t) goto done;
    if (!same_shape(x, t)) { /* F's warnings.warn(..., stacklevel=2) */
        char s1[256], s2[256], msg[700];
        size_str(t, s1, sizeof s1);
        size_str(x, s2, sizeof s2);
        snprintf(msg, sizeof msg,
                 "Using a target size (%s) that is different to the input size (%s). This will likely lead to "
                 "incorrect results due to broadcasting. Please ensure they have the same size.",
                 s1, s2);
        if (!tsr_warn_unless_from(ERR_UserWarning, msg, "torch")) goto done;
    }
    if (huber) {
        if (!arg_reduction(NULL, NULL, v[2], &red) || !arg_double(v[3], fn, "delta", 1.0, &p)) goto done;
    } else if (!arg_reduction(v[2], v[3], v[4], &red) ||
               (kind == NN_SMOOTH_L1 && !arg_double(v[5], fn, "beta", 1.0, &p))) {
        goto done;
    }
    if (broadcast_pair(&x, &t)) r = l1 ? op_nn_l1_loss(x, t, red) : op_nn_pointwise_loss(kind, x, t, red, p);
done:
    tensor_release(x);
    tensor_release(t);
    return wrap_tensor(r);
}
static Value *bi_mse_loss(Value *self, const CallArgs *a) { return pointwise_loss("mse_loss", NN_MSE, self, a); }
static Value *bi_l1_loss(Value *self, const CallArgs *a) { return pointwise_loss("l1_loss", -1, self, a); }
static Value *bi_smooth_l1_loss(Value *self, const CallArgs *a) {
    return pointwise_loss("smooth_l1_loss", NN_SMOOTH_L1, self, a);
}
static Value *bi_huber_loss(Value *self, const CallArgs *a) { return pointwise_loss("huber_loss", NN_HUBER, self, a); }

static Value *nll_common(const char *fn, bool ce, Value *self, const CallArgs *a) {
    Value *v[8] = {0};
    const char *spec = ce ? "input, target, weight=, size_average=, ignore_index=, reduce=, reduction=, label_smoothing="
                          : "input, target, weight=, size_average=, ignore_index=, reduce=, reduction=";
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    int red;
    int64_t ii;
    double ls = 0;
    if (!arg_reduction(v[3], v[5], v[6], &red) || !arg_int(v[4], fn, "ignore_index", -100, &ii) ||
        (ce && !arg_double(v[7], fn, "label_smoothing", 0.0, &ls)))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input"), *t = x ? arg_tensor(v[1], fn, "target") : NULL, *w = NULL, *r = NULL;
    if (t && opt_tensor(v[2], fn, "weight", &w))
        r = ce ? op_nn_cross_entropy(x, t, w, red, ii, ls) : op_nn_nll_loss(x, t, w, red, ii);
    tensor_release(x);
    tensor_release(t);
    tensor_release(w);
    return wrap_tensor(r);
}
static Value *bi_cross_entropy(Value *self, const CallArgs *a) { return nll_common("cross_entropy", true, self, a); }
static Value *bi_nll_loss(Value *self, const CallArgs *a) { return nll_common("nll_loss", false, self, a); }

static Value *bi_binary_cross_entropy(Value *self, const CallArgs *a) {
    const char *fn = "binary_cross_entropy";
    Value *v[6] = {0};
    int red;
    if (!args_parse(a, 0, fn, "input, target, weight=, size_average=, reduce=, reduction=", v) ||
        !arg_reduction(v[3], v[4], v[5], &red))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input"), *t = x ? arg_tensor(v[1], fn, "target") : NULL, *w = NULL, *r = NULL;
    if (!t || !opt_tensor(v[2], fn, "weight", &w)) goto done;
    if (!same_shape(x, t)) {
        char s1[256], s2[256];
        size_str(t, s1, sizeof s1);
        size_str(x, s2, sizeof s2);
        tsr_raise(ERR_ValueError,
                  "Using a target size (%s) that is different to the input size (%s) is deprecated. Please ensure "
                  "they have the same size.",
                  s1, s2);
        goto done;
    }
    if (w) {
        int64_t sh[TSR_MAX_DIMS];
        int nd = broadcast_shapes(t->ndim, t->shape, w->ndim, w->shape, sh);
        Tensor *e = nd < 0 ? NULL : op_expand(w, nd, sh);
        tensor_release(w);
        if (!(w = e)) goto done;
    }
    r = op_nn_bce(x, t, w, red);
done:
    tensor_release(x);
    tensor_release(t);
    tensor_release(w);
    return wrap_tensor(r);
}

static Value *bi_bce_with_logits(Value *self, const CallArgs *a) {
    const char *fn = "binary_cross_entropy_with_logits";
    Value *v[7] = {0};
    int red;
    if (!args_parse(a, 0, fn, "input, target, weight=, size_average=, reduce=, reduction=, pos_weight=", v) ||
        !arg_reduction(v[3], v[4], v[5], &red))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input"), *t = x ? arg_tensor(v[1], fn, "target") : NULL, *w = NULL, *pw = NULL;
    Tensor *r = NULL;
    if (!t || !opt_tensor(v[2], fn, "weight", &w) || !opt_tensor(v[6], fn, "pos_weight", &pw)) goto done;
    if (!same_shape(x, t)) {
        char s1[256], s2[256];
        size_str(t, s1, sizeof s1);
        size_str(x, s2, sizeof s2);
        tsr_raise(ERR_ValueError, "Target size (%s) must be the same as input size (%s)", s1, s2);
        goto done;
    }
    r = op_nn_bce_logits(x, t, w, pw, red);
done:
    tensor_release(x);
    tensor_release(t);
    tensor_release(w);
    tensor_release(pw);
    return wrap_tensor(r);
}

/* ------------------------------------------------------------ the rest */

static Value *bi_linear(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!args_parse(a, 0, "linear", "input, weight, bias=", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "linear", "input"), *w = x ? arg_tensor(v[1], "linear", "weight") : NULL;
    Tensor *b = NULL, *r = NULL;
    if (w && opt_tensor(v[2], "linear", "bias", &b)) r = op_nn_linear(x, w, b);
    tensor_release(x);
    tensor_release(w);
    tensor_release(b);
    return wrap_tensor(r);
}

static Value *bi_dropout(Value *self, const CallArgs *a) {
    Value *v[4];
    double p;
    bool train, ip;
    if (!args_parse(a, 0, "dropout", "input, p=, training=, inplace=", v) ||
        !arg_double(v[1], "dropout", "p", 0.5, &p) || !arg_bool(v[2], "dropout", "training", true, &train) ||
        !get_inplace(v[3], "dropout", &ip))
        return NULL;
    if (p < 0 || p > 1) {
        Value *s = val_repr(v[1]);
        tsr_raise(ERR_ValueError, "dropout probability has to be between 0 and 1, but got %s",
                  s && s->kind == VK_STR ? s->str.s : "?");
        val_release(s);
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "dropout", "input");
    if (!x) return NULL;
    Tensor *r = op_nn_dropout(x, p, train, ip);
    tensor_release(x);
    return wrap_same(r, v[0]);
}

static Value *bi_one_hot(Value *self, const CallArgs *a) {
    Value *v[2];
    int64_t nc;
    if (!args_parse(a, 0, "one_hot", "tensor, num_classes=", v) || !arg_int(v[1], "one_hot", "num_classes", -1, &nc))
        return NULL;
    Tensor *t = arg_tensor(v[0], "one_hot", "tensor");
    if (!t) return NULL;
    Tensor *r = op_nn_one_hot(t, nc);
    tensor_release(t);
    return wrap_tensor(r);
}

static Value *bi_normalize(Value *self, const CallArgs *a) {
    Value *v[5];
    double p, eps;
    int64_t dim;
    if (!args_parse(a, 0, "normalize", "input, p=, dim=, eps=, out=", v) ||
        !arg_double(v[1], "normalize", "p", 2.0, &p) || !arg_int(v[2], "normalize", "dim", 1, &dim) ||
        !arg_double(v[3], "normalize", "eps", 1e-12, &eps))
        return NULL;
    if (!is_none(v[4])) {
        tsr_raise(ERR_RuntimeError, "%s", "tsr: normalize(out=) is not supported");
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], "normalize", "input");
    if (!x) return NULL;
    Tensor *r = op_nn_normalize(x, p, dim, eps);
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_pad(Value *self, const CallArgs *a) {
    Value *v[4];
    const char *mode;
    double value = 0;
    if (!args_parse(a, 0, "pad", "input, pad, mode=, value=", v) || !arg_str(v[2], "pad", "mode", "constant", &mode) ||
        (!is_none(v[3]) && !arg_double(v[3], "pad", "value", 0, &value)))
        return NULL;
    Tensor *x = arg_tensor(v[0], "pad", "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    Value *pv = v[1];
    int64_t pad[2 * TSR_MAX_DIMS + 2];
    int np = 0;
    if (pv->kind != VK_LIST && pv->kind != VK_TUPLE) {
        tsr_raise(ERR_TypeError, "pad(): argument 'pad' (position 2) must be tuple of ints, not %s", val_type_name(pv));
        goto done;
    }
    for (int64_t i = 0; i < pv->seq.len; i++) {
        Value *e = pv->seq.items[i];
        if (e->kind != VK_INT && e->kind != VK_BOOL) {
            tsr_raise(ERR_TypeError, "pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type %s at pos %lld",
                      val_type_name(e), (long long)i);
            goto done;
        }
        if (np < (int)(sizeof pad / sizeof *pad)) pad[np] = e->kind == VK_INT ? e->i : e->b;
        np++;
    }
    r = op_nn_pad(x, np, pad, mode, !is_none(v[3]), value);
done:
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_cosine_similarity(Value *self, const CallArgs *a) {
    Value *v[4];
    int64_t dim;
    double eps;
    if (!args_parse(a, 0, "cosine_similarity", "x1, x2, dim=, eps=", v) ||
        !arg_int(v[2], "cosine_similarity", "dim", 1, &dim) || !arg_double(v[3], "cosine_similarity", "eps", 1e-8, &eps))
        return NULL;
    Tensor *x1 = arg_tensor(v[0], "cosine_similarity", "x1");
    Tensor *x2 = x1 ? arg_tensor(v[1], "cosine_similarity", "x2") : NULL;
    Tensor *r = x2 ? op_nn_cosine_similarity(x1, x2, dim, eps) : NULL;
    tensor_release(x1);
    tensor_release(x2);
    return wrap_tensor(r);
}

/* torch._reduced_float_check(op, input): None, or PyTorch 1.13's refusal
 * of input's dtype by op's CPU kernel (reduced_float.h's table): what the
 * Python composites that stand in for an ATen op (F.mish, F.hardswish, ...)
 * call first */
static Value *bi_reduced_float_check(Value *self, const CallArgs *a) {
    (void)self;
    Value *v[2] = {0};
    if (!args_parse(a, 0, "_reduced_float_check", "op, input", v)) return NULL;
    if (v[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "_reduced_float_check(): argument 'op' must be str, not %s", val_type_name(v[0]));
        return NULL;
    }
    Tensor *x = arg_tensor(v[1], "_reduced_float_check", "input");
    if (!x) return NULL;
    bool ok = op_reduced_float_ok_named(v[0]->str.s, x);
    tensor_release(x);
    return ok ? val_none() : NULL;
}

/* torch.softmax, x.softmax: dim required (F's own allow none) */
#define NN_ENTRIES {"softmax", bi_softmax}, {"log_softmax", bi_log_softmax},

const Builtin nn_functions[] = {
    NN_ENTRIES
    {"_reduced_float_check", bi_reduced_float_check},
    {NULL, NULL},
};

Value *parameter_new(const CallArgs *a) {
    Value *v[2] = {0};
    if (!args_parse(a, 0, "Parameter", "data=, requires_grad=", v)) return NULL;
    bool requires_grad;
    if (!arg_bool(v[1], "Parameter", "requires_grad", true, &requires_grad)) return NULL;
    if (v[0] && v[0]->kind != VK_NONE && v[0]->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "_make_subclass(): argument 'data' (position 2) must be Tensor, not %s",
                  val_type_name(v[0]));
        return NULL;
    }
    Tensor *t = v[0] && v[0]->kind == VK_TENSOR ? tensor_alias(v[0]->tensor)
                                                : tensor_empty(tsr_default_float, 1, (int64_t[]){0}, device_cpu());
    if (!t) return NULL;
    if (requires_grad && !dtype_is_float(t->dtype)) {
        tensor_release(t);
        tsr_raise(ERR_RuntimeError, "%s", "Only Tensors of floating point and complex dtype can require gradients");
        return NULL;
    }
    t->requires_grad = requires_grad;
    t->is_parameter = true;
    return val_tensor_steal(t);
}

const Builtin nn_methods[] = {
    NN_ENTRIES
    {NULL, NULL},
};

const Builtin nn_functional_functions[] = {
    {"relu", bi_relu},
    {"relu_", bi_relu_},
    {"gelu", bi_gelu},
    {"silu", bi_silu},
    {"mish", bi_mish},
    {"hardswish", bi_hardswish},
    {"hardsigmoid", bi_hardsigmoid},
    {"glu", bi_glu},
    {"elu", bi_elu},
    {"elu_", bi_elu_},
    {"selu", bi_selu},
    {"celu", bi_celu},
    {"leaky_relu", bi_leaky_relu},
    {"leaky_relu_", bi_leaky_relu_},
    {"softplus", bi_softplus},
    {"hardtanh", bi_hardtanh},
    {"hardtanh_", bi_hardtanh_},
    {"relu6", bi_relu6},
    {"logsigmoid", bi_logsigmoid},
    {"softmin", bi_softmin},
    {"softmax", bi_f_softmax},
    {"log_softmax", bi_f_log_softmax},
    {"mse_loss", bi_mse_loss},
    {"l1_loss", bi_l1_loss},
    {"smooth_l1_loss", bi_smooth_l1_loss},
    {"huber_loss", bi_huber_loss},
    {"cross_entropy", bi_cross_entropy},
    {"nll_loss", bi_nll_loss},
    {"binary_cross_entropy", bi_binary_cross_entropy},
    {"binary_cross_entropy_with_logits", bi_bce_with_logits},
    {"linear", bi_linear},
    {"dropout", bi_dropout},
    {"one_hot", bi_one_hot},
    {"normalize", bi_normalize},
    {"pad", bi_pad},
    {"cosine_similarity", bi_cosine_similarity},
    {NULL, NULL},
};
