/* class.c: classes, instances, bound methods, descriptors and super, with
 * CPython's attribute rules: a property on the class wins over the
 * instance dict, which wins over other class attributes; functions found
 * on the class bind to the instance; __getattr__ runs last. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "interp_internal.h"
#include "print_tensor.h"

Value *class_object;
Value *not_implemented;
static Value *error_classes[ERR_COUNT];

static Value *alloc_value(ValueKind kind) {
    Value *v = tsr_calloc(1, sizeof *v);
    if (!v) return NULL;
    v->kind = kind;
    v->rc = 1;
    return v;
}

/* whether a class other than object has had an __init_subclass__: until
 * one has, a new class's call of object's (which does nothing) is skipped
 * rather than looked up along a chain of any depth */
static bool init_subclass_defined;

Value *class_new(const char *name, const char *module, Value *base, Value *dict) {
    Value *v = alloc_value(VK_CLASS);
    ClassObj *c = v ? tsr_calloc(1, sizeof *c) : NULL;
    if (!c) {
        free(v);
        return NULL;
    }
    v->cls = c;
    c->module = module;
    c->name = tsr_strdup(name);
    c->dict = dict ? val_retain(dict) : val_dict_new();
    if (dict && dict_get(dict->dict, "__init_subclass__")) init_subclass_defined = true;
    c->base = val_retain(base);
    c->solid = !base;
    c->err = base ? base->cls->err : ERR_NONE;
    c->payload = base ? base->cls->payload : VK_NONE;
    if (!c->name || !c->dict) {
        val_release(v);
        return NULL;
    }
    return v;
}

Value *class_new_builtin(const char *name, const char *module, Value *base, const Builtin *methods) {
    Value *dict = val_dict_new();
    bool ok = dict != NULL;
    for (const Builtin *b = methods; ok && b->name; b++) {
        Value *m = val_builtin(b);
        ok = m && dict_set(dict->dict, b->name, m);
        val_release(m);
    }
    Value *cls = ok ? class_new(name, module, base, dict) : NULL;
    if (cls) cls->cls->solid = true; /* its instances hold C state */
    val_release(dict);
    return cls;
}

/* ---- the MRO ---- */

void mro_begin(MroWalk *w, const Value *cls) {
    w->next = cls;
    w->tuple = NULL;
    w->i = 0;
}

Value *mro_step(MroWalk *w) {
    if (w->tuple) return w->i < w->tuple->seq.len ? w->tuple->seq.items[w->i++] : NULL;
    Value *c = (Value *)w->next;
    if (!c) return NULL;
    if (c->cls->mro) w->tuple = c->cls->mro; /* a class of several bases keeps the rest of its MRO */
    else w->next = c->cls->base;
    return c;
}

Value *class_mro(const Value *cls) {
    MroWalk w;
    int64_t n = 0;
    mro_begin(&w, cls);
    while (mro_step(&w)) n++;
    Value *t = val_tuple_new(n);
    if (!t) return NULL;
    mro_begin(&w, cls);
    for (int64_t i = 0; i < n; i++) t->seq.items[i] = val_retain(mro_step(&w));
    return t;
}

Value *class_bases(const Value *cls) {
    const ClassObj *c = cls->cls;
    if (c->bases) return val_retain(c->bases);
    Value *t = val_tuple_new(c->base ? 1 : 0);
    if (t && c->base) t->seq.items[0] = val_retain(c->base);
    return t;
}

Value *class_lookup(const Value *cls, const char *name) {
    MroWalk w;
    mro_begin(&w, cls);
    for (Value *c; (c = mro_step(&w));) {
        Value *v = dict_get(c->cls->dict->dict, name);
        if (v) return v;
    }
    return NULL;
}

bool class_is_subclass(const Value *cls, const Value *base) {
    MroWalk w;
    mro_begin(&w, cls);
    for (Value *c; (c = mro_step(&w));)
        if (c == base) return true;
    return false;
}

/* CPython's solid_base: the nearest class along the __base__ chain whose
 * instances have a layout of their own (object at the latest) */
static const Value *solid_base(const Value *c) {
    while (!c->cls->solid && c->cls->base) c = c->cls->base;
    return c;
}

/* CPython's best_base: the base whose solid base derives from all the
 * others'; NULL with "multiple bases have instance lay-out conflict" */
static Value *best_base(Value *bases) {
    Value *base = NULL;
    const Value *winner = NULL;
    for (int64_t i = 0; i < bases->seq.len; i++) {
        Value *b = bases->seq.items[i];
        const Value *candidate = solid_base(b);
        if (!winner) {
            winner = candidate;
            base = b;
        } else if (class_is_subclass(winner, candidate)) {
        } else if (class_is_subclass(candidate, winner)) {
            winner = candidate;
            base = b;
        } else {
            tsr_raise(ERR_TypeError, "%s", "multiple bases have instance lay-out conflict");
            return NULL;
        }
    }
    return base;
}

/* CPython's set_mro_error: the heads of the lists left to merge, each
 * named once, in the order met */
static void mro_error(Value **lists, int64_t n, const int64_t *remain) {
    StrBuf b = {0};
    bool ok = sb_appends(&b, "Cannot create a consistent method resolution\norder (MRO) for bases");
    int64_t named = 0;
    for (int64_t i = 0; ok && i < n; i++) {
        if (remain[i] >= lists[i]->seq.len) continue;
        Value *c = lists[i]->seq.items[remain[i]];
        bool seen = false;
        for (int64_t j = 0; j < i && !seen; j++)
            seen = remain[j] < lists[j]->seq.len && lists[j]->seq.items[remain[j]] == c;
        if (seen) continue;
        ok = sb_printf(&b, "%s %s", named++ ? "," : "", c->cls->name);
    }
    if (ok) tsr_raise(ERR_TypeError, "%s", b.data);
    free(b.data);
}

/* How many of the lists to merge hold a class in their tail (after their
 * head): a table keyed by the class, so a C3 merge costs the total length
 * of the lists, a deep hierarchy's included. */
typedef struct {
    const Value **keys;
    int64_t *counts;
    size_t mask;
} TailCounts;

static int64_t *tail_count(TailCounts *t, const Value *c) {
    size_t h = ((size_t)(uintptr_t)c >> 4) * 0x9E3779B97F4A7C15ull;
    for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
        if (t->keys[i] == c) return &t->counts[i];
        if (!t->keys[i]) {
            t->keys[i] = c;
            return &t->counts[i];
        }
    }
}

/* CPython's mro_implementation for several bases: the C3 merge of the
 * bases' MROs and the list of bases (the class itself left out) */
