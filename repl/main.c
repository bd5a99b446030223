/* main.c: the `tsr` command: the REPL on a terminal, `tsr FILE.tsr`,
 * `tsr -c CODE`, and console semantics without prompts when standard input
 * is not a terminal. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "modules.h"
#include "interp.h"
#include "handout.h"
#include "line_editor.h"
#include "paste.h"
#include "python_export.h"

static const char usage[] =
    "usage: tsr [option] [FILE.tsr | -c CODE | -] [args]\n"
    "  (no FILE)  the REPL when standard input is a terminal; otherwise reads\n"
    "             standard input line by line as the REPL would, without prompts\n"
    "  FILE.tsr   run a script; exit status 0, 1 after an uncaught error, or\n"
    "             the status sys.exit() asked for\n"
    "  -c CODE    run CODE as a script\n"
    "  -i         after FILE or -c CODE, stay at the prompt with its variables;\n"
    "             alone, with standard input not a terminal: read it as typed at\n"
    "             the prompt (errors number each statement's lines from 1, not\n"
    "             the stream's)\n"
    "  --check FILE.md ...  run the `>>>` examples of Markdown handouts, one\n"
    "             session per file; report each output that differs (status 1)\n"
    "  --record FILE.md     save this session as a handout of `>>>` examples\n"
    "  --python FILE.tsr    print the program as a Python file for PyTorch\n"
    "  --teach    teaching mode: notes on storage, in-place writes, gradients\n"
    "  -          run standard input as a script\n"
    "  -h, --help     print this help and exit\n"
    "  -V, --version  print the version and exit\n"
    "Environment: TSR_HISTFILE (REPL history; default ~/.tsr_history, empty: none)\n"
    "             TSR_STARTUP (a file the REPL runs before its first prompt)\n";

/* REPL only: set while a statement runs, so that the SIGINT handler starts
 * the KeyboardInterrupt report on a fresh line. */
static volatile sig_atomic_t repl_running;
static bool interactive;
/* --record: the handout the session is written to, or NULL */
static Recorder *recorder;

static void on_sigint(int sig) {
    if (tsr_interrupted && !interactive) {
        /* a second Ctrl-C ends a script whose statement never polled */
        signal(SIGINT, SIG_DFL);
        raise(sig);
        return;
    }
    tsr_interrupted = 1;
    if (repl_running) {
        ssize_t r = write(STDERR_FILENO, "\n", 1);
        (void)r;
    }
}

static void install_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

/* Reads a whole stream; NULL with errno set on failure. */
static char *read_all(FILE *f, size_t *len_out) {
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) goto fail;
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) goto fail;
            break;
        }
    }
    buf[len] = 0;
    *len_out = len;
    return buf;
fail:;
    int e = errno ? errno : EIO;
    free(buf);
    errno = e;
    return NULL;
}

static int run_source(Interp *in, const char *src, size_t len, const char *filename) {
    /* a UTF-8 byte order mark is not part of the program */
    if (len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3)) {
        src += 3;
        len -= 3;
    }
    int status = interp_run_script(in, src, len, filename);
    fflush(stdout);
    return status;
}

static int run_file(Interp *in, const char *path) {
    errno = 0;
    FILE *f = fopen(path, "rb");
    size_t len = 0;
    char *src = f ? read_all(f, &len) : NULL;
    int e = errno;
    if (f) fclose(f);
    if (!src) {
        fflush(stdout);
        fprintf(stderr, "tsr: can't open file '%s': [Errno %d] %s\n", path, e, strerror(e));
        return 2;
    }
    int status = run_source(in, src, len, path);
    free(src);
    return status;
}

static int run_stdin_script(Interp *in) {
    size_t len = 0;
    char *src = read_all(stdin, &len);
    if (!src) {
        fflush(stdout);
        fprintf(stderr, "tsr: can't read standard input: %s\n", strerror(errno));
        return 2;
    }
    int status = run_source(in, src, len, "<stdin>");
    free(src);
    return status;
}

