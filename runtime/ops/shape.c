/* shape.c: views (view, reshape, flatten, transpose, t, permute, movedim,
 * squeeze, unsqueeze, expand, select, slice, narrow, diagonal, split,
 * chunk, unbind), the copying shape ops (flip, roll, repeat, cat, stack)
 * and the in-place views (squeeze_, unsqueeze_, t_, transpose_): PyTorch's
 * TensorShape.cpp and TensorTransformations.cpp.
 *
 * Views share storage and differ only in shape/stride/offset. Each op's
 * autograd node gets an OpCtx (ops.h) with the input's geometry; `args`
 * holds the op's integers as noted at each op, and:
 *   DiagonalBackward0 (a view): args {offset, dim1, dim2}.
 *   RollBackward0: args {n, shifts[n], dims[n]}.
 *   The in-place views' nodes SqueezeBackward2/3, UnsqueezeBackward1,
 *   TBackward1, TransposeBackward1: the out-of-place ops' ctx. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "layout.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"

/* "[2, 3]" */
void op_shape_text(char *buf, size_t cap, int n, const int64_t *s) {
    size_t k = 0;
    k += (size_t)snprintf(buf + k, cap - k, "[");
    for (int i = 0; i < n && k < cap; i++)
        k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? ", " : "", (long long)s[i]);
    if (k < cap) snprintf(buf + k, cap - k, "]");
}

bool op_wrap_dims(int nd, const int64_t *dims, int ndim, int64_t *out) {
    for (int i = 0; i < nd; i++) {
        int w = wrap_dim(dims[i], ndim);
        if (w < 0) return false;
        out[i] = w;
    }
    return true;
}

OpCtx op_ctx(const Tensor *in, int nargs, const int64_t *args) {
    OpCtx c;
    memset(&c, 0, sizeof c);
    c.ndim = in->ndim;
    memcpy(c.sizes, in->shape, sizeof(int64_t) * in->ndim);
    memcpy(c.strides, in->stride, sizeof(int64_t) * in->ndim);
    c.offset = in->offset;
    c.dtype = in->dtype;
    if (nargs > (int)(sizeof c.args / sizeof c.args[0])) nargs = (int)(sizeof c.args / sizeof c.args[0]);
    c.nargs = nargs;
    if (nargs) memcpy(c.args, args, sizeof(int64_t) * nargs);
    return c;
}

bool op_set_ctx(GradNode *node, const Tensor *in, int nargs, const int64_t *args) {
    if (!node) return true;
    OpCtx *c = tsr_malloc(sizeof *c);
    if (!c) return false;
    *c = op_ctx(in, nargs, args);
    free(node->ctx);
    node->ctx = c;
    return true;
}

static void set_view_base(Tensor *v, Tensor *a) { ag_set_view(v, a, false); }

/* Records a node of kind `kind` on a view result with ctx args; returns v or NULL. */
static Tensor *finish_view(Tensor *v, Tensor *a, GradNodeKind kind, int nargs, const int64_t *args) {
    if (!v) return NULL;
    set_view_base(v, a);
    if (kind && ag_any_requires_grad(&a, 1)) {
        GradNode *n = ag_record(v, kind, &a, 1);
        if (!n || !op_set_ctx(n, a, nargs, args)) {
            tensor_release(v);
            return NULL;
        }
    }
    return v;
}

Tensor *op_make_view(Tensor *a, int ndim, const int64_t *shape, const int64_t *stride,
                     int64_t offset, GradNodeKind kind) {
    return finish_view(tensor_as_strided(a, ndim, shape, stride, offset), a, kind, 0, NULL);
}

/* ---- view / reshape ---- */

/* at::infer_size: resolves one -1 against numel. */
static bool infer_size(int ndim, const int64_t *shape, int64_t numel, int64_t *out) {
    int infer = -1;
    int64_t newsize = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] == -1) {
            if (infer >= 0) {
                tsr_raise(ERR_RuntimeError, "%s", "only one dimension can be inferred");
                return false;
            }
            infer = i;
        } else if (shape[i] >= 0) {
            newsize *= shape[i];
        } else {
            tsr_raise(ERR_RuntimeError, "invalid shape dimension %lld", (long long)shape[i]);
            return false;
        }
        out[i] = shape[i];
    }
    char buf[512];
    if (numel == newsize || (infer >= 0 && newsize > 0 && numel % newsize == 0)) {
        if (infer >= 0) {
            if (newsize == 0) goto ambiguous;
            out[infer] = numel / newsize;
        }
        return true;
    }
    if (infer >= 0 && newsize == 0) goto ambiguous;
    op_shape_text(buf, sizeof buf, ndim, shape);
    tsr_raise(ERR_RuntimeError, "shape '%s' is invalid for input of size %lld", buf, (long long)numel);
    return false;
ambiguous:
    op_shape_text(buf, sizeof buf, ndim, shape);
    tsr_raise(ERR_RuntimeError,
              "cannot reshape tensor of 0 elements into shape %s because the unspecified "
              "dimension size -1 can be any value and is ambiguous",
              buf);
    return false;
}

/* at::detail::computeStride: strides for viewing (oldshape, oldstride) as
 * newshape without a copy, or false when impossible. */
static bool compute_stride(int on, const int64_t *oshape, const int64_t *ostride, int nn,
                           const int64_t *nshape, int64_t *nstride) {
    if (on == 0) {
        for (int i = 0; i < nn; i++) nstride[i] = 1;
        return true;
    }
    int64_t numel = 1;
    for (int i = 0; i < on; i++) numel *= oshape[i];
    if (numel == 0) {
        bool same = on == nn;
        for (int i = 0; same && i < on; i++) same = oshape[i] == nshape[i];
        if (same) {
            memcpy(nstride, ostride, sizeof(int64_t) * nn);
            return true;
        }
        for (int d = nn - 1; d >= 0; d--)
            nstride[d] = d == nn - 1 ? 1 : (nshape[d + 1] > 1 ? nshape[d + 1] : 1) * nstride[d + 1];
        return true;
    }
    int view_d = nn - 1;
    int64_t chunk_base_stride = ostride[on - 1];
    int64_t tensor_numel = 1, view_numel = 1;
    for (int td = on - 1; td >= 0; td--) {
        tensor_numel *= oshape[td];
        if (td == 0 || (oshape[td - 1] != 1 && ostride[td - 1] != tensor_numel * chunk_base_stride)) {
            while (view_d >= 0 && (view_numel < tensor_numel || nshape[view_d] == 1)) {
                nstride[view_d] = view_numel * chunk_base_stride;
                view_numel *= nshape[view_d];
                view_d--;
            }
            if (view_numel != tensor_numel) return false;
            if (td > 0) {
                chunk_base_stride = ostride[td - 1];
                tensor_numel = 1;
                view_numel = 1;
            }
        }
    }
    return view_d == -1;
}

