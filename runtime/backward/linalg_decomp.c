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

/* the nodes whose formula tsr does not have yet */
FORMULA(linalg_unimplemented_backward) {
    (void)grad_outputs;
    (void)grad_inputs;
    tsr_raise(ERR_NotImplementedError, "tsr: the derivative of %s is not implemented yet", ag_node_name(node));
    return false;
}

/* linalg.solve_triangular inside a formula: recorded with grad mode on
 * (create_graph), else plain */
static Tensor *Ssolve_tri_unit(Scratch *s, Tensor *A, Tensor *B, bool upper, bool left, bool unit) {
    if (!A || !B) return NULL;
    return keep(s, ag_grad_enabled ? op_linalg_solve_triangular(A, B, upper, left, unit)
                                   : op_linalg_solve_triangular_nograd(A, B, upper, left, unit));
}

static Tensor *Ssolve_tri(Scratch *s, Tensor *A, Tensor *B, bool upper, bool left) {
    return Ssolve_tri_unit(s, A, B, upper, left, false);
}

static Tensor *Stril(Scratch *s, Tensor *a, int64_t k) { return a ? keep(s, op_tril(a, k, false)) : NULL; }
static Tensor *Striu(Scratch *s, Tensor *a, int64_t k) { return a ? keep(s, op_tril(a, k, true)) : NULL; }
static Tensor *Snarrow(Scratch *s, Tensor *a, int64_t dim, int64_t start, int64_t len) {
    return a ? keep(s, op_narrow(a, dim, start, len)) : NULL;
}
static Tensor *Scat2(Scratch *s, Tensor *a, Tensor *b, int64_t dim) {
    Tensor *ts[2] = {a, b};
    return a && b ? keep(s, op_cat(ts, 2, dim)) : NULL;
}

/* P, L, U of a factorization (lu_unpack, recorded under create_graph) */
static bool Slu_unpack(Scratch *s, Tensor *LU, Tensor *piv, bool pivot, Tensor **P, Tensor **L, Tensor **U) {
    if (!op_lu_unpack(LU, piv, true, pivot, P, L, U)) return false;
    keep(s, *P), keep(s, *L), keep(s, *U);
    return true;
}

/* linalg_lu_backward (FunctionsManual.cpp): A's gradient from those of
 * L (m x k) and U (k x n), either may be NULL (not both) */
static Tensor *lu_backward(Scratch *s, Tensor *gL, Tensor *gU, Tensor *P, Tensor *L, Tensor *U, bool pivot) {
    int64_t m = L->shape[L->ndim - 2], n = U->shape[U->ndim - 1], k = m < n ? m : n;
    Tensor *A = NULL;
    if (m == n) {
        /* P L^{-H} [L^H gL o 1_L + gU U^H o 1_U] U^{-H} */
        A = gL ? Stril(s, Smatmul(s, SmT(s, L), gL), -1) : NULL;
        if (gU) {
            Tensor *t = Striu(s, Smatmul(s, gU, SmT(s, U)), 0);
            A = A ? S2(s, BIN_ADD, A, t) : t;
        }
        A = Ssolve_tri(s, SmT(s, U), A, false, false);
        A = Ssolve_tri_unit(s, SmT(s, L), A, true, true, true);
    } else if (m < n) {
        /* wide: A1 = P L^{-H} [gU1 + (L^H gL o 1_L - gU U^H o 1_U) U1^{-H}], A2 = P L^{-H} gU2 */
        Tensor *U1 = Snarrow(s, U, -1, 0, k);
        A = gL ? Smatmul(s, SmT(s, L), gL) : NULL;
        if (gU) {
            Tensor *t = Smatmul(s, Striu(s, gU, 0), SmT(s, U));
            A = A ? S2(s, BIN_SUB, A, t) : S1(s, UN_NEG, t);
        }
        A = Ssolve_tri(s, SmT(s, U1), Stril(s, A, -1), false, false);
        if (gU)
            A = Scat2(s, S2(s, BIN_ADD, A, Striu(s, Snarrow(s, gU, -1, 0, k), 0)), Snarrow(s, gU, -1, k, n - k), -1);
        A = Ssolve_tri_unit(s, SmT(s, L), A, true, true, true);
        if (!gU) A = Scat2(s, A, Szeros_like(s, Snarrow(s, U, -1, k, n - k)), -1);
    } else {
        /* tall: A1 = P [gL1 + L1^{-H} (gU U^H o 1_U - L^H gL o 1_L)] U^{-H}, A2 = P gL2 U^{-H} */
        Tensor *L1 = Snarrow(s, L, -2, 0, k);
        A = gU ? Smatmul(s, gU, SmT(s, U)) : NULL;
        if (gL) {
            Tensor *t = Smatmul(s, SmT(s, L), Stril(s, gL, -1));
            A = A ? S2(s, BIN_SUB, A, t) : S1(s, UN_NEG, t);
        }
        A = Ssolve_tri_unit(s, SmT(s, L1), Striu(s, A, 0), true, true, true);
        if (gL)
            A = Scat2(s, S2(s, BIN_ADD, A, Stril(s, Snarrow(s, gL, -2, 0, k), -1)), Snarrow(s, gL, -2, k, m - k), -2);
        A = Ssolve_tri(s, SmT(s, U), A, false, false);
        if (!gL) A = Scat2(s, A, Szeros_like(s, Snarrow(s, L, -2, k, m - k)), -2);
    }
    return pivot ? Smatmul(s, P, A) : A;
}

