// elementwise.cu: the CUDA elementwise, cast, where, softmax, copy and
// fill kernels (cuda_elementwise.h), with the exact semantics of the CPU
// kernels of kernels/cpu/binary.c, unary.c and copy.c.
//
// One scalar functor per op (Bin<OP, FAMILY>, Un<OP, FAMILY>: the family is
// 'f' float, 'i' integer or 'b' bool, as the CPU's op lists), one generic
// strided kernel (ew_kernel) that turns each element's linear index into
// operand offsets, and dispatch tables generated from the X-macros of ops.h
// and dtype.h: an (op, dtype) pair without a functor specialisation returns
// KERNEL_UNSUPPORTED, as the CPU table's empty slots do.
//
// Numerics follow the CPU exactly: half and bfloat16 load to float, compute
// in float and round back with dtype.c's code; float32 computes in float
// (never double); integer arithmetic wraps through uint64. Only libm-style
// functions (exp, sin, pow, ...) may differ in the last ulps on a real GPU.
// Expressions are written as the CPU's, with no a * b + c shapes, so nvcc's
// FMA contraction cannot change a result.
#include <cstring>
#include <type_traits>

#include "cuda_compat.h"
#include "cuda_elementwise.h"

// Test hook (tests/unit/test_cuda_elementwise.c): nonzero forces the 64-bit
// index path, which real tensors only take past 2^31 elements or bytes.
extern "C" int cuda_elementwise_force_i64;
int cuda_elementwise_force_i64 = 0;

// Loops over operands are unrolled (N is a template argument). The loop
// over dims is not: ptxas indexes the by-value argument in parameter space
// without a local copy (no stack frame), and unrolling 25 dims for every
// instantiation doubles the build time.
#if defined(__CUDACC__) && !defined(TSR_CUDA_EMULATE)
#define UNROLL _Pragma("unroll")
#else
#define UNROLL
#endif

namespace {

// ---- float/double overloads of the libm functions the ops use ----
#define MATH1(fn)                                                 \
    TSR_HD float m_##fn(float a) { return fn##f(a); }             \
    TSR_HD double m_##fn(double a) { return fn(a); }
#define MATH2(fn)                                                 \
    TSR_HD float m_##fn(float a, float b) { return fn##f(a, b); } \
    TSR_HD double m_##fn(double a, double b) { return fn(a, b); }
MATH1(sqrt) MATH1(exp) MATH1(exp2) MATH1(expm1) MATH1(log) MATH1(log2) MATH1(log10)
MATH1(log1p) MATH1(sin) MATH1(cos) MATH1(tan) MATH1(asin) MATH1(acos) MATH1(atan)
MATH1(sinh) MATH1(cosh) MATH1(tanh) MATH1(floor) MATH1(ceil) MATH1(rint) MATH1(trunc)
MATH1(fabs)
MATH2(fmod) MATH2(pow) MATH2(atan2) MATH2(hypot) MATH2(copysign)
#undef MATH1
#undef MATH2

// ---- dtypes: storage type S, compute type C, family, load and store ----
template <DType D> struct Ty;
#define TY(D, S_, C_, FAM, LD, ST)                          \
    template <> struct Ty<DT_##D> {                         \
        typedef S_ S;                                       \
        typedef C_ C;                                       \
        static constexpr char fam = FAM;                    \
        static TSR_HD C ld(S v) { return LD; }              \
        static TSR_HD S st(C v) { return ST; }              \
    };
TY(UINT8, uint8_t, uint8_t, 'i', v, v)
TY(INT8, int8_t, int8_t, 'i', v, v)
TY(INT16, int16_t, int16_t, 'i', v, v)
TY(INT32, int32_t, int32_t, 'i', v, v)
TY(INT64, int64_t, int64_t, 'i', v, v)
TY(FLOAT16, uint16_t, float, 'f', tsr_h2f(v), tsr_f2h(v))
TY(FLOAT32, float, float, 'f', v, v)
TY(FLOAT64, double, double, 'f', v, v)
TY(BOOL, bool, bool, 'b', v, v)
TY(BFLOAT16, uint16_t, float, 'f', tsr_bf2f(v), tsr_f2bf(v))
#undef TY

