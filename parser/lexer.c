/* lexer.c: tokens for parser.c; indentation as CPython's tokenizer does it. */
#include "lexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static const struct {
    TokKind kind;
    const char *s;
} op_table[] = {
#define X(id, s) {id, s},
    TOK_OPS(X)
#undef X
};

static const struct {
    TokKind kind;
    const char *s;
} kw_table[] = {
#define X(id, s) {id, s},
    TOK_KEYWORDS(X)
#undef X
};

const char *tok_name(TokKind k) {
    switch (k) {
    case T_EOF: return "end of input";
    case T_NEWLINE: return "NEWLINE";
    case T_INDENT: return "INDENT";
    case T_DEDENT: return "DEDENT";
    case T_NAME: return "NAME";
    case T_INT: return "INT";
    case T_FLOAT: return "FLOAT";
    case T_IMAG: return "IMAG";
    case T_STRING: return "STRING";
#define X(id, s) \
    case id: return "'" s "'";
        TOK_OPS(X) TOK_KEYWORDS(X)
#undef X
    default: return "?";
    }
}

void lexer_init(Lexer *lx, const char *src, int64_t len) {
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->end = len;
    lx->line = 1;
    lx->n_indents = 1; /* indents[0] = 0 */
    lx->at_line_start = true;
}

void lexer_init_sub(Lexer *lx, const char *src, int64_t start, int64_t end, int line, int col) {
    lexer_init(lx, src, end);
    lx->pos = start;
    lx->line = line;
    lx->line_start = start - col;
    lx->at_line_start = false;
    lx->base_parens = 1;
}

static int cur(const Lexer *lx) { return lx->pos < lx->end ? (unsigned char)lx->src[lx->pos] : -1; }
static int peek(const Lexer *lx, int k) {
    return lx->pos + k < lx->end ? (unsigned char)lx->src[lx->pos + k] : -1;
}
static int col_of(const Lexer *lx, int64_t pos) { return (int)(pos - lx->line_start); }

/* Consumes a line break at pos (\n, \r\n or \r); true if there was one. */
static bool eat_newline(Lexer *lx) {
    int c = cur(lx);
    if (c == '\r') {
        lx->pos++;
        if (cur(lx) == '\n') lx->pos++;
    } else if (c == '\n') {
        lx->pos++;
    } else {
        return false;
    }
    lx->line++;
    lx->line_start = lx->pos;
    return true;
}

static bool fail_at(ErrKind kind, int line, int col, int end_line, int end_col, const char *msg) {
    tsr_raise(kind, "%s", msg);
    tsr_err_set_pos(line, col, end_line, end_col);
    return false;
}

static void begin(Lexer *lx, Token *t, TokKind kind) {
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->start = lx->pos;
    t->line = lx->line;
    t->col = col_of(lx, lx->pos);
}

static bool finish(Lexer *lx, Token *t) {
    t->end = lx->pos;
    t->end_line = lx->line;
    t->end_col = col_of(lx, lx->pos);
    if (t->kind != T_NEWLINE && t->kind != T_INDENT && t->kind != T_DEDENT) lx->emitted_content = true;
    return true;
}

