/* python.c: Python's builtin functions (print, len, range, abs, max, sum,
 * round, isinstance, sorted, zip, getattr, ...) and the calls of its types
 * (int(x), float(x), list(x), ...: type_call). The methods of Python
 * values are python_methods.c's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"
#include "iterators.h"
#include "numpy.h"
#include "bytes.h"
#include "python_bytes.h"
#include "python_str.h"
#include "ops.h"

static Value *call_torch(const char *name, const CallArgs *a) {
    for (int i = 0; i < a->nargs; i++)
        if (val_is_numpy(a->args[i])) return numpy_python_builtin(name, a);
    Value *fn = dict_get(tsr_interp->torch->module.members, name);
    if (!fn) {
        tsr_raise(ERR_AttributeError, "module 'torch' has no attribute '%s'", name);
        return NULL;
    }
    return call_function(tsr_interp, fn, a);
}

static bool any_tensor(const CallArgs *a) {
    for (int i = 0; i < a->nargs; i++)
        if (a->args[i]->kind == VK_TENSOR) return true;
    for (int i = 0; i < a->nkw; i++)
        if (a->kwvals[i]->kind == VK_TENSOR) return true;
    return false;
}

/* ------------------------------------------------------------ print */

/* file.write(text): false with the error raised */
static bool write_to(Value *file, const char *text, int64_t len) {
    Value *fn = get_attr(file, "write");
    Value *s = fn ? val_str(text, len) : NULL;
    Value *args[1] = {s};
    CallArgs ca = {args, 1, NULL, NULL, 0};
    Value *r = s ? call_value(fn, &ca) : NULL;
    val_release(fn);
    val_release(s);
    val_release(r);
    return r != NULL;
}

/* print(..., file=f): f.write() of each piece, as CPython does */
static Value *print_to(Value *file, const CallArgs *a, Value *sep, Value *end) {
    for (int i = 0; i < a->nargs; i++) {
        if (i && !(sep && sep->kind == VK_STR ? write_to(file, sep->str.s, sep->str.len) : write_to(file, " ", 1)))
            return NULL;
        StrBuf b = {0};
        bool ok = val_str_into(&b, a->args[i]) && write_to(file, b.data ? b.data : "", b.len);
        free(b.data);
        if (!ok) return NULL;
    }
    bool ok = end && end->kind == VK_STR ? write_to(file, end->str.s, end->str.len) : write_to(file, "\n", 1);
    return ok ? val_none() : NULL;
}

static Value *py_print(Value *self, const CallArgs *a) {
    Value *sep = NULL, *end = NULL, *file = NULL;
    bool flush = false;
    for (int i = 0; i < a->nkw; i++) {
        if (!strcmp(a->kwnames[i], "sep")) sep = a->kwvals[i];
        else if (!strcmp(a->kwnames[i], "end")) end = a->kwvals[i];
        else if (!strcmp(a->kwnames[i], "file")) file = a->kwvals[i]->kind == VK_NONE ? NULL : a->kwvals[i];
        else if (!strcmp(a->kwnames[i], "flush")) flush = val_truthy(a->kwvals[i]) > 0;
        else {
            tsr_raise(ERR_TypeError, "'%s' is an invalid keyword argument for print()", a->kwnames[i]);
            return NULL;
        }
    }
    for (int k = 0; k < 2; k++) {
        Value *v = k ? end : sep;
        if (v && v->kind != VK_STR && v->kind != VK_NONE) {
            tsr_raise(ERR_TypeError, "%s must be None or a string, not %s", k ? "end" : "sep",
                      val_type_name(v));
            return NULL;
        }
    }
    if (file) { /* f.write() of each piece */
        Value *r = print_to(file, a, sep, end);
        if (r && flush && file->kind == VK_FILE && file->file->fp) fflush(file->file->fp);
        return r;
    }
    StrBuf b = {0};
    for (int i = 0; i < a->nargs; i++) {
        if (i) {
            if (sep && sep->kind == VK_STR) sb_append(&b, sep->str.s, sep->str.len);
            else sb_append(&b, " ", 1);
        }
        if (!val_str_into(&b, a->args[i])) {
            free(b.data);
            return NULL;
        }
    }
    if (end && end->kind == VK_STR) sb_append(&b, end->str.s, end->str.len);
    else sb_append(&b, "\n", 1);
    bool ok = (!b.data || tsr_write_stdout(b.data, b.len)) && (!flush || tsr_flush_stdout());
    free(b.data);
    return ok ? val_none() : NULL;
}

/* ------------------------------------------------------------ numbers */

Value *int_from_double(double d) {
    if (isnan(d)) {
        tsr_raise(ERR_ValueError, "%s", "cannot convert float NaN to integer");
        return NULL;
    }
    if (isinf(d)) {
        tsr_raise(ERR_OverflowError, "%s", "cannot convert float infinity to integer");
        return NULL;
    }
    if (d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
        tsr_raise(ERR_OverflowError, "%s", "integer overflow: tsr ints are 64-bit");
        return NULL;
    }
    return val_int((int64_t)d);
}

int64_t utf8_len(const char *s, int64_t n) {
    int64_t count = 0;
    for (int64_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80) count++;
    return count;
}

static Value *py_len(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("len", "obj");
    Value *v = v_[0];
    switch (v->kind) {
    case VK_STR: return val_int(str_char_count(v));
    case VK_BYTES: case VK_BYTEARRAY: return val_int(v->bytes.len);
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: return val_int(v->seq.len);
    case VK_DICT: return val_int(dict_len(v->dict));
    case VK_SET: case VK_FROZENSET: return val_int(set_len(v));
    case VK_DICTVIEW: return val_int(dict_len(v->view.dict->dict));
    case VK_TENSOR:
        if (v->tensor->ndim == 0) {
            tsr_raise(ERR_TypeError, "%s", "len() of a 0-d tensor");
            return NULL;
        }
        return val_int(v->tensor->shape[0]);
    case VK_RANGE:
        if (range_len(v) < 0) { /* past 2**63 - 1 */
            tsr_raise(ERR_OverflowError, "%s", "Python int too large to convert to C ssize_t");
            return NULL;
        }
        return val_int(range_len(v));
    case VK_INSTANCE: {
        bool found;
        Value *r = special_call(v, "__len__", NULL, 0, &found);
        if (!found) break;
        if (r && r->kind != VK_INT) {
            tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer", val_type_name(r));
            val_release(r);
            return NULL;
        }
        if (r && r->i < 0) {
            tsr_raise(ERR_ValueError, "%s", "__len__() should return >= 0");
            val_release(r);
            return NULL;
        }
        return r;
    }
    default: break;
    }
    {
        tsr_raise(ERR_TypeError, "object of type '%s' has no len()", val_type_name(v));
        return NULL;
    }
}

