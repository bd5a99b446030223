/* python_dunder.c: the special methods of the built-in types' values, as
 * attributes: `d.__setitem__(k, v)`, `(1).__add__(2)`, `it.__next__()`,
 * `s.__contains__(x)`. Each is the operation the syntax runs. A type has
 * only the methods CPython gives it, so `hasattr(x, "__len__")` and
 * `hasattr(x, "__getitem__")` duck-type as in Python. A binary method whose
 * operands do not fit returns NotImplemented, as CPython's do. */
#include <string.h>

#include "builtins_util.h"
#include "class.h"
#include "interp_internal.h"

/* What a value supports, by kind */
enum {
    CAP_ALL = 1 << 0,   /* every value: __repr__ __str__ __format__ __hash__, comparisons */
    CAP_SEQ = 1 << 1,   /* __getitem__ */
    CAP_MUT = 1 << 2,   /* __setitem__ __delitem__ */
    CAP_CONT = 1 << 3,  /* __contains__ __len__ __iter__ */
    CAP_ITER = 1 << 4,  /* __iter__ __next__ */
    CAP_CAT = 1 << 5,   /* + and * of sequences */
    CAP_NUM = 1 << 6,   /* int, bool, float arithmetic */
    CAP_INT = 1 << 7,   /* int, bool: bits and __index__ */
    CAP_SET = 1 << 8,   /* & | ^ - of sets */
    CAP_DICT = 1 << 9,  /* | of dicts */
};

static int caps_of(const Value *v) {
    switch (v->kind) {
    case VK_INT: case VK_BOOL: return CAP_ALL | CAP_NUM | CAP_INT;
    case VK_FLOAT: return CAP_ALL | CAP_NUM;
    case VK_COMPLEX: return CAP_ALL;
    case VK_STR: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE:
        return CAP_ALL | CAP_SEQ | CAP_CONT | CAP_CAT;
    case VK_LIST: case VK_BYTEARRAY: return CAP_ALL | CAP_SEQ | CAP_MUT | CAP_CONT | CAP_CAT;
    case VK_BYTES: return CAP_ALL | CAP_SEQ | CAP_CONT | CAP_CAT;
    case VK_RANGE: return CAP_ALL | CAP_SEQ | CAP_CONT;
    case VK_DICT: return CAP_ALL | CAP_SEQ | CAP_MUT | CAP_CONT | CAP_DICT;
    case VK_SET: return CAP_ALL | CAP_CONT | CAP_SET;
    case VK_FROZENSET: return CAP_ALL | CAP_CONT | CAP_SET;
    case VK_DICTVIEW: return CAP_ALL | CAP_CONT;
    case VK_ITER: case VK_PYGEN: return CAP_ALL | CAP_ITER;
    case VK_NONE: case VK_ELLIPSIS: case VK_SLICE: case VK_FUNCTION: case VK_BUILTIN: case VK_METHOD:
    case VK_MODULE: case VK_TYPE: case VK_DTYPE: case VK_DEVICE: case VK_TORCHENUM:
        return CAP_ALL;
    default: return 0; /* tensors, instances, classes: their own attribute rules */
    }
}

/* X(name, capabilities, builtin function called on (self, args...)) */
#define PY_DUNDER_CALLS(X)                                                                                    \
    X(__repr__, CAP_ALL, "repr") X(__str__, CAP_ALL, "str") X(__format__, CAP_ALL, "format")                  \
    X(__hash__, CAP_ALL, "hash") X(__len__, CAP_CONT, "len") X(__iter__, CAP_CONT | CAP_ITER, "iter")         \
    X(__next__, CAP_ITER, "next") X(__abs__, CAP_NUM, "abs") X(__bool__, CAP_NUM, "bool")                     \
    X(__int__, CAP_NUM, "int") X(__float__, CAP_NUM, "float") X(__index__, CAP_INT, "int")
