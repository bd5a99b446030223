/* reduced_float.c: the refusals of reduced_float.h's table: PyTorch 1.13's
 * CPU kernels that have no float16 (or bfloat16) loop. */
#include <string.h>

#include "op_errors.h"
#include "ops.h"

typedef struct {
    const char *op, *kernel;
    char refused;
} ReducedFloatRow;

static const ReducedFloatRow rows[RF_COUNT] = {
#define X(e, op, kernel, refused) {op, kernel, refused},
    TSR_REDUCED_FLOAT_REFUSALS(X)
#undef X
};

bool op_reduced_float_ok_dtype(ReducedFloatOp op, DType dt, bool cuda) {
    if ((unsigned)op >= RF_COUNT || cuda) return true;
    char r = rows[op].refused;
    bool others = r == 'H' || r == 'X';
    if (others) r = r == 'H' ? 'h' : 'x';
    bool refused = (dt == DT_FLOAT16 && (r == 'h' || r == 'x')) || (dt == DT_BFLOAT16 && (r == 'b' || r == 'x')) ||
                   (others && !dtype_is_float(dt) && dt != DT_UNDEFINED);
    if (!refused) return true;
    op_raise_not_implemented(rows[op].kernel, dt);
    return false;
}

bool op_reduced_float_ok(ReducedFloatOp op, const Tensor *x) {
    return !x || op_reduced_float_ok_dtype(op, x->dtype, tensor_is_cuda(x));
}

bool op_reduced_float_ok_named(const char *op, const Tensor *x) {
    for (int i = 0; i < RF_COUNT; i++)
        if (!strcmp(rows[i].op, op)) return op_reduced_float_ok((ReducedFloatOp)i, x);
    return true;
}
