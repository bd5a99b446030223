/* parser.h: source text -> AST (ast.h). */
#ifndef TSR_PARSER_H
#define TSR_PARSER_H

#include <stdint.h>

#include "ast.h"

typedef enum {
    PARSE_OK,         /* *out is an N_MODULE node (caller frees with ast_free) */
    PARSE_ERROR,      /* SyntaxError/IndentationError raised (error.h), with
                         tsr_err_set_pos() at the offending token */
    PARSE_INCOMPLETE  /* input ended inside an open construct */
} ParseStatus;

/* A whole program (script or -c): Python's compile(src, file, 'exec').
 * Input ending inside brackets/strings is an error here, as in Python
 * ("'(' was never closed"). */
ParseStatus parse_program(const char *src, int64_t len, Node **out);

/* Interactive console input: `src` is the lines typed so far, joined with
 * '\n' (no trailing newline). Follows code.InteractiveConsole: INCOMPLETE
 * while brackets, triple-quoted strings or a backslash continuation are
 * open, and while a compound statement has not been ended by an empty
 * last line (a whitespace-only line does not end it, as in Python). A top-level statement right after
 * an indented block without a blank line is a SyntaxError. */
ParseStatus parse_console(const char *src, int64_t len, Node **out);

#endif
