/* linalg_matrix_exp.c: torch.linalg.matrix_exp (torch.matrix_exp,
 * Tensor.matrix_exp), PyTorch 1.13's mexp (aten/src/ATen/native/
 * LinearAlgebra.cpp): per matrix, the 1-norm (abs, sum over rows, max)
 * picks the Taylor polynomial of degree 1, 2, 4, 8 or 12 (Bader, Blanes,
 * Casas 2019) whose bound it is under, else the degree-18 one on A / 2^s
 * squared s times. Each polynomial is computed as ATen does, with the
 * same products (bmm over the matrices of one degree, mm for the
 * squarings) and linear combinations (kernels/cpu/matrix_exp.c), so the
 * results are the oracle's bits.
 *
 * Node LinalgMatrixExpBackward0: inputs {A}; saved {A}. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "layout.h"
#include "linalg_lapack.h"
#include "matrix_exp.h"
#include "ops.h"

/* The bounds of the 1-norm for degrees 1, 2, 4, 8, 12 and 18 */
static const float thetas_float[6] = {1.192092800768788e-07, 5.978858893805233e-04, 5.116619363445086e-02,
                                      5.800524627688768e-01, 1.461661507209034e+00, 3.010066362817634e+00};
static const double thetas_double[6] = {2.220446049250313e-16, 2.580956802971767e-08, 3.397168839976962e-04,
                                        4.991228871115323e-02, 2.996158913811580e-01, 1.090863719290036e+00};

static const double b12[16] = {
    9.0198e-16,          0.46932117595418237389, -0.20099424927047284052, -0.04623946134063071740,
    5.31597895759871264183, 1.19926790417132231573, 0.01179296240992997031, 0.01108844528519167989,
    0.18188869982170434744, 0.05502798439925399070, 0.09351590770535414968, 0.00610700528898058230,
    -2.0861320e-13,      -0.13181061013830184015, -0.02027855540589259079, -0.00675951846863086359};
static const double b18[25] = {
    0., -1.00365581030144618291e-01, -8.02924648241156932449e-03, -8.92138498045729985177e-04, 0.,
    0., 3.97849749499645077844e-01, 1.36783778460411720168e+00, 4.98289622525382669416e-01,
    -6.37898194594723280150e-04, -1.09676396052962061844e+01, 1.68015813878906206114e+00,
    5.71779846478865511061e-02, -6.98210122488052056106e-03, 3.34975017086070470649e-05,
    -9.04316832390810593223e-02, -6.76404519071381882256e-02, 6.75961301770459654925e-02,
    2.95552570429315521194e-02, -1.39180257516060693404e-05, 0., 0., -9.23364619367118555360e-02,
    -1.69364939002081722752e-02, -1.40086798182036094347e-05};

/* The coefficients of every polynomial in ATen's scalar_t: float for
 * float32, double otherwise (its blobs are then read with the tensor's
 * own dtype, as from_blob reads them) */
#define MEXP_COEFS(T, S)                                                                                   \
    typedef struct {                                                                                       \
        T t4a[3], t4b[4], t8a[2], t8b[2], t8c[4], t8d[5], t12[16], t18[25];                                \
    } S;                                                                                                   \
    static void S##_fill(S *c) {                                                                           \
        const T sqrt_177 = 0.1330413469565007072504e+2;                                                    \
        const T x3 = 2. / 3.;                                                                              \
        const T x1 = x3 * ((1. + sqrt_177) / 88.);                                                         \
        const T x2 = x3 * ((1. + sqrt_177) / 352.);                                                        \
        const T x4 = (-271. + 29. * sqrt_177) / (315. * x3);                                               \
        const T x5 = (-11. + 11. * sqrt_177) / (1260. * x3);                                               \
        const T x6 = (-99. + 11. * sqrt_177) / (5040. * x3);                                               \
        const T x7 = (89. - sqrt_177) / (5040. * x3);                                                      \
        const T y2 = (857. - 58. * sqrt_177) / 630.;                                                       \
        const T t4a[3] = {1 / 2.0, 1 / 6.0, 1 / 24.0}, t4b[4] = {1.0, 1.0, 0.0, 1.0};                      \
        const T t8a[2] = {x1, x2}, t8b[2] = {x3, 1.0}, t8c[4] = {x4, x5, x6, x7};                          \
        const T t8d[5] = {1.0, 1.0, y2, 0.0, 1.0};                                                         \
        memcpy(c->t4a, t4a, sizeof t4a), memcpy(c->t4b, t4b, sizeof t4b), memcpy(c->t8a, t8a, sizeof t8a); \
        memcpy(c->t8b, t8b, sizeof t8b), memcpy(c->t8c, t8c, sizeof t8c), memcpy(c->t8d, t8d, sizeof t8d); \
        for (int i = 0; i < 16; i++) c->t12[i] = (T)b12[i];                                                \
        for (int i = 0; i < 25; i++) c->t18[i] = (T)b18[i];                                                \
    }
