/* ndarray.c: wrapping tensors as numpy objects (ndarray.h). */
#include "ndarray.h"

#include <string.h>

/* t flagged as `kind`; a tensor someone else holds too (an op that
 * returned its input) gets a view of its own instead, so a torch tensor
 * never turns into an array behind its holder's back. */
static Value *wrap_as(Tensor *t, uint8_t kind) {
    if (!t) return NULL;
    if (t->rc > 1 && t->numpy != kind) {
        Tensor *v = tensor_alias(t);
        tensor_release(t);
        if (!v) return NULL;
        t = v;
    }
    t->numpy = kind;
    return val_tensor_steal(t);
}

Value *ndarray_from_tensor_steal(Tensor *t) { return wrap_as(t, TENSOR_NP_ARRAY); }

Value *numpy_result_steal(Tensor *t) {
    return t ? wrap_as(t, t->ndim == 0 ? TENSOR_NP_SCALAR : TENSOR_NP_ARRAY) : NULL;
}

bool ndarray_check_index(const Tensor *t, Value *idx) {
    Value *one[1] = {idx};
    Value **items = idx->kind == VK_TUPLE ? idx->seq.items : one;
    int64_t n = idx->kind == VK_TUPLE ? idx->seq.len : 1;
    int dim = 0;
    for (int64_t k = 0; k < n; k++) {
        Value *v = items[k];
        if (v->kind == VK_INT) {
            if (dim < t->ndim) {
                int64_t size = t->shape[dim];
                if (v->i < -size || v->i >= size) {
                    tsr_raise(ERR_IndexError, "index %lld is out of bounds for axis %d with size %lld",
                              (long long)v->i, dim, (long long)size);
                    return false;
                }
            }
            dim++;
        } else if (v->kind == VK_SLICE) {
            dim++;
        } else if (v->kind != VK_NONE) {
            return true; /* Ellipsis, masks, index arrays: the op checks them */
        }
    }
    if (dim > t->ndim) {
        tsr_raise(ERR_IndexError, "too many indices for array: array is %d-dimensional, but %d were indexed",
                  t->ndim, dim);
        return false;
    }
    return true;
}

static Value npdtype_values[DT_COUNT];

Value *val_npdtype(DType d) {
    Value *v = &npdtype_values[d];
    if (v->rc == 0) {
        v->kind = VK_NPDTYPE;
        v->dtype = d;
        v->rc = 1 << 30;
    }
    return val_retain(v);
}

static const struct { DType dtype; TypeId type; const char *name; } scalar_types[] = {
    {DT_UINT8, T_NP_UINT8, "numpy.uint8"},       {DT_INT8, T_NP_INT8, "numpy.int8"},
    {DT_INT16, T_NP_INT16, "numpy.int16"},       {DT_INT32, T_NP_INT32, "numpy.int32"},
    {DT_INT64, T_NP_INT64, "numpy.int64"},       {DT_FLOAT16, T_NP_FLOAT16, "numpy.float16"},
    {DT_FLOAT32, T_NP_FLOAT32, "numpy.float32"}, {DT_FLOAT64, T_NP_FLOAT64, "numpy.float64"},
    {DT_COMPLEX64, T_NP_COMPLEX64, "numpy.complex64"}, {DT_COMPLEX128, T_NP_COMPLEX128, "numpy.complex128"},
    {DT_BOOL, T_NP_BOOL, "numpy.bool_"},
};

const char *numpy_scalar_type_name(DType d) {
    for (size_t i = 0; i < sizeof scalar_types / sizeof *scalar_types; i++)
        if (scalar_types[i].dtype == d) return scalar_types[i].name;
    return "numpy.float32";
}

TypeId numpy_scalar_type(DType d) {
    for (size_t i = 0; i < sizeof scalar_types / sizeof *scalar_types; i++)
        if (scalar_types[i].dtype == d) return scalar_types[i].type;
    return T_NP_FLOAT32; /* bfloat16: numpy has none; float32 holds it */
}

DType numpy_type_dtype(TypeId t) {
    for (size_t i = 0; i < sizeof scalar_types / sizeof *scalar_types; i++)
        if (scalar_types[i].type == t) return scalar_types[i].dtype;
    return DT_UNDEFINED;
}

const char *ndarray_call_name;

bool ndarray_complex_capable(const char *name) {
    static const char *const names[] = {
        /* creation, conversion, dtypes */
        "array", "asarray", "dtype", "result_type", "promote_types", "can_cast", "_ufunc_cast", "zeros", "ones",
        "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like", "astype", "copy", "item", "tolist",
        "fill", "from_numpy", "numpy", "tensor", "as_tensor", "save", "load",
        /* shapes */
        "reshape", "ravel", "flatten", "transpose", "squeeze", "concatenate", "stack", "vstack", "hstack", "shape",
        "where",
        /* arithmetic and complex parts */
        "add", "subtract", "multiply", "divide", "true_divide", "negative", "absolute", "abs", "real", "imag",
        "conj", "conjugate", "angle", "array_equal", "square", "isnan", "isinf", "isfinite",
        /* complex math (ops/numpy_complex.c) */
        "exp", "log", "log2", "log10", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos",
        "arctan", "arcsinh", "arccosh", "arctanh", "exp2", "reciprocal", "power",
        "cbrt", /* numpy_ufuncs.c raises numpy's TypeError */
        /* reductions in numpy's order */
        "sum", "mean", "_add_reduce", "prod", "_multiply_reduce", "cumsum",
        /* ordering (ops/numpy_complex.c), rounding, var/std */
        "max", "min", "amax", "amin", "argmax", "argmin", "sort", "argsort", "round", "around", "round_", "var",
        "std", "matmul", "dot", "maximum", "minimum", "sign", "clip", "_complex_cumprod", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
        /* np.fft (numpy/fft.py over ops/numpy_fft.c) */
        "_execute", "swapaxes", "roll",
        NULL};
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i])) return true;
    return false;
}
