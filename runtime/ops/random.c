/* random.c: PyTorch 1.13's random fills over tensors (declared in ops.h):
 * the CPU fills from the mt19937 generator, and the fills on any device.
 *
 * Elements are visited in TensorIterator's order for a lone output (dims
 * sorted by decreasing stride), which is memory order for any dense
 * tensor, so permuted views draw exactly like PyTorch.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "device.h"
#include "ops.h"
#include "random.h"

/* ---------------------------------------------------------------- walk --- */

/* The fill loops stop at the next multiple of 65536 elements once Ctrl-C
 * was pressed; the function then returns RNG_DONE(): false with
 * KeyboardInterrupt raised (the output is not the caller's to keep). */
#define RNG_GO(i) (((i) & 0xFFFF) != 0 || !tsr_interrupted)
#define RNG_DONE() (!tsr_check_interrupt())

typedef struct {
    char *base;
    int ndim;
    int64_t shape[TSR_MAX_DIMS], stride[TSR_MAX_DIMS], idx[TSR_MAX_DIMS];
    int64_t offset;
} Walk;

static void walk_init(Walk *w, const Tensor *t)
{
    int perm[TSR_MAX_DIMS];
    int n = 0;
    for (int d = 0; d < t->ndim; d++)
        if (t->shape[d] != 1)
            perm[n++] = d;
    /* stable insertion sort, decreasing stride */
    for (int i = 1; i < n; i++) {
        int p = perm[i], j = i;
        while (j > 0 && t->stride[perm[j - 1]] < t->stride[p]) {
            perm[j] = perm[j - 1];
            j--;
        }
        perm[j] = p;
    }
    w->base = tensor_data(t);
    w->ndim = n;
    size_t es = dtype_size(t->dtype);
    for (int i = 0; i < n; i++) {
        w->shape[i] = t->shape[perm[i]];
        w->stride[i] = t->stride[perm[i]] * (int64_t)es;
        w->idx[i] = 0;
    }
    w->offset = 0;
}

/* Pointer to the current element, then advances. */
static char *walk_next(Walk *w)
{
    char *p = w->base + w->offset;
    for (int i = w->ndim - 1; i >= 0; i--) {
        w->offset += w->stride[i];
        if (++w->idx[i] < w->shape[i])
            break;
        w->offset -= w->stride[i] * w->shape[i];
        w->idx[i] = 0;
    }
    return p;
}

static bool need_float(const Tensor *t, const char *kernel)
{
    if (dtype_is_float(t->dtype))
        return true;
    tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'", kernel, dtype_scalar_name(t->dtype));
    return false;
}

static float round_half(float v) { return half_to_float(float_to_half(v)); }
static float round_bf16(float v) { return bf16_to_float(float_to_bf16(v)); }

/* ------------------------------------------------------------- uniform --- */

static double dtype_lowest(DType dt)
{
    switch (dt) {
    case DT_FLOAT16: return -65504.0;
    case DT_BFLOAT16: return -3.38953138925153547590470800371487866880e+38;
    case DT_FLOAT32: return -3.40282346638528859811704183484516925440e+38;
    default: return -1.7976931348623157e308;
    }
}

/* ATen fills a complex tensor through its real view: both parts drawn in
 * memory order, a normal's std split evenly between them. */
static bool fill_real_view(Tensor *t, double a, double b, RngGen *g,
                           bool (*fill)(Tensor *, double, double, RngGen *))
{
    Tensor *r = op_view_as_real(t);
    if (!r)
        return false;
    bool ok = fill(r, a, b, g);
    tensor_release(r);
    return ok;
}

bool rng_uniform_(Tensor *t, double from, double to, RngGen *g)
{
    if (!need_float(t, "check_uniform_bounds"))
        return false;
    double lo = dtype_lowest(t->dtype), hi = -lo;
    const char *dn = dtype_cpp_name(t->dtype);
    if (!(from >= lo && from <= hi)) {
        tsr_raise(ERR_RuntimeError, "from is out of bounds for %s", dn);
        return false;
    }
    if (!(to >= lo && to <= hi)) {
        tsr_raise(ERR_RuntimeError, "to is out of bounds for %s", dn);
        return false;
    }
    if (!(from <= to)) {
        tsr_raise(ERR_RuntimeError, "uniform_ expects to return a [from, to) range, but found from=%g > to=%g", from, to);
        return false;
    }
    if (!(to - from <= hi)) {
        tsr_raise(ERR_RuntimeError, "uniform_ expects to-from <= std::numeric_limits<%s>::max(), but found to=%g and from=%g which result in to-from to exceed the limit",
                  dtype_scalar_name(t->dtype), to, from);
        return false;
    }
    Walk w;
    walk_init(&w, t);
    int64_t n = tensor_numel(t);
    switch (t->dtype) {
    case DT_FLOAT32: {
        float f = (float)from, tt = (float)to;
        for (int64_t i = 0; i < n && RNG_GO(i); i++)
            *(float *)walk_next(&w) = rng_uniform_float(g, f, tt);
        break;
    }
    case DT_FLOAT64:
        for (int64_t i = 0; i < n && RNG_GO(i); i++)
            *(double *)walk_next(&w) = rng_uniform_double(g, from, to);
        break;
    case DT_FLOAT16:
    case DT_BFLOAT16: {
        bool half = t->dtype == DT_FLOAT16;
        int digits = half ? 11 : 8;
        float f = half ? round_half((float)from) : round_bf16((float)from);
        float tt = half ? round_half((float)to) : round_bf16((float)to);
        float range = half ? round_half(tt - f) : round_bf16(tt - f);
        for (int64_t i = 0; i < n && RNG_GO(i); i++) {
            uint32_t v = rng_random(g);
            float x = (float)(v & ((1u << digits) - 1)) * (1.0f / (float)(1u << digits));
            float r = x * range + f;
            if (half)
                *(tsr_half *)walk_next(&w) = float_to_half(r);
            else
                *(tsr_bfloat16 *)walk_next(&w) = float_to_bf16(r);
        }
        break;
    }
    default:
        break;
    }
    return RNG_DONE();
}

