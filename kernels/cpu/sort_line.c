/* sort_line.c: the order of one line of a sort, as PyTorch's CPU kernels
 * make it: sort(stable=False) is libstdc++'s std::sort over (key, index)
 * pairs, emulated step for step; stable sorts are an LSD radix sort of
 * order-preserving keys (a merge sort for short lines and dtypes without
 * keys); topk is std::partial_sort or std::nth_element, kthvalue
 * PyTorch's quickselect. */
#include "sort_line.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* a before b in the sort order (ascending: NaN last) */
static bool sort_less(DType dt, const char *a, const char *b, bool descending) {
    if (dtype_is_float(dt)) {
        double x = dtype_load_f64(dt, a), y = dtype_load_f64(dt, b);
        if (descending) return (isnan(x) && !isnan(y)) || x > y;
        return (!isnan(x) && isnan(y)) || x < y;
    }
    int64_t x = dtype_load_i64(dt, a), y = dtype_load_i64(dt, b);
    return descending ? x > y : x < y;
}

/* The order-preserving unsigned key of an element: comparing keys as
 * unsigned integers is sort_less (ascending). -0.0 keys as +0.0 (they
 * compare equal, so the stable order keeps them as they came) and every
 * NaN as the largest key. Half and bfloat16 key as their float32 value. */
static uint64_t f32_key(float x) {
    if (isnan(x)) return 0xFFFFFFFFu;
    if (x == 0) x = 0; /* -0.0 -> +0.0 */
    uint32_t u;
    memcpy(&u, &x, 4);
    return (u & 0x80000000u) ? (uint32_t)~u : (u | 0x80000000u);
}

static uint64_t f64_key(double x) {
    if (isnan(x)) return UINT64_MAX;
    if (x == 0) x = 0;
    uint64_t u;
    memcpy(&u, &x, 8);
    return (u & 0x8000000000000000u) ? ~u : (u | 0x8000000000000000u);
}

/* The key of element p and the key's width in bytes (0: no radix key). */
static int elem_key(DType dt, const char *p, uint64_t *key) {
    switch (dt) {
    case DT_FLOAT32: *key = f32_key(*(const float *)p); return 4;
    case DT_FLOAT16:
    case DT_BFLOAT16: *key = f32_key((float)dtype_load_f64(dt, p)); return 4;
    case DT_FLOAT64: *key = f64_key(*(const double *)p); return 8;
    case DT_BOOL:
    case DT_UINT8: *key = *(const uint8_t *)p; return 1;
    case DT_INT8: *key = (uint8_t)(*(const uint8_t *)p ^ 0x80u); return 1;
    case DT_INT16: *key = (uint16_t)(*(const uint16_t *)p ^ 0x8000u); return 2;
    case DT_INT32: *key = (uint32_t)(*(const uint32_t *)p ^ 0x80000000u); return 4;
    case DT_INT64: *key = *(const uint64_t *)p ^ 0x8000000000000000u; return 8;
    default: return 0;
    }
}

/* One stable counting pass of LSD radix sort on the byte of src[i] >>
 * shift (with payload sidx when not NULL). False when every record has
 * the same byte (nothing moved). */
static bool radix_pass(const uint64_t *src, uint64_t *dst, const int64_t *sidx, int64_t *didx, int64_t n,
                       int shift) {
    int64_t count[256] = {0};
    for (int64_t i = 0; i < n; i++) count[(src[i] >> shift) & 0xFF]++;
    if (count[(src[0] >> shift) & 0xFF] == n) return false;
    int64_t pos = 0;
    for (int b = 0; b < 256; b++) {
        int64_t c = count[b];
        count[b] = pos;
        pos += c;
    }
    for (int64_t i = 0; i < n; i++) {
        int64_t at = count[(src[i] >> shift) & 0xFF]++;
        dst[at] = src[i];
        if (sidx) didx[at] = sidx[i];
    }
    return true;
}