static Value *py_range(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "range() takes no keyword arguments");
        return NULL;
    }
    if (a->nargs < 1 || a->nargs > 3) {
        tsr_raise(ERR_TypeError, "range expected at %s 1 argument%s, got %d",
                  a->nargs < 1 ? "least" : "most", a->nargs < 1 ? "" : "s", a->nargs);
        if (a->nargs > 3)
            tsr_raise(ERR_TypeError, "range expected at most 3 arguments, got %d", a->nargs);
        return NULL;
    }
    int64_t v[3] = {0, 0, 1};
    for (int i = 0; i < a->nargs; i++) {
        Value *x = a->args[i];
        if (x->kind == VK_FLOAT) {
            tsr_raise(ERR_TypeError, "%s", "'float' object cannot be interpreted as an integer");
            return NULL;
        }
        if (!val_as_int(x, &v[i])) return NULL;
    }
    if (a->nargs == 1) return val_range(0, v[0], 1);
    if (a->nargs == 3 && v[2] == 0) {
        tsr_raise(ERR_ValueError, "%s", "range() arg 3 must not be zero");
        return NULL;
    }
    return val_range(v[0], v[1], v[2]);
}

/* An int or float subclass's number, else x */
static Value *number_of(Value *x) {
    Value *p = val_unwrap(x);
    return p->kind == VK_INT || p->kind == VK_FLOAT ? p : x;
}

/* Python's round(x, n) for floats: correctly rounded via the exact decimal
 * expansion (printf rounds the exact binary value half-even). */
static Value *py_round_impl(Value *x, Value *nd) {
    if (x->kind == VK_INT || x->kind == VK_BOOL) {
        int64_t v = x->kind == VK_INT ? x->i : x->b;
        if (!nd || nd->kind == VK_NONE) return val_int(v);
        int64_t n;
        if (!val_as_int(nd, &n)) return NULL;
        if (n >= 0) return val_int(v);
        int64_t p = 1;
        for (int64_t i = 0; i < -n && p < INT64_MAX / 10; i++) p *= 10;
        int64_t q = v / p, r = v % p;
        if (r < 0) {
            r += p;
            q -= 1;
        }
        if (2 * r > p || (2 * r == p && (q & 1))) q += 1;
        return val_int(q * p);
    }
    if (x->kind != VK_FLOAT) {
        tsr_raise(ERR_TypeError, "type %s doesn't define __round__ method", val_type_name(x));
        return NULL;
    }
    if (!nd || nd->kind == VK_NONE) return int_from_double(nearbyint(x->f));
    int64_t n;
    if (!val_as_int(nd, &n)) return NULL;
    if (!isfinite(x->f)) return val_float(x->f);
    if (n > 300) return val_float(x->f);
    if (n < -308) return val_float(0.0 * x->f);
    if (n >= 0) {
        char buf[512];
        snprintf(buf, sizeof buf, "%.*f", (int)n, x->f);
        return val_float(strtod(buf, NULL));
    }
    double p = pow(10.0, (double)-n);
    double y = nearbyint(x->f / p) * p;
    return val_float(y);
}

static Value *py_round(Value *self, const CallArgs *a) {
    if (any_tensor(a)) return call_torch("round", a);
    ARGS(2);
    PARSE("round", "number, ndigits=");
    return py_round_impl(number_of(v_[0]), v_[1]);
}

static Value *py_abs(Value *self, const CallArgs *a) {
    if (any_tensor(a)) return call_torch("abs", a);
    ARGS(1);
    PARSE("abs", "x");
    Value *x = number_of(v_[0]);
    if (x->kind == VK_INT || x->kind == VK_BOOL) {
        int64_t v = x->kind == VK_INT ? x->i : x->b;
        if (v == INT64_MIN) {
            tsr_raise(ERR_OverflowError, "%s", "integer overflow: tsr ints are 64-bit");
            return NULL;
        }
        return val_int(v < 0 ? -v : v);
    }
    if (x->kind == VK_FLOAT) return val_float(fabs(x->f));
    if (x->kind == VK_COMPLEX) return complex_abs(x);
    tsr_raise(ERR_TypeError, "bad operand type for abs(): '%s'", val_type_name(x));
    return NULL;
}

/* complex: torch.complex when an argument is a tensor, as the prelude's
 * dispatching wrapper does; Python's complex type otherwise */
static Value *py_complex(Value *self, const CallArgs *a) {
    bool numpy = a->nargs > 0 && !a->nkw;
    for (int i = 0; i < a->nargs; i++) numpy = numpy && (a->args[i]->kind != VK_TENSOR || val_is_numpy(a->args[i]));
    if (numpy && any_tensor(a) && a->nargs <= 2) { /* numpy values are no torch tensors: Python's complex of their numbers */
        Value *nums[2] = {NULL, NULL};
        bool ok = true;
        for (int i = 0; ok && i < a->nargs; i++)
            ok = (nums[i] = a->args[i]->kind == VK_TENSOR ? tensor_item_value(a->args[i]->tensor)
                                                          : val_retain(a->args[i])) != NULL;
        Value *r = ok ? complex_new(&(CallArgs){nums, a->nargs, NULL, NULL, 0}) : NULL;
        val_release(nums[0]);
        val_release(nums[1]);
        return r;
    }
    if (any_tensor(a)) return call_torch("complex", a);
    return complex_new(a);
}

