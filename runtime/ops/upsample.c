/* upsample.c: upsample_nearest1d, upsample_nearest2d and
 * upsample_linear1d and upsample_bilinear2d (F.interpolate's modes
 * 'nearest', 'linear' and 'bilinear'), the .vec overloads PyTorch records
 * as UpsampleNearest1DBackward1, UpsampleNearest2DBackward1,
 * UpsampleLinear1DBackward1 and UpsampleBilinear2DBackward1 (linear is
 * bilinear with height 1: its height weights are exactly 1 and 0). The loops are
 * kernels/cpu/upsample.c on a contiguous host copy.
 *
 * The nodes: input {self}; ctx UpsampleParams; nothing saved. */
#include <string.h>

#include "device.h"
#include "error.h"
#include "ops.h"
#include "upsample.h"

static bool geom_of(const int64_t *in_shape, int ndim, const UpsampleParams *p, UpsampleGeom *g) {
    memset(g, 0, sizeof *g);
    g->planes = 1;
    for (int i = 0; i < ndim - p->dims; i++) g->planes *= in_shape[i];
    g->H = p->dims == 2 ? in_shape[ndim - 2] : 1;
    g->W = in_shape[ndim - 1];
    g->OH = p->dims == 2 ? p->out[0] : 1;
    g->OW = p->out[p->dims - 1];
    g->bilinear = p->bilinear;
    g->align_corners = p->align_corners;
    g->sh = p->dims == 2 ? p->scale[0] : 0;
    g->sw = p->scale[p->dims - 1];
    return true;
}

static GradNodeKind node_of(const UpsampleParams *p) {
    if (p->bilinear) return p->dims == 2 ? NODE_UpsampleBilinear2DBackward1 : NODE_UpsampleLinear1DBackward1;
    return p->dims == 2 ? NODE_UpsampleNearest2DBackward1 : NODE_UpsampleNearest1DBackward1;
}

Tensor *op_upsample(Tensor *x, const UpsampleParams *p) {
    int nd = p->dims + 2;
    for (int i = 0; i < p->dims; i++)
        if (p->out[i] <= 0 || (x->ndim == nd && x->shape[2 + i] <= 0)) {
            tsr_raise(ERR_RuntimeError,
                      "Input and output sizes should be greater than 0, but got input (%s%lld) and output (%s%lld)",
                      p->dims == 2 ? "H: " : "W: ", (long long)(x->ndim == nd ? x->shape[2 + i] : 0),
                      p->dims == 2 ? "H: " : "W: ", (long long)p->out[i]);
            return NULL;
        }
    if (x->ndim != nd) {
        char s[256];
        op_dims_str(x, s, sizeof s);
        tsr_raise(ERR_RuntimeError, "Expected %dD tensor, but got %dD tensor %s", nd, x->ndim, s);
        return NULL;
    }
    /* 1.13's CPU loops: float, double, and bfloat16 for nearest (a copy) */
    if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64 && !(x->dtype == DT_BFLOAT16 && !p->bilinear)) {
        tsr_raise(ERR_RuntimeError, "\"compute_indices_weights_%s\" not implemented for '%s'",
                  p->bilinear ? "linear" : "nearest", dtype_scalar_name(x->dtype));
        return NULL;
    }
    UpsampleGeom g;
    geom_of(x->shape, x->ndim, p, &g);
    int64_t sh[4];
    memcpy(sh, x->shape, sizeof(int64_t) * (size_t)nd);
    for (int i = 0; i < p->dims; i++) sh[2 + i] = p->out[i];
    Tensor *hx = op_host_contiguous(x), *out = hx ? tensor_empty(x->dtype, nd, sh, device_cpu()) : NULL;
    if (out && tensor_numel(out) > 0) kernel_upsample(x->dtype, &g, tensor_data(hx), tensor_data(out));
    tensor_release(hx);
    if (!out) return NULL;
    out = op_result_in_format_steal(op_host_result_to_steal(out, x->storage->device), layout_suggest_format(x));
    if (!out) return NULL;
    UpsampleParams ctx = *p;
    for (int i = 0; i < p->dims; i++) ctx.in[i] = x->shape[2 + i];
    return ag_record_steal(out, node_of(p), &x, 1, NULL, 0, &ctx, sizeof ctx);
}

Tensor *op_upsample_backward(Tensor *grad, const UpsampleParams *p) {
    int nd = p->dims + 2;
    int64_t sh[4];
    memcpy(sh, grad->shape, sizeof(int64_t) * (size_t)nd);
    for (int i = 0; i < p->dims; i++) sh[2 + i] = p->in[i];
    UpsampleGeom g;
    geom_of(sh, nd, p, &g);
    Tensor *gc = NULL, *hg = NULL;
    NO_GRAD(gc = op_contiguous(grad));
    if (gc) hg = op_host_contiguous(gc);
    tensor_release(gc);
    Tensor *gin = hg ? tensor_zeros(grad->dtype, nd, sh, device_cpu()) : NULL;
    if (gin && tensor_numel(hg) > 0) kernel_upsample_backward(grad->dtype, &g, tensor_data(hg), tensor_data(gin));
    tensor_release(hg);
    return gin ? op_host_result_to_steal(gin, grad->storage->device) : NULL;
}
