// random.cu: random fills on the GPU from Philox4x32-10 (cuda_random.h).
//
// The stream. Element i (row-major position in the tensor) of a fill made
// with generator state (seed, offset) takes the four 32-bit words
//   w = Philox4x32-10(key = (seed & 0xffffffff, seed >> 32),
//                     counter = (i & 0xffffffff, i >> 32,
//                                offset & 0xffffffff, offset >> 32))
// and uses them as:
//   uniform float32/half/bfloat16: the low 24/11/8 bits of w0, scaled by
//       2^-bits, then x * (to - from) + from (as the CPU's kernel);
//   uniform float64: the low 53 bits of (w0 << 32 | w1), likewise;
//   normal float32 (and half/bfloat16, rounded from float32):
//       u1 = ((w0 >> 8) + 1) 2^-24, u2 = (w1 >> 8) 2^-24,
//       sqrt(-2 log u1) cos(2 pi u2) * std + mean;
//   normal float64: the same with 53-bit u1 from (w0, w1), u2 from (w2, w3);
//   integers: from + w0 % range, or (w0 << 32 | w1) % range for ranges of
//       2^32 or more, or that 64-bit word itself for the full range;
//   exponential: u from 53 bits of (w0, w1), -log(1 - u) / lambd;
//   bernoulli: u (53 bits of (w0, w1), or 24 bits of w0 against a float32/
//       bfloat16 probability tensor) < p.
// PyTorch's CUDA generator also runs Philox4x32-10 (through curand) on
// (seed, offset), but how it spreads the counter over threads depends on
// its launch grid, so the numbers differ from PyTorch's: only the
// distributions match.
#include "cuda_random.h"
#include "cuda_scalar.h"

namespace {

TSR_HD void philox(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t *out) {
    const uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
    for (int r = 0; r < 10; r++) {
        uint64_t p0 = (uint64_t)M0 * c0, p1 = (uint64_t)M1 * c2;
        uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
        uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
        uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0, c1 = lo1, c2 = n2, c3 = lo0;
        k0 += W0, k1 += W1;
    }
    out[0] = c0, out[1] = c1, out[2] = c2, out[3] = c3;
}

struct Draw {
    uint32_t k0, k1, o0, o1;
    TSR_HD void words(int64_t i, uint32_t *w) const {
        philox(k0, k1, (uint32_t)(uint64_t)i, (uint32_t)((uint64_t)i >> 32), o0, o1, w);
    }
};

Draw make_draw(uint64_t seed, uint64_t offset) {
    Draw d;
    d.k0 = (uint32_t)seed, d.k1 = (uint32_t)(seed >> 32);
    d.o0 = (uint32_t)offset, d.o1 = (uint32_t)(offset >> 32);
    return d;
}

TSR_HD uint64_t w64(uint32_t hi, uint32_t lo) { return ((uint64_t)hi << 32) | lo; }
TSR_HD double u53(uint32_t hi, uint32_t lo) { return (double)(w64(hi, lo) & ((1ull << 53) - 1)) * (1.0 / 9007199254740992.0); }

template <typename S> TSR_HD int digits() { return sizeof(S) == 2 ? 11 : 24; }
template <> TSR_HD int digits<tsr_bf16>() { return 8; }

template <typename S>
TSR_GLOBAL void k_uniform(CudaRandGeom g, S *data, float from, float range, double dfrom, double drange, Draw d,
                          int64_t n) {
    TSR_FOR(i, n) {
        uint32_t w[4];
        d.words(i, w);
        S *p = data + tsr_unravel(g.ndim, g.shape, g.stride, i);
        if (sizeof(S) == 8) {
            *p = from_f64<S>(fma(u53(w[0], w[1]), drange, dfrom));
        } else {
            int b = digits<S>();
            float x = (float)(w[0] & ((1u << b) - 1)) * (1.0f / (float)(1u << b));
            *p = sizeof(S) == 4 ? from_f32<S>(fmaf(x, range, from)) : from_f32<S>(x * range + from);
        }
    }
}

template <typename S>
TSR_GLOBAL void k_normal(CudaRandGeom g, S *data, double mean, double std, Draw d, int64_t n) {
    TSR_FOR(i, n) {
        uint32_t w[4];
        d.words(i, w);
        S *p = data + tsr_unravel(g.ndim, g.shape, g.stride, i);
        if (sizeof(S) == 8) {
            double u1 = (double)((w64(w[0], w[1]) & ((1ull << 53) - 1)) + 1) * (1.0 / 9007199254740992.0);
            double u2 = u53(w[2], w[3]);
            *p = from_f64<S>(sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2) * std + mean);
        } else {
            float u1 = (float)((w[0] >> 8) + 1) * (1.0f / 16777216.0f);
            float u2 = (float)(w[1] >> 8) * (1.0f / 16777216.0f);
            float z = sqrtf(-2.0f * logf(u1)) * cosf(6.2831853071795865f * u2);
            *p = from_f32<S>(z * (float)std + (float)mean);
        }
    }
}

