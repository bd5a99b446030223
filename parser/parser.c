/* parser.c: tokens (lexer.c) -> AST (ast.h), by recursive descent for
 * statements and precedence climbing for binary operators (the table
 * `binops`, as Lua's lparser.c `priority[]`). */
#include "parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lexer.h"

#define MAX_DEPTH 400
/* The deepest tree CPython 3.11 compiles (its compiler recurses under a
 * limit of 3000, 2,990 terms of `1+1+...` at module level): past it,
 * RecursionError, so every later walk of the tree (the evaluator) is
 * bounded too. Chains of left-associative operators, calls, attributes
 * and subscripts parse in loops and are checked once the tree is built. */
#define MAX_TREE_DEPTH 2991

typedef struct {
    Lexer lx;
    Token tok;  /* current token */
    Token prev; /* last consumed token */
    const char *src;
    int64_t len;
    int depth;
    int loops, funcs; /* enclosing loops (in the innermost def) and defs */
    Node *def;        /* the innermost def being parsed (a yield marks it a generator), or NULL */
    int lambdas;      /* lambdas around the current expression, inside that def */
    bool eof_error; /* the error was raised at the end of the input */
    bool lex_error; /* the error came from the lexer */
    bool bytes_error; /* a bytes literal's bad \x escape (reported at the literal's end) */
    /* pos_in's last answer inside the current f-string token, so that
     * finding each field's position is not a scan from the token's start */
    int64_t pos_body, pos_off, pos_ls;
    int pos_line;
    /* the last disjunction parsed: where it starts and ends, and whether
     * CPython's "forgot a comma" rule skips it (a soft keyword or a legacy
     * print/exec first; a lone name, for which a string next is skipped) */
    int dis_line, dis_col, dis_end_line, dis_end_col;
    bool dis_skip, dis_lone_name;
} Parser;

/* ------------------------------------------------------------ errors */

static bool tok_at_end(const Parser *p, const Token *t) {
    return (t->kind == T_EOF || t->kind == T_DEDENT) && t->start >= p->len && !p->lx.base_parens;
}

static void raise_at(Parser *p, ErrKind kind, const Token *t, const char *msg) {
    tsr_raise(kind, "%s", msg);
    tsr_err_set_pos(t->line, t->col, t->end_line, t->end_col > t->col || t->end_line > t->line ? t->end_col : t->col + 1);
    if (tok_at_end(p, t)) p->eof_error = true;
}

static void raise_node(ErrKind kind, const Node *n, const char *msg) {
    tsr_raise(kind, "%s", msg);
    tsr_err_set_pos(n->line, n->col, n->end_line, n->end_col);
}

static Node *parse_expr(Parser *p);

static bool starts_expression(TokKind k) {
    return k == T_NAME || k == T_INT || k == T_FLOAT || k == T_IMAG || k == T_STRING || k == T_LPAR || k == T_LSQB ||
           k == T_LBRACE || k == T_TILDE || k == K_TRUE || k == K_FALSE || k == K_NONE || k == K_NOT ||
           k == K_LAMBDA || k == T_ELLIPSIS;
}

/* CPython 3.11's invalid_expression: inside brackets, an expression right
 * after a complete one is a missing comma ("(1 2)", "f(a b)"). The second
 * must parse as an expression (tried on a copy of the parser); the error
 * spans both. */
static bool forgot_comma(Parser *p, const Token *t) {
    if (t != &p->tok || p->lx.base_parens || !starts_expression(t->kind) || p->dis_skip) return false;
    bool opener = t->kind == T_LPAR || t->kind == T_LSQB || t->kind == T_LBRACE;
    if (p->lx.n_parens - opener <= 0) return false;
    if (p->prev.end_line != p->dis_end_line || p->prev.end_col != p->dis_end_col) return false;
    if (p->dis_lone_name && t->kind == T_STRING) return false;
    Parser q = *p;
    q.def = NULL;
    q.depth = 0;
    Node *b = parse_expr(&q);
    tsr_err_clear();
    if (!b) return false;
    ast_free(b);
    tsr_raise(ERR_SyntaxError, "%s", "invalid syntax. Perhaps you forgot a comma?");
    tsr_err_set_pos(p->dis_line, p->dis_col, q.prev.end_line, q.prev.end_col);
    return true;
}

/* "invalid syntax", unless a bracket left open further on explains it
 * better (CPython reports "'(' was never closed" then). */
static void syntax_error(Parser *p, const Token *t) {
    if (forgot_comma(p, t)) return;
    if (p->lx.n_parens > 0 && !p->lx.base_parens) {
        Lexer copy = p->lx;
        Token tk;
        while (lexer_next(&copy, &tk) && tk.kind != T_EOF) {
        }
        if (tsr_err_occurred() && copy.incomplete && copy.n_parens > 0) return; /* keeps that error */
    }
    raise_at(p, ERR_SyntaxError, t, "invalid syntax");
}

static bool advance(Parser *p) {
    p->prev = p->tok;
    if (!lexer_next(&p->lx, &p->tok)) {
        p->lex_error = true;
        return false;
    }
    return true;
}

static bool accept(Parser *p, TokKind k, bool *ok) {
    if (p->tok.kind != k) return false;
    *ok = advance(p);
    return true;
}

static bool expect(Parser *p, TokKind k) {
    if (p->tok.kind == k) return advance(p);
    if (k == T_COLON && p->tok.kind != T_EOF) {
        raise_at(p, ERR_SyntaxError, &p->tok, "expected ':'");
        return false;
    }
    syntax_error(p, &p->tok);
    return false;
}

static Node *new_node(Parser *p, NodeKind kind, const Token *t) {
    Node *n = ast_new(kind, t->line, t->col);
    if (n) {
        n->end_line = t->end_line;
        n->end_col = t->end_col;
    }
    return n;
}

static Node *new_at(NodeKind kind, const Node *start) {
    bool paren = start->paren_line > 0;
    return ast_new(kind, paren ? start->paren_line : start->line, paren ? start->paren_col : start->col);
}

static void finish(Parser *p, Node *n) {
    n->end_line = p->prev.end_line;
    n->end_col = p->prev.end_col;
}

static bool push(NodeList *l, Node *n) {
    if (!ast_list_push(l, n)) {
        ast_free(n);
        return false;
    }
    return true;
}

static char *tok_text(Parser *p, const Token *t) {
    return tsr_strndup(p->src + t->start, (unsigned long long)(t->end - t->start));
}

static bool unsupported(Parser *p, const Token *t) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s is not supported by tsr", tok_name(t->kind));
    raise_at(p, ERR_SyntaxError, t, msg);
    return false;
}

static bool is_unsupported_kw(TokKind k) {
    return k == K_ASYNC || k == K_AWAIT;
}

/* ------------------------------------------------------------ expressions */

static Node *parse_expr(Parser *p);
static Node *parse_disjunction(Parser *p);
static Node *parse_star_exprs(Parser *p, bool allow_star);
static Node *parse_yield(Parser *p);
static const char *expr_desc(const Node *n);
static Node *parse_binary(Parser *p, int limit);
static bool parse_comp_clauses(Parser *p, Node *comp);
static Node *parse_strings(Parser *p);

static bool starts_expr(TokKind k) {
    switch (k) {
    case T_NAME: case T_INT: case T_FLOAT: case T_IMAG: case T_STRING: case T_LPAR: case T_LSQB: case T_LBRACE:
    case T_MINUS: case T_PLUS: case T_TILDE: case K_NOT: case K_LAMBDA: case K_NONE: case K_TRUE:
    case K_FALSE: case T_ELLIPSIS: case T_STAR: case K_AWAIT: case K_YIELD:
        return true;
    default: return false;
    }
}

static Node *parse_atom(Parser *p);

/* `*expr` where allowed, else an expression */
static Node *parse_star_or_expr(Parser *p, bool allow_star) {
    if (p->tok.kind == T_STAR) {
        if (!allow_star) {
            syntax_error(p, &p->tok);
            return NULL;
        }
        Node *n = new_node(p, N_STARRED, &p->tok);
        if (!n || !advance(p)) goto fail;
        if (!(n->a = parse_binary(p, 0))) goto fail;
        finish(p, n);
        return n;
    fail:
        ast_free(n);
        return NULL;
    }
    return parse_expr(p);
}

/* Elements after the first of a tuple/list display, up to `close`. */
static bool parse_elements(Parser *p, Node *seq, TokKind close) {
    bool ok = true;
    while (accept(p, T_COMMA, &ok)) {
        if (!ok) return false;
        if (p->tok.kind == close) break;
        Node *e = parse_star_or_expr(p, true);
        if (!e || !push(&seq->list, e)) return false;
    }
    if (!ok) return false;
    return true;
}

static Node *parse_comprehension(Parser *p, Node *elt, const Token *open, CompKind kind) {
    Node *n = new_node(p, N_LISTCOMP, open);
    if (!n) {
        ast_free(elt);
        return NULL;
    }
    n->a = elt;
    n->op = kind;
    if (elt->kind == N_STARRED) {
        raise_node(ERR_SyntaxError, elt, "iterable unpacking cannot be used in comprehension");
        goto fail;
    }
    if (!parse_comp_clauses(p, n)) goto fail;
    return n;
fail:
    ast_free(n);
    return NULL;
}

static Node *parse_paren(Parser *p) {
    Token open = p->tok;
    if (!advance(p)) return NULL;
    Node *seq = NULL, *first = NULL;
    if (p->tok.kind == T_RPAR) {
        seq = new_node(p, N_TUPLE, &open);
        if (!seq || !advance(p)) goto fail;
        finish(p, seq);
        return seq;
    }
    if (p->tok.kind == K_YIELD) {
        Node *y = parse_yield(p);
        if (!y || !expect(p, T_RPAR)) {
            ast_free(y);
            return NULL;
        }
        return y;
    }
    if (!(first = parse_star_or_expr(p, true))) return NULL;
    if (p->tok.kind == K_FOR) {
        Node *c = parse_comprehension(p, first, &open, COMP_GEN);
        if (!c) return NULL;
        if (!expect(p, T_RPAR)) {
            ast_free(c);
            return NULL;
        }
        finish(p, c);
        return c;
    }
    if (p->tok.kind == T_RPAR) {
        if (first->kind == N_STARRED) {
            raise_node(ERR_SyntaxError, first, "cannot use starred expression here");
            goto fail;
        }
        if (!advance(p)) goto fail;
        first->paren_line = open.line;
        first->paren_col = open.col;
        return first;
    }
    if (p->tok.kind != T_COMMA) {
        syntax_error(p, &p->tok);
        goto fail;
    }
    if (!(seq = new_node(p, N_TUPLE, &open))) goto fail;
    if (!push(&seq->list, first)) {
        first = NULL;
        goto fail;
    }
    first = NULL;
    if (!parse_elements(p, seq, T_RPAR) || !expect(p, T_RPAR)) goto fail;
    finish(p, seq);
    return seq;
fail:
    ast_free(first);
    ast_free(seq);
    return NULL;
}

