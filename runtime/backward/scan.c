/* scan.c: the formula of logcumsumexp (FunctionsManual.cpp's
 * logcumsumexp_backward, real dtypes): the positive and negative parts of
 * grad in log space, each through a reversed logcumsumexp. */
#include <float.h>

#include "formula.h"

/* flip(logcumsumexp(flip(x, d), d), d) */
static Tensor *reverse_logcumsumexp(Scratch *s, Tensor *x, int64_t d) {
    Tensor *f = x ? keep(s, op_flip(x, 1, &d)) : NULL;
    Tensor *c = f ? keep(s, op_logcumsumexp(f, d)) : NULL;
    return c ? keep(s, op_flip(c, 1, &d)) : NULL;
}

static double lowest_of(DType dt) {
    switch (dt) {
    case DT_FLOAT64: return -DBL_MAX;
    case DT_BFLOAT16: return -3.3895313892515355e+38;
    case DT_FLOAT16: return -65504.0;
    default: return -FLT_MAX;
    }
}

FORMULA(logcumsumexp_backward) {
    BEGIN;
    CTX(c);
    SAVED(self, 0);
    SAVED_RESULT(result, 1);
    if (grad->ndim == 0 || tensor_numel(grad) == 0) {
        SET(0, grad);
        END;
    }
    int64_t d = c->args[0];
    Tensor *gmin = keep(s, tensor_scalar_f64(grad->dtype, lowest_of(grad->dtype)));
    Tensor *log_abs = S1(s, UN_LOG, S1(s, UN_ABS, grad));
    Tensor *pos = Swhere(s, S2f(s, BIN_GT, grad, 0.0), log_abs, gmin);
    Tensor *neg = Swhere(s, S2f(s, BIN_LT, grad, 0.0), log_abs, gmin);
    Tensor *out_pos = S1(s, UN_EXP, S2(s, BIN_ADD, reverse_logcumsumexp(s, S2(s, BIN_SUB, pos, result), d), self));
    Tensor *out_neg = S1(s, UN_EXP, S2(s, BIN_ADD, reverse_logcumsumexp(s, S2(s, BIN_SUB, neg, result), d), self));
    SET(0, S2(s, BIN_SUB, out_pos, out_neg));
    END;
}
