/* pad.c: F.pad (PyTorch 1.13's at::pad / _pad_enum, PadNd.cpp): constant
 * padding (constant_pad_nd, ConstantPadNdBackward0), reflection and
 * replication of the last 1-3 dims (kernels/cpu/pad.c on a contiguous
 * host copy; ReflectionPad{1,2,3}DBackward0, ReplicationPad{1,2,3}DBackward0)
 * and circular padding, composed of slice copies as _pad_circular is (so
 * its grad_fn is CopySlices).
 *
 * The reflection/replication nodes: input {self}; ctx op_ctx(self, 2 * dims,
 * pad) in F.pad's order (last dim first); nothing saved. Their backward
 * records nothing (no second derivative). */
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "ops.h"
#include "pad.h"

/* ------------------------------------------------- constant_pad_nd */

Tensor *op_nn_constant_pad(Tensor *x, int npad, const int64_t *pad, double value) {
    if (npad % 2) {
        tsr_raise(ERR_RuntimeError, "Length of pad must be even but instead it equals %d", npad);
        return NULL;
    }
    if (npad > TSR_MAX_DIMS + 4) {
        tsr_raise(ERR_RuntimeError, "tsr: pad supports at most %d padding values", TSR_MAX_DIMS + 4);
        return NULL;
    }
    int l_inp = x->ndim, l_pad = npad / 2, l_diff = l_inp - l_pad;
    if (l_inp < l_pad) {
        tsr_raise(ERR_RuntimeError,
                  "Length of pad should be no more than twice the number of dimensions of the input. Pad length is "
                  "%d while the input has %d dimensions.",
                  npad, l_inp);
        return NULL;
    }
    Tensor *c_in = tensor_retain(x), *out = NULL, *c_out = NULL, *r = NULL;
    bool all_nonpos = true;
    NO_GRAD({
        for (int i = l_diff; i < l_inp && c_in; i++) {
            int pi = 2 * (l_inp - i - 1);
            if (pad[pi] < 0) {
                Tensor *n = op_narrow(c_in, i, -pad[pi], c_in->shape[i] + pad[pi]);
                tensor_release(c_in);
                c_in = n;
            } else if (pad[pi] != 0) {
                all_nonpos = false;
            }
            if (c_in && pad[pi + 1] < 0) {
                Tensor *n = op_narrow(c_in, i, 0, c_in->shape[i] + pad[pi + 1]);
                tensor_release(c_in);
                c_in = n;
            } else if (pad[pi + 1] != 0) {
                all_nonpos = false;
            }
        }
    });
    if (!c_in) return NULL;
    if (all_nonpos) {
        NO_GRAD(r = op_clone(c_in));
        goto rec;
    }
    int64_t ns[TSR_MAX_DIMS];
    for (int i = 0; i < l_diff; i++) ns[i] = x->shape[i];
    for (int i = 0; i < l_pad; i++) {
        int pi = npad - (i + 1) * 2;
        int64_t nd = x->shape[l_diff + i] + pad[pi] + pad[pi + 1];
        if (nd <= 0) {
            tsr_raise(ERR_RuntimeError,
                      "The input size %lld, plus negative padding %lld and %lld resulted in a negative output size, "
                      "which is invalid. Check dimension %d of your input.",
                      (long long)x->shape[l_diff + i], (long long)pad[pi], (long long)pad[pi + 1], l_diff + i);
            goto fail;
        }
        ns[l_diff + i] = nd;
    }
    out = tensor_full_f64(x->dtype, l_inp, ns, value, x->storage->device);
    if (!out) goto fail;
    layout_restride_format(out, x, layout_suggest_format(x)); /* one value everywhere: restriding is free */
    c_out = tensor_retain(out);
    NO_GRAD({
        for (int i = l_diff; i < l_inp && c_out; i++) {
            int pi = 2 * (l_inp - i - 1);
            if (pad[pi] > 0) {
                Tensor *n = op_narrow(c_out, i, pad[pi], c_out->shape[i] - pad[pi]);
                tensor_release(c_out);
                c_out = n;
            }
            if (c_out && pad[pi + 1] > 0) {
                Tensor *n = op_narrow(c_out, i, 0, c_out->shape[i] - pad[pi + 1]);
                tensor_release(c_out);
                c_out = n;
            }
        }
    });
    if (!c_out || !tensor_copy_(c_out, c_in)) goto fail;
    r = tensor_retain(out);
rec:
    tensor_release(c_in);
    tensor_release(c_out);
    tensor_release(out);
    OpCtx ctx = op_ctx(x, npad, pad);
    return ag_record_steal(r, NODE_ConstantPadNdBackward0, &x, 1, NULL, 0, &ctx, sizeof ctx);
fail:
    tensor_release(c_in);
    tensor_release(c_out);
    tensor_release(out);
    return NULL;
}

