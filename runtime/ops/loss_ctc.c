/* loss_ctc.c: ctc_loss, ATen's LossCTC.cpp: the composite ctc_loss
 * (unsqueeze an unbatched input, targets to int64, _ctc_loss, zero_infinity
 * through where, the reduction) over _ctc_loss, whose node is
 * CtcLossBackward0 (input {log_probs}; saved {log_probs, targets,
 * input_lengths, target_lengths, result0 (the losses), result1
 * (log_alpha)}; ctx CtcCtx). The checks are 1.13's, in its order; the
 * loops are kernels/cpu/loss_ctc.c on contiguous host copies (CUDA tensors
 * come back to their device).
 *
 * Where PyTorch 1.13 reads memory it never wrote (an input length of 0,
 * a negative length, a target outside [0, C)), tsr raises or gives the
 * values of later PyTorch versions: see docs/nn-functional.md. */
#include <math.h>
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "loss_ctc.h"
#include "op_errors.h"
#include "ops.h"

#define CTC_FROM "(while checking arguments for ctc_loss_cpu)"

/* lengths: CPU int64 contiguous (the builtin made them) */
static const int64_t *lens(const Tensor *t) { return (const int64_t *)tensor_data(t); }

/* ctc_loss_allocate_outputs' checks; fills g (pointers into tg/il/tl/off,
 * which the caller keeps alive). off: B int64 (the per-batch offsets). */
static bool ctc_check(const Tensor *lp, const Tensor *tg_host, const Tensor *il, const Tensor *tl, int64_t blank,
                      Tensor *off, CtcGeom *g) {
    if (lp->dtype != DT_FLOAT32 && lp->dtype != DT_FLOAT64) {
        op_raise_not_implemented("ctc_loss_cpu", lp->dtype);
        return false;
    }
    if (lp->ndim != 3) {
        tsr_raise(ERR_RuntimeError,
                  "Expected 3-dimensional tensor, but got %d-dimensional tensor for argument #1 'log_probs' " CTC_FROM,
                  lp->ndim);
        return false;
    }
    if (tg_host->ndim < 1 || tg_host->ndim > 2) {
        tsr_raise(ERR_RuntimeError,
                  "Expected 1 to 2 dimensions, but got %d-dimensional tensor for argument #2 'targets' " CTC_FROM,
                  tg_host->ndim);
        return false;
    }
    int64_t T = lp->shape[0], B = lp->shape[1], C = lp->shape[2];
    if (blank < 0 || blank >= C) {
        tsr_raise(ERR_RuntimeError, "%s", "blank must be in label range");
        return false;
    }
    if (tensor_numel(il) != B) {
        tsr_raise(ERR_RuntimeError, "%s", "input_lengths must be of size batch_size");
        return false;
    }
    if (tensor_numel(tl) != B) {
        tsr_raise(ERR_RuntimeError, "%s", "target_lengths must be of size batch_size");
        return false;
    }
    const int64_t *ilv = lens(il), *tlv = lens(tl);
    int64_t *offs = (int64_t *)tensor_data(off);
    int64_t max_tl = 0, pos = 0;
    for (int64_t b = 0; b < B; b++) {
        if (tlv[b] < 0) { /* 1.13 reads outside its buffers; later versions raise this */
            tsr_raise(ERR_RuntimeError,
                      "Expected target_lengths to have value at least 0, but got value %lld " CTC_FROM,
                      (long long)tlv[b]);
            return false;
        }
        offs[b] = tg_host->ndim == 1 ? pos : b * tg_host->shape[1];
        pos += tlv[b];
        if (max_tl < tlv[b]) max_tl = tlv[b];
    }
    if (tg_host->ndim == 1) {
        if (tg_host->shape[0] != pos) {
            tsr_raise(ERR_RuntimeError,
                      "Expected tensor to have size %lld at dimension 0, but got size %lld for argument #2 'targets' "
                      CTC_FROM, (long long)pos, (long long)tg_host->shape[0]);
            return false;
        }
    } else {
        if (tg_host->shape[0] != B) {
            tsr_raise(ERR_RuntimeError,
                      "Expected tensor to have size %lld at dimension 0, but got size %lld for argument #2 'targets' "
                      CTC_FROM, (long long)B, (long long)tg_host->shape[0]);
            return false;
        }
        if (tg_host->shape[1] < max_tl) {
            tsr_raise(ERR_RuntimeError,
                      "Expected tensor to have size at least %lld at dimension 1, but got size %lld for argument #2 "
                      "'targets' " CTC_FROM, (long long)max_tl, (long long)tg_host->shape[1]);
            return false;
        }
    }
    for (int64_t b = 0; b < B; b++) {
        if (ilv[b] < 0) {
            tsr_raise(ERR_RuntimeError, "Expected input_lengths to have value at least 0, but got value %lld " CTC_FROM,
                      (long long)ilv[b]);
            return false;
        }
        if (ilv[b] > T) {
            tsr_raise(ERR_RuntimeError,
                      "Expected input_lengths to have value at most %lld, but got value %lld " CTC_FROM, (long long)T,
                      (long long)ilv[b]);
            return false;
        }
    }
    /* the targets the recursion reads index log_probs: in [0, C) */
    const int64_t *tv = (const int64_t *)tensor_data(tg_host);
    for (int64_t b = 0; b < B; b++)
        for (int64_t i = 0; i < tlv[b]; i++) {
            int64_t v = tv[offs[b] + i];
            if (v < 0 || v >= C) {
                tsr_raise(ERR_IndexError, "ctc_loss: target %lld is out of bounds for %lld classes", (long long)v,
                          (long long)C);
                return false;
            }
        }
    *g = (CtcGeom){T, B, C, 2 * max_tl + 1, blank, false, tv, offs, ilv, tlv};
    return true;
}

