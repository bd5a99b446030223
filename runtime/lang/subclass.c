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
#include "ops.h"
#include "traceback.h"

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

/* ---- subclasses of torch.Tensor and nn.Parameter ----
 * An instance holds its tensor as payload (a Parameter's has
 * is_parameter), made by the base's __new__ or torch.Tensor._make_subclass.
 * Its tensor methods and the operators below go through the class's
 * __torch_function__ (PyTorch's protocol): the default one (torch.Tensor's)
 * calls the method on the payload and makes a tensor result an instance
 * of the class; nn.Parameter's is _disabled_torch_function_impl (plain
 * results). The tensor's other attributes (dtype, requires_grad, data,
 * grad, ...) are the payload's; `obj.__class__ = nn.Parameter` (or
 * torch.Tensor) turns the object itself into that tensor, as
 * UninitializedParameter.materialize does. */

static Value *tensorbase_base, *tensor_base, *parameter_base;
bool tsr_tensor_subclass_used = false;

bool class_is_tensor_subclass(const Value *cls) { return cls->kind == VK_CLASS && cls->cls->payload == VK_TENSOR; }

static bool is_parameter_class(const Value *cls) { return parameter_base && class_is_subclass(cls, parameter_base); }

/* a new instance of cls (a tensor subclass) holding the tensor value v */
static Value *tensor_instance(Value *cls, Value *v) {
    Value *obj = instance_new(cls);
    if (!obj) return NULL;
    tsr_tensor_subclass_used = true;
    obj->inst.payload = val_retain(v);
    return obj;
}

Value *tensor_make_subclass(Value *cls, Tensor *data, bool requires_grad) {
    if (!class_is_tensor_subclass(cls)) {
        tsr_raise(ERR_TypeError, "cls must be a type (got %s)", val_type_name(cls));
        return NULL;
    }
    Tensor *t = tensor_alias(data);
    if (!t) return NULL;
    t->requires_grad = requires_grad;
    t->is_parameter = is_parameter_class(cls);
    Value *v = val_tensor_steal(t), *obj = v ? tensor_instance(cls, v) : NULL;
    val_release(v);
    return obj;
}

/* t.as_subclass(cls): an alias of t (AliasBackward0 when t requires grad)
 * as an instance of cls: torch.Tensor itself gives the alias, nn.Parameter
 * a Parameter, a subclass an instance of it */
Value *tensor_as_subclass(Tensor *t, Value *cls) {
    bool plain = cls->kind == VK_TYPE && (cls->type == T_TENSOR || cls->type == T_PARAMETER);
    if (cls->kind != VK_TYPE && cls->kind != VK_CLASS) {
        tsr_raise(ERR_TypeError, "cls must be a type (got %s)", val_type_name(cls));
        return NULL;
    }
    if (!plain && !class_is_tensor_subclass(cls)) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "Creating a Tensor subclass from a class that does not inherit from Tensor is not possible. Make "
                  "sure your class inherits from Tensor.");
        return NULL;
    }
    Tensor *al = op_make_view(t, t->ndim, t->shape, t->stride, t->offset, NODE_AliasBackward0);
    if (!al) return NULL;
    al->is_parameter = plain ? cls->type == T_PARAMETER : is_parameter_class(cls);
    Value *v = val_tensor_steal(al);
    if (!v || plain) return v;
    Value *obj = tensor_instance(cls, v);
    val_release(v);
    return obj;
}

/* Tensor.__new__(cls, *args) and Parameter.__new__(cls, data=None,
 * requires_grad=True): the base's value, held by a new instance of cls */