static Node *parse_list_display(Parser *p) {
    Token open = p->tok;
    Node *seq = NULL, *first = NULL;
    if (!advance(p)) return NULL;
    if (p->tok.kind == T_RSQB) {
        seq = new_node(p, N_LIST, &open);
        if (!seq || !advance(p)) goto fail;
        finish(p, seq);
        return seq;
    }
    if (!(first = parse_star_or_expr(p, true))) return NULL;
    if (p->tok.kind == K_FOR) {
        Node *c = parse_comprehension(p, first, &open, COMP_LIST);
        if (!c) return NULL;
        if (!expect(p, T_RSQB)) {
            ast_free(c);
            return NULL;
        }
        finish(p, c);
        return c;
    }
    if (!(seq = new_node(p, N_LIST, &open))) goto fail;
    if (!push(&seq->list, first)) {
        first = NULL;
        goto fail;
    }
    first = NULL;
    if (!parse_elements(p, seq, T_RSQB) || !expect(p, T_RSQB)) goto fail;
    finish(p, seq);
    return seq;
fail:
    ast_free(first);
    ast_free(seq);
    return NULL;
}

/* {a, b} (a set), {k: v, **m} (a dict), and their comprehensions */
static Node *parse_dict_display(Parser *p) {
    Token open = p->tok;
    Node *d = new_node(p, N_DICT, &open);
    if (!d || !advance(p)) goto fail;
    bool ok = true;
    bool is_set = false;
    while (p->tok.kind != T_RBRACE) {
        if (!is_set && p->tok.kind == T_DSTAR) { /* {**m}: list holds a NULL key */
            Node *m;
            if (!advance(p) || !(m = parse_binary(p, 0))) goto fail;
            if (!ast_list_push(&d->list, NULL) || !push(&d->list2, m)) goto fail;
        } else {
            Node *k = parse_star_or_expr(p, !d->list.len || is_set);
            if (!k) goto fail;
            bool first = !d->list.len && !d->list2.len;
            if (first && p->tok.kind != T_COLON) { /* a set display or comprehension */
                d->kind = N_SET;
                is_set = true;
            }
            if (is_set) {
                if (first && p->tok.kind == K_FOR) {
                    ast_free(d);
                    Node *c = parse_comprehension(p, k, &open, COMP_SET);
                    if (!c || !expect(p, T_RBRACE)) {
                        ast_free(c);
                        return NULL;
                    }
                    finish(p, c);
                    return c;
                }
                if (!push(&d->list, k)) goto fail;
            } else {
                if (k->kind == N_STARRED || p->tok.kind != T_COLON) {
                    ast_free(k);
                    syntax_error(p, &p->tok);
                    goto fail;
                }
                if (!push(&d->list, k) || !advance(p)) goto fail;
                Node *v = parse_expr(p);
                if (!v || !push(&d->list2, v)) goto fail;
                if (first && p->tok.kind == K_FOR) {
                    Node *key = d->list.items[0], *val = d->list2.items[0];
                    d->list.len = d->list2.len = 0;
                    ast_free(d);
                    Node *c = parse_comprehension(p, key, &open, COMP_DICT);
                    if (!c) {
                        ast_free(val);
                        return NULL;
                    }
                    c->b = val;
                    if (!expect(p, T_RBRACE)) {
                        ast_free(c);
                        return NULL;
                    }
                    finish(p, c);
                    return c;
                }
            }
        }
        if (!accept(p, T_COMMA, &ok)) break;
        if (!ok) goto fail;
    }
    if (!expect(p, T_RBRACE)) goto fail;
    finish(p, d);
    return d;
fail:
    ast_free(d);
    return NULL;
}

static Node *parse_atom(Parser *p) {
    Token t = p->tok;
    Node *n = NULL;
    switch (t.kind) {
    case T_NAME:
        if (!(n = new_node(p, N_NAME, &t)) || !(n->name = tok_text(p, &t))) goto fail;
        break;
    case T_INT:
        if (t.int_min) {
            raise_at(p, ERR_SyntaxError, &t, "integer literal too large: tsr integers are 64-bit");
            return NULL;
        }
        if (!(n = new_node(p, N_INT, &t))) return NULL;
        n->ival = t.ival;
        break;
    case T_FLOAT:
    case T_IMAG:
        if (!(n = new_node(p, t.kind == T_IMAG ? N_IMAG : N_FLOAT, &t))) return NULL;
        n->fval = t.fval;
        break;
    case K_NONE: n = new_node(p, N_NONE, &t); break;
    case K_TRUE: n = new_node(p, N_TRUE, &t); break;
    case K_FALSE: n = new_node(p, N_FALSE, &t); break;
    case T_ELLIPSIS: n = new_node(p, N_ELLIPSIS, &t); break;
    case T_STRING: return parse_strings(p);
    case T_LPAR: return parse_paren(p);
    case T_LSQB: return parse_list_display(p);
    case T_LBRACE: return parse_dict_display(p);
    default:
        if (is_unsupported_kw(t.kind)) return unsupported(p, &t), NULL;
        if (t.kind == T_INDENT) {
            raise_at(p, ERR_IndentationError, &t, "unexpected indent");
            return NULL;
        }
        syntax_error(p, &t);
        return NULL;
    }
    if (!n || !advance(p)) goto fail;
    return n;
fail:
    ast_free(n);
    return NULL;
}

static bool parse_call_args(Parser *p, Node *call) {
    Token open = p->prev; /* the call's '(' */
    bool ok = true;
    bool seen_kw = false, seen_dstar = false;
    while (p->tok.kind != T_RPAR) {
        Token at = p->tok;
        char *kwname = NULL;
        Node *v = NULL;
        if (p->tok.kind == T_DSTAR) {
            if (!advance(p) || !(v = parse_expr(p))) return false;
            seen_dstar = true;
        } else if (p->tok.kind == T_STAR) {
            if (!(v = parse_star_or_expr(p, true))) return false;
            if (seen_dstar) {
                raise_node(ERR_SyntaxError, v,
                           "iterable argument unpacking follows keyword argument unpacking");
                ast_free(v);
                return false;
            }
        } else {
            if (!(v = parse_expr(p))) return false;
            if (p->tok.kind == T_EQ) {
                if (v->kind != N_NAME) {
                    raise_node(ERR_SyntaxError, v,
                               "expression cannot contain assignment, perhaps you meant \"==\"?");
                    ast_free(v);
                    return false;
                }
                kwname = v->name;
                v->name = NULL;
                ast_free(v);
                v = NULL;
                if (!advance(p) || !(v = parse_expr(p))) {
                    free(kwname);
                    return false;
                }
                for (int i = 0; i < call->list2.len; i++)
                    if (call->kwnames[i] && !strcmp(call->kwnames[i], kwname)) {
                        char msg[160];
                        snprintf(msg, sizeof msg, "keyword argument repeated: %.100s", kwname);
                        tsr_raise(ERR_SyntaxError, "%s", msg);
                        tsr_err_set_pos(at.line, at.col, at.end_line, at.end_col);
                        free(kwname);
                        ast_free(v);
                        return false;
                    }
                seen_kw = true;
            } else if (p->tok.kind == K_FOR) {
                Node *c = parse_comprehension(p, v, &at, COMP_GEN);
                if (!c) return false;
                finish(p, c);
                if (call->list.len || call->list2.len || p->tok.kind != T_RPAR) {
                    raise_node(ERR_SyntaxError, c, "Generator expression must be parenthesized");
                    ast_free(c);
                    return false;
                }
                /* the call's parentheses are the generator expression's */
                c->line = open.line;
                c->col = open.col;
                c->end_line = p->tok.end_line;
                c->end_col = p->tok.end_col;
                return push(&call->list, c);
            } else if (seen_kw || seen_dstar) {
                raise_node(ERR_SyntaxError, v,
                           seen_dstar ? "positional argument follows keyword argument unpacking"
                                      : "positional argument follows keyword argument");
                ast_free(v);
                return false;
            }
        }
        if (at.kind == T_DSTAR || kwname) {
            int n = call->list2.len;
            char **names = tsr_realloc(call->kwnames, sizeof(char *) * (size_t)(n + 1));
            if (!names) {
                free(kwname);
                ast_free(v);
                return false;
            }
            call->kwnames = names;
            names[n] = kwname;
            if (!ast_list_push(&call->list2, v)) {
                free(kwname);
                ast_free(v);
                return false;
            }
        } else if (!push(&call->list, v)) {
            return false;
        }
        if (!accept(p, T_COMMA, &ok)) break;
        if (!ok) return false;
    }
    return true;
}

/* one subscript item: an expression or a slice */
static Node *parse_slice_item(Parser *p) {
    Node *lo = NULL;
    Token start = p->tok;
    if (p->tok.kind != T_COLON) {
        if (!(lo = parse_star_or_expr(p, true))) return NULL;
        if (p->tok.kind != T_COLON) return lo;
    }
    Node *s = new_node(p, N_SLICE, &start);
    if (!s) {
        ast_free(lo);
        return NULL;
    }
    s->a = lo;
    if (!advance(p)) goto fail; /* ':' */
    if (p->tok.kind != T_COLON && p->tok.kind != T_COMMA && p->tok.kind != T_RSQB)
        if (!(s->b = parse_expr(p))) goto fail;
    if (p->tok.kind == T_COLON) {
        if (!advance(p)) goto fail;
        if (p->tok.kind != T_COMMA && p->tok.kind != T_RSQB)
            if (!(s->c = parse_expr(p))) goto fail;
    }
    finish(p, s);
    return s;
fail:
    ast_free(s);
    return NULL;
}

static Node *parse_subscript_index(Parser *p) {
    Token start = p->tok;
    Node *first = parse_slice_item(p), *tup = NULL;
    if (!first) return NULL;
    if (p->tok.kind != T_COMMA) return first;
    if (!(tup = new_node(p, N_TUPLE, &start))) goto fail;
    if (!push(&tup->list, first)) {
        first = NULL;
        goto fail;
    }
    first = NULL;
    bool ok = true;
    while (accept(p, T_COMMA, &ok)) {
        if (!ok) goto fail;
        if (p->tok.kind == T_RSQB) break;
        Node *e = parse_slice_item(p);
        if (!e || !push(&tup->list, e)) goto fail;
    }
    if (!ok) goto fail;
    finish(p, tup);
    return tup;
fail:
    ast_free(first);
    ast_free(tup);
    return NULL;
}