static bool is_id_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }
static bool is_id_char(int c) { return is_id_start(c) || (c >= '0' && c <= '9'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static int digit_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return 99;
}

static bool number_error(Lexer *lx, Token *t, const char *msg) {
    return fail_at(ERR_SyntaxError, t->line, t->col, lx->line, col_of(lx, lx->pos), msg);
}

/* Digits of `base` with single underscores between them, accumulated into
 * *v (saturating at 2^63 + 1 with *over set). Returns the digit count. */
static int scan_digits(Lexer *lx, int base, uint64_t *v, bool *over, bool *bad_underscore) {
    int n = 0;
    for (;;) {
        int c = cur(lx);
        if (c == '_') {
            if (n == 0 || digit_value(peek(lx, 1)) >= base) {
                *bad_underscore = true;
                return n;
            }
            lx->pos++;
            continue;
        }
        int d = digit_value(c);
        if (d >= base) return n;
        if (*v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) *over = true;
        else *v = *v * (uint64_t)base + (uint64_t)d;
        lx->pos++;
        n++;
    }
}

static bool lex_number(Lexer *lx, Token *t) {
    begin(lx, t, T_INT);
    uint64_t v = 0;
    bool over = false, bad_us = false;
    int c = cur(lx), c1 = peek(lx, 1);
    if (c == '0' && (c1 == 'x' || c1 == 'X' || c1 == 'o' || c1 == 'O' || c1 == 'b' || c1 == 'B')) {
        int base = (c1 == 'x' || c1 == 'X') ? 16 : (c1 == 'o' || c1 == 'O') ? 8 : 2;
        lx->pos += 2;
        if (cur(lx) == '_') lx->pos++;
        int n = scan_digits(lx, base, &v, &over, &bad_us);
        if (n == 0 || bad_us || is_id_char(cur(lx)) || is_digit(cur(lx))) {
            const char *what = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
            char msg[64];
            snprintf(msg, sizeof msg, "invalid %s literal", what);
            return number_error(lx, t, msg);
        }
    } else {
        bool is_float = false;
        int64_t digits_start = lx->pos;
        if (c != '.') scan_digits(lx, 10, &v, &over, &bad_us);
        if (bad_us) return number_error(lx, t, "invalid decimal literal");
        if (cur(lx) == '.') {
            is_float = true;
            lx->pos++;
            uint64_t dummy = 0;
            bool o2 = false;
            if (is_digit(cur(lx))) scan_digits(lx, 10, &dummy, &o2, &bad_us);
            if (bad_us) return number_error(lx, t, "invalid decimal literal");
        }
        if (cur(lx) == 'e' || cur(lx) == 'E') {
            int k = 1;
            if (peek(lx, 1) == '+' || peek(lx, 1) == '-') k = 2;
            if (is_digit(peek(lx, k))) {
                is_float = true;
                lx->pos += k;
                uint64_t dummy = 0;
                bool o2 = false;
                scan_digits(lx, 10, &dummy, &o2, &bad_us);
                if (bad_us) return number_error(lx, t, "invalid decimal literal");
            } else {
                lx->pos++;
                return number_error(lx, t, "invalid decimal literal");
            }
        }
        bool imag = cur(lx) == 'j' || cur(lx) == 'J';
        if (imag) lx->pos++;
        if (is_id_start(cur(lx))) {
            lx->pos++;
            return number_error(lx, t, imag ? "invalid imaginary literal" : "invalid decimal literal");
        }
        if (is_float || imag) { /* "0123j" is valid: an imaginary literal is a float's digits */
            t->kind = imag ? T_IMAG : T_FLOAT;
            char buf[512];
            int64_t n = 0;
            for (int64_t i = digits_start; i < lx->pos - imag && n < (int64_t)sizeof buf - 1; i++)
                if (lx->src[i] != '_') buf[n++] = lx->src[i];
            buf[n] = 0;
            t->fval = strtod(buf, NULL);
            return finish(lx, t);
        }
        /* "0123" is not a Python literal; "000" is */
        if (lx->src[digits_start] == '0' && v != 0)
            return number_error(lx, t,
                                "leading zeros in decimal integer literals are not permitted; "
                                "use an 0o prefix for octal integers");
    }
    if (over || v > (uint64_t)INT64_MAX + 1)
        return number_error(lx, t, "integer literal too large: tsr integers are 64-bit");
    if (v == (uint64_t)INT64_MAX + 1) {
        t->int_min = true;
        t->ival = INT64_MIN;
    } else {
        t->ival = (int64_t)v;
    }
    return finish(lx, t);
}

/* At the opening quote (after any prefix, whose flags are in t). */
static bool lex_string(Lexer *lx, Token *t) {
    char q = (char)cur(lx);
    bool triple = peek(lx, 1) == q && peek(lx, 2) == q;
    lx->pos += triple ? 3 : 1;
    t->body_start = lx->pos;
    t->body_line = lx->line;
    t->body_col = col_of(lx, lx->pos);
    for (;;) {
        int c = cur(lx);
        if (c < 0) {
            /* CPython names the line of the input's last character: a
             * final newline does not start another line */
            int at = lx->line;
            if (at > t->line && lx->pos > 0 && (lx->src[lx->pos - 1] == '\n' || lx->src[lx->pos - 1] == '\r')) at--;
            char msg[96];
            snprintf(msg, sizeof msg, "unterminated %sstring literal (detected at line %d)",
                     triple ? "triple-quoted " : "", at);
            if (triple) lx->incomplete = true;
            return fail_at(ERR_SyntaxError, t->line, t->col, t->line, t->col + 1, msg);
        }
        if (c == '\\') {
            lx->pos++;
            if (!eat_newline(lx) && cur(lx) >= 0) lx->pos++;
            continue;
        }
        if (c == '\n' || c == '\r') {
            if (!triple) {
                char msg[96];
                snprintf(msg, sizeof msg, "unterminated string literal (detected at line %d)", lx->line);
                return fail_at(ERR_SyntaxError, t->line, t->col, t->line, t->col + 1, msg);
            }
            eat_newline(lx);
            continue;
        }
        if (c == q && (!triple || (peek(lx, 1) == q && peek(lx, 2) == q))) {
            t->body_end = lx->pos;
            lx->pos += triple ? 3 : 1;
            return finish(lx, t);
        }
        lx->pos++;
    }
}

static bool lex_name_or_string(Lexer *lx, Token *t) {
    begin(lx, t, T_NAME);
    int64_t s = lx->pos;
    while (is_id_char(cur(lx))) lx->pos++;
    int64_t n = lx->pos - s;
    if (n <= 2 && (cur(lx) == '\'' || cur(lx) == '"')) {
        int flags = 0;
        bool ok = true;
        for (int64_t i = 0; i < n; i++) {
            int f = 0;
            switch (lx->src[s + i]) {
            case 'r': case 'R': f = STR_RAW; break;
            case 'f': case 'F': f = STR_F; break;
            case 'b': case 'B': f = STR_BYTES; break;
            case 'u': case 'U': f = n == 1 ? 0 : -1; break;
            default: f = -1;
            }
            if (f < 0 || (flags & f)) ok = false;
            else flags |= f;
        }
        if ((flags & STR_F) && (flags & STR_BYTES)) ok = false;
        if (ok) {
            t->kind = T_STRING;
            t->str_flags = flags;
            return lex_string(lx, t);
        }
    }
    for (size_t i = 0; i < sizeof kw_table / sizeof kw_table[0]; i++)
        if ((int64_t)strlen(kw_table[i].s) == n && !memcmp(kw_table[i].s, lx->src + s, (size_t)n)) {
            t->kind = kw_table[i].kind;
            break;
        }
    return finish(lx, t);
}

static const char *const openers = "([{";
static const char *const closers = ")]}";

static bool lex_op(Lexer *lx, Token *t) {
    begin(lx, t, T_EOF);
    for (size_t i = 0; i < sizeof op_table / sizeof op_table[0]; i++) {
        size_t n = strlen(op_table[i].s);
        if (lx->pos + (int64_t)n <= lx->end && !memcmp(op_table[i].s, lx->src + lx->pos, n)) {
            t->kind = op_table[i].kind;
            lx->pos += (int64_t)n;
            break;
        }
    }
    if (t->kind == T_EOF) {
        char msg[64];
        int c = cur(lx);
        if (c >= 0x20 && c < 0x7f) snprintf(msg, sizeof msg, "invalid character '%c'", c);
        else snprintf(msg, sizeof msg, "invalid non-printable character 0x%02X", c);
        if (c == '!' || c == '$' || c == '?' || c == '`') snprintf(msg, sizeof msg, "invalid syntax");
        return fail_at(ERR_SyntaxError, t->line, t->col, t->line, t->col + 1, msg);
    }
    char ch = lx->src[t->start];
    if (lx->pos - t->start == 1 && strchr(openers, ch)) {
        if (lx->n_parens >= LEX_MAX_PARENS)
            return fail_at(ERR_SyntaxError, t->line, t->col, t->line, t->col + 1, "too many nested parentheses");
        lx->parens[lx->n_parens] = ch;
        lx->paren_line[lx->n_parens] = t->line;
        lx->paren_col[lx->n_parens] = t->col;
        lx->n_parens++;
    } else if (lx->pos - t->start == 1 && strchr(closers, ch)) {
        char msg[128];
        if (lx->n_parens == 0) {
            snprintf(msg, sizeof msg, "unmatched '%c'", ch);
            return fail_at(ERR_SyntaxError, t->line, t->col, t->line, t->col + 1, msg);
        }
        char open = lx->parens[lx->n_parens - 1];
        if (strchr(openers, open) - openers != strchr(closers, ch) - closers) {
            if (lx->paren_line[lx->n_parens - 1] != t->line)
                snprintf(msg, sizeof msg,
                         "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", ch,
                         open, lx->paren_line[lx->n_parens - 1]);
            else
                snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match opening parenthesis '%c'",
                         ch, open);
            return fail_at(ERR_SyntaxError, t->line, t->col, t->line, t->col + 1, msg);
        }
        lx->n_parens--;
    }
    return finish(lx, t);
}

