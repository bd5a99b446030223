/* linalg_factor.c: the QR, symmetric eigen- and singular value
 * decompositions and their torch.* spellings (runtime/ops/linalg_qr.c,
 * linalg_spectral.c): linalg.qr, torch.qr, torch.geqrf,
 * linalg.householder_product (torch.orgqr), linalg.eigh, linalg.eigvalsh,
 * torch.symeig, linalg.svd, linalg.svdvals, torch.svd, linalg.pinv
 * (torch.pinverse), linalg.matrix_rank, torch.cholesky_solve and
 * torch.cholesky_inverse, torch.triangular_solve, torch.lu_unpack. */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static const char *const Q_R[] = {"Q", "R"};
static const char *const a_tau[] = {"a", "tau"};
static const char *const eigen[] = {"eigenvalues", "eigenvectors"};
static const char *const U_S_Vh[] = {"U", "S", "Vh"};
static const char *const U_S_V[] = {"U", "S", "V"};
static const NamedTupleType nt_linalg_qr = {"linalg_qr", 2, Q_R};
static const NamedTupleType nt_qr = {"qr", 2, Q_R};
static const NamedTupleType nt_geqrf = {"geqrf", 2, a_tau};
static const NamedTupleType nt_linalg_eigh = {"linalg_eigh", 2, eigen};
static const NamedTupleType nt_symeig = {"symeig", 2, eigen};
static const NamedTupleType nt_linalg_svd = {"linalg_svd", 3, U_S_Vh};
static const NamedTupleType nt_svd = {"svd", 3, U_S_V};

/* A str argument (dflt when absent); PyTorch's TypeError otherwise */
static bool str_arg(const CallArgs *a, Value *v, int i, const char *fn, const char *name, const char *dflt,
                    const char **out) {
    if (!v) {
        *out = dflt;
        return true;
    }
    if (v->kind == VK_STR) {
        *out = v->str.s;
        return true;
    }
    if (i < a->nargs)
        tsr_raise(ERR_TypeError, "%s(): argument '%s' (position %d) must be str, not %s", fn, name, i + 1,
                  val_type_name(v));
    else
        tsr_raise(ERR_TypeError, "%s(): argument '%s' must be str, not %s", fn, name, val_type_name(v));
    return false;
}

/* A bool argument, naming its position when passed positionally */
static bool bool_arg(const CallArgs *a, Value *v, int i, const char *fn, const char *name, bool dflt, bool *out) {
    if (!v || v->kind == VK_BOOL) return arg_bool(v, fn, name, dflt, out);
    if (i < a->nargs)
        tsr_raise(ERR_TypeError, "%s(): argument '%s' (position %d) must be bool, not %s", fn, name, i + 1,
                  val_type_name(v));
    else
        tsr_raise(ERR_TypeError, "%s(): argument '%s' must be bool, not %s", fn, name, val_type_name(v));
    return false;
}

static Value *pair_or_null(const NamedTupleType *nt, bool ok, Tensor *x, Tensor *y) {
    if (!ok) return NULL;
    Tensor *ts[2] = {x, y};
    return la_tensors_tuple(nt, ts, 2);
}

/* ---- QR */

static Value *bi_linalg_qr(Value *self, const CallArgs *a) {
    const char *fn = "linalg_qr", *mode = "reduced";
    Value *v[3];
    if (!args_parse(a, 0, fn, "A, mode=, *, out=", v) || !la_no_out(v[2], fn)) return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "A");
    if (!A) return NULL;
    Tensor *Q = NULL, *R = NULL;
    int m = -1;
    bool ok = str_arg(a, v[1], 1, fn, "mode", "reduced", &mode) && (m = op_qr_mode(mode)) >= 0 &&
              op_linalg_qr(A, m, &Q, &R);
    tensor_release(A);
    return pair_or_null(&nt_linalg_qr, ok, Q, R);
}

static Value *bi_qr(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    const char *fn = "qr";
    Value *v[3];
    bool some;
    if (!args_parse(a, 0, fn, "input, some=, *, out=", v) || !la_no_out(v[2], fn) ||
        !bool_arg(a, v[1], 1, fn, "some", true, &some))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "input");
    if (!A) return NULL;
    Tensor *Q = NULL, *R = NULL;
    bool ok = op_linalg_qr(A, some ? 0 : 1, &Q, &R);
    tensor_release(A);
    return pair_or_null(&nt_qr, ok, Q, R);
}

static Value *bi_geqrf(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    const char *fn = "geqrf";
    Value *v[2];
    if (!args_parse(a, 0, fn, "input, *, out=", v) || !la_no_out(v[1], fn)) return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "input");
    if (!A) return NULL;
    Tensor *q = NULL, *t = NULL;
    bool ok = op_geqrf(A, &q, &t);
    tensor_release(A);
    return pair_or_null(&nt_geqrf, ok, q, t);
}