static Value *c3_merge(Value *bases) {
    int64_t nb = bases->seq.len, n = nb + 1;
    for (int64_t i = 0; i < nb; i++)
        for (int64_t j = i + 1; j < nb; j++)
            if (bases->seq.items[i] == bases->seq.items[j]) {
                tsr_raise(ERR_TypeError, "duplicate base class %s", bases->seq.items[i]->cls->name);
                return NULL;
            }
    Value **lists = tsr_calloc((size_t)n, sizeof *lists);
    int64_t *remain = tsr_calloc((size_t)n, sizeof *remain);
    Value *out = val_list_new(0), *result = NULL;
    TailCounts tails = {0};
    bool ok = lists && remain && out;
    int64_t total = 0;
    for (int64_t i = 0; ok && i < nb; i++) {
        ok = (lists[i] = class_mro(bases->seq.items[i])) != NULL;
        if (ok) total += lists[i]->seq.len;
    }
    if (ok) {
        lists[nb] = val_retain(bases);
        size_t size = 16;
        while (size < (size_t)(total + nb) * 2) size *= 2;
        tails.mask = size - 1;
        ok = (tails.keys = tsr_calloc(size, sizeof *tails.keys)) && (tails.counts = tsr_calloc(size, sizeof *tails.counts));
    }
    for (int64_t i = 0; ok && i < n; i++)
        for (int64_t k = 1; k < lists[i]->seq.len; k++) (*tail_count(&tails, lists[i]->seq.items[k]))++;
    while (ok) {
        int64_t empty = 0;
        bool merged = false;
        for (int64_t i = 0; i < n && !merged; i++) {
            if (remain[i] >= lists[i]->seq.len) {
                empty++;
                continue;
            }
            Value *candidate = lists[i]->seq.items[remain[i]];
            if (*tail_count(&tails, candidate)) continue; /* in some list's tail */
            if (!(ok = val_list_append(out, candidate))) break;
            for (int64_t j = 0; j < n; j++)
                if (remain[j] < lists[j]->seq.len && lists[j]->seq.items[remain[j]] == candidate &&
                    ++remain[j] < lists[j]->seq.len)
                    (*tail_count(&tails, lists[j]->seq.items[remain[j]]))--; /* the list's new head */
            merged = true;
        }
        if (!ok || merged) continue;
        if (empty != n) mro_error(lists, n, remain);
        else if ((result = val_tuple_new(out->seq.len)))
            for (int64_t i = 0; i < out->seq.len; i++) result->seq.items[i] = val_retain(out->seq.items[i]);
        break;
    }
    for (int64_t i = 0; lists && i < n; i++) val_release(lists[i]);
    free(lists);
    free(remain);
    free(tails.keys);
    free(tails.counts);
    val_release(out);
    return result;
}

Value *class_new_bases(const char *name, const char *module, Value *bases, Value *dict) {
    for (int64_t i = 0; i < bases->seq.len; i++)
        if (bases->seq.items[i]->kind != VK_CLASS) {
            tsr_raise(ERR_TypeError, "%s",
                      "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the "
                      "metaclasses of all its bases");
            return NULL;
        }
    Value *base = best_base(bases);
    Value *mro = base ? c3_merge(bases) : NULL;
    Value *cls = mro ? class_new(name, module, base, dict) : NULL;
    if (cls) {
        cls->cls->bases = val_retain(bases);
        cls->cls->mro = val_retain(mro);
    }
    val_release(mro);
    return cls;
}

Value *instance_class(const Value *v) { return v->kind == VK_INSTANCE ? v->inst.cls : NULL; }

Value *class_of_error(ErrKind kind) { return kind > 0 && kind < ERR_COUNT ? error_classes[kind] : NULL; }

/* The class's __module__: the one its body holds (a class defined in
 * torch.nn's source has "torch.nn.modules.linear"), else the built-in's. */
const char *class_module(const Value *cls) {
    const ClassObj *c = cls->cls;
    Value *m = dict_get(c->dict->dict, "__module__");
    return m && m->kind == VK_STR ? m->str.s : c->module;
}

const char *class_display_name(const Value *cls, char *buf, int size) {
    const ClassObj *c = cls->cls;
    const char *module = class_module(cls);
    if (!strcmp(module, "__main__") || !strcmp(module, "builtins")) return c->name;
    snprintf(buf, (size_t)size, "%s.%s", module, c->name);
    return buf;
}

/* ---- calls with self prepended ---- */

Value *call_with_self(Value *fn, Value *self, const CallArgs *a) {
    Value *small[8];
    int n = a->nargs + 1;
    Value **args = n <= 8 ? small : tsr_malloc(sizeof(Value *) * (size_t)n);
    if (!args) return NULL;
    args[0] = self;
    for (int i = 0; i < a->nargs; i++) args[i + 1] = a->args[i];
    CallArgs b = {args, n, a->kwnames, a->kwvals, a->nkw};
    Value *r = call_value(fn, &b);
    if (args != small) free(args);
    return r;
}

Value *special_call(Value *obj, const char *name, Value *const *args, int n, bool *found) {
    Value *cls = instance_class(obj);
    Value *m = cls ? class_lookup(cls, name) : NULL;
    *found = m != NULL;
    if (!m) return NULL;
    CallArgs a = {(Value **)args, n, NULL, NULL, 0};
    if (m->kind == VK_BUILTIN) return m->builtin->fn(obj, &a);
    if (m->kind == VK_WRAPPER && m->wrap.kind == WRAP_STATICMETHOD) return call_value(m->wrap.fn, &a);
    if (m->kind == VK_WRAPPER && m->wrap.kind == WRAP_CLASSMETHOD) return call_with_self(m->wrap.fn, cls, &a);
    return call_with_self(m, obj, &a);
}

Value *instance_binary(const char *name, const char *rname, Value *a, Value *b, bool *handled) {
    bool found = false;
    *handled = false;
    if (a->kind == VK_INSTANCE && name) {
        Value *r = special_call(a, name, &b, 1, &found);
        if (found) {
            if (r != not_implemented) return *handled = true, r;
            val_release(r);
        }
    }
    if (b->kind == VK_INSTANCE && rname) {
        Value *r = special_call(b, rname, &a, 1, &found);
        if (found) {
            if (r != not_implemented) return *handled = true, r;
            val_release(r);
        }
    }
    return NULL;
}

Value *instance_iter(Value *obj, bool *by_index) {
    bool found;
    *by_index = false;
    Value *r = special_call(obj, "__iter__", NULL, 0, &found);
    if (found) {
        if (r && r->kind == VK_INSTANCE && !class_lookup(r->inst.cls, "__next__")) {
            tsr_raise(ERR_TypeError, "iter() returned non-iterator of type '%s'", val_type_name(r));
            val_release(r);
            return NULL;
        }
        return r;
    }
    if (class_lookup(obj->inst.cls, "__getitem__")) {
        *by_index = true;
        return val_retain(obj);
    }
    tsr_raise(ERR_TypeError, "'%s' object is not iterable", val_type_name(obj));
    return NULL;
}

Value *instance_next(Value *it, bool by_index, int64_t index, bool *done) {
    bool found;
    Value *r;
    *done = false;
    if (by_index) {
        Value *i = val_int(index);
        if (!i) return NULL;
        r = special_call(it, "__getitem__", &i, 1, &found);
        val_release(i);
    } else {
        r = special_call(it, "__next__", NULL, 0, &found);
        if (!found) {
            tsr_raise(ERR_TypeError, "'%s' object is not an iterator", val_type_name(it));
            return NULL;
        }
    }
    if (!r && (tsr_err_kind() == ERR_StopIteration || (by_index && tsr_err_is_a(tsr_err_kind(), ERR_IndexError)))) {
        tsr_err_clear();
        *done = true;
    }
    return r;
}

/* ---- bound methods and wrappers ---- */

static Value *bound_new(Value *fn, Value *self) {
    Value *v = alloc_value(VK_BOUND);
    if (!v) return NULL;
    v->bound.fn = val_retain(fn);
    v->bound.self = val_retain(self);
    return v;
}

