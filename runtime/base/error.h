/* error.h: the one error state of the runtime.
 *
 * Every fallible function returns a status (NULL, -1 or false) after calling
 * tsr_raise(); the caller propagates it. Nothing a user can cause aborts.
 * The message is PyTorch's (or Python's) text, built once.
 */
#ifndef TSR_ERROR_H
#define TSR_ERROR_H

#include <stdbool.h>

/* X(NAME, BASE, MODULE): CPython's built-in exception classes (and
 * PyTorch's one), each with its base class, parents before children. The
 * language layer makes a class object of each row; every one can be raised
 * and caught. MODULE is where the class lives ("builtins" prints bare). */
#define TSR_ERROR_KINDS(X)                                              \
    X(BaseException, NONE, "builtins")                                  \
    X(SystemExit, BaseException, "builtins")                            \
    X(KeyboardInterrupt, BaseException, "builtins")                     \
    X(GeneratorExit, BaseException, "builtins")                         \
    X(Exception, BaseException, "builtins")                             \
    X(ArithmeticError, Exception, "builtins")                           \
    X(FloatingPointError, ArithmeticError, "builtins")                  \
    X(OverflowError, ArithmeticError, "builtins")                       \
    X(ZeroDivisionError, ArithmeticError, "builtins")                   \
    X(AssertionError, Exception, "builtins")                            \
    X(AttributeError, Exception, "builtins")                            \
    X(BufferError, Exception, "builtins")                               \
    X(EOFError, Exception, "builtins")                                  \
    X(ImportError, Exception, "builtins")                               \
    X(ModuleNotFoundError, ImportError, "builtins")                     \
    X(LookupError, Exception, "builtins")                               \
    X(IndexError, LookupError, "builtins")                              \
    X(KeyError, LookupError, "builtins")                                \
    X(MemoryError, Exception, "builtins")                               \
    X(NameError, Exception, "builtins")                                 \
    X(UnboundLocalError, NameError, "builtins")                         \
    X(OSError, Exception, "builtins")                                   \
    X(FileExistsError, OSError, "builtins")                             \
    X(FileNotFoundError, OSError, "builtins")                           \
    X(IsADirectoryError, OSError, "builtins")                           \
    X(NotADirectoryError, OSError, "builtins")                          \
    X(PermissionError, OSError, "builtins")                             \
    X(ConnectionError, OSError, "builtins")                             \
    X(BrokenPipeError, ConnectionError, "builtins")                     \
    X(TimeoutError, OSError, "builtins")                                \
    X(UnsupportedOperation, OSError, "io") /* CPython's also derives from ValueError */ \
    X(ReferenceError, Exception, "builtins")                            \
    X(RuntimeError, Exception, "builtins")                              \
    X(NotImplementedError, RuntimeError, "builtins")                    \
    X(RecursionError, RuntimeError, "builtins")                         \
    X(PickleError, Exception, "_pickle")                                \
    X(PicklingError, PickleError, "_pickle")                            \
    X(UnpicklingError, PickleError, "_pickle")                          \
    X(GradcheckError, RuntimeError, "torch.autograd.gradcheck")         \
    X(_LinAlgError, RuntimeError, "torch._C")                           \
    X(StopIteration, Exception, "builtins")                             \
    X(SyntaxError, Exception, "builtins")                               \
    X(IndentationError, SyntaxError, "builtins")                        \
    X(TabError, IndentationError, "builtins")                           \
    X(SystemError, Exception, "builtins")                               \
    X(TypeError, Exception, "builtins")                                 \
    X(ValueError, Exception, "builtins")                                \
    X(UnicodeError, ValueError, "builtins")                             \
    X(UnicodeEncodeError, UnicodeError, "builtins")                     \
    X(UnicodeDecodeError, UnicodeError, "builtins")                     \
    X(Warning, Exception, "builtins")                                   \
    X(UserWarning, Warning, "builtins")                                 \
    X(DeprecationWarning, Warning, "builtins")                          \
    X(RuntimeWarning, Warning, "builtins")                              \
    X(AxisError, ValueError, "numpy")                                   \
    X(ComplexWarning, RuntimeWarning, "numpy")                          \
    X(LinAlgError, Exception, "numpy.linalg")                           \
    X(_UFuncOutputCastingError, TypeError, "numpy.core._exceptions")    \
    X(_UFuncInputCastingError, TypeError, "numpy.core._exceptions")     \
    X(FutureWarning, Warning, "builtins")                               \
    X(PendingDeprecationWarning, Warning, "builtins")                   \
    X(SyntaxWarning, Warning, "builtins")                               \
    X(ImportWarning, Warning, "builtins")                               \
    X(UnicodeWarning, Warning, "builtins")                              \
    X(BytesWarning, Warning, "builtins")                                \
    X(ResourceWarning, Warning, "builtins")                             \
    X(EncodingWarning, Warning, "builtins")

typedef enum {
    ERR_NONE = 0,
#define X(name, ...) ERR_##name,
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

/* Raises an instance of a class of the language (a user's exception
 * class): kind is its nearest built-in base, class_name what a traceback
 * prints ("MyError"), msg the text of str(instance), taken as it is. */
void tsr_raise_class(ErrKind kind, const char *class_name, const char *msg);

ErrKind tsr_err_kind(void);
const char *tsr_err_msg(void);          /* "" when none */
const char *tsr_err_name(ErrKind kind); /* "RuntimeError" */
ErrKind tsr_err_base(ErrKind kind);     /* the base class's kind, ERR_NONE for BaseException */
const char *tsr_err_module(ErrKind kind); /* "builtins", "torch.autograd.gradcheck" */
bool tsr_err_is_a(ErrKind kind, ErrKind base); /* kind is base or derives from it */
/* The current error's class as a traceback prints it: the name given to
 * tsr_raise_class, else the kind's ("torch.autograd.gradcheck.GradcheckError"). */
const char *tsr_err_class_name(void);
/* Counts raises: the language layer keeps the exception object it raised
 * and knows it is still the current error while the serial is unchanged. */
unsigned long tsr_err_serial(void);
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

/* Python's bare MemoryError: what a failed allocation of anything but a
 * tensor's storage raises (storage raises tsr_raise_oom's text, PyTorch's) */
void tsr_raise_memory_error(void);

/* checked allocation helpers: raise MemoryError on failure */
void *tsr_malloc(unsigned long long nbytes);
void *tsr_calloc(unsigned long long n, unsigned long long size);
void *tsr_realloc(void *p, unsigned long long nbytes);
char *tsr_strdup(const char *s);
char *tsr_strndup(const char *s, unsigned long long n);

#endif
