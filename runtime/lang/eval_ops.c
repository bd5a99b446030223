/* eval_ops.c: Python's operators, subscripts, attributes and iteration
 * over tsr values; tensors go to the op layer. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "class.h"
#include "complex.h"
#include "generator.h"
#include "bytes.h"
#include "interp_internal.h"
#include "iterators.h"
#include "ndarray.h"
#include "ops.h"

static bool is_num(const Value *v) {
    return v->kind == VK_INT || v->kind == VK_FLOAT || v->kind == VK_BOOL;
}
static bool is_intlike(const Value *v) { return v->kind == VK_INT || v->kind == VK_BOOL; }
/* a sequence index: an int, or an object with __index__ */
static bool is_index(const Value *v) {
    return is_intlike(v) || (v->kind == VK_INSTANCE && class_lookup(instance_class(v), "__index__"));
}
static int64_t as_i(const Value *v) { return v->kind == VK_INT ? v->i : (int64_t)v->b; }
static double as_f(const Value *v) {
    return v->kind == VK_FLOAT ? v->f : v->kind == VK_INT ? (double)v->i : (double)v->b;
}

static const char *const binop_symbols[] = {"+", "-", "*", "/", "//", "%", "**", "@",
                                            "&", "|", "^", "<<", ">>"};

static Value *unsupported(BinKind op, Value *a, Value *b) {
    tsr_raise(ERR_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", binop_symbols[op],
              val_type_name(a), val_type_name(b));
    return NULL;
}

static Value *overflow(void) {
    tsr_raise(ERR_OverflowError, "%s", "integer overflow: tsr ints are 64-bit");
    return NULL;
}

static double py_fmod(double a, double b) {
    double m = fmod(a, b);
    if (m != 0) {
        if ((b < 0) != (m < 0)) m += b;
    } else {
        m = copysign(0.0, b);
    }
    return m;
}

/* CPython's float floor division (_float_div_mod): the quotient made
 * exact from fmod, rounded to the nearest integer, signed zero kept */
static double py_floordiv(double x, double y) {
    double mod = fmod(x, y), div = (x - mod) / y;
    if (mod != 0 && (y < 0) != (mod < 0)) div -= 1.0;
    if (div == 0) return copysign(0.0, x / y);
    double fl = floor(div);
    return div - fl > 0.5 ? fl + 1.0 : fl;
}

static Value *int_binop(BinKind op, int64_t x, int64_t y) {
    int64_t r;
    switch (op) {
    case B_ADD: return __builtin_add_overflow(x, y, &r) ? overflow() : val_int(r);
    case B_SUB: return __builtin_sub_overflow(x, y, &r) ? overflow() : val_int(r);
    case B_MUL: return __builtin_mul_overflow(x, y, &r) ? overflow() : val_int(r);
    case B_DIV:
        if (y == 0) {
            tsr_raise(ERR_ZeroDivisionError, "%s", "division by zero");
            return NULL;
        }
        return val_float((double)x / (double)y);
    case B_FLOORDIV:
    case B_MOD: {
        if (y == 0) {
            tsr_raise(ERR_ZeroDivisionError, "%s",
                      op == B_MOD ? "integer modulo by zero" : "integer division or modulo by zero");
            return NULL;
        }
        if (x == INT64_MIN && y == -1) return op == B_MOD ? val_int(0) : overflow();
        int64_t q = x / y, m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) {
            q -= 1;
            m += y;
        }
        return val_int(op == B_MOD ? m : q);
    }
    case B_POW: {
        if (y < 0) {
            if (x == 0) {
                tsr_raise(ERR_ZeroDivisionError, "%s", "0.0 cannot be raised to a negative power");
                return NULL;
            }
            return val_float(pow((double)x, (double)y));
        }
        int64_t result = 1, base = x;
        while (y) {
            if (y & 1 && __builtin_mul_overflow(result, base, &result)) return overflow();
            y >>= 1;
            if (y && __builtin_mul_overflow(base, base, &base)) return overflow();
        }
        return val_int(result);
    }
    case B_AND: return val_int(x & y);
    case B_OR: return val_int(x | y);
    case B_XOR: return val_int(x ^ y);
    case B_LSHIFT:
        if (y < 0) {
            tsr_raise(ERR_ValueError, "%s", "negative shift count");
            return NULL;
        }
        if (y >= 63 || (x != 0 && (x > (INT64_MAX >> y) || x < (INT64_MIN >> y)))) return overflow();
        return val_int((int64_t)((uint64_t)x << y));
    case B_RSHIFT:
        if (y < 0) {
            tsr_raise(ERR_ValueError, "%s", "negative shift count");
            return NULL;
        }
        return val_int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y);
    default: return NULL;
    }
}

static Value *float_binop(BinKind op, double x, double y, Value *a, Value *b) {
    switch (op) {
    case B_ADD: return val_float(x + y);
    case B_SUB: return val_float(x - y);
    case B_MUL: return val_float(x * y);
    case B_DIV:
        if (y == 0) {
            tsr_raise(ERR_ZeroDivisionError, "%s", "float division by zero");
            return NULL;
        }
        return val_float(x / y);
    case B_FLOORDIV:
        if (y == 0) {
            tsr_raise(ERR_ZeroDivisionError, "%s", "float floor division by zero");
            return NULL;
        }
        return val_float(py_floordiv(x, y));
    case B_MOD:
        if (y == 0) {
            tsr_raise(ERR_ZeroDivisionError, "%s", "float modulo");
            return NULL;
        }
        return val_float(py_fmod(x, y));
    case B_POW:
        if (x == 0 && y < 0 && isfinite(y)) {
            tsr_raise(ERR_ZeroDivisionError, "%s", "0.0 cannot be raised to a negative power");
            return NULL;
        }
        if (x < 0 && isfinite(x) && isfinite(y) && y != floor(y)) { /* float_pow hands over to complex */
            Cpx r;
            return complex_pow((Cpx){x, 0.0}, (Cpx){y, 0.0}, &r) ? val_complex(r.re, r.im) : NULL;
        }
        return val_float(pow(x, y));
    default: return unsupported(op, a, b);
    }
}

static Value *seq_concat(Value *a, Value *b) {
    Value *out = a->kind == VK_LIST ? val_list_new(a->seq.len + b->seq.len) : val_tuple_new(0);
    if (!out) return NULL;
    for (int64_t i = 0; i < a->seq.len; i++)
        if (!val_list_append(out, a->seq.items[i])) goto fail;
    for (int64_t i = 0; i < b->seq.len; i++)
        if (!val_list_append(out, b->seq.items[i])) goto fail;
    if (a->kind == VK_SIZE) out->kind = VK_SIZE;
    return out;
fail:
    val_release(out);
    return NULL;
}

static Value *seq_repeat(Value *s, int64_t n) {
    if (n < 0) n = 0;
    if (s->kind == VK_STR) {
        if (n && s->str.len > INT64_MAX / 4 / n) return overflow();
        char *buf = tsr_malloc((unsigned long long)(s->str.len * n + 1));
        if (!buf) return NULL;
        for (int64_t i = 0; i < n; i++) memcpy(buf + i * s->str.len, s->str.s, (size_t)s->str.len);
        buf[s->str.len * n] = 0;
        return val_str_steal(buf, s->str.len * n);
    }
    if (n && s->seq.len > (1ll << 40) / n) return overflow();
    Value *out = s->kind == VK_LIST ? val_list_new(s->seq.len * n) : val_tuple_new(0);
    if (!out) return NULL;
    for (int64_t k = 0; k < n; k++)
        for (int64_t i = 0; i < s->seq.len; i++)
            if (!val_list_append(out, s->seq.items[i])) {
                val_release(out);
                return NULL;
            }
    return out;
}