Value *bound_method_new(Value *fn, Value *self) { return bound_new(fn, self); }

Value *wrapper_new(WrapperKind kind, Value *fn, Value *fset) {
    Value *v = alloc_value(VK_WRAPPER);
    if (!v) return NULL;
    v->wrap.kind = kind;
    v->wrap.fn = val_retain(fn);
    v->wrap.fset = val_retain(fset);
    return v;
}

/* property(fget, fset, fdel, doc); NULL for a missing part */
static Value *property_new(Value *fget, Value *fset, Value *fdel, Value *doc) {
    Value *v = wrapper_new(WRAP_PROPERTY, fget, fset);
    if (!v) return NULL;
    v->wrap.fdel = val_retain(fdel);
    v->wrap.doc = val_retain(doc);
    return v;
}

Value *super_new(Value *cls, Value *self) {
    Value *v = alloc_value(VK_SUPER);
    if (!v) return NULL;
    v->sup.cls = val_retain(cls);
    v->sup.self = val_retain(self);
    return v;
}

/* A class attribute as seen through an instance (self) of cls. */
static Value *bind_attr(Value *attr, Value *self, Value *cls, const char *name) {
    switch (attr->kind) {
    case VK_FUNCTION: return self ? bound_new(attr, self) : val_retain(attr);
    case VK_BUILTIN: return self ? val_method(self, attr->builtin) : val_retain(attr);
    case VK_WRAPPER:
        if (attr->wrap.kind == WRAP_STATICMETHOD) return val_retain(attr->wrap.fn);
        if (attr->wrap.kind == WRAP_CLASSMETHOD) return bound_new(attr->wrap.fn, cls);
        if (!self) return val_retain(attr);
        if (!attr->wrap.fn) {
            tsr_raise(ERR_AttributeError, "property '%s' of '%s' object has no getter", name, val_type_name(self));
            return NULL;
        }
        {
            Value *args[1] = {self};
            CallArgs a = {args, 1, NULL, NULL, 0};
            return call_value(attr->wrap.fn, &a);
        }
    default: return val_retain(attr);
    }
}

/* ---- instances ---- */

Value *instance_new(Value *cls) {
    Value *v = alloc_value(VK_INSTANCE);
    if (!v) return NULL;
    v->inst.cls = val_retain(cls);
    gc_track_instance(v);
    if (!(v->inst.dict = val_dict_new())) {
        val_release(v);
        return NULL;
    }
    if (cls->cls->err && !(v->inst.args = val_tuple_new(0))) {
        val_release(v);
        return NULL;
    }
    if ((cls->cls->payload == VK_DICT || cls->cls->payload == VK_LIST) &&
        !(v->inst.payload = cls->cls->payload == VK_DICT ? val_dict_new() : val_list_new(0))) {
        val_release(v);
        return NULL;
    }
    return v;
}

static Value *tuple_of_args(const CallArgs *a) {
    Value *t = val_tuple_new(a->nargs);
    if (!t) return NULL;
    for (int i = 0; i < a->nargs; i++) t->seq.items[i] = val_retain(a->args[i]);
    return t;
}

/* OSError.__new__: OSError(errno, strerror[, filename[, winerror[,
 * filename2]]]) is the subclass for that errno, keeps errno, strerror and
 * the file names as attributes (None when not given) and only the first
 * two in args. */
static bool os_error_new(Value *obj, const CallArgs *a) {
    static const char *const names[] = {"errno", "strerror", "filename", "filename2"};
    Value *vals[4] = {NULL, NULL, NULL, NULL};
    if (a->nargs >= 2 && a->nargs <= 5) {
        vals[0] = a->args[0], vals[1] = a->args[1];
        if (a->nargs >= 3) vals[2] = a->args[2];
        if (a->nargs == 5) vals[3] = a->args[4];
        if (a->nargs >= 3) {
            Value *t = val_tuple_new(2);
            if (!t) return false;
            t->seq.items[0] = val_retain(a->args[0]);
            t->seq.items[1] = val_retain(a->args[1]);
            val_release(obj->inst.args);
            obj->inst.args = t;
        }
    }
    Value *none = val_none();
    bool ok = true;
    for (int i = 0; ok && i < 4; i++) ok = dict_set(obj->inst.dict->dict, names[i], vals[i] ? vals[i] : none);
    val_release(none);
    return ok;
}

/* the OSError subclass CPython's OSError(errno, ...) gives for errno (a
 * subclass of OSError's own stays itself) */
static Value *os_error_class_for(Value *cls, const CallArgs *a) {
    if (cls != class_of_error(ERR_OSError) || a->nargs < 2 || a->nargs > 5 || a->args[0]->kind != VK_INT) return cls;
    Value *sub = class_of_error(os_error_kind((int)a->args[0]->i));
    return sub ? sub : cls;
}

static const Builtin object_new_builtin;
static const Builtin object_init_builtin;

Value *class_call(Value *cls, const CallArgs *a) {
    if (cls->cls->ctor) return cls->cls->ctor->fn(NULL, a);
    if (cls->cls->err && tsr_err_is_a(cls->cls->err, ERR_OSError)) cls = os_error_class_for(cls, a);
    Value *nw = class_lookup(cls, "__new__");
    Value *obj;
    bool own_new = nw && !(nw->kind == VK_BUILTIN && nw->builtin == &object_new_builtin);
    if (own_new) { /* cls.__new__(cls, *args); __init__ runs when it gave a cls */
        if (nw->kind == VK_WRAPPER && nw->wrap.kind == WRAP_STATICMETHOD) nw = nw->wrap.fn;
        if (!(obj = call_with_self(nw, cls, a))) return NULL;
        Value *oc = instance_class(obj);
        if (!oc || !class_is_subclass(oc, cls)) return obj;
        cls = oc;
    } else if (!(obj = instance_new(cls))) {
        return NULL;
    }
    if (cls->cls->err) { /* BaseException.__new__ keeps the arguments */
        val_release(obj->inst.args);
        if (!(obj->inst.args = tuple_of_args(a))) goto fail;
        if (tsr_err_is_a(cls->cls->err, ERR_OSError) && !os_error_new(obj, a)) goto fail;
    }
    Value *init = class_lookup(cls, "__init__");
    if (own_new && init && init->kind == VK_BUILTIN && init->builtin == &object_init_builtin) init = NULL;
    if (init && init->kind != VK_BUILTIN) {
        Value *r = call_with_self(init, obj, a);
        if (!r) goto fail;
        bool none = r->kind == VK_NONE;
        if (!none) tsr_raise(ERR_TypeError, "__init__() should return None, not '%s'", val_type_name(r));
        val_release(r);
        if (!none) goto fail;
    } else if (init) {
        Value *r = init->builtin->fn(obj, a);
        if (!r) goto fail;
        val_release(r);
    }
    return obj;
fail:
    val_release(obj);
    return NULL;
}

/* A C method called through its class (Exception.__init__(self, m)):
 * self is the first argument. */
static bool unbound_self(Value **self, const CallArgs **a, CallArgs *shifted, const char *owner) {
    if (*self) return true;
    if ((*a)->nargs < 1) {
        tsr_raise(ERR_TypeError, "descriptor '__init__' of '%s' object needs an argument", owner);
        return false;
    }
    *self = (*a)->args[0];
    *shifted = (CallArgs){(*a)->args + 1, (*a)->nargs - 1, (*a)->kwnames, (*a)->kwvals, (*a)->nkw};
    *a = shifted;
    return true;
}

