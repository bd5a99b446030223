/* stdlib_os.h: what the os and os.path modules share (stdlib_os.c). */
#ifndef TSR_STDLIB_OS_H
#define TSR_STDLIB_OS_H

#include <stdbool.h>

#include "value.h"

/* Raises CPython's OSError subclass for errno e (FileNotFoundError for
 * ENOENT, ...): "[Errno 2] No such file or directory: 'x'", with
 * " -> 'y'" when path2 is not NULL. Returns NULL. */
Value *os_raise_errno(int e, const char *path, const char *path2);
/* A path argument (a str), borrowed; else TypeError
 * "fn: path should be string, bytes or os.PathLike, not int", or with fn
 * NULL os.fspath's "expected str, bytes or os.PathLike object, not int". */
bool os_path_arg(const char *fn, Value *v, const char **out);

#endif
