/* creation.c: arange, linspace, logspace, eye, linalg.vander. The values of arange,
 * linspace and eye come from the kernels of kernels/cpu/values.h (PyTorch's
 * CPU range kernels, vectorised rounding included) and their CUDA twins;
 * logspace fills on the host (managed memory on a GPU). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "ops.h"
#include "scalar_ops.h"
#include "vec_math.h"

/* Elements per Vectorized<T> of dtype t: 256 bits, 512 under the AVX-512
 * capability (ATen's arange/linspace blocks follow the vector width) */
static int vec_bytes(void) { return cpu_capability() == CPU_CAP_AVX512 ? 64 : 32; }
static int vec_lanes(DType t) { return vec_bytes() / (int)dtype_size(t); }

Tensor *op_arange(double start, double end, double step, DType dtype, Device dev) {
    if (dtype == DT_BOOL) {
        tsr_raise(ERR_RuntimeError, "%s", "\"arange_cpu\" not implemented for 'Bool'");
        return NULL;
    }
    bool is_int = dtype_is_int(dtype);
    double xs = start, xe = end, xst = step;
    if (is_int) {
        if (!isfinite(start) || !isfinite(end)) {
            tsr_raise(ERR_RuntimeError, "unsupported range: %g -> %g", start, end);
            return NULL;
        }
        xs = (double)(int64_t)start, xe = (double)(int64_t)end, xst = (double)(int64_t)step;
    }
    if (xst == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "step must be nonzero");
        return NULL;
    }
    if (!isfinite(xs) || !isfinite(xe)) {
        tsr_raise(ERR_RuntimeError, "unsupported range: %g -> %g", xs, xe);
        return NULL;
    }
    if (!((xst > 0 && xe >= xs) || (xst < 0 && xe <= xs))) {
        tsr_raise(ERR_RuntimeError, "%s", "upper bound and larger bound inconsistent with step sign");
        return NULL;
    }
    double size_d;
    if (dtype == DT_INT64) {
        int64_t s = (int64_t)xs, e = (int64_t)xe, st = (int64_t)xst, sgn = st > 0 ? 1 : -1;
        size_d = (double)((e - s + st - sgn) / st);
    } else {
        size_d = ceil((end - start) / step);
    }
    if (!(size_d >= 0 && size_d <= 9.2e18)) {
        tsr_raise(ERR_RuntimeError, "%s", "invalid size, possible overflow?");
        return NULL;
    }
    int64_t n = (int64_t)size_d;
    Tensor *t = tensor_empty(dtype, 1, &n, dev);
    if (!t) return NULL;
    int lanes = vec_lanes(dtype);
    KernelStatus st;
    DEVICE_RUN(st, t->storage->device, arange, dtype, tensor_ptr(t), n, start, step, (int64_t)xs, (int64_t)xst, lanes,
               is_int ? 0 : n / (2 * lanes) * (2 * lanes));
    (void)st; /* a loop for every dtype on the CPU */
    return t;
}

Tensor *op_linspace(double start, double end, int64_t steps, DType dtype, Device dev) {
    if (steps < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "number of steps must be non-negative");
        return NULL;
    }
    Tensor *t = tensor_empty(dtype, 1, &steps, dev);
    if (!t || steps == 0) return t;
    int64_t es = (int64_t)dtype_size(dtype);
    if (steps == 1) {
        char one[16];
        dtype_store_f64(dtype, one, start);
        if (!tensor_is_cuda(t) || tsr_cuda->fill((int)es, tensor_ptr(t), 1, one) != KERNEL_OK)
            memcpy(storage_host(t->storage), one, (size_t)es);
        return t;
    }
    /* float32 and the half types: in float; the others in double, from a
     * start and end converted to an integral dtype first */
    float fs = (float)start, fe = (float)end, fst = (fe - fs) / (float)(steps - 1);
    int flanes = dtype == DT_FLOAT32 || dtype == DT_FLOAT64 ? vec_lanes(dtype) : vec_bytes() / 2;
    double ds = start, de = end;
    if (dtype_is_integral(dtype, true)) {
        ds = (double)(int64_t)start;
        de = (double)(int64_t)end;
    }
    double dst = (de - ds) / (double)(steps - 1);
    KernelStatus st;
    DEVICE_RUN(st, t->storage->device, linspace, dtype, tensor_ptr(t), steps, fs, fe, fst, ds, de, dst, flanes,
               steps / (2 * flanes) * (2 * flanes));
    (void)st; /* a loop for every dtype on the CPU */
    return t;
}

