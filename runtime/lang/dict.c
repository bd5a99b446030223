/* dict.c: Python's hash() and the insertion-ordered hash table behind
 * dicts and namespaces.
 *
 * Keys are values (a namespace's keys are strs); hash() is CPython's for
 * numbers (1, 1.0 and True are one key), contents for strs and tuples,
 * identity for tensors and other objects. The table keeps entries in an
 * array in insertion order and an open-addressing index of positions;
 * a deleted entry keeps its slot (key NULL) until the next rebuild. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "interp_internal.h"
#include "value.h"

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)

static int64_t int_hash(int64_t v) {
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int64_t h = (int64_t)(m % HASH_MODULUS);
    if (v < 0) h = -h;
    return h == -1 ? -2 : h;
}

/* CPython's _Py_HashDouble: equal to int_hash for integral values */
static int64_t float_hash(double v, const Value *self) {
    if (isinf(v)) return v > 0 ? 314159 : -314159;
    if (isnan(v)) return (int64_t)((uintptr_t)self >> 4);
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) {
        sign = -1;
        m = -m;
    }
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0; /* 2**28 */
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    int64_t h = (int64_t)x * sign;
    return h == -1 ? -2 : h;
}

static const uint64_t fnv_offset = 1469598103934665603ull;
static inline uint64_t fnv_step(uint64_t h, unsigned char c) { return (h ^ c) * 1099511628211ull; }

uint64_t str_bytes_hash(const char *s, int64_t len) {
    uint64_t h = fnv_offset;
    for (int64_t i = 0; i < len; i++) h = fnv_step(h, (unsigned char)s[i]);
    return h == (uint64_t)-1 ? (uint64_t)-2 : h;
}

/* hash(b) is hash(b.decode('latin-1')), as in CPython: the hash of the
 * UTF-8 of the bytes read as latin-1 */
static uint64_t bytes_hash(const unsigned char *s, int64_t len) {
    uint64_t h = fnv_offset;
    for (int64_t i = 0; i < len; i++) {
        if (s[i] < 0x80) {
            h = fnv_step(h, s[i]);
            continue;
        }
        h = fnv_step(h, (unsigned char)(0xc0 | s[i] >> 6));
        h = fnv_step(h, (unsigned char)(0x80 | (s[i] & 0x3f)));
    }
    return h == (uint64_t)-1 ? (uint64_t)-2 : h;
}

/* CPython's tuple hash (xxHash-based, 3.8+) */
static bool tuple_hash(Value *t, int64_t *out) {
    const uint64_t p1 = 11400714785074694791ull, p2 = 14029467366897019727ull, p5 = 2870177450012600261ull;
    uint64_t acc = p5;
    for (int64_t i = 0; i < t->seq.len; i++) {
        int64_t h;
        if (!val_hash(t->seq.items[i], &h)) return false;
        acc += (uint64_t)h * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
    }
    acc += (uint64_t)t->seq.len ^ (p5 ^ 3527539ull);
    *out = acc == (uint64_t)-1 ? 1546275796 : (int64_t)acc;
    return true;
}

static bool unhashable(const Value *v) {
    tsr_raise(ERR_TypeError, "unhashable type: '%s'", val_type_name(v));
    return false;
}

enum { MAX_HASH_DEPTH = 10000 };