static Value *householder_common(const char *fn, const char *n0, const char *n1, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    char spec[48];
    snprintf(spec, sizeof spec, "%s, %s, *, out=", n0, n1);
    Value *v[3];
    if (!args_parse(a, 0, fn, spec, v) || !la_no_out(v[2], fn)) return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, n0);
    Tensor *tau = A ? la_tensor_arg(a, v[1], 1, fn, n1) : NULL;
    Tensor *r = tau ? op_linalg_householder_product(A, tau) : NULL;
    tensor_release(A);
    tensor_release(tau);
    return wrap_tensor(r);
}

static Value *bi_linalg_householder_product(Value *self, const CallArgs *a) {
    return householder_common("linalg_householder_product", "input", "tau", self, a);
}
static Value *bi_orgqr(Value *self, const CallArgs *a) { return householder_common("orgqr", "input", "input2", self, a); }

/* ---- eigh, eigvalsh, symeig */

static Value *eigh_common(const char *fn, bool vectors, Value *self, const CallArgs *a) {
    const char *uplo = "L";
    Value *v[3];
    if (!args_parse(a, 0, fn, "A, UPLO=, *, out=", v) || !la_no_out(v[2], fn)) return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "A");
    if (!A) return NULL;
    Tensor *L = NULL, *V = NULL;
    bool ok = str_arg(a, v[1], 1, fn, "UPLO", "L", &uplo) &&
              op_linalg_eigh(A, uplo, vectors || ag_any_requires_grad(&A, 1), &L, &V);
    tensor_release(A);
    if (ok && !vectors) {
        tensor_release(V);
        return wrap_tensor(L);
    }
    return pair_or_null(&nt_linalg_eigh, ok, L, V);
}

static Value *bi_linalg_eigh(Value *self, const CallArgs *a) { return eigh_common("linalg_eigh", true, self, a); }
static Value *bi_linalg_eigvalsh(Value *self, const CallArgs *a) { return eigh_common("linalg_eigvalsh", false, self, a); }

static Value *bi_symeig(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    const char *fn = "symeig";
    Value *v[4];
    bool vec, upper;
    if (!args_parse(a, 0, fn, "input, eigenvectors=, upper=, *, out=", v) || !la_no_out(v[3], fn) ||
        !bool_arg(a, v[1], 1, fn, "eigenvectors", false, &vec) || !bool_arg(a, v[2], 2, fn, "upper", true, &upper))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "input");
    if (!A) return NULL;
    Tensor *L = NULL, *V = NULL;
    bool ok = op_symeig(A, vec, upper, &L, &V);
    tensor_release(A);
    return pair_or_null(&nt_symeig, ok, L, V);
}

/* ---- svd, svdvals */

/* driver=: None or a str (given: *has) */
static bool driver_arg(const CallArgs *a, Value *v, const char *fn, bool *has) {
    const char *d;
    *has = !is_none(v);
    return !*has || str_arg(a, v, 99, fn, "driver", NULL, &d);
}

static Value *bi_linalg_svd(Value *self, const CallArgs *a) {
    const char *fn = "linalg_svd";
    Value *v[4];
    bool full, drv;
    if (!args_parse(a, 0, fn, "A, full_matrices=, *, driver=, out=", v) || !la_no_out(v[3], fn) ||
        !bool_arg(a, v[1], 1, fn, "full_matrices", true, &full) || !driver_arg(a, v[2], fn, &drv))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "A");
    if (!A) return NULL;
    Tensor *ts[3] = {NULL, NULL, NULL};
    bool ok = op_linalg_svd(A, full, true, drv, &ts[0], &ts[1], &ts[2]);
    tensor_release(A);
    return ok ? la_tensors_tuple(&nt_linalg_svd, ts, 3) : NULL;
}

static Value *bi_linalg_svdvals(Value *self, const CallArgs *a) {
    const char *fn = "linalg_svdvals";
    Value *v[3];
    bool drv;
    if (!args_parse(a, 0, fn, "A, *, driver=, out=", v) || !la_no_out(v[2], fn) || !driver_arg(a, v[1], fn, &drv))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *r = A ? op_linalg_svdvals(A, drv) : NULL;
    tensor_release(A);
    return wrap_tensor(r);
}

