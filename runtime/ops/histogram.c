/* histogram.c: counting and searching: bincount (ATen's SummaryOps.cpp),
 * histc and histogram (Histogram.cpp, cpu/HistogramKernel.cpp),
 * searchsorted and bucketize (Bucketization.cpp). None is
 * differentiable. The loops are kernels/cpu/histogram.c's, run on
 * contiguous host copies; a GPU input gets its result back on the GPU. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "histogram.h"
#include "op_errors.h"
#include "operands.h"
#include "ops.h"

/* r (stolen, on the CPU) moved to dev */
static Tensor *to_device(Tensor *r, Device dev) {
    if (!r || dev.type != DEV_CUDA) return r;
    Tensor *c = NULL;
    NO_GRAD(c = op_to(r, r->dtype, dev, false));
    tensor_release(r);
    return c;
}

/* a double as C++'s ostream prints it (%g; NaN with its sign) */
static void fmt_double(char *buf, size_t n, double v) {
    if (isnan(v)) snprintf(buf, n, "%snan", signbit(v) ? "-" : "");
    else snprintf(buf, n, "%g", v);
}

/* ---- bincount ---- */

Tensor *op_bincount(Tensor *self, Tensor *weights, int64_t minlength) {
    if (!dtype_is_int(self->dtype)) {
        op_raise_not_implemented("bincount_cpu", self->dtype);
        return NULL;
    }
    if (minlength < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "minlength should be >= 0");
        return NULL;
    }
    Device dev = self->storage->device;
    if (self->ndim == 1 && self->shape[0] == 0) return to_device(tensor_zeros(DT_INT64, 1, &minlength, device_cpu()), dev);
    Tensor *in = op_host_contig(self), *w = NULL, *out = NULL;
    if (!in) return NULL;
    int64_t n = tensor_numel(in), mx = -1;
    const char *p = tensor_data(in);
    bool neg = false;
    for (int64_t i = 0; i < n; i++) {
        int64_t v = dtype_load_i64(in->dtype, p + i * dtype_size(in->dtype));
        neg |= v < 0;
        if (v > mx) mx = v;
    }
    if (self->ndim != 1 || neg) {
        tsr_raise(ERR_RuntimeError, "%s", "bincount only supports 1-d non-negative integral inputs.");
        goto done;
    }
    if (weights && (weights->ndim != 1 || weights->shape[0] != n)) {
        tsr_raise(ERR_RuntimeError, "%s", "weights should be 1-d and have the same length as input");
        goto done;
    }
    int64_t nbins = mx + 1 > minlength ? mx + 1 : minlength;
    DType wdt = !weights ? DT_INT64 : weights->dtype == DT_FLOAT32 ? DT_FLOAT32 : DT_FLOAT64;
    if (weights) {
        Tensor *h = op_host_contig(weights);
        NO_GRAD(w = h ? op_to_dtype(h, wdt) : NULL);
        tensor_release(h);
        if (!w) goto done;
    }
    out = tensor_zeros(wdt, 1, &nbins, device_cpu());
    if (out) kernel_bincount(in->dtype, n, tensor_data(in), wdt, w ? tensor_data(w) : NULL, tensor_data(out));
    out = to_device(out, dev);
done:
    tensor_release(in);
    tensor_release(w);
    return out;
}

/* ---- histc, histogram ---- */

/* min and max of h's values; NaN in h: both NaN, with the sign bit set
 * (neg_nan) as aminmax's full reduction leaves it, or not as its
 * reduction along a dim does */
static void min_max(Tensor *h, bool neg_nan, double *lo, double *hi) {
    int64_t n = tensor_numel(h);
    const char *p = tensor_data(h);
    size_t es = dtype_size(h->dtype);
    *lo = INFINITY, *hi = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
        double v = dtype_load_f64(h->dtype, p + i * es);
        if (isnan(v)) {
            *lo = *hi = neg_nan ? -NAN : NAN;
            return;
        }
        if (v < *lo) *lo = v;
        if (v > *hi) *hi = v;
    }
}

