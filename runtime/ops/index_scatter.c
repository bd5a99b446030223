/* index_scatter.c: the ops that write a source into a copy of self at
 * positions: index_add, index_copy, index_fill, index_put, put,
 * masked_scatter, select_scatter, slice_scatter, diagonal_scatter,
 * as_strided_scatter (PyTorch's TensorAdvancedIndexing.cpp and
 * TensorShape.cpp), their in-place forms, and take_along_dim.
 *
 * Every one of them is the same write: out = self.clone() (contiguous),
 * out.flat[pos[k]] = src.flat[k] (or +=) for k < n, where pos holds
 * row-major positions in self. The positions come from applying the op's
 * own selection (index_select, select, slice, diagonal, as_strided,
 * advanced indexing, masked_select) to a tensor of self's shape holding
 * 0..numel-1, so the selections' rules and errors are the ones those ops
 * already have; each op adds PyTorch's own checks first. The write is
 * gather/scatter's kernel (kernel_scatter) along the flat positions.
 *
 * The node (IndexAddBackward0, IndexCopyBackward0, IndexFillBackward0/1,
 * IndexPutBackward0, PutBackward0, MaskedScatterBackward0,
 * SelectScatterBackward0, SliceScatterBackward0, DiagonalScatterBackward0,
 * AsStridedScatterBackward0): inputs {self, src} (or {self}), saved
 * {pos}, ctx a ScatterPosCtx (ops.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"

/* 0..numel-1 in self's shape (int64, on the CPU). */
static Tensor *all_positions(const Tensor *self) {
    Tensor *p = tensor_empty(DT_INT64, self->ndim, self->shape, device_cpu());
    if (!p) return NULL;
    int64_t *q = (int64_t *)tensor_data(p);
    for (int64_t k = 0, n = tensor_numel(p); k < n; k++) q[k] = k;
    return p;
}

/* A contiguous int64 CPU copy of the positions a selection gave (steals sel). */
static Tensor *positions_steal(Tensor *sel) {
    if (!sel) return NULL;
    Tensor *c = tensor_contiguous(sel);
    tensor_release(sel);
    return c;
}

/* A contiguous copy of t in dtype dt, on dev (t borrowed). */
static Tensor *contig_as(Tensor *t, DType dt, Device dev) {
    Tensor *c = tensor_empty(dt, t->ndim, t->shape, dev);
    if (c && !tensor_copy_(c, t)) {
        tensor_release(c);
        return NULL;
    }
    return c;
}

/* The write and its node. self: the op's input; pos: contiguous int64
 * positions (n of them); src: n elements (any shape, self's dtype) or
 * NULL with `value` (a 0-dim tensor of self's dtype, on the CPU) written
 * at every position; add: accumulate. grad_src: the tensor recorded as the
 * node's second input (NULL: none). */
static Tensor *write_positions(Tensor *self, Tensor *pos, Tensor *src, Tensor *value, bool add, GradNodeKind kind,
                               Tensor *grad_src, const ScatterPosCtx *ctx) {
    Tensor *out = contig_as(self, self->dtype, self->storage->device);
    Tensor *s = NULL;
    if (!out) return NULL;
    int64_t n = tensor_numel(pos), numel = tensor_numel(out);
    if (n > 0) {
        if (src && !(s = tensor_contiguous(src))) goto fail;
        IndexWalk w = {0};
        w.ndim = 1;
        w.shape[0] = n;
        w.st[1][0] = 1;
        w.st[2][0] = s ? 1 : 0;
        int64_t bad = 0;
        KernelStatus st = kernel_scatter(self->dtype, &w, tensor_data(out), 1, numel, (const int64_t *)tensor_data(pos),
                                         s ? tensor_data(s) : NULL, value ? tensor_data(value) : NULL, add, &bad);
        if (st != KERNEL_OK) {
            tsr_raise(ERR_RuntimeError, "index %lld is out of bounds for size %lld", (long long)bad, (long long)numel);
            goto fail;
        }
    }
    tensor_release(s);
    Tensor *in[2] = {self, grad_src};
    return ag_record_steal(out, kind, in, grad_src ? 2 : 1, &pos, 1, ctx, sizeof *ctx);
fail:
    tensor_release(s);
    tensor_release(out);
    return NULL;
}