static const BinaryOp tensor_binops[] = {
    [B_ADD] = BIN_ADD, [B_SUB] = BIN_SUB, [B_MUL] = BIN_MUL, [B_DIV] = BIN_DIV,
    [B_FLOORDIV] = BIN_FLOOR_DIVIDE, [B_MOD] = BIN_REMAINDER, [B_POW] = BIN_POW,
    [B_AND] = BIN_BITWISE_AND, [B_OR] = BIN_BITWISE_OR, [B_XOR] = BIN_BITWISE_XOR,
    [B_LSHIFT] = BIN_LSHIFT, [B_RSHIFT] = BIN_RSHIFT,
};

static bool tensor_operand(Value *v) { return v->kind == VK_TENSOR || is_num(v) || v->kind == VK_COMPLEX; }

static bool is_torch_tensor(const Value *v) { return v->kind == VK_TENSOR && !v->tensor->numpy; }

/* a numpy operand met by a torch tensor: an ndarray as a tensor over its
 * storage, a numpy scalar as its Python number */
static Value *numpy_as_torch(Value *v) {
    if (!val_is_numpy(v)) return val_retain(v);
    if (val_is_ndarray(v)) return val_tensor_steal(tensor_alias(v->tensor));
    return tensor_item_value(v->tensor);
}

static Value *tensor_binop(BinKind op, Value *a, Value *b, bool inplace) {
    if (!tensor_operand(a) || !tensor_operand(b)) return unsupported(op, a, b);
    Tensor *ta = val_as_tensor(a);
    if (!ta) return NULL;
    Tensor *tb = val_as_tensor(b);
    if (!tb) {
        tensor_release(ta);
        return NULL;
    }
    Tensor *r;
    if (op == B_MATMUL) {
        if (a->kind != VK_TENSOR || b->kind != VK_TENSOR) {
            tensor_release(ta);
            tensor_release(tb);
            return unsupported(op, a, b);
        }
        Tensor *pair[2] = {ta, tb};
        r = device_check_same(pair, 2) ? op_matmul(ta, tb) : NULL;
    } else if (op == B_DIV && a->kind != VK_TENSOR) {
        /* number / tensor is Tensor.__rtruediv__: reciprocal() * number */
        Tensor *rec = op_unary(UN_RECIPROCAL, tb);
        r = rec ? op_binary(BIN_MUL, rec, ta) : NULL;
        tensor_release(rec);
    } else if (inplace) {
        r = op_binary_(tensor_binops[op], ta, tb);
    } else {
        r = op_binary(tensor_binops[op], ta, tb);
    }
    tensor_release(ta);
    tensor_release(tb);
    if (!r) return NULL;
    if (inplace) { /* return the same Value so aliases see it */
        tensor_release(r);
        return val_retain(a);
    }
    return val_tensor_steal(r);
}

Value *percent_format(Value *fmt, Value *args);

/* __add__/__radd__ ... by BinKind */
static const char *const bin_dunders[][3] = {
    [B_ADD] = {"__add__", "__radd__", "__iadd__"},          [B_SUB] = {"__sub__", "__rsub__", "__isub__"},
    [B_MUL] = {"__mul__", "__rmul__", "__imul__"},          [B_DIV] = {"__truediv__", "__rtruediv__", "__itruediv__"},
    [B_FLOORDIV] = {"__floordiv__", "__rfloordiv__", "__ifloordiv__"},
    [B_MOD] = {"__mod__", "__rmod__", "__imod__"},          [B_POW] = {"__pow__", "__rpow__", "__ipow__"},
    [B_MATMUL] = {"__matmul__", "__rmatmul__", "__imatmul__"},
    [B_AND] = {"__and__", "__rand__", "__iand__"},          [B_OR] = {"__or__", "__ror__", "__ior__"},
    [B_XOR] = {"__xor__", "__rxor__", "__ixor__"},          [B_LSHIFT] = {"__lshift__", "__rlshift__", "__ilshift__"},
    [B_RSHIFT] = {"__rshift__", "__rrshift__", "__irshift__"},
};

/* The current error is a TypeError whose message starts with prefix. */
static bool is_type_error_of(const char *prefix) {
    return tsr_err_kind() == ERR_TypeError && !strncmp(tsr_err_msg(), prefix, strlen(prefix));
}

Value *binary_op(BinKind op, Value *a, Value *b) {
    /* str % x formats, whatever x is; only a str subclass's __rmod__ goes first */
    if (op == B_MOD && a->kind == VK_STR && b->kind == VK_INSTANCE &&
        !(val_unwrap(b)->kind == VK_STR && class_lookup(b->inst.cls, "__rmod__")))
        return percent_format(a, b);
    if (op == B_MOD && val_is_bytes(a) && b->kind == VK_INSTANCE) return bytes_percent_format(a, b);
    if (a->kind == VK_INSTANCE || b->kind == VK_INSTANCE) {
        bool handled;
        Value *r = instance_binary(bin_dunders[op][0], bin_dunders[op][1], a, b, &handled);
        if (handled || tsr_err_occurred()) return r;
        /* a dict or list subclass: dict's or list's operator */
        if (val_unwrap(a) != a || val_unwrap(b) != b) {
            r = binary_op(op, val_unwrap(a), val_unwrap(b));
            if (!r && is_type_error_of("unsupported operand")) return unsupported(op, a, b);
            return r;
        }
        return unsupported(op, a, b);
    }
    if (val_is_bytes(a) || val_is_bytes(b)) {
        bool handled;
        Value *r = bytes_binary_op(op, a, b, false, &handled);
        if (handled) return r;
    }
    if (val_is_numpy(a) || val_is_numpy(b)) {
        if (op == B_MOD && a->kind == VK_STR) return percent_format(a, b);
        if (is_torch_tensor(a) || is_torch_tensor(b)) { /* a tensor's operator wins */
            if (val_is_ndarray(a)) return unsupported(op, a, b);
            Value *x = numpy_as_torch(a), *y = x ? numpy_as_torch(b) : NULL;
            Value *r = y ? tensor_binop(op, x, y, false) : NULL;
            val_release(x);
            val_release(y);
            return r;
        }
        return tsr_interp->hooks.numpy_binary(op, a, b, false);
    }
    if (a->kind == VK_TENSOR || b->kind == VK_TENSOR) {
        if (op == B_MOD && a->kind == VK_STR) return percent_format(a, b);
        return tensor_binop(op, a, b, false);
    }
    if ((a->kind == VK_COMPLEX && (is_num(b) || b->kind == VK_COMPLEX)) || (b->kind == VK_COMPLEX && is_num(a)))
        return op <= B_POW && op != B_FLOORDIV && op != B_MOD ? complex_binop(op, a, b) : unsupported(op, a, b);
    if (is_num(a) && is_num(b)) {
        if (op == B_MATMUL) return unsupported(op, a, b);
        if (a->kind == VK_BOOL && b->kind == VK_BOOL && (op == B_AND || op == B_OR || op == B_XOR)) {
            bool x = a->b, y = b->b;
            return val_bool(op == B_AND ? (x & y) : op == B_OR ? (x | y) : (x ^ y));
        }
        if (is_intlike(a) && is_intlike(b)) return int_binop(op, as_i(a), as_i(b));
        if (op >= B_AND) return unsupported(op, a, b);
        return float_binop(op, as_f(a), as_f(b), a, b);
    }
    if (a->kind == VK_STR && op == B_MOD) return percent_format(a, b);
    if (a->kind == VK_DICT || val_is_set(a)) {
        Value *r = container_binop(op, a, b, false);
        if (r || tsr_err_occurred()) return r;
    }
    if (op == B_ADD) {
        if (a->kind == VK_STR && b->kind == VK_STR) {
            int64_t n = a->str.len + b->str.len;
            char *s = tsr_malloc((unsigned long long)n + 1);
            if (!s) return NULL;
            memcpy(s, a->str.s, (size_t)a->str.len);
            memcpy(s + a->str.len, b->str.s, (size_t)b->str.len);
            s[n] = 0;
            return val_str_steal(s, n);
        }
        bool la = a->kind == VK_LIST, lb = b->kind == VK_LIST;
        bool ta = a->kind == VK_TUPLE || a->kind == VK_SIZE, tb = b->kind == VK_TUPLE || b->kind == VK_SIZE;
        if ((la && lb) || (ta && tb)) return seq_concat(a, b);
        if (la || ta || a->kind == VK_STR) { /* the left operand's concatenation refuses (tp_name of the right) */
            const char *left = la ? "list" : ta ? "tuple" : "str";
            tsr_raise(ERR_TypeError, "can only concatenate %s (not \"%s\") to %s", left,
                      b->kind == VK_SIZE ? "torch.Size" : val_type_name(b), left);
            return NULL;
        }
    }
    if (op == B_MUL) {
        bool sa = a->kind == VK_STR || a->kind == VK_LIST || a->kind == VK_TUPLE;
        bool sb = b->kind == VK_STR || b->kind == VK_LIST || b->kind == VK_TUPLE;
        if (sa && is_intlike(b)) return seq_repeat(a, as_i(b));
        if (sb && is_intlike(a)) return seq_repeat(b, as_i(a));
        if (sa || sb) {
            tsr_raise(ERR_TypeError, "can't multiply sequence by non-int of type '%s'",
                      val_type_name(sa ? b : a));
            return NULL;
        }
    }
    return unsupported(op, a, b);
}