static Value *tensor_sub_new(Value *self, const CallArgs *a) {
    Value *cls = a->nargs ? a->args[0] : NULL;
    if (!cls || !class_is_tensor_subclass(cls)) {
        tsr_raise(ERR_TypeError, "__new__(X): X is not a type object (%s)", cls ? val_type_name(cls) : "nothing");
        return NULL;
    }
    CallArgs rest = {a->args + 1, a->nargs - 1, a->kwnames, a->kwvals, a->nkw};
    Value *v = tsr_interp->hooks.type_call(is_parameter_class(cls) ? T_PARAMETER : T_TENSOR, &rest);
    if (!v) return NULL;
    Value *obj = v->kind == VK_TENSOR ? tensor_instance(cls, v) : NULL;
    if (v->kind != VK_TENSOR) tsr_raise(ERR_TypeError, "%s", "expected a tensor");
    val_release(v);
    return obj;
}

/* torch.Tensor.<name> as a method descriptor (<method 'add' of
 * 'torch._C._TensorBase' objects>): called with an instance first, it runs
 * on the payload */
static Value *tensor_descriptor(const char *name) {
    const Builtin *m = tsr_interp->hooks.tensor_method(name);
    return m ? tensor_method_descriptor(m) : NULL;
}

/* type(obj).__torch_function__(func, (type(obj),), args, kwargs) */
static Value *torch_function_dispatch(Value *func, Value *obj, const CallArgs *a) {
    Value *cls = instance_class(obj);
    Value *tf = cls ? get_attr(cls, "__torch_function__") : NULL;
    Value *types = tf ? val_tuple_new(1) : NULL, *args = types ? val_tuple_new(a->nargs) : NULL;
    Value *kw = args ? (a->nkw ? val_dict_new() : val_none()) : NULL, *r = NULL;
    if (!kw) goto done;
    types->seq.items[0] = val_retain(cls);
    for (int i = 0; i < a->nargs; i++) args->seq.items[i] = val_retain(a->args[i]);
    for (int i = 0; i < a->nkw; i++) {
        if (!dict_set(kw->dict, a->kwnames[i], a->kwvals[i])) goto done;
    }
    Value *cargs[4] = {func, types, args, kw};
    CallArgs ca = {cargs, 4, NULL, NULL, 0};
    r = call_value(tf, &ca);
done:
    val_release(tf);
    val_release(types);
    val_release(args);
    val_release(kw);
    return r;
}

Value *tensor_torch_function_call(Value *func, Value *obj, const CallArgs *a) {
    return torch_function_dispatch(func, obj, a);
}

Value *tensor_torch_function_self(Value *func, Value *obj, Value *first, const CallArgs *a) {
    Value **items = tsr_calloc((size_t)a->nargs + 1, sizeof *items), *r = NULL;
    if (!items) return NULL;
    items[0] = first;
    for (int i = 0; i < a->nargs; i++) items[i + 1] = a->args[i];
    CallArgs ca = {items, a->nargs + 1, a->kwnames, a->kwvals, a->nkw};
    r = torch_function_dispatch(func, obj, &ca);
    free(items);
    return r;
}

Value *tensor_method_descriptor(const Builtin *m) {
    Value *t = val_type(T_TENSOR), *d = t ? val_method(t, m) : NULL;
    val_release(t);
    return d;
}

/* obj.method(...) through __torch_function__: self is the descriptor, the
 * instance comes first among the arguments */
static Value *tensor_method_call(Value *self, const CallArgs *a) {
    if (a->nargs < 1) {
        tsr_raise(ERR_TypeError, "%s", "a tensor method needs its tensor");
        return NULL;
    }
    return torch_function_dispatch(self, a->args[0], a);
}
static const Builtin tensor_method_call_builtin = {"__torch_function_call__", tensor_method_call};

/* the payload's attribute: a tensor method bound through __torch_function__,
 * else the tensor's attribute (dtype, data, grad, ...) */
static Value *tensor_payload_attr(Value *obj, const char *name) {
    Value *d = tensor_descriptor(name);
    if (!d) {
        Value *r = get_attr(obj->inst.payload, name);
        if (!r && tsr_err_kind() == ERR_AttributeError) tsr_err_clear(); /* the class's own message */
        return r;
    }
    Value *caller = val_method(d, &tensor_method_call_builtin);
    val_release(d);
    Value *bound = caller ? bound_method_new(caller, obj) : NULL;
    val_release(caller);
    return bound;
}

