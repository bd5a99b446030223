/* ndarray.h: numpy's objects as the language holds them. An np.ndarray is
 * a tensor flagged TENSOR_NP_ARRAY, a numpy scalar a 0-dim tensor flagged
 * TENSOR_NP_SCALAR (tensor.h), so an array and the tensor made from it by
 * torch.from_numpy share one storage; a numpy dtype is a VK_NPDTYPE value.
 * numpy's functions and methods are builtins/numpy_*.c. */
#ifndef TSR_NDARRAY_H
#define TSR_NDARRAY_H

#include <stdbool.h>

#include "value.h"

/* v is an ndarray or a numpy scalar */
static inline bool val_is_numpy(const Value *v) { return v->kind == VK_TENSOR && v->tensor->numpy; }
static inline bool val_is_ndarray(const Value *v) {
    return v->kind == VK_TENSOR && v->tensor->numpy == TENSOR_NP_ARRAY;
}

/* Takes t (a fresh tensor no one else holds a Value of) and returns it as
 * an np.ndarray Value; NULL stays NULL. The seam for np.random, np.load. */
Value *ndarray_from_tensor_steal(Tensor *t);
/* What numpy returns for an op's result: a numpy scalar for a 0-dim
 * result, else an ndarray. */
Value *numpy_result_steal(Tensor *t);
/* numpy's IndexErrors for a[idx] of basic indices (ints and slices):
 * "index 5 is out of bounds for axis 0 with size 3", "too many indices
 * for array: ..."; advanced indices are left to the op. */
bool ndarray_check_index(const Tensor *t, Value *idx);
/* The numpy dtype object (a singleton per dtype): np.dtype('float64') */
Value *val_npdtype(DType d);
/* The numpy scalar type of a dtype (T_NP_FLOAT64 ...) */
TypeId numpy_scalar_type(DType d);
/* "numpy.float64": a numpy scalar's type name */
const char *numpy_scalar_type_name(DType d);
/* The dtype of a numpy scalar type, DT_UNDEFINED for other types */
DType numpy_type_dtype(TypeId t);
/* Whether numpy's function or method `name` takes complex arrays in tsr
 * (eval.c refuses the others with a TypeError before they run) */
bool ndarray_complex_capable(const char *name);
/* The builtin function or method running (eval.c sets it once complex
 * numbers exist): numpy's conversion of Python data into a complex array
 * refuses it for a function ndarray_complex_capable does not list. NULL
 * outside builtins. */
extern const char *ndarray_call_name;

#endif
