/* lines.h: the lines along dim d of an ndim tensor (shape, element
 * strides), numbered in row-major order of the other dims, as the scan
 * and sort kernels of both devices walk them; ndim 0 is one line of one
 * element. */
#ifndef TSR_KERNEL_LINES_H
#define TSR_KERNEL_LINES_H

#include <stdint.h>

/* The length of every line (1 for ndim 0). */
static inline int64_t line_length(int ndim, const int64_t *shape, int d) { return ndim ? shape[d] : 1; }

/* The stride along a line (unused for ndim 0). */
static inline int64_t line_stride(int ndim, const int64_t *stride, int d) { return ndim ? stride[d] : 1; }

/* How many lines (0 when the tensor is empty). */
static inline int64_t line_count(int ndim, const int64_t *shape, int d) {
    int64_t n = 1;
    for (int i = 0; i < ndim; i++)
        if (i != d) n *= shape[i];
    return line_length(ndim, shape, d) ? n : 0;
}

/* The element offset of line k. */
static inline int64_t line_offset(int ndim, const int64_t *shape, int d, const int64_t *stride, int64_t k) {
    int64_t o = 0;
    for (int i = ndim - 1; i >= 0; i--) {
        if (i == d) continue;
        o += (k % shape[i]) * stride[i];
        k /= shape[i];
    }
    return o;
}

#endif
