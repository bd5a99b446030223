/* pdist.c: torch.pdist / F.pdist (at::pdist's checks, then
 * _pdist_forward on a contiguous host copy; the loops are
 * kernels/cpu/pdist.c). PdistBackward0 saves {self, result} with p as
 * its ctx; _pdist_backward records PdistBackwardBackward0, whose own
 * derivative PyTorch 1.13 does not implement. */
#include <math.h>
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"
#include "pdist.h"

Tensor *op_pdist(Tensor *x, double p) {
    if (x->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "pdist only supports 2D tensors, got: %dD", x->ndim);
        return NULL;
    }
    if (!dtype_is_float(x->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "pdist only supports floating-point dtypes");
        return NULL;
    }
    if (!(p >= 0)) {
        tsr_raise(ERR_RuntimeError, "%s", "pdist only supports non-negative p values");
        return NULL;
    }
    int64_t n = x->shape[0], m = x->shape[1], pairs = n > 1 ? n * (n - 1) / 2 : 0;
    Tensor *out = NULL;
    if (pairs > 0 && m > 0) {
        if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64) {
            op_raise_not_implemented("pdist", x->dtype);
            return NULL;
        }
        Tensor *h = op_host_contiguous(x);
        out = h ? tensor_empty(x->dtype, 1, &pairs, device_cpu()) : NULL;
        if (out) kernel_pdist(x->dtype, tensor_data(h), n, m, p, tensor_data(out));
        tensor_release(h);
        out = op_host_result_to_steal(out, x->storage->device);
    } else {
        out = tensor_zeros(x->dtype, 1, &pairs, x->storage->device); /* m == 0: every distance is 0 */
    }
    Tensor *saves[2] = {x, out};
    return ag_record_steal(out, NODE_PdistBackward0, &x, 1, saves, 2, &p, sizeof p);
}

Tensor *op_pdist_backward(Tensor *grad, Tensor *x, double p, Tensor *dist) {
    int64_t n = x->shape[0], m = x->shape[1];
    Tensor *gin = NULL;
    if (n > 1 && m > 0) {
        Tensor *hg = op_host_contiguous(grad), *hx = hg ? op_host_contiguous(x) : NULL;
        Tensor *hd = hx ? op_host_contiguous(dist) : NULL;
        gin = hd ? tensor_empty(x->dtype, 2, x->shape, device_cpu()) : NULL;
        if (gin) kernel_pdist_backward(x->dtype, tensor_data(hg), tensor_data(hx), n, m, p, tensor_data(hd),
                                       tensor_data(gin));
        tensor_release(hg);
        tensor_release(hx);
        tensor_release(hd);
        gin = op_host_result_to_steal(gin, x->storage->device);
    } else {
        gin = tensor_zeros(x->dtype, 2, x->shape, x->storage->device);
    }
    Tensor *ins[3] = {grad, x, dist};
    return ag_record_steal(gin, NODE_PdistBackwardBackward0, ins, 3, NULL, 0, NULL, 0);
}

/* ---- cdist ----
 * at::cdist: p = 2 with compute_mode 1, or with mode 0 (None) and more
 * than 25 rows on either side, runs cdist_impl's matmul formula
 * (_euclidean_dist, EuclideanDistBackward0 saving {x1, x2, result}, over
 * the inputs expanded to the common batch, contiguous and viewed as 3-D
 * when the batch is not 1, then viewed back: ViewBackward0); every other
 * case, and any empty input, is _cdist_forward (CdistBackward0 saving
 * {x1, x2, result}, ctx p), the loops of kernels/cpu/pdist.c on a host
 * copy. */

enum { CDIST_MM_DEFAULT = 0, CDIST_MM = 1, CDIST_NO_MM = 2 };

/* the batch both inputs broadcast to (ndim, or -1 with PyTorch's error) */
static int cdist_batch(const Tensor *x1, const Tensor *x2, int64_t *batch, int64_t *prod) {
    int nb = broadcast_shapes(x1->ndim - 2, x1->shape, x2->ndim - 2, x2->shape, batch);
    *prod = 1;
    for (int d = 0; d < nb; d++) *prod *= batch[d];
    return nb;
}

