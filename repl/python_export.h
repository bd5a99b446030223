/* python_export.h: `tsr --python FILE.tsr` (python_export.c). */
#ifndef TSR_PYTHON_EXPORT_H
#define TSR_PYTHON_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Prints the program src (from path) to stdout as a Python file for
 * PyTorch: tsr's prelude, then the program unchanged. */
void python_export(const char *src, size_t len, const char *path);

#endif
