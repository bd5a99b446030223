/* linalg_add.c: torch.addmv, addr, addbmm, baddbmm, their Tensor methods
 * and in-place forms (beta * self + alpha * product). */
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

typedef enum { ADD_MV, ADD_R, ADD_BMM, ADD_BADDBMM } AddKind;

static const char *const arg_names[][2] = {{"mat", "vec"}, {"vec1", "vec2"}, {"batch1", "batch2"},
                                           {"batch1", "batch2"}};

/* beta=/alpha=: a Number, with the kind addr's checks read */
static bool scalar_arg(Value *v, const char *fn, const char *name, OpScalar *out) {
    out->kind = !v ? 'i' : v->kind == VK_BOOL ? 'b' : v->kind == VK_INT ? 'i' : 'f';
    if (v && v->kind == VK_TENSOR)
        out->kind = v->tensor->dtype == DT_BOOL ? 'b' : dtype_is_float(v->tensor->dtype) ? 'f' : 'i';
    return arg_double(v, fn, name, 1, &out->v);
}

static Tensor *run(AddKind k, Tensor *x, Tensor *a, Tensor *b, OpScalar beta, OpScalar alpha, bool inplace) {
    switch (k) {
    case ADD_MV: return op_addmv(x, a, b, beta.v, alpha.v);
    case ADD_R: return op_addr(x, a, b, beta, alpha, inplace);
    case ADD_BMM: return op_addbmm(x, a, b, beta.v, alpha.v);
    case ADD_BADDBMM: return op_baddbmm(x, a, b, beta.v, alpha.v);
    }
    return NULL;
}

static Value *add_common(AddKind k, const char *fn, bool inplace, Value *self, const CallArgs *a) {
    WITH_SELF(a);
    Value *v[5];
    char sig[96];
    snprintf(sig, sizeof sig, "input, %s, %s, *, beta=, alpha=", arg_names[k][0], arg_names[k][1]);
    if (!args_parse(a, 0, fn, sig, v)) return NULL;
    OpScalar beta, alpha;
    if (!scalar_arg(v[3], fn, "beta", &beta) || !scalar_arg(v[4], fn, "alpha", &alpha)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    Tensor *m1 = x ? arg_tensor(v[1], fn, arg_names[k][0]) : NULL;
    Tensor *m2 = m1 ? arg_tensor(v[2], fn, arg_names[k][1]) : NULL;
    Tensor *r = NULL;
    if (!m2) {
    } else if (!inplace) {
        r = run(k, x, m1, m2, beta, alpha, false);
    } else if (k == ADD_BMM && m1->ndim == 3 && m2->ndim == 3 &&
               (x->ndim != 2 || x->shape[0] != m1->shape[1] || x->shape[1] != m2->shape[2])) {
        tsr_raise(ERR_NotImplementedError, "%s",
                  "tsr: addbmm_ on a self of another shape than the product (PyTorch resizes self) is not supported");
    } else if (op_inplace_allowed(x)) {
        Tensor *ins[3] = {x, m1, m2};
        Tensor *s = op_inplace_standin(x, ag_any_requires_grad(ins, 3));
        Tensor *o = s ? run(k, s, m1, m2, beta, alpha, true) : NULL;
        if (o && o->dtype != x->dtype && k != ADD_R) {
            tsr_raise(ERR_RuntimeError, "Bad in-place call: input tensor dtype %s and output tensor dtype %s should match",
                      dtype_cpp_name(x->dtype), dtype_cpp_name(o->dtype));
            tensor_release(o);
            o = NULL;
        }
        if (o) r = commit_inplace(x, o, SIZE_FMT);
        tensor_release(s);
    }
    tensor_release(x);
    tensor_release(m1);
    tensor_release(m2);
    return inplace ? inplace_result(self, r) : wrap_tensor(r);
}

static Value *bi_addmv(Value *self, const CallArgs *a) { return add_common(ADD_MV, "addmv", false, self, a); }
static Value *bi_addmv_(Value *self, const CallArgs *a) { return add_common(ADD_MV, "addmv_", true, self, a); }
static Value *bi_addr(Value *self, const CallArgs *a) { return add_common(ADD_R, "addr", false, self, a); }
static Value *bi_addr_(Value *self, const CallArgs *a) { return add_common(ADD_R, "addr_", true, self, a); }
static Value *bi_addbmm(Value *self, const CallArgs *a) { return add_common(ADD_BMM, "addbmm", false, self, a); }
static Value *bi_addbmm_(Value *self, const CallArgs *a) { return add_common(ADD_BMM, "addbmm_", true, self, a); }
static Value *bi_baddbmm(Value *self, const CallArgs *a) {
    return add_common(ADD_BADDBMM, "baddbmm", false, self, a);
}
static Value *bi_baddbmm_(Value *self, const CallArgs *a) {
    return add_common(ADD_BADDBMM, "baddbmm_", true, self, a);
}

#define LINALG_ADD_COMMON {"addmv", bi_addmv}, {"addr", bi_addr}, {"addbmm", bi_addbmm}, {"baddbmm", bi_baddbmm},

const Builtin linalg_add_functions[] = {
    LINALG_ADD_COMMON{"addmv_", bi_addmv_},
    {NULL, NULL},
};

const Builtin linalg_add_methods[] = {
    LINALG_ADD_COMMON{"addmv_", bi_addmv_},
    {"addr_", bi_addr_},
    {"addbmm_", bi_addbmm_},
    {"baddbmm_", bi_baddbmm_},
    {NULL, NULL},
};