static Node *parse_primary(Parser *p) {
    Node *n = parse_atom(p);
    if (!n) return NULL;
    for (;;) {
        Node *t = NULL;
        if (p->tok.kind == T_DOT) {
            if (!advance(p)) goto fail;
            if (p->tok.kind != T_NAME) {
                syntax_error(p, &p->tok);
                goto fail;
            }
            if (!(t = new_at(N_ATTR, n))) goto fail;
            t->a = n;
            n = t;
            if (!(t->name = tok_text(p, &p->tok)) || !advance(p)) goto fail;
        } else if (p->tok.kind == T_LPAR) {
            if (!(t = new_at(N_CALL, n))) goto fail;
            t->a = n;
            n = t;
            if (!advance(p) || !parse_call_args(p, t) || !expect(p, T_RPAR)) goto fail;
        } else if (p->tok.kind == T_LSQB) {
            if (!(t = new_at(N_SUBSCRIPT, n))) goto fail;
            t->a = n;
            n = t;
            if (!advance(p)) goto fail;
            if (p->tok.kind == T_RSQB) {
                syntax_error(p, &p->tok);
                goto fail;
            }
            if (!(t->b = parse_subscript_index(p)) || !expect(p, T_RSQB)) goto fail;
        } else {
            return n;
        }
        finish(p, n);
    }
fail:
    ast_free(n);
    return NULL;
}

static Node *parse_unary(Parser *p);

static Node *parse_power(Parser *p) {
    if (p->tok.kind == K_AWAIT) return unsupported(p, &p->tok), NULL;
    Node *base = parse_primary(p);
    if (!base || p->tok.kind != T_DSTAR) return base;
    Node *n = new_at(N_BINARY, base);
    if (!n) {
        ast_free(base);
        return NULL;
    }
    n->op = B_POW;
    n->a = base;
    if (++p->depth > MAX_DEPTH) {
        tsr_raise(ERR_RecursionError, "maximum recursion depth exceeded during compilation");
        tsr_err_set_pos(p->tok.line, p->tok.col, p->tok.end_line, p->tok.end_col);
        ast_free(n);
        return NULL;
    }
    if (!advance(p) || !(n->b = parse_unary(p))) { /* right-assoc; 2**-1 */
        ast_free(n);
        return NULL;
    }
    p->depth--;
    finish(p, n);
    return n;
}

static Node *parse_unary(Parser *p) {
    int op;
    switch (p->tok.kind) {
    case T_MINUS: op = U_NEG; break;
    case T_PLUS: op = U_POS; break;
    case T_TILDE: op = U_INVERT; break;
    default: return parse_power(p);
    }
    if (++p->depth > MAX_DEPTH) {
        tsr_raise(ERR_RecursionError, "maximum recursion depth exceeded during compilation");
        tsr_err_set_pos(p->tok.line, p->tok.col, p->tok.end_line, p->tok.end_col);
        return NULL;
    }
    Node *n = new_node(p, N_UNARY, &p->tok);
    if (!n) return NULL;
    n->op = op;
    if (!advance(p)) goto fail;
    /* -9223372036854775808 is the one literal that needs its sign */
    if (op == U_NEG && p->tok.kind == T_INT && p->tok.int_min) {
        n->kind = N_INT;
        n->ival = INT64_MIN;
        if (!advance(p)) goto fail;
        if (p->tok.kind == T_DSTAR || p->tok.kind == T_DOT || p->tok.kind == T_LPAR || p->tok.kind == T_LSQB) {
            raise_at(p, ERR_SyntaxError, &p->prev, "integer literal too large: tsr integers are 64-bit");
            goto fail;
        }
    } else if (!(n->a = parse_unary(p))) {
        goto fail;
    }
    finish(p, n);
    p->depth--;
    return n;
fail:
    ast_free(n);
    return NULL;
}

/* binary operators by priority (higher binds tighter); ** is in parse_power */
static const struct {
    TokKind tok;
    BinKind op;
    int prio;
} binops[] = {
    {T_PIPE, B_OR, 1}, {T_CARET, B_XOR, 2}, {T_AMP, B_AND, 3}, {T_LSHIFT, B_LSHIFT, 4},
    {T_RSHIFT, B_RSHIFT, 4}, {T_PLUS, B_ADD, 5}, {T_MINUS, B_SUB, 5}, {T_STAR, B_MUL, 6},
    {T_SLASH, B_DIV, 6}, {T_DSLASH, B_FLOORDIV, 6}, {T_PERCENT, B_MOD, 6}, {T_AT, B_MATMUL, 6},
};

static int binop_index(TokKind k) {
    for (int i = 0; i < (int)(sizeof binops / sizeof binops[0]); i++)
        if (binops[i].tok == k) return i;
    return -1;
}

/* operators binding tighter than `limit` (left-associative) */
static Node *parse_binary(Parser *p, int limit) {
    Node *left = parse_unary(p);
    if (!left) return NULL;
    for (;;) {
        int i = binop_index(p->tok.kind);
        if (i < 0 || binops[i].prio <= limit) return left;
        Node *n = new_at(N_BINARY, left);
        if (!n) goto fail;
        n->op = binops[i].op;
        n->a = left;
        left = n;
        if (!advance(p) || !(n->b = parse_binary(p, binops[i].prio))) goto fail;
        finish(p, n);
    }
fail:
    ast_free(left);
    return NULL;
}

static int compare_op(Parser *p, bool *ok) {
    *ok = true;
    int op;
    switch (p->tok.kind) {
    case T_EQEQ: op = C_EQ; break;
    case T_NE: op = C_NE; break;
    case T_LT: op = C_LT; break;
    case T_LE: op = C_LE; break;
    case T_GT: op = C_GT; break;
    case T_GE: op = C_GE; break;
    case K_IN: op = C_IN; break;
    case K_IS: op = C_IS; break;
    case K_NOT: op = C_NOTIN; break;
    default: return -1;
    }
    if (!(*ok = advance(p))) return -1;
    if (op == C_IS && p->tok.kind == K_NOT) {
        op = C_ISNOT;
        if (!(*ok = advance(p))) return -1;
    } else if (op == C_NOTIN) {
        if (p->tok.kind != K_IN) {
            syntax_error(p, &p->tok);
            *ok = false;
            return -1;
        }
        if (!(*ok = advance(p))) return -1;
    }
    return op;
}

