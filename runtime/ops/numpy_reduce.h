/* numpy_reduce.h: numpy's float reductions in numpy's summation order
 * (kernels/cpu/numpy_sum.h), for the np.* functions and ndarray methods:
 * sum, mean, var and std of float32/float64 arrays give numpy's bits. */
#ifndef TSR_OPS_NUMPY_REDUCE_H
#define TSR_OPS_NUMPY_REDUCE_H

#include <stdbool.h>
#include <stdint.h>

#include "tensor.h"

/* Does t take numpy's float path (a float32/float64 tensor on the CPU)? */
bool np_reduce_handles(const Tensor *t);
/* add.reduce over dims (nd of them, normalized, distinct); complex
 * tensors too (np_reduce_handles does not say so), and op_np_mean and
 * op_np_var over them */
Tensor *op_np_sum(Tensor *t, int nd, const int64_t *dims, bool keep);
/* _mean: the sum divided by the count in t's dtype */
Tensor *op_np_mean(Tensor *t, int nd, const int64_t *dims, bool keep);
/* _var / _std: mean with keepdims, squared deviations summed, divided by
 * count - ddof (which the caller checked is positive); a complex t's
 * squared deviations are re * re + im * im, its result real */
Tensor *op_np_var(Tensor *t, int nd, const int64_t *dims, int64_t ddof, bool keep, bool take_sqrt);

#endif