MEXP_COEFS(float, CoefsF)
MEXP_COEFS(double, CoefsD)
#undef MEXP_COEFS

typedef struct {
    const void *t4a, *t4b, *t8a, *t8b, *t8c, *t8d, *t12, *t18;
} Coefs;

static void release_all(Tensor **ts, int n) {
    for (int i = 0; i < n; i++) {
        tensor_release(ts[i]);
        ts[i] = NULL;
    }
}

/* outs[i] = sum_j coef[i, j] ins[j] (m x k coefficients), each a new
 * contiguous tensor shaped like ins[0]; false with an error raised */
static bool lincomb(Tensor *const *ins, int k, const void *coef, int m, Tensor **outs) {
    const void *in[5];
    void *out[5];
    for (int j = 0; j < k; j++) in[j] = tensor_data(ins[j]);
    for (int i = 0; i < m; i++) {
        outs[i] = tensor_empty(ins[0]->dtype, ins[0]->ndim, ins[0]->shape, ins[0]->storage->device);
        if (!outs[i]) {
            release_all(outs, i);
            return false;
        }
        out[i] = tensor_data(outs[i]);
    }
    kernel_linear_combination(ins[0]->dtype, m, k, tensor_numel(ins[0]), in, coef, out);
    return true;
}

static Tensor *lincomb1(Tensor *const *ins, int k, const void *coef) {
    Tensor *r = NULL;
    return lincomb(ins, k, coef, 1, &r) ? r : NULL;
}

static Tensor *bmm_steal(Tensor *a, Tensor *b) {
    Tensor *r = a && b ? op_bmm(a, b) : NULL;
    tensor_release(a);
    tensor_release(b);
    return r;
}

static Tensor *add_steal(Tensor *a, Tensor *b) {
    Tensor *r = a && b ? op_binary(BIN_ADD, a, b) : NULL;
    tensor_release(a);
    tensor_release(b);
    return r;
}

/* P[0..count-1] = I, X, X^2, X^3, X^6 (_fill_matrix_powers); X is k x n x n
 * contiguous */
static bool powers(Tensor *X, int count, Tensor **P) {
    int64_t n = X->shape[2];
    memset(P, 0, sizeof *P * (size_t)count);
    /* I: diag_embed of ones */
    P[0] = tensor_zeros(X->dtype, 3, X->shape, X->storage->device);
    if (P[0]) {
        char *d = tensor_data(P[0]);
        size_t es = dtype_size(X->dtype);
        for (int64_t b = 0; b < X->shape[0]; b++)
            for (int64_t i = 0; i < n; i++) dtype_store_f64(X->dtype, d + (size_t)((b * n + i) * n + i) * es, 1.0);
    }
    P[1] = P[0] ? tensor_retain(X) : NULL;
    if (P[1] && count > 2) P[2] = op_bmm(P[1], P[1]);
    if (count > 2 && P[2] && count > 3) P[3] = op_bmm(P[1], P[2]);
    if (count > 3 && P[3] && count > 4) P[4] = op_bmm(P[3], P[3]);
    if (!P[count - 1]) {
        release_all(P, count);
        return false;
    }
    return true;
}

