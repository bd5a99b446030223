/* test_parser.c: statements, expressions, precedence, f-strings, positions,
 * syntax errors and the console's OK/INCOMPLETE rules. Expected errors and
 * console transitions come from CPython 3.11 (compile() and
 * codeop.compile_command, which code.InteractiveConsole uses). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "error.h"
#include "parser.h"

/* ------------------------------------------------------------ s-expressions */

typedef struct {
    char buf[8192];
    size_t len;
} Sx;

static void sx(Sx *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, sizeof o->buf - o->len, fmt, ap);
    va_end(ap);
    if (n > 0) o->len += (size_t)n;
    if (o->len >= sizeof o->buf) o->len = sizeof o->buf - 1;
}

static const char *const binop[] = {"+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>"};
static const char *const cmpop[] = {"==", "!=", "<", "<=", ">", ">=", "is", "is-not", "in", "not-in"};
static const char *const unop[] = {"-", "+", "~", "not"};

static void sexpr(Sx *o, const Node *n);

static void sx_list(Sx *o, const NodeList *l) {
    for (int i = 0; i < l->len; i++) {
        sx(o, " ");
        if (l->items[i]) sexpr(o, l->items[i]);
        else sx(o, "_");
    }
}

static void sx_opt(Sx *o, const Node *n) {
    sx(o, " ");
    if (n) sexpr(o, n);
    else sx(o, "_");
}

static void sx_block(Sx *o, const char *tag, const NodeList *l) {
    sx(o, " [%s", tag);
    sx_list(o, l);
    sx(o, "]");
}

static void sx_params(Sx *o, const Params *p) {
    sx(o, " (");
    for (int i = 0; i < p->n; i++) {
        sx(o, "%s%s", i ? " " : "", p->names[i]);
        int d = i - (p->n - p->n_defaults);
        if (d >= 0) {
            sx(o, "=");
            sexpr(o, p->defaults[d]);
        }
    }
    if (p->star) sx(o, " *%s", p->star);
    else if (p->n_kwonly) sx(o, " *");
    for (int i = 0; i < p->n_kwonly; i++) {
        sx(o, " %s", p->kwonly_names[i]);
        if (p->kwonly_defaults[i]) {
            sx(o, "=");
            sexpr(o, p->kwonly_defaults[i]);
        }
    }
    if (p->starstar) sx(o, " **%s", p->starstar);
    sx(o, ")");
}

