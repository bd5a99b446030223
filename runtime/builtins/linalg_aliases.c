/* linalg_aliases.c: torch.linalg's spellings of torch functions, with
 * linalg's signatures and names in errors: linalg.cross (dim=-1),
 * linalg.diagonal (offset, dim1=-2, dim2=-1), linalg.matmul and
 * linalg.vander (increasing powers; runtime/ops/creation.c). */
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

const Builtin linalg_aliases_module_functions[] = {
    {"cross", bi_linalg_cross},
    {"diagonal", bi_linalg_diagonal},
    {"matmul", bi_linalg_matmul},
    {"vander", bi_linalg_vander},
    {NULL, NULL},
};
