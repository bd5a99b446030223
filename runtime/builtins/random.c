/* random.c: torch's random functions and in-place samplers over
 * the default CPU generator (random.h). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "autograd.h"
#include "builtins_util.h"
#include "device.h"
#include "error.h"
#include "ops.h"
#include "random.h"

/* A torch.Generator value over own (taken; NULL: the default generator). */
static Value *generator_value(RngGen *own)
{
    Value *v = tsr_calloc(1, sizeof(Value));
    if (!v) {
        free(own);
        return NULL;
    }
    v->kind = VK_GENERATOR;
    v->rc = 1;
    v->rng = own;
    return v;
}

/* torch.default_generator, one value for the life of the process (what
 * torch.manual_seed returns too, so `is` holds) */
Value *default_generator_value(void)
{
    static Value *the_default;
    if (!the_default)
        the_default = generator_value(NULL);
    return val_retain(the_default);
}

static RngGen *gen_of(Value *v) { return v->rng ? v->rng : rng_default(); }

/* generator=None (the default generator) or a torch.Generator. */
RngGen *arg_generator(Value *v, const char *fn)
{
    if (v && v->kind != VK_NONE && v->kind != VK_GENERATOR) {
        tsr_raise(ERR_TypeError, "%s(): argument 'generator' must be torch.Generator, not %s", fn,
                  val_type_name(v));
        return NULL;
    }
    return v && v->kind == VK_GENERATOR ? gen_of(v) : rng_default();
}

/* The device a random factory draws on. TSR_DEFAULT_DEVICE=cuda (a test
 * switch, device.h) puts a factory given no device= on the GPU, but its
 * numbers still come from the CPU generator (drawn there, then moved by
 * moved_to), so a seeded golden case prints on the GPU what it prints on
 * the CPU and the ops after the draw are compared (the GPU's own Philox
 * stream differs from the CPU's, as PyTorch's does). */
static Device draw_device(Value *devv, Device dev)
{
    return devv && devv->kind != VK_NONE ? dev : device_cpu();
}

/* t (stolen) on dev. */
static Tensor *moved_to(Tensor *t, Device dev)
{
    if (!t || device_equal(t->storage->device, dev))
        return t;
    Tensor *c = op_to(t, t->dtype, dev, false);
    tensor_release(t);
    return c;
}

/* requires_grad=True on a fresh tensor. */
static Tensor *finish(Tensor *t, bool requires_grad)
{
    if (!t || !requires_grad)
        return t;
    if (!dtype_is_float(t->dtype)) {
        tensor_release(t);
        tsr_raise(ERR_RuntimeError, "%s", "Only Tensors of floating point and complex dtype can require gradients");
        return NULL;
    }
    t->requires_grad = true;
    return t;
}