/* x expanded to batch + its last two sizes (ExpandBackward0), made
 * contiguous (CloneBackward0 where it is not) and viewed as (prod, r, c) */
static Tensor *cdist_expand_3d(Tensor *x, int nb, const int64_t *batch, int64_t prod) {
    int64_t sz[TSR_MAX_DIMS + 2];
    memcpy(sz, batch, sizeof(int64_t) * (size_t)nb);
    sz[nb] = x->shape[x->ndim - 2];
    sz[nb + 1] = x->shape[x->ndim - 1];
    if (nb + 2 > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, nb + 2);
        return NULL;
    }
    Tensor *e = op_expand(x, nb + 2, sz);
    Tensor *c = e ? op_contiguous(e) : NULL;
    int64_t v3[3] = {prod, sz[nb], sz[nb + 1]};
    Tensor *v = c ? op_view(c, 3, v3) : NULL;
    tensor_release(e);
    tensor_release(c);
    return v;
}

static bool cdist_same_dtype(const Tensor *x1, const Tensor *x2) {
    if (x1->dtype == x2->dtype) return true;
    tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", dtype_scalar_name(x1->dtype),
              dtype_scalar_name(x2->dtype));
    return false;
}

/* _euclidean_dist(x1, x2): cat([-2 x1, |x1|^2, 1]) @ cat([x2, 1, |x2|^2]).mT,
 * clamped at 0, square-rooted (EuclideanDistBackward0) */
static Tensor *euclidean_dist(Tensor *x1, Tensor *x2) {
    Tensor *out = NULL;
    NO_GRAD({
        int64_t last = -1;
        Tensor *sq1 = op_scalar_binary(BIN_POW, x1, 2.0, false);
        Tensor *n1 = sq1 ? op_sum(sq1, 1, &last, true, DT_UNDEFINED) : NULL;
        Tensor *sq2 = n1 ? op_scalar_binary(BIN_POW, x2, 2.0, false) : NULL;
        Tensor *n2 = sq2 ? op_sum(sq2, 1, &last, true, DT_UNDEFINED) : NULL;
        Tensor *one1 = n2 ? tensor_full_f64(n1->dtype, n1->ndim, n1->shape, 1.0, n1->storage->device) : NULL;
        Tensor *one2 = one1 ? tensor_full_f64(n2->dtype, n2->ndim, n2->shape, 1.0, n2->storage->device) : NULL;
        Tensor *m1 = one2 ? op_scalar_binary(BIN_MUL, x1, -2.0, false) : NULL;
        Tensor *p1[3] = {m1, n1, one1}, *p2[3] = {x2, one2, n2};
        Tensor *a = m1 ? op_cat(p1, 3, -1) : NULL;
        Tensor *b = a ? op_cat(p2, 3, -1) : NULL;
        Tensor *bt = b ? op_transpose(b, -2, -1) : NULL;
        Tensor *r = bt ? op_matmul(a, bt) : NULL;
        Tensor *zero = r ? tensor_wrapped_int(0) : NULL;
        Tensor *c = zero ? op_clamp_bound_(r, zero, false) : NULL;
        out = c ? op_unary_(UN_SQRT, c) : NULL;
        Tensor *tmp[] = {sq1, n1, sq2, n2, one1, one2, m1, a, b, bt, r, zero, c};
        for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
    });
    if (!out) return NULL;
    Tensor *ins[2] = {x1, x2}, *saves[3] = {x1, x2, out};
    return ag_record_steal(out, NODE_EuclideanDistBackward0, ins, 2, saves, 3, NULL, 0);
}

