/* loss_ctc.h: the CPU loops of ctc_loss, forward (log_alpha, the negative
 * log likelihood) and backward (log_beta, the gradient), ATen's
 * LossCTC.cpp: its log-sum-exp steps and their order, in the input's
 * dtype (float32 / float64). Every tensor is contiguous on the host, made
 * and checked by the op layer (runtime/ops/loss_ctc.c), which allocates:
 * log_probs (T, B, C), targets int64 read at offsets[b] + i, lengths
 * int64 (B), log_alpha / log_beta (B, T, S) with S = 2 * max target
 * length + 1, grad (T, B, C). */
#ifndef TSR_KERNEL_LOSS_CTC_H
#define TSR_KERNEL_LOSS_CTC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

typedef struct {
    int64_t T, B, C, S;
    int64_t blank;
    bool zero_infinity;
    const int64_t *targets, *offsets, *input_lengths, *target_lengths;
} CtcGeom;

/* nll (B) and log_alpha */
void kernel_ctc_loss(DType dt, const CtcGeom *g, const void *log_probs, void *nll, void *log_alpha);
/* grad (T, B, C) = d nll / d log_probs times gout (B); log_beta is
 * scratch of log_alpha's size */
void kernel_ctc_loss_backward(DType dt, const CtcGeom *g, const void *gout, const void *log_probs, const void *nll,
                              const void *log_alpha, void *log_beta, void *grad);

#endif
