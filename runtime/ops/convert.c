/* convert.c: dtype and device conversion: .to(dtype/device), clone,
 * contiguous, detach, Tensor.copy_, c10's checked conversion of Python
 * numbers to element values (scalar_fits), and the operand copies several
 * families make (operands.h). Copies run the cast kernel over a strided
 * iterator.
 *
 * Autograd: ToCopyBackward0 (to) and CloneBackward0 (clone, contiguous) on
 * floating results, input {self}, nothing saved; CopyBackwards (copy_),
 * inputs {self before the write, src}. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "device.h"
#include "error.h"
#include "iter.h"
#include "kernels.h"
#include "layout.h"
#include "operands.h"
#include "ops.h"

/* a's values written into out (new, a's shape; stolen), converted to
 * out's dtype; no autograd. */
static Tensor *copy_into(Tensor *a, Tensor *out) {
    if (!out) return NULL;
    if (tensor_is_cuda(a)) { /* tensor_copy_ runs the GPU kernels */
        if (!tensor_copy_(out, a)) {
            tensor_release(out);
            return NULL;
        }
        return out;
    }
    DType dtype = out->dtype;
    int64_t strides[2][ITER_MAX_DIMS];
    int64_t es_out = (int64_t)dtype_size(dtype), es_in = (int64_t)dtype_size(a->dtype);
    for (int d = 0; d < a->ndim; d++) {
        strides[0][d] = out->stride[d] * es_out;
        strides[1][d] = a->shape[d] == 1 ? 0 : a->stride[d] * es_in;
    }
    char *data[2] = {tensor_data(out), tensor_data(a)};
    TsrIter it;
    iter_init(&it, 2, a->ndim, a->shape, data, strides);
    kernel_cast(dtype, a->dtype, &it);
    return out;
}

/* A new tensor of a's shape in memory format f (preserve: laid out as a),
 * or NULL with the error raised: a channels-last format needs rank 4/5. */
static Tensor *empty_format(Tensor *a, DType dtype, Device dev, MemFormat f) {
    if (!layout_check_format_rank(a->ndim, f)) return NULL;
    if (layout_format_rank(f)) {
        int64_t st[TSR_MAX_DIMS];
        layout_channels_last_strides(a->ndim, a->shape, st);
        return layout_empty_strided(dtype, a->ndim, a->shape, st, dev);
    }
    if (f == MEMFMT_CONTIGUOUS) return tensor_empty(dtype, a->ndim, a->shape, dev);
    return layout_empty_like(a, dtype, dev);
}

/* a as dtype on dev in format f: converted on a's own device, then moved
 * in one copy. */
static Tensor *copy_to(Tensor *a, DType dtype, Device dev, MemFormat f) {
    Tensor *c = copy_into(a, empty_format(a, dtype, a->storage->device, f));
    if (!c || device_equal(c->storage->device, dev)) return c;
    Tensor *out = layout_empty_like(c, dtype, dev);
    if (out && !tensor_copy_(out, c)) {
        tensor_release(out);
        out = NULL;
    }
    tensor_release(c);
    return out;
}

Tensor *op_to_dtype(Tensor *a, DType dtype) {
    if (dtype == DT_UNDEFINED || a->dtype == dtype) return tensor_retain(a);
    return op_to_format(a, dtype, a->storage->device, false, MEMFMT_PRESERVE);
}

Tensor *op_to(Tensor *a, DType dtype, Device dev, bool copy) {
    return op_to_format(a, dtype, dev, copy, MEMFMT_PRESERVE);
}

Tensor *op_to_format(Tensor *a, DType dtype, Device dev, bool copy, MemFormat f) {
    if (dtype == DT_UNDEFINED) dtype = a->dtype;
    dev = device_normalize(dev);
    if (dev.type != DEV_CPU && !device_ensure(dev)) return NULL;
    if (!copy && dtype == a->dtype && device_equal(dev, a->storage->device) &&
        (f == MEMFMT_PRESERVE || layout_suggest_format(a) == f))
        return tensor_retain(a); /* to_will_alias */
    Tensor *out = copy_to(a, dtype, dev, f); /* only a floating result carries grad */
    return dtype_is_differentiable(dtype) ? ag_record_steal(out, NODE_ToCopyBackward0, &a, 1, NULL, 0, NULL, 0) : out;
}

