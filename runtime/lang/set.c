/* set.c: set and frozenset, on CPython 3.11's set table (setobject.c):
 * open addressing with runs of linear probes, then perturbed jumps; a
 * deleted slot holds a dummy; iteration is table order. Doing what
 * CPython does, slot for slot, makes `{3, 1, 2}` print `{1, 2, 3}` and
 * set(range(...)) iterate in CPython's order. */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "value.h"

#define SET_MINSIZE 8
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

typedef struct {
    Value *key; /* NULL unused; &dummy deleted */
    int64_t hash;
} SetEntry;

struct PySet {
    SetEntry *table;
    int64_t mask, fill, used, finger;
};

static Value dummy; /* the marker of a deleted slot */

static bool table_init(struct PySet *t, int64_t size) {
    t->table = tsr_calloc((unsigned long long)size, sizeof(SetEntry));
    if (!t->table) return false;
    t->mask = size - 1;
    t->fill = t->used = t->finger = 0;
    return true;
}

Value *val_set_new(bool frozen) {
    Value *v = tsr_calloc(1, sizeof *v);
    struct PySet *t = v ? tsr_calloc(1, sizeof *t) : NULL;
    if (!t || !table_init(t, SET_MINSIZE)) {
        free(t);
        free(v);
        return NULL;
    }
    v->kind = frozen ? VK_FROZENSET : VK_SET;
    v->rc = 1;
    v->set = t;
    return v;
}

void set_free(struct PySet *t) {
    if (!t) return;
    SetEntry *table = t->table;
    int64_t n = t->mask + 1;
    t->table = NULL;
    for (int64_t i = 0; i < n; i++)
        if (table[i].key && table[i].key != &dummy) val_release(table[i].key);
    free(table);
    free(t);
}

int64_t set_len(const Value *s) { return s->set->used; }

