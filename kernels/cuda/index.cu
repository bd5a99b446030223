// index.cu: gather/scatter along a dim, advanced indexing, take, the
// wrapped-coordinate gather of roll and repeat, and index_select's and
// take's positions (cuda_index.h). One thread per index or output
// element; scatter_add's colliding writes are atomic adds (float sums then
// depend on the order the GPU runs them in, as PyTorch's do). Plain
// scatter with repeated indices writes one of the candidates, as on
// PyTorch's GPU.
#include <cstring>

#include "cuda_index.h"
#include "cuda_scalar.h"

namespace {

// Element copies by size: the bits of an element as an unsigned integer.
template <typename U>
TSR_GLOBAL void k_gather(IndexWalk w, U *out, const int64_t *index, const U *src, int64_t dim_stride, int64_t n) {
    TSR_FOR(k, n) {
        int64_t o = 0, i = 0, s = 0, rem = k;
        for (int d = w.ndim - 1; d >= 0; d--) {
            int64_t c = rem % w.shape[d];
            rem /= w.shape[d];
            o += c * w.st[0][d], i += c * w.st[1][d], s += c * w.st[2][d];
        }
        out[o] = src[s + index[i] * dim_stride];
    }
}

template <typename U>
TSR_GLOBAL void k_scatter(IndexWalk w, U *self, int64_t dim_stride, const int64_t *index, const U *src, U value,
                          int64_t n) {
    TSR_FOR(k, n) {
        int64_t o = 0, i = 0, s = 0, rem = k;
        for (int d = w.ndim - 1; d >= 0; d--) {
            int64_t c = rem % w.shape[d];
            rem /= w.shape[d];
            o += c * w.st[0][d], i += c * w.st[1][d], s += c * w.st[2][d];
        }
        self[o + index[i] * dim_stride] = src ? src[s] : value;
    }
}

// a + b in S, rounded as the CPU's scatter_add rounds
template <typename S> TSR_HD S add_elem(S a, S b) {
    if (ScalarInfo<S>::is_float) return from_f32<S>(to_f32(a) + to_f32(b));
    return from_u64<S>((uint64_t)to_i64(a) + (uint64_t)to_i64(b));
}

#if defined(__CUDACC__) && !defined(TSR_CUDA_EMULATE)
#define TSR_DEV __device__ __forceinline__
// 1- and 2-byte adds: compare-and-swap on the aligned 32-bit word holding
// the element (device allocations are 512-byte granular, so it exists).
template <typename S> __device__ void atomic_add_narrow(S *p, S v) {
    uintptr_t a = (uintptr_t)p;
    unsigned *word = (unsigned *)(a & ~(uintptr_t)3);
    int shift = (int)(a & 3) * 8;
    unsigned mask = (sizeof(S) == 1 ? 0xffu : 0xffffu) << shift;
    unsigned old = *word, assumed;
    do {
        assumed = old;
        unsigned bits = (assumed & mask) >> shift;
        S cur;
        if (sizeof(S) == 1) { uint8_t b = (uint8_t)bits; memcpy(&cur, &b, 1); }
        else { uint16_t b = (uint16_t)bits; memcpy(&cur, &b, 2); }
        S next = add_elem(cur, v);
        unsigned nb = 0;
        if (sizeof(S) == 1) { uint8_t b; memcpy(&b, &next, 1); nb = b; }
        else { uint16_t b; memcpy(&b, &next, 2); nb = b; }
        old = atomicCAS(word, assumed, (assumed & ~mask) | (nb << shift));
    } while (assumed != old);
}
#else
#define TSR_DEV inline
template <typename S> inline void atomic_add_narrow(S *p, S v) { *p = add_elem(*p, v); }
#endif

template <typename S> TSR_DEV void atomic_add_elem(S *p, S v) { atomic_add_narrow(p, v); }
template <> TSR_DEV void atomic_add_elem<float>(float *p, float v) { tsr_atomic_add(p, v); }
template <> TSR_DEV void atomic_add_elem<double>(double *p, double v) { tsr_atomic_add(p, v); }
template <> TSR_DEV void atomic_add_elem<int32_t>(int32_t *p, int32_t v) { tsr_atomic_add(p, v); }
template <> TSR_DEV void atomic_add_elem<int64_t>(int64_t *p, int64_t v) { tsr_atomic_add(p, v); }

template <typename S>
TSR_GLOBAL void k_scatter_add(IndexWalk w, S *self, int64_t dim_stride, const int64_t *index, const S *src,
                              S value, int64_t n, bool is_bool) {
    TSR_FOR(k, n) {
        int64_t o = 0, i = 0, s = 0, rem = k;
        for (int d = w.ndim - 1; d >= 0; d--) {
            int64_t c = rem % w.shape[d];
            rem /= w.shape[d];
            o += c * w.st[0][d], i += c * w.st[1][d], s += c * w.st[2][d];
        }
        S v = src ? src[s] : value;
        S *p = self + o + index[i] * dim_stride;
        if (is_bool) { // logical or: every writer stores the same 1
            if (to_i64(v) != 0) *p = from_u64<S>(1);
        } else {
            atomic_add_elem(p, v);
        }
    }
}

// Element offset in the view of result position k (cuda_index.h).
TSR_HD int64_t adv_offset(const CudaAdvGeom &g, int64_t k, const int64_t *val_stride, int64_t *val_off) {
    int64_t off = 0, voff = 0, c[CUDA_INDEX_MAX_DIMS];
    for (int d = g.ndim - 1; d >= 0; d--) {
        c[d] = k % g.shape[d];
        k /= g.shape[d];
        off += c[d] * g.rest_stride[d];
        if (val_stride) voff += c[d] * val_stride[d];
    }
    for (int i = 0; i < g.nidx; i++) {
        const CudaAdvIndex &x = g.idx[i];
        int64_t e = 0;
        for (int d = 0; d < g.ndim; d++) e += c[d] * x.stride[d];
        int64_t v = x.data[e];
        if (v < 0) v += x.size;
        off += v * x.view_stride;
    }
    if (val_off) *val_off = voff;
    return off;
}

template <typename U> TSR_GLOBAL void k_adv_gather(CudaAdvGeom g, const U *base, U *out, int64_t n) {
    TSR_FOR(k, n) out[k] = base[adv_offset(g, k, nullptr, nullptr)];
}

struct ValStride {
    int64_t s[CUDA_INDEX_MAX_DIMS];
};

template <typename U> TSR_GLOBAL void k_adv_put(CudaAdvGeom g, U *base, const U *val, ValStride vs, int64_t n) {
    TSR_FOR(k, n) {
        int64_t vo;
        int64_t o = adv_offset(g, k, vs.s, &vo);
        base[o] = val[vo];
    }
}

template <typename U> TSR_GLOBAL void k_take(const U *src, const int64_t *pos, int64_t n, U *dst) {
    TSR_FOR(k, n) dst[k] = src[pos[k]];
}

template <typename U> TSR_GLOBAL void k_mod_gather(ModWalk w, const U *src, U *dst, int64_t n) {
    TSR_FOR(k, n) {
        int64_t o = 0, rem = k;
        for (int d = w.ndim - 1; d >= 0; d--) {
            int64_t c = rem % w.shape[d];
            rem /= w.shape[d];
            o += ((c + w.add[d]) % w.mod[d]) * w.stride[d];
        }
        dst[k] = src[o];
    }
}

template <typename I>
TSR_GLOBAL void k_select_positions(ModWalk w, int dim, const I *index, int64_t istride, int64_t *pos, int64_t n) {
    TSR_FOR(k, n) {
        int64_t o = 0, rem = k;
        for (int d = w.ndim - 1; d >= 0; d--) {
            int64_t c = rem % w.shape[d];
            rem /= w.shape[d];
            o += (d == dim ? (int64_t)index[c * istride] : c) * w.stride[d];
        }
        pos[k] = o;
    }
}

TSR_GLOBAL void k_wrap_negative(int64_t *p, int64_t n, int64_t size) {
    TSR_FOR(k, n) if (p[k] < 0) p[k] += size;
}

int64_t walk_numel(const IndexWalk *w) {
    int64_t n = 1;
    for (int d = 0; d < w->ndim; d++) n *= w->shape[d];
    return n;
}

int64_t geom_numel(const CudaAdvGeom *g) {
    int64_t n = 1;
    for (int d = 0; d < g->ndim; d++) n *= g->shape[d];
    return n;
}


} // namespace