static const ScatterPosCtx copy_ctx = {.add = false, .value = false, .pad = false, .alpha = 1.0};

/* "[3, 4]" without the brackets' content check: the shape of t without dim d */
static int drop_dim(const Tensor *t, int d, int64_t *out) {
    int n = 0;
    for (int k = 0; k < t->ndim; k++)
        if (k != d) out[n++] = t->shape[k];
    return n;
}

/* Every index in [0, size) (negative ones wrapped first when wrap);
 * false with the first bad one in *bad. idx contiguous int64 or int32. */
static bool indices_in_range(Tensor *idx, int64_t size, bool wrap, int64_t *bad) {
    Tensor *c = contig_as(idx, DT_INT64, device_cpu());
    if (!c) return false;
    const int64_t *p = (const int64_t *)tensor_data(c);
    bool ok = true;
    for (int64_t k = 0, n = tensor_numel(c); k < n && ok; k++) {
        int64_t v = p[k] < 0 && wrap ? p[k] + size : p[k];
        if (v < 0 || v >= size) {
            *bad = p[k];
            ok = false;
        }
    }
    tensor_release(c);
    return ok;
}

/* The positions of self.index_select(d, index) (index validated). */
static Tensor *index_positions(Tensor *self, int d, Tensor *index, bool wrap) {
    Tensor *all = all_positions(self), *ix = NULL, *sel = NULL;
    if (!all) return NULL;
    if (wrap) {
        int64_t size = self->ndim ? self->shape[d] : 1;
        ix = contig_as(index, DT_INT64, device_cpu());
        if (ix) {
            int64_t *p = (int64_t *)tensor_data(ix);
            for (int64_t k = 0, n = tensor_numel(ix); k < n; k++)
                if (p[k] < 0) p[k] += size;
        }
    } else {
        ix = contig_as(index, index->dtype, device_cpu());
    }
    int64_t one = 1;
    Tensor *ix1 = ix && ix->ndim == 0 ? op_reshape(ix, 1, &one) : tensor_retain(ix);
    NO_GRAD(sel = ix1 ? op_index_select(all, d, ix1) : NULL);
    tensor_release(ix1);
    tensor_release(ix);
    tensor_release(all);
    return positions_steal(sel);
}

/* ---- index_add, index_copy, index_fill ---- */

/* index_add's and index_reduce's checks (index_func_meta_impl): fn is
 * "index_add" or "index_reduce"; target: the shape source broadcasts to
 * (self's with index's length at d). */
static bool index_func_check(const char *fn, Tensor *self, int d, Tensor *index, Tensor *source, int64_t *target) {
    int64_t ni = tensor_numel(index);
    char b1[256];
    if (index->ndim > 1) {
        op_shape_text(b1, sizeof b1, index->ndim, index->shape);
        tsr_raise(ERR_IndexError,
                  "%s_(): Index is supposed to be a vector, but got dim: %d with type: %s and size: %s", fn,
                  index->ndim, dtype_scalar_name(index->dtype), b1);
        return false;
    }
    if (index->dtype != DT_INT64 && index->dtype != DT_INT32) {
        tsr_raise(ERR_RuntimeError, "%s_(): Expected dtype int32/int64 for index but got: %s", fn,
                  dtype_scalar_name(index->dtype));
        return false;
    }
    if (self->dtype != source->dtype) {
        tsr_raise(ERR_RuntimeError, "%s_(): self (%s) and source (%s) must have the same scalar type", fn,
                  dtype_scalar_name(self->dtype), dtype_scalar_name(source->dtype));
        return false;
    }
    if (!(d == 0 || d < source->ndim)) {
        tsr_raise(ERR_IndexError, "%s_(): Indexing dim %d is out of bounds of the source tensor with dim %d", fn, d,
                  source->ndim);
        return false;
    }
    int64_t sd = source->ndim ? source->shape[d] : 1;
    if (ni != sd) {
        tsr_raise(ERR_RuntimeError,
                  "%s_(): Number of indices (%lld) should be equal to source.size(dim): (%lld), for dim: %d", fn,
                  (long long)ni, (long long)sd, d);
        return false;
    }
    /* each slice: self.select(d, i).add_(source.select(d, k)), broadcasting */
    int64_t ss[TSR_MAX_DIMS], bs[TSR_MAX_DIMS];
    int nt = self->ndim;
    memcpy(target, self->shape, sizeof(int64_t) * (size_t)nt);
    if (nt) target[d] = ni;
    if (self->ndim > 1 || source->ndim > 1) {
        int64_t sl[TSR_MAX_DIMS];
        int nsl = drop_dim(self, d, sl), nss = drop_dim(source, source->ndim ? d : -1, ss);
        int nb = broadcast_shapes(nsl, sl, nss, ss, bs);
        if (nb < 0) return false;
        if (ni > 0) {
            Tensor probe = *self;
            probe.ndim = nsl;
            memcpy(probe.shape, sl, sizeof(int64_t) * (size_t)nsl);
            if (!op_check_inplace_shape(&probe, nb, bs)) return false;
        }
    }
    int64_t bad = 0, size = self->ndim ? self->shape[d] : 1;
    if (!indices_in_range(index, size, false, &bad)) {
        tsr_raise(ERR_IndexError, "%s", "index out of range in self");
        return false;
    }
    return true;
}