/* x's tensor when x is an instance of a tensor subclass, else x */
static Value *tensor_payload_of(Value *x) {
    return x->kind == VK_INSTANCE && x->inst.payload && x->inst.payload->kind == VK_TENSOR ? x->inst.payload : x;
}

/* a list or tuple of x's items with the instances' tensors (new) */
static Value *unwrap_seq(Value *x) {
    Value *l = val_list_new(x->seq.len);
    for (int64_t i = 0; l && i < x->seq.len; i++)
        if (!val_list_append(l, tensor_payload_of(x->seq.items[i]))) {
            val_release(l);
            return NULL;
        }
    if (l && x->kind == VK_TUPLE) val_list_become(l, VK_TUPLE);
    return l;
}

/* Tensor.__torch_function__ (convert: results become the class's
 * instances) and Parameter's _disabled_torch_function_impl: func called
 * with the instances' payloads */
static Value *torch_function_impl(const CallArgs *a, bool convert) {
    static const char *const names[] = {"cls", "func", "types", "args", "kwargs"};
    Value *v[5] = {NULL, NULL, NULL, NULL, NULL};
    for (int i = 0; i < a->nargs && i < 5; i++) v[i] = a->args[i];
    for (int k = 0; k < a->nkw; k++)
        for (int i = 0; i < 5; i++)
            if (!strcmp(a->kwnames[k], names[i])) v[i] = a->kwvals[k];
    if (!v[0] || !v[1]) {
        tsr_raise(ERR_TypeError, "%s", "__torch_function__() missing required argument 'func'");
        return NULL;
    }
    Value *args = v[3] && v[3]->kind == VK_TUPLE ? v[3] : NULL, *kw = v[4] && v[4]->kind == VK_DICT ? v[4] : NULL;
    int n = args ? (int)args->seq.len : 0, nkw = kw ? (int)dict_len(kw->dict) : 0;
    Value **items = tsr_calloc((size_t)(n + nkw + 1), sizeof *items), **temps = NULL;
    const char **kn = tsr_calloc((size_t)nkw + 1, sizeof *kn);
    Value *r = NULL;
    if (!items || !kn) goto done;
    temps = tsr_calloc((size_t)n + 1, sizeof *temps);
    if (!temps) goto done;
    for (int i = 0; i < n; i++) { /* the instances' tensors, in lists and tuples too */
        Value *x = args->seq.items[i];
        items[i] = tensor_payload_of(x);
        if ((x->kind == VK_LIST || x->kind == VK_TUPLE) && !(items[i] = temps[i] = unwrap_seq(x))) goto done;
    }
    if (kw) {
        int k = 0;
        for (int64_t pos = 0; k < nkw;) {
            Value *key, *val;
            if (!dict_next_item(kw->dict, &pos, &key, &val)) break;
            if (key->kind != VK_STR) continue;
            kn[k] = key->str.s;
            items[n + k] = val;
            k++;
        }
        nkw = k;
    }
    CallArgs ca = {items, n, kn, items + n, nkw};
    Value *func = v[1];
    if (func->kind == VK_METHOD && func->method.self->kind == VK_TYPE && func->method.self->type == T_TENSOR && n > 0) {
        CallArgs rest = {items + 1, n - 1, kn, items + n, nkw};
        r = func->method.builtin->fn(items[0], &rest);
    } else {
        r = call_value(func, &ca);
    }
    if (r && n > 0 && args->seq.items[0] != items[0] && r == items[0]) { /* self returned: the object itself */
        val_release(r);
        r = val_retain(args->seq.items[0]);
    } else if (r && convert && r->kind == VK_TENSOR && !r->tensor->numpy && class_is_tensor_subclass(v[0])) {
        /* _convert: ret.as_subclass(cls), an alias (AliasBackward0) */
        Tensor *t = r->tensor, *al = op_make_view(t, t->ndim, t->shape, t->stride, t->offset, NODE_AliasBackward0);
        Value *av = al ? val_tensor_steal(al) : NULL, *o = av ? tensor_instance(v[0], av) : NULL;
        val_release(av);
        val_release(r);
        r = o;
    }
done:
    for (int i = 0; temps && i < n; i++) val_release(temps[i]);
    free(temps);
    free(items);
    free(kn);
    return r;
}
static Value *tensor_torch_function(Value *self, const CallArgs *a) { return torch_function_impl(a, true); }
static Value *parameter_torch_function(Value *self, const CallArgs *a) { return torch_function_impl(a, false); }
static const Builtin tensor_torch_function_builtin = {"__torch_function__", tensor_torch_function};
static const Builtin parameter_torch_function_builtin = {"__torch_function__", parameter_torch_function};