static Tensor *sum0_steal(Tensor **P, int count) {
    Tensor *st = op_stack(P, count, 0);
    release_all(P, count);
    int64_t d = 0;
    Tensor *r = st ? op_sum(st, 1, &d, false, st->dtype) : NULL;
    tensor_release(st);
    return r;
}

/* The Taylor polynomial of degree deg (1, 2, 4, 8, 12, 18) of each matrix
 * of X (k x n x n, contiguous) */
static Tensor *taylor(int deg, Tensor *X, const Coefs *c) {
    Tensor *P[5] = {0}, *r = NULL;
    int count = deg == 1 ? 2 : deg <= 8 ? 3 : deg == 12 ? 4 : 5;
    if (!powers(X, count, P)) return NULL;
    if (deg == 1) return sum0_steal(P, 2);
    if (deg == 2) {
        Tensor *h = op_scalar_binary(BIN_DIV, P[2], 2.0, false);
        tensor_release(P[2]);
        P[2] = h;
        if (!h) {
            release_all(P, 3);
            return NULL;
        }
        return sum0_steal(P, 3);
    }
    if (deg == 4) {
        P[3] = bmm_steal(tensor_retain(P[2]), lincomb1(P, 3, c->t4a));
        if (P[3]) r = lincomb1(P, 4, c->t4b);
        release_all(P, 4);
        return r;
    }
    if (deg == 8) {
        P[3] = bmm_steal(tensor_retain(P[2]), lincomb1(P + 1, 2, c->t8a));
        if (P[3]) P[4] = bmm_steal(lincomb1(P + 2, 2, c->t8b), lincomb1(P, 4, c->t8c));
        if (P[4]) r = lincomb1(P, 5, c->t8d);
        release_all(P, 5);
        return r;
    }
    Tensor *B[5] = {0};
    int m = deg == 12 ? 4 : 5;
    bool ok = lincomb(P, m, deg == 12 ? c->t12 : c->t18, m, B);
    release_all(P, m);
    if (!ok) return NULL;
    if (deg == 12) {
        /* B2 += B3 B3; B1 += B2; B0 + B1 B2 */
        B[2] = add_steal(B[2], bmm_steal(tensor_retain(B[3]), tensor_retain(B[3])));
        B[1] = B[2] ? add_steal(B[1], tensor_retain(B[2])) : NULL;
        r = B[1] ? add_steal(tensor_retain(B[0]), bmm_steal(tensor_retain(B[1]), tensor_retain(B[2]))) : NULL;
    } else {
        /* B3 += B0 B4; B2 += B3; B1 + B2 B3 */
        B[3] = add_steal(B[3], bmm_steal(tensor_retain(B[0]), tensor_retain(B[4])));
        B[2] = B[3] ? add_steal(B[2], tensor_retain(B[3])) : NULL;
        r = B[2] ? add_steal(tensor_retain(B[1]), bmm_steal(tensor_retain(B[2]), tensor_retain(B[3]))) : NULL;
    }
    release_all(B, m);
    return r;
}

/* 2^s as ATen's integer pow computes it (wrapping; 0 for s < 0) */
static int64_t pow2_wrapped(int64_t s) {
    if (s < 0 || s >= 64) return 0;
    return (int64_t)((uint64_t)1 << s);
}

/* compute_T18_scale_square over the matrices X (k x n x n) with norms
 * `norm` (k): writes each result into out (k x n x n, contiguous) */