/* An in-place sampler may not write a leaf that requires grad. */
static bool inplace_ok(Tensor *t)
{
    if (ag_grad_enabled && t->requires_grad && !t->grad_fn) {
        tsr_raise(ERR_RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation.");
        return false;
    }
    return true;
}

static void bump(Tensor *t) { t->storage->version++; }

static bool seed_arg(Value *v, uint64_t *out)
{
    if (v->kind == VK_FLOAT) {
        double d = v->f;
        if (!isfinite(d)) {
            tsr_raise(ERR_OverflowError, "cannot convert float %s to integer", isnan(d) ? "NaN" : "infinity");
            return false;
        }
        if (d >= 18446744073709551616.0 || d < -9223372036854775808.0) {
            tsr_raise(ERR_RuntimeError, "Overflow when unpacking long");
            return false;
        }
        *out = d >= 0 ? (uint64_t)d : (uint64_t)(int64_t)d;
        return true;
    }
    int64_t i;
    if (!val_as_int(v, &i))
        return false;
    *out = (uint64_t)i;
    return true;
}

/* ---- seeding: torch.* over the default generator, and the methods of
 * a torch.Generator over its own */

static Value *bi_manual_seed(Value *self, const CallArgs *a)
{
    Value *v[1];
    if (!args_parse(a, 0, "manual_seed", "seed", v))
        return NULL;
    uint64_t s;
    if (!seed_arg(v[0], &s))
        return NULL;
    rng_seed(rng_default(), s);
    rng_cuda_manual_seed(s); /* torch.manual_seed seeds every device */
    return default_generator_value();
}

/* tsr's ints are int64: seeds at or above 2^63 (only manual_seed of a
 * negative number makes one) show as negative. */
static Value *initial_seed_of(RngGen *g, const CallArgs *a)
{
    Value *v[1];
    if (!args_parse(a, 0, "initial_seed", "", v))
        return NULL;
    return val_int((int64_t)g->seed);
}

static Value *bi_initial_seed(Value *self, const CallArgs *a) { return initial_seed_of(rng_default(), a); }

static Value *bi_seed(Value *self, const CallArgs *a)
{
    Value *v[1];
    if (!args_parse(a, 0, "seed", "", v))
        return NULL;
    uint64_t s = rng_nondeterministic_seed();
    rng_seed(rng_default(), s);
    rng_cuda_manual_seed(s);
    return val_int((int64_t)s);
}

static Value *get_state_of(RngGen *g, const char *fn, const CallArgs *a)
{
    Value *v[1];
    if (!args_parse(a, 0, fn, "", v))
        return NULL;
    int64_t n = RNG_STATE_BYTES;
    Tensor *t = tensor_empty(DT_UINT8, 1, &n, device_cpu());
    if (!t)
        return NULL;
    rng_get_state(g, (uint8_t *)tensor_data(t));
    return wrap_tensor(t);
}

static Value *bi_get_rng_state(Value *self, const CallArgs *a) { return get_state_of(rng_default(), "get_rng_state", a); }

static bool set_state_of(RngGen *g, const char *fn, const CallArgs *a)
{
    Value *v[1];
    if (!args_parse(a, 0, fn, "new_state", v))
        return false;
    Tensor *t = arg_tensor(v[0], fn, "new_state");
    if (!t)
        return false;
    Tensor *c = NULL;
    if (t->dtype != DT_UINT8) {
        tsr_raise(ERR_TypeError, "expected a torch.ByteTensor, but got %s", val_type_name(v[0]));
        goto fail;
    }
    c = tensor_contiguous(t);
    if (!c || !rng_set_state(g, (const uint8_t *)tensor_data(c), tensor_numel(c)))
        goto fail;
    tensor_release(c);
    tensor_release(t);
    return true;
fail:
    tensor_release(c);
    tensor_release(t);
    return false;
}

static Value *bi_set_rng_state(Value *self, const CallArgs *a)
{
    return set_state_of(rng_default(), "set_rng_state", a) ? val_none() : NULL;
}

/* torch.Generator(device='cpu'): a new CPU generator, seeded with
 * RNG_DEFAULT_SEED. */
static Value *bi_Generator(Value *self, const CallArgs *a)
{
    Value *v[1];
    Device dev = device_cpu(); /* 'cpu' by default, whatever the default device */
    if (!args_parse(a, 0, "Generator", "device=", v) ||
        (v[0] && v[0]->kind != VK_NONE && !arg_device(v[0], "Generator", &dev)))
        return NULL;
    if (dev.type != DEV_CPU) {
        tsr_raise(ERR_RuntimeError, "%s", "Device type CUDA is not supported for torch.Generator() api.");
        return NULL;
    }
    RngGen *g = tsr_calloc(1, sizeof *g);
    if (!g)
        return NULL;
    rng_seed(g, RNG_DEFAULT_SEED);
    return generator_value(g);
}

static Value *gen_manual_seed(Value *self, const CallArgs *a)
{
    Value *v[1];
    if (!args_parse(a, 0, "manual_seed", "seed", v))
        return NULL;
    int64_t s;
    if (v[0]->kind != VK_INT && v[0]->kind != VK_BOOL) {
        tsr_raise(ERR_RuntimeError, "manual_seed expected a long, but got %s", val_type_name(v[0]));
        return NULL;
    }
    if (!val_as_int(v[0], &s))
        return NULL;
    rng_seed(gen_of(self), (uint64_t)s);
    return val_retain(self);
}

static Value *gen_initial_seed(Value *self, const CallArgs *a) { return initial_seed_of(gen_of(self), a); }

static Value *gen_seed(Value *self, const CallArgs *a)
{
    Value *v[1];
    if (!args_parse(a, 0, "seed", "", v))
        return NULL;
    uint64_t s = rng_nondeterministic_seed();
    rng_seed(gen_of(self), s);
    return val_int((int64_t)s);
}

static Value *gen_get_state(Value *self, const CallArgs *a) { return get_state_of(gen_of(self), "get_state", a); }

static Value *gen_set_state(Value *self, const CallArgs *a)
{
    return set_state_of(gen_of(self), "set_state", a) ? val_retain(self) : NULL;
}

const Builtin torch_generator_methods[] = {
    {"manual_seed", gen_manual_seed}, {"initial_seed", gen_initial_seed}, {"seed", gen_seed},
    {"get_state", gen_get_state},     {"set_state", gen_set_state},       {NULL, NULL},
};

/* ---- rand / randn: (*size, generator=, dtype=, device=, requires_grad=) */

static Value *sized_random(const char *fn, const CallArgs *a, bool normal)
{
    Value *v[8];
    int np = a->nargs;
    if (!args_parse(a, np, fn, "size=, *, generator=, out=, dtype=, layout=, device=, pin_memory=, requires_grad=", v))
        return NULL;
    int64_t shape[TSR_MAX_DIMS];
    int ndim = 0;
    if (np > 0 && v[0]) {
        tsr_raise(ERR_TypeError, "%s() got multiple values for argument 'size'", fn);
        return NULL;
    }
    if (np == 0 && !v[0]) {
        raise_invalid_args(fn, a);
        return NULL;
    }
    if (np > 0 ? !val_as_shape(a->args, np, shape, &ndim, fn) : !val_as_shape(&v[0], 1, shape, &ndim, fn))
        return NULL;
    DType dt;
    Device dev;
    bool rg;
    RngGen *g = arg_generator(v[1], fn);
    if (!g || !arg_dtype(v[3], fn, &dt) || !arg_device(v[5], fn, &dev) ||
        !arg_bool(v[7], fn, "requires_grad", false, &rg))
        return NULL;
    if (dt == DT_UNDEFINED)
        dt = tsr_default_float;
    Tensor *t = tensor_empty(dt, ndim, shape, draw_device(v[5], dev));
    if (!t)
        return NULL;
    if (!(normal ? rng_dev_normal_(t, 0, 1, g) : rng_dev_uniform_(t, 0, 1, g))) {
        tensor_release(t);
        return NULL;
    }
    return wrap_tensor(finish(moved_to(t, dev), rg));
}

static Value *bi_rand(Value *self, const CallArgs *a) { return sized_random("rand", a, false); }
static Value *bi_randn(Value *self, const CallArgs *a) { return sized_random("randn", a, true); }

/* ---- randint(low=0, high, size, *, generator=, dtype=, device=, requires_grad=) */

static Value *bi_randint(Value *self, const CallArgs *a)
{
    const char *fn = "randint";
    /* randint(high, size) and randint(low, high, size) */
    bool kw_low = false, kw_high = false, kw_size = false;
    for (int i = 0; i < a->nkw; i++) {
        kw_low |= strcmp(a->kwnames[i], "low") == 0;
        kw_high |= strcmp(a->kwnames[i], "high") == 0;
        kw_size |= strcmp(a->kwnames[i], "size") == 0;
    }
    bool two = !(a->nargs >= 3 || (a->nargs == 2 && kw_size) || kw_low || (a->nargs == 1 && kw_high));
    const char *spec = two ? "high, size, *, generator=, out=, dtype=, layout=, device=, pin_memory=, requires_grad="
                           : "low, high, size, *, generator=, out=, dtype=, layout=, device=, pin_memory=, requires_grad=";
    Value *w[10];
    if (!args_parse(a, 0, fn, spec, w))
        return NULL;
    Value *lowv = two ? NULL : w[0];
    Value *highv = two ? w[0] : w[1];
    Value *sizev = two ? w[1] : w[2];
    Value *genv = two ? w[2] : w[3];
    Value *dtv = two ? w[4] : w[5];
    Value *devv = two ? w[6] : w[7];
    Value *rgv = two ? w[8] : w[9];
    int64_t low = 0, high;
    if ((lowv && !arg_int(lowv, fn, "low", 0, &low)) || !arg_int(highv, fn, "high", 0, &high))
        return NULL;
    int64_t shape[TSR_MAX_DIMS];
    int ndim;
    if (!val_as_shape(&sizev, 1, shape, &ndim, fn))
        return NULL;
    DType dt;
    Device dev;
    bool rg;
    RngGen *g = arg_generator(genv, fn);
    if (!g || !arg_dtype(dtv, fn, &dt) || !arg_device(devv, fn, &dev) ||
        !arg_bool(rgv, fn, "requires_grad", false, &rg))
        return NULL;
    if (dt == DT_UNDEFINED)
        dt = DT_INT64;
    Tensor *t = tensor_empty(dt, ndim, shape, draw_device(devv, dev));
    if (!t)
        return NULL;
    if (!rng_dev_random_(t, low, true, high, g)) {
        tensor_release(t);
        return NULL;
    }
    return wrap_tensor(finish(moved_to(t, dev), rg));
}

/* ---- randperm(n, *, generator=, dtype=int64, ...) */

static Value *bi_randperm(Value *self, const CallArgs *a)
{
    Value *v[8];
    const char *fn = "randperm";
    if (!args_parse(a, 0, fn, "n, *, generator=, out=, dtype=, layout=, device=, pin_memory=, requires_grad=", v))
        return NULL;
    int64_t n;
    DType dt;
    Device dev;
    bool rg;
    RngGen *g = arg_generator(v[1], fn);
    if (!g || !arg_int(v[0], fn, "n", 0, &n) || !arg_dtype(v[3], fn, &dt) || !arg_device(v[5], fn, &dev) ||
        !arg_bool(v[7], fn, "requires_grad", false, &rg))
        return NULL;
    if (dt == DT_UNDEFINED)
        dt = DT_INT64;
    Tensor *t = rng_randperm(n, dt, g);
    if (t && dev.type == DEV_CUDA) { /* drawn on the CPU, then moved */
        Tensor *c = op_to(t, dt, dev, false);
        tensor_release(t);
        t = c;
    }
    return wrap_tensor(finish(t, rg));
}

/* ---- normal(mean, std, size=None, *, generator=, ...) */

static bool is_number(Value *v)
{
    return v->kind == VK_INT || v->kind == VK_FLOAT || v->kind == VK_BOOL;
}

/* c10::complex's product, each part rounded on its own */
static tsr_cfloat cfloat_mul(tsr_cfloat a, tsr_cfloat b)
{
    return (tsr_cfloat){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

static tsr_cdouble cdouble_mul(tsr_cdouble a, tsr_cdouble b)
{
    return (tsr_cdouble){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

/* out = out * std + mean, elementwise over tensors of out's shape */
static bool scale_shift(Tensor *out, Tensor *mean, Tensor *std)
{
    Tensor *m = NULL, *s = NULL;
    bool ok = false;
    if (mean && !(m = tensor_empty(out->dtype, out->ndim, out->shape, device_cpu())))
        goto fail;
    if (std && !(s = tensor_empty(out->dtype, out->ndim, out->shape, device_cpu())))
        goto fail;
    if ((m && !tensor_copy_(m, mean)) || (s && !tensor_copy_(s, std)))
        goto fail;
    int64_t n = tensor_numel(out);
    char *o = tensor_data(out);
    size_t es = dtype_size(out->dtype);
    for (int64_t i = 0; i < n; i++) {
        if (out->dtype == DT_COMPLEX64) {
            tsr_cfloat x = ((tsr_cfloat *)o)[i];
            if (s)
                x = cfloat_mul(x, ((tsr_cfloat *)tensor_data(s))[i]);
            if (m)
                x.re += ((tsr_cfloat *)tensor_data(m))[i].re, x.im += ((tsr_cfloat *)tensor_data(m))[i].im;
            ((tsr_cfloat *)o)[i] = x;
        } else if (out->dtype == DT_COMPLEX128) {
            tsr_cdouble x = ((tsr_cdouble *)o)[i];
            if (s)
                x = cdouble_mul(x, ((tsr_cdouble *)tensor_data(s))[i]);
            if (m)
                x.re += ((tsr_cdouble *)tensor_data(m))[i].re, x.im += ((tsr_cdouble *)tensor_data(m))[i].im;
            ((tsr_cdouble *)o)[i] = x;
        } else if (out->dtype == DT_FLOAT32) {
            float x = ((float *)o)[i];
            if (s)
                x = x * ((float *)tensor_data(s))[i];
            if (m)
                x = x + ((float *)tensor_data(m))[i];
            ((float *)o)[i] = x;
        } else if (out->dtype == DT_FLOAT64) {
            double x = ((double *)o)[i];
            if (s)
                x = x * ((double *)tensor_data(s))[i];
            if (m)
                x = x + ((double *)tensor_data(m))[i];
            ((double *)o)[i] = x;
        } else {
            double x = dtype_load_f64(out->dtype, o + i * es);
            if (s) {
                x = x * dtype_load_f64(out->dtype, tensor_data(s) + i * es);
                dtype_store_f64(out->dtype, o + i * es, x);
                x = dtype_load_f64(out->dtype, o + i * es);
            }
            if (m)
                x = x + dtype_load_f64(out->dtype, tensor_data(m) + i * es);
            dtype_store_f64(out->dtype, o + i * es, x);
        }
    }
    ok = true;
fail:
    tensor_release(m);
    tensor_release(s);
    return ok;
}

static bool broadcast_shape(const Tensor *a, const Tensor *b, int64_t *shape, int *ndim)
{
    int n = a->ndim > b->ndim ? a->ndim : b->ndim;
    for (int i = 0; i < n; i++) {
        int ia = i - (n - a->ndim), ib = i - (n - b->ndim);
        int64_t sa = ia >= 0 ? a->shape[ia] : 1, sb = ib >= 0 ? b->shape[ib] : 1;
        if (sa != sb && sa != 1 && sb != 1) {
            tsr_raise(ERR_RuntimeError, "The size of tensor a (%lld) must match the size of tensor b (%lld) at non-singleton dimension %d",
                      (long long)sa, (long long)sb, i);
            return false;
        }
        shape[i] = sa == 1 ? sb : sa;
    }
    *ndim = n;
    return true;
}

static bool check_std_tensor(Tensor *s)
{
    if (dtype_is_complex(s->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "normal expects standard deviation to be non-complex");
        return false;
    }
    int64_t n = tensor_numel(s);
    for (int64_t i = 0; i < n; i++)
        if (!(tensor_get_f64(s, i) >= 0)) {
            tsr_raise(ERR_RuntimeError, "normal expects all elements of std >= 0.0");
            return false;
        }
    return true;
}

static Value *bi_normal(Value *self, const CallArgs *a)
{
    Value *v[9];
    const char *fn = "normal";
    if (!args_parse(a, 0, fn, "mean=, std=, size=, *, generator=, out=, dtype=, layout=, device=, requires_grad=", v))
        return NULL;
    RngGen *g = arg_generator(v[3], fn);
    if (!g)
        return NULL;
    Value *mv = v[0], *sv = v[1];
    Tensor *out = NULL, *mt = NULL, *st = NULL;
    if (!mv) {
        raise_invalid_args(fn, a);
        return NULL;
    }
    bool mnum = is_number(mv), snum = !sv || is_number(sv);
    if (mnum && snum) {
        double mean, std = 1;
        int64_t shape[TSR_MAX_DIMS];
        int ndim;
        DType dt;
        Device dev;
        bool rg;
        if (!v[2]) {
            raise_invalid_args(fn, a);
            return NULL;
        }
        if (!val_as_double(mv, &mean) || (sv && !val_as_double(sv, &std)) ||
            !val_as_shape(&v[2], 1, shape, &ndim, fn) || !arg_dtype(v[5], fn, &dt) ||
            !arg_device(v[7], fn, &dev) || !arg_bool(v[8], fn, "requires_grad", false, &rg))
            return NULL;
        if (dt == DT_UNDEFINED)
            dt = tsr_default_float;
        if (!(std >= 0.0)) {
            tsr_raise(ERR_RuntimeError, "normal expects std >= 0.0, but found std %g", std);
            return NULL;
        }
        out = tensor_empty(dt, ndim, shape, draw_device(v[7], dev));
        if (!out || !rng_dev_normal_(out, mean, std, g))
            goto fail;
        return wrap_tensor(finish(moved_to(out, dev), rg));
    }
    if (v[2]) {
        raise_invalid_args(fn, a);
        return NULL;
    }
    if (mnum) {
        /* normal(float mean, Tensor std) */
        double mean;
        if (!val_as_double(mv, &mean) || !(st = arg_tensor(sv, fn, "std")))
            goto fail;
        if (!check_std_tensor(st))
            goto fail;
        out = tensor_empty(st->dtype, st->ndim, st->shape, st->storage->device);
        if (!out || !rng_dev_normal_(out, 0, 1, g))
            goto fail;
        mt = tensor_scalar_f64(out->dtype, mean);
        if (!mt || !scale_shift(out, mt, st))
            goto fail;
    } else if (snum) {
        /* normal(Tensor mean, float std=1) */
        double std = 1;
        if (!(mt = arg_tensor(mv, fn, "mean")) || (sv && !val_as_double(sv, &std)))
            goto fail;
        if (!(std >= 0.0)) {
            tsr_raise(ERR_RuntimeError, "normal expects std >= 0.0, but found std %g", std);
            goto fail;
        }
        out = tensor_empty(mt->dtype, mt->ndim, mt->shape, mt->storage->device);
        if (!out || !rng_dev_normal_(out, 0, std, g) || !scale_shift(out, mt, NULL))
            goto fail;
    } else {
        if (!(mt = arg_tensor(mv, fn, "mean")) || !(st = arg_tensor(sv, fn, "std")))
            goto fail;
        if (!check_std_tensor(st))
            goto fail;
        int64_t shape[TSR_MAX_DIMS];
        int ndim;
        if (!broadcast_shape(mt, st, shape, &ndim))
            goto fail;
        out = tensor_empty(mt->dtype, ndim, shape, mt->storage->device);
        if (!out || !rng_dev_normal_(out, 0, 1, g) || !scale_shift(out, mt, st))
            goto fail;
    }
    tensor_release(mt);
    tensor_release(st);
    return wrap_tensor(out);
fail:
    tensor_release(out);
    tensor_release(mt);
    tensor_release(st);
    return NULL;
}

/* ---- bernoulli(input, p=None, *, generator=) */

static Value *bi_bernoulli(Value *self, const CallArgs *a)
{
    WITH_SELF(a);
    Value *v[4];
    const char *fn = "bernoulli";
    if (!args_parse(a, 0, fn, "input, p=, *, generator=, out=", v))
        return NULL;
    RngGen *g = arg_generator(v[2], fn);
    Tensor *x = g ? arg_tensor(v[0], fn, "input") : NULL;
    if (!x)
        return NULL;
    Tensor *out = tensor_empty(x->dtype, x->ndim, x->shape, x->storage->device);
    bool ok = out != NULL;
    if (ok && v[1] && v[1]->kind != VK_NONE) {
        double p;
        ok = val_as_double(v[1], &p) && rng_dev_bernoulli_scalar_(out, p, g);
    } else if (ok) {
        ok = rng_dev_bernoulli_tensor_(out, x, g);
    }
    tensor_release(x);
    if (!ok) {
        tensor_release(out);
        return NULL;
    }
    return wrap_tensor(out);
}

/* ---- multinomial(input, num_samples, replacement=False, *, generator=) */

static Value *bi_multinomial(Value *self, const CallArgs *a)
{
    WITH_SELF(a);
    Value *v[5];
    const char *fn = "multinomial";
    if (!args_parse(a, 0, fn, "input, num_samples, replacement=, *, generator=, out=", v))
        return NULL;
    int64_t n;
    bool repl;
    RngGen *g = arg_generator(v[3], fn);
    if (!g || !arg_int(v[1], fn, "num_samples", 0, &n) || !arg_bool(v[2], fn, "replacement", false, &repl))
        return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x)
        return NULL;
    Tensor *r = rng_multinomial(x, n, repl, g);
    tensor_release(x);
    return wrap_tensor(r);
}

/* ---- rand_like, randn_like, randint_like */

static Value *like_random(const char *fn, const CallArgs *a, int which)
{
    Value *v[10];
    Tensor *x = NULL, *t = NULL;
    int64_t low = 0, high = 0;
    Value *dtv, *layv, *devv, *rgv, *mfv;
    if (which == 2) {
        bool kw_low = false, kw_high = false;
        for (int i = 0; i < a->nkw; i++) {
            kw_low |= strcmp(a->kwnames[i], "low") == 0;
            kw_high |= strcmp(a->kwnames[i], "high") == 0;
        }
        bool two = !(a->nargs >= 3 || kw_low || (a->nargs == 2 && kw_high));
        const char *spec = two ? "input, high, *, dtype=, layout=, device=, pin_memory=, requires_grad=, memory_format="
                               : "input, low, high, *, dtype=, layout=, device=, pin_memory=, requires_grad=, memory_format=";
        if (!args_parse(a, 0, fn, spec, v))
            return NULL;
        int o = two ? 2 : 3;
        if ((!two && !arg_int(v[1], fn, "low", 0, &low)) || !arg_int(v[o - 1], fn, "high", 0, &high))
            return NULL;
        dtv = v[o];
        layv = v[o + 1];
        devv = v[o + 2];
        rgv = v[o + 4];
        mfv = v[o + 5];
    } else {
        if (!args_parse(a, 0, fn, "input, *, dtype=, layout=, device=, pin_memory=, requires_grad=, memory_format=", v))
            return NULL;
        dtv = v[1];
        layv = v[2];
        devv = v[3];
        rgv = v[5];
        mfv = v[6];
    }
    DType dt;
    Device dev;
    bool rg;
    if (!(x = arg_tensor(v[0], fn, "input")))
        return NULL;
    MemFormat mf;
    if (!arg_dtype(dtv, fn, &dt) || !arg_device(devv, fn, &dev) || !arg_bool(rgv, fn, "requires_grad", false, &rg) ||
        !arg_layout(layv, fn) || !arg_memory_format(mfv, fn, MEMFMT_PRESERVE, &mf))
        goto fail;
    if (!layout_check_format_rank(x->ndim, mf))
        goto fail;
    int rank = layout_format_rank(mf);
    if (dt == DT_UNDEFINED)
        dt = x->dtype;
    if (!devv || devv->kind == VK_NONE)
        dev = x->storage->device;
    t = tensor_empty(dt, x->ndim, x->shape, dev);
    if (!t)
        goto fail;
    if (rank) /* drawn in the channels-last tensor's memory order */
        layout_channels_last_strides(t->ndim, t->shape, t->stride);
    RngGen *g = rng_default();
    bool ok = which == 0 ? rng_dev_uniform_(t, 0, 1, g) : which == 1 ? rng_dev_normal_(t, 0, 1, g)
                                                                 : rng_dev_random_(t, low, true, high, g);
    if (!ok)
        goto fail;
    /* memory_format=preserve; randn_like keeps the contiguous layout: for a
     * non-contiguous result PyTorch draws through its scalar path */
    if (which != 1 && mf == MEMFMT_PRESERVE)
        layout_restride_fresh(t, x);
    tensor_release(x);
    return wrap_tensor(finish(t, rg));
fail:
    tensor_release(x);
    tensor_release(t);
    return NULL;
}

static Value *bi_rand_like(Value *self, const CallArgs *a) { return like_random("rand_like", a, 0); }
static Value *bi_randn_like(Value *self, const CallArgs *a) { return like_random("randn_like", a, 1); }
static Value *bi_randint_like(Value *self, const CallArgs *a) { return like_random("randint_like", a, 2); }

/* ---- in-place tensor methods */

static Value *bi_uniform_(Value *self, const CallArgs *a)
{
    Value *v[3];
    double from, to;
    Tensor *t = self->tensor;
    RngGen *g;
    if (!args_parse(a, 0, "uniform_", "from=, to=, *, generator=", v) ||
        !arg_double(v[0], "uniform_", "from", 0, &from) || !arg_double(v[1], "uniform_", "to", 1, &to) ||
        !(g = arg_generator(v[2], "uniform_")) || !inplace_ok(t) || !rng_dev_uniform_(t, from, to, g))
        return NULL;
    bump(t);
    return val_retain(self);
}

static Value *bi_normal_(Value *self, const CallArgs *a)
{
    Value *v[3];
    double mean, std;
    Tensor *t = self->tensor;
    RngGen *g;
    if (!args_parse(a, 0, "normal_", "mean=, std=, *, generator=", v) ||
        !arg_double(v[0], "normal_", "mean", 0, &mean) || !arg_double(v[1], "normal_", "std", 1, &std) ||
        !(g = arg_generator(v[2], "normal_")) || !inplace_ok(t) || !rng_dev_normal_(t, mean, std, g))
        return NULL;
    bump(t);
    return val_retain(self);
}

static Value *bi_random_(Value *self, const CallArgs *a)
{
    Value *v[3];
    Tensor *t = self->tensor;
    RngGen *g;
    if (!args_parse(a, 0, "random_", "from=, to=, *, generator=", v) || !(g = arg_generator(v[2], "random_")))
        return NULL;
    int64_t from = INT64_MIN, to = 0;
    bool to_given = false;
    if (v[0] && v[1] && v[1]->kind != VK_NONE) {
        if (!arg_int(v[0], "random_", "from", 0, &from) || !arg_int(v[1], "random_", "to", 0, &to))
            return NULL;
        to_given = true;
    } else if (v[0] && !v[1]) {
        /* random_(to) */
        if (!arg_int(v[0], "random_", "to", 0, &to))
            return NULL;
        from = 0;
        to_given = true;
    } else if (v[0]) {
        /* random_(from, None) */
        if (!arg_int(v[0], "random_", "from", 0, &from))
            return NULL;
    }
    if (!inplace_ok(t))
        return NULL;
    bool ok;
    if (!v[0]) {
        ok = rng_dev_random_plain_(t, g);
    } else {
        ok = rng_dev_random_(t, from, to_given, to, g);
    }
    if (!ok)
        return NULL;
    bump(t);
    return val_retain(self);
}

static Value *bi_bernoulli_(Value *self, const CallArgs *a)
{
    Value *v[2];
    Tensor *t = self->tensor;
    RngGen *g;
    if (!args_parse(a, 0, "bernoulli_", "p=, *, generator=", v) || !(g = arg_generator(v[1], "bernoulli_")) ||
        !inplace_ok(t))
        return NULL;
    bool ok;
    if (v[0] && v[0]->kind == VK_TENSOR) {
        ok = rng_dev_bernoulli_tensor_(t, v[0]->tensor, g);
    } else {
        double p;
        ok = arg_double(v[0], "bernoulli_", "p", 0.5, &p) && rng_dev_bernoulli_scalar_(t, p, g);
    }
    if (!ok)
        return NULL;
    bump(t);
    return val_retain(self);
}

static Value *bi_exponential_(Value *self, const CallArgs *a)
{
    Value *v[2];
    double l;
    Tensor *t = self->tensor;
    RngGen *g;
    if (!args_parse(a, 0, "exponential_", "lambd=, *, generator=", v) ||
        !arg_double(v[0], "exponential_", "lambd", 1, &l) || !(g = arg_generator(v[1], "exponential_")) ||
        !inplace_ok(t) || !rng_dev_exponential_(t, l, g))
        return NULL;
    bump(t);
    return val_retain(self);
}

const Builtin random_functions[] = {
    {"manual_seed", bi_manual_seed},
    {"_Generator", bi_Generator},
    {"initial_seed", bi_initial_seed},
    {"seed", bi_seed},
    {"get_rng_state", bi_get_rng_state},
    {"set_rng_state", bi_set_rng_state},
    {"rand", bi_rand},
    {"randn", bi_randn},
    {"randint", bi_randint},
    {"randperm", bi_randperm},
    {"normal", bi_normal},
    {"bernoulli", bi_bernoulli},
    {"multinomial", bi_multinomial},
    {"rand_like", bi_rand_like},
    {"randn_like", bi_randn_like},
    {"randint_like", bi_randint_like},
    {NULL, NULL},
};

const Builtin random_methods[] = {
    {"uniform_", bi_uniform_},
    {"normal_", bi_normal_},
    {"random_", bi_random_},
    {"bernoulli_", bi_bernoulli_},
    {"exponential_", bi_exponential_},
    {"bernoulli", bi_bernoulli},
    {"multinomial", bi_multinomial},
    {NULL, NULL},
};
