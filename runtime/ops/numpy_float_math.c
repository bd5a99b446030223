/* numpy_float_math.c: numpy's float math ufuncs over tensors (see the
 * header); the loops are kernels/cpu/np_math.c's. */
#include <string.h>

#include "np_math.h"
#include "numpy_float_math.h"
#include "error.h"
#include "ops.h"

static const char *const unary_names[NPM_COUNT] = {
#define X(np, c) [NPM_##np] = #np,
    NP_MATH_UNARY(X)
#undef X
};

static int unary_index(const char *name) {
    for (int i = 0; i < NPM_COUNT; i++)
        if (!strcmp(unary_names[i], name)) return i;
    return -1;
}

bool np_float_unary_has(const char *name) { return unary_index(name) >= 0; }

static bool float_dtype(DType d) { return d == DT_FLOAT16 || d == DT_FLOAT32 || d == DT_FLOAT64; }

/* numpy's float16 loops run SVML only on a contiguous inner loop: the
 * iterator's innermost axis (the one of the smallest stride) has stride 1;
 * a 0-dim array's loop is given stride 0 (ufunc_object.c's trivial loop) */
static bool unit_inner_stride(const Tensor *t) {
    if (t->ndim == 0) return false;
    int64_t best = 1;
    bool any = false;
    for (int i = 0; i < t->ndim; i++) {
        if (t->shape[i] <= 1) continue;
        int64_t s = t->stride[i] < 0 ? -t->stride[i] : t->stride[i];
        if (!any || s < best) best = s;
        any = true;
    }
    return best == 1;
}

Tensor *op_np_float_unary(const char *name, Tensor *t) {
    int k = unary_index(name);
    if (k < 0 || !float_dtype(t->dtype) || tensor_is_cuda(t)) {
        tsr_raise(ERR_RuntimeError, "numpy float math: no loop for %s", name);
        return NULL;
    }
    bool unit = unit_inner_stride(t);
    Tensor *c = tensor_contiguous(t);
    Tensor *r = c ? tensor_empty(t->dtype, t->ndim, t->shape, device_cpu()) : NULL;
    if (r) np_math_unary((NpMathFn)k, t->dtype, tensor_data(c), tensor_data(r), tensor_numel(r), !unit);
    tensor_release(c);
    return r;
}

Tensor *op_np_float_binary(const char *name, Tensor *a, Tensor *b) {
    static const char *const names[NPM_BINARY_COUNT] = {
        [NPM_POWER] = "power", [NPM_ARCTAN2] = "arctan2", [NPM_HYPOT] = "hypot",
        [NPM_LOGADDEXP2] = "logaddexp2", [NPM_FLOAT_POWER] = "float_power"};
    int f = 0;
    while (f < NPM_BINARY_COUNT && strcmp(names[f], name)) f++;
    if (f == NPM_BINARY_COUNT || a->dtype != b->dtype || !float_dtype(a->dtype) || tensor_is_cuda(a) ||
        tensor_is_cuda(b)) {
        tsr_raise(ERR_RuntimeError, "numpy float math: no loop for %s", name);
        return NULL;
    }
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(a->ndim, a->shape, b->ndim, b->shape, shape);
    if (nd < 0) return NULL;
    Tensor *ea = op_expand(a, nd, shape), *eb = ea ? op_expand(b, nd, shape) : NULL;
    Tensor *ca = eb ? tensor_contiguous(ea) : NULL, *cb = ca ? tensor_contiguous(eb) : NULL;
    Tensor *r = cb ? tensor_empty(a->dtype, nd, shape, device_cpu()) : NULL;
    if (r) np_math_binary((NpMathBinFn)f, a->dtype, tensor_data(ca), 1, tensor_data(cb), 1, tensor_data(r), tensor_numel(r));
    tensor_release(ea);
    tensor_release(eb);
    tensor_release(ca);
    tensor_release(cb);
    return r;
}
