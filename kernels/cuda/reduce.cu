// reduce.cu: reductions on the GPU (cuda_reduce.h), deterministic run to
// run: no atomics and no cooperation between threads (cuda_compat.h).
//
// A reduction of nout outputs over nred elements each runs as
//   pass 1: nout*P threads; thread (j, p) folds elements p, p+P, p+2P, ...
//           of output j (a fixed strided subset) into partial[j][p];
//   combine: nout*ceil(P/G) threads each fold G consecutive partials in
//           order, repeated until one is left, which is finalised into the
//           output. With P == 1 pass 1 writes the outputs directly.
// P depends only on the geometry, so the order of the arithmetic (and the
// rounding of float sums) is the same on every run, and in the emulated
// build. Float32 (and half/bfloat16) sums accumulate in float32 as
// PyTorch's CUDA sum does: the result differs from the CPU's cascade sum
// by rounding only.
#include "cuda_reduce.h"
#include "cuda_scalar.h"

namespace {

const int64_t TARGET_THREADS = (int64_t)1 << 17; // enough to fill an H100
const int64_t MIN_PER_THREAD = 32;               // elements per pass-1 thread at least
const int64_t GROUP = 256;                       // partials per combine thread
const size_t PARTIAL_BYTES = 32;                 // room for the largest accumulator

// The geometry with size-1 dims dropped and contiguous neighbours merged
// (row-major positions are unchanged by either).
struct Geo {
    int nout, nred;
    int64_t oshape[RED_MAX_DIMS], ostride[RED_MAX_DIMS];
    int64_t rshape[RED_MAX_DIMS], rstride[RED_MAX_DIMS];
};

int merge(int n, const int64_t *shape, const int64_t *stride, int64_t *os, int64_t *ot) {
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (shape[i] == 1) continue;
        if (m > 0 && ot[m - 1] == shape[i] * stride[i]) {
            os[m - 1] *= shape[i];
            ot[m - 1] = stride[i];
        } else {
            os[m] = shape[i];
            ot[m++] = stride[i];
        }
    }
    return m;
}

int64_t prod(int n, const int64_t *s) {
    int64_t p = 1;
    for (int i = 0; i < n; i++) p *= s[i];
    return p;
}

Geo make_geo(const ReduceGeom *g) {
    Geo r;
    r.nout = merge(g->nout, g->out_shape, g->out_stride, r.oshape, r.ostride);
    r.nred = merge(g->nred, g->red_shape, g->red_stride, r.rshape, r.rstride);
    return r;
}

// Partials per output for pass 1.
int64_t parts(int64_t nout, int64_t nred) {
    if (nout == 0 || nred < 2 * MIN_PER_THREAD) return 1;
    int64_t p = TARGET_THREADS / nout;
    if (p > nred / MIN_PER_THREAD) p = nred / MIN_PER_THREAD;
    return p < 1 ? 1 : p;
}

// ---- the reductions: init / add / combine / finish (writes output j) ----

template <typename S> struct SumOp {
    typedef typename ScalarInfo<S>::acc Acc;
    char *out;
    double div; // mean: divide by div (>= 0)
    bool is_prod;
    TSR_HD Acc init() const { return is_prod ? (Acc)1 : (Acc)0; }
    TSR_HD Acc add(Acc a, S v, int64_t) const { return combine(a, to_acc<Acc, S>(v)); }
    TSR_HD Acc combine(Acc a, Acc b) const { return is_prod ? a * b : a + b; }
    TSR_HD void finish(int64_t j, Acc a) const {
        S r = from_acc<S>(a);
        if (div >= 0) { // as op_mean: the stored sum divided in its accumulation type
            if (sizeof(Acc) == 8 && ScalarInfo<S>::is_float) r = from_f64<S>(to_f64(r) / div);
            else r = from_f32<S>(to_f32(r) / (float)div);
        }
        ((S *)out)[j] = r;
    }
};

// max/min: the value and its row-major position; the first NaN wins, then
// the best value, then the first position among equal ones.
struct Best {
    double f;
    int64_t i;
    int64_t idx; // -1: nothing seen yet
    bool nan;
};

