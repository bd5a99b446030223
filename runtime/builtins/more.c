/* builtins_more.c: torch functions and tensor methods over ops_more.c:
 * positive, sgn, signbit, nansum, nanmean, cummax, cummin, tensordot,
 * vdot, addcmul(_), addcdiv(_), var_mean, std_mean, round(decimals=),
 * diff, cross, kron, aminmax. torch.round and Tensor.round are this
 * file's (they add decimals=). */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* f(input) */
typedef Tensor *(*Unary)(Tensor *);
static Value *unary_common(const char *fn, Unary op, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, fn, "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *r = op(x);
    tensor_release(x);
    if (r && self && r == self->tensor) { /* positive() returns self itself */
        tensor_release(r);
        return val_retain(self);
    }
    if (r && !self && v[0]->kind == VK_TENSOR && r == v[0]->tensor) {
        tensor_release(r);
        return val_retain(v[0]);
    }
    return wrap_tensor(r);
}
static Value *bi_positive(Value *self, const CallArgs *a) { return unary_common("positive", op_positive, self, a); }
static Value *bi_sgn(Value *self, const CallArgs *a) { return unary_common("sgn", op_sgn, self, a); }
static Value *bi_signbit(Value *self, const CallArgs *a) { return unary_common("signbit", op_signbit, self, a); }

/* addcmul/addcdiv(input, tensor1, tensor2, *, value=1) and the in-place forms */
static Value *addc_common(const char *fn, bool div, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, tensor1, tensor2, *, value=", v)) return NULL;
    double value = 1;
    if (v[3] && v[3]->kind == VK_TENSOR && v[3]->tensor->ndim == 0) {
        value = tensor_get_f64(v[3]->tensor, 0);
    } else if (!arg_double(v[3], fn, "value", 1, &value)) {
        return NULL;
    }
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *t1 = x ? arg_tensor(v[1], fn, "tensor1") : NULL;
    Tensor *t2 = t1 ? arg_tensor(v[2], fn, "tensor2") : NULL;
    Tensor *r = NULL;
    if (t2) r = inplace ? op_addcmul_(x, t1, t2, value, div) : op_addcmul(x, t1, t2, value, div);
    tensor_release(x);
    tensor_release(t1);
    tensor_release(t2);
    if (r && inplace && self && r == self->tensor) {
        tensor_release(r);
        return val_retain(self);
    }
    return wrap_tensor(r);
}
static Value *bi_addcmul(Value *self, const CallArgs *a) { return addc_common("addcmul", false, false, self, a); }
static Value *bi_addcdiv(Value *self, const CallArgs *a) { return addc_common("addcdiv", true, false, self, a); }
static Value *bi_addcmul_(Value *self, const CallArgs *a) { return addc_common("addcmul_", false, true, self, a); }
static Value *bi_addcdiv_(Value *self, const CallArgs *a) { return addc_common("addcdiv_", true, true, self, a); }

/* round(input, *, decimals=0) */
static Value *bi_round(Value *self, const CallArgs *a) {
    const CallArgs *orig = a;
    if (self && orig->nargs > 0) { /* PyTorch's method parser says this */
        tsr_raise(ERR_TypeError, "round() takes from 1 to 0 positional arguments but %d were given", orig->nargs);
        return NULL;
    }
    WITH_SELF(a);
    if (a->nargs > 1) {
        char got[256];
        int len = 0;
        got[0] = 0;
        for (int i = 0; i < orig->nargs && len < 200; i++)
            len += snprintf(got + len, sizeof got - (size_t)len, "%s%s", i ? ", " : "",
                            orig->args[i]->kind == VK_TENSOR ? "Tensor" : val_type_name(orig->args[i]));
        for (int k = 0; k < orig->nkw && len < 200; k++)
            len += snprintf(got + len, sizeof got - (size_t)len, "%s%s=%s", (orig->nargs || k) ? ", " : "",
                            orig->kwnames[k],
                            orig->kwvals[k]->kind == VK_TENSOR ? "Tensor" : val_type_name(orig->kwvals[k]));
        tsr_raise(ERR_TypeError,
                  "round() received an invalid combination of arguments - got (%s), but expected one of:\n"
                  " * (Tensor input, *, Tensor out)\n * (Tensor input, *, int decimals, Tensor out)\n",
                  got);
        return NULL;
    }
    Value *v[2];
    if (!args_parse(a, 0, "round", "input, *, decimals=", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "round", "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    int64_t d;
    if (!v[1]) r = op_unary(UN_ROUND, x);
    else if (arg_int(v[1], "round", "decimals", 0, &d)) r = op_round_decimals(x, d);
    tensor_release(x);
    return wrap_tensor(r);
}

#define MORE_SHARED                                                                            \
    {"positive", bi_positive}, {"sgn", bi_sgn}, {"signbit", bi_signbit},  \
    {"addcmul", bi_addcmul}, {"addcdiv", bi_addcdiv},    \

const Builtin more_functions[] = {
    MORE_SHARED
    {"round", bi_round},
    {NULL, NULL},
};

const Builtin more_methods[] = {
    MORE_SHARED
    {"round", bi_round},
    {"addcmul_", bi_addcmul_},
    {"addcdiv_", bi_addcdiv_},
    {NULL, NULL},
};
