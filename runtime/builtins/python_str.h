/* python_str.h: what the files of the str methods share: python_str.c
 * (search, split, strip, padding, join, the table), python_str_format.c
 * (format, format_map), python_str_case.c (Unicode character classes,
 * case mapping and the methods built on them, from base/unicode_data.h). */
#ifndef TSR_PYTHON_STR_H
#define TSR_PYTHON_STR_H

#include <stdint.h>

#include "builtins_util.h"
#include "unicode_data.h"

/* How a str method takes its arguments; each has CPython's messages:
 *   STR_NOARGS  "str.upper() takes no arguments (1 given)"
 *   STR_ONE     "str.join() takes exactly one argument (0 given)"
 *   STR_CLINIC  "center expected at least 1 argument, got 0"
 *   STR_TUPLE   "count() takes at least 1 argument (0 given)"
 * None of them takes keywords: "str.center() takes no keyword arguments". */
typedef enum { STR_NOARGS, STR_ONE, STR_CLINIC, STR_TUPLE } StrArgStyle;
bool str_args(const CallArgs *a, const char *name, StrArgStyle style, int min, int max, Value **out);
/* the same for a method of type ("bytearray.copy() takes no arguments") */
bool method_args(const char *type, const CallArgs *a, const char *name, StrArgStyle style, int min, int max,
                 Value **out);
/* The methods and constructors with keywords (split, splitlines, decode,
 * bytes(), ...): names[0..n) in order, positional or by name; CPython's
 * "'x' is an invalid keyword argument for split()". */
bool method_kwargs(const CallArgs *a, const char *name, const char *const *names, int n, Value **out);

bool uc_isspace(uint32_t c);

/* The code point at s[*i] (a character start), *i moved past it. */
uint32_t utf8_next(const char *s, int64_t n, int64_t *i);
/* The code points of s[0..n) into a new array (*count of them); NULL
 * with MemoryError raised. */
uint32_t *utf8_to_cps(const char *s, int64_t n, int64_t *count);

/* str.maketrans: a static method (self is ignored) */
Value *str_maketrans(Value *self, const CallArgs *a);

/* python_str_format.c */
Value *str_format(Value *self, const CallArgs *a);
Value *str_format_map(Value *self, const CallArgs *a);

/* python_str_case.c: the methods */
#define STR_CASE_METHODS(X)                                                                        \
    X(upper) X(lower) X(casefold) X(swapcase) X(capitalize) X(title) X(isalnum) X(isalpha)         \
    X(isascii) X(isdecimal) X(isdigit) X(isidentifier) X(islower) X(isnumeric) X(isprintable)      \
    X(isspace) X(istitle) X(isupper)
#define X(name) Value *str_##name(Value *self, const CallArgs *a);
STR_CASE_METHODS(X)
#undef X

#endif