/* -------------------------------------------------------------- normal --- */

/* Scalar port of avx_mathfun.h's log256_ps and sincos256_ps as the AVX2
 * build of PyTorch compiles them (GCC contracts mul+add into FMA). */
static float avx_logf(float x)
{
    if (x <= 0)
        return NAN;
    if (x < 1.17549435e-38f)
        x = 1.17549435e-38f;
    uint32_t bits;
    memcpy(&bits, &x, 4);
    int32_t imm0 = (int32_t)(bits >> 23) - 0x7f;
    bits = (bits & ~0x7f800000u) | 0x3f000000u;
    memcpy(&x, &bits, 4);
    float e = (float)imm0 + 1.0f;
    bool mask = x < 0.707106781186547524f;
    float tmp = mask ? x : 0.0f;
    x = x - 1.0f;
    e = e - (mask ? 1.0f : 0.0f);
    x = x + tmp;
    float z = x * x;
    float y = 7.0376836292E-2f;
    y = fmaf(y, x, -1.1514610310E-1f);
    y = fmaf(y, x, 1.1676998740E-1f);
    y = fmaf(y, x, -1.2420140846E-1f);
    y = fmaf(y, x, +1.4249322787E-1f);
    y = fmaf(y, x, -1.6668057665E-1f);
    y = fmaf(y, x, +2.0000714765E-1f);
    y = fmaf(y, x, -2.4999993993E-1f);
    y = fmaf(y, x, +3.3333331174E-1f);
    y = y * x;
    y = fmaf(y, z, e * -2.12194440e-4f);
    y = fmaf(-z, 0.5f, y);
    x = x + y;
    x = fmaf(e, 0.693359375f, x);
    return x;
}

static void avx_sincosf(float xin, float *s, float *c)
{
    uint32_t bits;
    memcpy(&bits, &xin, 4);
    uint32_t sign_sin = bits & 0x80000000u;
    float x = fabsf(xin);
    float y = x * 1.27323954473516f;
    int32_t imm2 = (int32_t)y; /* cvttps: truncation */
    imm2 = (imm2 + 1) & ~1;
    y = (float)imm2;
    int32_t imm4 = imm2;
    uint32_t swap_sign_sin = ((uint32_t)imm2 & 4u) << 29;
    bool poly_mask = (imm2 & 2) == 0;
    x = fmaf(y, -0.78515625f, x);
    x = fmaf(y, -2.4187564849853515625e-4f, x);
    x = fmaf(y, -3.77489497744594108e-8f, x);
    imm4 = imm4 - 2;
    uint32_t sign_cos = (~(uint32_t)imm4 & 4u) << 29;
    sign_sin ^= swap_sign_sin;
    float z = x * x;
    float yc = 2.443315711809948E-005f;
    yc = fmaf(yc, z, -1.388731625493765E-003f);
    yc = fmaf(yc, z, 4.166664568298827E-002f);
    yc = yc * z;
    yc = fmaf(yc, z, -(z * 0.5f));
    yc = yc + 1.0f;
    float ys = -1.9515295891E-4f;
    ys = fmaf(ys, z, 8.3321608736E-3f);
    ys = fmaf(ys, z, -1.6666654611E-1f);
    ys = ys * z;
    ys = fmaf(ys, x, x);
    float ysin2 = poly_mask ? ys : 0.0f;
    float ysin1 = poly_mask ? 0.0f : yc;
    ys = ys - ysin2;
    yc = yc - ysin1;
    float r1 = ysin1 + ysin2;
    float r2 = yc + ys;
    memcpy(&bits, &r1, 4);
    bits ^= sign_sin;
    memcpy(s, &bits, 4);
    memcpy(&bits, &r2, 4);
    bits ^= sign_cos;
    memcpy(c, &bits, 4);
}

static void normal_fill_16_avx2(float *data, float mean, float std)
{
    const float two_pi = (float)(2.0f * M_PI);
    for (int j = 0; j < 8; j++) {
        float u1 = 1.0f - data[j];
        float u2 = data[j + 8];
        float radius = sqrtf(-2.0f * avx_logf(u1));
        float theta = two_pi * u2;
        float sn, cs;
        avx_sincosf(theta, &sn, &cs);
        data[j] = fmaf(radius * cs, std, mean);
        data[j + 8] = fmaf(radius * sn, std, mean);
    }
}

static void normal_fill_16_double(double *data, double mean, double std)
{
    for (int j = 0; j < 8; j++) {
        double u1 = 1 - data[j];
        double u2 = data[j + 8];
        double radius = sqrt(-2 * log(u1));
        double theta = 2.0f * M_PI * u2;
        data[j] = fma(radius * cos(theta), std, mean);
        data[j + 8] = fma(radius * sin(theta), std, mean);
    }
}

/* normal_fill<Half> and normal_fill<BFloat16>: each scalar_t variable
 * rounds to the 16-bit type. Half's math goes through float (and the
 * float tail fuses into an FMA); c10's BFloat16 overloads of log, sqrt,
 * cos, sin and of * and + round every step. */