// v as the dtype (CPU's store_int): floats through float (float64 direct),
// bool as v != 0, integers modular
template <typename S> TSR_HD S store_int(int64_t v, bool is_bool) {
    if (ScalarInfo<S>::is_float) return sizeof(S) == 8 ? from_f64<S>((double)v) : from_f32<S>((float)v);
    if (is_bool) return from_u64<S>(v != 0);
    return from_u64<S>((uint64_t)v);
}

template <typename S>
TSR_GLOBAL void k_int(CudaRandGeom g, S *data, int64_t from, uint64_t range, bool is_bool, Draw d, int64_t n) {
    TSR_FOR(i, n) {
        uint32_t w[4];
        d.words(i, w);
        int64_t v;
        if (range == 0) v = (int64_t)w64(w[0], w[1]);
        else if (range >= ((uint64_t)1 << 32)) v = (int64_t)(w64(w[0], w[1]) % range + (uint64_t)from);
        else v = (int64_t)((uint64_t)w[0] % range + (uint64_t)from);
        data[tsr_unravel(g.ndim, g.shape, g.stride, i)] = store_int<S>(v, is_bool);
    }
}

template <typename S>
TSR_GLOBAL void k_exponential(CudaRandGeom g, S *data, double lambd, Draw d, int64_t n) {
    TSR_FOR(i, n) {
        uint32_t w[4];
        d.words(i, w);
        double u = u53(w[0], w[1]);
        data[tsr_unravel(g.ndim, g.shape, g.stride, i)] = from_f64<S>(-1.0 / lambd * log(1.0 - u));
    }
}

struct PStride {
    int64_t s[CUDA_RAND_MAX_DIMS];
};

template <typename S, typename P>
TSR_GLOBAL void k_bernoulli(CudaRandGeom g, S *data, double p, const P *pdata, PStride ps, bool is_bool, Draw d,
                            int64_t n) {
    TSR_FOR(i, n) {
        uint32_t w[4];
        d.words(i, w);
        bool r;
        if (!pdata) {
            r = u53(w[0], w[1]) < p;
        } else {
            P pv = pdata[tsr_unravel(g.ndim, g.shape, ps.s, i)];
            if (sizeof(P) == 8) r = u53(w[0], w[1]) < to_f64(pv);
            else r = (float)(w[0] & 0xffffffu) * (1.0f / 16777216.0f) < to_f32(pv);
        }
        data[tsr_unravel(g.ndim, g.shape, g.stride, i)] = store_int<S>(r ? 1 : 0, is_bool);
    }
}

int64_t numel(const CudaRandGeom *g) {
    int64_t n = 1;
    for (int d = 0; d < g->ndim; d++) n *= g->shape[d];
    return n;
}

#define FLOAT_DISPATCH(dt, S, ...)                                      \
    switch (dt) {                                                       \
    case DT_FLOAT16: { typedef tsr_h16 S; __VA_ARGS__; break; }         \
    case DT_FLOAT32: { typedef float S; __VA_ARGS__; break; }           \
    case DT_FLOAT64: { typedef double S; __VA_ARGS__; break; }          \
    case DT_BFLOAT16: { typedef tsr_bf16 S; __VA_ARGS__; break; }       \
    default: return KERNEL_UNSUPPORTED;                                 \
    }