/* ------------------------------------------ reflection and replication */

static const char *const pad_names[2][3] = {{"reflection_pad1d", "reflection_pad2d", "reflection_pad3d_cpu"},
                                            {"replication_pad1d_cpu", "replication_pad2d_cpu", "replication_pad3d_cpu"}};

static GradNodeKind pad_node(PadMode m, int dims) {
    static const GradNodeKind k[2][3] = {
        {NODE_ReflectionPad1DBackward0, NODE_ReflectionPad2DBackward0, NODE_ReflectionPad3DBackward0},
        {NODE_ReplicationPad1DBackward0, NODE_ReplicationPad2DBackward0, NODE_ReplicationPad3DBackward0}};
    return k[m][dims - 1];
}

/* c10's "[ torch.FloatTensor{2,0,3} ]", how ATen's messages print an empty tensor */
static void empty_tensor_str(const Tensor *t, char *buf, size_t n) {
    size_t at = (size_t)snprintf(buf, n, "[ torch.%sTensor{", dtype_scalar_name(t->dtype));
    for (int i = 0; i < t->ndim && at < n; i++) at += (size_t)snprintf(buf + at, n - at, i ? ",%lld" : "%lld", (long long)t->shape[i]);
    if (at < n) snprintf(buf + at, n - at, "} ]");
}

/* ATen 1.13's shape checks of reflection_padNd / replication_padNd */
static bool pad_mode_check(const Tensor *x, PadMode m, int dims, const int64_t *pad, const PadGeom *g) {
    bool batched = x->ndim == dims + 2;
    int first = batched || (m == PAD_REFLECT && dims == 1) ? 1 : 0;
    bool ok = true;
    for (int i = first; i < x->ndim; i++) ok = ok && x->shape[i] != 0;
    if (!ok) {
        char s[256];
        if (m == PAD_REFLECT && dims < 3) {
            empty_tensor_str(x, s, sizeof s);
            tsr_raise(ERR_RuntimeError, "%dD or %dD (batch mode) tensor expected for input, but got: %s", dims + 1,
                      dims + 2, s);
        } else {
            op_dims_str(x, s, sizeof s);
            tsr_raise(ERR_RuntimeError,
                      "Expected %dD or %dD (batch mode) tensor with possibly 0 batch size and other non-zero dimensions "
                      "for input, but got: %s",
                      dims + 1, dims + 2, s);
        }
        return false;
    }
    if (m == PAD_REFLECT)
        for (int k = 0; k < dims; k++) { /* k = 0: W (pad[0], pad[1]), Argument #4; then H #6, D #8 */
            int d = dims - 1 - k;
            if (pad[2 * k] < g->in[d] && pad[2 * k + 1] < g->in[d]) continue;
            char s[256];
            if (dims == 2) snprintf(s, sizeof s, "%d", x->ndim);
            else op_dims_str(x, s, sizeof s);
            tsr_raise(ERR_RuntimeError,
                      "Argument #%d: Padding size should be less than the corresponding input dimension, but got: "
                      "padding (%lld, %lld) at dimension %d of input %s",
                      4 + 2 * k, (long long)pad[2 * k], (long long)pad[2 * k + 1], x->ndim - 1 - k, s);
            return false;
        }
    bool small = true;
    for (int d = 0; d < dims; d++) small = small && g->out[d] < 1;
    if (small) {
        const int64_t *i = g->in, *o = g->out;
        if (dims == 1)
            tsr_raise(ERR_RuntimeError, m == PAD_REFLECT ? "2input (W: %lld)is too small. Calculated output W: %lld"
                                                         : "input (W: %lld) is too small. Calculated output W: %lld",
                      (long long)i[0], (long long)o[0]);
        else if (dims == 2)
            tsr_raise(ERR_RuntimeError,
                      m == PAD_REFLECT ? "input (H: %lld, W: %lld)is too small. Calculated output H: %lld W: %lld"
                                       : "input (H: %lld, W: %lld ) is too small. Calculated output H: %lld W: %lld",
                      (long long)i[0], (long long)i[1], (long long)o[0], (long long)o[1]);
        else
            tsr_raise(ERR_RuntimeError,
                      "input (D: %lld H: %lld, W: %lld) is too small. Calculated output D: %lld H: %lld W: %lld",
                      (long long)i[0], (long long)i[1], (long long)i[2], (long long)o[0], (long long)o[1],
                      (long long)o[2]);
        return false;
    }
    for (int d = 0; d < dims; d++) {
        if (g->out[d] >= 0) continue;
        if (m == PAD_REFLECT && dims == 2) {
            tsr_raise(ERR_RuntimeError, "%s", "numel: integer multiplication overflow");
            return false;
        }
        char s[256];
        size_t at = (size_t)snprintf(s, sizeof s, "[");
        for (int j = 0; j < x->ndim && at < sizeof s; j++) {
            int64_t v = j < x->ndim - dims ? x->shape[j] : g->out[j - (x->ndim - dims)];
            at += (size_t)snprintf(s + at, sizeof s - at, j ? ", %lld" : "%lld", (long long)v);
        }
        if (at < sizeof s) snprintf(s + at, sizeof s - at, "]");
        tsr_raise(ERR_RuntimeError, "Trying to create tensor with negative dimension %lld: %s", (long long)g->out[d], s);
        return false;
    }
    return true;
}