/* At the start of a logical line outside brackets: measures the indentation
 * and queues INDENT/DEDENT. Returns 1 with a token in t, 0 when the line was
 * blank (skipped) or no token is due, -1 on error. */
static int lex_indent(Lexer *lx, Token *t) {
    int col = 0, alt = 0;
    int64_t p = lx->pos;
    for (; p < lx->end; p++) {
        char c = lx->src[p];
        if (c == ' ') {
            col++;
            alt++;
        } else if (c == '\t') {
            col = (col / 8 + 1) * 8;
            alt++;
        } else if (c == '\f') {
            col = alt = 0;
        } else {
            break;
        }
    }
    lx->pos = p;
    int c = cur(lx);
    if (c < 0) return 0; /* end of input: handled by the caller */
    if (c == '#' || c == '\n' || c == '\r') { /* blank or comment-only line */
        while (cur(lx) >= 0 && cur(lx) != '\n' && cur(lx) != '\r') lx->pos++;
        eat_newline(lx);
        return 0;
    }
    if (c == '\\' && (peek(lx, 1) == '\n' || peek(lx, 1) == '\r' || peek(lx, 1) < 0)) {
        lx->at_line_start = false; /* a continued line keeps the current indentation */
        return 0;
    }
    lx->at_line_start = false;
    int top = lx->indents[lx->n_indents - 1];
    int alt_top = lx->alt_indents[lx->n_indents - 1];
    if ((col == top) != (alt == alt_top) || (col > top) != (alt > alt_top)) {
        /* CPython raises TabError, a subclass of IndentationError */
        fail_at(ERR_IndentationError, lx->line, 0, lx->line, col_of(lx, p),
                "inconsistent use of tabs and spaces in indentation");
        return -1;
    }
    if (col > top) {
        if (lx->n_indents >= LEX_MAX_INDENT) {
            fail_at(ERR_IndentationError, lx->line, 0, lx->line, col_of(lx, p), "too many levels of indentation");
            return -1;
        }
        lx->alt_indents[lx->n_indents] = alt;
        lx->indents[lx->n_indents++] = col;
        begin(lx, t, T_INDENT);
        t->col = 0;
        t->start = lx->line_start;
        finish(lx, t);
        return 1;
    }
    if (col < top) {
        int n = 0;
        while (lx->n_indents > 1 && lx->indents[lx->n_indents - 1] > col) {
            lx->n_indents--;
            n++;
        }
        if (lx->indents[lx->n_indents - 1] != col || lx->alt_indents[lx->n_indents - 1] != alt) {
            fail_at(ERR_IndentationError, lx->line, col_of(lx, p), lx->line, col_of(lx, p) + 1,
                    "unindent does not match any outer indentation level");
            return -1;
        }
        lx->pending_dedents = n - 1;
        begin(lx, t, T_DEDENT);
        finish(lx, t);
        return 1;
    }
    return 0;
}