static bool check_bins(int64_t bins) {
    if (bins > 0) return true;
    tsr_raise(ERR_RuntimeError, "torch.histogram(): bins must be > 0, but got %lld for dimension 0", (long long)bins);
    return false;
}

/* the kernel over contiguous host copies; hist of x's dtype on x's device */
static Tensor *run_histogram(Tensor *x, Tensor *weight, Tensor *edges, HistAlgorithm alg) {
    if (!dtype_is_float(x->dtype)) {
        op_raise_not_implemented("histogram_cpu", x->dtype);
        return NULL;
    }
    Tensor *in = op_host_contig(x), *w = in && weight ? op_host_contig(weight) : NULL;
    Tensor *e = in && (w || !weight) ? op_host_contig(edges) : NULL, *hist = NULL;
    if (e) {
        int64_t nb = tensor_numel(e) - 1;
        hist = tensor_empty(x->dtype, 1, &nb, device_cpu());
        if (hist)
            kernel_histogram(x->dtype, tensor_numel(in), tensor_data(in), w ? tensor_data(w) : NULL, tensor_data(e),
                             nb + 1, alg, tensor_data(hist));
    }
    tensor_release(in);
    tensor_release(w);
    tensor_release(e);
    return to_device(hist, x->storage->device);
}

Tensor *op_histc(Tensor *self, int64_t bins, double min, double max) {
    if (!check_bins(bins)) return NULL;
    double lo = min, hi = max;
    if (lo == hi && tensor_numel(self) > 0) { /* the range from aminmax(self) */
        if (!op_reduced_float_ok(RF_AMINMAX_ALL, self)) return NULL;
        Tensor *h = op_host_contig(self);
        if (!h) return NULL;
        min_max(h, true, &lo, &hi);
        tensor_release(h);
    }
    if (lo == hi) lo -= 1, hi += 1;
    if (isinf(lo) || isinf(hi) || isnan(lo) || isnan(hi)) {
        char a[32], b[32];
        fmt_double(a, sizeof a, lo);
        fmt_double(b, sizeof b, hi);
        tsr_raise(ERR_RuntimeError, "torch.histc: range of [%s, %s] is not finite", a, b);
        return NULL;
    }
    if (!(lo < hi)) {
        tsr_raise(ERR_RuntimeError, "%s", "torch.histc: max must be larger than min");
        return NULL;
    }
    if (!dtype_is_float(self->dtype)) {
        op_raise_not_implemented("histogram_cpu", self->dtype);
        return NULL;
    }
    if (!op_reduced_float_ok(RF_HISTC, self)) return NULL;
    Tensor *edges = op_linspace(lo, hi, bins + 1, self->dtype, device_cpu());
    Tensor *r = edges ? run_histogram(self, NULL, edges, HIST_LINEAR) : NULL;
    tensor_release(edges);
    return r;
}

/* histogramdd_check_inputs for one dimension (x is the (numel, 1) input) */
static bool check_inputs(Tensor *x, Tensor *edges, Tensor *weight) {
    if (x->dtype != edges->dtype) {
        tsr_raise(ERR_RuntimeError,
                  "torch.histogramdd: input tensor and bins tensors should have the same dtype, but got input with "
                  "dtype %s and bins for dimension 0 with dtype %s",
                  dtype_cpp_name(x->dtype), dtype_cpp_name(edges->dtype));
        return false;
    }
    if (edges->ndim != 1) {
        tsr_raise(ERR_RuntimeError,
                  "torch.histogramdd: bins tensor should have one dimension, but got %d dimensions in the bins tensor "
                  "for dimension 0",
                  edges->ndim);
        return false;
    }
    if (tensor_numel(edges) == 0) {
        tsr_raise(ERR_RuntimeError,
                  "torch.histogramdd: bins tensor should have at least 1 element, but got 0 elements in the bins "
                  "tensor for dimension 0");
        return false;
    }
    if (!weight) return true;
    if (weight->dtype != x->dtype) {
        tsr_raise(ERR_RuntimeError,
                  "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the "
                  "same dtype, but got input(%s), and weight(%s)",
                  dtype_cpp_name(x->dtype), dtype_cpp_name(weight->dtype));
        return false;
    }
    if (tensor_numel(weight) != tensor_numel(x)) {
        tsr_raise(ERR_RuntimeError,
                  "torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor "
                  "excluding its innermost dimension, but got input with shape [%lld, 1] and weight with shape [%lld]",
                  (long long)tensor_numel(x), (long long)tensor_numel(weight));
        return false;
    }
    return true;
}

