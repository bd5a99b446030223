/* strided.c: the ops that take a geometry from the user: as_strided(_),
 * as_strided_scatter, Tensor.unfold, fill_diagonal_ (two as_strided
 * views filled), and resize_ (PyTorch's TensorShape.cpp, Resize.cpp,
 * Fill.cpp).
 *
 * A user geometry is checked against the storage before any view is made
 * (setStorage's message), so no view ever reaches outside its storage.
 * as_strided and unfold record AsStridedBackward0 / UnfoldBackward0 with
 * an AgViewGeom ctx (the view's and the input's geometry): their gradient
 * is scattered to the input's elements the view reaches. */
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

/* PyTorch's list text "[3, 5]" */
static void list_text(char *buf, size_t cap, int n, const int64_t *v) { op_shape_text(buf, cap, n, v); }

/* The bytes a geometry needs (computeStorageNbytes): 0 with a zero size;
 * false with PyTorch's error when a size is negative or it overflows. */
static bool storage_bytes_needed(int n, const int64_t *size, const int64_t *stride, int64_t offset, int64_t es,
                                 int64_t *need) {
    bool overflow = false, zero = false;
    int64_t span = 1;
    for (int d = 0; d < n; d++) {
        if (size[d] < 0) overflow = true;
        if (size[d] == 0) zero = true;
    }
    for (int d = 0; d < n && !overflow && !zero; d++) {
        int64_t t;
        if (__builtin_mul_overflow(stride[d], size[d] - 1, &t) || __builtin_add_overflow(span, t, &span))
            overflow = true;
    }
    int64_t total = 0;
    if (!overflow && !zero &&
        (__builtin_add_overflow(span, offset, &total) || __builtin_mul_overflow(total, es, &total)))
        overflow = true;
    if (overflow) {
        char a[512], b[512];
        list_text(a, sizeof a, n, size);
        list_text(b, sizeof b, n, stride);
        tsr_raise(ERR_RuntimeError, "Storage size calculation overflowed with sizes=%s and strides=%s", a, b);
        return false;
    }
    *need = zero ? 0 : total;
    return true;
}

/* as_strided's checks; the storage size given in bytes. */
static bool check_geometry(int n, const int64_t *size, int ns, const int64_t *stride, int64_t offset, int64_t es,
                           int64_t storage_bytes) {
    if (n != ns) {
        tsr_raise(ERR_RuntimeError, "%s", "mismatch in length of strides and shape");
        return false;
    }
    for (int d = 0; d < n; d++) {
        if (stride[d] < 0) {
            char b[512];
            list_text(b, sizeof b, n, stride);
            tsr_raise(ERR_RuntimeError, "as_strided: Negative strides are not supported at the moment, got strides: %s",
                      b);
            return false;
        }
    }
    if (offset < 0) {
        tsr_raise(ERR_RuntimeError, "Tensor: invalid storage offset %lld", (long long)offset);
        return false;
    }
    int64_t need;
    if (!storage_bytes_needed(n, size, stride, offset, es, &need)) return false;
    if (need > storage_bytes) {
        char a[512], b[512];
        list_text(a, sizeof a, n, size);
        list_text(b, sizeof b, n, stride);
        tsr_raise(ERR_RuntimeError,
                  "setStorage: sizes %s, strides %s, storage offset %lld, and itemsize %lld requiring a storage size "
                  "of %lld are out of bounds for storage of size %lld",
                  a, b, (long long)offset, (long long)es, (long long)need, (long long)storage_bytes);
        return false;
    }
    if (n > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, n);
        return false;
    }
    return true;
}

/* v (a view of a, stolen) registered as a view, with node `kind` holding
 * the geometry of v within a. */
