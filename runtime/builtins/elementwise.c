/* elementwise.c: elementwise torch functions and tensor methods (add,
 * mul, exp, round, clamp, where, lerp, addcmul, isclose, nan_to_num, ...
 * and their `_` variants). */
#include <stdio.h>
#include <string.h>

#include "autograd.h"
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* ---------------------------------------------------------------- binary */

static Tensor *binary_apply(BinaryOp op, Tensor *x, Tensor *y, bool inplace, double alpha,
                            int rounding) {
    if (op == BIN_ADD || op == BIN_SUB) {
        if (alpha != 1.0 && !inplace) return op_add_alpha(x, y, alpha, op == BIN_SUB);
        if (alpha != 1.0) return op_add_alpha_(x, y, alpha, op == BIN_SUB);
    }
    if (op == BIN_DIV && rounding) return inplace ? op_div_mode_(x, y, rounding == 1) : op_div_mode(x, y, rounding == 1);
    return inplace ? op_binary_(op, x, y) : op_binary(op, x, y);
}

/* at::native::alpha_check on the kind of the Python alpha (a float 1.0 too) */
static bool alpha_check(const Value *alpha, BinaryOp op, Tensor *x, Tensor *y) {
    if (!alpha || (alpha->kind != VK_BOOL && alpha->kind != VK_FLOAT)) return true;
    if (op == BIN_SUB && (x->dtype == DT_BOOL || y->dtype == DT_BOOL)) return true; /* sub's own error */
    ResultTypeState rs;
    result_type_init(&rs);
    result_type_add(&rs, x->dtype, x->ndim, x->wrapped_number);
    result_type_add(&rs, y->dtype, y->ndim, y->wrapped_number);
    DType rt = result_type_finish(&rs);
    if (alpha->kind == VK_BOOL && rt != DT_BOOL)
        tsr_raise(ERR_RuntimeError, "%s", "Boolean alpha only supported for Boolean results.");
    else if (alpha->kind == VK_FLOAT && !dtype_is_float(rt))
        tsr_raise(ERR_RuntimeError, "%s",
                  "For integral input tensors, argument alpha must not be a floating point number.");
    else
        return true;
    return false;
}

/* 't': the op has no Scalar overload (TSR_BINARY_OPS' other column) */
static const char binary_other[BIN_COUNT] = {
#define X(e, n, k, other, ...) other,
    TSR_BINARY_OPS(X)
#undef X
};

static Value *binary_common(BinaryOp op, const char *fn, bool inplace, Value *self,
                            const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3] = {NULL, NULL, NULL};
    const char *spec = "input, other";
    if (op == BIN_ADD || op == BIN_SUB) spec = "input, other, *, alpha=";
    else if (op == BIN_DIV) spec = "input, other, *, rounding_mode=";
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    double alpha = 1.0;
    int rounding = 0;
    if ((op == BIN_ADD || op == BIN_SUB) && !arg_double(v[2], fn, "alpha", 1.0, &alpha)) return NULL;
    if (op == BIN_DIV && v[2] && v[2]->kind != VK_NONE) {
        if (v[2]->kind == VK_STR && !strcmp(v[2]->str.s, "floor")) rounding = 1;
        else if (v[2]->kind == VK_STR && !strcmp(v[2]->str.s, "trunc")) rounding = 2;
        else {
            if (v[2]->kind == VK_STR)
                tsr_raise(ERR_RuntimeError,
                          "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '%s'",
                          v[2]->str.s);
            else
                tsr_raise(ERR_TypeError, "%s(): argument 'rounding_mode' must be str, not %s", fn,
                          val_type_name(v[2]));
            return NULL;
        }
    }
    /* A number as input: pow.Scalar and remainder.Scalar_Tensor overloads;
     * add/sub/mul/div are in PyTorch's numbers-as-tensors list (both may be
     * numbers). */
    bool num_as_tensor = !inplace && (op == BIN_ADD || op == BIN_SUB || op == BIN_MUL || op == BIN_DIV);
    /* xlogy, xlog1py and zeta have Scalar_Self overloads too */
    bool scalar_self = op == BIN_XLOGY || op == BIN_XLOG1PY || op == BIN_ZETA;
    bool num_first = !inplace && (op == BIN_POW || op == BIN_REMAINDER || scalar_self || num_as_tensor);
    Tensor *x = num_first ? arg_tensor_or_scalar(v[0], fn, "input") : arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    if (binary_other[op] == 't' && v[1]->kind != VK_TENSOR) { /* no Scalar overload */
        tsr_raise(ERR_TypeError, "%s(): argument 'other'%s must be Tensor, not %s", fn,
                  a->nargs < 2 ? "" : self ? " (position 1)" : " (position 2)", val_type_name(v[1]));
        tensor_release(x);
        return NULL;
    }
    Tensor *y = arg_tensor_or_scalar(v[1], fn, "other");
    if (!y) {
        tensor_release(x);
        return NULL;
    }
    Tensor *r = NULL;
    char pos[24];
    if (x->wrapped_number && y->wrapped_number && !num_as_tensor)
        tsr_raise(ERR_TypeError, "%s(): argument 'input'%s must be Tensor, not %s", fn,
                  arg_position(fn, "input", pos, sizeof pos), val_type_name(v[0]));
    else if (op == BIN_POW && x->wrapped_number)
        r = op_pow_scalar_base(x, y);
    else if ((op == BIN_ADD || op == BIN_SUB) && !alpha_check(v[2], op, x, y))
        r = NULL;
    else
        r = binary_apply(op, x, y, inplace, alpha, rounding);
    tensor_release(x);
    tensor_release(y);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}

