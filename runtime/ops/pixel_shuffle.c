/* pixel_shuffle.c: pixel_shuffle and pixel_unshuffle, ATen's own ops with
 * one node each (PixelShuffleBackward0: the unshuffle of the gradient, and
 * the reverse). The values are a permuted copy: the input viewed as
 * (..., C', r, r, H, W), permuted to (..., C', H, r, W, r) and made
 * contiguous (and the inverse), which is what ATen's kernel writes. */
#include <inttypes.h>

#include "autograd.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

static bool shuffle_check(Tensor *x, int64_t r, bool up) {
    const char *name = up ? "pixel_shuffle" : "pixel_unshuffle";
    if (x->ndim < 3) {
        tsr_raise(ERR_RuntimeError, "%s expects input to have at least 3 dimensions, but got input with %d dimension(s)",
                  name, x->ndim);
        return false;
    }
    if (r <= 0) {
        tsr_raise(ERR_RuntimeError, "%s expects a positive %s, but got %" PRId64, name,
                  up ? "upscale_factor" : "downscale_factor", r);
        return false;
    }
    int64_t c = x->shape[x->ndim - 3], h = x->shape[x->ndim - 2], w = x->shape[x->ndim - 1];
    if (up && c % (r * r)) {
        tsr_raise(ERR_RuntimeError,
                  "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                  "upscale_factor, but input.size(-3)=%" PRId64 " is not divisible by %" PRId64,
                  c, r * r);
        return false;
    }
    if (!up && h % r) {
        tsr_raise(ERR_RuntimeError,
                  "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=%" PRId64
                  " is not divisible by %" PRId64,
                  h, r);
        return false;
    }
    if (!up && w % r) {
        tsr_raise(ERR_RuntimeError,
                  "pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=%" PRId64
                  " is not divisible by %" PRId64,
                  w, r);
        return false;
    }
    return true;
}

/* The copy: the batch dims of x (all but the last three) flattened to one,
 * viewed in six dims, permuted, made contiguous, reshaped to the result. */
static Tensor *shuffle_values(Tensor *x, int64_t r, bool up) {
    int nb = x->ndim - 3;
    int64_t batch = 1;
    for (int i = 0; i < nb; i++) batch *= x->shape[i];
    int64_t c = x->shape[nb], h = x->shape[nb + 1], w = x->shape[nb + 2];
    int64_t six[6], out3[3];
    static const int64_t perm_up[6] = {0, 1, 4, 2, 5, 3};   /* (B, oc, r, r, h, w) -> (B, oc, h, r, w, r) */
    static const int64_t perm_down[6] = {0, 1, 3, 5, 2, 4}; /* (B, c, oh, r, ow, r) -> (B, c, r, r, oh, ow) */
    if (up) {
        int64_t oc = c / (r * r);
        int64_t s[6] = {batch, oc, r, r, h, w};
        for (int i = 0; i < 6; i++) six[i] = s[i];
        out3[0] = oc, out3[1] = h * r, out3[2] = w * r;
    } else {
        int64_t s[6] = {batch, c, h / r, r, w / r, r};
        for (int i = 0; i < 6; i++) six[i] = s[i];
        out3[0] = c * r * r, out3[1] = h / r, out3[2] = w / r;
    }
    int64_t shape[TSR_MAX_DIMS];
    for (int i = 0; i < nb; i++) shape[i] = x->shape[i];
    for (int i = 0; i < 3; i++) shape[nb + i] = out3[i];
    Tensor *v = op_reshape(x, 6, six);
    Tensor *p = v ? op_permute(v, 6, up ? perm_up : perm_down) : NULL;
    Tensor *c6 = p ? op_contiguous(p) : NULL;
    Tensor *out = c6 ? op_reshape(c6, x->ndim, shape) : NULL;
    tensor_release(v);
    tensor_release(p);
    tensor_release(c6);
    if (out && out->storage == x->storage) { /* a permutation of size-1 dims: still a new tensor */
        Tensor *copy = op_clone(out);
        tensor_release(out);
        out = copy;
    }
    return out;
}

static Tensor *shuffle(Tensor *x, int64_t r, bool up) {
    if (!shuffle_check(x, r, up)) return NULL;
    Tensor *out = NULL;
    NO_GRAD(out = shuffle_values(x, r, up));
    if (!out) return NULL;
    return ag_record_steal(out, up ? NODE_PixelShuffleBackward0 : NODE_PixelUnshuffleBackward0, &x, 1, NULL, 0, &r,
                           sizeof r);
}

Tensor *op_pixel_shuffle(Tensor *x, int64_t upscale_factor) { return shuffle(x, upscale_factor, true); }

Tensor *op_pixel_unshuffle(Tensor *x, int64_t downscale_factor) { return shuffle(x, downscale_factor, false); }

/* channel_shuffle (ChanelShuffle.cpp): the input viewed as (N, g, C/g, -1),
 * permuted to (N, C/g, g, -1) and made contiguous. PyTorch 1.13 records a
 * NotImplemented node ("derivative for channel_shuffle is not
 * implemented"). */
Tensor *op_channel_shuffle(Tensor *x, int64_t groups) {
    if (x->ndim <= 2) {
        char s[256];
        op_shape_text(s, sizeof s, x->ndim, x->shape);
        tsr_raise(ERR_RuntimeError, "channel_shuffle expects input with > 2 dims, but got input with sizes %s", s);
        return NULL;
    }
    if (groups <= 0) {
        tsr_raise(ERR_RuntimeError,
                  "Number of groups to divide channels in must be positive. Value of groups:%" PRId64, groups);
        return NULL;
    }
    int64_t c = x->shape[1];
    if (c % groups) {
        tsr_raise(ERR_RuntimeError, "Number of channels must be divisible by groups. Got %" PRId64
                  " channels and %" PRId64 " groups.", c, groups);
        return NULL;
    }
    int64_t four[4] = {x->shape[0], groups, c / groups, -1};
    static const int64_t perm[4] = {0, 2, 1, 3};
    Tensor *out = NULL;
    NO_GRAD({
        if (!tensor_numel(x)) {
            out = op_contiguous(x);
        } else {
            Tensor *v = op_reshape(x, 4, four);
            Tensor *p = v ? op_permute(v, 4, perm) : NULL;
            Tensor *cc = p ? op_contiguous(p) : NULL;
            out = cc ? op_reshape(cc, x->ndim, x->shape) : NULL;
            tensor_release(v);
            tensor_release(p);
            tensor_release(cc);
        }
        if (out && out->storage == x->storage) { /* nothing moved: still a new tensor */
            Tensor *copy = op_clone(out);
            tensor_release(out);
            out = copy;
        }
    });
    if (!out || !ag_any_requires_grad(&x, 1)) return out;
    GradNode *n = ag_record(out, NODE_NotImplemented, &x, 1);
    if (!n || !(n->ctx = tsr_strndup("=channel_shuffle", 16))) {
        tensor_release(out);
        return NULL;
    }
    return out;
}
