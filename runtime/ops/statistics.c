/* statistics.c: msort, trapezoid, cumulative_trapezoid (ATen's
 * Integration.cpp), cov and corrcoef (Correlation.cpp): compositions of
 * exactly the ops ATen runs, so values and graphs (their nodes) are
 * PyTorch's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "elementwise_iter.h"
#include "error.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"

/* ---- msort: sort(dim=0).values ---- */

Tensor *op_msort(Tensor *a) {
    Tensor *v = NULL, *i = NULL;
    if (!op_sort(a, 0, false, false, &v, &i)) return NULL;
    tensor_release(i);
    return v;
}

/* ---- trapezoid, cumulative_trapezoid ---- */

static Tensor *slice_dim(Tensor *t, int64_t dim, int64_t start, int64_t end) {
    return op_slice(t, dim, start, end, 1);
}

/* y.slice(dim, 1, n) + y.slice(dim, 0, -1) */
static Tensor *pair_sum(Tensor *y, int64_t dim) {
    int64_t n = y->shape[dim];
    Tensor *r = slice_dim(y, dim, 1, n), *l = r ? slice_dim(y, dim, 0, n - 1) : NULL;
    Tensor *s = l ? op_binary(BIN_ADD, r, l) : NULL;
    tensor_release(r);
    tensor_release(l);
    return s;
}

/* zeros_like_except(y, dim) */
static Tensor *zeros_except(Tensor *y, int64_t dim) {
    int64_t sh[TSR_MAX_DIMS];
    int n = 0;
    for (int d = 0; d < y->ndim; d++)
        if (d != dim) sh[n++] = y->shape[d];
    return tensor_zeros(y->dtype, n, sh, y->storage->device);
}

/* dx = x.slice(dim, 1) - x.slice(dim, 0, -1), x viewed against y */
static Tensor *x_steps(const char *fn, Tensor *y, Tensor *x, int64_t dim) {
    Tensor *xv = NULL;
    int64_t sh[TSR_MAX_DIMS];
    if (x->ndim == 1) {
        if (x->shape[0] != y->shape[dim]) {
            tsr_raise(ERR_RuntimeError, "%s: There must be one `x` value for each sample point", fn);
            return NULL;
        }
        for (int d = 0; d < y->ndim; d++) sh[d] = d == dim ? x->shape[0] : 1;
        xv = op_view(x, y->ndim, sh);
    } else if (x->ndim < y->ndim) {
        int pad = y->ndim - x->ndim;
        for (int d = 0; d < y->ndim; d++) sh[d] = d < pad ? 1 : x->shape[d - pad];
        xv = op_view(x, y->ndim, sh);
    } else {
        xv = tensor_retain(x);
    }
    if (!xv) return NULL;
    if (dim >= xv->ndim) {
        tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [%d, %d], but got %lld)",
                  -xv->ndim, xv->ndim - 1, (long long)dim);
        tensor_release(xv);
        return NULL;
    }
    int64_t n = xv->shape[dim];
    Tensor *r = slice_dim(xv, dim, 1, n > 0 ? n : 0), *l = r ? slice_dim(xv, dim, 0, n - 1) : NULL;
    Tensor *dx = l ? op_binary(BIN_SUB, r, l) : NULL;
    tensor_release(r);
    tensor_release(l);
    tensor_release(xv);
    return dx;
}

static bool check_not_bool(const char *fn, Tensor *y, Tensor *x) {
    if (y->dtype == DT_BOOL || (x && x->dtype == DT_BOOL)) {
        tsr_raise(ERR_RuntimeError, "%s: received a bool input for `%s`, but bool is not supported", fn,
                  y->dtype == DT_BOOL ? "y" : "x");
        return false;
    }
    return true;
}

