/* complex.h: Python's complex numbers, as CPython 3.11 computes them. */
#ifndef TSR_COMPLEX_H
#define TSR_COMPLEX_H

#include <stdbool.h>
#include <stdint.h>

#include "ast.h"
#include "value.h"

typedef struct {
    double re, im;
} Cpx;

/* v as a complex number: an int, bool, float or complex; false (no error)
 * for anything else */
bool complex_operand(const Value *v, Cpx *out);

/* a op b for numbers of which at least one is complex: + - * / **;
 * other operators raise the unsupported-operand TypeError */
Value *complex_binop(BinKind op, Value *a, Value *b);

/* a ** b (CPython's complex_pow): integral exponents up to 100 by
 * repeated squaring, others through polar form. ZeroDivisionError for
 * zero to a negative or complex power, OverflowError on overflow */
bool complex_pow(Cpx a, Cpx b, Cpx *out);

/* CPython's _Py_c_quot (Smith's method); false with ZeroDivisionError
 * "complex division by zero" */
bool complex_div(Cpx a, Cpx b, Cpx *out);

/* complex('1+2j'): CPython's grammar (parentheses, whitespace, 'j' alone,
 * underscores between digits); false with ValueError when malformed */
bool complex_parse(const Value *str, Cpx *out);

#endif
