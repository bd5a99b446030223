/* iterators.c: the iterator protocol and the lazy iterator objects. */
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "error.h"
#include "generator.h"
#include "interp_internal.h"
#include "iterators.h"
#include "ops.h"

typedef enum {
    IT_SEQ,      /* src[pos], pos going up */
    IT_REVERSED, /* src[pos], pos going down */
    IT_RANGE,    /* pos, pos + step, ...: `left` values */
    IT_BY_INDEX, /* src.__getitem__(pos) until IndexError */
    IT_ZIP,      /* tuples of one item of each of its[] */
    IT_MAP,      /* fn(one item of each of its[]) */
    IT_FILTER,   /* the items of its[0] that fn (None: truthiness) keeps */
    IT_ENUMERATE, /* (pos, item of its[0]) */
    IT_DICT       /* the keys (step 0), values (1) or items (2) of the dict watch, live from entry pos */
} IterKind;

struct PyIter {
    IterKind kind;
    const char *tname;
    bool strict; /* zip(strict=True) */
    int n;       /* its[] */
    Value *src;  /* SEQ, REVERSED, BY_INDEX; NULL once exhausted */
    Value *fn;
    Value **its;
    Value *result; /* zip, enumerate: the last tuple, refilled when nobody else holds it */
    Value *watch;  /* DICT, or SEQ over a set's snapshot: the dict or set, whose size must not change */
    int64_t pos, left, step, watch_len;
};

static Value *iter_alloc(IterKind kind, const char *tname) {
    void *box;
    Value *v = val_boxed_new(VK_ITER, sizeof(struct PyIter), &box);
    if (!v) return NULL;
    struct PyIter *p = v->iter = box;
    p->kind = kind;
    p->tname = tname;
    return v;
}

const char *iter_tname(const Value *it) { return it->iter->tname; }

void iter_free(struct PyIter *p) {
    val_release(p->src);
    val_release(p->fn);
    for (int i = 0; i < p->n; i++) val_release(p->its[i]);
    free(p->its);
    val_release(p->result);
    val_release(p->watch);
    free(p);
}

void iter_visit(Value *it, void (*fn)(Value *child, void *ctx), void *ctx) {
    struct PyIter *p = it->iter;
    if (p->src) fn(p->src, ctx);
    if (p->fn) fn(p->fn, ctx);
    for (int i = 0; i < p->n; i++)
        if (p->its[i]) fn(p->its[i], ctx);
    if (p->result) fn(p->result, ctx);
    if (p->watch) fn(p->watch, ctx);
}

void iter_clear(Value *it) {
    struct PyIter *p = it->iter;
    Value *src = p->src, *fn = p->fn, *result = p->result, *watch = p->watch;
    p->src = p->fn = p->result = p->watch = NULL;
    val_release(watch);
    val_release(src);
    val_release(fn);
    val_release(result);
    for (int i = 0; i < p->n; i++) {
        Value *x = p->its[i];
        p->its[i] = NULL;
        val_release(x);
    }
}

Value *iter_seq_steal(Value *seq, const char *tname) {
    if (!seq) return NULL;
    Value *v = iter_alloc(IT_SEQ, tname);
    if (!v) {
        val_release(seq);
        return NULL;
    }
    v->iter->src = seq;
    return v;
}

static Value *range_iter(int64_t start, int64_t count, int64_t step) {
    Value *v = iter_alloc(IT_RANGE, "range_iterator");
    if (!v) return NULL;
    v->iter->pos = start;
    v->iter->left = count;
    v->iter->step = step;
    return v;
}

static bool is_ascii(const Value *s) {
    for (int64_t i = 0; i < s->str.len; i++)
        if ((unsigned char)s->str.s[i] >= 0x80) return false;
    return true;
}

/* The name of the iterator CPython's iter() gives for v's type. */
static const char *iterable_iter_name(const Value *v) {
    static const char *const views[] = {"dict_keyiterator", "dict_valueiterator", "dict_itemiterator"};
    switch (v->kind) {
    case VK_LIST: return "list_iterator";
    case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: case VK_TENSOR: return "tuple_iterator";
    case VK_STR: return is_ascii(v) ? "str_ascii_iterator" : "str_iterator";
    case VK_BYTES: return "bytes_iterator";
    case VK_BYTEARRAY: return "bytearray_iterator";
    case VK_DICT: return "dict_keyiterator";
    case VK_DICTVIEW: return views[v->view.which];
    case VK_SET: case VK_FROZENSET: return "set_iterator";
    default: return "iterator";
    }
}