/* A row named "_special_NAME" reports as PyTorch's special_NAME */
#define FN_NAME(n) ((n)[0] == '_' ? (n) + 1 : (n))
#define X(e, n, k, ...)                                                                   \
    static Value *bi_bin_##e(Value *self, const CallArgs *a) {                       \
        return binary_common(BIN_##e, FN_NAME(n), false, self, a);                   \
    }                                                                                \
    static Value *bi_bin_##e##_(Value *self, const CallArgs *a) {                    \
        return binary_common(BIN_##e, n "_", true, self, a);                         \
    }
TSR_BINARY_OPS(X)
#undef X

/* ----------------------------------------------------------------- unary */

static Value *unary_common(UnaryOp op, const char *fn, bool inplace, Value *self,
                           const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, fn, "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    bool leaf_first = inplace && ag_grad_enabled && x->requires_grad && !x->grad_fn; /* op_unary_'s error */
    Tensor *r = !leaf_first && !op_unary_half_ok(op, x) ? NULL : inplace ? op_unary_(op, x) : op_unary(op, x);
    tensor_release(x);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}

#define X(e, n, k, ...)                                                                   \
    static Value *bi_un_##e(Value *self, const CallArgs *a) {                        \
        return unary_common(UN_##e, FN_NAME(n), false, self, a);                     \
    }                                                                                \
    static Value *bi_un_##e##_(Value *self, const CallArgs *a) {                     \
        return unary_common(UN_##e, n "_", true, self, a);                           \
    }
TSR_UNARY_OPS(X)
#undef X

/* f(input) */
typedef Tensor *(*Unary)(Tensor *);
static Value *unary_fn_common(const char *fn, Unary op, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse_torch(a, fn, "input", v)) return NULL;
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
static Value *bi_positive(Value *self, const CallArgs *a) { return unary_fn_common("positive", op_positive, self, a); }
static Value *bi_sgn(Value *self, const CallArgs *a) { return unary_fn_common("sgn", op_sgn, self, a); }
static Value *bi_angle(Value *self, const CallArgs *a) { return unary_fn_common("angle", op_angle, self, a); }
static Value *bi_signbit(Value *self, const CallArgs *a) { return unary_fn_common("signbit", op_signbit, self, a); }

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

/* ------------------------------------------------------- clamp and where */

static Tensor *opt_bound(Value *v, const char *fn, const char *name, bool *ok) {
    *ok = true;
    if (!v || v->kind == VK_NONE) return NULL;
    Tensor *t = arg_tensor_or_scalar(v, fn, name);
    *ok = t != NULL;
    return t;
}

static Value *clamp_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, min=, max=", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    bool ok1, ok2 = false;
    Tensor *lo = opt_bound(v[1], fn, "min", &ok1);
    Tensor *hi = ok1 ? opt_bound(v[2], fn, "max", &ok2) : NULL;
    Tensor *r = NULL;
    if (ok1 && ok2) {
        if (!lo && !hi)
            tsr_raise(ERR_RuntimeError, "%s",
                      "torch.clamp: At least one of 'min' or 'max' must not be None");
        else
            r = inplace ? op_clamp_(x, lo, hi) : op_clamp(x, lo, hi);
    }
    tensor_release(lo);
    tensor_release(hi);
    tensor_release(x);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}

