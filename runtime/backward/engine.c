/* engine.c: the backward pass over the recorded graph.
 *
 * One pass (PyTorch's engine, single-threaded): collect the nodes reachable
 * from the roots, count each node's incoming edges, order them so a node
 * runs only after every consumer of its outputs has delivered its gradient,
 * then call each node's formula once with the summed gradients of its
 * outputs and route the results along its next edges.
 *
 * Leaves: recording makes one AccumulateGrad node per use of a leaf, so the
 * engine keys AccumulateGrad tasks by the leaf tensor. All uses of a leaf
 * then meet in one buffer and the leaf's .grad receives their sum once, as
 * with PyTorch's single accumulator per leaf.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "backward.h"
#include "device.h"
#include "error.h"
#include "layout.h"
#include "formula.h"
#include "ops.h"

/* ---- the formula of each node kind ---- */

/* AccumulateGrad's row: the engine accumulates into the leaf itself and
 * never runs a formula for it. */
FORMULA(no_formula) {
    tsr_raise(ERR_RuntimeError, "tsr: no backward formula for %s yet", ag_node_name(node));
    return false;
}

const BackwardFn ag_formulas[] = {
#define X(name, fn) [NODE_##name] = fn,
    AG_NODES(X)
#undef X
};
_Static_assert(sizeof ag_formulas / sizeof *ag_formulas == NODE_COUNT, "one formula per node kind");

static size_t ptr_hash(const void *p) {
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

/* ---- reducing a broadcast gradient (at::sum_to) ---- */

Tensor *ag_sum_to(Tensor *grad, int ndim, const int64_t *shape) {
    if (grad->ndim == ndim) {
        bool same = true;
        for (int d = 0; d < ndim; d++) same &= grad->shape[d] == shape[d];
        if (same) return tensor_retain(grad);
    }
    if (ndim == 0) return op_sum(grad, 0, NULL, false, DT_UNDEFINED); /* at::sum_to: tensor.sum() */
    int lead = grad->ndim - ndim;
    if (lead < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "sum_to: gradient has fewer dimensions than its input");
        return NULL;
    }
    int64_t dims[TSR_MAX_DIMS];
    int nd = 0;
    for (int d = 0; d < lead; d++) dims[nd++] = d;
    for (int d = 0; d < ndim; d++)
        if (shape[d] == 1 && grad->shape[lead + d] != 1) dims[nd++] = lead + d;
    Tensor *r = tensor_retain(grad);
    if (nd) {
        Tensor *s = op_sum(grad, nd, dims, true, DT_UNDEFINED);
        tensor_release(r);
        if (!s) return NULL;
        r = s;
    }
    if (r->ndim != ndim) { /* at::sum_to: tensor.view(shape) */
        Tensor *v = op_view(r, ndim, shape);
        tensor_release(r);
        r = v;
    }
    return r;
}

/* ---- the graph of one pass ---- */

typedef struct {
    void *key;       /* the node, or the leaf for AccumulateGrad */
    GradNode *node;  /* NULL for a leaf root that has no AccumulateGrad node */
    Tensor *leaf;    /* AccumulateGrad tasks: the leaf (borrowed) */
    int n_outputs;
    Tensor **grads;  /* the input buffer: one gradient per output (owned) */
    int deps;        /* edges into this task from other tasks */
    bool exec;       /* run the formula / accumulate into .grad */
    bool captured;   /* ag_grad: some input's gradient is read here */
} Task;

typedef struct {
    Task *tasks;
    int n, cap;
    int *slots; /* open addressing: task index + 1, 0 = empty */
    size_t n_slots;
} Graph;

static void *edge_key(const GradEdge *e) { return e->node->leaf ? (void *)e->node->leaf : (void *)e->node; }

static int graph_find(const Graph *g, const void *key) {
    size_t mask = g->n_slots - 1;
    for (size_t i = ptr_hash(key) & mask;; i = (i + 1) & mask) {
        int s = g->slots[i];
        if (!s) return -1;
        if (g->tasks[s - 1].key == key) return s - 1;
    }
}