/* the operators of a tensor subclass: Tensor.__add__ is its add, through
 * __torch_function__ (the reversed forms of the commutative ones too) */
#define TENSOR_OPS(X)                                                                             \
    X(__add__, "add") X(__radd__, "add") X(__sub__, "sub") X(__mul__, "mul") X(__rmul__, "mul")   \
    X(__truediv__, "div") X(__matmul__, "matmul") X(__pow__, "pow") X(__neg__, "neg")            \
    X(__abs__, "abs")
#define TENSOR_OP_FN(dunder, method)                                  \
    static Value *tensor_op##dunder(Value *self, const CallArgs *a) { \
        Value *d = tensor_descriptor(method);                         \
        Value *r = d ? tensor_torch_function_self(d, self, self, a) : NULL; \
        val_release(d);                                               \
        return r;                                                     \
    }
TENSOR_OPS(TENSOR_OP_FN)
#undef TENSOR_OP_FN

/* the slots a tensor has no method for (Tensor.__getitem__, __len__,
 * ...): their descriptors run the language's operation on the payload */
static Value *slot_getitem(Value *self, const CallArgs *a) {
    ONE_ARG("__getitem__");
    return get_item(self, a->args[0]);
}
static Value *slot_setitem(Value *self, const CallArgs *a) {
    if (a->nargs != 2 || a->nkw) {
        tsr_raise(ERR_TypeError, "expected 2 arguments, got %d", a->nargs + a->nkw);
        return NULL;
    }
    return set_item(self, a->args[0], a->args[1]) ? val_none() : NULL;
}
static Value *slot_builtin_call(const char *name, Value *self) {
    Value *fn = dict_get(tsr_interp->builtins->dict, name);
    if (!fn) return NULL;
    CallArgs ca = {&self, 1, NULL, NULL, 0};
    return call_value(fn, &ca);
}
static Value *slot_len(Value *self, const CallArgs *a) { return slot_builtin_call("len", self); }
static Value *slot_iter(Value *self, const CallArgs *a) { return slot_builtin_call("iter", self); }
#define TENSOR_SLOTS(X) X(__getitem__, slot_getitem) X(__setitem__, slot_setitem) X(__len__, slot_len) X(__iter__, slot_iter)
#define TENSOR_SLOT_FN(dunder, fn)                                                          \
    static const Builtin slot_builtin##dunder = {#dunder, fn};                              \
    static Value *tensor_slot##dunder(Value *self, const CallArgs *a) {                     \
        Value *d = tensor_method_descriptor(&slot_builtin##dunder);                         \
        Value *r = d ? tensor_torch_function_self(d, self, self, a) : NULL;                 \
        val_release(d);                                                                     \
        return r;                                                                           \
    }
TENSOR_SLOTS(TENSOR_SLOT_FN)
#undef TENSOR_SLOT_FN

