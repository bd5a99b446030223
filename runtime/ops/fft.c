/* fft.c: torch.fft as ATen's native/SpectralOps.cpp composes it, over the
 * three transforms of its pocketfft backend (mkl/SpectralOps.cpp):
 * _fft_c2c, _fft_r2c and _fft_c2r, whose loops are kernels/cpu/fft.c.
 * The transforms run on the host over contiguous copies (a CUDA tensor's
 * managed memory too: tensor_data waits for its kernels), the result on
 * the input's device. Autograd as ATen's: the transforms record
 * FftC2CBackward0, FftR2CBackward0 and FftC2RBackward0 (their formulas are
 * runtime/backward/complex.c), the composites the nodes of their parts
 * (ToCopyBackward0, SliceBackward0, ConstantPadNdBackward0, ConjBackward0). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fft.h"
#include "operands.h"
#include "ops.h"

/* ATen's fft_norm_mode from norm's string ("backward" when NULL) */
static bool norm_mode(const char *norm, bool forward, FftNorm *out) {
    if (!norm || !strcmp(norm, "backward"))
        *out = forward ? FFT_NORM_NONE : FFT_NORM_BY_N;
    else if (!strcmp(norm, "forward"))
        *out = forward ? FFT_NORM_BY_N : FFT_NORM_NONE;
    else if (!strcmp(norm, "ortho"))
        *out = FFT_NORM_BY_ROOT_N;
    else {
        tsr_raise(ERR_RuntimeError, "Invalid normalization mode: \"%s\"", norm);
        return false;
    }
    return true;
}

/* compute_fct<T>: the factor in the transform's precision */
static double norm_factor(bool dbl, int64_t n, FftNorm norm) {
    switch (norm) {
    case FFT_NORM_BY_N: return dbl ? 1.0 / (double)n : (double)(1.0f / (float)n);
    case FFT_NORM_BY_ROOT_N: return dbl ? 1.0 / sqrt((double)n) : (double)(1.0f / sqrtf((float)n));
    default: return 1.0;
    }
}

/* the product of shape's sizes before d and after d */
static void outer_inner(const Tensor *t, int d, int64_t *outer, int64_t *inner) {
    *outer = *inner = 1;
    for (int i = 0; i < t->ndim; i++) {
        if (i < d) *outer *= t->shape[i];
        if (i > d) *inner *= t->shape[i];
    }
}

typedef enum { RUN_C2C_FWD, RUN_C2C_BWD, RUN_R2C, RUN_C2R } RunKind;

/* one transform along dim d: in -> out (contiguous host-visible memory),
 * len the (real or complex) signal length */
static bool run_axis(RunKind k, const Tensor *in, Tensor *out, int d, int64_t len, double fct) {
    const Tensor *geo = k == RUN_C2R ? out : in;
    int64_t outer, inner;
    outer_inner(geo, d, &outer, &inner);
    if (outer * inner * len == 0) return true;
    bool dbl = in->dtype == DT_FLOAT64 || in->dtype == DT_COMPLEX128;
    FftKind fk = k == RUN_R2C ? FFT_R2C : k == RUN_C2R ? FFT_C2R : FFT_C2C;
    void *work = tsr_malloc(kernel_fft_work_size(fk, dbl, len));
    if (!work) return false;
    const void *src = tensor_data(in);
    void *dst = tensor_data(out);
    if (k == RUN_R2C)
        kernel_fft_r2c(dbl, src, dst, outer, len, inner, fct, work);
    else if (k == RUN_C2R)
        kernel_fft_c2r(dbl, src, dst, outer, len, inner, fct, work);
    else
        kernel_fft_c2c(dbl, src, dst, outer, len, inner, k == RUN_C2C_FWD, fct, work);
    free(work);
    return true;
}

/* records the transform's node on out (stolen) from x */
static Tensor *record_fft(Tensor *out, Tensor *x, GradNodeKind kind, int ndims, const int64_t *dims, FftNorm norm,
                          bool flag, int64_t last_dim_size) {
    if (!out || !ag_any_requires_grad(&x, 1)) return out;
    FftCtx c = {.ndims = ndims, .norm = norm, .flag = flag, .last_dim_size = last_dim_size};
    memcpy(c.dims, dims, sizeof(int64_t) * (size_t)ndims);
    return ag_record_steal(out, kind, &x, 1, NULL, 0, &c, sizeof c);
}