/* at::_ctc_loss: the per-sample losses (B); records CtcLossBackward0 */
static Tensor *ctc_loss_raw(Tensor *lp, Tensor *tg, Tensor *il, Tensor *tl, const CtcCtx *c) {
    Tensor *tgh = op_host_contiguous(tg);
    if (!tgh) return NULL;
    int64_t B = lp->ndim == 3 ? lp->shape[1] : 1;
    Tensor *off = tensor_empty(DT_INT64, 1, &B, device_cpu());
    Tensor *lph = NULL, *nll = NULL, *la = NULL;
    CtcGeom g;
    bool ok = off && ctc_check(lp, tgh, il, tl, c->blank, off, &g);
    if (ok) {
        int64_t lash[3] = {g.B, g.T, g.S};
        ok = (lph = op_host_contiguous(lp)) && (nll = tensor_empty(lp->dtype, 1, &g.B, device_cpu())) &&
             (la = tensor_empty(lp->dtype, 3, lash, device_cpu()));
        if (ok) kernel_ctc_loss(lp->dtype, &g, tensor_data(lph), tensor_data(nll), tensor_data(la));
    }
    tensor_release(tgh);
    tensor_release(off);
    tensor_release(lph);
    if (!ok) {
        tensor_release(nll);
        tensor_release(la);
        return NULL;
    }
    Device dev = lp->storage->device;
    nll = op_host_result_to_steal(nll, dev);
    la = nll ? op_host_result_to_steal(la, dev) : (tensor_release(la), NULL);
    if (!la) {
        tensor_release(nll);
        return NULL;
    }
    Tensor *saves[6] = {lp, tg, il, tl, nll, la};
    nll = ag_record_steal(nll, NODE_CtcLossBackward0, &lp, 1, saves, 6, c, sizeof *c);
    tensor_release(la);
    return nll;
}

