/* stdlib_py.h: the standard modules written in Python
 * (runtime/builtins/stdlib/NAME.py), embedded as text by
 * scripts/embed_stdlib into the generated $(BUILD)/gen/stdlib_py.c. */
#ifndef TSR_STDLIB_PY_H
#define TSR_STDLIB_PY_H

#include <stddef.h>

typedef struct {
    const char *name; /* the module's name: its file's stem */
    const char *src;  /* its source text, UTF-8 */
    size_t len;
} StdlibSource;

/* Terminated by an entry whose name is NULL. */
extern const StdlibSource stdlib_py_sources[];

#endif
