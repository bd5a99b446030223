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
void spotrs_(const char *uplo, const int *n, const int *nrhs, const float *a, const int *lda, float *b,
             const int *ldb, int *info, size_t);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda, double *b,
             const int *ldb, int *info, size_t);
void spotri_(const char *uplo, const int *n, float *a, const int *lda, int *info, size_t);
void ssytrf_(const char *uplo, const int *n, float *a, const int *lda, int *ipiv, float *work, const int *lwork,
             int *info, size_t);
void dsytrf_(const char *uplo, const int *n, double *a, const int *lda, int *ipiv, double *work, const int *lwork,
             int *info, size_t);
void ssytrs_(const char *uplo, const int *n, const int *nrhs, const float *a, const int *lda, const int *ipiv,
             float *b, const int *ldb, int *info, size_t);
void dsytrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda, const int *ipiv,
             double *b, const int *ldb, int *info, size_t);
void dpotri_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t);
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

int kernel_potrs(DType dt, char uplo, int n, int nrhs, const void *a, int lda, void *b, int ldb) {
    int info = 0;
    if (dt == DT_FLOAT64) dpotrs_(&uplo, &n, &nrhs, a, &lda, b, &ldb, &info, 1);
    else spotrs_(&uplo, &n, &nrhs, a, &lda, b, &ldb, &info, 1);
    return info;
}

int kernel_potri(DType dt, char uplo, int n, void *a, int lda) {
    int info = 0;
    if (dt == DT_FLOAT64) dpotri_(&uplo, &n, a, &lda, &info, 1);
    else spotri_(&uplo, &n, a, &lda, &info, 1);
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

/* ---- QR, symmetric eigenvalues, SVD */

void sgeqrf_(const int *m, const int *n, float *a, const int *lda, float *tau, float *work, const int *lwork,
             int *info);
void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau, double *work, const int *lwork,
             int *info);
void sorgqr_(const int *m, const int *n, const int *k, float *a, const int *lda, const float *tau, float *work,
             const int *lwork, int *info);
void dorgqr_(const int *m, const int *n, const int *k, double *a, const int *lda, const double *tau, double *work,
             const int *lwork, int *info);
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w, float *work,
             const int *lwork, int *iwork, const int *liwork, int *info, size_t, size_t);
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
             const int *lwork, int *iwork, const int *liwork, int *info, size_t, size_t);
void ssyev_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w, float *work,
            const int *lwork, int *info, size_t, size_t);
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
            const int *lwork, int *info, size_t, size_t);
void sgesdd_(const char *jobz, const int *m, const int *n, float *a, const int *lda, float *s, float *u,
             const int *ldu, float *vt, const int *ldvt, float *work, const int *lwork, int *iwork, int *info,
             size_t);
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s, double *u,
             const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork, int *iwork, int *info,
             size_t);

void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb,
             double *s, const double *rcond, int *rank, double *work, const int *lwork, int *iwork, int *info);

/* A workspace query's answer (work[0]) as ATen reads it: at least 1 */
static int work_size(DType dt, const void *w) {
    double v = dt == DT_FLOAT64 ? *(const double *)w : (double)*(const float *)w;
    return v < 1 ? 1 : (int)v;
}

int kernel_geqrf(DType dt, int m, int n, void *a, int lda, void *tau, void *work, int lwork) {
    int info = 0;
    if (dt == DT_FLOAT64) dgeqrf_(&m, &n, a, &lda, tau, work, &lwork, &info);
    else sgeqrf_(&m, &n, a, &lda, tau, work, &lwork, &info);
    return info;
}

int kernel_geqrf_lwork(DType dt, int m, int n, int lda) {
    double w = 0, a = 0, tau = 0;
    float wf = 0, af = 0, tauf = 0;
    int lwork = -1, info = 0;
    if (dt == DT_FLOAT64) dgeqrf_(&m, &n, &a, &lda, &tau, &w, &lwork, &info);
    else sgeqrf_(&m, &n, &af, &lda, &tauf, &wf, &lwork, &info);
    return dt == DT_FLOAT64 ? work_size(dt, &w) : work_size(dt, &wf);
}