static Value *bi_svd(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    const char *fn = "svd";
    Value *v[4];
    bool some, uv;
    if (!args_parse(a, 0, fn, "input, some=, compute_uv=, *, out=", v) || !la_no_out(v[3], fn) ||
        !bool_arg(a, v[1], 1, fn, "some", true, &some) || !bool_arg(a, v[2], 2, fn, "compute_uv", true, &uv))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "input");
    if (!A) return NULL;
    Tensor *ts[3] = {NULL, NULL, NULL};
    bool ok = op_svd_legacy(A, some, uv, &ts[0], &ts[1], &ts[2]);
    tensor_release(A);
    return ok ? la_tensors_tuple(&nt_svd, ts, 3) : NULL;
}

/* ---- pinv, pinverse, matrix_rank */

/* A tolerance: None (NULL, true), a Tensor, or a number as a 0-d float64
 * tensor (PyTorch's float overloads); *t a new reference */
static bool tol_arg(Value *v, const char *fn, const char *name, Tensor **t) {
    *t = NULL;
    if (is_none(v)) return true;
    if (v->kind == VK_TENSOR) {
        *t = tensor_retain(v->tensor);
        return true;
    }
    double d;
    if (!arg_double(v, fn, name, 0, &d)) return false;
    *t = tensor_scalar_f64(DT_FLOAT64, d);
    return *t != NULL;
}

/* fn(A, tol_name=, hermitian=, *, atol=, rtol=, out=): the legacy
 * positional tolerance is atol (matrix_rank's tol) or rtol (pinv's rcond)
 * with the other 0 */
static Value *tol_common(const char *fn, const char *legacy, bool legacy_is_rtol,
                         Tensor *(*op)(Tensor *, Tensor *, Tensor *, bool), Value *self, const CallArgs *a) {
    char spec[64];
    snprintf(spec, sizeof spec, "input, %s=, hermitian=, *, atol=, rtol=, out=", legacy);
    Value *v[6];
    bool herm;
    if (!args_parse(a, 0, fn, spec, v) || !la_no_out(v[5], fn) || !bool_arg(a, v[2], 2, fn, "hermitian", false, &herm))
        return NULL;
    if (!is_none(v[1]) && (!is_none(v[3]) || !is_none(v[4]))) {
        raise_invalid_args(fn, a);
        return NULL;
    }
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "input"), *at = NULL, *rt = NULL, *lg = NULL, *r = NULL;
    if (!A) return NULL;
    if (tol_arg(v[1], fn, legacy, &lg) && tol_arg(v[3], fn, "atol", &at) && tol_arg(v[4], fn, "rtol", &rt)) {
        if (lg) {
            Tensor *zero = tensor_scalar_f64(lg->dtype == DT_FLOAT32 ? DT_FLOAT32 : DT_FLOAT64, 0.0);
            if (zero) r = legacy_is_rtol ? op(A, zero, lg, herm) : op(A, lg, zero, herm);
            tensor_release(zero);
        } else {
            r = op(A, at, rt, herm);
        }
    }
    tensor_release(A);
    tensor_release(at);
    tensor_release(rt);
    tensor_release(lg);
    return wrap_tensor(r);
}

static Value *bi_linalg_pinv(Value *self, const CallArgs *a) {
    return tol_common("linalg_pinv", "rcond", true, op_linalg_pinv, self, a);
}
static Value *bi_linalg_matrix_rank(Value *self, const CallArgs *a) {
    return tol_common("linalg_matrix_rank", "tol", false, op_linalg_matrix_rank, self, a);
}

static Value *bi_pinverse(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[2];
    double rcond;
    if (!args_parse(a, 0, "pinverse", "input, rcond=", v) || !arg_double(v[1], "pinverse", "rcond", 1e-15, &rcond))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, "pinverse", "input");
    Tensor *zero = A ? tensor_scalar_f64(DT_FLOAT64, 0.0) : NULL;
    Tensor *rt = zero ? tensor_scalar_f64(DT_FLOAT64, rcond) : NULL;
    Tensor *r = rt ? op_linalg_pinv(A, zero, rt, false) : NULL;
    tensor_release(A);
    tensor_release(zero);
    tensor_release(rt);
    return wrap_tensor(r);
}

/* ---- cholesky_solve, cholesky_inverse */

static Value *bi_cholesky_solve(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    const char *fn = "cholesky_solve";
    Value *v[4];
    bool upper;
    if (!args_parse(a, 0, fn, "input, input2, upper=, *, out=", v) || !la_no_out(v[3], fn) ||
        !bool_arg(a, v[2], 2, fn, "upper", false, &upper))
        return NULL;
    Tensor *B = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *L = B ? la_tensor_arg(a, v[1], 1, fn, "input2") : NULL;
    Tensor *r = L ? op_cholesky_solve(B, L, upper) : NULL;
    tensor_release(B);
    tensor_release(L);
    return wrap_tensor(r);
}