static void sexpr(Sx *o, const Node *n) {
    switch (n->kind) {
    case N_INT: sx(o, "%" PRId64, n->ival); break;
    case N_FLOAT: sx(o, "%gf", n->fval); break;
    case N_STR: case N_BYTES:
        sx(o, n->kind == N_BYTES ? "b'" : "'");
        for (int64_t i = 0; i < n->str_len; i++) {
            unsigned char c = (unsigned char)n->str[i];
            if (c == '\n') sx(o, "\\n");
            else if (c < 0x20 || c >= 0x7f) sx(o, "\\x%02x", c);
            else sx(o, "%c", c);
        }
        sx(o, "'");
        break;
    case N_NAME: sx(o, "%s", n->name); break;
    case N_NONE: sx(o, "None"); break;
    case N_TRUE: sx(o, "True"); break;
    case N_FALSE: sx(o, "False"); break;
    case N_ELLIPSIS: sx(o, "..."); break;
    case N_TUPLE: sx(o, "(tuple"); sx_list(o, &n->list); sx(o, ")"); break;
    case N_LIST: sx(o, "(list"); sx_list(o, &n->list); sx(o, ")"); break;
    case N_DICT:
        sx(o, "(dict");
        for (int i = 0; i < n->list.len; i++) {
            sx_opt(o, n->list.items[i]);
            sx(o, ":");
            sexpr(o, n->list2.items[i]);
        }
        sx(o, ")");
        break;
    case N_UNARY: sx(o, "(%s", unop[n->op]); sx_opt(o, n->a); sx(o, ")"); break;
    case N_BINARY: sx(o, "(%s", binop[n->op]); sx_opt(o, n->a); sx_opt(o, n->b); sx(o, ")"); break;
    case N_BOOLOP: sx(o, "(%s", n->op == BOOL_AND ? "and" : "or"); sx_list(o, &n->list); sx(o, ")"); break;
    case N_COMPARE:
        sx(o, "(cmp ");
        sexpr(o, n->list.items[0]);
        for (int i = 1; i < n->list.len; i++) {
            sx(o, " %s ", cmpop[n->ops[i - 1]]);
            sexpr(o, n->list.items[i]);
        }
        sx(o, ")");
        break;
    case N_IFEXP: sx(o, "(ifexp"); sx_opt(o, n->a); sx_opt(o, n->b); sx_opt(o, n->c); sx(o, ")"); break;
    case N_CALL:
        sx(o, "(call");
        sx_opt(o, n->a);
        sx_list(o, &n->list);
        for (int i = 0; i < n->list2.len; i++) {
            sx(o, " %s=", n->kwnames[i] ? n->kwnames[i] : "**");
            sexpr(o, n->list2.items[i]);
        }
        sx(o, ")");
        break;
    case N_ATTR: sx(o, "(. "); sexpr(o, n->a); sx(o, " %s)", n->name); break;
    case N_SUBSCRIPT: sx(o, "([]"); sx_opt(o, n->a); sx_opt(o, n->b); sx(o, ")"); break;
    case N_SLICE: sx(o, "(slice"); sx_opt(o, n->a); sx_opt(o, n->b); sx_opt(o, n->c); sx(o, ")"); break;
    case N_STARRED: sx(o, "(*"); sx_opt(o, n->a); sx(o, ")"); break;
    case N_LAMBDA: sx(o, "(lambda"); sx_params(o, n->params); sx_opt(o, n->a); sx(o, ")"); break;
    case N_LISTCOMP: sx(o, "(comp"); sx_opt(o, n->a); sx_list(o, &n->list); sx(o, ")"); break;
    case N_COMP_FOR: sx(o, "(for"); sx_opt(o, n->a); sx_opt(o, n->b); sx_list(o, &n->list); sx(o, ")"); break;
    case N_FSTRING: sx(o, "(f"); sx_list(o, &n->list); sx(o, ")"); break;
    case N_FORMATTED:
        sx(o, "(fmt");
        sx_opt(o, n->a);
        sx(o, " %c", n->op ? n->op : '_');
        sx_opt(o, n->b);
        sx(o, ")");
        break;
    case N_EXPR_STMT: sexpr(o, n->a); break;
    case N_ASSIGN: sx(o, "(="); sx_list(o, &n->list); sx_opt(o, n->b); sx(o, ")"); break;
    case N_AUGASSIGN: sx(o, "(%s=", binop[n->op]); sx_opt(o, n->a); sx_opt(o, n->b); sx(o, ")"); break;
    case N_IF: case N_WHILE:
        sx(o, "(%s", n->kind == N_IF ? "if" : "while");
        sx_opt(o, n->a);
        sx_block(o, "", &n->body);
        if (n->orelse.len) sx_block(o, "else", &n->orelse);
        sx(o, ")");
        break;
    case N_FOR:
        sx(o, "(for");
        sx_opt(o, n->a);
        sx_opt(o, n->b);
        sx_block(o, "", &n->body);
        if (n->orelse.len) sx_block(o, "else", &n->orelse);
        sx(o, ")");
        break;
    case N_BREAK: sx(o, "break"); break;
    case N_CONTINUE: sx(o, "continue"); break;
    case N_PASS: sx(o, "pass"); break;
    case N_ANNASSIGN: sx(o, "(:"); sx_opt(o, n->a); sx_opt(o, n->c); sx_opt(o, n->b); sx(o, ")"); break;
    case N_RETURN: sx(o, "(return"); sx_opt(o, n->a); sx(o, ")"); break;
    case N_DEF:
        sx(o, "(def %s", n->name);
        sx_params(o, n->params);
        if (n->list.len) sx_block(o, "@", &n->list);
        sx_block(o, "", &n->body);
        sx(o, ")");
        break;
    case N_WITH:
        sx(o, "(with");
        for (int i = 0; i < n->list.len; i++) {
            sx_opt(o, n->list.items[i]);
            sx(o, " as");
            sx_opt(o, n->list2.items[i]);
        }
        sx_block(o, "", &n->body);
        sx(o, ")");
        break;
    case N_ASSERT: sx(o, "(assert"); sx_opt(o, n->a); sx_opt(o, n->b); sx(o, ")"); break;
    case N_DEL: sx(o, "(del"); sx_list(o, &n->list); sx(o, ")"); break;
    case N_GLOBAL: sx(o, "(global"); sx_list(o, &n->list); sx(o, ")"); break;
    case N_NONLOCAL: sx(o, "(nonlocal"); sx_list(o, &n->list); sx(o, ")"); break;
    case N_IMPORT: sx(o, "(import %s %s)", n->name, n->name2 ? n->name2 : "_"); break;
    case N_IMPORT_FROM:
        sx(o, "(from %s", n->name);
        if (n->star) sx(o, " *");
        for (int i = 0; i < n->list.len; i++) {
            const Node *a = n->list.items[i];
            sx(o, " %s", a->name);
            if (a->name2) sx(o, "=%s", a->name2);
        }
        sx(o, ")");
        break;
    case N_RAISE: sx(o, "(raise"); sx_opt(o, n->a); sx(o, ")"); break;
    case N_MODULE: sx_list(o, &n->body); break;
    default: sx(o, "?%d", (int)n->kind);
    }
}

/* the statements of `src` as s-expressions separated by "; " */
static const char *parse(const char *src) {
    static Sx o;
    o.len = 0;
    o.buf[0] = 0;
    Node *m = NULL;
    tsr_err_clear();
    ParseStatus st = parse_program(src, (int64_t)strlen(src), &m);
    if (st != PARSE_OK) {
        fprintf(stderr, "unexpected parse failure of <%s>: %s: %s\n", src, tsr_err_name(tsr_err_kind()),
                tsr_err_msg());
        fail();
    }
    for (int i = 0; i < m->body.len; i++) {
        if (i) sx(&o, "; ");
        sexpr(&o, m->body.items[i]);
    }
    ast_free(m);
    return o.buf;
}

static void error_at(const char *src, ErrKind kind, const char *msg, int line, int col) {
    Node *m = NULL;
    tsr_err_clear();
    ParseStatus st = parse_program(src, (int64_t)strlen(src), &m);
    assert_int_equal(st, PARSE_ERROR);
    assert_null(m);
    if (strcmp(tsr_err_msg(), msg)) fprintf(stderr, "for <%s>: got '%s'\n", src, tsr_err_msg());
    assert_int_equal(tsr_err_kind(), kind);
    assert_string_equal(tsr_err_msg(), msg);
    int l, c, el, ec;
    tsr_err_get_pos(&l, &c, &el, &ec);
    if (line) {
        assert_int_equal(l, line);
        assert_int_equal(c, col);
    }
}

