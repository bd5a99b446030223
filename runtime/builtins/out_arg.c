/* out_arg.c: torch.f(..., out=t) for the functions whose PyTorch signature
 * has `out` (param_names.h). The function runs without it, then its result
 * is written into out as ATen's out= variants do (unless the builtin takes
 * out= itself): the result type must be
 * castable to out's dtype, out is resized to the result's shape (with
 * PyTorch's deprecation warning when it had elements), the values are
 * copied, and out itself is returned (a tuple of outs gives the function's
 * return type, named `NAME_out`). Autograd does not go through out=. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "builtins_util.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"

static bool takes_out(Value *callee) {
    const char *names = builtin_param_names(callee);
    for (const char *p = names; p && *p; p += strlen(p) + 1)
        if (!strcmp(p, "out")) return true;
    return false;
}

static bool any_requires_grad(Value *v) {
    if (v->kind == VK_TENSOR) return v->tensor->requires_grad;
    if (v->kind == VK_LIST || v->kind == VK_TUPLE)
        for (int64_t i = 0; i < v->seq.len; i++)
            if (any_requires_grad(v->seq.items[i])) return true;
    return false;
}

/* PyTorch's warning for an output with elements resized to another shape
 * (false when the filters made it an error). */
bool warn_output_resized(int had_ndim, const int64_t *had_shape, int ndim, const int64_t *shape) {
    char had[256], want[256], msg[1200];
    op_shape_text(had, sizeof had, had_ndim, had_shape);
    op_shape_text(want, sizeof want, ndim, shape);
    snprintf(msg, sizeof msg,
             "An output with one or more elements was resized since it had shape %s, which does not "
             "match the required output shape %s. This behavior is deprecated, and in a future PyTorch "
             "release outputs will not be resized unless they have zero elements. You can explicitly "
             "reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0). "
             "(Triggered internally at  ./aten/src/ATen/native/Resize.cpp:17.)",
             had, want);
    return tsr_warn(ERR_UserWarning, msg);
}

/* out <- r: the cast check, the resize (warned when out had elements), the copy */
bool out_write(Tensor *out, Tensor *r) {
    if (!op_check_cast(r->dtype, out->dtype)) return false;
    bool same = out->ndim == r->ndim && !memcmp(out->shape, r->shape, sizeof(int64_t) * (size_t)r->ndim);
    if (!same) {
        if (tensor_numel(out) != 0 && !warn_output_resized(out->ndim, out->shape, r->ndim, r->shape)) return false;
        Tensor *rs = op_resize_(out, r->ndim, r->shape);
        if (!rs) return false;
        tensor_release(rs);
    }
    Tensor *c = NULL;
    NO_GRAD(c = op_copy_(out, r));
    tensor_release(c);
    return c != NULL;
}

/* torch.return_types.NAME_out, made once per NAME */
static const NamedTupleType *out_type(const NamedTupleType *nt) {
    static struct {
        const NamedTupleType *from;
        NamedTupleType to;
        char name[64];
    } made[32];
    static int n_made;
    for (int i = 0; i < n_made; i++)
        if (made[i].from == nt) return &made[i].to;
    if (n_made == 32) return nt;
    made[n_made].from = nt;
    snprintf(made[n_made].name, sizeof made[n_made].name, "%s_out", nt->name);
    made[n_made].to = (NamedTupleType){made[n_made].name, nt->n, nt->fields};
    return &made[n_made++].to;
}

Value *call_with_out(Value *callee, const CallArgs *a, bool *handled) {
    *handled = false;
    int k = -1;
    for (int i = 0; i < a->nkw; i++)
        if (!strcmp(a->kwnames[i], "out")) k = i;
    if (k < 0 || !takes_out(callee)) return NULL;
    *handled = true;
    const char *fn = callee->builtin->name;
    /* a builtin that reads out= itself (arange, the linalg functions) does
     * it its own way; the others refuse it before doing anything */
    Value *native = callee->builtin->fn(NULL, a);
    if (native) return native;
    const char *msg = tsr_err_msg();
    size_t ml = strlen(msg);
    static const char refused[] = "got an unexpected keyword argument 'out'";
    if (tsr_err_kind() != ERR_TypeError || ml < sizeof refused - 1 || strcmp(msg + ml - (sizeof refused - 1), refused))
        return NULL;
    tsr_err_clear();
    Value *out = a->kwvals[k];
    bool seq = out->kind == VK_TUPLE || out->kind == VK_LIST;
    for (int64_t i = 0; seq && i < out->seq.len; i++)
        if (out->seq.items[i]->kind != VK_TENSOR) seq = false;
    if (out->kind != VK_TENSOR && !seq) {
        tsr_raise(ERR_TypeError, "%s(): argument 'out' must be Tensor, not %s", fn, val_type_name(out));
        return NULL;
    }
    bool needs_grad = false;
    for (int i = 0; i < a->nargs; i++) needs_grad = needs_grad || any_requires_grad(a->args[i]);
    for (int i = 0; i < a->nkw; i++) needs_grad = needs_grad || (i != k && any_requires_grad(a->kwvals[i]));
    if (ag_grad_enabled && (needs_grad || any_requires_grad(out))) {
        tsr_raise(ERR_RuntimeError,
                  "%s(): functions with out=... arguments don't support automatic differentiation, but one of "
                  "the arguments requires grad.",
                  fn);
        return NULL;
    }
    /* the call without out */
    const char *names[ARGS_MAX];
    Value *vals[ARGS_MAX];
    int n = 0;
    for (int i = 0; i < a->nkw && n < ARGS_MAX; i++)
        if (i != k) names[n] = a->kwnames[i], vals[n++] = a->kwvals[i];
    CallArgs rest = {a->args, a->nargs, names, vals, n};
    Value *r = callee->builtin->fn(NULL, &rest);
    if (!r) return NULL;
    if (out->kind == VK_TENSOR) {
        bool ok = r->kind == VK_TENSOR && out_write(out->tensor, r->tensor);
        if (r->kind != VK_TENSOR) tsr_raise(ERR_TypeError, "%s(): argument 'out' must be tuple of Tensors, not Tensor", fn);
        val_release(r);
        return ok ? val_retain(out) : NULL;
    }
    bool tuple = r->kind == VK_TUPLE || r->kind == VK_NAMEDTUPLE;
    if (!tuple || r->seq.len != out->seq.len) {
        tsr_raise(ERR_RuntimeError, "%s(): expected %lld tensors in out, got %lld", fn,
                  (long long)(tuple ? r->seq.len : 1), (long long)out->seq.len);
        val_release(r);
        return NULL;
    }
    bool ok = true;
    for (int64_t i = 0; ok && i < r->seq.len; i++)
        ok = r->seq.items[i]->kind == VK_TENSOR && out_write(out->seq.items[i]->tensor, r->seq.items[i]->tensor);
    Value *res = NULL;
    if (ok) {
        res = r->kind == VK_NAMEDTUPLE ? val_namedtuple_new(out_type(r->seq.nt)) : val_tuple_new(out->seq.len);
        for (int64_t i = 0; res && i < out->seq.len; i++) res->seq.items[i] = val_retain(out->seq.items[i]);
    }
    val_release(r);
    return res;
}
