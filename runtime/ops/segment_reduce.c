/* segment_reduce.c: torch.segment_reduce (SegmentReduce.cpp's
 * segment_reduce_kernel: its checks, lengths or offsets, the loops of
 * kernels/cpu/segment_reduce.c on host copies). SegmentReduceBackward0
 * saves {data, result, lengths (int64)}, ctx a SegmentGeom; its backward
 * records NotImplemented under create_graph, as PyTorch has no derivative
 * for _segment_reduce_backward. */
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "ops.h"
#include "segment_reduce.h"

static const char *const seg_names[] = {"max", "mean", "min", "sum", "prod"};

static bool check_true(bool ok, const char *what) {
    if (!ok)
        tsr_raise(ERR_RuntimeError, "Expected %s to be true, but got false.  (Could this error message be improved?  "
                  "If so, please report an enhancement request to PyTorch.)", what);
    return ok;
}

/* lengths as contiguous int64 on the host: from offsets (their
 * differences along the last dim) when given, else lengths itself */
static Tensor *host_lengths(Tensor *lengths, Tensor *offsets) {
    Tensor *src = offsets ? offsets : lengths, *l = NULL;
    NO_GRAD({
        Tensor *c = op_to_dtype(src, DT_INT64);
        if (c && offsets) {
            int d = c->ndim - 1;
            int64_t n = c->shape[d];
            Tensor *hi = n > 0 ? op_narrow(c, d, 1, n - 1) : NULL, *lo = hi ? op_narrow(c, d, 0, n - 1) : NULL;
            l = lo ? op_binary(BIN_SUB, hi, lo) : NULL;
            if (n == 0) tsr_raise(ERR_RuntimeError, "%s", "tsr: segment_reduce: empty offsets");
            tensor_release(hi);
            tensor_release(lo);
        } else {
            l = c ? tensor_retain(c) : NULL;
        }
        tensor_release(c);
    });
    Tensor *h = l ? op_host_contiguous(l) : NULL;
    tensor_release(l);
    return h;
}

