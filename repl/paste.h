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
 * its output lines dropped. Returns whether the console wants more lines. */
bool paste_push(Interp *in, char *text, bool more, PushLineFn push);

#endif