static Tensor *run_c2c(Tensor *x, int ndims, const int64_t *dims, FftNorm norm, bool forward) {
    Tensor *c = op_contiguous(x);
    Tensor *out = c ? tensor_empty(x->dtype, x->ndim, x->shape, x->storage->device) : NULL;
    bool ok = out != NULL;
    int64_t n = 1;
    for (int i = 0; i < ndims; i++) n *= x->shape[dims[i]];
    double fct = norm_factor(x->dtype == DT_COMPLEX128, n, norm);
    for (int i = 0; ok && i < ndims; i++) {
        ok = run_axis(forward ? RUN_C2C_FWD : RUN_C2C_BWD, i ? out : c, out, (int)dims[i], x->shape[dims[i]], fct);
        fct = 1; /* applied on the first axis */
    }
    tensor_release(c);
    if (!ok) tensor_release(out);
    return ok ? out : NULL;
}

/* out[..., k, ...] = conj(out[mirrored]) for the last dim's k past the
 * onesided half: ATen's _fft_fill_with_conjugate_symmetry_ (every dim of
 * dims mirrored, (N - i) % N) */
static void fill_conjugate_symmetry(Tensor *out, int ndims, const int64_t *dims) {
    int last = (int)dims[ndims - 1];
    int64_t n = out->shape[last], half = n / 2 + 1, numel = tensor_numel(out);
    if (numel == 0 || n <= 2) return;
    bool mirrored[TSR_MAX_DIMS] = {0};
    for (int i = 0; i < ndims; i++) mirrored[dims[i]] = true;
    int64_t st[TSR_MAX_DIMS];
    contiguous_strides(out->ndim, out->shape, st);
    size_t es = dtype_size(out->dtype) / 2;
    char *base = tensor_data(out);
    int64_t idx[TSR_MAX_DIMS] = {0};
    for (int64_t e = 0; e < numel; e++) {
        int64_t rem = e;
        for (int d = out->ndim - 1; d >= 0; d--) idx[d] = rem % out->shape[d], rem /= out->shape[d];
        if (idx[last] < half) continue;
        int64_t src = 0;
        for (int d = 0; d < out->ndim; d++) {
            int64_t i = mirrored[d] ? (out->shape[d] - idx[d]) % out->shape[d] : idx[d];
            src += i * st[d];
        }
        char *o = base + e * 2 * es;
        const char *s = base + src * 2 * es;
        if (es == 8) {
            ((double *)o)[0] = ((const double *)s)[0];
            ((double *)o)[1] = -((const double *)s)[1];
        } else {
            ((float *)o)[0] = ((const float *)s)[0];
            ((float *)o)[1] = -((const float *)s)[1];
        }
    }
}

static Tensor *run_r2c(Tensor *x, int ndims, const int64_t *dims, FftNorm norm, bool onesided) {
    int last = (int)dims[ndims - 1];
    int64_t n = 1, len = x->shape[last];
    for (int i = 0; i < ndims; i++) n *= x->shape[dims[i]];
    int64_t sh[TSR_MAX_DIMS];
    memcpy(sh, x->shape, sizeof(int64_t) * x->ndim);
    sh[last] = len / 2 + 1;
    Tensor *c = op_contiguous(x);
    Tensor *half = c ? tensor_empty(dtype_to_complex(x->dtype), x->ndim, sh, x->storage->device) : NULL;
    bool ok = half && run_axis(RUN_R2C, c, half, last, len, norm_factor(x->dtype == DT_FLOAT64, n, norm));
    for (int i = 0; ok && i < ndims - 1; i++) ok = run_axis(RUN_C2C_FWD, half, half, (int)dims[i], sh[dims[i]], 1);
    tensor_release(c);
    if (!ok) {
        tensor_release(half);
        return NULL;
    }
    if (onesided) return half;
    Tensor *full = tensor_empty(half->dtype, x->ndim, x->shape, x->storage->device);
    Tensor *slice = full ? op_narrow(full, last, 0, sh[last]) : NULL;
    Tensor *r = slice ? op_copy_(slice, half) : NULL;
    tensor_release(r);
    tensor_release(slice);
    tensor_release(half);
    if (!r) {
        tensor_release(full);
        return NULL;
    }
    fill_conjugate_symmetry(full, ndims, dims);
    return full;
}

