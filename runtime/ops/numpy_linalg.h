/* numpy_linalg.h: numpy.linalg's numerics as numpy 1.24's umath_linalg
 * computes them on LAPACK: getrf of A itself (a Fortran copy; ATen
 * factors A^T instead, so torch's bits differ), slogdet summing the logs
 * of U's diagonal in order, det = sign * exp(logdet), inv and solve as
 * gesv (getrf + getrs 'N'). numpy computes all of these in float64 (its
 * _commonType), so they take float64 tensors on the CPU; the pow takes
 * float32 too. */
#ifndef TSR_OPS_NUMPY_LINALG_H
#define TSR_OPS_NUMPY_LINALG_H

#include <stdbool.h>

#include "tensor.h"

/* A (..., m, m): sign and logdet of each matrix (0 and -inf when getrf
 * finds U singular) */
bool op_np_slogdet(Tensor *A, Tensor **sign, Tensor **logdet);
Tensor *op_np_det(Tensor *A);
/* X with A X = B, A (..., m, m), B (..., m, k), batch dims broadcast;
 * *singular (and NULL) when some A is singular */
Tensor *op_np_solve(Tensor *A, Tensor *B, bool *singular);
/* x ** p elementwise with C's pow (powf for float32), numpy's power */
Tensor *op_np_pow_scalar(Tensor *x, double p);
/* numpy.linalg.lstsq of A (m, n) and B (m, k), both float64 C-contiguous
 * on the CPU, as umath_linalg's lstsq: gelsd with the queried workspace;
 * X (n, k), S (min(m, n)), *rank, and resid (k) the squared norms of each
 * column's rows n..m of gelsd's B (summed in order; meaningful only when
 * m > n and the rank is n). False with an error: LinAlgError "SVD did not
 * converge in Linear Least Squares" when gelsd fails. */
bool op_np_lstsq(Tensor *A, Tensor *B, double rcond, Tensor **X, Tensor **resid, int64_t *rank, Tensor **S);
/* numpy.linalg.eig (vectors) and eigvals of A (..., n, n), float64, as
 * umath_linalg's eig: geev of each matrix (jobvl 'N'), eigenvalues W and
 * right eigenvectors V (columns) complex128; *real when every eigenvalue
 * of every matrix is real. False with LinAlgError "Eigenvalues did not
 * converge". */
bool op_np_eig(Tensor *A, bool vectors, Tensor **W, Tensor **V, bool *real);

#endif
