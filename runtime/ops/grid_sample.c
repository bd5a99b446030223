/* grid_sample.c: torch.grid_sampler / grid_sampler_2d / grid_sampler_3d
 * (F.grid_sample's op) as 1.13's GridSampler.cpp checks them, over the
 * loops of kernels/cpu/grid_sample.c and grid_sample_3d.c on host copies.
 * Nodes GridSampler2DBackward0 / GridSampler3DBackward0 (save input and
 * grid; ctx the modes), whose formulas are grid_sampler_{2,3}d_backward
 * (not differentiable again). */
#include <stdio.h>
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "grid_sample.h"
#include "op_errors.h"
#include "ops.h"

typedef struct {
    int interp, padding;
    bool align_corners;
} GridSampleCtx;

static bool common_checks(Tensor *input, Tensor *grid) {
    char is[256], gs[256];
    op_shape_text(is, sizeof is, input->ndim, input->shape);
    op_shape_text(gs, sizeof gs, grid->ndim, grid->shape);
    if (input->ndim == 0 || grid->ndim == 0) {
        tsr_raise(ERR_IndexError, "%s", "Dimension specified as 0 but tensor has no dimensions");
        return false;
    }
    if (input->shape[0] != grid->shape[0]) {
        tsr_raise(ERR_RuntimeError,
                  "grid_sampler(): expected grid and input to have same batch size, but got input with sizes %s and "
                  "grid with sizes %s",
                  is, gs);
        return false;
    }
    if (grid->shape[grid->ndim - 1] != input->ndim - 2) {
        tsr_raise(ERR_RuntimeError,
                  "grid_sampler(): expected grid to have size %d in last dimension, but got grid with sizes %s",
                  input->ndim - 2, gs);
        return false;
    }
    for (int i = 2; i < input->ndim; i++) {
        if (input->shape[i] <= 0) {
            tsr_raise(ERR_RuntimeError,
                      "grid_sampler(): expected input to have non-empty spatial dimensions, but input has sizes %s "
                      "with dimension %d being empty",
                      is, i);
            return false;
        }
    }
    return true;
}

static bool check_2d(Tensor *input, Tensor *grid) {
    if (input->ndim == 4 && grid->ndim == 4) return true;
    char is[256], gs[256];
    op_shape_text(is, sizeof is, input->ndim, input->shape);
    op_shape_text(gs, sizeof gs, grid->ndim, grid->shape);
    tsr_raise(ERR_RuntimeError,
              "grid_sampler(): expected 4D input and grid with same number of dimensions, but got input with sizes "
              "%s and grid with sizes %s",
              is, gs);
    return false;
}

static bool check_modes(int64_t interp, int64_t padding) {
    if (interp < GRID_BILINEAR || interp > GRID_BICUBIC || padding < GRID_ZEROS || padding > GRID_REFLECTION) {
        tsr_raise(ERR_RuntimeError, "tsr: grid_sampler's interpolation_mode must be 0, 1 or 2 and padding_mode 0, "
                                    "1 or 2, got %lld and %lld",
                  (long long)interp, (long long)padding);
        return false;
    }
    return true;
}

/* dims 2: the vectorised kernel's text; 3: AT_DISPATCH's */
static bool check_dtypes(Tensor *input, Tensor *grid, int dims) {
    if (input->dtype != DT_FLOAT32 && input->dtype != DT_FLOAT64) {
        if (dims == 3)
            op_raise_not_implemented("grid_sampler3d_cpu", input->dtype);
        else
            tsr_raise(ERR_RuntimeError, "grid_sampler_2d_cpu not implemented for %s", dtype_scalar_name(input->dtype));
        return false;
    }
    if (grid->dtype != input->dtype) {
        tsr_raise(ERR_RuntimeError, "expected scalar type %s but found %s", dtype_scalar_name(input->dtype),
                  dtype_scalar_name(grid->dtype));
        return false;
    }
    return true;
}

