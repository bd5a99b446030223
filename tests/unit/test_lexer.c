/* test_lexer.c: tokens, indentation and lexical errors (expected values
 * from CPython 3.11's tokenizer / compile()). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "lexer.h"

/* Token kinds of `src`, space separated ("NAME '=' INT NEWLINE"), ending
 * before EOF; or "ERR" after the tokens when the lexer fails. */
static const char *kinds(const char *src) {
    static char out[4096];
    Lexer lx;
    Token t;
    lexer_init(&lx, src, (int64_t)strlen(src));
    out[0] = 0;
    tsr_err_clear();
    for (int i = 0; i < 500; i++) {
        if (!lexer_next(&lx, &t)) {
            strcat(out, out[0] ? " ERR" : "ERR");
            return out;
        }
        if (t.kind == T_EOF) break;
        if (out[0]) strcat(out, " ");
        strcat(out, tok_name(t.kind));
    }
    return out;
}

/* the i-th token of src */
static Token nth(const char *src, int i) {
    Lexer lx;
    Token t;
    memset(&t, 0, sizeof t);
    lexer_init(&lx, src, (int64_t)strlen(src));
    for (int k = 0; k <= i; k++) assert_true(lexer_next(&lx, &t));
    return t;
}

static void lex_error(const char *src, ErrKind kind, const char *msg, int line, int col, bool incomplete) {
    Lexer lx;
    Token t;
    lexer_init(&lx, src, (int64_t)strlen(src));
    tsr_err_clear();
    bool ok = true;
    for (int i = 0; i < 500 && ok; i++) {
        ok = lexer_next(&lx, &t);
        if (ok && t.kind == T_EOF) break;
    }
    assert_false(ok);
    assert_int_equal(tsr_err_kind(), kind);
    assert_string_equal(tsr_err_msg(), msg);
    int l, c, el, ec;
    tsr_err_get_pos(&l, &c, &el, &ec);
    assert_int_equal(l, line);
    assert_int_equal(c, col);
    assert_int_equal(lx.incomplete, incomplete);
}

static void test_simple_tokens(void **state) {
    (void)state;
    assert_string_equal(kinds("x = 1 + 2.5"), "NAME '=' INT '+' FLOAT NEWLINE");
    assert_string_equal(kinds("x = 1\n"), "NAME '=' INT NEWLINE");
    assert_string_equal(kinds(""), "");
    assert_string_equal(kinds("\n\n# only a comment\n   \n"), "");
    assert_string_equal(kinds("a.b(c)[d]"), "NAME '.' NAME '(' NAME ')' '[' NAME ']' NEWLINE");
}

static void test_operators_longest_match(void **state) {
    (void)state;
    assert_string_equal(kinds("a **= b //= c <<= d >>= e"), "NAME '**=' NAME '//=' NAME '<<=' NAME '>>=' NAME NEWLINE");
    assert_string_equal(kinds("a ** b // c << d >> e"), "NAME '**' NAME '//' NAME '<<' NAME '>>' NAME NEWLINE");
    assert_string_equal(kinds("+= -= *= /= %= @= &= |= ^="),
                        "'+=' '-=' '*=' '/=' '%=' '@=' '&=' '|=' '^=' NEWLINE");
    assert_string_equal(kinds("< > <= >= == != -> ..."), "'<' '>' '<=' '>=' '==' '!=' '->' '...' NEWLINE");
    assert_string_equal(kinds("~ & | ^ @ % ; : , {}"), "'~' '&' '|' '^' '@' '%' ';' ':' ',' '{' '}' NEWLINE");
}

static void test_keywords(void **state) {
    (void)state;
    assert_string_equal(kinds("if x and not y or None is True in False"),
                        "'if' NAME 'and' 'not' NAME 'or' 'None' 'is' 'True' 'in' 'False' NEWLINE");
    assert_string_equal(kinds("lambda nonlocal global del with as assert"),
                        "'lambda' 'nonlocal' 'global' 'del' 'with' 'as' 'assert' NEWLINE");
    assert_string_equal(kinds("iffy classy _x x1"), "NAME NAME NAME NAME NEWLINE");
}