/* the geometry of padding the last `dims` dims of shape by pad (F.pad's order) */
static void pad_geom(PadMode m, int ndim, const int64_t *shape, int dims, const int64_t *pad, PadGeom *g) {
    memset(g, 0, sizeof *g);
    g->mode = m;
    g->dims = dims;
    g->planes = 1;
    for (int i = 0; i < ndim - dims; i++) g->planes *= shape[i];
    for (int d = 0; d < dims; d++) {
        int k = dims - 1 - d; /* pad pair of dim d */
        g->in[d] = shape[ndim - dims + d];
        g->before[d] = pad[2 * k];
        g->out[d] = g->in[d] + pad[2 * k] + pad[2 * k + 1];
    }
}

Tensor *op_nn_pad_mode(Tensor *x, int mode, int dims, const int64_t *pad) {
    PadMode m = (PadMode)mode;
    PadGeom g;
    pad_geom(m, x->ndim, x->shape, dims, pad, &g);
    bool reduced = x->dtype == DT_FLOAT16 || x->dtype == DT_BFLOAT16;
    if (!dtype_is_float(x->dtype) || (reduced && !(m == PAD_REFLECT && dims == 3))) {
        tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", pad_names[m][dims - 1], dtype_scalar_name(x->dtype));
        return NULL;
    }
    if (!pad_mode_check(x, m, dims, pad, &g)) return NULL;
    int64_t sh[TSR_MAX_DIMS];
    memcpy(sh, x->shape, sizeof(int64_t) * (size_t)x->ndim);
    for (int d = 0; d < dims; d++) sh[x->ndim - dims + d] = g.out[d];
    Tensor *hx = op_host_contiguous(x), *out = hx ? tensor_empty(x->dtype, x->ndim, sh, device_cpu()) : NULL;
    if (out && tensor_numel(out) > 0) kernel_pad(&g, dtype_size(x->dtype), tensor_data(hx), tensor_data(out));
    tensor_release(hx);
    if (!out) return NULL;
    out = op_host_result_to_steal(out, x->storage->device);
    OpCtx ctx = op_ctx(x, 2 * dims, pad);
    return ag_record_steal(out, pad_node(m, dims), &x, 1, NULL, 0, &ctx, sizeof ctx);
}

Tensor *op_nn_pad_mode_backward(Tensor *grad, int mode, const OpCtx *c) {
    int dims = c->nargs / 2;
    PadGeom g;
    pad_geom((PadMode)mode, c->ndim, c->sizes, dims, c->args, &g);
    Tensor *gc = NULL, *hg = NULL;
    NO_GRAD(gc = op_contiguous(grad));
    if (gc) hg = op_host_contiguous(gc);
    tensor_release(gc);
    Tensor *gin = hg ? tensor_zeros(grad->dtype, c->ndim, c->sizes, device_cpu()) : NULL;
    if (gin && tensor_numel(hg) > 0) kernel_pad_backward(grad->dtype, &g, tensor_data(hg), tensor_data(gin));
    tensor_release(hg);
    return gin ? op_host_result_to_steal(gin, grad->storage->device) : NULL;
}

/* ------------------------------------------------------------ circular */

/* a.slice(dim, start, end): a view */
static Tensor *slice_of(Tensor *a, int64_t dim, int64_t start, int64_t end) {
    return op_slice(a, dim, start, end, 1);
}

/* dst.copy_(src), recorded (CopySlices on a view); false on error */
static bool copy_into(Tensor *dst, Tensor *src) {
    Tensor *r = op_copy_(dst, src);
    tensor_release(r);
    return r != NULL;
}

