/* np_math.h: numpy 1.24's float math ufunc loops, bit for bit, as numpy's
 * runtime dispatch picks them on the CPU it runs on (numpy's
 * loops_umath_fp / loops_exponent_log / loops_trigonometric /
 * loops_hyperbolic .dispatch.c.src). docs/float-math.md has the table.
 *
 * numpy builds these loops per target and picks the best target the CPU
 * has: AVX512_SKX (AVX512F+CD+VL+BW+DQ), AVX512F, AVX2 with FMA3, or the
 * baseline. On AVX512_SKX most float64 and float32 functions (and all the
 * float16 ones, on contiguous arrays) run Intel's SVML
 * (kernels/cpu/svml/, numpy's vendored copy); elsewhere they call the C
 * library per element. The SIMD loops compute each lane independently,
 * so the values do not depend on the array's length or strides. */
#ifndef TSR_NP_MATH_H
#define TSR_NP_MATH_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"

/* X(numpy name, C library name): the unary ufuncs of numpy's
 * loops_umath_fp float16 list, in its order */
#define NP_MATH_UNARY(X)                                                                                    \
    X(sin, sin) X(cos, cos) X(tan, tan) X(exp, exp) X(exp2, exp2) X(expm1, expm1) X(log, log) X(log2, log2) \
    X(log10, log10) X(log1p, log1p) X(cbrt, cbrt) X(arcsin, asin) X(arccos, acos) X(arctan, atan)            \
    X(sinh, sinh) X(cosh, cosh) X(tanh, tanh) X(arcsinh, asinh) X(arccosh, acosh) X(arctanh, atanh)

typedef enum {
#define X(np, c) NPM_##np,
    NP_MATH_UNARY(X)
#undef X
    NPM_COUNT
} NpMathFn;

/* power and arctan2 run SVML on AVX512_SKX; hypot, logaddexp2 (numpy's
 * npy_logaddexp2 over exp2 and log1p) and float_power (float64 only) are
 * numpy's scalar loops over the C library everywhere */
typedef enum { NPM_POWER, NPM_ARCTAN2, NPM_HYPOT, NPM_LOGADDEXP2, NPM_FLOAT_POWER, NPM_BINARY_COUNT } NpMathBinFn;

/* numpy's loop of f over n contiguous elements of dtype dt (float16,
 * float32 or float64) into out; `strided`: numpy's inner loop would see a
 * stride other than 1 (its float16 SVML loop takes unit strides only;
 * the other loops' values do not depend on the stride) */
void np_math_unary(NpMathFn f, DType dt, const void *in, void *out, int64_t n, bool strided);
/* numpy's loop of f (float16, float32 or float64) over n elements, a
 * and b read with strides sa and sb elements (0: a broadcast scalar) */
void np_math_binary(NpMathBinFn f, DType dt, const void *a, int64_t sa, const void *b, int64_t sb, void *out,
                    int64_t n);
/* the numpy CPU target the float loops run on here, for docs and tests:
 * "AVX512_SKX", "AVX512F", "AVX2" or "baseline" */
const char *np_math_target(void);

/* kernels/cpu/np_math_avx512.c (x86-64 only, called only on AVX512_SKX):
 * numpy's loops_umath_fp SVML loops; contiguous out */
bool np_svml_unary_f64(NpMathFn f, const double *in, int64_t is, double *out, int64_t n);
bool np_svml_unary_f32(NpMathFn f, const float *in, int64_t is, float *out, int64_t n);
bool np_svml_unary_f16(NpMathFn f, const uint16_t *in, uint16_t *out, int64_t n);
void np_svml_binary_f64(NpMathBinFn f, const double *a, int64_t sa, const double *b, int64_t sb, double *out,
                        int64_t n);
void np_svml_binary_f32(NpMathBinFn f, const float *a, int64_t sa, const float *b, int64_t sb, float *out,
                        int64_t n);

#endif
