/* np_math_avx512.c: numpy 1.24's SVML loops on AVX512_SKX (np_math.h):
 * loops_umath_fp.dispatch.c.src's simd_<func>_f64 / _f32 / avx512_<func>_f16
 * and loops_exponent_log.dispatch.c.src's simd_exp_f64 / simd_log_f64,
 * ported from numpy (BSD-3-Clause, Copyright (c) 2005-2022 NumPy
 * Developers). Each loop loads 8 doubles or 16 floats at a time, the last
 * partial vector filled with numpy's default value for the function,
 * calls SVML's __svml_<func>8 / __svml_<func>f16 (kernels/cpu/svml/) and
 * stores the lanes it loaded. Compiled with the AVX-512 flags; only
 * called where np_math.c found AVX512_SKX. */
#include "np_math.h"

#if defined(__x86_64__) && defined(__AVX512F__)
#include <immintrin.h>
#include <string.h>

#define SVML_F64(X)                                                                                         \
    X(sin, sin, 0) X(cos, cos, 0) X(tan, tan, 0) X(exp, exp, 0) X(exp2, exp2, 0) X(expm1, expm1, 1)       \
    X(log, log, 1) X(log2, log2, 1) X(log10, log10, 1) X(log1p, log1p, 0) X(cbrt, cbrt, 0)                \
    X(arcsin, asin, 0) X(arccos, acos, 0) X(arctan, atan, 0) X(sinh, sinh, 0) X(cosh, cosh, 0)            \
    X(arcsinh, asinh, 0) X(arccosh, acosh, 1) X(arctanh, atanh, 0)
/* float32: the same less sin, cos, exp, log (numpy's own loops) */
#define SVML_F32(X)                                                                                         \
    X(tan, tan, 0) X(exp2, exp2, 0) X(expm1, expm1, 1) X(log2, log2, 1) X(log10, log10, 1)                \
    X(log1p, log1p, 0) X(cbrt, cbrt, 0) X(arcsin, asin, 0) X(arccos, acos, 0) X(arctan, atan, 0)          \
    X(sinh, sinh, 0) X(cosh, cosh, 0) X(arcsinh, asinh, 0) X(arccosh, acosh, 1) X(arctanh, atanh, 0)
/* float16 (computed in float32): every function of the list; the fill is
 * 1.0 (0x3c00) for expm1, log, log2, log10 and arccosh */
#define SVML_F16(X)                                                                                         \
    X(sin, sin, 0) X(cos, cos, 0) X(tan, tan, 0) X(exp, exp, 0) X(exp2, exp2, 0) X(expm1, expm1, 1)       \
    X(log, log, 1) X(log2, log2, 1) X(log10, log10, 1) X(log1p, log1p, 0) X(cbrt, cbrt, 0)                \
    X(arcsin, asin, 0) X(arccos, acos, 0) X(arctan, atan, 0) X(sinh, sinh, 0) X(cosh, cosh, 0)            \
    X(tanh, tanh, 0) X(arcsinh, asinh, 0) X(arccosh, acosh, 1) X(arctanh, atanh, 0)

#define X(np, sv, fill) __m512d __svml_##sv##8(__m512d);
SVML_F64(X)
#undef X
#define X(np, sv, fill) __m512 __svml_##sv##f16(__m512);
SVML_F16(X)
#undef X
__m512d __svml_pow8(__m512d, __m512d);
__m512d __svml_atan28(__m512d, __m512d);
__m512 __svml_powf16(__m512, __m512);
__m512 __svml_atan2f16(__m512, __m512);

typedef __m512d (*SvmlF64)(__m512d);
typedef __m512 (*SvmlF32)(__m512);
typedef struct {
    SvmlF64 f;
    int fill;
} RowF64;
typedef struct {
    SvmlF32 f;
    int fill;
} RowF32;

static const RowF64 rows_f64[NPM_COUNT] = {
#define X(np, sv, fill) [NPM_##np] = {__svml_##sv##8, fill},
    SVML_F64(X)
#undef X
};
static const RowF32 rows_f32[NPM_COUNT] = {
#define X(np, sv, fill) [NPM_##np] = {__svml_##sv##f16, fill},
    SVML_F32(X)
#undef X
};
static const RowF32 rows_f16[NPM_COUNT] = {
#define X(np, sv, fill) [NPM_##np] = {__svml_##sv##f16, fill},
    SVML_F16(X)
#undef X
};

/* npyv_load_till / npyv_loadn_till: min(len, lanes) elements at stride s,
 * the other lanes `fill` */
static __m512d load_f64(const double *p, int64_t s, int64_t len, double fill) {
    double b[8];
    for (int i = 0; i < 8; i++) b[i] = i < len ? p[i * s] : fill;
    return _mm512_loadu_pd(b);
}

