// values.cu: per-element values and range checks (cuda_values.h). One
// thread per element, each independent; the values are computed as the
// CPU loops of runtime/ops_create.c and ops_extra.c compute them, with the
// same roundings (fma where the CPU fuses, separately rounded float ops
// where it does not), so both devices give the same bits.
#include <cstring>

#include "cuda_scalar.h"
#include "cuda_values.h"

namespace {

// float a * b and a + b, each rounded: nvcc would otherwise contract them
// into one fma, which the CPU's Vectorized::arange does not do
TSR_HD float mul_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
    return __fmul_rn(a, b);
#else
    return a * b;
#endif
}
TSR_HD float add_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
    return __fadd_rn(a, b);
#else
    return a + b;
#endif
}
TSR_HD double mul_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dmul_rn(a, b);
#else
    return a * b;
#endif
}
TSR_HD double add_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dadd_rn(a, b);
#else
    return a + b;
#endif
}

// dtype_store_f64 (runtime/dtype.c): floats rounded (half types via
// float), bool v != 0, integers truncated as x86 does (scalar_ops.h's
// f64_to_i64 / f64_to_i32) and then wrapped
template <typename S> TSR_HD S store_f64(double v, bool is_bool) {
    if (ScalarInfo<S>::is_float) return from_f64<S>(v);
    if (is_bool) return from_u64<S>(v != 0 ? 1 : 0);
    int64_t i = sizeof(S) == 8 ? tsr_scalar::f64_to_i64(v) : tsr_scalar::f64_to_i32(v);
    return from_u64<S>((uint64_t)i);
}

template <typename S>
TSR_GLOBAL void k_arange_int(S *data, int64_t n, int64_t istart, int64_t istep) {
    TSR_FOR(i, n) data[i] = from_u64<S>((uint64_t)istart + (uint64_t)istep * (uint64_t)i);
}

template <typename S>
TSR_GLOBAL void k_arange_float(S *data, int64_t n, double start, double step, int64_t lanes, int64_t nvec,
                               bool is_f64) {
    TSR_FOR(i, n) {
        double v;
        if (i < nvec) {
            int64_t j = i % lanes;
            double base = fma(step, (double)(i - j), start);
            if (!is_f64) base = (double)(float)base;
            v = fma(step, (double)j, base);
        } else {
            v = fma(step, (double)i, start);
        }
        data[i] = from_f64<S>(v);
    }
}

template <typename S>
TSR_GLOBAL void k_linspace_float(S *data, int64_t steps, float s, float e, float st, int64_t lanes, int64_t nvec) {
    int64_t half = steps / 2;
    TSR_FOR(i, steps) {
        float v;
        if (i < nvec) {
            int64_t j = i % lanes, i0 = i - j;
            float base = i0 < half ? fmaf(st, (float)i0, s) : fmaf(-st, (float)(steps - i0 - 1), e);
            v = add_rn(base, mul_rn((float)j, st));
        } else {
            v = i < half ? fmaf(st, (float)i, s) : fmaf(-st, (float)(steps - i - 1), e);
        }
        data[i] = from_f32<S>(v);
    }
}

template <typename S>
TSR_GLOBAL void k_linspace_double(S *data, int64_t steps, double s, double e, double st, bool is_bool, int64_t lanes,
                                  int64_t nvec) {
    int64_t half = steps / 2;
    TSR_FOR(i, steps) {
        double v;
        if (i < nvec) { /* float64: Vectorized<double>::arange blocks, as the CPU */
            int64_t j = i % lanes, i0 = i - j;
            double base = i0 < half ? fma(st, (double)i0, s) : fma(-st, (double)(steps - i0 - 1), e);
            v = add_rn(base, mul_rn((double)j, st));
        } else {
            v = i < half ? fma(st, (double)i, s) : fma(-st, (double)(steps - i - 1), e);
        }
        data[i] = store_f64<S>(v, is_bool);
    }
}

template <typename U> TSR_GLOBAL void k_fill_strided(U *data, int64_t n, int64_t stride, U value) {
    TSR_FOR(i, n) data[i * stride] = value;
}

// One thread per element of the mats x rows x cols block.
template <typename U>
TSR_GLOBAL void k_tril(U *data, int64_t n, int64_t rows, int64_t cols, int64_t diagonal, bool upper) {
    TSR_FOR(e, n) {
        int64_t j = e % cols, i = (e / cols) % rows;
        bool keep = upper ? j - i >= diagonal : j - i <= diagonal;
        if (!keep) data[e] = 0;
    }
}

template <typename S>
TSR_GLOBAL void k_nan_to_num(S *data, int64_t n, S nan, S posinf, S neginf) {
    TSR_FOR(i, n) {
        double v = to_f64(data[i]);
        if (v != v) data[i] = nan;
        else if (v == INFINITY) data[i] = posinf;
        else if (v == -INFINITY) data[i] = neginf;
    }
}

