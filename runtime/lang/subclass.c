/* subclass.c: user classes derived from dict, list, str, int, float and
 * tuple. `class D(dict)`
 * gets as its base a class named dict (module builtins) whose methods are
 * the special methods of dict, working on the dict each instance holds
 * (inst.payload); a user's override comes first along the class chain, as
 * in CPython, and super().__setitem__ reaches these. The other methods
 * (keys, update, append, ...) are those of the payload itself
 * (instance_getattr's last resort), so, as in CPython, dict.update and
 * dict.get do not call an overriding __setitem__ or __getitem__.
 * An instance of a str, int, float or tuple subclass holds its immutable
 * value as payload, made once by the base's __new__ (which a user's
 * __new__ reaches through super().__new__(cls, v)); operators, len, hash,
 * format and the methods work on that value and give the base type, as
 * CPython's do. */
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "interp_internal.h"

static Value *dict_base, *list_base, *str_base, *int_base, *float_base, *tuple_base;

/* self's payload; TypeError when self is no instance of a dict or list
 * subclass (dict.__len__(5)) */
static Value *payload(Value *self, const char *method) {
    if (self && self->kind == VK_INSTANCE && self->inst.payload) return self->inst.payload;
    tsr_raise(ERR_TypeError, "descriptor '%s' requires a 'dict' or 'list' object but received a '%s'", method,
              self ? val_type_name(self) : "NoneType");
    return NULL;
}

#define ONE_ARG(name)                                                                        \
    if (a->nargs != 1 || a->nkw) {                                                           \
        tsr_raise(ERR_TypeError, "expected 1 argument, got %d", a->nargs + a->nkw);          \
        return NULL;                                                                         \
    }

static Value *sub_len(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__len__");
    if (!p) return NULL;
    return val_int(p->kind == VK_DICT ? dict_len(p->dict) : p->seq.len);
}

static Value *sub_iter(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__iter__");
    Value *iter = p ? dict_get(tsr_interp->builtins->dict, "iter") : NULL;
    if (!iter) return NULL;
    Value *args[1] = {p};
    CallArgs ca = {args, 1, NULL, NULL, 0};
    return call_value(iter, &ca);
}

static Value *sub_contains(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__contains__");
    if (!p) return NULL;
    ONE_ARG("__contains__");
    return compare_op(C_IN, a->args[0], p);
}

static Value *sub_setitem(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__setitem__");
    if (!p) return NULL;
    if (a->nargs != 2 || a->nkw) {
        tsr_raise(ERR_TypeError, "expected 2 arguments, got %d", a->nargs + a->nkw);
        return NULL;
    }
    return set_item(p, a->args[0], a->args[1]) ? val_none() : NULL;
}

static Value *sub_delitem(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__delitem__");
    if (!p) return NULL;
    ONE_ARG("__delitem__");
    return del_item(p, a->args[0]) ? val_none() : NULL;
}

static Value *sub_repr(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__repr__");
    if (!p) return NULL;
    StrBuf b = {0};
    if (!val_repr_into(&b, p)) {
        free(b.data);
        return NULL;
    }
    return val_str_steal(b.data, b.len);
}

static Value *compare_payload(Value *self, const CallArgs *a, CmpKind op, const char *name) {
    Value *p = payload(self, name);
    if (!p) return NULL;
    ONE_ARG(name);
    Value *o = val_unwrap(a->args[0]);
    if (o->kind != p->kind) return val_retain(not_implemented);
    return compare_op(op, p, o);
}
static Value *sub_eq(Value *self, const CallArgs *a) { return compare_payload(self, a, C_EQ, "__eq__"); }
static Value *sub_ne(Value *self, const CallArgs *a) { return compare_payload(self, a, C_NE, "__ne__"); }