int kernel_orgqr(DType dt, int m, int n, int k, void *a, int lda, const void *tau, void *work, int lwork) {
    int info = 0;
    if (dt == DT_FLOAT64) dorgqr_(&m, &n, &k, a, &lda, tau, work, &lwork, &info);
    else sorgqr_(&m, &n, &k, a, &lda, tau, work, &lwork, &info);
    return info;
}

int kernel_orgqr_lwork(DType dt, int m, int n, int k, int lda) {
    double w = 0, a = 0, tau = 0;
    float wf = 0, af = 0, tauf = 0;
    int lwork = -1, info = 0;
    if (dt == DT_FLOAT64) dorgqr_(&m, &n, &k, &a, &lda, &tau, &w, &lwork, &info);
    else sorgqr_(&m, &n, &k, &af, &lda, &tauf, &wf, &lwork, &info);
    return dt == DT_FLOAT64 ? work_size(dt, &w) : work_size(dt, &wf);
}

int kernel_syevd(DType dt, char jobz, char uplo, int n, void *a, int lda, void *w, void *work, int lwork, int *iwork,
                 int liwork) {
    int info = 0;
    if (dt == DT_FLOAT64) dsyevd_(&jobz, &uplo, &n, a, &lda, w, work, &lwork, iwork, &liwork, &info, 1, 1);
    else ssyevd_(&jobz, &uplo, &n, a, &lda, w, work, &lwork, iwork, &liwork, &info, 1, 1);
    return info;
}

void kernel_syevd_lwork(DType dt, char jobz, char uplo, int n, int lda, int *lwork, int *liwork) {
    double wk = 0, a = 0, w = 0;
    float wkf = 0, af = 0, wf = 0;
    int q = -1, iw = 0, info = 0;
    if (dt == DT_FLOAT64) dsyevd_(&jobz, &uplo, &n, &a, &lda, &w, &wk, &q, &iw, &q, &info, 1, 1);
    else ssyevd_(&jobz, &uplo, &n, &af, &lda, &wf, &wkf, &q, &iw, &q, &info, 1, 1);
    *lwork = dt == DT_FLOAT64 ? work_size(dt, &wk) : work_size(dt, &wkf);
    *liwork = iw < 1 ? 1 : iw;
}

int kernel_syev(DType dt, char jobz, char uplo, int n, void *a, int lda, void *w, void *work, int lwork) {
    int info = 0;
    if (dt == DT_FLOAT64) dsyev_(&jobz, &uplo, &n, a, &lda, w, work, &lwork, &info, 1, 1);
    else ssyev_(&jobz, &uplo, &n, a, &lda, w, work, &lwork, &info, 1, 1);
    return info;
}

int kernel_syev_lwork(DType dt, char jobz, char uplo, int n, int lda) {
    double wk = 0, a = 0, w = 0;
    float wkf = 0, af = 0, wf = 0;
    int q = -1, info = 0;
    if (dt == DT_FLOAT64) dsyev_(&jobz, &uplo, &n, &a, &lda, &w, &wk, &q, &info, 1, 1);
    else ssyev_(&jobz, &uplo, &n, &af, &lda, &wf, &wkf, &q, &info, 1, 1);
    return dt == DT_FLOAT64 ? work_size(dt, &wk) : work_size(dt, &wkf);
}

int kernel_gesdd(DType dt, char jobz, int m, int n, void *a, int lda, void *s, void *u, int ldu, void *vt, int ldvt,
                 void *work, int lwork, int *iwork) {
    int info = 0;
    if (dt == DT_FLOAT64) dgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info, 1);
    else sgesdd_(&jobz, &m, &n, a, &lda, s, u, &ldu, vt, &ldvt, work, &lwork, iwork, &info, 1);
    return info;
}

int kernel_gesdd_lwork(DType dt, char jobz, int m, int n, int lda, int ldu, int ldvt) {
    double wk = 0, a = 0, s = 0, u = 0, vt = 0;
    float wkf = 0, af = 0, sf = 0, uf = 0, vtf = 0;
    int q = -1, iw = 0, info = 0;
    if (dt == DT_FLOAT64) dgesdd_(&jobz, &m, &n, &a, &lda, &s, &u, &ldu, &vt, &ldvt, &wk, &q, &iw, &info, 1);
    else sgesdd_(&jobz, &m, &n, &af, &lda, &sf, &uf, &ldu, &vtf, &ldvt, &wkf, &q, &iw, &info, 1);
    return dt == DT_FLOAT64 ? work_size(dt, &wk) : work_size(dt, &wkf);
}

