/* loss_ctc.c: torch.ctc_loss (its two overloads: lengths as tuples of
 * ints or as integral tensors, chosen as PyTorch's parser chooses, with
 * its "invalid combination of arguments" error) and F.ctc_loss (1.13's
 * functional.py: the reduction string to its enum, then torch.ctc_loss)
 * over runtime/ops/loss_ctc.c. */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* PyTorch's parser takes a list/tuple as "tuple of ints" when it is empty
 * or its first element is an int; the others are checked when unpacked */
static bool int_list_like(const Value *v) {
    if (!v || (v->kind != VK_LIST && v->kind != VK_TUPLE && v->kind != VK_SIZE)) return false;
    return v->seq.len == 0 || v->seq.items[0]->kind == VK_INT;
}

/* which of the 7 arguments fit overload k (0: tuples, 1: tensors) */
static bool ctc_fits(Value *const *v, int k, int i) {
    switch (i) {
    case 0:
    case 1: return v[i]->kind == VK_TENSOR;
    case 2:
    case 3: return k == 0 ? int_list_like(v[i]) : v[i]->kind == VK_TENSOR;
    case 6: return v[i]->kind == VK_BOOL;
    default: return v[i]->kind == VK_INT;
    }
}

/* PyTorch's "invalid combination of arguments" error. 1.13 adds its
 * "didn't match" lines only for a call of all seven arguments, and marks
 * every argument in a "tuple of ints" place there (a list of ints too);
 * v NULL: a call missing arguments. */
static void ctc_raise_no_match(const CallArgs *shown, Value *const *v) {
    static const char *const sig[2] = {
        "(Tensor log_probs, Tensor targets, tuple of ints input_lengths, tuple of ints target_lengths, int blank, "
        "int reduction, bool zero_infinity)",
        "(Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, int blank, int reduction, "
        "bool zero_infinity)"};
    char text[1600];
    size_t n = 0;
    text[0] = 0;
    for (int k = 0; k < 2 && n < sizeof text; k++) {
        n += (size_t)snprintf(text + n, sizeof text - n, " * %s\n", sig[k]);
        if (!v || shown->nargs + shown->nkw != 7) continue;
        if (n < sizeof text)
            n += (size_t)snprintf(text + n, sizeof text - n,
                                  "      didn't match because some of the arguments have invalid types: (");
        for (int i = 0; i < 7 && n < sizeof text; i++) {
            bool fit = ctc_fits(v, k, i) && !(k == 0 && (i == 2 || i == 3));
            n += (size_t)snprintf(text + n, sizeof text - n, "%s%s%s%s", i ? ", " : "", fit ? "" : "!",
                                  val_type_name(v[i]), fit ? "" : "!");
        }
        if (n < sizeof text) n += (size_t)snprintf(text + n, sizeof text - n, ")\n");
    }
    raise_invalid_args_expected("ctc_loss", shown, text);
}

/* a tuple of ints into a CPU int64 tensor, PyTorch's element error */
static Tensor *lengths_from_list(const Value *v, const char *name) {
    int64_t n = v->seq.len;
    Tensor *t = tensor_empty(DT_INT64, 1, &n, device_cpu());
    if (!t) return NULL;
    for (int64_t i = 0; i < n; i++) {
        const Value *e = v->seq.items[i];
        if (e->kind != VK_INT) {
            tensor_release(t);
            tsr_raise(ERR_TypeError, "ctc_loss(): argument '%s' must be tuple of ints, but found element of type %s at pos %lld",
                      name, val_type_name(e), (long long)(i + 1));
            return NULL;
        }
        ((int64_t *)tensor_data(t))[i] = e->i;
    }
    return t;
}

/* input_lengths.to(kCPU, kLong).contiguous() after the integral check */
static Tensor *lengths_from_tensor(Tensor *t) {
    Tensor *l = op_to_dtype(t, DT_INT64);
    Tensor *h = l ? op_host_contiguous(l) : NULL;
    tensor_release(l);
    return h;
}

static bool integral(const Tensor *t) { return dtype_is_int(t->dtype); }

/* v: the seven arguments of torch.ctc_loss (no NULL); shown: the call as
 * the parser's error shows it */
