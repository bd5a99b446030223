/* fft_bump.h: the workspace of the FFT kernels (fft.c, fft_numpy.c): a
 * plan carves its pieces in order, 64-byte aligned; base NULL only counts
 * the bytes (the pieces are NULL), which sizes the workspace. */
#ifndef TSR_KERNEL_FFT_BUMP_H
#define TSR_KERNEL_FFT_BUMP_H

#include <stddef.h>

typedef struct {
    char *base;
    size_t off;
} Bump;

static inline void *bump(Bump *b, size_t bytes) {
    b->off = (b->off + 63) & ~(size_t)63;
    void *p = b->base ? b->base + b->off : NULL;
    b->off += bytes;
    return p;
}

#endif