static Tensor *run_c2r(Tensor *x, int ndims, const int64_t *dims, FftNorm norm, int64_t last_dim_size) {
    int last = (int)dims[ndims - 1];
    int64_t sh[TSR_MAX_DIMS], n = 1;
    memcpy(sh, x->shape, sizeof(int64_t) * x->ndim);
    sh[last] = last_dim_size;
    for (int i = 0; i < ndims; i++) n *= sh[dims[i]];
    /* pocketfft's c2r: the other dims backward (c2c, factor 1) into a
     * temporary, then the last one */
    Tensor *c = op_contiguous(x);
    bool ok = c != NULL;
    if (ok && ndims > 1) {
        Tensor *t = tensor_empty(c->dtype, c->ndim, c->shape, c->storage->device);
        ok = t != NULL;
        for (int i = 0; ok && i < ndims - 1; i++) ok = run_axis(RUN_C2C_BWD, i ? t : c, t, (int)dims[i], c->shape[dims[i]], 1);
        tensor_release(c);
        c = t;
    }
    Tensor *out = ok ? tensor_empty(dtype_to_real(x->dtype), x->ndim, sh, x->storage->device) : NULL;
    ok = out && run_axis(RUN_C2R, c, out, last, last_dim_size, norm_factor(x->dtype == DT_COMPLEX128, n, norm));
    tensor_release(c);
    if (!ok) tensor_release(out);
    return ok ? out : NULL;
}

Tensor *op_fft_c2c_raw(Tensor *x, int ndims, const int64_t *dims, FftNorm norm, bool forward) {
    Tensor *r = NULL;
    NO_GRAD(r = run_c2c(x, ndims, dims, norm, forward));
    return record_fft(r, x, NODE_FftC2CBackward0, ndims, dims, norm, forward, 0);
}

Tensor *op_fft_r2c_raw(Tensor *x, int ndims, const int64_t *dims, FftNorm norm, bool onesided) {
    Tensor *r = NULL;
    NO_GRAD(r = run_r2c(x, ndims, dims, norm, onesided));
    int64_t last = x->ndim ? x->shape[dims[ndims - 1]] : 0;
    return record_fft(r, x, NODE_FftR2CBackward0, ndims, dims, norm, onesided, last);
}

Tensor *op_fft_c2r_raw(Tensor *x, int ndims, const int64_t *dims, FftNorm norm, int64_t last_dim_size) {
    Tensor *r = NULL;
    NO_GRAD(r = run_c2r(x, ndims, dims, norm, last_dim_size));
    return record_fft(r, x, NODE_FftC2RBackward0, ndims, dims, norm, false, last_dim_size);
}

/* promote_tensor_fft: integers to the default float, then (when
 * require_complex) to complex; Half and BFloat16 refused as on the CPU */
static Tensor *promote(Tensor *x, bool require_complex) {
    DType t = x->dtype;
    if (dtype_is_complex(t)) return tensor_retain(x);
    if (!dtype_is_float(t)) t = tsr_default_float;
    if (t != DT_FLOAT32 && t != DT_FLOAT64) {
        tsr_raise(ERR_RuntimeError, "Unsupported dtype %s", dtype_scalar_name(t));
        return NULL;
    }
    if (require_complex) t = dtype_to_complex(t);
    return t == x->dtype ? tensor_retain(x) : op_to_dtype(x, t);
}

/* resize_fft_input: each dims[i] sliced or zero-padded to sizes[i] (-1:
 * kept) */
