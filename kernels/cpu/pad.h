/* pad.h: reflection and replication padding of the last 1-3 dims
 * (ATen's reflection_padNd / replication_padNd CPU loops) and their
 * backward, over `planes` contiguous blocks. Pads may be negative (they
 * crop). The op layer (runtime/ops/pad.c) checks sizes and allocates. */
#ifndef TSR_KERNEL_PAD_H
#define TSR_KERNEL_PAD_H

#include <stdint.h>

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { PAD_REFLECT, PAD_REPLICATE } PadMode;

typedef struct {
    PadMode mode;
    int dims;           /* padded trailing dims, 1..3 */
    int64_t planes;     /* product of the leading dims */
    int64_t in[3], out[3], before[3]; /* per padded dim, outermost first */
} PadGeom;

/* out[p, o...] = in[p, source(o)...]; any dtype of es bytes */
KernelStatus kernel_pad(const PadGeom *g, size_t es, const void *in, void *out);
/* gin (zeroed) += the adjoint, visiting gout in row-major order per plane
 * as ATen does; float dtypes */
KernelStatus kernel_pad_backward(DType dt, const PadGeom *g, const void *gout, void *gin);

#ifdef __cplusplus
}
#endif

#endif