/* hist /= hist.sum(); hist /= bin_edges.diff() */
static Tensor *density_of(Tensor *hist, Tensor *edges) {
    Tensor *sum = NULL, *a = NULL, *d = NULL, *r = NULL;
    NO_GRAD({
        sum = op_sum(hist, 0, NULL, false, DT_UNDEFINED);
        Tensor *sc = sum ? tensor_wrapped_float(tensor_get_f64(sum, 0)) : NULL;
        a = sc ? op_binary(BIN_DIV, hist, sc) : NULL;
        tensor_release(sc);
        d = a ? op_diff(edges, 1, -1, NULL, NULL) : NULL;
        r = d ? op_binary(BIN_DIV, a, d) : NULL;
    });
    tensor_release(sum);
    tensor_release(a);
    tensor_release(d);
    return r;
}

bool op_histogram(Tensor *self, int64_t bins, Tensor *bin_tensor, int nrange, const double *range, Tensor *weight,
                  bool density, Tensor **hist_out, Tensor **edges_out) {
    Tensor *edges = NULL, *hist = NULL;
    HistAlgorithm alg = HIST_BINARY_SEARCH;
    *hist_out = *edges_out = NULL;
    if (bin_tensor) {
        if (!check_inputs(self, bin_tensor, weight) || !check_bins(tensor_numel(bin_tensor) - 1)) return false;
        edges = tensor_clone(bin_tensor, DT_UNDEFINED); /* bin_edges.resize_(bins.sizes()).copy_(bins) */
    } else {
        if (!check_bins(bins)) return false;
        double lo = 0, hi = 1;
        if (range) {
            if (nrange != 2) {
                tsr_raise(ERR_RuntimeError,
                          "torch.histogramdd: for a 1-dimensional histogram range should have 2 elements, but got %d",
                          nrange);
                return false;
            }
            lo = range[0], hi = range[1];
        } else if (tensor_numel(self) > 0) {
            if (self->dtype != DT_FLOAT32 && self->dtype != DT_FLOAT64) {
                op_raise_not_implemented("histogramdd", self->dtype);
                return false;
            }
            Tensor *h = op_host_contig(self);
            if (!h) return false;
            min_max(h, false, &lo, &hi);
            tensor_release(h);
        }
        if (!isfinite(lo) || !isfinite(hi)) {
            char a[32], b[32];
            fmt_double(a, sizeof a, lo);
            fmt_double(b, sizeof b, hi);
            tsr_raise(ERR_RuntimeError, "torch.histogramdd: dimension 0's range [%s, %s] is not finite", a, b);
            return false;
        }
        if (!(lo <= hi)) {
            char a[32], b[32];
            fmt_double(a, sizeof a, lo);
            fmt_double(b, sizeof b, hi);
            tsr_raise(ERR_RuntimeError, "torch.histogramdd: min should not exceed max, but got min %s max %s for dimension 0",
                      a, b);
            return false;
        }
        if (lo == hi) lo -= 0.5, hi += 0.5;
        edges = op_linspace(lo, hi, bins + 1, self->dtype, self->storage->device);
        if (edges && !check_inputs(self, edges, weight)) {
            tensor_release(edges);
            return false;
        }
        alg = HIST_LINEAR_LOCAL_SEARCH;
    }
    if (!edges) return false;
    hist = run_histogram(self, weight, edges, alg);
    if (hist && density) {
        Tensor *d = density_of(hist, edges);
        tensor_release(hist);
        hist = d;
    }
    Tensor *outs[2] = {hist, edges}, *ins[3] = {self, bin_tensor, weight};
    if (!hist || !op_record_not_implemented_multi(outs, 2, ins, 3, "histogram")) {
        tensor_release(hist);
        tensor_release(edges);
        return false;
    }
    *hist_out = hist;
    *edges_out = edges;
    return true;
}

