/* optim.c: the optimizers' fused per-parameter steps (kernels/cpu/optim.h)
 * for torch.optim's SGD, Adam and AdamW. They apply only where the fused
 * loop gives the bits of the tensor ops it replaces: CPU tensors of one
 * float32/float64 dtype, contiguous, of one shape, each in its own storage,
 * with grad mode off (the optimizers' steps run under no_grad). Otherwise
 * they return false and touch nothing, and the caller runs the ops. Each
 * tensor's version counter advances as the in-place ops would have
 * advanced it. */
#include "ops.h"

/* ts[0..n) usable by the fused loops: ts[0] the parameter, NULLs skipped */
static bool fusable(Tensor *const *ts, int n) {
    if (ag_grad_enabled) return false;
    Tensor *p = ts[0];
    if (p->dtype != DT_FLOAT32 && p->dtype != DT_FLOAT64) return false;
    for (int i = 0; i < n; i++) {
        Tensor *t = ts[i];
        if (!t) continue;
        if (t->dtype != p->dtype || tensor_is_cuda(t) || !tensor_is_contiguous(t) || t->ndim != p->ndim) return false;
        for (int d = 0; d < p->ndim; d++)
            if (t->shape[d] != p->shape[d]) return false;
        for (int j = 0; j < i; j++)
            if (ts[j] && ts[j]->storage == t->storage) return false;
    }
    return true;
}

bool op_sgd_step_fused(Tensor *param, Tensor *grad, Tensor *buf, const SgdStep *s) {
    Tensor *ts[3] = {param, grad, s->momentum != 0 ? buf : NULL};
    if ((s->momentum != 0 && !buf) || !fusable(ts, 3)) return false;
    if (kernel_sgd_step(param->dtype, tensor_numel(param), tensor_data(param), tensor_data(grad),
                        ts[2] ? tensor_data(ts[2]) : NULL, s) != KERNEL_OK)
        return false;
    param->storage->version++;
    if (ts[2]) ts[2]->storage->version += 2; /* mul_, add_ */
    return true;
}

bool op_adam_step_fused(Tensor *param, Tensor *grad, Tensor *m, Tensor *v, Tensor *vmax, const AdamStep *s) {
    Tensor *ts[5] = {param, grad, m, v, s->amsgrad ? vmax : NULL};
    if ((s->amsgrad && !vmax) || !fusable(ts, 5)) return false;
    if (kernel_adam_step(param->dtype, tensor_numel(param), tensor_data(param), tensor_data(grad), tensor_data(m),
                         tensor_data(v), ts[4] ? tensor_data(ts[4]) : NULL, s) != KERNEL_OK)
        return false;
    param->storage->version += s->decoupled ? 2 : 1; /* (mul_,) addcdiv_ */
    m->storage->version += 2;                         /* mul_, add_ */
    v->storage->version += 2;                         /* mul_, addcmul_ */
    if (ts[4]) ts[4]->storage->version++;             /* maximum(out=) */
    return true;
}
