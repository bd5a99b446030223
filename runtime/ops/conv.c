/* conv.c: convolution (conv1d, conv2d, conv_transpose2d) as PyTorch's
 * at::convolution: one op recording ConvolutionBackward0 for input, weight
 * and bias, whose formula (runtime/backward/conv.c) calls
 * op_convolution_backward here.
 *
 * The CPU computes on contiguous host copies: per image and group, im2col
 * (kernels/cpu/conv.c) and one BLIS GEMM with the weight; the input's
 * gradient is the transposed GEMM and col2im, the weight's a GEMM of the
 * output gradient with the columns. A transposed convolution is the
 * input-gradient computation of the convolution with the roles of input
 * and output swapped. One-dimensional convolution runs as height 1. CUDA
 * tensors compute on the host (managed memory) and come back.
 *
 * ConvolutionBackward0: inputs {input, weight, bias (may be NULL)}; ctx
 * ConvParams; saved {input, weight}. */
#include <stdio.h>
#include <string.h>

#include "conv.h"
#include "device.h"
#include "error.h"
#include "matmul.h"
#include "ops.h"

Tensor *op_host_contiguous(Tensor *t) {
    Tensor *r = NULL;
    NO_GRAD(r = tensor_is_cuda(t) ? op_to(t, t->dtype, device_cpu(), true) : tensor_retain(t));
    if (!r) return NULL;
    Tensor *c = tensor_contiguous(r);
    tensor_release(r);
    return c;
}