Tensor *op_index_add(Tensor *self, int64_t dim, Tensor *index, Tensor *source, double alpha) {
    int d = wrap_dim(dim, self->ndim);
    int64_t target[TSR_MAX_DIMS];
    if (d < 0 || !index_func_check("index_add", self, d, index, source, target)) return NULL;
    int nt = self->ndim;
    Tensor *pos = index_positions(self, d, index, false);
    Tensor *src = NULL, *scaled = NULL;
    if (pos) {
        Tensor *exp = NULL;
        NO_GRAD(exp = op_expand(source, nt, target));
        if (exp && alpha != 1.0) {
            Tensor *a = tensor_scalar_f64(self->dtype, alpha);
            NO_GRAD(scaled = a ? op_binary(BIN_MUL, exp, a) : NULL);
            tensor_release(a);
            tensor_release(exp);
            exp = scaled ? contig_as(scaled, self->dtype, self->storage->device) : NULL;
            tensor_release(scaled);
        }
        src = exp;
    }
    ScatterPosCtx ctx = {.add = true, .alpha = alpha};
    Tensor *out = src ? write_positions(self, pos, src, NULL, true, NODE_IndexAddBackward0, source, &ctx) : NULL;
    tensor_release(src);
    tensor_release(pos);
    return out;
}

/* index_reduce: scatter_reduce with the index spread over source's
 * shape; the node is renamed IndexReduceBackward0 (same saves). */
Tensor *op_index_reduce(Tensor *self, int64_t dim, Tensor *index, Tensor *source, int op, bool include_self) {
    int d = wrap_dim(dim, self->ndim);
    int64_t target[TSR_MAX_DIMS];
    if (d < 0 || !index_func_check("index_reduce", self, d, index, source, target)) return NULL;
    int nt = self->ndim;
    int64_t vshape[TSR_MAX_DIMS];
    for (int k = 0; k < nt; k++) vshape[k] = k == d ? target[k] : 1;
    Tensor *ix = contig_as(index, DT_INT64, self->storage->device), *iv = NULL, *ie = NULL, *src = NULL;
    NO_GRAD(iv = ix ? op_reshape(ix, nt, vshape) : NULL);
    ie = iv ? op_expanded_copy(iv, nt, target) : NULL;
    src = ie ? op_expand(source, nt, target) : NULL;
    Tensor *out = src ? op_scatter_reduce(self, d, ie, src, op, include_self) : NULL;
    if (out && out->grad_fn) ag_node_set_kind(out->grad_fn, NODE_IndexReduceBackward0);
    tensor_release(ix);
    tensor_release(iv);
    tensor_release(ie);
    tensor_release(src);
    return out;
}

/* c10's vector printer: "3 5" (elements separated by spaces) */
static void sizes_text(char *buf, size_t cap, int n, const int64_t *s) {
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < n && k < cap; i++) k += (size_t)snprintf(buf + k, cap - k, i ? " %lld" : "%lld", (long long)s[i]);
}

