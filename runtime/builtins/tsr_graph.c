/* tsr_graph.c: tsr.graph(y, file=None), a teaching view of the graph
 * behind a tensor: an indented tree on stdout, or Graphviz DOT in a file.
 *
 *   SumBackward0               [] float32
 *   └─ MulBackward0            [2] float32  saved: x, w
 *      ├─ AccumulateGrad       x: leaf [2] float32, requires_grad, grad=None
 *      └─ AccumulateGrad       w: leaf [] float32, requires_grad, grad=None
 *
 * A node reached along several paths is printed once, tagged (1), (2) ...,
 * and later references say "(1) shown above". Leaves and saved tensors are
 * named after the global variables that hold them, when there are any.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"
#include "ptrmap.h"

#define INFO_COLUMN_MAX 44
/* The tree stays readable and its text linear in size: nodes deeper than
 * MAX_TREE_DEPTH are not expanded and at most MAX_TREE_LINES lines are
 * printed; a last line says what was left out (the DOT file has it all). */
#define MAX_TREE_DEPTH 40
#define MAX_TREE_LINES 1000
#define STR_(x) #x
#define STR(x) STR_(x)

/* what the drawing keeps per node (a PtrMap payload, keyed by the
 * GradNode* or, in DOT, the leaf Tensor*; the DOT id is the key's index) */
typedef struct {
    int refs; /* edges into it from the drawn graph */
    int tag;  /* shared nodes: 1, 2 ... once printed (0 = not yet) */
} Entry;

/* A growable stack of pending tree items. */
typedef struct {
    GradNode *node;
    const GradEdge *via; /* the consumer's edge (output metadata); NULL at the root */
    int depth;
    bool last;
} Item;

typedef struct {
    Item *items;
    int n, cap;
} Stack;

static bool push(Stack *s, Item it) {
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 64;
        Item *ni = tsr_realloc(s->items, sizeof *ni * (size_t)cap);
        if (!ni) return false;
        s->items = ni;
        s->cap = cap;
    }
    s->items[s->n++] = it;
    return true;
}

/* The global variable holding t (first in definition order), or NULL. */
static const char *global_name(const Tensor *t) {
    if (!tsr_interp || !tsr_interp->globals) return NULL;
    int64_t it = 0;
    const char *k;
    Value *v;
    while (dict_next(tsr_interp->globals->dict, &it, &k, &v))
        if (v->kind == VK_TENSOR && v->tensor == t && k[0] != '_') return k;
    return NULL;
}

static bool put_shape(StrBuf *b, int ndim, const int64_t *shape) {
    if (!sb_appends(b, "[")) return false;
    for (int d = 0; d < ndim; d++)
        if (!sb_printf(b, "%s%lld", d ? ", " : "", (long long)shape[d])) return false;
    return sb_appends(b, "]");
}

/* "[2] float32" for a node's output (edge metadata, or the root tensor). */
static bool put_output(StrBuf *b, const GradNode *n, const GradEdge *via, const Tensor *root) {
    if (via) {
        if (!put_shape(b, via->ndim, via->shape) || !sb_printf(b, " %s", dtype_name(via->dtype))) return false;
    } else if (root) {
        const char *name = global_name(root);
        if (name && !sb_printf(b, "%s: ", name)) return false;
        if (!put_shape(b, root->ndim, root->shape) || !sb_printf(b, " %s", dtype_name(root->dtype))) return false;
    }
    if (n && n->n_outputs > 1)
        return sb_printf(b, " (output %d of %d)", via ? via->input_nr : root ? root->output_nr : 0, n->n_outputs);
    return true;
}

static bool put_leaf(StrBuf *b, const Tensor *t, bool dot) {
    const char *name = global_name(t);
    if (name && !sb_printf(b, "%s%s", name, dot ? "\\n" : ": ")) return false;
    if (!sb_appends(b, "leaf ") || !put_shape(b, t->ndim, t->shape) ||
        !sb_printf(b, " %s", dtype_name(t->dtype)))
        return false;
    if (dot) return true;
    if (!sb_appends(b, t->requires_grad ? ", requires_grad" : ", no grad")) return false;
    if (!t->grad) return sb_appends(b, ", grad=None");
    return sb_appends(b, ", grad=") && put_shape(b, t->grad->ndim, t->grad->shape);
}