static void test_indentation(void **state) {
    (void)state;
    assert_string_equal(kinds("if x:\n    y\n    z\nw\n"),
                        "'if' NAME ':' NEWLINE INDENT NAME NEWLINE NAME NEWLINE DEDENT NAME NEWLINE");
    /* two dedents at once, and at end of input */
    assert_string_equal(kinds("if a:\n  if b:\n    c\nd"),
                        "'if' NAME ':' NEWLINE INDENT 'if' NAME ':' NEWLINE INDENT NAME NEWLINE DEDENT DEDENT "
                        "NAME NEWLINE");
    assert_string_equal(kinds("if a:\n  b"), "'if' NAME ':' NEWLINE INDENT NAME NEWLINE DEDENT");
    /* blank and comment lines do not count */
    assert_string_equal(kinds("if a:\n\n  # c\n        # deeper comment\n  b\n"),
                        "'if' NAME ':' NEWLINE INDENT NAME NEWLINE DEDENT");
    /* a tab is 8 columns: tab and 8 spaces are the same level */
    assert_string_equal(kinds("if a:\n\tb\n\tc\n"), "'if' NAME ':' NEWLINE INDENT NAME NEWLINE NAME NEWLINE DEDENT");
}

static void test_implicit_and_explicit_joining(void **state) {
    (void)state;
    assert_string_equal(kinds("x = (1,\n     2)\n"), "NAME '=' '(' INT ',' INT ')' NEWLINE");
    assert_string_equal(kinds("x = [1,\n\n  # c\n2]\n"), "NAME '=' '[' INT ',' INT ']' NEWLINE");
    assert_string_equal(kinds("x = 1 + \\\n    2\n"), "NAME '=' INT '+' INT NEWLINE");
    assert_string_equal(kinds("x = {\n}\n"), "NAME '=' '{' '}' NEWLINE");
}

static void test_numbers(void **state) {
    (void)state;
    assert_int_equal(nth("0x1F", 0).ival, 31);
    assert_int_equal(nth("0o17", 0).ival, 15);
    assert_int_equal(nth("0b101", 0).ival, 5);
    assert_int_equal(nth("1_000_000", 0).ival, 1000000);
    assert_int_equal(nth("0xff_ff", 0).ival, 65535);
    assert_int_equal(nth("000", 0).ival, 0);
    assert_int_equal(nth("9223372036854775807", 0).ival, INT64_MAX);
    Token t = nth("9223372036854775808", 0);
    assert_true(t.int_min);
    assert_int_equal(nth("1.", 0).kind, T_FLOAT);
    assert_true(nth("1.", 0).fval == 1.0);
    assert_true(nth(".5", 0).fval == 0.5);
    assert_true(nth("1e-3", 0).fval == 1e-3);
    assert_true(nth("1_000.5", 0).fval == 1000.5);
    assert_true(nth("2E+2", 0).fval == 200.0);
    assert_int_equal(nth("1.5e3", 0).kind, T_FLOAT);
    Token im = nth("0123_4.5e1j", 0);
    assert_int_equal(im.kind, T_IMAG);
    assert_true(im.fval == 12345.0);
    /* `1 .real`-style: a dot after an int with a name is an attribute */
    assert_string_equal(kinds("x.y"), "NAME '.' NAME NEWLINE");
}

static void test_number_errors(void **state) {
    (void)state;
    lex_error("x = 0123", ERR_SyntaxError,
              "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1,
              4, false);
    lex_error("x = 1_", ERR_SyntaxError, "invalid decimal literal", 1, 4, false);
    lex_error("x = 0x", ERR_SyntaxError, "invalid hexadecimal literal", 1, 4, false);
    lex_error("x = 0b102", ERR_SyntaxError, "invalid binary literal", 1, 4, false);
    lex_error("x = 12abc", ERR_SyntaxError, "invalid decimal literal", 1, 4, false);
    lex_error("x = 99999999999999999999", ERR_SyntaxError, "integer literal too large: tsr integers are 64-bit",
              1, 4, false);
    lex_error("x = 2jk", ERR_SyntaxError, "invalid imaginary literal", 1, 4, false);
}