/* Radix sort of positions into a (perm's first n) by element keys; perm
 * has 4n slots. Keys of up to 4 bytes travel packed above their 32-bit
 * position; wider keys beside a position array. LSD radix is stable, so
 * equal keys keep their positions' order, as the merge sort does.
 * Returns early when Ctrl-C was pressed (the op raises). */
static void radix_sort_positions(DType dt, const char *in, int64_t in_stride, int64_t n, bool descending,
                                 int64_t *perm, int width) {
    int64_t es = (int64_t)dtype_size(dt);
    uint64_t *k0 = (uint64_t *)perm, *k1 = k0 + n;
    uint64_t flip = descending ? UINT64_MAX : 0;
    if (width <= 4) {
        uint64_t mask = width == 4 ? 0xFFFFFFFFu : ((uint64_t)1 << (8 * width)) - 1;
        for (int64_t i = 0; i < n; i++) {
            uint64_t key;
            if ((i & 0xFFFFF) == 0 && tsr_interrupted) return;
            elem_key(dt, in + i * in_stride * es, &key);
            k0[i] = (((key ^ flip) & mask) << 32) | (uint64_t)i;
        }
        for (int b = 0; b < width; b++) {
            if (tsr_interrupted) return;
            if (radix_pass(k0, k1, NULL, NULL, n, 32 + 8 * b)) {
                uint64_t *t = k0;
                k0 = k1, k1 = t;
            }
        }
        for (int64_t i = 0; i < n; i++) perm[i] = (int64_t)(k0[i] & 0xFFFFFFFFu); /* k0 may alias perm */
        return;
    }
    int64_t *i0 = perm + 2 * n, *i1 = perm + 3 * n;
    for (int64_t i = 0; i < n; i++) {
        elem_key(dt, in + i * in_stride * es, &k0[i]);
        k0[i] ^= flip;
        i0[i] = i;
    }
    for (int b = 0; b < 8; b++) {
        if (tsr_interrupted) return;
        if (radix_pass(k0, k1, i0, i1, n, 8 * b)) {
            uint64_t *t = k0;
            k0 = k1, k1 = t;
            int64_t *u = i0;
            i0 = i1, i1 = u;
        }
    }
    memmove(perm, i0, sizeof(int64_t) * (size_t)n);
}

/* ---- libstdc++'s std::sort (bits/stl_algo.h), step for step ----
 * PyTorch's CPU sort(stable=False) runs std::sort over (value, index)
 * pairs, so which of two equal elements comes first is decided by this
 * algorithm: introsort (median-of-three pivot into the first slot,
 * unguarded partition, heapsort past 2*floor(log2 n) levels) on ranges
 * over 16 elements, then one insertion sort. Elements are (key, index)
 * pairs compared by key alone. The recursion is bounded by the depth
 * limit (at most 2*63 levels). */
typedef struct {
    uint64_t *k;
    int64_t *ix;
} Pairs;

#define PAIR_LESS(P, i, j) ((P).k[i] < (P).k[j])
static void pair_swap(Pairs p, int64_t i, int64_t j) {
    uint64_t tk = p.k[i];
    int64_t ti = p.ix[i];
    p.k[i] = p.k[j], p.ix[i] = p.ix[j];
    p.k[j] = tk, p.ix[j] = ti;
}
static void pair_move(Pairs p, int64_t to, int64_t from) { p.k[to] = p.k[from], p.ix[to] = p.ix[from]; }

static void std_push_heap(Pairs p, int64_t first, int64_t hole, int64_t top, uint64_t vk, int64_t vi) {
    int64_t parent = (hole - 1) / 2;
    while (hole > top && p.k[first + parent] < vk) {
        pair_move(p, first + hole, first + parent);
        hole = parent;
        parent = (hole - 1) / 2;
    }
    p.k[first + hole] = vk, p.ix[first + hole] = vi;
}

static void std_adjust_heap(Pairs p, int64_t first, int64_t hole, int64_t len, uint64_t vk, int64_t vi) {
    int64_t top = hole, child = hole;
    while (child < (len - 1) / 2) {
        child = 2 * (child + 1);
        if (PAIR_LESS(p, first + child, first + child - 1)) child--;
        pair_move(p, first + hole, first + child);
        hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
        child = 2 * (child + 1);
        pair_move(p, first + hole, first + child - 1);
        hole = child - 1;
    }
    std_push_heap(p, first, hole, top, vk, vi);
}

