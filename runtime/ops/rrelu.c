/* rrelu.c: torch.rrelu (at::rrelu_with_noise). In training each element
 * <= 0 is scaled by a slope drawn from the default generator, one
 * uniform_real_distribution<double>(lower, upper) draw per such element in
 * the input's contiguous order (the draws interleave with nothing, so the
 * loop lives here beside the generator, as random.c's fills do); the
 * slopes are kept as the noise tensor (1 for the others). In eval it is
 * leaky_relu with slope (lower + upper) / 2. Either way one node,
 * RreluWithNoiseBackward0, saving the input and the noise. */
#include <string.h>

#include "autograd.h"
#include "error.h"
#include "ops.h"
#include "random.h"

/* at::uniform_real_distribution<double>(lower, upper) as Activation.cpp
 * runs it: 53 random bits, x * (upper - lower) + lower, the product and the
 * sum rounded apart (that file is built without -mfma) */
static double rrelu_slope(RngGen *g, double lower, double upper) {
    double x = (double)(rng_random64(g) & ((1ull << 53) - 1)) * (1.0 / (double)(1ull << 53));
    double p = x * (upper - lower);
    return p + lower;
}

/* The training values of a contiguous host input: out and noise. */
static void rrelu_train_fill(const Tensor *x, Tensor *out, Tensor *noise, double lower, double upper, RngGen *g) {
    int64_t n = tensor_numel(x);
    if (x->dtype == DT_FLOAT64) {
        const double *in = (const double *)tensor_data(x);
        double *o = (double *)tensor_data(out), *z = (double *)tensor_data(noise);
        for (int64_t i = 0; i < n; i++) {
            if (in[i] <= 0) {
                double r = rrelu_slope(g, lower, upper);
                o[i] = in[i] * r;
                z[i] = r;
            } else {
                z[i] = 1;
                o[i] = in[i];
            }
        }
        return;
    }
    /* float32 and bfloat16: the bounds and the slope in float (opmath) */
    float lo = (float)lower, hi = (float)upper;
    for (int64_t i = 0; i < n; i++) {
        float v;
        if (x->dtype == DT_FLOAT32) v = ((const float *)tensor_data(x))[i];
        else v = bf16_to_float(((const tsr_bfloat16 *)tensor_data(x))[i]);
        float o, z;
        if (v <= 0) {
            float r = (float)rrelu_slope(g, lo, hi);
            o = v * r;
            z = r;
        } else {
            z = 1;
            o = v;
        }
        if (x->dtype == DT_FLOAT32) {
            ((float *)tensor_data(out))[i] = o;
            ((float *)tensor_data(noise))[i] = z;
        } else {
            ((tsr_bfloat16 *)tensor_data(out))[i] = float_to_bf16(o);
            ((tsr_bfloat16 *)tensor_data(noise))[i] = float_to_bf16(z);
        }
    }
}

static bool rrelu_train(Tensor *x, double lower, double upper, Tensor **out, Tensor **noise) {
    if (x->dtype != DT_FLOAT32 && x->dtype != DT_FLOAT64 && x->dtype != DT_BFLOAT16) {
        tsr_raise(ERR_RuntimeError, "\"rrelu_with_noise_out_cpu\" not implemented for '%s'",
                  dtype_scalar_name(x->dtype));
        return false;
    }
    Tensor *hx = op_host_contiguous(x);
    Tensor *o = hx ? tensor_empty(x->dtype, x->ndim, x->shape, device_cpu()) : NULL;
    Tensor *z = o ? tensor_empty(x->dtype, x->ndim, x->shape, device_cpu()) : NULL;
    if (!z) {
        tensor_release(hx);
        tensor_release(o);
        return false;
    }
    rrelu_train_fill(hx, o, z, lower, upper, rng_default());
    tensor_release(hx);
    *out = op_host_result_to_steal(o, x->storage->device);
    *noise = *out ? op_host_result_to_steal(z, x->storage->device) : (tensor_release(z), NULL);
    if (!*noise) {
        tensor_release(*out);
        return false;
    }
    return true;
}

Tensor *op_nn_rrelu(Tensor *x, double lower, double upper, bool training) {
    if (!(lower <= upper)) {
        tsr_raise(ERR_RuntimeError, "%s", "Lower bound should be less than or equal to the upper bound");
        return NULL;
    }
    Tensor *out = NULL, *noise = NULL;
    if (training) {
        if (!rrelu_train(x, lower, upper, &out, &noise)) return NULL;
    } else {
        NnActCtx c = {NN_LEAKY, {(lower + upper) / 2, 0, 0}, false};
        NO_GRAD(out = op_nn_act(&c, NODE_LeakyReluBackward0, x));
        /* the noise ATen passes (never read in eval): an empty_like */
        noise = out ? tensor_empty(x->dtype, x->ndim, x->shape, x->storage->device) : NULL;
        if (!noise) {
            tensor_release(out);
            return NULL;
        }
    }
    RreluCtx ctx = {lower, upper, training};
    Tensor *saves[2] = {x, noise};
    out = ag_record_steal(out, NODE_RreluWithNoiseBackward0, &x, 1, saves, 2, &ctx, sizeof ctx);
    tensor_release(noise);
    return out;
}

/* rrelu_with_noise_backward: grad * noise where the slopes were drawn
 * (training, upper - lower > 1e-6); else leaky_relu_backward. */
Tensor *op_nn_rrelu_backward(Tensor *grad, Tensor *x, Tensor *noise, const RreluCtx *c) {
    if (c->training && c->upper - c->lower > 1e-6) return op_binary(BIN_MUL, grad, noise);
    NnActCtx a = {NN_LEAKY, {(c->lower + c->upper) / 2, 0, 0}, false};
    return op_nn_act_backward(&a, grad, x, NULL);
}
