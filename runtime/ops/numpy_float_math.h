/* numpy_float_math.h: numpy 1.24's float math ufuncs (sin, exp, log,
 * power, arctan2, ...) on float16/float32/float64 arrays, bit for bit as
 * numpy computes them on this CPU (kernels/cpu/np_math.h: its SVML loops
 * on AVX512_SKX, the C library elsewhere). torch's math (SLEEF) is
 * op_unary's; these are numpy's only. */
#ifndef TSR_OPS_NUMPY_FLOAT_MATH_H
#define TSR_OPS_NUMPY_FLOAT_MATH_H

#include <stdbool.h>

#include "tensor.h"

/* whether `name` (a numpy ufunc name: sin, arccos, ...) is one of these */
bool np_float_unary_has(const char *name);
/* numpy's ufunc `name` of t (float16, float32 or float64, on the CPU): a
 * new tensor of t's shape and dtype */
Tensor *op_np_float_unary(const char *name, Tensor *t);
/* numpy's `power`, `arctan2`, `hypot`, `logaddexp2` or `float_power`
 * (float64 only) of a and b, of one dtype (float16, float32 or float64)
 * on the CPU, broadcast together (the caller checked) */
Tensor *op_np_float_binary(const char *name, Tensor *a, Tensor *b);

#endif