// ---- scalar helpers: binary.c's, verbatim ----
template <class C> TSR_HD C floordiv(C a, C b) { // PyTorch's div_floor_floating
    if (b == 0) return a / b;
    C mod = m_fmod(a, b);
    C div = (a - mod) / b;
    if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
    if (div == 0) return m_copysign((C)0, a / b);
    C fl = m_floor(div);
    if (div - fl > (C)0.5) fl += 1;
    return fl;
}
template <class C> TSR_HD C frem(C a, C b) {
    C mod = m_fmod(a, b);
    if (mod != 0 && (b < 0) != (mod < 0)) mod += b;
    return mod;
}
template <class C> TSR_HD C fmax_nan(C a, C b) { return (a != a || a > b) ? a : b; }
template <class C> TSR_HD C fmin_nan(C a, C b) { return (a != a || a < b) ? a : b; }

TSR_HD uint64_t i_pow(int64_t a, int64_t b) { // PyTorch's powi
    if (b < 0) {
        if (a == 1) return 1;
        if (a == -1) return (b & 1) ? (uint64_t)-1 : 1;
        return 0;
    }
    uint64_t r = 1, base = (uint64_t)a;
    while (b) {
        if (b & 1) r *= base;
        b >>= 1;
        base *= base;
    }
    return r;
}
// x86's shift-count masking to the promoted width (32 bits for narrow types)
TSR_HD uint64_t i_shl(int64_t a, int64_t b, int bits) {
    return (uint64_t)a << ((uint64_t)b & (uint64_t)(bits - 1));
}
TSR_HD int64_t i_shr(int64_t a, int64_t b, int bits, bool is_signed) {
    if (b < 0 || b >= bits) return is_signed && a < 0 ? -1 : 0;
    return a >> b;
}
TSR_HD int64_t i_abs(int64_t a) { return a < 0 ? (int64_t)(0 - (uint64_t)a) : a; }
TSR_HD int64_t i_sign(int64_t a) { return (a > 0) - (a < 0); }

// ---- binary functors: Bin<OP, family>, `ok` when the CPU has the loop ----
template <BinaryOp OP, char FAM> struct Bin {
    static constexpr bool ok = false;
};
// value ops of one family (the result has the operands' compute type)
#define BIN_VAL(FAM, OP, EXPR)                                             \
    template <> struct Bin<BIN_##OP, FAM> {                                \
        static constexpr bool ok = true;                                   \
        template <class C> TSR_HD C operator()(C a, C b) const { return (C)(EXPR); } \
    };
// comparisons and logical ops: every family, bool result
#define BIN_BOOL(OP, EXPR)                                                 \
    template <char FAM> struct Bin<BIN_##OP, FAM> {                        \
        static constexpr bool ok = true;                                   \
        template <class C> TSR_HD bool operator()(C a, C b) const { return EXPR; } \
    };
BIN_BOOL(EQ, a == b)
BIN_BOOL(NE, a != b)
BIN_BOOL(LT, a < b)
BIN_BOOL(LE, a <= b)
BIN_BOOL(GT, a > b)
BIN_BOOL(GE, a >= b)
BIN_BOOL(LOGICAL_AND, (a != 0) && (b != 0))
BIN_BOOL(LOGICAL_OR, (a != 0) || (b != 0))
BIN_BOOL(LOGICAL_XOR, (a != 0) != (b != 0))

BIN_VAL('f', ADD, a + b)
BIN_VAL('f', SUB, a - b)
BIN_VAL('f', MUL, a * b)
BIN_VAL('f', DIV, a / b)
BIN_VAL('f', FLOOR_DIVIDE, floordiv(a, b))
BIN_VAL('f', REMAINDER, frem(a, b))
BIN_VAL('f', FMOD, m_fmod(a, b))
BIN_VAL('f', POW, (b == 2 ? a * a : b == 1 ? a : m_pow(a, b)))
BIN_VAL('f', ATAN2, m_atan2(a, b))
BIN_VAL('f', HYPOT, m_hypot(a, b))
BIN_VAL('f', MAXIMUM, fmax_nan(a, b))
BIN_VAL('f', MINIMUM, fmin_nan(a, b))

