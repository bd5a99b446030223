/* stdlib_math.h: what the two files of the math module share. */
#ifndef TSR_STDLIB_MATH_H
#define TSR_STDLIB_MATH_H

#include <stdbool.h>
#include <stdint.h>

#include "value.h"

/* A float argument as CPython's PyFloat_AsDouble takes it: int, bool,
 * float, a one-element tensor (its __float__), an instance's __float__ or
 * __index__; else TypeError "must be real number, not str". */
bool math_real_arg(Value *v, double *out);

/* Argument Clinic's parse of fn(posonly..., pos_or_kw..., *, kwonly...):
 * names[0..npos) may be given by position (the first posonly only so),
 * the rest by keyword only; the first nreq are required (n <= 8). out[i]
 * is NULL for an absent one. CPython 3.11's messages. */
bool math_parse_clinic(const char *fn, const CallArgs *a, const char *const *names, int n, int npos, int posonly,
                       int nreq, Value **out);

/* stdlib_math_float.c: CPython's own algorithms, so that the last bits
 * agree with it. The gamma functions set errno as libm would (EDOM for a
 * pole or an invalid argument, ERANGE for an overflow). */
double math_tgamma(double x);
double math_lgamma(double x);
/* math.fsum of items (converted with math_real_arg): exact, then
 * correctly rounded; false with the error raised */
bool math_fsum(Value *const *items, int64_t n, double *out);
/* sqrt(sum(x*x)) without overflow or underflow, almost always correctly
 * rounded (math.hypot, math.dist); x may be changed */
double math_vector_norm(double *x, int64_t n);

#endif
