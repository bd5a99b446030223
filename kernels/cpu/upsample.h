/* upsample.h: nearest and bilinear interpolation over planes of
 * contiguous H x W images (ATen's cpu_upsample_nearest and
 * cpu_upsample_linear, with their index and weight arithmetic in float
 * and order of operations) and their backward. The op layer
 * (runtime/ops/upsample.c) allocates; 1-d is height 1. */
#ifndef TSR_KERNEL_UPSAMPLE_H
#define TSR_KERNEL_UPSAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int64_t planes, H, W, OH, OW;
    bool bilinear, align_corners;
    double sh, sw; /* the scale factors given, 0: none */
} UpsampleGeom;

/* float32 and float64; bfloat16 for nearest */
KernelStatus kernel_upsample(DType dt, const UpsampleGeom *g, const void *x, void *out);
/* gin (planes x H x W, zeroed) += the adjoint of gout */
KernelStatus kernel_upsample_backward(DType dt, const UpsampleGeom *g, const void *gout, void *gin);

#ifdef __cplusplus
}
#endif

#endif
