/* matmul_numpy.c: numpy's complex matmul and dot (see the header). */
#include "matmul_numpy.h"

#include <blis.h>
#include <limits.h>
#include <stdbool.h>

#include "complex_ops.h"

#define BLAS_MAXSIZE (INT_MAX - 1)

/* is_blasable2d, strides in elements: the fast axis contiguous, the slow
 * one at least d2 apart */
static bool blasable2d(int64_t s1, int64_t s2, int64_t d1, int64_t d2)
{
    (void)d1;
    return s2 == 1 && s1 >= d2 && s1 <= BLAS_MAXSIZE;
}

static const dcomplex oneD = {1.0, 0.0}, zeroD = {0.0, 0.0};
static const scomplex oneF = {1.0f, 0.0f}, zeroF = {0.0f, 0.0f};

/* @TYPE@_gemv */
static void np_gemv(DType dt, const void *ip1, int64_t is1_m, int64_t is1_n, const void *ip2, int64_t is2_n,
                    void *op, int64_t op_m, int64_t m, int64_t n)
{
    enum CBLAS_ORDER order;
    f77_int lda;
    if (blasable2d(is1_m, is1_n, m, n)) {
        order = CblasColMajor;
        lda = (f77_int)is1_m;
    } else {
        order = CblasRowMajor;
        lda = (f77_int)is1_n;
    }
    if (dt == DT_COMPLEX128)
        cblas_zgemv(order, CblasTrans, (f77_int)n, (f77_int)m, &oneD, ip1, lda, ip2, (f77_int)is2_n, &zeroD, op,
                    (f77_int)op_m);
    else
        cblas_cgemv(order, CblasTrans, (f77_int)n, (f77_int)m, &oneF, ip1, lda, ip2, (f77_int)is2_n, &zeroF, op,
                    (f77_int)op_m);
}

/* @TYPE@_matmul_matrixmatrix: gemm, or syrk for a matrix times its own
 * transpose (the lower triangle copied from the upper) */
static void np_matrixmatrix(DType dt, const void *ip1, int64_t is1_m, int64_t is1_n, const void *ip2, int64_t is2_n,
                            int64_t is2_p, void *op, int64_t os_m, int64_t m, int64_t n, int64_t p)
{
    enum CBLAS_TRANSPOSE trans1, trans2;
    f77_int lda, ldb, ldc = (f77_int)os_m;
    if (blasable2d(is1_m, is1_n, m, n)) {
        trans1 = CblasNoTrans;
        lda = (f77_int)is1_m;
    } else {
        trans1 = CblasTrans;
        lda = (f77_int)is1_n;
    }
    if (blasable2d(is2_n, is2_p, n, p)) {
        trans2 = CblasNoTrans;
        ldb = (f77_int)is2_n;
    } else {
        trans2 = CblasTrans;
        ldb = (f77_int)is2_p;
    }
    bool dbl = dt == DT_COMPLEX128;
    size_t es = dbl ? sizeof(dcomplex) : sizeof(scomplex);
    if (ip1 == ip2 && m == p && is1_m == is2_p && is1_n == is2_n && trans1 != trans2) {
        f77_int ld = trans1 == CblasNoTrans ? lda : ldb;
        if (dbl)
            cblas_zsyrk(CblasRowMajor, CblasUpper, trans1, (f77_int)p, (f77_int)n, &oneD, ip1, ld, &zeroD, op, ldc);
        else
            cblas_csyrk(CblasRowMajor, CblasUpper, trans1, (f77_int)p, (f77_int)n, &oneF, ip1, ld, &zeroF, op, ldc);
        char *o = op;
        for (int64_t i = 0; i < p; i++)
            for (int64_t j = i + 1; j < p; j++)
                for (size_t b = 0; b < es; b++) o[(j * ldc + i) * es + b] = o[(i * ldc + j) * es + b];
    } else if (dbl) {
        cblas_zgemm(CblasRowMajor, trans1, trans2, (f77_int)m, (f77_int)p, (f77_int)n, &oneD, ip1, lda, ip2, ldb,
                    &zeroD, op, ldc);
    } else {
        cblas_cgemm(CblasRowMajor, trans1, trans2, (f77_int)m, (f77_int)p, (f77_int)n, &oneF, ip1, lda, ip2, ldb,
                    &zeroF, op, ldc);
    }
}