Tensor *op_segment_reduce(Tensor *data, const char *reduce, Tensor *lengths, Tensor *offsets, int64_t axis_arg,
                          bool unsafe, bool has_initial, double initial) {
    int axis = wrap_dim(axis_arg, data->ndim);
    if (axis < 0) return NULL;
    if (!lengths && !offsets) {
        tsr_raise(ERR_RuntimeError, "%s", "segment_reduce(): Either lengths or offsets must be defined.");
        return NULL;
    }
    int red = -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(reduce, seg_names[i])) red = i;
    if (red < 0) {
        tsr_raise(ERR_RuntimeError, "unsupported reduction given! %s", reduce);
        return NULL;
    }
    Tensor *idx = offsets ? offsets : lengths;
    const char *name = offsets ? "offsets" : "lengths";
    if (!check_true(data->ndim >= idx->ndim, offsets ? "data.dim() >= offsets_value.dim()"
                                                     : "data.dim() >= lengths_value.dim()"))
        return NULL;
    if (axis != idx->ndim - 1) {
        tsr_raise(ERR_RuntimeError, "segment_reduce(): Expected axis to be the last dimension of %s but got %d.", name,
                  axis);
        return NULL;
    }
    if (!offsets && !unsafe && tensor_numel(lengths) > 0) {
        Tensor *mn = NULL, *sm = NULL;
        int64_t last = -1;
        NO_GRAD(mn = op_min_all(lengths); sm = mn ? op_sum(lengths, 1, &last, false, DT_UNDEFINED) : NULL);
        Tensor *hm = sm ? op_host_contiguous(mn) : NULL, *hs = hm ? op_host_contiguous(sm) : NULL;
        bool ok = hs != NULL;
        if (ok && dtype_load_f64(hm->dtype, tensor_data(hm)) < 0) {
            tsr_raise(ERR_RuntimeError, "%s", "lengths contains negative value!");
            ok = false;
        }
        for (int64_t i = 0; ok && i < tensor_numel(hs); i++)
            if (dtype_load_f64(hs->dtype, tensor_data(hs) + (size_t)i * dtype_size(hs->dtype)) !=
                (double)data->shape[axis]) {
                tsr_raise(ERR_RuntimeError, "%s", "segment_reduce(): Expected all rows of lengths along axis to sum to "
                          "data.size(lengths.dim()-1) when !unsafe.");
                ok = false;
            }
        Tensor *tmp[] = {mn, sm, hm, hs};
        for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
        if (!ok) return NULL;
    }
    if (idx->dtype != DT_INT64 && idx->dtype != DT_INT32) {
        tsr_raise(ERR_RuntimeError, "\"_segment_reduce_%s_cpu_kernel1\" not implemented for '%s'", name,
                  dtype_scalar_name(idx->dtype));
        return NULL;
    }
    if (!dtype_is_float(data->dtype)) {
        tsr_raise(ERR_RuntimeError, "\"_segment_reduce_cpu\" not implemented for '%s'", dtype_scalar_name(data->dtype));
        return NULL;
    }
    Tensor *hl = host_lengths(lengths, offsets);
    if (!hl) return NULL;
    SegmentGeom g = {red, has_initial, initial, 1, hl->ndim ? hl->shape[hl->ndim - 1] : 1, 1, data->shape[axis]};
    for (int d = 0; d < axis; d++) g.outer *= data->shape[d];
    for (int d = axis + 1; d < data->ndim; d++) g.inner *= data->shape[d];
    /* the rows must stay inside the data (ATen reads past it when unsafe) */
    const int64_t *lp = (const int64_t *)tensor_data(hl);
    bool ok = tensor_numel(hl) == g.outer * g.segments;
    for (int64_t o = 0; ok && o < g.outer; o++) {
        int64_t sum = 0;
        for (int64_t s = 0; ok && s < g.segments; s++) {
            ok = lp[o * g.segments + s] >= 0;
            sum += lp[o * g.segments + s];
        }
        ok = ok && sum <= g.axis_len;
    }
    if (!ok) {
        tsr_raise(ERR_RuntimeError, "%s", "tsr: segment_reduce: the segments do not fit the data");
        tensor_release(hl);
        return NULL;
    }
    int64_t sh[TSR_MAX_DIMS];
    memcpy(sh, data->shape, sizeof(int64_t) * (size_t)data->ndim);
    sh[axis] = g.segments;
    Tensor *hd = op_host_contiguous(data);
    Tensor *out = hd ? tensor_empty(data->dtype, data->ndim, sh, device_cpu()) : NULL;
    if (out && tensor_numel(out) > 0) kernel_segment_reduce(data->dtype, &g, tensor_data(hd), lp, tensor_data(out));
    tensor_release(hd);
    out = op_host_result_to_steal(out, data->storage->device);
    Tensor *saves[3] = {data, out, hl};
    out = ag_record_steal(out, NODE_SegmentReduceBackward0, &data, 1, saves, 3, &g, sizeof g);
    tensor_release(hl);
    return out;
}

Tensor *op_segment_reduce_backward(Tensor *grad, Tensor *out, Tensor *data, Tensor *lengths, const void *ctx) {
    const SegmentGeom *g = ctx;
    Tensor *hg = op_host_contiguous(grad), *ho = hg ? op_host_contiguous(out) : NULL;
    Tensor *hd = ho ? op_host_contiguous(data) : NULL;
    Tensor *gin = hd ? tensor_empty(data->dtype, data->ndim, data->shape, device_cpu()) : NULL;
    if (gin && tensor_numel(gin) > 0)
        kernel_segment_reduce_backward(data->dtype, g, tensor_data(hg), tensor_data(ho), tensor_data(hd),
                                       (const int64_t *)tensor_data(lengths), tensor_data(gin));
    tensor_release(hg);
    tensor_release(ho);
    tensor_release(hd);
    gin = op_host_result_to_steal(gin, data->storage->device);
    Tensor *ins[3] = {grad, out, data};
    return op_record_not_implemented(gin, ins, 3, "_segment_reduce_backward");
}
