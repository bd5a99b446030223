/* numpy_fpe.c: numpy's floating-point error handling. The error state
 * np.seterr/np.geterr/np.seterrcall set and read (np.errstate is Python,
 * numpy/ufuncs.py), and the check after a ufunc or a reduction: the IEEE
 * status flags its computation raised (numpy's PyUFunc_checkfperr), each
 * of divide by zero, overflow, underflow and invalid value then ignored,
 * warned about (RuntimeWarning, once per place by the warnings filters),
 * raised (FloatingPointError), printed to stderr, or passed to the
 * np.seterrcall function or object. Integer division by zero raises the
 * divide flag by hand, as numpy's integer loops do. */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "interp_internal.h"
#include "numpy.h"
#include "ops.h"

typedef enum { FPE_IGNORE, FPE_WARN, FPE_RAISE, FPE_CALL, FPE_PRINT, FPE_LOG, FPE_NMODES } FpeMode;
static const char *const mode_names[FPE_NMODES] = {"ignore", "warn", "raise", "call", "print", "log"};

/* X(seterr's name, the status flag, numpy's words, numpy's status bit), in
 * the order numpy reports them */
#define NP_FPE_KINDS(X)                                   \
    X(divide, FE_DIVBYZERO, "divide by zero", 1)           \
    X(over, FE_OVERFLOW, "overflow", 2)                    \
    X(under, FE_UNDERFLOW, "underflow", 4)                 \
    X(invalid, FE_INVALID, "invalid value", 8)

enum {
#define X(name, flag, words, bit) FPE_K_##name,
    NP_FPE_KINDS(X)
#undef X
    FPE_NKINDS
};
static const char *const kind_names[] = {
#define X(name, flag, words, bit) #name,
    NP_FPE_KINDS(X)
#undef X
};
static const int kind_flags[] = {
#define X(name, flag, words, bit) flag,
    NP_FPE_KINDS(X)
#undef X
};
static const char *const kind_words[] = {
#define X(name, flag, words, bit) words,
    NP_FPE_KINDS(X)
#undef X
};
static const int kind_bits[] = {
#define X(name, flag, words, bit) bit,
    NP_FPE_KINDS(X)
#undef X
};

/* numpy's default: warn, except underflow */
#define FPE_DEFAULT_MODES {FPE_WARN, FPE_WARN, FPE_IGNORE, FPE_WARN}
static FpeMode modes[FPE_NKINDS] = FPE_DEFAULT_MODES;
/* np.seterrcall's function or object with a write method (retained), or NULL */
static Value *err_call;

void np_fpe_reset(void) {
    static const FpeMode defaults[FPE_NKINDS] = FPE_DEFAULT_MODES;
    memcpy(modes, defaults, sizeof modes);
    Value *f = err_call;
    err_call = NULL;
    val_release(f);
}

/* the four flags numpy reads (inexact is not one) */
#define FPE_READ (FE_DIVBYZERO | FE_OVERFLOW | FE_UNDERFLOW | FE_INVALID)

/* feclearexcept rewrites the x87 environment, slow beside the test */
void np_fpe_clear(void) {
    if (fetestexcept(FPE_READ)) feclearexcept(FPE_READ);
}

bool np_fpe_pending(void) { return fetestexcept(FPE_READ) != 0; }

void np_fpe_raise_divide(void) { feraiseexcept(FE_DIVBYZERO); }

void np_fpe_raise_overflow(void) { feraiseexcept(FE_OVERFLOW); }

void np_fpe_raise_invalid(void) { feraiseexcept(FE_INVALID); }

/* one error of kind k found by the ufunc `name` */
static bool fpe_report(int k, const char *name, const NpWarnAt *at, int status) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s encountered in %s", kind_words[k], name);
    switch (modes[k]) {
    case FPE_IGNORE: return true;
    case FPE_WARN:
        return at ? tsr_warn_explicit(ERR_RuntimeWarning, msg, at->file, at->line, at->module, at->text)
                  : tsr_warn_from(ERR_RuntimeWarning, msg, "numpy");
    case FPE_RAISE: tsr_raise(ERR_FloatingPointError, "%s", msg); return false;
    case FPE_PRINT:
        fflush(stdout);
        fprintf(stderr, "Warning: %s\n", msg);
        return true;
    case FPE_CALL:
    case FPE_LOG: {
        if (!err_call) {
            if (modes[k] == FPE_CALL) /* (numpy's two spaces) */
                tsr_raise(ERR_NameError, "python callback specified for %s (in  %s) but no function found.",
                          kind_words[k], name);
            else
                tsr_raise(ERR_NameError, "log specified for %s (in %s) but no object with write method found.",
                          kind_words[k], name);
            return false;
        }
        Value *r;
        if (modes[k] == FPE_CALL) {
            Value *args[2] = {val_cstr(kind_words[k]), val_int(status)};
            r = args[0] && args[1] ? call_value(err_call, &(CallArgs){args, 2, NULL, NULL, 0}) : NULL;
            val_release(args[0]);
            val_release(args[1]);
        } else {
            char line[240];
            snprintf(line, sizeof line, "Warning: %s\n", msg);
            Value *w = get_attr(err_call, "write"), *arg = w ? val_cstr(line) : NULL;
            r = arg ? call_value(w, &(CallArgs){&arg, 1, NULL, NULL, 0}) : NULL;
            val_release(w);
            val_release(arg);
        }
        val_release(r);
        return r != NULL;
    }
    default: return true;
    }
}