/* torch.histogramdd (Histogram.cpp's histogramdd over the input viewed
 * as (M, D)): bins counts (linspace edges over each column's min/max or
 * range, the local search) or edge tensors (the binary search); density
 * divides by the sum, then by each dimension's bin widths */
bool op_histogramdd(Tensor *self, const int64_t *counts, Tensor *const *bin_tensors, int nbins, int nrange,
                    const double *range, Tensor *weight, bool density, Tensor **hist_out, Tensor **edges_out) {
    *hist_out = NULL;
    if (self->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "%s", "torch.histogramdd: input tensor should have at least 2 dimensions");
        return false;
    }
    int64_t D = self->shape[self->ndim - 1];
    if (D > TSR_HIST_MAX_DIMS || nbins != D) {
        tsr_raise(ERR_RuntimeError, "%s", D > TSR_HIST_MAX_DIMS ? "tsr: histogramdd of more than 8 dimensions"
                                                               : "histogramdd: The size of bins must be equal to the "
                                                                 "innermost dimension of the input.");
        return false;
    }
    for (int64_t d = 0; d < D; d++) edges_out[d] = NULL;
    int64_t m1[2] = {-1, D};
    Tensor *x = NULL, *in = NULL, *w = NULL, *hist = NULL;
    HistAlgorithm alg = HIST_BINARY_SEARCH;
    NO_GRAD(x = op_reshape(self, 2, m1));
    if (!x) return false;
    if (!counts) {
        for (int64_t d = 0; d < D; d++) edges_out[d] = tensor_contiguous(bin_tensors[d]);
    } else {
        for (int64_t d = 0; d < D; d++)
            if (counts[d] <= 0) {
                tsr_raise(ERR_RuntimeError, "torch.histogram(): bins must be > 0, but got %lld for dimension %lld",
                          (long long)counts[d], (long long)d);
                goto fail;
            }
        double lo[TSR_HIST_MAX_DIMS], hi[TSR_HIST_MAX_DIMS];
        for (int64_t d = 0; d < D; d++) lo[d] = 0, hi[d] = 1;
        if (range) {
            if (nrange != 2 * D) {
                tsr_raise(ERR_RuntimeError, "torch.histogramdd: for a %lld-dimensional histogram range should have "
                          "%lld elements, but got %d", (long long)D, (long long)(2 * D), nrange);
                goto fail;
            }
            for (int64_t d = 0; d < D; d++) lo[d] = range[2 * d], hi[d] = range[2 * d + 1];
        } else if (tensor_numel(x) > 0) {
            if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64) {
                op_raise_not_implemented("histogramdd", x->dtype);
                goto fail;
            }
            for (int64_t d = 0; d < D; d++) {
                Tensor *col = op_select(x, 1, d), *h = col ? op_host_contig(col) : NULL;
                tensor_release(col);
                if (!h) goto fail;
                min_max(h, false, &lo[d], &hi[d]);
                tensor_release(h);
            }
        }
        for (int64_t d = 0; d < D; d++) {
            char a[32], b[32];
            fmt_double(a, sizeof a, lo[d]);
            fmt_double(b, sizeof b, hi[d]);
            if (!isfinite(lo[d]) || !isfinite(hi[d])) {
                tsr_raise(ERR_RuntimeError, "torch.histogramdd: dimension %lld's range [%s, %s] is not finite",
                          (long long)d, a, b);
                goto fail;
            }
            if (!(lo[d] <= hi[d])) {
                tsr_raise(ERR_RuntimeError, "torch.histogramdd: min should not exceed max, but got min %s max %s for "
                          "dimension %lld", a, b, (long long)d);
                goto fail;
            }
            if (lo[d] == hi[d]) lo[d] -= 0.5, hi[d] += 0.5;
        }
        for (int64_t d = 0; d < D; d++)
            if (!(edges_out[d] = op_linspace(lo[d], hi[d], counts[d] + 1, self->dtype, self->storage->device))) goto fail;
        alg = HIST_LINEAR_LOCAL_SEARCH;
    }
    for (int64_t d = 0; d < D; d++) {
        Tensor *e = edges_out[d];
        if (!e) goto fail;
        char at[48];
        snprintf(at, sizeof at, "dimension %lld", (long long)d);
        if (e->dtype != self->dtype) {
            tsr_raise(ERR_RuntimeError, "torch.histogramdd: input tensor and bins tensors should have the same dtype, "
                      "but got input with dtype %s and bins for %s with dtype %s", dtype_cpp_name(self->dtype), at,
                      dtype_cpp_name(e->dtype));
            goto fail;
        }
        if (e->ndim != 1 || tensor_numel(e) == 0) {
            tsr_raise(ERR_RuntimeError, e->ndim != 1 ? "torch.histogramdd: bins tensor should have one dimension, but "
                      "got %d dimensions in the bins tensor for %s" : "torch.histogramdd: bins tensor should have at "
                      "least 1 element, but got %d elements in the bins tensor for %s",
                      e->ndim != 1 ? e->ndim : 0, at);
            goto fail;
        }
    }
    if (weight) {
        bool same = weight->dtype == self->dtype && weight->ndim == (self->ndim > 1 ? self->ndim - 1 : 1);
        for (int i = 0; same && i < self->ndim - 1; i++) same = weight->shape[i] == self->shape[i];
        if (weight->dtype != self->dtype) {
            tsr_raise(ERR_RuntimeError, "torch.histogramdd: if weight tensor is provided, input tensor and weight "
                      "tensor should have the same dtype, but got input(%s), and weight(%s)",
                      dtype_cpp_name(self->dtype), dtype_cpp_name(weight->dtype));
            goto fail;
        }
        if (!same) {
            char a[256], b[256];
            op_shape_text(a, sizeof a, self->ndim, self->shape);
            op_shape_text(b, sizeof b, weight->ndim, weight->shape);
            tsr_raise(ERR_RuntimeError, "torch.histogramdd: if weight tensor is provided it should have the same shape "
                      "as the input tensor excluding its innermost dimension, but got input with shape %s and weight "
                      "with shape %s", a, b);
            goto fail;
        }
    }
    if (!dtype_is_float(self->dtype)) {
        op_raise_not_implemented("histogramdd_cpu_", self->dtype);
        goto fail;
    }
    in = op_host_contig(x);
    w = in && weight ? op_host_contig(weight) : NULL;
    if (!in || (weight && !w)) goto fail;
    {
        Tensor *he[TSR_HIST_MAX_DIMS] = {0};
        const void *ep[TSR_HIST_MAX_DIMS];
        int64_t ne[TSR_HIST_MAX_DIMS], hsh[TSR_HIST_MAX_DIMS];
        bool ok = true;
        for (int64_t d = 0; d < D && ok; d++) {
            he[d] = op_host_contig(edges_out[d]);
            ok = he[d] != NULL;
            if (ok) ep[d] = tensor_data(he[d]), ne[d] = tensor_numel(he[d]), hsh[d] = ne[d] - 1;
        }
        hist = ok ? tensor_empty(self->dtype, (int)D, hsh, device_cpu()) : NULL;
        if (hist)
            kernel_histogramdd(self->dtype, tensor_numel(in) / (D ? D : 1), D, tensor_data(in),
                               w ? tensor_data(w) : NULL, ep, ne, alg, tensor_data(hist));
        for (int64_t d = 0; d < D; d++) tensor_release(he[d]);
    }
    hist = to_device(hist, self->storage->device);
    if (hist && density) {
        Tensor *sum = NULL, *r = NULL;
        NO_GRAD({
            sum = op_sum(hist, 0, NULL, false, DT_UNDEFINED);
            Tensor *sc = sum ? tensor_wrapped_float(tensor_get_f64(sum, 0)) : NULL;
            r = sc ? op_binary(BIN_DIV, hist, sc) : NULL;
            tensor_release(sc);
            for (int64_t d = 0; r && d < D; d++) {
                int64_t sh[TSR_HIST_MAX_DIMS];
                for (int64_t k = 0; k < D; k++) sh[k] = k == d ? -1 : 1;
                Tensor *df = op_diff(edges_out[d], 1, -1, NULL, NULL), *rs = df ? op_reshape(df, (int)D, sh) : NULL;
                Tensor *q = rs ? op_binary(BIN_DIV, r, rs) : NULL;
                tensor_release(df);
                tensor_release(rs);
                tensor_release(r);
                r = q;
            }
        });
        tensor_release(sum);
        tensor_release(hist);
        hist = r;
    }
    if (!hist) goto fail;
    {
        /* the bin edges from counts: _histogramdd_bin_edges's node; hist:
         * _histogramdd_from_bin_cts's or _from_bin_tensors' */
        Tensor *ins[2] = {self, weight};
        if (counts && !op_record_not_implemented_multi(edges_out, (int)D, ins, 2, "_histogramdd_bin_edges"))
            goto fail;
        if (!op_record_not_implemented_multi(&hist, 1, ins, 2, counts ? "_histogramdd_from_bin_cts"
                                                                      : "_histogramdd_from_bin_tensors"))
            goto fail;
    }
    tensor_release(x);
    tensor_release(in);
    tensor_release(w);
    *hist_out = hist;
    return true;
