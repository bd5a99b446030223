/* stdlib_py.h: the module sources written in Python, embedded as text by
 * scripts/embed_stdlib into the generated $(BUILD)/gen/stdlib_py.c: the
 * standard modules (runtime/builtins/stdlib/NAME.py, named "stdlib/NAME")
 * and torch's classes (runtime/builtins/torch/NAME.py, "torch/NAME"). */
#ifndef TSR_STDLIB_PY_H
#define TSR_STDLIB_PY_H

#include <stddef.h>

typedef struct {
    const char *name; /* its path under runtime/builtins/ without ".py" */
    const char *src;  /* its source text, UTF-8 */
    size_t len;
} StdlibSource;

/* Terminated by an entry whose name is NULL. */
extern const StdlibSource stdlib_py_sources[];

#endif