Tensor *op_view(Tensor *a, int ndim, const int64_t *shape) {
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    if (ndim > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, ndim);
        return NULL;
    }
    if (!infer_size(ndim, shape, tensor_numel(a), sz)) return NULL;
    if (!compute_stride(a->ndim, a->shape, a->stride, ndim, sz, st)) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "view size is not compatible with input tensor's size and stride (at least one "
                  "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        return NULL;
    }
    return op_make_view(a, ndim, sz, st, a->offset, NODE_ViewBackward0);
}

Tensor *op_reshape(Tensor *a, int ndim, const int64_t *shape) {
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    if (ndim > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, ndim);
        return NULL;
    }
    if (!infer_size(ndim, shape, tensor_numel(a), sz)) return NULL;
    if (compute_stride(a->ndim, a->shape, a->stride, ndim, sz, st))
        return op_make_view(a, ndim, sz, st, a->offset, NODE_ReshapeAliasBackward0);
    /* PyTorch: _unsafe_view(clone(contiguous), shape) */
    OpCtx ctx = op_ctx(a, 0, NULL);
    Tensor *c = ag_record_steal(tensor_clone(a, DT_UNDEFINED), NODE_CloneBackward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
    if (!c) return NULL;
    contiguous_strides(ndim, sz, st);
    ctx = op_ctx(c, 0, NULL);
    Tensor *out = ag_record_steal(tensor_as_strided(c, ndim, sz, st, 0), NODE_UnsafeViewBackward0, &c, 1, NULL, 0, &ctx,
                                  sizeof ctx);
    tensor_release(c);
    return out;
}

Tensor *op_flatten(Tensor *a, int64_t start, int64_t end) {
    if (a->ndim == 0) {
        int64_t one = 1;
        return op_reshape(a, 1, &one);
    }
    int s = wrap_dim(start, a->ndim);
    if (s < 0) return NULL;
    int e = wrap_dim(end, a->ndim);
    if (e < 0) return NULL;
    if (s > e) {
        tsr_raise(ERR_RuntimeError, "%s", "flatten() has invalid args: start_dim cannot come after end_dim");
        return NULL;
    }
    if (s == e) return tensor_retain(a);
    int64_t shape[TSR_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < s; i++) shape[n++] = a->shape[i];
    int64_t m = 1;
    for (int i = s; i <= e; i++) m *= a->shape[i];
    shape[n++] = m;
    for (int i = e + 1; i < a->ndim; i++) shape[n++] = a->shape[i];
    return op_reshape(a, n, shape);
}

/* ---- dimension permutations ---- */

Tensor *op_transpose(Tensor *a, int64_t d0, int64_t d1) {
    int i = wrap_dim(d0, a->ndim);
    if (i < 0) return NULL;
    int j = wrap_dim(d1, a->ndim);
    if (j < 0) return NULL;
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    memcpy(sz, a->shape, sizeof sz);
    memcpy(st, a->stride, sizeof st);
    if (a->ndim > 0) {
        sz[i] = a->shape[j], sz[j] = a->shape[i];
        st[i] = a->stride[j], st[j] = a->stride[i];
    }
    int64_t args[2] = {i, j};
    return finish_view(tensor_as_strided(a, a->ndim, sz, st, a->offset), a, NODE_TransposeBackward0, 2, args);
}

Tensor *op_t(Tensor *a) {
    if (a->ndim > 2) {
        tsr_raise(ERR_RuntimeError, "t() expects a tensor with <= 2 dimensions, but self is %dD", a->ndim);
        return NULL;
    }
    int64_t sz[2], st[2];
    for (int d = 0; d < a->ndim; d++) {
        sz[d] = a->shape[a->ndim - 1 - d];
        st[d] = a->stride[a->ndim - 1 - d];
    }
    return op_make_view(a, a->ndim, sz, st, a->offset, NODE_TBackward0);
}

Tensor *op_permute(Tensor *a, int ndim, const int64_t *dims) {
    if (ndim != a->ndim) {
        tsr_raise(ERR_RuntimeError,
                  "permute(sparse_coo): number of dimensions in the tensor input does not match the "
                  "length of the desired ordering of dimensions i.e. input.dim() = %d is not equal "
                  "to len(dims) = %d",
                  a->ndim, ndim);
        return NULL;
    }
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS], wd[TSR_MAX_DIMS];
    bool seen[TSR_MAX_DIMS] = {false};
    for (int i = 0; i < ndim; i++) {
        int d = wrap_dim(dims[i], a->ndim);
        if (d < 0) return NULL;
        if (seen[d]) {
            tsr_raise(ERR_RuntimeError, "%s", "permute(): duplicate dims are not allowed.");
            return NULL;
        }
        seen[d] = true;
        wd[i] = d;
        sz[i] = a->shape[d];
        st[i] = a->stride[d];
    }
    return finish_view(tensor_as_strided(a, ndim, sz, st, a->offset), a, NODE_PermuteBackward0, ndim, wd);
}