/* object.__init__ and BaseException.__init__ */
static Value *object_init(Value *self, const CallArgs *a) {
    CallArgs shifted;
    if (!unbound_self(&self, &a, &shifted, "object")) return NULL;
    if (!a->nargs && !a->nkw) return val_none();
    Value *cls = instance_class(self);
    if (cls && class_lookup(cls, "__init__")->kind == VK_BUILTIN) /* the class has no __init__ */
        tsr_raise(ERR_TypeError, "%s() takes no arguments", cls->cls->name);
    else
        tsr_raise(ERR_TypeError, "%s", "object.__init__() takes exactly one argument (the instance to initialize)");
    return NULL;
}

static Value *exception_init(Value *self, const CallArgs *a) {
    CallArgs shifted;
    if (!unbound_self(&self, &a, &shifted, "BaseException")) return NULL;
    if (self->kind != VK_INSTANCE || !self->inst.args) {
        tsr_raise(ERR_TypeError, "descriptor '__init__' requires a 'BaseException' object but received a '%s'",
                  val_type_name(self));
        return NULL;
    }
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s() takes no keyword arguments", self->inst.cls->cls->name);
        return NULL;
    }
    Value *t = tuple_of_args(a);
    if (!t) return NULL;
    val_release(self->inst.args);
    self->inst.args = t;
    if (tsr_err_is_a(self->inst.cls->cls->err, ERR_OSError) && !os_error_new(self, a)) return NULL;
    return val_none();
}

static Value *no_attribute(const char *type, const char *name) {
    tsr_raise(ERR_AttributeError, "'%s' object has no attribute '%s'", type, name);
    return NULL;
}

/* property.getter/setter/deleter(f): a copy of the property with that
 * part replaced */
static Value *property_copy_with(Value *self, const CallArgs *a, const char *what) {
    if (a->nargs != 1 || a->nkw) {
        tsr_raise(ERR_TypeError, "%s() takes exactly one argument (%d given)", what, a->nargs);
        return NULL;
    }
    Value *f = a->args[0]->kind == VK_NONE ? NULL : a->args[0];
    return property_new(what[0] == 'g' ? f : self->wrap.fn, what[0] == 's' ? f : self->wrap.fset,
                        what[0] == 'd' ? f : self->wrap.fdel, self->wrap.doc);
}
static Value *property_getter_fn(Value *self, const CallArgs *a) { return property_copy_with(self, a, "getter"); }
static Value *property_setter_fn(Value *self, const CallArgs *a) { return property_copy_with(self, a, "setter"); }
static Value *property_deleter_fn(Value *self, const CallArgs *a) { return property_copy_with(self, a, "deleter"); }
static const Builtin property_methods[] = {
    {"getter", property_getter_fn}, {"setter", property_setter_fn}, {"deleter", property_deleter_fn}, {NULL, NULL}};

static Value *property_getattr(Value *obj, const char *name) {
    for (const Builtin *m = property_methods; m->name; m++)
        if (!strcmp(name, m->name)) return val_method(obj, m);
    const char *parts[3] = {"fget", "fset", "fdel"};
    Value *values[3] = {obj->wrap.fn, obj->wrap.fset, obj->wrap.fdel};
    for (int i = 0; i < 3; i++)
        if (!strcmp(name, parts[i])) return values[i] ? val_retain(values[i]) : val_none();
    if (!strcmp(name, "__doc__")) {
        if (obj->wrap.doc) return val_retain(obj->wrap.doc);
        return obj->wrap.fn ? get_attr(obj->wrap.fn, name) : val_none();
    }
    return no_attribute("property", name);
}

static Value *object_new(Value *self, const CallArgs *a) {
    Value *cls = a->nargs ? a->args[0] : NULL;
    if (!cls || cls->kind != VK_CLASS) {
        tsr_raise(ERR_TypeError, "object.__new__(X): X is not a type object (%s)",
                  cls ? val_type_name(cls) : "nothing");
        return NULL;
    }
    return instance_new(cls);
}

static const Builtin object_init_builtin = {"__init__", object_init};

static const Builtin object_new_builtin = {"__new__", object_new};
static const Builtin exception_init_builtin = {"__init__", exception_init};

/* ValueError.__init__(self, ...): each built-in exception class has its
 * own __init__, which names that class (self here) when the instance
 * passed is not one of its. */
static Value *exception_init_unbound(Value *cls, const CallArgs *a) {
    if (a->nargs < 1) {
        tsr_raise(ERR_TypeError, "descriptor '__init__' of '%s' object needs an argument", cls->cls->name);
        return NULL;
    }
    Value *self = a->args[0];
    if (self->kind != VK_INSTANCE || !class_is_subclass(self->inst.cls, cls)) {
        tsr_raise(ERR_TypeError, "descriptor '__init__' requires a '%s' object but received a '%s'",
                  cls->cls->name, val_type_name(self));
        return NULL;
    }
    CallArgs rest = {a->args + 1, a->nargs - 1, a->kwnames, a->kwvals, a->nkw};
    return exception_init(self, &rest);
}
static const Builtin exception_init_unbound_builtin = {"__init__", exception_init_unbound};

/* ---- attributes ---- */


/* hook(obj, name) or hook(obj, name, v): __getattr__, __setattr__,
 * __delattr__ written by the user */
static Value *call_attr_hook(Value *hook, Value *obj, const char *name, Value *v) {
    Value *key = val_cstr(name);
    if (!key) return NULL;
    Value *args[2] = {key, v};
    CallArgs a = {args, v ? 2 : 1, NULL, NULL, 0};
    Value *r = call_with_self(hook, obj, &a);
    val_release(key);
    return r;
}

/* A user descriptor: attr an instance whose class defines `method`
 * (__get__, __set__, __delete__) */
static bool has_descriptor_method(const Value *attr, const char *method) {
    return attr && attr->kind == VK_INSTANCE && class_lookup(attr->inst.cls, method);
}

/* attr.__get__(obj or None, cls) */
static Value *descriptor_get(Value *attr, Value *obj, Value *cls) {
    Value *none = val_none();
    Value *args[2] = {obj ? obj : none, cls};
    bool found;
    Value *r = special_call(attr, "__get__", args, 2, &found);
    val_release(none);
    return r;
}

bool class_set_names(Value *cls) {
    Value *items = val_list_new(0); /* the namespace's (name, value) pairs: __set_name__ may change it */
    int64_t it = 0;
    Value *k, *v;
    bool ok = items != NULL;
    while (ok && dict_next_item(cls->cls->dict->dict, &it, &k, &v))
        if (has_descriptor_method(v, "__set_name__")) ok = val_list_append(items, k) && val_list_append(items, v);
    for (int64_t i = 0; ok && i + 1 < items->seq.len; i += 2) {
        Value *args[2] = {cls, items->seq.items[i]};
        bool found;
        Value *r = special_call(items->seq.items[i + 1], "__set_name__", args, 2, &found);
        ok = r != NULL;
        val_release(r);
    }
    val_release(items);
    return ok;
}