static void std_make_heap(Pairs p, int64_t first, int64_t last) {
    int64_t len = last - first;
    if (len < 2) return;
    for (int64_t parent = (len - 2) / 2;; parent--) {
        std_adjust_heap(p, first, parent, len, p.k[first + parent], p.ix[first + parent]);
        if (parent == 0) return;
    }
}

static void std_pop_heap(Pairs p, int64_t first, int64_t last, int64_t result) {
    uint64_t vk = p.k[result];
    int64_t vi = p.ix[result];
    pair_move(p, result, first);
    std_adjust_heap(p, first, 0, last - first, vk, vi);
}

static void std_heap_select(Pairs p, int64_t first, int64_t middle, int64_t last) {
    std_make_heap(p, first, middle);
    for (int64_t i = middle; i < last; i++)
        if (p.k[i] < p.k[first]) std_pop_heap(p, first, middle, i);
}

static void std_sort_heap(Pairs p, int64_t first, int64_t last) {
    while (last - first > 1) {
        last--;
        std_pop_heap(p, first, last, last);
    }
}

/* std::partial_sort */
static void std_partial_sort(Pairs p, int64_t first, int64_t middle, int64_t last) {
    std_heap_select(p, first, middle, last);
    std_sort_heap(p, first, middle);
}

static void std_move_median_to_first(Pairs p, int64_t result, int64_t a, int64_t b, int64_t c) {
    if (PAIR_LESS(p, a, b)) {
        if (PAIR_LESS(p, b, c)) pair_swap(p, result, b);
        else if (PAIR_LESS(p, a, c)) pair_swap(p, result, c);
        else pair_swap(p, result, a);
    } else if (PAIR_LESS(p, a, c)) {
        pair_swap(p, result, a);
    } else if (PAIR_LESS(p, b, c)) {
        pair_swap(p, result, c);
    } else {
        pair_swap(p, result, b);
    }
}

static int64_t std_unguarded_partition(Pairs p, int64_t first, int64_t last, int64_t pivot) {
    for (;;) {
        while (PAIR_LESS(p, first, pivot)) first++;
        last--;
        while (PAIR_LESS(p, pivot, last)) last--;
        if (!(first < last)) return first;
        pair_swap(p, first, last);
        first++;
    }
}

static int floor_lg(int64_t n) {
    int lg = 0;
    while (((uint64_t)n >> (lg + 1)) != 0) lg++;
    return lg;
}

static void std_introsort_loop(Pairs p, int64_t first, int64_t last, int depth_limit) {
    while (last - first > 16) {
        if (tsr_interrupted) return;
        if (depth_limit == 0) {
            std_partial_sort(p, first, last, last);
            return;
        }
        depth_limit--;
        int64_t mid = first + (last - first) / 2;
        std_move_median_to_first(p, first, first + 1, mid, last - 1);
        int64_t cut = std_unguarded_partition(p, first + 1, last, first);
        std_introsort_loop(p, cut, last, depth_limit);
        last = cut;
    }
}

static void std_unguarded_linear_insert(Pairs p, int64_t last) {
    uint64_t vk = p.k[last];
    int64_t vi = p.ix[last], next = last - 1;
    while (vk < p.k[next]) {
        pair_move(p, last, next);
        last = next--;
    }
    p.k[last] = vk, p.ix[last] = vi;
}

static void std_insertion_sort(Pairs p, int64_t first, int64_t last) {
    if (first == last) return;
    for (int64_t i = first + 1; i != last; i++) {
        if (PAIR_LESS(p, i, first)) {
            uint64_t vk = p.k[i];
            int64_t vi = p.ix[i];
            memmove(p.k + first + 1, p.k + first, sizeof(uint64_t) * (size_t)(i - first));
            memmove(p.ix + first + 1, p.ix + first, sizeof(int64_t) * (size_t)(i - first));
            p.k[first] = vk, p.ix[first] = vi;
        } else {
            std_unguarded_linear_insert(p, i);
        }
    }
}

