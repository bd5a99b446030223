/* bilinear.c: torch.bilinear (F.bilinear) as 1.13's at::bilinear: both
 * inputs flattened to (-1, features), at::_trilinear(input1, weight,
 * input2, expand1 {1,3}, expand2 {0}, expand3 {1,2}, sumdim {2,3}) reshaped
 * to the batch shape + out_features, plus bias. _trilinear is ATen's loop
 * over the unrolled dim of two sumproduct_pair contractions (einsum.c's),
 * recorded as one TrilinearBackward0 (saves i1, i2, i3; its ctx the dim
 * sets), whose backward is three _trilinear calls. */
#include <stdio.h>
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "ops.h"

/* the dim sets of _trilinear as bit masks over total_dim dims */
typedef struct {
    unsigned expand[3], sumdim;
    int unroll_dim;
} TrilinearCtx;

static int dims_of(unsigned mask, int total, int64_t *out, int skip) {
    int n = 0;
    for (int i = 0; i < total; i++)
        if ((mask >> i) & 1u && i != skip) out[n++] = i;
    return n;
}

/* x with a size-1 dim inserted at each dim of mask, in increasing order */
static Tensor *expand_in(Tensor *x, unsigned mask, int total) {
    Tensor *r = tensor_retain(x);
    for (int i = 0; i < total && r; i++) {
        if (!((mask >> i) & 1u)) continue;
        Tensor *u = op_unsqueeze(r, i);
        tensor_release(r);
        r = u;
    }
    return r;
}

static Tensor *trilinear_values(Tensor *const *in, const TrilinearCtx *c) {
    int total = in[0]->ndim;
    for (int k = 0; k < 3; k++) {
        unsigned m = c->expand[k];
        int n = 0;
        for (int i = 0; i < TSR_MAX_DIMS; i++) n += (m >> i) & 1u;
        if (k == 0) total += n;
        else if (in[k]->ndim + n != total) {
            tsr_raise(ERR_RuntimeError, "%s", "number of dimensions must match");
            return NULL;
        }
    }
    if (total > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, total);
        return NULL;
    }
    Tensor *t[3] = {NULL, NULL, NULL}, *out = NULL, *buf = NULL, *buf2 = NULL;
    bool ok = true;
    for (int k = 0; k < 3 && ok; k++) ok = (t[k] = expand_in(in[k], c->expand[k], total)) != NULL;
    int64_t out_size[TSR_MAX_DIMS], sum12[TSR_MAX_DIMS], sum23[TSR_MAX_DIMS];
    int n12 = 0, n23 = 0, ud = c->unroll_dim;
    int64_t unroll_size = -1;
    for (int i = 0; i < total && ok; i++) {
        int64_t sz = 0;
        if (!((c->expand[0] >> i) & 1u)) sz = t[0]->shape[i];
        if (!((c->expand[1] >> i) & 1u)) sz = t[1]->shape[i];
        bool sum = (c->sumdim >> i) & 1u;
        if ((c->expand[2] >> i) & 1u) {
            if (sum && i != ud) sum12[n12++] = i;
        } else {
            sz = t[2]->shape[i];
            if (sum && i != ud) sum23[n23++] = i;
        }
        out_size[i] = sum ? 1 : sz;
        if (i == ud) unroll_size = sz;
    }
    if (ok) ok = (out = tensor_zeros(in[0]->dtype, total, out_size, in[0]->storage->device)) != NULL;
    int64_t mul[3];
    for (int k = 0; k < 3; k++) mul[k] = (c->expand[k] >> ud) & 1u ? 0 : 1;
    bool any_empty = tensor_numel(in[0]) == 0 || tensor_numel(in[1]) == 0 || tensor_numel(in[2]) == 0;
    for (int64_t k = 0; ok && !any_empty && k < unroll_size; k++) {
        Tensor *a = op_narrow(t[0], ud, k * mul[0], 1);
        Tensor *b = a ? op_narrow(t[1], ud, k * mul[1], 1) : NULL;
        Tensor *d = b ? op_narrow(t[2], ud, k * mul[2], 1) : NULL;
        buf = d ? op_sumproduct_pair(a, b, n12, sum12) : NULL;
        buf2 = buf ? op_sumproduct_pair(buf, d, n23, sum23) : NULL;
        Tensor *dst = buf2 ? ((c->sumdim >> ud) & 1u ? tensor_retain(out) : op_narrow(out, ud, k, 1)) : NULL;
        Tensor *r = dst ? op_add_alpha_(dst, buf2, 1.0, false) : NULL;
        ok = r != NULL;
        tensor_release(r);
        tensor_release(dst);
        tensor_release(a);
        tensor_release(b);
        tensor_release(d);
        tensor_release(buf);
        tensor_release(buf2);
    }
    for (int k = 0; k < 3; k++) tensor_release(t[k]);
    if (!ok) {
        tensor_release(out);
        return NULL;
    }
    int64_t sq[TSR_MAX_DIMS];
    int nsq = dims_of(c->sumdim, total, sq, -1);
    if (nsq == 0) return out;
    Tensor *r = op_squeeze(out, nsq, sq);
    tensor_release(out);
    return r;
}