static Tensor *resize_input(Tensor *x, int ndims, const int64_t *dims, const int64_t *sizes) {
    Tensor *cur = tensor_retain(x);
    bool pad = false;
    for (int i = 0; i < ndims && cur; i++) {
        if (sizes[i] == -1) continue;
        if (cur->shape[dims[i]] > sizes[i]) {
            Tensor *s = op_narrow(cur, dims[i], 0, sizes[i]);
            tensor_release(cur);
            cur = s;
        } else if (cur->shape[dims[i]] < sizes[i])
            pad = true;
    }
    if (!cur || !pad) return cur;
    int64_t amount[2 * TSR_MAX_DIMS] = {0};
    for (int i = 0; i < ndims; i++)
        if (sizes[i] != -1 && cur->shape[dims[i]] < sizes[i])
            amount[2 * (cur->ndim - 1 - dims[i]) + 1] = sizes[i] - cur->shape[dims[i]];
    Tensor *r = op_nn_constant_pad(cur, 2 * cur->ndim, amount, 0.0);
    tensor_release(cur);
    return r;
}

static const char *const fn_names[] = {"fft", "ifft", "rfft", "irfft", "hfft", "ihfft"};

static bool fn_forward(FftFn fn) { return fn == FFT_FN_FFT || fn == FFT_FN_RFFT || fn == FFT_FN_HFFT; }

/* the dim of a one-dimensional transform (a 0-dim tensor's dim wraps as
 * PyTorch's does there: as one of size 0) */
static bool wrap_one(int64_t dim, const Tensor *x, int64_t *d, int64_t *size) {
    int w = wrap_dim(dim, x->ndim);
    if (w < 0) return false;
    *d = w;
    *size = x->ndim ? x->shape[w] : 0;
    return true;
}

static bool check_n(int64_t n) {
    if (n >= 1) return true;
    tsr_raise(ERR_RuntimeError, "Invalid number of data points (%lld) specified", (long long)n);
    return false;
}

