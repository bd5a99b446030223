/* ast.h: the syntax tree the parser builds and the evaluator walks. */
#ifndef TSR_AST_H
#define TSR_AST_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Node Node;
typedef struct {
    Node **items;
    int len, cap;
} NodeList;

/* X(KIND): one per node type. Expression kinds first. */
#define AST_KINDS(X)                                                          \
    /* expressions */                                                         \
    X(INT)       /* ival (Python int literal; overflow past int64 = error) */ \
    X(FLOAT)     /* fval */                                                   \
    X(IMAG)      /* fval: the imaginary part of a complex literal */           \
    X(STR)       /* str, str_len: decoded bytes (UTF-8), adjacent literals joined */ \
    X(BYTES)     /* str, str_len: the bytes of b'...' literals, adjacent ones joined */ \
    X(FSTRING)   /* list: STR and FORMATTED parts, in order */               \
    X(FORMATTED) /* a: expr; conv: 0, 'r', 's' or 'a'; b: spec (FSTRING) or NULL */ \
    X(NAME)      /* name */                                                   \
    X(NONE)                                                                   \
    X(TRUE)                                                                   \
    X(FALSE)                                                                  \
    X(ELLIPSIS)                                                               \
    X(TUPLE)     /* list: elements */                                         \
    X(LIST)      /* list: elements */                                         \
    X(DICT)      /* list: keys; list2: values */                              \
    X(SET)       /* list: elements */                                         \
    X(UNARY)     /* op: UnaryKind; a: operand */                              \
    X(BINARY)    /* op: BinKind; a, b */                                      \
    X(BOOLOP)    /* op: BOOL_AND / BOOL_OR; list: 2+ operands */              \
    X(COMPARE)   /* list: operands (n); ops: n-1 CmpKind values */            \
    X(IFEXP)     /* a: body; b: test; c: orelse  (a if b else c) */           \
    X(CALL)      /* a: callee; list: positional args (STARRED allowed); kwnames[i]/list2: keyword args (a NULL kwnames entry: list2 item is the expression of **kw) */ \
    X(ATTR)      /* a: object; name */                                        \
    X(SUBSCRIPT) /* a: object; b: index (a TUPLE for x[1, 2]) */              \
    X(SLICE)     /* a, b, c: lower, upper, step, each may be NULL */          \
    X(STARRED)   /* a: expr (*a in calls and targets) */                      \
    X(LAMBDA)    /* params; a: body expression */                             \
    X(YIELD)     /* a: value or NULL; op: 1 for `yield from a` */             \
    X(NAMEDEXPR) /* name := b (the walrus): name; b: value */                 \
    X(LISTCOMP)  /* a: element; list: COMP_FOR clauses */                     \
    X(COMP_FOR)  /* a: target; b: iterable; list: if-conditions */            \
    /* statements */                                                          \
    X(EXPR_STMT) /* a: expr */                                                \
    X(ASSIGN)    /* list: targets (a = b = value); b: value */                \
    X(AUGASSIGN) /* a: target; op: BinKind; b: value */                       \
    X(ANNASSIGN) /* a: target; b: value or NULL; c: annotation; op: 1 for a bare name */ \
    X(IF)        /* a: test; body; orelse (elif = an IF inside orelse) */     \
    X(WHILE)     /* a: test; body; orelse */                                  \
    X(FOR)       /* a: target; b: iterable; body; orelse */                   \
    X(BREAK)                                                                  \
    X(CONTINUE)                                                               \
    X(PASS)                                                                   \
    X(RETURN)    /* a: value or NULL */                                       \
    X(DEF)       /* name; params; body; list: decorators; op: DEF_GENERATOR when a yield is in body */ \
    X(WITH)      /* list: context exprs; list2: targets (NULL entries for no `as`); body */ \
    X(ASSERT)    /* a: test; b: message or NULL */                            \
    X(DEL)       /* list: targets */                                          \
    X(GLOBAL)    /* names in list as NAME nodes */                            \
    X(NONLOCAL)  /* names in list as NAME nodes */                            \
    X(IMPORT)    /* name: dotted module; name2: alias or NULL */              \
    X(IMPORT_FROM) /* name: module; list: NAME nodes (name, name2 = alias); star: `*` */ \
    X(RAISE)     /* a: exception expr or NULL; b: cause (raise a from b) or NULL */ \
    X(TRY)       /* body; list: EXCEPT handlers; orelse: else block; list2: finally block */ \
    X(EXCEPT)    /* a: class expr or NULL (bare except); name: `as` name or NULL; body */ \
    X(CLASS)     /* name; list: bases; list2: decorators; body */             \
    X(MODULE)    /* body: the statements of a program or REPL input */

