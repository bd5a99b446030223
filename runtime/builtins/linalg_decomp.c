/* linalg_decomp.c: torch.linalg's LAPACK-based functions and their torch.*
 * spellings: det, slogdet, logdet, inv/inverse, inv_ex, solve, solve_ex
 * (runtime/ops/linalg_decomp.c). */
#include <stdio.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static const char *const sign_logabsdet[] = {"sign", "logabsdet"};
static const char *const inverse_info[] = {"inverse", "info"};
static const char *const result_info[] = {"result", "info"};
static const NamedTupleType nt_linalg_slogdet = {"linalg_slogdet", 2, sign_logabsdet};
static const NamedTupleType nt_slogdet = {"slogdet", 2, sign_logabsdet};
static const NamedTupleType nt_linalg_inv_ex = {"linalg_inv_ex", 2, inverse_info};
static const NamedTupleType nt_linalg_solve_ex = {"linalg_solve_ex", 2, result_info};

/* Argument i (0-based) of a, as a tensor; PyTorch names the position of
 * one passed positionally */
static Tensor *tensor_arg(const CallArgs *a, Value *v, int i, const char *fn, const char *name) {
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
static bool no_out(Value *out, const char *fn) {
    if (is_none(out)) return true;
    tsr_raise(ERR_RuntimeError, "tsr: %s(out=) is not supported", fn);
    return false;
}

/* The one argument of fn(name, *, out=None), as a tensor */
static Tensor *matrix_arg(const char *fn, const char *name, const CallArgs *a) {
    char spec[32];
    snprintf(spec, sizeof spec, "%s, *, out=", name);
    Value *v[2];
    if (!args_parse(a, 0, fn, spec, v) || !no_out(v[1], fn)) return NULL;
    return tensor_arg(a, v[0], 0, fn, name);
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
    if (!args_parse(a, 0, fn, "A, *, check_errors=, out=", v) || !no_out(v[2], fn)) return NULL;
    bool check;
    if (!arg_bool(v[1], fn, "check_errors", false, &check)) return NULL;
    Tensor *A = tensor_arg(a, v[0], 0, fn, "A");
    Tensor *r = NULL, *info = NULL;
    bool ok = A && op_linalg_inv_ex(A, check, "linalg.inv_ex", &r, &info);
    tensor_release(A);
    return ok ? tensor_pair(&nt_linalg_inv_ex, r, info) : NULL;
}

static bool solve_args(const char *fn, const CallArgs *a, bool ex, Tensor **A, Tensor **B, bool *left, bool *check) {
    Value *v[5];
    *A = *B = NULL;
    if (!args_parse(a, 0, fn, ex ? "A, B, *, left=, check_errors=, out=" : "A, B, *, left=, out=", v)) return false;
    if (!no_out(v[ex ? 4 : 3], fn) || !arg_bool(v[2], fn, "left", true, left)) return false;
    *check = false;
    if (ex && !arg_bool(v[3], fn, "check_errors", false, check)) return false;
    *A = tensor_arg(a, v[0], 0, fn, "A");
    *B = *A ? tensor_arg(a, v[1], 1, fn, "B") : NULL;
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

const Builtin linalg_decomp_module_functions[] = {
    {"det", bi_linalg_det},
    {"slogdet", bi_linalg_slogdet},
    {"inv", bi_linalg_inv},
    {"inv_ex", bi_linalg_inv_ex},
    {"solve", bi_linalg_solve},
    {"solve_ex", bi_linalg_solve_ex},
    {NULL, NULL},
};

#define LINALG_DECOMP_ENTRIES \
    {"det", bi_det}, {"logdet", bi_logdet}, {"slogdet", bi_slogdet}, {"inverse", bi_inverse},

const Builtin linalg_decomp_functions[] = {
    LINALG_DECOMP_ENTRIES
    {NULL, NULL},
};

const Builtin linalg_decomp_methods[] = {
    LINALG_DECOMP_ENTRIES
    {NULL, NULL},
};