/* X(name, capabilities, BinKind, reflected) */
#define PY_DUNDER_BINARY(X)                                                                                   \
    X(__add__, CAP_NUM | CAP_CAT, B_ADD, false) X(__radd__, CAP_NUM, B_ADD, true)                             \
    X(__mul__, CAP_NUM | CAP_CAT, B_MUL, false) X(__rmul__, CAP_NUM | CAP_CAT, B_MUL, true)                   \
    X(__sub__, CAP_NUM | CAP_SET, B_SUB, false) X(__rsub__, CAP_NUM | CAP_SET, B_SUB, true)                   \
    X(__truediv__, CAP_NUM, B_DIV, false) X(__rtruediv__, CAP_NUM, B_DIV, true)                               \
    X(__floordiv__, CAP_NUM, B_FLOORDIV, false) X(__rfloordiv__, CAP_NUM, B_FLOORDIV, true)                   \
    X(__mod__, CAP_NUM, B_MOD, false) X(__rmod__, CAP_NUM, B_MOD, true)                                       \
    X(__pow__, CAP_NUM, B_POW, false) X(__rpow__, CAP_NUM, B_POW, true)                                       \
    X(__and__, CAP_INT | CAP_SET, B_AND, false) X(__rand__, CAP_INT | CAP_SET, B_AND, true)                   \
    X(__or__, CAP_INT | CAP_SET | CAP_DICT, B_OR, false) X(__ror__, CAP_INT | CAP_SET | CAP_DICT, B_OR, true) \
    X(__xor__, CAP_INT | CAP_SET, B_XOR, false) X(__rxor__, CAP_INT | CAP_SET, B_XOR, true)                   \
    X(__lshift__, CAP_INT, B_LSHIFT, false) X(__rlshift__, CAP_INT, B_LSHIFT, true)                           \
    X(__rshift__, CAP_INT, B_RSHIFT, false) X(__rrshift__, CAP_INT, B_RSHIFT, true)
/* X(name, capabilities, CmpKind) */
#define PY_DUNDER_COMPARE(X)                                                                                  \
    X(__eq__, CAP_ALL, C_EQ) X(__ne__, CAP_ALL, C_NE) X(__lt__, CAP_ALL, C_LT) X(__le__, CAP_ALL, C_LE)       \
    X(__gt__, CAP_ALL, C_GT) X(__ge__, CAP_ALL, C_GE)
/* X(name, capabilities, UnaryKind) */
#define PY_DUNDER_UNARY(X) X(__neg__, CAP_NUM, U_NEG) X(__pos__, CAP_NUM, U_POS) X(__invert__, CAP_INT, U_INVERT)
/* X(name, capabilities, 'g' get / 's' set / 'd' delete / 'i' containment) */
#define PY_DUNDER_ITEMS(X)                                                                                    \
    X(__getitem__, CAP_SEQ, 'g') X(__setitem__, CAP_MUT, 's') X(__delitem__, CAP_MUT, 'd')                    \
    X(__contains__, CAP_CONT, 'i')

static bool nargs_is(const CallArgs *a, const char *name, int n) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s() takes no keyword arguments", name);
        return false;
    }
    if (a->nargs == n) return true;
    tsr_raise(ERR_TypeError, "expected %d argument%s, got %d", n, n == 1 ? "" : "s", a->nargs);
    return false;
}

/* a binary special method: the operator's result, NotImplemented where
 * the operand types do not combine */
static Value *dunder_binary(Value *self, const CallArgs *a, const char *name, BinKind op, bool reflected) {
    if (!nargs_is(a, name, 1)) return NULL;
    Value *other = a->args[0];
    if ((caps_of(self) & CAP_NUM) && other->kind != VK_INT && other->kind != VK_BOOL && other->kind != VK_FLOAT)
        return val_retain(not_implemented);
    if ((self->kind == VK_INT || self->kind == VK_BOOL) && other->kind == VK_FLOAT)
        return val_retain(not_implemented); /* int.__add__(float): float.__radd__ answers */
    Value *r = reflected ? binary_op(op, other, self) : binary_op(op, self, other);
    if (!r && tsr_err_kind() == ERR_TypeError) {
        tsr_err_clear();
        return val_retain(not_implemented);
    }
    return r;
}

