/* teach.c: teaching mode (`tsr --teach`, `tsr.teach(True)`), off by
 * default so that output stays PyTorch's. At the console it adds a dim
 * footer line, starting with `# ` so that a pasted transcript still runs:
 *  - after each echoed tensor, where its memory came from: `view of a
 *    (shares storage)`, `new storage`, `copy: input was not contiguous`;
 *  - after a statement that wrote into a tensor in place, the other
 *    session variables whose values changed through shared storage;
 *  - after a backward() that added into a `.grad` that already held a
 *    gradient (never zeroed since the last backward);
 *  - after a broadcasting or matrix-product shape error, a hint on
 *    standard error that lines the shapes up and marks the failing size.
 * tsr.explain("expr") (any mode) describes one expression's operands,
 * broadcast, dtype promotion and result.
 * Only the session's own variables (the console's globals) are named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interp_internal.h"
#include "ops.h"
#include "parser.h"
#include "shape_note.h"
#include "teach.h"

typedef struct {
    char *name;       /* owned copy of the variable's name */
    Tensor *t;        /* retained */
    int64_t version;  /* t->storage->version before the statement */
    bool had_grad;    /* t->grad held a non-zero gradient before it */
} Seen;

static struct {
    Seen *items;
    int n, cap;
} seen;

static bool colour_wanted(void) {
    const char *nc = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(nc && *nc);
}

/* Writes one footer line, dim on a colour terminal. */
static void footer(const char *text) {
    bool dim = colour_wanted();
    StrBuf b = {0};
    sb_appends(&b, dim ? "\x1b[2m# " : "# ");
    sb_appends(&b, text);
    sb_appends(&b, dim ? "\x1b[0m\n" : "\n");
    if (b.data) tsr_write_stdout(b.data, b.len);
    free(b.data);
}

static bool is_plain_tensor(Value *v) { return v && v->kind == VK_TENSOR && !v->tensor->numpy; }

/* Whether a tensor's gradient holds a value other than zero (read on the
 * host: a CUDA gradient is copied back first). */
static bool grad_nonzero(Tensor *g) {
    if (!g) return false;
    if (!dtype_is_float(g->dtype)) return true;
    Tensor *h = op_to(g, DT_FLOAT64, device_cpu(), true);
    Tensor *c = h ? tensor_contiguous(h) : NULL;
    tensor_release(h);
    if (!c) {
        tsr_err_clear();
        return true;
    }
    bool nonzero = false;
    const double *p = (const double *)tensor_data(c);
    for (int64_t i = 0; i < tensor_numel(c) && !nonzero; i++) nonzero = p[i] != 0;
    tensor_release(c);
    return nonzero;
}

static void seen_clear(void) {
    for (int i = 0; i < seen.n; i++) {
        tensor_release(seen.items[i].t);
        free(seen.items[i].name);
    }
    seen.n = 0;
}

void teach_before(struct Interp *in) {
    seen_clear();
    if (!in->teach) return;
    int64_t it = 0;
    const char *k;
    Value *v;
    while (dict_next(in->globals->dict, &it, &k, &v)) {
        if (!is_plain_tensor(v) || k[0] == '_') continue;
        if (seen.n == seen.cap) {
            int cap = seen.cap ? seen.cap * 2 : 16;
            Seen *s = realloc(seen.items, cap * sizeof *s);
            if (!s) return; /* teaching notes are best effort */
            seen.items = s;
            seen.cap = cap;
        }
        Tensor *t = v->tensor;
        char *name = strdup(k);
        if (!name) return;
        seen.items[seen.n++] = (Seen){name, tensor_retain(t), t->storage->version,
                                      t->requires_grad && !t->grad_fn && grad_nonzero(t->grad)};
    }
}

/* The name a statement writes through, if it is one of the in-place forms
 * on a plain name: `x += ...`, `x[...] = ...`, `x.add_(...)`. */
static const char *inplace_target(const Node *n) {
    const Node *t = NULL;
    if (n->kind == N_AUGASSIGN) t = n->a;
    else if (n->kind == N_ASSIGN && n->list.len == 1 && n->list.items[0]->kind == N_SUBSCRIPT)
        t = n->list.items[0];
    else if (n->kind == N_EXPR_STMT && n->a->kind == N_CALL && n->a->a->kind == N_ATTR) {
        const char *m = n->a->a->name;
        size_t len = strlen(m);
        if (len > 1 && m[len - 1] == '_' && m[len - 2] != '_') t = n->a->a->a;
    }
    if (t && t->kind == N_SUBSCRIPT) t = t->a;
    return t && t->kind == N_NAME ? t->name : NULL;
}