template <typename S> struct MinMaxOp {
    typedef Best Acc;
    char *values;
    int64_t *indices;
    bool is_max;
    TSR_HD Acc init() const {
        Acc a;
        a.f = 0, a.i = 0, a.idx = -1, a.nan = false;
        return a;
    }
    TSR_HD Acc add(Acc a, S v, int64_t r) const {
        Acc b;
        if (ScalarInfo<S>::is_float) {
            b.f = to_f64(v), b.i = 0;
            b.nan = b.f != b.f;
        } else {
            b.f = 0, b.i = to_i64(v), b.nan = false;
        }
        b.idx = r;
        return combine(a, b);
    }
    TSR_HD Acc combine(Acc a, Acc b) const {
        if (a.idx < 0) return b;
        if (b.idx < 0) return a;
        if (a.nan || b.nan) {
            if (a.nan && b.nan) return a.idx <= b.idx ? a : b;
            return a.nan ? a : b;
        }
        bool better, equal;
        if (ScalarInfo<S>::is_float) {
            better = is_max ? b.f > a.f : b.f < a.f;
            equal = b.f == a.f;
        } else {
            better = is_max ? b.i > a.i : b.i < a.i;
            equal = b.i == a.i;
        }
        if (better || (equal && b.idx < a.idx)) return b;
        return a;
    }
    TSR_HD void finish(int64_t j, Acc a) const {
        if (values) ((S *)values)[j] = ScalarInfo<S>::is_float ? from_f64<S>(a.f) : from_u64<S>((uint64_t)a.i);
        if (indices) indices[j] = a.idx < 0 ? 0 : a.idx;
    }
};

template <typename S> struct AllAnyOp {
    typedef uint8_t Acc;
    char *out;
    bool is_all;
    TSR_HD Acc init() const { return is_all; }
    TSR_HD Acc add(Acc a, S v, int64_t) const {
        bool nz = ScalarInfo<S>::is_float ? to_f64(v) != 0 : to_i64(v) != 0;
        return combine(a, nz);
    }
    TSR_HD Acc combine(Acc a, Acc b) const { return is_all ? (a && b) : (a || b); }
    TSR_HD void finish(int64_t j, Acc a) const { ((uint8_t *)out)[j] = a ? 1 : 0; }
};

// Welford in double (PyTorch's WelfordOps), partials merged with Chan's rule.
struct Welford {
    double n, mean, m2;
};

template <typename S> struct VarOp {
    typedef Welford Acc;
    char *out, *mean; /* mean: NULL, or Welford's mean (var_mean) */
    int64_t count, correction;
    bool take_sqrt;
    TSR_HD Acc init() const {
        Acc a;
        a.n = 0, a.mean = 0, a.m2 = 0;
        return a;
    }
    TSR_HD Acc add(Acc a, S v, int64_t) const {
        double x = to_f64(v);
        a.n += 1;
        double delta = x - a.mean;
        a.mean += delta / a.n;
        a.m2 += delta * (x - a.mean);
        return a;
    }
    TSR_HD Acc combine(Acc a, Acc b) const {
        if (a.n == 0) return b;
        if (b.n == 0) return a;
        Acc r;
        r.n = a.n + b.n;
        double delta = b.mean - a.mean, nb = b.n / r.n;
        r.mean = a.mean + delta * nb;
        r.m2 = a.m2 + b.m2 + delta * delta * a.n * nb;
        return r;
    }
    TSR_HD void finish(int64_t j, Acc a) const {
        double div = count - correction > 0 ? (double)(count - correction) : 0.0;
        double var = count == 0 ? NAN : a.m2 / div;
        if (take_sqrt) var = sqrt(var);
        ((S *)out)[j] = from_f64<S>(var);
        if (mean) ((S *)mean)[j] = from_f64<S>(count == 0 ? NAN : a.mean);
    }
};

// ---- kernels ----

