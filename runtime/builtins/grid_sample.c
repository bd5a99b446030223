/* grid_sample.c: torch.grid_sampler, grid_sampler_2d and grid_sampler_3d(input, grid,
 * interpolation_mode, padding_mode, align_corners) over
 * runtime/ops/grid_sample.c (F.grid_sample is Python, in
 * torch/nn_functional.py, as in PyTorch). */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

/* an int argument, its position named when it was passed by position */
static bool int_arg(const CallArgs *a, Value *v, int i, const char *fn, const char *name, int64_t *out) {
    if (v && v->kind == VK_FLOAT && i < a->nargs) {
        tsr_raise(ERR_TypeError, "%s(): argument '%s' (position %d) must be int, not float", fn, name, i + 1);
        return false;
    }
    return arg_int(v, fn, name, 0, out);
}

static Value *grid_call(const CallArgs *a, const char *fn, int which) {
    Value *v[5] = {0};
    if (!args_parse_torch(a, fn, "input, grid, interpolation_mode, padding_mode, align_corners", v)) return NULL;
    int64_t interp, padding;
    bool align;
    if (!int_arg(a, v[2], 2, fn, "interpolation_mode", &interp) || !int_arg(a, v[3], 3, fn, "padding_mode", &padding) ||
        !arg_bool(v[4], fn, "align_corners", false, &align))
        return NULL;
    Tensor *x = la_tensor_arg(a, v[0], 0, fn, "input");
    Tensor *g = x ? la_tensor_arg(a, v[1], 1, fn, "grid") : NULL;
    Tensor *r = NULL;
    if (g)
        r = which == 2   ? op_grid_sampler_2d(x, g, interp, padding, align)
            : which == 3 ? op_grid_sampler_3d(x, g, interp, padding, align)
                         : op_grid_sampler(x, g, interp, padding, align);
    tensor_release(x);
    tensor_release(g);
    return wrap_tensor(r);
}

static Value *bi_grid_sampler(Value *self, const CallArgs *a) { return grid_call(a, "grid_sampler", 0); }
static Value *bi_grid_sampler_2d(Value *self, const CallArgs *a) { return grid_call(a, "grid_sampler_2d", 2); }
static Value *bi_grid_sampler_3d(Value *self, const CallArgs *a) { return grid_call(a, "grid_sampler_3d", 3); }

const Builtin grid_sample_functions[] = {
    {"grid_sampler", bi_grid_sampler},
    {"grid_sampler_2d", bi_grid_sampler_2d},
    {"grid_sampler_3d", bi_grid_sampler_3d},
    {NULL, NULL},
};

const Builtin grid_sample_methods[] = {
    {NULL, NULL},
};
