// elementwise.cu: the CUDA elementwise, cast, where, softmax, copy and
// fill kernels (cuda_elementwise.h), with the exact semantics of the CPU
// kernels of kernels/cpu/binary.c, unary.c and copy.c.
//
// One scalar functor per op (Bin<OP, FAMILY>, Un<OP, FAMILY>: the family is
// 'f' float, 'i' integer or 'b' bool), generated from the op lists of
// kernels/cpu/scalar_ops.h that also generate the CPU's loops, one generic
// strided kernel (ew_kernel) that turns each element's linear index into
// operand offsets, and dispatch tables generated from the X-macros of
// elementwise_ops.h and dtype.h: an (op, dtype) pair without a functor
// returns KERNEL_UNSUPPORTED, as the CPU table's empty slots do.
//
// Numerics follow the CPU exactly: half and bfloat16 load to float, compute
// in float and round back with dtype.c's code; float32 computes in float
// (never double); integer arithmetic wraps through uint64. Only libm-style
// functions (exp, sin, pow, ...) may differ in the last ulps on a real GPU.
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

// ---- dtypes: storage type S, compute type C, family ('f' float, 'i'
// integer, 'b' bool), load and store, from scalar_ops.h's dtype table ----
#define FAM_FLOAT 'f'
#define FAM_INT 'i'
#define FAM_BOOL 'b'
template <DType D> struct Ty;
#define TY(X, FAM, D, S_, C_, LD, ST)                       \
    template <> struct Ty<DT_##D> {                         \
        typedef S_ S;                                       \
        typedef C_ C;                                       \
        static constexpr char fam = FAM_##FAM;              \
        static TSR_HD C ld(S v) { return LD(&v); }          \
        static TSR_HD S st(C v) {                           \
            S r;                                            \
            ST(&r, v);                                      \
            return r;                                       \
        }                                                   \
    };
TSR_SCALAR_DTYPES(TY, )
#undef TY
// complex: no CUDA functor yet (family 'c' has none), copies only
#define TY_COMPLEX(D, S_)                                   \
    template <> struct Ty<DT_##D> {                         \
        typedef S_ S;                                       \
        typedef S_ C;                                       \
        static constexpr char fam = 'c';                    \
        static TSR_HD C ld(S v) { return v; }               \
        static TSR_HD S st(C v) { return v; }               \
    };
TY_COMPLEX(COMPLEX64, tsr_cfloat)
TY_COMPLEX(COMPLEX128, tsr_cdouble)
#undef TY_COMPLEX

} // namespace

// ---- the code that evaluates scalar_ops.h's expressions: in its namespace
// tsr_scalar, where their libm names are its float/double overloads ----
namespace tsr_scalar {
namespace {

// ---- the functors: Bin<OP, family>, Un<OP, family>, `ok` when the CPU has
// the loop; one specialisation per row of scalar_ops.h's lists, whose KIND
// gives the result: VAL the compute type, BOOL bool, IDIV none (the CPU
// kernel reports a zero divisor, which a GPU kernel cannot, so the op layer
// runs it, after cuda_sync, over the managed memory instead) ----
template <BinaryOp OP, char FAM> struct Bin {
    static constexpr bool ok = false;
};
#define BIN_VAL(OP, EXPR, FAM)                                             \
    template <> struct Bin<BIN_##OP, FAM> {                                \
        static constexpr bool ok = true;                                   \
        template <class C> TSR_HD C operator()(C a, C b) const { return (C)(EXPR); } \
    };
#define BIN_BOOL(OP, EXPR, FAM)                                            \
    template <> struct Bin<BIN_##OP, FAM> {                                \
        static constexpr bool ok = true;                                   \
        template <class C> TSR_HD bool operator()(C a, C b) const { return EXPR; } \
    };
#define BIN_IDIV(OP, EXPR, FAM)
#define BIN_ROW(OP, KIND, EXPR, FAM) BIN_##KIND(OP, EXPR, FAM)
TSR_FLOAT_BINARY(BIN_ROW, FAM_FLOAT)
TSR_INT_BINARY(BIN_ROW, FAM_INT)
TSR_BOOL_BINARY(BIN_ROW, FAM_BOOL)
#undef BIN_VAL
#undef BIN_BOOL
#undef BIN_IDIV
#undef BIN_ROW

template <UnaryOp OP, char FAM> struct Un {
    static constexpr bool ok = false;
};
#define UN_VAL(OP, EXPR, FAM)                                              \
    template <> struct Un<UN_##OP, FAM> {                                  \
        static constexpr bool ok = true;                                   \
        template <class C> TSR_HD C operator()(C a) const { return (C)(EXPR); } \
    };
#define UN_BOOL(OP, EXPR, FAM)                                             \
    template <> struct Un<UN_##OP, FAM> {                                  \
        static constexpr bool ok = true;                                   \
        template <class C> TSR_HD bool operator()(C a) const { return EXPR; } \
    };
#define UN_ROW(OP, KIND, EXPR, FAM) UN_##KIND(OP, EXPR, FAM)
TSR_FLOAT_UNARY(UN_ROW, FAM_FLOAT)
TSR_INT_UNARY(UN_ROW, FAM_INT)
TSR_BOOL_UNARY(UN_ROW, FAM_BOOL)
#undef UN_VAL
#undef UN_BOOL
#undef UN_ROW

