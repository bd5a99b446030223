/* lapack_eig.c: lapack_eig.h's wrapper over dgeev (gfortran's hidden
 * length arguments after the others). */
#include <stddef.h>

#include "lapack_eig.h"

void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda, double *wr, double *wi,
            double *vl, const int *ldvl, double *vr, const int *ldvr, double *work, const int *lwork, int *info,
            size_t, size_t);

int kernel_geev(char jobvr, int n, double *a, int lda, double *wr, double *wi, double *vr, int ldvr, double *work,
                int lwork) {
    int info = 0, ldvl = 1;
    double vl = 0;
    char jobvl = 'N';
    dgeev_(&jobvl, &jobvr, &n, a, &lda, wr, wi, &vl, &ldvl, vr, &ldvr, work, &lwork, &info, 1, 1);
    return info;
}

int kernel_geev_lwork(char jobvr, int n, int lda, int ldvr) {
    int info = 0, ldvl = 1, q = -1;
    double a = 0, wr = 0, wi = 0, vl = 0, vr = 0, wk = 0;
    char jobvl = 'N';
    dgeev_(&jobvl, &jobvr, &n, &a, &lda, &wr, &wi, &vl, &ldvl, &vr, &ldvr, &wk, &q, &info, 1, 1);
    int lw = (int)wk;
    return lw > 0 ? lw : 1;
}