void op_dims_str(const Tensor *t, char *buf, size_t n) {
    size_t k = (size_t)snprintf(buf, n, "[");
    for (int i = 0; i < t->ndim && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%lld", i ? ", " : "", (long long)t->shape[i]);
    if (k < n) snprintf(buf + k, n - k, "]");
}

/* The geometry of a call, its spatial sizes as (depth, height, width),
 * 1 where the convolution has fewer dims: image side (channels Ci, in),
 * output side (Co, out), weight (Co, Ci/G, k...); iv, ov, kv the volumes
 * of in, out and k. */
typedef struct {
    int64_t N, G, Ci, Co, in[3], out[3], k[3], iv, ov, kv;
    ConvGeom g;
} Geom;

/* v's d values right-aligned in out3, the leading slots dflt */
static void spatial3(int d, const int64_t *v, int64_t dflt, int64_t out3[3]) {
    for (int i = 0; i < 3; i++) out3[i] = i < 3 - d ? dflt : v[i - (3 - d)];
}

static void geom_set(Geom *q, const ConvParams *p) {
    int d = p->dims;
    int64_t s[3], pd[3], dl[3];
    spatial3(d, p->stride, 1, s);
    spatial3(d, p->pad, 0, pd);
    spatial3(d, p->dil, 1, dl);
    q->iv = q->in[0] * q->in[1] * q->in[2];
    q->ov = q->out[0] * q->out[1] * q->out[2];
    q->kv = q->k[0] * q->k[1] * q->k[2];
    q->g.blk = 0;
    q->g.C = q->Ci / q->G;
    q->g.D = q->in[0], q->g.H = q->in[1], q->g.W = q->in[2];
    q->g.kd = q->k[0], q->g.kh = q->k[1], q->g.kw = q->k[2];
    q->g.sd = s[0], q->g.sh = s[1], q->g.sw = s[2];
    q->g.pd = pd[0], q->g.ph = pd[1], q->g.pw = pd[2];
    q->g.dd = dl[0], q->g.dh = dl[1], q->g.dw = dl[2];
    q->g.OD = q->out[0], q->g.OH = q->out[1], q->g.OW = q->out[2];
}

static bool is_pointwise(const ConvGeom *g) {
    return g->kd == 1 && g->kh == 1 && g->kw == 1 && g->sd == 1 && g->sh == 1 && g->sw == 1 && g->pd == 0 &&
           g->ph == 0 && g->pw == 0 && g->D == g->OD && g->H == g->OH && g->W == g->OW;
}

/* The columns of image n, group g of img: col filled by im2col, or the
 * image itself for a pointwise convolution. */
static const char *columns(DType dt, const Geom *q, const char *img, int64_t n, int64_t g, char *col) {
    int64_t cg = q->Ci / q->G;
    const char *x = img + (n * q->Ci + g * cg) * q->iv * (int64_t)dtype_size(dt);
    if (is_pointwise(&q->g)) return x;
    kernel_im2col(dt, &q->g, x, col);
    return col;
}

/* out (N, Co, OH*OW) = conv(img (N, Ci, H*W), w); col holds K*L elements.
 * ordered: slow_conv2d's and slow_conv_dilated2d's sum, each output plane
 * preset to its bias (NULL: none) and the GEMM added to it (beta = 1);
 * the other paths add their bias after (the caller). */
static void run_forward(DType dt, const Geom *q, const char *img, const char *w, char *out, char *col, bool ordered,
                        const char *fma_init, const char *bias, char *col_cl) {
    int64_t es = (int64_t)dtype_size(dt), cg = q->Ci / q->G, og = q->Co / q->G;
    int64_t K = cg * q->kv, L = q->ov;
    for (int64_t n = 0; n < q->N; n++) {
        for (int64_t g = 0; g < q->G; g++) {
            const char *b = columns(dt, q, img, n, g, col);
            if (col_cl) { /* the channels-last columns: rows (kernel position, channel) */
                for (int64_t c = 0; c < cg; c++)
                    for (int64_t s = 0; s < q->kv; s++)
                        memcpy(col_cl + (s * cg + c) * L * es, b + (c * q->kv + s) * L * es, (size_t)(L * es));
                b = col_cl;
            }
            char *c = out + (n * q->Co + g * og) * L * es;
            if (fma_init) kernel_gemm_fma_init(dt, og, L, K, w + g * og * K * es, b, fma_init + g * og * es, c);
            else if (ordered) {
                if (bias) {
                    memset(c, 0, (size_t)(og * L * es));
                    kernel_channel_bias(dt, og, L, bias + g * og * es, c);
                }
                if (L == 1 || og == 1) /* BLIS answers these with gemv: its own call */
                    kernel_blas_gemm(dt, false, false, L, og, K, 1, b, L, w + g * og * K * es, K, bias ? 1 : 0, c, L);
                else kernel_gemm_ordered(dt, og, L, K, w + g * og * K * es, K, 1, b, c, bias != NULL);
            } else if (dt == DT_FLOAT32 || dt == DT_FLOAT64) /* oneDNN's gemm convolution */
                kernel_gemm_fma(dt, og, L, K, w + g * og * K * es, K, 1, b, c);
            else kernel_gemm(dt, og, L, K, w + g * og * K * es, K, 1, b, L, 1, c, L, 1);
        }
    }
}

/* img (N, Ci, H*W) = the adjoint: col2im(w^T @ out); img zeroed by the caller */
static void run_backward_image(DType dt, const Geom *q, const char *out, const char *w, char *img, char *col,
                               bool ordered, bool fused) {
    int64_t es = (int64_t)dtype_size(dt), cg = q->Ci / q->G, og = q->Co / q->G;
    int64_t K = cg * q->kv, L = q->ov, HW = q->iv;
    bool pw = is_pointwise(&q->g);
    for (int64_t n = 0; n < q->N; n++) {
        for (int64_t g = 0; g < q->G; g++) {
            char *x = img + (n * q->Ci + g * cg) * HW * es;
            const char *o = out + (n * q->Co + g * og) * L * es;
            if (ordered && (L == 1 || K == 1))
                kernel_blas_gemm(dt, false, true, L, K, og, 1, o, L, w + g * og * K * es, K, 0, pw ? x : col, L);
            else if (ordered) kernel_gemm_ordered(dt, K, L, og, w + g * og * K * es, 1, K, o, pw ? x : col, false);
            else if (fused) kernel_gemm_fma(dt, K, L, og, w + g * og * K * es, 1, K, o, pw ? x : col);
            else kernel_gemm(dt, K, L, og, w + g * og * K * es, 1, K, o, L, 1, pw ? x : col, L, 1);
            if (!pw) kernel_col2im(dt, &q->g, col, x);
        }
    }
}

/* gw (Co, Ci/G * kh * kw) = sum over images of out_n @ col_n^T; tmp holds
 * og*K elements, or K*L when ordered: then gw (zeroed by the caller) is
 * cpublas::gemm's C, added to image after image (beta = 1), as
 * slow_conv2d, slow_conv_dilated2d and slow_conv_transpose2d sum it */
static void run_backward_weight(DType dt, const Geom *q, const char *img, const char *out, char *gw, char *col,
                                char *tmp, bool ordered, bool fused) {
    int64_t es = (int64_t)dtype_size(dt), cg = q->Ci / q->G, og = q->Co / q->G;
    int64_t K = cg * q->kv, L = q->ov;
    for (int64_t n = 0; n < q->N; n++) {
        for (int64_t g = 0; g < q->G; g++) {
            const char *b = columns(dt, q, img, n, g, col);
            char *dst = gw + g * og * K * es;
            const char *o = out + (n * q->Co + g * og) * L * es;
            if (ordered && (K == 1 || og == 1)) {
                kernel_blas_gemm(dt, true, false, K, og, L, 1, b, L, o, L, 1, dst, K);
                continue;
            }
            if (ordered) {
                kernel_transpose(dt, K, L, b, tmp);
                kernel_gemm_ordered(dt, og, K, L, o, L, 1, tmp, dst, true);
                continue;
            }
            if (fused) { /* oneDNN's: per image an FMA chain over the plane, added */
                kernel_transpose(dt, K, L, b, tmp);
                kernel_gemm_fma(dt, og, K, L, o, L, 1, tmp, n ? tmp + K * L * es : dst);
            } else {
                kernel_gemm(dt, og, K, L, o, L, 1, b, 1, L, n ? tmp : dst, K, 1);
            }
            if (n) kernel_add(dt, og * K, fused ? tmp + K * L * es : tmp, dst);
        }
    }
}

static const char *type_name(DType t) { return dtype_scalar_name(t); }

/* "a<sep>b<sep>c": n values as PyTorch's messages list them */
static void join_ints(const int64_t *v, int n, const char *sep, char *buf, size_t cap) {
    size_t k = 0;
    buf[0] = 0;
    for (int i = 0; i < n && k < cap; i++) k += (size_t)snprintf(buf + k, cap - k, "%s%lld", i ? sep : "", (long long)v[i]);
}

/* The dtypes the CPU kernels of 1.13 take: float32, float64 and the
 * integers (slow_conv2d, slow_conv3d), int64 only where dilated in 3-d
 * (slow_conv_dilated3d) or transposed in 3-d; else the kernel's message */
/* ConvParams::use_mkldnn for a bfloat16 input: oneDNN takes it. PyTorch
 * also asks for AVX-512 BW/VL/DQ (mkldnn_bf16_device_check) and has no
 * other bfloat16 kernel; tsr computes on any CPU, so results do not depend
 * on the machine. Transposed: 1.13's oneDNN path checks the weight as if
 * not transposed and returns wrong shapes, so tsr keeps the slow path's
 * refusal. */
static bool mkldnn_bf16(const Tensor *x, const ConvParams *p) {
    return x->dtype == DT_BFLOAT16 && !p->transposed;
}

static bool conv_dtype_check(const Tensor *x, const ConvParams *p) {
    DType dt = x->dtype;
    if (dt == DT_FLOAT32 || dt == DT_FLOAT64 || mkldnn_bf16(x, p)) return true;
    bool dilated = false;
    for (int i = 0; i < p->dims; i++) dilated |= p->dil[i] != 1;
    const char *kernel = NULL;
    bool half = dt == DT_FLOAT16 || dt == DT_BFLOAT16 || dt == DT_BOOL || tsr_dtype_info[dt].kind == 'c';
    if (p->dims < 3) {
        if (p->transposed) kernel = "slow_conv_transpose2d_out_cpu";
        else if (half) kernel = "slow_conv2d_cpu";
    } else if (p->transposed) {
        if (dt != DT_INT64) kernel = "slow_conv_transpose3d_out_cpu";
    } else if (half) {
        kernel = dilated ? "slow_conv_dilated<>" : "compute_columns3d";
    } else if (dilated && dt != DT_INT64) {
        kernel = "slow_conv_dilated<>";
    }
    if (!kernel) return true;
    tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", kernel, type_name(dt));
    return false;
}

/* ConvParams::use_mkldnn for a float32 input (one thread): sizes from the
 * weight's last two dims and the input's first four (a 1-d input is
 * viewed as (N, C, 1, W) before) */
/* slow_conv2d/3d and slow_conv_dilated copy a real bias of another dtype
 * into their output */
static bool bias_castable(const Tensor *x, const Tensor *b) {
    return (x->dtype == DT_FLOAT32 || x->dtype == DT_FLOAT64) && !dtype_is_complex(b->dtype);
}

static bool use_mkldnn_f32(const Tensor *x, const Tensor *w, const ConvParams *p) {
    if (x->dtype != DT_FLOAT32 || p->transposed || w->ndim < 3) return false;
    bool strided = false, dilated = false;
    for (int i = 0; i < p->dims; i++) {
        if (p->stride[i] != 1) strided = true;
        if (p->dil[i] != 1) dilated = true;
    }
    int64_t numel = 1, N = x->shape[0], k1 = w->ndim > 3 ? w->shape[w->ndim - 2] : 1, k2 = w->shape[w->ndim - 1];
    for (int i = 0; i < x->ndim && i < 4; i++) numel *= x->shape[i];
    return (strided || dilated || N >= 16 || k2 != 1 || k1 != 1) &&
           (p->groups > 1 || (k1 > 3 && k2 > 3) || N > 1 || numel > 20480);
}

/* Tensor::toString() as check_input_same_type_as_parameters prints it:
 * the legacy "torch.FloatTensor" where the dtype has one, else
 * "CPUComplexFloatType" */
static void type_string(const Tensor *t, char *buf, size_t n) {
    bool cuda = tensor_is_cuda(t);
    if (dtype_is_complex(t->dtype))
        snprintf(buf, n, "%sComplex%sType", cuda ? "CUDA" : "CPU", t->dtype == DT_COMPLEX64 ? "Float" : "Double");
    else
        snprintf(buf, n, "torch.%s%s", cuda ? "cuda." : "", tsr_dtype_info[t->dtype].tensor_type);
}

/* oneDNN's check_input_same_type_as_parameters */
static void raise_mkldnn_type(const Tensor *x, const Tensor *other, const char *what) {
    char s1[64], s2[64];
    type_string(x, s1, sizeof s1);
    type_string(other, s2, sizeof s2);
    tsr_raise(ERR_RuntimeError,
              "Input type (%s) and %s type (%s) should be the same or input should be a MKLDNN tensor and %s is a "
              "dense tensor", s1, what, s2, what);
}

/* PyTorch's checks of at::convolution on a batched input (the caller
 * unsqueezed an unbatched one); fills q. A bias of another real dtype
 * passes where the slow kernels take it (they copy it into the output). */
static bool conv_check(Tensor *x, Tensor *w, Tensor *b, const ConvParams *p, Geom *q) {
    int d = p->dims;
    char s1[256], s2[256];
    for (int i = 0; i < d; i++)
        if (p->dil[i] <= 0) {
            join_ints(p->dil, d, ", ", s1, sizeof s1);
            tsr_raise(ERR_RuntimeError, "dilation should be greater than zero, but got [%s]", s1);
            return false;
        }
    for (int i = 0; i < d; i++)
        if (p->pad[i] < 0) {
            tsr_raise(ERR_RuntimeError, "%s", "negative padding is not supported");
            return false;
        }
    for (int i = 0; i < d; i++)
        if (p->transposed && p->outpad[i] < 0) {
            tsr_raise(ERR_RuntimeError, "%s", "negative output_padding is not supported");
            return false;
        }
    for (int i = 0; i < d; i++)
        if (p->stride[i] <= 0) {
            tsr_raise(ERR_RuntimeError, "%s", "non-positive stride is not supported");
            return false;
        }
    if (p->groups <= 0) {
        tsr_raise(ERR_RuntimeError, "%s", "non-positive groups is not supported");
        return false;
    }
    if (w->ndim != d + 2) {
        op_dims_str(w, s1, sizeof s1);
        tsr_raise(ERR_RuntimeError, "Expected %d-dimensional input for %d-dimensional weight %s, but got %d-dimensional input of size %s instead",
                  w->ndim, w->ndim, s1, x->ndim, (op_dims_str(x, s2, sizeof s2), s2));
        return false;
    }
    if (x->dtype != w->dtype && mkldnn_bf16(x, p)) { /* check_input_same_type_as_parameters */
        tsr_raise(ERR_RuntimeError,
                  "Input type (CPU%sType) and weight type (torch.%s%s) should be the same or input should be a "
                  "MKLDNN tensor and weight is a dense tensor",
                  type_name(x->dtype), tensor_is_cuda(w) ? "cuda." : "", tsr_dtype_info[w->dtype].tensor_type);
        return false;
    }
    if (b && b->dtype != x->dtype && mkldnn_bf16(x, p) && w->dtype == x->dtype) {
        tsr_raise(ERR_RuntimeError, "Input type (%s) and bias type (%s) should be the same",
                  dtype_cpp_name(x->dtype), dtype_cpp_name(b->dtype));
        return false;
    }
    if (x->storage->device.type != w->storage->device.type ||
        (b && b->storage->device.type != x->storage->device.type)) {
        tsr_raise(ERR_RuntimeError, "%s", "Expected all tensors to be on the same device, but found at least two devices");
        return false;
    }
    int64_t G = p->groups;
    q->N = x->shape[0];
    q->G = G;
    spatial3(d, w->shape + 2, 1, q->k);
    if (w->shape[0] % G != 0 && !p->transposed) {
        op_dims_str(w, s1, sizeof s1);
        tsr_raise(ERR_RuntimeError,
                  "Given groups=%lld, expected weight to be divisible by %lld at dimension 0, but got weight of size [%s] instead",
                  (long long)G, (long long)G, s1);
        return false;
    }
    op_dims_str(w, s1, sizeof s1);
    op_dims_str(x, s2, sizeof s2);
    int64_t in[3], o[3], ek[3];
    for (int i = 0; i < d; i++) ek[i] = p->dil[i] * (w->shape[2 + i] - 1) + 1;
    if (!p->transposed) {
        if (x->shape[1] != w->shape[1] * G) {
            tsr_raise(ERR_RuntimeError,
                      "Given groups=%lld, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                      (long long)G, s1, s2, (long long)(w->shape[1] * G), (long long)x->shape[1]);
            return false;
        }
        if (b && (b->ndim != 1 || b->shape[0] != w->shape[0])) {
            char s3[256];
            op_dims_str(b, s3, sizeof s3);
            tsr_raise(ERR_RuntimeError,
                      "Given weight of size %s, expected bias to be 1-dimensional with %lld elements, but got bias of size %s instead",
                      s1, (long long)w->shape[0], s3);
            return false;
        }
        bool small = false;
        for (int i = 0; i < d; i++) {
            in[i] = x->shape[2 + i] + 2 * p->pad[i];
            if (in[i] < ek[i]) small = true;
        }
        if (small) {
            /* one-dimensional convolution runs as height 1 */
            int64_t in2[3] = {1, in[0]}, ek2[3] = {1, ek[0]};
            int n = d == 1 ? 2 : d;
            join_ints(d == 1 ? in2 : in, n, " x ", s1, sizeof s1);
            join_ints(d == 1 ? ek2 : ek, n, " x ", s2, sizeof s2);
            if (d == 1) /* 1.13 prints the width alone */
                tsr_raise(ERR_RuntimeError,
                          "Calculated padded input size per channel: (%lld). Kernel size: (%lld). Kernel size can't be greater than actual input size",
                          (long long)in[0], (long long)ek[0]);
            else
                tsr_raise(ERR_RuntimeError,
                          "Calculated padded input size per channel: (%s). Kernel size: (%s). Kernel size can't be greater than actual input size",
                          s1, s2);
            return false;
        }
        for (int i = 0; i < d; i++) o[i] = (in[i] - ek[i]) / p->stride[i] + 1;
        q->Ci = x->shape[1];
        q->Co = w->shape[0];
        spatial3(d, x->shape + 2, 1, q->in);
        spatial3(d, o, 1, q->out);
    } else {
        if (x->shape[1] != w->shape[0]) {
            tsr_raise(ERR_RuntimeError,
                      "Given transposed=1, weight of size %s, expected input%s to have %lld channels, but got %lld channels instead",
                      s1, s2, (long long)w->shape[0], (long long)x->shape[1]);
            return false;
        }
        if (b && (b->ndim != 1 || b->shape[0] != w->shape[1] * G)) {
            char s3[256];
            op_dims_str(b, s3, sizeof s3);
            tsr_raise(ERR_RuntimeError,
                      "Given transposed=1, weight of size %s, expected bias to be 1-dimensional with %lld elements, but got bias of size %s instead",
                      s1, (long long)(w->shape[1] * G), s3);
            return false;
        }
        if (x->shape[1] % G) {
            tsr_raise(ERR_RuntimeError, "%s", "Given groups, input channels must be divisible by groups");
            return false;
        }
        /* the image side is the output; the "output" side the input */
        bool big = false;
        for (int i = 0; i < d; i++) big |= p->outpad[i] >= p->stride[i] && p->outpad[i] >= p->dil[i];
        if (big && d < 3) {
            tsr_raise(ERR_RuntimeError, "%s", "output padding must be smaller than either stride or dilation");
            return false;
        }
        if (big) { /* slow_conv_transpose3d_shape_check's */
            tsr_raise(ERR_RuntimeError,
                      "output padding must be smaller than either stride or dilation, but got output_padding_depth: %lld output_padding_height: %lld output_padding_width: %lld stride_depth: %lld stride_height: %lld stride_width: %lld dilation_depth: %lld dilation_height: %lld dilation_width: %lld",
                      (long long)p->outpad[0], (long long)p->outpad[1], (long long)p->outpad[2], (long long)p->stride[0],
                      (long long)p->stride[1], (long long)p->stride[2], (long long)p->dil[0], (long long)p->dil[1],
                      (long long)p->dil[2]);
            return false;
        }
        bool small = false;
        for (int i = 0; i < d; i++) {
            in[i] = x->shape[2 + i];
            o[i] = (in[i] - 1) * p->stride[i] - 2 * p->pad[i] + ek[i] + p->outpad[i];
            if (o[i] < 1) small = true;
        }
        if (small) {
            /* slow_conv_transpose2d/3d_shape_check's sizes: 1-d as height 1 */
            int64_t in2[2] = {1, in[0]}, o2[2] = {1, o[0]};
            int n = d == 1 ? 2 : d;
            join_ints(d == 1 ? in2 : in, n, " x ", s1, sizeof s1);
            join_ints(d == 1 ? o2 : o, n, " x ", s2, sizeof s2);
            tsr_raise(ERR_RuntimeError,
                      "Given input size per channel: (%s). Calculated output size per channel: (%s). Output size is too small",
                      s1, s2);
            return false;
        }
        q->Co = x->shape[1];
        q->Ci = w->shape[1] * G;
        spatial3(d, x->shape + 2, 1, q->out);
        spatial3(d, o, 1, q->in);
    }
    /* the backend's own checks, after check_shape_forward */
    bool mkldnn = use_mkldnn_f32(x, w, p);
    if (x->dtype != w->dtype) {
        if (mkldnn) raise_mkldnn_type(x, w, "weight");
        else tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", type_name(x->dtype), type_name(w->dtype));
        return false;
    }
    if (b && b->dtype != x->dtype && mkldnn) {
        raise_mkldnn_type(x, b, "bias");
        return false;
    }
    if (b && b->dtype != x->dtype && (p->transposed || !bias_castable(x, b))) {
        tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", type_name(x->dtype), type_name(b->dtype));
        return false;
    }
    if (!conv_dtype_check(x, p)) return false;
    geom_set(q, p);
    return true;
}

/* (N, C, sizes...) of d spatial dims; sz3 right-aligned (spatial3) */
static Tensor *shaped(DType dt, int d, int64_t N, int64_t C, const int64_t *sz3, bool zero) {
    int64_t sh[5] = {N, C};
    for (int i = 0; i < d; i++) sh[2 + i] = sz3[3 - d + i];
    return zero ? tensor_zeros(dt, d + 2, sh, device_cpu()) : tensor_empty(dt, d + 2, sh, device_cpu());
}
static Tensor *scratch_buf(DType dt, int64_t n) { return tensor_empty(dt, 1, &n, device_cpu()); }

/* How PyTorch 1.13's CPU convolution sums, so that results agree to the
 * last bit (its _select_conv_backend and ConvParams::use_mkldnn, with one
 * thread, and oneDNN 2.6's choice among its kernels on AVX-512):
 *   CONV_ORDERED: float64, and float32 where use_mkldnn is false:
 *     slow_conv2d, slow_conv_dilated2d and slow_conv_transpose2d, group by
 *     group, whose cpublas::gemm is BLIS's reference gemm
 *     (kernel_gemm_ordered: k in blocks of 256, each an ordered sum with
 *     separate roundings, added to C); slow_conv2d and slow_conv_dilated2d
 *     preset the output to the bias (beta = 1), slow_conv_transpose2d adds
 *     it after col2im;
 *   CONV_ONEDNN: oneDNN's direct kernel (jit:avx512_core), which sums over
 *     channel blocks, each over (ki, kj, c) with fused multiply-adds:
 *     im2col's rows in that order and an FMA chain per block
 *     (run_forward_blocked); the block is 16 channels (all of them when
 *     fewer, the first-layer kernel) without groups, with groups the
 *     largest of 16, 8, 4 dividing both channel counts per group;
 *   CONV_ONEDNN_DW: its depthwise kernels (one input channel per group,
 *     one or a multiple of 8 output channels) start from the bias;
 *   CONV_ONEDNN_GEMM: every other float32 case through oneDNN, which runs
 *     its GEMM-based convolution (x64:gemm:jit): im2col's (c, ki, kj) rows,
 *     an FMA chain along them, the bias after. Among them the kernels
 *     whose window would lie wholly in the padding (a padding as large as
 *     the dilated kernel), which the direct kernels refuse;
 *   CONV_BLIS: integers (exact in any order). */
enum { CONV_BLIS, CONV_ONEDNN, CONV_ORDERED, CONV_ONEDNN_DW, CONV_ONEDNN_GEMM };

/* oneDNN's kernel_outside_src: some padding (the end padding
 * calculate_end_padding's) reaches the dilated kernel's extent */
static bool onednn_window_in_padding(const Geom *q) {
    const ConvGeom *g = &q->g;
    int64_t ekd = (g->kd - 1) * g->dd + 1, ekh = (g->kh - 1) * g->dh + 1, ekw = (g->kw - 1) * g->dw + 1;
    int64_t fpad = (g->OD - 1) * g->sd + ekd - (g->D + g->pd);
    int64_t bpad = (g->OH - 1) * g->sh + ekh - (g->H + g->ph), rpad = (g->OW - 1) * g->sw + ekw - (g->W + g->pw);
    return g->pd >= ekd || fpad >= ekd || g->ph >= ekh || bpad >= ekh || g->pw >= ekw || rpad >= ekw;
}

static bool is_dilated(const ConvParams *p) {
    for (int i = 0; i < p->dims; i++)
        if (p->dil[i] != 1) return true;
    return false;
}

/* The path of a convolution; *blk: CONV_ONEDNN's channel block */
static int conv_path(Tensor *x, Tensor *w, const ConvParams *p, const Geom *q, int64_t *blk) {
    *blk = 0;
    if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64) return CONV_BLIS;
    if (x->dtype == DT_FLOAT32 && !p->transposed) {
        int64_t cg = q->Ci / q->G, og = q->Co / q->G;
        if (use_mkldnn_f32(x, w, p)) {
            if (onednn_window_in_padding(q)) return CONV_ONEDNN_GEMM;
            if (q->G == 1) {
                *blk = cg <= 16 ? cg : 16;
                return CONV_ONEDNN;
            }
            if (cg == 1) return og == 1 || og % 8 == 0 ? CONV_ONEDNN_DW : CONV_ONEDNN_GEMM;
            for (int64_t b = 16; b >= 4; b /= 2)
                if (cg % b == 0 && og % b == 0) {
                    *blk = b;
                    return CONV_ONEDNN;
                }
            return CONV_ONEDNN_GEMM;
        }
    }
    return CONV_ORDERED;
}

/* oneDNN's input gradient goes through its GEMM-based kernel (col =
 * w^T @ gy, an FMA chain over the output channels, then col2im) where the
 * forward does, for the depthwise kernels, and where a side has both a
 * stride and a dilation or a stride beyond the kernel (its direct
 * backward-data kernel refuses them) */
static bool onednn_gemm_backward_data(const Geom *q, int path) {
    if (path == CONV_ONEDNN_GEMM || path == CONV_ONEDNN_DW) return true;
    if (path != CONV_ONEDNN) return false;
    const ConvGeom *g = &q->g;
    return (g->sd > 1 && g->dd > 1) || (g->sh > 1 && g->dh > 1) || (g->sw > 1 && g->dw > 1) || g->sd > g->kd ||
           g->sh > g->kh || g->sw > g->kw;
}

/* oneDNN's weight gradient goes through its GEMM-based kernel (per image
 * an FMA chain over the output plane, added to the sum of the images
 * before) where the forward does, for the depthwise kernels and one input
 * channel, and where a side has both a stride and a dilation */
static bool onednn_gemm_backward_weight(const Geom *q, int path) {
    if (path == CONV_ONEDNN_GEMM || path == CONV_ONEDNN_DW) return true;
    if (path != CONV_ONEDNN) return false;
    const ConvGeom *g = &q->g;
    return q->Ci / q->G == 1 || (g->sd > 1 && g->dd > 1) || (g->sh > 1 && g->dh > 1) || (g->sw > 1 && g->dw > 1);
}

/* w (O, C/G, k...), channels zero-padded to a multiple of B, as the
 * contiguous (O, nb, k..., B): the weight of im2col's blocked rows */
static Tensor *weight_blocked(Tensor *hw, int dims, int64_t B) {
    int64_t cg = hw->shape[1], nb = (cg + B - 1) / B, O = hw->shape[0];
    Tensor *pw = NULL, *v = NULL, *pv = NULL, *c = NULL;
    NO_GRAD({
        int64_t pad[8] = {0};
        pad[2 * dims + 1] = nb * B - cg;
        pw = nb * B > cg ? op_nn_constant_pad(hw, 2 * dims + 2, pad, 0.0) : tensor_retain(hw);
        int64_t sh6[6] = {O, nb, B}, perm[6] = {0, 1};
        for (int i = 0; i < dims; i++) {
            sh6[3 + i] = hw->shape[2 + i];
            perm[2 + i] = 3 + i;
        }
        perm[2 + dims] = 2;
        v = pw ? op_view(pw, dims + 3, sh6) : NULL;
        pv = v ? op_permute(v, dims + 3, perm) : NULL;
    });
    if (pv) c = tensor_contiguous(pv);
    tensor_release(pw);
    tensor_release(v);
    tensor_release(pv);
    return c;
}

/* oneDNN's sum: per block of channels a GEMM over (ki, kj, c) from zero;
 * the bias (NULL: none) added to the first block's, then the other blocks'
 * partial sums in order. w is weight_blocked's; col holds Kpad * L, tmp
 * og * L elements. */
static void run_forward_blocked(DType dt, const Geom *q, const char *img, const char *w, const char *bias,
                                char *out, char *col, char *tmp) {
    int64_t es = (int64_t)dtype_size(dt), og = q->Co / q->G, B = q->g.blk, cg = q->Ci / q->G;
    int64_t nb = (cg + B - 1) / B, kb = B * q->kv, Kp = nb * kb, L = q->ov;
    for (int64_t n = 0; n < q->N; n++) {
        for (int64_t g = 0; g < q->G; g++) {
            const char *x = img + (n * q->Ci + g * cg) * q->iv * es;
            kernel_im2col(dt, &q->g, x, col);
            char *c = out + (n * q->Co + g * og) * L * es;
            for (int64_t cb = 0; cb < nb; cb++) {
                kernel_gemm_fma(dt, og, L, kb, w + (g * og * Kp + cb * kb) * es, Kp, 1, col + cb * kb * L * es,
                                cb ? tmp : c);
                if (cb) kernel_add(dt, og * L, tmp, c);
                else if (bias) kernel_channel_bias(dt, og, L, bias + g * og * es, c);
            }
        }
    }
}

/* oneDNN's bfloat16 convolution: float32 arithmetic on the bfloat16
 * values, each result rounded to bfloat16 once. xs[0..n) are converted;
 * run computes on them into out[0..nout), which come back as bfloat16. */
static bool through_float32(Tensor *const *xs, int n, Tensor **out, int nout,
                            bool (*run)(Tensor *const *fx, Tensor **fo, void *ctx), void *ctx) {
    Tensor *fx[4] = {NULL}, *fo[3] = {NULL};
    bool ok = true;
    NO_GRAD({
        for (int i = 0; i < n && ok; i++)
            if (xs[i]) ok = (fx[i] = op_to_dtype(xs[i], DT_FLOAT32)) != NULL;
        ok = ok && run(fx, fo, ctx);
        for (int i = 0; i < nout; i++) {
            out[i] = ok && fo[i] ? op_to_dtype(fo[i], DT_BFLOAT16) : NULL;
            ok = ok && (!fo[i] || out[i]);
        }
    });
    for (int i = 0; i < n; i++) tensor_release(fx[i]);
    for (int i = 0; i < nout; i++) tensor_release(fo[i]);
    if (!ok)
        for (int i = 0; i < nout; i++) tensor_release(out[i]), out[i] = NULL;
    return ok;
}

static bool run_forward_f32(Tensor *const *fx, Tensor **fo, void *ctx) {
    return (fo[0] = op_convolution(fx[0], fx[1], fx[2], ctx)) != NULL;
}

Tensor *op_convolution(Tensor *x, Tensor *w, Tensor *b, const ConvParams *p) {
    Geom q;
    if (!conv_check(x, w, b, p, &q)) return NULL;
    if (b && b->dtype != x->dtype) { /* a castable bias (conv_check) */
        Tensor *bc = op_to_dtype(b, x->dtype), *r = bc ? op_convolution(x, w, bc, p) : NULL;
        tensor_release(bc);
        return r;
    }
    if (x->dtype == DT_BFLOAT16) {
        Tensor *out = NULL, *xs[3] = {x, w, b};
        if (!through_float32(xs, 3, &out, 1, run_forward_f32, (void *)p)) return NULL;
        Tensor *saves[2] = {x, w};
        return ag_record_steal(out, NODE_ConvolutionBackward0, xs, 3, saves, 2, p, sizeof *p);
    }
    DType dt = x->dtype;
    Device dev = x->storage->device;
    Tensor *hx = op_host_contiguous(x), *hw = hx ? op_host_contiguous(w) : NULL, *out = NULL, *col = NULL;
    if (!hw) goto fail;
    int64_t K = q.Ci / q.G * q.kv, L = q.ov;
    int64_t blk;
    int path = conv_path(x, w, p, &q, &blk);
    bool bias_done = false;
    if (path == CONV_ONEDNN) {
        q.g.blk = blk;
        Tensor *pw = weight_blocked(hw, p->dims, q.g.blk);
        tensor_release(hw);
        if (!(hw = pw)) goto fail;
        K = hw->shape[1] * q.g.blk * q.kv; /* the padded channels */
    }
    if (!p->transposed) {
        out = shaped(dt, p->dims, q.N, q.Co, q.out, false);
        col = out ? scratch_buf(dt, is_pointwise(&q.g) && path != CONV_ONEDNN ? 1 : K * L) : NULL;
        if (!col) goto fail;
        if (path == CONV_ONEDNN && tensor_numel(out) > 0) {
            Tensor *tmp = scratch_buf(dt, q.Co / q.G * L), *hb = tmp && b ? op_host_contiguous(b) : NULL;
            if (!tmp || (b && !hb)) {
                tensor_release(tmp);
                goto fail;
            }
            run_forward_blocked(dt, &q, tensor_data(hx), tensor_data(hw), hb ? tensor_data(hb) : NULL,
                                tensor_data(out), tensor_data(col), tensor_data(tmp));
            tensor_release(tmp);
            tensor_release(hb);
            bias_done = true;
        } else if (tensor_numel(out) > 0 && K > 0) {
            /* the depthwise kernel starts from the bias, slow_conv2d presets it */
            bool inside = path == CONV_ONEDNN_DW || path == CONV_ORDERED;
            Tensor *hb = inside && b ? op_host_contiguous(b) : NULL;
            if (inside && b && !hb) goto fail;
            Tensor *zb = path == CONV_ONEDNN_DW && !b ? tensor_zeros(dt, 1, &q.Co, device_cpu()) : NULL;
            if (path == CONV_ONEDNN_DW && !b && !zb) {
                tensor_release(hb);
                goto fail;
            }
            const char *bd = hb ? tensor_data(hb) : NULL;
            /* slow_conv2d on a channels-last input or weight sums its
             * columns in (ki, kj, c) order: the weight's rows and the
             * columns permuted alike */
            Tensor *col_cl = NULL, *w_cl = NULL;
            if (path == CONV_ORDERED && p->dims == 2 && q.kv > 1 && !is_dilated(p) &&
                op_suggest_format_of((Tensor *[]){x, w}, 2) != MEMFMT_CONTIGUOUS) {
                int64_t perm[4] = {0, 2, 3, 1};
                Tensor *pv = NULL;
                NO_GRAD(pv = op_permute(hw, 4, perm));
                w_cl = pv ? op_host_contiguous(pv) : NULL;
                tensor_release(pv);
                col_cl = w_cl ? scratch_buf(dt, K * L) : NULL;
                if (!col_cl) {
                    tensor_release(w_cl);
                    tensor_release(hb);
                    tensor_release(zb);
                    goto fail;
                }
            }
            run_forward(dt, &q, tensor_data(hx), tensor_data(w_cl ? w_cl : hw), tensor_data(out), tensor_data(col),
                        path == CONV_ORDERED, path == CONV_ONEDNN_DW ? (bd ? bd : tensor_data(zb)) : NULL,
                        path == CONV_ORDERED ? bd : NULL, col_cl ? tensor_data(col_cl) : NULL);
            tensor_release(w_cl);
            tensor_release(col_cl);
            tensor_release(hb);
            tensor_release(zb);
            bias_done = inside;
        } else if (tensor_numel(out) > 0) {
            memset(tensor_data(out), 0, (size_t)tensor_numel(out) * dtype_size(dt));
        }
    } else {
        out = shaped(dt, p->dims, q.N, q.Ci, q.in, true);
        col = out ? scratch_buf(dt, is_pointwise(&q.g) ? 1 : K * L) : NULL;
        if (!col) goto fail;
        if (tensor_numel(out) > 0 && tensor_numel(hx) > 0)
            run_backward_image(dt, &q, tensor_data(hx), tensor_data(hw), tensor_data(out), tensor_data(col),
                               path == CONV_ORDERED, false);
    }
    tensor_release(col);
    col = NULL;
    if (b && !bias_done) {
        Tensor *hb = op_host_contiguous(b);
        if (!hb) goto fail;
        int64_t C = out->shape[1], plane = tensor_numel(out) / (out->shape[0] * C > 0 ? out->shape[0] * C : 1);
        if (dt == DT_FLOAT32 || dt == DT_FLOAT64) {
            for (int64_t n = 0; n < out->shape[0]; n++)
                kernel_channel_bias(dt, C, plane, tensor_data(hb),
                                    (char *)tensor_data(out) + n * C * plane * (int64_t)dtype_size(dt));
            tensor_release(hb);
        } else {
            int64_t bs[4] = {C, 1, 1, 1};
            Tensor *bv = op_view(hb, p->dims + 1, bs), *r = NULL;
            tensor_release(hb);
            NO_GRAD(r = bv ? op_binary_(BIN_ADD, out, bv) : NULL);
            tensor_release(bv);
            if (!r) goto fail;
            tensor_release(r);
        }
    }
    tensor_release(hx);
    tensor_release(hw);
    out = op_host_result_to_steal(out, dev);
    if (!p->transposed && p->dims == 2) { /* mkldnn_conv_use_channels_last, thnn_conv_use_channels_last */
        Tensor *xw[2] = {x, w};
        out = op_result_in_format_steal(out, op_suggest_format_of(xw, 2));
    }
    Tensor *ins[3] = {x, w, b}, *saves[2] = {x, w};
    return ag_record_steal(out, NODE_ConvolutionBackward0, ins, 3, saves, 2, p, sizeof *p);
fail:
    tensor_release(hx);
    tensor_release(hw);
    tensor_release(out);
    tensor_release(col);
    return NULL;
}

/* z's real and imaginary parts: selects of view_as_real(z) */
static bool complex_parts(Tensor *z, Tensor **re, Tensor **im) {
    *re = *im = NULL;
    if (!z) return true;
    Tensor *v = op_view_as_real(z);
    *re = v ? op_select(v, -1, 0) : NULL;
    *im = *re ? op_select(v, -1, 1) : NULL;
    tensor_release(v);
    if (*im) return true;
    tensor_release(*re);
    *re = NULL;
    return false;
}

Tensor *op_convolution_complex(Tensor *x, Tensor *w, Tensor *b, const ConvParams *p) {
    char s1[64], s2[64];
    Tensor *other = x->dtype != w->dtype || x->storage->device.type != w->storage->device.type ? w
                  : b && (b->dtype != x->dtype || b->storage->device.type != x->storage->device.type) ? b : NULL;
    if (other) { /* check_input_same_type_as_parameters */
        type_string(x, s1, sizeof s1);
        type_string(other, s2, sizeof s2);
        tsr_raise(ERR_RuntimeError, "Input type (%s) and %s type (%s) should be the same", s1,
                  other == w ? "weight" : "bias", s2);
        return NULL;
    }
    /* ATen's complex_convolution, the Gauss trick: a = conv(xr, wr, br),
     * b = conv(xi, wi), c = conv(xr + xi, wr + wi, br + bi); out = a - b + i * (c - a - b) */
    Tensor *xr, *xi, *wr = NULL, *wi = NULL, *br = NULL, *bi = NULL;
    Tensor *ta = NULL, *tb = NULL, *tc = NULL, *xs = NULL, *ws = NULL, *bs = NULL, *out = NULL;
    if (!complex_parts(x, &xr, &xi) || !complex_parts(w, &wr, &wi) || !complex_parts(b, &br, &bi)) goto done;
    if (!(ta = op_convolution(xr, wr, br, p)) || !(tb = op_convolution(xi, wi, NULL, p))) goto done;
    if (!(xs = op_binary(BIN_ADD, xr, xi)) || !(ws = op_binary(BIN_ADD, wr, wi))) goto done;
    if (b && !(bs = op_binary(BIN_ADD, br, bi))) goto done;
    if (!(tc = op_convolution(xs, ws, bs, p))) goto done;
    {
        Tensor *ca = op_binary(BIN_SUB, tc, ta), *cab = ca ? op_binary(BIN_SUB, ca, tb) : NULL;
        Tensor *unit = cab ? tensor_wrapped_complex(0.0, 1.0) : NULL;
        Tensor *im = unit ? op_binary(BIN_MUL, cab, unit) : NULL, *re = im ? op_binary(BIN_SUB, ta, tb) : NULL;
        out = re ? op_binary(BIN_ADD, re, im) : NULL;
        tensor_release(ca);
        tensor_release(cab);
        tensor_release(unit);
        tensor_release(im);
        tensor_release(re);
    }
done:
    tensor_release(xr);
    tensor_release(xi);
    tensor_release(wr);
    tensor_release(wi);
    tensor_release(br);
    tensor_release(bi);
    tensor_release(ta);
    tensor_release(tb);
    tensor_release(tc);
    tensor_release(xs);
    tensor_release(ws);
    tensor_release(bs);
    return out;
}

/* The bias gradient as slow_conv_dilated2d sums it: zero, then image
 * after image the sum of its planes added. */
static Tensor *bias_grad_by_image(Tensor *gy, int dims) {
    Tensor *acc = tensor_zeros(gy->dtype, 1, gy->shape + 1, gy->storage->device);
    NO_GRAD({
        int64_t plane[3] = {1, 2, 3};
        for (int64_t n = 0; acc && n < gy->shape[0]; n++) {
            Tensor *img = op_select(gy, 0, n), *s = img ? op_sum(img, dims, plane, false, DT_UNDEFINED) : NULL;
            Tensor *t = s ? op_binary(BIN_ADD, acc, s) : NULL;
            tensor_release(img);
            tensor_release(s);
            tensor_release(acc);
            acc = t;
        }
    });
    return acc;
}

/* The bias gradient as slow_conv2d and slow_conv_transpose2d sum it: per
 * group, the sum over (N, H, W) of the group's contiguous slice of gy (a
 * slice of one channel reduces as one run of N*H*W). */
static Tensor *bias_grad_by_group(Tensor *gy, int64_t G, int dims) {
    int64_t rd[4] = {0, 2, 3, 4}, C = gy->shape[1], og = C / G;
    Tensor *r = NULL;
    NO_GRAD({
        if (G == 1) r = op_sum(gy, dims + 1, rd, false, DT_UNDEFINED);
        else r = tensor_empty(gy->dtype, 1, &C, gy->storage->device);
        for (int64_t g = 0; G > 1 && r && g < G; g++) {
            Tensor *sl = op_narrow(gy, 1, g * og, og), *c = sl ? op_contiguous(sl) : NULL;
            Tensor *s = c ? op_sum(c, dims + 1, rd, false, DT_UNDEFINED) : NULL;
            Tensor *dst = s ? op_narrow(r, 0, g * og, og) : NULL, *cp = dst ? op_copy_(dst, s) : NULL;
            tensor_release(sl);
            tensor_release(c);
            tensor_release(s);
            tensor_release(dst);
            if (!cp) {
                tensor_release(r);
                r = NULL;
            }
            tensor_release(cp);
        }
    });
    return r;
}

typedef struct {
    const ConvParams *p;
    const bool *need;
} BackwardF32;

static bool run_backward_f32(Tensor *const *fx, Tensor **fo, void *ctx) {
    const BackwardF32 *c = ctx;
    return op_convolution_backward(fx[0], fx[1], fx[2], c->p, c->need, fo);
}

bool op_convolution_backward(Tensor *gy, Tensor *x, Tensor *w, const ConvParams *p, const bool need[3],
                             Tensor *res[3]) {
    res[0] = res[1] = res[2] = NULL;
    Geom q;
    if (!conv_check(x, w, NULL, p, &q)) return false;
    if (x->dtype == DT_BFLOAT16) {
        BackwardF32 c = {p, need};
        Tensor *xs[3] = {gy, x, w};
        return through_float32(xs, 3, res, 3, run_backward_f32, &c);
    }
    DType dt = x->dtype;
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) {
        tsr_raise(ERR_RuntimeError, "\"slow_conv2d_backward_cpu\" not implemented for '%s'", type_name(dt));
        return false;
    }
    Device dev = x->storage->device;
    Tensor *hx = NULL, *hw = NULL, *hg = NULL, *col = NULL, *tmp = NULL, *gc = NULL;
    NO_GRAD(gc = op_to_dtype(gy, dt));
    hg = gc ? op_host_contiguous(gc) : NULL;
    tensor_release(gc);
    hx = hg ? op_host_contiguous(x) : NULL;
    hw = hx ? op_host_contiguous(w) : NULL;
    int64_t K = q.Ci / q.G * q.kv, L = q.ov;
    int64_t blk;
    int path = conv_path(x, w, p, &q, &blk);
    bool ordered = path == CONV_ORDERED;
    col = hw ? scratch_buf(dt, is_pointwise(&q.g) ? 1 : K * L) : NULL;
    if (!col) goto fail;
    if (need[0]) {
        if (!p->transposed) {
            res[0] = shaped(dt, p->dims, q.N, q.Ci, q.in, true);
            if (!res[0]) goto fail;
            if (tensor_numel(hg) > 0)
                run_backward_image(dt, &q, tensor_data(hg), tensor_data(hw), tensor_data(res[0]), tensor_data(col),
                                   ordered, onednn_gemm_backward_data(&q, path));
        } else {
            res[0] = shaped(dt, p->dims, q.N, q.Co, q.out, true);
            if (!res[0]) goto fail;
            if (tensor_numel(res[0]) > 0 && K > 0)
                run_forward(dt, &q, tensor_data(hg), tensor_data(hw), tensor_data(res[0]), tensor_data(col), ordered,
                            NULL, NULL, NULL);
        }
        res[0] = op_host_result_to_steal(res[0], dev);
        if (!res[0]) goto fail;
    }
    if (need[1]) {
        res[1] = tensor_zeros(dt, w->ndim, w->shape, device_cpu());
        bool fused = onednn_gemm_backward_weight(&q, path);
        tmp = res[1] ? scratch_buf(dt, ordered ? K * L : fused ? K * L + q.Co / q.G * K : q.Co / q.G * K) : NULL;
        if (!tmp) goto fail;
        if (L > 0 && q.N > 0 && tensor_numel(res[1]) > 0) {
            if (!p->transposed)
                run_backward_weight(dt, &q, tensor_data(hx), tensor_data(hg), tensor_data(res[1]), tensor_data(col),
                                    tensor_data(tmp), ordered, fused);
            else
                run_backward_weight(dt, &q, tensor_data(hg), tensor_data(hx), tensor_data(res[1]), tensor_data(col),
                                    tensor_data(tmp), ordered, fused);
        }
        res[1] = op_host_result_to_steal(res[1], dev);
        if (!res[1]) goto fail;
    }
    if (need[2]) {
        bool dilated = false;
        for (int i = 0; i < p->dims; i++) dilated |= p->dil[i] != 1;
        if (ordered && dilated && !p->transposed) res[2] = bias_grad_by_image(gy, p->dims);
        else if (ordered) res[2] = bias_grad_by_group(gy, q.G, p->dims);
        else {
            int64_t dims[4] = {0, 2, 3, 4};
            NO_GRAD(res[2] = op_sum(gy, p->dims + 1, dims, false, DT_UNDEFINED));
        }
        if (!res[2]) goto fail;
    }
    tensor_release(hx);
    tensor_release(hw);
    tensor_release(hg);
    tensor_release(col);
    tensor_release(tmp);
    return true;
fail:
    for (int i = 0; i < 3; i++) {
        tensor_release(res[i]);
        res[i] = NULL;
    }
    tensor_release(hx);
    tensor_release(hw);
    tensor_release(hg);
    tensor_release(col);
    tensor_release(tmp);
    return false;
}

