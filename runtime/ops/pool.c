/* pool.c: 2-d and 3-d pooling (max_pool2d/3d_with_indices, avg_pool2d/3d,
 * adaptive_avg_pool2d/3d, adaptive_max_pool2d/3d) with PyTorch's shape
 * checks (pool2d_shape_check, pool3d_shape_check, pooling_output_shape)
 * and nodes; the loops are
 * kernels/cpu/pool.c, run on a contiguous host copy (CUDA tensors come
 * back to their device). 1-d pooling is these on an unsqueezed input
 * (builtins/conv.c), as F.max_pool1d records SqueezeBackward1.
 *
 * What the nodes keep (ctx PoolParams):
 *   MaxPool2DWithIndicesBackward0, AdaptiveMaxPool2DBackward0 (and their
 *     3D twins): input {self}; saved {self, indices}.
 *   AvgPool2DBackward0, AdaptiveAvgPool2DBackward0 (and 3D): input
 *     {self}; saved {self}.
 *   FractionalMaxPool2DBackward0 / 3D: input {self}; saved {self, indices}
 *     (ATen's FractionalMaxPool2d.cpp / 3d.cpp; the backward is max
 *     pooling's). */
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"
#include "pool.h"

static int64_t div_rtn(int64_t x, int64_t y) {
    int64_t q = x / y, r = x % y;
    if (r != 0 && ((r < 0) != (y < 0))) q--;
    return q;
}

/* pooling_output_shape */
static bool out_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, bool ceil, int64_t *out) {
    if (stride == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "stride should not be zero");
        return false;
    }
    if (pad < 0) {
        tsr_raise(ERR_RuntimeError, "pad must be non-negative, but got pad: %lld", (long long)pad);
        return false;
    }
    if (pad > k / 2) {
        tsr_raise(ERR_RuntimeError, "pad should be at most half of kernel size, but got pad=%lld and kernel_size=%lld",
                  (long long)pad, (long long)k);
        return false;
    }
    int64_t o = div_rtn(in + 2 * pad - dil * (k - 1) - 1 + (ceil ? stride - 1 : 0), stride) + 1;
    if (ceil && (o - 1) * stride >= in + pad) o--;
    *out = o;
    return true;
}

static const char *type_name(DType t) { return dtype_scalar_name(t); }

/* a 2-d geometry's depth: one plane */
static void flat_depth(PoolGeom *g) {
    g->D = g->OD = g->kd = g->sd = g->dd = 1;
    g->pd = 0;
}