static void insert_clean(SetEntry *table, int64_t mask, Value *key, int64_t hash) {
    uint64_t perturb = (uint64_t)hash;
    uint64_t i = (uint64_t)hash & (uint64_t)mask;
    for (;;) {
        SetEntry *e = &table[i];
        if (!e->key) goto found;
        if (i + LINEAR_PROBES <= (uint64_t)mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                e++;
                if (!e->key) goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & (uint64_t)mask;
        continue;
    found:
        e->key = key;
        e->hash = hash;
        return;
    }
}

static bool table_resize(struct PySet *t, int64_t minused) {
    int64_t size = SET_MINSIZE;
    while (size <= minused) size <<= 1;
    SetEntry *old = t->table;
    int64_t oldmask = t->mask;
    SetEntry *table = tsr_calloc((unsigned long long)size, sizeof(SetEntry));
    if (!table) return false;
    t->table = table;
    t->mask = size - 1;
    t->fill = t->used;
    for (int64_t i = 0; i <= oldmask; i++)
        if (old[i].key && old[i].key != &dummy) insert_clean(table, t->mask, old[i].key, old[i].hash);
    free(old);
    return true;
}

/* set_add_entry: takes a reference to key. 1 added, 0 present, -1 error. */
static int add_entry(struct PySet *t, Value *key, int64_t hash) {
restart:;
    int64_t mask = t->mask;
    uint64_t i = (uint64_t)hash & (uint64_t)mask, perturb = (uint64_t)hash;
    SetEntry *freeslot = NULL, *e;
    for (;;) {
        e = &t->table[i];
        int probes = i + LINEAR_PROBES <= (uint64_t)mask ? LINEAR_PROBES : 0;
        do {
            if (!e->key) goto found_unused_or_dummy;
            if (e->key != &dummy && e->hash == hash) {
                Value *start = e->key;
                SetEntry *table = t->table;
                val_retain(start);
                int eq = keys_equal(start, key);
                val_release(start);
                if (eq < 0) goto error;
                if (eq > 0) goto found_active;
                if (table != t->table || e->key != start) goto restart; /* == changed the set */
                mask = t->mask;
            } else if (e->key == &dummy && !freeslot) {
                freeslot = e;
            }
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & (uint64_t)mask;
    }
found_unused_or_dummy:
    if (freeslot) {
        t->used++;
        freeslot->key = key;
        freeslot->hash = hash;
        return 1;
    }
    t->fill++;
    t->used++;
    e->key = key;
    e->hash = hash;
    if (t->fill * 5 < mask * 3) return 1;
    return table_resize(t, t->used > 50000 ? t->used * 2 : t->used * 4) ? 1 : -1;
found_active:
    val_release(key);
    return 0;
error:
    val_release(key);
    return -1;
}

/* The slot holding key, or NULL (absent, or *err on an error). */
static SetEntry *lookup(struct PySet *t, Value *key, int64_t hash, bool *err) {
    *err = false;
    uint64_t mask = (uint64_t)t->mask, i = (uint64_t)hash & mask, perturb = (uint64_t)hash;
    for (;;) {
        SetEntry *e = &t->table[i];
        int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        do {
            if (!e->key) return NULL;
            if (e->key != &dummy && e->hash == hash) {
                int eq = keys_equal(e->key, key);
                if (eq < 0) {
                    *err = true;
                    return NULL;
                }
                if (eq) return e;
            }
            e++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

bool set_add(Value *s, Value *key) {
    int64_t h;
    if (!val_hash(key, &h)) return false;
    return add_entry(s->set, val_retain(key), h) >= 0;
}

int set_contains(Value *s, Value *key) {
    int64_t h;
    if (!val_hash(key, &h)) return -1;
    bool err;
    SetEntry *e = lookup(s->set, key, h, &err);
    return err ? -1 : e != NULL;
}

int set_discard(Value *s, Value *key) {
    int64_t h;
    if (!val_hash(key, &h)) return -1;
    bool err;
    SetEntry *e = lookup(s->set, key, h, &err);
    if (err) return -1;
    if (!e) return 0;
    Value *old = e->key;
    e->key = &dummy;
    e->hash = -1;
    s->set->used--;
    val_release(old);
    return 1;
}

bool set_next(const Value *s, int64_t *i, Value **key) {
    const struct PySet *t = s->set;
    while (*i <= t->mask) {
        SetEntry *e = &t->table[(*i)++];
        if (e->key && e->key != &dummy) {
            *key = e->key;
            return true;
        }
    }
    return false;
}

Value *set_pop(Value *s) {
    struct PySet *t = s->set;
    if (!t->used) {
        tsr_raise(ERR_KeyError, "%s", "'pop from an empty set'");
        return NULL;
    }
    SetEntry *e = t->table + (t->finger & t->mask), *limit = t->table + t->mask;
    while (!e->key || e->key == &dummy) {
        e++;
        if (e > limit) e = t->table;
    }
    Value *key = e->key;
    e->key = &dummy;
    e->hash = -1;
    t->used--;
    t->finger = e - t->table + 1;
    return key;
}

void set_clear(Value *s) {
    struct PySet *t = s->set;
    SetEntry *old = t->table;
    int64_t n = t->mask + 1;
    if (!table_init(t, SET_MINSIZE)) { /* keep the old table, emptied */
        tsr_err_clear();
        t->table = old;
        for (int64_t i = 0; i < n; i++) {
            if (old[i].key && old[i].key != &dummy) val_release(old[i].key);
            old[i].key = NULL;
        }
        t->fill = t->used = 0;
        return;
    }
    for (int64_t i = 0; i < n; i++)
        if (old[i].key && old[i].key != &dummy) val_release(old[i].key);
    free(old);
}

/* set_merge: adds every key of the set other */
bool set_update(Value *s, Value *other) {
    struct PySet *t = s->set, *o = other->set;
    if (s == other || !o->used) return true;
    if ((t->fill + o->used) * 5 >= t->mask * 3 && !table_resize(t, (t->used + o->used) * 2)) return false;
    if (t->fill == 0 && t->mask == o->mask && o->fill == o->used) { /* same layout: copy the slots */
        for (int64_t i = 0; i <= o->mask; i++) {
            Value *k = o->table[i].key;
            if (k) {
                t->table[i].key = val_retain(k);
                t->table[i].hash = o->table[i].hash;
            }
        }
        t->fill = o->fill;
        t->used = o->used;
        return true;
    }
    if (t->fill == 0) {
        t->fill = t->used = o->used;
        for (int64_t i = 0; i <= o->mask; i++) {
            Value *k = o->table[i].key;
            if (k && k != &dummy) insert_clean(t->table, t->mask, val_retain(k), o->table[i].hash);
        }
        return true;
    }
    for (int64_t i = 0; i <= o->mask; i++) {
        Value *k = o->table[i].key;
        if (k && k != &dummy && add_entry(t, val_retain(k), o->table[i].hash) < 0) return false;
    }
    return true;
}

Value *set_copy(Value *s, bool frozen) {
    Value *r = val_set_new(frozen);
    if (r && !set_update(r, s)) {
        val_release(r);
        return NULL;
    }
    return r;
}

/* CPython's frozenset hash: order-independent */
bool frozenset_hash(Value *s, int64_t *out) {
    uint64_t hash = 0;
    const struct PySet *t = s->set;
    for (int64_t i = 0; i <= t->mask; i++) {
        Value *k = t->table[i].key;
        if (!k || k == &dummy) continue;
        uint64_t h = (uint64_t)t->table[i].hash;
        hash ^= ((h ^ 89869747ull) ^ (h << 16)) * 3644798167ull;
    }
    hash ^= ((uint64_t)t->used + 1) * 1927868237ull;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069u + 907133923ull;
    if (hash == (uint64_t)-1) hash = 590923713ull;
    *out = (int64_t)hash;
    return true;
}

/* set_update_internal: every item of an iterable (a set, a dict's keys,
 * anything iterable) */
bool set_update_from(Value *s, Value *other) {
    if (other->kind == VK_SET || other->kind == VK_FROZENSET) return set_update(s, other);
    struct PySet *t = s->set;
    if (other->kind == VK_DICT) {
        int64_t n = dict_len(other->dict);
        if ((t->fill + n) * 5 >= t->mask * 3 && !table_resize(t, (t->used + n) * 2)) return false;
        int64_t it = 0;
        Value *k, *v;
        while (dict_next_item(other->dict, &it, &k, &v))
            if (!set_add(s, k)) return false;
        return true;
    }
    Value *items = iterate_to_list(other);
    if (!items) return false;
    bool ok = true;
    for (int64_t i = 0; ok && i < items->seq.len; i++) ok = set_add(s, items->seq.items[i]);
    val_release(items);
    return ok;
}

/* ---- the set algebra (CPython's algorithms, for its orders) ---- */

bool val_is_set(const Value *v) { return v->kind == VK_SET || v->kind == VK_FROZENSET; }

/* A set of other's items: other itself when it is a set (retained). */
Value *set_of(Value *other) {
    if (val_is_set(other)) return val_retain(other);
    Value *s = val_set_new(false);
    if (s && !set_update_from(s, other)) {
        val_release(s);
        return NULL;
    }
    return s;
}

/* s | t: a copy of s, then t's items */
Value *set_or(Value *s, Value *t, bool frozen) {
    Value *r = set_copy(s, frozen);
    if (r && !set_update_from(r, t)) {
        val_release(r);
        return NULL;
    }
    return r;
}

/* s & t: for a set t, the smaller set's items (in its order) that the
 * larger holds; for another iterable, its items in order that s holds */
Value *set_and(Value *s, Value *t, bool frozen) {
    Value *r = val_set_new(frozen);
    if (!r) return NULL;
    Value *items = val_is_set(t) ? NULL : iterate_to_list(t);
    if (!val_is_set(t) && !items) {
        val_release(r);
        return NULL;
    }
    Value *small = t, *big = s;
    if (val_is_set(t) && set_len(t) > set_len(s)) {
        small = s;
        big = t;
    }
    int64_t it = 0, n = items ? items->seq.len : 0;
    Value *k;
    for (;;) {
        if (items) {
            if (it >= n) break;
            k = items->seq.items[it++];
        } else if (!set_next(small, &it, &k)) {
            break;
        }
        int c = set_contains(big, k);
        if (c < 0 || (c && !set_add(r, k))) {
            val_release(r);
            r = NULL;
            break;
        }
    }
    val_release(items);
    return r;
}

/* s - t */
Value *set_sub(Value *s, Value *t, bool frozen) {
    Value *other = set_of(t);
    if (!other) return NULL;
    Value *r;
    if (!val_is_set(t) || (set_len(s) >> 2) > set_len(other)) { /* copy s, then remove t's items */
        r = set_copy(s, frozen);
        int64_t it = 0;
        Value *k;
        while (r && set_next(other, &it, &k))
            if (set_discard(r, k) < 0) {
                val_release(r);
                r = NULL;
            }
    } else {
        r = val_set_new(frozen);
        int64_t it = 0;
        Value *k;
        while (r && set_next(s, &it, &k)) {
            int c = set_contains(other, k);
            if (c < 0 || (!c && !set_add(r, k))) {
                val_release(r);
                r = NULL;
            }
        }
    }
    val_release(other);
    return r;
}

/* s ^ t into r (a copy of t): each of s's items toggles */
bool set_symmetric_update(Value *r, Value *s) {
    int64_t it = 0;
    Value *k;
    while (set_next(s, &it, &k)) {
        int d = set_discard(r, k);
        if (d < 0 || (d == 0 && !set_add(r, k))) return false;
    }
    return true;
}

Value *set_xor(Value *s, Value *t, bool frozen) {
    Value *r = val_set_new(frozen);
    if (r && (!set_update_from(r, t) || !set_symmetric_update(r, s))) {
        val_release(r);
        return NULL;
    }
    return r;
}

/* every item of s in t */
int set_subset(Value *s, Value *t) {
    if (set_len(s) > set_len(t)) return 0;
    int64_t it = 0;
    Value *k;
    while (set_next(s, &it, &k)) {
        int c = set_contains(t, k);
        if (c != 1) return c;
    }
    return 1;
}

/* Replaces s's items with r's (taking the reference to r). */
bool set_replace_contents(Value *s, Value *r) {
    if (!r) return false;
    set_clear(s);
    bool ok = set_update(s, r);
    val_release(r);
    return ok;
}

/* ---------------------------------------------------------- operators */

/* d1 | d2, s1 | s2, s1 & s2, s1 - s2, s1 ^ s2, and the in-place forms
 * (which change the left operand): NULL with no error when the operands
 * are not dicts/sets of a matching kind (the caller raises TypeError). */
Value *container_binop(int op, Value *a, Value *b, bool inplace) {
    if (a->kind == VK_DICT && b->kind == VK_DICT && op == B_OR) {
        Value *d = inplace ? val_retain(a) : val_dict_new();
        if (d && ((!inplace && !dict_update_from(d, a)) || !dict_update_from(d, b))) {
            val_release(d);
            return NULL;
        }
        return d;
    }
    if (!val_is_set(a) || !val_is_set(b)) return NULL;
    bool frozen = a->kind == VK_FROZENSET;
    Value *r;
    switch (op) {
    case B_OR: r = set_or(a, b, frozen); break;
    case B_AND: r = set_and(a, b, frozen); break;
    case B_SUB: r = set_sub(a, b, frozen); break;
    case B_XOR: r = set_xor(a, b, frozen); break;
    default: return NULL;
    }
    if (!r || !inplace || a->kind != VK_SET) return r;
    return set_replace_contents(a, r) ? val_retain(a) : NULL;
}

/* s1 <= s2 and the other orderings of sets: subset relations. -1 when
 * not both sets (no error), -2 on an error, else 0/1. */
int set_compare(int op, Value *a, Value *b) {
    if (!val_is_set(a) || !val_is_set(b)) return -1;
    int r;
    switch (op) {
    case C_LE: r = set_subset(a, b); break;
    case C_GE: r = set_subset(b, a); break;
    case C_LT: r = set_len(a) < set_len(b) ? set_subset(a, b) : 0; break;
    case C_GT: r = set_len(b) < set_len(a) ? set_subset(b, a) : 0; break;
    default: return -1;
    }
    return r < 0 ? -2 : r;
}