static void normal_fill_16_half(float *data, float mean, float std)
{
    for (int j = 0; j < 8; j++) {
        float u1 = round_half(1.0f - data[j]);
        float u2 = data[j + 8];
        float radius = round_half(sqrtf(-2.0f * logf(u1)));
        float theta = round_half((float)(2.0f * M_PI * (double)u2));
        data[j] = round_half(fmaf(radius * cosf(theta), std, mean));
        data[j + 8] = round_half(fmaf(radius * sinf(theta), std, mean));
    }
}

static void normal_fill_16_bf16(float *data, float mean, float std)
{
    float (*r)(float) = round_bf16;
    for (int j = 0; j < 8; j++) {
        float u1 = r(1.0f - data[j]);
        float u2 = data[j + 8];
        float radius = r(sqrtf(r(-2.0f * r(logf(u1)))));
        float theta = r((float)(2.0f * M_PI * (double)u2));
        data[j] = r(r(r(radius * r(cosf(theta))) * std) + mean);
        data[j + 8] = r(r(r(radius * r(sinf(theta))) * std) + mean);
    }
}

static bool normal_std_ok(double std)
{
    if (std >= 0.0)
        return true;
    tsr_raise(ERR_RuntimeError, "normal expects std >= 0.0, but found std %g", std);
    return false;
}

bool rng_normal_(Tensor *t, double mean, double std, RngGen *g)
{
    if (!normal_std_ok(std))
        return false;
    if (!need_float(t, "normal_kernel_cpu"))
        return false;
    int64_t n = tensor_numel(t);
    if (n >= 16 && tensor_is_contiguous(t)) {
        char *base = tensor_data(t);
        if (t->dtype == DT_FLOAT32) {
            float *d = (float *)base;
            for (int64_t i = 0; i < n && RNG_GO(i); i++)
                d[i] = rng_uniform_float(g, 0, 1);
            for (int64_t i = 0; i < n - 15 && RNG_GO(i); i += 16)
                normal_fill_16_avx2(d + i, (float)mean, (float)std);
            if (n % 16 != 0) {
                d += n - 16;
                for (int i = 0; i < 16; i++)
                    d[i] = rng_uniform_float(g, 0, 1);
                normal_fill_16_avx2(d, (float)mean, (float)std);
            }
        } else if (t->dtype == DT_FLOAT64) {
            double *d = (double *)base;
            for (int64_t i = 0; i < n && RNG_GO(i); i++)
                d[i] = rng_uniform_double(g, 0, 1);
            for (int64_t i = 0; i < n - 15 && RNG_GO(i); i += 16)
                normal_fill_16_double(d + i, mean, std);
            if (n % 16 != 0) {
                d += n - 16;
                for (int i = 0; i < 16; i++)
                    d[i] = rng_uniform_double(g, 0, 1);
                normal_fill_16_double(d, mean, std);
            }
        } else {
            /* Half / BFloat16: values pass through the 16-bit type. */
            bool half = t->dtype == DT_FLOAT16;
            float (*rnd)(float) = half ? round_half : round_bf16;
            void (*fill16)(float *, float, float) = half ? normal_fill_16_half : normal_fill_16_bf16;
            int digits = half ? 11 : 8;
            float m = rnd((float)mean), s = rnd((float)std);
            float buf[16];
            for (int64_t i = 0; i < n && RNG_GO(i); i++) {
                uint32_t v = rng_random(g);
                float x = (float)(v & ((1u << digits) - 1)) * (1.0f / (float)(1u << digits));
                if (half)
                    ((tsr_half *)base)[i] = float_to_half(x);
                else
                    ((tsr_bfloat16 *)base)[i] = float_to_bf16(x);
            }
            for (int64_t i = 0; i < n && RNG_GO(i); i += 16) {
                int64_t start = i;
                if (i + 16 > n) {
                    start = n - 16;
                    for (int k = 0; k < 16; k++) {
                        uint32_t v = rng_random(g);
                        float x = (float)(v & ((1u << digits) - 1)) * (1.0f / (float)(1u << digits));
                        if (half)
                            ((tsr_half *)base)[start + k] = float_to_half(x);
                        else
                            ((tsr_bfloat16 *)base)[start + k] = float_to_bf16(x);
                    }
                }
                for (int k = 0; k < 16; k++)
                    buf[k] = half ? half_to_float(((tsr_half *)base)[start + k])
                                  : bf16_to_float(((tsr_bfloat16 *)base)[start + k]);
                fill16(buf, m, s);
                for (int k = 0; k < 16; k++) {
                    if (half)
                        ((tsr_half *)base)[start + k] = float_to_half(buf[k]);
                    else
                        ((tsr_bfloat16 *)base)[start + k] = float_to_bf16(buf[k]);
                }
            }
        }
        return RNG_DONE();
    }
    Walk w;
    walk_init(&w, t);
    for (int64_t i = 0; i < n && RNG_GO(i); i++)
        dtype_store_f64(t->dtype, walk_next(&w), rng_normal_double(g, mean, std));
    return RNG_DONE();
}

/* ------------------------------------------------------------- random_ --- */

static int float_digits(DType dt)
{
    switch (dt) {
    case DT_FLOAT16: return 11;
    case DT_BFLOAT16: return 8;
    case DT_FLOAT32: return 24;
    default: return 53;
    }
}

/* static_cast<int64_t>(static_cast<scalar_t>(v)) for a floating dtype */
static int64_t through_float(DType dt, int64_t v)
{
    switch (dt) {
    case DT_FLOAT16: return (int64_t)half_to_float(float_to_half((float)v));
    case DT_BFLOAT16: return (int64_t)bf16_to_float(float_to_bf16((float)v));
    case DT_FLOAT32: return (int64_t)(float)v;
    default: return (int64_t)(double)v;
    }
}

