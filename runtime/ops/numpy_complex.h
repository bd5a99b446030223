/* numpy_complex.h: numpy 1.24's complex arithmetic loops
 * (numpy/core/src/umath/loops.c.src) where their bits differ from
 * c10::complex's: add and subtract part by part, divide by Smith's
 * method, multiply as (ac - bd, ad + bc); and add.reduce of complex
 * arrays in numpy's order (its pairwise sum over interleaved parts). The
 * floating-point flags the loops raise stay raised for numpy's error
 * handling. */
#ifndef TSR_OPS_NUMPY_COMPLEX_H
#define TSR_OPS_NUMPY_COMPLEX_H

#include <stdbool.h>
#include <stdint.h>

#include "tensor.h"

/* a op b for op BIN_ADD, BIN_SUB, BIN_MUL, BIN_DIV, BIN_POW (nc_pow),
 * BIN_MAXIMUM or BIN_MINIMUM (numpy's lexicographic CGE/CLE, a nan in a
 * kept, else b's nan taken): a and b of one
 * complex dtype on the CPU, broadcast together (the caller checked) */
Tensor *op_np_complex_binary(int op, Tensor *a, Tensor *b);
/* _mean's division of a complex sum x by the count n, in place: an array
 * by numpy's division by n + 0j in its dtype; a 0-dim complex64 x (a
 * numpy scalar, divided by a Python int) in complex128, cast back */
void op_np_complex_divide_count(Tensor *x, int64_t n);
/* numpy's complex ufunc `name` (exp, log, log2, log10, sqrt, sin, cos,
 * tan, sinh, cosh, tanh, arcsin, arccos, arctan, arcsinh, arccosh,
 * arctanh, exp2, reciprocal, sign) of a complex t on the CPU, over the C
 * library's complex functions as numpy's npy_c* are on Linux */
bool np_complex_unary_has(const char *name);
Tensor *op_np_complex_unary(const char *name, Tensor *t);
/* multiply.reduce over dims of a complex t: (1 + 0j) times each element
 * in turn, in C order, with numpy's fused multiply-adds; add.accumulate / multiply.accumulate (mul) along
 * dim: the first element, then the running sum or product (complex128's
 * product with the reduce's fused multiply-adds) */
Tensor *op_np_complex_prod(Tensor *t, int nd, const int64_t *dims, bool keep);
Tensor *op_np_complex_accumulate(Tensor *t, int64_t dim, bool mul);
/* max/min (want_index false) or argmax/argmin over dims of a complex t
 * in numpy's lexicographic order: the first nan-holding element, else the
 * first extreme (CDOUBLE_argmax, and maximum.reduce's CGE); indices count
 * in C order over the reduced dims. t has no zero-length reduced dim. */
Tensor *op_np_complex_argext(Tensor *t, int nd, const int64_t *dims, bool keep, bool is_max, bool want_index);
/* sort and argsort of a complex t along dim in numpy's order (npysort's
 * CLT: lexicographic, the nan-holding last), stable; false with an error
 * raised */
bool op_np_complex_sort(Tensor *t, int64_t dim, Tensor **vals, Tensor **idx);
/* np.matmul of complex a and b (one dtype, each at least 1-D) as numpy's
 * gufunc runs it over their strides (numpy_complex_matmul.c): numpy's
 * errors for a core mismatch and for batch dims that do not broadcast */
Tensor *op_np_complex_matmul(Tensor *a, Tensor *b);

#endif
