/* lapack_lstsq.c: lapack_lstsq.h's wrappers over gels, gelsy, gelsd and
 * gelss (gfortran's hidden length argument after gels's TRANS). */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "lapack_lstsq.h"

void sgels_(const char *trans, const int *m, const int *n, const int *nrhs, float *a, const int *lda, float *b,
            const int *ldb, float *work, const int *lwork, int *info, size_t);
void dgels_(const char *trans, const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b,
            const int *ldb, double *work, const int *lwork, int *info, size_t);
void sgelsy_(const int *m, const int *n, const int *nrhs, float *a, const int *lda, float *b, const int *ldb,
             int *jpvt, const float *rcond, int *rank, float *work, const int *lwork, int *info);
void dgelsy_(const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb,
             int *jpvt, const double *rcond, int *rank, double *work, const int *lwork, int *info);
void sgelsd_(const int *m, const int *n, const int *nrhs, float *a, const int *lda, float *b, const int *ldb,
             float *s, const float *rcond, int *rank, float *work, const int *lwork, int *iwork, int *info);
void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb,
             double *s, const double *rcond, int *rank, double *work, const int *lwork, int *iwork, int *info);
void sgelss_(const int *m, const int *n, const int *nrhs, float *a, const int *lda, float *b, const int *ldb,
             float *s, const float *rcond, int *rank, float *work, const int *lwork, int *info);
void dgelss_(const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb,
             double *s, const double *rcond, int *rank, double *work, const int *lwork, int *info);

int kernel_lstsq(LstsqDriver d, DType dt, int m, int n, int nrhs, void *a, int lda, void *b, int ldb, int *jpvt,
                 double rcond, int *rank, void *s, void *work, int lwork, int *iwork) {
    int info = 0;
    float rf = (float)rcond;
    bool dbl = dt == DT_FLOAT64;
    switch (d) {
    case LSTSQ_GELS:
        if (dbl) dgels_("N", &m, &n, &nrhs, a, &lda, b, &ldb, work, &lwork, &info, 1);
        else sgels_("N", &m, &n, &nrhs, a, &lda, b, &ldb, work, &lwork, &info, 1);
        break;
    case LSTSQ_GELSY:
        if (dbl) dgelsy_(&m, &n, &nrhs, a, &lda, b, &ldb, jpvt, &rcond, rank, work, &lwork, &info);
        else sgelsy_(&m, &n, &nrhs, a, &lda, b, &ldb, jpvt, &rf, rank, work, &lwork, &info);
        break;
    case LSTSQ_GELSD:
        if (dbl) dgelsd_(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, rank, work, &lwork, iwork, &info);
        else sgelsd_(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rf, rank, work, &lwork, iwork, &info);
        break;
    case LSTSQ_GELSS:
        if (dbl) dgelss_(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rcond, rank, work, &lwork, &info);
        else sgelss_(&m, &n, &nrhs, a, &lda, b, &ldb, s, &rf, rank, work, &lwork, &info);
        break;
    }
    return info;
}

void kernel_lstsq_lwork(LstsqDriver d, DType dt, int m, int n, int nrhs, int lda, int ldb, double rcond, int *lwork,
                        int *liwork) {
    double w[2] = {0, 0}, a = 0, b = 0, s = 0;
    int jpvt = 0, rank = 0, iw = 0;
    kernel_lstsq(d, dt, m, n, nrhs, &a, lda, &b, ldb, &jpvt, rcond, &rank, &s, w, -1, &iw);
    float f;
    memcpy(&f, w, sizeof f);
    double v = dt == DT_FLOAT64 ? w[0] : (double)f;
    *lwork = v < 1 ? 1 : (int)v;
    *liwork = iw < 1 ? 1 : iw;
}