static bool graph_rehash(Graph *g, size_t n_slots) {
    int *slots = tsr_calloc(n_slots, sizeof *slots);
    if (!slots) return false;
    free(g->slots);
    g->slots = slots;
    g->n_slots = n_slots;
    for (int t = 0; t < g->n; t++) {
        size_t i = ptr_hash(g->tasks[t].key) & (n_slots - 1);
        while (slots[i]) i = (i + 1) & (n_slots - 1);
        slots[i] = t + 1;
    }
    return true;
}

/* The task for key, created if new (*added set). -1 on OOM. */
static int graph_add(Graph *g, void *key, GradNode *node, Tensor *leaf, bool *added) {
    *added = false;
    int t = graph_find(g, key);
    if (t >= 0) {
        if (!g->tasks[t].node) g->tasks[t].node = node;
        return t;
    }
    if ((size_t)(g->n + 1) * 2 > g->n_slots && !graph_rehash(g, g->n_slots * 2)) return -1;
    if (g->n == g->cap) {
        int cap = g->cap ? g->cap * 2 : 16;
        Task *ts = tsr_realloc(g->tasks, sizeof *ts * (size_t)cap);
        if (!ts) return -1;
        g->tasks = ts;
        g->cap = cap;
    }
    Task *k = &g->tasks[g->n];
    memset(k, 0, sizeof *k);
    k->key = key;
    k->node = node;
    k->leaf = leaf;
    k->n_outputs = leaf ? 1 : node->n_outputs;
    k->grads = tsr_calloc(k->n_outputs, sizeof *k->grads);
    if (!k->grads) return -1;
    size_t i = ptr_hash(key) & (g->n_slots - 1);
    while (g->slots[i]) i = (i + 1) & (g->n_slots - 1);
    g->slots[i] = g->n + 1;
    *added = true;
    return g->n++;
}

static void graph_free(Graph *g) {
    for (int t = 0; t < g->n; t++) {
        for (int o = 0; o < g->tasks[t].n_outputs; o++) tensor_release(g->tasks[t].grads[o]);
        free(g->tasks[t].grads);
    }
    free(g->tasks);
    free(g->slots);
}

/* Where a tensor's gradient enters the graph: its grad_fn's output, or the
 * leaf itself. key NULL: the tensor is not part of any graph. */
static void *tensor_key(Tensor *t, GradNode **node, Tensor **leaf, int *nr) {
    if (!ag_refresh_grad_fn(t)) tsr_err_clear(); /* raised when recorded instead */
    *node = t->grad_fn;
    *leaf = NULL;
    *nr = t->grad_fn ? t->output_nr : 0;
    if (t->grad_fn) return t->grad_fn;
    if (!t->requires_grad) return NULL;
    *leaf = t;
    return t;
}

/* Discovers every task reachable from the roots (iteratively: graphs of a
 * long loop are deep) and counts the edges into each. */
static bool graph_discover(Graph *g, int n_roots, const int *root_tasks) {
    int *stack = tsr_malloc(sizeof(int) * (size_t)(g->n + 16));
    int sp = 0, scap = g->n + 16;
    if (!stack) return false;
    for (int r = 0; r < n_roots; r++) stack[sp++] = root_tasks[r];
    while (sp) {
        int t = stack[--sp];
        GradNode *node = g->tasks[t].node;
        if (!node || g->tasks[t].leaf) continue;
        for (int i = 0; i < node->n_next; i++) {
            GradEdge *e = &node->next[i];
            if (!e->node) continue;
            bool added;
            int s = graph_add(g, edge_key(e), e->node, e->node->leaf, &added);
            if (s < 0) goto fail;
            g->tasks[s].deps++;
            if (!added) continue;
            if (sp == scap) {
                int *ns = tsr_realloc(stack, sizeof(int) * (size_t)scap * 2);
                if (!ns) goto fail;
                stack = ns;
                scap *= 2;
            }
            stack[sp++] = s;
        }
    }
    free(stack);
    return true;
fail:
    free(stack);
    return false;
}

/* The order PyTorch's engine runs a graph in (one thread): a node is
 * ready once every consumer of its outputs has run, and of the ready ones
 * the one with the highest sequence number (made last; leaves' last of
 * all) runs first. The ready queue is a std::priority_queue, so ties
 * (leaves) come out as libstdc++'s push_heap/pop_heap leave them: the heap
 * below is theirs, step for step. */
typedef struct {
    int task;
    uint64_t seq;
} Ready;