Tensor *op_trapezoid(Tensor *y, Tensor *x, double dx, int64_t dim, bool cumulative) {
    const char *fn = cumulative ? "cumulative_trapezoid" : "trapezoid";
    int wd = wrap_dim(dim, y->ndim);
    if (wd < 0) return NULL;
    dim = wd;
    if (y->shape[dim] == 0) {
        if (!cumulative) return zeros_except(y, dim);
    }
    if (!check_not_bool(fn, y, x)) return NULL;
    Tensor *t[6] = {0}, *r = NULL;
    if (x) {
        /* (dx * (y[1:] + y[:-1])).sum(dim) / 2. (cumsum for cumulative) */
        if ((t[0] = x_steps(fn, y, x, dim)) && (t[1] = pair_sum(y, dim)) && (t[2] = op_binary(BIN_MUL, t[0], t[1])) &&
            (t[3] = cumulative ? op_cumsum(t[2], dim, DT_UNDEFINED) : op_sum(t[2], 1, &dim, false, DT_UNDEFINED)))
            r = op_scalar_binary(BIN_DIV, t[3], 2., false);
    } else if (cumulative) {
        /* (dx / 2. * (y[1:] + y[:-1])).cumsum(dim) */
        if ((t[0] = pair_sum(y, dim)) && (t[1] = op_scalar_binary(BIN_MUL, t[0], dx / 2., false)))
            r = op_cumsum(t[1], dim, DT_UNDEFINED);
    } else {
        /* (y.sum(dim) - (y.select(dim, 0) + y.select(dim, -1)) * 0.5) * dx */
        if ((t[0] = op_sum(y, 1, &dim, false, DT_UNDEFINED)) && (t[1] = op_select(y, dim, 0)) &&
            (t[2] = op_select(y, dim, -1)) && (t[3] = op_binary(BIN_ADD, t[1], t[2])) &&
            (t[4] = op_scalar_binary(BIN_MUL, t[3], 0.5, false)) && (t[5] = op_binary(BIN_SUB, t[0], t[4])))
            r = op_scalar_binary(BIN_MUL, t[5], dx, false);
    }
    op_release_all(t, 6);
    return r;
}

/* ---- cov, corrcoef ---- */

static bool check_weights(Tensor *w, const char *name, int64_t nobs, bool integral) {
    if (w->ndim > 1) {
        tsr_raise(ERR_RuntimeError, "cov(): expected %s to have one or fewer dimensions but got %s with %d dimensions",
                  name, name, w->ndim);
        return false;
    }
    if (integral ? !dtype_is_int(w->dtype) : !dtype_is_float(w->dtype)) {
        tsr_raise(ERR_RuntimeError, "cov(): expected %s to have %s dtype but got %s with %s dtype", name,
                  integral ? "integral" : "floating point", name, dtype_scalar_name(w->dtype));
        return false;
    }
    if (tensor_numel(w) != nobs) {
        tsr_raise(ERR_RuntimeError,
                  "cov(): expected %s to have the same numel as there are observations in the input but got %lld != "
                  "%lld",
                  name, (long long)tensor_numel(w), (long long)nobs);
        return false;
    }
    if (nobs > 0) {
        Tensor *m = op_min_all(w);
        bool neg = m && tensor_get_f64(m, 0) < 0;
        tensor_release(m);
        if (!m) return false;
        if (neg) {
            tsr_raise(ERR_RuntimeError, "cov(): %s cannot be negative", name);
            return false;
        }
    }
    return true;
}