struct Strided {
    int ndim;
    int64_t shape[CUDA_VALUES_MAX_DIMS], stride[CUDA_VALUES_MAX_DIMS];
};

template <typename S>
TSR_GLOBAL void k_range_check(Strided g, const S *data, int64_t n, double lo, double hi, uint8_t *flag) {
    TSR_FOR(k, n) {
        double v = to_f64(data[tsr_unravel(g.ndim, g.shape, g.stride, k)]);
        if (!(v >= lo && v <= hi)) *flag = 1; // every finder stores the same 1
    }
}

} // namespace

extern "C" {

KernelStatus cuda_arange(DType dt, char *data, int64_t n, double start, double step, int64_t istart,
                         int64_t istep, int64_t lanes, int64_t nvec) {
    if (n == 0) return KERNEL_OK;
    if (dt == DT_BOOL || lanes <= 0) return KERNEL_UNSUPPORTED;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        if (!ScalarInfo<S>::is_float) {
            void (*k)(S *, int64_t, int64_t, int64_t) = k_arange_int<S>;
            TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), (S *)data, n, istart, istep);
        } else {
            void (*k)(S *, int64_t, double, double, int64_t, int64_t, bool) = k_arange_float<S>;
            TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), (S *)data, n, start, step, lanes, nvec,
                       dt == DT_FLOAT64);
        }
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_linspace(DType dt, char *data, int64_t steps, float fs, float fe, float fst, double ds,
                           double de, double dst, int64_t lanes, int64_t nvec) {
    if (steps < 2) return KERNEL_UNSUPPORTED;
    if (dt == DT_FLOAT32 || dt == DT_FLOAT16 || dt == DT_BFLOAT16) {
        if (lanes <= 0) return KERNEL_UNSUPPORTED;
        TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
            void (*k)(S *, int64_t, float, float, float, int64_t, int64_t) = k_linspace_float<S>;
            TSR_LAUNCH(k, tsr_blocks(steps, TSR_MAX_BLOCKS), (S *)data, steps, fs, fe, fst, lanes, nvec);
            return KERNEL_OK;
        });
        return KERNEL_UNSUPPORTED;
    }
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        void (*k)(S *, int64_t, double, double, double, bool, int64_t, int64_t) = k_linspace_double<S>;
        bool vec = dt == DT_FLOAT64 && lanes > 0;
        TSR_LAUNCH(k, tsr_blocks(steps, TSR_MAX_BLOCKS), (S *)data, steps, ds, de, dst, dt == DT_BOOL,
                   vec ? lanes : 1, vec ? nvec : 0);
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}


KernelStatus cuda_fill_strided(int es, char *data, int64_t n, int64_t stride, const void *value) {
    if (n == 0) return KERNEL_OK;
    BY_SIZE(es, U, {
        U v;
        memcpy(&v, value, sizeof v);
        void (*k)(U *, int64_t, int64_t, U) = k_fill_strided<U>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), (U *)data, n, stride, v);
    });
}

KernelStatus cuda_tril(int es, char *data, int64_t mats, int64_t rows, int64_t cols, int64_t diagonal,
                       bool upper) {
    int64_t n = mats * rows * cols;
    if (n == 0) return KERNEL_OK;
    BY_SIZE(es, U, {
        void (*k)(U *, int64_t, int64_t, int64_t, int64_t, bool) = k_tril<U>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), (U *)data, n, rows, cols, diagonal, upper);
    });
}

KernelStatus cuda_nan_to_num(DType dt, char *data, int64_t n, double nan, double posinf, double neginf) {
    if (n == 0) return KERNEL_OK;
    switch (dt) {
    case DT_FLOAT16: case DT_FLOAT32: case DT_FLOAT64: case DT_BFLOAT16: break;
    default: return KERNEL_UNSUPPORTED;
    }
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        void (*k)(S *, int64_t, S, S, S) = k_nan_to_num<S>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), (S *)data, n, from_f64<S>(nan), from_f64<S>(posinf),
                   from_f64<S>(neginf));
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_range_check(DType dt, int ndim, const int64_t *shape, const int64_t *stride,
                              const char *data, double lo, double hi, uint8_t *flag) {
    if (ndim > CUDA_VALUES_MAX_DIMS) return KERNEL_UNSUPPORTED;
    Strided g;
    memset(&g, 0, sizeof g);
    g.ndim = ndim;
    int64_t n = 1;
    for (int d = 0; d < ndim; d++) {
        g.shape[d] = shape[d], g.stride[d] = stride[d];
        n *= shape[d];
    }
    if (n == 0) return KERNEL_OK;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        void (*k)(Strided, const S *, int64_t, double, double, uint8_t *) = k_range_check<S>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), g, (const S *)data, n, lo, hi, flag);
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

} // extern "C"