/* _pad_circular: the input copied into the middle of a new tensor, then
 * each padded dim's borders copied from the other side, dim by dim
 * (corners are written more than once), as in-place copies into views. */
Tensor *op_nn_circular_pad(Tensor *x, int npad, const int64_t *pad) {
    int ndim = x->ndim - 2;
    if (npad + 4 != x->ndim * 2) {
        tsr_raise(ERR_RuntimeError, "Invalid padding size, expected %d but got %d", ndim * 2, npad);
        return NULL;
    }
    int64_t out_shape[TSR_MAX_DIMS];
    out_shape[0] = x->shape[0];
    out_shape[1] = x->shape[1];
    for (int i = 0; i < ndim; i++) {
        int64_t pl = pad[2 * (ndim - i - 1)], pr = pad[2 * (ndim - i - 1) + 1], size = x->shape[2 + i];
        out_shape[2 + i] = size + pl + pr;
        if (!(pl <= size && pr <= size)) {
            tsr_raise(ERR_RuntimeError, "%s", "Padding value causes wrapping around more than once.");
            return NULL;
        }
        if (out_shape[2 + i] < 0) {
            tsr_raise(ERR_RuntimeError, "%s", "Negative padding value is resulting in an empty dimension");
            return NULL;
        }
    }
    Tensor *out = tensor_empty(x->dtype, x->ndim, out_shape, x->storage->device);
    Tensor *os = tensor_retain(out), *is = tensor_retain(x);
    for (int i = 0; i < ndim && os && is; i++) {
        int dim = ndim - i + 1;
        int64_t pl = pad[2 * i], pr = pad[2 * i + 1];
        Tensor *o2 = slice_of(os, dim, pl > 0 ? pl : 0, out_shape[dim] - (pr > 0 ? pr : 0));
        Tensor *i2 = slice_of(is, dim, pl < 0 ? -pl : 0, x->shape[dim] - (pr < 0 ? -pr : 0));
        tensor_release(os);
        tensor_release(is);
        os = o2;
        is = i2;
    }
    bool ok = os && is && copy_into(os, is);
    tensor_release(os);
    tensor_release(is);
    for (int i = 0; ok && i < ndim; i++) {
        int dim = ndim - i + 1;
        int64_t pl = pad[2 * i], pr = pad[2 * i + 1], plp = pl > 0 ? pl : 0, prp = pr > 0 ? pr : 0;
        if (pl > 0) {
            Tensor *dst = slice_of(out, dim, 0, pl);
            Tensor *src = dst ? slice_of(out, dim, out_shape[dim] - pl - prp, out_shape[dim] - prp) : NULL;
            ok = src && copy_into(dst, src);
            tensor_release(dst);
            tensor_release(src);
        }
        if (ok && pr > 0) {
            Tensor *dst = slice_of(out, dim, out_shape[dim] - pr, out_shape[dim]);
            Tensor *src = dst ? slice_of(out, dim, plp, plp + pr) : NULL;
            ok = src && copy_into(dst, src);
            tensor_release(dst);
            tensor_release(src);
        }
    }
    if (!ok) {
        tensor_release(out);
        return NULL;
    }
    return out;
}

/* ----------------------------------------------------------------- F.pad */

Tensor *op_nn_pad(Tensor *x, int npad, const int64_t *pad, const char *mode, bool has_value, double value) {
    int m = !strcmp(mode, "constant") ? 0 : !strcmp(mode, "reflect") ? 1 : !strcmp(mode, "replicate") ? 2
          : !strcmp(mode, "circular") ? 3 : -1;
    if (m < 0) {
        tsr_raise(ERR_NotImplementedError, "Unrecognised padding mode %s", mode);
        return NULL;
    }
    if (npad % 2) {
        tsr_raise(ERR_RuntimeError, "%s", "Padding length must be divisible by 2");
        return NULL;
    }
    if (npad > x->ndim * 2) {
        tsr_raise(ERR_RuntimeError, "%s", "Padding length too large");
        return NULL;
    }
    if (m == 0) return op_nn_constant_pad(x, npad, pad, has_value ? value : 0.0);
    if (has_value && value != 0) {
        tsr_raise(ERR_RuntimeError, "Padding mode \"%s\" doesn't take in value argument", mode);
        return NULL;
    }
    int dims = npad / 2;
    if (npad >= 2 && npad <= 6 && (x->ndim == dims + 1 || x->ndim == dims + 2))
        return m == 3 ? op_nn_circular_pad(x, npad, pad) : op_nn_pad_mode(x, m == 1 ? PAD_REFLECT : PAD_REPLICATE, dims, pad);
    tsr_raise(ERR_NotImplementedError, "%s", "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    return NULL;
}