Value *iter_of(Value *v) {
    switch (v->kind) {
    case VK_ITER: case VK_PYGEN: return val_retain(v);
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE:
        return iter_seq_steal(val_retain(v), iterable_iter_name(v));
    case VK_RANGE: return range_iter(v->range.start, range_len(v), v->range.step);
    case VK_INSTANCE: {
        bool by_index;
        Value *it = instance_iter(v, &by_index);
        if (!it) return NULL;
        if (by_index) {
            Value *r = iter_alloc(IT_BY_INDEX, "iterator");
            if (r) r->iter->src = it;
            else val_release(it);
            return r;
        }
        if (it->kind == VK_ITER || it->kind == VK_PYGEN || it->kind == VK_INSTANCE) return it;
        Value *r = iter_of(it); /* __iter__ gave a list, ... */
        val_release(it);
        return r;
    }
    case VK_DICT: case VK_DICTVIEW: { /* live, as CPython's: a change of size raises */
        Value *d = v->kind == VK_DICTVIEW ? v->view.dict : v;
        Value *it = d->kind == VK_DICT ? iter_alloc(IT_DICT, iterable_iter_name(v)) : NULL;
        if (!it) return d->kind == VK_DICT ? NULL : iter_seq_steal(iterate_to_list(v), iterable_iter_name(v));
        it->iter->watch = val_retain(d);
        it->iter->watch_len = it->iter->left = dict_len(d->dict);
        it->iter->step = v->kind == VK_DICTVIEW ? v->view.which : 0;
        return it;
    }
    default: { /* str, set, tensor, file: over a snapshot of the items */
        Value *it = iter_seq_steal(iterate_to_list(v), iterable_iter_name(v));
        if (it && v->kind == VK_SET) { /* a change of size raises, as in CPython */
            it->iter->watch = val_retain(v);
            it->iter->watch_len = set_len(v);
        }
        return it;
    }
    }
}

Value *iter_reversed(Value *v) {
    switch (v->kind) {
    case VK_RANGE: {
        int64_t n = range_len(v);
        return range_iter(v->range.start + (n - 1) * v->range.step, n, -v->range.step);
    }
    case VK_TENSOR: { /* Tensor.__reversed__: flip(0), a 0-dim tensor itself */
        if (v->tensor->ndim == 0) return val_retain(v);
        int64_t dim = 0;
        return val_tensor_steal(op_flip(v->tensor, 1, &dim));
    }
    case VK_INSTANCE: {
        bool found;
        Value *r = special_call(v, "__reversed__", NULL, 0, &found);
        if (found) return r;
        break;
    }
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: case VK_STR: case VK_DICT: case VK_DICTVIEW:
    case VK_BYTES: case VK_BYTEARRAY:
        break;
    default:
        tsr_raise(ERR_TypeError, "'%s' object is not reversible", val_type_name(v));
        return NULL;
    }
    Value *seq = val_is_seq(v) ? val_retain(v) : iterate_to_list(v);
    if (!seq) return NULL;
    Value *r = iter_alloc(IT_REVERSED, v->kind == VK_LIST ? "list_reverseiterator"
                                       : v->kind == VK_DICT ? "dict_reversekeyiterator"
                                                            : "reversed");
    if (!r) {
        val_release(seq);
        return NULL;
    }
    r->iter->src = seq;
    r->iter->pos = seq->seq.len - 1;
    return r;
}

/* An iterator over each of the n iterables (taken from none of them). */
static Value *iter_multi(IterKind kind, const char *tname, Value *const *iterables, int n) {
    Value *v = iter_alloc(kind, tname);
    if (!v) return NULL;
    struct PyIter *p = v->iter;
    if (n && !(p->its = tsr_calloc((size_t)n, sizeof(Value *)))) {
        val_release(v);
        return NULL;
    }
    for (; p->n < n; p->n++)
        if (!(p->its[p->n] = iter_of(iterables[p->n]))) {
            val_release(v);
            return NULL;
        }
    return v;
}

