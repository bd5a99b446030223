/* scan.h: scans along a dim that have no device table entry yet
 * (logcumsumexp); the op layer calls them on host-visible data (a CUDA
 * tensor's managed memory after device_wait). Lines as in lines.h. */
#ifndef TSR_KERNEL_SCAN_H
#define TSR_KERNEL_SCAN_H

#include <stdint.h>

#include "kernels.h"

/* logcumsumexp along d of a floating dt (float32/float64 accumulate in
 * double, bfloat16 in float, as ATen's acc_type on the CPU): each step is
 * ATen's _log_add_exp_helper(x, acc), starting from -inf. */
KernelStatus kernel_logcumsumexp(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                                 const int64_t *in_stride, char *out, const int64_t *out_stride);

#endif