Tensor *op_cov(Tensor *self, int64_t correction, Tensor *fweights, Tensor *aweights) {
    if (self->ndim > 2) {
        tsr_raise(ERR_RuntimeError,
                  "cov(): expected input to have two or fewer dimensions but got an input with %d dimensions",
                  self->ndim);
        return NULL;
    }
    if (self->dtype == DT_BOOL) {
        tsr_raise(ERR_RuntimeError, "%s", "cov(): bool dtype is not supported for input");
        return NULL;
    }
    enum { IN, W, WSUM, WIN, AVGSUM, AVG, NF, T1, T2, AVGU, CEN, CW, CWT, C, NSCR };
    Tensor *t[NSCR] = {0}, *r = NULL;
    int64_t flat[2] = {1, -1}, obs = 1;
    t[IN] = self->ndim < 2 ? op_view(self, 2, flat) : tensor_retain(self);
    if (!t[IN]) goto done;
    int64_t nobs = t[IN]->shape[1];
    if (fweights) {
        if (!check_weights(fweights, "fweights", nobs, true)) goto done;
        t[W] = tensor_retain(fweights);
    }
    if (aweights) {
        if (!check_weights(aweights, "aweights", nobs, false)) goto done;
        Tensor *w = t[W] ? op_binary(BIN_MUL, t[W], aweights) : tensor_retain(aweights);
        tensor_release(t[W]);
        if (!(t[W] = w)) goto done;
    }
    t[WSUM] = t[W] ? op_sum(t[W], 0, NULL, false, DT_UNDEFINED) : tensor_scalar_i64(DT_INT64, nobs);
    if (!t[WSUM]) goto done;
    if (t[W] && tensor_get_f64(t[WSUM], 0) == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "cov(): weights sum to zero, can't be normalized");
        goto done;
    }
    t[WIN] = t[W] ? op_binary(BIN_MUL, t[IN], t[W]) : tensor_retain(t[IN]);
    if (!t[WIN] || !(t[AVGSUM] = op_sum(t[WIN], 1, &obs, false, DT_UNDEFINED)) ||
        !(t[AVG] = op_binary(BIN_DIV, t[AVGSUM], t[WSUM])))
        goto done;
    if (t[W] && aweights && correction != 0) {
        /* w_sum - correction * (w * aweights).sum() / w_sum */
        if (!(t[T1] = op_binary(BIN_MUL, t[W], aweights)) || !(t[T2] = op_sum(t[T1], 0, NULL, false, DT_UNDEFINED)))
            goto done;
        Tensor *m = op_scalar_binary(BIN_MUL, t[T2], (double)correction, false);
        Tensor *d = m ? op_binary(BIN_DIV, m, t[WSUM]) : NULL;
        t[NF] = d ? op_binary(BIN_SUB, t[WSUM], d) : NULL;
        tensor_release(m);
        tensor_release(d);
    } else {
        Tensor *c = tensor_wrapped_int(correction);
        t[NF] = c ? op_binary(BIN_SUB, t[WSUM], c) : NULL;
        tensor_release(c);
    }
    if (!t[NF]) goto done;
    if (tensor_get_f64(t[NF], 0) <= 0) { /* degrees of freedom <= 0: PyTorch warns, divides by zero */
        Tensor *z = NULL;
        NO_GRAD(z = op_scalar_binary(BIN_MUL, t[NF], 0, false));
        Tensor *zz = z ? tensor_clone(z, t[NF]->dtype) : NULL;
        tensor_release(z);
        tensor_release(t[NF]);
        if (!(t[NF] = zz)) goto done;
    }
    if (!(t[AVGU] = op_unsqueeze(t[AVG], 1)) || !(t[CEN] = op_binary(BIN_SUB, t[IN], t[AVGU]))) goto done;
    t[CW] = t[W] ? op_binary(BIN_MUL, t[CEN], t[W]) : tensor_retain(t[CEN]);
    if (!t[CW] || !(t[CWT] = op_t(t[CW])) || !(t[C] = op_mm(t[CEN], t[CWT]))) goto done;
    Tensor *q = op_binary(BIN_DIV, t[C], t[NF]);
    r = q ? op_squeeze(q, 0, NULL) : NULL;
    tensor_release(q);
done:
    op_release_all(t, NSCR);
    return r;
}

Tensor *op_corrcoef(Tensor *self) {
    if (self->ndim > 2) {
        tsr_raise(ERR_RuntimeError,
                  "corrcoef(): expected input to have two or fewer dimensions but got an input with %d dimensions",
                  self->ndim);
        return NULL;
    }
    Tensor *c = op_cov(self, 1, NULL, NULL);
    if (!c || c->ndim == 0) {
        Tensor *r = c ? op_binary(BIN_DIV, c, c) : NULL;
        tensor_release(c);
        return r;
    }
    enum { D, SD, COL, ROW, C1, C2, LO, HI, NSCR };
    Tensor *t[NSCR] = {0}, *r = NULL;
    int64_t col[2] = {-1, 1}, row[2] = {1, -1};
    if ((t[D] = op_diag(c, 0)) && (t[SD] = op_unary(UN_SQRT, t[D])) && (t[COL] = op_view(t[SD], 2, col)) &&
        (t[C1] = op_binary(BIN_DIV, c, t[COL])) && (t[ROW] = op_view(t[SD], 2, row)) &&
        (t[C2] = op_binary(BIN_DIV, t[C1], t[ROW])) && (t[LO] = tensor_wrapped_int(-1)) &&
        (t[HI] = tensor_wrapped_int(1)))
        r = op_clamp(t[C2], t[LO], t[HI]);
    op_release_all(t, NSCR);
    tensor_release(c);
    return r;
}

