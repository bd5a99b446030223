/* cuda_scalar.h: element types for kernel templates (C++ only, device and
 * emulated builds): tag types for half and bfloat16 stored as 16 bits,
 * conversions to and from the accumulation types, and a switch that runs
 * a statement with the storage type of a DType. Used by reduce.cu,
 * index.cu, random.cu and matmul.cu. */
#ifndef TSR_CUDA_SCALAR_H
#define TSR_CUDA_SCALAR_H

#include "cuda_compat.h"
#include "dtype.h"

struct tsr_h16 { uint16_t x; };  /* float16 bits */
struct tsr_bf16 { uint16_t x; }; /* bfloat16 bits */

template <typename S> struct ScalarInfo { /* integers (bool as uint8) */
    static const bool is_float = false;
    typedef uint64_t acc; /* wrapping sums and products, as the CPU's */
};
template <> struct ScalarInfo<float> { static const bool is_float = true; typedef float acc; };
template <> struct ScalarInfo<double> { static const bool is_float = true; typedef double acc; };
template <> struct ScalarInfo<tsr_h16> { static const bool is_float = true; typedef float acc; };
template <> struct ScalarInfo<tsr_bf16> { static const bool is_float = true; typedef float acc; };

/* value as double (exact for every dtype but int64 beyond 2^53) */
template <typename S> TSR_HD double to_f64(S v) { return (double)v; }
template <> TSR_HD double to_f64<tsr_h16>(tsr_h16 v) { return (double)tsr_h2f(v.x); }
template <> TSR_HD double to_f64<tsr_bf16>(tsr_bf16 v) { return (double)tsr_bf2f(v.x); }
/* value as float (float types; ints go through double) */
template <typename S> TSR_HD float to_f32(S v) { return (float)v; }
template <> TSR_HD float to_f32<tsr_h16>(tsr_h16 v) { return tsr_h2f(v.x); }
template <> TSR_HD float to_f32<tsr_bf16>(tsr_bf16 v) { return tsr_bf2f(v.x); }
/* integer value (integer types only) */
template <typename S> TSR_HD int64_t to_i64(S v) { return (int64_t)v; }
template <> TSR_HD int64_t to_i64<tsr_h16>(tsr_h16 v) { return (int64_t)tsr_h2f(v.x); }
template <> TSR_HD int64_t to_i64<tsr_bf16>(tsr_bf16 v) { return (int64_t)tsr_bf2f(v.x); }

/* stores: from a float/double (float types: rounded as dtype.c does, via
 * float for half/bfloat16) or from a wrapping integer (integer types) */
template <typename S> TSR_HD S from_f64(double v) { return (S)v; }
template <> TSR_HD tsr_h16 from_f64<tsr_h16>(double v) { tsr_h16 r; r.x = tsr_f2h((float)v); return r; }
template <> TSR_HD tsr_bf16 from_f64<tsr_bf16>(double v) { tsr_bf16 r; r.x = tsr_f2bf((float)v); return r; }
template <typename S> TSR_HD S from_f32(float v) { return (S)v; }
template <> TSR_HD tsr_h16 from_f32<tsr_h16>(float v) { tsr_h16 r; r.x = tsr_f2h(v); return r; }
template <> TSR_HD tsr_bf16 from_f32<tsr_bf16>(float v) { tsr_bf16 r; r.x = tsr_f2bf(v); return r; }
template <typename S> TSR_HD S from_u64(uint64_t v) { return (S)v; } /* modular for narrower ints */
template <> TSR_HD tsr_h16 from_u64<tsr_h16>(uint64_t v) { return from_f32<tsr_h16>((float)(int64_t)v); }
template <> TSR_HD tsr_bf16 from_u64<tsr_bf16>(uint64_t v) { return from_f32<tsr_bf16>((float)(int64_t)v); }
template <typename S> TSR_HD S from_acc(float v) { return from_f32<S>(v); }
template <typename S> TSR_HD S from_acc(double v) { return from_f64<S>(v); }
template <typename S> TSR_HD S from_acc(uint64_t v) { return from_u64<S>(v); }
template <typename A, typename S> TSR_HD A to_acc(S v);
template <> TSR_HD float to_acc<float, float>(float v) { return v; }
template <> TSR_HD float to_acc<float, tsr_h16>(tsr_h16 v) { return tsr_h2f(v.x); }
template <> TSR_HD float to_acc<float, tsr_bf16>(tsr_bf16 v) { return tsr_bf2f(v.x); }
template <> TSR_HD double to_acc<double, double>(double v) { return v; }
template <> TSR_HD uint64_t to_acc<uint64_t, uint8_t>(uint8_t v) { return v; }
template <> TSR_HD uint64_t to_acc<uint64_t, int8_t>(int8_t v) { return (uint64_t)(int64_t)v; }
template <> TSR_HD uint64_t to_acc<uint64_t, int16_t>(int16_t v) { return (uint64_t)(int64_t)v; }
template <> TSR_HD uint64_t to_acc<uint64_t, int32_t>(int32_t v) { return (uint64_t)(int64_t)v; }
template <> TSR_HD uint64_t to_acc<uint64_t, int64_t>(int64_t v) { return (uint64_t)v; }

/* Runs the statement with S the storage type of dt (bool as uint8_t);
 * `otherwise` runs for DTypes without one. */
#define TSR_DISPATCH(dt, S, otherwise, ...)                      \
    switch (dt) {                                                \
    case DT_UINT8: case DT_BOOL: { typedef uint8_t S; __VA_ARGS__; break; } \
    case DT_INT8: { typedef int8_t S; __VA_ARGS__; break; }      \
    case DT_INT16: { typedef int16_t S; __VA_ARGS__; break; }    \
    case DT_INT32: { typedef int32_t S; __VA_ARGS__; break; }    \
    case DT_INT64: { typedef int64_t S; __VA_ARGS__; break; }    \
    case DT_FLOAT16: { typedef tsr_h16 S; __VA_ARGS__; break; }  \
    case DT_FLOAT32: { typedef float S; __VA_ARGS__; break; }    \
    case DT_FLOAT64: { typedef double S; __VA_ARGS__; break; }   \
    case DT_BFLOAT16: { typedef tsr_bf16 S; __VA_ARGS__; break; } \
    default: otherwise;                                          \
    }

/* Row-major position k of shape (n dims) to an element offset. */
TSR_HD int64_t tsr_unravel(int n, const int64_t *shape, const int64_t *stride, int64_t k) {
    int64_t o = 0;
    for (int d = n - 1; d >= 0; d--) {
        int64_t s = shape[d];
        o += (k % s) * stride[d];
        k /= s;
    }
    return o;
}

#endif