static bool calls_backward(const Node *n) {
    return n->kind == N_EXPR_STMT && n->a->kind == N_CALL && n->a->a->kind == N_ATTR &&
           !strcmp(n->a->a->name, "backward");
}

void teach_after(struct Interp *in, const Node *tree) {
    if (!in->teach || !tree || tree->body.len != 1) {
        seen_clear();
        return;
    }
    const Node *stmt = tree->body.items[0];
    const char *target = inplace_target(stmt);
    Value *tv = target ? dict_get(in->globals->dict, target) : NULL;
    Tensor *written = is_plain_tensor(tv) ? tv->tensor : NULL;
    StrBuf changed = {0};
    int n_changed = 0;
    for (int i = 0; i < seen.n; i++) {
        Seen *s = &seen.items[i];
        Value *now = dict_get(in->globals->dict, s->name);
        if (!is_plain_tensor(now) || now->tensor != s->t) continue; /* rebound */
        if (s->t == written || s->t->storage->version == s->version) continue;
        sb_printf(&changed, "%s%s", n_changed++ ? ", " : "", s->name);
    }
    if (n_changed) {
        StrBuf b = {0};
        if (written)
            sb_printf(&b, "writing into %s also changed %s (shared storage)", target, changed.data);
        else
            sb_printf(&b, "changed in place: %s", changed.data);
        if (b.data) footer(b.data);
        free(b.data);
    }
    free(changed.data);
    if (calls_backward(stmt)) {
        for (int i = 0; i < seen.n; i++) {
            Seen *s = &seen.items[i];
            if (!s->had_grad || !s->t->grad) continue;
            StrBuf b = {0};
            sb_printf(&b, "backward() added into %s.grad, which still held the last gradient "
                          "(zero it first: %s.grad.zero_() or optimizer.zero_grad())",
                      s->name, s->name);
            if (b.data) footer(b.data);
            free(b.data);
        }
    }
    seen_clear();
}

/* Method calls that return their input's storage when it is contiguous
 * and copy it when it is not. */
static bool copies_when_not_contiguous(const char *m) {
    static const char *const names[] = {"reshape", "contiguous", "flatten", "ravel", "reshape_as", NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(m, names[i])) return true;
    return false;
}

void teach_echo(struct Interp *in, const Node *expr, Value *v) {
    if (!in->teach || !is_plain_tensor(v)) return;
    Tensor *t = v->tensor;
    StrBuf names = {0};
    int n = 0;
    int64_t it = 0;
    const char *k;
    Value *g;
    while (dict_next(in->globals->dict, &it, &k, &g)) {
        if (!is_plain_tensor(g) || k[0] == '_' || g->tensor == t) continue;
        if (g->tensor->storage != t->storage) continue;
        sb_printf(&names, "%s%s", n++ ? ", " : "", k);
    }
    /* a name or attribute shows a tensor that already existed; a call of
     * an in-place method returns its (changed) input */
    bool existing = expr->kind == N_NAME || expr->kind == N_ATTR;
    const Node *call = expr->kind == N_CALL && expr->a->kind == N_ATTR ? expr->a : NULL;
    size_t mlen = call ? strlen(call->name) : 0;
    bool inplace = mlen > 1 && call->name[mlen - 1] == '_' && call->name[mlen - 2] != '_';
    StrBuf b = {0};
    if (inplace) {
        sb_appends(&b, "the same tensor, changed in place");
    } else if (n) {
        sb_printf(&b, existing ? "shares storage with %s" : "view of %s (shares storage)", names.data);
    } else if (existing) {
        sb_appends(&b, "owns its storage");
    } else {
        Value *src = call && call->a->kind == N_NAME ? dict_get(in->globals->dict, call->a->name) : NULL;
        if (is_plain_tensor(src) && copies_when_not_contiguous(call->name) &&
            !tensor_is_contiguous(src->tensor))
            sb_appends(&b, "copy: input was not contiguous");
        else
            sb_appends(&b, "new storage");
    }
    if (b.data) footer(b.data);
    free(b.data);
    free(names.data);
}

void teach_release(void) {
    seen_clear();
    free(seen.items);
    seen.items = NULL;
    seen.cap = 0;
}

/* ------------------------------------------------------- shape hints */

