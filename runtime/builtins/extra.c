/* builtins_extra.c: torch functions and tensor methods over ops_extra.c and
 * ops_einsum.c (gather/scatter, nonzero, einsum, topk, cumprod, median,
 * tril/triu, diag, roll, unique, linalg norms, ...). The function `where`
 * here replaces builtins_tensor_fns.c's to add where(condition). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* ---- broadcast_shapes, can_cast ---- */

static Value *bi_can_cast(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!args_parse(a, 0, "can_cast", "from, to", v)) return NULL;
    DType f, t;
    if (v[0]->kind != VK_DTYPE || v[1]->kind != VK_DTYPE) {
        tsr_raise(ERR_TypeError, "can_cast(): argument '%s' must be torch.dtype, not %s",
                  v[0]->kind != VK_DTYPE ? "from" : "to", val_type_name(v[0]->kind != VK_DTYPE ? v[0] : v[1]));
        return NULL;
    }
    f = v[0]->dtype;
    t = v[1]->dtype;
    /* c10::canCast: no float -> integral, no non-bool -> bool */
    bool ok = !(dtype_is_float(f) && dtype_is_integral(t, true)) && !(f != DT_BOOL && t == DT_BOOL);
    return val_bool(ok);
}

/* ---- topk / kthvalue / median / mode / cumprod ---- */

/* ---- creation ---- */

static Value *bi_logspace(Value *self, const CallArgs *a) {
    Value *v[9];
    if (!args_parse(a, 0, "logspace",
                    "start, end, steps, base=, *, out=, dtype=, layout=, device=, requires_grad=", v))
        return NULL;
    double start, end, base;
    int64_t steps;
    DType dt;
    Device dev;
    bool rg;
    if (!arg_double(v[0], "logspace", "start", 0, &start) || !arg_double(v[1], "logspace", "end", 0, &end) ||
        !arg_int(v[2], "logspace", "steps", 0, &steps) || !arg_double(v[3], "logspace", "base", 10, &base) ||
        !arg_dtype(v[5], "logspace", &dt) || !arg_device(v[7], "logspace", &dev) ||
        !arg_bool(v[8], "logspace", "requires_grad", false, &rg))
        return NULL;
    Tensor *r = op_logspace(start, end, steps, base, dt, dev);
    if (r && rg) r->requires_grad = true;
    return wrap_tensor(r);
}

/* ---- matrices: tril/triu/diag/diagonal/trace/addmm ---- */

/* ---- unique / isclose / nan_to_num / type_as ---- */

static Value *bi_type_as(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "type_as", "other", v)) return NULL;
    Tensor *o = arg_tensor(v[0], "type_as", "other");
    if (!o) return NULL;
    Tensor *r = op_to_dtype(self->tensor, o->dtype);
    tensor_release(o);
    return wrap_tensor(r);
}

#define EXTRA_ENTRIES                                                                          \

const Builtin extra_functions[] = {
    EXTRA_ENTRIES
    {"can_cast", bi_can_cast},
    {"logspace", bi_logspace},
    {NULL, NULL},
};

const Builtin extra_methods[] = {
    EXTRA_ENTRIES
    {"type_as", bi_type_as},
    {NULL, NULL},
};
