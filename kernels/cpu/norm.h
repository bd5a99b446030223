/* norm.h: the CPU loops of batch, layer and group normalization and
 * their backward (ATen's batch_norm_cpu_*_template, LayerNormKernelImpl,
 * GroupNormKernelImpl): statistics accumulate in double, the output is
 * x * scale + shift per element in the tensor's dtype. The op layer
 * (runtime/ops/norm.c) allocates every buffer. float32 and float64. */
#ifndef TSR_KERNEL_NORM_H
#define TSR_KERNEL_NORM_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* batch_norm's statistics of x (N, C, S): per channel mean and the sum
 * of squared deviations (in x's dtype, as ATen keeps them). */
KernelStatus kernel_bn_stats(DType dt, int64_t N, int64_t C, int64_t S, const void *x, void *mean, void *var_sum);
/* out = x * alpha[c] + beta[c] over (N, C, S) */
KernelStatus kernel_channel_affine(DType dt, int64_t N, int64_t C, int64_t S, const void *x, const void *alpha,
                                   const void *beta, void *out);
/* batch_norm's forward for an input that is not contiguous (ATen's generic
 * loops; x a contiguous copy): the per-channel sum of (x - mean)^2 in
 * double, and out = ((x - mean) * invstd) * w + b (w, b NULL: 1 and 0). */
KernelStatus kernel_bn_var_sum_generic(DType dt, int64_t N, int64_t C, int64_t S, const void *x, const void *mean,
                                       double *var_sum);
KernelStatus kernel_bn_transform_generic(DType dt, int64_t N, int64_t C, int64_t S, const void *x, const void *mean,
                                         const void *invstd, const void *w, const void *b, void *out);
/* batch_norm's backward over (N, C, S) with per-channel mean and invstd
 * (the saved ones when train, else the running ones), weight (NULL: 1).
 * gi (NULL: not wanted), gw and gb (per channel, NULL: not wanted). */
KernelStatus kernel_bn_backward(DType dt, int64_t N, int64_t C, int64_t S, const void *gout, const void *x,
                                const void *mean, const void *invstd, const void *weight, bool train, void *gi,
                                void *gw, void *gb);
/* The same when the input or the gradient is not contiguous (ATen's
 * generic loop, not the batch_norm_cpu_backward kernel): gout and x
 * (N, C, S) contiguous copies, gsum the per-channel sums of the gradient
 * (at::sum's). */
KernelStatus kernel_bn_backward_generic(DType dt, int64_t N, int64_t C, int64_t S, const void *gout, const void *x,
                                        const void *mean, const void *invstd, const void *weight, bool train,
                                        const void *gsum, void *gi, void *gw, void *gb);
/* Rows of n elements: mean and rstd = 1/sqrt(var + eps) per row (biased
 * variance), in x's dtype. */
KernelStatus kernel_row_moments(DType dt, int64_t rows, int64_t n, const void *x, double eps, void *mean, void *rstd);
/* layer_norm: y[r, i] = (x * rstd + (-rstd * mean)) * w[i] + b[i] over
 * rows of n (w, b NULL: 1 and 0) */
KernelStatus kernel_layer_norm_apply(DType dt, int64_t rows, int64_t n, const void *x, const void *mean,
                                     const void *rstd, const void *w, const void *b, void *y);
/* layer_norm's backward: gi (rows x n), gw and gb (n, zeroed by the
 * caller; NULL: not wanted) */
KernelStatus kernel_layer_norm_backward(DType dt, int64_t rows, int64_t n, const void *gout, const void *x,
                                        const void *mean, const void *rstd, const void *w, void *gi, void *gw,
                                        void *gb);
/* group_norm over x (N, C, S) in G groups with per (n, g) mean and rstd:
 * y = x * (rstd * w[c]) + (b[c] - rstd * w[c] * mean) */
KernelStatus kernel_group_norm_apply(DType dt, int64_t N, int64_t C, int64_t S, int64_t G, const void *x,
                                     const void *mean, const void *rstd, const void *w, const void *b, void *y);
/* group_norm's backward in ATen's order and dtype; scratch: 2 * N * C
 * elements of dt (the per-channel sums) */
KernelStatus kernel_group_norm_backward(DType dt, int64_t N, int64_t C, int64_t S, int64_t G, const void *gout,
                                        const void *x, const void *mean, const void *rstd, const void *w, void *gi,
                                        void *gw, void *gb, void *scratch);

#ifdef __cplusplus
}
#endif

#endif