Tensor *op_movedim(Tensor *a, int n, const int64_t *src, const int64_t *dst) {
    int64_t perm[TSR_MAX_DIMS];
    bool used_src[TSR_MAX_DIMS] = {false}, used_dst[TSR_MAX_DIMS] = {false};
    int64_t ws[TSR_MAX_DIMS], wdst[TSR_MAX_DIMS];
    /* PyTorch's order: wrap all of source, then destination; then a
     * repeat in either names the whole list as given */
    for (int i = 0; i < n; i++)
        if ((ws[i] = wrap_dim(src[i], a->ndim)) < 0) return NULL;
    for (int i = 0; i < n; i++)
        if ((wdst[i] = wrap_dim(dst[i], a->ndim)) < 0) return NULL;
    bool rep_src = false, rep_dst = false;
    for (int i = 0; i < n; i++) {
        rep_src |= used_src[ws[i]];
        rep_dst |= used_dst[wdst[i]];
        used_src[ws[i]] = used_dst[wdst[i]] = true;
    }
    if (rep_src || rep_dst) {
        char b[512];
        op_shape_text(b, sizeof b, n, rep_src ? src : dst);
        tsr_raise(ERR_RuntimeError, "movedim: repeated dim in `%s` (%s)", rep_src ? "source" : "destination", b);
        return NULL;
    }
    for (int i = 0; i < a->ndim; i++) perm[i] = -1;
    for (int i = 0; i < n; i++) perm[wdst[i]] = ws[i];
    int next = 0;
    for (int i = 0; i < a->ndim; i++) {
        if (perm[i] >= 0) continue;
        while (used_src[next]) next++;
        perm[i] = next++;
    }
    return op_permute(a, a->ndim, perm);
}

/* ---- squeeze / unsqueeze / expand ---- */

Tensor *op_squeeze(Tensor *a, int ndims, const int64_t *dims) {
    bool drop[TSR_MAX_DIMS] = {false};
    int64_t args[TSR_MAX_DIMS];
    if (ndims == 0) {
        for (int d = 0; d < a->ndim; d++) drop[d] = a->shape[d] == 1;
    } else {
        for (int i = 0; i < ndims && i < TSR_MAX_DIMS; i++) {
            int d = wrap_dim(dims[i], a->ndim);
            if (d < 0) return NULL;
            args[i] = d;
            if (a->ndim > 0 && a->shape[d] == 1) drop[d] = true;
        }
    }
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    int n = 0;
    for (int d = 0; d < a->ndim; d++) {
        if (drop[d]) continue;
        sz[n] = a->shape[d];
        st[n++] = a->stride[d];
    }
    return finish_view(tensor_as_strided(a, n, sz, st, a->offset), a,
                       ndims == 0 ? NODE_SqueezeBackward0 : NODE_SqueezeBackward1, ndims, args);
}

/* The geometry of a.unsqueeze(d) for an already wrapped d. */
static void unsqueeze_geometry(const Tensor *a, int d, int64_t *sz, int64_t *st) {
    int n = 0;
    for (int i = 0; i <= a->ndim; i++) {
        if (i == d) {
            sz[i] = 1;
            st[i] = d >= a->ndim ? 1 : a->shape[d] * a->stride[d];
        } else {
            sz[i] = a->shape[n];
            st[i] = a->stride[n++];
        }
    }
}

Tensor *op_unsqueeze(Tensor *a, int64_t dim) {
    int d = wrap_dim(dim, a->ndim + 1);
    if (d < 0) return NULL;
    if (a->ndim + 1 > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions", TSR_MAX_DIMS);
        return NULL;
    }
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS], arg = d;
    unsqueeze_geometry(a, d, sz, st);
    return finish_view(tensor_as_strided(a, a->ndim + 1, sz, st, a->offset), a, NODE_UnsqueezeBackward0, 1, &arg);
}

/* How PyTorch's Python layer names a tensor's type in an ATen message: its
 * legacy name ("torch.FloatTensor", "torch.cuda.HalfTensor") for the dtypes
 * processErrorMsg translates, else ATen's "CPUBoolType" / "CUDABFloat16Type". */
static void fmt_type(char *buf, size_t cap, const Tensor *a) {
    bool cuda = tensor_is_cuda(a);
    switch (a->dtype) {
    case DT_BOOL:
    case DT_BFLOAT16: snprintf(buf, cap, "%s%sType", cuda ? "CUDA" : "CPU", dtype_scalar_name(a->dtype)); break;
    default: snprintf(buf, cap, "torch.%s%s", cuda ? "cuda." : "", tsr_dtype_info[a->dtype].tensor_type); break;
    }
}

Tensor *op_expand(Tensor *a, int ndim, const int64_t *shape) {
    char b1[512], b2[512], ty[64];
    if (ndim < a->ndim) {
        op_shape_text(b1, sizeof b1, a->ndim, a->shape);
        op_shape_text(b2, sizeof b2, ndim, shape);
        fmt_type(ty, sizeof ty, a);
        tsr_raise(ERR_RuntimeError,
                  "expand(%s{%s}, size=%s): the number of sizes provided (%d) must be greater "
                  "or equal to the number of dimensions in the tensor (%d)",
                  ty, b1, b2, ndim, a->ndim);
        return NULL;
    }
    if (ndim > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, ndim);
        return NULL;
    }
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    for (int i = ndim - 1; i >= 0; i--) {
        int dim = a->ndim - (ndim - i);
        int64_t size = dim >= 0 ? a->shape[dim] : 1;
        int64_t stride = dim >= 0 ? a->stride[dim] : (i == ndim - 1 ? 0 : sz[i + 1] * st[i + 1]);
        int64_t target = shape[i];
        if (target == -1) {
            if (dim < 0) {
                tsr_raise(ERR_RuntimeError,
                          "The expanded size of the tensor (-1) isn't allowed in a leading, "
                          "non-existing dimension %d", i);
                return NULL;
            }
            target = size;
        }
        if (size != target) {
            if (size != 1) {
                op_shape_text(b1, sizeof b1, ndim, shape);
                op_shape_text(b2, sizeof b2, a->ndim, a->shape);
                tsr_raise(ERR_RuntimeError,
                          "The expanded size of the tensor (%lld) must match the existing size "
                          "(%lld) at non-singleton dimension %d.  Target sizes: %s.  Tensor sizes: %s",
                          (long long)target, (long long)size, i, b1, b2);
                return NULL;
            }
            if (target < 0) {
                op_shape_text(b1, sizeof b1, ndim, shape);
                tsr_raise(ERR_RuntimeError, "Trying to create tensor with negative dimension %lld: %s",
                          (long long)target, b1);
                return NULL;
            }
            size = target;
            stride = 0;
        }
        sz[i] = size;
        st[i] = stride;
    }
    return op_make_view(a, ndim, sz, st, a->offset, NODE_ExpandBackward0);
}

