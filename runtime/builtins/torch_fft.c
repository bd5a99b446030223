/* torch_fft.c: the torch.fft module (fft_module_functions, installed by
 * torch_module.c): fft, ifft, rfft, irfft, hfft, ihfft, their 2- and
 * n-dimensional forms, fftfreq, rfftfreq, fftshift and ifftshift. The
 * ops are in runtime/ops/fft.c; PyTorch's parser names them fft_NAME in
 * its errors. */
#include <stdio.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* norm=None | str */
static bool arg_norm(Value *v, const char *fn, const char **out) {
    *out = NULL;
    if (is_none(v)) return true;
    if (v->kind != VK_STR) {
        char pos[32];
        tsr_raise(ERR_TypeError, "%s(): argument 'norm'%s must be str, not %s", fn,
                  arg_position(fn, "norm", pos, sizeof pos), val_type_name(v));
        return false;
    }
    *out = v->str.s;
    return true;
}

/* an int argument; PyTorch's parser names its position */
static bool fft_int(Value *v, const char *fn, const char *name, int64_t dflt, int64_t *out) {
    if (arg_int(v, fn, name, dflt, out)) return true;
    char pos[32];
    tsr_err_clear();
    tsr_raise(ERR_TypeError, "%s(): argument '%s'%s must be int, not %s", fn, name,
              arg_position(fn, name, pos, sizeof pos), val_type_name(v));
    return false;
}

/* an int or a tuple of ints */
static bool fft_ints(Value *v, const char *fn, const char *name, int64_t *out, int *n) {
    if (arg_dims(v, fn, out, n)) return true;
    char pos[32];
    tsr_err_clear();
    tsr_raise(ERR_TypeError, "%s(): argument '%s'%s must be tuple of ints, not %s", fn, name,
              arg_position(fn, name, pos, sizeof pos), val_type_name(v));
    return false;
}

/* out=: PyTorch's check of its kind (complex for the transforms to the
 * frequency domain's complex values, floating for c2r), then the result
 * written into it */
static bool out_arg(Value *v, const char *qual, const char *fname, bool complex_out, Tensor **out) {
    *out = NULL;
    if (is_none(v)) return true;
    if (v->kind != VK_TENSOR) {
        tsr_raise(ERR_TypeError, "%s(): argument 'out' must be Tensor, not %s", qual, val_type_name(v));
        return false;
    }
    DType dt = v->tensor->dtype;
    if (complex_out ? !dtype_is_complex(dt) : !dtype_is_float(dt)) {
        tsr_raise(ERR_RuntimeError, "%s expects a %s output tensor, but got %s", fname,
                  complex_out ? "complex" : "floating point", dtype_scalar_name(dt));
        return false;
    }
    *out = v->tensor;
    return true;
}

/* the result r (stolen), or out (the argument itself) holding it */
static Value *finish(Tensor *r, Tensor *out, Value *out_value) {
    if (!r || !out) return wrap_tensor(r);
    bool ok = out_write(out, r);
    tensor_release(r);
    return ok ? val_retain(out_value) : NULL;
}

static bool complex_result(FftFn fn) { return fn != FFT_FN_IRFFT && fn != FFT_FN_HFFT; }

static const char *const base_names[] = {"fft", "ifft", "rfft", "irfft", "hfft", "ihfft"};

/* f(input, n=None, dim=-1, norm=None, *, out=None) */
static Value *one_dim(FftFn fn, const char *qual, const CallArgs *a) {
    Value *v[5] = {0};
    if (!args_parse(a, 0, qual, "input, n=, dim=, norm=, *, out=", v)) return NULL;
    Tensor *x = arg_tensor(v[0], qual, "input"), *out;
    if (!x) return NULL;
    if (!out_arg(v[4], qual, base_names[fn], complex_result(fn), &out)) {
        tensor_release(x);
        return NULL;
    }
    int64_t n = 0, dim = -1;
    const char *norm;
    bool has_n = !is_none(v[1]);
    Tensor *r = NULL;
    if ((!has_n || fft_int(v[1], qual, "n", 0, &n)) && fft_int(v[2], qual, "dim", -1, &dim) &&
        arg_norm(v[3], qual, &norm))
        r = op_fft(fn, x, n, has_n, dim, norm);
    tensor_release(x);
    return finish(r, out, v[4]);
}

/* f(input, s=None, dim=DEFAULT, norm=None): two (dim (-2, -1)) or n
 * (dim None) dimensions */
