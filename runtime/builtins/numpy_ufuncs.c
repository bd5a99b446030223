/* numpy_ufuncs.c: numpy's elementwise functions (ufuncs) beyond the
 * operators: one table of unary and one of binary ufuncs, each row a numpy
 * name, the elementwise op computing it and numpy's result-dtype rule;
 * np.round/around (numpy's scaling and round-half-even) and np.isclose. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "interp_internal.h"
#include "numpy.h"
#include "numpy_complex.h"
#include "numpy_float_math.h"
#include "ops.h"
#include "print_ndarray.h"

DType np_float_dtype(DType d) {
    if (dtype_is_float(d)) return d == DT_BFLOAT16 ? DT_FLOAT32 : d;
    return np_promote(d, DT_FLOAT16);
}

/* numpy's TypeErrors of a ufunc call: positional argument count (nin
 * inputs and an optional out) and string inputs */
static bool ufunc_args_ok(const CallArgs *a, const char *fn, int nin) {
    int given = a->nargs;
    if (given < nin || given > nin + 1) {
        tsr_raise(ERR_TypeError, "%s() takes from %d to %d positional arguments but %d were given", fn, nin,
                  nin + 1, given);
        return false;
    }
    for (int i = 0; i < nin; i++)
        if (val_unwrap(a->args[i])->kind == VK_STR) {
            tsr_raise(ERR_TypeError,
                      "ufunc '%s' not supported for the input types, and the inputs could not be safely "
                      "coerced to any supported types according to the casting rule ''safe''",
                      fn);
            return false;
        }
    return true;
}

/* r in dtype d (r itself when it has it), r released; NULL stays NULL */
static Tensor *cast_steal(Tensor *r, DType d) {
    if (!r || r->dtype == d) return r;
    Tensor *c = tensor_to_dtype(r, d);
    tensor_release(r);
    return c;
}

/* op on t in dtype d; float16 computes in float32 and rounds back, as
 * numpy's half loops do */
static Tensor *unary_in(UnaryOp op, Tensor *t, DType d) {
    DType cd = d == DT_FLOAT16 ? DT_FLOAT32 : d;
    Tensor *src = tensor_to_dtype(t, cd), *r = src ? op_unary(op, src) : NULL;
    tensor_release(src);
    return d == DT_FLOAT16 ? cast_steal(r, d) : r;
}

/* X(numpy name, op, kind): kind 'f' float math (integers and bools turn
 * into numpy's float for their size: float16 for bool and 8 bits, float32
 * for 16, float64 above), 'p' a predicate (bool result), 'r' reciprocal
 * (float math cast back to an integer input's dtype) */
#define NP_UNARY_UFUNCS(X)                                                                                      \
    X(arccos, UN_ACOS, 'f') X(arcsin, UN_ASIN, 'f') X(arctan, UN_ATAN, 'f') X(cosh, UN_COSH, 'f')                \
    X(sinh, UN_SINH, 'f') X(exp2, UN_EXP2, 'f') X(expm1, UN_EXPM1, 'f') X(log1p, UN_LOG1P, 'f')                  \
    X(fabs, UN_ABS, 'f') X(trunc, UN_TRUNC, 'f') X(arccosh, UN_ACOSH, 'f') X(arcsinh, UN_ASINH, 'f')            \
    X(arctanh, UN_ATANH, 'f') X(rint, UN_ROUND, 'f') X(isfinite, UN_ISFINITE, 'p') X(isinf, UN_ISINF, 'p')     \
    X(logical_not, UN_LOGICAL_NOT, 'p') X(reciprocal, UN_RECIPROCAL, 'r')

/* where a float ufunc's inf from a finite input is a division by zero */
static NpPole unary_pole(UnaryOp op) {
    switch (op) {
    case UN_LOG: case UN_LOG2: case UN_LOG10: case UN_LOG1P: case UN_ATANH: return NP_POLE_ALWAYS;
    case UN_RECIPROCAL: return NP_POLE_X_ZERO;
    case UN_EXP2: return NP_EXP_LIKE;
    default: return NP_POLE_NONE;
    }
}

