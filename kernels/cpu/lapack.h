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
/* Solves A X = B from potrf's factor of A (its uplo triangle); b n x nrhs */
int kernel_potrs(DType dt, char uplo, int n, int nrhs, const void *a, int lda, void *b, int ldb);
/* A^{-1} from potrf's factor of A, into that triangle only (potri) */
int kernel_potri(DType dt, char uplo, int n, void *a, int lda);
/* Bunch-Kaufman LDL^T of the symmetric n x n matrix in a's uplo triangle
 * (sytrf; work holds lwork elements, sytrf_lwork the query's size):
 * ipiv gets LAPACK's 1-based pivots, negative for 2 x 2 blocks; info > 0:
 * D(info, info) is exactly zero. sytrs solves A X = B (b n x nrhs) from
 * those factors. */
int kernel_sytrf(DType dt, char uplo, int n, void *a, int lda, int *ipiv, void *work, int lwork);
int kernel_sytrf_lwork(DType dt, char uplo, int n, int lda);
int kernel_sytrs(DType dt, char uplo, int n, int nrhs, const void *a, int lda, const int *ipiv, void *b, int ldb);
/* BLAS's triangular solve, as ATen's linalg.solve_triangular calls it:
 * op(A) X = B (side 'L') or X op(A) = B ('R'), X over b (m x n); uplo
 * 'U'/'L', trans 'N'/'T', diag 'N'/'U' (unit diagonal). */
void kernel_trsm(DType dt, char side, char uplo, char trans, char diag, int m, int n, const void *a, int lda,
                 void *b, int ldb);

/* QR of the m x n matrix a as Householder reflectors (geqrf): R on and
 * above the diagonal, the reflectors below it, their scalars in tau
 * (min(m, n)); work holds lwork elements. geqrf_lwork: the size LAPACK's
 * workspace query asks for (lwork = -1), as ATen sizes it. */
int kernel_geqrf(DType dt, int m, int n, void *a, int lda, void *tau, void *work, int lwork);
int kernel_geqrf_lwork(DType dt, int m, int n, int lda);
/* The m x n matrix Q (m >= n >= k) of k reflectors over a (orgqr) */
int kernel_orgqr(DType dt, int m, int n, int k, void *a, int lda, const void *tau, void *work, int lwork);
int kernel_orgqr_lwork(DType dt, int m, int n, int k, int lda);
/* Eigenvalues w (ascending) of the symmetric n x n matrix in a's uplo
 * triangle by divide and conquer (syevd); jobz 'V' overwrites a with the
 * eigenvectors. The query gives lwork and liwork. */
int kernel_syevd(DType dt, char jobz, char uplo, int n, void *a, int lda, void *w, void *work, int lwork, int *iwork,
                 int liwork);
void kernel_syevd_lwork(DType dt, char jobz, char uplo, int n, int lda, int *lwork, int *liwork);
/* The same by QR iteration (syev, torch.symeig's routine) */
int kernel_syev(DType dt, char jobz, char uplo, int n, void *a, int lda, void *w, void *work, int lwork);
int kernel_syev_lwork(DType dt, char jobz, char uplo, int n, int lda);
/* SVD of the m x n matrix a (destroyed) by divide and conquer (gesdd):
 * s (min(m, n), descending); jobz 'N' (values only), 'S' (u m x k, vt
 * k x n) or 'A' (u m x m, vt n x n); iwork holds 8 min(m, n) ints. */
int kernel_gesdd(DType dt, char jobz, int m, int n, void *a, int lda, void *s, void *u, int ldu, void *vt, int ldvt,
                 void *work, int lwork, int *iwork);
int kernel_gesdd_lwork(DType dt, char jobz, int m, int n, int lda, int ldu, int ldvt);
/* Minimum-norm least squares of the m x n matrix a (destroyed) by SVD
 * divide and conquer (dgelsd, numpy.linalg.lstsq's routine): b (ldb >=
 * max(m, n), nrhs columns) turns into the solution in its first n rows; s
 * the min(m, n) singular values, *rank the effective rank below rcond.
 * float64 only. The workspace sizes come from kernel_gelsd_lwork. */
int kernel_gelsd(int m, int n, int nrhs, double *a, int lda, double *b, int ldb, double *s, double rcond, int *rank,
                 double *work, int lwork, int *iwork);
void kernel_gelsd_lwork(int m, int n, int nrhs, int lda, int ldb, int *lwork, int *liwork);

/* c (m x n) <- op(Q) c (side 'L') or c op(Q) ('R') for the Q of k
 * reflectors over a (ormqr); trans 'N' or 'T'. */
int kernel_ormqr(DType dt, char side, char trans, int m, int n, int k, const void *a, int lda, const void *tau,
                 void *c, int ldc, void *work, int lwork);
int kernel_ormqr_lwork(DType dt, char side, char trans, int m, int n, int k, int lda, int ldc);

#endif