static void std_sort(Pairs p, int64_t n) {
    if (n == 0) return;
    std_introsort_loop(p, 0, n, 2 * floor_lg(n));
    if (tsr_interrupted) return;
    if (n > 16) {
        std_insertion_sort(p, 0, 16);
        for (int64_t i = 16; i != n; i++) std_unguarded_linear_insert(p, i);
    } else {
        std_insertion_sort(p, 0, n);
    }
}
/* std::nth_element (introselect) */
static void std_nth_element(Pairs p, int64_t first, int64_t nth, int64_t last) {
    if (first == last || nth == last) return;
    int depth_limit = 2 * floor_lg(last - first);
    while (last - first > 3) {
        if (depth_limit == 0) {
            std_heap_select(p, first, nth + 1, last);
            pair_swap(p, first, nth);
            return;
        }
        depth_limit--;
        int64_t mid = first + (last - first) / 2;
        std_move_median_to_first(p, first, first + 1, mid, last - 1);
        int64_t cut = std_unguarded_partition(p, first + 1, last, first);
        if (cut <= nth) first = cut;
        else last = cut;
    }
    std_insertion_sort(p, first, last);
}
#undef PAIR_LESS

int64_t kernel_nanmedian_line(DType dt, const char *sorted, int64_t stride, const int64_t *sorted_idx,
                              int64_t idx_stride, int64_t n, int64_t *perm, int64_t *index) {
    int64_t es = (int64_t)dtype_size(dt), m = n;
    if (dtype_is_float(dt))
        while (m > 0 && isnan(dtype_load_f64(dt, sorted + (m - 1) * stride * es))) m--;
    if (m > 0) { /* (value, index) is a total order there: the sorted position */
        int64_t pos = (m - 1) / 2;
        *index = sorted_idx[pos * idx_stride];
        return pos;
    }
    Pairs p = {(uint64_t *)perm, perm + n};
    for (int64_t i = 0; i < n; i++) {
        p.k[i] = 0;
        p.ix[i] = i;
    }
    std_nth_element(p, 0, 0, n);
    *index = p.ix[0];
    return 0;
}

/* PyTorch 1.13's topk on one line (topk_impl_loop): (value, index) pairs
 * ordered by std::partial_sort when k * 64 <= n, else std::nth_element
 * at k - 1 followed, when sorted, by std::sort of the first k - 1; NaN
 * counts as the largest. Writes k values and indices; perm is scratch of
 * 4n int64. */
void kernel_topk_line(DType dt, const char *in, int64_t in_stride, int64_t n, int64_t k, bool largest,
                      bool sorted, char *values, int64_t val_stride, int64_t *indices, int64_t idx_stride,
                      int64_t *perm) {
    int64_t es = (int64_t)dtype_size(dt);
    Pairs p = {(uint64_t *)perm, perm + n};
    uint64_t flip = largest ? UINT64_MAX : 0;
    if (k == 0) return;
    for (int64_t i = 0; i < n; i++) {
        elem_key(dt, in + i * in_stride * es, &p.k[i]);
        p.k[i] ^= flip;
        p.ix[i] = i;
    }
    if (k * 64 <= n) {
        std_partial_sort(p, 0, k, n);
    } else {
        std_nth_element(p, 0, k - 1, n);
        if (sorted) std_sort(p, k - 1);
    }
    for (int64_t j = 0; j < k; j++) {
        memcpy(values + j * val_stride * es, in + p.ix[j] * in_stride * es, (size_t)es);
        indices[j * idx_stride] = p.ix[j];
    }
}

/* PyTorch's kthvalue on one line: its quick_select_template
 * (SortingUtils.h: median-of-three pivot, Hoare partition, NaN largest)
 * over (value, index) pairs; returns the position of the k-th smallest
 * (0-based k). perm is scratch of 4*n int64. */