static Value *py_pow(Value *self, const CallArgs *a) {
    if (any_tensor(a)) return call_torch("pow", a);
    ARGS(3);
    PARSE("pow", "base, exp, mod=");
    if (!v_[2] || v_[2]->kind == VK_NONE) return binary_op(B_POW, v_[0], v_[1]);
    /* pow(base, exp, mod): integers only, by repeated squaring */
    Value *b = v_[0], *e = v_[1], *m = v_[2];
    bool ints = (b->kind == VK_INT || b->kind == VK_BOOL) && (e->kind == VK_INT || e->kind == VK_BOOL) &&
                (m->kind == VK_INT || m->kind == VK_BOOL);
    if (!ints) {
        tsr_raise(ERR_TypeError, "%s", "pow() 3rd argument not allowed unless all arguments are integers");
        return NULL;
    }
    int64_t base = b->kind == VK_INT ? b->i : b->b, ex = e->kind == VK_INT ? e->i : e->b, mod = m->kind == VK_INT ? m->i : m->b;
    if (mod == 0) {
        tsr_raise(ERR_ValueError, "%s", "pow() 3rd argument cannot be 0");
        return NULL;
    }
    if (ex < 0) {
        tsr_raise(ERR_ValueError, "%s", "tsr's pow() with a modulus takes a non-negative exponent");
        return NULL;
    }
    __int128 r = 1, x = ((base % mod) + mod) % mod, md = mod < 0 ? -(__int128)mod : mod;
    x %= md;
    for (; ex > 0; ex >>= 1) {
        if (ex & 1) r = r * x % md;
        x = x * x % md;
    }
    int64_t res = (int64_t)r;
    if (mod < 0 && res) res += mod; /* Python: the result takes the modulus' sign */
    return val_int(res);
}

typedef struct {
    CmpKind better;
    Value *key, *best, *best_key; /* key: NULL for the items themselves */
} Best;

/* the first item wins ties, as CPython's */
static int best_item(Value *x, void *ctx) {
    Best *b = ctx;
    Value *xk = b->key ? call_value(b->key, &(CallArgs){&x, 1, NULL, NULL, 0}) : NULL;
    int t = b->key && !xk ? -1 : 1;
    if (t > 0 && b->best) {
        Value *c = compare_op(b->better, b->key ? xk : x, b->key ? b->best_key : b->best);
        t = c ? val_truthy(c) : -1;
        val_release(c);
    }
    if (t > 0) {
        val_release(b->best);
        val_release(b->best_key);
        b->best = x;
        b->best_key = xk;
        return 1;
    }
    val_release(x);
    val_release(xk);
    return t < 0 ? -1 : 1;
}

/* min/max over varargs or one iterable */
static Value *minmax(const CallArgs *a, const char *name, CmpKind better) {
    Value *dflt = NULL, *key = NULL;
    for (int i = 0; i < a->nkw; i++) {
        if (!strcmp(a->kwnames[i], "default")) dflt = a->kwvals[i];
        else if (!strcmp(a->kwnames[i], "key")) key = a->kwvals[i]->kind == VK_NONE ? NULL : a->kwvals[i];
        else {
            tsr_raise(ERR_TypeError, "'%s' is an invalid keyword argument for %s()", a->kwnames[i], name);
            return NULL;
        }
    }
    if (a->nargs == 0) {
        tsr_raise(ERR_TypeError, "%s expected at least 1 argument, got 0", name);
        return NULL;
    }
    if (dflt && a->nargs > 1) {
        tsr_raise(ERR_TypeError, "Cannot specify a default for %s() with multiple positional arguments", name);
        return NULL;
    }
    Value *items = NULL;
    if (a->nargs > 1) {
        if (!(items = val_tuple_new(a->nargs))) return NULL;
        for (int i = 0; i < a->nargs; i++) items->seq.items[i] = val_retain(a->args[i]);
    }
    Best b = {better, key, NULL, NULL};
    bool ok = iter_feed(items ? items : a->args[0], best_item, &b);
    val_release(items);
    val_release(b.best_key);
    if (!ok || b.best) {
        if (!ok) val_release(b.best);
        return ok ? b.best : NULL;
    }
    if (dflt) return val_retain(dflt);
    tsr_raise(ERR_ValueError, "%s() arg is an empty sequence", name);
    return NULL;
}

static Value *py_max(Value *self, const CallArgs *a) {
    if (any_tensor(a)) return call_torch("max", a);
    return minmax(a, "max", C_GT);
}

static Value *py_min(Value *self, const CallArgs *a) {
    if (any_tensor(a)) return call_torch("min", a);
    return minmax(a, "min", C_LT);
}

static Value *py_sum(Value *self, const CallArgs *a) {
    if (any_tensor(a)) return call_torch("sum", a);
    ARGS(2);
    PARSE("sum", "iterable, start=");
    Value *zero = v_[1] ? NULL : val_int(0);
    Value *r = fold_op(B_ADD, v_[0], v_[1] ? v_[1] : zero);
    val_release(zero);
    return r;
}

typedef struct {
    BinKind op;
    Value *acc;
} Fold;

static int fold_item(Value *x, void *ctx) {
    Fold *f = ctx;
    Value *next = binary_op(f->op, f->acc, x);
    val_release(x);
    val_release(f->acc);
    f->acc = next;
    return next ? 1 : -1;
}

Value *fold_op(int op, Value *iterable, Value *start) {
    if (!start) return NULL;
    Fold f = {(BinKind)op, val_retain(start)};
    if (iter_feed(iterable, fold_item, &f)) return f.acc;
    val_release(f.acc);
    return NULL;
}

Value *pair_steal(Value *a, Value *b) {
    Value *t = a && b ? val_tuple_new(2) : NULL;
    if (!t) {
        val_release(a);
        val_release(b);
        return NULL;
    }
    t->seq.items[0] = a;
    t->seq.items[1] = b;
    return t;
}

typedef struct {
    bool want; /* any(): stop at the first truthy item; all(): at the first falsy one */
    bool found;
} Search;

static int search_item(Value *x, void *ctx) {
    Search *s = ctx;
    int t = val_truthy(x);
    val_release(x);
    if (t < 0) return -1;
    s->found = t == s->want;
    return !s->found;
}

static Value *all_any(const CallArgs *a, const char *name, bool want) {
    ARGS(1);
    PARSE(name, "iterable");
    Search s = {want, false};
    if (!iter_feed(v_[0], search_item, &s)) return NULL;
    return val_bool(s.found ? want : !want);
}

