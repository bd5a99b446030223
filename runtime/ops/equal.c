/* torch.equal: same shape and equal elements (compared in the promoted
 * dtype, NaN != NaN). */
#include "error.h"
#include "ops.h"

bool op_equal(Tensor *a, Tensor *b, bool *result) {
    *result = false;
    if (a->ndim != b->ndim) return true;
    for (int d = 0; d < a->ndim; d++)
        if (a->shape[d] != b->shape[d]) return true;
    Tensor *eq = op_binary(BIN_EQ, a, b);
    if (!eq) return false;
    Tensor *all = op_all(eq, 0, NULL, false);
    tensor_release(eq);
    if (!all) return false;
    *result = tensor_get_i64(all, 0) != 0;
    tensor_release(all);
    return true;
}