static Tensor *record_geometry_view(Tensor *v, Tensor *a, GradNodeKind kind) {
    if (!v) return NULL;
    ag_set_view(v, a, false);
    if (!ag_any_requires_grad(&a, 1)) return v;
    AgViewGeom g;
    memset(&g, 0, sizeof g);
    g.ndim = v->ndim;
    g.bndim = a->ndim;
    g.offset = v->offset;
    g.boffset = a->offset;
    memcpy(g.sizes, v->shape, sizeof(int64_t) * (size_t)v->ndim);
    memcpy(g.strides, v->stride, sizeof(int64_t) * (size_t)v->ndim);
    memcpy(g.bsizes, a->shape, sizeof(int64_t) * (size_t)a->ndim);
    memcpy(g.bstrides, a->stride, sizeof(int64_t) * (size_t)a->ndim);
    return ag_record_steal(v, kind, &a, 1, NULL, 0, &g, sizeof g);
}

Tensor *op_as_strided(Tensor *a, int n, const int64_t *size, int ns, const int64_t *stride, bool has_offset,
                      int64_t offset) {
    int64_t off = has_offset ? offset : a->offset, es = (int64_t)dtype_size(a->dtype);
    if (!check_geometry(n, size, ns, stride, off, es, a->storage->nbytes)) return NULL;
    return record_geometry_view(tensor_as_strided(a, n, size, stride, off), a, NODE_AsStridedBackward0);
}

Tensor *op_as_strided_(Tensor *a, int n, const int64_t *size, int ns, const int64_t *stride, bool has_offset,
                       int64_t offset) {
    int64_t off = has_offset ? offset : a->offset, es = (int64_t)dtype_size(a->dtype);
    if (!check_geometry(n, size, ns, stride, off, es, a->storage->nbytes)) return NULL;
    bool grad = ag_requires_grad(a) && ag_grad_enabled;
    if (grad && a->view_base) {
        tsr_raise(ERR_NotImplementedError, "%s", "as_strided_ on a view that requires grad is not supported");
        return NULL;
    }
    if (grad && !ag_check_inplace(a, true)) return NULL;
    /* with a graph: AsStridedBackward1 over a's history, through an alias
     * of a's old geometry */
    Tensor *old = grad ? tensor_as_strided(a, a->ndim, a->shape, a->stride, a->offset) : NULL;
    if (grad && !old) return NULL;
    AgViewGeom g;
    memset(&g, 0, sizeof g);
    if (old) {
        old->requires_grad = a->requires_grad;
        old->grad_fn = a->grad_fn; /* a's reference moves to old */
        old->output_nr = a->output_nr;
        a->grad_fn = NULL;
        g.bndim = a->ndim;
        g.boffset = a->offset;
        memcpy(g.bsizes, a->shape, sizeof(int64_t) * (size_t)a->ndim);
        memcpy(g.bstrides, a->stride, sizeof(int64_t) * (size_t)a->ndim);
    }
    a->ndim = n;
    memcpy(a->shape, size, sizeof(int64_t) * (size_t)n);
    memcpy(a->stride, stride, sizeof(int64_t) * (size_t)n);
    a->offset = off;
    if (!old) return tensor_retain(a);
    g.ndim = n;
    g.offset = off;
    memcpy(g.sizes, size, sizeof(int64_t) * (size_t)n);
    memcpy(g.strides, stride, sizeof(int64_t) * (size_t)n);
    Tensor *r = ag_record_steal(tensor_retain(a), NODE_AsStridedBackward1, &old, 1, NULL, 0, &g, sizeof g);
    tensor_release(old);
    return r;
}

