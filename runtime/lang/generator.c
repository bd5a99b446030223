/* generator.c: generator objects on stacks of their own.
 *
 * The body of a generator function (or generator expression) runs in a
 * ucontext with its own C stack, taken at the first next(). gen_send
 * switches to it; `yield` (gen_yield) switches back. The first switch into
 * a new stack is swapcontext; every other one is _setjmp/_longjmp, which
 * do not save the signal mask: swapcontext's two system calls per switch
 * made a generator cost microseconds per item. The interpreter state that
 * belongs to the running code (the frame, the source, the call depth, the
 * exception being handled) is swapped with it. When the body ends its
 * stack is kept for the next generator (GenStack).
 * A generator released while paused is closed first: GeneratorExit at its
 * yield unwinds the body, running its finally blocks and releasing what
 * its frames hold, as CPython does; so is a paused one the collector
 * finds in a cycle (gc.c). */
/* _longjmp between the stacks is intended: fortify's check would refuse it */
#undef _FORTIFY_SOURCE
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "generator.h"
#include "interp_internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define TSR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TSR_ASAN 1
#endif
#endif
#ifdef TSR_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

/* Each generator's C stack: virtual memory, committed as it is used.
 * Calls nested inside a running generator are limited (GEN_MAX_NESTED)
 * so that they fit. */
#define GEN_STACK_SIZE (4u << 20)
#define GEN_MAX_NESTED 250

typedef enum { GEN_CREATED, GEN_SUSPENDED, GEN_RUNNING, GEN_DONE } GenState;

struct PyGen {
    Value *fn;     /* the generator function (FUNCTION) */
    Value *locals; /* VK_DICT: its frame's names */
    GenState state;
    jmp_buf body_jb, caller_jb; /* every switch but the first into a new stack */
    struct GenStack *stack;
    Value *transfer; /* the yielded value (to the caller) or the sent one (to the body) */
    Value *retval;   /* what the body returned */
    Value *throwing; /* throw(): the exception to raise at the yield */
    bool closing, failed;
    /* the running code's interpreter state while it is switched out */
    struct Frame *frame;
    const struct Source *running;
    Value *handling;
    int depth;
    int64_t gc_index; /* its place among the collector's roots (gc.c) */
#ifdef TSR_ASAN
    void *fake;
    const void *caller_bottom;
    size_t caller_size;
#endif
};

static struct PyGen *starting; /* the generator gen_main is to run */

Value *gen_new(Value *fn, Value *locals) {
    void *box;
    Value *v = val_boxed_new(VK_PYGEN, sizeof(struct PyGen), &box);
    if (!v) return NULL;
    struct PyGen *g = v->gen = box;
    g->fn = val_retain(fn);
    g->locals = val_retain(locals);
    gc_track_generator(v);
    return v;
}

int64_t *gen_gc_index(Value *gen) { return &gen->gen->gc_index; }

/* A C stack for generator bodies. gen_main runs on it and, when a body
 * ends, parks there (`park`) while the stack waits in a cache; the next
 * generator to start jumps to that point instead of mapping a stack and
 * making a context, which cost far more than a short generator expression. */
typedef struct GenStack {
    char *mem;
    ucontext_t ctx; /* the entry into gen_main, used once */
    jmp_buf park;
    bool parked;
} GenStack;

#define GEN_STACK_CACHE 8
static GenStack *stack_cache[GEN_STACK_CACHE];
static int n_cached;

static void gen_main(void);

