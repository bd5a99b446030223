// sort.cu: sorting and scans on the GPU (cuda_sort.h), every thread
// independent (cuda_compat.h), so the emulated device computes the same.
//
// Sort: every line is copied into scratch as (key, position) pairs in
// chunks of CHUNK, each chunk insertion-sorted by one thread; then merge
// passes of width w = CHUNK, 2*CHUNK, ... until one run covers the line.
// In a pass each element finds its own output slot: its rank in its run
// plus, by binary search, the number of elements of the partner run that
// go before it (strictly before for a left element, not after for a right
// one), which keeps equal keys in input order. A stable sort is determined
// by its comparison, so the result is kernel_sort_line's, whatever the
// line length or the number of lines (one launch per pass for all lines).
//
// nonzero: counts per chunk, then sums of fixed groups, level by level,
// turned back into exclusive offsets from the top down; each chunk then
// writes its coordinates from its offset. No atomics: row-major order.
#include "cuda_scalar.h"
#include "cuda_sort.h"

namespace {

const int64_t CHUNK = 16;    // elements insertion-sorted by one thread before merging
const int64_t NZ_CHUNK = 64; // elements per nonzero thread
const int64_t NZ_GROUP = 256; // counts summed per thread on the upper levels

// The dims other than d: shape and strides (in, out).
struct Lines {
    int n;
    int64_t shape[RED_MAX_DIMS], istride[RED_MAX_DIMS], ostride[RED_MAX_DIMS];
};

// Fills L from (ndim, shape, d); returns the line count (0 when empty).
int64_t make_lines(Lines *L, int ndim, const int64_t *shape, int d, const int64_t *is, const int64_t *os) {
    L->n = 0;
    int64_t lines = 1;
    for (int i = 0; i < ndim; i++) {
        if (i == d) continue;
        L->shape[L->n] = shape[i];
        L->istride[L->n] = is[i];
        L->ostride[L->n++] = os ? os[i] : 0;
        lines *= shape[i];
    }
    return lines;
}

template <typename S> TSR_HD bool is_nan(S v) {
    if (!ScalarInfo<S>::is_float) return false;
    double x = to_f64(v);
    return x != x;
}

// a goes before b: kernel_sort_line's sort_less.
template <typename S> TSR_HD bool before(S a, S b, bool desc) {
    if (ScalarInfo<S>::is_float) {
        double x = to_f64(a), y = to_f64(b);
        bool xn = x != x, yn = y != y;
        if (desc) return (xn && !yn) || x > y;
        return (!xn && yn) || x < y;
    }
    int64_t x = to_i64(a), y = to_i64(b);
    return desc ? x > y : x < y;
}

template <typename S> TSR_HD bool same_bits(S a, S b) {
    const unsigned char *p = (const unsigned char *)&a, *q = (const unsigned char *)&b;
    for (unsigned i = 0; i < sizeof(S); i++)
        if (p[i] != q[i]) return false;
    return true;
}

// ---- sort ----

template <typename S>
TSR_GLOBAL void k_load(Lines L, const S *in, int64_t is, int64_t n, int64_t per_line, int64_t lines, S *key,
                       int64_t *idx, bool desc) {
    TSR_FOR(t, lines * per_line) {
        int64_t line = t / per_line, lo = (t % per_line) * CHUNK;
        int64_t hi = lo + CHUNK < n ? lo + CHUNK : n;
        const S *src = in + tsr_unravel(L.n, L.shape, L.istride, line);
        S *kk = key + line * n;
        int64_t *ii = idx + line * n;
        for (int64_t i = lo; i < hi; i++) { // stable insertion sort of the chunk
            S x = src[i * is];
            int64_t j = i;
            while (j > lo && before(x, kk[j - 1], desc)) {
                kk[j] = kk[j - 1];
                ii[j] = ii[j - 1];
                j--;
            }
            kk[j] = x;
            ii[j] = i;
        }
    }
}

template <typename S>
TSR_GLOBAL void k_merge(const S *ks, const int64_t *is, S *kd, int64_t *id, int64_t n, int64_t total, int64_t w,
                        bool desc) {
    TSR_FOR(t, total) {
        int64_t base = (t / n) * n, p = t - base;
        int64_t lo = p / (2 * w) * (2 * w);
        int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
        const S *k = ks + base;
        S x = k[p];
        int64_t pos;
        if (p < mid) { // right-run elements strictly before x precede it
            int64_t a = mid, b = hi;
            while (a < b) {
                int64_t m = a + (b - a) / 2;
                if (before(k[m], x, desc)) a = m + 1;
                else b = m;
            }
            pos = p + (a - mid);
        } else { // left-run elements not after x precede it
            int64_t a = lo, b = mid;
            while (a < b) {
                int64_t m = a + (b - a) / 2;
                if (!before(x, k[m], desc)) a = m + 1;
                else b = m;
            }
            pos = (p - mid) + a;
        }
        kd[base + pos] = x;
        id[base + pos] = is[t];
    }
}

// Positions [0, kk) of every sorted line to the output.
template <typename S>
TSR_GLOBAL void k_pick_first(Lines L, const S *key, const int64_t *idx, int64_t n, int64_t kk, int64_t lines,
                             int64_t os, S *vals, int64_t *inds) {
    TSR_FOR(t, lines * kk) {
        int64_t line = t / kk, i = t % kk;
        int64_t o = tsr_unravel(L.n, L.shape, L.ostride, line) + i * os;
        vals[o] = key[line * n + i];
        inds[o] = idx[line * n + i];
    }
}

// One element per line: kth, median or mode.
template <typename S>
TSR_GLOBAL void k_pick_one(Lines L, const S *key, const int64_t *idx, int64_t n, int64_t lines, int pick, int64_t k,
                           S *vals, int64_t *inds) {
    TSR_FOR(line, lines) {
        const S *ks = key + line * n;
        const int64_t *ix = idx + line * n;
        int64_t pos = k, index;
        if (pick == SORT_PICK_MEDIAN) {
            pos = (n - 1) / 2;
            if (is_nan(ks[n - 1])) { // NaNs sort last: the first of them
                int64_t a = 0, b = n - 1;
                while (a < b) {
                    int64_t m = a + (b - a) / 2;
                    if (is_nan(ks[m])) b = m;
                    else a = m + 1;
                }
                pos = a;
            }
        }
        index = ix[pos];
        if (pick == SORT_PICK_MODE) {
            int64_t best = 0, best_len = 0;
            for (int64_t i = 0; i < n;) {
                int64_t j = i + 1;
                while (j < n && same_bits(ks[j], ks[i])) j++;
                if (j - i > best_len) best = i, best_len = j - i;
                i = j;
            }
            pos = best;
            index = ix[best];
            for (int64_t i = best; i < best + best_len; i++)
                if (ix[i] > index) index = ix[i];
        }
        int64_t o = tsr_unravel(L.n, L.shape, L.ostride, line);
        vals[o] = ks[pos];
        inds[o] = index;
    }
}

template <typename S>
KernelStatus sort_select(const Lines &L, int64_t lines, int64_t n, const S *in, int64_t is, bool desc, SortPick pick,
                         int64_t k, int64_t os, S *vals, int64_t *inds, void *scratch) {
    int64_t total = lines * n;
    int64_t *ia = (int64_t *)scratch, *ib = ia + total;
    S *ka = (S *)(ib + total), *kb = ka + total;
    int64_t per_line = (n + CHUNK - 1) / CHUNK;
    void (*load)(Lines, const S *, int64_t, int64_t, int64_t, int64_t, S *, int64_t *, bool) = k_load<S>;
    void (*merge)(const S *, const int64_t *, S *, int64_t *, int64_t, int64_t, int64_t, bool) = k_merge<S>;
    TSR_LAUNCH(load, tsr_blocks(lines * per_line, TSR_MAX_BLOCKS), L, in, is, n, per_line, lines, ka, ia, desc);
    for (int64_t w = CHUNK; w < n; w *= 2) {
        TSR_LAUNCH(merge, tsr_blocks(total, TSR_MAX_BLOCKS), (const S *)ka, (const int64_t *)ia, kb, ib, n, total, w,
                   desc);
        S *tk = ka;
        ka = kb, kb = tk;
        int64_t *ti = ia;
        ia = ib, ib = ti;
    }
    void (*first)(Lines, const S *, const int64_t *, int64_t, int64_t, int64_t, int64_t, S *, int64_t *) =
        k_pick_first<S>;
    void (*one)(Lines, const S *, const int64_t *, int64_t, int64_t, int, int64_t, S *, int64_t *) = k_pick_one<S>;
    if (pick == SORT_PICK_ALL || pick == SORT_PICK_FIRST) {
        int64_t kk = pick == SORT_PICK_ALL ? n : k;
        if (kk > 0)
            TSR_LAUNCH(first, tsr_blocks(lines * kk, TSR_MAX_BLOCKS), L, (const S *)ka, (const int64_t *)ia, n, kk,
                       lines, os, vals, inds);
    } else {
        TSR_LAUNCH(one, tsr_blocks(lines, TSR_MAX_BLOCKS), L, (const S *)ka, (const int64_t *)ia, n, lines, (int)pick,
                   k, vals, inds);
    }
    return KERNEL_OK;
}

// ---- scans along a dim: one thread per line ----

template <typename S>
TSR_GLOBAL void k_cumprod(Lines L, const S *in, int64_t is, S *out, int64_t os, int64_t lines, int64_t len) {
    TSR_FOR(line, lines) {
        const S *p = in + tsr_unravel(L.n, L.shape, L.istride, line);
        S *q = out + tsr_unravel(L.n, L.shape, L.ostride, line);
        if (ScalarInfo<S>::is_float) {
            double acc = 1;
            for (int64_t i = 0; i < len; i++) {
                acc *= to_f64(p[i * is]);
                if (sizeof(S) == 4) acc = (double)(float)acc; // float32 rounds every step
                q[i * os] = from_f64<S>(acc);
            }
        } else {
            uint64_t acc = 1;
            for (int64_t i = 0; i < len; i++) {
                acc *= (uint64_t)to_i64(p[i * is]);
                q[i * os] = from_u64<S>(acc);
            }
        }
    }
}

template <typename S>
TSR_GLOBAL void k_cummaxmin(Lines L, const S *in, int64_t is, S *vals, int64_t *inds, int64_t os, int64_t lines,
                            int64_t len, bool is_max) {
    TSR_FOR(line, lines) {
        const S *p = in + tsr_unravel(L.n, L.shape, L.istride, line);
        int64_t o = tsr_unravel(L.n, L.shape, L.ostride, line);
        S bv = p[0];
        double bf = 0;
        int64_t bi = 0, best = 0;
        for (int64_t k = 0; k < len; k++) {
            S x = p[k * is];
            bool take;
            if (k == 0) {
                take = true;
            } else if (ScalarInfo<S>::is_float) { // PyTorch: isnan(x) || (!isnan(best) && x >= best)
                double xf = to_f64(x);
                take = xf != xf || (bf == bf && (is_max ? xf >= bf : xf <= bf));
            } else {
                int64_t xi = to_i64(x);
                take = is_max ? xi >= bi : xi <= bi;
            }
            if (take) {
                best = k, bv = x;
                if (ScalarInfo<S>::is_float) bf = to_f64(x);
                else bi = to_i64(x);
            }
            vals[o + k * os] = bv;
            inds[o + k * os] = best;
        }
    }
}

// ---- nonzero ----

struct Shape {
    int n;
    int64_t shape[RED_MAX_DIMS], stride[RED_MAX_DIMS];
};

template <typename S> TSR_HD bool nonzero(S v) {
    if (ScalarInfo<S>::is_float) return to_f64(v) != 0;
    return to_i64(v) != 0;
}

template <typename S>
TSR_GLOBAL void k_nz_count(Shape s, const S *in, int64_t numel, int64_t *cnt, int64_t m) {
    TSR_FOR(c, m) {
        int64_t lo = c * NZ_CHUNK, hi = lo + NZ_CHUNK < numel ? lo + NZ_CHUNK : numel, r = 0;
        for (int64_t i = lo; i < hi; i++) r += nonzero(in[tsr_unravel(s.n, s.shape, s.stride, i)]);
        cnt[c] = r;
    }
}

TSR_GLOBAL void k_nz_up(const int64_t *src, int64_t m, int64_t *dst, int64_t m2) {
    TSR_FOR(g, m2) {
        int64_t lo = g * NZ_GROUP, hi = lo + NZ_GROUP < m ? lo + NZ_GROUP : m, r = 0;
        for (int64_t i = lo; i < hi; i++) r += src[i];
        dst[g] = r;
    }
}

// The top level's single count is the total; its offset is 0.
TSR_GLOBAL void k_nz_top(int64_t *top, int64_t *count, int64_t m) {
    TSR_FOR(t, 1) {
        *count = m ? top[0] : 0;
        if (m) top[0] = 0;
    }
}

// Counts of one level to exclusive offsets, from the offsets of the level above.
TSR_GLOBAL void k_nz_down(int64_t *lvl, int64_t m, const int64_t *parent, int64_t m2) {
    TSR_FOR(g, m2) {
        int64_t lo = g * NZ_GROUP, hi = lo + NZ_GROUP < m ? lo + NZ_GROUP : m, off = parent[g];
        for (int64_t i = lo; i < hi; i++) {
            int64_t c = lvl[i];
            lvl[i] = off;
            off += c;
        }
    }
}

template <typename S>
TSR_GLOBAL void k_nz_write(Shape s, const S *in, int64_t numel, const int64_t *off, int64_t m, int64_t *out) {
    TSR_FOR(c, m) {
        int64_t lo = c * NZ_CHUNK, hi = lo + NZ_CHUNK < numel ? lo + NZ_CHUNK : numel, row = off[c];
        for (int64_t i = lo; i < hi; i++) {
            if (!nonzero(in[tsr_unravel(s.n, s.shape, s.stride, i)])) continue;
            int64_t k = i;
            for (int d = s.n - 1; d >= 0; d--) {
                out[row * s.n + d] = k % s.shape[d];
                k /= s.shape[d];
            }
            row++;
        }
    }
}

// Level sizes of the nonzero scan: m[0] chunks, then groups of NZ_GROUP until one.
int nz_levels(int64_t numel, int64_t *m) {
    int L = 0;
    m[L++] = (numel + NZ_CHUNK - 1) / NZ_CHUNK;
    while (m[L - 1] > 1) {
        m[L] = (m[L - 1] + NZ_GROUP - 1) / NZ_GROUP;
        L++;
    }
    return L;
}

bool make_shape(Shape *s, int ndim, const int64_t *shape, const int64_t *stride) {
    if (ndim > RED_MAX_DIMS) return false;
    s->n = ndim;
    for (int i = 0; i < ndim; i++) s->shape[i] = shape[i], s->stride[i] = stride[i];
    return true;
}

} // namespace

