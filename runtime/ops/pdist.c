/* pdist.c: torch.pdist / F.pdist (at::pdist's checks, then
 * _pdist_forward on a contiguous host copy; the loops are
 * kernels/cpu/pdist.c). PdistBackward0 saves {self, result} with p as
 * its ctx; _pdist_backward records PdistBackwardBackward0, whose own
 * derivative PyTorch 1.13 does not implement. */
#include <math.h>

#include "autograd.h"
#include "error.h"
#include "op_errors.h"
#include "ops.h"
#include "pdist.h"

Tensor *op_pdist(Tensor *x, double p) {
    if (x->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "pdist only supports 2D tensors, got: %dD", x->ndim);
        return NULL;
    }
    if (!dtype_is_float(x->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "pdist only supports floating-point dtypes");
        return NULL;
    }
    if (!(p >= 0)) {
        tsr_raise(ERR_RuntimeError, "%s", "pdist only supports non-negative p values");
        return NULL;
    }
    int64_t n = x->shape[0], m = x->shape[1], pairs = n > 1 ? n * (n - 1) / 2 : 0;
    Tensor *out = NULL;
    if (pairs > 0 && m > 0) {
        if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64) {
            op_raise_not_implemented("pdist", x->dtype);
            return NULL;
        }
        Tensor *h = op_host_contiguous(x);
        out = h ? tensor_empty(x->dtype, 1, &pairs, device_cpu()) : NULL;
        if (out) kernel_pdist(x->dtype, tensor_data(h), n, m, p, tensor_data(out));
        tensor_release(h);
        out = op_host_result_to_steal(out, x->storage->device);
    } else {
        out = tensor_zeros(x->dtype, 1, &pairs, x->storage->device); /* m == 0: every distance is 0 */
    }
    Tensor *saves[2] = {x, out};
    return ag_record_steal(out, NODE_PdistBackward0, &x, 1, saves, 2, &p, sizeof p);
}

Tensor *op_pdist_backward(Tensor *grad, Tensor *x, double p, Tensor *dist) {
    int64_t n = x->shape[0], m = x->shape[1];
    Tensor *gin = NULL;
    if (n > 1 && m > 0) {
        Tensor *hg = op_host_contiguous(grad), *hx = hg ? op_host_contiguous(x) : NULL;
        Tensor *hd = hx ? op_host_contiguous(dist) : NULL;
        gin = hd ? tensor_empty(x->dtype, 2, x->shape, device_cpu()) : NULL;
        if (gin) kernel_pdist_backward(x->dtype, tensor_data(hg), tensor_data(hx), n, m, p, tensor_data(hd),
                                       tensor_data(gin));
        tensor_release(hg);
        tensor_release(hx);
        tensor_release(hd);
        gin = op_host_result_to_steal(gin, x->storage->device);
    } else {
        gin = tensor_zeros(x->dtype, 2, x->shape, x->storage->device);
    }
    Tensor *ins[3] = {grad, x, dist};
    return ag_record_steal(gin, NODE_PdistBackwardBackward0, ins, 3, NULL, 0, NULL, 0);
}