// Integer FLOOR_DIVIDE, REMAINDER and FMOD are deliberately absent: the CPU
// kernel raises ZeroDivisionError on a zero divisor, which a GPU kernel
// cannot report, so they return KERNEL_UNSUPPORTED and the op layer runs
// the CPU kernel (after cuda_sync) over the managed memory instead.
BIN_VAL('i', ADD, (uint64_t)a + (uint64_t)b)
BIN_VAL('i', SUB, (uint64_t)a - (uint64_t)b)
BIN_VAL('i', MUL, (uint64_t)a * (uint64_t)b)
BIN_VAL('i', POW, i_pow(a, b))
BIN_VAL('i', MAXIMUM, a > b ? a : b)
BIN_VAL('i', MINIMUM, a < b ? a : b)
BIN_VAL('i', BITWISE_AND, a & b)
BIN_VAL('i', BITWISE_OR, a | b)
BIN_VAL('i', BITWISE_XOR, a ^ b)
BIN_VAL('i', LSHIFT, i_shl(a, b, sizeof(C) < 4 ? 32 : 8 * (int)sizeof(C)))
BIN_VAL('i', RSHIFT, i_shr(a, b, 8 * (int)sizeof(C), std::is_signed<C>::value))

BIN_VAL('b', ADD, a || b)
BIN_VAL('b', MUL, a && b)
BIN_VAL('b', MAXIMUM, a || b)
BIN_VAL('b', MINIMUM, a && b)
BIN_VAL('b', BITWISE_AND, a && b)
BIN_VAL('b', BITWISE_OR, a || b)
BIN_VAL('b', BITWISE_XOR, a != b)
#undef BIN_VAL
#undef BIN_BOOL

// ---- unary functors: Un<OP, family> ----
template <UnaryOp OP, char FAM> struct Un {
    static constexpr bool ok = false;
};
#define UN_VAL(FAM, OP, EXPR)                                              \
    template <> struct Un<UN_##OP, FAM> {                                  \
        static constexpr bool ok = true;                                   \
        template <class C> TSR_HD C operator()(C a) const { return (C)(EXPR); } \
    };
#define UN_BOOL(FAM, OP, EXPR)                                             \
    template <> struct Un<UN_##OP, FAM> {                                  \
        static constexpr bool ok = true;                                   \
        template <class C> TSR_HD bool operator()(C a) const { return EXPR; } \
    };
UN_VAL('f', NEG, -a)
UN_VAL('f', ABS, m_fabs(a))
UN_VAL('f', SIGN, (a > 0) - (a < 0))
UN_VAL('f', SQUARE, a * a)
UN_VAL('f', RELU, a < 0 ? (C)0 : a) // keeps -0. and nan
UN_VAL('f', SQRT, m_sqrt(a))
UN_VAL('f', RSQRT, (C)1 / m_sqrt(a))
UN_VAL('f', EXP, m_exp(a))
UN_VAL('f', EXP2, m_exp2(a))
UN_VAL('f', EXPM1, m_expm1(a))
UN_VAL('f', LOG, m_log(a))
UN_VAL('f', LOG2, m_log2(a))
UN_VAL('f', LOG10, m_log10(a))
UN_VAL('f', LOG1P, m_log1p(a))
UN_VAL('f', SIN, m_sin(a))
UN_VAL('f', COS, m_cos(a))
UN_VAL('f', TAN, m_tan(a))
UN_VAL('f', ASIN, m_asin(a))
UN_VAL('f', ACOS, m_acos(a))
UN_VAL('f', ATAN, m_atan(a))
UN_VAL('f', SINH, m_sinh(a))
UN_VAL('f', COSH, m_cosh(a))
UN_VAL('f', TANH, m_tanh(a))
UN_VAL('f', SIGMOID, (C)1 / ((C)1 + m_exp(-a)))
UN_VAL('f', RECIPROCAL, (C)1 / a)
UN_VAL('f', FLOOR, m_floor(a))
UN_VAL('f', CEIL, m_ceil(a))
UN_VAL('f', ROUND, m_rint(a)) // nearbyint in the default rounding mode
UN_VAL('f', TRUNC, m_trunc(a))
UN_VAL('f', FRAC, a - m_trunc(a))
UN_BOOL('f', ISNAN, a != a)
UN_BOOL('f', ISINF, m_fabs(a) == (C)INFINITY)
UN_BOOL('f', ISFINITE, m_fabs(a) < (C)INFINITY)
UN_BOOL('f', LOGICAL_NOT, a == 0)