/* the kinds whose == CPython's type-specific __eq__ answers itself */
static int compare_family(const Value *v) {
    switch (v->kind) {
    case VK_INT: case VK_BOOL: case VK_FLOAT: return VK_FLOAT;
    case VK_SET: case VK_FROZENSET: return VK_SET;
    case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: return VK_TUPLE;
    default: return v->kind;
    }
}

static Value *dunder_compare(Value *self, const CallArgs *a, const char *name, CmpKind op) {
    if (!nargs_is(a, name, 1)) return NULL;
    if (compare_family(self) != compare_family(a->args[0])) return val_retain(not_implemented);
    Value *r = compare_op(op, self, a->args[0]);
    if (!r && tsr_err_kind() == ERR_TypeError) {
        tsr_err_clear();
        return val_retain(not_implemented);
    }
    return r;
}

static Value *dunder_call_builtin(Value *self, const CallArgs *a, const char *fn) {
    if (a->nkw || a->nargs > 1) {
        tsr_raise(ERR_TypeError, "expected at most 1 argument, got %d", a->nargs + a->nkw);
        return NULL;
    }
    Value *f = dict_get(tsr_interp->builtins->dict, fn); /* repr, len, next, ...: always there */
    Value *args[2] = {self, a->nargs ? a->args[0] : NULL};
    CallArgs ca = {args, 1 + a->nargs, NULL, NULL, 0};
    return call_value(f, &ca);
}

static Value *dunder_item(Value *self, const CallArgs *a, const char *name, char how) {
    if (!nargs_is(a, name, how == 's' ? 2 : 1)) return NULL;
    switch (how) {
    case 'g': return get_item(self, a->args[0]);
    case 's': return set_item(self, a->args[0], a->args[1]) ? val_none() : NULL;
    case 'd': return del_item(self, a->args[0]) ? val_none() : NULL;
    default: return compare_op(C_IN, a->args[0], self);
    }
}

static Value *dunder_unary(Value *self, const CallArgs *a, const char *name, UnaryKind op) {
    return nargs_is(a, name, 0) ? unary_op(op, self) : NULL;
}

#define X(name, caps, fn) \
    static Value *py_dunder##name(Value *self, const CallArgs *a) { return dunder_call_builtin(self, a, fn); }
PY_DUNDER_CALLS(X)
#undef X
#define X(name, caps, op, reflected) \
    static Value *py_dunder##name(Value *self, const CallArgs *a) { return dunder_binary(self, a, #name, op, reflected); }
PY_DUNDER_BINARY(X)
#undef X
#define X(name, caps, op) \
    static Value *py_dunder##name(Value *self, const CallArgs *a) { return dunder_compare(self, a, #name, op); }
PY_DUNDER_COMPARE(X)
#undef X
#define X(name, caps, op) \
    static Value *py_dunder##name(Value *self, const CallArgs *a) { return dunder_unary(self, a, #name, op); }
PY_DUNDER_UNARY(X)
#undef X
#define X(name, caps, how) \
    static Value *py_dunder##name(Value *self, const CallArgs *a) { return dunder_item(self, a, #name, how); }
PY_DUNDER_ITEMS(X)
#undef X

static const struct {
    Builtin method;
    int caps;
} dunders[] = {
#define X(name, caps, ...) {{#name, py_dunder##name}, caps},
    PY_DUNDER_CALLS(X) PY_DUNDER_BINARY(X) PY_DUNDER_COMPARE(X) PY_DUNDER_UNARY(X) PY_DUNDER_ITEMS(X)
#undef X
};

const Builtin *python_dunder_lookup(Value *obj, const char *name) {
    if (name[0] != '_' || name[1] != '_') return NULL;
    int caps = caps_of(obj);
    for (size_t i = 0; i < sizeof dunders / sizeof dunders[0]; i++)
        if ((dunders[i].caps & caps) && !strcmp(dunders[i].method.name, name)) return &dunders[i].method;
    return NULL;
}
