/* embedding_bag.c: torch.embedding_bag(weight, indices, offsets,
 * scale_grad_by_freq=False, mode=0, sparse=False, per_sample_weights=None,
 * include_last_offset=False, padding_idx=None) over
 * runtime/ops/embedding_bag.c (F.embedding_bag and nn.EmbeddingBag are
 * Python, torch/nn_functional.py and torch/nn_sparse.py, as in PyTorch). */
#include "builtins_util.h"
#include "error.h"
#include "linalg_args.h"
#include "ops.h"

static Value *bi_embedding_bag(Value *self, const CallArgs *a) {
    const char *fn = "embedding_bag";
    Value *v[9] = {0};
    if (!args_parse_torch(a, fn,
                    "weight, indices, offsets, scale_grad_by_freq=, mode=, sparse=, per_sample_weights=, "
                    "include_last_offset=, padding_idx=",
                    v))
        return NULL;
    bool by_freq = false, sparse = false, last = false;
    int64_t mode = 0, pad = -1;
    if (!arg_bool(v[3], fn, "scale_grad_by_freq", false, &by_freq) || !arg_int(v[4], fn, "mode", 0, &mode) ||
        !arg_bool(v[5], fn, "sparse", false, &sparse) || !arg_bool(v[7], fn, "include_last_offset", false, &last) ||
        (!is_none(v[8]) && !arg_int(v[8], fn, "padding_idx", -1, &pad)))
        return NULL;
    static const char *const names[3] = {"weight", "indices", "offsets"};
    Tensor *t[4] = {NULL, NULL, NULL, NULL}, *r[4] = {NULL, NULL, NULL, NULL};
    bool ok = true;
    for (int i = 0; i < 3 && ok; i++) ok = (t[i] = la_tensor_arg(a, v[i], i, fn, names[i])) != NULL;
    if (ok && !is_none(v[6])) ok = (t[3] = la_tensor_arg(a, v[6], 6, fn, "per_sample_weights")) != NULL;
    if (ok) ok = op_embedding_bag(t[0], t[1], t[2], by_freq, mode, sparse, t[3], last, !is_none(v[8]), pad, r);
    for (int i = 0; i < 4; i++) tensor_release(t[i]);
    return ok ? tuple_steal(r, 4) : NULL;
}

const Builtin embedding_bag_functions[] = {
    {"embedding_bag", bi_embedding_bag},
    {NULL, NULL},
};

const Builtin embedding_bag_methods[] = {
    {NULL, NULL},
};
