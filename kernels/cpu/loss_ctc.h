/* loss_ctc.h: the CPU loops of _ctc_loss and _ctc_loss_backward (ATen's
 * LossCTC.cpp), over contiguous float32/float64 log_probs (T x N x C),
 * int64 targets (N x S, or the N target sequences concatenated) and the
 * lengths. The caller allocates log_alpha / log_beta (N x T x L, L =
 * 2 * max target length + 1). */
#ifndef TSR_KERNEL_LOSS_CTC_H
#define TSR_KERNEL_LOSS_CTC_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

typedef struct {
    int64_t T, N, C, L; /* L: log_alpha's last size */
    int64_t blank;
    const int64_t *targets, *offsets; /* offsets[b]: where b's targets start (stride 1) */
    const int64_t *input_lengths, *target_lengths;
} CtcGeom;

/* nll (N) and log_alpha (N x T x L) */
void kernel_ctc_loss(DType dt, const CtcGeom *g, const void *log_probs, void *nll, void *log_alpha);
/* grad (T x N x C) from grad_out (N), nll and log_alpha; log_beta scratch */
void kernel_ctc_loss_backward(DType dt, const CtcGeom *g, const void *grad_out, const void *log_probs,
                              const void *nll, const void *log_alpha, bool zero_infinity, void *log_beta, void *grad);

#endif