UN_VAL('i', NEG, 0 - (uint64_t)a)
UN_VAL('i', ABS, i_abs(a))
UN_VAL('i', SIGN, i_sign(a))
UN_VAL('i', SQUARE, (uint64_t)a * (uint64_t)a)
UN_VAL('i', RELU, a > 0 ? a : (C)0)
UN_VAL('i', FLOOR, a)
UN_VAL('i', CEIL, a)
UN_VAL('i', ROUND, a)
UN_VAL('i', TRUNC, a)
UN_BOOL('i', ISNAN, ((void)a, false))
UN_BOOL('i', ISINF, ((void)a, false))
UN_BOOL('i', ISFINITE, ((void)a, true))
UN_BOOL('i', LOGICAL_NOT, a == 0)
UN_VAL('i', BITWISE_NOT, ~a)

UN_VAL('b', SIGN, a)
UN_BOOL('b', ISNAN, ((void)a, false))
UN_BOOL('b', ISINF, ((void)a, false))
UN_BOOL('b', ISFINITE, ((void)a, true))
UN_BOOL('b', LOGICAL_NOT, !a)
UN_BOOL('b', BITWISE_NOT, !a)
#undef UN_VAL
#undef UN_BOOL

// Stores a functor's result: bool results as bool, values through the
// dtype's rounding store.
template <DType D, class R> TSR_HD void put(char *p, R r) {
    if constexpr (std::is_same<R, bool>::value && !std::is_same<typename Ty<D>::C, bool>::value)
        *(bool *)p = r;
    else
        *(typename Ty<D>::S *)p = Ty<D>::st(r);
}

// ---- per-element operations (p: the element's address in each operand) ----
template <DType D, class Op> struct BinElem {
    TSR_HD void operator()(char *const *p) const {
        typedef Ty<D> T;
        typename T::C a = T::ld(*(const typename T::S *)p[1]);
        typename T::C b = T::ld(*(const typename T::S *)p[2]);
        put<D>(p[0], Op()(a, b));
    }
};
template <DType D, class Op> struct UnElem {
    TSR_HD void operator()(char *const *p) const {
        typedef Ty<D> T;
        put<D>(p[0], Op()(T::ld(*(const typename T::S *)p[1])));
    }
};

// unary.c's TO_I64 / TO_I32 for doubles: NaN and out of range give x86's
// cvttsd2si value (its 32-bit form for the types narrower than int64)
TSR_HD int64_t to_i64(double v) {
    if (v != v || v >= 9223372036854775808.0 || v < -9223372036854775808.0) return INT64_MIN;
    return (int64_t)v;
}
TSR_HD int64_t to_i64(int64_t v) { return v; }
TSR_HD int64_t to_i32(double v) {
    if (v != v || v >= 2147483648.0 || v <= -2147483649.0) return INT32_MIN;
    return (int64_t)v;
}
TSR_HD int64_t to_i32(int64_t v) { return v; }

// unary.c's casts: floats load as double (float when neither side is
// float64 or an integer, which is exact), ints and bool as int64; floats to
// ints truncate as unary.c's, ints wrap, nonzero is true.
template <DType DO, DType DI> struct CastElem {
    TSR_HD void operator()(char *const *p) const {
        typedef Ty<DI> TI;
        typedef Ty<DO> TO;
        typename TI::S x = *(const typename TI::S *)p[1];
        if constexpr (DO == DI) {
            *(typename TO::S *)p[0] = x; // a same-dtype copy moves bits, as copy.c
        } else {
            constexpr bool narrow_float = TI::fam == 'f' && TO::fam == 'f' && DI != DT_FLOAT64 && DO != DT_FLOAT64;
            typedef typename std::conditional<narrow_float, float,
                typename std::conditional<TI::fam == 'f', double, int64_t>::type>::type V;
            V v = (V)TI::ld(x);
            typename TO::S *o = (typename TO::S *)p[0];
            if constexpr (DO == DT_BOOL) *o = v != 0;
            else if constexpr (TO::fam == 'f') *o = TO::st((typename TO::C)v);
            else if constexpr (DO == DT_INT64) *o = (typename TO::S)(uint64_t)to_i64(v);
            else *o = (typename TO::S)(uint64_t)to_i32(v);
        }
    }
};