bool np_fpe_check(const char *name, const NpWarnAt *at) {
    int raised = fetestexcept(FPE_READ);
    if (!raised) return true;
    feclearexcept(FPE_READ);
    int status = 0;
    for (int k = 0; k < FPE_NKINDS; k++)
        if (raised & kind_flags[k]) status |= kind_bits[k];
    for (int k = 0; k < FPE_NKINDS; k++)
        if ((raised & kind_flags[k]) && !fpe_report(k, name, at, status)) return false;
    return true;
}

Tensor *np_fpe_done(Tensor *r, const char *name, const NpWarnAt *at) {
    if (r && !np_fpe_check(name, at)) {
        tensor_release(r);
        return NULL;
    }
    return r;
}

static Tensor *is_zero(const Tensor *t);
static Tensor *mask_and(Tensor *a, Tensor *b);
static bool any_release(Tensor *m);

/* whether some a is its dtype's least value where b is -1 (broadcast) */
static bool int_min_over_minus_one(Tensor *a, Tensor *b) {
    int bits = (int)dtype_size(a->dtype) * 8;
    int64_t least = bits >= 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
    Tensor *lo = tensor_scalar_i64(a->dtype, least), *m1 = lo ? tensor_scalar_i64(b->dtype, -1) : NULL;
    bool r = m1 && any_release(mask_and(op_binary(BIN_EQ, a, lo), op_binary(BIN_EQ, b, m1)));
    tensor_release(lo);
    tensor_release(m1);
    return r;
}

Tensor *np_int_divide(int op_, Tensor *a, Tensor *b) {
    BinaryOp op = (BinaryOp)op_;
    if (dtype_is_float(a->dtype) || dtype_is_float(b->dtype)) {
        Tensor *r = op_binary(op, a, b);
        if (!r || op != BIN_REMAINDER) return r;
        /* numpy's npy_divmod: a zero remainder has the divisor's sign */
        Tensor *z = is_zero(r), *s = z ? op_binary(BIN_COPYSIGN, r, b) : NULL, *w = s ? op_where(z, s, r) : NULL;
        tensor_release(z);
        tensor_release(s);
        tensor_release(r);
        return w;
    }
    Tensor *zero = tensor_scalar_i64(b->dtype, 0), *one = zero ? tensor_scalar_i64(b->dtype, 1) : NULL;
    Tensor *mask = one ? op_binary(BIN_EQ, b, zero) : NULL, *any = mask ? op_any(mask, 0, NULL, false) : NULL;
    Tensor *r = NULL;
    if (any && !tensor_get_i64(any, 0)) r = op_binary(op, a, b);
    else if (any) { /* x // 0 and x % 0 are 0, with the divide flag */
        Tensor *safe = op_where(mask, one, b), *q = safe ? op_binary(op, a, safe) : NULL;
        Tensor *z = q ? tensor_scalar_i64(q->dtype, 0) : NULL;
        r = z ? op_where(mask, z, q) : NULL;
        tensor_release(safe);
        tensor_release(q);
        tensor_release(z);
        np_fpe_raise_divide();
    }
    if (r && op == BIN_FLOOR_DIVIDE && a->dtype != DT_UINT8 && a->dtype != DT_BOOL && int_min_over_minus_one(a, b))
        np_fpe_raise_overflow(); /* the one quotient past the dtype: MIN // -1 */
    tensor_release(zero);
    tensor_release(one);
    tensor_release(mask);
    tensor_release(any);
    return r;
}

/* ------------------------------------------------------------ np.seterr and friends */

