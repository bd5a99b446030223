/* tensor_from_data.c: torch.tensor(data) from nested Python sequences,
 * and the way back (item, tolist). */
#include <string.h>

#include "value.h"
#include "error.h"

static bool is_data_seq(const Value *v) {
    return v->kind == VK_LIST || v->kind == VK_TUPLE || v->kind == VK_SIZE;
}

/* The shape, from the first element at each depth (as PyTorch does); a
 * tensor inside the data is a scalar (it must have one element). */
static bool infer_shape(Value *v, int64_t *shape, int *ndim) {
    int n = 0;
    while (is_data_seq(v = val_unwrap(v)) || v->kind == VK_BYTEARRAY) {
        if (n == TSR_MAX_DIMS) {
            tsr_raise(ERR_ValueError, "too many dimensions '%s'", val_type_name(v));
            return false;
        }
        if (v->kind == VK_BYTEARRAY) { /* a sequence of ints */
            shape[n++] = v->bytes.len;
            break;
        }
        shape[n++] = v->seq.len;
        if (v->seq.len == 0) break;
        v = v->seq.items[0];
    }
    *ndim = n;
    return true;
}

/* How deep infer_dtype follows the data: past it (a list that holds
 * itself through another, or absurd nesting beside a shallow first
 * element) the data cannot be a tensor, which has at most TSR_MAX_DIMS
 * dims; PyTorch recurses until its stack overflows. */
enum { MAX_DATA_DEPTH = 10000 };

/* Folds the dtype of every scalar leaf into *dt (DT_UNDEFINED at start). */
static bool infer_dtype(Value *v, DType *dt, DType float_dtype, int depth) {
    DType here;
    Value *self = v;
    v = val_unwrap(v); /* a float, int, list or tuple subclass's value */
    switch (v->kind) {
    case VK_LIST: case VK_TUPLE: case VK_SIZE:
        if (depth == MAX_DATA_DEPTH) {
            tsr_raise(ERR_ValueError, "too many dimensions '%s'", val_type_name(v));
            return false;
        }
        for (int64_t i = 0; i < v->seq.len; i++) {
            if (v->seq.items[i] == self || v->seq.items[i] == v) { /* PyTorch's infer_scalar_type checks this */
                tsr_raise(ERR_TypeError, "%s", "new(): self-referential lists are incompatible");
                return false;
            }
            if (!infer_dtype(v->seq.items[i], dt, float_dtype, depth + 1)) return false;
        }
        return true;
    case VK_BYTEARRAY:
        if (!v->bytes.len) return true;
        here = DT_INT64;
        break;
    case VK_BOOL: here = DT_BOOL; break;
    case VK_INT: here = DT_INT64; break;
    case VK_FLOAT: here = float_dtype; break;
    case VK_COMPLEX: here = dtype_to_complex(float_dtype); break;
    case VK_TENSOR: here = v->tensor->dtype; break;
    case VK_STR: case VK_BYTES:
        tsr_raise(ERR_TypeError, "new(): invalid data type '%s'", val_type_name(v));
        return false;
    default:
        tsr_raise(ERR_RuntimeError, "Could not infer dtype of %s", val_type_name(v));
        return false;
    }
    *dt = *dt == DT_UNDEFINED ? here : dtype_promote(*dt, here);
    return true;
}

typedef struct {
    char *p;
    DType dtype;
    int64_t es;
    const int64_t *shape;
    int ndim;
    bool numpy; /* np.array's data: numpy's conversions of complex numbers */
} Filler;

/* torch.tensor(data, dtype=<integer type>) rejects a Python number out of the
 * type's range (a negative int may still wrap into uint8); floating types
 * take anything (1e6 -> inf in float16). */
static bool check_int_range(DType dt, const Value *v) {
    if (!dtype_is_int(dt) || (v->kind != VK_INT && v->kind != VK_FLOAT)) return true;
    double lo = 0, hi = 0;
    switch (dt) {
    case DT_UINT8: lo = 0, hi = 255; break;
    case DT_INT8: lo = -128, hi = 127; break;
    case DT_INT16: lo = -32768, hi = 32767; break;
    case DT_INT32: lo = -2147483648.0, hi = 2147483647.0; break;
    default: lo = -9223372036854775808.0, hi = 9223372036854775807.0; break;
    }
    bool bad;
    if (v->kind == VK_INT)
        bad = dt == DT_UINT8 ? v->i > 255 || (v->i < 0 && -(uint64_t)v->i > 255)
                             : dt != DT_INT64 && ((double)v->i < lo || (double)v->i > hi);
    else
        bad = !(v->f >= lo && (dt == DT_INT64 ? v->f < hi : v->f <= hi)); /* NaN too; hi = 2^63 for int64 */
    if (bad) tsr_raise(ERR_RuntimeError, "value cannot be converted to type %s without overflow", dtype_name(dt));
    return !bad;
}