static Value *ctc_call(Value *const *v, const CallArgs *shown) {
    int k = -1;
    for (int o = 0; o < 2 && k < 0; o++) {
        bool fit = true;
        for (int i = 0; i < 7; i++) fit = fit && ctc_fits(v, o, i);
        if (fit) k = o;
    }
    if (k < 0) {
        ctc_raise_no_match(shown, v);
        return NULL;
    }
    Tensor *il = NULL, *tl = NULL;
    if (k == 0) {
        if ((il = lengths_from_list(v[2], "input_lengths"))) tl = lengths_from_list(v[3], "target_lengths");
    } else if (!integral(v[2]->tensor)) {
        tsr_raise(ERR_RuntimeError, "%s", "input_lengths must be integral");
    } else if (!integral(v[3]->tensor)) {
        tsr_raise(ERR_RuntimeError, "%s", "target_lengths must be integral");
    } else if ((il = lengths_from_tensor(v[2]->tensor))) {
        tl = lengths_from_tensor(v[3]->tensor);
    }
    Tensor *r = NULL;
    if (tl) {
        int64_t red = v[5]->i;
        r = op_ctc_loss(v[0]->tensor, v[1]->tensor, il, tl, v[4]->i,
                        red == 0 ? NN_RED_NONE : red == 2 ? NN_RED_SUM : red == 1 ? NN_RED_MEAN : NN_RED_NONE,
                        v[6]->b);
    }
    tensor_release(il);
    tensor_release(tl);
    return wrap_tensor(r);
}

static Value *bi_torch_ctc_loss(Value *self, const CallArgs *a) {
    Value *v[7] = {0};
    if (a->nargs > 7) {
        ctc_raise_no_match(a, NULL);
        return NULL;
    }
    if (!args_parse(a, 0, "ctc_loss",
                    "log_probs=, targets=, input_lengths=, target_lengths=, blank=, reduction=, zero_infinity=", v))
        return NULL;
    for (int i = 0; i < 4; i++)
        if (!v[i]) {
            ctc_raise_no_match(a, NULL);
            return NULL;
        }
    /* 1.13's parser reads the default reduction=Mean as 0 (none) */
    Value *dflt[3] = {val_int(0), val_int(0), val_bool(false)};
    for (int i = 4; i < 7; i++)
        if (!v[i]) v[i] = dflt[i - 4];
    Value *r = dflt[0] && dflt[1] && dflt[2] ? ctc_call(v, a) : NULL;
    for (int i = 0; i < 3; i++) val_release(dflt[i]);
    return r;
}

static Value *bi_ctc_loss(Value *self, const CallArgs *a) {
    Value *v[7] = {0};
    int red;
    if (!args_parse(a, 0, "ctc_loss",
                    "log_probs, targets, input_lengths, target_lengths, blank=, reduction=, zero_infinity=", v))
        return NULL;
    if (v[5] && v[5]->kind == VK_NONE) { /* _Reduction.get_enum(None) */
        tsr_raise(ERR_ValueError, "%s", "None is not a valid value for reduction");
        return NULL;
    }
    if (!arg_reduction(NULL, NULL, v[5], &red)) return NULL;
    Value *own[3] = {v[4] ? NULL : val_int(0), val_int(red == NN_RED_NONE ? 0 : red == NN_RED_SUM ? 2 : 1),
                     v[6] ? NULL : val_bool(false)};
    Value *w[7] = {v[0], v[1], v[2], v[3], v[4] ? v[4] : own[0], own[1], v[6] ? v[6] : own[2]};
    Value *r = NULL;
    if (w[4] && w[5] && w[6]) {
        CallArgs shown = {w, 7, NULL, NULL, 0};
        r = ctc_call(w, &shown);
    }
    for (int i = 0; i < 3; i++) val_release(own[i]);
    return r;
}

const Builtin loss_ctc_functions[] = {
    {"ctc_loss", bi_torch_ctc_loss},
    {NULL, NULL},
};

const Builtin loss_ctc_methods[] = {
    {NULL, NULL},
};

const Builtin loss_ctc_functional_functions[] = {
    {"ctc_loss", bi_ctc_loss},
    {NULL, NULL},
};
