/* op_errors.h: error texts of PyTorch's that ops of several families raise
 * (private to runtime/ops/). */
#ifndef TSR_OP_ERRORS_H
#define TSR_OP_ERRORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtype.h"

/* PyTorch's error for a dtype its kernel has no loop for:
 * "\"kernel\" not implemented for 'Half'" (elementwise.c). */
void op_raise_not_implemented(const char *kernel, DType t);
/* PyTorch 1.13's CPU kernels that have no version for some dtypes: false
 * with op_raise_not_implemented's error for float16 (unless half_ok) and
 * bool (unless bool_ok) (elementwise.c). */
bool op_kernel_supports(const char *kernel, DType t, bool half_ok, bool bool_ok);
/* A shape as PyTorch's messages print it, "[2, 3]", into buf (cap bytes)
 * (shape.c). */
void op_shape_text(char *buf, size_t cap, int n, const int64_t *shape);

#endif
