/* loss_margin.h: the CPU loops of multi_margin_loss and
 * multilabel_margin_loss, forward and backward (ATen's LossMultiMargin.cpp
 * and LossMultiLabelMargin.cpp: their order of accumulation, float32
 * frames summed in double). Inputs are contiguous nframe x dim rows of
 * float32 / float64; targets contiguous int64, already range-checked by
 * the op layer (runtime/ops/loss_margin.c), which allocates. */
#ifndef TSR_KERNEL_LOSS_MARGIN_H
#define TSR_KERNEL_LOSS_MARGIN_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

typedef struct {
    int64_t nframe, dim;
    int p;         /* 1 or 2 (multi_margin) */
    double margin; /* multi_margin */
    bool per_frame; /* out holds nframe values (reduction none, output of one dim) */
    bool mean;      /* else: the sum, divided by nframe when mean */
} MarginGeom;

/* out: nframe values or one; weight NULL or indexed by target */
void kernel_multi_margin_loss(DType dt, const MarginGeom *g, const void *x, const int64_t *target,
                              const void *weight, void *out);
/* gin (nframe x dim) = d loss / d x times gout (one value, or one per frame when per_frame) */
void kernel_multi_margin_loss_backward(DType dt, const MarginGeom *g, const void *x, const int64_t *target,
                                       const void *weight, const void *gout, void *gin);
/* out as above; is_target (nframe x dim, zeroed) gets 1 at each target */
void kernel_multilabel_margin_loss(DType dt, const MarginGeom *g, const void *x, const int64_t *target,
                                   void *is_target, void *out);
/* gin (nframe x dim, zeroed) */
void kernel_multilabel_margin_loss_backward(DType dt, const MarginGeom *g, const void *x, const int64_t *target,
                                            const void *is_target, const void *gout, void *gin);

#endif