// the 16-bit float bounds and range rounded to the dtype, as the CPU's
template <typename S> float round_to(float v) { return to_f32(from_f32<S>(v)); }

} // namespace

extern "C" {

void cuda_philox(uint64_t seed, uint64_t c_lo, uint64_t c_hi, uint32_t out[4]) {
    philox((uint32_t)seed, (uint32_t)(seed >> 32), (uint32_t)c_lo, (uint32_t)(c_lo >> 32), (uint32_t)c_hi,
           (uint32_t)(c_hi >> 32), out);
}

KernelStatus cuda_rand_uniform(DType dt, const CudaRandGeom *g, char *data, double from, double to, uint64_t seed,
                               uint64_t offset) {
    int64_t n = numel(g);
    if (n == 0) return KERNEL_OK;
    FLOAT_DISPATCH(dt, S, {
        float f = (float)from, r = (float)to - (float)from;
        if (sizeof(S) == 2) {
            f = round_to<S>((float)from);
            r = round_to<S>(round_to<S>((float)to) - f);
        }
        void (*k)(CudaRandGeom, S *, float, float, double, double, Draw, int64_t) = k_uniform<S>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *g, (S *)data, f, r, from, to - from, make_draw(seed, offset), n);
    });
    return KERNEL_OK;
}

KernelStatus cuda_rand_normal(DType dt, const CudaRandGeom *g, char *data, double mean, double std, uint64_t seed,
                              uint64_t offset) {
    int64_t n = numel(g);
    if (n == 0) return KERNEL_OK;
    FLOAT_DISPATCH(dt, S, {
        void (*k)(CudaRandGeom, S *, double, double, Draw, int64_t) = k_normal<S>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *g, (S *)data, mean, std, make_draw(seed, offset), n);
    });
    return KERNEL_OK;
}

KernelStatus cuda_rand_int(DType dt, const CudaRandGeom *g, char *data, int64_t from, uint64_t range, uint64_t seed,
                           uint64_t offset) {
    int64_t n = numel(g);
    if (n == 0) return KERNEL_OK;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        void (*k)(CudaRandGeom, S *, int64_t, uint64_t, bool, Draw, int64_t) = k_int<S>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *g, (S *)data, from, range, dt == DT_BOOL,
                   make_draw(seed, offset), n);
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_rand_exponential(DType dt, const CudaRandGeom *g, char *data, double lambd, uint64_t seed,
                                   uint64_t offset) {
    int64_t n = numel(g);
    if (n == 0) return KERNEL_OK;
    FLOAT_DISPATCH(dt, S, {
        void (*k)(CudaRandGeom, S *, double, Draw, int64_t) = k_exponential<S>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *g, (S *)data, lambd, make_draw(seed, offset), n);
    });
    return KERNEL_OK;
}

KernelStatus cuda_rand_bernoulli(DType dt, const CudaRandGeom *g, char *data, double p, const char *pdata, DType pdt,
                                 const int64_t *pstride, uint64_t seed, uint64_t offset) {
    int64_t n = numel(g);
    if (n == 0) return KERNEL_OK;
    PStride ps;
    for (int d = 0; d < CUDA_RAND_MAX_DIMS; d++) ps.s[d] = pstride && d < g->ndim ? pstride[d] : 0;
    Draw dr = make_draw(seed, offset);
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        if (!pdata) {
            void (*k)(CudaRandGeom, S *, double, const double *, PStride, bool, Draw, int64_t) = k_bernoulli<S, double>;
            TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *g, (S *)data, p, (const double *)nullptr, ps, dt == DT_BOOL,
                       dr, n);
            return KERNEL_OK;
        }
        FLOAT_DISPATCH(pdt, P, {
            void (*k)(CudaRandGeom, S *, double, const P *, PStride, bool, Draw, int64_t) = k_bernoulli<S, P>;
            TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *g, (S *)data, p, (const P *)pdata, ps, dt == DT_BOOL, dr, n);
        });
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

} // extern "C"
