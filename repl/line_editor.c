/* line_editor.c: GNU Readline through its callback interface.
 *
 * The REPL never longjmps. While a line is edited, the terminal's interrupt
 * character is turned off, so Ctrl-C reaches readline as a key bound to
 * cancel_line: no signal, no race with a half-read key sequence. The line
 * handler removes itself, so a statement always runs outside readline with
 * the terminal in its normal mode, where Ctrl-C raises SIGINT and the
 * caller's handler only sets tsr_interrupted. A SIGINT from elsewhere at the
 * prompt (kill -INT) still cancels the line: le_read waits with ppoll().
 */
#include "line_editor.h"

#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "error.h"

enum { HISTORY_MAX = 1000 };

/* Python's rlcompleter delimiters, less nothing: '.' stays inside a word so
 * that `x.sh` and `torch.ze` complete as one dotted name. */
static char word_breaks[] = " \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?";

static Interp *le_interp;
static bool in_block;
static char *history_file;

static volatile sig_atomic_t winch_seen;
static bool line_ready, line_eof, line_cancelled;
static char *line_got;

/* ------------------------------------------------------------ completion */

static char **cands;   /* from interp_complete, handed out by cand_next */
static size_t cand_pos;

static char *cand_next(const char *text, int state) {
    (void)text;
    if (!cands || !cands[cand_pos]) return NULL;
    return cands[cand_pos++]; /* readline takes ownership */
}

/* Inside a string literal the word is the text after the quote, and it
 * completes as a file name. */
static char string_breaks[] = "\"'";

static char *word_break_chars(void) {
    return interp_completing_string(rl_line_buffer, rl_point) ? string_breaks : NULL;
}

static char **attempt_completion(const char *text, int start, int end) {
    rl_attempted_completion_over = 1; /* no file names unless asked below */
    rl_completion_suppress_append = 1;
    if (interp_completing_string(rl_line_buffer, start)) {
        rl_filename_completion_desired = 1; /* a directory gets its '/' */
        rl_filename_quoting_desired = 0;    /* the string literal quotes it */
        return rl_completion_matches(text, rl_filename_completion_function);
    }
    cands = interp_complete(le_interp, rl_line_buffer, start, end);
    cand_pos = 0;
    if (!cands) return NULL;
    char **matches = rl_completion_matches(text, cand_next);
    /* strings not handed out (none, normally) are ours to free */
    for (size_t i = cand_pos; cands[i]; i++) free(cands[i]);
    free(cands);
    cands = NULL;
    return matches;
}

/* ------------------------------------------------------------ listing */

/* One key from the terminal, for the questions below (readline answers
 * its own "Display all?" and --More-- itself in callback mode). */
static int read_answer_key(void) {
    unsigned char c;
    FILE *in = rl_instream ? rl_instream : stdin;
    for (;;) {
        ssize_t r = read(fileno(in), &c, 1);
        if (r == 1) return c;
        if (r < 0 && errno == EINTR && !tsr_interrupted) continue;
        return EOF;
    }
}

/* A file name shows without its directory, as readline shows it. */
static const char *shown_part(const char *m) {
    if (!rl_filename_completion_desired) return m;
    size_t n = strlen(m);
    const char *slash = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (m[i] == '/') slash = m + i;
    return slash ? slash + 1 : m;
}

/* Lists the candidates in columns, down each column first, as readline
 * does; as readline, it first asks about completion-query-items (100) or
 * more candidates (y or space: show them, n or Backspace: don't), then
 * stops each screenful at --More-- (space or y: a page, Enter: a line,
 * q or n: stop). */
