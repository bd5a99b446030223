/* linalg_decomp.c: torch.linalg's LAPACK-based functions and their torch.*
 * spellings (runtime/ops/linalg_decomp.c): det, slogdet, logdet,
 * inv/inverse, inv_ex, solve, solve_ex, cholesky/cholesky_ex (and the
 * deprecated torch.cholesky), lu_factor/lu_factor_ex, lu_solve, torch.lu,
 * linalg.lu, ldl_factor/ldl_factor_ex, ldl_solve (runtime/ops/linalg_ldl.c),
 * solve_triangular, matrix_power; eig and eigvals raise (no complex
 * dtypes in tsr). */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static const char *const sign_logabsdet[] = {"sign", "logabsdet"};
static const char *const inverse_info[] = {"inverse", "info"};
static const char *const result_info[] = {"result", "info"};
static const NamedTupleType nt_linalg_slogdet = {"linalg_slogdet", 2, sign_logabsdet};
static const NamedTupleType nt_slogdet = {"slogdet", 2, sign_logabsdet};
static const NamedTupleType nt_linalg_inv_ex = {"linalg_inv_ex", 2, inverse_info};
static const NamedTupleType nt_linalg_solve_ex = {"linalg_solve_ex", 2, result_info};
static const char *const L_info[] = {"L", "info"};
static const char *const LU_pivots_info[] = {"LU", "pivots", "info"};
static const NamedTupleType nt_linalg_cholesky_ex = {"linalg_cholesky_ex", 2, L_info};
static const NamedTupleType nt_linalg_lu_factor = {"linalg_lu_factor", 2, LU_pivots_info};
static const NamedTupleType nt_linalg_lu_factor_ex = {"linalg_lu_factor_ex", 3, LU_pivots_info};
static const NamedTupleType nt_lu_with_info = {"_lu_with_info", 3, LU_pivots_info};

/* A namedtuple of type nt (a plain tuple when NULL) of n tensors (stolen) */
Value *la_tensors_tuple(const NamedTupleType *nt, Tensor **ts, int n) {
    if (!nt) return tuple_steal(ts, n);
    Value *r = val_namedtuple_new(nt);
    bool ok = r != NULL;
    for (int i = 0; i < n; i++) {
        Value *v = ts[i] && r ? val_tensor_steal(ts[i]) : NULL;
        if (!v) {
            if (!r) tensor_release(ts[i]);
            ok = false;
            continue;
        }
        r->seq.items[i] = v;
    }
    if (!ok) {
        val_release(r);
        return NULL;
    }
    return r;
}

/* Argument i (0-based) of a, as a tensor; PyTorch names the position of
 * one passed positionally */
Tensor *la_tensor_arg(const CallArgs *a, Value *v, int i, const char *fn, const char *name) {
    if (v && v->kind == VK_TENSOR) return tensor_retain(v->tensor);
    if (i < a->nargs)
        tsr_raise(ERR_TypeError, "%s(): argument '%s' (position %d) must be Tensor, not %s", fn, name, i + 1,
                  val_type_name(v));
    else
        tsr_raise(ERR_TypeError, "%s(): argument '%s' must be Tensor, not %s", fn, name,
                  v ? val_type_name(v) : "NoneType");
    return NULL;
}

/* out= is accepted as None only */
bool la_no_out(Value *out, const char *fn) {
    if (is_none(out)) return true;
    tsr_raise(ERR_RuntimeError, "tsr: %s(out=) is not supported", fn);
    return false;
}

/* The one argument of fn(name, *, out=None), as a tensor */
static Tensor *matrix_arg(const char *fn, const char *name, const CallArgs *a) {
    char spec[32];
    snprintf(spec, sizeof spec, "%s, *, out=", name);
    Value *v[2];
    if (!args_parse(a, 0, fn, spec, v) || !la_no_out(v[1], fn)) return NULL;
    return la_tensor_arg(a, v[0], 0, fn, name);
}

/* fn(A, *, out=None) -> op(A) (name: the argument's name) */
static Value *one_matrix(const char *fn, const char *name, Tensor *(*op)(Tensor *), Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Tensor *A = matrix_arg(fn, name, a);
    Tensor *r = A ? op(A) : NULL;
    tensor_release(A);
    return wrap_tensor(r);
}