/* linalg.lu (saved {P, L, U}, args {pivot}) */
FORMULA(linalg_lu_backward) {
    Tensor *gL = grad_outputs[0], *gU = grad_outputs[1];
    if (!gL && !gU) return true;
    SCRATCH;
    CTX(c);
    SAVED(P, 0);
    SAVED_RESULT(L, 1);
    SAVED_RESULT(U, 2);
    SET(0, lu_backward(s, gL, gU, P, L, U, c->args[0] != 0));
    END;
}

/* lu_factor_ex_backward (saved {LU, pivots}, args {pivot}): L's part of the
 * gradient below the diagonal, U's on and above it */
FORMULA(linalg_lu_factor_ex_backward) {
    BEGIN;
    CTX(c);
    SAVED_RESULT(LU, 0);
    SAVED(piv, 1);
    bool pivot = c->args[0] != 0;
    int64_t m = LU->shape[LU->ndim - 2], n = LU->shape[LU->ndim - 1], k = m < n ? m : n;
    Tensor *P, *L, *U;
    if (!Slu_unpack(s, LU, piv, pivot, &P, &L, &U)) {
        scratch_free(s);
        return false;
    }
    Tensor *gL = Stril(s, Snarrow(s, grad, -1, 0, k), -1), *gU = Striu(s, Snarrow(s, grad, -2, 0, k), 0);
    SET(0, gL && gU ? lu_backward(s, gL, gU, P, L, U, pivot) : NULL);
    END;
}

/* lu_unpack_backward (args {m, n}): L's gradient below the diagonal, U's
 * on and above it, in LU's m x n shape */
FORMULA(lu_unpack_backward) {
    Tensor *gL = grad_outputs[0], *gU = grad_outputs[1];
    if (!gL && !gU) return true;
    SCRATCH;
    CTX(c);
    int64_t m = c->args[0], n = c->args[1], k = m < n ? m : n;
    Tensor *r = keep(s, tensor_zeros(c->dtype, c->ndim, c->sizes, (gL ? gL : gU)->storage->device));
    if (r && gL) {
        Tensor *part = Snarrow(s, Snarrow(s, r, -2, 0, m), -1, 0, k);
        if (!part || !keep(s, op_binary_(BIN_ADD, part, Stril(s, gL, -1)))) r = NULL;
    }
    if (r && gU) {
        Tensor *part = Snarrow(s, Snarrow(s, r, -2, 0, k), -1, 0, n);
        if (!part || !keep(s, op_binary_(BIN_ADD, part, Striu(s, gU, 0)))) r = NULL;
    }
    SET(0, r);
    END;
}

/* linalg_solve_triangular_backward (saved {A, X}, args {upper, left,
 * unitriangular}): gB = A^{-H} gX (a triangular solve with the other
 * triangle); gA = -gB X^H (left) or -X^H gB, in A's triangle */