Tensor *op_index_copy(Tensor *self, int64_t dim, Tensor *index, Tensor *source) {
    int d = wrap_dim(dim, self->ndim);
    if (d < 0) return NULL;
    if (index->ndim >= 2) {
        tsr_raise(ERR_IndexError, "index_copy_(): Index should have dimension 1 or 0 (got %d)", index->ndim);
        return NULL;
    }
    int64_t ni = tensor_numel(index);
    if (source->ndim == 0 && ni != 1) {
        tsr_raise(ERR_IndexError, "index_copy_(): When source is scalar, index should have one element (got %lld)",
                  (long long)ni);
        return NULL;
    }
    if (source->ndim != self->ndim && source->ndim != 0 && self->ndim != 0) {
        tsr_raise(ERR_IndexError,
                  "index_copy_(): When source and destination are not scalars, their dimensionality must match. "
                  "Source dimensionality (%d), destination dimensionality (%d)",
                  source->ndim, self->ndim);
        return NULL;
    }
    if (index->dtype != DT_INT64) {
        tsr_raise(ERR_RuntimeError, "index_copy_(): Expected a long tensor for index, but got %s",
                  dtype_scalar_name(index->dtype));
        return NULL;
    }
    if (self->dtype != source->dtype) {
        tsr_raise(ERR_RuntimeError,
                  "index_copy_(): self and source expected to have the same dtype, but got (self) %s and (source) %s",
                  dtype_scalar_name(self->dtype), dtype_scalar_name(source->dtype));
        return NULL;
    }
    int64_t a[TSR_MAX_DIMS], b[TSR_MAX_DIMS];
    int na = drop_dim(self, self->ndim ? d : -1, a), nb = drop_dim(source, source->ndim ? d : -1, b);
    if (na != nb || memcmp(a, b, sizeof(int64_t) * (size_t)na)) {
        char t1[256], t2[256];
        sizes_text(t1, sizeof t1, na, a);
        sizes_text(t2, sizeof t2, nb, b);
        tsr_raise(ERR_RuntimeError,
                  "index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: %s "
                  "at dimension %d and source slice shape: %s at dimension 0.",
                  t1, d, t2);
        return NULL;
    }
    if (source->ndim != 0 && ni != source->shape[d]) {
        tsr_raise(ERR_IndexError, "index_copy_(): Number of indices (%lld) should be equal to source.size(dim) (%lld)",
                  (long long)ni, (long long)source->shape[d]);
        return NULL;
    }
    int64_t bad = 0, size = self->ndim ? self->shape[d] : 1;
    if (!indices_in_range(index, size, false, &bad)) {
        tsr_raise(ERR_IndexError, "index_copy_(): index %lld is out of bounds for dimension %d with size %lld",
                  (long long)bad, d, (long long)size);
        return NULL;
    }
    Tensor *pos = index_positions(self, d, index, false);
    Tensor *out = pos ? write_positions(self, pos, source, NULL, false, NODE_IndexCopyBackward0, source, &copy_ctx)
                      : NULL;
    tensor_release(pos);
    return out;
}

Tensor *op_index_fill(Tensor *self, int64_t dim, Tensor *index, Tensor *value) {
    if (value->ndim != 0) {
        tsr_raise(ERR_RuntimeError,
                  "index_fill_ only supports a 0-dimensional value tensor, but got tensor with %d dimension(s).",
                  value->ndim);
        return NULL;
    }
    if (index->dtype != DT_INT64) {
        tsr_raise(ERR_IndexError, "%s", "index_fill_(): Expected dtype int64 for index.");
        return NULL;
    }
    int d = wrap_dim(dim, self->ndim);
    if (d < 0) return NULL;
    if (index->ndim > 1) {
        tsr_raise(ERR_RuntimeError, "%s", "Index has to be a vector/scalar");
        return NULL;
    }
    if (value->wrapped_number && !scalar_fits(self->dtype, value)) return NULL;
    int64_t bad = 0, size = self->ndim ? self->shape[d] : 1;
    if (!indices_in_range(index, size, true, &bad)) {
        tsr_raise(ERR_IndexError, "index %lld is out of bounds for dimension %d with size %lld", (long long)bad, d,
                  (long long)size);
        return NULL;
    }
    Tensor *pos = index_positions(self, d, index, true);
    Tensor *v = pos ? contig_as(value, self->dtype, device_cpu()) : NULL;
    bool tensor_value = !value->wrapped_number;
    ScatterPosCtx ctx = {.value = true, .alpha = 1.0};
    Tensor *out = v ? write_positions(self, pos, NULL, v, false,
                                      tensor_value ? NODE_IndexFillBackward1 : NODE_IndexFillBackward0,
                                      tensor_value ? value : NULL, &ctx)
                    : NULL;
    tensor_release(v);
    tensor_release(pos);
    return out;
}