Value *inplace_op(BinKind op, Value *a, Value *b) {
    if (a->kind == VK_INSTANCE) {
        bool handled;
        Value *r = instance_binary(bin_dunders[op][2], NULL, a, b, &handled);
        if (handled || tsr_err_occurred()) return r;
        if (a->inst.payload) { /* d |= x, l += x change the dict or list held */
            Value *p = a->inst.payload;
            if (!(r = inplace_op(op, p, val_unwrap(b)))) return NULL;
            if (r != p) return r;
            val_release(r);
            return val_retain(a);
        }
    }
    if (a->kind == VK_DICT || a->kind == VK_SET) {
        Value *r = container_binop(op, a, b, true);
        if (r || tsr_err_occurred()) return r;
    }
    if (a->kind == VK_BYTEARRAY) { /* ba += b, ba *= n change ba */
        bool handled;
        Value *r = bytes_binary_op(op, a, b, true, &handled);
        if (handled) return r;
    }
    if (val_is_numpy(a)) return tsr_interp->hooks.numpy_binary(op, a, b, true);
    /* tensors: in place except @= (PyTorch has no __imatmul__) */
    if (a->kind == VK_TENSOR && op != B_MATMUL) return tensor_binop(op, a, b, true);
    if (a->kind == VK_LIST && op == B_ADD) {
        Value *items = iterate_to_list(b);
        if (!items) return NULL;
        for (int64_t i = 0; i < items->seq.len; i++)
            if (!val_list_append(a, items->seq.items[i])) {
                val_release(items);
                return NULL;
            }
        val_release(items);
        return val_retain(a);
    }
    return binary_op(op, a, b);
}

Value *unary_op(UnaryKind op, Value *a) {
    if (op == U_NOT) {
        int t = val_truthy(a);
        return t < 0 ? NULL : val_bool(!t);
    }
    if (a->kind == VK_INSTANCE) {
        bool found;
        Value *r = special_call(a, op == U_NEG ? "__neg__" : op == U_POS ? "__pos__" : "__invert__", NULL, 0, &found);
        if (found) return r;
        Value *p = val_unwrap(a); /* an int or float subclass: -x is an int or float */
        if (p != a && (p->kind == VK_INT || p->kind == VK_FLOAT)) return unary_op(op, p);
    }
    if (val_is_numpy(a)) return tsr_interp->hooks.numpy_unary(op, a);
    if (a->kind == VK_TENSOR) {
        if (op == U_POS) return val_retain(a);
        if (op == U_INVERT && (dtype_is_float(a->tensor->dtype) || dtype_is_complex(a->tensor->dtype))) {
            tsr_raise(ERR_TypeError, "%s",
                      "~ (operator.invert) is only implemented on integer and Boolean-type tensors");
            return NULL;
        }
        Tensor *r = op_unary(op == U_NEG ? UN_NEG : UN_BITWISE_NOT, a->tensor);
        return r ? val_tensor_steal(r) : NULL;
    }
    if (a->kind == VK_INT || a->kind == VK_BOOL) {
        int64_t x = as_i(a);
        if (op == U_NEG) return x == INT64_MIN ? overflow() : val_int(-x);
        if (op == U_POS) return val_int(x);
        return val_int(~x);
    }
    if (a->kind == VK_FLOAT && op != U_INVERT) return val_float(op == U_NEG ? -a->f : a->f);
    if (a->kind == VK_COMPLEX && op != U_INVERT)
        return op == U_NEG ? val_complex(-a->c.re, -a->c.im) : val_complex(a->c.re, a->c.im);
    tsr_raise(ERR_TypeError, "bad operand type for unary %s: '%s'",
              op == U_NEG ? "-" : op == U_POS ? "+" : "~", val_type_name(a));
    return NULL;
}

/* ------------------------------------------------------------ comparisons */

static int str_cmp(Value *a, Value *b) {
    int64_t n = a->str.len < b->str.len ? a->str.len : b->str.len;
    int c = memcmp(a->str.s, b->str.s, (size_t)n);
    if (c) return c;
    return a->str.len < b->str.len ? -1 : a->str.len > b->str.len;
}

static int order_cmp(Value *a, Value *b, CmpKind op, bool *ok);

static int seq_cmp(Value *a, Value *b, CmpKind op, bool *ok) {
    int64_t n = a->seq.len < b->seq.len ? a->seq.len : b->seq.len;
    for (int64_t i = 0; i < n; i++) {
        int e = val_equal(a->seq.items[i], b->seq.items[i]);
        if (e < 0) {
            *ok = false;
            return 0;
        }
        if (!e) return order_cmp(a->seq.items[i], b->seq.items[i], op, ok);
    }
    return a->seq.len < b->seq.len ? -1 : a->seq.len > b->seq.len;
}

static const char *const cmp_symbols[] = {"==", "!=", "<", "<=", ">", ">=", "is", "is not", "in", "not in"};

/* -1, 0, 1 ordering for <, <=, >, >= */
static int order_entered(Value *a, Value *b, CmpKind op, bool *ok);

static int order_cmp(Value *a, Value *b, CmpKind op, bool *ok) {
    bool nested = (a->kind == VK_LIST || a->kind == VK_TUPLE || a->kind == VK_SIZE) &&
                  (b->kind == VK_LIST || b->kind == VK_TUPLE || b->kind == VK_SIZE);
    if (!nested) return order_entered(a, b, op, ok);
    if (!cmp_enter()) {
        *ok = false;
        return 0;
    }
    int r = order_entered(a, b, op, ok);
    cmp_leave();
    return r;
}

static int order_entered(Value *a, Value *b, CmpKind op, bool *ok) {
    *ok = true;
    if (is_num(a) && is_num(b)) {
        if (is_intlike(a) && is_intlike(b)) return as_i(a) < as_i(b) ? -1 : as_i(a) > as_i(b);
        double x = as_f(a), y = as_f(b);
        if (x != x || y != y) return 2; /* unordered */
        return x < y ? -1 : x > y;
    }
    if (a->kind == VK_STR && b->kind == VK_STR) return str_cmp(a, b);
    if (val_is_bytes(a) && val_is_bytes(b)) {
        int c = bytes_cmp(a, b);
        return c < 0 ? -1 : c > 0;
    }
    bool sa = a->kind == VK_LIST, sb = b->kind == VK_LIST;
    bool ta = a->kind == VK_TUPLE || a->kind == VK_SIZE, tb = b->kind == VK_TUPLE || b->kind == VK_SIZE;
    if ((sa && sb) || (ta && tb)) return seq_cmp(a, b, op, ok);
    tsr_raise(ERR_TypeError, "'%s' not supported between instances of '%s' and '%s'", cmp_symbols[op],
              val_type_name(a), val_type_name(b));
    *ok = false;
    return 0;
}