int kernel_gelsd(int m, int n, int nrhs, double *a, int lda, double *b, int ldb, double *s, double rcond, int *rank,
                 double *work, int lwork, int *iwork) {
    int info = 0;
    dgelsd_(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, rank, work, &lwork, iwork, &info);
    return info;
}

void kernel_gelsd_lwork(int m, int n, int nrhs, int lda, int ldb, int *lwork, int *liwork) {
    double wk = 0, a = 0, b = 0, s = 0, rcond = -1;
    int q = -1, iw = 0, rank = 0, info = 0;
    dgelsd_(&m, &n, &nrhs, &a, &lda, &b, &ldb, &s, &rcond, &rank, &wk, &q, &iw, &info);
    *lwork = (int)wk; /* numpy's umath_linalg reads it as it is */
    *liwork = iw;
}

void sormqr_(const char *side, const char *trans, const int *m, const int *n, const int *k, const float *a,
             const int *lda, const float *tau, float *c, const int *ldc, float *work, const int *lwork, int *info,
             size_t, size_t);
void dormqr_(const char *side, const char *trans, const int *m, const int *n, const int *k, const double *a,
             const int *lda, const double *tau, double *c, const int *ldc, double *work, const int *lwork, int *info,
             size_t, size_t);

int kernel_ormqr(DType dt, char side, char trans, int m, int n, int k, const void *a, int lda, const void *tau,
                 void *c, int ldc, void *work, int lwork) {
    int info = 0;
    if (dt == DT_FLOAT64) dormqr_(&side, &trans, &m, &n, &k, a, &lda, tau, c, &ldc, work, &lwork, &info, 1, 1);
    else sormqr_(&side, &trans, &m, &n, &k, a, &lda, tau, c, &ldc, work, &lwork, &info, 1, 1);
    return info;
}

int kernel_ormqr_lwork(DType dt, char side, char trans, int m, int n, int k, int lda, int ldc) {
    double w = 0, a = 0, tau = 0, c = 0;
    float wf = 0, af = 0, tauf = 0, cf = 0;
    int lwork = -1, info = 0;
    if (dt == DT_FLOAT64) dormqr_(&side, &trans, &m, &n, &k, &a, &lda, &tau, &c, &ldc, &w, &lwork, &info, 1, 1);
    else sormqr_(&side, &trans, &m, &n, &k, &af, &lda, &tauf, &cf, &ldc, &wf, &lwork, &info, 1, 1);
    return dt == DT_FLOAT64 ? work_size(dt, &w) : work_size(dt, &wf);
}

int kernel_sytrf(DType dt, char uplo, int n, void *a, int lda, int *ipiv, void *work, int lwork) {
    int info = 0;
    if (dt == DT_FLOAT64) dsytrf_(&uplo, &n, a, &lda, ipiv, work, &lwork, &info, 1);
    else ssytrf_(&uplo, &n, a, &lda, ipiv, work, &lwork, &info, 1);
    return info;
}

int kernel_sytrf_lwork(DType dt, char uplo, int n, int lda) {
    double w = 0, a = 0;
    float wf = 0, af = 0;
    int lwork = -1, info = 0, ipiv = 0;
    if (dt == DT_FLOAT64) dsytrf_(&uplo, &n, &a, &lda, &ipiv, &w, &lwork, &info, 1);
    else ssytrf_(&uplo, &n, &af, &lda, &ipiv, &wf, &lwork, &info, 1);
    return dt == DT_FLOAT64 ? work_size(dt, &w) : work_size(dt, &wf);
}

int kernel_sytrs(DType dt, char uplo, int n, int nrhs, const void *a, int lda, const int *ipiv, void *b, int ldb) {
    int info = 0;
    if (dt == DT_FLOAT64) dsytrs_(&uplo, &n, &nrhs, a, &lda, ipiv, b, &ldb, &info, 1);
    else ssytrs_(&uplo, &n, &nrhs, a, &lda, ipiv, b, &ldb, &info, 1);
    return info;
}