/* the geometry of a (kernel) pooling of x (3-d or 4-d) */
static bool pool_geom(Tensor *x, const PoolParams *p, PoolGeom *g) {
    memset(g, 0, sizeof *g);
    bool avg = p->kind == NN_POOL_AVG;
    if (avg && x->ndim < 3) {
        tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [%d, %d], but got -3)",
                  x->ndim ? -x->ndim : -1, x->ndim ? x->ndim - 1 : 0);
        return false;
    }
    if (x->ndim < 2) {
        tsr_raise(ERR_RuntimeError, "%s", "non-empty 3D or 4D (batch mode) tensor expected for input");
        return false;
    }
    if (avg && p->divisor_set && p->divisor == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "divisor must be not zero");
        return false;
    }
    int64_t H = x->shape[x->ndim - 2], W = x->shape[x->ndim - 1];
    if (!out_size(H, p->kh, p->ph, p->sh, p->dh, p->ceil, &g->OH) ||
        !out_size(W, p->kw, p->pw, p->sw, p->dw, p->ceil, &g->OW))
        return false;
    if (p->kh <= 0 || p->kw <= 0) {
        tsr_raise(ERR_RuntimeError, "kernel size should be greater than zero, but got kH: %lld kW: %lld",
                  (long long)p->kh, (long long)p->kw);
        return false;
    }
    if (p->sh <= 0 || p->sw <= 0) {
        tsr_raise(ERR_RuntimeError, "stride should be greater than zero, but got dH: %lld dW: %lld", (long long)p->sh,
                  (long long)p->sw);
        return false;
    }
    if (p->dh <= 0 || p->dw <= 0) {
        tsr_raise(ERR_RuntimeError, "dilation should be greater than zero, but got dilationH: %lld dilationW: %lld",
                  (long long)p->dh, (long long)p->dw);
        return false;
    }
    bool ok_dims = (x->ndim == 3 && x->shape[0] != 0 && H != 0 && W != 0) ||
                   (x->ndim == 4 && x->shape[1] != 0 && H != 0 && W != 0);
    if (!ok_dims) {
        char s[256];
        op_dims_str(x, s, sizeof s);
        if (avg)
            tsr_raise(ERR_RuntimeError,
                      "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:%s", s);
        else
            tsr_raise(ERR_RuntimeError, "%s", "non-empty 3D or 4D (batch mode) tensor expected for input");
        return false;
    }
    int64_t C = x->shape[x->ndim - 3];
    if (g->OH < 1 || g->OW < 1) {
        tsr_raise(ERR_RuntimeError,
                  "Given input size: (%lldx%lldx%lld). Calculated output size: (%lldx%lldx%lld). Output size is too small",
                  (long long)C, (long long)H, (long long)W, (long long)C, (long long)g->OH, (long long)g->OW);
        return false;
    }
    g->planes = tensor_numel(x) / (H * W);
    g->H = H;
    g->W = W;
    g->kh = p->kh;
    g->kw = p->kw;
    g->sh = p->sh;
    g->sw = p->sw;
    g->ph = p->ph;
    g->pw = p->pw;
    g->dh = p->dh;
    g->dw = p->dw;
    g->count_include_pad = p->count_include_pad;
    g->divisor = p->divisor_set ? p->divisor : 0;
    flat_depth(g);
    return true;
}

static bool adaptive_geom(Tensor *x, const PoolParams *p, PoolGeom *g) {
    memset(g, 0, sizeof *g);
    bool ok = x->ndim == 3 || x->ndim == 4;
    int empty = 0;
    /* max pooling checks every non-batch dim, average pooling the last two */
    for (int i = p->kind == NN_POOL_AMAX ? 1 : x->ndim - 2; ok && i < x->ndim; i++)
        if (x->shape[i] == 0) {
            ok = false;
            empty = i;
        }
    if (!ok) {
        char s[256];
        op_dims_str(x, s, sizeof s);
        if (x->ndim == 3 || x->ndim == 4)
            tsr_raise(ERR_RuntimeError,
                      "%s(): Expected input to have non-zero size for non-batch dimensions, but input has sizes %s with dimension %d being empty",
                      p->kind == NN_POOL_AMAX ? "adaptive_max_pool2d" : "adaptive_avg_pool2d", s, empty);
        else
            tsr_raise(ERR_RuntimeError, "%s(): Expected 3D or 4D tensor, but got%s %s",
                      p->kind == NN_POOL_AMAX ? "adaptive_max_pool2d" : "adaptive_avg_pool2d",
                      p->kind == NN_POOL_AMAX ? ":" : "", s);
        return false;
    }
    g->H = x->shape[x->ndim - 2];
    g->W = x->shape[x->ndim - 1];
    g->OH = p->oh;
    g->OW = p->ow;
    g->planes = g->H != 0 && g->W != 0 ? tensor_numel(x) / (g->H * g->W) : 0;
    flat_depth(g);
    return true;
}