extern "C" {

KernelStatus cuda_gather(int es, const IndexWalk *w, char *out, const int64_t *index, const char *src,
                         int64_t dim_stride, int64_t dim_size, int64_t *bad) {
    int64_t n = walk_numel(w);
    if (n == 0) return KERNEL_OK;
    BY_SIZE(es, U, {
        void (*k)(IndexWalk, U *, const int64_t *, const U *, int64_t, int64_t) = k_gather<U>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *w, (U *)out, index, (const U *)src, dim_stride, n);
    });
}

KernelStatus cuda_scatter(DType dt, const IndexWalk *w, char *self, int64_t dim_stride, int64_t dim_size,
                          const int64_t *index, const char *src, const void *value, bool add, int64_t *bad) {
    int64_t n = walk_numel(w);
    if (n == 0) return KERNEL_OK;
    int es = (int)dtype_size(dt);
    if (!add) {
        BY_SIZE(es, U, {
            U v = 0;
            if (!src) memcpy(&v, value, sizeof v);
            void (*k)(IndexWalk, U *, int64_t, const int64_t *, const U *, U, int64_t) = k_scatter<U>;
            TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *w, (U *)self, dim_stride, index, (const U *)src, v, n);
        });
    }
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        S v;
        memset(&v, 0, sizeof v);
        if (!src) memcpy(&v, value, sizeof v);
        void (*k)(IndexWalk, S *, int64_t, const int64_t *, const S *, S, int64_t, bool) = k_scatter_add<S>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *w, (S *)self, dim_stride, index, (const S *)src, v, n,
                   dt == DT_BOOL);
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_index_gather(int es, const CudaAdvGeom *g, const char *base, char *out) {
    int64_t n = geom_numel(g);
    if (g->nidx > CUDA_ADV_MAX_INDICES) return KERNEL_UNSUPPORTED;
    if (n == 0) return KERNEL_OK;
    BY_SIZE(es, U, {
        void (*k)(CudaAdvGeom, const U *, U *, int64_t) = k_adv_gather<U>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *g, (const U *)base, (U *)out, n);
    });
}