/* a complex number into an element of dtype dt (dtype.c's rule: a real
 * dtype takes the real part) */
static void store_complex(DType dt, void *p, double re, double im) {
    tsr_cdouble z = {re, im};
    dtype_convert_complex(dt, p, DT_COMPLEX128, &z);
}

static bool store_scalar(Filler *f, Value *v) {
    v = val_unwrap(v);
    if (!check_int_range(f->dtype, v)) return false;
    switch (v->kind) {
    case VK_BOOL: dtype_store_i64(f->dtype, f->p, v->b); break;
    case VK_INT: dtype_store_i64(f->dtype, f->p, v->i); break;
    case VK_FLOAT: dtype_store_f64(f->dtype, f->p, v->f); break;
    case VK_COMPLEX:
        if (f->numpy && f->dtype == DT_BOOL) { /* numpy: nonzero */
            dtype_store_i64(DT_BOOL, f->p, v->c.re != 0 || v->c.im != 0);
            break;
        }
        if (!dtype_is_complex(f->dtype)) { /* torch.tensor(1j, dtype=float): Python's float(z) / int(z) */
            tsr_raise(ERR_TypeError, "%s",
                      f->numpy ? (dtype_is_float(f->dtype)
                                      ? "float() argument must be a string or a real number, not 'complex'"
                                      : "int() argument must be a string, a bytes-like object or a real number, "
                                        "not 'complex'")
                      : dtype_is_float(f->dtype) ? "must be real number, not complex"
                                                 : "'complex' object cannot be interpreted as an integer");
            return false;
        }
        store_complex(f->dtype, f->p, v->c.re, v->c.im);
        break;
    case VK_TENSOR: {
        Tensor *t = v->tensor;
        if (tensor_numel(t) != 1) {
            tsr_raise(ERR_ValueError, "%s", "only one element tensors can be converted to Python scalars");
            return false;
        }
        if (dtype_is_complex(t->dtype)) {
            double re, im;
            tensor_get_complex(t, 0, &re, &im);
            store_complex(f->dtype, f->p, re, im);
        } else if (dtype_is_float(t->dtype))
            dtype_store_f64(f->dtype, f->p, tensor_get_f64(t, 0));
        else
            dtype_store_i64(f->dtype, f->p, tensor_get_i64(t, 0));
        break;
    }
    case VK_STR: case VK_BYTES:
        tsr_raise(ERR_TypeError, "new(): invalid data type '%s'", val_type_name(v));
        return false;
    default:
        if (dtype_is_float(f->dtype))
            tsr_raise(ERR_TypeError, "must be real number, not %s", val_type_name(v));
        else
            tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer",
                      val_type_name(v));
        return false;
    }
    f->p += f->es;
    return true;
}

static bool fill(Filler *f, Value *v, int dim) {
    v = val_unwrap(v);
    if (dim == f->ndim || (v->kind == VK_TENSOR && v->tensor->ndim == 0)) {
        if (dim != f->ndim) {
            tsr_raise(ERR_TypeError, "%s", "not a sequence");
            return false;
        }
        return store_scalar(f, v);
    }
    if (v->kind == VK_TENSOR) {
        /* A tensor inside the data stands for its elements. */
        Tensor *t = v->tensor;
        if (t->ndim != f->ndim - dim) {
            tsr_raise(ERR_ValueError, "expected sequence of length %lld at dim %d (got %d dims)",
                      (long long)f->shape[dim], dim, t->ndim);
            return false;
        }
        for (int i = 0; i < t->ndim; i++) {
            if (t->shape[i] != f->shape[dim + i]) {
                tsr_raise(ERR_ValueError, "expected sequence of length %lld at dim %d (got %lld)",
                          (long long)f->shape[dim + i], dim + i, (long long)t->shape[i]);
                return false;
            }
        }
        Tensor *dst = tensor_empty(f->dtype, t->ndim, t->shape, device_cpu());
        if (!dst) return false;
        memset(storage_host(dst->storage), 0, (size_t)dst->storage->nbytes);
        bool ok = tensor_copy_(dst, t);
        if (ok) {
            memcpy(f->p, storage_host(dst->storage), (size_t)dst->storage->nbytes);
            f->p += dst->storage->nbytes;
        }
        tensor_release(dst);
        return ok;
    }
    if (v->kind == VK_BYTEARRAY) { /* its ints */
        if (v->bytes.len != f->shape[dim] || (v->bytes.len && dim + 1 != f->ndim)) {
            tsr_raise(ERR_ValueError, "expected sequence of length %lld at dim %d (got %lld)",
                      (long long)f->shape[dim], dim, (long long)v->bytes.len);
            return false;
        }
        for (int64_t i = 0; i < v->bytes.len; i++) { /* each an int, range-checked */
            Value *x = val_int(v->bytes.s[i]);
            bool ok = x && store_scalar(f, x);
            val_release(x);
            if (!ok) return false;
        }
        return true;
    }
    if (!is_data_seq(v)) {
        tsr_raise(ERR_TypeError, "%s", "not a sequence");
        return false;
    }
    if (v->seq.len != f->shape[dim]) {
        tsr_raise(ERR_ValueError, "expected sequence of length %lld at dim %d (got %lld)",
                  (long long)f->shape[dim], dim, (long long)v->seq.len);
        return false;
    }
    for (int64_t i = 0; i < v->seq.len; i++)
        if (!fill(f, v->seq.items[i], dim + 1)) return false;
    return true;
}