/* ------------------------------------------------------------ expressions */

static void test_atoms(void **state) {
    (void)state;
    assert_string_equal(parse("1; 2.5; 'a'; None; True; False; ...; x"), "1; 2.5f; 'a'; None; True; False; ...; x");
    assert_string_equal(parse("()"), "(tuple)");
    assert_string_equal(parse("(1,)"), "(tuple 1)");
    assert_string_equal(parse("(1)"), "1");
    assert_string_equal(parse("1, 2"), "(tuple 1 2)");
    assert_string_equal(parse("1,"), "(tuple 1)");
    assert_string_equal(parse("[]"), "(list)");
    assert_string_equal(parse("[1, [2, 3],]"), "(list 1 (list 2 3))");
    assert_string_equal(parse("{}"), "(dict)");
    assert_string_equal(parse("{'a': 1, 'b': [2],}"), "(dict 'a':1 'b':(list 2))");
    assert_string_equal(parse("[*a, 1]"), "(list (* a) 1)");
    assert_string_equal(parse("-9223372036854775808"), "-9223372036854775808");
    assert_string_equal(parse("9223372036854775807"), "9223372036854775807");
}

static void test_precedence(void **state) {
    (void)state;
    assert_string_equal(parse("-2**2"), "(- (** 2 2))");
    assert_string_equal(parse("2**-1"), "(** 2 (- 1))");
    assert_string_equal(parse("2**3**2"), "(** 2 (** 3 2))");
    assert_string_equal(parse("a or b and c"), "(or a (and b c))");
    assert_string_equal(parse("a and b or c and d"), "(or (and a b) (and c d))");
    assert_string_equal(parse("a or b or c"), "(or a b c)");
    assert_string_equal(parse("not a == b"), "(not (cmp a == b))");
    assert_string_equal(parse("not not a"), "(not (not a))");
    assert_string_equal(parse("a if b else c if d else e"), "(ifexp a b (ifexp c d e))");
    assert_string_equal(parse("a < b < c"), "(cmp a < b < c)");
    assert_string_equal(parse("a not in b is not c in d"), "(cmp a not-in b is-not c in d)");
    assert_string_equal(parse("a | b ^ c & d << e + f * g"), "(| a (^ b (& c (<< d (+ e (* f g))))))");
    assert_string_equal(parse("a - b - c"), "(- (- a b) c)");
    assert_string_equal(parse("a / b // c % d @ e"), "(@ (% (// (/ a b) c) d) e)");
    assert_string_equal(parse("-a * ~b"), "(* (- a) (~ b))");
    assert_string_equal(parse("a + b < c * d"), "(cmp (+ a b) < (* c d))");
    assert_string_equal(parse("x == 1 and y != 2 or not z"), "(or (and (cmp x == 1) (cmp y != 2)) (not z))");
    assert_string_equal(parse("a >> 1 >= b << 2"), "(cmp (>> a 1) >= (<< b 2))");
    assert_string_equal(parse("-x.y ** 2"), "(- (** (. x y) 2))");
    assert_string_equal(parse("lambda: a if b else c"), "(lambda () (ifexp a b c))");
}

static void test_primaries(void **state) {
    (void)state;
    assert_string_equal(parse("f(1, x, *a, k=2, **kw)"), "(call f 1 x (* a) k=2 **=kw)");
    assert_string_equal(parse("f()"), "(call f)");
    assert_string_equal(parse("f(a,)(b)"), "(call (call f a) b)");
    assert_string_equal(parse("torch.nn.functional.relu(x)"), "(call (. (. (. torch nn) functional) relu) x)");
    assert_string_equal(parse("x[1]"), "([] x 1)");
    assert_string_equal(parse("x[1:2]"), "([] x (slice 1 2 _))");
    assert_string_equal(parse("x[:]"), "([] x (slice _ _ _))");
    assert_string_equal(parse("x[::2]"), "([] x (slice _ _ 2))");
    assert_string_equal(parse("x[1:2, ::2, None, ..., idx]"),
                        "([] x (tuple (slice 1 2 _) (slice _ _ 2) None ... idx))");
    assert_string_equal(parse("x[1,]"), "([] x (tuple 1))");
    assert_string_equal(parse("x[:, 2:4]"), "([] x (tuple (slice _ _ _) (slice 2 4 _)))");
    assert_string_equal(parse("x[a:b:c]"), "([] x (slice a b c))");
    assert_string_equal(parse("x[-1][0].y(z)[w]"), "([] (call (. ([] ([] x (- 1)) 0) y) z) w)");
    assert_string_equal(parse("sum(x for x in y)"), "(call sum (comp x (for x y)))");
    assert_string_equal(parse("f(x=a if b else c)"), "(call f x=(ifexp a b c))");
}

