/* gc.c: collects the one kind of reference cycle the language makes.
 *
 * A function defined inside a function keeps its defining frame's locals
 * (a dict) as its closure, and that dict usually holds the function too
 * (`def add(x): ...` binds `add` there). When both become unreachable the
 * refcounts never reach zero. Frames whose locals outlive their call are
 * registered here; gc_collect() finds, by trial deletion (as CPython's
 * collector does, restricted to these dicts and the closures in them),
 * the ones only reachable from each other, and clears them.
 * Conservative: a reference from anywhere else keeps everything alive. */
#include <stdlib.h>

#include "error.h"
#include "interp_internal.h"

static Value **frames; /* registered locals dicts (one reference each) */
static int n_frames, cap_frames, next_collect = 64;

static int find_frame(Value *d) {
    for (int i = 0; i < n_frames; i++)
        if (frames[i] == d) return i;
    return -1;
}

void gc_register_frame(Value *locals) {
    if (find_frame(locals) >= 0) return;
    if (n_frames == cap_frames) {
        int cap = cap_frames ? cap_frames * 2 : 64;
        Value **f = realloc(frames, sizeof(Value *) * (size_t)cap);
        if (!f) return; /* not collecting is safe, only wasteful */
        frames = f;
        cap_frames = cap;
    }
    frames[n_frames++] = val_retain(locals);
}

typedef struct {
    Value *v;
    int64_t refs; /* references not accounted for by the registered set */
    bool alive;
} Node_;

static int find(Node_ *ns, int n, Value *v) {
    for (int i = 0; i < n; i++)
        if (ns[i].v == v) return i;
    return -1;
}

void gc_collect(void) {
    if (n_frames == 0) return;
    /* nodes: the frames, then the closures stored in them */
    int cap = n_frames * 4, n = 0;
    Node_ *ns = malloc(sizeof(Node_) * (size_t)cap);
    if (!ns) return;
    for (int i = 0; i < n_frames; i++) ns[n++] = (Node_){frames[i], frames[i]->rc - 1, false};
    for (int i = 0; i < n_frames; i++) {
        int64_t it = 0;
        const char *k;
        Value *v;
        while (dict_next(frames[i]->dict, &it, &k, &v)) {
            if (v->kind != VK_FUNCTION || !v->fn->closure_owner) continue;
            if (find_frame(v->fn->closure_owner) < 0 || find(ns, n, v) >= 0) continue;
            if (n == cap) {
                Node_ *g = realloc(ns, sizeof(Node_) * (size_t)(cap *= 2));
                if (!g) {
                    free(ns);
                    return;
                }
                ns = g;
            }
            ns[n++] = (Node_){v, v->rc, false};
        }
    }
    /* subtract the references the set holds on itself */
    for (int i = 0; i < n; i++) {
        Value *v = ns[i].v;
        if (v->kind == VK_DICT) {
            int64_t it = 0;
            const char *k;
            Value *x;
            while (dict_next(v->dict, &it, &k, &x)) {
                int j = find(ns, n, x);
                if (j >= 0) ns[j].refs--;
            }
        } else {
            int j = find(ns, n, v->fn->closure_owner);
            if (j >= 0) ns[j].refs--;
        }
    }
    /* whatever is referenced from outside, and what it reaches, lives */
    for (int i = 0; i < n; i++) ns[i].alive = ns[i].refs > 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < n; i++) {
            if (!ns[i].alive) continue;
            Value *v = ns[i].v;
            if (v->kind == VK_DICT) {
                int64_t it = 0;
                const char *k;
                Value *x;
                while (dict_next(v->dict, &it, &k, &x)) {
                    int j = find(ns, n, x);
                    if (j >= 0 && !ns[j].alive) ns[j].alive = changed = true;
                }
            } else {
                int j = find(ns, n, v->fn->closure_owner);
                if (j >= 0 && !ns[j].alive) ns[j].alive = changed = true;
            }
        }
    }
    /* clear the dead frames; keep the live ones registered */
    int kept = 0;
    Value **dead = malloc(sizeof(Value *) * (size_t)n_frames);
    int n_dead = 0;
    for (int i = 0; i < n_frames; i++) {
        if (ns[i].alive || !dead) frames[kept++] = frames[i];
        else dead[n_dead++] = frames[i];
    }
    n_frames = kept;
    free(ns);
    for (int i = 0; i < n_dead; i++) {
        Dict *old = dead[i]->dict;
        dead[i]->dict = dict_new();
        if (!dead[i]->dict) { /* keep the old contents: a leak, not a crash */
            dead[i]->dict = old;
            tsr_err_clear();
        } else {
            dict_free(old); /* releases the closures, which release this dict */
        }
        val_release(dead[i]);
    }
    free(dead);
    next_collect = n_frames * 2 > 64 ? n_frames * 2 : 64;
}

void gc_maybe_collect(void) {
    if (n_frames >= next_collect) gc_collect();
}

void gc_shutdown(void) {
    gc_collect();
    for (int i = 0; i < n_frames; i++) val_release(frames[i]);
    free(frames);
    frames = NULL;
    n_frames = cap_frames = 0;
}