int64_t kernel_kthvalue_line(DType dt, const char *in, int64_t in_stride, int64_t n, int64_t k, int64_t *perm) {
    int64_t es = (int64_t)dtype_size(dt);
    Pairs p = {(uint64_t *)perm, perm + n};
    for (int64_t i = 0; i < n; i++) {
        elem_key(dt, in + i * in_stride * es, &p.k[i]);
        p.ix[i] = i;
    }
    int64_t L = 0, R = n - 1;
    for (;;) {
        if (R <= L) break;
        if (R == L + 1) {
            if (p.k[L] > p.k[R]) pair_swap(p, L, R);
            break;
        }
        int64_t P = L + (R - L) / 2;
        pair_swap(p, P, L + 1);
        if (p.k[L + 1] > p.k[R]) pair_swap(p, L + 1, R);
        if (p.k[L] > p.k[R]) pair_swap(p, L, R);
        if (p.k[L + 1] > p.k[L]) pair_swap(p, L + 1, L);
        int64_t i = L + 1, j = R;
        uint64_t piv = p.k[L];
        for (;;) {
            do i++;
            while (piv > p.k[i]);
            do j--;
            while (p.k[j] > piv);
            if (j < i) break;
            pair_swap(p, i, j);
        }
        pair_swap(p, L, j);
        if (j <= k) L = i;
        if (j >= k) R = j - 1;
    }
    return p.ix[k];
}

void kernel_sort_line(DType dt, const char *in, int64_t in_stride, char *values,
                      int64_t val_stride, int64_t *indices, int64_t idx_stride, int64_t n,
                      bool descending, bool stable, int64_t *perm) {
    int64_t es = (int64_t)dtype_size(dt);
    int64_t *a = perm, *tmp = perm + n;
    uint64_t key;
    int width = n > 0 ? elem_key(dt, in, &key) : 0;
    if (!stable && width > 0) {
        Pairs p = {(uint64_t *)perm + n, perm + 2 * n};
        uint64_t flip = descending ? UINT64_MAX : 0;
        for (int64_t i = 0; i < n; i++) {
            if ((i & 0xFFFFF) == 0 && tsr_interrupted) return;
            elem_key(dt, in + i * in_stride * es, &p.k[i]);
            p.k[i] ^= flip;
            p.ix[i] = i;
        }
        std_sort(p, n);
        memcpy(a, p.ix, sizeof(int64_t) * (size_t)n);
    } else if (n >= 256 && width > 0 && (width == 8 || n <= 0xFFFFFFFFll)) {
        radix_sort_positions(dt, in, in_stride, n, descending, perm, width);
    } else {
        for (int64_t i = 0; i < n; i++) a[i] = i;
        /* bottom-up stable merge sort of positions */
        for (int64_t w = 1; w < n; w *= 2) {
            if (tsr_interrupted) return;
            for (int64_t lo = 0; lo < n; lo += 2 * w) {
                int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
                int64_t i = lo, j = mid, k = lo;
                while (i < mid && j < hi) {
                    if (sort_less(dt, in + a[j] * in_stride * es, in + a[i] * in_stride * es, descending))
                        tmp[k++] = a[j++];
                    else
                        tmp[k++] = a[i++];
                }
                while (i < mid) tmp[k++] = a[i++];
                while (j < hi) tmp[k++] = a[j++];
            }
            memcpy(a, tmp, sizeof(int64_t) * n);
        }
    }
    if (tsr_interrupted) return; /* a[] may be half written */
    for (int64_t i = 0; i < n; i++) indices[i * idx_stride] = a[i];
#define GATHER(T)                                                                                  \
    for (int64_t i = 0; i < n; i++) ((T *)values)[i * val_stride] = ((const T *)in)[a[i] * in_stride]; \
    break
    switch (es) {
    case 1: GATHER(uint8_t);
    case 2: GATHER(uint16_t);
    case 4: GATHER(uint32_t);
    case 8: GATHER(uint64_t);
    default:
        for (int64_t i = 0; i < n; i++)
            memcpy(values + i * val_stride * es, in + a[i] * in_stride * es, (size_t)es);
    }
#undef GATHER
}