static Value *instance_getattr(Value *obj, const char *name) {
    Value *cls = obj->inst.cls;
    if (!strcmp(name, "__class__")) return val_retain(cls);
    if (!strcmp(name, "__dict__")) return val_retain(obj->inst.dict);
    if (obj->inst.args && !strcmp(name, "args")) return val_retain(obj->inst.args);
    if (obj->inst.args && !strcmp(name, "code") && tsr_err_is_a(cls->cls->err, ERR_SystemExit) &&
        !dict_get(obj->inst.dict->dict, name))
        return exc_exit_code(obj);
    if (obj->inst.args && !strcmp(name, "value") && tsr_err_is_a(cls->cls->err, ERR_StopIteration) &&
        !dict_get(obj->inst.dict->dict, name)) /* StopIteration.value: its first argument */
        return obj->inst.args->seq.len ? val_retain(obj->inst.args->seq.items[0]) : val_none();
    Value *attr = class_lookup(cls, name);
    if (attr && attr->kind == VK_WRAPPER && attr->wrap.kind == WRAP_PROPERTY) return bind_attr(attr, obj, cls, name);
    bool getter = has_descriptor_method(attr, "__get__");
    if (getter && (has_descriptor_method(attr, "__set__") || has_descriptor_method(attr, "__delete__")))
        return descriptor_get(attr, obj, cls); /* a data descriptor wins over the instance's dict */
    Value *v = dict_get(obj->inst.dict->dict, name);
    if (v) return val_retain(v);
    if (getter) return descriptor_get(attr, obj, cls);
    if (attr) return bind_attr(attr, obj, cls, name);
    Value *ga = class_lookup(cls, "__getattr__");
    if (obj->inst.args) { /* BaseException's attributes not set yet */
        if (!strcmp(name, "__cause__") || !strcmp(name, "__context__") || !strcmp(name, "__traceback__"))
            return val_none();
        if (!strcmp(name, "__suppress_context__")) return val_bool(false);
    }
    if (obj->inst.payload) {
        Value *m = payload_method(obj, name);
        if (m || tsr_err_occurred()) return m;
    }
    if (ga) return call_attr_hook(ga, obj, name, NULL);
    return no_attribute(cls->cls->name, name);
}

/* type.mro(cls): the MRO as a list */
static Value *type_mro_fn(Value *self, const CallArgs *a) {
    if (a->nargs || a->nkw) {
        tsr_raise(ERR_TypeError, "type.mro() takes no arguments (%d given)", a->nargs + a->nkw);
        return NULL;
    }
    Value *t = class_mro(self), *l = t ? val_list_new(0) : NULL;
    bool ok = l != NULL;
    for (int64_t i = 0; ok && i < t->seq.len; i++) ok = val_list_append(l, t->seq.items[i]);
    val_release(t);
    if (!ok) val_release(l);
    return ok ? l : NULL;
}
static const Builtin type_mro_builtin = {"mro", type_mro_fn};

static Value *class_getattr(Value *cls, const char *name) {
    ClassObj *c = cls->cls;
    if (!strcmp(name, "__name__") || !strcmp(name, "__qualname__")) return val_cstr(c->name);
    if (!strcmp(name, "__module__")) return val_cstr(class_module(cls));
    if (!strcmp(name, "__dict__")) return val_retain(c->dict);
    if (!strcmp(name, "__base__")) return c->base ? val_retain(c->base) : val_none();
    if (!strcmp(name, "__bases__")) return class_bases(cls);
    if (!strcmp(name, "__mro__")) return class_mro(cls);
    Value *attr = class_lookup(cls, name);
    if (attr && attr->kind == VK_BUILTIN && attr->builtin == &exception_init_builtin) {
        Value *owner = cls; /* the nearest built-in exception class */
        while (owner->cls->base && class_of_error(owner->cls->err) != owner) owner = owner->cls->base;
        return val_method(owner, &exception_init_unbound_builtin);
    }
    if (has_descriptor_method(attr, "__get__")) return descriptor_get(attr, NULL, cls);
    if (attr) return bind_attr(attr, NULL, cls, name);
    if (!strcmp(name, "__doc__")) return val_none();
    if (!strcmp(name, "mro")) return val_method(cls, &type_mro_builtin);
    tsr_raise(ERR_AttributeError, "type object '%s' has no attribute '%s'", c->name, name);
    return NULL;
}

static Value *super_getattr(Value *sup, const char *name) {
    Value *self = sup->sup.self;
    Value *type = self->kind == VK_CLASS ? self : instance_class(self);
    Value *attr = NULL;
    MroWalk w; /* type(self).__mro__ after sup.cls */
    mro_begin(&w, type);
    for (Value *c; (c = mro_step(&w)) && c != sup->sup.cls;) {
    }
    for (Value *c; !attr && (c = mro_step(&w));) attr = dict_get(c->cls->dict->dict, name);
    if (!attr && self->kind == VK_INSTANCE && self->inst.payload) {
        Value *m = payload_method(self, name);
        if (m || tsr_err_occurred()) return m;
    }
    if (!attr) return no_attribute("super", name);
    return bind_attr(attr, self->kind == VK_CLASS ? NULL : self, type, name);
}

Value *object_getattr(Value *obj, const char *name) {
    switch (obj->kind) {
    case VK_INSTANCE: return instance_getattr(obj, name);
    case VK_CLASS: return class_getattr(obj, name);
    case VK_SUPER: return super_getattr(obj, name);
    case VK_BOUND:
        if (!strcmp(name, "__self__")) return val_retain(obj->bound.self);
        if (!strcmp(name, "__func__")) return val_retain(obj->bound.fn);
        if (!strcmp(name, "__name__") && obj->bound.fn->kind == VK_FUNCTION) return val_cstr(obj->bound.fn->fn->name);
        if (!strcmp(name, "__doc__") || !strcmp(name, "__module__") || !strcmp(name, "__qualname__"))
            return get_attr(obj->bound.fn, name);
        return no_attribute("method", name);
    case VK_WRAPPER:
        if (obj->wrap.kind == WRAP_PROPERTY) return property_getattr(obj, name);
        if (!strcmp(name, "__doc__")) return get_attr(obj->wrap.fn, name);
        if (!strcmp(name, "__func__")) return val_retain(obj->wrap.fn);
        return no_attribute(val_type_name(obj), name);
    default: return no_attribute(val_type_name(obj), name);
    }
}

