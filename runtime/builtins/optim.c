/* optim.c: tsr._sgd_step and tsr._adam_step, the fused per-parameter
 * updates that torch.optim's SGD, Adam and AdamW (runtime/builtins/torch/
 * optim_*.py) try before their tensor ops (runtime/ops/optim.c). Each
 * returns True when it updated the tensors, False when the fused loop does
 * not apply and the caller must run the ops. Private: not PyTorch's, and
 * only reachable as tsr._NAME. */
#include "builtins_util.h"
#include "ops.h"

/* v's tensor, borrowed (none_ok: NULL for None) */
static bool borrow_tensor(Value *v, const char *fn, const char *name, bool none_ok, Tensor **out) {
    *out = NULL;
    if (none_ok && (!v || v->kind == VK_NONE)) return true;
    if (v && v->kind == VK_TENSOR) {
        *out = v->tensor;
        return true;
    }
    tsr_raise(ERR_TypeError, "%s(): argument '%s' must be Tensor, not %s", fn, name, v ? val_type_name(v) : "NoneType");
    return false;
}

static bool doubles(Value **v, const char *fn, const char *const *names, int n, double *out) {
    for (int i = 0; i < n; i++)
        if (!arg_double(v[i], fn, names[i], 0, &out[i])) return false;
    return true;
}

static bool bools(Value **v, const char *fn, const char *const *names, int n, bool *out) {
    for (int i = 0; i < n; i++)
        if (!arg_bool(v[i], fn, names[i], false, &out[i])) return false;
    return true;
}

static Value *tsr_sgd_step(Value *self, const CallArgs *a) {
    static const char *const dn[] = {"lr", "momentum", "damp", "weight_decay"}, *const bn[] = {"nesterov", "maximize"};
    Value *v[9] = {0};
    if (!args_parse(a, 0, "_sgd_step", "param, grad, buf, lr, momentum, damp, weight_decay, nesterov, maximize", v))
        return NULL;
    Tensor *p, *g, *buf;
    double d[4];
    bool b[2];
    if (!borrow_tensor(v[0], "_sgd_step", "param", false, &p) || !borrow_tensor(v[1], "_sgd_step", "grad", false, &g) ||
        !borrow_tensor(v[2], "_sgd_step", "buf", true, &buf) || !doubles(v + 3, "_sgd_step", dn, 4, d) ||
        !bools(v + 7, "_sgd_step", bn, 2, b))
        return NULL;
    SgdStep s = {.lr = d[0], .momentum = d[1], .damp = d[2], .weight_decay = d[3], .nesterov = b[0], .maximize = b[1]};
    return val_bool(op_sgd_step_fused(p, g, buf, &s));
}

static Value *tsr_adam_step(Value *self, const CallArgs *a) {
    static const char *const dn[] = {"beta1", "beta2", "omb1",      "omb2",     "eps",
                                     "weight_decay", "decay", "step_size", "bc2_sqrt"},
                             *const bn[] = {"amsgrad", "maximize", "decoupled"};
    Value *v[17] = {0};
    if (!args_parse(a, 0, "_adam_step",
                    "param, grad, m, v, vmax, beta1, beta2, omb1, omb2, eps, weight_decay, decay, step_size, "
                    "bc2_sqrt, amsgrad, maximize, decoupled",
                    v))
        return NULL;
    Tensor *t[5];
    static const char *const tn[] = {"param", "grad", "m", "v", "vmax"};
    for (int i = 0; i < 5; i++)
        if (!borrow_tensor(v[i], "_adam_step", tn[i], i == 4, &t[i])) return NULL;
    double d[9];
    bool b[3];
    if (!doubles(v + 5, "_adam_step", dn, 9, d) || !bools(v + 14, "_adam_step", bn, 3, b)) return NULL;
    AdamStep s = {.beta1 = d[0], .beta2 = d[1], .omb1 = d[2], .omb2 = d[3], .eps = d[4], .weight_decay = d[5],
                  .decay = d[6], .step_size = d[7], .bc2_sqrt = d[8], .amsgrad = b[0], .maximize = b[1],
                  .decoupled = b[2]};
    return val_bool(op_adam_step_fused(t[0], t[1], t[2], t[3], t[4], &s));
}

const Builtin tsr_optim_functions[] = {
    {"_sgd_step", tsr_sgd_step},
    {"_adam_step", tsr_adam_step},
    {NULL, NULL},
};