template <class T> struct WhereElem {
    TSR_HD void operator()(char *const *p) const {
        *(T *)p[0] = *(const bool *)p[1] ? *(const T *)p[2] : *(const T *)p[3];
    }
};

template <class T> struct CopyElem {
    TSR_HD void operator()(char *const *p) const { *(T *)p[0] = *(const T *)p[1]; }
};
struct CopyBytes {
    int es;
    TSR_HD void operator()(char *const *p) const {
        for (int i = 0; i < es; i++) p[0][i] = p[1][i];
    }
};

// ---- the generic strided kernel ----
// Geo: a TsrIter's geometry in index type I (int32_t when every offset and
// the element count fit, which makes the index arithmetic much cheaper).
template <class I, int N> struct Geo {
    typedef typename std::make_unsigned<I>::type U;
    int ndim;
    U numel;
    U shape[ITER_MAX_DIMS];
    I stride[ITER_MAX_DIMS][N]; // bytes, dim 0 innermost
    char *data[N];
};

// Element i's operands: divide i through the shape, innermost dim first
// (the outermost dim takes the remaining quotient, undivided).
template <class I, int N, class F> TSR_GLOBAL void ew_kernel(Geo<I, N> g, F f) {
    typedef typename Geo<I, N>::U U;
    for (U i = (U)TSR_TID; i < g.numel; i += (U)TSR_NTHREADS) {
        I off[N];
        UNROLL for (int k = 0; k < N; k++) off[k] = 0;
        U r = i;
        for (int d = 0; d < g.ndim; d++) {
            if (d == g.ndim - 1) {
                UNROLL for (int k = 0; k < N; k++) off[k] += (I)r * g.stride[d][k];
                break;
            }
            U q = r / g.shape[d];
            I idx = (I)(r - q * g.shape[d]);
            r = q;
            UNROLL for (int k = 0; k < N; k++) off[k] += idx * g.stride[d][k];
        }
        char *p[N];
        UNROLL for (int k = 0; k < N; k++) p[k] = g.data[k] + off[k];
        f(p);
    }
}

// numel plus the grid's thread count, and every operand's reach, in int32
bool fits_i32(const TsrIter *it, int nops) {
    if (cuda_elementwise_force_i64) return false;
    if (it->numel > INT32_MAX - (int64_t)TSR_MAX_BLOCKS * TSR_BLOCK) return false;
    for (int k = 0; k < nops; k++) {
        int64_t span = 0;
        for (int d = 0; d < it->ndim; d++) {
            int64_t s = it->strides[d][k] < 0 ? -it->strides[d][k] : it->strides[d][k];
            if (s > INT32_MAX) return false;
            span += (it->shape[d] - 1) * s;
            if (span > INT32_MAX) return false;
        }
    }
    return true;
}

template <class I, int N, class F> void launch_as(const TsrIter *it, F f) {
    Geo<I, N> g;
    g.ndim = it->ndim;
    g.numel = (typename Geo<I, N>::U)it->numel;
    for (int d = 0; d < it->ndim; d++) {
        g.shape[d] = (typename Geo<I, N>::U)it->shape[d];
        for (int k = 0; k < N; k++) g.stride[d][k] = (I)it->strides[d][k];
    }
    for (int k = 0; k < N; k++) g.data[k] = it->data[k];
    void (*kern)(Geo<I, N>, F) = ew_kernel<I, N, F>;
    TSR_LAUNCH(kern, tsr_blocks(it->numel, TSR_MAX_BLOCKS), g, f);
}

