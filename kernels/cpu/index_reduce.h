/* index_reduce.h: scatter_reduce's and index_reduce's loop (CPU; the op
 * runs it on the host for every device). Defined in index.c beside
 * gather/scatter, whose walk (IndexWalk) it shares. */
#ifndef TSR_KERNEL_INDEX_REDUCE_H
#define TSR_KERNEL_INDEX_REDUCE_H

#include "index.h"

/* scatter_reduce's reductions (mean accumulates as sum; the op divides). */
enum { SCATTER_SUM, SCATTER_PROD, SCATTER_MEAN, SCATTER_AMAX, SCATTER_AMIN };
/* self[w0 + index[w1] * dim_stride] = op(that, src[w2] or *value), in
 * row-major order of the walk; bounds as kernel_scatter's. */
KernelStatus kernel_scatter_reduce(DType dt, const IndexWalk *w, char *self, int64_t dim_stride, int64_t dim_size,
                                   const int64_t *index, const char *src, const void *value, int op, int64_t *bad);
#endif
