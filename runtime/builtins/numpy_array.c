/* numpy_array.c: np.ndarray's operators with numpy 1.24's type promotion
 * (numpy/core/src/multiarray/convert_datatype.c: promote_types and the
 * value-based rule for Python scalars and 0-dim operands), its attributes
 * and its methods; numpy scalars share them. */
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

/* ------------------------------------------------------------ dtypes */

/* numpy's kinds in promotion order: bool < int < float < complex */
static int np_cat(DType d) { return d == DT_BOOL ? 0 : dtype_is_float(d) ? 2 : dtype_is_complex(d) ? 3 : 1; }
/* the kinds of numpy's value-based rule, where float and complex are one
 * (dtype_kind_to_simplified_ordering) */
static int np_value_cat(DType d) { return np_cat(d) > 2 ? 2 : np_cat(d); }

static int int_bits(DType d) { return (int)dtype_size(d) * 8; }

/* the smallest float holding every value of the integer type d exactly */
static DType float_for_int(DType d) {
    int bits = int_bits(d);
    return bits <= 8 ? DT_FLOAT16 : bits <= 16 ? DT_FLOAT32 : DT_FLOAT64;
}

static DType signed_of_bits(int bits) {
    return bits <= 8 ? DT_INT8 : bits <= 16 ? DT_INT16 : bits <= 32 ? DT_INT32 : DT_INT64;
}

DType np_promote(DType a, DType b) {
    if (a == b) return a;
    if (a == DT_BFLOAT16) a = DT_FLOAT32;
    if (b == DT_BFLOAT16) b = DT_FLOAT32;
    int ca = np_cat(a), cb = np_cat(b);
    if (ca == 3 || cb == 3) { /* the complex type of the promoted real parts */
        DType r = np_promote(ca == 3 ? dtype_to_real(a) : a, cb == 3 ? dtype_to_real(b) : b);
        return r == DT_FLOAT64 ? DT_COMPLEX128 : DT_COMPLEX64;
    }
    if (ca == 0) return b;
    if (cb == 0) return a;
    if (ca == 2 && cb == 2) return dtype_size(a) >= dtype_size(b) ? a : b;
    if (ca == 2 || cb == 2) {
        DType f = ca == 2 ? a : b, i = ca == 2 ? b : a, need = float_for_int(i);
        return dtype_size(f) >= dtype_size(need) ? f : need;
    }
    /* two integers */
    bool ua = a == DT_UINT8, ub = b == DT_UINT8;
    if (ua == ub) return dtype_size(a) >= dtype_size(b) ? a : b;
    DType u = ua ? a : b, s = ua ? b : a;
    return int_bits(s) > int_bits(u) ? s : signed_of_bits(int_bits(u) * 2);
}

/* numpy's min_scalar_type of a Python or 0-dim value, for the value-based
 * rule; `signed_ctx`: the array it meets is signed, so a small positive
 * int counts as signed (numpy's is_small_unsigned) */
static DType min_scalar_type(const Tensor *t, bool signed_ctx) {
    if (t->dtype == DT_BOOL) return DT_BOOL;
    if (dtype_is_complex(t->dtype)) { /* complex64 is the least complex type */
        double re, im;
        tensor_get_complex(t, 0, &re, &im);
        return fabs(re) > 3.4028234663852886e38 || fabs(im) > 3.4028234663852886e38 ? DT_COMPLEX128 : DT_COMPLEX64;
    }
    if (dtype_is_float(t->dtype)) {
        double v = fabs(tensor_get_f64(t, 0));
        if (!isfinite(v) || v <= 65504.0) return DT_FLOAT16;
        if (v <= 3.4028234663852886e38) return DT_FLOAT32;
        return DT_FLOAT64;
    }
    int64_t v = tensor_get_i64(t, 0);
    if (v >= 0 && v <= 255 && !signed_ctx) return DT_UINT8;
    if (v >= -128 && v <= 127) return DT_INT8;
    if (v >= 0 && v <= 255) return signed_ctx ? DT_INT16 : DT_UINT8;
    if (v >= -32768 && v <= 32767) return DT_INT16;
    if (v >= INT32_MIN && v <= INT32_MAX) return DT_INT32;
    return DT_INT64;
}