// Runs f over every element of it's first N operands (numel > 0).
template <int N, class F> void launch(const TsrIter *it, F f) {
    if (fits_i32(it, N)) launch_as<int32_t, N>(it, f);
    else launch_as<int64_t, N>(it, f);
}

// ---- dispatch tables, generated from ops.h's and dtype.h's X-macros ----
typedef KernelStatus (*IterFn)(const TsrIter *it);

template <BinaryOp OP, DType D> KernelStatus bin_run(const TsrIter *it) {
    typedef Bin<OP, Ty<D>::fam> Op;
    if constexpr (!Op::ok) {
        return KERNEL_UNSUPPORTED;
    } else {
        if (it->numel > 0) launch<3>(it, BinElem<D, Op>());
        return KERNEL_OK;
    }
}
template <UnaryOp OP, DType D> KernelStatus un_run(const TsrIter *it) {
    typedef Un<OP, Ty<D>::fam> Op;
    if constexpr (!Op::ok) {
        return KERNEL_UNSUPPORTED;
    } else {
        if (it->numel > 0) launch<2>(it, UnElem<D, Op>());
        return KERNEL_OK;
    }
}
template <DType DO, DType DI> KernelStatus cast_run(const TsrIter *it) {
    if (it->numel > 0) launch<2>(it, CastElem<DO, DI>());
    return KERNEL_OK;
}

struct Row {
    IterFn f[DT_COUNT];
};
// one row per op: a cell per dtype, in dtype.h's (the enum's) order
#define CELL_BIN(e, ct, sz, nm, tn, k, cpp, c10) &bin_run<OP, DT_##e>,
#define CELL_UN(e, ct, sz, nm, tn, k, cpp, c10) &un_run<OP, DT_##e>,
#define CELL_CAST(e, ct, sz, nm, tn, k, cpp, c10) &cast_run<OP, DT_##e>,
template <BinaryOp OP> constexpr Row bin_row() { return Row{{TSR_DTYPES(CELL_BIN)}}; }
template <UnaryOp OP> constexpr Row un_row() { return Row{{TSR_DTYPES(CELL_UN)}}; }
template <DType OP> constexpr Row cast_row() { return Row{{TSR_DTYPES(CELL_CAST)}}; }

constexpr Row bin_table[BIN_COUNT] = {
#define X(e, n, k) bin_row<BIN_##e>(),
    TSR_BINARY_OPS(X)
#undef X
};
constexpr Row un_table[UN_COUNT] = {
#define X(e, n, k) un_row<UN_##e>(),
    TSR_UNARY_OPS(X)
#undef X
};
constexpr Row cast_table[DT_COUNT] = { // [out][in]
#define X(e, ct, sz, nm, tn, k, cpp, c10) cast_row<DT_##e>(),
    TSR_DTYPES(X)
#undef X
};

// ---- softmax: one thread per (outer, inner) line, unary.c's numerics ----
template <DType D>
TSR_GLOBAL void softmax_kernel(const typename Ty<D>::S *x, typename Ty<D>::S *y, int64_t outer,
                               int64_t n, int64_t inner, bool lg) {
    typedef Ty<D> T;
    typedef typename T::C C;
    TSR_FOR(line, outer * inner) {
        int64_t o = line / inner, j = line - o * inner;
        const typename T::S *xs = x + o * n * inner + j;
        typename T::S *ys = y + o * n * inner + j;
        C mx = -INFINITY;
        for (int64_t k = 0; k < n; k++) {
            C v = T::ld(xs[k * inner]);
            if (v != v || v > mx) mx = v;
        }
        C sum = 0;
        if (lg) {
            for (int64_t k = 0; k < n; k++) sum += m_exp(T::ld(xs[k * inner]) - mx);
            C ls = m_log(sum);
            for (int64_t k = 0; k < n; k++) ys[k * inner] = T::st(T::ld(xs[k * inner]) - mx - ls);
        } else {
            for (int64_t k = 0; k < n; k++) {
                C e = m_exp(T::ld(xs[k * inner]) - mx);
                sum += e;
                ys[k * inner] = T::st(e);
            }
            C inv = (C)1 / sum;
            // the stored (rounded) values are scaled, as on the CPU
            for (int64_t k = 0; k < n; k++) ys[k * inner] = T::st(T::ld(ys[k * inner]) * inv);
        }
    }
}

