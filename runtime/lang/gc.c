/* gc.c: the cycle collector.
 *
 * Reference counts free everything but cycles: an object whose attribute
 * holds itself, a parent and its children, a closure and the frame it
 * closes over, a bound method stored on its own instance. The collector
 * finds them as CPython's does, by trial deletion over a candidate set:
 * the roots (every instance and generator, and the frames a closure
 * kept alive past their call or past their generator's body), plus every
 * container reachable from them. Each object's count minus the references
 * from inside the set says whether anything outside holds it; what is held
 * from outside, and what it reaches, lives; the rest is garbage, and is
 * cleared, which breaks its cycles.
 *
 * Instances and generators are tracked weakly (their gc_index); frames
 * are held by the registry (one reference each, counted as internal). A
 * running generator is treated as alive. A paused one's stack holds
 * references the collector cannot see: what they reach counts as held
 * from outside, and a paused generator in the garbage is closed before
 * anything is cleared, after which the collection starts over, since its
 * finally blocks may have kept some of the garbage. Modules are not
 * traversed (they live as long as the interpreter).
 *
 * The autograd graph is part of the object graph: a tensor holds its
 * grad, its grad_fn and its view's base; a node holds the nodes of its
 * next edges, its saved tensors, an AccumulateGrad's leaf, a CopySlices'
 * view_fn, the Python hooks registered on it and, for a custom Function,
 * its ctx object, which may hold the node's outputs (ctx.out = y) or
 * itself (as Python's gc traverses THPFunction and PyNode). Tensors and
 * nodes join the candidate set as they are reached, each with its own
 * count, so a cycle through them is found as any other; clearing a dead
 * one drops those references. */
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "generator.h"
#include "interp_internal.h"
#include "iterators.h"

static Value **frames; /* registered locals dicts (one reference each) */
static int64_t n_frames, cap_frames;
static Value **instances; /* every live instance (weak) */
static int64_t n_instances, cap_instances;
static Value **generators; /* every live generator (weak) */
static int64_t n_generators, cap_generators;
static Value **containers; /* every live list and dict (weak) */
static int64_t n_containers, cap_containers;
/* tensors whose .grad has a history (one reference each) */
static Tensor **grad_tensors;
static int64_t n_grad_tensors, cap_grad_tensors;
/* Roots made minus roots freed since the last collection: a program that
 * frees what it makes never collects; one that leaks cycles does, once
 * the leak passes the size of the last collection's candidate set. */
static int64_t allocated_since, threshold = 2000, frames_threshold = 64;
static bool collecting;

static bool grow(Value ***arr, int64_t *cap, int64_t need) {
    if (need <= *cap) return true;
    int64_t c = *cap ? *cap * 2 : 64;
    while (c < need) c *= 2;
    Value **a = realloc(*arr, sizeof(Value *) * (size_t)c);
    if (!a) return false; /* not tracking is safe, only a leak */
    *arr = a;
    *cap = c;
    return true;
}

void gc_register_frame(Value *locals) {
    for (int64_t i = 0; i < n_frames; i++)
        if (frames[i] == locals) return;
    if (!grow(&frames, &cap_frames, n_frames + 1)) return;
    frames[n_frames++] = val_retain(locals);
}

/* ag_grad_history_hook: t may hold itself through its .grad's graph. Held
 * by the registry until a collection finds its .grad without a history
 * (the registry lets go) or the cycle unreachable (cleared). */
static void track_grad_tensor(Tensor *t) {
    for (int64_t i = 0; i < n_grad_tensors; i++)
        if (grad_tensors[i] == t) return;
    if (n_grad_tensors == cap_grad_tensors) {
        int64_t c = cap_grad_tensors ? cap_grad_tensors * 2 : 64;
        Tensor **a = realloc(grad_tensors, sizeof(Tensor *) * (size_t)c);
        if (!a) return; /* not tracking is safe, only a leak */
        grad_tensors = a;
        cap_grad_tensors = c;
    }
    grad_tensors[n_grad_tensors++] = tensor_retain(t);
    ++allocated_since;
}

void gc_track_grad_tensors(void) { ag_grad_history_hook = track_grad_tensor; }

