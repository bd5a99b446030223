/* linalg_decomp.c: backward formulas of the LAPACK-based linalg nodes
 * (runtime/ops/linalg_decomp.c): det, slogdet, inv_ex, solve_ex, cholesky,
 * cholesky_solve, cholesky_inverse, as
 * PyTorch 1.13's FunctionsManual.cpp writes them. Without grad mode they
 * reuse the forward's LU factorization (lu_solve with adjoint = !use_A_T,
 * ATen's trick of factoring a contiguous A as A^T), which gives PyTorch's
 * bits; with create_graph they solve with A.mH() again, so the graph
 * differentiates through the solve (det's extra SVD-based formula for
 * singular matrices under create_graph is not implemented). */
#include <float.h>
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

static Tensor *SmT(Scratch *s, Tensor *a) { return a ? keep(s, op_transpose(a, -2, -1)) : NULL; }

/* diag_embed(v): (*, n) -> (*, n, n) with v on the diagonal */
static Tensor *Sdiag_embed(Scratch *s, Tensor *v) {
    if (!v || v->ndim < 1 || v->ndim + 1 > TSR_MAX_DIMS) return NULL;
    GradEdge e = {0};
    int64_t shape[TSR_MAX_DIMS];
    memcpy(shape, v->shape, sizeof(int64_t) * (size_t)v->ndim);
    shape[v->ndim] = v->shape[v->ndim - 1];
    e.dtype = v->dtype;
    e.device = v->storage->device;
    e.ndim = v->ndim + 1;
    e.shape = shape;
    return diagonal_embed(s, v, &e, 0, -2, -1);
}

/* diag_embed(g.unsqueeze(-1).expand_as(pivots)): g (*) on the diagonals */
static Tensor *Sdiag_of(Scratch *s, Tensor *g, Tensor *piv) {
    Tensor *u = Sunsqueeze(s, g, -1);
    Tensor *x = u ? keep(s, op_expand(u, piv->ndim, piv->shape)) : NULL;
    return Sdiag_embed(s, x);
}

/* The solve of the backward passes: A^{-H} G from the saved factorization
 * (no grad mode), else linalg.solve(A.mH(), G) recorded */
static Tensor *Ssolve_adjoint(Scratch *s, Tensor *A, Tensor *LU, Tensor *piv, Tensor *G, bool left) {
    if (!G) return NULL;
    if (!ag_grad_enabled) {
        bool use_A_T = tensor_is_contiguous(A);
        return keep(s, op_linalg_lu_solve_nograd(LU, piv, G, left, !use_A_T));
    }
    Tensor *X = NULL, *info = NULL;
    Tensor *AH = SmT(s, A);
    if (!AH || !op_linalg_solve_ex(AH, G, left, true, "torch.linalg.solve", &X, &info)) return NULL;
    tensor_release(info);
    return keep(s, X);
}

/* linalg_det_backward: A^{-H} (grad * det); LU's zero pivots become eps
 * (the non-singular approximation ATen uses without grad mode) */
FORMULA(linalg_det_backward) {
    BEGIN;
    SAVED(A, 0);
    SAVED_RESULT(det, 1);
    SAVED(LU, 2);
    SAVED(piv, 3);
    if (tensor_numel(A) == 0) {
        END;
    }
    Tensor *d = Sdiag_of(s, S2(s, BIN_MUL, grad, det), piv);
    Tensor *r = NULL;
    if (!ag_grad_enabled) {
        double eps = A->dtype == DT_FLOAT64 ? DBL_EPSILON : FLT_EPSILON;
        Tensor *zero = Szero(s, LU->dtype);
        Tensor *diag = keep(s, op_diagonal(LU, 0, -2, -1));
        Tensor *isz = diag && zero ? keep(s, op_binary(BIN_EQ, diag, zero)) : NULL;
        Tensor *w = Swhere(s, isz, Sf(s, eps), Sf(s, 0.0));
        Tensor *LU_ = S2(s, BIN_ADD, LU, Sdiag_embed(s, w));
        r = LU_ ? Ssolve_adjoint(s, A, LU_, piv, d, true) : NULL;
    } else {
        r = Ssolve_adjoint(s, A, LU, piv, d, true);
    }
    SET(0, r);
    END;
}

/* slogdet_backward: A^{-H} grad_logabsdet (grad_sign is ignored for real A) */
FORMULA(linalg_slogdet_backward) {
    Tensor *g = grad_outputs[1];
    if (!g) return true;
    SCRATCH;
    SAVED(A, 0);
    SAVED(LU, 2);
    SAVED(piv, 3);
    SET(0, Ssolve_adjoint(s, A, LU, piv, Sdiag_of(s, g, piv), true));
    END;
}

/* inv_ex: -inverse.mH() @ (grad @ inverse.mH()) */
FORMULA(linalg_inv_ex_backward) {
    BEGIN;
    SAVED_RESULT(inv, 0);
    Tensor *iH = SmT(s, inv);
    Tensor *gi = iH ? keep(s, op_matmul(grad, iH)) : NULL;
    Tensor *p = gi ? keep(s, op_matmul(iH, gi)) : NULL;
    SET(0, S1(s, UN_NEG, p));
    END;
}