/* pool3d_shape_check and the output sizes of a (kernel) 3-d pooling */
static bool pool3d_geom(Tensor *x, const PoolParams *p, PoolGeom *g) {
    memset(g, 0, sizeof *g);
    bool avg = p->kind == NN_POOL_AVG;
    if (x->ndim != 4 && x->ndim != 5) {
        tsr_raise(ERR_RuntimeError, "%s", "non-empty 4D or 5D (batch mode) tensor expected for input");
        return false;
    }
    if (avg && p->divisor_set && p->divisor == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "divisor must be not zero");
        return false;
    }
    int64_t D = x->shape[x->ndim - 3], H = x->shape[x->ndim - 2], W = x->shape[x->ndim - 1];
    if (!out_size(D, p->kd, p->pd, p->sd, p->dd, p->ceil, &g->OD) ||
        !out_size(H, p->kh, p->ph, p->sh, p->dh, p->ceil, &g->OH) ||
        !out_size(W, p->kw, p->pw, p->sw, p->dw, p->ceil, &g->OW))
        return false;
    if (p->kd <= 0 || p->kh <= 0 || p->kw <= 0) {
        tsr_raise(ERR_RuntimeError, "kernel size should be greater than zero, but got kT: %lld kH: %lld kW: %lld",
                  (long long)p->kd, (long long)p->kh, (long long)p->kw);
        return false;
    }
    if (p->sd <= 0 || p->sh <= 0 || p->sw <= 0) {
        tsr_raise(ERR_RuntimeError, "stride should be greater than zero, but got dT: %lld dH: %lld dW: %lld",
                  (long long)p->sd, (long long)p->sh, (long long)p->sw);
        return false;
    }
    if (p->dd <= 0 || p->dh <= 0 || p->dw <= 0) {
        tsr_raise(ERR_RuntimeError,
                  "dilation should be greater than zero, but got dilationT: %lld dilationH: %lld dilationW: %lld",
                  (long long)p->dd, (long long)p->dh, (long long)p->dw);
        return false;
    }
    for (int i = x->ndim == 5 ? 1 : 0; i < x->ndim; i++)
        if (x->shape[i] <= 0) {
            char s[256];
            op_dims_str(x, s, sizeof s);
            /* 1.13 prints the dimension's length (zero) as its index */
            tsr_raise(ERR_RuntimeError,
                      "%s(): Expected input's non-batch dimensions to have positive length, but input has a shape of %s and non-batch dimension 0 has length zero!",
                      avg ? "avg_pool3d" : "max_pool3d_with_indices_out_cpu_template", s);
            return false;
        }
    if (avg && (D < p->kd || H < p->kh || W < p->kw)) {
        tsr_raise(ERR_RuntimeError, "input image (T: %lld H: %lld W: %lld) smaller than kernel size (kT: %lld kH: %lld kW: %lld)",
                  (long long)D, (long long)H, (long long)W, (long long)p->kd, (long long)p->kh, (long long)p->kw);
        return false;
    }
    int64_t C = x->shape[x->ndim - 4];
    if (g->OD < 1 || g->OH < 1 || g->OW < 1) {
        tsr_raise(ERR_RuntimeError,
                  "Given input size: (%lldx%lldx%lldx%lld). Calculated output size: (%lldx%lldx%lldx%lld). Output size is too small",
                  (long long)C, (long long)D, (long long)H, (long long)W, (long long)C, (long long)g->OD,
                  (long long)g->OH, (long long)g->OW);
        return false;
    }
    g->planes = tensor_numel(x) / (D * H * W);
    g->D = D, g->H = H, g->W = W;
    g->kd = p->kd, g->kh = p->kh, g->kw = p->kw;
    g->sd = p->sd, g->sh = p->sh, g->sw = p->sw;
    g->pd = p->pd, g->ph = p->ph, g->pw = p->pw;
    g->dd = p->dd, g->dh = p->dh, g->dw = p->dw;
    g->count_include_pad = p->count_include_pad;
    g->divisor = p->divisor_set ? p->divisor : 0;
    return true;
}

static bool adaptive3d_geom(Tensor *x, const PoolParams *p, PoolGeom *g) {
    memset(g, 0, sizeof *g);
    const char *fn = p->kind == NN_POOL_AMAX ? "adaptive_max_pool3d" : "adaptive_avg_pool3d";
    char s[256];
    op_dims_str(x, s, sizeof s);
    if (x->ndim != 4 && x->ndim != 5) {
        tsr_raise(ERR_RuntimeError, "%s(): Expected 4D or 5D tensor, but got%s %s", fn,
                  p->kind == NN_POOL_AMAX ? ":" : "", s);
        return false;
    }
    for (int i = 1; i < x->ndim; i++)
        if (x->shape[i] == 0) {
            tsr_raise(ERR_RuntimeError,
                      "%s(): Expected input to have non-zero size for non-batch dimensions, but input has sizes %s with dimension %d being empty",
                      fn, s, i);
            return false;
        }
    g->D = x->shape[x->ndim - 3];
    g->H = x->shape[x->ndim - 2];
    g->W = x->shape[x->ndim - 1];
    g->OD = p->od;
    g->OH = p->oh;
    g->OW = p->ow;
    g->planes = tensor_numel(x) / (g->D * g->H * g->W);
    return true;
}