/* ---- select / slice / narrow ---- */

Tensor *op_select(Tensor *a, int64_t dim, int64_t index) {
    if (a->ndim == 0) {
        tsr_raise(ERR_IndexError, "%s", "select() cannot be applied to a 0-dim tensor.");
        return NULL;
    }
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    int64_t size = a->shape[d];
    if (index < -size || index >= size) {
        char b[512];
        op_shape_text(b, sizeof b, a->ndim, a->shape);
        tsr_raise(ERR_IndexError, "select(): index %lld out of range for tensor of size %s at dimension %d",
                  (long long)index, b, d);
        return NULL;
    }
    if (index < 0) index += size;
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < a->ndim; i++) {
        if (i == d) continue;
        sz[n] = a->shape[i];
        st[n++] = a->stride[i];
    }
    int64_t args[2] = {d, index};
    return finish_view(tensor_as_strided(a, n, sz, st, a->offset + index * a->stride[d]), a,
                       NODE_SelectBackward0, 2, args);
}

Tensor *op_slice(Tensor *a, int64_t dim, int64_t start, int64_t end, int64_t step) {
    if (a->ndim == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "slice() cannot be applied to a 0-dim tensor.");
        return NULL;
    }
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    if (step <= 0) {
        tsr_raise(ERR_ValueError, "%s", "step must be greater than zero");
        return NULL;
    }
    int64_t size = a->shape[d];
    if (start < 0) start += size;
    if (end < 0) end += size;
    if (start < 0) start = 0;
    else if (start > size) start = size;
    if (end < start) end = start;
    else if (end > size) end = size;
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    memcpy(sz, a->shape, sizeof sz);
    memcpy(st, a->stride, sizeof st);
    sz[d] = (end - start + step - 1) / step;
    st[d] = a->stride[d] * step;
    int64_t args[4] = {d, start, end, step};
    return finish_view(tensor_as_strided(a, a->ndim, sz, st, a->offset + start * a->stride[d]), a,
                       NODE_SliceBackward0, 4, args);
}

Tensor *op_narrow(Tensor *a, int64_t dim, int64_t start, int64_t length) {
    if (a->ndim == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "narrow() cannot be applied to a 0-dim tensor.");
        return NULL;
    }
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    int64_t size = a->shape[d];
    if (start != size) {
        int s = wrap_dim(start, (int)size);
        if (s < 0) return NULL;
        start = s;
    }
    if (length < 0 || start > size - length) {
        tsr_raise(ERR_RuntimeError, "start (%lld) + length (%lld) exceeds dimension size (%lld).",
                  (long long)start, (long long)length, (long long)size);
        return NULL;
    }
    return op_slice(a, d, start, start + length, 1);
}

Tensor *op_diagonal(Tensor *a, int64_t offset, int64_t dim1, int64_t dim2) {
    int d1 = wrap_dim(dim1, a->ndim), d2 = d1 < 0 ? -1 : wrap_dim(dim2, a->ndim);
    if (d1 < 0 || d2 < 0) return NULL;
    if (d1 == d2) {
        tsr_raise(ERR_RuntimeError, "diagonal dimensions cannot be identical %lld, %lld", (long long)dim1,
                  (long long)dim2);
        return NULL;
    }
    int64_t len, off = a->offset;
    if (offset >= 0) {
        len = a->shape[d2] - offset < a->shape[d1] ? a->shape[d2] - offset : a->shape[d1];
        if (len > 0) off += offset * a->stride[d2];
    } else {
        len = a->shape[d1] + offset < a->shape[d2] ? a->shape[d1] + offset : a->shape[d2];
        if (len > 0) off -= offset * a->stride[d1];
    }
    if (len < 0) len = 0;
    int64_t sh[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    int n = 0;
    for (int i = 0; i < a->ndim; i++)
        if (i != d1 && i != d2) sh[n] = a->shape[i], st[n++] = a->stride[i];
    sh[n] = len;
    st[n++] = a->stride[d1] + a->stride[d2];
    int64_t args[3] = {offset, d1, d2};
    OpCtx ctx = op_ctx(a, 3, args);
    return ag_record_steal(op_make_view(a, n, sh, st, off, NODE_NONE), NODE_DiagonalBackward0, &a, 1, NULL, 0, &ctx,
                           sizeof ctx);
}

/* ---- split / chunk / unbind ---- */

/* Pieces of `sizes` along d as views with one multi-output node. */
static int split_views(Tensor *a, int d, int n, const int64_t *sizes, GradNodeKind kind,
                       Tensor ***out) {
    Tensor **res = tsr_calloc(n > 0 ? n : 1, sizeof *res);
    if (!res) return -1;
    int64_t sz[TSR_MAX_DIMS];
    memcpy(sz, a->shape, sizeof sz);
    int64_t off = 0;
    for (int i = 0; i < n; i++) {
        sz[d] = sizes[i];
        res[i] = tensor_as_strided(a, a->ndim, sz, a->stride, a->offset + off * a->stride[d]);
        if (!res[i]) goto fail;
        /* unsafe_split's pieces share a's storage without being its views */
        if (kind != NODE_UnsafeSplitBackward0 && kind != NODE_UnsafeSplitWithSizesBackward0) ag_set_view(res[i], a, true);
        off += sizes[i];
    }
    if (n > 0 && ag_any_requires_grad(&a, 1)) {
        int64_t args[TSR_MAX_DIMS + 4];
        int na = 0;
        args[na++] = d;
        for (int i = 0; i < n && na < (int)(sizeof args / sizeof args[0]); i++) args[na++] = sizes[i];
        GradNode *node = ag_record_multi(res, n, kind, &a, 1);
        if (!node || !op_set_ctx(node, a, na, args)) goto fail;
    }
    *out = res;
    return n;
fail:
    for (int i = 0; i < n; i++) tensor_release(res[i]);
    free(res);
    return -1;
}

static int split_impl(Tensor *a, int64_t split_size, int64_t dim, bool unsafe, Tensor ***out) {
    if (a->ndim == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "split expects at least a 1-dimensional tensor");
        return -1;
    }
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return -1;
    int64_t size = a->shape[d];
    if (split_size < 0) {
        tsr_raise(ERR_RuntimeError, "split expects split_size be non-negative, but got split_size=%lld",
                  (long long)split_size);
        return -1;
    }
    if (split_size == 0 && size != 0) {
        tsr_raise(ERR_RuntimeError,
                  "split_size can only be 0 if dimension size is 0, but got dimension size of %lld",
                  (long long)size);
        return -1;
    }
    int64_t n = split_size ? (size + split_size - 1) / split_size : 1;
    if (n < 1) n = 1;
    int64_t *sizes = tsr_malloc(sizeof(int64_t) * n);
    if (!sizes) return -1;
    for (int64_t i = 0; i < n; i++) {
        int64_t rest = size - i * split_size;
        sizes[i] = rest < split_size ? rest : split_size;
    }
    int r = split_views(a, d, (int)n, sizes, unsafe ? NODE_UnsafeSplitBackward0 : NODE_SplitBackward0, out);
    free(sizes);
    return r;
}