bool lexer_next(Lexer *lx, Token *t) {
    if (lx->pending_dedents > 0) {
        lx->pending_dedents--;
        begin(lx, t, T_DEDENT);
        return finish(lx, t);
    }
    if (lx->done) {
        begin(lx, t, T_EOF);
        return finish(lx, t);
    }
    for (;;) {
        bool in_brackets = lx->n_parens > 0 || lx->base_parens > 0;
        if (lx->at_line_start && !in_brackets) {
            int r = lex_indent(lx, t);
            if (r < 0) return false;
            if (r > 0) return true;
            if (lx->at_line_start && cur(lx) >= 0) continue; /* blank line skipped */
        }
        int c = cur(lx);
        if (c == ' ' || c == '\t' || c == '\f') {
            lx->pos++;
            continue;
        }
        if (c == '#') {
            while (cur(lx) >= 0 && cur(lx) != '\n' && cur(lx) != '\r') lx->pos++;
            continue;
        }
        if (c == '\\') {
            int line = lx->line, col = col_of(lx, lx->pos);
            lx->pos++;
            if (eat_newline(lx)) {
                if (cur(lx) < 0 && !in_brackets) {
                    lx->incomplete = true;
                    return fail_at(ERR_SyntaxError, lx->line, 0, lx->line, 0, "unexpected EOF while parsing");
                }
                continue;
            }
            if (cur(lx) < 0) {
                lx->incomplete = true;
                return fail_at(ERR_SyntaxError, line, col, line, col + 1, "unexpected EOF while parsing");
            }
            return fail_at(ERR_SyntaxError, line, col + 1, line, col + 2,
                           "unexpected character after line continuation character");
        }
        if (c == '\n' || c == '\r') {
            if (in_brackets) {
                eat_newline(lx);
                continue;
            }
            begin(lx, t, T_NEWLINE);
            eat_newline(lx);
            t->end = lx->pos;
            t->end_line = t->line;
            t->end_col = t->col + 1;
            lx->at_line_start = true;
            lx->emitted_content = false;
            return true;
        }
        if (c < 0) {
            if (lx->base_parens) {
                begin(lx, t, T_EOF);
                return finish(lx, t);
            }
            if (lx->n_parens > 0) {
                char msg[64];
                int k = lx->n_parens - 1;
                snprintf(msg, sizeof msg, "'%c' was never closed", lx->parens[k]);
                lx->incomplete = true;
                return fail_at(ERR_SyntaxError, lx->paren_line[k], lx->paren_col[k], lx->paren_line[k],
                               lx->paren_col[k] + 1, msg);
            }
            if (!lx->at_line_start) { /* last line without its line break */
                begin(lx, t, T_NEWLINE);
                lx->at_line_start = true;
                lx->emitted_content = false;
                t->end_line = t->line;
                t->end_col = t->col + 1;
                t->end = lx->pos;
                return true;
            }
            if (lx->n_indents > 1) {
                lx->pending_dedents = lx->n_indents - 2;
                lx->n_indents = 1;
                begin(lx, t, T_DEDENT);
                return finish(lx, t);
            }
            lx->done = true;
            begin(lx, t, T_EOF);
            return finish(lx, t);
        }
        if (is_digit(c) || (c == '.' && is_digit(peek(lx, 1)))) return lex_number(lx, t);
        if (is_id_start(c)) return lex_name_or_string(lx, t);
        if (c == '\'' || c == '"') {
            begin(lx, t, T_STRING);
            return lex_string(lx, t);
        }
        return lex_op(lx, t);
    }
}