static GenStack *new_stack(void) {
    if (n_cached) return stack_cache[--n_cached];
    GenStack *s = tsr_calloc(1, sizeof *s);
    if (!s) return NULL;
    s->mem = mmap(NULL, GEN_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (s->mem == MAP_FAILED || getcontext(&s->ctx) != 0) {
        if (s->mem != MAP_FAILED) munmap(s->mem, GEN_STACK_SIZE);
        free(s);
        tsr_raise(ERR_MemoryError, "%s", "cannot allocate a generator's stack");
        return NULL;
    }
    mprotect(s->mem, 4096, PROT_NONE); /* a guard page below the stack */
    s->ctx.uc_stack.ss_sp = s->mem;
    s->ctx.uc_stack.ss_size = GEN_STACK_SIZE;
    s->ctx.uc_link = NULL;
    makecontext(&s->ctx, gen_main, 0);
    return s;
}

/* A finished generator's stack (gen_main parked on it) goes to the cache;
 * one whose body never ended is dropped with whatever it holds. */
static void free_stack(struct PyGen *g) {
    GenStack *s = g->stack;
    g->stack = NULL;
    if (!s) return;
    if (s->parked && n_cached < GEN_STACK_CACHE) {
        stack_cache[n_cached++] = s;
        return;
    }
    munmap(s->mem, GEN_STACK_SIZE);
    free(s);
}

/* ---- switching ---- */

static void to_caller(struct PyGen *g) {
#ifdef TSR_ASAN
    __sanitizer_start_switch_fiber(&g->fake, g->caller_bottom, g->caller_size);
#endif
    if (!_setjmp(g->body_jb)) _longjmp(g->caller_jb, 1);
#ifdef TSR_ASAN
    __sanitizer_finish_switch_fiber(g->fake, &g->caller_bottom, &g->caller_size);
#endif
}

static void gen_main(void) {
    void *fake = NULL; /* ASan's fake stack of this stack while parked */
    (void)fake;
    for (;;) {
        struct PyGen *g = starting;
        GenStack *s = g->stack;
#ifdef TSR_ASAN
        __sanitizer_finish_switch_fiber(fake, &g->caller_bottom, &g->caller_size);
#endif
        struct Interp *in = tsr_interp;
        Function *fn = g->fn->fn;
        Frame frame = {.locals = g->locals, .fn = fn, .fn_value = g->fn, .gen = g, .globals = fn->globals,
                       .back = in->frame, .src = fn->source};
        in->frame = &frame;
        in->running = fn->source;
        ExecStatus st = g->closing     ? EXEC_OK
                        : fn->is_genexp ? (eval_genexp_body(in, &frame) ? EXEC_OK : EXEC_ERROR)
                                        : exec_block(in, &frame, &fn->body->body);
        if (st == EXEC_ERROR) {
            g->failed = true;
            if (tsr_err_kind() == ERR_StopIteration) /* PEP 479 */
                tsr_raise(ERR_RuntimeError, "%s", "generator raised StopIteration");
            if (!frame.sink_failed) tb_leave_frame(in, fn->name);
            val_release(frame.retval);
        } else {
            g->retval = frame.retval ? frame.retval : val_none();
        }
        val_release(frame.global_names);
        g->state = GEN_DONE;
        s->parked = true;
#ifdef TSR_ASAN
        __sanitizer_start_switch_fiber(&fake, g->caller_bottom, g->caller_size);
#endif
        if (!_setjmp(s->park)) _longjmp(g->caller_jb, 1);
        /* woken to run the generator in `starting` */
    }
}

/* A body that has ended may have left closures over its frame (a lambda
 * it made, a nested def): that frame now outlives the body, as a returned
 * function's does, and may sit in a cycle that runs through this
 * generator (locals -> closure -> locals, or locals -> another generator
 * -> its locals -> closure -> locals), which only the collector frees. */
static void keep_frame(struct PyGen *g) {
    if (g->locals && g->locals->rc > 1) gc_register_frame(g->locals);
}

/* Switches into g until it yields or ends. */
static void resume(struct Interp *in, struct PyGen *g) {
    Frame *frame = in->frame;
    const struct Source *running = in->running;
    Value *handling = in->handling;
    int depth = in->depth;
    bool first = g->state == GEN_CREATED;
    g->state = GEN_RUNNING;
    if (!first) {
        g->frame->back = frame;
        in->frame = g->frame;
        in->running = g->running;
        in->handling = g->handling;
    } else {
        in->handling = NULL;
        starting = g;
    }
    int limit = in->depth_limit;
    in->depth = depth + 1;
    if (in->depth + GEN_MAX_NESTED < limit) in->depth_limit = in->depth + GEN_MAX_NESTED;
#ifdef TSR_ASAN
    void *fake = NULL;
    __sanitizer_start_switch_fiber(&fake, g->stack->mem, GEN_STACK_SIZE);
#endif
    if (!_setjmp(g->caller_jb)) {
        if (!first) {
            _longjmp(g->body_jb, 1);
        } else if (g->stack->parked) {
            _longjmp(g->stack->park, 1);
        } else {
            ucontext_t caller; /* never returned to: the body comes back by _longjmp */
            swapcontext(&caller, &g->stack->ctx);
        }
    }
#ifdef TSR_ASAN
    __sanitizer_finish_switch_fiber(fake, NULL, NULL);
#endif
    in->frame = frame;
    in->running = running;
    in->handling = handling;
    in->depth = depth;
    in->depth_limit = limit;
    if (g->state == GEN_DONE) {
        free_stack(g);
        keep_frame(g);
    }
}

Value *gen_yield(struct Interp *in, Frame *f, Value *v) {
    struct PyGen *g = f->gen;
    g->transfer = v;
    g->state = GEN_SUSPENDED;
    g->frame = in->frame;
    g->running = in->running;
    g->handling = in->handling;
    g->depth = in->depth;
    to_caller(g);
    /* resumed: resume() set the frame, source and handling back */
    if (g->closing) {
        tsr_raise(ERR_GeneratorExit, "%s", "");
        return NULL;
    }
    if (g->throwing) {
        Value *e = g->throwing;
        g->throwing = NULL;
        exc_raise_value(in, e, NULL);
        val_release(e);
        return NULL;
    }
    Value *sent = g->transfer;
    g->transfer = NULL;
    return sent ? sent : val_none();
}

bool gen_feed_inline(Value *gen, ItemSink sink, void *ctx) {
    struct PyGen *g = gen->gen;
    struct Interp *in = tsr_interp;
    if (in->depth >= in->depth_limit) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded");
        return false;
    }
    Function *fn = g->fn->fn;
    Frame frame = {.locals = g->locals, .fn = fn, .fn_value = g->fn, .gen = g, .globals = fn->globals,
                   .sink = sink, .sink_ctx = ctx, .back = in->frame, .src = fn->source};
    Frame *caller = in->frame;
    const struct Source *running = in->running;
    in->frame = &frame;
    in->running = fn->source;
    in->depth++;
    g->state = GEN_RUNNING;
    bool ok = eval_genexp_body(in, &frame) || frame.sink_stopped;
    if (!ok && tsr_err_kind() == ERR_StopIteration) /* PEP 479 */
        tsr_raise(ERR_RuntimeError, "%s", "generator raised StopIteration");
    if (!ok && !frame.sink_failed) tb_leave_frame(in, fn->name);
    in->depth--;
    in->frame = caller;
    in->running = running;
    g->state = GEN_DONE;
    g->failed = !ok;
    if (ok) g->retval = val_none();
    keep_frame(g);
    return ok;
}

