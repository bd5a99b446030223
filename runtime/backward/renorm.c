/* renorm.c: renorm's formula (FunctionsManual.cpp renorm_backward): the
 * norm and the sum of self * grad are taken in the CPU's accumulate type
 * (double for float32 and float64, float for half and bfloat16), then
 *   where(norm > maxnorm, invnorm * maxnorm * (grad - invnorm * nb), grad)
 * with invnorm = 1 / (norm + 1e-7) and nb the norm's backward. */
#include <string.h>

#include "formula.h"

FORMULA(renorm_backward) {
    BEGIN;
    CTX(c);
    SAVED(self, 0);
    int64_t d = c->args[0];
    double p, maxnorm;
    memcpy(&p, &c->args[1], sizeof p);
    memcpy(&maxnorm, &c->args[2], sizeof maxnorm);
    int64_t dims[TSR_MAX_DIMS];
    int nd = 0;
    for (int i = 0; i < self->ndim; i++)
        if (i != d) dims[nd++] = i;
    DType acc = self->dtype == DT_FLOAT16 || self->dtype == DT_BFLOAT16 ? DT_FLOAT32 : DT_FLOAT64;
    Tensor *norm = keep(s, op_vector_norm(self, p, nd, dims, true, acc));
    Tensor *prod = S2(s, BIN_MUL, self, grad);
    Tensor *go = prod ? keep(s, op_sum(prod, nd, dims, true, acc)) : NULL;
    Tensor *nb = go && norm ? norm_backward_of(s, go, self, norm, p, true, nd, dims) : NULL;
    Tensor *invnorm = S1(s, UN_RECIPROCAL, S2f(s, BIN_ADD, norm, 1e-7));
    Tensor *factor = S2f(s, BIN_MUL, invnorm, maxnorm);
    Tensor *scaled = S2(s, BIN_MUL, factor, S2(s, BIN_SUB, grad, S2(s, BIN_MUL, invnorm, nb)));
    SET(0, Swhere(s, S2f(s, BIN_GT, norm, maxnorm), scaled, grad));
    END;
}
