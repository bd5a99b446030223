/* vec_math.h: ATen's vectorised float math on the CPU, for float32 and
 * float64: the same SLEEF routines on the same vectors, and the C
 * library on the same scalar tails, so that results match PyTorch's bits.
 *
 * PyTorch compiles its CPU kernels once per instruction set and picks one
 * set at start-up (its "CPU capability"); the vector width, and with it
 * which elements fall in a kernel's scalar tail, follows that choice.
 * cpu_capability() mirrors ATen 1.13's rule (DispatchStub.cpp): the
 * environment variable ATEN_CPU_CAPABILITY ("avx512", "avx2", "default")
 * when set to one of those, else AVX2 when the CPU has AVX2 and FMA, else
 * the default (scalar) kernels. AVX-512 is opt-in in 1.13: a CPU that has
 * it still runs the AVX2 kernels unless the variable asks.
 *
 * Each op has a row in TSR_VEC_UNARY / TSR_VEC_BINARY below, saying how
 * ATen loops over it:
 *   'm'  a VML kernel (UnaryOpsKernel.cpp's IMPLEMENT_FLOAT_KERNEL,
 *        vml::v<op> = vec::map): every element goes through the vector
 *        function; the last, partial vector is padded with zeros; a
 *        strided row is copied into a buffer first.
 *   'k'  a cpu_kernel_vec kernel (cpu/Loops.h vectorized_loop): on a
 *        contiguous row (or one whose input is a broadcast scalar), blocks
 *        of two vectors and then the scalar expression on the rest; on a
 *        strided row, the scalar expression on every element.
 * An op switches over by adding its row (its enum must be in
 * TSR_UNARY_OPS / TSR_BINARY_OPS, elementwise_ops.h) with its vector
 * expression (written with the V_* macros of vec_math_loops.h) and, for
 * 'k', its scalar expression in `a` (and `b`) of type C, which the scalar
 * loop of scalar_ops.h must compute the same way. */
#ifndef TSR_VEC_MATH_H
#define TSR_VEC_MATH_H

#include <stdbool.h>

#include "dtype.h"
#include "elementwise_ops.h"
#include "iter.h"

#define TSR_CPU_CAPABILITIES(X) \
    X(DEFAULT, "NO AVX")        \
    X(AVX2, "AVX2")             \
    X(AVX512, "AVX512")

typedef enum {
#define X(e, s) CPU_CAP_##e,
    TSR_CPU_CAPABILITIES(X)
#undef X
    CPU_CAP_COUNT
} CpuCapability;

/* The capability chosen at the first call (then fixed for the process). */
CpuCapability cpu_capability(void);
/* Tests only: run the given capability's kernels from now on (the CPU
 * must have it). */
void cpu_capability_force(CpuCapability cap);
/* Whether this CPU can run the capability's kernels. */
bool cpu_capability_available(CpuCapability cap);
/* torch.__config__.show()'s name of it ("AVX2"). */
const char *cpu_capability_name(CpuCapability cap);

/* X(OP, LOOP, VECTOR EXPR, SCALAR EXPR): LOOP MAP ('m' above) or KVEC ('k'). The
 * vector expression uses V_SLEEF1(name, ulp)(a), V_SQRT(a), V_ONE and the
 * vector operators; the scalar one is C on `a` of type C (float or double,
 * <tgmath.h> picks expf or exp). */
#define TSR_VEC_UNARY(X)                                                       \
    X(EXP, MAP, V_SLEEF1(exp, u10)(a), 0)                                      \
    X(EXPM1, MAP, V_SLEEF1(expm1, u10)(a), 0)                                  \
    X(LOG, MAP, V_SLEEF1(log, u10)(a), 0)                                      \
    X(LOG2, MAP, V_SLEEF1(log2, u10)(a), 0)                                    \
    X(LOG10, MAP, V_SLEEF1(log10, u10)(a), 0)                                  \
    X(LOG1P, MAP, V_SLEEF1(log1p, u10)(a), 0)                                  \
    X(SIN, MAP, V_SLEEF1(sin, u10)(a), 0)                                      \
    X(COS, MAP, V_SLEEF1(cos, u10)(a), 0)                                      \
    X(TAN, MAP, V_SLEEF1(tan, u10)(a), 0)                                      \
    X(ASIN, MAP, V_SLEEF1(asin, u10)(a), 0)                                    \
    X(ACOS, MAP, V_SLEEF1(acos, u10)(a), 0)                                    \
    X(ATAN, MAP, V_SLEEF1(atan, u10)(a), 0)                                    \
    X(TANH, MAP, V_SLEEF1(tanh, u10)(a), 0)                                    \
    X(SQRT, MAP, V_SQRT(a), 0)                                                 \
    X(SINH, KVEC, V_SLEEF1(sinh, u10)(a), sinh(a))                              \
    X(COSH, KVEC, V_SLEEF1(cosh, u10)(a), cosh(a))                              \
    X(SIGMOID, KVEC, V_ONE / (V_SLEEF1(exp, u10)(V_ZERO - a) + V_ONE),          \
      (C)1 / ((C)1 + exp(-a)))                                                 \
    X(RSQRT, KVEC, V_ONE / V_SQRT(a), (C)1 / sqrt(a))                           \
    X(RECIPROCAL, KVEC, V_ONE / a, (C)1 / a)                                    \
    X(ERF, MAP, V_SLEEF1(erf, u10)(a), 0)                                      \
    X(ERFC, MAP, V_SLEEF1(erfc, u15)(a), 0)                                    \
    X(LGAMMA, MAP, V_SLEEF1(lgamma, u10)(a), 0)