/* @TYPE@_matmul_inner_noblas */
#define NOBLAS(SUF, T)                                                                                         \
    static void noblas_##SUF(const T *ip1, int64_t is1_m, int64_t is1_n, const T *ip2, int64_t is2_n,         \
                             int64_t is2_p, T *op, int64_t os_m, int64_t os_p, int64_t dm, int64_t dn,       \
                             int64_t dp)                                                                     \
    {                                                                                                        \
        for (int64_t m = 0; m < dm; m++)                                                                     \
            for (int64_t p = 0; p < dp; p++) {                                                               \
                T *o = op + m * os_m + p * os_p;                                                             \
                o->re = 0;                                                                                   \
                o->im = 0;                                                                                   \
                for (int64_t n = 0; n < dn; n++) {                                                           \
                    T v1 = ip1[m * is1_m + n * is1_n], v2 = ip2[n * is2_n + p * is2_p];                      \
                    o->re += (v1.re * v2.re) - (v1.im * v2.im);                                              \
                    o->im += (v1.re * v2.im) + (v1.im * v2.re);                                              \
                }                                                                                            \
            }                                                                                                \
    }
NOBLAS(f64, tsr_cdouble)
NOBLAS(f32, tsr_cfloat)

static void noblas(DType dt, const void *ip1, int64_t is1_m, int64_t is1_n, const void *ip2, int64_t is2_n,
                   int64_t is2_p, void *op, int64_t os_m, int64_t os_p, int64_t dm, int64_t dn, int64_t dp)
{
    if (dt == DT_COMPLEX128) noblas_f64(ip1, is1_m, is1_n, ip2, is2_n, is2_p, op, os_m, os_p, dm, dn, dp);
    else noblas_f32(ip1, is1_m, is1_n, ip2, is2_n, is2_p, op, os_m, os_p, dm, dn, dp);
}

/* blas_stride: the stride in elements when BLAS can take it, else 0 */
static f77_int blas_stride(int64_t s) { return s > 0 && s <= INT_MAX ? (f77_int)s : 0; }

void kernel_np_dot(DType dt, const void *a, int64_t is1, const void *b, int64_t is2, void *out, int64_t n)
{
    f77_int s1 = blas_stride(is1), s2 = blas_stride(is2);
    if (s1 && s2) { /* NPY_CBLAS_CHUNK pieces, summed in double (n < 2^30 here: one) */
        double sum[2] = {0., 0.};
        const int64_t chunk_max = (int64_t)1 << 30;
        const char *p1 = a, *p2 = b;
        size_t es = dt == DT_COMPLEX128 ? sizeof(dcomplex) : sizeof(scomplex);
        while (n > 0) {
            int64_t chunk = n < chunk_max ? n : chunk_max;
            if (dt == DT_COMPLEX128) {
                dcomplex tmp;
                cblas_zdotu_sub((f77_int)chunk, p1, s1, p2, s2, &tmp);
                sum[0] += tmp.real;
                sum[1] += tmp.imag;
            } else {
                scomplex tmp;
                cblas_cdotu_sub((f77_int)chunk, p1, s1, p2, s2, &tmp);
                sum[0] += (double)tmp.real;
                sum[1] += (double)tmp.imag;
            }
            p1 += chunk * is1 * (int64_t)es;
            p2 += chunk * is2 * (int64_t)es;
            n -= chunk;
        }
        if (dt == DT_COMPLEX128) *(tsr_cdouble *)out = (tsr_cdouble){sum[0], sum[1]};
        else *(tsr_cfloat *)out = (tsr_cfloat){(float)sum[0], (float)sum[1]};
        return;
    }
    if (dt == DT_COMPLEX128) {
        const tsr_cdouble *x = a, *y = b;
        double sr = 0, si = 0;
        for (int64_t i = 0; i < n; i++) {
            tsr_cdouble u = x[i * is1], v = y[i * is2];
            sr += u.re * v.re - u.im * v.im;
            si += u.re * v.im + u.im * v.re;
        }
        *(tsr_cdouble *)out = (tsr_cdouble){sr, si};
    } else {
        const tsr_cfloat *x = a, *y = b;
        float sr = 0, si = 0;
        for (int64_t i = 0; i < n; i++) {
            tsr_cfloat u = x[i * is1], v = y[i * is2];
            sr += u.re * v.re - u.im * v.im;
            si += u.re * v.im + u.im * v.re;
        }
        *(tsr_cfloat *)out = (tsr_cfloat){sr, si};
    }
}