FORMULA(linalg_solve_triangular_backward) {
    BEGIN;
    CTX(c);
    SAVED(A, 0);
    SAVED_RESULT(X, 1);
    bool upper = c->args[0] != 0, left = c->args[1] != 0, unit = c->args[2] != 0;
    Tensor *gB = Ssolve_tri_unit(s, SmT(s, A), grad, !upper, left, unit);
    if (need(node, 0)) {
        Tensor *XH = SmT(s, X);
        Tensor *gA = S1(s, UN_NEG, left ? Smatmul(s, gB, XH) : Smatmul(s, XH, gB));
        SET(0, upper ? Striu(s, gA, unit ? 1 : 0) : Stril(s, gA, unit ? -1 : 0));
    }
    SET(1, gB);
    END;
}

/* triangular_solve_backward (inputs {b, A}, saved {A, x}, args {upper,
 * transpose, unitriangular}; outputs {x, A's copy}) */
FORMULA(triangular_solve_backward) {
    Tensor *gx = grad_outputs[0], *gm = grad_outputs[1];
    if (!gx && !gm) return true;
    SCRATCH;
    CTX(c);
    SAVED(A, 0);
    SAVED_RESULT(x, 1);
    bool upper = c->args[0] != 0, transpose = c->args[1] != 0, unit = c->args[2] != 0;
    Tensor *gb = NULL, *gA = NULL;
    if (gx) {
        Tensor *X = NULL, *Ac = NULL;
        if (!op_triangular_solve(gx, A, upper, !transpose, unit, &X, &Ac)) {
            scratch_free(s);
            return false;
        }
        gb = keep(s, X);
        keep(s, Ac);
        if (need(node, 1)) {
            gA = S1(s, UN_NEG, transpose ? Smatmul(s, x, SmT(s, gb)) : Smatmul(s, gb, SmT(s, x)));
            gA = upper ? Striu(s, gA, unit) : Stril(s, gA, -(int64_t)unit);
        }
    }
    if (need(node, 1) && gm) gA = gA ? S2(s, BIN_ADD, gA, gm) : gm;
    if (gb) SET(0, gb);
    if (gA) SET(1, gA);
    END;
}

/* linalg_lu_solve (saved {LU, pivots, X}, args {left, adjoint}):
 * gB = lu_solve(LU, pivots, gX, left, !adjoint); LU's gradient
 * linalg_lu_solve_LU (FunctionsManual.cpp) */
FORMULA(linalg_lu_solve_backward) {
    BEGIN;
    CTX(c);
    SAVED(LU, 0);
    SAVED(piv, 1);
    SAVED_RESULT(X, 2);
    bool left = c->args[0] != 0, adjoint = c->args[1] != 0;
    if (need(node, 0)) {
        Tensor *P, *L, *U, *gLU;
        if (!Slu_unpack(s, LU, piv, left == adjoint, &P, &L, &U)) {
            scratch_free(s);
            return false;
        }
        if (left != adjoint) {
            /* gR = U^{-H} op_2(-gX) op_2(X)^H; gL = (L^{-H} gR U^H).tril(-1) */
            Tensor *gX_ = left ? grad : SmT(s, grad), *X_ = left ? SmT(s, X) : X;
            Tensor *gR = Ssolve_tri(s, SmT(s, U), Smatmul(s, S1(s, UN_NEG, gX_), X_), false, true);
            Tensor *gL = Stril(s, Ssolve_tri_unit(s, SmT(s, L), Smatmul(s, gR, SmT(s, U)), true, true, true), -1);
            gLU = S2(s, BIN_ADD, gL, Striu(s, gR, 0));
        } else {
            /* gR = -P^T op_3(X) op_1(op_2(gX)) P L^{-H}; gU = (L^H gR U^{-H}).triu() */
            Tensor *a = Smatmul(s, SmT(s, P), left ? X : SmT(s, X));
            Tensor *gR = S1(s, UN_NEG, Smatmul(s, Smatmul(s, a, left ? SmT(s, grad) : grad), P));
            gR = Ssolve_tri_unit(s, SmT(s, L), gR, true, false, true);
            Tensor *gU = Striu(s, Ssolve_tri(s, SmT(s, U), Smatmul(s, SmT(s, L), gR), false, false), 0);
            gLU = S2(s, BIN_ADD, Stril(s, gR, -1), gU);
        }
        SET(0, gLU);
    }
    if (need(node, 1)) {
        Tensor *gB = ag_grad_enabled ? op_linalg_lu_solve(LU, piv, grad, left, !adjoint)
                                     : op_linalg_lu_solve_nograd(LU, piv, grad, left, !adjoint);
        SET(1, keep(s, gB));
    }
    END;
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