/* `a is b`: the same object. Some objects Python has once have several
 * Values here: None, the type objects, dtypes, Ellipsis, and a tensor
 * (x.grad twice wraps one Tensor). */
static bool identical(const Value *a, const Value *b) {
    if (a == b) return true;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case VK_NONE: case VK_ELLIPSIS: return true;
    case VK_TYPE: return a->type == b->type;
    case VK_DTYPE: return a->dtype == b->dtype;
    case VK_TENSOR: return a->tensor == b->tensor;
    default: return false;
    }
}

static const BinaryOp tensor_cmps[] = {[C_EQ] = BIN_EQ, [C_NE] = BIN_NE, [C_LT] = BIN_LT,
                                       [C_LE] = BIN_LE, [C_GT] = BIN_GT, [C_GE] = BIN_GE};

static Value *contains(Value *container, Value *item) {
    if (container->kind == VK_INSTANCE) {
        bool found;
        Value *r = special_call(container, "__contains__", &item, 1, &found);
        if (found) {
            int t = r ? val_truthy(r) : -1;
            val_release(r);
            return t < 0 ? NULL : val_bool(t);
        }
    }
    switch (container->kind) {
    case VK_BYTES: case VK_BYTEARRAY: return bytes_contains(container, item);
    case VK_STR:
        if (item->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "'in <string>' requires string as left operand, not %s",
                      val_type_name(item));
            return NULL;
        }
        return val_bool(memmem(container->str.s, (size_t)container->str.len, item->str.s,
                               (size_t)item->str.len) != NULL);
    case VK_DICT: {
        Value *v;
        if (!dict_lookup(container->dict, item, &v)) return NULL;
        return val_bool(v != NULL);
    }
    case VK_SET: case VK_FROZENSET: {
        int c = set_contains(container, item);
        return c < 0 ? NULL : val_bool(c);
    }
    case VK_DICTVIEW:
        if (container->view.which == 0) return contains(container->view.dict, item);
        goto generic;
    case VK_TENSOR: {
        /* Tensor.__contains__: (element == self).any() */
        if (!tensor_operand(item)) {
            tsr_raise(ERR_RuntimeError,
                      "Tensor.__contains__ only supports Tensor or scalar, but you passed in a %s.",
                      val_type_name(item));
            return NULL;
        }
        Tensor *t = val_as_tensor(item);
        if (!t) return NULL;
        Tensor *eq = op_binary(BIN_EQ, t, container->tensor);
        tensor_release(t);
        if (!eq) return NULL;
        Tensor *any = op_any(eq, 0, NULL, false);
        tensor_release(eq);
        if (!any) return NULL;
        bool r = tensor_get_f64(any, 0) != 0;
        tensor_release(any);
        return val_bool(r);
    }
    case VK_RANGE: {
        if (!is_intlike(item)) return val_bool(false);
        return val_bool(range_index_of(container, as_i(item)) >= 0);
    }
    default:
    generic: { /* pulls items until one is equal, as CPython: an iterator stops there */
        Value *it = iter_of(container), *x;
        if (!it && tsr_err_kind() == ERR_TypeError && strstr(tsr_err_msg(), "object is not iterable") &&
            container->kind != VK_INSTANCE) /* `in` words it so */
            tsr_raise(ERR_TypeError, "argument of type '%s' is not iterable", val_type_name(container));
        if (!it) return NULL;
        bool done;
        int found = 0;
        while (!found && (x = iter_step(it, &done))) {
            if (x == item) {
                found = 1;
            } else if (x->kind == VK_TENSOR || item->kind == VK_TENSOR) {
                Value *eq = compare_op(C_EQ, item, x);
                found = eq ? val_truthy(eq) : -1;
                val_release(eq);
            } else {
                found = val_equal(item, x);
            }
            val_release(x);
        }
        val_release(it);
        if (found < 0 || (!found && !done)) return NULL;
        return val_bool(found);
    }
    }
    return NULL;
}

/* x.__ne__(y) of an instance: its class's own, else object.__ne__, the
 * inverse of __eq__; not handled where there is none or it gives
 * NotImplemented */
static Value *ne_side(Value *x, Value *y, bool *handled) {
    *handled = false;
    if (x->kind != VK_INSTANCE) return NULL;
    bool found;
    Value *r = special_call(x, "__ne__", &y, 1, &found);
    bool inverse = !found;
    if (inverse) r = special_call(x, "__eq__", &y, 1, &found);
    if (!found || !r) return r;
    if (r == not_implemented) {
        val_release(r);
        return NULL;
    }
    *handled = true;
    if (!inverse) return r;
    int t = val_truthy(r);
    val_release(r);
    return t < 0 ? NULL : val_bool(!t);
}

/* a != b between instances: a's __ne__, then b's (CPython's order) */
static Value *instance_ne(Value *a, Value *b, bool *handled) {
    Value *r = ne_side(a, b, handled);
    if (*handled || tsr_err_occurred()) return r;
    return ne_side(b, a, handled);
}

Value *compare_op(CmpKind op, Value *a, Value *b) {
    switch (op) {
    case C_IS: return val_bool(identical(a, b));
    case C_ISNOT: return val_bool(!identical(a, b));
    case C_IN:
    case C_NOTIN: {
        Value *r = contains(b, a);
        if (!r || op == C_IN) return r;
        bool t = r->b;
        val_release(r);
        return val_bool(!t);
    }
    default: break;
    }
    if (a->kind == VK_INSTANCE || b->kind == VK_INSTANCE) {
        static const char *const names[][2] = {[C_EQ] = {"__eq__", "__eq__"}, [C_NE] = {"__ne__", "__ne__"},
                                               [C_LT] = {"__lt__", "__gt__"}, [C_LE] = {"__le__", "__ge__"},
                                               [C_GT] = {"__gt__", "__lt__"}, [C_GE] = {"__ge__", "__le__"}};
        bool handled;
        Value *r = op == C_NE ? instance_ne(a, b, &handled) : instance_binary(names[op][0], names[op][1], a, b, &handled);
        if (handled || tsr_err_occurred()) return r;
        if (val_unwrap(a) != a || val_unwrap(b) != b) {
            r = compare_op(op, val_unwrap(a), val_unwrap(b));
            if (!r && is_type_error_of("'")) /* the subclass's name, not dict's or list's */
                tsr_raise(ERR_TypeError, "'%s' not supported between instances of '%s' and '%s'", cmp_symbols[op],
                          val_type_name(a), val_type_name(b));
            return r;
        }
        if (op == C_EQ || op == C_NE) return val_bool((a == b) == (op == C_EQ));
    }
    if (val_is_numpy(a) || val_is_numpy(b)) {
        Value *r = tsr_interp->hooks.numpy_compare(op, a, b);
        if (r || tsr_err_occurred()) return r;
    }
    if ((a->kind == VK_TENSOR && tensor_operand(b)) || (b->kind == VK_TENSOR && tensor_operand(a))) {
        Tensor *ta = val_as_tensor(a);
        if (!ta) return NULL;
        Tensor *tb = val_as_tensor(b);
        if (!tb) {
            tensor_release(ta);
            return NULL;
        }
        Tensor *r = op_binary(tensor_cmps[op], ta, tb);
        tensor_release(ta);
        tensor_release(tb);
        return r ? val_tensor_steal(r) : NULL;
    }
    if (op == C_EQ || op == C_NE) {
        if (a->kind == VK_TENSOR || b->kind == VK_TENSOR) return val_bool(op == C_NE);
        int e = val_equal(a, b);
        if (e < 0) return NULL;
        return val_bool(op == C_EQ ? e : !e);
    }
    int sc = set_compare(op, a, b);
    if (sc != -1) return sc == -2 ? NULL : val_bool(sc);
    bool ok;
    int c = order_cmp(a, b, op, &ok);
    if (!ok) return NULL;
    if (c == 2) return val_bool(false);
    switch (op) {
    case C_LT: return val_bool(c < 0);
    case C_LE: return val_bool(c <= 0);
    case C_GT: return val_bool(c > 0);
    default: return val_bool(c >= 0);
    }
}

