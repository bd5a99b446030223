#include "error.h"

#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ErrKind err_kind;
static char err_msg[8192]; /* the dispatcher's NotImplementedError is 4.7 kB */
static int err_line, err_col, err_end_line, err_end_col;
volatile int tsr_interrupted;

static const char *const err_names[] = {
    "",
#define X(name, ...) #name,
    TSR_ERROR_KINDS(X)
#undef X
};
static const ErrKind err_bases[] = {
    ERR_NONE,
#define X(name, base, ...) ERR_##base,
    TSR_ERROR_KINDS(X)
#undef X
};
static const char *const err_modules[] = {
    "",
#define X(name, base, module) module,
    TSR_ERROR_KINDS(X)
#undef X
};
static char err_class[128];
static unsigned long err_serial;

void tsr_raise(ErrKind kind, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_msg, sizeof err_msg, fmt, ap);
    va_end(ap);
    err_kind = kind;
    err_class[0] = 0;
    err_serial++;
    err_line = err_col = err_end_line = err_end_col = 0;
}

void tsr_raise_class(ErrKind kind, const char *class_name, const char *msg) {
    tsr_raise(kind, "%s", msg);
    snprintf(err_class, sizeof err_class, "%s", class_name);
}

void tsr_raise_oom(unsigned long long nbytes) {
    tsr_raise(ERR_RuntimeError,
              "[enforce fail at alloc_cpu.cpp:75] data. DefaultCPUAllocator: "
              "not enough memory: you tried to allocate %llu bytes.",
              nbytes);
}

void tsr_raise_memory_error(void) { tsr_raise(ERR_MemoryError, "%s", ""); }

ErrKind tsr_err_kind(void) { return err_kind; }
const char *tsr_err_msg(void) { return err_kind ? err_msg : ""; }
const char *tsr_err_name(ErrKind kind) { return (kind > 0 && kind < ERR_COUNT) ? err_names[kind] : "Error"; }
ErrKind tsr_err_base(ErrKind kind) { return (kind > 0 && kind < ERR_COUNT) ? err_bases[kind] : ERR_NONE; }
const char *tsr_err_module(ErrKind kind) { return (kind > 0 && kind < ERR_COUNT) ? err_modules[kind] : "builtins"; }
bool tsr_err_is_a(ErrKind kind, ErrKind base) {
    for (; kind != ERR_NONE; kind = tsr_err_base(kind))
        if (kind == base) return true;
    return false;
}
const char *tsr_err_class_name(void) {
    static char full[160];
    if (err_class[0]) return err_class;
    const char *module = tsr_err_module(err_kind);
    if (strcmp(module, "builtins") == 0) return tsr_err_name(err_kind);
    snprintf(full, sizeof full, "%s.%s", module, tsr_err_name(err_kind));
    return full;
}
unsigned long tsr_err_serial(void) { return err_serial; }
bool tsr_err_occurred(void) { return err_kind != ERR_NONE; }
void tsr_err_clear(void) {
    err_kind = ERR_NONE;
    err_class[0] = 0;
    err_msg[0] = 0;
    err_line = err_col = err_end_line = err_end_col = 0;
}

void tsr_err_set_pos(int line, int col, int end_line, int end_col) {
    err_line = line;
    err_col = col;
    err_end_line = end_line;
    err_end_col = end_col;
}

void tsr_err_get_pos(int *line, int *col, int *end_line, int *end_col) {
    *line = err_line;
    *col = err_col;
    *end_line = err_end_line;
    *end_col = err_end_col;
}

bool tsr_check_interrupt(void) {
    if (!tsr_interrupted) return false;
    tsr_interrupted = 0;
    tsr_raise(ERR_KeyboardInterrupt, "%s", "");
    return true;
}

/* Fault injection for the allocation-failure sweep (tests/alloc_fail_sweep.py):
 * TSR_ALLOC_FAIL=N makes the Nth allocation through these functions fail
 * as an exhausted heap would; TSR_ALLOC_COUNT=1 prints how many there were
 * at exit. Read once; without them the test costs one compare. */
static long long alloc_fail_at = -1, alloc_count;

static void alloc_report(void) { fprintf(stderr, "tsr: %lld allocations\n", alloc_count); }

static bool alloc_fails(void) {
    if (alloc_fail_at < 0) {
        const char *n = getenv("TSR_ALLOC_FAIL");
        alloc_fail_at = n ? atoll(n) : 0;
        if (getenv("TSR_ALLOC_COUNT")) {
            if (!alloc_fail_at) alloc_fail_at = LLONG_MAX;
            atexit(alloc_report);
        }
    }
    return alloc_fail_at && ++alloc_count == alloc_fail_at;
}

void *tsr_malloc(unsigned long long nbytes) {
    void *p = alloc_fails() ? NULL : malloc(nbytes ? nbytes : 1);
    if (!p) tsr_raise_memory_error();
    return p;
}

void *tsr_calloc(unsigned long long n, unsigned long long size) {
    void *p = alloc_fails() ? NULL : calloc(n ? n : 1, size ? size : 1);
    if (!p) tsr_raise_memory_error();
    return p;
}

void *tsr_realloc(void *p, unsigned long long nbytes) {
    void *q = alloc_fails() ? NULL : realloc(p, nbytes ? nbytes : 1);
    if (!q) tsr_raise_memory_error();
    return q;
}

char *tsr_strdup(const char *s) { return tsr_strndup(s, strlen(s)); }

char *tsr_strndup(const char *s, unsigned long long n) {
    char *p = tsr_malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}
