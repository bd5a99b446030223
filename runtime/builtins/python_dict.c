/* python_dict.c: the methods of dict, set and frozenset, their
 * constructors (dict(...), set(...), frozenset(...)) and their operators
 * (d1 | d2, s1 & s2, s1 <= s2, ...), with CPython's results, orders and
 * error messages. */
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"


/* ---------------------------------------------------------------- dict */

static bool dict_update_kw(Value *d, const CallArgs *a) {
    for (int i = 0; i < a->nkw; i++)
        if (!dict_set(d->dict, a->kwnames[i], a->kwvals[i])) return false;
    return true;
}

Value *dict_from_args(const CallArgs *a) {
    Value *d = val_dict_new();
    if (!d) return NULL;
    if ((a->nargs && !dict_update_from(d, a->args[0])) || !dict_update_kw(d, a)) {
        val_release(d);
        return NULL;
    }
    return d;
}

static Value *dict_keys(Value *self, const CallArgs *a) { return val_dict_view(self, 0); }
static Value *dict_values(Value *self, const CallArgs *a) { return val_dict_view(self, 1); }
static Value *dict_items(Value *self, const CallArgs *a) { return val_dict_view(self, 2); }

static Value *dict_get_m(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("get", "key, default=");
    Value *v;
    if (!dict_lookup(self->dict, v_[0], &v)) return NULL;
    if (v) return val_retain(v);
    return v_[1] ? val_retain(v_[1]) : val_none();
}

static Value *dict_setdefault(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("setdefault", "key, default=");
    Value *v;
    if (!dict_lookup(self->dict, v_[0], &v)) return NULL;
    if (v) return val_retain(v);
    Value *dflt = v_[1] ? val_retain(v_[1]) : val_none();
    if (!dict_setv(self->dict, v_[0], dflt)) {
        val_release(dflt);
        return NULL;
    }
    return dflt;
}

static Value *dict_pop(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("pop", "key, default=");
    Value *v;
    int r = dict_delv(self->dict, v_[0], &v);
    if (r < 0) return NULL;
    if (r) return v;
    if (v_[1]) return val_retain(v_[1]);
    raise_key_error(v_[0]);
    return NULL;
}

static Value *dict_popitem(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("popitem", "");
    Value *k, *v;
    if (!dict_pop_last(self->dict, &k, &v)) {
        tsr_raise(ERR_KeyError, "%s", "'popitem(): dictionary is empty'");
        return NULL;
    }
    Value *t = val_tuple_new(2);
    if (!t) {
        val_release(k);
        val_release(v);
        return NULL;
    }
    t->seq.items[0] = k;
    t->seq.items[1] = v;
    return t;
}

static Value *dict_update(Value *self, const CallArgs *a) {
    if (a->nargs > 1) {
        tsr_raise(ERR_TypeError, "update expected at most 1 argument, got %d", a->nargs);
        return NULL;
    }
    if ((a->nargs && !dict_update_from(self, a->args[0])) || !dict_update_kw(self, a)) return NULL;
    return val_none();
}

static Value *dict_copy(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("copy", "");
    Value *d = val_dict_new();
    if (d && !dict_update_from(d, self)) {
        val_release(d);
        return NULL;
    }
    return d;
}

static Value *dict_clear_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("clear", "");
    dict_clear(self->dict);
    return val_none();
}

/* dict.fromkeys(iterable, value=None) */
static Value *dict_fromkeys(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("fromkeys", "iterable, value=");
    Value *keys = iterate_to_list(v_[0]);
    Value *d = keys ? val_dict_new() : NULL;
    Value *none = val_none();
    for (int64_t i = 0; d && i < keys->seq.len; i++)
        if (!dict_setv(d->dict, keys->seq.items[i], v_[1] ? v_[1] : none)) {
            val_release(d);
            d = NULL;
        }
    val_release(none);
    val_release(keys);
    return d;
}
const Builtin dict_fromkeys_builtin = {"fromkeys", dict_fromkeys};

/* ----------------------------------------------------------------- set */

Value *set_from_args(bool frozen, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s() takes no keyword arguments", frozen ? "frozenset" : "set");
        return NULL;
    }
    if (frozen && a->nargs && a->args[0]->kind == VK_FROZENSET) return val_retain(a->args[0]);
    Value *s = val_set_new(frozen);
    if (s && a->nargs && !set_update_from(s, a->args[0])) {
        val_release(s);
        return NULL;
    }
    return s;
}

static Value *set_add_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("add", "elem");
    return set_add(self, v_[0]) ? val_none() : NULL;
}

static Value *set_remove_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("remove", "elem");
    int r = set_discard(self, v_[0]);
    if (r == 0) raise_key_error(v_[0]);
    return r > 0 ? val_none() : NULL;
}

static Value *set_discard_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("discard", "elem");
    return set_discard(self, v_[0]) < 0 ? NULL : val_none();
}

static Value *set_pop_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("pop", "");
    return set_pop(self);
}

static Value *set_clear_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("clear", "");
    set_clear(self);
    return val_none();
}

static Value *set_copy_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("copy", "");
    if (self->kind == VK_FROZENSET) return val_retain(self);
    return set_copy(self, false);
}

static bool no_keywords(const CallArgs *a, const char *name) {
    if (!a->nkw) return true;
    tsr_raise(ERR_TypeError, "set.%s() takes no keyword arguments", name);
    return false;
}

