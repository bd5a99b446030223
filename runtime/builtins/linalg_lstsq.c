/* linalg_lstsq.c: torch.linalg.lstsq (op runtime/ops/linalg_lstsq.c) and
 * the removed torch.lstsq / Tensor.lstsq, which PyTorch 1.13 keeps only
 * to raise (torch/_linalg_utils.py). */
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static const char *const lstsq_fields[] = {"solution", "residuals", "rank", "singular_values"};
static const NamedTupleType nt_linalg_lstsq = {"linalg_lstsq", 4, lstsq_fields};

static Value *bi_linalg_lstsq(Value *self, const CallArgs *a) {
    const char *fn = "linalg_lstsq";
    Value *v[4];
    if (!args_parse(a, 0, fn, "input, b, rcond=, *, driver=", v)) return NULL;
    bool has_rcond = v[2] && !is_none(v[2]);
    double rcond = 0;
    if (has_rcond) {
        if (v[2]->kind != VK_INT && v[2]->kind != VK_FLOAT && v[2]->kind != VK_BOOL) {
            tsr_raise(ERR_TypeError, "%s(): argument 'rcond'%s must be float, not %s", fn,
                      a->nargs > 2 ? " (position 3)" : "", val_type_name(v[2]));
            return NULL;
        }
        if (!val_as_double(v[2], &rcond)) return NULL;
    }
    const char *driver = NULL;
    if (v[3] && !is_none(v[3])) {
        if (v[3]->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "%s(): argument 'driver' must be str, not %s", fn, val_type_name(v[3]));
            return NULL;
        }
        driver = v[3]->str.s;
    }
    Tensor *A = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *B = A ? la_tensor_arg(a, v[1], 1, fn, "b") : NULL;
    Tensor *ts[4] = {NULL, NULL, NULL, NULL};
    bool ok = B && op_linalg_lstsq(A, B, has_rcond, rcond, driver, &ts[0], &ts[1], &ts[2], &ts[3]);
    tensor_release(A);
    tensor_release(B);
    return ok ? la_tensors_tuple(&nt_linalg_lstsq, ts, 4) : NULL;
}

/* torch.lstsq(input, A, *, out=None): raises RuntimeError(msg, hint) */
static Value *bi_lstsq_removed(Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[3];
    if (!args_parse(a, 0, "lstsq", "input, A, *, out=", v)) return NULL;
    tsr_raise(ERR_RuntimeError, "%s",
              "('This function was deprecated since version 1.9 and is now removed.', 'Please use the "
              "`torch.linalg.lstsq` function instead.')");
    return NULL;
}

const Builtin linalg_lstsq_module_functions[] = {
    {"lstsq", bi_linalg_lstsq},
    {NULL, NULL},
};

const Builtin linalg_lstsq_functions[] = {
    {"lstsq", bi_lstsq_removed},
    {NULL, NULL},
};

const Builtin linalg_lstsq_methods[] = {
    {"lstsq", bi_lstsq_removed},
    {NULL, NULL},
};