static int64_t update_from(DType dt, int64_t from)
{
    int64_t fp1 = through_float(dt, from + 1);
    if (fp1 < from) {
        int64_t f = llabs(from + 1);
        int n = 0;
        while (f >>= 1)
            ++n;
        from = fp1 + (1LL << (n - float_digits(dt) + 1));
    }
    return from;
}

static int64_t update_to(DType dt, int64_t to)
{
    int64_t tm1 = through_float(dt, to - 1);
    if (tm1 >= to) {
        int64_t f = llabs(to - 1);
        int n = 0;
        while (f >>= 1)
            ++n;
        to = tm1 - (1LL << (n - float_digits(dt) + 1));
    }
    return to;
}

static bool int_bounds(DType dt, int64_t *lo, int64_t *hi)
{
    switch (dt) {
    case DT_UINT8: *lo = 0; *hi = 255; return true;
    case DT_INT8: *lo = -128; *hi = 127; return true;
    case DT_INT16: *lo = -32768; *hi = 32767; return true;
    case DT_INT32: *lo = INT32_MIN; *hi = INT32_MAX; return true;
    case DT_INT64: *lo = INT64_MIN; *hi = INT64_MAX; return true;
    case DT_BOOL: *lo = 0; *hi = 1; return true;
    default: return false;
    }
}

static bool check_from_to(DType dt, int64_t from, int64_t to_inc)
{
    const char *dn = dtype_cpp_name(dt);
    if (dtype_is_complex(dt))
        return tsr_raise(ERR_RuntimeError, "%s", "check_random_bounds handles only integral, floating-point and boolean types"),
               false;
    if (dtype_is_float(dt)) {
        double lo = dtype_lowest(dt), hi = -lo;
        if (!((double)from >= lo && (double)from <= hi))
            return tsr_raise(ERR_RuntimeError, "from is out of bounds for %s", dn), false;
        if (!((double)to_inc >= lo && (double)to_inc <= hi))
            return tsr_raise(ERR_RuntimeError, "to - 1 is out of bounds for %s", dn), false;
        return true;
    }
    int64_t lo, hi;
    int_bounds(dt, &lo, &hi);
    if (!(from >= lo && from <= hi))
        return tsr_raise(ERR_RuntimeError, "from is out of bounds for %s", dn), false;
    if (!(to_inc >= lo && to_inc <= hi))
        return tsr_raise(ERR_RuntimeError, "to - 1 is out of bounds for %s", dn), false;
    return true;
}

static void store_int(DType dt, char *p, int64_t v)
{
    switch (dt) {
    case DT_FLOAT32: *(float *)p = (float)v; break;
    case DT_FLOAT64: *(double *)p = (double)v; break;
    case DT_FLOAT16: *(tsr_half *)p = float_to_half((float)v); break;
    case DT_BFLOAT16: *(tsr_bfloat16 *)p = float_to_bf16((float)v); break;
    case DT_BOOL: *(bool *)p = v != 0; break;
    default: dtype_store_i64(dt, p, v); break;
    }
}

bool rng_random_(Tensor *t, int64_t from, bool to_given, int64_t to, RngGen *g)
{
    DType dt = t->dtype;
    uint64_t range;
    bool full64 = false;
    if (to_given) {
        if (!(from < to)) {
            tsr_raise(ERR_RuntimeError, "random_ expects 'from' to be less than 'to', but got from=%lld >= to=%lld",
                      (long long)from, (long long)to);
            return false;
        }
        if (dtype_is_float(dt)) {
            from = update_from(dt, from);
            to = update_to(dt, to);
            if (!(from < to)) {
                tsr_raise(ERR_RuntimeError, "random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from=%lld >= to=%lld",
                          (long long)from, (long long)to);
                return false;
            }
        }
        if (!check_from_to(dt, from, to - 1))
            return false;
        range = (uint64_t)to - (uint64_t)from;
    } else if (from != INT64_MIN) {
        int64_t to_inc;
        if (dtype_is_float(dt)) {
            int digits = float_digits(dt);
            to_inc = 1LL << digits;
            from = update_from(dt, from);
            if (!(from < to_inc)) {
                tsr_raise(ERR_RuntimeError, "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from=%lld > to_inc=%lld",
                          (long long)from, (long long)to_inc);
                return false;
            }
        } else {
            int64_t lo, hi;
            int_bounds(dt, &lo, &hi);
            to_inc = hi;
        }
        if (!check_from_to(dt, from, to_inc))
            return false;
        range = (uint64_t)to_inc - (uint64_t)from + 1;
    } else {
        full64 = true;
        range = 0;
    }
    /* uniform_int_from_to_distribution: 64-bit draws for wide ranges of
     * int64/double/float/bfloat16 only. */
    bool wide_ok = dt == DT_INT64 || dt == DT_FLOAT64 || dt == DT_FLOAT32 || dt == DT_BFLOAT16;
    if (full64 && !wide_ok && dt != DT_FLOAT16) {
        tsr_raise(ERR_RuntimeError, "random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16");
        return false;
    }
    Walk w;
    walk_init(&w, t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n && RNG_GO(i); i++) {
        int64_t v;
        if (full64)
            v = (int64_t)rng_random64(g);
        else if (wide_ok && range >= (1ULL << 32))
            v = (int64_t)(rng_random64(g) % range + (uint64_t)from);
        else
            v = (int64_t)((uint64_t)rng_random(g) % range + (uint64_t)from);
        store_int(dt, walk_next(&w), v);
    }
    return RNG_DONE();
}

/* --------------------------------------------------- exponential / bernoulli --- */