/* discards every item of other from s */
static bool discard_all(Value *s, Value *other) {
    Value *o = set_of(other);
    if (!o) return false;
    int64_t it = 0;
    Value *k;
    bool ok = true;
    while (ok && set_next(o, &it, &k)) ok = set_discard(s, k) >= 0;
    val_release(o);
    return ok;
}

/* set_union: a copy of self, then each argument's items */
static Value *set_union_m(Value *self, const CallArgs *a) {
    if (!no_keywords(a, "union")) return NULL;
    Value *r = set_copy(self, self->kind == VK_FROZENSET);
    for (int i = 0; r && i < a->nargs; i++)
        if (!set_update_from(r, a->args[i])) {
            val_release(r);
            r = NULL;
        }
    return r;
}

/* set_intersection_multi: self & each argument in turn */
static Value *set_intersection_m(Value *self, const CallArgs *a) {
    if (!no_keywords(a, "intersection")) return NULL;
    bool frozen = self->kind == VK_FROZENSET;
    if (!a->nargs) return set_copy(self, frozen);
    Value *r = val_retain(self);
    for (int i = 0; r && i < a->nargs; i++) {
        Value *n = set_and(r, a->args[i], frozen);
        val_release(r);
        r = n;
    }
    return r;
}

/* set_difference_multi: self - the first argument, then the others' items
 * discarded */
static Value *set_difference_m(Value *self, const CallArgs *a) {
    if (!no_keywords(a, "difference")) return NULL;
    bool frozen = self->kind == VK_FROZENSET;
    if (!a->nargs) return set_copy(self, frozen);
    Value *r = set_sub(self, a->args[0], frozen);
    for (int i = 1; r && i < a->nargs; i++)
        if (!discard_all(r, a->args[i])) {
            val_release(r);
            r = NULL;
        }
    return r;
}
static Value *set_symmetric_difference_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("symmetric_difference", "other");
    return set_xor(self, v_[0], self->kind == VK_FROZENSET);
}

/* In-place forms: compute, then replace self's contents. */
static Value *replace_contents(Value *self, Value *r) { return set_replace_contents(self, r) ? val_none() : NULL; }

static Value *set_update_m(Value *self, const CallArgs *a) {
    for (int i = 0; i < a->nargs; i++)
        if (!set_update_from(self, a->args[i])) return NULL;
    return val_none();
}
static Value *set_intersection_update_m(Value *self, const CallArgs *a) {
    return replace_contents(self, set_intersection_m(self, a));
}
static Value *set_difference_update_m(Value *self, const CallArgs *a) {
    for (int i = 0; i < a->nargs; i++)
        if (!discard_all(self, a->args[i])) return NULL;
    return val_none();
}
static Value *set_symmetric_difference_update_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("symmetric_difference_update", "other");
    Value *other = set_of(v_[0]);
    if (!other) return NULL;
    bool ok = set_symmetric_update(self, other);
    val_release(other);
    return ok ? val_none() : NULL;
}

static Value *set_relation(Value *self, const CallArgs *a, const char *name, bool super) {
    ARGS(1);
    PARSE(name, "other");
    Value *other = set_of(v_[0]);
    if (!other) return NULL;
    int r = super ? set_subset(other, self) : set_subset(self, other);
    val_release(other);
    return r < 0 ? NULL : val_bool(r);
}
static Value *set_issubset_m(Value *self, const CallArgs *a) { return set_relation(self, a, "issubset", false); }
static Value *set_issuperset_m(Value *self, const CallArgs *a) { return set_relation(self, a, "issuperset", true); }

static Value *set_isdisjoint_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("isdisjoint", "other");
    Value *other = set_of(v_[0]);
    if (!other) return NULL;
    int64_t it = 0;
    Value *k;
    int r = 1;
    while (r == 1 && set_next(other, &it, &k)) {
        int c = set_contains(self, k);
        r = c < 0 ? -1 : !c;
    }
    val_release(other);
    return r < 0 ? NULL : val_bool(r);
}

/* ------------------------------------------------------------- tables */

const Builtin dict_methods[] = {
    {"keys", dict_keys},       {"values", dict_values},   {"items", dict_items},   {"get", dict_get_m},
    {"setdefault", dict_setdefault}, {"pop", dict_pop},   {"popitem", dict_popitem}, {"update", dict_update},
    {"copy", dict_copy},       {"clear", dict_clear_m},   {"fromkeys", dict_fromkeys}, {NULL, NULL}};

const Builtin set_methods[] = {
    {"add", set_add_m},
    {"remove", set_remove_m},
    {"discard", set_discard_m},
    {"pop", set_pop_m},
    {"clear", set_clear_m},
    {"copy", set_copy_m},
    {"union", set_union_m},
    {"intersection", set_intersection_m},
    {"difference", set_difference_m},
    {"symmetric_difference", set_symmetric_difference_m},
    {"update", set_update_m},
    {"intersection_update", set_intersection_update_m},
    {"difference_update", set_difference_update_m},
    {"symmetric_difference_update", set_symmetric_difference_update_m},
    {"issubset", set_issubset_m},
    {"issuperset", set_issuperset_m},
    {"isdisjoint", set_isdisjoint_m},
    {NULL, NULL}};

/* frozenset: the methods that do not change the set */
const Builtin frozenset_methods[] = {
    {"copy", set_copy_m},
    {"union", set_union_m},
    {"intersection", set_intersection_m},
    {"difference", set_difference_m},
    {"symmetric_difference", set_symmetric_difference_m},
    {"issubset", set_issubset_m},
    {"issuperset", set_issuperset_m},
    {"isdisjoint", set_isdisjoint_m},
    {NULL, NULL}};