Value *iter_zip(Value *const *iterables, int n, bool strict) {
    Value *v = iter_multi(IT_ZIP, "zip", iterables, n);
    if (v) v->iter->strict = strict;
    return v;
}

Value *iter_map(Value *fn, Value *const *iterables, int n) {
    Value *v = iter_multi(IT_MAP, "map", iterables, n);
    if (v) v->iter->fn = val_retain(fn);
    return v;
}

Value *iter_filter(Value *fn, Value *iterable) {
    Value *v = iter_multi(IT_FILTER, "filter", &iterable, 1);
    if (v) v->iter->fn = val_retain(fn);
    return v;
}

Value *iter_enumerate(Value *iterable, int64_t start) {
    Value *v = iter_multi(IT_ENUMERATE, "enumerate", &iterable, 1);
    if (v) v->iter->pos = start;
    return v;
}

/* A tuple of n for the next result: the previous one when only the
 * iterator holds it (the loop unpacked it), as CPython reuses it. */
static Value *result_tuple(struct PyIter *p, int n) {
    Value *t = p->result;
    if (t && t->rc == 1) {
        p->result = NULL;
        for (int64_t i = 0; i < t->seq.len; i++) {
            val_release(t->seq.items[i]);
            t->seq.items[i] = NULL;
        }
        return t;
    }
    return val_tuple_new(n);
}

static Value *keep_result(struct PyIter *p, Value *t) {
    val_release(p->result);
    p->result = val_retain(t);
    return t;
}

/* zip(strict=True) found iterator i (of n) ended: ValueError if the
 * others did not end with it; else the end. */
static Value *zip_strict_end(struct PyIter *p, int i, bool *done) {
    *done = false;
    if (i > 0) {
        tsr_raise(ERR_ValueError, "zip() argument %d is shorter than argument%s%d", i + 1, i == 1 ? " " : "s 1-", i);
        return NULL;
    }
    for (int j = 1; j < p->n; j++) {
        bool d;
        Value *x = iter_next(p->its[j], &d);
        if (!x && !d) return NULL;
        if (x) {
            val_release(x);
            tsr_raise(ERR_ValueError, "zip() argument %d is longer than argument%s%d", j + 1, j == 1 ? " " : "s 1-", j);
            return NULL;
        }
    }
    *done = true;
    return NULL;
}

static Value *zip_next(struct PyIter *p, bool *done) {
    if (!p->n) {
        *done = true;
        return NULL;
    }
    Value *t = result_tuple(p, p->n);
    if (!t) return NULL;
    for (int i = 0; i < p->n; i++) {
        if (!(t->seq.items[i] = iter_next(p->its[i], done))) {
            val_release(t);
            return *done && p->strict ? zip_strict_end(p, i, done) : NULL;
        }
    }
    return keep_result(p, t);
}

static Value *map_next(struct PyIter *p, bool *done) {
    Value *stack[8], **args = p->n <= 8 ? stack : tsr_malloc(sizeof(Value *) * (size_t)p->n);
    if (!args) return NULL;
    Value *r = NULL;
    int got = 0;
    while (got < p->n && (args[got] = iter_next(p->its[got], done))) got++;
    if (got == p->n) r = call_value(p->fn, &(CallArgs){args, p->n, NULL, NULL, 0});
    for (int i = 0; i < got; i++) val_release(args[i]);
    if (args != stack) free(args);
    return r;
}

static Value *filter_next(struct PyIter *p, bool *done) {
    for (;;) {
        if (tsr_check_interrupt()) return NULL;
        Value *x = iter_next(p->its[0], done);
        if (!x) return NULL;
        int keep;
        if (p->fn->kind == VK_NONE) {
            keep = val_truthy(x);
        } else {
            Value *r = call_value(p->fn, &(CallArgs){&x, 1, NULL, NULL, 0});
            keep = r ? val_truthy(r) : -1;
            val_release(r);
        }
        if (keep > 0) return x;
        val_release(x);
        if (keep < 0) return NULL;
    }
}