static bool put_saved(StrBuf *b, const GradNode *n) {
    if (!n->n_saved) return true;
    if (n->released) return sb_appends(b, "  saved: (freed by backward)");
    if (!sb_appends(b, "  saved: ")) return false;
    for (int i = 0; i < n->n_saved; i++) {
        const Tensor *t = n->saved[i];
        if (i && !sb_appends(b, ", ")) return false;
        const char *name = t ? global_name(t) : NULL;
        bool ok = !t                ? sb_appends(b, "None")
                  : name            ? sb_appends(b, name)
                  : t->wrapped_number ? sb_printf(b, "%g", tensor_get_f64(t, 0))
                                    : put_shape(b, t->ndim, t->shape);
        if (!ok) return false;
    }
    return true;
}

/* Counts the in-edges of every node reachable from root. */
static bool count_refs(PtrMap *m, GradNode *root) {
    Stack s = {0};
    bool ok = false;
    if (!ptrmap_insert(m, root, NULL) || !push(&s, (Item){root, NULL, 0, true})) goto fail;
    while (s.n) {
        GradNode *n = s.items[--s.n].node;
        for (int i = 0; i < n->n_next; i++) {
            GradNode *c = n->next[i].node;
            if (!c || c->leaf) continue;
            bool added;
            Entry *e = ptrmap_insert(m, c, &added);
            if (!e || (added && !push(&s, (Item){c, NULL, 0, true}))) goto fail;
            e->refs++;
        }
    }
    ok = true;
fail:
    free(s.items);
    return ok;
}

typedef struct {
    char *left, *info;
} Line;