static Value *np_unary_ufunc(const CallArgs *a, const char *fn, UnaryOp op, char kind) {
    if (!ufunc_args_ok(a, fn, 1)) return NULL;
    ARGS(1);
    PARSE(fn, "x");
    Tensor *t = np_tensor_of(v_[0]);
    if (!t) return NULL;
    Tensor *r;
    if (kind == 'p') r = dtype_is_complex(t->dtype) && op != UN_LOGICAL_NOT ? np_complex_predicate(op, t) : op_unary(op, t);
    else if (dtype_is_complex(t->dtype) && np_complex_unary_has(fn)) {
        np_fpe_clear(); /* the C library's complex math raises numpy's flags */
        r = np_fpe_done(op_np_complex_unary(fn, t), fn, NULL);
    } else {
        DType d = np_float_dtype(t->dtype);
        if (kind == 'f' && d != DT_BFLOAT16 && np_float_unary_has(fn)) { /* numpy's own loops */
            Tensor *src = tensor_to_dtype(t, d);
            r = src ? op_np_float_unary(fn, src) : NULL;
            tensor_release(src);
        } else {
            r = unary_in(op, t, d);
        }
        np_fpe_clear(); /* the vectorised math's own flags are not numpy's */
        np_fpe_from_values(r, t, NULL, unary_pole(op));
        r = np_fpe_done(r, fn, NULL);
        if (kind == 'r' && !dtype_is_float(t->dtype)) r = cast_steal(r, t->dtype);
    }
    tensor_release(t);
    return numpy_result_steal(r);
}

#define X(name, op, kind) \
    static Value *np_##name(Value *self, const CallArgs *a) { return np_unary_ufunc(a, #name, op, kind); }
NP_UNARY_UFUNCS(X)
#undef X

/* np._float_power: float_power's float64 loop (the C library's pow;
 * numpy/ufuncs.py casts the operands) */
static Value *np__float_power(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("float_power", "x1, x2");
    Tensor *x = np_tensor_of(v_[0]), *y = x ? np_tensor_of(v_[1]) : NULL;
    Tensor *cx = y ? tensor_to_dtype(x, DT_FLOAT64) : NULL, *cy = cx ? tensor_to_dtype(y, DT_FLOAT64) : NULL;
    np_fpe_clear();
    Tensor *r = cy && np_check_broadcast(cx, cy) ? op_np_float_binary("float_power", cx, cy) : NULL;
    if (r) {
        np_fpe_clear();
        np_fpe_from_values(r, cx, cy, NP_POLE_X_ZERO);
    }
    r = np_fpe_done(r, "float_power", NULL);
    tensor_release(x);
    tensor_release(y);
    tensor_release(cx);
    tensor_release(cy);
    return numpy_result_steal(r);
}

/* np.cbrt: numpy's loop (np_math.h); no complex loop */
static Value *np_cbrt(Value *self, const CallArgs *a) {
    if (!ufunc_args_ok(a, "cbrt", 1)) return NULL;
    ARGS(1);
    PARSE("cbrt", "x");
    Tensor *t = np_tensor_of(v_[0]);
    if (!t) return NULL;
    Tensor *src = NULL, *r = NULL;
    if (dtype_is_complex(t->dtype))
        tsr_raise(ERR_TypeError,
                  "ufunc 'cbrt' not supported for the input types, and the inputs could not be safely coerced "
                  "to any supported types according to the casting rule ''safe''");
    else src = tensor_to_dtype(t, np_float_dtype(t->dtype));
    if (src) r = op_np_float_unary("cbrt", src);
    np_fpe_clear();
    tensor_release(src);
    tensor_release(t);
    return numpy_result_steal(r);
}

/* deg2rad and rad2deg: x * (pi / 180) with the constant in the float
 * dtype, as numpy's npy_deg2rad(f) computes it */
static Value *np_angle(const CallArgs *a, const char *fn, bool to_rad) {
    if (!ufunc_args_ok(a, fn, 1)) return NULL;
    ARGS(1);
    PARSE(fn, "x");
    Tensor *t = np_tensor_of(v_[0]);
    if (!t) return NULL;
    DType d = np_float_dtype(t->dtype), cd = d == DT_FLOAT16 ? DT_FLOAT32 : d;
    double k = cd == DT_FLOAT64 ? (to_rad ? M_PI / 180.0 : 180.0 / M_PI)
                                : (double)(to_rad ? (float)M_PI / 180.0f : 180.0f / (float)M_PI);
    Tensor *src = tensor_to_dtype(t, cd), *c = src ? tensor_scalar_f64(cd, k) : NULL;
    np_fpe_clear();
    Tensor *r = np_fpe_done(cast_steal(c ? op_binary(BIN_MUL, src, c) : NULL, d), fn, NULL); /* IEEE multiply */
    tensor_release(t);
    tensor_release(src);
    tensor_release(c);
    return numpy_result_steal(r);
}

