/* lapack_lstsq.h: reference LAPACK's least-squares drivers as
 * torch.linalg.lstsq calls them on the CPU (ATen's apply_lstsq,
 * BatchLinearAlgebraKernel.cpp): one m x n matrix a (lda >= max(1, m))
 * and its right-hand sides b (ldb >= max(1, m, n), nrhs columns), both
 * column-major, float32 or float64, overwritten (b's first n rows get the
 * solution). The caller owns every buffer; these allocate nothing and
 * raise nothing, and return LAPACK's INFO. */
#ifndef TSR_LAPACK_LSTSQ_H
#define TSR_LAPACK_LSTSQ_H

#include "dtype.h"

typedef enum { LSTSQ_GELS, LSTSQ_GELSY, LSTSQ_GELSD, LSTSQ_GELSS } LstsqDriver;

/* One call of the driver: jpvt (gelsy: n ints, its column pivots on entry
 * and exit), s (gelsd, gelss: min(m, n) singular values), rank (every
 * driver but gels), iwork (gelsd); rcond in dt's precision. */
int kernel_lstsq(LstsqDriver d, DType dt, int m, int n, int nrhs, void *a, int lda, void *b, int ldb, int *jpvt,
                 double rcond, int *rank, void *s, void *work, int lwork, int *iwork);
/* The workspace query (lwork = -1) as ATen reads it: *lwork at least 1,
 * *liwork (gelsd's iwork) at least 1 */
void kernel_lstsq_lwork(LstsqDriver d, DType dt, int m, int n, int nrhs, int lda, int ldb, double rcond, int *lwork,
                        int *liwork);

#endif