static void display_matches(char **matches, int n, int max_len) {
    FILE *out = rl_outstream ? rl_outstream : stdout;
    int rows_screen = 0, cols_screen = 0;
    rl_get_screen_size(&rows_screen, &cols_screen);
    if (cols_screen <= 0) cols_screen = 80;
    if (rows_screen <= 0) rows_screen = 24;
    (void)max_len;
    int width = 0;
    for (int i = 1; i <= n; i++) {
        int len = (int)strlen(shown_part(matches[i]));
        if (len > width) width = len;
    }
    width += 2;
    int per_row = cols_screen / width > 0 ? cols_screen / width : 1;
    int rows = (n + per_row - 1) / per_row;
    fputc('\n', out);
    if (rl_completion_query_items > 0 && n >= rl_completion_query_items) {
        fprintf(out, "Display all %d possibilities? (y or n)", n);
        fflush(out);
        int k; /* other keys are ignored, as readline rings the bell for them */
        do k = read_answer_key();
        while (k != EOF && (k == 0 || !strchr("yYnN \x7f\x07\x03\x04", k)));
        fputc('\n', out);
        if (k != 'y' && k != 'Y' && k != ' ') {
            rl_forced_update_display();
            return;
        }
    }
    int shown = 0, page = rows_screen - 1;
    for (int r = 0; r < rows; r++) {
        if (shown == page) {
            fputs("--More--", out);
            fflush(out);
            int k;
            do k = read_answer_key();
            while (k != EOF && (k == 0 || !strchr(" yY\r\nqQnN\x7f\x07\x03\x04", k)));
            fputs("\r        \r", out);
            if (k == ' ' || k == 'y' || k == 'Y') page = rows_screen - 1;
            else if (k == '\r' || k == '\n') page = 1;
            else break;
            shown = 0;
        }
        for (int col = 0; col < per_row; col++) {
            int i = col * rows + r + 1;
            if (i > n) break;
            bool last = col + 1 == per_row || (col + 1) * rows + r + 1 > n;
            if (last) fputs(shown_part(matches[i]), out);
            else fprintf(out, "%-*s", width, shown_part(matches[i]));
        }
        fputc('\n', out);
        shown++;
    }
    rl_forced_update_display();
}

static bool blank_before_cursor(void) {
    for (int i = 0; i < rl_point; i++)
        if (rl_line_buffer[i] != ' ' && rl_line_buffer[i] != '\t') return false;
    return true;
}

/* Tab: indentation when only blanks precede the cursor inside a block
 * (Python's console does the same), completion elsewhere. */
static int tab_key(int count, int key) {
    if (blank_before_cursor()) {
        if (in_block) rl_insert_text("    "); /* at `>>> ` indentation is an error */
        return 0;
    }
    /* readline lists the matches on a second Tab only when it sees its own
     * function as the last command */
    if (rl_last_func == tab_key) rl_last_func = rl_complete;
    return rl_complete(count, key);
}

/* ------------------------------------------------------------ history */

static char *find_history_file(void) {
    const char *env = getenv("TSR_HISTFILE");
    if (env) return env[0] ? strdup(env) : NULL; /* TSR_HISTFILE= turns it off */
    const char *home = getenv("HOME");
    if (!home || !home[0]) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home || !home[0]) return NULL;
    size_t n = strlen(home) + sizeof "/.tsr_history";
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/.tsr_history", home);
    return p;
}

const char *le_history_path(void) { return history_file; }

void le_add_history(const char *line) {
    const char *s = line;
    while (*s == ' ' || *s == '\t') s++;
    if (!*s) return;
    HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
    if (last && !strcmp(last->line, line)) return;
    add_history(line);
    if (!history_file) return;
    /* append_history does not create the file; write_history does.
     * Failing to save history is never an error. */
    if (append_history(1, history_file) != 0) (void)write_history(history_file);
}

/* ------------------------------------------------------------ reading */

static void on_winch(int sig) {
    (void)sig;
    winch_seen = 1;
}

static void on_line(char *line) {
    rl_callback_handler_remove(); /* so the statement runs outside readline */
    line_ready = true;
    line_eof = line == NULL;
    line_got = line;
}

/* Ctrl-C while editing: end the line as dropped. */
static int cancel_line(int count, int key) {
    (void)count;
    (void)key;
    line_cancelled = true;
    rl_point = rl_end;
    rl_redisplay();
    rl_done = 1;
    return 0;
}

