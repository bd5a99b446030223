#include "dtype.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The tensor type name without its "Tensor" suffix. */
const char *dtype_scalar_name(DType t) {
    static char names[DT_COUNT][16];
    if (!names[t][0]) {
        const char *tt = tsr_dtype_info[t].tensor_type;
        snprintf(names[t], sizeof names[t], "%.*s", (int)(strlen(tt) - 6), tt);
    }
    return names[t];
}

const DTypeInfo tsr_dtype_info[DT_COUNT] = {
#define X(e, ct, sz, nm, tn, k, cpp, c10) {nm, tn, sz, k, cpp, c10},
    TSR_DTYPES(X)
#undef X
};

DType tsr_default_float = DT_FLOAT32;

const DTypeAlias tsr_dtype_aliases[] = {
    {"float", DT_FLOAT32},    {"double", DT_FLOAT64},    {"half", DT_FLOAT16}, {"short", DT_INT16},
    {"int", DT_INT32},        {"long", DT_INT64},        {"cfloat", DT_COMPLEX64},
    {"cdouble", DT_COMPLEX128}, {NULL, DT_UNDEFINED},
};

DType dtype_from_name(const char *name) {
    for (int i = 0; i < DT_COUNT; i++)
        if (!strcmp(name, tsr_dtype_info[i].name)) return (DType)i;
    for (const DTypeAlias *a = tsr_dtype_aliases; a->name; a++)
        if (!strcmp(name, a->name)) return a->t;
    return DT_UNDEFINED;
}

/* c10::promoteTypes restricted to our dtypes, in enum order. */
bool dtype_can_cast(DType from, DType to) {
    if (dtype_is_complex(from) && !dtype_is_complex(to)) return false;
    if (dtype_is_float(from) && !dtype_is_float(to) && !dtype_is_complex(to)) return false;
    if (from != DT_BOOL && to == DT_BOOL) return false;
    return true;
}

DType dtype_promote(DType a, DType b) {
    enum { u1 = DT_UINT8, i1 = DT_INT8, i2 = DT_INT16, i4 = DT_INT32, i8 = DT_INT64,
           f2 = DT_FLOAT16, f4 = DT_FLOAT32, f8 = DT_FLOAT64, c4 = DT_COMPLEX64, c8 = DT_COMPLEX128,
           b1 = DT_BOOL, bf = DT_BFLOAT16 };
    static const signed char table[DT_COUNT][DT_COUNT] = {
        /*        u1  i1  i2  i4  i8  f2  f4  f8  c4  c8  b1  bf */
        /* u1 */ {u1, i2, i2, i4, i8, f2, f4, f8, c4, c8, u1, bf},
        /* i1 */ {i2, i1, i2, i4, i8, f2, f4, f8, c4, c8, i1, bf},
        /* i2 */ {i2, i2, i2, i4, i8, f2, f4, f8, c4, c8, i2, bf},
        /* i4 */ {i4, i4, i4, i4, i8, f2, f4, f8, c4, c8, i4, bf},
        /* i8 */ {i8, i8, i8, i8, i8, f2, f4, f8, c4, c8, i8, bf},
        /* f2 */ {f2, f2, f2, f2, f2, f2, f4, f8, c4, c8, f2, f4},
        /* f4 */ {f4, f4, f4, f4, f4, f4, f4, f8, c4, c8, f4, f4},
        /* f8 */ {f8, f8, f8, f8, f8, f8, f8, f8, c8, c8, f8, f8},
        /* c4 */ {c4, c4, c4, c4, c4, c4, c4, c8, c4, c8, c4, c4},
        /* c8 */ {c8, c8, c8, c8, c8, c8, c8, c8, c8, c8, c8, c8},
        /* b1 */ {u1, i1, i2, i4, i8, f2, f4, f8, c4, c8, b1, bf},
        /* bf */ {bf, bf, bf, bf, bf, f4, f4, f8, c4, c8, bf, bf},
    };
    if (a == DT_UNDEFINED) return b;
    if (b == DT_UNDEFINED) return a;
    return (DType)table[a][b];
}