static void test_comprehension_lambda(void **state) {
    (void)state;
    assert_string_equal(parse("[x * 2 for x in y]"), "(comp (* x 2) (for x y))");
    assert_string_equal(parse("[x for x in y if x if x > 1]"), "(comp x (for x y x (cmp x > 1)))");
    assert_string_equal(parse("[(i, j) for i in a for j, k in b if j]"),
                        "(comp (tuple i j) (for i a) (for (tuple j k) b j))");
    assert_string_equal(parse("(x for x in y)"), "(comp x (for x y))");
    assert_string_equal(parse("lambda x, y=2: x + y"), "(lambda (x y=2) (+ x y))");
    assert_string_equal(parse("lambda *a, k=1, **kw: a"), "(lambda ( *a k=1 **kw) a)");
    assert_string_equal(parse("f(lambda: 0)"), "(call f (lambda () 0))");
}

static void test_strings(void **state) {
    (void)state;
    assert_string_equal(parse("'a' \"b\" '''c'''"), "'abc'");
    assert_string_equal(parse("'\\n\\t\\\\\\'\\\"'"), "'\\n\\x09\\'\"'");
    assert_string_equal(parse("'\\x41\\101\\u00e9'"), "'AA\\xc3\\xa9'");
    assert_string_equal(parse("r'\\n\\d'"), "'\\n\\d'");
    assert_string_equal(parse("'a\\\nb'"), "'ab'");
    assert_string_equal(parse("'''a\nb'''"), "'a\\nb'");
    assert_string_equal(parse("''"), "''");
    assert_string_equal(parse("'\\q'"), "'\\q'"); /* unknown escapes are kept */
}

static void test_fstrings(void **state) {
    (void)state;
    assert_string_equal(parse("f'a{x}b'"), "(f 'a' (fmt x _ _) 'b')");
    assert_string_equal(parse("f'{x!r:>{width}}'"), "(f (fmt x r (f '>' (fmt width _ _))))");
    assert_string_equal(parse("f'{x:.2f}'"), "(f (fmt x _ (f '.2f')))");
    assert_string_equal(parse("f'{{}}{x}{{'"), "(f '{}' (fmt x _ _) '{')");
    assert_string_equal(parse("'a' f'{x}' 'b'"), "(f 'a' (fmt x _ _) 'b')");
    /* bytes literals: \x and octal escapes are bytes; \u, \N and unknown escapes stay */
    assert_string_equal(parse("b'a\\x41' rb'\\n' B'\\777'"), "b'aA\\n\\xff'");
    assert_string_equal(parse("b'\\u12\\q'"), "b'\\u12\\q'");
    assert_string_equal(parse("f\"{d['k']}\""), "(f (fmt ([] d 'k') _ _))");
    assert_string_equal(parse("f'{a, b}'"), "(f (fmt (tuple a b) _ _))");
    assert_string_equal(parse("f'{x!s}{y!a}'"), "(f (fmt x s _) (fmt y a _))");
    assert_string_equal(parse("f'{x=}'"), "(f 'x=' (fmt x r _))");
    assert_string_equal(parse("f'{x = :>5}'"), "(f 'x = ' (fmt x _ (f '>5')))");
    assert_string_equal(parse("f'{a != b}'"), "(f (fmt (cmp a != b) _ _))");
    assert_string_equal(parse("f'{f(a, b=1)}\\n'"), "(f (fmt (call f a b=1) _ _) '\\n')");
    assert_string_equal(parse("f''"), "(f)");
    assert_string_equal(parse("f'''{\nx\n}'''"), "(f (fmt x _ _))");
}

/* ------------------------------------------------------------ statements */

static void test_assignments(void **state) {
    (void)state;
    assert_string_equal(parse("a = b = 1"), "(= a b 1)");
    assert_string_equal(parse("a, b = b, a"), "(= (tuple a b) (tuple b a))");
    assert_string_equal(parse("x.y, z[0] = 1, 2"), "(= (tuple (. x y) ([] z 0)) (tuple 1 2))");
    assert_string_equal(parse("[a, (b, *c)] = d"), "(= (list a (tuple b (* c))) d)");
    assert_string_equal(parse("*a, b = c"), "(= (tuple (* a) b) c)");
    assert_string_equal(parse("x[:, 2:4] = 100"), "(= ([] x (tuple (slice _ _ _) (slice 2 4 _))) 100)");
    assert_string_equal(parse("x += 1; y -= 2; z *= 3; w /= 4"), "(+= x 1); (-= y 2); (*= z 3); (/= w 4)");
    assert_string_equal(parse("a //= 1; a %= 2; a **= 3; a @= b; a &= 1; a |= 2; a ^= 3; a <<= 4; a >>= 5"),
                        "(//= a 1); (%= a 2); (**= a 3); (@= a b); (&= a 1); (|= a 2); (^= a 3); (<<= a 4); (>>= a 5)");
    assert_string_equal(parse("x.grad += 1"), "(+= (. x grad) 1)");
    assert_string_equal(parse("x[0] @= w"), "(@= ([] x 0) w)");
    assert_string_equal(parse("x: int = 5"), "(: x int 5)");
    assert_string_equal(parse("x.y: List[int]"), "(: (. x y) ([] List int) _)");
}

