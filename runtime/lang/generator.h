/* generator.h: generator objects. A generator function's body runs on a
 * C stack of its own (a ucontext): `yield` switches back to whoever
 * resumed it, keeping the evaluator's C frames as they are, so a body can
 * yield from inside loops, try blocks and with blocks and be resumed
 * later, as CPython's frames are. */
#ifndef TSR_GENERATOR_H
#define TSR_GENERATOR_H

#include "value.h"

struct Interp;
struct Frame;

/* A new generator that will run fn's body over locals (its bound
 * parameters). Borrows both. */
Value *gen_new(Value *fn, Value *locals);

/* Runs the generator until its next yield: the yielded value (a new
 * reference); NULL with *done set when the body returned (StopIteration;
 * gen_take_return_value gives what it returned); NULL on an error raised in it. */
Value *gen_send(Value *gen, Value *sent, bool *done);
/* A generator expression that no one else holds (v->rc == 1) and that has
 * not started can run to its end in place, on the caller's stack, each
 * item going to sink: the same items, without two stack switches per
 * item. It is finished afterwards, also when sink stopped it. */
bool gen_can_feed_inline(const Value *v);
bool gen_feed_inline(Value *gen, ItemSink sink, void *ctx); /* false with the error raised */
/* what the ended generator returned, handed over once (a new reference):
 * NULL until done and after it was taken (StopIteration() from then on) */
Value *gen_take_return_value(Value *gen);
const char *gen_name(const Value *gen); /* the function's qualname */
/* close(): GeneratorExit at the paused yield, so that finally blocks run. */
bool gen_close(Value *gen);
/* g.throw(exc): raises exc (a class or an instance) at the paused yield;
 * as gen_send after that. Not started or ended: raised here. */
Value *gen_throw(Value *gen, Value *exc, bool *done);
/* For the cycle collector: whether it must be kept alive and not
 * traversed (running, or it would not close), the values it holds, and
 * dropping them (closing it first). A paused generator found to be garbage
 * is closed before anything is cleared (gen_close_garbage: its finally
 * blocks run, its stack is unwound while what it points at is intact). */
bool gen_hides_refs(const Value *gen);
int64_t *gen_gc_index(Value *gen); /* where gc.c keeps its place among the roots */
bool gen_is_paused(const Value *gen);
void gen_close_garbage(Value *gen);
void gen_visit(Value *gen, void (*fn)(Value *child, void *ctx), void *ctx);
void gen_clear(Value *gen);
/* Frees a generator's state; a paused one is closed first (val_release). */
void gen_free(struct PyGen *g);

/* The `yield` expression in the running generator's frame: v (taken) goes
 * to the caller; returns what the next send() passes (None for next()),
 * or NULL with GeneratorExit when the generator is being closed. */
Value *gen_yield(struct Interp *in, struct Frame *f, Value *v);

#endif