/* cdist_impl's checks: floating inputs, p >= 0 */
static bool cdist_impl_checks(const Tensor *x1, const Tensor *x2, double p) {
    if (!dtype_is_float(x1->dtype) || !dtype_is_float(x2->dtype)) {
        const Tensor *bad = dtype_is_float(x1->dtype) ? x2 : x1;
        tsr_raise(ERR_RuntimeError, "cdist only supports floating-point dtypes, %s got: %s", bad == x1 ? "X1" : "X2",
                  dtype_scalar_name(bad->dtype));
        return false;
    }
    if (!(p >= 0)) {
        tsr_raise(ERR_RuntimeError, "%s", "cdist only supports non-negative p values");
        return false;
    }
    return true;
}

static Tensor *cdist_mm(Tensor *x1, Tensor *x2) {
    int64_t batch[TSR_MAX_DIMS], prod;
    int nb = cdist_batch(x1, x2, batch, &prod);
    if (nb < 0) return NULL;
    int64_t r1 = x1->shape[x1->ndim - 2], r2 = x2->shape[x2->ndim - 2], oshape[TSR_MAX_DIMS + 2];
    memcpy(oshape, batch, sizeof(int64_t) * (size_t)nb);
    oshape[nb] = r1;
    oshape[nb + 1] = r2;
    if (!cdist_same_dtype(x1, x2)) return NULL;
    Tensor *d;
    if (prod == 1) {
        d = euclidean_dist(x1, x2);
    } else {
        Tensor *e1 = cdist_expand_3d(x1, nb, batch, prod);
        Tensor *e2 = e1 ? cdist_expand_3d(x2, nb, batch, prod) : NULL;
        d = e2 ? euclidean_dist(e1, e2) : NULL;
        tensor_release(e1);
        tensor_release(e2);
    }
    Tensor *r = d ? op_view(d, nb + 2, oshape) : NULL;
    tensor_release(d);
    return r;
}

/* _cdist_forward */
static Tensor *cdist_forward(Tensor *x1, Tensor *x2, double p) {
    if (!cdist_impl_checks(x1, x2, p)) return NULL;
    int64_t batch[TSR_MAX_DIMS], prod;
    int nb = cdist_batch(x1, x2, batch, &prod);
    if (nb < 0) return NULL;
    if (nb + 2 > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions, got %d", TSR_MAX_DIMS, nb + 2);
        return NULL;
    }
    int64_t r1 = x1->shape[x1->ndim - 2], r2 = x2->shape[x2->ndim - 2], m = x1->shape[x1->ndim - 1];
    int64_t oshape[TSR_MAX_DIMS];
    memcpy(oshape, batch, sizeof(int64_t) * (size_t)nb);
    oshape[nb] = r1;
    oshape[nb + 1] = r2;
    Device dev = x1->storage->device;
    Tensor *out = NULL;
    if (r1 == 0 || r2 == 0 || prod == 0) {
        out = tensor_empty(x1->dtype, nb + 2, oshape, dev);
    } else if (m == 0) {
        out = tensor_zeros(x1->dtype, nb + 2, oshape, dev);
    } else {
        if (x1->dtype != DT_FLOAT32 && x1->dtype != DT_FLOAT64) {
            op_raise_not_implemented("cdist", x1->dtype);
            return NULL;
        }
        if (!cdist_same_dtype(x1, x2)) return NULL;
        Tensor *e1 = NULL, *e2 = NULL;
        NO_GRAD(e1 = cdist_expand_3d(x1, nb, batch, prod); e2 = e1 ? cdist_expand_3d(x2, nb, batch, prod) : NULL);
        Tensor *h1 = e2 ? op_host_contiguous(e1) : NULL, *h2 = h1 ? op_host_contiguous(e2) : NULL;
        out = h2 ? tensor_empty(x1->dtype, nb + 2, oshape, device_cpu()) : NULL;
        if (out) kernel_cdist(x1->dtype, tensor_data(h1), tensor_data(h2), prod, r1, r2, m, p, tensor_data(out));
        tensor_release(e1);
        tensor_release(e2);
        tensor_release(h1);
        tensor_release(h2);
        out = op_host_result_to_steal(out, dev);
    }
    Tensor *ins[2] = {x1, x2}, *saves[3] = {x1, x2, out};
    return ag_record_steal(out, NODE_CdistBackward0, ins, 2, saves, 3, &p, sizeof p);
}