static Value *py_all(Value *self, const CallArgs *a) {
    if (any_tensor(a)) return call_torch("all", a);
    return all_any(a, "all", false);
}

static Value *py_any(Value *self, const CallArgs *a) {
    if (any_tensor(a)) return call_torch("any", a);
    return all_any(a, "any", true);
}

/* ------------------------------------------------------------ types */

static bool type_matches(Value *v, TypeId t) {
    switch (t) {
    case T_INT: return v->kind == VK_INT || v->kind == VK_BOOL;
    case T_FLOAT: return v->kind == VK_FLOAT;
    case T_COMPLEX: return v->kind == VK_COMPLEX;
    case T_BOOL: return v->kind == VK_BOOL;
    case T_STR: return v->kind == VK_STR;
    case T_BYTES: return v->kind == VK_BYTES;
    case T_BYTEARRAY: return v->kind == VK_BYTEARRAY;
    case T_LIST: return v->kind == VK_LIST;
    case T_TUPLE: return v->kind == VK_TUPLE || v->kind == VK_SIZE || v->kind == VK_NAMEDTUPLE;
    case T_DICT: return v->kind == VK_DICT;
    case T_PYGEN: return v->kind == VK_PYGEN;
    case T_DICTVIEW: return v->kind == VK_DICTVIEW;
    case T_SET: return v->kind == VK_SET;
    case T_FROZENSET: return v->kind == VK_FROZENSET;
    case T_NONETYPE: return v->kind == VK_NONE;
    case T_SLICE: return v->kind == VK_SLICE;
    case T_RANGE: return v->kind == VK_RANGE;
    case T_FUNCTION: return v->kind == VK_FUNCTION;
    case T_BUILTIN: return v->kind == VK_BUILTIN || v->kind == VK_METHOD;
    case T_TENSOR: return v->kind == VK_TENSOR && !v->tensor->numpy;
    case T_PARAMETER: return v->kind == VK_TENSOR && v->tensor->is_parameter;
    case T_NDARRAY: return val_is_ndarray(v);
    case T_SIZE: return v->kind == VK_SIZE;
    case T_DTYPE: return v->kind == VK_DTYPE;
    case T_DEVICE: return v->kind == VK_DEVICE;
    case T_LAYOUT: case T_MEMORY_FORMAT: return v->kind == VK_TORCHENUM && torch_enum_type((TorchEnum)v->i) == t;
    case T_MODULE: return v->kind == VK_MODULE && strcmp(v->module.name, HOOK_HANDLE_NAME);
    case T_REMOVABLE_HANDLE: return v->kind == VK_MODULE && !strcmp(v->module.name, HOOK_HANDLE_NAME);
    case T_TYPE: return v->kind == VK_TYPE;
    case T_RETURN_TYPE: return v->kind == VK_NAMEDTUPLE;
    case T_GENERATOR: return v->kind == VK_GENERATOR;
    case T_ITERATOR: return v->kind == VK_ITER;
    case T_ELLIPSIS: return v->kind == VK_ELLIPSIS;
    case T_CONTEXT: return v->kind == VK_CONTEXT;
    case T_GRADFN: return v->kind == VK_GRADFN;
    default: /* numpy's scalar types */
        return v->kind == VK_TENSOR && v->tensor->numpy == TENSOR_NP_SCALAR && numpy_type_dtype(t) == v->tensor->dtype;
    }
}

static TypeId type_of(Value *v) {
    switch (v->kind) {
    case VK_NONE: return T_NONETYPE;
    case VK_BOOL: return T_BOOL;
    case VK_INT: return T_INT;
    case VK_FLOAT: return T_FLOAT;
    case VK_COMPLEX: return T_COMPLEX;
    case VK_STR: return T_STR;
    case VK_BYTES: return T_BYTES;
    case VK_BYTEARRAY: return T_BYTEARRAY;
    case VK_LIST: return T_LIST;
    case VK_TUPLE: return T_TUPLE;
    case VK_DICT: return T_DICT;
    case VK_PYGEN: return T_PYGEN;
    case VK_DICTVIEW: return T_DICTVIEW;
    case VK_SET: return T_SET;
    case VK_FROZENSET: return T_FROZENSET;
    case VK_SLICE: return T_SLICE;
    case VK_ELLIPSIS: return T_ELLIPSIS;
    case VK_RANGE: return T_RANGE;
    case VK_ITER: return T_ITERATOR;
    case VK_TENSOR:
        if (v->tensor->numpy == TENSOR_NP_ARRAY) return T_NDARRAY;
        if (v->tensor->numpy) return numpy_scalar_type(v->tensor->dtype);
        return v->tensor->is_parameter ? T_PARAMETER : T_TENSOR;
    case VK_SIZE: return T_SIZE;
    case VK_DTYPE: return T_DTYPE;
    case VK_DEVICE: return T_DEVICE;
    case VK_TORCHENUM: return torch_enum_type((TorchEnum)v->i);
    case VK_FUNCTION: return T_FUNCTION;
    case VK_BUILTIN: case VK_METHOD: return T_BUILTIN;
    case VK_NAMEDTUPLE: return T_RETURN_TYPE;
    case VK_MODULE: /* register_hook's handle is a namespace object of this name */
        return strcmp(v->module.name, HOOK_HANDLE_NAME) ? T_MODULE : T_REMOVABLE_HANDLE;
    case VK_TYPE: return T_TYPE;
    case VK_GRADFN: return T_GRADFN;
    case VK_CONTEXT: return T_CONTEXT;
    case VK_GENERATOR: return T_GENERATOR;
    default: return T_TYPE;
    }
}

/* isinstance(v, cls) for one class: 1, 0, or -1 when cls is not a class */
static int instance_of(Value *v, Value *cls) {
    if (cls->kind == VK_TYPE)
        return type_matches(val_unwrap(v), cls->type) || (cls->type == T_TYPE && v->kind == VK_CLASS);
    if (cls->kind != VK_CLASS) return -1;
    if (cls == class_object) return 1;
    /* zip, map, property, autograd nodes: classes by name */
    if (v->kind == VK_ITER || v->kind == VK_WRAPPER || v->kind == VK_GRADFN)
        return !strcmp(cls->cls->name, val_type_name(v)) && !strcmp(cls->cls->module, "builtins");
    Value *vc = instance_class(v);
    return vc && class_is_subclass(vc, cls);
}