void kernel_np_matmul_core(DType dt, const void *ip1, int64_t is1_m, int64_t is1_n, const void *ip2, int64_t is2_n,
                           int64_t is2_p, void *op, int64_t os_m, int64_t os_p, int64_t dm, int64_t dn, int64_t dp)
{
    bool special_case = dm == 1 || dn == 1 || dp == 1;
    bool any_zero_dim = dm == 0 || dn == 0 || dp == 0;
    bool scalar_out = dm == 1 && dp == 1;
    bool scalar_vec = dn == 1 && (dp == 1 || dm == 1);
    bool too_big = dm > BLAS_MAXSIZE || dn > BLAS_MAXSIZE || dp > BLAS_MAXSIZE;
    bool i1_c = blasable2d(is1_m, is1_n, dm, dn), i2_c = blasable2d(is2_n, is2_p, dn, dp);
    bool i1_f = blasable2d(is1_n, is1_m, dn, dm), i2_f = blasable2d(is2_p, is2_n, dp, dn);
    bool i1blasable = i1_c || i1_f, i2blasable = i2_c || i2_f;
    bool o_c = blasable2d(os_m, os_p, dm, dp), o_f = blasable2d(os_p, os_m, dp, dm);
    bool vector_matrix = dm == 1 && i2blasable && blasable2d(is1_n, 1, dn, 1);
    bool matrix_vector = dp == 1 && i1blasable && blasable2d(is2_n, 1, dn, 1);
    if (too_big || any_zero_dim) {
        noblas(dt, ip1, is1_m, is1_n, ip2, is2_n, is2_p, op, os_m, os_p, dm, dn, dp);
    } else if (special_case) {
        if (scalar_out) kernel_np_dot(dt, ip1, is1_n, ip2, is2_n, op, dn);
        else if (scalar_vec) noblas(dt, ip1, is1_m, is1_n, ip2, is2_n, is2_p, op, os_m, os_p, dm, dn, dp);
        else if (vector_matrix) np_gemv(dt, ip2, is2_p, is2_n, ip1, is1_n, op, os_p, dp, dn);
        else if (matrix_vector) np_gemv(dt, ip1, is1_m, is1_n, ip2, is2_n, op, os_m, dm, dn);
        else noblas(dt, ip1, is1_m, is1_n, ip2, is2_n, is2_p, op, os_m, os_p, dm, dn, dp);
    } else if (i1blasable && i2blasable && o_c) {
        np_matrixmatrix(dt, ip1, is1_m, is1_n, ip2, is2_n, is2_p, op, os_m, dm, dn, dp);
    } else if (i1blasable && i2blasable && o_f) {
        np_matrixmatrix(dt, ip2, is2_p, is2_n, ip1, is1_n, is1_m, op, os_p, dp, dn, dm);
    } else {
        noblas(dt, ip1, is1_m, is1_n, ip2, is2_n, is2_p, op, os_m, os_p, dm, dn, dp);
    }
}
