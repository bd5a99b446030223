/* fft_numpy.h: np.fft's transforms on the CPU, a C port of the C pocketfft
 * numpy 1.24 runs (numpy/fft/_pocketfft.c): its own twiddles
 * (sincos_2pibyn from a polynomial sin/cos of pi x), factors (4s first,
 * a 2 swapped to the front), radix passes and Bluestein plan, always in
 * double, so the results are numpy's bits. Rows are contiguous; each of
 * nrep rows is one transform of length n. No allocation: the caller
 * passes a workspace of kernel_npfft_work_size bytes (0 when the length
 * has more factors than pocketfft's plan holds). */
#ifndef TSR_KERNEL_FFT_NUMPY_H
#define TSR_KERNEL_FFT_NUMPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* bytes of workspace a complex (real false) or real transform of length n
 * (n >= 1) needs */
size_t kernel_npfft_work_size(bool real, int64_t n);

/* execute_complex: data holds nrep rows of n complex128 (re, im pairs),
 * transformed in place, forward or backward, each result times fct */
void kernel_npfft_c2c(double *data, int64_t nrep, int64_t n, bool forward, double fct, void *work);
/* execute_real_forward: in nrep rows of n doubles, out nrep rows of
 * n / 2 + 1 complex128 */
void kernel_npfft_r2c(const double *in, double *out, int64_t nrep, int64_t n, double fct, void *work);
/* execute_real_backward: in nrep rows of n complex128 (only the first
 * n / 2 + 1 are read), out nrep rows of n doubles */
void kernel_npfft_c2r(const double *in, double *out, int64_t nrep, int64_t n, double fct, void *work);

#endif