/* a fractional pooling's geometry (checked by op_fractional_max_pool) */
static bool frac_geom(Tensor *x, const PoolParams *p, PoolGeom *g) {
    memset(g, 0, sizeof *g);
    int n = p->dims == 3 ? 3 : 2;
    if (x->ndim < n) {
        tsr_raise(ERR_RuntimeError, "%s", "fractional_max_pool: bad input");
        return false;
    }
    g->D = n == 3 ? x->shape[x->ndim - 3] : 1;
    g->H = x->shape[x->ndim - 2];
    g->W = x->shape[x->ndim - 1];
    g->OD = n == 3 ? p->od : 1;
    g->OH = p->oh;
    g->OW = p->ow;
    g->kd = n == 3 ? p->kd : 1;
    g->kh = p->kh;
    g->kw = p->kw;
    int64_t v = g->D * g->H * g->W;
    g->planes = v ? tensor_numel(x) / v : 0;
    return true;
}

/* the geometry of p on x: one of the five above */
static bool any_geom(Tensor *x, const PoolParams *p, PoolGeom *g) {
    if (p->kind == NN_POOL_FRAC) return frac_geom(x, p, g);
    bool adaptive = p->kind == NN_POOL_AMAX || p->kind == NN_POOL_AAVG;
    if (p->dims == 3) return adaptive ? adaptive3d_geom(x, p, g) : pool3d_geom(x, p, g);
    return adaptive ? adaptive_geom(x, p, g) : pool_geom(x, p, g);
}

static Tensor *out_like(Tensor *x, DType dt, const PoolGeom *g, int dims) {
    int64_t sh[5];
    memcpy(sh, x->shape, sizeof(int64_t) * (size_t)x->ndim);
    if (dims == 3) sh[x->ndim - 3] = g->OD;
    sh[x->ndim - 2] = g->OH;
    sh[x->ndim - 1] = g->OW;
    return tensor_empty(dt, x->ndim, sh, device_cpu());
}