template <DType D>
void softmax_launch(const char *in, char *out, int64_t outer, int64_t n, int64_t inner, bool lg) {
    typedef typename Ty<D>::S S;
    void (*kern)(const S *, S *, int64_t, int64_t, int64_t, bool) = softmax_kernel<D>;
    TSR_LAUNCH(kern, tsr_blocks(outer * inner, TSR_MAX_BLOCKS), (const S *)in, (S *)out, outer, n,
               inner, lg);
}

// ---- contiguous copy and fill ----
struct alignas(16) Vec16 {
    uint64_t a, b;
};
template <class T> TSR_GLOBAL void copy_linear(T *dst, const T *src, int64_t n) {
    TSR_FOR(i, n) dst[i] = src[i];
}
template <class T> void copy_linear_launch(char *dst, const char *src, int64_t nbytes) {
    void (*kern)(T *, const T *, int64_t) = copy_linear<T>;
    int64_t n = nbytes / (int64_t)sizeof(T);
    TSR_LAUNCH(kern, tsr_blocks(n, TSR_MAX_BLOCKS), (T *)dst, (const T *)src, n);
}
// nbytes contiguous bytes in the widest words that dst, src and nbytes allow
void copy_bytes(char *dst, const char *src, int64_t nbytes) {
    uint64_t a = (uint64_t)(uintptr_t)dst | (uint64_t)(uintptr_t)src | (uint64_t)nbytes;
    if (a % 16 == 0) copy_linear_launch<Vec16>(dst, src, nbytes);
    else if (a % 8 == 0) copy_linear_launch<uint64_t>(dst, src, nbytes);
    else if (a % 4 == 0) copy_linear_launch<uint32_t>(dst, src, nbytes);
    else if (a % 2 == 0) copy_linear_launch<uint16_t>(dst, src, nbytes);
    else copy_linear_launch<uint8_t>(dst, src, nbytes);
}

template <class T> TSR_GLOBAL void fill_kernel(T *dst, T v, int64_t n) { TSR_FOR(i, n) dst[i] = v; }
template <class T> void fill_launch(char *dst, T v, int64_t n) {
    void (*kern)(T *, T, int64_t) = fill_kernel<T>;
    TSR_LAUNCH(kern, tsr_blocks(n, TSR_MAX_BLOCKS), (T *)dst, v, n);
}
struct Pattern {
    unsigned char b[16];
};
TSR_GLOBAL void fill_pattern(char *dst, Pattern pat, int es, int64_t nbytes) {
    TSR_FOR(i, nbytes) dst[i] = (char)pat.b[i % es];
}

} // namespace

extern "C" {

KernelStatus cuda_binary(BinaryOp op, DType dt, const TsrIter *it) {
    if ((unsigned)op >= BIN_COUNT || (unsigned)dt >= DT_COUNT) return KERNEL_UNSUPPORTED;
    return bin_table[op].f[dt](it);
}

KernelStatus cuda_unary(UnaryOp op, DType dt, const TsrIter *it) {
    if ((unsigned)op >= UN_COUNT || (unsigned)dt >= DT_COUNT) return KERNEL_UNSUPPORTED;
    return un_table[op].f[dt](it);
}

KernelStatus cuda_cast(DType out_dt, DType in_dt, const TsrIter *it) {
    if ((unsigned)out_dt >= DT_COUNT || (unsigned)in_dt >= DT_COUNT) return KERNEL_UNSUPPORTED;
    return cast_table[out_dt].f[in_dt](it);
}

KernelStatus cuda_where(size_t elem_size, const TsrIter *it) {
    if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8) return KERNEL_UNSUPPORTED;
    if (it->numel <= 0) return KERNEL_OK;
    switch (elem_size) {
    case 1: launch<4>(it, WhereElem<uint8_t>()); break;
    case 2: launch<4>(it, WhereElem<uint16_t>()); break;
    case 4: launch<4>(it, WhereElem<uint32_t>()); break;
    default: launch<4>(it, WhereElem<uint64_t>()); break;
    }
    return KERNEL_OK;
}