bool rng_exponential_(Tensor *t, double lambd, RngGen *g)
{
    if (!(lambd >= 0.0)) {
        tsr_raise(ERR_RuntimeError, "exponential_ expects lambda >= 0.0, but found lambda=%g", lambd);
        return false;
    }
    if (!need_float(t, "exponential_cpu"))
        return false;
    Walk w;
    walk_init(&w, t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n && RNG_GO(i); i++) {
        double u = rng_uniform_double(g, 0, 1);
        dtype_store_f64(t->dtype, walk_next(&w), -1.0 / lambd * log(1.0 - u));
    }
    return RNG_DONE();
}

/* Fills t (CPU, any strides) in TensorIterator's order with draw(g, args)
 * cast to t's dtype: cpu_serial_kernel over a lone output. */
bool rng_fill_each_(Tensor *t, double (*draw)(RngGen *g, const double *args), const double *args, RngGen *g)
{
    Walk w;
    walk_init(&w, t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n && RNG_GO(i); i++)
        dtype_store_f64(t->dtype, walk_next(&w), draw(g, args));
    return RNG_DONE();
}

static const char bern_msg[] =
    "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be "
    "improved?  If so, please report an enhancement request to PyTorch.)";

bool rng_bernoulli_scalar_(Tensor *t, double p, RngGen *g)
{
    if (!(p >= 0 && p <= 1)) {
        tsr_raise(ERR_RuntimeError, "bernoulli_ expects p to be in [0, 1], but got p=%g", p);
        return false;
    }
    if (t->dtype == DT_FLOAT16 || dtype_is_complex(t->dtype)) {
        tsr_raise(ERR_RuntimeError, "\"bernoulli_scalar_cpu_\" not implemented for '%s'", dtype_scalar_name(t->dtype));
        return false;
    }
    Walk w;
    walk_init(&w, t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n && RNG_GO(i); i++) {
        double u = rng_uniform_double(g, 0, 1);
        store_int(t->dtype, walk_next(&w), u < p);
    }
    return RNG_DONE();
}

bool rng_bernoulli_tensor_(Tensor *t, Tensor *p, RngGen *g)
{
    bool bad_self = t->dtype == DT_FLOAT16 || dtype_is_complex(t->dtype);
    if (bad_self || !dtype_is_float(p->dtype) || p->dtype == DT_FLOAT16) {
        tsr_raise(ERR_RuntimeError, "\"%s\" not implemented for '%s'",
                  bad_self ? "bernoulli_tensor_cpu_self_" : "bernoulli_tensor_cpu_p_",
                  dtype_scalar_name(bad_self ? t->dtype : p->dtype));
        return false;
    }
    /* p broadcast to t's shape (expand_inplace) */
    int64_t pstride[TSR_MAX_DIMS];
    if (p->ndim > t->ndim)
        goto bad_shape;
    for (int d = 0; d < t->ndim; d++) {
        int pd = d - (t->ndim - p->ndim);
        if (pd < 0) {
            pstride[d] = 0;
        } else if (p->shape[pd] == t->shape[d]) {
            pstride[d] = p->stride[pd];
        } else if (p->shape[pd] == 1) {
            pstride[d] = 0;
        } else {
            goto bad_shape;
        }
    }
    Tensor *pv = tensor_as_strided(p, t->ndim, t->shape, pstride, p->offset);
    if (!pv)
        return false;
    Tensor *pc = tensor_contiguous(pv);
    tensor_release(pv);
    if (!pc)
        return false;
    int64_t n = tensor_numel(t);
    /* check every p first: PyTorch's check fires inside the loop, but the
     * output is discarded on error anyway */
    for (int64_t i = 0; i < n && RNG_GO(i); i++) {
        double pi = tensor_get_f64(pc, i);
        if (!(pi >= 0 && pi <= 1)) {
            tensor_release(pc);
            tsr_raise(ERR_RuntimeError, "%s", bern_msg);
            return false;
        }
    }
    /* t contiguous in the common case; p follows t's logical order */
    Tensor *out = tensor_is_contiguous(t) ? tensor_retain(t) : tensor_empty(t->dtype, t->ndim, t->shape, device_cpu());
    if (!out) {
        tensor_release(pc);
        return false;
    }
    char *o = tensor_data(out);
    size_t es = dtype_size(t->dtype);
    for (int64_t i = 0; i < n && RNG_GO(i); i++) {
        bool r;
        if (pc->dtype == DT_FLOAT64)
            r = rng_uniform_double(g, 0, 1) < tensor_get_f64(pc, i);
        else
            r = rng_uniform_float(g, 0, 1) < (float)tensor_get_f64(pc, i);
        store_int(t->dtype, o + i * es, r);
    }
    bool ok = RNG_DONE();
    if (ok && out != t)
        ok = tensor_copy_(t, out);
    tensor_release(out);
    tensor_release(pc);
    return ok;
bad_shape:
    tsr_raise(ERR_RuntimeError, "expand: the shape of p is not broadcastable to the output");
    return false;
}

/* ------------------------------------------------------------ randperm --- */

