/* conv.h: the CPU loops of convolution: im2col (the columns a GEMM
 * multiplies by the weight, as ATen's slow_conv2d and THNN's unfold build
 * them) and col2im (their adjoint: the columns summed back into an image).
 * Convolution is GEMM on these columns (kernels/cpu/matmul.h); the op layer
 * (runtime/ops/conv.c) allocates the column buffer. One-dimensional
 * convolution is the two-dimensional one with height 1. */
#ifndef TSR_KERNEL_CONV_H
#define TSR_KERNEL_CONV_H

#include <stdint.h>

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One image of one group: C channels of H x W, a kh x kw kernel with
 * stride, padding and dilation, and its OH x OW output. */
typedef struct {
    int64_t C, H, W;
    int64_t kh, kw, sh, sw, ph, pw, dh, dw;
    int64_t OH, OW;
} ConvGeom;

/* col (C*kh*kw rows of OH*OW) from the contiguous image x (C, H, W);
 * padding reads as zero. Any dtype (elements are copied). */
KernelStatus kernel_im2col(DType dt, const ConvGeom *g, const void *x, void *col);
/* x (C, H, W) += the columns col put back where im2col took them.
 * float32 and float64; KERNEL_UNSUPPORTED for others. */
KernelStatus kernel_col2im(DType dt, const ConvGeom *g, const void *col, void *x);
/* out[c * plane + i] += bias[c] for c < C, i < plane. float32, float64. */
KernelStatus kernel_channel_bias(DType dt, int64_t C, int64_t plane, const void *bias, void *out);

#ifdef __cplusplus
}
#endif

#endif