KernelStatus cuda_softmax(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                          int64_t inner, bool log) {
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64 && dt != DT_BFLOAT16) return KERNEL_UNSUPPORTED;
    if (outer <= 0 || inner <= 0 || n <= 0) return KERNEL_OK;
    if (dt == DT_FLOAT32) softmax_launch<DT_FLOAT32>(in, out, outer, n, inner, log);
    else if (dt == DT_FLOAT64) softmax_launch<DT_FLOAT64>(in, out, outer, n, inner, log);
    else softmax_launch<DT_BFLOAT16>(in, out, outer, n, inner, log);
    return KERNEL_OK;
}

KernelStatus cuda_copy_strided(int es, int ndim, const int64_t *shape, char *dst,
                               const int64_t *dst_stride, const char *src,
                               const int64_t *src_stride, int64_t numel) {
    if (es <= 0 || ndim > ITER_MAX_DIMS) return KERNEL_UNSUPPORTED;
    if (numel <= 0) return KERNEL_OK;
    // copy.c's dim merging (size-1 dims dropped), into a two-operand
    // iterator with byte strides
    TsrIter it;
    it.nops = 2;
    it.numel = numel;
    it.data[0] = dst;
    it.data[1] = (char *)src;
    int m = 0;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] == 1) continue;
        if (m > 0 && dst_stride[d] * es == it.shape[m - 1] * it.strides[m - 1][0] &&
            src_stride[d] * es == it.shape[m - 1] * it.strides[m - 1][1]) {
            it.shape[m - 1] *= shape[d];
            continue;
        }
        it.shape[m] = shape[d];
        it.strides[m][0] = dst_stride[d] * es;
        it.strides[m][1] = src_stride[d] * es;
        m++;
    }
    if (m == 0) {
        it.shape[0] = 1;
        it.strides[0][0] = it.strides[0][1] = 0;
        m = 1;
    }
    it.ndim = m;
    if (m == 1 && it.strides[0][0] == es && it.strides[0][1] == es) {
        copy_bytes(dst, src, numel * es);
        return KERNEL_OK;
    }
    switch (es) {
    case 1: launch<2>(&it, CopyElem<uint8_t>()); break;
    case 2: launch<2>(&it, CopyElem<uint16_t>()); break;
    case 4: launch<2>(&it, CopyElem<uint32_t>()); break;
    case 8: launch<2>(&it, CopyElem<uint64_t>()); break;
    default: launch<2>(&it, CopyBytes{es}); break;
    }
    return KERNEL_OK;
}

KernelStatus cuda_fill(int es, char *dst, int64_t n, const void *value) {
    if (es <= 0 || es > 16) return KERNEL_UNSUPPORTED;
    if (n <= 0) return KERNEL_OK;
    Pattern pat;
    for (int i = 0; i < 16; i++) pat.b[i] = ((const unsigned char *)value)[i % es];
    int64_t nbytes = n * es;
    // es in 1, 2, 4, 8 with an 8-aligned dst: 8-byte words of the repeated
    // pattern, then the last few elements
    if (8 % es == 0 && (uintptr_t)dst % 8 == 0) {
        uint64_t word;
        memcpy(&word, pat.b, 8);
        int64_t nwords = nbytes / 8;
        if (nwords > 0) fill_launch<uint64_t>(dst, word, nwords);
        int64_t done = nwords * 8;
        if (done < nbytes) {
            char *rest = dst + done;
            int64_t k = (nbytes - done) / es;
            switch (es) {
            case 1: fill_launch<uint8_t>(rest, pat.b[0], k); break;
            case 2: { uint16_t v; memcpy(&v, pat.b, 2); fill_launch<uint16_t>(rest, v, k); break; }
            default: { uint32_t v; memcpy(&v, pat.b, 4); fill_launch<uint32_t>(rest, v, k); break; }
            }
        }
        return KERNEL_OK;
    }
    void (*kern)(char *, Pattern, int, int64_t) = fill_pattern;
    TSR_LAUNCH(kern, tsr_blocks(nbytes, TSR_MAX_BLOCKS), dst, pat, es, nbytes);
    return KERNEL_OK;
}

} // extern "C"