/* ---- put, index_put, masked_scatter ---- */

Tensor *op_put(Tensor *self, Tensor *index, Tensor *source, bool accumulate) {
    int64_t ni = tensor_numel(index), ns = tensor_numel(source), numel = tensor_numel(self);
    if (ns != ni) {
        tsr_raise(ERR_IndexError,
                  "put_(): Expected source and index to have the same number of elements, but got source.numel() = "
                  "%lld, index.numel() = %lld",
                  (long long)ns, (long long)ni);
        return NULL;
    }
    if (index->dtype != DT_INT64) {
        tsr_raise(ERR_RuntimeError, "put_(): Expected a long tensor for index, but got %s",
                  dtype_scalar_name(index->dtype));
        return NULL;
    }
    if (self->dtype != source->dtype) {
        tsr_raise(ERR_RuntimeError,
                  "put_(): self and source expected to have the same dtype, but got self.dtype = %s and "
                  "source.dtype = %s",
                  dtype_scalar_name(self->dtype), dtype_scalar_name(source->dtype));
        return NULL;
    }
    if (numel == 0 && ni > 0) {
        tsr_raise(ERR_IndexError, "%s", "put_(): Tried to put elements into an empty tensor");
        return NULL;
    }
    int64_t bad = 0;
    if (!indices_in_range(index, numel, true, &bad)) {
        tsr_raise(ERR_IndexError, "out of range: tried to access index %lld on a tensor of %lld elements.",
                  (long long)bad, (long long)numel);
        return NULL;
    }
    Tensor *pos = contig_as(index, DT_INT64, device_cpu());
    if (!pos) return NULL;
    int64_t *p = (int64_t *)tensor_data(pos);
    for (int64_t k = 0; k < ni; k++)
        if (p[k] < 0) p[k] += numel;
    ScatterPosCtx ctx = {.add = accumulate, .alpha = 1.0};
    Tensor *out = write_positions(self, pos, source, NULL, accumulate, NODE_PutBackward0, source, &ctx);
    tensor_release(pos);
    return out;
}

