/* copy.h: same-dtype strided copy (no conversion, no allocation).
 *
 * Dims are given innermost first with element strides. Dims contiguous in
 * both operands are merged; when the source's fastest dim is not the
 * destination's (a transpose) the copy goes in COPY_TILE x COPY_TILE tiles
 * so both sides stay in cache; large copies use two threads. dst and src
 * must not overlap. */
#ifndef TSR_KERNEL_COPY_H
#define TSR_KERNEL_COPY_H

#include <stdint.h>

#define COPY_MAX_DIMS 25

void kernel_copy_strided(int es, int ndim, const int64_t *shape, char *dst, const int64_t *dst_stride,
                         const char *src, const int64_t *src_stride, int64_t numel);

#endif