static void test_compound(void **state) {
    (void)state;
    assert_string_equal(parse("if a:\n    b\nelif c:\n    d\nelse:\n    e\n"),
                        "(if a [ b] [else (if c [ d] [else e])])");
    assert_string_equal(parse("if x: y = 1"), "(if x [ (= y 1)])");
    assert_string_equal(parse("if x: y = 1; z = 2\nw"), "(if x [ (= y 1) (= z 2)]); w");
    assert_string_equal(parse("while x:\n  x -= 1\n  if x: break\nelse:\n  pass"),
                        "(while x [ (-= x 1) (if x [ break])] [else pass])");
    assert_string_equal(parse("for i in r: print(i)"), "(for i r [ (call print i)])");
    assert_string_equal(parse("for i, (u, v) in enumerate(z):\n  continue\nelse:\n  pass"),
                        "(for (tuple i (tuple u v)) (call enumerate z) [ continue] [else pass])");
    assert_string_equal(parse("for x in 1, 2:\n  pass"), "(for x (tuple 1 2) [ pass])");
    assert_string_equal(parse("def f(a, b=2, *args, c, d=4, **kw):\n  return a, b\n"),
                        "(def f (a b=2 *args c d=4 **kw) [ (return (tuple a b))])");
    assert_string_equal(parse("def f(a, *, k):\n  return\n"), "(def f (a * k) [ (return _)])");
    assert_string_equal(parse("def f(x: int) -> int:\n  pass"), "(def f (x) [ pass])");
    assert_string_equal(parse("@torch.no_grad()\n@d\ndef f():\n  pass"),
                        "(def f () [@ (call (. torch no_grad)) d] [ pass])");
    assert_string_equal(parse("with torch.no_grad():\n  y = x"), "(with (call (. torch no_grad)) as _ [ (= y x)])");
    assert_string_equal(parse("with a as b, c, d as (e, f): pass"),
                        "(with a as b c as _ d as (tuple e f) [ pass])");
    assert_string_equal(parse("def f():\n  def g():\n    nonlocal x\n    x = 1\n  return g"),
                        "(def f () [ (def g () [ (nonlocal x) (= x 1)]) (return g)])");
}

static void test_simple_statements(void **state) {
    (void)state;
    assert_string_equal(parse("pass; assert x; assert x, 'm'"), "pass; (assert x _); (assert x 'm')");
    assert_string_equal(parse("del x, y[0], z.w"), "(del x ([] y 0) (. z w))");
    assert_string_equal(parse("global a, b"), "(global a b)");
    assert_string_equal(parse("import torch"), "(import torch _)");
    assert_string_equal(parse("import torch.nn.functional as F, math"),
                        "(import torch.nn.functional F); (import math _)");
    assert_string_equal(parse("from torch import *"), "(from torch *)");
    assert_string_equal(parse("from torch.nn import functional as F, Linear"),
                        "(from torch.nn functional=F Linear)");
    assert_string_equal(parse("from torch import (a,\n b,)"), "(from torch a b)");
    assert_string_equal(parse("raise; raise ValueError('x')"), "(raise _); (raise (call ValueError 'x'))");
    assert_string_equal(parse("x = 1;"), "(= x 1)");
    assert_string_equal(parse("\n\n# c\nx = 1  # c\n\n"), "(= x 1)");
    assert_string_equal(parse(""), "");
    assert_string_equal(parse("x = (1 +\n     2)\ny = 1 + \\\n  3"), "(= x (+ 1 2)); (= y (+ 1 3))");
}

static void test_positions(void **state) {
    (void)state;
    Node *m = NULL;
    const char *src = "x = foo(1, bar)\nif y:\n    z = a.b + c[1]\n";
    assert_int_equal(parse_program(src, (int64_t)strlen(src), &m), PARSE_OK);
    Node *assign = m->body.items[0];
    assert_int_equal(assign->line, 1);
    assert_int_equal(assign->col, 0);
    assert_int_equal(assign->end_col, 15);
    Node *call = assign->b;
    assert_int_equal(call->col, 4);
    assert_int_equal(call->end_col, 15);
    assert_int_equal(call->list.items[1]->col, 11);
    assert_int_equal(call->list.items[1]->end_col, 14);
    Node *ifs = m->body.items[1];
    assert_int_equal(ifs->line, 2);
    assert_int_equal(ifs->end_line, 3);
    Node *add = ifs->body.items[0]->b;
    assert_int_equal(add->line, 3);
    assert_int_equal(add->col, 8);
    assert_int_equal(add->end_col, 18);
    assert_int_equal(add->b->col, 14);     /* c[1] */
    assert_int_equal(add->a->end_col, 11); /* a.b */
    ast_free(m);

    /* f-string fields keep their source positions */
    src = "s = f'ab{xy}'";
    assert_int_equal(parse_program(src, (int64_t)strlen(src), &m), PARSE_OK);
    Node *fmt = m->body.items[0]->b->list.items[1];
    assert_int_equal(fmt->kind, N_FORMATTED);
    assert_int_equal(fmt->a->col, 9);
    assert_int_equal(fmt->a->end_col, 11);
    ast_free(m);
}

static void test_dump(void **state) {
    (void)state;
    Node *m = NULL;
    const char *src = "y = f(x, k=-1)\n";
    assert_int_equal(parse_program(src, (int64_t)strlen(src), &m), PARSE_OK);
    char *buf = NULL;
    int64_t len = 0, cap = 0;
    ast_dump(m, 0, &buf, &len, &cap);
    assert_string_equal(buf, "MODULE\n"
                             "  body:\n"
                             "    ASSIGN\n"
                             "      b:\n"
                             "        CALL\n"
                             "          a:\n"
                             "            NAME f\n"
                             "          args:\n"
                             "            NAME x\n"
                             "          kw k:\n"
                             "            UNARY -\n"
                             "              a:\n"
                             "                INT 1\n"
                             "      list:\n"
                             "        NAME y\n");
    assert_int_equal(len, (int64_t)strlen(buf));
    free(buf);
    ast_free(m);
}

