/* linalg_spectral.c: backward formulas of the QR, eigh and SVD nodes
 * (runtime/ops/linalg_qr.c, linalg_spectral.c), as PyTorch 1.13's
 * FunctionsManual.cpp writes them: linalg_eig_backward for eigh (and
 * eigvalsh), linalg_qr_backward, svd_backward (and svdvals' shortcut),
 * the same ops in the same order. The saved factors come back without
 * autograd state, so a create_graph backward does not differentiate
 * through them. geqrf has no derivative in PyTorch either. pinv_backward
 * for linalg.pinv. */
#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* linalg_eig_backward(gL, gV, L, V, is_hermitian = true):
 * gV undefined: V diag(gL) V^H; else with VhgV = V^H gV made
 * skew-symmetric, divided by E = L_j - L_i (1 on the diagonal), gL on its
 * diagonal: V (that V^H) */
FORMULA(linalg_eigh_backward) {
    Tensor *gL = grad_outputs[0], *gV = node->n_outputs > 1 ? grad_outputs[1] : NULL;
    if (!gL && !gV) return true;
    SCRATCH;
    SAVED(L, 0);
    SAVED(V, 1);
    Tensor *VH = SmT(s, V), *gA = NULL;
    if (!gV) {
        gA = Smatmul(s, S2(s, BIN_MUL, V, Sunsqueeze(s, gL, -2)), VH);
    } else {
        Tensor *VhgV = Smatmul(s, VH, gV);
        VhgV = S2(s, BIN_SUB, VhgV, SmT(s, VhgV));
        VhgV = VhgV ? keep(s, op_scalar_binary(BIN_MUL, VhgV, 0.5, false)) : NULL;
        Tensor *E = S2(s, BIN_SUB, Sunsqueeze(s, L, -2), Sunsqueeze(s, L, -1));
        Tensor *Ed = E ? keep(s, op_diagonal(E, 0, -2, -1)) : NULL;
        Tensor *one = Sf(s, 1.0);
        bool filled = Ed && one && keep(s, op_fill_(Ed, one));
        Tensor *ret = filled ? S2(s, BIN_DIV, VhgV, E) : NULL;
        if (ret && gL) {
            Tensor *rd = keep(s, op_diagonal(ret, 0, -2, -1));
            if (!rd || !keep(s, op_copy_(rd, gL))) ret = NULL;
        }
        gA = Smatmul(s, V, Smatmul(s, ret, VH));
    }
    SET(0, gA);
    END;
}

/* symeig: linalg_eig_backward with is_hermitian, which refuses the
 * eigenvalues alone (their eigenvectors were not computed) */
FORMULA(symeig_backward) {
    const OpCtx *c = node->ctx;
    if (c && !c->args[0]) {
        tsr_raise(ERR_RuntimeError, "%s", "linalg_eig_backward: torch.symeig(A, eigenvectors=False) is not "
                  "differentiable. Use torch.linalg.eigvalsh(A) instead.");
        return false;
    }
    return linalg_eigh_backward(node, grad_outputs, grad_inputs);
}

/* d (a fresh matrix batch) with its diagonal times 0.5, in place
 * (ATen's at::real(ret.diagonal()).mul_(0.5)) */
static Tensor *Shalve_diag(Scratch *s, Tensor *d) {
    Tensor *dg = d ? keep(s, op_diagonal(d, 0, -2, -1)) : NULL;
    Tensor *h = dg ? keep(s, op_scalar_binary(BIN_MUL, dg, 0.5, false)) : NULL;
    return h && keep(s, op_copy_(dg, h)) ? d : NULL;
}

static Tensor *Ssolve_tri_right(Scratch *s, Tensor *A, Tensor *B) {
    if (!A || !B) return NULL;
    return keep(s, ag_grad_enabled ? op_linalg_solve_triangular(A, B, false, false, false)
                                   : op_linalg_solve_triangular_nograd(A, B, false, false, false));
}

/* linalg_qr_backward (1.13): with gA = gR R^H - Q^H gQ,
 * m >= n: (Q syminvadj(triu(gA)) + gQ) R^{-H};
 * m < n: [Q tril(X - X^H) R_1^{-H}, 0] + Q gR, X = -gA */