static Value *np_deg2rad(Value *self, const CallArgs *a) { return np_angle(a, "deg2rad", true); }
static Value *np_radians(Value *self, const CallArgs *a) { return np_angle(a, "radians", true); }
static Value *np_rad2deg(Value *self, const CallArgs *a) { return np_angle(a, "rad2deg", false); }
static Value *np_degrees(Value *self, const CallArgs *a) { return np_angle(a, "degrees", false); }

/* X(numpy name, op, kind): kind 'a' arithmetic (the operands' promoted
 * dtype), 'i' integer arithmetic (no float loops), 'f' float math (that
 * dtype made float), 'c' comparison and 'l' logical (bool results) */
#define NP_BINARY_UFUNCS(X)                                                                                     \
    X(arctan2, BIN_ATAN2, 'f') X(hypot, BIN_HYPOT, 'f') X(logaddexp, BIN_LOGADDEXP, 'f')                        \
    X(logaddexp2, BIN_LOGADDEXP2, 'f') X(copysign, BIN_COPYSIGN, 'f') X(fmax, BIN_FMAX, 'a')                    \
    X(fmin, BIN_FMIN, 'a') X(fmod, BIN_FMOD, 'a') X(mod, BIN_REMAINDER, 'a') X(remainder, BIN_REMAINDER, 'a')   \
    X(floor_divide, BIN_FLOOR_DIVIDE, 'a') X(equal, BIN_EQ, 'c') X(not_equal, BIN_NE, 'c') X(less, BIN_LT, 'c') \
    X(less_equal, BIN_LE, 'c') X(greater, BIN_GT, 'c') X(greater_equal, BIN_GE, 'c')                            \
    X(logical_and, BIN_LOGICAL_AND, 'l') X(logical_or, BIN_LOGICAL_OR, 'l') X(logical_xor, BIN_LOGICAL_XOR, 'l') \
    X(heaviside, BIN_HEAVISIDE, 'f') X(nextafter, BIN_NEXTAFTER, 'f') X(gcd, BIN_GCD, 'i') X(lcm, BIN_LCM, 'i')

static Value *np_binary_ufunc(const CallArgs *a, const char *fn, BinaryOp op, char kind) {
    if (!ufunc_args_ok(a, fn, 2)) return NULL;
    ARGS(2);
    PARSE(fn, "x1, x2");
    DType rd = kind == 'l' ? DT_BOOL : np_result_type(v_[0], v_[1]);
    if (rd == DT_UNDEFINED) return NULL;
    if (kind == 'f') rd = np_float_dtype(rd);
    if (kind == 'i' && (dtype_is_float(rd) || rd == DT_BOOL)) {
        const char *n = numpy_dtype_name(rd);
        tsr_raise(ERR_TypeError,
                  "ufunc '%s' did not contain a loop with signature matching types (<class 'numpy.dtype[%s%s]'>, "
                  "<class 'numpy.dtype[%s%s]'>) -> <class 'numpy.dtype[%s%s]'>",
                  fn, n, rd == DT_BOOL ? "_" : "", n, rd == DT_BOOL ? "_" : "", n, rd == DT_BOOL ? "_" : "");
        return NULL;
    }
    DType cd = rd == DT_FLOAT16 && kind == 'f' ? DT_FLOAT32 : rd;
    Tensor *x = np_tensor_of(v_[0]), *y = x ? np_tensor_of(v_[1]) : NULL;
    Tensor *cx = y ? tensor_to_dtype(x, cd) : NULL, *cy = cx ? tensor_to_dtype(y, cd) : NULL;
    bool checked = (kind == 'a' || kind == 'f') && op != BIN_FMAX && op != BIN_FMIN && op != BIN_NEXTAFTER;
    np_fpe_clear();
    const char *npfn = op == BIN_ATAN2 ? "arctan2" : op == BIN_HYPOT ? "hypot" : op == BIN_LOGADDEXP2 ? "logaddexp2" : NULL;
    if (cy && npfn && rd == DT_FLOAT16) { /* numpy's float16 loops: the float function, rounded */
        Tensor *hx = tensor_to_dtype(cx, rd), *hy = hx ? tensor_to_dtype(cy, rd) : NULL;
        tensor_release(cx);
        tensor_release(cy);
        cx = hx, cy = hy;
    }
    Tensor *r = cy && np_check_broadcast(cx, cy)
                    ? npfn && dtype_is_float(cx->dtype) && cx->dtype != DT_BFLOAT16 ? op_np_float_binary(npfn, cx, cy)
                    : op == BIN_FMOD || op == BIN_REMAINDER || op == BIN_FLOOR_DIVIDE ? np_int_divide(op, cx, cy)
                                                                                      : op_binary(op, cx, cy)
                    : NULL;
    if (r && op == BIN_HEAVISIDE) { /* numpy's heaviside(nan, h) is nan */
        Tensor *nan = op_unary(UN_ISNAN, cx), *w = nan ? op_where(nan, cx, r) : NULL;
        tensor_release(nan);
        tensor_release(r);
        r = w;
    }
    if (kind != 'c' && kind != 'l') r = cast_steal(r, rd);
    if (checked && r && dtype_is_float(r->dtype)) { /* the vectorised math's own flags are not numpy's */
        np_fpe_clear();
        np_fpe_from_values(r, cx, cy,
                           op == BIN_FLOOR_DIVIDE                          ? NP_POLE_Y_ZERO
                           : op == BIN_LOGADDEXP || op == BIN_LOGADDEXP2 ? NP_NAN_COMPARED
                                                                           : NP_POLE_NONE);
    }
    if (checked) r = np_fpe_done(r, fn, NULL);
    tensor_release(x);
    tensor_release(y);
    tensor_release(cx);
    tensor_release(cy);
    return numpy_result_steal(r);
}

