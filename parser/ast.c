/* ast.c: node allocation, freeing and the test dump. */
#include "ast.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

const char *const ast_kind_names[N_COUNT] = {
#define X(k) #k,
    AST_KINDS(X)
#undef X
};

Node *ast_new(NodeKind kind, int line, int col) {
    Node *n = tsr_calloc(1, sizeof *n);
    if (!n) return NULL;
    n->kind = kind;
    n->line = n->end_line = line;
    n->col = n->end_col = col;
    return n;
}

bool ast_list_push(NodeList *l, Node *n) {
    if (l->len == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        Node **items = tsr_realloc(l->items, sizeof(Node *) * (size_t)cap);
        if (!items) return false;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = n;
    return true;
}

/* The walks below keep their own stack, not C's: a tree 300,000 deep
 * (a long `1+1+...` chain) must free and measure without recursing. */
typedef struct {
    Node **n;
    int *depth;
    int64_t len, cap;
} Walk;

static bool walk_push(Walk *w, Node *n, int depth) {
    if (!n) return true;
    if (w->len == w->cap) {
        int64_t cap = w->cap ? w->cap * 2 : 64;
        Node **a = realloc(w->n, sizeof(Node *) * (size_t)cap);
        if (a) w->n = a;
        int *d = a ? realloc(w->depth, sizeof(int) * (size_t)cap) : NULL;
        if (d) w->depth = d;
        if (!a || !d) return false;
        w->cap = cap;
    }
    w->n[w->len] = n;
    w->depth[w->len++] = depth;
    return true;
}

static bool walk_push_list(Walk *w, const NodeList *l, int depth) {
    for (int i = 0; i < l->len; i++)
        if (!walk_push(w, l->items[i], depth)) return false;
    return true;
}

/* Pushes n's child nodes at depth; false when out of memory. */
static bool walk_children(Walk *w, Node *n, int depth) {
    if (!walk_push(w, n->a, depth) || !walk_push(w, n->b, depth) || !walk_push(w, n->c, depth) ||
        !walk_push_list(w, &n->list, depth) || !walk_push_list(w, &n->list2, depth) ||
        !walk_push_list(w, &n->body, depth) || !walk_push_list(w, &n->orelse, depth))
        return false;
    if (n->params) {
        for (int i = 0; i < n->params->n_defaults; i++)
            if (!walk_push(w, n->params->defaults[i], depth)) return false;
        for (int i = 0; i < n->params->n_kwonly; i++)
            if (!walk_push(w, n->params->kwonly_defaults[i], depth)) return false;
        for (int i = 0; i < n->params->n_ann; i++)
            if (!walk_push(w, n->params->ann_exprs[i], depth)) return false;
    }
    return true;
}

static void list_free(NodeList *l) {
    for (int i = 0; i < l->len; i++) ast_free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->len = l->cap = 0;
}

static void params_free(Params *p, bool nodes) {
    if (!p) return;
    for (int i = 0; i < p->n; i++) free(p->names[i]);
    free(p->names);
    for (int i = 0; nodes && i < p->n_defaults; i++) ast_free(p->defaults[i]);
    free(p->defaults);
    free(p->star);
    for (int i = 0; i < p->n_kwonly; i++) {
        free(p->kwonly_names[i]);
        if (nodes) ast_free(p->kwonly_defaults[i]);
    }
    free(p->kwonly_names);
    free(p->kwonly_defaults);
    free(p->starstar);
    for (int i = 0; i < p->n_ann; i++) {
        free(p->ann_names[i]);
        if (nodes) ast_free(p->ann_exprs[i]);
    }
    free(p->ann_names);
    free(p->ann_exprs);
    free(p);
}

/* Frees n's own memory; its child nodes when `children` (else the
 * caller has taken them). */
static void node_free(Node *n, bool children) {
    if (n->kwnames)
        for (int i = 0; i < n->list2.len; i++) free(n->kwnames[i]);
    free(n->kwnames);
    free(n->str);
    free(n->name);
    free(n->name2);
    if (children) {
        ast_free(n->a);
        ast_free(n->b);
        ast_free(n->c);
        list_free(&n->list);
        list_free(&n->list2);
        list_free(&n->body);
        list_free(&n->orelse);
    } else {
        free(n->list.items);
        free(n->list2.items);
        free(n->body.items);
        free(n->orelse.items);
    }
    free(n->ops);
    params_free(n->params, children);
    free(n);
}

void ast_free(Node *n) {
    if (!n) return;
    Walk w = {0};
    if (!walk_push(&w, n, 0)) {
        node_free(n, true); /* no memory for a stack: recurse */
        return;
    }
    while (w.len) {
        Node *m = w.n[--w.len];
        int64_t mark = w.len;
        if (walk_children(&w, m, 0)) {
            node_free(m, false);
        } else { /* out of memory midway: drop what was pushed, free m whole */
            w.len = mark;
            node_free(m, true);
        }
    }
    free(w.n);
    free(w.depth);
}

int ast_depth(Node *n, int limit) {
    Walk w = {0};
    int max = 0;
    if (!walk_push(&w, n, 0)) return -1;
    while (w.len) {
        Node *m = w.n[--w.len];
        int d = w.depth[w.len];
        if (d > max) max = d;
        if (max > limit) break;
        if (!walk_children(&w, m, d + 1)) {
            max = -1;
            break;
        }
    }
    free(w.n);
    free(w.depth);
    return max;
}

/* ------------------------------------------------------------ dump */

typedef struct {
    char **buf;
    int64_t *len, *cap;
    bool ok;
} Out;

static void out_add(Out *o, const char *s, size_t n) {
    if (!o->ok) return;
    if (*o->len + (int64_t)n + 1 > *o->cap) {
        int64_t cap = *o->cap ? *o->cap : 256;
        while (cap < *o->len + (int64_t)n + 1) cap *= 2;
        char *b = realloc(*o->buf, (size_t)cap);
        if (!b) {
            o->ok = false;
            return;
        }
        *o->buf = b;
        *o->cap = cap;
    }
    memcpy(*o->buf + *o->len, s, n);
    *o->len += (int64_t)n;
    (*o->buf)[*o->len] = 0;
}

static void out_fmt(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_fmt(Out *o, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n >= (int)sizeof tmp) n = (int)sizeof tmp - 1;
    out_add(o, tmp, (size_t)n);
}

static void out_indent(Out *o, int indent) {
    for (int i = 0; i < indent; i++) out_add(o, "  ", 2);
}

static void out_quoted(Out *o, const char *s, int64_t n) {
    out_add(o, "'", 1);
    for (int64_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\' || c == '\'') out_fmt(o, "\\%c", c);
        else if (c == '\n') out_add(o, "\\n", 2);
        else if (c == '\t') out_add(o, "\\t", 2);
        else if (c < 0x20 || c == 0x7f) out_fmt(o, "\\x%02x", c);
        else out_add(o, (const char *)&s[i], 1);
    }
    out_add(o, "'", 1);
}