/* ------------------------------------------------- unfold (im2col), fold */

/* the ConvGeom of one image of c channels: f's kernel over an h x w image */
static bool fold_geom(const FoldParams *f, int64_t c, int64_t h, int64_t w, ConvGeom *g) {
    g->C = c;
    g->D = g->OD = g->kd = g->sd = g->dd = 1;
    g->pd = 0;
    g->H = h;
    g->W = w;
    g->kh = f->k[0], g->kw = f->k[1], g->sh = f->s[0], g->sw = f->s[1];
    g->ph = f->p[0], g->pw = f->p[1], g->dh = f->d[0], g->dw = f->d[1];
    g->OH = (h + 2 * f->p[0] - (f->d[0] * (f->k[0] - 1) + 1)) / f->s[0] + 1;
    g->OW = (w + 2 * f->p[1] - (f->d[1] * (f->k[1] - 1) + 1)) / f->s[1] + 1;
    return true;
}

static bool fold_params_check(const FoldParams *f, bool col2im) {
    if (f->k[0] <= 0 || f->k[1] <= 0) {
        tsr_raise(ERR_RuntimeError, "kernel size should be greater than zero, but got kernel_height: %lld kernel_width: %lld",
                  (long long)f->k[0], (long long)f->k[1]);
        return false;
    }
    const char *names[3] = {"dilation", "padding", "stride"};
    for (int pass = 0; pass < 3; pass++) {
        int i = col2im ? (pass == 0 ? 2 : pass == 1 ? 0 : 1) : pass;
        const int64_t *v = i == 0 ? f->d : i == 1 ? f->p : f->s;
        bool bad = i == 1 ? (v[0] < 0 || v[1] < 0) : (v[0] <= 0 || v[1] <= 0);
        if (!bad) continue;
        if (i == 1)
            tsr_raise(ERR_RuntimeError, "padding should be non-negative, but got pad_height: %lld pad_width: %lld",
                      (long long)v[0], (long long)v[1]);
        else
            tsr_raise(ERR_RuntimeError, "%s should be greater than zero, but got %s_height: %lld %s_width: %lld", names[i],
                      names[i], (long long)v[0], names[i], (long long)v[1]);
        return false;
    }
    return true;
}

