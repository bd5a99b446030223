/* linalg_composite.c: torch.linalg's aliases and composites
 * (linalg.cross, diagonal, matmul, vander, tensorinv, tensorsolve) and
 * the matrix exponential (linalg.matrix_exp, torch.matrix_exp,
 * Tensor.matrix_exp) and linalg.lu; ops in runtime/ops/linalg_composite.c and
 * linalg_matrix_exp.c. */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static Value *bi_linalg_cross(Value *self, const CallArgs *a) {
    const char *fn = "linalg_cross";
    Value *v[4];
    int64_t dim;
    if (!args_parse(a, 0, fn, "input, other, *, dim=, out=", v) || !la_no_out(v[3], fn) ||
        !arg_int(v[2], fn, "dim", -1, &dim))
        return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *y = x ? la_tensor_arg(a, v[1], 1, fn, "other") : NULL;
    Tensor *r = y ? op_cross(x, y, true, dim) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

static Value *bi_linalg_diagonal(Value *self, const CallArgs *a) {
    const char *fn = "linalg_diagonal";
    Value *v[4];
    int64_t off, d1, d2;
    if (!args_parse(a, 0, fn, "A, *, offset=, dim1=, dim2=", v) || !arg_int(v[1], fn, "offset", 0, &off) ||
        !arg_int(v[2], fn, "dim1", -2, &d1) || !arg_int(v[3], fn, "dim2", -1, &d2))
        return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *r = x ? op_diagonal(x, off, d1, d2) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_linalg_matmul(Value *self, const CallArgs *a) {
    const char *fn = "linalg_matmul";
    Value *v[3];
    if (!args_parse(a, 0, fn, "input, other, *, out=", v) || !la_no_out(v[2], fn)) return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *y = x ? la_tensor_arg(a, v[1], 1, fn, "other") : NULL;
    Tensor *r = y ? op_matmul(x, y) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

static Value *bi_linalg_vander(Value *self, const CallArgs *a) {
    const char *fn = "linalg_vander";
    Value *v[2];
    int64_t N = 0;
    bool has_n = false;
    if (!args_parse(a, 0, fn, "x, *, N=", v)) return NULL;
    if (v[1] && !is_none(v[1])) {
        if (!arg_int(v[1], fn, "N", 0, &N)) return NULL;
        has_n = true;
    }
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "x");
    Tensor *r = x ? op_linalg_vander(x, has_n, N) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_linalg_tensorinv(Value *self, const CallArgs *a) {
    const char *fn = "linalg_tensorinv";
    Value *v[3];
    int64_t ind;
    if (!args_parse(a, 0, fn, "A, ind=, *, out=", v) || !la_no_out(v[2], fn) || !arg_int(v[1], fn, "ind", 2, &ind))
        return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *r = x ? op_linalg_tensorinv(x, ind) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_linalg_tensorsolve(Value *self, const CallArgs *a) {
    const char *fn = "linalg_tensorsolve";
    Value *v[4];
    if (!args_parse(a, 0, fn, "A, B, dims=, *, out=", v) || !la_no_out(v[3], fn)) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd = 0;
    bool has_dims = v[2] && !is_none(v[2]);
    if (has_dims) {
        bool ints = v[2]->kind == VK_LIST || v[2]->kind == VK_TUPLE || v[2]->kind == VK_SIZE;
        if (!ints || !val_as_dims(v[2], dims, &nd)) {
            tsr_err_clear();
            tsr_raise(ERR_TypeError, "%s(): argument 'dims' must be tuple of ints, not %s", fn, val_type_name(v[2]));
            return NULL;
        }
    }
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "A");
    Tensor *y = x ? la_tensor_arg(a, v[1], 1, fn, "B") : NULL;
    Tensor *r = y ? op_linalg_tensorsolve(x, y, nd, has_dims ? dims : NULL) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}

static Value *matrix_exp_common(const char *fn, const char *sig, const char *name, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[1];
    if (!args_parse(a, 0, fn, sig, v)) return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, name);
    Tensor *r = x ? op_linalg_matrix_exp(x) : NULL;
    tensor_release(x);
    return wrap_tensor(r);
}

static Value *bi_linalg_matrix_exp(Value *self, const CallArgs *a) {
    return matrix_exp_common("linalg_matrix_exp", "input", "input", self, a);
}

static Value *bi_matrix_exp(Value *self, const CallArgs *a) {
    return matrix_exp_common("matrix_exp", "input", "input", self, a);
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

const Builtin linalg_composite_module_functions[] = {
    {"lu", bi_linalg_lu},
    {"cross", bi_linalg_cross},
    {"diagonal", bi_linalg_diagonal},
    {"matmul", bi_linalg_matmul},
    {"vander", bi_linalg_vander},
    {"tensorinv", bi_linalg_tensorinv},
    {"tensorsolve", bi_linalg_tensorsolve},
    {"matrix_exp", bi_linalg_matrix_exp},
    {NULL, NULL},
};

const Builtin linalg_composite_functions[] = {
    {"matrix_exp", bi_matrix_exp},
    {NULL, NULL},
};

const Builtin linalg_composite_methods[] = {
    {"matrix_exp", bi_matrix_exp},
    {NULL, NULL},
};
