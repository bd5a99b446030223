/* statistics.c: the backward formula of dist (derivatives.yaml: self:
 * norm_backward(grad, self - other, p, result); other: the negation).
 * The other statistics ops compose recorded ops. */
#include <string.h>

#include "formula.h"
#include "ops.h"

FORMULA(dist_backward) {
    BEGIN;
    CTX(c);
    SAVED(a, 0);
    SAVED(b, 1);
    SAVED_RESULT(res, 2);
    double p;
    memcpy(&p, &c->args[0], sizeof p);
    if (p == 0.0) { /* norm_backward's undefined gradient */
        END;
    }
    Tensor *diff = S2(s, BIN_SUB, a, b);
    Tensor *g = diff ? norm_backward_of(s, grad, diff, res, p, false, 0, NULL) : NULL;
    SET(0, g);
    SET(1, g ? S1(s, UN_NEG, g) : NULL);
    END;
}