static __m512 load_f32(const float *p, int64_t s, int64_t len, float fill) {
    float b[16];
    for (int i = 0; i < 16; i++) b[i] = i < len ? p[i * s] : fill;
    return _mm512_loadu_ps(b);
}

static void store_f64(double *o, int64_t len, __m512d v) {
    double b[8];
    _mm512_storeu_pd(b, v);
    memcpy(o, b, (size_t)(len < 8 ? len : 8) * sizeof(double));
}

static void store_f32(float *o, int64_t len, __m512 v) {
    float b[16];
    _mm512_storeu_ps(b, v);
    memcpy(o, b, (size_t)(len < 16 ? len : 16) * sizeof(float));
}

bool np_svml_unary_f64(NpMathFn f, const double *in, int64_t is, double *out, int64_t n) {
    if ((unsigned)f >= NPM_COUNT || !rows_f64[f].f) return false;
    RowF64 r = rows_f64[f];
    for (int64_t i = 0; i < n; i += 8) {
        __m512d x = load_f64(in + i * is, is, n - i, r.fill), y;
        if (f == NPM_expm1) { /* numpy 1.24.2's workaround: nan lanes give x itself */
            __mmask8 ok = _mm512_cmp_pd_mask(x, x, _CMP_ORD_Q);
            y = _mm512_mask_blend_pd(ok, x, r.f(_mm512_mask_blend_pd(ok, _mm512_set1_pd(r.fill), x)));
        } else {
            y = r.f(x);
        }
        store_f64(out + i, n - i, y);
    }
    return true;
}

bool np_svml_unary_f32(NpMathFn f, const float *in, int64_t is, float *out, int64_t n) {
    if ((unsigned)f >= NPM_COUNT || !rows_f32[f].f) return false;
    RowF32 r = rows_f32[f];
    for (int64_t i = 0; i < n; i += 16)
        store_f32(out + i, n - i, r.f(load_f32(in + i * is, is, n - i, (float)r.fill)));
    return true;
}

/* avx512_<func>_f16: 16 halves widened to float32, SVML, rounded back to
 * nearest even (_mm512_cvtps_ph(x, 0)) */
bool np_svml_unary_f16(NpMathFn f, const uint16_t *in, uint16_t *out, int64_t n) {
    if ((unsigned)f >= NPM_COUNT || !rows_f16[f].f) return false;
    RowF32 r = rows_f16[f];
    for (int64_t i = 0; i < n; i += 16) {
        uint16_t b[16];
        int64_t k = n - i < 16 ? n - i : 16;
        for (int j = 0; j < 16; j++) b[j] = j < k ? in[i + j] : r.fill ? 0x3c00 : 0;
        __m256i h = _mm256_loadu_si256((const __m256i *)b);
        h = _mm512_cvtps_ph(r.f(_mm512_cvtph_ps(h)), 0);
        _mm256_storeu_si256((__m256i *)b, h);
        memcpy(out + i, b, (size_t)k * sizeof(uint16_t));
    }
    return true;
}

/* simd_pow / simd_atan2: both operands loaded with fill 1 */
void np_svml_binary_f64(NpMathBinFn f, const double *a, int64_t sa, const double *b, int64_t sb, double *out,
                        int64_t n) {
    __m512d (*fn)(__m512d, __m512d) = f == NPM_POWER ? __svml_pow8 : __svml_atan28;
    for (int64_t i = 0; i < n; i += 8)
        store_f64(out + i, n - i, fn(load_f64(a + i * sa, sa, n - i, 1.0), load_f64(b + i * sb, sb, n - i, 1.0)));
}

void np_svml_binary_f32(NpMathBinFn f, const float *a, int64_t sa, const float *b, int64_t sb, float *out,
                        int64_t n) {
    __m512 (*fn)(__m512, __m512) = f == NPM_POWER ? __svml_powf16 : __svml_atan2f16;
    for (int64_t i = 0; i < n; i += 16)
        store_f32(out + i, n - i,
                  fn(load_f32(a + i * sa, sa, n - i, 1.0f), load_f32(b + i * sb, sb, n - i, 1.0f)));
}

#else /* not x86-64: np_math.c never calls these */

bool np_svml_unary_f64(NpMathFn f, const double *in, int64_t is, double *out, int64_t n) { return false; }
bool np_svml_unary_f32(NpMathFn f, const float *in, int64_t is, float *out, int64_t n) { return false; }
bool np_svml_unary_f16(NpMathFn f, const uint16_t *in, uint16_t *out, int64_t n) { return false; }
void np_svml_binary_f64(NpMathBinFn f, const double *a, int64_t sa, const double *b, int64_t sb, double *out,
                        int64_t n) {}
void np_svml_binary_f32(NpMathBinFn f, const float *a, int64_t sa, const float *b, int64_t sb, float *out,
                        int64_t n) {}

#endif