static Value *py_isinstance(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("isinstance", "obj, class_or_tuple");
    Value *cls = v_[1];
    if (cls->kind == VK_TUPLE) {
        for (int64_t i = 0; i < cls->seq.len; i++) {
            int r = instance_of(v_[0], cls->seq.items[i]);
            if (r < 0) goto bad;
            if (r) return val_bool(true);
        }
        return val_bool(false);
    }
    int r = instance_of(v_[0], cls);
    if (r >= 0) return val_bool(r);
bad:
    tsr_raise(ERR_TypeError, "%s", "isinstance() arg 2 must be a type, a tuple of types, or a union");
    return NULL;
}

static int subclass_of(Value *c, Value *cls) {
    if (cls->kind == VK_TUPLE) {
        for (int64_t i = 0; i < cls->seq.len; i++) {
            int r = subclass_of(c, cls->seq.items[i]);
            if (r) return r;
        }
        return 0;
    }
    if (cls->kind == VK_TYPE) {
        Value *base = class_builtin_base(cls->type); /* issubclass(D, dict) */
        if (c->kind == VK_TYPE)
            return c->type == cls->type || (c->type == T_PARAMETER && cls->type == T_TENSOR) ||
                   (c->type == T_BOOL && cls->type == T_INT);
        return base && class_is_subclass(c, base);
    }
    if (cls->kind != VK_CLASS) return -1;
    return c->kind == VK_CLASS ? class_is_subclass(c, cls) : cls == class_object;
}

static Value *py_issubclass(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("issubclass", "cls, class_or_tuple");
    if (v_[0]->kind != VK_CLASS && v_[0]->kind != VK_TYPE) {
        tsr_raise(ERR_TypeError, "%s", "issubclass() arg 1 must be a class");
        return NULL;
    }
    int r = subclass_of(v_[0], v_[1]);
    if (r >= 0) return val_bool(r);
    tsr_raise(ERR_TypeError, "%s", "issubclass() arg 2 must be a class, a tuple of classes, or a union");
    return NULL;
}

/* Python's int(str): optional sign, digits, underscores between digits. */
/* Python's int(str, base): optional sign, digits of the base (base 0: a
 * 0x/0o/0b prefix picks it, else 10), underscores between digits, spaces
 * around. False when it is not such a literal (or does not fit 64 bits). */
static int digit_value(char c) {
    return c >= '0' && c <= '9' ? c - '0' : (c | 32) >= 'a' && (c | 32) <= 'z' ? (c | 32) - 'a' + 10 : 99;
}

static bool parse_int_str(const char *s, int base, int64_t *out) {
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    bool neg = false;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    int b = base;
    if (s[0] == '0' && s[1]) {
        char c = (char)(s[1] | 32);
        int pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
        if (pb && (base == 0 || base == pb)) {
            b = pb;
            s += 2;
            if (*s == '_') s++; /* 0x_ff */
        }
    }
    if (b == 0) { /* base 0 without a prefix: decimal, and no leading zero but in "0..." */
        b = 10;
        if (s[0] == '0') {
            const char *p = s;
            while (*p == '0' || *p == '_') p++;
            if (*p >= '1' && *p <= '9') return false;
        }
    }
    uint64_t v = 0;
    int ndigits = 0;
    for (;; s++) {
        if (*s == '_' && ndigits && digit_value(s[1]) < b) continue;
        int d = digit_value(*s);
        if (d >= b) break;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)b) return false;
        v = v * (uint64_t)b + (uint64_t)d;
        ndigits++;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    if (*s || !ndigits || v > (uint64_t)INT64_MAX + neg) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static Value *str_to_int(Value *x, int base) {
    int64_t v;
    if (!parse_int_str(x->str.s, base, &v)) {
        Value *r = val_repr(x);
        tsr_raise(ERR_ValueError, "invalid literal for int() with base %d: %s", base, r ? r->str.s : "");
        val_release(r);
        return NULL;
    }
    return val_int(v);
}

static Value *to_int(Value *x) {
    switch (x->kind) {
    case VK_INT: return val_retain(x);
    case VK_BOOL: return val_int(x->b);
    case VK_FLOAT: return int_from_double(trunc(x->f));
    case VK_STR: return str_to_int(x, 10);
    case VK_TENSOR: {
        Tensor *t = x->tensor;
        if (tensor_numel(t) != 1) {
            tsr_raise(ERR_ValueError, "%s", "only one element tensors can be converted to Python scalars");
            return NULL;
        }
        if (dtype_is_float(t->dtype)) {
            Value *f = val_float(tensor_get_f64(t, 0));
            if (!f) return NULL;
            Value *r = to_int(f);
            val_release(f);
            return r;
        }
        return val_int(tensor_get_i64(t, 0));
    }
    default:
        if (val_unwrap(x) != x && val_unwrap(x)->kind != VK_DICT && val_unwrap(x)->kind != VK_LIST)
            return to_int(val_unwrap(x)); /* a str, int, float subclass */
        if (x->kind == VK_INSTANCE) { /* __int__, else __index__, else __trunc__ */
            static const char *const names[] = {"__int__", "__index__", "__trunc__"};
            for (int k = 0; k < 3; k++) {
                bool found;
                Value *r = special_call(x, names[k], NULL, 0, &found);
                if (!found) continue;
                if (r && r->kind != VK_INT && r->kind != VK_BOOL) {
                    tsr_raise(ERR_TypeError, "%s returned non-int (type %s)", names[k], val_type_name(r));
                    val_release(r);
                    return NULL;
                }
                if (r && r->kind == VK_BOOL) {
                    Value *i = val_int(r->b);
                    val_release(r);
                    return i;
                }
                return r;
            }
        }
        tsr_raise(ERR_TypeError,
                  "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                  val_type_name(x));
        return NULL;
    }
}

/* digits with single underscores between them (PEP 515) copied into
 * out without the underscores; the count of digits */
static int64_t copy_digits(const char **p, char *out, int64_t *n, int64_t cap) {
    int64_t count = 0;
    while (**p >= '0' && **p <= '9') {
        if (*n < cap) out[(*n)++] = **p;
        (*p)++, count++;
        if (**p == '_' && (*p)[1] >= '0' && (*p)[1] <= '9') (*p)++;
    }
    return count;
}

/* float(str)'s number: Python's grammar ([sign] digits [. digits]
 * [e [sign] digits], underscores between digits, no hex); *end at the
 * first character not taken (the start when none is) */
static double parse_float_literal(const char *s, char **end) {
    int64_t n = 0, cap = (int64_t)strlen(s) + 1;
    char *buf = tsr_malloc((size_t)cap + 1);
    const char *p = s;
    *end = (char *)s;
    if (!buf) return 0;
    if (*p == '+' || *p == '-') buf[n++] = *p++;
    int64_t digits = copy_digits(&p, buf, &n, cap);
    if (*p == '.') {
        buf[n++] = *p++;
        digits += copy_digits(&p, buf, &n, cap);
    }
    if (!digits) {
        free(buf);
        return 0;
    }
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        int64_t m = n;
        buf[m++] = 'e';
        if (*q == '+' || *q == '-') buf[m++] = *q++;
        if (copy_digits(&q, buf, &m, cap)) p = q, n = m;
    }
    buf[n] = 0;
    *end = (char *)p;
    double d = strtod(buf, NULL);
    free(buf);
    return d;
}