/* X(OP, VECTOR EXPR, SCALAR EXPR) of the binary ops, in `a` and `b`: all
 * KVEC (BinaryOpsKernel.cpp's cpu_kernel_vec). POW's row is its
 * tensor-tensor kernel; with a broadcast scalar exponent pow runs
 * PowKernel.cpp's pow_tensor_scalar_kernel instead (vec_math_loops.h).
 * The scalar exponent reaches the kernel in the compute type, so for
 * float32 the tail's std::pow(base, (double)exp) sees the exponent rounded
 * to float (the same unless the Python number is not a float32 value). */
#define TSR_VEC_BINARY(X)                                                      \
    X(POW, V_SLEEF2(pow, u10)(a, b), pow(a, b))                                \
    X(ATAN2, V_SLEEF2(atan2, u10)(a, b), atan2(a, b))                          \
    X(HYPOT, V_SLEEF2(hypot, u05)(a, b), hypot(a, b))

/* The vectorised loop of a float32 / float64 unary op on this CPU, or NULL
 * (no row, another dtype, or the default capability): the caller runs its
 * scalar loop then. */
IterLoopFn vec_unary_loop(UnaryOp op, DType dt);
/* The same for a binary op. */
IterLoopFn vec_binary_loop(BinaryOp op, DType dt);
/* pow(tensor, exponent) with a Python number's exponent: operands (out,
 * base, anything), ctx a const double * to the exponent; NULL as above. */
IterLoopFn vec_pow_scalar_loop(DType dt);

/* softmax (log: log_softmax) of each of `outer` contiguous rows of n
 * float32 / float64 / bfloat16 elements, as SoftMaxKernel.cpp's
 * _vec_softmax_lastdim and _vec_log_softmax_lastdim compute them. False
 * (nothing done) for another dtype or the default capability. */
bool vec_softmax_lastdim(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                         bool log);

/* softmax (log: log_softmax) over the middle dim of a contiguous [outer,
 * n, inner] block, a dim that is not the last (inner may be 1 when only
 * size-1 dims follow it), as SoftMaxKernel.cpp's _vec_softmax and
 * _vec_logsoftmax compute it (the same dtypes). */
bool vec_softmax_inner(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                       int64_t inner, bool log);

/* The backward of softmax (log: log_softmax) over the middle dim of
 * contiguous [outer, n, inner] blocks: out = _softmax_backward_data(g, y)
 * (_log_softmax_backward_data), y the forward's result, as SoftMaxKernel.cpp
 * computes it; lastdim as for the forward. float32 / float64; false
 * (nothing done) for another dtype or the default capability. */
bool vec_softmax_backward(DType dt, const char *g, const char *y, char *out, int64_t outer,
                          int64_t n, int64_t inner, bool lastdim, bool log);

/* exp of n complex64/complex128 elements (byte strides) as
 * Vectorized<c10::complex<T>>::exp computes it (SLEEF); false (nothing
 * done) on the default capability */
bool vec_complex_exp(DType dt, const char *in, int64_t is, char *out, int64_t os, int64_t n);

/* the capabilities' entries (vec_math_avx2.c, vec_math_avx512.c) */
bool vec_complex_exp_avx2(DType dt, const char *in, int64_t is, char *out, int64_t os, int64_t n);
IterLoopFn vec_unary_loop_avx2(UnaryOp op, DType dt);
IterLoopFn vec_unary_loop_avx512(UnaryOp op, DType dt);
IterLoopFn vec_binary_loop_avx2(BinaryOp op, DType dt);
IterLoopFn vec_binary_loop_avx512(BinaryOp op, DType dt);
IterLoopFn vec_pow_scalar_loop_avx2(DType dt);
IterLoopFn vec_pow_scalar_loop_avx512(DType dt);
bool vec_softmax_lastdim_avx2(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                              bool log);
bool vec_softmax_lastdim_avx512(DType dt, const char *in, char *out, int64_t outer,
                                int64_t n, bool log);
bool vec_softmax_inner_avx2(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                            int64_t inner, bool log);
bool vec_softmax_inner_avx512(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                              int64_t inner, bool log);
bool vec_softmax_backward_avx2(DType dt, const char *g, const char *y, char *out, int64_t outer,
                               int64_t n, int64_t inner, bool lastdim, bool log);
bool vec_softmax_backward_avx512(DType dt, const char *g, const char *y, char *out, int64_t outer,
                                 int64_t n, int64_t inner, bool lastdim, bool log);

#endif