static bool t18_scale_square(Tensor *X, Tensor *norm, double theta, const Coefs *c, Tensor *out) {
    int64_t k = X->shape[0];
    Tensor *q = op_scalar_binary(BIN_DIV, norm, theta, false);
    Tensor *l = q ? op_unary(UN_LOG2, q) : NULL;
    Tensor *ce = l ? op_unary(UN_CEIL, l) : NULL;
    Tensor *z = ce ? tensor_zeros(ce->dtype, ce->ndim, ce->shape, ce->storage->device) : NULL;
    Tensor *mx = z ? op_binary(BIN_MAXIMUM, z, ce) : NULL;
    Tensor *s = mx ? op_to_dtype(mx, DT_INT64) : NULL;
    Tensor *sc = s ? op_contiguous(s) : NULL;
    tensor_release(q), tensor_release(l), tensor_release(ce), tensor_release(z), tensor_release(mx), tensor_release(s);
    if (!sc) return false;
    const int64_t *sv = (const int64_t *)tensor_data(sc);
    int64_t sh[3] = {k, 1, 1};
    Tensor *p2 = tensor_empty(DT_INT64, 3, sh, X->storage->device);
    if (p2) {
        int64_t *pv = (int64_t *)tensor_data(p2);
        for (int64_t i = 0; i < k; i++) pv[i] = pow2_wrapped(sv[i]);
    }
    Tensor *scaled = p2 ? op_binary(BIN_DIV, X, p2) : NULL;
    tensor_release(p2);
    Tensor *T = scaled ? taylor(18, scaled, c) : NULL;
    tensor_release(scaled);
    bool ok = T != NULL;
    int64_t n = X->shape[2];
    size_t bytes = (size_t)(n * n) * dtype_size(X->dtype);
    for (int64_t i = 0; ok && i < k; i++) {
        Tensor *m = op_select(T, 0, i);
        for (int64_t p = 0; m && p < sv[i]; p++) {
            Tensor *sq = op_mm(m, m);
            tensor_release(m);
            m = sq;
            if (m && tsr_check_interrupt()) {
                tensor_release(m);
                m = NULL;
            }
        }
        Tensor *mc = m ? op_contiguous(m) : NULL;
        tensor_release(m);
        ok = mc != NULL;
        if (ok) memcpy((char *)tensor_data(out) + (size_t)i * bytes, tensor_data(mc), bytes);
        tensor_release(mc);
    }
    tensor_release(T);
    tensor_release(sc);
    return ok;
}

/* v rounded to dt, as a comparison of a dt tensor with a Scalar sees it */
static double in_dtype(DType dt, double v) {
    char b[8];
    dtype_store_f64(dt, b, v);
    return dtype_load_f64(dt, b);
}

static Tensor *index_tensor(const int64_t *idx, int64_t k, Device dev) {
    Tensor *t = tensor_empty(DT_INT64, 1, &k, dev);
    if (t && k) memcpy(tensor_data(t), idx, (size_t)k * sizeof *idx);
    return t;
}

/* The matrices a3[idx] (k of them) through the polynomial of degree deg
 * (18: scaled and squared), into res's matrices idx (res contiguous) */
static bool run_group(Tensor *a3, Tensor *norm, const int64_t *idx, int64_t k, int deg, double theta,
                      const Coefs *c, Tensor *res) {
    if (k == 0) return true;
    Device dev = a3->storage->device;
    Tensor *it = index_tensor(idx, k, dev);
    Tensor *sub = it ? op_index_select(a3, 0, it) : NULL;
    Tensor *subc = sub ? op_contiguous(sub) : NULL;
    tensor_release(sub);
    Tensor *r = NULL;
    bool ok = false;
    if (subc && deg == 18) {
        Tensor *ns = op_index_select(norm, 0, it);
        r = ns ? tensor_empty(subc->dtype, 3, subc->shape, dev) : NULL;
        ok = r && t18_scale_square(subc, ns, theta, c, r);
        tensor_release(ns);
    } else if (subc) {
        Tensor *t = taylor(deg, subc, c);
        r = t ? op_contiguous(t) : NULL;
        tensor_release(t);
        ok = r != NULL;
    }
    if (ok) {
        int64_t n = a3->shape[2];
        size_t bytes = (size_t)(n * n) * dtype_size(a3->dtype);
        for (int64_t i = 0; i < k; i++)
            memcpy((char *)tensor_data(res) + (size_t)idx[i] * bytes, (char *)tensor_data(r) + (size_t)i * bytes,
                   bytes);
    }
    tensor_release(r);
    tensor_release(subc);
    tensor_release(it);
    return ok;
}

