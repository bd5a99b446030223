/* linalg_ormqr.c: OrmqrBackward0, which PyTorch 1.13 does not implement. */
#include "formula.h"

FORMULA(ormqr_backward) {
    (void)node;
    (void)grad_outputs;
    (void)grad_inputs;
    tsr_raise(ERR_NotImplementedError, "%s", "the derivative for 'ormqr' is not implemented.");
    return false;
}