/* x has nd or nd + 1 dims (the batch), every dim but the batch non-zero;
 * else raises msg with x's sizes. *batched: x has nd + 1 dims. */
static bool fold_input_check(Tensor *x, int nd, const char *msg, bool *batched) {
    *batched = x->ndim == nd + 1;
    bool ok = x->ndim == nd || x->ndim == nd + 1;
    for (int i = *batched ? 1 : 0; ok && i < x->ndim; i++)
        if (x->shape[i] == 0) ok = false;
    if (!ok) {
        char s[256];
        op_dims_str(x, s, sizeof s);
        tsr_raise(ERR_RuntimeError, "%s%s", msg, s);
    }
    return ok;
}

Tensor *op_im2col(Tensor *x, const FoldParams *f) {
    if (x->ndim < 3) {
        tsr_raise(ERR_IndexError, "Dimension out of range (expected to be in range of [%d, %d], but got 2)",
                  x->ndim ? -x->ndim : -1, x->ndim ? x->ndim - 1 : 0);
        return NULL;
    }
    if (!fold_params_check(f, false)) return NULL;
    bool batched;
    if (!fold_input_check(x, 3,
                          "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: ",
                          &batched))
        return NULL;
    int64_t N = batched ? x->shape[0] : 1, C = x->shape[x->ndim - 3], H = x->shape[x->ndim - 2], W = x->shape[x->ndim - 1];
    ConvGeom g = {0};
    fold_geom(f, C, H, W, &g);
    if (g.OH < 1 || g.OW < 1) {
        tsr_raise(ERR_RuntimeError,
                  "Given input with spatial size (%lld, %lld), kernel_size=(%lld, %lld), dilation=(%lld, %lld), padding=(%lld, %lld), calculated shape of the array of sliding blocks as (%lld, %lld), but its components must be at least one.",
                  (long long)H, (long long)H, (long long)f->k[0], (long long)f->k[1], (long long)f->d[0], (long long)f->d[1],
                  (long long)f->p[0], (long long)f->p[1], (long long)g.OH, (long long)g.OW);
        return NULL;
    }
    if (!dtype_is_float(x->dtype)) { /* float16 and bfloat16 too (1.13) */
        tsr_raise(ERR_RuntimeError, "\"im2col_out_cpu\" not implemented for '%s'", dtype_scalar_name(x->dtype));
        return NULL;
    }
    int64_t K = C * f->k[0] * f->k[1], L = g.OH * g.OW, es = (int64_t)dtype_size(x->dtype);
    int64_t sh[3] = {N, K, L};
    Tensor *hx = op_host_contiguous(x), *out = hx ? tensor_empty(x->dtype, 3, sh, device_cpu()) : NULL;
    if (!out) {
        tensor_release(hx);
        return NULL;
    }
    for (int64_t n = 0; n < N; n++)
        kernel_im2col(x->dtype, &g, (char *)tensor_data(hx) + n * C * H * W * es, (char *)tensor_data(out) + n * K * L * es);
    tensor_release(hx);
    if (!batched) {
        Tensor *v = op_view(out, 2, sh + 1);
        tensor_release(out);
        out = v;
    }
    out = op_host_result_to_steal(out, x->storage->device);
    FoldParams ctx = *f;
    ctx.out[0] = H;
    ctx.out[1] = W;
    return ag_record_steal(out, NODE_Im2ColBackward0, &x, 1, NULL, 0, &ctx, sizeof ctx);
}