static uint64_t task_seq(const Graph *g, int t) {
    const Task *k = &g->tasks[t];
    return k->leaf || !k->node ? UINT64_MAX : k->node->seq;
}

/* std::__push_heap: the hole moves up while its parent is less than r */
static void heap_up(Ready *h, int hole, int top, Ready r) {
    int parent = (hole - 1) / 2;
    while (hole > top && h[parent].seq < r.seq) {
        h[hole] = h[parent];
        hole = parent;
        parent = (hole - 1) / 2;
    }
    h[hole] = r;
}

static void ready_push(Ready *h, int *n, Ready r) {
    heap_up(h, *n, 0, r);
    (*n)++;
}

/* std::pop_heap: the last element goes through std::__adjust_heap from
 * the root's hole */
static Ready ready_pop(Ready *h, int *n) {
    Ready top = h[0], value = h[*n - 1];
    int len = --*n, hole = 0, child = 0;
    while (child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (h[child].seq < h[child - 1].seq) child--;
        h[hole] = h[child];
        hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        h[hole] = h[child - 1];
        hole = child - 1;
    }
    if (len > 0) heap_up(h, hole, 0, value);
    return top;
}

static int *graph_order(Graph *g) {
    int *order = tsr_malloc(sizeof(int) * (size_t)g->n);
    int *left = tsr_malloc(sizeof(int) * (size_t)g->n);
    Ready *ready = tsr_malloc(sizeof(Ready) * (size_t)g->n);
    int n_order = 0, nr = 0;
    if (!order || !left || !ready) goto fail;
    for (int t = 0; t < g->n; t++) left[t] = g->tasks[t].deps;
    for (int t = 0; t < g->n; t++)
        if (!left[t]) ready_push(ready, &nr, (Ready){t, task_seq(g, t)});
    while (nr) {
        int t = ready_pop(ready, &nr).task;
        order[n_order++] = t;
        GradNode *node = g->tasks[t].node;
        if (!node || g->tasks[t].leaf) continue;
        for (int i = 0; i < node->n_next; i++) {
            if (!node->next[i].node) continue;
            int s = graph_find(g, edge_key(&node->next[i]));
            if (s >= 0 && --left[s] == 0) ready_push(ready, &nr, (Ready){s, task_seq(g, s)});
        }
    }
    free(left);
    free(ready);
    return order;
fail:
    free(order);
    free(left);
    free(ready);
    return NULL;
}

/* ---- gradients ---- */

static void format_shape(char *buf, size_t n, int ndim, const int64_t *shape) {
    int k = snprintf(buf, n, "[");
    for (int d = 0; d < ndim && k < (int)n; d++)
        k += snprintf(buf + k, n - (size_t)k, "%s%lld", d ? ", " : "", (long long)shape[d]);
    if (k < (int)n) snprintf(buf + k, n - (size_t)k, "]");
}

static bool same_shape(const Tensor *t, int ndim, const int64_t *shape) {
    if (t->ndim != ndim) return false;
    for (int d = 0; d < ndim; d++)
        if (t->shape[d] != shape[d]) return false;
    return true;
}

/* Can a tensor of shape (ndim, shape) be expanded to t's shape? */
static bool expandable_to(int ndim, const int64_t *shape, const Tensor *t) {
    if (ndim > t->ndim) return false;
    for (int d = 1; d <= ndim; d++) {
        int64_t s = shape[ndim - d], ts = t->shape[t->ndim - d];
        if (s != ts && s != 1) return false;
    }
    return true;
}

/* PyTorch's validate_outputs: the gradient for next edge i gets its input's
 * shape (summing a broadcast gradient) and dtype. Steals g. */
static Tensor *validate_grad(GradNode *node, int i, Tensor *g) {
    GradEdge *e = &node->next[i];
    if (!same_shape(g, e->ndim, e->shape)) {
        if (!expandable_to(e->ndim, e->shape, g)) {
            char got[256], want[256];
            format_shape(got, sizeof got, g->ndim, g->shape);
            format_shape(want, sizeof want, e->ndim, e->shape);
            tsr_raise(ERR_RuntimeError,
                      "Function %s returned an invalid gradient at index %d - got %s but expected "
                      "shape compatible with %s",
                      ag_node_name(node), i, got, want);
            tensor_release(g);
            return NULL;
        }
        Tensor *s = ag_sum_to(g, e->ndim, e->shape);
        tensor_release(g);
        if (!s) return NULL;
        g = s;
    }
    if (g->dtype != e->dtype || !device_equal(g->storage->device, e->device)) {
        Tensor *c = ag_grad_to(g, e->dtype, e->device);
        tensor_release(g);
        g = c;
    }
    return g;
}

