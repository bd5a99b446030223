/* results.c: how the builtins hand back what the ops return: self itself
 * after an in-place op, an out-of-place result written back into self
 * with PyTorch's in-place shape errors, (values, indices) return types and
 * tuples of tensors. */
#include <stdio.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

const char *const values_indices[] = {"values", "indices"};

/* The in-place result: self itself when the op returned self's tensor. */
Value *inplace_result(Value *self, Tensor *r) {
    if (!r) return NULL;
    if (self && self->tensor == r) {
        tensor_release(r);
        return val_retain(self);
    }
    return wrap_tensor(r);
}

static bool same_shape(Tensor *a, Tensor *r) {
    if (a->ndim != r->ndim) return false;
    for (int i = 0; i < a->ndim; i++)
        if (a->shape[i] != r->shape[i]) return false;
    return true;
}

/* "[1, 2]" */
void shape_str(Tensor *t, char *buf, size_t n) {
    size_t k = (size_t)snprintf(buf, n, "[");
    for (int i = 0; i < t->ndim && k < n; i++)
        k += (size_t)snprintf(buf + k, n - k, "%s%lld", i ? ", " : "", (long long)t->shape[i]);
    if (k < n) snprintf(buf + k, n - k, "]");
}

const char *const BROADCAST_FMT = "output with shape %s doesn't match the broadcast shape %s";
const char *const SIZE_FMT = "Bad in-place call: input tensor size %s and output tensor size %s should match";

/* Checks r's shape against a (bad_shape_fmt gets a's shape then r's), then
 * op_inplace_commit; steals r. */
Tensor *commit_inplace(Tensor *a, Tensor *r, const char *bad_shape_fmt) {
    if (!r) return NULL;
    if (!same_shape(a, r)) {
        char sa[256], sr[256];
        shape_str(a, sa, sizeof sa);
        shape_str(r, sr, sizeof sr);
        tsr_raise(ERR_RuntimeError, bad_shape_fmt, sa, sr);
        tensor_release(r);
        return NULL;
    }
    return op_inplace_commit(a, r);
}

/* Steals both (either may be NULL after a failure). */
Value *tensor_pair(const NamedTupleType *nt, Tensor *a, Tensor *b) {
    Value *r = a && b ? (nt ? val_namedtuple_new(nt) : val_tuple_new(2)) : NULL;
    if (!r) {
        tensor_release(a);
        tensor_release(b);
        return NULL;
    }
    r->seq.items[0] = val_tensor_steal(a);
    r->seq.items[1] = val_tensor_steal(b);
    if (!r->seq.items[0] || !r->seq.items[1]) {
        val_release(r);
        return NULL;
    }
    return r;
}

/* A tuple of n tensors (steals them; NULL entries make it fail). */
Value *tuple_steal(Tensor **ts, int n) {
    Value *t = val_tuple_new(n);
    bool ok = t != NULL;
    for (int i = 0; i < n; i++) {
        if (!ts[i]) ok = false;
        if (t) t->seq.items[i] = ts[i] ? val_tensor_steal(ts[i]) : val_none();
        else tensor_release(ts[i]);
    }
    if (!ok) {
        val_release(t);
        return NULL;
    }
    return t;
}

/* fn(n1, n2) over two tensors: op(x, y) (a method passes self as n1). */
Value *tensor_op2(const char *fn, const char *n1, const char *n2, TensorOp2 op, Value *self,
                  const CallArgs *a) {
    WITH_SELF(a);
    char spec[64];
    snprintf(spec, sizeof spec, "%s, %s", n1, n2);
    Value *v[2];
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, n1);
    Tensor *y = x ? arg_tensor(v[1], fn, n2) : NULL;
    Tensor *r = y ? op(x, y) : NULL;
    tensor_release(x);
    tensor_release(y);
    return wrap_tensor(r);
}