Tensor *op_col2im(Tensor *x, const FoldParams *f) {
    if (!fold_params_check(f, true)) return NULL;
    bool batched;
    if (!fold_input_check(x, 2,
                          "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: ",
                          &batched))
        return NULL;
    int64_t N = batched ? x->shape[0] : 1, K = x->shape[x->ndim - 2], L = x->shape[x->ndim - 1];
    int64_t kk = f->k[0] * f->k[1];
    if (K % kk) {
        tsr_raise(ERR_RuntimeError,
                  "Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=%lld and kernel_size=(%lld, %lld).",
                  (long long)K, (long long)f->k[0], (long long)f->k[1]);
        return NULL;
    }
    ConvGeom g = {0};
    fold_geom(f, K / kk, f->out[0], f->out[1], &g);
    if (g.OH * g.OW != L) {
        tsr_raise(ERR_RuntimeError,
                  "Given output_size=(%lld, %lld), kernel_size=(%lld, %lld), dilation=(%lld, %lld), padding=(%lld, %lld), stride=(%lld, %lld), expected size of input's dimension 2 to match the calculated number of sliding blocks %lld * %lld = %lld, but got input.size(2)=%lld.",
                  (long long)f->out[0], (long long)f->out[1], (long long)f->k[0], (long long)f->k[1], (long long)f->d[0],
                  (long long)f->d[1], (long long)f->p[0], (long long)f->p[1], (long long)f->s[0], (long long)f->s[1],
                  (long long)g.OH, (long long)g.OW, (long long)(g.OH * g.OW), (long long)L);
        return NULL;
    }
    if (!dtype_is_float(x->dtype)) { /* float16 and bfloat16 too (1.13) */
        tsr_raise(ERR_RuntimeError, "\"col2im_out_cpu\" not implemented for '%s'", dtype_scalar_name(x->dtype));
        return NULL;
    }
    int64_t C = K / kk, es = (int64_t)dtype_size(x->dtype);
    int64_t sh[4] = {N, C, f->out[0], f->out[1]};
    Tensor *hx = op_host_contiguous(x), *out = hx ? tensor_zeros(x->dtype, 4, sh, device_cpu()) : NULL;
    if (!out) {
        tensor_release(hx);
        return NULL;
    }
    for (int64_t n = 0; n < N; n++)
        kernel_col2im(x->dtype, &g, (char *)tensor_data(hx) + n * K * L * es,
                      (char *)tensor_data(out) + n * C * f->out[0] * f->out[1] * es);
    tensor_release(hx);
    if (!batched) {
        Tensor *v = op_view(out, 3, sh + 1);
        tensor_release(out);
        out = v;
    }
    out = op_host_result_to_steal(out, x->storage->device);
    return ag_record_steal(out, NODE_Col2ImBackward0, &x, 1, NULL, 0, f, sizeof *f);
}