/* The registry lets go of tensors whose .grad lost its history. */
static void prune_grad_tensors(void) {
    int64_t kept = 0;
    for (int64_t i = 0; i < n_grad_tensors; i++) {
        Tensor *t = grad_tensors[i];
        if (t->grad && t->grad->grad_fn) grad_tensors[kept++] = t;
        else tensor_release(t);
    }
    n_grad_tensors = kept;
}

void gc_track_instance(Value *v) {
    v->inst.gc_index = -1;
    if (!grow(&instances, &cap_instances, n_instances + 1)) return;
    v->inst.gc_index = n_instances;
    instances[n_instances++] = v;
    if (++allocated_since >= threshold && !collecting) gc_collect();
}

void gc_untrack_instance(Value *v) {
    int64_t i = v->inst.gc_index;
    if (i < 0 || i >= n_instances || instances[i] != v) return;
    instances[i] = instances[--n_instances];
    instances[i]->inst.gc_index = i;
    v->inst.gc_index = -1;
    if (allocated_since > 0) allocated_since--;
}

static int64_t *container_index(Value *v) {
    return v->kind == VK_LIST ? &v->seq.gc_index : &v->dict_gc_index;
}

/* Lists and dicts: every cycle without an instance, a frame or a
 * generator in it passes through one (a tuple or a set cannot hold
 * itself but through something mutable). */
void gc_track_container(Value *v) {
    *container_index(v) = -1;
    if (!grow(&containers, &cap_containers, n_containers + 1)) return;
    *container_index(v) = n_containers;
    containers[n_containers++] = v;
    if (++allocated_since >= threshold && !collecting) gc_collect();
}

void gc_untrack_container(Value *v) {
    int64_t i = *container_index(v);
    if (i < 0 || i >= n_containers || containers[i] != v) return;
    containers[i] = containers[--n_containers];
    *container_index(containers[i]) = i;
    *container_index(v) = -1;
    if (allocated_since > 0) allocated_since--;
}

/* A generator's frame may hold it (a generator sent itself, a list it
 * was given that holds it) with no instance or closure in the cycle. */
void gc_track_generator(Value *v) {
    int64_t *index = gen_gc_index(v);
    *index = -1;
    if (!grow(&generators, &cap_generators, n_generators + 1)) return;
    *index = n_generators;
    generators[n_generators++] = v;
    ++allocated_since;
}

void gc_untrack_generator(struct PyGen *g, int64_t i) {
    if (i < 0 || i >= n_generators || generators[i]->gen != g) return;
    generators[i] = generators[--n_generators];
    *gen_gc_index(generators[i]) = i;
    if (allocated_since > 0) allocated_since--;
}

/* ---- the objects a value refers to ---- */

typedef void (*Visit)(Value *child, void *ctx);

static void visit_dict(Dict *d, Visit fn, void *ctx) {
    int64_t it = 0;
    Value *k, *v;
    while (dict_next_item(d, &it, &k, &v)) {
        fn(k, ctx);
        fn(v, ctx);
    }
}

static void children(Value *v, Visit fn, void *ctx) {
#define V(x) \
    if (x) fn(x, ctx)
    switch (v->kind) {
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE:
        for (int64_t i = 0; i < v->seq.len; i++) V(v->seq.items[i]);
        break;
    case VK_DICT: visit_dict(v->dict, fn, ctx); break;
    case VK_MODULE: visit_dict(v->module.members, fn, ctx); break;
    case VK_SET: case VK_FROZENSET: {
        int64_t it = 0;
        Value *k;
        while (set_next(v, &it, &k)) fn(k, ctx);
        break;
    }
    case VK_INSTANCE: V(v->inst.cls); V(v->inst.dict); V(v->inst.args); V(v->inst.payload); break;
    case VK_CLASS: V(v->cls->base); V(v->cls->bases); V(v->cls->mro); V(v->cls->dict); break;
    case VK_BOUND: V(v->bound.fn); V(v->bound.self); break;
    case VK_WRAPPER: V(v->wrap.fn); V(v->wrap.fset); V(v->wrap.fdel); V(v->wrap.doc); break;
    case VK_SUPER: V(v->sup.cls); V(v->sup.self); break;
    case VK_METHOD: V(v->method.self); break;
    case VK_DICTVIEW: V(v->view.dict); break;
    case VK_ITER: iter_visit(v, fn, ctx); break;
    case VK_PYGEN: gen_visit(v, fn, ctx); break;
    case VK_SLICE: V(v->slice.start); V(v->slice.stop); V(v->slice.step); break;
    case VK_FUNCTION: {
        Function *f = v->fn;
        for (int i = 0; f->defaults && i < f->params->n_defaults; i++) V(f->defaults[i]);
        for (int i = 0; f->kwonly_defaults && i < f->params->n_kwonly; i++) V(f->kwonly_defaults[i]);
        V(f->closure_owner);
        V(f->outer);
        V(f->attrs);
        V(f->annotations);
        break;
    }
    default: break;
    }
#undef V
}