/* ------------------------------------------------------------ iteration */

static int append_item(Value *item, void *list) { return val_list_append_steal(list, item) ? 1 : -1; }

/* The items an iterator (or generator, or instance) has left, as a list. */
static Value *drain(Value *iterable) {
    Value *out = val_list_new(0);
    if (out && !iter_feed(iterable, append_item, out)) {
        val_release(out);
        return NULL;
    }
    return out;
}

Value *iterate_to_list(Value *v) {
    switch (v->kind) {
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: {
        Value *out = val_list_new(v->seq.len);
        if (!out) return NULL;
        for (int64_t i = 0; i < v->seq.len; i++) val_list_append(out, v->seq.items[i]);
        return out;
    }
    case VK_RANGE: {
        int64_t s = v->range.step, n = range_len(v);
        if (n < 0 || n > (1ll << 31)) {
            tsr_raise(ERR_MemoryError, "%s", "range too large to materialise");
            return NULL;
        }
        Value *out = val_list_new(n);
        if (!out) return NULL;
        for (int64_t i = 0; i < n; i++)
            if (!val_list_append_steal(out, val_int(v->range.start + i * s))) {
                val_release(out);
                return NULL;
            }
        return out;
    }
    case VK_STR: {
        Value *out = val_list_new(v->str.len);
        if (!out) return NULL;
        for (int64_t i = 0; i < v->str.len;) {
            unsigned char c = (unsigned char)v->str.s[i];
            int64_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
            if (i + n > v->str.len) n = v->str.len - i;
            if (!val_list_append_steal(out, val_str(v->str.s + i, n))) {
                val_release(out);
                return NULL;
            }
            i += n;
        }
        return out;
    }
    case VK_DICT: {
        Value *out = val_list_new(dict_len(v->dict));
        if (!out) return NULL;
        int64_t it = 0;
        Value *k, *x;
        while (dict_next_item(v->dict, &it, &k, &x))
            if (!val_list_append(out, k)) {
                val_release(out);
                return NULL;
            }
        return out;
    }
    case VK_FILE: { /* its remaining lines: readlines() of the builtins layer */
        const Builtin *m = tsr_interp->hooks.python_method(v, "readlines");
        CallArgs none = {0};
        return m ? m->fn(v, &none) : NULL;
    }
    case VK_DICTVIEW: {
        Dict *d = v->view.dict->dict;
        Value *out = val_list_new(dict_len(d));
        if (!out) return NULL;
        int64_t it = 0;
        Value *k, *x;
        while (dict_next_item(d, &it, &k, &x)) {
            Value *e = v->view.which == 0 ? val_retain(k) : v->view.which == 1 ? val_retain(x) : val_tuple_new(2);
            if (e && v->view.which == 2) {
                e->seq.items[0] = val_retain(k);
                e->seq.items[1] = val_retain(x);
            }
            if (!val_list_append_steal(out, e)) {
                val_release(out);
                return NULL;
            }
        }
        return out;
    }
    case VK_SET: case VK_FROZENSET: {
        Value *out = val_list_new(set_len(v));
        if (!out) return NULL;
        int64_t it = 0;
        Value *k;
        while (set_next(v, &it, &k))
            if (!val_list_append(out, k)) {
                val_release(out);
                return NULL;
            }
        return out;
    }
    case VK_TENSOR: {
        Tensor *t = v->tensor;
        if (t->ndim == 0) {
            tsr_raise(ERR_TypeError, "%s", "iteration over a 0-d tensor");
            return NULL;
        }
        Tensor **parts = NULL;
        int n = op_unbind(t, 0, &parts);
        if (n < 0) return NULL;
        Value *out = val_list_new(n);
        bool ok = out != NULL;
        for (int i = 0; i < n; i++) {
            if (ok && t->numpy) ok = val_list_append_steal(out, numpy_result_steal(parts[i]));
            else if (ok) ok = val_list_append_steal(out, val_tensor_steal(parts[i]));
            else tensor_release(parts[i]);
        }
        free(parts);
        if (!ok) {
            val_release(out);
            return NULL;
        }
        return out;
    }
    case VK_BYTES: case VK_BYTEARRAY: return bytes_to_list(v);
    case VK_ITER: case VK_PYGEN: case VK_INSTANCE: return drain(v);
    default:
        tsr_raise(ERR_TypeError, "'%s' object is not iterable", val_type_name(v));
        return NULL;
    }
}

/* ------------------------------------------------------------ subscripts */

/* Python slice indices for a sequence of length n. */
bool slice_indices(Value *s, int64_t n, int64_t *start, int64_t *stop, int64_t *step) {
    *step = 1;
    if (s->slice.step->kind != VK_NONE) {
        if (!val_as_int(s->slice.step, step)) return false;
        if (*step == 0) {
            tsr_raise(ERR_ValueError, "%s", "slice step cannot be zero");
            return false;
        }
    }
    int64_t lo = *step < 0 ? -1 : 0, hi = *step < 0 ? n - 1 : n;
    Value *bounds[2] = {s->slice.start, s->slice.stop};
    int64_t *outs[2] = {start, stop};
    for (int k = 0; k < 2; k++) {
        if (bounds[k]->kind == VK_NONE) {
            *outs[k] = (k == 0) == (*step > 0) ? lo : hi;
            continue;
        }
        int64_t x;
        if (!val_as_int(bounds[k], &x)) return false;
        if (x < 0) {
            x += n;
            if (x < lo) x = lo;
        } else if (x > hi) {
            x = hi;
        }
        *outs[k] = x;
    }
    return true;
}

/* s[idx] and s[a:b:c] by code point (str_char_offset finds their bytes;
 * an ASCII string's are its indices) */
static Value *str_get(Value *obj, Value *idx) {
    const char *s = obj->str.s;
    int64_t n = str_char_count(obj);
    if (idx->kind == VK_SLICE) {
        int64_t start, stop, step;
        if (!slice_indices(idx, n, &start, &stop, &step)) return NULL;
        if (step == 1) {
            if (start >= stop) return val_str("", 0);
            int64_t lo = str_char_offset(obj, 0, start), hi = str_char_offset(obj, lo, stop - start);
            return val_str(s + lo, hi - lo);
        }
        /* a stride: where every code point starts, found in one pass (n + 1 entries) */
        int64_t *at = tsr_malloc(sizeof(int64_t) * (size_t)(n + 1));
        if (!at) return NULL;
        for (int64_t k = 0, i = 0; k <= n; k++) i = at[k] = k ? str_char_offset(obj, i, 1) : 0;
        StrBuf b = {0};
        bool ok = true;
        for (int64_t i = start; ok && (step > 0 ? i < stop : i > stop); i += step)
            ok = sb_append(&b, s + at[i], at[i + 1] - at[i]);
        free(at);
        if (!ok) {
            free(b.data);
            return NULL;
        }
        return b.data ? val_str_steal(b.data, b.len) : val_str("", 0);
    }
    int64_t i;
    if (idx->kind != VK_TENSOR && !is_index(idx)) {
        tsr_raise(ERR_TypeError, "string indices must be integers, not '%s'", val_type_name(idx));
        return NULL;
    }
    if (!val_as_int(idx, &i)) return NULL;
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        tsr_raise(ERR_IndexError, "%s", "string index out of range");
        return NULL;
    }
    int64_t at = str_char_offset(obj, 0, i);
    return val_str(s + at, str_char_offset(obj, at, 1) - at);
}