/* ---- quantile, nanquantile (Sorting.cpp's quantile_compute) ---- */

static bool quantile_checks(Tensor *self, Tensor *q) {
    const char *msg = NULL;
    if (tensor_numel(self) == 0) msg = "quantile() input tensor must be non-empty";
    else if (q->ndim > 1) msg = "quantile() q must be a scalar or 1D tensor";
    else if (self->dtype != DT_FLOAT32 && self->dtype != DT_FLOAT64)
        msg = "quantile() input tensor must be either float or double dtype";
    else if (self->dtype != q->dtype) msg = "quantile() q tensor must be same dtype as the input tensor";
    if (msg) tsr_raise(ERR_RuntimeError, "%s", msg);
    return !msg;
}

/* q.ge(0).logical_and_(q.le(1)).all() */
static bool q_in_range(Tensor *q) {
    Tensor *h = op_host_contig(q);
    if (!h) return false;
    bool ok = true;
    for (int64_t i = 0; i < tensor_numel(h); i++) {
        double v = tensor_get_f64(h, i);
        ok &= v >= 0 && v <= 1;
    }
    tensor_release(h);
    if (!ok) tsr_raise(ERR_RuntimeError, "%s", "quantile() q values must be in the range [0, 1]");
    return ok;
}

Tensor *op_quantile(Tensor *self, Tensor *q, bool has_dim, int64_t dim, bool keepdim, QuantileMode mode,
                    bool ignore_nan) {
    if (!quantile_checks(self, q)) return NULL;
    int wd = 0;
    if (has_dim && (wd = wrap_dim(dim, self->ndim)) < 0) return NULL;
    /* the output shape (with q's dim first) and the sorted input's view */
    int64_t out[TSR_MAX_DIMS + 1], in[TSR_MAX_DIMS + 1];
    int no = 0;
    if (has_dim && self->ndim > 0) {
        for (int d = 0; d < self->ndim; d++)
            if (d != wd || keepdim) out[no++] = d == wd ? 1 : self->shape[d];
    } else if (keepdim) {
        for (int d = 0; d < self->ndim; d++) out[no++] = 1;
    }
    if (!q_in_range(q)) return NULL;
    enum { FLAT, SORTED, IDX, VIEW, ISNAN, ANY, QL, SH1, SH2, RANKS, CNT, CNTM1, NEG, ZERO, RB, VB, W, RA, VA, LERP, NSCR };
    Tensor *t[NSCR] = {0}, *r = NULL;
    if (!has_dim) {
        t[FLAT] = op_flatten(self, 0, -1);
    } else {
        Tensor *u = op_unsqueeze(self, -1);
        t[FLAT] = u ? op_transpose(u, wd, -1) : NULL;
        tensor_release(u);
    }
    if (!t[FLAT] || !op_sort(t[FLAT], -1, false, false, &t[SORTED], &t[IDX])) goto done;
    int64_t n = t[SORTED]->shape[t[SORTED]->ndim - 1];
    for (int d = 0; d < no; d++) in[d] = out[d];
    in[no] = n; /* out_shape[1:] + [n] once q's dim is put first */
    if (!(t[VIEW] = op_view(t[SORTED], no + 1, in))) goto done;
    int64_t last = -1;
    if (!(t[ISNAN] = op_unary(UN_ISNAN, t[VIEW]))) goto done;
    if (ignore_nan) {
        /* q * (sorted.isnan().logical_not_().sum(-1, true) - 1), < 0 -> 0 */
        Tensor *notnan = op_unary(UN_LOGICAL_NOT, t[ISNAN]);
        t[CNT] = notnan ? op_sum(notnan, 1, &last, true, DT_UNDEFINED) : NULL;
        tensor_release(notnan);
        if (!t[CNT] || !(t[CNTM1] = op_scalar_binary(BIN_SUB, t[CNT], 1, false)) ||
            !(t[RANKS] = op_binary(BIN_MUL, q, t[CNTM1])) || !(t[ZERO] = tensor_wrapped_int(0)) ||
            !(t[NEG] = op_binary(BIN_LT, t[RANKS], t[ZERO])))
            goto done;
        Tensor *filled = op_masked_fill_(t[RANKS], t[NEG], t[ZERO]);
        if (!filled) goto done;
        tensor_release(filled); /* a new reference to ranks */
    } else {
        /* masked_fill(q * last_index, sorted.isnan().any(-1, true), last_index), broadcast */
        int64_t sh[TSR_MAX_DIMS + 1];
        if (!(t[ANY] = op_any(t[ISNAN], 1, &last, true)) ||
            !(t[QL] = op_scalar_binary(BIN_MUL, q, (double)(n - 1), false)))
            goto done;
        int nd = broadcast_shapes(t[QL]->ndim, t[QL]->shape, t[ANY]->ndim, t[ANY]->shape, sh);
        Tensor *li = tensor_wrapped_int(n - 1);
        if (nd >= 0 && li && (t[SH1] = op_expand(t[QL], nd, sh)) && (t[SH2] = op_expand(t[ANY], nd, sh)))
            t[RANKS] = op_masked_fill(t[SH1], t[SH2], li);
        tensor_release(li);
        if (!t[RANKS]) goto done;
    }
    UnaryOp adjust = mode == QUANTILE_LOWER ? UN_FLOOR : mode == QUANTILE_HIGHER ? UN_CEIL : UN_ROUND;
    if (mode == QUANTILE_LOWER || mode == QUANTILE_HIGHER || mode == QUANTILE_NEAREST) {
        Tensor *a = op_unary(adjust, t[RANKS]);
        tensor_release(t[RANKS]);
        if (!(t[RANKS] = a)) goto done;
    }
    if (!(t[RB] = op_to_dtype(t[RANKS], DT_INT64)) || !(t[VB] = op_gather(t[VIEW], -1, t[RB]))) goto done;
    Tensor *res = t[VB];
    if (mode == QUANTILE_LINEAR || mode == QUANTILE_MIDPOINT) {
        if (mode == QUANTILE_MIDPOINT) {
            t[W] = tensor_full_f64(t[RANKS]->dtype, t[RANKS]->ndim, t[RANKS]->shape, 0.5, t[RANKS]->storage->device);
        } else {
            t[W] = op_binary(BIN_SUB, t[RANKS], t[RB]);
        }
        Tensor *up = t[W] ? op_unary(UN_CEIL, t[RANKS]) : NULL;
        t[RA] = up ? op_to_dtype(up, DT_INT64) : NULL;
        tensor_release(up);
        if (!t[RA] || !(t[VA] = op_gather(t[VIEW], -1, t[RA])) || !(t[LERP] = op_lerp(t[VB], t[VA], t[W]))) goto done;
        res = t[LERP];
    }
    if (q->ndim == 0) {
        r = op_squeeze(res, 1, &last);
    } else {
        Tensor *u = op_unsqueeze(res, 0), *tr = u ? op_transpose(u, 0, -1) : NULL;
        r = tr ? op_squeeze(tr, 1, &last) : NULL;
        tensor_release(u);
        tensor_release(tr);
    }
done:
    op_release_all(t, NSCR);
    return r;
}

/* ---- dist: norm(self - other, p), DistBackward0 {self, other}, saved
 * {self, other, result}, args {p as IEEE bits} ---- */

Tensor *op_dist(Tensor *self, Tensor *other, double p) {
    Tensor *d = NULL, *r = NULL;
    DType dt = ew_result_type2(self, other);
    if (!dtype_is_float(dt)) {
        tsr_raise(ERR_RuntimeError, "norm(): input dtype should be either floating point or complex. Got %s instead.",
                  dtype_scalar_name(dt));
        return NULL;
    }
    NO_GRAD({
        d = op_binary(BIN_SUB, self, other);
        r = d ? op_norm(d, p, false, 0, NULL, false) : NULL;
    });
    if (!r) {
        tensor_release(d);
        return NULL;
    }
    int64_t bits;
    memcpy(&bits, &p, sizeof bits);
    OpCtx ctx = op_ctx(d, 1, &bits);
    tensor_release(d);
    Tensor *in[2] = {self, other};
    return ag_record_steal(r, NODE_DistBackward0, in, 2, (Tensor *[]){self, other, r}, 3, &ctx, sizeof ctx);
}