static bool print_tree(GradNode *root, const Tensor *root_t) {
    PtrMap m = PTRMAP_OF(Entry);
    int next_tag = 0;
    Stack s = {0};
    Line *lines = NULL;
    int n_lines = 0, cap_lines = 0;
    bool *last = NULL;
    int cap_last = 0;
    bool ok = false;
    StrBuf left = {0}, info = {0}, out = {0};
    int cut_deep = 0, cut_lines = 0; /* subtrees not expanded for depth; items left when lines ran out */
    if (!count_refs(&m, root) || !push(&s, (Item){root, NULL, 0, true})) goto done;
    while (s.n) {
        if (n_lines == MAX_TREE_LINES) {
            cut_lines = s.n;
            break;
        }
        Item it = s.items[--s.n];
        if (it.depth >= cap_last) {
            int cap = (it.depth + 1) * 2;
            bool *nl = tsr_realloc(last, sizeof *nl * (size_t)cap);
            if (!nl) goto done;
            last = nl;
            cap_last = cap;
        }
        last[it.depth] = it.last;
        left.len = info.len = 0;
        if (!sb_appends(&left, "") || !sb_appends(&info, "")) goto done;
        for (int d = 1; d < it.depth; d++)
            if (!sb_appends(&left, last[d] ? "   " : "\xe2\x94\x82  ")) goto done; /* "│  " */
        if (it.depth && !sb_appends(&left, it.last ? "\xe2\x94\x94\xe2\x94\x80 " : "\xe2\x94\x9c\xe2\x94\x80 "))
            goto done; /* "└─ " / "├─ " */
        GradNode *n = it.node;
        if (!sb_appends(&left, ag_node_name(n))) goto done;
        bool expand = true;
        if (n->leaf) {
            if (!put_leaf(&info, n->leaf, false)) goto done;
            expand = false;
        } else {
            Entry *e = ptrmap_find(&m, n);
            if (e && e->refs > 1) {
                if (e->tag) {
                    if (!sb_printf(&left, " (%d)", e->tag) || !sb_appends(&info, "shown above")) goto done;
                    expand = false;
                } else {
                    e->tag = ++next_tag;
                    if (!sb_printf(&left, " (%d)", e->tag)) goto done;
                }
            }
            if (expand && (!put_output(&info, n, it.via, it.via ? NULL : root_t) || !put_saved(&info, n)))
                goto done;
        }
        if (n_lines == cap_lines) {
            int cap = cap_lines ? cap_lines * 2 : 32;
            Line *nl = tsr_realloc(lines, sizeof *nl * (size_t)cap);
            if (!nl) goto done;
            lines = nl;
            cap_lines = cap;
        }
        lines[n_lines].left = tsr_strdup(left.data);
        lines[n_lines].info = tsr_strdup(info.data);
        n_lines++;
        if (!lines[n_lines - 1].left || !lines[n_lines - 1].info) goto done;
        if (!expand) continue;
        if (it.depth == MAX_TREE_DEPTH) {
            for (int i = 0; i < n->n_next; i++) cut_deep += n->next[i].node != NULL;
            continue;
        }
        int lastc = -1;
        for (int i = 0; i < n->n_next; i++)
            if (n->next[i].node) lastc = i;
        for (int i = n->n_next - 1; i >= 0; i--)
            if (n->next[i].node && !push(&s, (Item){n->next[i].node, &n->next[i], it.depth + 1, i == lastc}))
                goto done;
    }
    /* align the info column (display width: box characters are 3 bytes, 1 column) */
    int width = 0;
    for (int i = 0; i < n_lines; i++) {
        int w = 0;
        for (const char *p = lines[i].left; *p; p++) w += ((unsigned char)*p & 0xC0) != 0x80;
        if (w > width && w <= INFO_COLUMN_MAX) width = w;
    }
    for (int i = 0; i < n_lines; i++) {
        int w = 0;
        for (const char *p = lines[i].left; *p; p++) w += ((unsigned char)*p & 0xC0) != 0x80;
        if (!sb_appends(&out, lines[i].left)) goto done;
        if (lines[i].info[0]) {
            int pad = w < width ? width - w + 2 : 2;
            if (!sb_printf(&out, "%*s%s", pad, "", lines[i].info)) goto done;
        }
        if (!sb_appends(&out, "\n")) goto done;
    }
    if ((cut_deep || cut_lines) &&
        !sb_printf(&out, "... the graph has %d nodes; not shown: %s%s%s (tsr.graph(y, 'g.dot') writes all)\n",
                   (int)m.n, cut_deep ? "what lies below depth " STR(MAX_TREE_DEPTH) : "",
                   cut_deep && cut_lines ? " and " : "", cut_lines ? "the lines past " STR(MAX_TREE_LINES) : ""))
        goto done;
    ok = tsr_write_stdout(out.data, out.len);
done:
    for (int i = 0; i < n_lines; i++) {
        free(lines[i].left);
        free(lines[i].info);
    }
    free(lines);
    free(last);
    free(s.items);
    ptrmap_free(&m);
    free(left.data);
    free(info.data);
    free(out.data);
    return ok;
}

/* DOT: one box per node, one ellipse per leaf tensor, arrows in the
 * direction the forward data flowed (inputs towards the root). */
