/* grid_sample.h: torch.grid_sampler_2d's CPU loops (1.13's
 * GridSamplerKernel.cpp, run lane by lane: its AVX2 build fuses the
 * multiply-adds the loops below write as fma, and its backward scatters
 * each vector of points (8 float32, 4 float64) corner by corner, so the
 * sums land in that order). No allocation, no errors. */
#ifndef TSR_KERNEL_GRID_SAMPLE_H
#define TSR_KERNEL_GRID_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"

enum { GRID_BILINEAR, GRID_NEAREST, GRID_BICUBIC };
enum { GRID_ZEROS, GRID_BORDER, GRID_REFLECTION };

typedef struct {
    DType dt; /* float32 or float64 */
    int interp, padding;
    bool align_corners;
    int64_t N, C, inp_H, inp_W, out_H, out_W;
    const void *input;     /* N x C x inp_H x inp_W */
    int64_t inp_s[4];      /* input's strides (elements) */
    const void *grid;      /* N x out_H x out_W x 2 */
    int64_t grid_s[4];     /* grid's strides */
} GridSample2d;

/* out: N x C x out_H x out_W, contiguous */
void kernel_grid_sample_2d(const GridSample2d *g, void *out);
/* grad_out: contiguous like out; grad_input (contiguous, zeroed; NULL: not
 * wanted), grad_grid: contiguous N x out_H x out_W x 2 */
void kernel_grid_sample_2d_backward(const GridSample2d *g, const void *grad_out, void *grad_input, void *grad_grid);

/* torch.grid_sampler_3d's CPU loops (1.13's GridSampler.cpp: scalar code,
 * GridSampler.h's coordinate helpers, no fused multiply-adds);
 * interpolation bilinear (trilinear) or nearest */
typedef struct {
    DType dt; /* float32 or float64 */
    int interp, padding;
    bool align_corners;
    int64_t N, C, inp_D, inp_H, inp_W, out_D, out_H, out_W;
    const void *input; /* N x C x inp_D x inp_H x inp_W */
    int64_t inp_s[5];
    const void *grid; /* N x out_D x out_H x out_W x 3 */
    int64_t grid_s[5];
} GridSample3d;

/* out: N x C x out_D x out_H x out_W, contiguous */
void kernel_grid_sample_3d(const GridSample3d *g, void *out);
/* grad_out contiguous like out; grad_input (contiguous, zeroed; NULL: not
 * wanted), grad_grid: contiguous N x out_D x out_H x out_W x 3 */
void kernel_grid_sample_3d_backward(const GridSample3d *g, const void *grad_out, void *grad_input, void *grad_grid);

#endif