void result_type_init(ResultTypeState *s) {
    s->dim_result = s->zero_result = s->wrapped_result = DT_UNDEFINED;
}

/* c10's toComplexType: bfloat16's range is float's; float16's complex32
 * tsr lacks (DT_UNDEFINED) */
DType dtype_to_complex(DType t) {
    if (t == DT_FLOAT32 || t == DT_BFLOAT16) return DT_COMPLEX64;
    if (t == DT_FLOAT64) return DT_COMPLEX128;
    return dtype_is_complex(t) ? t : DT_UNDEFINED;
}

DType dtype_to_real(DType t) {
    return t == DT_COMPLEX64 ? DT_FLOAT32 : t == DT_COMPLEX128 ? DT_FLOAT64 : t;
}

void result_type_add(ResultTypeState *s, DType dtype, int ndim, bool wrapped) {
    if (wrapped) {
        DType cur = dtype_is_float(dtype)     ? tsr_default_float
                    : dtype_is_complex(dtype) ? dtype_to_complex(tsr_default_float)
                                              : dtype;
        s->wrapped_result = dtype_promote(s->wrapped_result, cur);
    } else if (ndim == 0) {
        s->zero_result = dtype_promote(s->zero_result, dtype);
    } else {
        s->dim_result = dtype_promote(s->dim_result, dtype);
    }
}

/* at::native's combine_categories */
static DType combine_categories(DType higher, DType lower) {
    if (higher != DT_UNDEFINED && dtype_is_complex(higher)) return higher;
    if (lower != DT_UNDEFINED && dtype_is_complex(lower)) {
        if (higher != DT_UNDEFINED && dtype_is_float(higher)) /* keeps higher's precision */
            return dtype_to_complex(higher) != DT_UNDEFINED ? dtype_to_complex(higher) : lower;
        return lower;
    }
    if (higher != DT_UNDEFINED && dtype_is_float(higher)) return higher;
    if (higher == DT_BOOL || (lower != DT_UNDEFINED && dtype_is_float(lower)))
        return dtype_promote(higher, lower);
    if (higher != DT_UNDEFINED) return higher;
    return lower;
}

DType result_type_finish(const ResultTypeState *s) {
    return combine_categories(s->dim_result,
                              combine_categories(s->zero_result, s->wrapped_result));
}

