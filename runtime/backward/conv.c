/* conv.c: the backward formulas of ConvolutionBackward0, Im2ColBackward0
 * and Col2ImBackward0. ConvolutionBackward0 (convolution_backward
 * in derivatives.yaml): the input, weight and bias gradients, computed by
 * op_convolution_backward (runtime/ops/conv.c). The result records no
 * graph of its own (a create_graph=True backward through a convolution
 * gives gradients that do not require grad). What the node saves is
 * documented with its op. */
#include "error.h"
#include "formula.h"
#include "ops.h"

FORMULA(convolution_backward) {
    BEGIN;
    const ConvParams *p = node->ctx;
    if (!p) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        scratch_free(s);
        return false;
    }
    SAVED(x, 0);
    SAVED(w, 1);
    bool nd[3] = {need(node, 0), need(node, 1), need(node, 2)};
    Tensor *r[3] = {NULL, NULL, NULL};
    if (!op_convolution_backward(grad, x, w, p, nd, r)) ok = false;
    for (int i = 0; i < 3; i++) keep(s, r[i]);
    if (ok) {
        SET(0, r[0]);
        SET(1, r[1]);
        SET(2, r[2]);
    }
    END;
}

/* Im2ColBackward0: col2im of the gradient to the input's size; and
 * Col2ImBackward0: im2col of the gradient (both recorded, so a
 * create_graph=True backward differentiates again) */
FORMULA(im2col_backward) {
    BEGIN;
    const FoldParams *f = node->ctx;
    if (!f) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_col2im(grad, f)));
    END;
}

FORMULA(col2im_backward) {
    BEGIN;
    const FoldParams *f = node->ctx;
    if (!f) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        ok = false;
    }
    SET(0, keep(s, op_im2col(grad, f)));
    END;
}

/* ConvTbcBackward0: conv_tbc_backward(grad, self, weight, bias, pad) */
FORMULA(conv_tbc_backward) {
    BEGIN;
    SAVED(x, 0);
    SAVED(w, 1);
    SAVED(b, 2);
    if (!node->ctx) {
        tsr_raise(ERR_RuntimeError, "%s: missing op context", ag_node_name(node));
        scratch_free(s);
        return false;
    }
    bool want[3] = {need(node, 0), need(node, 1), need(node, 2)};
    Tensor *res[3];
    ok = op_conv_tbc_backward(grad, x, w, b, *(const int64_t *)node->ctx, want, res);
    for (int i = 0; i < 3; i++) keep(s, res[i]);
    SET(0, res[0]);
    SET(1, res[1]);
    SET(2, res[2]);
    END;
}