Tensor *rng_randperm(int64_t n, DType dtype, RngGen *g)
{
    if (n < 0) {
        tsr_raise(ERR_RuntimeError, "n must be non-negative, got%lld", (long long)n);
        return NULL;
    }
    if (dtype == DT_BOOL || dtype_is_complex(dtype)) {
        tsr_raise(ERR_RuntimeError, "\"randperm\" not implemented for '%s'", dtype_scalar_name(dtype));
        return NULL;
    }
    Tensor *t = tensor_empty(dtype, 1, &n, device_cpu());
    if (!t)
        return NULL;
    int64_t *tmp = tsr_malloc((unsigned long long)(n ? n : 1) * sizeof(int64_t));
    if (!tmp) {
        tensor_release(t);
        return NULL;
    }
    for (int64_t i = 0; i < n && RNG_GO(i); i++)
        tmp[i] = i; /* first touch of fresh pages: slow for huge n */
    /* Ctrl-C is polled every 64K swaps (each a likely cache miss) */
    for (int64_t i = 0; i < n - 1; i++) {
        if ((i & 0xFFFF) == 0 && tsr_check_interrupt()) {
            free(tmp);
            tensor_release(t);
            return NULL;
        }
        int64_t z = (int64_t)(rng_random(g) % (uint64_t)(n - i));
        int64_t sav = tmp[i];
        tmp[i] = tmp[z + i];
        tmp[z + i] = sav;
    }
    char *d = tensor_data(t);
    size_t es = dtype_size(dtype);
    for (int64_t i = 0; i < n && RNG_GO(i); i++)
        store_int(dtype, d + i * es, tmp[i]);
    free(tmp);
    if (!RNG_DONE()) {
        tensor_release(t);
        return NULL;
    }
    return t;
}

/* --------------------------------------------------------- multinomial --- */

typedef struct {
    double v;
    int64_t i;
} Keyed;

static int keyed_desc(const void *a, const void *b)
{
    const Keyed *x = a, *y = b;
    /* NaN sorts first like topk; ties keep index order */
    bool xn = isnan(x->v), yn = isnan(y->v);
    if (xn != yn)
        return xn ? -1 : 1;
    if (x->v > y->v)
        return -1;
    if (x->v < y->v)
        return 1;
    return (x->i > y->i) - (x->i < y->i);
}