static void test_strings(void **state) {
    (void)state;
    Token t = nth("s = 'ab\\'c'", 2);
    assert_int_equal(t.kind, T_STRING);
    assert_int_equal(t.body_end - t.body_start, 5);
    assert_int_equal(t.str_flags, 0);
    t = nth("rb'x'", 0);
    assert_int_equal(t.str_flags, STR_RAW | STR_BYTES);
    t = nth("F'x'", 0);
    assert_int_equal(t.str_flags, STR_F);
    t = nth("Rf\"x\"", 0);
    assert_int_equal(t.str_flags, STR_RAW | STR_F);
    t = nth("'''a\nb'''", 0);
    assert_int_equal(t.end_line, 2);
    assert_int_equal(t.body_end - t.body_start, 3);
    /* a name that looks like a prefix is still a name */
    assert_string_equal(kinds("rf + fr + br + u"), "NAME '+' NAME '+' NAME '+' NAME NEWLINE");
    assert_string_equal(kinds("'a' \"b\" '''c''' \"\"\"d\"\"\""), "STRING STRING STRING STRING NEWLINE");
    assert_string_equal(kinds("'a\\\nb'"), "STRING NEWLINE"); /* backslash-newline inside a string */
    assert_string_equal(kinds("f'{x!r}' 'y'"), "STRING STRING NEWLINE");
}

static void test_positions(void **state) {
    (void)state;
    Token t = nth("x = foo(1)\nyy = 22", 6);
    assert_int_equal(t.kind, T_NEWLINE);
    assert_int_equal(t.col, 10);
    t = nth("x = foo(1)\nyy = 22", 7);
    assert_int_equal(t.kind, T_NAME);
    assert_int_equal(t.line, 2);
    assert_int_equal(t.col, 0);
    assert_int_equal(t.end_col, 2);
    t = nth("x = foo(1)\nyy = 22", 9);
    assert_int_equal(t.ival, 22);
    assert_int_equal(t.col, 5);
    assert_int_equal(t.end_col, 7);
    t = nth("a = (1,\n  bcd)", 5);
    assert_int_equal(t.line, 2);
    assert_int_equal(t.col, 2);
}

static void test_lexical_errors(void **state) {
    (void)state;
    lex_error("s = 'abc", ERR_SyntaxError, "unterminated string literal (detected at line 1)", 1, 4, false);
    lex_error("x = 1\ns = \"abc\nt = 2", ERR_SyntaxError, "unterminated string literal (detected at line 2)", 2, 4,
              false);
    lex_error("s = '''abc\ndef", ERR_SyntaxError, "unterminated triple-quoted string literal (detected at line 2)",
              1, 4, true);
    lex_error("x = (1,\n2", ERR_SyntaxError, "'(' was never closed", 1, 4, true);
    lex_error("x = [(1)", ERR_SyntaxError, "'[' was never closed", 1, 4, true);
    lex_error("x = 1)", ERR_SyntaxError, "unmatched ')'", 1, 5, false);
    lex_error("x = (1]", ERR_SyntaxError, "closing parenthesis ']' does not match opening parenthesis '('", 1, 6,
              false);
    lex_error("x = 1 + \\", ERR_SyntaxError, "unexpected EOF while parsing", 1, 8, true);
    lex_error("x = 1 \\ y", ERR_SyntaxError, "unexpected character after line continuation character", 1, 7,
              false);
    lex_error("if x:\n    y\n  z", ERR_IndentationError, "unindent does not match any outer indentation level", 3,
              2, false);
    lex_error("if x:\n\ty\n        z\n", ERR_IndentationError, "inconsistent use of tabs and spaces in indentation",
              3, 0, false);
    lex_error("x = $", ERR_SyntaxError, "invalid syntax", 1, 4, false);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_tokens),
        cmocka_unit_test(test_operators_longest_match),
        cmocka_unit_test(test_keywords),
        cmocka_unit_test(test_indentation),
        cmocka_unit_test(test_implicit_and_explicit_joining),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_number_errors),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_lexical_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