static Value *n_dim(FftFn fn, const char *qual, bool two, const CallArgs *a) {
    Value *v[5] = {0};
    if (!args_parse(a, 0, qual, "input, s=, dim=, norm=, *, out=", v)) return NULL;
    Tensor *x = arg_tensor(v[0], qual, "input"), *out;
    if (!x) return NULL;
    char fname[16];
    /* fftn_c2c names itself "fftn" for ifftn too */
    snprintf(fname, sizeof fname, "%sn", base_names[fn == FFT_FN_IFFT ? FFT_FN_FFT : fn]);
    if (!out_arg(v[4], qual, fname, complex_result(fn), &out)) {
        tensor_release(x);
        return NULL;
    }
    int64_t s[TSR_MAX_DIMS], dim[TSR_MAX_DIMS] = {-2, -1};
    int ns = 0, nd = two ? 2 : 0;
    bool has_s = !is_none(v[1]), has_dim = two || !is_none(v[2]);
    const char *norm;
    Tensor *r = NULL;
    if ((!has_s || fft_ints(v[1], qual, "s", s, &ns)) && (is_none(v[2]) || fft_ints(v[2], qual, "dim", dim, &nd)) &&
        arg_norm(v[3], qual, &norm))
        r = op_fftn(fn, x, ns, has_s ? s : NULL, nd, has_dim ? dim : NULL, norm);
    tensor_release(x);
    return finish(r, out, v[4]);
}

#define FFT_FNS(X) X(fft, FFT) X(ifft, IFFT) X(rfft, RFFT) X(irfft, IRFFT) X(hfft, HFFT) X(ihfft, IHFFT)
#define DEFINE(name, e)                                                                                     \
    static Value *bi_##name(Value *self, const CallArgs *a) { return one_dim(FFT_FN_##e, "fft_" #name, a); } \
    static Value *bi_##name##2(Value *self, const CallArgs *a) {                                            \
        return n_dim(FFT_FN_##e, "fft_" #name "2", true, a);                                                \
    }                                                                                                       \
    static Value *bi_##name##n(Value *self, const CallArgs *a) {                                            \
        return n_dim(FFT_FN_##e, "fft_" #name "n", false, a);                                               \
    }
FFT_FNS(DEFINE)
#undef DEFINE

/* fftfreq(n, d=1.0, *, dtype=None, layout=torch.strided, device=None,
 * requires_grad=False) and rfftfreq */
static Value *freq(bool rfft, const CallArgs *a) {
    const char *qual = rfft ? "fft_rfftfreq" : "fft_fftfreq";
    Value *v[6] = {0};
    if (!args_parse(a, 0, qual, "n, d=, *, dtype=, layout=, device=, requires_grad=", v)) return NULL;
    int64_t n;
    double d = 1.0;
    DType dt;
    Device dev;
    bool rg;
    if (!fft_int(v[0], qual, "n", 0, &n) || !arg_double(v[1], qual, "d", 1.0, &d) || !arg_dtype(v[2], qual, &dt) ||
        !arg_device(v[4], qual, &dev) || !arg_bool(v[5], qual, "requires_grad", false, &rg))
        return NULL;
    Tensor *r = op_fftfreq(n, d, rfft, dt == DT_UNDEFINED ? tsr_default_float : dt, dev);
    if (r && rg) {
        if (!dtype_is_float(r->dtype) && !dtype_is_complex(r->dtype)) {
            tensor_release(r);
            tsr_raise(ERR_RuntimeError, "%s", "Only Tensors of floating point and complex dtype can require gradients");
            return NULL;
        }
        r->requires_grad = true;
    }
    return wrap_tensor(r);
}
static Value *bi_fftfreq(Value *self, const CallArgs *a) { return freq(false, a); }
static Value *bi_rfftfreq(Value *self, const CallArgs *a) { return freq(true, a); }

/* fftshift(input, dim=None) and ifftshift */
static Value *shift(bool inverse, const CallArgs *a) {
    const char *qual = inverse ? "fft_ifftshift" : "fft_fftshift";
    Value *v[2] = {0};
    if (!args_parse(a, 0, qual, "input, dim=", v)) return NULL;
    Tensor *x = arg_tensor(v[0], qual, "input");
    if (!x) return NULL;
    int64_t dim[TSR_MAX_DIMS];
    int nd = 0;
    Tensor *r = NULL;
    if (is_none(v[1]) || fft_ints(v[1], qual, "dim", dim, &nd)) r = op_fftshift(x, nd, is_none(v[1]) ? NULL : dim, inverse);
    tensor_release(x);
    return wrap_tensor(r);
}
static Value *bi_fftshift(Value *self, const CallArgs *a) { return shift(false, a); }
static Value *bi_ifftshift(Value *self, const CallArgs *a) { return shift(true, a); }

#define ENTRIES(name, e) {#name, bi_##name}, {#name "2", bi_##name##2}, {#name "n", bi_##name##n},
const Builtin fft_module_functions[] = {
    FFT_FNS(ENTRIES){"fftfreq", bi_fftfreq},
    {"rfftfreq", bi_rfftfreq},
    {"fftshift", bi_fftshift},
    {"ifftshift", bi_ifftshift},
    {NULL, NULL},
};