static bool write_dot(GradNode *root, const Tensor *root_t, FILE *f) {
    PtrMap m = PTRMAP_OF(Entry);
    Stack s = {0};
    StrBuf b = {0};
    bool ok = false;
    if (!sb_appends(&b, "digraph autograd {\n  node [shape=box, fontname=\"Helvetica\"];\n")) goto done;
    if (!ptrmap_insert(&m, root, NULL) || !push(&s, (Item){root, NULL, 0, true})) goto done;
    if (!sb_printf(&b, "  n%d [label=\"%s\\n", 0, ag_node_name(root)) || !put_output(&b, root, NULL, root_t) ||
        !sb_appends(&b, "\", style=filled, fillcolor=\"#f4d6a0\"];\n"))
        goto done;
    while (s.n) {
        Item it = s.items[--s.n];
        int from = (int)ptrmap_index(&m, it.node);
        for (int i = 0; i < it.node->n_next; i++) {
            const GradEdge *e = &it.node->next[i];
            if (!e->node) continue;
            const void *key = e->node->leaf ? (const void *)e->node->leaf : (const void *)e->node;
            bool added;
            if (!ptrmap_insert(&m, key, &added)) goto done;
            int id = (int)ptrmap_index(&m, key);
            if (added) {
                if (e->node->leaf) {
                    if (!sb_printf(&b, "  n%d [label=\"", id) || !put_leaf(&b, e->node->leaf, true) ||
                        !sb_appends(&b, "\", shape=ellipse, style=filled, fillcolor=\"#b8d8f0\"];\n"))
                        goto done;
                } else {
                    if (!sb_printf(&b, "  n%d [label=\"%s\\n", id, ag_node_name(e->node)) ||
                        !put_output(&b, e->node, e, NULL) || !sb_appends(&b, "\"];\n") ||
                        !push(&s, (Item){e->node, e, 0, true}))
                        goto done;
                }
            }
            if (!sb_printf(&b, "  n%d -> n%d;\n", id, from)) goto done;
        }
    }
    if (!sb_appends(&b, "}\n")) goto done;
    if (fwrite(b.data, 1, (size_t)b.len, f) != (size_t)b.len) {
        tsr_raise(ERR_RuntimeError, "tsr.graph: write failed: %s", strerror(errno));
        goto done;
    }
    ok = true;
done:
    ptrmap_free(&m);
    free(s.items);
    free(b.data);
    return ok;
}

/* tsr.graph(y, file=None) */
static Value *tsr_graph_builtin(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, "graph", "tensor, file=", v)) return NULL;
    Tensor *t = NULL;
    GradNode *root;
    if (v[0]->kind == VK_TENSOR) {
        t = v[0]->tensor;
        root = t->grad_fn;
    } else if (v[0]->kind == VK_GRADFN) {
        root = v[0]->gradfn;
    } else {
        tsr_raise(ERR_TypeError, "graph(): argument 'tensor' must be Tensor, not %s", val_type_name(v[0]));
        return NULL;
    }
    const char *path = NULL;
    if (v[1] && v[1]->kind != VK_NONE) {
        if (v[1]->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "graph(): argument 'file' must be str, not %s", val_type_name(v[1]));
            return NULL;
        }
        path = v[1]->str.s;
    }
    if (!root) {
        StrBuf b = {0};
        bool ok = t->requires_grad ? put_leaf(&b, t, false) && sb_appends(&b, " (no graph above a leaf)\n")
                                   : sb_appends(&b, "no graph: the tensor does not require grad\n");
        if (ok && !path) ok = tsr_write_stdout(b.data, b.len);
        free(b.data);
        if (!ok) return NULL;
        if (!path) return val_none();
        tsr_raise(ERR_RuntimeError, "%s", "tsr.graph: no graph to write");
        return NULL;
    }
    if (!path) return print_tree(root, t) ? val_none() : NULL;
    FILE *f = fopen(path, "w");
    if (!f) {
        tsr_raise(ERR_RuntimeError, "tsr.graph: cannot write '%s': %s", path, strerror(errno));
        return NULL;
    }
    bool ok = write_dot(root, t, f);
    if (fclose(f) != 0 && ok) {
        tsr_raise(ERR_RuntimeError, "tsr.graph: cannot write '%s': %s", path, strerror(errno));
        ok = false;
    }
    if (!ok) return NULL;
    StrBuf b = {0};
    ok = sb_printf(&b, "graph written to %s\n", path) && tsr_write_stdout(b.data, b.len);
    free(b.data);
    return ok ? val_none() : NULL;
}

const Builtin tsr_graph_functions[] = {{"graph", tsr_graph_builtin}, {NULL, NULL}};