static Value *bi_clamp(Value *self, const CallArgs *a) { return clamp_common("clamp", false, self, a); }
static Value *bi_clamp_(Value *self, const CallArgs *a) { return clamp_common("clamp_", true, self, a); }
static Value *bi_clip(Value *self, const CallArgs *a) { return clamp_common("clip", false, self, a); }
static Value *bi_clip_(Value *self, const CallArgs *a) { return clamp_common("clip_", true, self, a); }

static Value *bi_clamp_bound(Value *self, const CallArgs *a, const char *fn, bool is_min,
                             bool inplace) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, fn, "input, other", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *b = arg_tensor_or_scalar(v[1], fn, is_min ? "min" : "max");
    Tensor *r = !b ? NULL : inplace ? op_clamp_bound_(x, b, !is_min) : op_clamp_bound(x, b, !is_min);
    tensor_release(b);
    tensor_release(x);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}
static Value *bi_clamp_min(Value *self, const CallArgs *a) { return bi_clamp_bound(self, a, "clamp_min", true, false); }
static Value *bi_clamp_max(Value *self, const CallArgs *a) { return bi_clamp_bound(self, a, "clamp_max", false, false); }
static Value *bi_clamp_min_(Value *self, const CallArgs *a) { return bi_clamp_bound(self, a, "clamp_min_", true, true); }
static Value *bi_clamp_max_(Value *self, const CallArgs *a) { return bi_clamp_bound(self, a, "clamp_max_", false, true); }

static Value *bi_where(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "where", "condition, input=, other=", v)) return NULL;
    if (!v[1] && !v[2]) { /* where(condition) is nonzero(condition, as_tuple=True) */
        Tensor *c = arg_tensor(v[0], "where", "condition");
        Value *r = c ? nonzero_tuple(c) : NULL;
        tensor_release(c);
        return r;
    }
    if (!v[1] || !v[2]) {
        raise_invalid_args("where", a);
        return NULL;
    }
    Tensor *c = arg_tensor(v[0], "where", "condition");
    Tensor *x = c ? arg_tensor_or_scalar(v[1], "where", "input") : NULL;
    Tensor *y = x ? arg_tensor_or_scalar(v[2], "where", "other") : NULL;
    Tensor *r = y ? op_where(c, x, y) : NULL;
    tensor_release(c);
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

/* x.where(cond, y) == torch.where(cond, x, y) */
static Value *bi_where_method(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, "where", "condition, other", v)) return NULL;
    if (v[1]->kind != VK_TENSOR) { /* Tensor.where has no Scalar overload */
        tsr_raise(ERR_TypeError, "where(): argument 'other'%s must be Tensor, not %s",
                  a->nargs >= 2 ? " (position 2)" : "", val_type_name(v[1]));
        return NULL;
    }
    Value *args[3] = {v[0], self, v[1]};
    CallArgs b = {args, 3, NULL, NULL, 0};
    return bi_where(NULL, &b);
}

/* lerp(input, end, weight) */
static Value *bi_lerp(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "lerp", "input, end, weight", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "lerp", "input");
    Tensor *e = x ? arg_tensor(v[1], "lerp", "end") : NULL;
    Tensor *w = e ? arg_tensor_or_scalar(v[2], "lerp", "weight") : NULL;
    Tensor *r = w ? op_lerp(x, e, w) : NULL;
    tensor_release(x);
    tensor_release(e);
    tensor_release(w);
    return wrap_tensor(r);
}

static Value *bi_lerp_(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "lerp_", "input, end, weight", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "lerp_", "input");
    Tensor *e = x ? arg_tensor(v[1], "lerp_", "end") : NULL;
    Tensor *w = e ? arg_tensor_or_scalar(v[2], "lerp_", "weight") : NULL;
    Tensor *r = NULL;
    if (w && op_inplace_allowed(x)) {
        Tensor *ins[3] = {x, e, w};
        Tensor *s = op_inplace_standin(x, ag_any_requires_grad(ins, 3));
        if (s) r = commit_inplace(x, op_lerp(s, e, w), BROADCAST_FMT);
        tensor_release(s);
    }
    tensor_release(x);
    tensor_release(e);
    tensor_release(w);
    return inplace_result(self, r);
}

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