static Value *bi_linalg_det(Value *self, const CallArgs *a) { return one_matrix("linalg_det", "A", op_linalg_det, self, a); }
static Value *bi_det(Value *self, const CallArgs *a) { return one_matrix("det", "input", op_linalg_det, self, a); }
static Value *bi_logdet(Value *self, const CallArgs *a) { return one_matrix("logdet", "input", op_logdet, self, a); }

static Value *slogdet_common(const char *fn, const char *name, const NamedTupleType *nt, Value *self,
                             const CallArgs *a) {
    WITH_SELF(a);
    Tensor *A = matrix_arg(fn, name, a);
    Tensor *s = NULL, *l = NULL;
    bool ok = A && op_linalg_slogdet(A, &s, &l);
    tensor_release(A);
    return ok ? tensor_pair(nt, s, l) : NULL;
}

static Value *bi_linalg_slogdet(Value *self, const CallArgs *a) {
    return slogdet_common("linalg_slogdet", "A", &nt_linalg_slogdet, self, a);
}
static Value *bi_slogdet(Value *self, const CallArgs *a) { return slogdet_common("slogdet", "input", &nt_slogdet, self, a); }

static Tensor *inv_checked(Tensor *A) {
    Tensor *r = NULL, *info = NULL;
    if (!op_linalg_inv_ex(A, false, "linalg.inv", &r, &info)) return NULL;
    bool ok = op_linalg_check_errors(info, "linalg.inv", A->ndim == 2);
    tensor_release(info);
    if (!ok) {
        tensor_release(r);
        return NULL;
    }
    return r;
}

static Value *bi_linalg_inv(Value *self, const CallArgs *a) { return one_matrix("linalg_inv", "A", inv_checked, self, a); }
static Value *bi_inverse(Value *self, const CallArgs *a) { return one_matrix("inverse", "input", inv_checked, self, a); }

static Value *bi_linalg_inv_ex(Value *self, const CallArgs *a) {
    const char *fn = "linalg_inv_ex";
    Value *v[3];
    if (!args_parse(a, 0, fn, "A, *, check_errors=, out=", v) || !la_no_out(v[2], fn)) return NULL;
    bool check;
    if (!arg_bool(v[1], fn, "check_errors", false, &check)) return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *r = NULL, *info = NULL;
    bool ok = A && op_linalg_inv_ex(A, check, "linalg.inv_ex", &r, &info);
    tensor_release(A);
    return ok ? tensor_pair(&nt_linalg_inv_ex, r, info) : NULL;
}

static bool solve_args(const char *fn, const CallArgs *a, bool ex, Tensor **A, Tensor **B, bool *left, bool *check) {
    Value *v[5];
    *A = *B = NULL;
    if (!args_parse(a, 0, fn, ex ? "A, B, *, left=, check_errors=, out=" : "A, B, *, left=, out=", v)) return false;
    if (!la_no_out(v[ex ? 4 : 3], fn) || !arg_bool(v[2], fn, "left", true, left)) return false;
    *check = false;
    if (ex && !arg_bool(v[3], fn, "check_errors", false, check)) return false;
    *A = la_tensor_arg(a, v[0], 0, fn, "A");
    *B = *A ? la_tensor_arg(a, v[1], 1, fn, "B") : NULL;
    if (*B) return true;
    tensor_release(*A);
    *A = NULL;
    return false;
}

static Value *bi_linalg_solve(Value *self, const CallArgs *a) {
    Tensor *A, *B, *X = NULL, *info = NULL;
    bool left, check;
    if (!solve_args("linalg_solve", a, false, &A, &B, &left, &check)) return NULL;
    bool ok = op_linalg_solve_ex(A, B, left, false, "torch.linalg.solve", &X, &info) &&
              op_linalg_check_errors(info, "torch.linalg.solve", A->ndim == 2);
    tensor_release(A);
    tensor_release(B);
    tensor_release(info);
    if (!ok) {
        tensor_release(X);
        return NULL;
    }
    return wrap_tensor(X);
}