static Value *enumerate_next(struct PyIter *p, bool *done) {
    Value *x = iter_next(p->its[0], done);
    if (!x) return NULL;
    Value *t = result_tuple(p, 2);
    Value *i = t ? val_int(p->pos++) : NULL;
    if (!i) {
        val_release(t);
        val_release(x);
        return NULL;
    }
    t->seq.items[0] = i;
    t->seq.items[1] = x;
    return keep_result(p, t);
}

/* CPython's dictiter_iternext*: the dict's size must not change, and no
 * more entries than it had may turn up */
static Value *dict_iter_next(struct PyIter *p, bool *done) {
    if (!p->watch) return *done = true, NULL;
    Dict *d = p->watch->dict;
    if (dict_len(d) != p->watch_len) {
        p->watch_len = -1; /* it stays broken */
        tsr_raise(ERR_RuntimeError, "%s", "dictionary changed size during iteration");
        return NULL;
    }
    Value *k, *v;
    if (!dict_next_item(d, &p->pos, &k, &v)) {
        Value *w = p->watch;
        p->watch = NULL;
        val_release(w);
        return *done = true, NULL;
    }
    if (p->left == 0) {
        p->watch_len = -1;
        tsr_raise(ERR_RuntimeError, "%s", "dictionary keys changed during iteration");
        return NULL;
    }
    p->left--;
    if (p->step == 0) return val_retain(k);
    if (p->step == 1) return val_retain(v);
    Value *t = val_tuple_new(2);
    if (!t) return NULL;
    t->seq.items[0] = val_retain(k);
    t->seq.items[1] = val_retain(v);
    return t;
}

static Value *pyiter_next(struct PyIter *p, bool *done) {
    switch (p->kind) {
    case IT_SEQ:
        if (p->watch && set_len(p->watch) != p->watch_len) {
            p->watch_len = -1; /* it stays broken */
            tsr_raise(ERR_RuntimeError, "%s", "Set changed size during iteration");
            return NULL;
        }
        if (p->src && p->pos < p->src->seq.len) return val_retain(p->src->seq.items[p->pos++]);
        break;
    case IT_REVERSED:
        if (p->src && p->pos >= 0 && p->pos < p->src->seq.len) return val_retain(p->src->seq.items[p->pos--]);
        break;
    case IT_RANGE:
        if (p->left > 0) {
            p->left--;
            int64_t i = p->pos;
            p->pos = (int64_t)((uint64_t)p->pos + (uint64_t)p->step);
            return val_int(i);
        }
        break;
    case IT_BY_INDEX: {
        if (!p->src) break;
        Value *x = instance_next(p->src, true, p->pos++, done);
        if (x || !*done) return x;
        break;
    }
    case IT_ZIP: return zip_next(p, done);
    case IT_MAP: return map_next(p, done);
    case IT_FILTER: return filter_next(p, done);
    case IT_ENUMERATE: return enumerate_next(p, done);
    case IT_DICT: return dict_iter_next(p, done);
    }
    Value *src = p->src; /* exhausted: it stays so */
    p->src = NULL;
    val_release(src);
    *done = true;
    return NULL;
}

Value *iter_next(Value *it, bool *done) {
    *done = false;
    switch (it->kind) {
    case VK_ITER: return pyiter_next(it->iter, done);
    case VK_PYGEN: {
        Value *r = gen_send(it, NULL, done);
        if (*done) val_release(gen_take_return_value(it)); /* the StopIteration the loop swallows */
        return r;
    }
    case VK_INSTANCE:
        if (class_lookup(it->inst.cls, "__next__")) return instance_next(it, false, 0, done);
        break;
    default: break;
    }
    tsr_raise(ERR_TypeError, "'%s' object is not an iterator", val_type_name(it));
    return NULL;
}

Value *iter_step(Value *it, bool *done) {
    *done = false;
    return tsr_check_interrupt() ? NULL : iter_next(it, done);
}

bool iter_feed(Value *iterable, ItemSink sink, void *ctx) {
    if (gen_can_feed_inline(iterable)) return gen_feed_inline(iterable, sink, ctx);
    Value *it = iter_of(iterable), *x;
    if (!it) return false;
    bool done;
    int r = 1;
    while (r > 0 && (x = iter_step(it, &done))) r = sink(x, ctx);
    val_release(it);
    return r == 0 || (r > 0 && done);
}
