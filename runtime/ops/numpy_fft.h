/* numpy_fft.h: np.fft's execute (numpy/fft/_pocketfft.c's execute_complex,
 * execute_real_forward, execute_real_backward) over the transforms of
 * kernels/cpu/fft_numpy.c: each row along the last axis of a, in
 * float64/complex128 as numpy computes whatever the input's dtype. */
#ifndef TSR_OPS_NUMPY_FFT_H
#define TSR_OPS_NUMPY_FFT_H

#include <stdbool.h>

#include "tensor.h"

/* is_real false: a complex128 copy of a transformed (forward or backward)
 * along its last axis; is_real and forward: a (real; the caller cast
 * complex input as numpy does) read as float64, its rfft, the last axis
 * n / 2 + 1 long; is_real and backward: a read as complex128, the real
 * inverse of length n = a's last axis. Each result times fct. a has at
 * least one dimension. */
Tensor *op_np_fft_execute(Tensor *a, bool is_real, bool is_forward, double fct);

#endif