static const char *const unary_names[] = {"-", "+", "~", "not"};
static const char *const bin_names[] = {"+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>"};
static const char *const cmp_names[] = {"==", "!=", "<", "<=", ">", ">=", "is", "is not", "in", "not in"};

static void dump(Out *o, const Node *n, int indent);

static void dump_list(Out *o, const char *label, const NodeList *l, int indent) {
    if (!l->len) return;
    out_indent(o, indent);
    out_fmt(o, "%s:\n", label);
    for (int i = 0; i < l->len; i++) {
        if (l->items[i]) {
            dump(o, l->items[i], indent + 1);
        } else {
            out_indent(o, indent + 1);
            out_add(o, "-\n", 2);
        }
    }
}

static void dump_child(Out *o, const char *label, const Node *n, int indent) {
    if (!n) return;
    out_indent(o, indent);
    out_fmt(o, "%s:\n", label);
    dump(o, n, indent + 1);
}

static void dump_params(Out *o, const Params *p, int indent) {
    if (!p) return;
    out_indent(o, indent);
    out_add(o, "params:", 7);
    for (int i = 0; i < p->n; i++) out_fmt(o, " %s%s", p->names[i], i >= p->n - p->n_defaults ? "=" : "");
    if (p->star) out_fmt(o, " *%s", p->star);
    else if (p->n_kwonly) out_add(o, " *", 2);
    for (int i = 0; i < p->n_kwonly; i++) out_fmt(o, " %s%s", p->kwonly_names[i], p->kwonly_defaults[i] ? "=" : "");
    if (p->starstar) out_fmt(o, " **%s", p->starstar);
    out_add(o, "\n", 1);
    for (int i = 0; i < p->n_defaults; i++) dump(o, p->defaults[i], indent + 1);
    for (int i = 0; i < p->n_kwonly; i++)
        if (p->kwonly_defaults[i]) dump(o, p->kwonly_defaults[i], indent + 1);
}

