/* handout.h: Markdown handouts holding `>>>` transcripts, as doctest reads
 * them. `tsr --check FILE.md` runs a handout's examples and reports every
 * output that no longer matches; `tsr --record FILE.md` writes a session
 * out as such a handout. */
#ifndef TSR_HANDOUT_H
#define TSR_HANDOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "interp.h"

/* Runs every example of the handout at `path` in one fresh session and
 * prints a report of the differing ones to stdout (`FILE:LINE: ...`,
 * Expected, Got) and a summary line. Returns 0 when all matched, 1 when
 * one differed, 2 when the file could not be read or the session not
 * started. */
int handout_check(const char *path);

/* Output of one console step, captured: standard output and standard
 * error (fds 1 and 2) both go to one temporary file while it runs. */
typedef struct {
    int saved_out, saved_err;
    int fd; /* the temporary file, or -1 */
} Capture;

/* false (nothing redirected) when the temporary file cannot be made */
bool capture_begin(Capture *c);
/* Restores fds 1 and 2; returns the captured text (malloc'd, NUL
 * terminated, length in *len), or NULL when it could not be read. */
char *capture_end(Capture *c, size_t *len);

/* A session being recorded into a Markdown handout. */
typedef struct {
    FILE *f;
    char *input; /* the statement's lines, with their prompts */
    size_t input_len, input_cap;
    char *output; /* what it printed */
    size_t output_len, output_cap;
} Recorder;

/* Creates the handout (its heading and an open code fence); false with a
 * message on stderr when the file cannot be written. */
bool recorder_open(Recorder *r, const char *path);
/* Runs one console line with its output captured (and shown), as
 * interp_push_line does; writes the statement out once it is complete. */
bool recorder_push(Recorder *r, Interp *in, const char *line, bool continuation);
/* End of input (runs a pending block), closes the fence and the file. */
void recorder_close(Recorder *r, Interp *in);

#endif