/* A shape as its columns: each size right-aligned in `w` characters, the
 * `n` sizes in the last n of `nd` columns (blanks where it has none). */
static void shape_row(StrBuf *b, const char *label, const int64_t *s, int n, int nd, int w) {
    sb_printf(b, "    %s  ", label);
    for (int c = 0; c < nd; c++) {
        int i = c - (nd - n);
        if (i < 0) sb_printf(b, "%*s", w, "");
        else sb_printf(b, "%*lld", w, (long long)s[i]);
    }
    sb_appends(b, "\n");
}

static int digits(int64_t v) {
    char buf[32];
    return snprintf(buf, sizeof buf, "%lld", (long long)v);
}

static void broadcast_hint(StrBuf *b, const ShapeNote *n) {
    int nd = n->na > n->nb ? n->na : n->nb, w = 2;
    for (int i = 0; i < n->na; i++) w = digits(n->a[i]) + 2 > w ? digits(n->a[i]) + 2 : w;
    for (int i = 0; i < n->nb; i++) w = digits(n->b[i]) + 2 > w ? digits(n->b[i]) + 2 : w;
    sb_appends(b, "hint: broadcasting lines the shapes up from the right; a size of 1 (or a\n"
                  "      missing dimension) is stretched to the other size, any other must match:\n");
    shape_row(b, "a", n->a, n->na, nd, w);
    shape_row(b, "b", n->b, n->nb, nd, w);
    sb_printf(b, "    %*s", 3, "");
    int bad = -1;
    for (int c = nd - 1; c >= 0 && bad < 0; c--) {
        int ia = c - (nd - n->na), ib = c - (nd - n->nb);
        int64_t sa = ia >= 0 ? n->a[ia] : 1, sb = ib >= 0 ? n->b[ib] : 1;
        if (sa != sb && sa != 1 && sb != 1) bad = c;
    }
    for (int c = 0; c < nd; c++) sb_printf(b, "%*s", w, c == bad ? "^" : "");
    if (bad >= 0) {
        int ia = bad - (nd - n->na), ib = bad - (nd - n->nb);
        sb_printf(b, "  dimension %d: %lld against %lld, and neither is 1\n", bad, (long long)n->a[ia],
                  (long long)n->b[ib]);
    } else {
        sb_appends(b, "\n");
    }
    /* what would be stretched, the failing dimension aside */
    StrBuf s = {0};
    int k = 0;
    for (int c = 0; c < nd; c++) {
        int ia = c - (nd - n->na), ib = c - (nd - n->nb);
        int64_t sa = ia >= 0 ? n->a[ia] : 1, sb = ib >= 0 ? n->b[ib] : 1;
        if (c == bad || sa == sb) continue;
        char who = sa == 1 ? 'a' : 'b';
        int64_t to = sa == 1 ? sb : sa;
        bool missing = (who == 'a' ? ia : ib) < 0;
        sb_printf(&s, "%s%c's dimension %d (%s -> %lld)", k++ ? ", " : "", who, c,
                  missing ? "missing" : "1", (long long)to);
    }
    if (k) sb_printf(b, "    would stretch: %s\n", s.data);
    free(s.data);
}

static void matmul_hint(StrBuf *b, const ShapeNote *n) {
    int64_t m = n->a[0], k1 = n->a[1], k2 = n->b[0], p = n->b[1];
    int w = digits(m) + 2 > digits(k2) + 2 ? digits(m) + 2 : digits(k2) + 2;
    char s[48];
    sb_appends(b, "hint: in a @ b, each row of a meets each column of b, so a's last size\n"
                  "      (its columns) must equal b's first size (its rows):\n");
    sb_printf(b, "    a  %*lld x [%lld]\n", w, (long long)m, (long long)k1);
    snprintf(s, sizeof s, "[%lld]", (long long)k2);
    sb_printf(b, "    b  %*s x %lld\n", w, s, (long long)p);
    sb_printf(b, "    %lld columns against %lld rows (a.T or b.T turns one of them around)\n",
              (long long)k1, (long long)k2);
}

void teach_error(struct Interp *in, unsigned long serial) {
    if (!in->teach || shape_note.kind == SHAPE_NOTE_NONE || shape_note.serial != serial) return;
    StrBuf b = {0};
    if (shape_note.kind == SHAPE_NOTE_BROADCAST) broadcast_hint(&b, &shape_note);
    else matmul_hint(&b, &shape_note);
    shape_note.kind = SHAPE_NOTE_NONE;
    if (b.data) {
        fflush(stdout);
        fwrite(b.data, 1, b.len, stderr);
        fflush(stderr);
    }
    free(b.data);
}