Tensor *op_index_put(Tensor *self, const TensorIndex *idx, int n, Tensor *values, bool accumulate) {
    if (values->dtype != self->dtype && !values->wrapped_number) {
        const char *d = tsr_dtype_info[self->dtype].tensor_type, *s = tsr_dtype_info[values->dtype].tensor_type;
        tsr_raise(ERR_RuntimeError,
                  "Index put requires the source and destination dtypes match, got %.*s for the destination and %.*s "
                  "for the source.",
                  (int)(strlen(d) - 6), d, (int)(strlen(s) - 6), s);
        return NULL;
    }
    int used = 0; /* a mask uses its dims */
    for (int k = 0; k < n; k++)
        used += idx[k].tensor && (idx[k].tensor->dtype == DT_BOOL || idx[k].tensor->dtype == DT_UINT8)
                    ? idx[k].tensor->ndim
                    : 1;
    if (used > self->ndim) {
        tsr_raise(ERR_IndexError, "too many indices for tensor of dimension %d (got %d)", self->ndim, used);
        return NULL;
    }
    /* the positions live on the CPU: so do the indices they are taken with */
    TensorIndex hidx[TSR_MAX_DIMS];
    Tensor *hts[TSR_MAX_DIMS] = {NULL};
    bool ok = n <= TSR_MAX_DIMS;
    for (int k = 0; ok && k < n; k++) {
        hidx[k] = idx[k];
        if (idx[k].tensor && tensor_is_cuda(idx[k].tensor)) {
            hts[k] = contig_as(idx[k].tensor, idx[k].tensor->dtype, device_cpu());
            hidx[k].tensor = hts[k];
            ok = hts[k] != NULL;
        }
    }
    Tensor *all = ok ? all_positions(self) : NULL, *sel = NULL;
    NO_GRAD(sel = all ? op_index(all, hidx, n) : NULL);
    tensor_release(all);
    for (int k = 0; k < n && k < TSR_MAX_DIMS; k++) tensor_release(hts[k]);
    Tensor *pos = positions_steal(sel);
    if (!pos) return NULL;
    /* value broadcasts to the indexed shape (leading 1-dims dropped) */
    int drop = 0;
    while (values->ndim - drop > pos->ndim && values->shape[drop] == 1) drop++;
    int64_t bs[TSR_MAX_DIMS];
    int nb = values->ndim - drop <= pos->ndim
                 ? broadcast_shapes(values->ndim - drop, values->shape + drop, pos->ndim, pos->shape, bs)
                 : -2;
    if (nb == -1) tsr_err_clear();
    if (nb != pos->ndim || memcmp(bs, pos->shape, sizeof(int64_t) * (size_t)nb)) {
        char b1[256], b2[256];
        op_shape_text(b1, sizeof b1, values->ndim, values->shape);
        op_shape_text(b2, sizeof b2, pos->ndim, pos->shape);
        tsr_raise(ERR_RuntimeError,
                  "shape mismatch: value tensor of shape %s cannot be broadcast to indexing result of shape %s", b1,
                  b2);
        tensor_release(pos);
        return NULL;
    }
    Tensor *v = NULL, *src = NULL;
    NO_GRAD(v = op_reshape(values, values->ndim - drop, values->shape + drop));
    Tensor *exp = v ? op_expanded_copy(v, pos->ndim, pos->shape) : NULL;
    src = exp ? contig_as(exp, self->dtype, self->storage->device) : NULL;
    tensor_release(exp);
    tensor_release(v);
    ScatterPosCtx ctx = {.add = accumulate, .alpha = 1.0};
    Tensor *out = src ? write_positions(self, pos, src, NULL, accumulate, NODE_IndexPutBackward0, values, &ctx) : NULL;
    tensor_release(src);
    tensor_release(pos);
    return out;
}

/* masked_scatter: inplace broadcasts mask to self (out of place, both). */
static Tensor *masked_scatter_impl(Tensor *self, Tensor *mask, Tensor *source, bool inplace) {
    if (mask->dtype != DT_BOOL && mask->dtype != DT_UINT8) {
        tsr_raise(ERR_RuntimeError, "masked_scatter_ only supports boolean masks, but got mask with dtype %s",
                  dtype_scalar_name(mask->dtype));
        return NULL;
    }
    if (self->dtype != source->dtype) {
        tsr_raise(ERR_RuntimeError, "masked_scatter: expected self and source to have same dtypes but got%s and %s",
                  dtype_scalar_name(self->dtype), dtype_scalar_name(source->dtype));
        return NULL;
    }
    if (inplace) { /* the mask expands to self (expand's error) */
        Tensor *me = NULL;
        NO_GRAD(me = op_expand(mask, self->ndim, self->shape));
        if (!me) return NULL;
        tensor_release(me);
    }
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(mask->ndim, mask->shape, self->ndim, self->shape, shape);
    if (nd < 0) return NULL;
    /* broadcast self: the node's self edge is the expansion (ExpandBackward0) */
    bool same = nd == self->ndim && !memcmp(shape, self->shape, sizeof(int64_t) * (size_t)nd);
    Tensor *base = same ? tensor_retain(self) : op_expand(self, nd, shape);
    if (!base) return NULL;
    Tensor *all = all_positions(base), *m = NULL, *sel = NULL;
    Tensor *mb = mask->dtype == DT_BOOL ? tensor_retain(mask) : tensor_clone(mask, DT_BOOL);
    Tensor *mc = mb ? contig_as(mb, DT_BOOL, device_cpu()) : NULL;
    tensor_release(mb);
    m = mc;
    NO_GRAD(sel = all && m ? op_masked_select(all, m) : NULL);
    tensor_release(all);
    tensor_release(m);
    Tensor *pos = positions_steal(sel);
    Tensor *out = NULL;
    if (pos && tensor_numel(pos) > tensor_numel(source)) {
        tsr_raise(ERR_RuntimeError, "%s", "Number of elements of source < number of ones in mask");
    } else if (pos) {
        int64_t np = tensor_numel(pos), m1 = -1;
        Tensor *flat = NULL, *head = NULL;
        NO_GRAD(flat = op_reshape(source, 1, &m1));
        NO_GRAD(head = flat ? op_slice(flat, 0, 0, np, 1) : NULL);
        ScatterPosCtx ctx = {.pad = true, .alpha = 1.0};
        /* the node's self is self itself (expand is part of the op) */
        out = head ? write_positions(base, pos, head, NULL, false, NODE_MaskedScatterBackward0, source, &ctx) : NULL;
        tensor_release(flat);
        tensor_release(head);
    }
    tensor_release(pos);
    tensor_release(base);
    return out;
}