Tensor *op_trilinear(Tensor *i1, Tensor *i2, Tensor *i3, const unsigned expand[3], unsigned sumdim, int unroll_dim) {
    TrilinearCtx c = {{expand[0], expand[1], expand[2]}, sumdim, unroll_dim};
    Tensor *ins[3] = {i1, i2, i3};
    Tensor *out = NULL;
    NO_GRAD(out = trilinear_values(ins, &c));
    return ag_record_steal(out, NODE_TrilinearBackward0, ins, 3, ins, 3, &c, sizeof c);
}

/* _trilinear_backward: each input's gradient is a _trilinear with grad in
 * its place, the grad's dims being the forward's sumdim */
bool op_trilinear_backward(Tensor *grad, Tensor *const *in, const void *ctx, const bool need[3], Tensor **grads) {
    const TrilinearCtx *c = ctx;
    unsigned e0 = c->expand[0], e1 = c->expand[1], e2 = c->expand[2], sd = c->sumdim;
    for (int k = 0; k < 3; k++) grads[k] = NULL;
    if (need[0]) {
        unsigned e[3] = {sd, e1, e2};
        if (!(grads[0] = op_trilinear(grad, in[1], in[2], e, e0, 1))) return false;
    }
    if (need[1]) {
        unsigned e[3] = {e0, sd, e2};
        if (!(grads[1] = op_trilinear(in[0], grad, in[2], e, e1, 1))) return false;
    }
    if (need[2]) {
        unsigned e[3] = {e0, e1, sd};
        if (!(grads[2] = op_trilinear(in[0], in[1], grad, e, e2, 1))) return false;
    }
    return true;
}

static bool size_at(Tensor *t, int d, int64_t *out) {
    if (t->ndim == 0) {
        tsr_raise(ERR_IndexError, "Dimension specified as %d but tensor has no dimensions", d);
        return false;
    }
    if (d >= t->ndim) {
        tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [%d, %d], but got %d)",
                  -t->ndim, t->ndim - 1, d);
        return false;
    }
    *out = t->shape[d];
    return true;
}

Tensor *op_bilinear(Tensor *x1, Tensor *x2, Tensor *w, Tensor *bias) {
    if (x1->ndim != x2->ndim) {
        tsr_raise(ERR_RuntimeError, "bilinear(): input dimensions do not match: got %d and %d", x1->ndim, x2->ndim);
        return NULL;
    }
    for (int i = 0; i < x1->ndim - 1; i++) {
        if (x1->shape[i] != x2->shape[i]) {
            tsr_raise(ERR_RuntimeError, "bilinear(): input batch dimensions do not match at dim %d: got %lld and %lld",
                      i, (long long)x1->shape[i], (long long)x2->shape[i]);
            return NULL;
        }
    }
    int64_t f1, f2, w1, w2, w0, b0;
    if (!size_at(x1, x1->ndim - 1, &f1) || !size_at(w, 1, &w1)) return NULL;
    if (f1 != w1) {
        tsr_raise(ERR_RuntimeError, "bilinear(): input1 size does not match weight size: got %lld but expected %lld",
                  (long long)f1, (long long)w1);
        return NULL;
    }
    if (!size_at(x2, x2->ndim - 1, &f2) || !size_at(w, 2, &w2)) return NULL;
    if (f2 != w2) {
        tsr_raise(ERR_RuntimeError, "bilinear(): input2 size does not match weight size: got %lld but expected %lld",
                  (long long)f2, (long long)w2);
        return NULL;
    }
    if (bias) {
        if (!size_at(bias, 0, &b0) || !size_at(w, 0, &w0)) return NULL;
        if (b0 != w0) {
            tsr_raise(ERR_RuntimeError, "bilinear(): bias size does not match weight size: got %lld but expected %lld",
                      (long long)b0, (long long)w0);
            return NULL;
        }
    }
    if (!size_at(w, 0, &w0)) return NULL;
    int64_t out_size[TSR_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < x1->ndim - 1; i++) out_size[n++] = x1->shape[i];
    out_size[n++] = w0;
    int64_t s1[2] = {-1, f1}, s2[2] = {-1, f2};
    unsigned e[3] = {(1u << 1) | (1u << 3), 1u << 0, (1u << 1) | (1u << 2)};
    Tensor *a = op_reshape(x1, 2, s1);
    Tensor *b = a ? op_reshape(x2, 2, s2) : NULL;
    Tensor *t = b ? op_trilinear(a, w, b, e, (1u << 2) | (1u << 3), 1) : NULL;
    Tensor *out = t ? op_reshape(t, n, out_size) : NULL;
    tensor_release(a);
    tensor_release(b);
    tensor_release(t);
    if (out && bias) {
        Tensor *r = op_binary(BIN_ADD, out, bias);
        tensor_release(out);
        out = r;
    }
    return out;
}
