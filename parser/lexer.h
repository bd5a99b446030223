/* lexer.h: Python 3 source -> tokens, with NEWLINE/INDENT/DEDENT.
 *
 * Tokens are produced on demand (lexer_next), so a parse error early in the
 * input is reported before a lexical error further on. String literals are
 * only delimited here (prefix flags + body span); the parser decodes them,
 * because f-string bodies contain expressions it has to parse. */
#ifndef TSR_LEXER_H
#define TSR_LEXER_H

#include <stdbool.h>
#include <stdint.h>

/* X(ID, spelling): operators (longest first within a prefix is handled by
 * the lexer), then keywords. */
#define TOK_OPS(X)                                                            \
    X(T_DSTAR_EQ, "**=") X(T_DSLASH_EQ, "//=") X(T_LSHIFT_EQ, "<<=")          \
    X(T_RSHIFT_EQ, ">>=") X(T_ELLIPSIS, "...")                                \
    X(T_PLUS_EQ, "+=") X(T_MINUS_EQ, "-=") X(T_STAR_EQ, "*=")                 \
    X(T_SLASH_EQ, "/=") X(T_PERCENT_EQ, "%=") X(T_AT_EQ, "@=")                \
    X(T_AMP_EQ, "&=") X(T_PIPE_EQ, "|=") X(T_CARET_EQ, "^=")                  \
    X(T_DSTAR, "**") X(T_DSLASH, "//") X(T_LSHIFT, "<<") X(T_RSHIFT, ">>")    \
    X(T_LE, "<=") X(T_GE, ">=") X(T_EQEQ, "==") X(T_NE, "!=")                 \
    X(T_ARROW, "->") X(T_WALRUS, ":=")                                        \
    X(T_PLUS, "+") X(T_MINUS, "-") X(T_STAR, "*") X(T_SLASH, "/")             \
    X(T_PERCENT, "%") X(T_AT, "@") X(T_AMP, "&") X(T_PIPE, "|")               \
    X(T_CARET, "^") X(T_TILDE, "~") X(T_LT, "<") X(T_GT, ">")                 \
    X(T_EQ, "=") X(T_DOT, ".") X(T_COMMA, ",") X(T_COLON, ":")                \
    X(T_SEMI, ";") X(T_LPAR, "(") X(T_RPAR, ")") X(T_LSQB, "[")               \
    X(T_RSQB, "]") X(T_LBRACE, "{") X(T_RBRACE, "}")

#define TOK_KEYWORDS(X)                                                       \
    X(K_FALSE, "False") X(K_NONE, "None") X(K_TRUE, "True") X(K_AND, "and")   \
    X(K_AS, "as") X(K_ASSERT, "assert") X(K_BREAK, "break")                   \
    X(K_CLASS, "class") X(K_CONTINUE, "continue") X(K_DEF, "def")             \
    X(K_DEL, "del") X(K_ELIF, "elif") X(K_ELSE, "else") X(K_EXCEPT, "except") \
    X(K_FINALLY, "finally") X(K_FOR, "for") X(K_FROM, "from")                 \
    X(K_GLOBAL, "global") X(K_IF, "if") X(K_IMPORT, "import") X(K_IN, "in")   \
    X(K_IS, "is") X(K_LAMBDA, "lambda") X(K_NONLOCAL, "nonlocal")             \
    X(K_NOT, "not") X(K_OR, "or") X(K_PASS, "pass") X(K_RAISE, "raise")       \
    X(K_RETURN, "return") X(K_TRY, "try") X(K_WHILE, "while")                 \
    X(K_WITH, "with") X(K_YIELD, "yield") X(K_ASYNC, "async")                 \
    X(K_AWAIT, "await")

typedef enum {
    T_EOF, T_NEWLINE, T_INDENT, T_DEDENT, T_NAME, T_INT, T_FLOAT, T_IMAG, T_STRING,
#define X(id, s) id,
    TOK_OPS(X) TOK_KEYWORDS(X)
#undef X
    T_COUNT
} TokKind;

/* STRING prefix flags */
enum { STR_RAW = 1, STR_F = 2, STR_BYTES = 4 };

typedef struct {
    TokKind kind;
    int64_t start, end;       /* byte span in the source */
    int line, col, end_line, end_col;
    int64_t ival;             /* T_INT (see int_min) */
    bool int_min;             /* T_INT literal 9223372036854775808: only valid under unary minus */
    double fval;              /* T_FLOAT, T_IMAG (the imaginary part) */
    int str_flags;            /* T_STRING: STR_* */
    int64_t body_start, body_end; /* T_STRING: between the quotes */
    int body_line, body_col;  /* T_STRING: position of body_start */
} Token;

#define LEX_MAX_INDENT 100
#define LEX_MAX_PARENS 200

typedef struct {
    const char *src;
    int64_t pos, end;
    int line;
    int64_t line_start;       /* offset of the current line's first byte */
    int indents[LEX_MAX_INDENT];
    int alt_indents[LEX_MAX_INDENT]; /* with tabs as 1 column: tab/space mixes that disagree are errors */
    int n_indents;
    int pending_dedents;
    bool at_line_start;
    bool emitted_content;     /* a token other than NEWLINE was emitted since the last NEWLINE */
    bool done;                /* T_EOF emitted */
    char parens[LEX_MAX_PARENS];
    int paren_line[LEX_MAX_PARENS], paren_col[LEX_MAX_PARENS];
    int n_parens;
    int base_parens;          /* >0 for f-string sub-lexers: newlines are ignored */
    /* set with the error when the input ended inside an open construct
     * (bracket, triple-quoted string, backslash continuation) */
    bool incomplete;
} Lexer;

void lexer_init(Lexer *lx, const char *src, int64_t len);
/* A lexer over src[start, end) as the inside of brackets (f-string fields). */
void lexer_init_sub(Lexer *lx, const char *src, int64_t start, int64_t end, int line, int col);
/* false: SyntaxError/IndentationError raised with its position. */
bool lexer_next(Lexer *lx, Token *t);
const char *tok_name(TokKind k); /* "'+'", "NAME", "'def'" */

#endif