static Value *seq_get(Value *obj, Value *idx) {
    int64_t n = obj->seq.len;
    const char *what = obj->kind == VK_LIST ? "list" : "tuple";
    if (idx->kind == VK_SLICE) {
        int64_t start, stop, step;
        if (!slice_indices(idx, n, &start, &stop, &step)) return NULL;
        Value *out = obj->kind == VK_LIST ? val_list_new(0) : val_tuple_new(0);
        if (!out) return NULL;
        for (int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
            if (!val_list_append(out, obj->seq.items[i])) {
                val_release(out);
                return NULL;
            }
        if (obj->kind == VK_SIZE) out->kind = VK_SIZE;
        return out;
    }
    int64_t i;
    if (idx->kind == VK_TENSOR || is_index(idx)) {
        if (!val_as_int(idx, &i)) return NULL;
    } else {
        tsr_raise(ERR_TypeError, "%s indices must be integers or slices, not %s", what,
                  val_type_name(idx));
        return NULL;
    }
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        tsr_raise(ERR_IndexError, "%s index out of range", what);
        return NULL;
    }
    return val_retain(obj->seq.items[i]);
}

/* Converts one index value to a TensorIndex; `keep` collects tensors made
 * from Python lists (released by the caller). */
static bool to_tensor_index(Value *v, TensorIndex *ti, Tensor **keep) {
    memset(ti, 0, sizeof *ti);
    *keep = NULL;
    switch (v->kind) {
    case VK_INT:
        ti->kind = IDX_INT;
        ti->i = v->i;
        return true;
    case VK_BOOL: {
        Tensor *t = tensor_scalar_i64(DT_BOOL, v->b);
        if (!t) return false;
        *keep = t;
        ti->kind = IDX_TENSOR;
        ti->tensor = t;
        return true;
    }
    case VK_NONE: ti->kind = IDX_NONE; return true;
    case VK_ELLIPSIS: ti->kind = IDX_ELLIPSIS; return true;
    case VK_SLICE:
        ti->kind = IDX_SLICE;
        ti->step = 1;
        if (v->slice.step->kind != VK_NONE && !val_as_int(v->slice.step, &ti->step)) return false;
        if (v->slice.start->kind != VK_NONE) {
            if (!val_as_int(v->slice.start, &ti->start)) return false;
            ti->has_start = true;
        }
        if (v->slice.stop->kind != VK_NONE) {
            if (!val_as_int(v->slice.stop, &ti->stop)) return false;
            ti->has_stop = true;
        }
        return true;
    case VK_TENSOR:
        ti->kind = IDX_TENSOR;
        ti->tensor = v->tensor;
        return true;
    case VK_LIST: {
        Tensor *t = tensor_from_data(v, DT_UNDEFINED);
        if (!t) return false;
        *keep = t;
        ti->kind = IDX_TENSOR;
        ti->tensor = t;
        return true;
    }
    default:
        tsr_raise(ERR_IndexError,
                  "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                  "are valid indices (got %s)",
                  val_type_name(v));
        return false;
    }
}

/* NumPy's legacy rule, kept by PyTorch 1.13 (treatSequenceAsTuple): a
 * list index shorter than 32 that holds a sequence, slice, None, Ellipsis
 * or tensor means one index per dimension, like a tuple. */
static bool list_is_tuple_index(Value *idx) {
    if (idx->kind != VK_LIST || idx->seq.len >= 32) return false;
    for (int64_t i = 0; i < idx->seq.len; i++) {
        ValueKind k = idx->seq.items[i]->kind;
        if (k == VK_LIST || k == VK_TUPLE || k == VK_SLICE || k == VK_NONE || k == VK_ELLIPSIS ||
            k == VK_TENSOR)
            return true;
    }
    return false;
}

/* Builds the TensorIndex list of x[idx]; returns count or -1. */
static int build_index(Value *idx, TensorIndex *out, Tensor **keep, int max) {
    bool multi = idx->kind == VK_TUPLE || list_is_tuple_index(idx);
    int n = multi ? (int)idx->seq.len : 1;
    if (n > max) {
        tsr_raise(ERR_IndexError, "%s", "too many indices for tensor");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        if (!to_tensor_index(multi ? idx->seq.items[i] : idx, &out[i], &keep[i])) {
            for (int j = 0; j < i; j++) tensor_release(keep[j]);
            keep[i] = NULL;
            return -1;
        }
    }
    return n;
}

/* PyTorch: index tensors live on the CPU or on the indexed tensor's device. */
static bool check_index_devices(const Tensor *t, const TensorIndex *ti, int n) {
    if (!device_cuda_used || tensor_is_cuda(t)) return true;
    for (int i = 0; i < n; i++)
        if (ti[i].kind == IDX_TENSOR && tensor_is_cuda(ti[i].tensor)) {
            tsr_raise(ERR_RuntimeError, "%s",
                      "indices should be either on cpu or on the same device as the indexed tensor (cpu)");
            return false;
        }
    return true;
}

/* numpy's a[::-1]: tsr's views have no negative strides, so a slice with
 * a negative step reads the same elements through a positive slice and
 * flips that axis of the result (a copy, where numpy gives a view).
 * *handled is false when idx has no negative step or has indices other
 * than ints, slices and None. */
static Value *numpy_negative_step(Value *obj, Value *idx, bool *handled) {
    *handled = false;
    Value *one[1] = {idx};
    Value **items = idx->kind == VK_TUPLE ? idx->seq.items : one;
    int64_t n = idx->kind == VK_TUPLE ? idx->seq.len : 1;
    bool neg = false;
    for (int64_t k = 0; k < n; k++) {
        Value *v = items[k];
        if (v->kind == VK_SLICE && v->slice.step->kind == VK_INT && v->slice.step->i < 0) neg = true;
        else if (v->kind != VK_SLICE && v->kind != VK_INT && v->kind != VK_NONE) return NULL;
    }
    if (!neg || n > TSR_MAX_DIMS) return NULL;
    *handled = true;
    const Tensor *t = obj->tensor;
    Value *fixed = val_tuple_new(n);
    if (!fixed) return NULL;
    int64_t flips[TSR_MAX_DIMS];
    int nflips = 0, sd = 0, rd = 0;
    for (int64_t k = 0; k < n; k++) {
        Value *v = items[k];
        if (v->kind != VK_SLICE || sd >= t->ndim) {
            fixed->seq.items[k] = val_retain(v);
            if (v->kind == VK_INT) sd++;
            else rd++;
            continue;
        }
        int64_t start, stop, step;
        if (!slice_indices(v, t->shape[sd], &start, &stop, &step)) {
            val_release(fixed);
            return NULL;
        }
        if (step < 0) {
            int64_t count = start > stop ? (start - stop - 1) / -step + 1 : 0;
            int64_t first = count ? start + (count - 1) * step : 0;
            Value *a = val_int(first), *b = val_int(count ? start + 1 : 0), *c = val_int(-step);
            fixed->seq.items[k] = a && b && c ? val_slice(a, b, c) : NULL;
            val_release(a);
            val_release(b);
            val_release(c);
            flips[nflips++] = rd;
        } else {
            fixed->seq.items[k] = val_retain(v);
        }
        if (!fixed->seq.items[k]) {
            val_release(fixed);
            return NULL;
        }
        sd++;
        rd++;
    }
    Value *r = get_item(obj, fixed);
    val_release(fixed);
    if (!r || !nflips) return r;
    Tensor *f = op_flip(r->tensor, nflips, flips);
    val_release(r);
    return numpy_result_steal(f);
}

