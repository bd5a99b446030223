/* np_math.c: numpy 1.24's float math loops (np_math.h): the CPU target
 * numpy's dispatch picks, and per ufunc and dtype the loop it runs there.
 * On AVX2+FMA3 and up, float64 tanh and float32 tanh, sin, cos, exp and
 * log (those SVML does not serve) run numpy's own algorithms
 * (np_math_simd.c).
 *
 * numpy's npy_cpu_features: AVX512_SKX is AVX512F, CD, VL, BW and DQ
 * together; its dispatch takes the highest target a loop was built for
 * (generate_umath.py's `dispatch=`, the dispatch sources' @targets). On
 * AVX512_SKX the SVML loops (np_math_avx512.c) serve float64 sin, cos,
 * tan, exp, exp2, expm1, log, log2, log10, log1p, cbrt, arcsin, arccos,
 * arctan, sinh, cosh, arcsinh, arccosh, arctanh, power, arctan2, float32
 * the same less sin, cos, exp and log, and float16 all twenty unary ones
 * on a contiguous array; every other case calls the C library per
 * element (npy_sin is sin, npy_sinf sinf, float16 through float), as
 * numpy's UNARY_LOOP / BINARY_LOOP do. */
#include "np_math.h"

#include <math.h>

#include "np_math_simd.h"

static int target_cache = -1; /* 0 baseline, 1 AVX2+FMA3, 2 AVX512F, 3 AVX512_SKX */

static int np_target(void) {
    if (target_cache >= 0) return target_cache;
    int t = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) t = 1;
    if (t && __builtin_cpu_supports("avx512f")) t = 2;
    if (t == 2 && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq"))
        t = 3;
#endif
    target_cache = t;
    return t;
}

const char *np_math_target(void) {
    static const char *const names[] = {"baseline", "AVX2", "AVX512F", "AVX512_SKX"};
    return names[np_target()];
}

static double (*const libm_f64[NPM_COUNT])(double) = {
#define X(np, c) [NPM_##np] = c,
    NP_MATH_UNARY(X)
#undef X
};
static float (*const libm_f32[NPM_COUNT])(float) = {
#define X(np, c) [NPM_##np] = c##f,
    NP_MATH_UNARY(X)
#undef X
};

void np_math_unary(NpMathFn f, DType dt, const void *in, void *out, int64_t n, bool strided) {
    if ((unsigned)f >= NPM_COUNT || n <= 0) return;
    bool skx = np_target() == 3, fma3 = np_target() >= 1;
    if (dt == DT_FLOAT64) {
        const double *x = in;
        double *o = out;
        if (skx && np_svml_unary_f64(f, x, 1, o, n)) return;
        if (fma3 && f == NPM_tanh) /* loops_hyperbolic: AVX2+FMA3, AVX512_SKX */
            for (int64_t i = 0; i < n; i++) o[i] = np_simd_tanh_f64(x[i]);
        else
            for (int64_t i = 0; i < n; i++) o[i] = libm_f64[f](x[i]);
    } else if (dt == DT_FLOAT32) {
        const float *x = in;
        float *o = out;
        if (skx && np_svml_unary_f32(f, x, 1, o, n)) return;
        /* numpy's own loops on AVX2+FMA3 and up: loops_hyperbolic (tanh),
         * loops_trigonometric (sin, cos), loops_exponent_log (exp, log) */
        if (fma3 && f == NPM_tanh)
            for (int64_t i = 0; i < n; i++) o[i] = np_simd_tanh_f32(x[i]);
        else if (fma3 && (f == NPM_sin || f == NPM_cos))
            for (int64_t i = 0; i < n; i++) o[i] = np_simd_sincos_f32(x[i], f == NPM_cos);
        else if (fma3 && f == NPM_exp)
            for (int64_t i = 0; i < n; i++) o[i] = np_simd_exp_f32(x[i]);
        else if (fma3 && f == NPM_log)
            for (int64_t i = 0; i < n; i++) o[i] = np_simd_log_f32(x[i]);
        else
            for (int64_t i = 0; i < n; i++) o[i] = libm_f32[f](x[i]);
    } else if (dt == DT_FLOAT16) {
        const tsr_half *x = in;
        tsr_half *o = out;
        if (skx && !strided && np_svml_unary_f16(f, x, o, n)) return;
        for (int64_t i = 0; i < n; i++) o[i] = float_to_half(libm_f32[f](half_to_float(x[i])));
    }
}

/* npy_logaddexp2 / npy_logaddexp2f: x + log2(1 + 2^-(x - y)), LOG2E *
 * log1p as numpy's npy_log2_1p */
static double logaddexp2_f64(double x, double y) {
    if (x == y) return x + 1;
    double tmp = x - y;
    if (tmp > 0) return x + 1.442695040888963407359924681001892137 * log1p(exp2(-tmp));
    if (tmp <= 0) return y + 1.442695040888963407359924681001892137 * log1p(exp2(tmp));
    return tmp;
}

static float logaddexp2_f32(float x, float y) {
    if (x == y) return x + 1;
    float tmp = x - y;
    if (tmp > 0) return x + 1.442695040888963407359924681001892137F * log1pf(exp2f(-tmp));
    if (tmp <= 0) return y + 1.442695040888963407359924681001892137F * log1pf(exp2f(tmp));
    return tmp;
}

static double scalar_f64(NpMathBinFn f, double x, double y) {
    switch (f) {
    case NPM_ARCTAN2: return atan2(x, y);
    case NPM_HYPOT: return hypot(x, y);
    case NPM_LOGADDEXP2: return logaddexp2_f64(x, y);
    default: return pow(x, y);
    }
}

static float scalar_f32(NpMathBinFn f, float x, float y) {
    switch (f) {
    case NPM_ARCTAN2: return atan2f(x, y);
    case NPM_HYPOT: return hypotf(x, y);
    case NPM_LOGADDEXP2: return logaddexp2_f32(x, y);
    default: return powf(x, y);
    }
}

void np_math_binary(NpMathBinFn f, DType dt, const void *a, int64_t sa, const void *b, int64_t sb, void *out,
                    int64_t n) {
    if ((unsigned)f >= NPM_BINARY_COUNT || n <= 0) return;
    bool svml = np_target() == 3 && (f == NPM_POWER || f == NPM_ARCTAN2);
    if (dt == DT_FLOAT64) {
        const double *x = a, *y = b;
        double *o = out;
        if (svml) np_svml_binary_f64(f, x, sa, y, sb, o, n);
        else
            for (int64_t i = 0; i < n; i++) o[i] = scalar_f64(f, x[i * sa], y[i * sb]);
    } else if (dt == DT_FLOAT32) {
        const float *x = a, *y = b;
        float *o = out;
        if (svml) np_svml_binary_f32(f, x, sa, y, sb, o, n);
        else
            for (int64_t i = 0; i < n; i++) o[i] = scalar_f32(f, x[i * sa], y[i * sb]);
    } else if (dt == DT_FLOAT16) { /* numpy's 'e' loops: the float function, rounded */
        const tsr_half *x = a, *y = b;
        tsr_half *o = out;
        for (int64_t i = 0; i < n; i++)
            o[i] = float_to_half(scalar_f32(f, half_to_float(x[i * sa]), half_to_float(y[i * sb])));
    }
}