static void dump(Out *o, const Node *n, int indent) {
    out_indent(o, indent);
    out_add(o, ast_kind_names[n->kind], strlen(ast_kind_names[n->kind]));
    switch (n->kind) {
    case N_INT: out_fmt(o, " %" PRId64, n->ival); break;
    case N_FLOAT: case N_IMAG: out_fmt(o, " %.17g", n->fval); break;
    case N_STR: case N_BYTES: out_add(o, " ", 1); out_quoted(o, n->str, n->str_len); break;
    case N_NAME: case N_ATTR: case N_DEF: case N_CLASS: out_fmt(o, " %s", n->name); break;
    case N_EXCEPT: if (n->name) out_fmt(o, " %s", n->name); break;
    case N_UNARY: out_fmt(o, " %s", unary_names[n->op]); break;
    case N_BINARY: case N_AUGASSIGN: out_fmt(o, " %s", bin_names[n->op]); break;
    case N_BOOLOP: out_fmt(o, " %s", n->op == BOOL_AND ? "and" : "or"); break;
    case N_COMPARE:
        for (int i = 0; i + 1 < n->list.len; i++) out_fmt(o, " %s", cmp_names[n->ops[i]]);
        break;
    case N_FORMATTED: if (n->op) out_fmt(o, " !%c", n->op); break;
    case N_IMPORT:
        out_fmt(o, " %s", n->name);
        if (n->name2) out_fmt(o, " as %s", n->name2);
        break;
    case N_IMPORT_FROM: out_fmt(o, " %s%s", n->name, n->star ? " *" : ""); break;
    default: break;
    }
    if (n->kind == N_NAME && n->name2) out_fmt(o, " as %s", n->name2);
    out_add(o, "\n", 1);
    dump_params(o, n->params, indent + 1);
    dump_child(o, "a", n->a, indent + 1);
    dump_child(o, "b", n->b, indent + 1);
    dump_child(o, "c", n->c, indent + 1);
    if (n->kind == N_CALL) {
        dump_list(o, "args", &n->list, indent + 1);
        for (int i = 0; i < n->list2.len; i++) {
            out_indent(o, indent + 1);
            if (n->kwnames[i]) out_fmt(o, "kw %s:\n", n->kwnames[i]);
            else out_add(o, "kw **:\n", 7);
            dump(o, n->list2.items[i], indent + 2);
        }
    } else {
        dump_list(o, "list", &n->list, indent + 1);
        dump_list(o, "list2", &n->list2, indent + 1);
    }
    dump_list(o, "body", &n->body, indent + 1);
    dump_list(o, "orelse", &n->orelse, indent + 1);
}

void ast_dump(const Node *n, int indent, char **buf, int64_t *len, int64_t *cap) {
    Out o = {buf, len, cap, true};
    if (!n) {
        out_indent(&o, indent);
        out_add(&o, "-\n", 2);
        return;
    }
    dump(&o, n, indent);
}