Tensor *ag_grad_to(Tensor *g, DType dtype, Device device) {
    if (!dtype_is_complex(g->dtype) || dtype_is_complex(dtype)) return op_to(g, dtype, device, false);
    Tensor *re = op_real(g); /* handle_r_to_c: a real input's gradient is the real part */
    Tensor *c = re ? op_to(re, dtype, device, false) : NULL;
    tensor_release(re);
    return c;
}

/* buf += g (out of place, so it records under create_graph). Steals g. */
static bool buffer_add(Tensor **buf, Tensor *g) {
    if (!*buf) {
        *buf = g;
        return true;
    }
    Tensor *s = op_binary(BIN_ADD, *buf, g);
    tensor_release(g);
    if (!s) return false;
    tensor_release(*buf);
    *buf = s;
    return true;
}

/* grad_layout_contract.h's obeys_layout_contract: g has v's strides
 * (where a dim is not 1, and no zero stride where it is) when v is
 * non-overlapping and dense, else g is contiguous */
static bool obeys_layout_contract(const Tensor *g, const Tensor *v) {
    if (!layout_is_dense(v->ndim, v->shape, v->stride)) return tensor_is_contiguous(g);
    for (int d = 0; d < g->ndim; d++) {
        if (g->shape[d] != 1 ? g->stride[d] != v->stride[d] : g->stride[d] == 0) return false;
    }
    return true;
}

/* clone_obey_contract: a copy of g with v's strides when v is
 * non-overlapping and dense, else a contiguous one */
static Tensor *clone_obey_contract(Tensor *g, const Tensor *v) {
    if (!layout_is_dense(v->ndim, v->shape, v->stride)) return tensor_clone(g, DT_UNDEFINED);
    Tensor *t = layout_empty_strided(v->dtype, v->ndim, v->shape, v->stride, v->storage->device);
    if (t && !tensor_copy_(t, g)) {
        tensor_release(t);
        return NULL;
    }
    return t;
}

/* AccumulateGrad: leaf.grad = g, or leaf.grad += g (PyTorch's
 * accumulateGrad: in place unless building a graph of the backward). A
 * first gradient is kept when nobody else sees it and it has the leaf's
 * layout, else copied into that layout (the gradient layout contract). */
static bool accumulate(Tensor *leaf, Tensor *g, bool create_graph) {
    if (!leaf->grad) {
        Tensor *store;
        if (create_graph) {
            store = clone_obey_contract(g, leaf);
            if (store && g->requires_grad) {
                Tensor *ins[2] = {store, g};
                if (!ag_record(store, NODE_CopyBackwards, ins, 2)) {
                    tensor_release(store);
                    return false;
                }
            }
        } else if (g->rc == 1 && g->storage->rc == 1 && !g->requires_grad && !g->grad_fn &&
                   !g->wrapped_number && obeys_layout_contract(g, leaf)) {
            store = tensor_retain(g); /* nobody else sees it: keep it */
        } else {
            store = clone_obey_contract(g, leaf);
        }
        if (!store) return false;
        leaf->grad = store;
        ag_note_grad_history(leaf);
        return true;
    }
    if (!create_graph) {
        Tensor *r = op_binary_(BIN_ADD, leaf->grad, g);
        tensor_release(r);
        return r != NULL;
    }
    Tensor *r = op_binary(BIN_ADD, leaf->grad, g);
    if (!r) return false;
    tensor_release(leaf->grad);
    leaf->grad = r;
    ag_note_grad_history(leaf);
    return true;
}

/* retain_grad(): the non-leaf outputs of node registered for .grad. */
static bool set_retained(GradNode *node, Tensor *const *grads) {
    for (int i = 0; i < node->n_retained; i++) {
        Tensor *r = node->retained[i];
        if (!r || r->output_nr >= node->n_outputs || !grads[r->output_nr]) continue;
        Tensor *g = grads[r->output_nr];
        Tensor *n = r->grad ? op_binary(BIN_ADD, r->grad, g) : op_clone(g);
        if (!n) return false;
        tensor_release(r->grad);
        r->grad = n;
    }
    return true;
}