Tensor *op_pool(Tensor *x, const PoolParams *p, Tensor **indices) {
    bool max = p->kind == NN_POOL_MAX || p->kind == NN_POOL_AMAX;
    PoolGeom g;
    if (!any_geom(x, p, &g)) return NULL;
    /* ATen 1.13's CPU loops: the 2-d pools have bfloat16 ones (their
     * forwards compute in float and round once: the float kernel runs on a
     * float copy), adaptive_avg_pool3d a float16 one */
    bool bf16_2d = x->dtype == DT_BFLOAT16 && p->dims != 3;
    bool dt_ok = x->dtype == DT_FLOAT32 || x->dtype == DT_FLOAT64 || (p->kind == NN_POOL_AVG && x->dtype == DT_INT64) ||
                 bf16_2d || (x->dtype == DT_FLOAT16 && p->dims == 3 && p->kind == NN_POOL_AAVG);
    if (!dt_ok) {
        static const char *const names[2][4] = {
            {"max_pool2d", "avg_pool2d", "adaptive_max_pool2d", "adaptive_avg_pool2d"},
            {"max_pool3d_with_indices_cpu", "avg_pool3d_out_frame", "adaptive_max_pool3d_cpu", "adaptive_avg_pool3d_cpu"}};
        tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", names[p->dims == 3][p->kind], type_name(x->dtype));
        return NULL;
    }
    Device dev = x->storage->device;
    DType kdt = bf16_2d ? DT_FLOAT32 : x->dtype;
    Tensor *xf = NULL;
    if (bf16_2d) NO_GRAD(xf = op_to_dtype(x, DT_FLOAT32));
    Tensor *hx = bf16_2d ? (xf ? op_host_contiguous(xf) : NULL) : op_host_contiguous(x);
    tensor_release(xf);
    Tensor *out = hx ? out_like(x, kdt, &g, p->dims) : NULL, *idx = NULL;
    if (out && max) idx = out_like(x, DT_INT64, &g, p->dims);
    if (!out || (max && !idx)) goto fail;
    if (tensor_numel(out) > 0) {
        KernelStatus st;
        void *xd = tensor_data(hx), *od = tensor_data(out);
        int64_t *id = idx ? (int64_t *)tensor_data(idx) : NULL;
        switch (p->kind) {
        case NN_POOL_MAX: st = kernel_max_pool2d(kdt, &g, xd, od, id); break;
        case NN_POOL_AMAX: st = kernel_adaptive_max_pool2d(kdt, &g, xd, od, id); break;
        case NN_POOL_AVG: st = kernel_avg_pool2d(kdt, &g, xd, od); break;
        default: st = kernel_adaptive_avg_pool2d(kdt, &g, xd, od); break;
        }
        if (st != KERNEL_OK) {
            tsr_raise(ERR_RuntimeError, "%s", "pooling: no kernel for this dtype");
            goto fail;
        }
    }
    tensor_release(hx);
    hx = NULL;
    if (bf16_2d) {
        Tensor *o = NULL;
        NO_GRAD(o = op_to_dtype(out, DT_BFLOAT16));
        tensor_release(out);
        out = o;
        if (!out) goto fail;
    }
    out = op_host_result_to_steal(out, dev);
    if (idx && !(idx = op_host_result_to_steal(idx, dev))) goto fail;
    if (p->dims != 3) { /* the 2-d kernels' outputs take the input's suggest_memory_format */
        MemFormat f = layout_suggest_format(x);
        out = op_result_in_format_steal(out, f);
        if (idx && !(idx = op_result_in_format_steal(idx, f))) goto fail;
    }
    if (!out) goto fail;
    static const GradNodeKind kinds[2][4] = {
        {NODE_MaxPool2DWithIndicesBackward0, NODE_AvgPool2DBackward0, NODE_AdaptiveMaxPool2DBackward0,
         NODE_AdaptiveAvgPool2DBackward0},
        {NODE_MaxPool3DWithIndicesBackward0, NODE_AvgPool3DBackward0, NODE_AdaptiveMaxPool3DBackward0,
         NODE_AdaptiveAvgPool3DBackward0}};
    Tensor *saves[2] = {x, idx};
    out = ag_record_steal(out, kinds[p->dims == 3][p->kind], &x, 1, saves, max ? 2 : 1, p, sizeof *p);
    if (!out) goto fail;
    if (indices) *indices = idx;
    else tensor_release(idx);
    return out;
fail:
    tensor_release(hx);
    tensor_release(out);
    tensor_release(idx);
    return NULL;
}

/* fractional pooling's backward asserts every index inside its plane
 * (a kernel size of 0 leaves positions past it) */
static bool frac_indices_ok(const PoolGeom *g, int dims, const Tensor *idx) {
    const int64_t *v = (const int64_t *)tensor_data(idx);
    int64_t V = g->D * g->H * g->W;
    for (int64_t i = 0; i < tensor_numel(idx); i++)
        if (v[i] < 0 || v[i] >= V) {
            if (dims == 3)
                tsr_raise(ERR_RuntimeError, "%s",
                          "index >= 0 && index < inputT * inputH * inputW INTERNAL ASSERT FAILED at "
                          "\"./aten/src/ATen/native/FractionalMaxPool3d.cpp\":288, please report a bug to PyTorch. ");
            else
                tsr_raise(ERR_RuntimeError, "%s",
                          "index >= 0 && index < inputW * inputH INTERNAL ASSERT FAILED at "
                          "\"./aten/src/ATen/native/FractionalMaxPool2d.cpp\":256, please report a bug to PyTorch. ");
            return false;
        }
    return true;
}