Tensor *op_logspace(double start, double end, int64_t steps, double base, DType dtype, Device dev) {
    if (steps < 0) {
        tsr_raise(ERR_RuntimeError, "%s", "number of steps must be non-negative");
        return NULL;
    }
    DType dt = dtype != DT_UNDEFINED ? dtype : tsr_default_float;
    Tensor *out = tensor_empty(dt, 1, &steps, dev);
    if (!out) return NULL;
    int64_t es = (int64_t)dtype_size(dt);
    double step = steps > 1 ? (end - start) / (double)(steps - 1) : 0;
    int64_t half = steps / 2;
    for (int64_t i = 0; i < steps; i++) {
        /* PyTorch fills from both ends (as linspace does); one step is start */
        double e = i < half || steps == 1 ? start + step * (double)i : end - step * (double)(steps - i - 1);
        double v = pow(base, e);
        if (dtype_is_float(dt)) dtype_store_f64(dt, (char *)storage_host(out->storage) + i * es, v);
        else dtype_store_i64(dt, (char *)storage_host(out->storage) + i * es, f64_to_i64(v));
    }
    return out;
}

Tensor *op_eye(int64_t n, int64_t m, DType dtype, Device dev) {
    if (n < 0 || m < 0) {
        tsr_raise(ERR_RuntimeError, "%s must be greater or equal to 0, got %lld", n < 0 ? "n" : "m",
                  (long long)(n < 0 ? n : m));
        return NULL;
    }
    if (dtype == DT_BFLOAT16 && dev.type == DEV_CPU) { /* PyTorch's CPU build lacks it */
        tsr_raise(ERR_RuntimeError, "%s", "\"eye\" not implemented for 'BFloat16'");
        return NULL;
    }
    int64_t shape[2] = {n, m};
    Tensor *t = tensor_zeros(dtype, 2, shape, dev);
    if (!t) return NULL;
    int64_t es = (int64_t)dtype_size(dtype), k = n < m ? n : m;
    char one[16];
    dtype_store_i64(dtype, one, 1);
    KernelStatus st;
    DEVICE_RUN(st, t->storage->device, fill_strided, (int)es, tensor_ptr(t), k, m + 1, one);
    (void)st; /* a loop for every element size on the CPU */
    return t;
}

/* linalg.vander: as 1.13 composes it (LinearAlgebra.cpp), so it records
 * the nodes of its parts: ones, then the cumprod of x repeated N-1 times */
Tensor *op_linalg_vander(Tensor *x, bool has_n, int64_t N) {
    DType t = x->dtype;
    if (t != DT_FLOAT32 && t != DT_FLOAT64 && !dtype_is_integral(t, false)) {
        tsr_raise(ERR_RuntimeError, "linalg.vander supports floating point, complex, and integer tensors, but got %s",
                  dtype_scalar_name(t));
        return NULL;
    }
    Tensor *x_ = x->ndim == 0 ? op_unsqueeze(x, -1) : tensor_retain(x);
    if (!x_) return NULL;
    int64_t shape[TSR_MAX_DIMS + 1];
    int nd = x_->ndim;
    memcpy(shape, x_->shape, sizeof *shape * (size_t)nd);
    int64_t n = has_n ? N : shape[nd - 1];
    if (n <= 1) {
        tensor_release(x_);
        tsr_raise(ERR_RuntimeError, "%s", "N must be greater than 1.");
        return NULL;
    }
    shape[nd] = n - 1;
    Tensor *u = op_unsqueeze(x_, -1);
    tensor_release(x_);
    Tensor *e = u ? op_expand(u, nd + 1, shape) : NULL;
    tensor_release(u);
    Tensor *cp = e ? op_cumprod(e, -1, DT_UNDEFINED) : NULL;
    tensor_release(e);
    if (!cp) return NULL;
    shape[nd] = 1;
    Tensor *ones = tensor_full_i64(cp->dtype, nd + 1, shape, 1, cp->storage->device);
    Tensor *parts[2] = {ones, cp};
    Tensor *r = ones ? op_cat(parts, 2, -1) : NULL;
    tensor_release(ones);
    tensor_release(cp);
    return r;
}