FORMULA(linalg_qr_backward) {
    Tensor *gQ = grad_outputs[0], *gR = grad_outputs[1];
    SCRATCH;
    CTX(c);
    if (c->args[0] == 2) {
        tsr_raise(ERR_RuntimeError, "%s", "The derivative of linalg.qr depends on Q, which is not computed when "
                  "mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through "
                  "linalg.qr.");
        scratch_free(s);
        return false;
    }
    SAVED(Q, 0);
    SAVED(R, 1);
    int64_t m = Q->shape[Q->ndim - 2], n = R->shape[R->ndim - 1];
    if (c->args[0] == 1 && m > n) {
        tsr_raise(ERR_RuntimeError, "%s", "The QR decomposition is not differentiable when mode='complete' and "
                  "nrows > ncols.");
        scratch_free(s);
        return false;
    }
    if (!gQ && !gR) {
        END;
    }
    Tensor *QH = SmT(s, Q), *gA;
    if (gQ) {
        Tensor *qg = Smatmul(s, QH, gQ);
        gA = gR ? S2(s, BIN_SUB, Smatmul(s, gR, SmT(s, R)), qg) : S1(s, UN_NEG, qg);
    } else {
        gA = Smatmul(s, gR, SmT(s, R));
    }
    if (m >= n) {
        Tensor *t = gA ? keep(s, op_tril(gA, 0, true)) : NULL;
        Tensor *sy = Shalve_diag(s, S2(s, BIN_ADD, t, SmT(s, t)));
        gA = Smatmul(s, Q, sy);
        if (gQ) gA = S2(s, BIN_ADD, gA, gQ);
        gA = Ssolve_tri_right(s, SmT(s, R), gA);
    } else {
        Tensor *x = S1(s, UN_NEG, gA);
        Tensor *d = S2(s, BIN_SUB, x, SmT(s, x));
        gA = Smatmul(s, Q, d ? keep(s, op_tril(d, 0, false)) : NULL);
        Tensor *R1 = keep(s, op_narrow(R, -1, 0, m));
        gA = Ssolve_tri_right(s, SmT(s, R1), gA);
        if (gA) {
            int64_t sh[TSR_MAX_DIMS];
            memcpy(sh, R->shape, sizeof(int64_t) * (size_t)R->ndim);
            sh[R->ndim - 1] = n - m;
            Tensor *z = Szeros(s, gA->dtype, R->ndim, sh, gA->storage->device);
            Tensor *parts[2] = {gA, z};
            gA = z ? keep(s, op_cat(parts, 2, -1)) : NULL;
        }
        if (gR) gA = S2(s, BIN_ADD, gA, Smatmul(s, Q, gR));
    }
    SET(0, gA);
    END;
}

/* derivatives.yaml: geqrf: not_implemented("geqrf") */
FORMULA(geqrf_backward) {
    (void)node;
    (void)grad_outputs;
    (void)grad_inputs;
    tsr_raise(ERR_NotImplementedError, "%s", "the derivative for 'geqrf' is not implemented.");
    return false;
}

static Tensor *Sskew(Scratch *s, Tensor *a) { return S2(s, BIN_SUB, a, SmT(s, a)); }

/* svd_backward (1.13) on the first k = min(m, n) columns of U, rows of Vh
 * (full_matrices narrows them and their grads): svdvals' U diag(gS) Vh, or
 * with E = S_j^2 - S_i^2 (1 on the diagonal) the skew parts of U^H gU and
 * Vh gVh^H over E ((U^H gU / E) S with gU alone), gS on the diagonal,
 * then the terms of the tall or wide rectangle */
FORMULA(linalg_svd_backward) {
    Tensor *gU = grad_outputs[0], *gS = grad_outputs[1], *gVh = grad_outputs[2];
    if (!gU && !gS && !gVh) return true;
    SCRATCH;
    CTX(c);
    SAVED(U, 0);
    SAVED(S, 1);
    SAVED(Vh, 2);
    int64_t k = S->shape[S->ndim - 1];
    if (c->args[0]) {
        if (gU) gU = keep(s, op_narrow(gU, -1, 0, k));
        if (gVh) gVh = keep(s, op_narrow(gVh, -2, 0, k));
        U = keep(s, op_narrow(U, -1, 0, k));
        Vh = keep(s, op_narrow(Vh, -2, 0, k));
        if ((gU == NULL) != (grad_outputs[0] == NULL) || (gVh == NULL) != (grad_outputs[2] == NULL) || !U || !Vh) {
            scratch_free(s);
            return false;
        }
    }
    int64_t m = U->shape[U->ndim - 2], n = Vh->shape[Vh->ndim - 1];
    Tensor *gA = NULL;
    if (!gU && !gVh) {
        gA = m >= n ? Smatmul(s, U, S2(s, BIN_MUL, Sunsqueeze(s, gS, -1), Vh))
                    : Smatmul(s, S2(s, BIN_MUL, U, Sunsqueeze(s, gS, -2)), Vh);
    } else {
        Tensor *UhgU = gU ? Sskew(s, Smatmul(s, SmT(s, U), gU)) : NULL;
        Tensor *VhgV = gVh ? Sskew(s, Smatmul(s, Vh, SmT(s, gVh))) : NULL;
        Tensor *Sq = S2(s, BIN_MUL, S, S);
        Tensor *E = S2(s, BIN_SUB, Sunsqueeze(s, Sq, -2), Sunsqueeze(s, Sq, -1));
        Tensor *Ed = E ? keep(s, op_diagonal(E, 0, -2, -1)) : NULL;
        Tensor *one = Sf(s, 1.0);
        if (!Ed || !one || !keep(s, op_fill_(Ed, one))) E = NULL;
        Tensor *Sr = Sunsqueeze(s, S, -2), *Sc = Sunsqueeze(s, S, -1), *ret;
        if (gU && gVh) ret = S2(s, BIN_DIV, S2(s, BIN_ADD, S2(s, BIN_MUL, UhgU, Sr), S2(s, BIN_MUL, Sc, VhgV)), E);
        else if (gU) ret = S2(s, BIN_MUL, S2(s, BIN_DIV, UhgU, E), Sr);
        else ret = S2(s, BIN_MUL, Sc, S2(s, BIN_DIV, VhgV, E));
        if (gS) ret = S2(s, BIN_ADD, ret, keep(s, op_diag_embed(gS, 0, -2, -1)));
        if (m > n && gU) {
            gA = Smatmul(s, U, ret);
            Tensor *gUSinv = S2(s, BIN_DIV, gU, Sr);
            gA = S2(s, BIN_SUB, S2(s, BIN_ADD, gA, gUSinv), Smatmul(s, U, Smatmul(s, SmT(s, U), gUSinv)));
            gA = Smatmul(s, gA, Vh);
        } else if (m < n && gVh) {
            gA = Smatmul(s, ret, Vh);
            Tensor *SinvgVh = S2(s, BIN_DIV, gVh, Sc);
            gA = S2(s, BIN_SUB, S2(s, BIN_ADD, gA, SinvgVh), Smatmul(s, Smatmul(s, SinvgVh, SmT(s, Vh)), Vh));
            gA = Smatmul(s, U, gA);
        } else {
            gA = m >= n ? Smatmul(s, U, Smatmul(s, ret, Vh)) : Smatmul(s, Smatmul(s, U, ret), Vh);
        }
    }
    SET(0, gA);
    END;
}

