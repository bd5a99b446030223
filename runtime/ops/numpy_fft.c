/* numpy_fft.c: np.fft's execute (see the header). */
#include "numpy_fft.h"

#include <stdlib.h>

#include "error.h"
#include "fft_numpy.h"
#include "ops.h"

Tensor *op_np_fft_execute(Tensor *a, bool is_real, bool is_forward, double fct)
{
    if (a->ndim == 0) {
        tsr_raise(ERR_ValueError, "%s", "object of too small depth for desired array");
        return NULL;
    }
    bool r2c = is_real && is_forward, c2r = is_real && !is_forward;
    Tensor *x = tensor_clone(a, r2c ? DT_FLOAT64 : DT_COMPLEX128); /* host, contiguous, numpy's dtype */
    if (!x) return NULL;
    int64_t npts = a->shape[a->ndim - 1], shape[TSR_MAX_DIMS];
    for (int d = 0; d < a->ndim; d++) shape[d] = a->shape[d];
    if (r2c) shape[a->ndim - 1] = npts / 2 + 1;
    Tensor *out = is_real ? tensor_empty(r2c ? DT_COMPLEX128 : DT_FLOAT64, a->ndim, shape, device_cpu()) : x;
    if (!out) {
        tensor_release(x);
        return NULL;
    }
    int64_t nrep = npts ? tensor_numel(x) / npts : 0;
    if (nrep > 0) {
        size_t bytes = kernel_npfft_work_size(is_real, npts);
        void *work = bytes ? tsr_malloc(bytes) : NULL;
        if (!work) {
            if (!bytes) tsr_raise(ERR_MemoryError, "%s", "");
            if (out != x) tensor_release(out);
            tensor_release(x);
            return NULL;
        }
        double *in = (double *)tensor_data(x), *res = (double *)tensor_data(out);
        if (r2c) kernel_npfft_r2c(in, res, nrep, npts, fct, work);
        else if (c2r) kernel_npfft_c2r(in, res, nrep, npts, fct, work);
        else kernel_npfft_c2c(in, nrep, npts, is_forward, fct, work);
        free(work);
    }
    if (out != x) tensor_release(x);
    return out;
}