static Value *bi_isclose(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    if (!args_parse(a, 0, "isclose", "input, other, rtol=, atol=, equal_nan=", v)) return NULL;
    double rtol, atol;
    bool en;
    if (!arg_double(v[2], "isclose", "rtol", 1e-5, &rtol) || !arg_double(v[3], "isclose", "atol", 1e-8, &atol) ||
        !arg_bool(v[4], "isclose", "equal_nan", false, &en))
        return NULL;
    Tensor *x = arg_tensor(v[0], "isclose", "input");
    Tensor *y = x ? arg_tensor(v[1], "isclose", "other") : NULL;
    Tensor *r = y ? op_isclose(x, y, rtol, atol, en) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

static Value *nan_to_num_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, nan=, posinf=, neginf=", v)) return NULL;
    double nan = 0, pi = 0, ni = 0;
    if ((!is_none(v[1]) && !arg_double(v[1], fn, "nan", 0, &nan)) ||
        (!is_none(v[2]) && !arg_double(v[2], fn, "posinf", 0, &pi)) ||
        (!is_none(v[3]) && !arg_double(v[3], fn, "neginf", 0, &ni)))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *s = x && inplace ? op_inplace_begin(x) : tensor_retain(x);
    Tensor *r = s ? op_nan_to_num(s, !is_none(v[1]), nan, !is_none(v[2]), pi, !is_none(v[3]), ni) : NULL;
    tensor_release(s);
    if (inplace) {
        r = r ? op_inplace_commit(x, r) : NULL;
        tensor_release(x);
        return inplace_result(a->args[0], r);
    }
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_nan_to_num(Value *self, const CallArgs *a) { return nan_to_num_common("nan_to_num", false, self, a); }
static Value *bi_nan_to_num_(Value *self, const CallArgs *a) { return nan_to_num_common("nan_to_num_", true, self, a); }

static Value *bi_zero_(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, "zero_", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "zero_", "input");
    if (!x) return NULL;
    Tensor *r = op_fill_(x, NULL);
    tensor_release(x);
    return inplace_result(self, r);
}

static Value *bi_fill_(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, "fill_", "input, value", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "fill_", "input");
    if (!x) return NULL;
    Tensor *val = arg_tensor_or_scalar(v[1], "fill_", "value");
    Tensor *r = val ? op_fill_(x, val) : NULL;
    tensor_release(val);
    tensor_release(x);
    return inplace_result(self, r);
}

/* ---------------------------------------------------------------- tables */

#define TSR_BINARY_ALIASES(X)                       \
    X("true_divide", DIV)                           \
    X("divide", DIV)                                \
    X("multiply", MUL)                              \
    X("subtract", SUB)                              \
    X("greater", GT)                                \
    X("greater_equal", GE)                          \
    X("less", LT)                                   \
    X("less_equal", LE)                             \
    X("not_equal", NE)                              \
    X("__and__", BITWISE_AND)                       \
    X("__or__", BITWISE_OR)                         \
    X("__xor__", BITWISE_XOR)                       \
    X("arctan2", ATAN2)

#define TSR_UNARY_ALIASES(X)                        \
    X("absolute", ABS)                              \
    X("negative", NEG)                              \
    X("arcsin", ASIN)                               \
    X("arccos", ACOS)                               \
    X("arctan", ATAN)                               \
    X("arcsinh", ASINH)                             \
    X("arccosh", ACOSH)                             \
    X("arctanh", ATANH)                             \
    X("fix", TRUNC)

#define ELEMENTWISE_ENTRIES                                            \
    TSR_BINARY_OPS(BIN_ENTRY)                                          \
    TSR_BINARY_ALIASES(BIN_ALIAS)                                      \
    TSR_UNARY_OPS(UN_ENTRY)                                            \
    TSR_UNARY_ALIASES(UN_ALIAS)                                        \
    {"clamp", bi_clamp}, {"clip", bi_clip},                            \
    {"clamp_min", bi_clamp_min}, {"clamp_max", bi_clamp_max},          \
    {"lerp", bi_lerp},                                                 \
    {"positive", bi_positive}, {"sgn", bi_sgn}, {"signbit", bi_signbit}, {"angle", bi_angle}, \
    {"addcmul", bi_addcmul}, {"addcdiv", bi_addcdiv},                  \
    {"isclose", bi_isclose},                                           \
    {"nan_to_num", bi_nan_to_num}, {"nan_to_num_", bi_nan_to_num_},

/* rows named "_..." have no torch.NAME or method (torch.special's, or a
 * loop of a composite); "_special_NAME" rows are torch.special.NAME */