/* ---------------------------------------------------------- explain */

static void shape_text(StrBuf *b, const Tensor *t) {
    sb_appends(b, "(");
    for (int i = 0; i < t->ndim; i++) sb_printf(b, "%s%lld", i ? ", " : "", (long long)t->shape[i]);
    sb_appends(b, t->ndim == 1 ? ",)" : ")");
}

/* Where v's memory is, said of a tensor that is not a fresh result. */
static void storage_text(struct Interp *in, StrBuf *b, Tensor *t, const char *self) {
    StrBuf names = {0};
    int n = 0;
    int64_t it = 0;
    const char *k;
    Value *g;
    while (dict_next(in->globals->dict, &it, &k, &g)) {
        if (!is_plain_tensor(g) || k[0] == '_' || g->tensor == t || g->tensor->storage != t->storage) continue;
        if (self && !strcmp(self, k)) continue;
        sb_printf(&names, "%s%s", n++ ? ", " : "", k);
    }
    if (n) sb_printf(b, "shares storage with %s%s", names.data,
                     tensor_is_contiguous(t) ? "" : "; not contiguous");
    else sb_printf(b, "own storage%s", tensor_is_contiguous(t) ? "" : "; not contiguous");
    free(names.data);
}

/* The rows of explain(): the label column as wide as the widest label. */
static void row_label(StrBuf *b, int width, const char *label) { sb_printf(b, "  %-*s ", width, label); }

static void operand_line(struct Interp *in, StrBuf *b, int width, const char *label, Value *v) {
    row_label(b, width, label);
    if (is_plain_tensor(v)) {
        StrBuf s = {0};
        shape_text(&s, v->tensor);
        sb_printf(b, "%-14s %-9s ", s.data ? s.data : "", dtype_name(v->tensor->dtype));
        free(s.data);
        storage_text(in, b, v->tensor, label);
    } else {
        sb_printf(b, "a Python %s", val_type_name(v));
    }
    sb_appends(b, "\n");
}

static const char *operand_dtype(Value *v) {
    if (is_plain_tensor(v)) return dtype_name(v->tensor->dtype);
    return v->kind == VK_FLOAT ? "Python float" : v->kind == VK_BOOL ? "Python bool" : v->kind == VK_INT ? "Python int" : val_type_name(v);
}

static void explain_binary(struct Interp *in, StrBuf *b, int *width, const Node *e, Value *x, Value *y, Value *r) {
    int len_a = e->a->end_col - e->a->col, len_b = e->b->end_col - e->b->col;
    const Source *src = in->running;
    char la[24] = "a", lb[24] = "b";
    if (e->a->line == 1 && len_a > 0 && len_a < (int)sizeof la && src)
        snprintf(la, sizeof la, "%.*s", len_a, src->text + e->a->col);
    if (e->b->line == 1 && len_b > 0 && len_b < (int)sizeof lb && src)
        snprintf(lb, sizeof lb, "%.*s", len_b, src->text + e->b->col);
    int w = 10;
    if ((int)strlen(la) > w) w = (int)strlen(la);
    if ((int)strlen(lb) > w) w = (int)strlen(lb);
    *width = w;
    operand_line(in, b, w, la, x);
    operand_line(in, b, w, lb, y);
    Tensor *ta = is_plain_tensor(x) ? x->tensor : NULL, *tb = is_plain_tensor(y) ? y->tensor : NULL;
    Tensor *tr = is_plain_tensor(r) ? r->tensor : NULL;
    if (e->op == B_MATMUL && ta && tb && tr) {
        StrBuf s1 = {0}, s2 = {0}, s3 = {0};
        shape_text(&s1, ta);
        shape_text(&s2, tb);
        shape_text(&s3, tr);
        row_label(b, w, "matmul");
        sb_printf(b, "%s @ %s -> %s", s1.data, s2.data, s3.data);
        if (ta->ndim >= 1 && tb->ndim >= 1)
            sb_printf(b, ": %s's last size meets %s's %s size (%lld), which is summed over",
                      la, lb, tb->ndim == 1 ? "only" : "second-to-last", (long long)ta->shape[ta->ndim - 1]);
        sb_appends(b, "\n");
        free(s1.data), free(s2.data), free(s3.data);
    } else if (ta && tb && tr) {
        StrBuf s1 = {0}, s2 = {0}, s3 = {0};
        shape_text(&s1, ta);
        shape_text(&s2, tb);
        shape_text(&s3, tr);
        row_label(b, w, "broadcast");
        sb_printf(b, "%s and %s -> %s\n", s1.data, s2.data, s3.data);
        free(s1.data), free(s2.data), free(s3.data);
        int nd = tr->ndim, k = 0;
        StrBuf st = {0};
        for (int c = 0; c < nd; c++) {
            const Tensor *ops[2] = {ta, tb};
            const char *names[2] = {la, lb};
            for (int o = 0; o < 2; o++) {
                int i = c - (nd - ops[o]->ndim);
                int64_t sz = i >= 0 ? ops[o]->shape[i] : -1;
                if (sz == tr->shape[c]) continue;
                sb_printf(&st, "%s%s's dimension %d (%s -> %lld)", k++ ? ", " : "", names[o], c,
                          i < 0 ? "missing" : "1", (long long)tr->shape[c]);
            }
        }
        row_label(b, w, "");
        if (k) sb_printf(b, "stretched: %s\n", st.data);
        else sb_appends(b, "nothing stretched: the shapes are equal\n");
        free(st.data);
    }
    if (tr) {
        row_label(b, w, "dtype");
        sb_printf(b, "%s and %s -> %s", operand_dtype(x), operand_dtype(y), dtype_name(tr->dtype));
        if ((ta && ta->ndim == 0 && tb && tb->ndim > 0) || (tb && tb->ndim == 0 && ta && ta->ndim > 0) || !ta || !tb)
            sb_appends(b, " (a Python number or a 0-dim tensor only decides the kind: the dimensioned tensor's dtype wins within it)");
        sb_appends(b, "\n");
    }
}

