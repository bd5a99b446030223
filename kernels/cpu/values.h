/* values.h: the kernels that compute each element's value from its
 * position (arange, linspace, a strided fill for eye's diagonal, tril's
 * zeros) or from
 * the element alone (nan_to_num). PyTorch's CPU range kernels, including
 * how their vectorised loops round: chunks of two 256-bit vectors are
 * computed from a per-vector base, the remainder element by element, with
 * fused multiply-adds. The CPU loops are values.c; the CUDA twins,
 * kernels/cuda/values.cu, compute the same values, so a tensor prints
 * alike on both devices. */
#ifndef TSR_KERNEL_VALUES_H
#define TSR_KERNEL_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* n elements of arange: integer dtypes istart + istep * i (wrapping);
 * float dtypes fma(step, i, start), except that i < nvec (a multiple of
 * lanes) takes fma(step, i % lanes, base) with base = fma(step, i - i %
 * lanes, start), rounded to float unless float64 (the vectorised
 * chunks). */
KernelStatus kernel_arange(DType dt, char *data, int64_t n, double start, double step, int64_t istart,
                           int64_t istep, int64_t lanes, int64_t nvec);
/* steps (>= 2) elements of linspace: float32, float16 and bfloat16 in
 * float from fs, fe, fst, other dtypes in double from ds, de, dst; the
 * float types and float64 in vectorised chunks of `lanes` below nvec (a
 * chunk base plus lane * step, not fused, as Vectorized::arange). Element i < steps / 2 counts from the start, the others back from
 * the end. */
KernelStatus kernel_linspace(DType dt, char *data, int64_t steps, float fs, float fe, float fst, double ds,
                             double de, double dst, int64_t lanes, int64_t nvec);
/* data[i * stride] = the es bytes at value (host) for i < n. */
KernelStatus kernel_fill_strided(int es, char *data, int64_t n, int64_t stride, const void *value);
/* tril/triu in place: zeroes the elements (i, j) of each of the mats
 * contiguous rows x cols matrices of data outside the band, which keeps
 * j - i <= diagonal (tril) or j - i >= diagonal (upper: triu). */
KernelStatus kernel_tril(int es, char *data, int64_t mats, int64_t rows, int64_t cols, int64_t diagonal,
                         bool upper);
/* n contiguous float elements: NaN -> nan, +inf -> posinf, -inf -> neginf
 * (each converted to dt as dtype_store_f64 converts). */
KernelStatus kernel_nan_to_num(DType dt, char *data, int64_t n, double nan, double posinf, double neginf);

#ifdef __cplusplus
}
#endif

#endif
