/* loss_ctc.c: torch.ctc_loss (LossCTC.cpp's ctc_loss and _ctc_loss: the
 * checks of ctc_loss_cpu_template, then the loops of
 * kernels/cpu/loss_ctc.c on host copies). CtcLossBackward0 saves
 * {log_probs, targets (int64), input_lengths, target_lengths (int64 CPU
 * tensors), result0 (nll), log_alpha} with ctx {blank, zero_infinity};
 * the reduction is ATen's composite (where, div, mean, sum, squeeze). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "loss_ctc.h"
#include "ops.h"

typedef struct {
    int64_t blank;
    bool zero_infinity;
} CtcCtx;

static Tensor *i64_tensor(const int64_t *v, int64_t n) {
    Tensor *t = tensor_empty(DT_INT64, 1, &n, device_cpu());
    if (t && n) memcpy(tensor_data(t), v, sizeof(int64_t) * (size_t)n);
    return t;
}

/* the per-batch target offsets (stride 1 in the contiguous int64 copy) and
 * the longest target; false with ctc_loss_cpu's error */
static bool ctc_offsets(const Tensor *tg, int64_t N, const int64_t *tl, int64_t *offs, int64_t *maxlen) {
    *maxlen = 0;
    if (tg->ndim == 1) {
        int64_t pos = 0;
        for (int64_t b = 0; b < N; b++) {
            offs[b] = pos;
            pos += tl[b];
            if (*maxlen < tl[b]) *maxlen = tl[b];
        }
        if (tg->shape[0] != pos) {
            tsr_raise(ERR_RuntimeError, "Expected tensor to have size %lld at dimension 0, but got size %lld for "
                      "argument #2 'targets' (while checking arguments for ctc_loss_cpu)", (long long)pos,
                      (long long)tg->shape[0]);
            return false;
        }
        return true;
    }
    for (int64_t b = 0; b < N; b++) {
        offs[b] = b * tg->shape[1];
        if (*maxlen < tl[b]) *maxlen = tl[b];
    }
    if (tg->shape[0] != N) {
        tsr_raise(ERR_RuntimeError, "Expected tensor to have size %lld at dimension 0, but got size %lld for argument "
                  "#2 'targets' (while checking arguments for ctc_loss_cpu)", (long long)N, (long long)tg->shape[0]);
        return false;
    }
    if (tg->shape[1] < *maxlen) {
        tsr_raise(ERR_RuntimeError, "Expected tensor to have size at least %lld at dimension 1, but got size %lld for "
                  "argument #2 'targets' (while checking arguments for ctc_loss_cpu)", (long long)*maxlen,
                  (long long)tg->shape[1]);
        return false;
    }
    return true;
}