Tensor *op_masked_scatter(Tensor *self, Tensor *mask, Tensor *source) {
    return masked_scatter_impl(self, mask, source, false);
}

/* ---- select_scatter, slice_scatter, diagonal_scatter, as_strided_scatter ---- */

/* The shared tail: sel are the positions of the view of self; src must
 * have its shape. */
static Tensor *view_scatter(Tensor *self, Tensor *sel, Tensor *src, GradNodeKind kind) {
    Tensor *pos = positions_steal(sel);
    if (!pos) return NULL;
    if (pos->ndim != src->ndim || memcmp(pos->shape, src->shape, sizeof(int64_t) * (size_t)src->ndim)) {
        char b1[256], b2[256];
        op_shape_text(b1, sizeof b1, src->ndim, src->shape);
        op_shape_text(b2, sizeof b2, pos->ndim, pos->shape);
        tsr_raise(ERR_RuntimeError,
                  "expected src to have a size equal to the slice of self. src size = %s, slice size = %s", b1, b2);
        tensor_release(pos);
        return NULL;
    }
    Tensor *s = contig_as(src, self->dtype, self->storage->device);
    Tensor *out = s ? write_positions(self, pos, s, NULL, false, kind, src, &copy_ctx) : NULL;
    tensor_release(s);
    tensor_release(pos);
    return out;
}

Tensor *op_select_scatter(Tensor *self, Tensor *src, int64_t dim, int64_t index) {
    Tensor *all = all_positions(self), *sel = NULL;
    if (!all) return NULL;
    NO_GRAD(sel = op_select(all, dim, index));
    tensor_release(all);
    return view_scatter(self, sel, src, NODE_SelectScatterBackward0);
}

Tensor *op_slice_scatter(Tensor *self, Tensor *src, int64_t dim, int64_t start, int64_t end, int64_t step) {
    if (step <= 0) {
        tsr_raise(ERR_RuntimeError, "%s", "slice step must be positive");
        return NULL;
    }
    Tensor *all = all_positions(self), *sel = NULL;
    if (!all) return NULL;
    NO_GRAD(sel = op_slice(all, dim, start, end, step));
    tensor_release(all);
    return view_scatter(self, sel, src, NODE_SliceScatterBackward0);
}

Tensor *op_diagonal_scatter(Tensor *self, Tensor *src, int64_t offset, int64_t dim1, int64_t dim2) {
    Tensor *all = all_positions(self), *sel = NULL;
    if (!all) return NULL;
    NO_GRAD(sel = op_diagonal(all, offset, dim1, dim2));
    tensor_release(all);
    return view_scatter(self, sel, src, NODE_DiagonalScatterBackward0);
}

/* self.clone() with the (checked) geometry's view of it replaced by src */
Tensor *op_geometry_scatter(Tensor *self, Tensor *src, int n, const int64_t *size, const int64_t *stride,
                            int64_t offset) {
    Tensor *all = all_positions(self);
    Tensor *sel = all ? tensor_as_strided(all, n, size, stride, offset) : NULL;
    tensor_release(all);
    return sel ? view_scatter(self, sel, src, NODE_AsStridedScatterBackward0) : NULL;
}

/* ---- in-place forms: the out-of-place op on a stand-in, written back ---- */

/* The stand-in for self (NULL: an error), checked as PyTorch checks an
 * in-place op whose other differentiable input is other. */
