/* conv.h: the CPU loops of convolution: im2col (the columns a GEMM
 * multiplies by the weight, as ATen's slow_conv2d and THNN's unfold build
 * them) and col2im (their adjoint: the columns summed back into an image).
 * Convolution is GEMM on these columns (kernels/cpu/matmul.h); the op layer
 * (runtime/ops/conv.c) allocates the column buffer. One-dimensional
 * convolution is the two-dimensional one with height 1. */
#ifndef TSR_KERNEL_CONV_H
#define TSR_KERNEL_CONV_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One image of one group: C channels of D x H x W, a kd x kh x kw kernel
 * with stride, padding and dilation, and its OD x OH x OW output. A 2-d
 * geometry has D = OD = kd = sd = dd = 1, pd = 0 (every field is set). */
typedef struct {
    int64_t C, D, H, W;
    int64_t kd, kh, kw, sd, sh, sw, pd, ph, pw, dd, dh, dw;
    int64_t OD, OH, OW;
    /* im2col's row order: 0, (c, kt, ki, kj); blk > 0, channel blocks of
     * blk (C padded with zero rows to a multiple of blk), each in
     * (kt, ki, kj, c) order: row (((cb * kd + kt) * kh + ki) * kw + kj) *
     * blk + ci */
    int64_t blk;
} ConvGeom;

/* col (C*kd*kh*kw rows of OD*OH*OW) from the contiguous image x (C, D, H,
 * W); padding reads as zero. Any dtype (elements are copied). */
KernelStatus kernel_im2col(DType dt, const ConvGeom *g, const void *x, void *col);
/* x (C, D, H, W) += the columns col put back where im2col took them.
 * float32, float64 and int64; KERNEL_UNSUPPORTED for others. */
KernelStatus kernel_col2im(DType dt, const ConvGeom *g, const void *col, void *x);
/* C (m x n, row-major) = A (m x k, element strides rsa, csa) @ B (k x n,
 * row-major) (+ C when accum) as BLIS's reference gemm sums, which
 * PyTorch's cpublas::gemm runs here (slow_conv2d, slow_conv_dilated2d,
 * slow_conv_transpose2d): k in blocks of 256, each summed in order from
 * zero with one rounding per product and per sum, then added to C (the
 * first block stored when !accum). float32, float64. */
KernelStatus kernel_gemm_ordered(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t rsa, int64_t csa,
                                 const void *b, void *c, bool accum);
/* The same with fused multiply-adds, each row i starting from init[i]
 * (oneDNN's depthwise kernel, which starts from the bias). */
KernelStatus kernel_gemm_fma_init(DType dt, int64_t m, int64_t n, int64_t k, const void *a, const void *b,
                                  const void *init, void *c);
/* C (m x n, row-major) = A (m x k, element strides rsa, csa) @ B (k x n,
 * row-major), each element a chain of fused multiply-adds along k from
 * zero: oneDNN's sums (its blocked and GEMM-based convolutions). float32,
 * float64. */
KernelStatus kernel_gemm_fma(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t rsa, int64_t csa,
                             const void *b, void *c);
/* dst (c x r, row-major) = src (r x c, row-major) transposed. 4- and
 * 8-byte elements. */
KernelStatus kernel_transpose(DType dt, int64_t r, int64_t c, const void *src, void *dst);
/* dst[i] += src[i] for i < n. float32, float64. */
KernelStatus kernel_add(DType dt, int64_t n, const void *src, void *dst);
/* out[c * plane + i] += bias[c] for c < C, i < plane. float32, float64. */
KernelStatus kernel_channel_bias(DType dt, int64_t C, int64_t plane, const void *bias, void *out);

#ifdef __cplusplus
}
#endif

#endif