static Value *bi_linalg_solve_ex(Value *self, const CallArgs *a) {
    Tensor *A, *B, *X = NULL, *info = NULL;
    bool left, check;
    if (!solve_args("linalg_solve_ex", a, true, &A, &B, &left, &check)) return NULL;
    bool ok = op_linalg_solve_ex(A, B, left, check, "torch.linalg.solve_ex", &X, &info);
    tensor_release(A);
    tensor_release(B);
    return ok ? tensor_pair(&nt_linalg_solve_ex, X, info) : NULL;
}

/* ---- cholesky, lu_factor, lu_solve, torch.lu */

static Value *cholesky_common(const char *fn, bool ex, Value *self, const CallArgs *a) {
    Value *v[4];
    if (!args_parse(a, 0, fn, ex ? "A, *, upper=, check_errors=, out=" : "A, *, upper=, out=", v) ||
        !la_no_out(v[ex ? 3 : 2], fn))
        return NULL;
    bool upper, check = false;
    if (!arg_bool(v[1], fn, "upper", false, &upper) || (ex && !arg_bool(v[2], fn, "check_errors", false, &check)))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *L = NULL, *info = NULL;
    bool ok = A && op_linalg_cholesky_ex(A, upper, ex ? check : false, ex ? "linalg.cholesky_ex" : "linalg.cholesky",
                                         &L, &info);
    if (ok && !ex) ok = op_linalg_check_errors(info, "linalg.cholesky", A->ndim == 2);
    tensor_release(A);
    if (!ok) {
        tensor_release(L);
        tensor_release(info);
        return NULL;
    }
    if (ex) return tensor_pair(&nt_linalg_cholesky_ex, L, info);
    tensor_release(info);
    return wrap_tensor(L);
}

static Value *bi_linalg_cholesky(Value *self, const CallArgs *a) { return cholesky_common("linalg_cholesky", false, self, a); }
static Value *bi_linalg_cholesky_ex(Value *self, const CallArgs *a) {
    return cholesky_common("linalg_cholesky_ex", true, self, a);
}

static Value *bi_cholesky(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "cholesky", "input, upper=, *, out=", v) || !la_no_out(v[2], "cholesky")) return NULL;
    bool upper;
    if (!arg_bool(v[1], "cholesky", "upper", false, &upper)) return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, "cholesky", "input");
    Tensor *r = A ? op_cholesky_legacy(A, upper) : NULL;
    tensor_release(A);
    return wrap_tensor(r);
}

/* lu_factor / lu_factor_ex / torch.lu: (LU, pivots[, info]) */
static Value *lu_factor_common(const char *fn, int kind, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[4];
    const char *spec = kind == 0 ? "A, *, pivot=, out=" : kind == 1 ? "A, *, pivot=, check_errors=, out="
                                                                     : "A, pivot=, get_infos=, out=";
    if (!args_parse(a, 0, fn, spec, v) || !la_no_out(v[kind == 0 ? 2 : 3], fn)) return NULL;
    bool pivot, flag = false;
    if (!arg_bool(v[1], fn, "pivot", true, &pivot) ||
        (kind != 0 && !arg_bool(v[2], fn, kind == 1 ? "check_errors" : "get_infos", false, &flag)))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "A");
    static bool lu_warned; /* _lu_with_info's TORCH_WARN_ONCE, from torch.lu's or Tensor.lu's Python */
    if (A && kind == 2 && !lu_warned) {
        lu_warned = true;
        const char *msg =
            "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be "
            "removed in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced "
            "with\nLU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = torch.lu(A, "
            "compute_pivots, get_infos=True)\nshould be replaced with\nLU, pivots, info = "
            "torch.linalg.lu_factor_ex(A, compute_pivots) (Triggered internally at  "
            "./aten/src/ATen/native/BatchLinearAlgebra.cpp:1915.)";
        bool warned = self ? tsr_warn_explicit(ERR_UserWarning, msg, "/usr/lib/python3/dist-packages/torch/_tensor.py",
                                               663, "torch._tensor", "LU, pivots, infos = torch._lu_with_info(")
                           : tsr_warn_explicit(ERR_UserWarning, msg, "/usr/lib/python3/dist-packages/torch/functional.py",
                                               1682, "torch.functional",
                                               "return torch._lu_with_info(A, pivot=pivot, check_errors=(not get_infos))");
        if (!warned) {
            tensor_release(A);
            return NULL;
        }
    }
    Tensor *ts[3] = {NULL, NULL, NULL};
    /* torch.lu never raises for a singular matrix (_lu_with_info) */
    bool check = kind == 0 || (kind == 1 && flag);
    bool ok = A && op_linalg_lu_factor_ex(A, pivot, check, kind == 0 ? "torch.linalg.lu_factor" :
                                          "torch.linalg.lu_factor_ex", &ts[0], &ts[1], &ts[2]);
    tensor_release(A);
    if (!ok) return NULL;
    if (kind == 1) return la_tensors_tuple(&nt_linalg_lu_factor_ex, ts, 3);
    /* Tensor.lu (torch/_tensor.py) unpacks _lu_with_info into a tuple */
    if (kind == 2 && flag) return la_tensors_tuple(self ? NULL : &nt_lu_with_info, ts, 3);
    tensor_release(ts[2]);
    return la_tensors_tuple(kind == 0 ? &nt_linalg_lu_factor : NULL, ts, 2);
}

