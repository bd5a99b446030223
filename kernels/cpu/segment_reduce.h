/* segment_reduce.h: the CPU loops of torch.segment_reduce and its backward
 * (ATen's SegmentReduce.cpp), over contiguous data seen as outer x
 * axis_len x inner, segment lengths (outer x segments, int64, summing to
 * at most axis_len per row) and a contiguous output outer x segments x
 * inner. Every step is rounded to the dtype as ATen's scalar_t arithmetic
 * rounds it (float32, float64, float16, bfloat16). */
#ifndef TSR_KERNEL_SEGMENT_REDUCE_H
#define TSR_KERNEL_SEGMENT_REDUCE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

enum { SEG_MAX, SEG_MEAN, SEG_MIN, SEG_SUM, SEG_PROD };

typedef struct {
    int reduction;    /* SEG_* */
    bool has_initial; /* initial= given */
    double initial;
    int64_t outer, segments, inner, axis_len;
} SegmentGeom;

void kernel_segment_reduce(DType dt, const SegmentGeom *g, const void *data, const int64_t *lengths, void *out);
/* gin (the data's size) from grad and out (the output's) */
void kernel_segment_reduce_backward(DType dt, const SegmentGeom *g, const void *grad, const void *out,
                                    const void *data, const int64_t *lengths, void *gin);

#endif