static Value *bi_cholesky_inverse(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    const char *fn = "cholesky_inverse";
    Value *v[3];
    bool upper;
    if (!args_parse(a, 0, fn, "input, upper=, *, out=", v) || !la_no_out(v[2], fn) ||
        !bool_arg(a, v[1], 1, fn, "upper", false, &upper))
        return NULL;
    Tensor *L = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *r = L ? op_cholesky_inverse(L, upper) : NULL;
    tensor_release(L);
    return wrap_tensor(r);
}

static const char *const sol_coef[] = {"solution", "cloned_coefficient"};
static const NamedTupleType nt_triangular_solve = {"triangular_solve", 2, sol_coef};

static Value *bi_triangular_solve(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    const char *fn = "triangular_solve";
    Value *v[6];
    bool upper, trans, unit;
    if (!args_parse(a, 0, fn, "input, A, upper=, transpose=, unitriangular=, *, out=", v) || !la_no_out(v[5], fn) ||
        !bool_arg(a, v[2], 2, fn, "upper", true, &upper) || !bool_arg(a, v[3], 3, fn, "transpose", false, &trans) ||
        !bool_arg(a, v[4], 4, fn, "unitriangular", false, &unit))
        return NULL;
    Tensor *B = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *A = B ? la_tensor_arg(a, v[1], 1, fn, "A") : NULL;
    Tensor *X = NULL, *Ac = NULL;
    bool ok = A && op_triangular_solve(B, A, upper, trans, unit, &X, &Ac);
    tensor_release(B);
    tensor_release(A);
    static bool warned; /* TORCH_WARN_ONCE, after the meta function's checks */
    if (ok && !warned) {
        warned = true;
        ok = tsr_warn(ERR_UserWarning,
                      "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will be "
                      "removed in a future PyTorch release.\ntorch.linalg.solve_triangular has its arguments reversed "
                      "and does not return a copy of one of the inputs.\nX = torch.triangular_solve(B, A).solution\n"
                      "should be replaced with\nX = torch.linalg.solve_triangular(A, B). (Triggered internally at  "
                      "./aten/src/ATen/native/BatchLinearAlgebra.cpp:2115.)");
    }
    return pair_or_null(&nt_triangular_solve, ok, X, Ac);
}

static const char *const P_L_U[] = {"P", "L", "U"};
static const NamedTupleType nt_lu_unpack = {"lu_unpack", 3, P_L_U};

static Value *bi_lu_unpack(Value *self, const CallArgs *a) {
    const char *fn = "lu_unpack";
    Value *v[5];
    bool data, piv;
    if (!args_parse(a, 0, fn, "LU_data, LU_pivots, unpack_data=, unpack_pivots=, *, out=", v) || !la_no_out(v[4], fn) ||
        !bool_arg(a, v[2], 2, fn, "unpack_data", true, &data) || !bool_arg(a, v[3], 3, fn, "unpack_pivots", true, &piv))
        return NULL;
    Tensor *LU = la_tensor_arg(a, v[0], 0, fn, "LU_data");
    Tensor *pv = LU ? la_tensor_arg(a, v[1], 1, fn, "LU_pivots") : NULL;
    Tensor *ts[3] = {NULL, NULL, NULL};
    bool ok = pv && op_lu_unpack(LU, pv, data, piv, &ts[0], &ts[1], &ts[2]);
    tensor_release(LU);
    tensor_release(pv);
    return ok ? la_tensors_tuple(&nt_lu_unpack, ts, 3) : NULL;
}

const Builtin linalg_factor_module_functions[] = {
    {"qr", bi_linalg_qr},
    {"householder_product", bi_linalg_householder_product},
    {"eigh", bi_linalg_eigh},
    {"eigvalsh", bi_linalg_eigvalsh},
    {"svd", bi_linalg_svd},
    {"svdvals", bi_linalg_svdvals},
    {"pinv", bi_linalg_pinv},
    {"matrix_rank", bi_linalg_matrix_rank},
    {NULL, NULL},
};

#define LINALG_FACTOR_ENTRIES \
    {"qr", bi_qr}, {"geqrf", bi_geqrf}, {"orgqr", bi_orgqr}, {"symeig", bi_symeig}, {"svd", bi_svd}, \
    {"pinverse", bi_pinverse}, {"cholesky_solve", bi_cholesky_solve}, {"cholesky_inverse", bi_cholesky_inverse}, \
    {"triangular_solve", bi_triangular_solve},

const Builtin linalg_factor_functions[] = {
    LINALG_FACTOR_ENTRIES
    {"lu_unpack", bi_lu_unpack},
    {NULL, NULL},
};

const Builtin linalg_factor_methods[] = {
    LINALG_FACTOR_ENTRIES
    {NULL, NULL},
};
