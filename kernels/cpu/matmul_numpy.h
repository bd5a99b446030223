/* matmul_numpy.h: numpy 1.24's complex matmul loop (numpy/core/src/umath/
 * matmul.c.src, CFLOAT/CDOUBLE_matmul) and dot (arraytypes.c.src's
 * CFLOAT/CDOUBLE_dot) over the same BLIS numpy's BLAS is on the oracle's
 * machine: per product the case numpy picks from its core dimensions and
 * strides (zgemm, zsyrk for a matrix times its own transpose, zgemv,
 * zdotu_sub, or its own loop), so the results are numpy's bits. Strides
 * are in elements; dt is complex64 or complex128. No allocation. */
#ifndef TSR_KERNEL_MATMUL_NUMPY_H
#define TSR_KERNEL_MATMUL_NUMPY_H

#include <stdint.h>

#include "dtype.h"

/* one core product: out (dm x dp, strides os_m, os_p) = a (dm x dn,
 * is1_m, is1_n) @ b (dn x dp, is2_n, is2_p); a missing (1-D) core dim
 * has size 1 and stride 0 */
void kernel_np_matmul_core(DType dt, const void *a, int64_t is1_m, int64_t is1_n, const void *b, int64_t is2_n,
                           int64_t is2_p, void *out, int64_t os_m, int64_t os_p, int64_t dm, int64_t dn,
                           int64_t dp);
/* CDOUBLE_dot: *out = sum a[i] b[i] over n (zdotu_sub for positive
 * strides, summed in double; numpy's loop otherwise) */
void kernel_np_dot(DType dt, const void *a, int64_t is1, const void *b, int64_t is2, void *out, int64_t n);

#endif