static int split_sizes_impl(Tensor *a, int n, const int64_t *sizes, int64_t dim, bool unsafe, Tensor ***out) {
    if (a->ndim == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "split expects at least a 1-dimensional tensor");
        return -1;
    }
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return -1;
    int64_t total = 0;
    bool neg = false;
    for (int i = 0; i < n; i++) {
        total += sizes[i];
        neg |= sizes[i] < 0;
    }
    if (total != a->shape[d] || neg) {
        char b[512];
        op_shape_text(b, sizeof b, n, sizes);
        if (neg && total == a->shape[d]) {
            for (int i = 0; i < n; i++)
                if (sizes[i] < 0) {
                    tsr_raise(ERR_RuntimeError,
                              "split_with_sizes expects split_sizes have only non-negative entries, "
                              "but got split_sizes=%s", b);
                    return -1;
                }
        }
        tsr_raise(ERR_RuntimeError,
                  "split_with_sizes expects split_sizes to sum exactly to %lld (input tensor's size "
                  "at dimension %d), but got split_sizes=%s",
                  (long long)a->shape[d], d, b);
        return -1;
    }
    return split_views(a, d, n, sizes, unsafe ? NODE_UnsafeSplitWithSizesBackward0 : NODE_SplitWithSizesBackward0, out);
}

static int chunk_impl(Tensor *a, int64_t chunks, int64_t dim, bool unsafe, Tensor ***out) {
    if (a->ndim == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "chunk expects at least a 1-dimensional tensor");
        return -1;
    }
    if (chunks <= 0) {
        tsr_raise(ERR_RuntimeError, "chunk expects `chunks` to be greater than 0, got: %lld", (long long)chunks);
        return -1;
    }
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return -1;
    int64_t size = a->shape[d];
    int64_t split_size = (size + chunks - 1) / chunks;
    if (split_size == 0 && size == 0) {
        int64_t *sizes = tsr_calloc(chunks, sizeof(int64_t));
        if (!sizes) return -1;
        int r = split_views(a, d, (int)chunks, sizes,
                            unsafe ? NODE_UnsafeSplitWithSizesBackward0 : NODE_SplitWithSizesBackward0, out);
        free(sizes);
        return r;
    }
    return split_impl(a, split_size, d, unsafe, out);
}

int op_split(Tensor *a, int64_t split_size, int64_t dim, Tensor ***out) { return split_impl(a, split_size, dim, false, out); }
int op_split_sizes(Tensor *a, int n, const int64_t *sizes, int64_t dim, Tensor ***out) {
    return split_sizes_impl(a, n, sizes, dim, false, out);
}
int op_chunk(Tensor *a, int64_t chunks, int64_t dim, Tensor ***out) { return chunk_impl(a, chunks, dim, false, out); }
int op_unsafe_split(Tensor *a, int64_t split_size, int64_t dim, Tensor ***out) {
    return split_impl(a, split_size, dim, true, out);
}
int op_unsafe_split_sizes(Tensor *a, int n, const int64_t *sizes, int64_t dim, Tensor ***out) {
    return split_sizes_impl(a, n, sizes, dim, true, out);
}
int op_unsafe_chunk(Tensor *a, int64_t chunks, int64_t dim, Tensor ***out) { return chunk_impl(a, chunks, dim, true, out); }

int op_unbind(Tensor *a, int64_t dim, Tensor ***out) {
    if (a->ndim == 0) {
        tsr_raise(ERR_IndexError, "%s", "Dimension specified as 0 but tensor has no dimensions");
        return -1;
    }
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return -1;
    int64_t n = a->shape[d];
    Tensor **res = tsr_calloc(n > 0 ? n : 1, sizeof *res);
    if (!res) return -1;
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    int k = 0;
    for (int i = 0; i < a->ndim; i++) {
        if (i == d) continue;
        sz[k] = a->shape[i];
        st[k++] = a->stride[i];
    }
    for (int64_t i = 0; i < n; i++) {
        res[i] = tensor_as_strided(a, k, sz, st, a->offset + i * a->stride[d]);
        if (!res[i]) goto fail;
        ag_set_view(res[i], a, true);
    }
    if (n > 0 && ag_any_requires_grad(&a, 1)) {
        int64_t arg = d;
        GradNode *node = ag_record_multi(res, (int)n, NODE_UnbindBackward0, &a, 1);
        if (!node || !op_set_ctx(node, a, 1, &arg)) goto fail;
    }
    *out = res;
    return (int)n;
fail:
    for (int64_t i = 0; i < n; i++) tensor_release(res[i]);
    free(res);
    return -1;
}

/* ---- copying shape ops ---- */

/* x.view(dtype): the same bytes as another dtype (ATen's view_dtype); the
 * last dim scales by the ratio of element sizes. Not differentiable. */
