/* lapack.c: typed wrappers over reference LAPACK's Fortran entry points
 * (lapack.h). Character arguments carry gfortran's hidden length
 * arguments (size_t, after the others), as LAPACKE passes them. */
#include <stddef.h>

#include "lapack.h"

void sgetrf_(const int *m, const int *n, float *a, const int *lda, int *ipiv, int *info);
void dgetrf_(const int *m, const int *n, double *a, const int *lda, int *ipiv, int *info);
void sgetrs_(const char *trans, const int *n, const int *nrhs, const float *a, const int *lda, const int *ipiv,
             float *b, const int *ldb, int *info, size_t ltrans);
void dgetrs_(const char *trans, const int *n, const int *nrhs, const double *a, const int *lda, const int *ipiv,
             double *b, const int *ldb, int *info, size_t ltrans);
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info, size_t luplo);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t luplo);
void strsm_(const char *side, const char *uplo, const char *transa, const char *diag, const int *m, const int *n,
            const float *alpha, const float *a, const int *lda, float *b, const int *ldb, size_t, size_t, size_t,
            size_t);
void dtrsm_(const char *side, const char *uplo, const char *transa, const char *diag, const int *m, const int *n,
            const double *alpha, const double *a, const int *lda, double *b, const int *ldb, size_t, size_t, size_t,
            size_t);

int kernel_getrf(DType dt, int m, int n, void *a, int lda, int *ipiv) {
    int info = 0;
    if (dt == DT_FLOAT64) dgetrf_(&m, &n, a, &lda, ipiv, &info);
    else sgetrf_(&m, &n, a, &lda, ipiv, &info);
    return info;
}

int kernel_getrs(DType dt, char trans, int n, int nrhs, const void *a, int lda, const int *ipiv, void *b,
                 int ldb) {
    int info = 0;
    if (dt == DT_FLOAT64) dgetrs_(&trans, &n, &nrhs, a, &lda, ipiv, b, &ldb, &info, 1);
    else sgetrs_(&trans, &n, &nrhs, a, &lda, ipiv, b, &ldb, &info, 1);
    return info;
}

int kernel_potrf(DType dt, char uplo, int n, void *a, int lda) {
    int info = 0;
    if (dt == DT_FLOAT64) dpotrf_(&uplo, &n, a, &lda, &info, 1);
    else spotrf_(&uplo, &n, a, &lda, &info, 1);
    return info;
}

void kernel_trsm(DType dt, char side, char uplo, char trans, char diag, int m, int n, const void *a, int lda,
                 void *b, int ldb) {
    if (dt == DT_FLOAT64) {
        double one = 1.0;
        dtrsm_(&side, &uplo, &trans, &diag, &m, &n, &one, a, &lda, b, &ldb, 1, 1, 1, 1);
    } else {
        float one = 1.0f;
        strsm_(&side, &uplo, &trans, &diag, &m, &n, &one, a, &lda, b, &ldb, 1, 1, 1, 1);
    }
}