Tensor *op_unfold(Tensor *a, int64_t dim, int64_t size, int64_t step) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    int64_t max_size = a->ndim ? a->shape[d] : 1;
    if (size > max_size) {
        tsr_raise(ERR_RuntimeError, "maximum size for tensor at dimension %d is %lld but size is %lld", d,
                  (long long)max_size, (long long)size);
        return NULL;
    }
    if (step <= 0) {
        tsr_raise(ERR_RuntimeError, "step is %lld but must be > 0", (long long)step);
        return NULL;
    }
    if (a->ndim + 1 > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, a->ndim + 1);
        return NULL;
    }
    int64_t sz[TSR_MAX_DIMS], st[TSR_MAX_DIMS];
    int n = a->ndim + 1;
    memcpy(sz, a->shape, sizeof(int64_t) * (size_t)a->ndim);
    memcpy(st, a->stride, sizeof(int64_t) * (size_t)a->ndim);
    int64_t dst = a->ndim ? a->stride[d] : 1;
    sz[n - 1] = size;
    st[n - 1] = dst;
    if (a->ndim) {
        sz[d] = (a->shape[d] - size) / step + 1;
        st[d] = step * a->stride[d];
    }
    int64_t need;
    if (!storage_bytes_needed(n, sz, st, 0, 1, &need)) return NULL;
    if (!a->ndim) n = 1;
    return record_geometry_view(tensor_as_strided(a, n, sz, st, a->offset), a, NODE_UnfoldBackward0);
}

/* as_strided_scatter: out = self.clone(); out.as_strided(...) = src */
Tensor *op_as_strided_scatter(Tensor *self, Tensor *src, int n, const int64_t *size, int ns, const int64_t *stride,
                              bool has_offset, int64_t offset) {
    int64_t numel = tensor_numel(self), es = (int64_t)dtype_size(self->dtype);
    if (!check_geometry(n, size, ns, stride, has_offset ? offset : 0, es, numel * es)) return NULL;
    return op_geometry_scatter(self, src, n, size, stride, has_offset ? offset : 0);
}

/* fill_diagonal_: the main diagonal (and with wrap, its repeats below a
 * tall matrix) as as_strided views of self, filled. */
Tensor *op_fill_diagonal_(Tensor *self, Tensor *value, bool wrap) {
    int nd = self->ndim;
    if (nd < 2) {
        tsr_raise(ERR_RuntimeError, "%s", "dimensions must larger than 1");
        return NULL;
    }
    int64_t height = self->shape[0], width = self->shape[1];
    for (int i = 1; i < nd && nd > 2; i++) {
        if (self->shape[i] != height) {
            tsr_raise(ERR_RuntimeError, "%s", "all dimensions of input must be of equal length");
            return NULL;
        }
    }
    int64_t size = height < width ? height : width, stride = 0;
    for (int i = 0; i < nd; i++) stride += self->stride[i];
    Tensor *diag = op_as_strided(self, 1, &size, 1, &stride, true, self->offset);
    Tensor *r = diag ? op_fill_(diag, value) : NULL;
    tensor_release(diag);
    if (!r) return NULL;
    tensor_release(r);
    if (wrap && nd == 2 && height > width + 1) {
        int64_t step = width + 1, wsize = (tensor_numel(self) + step - 1) / step - size;
        Tensor *w = op_as_strided(self, 1, &wsize, 1, &stride, true, self->offset + self->stride[0] * (width + 1));
        r = w ? op_fill_(w, value) : NULL;
        tensor_release(w);
        if (!r) return NULL;
        tensor_release(r);
    }
    return tensor_retain(self);
}

/* ---- resize_ ---- */

/* s's bytes grown to nbytes (contents kept, the rest uninitialised); every
 * tensor on s sees the new bytes. */
static bool storage_grow(Storage *s, int64_t nbytes) {
    if (s->borrowed) {
        tsr_raise(ERR_RuntimeError, "%s", "Trying to resize storage that is not resizable");
        return false;
    }
    Storage *fresh = storage_new(nbytes, s->device);
    if (!fresh) return false;
    if (s->nbytes > 0) {
        if (s->device.type == DEV_CUDA) device_wait();
        memcpy(fresh->data, s->data, (size_t)s->nbytes);
    }
    void *d = s->data;
    int64_t nb = s->nbytes;
    s->data = fresh->data;
    s->nbytes = fresh->nbytes;
    fresh->data = d;
    fresh->nbytes = nb;
    storage_release(fresh);
    return true;
}

