/* scope.c: which names are local to a function, by CPython's rule (its
 * symtable): the parameters and every name the body binds anywhere
 * (assignment and augmented assignment targets, for/with/except targets,
 * imports, def and class names, del targets, := targets, comprehensions'
 * := included), less the names it declares global or nonlocal. Nested
 * functions, lambdas and classes are scopes of their own, and a
 * comprehension's loop variables are its own.
 *
 * Reading such a name before it is bound raises UnboundLocalError instead
 * of finding a global of the same name: `count += 1` in a function without
 * `global count`. Computed once per def and kept for the interpreter's
 * life (its syntax trees live as long). */
#include <string.h>

#include "interp_internal.h"
#include "scope.h"

typedef struct {
    Value *bound;    /* DICT: names bound (value True) */
    Value *declared; /* DICT: names declared global or nonlocal */
    bool ok;
} Scan;

static void add(Value *set, const char *name, Scan *s) {
    if (!s->ok || !name || !name[0]) return;
    Value *t = val_bool(true);
    if (!dict_set(set->dict, name, t)) s->ok = false;
    val_release(t);
}

static void scan_expr(const Node *n, Scan *s);
static void scan_block(const NodeList *body, Scan *s);

static void scan_list(const NodeList *l, Scan *s) {
    for (int i = 0; i < l->len; i++) scan_expr(l->items[i], s);
}

/* an assignment target: names bound; attribute and subscript targets bind
 * nothing but their parts are evaluated (and may hold :=) */
static void scan_target(const Node *t, Scan *s) {
    if (!t) return;
    switch (t->kind) {
    case N_NAME: add(s->bound, t->name, s); break;
    case N_TUPLE: case N_LIST:
        for (int i = 0; i < t->list.len; i++) scan_target(t->list.items[i], s);
        break;
    case N_STARRED: scan_target(t->a, s); break;
    default: scan_expr(t, s); break;
    }
}

/* expressions bind only through := (also inside comprehensions, whose
 * other names are their own) */
static void scan_expr(const Node *n, Scan *s) {
    if (!n || !s->ok) return;
    switch (n->kind) {
    case N_LAMBDA: return; /* its own scope */
    case N_NAMEDEXPR: add(s->bound, n->name, s); break;
    default: break;
    }
    scan_expr(n->a, s);
    scan_expr(n->b, s);
    scan_expr(n->c, s);
    scan_list(&n->list, s);
    scan_list(&n->list2, s);
}

