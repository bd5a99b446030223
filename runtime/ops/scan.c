/* scan.c: logcumsumexp (ATen's ReduceOps.cpp: _logcumsumexp_cpu), its loop
 * run on host-visible data (kernels/cpu/scan.c; a CUDA tensor's managed
 * memory after device_wait).
 *
 * Autograd: LogcumsumexpBackward0, ctx args {dim (wrapped)}; saved
 * {self, result}. */
#include "error.h"
#include "op_errors.h"
#include "ops.h"
#include "scan.h"

Tensor *op_logcumsumexp(Tensor *a, int64_t dim) {
    int d = wrap_dim(dim, a->ndim);
    if (d < 0) return NULL;
    DType dt = a->dtype;
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64 && dt != DT_BFLOAT16) {
        op_raise_not_implemented("logcumsumexp_out_cpu", dt);
        return NULL;
    }
    Tensor *out = tensor_empty(dt, a->ndim, a->shape, a->storage->device);
    if (!out) return NULL;
    if (tensor_numel(a) > 0) {
        const char *in = tensor_data(a); /* waits for the device */
        kernel_logcumsumexp(dt, a->ndim, a->shape, d, in, a->stride, tensor_data(out), out->stride);
    }
    int64_t arg = d;
    OpCtx ctx = op_ctx(a, 1, &arg);
    return ag_record_steal(out, NODE_LogcumsumexpBackward0, &a, 1, (Tensor *[]){a, out}, 2, &ctx, sizeof ctx);
}