static Value *to_float(Value *x) {
    switch (x->kind) {
    case VK_FLOAT: return val_retain(x);
    case VK_INT: return val_float((double)x->i);
    case VK_BOOL: return val_float(x->b);
    case VK_STR: {
        const char *s = x->str.s;
        while (*s == ' ' || *s == '\t' || *s == '\n') s++;
        char *end;
        double d;
        const char *p = s;
        bool neg = false;
        if (*p == '+' || *p == '-') neg = *p++ == '-';
        if (!strncasecmp(p, "inf", 3) || !strncasecmp(p, "infinity", 8)) {
            end = (char *)p + (strncasecmp(p, "infinity", 8) ? 3 : 8);
            d = neg ? -INFINITY : INFINITY;
        } else if (!strncasecmp(p, "nan", 3)) {
            end = (char *)p + 3;
            d = NAN;
        } else {
            d = parse_float_literal(s, &end);
        }
        while (*end == ' ' || *end == '\t' || *end == '\n') end++;
        if (end == s || *end) {
            Value *r = val_repr(x);
            tsr_raise(ERR_ValueError, "could not convert string to float: %s", r ? r->str.s : "");
            val_release(r);
            return NULL;
        }
        return val_float(d);
    }
    case VK_TENSOR:
        if (tensor_numel(x->tensor) != 1) {
            tsr_raise(ERR_ValueError, "%s", "only one element tensors can be converted to Python scalars");
            return NULL;
        }
        return val_float(tensor_get_f64(x->tensor, 0));
    default:
        if (val_unwrap(x) != x && val_unwrap(x)->kind != VK_DICT && val_unwrap(x)->kind != VK_LIST)
            return to_float(val_unwrap(x)); /* a str, int, float subclass */
        if (x->kind == VK_INSTANCE) { /* __float__, else __index__ */
            bool found;
            Value *r = instance_number(x, &found);
            if (found) {
                if (!r || r->kind == VK_FLOAT) return r;
                Value *f = r->kind == VK_INT || r->kind == VK_BOOL ? to_float(r) : NULL; /* __index__'s int */
                if (!f && r->kind != VK_INT && r->kind != VK_BOOL)
                    tsr_raise(ERR_TypeError, "__index__ returned non-int (type %s)", val_type_name(r));
                val_release(r);
                return f;
            }
        }
        tsr_raise(ERR_TypeError, "float() argument must be a string or a real number, not '%s'",
                  val_type_name(x));
        return NULL;
    }
}

Value *number_to_float(Value *x) { return to_float(x); }

static Value *make_seq_from(Value *x, ValueKind kind) {
    Value *items = x ? iterate_to_list(x) : val_list_new(0);
    if (!items) return NULL;
    if (kind != VK_LIST) val_list_become(items, kind); /* a fresh LIST becomes a tuple/Size of the same items */
    return items;
}

/* str(object=b'', encoding='utf-8', errors='strict') */
static Value *str_decode_new(const CallArgs *a) {
    static const char *const names[] = {"object", "encoding", "errors"};
    Value *v[3];
    if (!method_kwargs(a, "str", names, 3, v)) return NULL;
    if (!v[0]) return val_str("", 0);
    if (!v[1] && !v[2]) return val_str_of(v[0]);
    const unsigned char *s;
    int64_t n;
    if (!bytes_buffer(v[0], &s, &n)) {
        if (v[0]->kind == VK_STR) tsr_raise(ERR_TypeError, "%s", "decoding str is not supported");
        else tsr_raise(ERR_TypeError, "decoding to str: need a bytes-like object, %s found", val_type_name(v[0]));
        return NULL;
    }
    return codec_decode(s, n, v[1], v[2], "str");
}