static void geometry(GridSample2d *g, Tensor *hi, Tensor *hg, const GridSampleCtx *c) {
    memset(g, 0, sizeof *g);
    g->dt = hi->dtype;
    g->interp = c->interp;
    g->padding = c->padding;
    g->align_corners = c->align_corners;
    g->N = hi->shape[0];
    g->C = hi->shape[1];
    g->inp_H = hi->shape[2];
    g->inp_W = hi->shape[3];
    g->out_H = hg->shape[1];
    g->out_W = hg->shape[2];
    g->input = tensor_data(hi);
    g->grid = tensor_data(hg);
    for (int i = 0; i < 4; i++) {
        g->inp_s[i] = hi->stride[i];
        g->grid_s[i] = hg->stride[i];
    }
}

/* t on the host (its strides kept when it already is there) */
static Tensor *host_of(Tensor *t) {
    if (!tensor_is_cuda(t)) return tensor_retain(t);
    return op_host_contiguous(t);
}

static bool check_3d(Tensor *input, Tensor *grid, int64_t interp) {
    if (!(input->ndim == 5 && grid->ndim == 5)) {
        char is[256], gs[256];
        op_shape_text(is, sizeof is, input->ndim, input->shape);
        op_shape_text(gs, sizeof gs, grid->ndim, grid->shape);
        tsr_raise(ERR_RuntimeError,
                  "grid_sampler(): expected 5D input and grid with same number of dimensions, but got input with "
                  "sizes %s and grid with sizes %s",
                  is, gs);
        return false;
    }
    if (interp == GRID_BICUBIC) {
        tsr_raise(ERR_RuntimeError, "%s", "grid_sampler(): bicubic interpolation only supports 4D input");
        return false;
    }
    return true;
}

static void geometry_3d(GridSample3d *g, Tensor *hi, Tensor *hg, const GridSampleCtx *c) {
    memset(g, 0, sizeof *g);
    g->dt = hi->dtype;
    g->interp = c->interp;
    g->padding = c->padding;
    g->align_corners = c->align_corners;
    g->N = hi->shape[0];
    g->C = hi->shape[1];
    g->inp_D = hi->shape[2];
    g->inp_H = hi->shape[3];
    g->inp_W = hi->shape[4];
    g->out_D = hg->shape[1];
    g->out_H = hg->shape[2];
    g->out_W = hg->shape[3];
    g->input = tensor_data(hi);
    g->grid = tensor_data(hg);
    for (int i = 0; i < 5; i++) {
        g->inp_s[i] = hi->stride[i];
        g->grid_s[i] = hg->stride[i];
    }
}

/* the kernel of a dims-d sampling on host copies: the forward into out, or
 * (gout given) the backward into gi (NULL: not wanted) and gg */
static void run_kernel(int dims, Tensor *hi, Tensor *hg, const GridSampleCtx *c, void *out, const void *gout,
                       void *gi, void *gg) {
    if (dims == 2) {
        GridSample2d g;
        geometry(&g, hi, hg, c);
        if (gout) kernel_grid_sample_2d_backward(&g, gout, gi, gg);
        else kernel_grid_sample_2d(&g, out);
    } else {
        GridSample3d g;
        geometry_3d(&g, hi, hg, c);
        if (gout) kernel_grid_sample_3d_backward(&g, gout, gi, gg);
        else kernel_grid_sample_3d(&g, out);
    }
}

/* grid_sampler_{2,3}d after their checks: (N, C, *grid's spatial sizes) */
static Tensor *grid_forward(Tensor *input, Tensor *grid, int64_t interp, int64_t padding, bool align_corners,
                            int dims) {
    GridSampleCtx c = {(int)interp, (int)padding, align_corners};
    Tensor *hi = host_of(input), *hg = hi ? host_of(grid) : NULL;
    int64_t sh[5] = {input->shape[0], input->shape[1], grid->shape[1], grid->shape[2], dims == 3 ? grid->shape[3] : 0};
    Tensor *out = hg ? tensor_empty(input->dtype, dims + 2, sh, device_cpu()) : NULL;
    if (out) run_kernel(dims, hi, hg, &c, tensor_data(out), NULL, NULL, NULL);
    tensor_release(hi);
    tensor_release(hg);
    if (!out) return NULL;
    out = op_host_result_to_steal(out, input->storage->device);
    Tensor *ins[2] = {input, grid};
    return ag_record_steal(out, dims == 3 ? NODE_GridSampler3DBackward0 : NODE_GridSampler2DBackward0, ins, 2, ins,
                           2, &c, sizeof c);
}