static Node *parse_comparison(Parser *p) {
    Node *first = parse_binary(p, 0);
    if (!first) return NULL;
    bool ok;
    int op = compare_op(p, &ok);
    if (op < 0) {
        if (ok) return first;
        ast_free(first);
        return NULL;
    }
    Node *n = new_at(N_COMPARE, first);
    if (!n || !push(&n->list, first)) {
        if (!n) ast_free(first);
        ast_free(n);
        return NULL;
    }
    for (;;) {
        int *ops = tsr_realloc(n->ops, sizeof(int) * (size_t)n->list.len);
        if (!ops) goto fail;
        n->ops = ops;
        ops[n->list.len - 1] = op;
        Node *rhs = parse_binary(p, 0);
        if (!rhs || !push(&n->list, rhs)) goto fail;
        op = compare_op(p, &ok);
        if (!ok) goto fail;
        if (op < 0) break;
    }
    finish(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

static Node *parse_inversion(Parser *p) {
    if (p->tok.kind != K_NOT) return parse_comparison(p);
    if (++p->depth > MAX_DEPTH) {
        tsr_raise(ERR_RecursionError, "maximum recursion depth exceeded during compilation");
        return NULL;
    }
    Node *n = new_node(p, N_UNARY, &p->tok);
    if (!n) return NULL;
    n->op = U_NOT;
    if (!advance(p) || !(n->a = parse_inversion(p))) {
        ast_free(n);
        return NULL;
    }
    finish(p, n);
    p->depth--;
    return n;
}

static Node *parse_boolop(Parser *p, TokKind kw, BoolKind op) {
    Node *first = kw == K_OR ? parse_boolop(p, K_AND, BOOL_AND) : parse_inversion(p);
    if (!first || p->tok.kind != kw) return first;
    Node *n = new_at(N_BOOLOP, first);
    if (!n) {
        ast_free(first);
        return NULL;
    }
    n->op = op;
    if (!push(&n->list, first)) goto fail;
    while (p->tok.kind == kw) {
        if (!advance(p)) goto fail;
        Node *e = kw == K_OR ? parse_boolop(p, K_AND, BOOL_AND) : parse_inversion(p);
        if (!e || !push(&n->list, e)) goto fail;
    }
    finish(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

static Node *parse_disjunction(Parser *p) {
    Node *n = parse_boolop(p, K_OR, BOOL_OR);
    if (n) {
        /* the first token: a soft keyword or print/exec there skips the comma hint */
        const Node *first = n;
        while (first->paren_line == 0 && (first->kind == N_BINARY || first->kind == N_BOOLOP ||
                                           first->kind == N_COMPARE || first->kind == N_CALL ||
                                           first->kind == N_ATTR || first->kind == N_SUBSCRIPT))
            first = first->kind == N_BOOLOP || first->kind == N_COMPARE ? (first->list.len ? first->list.items[0] : first)
                                                                        : first->a ? first->a : first;
        bool paren = n->paren_line > 0;
        p->dis_line = paren ? n->paren_line : n->line;
        p->dis_col = paren ? n->paren_col : n->col;
        p->dis_end_line = p->prev.end_line;
        p->dis_end_col = p->prev.end_col;
        const char *name = first->kind == N_NAME && first->paren_line == 0 ? first->name : NULL;
        p->dis_skip = name && (!strcmp(name, "match") || !strcmp(name, "case") || !strcmp(name, "_") ||
                               !strcmp(name, "print") || !strcmp(name, "exec"));
        p->dis_lone_name = n->kind == N_NAME && !paren;
    }
    return n;
}

/* lambda and def parameter lists; `close` ends the list (':' or ')') */
/* records `name: ann` (ann taken, freed on failure) in ps's annotations */
static bool params_add_annotation(Params *ps, const char *name, Node *ann) {
    char **names = tsr_realloc(ps->ann_names, sizeof(char *) * (size_t)(ps->n_ann + 1));
    if (names) ps->ann_names = names;
    Node **exprs = names ? tsr_realloc(ps->ann_exprs, sizeof(Node *) * (size_t)(ps->n_ann + 1)) : NULL;
    if (exprs) ps->ann_exprs = exprs;
    char *copy = exprs ? tsr_strdup(name) : NULL;
    if (!copy) {
        ast_free(ann);
        return false;
    }
    ps->ann_names[ps->n_ann] = copy;
    ps->ann_exprs[ps->n_ann++] = ann;
    return true;
}

static bool parse_params(Parser *p, Params *ps, TokKind close, bool annotations) {
    bool ok = true;
    bool after_star = false;
    while (p->tok.kind != close) {
        Token at = p->tok;
        int stars = 0;
        if (p->tok.kind == T_SLASH) { /* the parameters so far are positional-only */
            const char *err = after_star || ps->starstar ? "/ must be ahead of *"
                              : ps->n_posonly ? "/ may appear only once"
                              : !ps->n ? "at least one argument must precede /" : NULL;
            if (err) {
                raise_at(p, ERR_SyntaxError, &at, err);
                return false;
            }
            ps->n_posonly = ps->n;
            if (!advance(p)) return false;
            if (p->tok.kind == close) break;
            if (!accept(p, T_COMMA, &ok) || !ok) return ok ? syntax_error(p, &p->tok), false : false;
            continue;
        }
        if (p->tok.kind == T_STAR || p->tok.kind == T_DSTAR) {
            stars = p->tok.kind == T_STAR ? 1 : 2;
            if (!advance(p)) return false;
        }
        if (stars == 1 && p->tok.kind != T_NAME) {
            if (after_star) return syntax_error(p, &at), false;
            after_star = true; /* bare `*`: keyword-only params follow */
            if (p->tok.kind == close) {
                raise_at(p, ERR_SyntaxError, &at, "named arguments must follow bare *");
                return false;
            }
        } else {
            if (p->tok.kind != T_NAME) return syntax_error(p, &p->tok), false;
            if (ps->starstar) {
                raise_at(p, ERR_SyntaxError, &p->tok, "arguments cannot follow var-keyword argument");
                return false;
            }
            char *name = tok_text(p, &p->tok);
            if (!name || !advance(p)) {
                free(name);
                return false;
            }
            /* duplicate names */
            bool dup = (ps->star && !strcmp(ps->star, name)) || (ps->starstar && !strcmp(ps->starstar, name));
            for (int i = 0; i < ps->n; i++) dup = dup || !strcmp(ps->names[i], name);
            for (int i = 0; i < ps->n_kwonly; i++) dup = dup || !strcmp(ps->kwonly_names[i], name);
            if (dup) {
                char msg[160];
                snprintf(msg, sizeof msg, "duplicate argument '%.100s' in function definition", name);
                raise_at(p, ERR_SyntaxError, &p->prev, msg);
                free(name);
                return false;
            }
            if (annotations && p->tok.kind == T_COLON) {
                Node *ann;
                if (!advance(p) || !(ann = parse_expr(p)) || !params_add_annotation(ps, name, ann)) {
                    free(name);
                    return false;
                }
            }
            Node *dflt = NULL;
            if (stars == 0 && p->tok.kind == T_EQ) {
                if (!advance(p) || !(dflt = parse_expr(p))) {
                    free(name);
                    return false;
                }
            }
            if (stars == 1) {
                if (after_star) {
                    free(name);
                    raise_at(p, ERR_SyntaxError, &at, "* argument may appear only once");
                    return false;
                }
                after_star = true;
                ps->star = name;
            } else if (stars == 2) {
                ps->starstar = name;
            } else if (after_star) {
                char **nn = tsr_realloc(ps->kwonly_names, sizeof(char *) * (size_t)(ps->n_kwonly + 1));
                if (nn) ps->kwonly_names = nn;
                Node **dd = nn ? tsr_realloc(ps->kwonly_defaults, sizeof(Node *) * (size_t)(ps->n_kwonly + 1)) : NULL;
                if (dd) ps->kwonly_defaults = dd;
                if (!nn || !dd) {
                    free(name);
                    ast_free(dflt);
                    return false;
                }
                nn[ps->n_kwonly] = name;
                dd[ps->n_kwonly] = dflt;
                ps->n_kwonly++;
            } else {
                if (!dflt && ps->n_defaults) {
                    free(name);
                    raise_at(p, ERR_SyntaxError, &p->prev, "non-default argument follows default argument");
                    return false;
                }
                char **nn = tsr_realloc(ps->names, sizeof(char *) * (size_t)(ps->n + 1));
                if (!nn) {
                    free(name);
                    ast_free(dflt);
                    return false;
                }
                ps->names = nn;
                nn[ps->n++] = name;
                if (dflt) {
                    Node **dd = tsr_realloc(ps->defaults, sizeof(Node *) * (size_t)(ps->n_defaults + 1));
                    if (!dd) {
                        ast_free(dflt);
                        return false;
                    }
                    ps->defaults = dd;
                    dd[ps->n_defaults++] = dflt;
                }
            }
        }
        if (!accept(p, T_COMMA, &ok)) break;
        if (!ok) return false;
    }
    return true;
}

static Node *parse_lambda(Parser *p) {
    Node *n = new_node(p, N_LAMBDA, &p->tok);
    if (!n || !advance(p)) goto fail;
    if (!(n->params = tsr_calloc(1, sizeof(Params)))) goto fail;
    if (!parse_params(p, n->params, T_COLON, false) || !expect(p, T_COLON)) goto fail;
    p->lambdas++;
    n->a = parse_expr(p);
    p->lambdas--;
    if (!n->a) goto fail;
    finish(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

/* yield [exprs] | yield from expr: marks the enclosing def a generator */
static Node *parse_yield(Parser *p) {
    Token t = p->tok;
    if (!p->funcs || !p->def) {
        raise_at(p, ERR_SyntaxError, &t, "'yield' outside function");
        return NULL;
    }
    if (p->lambdas) {
        raise_at(p, ERR_SyntaxError, &t, "'yield' inside a lambda is not supported by tsr");
        return NULL;
    }
    Node *n = new_node(p, N_YIELD, &t);
    if (!n || !advance(p)) goto fail;
    p->def->op = DEF_GENERATOR;
    if (p->tok.kind == K_FROM) {
        n->op = 1;
        if (!advance(p) || !(n->a = parse_expr(p))) goto fail;
    } else if (starts_expr(p->tok.kind) && p->tok.kind != K_YIELD) {
        if (!(n->a = parse_star_exprs(p, true))) goto fail;
    }
    finish(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

/* expression: lambda, conditional expression, or a disjunction */
static Node *parse_expr(Parser *p) {
    if (++p->depth > MAX_DEPTH) {
        tsr_raise(ERR_RecursionError, "maximum recursion depth exceeded during compilation");
        tsr_err_set_pos(p->tok.line, p->tok.col, p->tok.end_line, p->tok.end_col);
        return NULL;
    }
    Node *r = NULL;
    if (p->tok.kind == K_LAMBDA) {
        r = parse_lambda(p);
    } else if (p->tok.kind == K_YIELD) {
        r = parse_yield(p);
    } else if ((r = parse_disjunction(p)) && p->tok.kind == K_IF) {
        Node *n = new_at(N_IFEXP, r);
        if (!n) goto fail;
        n->a = r;
        r = n;
        if (!advance(p) || !(n->b = parse_disjunction(p))) goto fail;
        if (p->tok.kind != K_ELSE) {
            raise_node(ERR_SyntaxError, n, "expected 'else' after 'if' expression");
            goto fail;
        }
        if (!advance(p) || !(n->c = parse_expr(p))) goto fail;
        finish(p, n);
    }
    if (r && p->tok.kind == T_WALRUS) {
        if (r->kind != N_NAME) {
            char msg[128];
            snprintf(msg, sizeof msg, "cannot use assignment expressions with %s",
                     r->kind == N_SUBSCRIPT ? "subscript" : r->kind == N_ATTR ? "attribute"
                     : r->kind == N_TUPLE ? "tuple" : r->kind == N_LIST ? "list" : expr_desc(r));
            raise_node(ERR_SyntaxError, r, msg);
            goto fail;
        }
        Node *w = new_at(N_NAMEDEXPR, r);
        if (!w) goto fail;
        w->name = r->name;
        r->name = NULL;
        ast_free(r);
        r = w;
        if (!advance(p) || !(w->b = parse_expr(p))) goto fail;
        finish(p, w);
    }
    p->depth--;
    return r;
fail:
    p->depth--;
    ast_free(r);
    return NULL;
}

/* `a, b, *c` without brackets: a TUPLE when a comma is present */
static Node *parse_star_exprs(Parser *p, bool allow_star) {
    Token start = p->tok;
    Node *first = parse_star_or_expr(p, allow_star);
    if (!first || p->tok.kind != T_COMMA) return first;
    Node *tup = new_node(p, N_TUPLE, &start);
    if (!tup || !push(&tup->list, first)) {
        if (!tup) ast_free(first);
        ast_free(tup);
        return NULL;
    }
    bool ok = true;
    while (accept(p, T_COMMA, &ok)) {
        if (!ok) goto fail;
        if (!starts_expr(p->tok.kind)) break;
        Node *e = parse_star_or_expr(p, allow_star);
        if (!e || !push(&tup->list, e)) goto fail;
    }
    if (!ok) goto fail;
    finish(p, tup);
    return tup;
fail:
    ast_free(tup);
    return NULL;
}


/* ------------------------------------------------------------ targets */

static const char *expr_desc(const Node *n) {
    switch (n->kind) {
    case N_CALL: return "function call";
    case N_INT: case N_FLOAT: case N_IMAG: case N_STR: case N_BYTES: return "literal";
    case N_FSTRING: return "f-string expression";
    case N_TRUE: return "True";
    case N_FALSE: return "False";
    case N_NONE: return "None";
    case N_ELLIPSIS: return "ellipsis";
    case N_COMPARE: return "comparison";
    case N_IFEXP: return "conditional expression";
    case N_LAMBDA: return "lambda";
    case N_LISTCOMP:
        return n->op == COMP_SET ? "set comprehension" : n->op == COMP_DICT ? "dict comprehension"
               : n->op == COMP_GEN ? "generator expression" : "list comprehension";
    case N_DICT: return "dict literal";
    case N_SET: return "set display";
    case N_STARRED: return "starred";
    default: return "expression";
    }
}

enum { TGT_ASSIGN, TGT_FOR, TGT_DEL, TGT_AUG, TGT_WITH };

static bool check_target(const Node *n, int ctx, bool nested) {
    char msg[160];
    switch (n->kind) {
    case N_NAME: case N_ATTR: case N_SUBSCRIPT: return true;
    case N_TUPLE: case N_LIST:
        if (ctx == TGT_AUG) break;
        {
            int stars = 0;
            for (int i = 0; i < n->list.len; i++) {
                const Node *e = n->list.items[i];
                if (e->kind == N_STARRED && ctx != TGT_DEL) {
                    if (++stars > 1) {
                        raise_node(ERR_SyntaxError, e, "multiple starred expressions in assignment");
                        return false;
                    }
                    if (!check_target(e->a, ctx, true)) return false;
                } else if (!check_target(e, ctx, true)) {
                    return false;
                }
            }
        }
        return true;
    case N_STARRED:
        if (ctx == TGT_DEL || ctx == TGT_AUG) break;
        raise_node(ERR_SyntaxError, n, "starred assignment target must be in a list or tuple");
        return false;
    default: break;
    }
    if (ctx == TGT_AUG)
        snprintf(msg, sizeof msg, "'%s' is an illegal expression for augmented assignment", expr_desc(n));
    else if (ctx == TGT_DEL)
        snprintf(msg, sizeof msg, "cannot delete %s", expr_desc(n));
    else if (ctx == TGT_ASSIGN && !nested)
        snprintf(msg, sizeof msg, "cannot assign to %s here. Maybe you meant '==' instead of '='?", expr_desc(n));
    else
        snprintf(msg, sizeof msg, "cannot assign to %s", expr_desc(n));
    raise_node(ERR_SyntaxError, n, msg);
    return false;
}

/* for-loop / comprehension targets (`i`, `i, (u, v)`): stops before `in` */
static Node *parse_target_list(Parser *p) {
    Token start = p->tok;
    Node *first = NULL, *tup = NULL;
    if (p->tok.kind == T_STAR) first = parse_star_or_expr(p, true);
    else first = parse_binary(p, 0);
    if (!first || p->tok.kind != T_COMMA) return first;
    if (!(tup = new_node(p, N_TUPLE, &start))) goto fail;
    if (!push(&tup->list, first)) {
        first = NULL;
        goto fail;
    }
    first = NULL;
    bool ok = true;
    while (accept(p, T_COMMA, &ok)) {
        if (!ok) goto fail;
        if (p->tok.kind == K_IN || p->tok.kind == T_EQ) break;
        Node *e = p->tok.kind == T_STAR ? parse_star_or_expr(p, true) : parse_binary(p, 0);
        if (!e || !push(&tup->list, e)) goto fail;
    }
    if (!ok) goto fail;
    finish(p, tup);
    return tup;
fail:
    ast_free(first);
    ast_free(tup);
    return NULL;
}

static bool parse_comp_clauses(Parser *p, Node *comp) {
    while (p->tok.kind == K_FOR) {
        Node *c = new_node(p, N_COMP_FOR, &p->tok);
        if (!c || !push(&comp->list, c)) return false;
        if (!advance(p) || !(c->a = parse_target_list(p))) return false;
        if (!check_target(c->a, TGT_FOR, false)) return false;
        if (p->tok.kind != K_IN) {
            syntax_error(p, &p->tok);
            return false;
        }
        /* a comprehension's iterable and conditions are disjunctions, not
         * expressions: CPython gives no comma hint after them */
        if (!advance(p) || !(c->b = parse_disjunction(p))) return false;
        p->dis_skip = true;
        while (p->tok.kind == K_IF) {
            Node *cond;
            if (!advance(p) || !(cond = parse_disjunction(p)) || !push(&c->list, cond)) return false;
            p->dis_skip = true;
        }
        finish(p, c);
    }
    if (p->tok.kind == K_ASYNC) return unsupported(p, &p->tok);
    return true;
}

/* ------------------------------------------------------------ strings */

typedef struct {
    char *data;
    int64_t len, cap;
} Buf;

static bool buf_add(Buf *b, const char *s, int64_t n) {
    if (b->len + n + 1 > b->cap) {
        int64_t cap = b->cap ? b->cap : 32;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = tsr_realloc(b->data, (unsigned long long)cap);
        if (!d) return false;
        b->data = d;
        b->cap = cap;
    }
    if (n) memcpy(b->data + b->len, s, (size_t)n);
    b->len += n;
    b->data[b->len] = 0;
    return true;
}

static bool buf_utf8(Buf *b, uint32_t cp) {
    char u[4];
    int n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_add(b, u, n);
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes src[i, end) into b. In an f-string (fmode) it stops at a
 * replacement field's '{' and returns its offset; `{{`/`}}` are escapes.
 * A bytes literal's (bytes) \x and octal escapes are bytes, and \u, \U,
 * \N are not escapes. Returns -1 on error. */
static int64_t decode_any(Parser *p, const Token *t, int64_t i, int64_t end, bool raw, bool fmode, bool bytes,
                          Buf *b) {
    const char *s = p->src;
    while (i < end) {
        char c = s[i];
        if (fmode && (c == '{' || c == '}')) {
            if (i + 1 < end && s[i + 1] == c) {
                if (!buf_add(b, &c, 1)) return -1;
                i += 2;
                continue;
            }
            if (c == '{') return i;
            raise_at(p, ERR_SyntaxError, t, "f-string: single '}' is not allowed");
            return -1;
        }
        if (c == '\r') { /* universal newlines, as Python reads source */
            if (!buf_add(b, "\n", 1)) return -1;
            i += (i + 1 < end && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c != '\\' || raw) {
            if (c == '\\' && raw && i + 1 < end) { /* raw: the escaped char is kept too (r'\'' ) */
                if (!buf_add(b, s + i, 1)) return -1;
                i++;
                c = s[i];
                if (fmode && (c == '{' || c == '}')) continue;
            }
            if (!buf_add(b, &s[i], 1)) return -1;
            i++;
            continue;
        }
        /* escape */
        if (i + 1 >= end) return buf_add(b, "\\", 1) ? end : -1;
        char e = s[i + 1];
        i += 2;
        char one;
        switch (e) {
        case '\n': continue;
        case '\r':
            if (i < end && s[i] == '\n') i++;
            continue;
        case '\\': one = '\\'; break;
        case '\'': one = '\''; break;
        case '"': one = '"'; break;
        case 'a': one = '\a'; break;
        case 'b': one = '\b'; break;
        case 'f': one = '\f'; break;
        case 'n': one = '\n'; break;
        case 'r': one = '\r'; break;
        case 't': one = '\t'; break;
        case 'v': one = '\v'; break;
        case 'x':
            if (bytes) {
                int h1 = i < end ? hexval(s[i]) : -1, h2 = i + 1 < end ? hexval(s[i + 1]) : -1;
                if (h1 < 0 || h2 < 0) {
                    char msg[96];
                    snprintf(msg, sizeof msg, "(value error) invalid \\x escape at position %lld",
                             (long long)(i - 2 - t->body_start));
                    p->bytes_error = true;
                    raise_at(p, ERR_SyntaxError, t, msg);
                    return -1;
                }
                one = (char)(h1 * 16 + h2);
                i += 2;
                break;
            }
            /* fall through */
        case 'u': case 'U': {
            if (bytes) goto unknown;
            int nd = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            uint32_t v = 0;
            for (int k = 0; k < nd; k++) {
                int h = i + k < end ? hexval(s[i + k]) : -1;
                if (h < 0) {
                    char msg[128];
                    snprintf(msg, sizeof msg,
                             "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\%c%s escape", e,
                             e == 'x' ? "XX" : e == 'u' ? "XXXX" : "XXXXXXXX");
                    raise_at(p, ERR_SyntaxError, t, msg);
                    return -1;
                }
                v = v * 16 + (uint32_t)h;
            }
            i += nd;
            if (v > 0x10FFFF) {
                raise_at(p, ERR_SyntaxError, t,
                         "(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character");
                return -1;
            }
            if (!buf_utf8(b, v)) return -1;
            continue;
        }
        case 'N':
            if (bytes) goto unknown;
            raise_at(p, ERR_SyntaxError, t, "\\N{...} escapes are not supported by tsr");
            return -1;
        default:
            if (e >= '0' && e <= '7') {
                uint32_t v = (uint32_t)(e - '0');
                for (int k = 0; k < 2 && i < end && s[i] >= '0' && s[i] <= '7'; k++) v = v * 8 + (uint32_t)(s[i++] - '0');
                if (bytes) {
                    one = (char)(v & 0xff); /* b'\777' is b'\xff', as CPython's (with a warning) */
                    break;
                }
                if (!buf_utf8(b, v)) return -1;
                continue;
            }
        unknown:
            /* unknown escape: kept as written (Python warns) */
            if (!buf_add(b, "\\", 1)) return -1;
            i--;
            continue;
        }
        if (!buf_add(b, &one, 1)) return -1;
    }
    return end;
}

static int64_t decode_segment(Parser *p, const Token *t, int64_t i, int64_t end, bool raw, bool fmode, Buf *b) {
    return decode_any(p, t, i, end, raw, fmode, false, b);
}

static bool flush_str(Parser *p, const Token *t, Buf *pending, NodeList *parts) {
    if (!pending->len) return true;
    Node *s = new_node(p, N_STR, t);
    if (!s) return false;
    s->str = pending->data;
    s->str_len = pending->len;
    pending->data = NULL;
    pending->len = pending->cap = 0;
    return push(parts, s);
}

static void pos_in(Parser *p, const Token *t, int64_t off, int *line, int *col) {
    int l = t->body_line;
    int64_t from = t->body_start, ls = t->body_start - t->body_col;
    if (p->pos_body == t->body_start + 1 && p->pos_off <= off) { /* +1: 0 means none yet */
        from = p->pos_off;
        l = p->pos_line;
        ls = p->pos_ls;
    }
    for (int64_t i = from; i < off; i++)
        if (p->src[i] == '\n') {
            l++;
            ls = i + 1;
        }
    p->pos_body = t->body_start + 1;
    p->pos_off = off;
    p->pos_line = l;
    p->pos_ls = ls;
    *line = l;
    *col = (int)(off - ls);
}

static Node *parse_fexpr(Parser *p, const Token *t, int64_t s, int64_t e) {
    Parser q;
    memset(&q, 0, sizeof q);
    q.src = p->src;
    q.len = p->len;
    q.depth = p->depth + 10;
    int line, col;
    pos_in(p, t, s, &line, &col);
    lexer_init_sub(&q.lx, p->src, s, e, line, col);
    if (!advance(&q)) return NULL;
    Node *n = parse_star_exprs(&q, false);
    if (n && q.tok.kind != T_EOF) {
        raise_at(&q, ERR_SyntaxError, &q.tok, "f-string: invalid syntax");
        ast_free(n);
        return NULL;
    }
    return n;
}

static bool fstring_parts(Parser *p, const Token *t, int64_t i, int64_t end, bool raw, Buf *pending,
                          NodeList *parts, int nest) {
    const char *s = p->src;
    Node *f = NULL;
    while (i < end) {
        if ((i = decode_segment(p, t, i, end, raw, true, pending)) < 0) return false;
        if (i >= end) break;
        if (nest >= 2) {
            raise_at(p, ERR_SyntaxError, t, "f-string: expressions nested too deeply");
            return false;
        }
        int64_t j = i + 1;
        int depth = 0;
        char quote = 0;
        for (; j < end; j++) {
            char c = s[j];
            if (quote) {
                if (c == quote) quote = 0;
                continue;
            }
            if (c == '\'' || c == '"') quote = c;
            else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') {
                if (depth == 0) {
                    if (c == '}') break;
                } else {
                    depth--;
                }
            } else if (depth == 0 && c == '!' && !(j + 1 < end && s[j + 1] == '=')) break;
            else if (depth == 0 && c == ':') break;
            else if (c == '\\') {
                raise_at(p, ERR_SyntaxError, t, "f-string expression part cannot include a backslash");
                return false;
            } else if (c == '#') {
                raise_at(p, ERR_SyntaxError, t, "f-string expression part cannot include '#'");
                return false;
            }
        }
        if (j >= end) {
            raise_at(p, ERR_SyntaxError, t, "f-string: expecting '}'");
            return false;
        }
        int64_t expr_end = j, k = j;
        while (k > i + 1 && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\n')) k--;
        bool debug = k - 1 > i + 1 && s[k - 1] == '=' && !strchr("=!<>", s[k - 2]);
        if (debug) {
            if (!buf_add(pending, s + i + 1, expr_end - i - 1)) return false;
            expr_end = k - 1;
        }
        bool blank = true;
        for (int64_t m = i + 1; m < expr_end; m++)
            if (!strchr(" \t\n\r\f", s[m])) blank = false;
        if (blank) {
            raise_at(p, ERR_SyntaxError, t, "f-string: empty expression not allowed");
            return false;
        }
        if (!flush_str(p, t, pending, parts)) return false;
        int line, col;
        pos_in(p, t, i, &line, &col);
        if (!(f = ast_new(N_FORMATTED, line, col))) return false;
        if (!(f->a = parse_fexpr(p, t, i + 1, expr_end))) goto fail;
        if (s[j] == '!') {
            j++;
            if (j < end && (s[j] == 'r' || s[j] == 's' || s[j] == 'a')) {
                f->op = s[j++];
            } else {
                raise_at(p, ERR_SyntaxError, t, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
                goto fail;
            }
        }
        if (j < end && s[j] == ':') {
            int64_t ss = ++j;
            int d = 0;
            for (; j < end; j++) {
                if (s[j] == '{') d++;
                else if (s[j] == '}') {
                    if (d == 0) break;
                    d--;
                }
            }
            if (j > ss) {
                Buf sp = {0};
                Node *spec = ast_new(N_FSTRING, line, col);
                if (!spec) goto fail;
                f->b = spec;
                bool ok = fstring_parts(p, t, ss, j, raw, &sp, &spec->list, nest + 1) &&
                          flush_str(p, t, &sp, &spec->list);
                free(sp.data);
                if (!ok) goto fail;
            }
        }
        if (j >= end || s[j] != '}') {
            raise_at(p, ERR_SyntaxError, t, "f-string: expecting '}'");
            goto fail;
        }
        if (debug && !f->op && !f->b) f->op = 'r';
        pos_in(p, t, j + 1, &f->end_line, &f->end_col);
        if (!push(parts, f)) return false;
        f = NULL;
        i = j + 1;
    }
    return true;
fail:
    ast_free(f);
    return false;
}

static Node *parse_strings(Parser *p) {
    Token first = p->tok;
    Buf pending = {0};
    NodeList parts = {0};
    bool any_f = false;
    Node *n = NULL;
    /* CPython reports a mix of bytes and str literals, or a non-ASCII
     * character in a bytes one, at the end of the last literal */
    bool bytes = (first.str_flags & STR_BYTES) != 0, mixed = false, non_ascii = false;
    while (p->tok.kind == T_STRING) {
        Token t = p->tok;
        bool raw = (t.str_flags & STR_RAW) != 0;
        if (((t.str_flags & STR_BYTES) != 0) != bytes) mixed = true;
        if (mixed) {
            if (!advance(p)) goto fail;
            continue;
        }
        if (bytes) {
            for (int64_t k = t.body_start; k < t.body_end; k++)
                if ((unsigned char)p->src[k] >= 0x80) non_ascii = true;
            if (!non_ascii && decode_any(p, &t, t.body_start, t.body_end, raw, false, true, &pending) < 0) {
                if (p->bytes_error) { /* CPython reports a bad escape at the end of its literal */
                    p->bytes_error = false;
                    tsr_err_set_pos(t.end_line, t.end_col, t.end_line, t.end_col + 1);
                }
                goto fail;
            }
        } else if (t.str_flags & STR_F) {
            any_f = true;
            if (!fstring_parts(p, &t, t.body_start, t.body_end, raw, &pending, &parts, 0)) goto fail;
        } else if (decode_segment(p, &t, t.body_start, t.body_end, raw, false, &pending) < 0) {
            goto fail;
        }
        if (!advance(p)) goto fail;
    }
    if (mixed || non_ascii) {
        tsr_raise(ERR_SyntaxError, "%s",
                  mixed ? "cannot mix bytes and nonbytes literals" : "bytes can only contain ASCII literal characters");
        tsr_err_set_pos(p->prev.end_line, p->prev.end_col, p->prev.end_line, p->prev.end_col + 1);
        goto fail;
    }
    if (bytes) {
        if (!pending.data && !buf_add(&pending, "", 0)) goto fail;
        if (!(n = new_node(p, N_BYTES, &first))) goto fail;
        n->str = pending.data;
        n->str_len = pending.len;
    } else if (any_f) {
        if (!flush_str(p, &first, &pending, &parts)) goto fail;
        if (!(n = new_node(p, N_FSTRING, &first))) goto fail;
        n->list = parts;
    } else {
        if (!pending.data && !buf_add(&pending, "", 0)) goto fail;
        if (!(n = new_node(p, N_STR, &first))) goto fail;
        n->str = pending.data;
        n->str_len = pending.len;
    }
    finish(p, n);
    return n;
fail:
    free(pending.data);
    for (int i = 0; i < parts.len; i++) ast_free(parts.items[i]);
    free(parts.items);
    return NULL;
}

/* ------------------------------------------------------------ statements */

static bool parse_statement(Parser *p, NodeList *out);

static void finish_stmt(Parser *p, Node *n) {
    const NodeList *l = n->orelse.len ? &n->orelse : &n->body;
    if (l->len) {
        n->end_line = l->items[l->len - 1]->end_line;
        n->end_col = l->items[l->len - 1]->end_col;
    } else {
        finish(p, n);
    }
}

/* After a compound statement's ':' (already consumed). */
static bool parse_block(Parser *p, NodeList *body, const char *what, int line) {
    if (p->tok.kind != T_NEWLINE) { /* `if x: y = 1; z = 2` */
        if (is_unsupported_kw(p->tok.kind)) return unsupported(p, &p->tok);
        switch (p->tok.kind) {
        case K_IF: case K_FOR: case K_WHILE: case K_DEF: case K_WITH: case T_AT: case K_CLASS: case K_TRY:
        case K_EXCEPT: case K_FINALLY:
            syntax_error(p, &p->tok);
            return false;
        default: return parse_statement(p, body);
        }
    }
    if (!advance(p)) return false;
    if (p->tok.kind != T_INDENT) {
        char msg[128];
        snprintf(msg, sizeof msg, "expected an indented block after %s on line %d", what, line);
        if (tok_at_end(p, &p->tok)) { /* point at the header line's end, as CPython */
            raise_at(p, ERR_IndentationError, &p->prev, msg);
            p->eof_error = true;
        } else {
            raise_at(p, ERR_IndentationError, &p->tok, msg);
        }
        return false;
    }
    if (!advance(p)) return false;
    while (p->tok.kind != T_DEDENT && p->tok.kind != T_EOF)
        if (!parse_statement(p, body)) return false;
    return p->tok.kind == T_EOF || advance(p);
}

static bool parse_else(Parser *p, Node *n) {
    if (p->tok.kind != K_ELSE) return true;
    int line = p->tok.line;
    return advance(p) && expect(p, T_COLON) && parse_block(p, &n->orelse, "'else' statement", line);
}

/* An if, elif or while test. `if x = 1:` gets CPython's hints (its
 * grammar's invalid_named_expression): for a name, "Maybe you meant '=='
 * or ':='" over the name and the value, a bitwise_or; for an attribute,
 * subscript or call, "cannot assign to ... here" over it. */
static Node *parse_condition(Parser *p) {
    Node *c = parse_expr(p);
    if (!c || p->tok.kind != T_EQ) return c;
    if (c->kind == N_NAME) {
        Token eq = p->tok;
        Node *value = advance(p) ? parse_binary(p, 0) : NULL;
        if (value && p->tok.kind != T_EQ && p->tok.kind != T_WALRUS) {
            tsr_raise(ERR_SyntaxError, "%s", "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
            tsr_err_set_pos(c->line, c->col, value->end_line, value->end_col);
        } else if (value) {
            syntax_error(p, &eq);
        }
        ast_free(value);
        ast_free(c);
        return NULL;
    }
    const char *what = c->kind == N_ATTR ? "attribute" : c->kind == N_SUBSCRIPT ? "subscript"
                       : c->kind == N_CALL ? "function call" : NULL;
    if (what) {
        char msg[96];
        snprintf(msg, sizeof msg, "cannot assign to %s here. Maybe you meant '==' instead of '='?", what);
        raise_node(ERR_SyntaxError, c, msg);
        ast_free(c);
        return NULL;
    }
    return c;
}

static Node *parse_if(Parser *p, bool elif) {
    Node *n = new_node(p, N_IF, &p->tok);
    int line = p->tok.line;
    if (!n || !advance(p) || !(n->a = parse_condition(p)) || !expect(p, T_COLON) ||
        !parse_block(p, &n->body, elif ? "'elif' statement" : "'if' statement", line))
        goto fail;
    if (p->tok.kind == K_ELIF) {
        Node *e = parse_if(p, true);
        if (!e || !push(&n->orelse, e)) goto fail;
    } else if (!parse_else(p, n)) {
        goto fail;
    }
    finish_stmt(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

static Node *parse_while(Parser *p) {
    Node *n = new_node(p, N_WHILE, &p->tok);
    int line = p->tok.line;
    if (!n || !advance(p) || !(n->a = parse_condition(p)) || !expect(p, T_COLON)) goto fail;
    p->loops++;
    bool ok = parse_block(p, &n->body, "'while' statement", line);
    p->loops--;
    if (!ok || !parse_else(p, n)) goto fail;
    finish_stmt(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

static Node *parse_for(Parser *p) {
    Node *n = new_node(p, N_FOR, &p->tok);
    int line = p->tok.line;
    if (!n || !advance(p) || !(n->a = parse_target_list(p))) goto fail;
    if (!check_target(n->a, TGT_FOR, false)) goto fail;
    if (p->tok.kind != K_IN) {
        syntax_error(p, &p->tok);
        goto fail;
    }
    if (!advance(p) || !(n->b = parse_star_exprs(p, true)) || !expect(p, T_COLON)) goto fail;
    p->loops++;
    bool ok = parse_block(p, &n->body, "'for' statement", line);
    p->loops--;
    if (!ok || !parse_else(p, n)) goto fail;
    finish_stmt(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

static Node *parse_with(Parser *p) {
    Node *n = new_node(p, N_WITH, &p->tok);
    int line = p->tok.line;
    bool ok = true;
    if (!n || !advance(p)) goto fail;
    do {
        if (!ok) goto fail;
        Node *ctx = parse_expr(p), *tgt = NULL;
        if (!ctx || !push(&n->list, ctx)) goto fail;
        if (p->tok.kind == K_AS) {
            if (!advance(p) || !(tgt = parse_binary(p, 0))) goto fail;
            if (!check_target(tgt, TGT_WITH, false)) {
                ast_free(tgt);
                goto fail;
            }
        }
        if (tgt ? !push(&n->list2, tgt) : !ast_list_push(&n->list2, NULL)) goto fail;
    } while (accept(p, T_COMMA, &ok));
    if (!ok || !expect(p, T_COLON) || !parse_block(p, &n->body, "'with' statement", line)) goto fail;
    finish_stmt(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

static Node *parse_def(Parser *p, NodeList *decorators, const Token *start) {
    Node *n = new_node(p, N_DEF, start);
    int line = p->tok.line;
    if (!n) goto fail;
    n->list = *decorators;
    memset(decorators, 0, sizeof *decorators);
    if (!advance(p)) goto fail;
    if (p->tok.kind != T_NAME) {
        syntax_error(p, &p->tok);
        goto fail;
    }
    if (!(n->name = tok_text(p, &p->tok)) || !advance(p) || !expect(p, T_LPAR)) goto fail;
    if (!(n->params = tsr_calloc(1, sizeof(Params)))) goto fail;
    if (!parse_params(p, n->params, T_RPAR, true) || !expect(p, T_RPAR)) goto fail;
    if (p->tok.kind == T_ARROW) {
        Node *ann;
        if (!advance(p) || !(ann = parse_expr(p)) || !params_add_annotation(n->params, "return", ann)) goto fail;
    }
    if (!expect(p, T_COLON)) goto fail;
    int loops = p->loops, lambdas = p->lambdas;
    Node *outer = p->def;
    p->loops = p->lambdas = 0;
    p->def = n;
    p->funcs++;
    bool ok = parse_block(p, &n->body, "function definition", line);
    p->funcs--;
    p->loops = loops;
    p->lambdas = lambdas;
    p->def = outer;
    if (!ok) goto fail;
    finish_stmt(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

/* class NAME[(bases)]: block. Keyword arguments (metaclass=) are refused. */
static Node *parse_class(Parser *p, NodeList *decorators, const Token *start) {
    Node *n = new_node(p, N_CLASS, start);
    int line = p->tok.line;
    bool ok = true;
    if (!n) goto fail;
    n->list2 = *decorators;
    memset(decorators, 0, sizeof *decorators);
    if (!advance(p)) goto fail;
    if (p->tok.kind != T_NAME) {
        syntax_error(p, &p->tok);
        goto fail;
    }
    if (!(n->name = tok_text(p, &p->tok)) || !advance(p)) goto fail;
    if (p->tok.kind == T_LPAR) {
        if (!advance(p)) goto fail;
        while (p->tok.kind != T_RPAR) {
            Node *b = parse_expr(p);
            if (!b || !push(&n->list, b)) goto fail;
            if (p->tok.kind == T_EQ) {
                raise_at(p, ERR_SyntaxError, &p->tok, "class keyword arguments are not supported by tsr");
                goto fail;
            }
            if (!accept(p, T_COMMA, &ok)) break;
            if (!ok) goto fail;
        }
        if (!expect(p, T_RPAR)) goto fail;
    }
    if (!expect(p, T_COLON)) goto fail;
    int loops = p->loops, funcs = p->funcs;
    Node *outer = p->def;
    p->loops = p->funcs = 0;
    p->def = NULL;
    ok = parse_block(p, &n->body, "class definition", line);
    p->loops = loops;
    p->funcs = funcs;
    p->def = outer;
    if (!ok) goto fail;
    finish_stmt(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

/* try: block (except [E [as name]]: block)* [else: block] [finally: block] */
static Node *parse_try(Parser *p) {
    Node *n = new_node(p, N_TRY, &p->tok);
    int line = p->tok.line;
    if (!n || !advance(p) || !expect(p, T_COLON) || !parse_block(p, &n->body, "'try' statement", line)) goto fail;
    while (p->tok.kind == K_EXCEPT) {
        Node *h = new_node(p, N_EXCEPT, &p->tok);
        int hline = p->tok.line;
        if (!h || !push(&n->list, h) || !advance(p)) goto fail;
        if (n->list.len > 1 && !n->list.items[n->list.len - 2]->a) {
            raise_node(ERR_SyntaxError, n->list.items[n->list.len - 2], "default 'except:' must be last");
            goto fail;
        }
        if (p->tok.kind != T_COLON) {
            if (!(h->a = parse_expr(p))) goto fail;
            if (p->tok.kind == T_COMMA) {
                raise_node(ERR_SyntaxError, h->a, "multiple exception types must be parenthesized");
                goto fail;
            }
            if (p->tok.kind == K_AS) {
                if (!advance(p)) goto fail;
                if (p->tok.kind != T_NAME) {
                    syntax_error(p, &p->tok);
                    goto fail;
                }
                if (!(h->name = tok_text(p, &p->tok)) || !advance(p)) goto fail;
            }
        }
        if (!expect(p, T_COLON) || !parse_block(p, &h->body, "'except' statement", hline)) goto fail;
        finish_stmt(p, h);
    }
    if (p->tok.kind == K_ELSE) {
        if (!n->list.len) {
            syntax_error(p, &p->tok);
            goto fail;
        }
        if (!parse_else(p, n)) goto fail;
    }
    if (p->tok.kind == K_FINALLY) {
        int fline = p->tok.line;
        if (!advance(p) || !expect(p, T_COLON) || !parse_block(p, &n->list2, "'finally' statement", fline))
            goto fail;
    } else if (!n->list.len) {
        raise_at(p, ERR_SyntaxError, &p->tok, "expected 'except' or 'finally' block");
        goto fail;
    }
    {
        const NodeList *last = n->list2.len ? &n->list2 : n->orelse.len ? &n->orelse : NULL;
        if (last) {
            n->end_line = last->items[last->len - 1]->end_line;
            n->end_col = last->items[last->len - 1]->end_col;
        } else {
            Node *h = n->list.items[n->list.len - 1];
            n->end_line = h->end_line;
            n->end_col = h->end_col;
        }
    }
    return n;
fail:
    ast_free(n);
    return NULL;
}

static Node *parse_decorated(Parser *p) {
    Token start = p->tok;
    NodeList decos = {0};
    Node *n = NULL;
    while (p->tok.kind == T_AT) {
        Node *d;
        if (!advance(p) || !(d = parse_expr(p)) || !push(&decos, d)) goto done;
        if (p->tok.kind != T_NEWLINE) {
            syntax_error(p, &p->tok);
            goto done;
        }
        if (!advance(p)) goto done;
    }
    if (p->tok.kind == K_ASYNC) {
        unsupported(p, &p->tok);
        goto done;
    }
    if (p->tok.kind == K_CLASS) {
        n = parse_class(p, &decos, &start);
        goto done;
    }
    if (p->tok.kind != K_DEF) {
        syntax_error(p, &p->tok);
        goto done;
    }
    n = parse_def(p, &decos, &start);
done:
    for (int i = 0; i < decos.len; i++) ast_free(decos.items[i]);
    free(decos.items);
    return n;
}

static char *parse_dotted(Parser *p) {
    Buf b = {0};
    for (;;) {
        if (p->tok.kind != T_NAME) {
            syntax_error(p, &p->tok);
            goto fail;
        }
        if (!buf_add(&b, p->src + p->tok.start, p->tok.end - p->tok.start) || !advance(p)) goto fail;
        if (p->tok.kind != T_DOT) return b.data;
        if (!buf_add(&b, ".", 1) || !advance(p)) goto fail;
    }
fail:
    free(b.data);
    return NULL;
}

/* `as NAME` if present: *alias set (NULL when absent); false on error */
static bool parse_alias(Parser *p, char **alias) {
    *alias = NULL;
    if (p->tok.kind != K_AS) return true;
    if (!advance(p)) return false;
    if (p->tok.kind != T_NAME) {
        syntax_error(p, &p->tok);
        return false;
    }
    return (*alias = tok_text(p, &p->tok)) && advance(p);
}

/* `import a, b`: one node per module, each placed at the whole statement
 * (where CPython reports a failed import) */
static bool parse_import(Parser *p, NodeList *out) {
    Token kw = p->tok;
    if (!advance(p)) return false;
    bool ok = true;
    int first = out->len;
    do {
        if (!ok) return false;
        Node *n = new_node(p, N_IMPORT, &kw);
        if (!n || !push(out, n)) return false;
        if (!(n->name = parse_dotted(p)) || !parse_alias(p, &n->name2)) return false;
    } while (accept(p, T_COMMA, &ok));
    for (int i = first; ok && i < out->len; i++) finish(p, out->items[i]);
    return ok;
}

static Node *parse_from(Parser *p) {
    Node *n = new_node(p, N_IMPORT_FROM, &p->tok);
    if (!n || !advance(p)) goto fail;
    if (p->tok.kind == T_DOT || p->tok.kind == T_ELLIPSIS) {
        raise_at(p, ERR_SyntaxError, &p->tok, "relative imports are not supported by tsr");
        goto fail;
    }
    if (!(n->name = parse_dotted(p))) goto fail;
    if (p->tok.kind != K_IMPORT) {
        syntax_error(p, &p->tok);
        goto fail;
    }
    if (!advance(p)) goto fail;
    if (p->tok.kind == T_STAR) {
        n->star = true;
        if (!advance(p)) goto fail;
        finish(p, n);
        return n;
    }
    bool paren = p->tok.kind == T_LPAR, ok = true;
    if (paren && !advance(p)) goto fail;
    do {
        if (!ok) goto fail;
        if (paren && p->tok.kind == T_RPAR && n->list.len) break;
        if (p->tok.kind != T_NAME) {
            syntax_error(p, &p->tok);
            goto fail;
        }
        Node *nm = new_node(p, N_NAME, &p->tok);
        if (!nm || !push(&n->list, nm)) goto fail;
        if (!(nm->name = tok_text(p, &p->tok)) || !advance(p) || !parse_alias(p, &nm->name2)) goto fail;
        finish(p, nm);
    } while (accept(p, T_COMMA, &ok));
    if (!ok) goto fail;
    if (paren && !expect(p, T_RPAR)) goto fail;
    finish(p, n);
    return n;
fail:
    ast_free(n);
    return NULL;
}

static int augassign_op(TokKind k) {
    switch (k) {
    case T_PLUS_EQ: return B_ADD;
    case T_MINUS_EQ: return B_SUB;
    case T_STAR_EQ: return B_MUL;
    case T_SLASH_EQ: return B_DIV;
    case T_DSLASH_EQ: return B_FLOORDIV;
    case T_PERCENT_EQ: return B_MOD;
    case T_DSTAR_EQ: return B_POW;
    case T_AT_EQ: return B_MATMUL;
    case T_AMP_EQ: return B_AND;
    case T_PIPE_EQ: return B_OR;
    case T_CARET_EQ: return B_XOR;
    case T_LSHIFT_EQ: return B_LSHIFT;
    case T_RSHIFT_EQ: return B_RSHIFT;
    default: return -1;
    }
}

static Node *parse_expr_stmt(Parser *p) {
    Node *first = p->tok.kind == K_YIELD ? parse_yield(p) : parse_star_exprs(p, true), *n = NULL;
    if (!first) return NULL;
    int aug = augassign_op(p->tok.kind);
    if (p->tok.kind == T_EQ) {
        if (!(n = new_at(N_ASSIGN, first))) goto fail;
        Node *cur = first;
        first = NULL;
        while (p->tok.kind == T_EQ) {
            if (!check_target(cur, TGT_ASSIGN, n->list.len > 0)) { /* CPython adds "here. Maybe..." only for the first */
                ast_free(cur);
                goto fail;
            }
            if (!push(&n->list, cur) || !advance(p)) goto fail;
            if (!(cur = p->tok.kind == K_YIELD ? parse_yield(p) : parse_star_exprs(p, true))) goto fail;
        }
        n->b = cur;
        if (cur->kind == N_STARRED) {
            raise_node(ERR_SyntaxError, cur, "can't use starred expression here");
            goto fail;
        }
    } else if (aug >= 0) {
        if (!(n = new_at(N_AUGASSIGN, first))) goto fail;
        n->a = first;
        first = NULL;
        n->op = aug;
        if (!check_target(n->a, TGT_AUG, false) || !advance(p)) goto fail;
        if (!(n->b = p->tok.kind == K_YIELD ? parse_yield(p) : parse_star_exprs(p, false))) goto fail;
    } else if (p->tok.kind == T_COLON &&
               (first->kind == N_NAME || first->kind == N_ATTR || first->kind == N_SUBSCRIPT)) {
        /* annotated assignment: target, annotation and an optional value */
        if (!(n = new_at(N_ANNASSIGN, first))) goto fail;
        n->op = first->kind == N_NAME && !first->paren_line; /* a bare name: stored in __annotations__ */
        n->a = first;
        first = NULL;
        if (!advance(p) || !(n->c = parse_expr(p))) goto fail;
        if (p->tok.kind == T_EQ && (!advance(p) || !(n->b = parse_star_exprs(p, false)))) goto fail;
    } else {
        if (first->kind == N_STARRED) {
            raise_node(ERR_SyntaxError, first, "can't use starred expression here");
            goto fail;
        }
        if (first->kind == N_NAME && (!strcmp(first->name, "print") || !strcmp(first->name, "exec")) &&
            starts_expr(p->tok.kind)) {
            char msg[96];
            snprintf(msg, sizeof msg, "Missing parentheses in call to '%s'. Did you mean %s(...)?", first->name,
                     first->name);
            raise_node(ERR_SyntaxError, first, msg);
            goto fail;
        }
        if (p->tok.kind != T_NEWLINE && p->tok.kind != T_SEMI) {
            if (p->tok.kind == T_INDENT) raise_at(p, ERR_IndentationError, &p->tok, "unexpected indent");
            else syntax_error(p, &p->tok);
            goto fail;
        }
        if (!(n = new_at(N_EXPR_STMT, first))) goto fail;
        n->a = first;
        first = NULL;
    }
    finish(p, n);
    return n;
fail:
    ast_free(first);
    ast_free(n);
    return NULL;
}

static bool parse_simple_stmt(Parser *p, NodeList *out) {
    Token t = p->tok;
    Node *n = NULL;
    bool ok = true;
    switch (t.kind) {
    case K_PASS: case K_BREAK: case K_CONTINUE:
        if (t.kind != K_PASS && !p->loops) {
            raise_at(p, ERR_SyntaxError, &t, t.kind == K_BREAK ? "'break' outside loop" : "'continue' not properly in loop");
            return false;
        }
        n = new_node(p, t.kind == K_PASS ? N_PASS : t.kind == K_BREAK ? N_BREAK : N_CONTINUE, &t);
        if (!n || !advance(p)) goto fail;
        break;
    case K_RETURN:
        if (!p->funcs) {
            raise_at(p, ERR_SyntaxError, &t, "'return' outside function");
            return false;
        }
        if (!(n = new_node(p, N_RETURN, &t)) || !advance(p)) goto fail;
        if (starts_expr(p->tok.kind) && !(n->a = parse_star_exprs(p, true))) goto fail;
        break;
    case K_RAISE:
        if (!(n = new_node(p, N_RAISE, &t)) || !advance(p)) goto fail;
        if (starts_expr(p->tok.kind) && !(n->a = parse_expr(p))) goto fail;
        if (n->a && p->tok.kind == K_FROM && (!advance(p) || !(n->b = parse_expr(p)))) goto fail;
        break;
    case K_ASSERT:
        if (!(n = new_node(p, N_ASSERT, &t)) || !advance(p) || !(n->a = parse_expr(p))) goto fail;
        if (accept(p, T_COMMA, &ok) && (!ok || !(n->b = parse_expr(p)))) goto fail;
        break;
    case K_DEL:
        if (!(n = new_node(p, N_DEL, &t)) || !advance(p)) goto fail;
        do {
            if (!ok) goto fail;
            if (p->tok.kind == T_NEWLINE && n->list.len) break;
            Node *e = parse_binary(p, 0);
            if (!e || !push(&n->list, e)) goto fail;
            if (!check_target(e, TGT_DEL, false)) goto fail;
        } while (accept(p, T_COMMA, &ok));
        if (!ok) goto fail;
        break;
    case K_GLOBAL: case K_NONLOCAL:
        if (t.kind == K_NONLOCAL && !p->funcs) {
            raise_at(p, ERR_SyntaxError, &t, "nonlocal declaration not allowed at module level");
            return false;
        }
        if (!(n = new_node(p, t.kind == K_GLOBAL ? N_GLOBAL : N_NONLOCAL, &t)) || !advance(p)) goto fail;
        do {
            if (!ok) goto fail;
            if (p->tok.kind != T_NAME) {
                syntax_error(p, &p->tok);
                goto fail;
            }
            Node *nm = new_node(p, N_NAME, &p->tok);
            if (!nm || !push(&n->list, nm) || !(nm->name = tok_text(p, &p->tok)) || !advance(p)) goto fail;
        } while (accept(p, T_COMMA, &ok));
        if (!ok) goto fail;
        break;
    case K_IMPORT: return parse_import(p, out);
    case K_FROM:
        if (!(n = parse_from(p))) return false;
        return push(out, n);
    default:
        if (is_unsupported_kw(t.kind)) return unsupported(p, &t);
        if (!(n = parse_expr_stmt(p))) return false;
        return push(out, n);
    }
    finish(p, n);
    return push(out, n);
fail:
    ast_free(n);
    return false;
}

/* simple statements separated by ';' up to the end of the line */
static bool parse_simple_line(Parser *p, NodeList *out) {
    bool ok = true;
    for (;;) {
        if (!parse_simple_stmt(p, out)) return false;
        if (!accept(p, T_SEMI, &ok)) break;
        if (!ok) return false;
        if (p->tok.kind == T_NEWLINE) break;
    }
    if (p->tok.kind != T_NEWLINE) {
        if (p->tok.kind == T_INDENT) raise_at(p, ERR_IndentationError, &p->tok, "unexpected indent");
        else syntax_error(p, &p->tok);
        return false;
    }
    return advance(p);
}

static bool parse_statement(Parser *p, NodeList *out) {
    Node *n = NULL;
    if (++p->depth > MAX_DEPTH) {
        tsr_raise(ERR_RecursionError, "maximum recursion depth exceeded during compilation");
        return false;
    }
    switch (p->tok.kind) {
    case K_IF: n = parse_if(p, false); break;
    case K_WHILE: n = parse_while(p); break;
    case K_FOR: n = parse_for(p); break;
    case K_WITH: n = parse_with(p); break;
    case K_TRY: n = parse_try(p); break;
    case K_CLASS: {
        NodeList none = {0};
        Token start = p->tok;
        n = parse_class(p, &none, &start);
        break;
    }
    case K_DEF: {
        NodeList none = {0};
        Token start = p->tok;
        n = parse_def(p, &none, &start);
        break;
    }
    case T_AT: n = parse_decorated(p); break;
    case T_INDENT:
        raise_at(p, ERR_IndentationError, &p->tok, "unexpected indent");
        return false;
    default:
        if (is_unsupported_kw(p->tok.kind) && p->tok.kind != K_AWAIT)
            return unsupported(p, &p->tok);
        p->depth--;
        return parse_simple_line(p, out);
    }
    p->depth--;
    return n && push(out, n);
}

/* ------------------------------------------------------------ entry points */

static bool is_compound_start(TokKind k) {
    return k == K_IF || k == K_WHILE || k == K_FOR || k == K_DEF || k == K_WITH || k == T_AT || k == K_CLASS ||
           k == K_TRY;
}

static ParseStatus parse_any(const char *src, int64_t len, Node **out, bool console) {
    Parser p;
    memset(&p, 0, sizeof p);
    p.src = src;
    p.len = len;
    *out = NULL;
    lexer_init(&p.lx, src, len);
    Node *mod = ast_new(N_MODULE, 1, 0);
    bool compound = false;
    if (!mod || !advance(&p)) goto fail;
    while (p.tok.kind != T_EOF) {
        if (console && mod->body.len) {
            raise_at(&p, ERR_SyntaxError, &p.tok,
                     compound ? "invalid syntax" : "multiple statements found while compiling a single statement");
            goto fail;
        }
        if (!mod->body.len) compound = is_compound_start(p.tok.kind);
        if (!parse_statement(&p, &mod->body)) goto fail;
    }
    finish(&p, mod);
    int depth = ast_depth(mod, MAX_TREE_DEPTH);
    if (depth < 0 || depth > MAX_TREE_DEPTH) {
        if (depth < 0) tsr_raise(ERR_MemoryError, "%s", "");
        else tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded during compilation");
        goto fail;
    }
    if (console && compound && !(len > 0 && src[len - 1] == '\n')) {
        /* a compound statement ends with an empty line */
        ast_free(mod);
        return PARSE_INCOMPLETE;
    }
    *out = mod;
    return PARSE_OK;
fail:
    ast_free(mod);
    if (console && (p.eof_error || p.lx.incomplete)) {
        tsr_err_clear();
        return PARSE_INCOMPLETE;
    }
    if (!tsr_err_occurred()) tsr_raise(ERR_SyntaxError, "invalid syntax");
    return PARSE_ERROR;
}

ParseStatus parse_program(const char *src, int64_t len, Node **out) { return parse_any(src, len, out, false); }

ParseStatus parse_console(const char *src, int64_t len, Node **out) { return parse_any(src, len, out, true); }