/* mexp over a3 (B x n x n) into res (B x n x n, contiguous) */
static bool mexp(Tensor *a3, Tensor *res) {
    DType dt = a3->dtype;
    CoefsF cf;
    CoefsD cd;
    Coefs c;
    double th[6];
    if (dt == DT_FLOAT32) {
        CoefsF_fill(&cf);
        c = (Coefs){cf.t4a, cf.t4b, cf.t8a, cf.t8b, cf.t8c, cf.t8d, cf.t12, cf.t18};
        for (int i = 0; i < 6; i++) th[i] = thetas_float[i];
    } else {
        CoefsD_fill(&cd);
        c = (Coefs){cd.t4a, cd.t4b, cd.t8a, cd.t8b, cd.t8c, cd.t8d, cd.t12, cd.t18};
        for (int i = 0; i < 6; i++) th[i] = thetas_double[i];
    }
    /* operator_1_norm: abs().sum(-2).max(-1) */
    int64_t d = -2;
    Tensor *ab = op_unary(UN_ABS, a3);
    Tensor *cs = ab ? op_sum(ab, 1, &d, false, dt) : NULL;
    Tensor *norm = NULL, *ix = NULL;
    bool ok = cs && op_max_dim(cs, -1, false, &norm, &ix);
    tensor_release(ab);
    tensor_release(cs);
    tensor_release(ix);
    if (!ok) return false;
    int64_t B = a3->shape[0];
    int64_t *idx = tsr_malloc(sizeof *idx * (size_t)(B ? B : 1));
    Tensor *nc = idx ? op_contiguous(norm) : NULL;
    ok = nc != NULL;
    static const int degs[5] = {1, 2, 4, 8, 12};
    for (int g = 0; ok && g < 6; g++) {
        double lo = g == 0 ? -1.0 : in_dtype(dt, th[g - 1]), hi = in_dtype(dt, th[g < 5 ? g : 4]);
        int64_t k = 0;
        for (int64_t b = 0; b < B; b++) {
            double v = dtype_load_f64(dt, (char *)tensor_data(nc) + (size_t)b * dtype_size(dt));
            if (g < 5 ? (lo < v && v <= hi) : v >= hi) idx[k++] = b;
        }
        ok = run_group(a3, norm, idx, k, g < 5 ? degs[g] : 18, th[5], &c, res);
    }
    free(idx);
    tensor_release(nc);
    tensor_release(norm);
    return ok;
}

Tensor *op_linalg_matrix_exp(Tensor *A) {
    if (!la_check_square(A, "linalg.matrix_exp", "A") || !la_check_float(A, "matrix_exp", true)) return NULL;
    int64_t n = A->shape[A->ndim - 1];
    Tensor *out = NULL;
    if (n == 0) {
        NO_GRAD(out = op_clone(A));
    } else if (n == 1) {
        NO_GRAD(out = op_unary(UN_EXP, A));
    } else {
        int64_t sh3[3] = {-1, n, n};
        Tensor *a3 = NULL, *res = NULL;
        NO_GRAD(a3 = op_view(A, 3, sh3));
        Tensor *like = a3 ? layout_empty_like(a3, A->dtype, A->storage->device) : NULL;
        res = like ? tensor_empty(A->dtype, 3, a3->shape, A->storage->device) : NULL;
        bool ok = false;
        if (res) NO_GRAD(ok = mexp(a3, res));
        if (ok) ok = tensor_copy_(like, res);
        if (ok) NO_GRAD(out = op_view(like, A->ndim, A->shape));
        tensor_release(a3);
        tensor_release(res);
        tensor_release(like);
    }
    if (!out || !ag_any_requires_grad(&A, 1)) return out;
    return ag_record_steal(out, NODE_LinalgMatrixExpBackward0, &A, 1, &A, 1, NULL, 0);
}