/* linalg_solve_backward: gB = A^{-H} gX (left) or gX A^{-H};
 * gA = -gB X^H (left) or -X^H gB */
FORMULA(linalg_solve_ex_backward) {
    BEGIN;
    CTX(c);
    SAVED(A, 0);
    SAVED_RESULT(X, 1);
    SAVED(LU, 2);
    SAVED(piv, 3);
    bool left = c->args[0] != 0;
    bool vector_case = X->ndim == 1 || (X->ndim == LU->ndim - 1 && !memcmp(X->shape, LU->shape,
                                                                         sizeof(int64_t) * (size_t)X->ndim));
    Tensor *gX = vector_case ? Sunsqueeze(s, grad, -1) : grad;
    Tensor *gB = Ssolve_adjoint(s, A, LU, piv, gX, left);
    if (need(node, 0)) {
        Tensor *X_ = vector_case ? Sunsqueeze(s, X, -1) : X;
        Tensor *XH = SmT(s, X_);
        Tensor *p = gB && XH ? keep(s, left ? op_matmul(gB, XH) : op_matmul(XH, gB)) : NULL;
        SET(0, S1(s, UN_NEG, p));
    }
    if (need(node, 1)) {
        int64_t last = -1;
        SET(1, vector_case ? (gB ? keep(s, op_squeeze(gB, 1, &last)) : NULL) : gB);
    }
    END;
}

/* cholesky, lu_factor, lu_solve: PyTorch has these formulas; tsr not yet */
FORMULA(linalg_unimplemented_backward) {
    (void)grad_outputs;
    (void)grad_inputs;
    tsr_raise(ERR_NotImplementedError, "tsr: the derivative of %s is not implemented yet", ag_node_name(node));
    return false;
}

/* linalg.solve_triangular inside a formula: recorded with grad mode on
 * (create_graph; its own backward is not written yet), else plain */
static Tensor *Ssolve_tri(Scratch *s, Tensor *A, Tensor *B, bool upper, bool left) {
    if (!A || !B) return NULL;
    return keep(s, ag_grad_enabled ? op_linalg_solve_triangular(A, B, upper, left, false)
                                   : op_linalg_solve_triangular_nograd(A, B, upper, left, false));
}

/* cholesky_backward (Iain Murray, arXiv 1602.07527), as 1.13 writes it:
 * gA = tril(L^H gL); gA = 0.5 (gA + tril(gA, -1)^H);
 * gA = L^{-H} gA L^{-1} by two triangular solves */
FORMULA(cholesky_backward) {
    BEGIN;
    CTX(c);
    SAVED_RESULT(L, 0);
    Tensor *gL = grad;
    if (c->args[0]) {
        L = SmT(s, L);
        gL = SmT(s, gL);
    }
    Tensor *LH = SmT(s, L);
    Tensor *p = LH && gL ? keep(s, op_matmul(LH, gL)) : NULL;
    Tensor *gA = p ? keep(s, op_tril(p, 0, false)) : NULL;
    Tensor *low = gA ? keep(s, op_tril(gA, -1, false)) : NULL;
    gA = S2(s, BIN_ADD, gA, SmT(s, low));
    gA = gA ? keep(s, op_scalar_binary(BIN_MUL, gA, 0.5, true)) : NULL;
    gA = Ssolve_tri(s, LH, gA, true, true);
    gA = Ssolve_tri(s, L, gA, false, false);
    SET(0, gA);
    END;
}

/* cholesky_solve_backward (saved {L, X}, args {upper}): gB =
 * cholesky_solve(gX, L); C = gB X^H + (gB X^H)^H; gL = -L C (upper) or
 * -C L */
FORMULA(cholesky_solve_backward) {
    BEGIN;
    CTX(c);
    SAVED(L, 0);
    SAVED_RESULT(X, 1);
    bool upper = c->args[0] != 0;
    Tensor *gB = keep(s, op_cholesky_solve(grad, L, upper));
    Tensor *XH = SmT(s, X);
    Tensor *C = gB && XH ? keep(s, op_matmul(gB, XH)) : NULL;
    C = S2(s, BIN_ADD, C, SmT(s, C));
    Tensor *p = C ? keep(s, upper ? op_matmul(L, C) : op_matmul(C, L)) : NULL;
    SET(0, gB);
    SET(1, S1(s, UN_NEG, p));
    END;
}

/* cholesky_inverse_backward (saved {L, inverse}, args {upper}):
 * C = inv (g + g^H) inv; gL = -L C (upper) or -C L */
FORMULA(cholesky_inverse_backward) {
    BEGIN;
    CTX(c);
    SAVED(L, 0);
    SAVED_RESULT(inv, 1);
    Tensor *C = S2(s, BIN_ADD, grad, SmT(s, grad));
    Tensor *ic = C ? keep(s, op_matmul(C, inv)) : NULL;
    C = ic ? keep(s, op_matmul(inv, ic)) : NULL;
    Tensor *p = C ? keep(s, c->args[0] ? op_matmul(L, C) : op_matmul(C, L)) : NULL;
    SET(0, S1(s, UN_NEG, p));
    END;
}