/* What a resumed generator did: yielded (the value), ended (done), or
 * failed (NULL, the error raised). */
static Value *resumed_result(struct PyGen *g, bool *done) {
    if (g->state == GEN_SUSPENDED) {
        Value *v = g->transfer;
        g->transfer = NULL;
        return v;
    }
    if (!g->failed) *done = true;
    return NULL;
}

Value *gen_throw(Value *gen, Value *exc, bool *done) {
    struct PyGen *g = gen->gen;
    struct Interp *in = tsr_interp;
    *done = false;
    if (g->state == GEN_RUNNING) {
        tsr_raise(ERR_ValueError, "%s", "generator already executing");
        return NULL;
    }
    if (g->state != GEN_SUSPENDED) { /* not started, or ended: raised here, and it is done */
        g->state = GEN_DONE;
        exc_raise_value(in, exc, NULL);
        return NULL;
    }
    if (in->depth >= in->depth_limit) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded");
        return NULL;
    }
    g->throwing = val_retain(exc);
    resume(in, g);
    return resumed_result(g, done);
}

Value *gen_send(Value *gen, Value *sent, bool *done) {
    struct PyGen *g = gen->gen;
    struct Interp *in = tsr_interp;
    *done = false;
    if (g->state == GEN_RUNNING) {
        tsr_raise(ERR_ValueError, "%s", "generator already executing");
        return NULL;
    }
    if (g->state == GEN_DONE) {
        *done = true;
        return NULL;
    }
    if (g->state == GEN_CREATED) {
        if (sent && sent->kind != VK_NONE) {
            tsr_raise(ERR_TypeError, "%s", "can't send non-None value to a just-started generator");
            return NULL;
        }
        if (!(g->stack = new_stack())) return NULL;
    }
    if (in->depth >= in->depth_limit) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded");
        return NULL;
    }
    g->transfer = sent ? val_retain(sent) : NULL;
    resume(in, g);
    return resumed_result(g, done);
}

