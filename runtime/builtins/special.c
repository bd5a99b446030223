/* special.c: the special functions that take more than a tensor
 * (polygamma(n, x), mvlgamma(x, p), logit(x, eps)), deg2rad/rad2deg, their
 * in-place forms, and torch.special's own composites (ndtr); the special
 * functions that are rows of elementwise_ops.h come from elementwise.c
 * (elementwise_special_functions), torch.special's aliases of torch's
 * functions from torch_module.c. */
#include <math.h>
#include <string.h>

#include "autograd.h"
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

typedef enum { SP_POLYGAMMA, SP_MVLGAMMA, SP_LOGIT, SP_DEG2RAD, SP_RAD2DEG } SpecialOp;

static Tensor *special_apply(SpecialOp op, Tensor *x, int64_t n, double eps) {
    switch (op) {
    case SP_POLYGAMMA: return op_polygamma(n, x);
    case SP_MVLGAMMA: return op_mvlgamma(x, n);
    case SP_LOGIT: return op_logit(x, eps);
    case SP_DEG2RAD: return op_deg2rad(x, true);
    default: return op_deg2rad(x, false);
    }
}

/* The in-place form: the op on a stand-in for x, written back into x (its
 * result is floating: an integer x cannot hold it) */
static Value *special_inplace(Value *self_v, SpecialOp op, Tensor *x, int64_t n, double eps) {
    if (!dtype_is_float(x->dtype)) {
        tsr_raise(ERR_RuntimeError, "result type %s can't be cast to the desired output type %s",
                  dtype_scalar_name(tsr_default_float), dtype_scalar_name(x->dtype));
        return NULL;
    }
    if (!op_inplace_allowed(x)) return NULL;
    Tensor *s = op_inplace_standin(x, ag_any_requires_grad(&x, 1));
    Tensor *r = s ? commit_inplace(x, special_apply(op, s, n, eps), BROADCAST_FMT) : NULL;
    tensor_release(s);
    return inplace_result(self_v, r);
}

/* polygamma(n, input); Tensor.polygamma(n) */
static Value *polygamma_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    Value *v[2];
    if (self) {
        if (!args_parse(a, 0, fn, "n", v)) return NULL;
        v[1] = self;
    } else if (!args_parse(a, 0, fn, "n, input", v)) {
        return NULL;
    }
    int64_t n;
    if (!arg_int(v[0], fn, "n", 0, &n)) return NULL;
    Tensor *x = arg_tensor(v[1], fn, "input");
    if (!x) return NULL;
    Value *r = inplace ? special_inplace(self, SP_POLYGAMMA, x, n, 0) : wrap_tensor(op_polygamma(n, x));
    tensor_release(x);
    return r;
}
static Value *bi_polygamma(Value *self, const CallArgs *a) { return polygamma_common("polygamma", false, self, a); }
static Value *bi_polygamma_(Value *self, const CallArgs *a) { return polygamma_common("polygamma_", true, self, a); }
static Value *bi_special_polygamma(Value *self, const CallArgs *a) {
    return polygamma_common("special_polygamma", false, self, a);
}

/* mvlgamma(input, p) */
static Value *mvlgamma_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, fn, "input, p", v)) return NULL;
    int64_t p;
    if (!arg_int(v[1], fn, "p", 0, &p)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Value *r = inplace ? special_inplace(self, SP_MVLGAMMA, x, p, 0) : wrap_tensor(op_mvlgamma(x, p));
    tensor_release(x);
    return r;
}
static Value *bi_mvlgamma(Value *self, const CallArgs *a) { return mvlgamma_common("mvlgamma", false, self, a); }
static Value *bi_mvlgamma_(Value *self, const CallArgs *a) { return mvlgamma_common("mvlgamma_", true, self, a); }
static Value *bi_multigammaln(Value *self, const CallArgs *a) {
    return mvlgamma_common("special_multigammaln", false, self, a);
}

/* logit(input, eps=None) */
static Value *logit_common(const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    if (!args_parse(a, 0, fn, "input, eps=", v)) return NULL;
    double eps = NAN;
    if (!is_none(v[1]) && !arg_double(v[1], fn, "eps", 0, &eps)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Value *r = inplace ? special_inplace(self ? self : a->args[0], SP_LOGIT, x, 0, eps) : wrap_tensor(op_logit(x, eps));
    tensor_release(x);
    return r;
}
static Value *bi_logit(Value *self, const CallArgs *a) { return logit_common("logit", false, self, a); }
static Value *bi_logit_(Value *self, const CallArgs *a) { return logit_common("logit_", true, self, a); }
static Value *bi_special_logit(Value *self, const CallArgs *a) { return logit_common("special_logit", false, self, a); }

/* deg2rad(input), rad2deg(input) and their in-place forms */
static Value *angle_common(const char *fn, SpecialOp op, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, fn, "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Value *r = inplace ? special_inplace(self ? self : a->args[0], op, x, 0, 0) : wrap_tensor(special_apply(op, x, 0, 0));
    tensor_release(x);
    return r;
}
static Value *bi_deg2rad(Value *self, const CallArgs *a) { return angle_common("deg2rad", SP_DEG2RAD, false, self, a); }
static Value *bi_deg2rad_(Value *self, const CallArgs *a) { return angle_common("deg2rad_", SP_DEG2RAD, true, self, a); }
static Value *bi_rad2deg(Value *self, const CallArgs *a) { return angle_common("rad2deg", SP_RAD2DEG, false, self, a); }
static Value *bi_rad2deg_(Value *self, const CallArgs *a) { return angle_common("rad2deg_", SP_RAD2DEG, true, self, a); }

static Value *bi_ndtr(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "special_ndtr", "input", v)) return NULL;
    Tensor *x = arg_tensor(v[0], "special_ndtr", "input");
    Value *r = x ? wrap_tensor(op_ndtr(x)) : NULL;
    tensor_release(x);
    return r;
}