static Value *bi_linalg_lu_factor(Value *self, const CallArgs *a) { return lu_factor_common("linalg_lu_factor", 0, self, a); }
static Value *bi_linalg_lu_factor_ex(Value *self, const CallArgs *a) {
    return lu_factor_common("linalg_lu_factor_ex", 1, self, a);
}
static Value *bi_lu(Value *self, const CallArgs *a) { return lu_factor_common("lu", 2, self, a); }

static Value *bi_linalg_lu_solve(Value *self, const CallArgs *a) {
    const char *fn = "linalg_lu_solve";
    Value *v[6];
    if (!args_parse(a, 0, fn, "LU, pivots, B, *, left=, adjoint=, out=", v) || !la_no_out(v[5], fn)) return NULL;
    bool left, adjoint;
    if (!arg_bool(v[3], fn, "left", true, &left) || !arg_bool(v[4], fn, "adjoint", false, &adjoint)) return NULL;
    Tensor *LU = la_tensor_arg(a, v[0], 0, fn, "LU");
    Tensor *P = LU ? la_tensor_arg(a, v[1], 1, fn, "pivots") : NULL;
    Tensor *B = P ? la_tensor_arg(a, v[2], 2, fn, "B") : NULL;
    Tensor *r = B ? op_linalg_lu_solve(LU, P, B, left, adjoint) : NULL;
    tensor_release(LU);
    tensor_release(P);
    tensor_release(B);
    return wrap_tensor(r);
}

/* torch.lu_solve(input, LU_data, LU_pivots): linalg.lu_solve(LU, pivots,
 * input) after 1.13's TORCH_WARN_ONCE */
static Value *bi_lu_solve(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    const char *fn = "lu_solve";
    static bool warned;
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, LU_data, LU_pivots, *, out=", v) || !la_no_out(v[3], fn)) return NULL;
    Tensor *B = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *LU = B ? la_tensor_arg(a, v[1], 1, fn, "LU_data") : NULL;
    Tensor *P = LU ? la_tensor_arg(a, v[2], 2, fn, "LU_pivots") : NULL;
    bool ok = P != NULL;
    if (ok && !warned) {
        warned = true;
        ok = tsr_warn(ERR_UserWarning,
                      "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a future "
                      "PyTorch release.\nNote that torch.linalg.lu_solve has its arguments reversed.\nX = "
                      "torch.lu_solve(B, LU, pivots)\nshould be replaced with\nX = torch.linalg.lu_solve(LU, pivots, "
                      "B) (Triggered internally at  ./aten/src/ATen/native/BatchLinearAlgebra.cpp:2072.)");
    }
    Tensor *r = ok ? op_linalg_lu_solve(LU, P, B, true, false) : NULL;
    tensor_release(LU);
    tensor_release(P);
    tensor_release(B);
    return wrap_tensor(r);
}

static Value *bi_linalg_solve_triangular(Value *self, const CallArgs *a) {
    const char *fn = "linalg_solve_triangular";
    Value *v[6];
    if (!args_parse(a, 0, fn, "A, B, *, upper, left=, unitriangular=, out=", v) || !la_no_out(v[5], fn)) return NULL;
    bool upper, left, unit;
    if (!arg_bool(v[2], fn, "upper", false, &upper) || !arg_bool(v[3], fn, "left", true, &left) ||
        !arg_bool(v[4], fn, "unitriangular", false, &unit))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *B = A ? la_tensor_arg(a, v[1], 1, fn, "B") : NULL;
    Tensor *r = B ? op_linalg_solve_triangular(A, B, upper, left, unit) : NULL;
    tensor_release(A);
    tensor_release(B);
    return wrap_tensor(r);
}