static Value *errstate_dict(void) {
    Value *d = val_dict_new();
    for (int k = 0; d && k < FPE_NKINDS; k++) {
        Value *m = val_cstr(mode_names[modes[k]]);
        bool ok = m && dict_set(d->dict, kind_names[k], m);
        val_release(m);
        if (!ok) {
            val_release(d);
            return NULL;
        }
    }
    return d;
}

static Value *np_geterr(Value *self, const CallArgs *a) {
    if (!args_none("geterr", a)) return NULL;
    return errstate_dict();
}

static bool mode_of(Value *v, FpeMode *out) {
    if (v->kind == VK_STR)
        for (int m = 0; m < FPE_NMODES; m++)
            if (!strcmp(v->str.s, mode_names[m])) {
                *out = (FpeMode)m;
                return true;
            }
    raise_key_error(v);
    return false;
}

static Value *np_seterr(Value *self, const CallArgs *a) {
    ARGS(5);
    PARSE("seterr", "all=, divide=, over=, under=, invalid=");
    Value *old = errstate_dict();
    if (!old) return NULL;
    FpeMode next[FPE_NKINDS];
    for (int k = 0; k < FPE_NKINDS; k++) {
        Value *v = !is_none(v_[1 + k]) ? v_[1 + k] : v_[0];
        next[k] = modes[k];
        if (!is_none(v) && !mode_of(v, &next[k])) {
            val_release(old);
            return NULL;
        }
    }
    memcpy(modes, next, sizeof modes);
    return old;
}

/* Python's callable(v) */
static bool is_callable(Value *v) {
    Value *fn = dict_get(tsr_interp->builtins->dict, "callable"), *r = fn ? call_value(fn, &(CallArgs){&v, 1, NULL, NULL, 0}) : NULL;
    bool yes = r && r->kind == VK_BOOL && r->b;
    val_release(r);
    return yes;
}

static Value *np_seterrcall(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("seterrcall", "func");
    Value *f = v_[0];
    if (!is_none(f) && !is_callable(f)) {
        Value *w = get_attr(f, "write");
        bool ok = w && is_callable(w);
        val_release(w);
        tsr_err_clear();
        if (!ok) {
            tsr_raise(ERR_ValueError, "%s", "Only callable can be used as callback");
            return NULL;
        }
    }
    Value *old = err_call ? err_call : val_none();
    err_call = is_none(f) ? NULL : val_retain(f);
    return old;
}

static Value *np_geterrcall(Value *self, const CallArgs *a) {
    if (!args_none("geterrcall", a)) return NULL;
    return err_call ? val_retain(err_call) : val_none();
}

/* np._runtime_warning(msg): the RuntimeWarning numpy's Python warns with
 * stacklevel reaching the user's code (the innermost frame outside tsr's
 * numpy) */