// Pass 1. jfast: consecutive threads take consecutive outputs (when the
// outputs, not the reduced elements, are adjacent in memory).
template <typename S, class Op, bool FINAL>
TSR_GLOBAL void k_pass1(Geo g, const S *in, typename Op::Acc *part, int64_t nout, int64_t P,
                        int64_t nred, bool jfast, Op op) {
    TSR_FOR(t, nout * P) {
        int64_t j = jfast ? t % nout : t / P, p = jfast ? t / nout : t % P;
        const S *base = in + tsr_unravel(g.nout, g.oshape, g.ostride, j);
        typename Op::Acc a = op.init();
        if (g.nred == 1) {
            int64_t st = g.rstride[0];
            for (int64_t r = p; r < nred; r += P) a = op.add(a, base[r * st], r);
        } else {
            for (int64_t r = p; r < nred; r += P)
                a = op.add(a, base[tsr_unravel(g.nred, g.rshape, g.rstride, r)], r);
        }
        if (FINAL) op.finish(j, a);
        else part[j * P + p] = a;
    }
}

// Folds groups of G consecutive partials (of P per output) into P2 per output.
template <class Op, bool FINAL>
TSR_GLOBAL void k_combine(const typename Op::Acc *src, int64_t P, typename Op::Acc *dst, int64_t P2,
                          int64_t G, int64_t nout, Op op) {
    TSR_FOR(t, nout * P2) {
        int64_t j = t / P2, q = t % P2;
        const typename Op::Acc *s = src + j * P + q * G;
        int64_t n = P - q * G < G ? P - q * G : G;
        typename Op::Acc a = s[0];
        for (int64_t i = 1; i < n; i++) a = op.combine(a, s[i]);
        if (FINAL) op.finish(j, a);
        else dst[t] = a;
    }
}

template <typename S, class Op>
KernelStatus run(const ReduceGeom *rg, const char *in, Op op, void *scratch) {
    Geo g = make_geo(rg);
    int64_t nout = prod(g.nout, g.oshape), nred = prod(g.nred, g.rshape);
    if (nout == 0) return KERNEL_OK;
    int64_t P = parts(nout, nred);
    bool jfast = g.nout > 0 && g.ostride[g.nout - 1] == 1 && (g.nred == 0 || g.rstride[g.nred - 1] != 1);
    typedef typename Op::Acc Acc;
    static_assert(sizeof(Acc) <= PARTIAL_BYTES, "partial too large");
    void (*final1)(Geo, const S *, Acc *, int64_t, int64_t, int64_t, bool, Op) = k_pass1<S, Op, true>;
    void (*pass1)(Geo, const S *, Acc *, int64_t, int64_t, int64_t, bool, Op) = k_pass1<S, Op, false>;
    void (*fold)(const Acc *, int64_t, Acc *, int64_t, int64_t, int64_t, Op) = k_combine<Op, false>;
    void (*final2)(const Acc *, int64_t, Acc *, int64_t, int64_t, int64_t, Op) = k_combine<Op, true>;
    if (P == 1) {
        TSR_LAUNCH(final1, tsr_blocks(nout, TSR_MAX_BLOCKS), g, (const S *)in, (Acc *)nullptr, nout, (int64_t)1,
                   nred, jfast, op);
        return KERNEL_OK;
    }
    if (!scratch) return KERNEL_UNSUPPORTED;
    Acc *a = (Acc *)scratch, *b = (Acc *)((char *)scratch + (size_t)(nout * P) * PARTIAL_BYTES);
    TSR_LAUNCH(pass1, tsr_blocks(nout * P, TSR_MAX_BLOCKS), g, (const S *)in, a, nout, P, nred, jfast, op);
    while (P > 1) {
        int64_t P2 = (P + GROUP - 1) / GROUP;
        if (P2 == 1) {
            TSR_LAUNCH(final2, tsr_blocks(nout, TSR_MAX_BLOCKS), (const Acc *)a, P, (Acc *)nullptr, P2, GROUP,
                       nout, op);
        } else {
            TSR_LAUNCH(fold, tsr_blocks(nout * P2, TSR_MAX_BLOCKS), (const Acc *)a, P, b, P2, GROUP, nout, op);
            Acc *t = a;
            a = b, b = t;
        }
        P = P2;
    }
    return KERNEL_OK;
}

// ---- cumsum: one thread per line ----
struct Lines {
    int n;
    int64_t shape[RED_MAX_DIMS], istride[RED_MAX_DIMS], ostride[RED_MAX_DIMS];
};