/* ------------------------------------------------------------ operands */

typedef struct {
    Tensor *t;   /* owned */
    bool scalar; /* a Python number or a 0-dim operand: value-based */
} Operand;

static bool is_pynum(const Value *v) {
    return v->kind == VK_BOOL || v->kind == VK_INT || v->kind == VK_FLOAT || v->kind == VK_COMPLEX;
}

Tensor *np_tensor_of(Value *v) {
    v = val_unwrap(v);
    if (v->kind == VK_TENSOR) return tensor_retain(v->tensor);
    if (v->kind == VK_BOOL) return tensor_scalar_i64(DT_BOOL, v->b);
    if (v->kind == VK_INT) return tensor_scalar_i64(DT_INT64, v->i);
    if (v->kind == VK_FLOAT) return tensor_scalar_f64(DT_FLOAT64, v->f);
    Tensor *t = tensor_from_data_numpy(v, DT_UNDEFINED);
    if (t && dtype_is_complex(t->dtype) && ndarray_call_name && !ndarray_complex_capable(ndarray_call_name)) {
        tsr_raise(ERR_TypeError, "tsr's numpy has no complex loop for '%s' yet (dtype('%s'))", ndarray_call_name,
                  dtype_name(t->dtype));
        tensor_release(t);
        return NULL;
    }
    return t;
}

static bool operand(Value *v, Operand *o) {
    o->t = np_tensor_of(v);
    if (!o->t) return false;
    o->scalar = is_pynum(v) || o->t->ndim == 0;
    return true;
}

DType np_result_type(Value *a, Value *b) {
    Operand x, y;
    if (!operand(a, &x)) return DT_UNDEFINED;
    if (!operand(b, &y)) {
        tensor_release(x.t);
        return DT_UNDEFINED;
    }
    DType r;
    if (x.scalar == y.scalar) r = np_promote(x.t->dtype, y.t->dtype);
    else {
        Operand *arr = x.scalar ? &y : &x, *sc = x.scalar ? &x : &y;
        DType ad = arr->t->dtype;
        /* a scalar of a higher kind promotes by its dtype, not its value */
        if (np_value_cat(sc->t->dtype) > np_value_cat(ad)) r = np_promote(ad, sc->t->dtype);
        else r = np_promote(ad, min_scalar_type(sc->t, ad != DT_UINT8 && np_cat(ad) == 1));
    }
    tensor_release(x.t);
    tensor_release(y.t);
    return r;
}