static void scan_stmt(const Node *n, Scan *s) {
    switch (n->kind) {
    case N_ASSIGN:
        for (int i = 0; i < n->list.len; i++) scan_target(n->list.items[i], s);
        scan_expr(n->b, s);
        break;
    case N_AUGASSIGN: scan_target(n->a, s); scan_expr(n->b, s); break;
    case N_ANNASSIGN: /* `x: int` alone makes x local too */
        if (n->op) add(s->bound, n->a->name, s);
        else scan_target(n->a, s);
        scan_expr(n->b, s);
        break;
    case N_FOR:
        scan_target(n->a, s);
        scan_expr(n->b, s);
        scan_block(&n->body, s);
        scan_block(&n->orelse, s);
        break;
    case N_WITH:
        scan_list(&n->list, s);
        for (int i = 0; i < n->list2.len; i++) scan_target(n->list2.items[i], s);
        scan_block(&n->body, s);
        break;
    case N_DEL:
        for (int i = 0; i < n->list.len; i++) scan_target(n->list.items[i], s);
        break;
    case N_GLOBAL: case N_NONLOCAL:
        for (int i = 0; i < n->list.len; i++) add(s->declared, n->list.items[i]->name, s);
        break;
    case N_IMPORT: { /* `import a.b` binds a; `import a.b as c` binds c */
        if (n->name2) {
            add(s->bound, n->name2, s);
            break;
        }
        const char *dot = n->name ? strchr(n->name, '.') : NULL;
        if (!dot) {
            add(s->bound, n->name, s);
            break;
        }
        char head[256];
        size_t len = (size_t)(dot - n->name);
        if (len < sizeof head) {
            memcpy(head, n->name, len);
            head[len] = 0;
            add(s->bound, head, s);
        }
        break;
    }
    case N_IMPORT_FROM:
        for (int i = 0; i < n->list.len; i++) {
            const Node *nm = n->list.items[i];
            add(s->bound, nm->name2 ? nm->name2 : nm->name, s);
        }
        break;
    case N_DEF:
        for (int i = 0; i < n->list.len; i++) scan_expr(n->list.items[i], s); /* decorators */
        add(s->bound, n->name, s);
        break;
    case N_CLASS:
        scan_list(&n->list, s);
        scan_list(&n->list2, s);
        add(s->bound, n->name, s);
        break;
    case N_TRY:
        scan_block(&n->body, s);
        for (int i = 0; i < n->list.len; i++) {
            const Node *h = n->list.items[i];
            scan_expr(h->a, s);
            add(s->bound, h->name, s);
            scan_block(&h->body, s);
        }
        scan_block(&n->orelse, s);
        scan_block(&n->list2, s);
        break;
    case N_IF: case N_WHILE:
        scan_expr(n->a, s);
        scan_block(&n->body, s);
        scan_block(&n->orelse, s);
        break;
    default: /* expression statements, return, raise, assert, ... */
        scan_expr(n->a, s);
        scan_expr(n->b, s);
        scan_list(&n->list, s);
        break;
    }
}

static void scan_block(const NodeList *body, Scan *s) {
    for (int i = 0; s->ok && i < body->len; i++) scan_stmt(body->items[i], s);
}

/* the local names of def node n: a DICT kept in in->scopes (borrowed) */
static Value *local_names(struct Interp *in, const Node *def) {
    if (!in->scopes.item_size) in->scopes = PTRMAP_OF(Value *);
    Value **slot = ptrmap_find(&in->scopes, def);
    if (slot) return *slot;
    Scan s = {val_dict_new(), val_dict_new(), true};
    if (s.bound && s.declared) {
        const Params *p = def->params;
        for (int i = 0; p && i < p->n; i++) add(s.bound, p->names[i], &s);
        for (int i = 0; p && i < p->n_kwonly; i++) add(s.bound, p->kwonly_names[i], &s);
        if (p) add(s.bound, p->star, &s), add(s.bound, p->starstar, &s);
        scan_block(&def->body, &s);
        int64_t it = 0;
        const char *k;
        Value *v;
        while (s.ok && dict_next(s.declared->dict, &it, &k, &v)) dict_del(s.bound->dict, k);
    }
    val_release(s.declared);
    if (!s.bound || !s.ok || !(slot = ptrmap_insert(&in->scopes, def, NULL))) {
        val_release(s.bound);
        return NULL;
    }
    *slot = s.bound;
    return s.bound;
}

bool scope_unbound_local(struct Interp *in, const Frame *f, const char *name, const StrKey *k) {
    if (!f->fn || !f->locals || f->class_body || f->scope_name || f->fn->is_lambda || f->fn->is_genexp) return false;
    if (!f->fn->body || f->fn->body->kind != N_DEF) return false;
    Value *names = local_names(in, f->fn->body);
    if (!names) { /* out of memory: the lookup goes on as before */
        tsr_err_clear();
        return false;
    }
    if (!dict_get_hashed(names->dict, k)) return false;
    tsr_raise(ERR_UnboundLocalError, "cannot access local variable '%s' where it is not associated with a value",
              name);
    return true;
}

void scope_free(struct Interp *in) {
    for (int64_t i = 0; i < in->scopes.n; i++) val_release(*(Value **)ptrmap_item(&in->scopes, i));
    ptrmap_free(&in->scopes);
}