Tensor *op_grid_sampler_2d(Tensor *input, Tensor *grid, int64_t interp, int64_t padding, bool align_corners) {
    if (!common_checks(input, grid) || !check_2d(input, grid) || !check_modes(interp, padding) ||
        !check_dtypes(input, grid, 2))
        return NULL;
    return grid_forward(input, grid, interp, padding, align_corners, 2);
}

Tensor *op_grid_sampler_3d(Tensor *input, Tensor *grid, int64_t interp, int64_t padding, bool align_corners) {
    if (!common_checks(input, grid) || !check_3d(input, grid, interp) || !check_modes(interp, padding) ||
        !check_dtypes(input, grid, 3))
        return NULL;
    return grid_forward(input, grid, interp, padding, align_corners, 3);
}

Tensor *op_grid_sampler(Tensor *input, Tensor *grid, int64_t interp, int64_t padding, bool align_corners) {
    if (!common_checks(input, grid)) return NULL;
    if (interp == GRID_BICUBIC && input->ndim != 4) {
        tsr_raise(ERR_RuntimeError, "%s", "grid_sampler(): bicubic interpolation only supports 4D input");
        return NULL;
    }
    if (input->ndim != 4) return op_grid_sampler_3d(input, grid, interp, padding, align_corners);
    return op_grid_sampler_2d(input, grid, interp, padding, align_corners);
}

/* a backward result under create_graph: PyTorch 1.13 has no derivative of
 * grid_sampler_{2,3}d_backward */
static bool not_implemented(Tensor *r, Tensor *grad, Tensor *input, Tensor *grid, const char *name) {
    Tensor *ins[3] = {grad, input, grid};
    if (!r || !ag_any_requires_grad(ins, 3)) return true;
    GradNode *node = ag_record(r, NODE_NotImplemented, ins, 3);
    return node && (node->ctx = tsr_strndup(name, strlen(name))) != NULL;
}

static bool grid_backward(Tensor *grad, Tensor *input, Tensor *grid, const void *ctx, bool need_input,
                          Tensor **grad_input, Tensor **grad_grid, int dims) {
    const GridSampleCtx *c = ctx;
    *grad_input = *grad_grid = NULL;
    Tensor *gc = NULL;
    NO_GRAD(gc = op_contiguous(grad));
    Tensor *hgo = gc ? op_host_contiguous(gc) : NULL;
    tensor_release(gc);
    Tensor *hi = hgo ? host_of(input) : NULL, *hg = hi ? host_of(grid) : NULL;
    Tensor *gi = NULL, *gg = NULL;
    if (hg && need_input) gi = tensor_zeros(input->dtype, input->ndim, input->shape, device_cpu());
    if (hg && (gi || !need_input)) gg = tensor_zeros(grid->dtype, grid->ndim, grid->shape, device_cpu());
    bool ok = gg != NULL;
    if (ok) run_kernel(dims, hi, hg, c, NULL, tensor_data(hgo), gi ? tensor_data(gi) : NULL, tensor_data(gg));
    tensor_release(hgo);
    tensor_release(hi);
    tensor_release(hg);
    if (!ok) {
        tensor_release(gi);
        return false;
    }
    const char *name = dims == 3 ? "grid_sampler_3d_backward" : "grid_sampler_2d_backward";
    *grad_grid = op_host_result_to_steal(gg, grid->storage->device);
    if (gi) *grad_input = op_host_result_to_steal(gi, input->storage->device);
    if (!*grad_grid || (need_input && !*grad_input) || !not_implemented(*grad_grid, grad, input, grid, name) ||
        !not_implemented(*grad_input, grad, input, grid, name)) {
        tensor_release(*grad_grid);
        tensor_release(*grad_input);
        *grad_input = *grad_grid = NULL;
        return false;
    }
    return true;
}

bool op_grid_sampler_2d_backward(Tensor *grad, Tensor *input, Tensor *grid, const void *ctx, bool need_input,
                                 Tensor **grad_input, Tensor **grad_grid) {
    return grid_backward(grad, input, grid, ctx, need_input, grad_input, grad_grid, 2);
}

bool op_grid_sampler_3d_backward(Tensor *grad, Tensor *input, Tensor *grid, const void *ctx, bool need_input,
                                 Tensor **grad_input, Tensor **grad_grid) {
    return grid_backward(grad, input, grid, ctx, need_input, grad_input, grad_grid, 3);
}