static void prep_terminal(int meta) {
    rl_prep_terminal(meta);
    int fd = fileno(rl_instream ? rl_instream : stdin);
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {
        t.c_cc[VINTR] = _POSIX_VDISABLE; /* Ctrl-C becomes a key (cancel_line) */
        tcsetattr(fd, TCSADRAIN, &t);
    }
}

void le_init(Interp *in) {
    le_interp = in;
    rl_readline_name = "tsr";
    /* `tsr | tee log`: prompts and echoed keys stay on the terminal */
    if (!isatty(STDOUT_FILENO) && isatty(STDERR_FILENO)) rl_outstream = stderr;
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_completer_word_break_characters = word_breaks;
    rl_basic_word_break_characters = word_breaks;
    rl_attempted_completion_function = attempt_completion;
    rl_completion_word_break_hook = word_break_chars;
    rl_completion_display_matches_hook = display_matches;
    rl_sort_completion_matches = 0; /* interp_complete sorts */
    /* a pasted block arrives as one line with newlines in it, which
     * paste.c runs as a unit; a Tab in it is text, not completion */
    rl_variable_bind("enable-bracketed-paste", "on");
    /* a Tab that cannot extend the word lists the candidates at once */
    rl_variable_bind("show-all-if-unmodified", "on");
    rl_bind_key('\t', tab_key);
    rl_bind_key(3, cancel_line); /* Ctrl-C */
    rl_prep_term_function = prep_terminal;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGWINCH, &sa, NULL);

    using_history();
    history_file = find_history_file();
    if (history_file) (void)read_history(history_file);
    stifle_history(HISTORY_MAX);
}

/* Leaves the cursor at the start of the next line after a dropped line or
 * an end of input, where readline wrote nothing. */
static void end_prompt_line(void) {
    FILE *out = rl_outstream ? rl_outstream : stdout;
    fputc('\n', out);
    fflush(out);
}

LeStatus le_read(const char *prompt, bool continuation, char **line_out) {
    sigset_t block, old, wait_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGWINCH);
    sigprocmask(SIG_BLOCK, &block, &old);
    wait_mask = old;
    sigdelset(&wait_mask, SIGINT);
    sigdelset(&wait_mask, SIGWINCH);

    *line_out = NULL;
    in_block = continuation;
    line_ready = line_eof = line_cancelled = false;
    line_got = NULL;
    fflush(stdout);
    fflush(stderr);
    rl_callback_handler_install(prompt, on_line);

    LeStatus st;
    for (;;) {
        if (line_ready && line_cancelled) {
            free(line_got);
            end_prompt_line();
            st = LE_INTERRUPT;
            break;
        }
        if (line_ready) {
            st = line_eof ? LE_EOF : LE_LINE;
            *line_out = line_got;
            if (line_eof) end_prompt_line(); /* Ctrl-D: as Python does */
            break;
        }
        if (tsr_interrupted) {
            /* SIGINT: drop what was typed, leave the cursor on a new line */
            rl_free_line_state();
            rl_callback_sigcleanup();
            rl_replace_line("", 0);
            rl_callback_handler_remove();
            end_prompt_line();
            st = LE_INTERRUPT;
            break;
        }
        if (winch_seen) {
            winch_seen = 0;
            rl_resize_terminal();
        }
        struct pollfd pfd = {.fd = fileno(rl_instream ? rl_instream : stdin), .events = POLLIN};
        int r = ppoll(&pfd, 1, NULL, &wait_mask);
        if (r < 0) {
            if (errno == EINTR) continue;
            rl_callback_handler_remove();
            st = LE_EOF;
            break;
        }
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) rl_callback_read_char();
        if (pfd.revents & POLLNVAL) {
            rl_callback_handler_remove();
            st = LE_EOF;
            break;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return st;
}

void le_shutdown(void) {
    rl_callback_handler_remove();
    if (history_file) (void)history_truncate_file(history_file, HISTORY_MAX);
    free(history_file);
    history_file = NULL;
}
