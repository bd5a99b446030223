/* line_editor.c: GNU Readline through its callback interface.
 *
 * The REPL never longjmps: readline's own signal handling is off, the
 * caller's SIGINT handler only sets tsr_interrupted, and le_read waits for
 * input with ppoll() so that a Ctrl-C at the prompt wakes it up. The line
 * handler removes itself, so a statement always runs outside readline with
 * the terminal in its normal (cooked) mode, where Ctrl-C raises SIGINT.
 */
#include "line_editor.h"

#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
static bool line_ready, line_eof;
static char *line_got;

/* ------------------------------------------------------------ completion */

static char **cands;   /* from interp_complete, handed out by cand_next */
static size_t cand_pos;

static char *cand_next(const char *text, int state) {
    (void)text;
    if (!cands || !cands[cand_pos]) return NULL;
    return cands[cand_pos++]; /* readline takes ownership */
}

static char **attempt_completion(const char *text, int start, int end) {
    (void)start;
    (void)end;
    rl_attempted_completion_over = 1; /* never fall back to file names */
    rl_completion_suppress_append = 1;
    cands = interp_complete(le_interp, text);
    cand_pos = 0;
    if (!cands) return NULL;
    char **matches = rl_completion_matches(text, cand_next);
    /* strings not handed out (none, normally) are ours to free */
    for (size_t i = cand_pos; cands[i]; i++) free(cands[i]);
    free(cands);
    cands = NULL;
    return matches;
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

void le_init(Interp *in) {
    le_interp = in;
    rl_readline_name = "tsr";
    rl_catch_signals = 0;
    rl_catch_sigwinch = 0;
    rl_completer_word_break_characters = word_breaks;
    rl_basic_word_break_characters = word_breaks;
    rl_attempted_completion_function = attempt_completion;
    rl_sort_completion_matches = 0; /* interp_complete sorts */
    /* a pasted block arrives line by line, as typed, instead of as one
     * line with newlines in it */
    rl_variable_bind("enable-bracketed-paste", "off");
    rl_bind_key('\t', tab_key);

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
    line_ready = line_eof = false;
    line_got = NULL;
    fflush(stdout);
    fflush(stderr);
    rl_callback_handler_install(prompt, on_line);

    LeStatus st;
    for (;;) {
        if (line_ready) {
            st = line_eof ? LE_EOF : LE_LINE;
            *line_out = line_got;
            break;
        }
        if (tsr_interrupted) {
            /* Ctrl-C: drop what was typed, leave the cursor on a new line */
            rl_free_line_state();
            rl_callback_sigcleanup();
            rl_replace_line("", 0);
            rl_callback_handler_remove();
            fputc('\n', rl_outstream ? rl_outstream : stdout);
            fflush(rl_outstream ? rl_outstream : stdout);
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