Tensor *op_fft(FftFn fn, Tensor *x, int64_t n_opt, bool has_n, int64_t dim, const char *norm_str) {
    const char *name = fn_names[fn];
    bool forward = fn_forward(fn);
    bool c2r = fn == FFT_FN_IRFFT || fn == FFT_FN_HFFT;
    bool r2c = fn == FFT_FN_RFFT || fn == FFT_FN_IHFFT || (!c2r && !dtype_is_complex(x->dtype));
    if ((fn == FFT_FN_RFFT || fn == FFT_FN_IHFFT) && dtype_is_complex(x->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s expects a real input tensor, but got %s", name, dtype_scalar_name(x->dtype));
        return NULL;
    }
    Tensor *in = promote(x, c2r);
    if (!in) return NULL;
    int64_t d, size, n;
    FftNorm norm;
    Tensor *out = NULL, *rs = NULL;
    if (!wrap_one(dim, in, &d, &size)) goto done;
    n = has_n ? n_opt : c2r ? 2 * (size - 1) : size;
    if (!check_n(n)) goto done;
    int64_t want = c2r ? n / 2 + 1 : n;
    if (has_n && in->ndim == 0) { /* constant_pad_nd of a 0-dim tensor, in its words */
        tsr_raise(ERR_RuntimeError, "%s",
                  "Length of pad should be no more than twice the number of dimensions of the input. Pad length is "
                  "2while the input has 0dimensions.");
        goto done;
    }
    rs = has_n ? resize_input(in, 1, &d, &want) : tensor_retain(in);
    if (!rs || !norm_mode(norm_str, forward, &norm)) goto done;
    if (c2r) {
        Tensor *src = forward ? op_conj(rs) : tensor_retain(rs);
        out = src ? op_fft_c2r_raw(src, 1, &d, norm, n) : NULL;
        tensor_release(src);
    } else if (r2c) {
        Tensor *r = op_fft_r2c_raw(rs, 1, &d, norm, fn == FFT_FN_RFFT || fn == FFT_FN_IHFFT);
        out = r && !forward ? op_conj(r) : tensor_retain(r);
        tensor_release(r);
    } else
        out = op_fft_c2c_raw(rs, 1, &d, norm, forward);
done:
    tensor_release(rs);
    tensor_release(in);
    return out;
}

/* canonicalize_fft_shape_and_dim_args: dims (wrapped, unique) and the
 * signal sizes; *nd the number of transformed dims */
static bool shape_and_dims(const Tensor *x, int ns, const int64_t *s, int ndim_arg, const int64_t *dim_arg,
                           int *nd, int64_t *dims, int64_t *shape) {
    int input_dim = x->ndim;
    if (dim_arg) {
        for (int i = 0; i < ndim_arg; i++) {
            int w = wrap_dim(dim_arg[i], input_dim);
            if (w < 0) return false;
            dims[i] = w;
        }
        for (int i = 0; i < ndim_arg; i++)
            for (int j = i + 1; j < ndim_arg; j++)
                if (dims[i] == dims[j]) {
                    tsr_raise(ERR_RuntimeError, "%s", "FFT dims must be unique");
                    return false;
                }
    }
    if (s) {
        if (dim_arg && ndim_arg != ns) {
            tsr_raise(ERR_RuntimeError, "%s", "When given, dim and shape arguments must have the same length");
            return false;
        }
        if (ns > input_dim) {
            tsr_raise(ERR_RuntimeError, "Got shape with %d values but input tensor only has %d dimensions.", ns,
                      input_dim);
            return false;
        }
        if (!dim_arg)
            for (int i = 0; i < ns; i++) dims[i] = input_dim - ns + i;
        for (int i = 0; i < ns; i++) shape[i] = s[i] == -1 ? x->shape[dims[i]] : s[i];
        *nd = ns;
    } else if (!dim_arg) {
        for (int i = 0; i < input_dim; i++) dims[i] = i, shape[i] = x->shape[i];
        *nd = input_dim;
    } else {
        for (int i = 0; i < ndim_arg; i++) shape[i] = x->shape[dims[i]];
        *nd = ndim_arg;
    }
    for (int i = 0; i < *nd; i++)
        if (!check_n(shape[i])) return false;
    return true;
}

Tensor *op_fftn(FftFn fn, Tensor *x, int ns, const int64_t *s, int ndim_arg, const int64_t *dim_arg,
                const char *norm_str) {
    const char *name = fn_names[fn];
    if (ns > TSR_MAX_DIMS || ndim_arg > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions", TSR_MAX_DIMS);
        return NULL;
    }
    bool forward = fn_forward(fn);
    bool c2r = fn == FFT_FN_IRFFT || fn == FFT_FN_HFFT;
    bool real_in = fn == FFT_FN_RFFT || fn == FFT_FN_IHFFT;
    if (fn == FFT_FN_RFFT && dtype_is_complex(x->dtype)) {
        tsr_raise(ERR_RuntimeError, "%sn expects a real-valued input tensor, but got %s", name,
                  dtype_scalar_name(x->dtype));
        return NULL;
    }
    int nd;
    int64_t dims[TSR_MAX_DIMS], shape[TSR_MAX_DIMS];
    if (!shape_and_dims(x, ns, s, ndim_arg, dim_arg, &nd, dims, shape)) return NULL;
    if (nd == 0 && fn != FFT_FN_FFT && fn != FFT_FN_IFFT) {
        tsr_raise(ERR_RuntimeError, "%sn must transform at least one axis", name);
        return NULL;
    }
    int64_t last_dim_size = 0;
    if (c2r) {
        /* canonicalize_fft_c2r_shape_and_dim_args */
        last_dim_size = (!s || s[ns - 1] == -1) ? 2 * (x->shape[dims[nd - 1]] - 1) : shape[nd - 1];
        if (!check_n(last_dim_size)) return NULL;
        shape[nd - 1] = last_dim_size / 2 + 1;
    }
    FftNorm norm;
    if (!norm_mode(norm_str, forward, &norm)) return NULL;
    Tensor *in = promote(x, !real_in);
    if (in && fn == FFT_FN_IHFFT && dtype_is_complex(in->dtype)) { /* _fft_r2c's TORCH_CHECK */
        tsr_raise(ERR_RuntimeError, "%s",
                  "Expected self.is_floating_point() to be true, but got false.  (Could this error message be "
                  "improved?  If so, please report an enhancement request to PyTorch.)");
        tensor_release(in);
        return NULL;
    }
    Tensor *r = in ? resize_input(in, nd, dims, shape) : NULL, *out = NULL;
    tensor_release(in);
    if (!r) return NULL;
    if (nd == 0 && r->ndim == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "ndim must be >= 1");
        out = NULL;
    } else if (nd == 0) /* PyTorch returns uninitialised memory of the shape */
        out = tensor_retain(r);
    else if (fn == FFT_FN_FFT || fn == FFT_FN_IFFT)
        out = op_fft_c2c_raw(r, nd, dims, norm, forward);
    else if (fn == FFT_FN_RFFT)
        out = op_fft_r2c_raw(r, nd, dims, norm, true);
    else if (fn == FFT_FN_IRFFT)
        out = op_fft_c2r_raw(r, nd, dims, norm, last_dim_size);
    else if (fn == FFT_FN_HFFT) {
        Tensor *tmp = nd > 1 ? op_fft_c2c_raw(r, nd - 1, dims, norm, true) : tensor_retain(r);
        Tensor *cj = tmp ? op_conj(tmp) : NULL;
        out = cj ? op_fft_c2r_raw(cj, 1, &dims[nd - 1], norm, last_dim_size) : NULL;
        tensor_release(tmp);
        tensor_release(cj);
    } else { /* ihfftn */
        Tensor *tmp = op_fft_r2c_raw(r, 1, &dims[nd - 1], norm, true);
        Tensor *cj = tmp ? op_conj(tmp) : NULL;
        out = cj && nd > 1 ? op_fft_c2c_raw(cj, nd - 1, dims, norm, false) : tensor_retain(cj);
        tensor_release(tmp);
        tensor_release(cj);
    }
    tensor_release(r);
    return out;
}

