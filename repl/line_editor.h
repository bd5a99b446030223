/* line_editor.h: the REPL's terminal line input (GNU Readline behind a thin
 * layer): editing, persistent history, tab completion, and Ctrl-C at the
 * prompt without longjmp. */
#ifndef TSR_LINE_EDITOR_H
#define TSR_LINE_EDITOR_H

#include <stdbool.h>

#include "interp.h"

typedef enum {
    LE_LINE,      /* a line was read (*line_out is malloc'd) */
    LE_EOF,       /* Ctrl-D on an empty line */
    LE_INTERRUPT, /* Ctrl-C at the prompt: the typed line was dropped */
} LeStatus;

/* Sets up completion (through interp_complete) and loads the history file.
 * `in` is borrowed for the editor's lifetime. */
void le_init(Interp *in);

/* Reads one line with `prompt`. `continuation` tells completion that the
 * line is inside a block (Tab on an empty word indents). SIGINT must be
 * handled by the caller's handler, which sets tsr_interrupted. */
LeStatus le_read(const char *prompt, bool continuation, char **line_out);

/* Adds a non-blank line to the history (and appends it to the file). */
void le_add_history(const char *line);

/* Trims the history file to its bound; restores the terminal. */
void le_shutdown(void);

/* The history file's path, or NULL when there is none (no HOME). */
const char *le_history_path(void);

#endif
