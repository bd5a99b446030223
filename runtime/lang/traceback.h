/* traceback.h: the frames an error passed through on its way out, and
 * their report as CPython 3.11's traceback module prints it:
 *
 *   Traceback (most recent call last):
 *     File "t.tsr", line 8, in <module>
 *       z = f(3)
 *           ^^^^
 *     File "t.tsr", line 5, in f
 *       return y / 0
 *              ~~^~~
 *   ZeroDivisionError: division by zero
 *
 * An entry is added each time the error leaves a frame (a function's
 * call, a generator's body, a comprehension, a class body, the module),
 * with the position the evaluator noted in that frame. */
#ifndef TSR_TRACEBACK_H
#define TSR_TRACEBACK_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "value.h"

struct Source;

typedef struct {
    const struct Source *source; /* where the frame's code was read from */
    const Node *node;            /* the failing construct (its kind picks the carets), or NULL */
    char *name;                  /* the code's name: f, <module>, <lambda>, <listcomp>, a class's */
    int line, col, end_line, end_col; /* 1-based lines, 0-based byte columns; line 0: unknown */
    int64_t repeat;              /* this same entry, this many times in a row (recursion) */
} TbEntry;

typedef struct Traceback {
    TbEntry *items; /* the innermost frame first */
    int n, cap;
} Traceback;

/* Adds the entry of the frame outside the ones held (an equal entry
 * counts as a repeat). False on OOM (no error raised: a traceback losing
 * a frame is not worth failing for). */
bool tb_push(Traceback *tb, const TbEntry *e);
void tb_clear(Traceback *tb);
bool tb_copy(Traceback *dst, const Traceback *src);
/* Moves src into dst (dst cleared first); src is left empty. */
void tb_move(Traceback *dst, Traceback *src);

/* Appends `Traceback (most recent call last):` and the frames, the
 * outermost first, with 3.11's carets and its "[Previous line repeated N
 * more times]". Nothing when tb holds no frame to show. */
bool tb_render(StrBuf *b, const Traceback *tb);

/* A syntax error's report as CPython prints it (no frames):
 *   File "NAME", line N / the line / carets (the class line is not written);
 * line counts in src, line_base is added to the number shown */
bool tb_render_syntax(StrBuf *b, const char *src, int64_t len, const char *filename, int line_base, int line, int col,
                      int end_line, int end_col);

/* Whether the frames of code read from a source of this name are shown:
 * tsr's own Python (its torch layers, its standard modules) is not, as
 * CPython shows no frame of a function written in C. */
bool tb_source_shown(const char *filename);

/* What warnings.warn reads of the running code (sys._getframe(level)):
 * the frame `level` calls above the running one (0: the running frame),
 * the name of the file its code was read from, the line of the statement
 * it runs and its module's __name__ (borrowed). False when the stack has
 * fewer frames. */
bool frame_info(int level, const char **filename, int *line, const char **module);
/* linecache.getline: line `line` (1-based, without its terminator) of the
 * program read from the file `filename`; false for a name in <...>
 * (typed input, tsr's own modules), as linecache reads only files. */
bool source_line(const char *filename, int line, const char **start, int *n);

#endif
