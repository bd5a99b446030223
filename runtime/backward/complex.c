/* complex.c: backward formulas of complex tensors' own ops (conj,
 * view_as_real / view_as_complex, complex, polar, sgn and angle) and of the
 * FFTs' three transforms (PyTorch 1.13's derivatives.yaml and
 * FunctionsManual.cpp: sgn_backward, angle_backward, polar_backward,
 * fft_r2c_backward, fft_c2r_backward). The gradient is the conjugate
 * Wirtinger derivative, as PyTorch's (its "Autograd for Complex Numbers"
 * note); a real input's gradient is the real part (handle_r_to_c, done by
 * set_grad). */

#include <string.h>

#include "error.h"
#include "formula.h"
#include "ops.h"

/* conj and conj_physical: grad.conj() */
FORMULA(conj_backward) {
    BEGIN;
    SET(0, Sconj(s, grad));
    END;
}

/* view_as_real: at::view_as_complex(grad.contiguous()) */
FORMULA(view_as_real_backward) {
    BEGIN;
    Tensor *c = keep(s, op_contiguous(grad));
    SET(0, c ? keep(s, op_view_as_complex(c)) : NULL);
    END;
}

/* view_as_complex: at::view_as_real(grad.contiguous().resolve_conj()) */
FORMULA(view_as_complex_backward) {
    BEGIN;
    Tensor *c = keep(s, op_contiguous(grad));
    SET(0, c ? keep(s, op_view_as_real(c)) : NULL);
    END;
}

/* complex(real, imag): real: at::real(grad), imag: at::imag(grad) */
FORMULA(complex_backward) {
    BEGIN;
    if (need(node, 0)) SET(0, keep(s, op_real(grad)));
    if (need(node, 1)) SET(1, dtype_is_complex(grad->dtype) ? keep(s, op_imag(grad)) : Szeros_like(s, grad));
    END;
}

/* polar(abs, angle), polar_backward(grad, result):
 *   abs:   at::real(grad.conj() * at::sgn(result))
 *   angle: at::real(grad.conj() * (result * 1j)) */
FORMULA(polar_backward) {
    BEGIN;
    SAVED_RESULT(r, 0);
    Tensor *gc = Sconj(s, grad);
    if (need(node, 0)) {
        Tensor *p = S2(s, BIN_MUL, gc, Ssgn(s, r));
        SET(0, p ? keep(s, op_real(p)) : NULL);
    }
    if (need(node, 1)) {
        Tensor *j = keep(s, tensor_wrapped_complex(0.0, 1.0));
        Tensor *p = S2(s, BIN_MUL, gc, S2(s, BIN_MUL, r, j));
        SET(1, p ? keep(s, op_real(p)) : NULL);
    }
    END;
}

/* sgn: zeros for a real self; for a complex one sgn_backward(self, grad,
 * result): ((grad - (sgn * sgn) * grad.conj()) / (2. * abs)).masked_fill_(abs == 0., 0.) */
FORMULA(sgn_backward) {
    BEGIN;
    if (node->n_saved < 2) {
        SET(0, Szeros_like(s, grad));
        END;
    }
    SAVED(x, 0);
    SAVED_RESULT(sg, 1);
    Tensor *abs = keep(s, op_unary(UN_ABS, x));
    Tensor *num = S2(s, BIN_SUB, grad, S2(s, BIN_MUL, S2(s, BIN_MUL, sg, sg), Sconj(s, grad)));
    Tensor *q = S2(s, BIN_DIV, num, S2f(s, BIN_MUL, abs, 2.0));
    SET(0, Sfill0(s, q, S2f(s, BIN_EQ, abs, 0.0)));
    END;
}

/* angle: zeros for a real self; for a complex one angle_backward:
 * where(self == 0, 0, grad * self / self.abs().pow(2) * 1j) */
FORMULA(angle_backward) {
    BEGIN;
    if (node->n_saved < 1) { /* a real self (nothing saved) */
        SET(0, Szeros_like(s, grad));
        END;
    }
    SAVED(x, 0);
    Tensor *j = keep(s, tensor_wrapped_complex(0.0, 1.0));
    Tensor *v = S2(s, BIN_MUL, S2(s, BIN_DIV, S2(s, BIN_MUL, grad, x), S2f(s, BIN_POW, keep(s, op_unary(UN_ABS, x)), 2.0)), j);
    SET(0, Swhere(s, S2f(s, BIN_EQ, x, 0.0), Szero(s, x->dtype), v));
    END;
}

/* ---- the FFTs (ctx: FftCtx, ops.h) ---- */

/* c: the node's FftCtx (ctx_of raises for a node without one) */
#define FFT_CTX(c)                               \
    const FftCtx *c = (const FftCtx *)ctx_of(node); \
    if (!c) {                                    \
        scratch_free(s);                         \
        return false;                            \
    }

/* _fft_c2c: _fft_c2c(grad, dim, normalization, !forward) */
FORMULA(fft_c2c_backward) {
    BEGIN;
    FFT_CTX(c);
    SET(0, keep(s, op_fft_c2c_raw(grad, c->ndims, c->dims, c->norm, !c->flag)));
    END;
}

/* _fft_r2c: fft_r2c_backward(grad, dim, normalization, onesided,
 * self.size(dim.back())): the onesided gradient zero-filled to the full
 * length (new_zeros, then its slice copy_'d), the inverse c2c, its real
 * part */
FORMULA(fft_r2c_backward) {
    BEGIN;
    FFT_CTX(c);
    Tensor *full = grad;
    int last = (int)c->dims[c->ndims - 1];
    if (c->flag && last < grad->ndim && c->last_dim_size > grad->shape[last]) {
        int64_t sh[TSR_MAX_DIMS];
        memcpy(sh, grad->shape, sizeof(int64_t) * (size_t)grad->ndim);
        sh[last] = c->last_dim_size;
        full = Szeros(s, grad->dtype, grad->ndim, sh, grad->storage->device);
        Tensor *slice = full ? keep(s, op_narrow(full, last, 0, grad->shape[last])) : NULL;
        Tensor *r = slice ? keep(s, op_copy_(slice, grad)) : NULL;
        if (!r) full = NULL;
    }
    Tensor *t = full ? keep(s, op_fft_c2c_raw(full, c->ndims, c->dims, c->norm, false)) : NULL;
    SET(0, t ? keep(s, op_real(t)) : NULL);
    END;
}

/* _fft_c2r: fft_c2r_backward(grad, dim, normalization): the onesided r2c
 * of grad, whose entries 1 .. n - (n/2 + 1) of the last dim count twice
 * (narrow(...).mul_(2)) */
FORMULA(fft_c2r_backward) {
    BEGIN;
    FFT_CTX(c);
    Tensor *gi = keep(s, op_fft_r2c_raw(grad, c->ndims, c->dims, c->norm, true));
    int last = (int)c->dims[c->ndims - 1];
    if (gi) {
        int64_t dbl = grad->shape[last] - gi->shape[last];
        if (dbl > 0) {
            Tensor *part = keep(s, op_narrow(gi, last, 1, dbl));
            Tensor *two = part ? Sf(s, 2.0) : NULL;
            Tensor *r = two ? keep(s, op_binary_(BIN_MUL, part, two)) : NULL;
            if (!r) gi = NULL;
        }
    }
    SET(0, gi);
    END;
}
