/* fuzz_program.c: libFuzzer harness running an input as a whole tsr
 * program, in script mode (interp_run_script) or, built with
 * -DFUZZ_REPL, in console mode (one interp_push_line per line, as the
 * REPL feeds them). Each input gets a fresh interpreter, freed after it,
 * so LeakSanitizer sees what a program leaks.
 *
 * A program that loops forever is legal, not a finding: a timer sets
 * tsr_interrupted after a second and every 100 ms after, so the program
 * stops with KeyboardInterrupt as a user's Ctrl-C would stop it. The
 * harness runs in a private temporary directory (files a program opens
 * land there) with standard input at /dev/null.
 *
 *   make fuzz                    builds build-fuzz/fuzz_{parser,script,repl}
 *   make fuzz-run FUZZ=script FUZZ_SECONDS=3600    runs one */
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "error.h"
#include "interp.h"
#include "modules.h"

static void on_alarm(int sig) {
    (void)sig;
    tsr_interrupted = 1;
}

static char dir[] = "/tmp/tsr-fuzz-XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_dir(void) { nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    if (mkdtemp(dir) && chdir(dir) == 0) atexit(remove_dir);
    if (!freopen("/dev/null", "r", stdin)) perror("stdin");
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    return 0;
}

static void run(Interp *in, const uint8_t *data, size_t size) {
#ifdef FUZZ_REPL
    char *buf = malloc(size + 1);
    if (!buf) return;
    memcpy(buf, data, size);
    buf[size] = 0;
    char *line = buf;
    for (;;) {
        char *nl = memchr(line, '\n', (size_t)(buf + size - line));
        if (nl) *nl = 0;
        interp_push_line(in, line);
        if (!nl || interp_exit_status(in) >= 0) break;
        line = nl + 1;
    }
    if (interp_exit_status(in) < 0) interp_flush(in);
    free(buf);
#else
    interp_run_script(in, (const char *)data, size, "<fuzz>");
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Interp *in = interp_new(0, NULL);
    if (!in) return 0;
    if (builtins_open(in)) {
        struct itimerval t = {{0, 100000}, {1, 0}};
        setitimer(ITIMER_REAL, &t, NULL);
        run(in, data, size);
        struct itimerval off = {{0, 0}, {0, 0}};
        setitimer(ITIMER_REAL, &off, NULL);
    }
    tsr_interrupted = 0;
    interp_free(in);
    tsr_err_clear();
    fflush(stdout);
    return 0;
}