#define BIN_ENTRY(e, n, k, ...) {(n)[0] == '_' ? "" : n, bi_bin_##e},
#define BIN_SPECIAL(e, n, k, ...) {(n)[0] == '_' && (n)[1] == 's' ? (n) + 9 : "", bi_bin_##e},
#define UN_SPECIAL(e, n, k, ...) {(n)[0] == '_' && (n)[1] == 's' ? (n) + 9 : "", bi_un_##e},
#define BIN_ALIAS(n, e) {n, bi_bin_##e},
/* torch.round and Tensor.round are bi_round (it adds decimals=): the
 * generated round entry gets an empty name, which nothing installs. */
#define UN_ENTRY(e, n, k, ...) {UN_##e == UN_ROUND || (n)[0] == '_' ? "" : n, bi_un_##e},
#define UN_ALIAS(n, e) {n, bi_un_##e},
/* an op without PyTorch's in-place form (inplace 0) gets an empty name */
#define BIN_ENTRY_(e, n, k, other, inplace, ...) {(inplace) && (n)[0] != '_' ? n "_" : "", bi_bin_##e##_},
#define BIN_ALIAS_(n, e) {(n)[0] != '_' ? n "_" : "", bi_bin_##e##_},
/* In-place forms: predicates (kind 'p': isnan, ...) have none, and of the
 * functions torch.logical_not_ and torch.bitwise_not_ do not exist (only
 * the methods): their entries get an empty name, which nothing installs. */
#define UN_ENTRY_(e, n, k, ...) {(k) == 'p' || (n)[0] == '_' ? "" : n "_", bi_un_##e##_},
/* Nor do torch.sign_, torch.erfinv_, torch.lgamma_ and torch.digamma_. */
#define UN_NO_FN_INPLACE(e) (UN_##e == UN_SIGN || UN_##e == UN_ERFINV || UN_##e == UN_LGAMMA || UN_##e == UN_DIGAMMA)
#define UN_FN_ENTRY_(e, n, k, ...) \
    {(k) == 'p' || (k) == 'n' || (k) == 'i' || (n)[0] == '_' || UN_NO_FN_INPLACE(e) ? "" : n "_", bi_un_##e##_},
#define UN_ALIAS_(n, e) {n "_", bi_un_##e##_},

const Builtin elementwise_functions[] = {
    ELEMENTWISE_ENTRIES
    {"where", bi_where},
    /* torch.relu_(x), torch.sigmoid_ ... exist as functions too */
    TSR_UNARY_OPS(UN_FN_ENTRY_)
    {"clamp_", bi_clamp_},
    {"clip_", bi_clip_},
    {"round", bi_round},
    /* in-place functions of the binary rows that PyTorch has as torch.NAME_ */
    {"xlogy_", bi_bin_XLOGY_},
    {"gcd_", bi_bin_GCD_},
    {"lcm_", bi_bin_LCM_},
    /* and of the unary aliases */
    {"arcsin_", bi_un_ASIN_},
    {"arccos_", bi_un_ACOS_},
    {"arctan_", bi_un_ATAN_},
    {"arcsinh_", bi_un_ASINH_},
    {"arccosh_", bi_un_ACOSH_},
    {"arctanh_", bi_un_ATANH_},
    {"negative_", bi_un_NEG_},
    {"fix_", bi_un_TRUNC_},
    {NULL, NULL},
};

const Builtin elementwise_methods[] = {
    ELEMENTWISE_ENTRIES
    {"where", bi_where_method},
    TSR_BINARY_OPS(BIN_ENTRY_)
    TSR_BINARY_ALIASES(BIN_ALIAS_)
    TSR_UNARY_OPS(UN_ENTRY_)
    TSR_UNARY_ALIASES(UN_ALIAS_)
    {"clamp_", bi_clamp_},
    {"clip_", bi_clip_},
    {"clamp_min_", bi_clamp_min_},
    {"clamp_max_", bi_clamp_max_},
    {"zero_", bi_zero_},
    {"fill_", bi_fill_},
    {"round", bi_round},
    {"lerp_", bi_lerp_},
    {"addcmul_", bi_addcmul_},
    {"addcdiv_", bi_addcdiv_},
    {NULL, NULL},
};

/* torch.special's functions that are rows of their own ("_special_NAME") */
const Builtin elementwise_special_functions[] = {
    TSR_BINARY_OPS(BIN_SPECIAL)
    TSR_UNARY_OPS(UN_SPECIAL)
    {NULL, NULL},
};