typedef enum {
#define X(k) N_##k,
    AST_KINDS(X)
#undef X
    N_COUNT
} NodeKind;

extern const char *const ast_kind_names[N_COUNT];

typedef enum { U_NEG, U_POS, U_INVERT, U_NOT } UnaryKind;
typedef enum {
    B_ADD, B_SUB, B_MUL, B_DIV, B_FLOORDIV, B_MOD, B_POW, B_MATMUL,
    B_AND, B_OR, B_XOR, B_LSHIFT, B_RSHIFT
} BinKind;
typedef enum { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE, C_IS, C_ISNOT, C_IN, C_NOTIN } CmpKind;
typedef enum { BOOL_AND, BOOL_OR } BoolKind;
#define DEF_GENERATOR 1

/* what a comprehension builds (generator expressions are built eagerly, as lists) */
typedef enum { COMP_LIST, COMP_SET, COMP_DICT, COMP_GEN } CompKind;

/* Function and lambda parameters. Defaults apply to the last n_defaults
 * of the plain parameters. `*args`, keyword-only params and `**kwargs`
 * are parsed so error messages can be precise. */
typedef struct Params {
    int n;                 /* plain positional-or-keyword params */
    int n_posonly;         /* the first n_posonly of them are positional-only (before `/`) */
    char **names;
    int n_defaults;
    Node **defaults;       /* n_defaults expressions, for names[n-n_defaults..] */
    char *star;            /* *args name or NULL */
    int n_kwonly;
    char **kwonly_names;
    Node **kwonly_defaults; /* NULL entry = required */
    char *starstar;        /* **kwargs name or NULL */
    int n_ann;             /* annotated parameters (and the return), in order */
    char **ann_names;      /* the parameter's name, "return" for `-> X` */
    Node **ann_exprs;
} Params;

struct Node {
    NodeKind kind;
    int line, col;         /* 1-based line, 0-based byte column of the start */
    int end_line, end_col; /* end position (exclusive column) */
    int paren_line, paren_col; /* the outermost '(' around it, when parenthesised (else 0):
                                  where a node it starts begins, as in CPython */
    int op;                /* UnaryKind / BinKind / BoolKind / conversion char */
    int64_t ival;
    double fval;
    char *str;             /* STR: decoded bytes */
    int64_t str_len;
    char *name, *name2;
    Node *a, *b, *c;
    NodeList list, list2;
    char **kwnames;        /* CALL: list2.len keyword names */
    int *ops;              /* COMPARE: list.len - 1 CmpKind values */
    bool star;             /* IMPORT_FROM: `from torch import *` */
    Params *params;        /* DEF, LAMBDA */
    NodeList body, orelse;
};

Node *ast_new(NodeKind kind, int line, int col);
bool ast_list_push(NodeList *l, Node *n); /* false (error raised) on OOM */
void ast_free(Node *n);                   /* frees a whole tree, NULL-safe; iterative */
/* The depth of the deepest node under n (n: 0), or a number past limit
 * once one is found; -1 on OOM. Iterative. */
int ast_depth(Node *n, int limit);
/* Debug dump (one node per line, indented) used by the parser tests. */
void ast_dump(const Node *n, int indent, char **buf, int64_t *len, int64_t *cap);

#endif