const Builtin special_functions[] = {
    {"polygamma", bi_polygamma},
    {"mvlgamma", bi_mvlgamma},
    {"logit", bi_logit},
    {"logit_", bi_logit_},
    {"deg2rad", bi_deg2rad},
    {"deg2rad_", bi_deg2rad_},
    {"rad2deg", bi_rad2deg},
    {"rad2deg_", bi_rad2deg_},
    {NULL, NULL},
};

const Builtin special_methods[] = {
    {"polygamma", bi_polygamma},
    {"polygamma_", bi_polygamma_},
    {"mvlgamma", bi_mvlgamma},
    {"mvlgamma_", bi_mvlgamma_},
    {"logit", bi_logit},
    {"logit_", bi_logit_},
    {"deg2rad", bi_deg2rad},
    {"deg2rad_", bi_deg2rad_},
    {"rad2deg", bi_rad2deg},
    {"rad2deg_", bi_rad2deg_},
    {NULL, NULL},
};

/* special.gammainc(input, other) and gammaincc: torch.igamma and
 * torch.igammac under torch.special's names (two Tensors, no Scalar
 * overloads) */
static Value *gammainc_common(const char *fn, BinaryOp op, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, fn, "input, other", v)) return NULL;
    static const char *const names[2] = {"input", "other"};
    for (int i = 0; i < 2; i++)
        if (v[i]->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "%s(): argument '%s'%s must be Tensor, not %s", fn, names[i],
                      i >= a->nargs ? "" : i ? " (position 2)" : " (position 1)", val_type_name(v[i]));
            return NULL;
        }
    return wrap_tensor(op_binary(op, v[0]->tensor, v[1]->tensor));
}
static Value *bi_gammainc(Value *self, const CallArgs *a) {
    (void)self;
    return gammainc_common("special_gammainc", BIN_IGAMMA, a);
}
static Value *bi_gammaincc(Value *self, const CallArgs *a) {
    (void)self;
    return gammainc_common("special_gammaincc", BIN_IGAMMAC, a);
}

/* torch.special's polynomials, NAME(x, n): x and n Tensors or one of them
 * a Python number (PyTorch's three overloads; both numbers match none) */
#define TSR_SPECIAL_POLYNOMIALS(X)                                   \
    X(CHEBYSHEV_T, "chebyshev_polynomial_t")                         \
    X(CHEBYSHEV_U, "chebyshev_polynomial_u")                         \
    X(CHEBYSHEV_V, "chebyshev_polynomial_v")                         \
    X(CHEBYSHEV_W, "chebyshev_polynomial_w")                         \
    X(SHIFTED_CHEBYSHEV_T, "shifted_chebyshev_polynomial_t")         \
    X(SHIFTED_CHEBYSHEV_U, "shifted_chebyshev_polynomial_u")         \
    X(SHIFTED_CHEBYSHEV_V, "shifted_chebyshev_polynomial_v")         \
    X(SHIFTED_CHEBYSHEV_W, "shifted_chebyshev_polynomial_w")         \
    X(HERMITE_H, "hermite_polynomial_h")                             \
    X(HERMITE_HE, "hermite_polynomial_he")                           \
    X(LAGUERRE_L, "laguerre_polynomial_l")                           \
    X(LEGENDRE_P, "legendre_polynomial_p")

static bool poly_operand(const Value *v) {
    return v && (v->kind == VK_TENSOR || v->kind == VK_INT || v->kind == VK_FLOAT || v->kind == VK_BOOL);
}

static Value *polynomial_common(BinaryOp op, const char *fn, const CallArgs *a) {
    Value *v[2] = {NULL, NULL};
    bool ok = a->nargs <= 2;
    for (int i = 0; ok && i < a->nargs; i++) v[i] = a->args[i];
    for (int k = 0; ok && k < a->nkw; k++) {
        int i = !strcmp(a->kwnames[k], "x") ? 0 : !strcmp(a->kwnames[k], "n") ? 1 : -1;
        ok = i >= 0 && !v[i];
        if (ok) v[i] = a->kwvals[k];
    }
    ok = ok && poly_operand(v[0]) && poly_operand(v[1]) && (v[0]->kind == VK_TENSOR || v[1]->kind == VK_TENSOR);
    if (!ok) {
        raise_invalid_args_expected(fn, a,
                                    " * (Tensor x, Tensor n, *, Tensor out)\n"
                                    " * (Number x, Tensor n, *, Tensor out)\n"
                                    " * (Tensor x, Number n, *, Tensor out)\n");
        return NULL;
    }
    Tensor *x = val_as_tensor(v[0]), *n = x ? val_as_tensor(v[1]) : NULL;
    Value *r = n ? wrap_tensor(op_binary(op, x, n)) : NULL;
    tensor_release(x);
    tensor_release(n);
    return r;
}
#define X(e, name)                                                  \
    static Value *bi_poly_##e(Value *self, const CallArgs *a) {     \
        (void)self;                                                 \
        return polynomial_common(BIN_##e, "special_" name, a);      \
    }
TSR_SPECIAL_POLYNOMIALS(X)
#undef X

/* torch.special.NAME beyond the rows and the aliases */
const Builtin special_module_functions[] = {
    {"polygamma", bi_special_polygamma},
    {"multigammaln", bi_multigammaln},
    {"logit", bi_special_logit},
    {"ndtr", bi_ndtr},
    {"gammainc", bi_gammainc},
    {"gammaincc", bi_gammaincc},
#define X(e, name) {name, bi_poly_##e},
    TSR_SPECIAL_POLYNOMIALS(X)
#undef X
    {NULL, NULL},
};