KernelStatus cuda_index_put(int es, const CudaAdvGeom *g, char *base, const char *val_base,
                            const int64_t *val_stride) {
    int64_t n = geom_numel(g);
    if (g->nidx > CUDA_ADV_MAX_INDICES) return KERNEL_UNSUPPORTED;
    if (n == 0) return KERNEL_OK;
    ValStride vs;
    memset(&vs, 0, sizeof vs);
    for (int d = 0; d < g->ndim; d++) vs.s[d] = val_stride[d];
    BY_SIZE(es, U, {
        void (*k)(CudaAdvGeom, U *, const U *, ValStride, int64_t) = k_adv_put<U>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *g, (U *)base, (const U *)val_base, vs, n);
    });
}

KernelStatus cuda_take(int es, const char *src, const int64_t *pos, int64_t n, char *dst) {
    if (n == 0) return KERNEL_OK;
    BY_SIZE(es, U, {
        void (*k)(const U *, const int64_t *, int64_t, U *) = k_take<U>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), (const U *)src, pos, n, (U *)dst);
    });
}

KernelStatus cuda_mod_gather(int es, const ModWalk *w, const char *src, char *dst) {
    int64_t n = 1;
    for (int d = 0; d < w->ndim; d++) n *= w->shape[d];
    if (n == 0) return KERNEL_OK;
    for (int d = 0; d < w->ndim; d++)
        if (w->mod[d] <= 0) return KERNEL_UNSUPPORTED;
    BY_SIZE(es, U, {
        void (*k)(ModWalk, const U *, U *, int64_t) = k_mod_gather<U>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), *w, (const U *)src, (U *)dst, n);
    });
}

KernelStatus cuda_select_positions(int ndim, const int64_t *shape, const int64_t *cstride, int dim, DType idt,
                                   const char *index, int64_t istride, int64_t *pos, int64_t dim_size,
                                   int64_t *bad) {
    if (ndim < 1 || ndim > CUDA_INDEX_MAX_DIMS || dim < 0 || dim >= ndim) return KERNEL_UNSUPPORTED;
    ModWalk w;
    memset(&w, 0, sizeof w);
    w.ndim = ndim;
    int64_t n = 1;
    for (int d = 0; d < ndim; d++) {
        w.shape[d] = shape[d], w.stride[d] = cstride[d];
        n *= shape[d];
    }
    if (n == 0) return KERNEL_OK;
    if (idt == DT_INT64) {
        void (*k)(ModWalk, int, const int64_t *, int64_t, int64_t *, int64_t) = k_select_positions<int64_t>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), w, dim, (const int64_t *)index, istride, pos, n);
        return KERNEL_OK;
    }
    if (idt == DT_INT32) {
        void (*k)(ModWalk, int, const int32_t *, int64_t, int64_t *, int64_t) = k_select_positions<int32_t>;
        TSR_LAUNCH(k, tsr_blocks(n, TSR_MAX_BLOCKS), w, dim, (const int32_t *)index, istride, pos, n);
        return KERNEL_OK;
    }
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_wrap_negative(int64_t *p, int64_t n, int64_t size, int64_t *bad) {
    if (n == 0) return KERNEL_OK;
    TSR_LAUNCH(k_wrap_negative, tsr_blocks(n, TSR_MAX_BLOCKS), p, n, size);
    return KERNEL_OK;
}

} // extern "C"