/* ------------------------------------------------------------ errors */

static void test_syntax_errors(void **state) {
    (void)state;
    error_at("x = torch.tensor([1, 2]\nprint(x)\n", ERR_SyntaxError, "'(' was never closed", 1, 16);
    error_at("foo(1 2", ERR_SyntaxError, "'(' was never closed", 1, 3);
    error_at("x = 1 2", ERR_SyntaxError, "invalid syntax", 1, 6);
    error_at("x = ", ERR_SyntaxError, "invalid syntax", 1, 4);
    error_at("s = 'abc", ERR_SyntaxError, "unterminated string literal (detected at line 1)", 1, 4);
    error_at("if x\n  pass", ERR_SyntaxError, "expected ':'", 1, 4);
    error_at("def f(x)\n  pass", ERR_SyntaxError, "expected ':'", 1, 8);
    error_at("f() = 1", ERR_SyntaxError, "cannot assign to function call here. Maybe you meant '==' instead of '='?",
             1, 0);
    error_at("x = f() = 1", ERR_SyntaxError, "cannot assign to function call", 1, 4);
    error_at("a + 1 = 2", ERR_SyntaxError, "cannot assign to expression here. Maybe you meant '==' instead of '='?",
             1, 0);
    error_at("f() += 1", ERR_SyntaxError, "'function call' is an illegal expression for augmented assignment", 1, 0);
    error_at("del f()", ERR_SyntaxError, "cannot delete function call", 1, 4);
    error_at("for f() in x: pass", ERR_SyntaxError, "cannot assign to function call", 1, 4);
    error_at("a, *b, *c = d", ERR_SyntaxError, "multiple starred expressions in assignment", 1, 7);
    error_at("f(a=1, 2)", ERR_SyntaxError, "positional argument follows keyword argument", 1, 7);
    error_at("f(**k, 2)", ERR_SyntaxError, "positional argument follows keyword argument unpacking", 1, 7);
    error_at("f(x=1, x=2)", ERR_SyntaxError, "keyword argument repeated: x", 1, 7);
    error_at("f(a for a in b, c)", ERR_SyntaxError, "Generator expression must be parenthesized", 1, 2);
    error_at("def f(a=1, b): pass", ERR_SyntaxError, "non-default argument follows default argument", 1, 11);
    error_at("def f(a, a): pass", ERR_SyntaxError, "duplicate argument 'a' in function definition", 1, 9);
    error_at("x = 1 if y", ERR_SyntaxError, "expected 'else' after 'if' expression", 1, 4);
    error_at("print 'hi'", ERR_SyntaxError, "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 0);
    error_at("break", ERR_SyntaxError, "'break' outside loop", 1, 0);
    error_at("while x:\n  def f():\n    continue", ERR_SyntaxError, "'continue' not properly in loop", 3, 4);
    error_at("return 1", ERR_SyntaxError, "'return' outside function", 1, 0);
    error_at("nonlocal x", ERR_SyntaxError, "nonlocal declaration not allowed at module level", 1, 0);
    error_at("f'{}'", ERR_SyntaxError, "f-string: empty expression not allowed", 1, 0);
    error_at("f'{x'", ERR_SyntaxError, "f-string: expecting '}'", 1, 0);
    error_at("f'}'", ERR_SyntaxError, "f-string: single '}' is not allowed", 1, 0);
    error_at("f'{x!z}'", ERR_SyntaxError, "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 0);
    error_at("x = 1 +\n", ERR_SyntaxError, "invalid syntax", 1, 7);
    error_at("x = 1 \\", ERR_SyntaxError, "unexpected EOF while parsing", 1, 6);
}

static void test_indentation_errors(void **state) {
    (void)state;
    error_at("for i in x:\nprint(i)", ERR_IndentationError,
             "expected an indented block after 'for' statement on line 1", 2, 0);
    error_at("if x:\n  pass\nelse:\nz", ERR_IndentationError,
             "expected an indented block after 'else' statement on line 3", 4, 0);
    error_at("if x:\n  pass\nelif y:\nz", ERR_IndentationError,
             "expected an indented block after 'elif' statement on line 3", 4, 0);
    error_at("def f():\n", ERR_IndentationError, "expected an indented block after function definition on line 1",
             1, 8);
    error_at("with a:\nb", ERR_IndentationError, "expected an indented block after 'with' statement on line 1", 2,
             0);
    error_at("while x:\npass", ERR_IndentationError,
             "expected an indented block after 'while' statement on line 1", 2, 0);
    error_at("  x = 1", ERR_IndentationError, "unexpected indent", 0, 0);
    error_at("if x:\n  y\n    z", ERR_IndentationError, "unexpected indent", 0, 0);
    error_at("if x:\n    y\n  z", ERR_IndentationError, "unindent does not match any outer indentation level", 3,
             2);
}

static void test_unsupported(void **state) {
    (void)state;
    error_at("try:\n  pass\nx = 1\n", ERR_SyntaxError, "expected 'except' or 'finally' block", 3, 0);
    error_at("try:\n pass\nexcept:\n pass\nexcept ValueError:\n pass\n", ERR_SyntaxError,
             "default 'except:' must be last", 3, 0);
    error_at("try:\n pass\nexcept A, B:\n pass\n", ERR_SyntaxError,
             "multiple exception types must be parenthesized", 3, 7);
    error_at("yield 1", ERR_SyntaxError, "'yield' outside function", 1, 0);
    error_at("async def f(): pass", ERR_SyntaxError, "'async' is not supported by tsr", 1, 0);
    /* CPython reports these at the end of the last literal */
    error_at("x = b'a' 'b'", ERR_SyntaxError, "cannot mix bytes and nonbytes literals", 1, 12);
    error_at("x = 'a' b'b' 'c'", ERR_SyntaxError, "cannot mix bytes and nonbytes literals", 1, 16);
    error_at("x = (b'a'\n 'b')", ERR_SyntaxError, "cannot mix bytes and nonbytes literals", 2, 4);
    error_at("x = b'\xc3\xa9'", ERR_SyntaxError, "bytes can only contain ASCII literal characters", 1, 9);
    error_at("x = b'ab\\x4'", ERR_SyntaxError, "(value error) invalid \\x escape at position 2", 1, 12);
    error_at("x = 99999999999999999999", ERR_SyntaxError, "integer literal too large: tsr integers are 64-bit", 1, 4);
    error_at("from . import x", ERR_SyntaxError, "relative imports are not supported by tsr", 1, 5);
    error_at("(x[0] := 1)", ERR_SyntaxError, "cannot use assignment expressions with subscript", 1, 1);
}

/* ------------------------------------------------------------ console */

static ParseStatus console(const char *src) {
    Node *m = NULL;
    tsr_err_clear();
    ParseStatus st = parse_console(src, (int64_t)strlen(src), &m);
    if (st == PARSE_OK) assert_non_null(m);
    else assert_null(m);
    if (st == PARSE_ERROR) assert_true(tsr_err_occurred());
    ast_free(m);
    return st;
}

static void test_console_rules(void **state) {
    (void)state;
    /* expected values: codeop.compile_command(src, '<stdin>', 'single') */
    static const struct {
        const char *src;
        ParseStatus st;
    } cases[] = {
        {"for i in range(2):", PARSE_INCOMPLETE},
        {"for i in range(2):\n    print(i)", PARSE_INCOMPLETE},
        {"for i in range(2):\n    print(i)\n", PARSE_OK},
        {"for i in range(2):\n    print(i)\n    ", PARSE_INCOMPLETE},
        {"if 1: print(1)", PARSE_INCOMPLETE},
        {"if 1: print(1)\n", PARSE_OK},
        {"x = 1; y = 2", PARSE_OK},
        {"for i in x:\n    pass\nprint(1)", PARSE_ERROR},
        {"x = (1,", PARSE_INCOMPLETE},
        {"x = (1,\n2)", PARSE_OK},
        {"s = \"\"\"abc", PARSE_INCOMPLETE},
        {"s = \"\"\"abc\ndef\"\"\"", PARSE_OK},
        {"x = 1 + \\", PARSE_INCOMPLETE},
        {"foo(1 2", PARSE_ERROR},
        {"@dec", PARSE_INCOMPLETE},
        {"@dec\ndef f():\n  return 1", PARSE_INCOMPLETE},
        {"@dec\ndef f():\n  return 1\n", PARSE_OK},
        {"if x:\n", PARSE_INCOMPLETE},
        {"if x:\n  # c\n", PARSE_INCOMPLETE},
        {"for i in x:\nprint(i)", PARSE_ERROR},
        {"# comment", PARSE_OK},
        {"", PARSE_OK},
        {"  ", PARSE_OK},
        {"x = ", PARSE_ERROR},
        {"x = 1\ny = 2", PARSE_ERROR},
        {"if x:\n  pass\nelse:", PARSE_INCOMPLETE},
        {"if x:\n  pass\nelse:\n  pass", PARSE_INCOMPLETE},
        {"if x:\n  pass\nelif y:\n  pass\n", PARSE_OK},
        {"  x = 1", PARSE_ERROR},
        {"if x:  # c", PARSE_INCOMPLETE},
        {"s = 'abc", PARSE_ERROR},
        {"x = (1 +\n\n", PARSE_INCOMPLETE},
        {"if x:\n    y\n  z", PARSE_ERROR},
        {"if 1:\n  pass\n\nprint(1)", PARSE_ERROR},
        {"1 +", PARSE_ERROR},
        {"for i in x:\n  for j in y:\n    pass\n  print(1)", PARSE_INCOMPLETE},
        {"with torch.no_grad():", PARSE_INCOMPLETE},
        {"def f(a,\n      b=2):", PARSE_INCOMPLETE},
        {"x = {'a': 1,\n 'b': 2}", PARSE_OK},
        {"if x:\n  if y:\n    pass\n  else:", PARSE_INCOMPLETE},
        {"x = 1\n  y = 2", PARSE_ERROR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ParseStatus st = console(cases[i].src);
        if (st != cases[i].st) fprintf(stderr, "console case %zu <%s>: got %d\n", i, cases[i].src, st);
        assert_int_equal(st, cases[i].st);
    }
    /* the classes of the console errors */
    assert_int_equal(console("for i in x:\n    pass\nprint(1)"), PARSE_ERROR);
    assert_string_equal(tsr_err_msg(), "invalid syntax");
    assert_int_equal(console("x = 1\ny = 2"), PARSE_ERROR);
    assert_string_equal(tsr_err_msg(), "multiple statements found while compiling a single statement");
    assert_int_equal(console("for i in x:\nprint(i)"), PARSE_ERROR);
    assert_int_equal(tsr_err_kind(), ERR_IndentationError);
    assert_int_equal(console("foo(1 2"), PARSE_ERROR);
    assert_string_equal(tsr_err_msg(), "'(' was never closed");
    /* an empty module for blank input */
    Node *m = NULL;
    assert_int_equal(parse_console("# c\n", 4, &m), PARSE_OK);
    assert_int_equal(m->kind, N_MODULE);
    assert_int_equal(m->body.len, 0);
    ast_free(m);
}

/* Feeds `text` line by line as code.InteractiveConsole does (a buffer reset
 * after each complete or failed statement; a leading blank line is
 * skipped) and returns the statuses: O(k), I(ncomplete), E(rror), -(skip). */
static const char *console_session(const char *text) {
    static char out[256];
    char buf[4096];
    size_t blen = 0, n = 0;
    int lines = 0;
    const char *line = text;
    out[0] = 0;
    while (*line) {
        const char *nl = strchr(line, '\n');
        size_t ll = nl ? (size_t)(nl - line) : strlen(line);
        bool blank = true;
        for (size_t k = 0; k < ll; k++)
            if (line[k] != ' ' && line[k] != '\t') blank = false;
        if (lines == 0 && blank) {
            out[n++] = '-';
        } else {
            if (lines) buf[blen++] = '\n';
            memcpy(buf + blen, line, ll);
            blen += ll;
            buf[blen] = 0;
            lines++;
            ParseStatus st = console(buf);
            out[n++] = st == PARSE_OK ? 'O' : st == PARSE_INCOMPLETE ? 'I' : 'E';
            if (st != PARSE_INCOMPLETE) blen = 0, lines = 0;
        }
        out[n] = 0;
        if (!nl) break;
        line = nl + 1;
    }
    return out;
}

static void test_console_sessions(void **state) {
    (void)state;
    /* conformance cases lang_repl_blocks, lang_repl_for_echo,
     * lang_repl_multiline_brackets, lang_repl_error_in_block; expected
     * from the same feeding loop over codeop.compile_command */
    assert_string_equal(console_session("total = 0\n"
                                        "for i in range(4):\n"
                                        "    total += i\n"
                                        "\n"
                                        "total\n"
                                        "if total > 3:\n"
                                        "    print('big')\n"
                                        "else:\n"
                                        "    print('small')\n"
                                        "\n"
                                        "def double(t):\n"
                                        "    return t * 2\n"
                                        "\n"
                                        "double(torch.tensor([1, 2]))\n"
                                        "n = 0\n"
                                        "while n < 3:\n"
                                        "    n += 1\n"
                                        "\n"
                                        "n"),
                        "OIIOOIIIIOIIOOOIIOO");
    assert_string_equal(console_session("for i in range(3):\n"
                                        "    i * 10\n"
                                        "\n"
                                        "for t in torch.tensor([[1, 2], [3, 4]]):\n"
                                        "    t.sum()\n"
                                        "\n"),
                        "IIOIIO");
    assert_string_equal(console_session("m = torch.tensor([[1, 2],\n"
                                        "                  [3, 4]])\n"
                                        "m\n"
                                        "(m\n"
                                        " .sum())\n"
                                        "[1,\n"
                                        " 2]"),
                        "IOOIOIO");
    assert_string_equal(console_session("x = torch.tensor([1., 2.])\n"
                                        "for i in range(3):\n"
                                        "    print(i)\n"
                                        "    x = x * 2\n"
                                        "    if i == 1:\n"
                                        "        x = x @ torch.ones(3)\n"
                                        "\n"
                                        "x"),
                        "OIIIIIOO");
    assert_string_equal(console_session("for i in x:\n    pass\nprint(1)\nprint(2)"), "IIEO");
}

/* Every conformance .tsr parses, except the one that tests a SyntaxError. */
static void test_conformance_files(void **state) {
    (void)state;
    const char *dir = "/work/shared/conformance/cases";
    DIR *d = opendir(dir);
    if (!d) skip();
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".tsr")) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static char src[1 << 20];
        size_t sl = fread(src, 1, sizeof src, f);
        fclose(f);
        Node *m = NULL;
        tsr_err_clear();
        ParseStatus st = parse_program(src, (int64_t)sl, &m);
        bool want_error = !strcmp(e->d_name, "lang_syntax_error_nothing_runs.tsr");
        if ((st == PARSE_OK) == want_error)
            fprintf(stderr, "%s: %s %s\n", e->d_name, tsr_err_name(tsr_err_kind()), tsr_err_msg());
        assert_int_equal(st, want_error ? PARSE_ERROR : PARSE_OK);
        if (want_error) assert_int_equal(tsr_err_kind(), ERR_SyntaxError);
        ast_free(m);
        n++;
    }
    closedir(d);
    assert_true(n > 100);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atoms),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_primaries),
        cmocka_unit_test(test_comprehension_lambda),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_fstrings),
        cmocka_unit_test(test_assignments),
        cmocka_unit_test(test_compound),
        cmocka_unit_test(test_simple_statements),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_indentation_errors),
        cmocka_unit_test(test_unsupported),
        cmocka_unit_test(test_console_rules),
        cmocka_unit_test(test_console_sessions),
        cmocka_unit_test(test_conformance_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
