/* np_math_simd.h: numpy 1.24's own vectorised float algorithms (tanh,
 * float32 sin/cos/exp/log), one lane at a time (np_math_simd.c); for
 * np_math.c, which calls them where numpy's dispatch runs them. */
#ifndef TSR_NP_MATH_SIMD_H
#define TSR_NP_MATH_SIMD_H

#include <stdbool.h>

double np_simd_tanh_f64(double x);
float np_simd_tanh_f32(float x);
float np_simd_sincos_f32(float x, bool cos_op);
float np_simd_exp_f32(float x);
float np_simd_log_f32(float x);

#endif