/* One console line, through the recorder when there is one. */
static bool push_line(Interp *in, const char *line, bool more) {
    return recorder ? recorder_push(recorder, in, line, more) : interp_push_line(in, line);
}

/* Standard input not a terminal: console semantics, no prompts. */
static int run_console_stream(Interp *in, bool as_typed) {
    interp_number_console_stream(in, !as_typed);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool more = false;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        if (n > 0 && line[n - 1] == '\n') line[--n] = 0;
        if (n > 0 && line[n - 1] == '\r') line[--n] = 0;
        more = push_line(in, line, more);
        if (interp_exit_status(in) >= 0) break;
    }
    free(line);
    if (recorder && more) push_line(in, "", true);
    interp_flush(in);
    fflush(stdout);
    return interp_exit_status(in) >= 0 ? interp_exit_status(in) : 0;
}

/* TSR_STARTUP names a file the REPL runs first, as PYTHONSTARTUP does:
 * its names are the session's, an error in it is reported and the
 * session goes on. */
static void run_startup(Interp *in) {
    const char *path = getenv("TSR_STARTUP");
    if (!path || !*path) return;
    errno = 0;
    FILE *f = fopen(path, "rb");
    size_t len = 0;
    char *src = f ? read_all(f, &len) : NULL;
    int e = errno ? errno : EIO;
    if (f) fclose(f);
    if (!src) {
        /* Python's words for PYTHONSTARTUP */
        const char *cls = e == ENOENT ? "FileNotFoundError"
                          : e == EACCES || e == EPERM ? "PermissionError"
                          : e == EISDIR ? "IsADirectoryError"
                                        : "OSError";
        fprintf(stderr, "Could not open TSR_STARTUP\n%s: [Errno %d] %s: '%s'\n", cls, e, strerror(e), path);
        return;
    }
    run_source(in, src, len, path);
    free(src);
}

static int run_repl(Interp *in, bool banner_wanted) {
    interactive = true;
    if (banner_wanted) {
        /* with standard output redirected, the banner stays on the terminal */
        FILE *banner = isatty(STDOUT_FILENO) ? stdout : stderr;
        fprintf(banner, "tsr %s (%s)\n", TSR_VERSION, tsr_cuda_description());
        fprintf(banner, "Type \"help()\" or \"help(object)\" for help; \"exit()\" or Ctrl-D to leave.\n");
        run_startup(in);
        if (interp_exit_status(in) >= 0) return interp_exit_status(in);
    }
    le_init(in);
    bool more = false;
    for (;;) {
        tsr_interrupted = 0;
        char *line = NULL;
        LeStatus st = le_read(more ? "... " : ">>> ", more, &line);
        if (st == LE_EOF && more) { /* Ctrl-D at `... ` ends the block, as a blank line would */
            fputc('\n', stdout);
            repl_running = 1;
            if (recorder) push_line(in, "", true);
            interp_flush(in);
            repl_running = 0;
            more = false;
            fflush(stdout);
            fflush(stderr);
            if (interp_exit_status(in) >= 0) break;
            continue;
        }
        if (st == LE_EOF) break;
        if (st == LE_INTERRUPT) {
            fflush(stdout);
            fputs("KeyboardInterrupt\n", stderr);
            fflush(stderr);
            interp_reset_input(in);
            if (recorder) recorder->input_len = recorder->output_len = 0;
            more = false;
            continue;
        }
        le_add_history(line);
        repl_running = 1;
        more = paste_push(in, line, more, true, push_line);
        repl_running = 0;
        free(line);
        fflush(stdout);
        fflush(stderr);
        if (interp_exit_status(in) >= 0) break;
    }
    le_shutdown();
    fflush(stdout);
    return interp_exit_status(in) >= 0 ? interp_exit_status(in) : 0;
}

