/* creation.c: arange, linspace, logspace, eye. Values follow PyTorch's CPU
 * range kernels, including how their vectorised loops round: chunks of two
 * 256-bit vectors are computed from a per-vector base, the remainder
 * element by element, with fused multiply-adds. A CUDA result of arange,
 * linspace or eye is filled by the kernels of cuda_values.h, which compute
 * the same values; logspace fills on the host (managed memory). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "ops.h"

/* Elements per 256-bit vector for dtype t. */
#ifndef ARANGE_D
#define ARANGE_D(s, st, i) fma((st), (double)(i), (s))
#endif
static int vec_lanes(DType t) { return 32 / (int)dtype_size(t); }

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
    if (tensor_is_cuda(t) &&
        tsr_cuda->arange(dtype, tensor_ptr(t), n, start, step, (int64_t)xs, (int64_t)xst, lanes,
                    is_int ? 0 : n / (2 * lanes) * (2 * lanes)) == KERNEL_OK)
        return t;
    char *p = storage_host(t->storage);
    int64_t es = (int64_t)dtype_size(dtype);
    if (is_int) {
        int64_t s = (int64_t)xs, st = (int64_t)xst;
        for (int64_t i = 0; i < n; i++)
            dtype_store_i64(dtype, p + i * es, (int64_t)((uint64_t)s + (uint64_t)st * (uint64_t)i));
        return t;
    }
    /* floats: element-wise start + step*i in double, rounded to the dtype;
     * vectorised chunks: a per-vector base rounded to the dtype, plus
     * lane*step in double (Vectorized<T>::arange). */
    int64_t nvec = n / (2 * lanes) * (2 * lanes), i = 0;
    for (; i < nvec; i += lanes) {
        double base = ARANGE_D(start, step, i);
        if (dtype != DT_FLOAT64) base = (float)base;
        for (int j = 0; j < lanes; j++) dtype_store_f64(dtype, p + (i + j) * es, ARANGE_D(base, step, j));
    }
    for (; i < n; i++) dtype_store_f64(dtype, p + i * es, ARANGE_D(start, step, i));
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
        char one[8];
        dtype_store_f64(dtype, one, start);
        if (!tensor_is_cuda(t) || tsr_cuda->fill((int)es, tensor_ptr(t), 1, one) != KERNEL_OK)
            memcpy(storage_host(t->storage), one, (size_t)es);
        return t;
    }
    int64_t half = steps / 2;
    /* float32 and the half types: in float; the others in double, from a
     * start and end converted to an integral dtype first */
    float fs = (float)start, fe = (float)end, fst = (fe - fs) / (float)(steps - 1);
    int flanes = dtype == DT_FLOAT32 ? 8 : 16;
    double ds = start, de = end;
    if (dtype_is_integral(dtype, true)) {
        ds = (double)(int64_t)start;
        de = (double)(int64_t)end;
    }
    double dst = (de - ds) / (double)(steps - 1);
    if (tensor_is_cuda(t) && tsr_cuda->linspace(dtype, tensor_ptr(t), steps, fs, fe, fst, ds, de, dst, flanes,
                                           steps / (2 * flanes) * (2 * flanes)) == KERNEL_OK)
        return t;
    char *p = storage_host(t->storage);
    if (dtype == DT_FLOAT32 || dtype == DT_FLOAT16 || dtype == DT_BFLOAT16) {
        /* computed in float (the scalar type; half types round each step) */
        float s = fs, e = fe, st = fst;
        int lanes = flanes;
        int64_t nvec = steps / (2 * lanes) * (2 * lanes), i = 0;
        for (; i < nvec; i += lanes) {
            float base = i < half ? fmaf(st, (float)i, s) : fmaf(-st, (float)(steps - i - 1), e);
            for (int j = 0; j < lanes; j++) {
                float lane = (float)j * st; /* not fused: Vectorized::arange */
                dtype_store_f64(dtype, p + (i + j) * es, base + lane);
            }
        }
        for (; i < steps; i++) {
            float v = i < half ? fmaf(st, (float)i, s) : fmaf(-st, (float)(steps - i - 1), e);
            dtype_store_f64(dtype, p + i * es, v);
        }
        return t;
    }
    double s = ds, e = de, st = dst;
    for (int64_t i = 0; i < steps; i++) {
        double v = i < half ? fma(st, (double)i, s) : fma(-st, (double)(steps - i - 1), e);
        dtype_store_f64(dtype, p + i * es, v);
    }
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
        /* PyTorch fills from both ends (as linspace does) */
        double e = i < half ? start + step * (double)i : end - step * (double)(steps - i - 1);
        double v = pow(base, e);
        if (dtype_is_float(dt)) dtype_store_f64(dt, (char *)storage_host(out->storage) + i * es, v);
        else dtype_store_i64(dt, (char *)storage_host(out->storage) + i * es, (int64_t)v);
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
    char one[8];
    dtype_store_i64(dtype, one, 1);
    if (tensor_is_cuda(t) && tsr_cuda->fill_strided((int)es, tensor_ptr(t), k, m + 1, one) == KERNEL_OK) return t;
    char *p = storage_host(t->storage);
    for (int64_t i = 0; i < k; i++) dtype_store_i64(dtype, p + (i * m + i) * es, 1);
    return t;
}
