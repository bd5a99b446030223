/* npy_text.h: np.loadtxt's reading of delimited text (numpy 1.24's C
 * reader, numpy/core/src/multiarray/textreading) for simple numeric
 * tables: a delimiter (or runs of whitespace), a comment string, skiprows;
 * values parsed as float64 or int64, with numpy's error messages.
 *
 * The caller calls nptxt_parse twice: once with out == NULL to learn the
 * table's size (and any error), then with a buffer of rows * cols values.
 */
#ifndef TSR_NPY_TEXT_H
#define TSR_NPY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct NptxtOptions {
    char delimiter;        /* 0: runs of whitespace (delimiter=None) */
    const char *comment;   /* NULL or "": no comments */
    int64_t skiprows;      /* physical lines skipped first (>= 0) */
    bool integer;          /* int64 values (dtype=int...), else float64 */
    const char *dtype_name; /* for the messages: "float64", "int32", ... */
} NptxtOptions;

#define NPTXT_ERR_CAP 512

/* Parses text[0..n). out: NULL, or rows*cols doubles (or int64s when
 * opt->integer), row-major. Returns false with numpy's message in err.
 * *int_via_float tells that an integer was read through a float (numpy's
 * DeprecationWarning). */
bool nptxt_parse(const char *text, size_t n, const NptxtOptions *opt, void *out, int64_t *rows,
                 int64_t *cols, bool *int_via_float, char *err);

/* One value as loadtxt reads a float field (surrounding whitespace
 * allowed; inf/nan in any case; no hex, no underscores). */
bool nptxt_to_double(const char *s, size_t n, double *out);

#endif
