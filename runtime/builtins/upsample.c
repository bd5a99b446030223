/* upsample.c: F.interpolate ('nearest' 1-d/2-d, 'linear', 'bilinear',
 * 'area' as adaptive average pooling) with its
 * Python-level checks over runtime/ops/upsample.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

static const char *const INTERP_MODES =
    "nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact";

static Value *bi_interpolate(Value *self, const CallArgs *a) {
    Value *v[7];
    if (!args_parse(a, 0, "interpolate",
                    "input, size=, scale_factor=, mode=, align_corners=, recompute_scale_factor=, antialias=", v))
        return NULL;
    const char *mode = "nearest";
    if (!is_none(v[3])) {
        if (v[3]->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "interpolate(): argument 'mode' must be str, not %s", val_type_name(v[3]));
            return NULL;
        }
        mode = v[3]->str.s;
    }
    bool align = false, recompute = false;
    bool nearest_like = !strcmp(mode, "nearest") || !strcmp(mode, "area") || !strcmp(mode, "nearest-exact");
    if (nearest_like && !is_none(v[4])) {
        tsr_raise(ERR_ValueError,
                  "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
        return NULL;
    }
    if ((!is_none(v[4]) && !arg_bool(v[4], "interpolate", "align_corners", false, &align)) ||
        (!is_none(v[5]) && !arg_bool(v[5], "interpolate", "recompute_scale_factor", false, &recompute)))
        return NULL;
    Tensor *x = arg_tensor(v[0], "interpolate", "input");
    if (!x) return NULL;
    Tensor *r = NULL;
    int dim = x->ndim - 2;
    UpsampleParams p;
    memset(&p, 0, sizeof p);
    Value *size = v[1], *sf = v[2];
    if (!is_none(size) && !is_none(sf)) {
        tsr_raise(ERR_ValueError, "%s", "only one of size or scale_factor should be defined");
        goto done;
    }
    if (is_none(size) && is_none(sf)) {
        tsr_raise(ERR_ValueError, "%s", "either size or scale_factor should be defined");
        goto done;
    }
    if (dim < 1 || dim > 2) {
        if (dim == 3) tsr_raise(ERR_NotImplementedError, "%s", "tsr: 3-d (5D input) interpolation is not supported");
        else
            tsr_raise(ERR_NotImplementedError,
                      "Input Error: Only 3D, 4D and 5D input Tensors supported (got %dD) for the modes: %s (got %s)",
                      x->ndim, INTERP_MODES, mode);
        goto done;
    }
    Value *given = is_none(size) ? sf : size;
    bool is_seq = given->kind == VK_LIST || given->kind == VK_TUPLE;
    if (is_seq && given->seq.len != dim) {
        Value *rep = val_repr(given);
        char sp[128];
        size_t k = (size_t)snprintf(sp, sizeof sp, "[");
        for (int i = 0; i < dim; i++) k += (size_t)snprintf(sp + k, sizeof sp - k, "%s%lld", i ? ", " : "", (long long)x->shape[2 + i]);
        snprintf(sp + k, sizeof sp - k, "]");
        if (given == size)
            tsr_raise(ERR_ValueError,
                      "Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of %s and output size of %s. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.",
                      sp, rep && rep->kind == VK_STR ? rep->str.s : "?");
        else
            tsr_raise(ERR_ValueError,
                      "Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of %s and scale_factor of shape %s. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.",
                      sp, rep && rep->kind == VK_STR ? rep->str.s : "?");
        val_release(rep);
        goto done;
    }
    for (int i = 0; i < dim; i++) {
        Value *e = is_seq ? given->seq.items[i] : given;
        if (given == size) {
            if (!arg_int(e, "interpolate", "size", 0, &p.out[i])) goto done;
        } else {
            double s;
            if (!arg_double(e, "interpolate", "scale_factor", 1.0, &s)) goto done;
            p.out[i] = (int64_t)floor((double)x->shape[2 + i] * s);
            if (!recompute) p.scale[i] = s;
        }
    }
    p.dims = dim;
    p.align_corners = align;
    if (!strcmp(mode, "nearest")) {
        p.bilinear = false;
    } else if (!strcmp(mode, "bilinear")) {
        if (dim != 2) {
            tsr_raise(ERR_NotImplementedError, "Got %dD input, but bilinear mode needs 4D input", x->ndim);
            goto done;
        }
        p.bilinear = true;
    } else if (!strcmp(mode, "linear")) {
        if (dim != 1) {
            tsr_raise(ERR_NotImplementedError, "Got %dD input, but linear mode needs 3D input", x->ndim);
            goto done;
        }
        p.bilinear = true;
    } else if (!strcmp(mode, "area")) {
        /* adaptive_avg_pool{1,2}d(input, output_size) */
        PoolParams pp;
        memset(&pp, 0, sizeof pp);
        pp.kind = NN_POOL_AAVG;
        pp.oh = dim == 2 ? p.out[0] : 1;
        pp.ow = p.out[dim - 1];
        Tensor *xi = dim == 1 ? op_unsqueeze(x, -2) : tensor_retain(x);
        r = xi ? op_pool(xi, &pp, NULL) : NULL;
        tensor_release(xi);
        if (r && dim == 1) {
            int64_t d = -2;
            Tensor *sq = op_squeeze(r, 1, &d);
            tensor_release(r);
            r = sq;
        }
        goto done;
    } else if (!strcmp(mode, "bicubic") || !strcmp(mode, "trilinear") || !strcmp(mode, "nearest-exact")) {
        tsr_raise(ERR_NotImplementedError, "tsr: interpolate(mode='%s') is not supported", mode);
        goto done;
    } else {
        tsr_raise(ERR_NotImplementedError,
                  "Input Error: Only 3D, 4D and 5D input Tensors supported (got %dD) for the modes: %s (got %s)", x->ndim,
                  INTERP_MODES, mode);
        goto done;
    }
    r = op_upsample(x, &p);
done:
    tensor_release(x);
    return wrap_tensor(r);
}

const Builtin upsample_functions[] = {
    {NULL, NULL},
};

const Builtin upsample_methods[] = {
    {NULL, NULL},
};

const Builtin upsample_functional_functions[] = {
    {"interpolate", bi_interpolate},
    {NULL, NULL},
};