/* _ctc_loss: nll (N), recorded as CtcLossBackward0 */
static Tensor *ctc_forward(Tensor *lp, Tensor *tg, const int64_t *il, int64_t nil, const int64_t *tl, int64_t ntl,
                           int64_t blank, bool zero_infinity) {
    if (lp->dtype != DT_FLOAT32 && lp->dtype != DT_FLOAT64) {
        tsr_raise(ERR_RuntimeError, "\"ctc_loss_cpu\" not implemented for '%s'", dtype_scalar_name(lp->dtype));
        return NULL;
    }
    if (lp->ndim != 3) {
        tsr_raise(ERR_RuntimeError, "Expected 3-dimensional tensor, but got %d-dimensional tensor for argument #1 "
                  "'log_probs' (while checking arguments for ctc_loss_cpu)", lp->ndim);
        return NULL;
    }
    if (tg->ndim < 1 || tg->ndim > 2) {
        tsr_raise(ERR_RuntimeError, "Expected 1 to 2 dimensions, but got %d-dimensional tensor for argument #2 "
                  "'targets' (while checking arguments for ctc_loss_cpu)", tg->ndim);
        return NULL;
    }
    int64_t T = lp->shape[0], N = lp->shape[1], C = lp->shape[2];
    if (blank < 0 || blank >= C) {
        tsr_raise(ERR_RuntimeError, "%s", "blank must be in label range");
        return NULL;
    }
    if (nil != N) {
        tsr_raise(ERR_RuntimeError, "%s", "input_lengths must be of size batch_size");
        return NULL;
    }
    if (ntl != N) {
        tsr_raise(ERR_RuntimeError, "%s", "target_lengths must be of size batch_size");
        return NULL;
    }
    int64_t *offs = tsr_malloc(sizeof(int64_t) * (size_t)(N ? N : 1)), maxlen;
    if (!offs) return NULL;
    Tensor *nll = NULL, *la = NULL, *hl = NULL, *ht = NULL, *ilt = NULL, *tlt = NULL;
    if (!ctc_offsets(tg, N, tl, offs, &maxlen)) goto fail;
    for (int64_t b = 0; b < N; b++) {
        if (il[b] > T) {
            tsr_raise(ERR_RuntimeError, "Expected input_lengths to have value at most %lld, but got value %lld (while "
                      "checking arguments for ctc_loss_cpu)", (long long)T, (long long)il[b]);
            goto fail;
        }
        if (il[b] < 0 || tl[b] < 0) {
            tsr_raise(ERR_RuntimeError, "%s", "tsr: ctc_loss: negative lengths");
            goto fail;
        }
    }
    int64_t L = 2 * maxlen + 1, lash[3] = {N, T, L};
    nll = tensor_empty(lp->dtype, 1, &N, device_cpu());
    la = nll ? tensor_empty(lp->dtype, 3, lash, device_cpu()) : NULL;
    hl = la ? op_host_contiguous(lp) : NULL;
    ht = hl ? op_host_contiguous(tg) : NULL;
    if (!ht) goto fail;
    /* every target must name a label (ATen indexes with them unchecked) */
    const int64_t *td = (const int64_t *)tensor_data(ht);
    for (int64_t b = 0; b < N; b++)
        for (int64_t j = 0; j < tl[b]; j++)
            if (td[offs[b] + j] < 0 || td[offs[b] + j] >= C) {
                tsr_raise(ERR_RuntimeError, "tsr: ctc_loss: target %lld is not a label in [0, %lld)",
                          (long long)td[offs[b] + j], (long long)C);
                goto fail;
            }
    CtcGeom g = {T, N, C, L, blank, td, offs, il, tl};
    kernel_ctc_loss(lp->dtype, &g, tensor_data(hl), tensor_data(nll), tensor_data(la));
    free(offs);
    offs = NULL;
    tensor_release(hl);
    hl = NULL;
    ilt = i64_tensor(il, N);
    tlt = ilt ? i64_tensor(tl, N) : NULL;
    nll = op_host_result_to_steal(nll, lp->storage->device);
    if (!tlt || !nll) goto fail;
    CtcCtx ctx = {blank, zero_infinity};
    Tensor *saves[6] = {lp, ht, ilt, tlt, nll, la};
    nll = ag_record_steal(nll, NODE_CtcLossBackward0, &lp, 1, saves, 6, &ctx, sizeof ctx);
    tensor_release(ht);
    tensor_release(ilt);
    tensor_release(tlt);
    tensor_release(la);
    return nll;
fail:
    free(offs);
    Tensor *tmp[] = {nll, la, hl, ht, ilt, tlt};
    for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
    return NULL;
}

