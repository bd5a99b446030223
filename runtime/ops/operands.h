/* operands.h: what ops of several families do with their arguments and
 * temporaries: wrap dim lists, copy operands to the host or to a broadcast
 * shape, walk lines along a dim, release temporaries (private to
 * runtime/ops/). */
#ifndef TSR_OPERANDS_H
#define TSR_OPERANDS_H

#include "tensor.h"

/* Wraps nd dims against ndim into out; false with PyTorch's error
 * (shape.c). */
bool op_wrap_dims(int nd, const int64_t *dims, int ndim, int64_t *out);
/* Offset (elements) of line k along dim d of t, the lines in row-major
 * order of the other dims (reduce.c). */
void op_line_offset(const Tensor *t, int d, int64_t k, int64_t *off);
/* A contiguous host copy of t (t itself, retained, when it already is
 * one) (convert.c). */
Tensor *op_host_contig(Tensor *t);
/* A contiguous copy of t broadcast to shape, dtype and device kept
 * (convert.c). */
Tensor *op_expanded_copy(Tensor *t, int nd, const int64_t *shape);
/* Releases ts[0..n) (entries may be NULL) (convert.c). */
void op_release_all(Tensor **ts, int n);

#endif