bool gen_can_feed_inline(const Value *v) {
    return v->kind == VK_PYGEN && v->rc == 1 && v->gen->state == GEN_CREATED && v->gen->fn->fn->is_genexp;
}

const char *gen_name(const Value *gen) { return gen->gen->fn->fn->qualname; }

Value *gen_take_return_value(Value *gen) {
    Value *r = gen->gen->retval;
    gen->gen->retval = NULL;
    return r;
}

bool gen_close(Value *gen) {
    struct PyGen *g = gen->gen;
    if (g->state == GEN_CREATED) {
        g->state = GEN_DONE;
        return true;
    }
    if (g->state != GEN_SUSPENDED) return true;
    g->closing = true;
    resume(tsr_interp, g);
    if (g->state == GEN_SUSPENDED) { /* it yielded again */
        val_release(g->transfer);
        g->transfer = NULL;
        tsr_raise(ERR_RuntimeError, "%s", "generator ignored GeneratorExit");
        return false;
    }
    if (g->failed && tsr_err_kind() == ERR_GeneratorExit) {
        tsr_err_clear();
        return true;
    }
    return !g->failed;
}

/* close() while another error may be propagating: it stays the current
 * one. An error the generator raises is dropped with its exception object
 * (CPython's "Exception ignored in"): kept as the current one's, it would
 * hold what the finally block reached past the collection that ran it. */
static void close_quietly(struct PyGen *g) {
    SavedError saved;
    bool had = tsr_err_occurred() && exc_save(tsr_interp, &saved);
    Value tmp = {.kind = VK_PYGEN, .rc = 1, .gen = g};
    gen_close(&tmp);
    exc_drop(tsr_interp);
    if (had) exc_restore(tsr_interp, &saved);
}

/* A running generator's frames are in use; one that yielded again when
 * it was closed keeps what its stack holds for good. A paused one is
 * traversed: the references its stack holds are ones the collector cannot
 * see, so what they reach counts as held from outside and lives. */
bool gen_hides_refs(const Value *gen) {
    const struct PyGen *g = gen->gen;
    return g->state == GEN_RUNNING || (g->state == GEN_SUSPENDED && g->closing);
}

bool gen_is_paused(const Value *gen) { return gen->gen->state == GEN_SUSPENDED; }

void gen_close_garbage(Value *gen) {
    if (gen->gen->state == GEN_SUSPENDED && tsr_interp) close_quietly(gen->gen);
}

void gen_visit(Value *gen, void (*fn)(Value *child, void *ctx), void *ctx) {
    struct PyGen *g = gen->gen;
    if (gen_hides_refs(gen)) return;
    if (g->fn) fn(g->fn, ctx);
    if (g->locals) fn(g->locals, ctx);
}

void gen_clear(Value *gen) {
    struct PyGen *g = gen->gen;
    if (gen_hides_refs(gen)) return;
    if (g->state == GEN_SUSPENDED && tsr_interp) close_quietly(g);
    if (g->state == GEN_SUSPENDED) return;
    g->state = GEN_DONE;
    Value *fn = g->fn, *locals = g->locals;
    g->fn = g->locals = NULL;
    val_release(fn);
    val_release(locals);
}

void gen_free(struct PyGen *g) {
    gc_untrack_generator(g, g->gc_index);
    if (g->state == GEN_SUSPENDED && tsr_interp) close_quietly(g);
    if (g->state == GEN_SUSPENDED) return; /* it could not be closed: its frames keep what they hold */
    free_stack(g);
    val_release(g->fn);
    val_release(g->locals);
    val_release(g->transfer);
    val_release(g->retval);
    val_release(g->throwing);
    free(g);
}