Tensor *op_view_dtype(Tensor *a, DType dt) {
    if (a->dtype == dt) return tensor_retain(a);
    int64_t es = (int64_t)dtype_size(a->dtype), ns = (int64_t)dtype_size(dt), n = a->ndim;
    const char *from = dtype_scalar_name(a->dtype), *to = dtype_scalar_name(dt);
    int64_t sh[TSR_MAX_DIMS], st[TSR_MAX_DIMS], off = a->offset;
    memcpy(sh, a->shape, sizeof sh);
    memcpy(st, a->stride, sizeof st);
    if (es != ns) {
        if (n == 0) {
            tsr_raise(ERR_RuntimeError, "self.dim() cannot be 0 to view %s as %s (different element sizes)", from, to);
            return NULL;
        }
        int64_t ratio = es > ns ? es / ns : ns / es;
        if (es < ns && sh[n - 1] % ratio) {
            tsr_raise(ERR_RuntimeError,
                      "self.size(-1) must be divisible by %lld to view %s as %s (different element sizes), but got %lld",
                      (long long)ratio, from, to, (long long)sh[n - 1]);
            return NULL;
        }
        if (es < ns && off % ratio) {
            tsr_raise(ERR_RuntimeError,
                      "self.storage_offset() must be divisible by %lld to view %s as %s (different element sizes), "
                      "but got %lld", (long long)ratio, from, to, (long long)off);
            return NULL;
        }
        if (st[n - 1] != 1) {
            tsr_raise(ERR_RuntimeError, "self.stride(-1) must be 1 to view %s as %s (different element sizes), but got %lld",
                      from, to, (long long)st[n - 1]);
            return NULL;
        }
        for (int i = 0; i < n - 1; i++) {
            if (es < ns && st[i] % ratio) {
                tsr_raise(ERR_RuntimeError,
                          "self.stride(%d) must be divisible by %lld to view %s as %s (different element sizes), "
                          "but got %lld", i, (long long)ratio, from, to, (long long)st[i]);
                return NULL;
            }
            st[i] = es > ns ? st[i] * ratio : st[i] / ratio;
        }
        sh[n - 1] = es > ns ? sh[n - 1] * ratio : sh[n - 1] / ratio;
        off = es > ns ? off * ratio : off / ratio;
    }
    Tensor *r = tensor_as_strided(a, a->ndim, sh, st, off);
    if (r) tensor_set_dtype(r, dt);
    return r;
}

/* rot90: ATen's flip then transpose (a new tensor with those strides);
 * args {k, dim0, dim1} as given */