Tensor *op_resize_(Tensor *a, int n, const int64_t *size) {
    if (a->requires_grad || a->grad_fn || (a->view_base && a->view_base->requires_grad)) {
        tsr_raise(ERR_RuntimeError, "%s", "cannot resize variables that require grad");
        return NULL;
    }
    /* c10's safe numel over the sizes as unsigned (a negative size
     * overflows; tsr refuses one even where the product is 0) */
    for (int d = 0; d < n; d++) {
        if (size[d] < 0) {
            tsr_raise(ERR_RuntimeError, "%s", "numel: integer multiplication overflow");
            return NULL;
        }
    }
    if (n > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, n);
        return NULL;
    }
    if (n == a->ndim && !memcmp(size, a->shape, sizeof(int64_t) * (size_t)n)) return tensor_retain(a);
    int64_t st[TSR_MAX_DIMS], es = (int64_t)dtype_size(a->dtype);
    int64_t numel = contiguous_strides(n, size, st);
    if (numel < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "resize_: the size overflows");
        return NULL;
    }
    int64_t need;
    if (!storage_bytes_needed(n, size, st, a->offset, es, &need)) return NULL;
    if (need > a->storage->nbytes && !storage_grow(a->storage, need)) return NULL;
    a->ndim = n;
    memcpy(a->shape, size, sizeof(int64_t) * (size_t)n);
    memcpy(a->stride, st, sizeof(int64_t) * (size_t)n);
    return tensor_retain(a);
}

/* Tensor.resize / resize_as (torch.autograd._functions.Resize, whose
 * element-count check their Python does): x made contiguous and viewed as
 * size (a view of x when x is contiguous), under ResizeBackward */
Tensor *op_resize_function(Tensor *x, int n, const int64_t *size) {
    Tensor *r = NULL;
    NO_GRAD({
        Tensor *c = op_contiguous(x);
        r = c ? op_view(c, n, size) : NULL;
        tensor_release(c);
    });
    return ag_record_steal(r, NODE_ResizeBackward, &x, 1, NULL, 0, NULL, 0);
}

/* ---- set_ ---- */

Tensor *op_set_(Tensor *a, Tensor *src, bool geometry, int64_t offset, int n, const int64_t *size,
                const int64_t *stride) {
    bool rg = ag_requires_grad(a) || (src && ag_requires_grad(src));
    if (!ag_check_inplace(a, rg)) return NULL;
    Storage *st = src ? src->storage : storage_new(0, a->storage->device);
    if (!st) return NULL;
    int64_t es = (int64_t)dtype_size(a->dtype), zero = 0, one = 1;
    if (!src) {
        offset = 0, n = 1, size = &zero, stride = &one;
    } else if (!geometry) {
        offset = src->offset, n = src->ndim, size = src->shape, stride = src->stride;
    }
    if (offset < 0) {
        tsr_raise(ERR_RuntimeError, "Tensor: invalid storage offset %lld", (long long)offset);
        if (!src) storage_release(st);
        return NULL;
    }
    int64_t need;
    if (n > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, n);
        if (!src) storage_release(st);
        return NULL;
    }
    if (!storage_bytes_needed(n, size, stride, offset, es, &need) || (need > st->nbytes && !storage_grow(st, need))) {
        if (!src) storage_release(st);
        return NULL;
    }
    if (src) storage_retain(st);
    storage_release(a->storage);
    a->storage = st;
    a->offset = offset;
    a->ndim = n;
    memmove(a->shape, size, sizeof(int64_t) * (size_t)n);
    memmove(a->stride, stride, sizeof(int64_t) * (size_t)n);
    st->version++;
    if (rg) {
        GradNode *node = ag_record(a, NODE_NotImplemented, &a, 1);
        if (!node || !(node->ctx = tsr_strndup("=set_", 5))) return NULL;
    }
    return tensor_retain(a);
}