/* dict.__getitem__: a missing key calls the class's __missing__ */
static Value *dict_sub_getitem(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__getitem__");
    if (!p) return NULL;
    ONE_ARG("__getitem__");
    if (p->kind != VK_DICT) return get_item(p, a->args[0]);
    Value *v;
    if (!dict_lookup(p->dict, a->args[0], &v)) return NULL;
    if (v) return val_retain(v);
    bool found;
    Value *r = special_call(self, "__missing__", a->args, 1, &found);
    if (!found) raise_key_error(a->args[0]);
    return r;
}

/* dict.__init__(self, mapping_or_pairs=(), **kw) updates; list.__init__
 * replaces */
static Value *sub_init(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__init__");
    if (!p) return NULL;
    Value *made = tsr_interp->hooks.type_call(p->kind == VK_DICT ? T_DICT : T_LIST, a);
    if (!made) return NULL;
    bool ok = true;
    if (p->kind == VK_DICT) {
        ok = dict_update_from(p, made);
    } else {
        for (int64_t i = 0; i < p->seq.len; i++) val_release(p->seq.items[i]);
        p->seq.len = 0;
        for (int64_t i = 0; ok && i < made->seq.len; i++) ok = val_list_append(p, made->seq.items[i]);
    }
    val_release(made);
    return ok ? val_none() : NULL;
}

/* D.fromkeys(iterable, value=None): a D, filled through its __setitem__ */
static Value *sub_fromkeys(Value *self, const CallArgs *a) {
    if (a->nargs < 2 || a->nargs > 3 || a->nkw) {
        tsr_raise(ERR_TypeError, "fromkeys expected at least 1 argument, got %d", a->nargs - 1 + a->nkw);
        return NULL;
    }
    CallArgs none_args = {0};
    Value *obj = call_value(a->args[0], &none_args);
    Value *keys = obj ? iterate_to_list(a->args[1]) : NULL;
    Value *none = val_none();
    bool ok = keys != NULL;
    for (int64_t i = 0; ok && i < keys->seq.len; i++)
        ok = set_item(obj, keys->seq.items[i], a->nargs == 3 ? a->args[2] : none);
    val_release(none);
    val_release(keys);
    if (!ok) {
        val_release(obj);
        return NULL;
    }
    return obj;
}
static const Builtin fromkeys_builtin = {"fromkeys", sub_fromkeys};

/* str.__new__(cls, *args) and the others: the base type's value made from
 * args, held by a new instance of cls */
static Value *immutable_new(Value *self, const CallArgs *a) {
    Value *cls = a->nargs ? a->args[0] : NULL;
    if (!cls || cls->kind != VK_CLASS) {
        tsr_raise(ERR_TypeError, "__new__(X): X is not a type object (%s)", cls ? val_type_name(cls) : "nothing");
        return NULL;
    }
    ValueKind k = cls->cls->payload;
    TypeId t = k == VK_STR ? T_STR : k == VK_INT ? T_INT : k == VK_FLOAT ? T_FLOAT : k == VK_TUPLE ? T_TUPLE : T_COUNT;
    if (t == T_COUNT) {
        tsr_raise(ERR_TypeError, "%s is not a subtype of a built-in immutable type", cls->cls->name);
        return NULL;
    }
    CallArgs rest = {a->args + 1, a->nargs - 1, a->kwnames, a->kwvals, a->nkw};
    Value *v = tsr_interp->hooks.type_call(t, &rest);
    if (!v) return NULL;
    if (v->kind == VK_BOOL) { /* int(True) is 1 */
        Value *i = val_int(v->b);
        val_release(v);
        if (!(v = i)) return NULL;
    }
    Value *obj = instance_new(cls);
    if (!obj) {
        val_release(v);
        return NULL;
    }
    obj->inst.payload = v;
    return obj;
}

/* __init__ of str, int, float, tuple: __new__ did the work */
static Value *immutable_init(Value *self, const CallArgs *a) { return val_none(); }

static Value *sub_getitem(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__getitem__");
    if (!p) return NULL;
    ONE_ARG("__getitem__");
    return get_item(p, a->args[0]);
}