/* ---- conv_tbc (ConvolutionTBC.cpp): a time x batch x channel input,
 * the output started from the bias and accumulated with one addmm_ per
 * kernel offset over the rows it reaches. ConvTbcBackward0 saves {self,
 * weight, bias}, ctx pad. */

/* the rows kernel offset k reads (*ishift) and writes (*oshift): *t of them */
static void tbc_shift(int64_t k, int64_t ilen, int64_t olen, int64_t real_pad, int64_t *ishift, int64_t *oshift,
                      int64_t *t) {
    *ishift = k - real_pad > 0 ? k - real_pad : 0;
    *oshift = real_pad - k > 0 ? real_pad - k : 0;
    int64_t end = ilen + real_pad - k < olen ? ilen + real_pad - k : olen;
    *t = end - *oshift;
}

/* v.addmm_(a, b): v += a @ b, written back into v (a view) */
static bool tbc_addmm_(Tensor *v, Tensor *a, Tensor *b) {
    Tensor *r = op_addmm(v, a, b, 1.0, 1.0), *c = r ? op_copy_(v, r) : NULL;
    bool ok = c != NULL;
    tensor_release(r);
    tensor_release(c);
    return ok;
}

/* dst.narrow(0, start, t).view(t * B, C).addmm_(a, b) */
static bool tbc_addmm_rows(Tensor *dst, int64_t start, int64_t t, Tensor *a, Tensor *b) {
    int64_t sh[2] = {t * dst->shape[1], dst->shape[2]};
    Tensor *n = op_narrow(dst, 0, start, t), *v = n ? op_view(n, 2, sh) : NULL;
    bool ok = v && tbc_addmm_(v, a, b);
    tensor_release(n);
    tensor_release(v);
    return ok;
}

