/* frexp.c: torch.frexp (declared in ops.h): x = mantissa * 2**exponent,
 * |mantissa| in [0.5, 1), an int32 exponent; FrexpBackward0. */
#include <math.h>

#include "autograd.h"
#include "error.h"
#include "layout.h"
#include "ops.h"

bool op_frexp(Tensor *x, Tensor **mantissa, Tensor **exponent)
{
    *mantissa = *exponent = NULL;
    if (!dtype_is_float(x->dtype)) {
        tsr_raise(ERR_RuntimeError, "torch.frexp() only supports floating-point dtypes");
        return false;
    }
    Tensor *h = tensor_is_cuda(x) ? op_to(x, x->dtype, device_cpu(), false) : tensor_retain(x);
    Tensor *c = h ? tensor_contiguous(h) : NULL;
    tensor_release(h);
    Tensor *m = c ? tensor_empty(x->dtype, x->ndim, x->shape, device_cpu()) : NULL;
    Tensor *e = m ? tensor_empty(DT_INT32, x->ndim, x->shape, device_cpu()) : NULL;
    Tensor *mo = e ? layout_empty_like(x, x->dtype, x->storage->device) : NULL;
    Tensor *eo = mo ? layout_empty_like(x, DT_INT32, x->storage->device) : NULL;
    bool ok = eo != NULL;
    if (ok) {
        int64_t n = tensor_numel(c);
        int32_t *ep = (int32_t *)tensor_data(e);
        char *mp = tensor_data(m);
        size_t es = dtype_size(x->dtype);
        for (int64_t i = 0; i < n; i++) {
            int k = 0;
            /* float and double use their own frexp; half types go through float */
            double v = tensor_get_f64(c, i);
            double f = x->dtype == DT_FLOAT64 ? frexp(v, &k) : (double)frexpf((float)v, &k);
            if (!isfinite(v))
                k = 0;
            ep[i] = k;
            dtype_store_f64(x->dtype, mp + (int64_t)es * i, f);
        }
        ok = tensor_copy_(mo, m) && tensor_copy_(eo, e);
    }
    tensor_release(c);
    tensor_release(m);
    tensor_release(e);
    if (ok && ag_requires_grad(x)) {
        GradNode *node = ag_record(mo, NODE_FrexpBackward0, &x, 1);
        ok = node && ag_save(node, eo);
    }
    if (!ok) {
        tensor_release(mo);
        tensor_release(eo);
        return false;
    }
    *mantissa = mo;
    *exponent = eo;
    return true;
}
