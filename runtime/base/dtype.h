/* dtype.h: PyTorch's dtypes, generated from one list. */
#ifndef TSR_DTYPE_H
#define TSR_DTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint16_t tsr_half;     /* IEEE binary16 bits */
typedef uint16_t tsr_bfloat16; /* bfloat16 bits */
typedef struct { float re, im; } tsr_cfloat;   /* c10::complex<float> */
typedef struct { double re, im; } tsr_cdouble; /* c10::complex<double> */

/* X(ENUM, ctype, size, torch_name, tensor_type_name, kind)
 * kind: 'b' bool, 'u' unsigned int, 'i' signed int, 'f' floating, 'c' complex.
 * Order is PyTorch's ScalarType order restricted to these types; the
 * promotion table in dtype.c follows it. */
/* X(ENUM, C type, bytes, torch name, tensor type, kind, C++ type name as
 * TypeMeta prints it, c10 checked_convert's name) */
#define TSR_DTYPES(X)                                                                              \
    X(UINT8, uint8_t, 1, "uint8", "ByteTensor", 'u', "unsigned char", "uint8_t")                   \
    X(INT8, int8_t, 1, "int8", "CharTensor", 'i', "signed char", "int8_t")                         \
    X(INT16, int16_t, 2, "int16", "ShortTensor", 'i', "short int", "int16_t")                      \
    X(INT32, int32_t, 4, "int32", "IntTensor", 'i', "int", "int")                                  \
    X(INT64, int64_t, 8, "int64", "LongTensor", 'i', "long int", "int64_t")                        \
    X(FLOAT16, tsr_half, 2, "float16", "HalfTensor", 'f', "c10::Half", "at::Half")                 \
    X(FLOAT32, float, 4, "float32", "FloatTensor", 'f', "float", "float")                          \
    X(FLOAT64, double, 8, "float64", "DoubleTensor", 'f', "double", "double")                      \
    X(COMPLEX64, tsr_cfloat, 8, "complex64", "ComplexFloatTensor", 'c', "c10::complex<float>",        \
      "c10::complex<float>")                                                                       \
    X(COMPLEX128, tsr_cdouble, 16, "complex128", "ComplexDoubleTensor", 'c', "c10::complex<double>",  \
      "c10::complex<double>")                                                                      \
    X(BOOL, bool, 1, "bool", "BoolTensor", 'b', "bool", "bool")                                    \
    X(BFLOAT16, tsr_bfloat16, 2, "bfloat16", "BFloat16Tensor", 'f', "c10::BFloat16", "at::BFloat16")

typedef enum {
#define X(e, ct, sz, nm, tn, k, cpp, c10) DT_##e,
    TSR_DTYPES(X)
#undef X
    DT_COUNT,
    DT_UNDEFINED = -1
} DType;

typedef struct {
    const char *name;        /* "float32" (print as "torch.float32") */
    const char *tensor_type; /* "FloatTensor" (x.type() -> "torch.FloatTensor") */
    size_t size;             /* bytes per element */
    char kind;               /* 'b', 'u', 'i', 'f' */
    const char *cpp_name;    /* "long int": the C++ type as TypeMeta prints it */
    const char *c10_name;    /* "int64_t": as c10's checked_convert prints it */
} DTypeInfo;

extern const DTypeInfo tsr_dtype_info[DT_COUNT];

static inline size_t dtype_size(DType t) { return tsr_dtype_info[t].size; }
static inline const char *dtype_name(DType t) { return tsr_dtype_info[t].name; }
static inline const char *dtype_cpp_name(DType t) { return tsr_dtype_info[t].cpp_name; }
static inline const char *dtype_c10_name(DType t) { return tsr_dtype_info[t].c10_name; }
/* PyTorch's ScalarType name in its error texts: "Byte", "Float", "BFloat16" */
const char *dtype_scalar_name(DType t);
/* c10::canCast: whether a result of dtype from may be written into a
 * tensor of dtype to (no float -> integral, no non-bool -> bool) */
bool dtype_can_cast(DType from, DType to);
/* (DT_UNDEFINED, "no dtype given", is neither) */
static inline bool dtype_is_float(DType t) { return (unsigned)t < DT_COUNT && tsr_dtype_info[t].kind == 'f'; }
static inline bool dtype_is_bool(DType t) { return t == DT_BOOL; }
static inline bool dtype_is_complex(DType t) { return (unsigned)t < DT_COUNT && tsr_dtype_info[t].kind == 'c'; }
/* the dtypes autograd records (PyTorch's isDifferentiableType): floating and complex */
static inline bool dtype_is_differentiable(DType t) { return dtype_is_float(t) || dtype_is_complex(t); }
/* complex64 <-> float32, complex128 <-> float64 (c10's toComplexType /
 * toRealValueType); DT_UNDEFINED where there is none */
DType dtype_to_complex(DType t);
DType dtype_to_real(DType t);
static inline bool dtype_is_int(DType t) { /* integral, excluding bool */
    return tsr_dtype_info[t].kind == 'i' || tsr_dtype_info[t].kind == 'u';
}
static inline bool dtype_is_integral(DType t, bool include_bool) {
    return dtype_is_int(t) || (include_bool && t == DT_BOOL);
}

/* Looks up "float32", "float", "double", "long", "half", ... (the attribute
 * names of torch); DT_UNDEFINED if none. */
DType dtype_from_name(const char *name);
/* torch's other names for dtypes (torch.float, torch.cfloat, ...),
 * NULL-terminated */
typedef struct { const char *name; DType t; } DTypeAlias;
extern const DTypeAlias tsr_dtype_aliases[];

/* torch.promote_types(a, b). */
DType dtype_promote(DType a, DType b);

/* The default dtype for floats (torch.get_default_dtype()); float32 unless
 * set_default_dtype changed it. */
extern DType tsr_default_float;

/* at::native::result_type over operands of three priority tiers.
 * Feed each operand with result_type_add; a "wrapped" operand is a Python
 * scalar (bool/int/float) and a zero-dim one a 0-dim tensor. */
typedef struct {
    DType dim_result, zero_result, wrapped_result;
} ResultTypeState;
void result_type_init(ResultTypeState *s);
void result_type_add(ResultTypeState *s, DType dtype, int ndim, bool wrapped);
DType result_type_finish(const ResultTypeState *s);

/* Scalar conversions for half/bfloat16 (round to nearest even). */
float half_to_float(tsr_half h);
tsr_half float_to_half(float f);
float bf16_to_float(tsr_bfloat16 b);
tsr_bfloat16 float_to_bf16(float f);

/* Reads element 0 at p of dtype t as a double / int64; writes a double /
 * int64 / bool with C's (PyTorch's) conversion rules for that dtype. */
double dtype_load_f64(DType t, const void *p);
int64_t dtype_load_i64(DType t, const void *p);
void dtype_store_f64(DType t, void *p, double v);
void dtype_store_i64(DType t, void *p, int64_t v);
/* One element of dtype from at q written at p as dtype to, where either
 * is complex: a real dtype takes (and bool tests) the real part, a real
 * value becomes a complex one with imaginary part 0. */
void dtype_convert_complex(DType to, void *p, DType from, const void *q);

#endif