// ---- softmax: one thread per (outer, inner) line, unary.c's numerics ----
template <DType D>
TSR_GLOBAL void softmax_kernel(const typename Ty<D>::S *x, typename Ty<D>::S *y, int64_t outer,
                               int64_t n, int64_t inner, bool lg) {
    typedef Ty<D> T;
    typedef typename T::C C;
#define LD(p) T::ld(*(p))
#define ST(p, v) (*(p) = T::st(v))
    TSR_FOR(line, outer * inner) {
        int64_t o = line / inner, j = line - o * inner;
        const typename T::S *xs = x + o * n * inner + j;
        typename T::S *ys = y + o * n * inner + j;
        TSR_SOFTMAX_LINE(C, xs, ys, n, inner, lg, LD, ST);
    }
#undef LD
#undef ST
}

} // namespace
} // namespace tsr_scalar

namespace {

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

// unary.c's casts: floats load as double (float when neither side is
// float64 or an integer, which is exact), ints and bool as int64; floats to
// ints truncate as x86 does (scalar_ops.h's f64_to_i64 / f64_to_i32), ints
// wrap, nonzero is true.
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
            else if constexpr (TI::fam != 'f') *o = (typename TO::S)(uint64_t)v;
            else if constexpr (DO == DT_INT64) *o = (typename TO::S)(uint64_t)tsr_scalar::f64_to_i64(v);
            else *o = (typename TO::S)(uint64_t)tsr_scalar::f64_to_i32(v);
        }
    }
};

template <class T> struct WhereElem {
    TSR_HD void operator()(char *const *p) const {
        *(T *)p[0] = *(const bool *)p[1] ? *(const T *)p[2] : *(const T *)p[3];
    }
};

struct FmaElemF {
    TSR_HD void operator()(char *const *p) const {
        *(float *)p[0] = fmaf(*(const float *)p[1], *(const float *)p[2], *(const float *)p[3]);
    }
};
struct FmaElemD {
    TSR_HD void operator()(char *const *p) const {
        *(double *)p[0] = fma(*(const double *)p[1], *(const double *)p[2], *(const double *)p[3]);
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
    typedef tsr_scalar::Bin<OP, Ty<D>::fam> Op;
    if constexpr (!Op::ok) {
        return KERNEL_UNSUPPORTED;
    } else {
        if (it->numel > 0) launch<3>(it, BinElem<D, Op>());
        return KERNEL_OK;
    }
}
template <UnaryOp OP, DType D> KernelStatus un_run(const TsrIter *it) {
    typedef tsr_scalar::Un<OP, Ty<D>::fam> Op;
    if constexpr (!Op::ok) {
        return KERNEL_UNSUPPORTED;
    } else {
        if (it->numel > 0) launch<2>(it, UnElem<D, Op>());
        return KERNEL_OK;
    }
}
template <DType DO, DType DI> KernelStatus cast_run(const TsrIter *it) {
    if constexpr (DO != DI && (Ty<DO>::fam == 'c' || Ty<DI>::fam == 'c')) {
        return KERNEL_UNSUPPORTED;
    } else {
        if (it->numel > 0) launch<2>(it, CastElem<DO, DI>());
        return KERNEL_OK;
    }
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
#define X(e, n, k, ...) bin_row<BIN_##e>(),
    TSR_BINARY_OPS(X)
#undef X
};
constexpr Row un_table[UN_COUNT] = {
#define X(e, n, k, ...) un_row<UN_##e>(),
    TSR_UNARY_OPS(X)
#undef X
};
constexpr Row cast_table[DT_COUNT] = { // [out][in]
#define X(e, ct, sz, nm, tn, k, cpp, c10) cast_row<DT_##e>(),
    TSR_DTYPES(X)
#undef X
};

template <DType D>
void softmax_launch(const char *in, char *out, int64_t outer, int64_t n, int64_t inner, bool lg) {
    typedef typename Ty<D>::S S;
    void (*kern)(const S *, S *, int64_t, int64_t, int64_t, bool) = tsr_scalar::softmax_kernel<D>;
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
    if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8 && elem_size != 16)
        return KERNEL_UNSUPPORTED;
    if (it->numel <= 0) return KERNEL_OK;
    switch (elem_size) {
    case 16: launch<4>(it, WhereElem<tsr_cdouble>()); break;
    case 1: launch<4>(it, WhereElem<uint8_t>()); break;
    case 2: launch<4>(it, WhereElem<uint16_t>()); break;
    case 4: launch<4>(it, WhereElem<uint32_t>()); break;
    default: launch<4>(it, WhereElem<uint64_t>()); break;
    }
    return KERNEL_OK;
}

KernelStatus cuda_fma(DType dt, const TsrIter *it) {
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) return KERNEL_UNSUPPORTED;
    if (it->numel <= 0) return KERNEL_OK;
    if (dt == DT_FLOAT32) launch<4>(it, FmaElemF());
    else launch<4>(it, FmaElemD());
    return KERNEL_OK;
}

KernelStatus cuda_softmax(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                          int64_t inner, bool lastdim, bool log) {
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