/* x.narrow(0, start, t).view(t * B, C) */
static Tensor *tbc_rows(Tensor *x, int64_t start, int64_t t) {
    int64_t sh[2] = {t * x->shape[1], x->shape[2]};
    Tensor *n = op_narrow(x, 0, start, t), *v = n ? op_reshape(n, 2, sh) : NULL;
    tensor_release(n);
    return v;
}

Tensor *op_conv_tbc(Tensor *x, Tensor *w, Tensor *b, int64_t pad) {
    if (x->ndim != 3) {
        tsr_raise(ERR_RuntimeError, "%s", "Input must have 3 dims: time, batch, in_channel");
        return NULL;
    }
    if (w->ndim != 3) {
        tsr_raise(ERR_RuntimeError, "%s", "Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.");
        return NULL;
    }
    if (b->ndim != 1) {
        tsr_raise(ERR_RuntimeError, "%s", "Bias must be 1-D");
        return NULL;
    }
    if (x->shape[2] != w->shape[1]) {
        tsr_raise(ERR_RuntimeError, "%s", "Input dim 2 (input channels) is not == dim 1 in the weight tensor");
        return NULL;
    }
    if (w->shape[2] != b->shape[0]) {
        tsr_raise(ERR_RuntimeError, "%s", "Bias size must equal dim 2 in the weight tensor (output channels).");
        return NULL;
    }
    int64_t ilen = x->shape[0], kw = w->shape[0], olen = ilen - kw + 1 + pad * 2;
    int64_t real_pad = (olen - ilen + kw - 1) / 2;
    int64_t osh[3] = {olen, x->shape[1], w->shape[2]};
    if (olen < 0) {
        tsr_raise(ERR_RuntimeError, "Trying to create tensor with negative dimension %lld: [%lld, %lld, %lld]",
                  (long long)olen, (long long)olen, (long long)osh[1], (long long)osh[2]);
        return NULL;
    }
    Tensor *out = tensor_empty(x->dtype, 3, osh, x->storage->device);
    bool ok = out != NULL;
    NO_GRAD({
        Tensor *be = ok ? op_expand(b, 3, osh) : NULL;
        Tensor *c = be ? op_copy_(out, be) : NULL;
        ok = c != NULL;
        tensor_release(be);
        tensor_release(c);
        for (int64_t k = 0; ok && k < kw; k++) {
            int64_t is, os, t;
            tbc_shift(k, ilen, olen, real_pad, &is, &os, &t);
            if (t <= 0) continue;
            if (w->dtype != x->dtype) { /* addmm_'s check of its mat2 */
                tsr_raise(ERR_RuntimeError, "%s", "self and mat2 must have the same dtype");
                ok = false;
                break;
            }
            int64_t ish[2] = {t * x->shape[1], x->shape[2]};
            Tensor *wk = op_select(w, 0, k), *n = wk ? op_narrow(x, 0, is, t) : NULL;
            Tensor *i = n ? op_view(n, 2, ish) : NULL;
            ok = i && tbc_addmm_rows(out, os, t, i, wk);
            tensor_release(wk);
            tensor_release(n);
            tensor_release(i);
        }
    });
    if (!ok) {
        tensor_release(out);
        return NULL;
    }
    Tensor *ins[3] = {x, w, b};
    return ag_record_steal(out, NODE_ConvTbcBackward0, ins, 3, ins, 3, &pad, sizeof pad);
}