float half_to_float(tsr_half h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else { /* subnormal */
            float f = ldexpf((float)mant, -24);
            return sign ? -f : f;
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

tsr_half float_to_half(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint32_t sign = (x >> 16) & 0x8000;
    uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) /* inf or nan */
        return (tsr_half)(sign | 0x7c00 | (absx > 0x7f800000u ? 0x200 : 0));
    if (absx >= 0x477ff000u) return (tsr_half)(sign | 0x7c00); /* overflow -> inf */
    if (absx < 0x38800000u) { /* subnormal half or zero */
        float a;
        memcpy(&a, &absx, 4);
        /* a * 2^24 rounded to nearest even */
        float m = nearbyintf(a * 16777216.0f);
        return (tsr_half)(sign | (uint32_t)m);
    }
    uint32_t mant_odd = (absx >> 13) & 1;
    absx += 0xc8000fffu + mant_odd; /* rebias exponent and round to nearest even */
    return (tsr_half)(sign | (absx >> 13));
}

float bf16_to_float(tsr_bfloat16 b) {
    uint32_t bits = (uint32_t)b << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

tsr_bfloat16 float_to_bf16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (tsr_bfloat16)((x >> 16) | 0x40);
    uint32_t lsb = (x >> 16) & 1;
    x += 0x7fffu + lsb;
    return (tsr_bfloat16)(x >> 16);
}

double dtype_load_f64(DType t, const void *p) {
    switch (t) {
    case DT_UINT8: return *(const uint8_t *)p;
    case DT_INT8: return *(const int8_t *)p;
    case DT_INT16: return *(const int16_t *)p;
    case DT_INT32: return *(const int32_t *)p;
    case DT_INT64: return (double)*(const int64_t *)p;
    case DT_FLOAT16: return half_to_float(*(const tsr_half *)p);
    case DT_FLOAT32: return *(const float *)p;
    case DT_FLOAT64: return *(const double *)p;
    case DT_BOOL: return *(const bool *)p;
    case DT_BFLOAT16: return bf16_to_float(*(const tsr_bfloat16 *)p);
    case DT_COMPLEX64: return ((const tsr_cfloat *)p)->re; /* the real part */
    case DT_COMPLEX128: return ((const tsr_cdouble *)p)->re;
    default: return 0;
    }
}

/* float -> int conversions truncate as C compiled for x86 does: NaN and
 * out-of-range values give cvttsd2si's INT64_MIN, or for the types narrower
 * than int64 its 32-bit form's INT32_MIN (then wrapped to the width), as
 * PyTorch's kernels (unary.c's casts) do. */
static int64_t f64_to_i64(double v) {
    if (v != v || v >= 9223372036854775808.0 || v < -9223372036854775808.0) return INT64_MIN;
    return (int64_t)v;
}
static int64_t f64_to_int(DType t, double v) {
    if (t == DT_INT64) return f64_to_i64(v);
    if (v != v || v >= 2147483648.0 || v <= -2147483649.0) return INT32_MIN;
    return (int64_t)v;
}

int64_t dtype_load_i64(DType t, const void *p) {
    switch (t) {
    case DT_UINT8: return *(const uint8_t *)p;
    case DT_INT8: return *(const int8_t *)p;
    case DT_INT16: return *(const int16_t *)p;
    case DT_INT32: return *(const int32_t *)p;
    case DT_INT64: return *(const int64_t *)p;
    case DT_BOOL: return *(const bool *)p;
    default: return f64_to_i64(dtype_load_f64(t, p));
    }
}

void dtype_store_f64(DType t, void *p, double v) {
    switch (t) {
    case DT_FLOAT16: *(tsr_half *)p = float_to_half((float)v); break;
    case DT_FLOAT32: *(float *)p = (float)v; break;
    case DT_FLOAT64: *(double *)p = v; break;
    case DT_BFLOAT16: *(tsr_bfloat16 *)p = float_to_bf16((float)v); break;
    case DT_BOOL: *(bool *)p = v != 0; break;
    case DT_COMPLEX64: *(tsr_cfloat *)p = (tsr_cfloat){(float)v, 0.0f}; break;
    case DT_COMPLEX128: *(tsr_cdouble *)p = (tsr_cdouble){v, 0.0}; break;
    default: dtype_store_i64(t, p, f64_to_int(t, v)); break;
    }
}

/* int64 -> narrower ints wrap modulo 2^n, as C casts through unsigned do. */
void dtype_convert_complex(DType to, void *p, DType from, const void *q) {
    double re, im = 0.0;
    if (from == DT_COMPLEX64) re = ((const tsr_cfloat *)q)->re, im = ((const tsr_cfloat *)q)->im;
    else if (from == DT_COMPLEX128) re = ((const tsr_cdouble *)q)->re, im = ((const tsr_cdouble *)q)->im;
    else re = dtype_load_f64(from, q);
    if (to == DT_COMPLEX64) *(tsr_cfloat *)p = (tsr_cfloat){(float)re, (float)im};
    else if (to == DT_COMPLEX128) *(tsr_cdouble *)p = (tsr_cdouble){re, im};
    else if (to == DT_BOOL) *(bool *)p = re != 0;
    else dtype_store_f64(to, p, re);
}

void dtype_store_i64(DType t, void *p, int64_t v) {
    switch (t) {
    case DT_UINT8: *(uint8_t *)p = (uint8_t)(uint64_t)v; break;
    case DT_INT8: *(int8_t *)p = (int8_t)(uint8_t)(uint64_t)v; break;
    case DT_INT16: *(int16_t *)p = (int16_t)(uint16_t)(uint64_t)v; break;
    case DT_INT32: *(int32_t *)p = (int32_t)(uint32_t)(uint64_t)v; break;
    case DT_INT64: *(int64_t *)p = v; break;
    case DT_BOOL: *(bool *)p = v != 0; break;
    default: dtype_store_f64(t, p, (double)v); break;
    }
}