Tensor *op_pool_backward(const PoolParams *p, Tensor *grad, Tensor *self, Tensor *indices) {
    PoolGeom g;
    if (!any_geom(self, p, &g)) return NULL;
    if (p->kind == NN_POOL_AAVG && p->dims != 3) /* the forward allows zero channels, its backward not */
        for (int i = 1; i < grad->ndim; i++)
            if (grad->shape[i] == 0) {
                char s[256];
                op_dims_str(grad, s, sizeof s);
                tsr_raise(ERR_RuntimeError,
                          "adaptive_avg_pool2d_backward(): Expected grad_output to have non-zero size for non-batch "
                          "dimensions, but grad_output has sizes %s with dimension %d being empty",
                          s, i);
                return NULL;
            }
    DType dt = self->dtype;
    Tensor *gc = NULL;
    NO_GRAD(gc = op_to_dtype(grad, dt));
    Tensor *hg = gc ? op_host_contiguous(gc) : NULL, *hi = NULL;
    tensor_release(gc);
    Tensor *gin = hg ? tensor_zeros(dt, self->ndim, self->shape, device_cpu()) : NULL;
    if (gin && indices) hi = op_host_contiguous(indices);
    if (!gin || (indices && !hi)) goto fail;
    if (tensor_numel(gin) > 0 && tensor_numel(hg) > 0) {
        KernelStatus st;
        if (p->kind == NN_POOL_FRAC && !frac_indices_ok(&g, p->dims, hi)) goto fail;
        switch (p->kind) {
        case NN_POOL_FRAC:
        case NN_POOL_MAX:
        case NN_POOL_AMAX: st = kernel_max_pool2d_backward(dt, &g, tensor_data(hg), (const int64_t *)tensor_data(hi), tensor_data(gin)); break;
        case NN_POOL_AVG: st = kernel_avg_pool2d_backward(dt, &g, tensor_data(hg), tensor_data(gin)); break;
        default: st = kernel_adaptive_avg_pool2d_backward(dt, &g, tensor_data(hg), tensor_data(gin)); break;
        }
        if (st != KERNEL_OK) {
            tsr_raise(ERR_RuntimeError, "%s", "pooling backward: no kernel for this dtype");
            goto fail;
        }
    }
    tensor_release(hg);
    tensor_release(hi);
    return op_host_result_to_steal(gin, self->storage->device);
fail:
    tensor_release(hg);
    tensor_release(hi);
    tensor_release(gin);
    return NULL;
}

/* ------------------------------------------------ fractional max pooling */

static bool frac_check(Tensor *x, int dims, int nk, const int64_t *kernel, int no, const int64_t *osize) {
    const char *what = dims == 3 ? " of three" : " of";
    if (nk != dims) {
        tsr_raise(ERR_RuntimeError, "fractional_max_pool%dd: kernel_size must either be a single Int or tuple%s Ints",
                  dims, what);
        return false;
    }
    if (no != dims) {
        tsr_raise(ERR_RuntimeError, "fractional_max_pool%dd: output_size must either be a single Int or tuple%s Ints",
                  dims, what);
        return false;
    }
    const char *fn = dims == 3 ? "fractional_max_pool3d_out" : "fractional_max_pool2d";
    char s[256];
    op_shape_text(s, sizeof s, x->ndim, x->shape);
    if (x->ndim != dims + 1 && x->ndim != dims + 2) {
        tsr_raise(ERR_RuntimeError, "%s(): Expected %dD or %dD tensor, but got: %s", fn, dims + 1, dims + 2, s);
        return false;
    }
    for (int i = 1; i < x->ndim; i++)
        if (x->shape[i] == 0) {
            tsr_raise(ERR_RuntimeError,
                      "%s(): Expected input to have non-zero size for non-batch dimensions, but got%s with dimension %d "
                      "being empty.", fn, s, i);
            return false;
        }
    const int64_t *in = x->shape + x->ndim - dims;
    if (dims == 2) {
        static const char *const names[2] = {"height", "width"};
        for (int i = 0; i < 2; i++)
            if (osize[i] + kernel[i] - 1 > in[i]) {
                tsr_raise(ERR_RuntimeError, "%s(): pool %s %lld too large relative to input %s %lld", fn, names[i],
                          (long long)kernel[i], names[i], (long long)in[i]);
                return false;
            }
    } else {
        static const char *const names[3] = {"time", "height", "width"};
        static const int order[3] = {0, 2, 1};
        for (int j = 0; j < 3; j++) {
            int i = order[j];
            if (!(osize[i] + kernel[i] - 1 < in[i])) {
                tsr_raise(ERR_RuntimeError, "%s(): pool %s %lld too large relative to input %s %lld", fn, names[i],
                          (long long)kernel[i], names[i], (long long)in[i]);
                return false;
            }
        }
    }
    for (int i = 0; i < dims; i++)
        if (osize[i] < 0) {
            int64_t sh[5];
            memcpy(sh, x->shape, sizeof(int64_t) * (size_t)x->ndim);
            memcpy(sh + x->ndim - dims, osize, sizeof(int64_t) * (size_t)dims);
            op_shape_text(s, sizeof s, x->ndim, sh);
            tsr_raise(ERR_RuntimeError, "Trying to create tensor with negative dimension %lld: %s", (long long)osize[i], s);
            return false;
        }
    return true;
}