Value *type_call(TypeId t, const CallArgs *a) {
    Value *x = a->nargs > 0 ? a->args[0] : NULL;
    const char *name = type_object_name(t);
    if (t == T_PARAMETER) return parameter_new(a);
    if (t == T_BYTES || t == T_BYTEARRAY) return bytes_construct(t == T_BYTES ? VK_BYTES : VK_BYTEARRAY, a);
    if (t == T_STR && (a->nargs > 1 || a->nkw)) return str_decode_new(a);
    if ((t == T_INT || t == T_FLOAT) && x && val_is_bytes(x)) { /* int(b'12'): the bytes as ASCII text */
        Value *s = val_str((const char *)x->bytes.s, x->bytes.len);
        if (!s) return NULL;
        Value *args[2] = {s, a->nargs > 1 ? a->args[1] : NULL};
        CallArgs ca = {args, a->nargs, a->kwnames, a->kwvals, a->nkw};
        Value *r = type_call(t, &ca);
        if (!r && tsr_err_kind() == ERR_ValueError) { /* the message quotes the bytes: b'x' */
            Value *sr = val_repr(s), *br = val_repr(x);
            const char *msg = tsr_err_msg();
            size_t n = strlen(msg), k = sr ? (size_t)sr->str.len : 0;
            if (sr && br && n >= k && !strcmp(msg + n - k, sr->str.s)) {
                char *head = tsr_strndup(msg, n - k);
                if (head) tsr_raise(ERR_ValueError, "%s%s", head, br->str.s);
                free(head);
            }
            val_release(sr);
            val_release(br);
        }
        val_release(s);
        return r;
    }
    if (t == T_COMPLEX) return complex_new(a);
    if (t == T_RANGE) return py_range(NULL, a);
    if (numpy_type_dtype(t) != DT_UNDEFINED) return numpy_scalar_new(t, a);
    if (t == T_SLICE) {
        if (a->nkw || a->nargs < 1 || a->nargs > 3) {
            tsr_raise(ERR_TypeError, "slice expected at %s 1 argument%s, got %d",
                      a->nargs < 1 ? "least" : "most", a->nargs < 1 ? "" : "s", a->nargs);
            if (a->nargs > 3) tsr_raise(ERR_TypeError, "slice expected at most 3 arguments, got %d", a->nargs);
            return NULL;
        }
        if (a->nargs == 1) return val_slice(NULL, a->args[0], NULL);
        return val_slice(a->args[0], a->args[1], a->nargs == 3 ? a->args[2] : NULL);
    }
    if (t == T_INT && (a->nargs == 2 || (a->nkw == 1 && !strcmp(a->kwnames[0], "base")))) { /* int(str, base) */
        Value *bv = a->nargs == 2 ? a->args[1] : a->kwvals[0];
        int64_t base;
        if (!x) {
            tsr_raise(ERR_TypeError, "%s", "int() missing string argument");
            return NULL;
        }
        if (!val_as_int(bv, &base)) return NULL;
        if (base != 0 && (base < 2 || base > 36)) {
            tsr_raise(ERR_ValueError, "%s", "int() base must be >= 2 and <= 36, or 0");
            return NULL;
        }
        if (x->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "%s", "int() can't convert non-string with explicit base");
            return NULL;
        }
        return str_to_int(x, (int)base);
    }
    if (a->nargs > 1 && t != T_SIZE && t != T_TENSOR && t != T_DEVICE && t != T_GENERATOR) {
        tsr_raise(ERR_TypeError, "%s expected at most 1 argument, got %d", name, a->nargs);
        return NULL;
    }
    switch (t) {
    case T_INT: return x ? to_int(x) : val_int(0);
    case T_FLOAT: return x ? to_float(x) : val_float(0);
    case T_BOOL: {
        if (!x) return val_bool(false);
        int tr = val_truthy(x);
        return tr < 0 ? NULL : val_bool(tr);
    }
    case T_STR: return x ? val_str_of(x) : val_str("", 0);
    case T_LIST: return make_seq_from(x, VK_LIST);
    case T_TUPLE:
        if (x && x->kind == VK_TUPLE) return val_retain(x);
        return make_seq_from(x, VK_TUPLE);
    case T_SIZE: {
        Value *r = make_seq_from(x, VK_SIZE);
        if (!r) return NULL;
        for (int64_t i = 0; i < r->seq.len; i++) {
            if (r->seq.items[i]->kind != VK_INT) {
                tsr_raise(ERR_TypeError, "torch.Size() takes an iterable of 'int' (item %lld is '%s')",
                          (long long)i, val_type_name(r->seq.items[i]));
                val_release(r);
                return NULL;
            }
        }
        return r;
    }
    case T_DICT: return dict_from_args(a);
    case T_SET: case T_FROZENSET: return set_from_args(t == T_FROZENSET, a);
    case T_TYPE:
        if (x && x->kind == VK_INSTANCE) return val_retain(x->inst.cls);
        /* list_iterator, zip; method, property, staticmethod, classmethod;
         * an autograd node's class (MulBackward0, AccumulateGrad) */
        if (x && (x->kind == VK_ITER || x->kind == VK_BOUND || x->kind == VK_WRAPPER || x->kind == VK_GRADFN))
            return class_of_type_name(val_type_name(x));
        return x ? val_type(type_of(x)) : NULL;
    case T_TENSOR: return call_torch("_Tensor", a);
    case T_DEVICE: return call_torch("_device", a);
    case T_GENERATOR: return call_torch("_Generator", a);
    default:
        tsr_raise(ERR_TypeError, "cannot create '%s' instances", name);
        return NULL;
    }
}

/* ------------------------------------------------------------ iteration helpers */

static Value *py_enumerate(Value *self, const CallArgs *a) {
    ARGS(2);
    if (!a->nargs && !a->nkw) { /* enumerate's argument clinic words it so */
        tsr_raise(ERR_TypeError, "%s", "enumerate() missing required argument 'iterable'");
        return NULL;
    }
    PARSE("enumerate", "iterable, start=");
    int64_t start = 0;
    if (v_[1] && !val_as_int(v_[1], &start)) return NULL;
    return iter_enumerate(v_[0], start);
}

static Value *py_zip(Value *self, const CallArgs *a) {
    bool strict = false;
    for (int i = 0; i < a->nkw; i++) {
        if (strcmp(a->kwnames[i], "strict")) {
            tsr_raise(ERR_TypeError, "zip() got an unexpected keyword argument '%s'", a->kwnames[i]);
            return NULL;
        }
        int t = val_truthy(a->kwvals[i]);
        if (t < 0) return NULL;
        strict = t;
    }
    return iter_zip(a->args, a->nargs, strict);
}