/* A tensor that holds nothing the collector sees is in no cycle. */
static bool tensor_has_links(const Tensor *t) {
    return t && (t->grad || t->grad_fn || t->view_base || t->hooks);
}

static bool is_container(const Value *v) {
    switch (v->kind) {
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: case VK_DICT: case VK_SET:
    case VK_FROZENSET: case VK_INSTANCE: case VK_CLASS: case VK_BOUND: case VK_WRAPPER: case VK_SUPER:
    case VK_METHOD: case VK_DICTVIEW: case VK_ITER: case VK_SLICE: case VK_FUNCTION: case VK_PYGEN:
    case VK_GRADFN:
        return true;
    case VK_TENSOR: return tensor_has_links(v->tensor);
    default: return false;
    }
}

/* ---- the objects the collector sees: values, tensors, autograd nodes ---- */

typedef enum { GC_VALUE, GC_TENSOR, GC_NODE } GcKind;

/* Called once per counted reference an object holds. */
typedef void (*ObjVisit)(void *obj, GcKind kind, void *ctx);

typedef struct {
    ObjVisit fn;
    void *ctx;
} ValueVisit;

static void visit_as_value(Value *child, void *ctx) {
    ValueVisit *vv = ctx;
    vv->fn(child, GC_VALUE, vv->ctx);
}

/* The Python callables of a hook list (each hook owns its fn: a Value,
 * builtins/autograd.c's register_hook). */
static void visit_hooks(AgHook *h, ObjVisit fn, void *ctx) {
    for (; h; h = h->next)
        if (h->fn) fn(h->fn, GC_VALUE, ctx);
}

static void obj_children(void *obj, GcKind kind, ObjVisit fn, void *ctx) {
    switch (kind) {
    case GC_VALUE: {
        Value *v = obj;
        if (v->kind == VK_TENSOR) {
            if (v->tensor) fn(v->tensor, GC_TENSOR, ctx);
        } else if (v->kind == VK_GRADFN) {
            if (v->gradfn) fn(v->gradfn, GC_NODE, ctx);
        } else {
            ValueVisit vv = {fn, ctx};
            children(v, visit_as_value, &vv);
        }
        break;
    }
    case GC_TENSOR: {
        Tensor *t = obj;
        if (t->grad) fn(t->grad, GC_TENSOR, ctx);
        if (t->grad_fn) fn(t->grad_fn, GC_NODE, ctx);
        if (t->view_base) fn(t->view_base, GC_TENSOR, ctx);
        visit_hooks(t->hooks, fn, ctx);
        break;
    }
    case GC_NODE: {
        GradNode *n = obj;
        for (int i = 0; i < n->n_next; i++)
            if (n->next[i].node) fn(n->next[i].node, GC_NODE, ctx);
        for (int i = 0; i < n->n_saved; i++)
            if (n->saved[i]) fn(n->saved[i], GC_TENSOR, ctx);
        if (n->leaf) fn(n->leaf, GC_TENSOR, ctx);
        if (n->view_fn) fn(n->view_fn, GC_NODE, ctx);
        visit_hooks(n->hooks, fn, ctx);
        /* a custom Function's ctx object (builtins/autograd_function.c) */
        if (n->kind == NODE_FunctionBackward && n->ctx && ((AgFunctionCtx *)n->ctx)->obj)
            fn(((AgFunctionCtx *)n->ctx)->obj, GC_VALUE, ctx);
        break;
    }
    }
}