/* `obj.name = v` without the class's own __setattr__: object.__setattr__ */
static bool instance_setattr(Value *obj, const char *name, Value *v) {
    Value *cls = obj->inst.cls;
    Value *attr = class_lookup(cls, name);
    if (has_descriptor_method(attr, "__set__")) {
        Value *args[2] = {obj, v};
        bool found;
        Value *r = special_call(attr, "__set__", args, 2, &found);
        val_release(r);
        return r != NULL;
    }
    if (attr && attr->kind == VK_WRAPPER && attr->wrap.kind == WRAP_PROPERTY) {
        if (!attr->wrap.fset) {
            tsr_raise(ERR_AttributeError, "property '%s' of '%s' object has no setter", name, cls->cls->name);
            return false;
        }
        Value *args[2] = {obj, v};
        CallArgs a = {args, 2, NULL, NULL, 0};
        Value *r = call_value(attr->wrap.fset, &a);
        val_release(r);
        return r != NULL;
    }
    Value *payload = obj->inst.payload;
    if (payload && payload->kind == VK_TENSOR && !strcmp(name, "__class__") && v->kind == VK_TYPE &&
        (v->type == T_TENSOR || v->type == T_PARAMETER)) {
        tensor_instance_become(obj, v->type == T_PARAMETER); /* materialize: the object is now the tensor */
        return true;
    }
    if (payload && payload->kind == VK_TENSOR &&
        (!strcmp(name, "data") || !strcmp(name, "requires_grad") || !strcmp(name, "grad")))
        return set_attr(payload, name, v->kind == VK_INSTANCE && v->inst.payload && v->inst.payload->kind == VK_TENSOR
                                           ? v->inst.payload
                                           : v); /* the tensor's own attributes */
    if (!strcmp(name, "__class__")) {
        /* CPython's object.__class__ setter: another class of the same
         * layout (built-in payload and exception kind) */
        if (v->kind != VK_CLASS) {
            tsr_raise(ERR_TypeError, "__class__ must be set to a class, not '%s' object", val_type_name(v));
            return false;
        }
        if (cls == class_object || v == class_object) {
            tsr_raise(ERR_TypeError, "%s", "__class__ assignment only supported for mutable types or ModuleType subclasses");
            return false;
        }
        if (v->cls->payload != cls->cls->payload || v->cls->err != cls->cls->err) {
            tsr_raise(ERR_TypeError, "__class__ assignment: '%s' object layout differs from '%s'", v->cls->name,
                      cls->cls->name);
            return false;
        }
        obj->inst.cls = val_retain(v);
        val_release(cls);
        return true;
    }
    if (obj->inst.args && !strcmp(name, "args")) {
        Value *t = val_tuple_new(0);
        if (!t) return false;
        val_release(obj->inst.args);
        obj->inst.args = t;
        if (v->kind == VK_TUPLE || v->kind == VK_LIST) {
            for (int64_t i = 0; i < v->seq.len; i++)
                if (!val_list_append(t, v->seq.items[i])) return false;
            return true;
        }
        return val_list_append(t, v);
    }
    if (cls == class_object) { /* object() has no __dict__ */
        tsr_raise(ERR_AttributeError, "'object' object has no attribute '%s'", name);
        return false;
    }
    return dict_set(obj->inst.dict->dict, name, v);
}

/* A method of the instance's class other than object's own: a user
 * __setattr__ or __delattr__ (NULL when the class has none). */
static Value *user_hook(Value *obj, const char *name, const Builtin *objects) {
    Value *m = class_lookup(obj->inst.cls, name);
    return m && !(m->kind == VK_BUILTIN && m->builtin == objects) ? m : NULL;
}

static const Builtin object_setattr_builtin, object_delattr_builtin;

bool object_setattr(Value *obj, const char *name, Value *v) {
    if (obj->kind == VK_CLASS && !strcmp(name, "__name__")) {
        /* a class made by a function (collections.namedtuple) takes its name */
        if (v->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "can only assign string to %s.__name__, not '%s'", obj->cls->name,
                      val_type_name(v));
            return false;
        }
        char *s = tsr_strdup(v->str.s);
        if (!s) return false;
        free(obj->cls->name);
        obj->cls->name = s;
        return true;
    }
    if (obj->kind == VK_CLASS) {
        if (!strcmp(name, "__init_subclass__")) init_subclass_defined = true;
        return dict_set(obj->cls->dict->dict, name, v);
    }
    if (obj->kind != VK_INSTANCE) {
        tsr_raise(ERR_AttributeError, "'%s' object attribute '%s' is read-only", val_type_name(obj), name);
        return false;
    }
    Value *hook = user_hook(obj, "__setattr__", &object_setattr_builtin);
    if (hook) {
        Value *r = call_attr_hook(hook, obj, name, v);
        val_release(r);
        return r != NULL;
    }
    return instance_setattr(obj, name, v);
}

/* `del obj.name` for instances and classes, through a user __delattr__ */
bool object_delattr(Value *obj, const char *name) {
    if (obj->kind == VK_INSTANCE) {
        Value *hook = user_hook(obj, "__delattr__", &object_delattr_builtin);
        if (hook) {
            Value *r = call_attr_hook(hook, obj, name, NULL);
            val_release(r);
            return r != NULL;
        }
    }
    Value *prop = obj->kind == VK_INSTANCE ? class_lookup(obj->inst.cls, name) : NULL;
    if (has_descriptor_method(prop, "__delete__")) {
        bool found;
        Value *r = special_call(prop, "__delete__", &obj, 1, &found);
        val_release(r);
        return r != NULL;
    }
    if (prop && prop->kind == VK_WRAPPER && prop->wrap.kind == WRAP_PROPERTY) {
        if (!prop->wrap.fdel) {
            tsr_raise(ERR_AttributeError, "property '%s' of '%s' object has no deleter", name, val_type_name(obj));
            return false;
        }
        Value *args[1] = {obj};
        CallArgs ca = {args, 1, NULL, NULL, 0};
        Value *r = call_value(prop->wrap.fdel, &ca);
        val_release(r);
        return r != NULL;
    }
    Dict *d = obj->kind == VK_INSTANCE ? obj->inst.dict->dict : obj->kind == VK_CLASS ? obj->cls->dict->dict : NULL;
    if (d && dict_del(d, name)) return true;
    if (obj->kind == VK_CLASS) tsr_raise(ERR_AttributeError, "type object '%s' has no attribute '%s'", obj->cls->name, name);
    else tsr_raise(ERR_AttributeError, "'%s' object has no attribute '%s'", val_type_name(obj), name);
    return false;
}

/* object.__setattr__(obj, name, v), object.__delattr__(obj, name),
 * object.__getattribute__(obj, name): the default behaviour, under any
 * override the class has */
static bool name_arg(const CallArgs *a, int n, const char *what) {
    if (a->nargs != n || a->nkw) {
        tsr_raise(ERR_TypeError, "expected %d argument%s, got %d", n, n == 1 ? "" : "s", a->nargs);
        return false;
    }
    if (a->args[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "attribute name must be string, not '%s'", val_type_name(a->args[0]));
        return false;
    }
    return true;
}

static Value *object_setattr_fn(Value *self, const CallArgs *a) {
    CallArgs shifted;
    if (!unbound_self(&self, &a, &shifted, "object") || !name_arg(a, 2, "__setattr__")) return NULL;
    bool ok = self->kind == VK_INSTANCE ? instance_setattr(self, a->args[0]->str.s, a->args[1])
                                        : set_attr(self, a->args[0]->str.s, a->args[1]);
    return ok ? val_none() : NULL;
}

static Value *object_delattr_fn(Value *self, const CallArgs *a) {
    CallArgs shifted;
    if (!unbound_self(&self, &a, &shifted, "object") || !name_arg(a, 1, "__delattr__")) return NULL;
    Dict *d = self->kind == VK_INSTANCE ? self->inst.dict->dict : NULL;
    if (d && dict_del(d, a->args[0]->str.s)) return val_none();
    return no_attribute(val_type_name(self), a->args[0]->str.s);
}

static Value *object_getattribute_fn(Value *self, const CallArgs *a) {
    CallArgs shifted;
    if (!unbound_self(&self, &a, &shifted, "object") || !name_arg(a, 1, "__getattribute__")) return NULL;
    return get_attr(self, a->args[0]->str.s);
}

static const Builtin object_setattr_builtin = {"__setattr__", object_setattr_fn};
static const Builtin object_delattr_builtin = {"__delattr__", object_delattr_fn};
static const Builtin object_getattribute_builtin = {"__getattribute__", object_getattribute_fn};

