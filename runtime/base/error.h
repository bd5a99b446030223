/* error.h: the one error state of the runtime.
 *
 * Every fallible function returns a status (NULL, -1 or false) after calling
 * tsr_raise(); the caller propagates it. Nothing a user can cause aborts.
 * The message is PyTorch's (or Python's) text, built once.
 */
#ifndef TSR_ERROR_H
#define TSR_ERROR_H

#include <stdbool.h>

/* X(NAME): the Python exception classes tsr can raise. */
#define TSR_ERROR_KINDS(X)       \
    X(RuntimeError)              \
    X(TypeError)                 \
    X(ValueError)                \
    X(IndexError)                \
    X(KeyError)                  \
    X(NameError)                 \
    X(UnboundLocalError)         \
    X(AttributeError)            \
    X(SyntaxError)               \
    X(IndentationError)          \
    X(ZeroDivisionError)         \
    X(AssertionError)            \
    X(KeyboardInterrupt)         \
    X(NotImplementedError)       \
    X(OverflowError)             \
    X(MemoryError)               \
    X(RecursionError)            \
    X(StopIteration)             \
    X(ImportError)               \
    X(ModuleNotFoundError)       \
    X(GradcheckError) /* torch.autograd.gradcheck.GradcheckError, a RuntimeError */

typedef enum {
    ERR_NONE = 0,
#define X(name) ERR_##name,
    TSR_ERROR_KINDS(X)
#undef X
    ERR_COUNT
} ErrKind;

/* Sets the current error (overwriting any previous one). Always returns
 * NULL-compatible 0 so callers can write `return tsr_raise(...), NULL;`. */
void tsr_raise(ErrKind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Out of memory: a MemoryError/RuntimeError in PyTorch's words. */
void tsr_raise_oom(unsigned long long nbytes);

ErrKind tsr_err_kind(void);
const char *tsr_err_msg(void);          /* "" when none */
const char *tsr_err_name(ErrKind kind); /* "RuntimeError" */
bool tsr_err_occurred(void);
void tsr_err_clear(void);

/* Position of the failing construct, set by the evaluator/parser the first
 * time an error passes through a node that has a position (0 = unknown).
 * Lines are 1-based, columns 0-based byte offsets. */
void tsr_err_set_pos(int line, int col, int end_line, int end_col);
void tsr_err_get_pos(int *line, int *col, int *end_line, int *end_col);

/* Ctrl-C: set asynchronously by the signal handler, polled between
 * statements, loop iterations and long kernels. */
extern volatile int tsr_interrupted;
/* Returns true (and raises KeyboardInterrupt) if Ctrl-C was pressed. */
bool tsr_check_interrupt(void);

/* checked allocation helpers: raise on failure */
void *tsr_malloc(unsigned long long nbytes);
void *tsr_calloc(unsigned long long n, unsigned long long size);
void *tsr_realloc(void *p, unsigned long long nbytes);
char *tsr_strdup(const char *s);
char *tsr_strndup(const char *s, unsigned long long n);

#endif