Tensor *op_ctc_loss(Tensor *log_probs, Tensor *targets, const int64_t *il, int64_t nil, const int64_t *tl,
                    int64_t ntl, int64_t blank, int64_t reduction, bool zero_infinity) {
    bool batched = log_probs->ndim == 3;
    Tensor *lp = batched ? tensor_retain(log_probs) : op_unsqueeze(log_probs, 1), *tg = NULL, *res = NULL;
    if (!lp) return NULL;
    NO_GRAD(tg = op_to(targets, DT_INT64, log_probs->storage->device, false));
    res = tg ? ctc_forward(lp, tg, il, nil, tl, ntl, blank, zero_infinity) : NULL;
    tensor_release(lp);
    tensor_release(tg);
    if (res && zero_infinity) {
        Tensor *inf = tensor_wrapped_float(INFINITY), *isinf = inf ? op_binary(BIN_EQ, res, inf) : NULL;
        Tensor *z = isinf ? tensor_full_f64(res->dtype, 0, NULL, 0.0, res->storage->device) : NULL;
        Tensor *w = z ? op_where(isinf, z, res) : NULL;
        tensor_release(inf);
        tensor_release(isinf);
        tensor_release(z);
        tensor_release(res);
        res = w;
    }
    if (!res) return NULL;
    Tensor *r = NULL;
    if (reduction == 1) {
        Tensor *t = tensor_empty(res->dtype, 1, &ntl, res->storage->device), *c = NULL;
        if (t) {
            Tensor *h = i64_tensor(tl, ntl), *cp = h ? op_copy_(t, h) : NULL;
            tensor_release(h);
            tensor_release(cp);
            Tensor *one = cp ? tensor_wrapped_int(1) : NULL;
            c = one ? op_clamp_bound(t, one, false) : NULL;
            tensor_release(one);
        }
        Tensor *d = c ? op_binary(BIN_DIV, res, c) : NULL;
        r = d ? op_mean(d, 0, NULL, false, DT_UNDEFINED) : NULL;
        tensor_release(t);
        tensor_release(c);
        tensor_release(d);
    } else if (reduction == 2) {
        r = op_sum(res, 0, NULL, false, DT_UNDEFINED);
    } else {
        int64_t d0 = 0;
        r = batched ? tensor_retain(res) : op_squeeze(res, 1, &d0);
    }
    tensor_release(res);
    return r;
}

Tensor *op_ctc_loss_backward(Tensor *grad, Tensor *const *saved, const void *ctx) {
    const CtcCtx *c = ctx;
    Tensor *lp = saved[0], *tg = saved[1], *ilt = saved[2], *tlt = saved[3], *nll = saved[4], *la = saved[5];
    int64_t T = lp->shape[0], N = lp->shape[1], C = lp->shape[2], L = la->shape[2];
    const int64_t *il = (const int64_t *)tensor_data(ilt), *tl = (const int64_t *)tensor_data(tlt);
    int64_t *offs = tsr_malloc(sizeof(int64_t) * (size_t)(N ? N : 1)), maxlen;
    if (!offs) return NULL;
    Tensor *gc = NULL, *hg = NULL, *hl = NULL, *hn = NULL, *lb = NULL, *gin = NULL;
    if (!ctc_offsets(tg, N, tl, offs, &maxlen)) goto done;
    NO_GRAD(gc = op_to_dtype(grad, lp->dtype));
    hg = gc ? op_host_contiguous(gc) : NULL;
    hl = hg ? op_host_contiguous(lp) : NULL;
    hn = hl ? op_host_contiguous(nll) : NULL;
    lb = hn ? tensor_empty(lp->dtype, 3, la->shape, device_cpu()) : NULL;
    gin = lb ? tensor_empty(lp->dtype, 3, lp->shape, device_cpu()) : NULL;
    if (gin) {
        CtcGeom g = {T, N, C, L, c->blank, (const int64_t *)tensor_data(tg), offs, il, tl};
        kernel_ctc_loss_backward(lp->dtype, &g, tensor_data(hg), tensor_data(hl), tensor_data(hn), tensor_data(la),
                                 c->zero_infinity, tensor_data(lb), tensor_data(gin));
    }
    gin = op_host_result_to_steal(gin, lp->storage->device);
done:
    free(offs);
    Tensor *tmp[] = {gc, hg, hl, hn, lb};
    for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
    return gin;
}
