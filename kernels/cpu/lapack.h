/* lapack.h: the LAPACK routines torch.linalg runs on the CPU, called as
 * PyTorch 1.13 calls them (aten/src/ATen/native/BatchLinearAlgebra.cpp),
 * through the reference LAPACK that Debian's PyTorch links
 * (liblapack.so.3), so the bits agree with the oracle.
 *
 * One matrix per call, column-major, float32 or float64 (dt); the caller
 * owns every buffer, workspaces included: these allocate nothing and raise
 * nothing. Each returns LAPACK's INFO (0: success; > 0: the routine's
 * numerical failure, e.g. getrf's zero pivot U(info, info)). */
#ifndef TSR_LAPACK_H
#define TSR_LAPACK_H

#include <stdint.h>

#include "dtype.h"

/* LU with partial pivoting of the m x n matrix a (lda >= max(1, m)); ipiv
 * gets min(m, n) 1-based row interchanges. */
int kernel_getrf(DType dt, int m, int n, void *a, int lda, int *ipiv);
/* Solves op(A) X = B with getrf's factors; trans 'N' or 'T'. b is n x nrhs. */
int kernel_getrs(DType dt, char trans, int n, int nrhs, const void *a, int lda, const int *ipiv, void *b,
                 int ldb);
/* Cholesky factor of the n x n matrix a in its uplo ('L' or 'U') triangle;
 * info > 0: the leading minor of that order is not positive-definite. */
int kernel_potrf(DType dt, char uplo, int n, void *a, int lda);
/* BLAS's triangular solve, as ATen's linalg.solve_triangular calls it:
 * op(A) X = B (side 'L') or X op(A) = B ('R'), X over b (m x n); uplo
 * 'U'/'L', trans 'N'/'T', diag 'N'/'U' (unit diagonal). */
void kernel_trsm(DType dt, char side, char uplo, char trans, char diag, int m, int n, const void *a, int lda,
                 void *b, int ldb);

#endif
