/* lapack_eig.h: reference LAPACK's general (non-symmetric) eigensolver
 * geev, as numpy.linalg's eig and eigvals call it (umath_linalg: float64,
 * jobvl 'N', the workspace size from LAPACK's query). The caller owns
 * every buffer; these allocate nothing and raise nothing. */
#ifndef TSR_LAPACK_EIG_H
#define TSR_LAPACK_EIG_H

/* Eigenvalues wr + i wi of the n x n column-major matrix a (destroyed);
 * jobvr 'V' also gives the right eigenvectors in vr (n x n, ldvr >= n;
 * a conjugate pair's vectors as the real and imaginary parts in two
 * columns), 'N' leaves vr alone (ldvr 1). Returns LAPACK's INFO: > 0
 * when the QR algorithm did not converge. */
int kernel_geev(char jobvr, int n, double *a, int lda, double *wr, double *wi, double *vr, int ldvr, double *work,
                int lwork);
/* The workspace query's size (at least 1) */
int kernel_geev_lwork(char jobvr, int n, int lda, int ldvr);

#endif