Tensor *op_fftfreq(int64_t n, double d, bool rfft, DType dtype, Device dev) {
    if (!dtype_is_float(dtype) && !dtype_is_complex(dtype)) {
        tsr_raise(ERR_RuntimeError, "%s requires a floating point or complex dtype", rfft ? "rfftfreq" : "fftfreq");
        return NULL;
    }
    if (n < 0) {
        tsr_raise(ERR_RuntimeError, "Trying to create tensor with negative dimension %lld: [%lld]", (long long)n,
                  (long long)n);
        return NULL;
    }
    if (dtype_is_complex(dtype)) { /* arange_out has no complex loop in 1.13 */
        tsr_raise(ERR_RuntimeError, "\"arange_cpu\" not implemented for '%s'", dtype_scalar_name(dtype));
        return NULL;
    }
    /* arange_out(out, n), the right half from -(n/2), then
     * mul_(1.0 / (n * d)) */
    DType at = dtype;
    int64_t len = rfft ? n / 2 + 1 : n;
    Tensor *a = op_arange(0, (double)len, 1, at, dev);
    if (a && !rfft && n > 0) {
        int64_t start = (n + 1) / 2;
        Tensor *right = op_narrow(a, 0, start, n - start);
        Tensor *vals = right ? op_arange((double)-(n / 2), 0, 1, at, dev) : NULL;
        Tensor *r = vals ? op_copy_(right, vals) : NULL;
        bool ok = r != NULL;
        tensor_release(r);
        tensor_release(vals);
        tensor_release(right);
        if (!ok) {
            tensor_release(a);
            return NULL;
        }
    }
    Tensor *out = a ? op_scalar_binary(BIN_MUL, a, 1.0 / ((double)n * d), false) : NULL;
    tensor_release(a);
    return out;
}

Tensor *op_fftshift(Tensor *x, int ndim_arg, const int64_t *dim_arg, bool inverse) {
    int64_t dims[TSR_MAX_DIMS], shifts[TSR_MAX_DIMS];
    int nd = dim_arg ? ndim_arg : x->ndim;
    if (nd > TSR_MAX_DIMS) {
        tsr_raise(ERR_RuntimeError, "tsr supports at most %d dimensions", TSR_MAX_DIMS);
        return NULL;
    }
    for (int i = 0; i < nd; i++) {
        int w = dim_arg ? wrap_dim(dim_arg[i], x->ndim) : i;
        if (w < 0) return NULL;
        dims[i] = w;
        shifts[i] = inverse ? (x->shape[w] + 1) / 2 : x->shape[w] / 2;
    }
    if (nd == 0) { /* at::roll with no shifts */
        tsr_raise(ERR_RuntimeError, "%s", "`shifts` required");
        return NULL;
    }
    return op_roll(x, nd, shifts, dims);
}