bool val_hash(Value *v, int64_t *out) {
    switch (v->kind) {
    case VK_INT: *out = int_hash(v->i); return true;
    case VK_BOOL: *out = v->b; return true;
    case VK_FLOAT: *out = float_hash(v->f, v); return true;
    case VK_COMPLEX: { /* CPython's complex_hash */
        uint64_t h = (uint64_t)float_hash(v->c.re, v) + 1000003ull * (uint64_t)float_hash(v->c.im, v);
        *out = (int64_t)h == -1 ? -2 : (int64_t)h;
        return true;
    }
    case VK_STR: *out = (int64_t)str_bytes_hash(v->str.s, v->str.len); return true;
    case VK_BYTES: *out = (int64_t)bytes_hash(v->bytes.s, v->bytes.len); return true;
    case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: case VK_FROZENSET: {
        /* nested tuples hash recursively: bounded, so a tuple nested a
         * million deep raises RecursionError instead of exhausting the C
         * stack (CPython recurses in C and computes it) */
        static int depth;
        if (depth >= MAX_HASH_DEPTH) {
            tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded while hashing a nested tuple");
            return false;
        }
        depth++;
        bool ok = v->kind == VK_FROZENSET ? frozenset_hash(v, out) : tuple_hash(v, out);
        depth--;
        return ok;
    }
    case VK_LIST: case VK_DICT: case VK_SET: case VK_SLICE: case VK_BYTEARRAY: return unhashable(v);
    case VK_BOUND: /* as equality: the function and the instance */
        *out = (int64_t)(((uintptr_t)v->bound.fn >> 4) ^ ((uintptr_t)v->bound.self >> 4) * 1000003);
        return true;
    case VK_METHOD:
        *out = (int64_t)(((uintptr_t)v->method.builtin >> 4) ^ ((uintptr_t)v->method.self >> 4) * 1000003);
        return true;
    case VK_RANGE: { /* CPython's: hash((len, start, step)), start and step None where they do not matter */
        int64_t n = range_len(v);
        Value *t = val_tuple_new(3);
        if (!t) return false;
        t->seq.items[0] = val_int(n);
        t->seq.items[1] = n ? val_int(v->range.start) : val_none();
        t->seq.items[2] = n > 1 ? val_int(v->range.step) : val_none();
        bool ok = t->seq.items[0] && t->seq.items[1] && t->seq.items[2] && tuple_hash(t, out);
        val_release(t);
        return ok;
    }
    case VK_INSTANCE: {
        Value *m = class_lookup(v->inst.cls, "__hash__");
        if (m && m->kind == VK_NONE) return unhashable(v);
        if (m && m->kind != VK_BUILTIN) {
            bool found;
            Value *r = special_call(v, "__hash__", NULL, 0, &found);
            if (!r) return false;
            bool ok = r->kind == VK_INT || r->kind == VK_BOOL;
            if (ok) *out = r->kind == VK_INT ? int_hash(r->i) : r->b;
            else tsr_raise(ERR_TypeError, "%s", "__hash__ method should return an integer");
            val_release(r);
            return ok;
        }
        Value *eq = class_lookup(v->inst.cls, "__eq__");
        if (eq && eq->kind != VK_BUILTIN) return unhashable(v); /* __eq__ without __hash__ */
        if (v->inst.payload) return val_hash(v->inst.payload, out); /* str, int, float, tuple subclasses */
        break;
    }
    case VK_TENSOR:
        if (v->tensor->numpy == TENSOR_NP_SCALAR) { /* numpy scalars hash as their Python value */
            Value *item = tensor_item_value(v->tensor);
            bool ok = item && val_hash(item, out);
            val_release(item);
            return ok;
        }
        if (v->tensor->numpy) {
            tsr_raise(ERR_TypeError, "%s", "unhashable type: 'numpy.ndarray'");
            return false;
        }
        break;
    default: break;
    }
    *out = (int64_t)((uintptr_t)v >> 4); /* identity: tensors, functions, classes, ... */
    return true;
}

/* Dict keys compare by identity, then ==; tensors by identity only (as
 * PyTorch's Tensor.__hash__ is id()). 1, 0, or -1 on an error. */
int keys_equal(Value *a, Value *b) {
    if (a == b) return 1;
    if ((a->kind == VK_TENSOR && a->tensor->numpy == TENSOR_NP_SCALAR) ||
        (b->kind == VK_TENSOR && b->tensor->numpy == TENSOR_NP_SCALAR)) { /* by value, as numpy's == */
        Value *r = compare_op(C_EQ, a, b);
        int t = r ? val_truthy(r) : -1;
        val_release(r);
        return t;
    }
    if (a->kind == VK_TENSOR || b->kind == VK_TENSOR) return 0;
    return val_equal(a, b);
}

/* ---------------------------------------------------------------- Dict */

typedef struct {
    Value *key; /* NULL: deleted */
    int64_t hash;
    Value *value;
} DictEntry;

struct Dict {
    DictEntry *entries;
    int64_t n_entries, cap_entries, n_live;
    int64_t *index;    /* entry positions; -1 empty */
    int64_t index_cap; /* power of two */
};

Dict *dict_new(void) { return tsr_calloc(1, sizeof(Dict)); }

void dict_clear(Dict *d) {
    DictEntry *en = d->entries;
    int64_t n = d->n_entries;
    free(d->index);
    memset(d, 0, sizeof *d);
    for (int64_t i = 0; i < n; i++) { /* after emptying d: a release may run code that reads it */
        val_release(en[i].key);
        val_release(en[i].value);
    }
    free(en);
}