static Tensor *standin(Tensor *self, Tensor *other) {
    bool rg = ag_requires_grad(self) || (other && ag_requires_grad(other));
    if (!ag_check_inplace(self, rg)) return NULL;
    Tensor *ins[2] = {self, other};
    return op_inplace_standin(self, ag_any_requires_grad(ins, other ? 2 : 1));
}

/* r (stolen) written into self; s (the stand-in) released */
static Tensor *commit(Tensor *self, Tensor *s, Tensor *r) {
    tensor_release(s);
    return op_inplace_commit(self, r);
}

Tensor *op_index_add_(Tensor *self, int64_t dim, Tensor *index, Tensor *source, double alpha) {
    Tensor *s = standin(self, source);
    return s ? commit(self, s, op_index_add(s, dim, index, source, alpha)) : NULL;
}

Tensor *op_index_copy_(Tensor *self, int64_t dim, Tensor *index, Tensor *source) {
    Tensor *s = standin(self, source);
    return s ? commit(self, s, op_index_copy(s, dim, index, source)) : NULL;
}

Tensor *op_index_fill_(Tensor *self, int64_t dim, Tensor *index, Tensor *value) {
    Tensor *s = standin(self, value);
    return s ? commit(self, s, op_index_fill(s, dim, index, value)) : NULL;
}

Tensor *op_put_(Tensor *self, Tensor *index, Tensor *source, bool accumulate) {
    Tensor *s = standin(self, source);
    return s ? commit(self, s, op_put(s, index, source, accumulate)) : NULL;
}

Tensor *op_index_put_values_(Tensor *self, const TensorIndex *idx, int n, Tensor *values, bool accumulate) {
    Tensor *s = standin(self, values);
    return s ? commit(self, s, op_index_put(s, idx, n, values, accumulate)) : NULL;
}

Tensor *op_masked_scatter_(Tensor *self, Tensor *mask, Tensor *source) {
    Tensor *s = standin(self, source);
    return s ? commit(self, s, masked_scatter_impl(s, mask, source, true)) : NULL;
}

/* ---- take_along_dim ---- */

Tensor *op_take_along_dim(Tensor *self, Tensor *indices, bool has_dim, int64_t dim) {
    if (indices->dtype != DT_INT64) {
        tsr_raise(ERR_RuntimeError, "torch.take_along_dim(): dtype of indices should be Long but got %s",
                  dtype_scalar_name(indices->dtype));
        return NULL;
    }
    int64_t m1 = -1;
    if (!has_dim) {
        Tensor *f = op_reshape(self, 1, &m1), *fi = f ? op_reshape(indices, 1, &m1) : NULL;
        Tensor *r = fi ? op_gather(f, 0, fi) : NULL;
        tensor_release(f);
        tensor_release(fi);
        return r;
    }
    if (self->ndim != indices->ndim) {
        tsr_raise(ERR_RuntimeError,
                  "torch.take_along_dim(): input and indices should have the same number of dimensions, but got %d "
                  "dimensions for input, and %d dimensions for indices",
                  self->ndim, indices->ndim);
        return NULL;
    }
    int d = wrap_dim(dim, self->ndim);
    if (d < 0) return NULL;
    /* broadcast every dim but d */
    int64_t a[TSR_MAX_DIMS], b[TSR_MAX_DIMS], bs[TSR_MAX_DIMS];
    memcpy(a, self->shape, sizeof(int64_t) * (size_t)self->ndim);
    memcpy(b, indices->shape, sizeof(int64_t) * (size_t)indices->ndim);
    if (self->ndim) a[d] = b[d] = 1;
    int nb = broadcast_shapes(self->ndim, a, indices->ndim, b, bs);
    if (nb < 0) return NULL;
    int64_t sa[TSR_MAX_DIMS], sb[TSR_MAX_DIMS];
    memcpy(sa, bs, sizeof sa);
    memcpy(sb, bs, sizeof sb);
    if (nb) {
        sa[d] = self->shape[d];
        sb[d] = indices->shape[d];
    }
    Tensor *x = op_expand(self, nb, sa), *ix = x ? op_expand(indices, nb, sb) : NULL;
    Tensor *r = ix ? op_gather(x, d, ix) : NULL;
    tensor_release(x);
    tensor_release(ix);
    return r;
}