extern "C" {

size_t cuda_sort_scratch(DType dt, int ndim, const int64_t *shape, int d) {
    int64_t total = 1;
    for (int i = 0; i < ndim; i++) total *= shape[i];
    return (size_t)total * (2 * sizeof(int64_t) + 2 * dtype_size(dt));
}

KernelStatus cuda_sort_select(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                              const int64_t *in_stride, bool descending, bool stable, SortPick pick, int64_t k, char *values,
                              int64_t *indices, const int64_t *out_stride, void *scratch) {
    if (ndim > RED_MAX_DIMS + 1) return KERNEL_UNSUPPORTED;
    Lines L;
    int64_t lines = make_lines(&L, ndim, shape, d, in_stride, out_stride);
    int64_t n = ndim ? shape[d] : 1, is = ndim ? in_stride[d] : 1, os = ndim ? out_stride[d] : 1;
    if (lines == 0 || n == 0) return KERNEL_OK;
    if (!scratch) return KERNEL_UNSUPPORTED;
    if (pick != SORT_PICK_ALL && pick != SORT_PICK_FIRST && pick != SORT_PICK_KTH && pick != SORT_PICK_MEDIAN &&
        pick != SORT_PICK_MODE)
        return KERNEL_UNSUPPORTED;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        return sort_select<S>(L, lines, n, (const S *)in, is, descending, pick, k, os, (S *)values, indices, scratch);
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_cumprod(DType dt, int ndim, const int64_t *shape, int d, const char *in, const int64_t *in_stride,
                          char *out, const int64_t *out_stride) {
    if (ndim > RED_MAX_DIMS + 1 || dt == DT_BOOL) return KERNEL_UNSUPPORTED;
    Lines L;
    int64_t lines = make_lines(&L, ndim, shape, d, in_stride, out_stride);
    int64_t len = ndim ? shape[d] : 1, is = ndim ? in_stride[d] : 1, os = ndim ? out_stride[d] : 1;
    if (lines == 0 || len == 0) return KERNEL_OK;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        void (*kern)(Lines, const S *, int64_t, S *, int64_t, int64_t, int64_t) = k_cumprod<S>;
        TSR_LAUNCH(kern, tsr_blocks(lines, TSR_MAX_BLOCKS), L, (const S *)in, is, (S *)out, os, lines, len);
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_cummaxmin(DType dt, int ndim, const int64_t *shape, int d, const char *in, const int64_t *in_stride,
                            char *values, int64_t *indices, const int64_t *out_stride, bool is_max) {
    if (ndim > RED_MAX_DIMS + 1) return KERNEL_UNSUPPORTED;
    Lines L;
    int64_t lines = make_lines(&L, ndim, shape, d, in_stride, out_stride);
    int64_t len = ndim ? shape[d] : 1, is = ndim ? in_stride[d] : 1, os = ndim ? out_stride[d] : 1;
    if (lines == 0 || len == 0) return KERNEL_OK;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        void (*kern)(Lines, const S *, int64_t, S *, int64_t *, int64_t, int64_t, int64_t, bool) = k_cummaxmin<S>;
        TSR_LAUNCH(kern, tsr_blocks(lines, TSR_MAX_BLOCKS), L, (const S *)in, is, (S *)values, indices, os, lines,
                   len, is_max);
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

size_t cuda_nonzero_scratch(int64_t numel) {
    int64_t m[64], total = 1; // the count, then every level
    int L = nz_levels(numel, m);
    for (int i = 0; i < L; i++) total += m[i];
    return (size_t)total * sizeof(int64_t);
}

KernelStatus cuda_nonzero_count(DType dt, int ndim, const int64_t *shape, const char *in, const int64_t *in_stride,
                                void *scratch, int64_t **count_dev) {
    Shape s;
    if (!scratch || !make_shape(&s, ndim, shape, in_stride)) return KERNEL_UNSUPPORTED;
    int64_t numel = 1;
    for (int i = 0; i < ndim; i++) numel *= shape[i];
    int64_t m[64];
    int L = nz_levels(numel, m);
    int64_t *count = (int64_t *)scratch, *lvl[64];
    lvl[0] = count + 1;
    for (int i = 1; i < L; i++) lvl[i] = lvl[i - 1] + m[i - 1];
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        void (*kc)(Shape, const S *, int64_t, int64_t *, int64_t) = k_nz_count<S>;
        if (m[0] > 0) TSR_LAUNCH(kc, tsr_blocks(m[0], TSR_MAX_BLOCKS), s, (const S *)in, numel, lvl[0], m[0]);
        for (int i = 1; i < L; i++)
            TSR_LAUNCH(k_nz_up, tsr_blocks(m[i], TSR_MAX_BLOCKS), (const int64_t *)lvl[i - 1], m[i - 1], lvl[i], m[i]);
        TSR_LAUNCH(k_nz_top, 1, lvl[L - 1], count, m[L - 1]);
        for (int i = L - 1; i > 0; i--)
            TSR_LAUNCH(k_nz_down, tsr_blocks(m[i], TSR_MAX_BLOCKS), lvl[i - 1], m[i - 1], (const int64_t *)lvl[i], m[i]);
        *count_dev = count;
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

KernelStatus cuda_nonzero_write(DType dt, int ndim, const int64_t *shape, const char *in, const int64_t *in_stride,
                                void *scratch, int64_t *out) {
    Shape s;
    if (!scratch || !make_shape(&s, ndim, shape, in_stride)) return KERNEL_UNSUPPORTED;
    int64_t numel = 1;
    for (int i = 0; i < ndim; i++) numel *= shape[i];
    int64_t m0 = (numel + NZ_CHUNK - 1) / NZ_CHUNK;
    if (m0 == 0 || ndim == 0) return KERNEL_OK;
    const int64_t *off = (const int64_t *)scratch + 1;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        void (*kw)(Shape, const S *, int64_t, const int64_t *, int64_t, int64_t *) = k_nz_write<S>;
        TSR_LAUNCH(kw, tsr_blocks(m0, TSR_MAX_BLOCKS), s, (const S *)in, numel, off, m0, out);
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

} // extern "C"