static const Builtin tensor_methods[] = {
#define TENSOR_OP_ROW(dunder, method) {#dunder, tensor_op##dunder},
    TENSOR_OPS(TENSOR_OP_ROW)
#undef TENSOR_OP_ROW
#define TENSOR_SLOT_ROW(dunder, fn) {#dunder, tensor_slot##dunder},
    TENSOR_SLOTS(TENSOR_SLOT_ROW)
#undef TENSOR_SLOT_ROW
    {"__init__", immutable_init}, {NULL, NULL}};
static const Builtin tensor_new_builtin = {"__new__", tensor_sub_new};

/* a tensor base class: __new__ (static), __torch_function__ (a class
 * method), the operators */
static Value *make_tensor_base(const char *name, const char *module, Value *base, const Builtin *torch_function,
                               const Builtin *methods) {
    Value *cls = class_new(name, module, base, NULL);
    if (!cls) return NULL;
    cls->cls->payload = VK_TENSOR;
    cls->cls->solid = true;
    bool ok = true;
    struct { const Builtin *b; WrapperKind kind; } wrapped[2] = {{&tensor_new_builtin, WRAP_STATICMETHOD},
                                                                 {torch_function, WRAP_CLASSMETHOD}};
    for (int i = 0; ok && i < 2; i++) {
        if (!wrapped[i].b) continue;
        Value *fn = val_builtin(wrapped[i].b), *w = fn ? wrapper_new(wrapped[i].kind, fn, NULL) : NULL;
        ok = w && dict_set(cls->cls->dict->dict, wrapped[i].b->name, w);
        val_release(w);
        val_release(fn);
    }
    for (const Builtin *b = methods; ok && b && b->name; b++) {
        Value *m = val_builtin(b);
        ok = m && dict_set(cls->cls->dict->dict, b->name, m);
        val_release(m);
    }
    if (!ok) {
        val_release(cls);
        return NULL;
    }
    return cls;
}

static bool tensor_bases_init(void) {
    tensorbase_base = class_new("_TensorBase", "torch._C", class_object, NULL);
    if (!tensorbase_base) return false;
    tensorbase_base->cls->payload = VK_TENSOR;
    tensorbase_base->cls->solid = true;
    tensor_base = make_tensor_base("Tensor", "torch", tensorbase_base, &tensor_torch_function_builtin, tensor_methods);
    parameter_base = tensor_base ? make_tensor_base("Parameter", "torch.nn.parameter", tensor_base,
                                                    &parameter_torch_function_builtin, NULL)
                                 : NULL;
    return parameter_base != NULL;
}

/* obj (an instance of a tensor subclass) becomes the tensor it holds, in
 * place, a Parameter when param: every reference to it now sees that
 * tensor (`self.__class__ = self.cls_to_become`) */
void tensor_instance_become(Value *obj, bool param) {
    Tensor *t = tensor_retain(obj->inst.payload->tensor);
    t->is_parameter = param;
    instance_clear(obj);
    obj->kind = VK_TENSOR;
    obj->tensor = t;
}

bool subclass_init(void) {
    return (dict_base = make_base("dict", VK_DICT)) && (list_base = make_base("list", VK_LIST)) &&
           (str_base = make_base("str", VK_STR)) && (int_base = make_base("int", VK_INT)) &&
           (float_base = make_base("float", VK_FLOAT)) && (tuple_base = make_base("tuple", VK_TUPLE)) &&
           tensor_bases_init();
}

void subclass_shutdown(void) {
    Value **bases[] = {&dict_base, &list_base, &str_base, &int_base, &float_base, &tuple_base,
                       &parameter_base, &tensor_base, &tensorbase_base};
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
    case T_TENSOR: return tensor_base;
    case T_PARAMETER: return parameter_base;
    default: return NULL;
    }
}

Value *payload_method(Value *obj, const char *name) {
    if (obj->inst.payload && obj->inst.payload->kind == VK_TENSOR) return tensor_payload_attr(obj, name);
    const Builtin *m = obj->inst.payload ? tsr_interp->hooks.python_method(obj->inst.payload, name) : NULL;
    return m ? val_method(obj->inst.payload, m) : NULL;
}