/* ---- repr and str ---- */

bool class_repr_into(StrBuf *b, const Value *cls) {
    const ClassObj *c = cls->cls;
    const char *module = class_module(cls);
    if (!strcmp(module, "builtins")) return sb_printf(b, "<class '%s'>", c->name);
    return sb_printf(b, "<class '%s.%s'>", module, c->name);
}

static bool str_result_into(StrBuf *b, Value *r, const char *what) {
    if (!r) return false;
    bool ok = r->kind == VK_STR;
    if (ok) ok = sb_append(b, r->str.s, r->str.len);
    else tsr_raise(ERR_TypeError, "%s returned non-string (type %s)", what, val_type_name(r));
    val_release(r);
    return ok;
}

bool instance_repr_into(StrBuf *b, Value *v) {
    Value *cls = v->inst.cls;
    Value *m = class_lookup(cls, "__repr__");
    if (m) {
        bool found;
        return str_result_into(b, special_call(v, "__repr__", NULL, 0, &found), "__repr__");
    }
    if (v == not_implemented) return sb_appends(b, "NotImplemented");
    if (v->inst.payload && v->inst.payload->kind == VK_TENSOR && !v->inst.payload->tensor->numpy) {
        /* _str_intern: a subclass's name as the prefix; a Parameter
         * subclass's inside Parameter's own wrapping */
        char prefix[256];
        snprintf(prefix, sizeof prefix, "%s(", cls->cls->name);
        PyBuf pb = {0};
        bool ok = tensor_repr_prefixed(&pb, v->inst.payload->tensor, prefix);
        if (ok && v->inst.payload->tensor->is_parameter)
            ok = sb_printf(b, "Parameter containing:\nParameter(%s)", pb.data);
        else if (ok)
            ok = sb_append(b, pb.data, pb.len);
        pybuf_free(&pb);
        return ok;
    }
    if (v->inst.payload) return val_repr_into(b, v->inst.payload);
    if (v->inst.args) { /* BaseException.__repr__: ValueError('x'), KeyError() */
        Value *args = v->inst.args;
        if (!sb_appends(b, cls->cls->name)) return false;
        if (args->seq.len == 1)
            return sb_appends(b, "(") && val_repr_into(b, args->seq.items[0]) && sb_appends(b, ")");
        return args->seq.len ? val_repr_into(b, args) : sb_appends(b, "()");
    }
    const char *mod = class_module(cls);
    if (!strcmp(mod, "builtins")) return sb_printf(b, "<%s object at %p>", cls->cls->name, (void *)v);
    return sb_printf(b, "<%s.%s object at %p>", mod, cls->cls->name, (void *)v);
}

/* The built-in exception class whose __str__ an exception class inherits:
 * the first of KeyError, OSError and BaseException along its MRO */
static ErrKind exception_str_owner(const Value *cls) {
    MroWalk w;
    mro_begin(&w, cls);
    for (Value *c; (c = mro_step(&w));)
        if (c == class_of_error(ERR_KeyError) || c == class_of_error(ERR_OSError)) return c->cls->err;
    return ERR_BaseException;
}

bool instance_str_into(StrBuf *b, Value *v) {
    Value *cls = v->inst.cls;
    Value *m = class_lookup(cls, "__str__");
    if (m) {
        bool found;
        return str_result_into(b, special_call(v, "__str__", NULL, 0, &found), "__str__");
    }
    if (v->inst.payload && v->inst.payload->kind == VK_STR) return val_str_into(b, v->inst.payload); /* str.__str__ */
    ErrKind owner = v->inst.args ? exception_str_owner(cls) : ERR_NONE;
    if (owner == ERR_OSError) { /* OSError.__str__ */
        Dict *d = v->inst.dict->dict;
        Value *no = dict_get(d, "errno"), *se = dict_get(d, "strerror"), *f1 = dict_get(d, "filename"),
              *f2 = dict_get(d, "filename2");
        if (no && se && f1 && f1->kind != VK_NONE) {
            if (!(sb_appends(b, "[Errno ") && val_str_into(b, no) && sb_appends(b, "] ") && val_str_into(b, se) &&
                  sb_appends(b, ": ") && val_repr_into(b, f1)))
                return false;
            return !f2 || f2->kind == VK_NONE || (sb_appends(b, " -> ") && val_repr_into(b, f2));
        }
        if (no && se && (no->kind != VK_NONE || se->kind != VK_NONE))
            return sb_appends(b, "[Errno ") && val_str_into(b, no) && sb_appends(b, "] ") && val_str_into(b, se);
    }
    if (v->inst.args) { /* BaseException.__str__ */
        Value *args = v->inst.args;
        if (args->seq.len == 0) return true;
        if (args->seq.len == 1) /* KeyError.__str__ shows the key's repr */
            return owner == ERR_KeyError ? val_repr_into(b, args->seq.items[0])
                                                              : val_str_into(b, args->seq.items[0]);
        return val_repr_into(b, args);
    }
    return instance_repr_into(b, v);
}

/* ---- super, staticmethod, classmethod, property ---- */

/* The class whose body defined the running method: the first class along
 * type(self)'s chain that holds the running function. */
static Value *defining_class(Value *start, const Function *fn) {
    MroWalk w;
    mro_begin(&w, start);
    for (Value *c; (c = mro_step(&w));) {
        int64_t it = 0;
        const char *key;
        Value *v;
        while (dict_next(c->cls->dict->dict, &it, &key, &v)) {
            if (v->kind == VK_WRAPPER) v = v->wrap.fn;
            if (v && v->kind == VK_FUNCTION && v->fn == fn) return c;
        }
    }
    return NULL;
}

static Value *py_super(Value *self_, const CallArgs *a) {
    if (a->nkw || a->nargs > 2) {
        tsr_raise(ERR_TypeError, "%s", "super() takes at most 2 arguments");
        return NULL;
    }
    if (a->nargs == 2) {
        Value *cls = a->args[0], *obj = a->args[1];
        if (cls->kind != VK_CLASS) {
            tsr_raise(ERR_TypeError, "super() argument 1 must be a type, not %s", val_type_name(cls));
            return NULL;
        }
        Value *t = obj->kind == VK_CLASS ? obj : instance_class(obj);
        if (!t || !class_is_subclass(t, cls)) {
            tsr_raise(ERR_TypeError, "%s", "super(type, obj): obj must be an instance or subtype of type");
            return NULL;
        }
        return super_new(cls, obj);
    }
    Frame *f = tsr_interp->frame;
    const Function *fn = f ? f->fn : NULL;
    if (!fn || fn->params->n < 1) {
        tsr_raise(ERR_RuntimeError, "%s", "super(): no arguments");
        return NULL;
    }
    Value *obj = dict_get(f->locals->dict, fn->params->names[0]);
    if (!obj) {
        tsr_raise(ERR_RuntimeError, "%s", "super(): arg[0] deleted");
        return NULL;
    }
    Value *t = obj->kind == VK_CLASS ? obj : instance_class(obj);
    Value *cls = t ? defining_class(t, fn) : NULL;
    if (!cls) {
        tsr_raise(ERR_RuntimeError, "%s", "super(): __class__ cell not found");
        return NULL;
    }
    return super_new(cls, obj);
}

