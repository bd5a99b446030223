/* fft.h: the discrete Fourier transforms of torch.fft on the CPU, a C port
 * of pocketfft's C++ algorithm (pocketfft_hdronly.h, as ATen's
 * mkl/SpectralOps.cpp calls it on a build without MKL), so the results are
 * PyTorch's bits. Contiguous operands seen as (outer, len, inner): each of
 * the outer * inner lines of length len is transformed along the middle
 * axis. No allocation: the caller passes a workspace of
 * kernel_fft_work_size bytes. */
#ifndef TSR_KERNEL_FFT_H
#define TSR_KERNEL_FFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { FFT_C2C, FFT_R2C, FFT_C2R } FftKind;

/* bytes of workspace one call of kind with lines of (real or complex)
 * length len needs, in float (dbl false) or double */
size_t kernel_fft_work_size(FftKind kind, bool dbl, int64_t len);

/* complex to complex: in and out (outer, len, inner) complex; in may be
 * out. forward: the sign of pocketfft's c2c; fct: the factor each result
 * is multiplied by (in the transform's type) */
void kernel_fft_c2c(bool dbl, const void *in, void *out, int64_t outer, int64_t len, int64_t inner, bool forward,
                    double fct, void *work);
/* real to complex, forward: in (outer, len, inner) real, out (outer,
 * len / 2 + 1, inner) complex (pocketfft's r2c with forward true) */
void kernel_fft_r2c(bool dbl, const void *in, void *out, int64_t outer, int64_t len, int64_t inner, double fct,
                    void *work);
/* complex to real, backward: in (outer, len / 2 + 1, inner) complex, out
 * (outer, len, inner) real (pocketfft's c2r with forward false) */
void kernel_fft_c2r(bool dbl, const void *in, void *out, int64_t outer, int64_t len, int64_t inner, double fct,
                    void *work);

/* pocketfft's plan choices, the same in its C version (np.fft,
 * fft_numpy.c): the smallest product of 2, 3, 5, 7 and 11 that is >= n;
 * whether a transform of length n (real or complex) runs Bluestein's
 * algorithm over one of kernel_fft_good_size(2 n - 1) rather than the
 * radix passes */
size_t kernel_fft_good_size(size_t n);
bool kernel_fft_use_bluestein(size_t length, bool real);

#endif
