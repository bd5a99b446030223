/* grid_sample.c: the grid sampler's CPU loops (grid_sample.h), written
 * once for float and double in grid_sample_impl.h. */
#include "grid_sample.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define INT_MIN_OF(I) ((I)(sizeof(I) == 4 ? (int64_t)INT32_MIN : INT64_MIN))

#define T float
#define S(name) name##_f32
#define I int32_t
#define FMA fmaf
#define FLOOR floorf
#define TRUNC truncf
#define RINT nearbyintf
#define FABS fabsf
#include "grid_sample_impl.h"
#undef T
#undef S
#undef I
#undef FMA
#undef FLOOR
#undef TRUNC
#undef RINT
#undef FABS

#define T double
#define S(name) name##_f64
#define I int64_t
#define FMA fma
#define FLOOR floor
#define TRUNC trunc
#define RINT nearbyint
#define FABS fabs
#include "grid_sample_impl.h"

void kernel_grid_sample_2d(const GridSample2d *g, void *out) {
    if (g->dt == DT_FLOAT32) forward_f32(g, out);
    else forward_f64(g, out);
}

void kernel_grid_sample_2d_backward(const GridSample2d *g, const void *grad_out, void *grad_input, void *grad_grid) {
    if (g->dt == DT_FLOAT32) backward_f32(g, grad_out, grad_input, grad_grid);
    else backward_f64(g, grad_out, grad_input, grad_grid);
}