void dict_free(Dict *d) {
    if (!d) return;
    dict_clear(d);
    free(d);
}

/* Finds key: its entry (>= 0), -(slot + 2) for the free index slot where it
 * would go, or INT64_MIN on an error of ==. */
static int64_t find_value(Dict *d, Value *key, int64_t h) {
    if (!d->index_cap) return -1;
    int64_t mask = d->index_cap - 1;
    for (int64_t i = (int64_t)((uint64_t)h & (uint64_t)mask);; i = (i + 1) & mask) {
        int64_t e = d->index[i];
        if (e == -1) return -(i + 2);
        DictEntry *en = &d->entries[e];
        if (!en->key || en->hash != h) continue;
        int eq = keys_equal(en->key, key);
        if (eq < 0) return INT64_MIN;
        if (eq) return e;
    }
}

static int64_t find_cstr(Dict *d, const char *key, int64_t len, int64_t h) {
    if (!d->index_cap) return -1;
    int64_t mask = d->index_cap - 1;
    for (int64_t i = (int64_t)((uint64_t)h & (uint64_t)mask);; i = (i + 1) & mask) {
        int64_t e = d->index[i];
        if (e == -1) return -(i + 2);
        DictEntry *en = &d->entries[e];
        if (en->key && en->hash == h && en->key->kind == VK_STR && en->key->str.len == len &&
            !memcmp(en->key->str.s, key, (size_t)len))
            return e;
    }
}

/* A new index of cap slots over the live entries, compacted. */
static bool rebuild(Dict *d, int64_t cap) {
    int64_t *index = tsr_malloc(sizeof(int64_t) * (size_t)cap);
    if (!index) return false;
    for (int64_t i = 0; i < cap; i++) index[i] = -1;
    int64_t w = 0;
    for (int64_t r = 0; r < d->n_entries; r++)
        if (d->entries[r].key) d->entries[w++] = d->entries[r];
    d->n_entries = w;
    for (int64_t e = 0; e < w; e++) {
        int64_t i = (int64_t)((uint64_t)d->entries[e].hash & (uint64_t)(cap - 1));
        while (index[i] != -1) i = (i + 1) & (cap - 1);
        index[i] = e;
    }
    free(d->index);
    d->index = index;
    d->index_cap = cap;
    return true;
}

/* Appends a new entry (key absent); takes references to key and v. */
static bool append_entry(Dict *d, Value *key, int64_t h, Value *v) {
    if ((d->n_entries + 1) * 2 > d->index_cap) {
        int64_t cap = 16;
        while (cap < (d->n_live + 1) * 4) cap *= 2;
        if (!rebuild(d, cap)) return false;
    }
    if (d->n_entries == d->cap_entries) {
        int64_t cap = d->cap_entries ? d->cap_entries * 2 : 8;
        DictEntry *en = tsr_realloc(d->entries, sizeof(DictEntry) * (size_t)cap);
        if (!en) return false;
        d->entries = en;
        d->cap_entries = cap;
    }
    int64_t e = d->n_entries++;
    d->entries[e] = (DictEntry){val_retain(key), h, val_retain(v)};
    d->n_live++;
    int64_t mask = d->index_cap - 1;
    int64_t i = (int64_t)((uint64_t)h & (uint64_t)mask);
    while (d->index[i] != -1) i = (i + 1) & mask;
    d->index[i] = e;
    return true;
}

static void replace_value(DictEntry *en, Value *v) {
    Value *old = en->value;
    en->value = val_retain(v);
    val_release(old);
}

static void delete_entry(Dict *d, int64_t e) {
    DictEntry *en = &d->entries[e];
    Value *k = en->key, *v = en->value;
    en->key = en->value = NULL; /* the index keeps pointing here: a tombstone */
    d->n_live--;
    val_release(k);
    val_release(v);
}

/* ---- str keys (namespaces) ---- */

Value *dict_get(Dict *d, const char *key) {
    int64_t len = (int64_t)strlen(key);
    int64_t e = find_cstr(d, key, len, (int64_t)str_bytes_hash(key, len));
    return e >= 0 ? d->entries[e].value : NULL;
}

Value *dict_get_hashed(Dict *d, const StrKey *k) {
    int64_t e = find_cstr(d, k->s, k->len, k->hash);
    return e >= 0 ? d->entries[e].value : NULL;
}

StrKey str_key(const char *s) {
    int64_t len = (int64_t)strlen(s);
    return (StrKey){s, len, (int64_t)str_bytes_hash(s, len)};
}

