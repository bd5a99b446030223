/* iterators.h: Python's iterator protocol and the lazy iterator objects
 * (list_iterator, range_iterator, zip, map, filter, enumerate, reversed).
 * An iterator pulls from its sources only as it is consumed, as CPython's
 * do, so `zip(itertools.count(), x)` ends and `sum(map(f, big))` builds no
 * list. */
#ifndef TSR_ITERATORS_H
#define TSR_ITERATORS_H

#include "value.h"

struct PyIter;

/* iter(v): an iterator over v (v itself when it is one). */
Value *iter_of(Value *v);
/* next(it): the next item (a new reference); NULL with *done set at the
 * end; NULL on an error. */
Value *iter_next(Value *it, bool *done);
/* iter_next for a loop over user data: NULL with KeyboardInterrupt raised
 * (and *done false) once Ctrl-C was pressed. */
Value *iter_step(Value *it, bool *done);

/* Hands each item of iterable to sink until it ends or sink stops: false
 * with the error raised. A generator expression no one else sees runs in
 * place (gen_feed_inline). */
bool iter_feed(Value *iterable, ItemSink sink, void *ctx);

/* An iterator over the items of seq (a LIST, TUPLE, SIZE or NAMEDTUPLE),
 * which it takes; a list is read live, so items appended while it runs
 * are seen, as with CPython's list_iterator. tname is its type's name. */
Value *iter_seq_steal(Value *seq, const char *tname);
/* reversed(v) */
Value *iter_reversed(Value *v);
Value *iter_zip(Value *const *iterables, int n, bool strict);
Value *iter_map(Value *fn, Value *const *iterables, int n);
Value *iter_filter(Value *fn, Value *iterable); /* fn None keeps the truthy items */
Value *iter_enumerate(Value *iterable, int64_t start);

const char *iter_tname(const Value *it); /* "zip", "list_iterator", ... */
void iter_free(struct PyIter *p);
/* For the cycle collector: the values an iterator holds, and dropping them. */
void iter_visit(Value *it, void (*fn)(Value *child, void *ctx), void *ctx);
void iter_clear(Value *it);

#endif
