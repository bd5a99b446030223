/* torch_aliases.c: torch functions that are another spelling of an op tsr
 * has (torch.fill_(x, v) is x.fill_(v), torch.rsub(x, y) is y - x), and
 * the tensor methods of that kind (is_complex, sgn_). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* torch.NAME(input, ...): the method input.NAME(...) */
static Value *as_method(const char *name, const CallArgs *a) {
    Value *input = a->nargs > 0 ? a->args[0] : NULL;
    int first_kw = -1;
    for (int k = 0; !input && k < a->nkw; k++)
        if (!strcmp(a->kwnames[k], "input")) input = a->kwvals[first_kw = k];
    if (!input) {
        tsr_raise(ERR_TypeError, "%s() missing 1 required positional arguments: \"input\"", name);
        return NULL;
    }
    if (input->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "%s(): argument 'input' (position 1) must be Tensor, not %s", name,
                  val_type_name(input));
        return NULL;
    }
    const Builtin *m = tensor_method_lookup(name);
    if (!m) {
        tsr_raise(ERR_RuntimeError, "internal error: no method %s", name);
        return NULL;
    }
    const char *kwnames[ARGS_MAX];
    Value *kwvals[ARGS_MAX];
    int nkw = 0;
    for (int k = 0; k < a->nkw && nkw < ARGS_MAX; k++)
        if (k != first_kw) kwnames[nkw] = a->kwnames[k], kwvals[nkw++] = a->kwvals[k];
    CallArgs rest = {a->nargs > 0 ? a->args + 1 : a->args, a->nargs > 0 ? a->nargs - 1 : 0, kwnames, kwvals, nkw};
    return m->fn(input, &rest);
}

/* PyTorch's "invalid combination of arguments" message with its overloads,
 * joined on one line as its last line prints it */
static void raise_overloads(const char *fn, const CallArgs *a, const char *overloads) {
    raise_invalid_args(fn, a);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s, but expected one of:%s", tsr_err_msg(), overloads);
    tsr_err_clear();
    tsr_raise(ERR_TypeError, "%s", msg);
}

#define TORCH_METHOD_ALIASES(X) X(fill_) X(zero_) X(detach_) X(clamp_min_) X(clamp_max_)

#define X(name) \
    static Value *bi_##name(Value *self, const CallArgs *a) { return as_method(#name, a); }
TORCH_METHOD_ALIASES(X)
#undef X

/* torch.fill(input, value): a new tensor */
static Value *bi_fill(Value *self, const CallArgs *a) {
    Value *v[2];
    if (a->nargs + a->nkw != 2 || !args_parse(a, 0, "fill", "input, value", v) || v[0]->kind != VK_TENSOR ||
        !(v[1]->kind == VK_TENSOR || v[1]->kind == VK_INT || v[1]->kind == VK_FLOAT || v[1]->kind == VK_BOOL)) {
        if (!tsr_err_occurred() || tsr_err_kind() == ERR_TypeError) {
            tsr_err_clear();
            raise_overloads("fill", a, " * (Tensor input, Tensor value) * (Tensor input, Number value)");
        }
        return NULL;
    }
    Tensor *val = arg_tensor_or_scalar(v[1], "fill", "value");
    if (!val) return NULL;
    Tensor *r = op_fill(v[0]->tensor, val);
    tensor_release(val);
    return wrap_tensor(r);
}

/* torch.rsub(input, other, alpha=1): other - alpha * input */
static Value *bi_rsub(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!args_parse(a, 0, "rsub", "input, other, alpha=", v)) return NULL;
    bool other_number = v[1]->kind == VK_INT || v[1]->kind == VK_FLOAT || v[1]->kind == VK_BOOL;
    /* rsub(Tensor, Tensor, *, alpha) / rsub(Tensor, Number, Number alpha) */
    bool alpha_positional = a->nargs > 2;
    bool alpha_ok = !v[2] || v[2]->kind == VK_INT || v[2]->kind == VK_FLOAT || v[2]->kind == VK_BOOL;
    if (v[0]->kind != VK_TENSOR || !(other_number || v[1]->kind == VK_TENSOR) || !alpha_ok ||
        (alpha_positional && !other_number)) {
        raise_overloads("rsub", a,
                        " * (Tensor input, Tensor other, *, Number alpha) * (Tensor input, Number other, Number alpha)");
        return NULL;
    }
    double alpha = 1;
    if (v[2] && !val_as_double(v[2], &alpha)) return NULL;
    Tensor *other = arg_tensor_or_scalar(v[1], "rsub", "other");
    if (!other) return NULL;
    Tensor *r = op_rsub(v[0]->tensor, other, alpha);
    tensor_release(other);
    return wrap_tensor(r);
}

/* is_complex(input) */
static Value *bi_is_complex(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, "is_complex", "input", v)) return NULL;
    if (v[0]->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "is_complex(): argument 'input' (position 1) must be Tensor, not %s",
                  val_type_name(v[0]));
        return NULL;
    }
    return val_bool(dtype_is_complex(v[0]->tensor->dtype));
}

static Value *bi_get_device(Value *self, const CallArgs *a) { return as_method("get_device", a); }

/* x.sgn_(): sgn written back into x (SgnBackward0) */
static Value *bi_sgn_(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "sgn_", "", NULL)) return NULL;
    Tensor *x = self->tensor, *r = NULL;
    if (op_inplace_allowed(x)) {
        Tensor *s = op_inplace_standin(x, ag_any_requires_grad(&x, 1));
        if (s) r = commit_inplace(x, op_sgn(s), BROADCAST_FMT);
        tensor_release(s);
    }
    return inplace_result(self, r);
}

const Builtin torch_aliases_functions[] = {
#define X(name) {#name, bi_##name},
    TORCH_METHOD_ALIASES(X)
#undef X
    {"fill", bi_fill},
    {"rsub", bi_rsub},
    {"is_complex", bi_is_complex},
    {"get_device", bi_get_device},
    {NULL, NULL},
};

const Builtin torch_aliases_methods[] = {
    {"is_complex", bi_is_complex},
    {"sgn_", bi_sgn_},
    {NULL, NULL},
};