Tensor *rng_multinomial(Tensor *probs, int64_t ns, bool replacement, RngGen *g)
{
    Tensor *p = NULL, *out = NULL;
    Keyed *keys = NULL;
    double *cum = NULL;
    if (!dtype_is_float(probs->dtype)) {
        tsr_raise(ERR_RuntimeError, "multinomial only supports floating-point dtypes for input, got: %s",
                  dtype_scalar_name(probs->dtype));
        return NULL;
    }
    if (ns <= 0) {
        tsr_raise(ERR_RuntimeError, "cannot sample n_sample <= 0 samples");
        return NULL;
    }
    if (probs->ndim != 1 && probs->ndim != 2) {
        tsr_raise(ERR_RuntimeError, "prob_dist must be 1 or 2 dim");
        return NULL;
    }
    int64_t ncat = probs->shape[probs->ndim - 1];
    int64_t ndist = probs->ndim == 2 ? probs->shape[0] : 1;
    if (!replacement && ns > ncat) {
        tsr_raise(ERR_RuntimeError, "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        return NULL;
    }
    p = tensor_contiguous(probs);
    if (!p)
        goto fail;
    int64_t oshape[2] = {ndist, ns};
    int ond = probs->ndim;
    if (ond == 1)
        oshape[0] = ns;
    out = tensor_empty(DT_INT64, ond, oshape, device_cpu());
    if (!out)
        goto fail;
    int64_t *o = (int64_t *)tensor_data(out);
    int64_t total = ndist * ncat;
    DType dt = p->dtype;
    bool dbl = dt == DT_FLOAT64;

    if (!replacement || ns == 1) {
        for (int64_t i = 0; i < total; i++) {
            double v = tensor_get_f64(p, i);
            if (!(v < INFINITY && v >= 0)) {
                tsr_raise(ERR_RuntimeError, "probability tensor contains either `inf`, `nan` or element < 0");
                goto fail;
            }
        }
        for (int64_t r = 0; r < ndist; r++) {
            double s = 0;
            for (int64_t j = 0; j < ncat; j++)
                s += tensor_get_f64(p, r * ncat + j);
            if (s == 0) {
                tsr_raise(ERR_RuntimeError, "invalid multinomial distribution (sum of probabilities <= 0)");
                goto fail;
            }
        }
        keys = tsr_malloc((unsigned long long)(ncat ? ncat : 1) * sizeof(Keyed));
        if (!keys)
            goto fail;
        /* q = empty_like(p).exponential_(1); q = p / q (in p's dtype) */
        for (int64_t r = 0; r < ndist; r++) {
            for (int64_t j = 0; j < ncat; j++) {
                double e = -1.0 / 1.0 * log(1.0 - rng_uniform_double(g, 0, 1));
                double pv = tensor_get_f64(p, r * ncat + j), q;
                if (dbl) {
                    q = pv / e;
                } else {
                    float ef;
                    if (dt == DT_FLOAT32)
                        ef = (float)e;
                    else
                        ef = dt == DT_FLOAT16 ? round_half((float)e) : round_bf16((float)e);
                    float qf = (float)pv / ef;
                    q = dt == DT_FLOAT32 ? qf : dt == DT_FLOAT16 ? round_half(qf) : round_bf16(qf);
                }
                keys[j].v = q;
                keys[j].i = j;
            }
            if (ns == 1) {
                int64_t best = 0;
                for (int64_t j = 1; j < ncat; j++) {
                    if (isnan(keys[best].v))
                        break;
                    if (isnan(keys[j].v) || keys[j].v > keys[best].v)
                        best = j;
                }
                o[r * ns] = best;
            } else {
                qsort(keys, (size_t)ncat, sizeof(Keyed), keyed_desc);
                for (int64_t k = 0; k < ns; k++)
                    o[r * ns + k] = keys[k].i;
            }
        }
        goto done;
    }

    cum = tsr_malloc((unsigned long long)(ncat ? ncat : 1) * sizeof(double));
    if (!cum)
        goto fail;
    for (int64_t r = 0; r < ndist; r++) {
        double sum = 0;
        float sumf = 0;
        for (int64_t j = 0; j < ncat; j++) {
            double v = tensor_get_f64(p, r * ncat + j);
            if (!(v >= 0)) {
                tsr_raise(ERR_RuntimeError, "invalid multinomial distribution (encountering probability entry < 0)");
                goto fail;
            }
            if (!isfinite(v)) {
                tsr_raise(ERR_RuntimeError, "invalid multinomial distribution (encountering probability entry = infinity or NaN)");
                goto fail;
            }
            if (dbl) {
                sum += v;
                cum[j] = sum;
            } else {
                sumf += (float)v;
                cum[j] = sumf;
            }
        }
        if (!dbl)
            sum = sumf;
        if (!(sum > 0)) {
            tsr_raise(ERR_RuntimeError, "invalid multinomial distribution (sum of probabilities <= 0)");
            goto fail;
        }
        for (int64_t j = 0; j < ncat; j++)
            cum[j] = dbl ? cum[j] / sum : (double)((float)cum[j] / (float)sum);
        for (int64_t k = 0; k < ns; k++) {
            double u = rng_uniform_double(g, 0, 1);
            int64_t left = 0, right = ncat;
            cum[ncat - 1] = 1;
            while (right - left > 0) {
                int64_t mid = left + (right - left) / 2;
                if (cum[mid] < u)
                    left = mid + 1;
                else
                    right = mid;
            }
            o[r * ns + k] = left;
        }
    }
done:
    free(keys);
    free(cum);
    tensor_release(p);
    return out;
fail:
    free(keys);
    free(cum);
    tensor_release(p);
    tensor_release(out);
    return NULL;
}

bool rng_random_plain_(Tensor *t, RngGen *g)
{
    DType dt = t->dtype;
    if (dtype_is_complex(dt)) {
        tsr_raise(ERR_RuntimeError, "\"random_kernel_cpu\" not implemented for '%s'", dtype_scalar_name(dt));
        return false;
    }
    Walk w;
    walk_init(&w, t);
    int64_t n = tensor_numel(t);
    for (int64_t i = 0; i < n && RNG_GO(i); i++) {
        int64_t v;
        switch (dt) {
        case DT_INT64: v = (int64_t)(rng_random64(g) % ((uint64_t)INT64_MAX + 1)); break;
        case DT_FLOAT64: v = (int64_t)(rng_random64(g) % ((1ULL << 53) + 1)); break;
        case DT_FLOAT32: v = (int64_t)(rng_random(g) % ((1ULL << 24) + 1)); break;
        case DT_FLOAT16: v = (int64_t)(rng_random(g) % ((1ULL << 11) + 1)); break;
        case DT_BFLOAT16: v = (int64_t)(rng_random(g) % ((1ULL << 8) + 1)); break;
        case DT_BOOL: v = rng_random(g) & 1; break;
        case DT_UINT8: v = rng_random(g) % 256; break;
        case DT_INT8: v = rng_random(g) % 128; break;
        case DT_INT16: v = rng_random(g) % 32768; break;
        default: v = rng_random(g) % 2147483648ULL; break;
        }
        store_int(dt, walk_next(&w), v);
    }
    return RNG_DONE();
}

/* ------------------------------------------------------ fills on any device --- */

/* A view of t with no elements: the CPU fill run on it makes the argument
 * checks (and raises their errors) without drawing anything. */
static bool checks_pass(Tensor *t, int which, double a, double b, int64_t i1, bool flag, int64_t i2, RngGen *g)
{
    int64_t zero = 0, one = 1;
    Tensor *e = tensor_as_strided(t, 1, &zero, &one, t->offset);
    if (!e)
        return false;
    bool ok;
    switch (which) {
    case 0: ok = rng_uniform_(e, a, b, g); break;
    case 1: ok = rng_normal_(e, a, b, g); break;
    case 2: ok = rng_random_(e, i1, flag, i2, g); break;
    case 3: ok = rng_exponential_(e, a, g); break;
    default: ok = rng_bernoulli_scalar_(e, a, g); break;
    }
    tensor_release(e);
    return ok;
}

static bool rand_geom(const Tensor *t, CudaRandGeom *cg)
{
    if (t->ndim > CUDA_RAND_MAX_DIMS)
        return false;
    memset(cg, 0, sizeof *cg);
    cg->ndim = t->ndim;
    for (int d = 0; d < t->ndim; d++) {
        cg->shape[d] = t->shape[d];
        cg->stride[d] = t->stride[d];
    }
    return true;
}

/* Runs a GPU fill: true when it ran (the offset then moves on). */
#define GPU_FILL(t, call)                                            \
    do {                                                             \
        CudaRandGeom cg_;                                            \
        if (rand_geom((t), &cg_)) {                                  \
            const CudaRandGeom *g_ = &cg_;                           \
            uint64_t seed_ = cuda_rng_seed, off_ = cuda_rng_offset;  \
            if ((call) == KERNEL_OK) {                               \
                cuda_rng_offset++;                                   \
                return true;                                         \
            }                                                        \
        }                                                            \
    } while (0)

bool rng_dev_uniform_(Tensor *t, double from, double to, RngGen *g)
{
    if (dtype_is_complex(t->dtype))
        return fill_real_view(t, from, to, g, rng_dev_uniform_);
    if (tensor_is_cuda(t)) {
        if (!checks_pass(t, 0, from, to, 0, false, 0, g))
            return false;
        GPU_FILL(t, tsr_cuda->rand_uniform(t->dtype, g_, tensor_ptr(t), from, to, seed_, off_));
    }
    return rng_uniform_(t, from, to, g);
}

bool rng_dev_normal_(Tensor *t, double mean, double std, RngGen *g)
{
    if (dtype_is_complex(t->dtype))
        return normal_std_ok(std) && fill_real_view(t, mean, std / sqrt(2.0), g, rng_dev_normal_);
    if (tensor_is_cuda(t)) {
        if (!checks_pass(t, 1, mean, std, 0, false, 0, g))
            return false;
        GPU_FILL(t, tsr_cuda->rand_normal(t->dtype, g_, tensor_ptr(t), mean, std, seed_, off_));
    }
    return rng_normal_(t, mean, std, g);
}

bool rng_dev_exponential_(Tensor *t, double lambd, RngGen *g)
{
    if (tensor_is_cuda(t)) {
        if (!checks_pass(t, 3, lambd, 0, 0, false, 0, g))
            return false;
        GPU_FILL(t, tsr_cuda->rand_exponential(t->dtype, g_, tensor_ptr(t), lambd, seed_, off_));
    }
    return rng_exponential_(t, lambd, g);
}

bool rng_dev_bernoulli_scalar_(Tensor *t, double p, RngGen *g)
{
    if (tensor_is_cuda(t)) {
        if (!checks_pass(t, 4, p, 0, 0, false, 0, g))
            return false;
        GPU_FILL(t, tsr_cuda->rand_bernoulli(t->dtype, g_, tensor_ptr(t), p, NULL, DT_FLOAT64, NULL, seed_, off_));
    }
    return rng_bernoulli_scalar_(t, p, g);
}

static int float_bits(DType dt)
{
    return dt == DT_FLOAT16 ? 11 : dt == DT_BFLOAT16 ? 8 : dt == DT_FLOAT32 ? 24 : 53;
}

static int64_t int_max(DType dt)
{
    switch (dt) {
    case DT_UINT8: return 255;
    case DT_INT8: return 127;
    case DT_INT16: return 32767;
    case DT_INT32: return INT32_MAX;
    case DT_BOOL: return 1;
    default: return INT64_MAX;
    }
}

/* |v| <= 2^bits: a float dtype holds v and its neighbours exactly, so the
 * CPU's bound adjustments (update_from/update_to) change nothing */
static bool exact_in(DType dt, int64_t v)
{
    int64_t lim = (int64_t)1 << float_bits(dt);
    return v >= -lim && v <= lim;
}

bool rng_dev_random_(Tensor *t, int64_t from, bool to_given, int64_t to, RngGen *g)
{
    if (tensor_is_cuda(t)) {
        if (!checks_pass(t, 2, 0, 0, from, to_given, to, g))
            return false;
        DType dt = t->dtype;
        bool fl = dtype_is_float(dt), exact = true;
        uint64_t range;
        if (to_given) {
            exact = !fl || (exact_in(dt, from) && exact_in(dt, to));
            range = (uint64_t)to - (uint64_t)from;
        } else if (from != INT64_MIN) {
            int64_t to_inc = fl ? (int64_t)1 << float_bits(dt) : int_max(dt);
            exact = !fl || exact_in(dt, from);
            range = (uint64_t)to_inc - (uint64_t)from + 1;
        } else {
            range = 0; /* the full 64 bits */
        }
        if (exact)
            GPU_FILL(t, tsr_cuda->rand_int(dt, g_, tensor_ptr(t), to_given || from != INT64_MIN ? from : 0, range, seed_, off_));
    }
    return rng_random_(t, from, to_given, to, g);
}

bool rng_dev_random_plain_(Tensor *t, RngGen *g)
{
    if (tensor_is_cuda(t)) {
        uint64_t range;
        switch (t->dtype) {
        case DT_INT64: range = (uint64_t)INT64_MAX + 1; break;
        case DT_FLOAT64: range = (1ULL << 53) + 1; break;
        case DT_FLOAT32: range = (1ULL << 24) + 1; break;
        case DT_FLOAT16: range = (1ULL << 11) + 1; break;
        case DT_BFLOAT16: range = (1ULL << 8) + 1; break;
        case DT_BOOL: range = 2; break;
        case DT_UINT8: range = 256; break;
        case DT_INT8: range = 128; break;
        case DT_INT16: range = 32768; break;
        default: range = 2147483648ULL; break;
        }
        GPU_FILL(t, tsr_cuda->rand_int(t->dtype, g_, tensor_ptr(t), 0, range, seed_, off_));
    }
    return rng_random_plain_(t, g);
}

bool rng_dev_bernoulli_tensor_(Tensor *t, Tensor *p, RngGen *g)
{
    /* Anything the CPU fill would reject goes to it: it raises before
     * drawing. */
    bool usable = tensor_is_cuda(t) && tensor_is_cuda(p) && t->dtype != DT_FLOAT16 && dtype_is_float(p->dtype) &&
                  p->dtype != DT_FLOAT16 && p->ndim <= t->ndim;
    int64_t pstride[TSR_MAX_DIMS];
    for (int d = 0; usable && d < t->ndim; d++) {
        int pd = d - (t->ndim - p->ndim);
        if (pd < 0 || p->shape[pd] == 1) pstride[d] = 0;
        else if (p->shape[pd] == t->shape[d]) pstride[d] = p->stride[pd];
        else usable = false;
    }
    if (usable)
        usable = device_all_in_range(p, 0.0, 1.0) == 1; /* on the GPU */
    if (usable)
        GPU_FILL(t, tsr_cuda->rand_bernoulli(t->dtype, g_, tensor_ptr(t), 0, tensor_ptr(p), p->dtype, pstride, seed_, off_));
    return rng_bernoulli_tensor_(t, p, g);
}
