/* pixel_shuffle.c: torch.pixel_shuffle / pixel_unshuffle /
 * channel_shuffle and their torch.nn.functional twins, over
 * runtime/ops/pixel_shuffle.c. */
#include "builtins_util.h"
#include "error.h"
#include "ops.h"

typedef Tensor *(*ShuffleOp)(Tensor *x, int64_t factor);

static Value *shuffle_call(const CallArgs *a, const char *fn, const char *spec, const char *factor, ShuffleOp op) {
    Value *v[2];
    int64_t r;
    if (!args_parse(a, 0, fn, spec, v)) return NULL;
    if (v[1] && (v[1]->kind == VK_FLOAT || v[1]->kind == VK_STR)) { /* PyTorch's parser names the position */
        tsr_raise(ERR_TypeError, "%s(): argument '%s' (position 2) must be int, not %s", fn, factor,
                  val_type_name(v[1]));
        return NULL;
    }
    if (!arg_int(v[1], fn, factor, 0, &r)) return NULL;
    Tensor *x = arg_tensor(v[0], fn, "input");
    if (!x) return NULL;
    Tensor *out = op(x, r);
    tensor_release(x);
    return wrap_tensor(out);
}

static Value *bi_pixel_shuffle(Value *self, const CallArgs *a) {
    return shuffle_call(a, "pixel_shuffle", "input, upscale_factor", "upscale_factor", op_pixel_shuffle);
}

static Value *bi_pixel_unshuffle(Value *self, const CallArgs *a) {
    return shuffle_call(a, "pixel_unshuffle", "input, downscale_factor", "downscale_factor", op_pixel_unshuffle);
}

static Value *bi_channel_shuffle(Value *self, const CallArgs *a) {
    return shuffle_call(a, "channel_shuffle", "input, groups", "groups", op_channel_shuffle);
}

#define SHUFFLE_ENTRIES \
    {"pixel_shuffle", bi_pixel_shuffle}, {"pixel_unshuffle", bi_pixel_unshuffle}, {"channel_shuffle", bi_channel_shuffle},

const Builtin pixel_shuffle_functions[] = {
    SHUFFLE_ENTRIES
    {NULL, NULL},
};

const Builtin pixel_shuffle_methods[] = {
    {NULL, NULL},
};

const Builtin pixel_shuffle_functional_functions[] = {
    SHUFFLE_ENTRIES
    {NULL, NULL},
};
