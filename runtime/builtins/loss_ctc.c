/* loss_ctc.c: torch.ctc_loss(log_probs, targets, input_lengths,
 * target_lengths, blank=0, reduction=0, zero_infinity=False), the
 * lengths as tensors or sequences of ints, over runtime/ops/loss_ctc.c
 * (F.ctc_loss is Python: nn_functional_loss.py). */
#include <stdlib.h>

#include "builtins_util.h"
#include "error.h"
#include "ops.h"

/* lengths as a malloc'd int64 array (*n of them) */
static int64_t *ctc_lengths(Value *v, const char *name, int64_t *n) {
    if (v->kind == VK_TENSOR) {
        Tensor *t = v->tensor;
        if (!dtype_is_int(t->dtype)) {
            tsr_raise(ERR_RuntimeError, "%s must be integral", name);
            return NULL;
        }
        Tensor *c = NULL;
        NO_GRAD(c = op_to(t, DT_INT64, device_cpu(), false));
        Tensor *h = c ? op_host_contiguous(c) : NULL;
        tensor_release(c);
        if (!h) return NULL;
        *n = tensor_numel(h);
        int64_t *r = tsr_malloc(sizeof(int64_t) * (size_t)(*n ? *n : 1));
        for (int64_t i = 0; r && i < *n; i++) r[i] = ((const int64_t *)tensor_data(h))[i];
        tensor_release(h);
        return r;
    }
    if (v->kind == VK_LIST || v->kind == VK_TUPLE) {
        *n = v->seq.len;
        int64_t *r = tsr_malloc(sizeof(int64_t) * (size_t)(*n ? *n : 1));
        for (int64_t i = 0; r && i < *n; i++) {
            Value *e = v->seq.items[i];
            if (e->kind != VK_INT && e->kind != VK_BOOL) {
                tsr_raise(ERR_TypeError, "ctc_loss(): argument '%s' must be tuple of ints, but found element of type "
                          "%s at pos %lld", name, val_type_name(e), (long long)i + 1);
                free(r);
                return NULL;
            }
            r[i] = e->i;
        }
        return r;
    }
    tsr_raise(ERR_TypeError, "ctc_loss(): argument '%s' must be tuple of ints, not %s", name, val_type_name(v));
    return NULL;
}

static Value *bi_ctc_loss(Value *self, const CallArgs *a) {
    const char *fn = "ctc_loss";
    Value *v[7];
    int64_t blank, reduction, nil = 0, ntl = 0;
    bool zi;
    if (!args_parse_torch(a, fn, "log_probs, targets, input_lengths, target_lengths, blank=, reduction=, "
                          "zero_infinity=", v) ||
        !arg_int(v[4], fn, "blank", 0, &blank) || !arg_int(v[5], fn, "reduction", 0, &reduction) ||
        !arg_bool(v[6], fn, "zero_infinity", false, &zi))
        return NULL;
    Tensor *lp = arg_tensor(v[0], fn, "log_probs"), *tg = lp ? arg_tensor(v[1], fn, "targets") : NULL, *r = NULL;
    int64_t *il = tg ? ctc_lengths(v[2], "input_lengths", &nil) : NULL;
    int64_t *tl = il ? ctc_lengths(v[3], "target_lengths", &ntl) : NULL;
    if (tl) r = op_ctc_loss(lp, tg, il, nil, tl, ntl, blank, reduction, zi);
    free(il);
    free(tl);
    tensor_release(lp);
    tensor_release(tg);
    return wrap_tensor(r);
}

const Builtin loss_ctc_functions[] = {
    {"ctc_loss", bi_ctc_loss},
    {NULL, NULL},
};

const Builtin loss_ctc_methods[] = {
    {NULL, NULL},
};