static void shape_text(const Tensor *t, char *buf, size_t n) {
    size_t k = (size_t)snprintf(buf, n, "(");
    for (int i = 0; i < t->ndim && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%lld", i ? "," : "", (long long)t->shape[i]);
    if (k < n) snprintf(buf + k, n - k, t->ndim == 1 ? ",)" : ")");
}

bool np_check_broadcast(const Tensor *a, const Tensor *b) {
    int n = a->ndim > b->ndim ? a->ndim : b->ndim;
    for (int i = 0; i < n; i++) {
        int64_t x = i < a->ndim ? a->shape[a->ndim - 1 - i] : 1;
        int64_t y = i < b->ndim ? b->shape[b->ndim - 1 - i] : 1;
        if (x != y && x != 1 && y != 1) {
            char sa[400], sb[400];
            shape_text(a, sa, sizeof sa);
            shape_text(b, sb, sizeof sb);
            tsr_raise(ERR_ValueError, "operands could not be broadcast together with shapes %s %s ", sa, sb);
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------ operators */

static const char *const bin_symbols[] = {
    [B_ADD] = "+", [B_SUB] = "-", [B_MUL] = "*", [B_DIV] = "/", [B_FLOORDIV] = "//", [B_MOD] = "%",
    [B_POW] = "** or pow()", [B_MATMUL] = "@", [B_AND] = "&", [B_OR] = "|", [B_XOR] = "^",
    [B_LSHIFT] = "<<", [B_RSHIFT] = ">>",
};
static const char *const ufunc_names[] = {
    [B_ADD] = "add", [B_SUB] = "subtract", [B_MUL] = "multiply", [B_DIV] = "true_divide",
    [B_FLOORDIV] = "floor_divide", [B_MOD] = "remainder", [B_POW] = "power", [B_MATMUL] = "matmul",
    [B_AND] = "bitwise_and", [B_OR] = "bitwise_or", [B_XOR] = "bitwise_xor",
    [B_LSHIFT] = "left_shift", [B_RSHIFT] = "right_shift",
};
static const BinaryOp np_binops[] = {
    [B_ADD] = BIN_ADD, [B_SUB] = BIN_SUB, [B_MUL] = BIN_MUL, [B_DIV] = BIN_DIV,
    [B_FLOORDIV] = BIN_FLOOR_DIVIDE, [B_MOD] = BIN_REMAINDER, [B_POW] = BIN_POW,
    [B_AND] = BIN_BITWISE_AND, [B_OR] = BIN_BITWISE_OR, [B_XOR] = BIN_BITWISE_XOR,
    [B_LSHIFT] = BIN_LSHIFT, [B_RSHIFT] = BIN_RSHIFT,
};

static bool numeric_operand(const Value *v) {
    v = val_unwrap((Value *)v);
    return v->kind == VK_TENSOR || is_pynum(v) || v->kind == VK_LIST || v->kind == VK_TUPLE;
}

/* numpy's scalar integer add, subtract and multiply check the exact
 * result against the dtype's range (overflow flag) */
static void scalar_int_overflow(BinKind op, const Tensor *a, const Tensor *b, DType d) {
    int64_t x = tensor_get_i64(a, 0), y = tensor_get_i64(b, 0), z;
    bool over = op == B_ADD ? __builtin_add_overflow(x, y, &z)
                : op == B_SUB ? __builtin_sub_overflow(x, y, &z) : __builtin_mul_overflow(x, y, &z);
    if (!over) {
        int bits = (int)dtype_size(d) * 8;
        if (d == DT_UINT8) over = z < 0 || z > 255;
        else if (bits < 64) over = z < -((int64_t)1 << (bits - 1)) || z >= ((int64_t)1 << (bits - 1));
    }
    if (over) np_fpe_raise_overflow();
}

/* the ufunc a ** b runs: numpy's fast_scalar_power takes an array to the
 * scalar power -1, 0.5 or 2 (floats; integers 2 only) with reciprocal,
 * sqrt or square */
static const char *power_name(Value *a, Value *b) {
    if (!val_is_ndarray(a)) return "power";
    Value *e = val_unwrap(b);
    double x;
    if (e->kind == VK_INT) x = (double)e->i;
    else if (e->kind == VK_BOOL) x = e->b;
    else if (e->kind == VK_FLOAT) x = e->f;
    else if (e->kind == VK_TENSOR && e->tensor->numpy == TENSOR_NP_SCALAR && !val_is_ndarray(e))
        x = tensor_get_f64(e->tensor, 0);
    else return "power";
    if (x == 2) return "square";
    if (!dtype_is_float(a->tensor->dtype) && !dtype_is_complex(a->tensor->dtype)) return "power";
    return x == -1 ? "reciprocal" : x == 0.5 ? "sqrt" : "power";
}

/* whether a ** b of non-arrays runs numpy's scalarmath (the C library's
 * pow): one is a numpy scalar of the result dtype rd, which takes the
 * other in (a numpy scalar of a smaller type, a Python int, a Python
 * float where rd is float64); else (np.float32(2.5) ** 0.3, promotion
 * required) numpy defers to the power ufunc */
static bool scalarmath_power(Value *a, Value *b, DType rd) {
    Value *v[2] = {val_unwrap(a), val_unwrap(b)};
    bool own = false;
    for (int i = 0; i < 2; i++) {
        if (val_is_ndarray(v[i])) return false;
        if (v[i]->kind == VK_FLOAT && rd != DT_FLOAT64) return false;
        if (v[i]->kind == VK_TENSOR && v[i]->tensor->dtype == rd) own = true;
    }
    return own;
}

/* a op b in numpy's dtype: the tensor result, or NULL with an error */
static Tensor *np_binary_tensor(BinKind op, Value *a, Value *b, bool operator_form) {
    if (!numeric_operand(a) || !numeric_operand(b)) {
        tsr_raise(ERR_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", bin_symbols[op],
                  val_type_name(a), val_type_name(b));
        return NULL;
    }
    DType rd = np_result_type(a, b);
    if (rd == DT_UNDEFINED) return NULL;
    if ((op >= B_AND && (dtype_is_float(rd) || dtype_is_complex(rd))) ||
        ((op == B_FLOORDIV || op == B_MOD) && dtype_is_complex(rd))) {
        tsr_raise(ERR_TypeError,
                  "ufunc '%s' not supported for the input types, and the inputs could not be safely "
                  "coerced to any supported types according to the casting rule ''safe''",
                  ufunc_names[op]);
        return NULL;
    }
    if (op == B_DIV && !dtype_is_float(rd) && !dtype_is_complex(rd)) rd = DT_FLOAT64;
    if (op == B_POW && rd == DT_BOOL) rd = DT_INT8;
    Tensor *ta = np_tensor_of(a), *tb = ta ? np_tensor_of(b) : NULL;
    Tensor *ca = tb ? tensor_to_dtype(ta, rd) : NULL, *cb = ca ? tensor_to_dtype(tb, rd) : NULL;
    Tensor *r = NULL;
    if (cb) {
        if (op == B_MATMUL) {
            if (ca->ndim == 0 || cb->ndim == 0)
                tsr_raise(ERR_ValueError,
                          "matmul: Input operand %d does not have enough dimensions (has 0, gufunc core with "
                          "signature (n?,k),(k,m?)->(n?,m?) requires 1)",
                          ca->ndim == 0 ? 0 : 1);
            else r = dtype_is_complex(rd) ? op_np_complex_matmul(ca, cb) : op_matmul(ca, cb);
        } else if (np_check_broadcast(ca, cb)) {
            np_fpe_clear();
            const char *fast = op == B_POW && operator_form && dtype_is_complex(rd) ? power_name(a, b) : "";
            /* the power ufunc of floats: numpy's loop (SVML on AVX512_SKX); a ** b
             * of numpy scalars is scalarmath's C library pow, and an array to
             * the power -1, 0.5 or 2 fast_scalar_power's ufunc */
            bool np_pow = op == B_POW && (rd == DT_FLOAT16 || rd == DT_FLOAT32 || rd == DT_FLOAT64) &&
                          (!operator_form ||
                           (!scalarmath_power(a, b, rd) && !strcmp(power_name(a, b), "power")));
            if (!strcmp(fast, "reciprocal") || !strcmp(fast, "sqrt")) /* fast_scalar_power's ufuncs */
                r = op_np_complex_unary(fast, ca);
            else if (np_pow)
                r = op_np_float_binary("power", ca, cb);
            else
                r = op == B_FLOORDIV || op == B_MOD ? np_int_divide(np_binops[op], ca, cb)
                    : dtype_is_complex(rd)           ? op_np_complex_binary(np_binops[op], ca, cb)
                                                     : op_binary(np_binops[op], ca, cb);
            if (r && dtype_is_float(r->dtype) && (op == B_FLOORDIV || op == B_MOD || op == B_POW)) {
                np_fpe_clear(); /* the vectorised math's own flags are not numpy's */
                np_fpe_from_values(r, ca, cb, op == B_FLOORDIV ? NP_POLE_Y_ZERO : op == B_POW ? NP_POLE_X_ZERO
                                                                                            : NP_POLE_NONE);
            } else if (r && r->dtype == DT_FLOAT16) { /* rounding to half raises no flag here */
                np_fpe_clear();
                np_fpe_from_values(r, ca, cb, op == B_DIV ? NP_POLE_Y_ZERO : NP_POLE_NONE);
            }
            if (r && r->ndim == 0 && !val_is_ndarray(a) && !val_is_ndarray(b) && !dtype_is_float(rd) &&
                (op == B_ADD || op == B_SUB || op == B_MUL))
                scalar_int_overflow(op, ca, cb, rd);
        }
        if (r && op == B_MATMUL) np_fpe_clear(); /* numpy's dot and matmul (BLAS) check no flags */
        else if (r && np_fpe_pending()) {
            char name[40];
            snprintf(name, sizeof name, "%s%s",
                     operator_form && r->ndim == 0 && !val_is_ndarray(a) && !val_is_ndarray(b) ? "scalar " : "",
                     op == B_DIV ? "divide" : op == B_POW && operator_form ? power_name(a, b) : ufunc_names[op]);
            r = np_fpe_done(r, name, NULL);
        }
    }
    tensor_release(ta);
    tensor_release(tb);
    tensor_release(ca);
    tensor_release(cb);
    return r;
}

Value *numpy_ufunc_binary(BinKind op, Value *a, Value *b) {
    return numpy_result_steal(np_binary_tensor(op, a, b, false));
}

Value *numpy_binary(BinKind op, Value *a, Value *b, bool inplace) {
    Tensor *r = np_binary_tensor(op, a, b, true);
    if (!r) return NULL;
    if (!inplace || !val_is_ndarray(a)) return numpy_result_steal(r);
    Tensor *t = a->tensor;
    if (np_cat(r->dtype) > np_cat(t->dtype)) {
        tsr_raise(ERR__UFuncOutputCastingError,
                  "Cannot cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'",
                  ufunc_names[op], numpy_dtype_name(r->dtype), numpy_dtype_name(t->dtype));
        tensor_release(r);
        return NULL;
    }
    bool ok = tensor_copy_(t, r);
    tensor_release(r);
    return ok ? val_retain(a) : NULL;
}

static const BinaryOp np_cmps[] = {[C_EQ] = BIN_EQ, [C_NE] = BIN_NE, [C_LT] = BIN_LT,
                                   [C_LE] = BIN_LE, [C_GT] = BIN_GT, [C_GE] = BIN_GE};

static const char *const cmp_symbols[] = {"==", "!=", "<", "<=", ">", ">="};

/* numpy's order of complex numbers (npy_math's CLT, CLE): by the real
 * parts, then the imaginary ones; a nan imaginary part makes the real
 * comparison false. x > y is y < x. */
static Tensor *complex_order(CmpKind op, Tensor *x, Tensor *y) {
    if (op == C_GT || op == C_GE) {
        Tensor *s = x;
        x = y;
        y = s;
    }
    bool le = op == C_LE || op == C_GE;
    Tensor *xr = op_real(x), *yr = op_real(y), *xi = op_imag(x), *yi = op_imag(y);
    Tensor *lt = xr && yr ? op_binary(BIN_LT, xr, yr) : NULL;
    Tensor *xn = xi ? op_binary(BIN_EQ, xi, xi) : NULL, *yn = yi ? op_binary(BIN_EQ, yi, yi) : NULL;
    Tensor *eq = xr && yr ? op_binary(BIN_EQ, xr, yr) : NULL;
    Tensor *im = xi && yi ? op_binary(le ? BIN_LE : BIN_LT, xi, yi) : NULL;
    Tensor *a1 = lt && xn ? op_binary(BIN_LOGICAL_AND, lt, xn) : NULL;
    Tensor *a2 = a1 && yn ? op_binary(BIN_LOGICAL_AND, a1, yn) : NULL;
    Tensor *b = eq && im ? op_binary(BIN_LOGICAL_AND, eq, im) : NULL;
    Tensor *r = a2 && b ? op_binary(BIN_LOGICAL_OR, a2, b) : NULL;
    /* C's ordered comparisons that meet a nan raise invalid: the real
     * parts' always, the imaginary parts' where the real parts are equal */
    Tensor *xrn = r ? op_unary(UN_ISNAN, xr) : NULL, *yrn = xrn ? op_unary(UN_ISNAN, yr) : NULL;
    Tensor *xin = yrn ? op_unary(UN_ISNAN, xi) : NULL, *yin = xin ? op_unary(UN_ISNAN, yi) : NULL;
    Tensor *n1 = yin ? op_binary(BIN_LOGICAL_OR, xrn, yrn) : NULL, *n2 = n1 ? op_binary(BIN_LOGICAL_OR, xin, yin) : NULL;
    Tensor *n3 = n2 ? op_binary(BIN_LOGICAL_AND, eq, n2) : NULL, *bad = n3 ? op_binary(BIN_LOGICAL_OR, n1, n3) : NULL;
    Tensor *any = bad ? op_any(bad, 0, NULL, false) : NULL;
    if (r && !any) {
        tensor_release(r);
        r = NULL;
    }
    if (r) {
        static const char *const names[] = {[C_LT] = "less", [C_LE] = "less_equal", [C_GT] = "greater",
                                            [C_GE] = "greater_equal"};
        np_fpe_clear();
        if (tensor_get_i64(any, 0)) np_fpe_raise_invalid();
        r = np_fpe_done(r, names[op], NULL);
    }
    Tensor *tmp[] = {xr, yr, xi, yi, lt, xn, yn, eq, im, a1, a2, b, xrn, yrn, xin, yin, n1, n2, n3, bad, any};
    for (int i = 0; i < 21; i++) tensor_release(tmp[i]);
    return r;
}

Value *numpy_compare(CmpKind op, Value *a, Value *b) {
    if (op > C_GE) return NULL;
    bool pa = a->kind == VK_TENSOR && !a->tensor->numpy, pb = b->kind == VK_TENSOR && !b->tensor->numpy;
    if (pa || pb) {
        if (val_is_ndarray(a) || val_is_ndarray(b)) { /* both decline: identity for == and != */
            if (op == C_EQ || op == C_NE) return val_bool(op == C_NE);
            tsr_raise(ERR_TypeError, "'%s' not supported between instances of '%s' and '%s'", cmp_symbols[op],
                      val_type_name(a), val_type_name(b));
            return NULL;
        }
        Value *x = pa ? val_retain(a) : tensor_item_value(a->tensor); /* a numpy scalar as its number */
        Value *y = x ? (pb ? val_retain(b) : tensor_item_value(b->tensor)) : NULL;
        Value *r = y ? compare_op(op, x, y) : NULL;
        val_release(x);
        val_release(y);
        return r;
    }
    if (!numeric_operand(a) || !numeric_operand(b)) {
        if (op == C_EQ || op == C_NE) { /* elementwise: a == None is all False */
            Value *arr = val_is_ndarray(a) ? a : val_is_ndarray(b) ? b : NULL;
            if (!arr) return NULL; /* a numpy scalar: the language's answer */
            Tensor *t = arr->tensor;
            return numpy_result_steal(tensor_full_i64(DT_BOOL, t->ndim, t->shape, op == C_NE, device_cpu()));
        }
        tsr_raise(ERR_TypeError, "'%s' not supported between instances of '%s' and '%s'", cmp_symbols[op],
                  val_type_name(a), val_type_name(b));
        return NULL;
    }
    DType rd = np_result_type(a, b);
    if (rd == DT_UNDEFINED) return NULL;
    Tensor *ta = np_tensor_of(a), *tb = ta ? np_tensor_of(b) : NULL;
    Tensor *ca = tb ? tensor_to_dtype(ta, rd) : NULL, *cb = ca ? tensor_to_dtype(tb, rd) : NULL;
    Tensor *r = NULL;
    if (cb && np_check_broadcast(ca, cb))
        r = dtype_is_complex(rd) && op >= C_LT ? complex_order(op, ca, cb) : op_binary(np_cmps[op], ca, cb);
    tensor_release(ta);
    tensor_release(tb);
    tensor_release(ca);
    tensor_release(cb);
    return numpy_result_steal(r);
}

Value *numpy_unary(UnaryKind op, Value *a) {
    Tensor *t = a->tensor;
    if (op == U_POS) return numpy_result_steal(tensor_clone(t, DT_UNDEFINED));
    if (op == U_INVERT && (dtype_is_float(t->dtype) || dtype_is_complex(t->dtype))) {
        tsr_raise(ERR_TypeError, "%s",
                  "ufunc 'invert' not supported for the input types, and the inputs could not be safely "
                  "coerced to any supported types according to the casting rule ''safe''");
        return NULL;
    }
    if (op == U_NEG && t->dtype == DT_BOOL) {
        tsr_raise(ERR_TypeError, "%s",
                  "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or "
                  "the logical_not function instead.");
        return NULL;
    }
    Tensor *r = op == U_NEG && dtype_is_complex(t->dtype) ? op_np_complex_unary("negative", t)
                                                          : op_unary(op == U_NEG ? UN_NEG : UN_BITWISE_NOT, t);
    if (r && op == U_NEG && t->numpy == TENSOR_NP_SCALAR && !dtype_is_float(t->dtype)) {
        /* numpy's scalar negative checks the values past the dtype: the
         * least signed value, any unsigned one but 0 */
        int bits = (int)dtype_size(t->dtype) * 8;
        int64_t least = bits >= 64 ? INT64_MIN : -((int64_t)1 << (bits - 1)), x = tensor_get_i64(t, 0);
        np_fpe_clear();
        if (t->dtype == DT_UINT8 ? x != 0 : x == least) np_fpe_raise_overflow();
        r = np_fpe_done(r, "scalar negative", NULL);
    }
    return numpy_result_steal(r);
}

Tensor *np_complex_predicate(int op, Tensor *t) {
    Tensor *re = op_real(t), *im = re ? op_imag(t) : NULL;
    Tensor *a = im ? op_unary(op, re) : NULL, *b = a ? op_unary(op, im) : NULL;
    Tensor *r = b ? op_binary(op == UN_ISFINITE ? BIN_LOGICAL_AND : BIN_LOGICAL_OR, a, b) : NULL;
    tensor_release(re);
    tensor_release(im);
    tensor_release(a);
    tensor_release(b);
    return r;
}

Tensor *np_complex_to_real(Tensor *t, DType d, bool scalar) {
    if (d == DT_BOOL) { /* nonzero: either part */
        Tensor *z = tensor_zeros(t->dtype, 0, NULL, device_cpu()), *r = z ? op_binary(BIN_NE, t, z) : NULL;
        tensor_release(z);
        return r;
    }
    if (scalar) {
        tsr_raise(ERR_TypeError, "%s",
                  dtype_is_float(d) ? "float() argument must be a string or a real number, not 'complex'"
                                    : "int() argument must be a string, a bytes-like object or a real number, not "
                                      "'complex'");
        return NULL;
    }
    if (!tsr_warn_from(ERR_ComplexWarning, "Casting complex values to real discards the imaginary part", "numpy"))
        return NULL;
    return tensor_clone(t, d);
}

/* ------------------------------------------------------------ attributes */

static Value *int_tuple(int n, const int64_t *xs, int64_t scale) {
    Value *tu = val_tuple_new(n);
    if (!tu) return NULL;
    for (int i = 0; i < n; i++)
        if (!(tu->seq.items[i] = val_int(xs[i] * scale))) {
            val_release(tu);
            return NULL;
        }
    return tu;
}

static Tensor *reversed_dims(Tensor *t) {
    int64_t dims[TSR_MAX_DIMS];
    for (int i = 0; i < t->ndim; i++) dims[i] = t->ndim - 1 - i;
    return op_permute(t, t->ndim, dims);
}

Value *numpy_getattr(Value *self, const char *name) {
    Tensor *t = self->tensor;
    int64_t es = (int64_t)dtype_size(t->dtype);
    if (!strcmp(name, "shape")) return int_tuple(t->ndim, t->shape, 1);
    if (!strcmp(name, "strides")) return int_tuple(t->ndim, t->stride, es);
    if (!strcmp(name, "dtype")) return val_npdtype(t->dtype);
    if (!strcmp(name, "ndim")) return val_int(t->ndim);
    if (!strcmp(name, "size")) return val_int(tensor_numel(t));
    if (!strcmp(name, "itemsize")) return val_int(es);
    if (!strcmp(name, "nbytes")) return val_int(es * tensor_numel(t));
    if (!strcmp(name, "T")) return numpy_result_steal(reversed_dims(t));
    if (!strcmp(name, "real") || !strcmp(name, "imag")) return numpy_complex_attr(self, name);
    if (!strcmp(name, "flat")) { /* numpy's flatiter (numpy/iterators.py) */
        Value *np = stdlib_import("numpy"), *cls = np ? dict_get(np->module.members, "flatiter") : NULL;
        Value *r = cls ? call_value(cls, &(CallArgs){&self, 1, NULL, NULL, 0}) : NULL;
        val_release(np);
        return r;
    }
    const Builtin *m = numpy_method_lookup(name);
    if (m) return val_method(self, m);
    tsr_raise(ERR_AttributeError, "'%s' object has no attribute '%s'", val_type_name(self), name);
    return NULL;
}
