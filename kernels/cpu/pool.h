/* pool.h: the CPU loops of 2-d and 3-d pooling over planes of contiguous
 * H x W images or D x H x W volumes (ATen's cpu_max_pool, cpu_avg_pool,
 * cpu_adaptive_avg_pool and cpu_adaptive_max_pool for contiguous inputs,
 * and the 3-d *_out_frame loops, with their order of accumulation and NaN
 * rule). The op layer (runtime/ops/pool.c) allocates;
 * one-dimensional pooling is the 2-d one with height 1. */
#ifndef TSR_KERNEL_POOL_H
#define TSR_KERNEL_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* planes volumes of D x H x W pooled to OD x OH x OW (2-d pooling: D =
 * OD = kd = sd = dd = 1, pd = 0) */
typedef struct {
    int64_t planes, D, H, W, OD, OH, OW;
    int64_t kd, kh, kw, sd, sh, sw, pd, ph, pw, dd, dh, dw;
    bool count_include_pad;
    int64_t divisor; /* divisor_override, 0: none */
} PoolGeom;

/* max pooling: out and idx (int64: the position (id * H + ih) * W + iw in
 * the plane) */
KernelStatus kernel_max_pool2d(DType dt, const PoolGeom *g, const void *x, void *out, int64_t *idx);
/* adaptive max pooling (kh.. ignored): out and idx */
KernelStatus kernel_adaptive_max_pool2d(DType dt, const PoolGeom *g, const void *x, void *out, int64_t *idx);
/* gin (planes x H*W, zeroed) += gout at idx: both max poolings' backward */
KernelStatus kernel_max_pool2d_backward(DType dt, const PoolGeom *g, const void *gout, const int64_t *idx, void *gin);
/* average pooling (float32, float64, int64) and its backward (floats) */
KernelStatus kernel_avg_pool2d(DType dt, const PoolGeom *g, const void *x, void *out);
KernelStatus kernel_avg_pool2d_backward(DType dt, const PoolGeom *g, const void *gout, void *gin);
/* adaptive average pooling and its backward (float32, float64) */
KernelStatus kernel_adaptive_avg_pool2d(DType dt, const PoolGeom *g, const void *x, void *out);
KernelStatus kernel_adaptive_avg_pool2d_backward(DType dt, const PoolGeom *g, const void *gout, void *gin);

#ifdef __cplusplus
}
#endif

#endif
