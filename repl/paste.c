/* paste.c: a block pasted at the prompt (bracketed paste gives it as one
 * line with newlines in it) fed to the console as one unit.
 *
 * Typed, a blank line ends a block; pasted code was written for a file,
 * where blank lines inside a function body are common, so a blank line
 * followed by an indented line (or by else/elif/except/finally) stays
 * inside the block. A transcript copied from documentation or from this
 * REPL (`>>> ` and `... ` prompts, output lines between, the whole maybe
 * indented as documentation indents examples) runs its input lines only.
 *
 * In a file a block ends where the next statement starts at column 0, with
 * no blank line before it; at a prompt that is a SyntaxError. At the REPL
 * (not for a handout, whose examples compile as doctest's do) such a
 * line ends the pending block first, so that file code, and a transcript
 * whose block is not closed by a bare `...`, run as they read. */
#include "paste.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_blank(const char *s) {
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\f') return false;
    return true;
}

/* `>>> x`, `... x`, or the bare prompt: the input after it, else NULL */
static const char *after_prompt(const char *line) {
    if (!strncmp(line, ">>>", 3) || !strncmp(line, "...", 3)) {
        if (line[3] == 0) return line + 3;
        if (line[3] == ' ') return line + 4;
    }
    return NULL;
}

/* A line that continues a compound statement after a blank line. */
static bool continues_block(const char *line) {
    if (line[0] == ' ' || line[0] == '\t') return true;
    static const char *const words[] = {"else", "elif", "except", "finally", NULL};
    for (int i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        if (!strncmp(line, words[i], n) && !(isalnum((unsigned char)line[n]) || line[n] == '_')) return true;
    }
    return false;
}

/* A line at column 0 that starts a statement of its own (not a comment). */
static bool starts_statement(const char *line) {
    return line[0] != ' ' && line[0] != '\t' && line[0] != '#' && !continues_block(line);
}

bool paste_push(Interp *in, char *text, bool more, bool close_blocks, PushLineFn push) {
    /* split in place into lines, without their '\r' */
    size_t n_lines = 1;
    for (char *p = text; *p; p++) n_lines += *p == '\n';
    char **lines = malloc(n_lines * sizeof *lines);
    if (!lines) return push(in, text, more); /* as one line: the console reports what it can */
    size_t n = 0;
    for (char *p = text;;) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        size_t len = strlen(p);
        if (len && p[len - 1] == '\r') p[len - 1] = 0;
        lines[n++] = p;
        if (!nl) break;
        p = nl + 1;
    }
    /* a transcript: its first line with text starts with the prompt (at
     * `... `, inside a string, such a line is text), maybe indented as
     * documentation indents examples: that indentation is the margin */
    bool transcript = false;
    size_t margin = 0;
    for (size_t i = 0; i < n && !more; i++) {
        if (is_blank(lines[i])) continue;
        margin = strspn(lines[i], " \t");
        const char *t = lines[i] + margin;
        transcript = !strncmp(t, ">>> ", 4) || !strcmp(t, ">>>");
        break;
    }
    int pending_blank = 0;
    for (size_t i = 0; i < n && interp_exit_status(in) < 0; i++) {
        const char *line = lines[i];
        if (transcript) {
            /* lines of the margin's width and text; output may start left of it */
            line = strspn(line, " \t") >= margin ? after_prompt(line + margin) : NULL;
            if (!line) continue; /* output shown in the transcript */
        }
        if (is_blank(line)) {
            pending_blank++;
            continue;
        }
        if (pending_blank && more && continues_block(line)) {
            /* the blank lines go in with the line, inside the block */
            size_t len = strlen(line);
            char *joined = malloc((size_t)pending_blank + len + 1);
            if (joined) {
                memset(joined, '\n', (size_t)pending_blank);
                memcpy(joined + pending_blank, line, len + 1);
                more = push(in, joined, more);
                free(joined);
                pending_blank = 0;
                continue;
            }
        }
        for (; pending_blank > 0 && interp_exit_status(in) < 0; pending_blank--) more = push(in, "", more);
        pending_blank = 0;
        if (close_blocks && more && starts_statement(line) && interp_block_open(in)) more = push(in, "", more);
        if (interp_exit_status(in) < 0) more = push(in, line, more);
    }
    for (; pending_blank > 0 && interp_exit_status(in) < 0; pending_blank--) more = push(in, "", more);
    free(lines);
    return more;
}