static Value *sub_hash(Value *self, const CallArgs *a) {
    Value *p = payload(self, "__hash__");
    int64_t h;
    return p && val_hash(p, &h) ? val_int(h) : NULL;
}

static const Builtin sequence_methods[] = {
    {"__init__", immutable_init}, {"__len__", sub_len},         {"__iter__", sub_iter}, {"__contains__", sub_contains},
    {"__getitem__", sub_getitem}, {"__hash__", sub_hash},       {NULL, NULL}};
static const Builtin number_methods[] = {{"__init__", immutable_init}, {"__hash__", sub_hash}, {NULL, NULL}};
static const Builtin immutable_new_builtin = {"__new__", immutable_new};

static const Builtin methods[] = {
    {"__init__", sub_init},       {"__len__", sub_len},     {"__iter__", sub_iter},
    {"__contains__", sub_contains}, {"__getitem__", dict_sub_getitem}, {"__setitem__", sub_setitem},
    {"__delitem__", sub_delitem}, {"__repr__", sub_repr},   {"__eq__", sub_eq},
    {"__ne__", sub_ne},           {NULL, NULL}};
static Value *make_base(const char *name, ValueKind kind) {
    Value *cls = class_new(name, "builtins", class_object, NULL);
    if (!cls) return NULL;
    cls->cls->payload = kind;
    cls->cls->solid = true;
    bool ok = true;
    bool mutable = kind == VK_DICT || kind == VK_LIST;
    const Builtin *table = mutable ? methods : kind == VK_STR || kind == VK_TUPLE ? sequence_methods : number_methods;
    if (!mutable) { /* __new__ is a static method */
        Value *fn = val_builtin(&immutable_new_builtin);
        Value *sm = fn ? wrapper_new(WRAP_STATICMETHOD, fn, NULL) : NULL;
        ok = sm && dict_set(cls->cls->dict->dict, "__new__", sm);
        val_release(sm);
        val_release(fn);
    }
    for (const Builtin *b = table; ok && b->name; b++) {
        Value *m = val_builtin(b);
        ok = m && dict_set(cls->cls->dict->dict, b->name, m);
        val_release(m);
    }
    if (ok && kind == VK_DICT) {
        Value *fn = val_builtin(&fromkeys_builtin);
        Value *cm = fn ? wrapper_new(WRAP_CLASSMETHOD, fn, NULL) : NULL;
        ok = cm && dict_set(cls->cls->dict->dict, "fromkeys", cm);
        val_release(cm);
        val_release(fn);
    }
    if (mutable) { /* dicts and lists are unhashable, their subclasses too */
        Value *none = val_none();
        ok = ok && dict_set(cls->cls->dict->dict, "__hash__", none);
        val_release(none);
    }
    if (!ok) {
        val_release(cls);
        return NULL;
    }
    return cls;
}

bool subclass_init(void) {
    return (dict_base = make_base("dict", VK_DICT)) && (list_base = make_base("list", VK_LIST)) &&
           (str_base = make_base("str", VK_STR)) && (int_base = make_base("int", VK_INT)) &&
           (float_base = make_base("float", VK_FLOAT)) && (tuple_base = make_base("tuple", VK_TUPLE));
}

void subclass_shutdown(void) {
    Value **bases[] = {&dict_base, &list_base, &str_base, &int_base, &float_base, &tuple_base};
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
        val_release(*bases[i]);
        *bases[i] = NULL;
    }
}

Value *class_builtin_base(TypeId t) {
    switch (t) {
    case T_DICT: return dict_base;
    case T_LIST: return list_base;
    case T_STR: return str_base;
    case T_INT: return int_base;
    case T_FLOAT: return float_base;
    case T_TUPLE: return tuple_base;
    default: return NULL;
    }
}

Value *payload_method(Value *obj, const char *name) {
    const Builtin *m = obj->inst.payload ? tsr_interp->hooks.python_method(obj->inst.payload, name) : NULL;
    return m ? val_method(obj->inst.payload, m) : NULL;
}