Tensor *op_clone_format(Tensor *a, MemFormat f) {
    Tensor *out = copy_into(a, empty_format(a, a->dtype, a->storage->device, f));
    return dtype_is_differentiable(a->dtype) ? ag_record_steal(out, NODE_CloneBackward0, &a, 1, NULL, 0, NULL, 0) : out;
}

Tensor *op_clone(Tensor *a) { return op_clone_format(a, MEMFMT_PRESERVE); }

/* x.pin_memory() of a CPU tensor that is not pinned: a copy with x's
 * layout in a new storage marked pinned (tsr's host memory is all alike,
 * so the flag is what changes); PinMemoryBackward0 */
Tensor *op_pin_memory(Tensor *a) {
    Tensor *out = copy_into(a, empty_format(a, a->dtype, a->storage->device, MEMFMT_PRESERVE));
    if (out) out->storage->pinned = true;
    return dtype_is_float(a->dtype) ? ag_record_steal(out, NODE_PinMemoryBackward0, &a, 1, NULL, 0, NULL, 0) : out;
}

Tensor *op_contiguous_format(Tensor *a, MemFormat f) {
    if (layout_is_format(a, f)) return tensor_retain(a);
    if (f == MEMFMT_PRESERVE) {
        tsr_raise(ERR_RuntimeError, "%s", "preserve memory format is unsupported by the contiguous operator");
        return NULL;
    }
    return op_clone_format(a, f);
}

Tensor *op_contiguous(Tensor *a) { return op_contiguous_format(a, MEMFMT_CONTIGUOUS); }

Tensor *op_detach(Tensor *a) { return tensor_alias(a); }

/* ---- Tensor.copy_(src): src's values (broadcast, converted, from any
 * device) written into self, with PyTorch's autograd: self's history is
 * replaced by CopyBackwards (self gets a zero gradient, src the gradient
 * summed to its shape, in its dtype, on its device), and a write through a
 * view puts CopySlices on the base. ---- */

/* TensorIterator's checks: src must broadcast to dst's shape. */
static bool check_shapes(Tensor *dst, Tensor *src) {
    int64_t shape[TSR_MAX_DIMS];
    int nd = broadcast_shapes(dst->ndim, dst->shape, src->ndim, src->shape, shape);
    return nd >= 0 && op_check_inplace_shape(dst, nd, shape);
}

Tensor *op_copy_(Tensor *dst, Tensor *src) {
    if (!check_shapes(dst, src)) return NULL;
    Tensor *ins[2] = {dst, src};
    bool grad = ag_any_requires_grad(ins, 2) && dtype_is_differentiable(dst->dtype);
    if (grad && !ag_check_inplace(dst, true)) return NULL;
    if (dst->storage == src->storage && dst->offset == src->offset && dst->dtype == src->dtype &&
        dst->ndim == src->ndim && !memcmp(dst->shape, src->shape, sizeof(int64_t) * dst->ndim) &&
        !memcmp(dst->stride, src->stride, sizeof(int64_t) * dst->ndim))
        return tensor_retain(dst); /* x.copy_(x) */
    if (!grad) {
        if (!tensor_copy_(dst, src)) return NULL;
        dst->storage->version++;
        return tensor_retain(dst);
    }
    /* the out-of-place result: src's values in dst's shape, dtype, device */
    Tensor *r = tensor_empty(dst->dtype, dst->ndim, dst->shape, dst->storage->device);
    if (!r) return NULL;
    Tensor *standin = op_inplace_standin(dst, true);
    if (!standin || !tensor_copy_(r, src)) {
        tensor_release(standin);
        tensor_release(r);
        return NULL;
    }
    Tensor *gins[2] = {standin, src};
    bool ok = ag_record(r, NODE_CopyBackwards, gins, 2) != NULL;
    tensor_release(standin);
    if (!ok) {
        tensor_release(r);
        return NULL;
    }
    return op_inplace_commit(dst, r);
}

/* r (a result made on the host; stolen) moved to dev */
Tensor *op_host_result_to_steal(Tensor *r, Device dev) {
    if (!r || dev.type != DEV_CUDA) return r;
    Tensor *o = NULL;
    NO_GRAD(o = op_to(r, r->dtype, dev, false));
    tensor_release(r);
    return o;
}

Tensor *op_result_in_format_steal(Tensor *r, MemFormat f) {
    if (!r || f == MEMFMT_CONTIGUOUS || f == MEMFMT_PRESERVE || layout_format_rank(f) != r->ndim ||
        layout_is_format(r, f))
        return r;
    Tensor *o = NULL;
    NO_GRAD(o = op_contiguous_format(r, f));
    tensor_release(r);
    return o;
}