Tensor *op_rot90(Tensor *a, int64_t k, int64_t d0, int64_t d1) {
    int64_t n = a->ndim;
    if (n < 2) {
        tsr_raise(ERR_RuntimeError, "expected total dims >= 2, but got total dims = %lld", (long long)n);
        return NULL;
    }
    if (d0 == d1 || llabs(d0 - d1) == n) {
        tsr_raise(ERR_RuntimeError, "expected rotation dims to be different, but got dim0 = %lld and dim1 = %lld",
                  (long long)d0, (long long)d1);
        return NULL;
    }
    if (d0 >= n || d0 < -n) {
        tsr_raise(ERR_RuntimeError, "Rotation dim0 out of range, dim0 = %lld", (long long)d0);
        return NULL;
    }
    if (d1 >= n || d1 < -n) {
        tsr_raise(ERR_RuntimeError, "Rotation dim1 out of range, dim1 = %lld", (long long)d1);
        return NULL;
    }
    int64_t r = (4 + k % 4) % 4, dims[2] = {d0, d1};
    Tensor *out = NULL;
    NO_GRAD({
        if (r == 0) {
            out = tensor_clone(a, DT_UNDEFINED);
        } else if (r == 2) {
            out = op_flip(a, 2, dims);
        } else {
            Tensor *f = op_flip(a, 1, r == 1 ? &dims[1] : &dims[0]);
            if (f) {
                int w0 = (int)((d0 + n) % n), w1 = (int)((d1 + n) % n);
                int64_t sh[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
                memcpy(sh, f->shape, sizeof sh);
                memcpy(st, f->stride, sizeof st);
                sh[w0] = f->shape[w1], sh[w1] = f->shape[w0];
                st[w0] = f->stride[w1], st[w1] = f->stride[w0];
                out = tensor_as_strided(f, f->ndim, sh, st, f->offset);
                tensor_release(f);
            }
        }
    });
    int64_t args[3] = {k, d0, d1};
    OpCtx ctx = op_ctx(a, 3, args);
    return ag_record_steal(out, NODE_Rot90Backward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
}

Tensor *op_flip(Tensor *a, int ndims, const int64_t *dims) {
    bool seen[TSR_MAX_DIMS] = {false};
    int64_t st[TSR_MAX_DIMS], args[TSR_MAX_DIMS];
    memcpy(st, a->stride, sizeof st);
    int64_t off = a->offset;
    for (int i = 0; i < ndims && i < TSR_MAX_DIMS; i++) {
        int d = wrap_dim(dims[i], a->ndim);
        if (d < 0) return NULL;
        if (seen[d]) {
            tsr_raise(ERR_RuntimeError, "dim %d appears multiple times in the list of dims", d);
            return NULL;
        }
        seen[d] = true;
        args[i] = d;
        if (a->ndim > 0 && a->shape[d] > 0) {
            off += (a->shape[d] - 1) * a->stride[d];
            st[d] = -a->stride[d];
        }
    }
    Tensor *v = tensor_numel(a) ? tensor_as_strided(a, a->ndim, a->shape, st, off) : tensor_retain(a);
    if (!v) return NULL;
    Tensor *out = layout_empty_like(a, a->dtype, a->storage->device); /* flip keeps a's layout */
    if (out && !tensor_copy_(out, v)) {
        tensor_release(out);
        out = NULL;
    }
    tensor_release(v);
    OpCtx ctx = op_ctx(a, ndims, args);
    return ag_record_steal(out, NODE_FlipBackward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
}

Tensor *op_roll(Tensor *a, int n, const int64_t *shifts, const int64_t *dims) {
    if (n == 0) { /* flattened roll */
        int64_t numel = tensor_numel(a), sh = shifts[0];
        Tensor *f = NULL, *r = NULL, *out = NULL;
        NO_GRAD(f = op_reshape(a, 1, &numel); r = f ? op_roll(f, 1, &sh, (int64_t[]){0}) : NULL;
                out = r ? op_reshape(r, a->ndim, a->shape) : NULL);
        tensor_release(f);
        tensor_release(r);
        if (out && out->storage == a->storage) { /* reshape of a view: make it a copy */
            Tensor *c = tensor_clone(out, DT_UNDEFINED);
            tensor_release(out);
            out = c;
        }
        int64_t args[3] = {1, shifts[0], -1};
        OpCtx ctx = op_ctx(a, 3, args);
        return ag_record_steal(out, NODE_RollBackward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
    }
    int64_t wd[TSR_MAX_DIMS], s[TSR_MAX_DIMS];
    for (int i = 0; i < n; i++) {
        int d = wrap_dim(dims[i], a->ndim);
        if (d < 0) return NULL;
        wd[i] = d;
        int64_t size = a->shape[d];
        s[i] = size ? ((shifts[i] % size) + size) % size : 0;
    }
    Tensor *out = tensor_empty(a->dtype, a->ndim, a->shape, a->storage->device);
    if (!out) return NULL;
    /* out[c] = a[(c - shift) mod size] */
    int64_t shift_of[TSR_MAX_DIMS] = {0};
    for (int i = 0; i < n; i++) shift_of[wd[i]] = s[i];
    ModWalk w = {.ndim = a->ndim};
    for (int d = 0; d < a->ndim; d++) {
        w.shape[d] = w.mod[d] = a->shape[d];
        w.add[d] = shift_of[d] ? a->shape[d] - shift_of[d] : 0;
        w.stride[d] = a->stride[d];
    }
    KernelStatus st;
    DEVICE_RUN(st, out->storage->device, mod_gather, (int)dtype_size(a->dtype), &w, tensor_ptr(a), tensor_ptr(out));
    (void)st; /* a loop for every element size on the CPU */
    int64_t args[1 + 2 * TSR_MAX_DIMS];
    args[0] = n;
    for (int i = 0; i < n; i++) args[1 + i] = shifts[i], args[1 + n + i] = wd[i];
    OpCtx ctx = op_ctx(a, 1 + 2 * n < TSR_MAX_DIMS + 4 ? 1 + 2 * n : TSR_MAX_DIMS + 4, args);
    return ag_record_steal(out, NODE_RollBackward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
}

Tensor *op_repeat(Tensor *a, int ndim, const int64_t *repeats) {
    if (ndim < a->ndim) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        return NULL;
    }
    if (ndim > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, ndim);
        return NULL;
    }
    int64_t psz[TSR_MAX_DIMS], pst[TSR_MAX_DIMS], osz[TSR_MAX_DIMS] = {0}; /* ndim 0: none read */
    int lead = ndim - a->ndim;
    for (int i = 0; i < ndim; i++) {
        psz[i] = i < lead ? 1 : a->shape[i - lead];
        pst[i] = i < lead ? 0 : a->stride[i - lead];
        osz[i] = psz[i] * repeats[i];
    }
    Tensor *out = tensor_empty(a->dtype, ndim, osz, a->storage->device);
    if (!out) return NULL;
    OpCtx ctx = op_ctx(a, ndim, repeats);
    /* out[c] = a[c mod the input's sizes] */
    ModWalk w = {.ndim = ndim};
    for (int d = 0; d < ndim; d++) w.shape[d] = osz[d], w.mod[d] = psz[d], w.stride[d] = pst[d];
    KernelStatus st;
    DEVICE_RUN(st, out->storage->device, mod_gather, (int)dtype_size(a->dtype), &w, tensor_ptr(a), tensor_ptr(out));
    (void)st; /* a loop for every element size on the CPU */
    return ag_record_steal(out, NODE_RepeatBackward0, &a, 1, NULL, 0, &ctx, sizeof ctx);
}

/* cat's autograd ctx (node->ctx) is an int64 array: [dim, n, size_0..size_{n-1}]
 * (each input's size along dim; 0 for skipped legacy empty inputs). */
static bool cat_ctx(GradNode *node, int d, Tensor *const *ts, int n) {
    int64_t *c = tsr_malloc(sizeof(int64_t) * (n + 2));
    if (!c) return false;
    c[0] = d;
    c[1] = n;
    for (int i = 0; i < n; i++) c[2 + i] = ts[i]->ndim > d ? ts[i]->shape[d] : 0;
    free(node->ctx);
    node->ctx = c;
    return true;
}

static bool cat_skip(const Tensor *t) { return t->ndim == 1 && t->shape[0] == 0; }

static Tensor *cat_impl(Tensor *const *ts, int n, int64_t dim, GradNodeKind kind) {
    if (n == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "torch.cat(): expected a non-empty list of Tensors");
        return NULL;
    }
    ResultTypeState rs;
    result_type_init(&rs);
    for (int i = 0; i < n; i++) {
        if (ts[i]->ndim == 0) {
            tsr_raise(ERR_RuntimeError, "zero-dimensional tensor (at position %d) cannot be concatenated", i);
            return NULL;
        }
        result_type_add(&rs, ts[i]->dtype, ts[i]->ndim, false);
    }
    DType dt = result_type_finish(&rs);
    int ref = -1;
    for (int i = 0; i < n && ref < 0; i++)
        if (!cat_skip(ts[i])) ref = i;
    Tensor *out = NULL;
    if (ref < 0) { /* all legacy empties: PyTorch leaves dim unchecked */
        dim = 0;
        int64_t zero = 0;
        out = tensor_empty(dt, 1, &zero, ts[0]->storage->device);
    } else {
        const Tensor *r = ts[ref];
        int d = wrap_dim(dim, r->ndim);
        if (d < 0) return NULL;
        int64_t sz[TSR_MAX_DIMS];
        memcpy(sz, r->shape, sizeof sz);
        sz[d] = 0;
        for (int i = 0; i < n; i++) {
            const Tensor *t = ts[i];
            if (cat_skip(t)) continue;
            if (t->ndim != r->ndim) {
                tsr_raise(ERR_RuntimeError, "Tensors must have same number of dimensions: got %d and %d",
                          r->ndim, t->ndim);
                return NULL;
            }
            for (int k = 0; k < r->ndim; k++) {
                if (k != d && t->shape[k] != r->shape[k]) {
                    tsr_raise(ERR_RuntimeError,
                              "Sizes of tensors must match except in dimension %d. Expected size "
                              "%lld but got size %lld for tensor number %d in the list.",
                              d, (long long)r->shape[k], (long long)t->shape[k], i);
                    return NULL;
                }
            }
            sz[d] += t->shape[d];
        }
        out = tensor_empty(dt, r->ndim, sz, ts[0]->storage->device);
        if (!out) return NULL;
        int64_t off = 0;
        for (int i = 0; i < n; i++) {
            const Tensor *t = ts[i];
            if (cat_skip(t)) continue;
            int64_t psz[TSR_MAX_DIMS];
            memcpy(psz, out->shape, sizeof psz);
            psz[d] = t->shape[d];
            Tensor *part = tensor_as_strided(out, out->ndim, psz, out->stride, off * out->stride[d]);
            bool ok = part && tensor_copy_(part, (Tensor *)t);
            tensor_release(part);
            if (!ok) goto fail;
            off += t->shape[d];
        }
        dim = d;
    }
    if (!out) return NULL;
    if (ag_any_requires_grad(ts, n)) {
        GradNode *node = ag_record(out, kind, ts, n);
        if (!node || !cat_ctx(node, (int)(dim < 0 ? 0 : dim), ts, n)) goto fail;
    }
    return out;
fail:
    tensor_release(out);
    return NULL;
}

Tensor *op_cat(Tensor *const *ts, int n, int64_t dim) { return cat_impl(ts, n, dim, NODE_CatBackward0); }

Tensor *op_stack(Tensor *const *ts, int n, int64_t dim) {
    if (n == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "stack expects a non-empty TensorList");
        return NULL;
    }
    for (int i = 1; i < n; i++) {
        bool same = ts[i]->ndim == ts[0]->ndim;
        for (int k = 0; same && k < ts[0]->ndim; k++) same = ts[i]->shape[k] == ts[0]->shape[k];
        if (!same) {
            char b1[512], b2[512];
            op_shape_text(b1, sizeof b1, ts[0]->ndim, ts[0]->shape);
            op_shape_text(b2, sizeof b2, ts[i]->ndim, ts[i]->shape);
            tsr_raise(ERR_RuntimeError, "stack expects each tensor to be equal size, but got %s at entry 0 and %s at entry %d",
                      b1, b2, i);
            return NULL;
        }
    }
    int d = wrap_dim(dim, ts[0]->ndim + 1);
    if (d < 0) return NULL;
    if (ts[0]->ndim + 1 > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions", TSR_MAX_DIMS);
        return NULL;
    }
    /* unsqueezed aliases (no autograd) concatenated; the node is StackBackward0 on the inputs */
    Tensor **us = tsr_calloc(n, sizeof *us);
    if (!us) return NULL;
    Tensor *out = NULL;
    for (int i = 0; i < n; i++) {
        int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
        unsqueeze_geometry(ts[i], d, sz, st);
        us[i] = tensor_as_strided(ts[i], ts[i]->ndim + 1, sz, st, ts[i]->offset);
        if (!us[i]) goto done;
    }
    bool saved = ag_grad_enabled;
    ag_grad_enabled = false;
    out = cat_impl(us, n, d, NODE_CatBackward0);
    ag_grad_enabled = saved;
    if (out && ag_any_requires_grad(ts, n)) {
        GradNode *node = ag_record(out, NODE_StackBackward0, ts, n);
        if (!node || !cat_ctx(node, d, us, n)) {
            tensor_release(out);
            out = NULL;
        }
    }
done:
    for (int i = 0; i < n; i++) tensor_release(us[i]);
    free(us);
    return out;
}

/* ---- in-place views: squeeze_, unsqueeze_, t_, transpose_. The tensor
 * itself takes the geometry of the view the out-of-place op makes, and the
 * node that op recorded (with the old geometry in its ctx, exactly what the
 * backward needs) takes PyTorch's in-place name. ---- */

/* Rebinds a to the view v (stolen) and renames v's node. */
static Tensor *become_view(Tensor *a, Tensor *v, GradNodeKind inplace_kind) {
    if (!v) return NULL;
    a->ndim = v->ndim;
    if (v->ndim) {
        memcpy(a->shape, v->shape, sizeof(int64_t) * (size_t)v->ndim);
        memcpy(a->stride, v->stride, sizeof(int64_t) * (size_t)v->ndim);
    }
    a->offset = v->offset;
    if (v->grad_fn) { /* its edge leads to a's previous history: no cycle */
        GradNode *node = v->grad_fn;
        ag_node_set_kind(node, inplace_kind);
        ag_node_release(a->grad_fn);
        a->grad_fn = node;
        a->output_nr = v->output_nr;
        a->requires_grad = true;
        v->grad_fn = NULL;
    }
    tensor_release(v);
    a->storage->version++;
    a->view_version = a->storage->version; /* its own node is current */
    return tensor_retain(a);
}

Tensor *op_squeeze_(Tensor *a, int ndims, const int64_t *dims) {
    if (!op_inplace_allowed(a)) return NULL;
    return become_view(a, op_squeeze(a, ndims, dims), ndims == 0 ? NODE_SqueezeBackward2 : NODE_SqueezeBackward3);
}

Tensor *op_unsqueeze_(Tensor *a, int64_t dim) {
    if (!op_inplace_allowed(a)) return NULL;
    return become_view(a, op_unsqueeze(a, dim), NODE_UnsqueezeBackward1);
}

Tensor *op_t_(Tensor *a) {
    if (!op_inplace_allowed(a)) return NULL;
    return become_view(a, op_t(a), NODE_TBackward1);
}

Tensor *op_transpose_(Tensor *a, int64_t d0, int64_t d1) {
    if (!op_inplace_allowed(a)) return NULL;
    return become_view(a, op_transpose(a, d0, d1), NODE_TransposeBackward1);
}