int main(int argc, char **argv) {
    const char *code = NULL, *file = NULL, *record_path = NULL;
    bool from_stdin = false, inspect = false, teach = false;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--check")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "Argument expected for the --check option\n%s", usage);
                return 2;
            }
            int status = 0;
            for (int k = i + 1; k < argc; k++) {
                int s = handout_check(argv[k]);
                if (s > status) status = s;
            }
            return status;
        }
        if (!strcmp(a, "--python")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "Argument expected for the --python option\n%s", usage);
                return 2;
            }
            const char *path = argv[i + 1];
            errno = 0;
            FILE *f = fopen(path, "rb");
            size_t len = 0;
            char *src = f ? read_all(f, &len) : NULL;
            int e = errno;
            if (f) fclose(f);
            if (!src) {
                fprintf(stderr, "tsr: can't open file '%s': [Errno %d] %s\n", path, e, strerror(e));
                return 2;
            }
            python_export(src, len, path);
            free(src);
            return fflush(stdout) ? 1 : 0;
        }
        if (!strcmp(a, "--teach")) {
            teach = true;
            continue;
        }
        if (!strcmp(a, "--record")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "Argument expected for the --record option\n%s", usage);
                return 2;
            }
            record_path = argv[++i];
            continue;
        }
        if (!strcmp(a, "-i")) {
            inspect = true;
            continue;
        }
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("tsr %s\n", TSR_VERSION);
            return 0;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(a, "-c")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "Argument expected for the -c option\n%s", usage);
                return 2;
            }
            code = argv[i + 1];
            i++; /* argv[i] = "-c" in the script's view: argv[0] is "-c" */
            argv[i] = "-c";
            break;
        }
        if (!strcmp(a, "-")) {
            from_stdin = true;
            break;
        }
        if (!strcmp(a, "--")) {
            i++;
            if (i < argc) file = argv[i];
            break;
        }
        if (a[0] == '-') {
            fprintf(stderr, "tsr: unknown option %s\n%s", a, usage);
            return 2;
        }
        file = a;
        break;
    }

    bool repl = !code && !file && !from_stdin && isatty(STDIN_FILENO);
    /* fully buffered output when not a terminal: the interpreter flushes
     * stdout before it writes an error, so the order stays right */
    if (!isatty(STDOUT_FILENO)) setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    install_sigint();
    /* a closed pipe is an error a program sees (BrokenPipeError), as in CPython */
    signal(SIGPIPE, SIG_IGN);

    static char *no_args[] = {"", NULL};
    int sargc = i < argc ? argc - i : 1;
    char **sargv = i < argc ? argv + i : no_args;
    Interp *in = interp_new(sargc, sargv);
    if (!in) {
        fprintf(stderr, "tsr: failed to start: %s\n", tsr_err_msg());
        return 1;
    }
    if (!builtins_open(in)) {
        fprintf(stderr, "tsr: failed to start: %s\n", tsr_err_msg());
        interp_free(in);
        return 1;
    }

    interp_set_teach(in, teach);
    interp_set_inspect(in, inspect && (code || file));
    Recorder rec;
    if (record_path) {
        if (code || file || from_stdin) {
            fprintf(stderr, "tsr: --record saves an interactive session; it takes no FILE or -c\n");
            interp_free(in);
            return 2;
        }
        if (!recorder_open(&rec, record_path)) {
            interp_free(in);
            return 2;
        }
        recorder = &rec;
    }
    int status;
    if (code)
        status = run_source(in, code, strlen(code), "<string>");
    else if (file)
        status = run_file(in, file);
    else if (from_stdin)
        status = run_stdin_script(in);
    else if (repl)
        status = run_repl(in, true);
    else
        status = run_console_stream(in, inspect);
    /* -i: the prompt after the script, with its variables (not after a
     * file that could not be opened; sys.exit() in the script was reported
     * as an error, as python3 -i does) */
    if (inspect && (code || file) && status != 2 && interp_exit_status(in) < 0) {
        interp_set_inspect(in, false);
        status = isatty(STDIN_FILENO) ? run_repl(in, false) : run_console_stream(in, true);
    }
    if (recorder) recorder_close(recorder, in);
    interp_free(in);
    return interp_final_status(status);
}