MemFormat op_suggest_format_of(Tensor *const *ts, int n) {
    for (int i = 0; i < n; i++) {
        MemFormat f = ts[i] ? layout_suggest_format(ts[i]) : MEMFMT_CONTIGUOUS;
        if (f != MEMFMT_CONTIGUOUS) return f;
    }
    return MEMFMT_CONTIGUOUS;
}

/* ---- c10's checked_convert, the range check PyTorch applies wherever a
 * Python number becomes an element value of a tensor (fill_, full,
 * masked_fill, setitem, where/clamp with a number, scatter's value=, add's
 * alpha, pow's exponent) -- but not to the wrapped-number operand of
 * binary arithmetic (u + 300 wraps). The rule is c10/util/TypeCast.h's
 * overflows<To, From>, where From is int64_t for a Python int and double
 * for a Python float. ---- */

/* numeric_limits<T>::lowest() and max() as doubles (2^63 for int64's max,
 * as c10's double comparison rounds it) */
static void limits(DType t, double *lo, double *hi) {
    switch (t) {
    case DT_UINT8: *lo = 0, *hi = 255; break;
    case DT_INT8: *lo = -128, *hi = 127; break;
    case DT_INT16: *lo = -32768, *hi = 32767; break;
    case DT_INT32: *lo = -2147483648.0, *hi = 2147483647.0; break;
    case DT_INT64: *lo = -9223372036854775808.0, *hi = 9223372036854775808.0; break;
    case DT_FLOAT16: *lo = -65504, *hi = 65504; break;
    case DT_BFLOAT16: *lo = -3.3895313892515355e38, *hi = 3.3895313892515355e38; break;
    case DT_FLOAT32: *lo = -FLT_MAX, *hi = FLT_MAX; break;
    default: *lo = -DBL_MAX, *hi = DBL_MAX; break;
    }
}

static bool overflows(DType t, bool is_int, int64_t i, double d) {
    if (t == DT_BOOL) return false; /* checked_convert skips bool */
    double lo, hi;
    limits(t, &lo, &hi);
    if (is_int) {
        if (t == DT_UINT8) /* a negative int may wrap: -1 -> 255, not -256 */
            return i > 255 || (i < 0 && -(uint64_t)i > 255);
        if (t == DT_INT64) return false;
        return (double)i < lo || (double)i > hi;
    }
    if (dtype_is_float(t) && (isinf(d) || isnan(d))) return false;
    return isnan(d) || d < lo || d > hi;
}

bool scalar_fits_number(DType t, bool is_int, int64_t i, double d) {
    if (!overflows(t, is_int, i, d)) return true;
    tsr_raise(ERR_RuntimeError, "value cannot be converted to type %s without overflow", dtype_c10_name(t));
    return false;
}

bool scalar_fits(DType t, const Tensor *value) {
    if (value->dtype == DT_BOOL || dtype_is_complex(t)) return true;
    if (dtype_is_complex(value->dtype)) { /* c10's checked_convert: a real type takes no imaginary part */
        double re, im;
        tensor_get_complex(value, 0, &re, &im);
        if (im != 0) {
            tsr_raise(ERR_RuntimeError, "value cannot be converted to type %s without overflow", dtype_c10_name(t));
            return false;
        }
        return scalar_fits_number(t, false, 0, re);
    }
    if (dtype_is_float(value->dtype)) return scalar_fits_number(t, false, 0, tensor_get_f64(value, 0));
    return scalar_fits_number(t, true, tensor_get_i64(value, 0), 0);
}

/* ---- operand copies and temporaries (operands.h) ---- */

Tensor *op_host_contig(Tensor *t) {
    Tensor *r = NULL;
    if (tensor_is_cuda(t)) {
        NO_GRAD(r = op_to(t, t->dtype, device_cpu(), true));
        if (!r) return NULL;
        Tensor *c = tensor_contiguous(r);
        tensor_release(r);
        return c;
    }
    return tensor_contiguous(t);
}

Tensor *op_expanded_copy(Tensor *t, int nd, const int64_t *shape) {
    Tensor *c = tensor_empty(t->dtype, nd, shape, t->storage->device);
    if (c && !tensor_copy_(c, t)) {
        tensor_release(c);
        return NULL;
    }
    return c;
}

void op_release_all(Tensor **ts, int n) {
    for (int i = 0; i < n; i++) tensor_release(ts[i]);
}