static Value *np_runtime_warning(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("_runtime_warning", "message");
    if (v_[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s", "message must be a str");
        return NULL;
    }
    return tsr_warn_from(ERR_RuntimeWarning, v_[0]->str.s, "numpy") ? val_none() : NULL;
}

const Builtin numpy_fpe_functions[] = {
    {"_runtime_warning", np_runtime_warning},
    {"geterr", np_geterr},
    {"seterr", np_seterr},
    {"seterrcall", np_seterrcall},
    {"geterrcall", np_geterrcall},
    {NULL, NULL},
};

/* ------------------------------------------------------------ flags from values */

static Tensor *mask_and(Tensor *a, Tensor *b) { /* both released */
    Tensor *r = a && b ? op_binary(BIN_LOGICAL_AND, a, b) : NULL;
    tensor_release(a);
    tensor_release(b);
    return r;
}

static Tensor *mask_or(Tensor *a, Tensor *b) { /* both released; b may be NULL for none */
    if (!b) return a;
    Tensor *r = a ? op_binary(BIN_LOGICAL_OR, a, b) : NULL;
    tensor_release(a);
    tensor_release(b);
    return r;
}

static bool any_release(Tensor *m) {
    Tensor *a = m ? op_any(m, 0, NULL, false) : NULL;
    bool r = a && tensor_get_i64(a, 0) != 0;
    tensor_release(a);
    tensor_release(m);
    return r;
}

static Tensor *is_zero(const Tensor *t) {
    Tensor *z = tensor_scalar_f64(t->dtype, 0.0), *r = z ? op_binary(BIN_EQ, (Tensor *)t, z) : NULL;
    tensor_release(z);
    return r;
}

/* underflow: a nonzero result below the dtype's smallest normal number,
 * or 0 from a finite input where the function is never 0 (exp) */
static void underflow_from_values(Tensor *r, Tensor *x, NpPole pole, int *flags) {
    double tiny = r->dtype == DT_FLOAT64 ? 2.2250738585072014e-308 : r->dtype == DT_FLOAT32 ? 1.1754943508222875e-38
                                                                                           : 6.103515625e-05;
    Tensor *ab = op_unary(UN_ABS, r), *t = ab ? tensor_scalar_f64(ab->dtype, tiny) : NULL;
    Tensor *small = t ? op_binary(BIN_LT, ab, t) : NULL;
    Tensor *z = is_zero(r), *nz = z ? op_unary(UN_LOGICAL_NOT, z) : NULL;
    if (pole == NP_EXP_LIKE && z) {
        Tensor *born = mask_and(tensor_retain(z), op_unary(UN_ISFINITE, x));
        if (any_release(born)) *flags |= FE_UNDERFLOW;
    }
    if (small && nz && any_release(mask_and(tensor_retain(small), tensor_retain(nz)))) *flags |= FE_UNDERFLOW;
    tensor_release(ab);
    tensor_release(t);
    tensor_release(small);
    tensor_release(z);
    tensor_release(nz);
}

bool np_all_finite(Tensor *r) {
    if (r->storage->device.type == DEV_CPU && tensor_is_contiguous(r) && (r->dtype == DT_FLOAT64 || r->dtype == DT_FLOAT32)) {
        int64_t n = tensor_numel(r);
        bool ok = true;
        if (r->dtype == DT_FLOAT64) {
            const double *p = (const double *)tensor_data(r);
            for (int64_t i = 0; i < n; i++) ok &= isfinite(p[i]) != 0;
        } else {
            const float *p = (const float *)tensor_data(r);
            for (int64_t i = 0; i < n; i++) ok &= isfinite(p[i]) != 0;
        }
        return ok;
    }
    Tensor *fin = op_unary(UN_ISFINITE, r), *all = fin ? op_all(fin, 0, NULL, false) : NULL;
    bool finite = !all || tensor_get_i64(all, 0) != 0;
    tensor_release(fin);
    tensor_release(all);
    return finite;
}

static void flags_from_values(Tensor *r, Tensor *x, Tensor *y, NpPole pole, int *flags) {
    if (!r || !dtype_is_float(r->dtype)) return;
    if (modes[FPE_K_under] != FPE_IGNORE) underflow_from_values(r, x, pole, flags);
    if (pole == NP_NAN_COMPARED &&
        any_release(mask_or(op_unary(UN_ISNAN, x), y ? op_unary(UN_ISNAN, y) : NULL))) {
        *flags |= FE_INVALID;
        pole = NP_POLE_NONE;
    }
    if (np_all_finite(r)) return;
    /* nan from inputs that are not nan: invalid */
    Tensor *in_nan = mask_or(op_unary(UN_ISNAN, x), y ? op_unary(UN_ISNAN, y) : NULL);
    if (in_nan && any_release(mask_and(op_unary(UN_ISNAN, r), op_unary(UN_LOGICAL_NOT, in_nan))))
        *flags |= FE_INVALID;
    tensor_release(in_nan);
    /* inf from finite inputs: divide by zero at a pole, else overflow */
    Tensor *in_fin = mask_and(op_unary(UN_ISFINITE, x), y ? op_unary(UN_ISFINITE, y) : op_unary(UN_ISFINITE, x));
    Tensor *born = mask_and(op_unary(UN_ISINF, r), in_fin);
    if (!born) return;
    Tensor *at_pole = pole == NP_POLE_ALWAYS ? NULL
                      : pole == NP_POLE_X_ZERO ? is_zero(x)
                      : pole == NP_POLE_Y_ZERO && y ? is_zero(y) : NULL;
    if (pole == NP_POLE_ALWAYS) {
        if (any_release(born)) *flags |= FE_DIVBYZERO;
        return;
    }
    if (!at_pole) {
        if (any_release(born)) *flags |= FE_OVERFLOW;
        return;
    }
    Tensor *not_pole = op_unary(UN_LOGICAL_NOT, at_pole), *born2 = tensor_retain(born);
    if (any_release(mask_and(born, at_pole))) *flags |= FE_DIVBYZERO;
    if (any_release(mask_and(born2, not_pole))) *flags |= FE_OVERFLOW;
}

void np_fpe_from_values(Tensor *r, Tensor *x, Tensor *y, NpPole pole) {
    /* the checks' own comparisons (of nan) raise flags: keep them apart */
    int before = fetestexcept(FPE_READ), flags = 0;
    flags_from_values(r, x, y, pole, &flags);
    if (fetestexcept(FPE_READ)) feclearexcept(FPE_READ);
    if (before | flags) feraiseexcept(before | flags);
}
