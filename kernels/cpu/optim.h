/* optim.h: the optimizers' per-parameter updates as one loop per tensor
 * (torch.optim's SGD, Adam and AdamW steps over contiguous float32/float64
 * parameters). Each element goes through exactly the roundings of PyTorch
 * 1.13's _single_tensor_* functions, one tensor op after another: every
 * op rounds to the tensor's dtype, the scalars are cast to it first, and
 * `c + alpha * b` (add with alpha) and addcmul are one fused multiply-add,
 * as tsr's elementwise kernels compute them (kernels/cpu/binary.c). The
 * op layer (runtime/ops/optim.c) checks the tensors. */
#ifndef TSR_KERNEL_OPTIM_H
#define TSR_KERNEL_OPTIM_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

/* SGD on a parameter whose momentum buffer exists (or momentum 0):
 *   d = maximize ? -g : g;  d = d.add(p, alpha=weight_decay) (when != 0);
 *   buf.mul_(momentum).add_(d, alpha=damp)  (damp = 1 - dampening);
 *   d = nesterov ? d.add(buf, alpha=momentum) : buf;  p.add_(d, alpha=-lr) */
typedef struct {
    double lr, momentum, damp, weight_decay;
    bool nesterov, maximize;
} SgdStep;
KernelStatus kernel_sgd_step(DType dt, int64_t n, void *param, const void *grad, void *buf, const SgdStep *s);

/* Adam (decoupled: AdamW) on one parameter, the step count already taken:
 *   g = maximize ? -g : g;  decoupled: p.mul_(decay) (decay = 1 - lr * wd),
 *   else g = g.add(p, alpha=weight_decay) (when != 0);
 *   m.mul_(beta1).add_(g, alpha=omb1);  v.mul_(beta2).addcmul_(g, g, value=omb2);
 *   amsgrad: vmax = maximum(vmax, v), the denominator's source;
 *   denom = (src.sqrt() / bc2_sqrt).add_(eps);  p.addcdiv_(m, denom, value=-step_size) */
typedef struct {
    double beta1, beta2, omb1, omb2, eps, weight_decay, decay, step_size, bc2_sqrt;
    bool amsgrad, maximize, decoupled;
} AdamStep;
KernelStatus kernel_adam_step(DType dt, int64_t n, void *param, const void *grad, void *m, void *v, void *vmax,
                              const AdamStep *s);

#endif