Value *teach_explain(struct Interp *in, const char *text) {
    int64_t len = (int64_t)strlen(text);
    Node *tree = NULL;
    ParseStatus ps = parse_program(text, len, &tree);
    if (ps != PARSE_OK) {
        ast_free(tree);
        if (!tsr_err_occurred()) tsr_raise(ERR_SyntaxError, "%s", "invalid syntax");
        return NULL;
    }
    if (tree->body.len != 1 || tree->body.items[0]->kind != N_EXPR_STMT) {
        ast_free(tree);
        tsr_raise(ERR_ValueError, "%s", "explain(): give one expression, as a string");
        return NULL;
    }
    const Source *src = interp_keep_tree(in, tree, text, len, "<explain>");
    if (!src) return NULL;
    const Source *prev = in->running;
    in->running = src;
    Node *e = tree->body.items[0]->a;
    Frame frame = {0};
    Value *x = NULL, *y = NULL, *r = NULL;
    if (e->kind == N_BINARY) {
        x = eval_expr(in, &frame, e->a);
        y = x ? eval_expr(in, &frame, e->b) : NULL;
        r = y ? binary_op((BinKind)e->op, x, y) : NULL;
    } else {
        r = eval_expr(in, &frame, e);
    }
    StrBuf b = {0};
    bool ok = r != NULL;
    if (ok) {
        sb_printf(&b, "%s\n", text);
        int width = 10;
        if (e->kind == N_BINARY) explain_binary(in, &b, &width, e, x, y, r);
        row_label(&b, width, "result");
        if (is_plain_tensor(r)) {
            StrBuf s = {0};
            shape_text(&s, r->tensor);
            sb_printf(&b, "%-14s %-9s ", s.data ? s.data : "", dtype_name(r->tensor->dtype));
            free(s.data);
            int64_t it = 0;
            const char *k;
            Value *g;
            StrBuf names = {0};
            int n = 0;
            while (dict_next(in->globals->dict, &it, &k, &g))
                if (is_plain_tensor(g) && k[0] != '_' && g->tensor->storage == r->tensor->storage)
                    sb_printf(&names, "%s%s", n++ ? ", " : "", k);
            if (n) sb_printf(&b, "a view: shares storage with %s", names.data);
            else sb_appends(&b, "new storage");
            free(names.data);
        } else {
            Value *rep = val_repr(r);
            if (rep) sb_printf(&b, "%s", rep->str.s);
            val_release(rep);
            ok = rep != NULL;
        }
        sb_appends(&b, "\n");
        ok = ok && tsr_write_stdout(b.data, b.len);
    }
    free(b.data);
    in->running = prev;
    val_release(x);
    val_release(y);
    val_release(r);
    val_release(frame.retval);
    return ok ? val_none() : NULL;
}
