/* paste.h: a block pasted at the prompt, fed to the console as one unit. */
#ifndef TSR_PASTE_H
#define TSR_PASTE_H

#include <stdbool.h>

#include "interp.h"

/* One console line (the recorder's or the interpreter's push). */
typedef bool (*PushLineFn)(Interp *in, const char *line, bool more);

/* Feeds text (one typed line, or a pasted block with newlines; modified
 * in place) to the console through push. Blank lines inside a pasted
 * block's body stay in it; the prompts of a transcript are stripped and
 * its output lines dropped. close_blocks: a line at column 0 that starts a
 * statement first ends a pending block, as in a file (the REPL; a handout's
 * examples compile as doctest's, where that is an error). Returns whether
 * the console wants more lines. */
bool paste_push(Interp *in, char *text, bool more, bool close_blocks, PushLineFn push);

#endif