static Value *matrix_power_common(const char *fn, const char *name, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    char spec[32];
    snprintf(spec, sizeof spec, "%s, n, *, out=", name);
    Value *v[3];
    if (!args_parse(a, 0, fn, spec, v) || !la_no_out(v[2], fn)) return NULL;
    if (v[1]->kind != VK_INT) {
        if (a->nargs > 1)
            tsr_raise(ERR_TypeError, "%s(): argument 'n' (position 2) must be int, not %s", fn, val_type_name(v[1]));
        else
            tsr_raise(ERR_TypeError, "%s(): argument 'n' must be int, not %s", fn, val_type_name(v[1]));
        return NULL;
    }
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, name);
    Tensor *r = A ? op_linalg_matrix_power(A, v[1]->i) : NULL;
    tensor_release(A);
    return wrap_tensor(r);
}

static Value *bi_linalg_matrix_power(Value *self, const CallArgs *a) {
    return matrix_power_common("linalg_matrix_power", "A", self, a);
}
static Value *bi_matrix_power(Value *self, const CallArgs *a) { return matrix_power_common("matrix_power", "input", self, a); }

/* eig, eigvals: their results are complex, and tsr has no complex dtype */
static Value *no_complex(const char *fn) {
    tsr_raise(ERR_NotImplementedError,
              "tsr: torch.linalg.%s returns complex tensors, and tsr has no complex dtypes", fn);
    return NULL;
}
static Value *bi_linalg_eig(Value *self, const CallArgs *a) { return no_complex("eig"); }
static Value *bi_linalg_eigvals(Value *self, const CallArgs *a) { return no_complex("eigvals"); }

static const char *const LD_pivots_info[] = {"LD", "pivots", "info"};
static const NamedTupleType nt_linalg_ldl_factor = {"linalg_ldl_factor", 2, LD_pivots_info};
static const NamedTupleType nt_linalg_ldl_factor_ex = {"linalg_ldl_factor_ex", 3, LD_pivots_info};

/* PyTorch's parser's TypeError for required arguments (the first n of
 * names) given neither by position nor by keyword */
static bool torch_required(const CallArgs *a, const char *fn, int n, const char *const *names) {
    char missing[256] = "";
    int count = 0, len = 0;
    for (int i = a->nargs; i < n; i++) {
        bool kw = false;
        for (int k = 0; k < a->nkw && !kw; k++) kw = !strcmp(a->kwnames[k], names[i]);
        if (!kw && len < 200) len += snprintf(missing + len, sizeof missing - len, "%s\"%s\"", count++ ? ", " : "", names[i]);
    }
    if (!count) return true;
    tsr_raise(ERR_TypeError, "%s() missing %d required positional arguments: %s", fn, count, missing);
    return false;
}

/* linalg.ldl_factor(input, *, hermitian=False) and ldl_factor_ex(..., check_errors=False) */
static Value *ldl_factor_common(const char *fn, bool ex, const CallArgs *a) {
    Value *v[4] = {0};
    static const char *const names[] = {"input"};
    if (!torch_required(a, fn, 1, names) ||
        !args_parse(a, 0, fn, ex ? "input, *, hermitian=, check_errors=, out=" : "input, *, hermitian=, out=", v) ||
        !la_no_out(v[ex ? 3 : 2], fn))
        return NULL;
    bool hermitian, check = false;
    if (!arg_bool(v[1], fn, "hermitian", false, &hermitian) || (ex && !arg_bool(v[2], fn, "check_errors", false, &check)))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *ts[3] = {NULL, NULL, NULL};
    bool ok = A && op_linalg_ldl_factor_ex(A, hermitian, ex ? check : true,
                                           ex ? "torch.linalg.ldl_factor_ex" : "torch.linalg.ldl_factor", &ts[0],
                                           &ts[1], &ts[2]);
    tensor_release(A);
    if (!ok) return NULL;
    if (ex) return la_tensors_tuple(&nt_linalg_ldl_factor_ex, ts, 3);
    tensor_release(ts[2]);
    return la_tensors_tuple(&nt_linalg_ldl_factor, ts, 2);
}