bool class_init_subclass(Value *cls) {
    if (!init_subclass_defined) return true;
    Value *sup = super_new(cls, cls);
    Value *m = sup ? super_getattr(sup, "__init_subclass__") : NULL;
    val_release(sup);
    if (!m) return false;
    CallArgs a = {NULL, 0, NULL, NULL, 0};
    Value *r = call_value(m, &a);
    val_release(m);
    val_release(r);
    return r != NULL;
}

/* object.__init_subclass__(): does nothing and takes nothing */
static Value *object_init_subclass(Value *self, const CallArgs *a) {
    if (a->nkw) {
        Value *cls = self ? self : a->nargs ? a->args[0] : NULL;
        tsr_raise(ERR_TypeError, "%s.__init_subclass__() takes no keyword arguments",
                  cls && cls->kind == VK_CLASS ? cls->cls->name : "object");
        return NULL;
    }
    if (a->nargs > (self ? 0 : 1)) {
        tsr_raise(ERR_TypeError, "object.__init_subclass__() takes no arguments (%d given)",
                  a->nargs - (self ? 0 : 1));
        return NULL;
    }
    return val_none();
}
static const Builtin object_init_subclass_builtin = {"__init_subclass__", object_init_subclass};

static Value *make_wrapper(WrapperKind kind, const char *name, const CallArgs *a) {
    if (a->nkw || a->nargs != 1) {
        tsr_raise(ERR_TypeError, "%s expected 1 argument, got %d", name, a->nargs);
        return NULL;
    }
    return wrapper_new(kind, a->args[0], NULL);
}
static Value *py_staticmethod(Value *self, const CallArgs *a) { return make_wrapper(WRAP_STATICMETHOD, "staticmethod", a); }
static Value *py_classmethod(Value *self, const CallArgs *a) { return make_wrapper(WRAP_CLASSMETHOD, "classmethod", a); }
static Value *py_property(Value *self, const CallArgs *a) {
    if (a->nargs + a->nkw > 4) {
        tsr_raise(ERR_TypeError, "property() takes at most 4 arguments (%d given)", a->nargs + a->nkw);
        return NULL;
    }
    static const char *const names[4] = {"fget", "fset", "fdel", "doc"};
    Value *parts[4] = {NULL, NULL, NULL, NULL};
    for (int i = 0; i < a->nargs; i++) parts[i] = a->args[i];
    for (int k = 0; k < a->nkw; k++) {
        int i = 0;
        while (i < 4 && strcmp(a->kwnames[k], names[i])) i++;
        if (i == 4) {
            tsr_raise(ERR_TypeError, "property() got an unexpected keyword argument '%s'", a->kwnames[k]);
            return NULL;
        }
        if (parts[i]) {
            tsr_raise(ERR_TypeError, "argument for property() given by name ('%s') and position (%d)", names[i],
                      i + 1);
            return NULL;
        }
        parts[i] = a->kwvals[k];
    }
    for (int i = 0; i < 4; i++)
        if (parts[i] && parts[i]->kind == VK_NONE) parts[i] = NULL;
    return property_new(parts[0], parts[1], parts[2], parts[3]);
}

static const Builtin object_model_builtins[] = {
    {"super", py_super},
    {"staticmethod", py_staticmethod},
    {"classmethod", py_classmethod},
    {"property", py_property},
};

/* ---- the built-in classes ---- */

bool classes_init(Dict *builtins) {
    class_object = class_new("object", "builtins", NULL, NULL);
    if (!class_object) return false;
    Value *oi = val_builtin(&object_init_builtin);
    if (!oi || !dict_set(class_object->cls->dict->dict, "__init__", oi)) return false;
    val_release(oi);
    const Builtin *const object_methods[] = {&object_new_builtin, &object_setattr_builtin,
                                             &object_delattr_builtin, &object_getattribute_builtin};
    for (size_t i = 0; i < sizeof object_methods / sizeof *object_methods; i++) {
        Value *m = val_builtin(object_methods[i]);
        bool ok = m && dict_set(class_object->cls->dict->dict, object_methods[i]->name, m);
        val_release(m);
        if (!ok) return false;
    }
    Value *isf = val_builtin(&object_init_subclass_builtin);
    Value *isc = isf ? wrapper_new(WRAP_CLASSMETHOD, isf, NULL) : NULL;
    bool isc_ok = isc && dict_set(class_object->cls->dict->dict, "__init_subclass__", isc);
    val_release(isc);
    val_release(isf);
    if (!isc_ok) return false;
    if (!dict_set(builtins, "object", class_object) || !subclass_init()) return false;
    for (size_t i = 0; i < sizeof object_model_builtins / sizeof object_model_builtins[0]; i++) {
        Value *b = val_builtin(&object_model_builtins[i]);
        bool ok = b && dict_set(builtins, object_model_builtins[i].name, b);
        val_release(b);
        if (!ok) return false;
    }
    Value *nit = class_new("NotImplementedType", "builtins", class_object, NULL);
    not_implemented = nit ? instance_new(nit) : NULL;
    val_release(nit);
    if (!not_implemented || !dict_set(builtins, "NotImplemented", not_implemented)) return false;
    Value *ell = val_ellipsis();
    bool ell_ok = dict_set(builtins, "Ellipsis", ell);
    val_release(ell);
    if (!ell_ok) return false;
    static const struct { ErrKind kind, base; const char *module; } rows[] = {
#define X(name, base, module) {ERR_##name, ERR_##base, module},
        TSR_ERROR_KINDS(X)
#undef X
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ErrKind k = rows[i].kind;
        Value *base = rows[i].base ? error_classes[rows[i].base] : class_object;
        Value *c = class_new(tsr_err_name(k), rows[i].module, base, NULL);
        if (!c) return false;
        c->cls->err = k;
        /* the exceptions whose instances CPython lays out with fields of their own */
        c->cls->solid = k == ERR_BaseException || k == ERR_SystemExit || k == ERR_StopIteration ||
                        k == ERR_ImportError || k == ERR_OSError || k == ERR_SyntaxError ||
                        k == ERR_AttributeError || k == ERR_NameError;
        error_classes[k] = c;
        if (k == ERR_BaseException) {
            Value *ei = val_builtin(&exception_init_builtin);
            bool ok = ei && dict_set(c->cls->dict->dict, "__init__", ei);
            val_release(ei);
            if (!ok) return false;
        }
        if (!strcmp(rows[i].module, "builtins") && !dict_set(builtins, tsr_err_name(k), c)) return false;
    }
    return true;
}

/* type(v) of built-in values tsr has no type object for (list_iterator,
 * zip, map): a class of that name, made once */
static Value *named_types;

Value *class_of_type_name(const char *name) {
    if (!named_types && !(named_types = val_dict_new())) return NULL;
    Value *c = dict_get(named_types->dict, name);
    if (c) return val_retain(c);
    c = class_new(name, "builtins", class_object, NULL);
    if (c && !dict_set(named_types->dict, name, c)) {
        val_release(c);
        return NULL;
    }
    return c;
}

void classes_shutdown(void) {
    val_release(named_types);
    named_types = NULL;
    for (int k = ERR_COUNT - 1; k > 0; k--) {
        val_release(error_classes[k]);
        error_classes[k] = NULL;
    }
    val_release(not_implemented);
    not_implemented = NULL;
    subclass_shutdown();
    val_release(class_object);
    class_object = NULL;
}