static Tensor *from_data(Value *data, DType dtype, DType float_dtype, bool numpy) {
    data = val_unwrap(data); /* a list subclass's list */
    if (data->kind == VK_TENSOR) {
        DType dt = dtype == DT_UNDEFINED ? data->tensor->dtype : dtype;
        return tensor_clone(data->tensor, dt);
    }
    int64_t shape[TSR_MAX_DIMS];
    int ndim;
    if (!infer_shape(data, shape, &ndim)) return NULL;
    DType inferred = DT_UNDEFINED;
    if (!infer_dtype(data, &inferred, float_dtype, 0)) return NULL;
    if (dtype == DT_UNDEFINED) dtype = inferred == DT_UNDEFINED ? float_dtype : inferred;
    Tensor *t = tensor_empty(dtype, ndim, shape, device_cpu());
    if (!t) return NULL;
    Filler f = {storage_host(t->storage), dtype, (int64_t)dtype_size(dtype), shape, ndim, numpy};
    if (!fill(&f, data, 0)) {
        tensor_release(t);
        return NULL;
    }
    return t;
}

Tensor *tensor_from_data(Value *data, DType dtype) { return from_data(data, dtype, tsr_default_float, false); }

Tensor *tensor_from_data_numpy(Value *data, DType dtype) { return from_data(data, dtype, DT_FLOAT64, true); }

static Value *elem_value(const Tensor *t, int64_t flat);

Value *tensor_item_value(Tensor *t) {
    if (tensor_numel(t) != 1) {
        tsr_raise(ERR_ValueError, "%s", "only one element tensors can be converted to Python scalars");
        return NULL;
    }
    return elem_value(t, 0);
}

static Value *elem_value(const Tensor *t, int64_t flat) {
    if (dtype_is_complex(t->dtype)) {
        double re, im;
        tensor_get_complex(t, flat, &re, &im);
        return val_complex(re, im);
    }
    if (dtype_is_float(t->dtype)) return val_float(tensor_get_f64(t, flat));
    if (t->dtype == DT_BOOL) return val_bool(tensor_get_i64(t, flat) != 0);
    return val_int(tensor_get_i64(t, flat));
}

static Value *tolist_rec(const Tensor *t, int dim, int64_t *flat) {
    if (dim == t->ndim) return elem_value(t, (*flat)++);
    Value *list = val_list_new(t->shape[dim]);
    if (!list) return NULL;
    for (int64_t i = 0; i < t->shape[dim]; i++) {
        Value *e = (i & 0xFFFF) == 0 && tsr_check_interrupt() ? NULL : tolist_rec(t, dim + 1, flat);
        if (!e || !val_list_append_steal(list, e)) {
            val_release(list);
            return NULL;
        }
    }
    return list;
}

Value *tensor_tolist_value(Tensor *t) {
    int64_t flat = 0;
    return tolist_rec(t, 0, &flat);
}

DType dtype_from_tensor_type(const char *name) {
    if (!strncmp(name, "torch.", 6)) name += 6;
    if (!strcmp(name, "Tensor")) return tsr_default_float;
    for (int i = 0; i < DT_COUNT; i++)
        if (!strcmp(name, tsr_dtype_info[i].tensor_type)) return (DType)i;
    return DT_UNDEFINED;
}