fail:
    tensor_release(x);
    tensor_release(in);
    tensor_release(w);
    tensor_release(hist);
    for (int64_t d = 0; d < D; d++) {
        tensor_release(edges_out[d]);
        edges_out[d] = NULL;
    }
    return false;
}

/* ---- searchsorted, bucketize ---- */

Tensor *op_searchsorted(Tensor *bd, Tensor *input, bool out_int32, bool right, Tensor *sorter) {
    char s1[256], s2[256];
    /* a Python number is made on the boundaries' device (searchsorted_scalar_tensor) */
    if (!input->wrapped_number && !device_equal(bd->storage->device, input->storage->device)) {
        tsr_raise(ERR_RuntimeError,
                  "torch.searchsorted(): boundaries and input value tensors should have same device type, but got "
                  "boundaries tensor device type %s and input value tensor device type %s",
                  tensor_is_cuda(bd) ? "cuda:0" : "cpu", tensor_is_cuda(input) ? "cuda:0" : "cpu");
        return NULL;
    }
    if (sorter) {
        bool same = sorter->ndim == bd->ndim;
        for (int d = 0; same && d < bd->ndim; d++) same = sorter->shape[d] == bd->shape[d];
        if (!same) {
            op_shape_text(s1, sizeof s1, bd->ndim, bd->shape);
            op_shape_text(s2, sizeof s2, sorter->ndim, sorter->shape);
            tsr_raise(ERR_RuntimeError,
                      "torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor "
                      "%sand got sorter tensor %s",
                      s1, s2);
            return NULL;
        }
        if (sorter->dtype != DT_INT64) {
            tsr_raise(ERR_RuntimeError, "torch.searchsorted(): sorter must be a tensor of long dtype but got dtype %s",
                      dtype_scalar_name(sorter->dtype));
            return NULL;
        }
    }
    if (sorter && tensor_numel(sorter) > 0) {
        Tensor *h = op_host_contig(sorter);
        if (!h) return NULL;
        const int64_t *p = (const int64_t *)tensor_data(h);
        int64_t last = sorter->shape[sorter->ndim - 1];
        bool bad = false;
        for (int64_t i = 0; i < tensor_numel(h); i++) bad |= p[i] < 0 || p[i] >= last;
        tensor_release(h);
        if (bad) {
            tsr_raise(ERR_RuntimeError, "%s", "torch.searchsorted(): sorter index out of range");
            return NULL;
        }
    }
    if (!(input->ndim > 0 || (tensor_numel(input) == 1 && bd->ndim == 1))) {
        tsr_raise(ERR_RuntimeError,
                  "torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but "
                  "we got boundaries tensor dim(%d) and input value's dim(%d) numel(%lld)",
                  bd->ndim, input->ndim, (long long)tensor_numel(input));
        return NULL;
    }
    if (bd->ndim == 0) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension");
        return NULL;
    }
    bool match = bd->ndim == 1 || bd->ndim == input->ndim;
    for (int d = 0; match && bd->ndim > 1 && d < bd->ndim - 1; d++) match = bd->shape[d] == input->shape[d];
    if (!match) {
        op_shape_text(s1, sizeof s1, bd->ndim, bd->shape);
        op_shape_text(s2, sizeof s2, input->ndim, input->shape);
        tsr_raise(ERR_RuntimeError,
                  "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of "
                  "boundaries tensor and input value tensor must match, but we got boundaries tensor %s and input "
                  "value tensor %s",
                  s1, s2);
        return NULL;
    }
    DType dt = bd->dtype;
    if (input->dtype != bd->dtype) {
        ResultTypeState rs;
        result_type_init(&rs);
        result_type_add(&rs, bd->dtype, bd->ndim, bd->wrapped_number);
        result_type_add(&rs, input->dtype, input->ndim, input->wrapped_number);
        dt = result_type_finish(&rs);
    }
    if (dt == DT_BOOL) {
        op_raise_not_implemented("searchsorted_out_cpu", dt);
        return NULL;
    }
    Device dev = bd->storage->device;
    Tensor *b = NULL, *in = NULL, *st = NULL, *out = NULL;
    NO_GRAD({
        Tensor *hb = op_host_contig(bd), *hi = hb ? op_host_contig(input) : NULL;
        b = hb ? op_to_dtype(hb, dt) : NULL;
        in = b && hi ? op_to_dtype(hi, dt) : NULL;
        tensor_release(hb);
        tensor_release(hi);
    });
    if (in && sorter) st = op_host_contig(sorter);
    if (in && (!sorter || st)) {
        out = tensor_empty(out_int32 ? DT_INT32 : DT_INT64, input->ndim, input->shape, device_cpu());
        int64_t inner = input->ndim ? input->shape[input->ndim - 1] : 1;
        if (out)
            kernel_searchsorted(dt, tensor_numel(in), tensor_data(in), inner, tensor_data(b),
                                bd->shape[bd->ndim - 1], bd->ndim == 1, st ? (const int64_t *)tensor_data(st) : NULL, right,
                                out->dtype, tensor_data(out));
    }
    tensor_release(b);
    tensor_release(in);
    tensor_release(st);
    return to_device(out, dev);
}

Tensor *op_bucketize(Tensor *input, Tensor *boundaries, bool out_int32, bool right) {
    if (boundaries->ndim != 1) {
        tsr_raise(ERR_RuntimeError, "boundaries tensor must be 1 dimension, but got dim(%d)", boundaries->ndim);
        return NULL;
    }
    return op_searchsorted(boundaries, input, out_int32, right, NULL);
}