/* pinv_backward (1.13), the smaller products first: m <= n:
 * K = g^H P; -(P K)^H + K P^H - (A P) K P^H + (P^H P)(g^H - K A);
 * m > n: K = P g^H; -(K P)^H + (g^H - A K) P P^H + P^H K - P^H K P A */
static Tensor *pinv_grad(Scratch *s, Tensor *grad, Tensor *P, Tensor *A) {
    if (!grad || !P || !A) return NULL;
    int64_t m = A->shape[A->ndim - 2], n = A->shape[A->ndim - 1];
    Tensor *PH = SmT(s, P), *gH = SmT(s, grad);
    if (m <= n) {
        Tensor *K = Smatmul(s, gH, P), *KPH = Smatmul(s, K, PH);
        Tensor *t1 = S1(s, UN_NEG, SmT(s, Smatmul(s, P, K)));
        Tensor *t3 = Smatmul(s, Smatmul(s, A, P), KPH);
        Tensor *t4 = Smatmul(s, Smatmul(s, PH, P), S2(s, BIN_SUB, gH, Smatmul(s, K, A)));
        return S2(s, BIN_ADD, S2(s, BIN_SUB, S2(s, BIN_ADD, t1, KPH), t3), t4);
    }
    Tensor *K = Smatmul(s, P, gH), *PHK = Smatmul(s, PH, K);
    Tensor *t1 = S1(s, UN_NEG, SmT(s, Smatmul(s, K, P)));
    Tensor *t2 = Smatmul(s, Smatmul(s, S2(s, BIN_SUB, gH, Smatmul(s, A, K)), P), PH);
    Tensor *t4 = Smatmul(s, Smatmul(s, PHK, P), A);
    return S2(s, BIN_SUB, S2(s, BIN_ADD, S2(s, BIN_ADD, t1, t2), PHK), t4);
}

FORMULA(pinv_backward) {
    BEGIN;
    SAVED(A, 0);
    SAVED_RESULT(P, 1);
    SET(0, pinv_grad(s, grad, P, A));
    END;
}

/* linalg_lstsq_backward: with P = pinv(A) (B and gX as matrices),
 * gA = pinv_backward(gX B^H, P, A), gB = P^H gX */
FORMULA(linalg_lstsq_backward) {
    BEGIN;
    SAVED(A, 0);
    SAVED(B, 1);
    bool vector = A->ndim - B->ndim == 1;
    Tensor *gX = vector ? Sunsqueeze(s, grad, -1) : grad;
    Tensor *B2 = vector ? Sunsqueeze(s, B, -1) : B;
    Tensor *P = keep(s, op_linalg_pinv(A, NULL, NULL, false));
    if (need(node, 0)) SET(0, pinv_grad(s, Smatmul(s, gX, SmT(s, B2)), P, A));
    if (need(node, 1)) {
        Tensor *gB = Smatmul(s, SmT(s, P), gX);
        int64_t last = -1;
        SET(1, vector ? (gB ? keep(s, op_squeeze(gB, 1, &last)) : NULL) : gB);
    }
    END;
}
