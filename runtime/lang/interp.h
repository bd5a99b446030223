/* interp.h: the runtime's public face, the only header repl/ uses. */
#ifndef TSR_INTERP_H
#define TSR_INTERP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct Interp Interp;

#define TSR_VERSION "0.1.0"

/* argv: the script's arguments (argv[0] = script path), may be NULL. */
Interp *interp_new(int argc, char **argv);
void interp_free(Interp *in);
/* The process's exit status after a run that ended with `status`: flushes
 * stdout, and when output was lost to a failed write that no statement
 * saw, reports it as CPython does at exit and gives 120. */
int interp_final_status(int status);

/* Script mode (`tsr FILE`, `tsr -c CODE`): parses the whole source first
 * (a syntax error runs nothing), then runs it without echo. An uncaught
 * error prints CPython 3.11's traceback to stderr, last
 * `ErrorClass: message`. Returns the exit status
 * (0, 1 after an error, or an uncaught SystemExit's code). */
int interp_run_script(Interp *in, const char *src, size_t len, const char *filename);

/* `tsr -i`: a SystemExit that ends a script is reported with its traceback
 * (status 1) and the session goes on to the prompt, as `python3 -i` does. */
void interp_set_inspect(Interp *in, bool on);

/* Console mode (REPL, or stdin not a terminal): feeds one line (without
 * its newline). Returns true when more lines are needed to complete the
 * statement (show `... `), false when the buffer was run (or failed; the
 * error went to stderr and every variable is kept). */
bool interp_push_line(Interp *in, const char *line);
/* The exit status an uncaught SystemExit (exit(), sys.exit()) asked for,
 * or -1: after one, interp_push_line runs nothing more and the console
 * runner should stop. */
int interp_exit_status(Interp *in);
/* Whether the pending input is a compound statement that only its closing
 * blank line still lacks (not open brackets, a string or a backslash). */
bool interp_block_open(Interp *in);
/* End of input: runs a pending block as a blank line would. */
void interp_flush(Interp *in);
/* Console mode over a stream (`tsr < file`): error reports number lines
 * as the stream does, instead of from 1 in each statement as at a prompt. */
void interp_number_console_stream(Interp *in, bool on);
/* Drops the partially typed statement (Ctrl-C at the prompt). */
void interp_reset_input(Interp *in);

/* Teaching mode (`tsr --teach`, tsr.teach()): notes after console echoes,
 * in-place writes and backward() (runtime/lang/teach.c). Off by default. */
void interp_set_teach(Interp *in, bool on);

/* Tab completion (completion.c). line[start..end) is the word under the
 * cursor, possibly dotted ("x.sh", "torch.ze", "pri"); the line before it
 * says whether it starts an argument of a call (`torch.cat(x, d`: dim=).
 * Returns a malloc'd NULL-terminated array of malloc'd candidate words
 * (full replacements for the word), or NULL. */
char **interp_complete(Interp *in, const char *line, int start, int end);
/* Whether line[0..pos) leaves a string literal open (file names complete there). */
bool interp_completing_string(const char *line, int pos);

/* Whether a CUDA device is usable (for the banner). */
bool tsr_cuda_available(void);
/* One-line description of the CUDA state, e.g. "no CUDA device" */
const char *tsr_cuda_description(void);

#endif
