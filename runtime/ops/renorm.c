/* renorm.c: torch.renorm (ATen's Normalization.cpp renorm_out): each
 * sub-tensor along dim whose p-norm exceeds maxnorm is scaled to
 * maxnorm / (norm + 1e-7); the norm is taken over every other dim.
 *
 * Autograd: RenormBackward0, ctx args {dim (wrapped), bits of p, bits of
 * maxnorm}; saved {self}. */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "operands.h"
#include "ops.h"

/* The dims other than d, ascending. */
static int other_dims(int ndim, int d, int64_t *out) {
    int n = 0;
    for (int i = 0; i < ndim; i++)
        if (i != d) out[n++] = i;
    return n;
}

bool op_renorm_check(Tensor *a, double p, double maxnorm) {
    if (!(p > 0.0)) {
        tsr_raise(ERR_RuntimeError, "%s", "renorm: non-positive-norm not supported");
        return false;
    }
    if (!(maxnorm >= 0.0)) {
        char buf[64];
        snprintf(buf, sizeof buf, "%g", maxnorm);
        tsr_raise(ERR_RuntimeError, "renorm: expected maxnorm to be >= 0 but got %s", buf);
        return false;
    }
    if (a->ndim <= 1) {
        tsr_raise(ERR_RuntimeError, "renorm: input needs at least 2 dimensions, got %d dimensions", a->ndim);
        return false;
    }
    return true;
}

Tensor *op_renorm(Tensor *a, double p, int64_t dim, double maxnorm) {
    if (!op_renorm_check(a, p, maxnorm)) return NULL;
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd = other_dims(a->ndim, d, dims);
    /* half and bfloat16 take the norm and the factor in float */
    bool low = a->dtype == DT_FLOAT16 || a->dtype == DT_BFLOAT16;
    Tensor *t[7] = {0}, *r = NULL;
    NO_GRAD({
        Tensor *norm = t[0] = op_vector_norm(a, p, nd, dims, true, low ? DT_FLOAT32 : DT_UNDEFINED);
        Tensor *den = t[1] = norm ? op_scalar_binary(BIN_ADD, norm, 1e-7, false) : NULL;
        /* the kernel's maxnorm / (norm + eps), a true division (not rdiv's
         * reciprocal times maxnorm) */
        Tensor *mx = t[2] = den ? tensor_wrapped_float(maxnorm) : NULL;
        Tensor *fct = t[3] = mx ? op_binary(BIN_DIV, mx, den) : NULL;
        Tensor *over = t[4] = fct ? op_scalar_binary(BIN_GT, norm, maxnorm, false) : NULL;
        Tensor *one = t[5] = over ? tensor_wrapped_float(1.0) : NULL;
        Tensor *factor = t[6] = one ? op_where(over, fct, one) : NULL;
        if (factor && low) {
            Tensor *c = op_to_dtype(factor, a->dtype);
            tensor_release(factor);
            factor = t[6] = c;
        }
        r = factor ? op_binary(BIN_MUL, a, factor) : NULL;
    });
    op_release_all(t, 7);
    if (!r) return NULL;
    int64_t args[3] = {d, 0, 0};
    memcpy(&args[1], &p, sizeof p);
    memcpy(&args[2], &maxnorm, sizeof maxnorm);
    OpCtx ctx = op_ctx(a, 3, args);
    return ag_record_steal(r, NODE_RenormBackward0, &a, 1, &a, 1, &ctx, sizeof ctx);
}