Tensor *op_fractional_max_pool(Tensor *x, int dims, int nk, const int64_t *kernel, int no, const int64_t *osize,
                               Tensor *samples, Tensor **indices) {
    if (!frac_check(x, dims, nk, kernel, no, osize)) return NULL;
    if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64) {
        op_raise_not_implemented(dims == 3 ? "fractional_max_pool3d_out_frame" : "fractional_max_pool2d_out_frame",
                                 x->dtype);
        return NULL;
    }
    if (samples->dtype != x->dtype) {
        tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", type_name(x->dtype),
                  type_name(samples->dtype));
        return NULL;
    }
    PoolParams p;
    memset(&p, 0, sizeof p);
    p.kind = NN_POOL_FRAC;
    p.dims = dims;
    if (dims == 3) {
        p.kd = kernel[0], p.od = osize[0];
    }
    p.kh = kernel[dims - 2], p.kw = kernel[dims - 1];
    p.oh = osize[dims - 2], p.ow = osize[dims - 1];
    PoolGeom g;
    if (!frac_geom(x, &p, &g)) return NULL;
    if (tensor_numel(samples) < g.planes * dims) {
        char s[256];
        op_shape_text(s, sizeof s, samples->ndim, samples->shape);
        tsr_raise(ERR_RuntimeError,
                  "fractional_max_pool%dd(): _random_samples must hold %d values per plane (%lld), but got shape %s",
                  dims, dims, (long long)g.planes * dims, s);
        return NULL;
    }
    Device dev = x->storage->device;
    Tensor *hx = op_host_contiguous(x), *hs = hx ? op_host_contiguous(samples) : NULL;
    Tensor *out = hs ? out_like(x, x->dtype, &g, dims) : NULL, *idx = out ? out_like(x, DT_INT64, &g, dims) : NULL;
    if (!idx) goto fail;
    if (tensor_numel(out) > 0 &&
        kernel_fractional_max_pool(x->dtype, &g, dims, tensor_data(hx), tensor_data(hs), tensor_data(out),
                                   (int64_t *)tensor_data(idx)) != KERNEL_OK) {
        tsr_raise(ERR_RuntimeError, "fractional_max_pool%dd(): a pooling window leaves the input (_random_samples "
                  "outside [0, 1))", dims);
        goto fail;
    }
    tensor_release(hx);
    tensor_release(hs);
    hx = hs = NULL;
    out = op_host_result_to_steal(out, dev);
    if (!out || !(idx = op_host_result_to_steal(idx, dev))) goto fail;
    Tensor *saves[2] = {x, idx};
    out = ag_record_steal(out, dims == 3 ? NODE_FractionalMaxPool3DBackward0 : NODE_FractionalMaxPool2DBackward0, &x,
                          1, saves, 2, &p, sizeof p);
    if (!out) goto fail;
    if (indices) *indices = idx;
    else tensor_release(idx);
    return out;
fail:
    tensor_release(hx);
    tensor_release(hs);
    tensor_release(out);
    tensor_release(idx);
    return NULL;
}
