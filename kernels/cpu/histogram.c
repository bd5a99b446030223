/* histogram.c: bincount, histogram and searchsorted loops (see
 * histogram.h). Arithmetic is in the input's dtype, reduced float types
 * rounded after every operation, as c10::Half / BFloat16 arithmetic is. PyTorch 1.13 skips
 * only elements below or above the edges, so NaN lands in a bin: the
 * last one under binary search (upper_bound finds no edge above it), and
 * where its kernel's wrapped pointer arithmetic leaves it otherwise. */
#include <math.h>
#include <string.h>

#include "histogram.h"

void kernel_bincount(DType dt, int64_t n, const void *in, DType wdt, const void *w, void *out) {
    size_t es = dtype_size(dt);
    for (int64_t i = 0; i < n; i++) {
        int64_t k = dtype_load_i64(dt, (const char *)in + i * es);
        if (!w) ((int64_t *)out)[k] += 1;
        else if (wdt == DT_FLOAT32) ((float *)out)[k] += ((const float *)w)[i];
        else ((double *)out)[k] += ((const double *)w)[i];
    }
}

/* x rounded to dt (float16/bfloat16: through a store) */
static double rnd(DType dt, double x) {
    if (dt == DT_FLOAT64) return x;
    if (dt == DT_FLOAT32) return (float)x;
    char b[8];
    dtype_store_f64(dt, b, x);
    return dtype_load_f64(dt, b);
}

/* std::upper_bound over e[lo, hi) */
static int64_t upper(const double *e, int64_t lo, int64_t hi, double x) {
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (!(x < e[mid])) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* x's bin among the nedges edges (1.13's histogramdd_cpu_contiguous for
 * one dimension), -1 when x is outside them */
static int64_t hist_pos(DType dt, double x, const void *edges, int64_t nedges, HistAlgorithm alg) {
    size_t es = dtype_size(dt);
    int64_t nb = nedges - 1;
    double near[3]; /* the local search's edges (exact as doubles) */
    double lo = dtype_load_f64(dt, edges), hi = dtype_load_f64(dt, (const char *)edges + nb * es);
    if (x < lo || x > hi) return -1; /* 1.13 keeps NaN: see below */
    int64_t pos;
    if (isnan(x) && alg != HIST_BINARY_SEARCH) {
        /* (int64_t)NaN is INT64_MIN, and the index arithmetic wraps:
         * the linear kernel writes bin 0, the local search ends at
         * bin 1 */
        pos = alg == HIST_LINEAR ? 0 : 1;
    } else if (alg == HIST_BINARY_SEARCH) {
        int64_t a = 0, b = nedges; /* upper_bound, reading edges in place */
        while (a < b) {
            int64_t mid = a + (b - a) / 2;
            if (!(x < dtype_load_f64(dt, (const char *)edges + mid * es))) a = mid + 1;
            else b = mid;
        }
        pos = a - 1;
    } else {
        /* 1.13: (elt - leftmost) / (rightmost - leftmost) * (edges - 1) in dt */
        pos = (int64_t)rnd(dt, rnd(dt, rnd(dt, x - lo) / rnd(dt, hi - lo)) * rnd(dt, (double)nb));
        if (alg == HIST_LINEAR_LOCAL_SEARCH) {
            int64_t pmin = pos - 1 > 0 ? pos - 1 : 0, pmax = pos + 2 < nedges ? pos + 2 : nedges;
            int64_t cnt = pmax - pmin;
            for (int64_t k = 0; k < cnt; k++) near[k] = dtype_load_f64(dt, (const char *)edges + (pmin + k) * es);
            pos = pmin + upper(near, 0, cnt, x) - 1;
        }
    }
    if (pos == nb) pos -= 1;
    return pos;
}

void kernel_histogramdd(DType dt, int64_t n, int64_t D, const void *in, const void *w, const void *const *edges,
                        const int64_t *nedges, HistAlgorithm alg, void *hist) {
    size_t es = dtype_size(dt);
    int64_t total = 1;
    for (int64_t d = 0; d < D; d++) total *= nedges[d] - 1;
    memset(hist, 0, (size_t)total * es);
    for (int64_t i = 0; i < n; i++) {
        int64_t at = 0;
        bool skip = false;
        for (int64_t d = 0; d < D && !skip; d++) {
            int64_t pos = hist_pos(dt, dtype_load_f64(dt, (const char *)in + (i * D + d) * es), edges[d], nedges[d], alg);
            skip = pos < 0;
            at = at * (nedges[d] - 1) + pos;
        }
        if (skip) continue;
        char *h = (char *)hist + at * es;
        double wt = w ? dtype_load_f64(dt, (const char *)w + i * es) : 1.0;
        dtype_store_f64(dt, h, rnd(dt, dtype_load_f64(dt, h) + wt));
    }
}

void kernel_histogram(DType dt, int64_t n, const void *in, const void *w, const void *edges, int64_t nedges,
                      HistAlgorithm alg, void *hist) {
    kernel_histogramdd(dt, n, 1, in, w, &edges, &nedges, alg, hist);
}

void kernel_searchsorted(DType dt, int64_t n, const void *in, int64_t in_inner, const void *bd, int64_t nbd,
                         bool bd_1d, const int64_t *sorter, bool right, DType out_dt, void *out) {
    size_t es = dtype_size(dt);
    bool fl = dtype_is_float(dt);
    for (int64_t i = 0; i < n; i++) {
        int64_t start = bd_1d ? 0 : i / in_inner * nbd, end = start + nbd, pos;
        const char *p = (const char *)in + i * es;
        /* cus_lower_bound / cus_upper_bound; a sorter's indices are
         * relative to the run */
        int64_t orig = sorter ? start : 0, a = start, b = end;
        while (a < b) {
            int64_t mid = a + ((b - a) >> 1);
            int64_t at = sorter ? sorter[mid] + orig : mid;
            const char *q = (const char *)bd + at * es;
            bool go_right;
            if (fl) {
                double m = dtype_load_f64(dt, q), v = dtype_load_f64(dt, p);
                go_right = right ? !(m > v) : !(m >= v);
            } else {
                int64_t m = dtype_load_i64(dt, q), v = dtype_load_i64(dt, p);
                go_right = right ? !(m > v) : !(m >= v);
            }
            if (go_right) a = mid + 1;
            else b = mid;
        }
        pos = a - start;
        if (out_dt == DT_INT32) ((int32_t *)out)[i] = (int32_t)pos;
        else ((int64_t *)out)[i] = pos;
    }
}