static void release_saved(GradNode *node) {
    if (node->view_fn) release_saved(node->view_fn);
    for (int i = 0; i < node->n_saved; i++) {
        tensor_release(node->saved[i]);
        node->saved[i] = NULL;
    }
    node->released = true;
}

/* register_hook(): each hook of output output_nr, in registration order,
 * gets the gradient and may replace it (PyTorch's tensor pre-hooks). */
static bool call_hooks(AgHook *h, int output_nr, Tensor **grad) {
    for (; h; h = h->next) {
        if (!h->fn || h->output_nr != output_nr || !*grad || !ag_hook_call) continue;
        Tensor *r = ag_hook_call(h->fn, *grad);
        if (!r) {
            if (tsr_err_occurred()) return false;
            continue;
        }
        tensor_release(*grad);
        *grad = r;
    }
    return true;
}

/* Calls node's formula and routes its results into the graph's buffers. */
/* Does node's formula follow PyTorch's for complex tensors (AG_COMPLEX_NODES)? */
static bool complex_ready(GradNodeKind kind) {
    static const GradNodeKind kinds[] = {
#define X(name) NODE_##name,
        AG_COMPLEX_NODES(X)
#undef X
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (kinds[i] == kind) return true;
    return false;
}

/* backward.h: a node outside AG_COMPLEX_NODES given a complex gradient
 * or input raises NotImplementedError (never a wrong gradient). */
bool ag_check_complex(GradNode *node, Tensor *const *grads, int n_grads) {
    if (complex_ready(node->kind)) return true;
    bool cplx = false;
    for (int o = 0; o < n_grads; o++) cplx |= grads[o] && dtype_is_complex(grads[o]->dtype);
    for (int i = 0; i < node->n_next; i++) cplx |= node->next[i].node && dtype_is_complex(node->next[i].dtype);
    if (!cplx) return true;
    tsr_raise(ERR_NotImplementedError, "the derivative of %s for complex tensors is not implemented in tsr",
              ag_node_name(node));
    return false;
}

static bool run_node(Graph *g, Task *task, bool keep_graph) {
    GradNode *node = task->node;
    for (int o = 0; node->hooks && o < task->n_outputs; o++)
        if (!call_hooks(node->hooks, o, &task->grads[o])) return false;
    bool any = false;
    for (int o = 0; o < task->n_outputs; o++) any |= task->grads[o] != NULL;
    if (node->n_retained && !set_retained(node, task->grads)) return false;
    Tensor **gi = NULL;
    if (any && node->n_next) {
        BackwardFn fn = ag_formulas[node->kind];
        if (!ag_check_complex(node, task->grads, task->n_outputs)) return false;
        gi = tsr_calloc(node->n_next, sizeof *gi);
        if (!gi) return false;
        if (!fn(node, task->grads, gi)) goto fail;
    }
    if (!keep_graph) release_saved(node);
    for (int i = 0; gi && i < node->n_next; i++) {
        Tensor *r = gi[i];
        gi[i] = NULL;
        if (!r) continue;
        if (!node->next[i].node) {
            tensor_release(r);
            continue;
        }
        r = validate_grad(node, i, r);
        if (!r) goto fail;
        int s = graph_find(g, edge_key(&node->next[i]));
        Task *dst = &g->tasks[s];
        int slot = dst->leaf ? 0 : node->next[i].input_nr;
        if (slot < 0 || slot >= dst->n_outputs) {
            tensor_release(r);
            continue;
        }
        if (!buffer_add(&dst->grads[slot], r)) goto fail;
    }
    free(gi);
    return true;
fail:
    for (int i = 0; gi && i < node->n_next; i++) tensor_release(gi[i]);
    free(gi);
    return false;
}

/* ---- the pass ---- */

typedef struct {
    Tensor *const *roots;
    Tensor **root_grads; /* validated seeds (owned by the caller), NULL entries allowed */
    int n_roots;
    Tensor *const *inputs; /* ag_grad: capture these instead of accumulating */
    int n_inputs;
    Tensor **results;
    bool keep_graph, create_graph;
} Pass;

static bool run_pass(const Pass *p) {
    Graph g = {0};
    int *order = NULL;
    int *root_tasks = NULL;
    int *cap_task = NULL, *cap_nr = NULL;
    bool ok = false;
    bool grad_mode = ag_grad_enabled;
    if (!graph_rehash(&g, 64)) goto done;
    root_tasks = tsr_calloc((size_t)p->n_roots + 1, sizeof *root_tasks);
    if (!root_tasks) goto done;
    for (int r = 0; r < p->n_roots; r++) {
        GradNode *node;
        Tensor *leaf;
        int nr;
        void *key = tensor_key(p->roots[r], &node, &leaf, &nr);
        if (!key) {
            tsr_raise(ERR_RuntimeError, "element %d of tensors does not require grad and does not have a grad_fn", r);
            goto done;
        }
        bool added;
        root_tasks[r] = graph_add(&g, key, node, leaf, &added);
        if (root_tasks[r] < 0) goto done;
    }
    if (!graph_discover(&g, p->n_roots, root_tasks)) goto done;
    order = graph_order(&g);
    if (!order) goto done;

    if (p->inputs) {
        cap_task = tsr_malloc(sizeof(int) * ((size_t)p->n_inputs + 1));
        cap_nr = tsr_malloc(sizeof(int) * ((size_t)p->n_inputs + 1));
        if (!cap_task || !cap_nr) goto done;
        for (int i = 0; i < p->n_inputs; i++) {
            GradNode *node;
            Tensor *leaf;
            void *key = tensor_key(p->inputs[i], &node, &leaf, &cap_nr[i]);
            cap_task[i] = key ? graph_find(&g, key) : -1;
            if (cap_task[i] >= 0) g.tasks[cap_task[i]].captured = true;
        }
        /* run only what leads to an input: producers come later in order */
        for (int k = g.n - 1; k >= 0; k--) {
            Task *t = &g.tasks[order[k]];
            if (t->leaf || !t->node) continue;
            for (int i = 0; i < t->node->n_next && !t->exec; i++) {
                if (!t->node->next[i].node) continue;
                Task *s = &g.tasks[graph_find(&g, edge_key(&t->node->next[i]))];
                t->exec = s->exec || s->captured;
            }
        }
    } else {
        for (int t = 0; t < g.n; t++) g.tasks[t].exec = true;
    }

    for (int r = 0; r < p->n_roots; r++) {
        Tensor *seed = p->root_grads[r];
        if (!seed) continue;
        Task *t = &g.tasks[root_tasks[r]];
        int nr = p->roots[r]->grad_fn ? p->roots[r]->output_nr : 0;
        if (nr < 0 || nr >= t->n_outputs) continue;
        if (!buffer_add(&t->grads[nr], tensor_retain(seed))) goto done;
    }

    ag_grad_enabled = p->create_graph;
    for (int k = 0; k < g.n; k++) {
        if (tsr_check_interrupt()) goto done;
        Task *t = &g.tasks[order[k]];
        if (t->captured) {
            for (int i = 0; i < p->n_inputs; i++) {
                if (cap_task[i] != order[k] || p->results[i]) continue;
                Tensor *c = cap_nr[i] < t->n_outputs ? t->grads[cap_nr[i]] : NULL;
                p->results[i] = c ? tensor_retain(c) : NULL;
            }
        }
        if (t->exec) {
            if (t->leaf) {
                if (t->leaf->hooks && !call_hooks(t->leaf->hooks, 0, &t->grads[0])) goto done;
                if (t->grads[0] && !accumulate(t->leaf, t->grads[0], p->create_graph)) goto done;
            } else if (t->node) {
                if (!run_node(&g, t, p->keep_graph)) goto done;
            }
        }
        for (int o = 0; o < t->n_outputs; o++) {
            tensor_release(t->grads[o]);
            t->grads[o] = NULL;
        }
    }
    ok = true;
done:
    ag_grad_enabled = grad_mode;
    graph_free(&g);
    free(order);
    free(root_tasks);
    free(cap_task);
    free(cap_nr);
    return ok;
}

/* Python's _make_grads: the seed gradient of each root. */
static bool make_seeds(Tensor *const *roots, Tensor *const *grads, int n, Tensor **seeds) {
    for (int i = 0; i < n; i++) seeds[i] = NULL;
    for (int i = 0; i < n; i++) {
        Tensor *out = roots[i], *g = grads ? grads[i] : NULL;
        if (g) {
            if (!same_shape(g, out->ndim, out->shape)) {
                char gs[256], os[256];
                format_shape(gs, sizeof gs, g->ndim, g->shape);
                format_shape(os, sizeof os, out->ndim, out->shape);
                tsr_raise(ERR_RuntimeError,
                          "Mismatch in shape: grad_output[%d] has a shape of torch.Size(%s) and "
                          "output[%d] has a shape of torch.Size(%s).",
                          i, gs, i, os);
                goto fail;
            }
            if (dtype_is_complex(out->dtype) != dtype_is_complex(g->dtype)) {
                tsr_raise(ERR_RuntimeError,
                          "For complex Tensors, both grad_output and output are required to have the same dtype. "
                          "Mismatch in dtype: grad_output[%d] has a dtype of torch.%s and output[%d] has a dtype "
                          "of torch.%s.",
                          i, dtype_name(g->dtype), i, dtype_name(out->dtype));
                goto fail;
            }
            seeds[i] = g->dtype == out->dtype ? tensor_retain(g) : tensor_clone(g, out->dtype);
            if (!seeds[i]) goto fail;
        } else if (out->requires_grad) {
            if (tensor_numel(out) != 1) {
                tsr_raise(ERR_RuntimeError, "%s", "grad can be implicitly created only for scalar outputs");
                goto fail;
            }
            seeds[i] = tensor_full_f64(out->dtype, out->ndim, out->shape, 1.0, out->storage->device);
            if (!seeds[i]) goto fail;
        }
    }
    return true;
fail:
    for (int i = 0; i < n; i++) {
        tensor_release(seeds[i]);
        seeds[i] = NULL;
    }
    return false;
}

bool ag_backward_multi(Tensor *const *roots, Tensor *const *gradients, int n, bool retain_graph,
                       bool create_graph) {
    Tensor **seeds = tsr_calloc((size_t)n + 1, sizeof *seeds);
    if (!seeds) return false;
    bool ok = make_seeds(roots, gradients, n, seeds);
    if (ok) {
        Pass p = {roots, seeds, n, NULL, 0, NULL, retain_graph, create_graph};
        ok = run_pass(&p);
    }
    for (int i = 0; i < n; i++) tensor_release(seeds[i]);
    free(seeds);
    return ok;
}

bool ag_backward(Tensor *root, Tensor *gradient, bool retain_graph, bool create_graph) {
    Tensor *g[1] = {gradient};
    return ag_backward_multi(&root, g, 1, retain_graph, create_graph);
}

bool ag_grad(Tensor *const *outputs, Tensor *const *grad_outputs, int n_outputs,
             Tensor *const *inputs, int n_inputs, int retain_graph, bool create_graph,
             bool allow_unused, Tensor **results) {
    for (int i = 0; i < n_inputs; i++) results[i] = NULL;
    for (int i = 0; i < n_inputs; i++)
        if (!inputs[i]->requires_grad) {
            tsr_raise(ERR_RuntimeError, "%s", "One of the differentiated Tensors does not require grad");
            return false;
        }
    Tensor **seeds = tsr_calloc((size_t)n_outputs + 1, sizeof *seeds);
    if (!seeds) return false;
    bool ok = make_seeds(outputs, grad_outputs, n_outputs, seeds);
    if (ok) {
        bool keep = retain_graph < 0 ? create_graph : retain_graph != 0;
        Pass p = {outputs, seeds, n_outputs, inputs, n_inputs, results, keep, create_graph};
        ok = run_pass(&p);
    }
    for (int i = 0; ok && !allow_unused && i < n_inputs; i++)
        if (!results[i]) {
            tsr_raise(ERR_RuntimeError, "%s",
                      "One of the differentiated Tensors appears to not have been used in the graph. "
                      "Set allow_unused=True if this is the desired behavior.");
            ok = false;
        }
    if (!ok)
        for (int i = 0; i < n_inputs; i++) {
            tensor_release(results[i]);
            results[i] = NULL;
        }
    for (int i = 0; i < n_outputs; i++) tensor_release(seeds[i]);
    free(seeds);
    return ok;
}