Value *get_item(Value *obj, Value *idx) {
    if (obj->kind == VK_INSTANCE) {
        bool found;
        Value *r = special_call(obj, "__getitem__", &idx, 1, &found);
        if (found) return r;
        tsr_raise(ERR_TypeError, "'%s' object is not subscriptable", val_type_name(obj));
        return NULL;
    }
    if (obj->kind == VK_CLASS) { /* C[x]: __class_getitem__, an implicit classmethod */
        Value *fn = class_lookup(obj, "__class_getitem__");
        if (fn && fn->kind == VK_WRAPPER && fn->wrap.kind == WRAP_CLASSMETHOD) fn = fn->wrap.fn;
        if (fn) {
            Value *args[2] = {obj, idx};
            CallArgs ca = {args, 2, NULL, NULL, 0};
            return call_value(fn, &ca);
        }
        tsr_raise(ERR_TypeError, "type '%s' is not subscriptable", obj->cls->name);
        return NULL;
    }
    switch (obj->kind) {
    case VK_TENSOR: {
        if (obj->tensor->numpy) {
            if (!ndarray_check_index(obj->tensor, idx)) return NULL;
            bool handled;
            Value *r = numpy_negative_step(obj, idx, &handled);
            if (handled) return r;
        }
        TensorIndex ti[TSR_MAX_DIMS * 2];
        Tensor *keep[TSR_MAX_DIMS * 2] = {0};
        int n = build_index(idx, ti, keep, TSR_MAX_DIMS * 2);
        if (n < 0) return NULL;
        Tensor *r = check_index_devices(obj->tensor, ti, n) ? op_index(obj->tensor, ti, n) : NULL;
        for (int i = 0; i < n; i++) tensor_release(keep[i]);
        if (obj->tensor->numpy) return numpy_result_steal(r);
        return r ? val_tensor_steal(r) : NULL;
    }
    case VK_BYTES: case VK_BYTEARRAY: return bytes_get(obj, idx);
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_STR:
        if (val_unwrap(idx)->kind == VK_INT) idx = val_unwrap(idx); /* an int subclass */
        return obj->kind == VK_STR ? str_get(obj, idx) : seq_get(obj, idx);
    case VK_NAMEDTUPLE: {
        int64_t i;
        if (!val_as_int(idx, &i)) return NULL;
        if (i < 0) i += obj->seq.len;
        if (i < 0 || i >= obj->seq.len) {
            tsr_raise(ERR_IndexError, "%s", "tuple index out of range");
            return NULL;
        }
        return val_retain(obj->seq.items[i]);
    }
    case VK_DICT: {
        Value *v;
        if (!dict_lookup(obj->dict, idx, &v)) return NULL;
        if (!v) return raise_key_error(idx), NULL;
        return val_retain(v);
    }
    case VK_RANGE: {
        int64_t i, s = obj->range.step, n = range_len(obj);
        if (idx->kind == VK_SLICE) { /* range(start + a*s, start + b*s, s*c) of slice(a, b, c).indices(n) */
            int64_t a, b, c, ra, rb, rc;
            if (!slice_indices(idx, n, &a, &b, &c)) return NULL;
            if (__builtin_mul_overflow(a, s, &ra) || __builtin_add_overflow(ra, obj->range.start, &ra) ||
                __builtin_mul_overflow(b, s, &rb) || __builtin_add_overflow(rb, obj->range.start, &rb) ||
                __builtin_mul_overflow(c, s, &rc)) {
                tsr_raise(ERR_OverflowError, "%s", "integer overflow: tsr ints are 64-bit");
                return NULL;
            }
            return val_range(ra, rb, rc);
        }
        if (!is_index(idx) && idx->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "range indices must be integers or slices, not %s", val_type_name(idx));
            return NULL;
        }
        if (!val_as_int(idx, &i)) return NULL;
        if (i < 0) i += n;
        if (i < 0 || i >= n) {
            tsr_raise(ERR_IndexError, "%s", "range object index out of range");
            return NULL;
        }
        return val_int(obj->range.start + i * s);
    }
    default:
        tsr_raise(ERR_TypeError, "'%s' object is not subscriptable", val_type_name(obj));
        return NULL;
    }
}

bool set_item(Value *obj, Value *idx, Value *v) {
    if (obj->kind == VK_INSTANCE) {
        bool found;
        Value *args[2] = {idx, v};
        Value *r = special_call(obj, "__setitem__", args, 2, &found);
        if (found) {
            val_release(r);
            return r != NULL;
        }
        tsr_raise(ERR_TypeError, "'%s' object does not support item assignment", val_type_name(obj));
        return false;
    }
    if (obj->kind == VK_TENSOR) {
        if (obj->tensor->numpy && !ndarray_check_index(obj->tensor, idx)) return false;
        TensorIndex ti[TSR_MAX_DIMS * 2];
        Tensor *keep[TSR_MAX_DIMS * 2] = {0};
        int n = build_index(idx, ti, keep, TSR_MAX_DIMS * 2);
        if (n < 0) return false;
        bool np_seq = obj->tensor->numpy && (v->kind == VK_LIST || v->kind == VK_TUPLE); /* a[0] = [1, 2] */
        Tensor *tv = np_seq ? tensor_from_data_numpy(v, DT_UNDEFINED) : val_as_tensor(v);
        DType od = obj->tensor->dtype;
        if (tv && obj->tensor->numpy && dtype_is_complex(tv->dtype) && !dtype_is_complex(od) &&
            (od == DT_BOOL || v->kind != VK_TENSOR)) {
            Tensor *c = NULL; /* numpy: a complex number into bool tests both parts; float(z), int(z) refuse */
            if (od == DT_BOOL) {
                Tensor *z = tensor_zeros(tv->dtype, 0, NULL, device_cpu());
                c = z ? op_binary(BIN_NE, tv, z) : NULL;
                tensor_release(z);
            } else {
                tsr_raise(ERR_TypeError, "%s",
                          dtype_is_float(od) ? "float() argument must be a string or a real number, not 'complex'"
                                             : "int() argument must be a string, a bytes-like object or a real "
                                               "number, not 'complex'");
            }
            tensor_release(tv);
            tv = c;
        }
        if (tv && obj->tensor->numpy && tv->dtype != obj->tensor->dtype) { /* numpy casts what it assigns */
            Tensor *c = tensor_to_dtype(tv, obj->tensor->dtype);
            tensor_release(tv);
            tv = c;
        }
        bool ok = tv && check_index_devices(obj->tensor, ti, n) && op_index_put_(obj->tensor, ti, n, tv);
        tensor_release(tv);
        for (int i = 0; i < n; i++) tensor_release(keep[i]);
        return ok;
    }
    if (obj->kind == VK_LIST) {
        if (idx->kind == VK_SLICE) {
            int64_t start, stop, step;
            if (!slice_indices(idx, obj->seq.len, &start, &stop, &step)) return false;
            Value *items = iterate_to_list(v);
            if (!items) return false;
            if (step != 1) { /* extended slice: one item per position */
                int64_t count = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0)
                                         : (start > stop ? (start - stop - step - 1) / -step : 0);
                if (count != items->seq.len) {
                    tsr_raise(ERR_ValueError, "attempt to assign sequence of size %lld to extended slice of size %lld",
                              (long long)items->seq.len, (long long)count);
                    val_release(items);
                    return false;
                }
                for (int64_t k = 0; k < count; k++) {
                    Value **slot = &obj->seq.items[start + k * step];
                    val_release(*slot);
                    *slot = val_retain(items->seq.items[k]);
                }
                val_release(items);
                return true;
            }
            if (stop < start) stop = start;
            int64_t nnew = items->seq.len, nold = stop - start, len = obj->seq.len;
            int64_t newlen = len - nold + nnew;
            if (newlen > obj->seq.cap) {
                Value **it = tsr_realloc(obj->seq.items, sizeof(Value *) * (size_t)newlen);
                if (!it) {
                    val_release(items);
                    return false;
                }
                obj->seq.items = it;
                obj->seq.cap = newlen;
            }
            for (int64_t i = start; i < stop; i++) val_release(obj->seq.items[i]);
            memmove(obj->seq.items + start + nnew, obj->seq.items + stop, sizeof(Value *) * (size_t)(len - stop));
            for (int64_t i = 0; i < nnew; i++) obj->seq.items[start + i] = val_retain(items->seq.items[i]);
            obj->seq.len = newlen;
            val_release(items);
            return true;
        }
        int64_t i;
        if (!is_index(idx) && idx->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "list indices must be integers or slices, not %s", val_type_name(idx));
            return false;
        }
        if (!val_as_int(idx, &i)) return false;
        if (i < 0) i += obj->seq.len;
        if (i < 0 || i >= obj->seq.len) {
            tsr_raise(ERR_IndexError, "%s", "list assignment index out of range");
            return false;
        }
        val_retain(v);
        val_release(obj->seq.items[i]);
        obj->seq.items[i] = v;
        return true;
    }
    if (obj->kind == VK_DICT) return dict_setv(obj->dict, idx, v);
    if (val_is_bytes(obj)) return bytes_set_item(obj, idx, v);
    tsr_raise(ERR_TypeError, "'%s' object does not support item assignment", val_type_name(obj));
    return false;
}