#define X(name, op, kind) \
    static Value *np_##name(Value *self, const CallArgs *a) { return np_binary_ufunc(a, #name, op, kind); }
NP_BINARY_UFUNCS(X)
#undef X

/* np.divmod: (floor_divide, remainder) in the operands' dtype, numpy's
 * errors named divmod */
static Value *np_divmod(Value *self, const CallArgs *a) {
    if (!ufunc_args_ok(a, "divmod", 2)) return NULL;
    ARGS(2);
    PARSE("divmod", "x1, x2");
    DType rd = np_result_type(v_[0], v_[1]);
    if (rd == DT_UNDEFINED) return NULL;
    Tensor *x = np_tensor_of(v_[0]), *y = x ? np_tensor_of(v_[1]) : NULL;
    Tensor *cx = y ? tensor_to_dtype(x, rd) : NULL, *cy = cx ? tensor_to_dtype(y, rd) : NULL;
    Tensor *q = NULL, *m = NULL;
    np_fpe_clear();
    if (cy && np_check_broadcast(cx, cy)) {
        q = np_int_divide(BIN_FLOOR_DIVIDE, cx, cy);
        m = q ? np_int_divide(BIN_REMAINDER, cx, cy) : NULL;
        if (m && dtype_is_float(rd)) { /* the vectorised math's own flags are not numpy's */
            np_fpe_clear();
            np_fpe_from_values(q, cx, cy, NP_POLE_Y_ZERO);
            np_fpe_from_values(m, cx, cy, NP_POLE_NONE);
        }
    }
    Value *r = NULL;
    if (m && np_fpe_check("divmod", NULL)) {
        Value *vq = numpy_result_steal(q), *vm = numpy_result_steal(m);
        q = m = NULL;
        r = vm ? val_tuple_new(2) : NULL;
        if (r) {
            r->seq.items[0] = vq;
            r->seq.items[1] = vm;
        } else {
            val_release(vq);
            val_release(vm);
        }
    }
    tensor_release(q);
    tensor_release(m);
    tensor_release(x);
    tensor_release(y);
    tensor_release(cx);
    tensor_release(cy);
    return r;
}

static Value *np_true_divide(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("true_divide", "x1, x2");
    return numpy_ufunc_binary(B_DIV, v_[0], v_[1]);
}

/* ------------------------------------------------------------ round */

/* numpy's PyArray_Round: integers with decimals >= 0 unchanged; else
 * x * 10**d, rint, / 10**d in the array's dtype (decimals < 0: divide
 * first), integers computed in float64 and cast back */
static Tensor *round_real(Tensor *t, int64_t dec) {
    bool is_int = !dtype_is_float(t->dtype);
    Tensor *r = NULL;
    if (is_int && dec >= 0) r = tensor_clone(t, DT_UNDEFINED);
    else if (dec == 0) r = unary_in(UN_ROUND, t, t->dtype);
    else {
        DType d = is_int ? DT_FLOAT64 : t->dtype;
        int64_t n = dec < 0 ? -dec : dec;
        double f = pow(10.0, (double)(n > 400 ? 400 : n));
        Tensor *src = tensor_to_dtype(t, d), *ft = src ? tensor_scalar_f64(d, f) : NULL;
        Tensor *y = ft ? op_binary(dec > 0 ? BIN_MUL : BIN_DIV, src, ft) : NULL;
        Tensor *z = y ? unary_in(UN_ROUND, y, d) : NULL;
        r = z ? op_binary(dec > 0 ? BIN_DIV : BIN_MUL, z, ft) : NULL;
        tensor_release(src);
        tensor_release(ft);
        tensor_release(y);
        tensor_release(z);
        r = cast_steal(r, t->dtype);
    }
    return r;
}