template <typename S, typename A>
TSR_GLOBAL void k_cumsum(Lines L, const S *in, int64_t is, S *out, int64_t os, int64_t lines, int64_t len) {
    TSR_FOR(k, lines) {
        const S *p = in + tsr_unravel(L.n, L.shape, L.istride, k);
        S *q = out + tsr_unravel(L.n, L.shape, L.ostride, k);
        A acc = 0;
        for (int64_t i = 0; i < len; i++) {
            if (ScalarInfo<S>::is_float) {
                acc += (A)to_f64(p[i * is]);
                q[i * os] = from_f64<S>((double)acc);
            } else {
                acc += (A)(uint64_t)to_i64(p[i * is]);
                q[i * os] = from_u64<S>((uint64_t)acc);
            }
        }
    }
}

} // namespace

extern "C" {

size_t cuda_reduce_scratch(const ReduceGeom *rg) {
    Geo g = make_geo(rg);
    int64_t nout = prod(g.nout, g.oshape), P = parts(nout, prod(g.nred, g.rshape));
    if (P == 1) return 0;
    int64_t P2 = (P + GROUP - 1) / GROUP;
    return (size_t)(nout * P + nout * P2) * PARTIAL_BYTES;
}

KernelStatus cuda_sum(DType dt, const ReduceGeom *g, const char *in, char *out, double div, void *scratch) {
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        SumOp<S> op;
        op.out = out, op.div = div, op.is_prod = false;
        return run<S>(g, in, op, scratch);
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_prod(DType dt, const ReduceGeom *g, const char *in, char *out, void *scratch) {
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        SumOp<S> op;
        op.out = out, op.div = -1, op.is_prod = true;
        return run<S>(g, in, op, scratch);
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_minmax(DType dt, const ReduceGeom *g, const char *in, char *values, int64_t *indices,
                         bool is_max, void *scratch) {
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        MinMaxOp<S> op;
        op.values = values, op.indices = indices, op.is_max = is_max;
        return run<S>(g, in, op, scratch);
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_allany(DType dt, const ReduceGeom *g, const char *in, DType out_dt, char *out, bool is_all,
                         void *scratch) {
    if (out_dt != DT_BOOL && out_dt != DT_UINT8) return KERNEL_UNSUPPORTED;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        AllAnyOp<S> op;
        op.out = out, op.is_all = is_all;
        return run<S>(g, in, op, scratch);
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_var(DType dt, const ReduceGeom *g, const char *in, char *out, char *mean, int64_t correction,
                      bool take_sqrt, void *scratch) {
    if (!dtype_is_float(dt)) return KERNEL_UNSUPPORTED;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        VarOp<S> op;
        op.out = out, op.mean = mean, op.count = prod(g->nred, g->red_shape), op.correction = correction;
        op.take_sqrt = take_sqrt;
        return run<S>(g, in, op, scratch);
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_cumsum(DType dt, int ndim, const int64_t *shape, int d, const char *in, const int64_t *in_stride,
                         char *out, const int64_t *out_stride) {
    if (ndim > RED_MAX_DIMS) return KERNEL_UNSUPPORTED;
    Lines L;
    L.n = 0;
    int64_t len = ndim ? shape[d] : 1, is = ndim ? in_stride[d] : 1, os = ndim ? out_stride[d] : 1;
    int64_t lines = 1;
    for (int i = 0; i < ndim; i++) {
        if (i == d) continue;
        L.shape[L.n] = shape[i], L.istride[L.n] = in_stride[i], L.ostride[L.n++] = out_stride[i];
        lines *= shape[i];
    }
    if (lines == 0 || len == 0) return KERNEL_OK;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        void (*kf)(Lines, const S *, int64_t, S *, int64_t, int64_t, int64_t) = k_cumsum<S, double>;
        void (*ki)(Lines, const S *, int64_t, S *, int64_t, int64_t, int64_t) = k_cumsum<S, uint64_t>;
        if (ScalarInfo<S>::is_float)
            TSR_LAUNCH(kf, tsr_blocks(lines, TSR_MAX_BLOCKS), L, (const S *)in, is, (S *)out, os, lines, len);
        else
            TSR_LAUNCH(ki, tsr_blocks(lines, TSR_MAX_BLOCKS), L, (const S *)in, is, (S *)out, os, lines, len);
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

} // extern "C"