static Value *bi_linalg_ldl_factor(Value *self, const CallArgs *a) { return ldl_factor_common("linalg_ldl_factor", false, a); }
static Value *bi_linalg_ldl_factor_ex(Value *self, const CallArgs *a) {
    return ldl_factor_common("linalg_ldl_factor_ex", true, a);
}

static Value *bi_linalg_ldl_solve(Value *self, const CallArgs *a) {
    const char *fn = "linalg_ldl_solve";
    Value *v[5];
    bool hermitian;
    static const char *const names[] = {"LD", "pivots", "B"};
    if (!torch_required(a, fn, 3, names) || !args_parse(a, 0, fn, "LD, pivots, B, *, hermitian=, out=", v) || !la_no_out(v[4], fn) ||
        !arg_bool(v[3], fn, "hermitian", false, &hermitian))
        return NULL;
    Tensor *LD = la_tensor_arg(a, v[0], 0, fn, "LD");
    Tensor *P = LD ? la_tensor_arg(a, v[1], 1, fn, "pivots") : NULL;
    Tensor *B = P ? la_tensor_arg(a, v[2], 2, fn, "B") : NULL;
    Tensor *r = B ? op_linalg_ldl_solve(LD, P, B, hermitian) : NULL;
    tensor_release(LD);
    tensor_release(P);
    tensor_release(B);
    return wrap_tensor(r);
}

static const char *const P_L_U[] = {"P", "L", "U"};
static const NamedTupleType nt_linalg_lu = {"linalg_lu", 3, P_L_U};

static Value *bi_linalg_lu(Value *self, const CallArgs *a) {
    const char *fn = "linalg_lu";
    Value *v[3];
    bool pivot;
    if (!args_parse(a, 0, fn, "A, *, pivot=, out=", v) || !la_no_out(v[2], fn) ||
        !arg_bool(v[1], fn, "pivot", true, &pivot))
        return NULL;
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *ts[3] = {NULL, NULL, NULL};
    bool ok = A && op_linalg_lu(A, pivot, &ts[0], &ts[1], &ts[2]);
    tensor_release(A);
    return ok ? la_tensors_tuple(&nt_linalg_lu, ts, 3) : NULL;
}

const Builtin linalg_decomp_module_functions[] = {
    {"lu", bi_linalg_lu},
    {"eig", bi_linalg_eig},
    {"eigvals", bi_linalg_eigvals},
    {"matrix_power", bi_linalg_matrix_power},
    {"solve_triangular", bi_linalg_solve_triangular},
    {"cholesky", bi_linalg_cholesky},
    {"cholesky_ex", bi_linalg_cholesky_ex},
    {"lu_factor", bi_linalg_lu_factor},
    {"lu_factor_ex", bi_linalg_lu_factor_ex},
    {"lu_solve", bi_linalg_lu_solve},
    {"ldl_factor", bi_linalg_ldl_factor},
    {"ldl_factor_ex", bi_linalg_ldl_factor_ex},
    {"ldl_solve", bi_linalg_ldl_solve},
    {"det", bi_linalg_det},
    {"slogdet", bi_linalg_slogdet},
    {"inv", bi_linalg_inv},
    {"inv_ex", bi_linalg_inv_ex},
    {"solve", bi_linalg_solve},
    {"solve_ex", bi_linalg_solve_ex},
    {NULL, NULL},
};

#define LINALG_DECOMP_ENTRIES \
    {"det", bi_det}, {"logdet", bi_logdet}, {"slogdet", bi_slogdet}, {"inverse", bi_inverse}, \
    {"cholesky", bi_cholesky}, {"lu", bi_lu}, {"matrix_power", bi_matrix_power}, {"lu_solve", bi_lu_solve},

const Builtin linalg_decomp_functions[] = {
    LINALG_DECOMP_ENTRIES
    {NULL, NULL},
};

const Builtin linalg_decomp_methods[] = {
    LINALG_DECOMP_ENTRIES
    {NULL, NULL},
};
