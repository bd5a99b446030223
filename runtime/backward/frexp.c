/* frexp.c: FrexpBackward0: grad / exponent.exp2() (the mantissa's
 * gradient; the exponent is not differentiable). */
#include "formula.h"
#include "ops.h"

FORMULA(frexp_backward) {
    BEGIN;
    SAVED(exponent, 0);
    SET(0, S2(s, BIN_DIV, grad, S1(s, UN_EXP2, exponent)));
    END;
}