bool dict_set(Dict *d, const char *key, Value *v) {
    int64_t len = (int64_t)strlen(key);
    int64_t h = (int64_t)str_bytes_hash(key, len);
    int64_t e = find_cstr(d, key, len, h);
    if (e >= 0) {
        replace_value(&d->entries[e], v);
        return true;
    }
    Value *k = val_str(key, len);
    bool ok = k && append_entry(d, k, h, v);
    val_release(k);
    return ok;
}

bool dict_del(Dict *d, const char *key) {
    int64_t len = (int64_t)strlen(key);
    int64_t e = find_cstr(d, key, len, (int64_t)str_bytes_hash(key, len));
    if (e < 0) return false;
    delete_entry(d, e);
    return true;
}

int64_t dict_len(Dict *d) { return d->n_live; }

bool dict_next(Dict *d, int64_t *i, const char **key, Value **v) {
    while (*i < d->n_entries) {
        DictEntry *e = &d->entries[(*i)++];
        if (e->key && e->key->kind == VK_STR) {
            *key = e->key->str.s;
            *v = e->value;
            return true;
        }
    }
    return false;
}

/* ---- any hashable key (Python dicts) ---- */

bool dict_lookup(Dict *d, Value *key, Value **out) {
    int64_t h;
    *out = NULL;
    if (!val_hash(key, &h)) return false;
    int64_t e = find_value(d, key, h);
    if (e == INT64_MIN) return false;
    if (e >= 0) *out = d->entries[e].value;
    return true;
}

bool dict_setv(Dict *d, Value *key, Value *v) {
    int64_t h;
    if (!val_hash(key, &h)) return false;
    int64_t e = find_value(d, key, h);
    if (e == INT64_MIN) return false;
    if (e >= 0) {
        replace_value(&d->entries[e], v);
        return true;
    }
    return append_entry(d, key, h, v);
}

int dict_delv(Dict *d, Value *key, Value **value_out) {
    int64_t h;
    if (value_out) *value_out = NULL;
    if (!val_hash(key, &h)) return -1;
    int64_t e = find_value(d, key, h);
    if (e == INT64_MIN) return -1;
    if (e < 0) return 0;
    if (value_out) *value_out = val_retain(d->entries[e].value);
    delete_entry(d, e);
    return 1;
}

bool dict_next_item(Dict *d, int64_t *i, Value **key, Value **v) {
    while (*i < d->n_entries) {
        DictEntry *e = &d->entries[(*i)++];
        if (e->key) {
            *key = e->key;
            *v = e->value;
            return true;
        }
    }
    return false;
}

bool dict_pop_last(Dict *d, Value **key, Value **v) {
    for (int64_t e = d->n_entries - 1; e >= 0; e--) {
        DictEntry *en = &d->entries[e];
        if (!en->key) continue;
        *key = en->key; /* the references pass to the caller */
        *v = en->value;
        en->key = en->value = NULL;
        d->n_live--;
        return true;
    }
    return false;
}

/* dict.update's argument: a dict, or an iterable of key/value pairs */
bool dict_update_from(Value *d, Value *other) {
    other = val_unwrap(other);
    if (other->kind == VK_DICT) {
        int64_t it = 0;
        Value *k, *v;
        while (dict_next_item(other->dict, &it, &k, &v))
            if (!dict_setv(d->dict, k, v)) return false;
        return true;
    }
    Value *items = iterate_to_list(other);
    if (!items) return false;
    bool ok = true;
    for (int64_t i = 0; ok && i < items->seq.len; i++) {
        Value *pair = items->seq.items[i], *kv = NULL;
        if (val_is_seq(pair) || pair->kind == VK_STR || pair->kind == VK_DICT || val_is_set(pair)) kv = iterate_to_list(pair);
        if (!kv) {
            if (!tsr_err_occurred())
                tsr_raise(ERR_TypeError, "cannot convert dictionary update sequence element #%lld to a sequence",
                          (long long)i);
            ok = false;
        } else if (kv->seq.len != 2) {
            tsr_raise(ERR_ValueError, "dictionary update sequence element #%lld has length %lld; 2 is required",
                      (long long)i, (long long)kv->seq.len);
            ok = false;
        } else {
            ok = dict_setv(d->dict, kv->seq.items[0], kv->seq.items[1]);
        }
        val_release(kv);
    }
    val_release(items);
    return ok;
}