/* conv_tbc_backward: the three gradients with ops (so create_graph
 * records them) into zeros of each input's shape; res[i] NULL where
 * !need[i] */
bool op_conv_tbc_backward(Tensor *grad, Tensor *x, Tensor *w, Tensor *b, int64_t pad, const bool need[3],
                          Tensor **res) {
    res[0] = res[1] = res[2] = NULL;
    int64_t ilen = x->shape[0], kw = w->shape[0], olen = ilen - kw + 1 + pad * 2;
    int64_t real_pad = (olen - ilen + kw - 1) / 2;
    bool ok = true;
    Tensor *gi = tensor_zeros(x->dtype, 3, x->shape, x->storage->device);
    Tensor *gw = gi ? tensor_zeros(w->dtype, 3, w->shape, w->storage->device) : NULL;
    if (!gw) ok = false;
    for (int64_t k = 0; ok && k < kw; k++) {
        int64_t is, os, t;
        tbc_shift(k, ilen, olen, real_pad, &is, &os, &t);
        if (t <= 0) continue;
        Tensor *go = tbc_rows(grad, os, t), *wk = go ? op_select(w, 0, k) : NULL;
        Tensor *wt = wk ? op_transpose(wk, 0, 1) : NULL;
        ok = wt && tbc_addmm_rows(gi, is, t, go, wt);
        tensor_release(go);
        tensor_release(wk);
        tensor_release(wt);
    }
    for (int64_t k = 0; ok && k < kw; k++) {
        int64_t is, os, t;
        tbc_shift(k, ilen, olen, real_pad, &is, &os, &t);
        if (t <= 0) continue;
        Tensor *go = tbc_rows(grad, os, t), *xi = go ? tbc_rows(x, is, t) : NULL;
        Tensor *xt = xi ? op_transpose(xi, 0, 1) : NULL, *dw = xt ? op_select(gw, 0, k) : NULL;
        ok = dw && tbc_addmm_(dw, xt, go);
        Tensor *tmp[] = {go, xi, xt, dw};
        for (size_t i = 0; i < sizeof tmp / sizeof *tmp; i++) tensor_release(tmp[i]);
    }
    Tensor *gb = NULL;
    if (ok) {
        int64_t d0 = 0;
        /* dBias.copy_(dOutput.sum(0).sum(0)) into zeros */
        Tensor *s0 = op_sum(grad, 1, &d0, false, DT_UNDEFINED);
        Tensor *s1 = s0 ? op_sum(s0, 1, &d0, false, DT_UNDEFINED) : NULL;
        gb = s1 ? tensor_zeros(b->dtype, 1, b->shape, b->storage->device) : NULL;
        Tensor *c = gb ? op_copy_(gb, s1) : NULL;
        ok = c != NULL;
        tensor_release(s0);
        tensor_release(s1);
        tensor_release(c);
    }
    if (!ok) {
        tensor_release(gi);
        tensor_release(gw);
        tensor_release(gb);
        return false;
    }
    Tensor *all[3] = {gi, gw, gb};
    for (int i = 0; i < 3; i++) {
        if (need[i]) res[i] = all[i];
        else tensor_release(all[i]);
    }
    return true;
}