/* del obj[idx] */
bool del_item(Value *obj, Value *idx) {
    if (obj->kind == VK_LIST) {
        if (idx->kind == VK_SLICE) {
            int64_t start, stop, step, n = obj->seq.len;
            if (!slice_indices(idx, n, &start, &stop, &step)) return false;
            /* keep the items not in the slice, in order */
            int64_t w = 0;
            for (int64_t i = 0; i < n; i++) {
                bool in = step > 0 ? (i >= start && i < stop && (i - start) % step == 0)
                                   : (i <= start && i > stop && (start - i) % -step == 0);
                if (in) val_release(obj->seq.items[i]);
                else obj->seq.items[w++] = obj->seq.items[i];
            }
            obj->seq.len = w;
            return true;
        }
        int64_t i;
        if (!is_index(idx) && idx->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "list indices must be integers or slices, not %s", val_type_name(idx));
            return false;
        }
        if (!val_as_int(idx, &i)) return false;
        int64_t n = obj->seq.len;
        if (i < 0) i += n;
        if (i < 0 || i >= n) {
            tsr_raise(ERR_IndexError, "%s", "list assignment index out of range");
            return false;
        }
        val_release(obj->seq.items[i]);
        memmove(obj->seq.items + i, obj->seq.items + i + 1, sizeof(Value *) * (size_t)(n - i - 1));
        obj->seq.len--;
        return true;
    }
    if (val_is_bytes(obj)) return bytes_del_item(obj, idx);
    if (obj->kind == VK_DICT) {
        int r = dict_delv(obj->dict, idx, NULL);
        if (r == 0) raise_key_error(idx);
        return r > 0;
    }
    if (obj->kind == VK_INSTANCE) {
        bool found;
        Value *r = special_call(obj, "__delitem__", &idx, 1, &found);
        if (found) {
            val_release(r);
            return r != NULL;
        }
    }
    tsr_raise(ERR_TypeError, "'%s' object doesn't support item deletion", val_type_name(obj));
    return false;
}

/* ------------------------------------------------------------ attributes */


Dict *module_members(Value *module) {
    if (module->module.unloaded) {
        module->module.unloaded = false; /* the source may read its own members while it runs */
        if (!tsr_interp->hooks.module_load(module)) {
            module->module.unloaded = true;
            return NULL;
        }
    }
    return module->module.members;
}

Value *get_attr(Value *obj, const char *name) {
    switch (obj->kind) {
    case VK_INSTANCE: case VK_CLASS: case VK_SUPER: case VK_BOUND: case VK_WRAPPER:
        return object_getattr(obj, name);
    default: break;
    }
    if (!strcmp(name, "__class__")) { /* type(obj) */
        Value *type = dict_get(tsr_interp->builtins->dict, "type");
        CallArgs ca = {&obj, 1, NULL, NULL, 0};
        return type ? call_value(type, &ca) : NULL;
    }
    if (val_is_numpy(obj)) return tsr_interp->hooks.numpy_getattr(obj, name);
    if (obj->kind == VK_TENSOR) {
        const Builtin *m = tsr_interp->hooks.tensor_method(name);
        if (m) return val_method(obj, m);
        return tsr_interp->hooks.tensor_getattr(obj, name);
    }
    if (obj->kind == VK_MODULE) {
        Dict *members = module_members(obj);
        if (!members) return NULL;
        Value *v = dict_get(members, name);
        if (v) return val_retain(v);
        if (!strcmp(name, "__name__")) return val_cstr(obj->module.name);
        if (!strcmp(name, "__file__")) { /* a module read from a file has one; a built-in one has not */
            const char *kind, *file;
            if (tsr_interp->hooks.module_origin && tsr_interp->hooks.module_origin(obj->module.name, &kind, &file) && file)
                return val_cstr(file);
        }
        Value *hook = dict_get(members, "__getattr__"); /* PEP 562: the module's own __getattr__ */
        if (hook) {
            Value *arg = val_cstr(name);
            if (!arg) return NULL;
            Value *args[1] = {arg};
            CallArgs ca = {args, 1, NULL, NULL, 0};
            Value *r = call_value(hook, &ca);
            val_release(arg);
            return r;
        }
        Value *note = dict_get(members, "__tsr_missing__"); /* what a partial module lacks */
        tsr_raise(ERR_AttributeError, "module '%s' has no attribute '%s'%s", obj->module.name, name,
                  note && note->kind == VK_STR ? note->str.s : "");
        return NULL;
    }
    if (obj->kind == VK_NAMEDTUPLE) {
        for (int i = 0; i < obj->seq.nt->n; i++)
            if (!strcmp(obj->seq.nt->fields[i], name)) return val_retain(obj->seq.items[i]);
    }
    Value *special = tsr_interp->hooks.getattr_special(obj, name);
    if (special || tsr_err_occurred()) return special;
    const Builtin *m = tsr_interp->hooks.python_method(obj, name);
    if (m) return val_method(obj, m);
    if (obj->kind == VK_TYPE) {
        tsr_raise(ERR_AttributeError, "type object '%s' has no attribute '%s'", type_object_name(obj->type), name);
        return NULL;
    }
    tsr_raise(ERR_AttributeError, "'%s' object has no attribute '%s'", val_type_name(obj), name);
    return NULL;
}

bool set_attr(Value *obj, const char *name, Value *v) {
    if (obj->kind == VK_INSTANCE || obj->kind == VK_CLASS) return object_setattr(obj, name, v);
    if (obj->kind == VK_TENSOR) return tsr_interp->hooks.tensor_setattr(obj, name, v);
    if (obj->kind == VK_MODULE) {
        Dict *members = module_members(obj);
        return members && dict_set(members, name, v);
    }
    if (obj->kind == VK_FUNCTION) {
        if (!obj->fn->attrs && !(obj->fn->attrs = val_dict_new())) return false;
        return dict_set(obj->fn->attrs->dict, name, v);
    }
    tsr_raise(ERR_AttributeError, "'%s' object attribute '%s' is read-only", val_type_name(obj), name);
    return false;
}
