/* linalg_matrix_exp.c: the backward formula of linalg.matrix_exp
 * (runtime/ops/linalg_matrix_exp.c), PyTorch 1.13's
 * linalg_matrix_exp_differential with adjoint: the upper right block of
 * exp([[A^H, G], [0, A^H]]) (Mathias 1996). */
#include "formula.h"
#include "ops.h"

static Tensor *Scat2(Scratch *s, Tensor *a, Tensor *b, int64_t dim) {
    Tensor *ts[2] = {a, b};
    return a && b ? keep(s, op_cat(ts, 2, dim)) : NULL;
}

FORMULA(linalg_matrix_exp_backward) {
    BEGIN;
    SAVED(A, 0);
    int64_t n = A->shape[A->ndim - 1];
    Tensor *AH = keep(s, op_transpose(A, -2, -1));
    Tensor *top = Scat2(s, AH, grad, -1);
    Tensor *bottom = Scat2(s, Szeros_like(s, AH), AH, -1);
    Tensor *meta = Scat2(s, top, bottom, -2);
    Tensor *e = meta ? keep(s, op_linalg_matrix_exp(meta)) : NULL;
    Tensor *rows = e ? keep(s, op_narrow(e, -2, 0, n)) : NULL;
    SET(0, rows ? keep(s, op_narrow(rows, -1, n, n)) : NULL);
    END;
}
