/* frexp.c: torch.frexp / Tensor.frexp (ops/frexp.c), with out=(mantissa,
 * exponent) checked as ATen's frexp_out checks it (exact dtypes). */
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static const char *const frexp_fields[] = {"mantissa", "exponent"};
static const NamedTupleType nt_frexp = {"frexp", 2, frexp_fields};
static const NamedTupleType nt_frexp_out = {"frexp_out", 2, frexp_fields};

/* out[i] <- r: resized (warned when it had elements) and copied. */
static bool write_into(Tensor *out, Tensor *r)
{
    bool same = out->ndim == r->ndim && !memcmp(out->shape, r->shape, sizeof(int64_t) * (size_t)r->ndim);
    if (!same) {
        if (tensor_numel(out) != 0 && !warn_output_resized(out->ndim, out->shape, r->ndim, r->shape))
            return false;
        Tensor *rs = op_resize_(out, r->ndim, r->shape);
        if (!rs)
            return false;
        tensor_release(rs);
    }
    return tensor_copy_(out, r);
}

static Value *bi_frexp(Value *self, const CallArgs *a)
{
    WITH_SELF(a);
    Value *v[2];
    const char *fn = "frexp";
    if (!args_parse(a, 0, fn, "input, *, out=", v))
        return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "input");
    if (!x)
        return NULL;
    Value *out = is_none(v[1]) ? NULL : v[1];
    if (out && !((out->kind == VK_TUPLE || out->kind == VK_LIST) && out->seq.len == 2 &&
                 out->seq.items[0]->kind == VK_TENSOR && out->seq.items[1]->kind == VK_TENSOR)) {
        tensor_release(x);
        tsr_raise(ERR_TypeError, "frexp(): argument 'out' must be tuple of Tensors, not %s", val_type_name(out));
        return NULL;
    }
    if (out && dtype_is_float(x->dtype)) {
        Tensor *om = out->seq.items[0]->tensor, *oe = out->seq.items[1]->tensor;
        if (om->dtype != x->dtype) {
            tsr_raise(ERR_RuntimeError, "torch.frexp() expects mantissa to have dtype %s but got %s",
                      dtype_cpp_name(x->dtype), dtype_cpp_name(om->dtype));
            tensor_release(x);
            return NULL;
        }
        if (oe->dtype != DT_INT32) {
            tsr_raise(ERR_RuntimeError, "torch.frexp() expects exponent to have int dtype but got %s",
                      dtype_cpp_name(oe->dtype));
            tensor_release(x);
            return NULL;
        }
    }
    Tensor *m, *e;
    bool ok = op_frexp(x, &m, &e);
    tensor_release(x);
    if (!ok)
        return NULL;
    if (!out)
        return tensor_pair(&nt_frexp, m, e);
    Tensor *om = out->seq.items[0]->tensor, *oe = out->seq.items[1]->tensor;
    ok = write_into(om, m) && write_into(oe, e);
    tensor_release(m);
    tensor_release(e);
    return ok ? tensor_pair(&nt_frexp_out, tensor_retain(om), tensor_retain(oe)) : NULL;
}

const Builtin frexp_functions[] = {
    {"frexp", bi_frexp},
    {NULL, NULL},
};

const Builtin frexp_methods[] = {
    {"frexp", bi_frexp},
    {NULL, NULL},
};