/* stable merge sort with compare_op(<) */
bool sort_values(Value **items, int64_t n, bool reverse, Value *key) {
    if (n == 1 && key) { /* CPython calls key even for one item: its errors propagate */
        Value *k = call_function(tsr_interp, key, &(CallArgs){items, 1, NULL, NULL, 0});
        val_release(k);
        return k != NULL;
    }
    if (n < 2) return true;
    Value **tmp = tsr_malloc(sizeof(Value *) * (size_t)n);
    Value **keys = tsr_malloc(sizeof(Value *) * (size_t)n * 2);
    if (!tmp || !keys) {
        free(tmp);
        free(keys);
        return false;
    }
    bool ok = true;
    for (int64_t i = 0; i < n; i++) {
        if (key) {
            Value *args[1] = {items[i]};
            CallArgs ca = {args, 1, NULL, NULL, 0};
            keys[i] = call_function(tsr_interp, key, &ca);
            if (!keys[i]) {
                for (int64_t j = 0; j < i; j++) val_release(keys[j]);
                free(tmp);
                free(keys);
                return false;
            }
        } else {
            keys[i] = val_retain(items[i]);
        }
    }
    Value **ktmp = keys + n;
    for (int64_t width = 1; ok && width < n; width *= 2) {
        for (int64_t lo = 0; ok && lo < n; lo += 2 * width) {
            int64_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            int64_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                Value *c = reverse ? compare_op(C_LT, keys[i], keys[j]) : compare_op(C_LT, keys[j], keys[i]);
                if (!c) {
                    ok = false;
                    break;
                }
                int t = val_truthy(c);
                val_release(c);
                if (t) {
                    ktmp[k] = keys[j];
                    tmp[k++] = items[j++];
                } else {
                    ktmp[k] = keys[i];
                    tmp[k++] = items[i++];
                }
            }
            if (!ok) break;
            while (i < mid) ktmp[k] = keys[i], tmp[k++] = items[i++];
            while (j < hi) ktmp[k] = keys[j], tmp[k++] = items[j++];
            memcpy(items + lo, tmp + lo, sizeof(Value *) * (size_t)(hi - lo));
            memcpy(keys + lo, ktmp + lo, sizeof(Value *) * (size_t)(hi - lo));
        }
    }
    for (int64_t i = 0; i < n; i++) val_release(keys[i]);
    free(tmp);
    free(keys);
    return ok;
}

static Value *py_sorted(Value *self, const CallArgs *a) {
    ARGS(3);
    PARSE("sorted", "iterable, *, key=, reverse=");
    Value *items = iterate_to_list(v_[0]);
    if (!items) return NULL;
    int rev = v_[2] ? val_truthy(v_[2]) : 0;
    Value *key = v_[1] && v_[1]->kind != VK_NONE ? v_[1] : NULL;
    if (rev < 0 || !sort_values(items->seq.items, items->seq.len, rev, key)) {
        val_release(items);
        return NULL;
    }
    return items;
}

static Value *py_reversed(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("reversed", "sequence");
    return iter_reversed(v_[0]);
}

static Value *py_repr(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("repr", "obj");
    return val_repr(v_[0]);
}

static Value *py_format(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("format", "value, format_spec=");
    if (v_[1] && v_[1]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s", "format() argument 2 must be str");
        return NULL;
    }
    return format_value(v_[0], v_[1] ? v_[1]->str.s : "");
}

Value *raise_system_exit(Value *code) {
    Value *args[1] = {code};
    CallArgs a = {args, code ? 1 : 0, NULL, NULL, 0};
    Value *exc = class_call(class_of_error(ERR_SystemExit), &a);
    if (exc) exc_raise_value(tsr_interp, exc, NULL);
    val_release(exc);
    return NULL;
}

/* exit(code=None), quit(): site.Quitter raises SystemExit(code), which
 * ends the program unless caught (interp.c reports it) */
static Value *py_exit(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("exit", "code=");
    Value *none = val_none();
    raise_system_exit(v_[0] ? v_[0] : none);
    val_release(none);
    return NULL;
}

static Value *py_callable(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("callable", "obj");
    ValueKind k = v_[0]->kind;
    return val_bool(k == VK_FUNCTION || k == VK_BUILTIN || k == VK_METHOD || k == VK_TYPE || k == VK_CLASS ||
                    k == VK_BOUND || (k == VK_INSTANCE && class_lookup(v_[0]->inst.cls, "__call__")));
}

static Value *py_hasattr(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("hasattr", "obj, name");
    if (v_[1]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s", "hasattr(): attribute name must be string");
        return NULL;
    }
    Value *r = get_attr(v_[0], v_[1]->str.s);
    if (!r) {
        if (tsr_err_kind() != ERR_AttributeError) return NULL;
        tsr_err_clear();
        return val_bool(false);
    }
    val_release(r);
    return val_bool(true);
}

static Value *py_getattr(Value *self, const CallArgs *a) {
    ARGS(3);
    PARSE("getattr", "obj, name, default=");
    if (v_[1]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s", "getattr(): attribute name must be string");
        return NULL;
    }
    Value *r = get_attr(v_[0], v_[1]->str.s);
    if (!r && v_[2] && tsr_err_kind() == ERR_AttributeError) {
        tsr_err_clear();
        return val_retain(v_[2]);
    }
    return r;
}

const Builtin python_builtins[] = {
    {"print", py_print},       {"len", py_len},           {"range", py_range},
    {"abs", py_abs},           {"complex", py_complex},           {"max", py_max},           {"min", py_min},
    {"sum", py_sum},           {"pow", py_pow},           {"round", py_round},
    {"all", py_all},           {"any", py_any},           {"isinstance", py_isinstance},
    {"enumerate", py_enumerate}, {"zip", py_zip},         {"sorted", py_sorted},
    {"reversed", py_reversed}, {"repr", py_repr},         {"format", py_format},
    {"exit", py_exit},         {"quit", py_exit},         {"callable", py_callable},
    {"issubclass", py_issubclass},
    {"hasattr", py_hasattr},   {"getattr", py_getattr},   {"setattr", py_setattr},
    {"delattr", py_delattr},   {"id", py_id},             {"hash", py_hash},
    {"vars", py_vars},         {"globals", py_globals},   {"locals", py_locals},
    {"iter", py_iter},         {"next", py_next},         {"map", py_map},
    {"filter", py_filter},     {"chr", py_chr},           {"ord", py_ord},
    {"bin", py_bin},           {"oct", py_oct},           {"hex", py_hex},
    {"divmod", py_divmod},     {"ascii", py_ascii},       {"open", py_open},
    {"input", py_input},
    {"dir", py_dir},           {"help", py_help},
    {NULL, NULL},
};
const int python_builtins_count = (int)(sizeof python_builtins / sizeof *python_builtins);
