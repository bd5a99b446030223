/* kernels.h: the plain-C interface of the elementwise kernels. The op layer
 * checks shapes and dtypes, converts inputs to the compute dtype, allocates
 * the output and builds a TsrIter; a kernel only loops (no allocation, no
 * errors raised: problems come back as a status). A CUDA backend implements
 * the same functions. */
#ifndef TSR_KERNELS_H
#define TSR_KERNELS_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"
#include "iter.h"
#include "elementwise_ops.h"

typedef enum {
    KERNEL_OK = 0,
    KERNEL_UNSUPPORTED,       /* no loop for this op and dtype */
    KERNEL_ZERO_DIVISION,     /* integer division or remainder by zero */
    KERNEL_INDEX_OUT_OF_RANGE /* an index outside its dim: the kernel says which */
} KernelStatus;

/* The most dims a kernel's walk takes (runtime/tensor's TSR_MAX_DIMS). */
#define KERNEL_MAX_DIMS 25

/* Operands: 0 out, 1 a, 2 b. a and b have dtype dt; out has dtype dt, or
 * bool for comparisons and logical ops. */
KernelStatus kernel_binary(BinaryOp op, DType dt, const TsrIter *it);
/* Operands: 0 out, 1 a. a has dtype dt; out has dt, or bool for
 * predicates and logical_not. */
KernelStatus kernel_unary(UnaryOp op, DType dt, const TsrIter *it);
/* Operands: 0 out, 1 src; converts between any two dtypes. */
KernelStatus kernel_cast(DType out_dt, DType in_dt, const TsrIter *it);
/* Operands: 0 out, 1 cond (bool), 2 a, 3 b; a, b and out have elements of
 * elem_size bytes (the same dtype). */
KernelStatus kernel_where(size_t elem_size, const TsrIter *it);
/* Operands: 0 out, 1 a, 2 b, 3 c, all of dtype dt (float32 or float64):
 * out = fma(a, b, c), rounded once, as PyTorch's CPU build contracts
 * `c + a * b` (add with alpha, addcmul). */
KernelStatus kernel_fma(DType dt, const TsrIter *it);
/* pow(base, exponent) into it's output, with a Python number's exponent
 * (ATen's Scalar: a double; bfloat16 rounds it to bfloat16); float32,
 * float64, bfloat16; KERNEL_UNSUPPORTED where ATen's vectorised kernel is
 * not mirrored (the caller runs kernel_binary). */
KernelStatus kernel_pow_scalar(DType dt, const TsrIter *it, double exponent);
/* Softmax over the middle dim of a contiguous [outer, n, inner] block of
 * dtype dt (float32, float64 or bfloat16) into out of the same layout;
 * lastdim: the dim is the tensor's last (ATen's last-dim kernels; a dim
 * followed only by size-1 dims has inner 1 but takes the other ones). */
KernelStatus kernel_softmax(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                            int64_t inner, bool lastdim, bool log);
/* Its backward: out = _softmax_backward_data(g, y) (log:
 * _log_softmax_backward_data), y the forward's result, all of that layout,
 * by ATen's vectorised kernels; KERNEL_UNSUPPORTED where there are none
 * (other dtypes, the default CPU capability). */
KernelStatus kernel_softmax_backward(DType dt, const char *g, const char *y, char *out, int64_t outer,
                                     int64_t n, int64_t inner, bool lastdim, bool log);

#endif