Tensor *op_cdist(Tensor *x1, Tensor *x2, double p, int mode) {
    if (x1->ndim < 2 || x2->ndim < 2) {
        bool first = x1->ndim < 2;
        tsr_raise(ERR_RuntimeError, "cdist only supports at least 2D tensors, %s got: %dD", first ? "X1" : "X2",
                  first ? x1->ndim : x2->ndim);
        return NULL;
    }
    if (x1->shape[x1->ndim - 1] != x2->shape[x2->ndim - 1]) {
        tsr_raise(ERR_RuntimeError, "X1 and X2 must have the same number of columns. X1: %lld X2: %lld",
                  (long long)x1->shape[x1->ndim - 1], (long long)x2->shape[x2->ndim - 1]);
        return NULL;
    }
    if (mode < 0 || mode > 2) {
        tsr_raise(ERR_RuntimeError, "possible modes: 0, 1, 2, but was: %d", mode);
        return NULL;
    }
    int64_t r1 = x1->shape[x1->ndim - 2], r2 = x2->shape[x2->ndim - 2];
    bool mm = p == 2 && (mode == CDIST_MM || (mode == CDIST_MM_DEFAULT && (r1 > 25 || r2 > 25)));
    if (tensor_numel(x1) == 0 || tensor_numel(x2) == 0 || !mm) return cdist_forward(x1, x2, p);
    /* cdist_impl with autograd through its parts: its empty results
     * cannot occur here (both inputs have elements) */
    if (!cdist_impl_checks(x1, x2, p)) return NULL;
    return cdist_mm(x1, x2);
}

/* _cdist_backward(grad, x1, x2, p, dist): x1's gradient over the common
 * batch (the engine sums it back to x1's shape); CdistBackwardBackward0 */
Tensor *op_cdist_backward(Tensor *grad, Tensor *x1, Tensor *x2, double p, Tensor *dist) {
    int64_t batch[TSR_MAX_DIMS], prod;
    int nb = cdist_batch(x1, x2, batch, &prod);
    if (nb < 0) return NULL;
    int64_t r1 = x1->shape[x1->ndim - 2], r2 = x2->shape[x2->ndim - 2], m = x1->shape[x1->ndim - 1];
    Tensor *gin = NULL;
    if (r1 == 0 || r2 == 0 || m == 0 || prod == 0) {
        gin = tensor_zeros(x1->dtype, x1->ndim, x1->shape, x1->storage->device);
    } else {
        int64_t gshape[TSR_MAX_DIMS];
        memcpy(gshape, batch, sizeof(int64_t) * (size_t)nb);
        gshape[nb] = r1;
        gshape[nb + 1] = m;
        Tensor *e1 = NULL, *e2 = NULL;
        NO_GRAD(e1 = cdist_expand_3d(x1, nb, batch, prod); e2 = e1 ? cdist_expand_3d(x2, nb, batch, prod) : NULL);
        Tensor *h1 = e2 ? op_host_contiguous(e1) : NULL, *h2 = h1 ? op_host_contiguous(e2) : NULL;
        Tensor *hg = h2 ? op_host_contiguous(grad) : NULL, *hd = hg ? op_host_contiguous(dist) : NULL;
        gin = hd ? tensor_empty(x1->dtype, nb + 2, gshape, device_cpu()) : NULL;
        if (gin)
            kernel_cdist_backward(x1->dtype, tensor_data(hg), tensor_data(h1), tensor_data(h2), prod, r1, r2, m, p,
                                  tensor_data(hd), tensor_data(gin));
        Tensor *tmp[] = {e1, e2, h1, h2, hg, hd};
        for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
        gin = op_host_result_to_steal(gin, x1->storage->device);
    }
    Tensor *ins[4] = {grad, x1, x2, dist};
    return ag_record_steal(gin, NODE_CdistBackwardBackward0, ins, 4, NULL, 0, NULL, 0);
}