Tensor *op_ctc_loss_backward(Tensor *grad, Tensor *lp, Tensor *tg, Tensor *il, Tensor *tl, Tensor *nll,
                             Tensor *log_alpha, const CtcCtx *c) {
    Tensor *h[5] = {0};
    Tensor *in[5] = {tg, lp, grad, nll, log_alpha};
    for (int i = 0; i < 5; i++)
        if (!(h[i] = op_host_contiguous(in[i]))) break;
    int64_t B = lp->shape[1];
    Tensor *off = h[4] ? tensor_empty(DT_INT64, 1, &B, device_cpu()) : NULL;
    Tensor *gin = NULL, *beta = NULL;
    CtcGeom g;
    bool ok = off && ctc_check(lp, h[0], il, tl, c->blank, off, &g);
    if (ok && (tensor_numel(h[2]) != B || h[2]->dtype != lp->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "ctc_loss_backward: grad must hold one value of log_probs' dtype per sample");
        ok = false;
    }
    if (ok) {
        g.zero_infinity = c->zero_infinity;
        ok = (gin = tensor_empty(lp->dtype, 3, lp->shape, device_cpu())) &&
             (beta = tensor_empty(lp->dtype, log_alpha->ndim, log_alpha->shape, device_cpu()));
        if (ok)
            kernel_ctc_loss_backward(lp->dtype, &g, tensor_data(h[2]), tensor_data(h[1]), tensor_data(h[3]),
                                     tensor_data(h[4]), tensor_data(beta), tensor_data(gin));
    }
    for (int i = 0; i < 5; i++) tensor_release(h[i]);
    tensor_release(off);
    tensor_release(beta);
    if (!ok) {
        tensor_release(gin);
        return NULL;
    }
    gin = op_host_result_to_steal(gin, lp->storage->device);
    Tensor *ins[2] = {grad, lp};
    if (!gin || !ag_any_requires_grad(ins, 2)) return gin;
    GradNode *node = ag_record(gin, NODE_NotImplemented, ins, 2);
    static const char name[] = "_ctc_loss_backward";
    if (!node || !(node->ctx = tsr_strndup(name, strlen(name)))) {
        tensor_release(gin);
        return NULL;
    }
    return gin;
}

/* at::tensor(target_lengths, res.options()).clamp_min(1) */
static Tensor *clamped_lengths(const Tensor *tl, const Tensor *like) {
    int64_t n = tensor_numel(tl);
    Tensor *t = tensor_empty(like->dtype, 1, &n, device_cpu());
    if (!t) return NULL;
    const int64_t *v = lens(tl);
    for (int64_t i = 0; i < n; i++) {
        if (like->dtype == DT_FLOAT32) {
            float f = (float)v[i];
            ((float *)tensor_data(t))[i] = f < 1 ? 1.0f : f;
        } else {
            double d = (double)v[i];
            ((double *)tensor_data(t))[i] = d < 1 ? 1.0 : d;
        }
    }
    return op_host_result_to_steal(t, like->storage->device);
}

Tensor *op_ctc_loss(Tensor *log_probs, Tensor *targets, Tensor *il, Tensor *tl, int64_t blank, int reduction,
                    bool zero_infinity) {
    bool batched = log_probs->ndim == 3;
    Tensor *lp = batched ? tensor_retain(log_probs) : op_unsqueeze(log_probs, 1);
    Tensor *tg = lp ? op_to_dtype(targets, DT_INT64) : NULL;
    CtcCtx c = {blank, zero_infinity};
    Tensor *res = tg ? ctc_loss_raw(lp, tg, il, tl, &c) : NULL;
    tensor_release(lp);
    tensor_release(tg);
    if (res && zero_infinity) {
        Tensor *inf = tensor_wrapped_float(INFINITY);
        Tensor *mask = inf ? op_binary(BIN_EQ, res, inf) : NULL;
        Tensor *zero = mask ? tensor_zeros(res->dtype, 0, NULL, res->storage->device) : NULL;
        Tensor *w = zero ? op_where(mask, zero, res) : NULL;
        tensor_release(inf);
        tensor_release(mask);
        tensor_release(zero);
        tensor_release(res);
        res = w;
    }
    if (!res) return NULL;
    Tensor *out;
    if (reduction == NN_RED_MEAN) {
        Tensor *lt = clamped_lengths(tl, res);
        Tensor *q = lt ? op_binary(BIN_DIV, res, lt) : NULL;
        out = q ? op_mean(q, 0, NULL, false, DT_UNDEFINED) : NULL;
        tensor_release(lt);
        tensor_release(q);
    } else if (reduction == NN_RED_SUM) {
        out = op_sum(res, 0, NULL, false, DT_UNDEFINED);
    } else if (batched) {
        return res;
    } else {
        int64_t d0 = 0;
        out = op_squeeze(res, 1, &d0);
    }
    tensor_release(res);
    return out;
}