/* Whether obj can hold a reference (an object that holds none is in no
 * cycle, and stays out of the set). */
static bool obj_is_container(void *obj, GcKind kind) {
    switch (kind) {
    case GC_VALUE: return is_container(obj);
    case GC_TENSOR: return tensor_has_links(obj);
    case GC_NODE: return true;
    }
    return false;
}

static int64_t obj_rc(void *obj, GcKind kind) {
    switch (kind) {
    case GC_VALUE: return ((Value *)obj)->rc;
    case GC_TENSOR: return ((Tensor *)obj)->rc;
    case GC_NODE: return ((GradNode *)obj)->rc;
    }
    return 0;
}

/* ---- the candidate set: an array of nodes and a pointer hash of them ---- */

typedef struct {
    void *obj;
    int64_t refs; /* references from outside the set */
    GcKind kind;
    bool alive;
} GcNode;

typedef struct {
    GcNode *nodes;
    int64_t n, cap;
    int64_t *slots; /* node index + 1; 0 empty */
    int64_t mask;
    bool failed;
} GcSet;

static uint64_t ptr_hash(const void *p) {
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static int64_t gcset_find(const GcSet *s, const void *obj) {
    for (uint64_t i = ptr_hash(obj) & (uint64_t)s->mask;; i = (i + 1) & (uint64_t)s->mask) {
        int64_t e = s->slots[i];
        if (!e) return -1;
        if (s->nodes[e - 1].obj == obj) return e - 1;
    }
}

static bool gcset_rehash(GcSet *s, int64_t cap) {
    int64_t *slots = calloc((size_t)cap, sizeof(int64_t));
    if (!slots) return false;
    free(s->slots);
    s->slots = slots;
    s->mask = cap - 1;
    for (int64_t e = 0; e < s->n; e++) {
        uint64_t i = ptr_hash(s->nodes[e].obj) & (uint64_t)s->mask;
        while (slots[i]) i = (i + 1) & (uint64_t)s->mask;
        slots[i] = e + 1;
    }
    return true;
}

static void gcset_add_obj(void *obj, GcKind kind, void *ctx) {
    GcSet *s = ctx;
    if (s->failed || !obj_is_container(obj, kind) || gcset_find(s, obj) >= 0) return;
    if (s->n == s->cap) {
        int64_t cap = s->cap * 2;
        GcNode *nodes = realloc(s->nodes, sizeof(GcNode) * (size_t)cap);
        if (!nodes) {
            s->failed = true;
            return;
        }
        s->nodes = nodes;
        s->cap = cap;
    }
    if ((s->n + 1) * 2 > s->mask + 1 && !gcset_rehash(s, (s->mask + 1) * 2)) {
        s->failed = true;
        return;
    }
    s->nodes[s->n] = (GcNode){obj, obj_rc(obj, kind), kind, false};
    uint64_t i = ptr_hash(obj) & (uint64_t)s->mask;
    while (s->slots[i]) i = (i + 1) & (uint64_t)s->mask;
    s->slots[i] = ++s->n;
}

static void gcset_add(Value *v, void *ctx) { gcset_add_obj(v, GC_VALUE, ctx); }

static void subtract_ref(void *child, GcKind kind, void *ctx) {
    (void)kind;
    GcSet *s = ctx;
    int64_t j = gcset_find(s, child);
    if (j >= 0) s->nodes[j].refs--;
}

typedef struct {
    GcSet *set;
    int64_t *stack, top;
} Marker;

static void mark_alive(void *child, GcKind kind, void *ctx) {
    (void)kind;
    Marker *m = ctx;
    int64_t j = gcset_find(m->set, child);
    if (j >= 0 && !m->set->nodes[j].alive) {
        m->set->nodes[j].alive = true;
        m->stack[m->top++] = j;
    }
}

/* Releases what a dead object holds, leaving it empty (it is freed when
 * its last reference goes). */
static void clear(Value *v) {
    switch (v->kind) {
    case VK_LIST: case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: {
        int64_t n = v->seq.len;
        v->seq.len = 0;
        for (int64_t i = 0; i < n; i++) val_release(v->seq.items[i]);
        break;
    }
    case VK_DICT: dict_clear(v->dict); break;
    case VK_MODULE: dict_clear(v->module.members); break;
    case VK_SET: case VK_FROZENSET: set_clear(v); break;
#define DROP(x)            \
    do {                   \
        Value *t_ = (x);   \
        (x) = NULL;        \
        val_release(t_);   \
    } while (0)
    case VK_INSTANCE: DROP(v->inst.dict); DROP(v->inst.args); DROP(v->inst.payload); DROP(v->inst.cls); break;
    case VK_CLASS: DROP(v->cls->dict); DROP(v->cls->mro); DROP(v->cls->bases); DROP(v->cls->base); break;
    case VK_BOUND: DROP(v->bound.fn); DROP(v->bound.self); break;
    case VK_WRAPPER: DROP(v->wrap.fn); DROP(v->wrap.fset); DROP(v->wrap.fdel); DROP(v->wrap.doc); break;
    case VK_SUPER: DROP(v->sup.cls); DROP(v->sup.self); break;
    case VK_METHOD: DROP(v->method.self); break;
    case VK_DICTVIEW: DROP(v->view.dict); break;
    case VK_ITER: iter_clear(v); break;
    case VK_PYGEN: gen_clear(v); break;
    case VK_SLICE: DROP(v->slice.start); DROP(v->slice.stop); DROP(v->slice.step); break;
    case VK_FUNCTION: {
        Function *f = v->fn;
        for (int i = 0; f->defaults && i < f->params->n_defaults; i++) DROP(f->defaults[i]);
        for (int i = 0; f->kwonly_defaults && i < f->params->n_kwonly; i++) DROP(f->kwonly_defaults[i]);
        f->closure = NULL;
        DROP(f->closure_owner);
        DROP(f->outer);
        DROP(f->attrs);
        DROP(f->annotations);
        break;
    }
#undef DROP
    default: break;
    }
}

/* The Python callables of a dead object's hooks go (a hook without one
 * is a removed hook). */
static void clear_hooks(AgHook *h) {
    for (; h; h = h->next) {
        void *fn = h->fn;
        h->fn = NULL;
        if (fn && ag_hook_free) ag_hook_free(fn);
    }
}

/* A dead tensor lets go of its gradient, its node and its hooks; a dead
 * node of everything it holds (it will never run: nothing outside the
 * garbage reaches it). A view keeps its base: a chain of bases ends, so
 * a cycle through one passes some other reference too. */
static void clear_obj(void *obj, GcKind kind) {
    switch (kind) {
    case GC_VALUE: clear(obj); break;
    case GC_TENSOR: {
        Tensor *t = obj;
        if (t->retains_grad) ag_forget_retained(t);
        t->retains_grad = false;
        Tensor *g = t->grad;
        GradNode *fn = t->grad_fn;
        t->grad = NULL;
        t->grad_fn = NULL;
        clear_hooks(t->hooks);
        tensor_release(g);
        ag_node_release(fn);
        break;
    }
    case GC_NODE: {
        GradNode *n = obj;
        for (int i = 0; i < n->n_next; i++) {
            GradNode *m = n->next[i].node;
            n->next[i].node = NULL;
            ag_node_release(m);
        }
        for (int i = 0; i < n->n_saved; i++) {
            Tensor *t = n->saved[i];
            n->saved[i] = NULL;
            tensor_release(t);
        }
        n->released = true;
        Tensor *leaf = n->leaf;
        GradNode *view_fn = n->view_fn;
        n->leaf = NULL;
        n->view_fn = NULL;
        tensor_release(leaf);
        ag_node_release(view_fn);
        clear_hooks(n->hooks);
        if (n->kind == NODE_FunctionBackward && n->ctx) {
            AgFunctionCtx *c = n->ctx;
            void *ctx_obj = c->obj;
            c->obj = NULL;
            if (ctx_obj && ag_function_free) ag_function_free(n, ctx_obj);
        }
        break;
    }
    }
}

static void obj_retain(void *obj, GcKind kind) {
    switch (kind) {
    case GC_VALUE: val_retain(obj); break;
    case GC_TENSOR: tensor_retain(obj); break;
    case GC_NODE: ag_node_retain(obj); break;
    }
}

static void obj_release(void *obj, GcKind kind) {
    switch (kind) {
    case GC_VALUE: val_release(obj); break;
    case GC_TENSOR: tensor_release(obj); break;
    case GC_NODE: ag_node_release(obj); break;
    }
}

/* Closes the paused generators among the garbage (a new reference to
 * each in paused[]); returns how many, -1 on OOM. */
static bool is_paused_gen(const GcNode *g) {
    return g->kind == GC_VALUE && ((Value *)g->obj)->kind == VK_PYGEN && gen_is_paused(g->obj);
}

static int64_t close_paused(const GcSet *s) {
    int64_t n = 0;
    for (int64_t i = 0; i < s->n; i++)
        if (!s->nodes[i].alive && is_paused_gen(&s->nodes[i])) n++;
    if (!n) return 0;
    Value **paused = malloc(sizeof(Value *) * (size_t)n);
    if (!paused) return -1;
    n = 0;
    for (int64_t i = 0; i < s->n; i++)
        if (!s->nodes[i].alive && is_paused_gen(&s->nodes[i])) paused[n++] = val_retain(s->nodes[i].obj);
    for (int64_t i = 0; i < n; i++) gen_close_garbage(paused[i]);
    for (int64_t i = 0; i < n; i++) val_release(paused[i]);
    free(paused);
    return n;
}

void gc_collect(void) {
    int64_t n_alive = 0;
    if (collecting || val_release_busy()) return;
    prune_grad_tensors();
    if (!n_frames && !n_instances && !n_generators && !n_containers && !n_grad_tensors) return;
    collecting = true;
    GcSet s;
again:
    s = (GcSet){0};
    s.cap = 256;
    s.nodes = malloc(sizeof(GcNode) * (size_t)s.cap);
    if (!s.nodes || !gcset_rehash(&s, 512)) goto out;
    for (int64_t i = 0; i < n_frames; i++) gcset_add(frames[i], &s);
    for (int64_t i = 0; i < n_instances; i++) gcset_add(instances[i], &s);
    for (int64_t i = 0; i < n_generators; i++) gcset_add(generators[i], &s);
    for (int64_t i = 0; i < n_containers; i++) gcset_add(containers[i], &s);
    for (int64_t i = 0; i < n_grad_tensors; i++) gcset_add_obj(grad_tensors[i], GC_TENSOR, &s);
    for (int64_t i = 0; i < s.n && !s.failed; i++) obj_children(s.nodes[i].obj, s.nodes[i].kind, gcset_add_obj, &s);
    if (s.failed) goto out;
    /* the registry's own references are internal */
    for (int64_t i = 0; i < n_frames; i++) {
        int64_t j = gcset_find(&s, frames[i]);
        if (j >= 0) s.nodes[j].refs--;
    }
    for (int64_t i = 0; i < n_grad_tensors; i++) {
        int64_t j = gcset_find(&s, grad_tensors[i]);
        if (j >= 0) s.nodes[j].refs--;
    }
    for (int64_t i = 0; i < s.n; i++) obj_children(s.nodes[i].obj, s.nodes[i].kind, subtract_ref, &s);
    Marker m = {&s, malloc(sizeof(int64_t) * (size_t)s.n), 0};
    if (!m.stack) goto out;
    for (int64_t i = 0; i < s.n; i++) {
        GcNode *g = &s.nodes[i];
        if (g->refs > 0 || (g->kind == GC_VALUE && ((Value *)g->obj)->kind == VK_PYGEN && gen_hides_refs(g->obj))) {
            s.nodes[i].alive = true;
            m.stack[m.top++] = i;
        }
    }
    while (m.top) {
        GcNode *g = &s.nodes[m.stack[--m.top]];
        obj_children(g->obj, g->kind, mark_alive, &m);
    }
    free(m.stack);
    n_alive = 0;
    for (int64_t i = 0; i < s.n; i++) n_alive += s.nodes[i].alive;
    /* each pass closes at least one, which is then done or refused to close */
    int64_t closed = close_paused(&s);
    if (closed < 0) goto out;
    if (closed) {
        free(s.nodes);
        free(s.slots);
        goto again;
    }
    /* the garbage: keep each alive while all are cleared, then let go */
    GcNode *dead = malloc(sizeof(GcNode) * (size_t)s.n);
    if (!dead) goto out;
    int64_t n_dead = 0;
    for (int64_t i = 0; i < s.n; i++)
        if (!s.nodes[i].alive) {
            dead[n_dead++] = s.nodes[i];
            obj_retain(s.nodes[i].obj, s.nodes[i].kind);
        }
    int64_t kept = 0; /* dead frames leave the registry (the retain above holds them) */
    for (int64_t i = 0; i < n_frames; i++) {
        int64_t j = gcset_find(&s, frames[i]);
        if (j >= 0 && !s.nodes[j].alive) val_release(frames[i]);
        else frames[kept++] = frames[i];
    }
    n_frames = kept;
    kept = 0; /* so do dead tensors (the retain above holds them) */
    for (int64_t i = 0; i < n_grad_tensors; i++) {
        int64_t j = gcset_find(&s, grad_tensors[i]);
        if (j >= 0 && !s.nodes[j].alive) tensor_release(grad_tensors[i]);
        else grad_tensors[kept++] = grad_tensors[i];
    }
    n_grad_tensors = kept;
    for (int64_t i = 0; i < n_dead; i++) clear_obj(dead[i].obj, dead[i].kind);
    for (int64_t i = 0; i < n_dead; i++) obj_release(dead[i].obj, dead[i].kind);
    free(dead);
out:
    free(s.nodes);
    free(s.slots);
    allocated_since = 0;
    /* the next collection costs about what survived this one: wait as long */
    threshold = n_alive > 2000 ? n_alive : 2000;
    frames_threshold = n_frames * 2 > 64 ? n_frames * 2 : 64;
    collecting = false;
}

void gc_maybe_collect(void) {
    if (allocated_since >= threshold || n_frames >= frames_threshold) gc_collect();
}

/* A tensor whose .grad has a history (backward(create_graph=True)) holds
 * itself through it: PyTorch's documented cycle, with no value in it, so
 * nothing the collector starts from reaches it once the program's names
 * are gone. At exit the grads with a history of every tensor reachable
 * from root (through values) are dropped, so reference counting frees
 * those graphs. */
static void drop_grad_graph(Value *v, void *ctx) {
    (void)ctx;
    Tensor *t = v->kind == VK_TENSOR ? v->tensor : NULL;
    if (t && t->grad && t->grad->grad_fn) {
        Tensor *g = t->grad;
        t->grad = NULL;
        tensor_release(g);
    }
}

void gc_drop_grad_graphs(Value *root) {
    GcSet s = {0};
    s.cap = 256;
    s.nodes = malloc(sizeof(GcNode) * (size_t)s.cap);
    if (s.nodes && gcset_rehash(&s, 512)) {
        gcset_add(root, &s);
        for (int64_t i = 0; i < s.n && !s.failed; i++) {
            children(s.nodes[i].obj, drop_grad_graph, NULL);
            children(s.nodes[i].obj, gcset_add, &s);
        }
    }
    free(s.nodes);
    free(s.slots);
}

void gc_shutdown(void) {
    gc_collect();
    for (int64_t i = 0; i < n_frames; i++) val_release(frames[i]);
    free(frames);
    frames = NULL;
    n_frames = cap_frames = 0;
    free(instances);
    instances = NULL;
    n_instances = cap_instances = 0;
    free(generators);
    generators = NULL;
    n_generators = cap_generators = 0;
    free(containers);
    containers = NULL;
    n_containers = cap_containers = 0;
    for (int64_t i = 0; i < n_grad_tensors; i++) tensor_release(grad_tensors[i]);
    free(grad_tensors);
    grad_tensors = NULL;
    n_grad_tensors = cap_grad_tensors = 0;
}