/* complex arrays: the real and the imaginary part rounded apart */
static Value *np_round_common(Value *self, const CallArgs *a, const char *fn) {
    WITH_SELF(a);
    ARGS(2);
    PARSE(fn, "a, decimals=");
    int64_t dec = 0;
    if (!is_none(v_[1]) && !val_as_int(v_[1], &dec)) return NULL;
    Tensor *t = np_tensor_of(v_[0]), *r = NULL;
    if (!t) return NULL;
    if (dtype_is_complex(t->dtype)) {
        Tensor *re = op_real(t), *im = re ? op_imag(t) : NULL;
        Tensor *rr = im ? round_real(re, dec) : NULL, *ri = rr ? round_real(im, dec) : NULL;
        r = ri ? op_complex(rr, ri) : NULL;
        Tensor *parts[] = {re, im, rr, ri};
        for (int i = 0; i < 4; i++) tensor_release(parts[i]);
    } else {
        r = round_real(t, dec);
    }
    tensor_release(t);
    return numpy_result_steal(r);
}

static Value *np_round(Value *self, const CallArgs *a) { return np_round_common(self, a, "round"); }
static Value *np_around(Value *self, const CallArgs *a) { return np_round_common(self, a, "around"); }

/* ------------------------------------------------------------ isclose */

/* np.isclose's bool tensor of a and b (both as float64), v the call's
 * five arguments (a, b, rtol, atol, equal_nan) */
static Tensor *isclose_tensor(Value **v, const char *fn) {
    double rtol, atol;
    bool eqnan;
    if (!arg_double(v[2], fn, "rtol", 1e-5, &rtol) || !arg_double(v[3], fn, "atol", 1e-8, &atol) ||
        !arg_bool(v[4], fn, "equal_nan", false, &eqnan))
        return NULL;
    Tensor *x = np_tensor_of(v[0]), *y = x ? np_tensor_of(v[1]) : NULL;
    Tensor *cx = y ? tensor_to_dtype(x, DT_FLOAT64) : NULL, *cy = cx ? tensor_to_dtype(y, DT_FLOAT64) : NULL;
    Tensor *r = cy && np_check_broadcast(cx, cy) ? op_isclose(cx, cy, rtol, atol, eqnan) : NULL;
    tensor_release(x);
    tensor_release(y);
    tensor_release(cx);
    tensor_release(cy);
    return r;
}

static Value *np_isclose(Value *self, const CallArgs *a) {
    ARGS(5);
    PARSE("isclose", "a, b, rtol=, atol=, equal_nan=");
    return numpy_result_steal(isclose_tensor(v_, "isclose"));
}

static Value *np_allclose(Value *self, const CallArgs *a) {
    ARGS(5);
    PARSE("allclose", "a, b, rtol=, atol=, equal_nan=");
    Tensor *c = isclose_tensor(v_, "allclose"), *all = c ? op_all(c, 0, NULL, false) : NULL;
    Value *r = all ? val_bool(tensor_get_i64(all, 0) != 0) : NULL;
    tensor_release(c);
    tensor_release(all);
    return r;
}

/* the ndarray methods this file gives (numpy_method_lookup) */
const Builtin numpy_ufunc_methods[] = {
    {"round", np_round},
    {NULL, NULL},
};

const Builtin numpy_ufunc_functions[] = {
#define X(name, op, kind) {#name, np_##name},
    NP_UNARY_UFUNCS(X) NP_BINARY_UFUNCS(X)
#undef X
    {"cbrt", np_cbrt},
    {"_float_power", np__float_power},
    {"deg2rad", np_deg2rad},
    {"radians", np_radians},
    {"rad2deg", np_rad2deg},
    {"degrees", np_degrees},
    {"true_divide", np_true_divide},
    {"divmod", np_divmod},
    {"round", np_round},
    {"round_", np_round},
    {"around", np_around},
    {"isclose", np_isclose},
    {"allclose", np_allclose},
    {NULL, NULL},
};
