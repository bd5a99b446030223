/* sort.c: the CPU scan and selection loops (sort.h). */
#include "sort.h"

#include <math.h>
#include <string.h>

#include "lines.h"
#include "reduce.h"
#include "sort_line.h"
#include "error.h"
#include "complex_ops.h"

static bool elem_nonzero(DType dt, const char *p) {
    switch (dt) {
    case DT_FLOAT32: return *(const float *)p != 0;
    case DT_FLOAT64: return *(const double *)p != 0;
    case DT_COMPLEX64: return ((const float *)p)[0] != 0 || ((const float *)p)[1] != 0;
    case DT_COMPLEX128: return ((const double *)p)[0] != 0 || ((const double *)p)[1] != 0;
    case DT_FLOAT16:
    case DT_BFLOAT16: return dtype_load_f64(dt, p) != 0;
    default: break;
    }
    for (size_t i = 0; i < dtype_size(dt); i++)
        if (p[i]) return true;
    return false;
}

/* Row-major coordinates c and element offset off over (ndim, shape,
 * stride). */
typedef struct {
    int ndim;
    const int64_t *shape, *stride;
    int64_t c[KERNEL_MAX_DIMS], off;
} Coords;

static int64_t coords_init(Coords *w, int ndim, const int64_t *shape, const int64_t *stride) {
    int64_t n = 1;
    w->ndim = ndim, w->shape = shape, w->stride = stride, w->off = 0;
    for (int d = 0; d < ndim; d++) w->c[d] = 0, n *= shape[d];
    return n;
}

static void coords_next(Coords *w) {
    for (int d = w->ndim - 1; d >= 0; d--) {
        w->off += w->stride[d];
        if (++w->c[d] < w->shape[d]) return;
        w->off -= w->stride[d] * w->shape[d];
        w->c[d] = 0;
    }
}

size_t kernel_nonzero_scratch(int64_t numel) { return sizeof(int64_t); }

KernelStatus kernel_nonzero_count(DType dt, int ndim, const int64_t *shape, const char *in,
                                  const int64_t *in_stride, void *scratch, int64_t **count_dev) {
    Coords w;
    int64_t n = coords_init(&w, ndim, shape, in_stride), es = (int64_t)dtype_size(dt), count = 0;
    for (int64_t i = 0; i < n; i++, coords_next(&w)) count += elem_nonzero(dt, in + w.off * es);
    *count_dev = (int64_t *)scratch;
    **count_dev = count;
    return KERNEL_OK;
}

KernelStatus kernel_nonzero_write(DType dt, int ndim, const int64_t *shape, const char *in,
                                  const int64_t *in_stride, void *scratch, int64_t *out) {
    Coords w;
    int64_t n = coords_init(&w, ndim, shape, in_stride), es = (int64_t)dtype_size(dt);
    for (int64_t i = 0; i < n; i++, coords_next(&w)) {
        if (!elem_nonzero(dt, in + w.off * es)) continue;
        for (int d = 0; d < ndim; d++) out[d] = w.c[d];
        out += ndim;
    }
    return KERNEL_OK;
}

KernelStatus kernel_cumprod(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                            const int64_t *in_stride, char *out, const int64_t *out_stride) {
    int64_t n = line_length(ndim, shape, d), lines = line_count(ndim, shape, d), es = (int64_t)dtype_size(dt);
    int64_t ist = line_stride(ndim, in_stride, d) * es, ost = line_stride(ndim, out_stride, d) * es;
    for (int64_t k = 0; k < lines; k++) {
        const char *p = in + line_offset(ndim, shape, d, in_stride, k) * es;
        char *q = out + line_offset(ndim, shape, d, out_stride, k) * es;
        if (dtype_is_complex(dt)) { /* acc_type: complex<double>, c10's fused product */
            tsr_cdouble acc = {1, 0};
            for (int64_t i = 0; i < n; i++) {
                tsr_cdouble x;
                dtype_convert_complex(DT_COMPLEX128, &x, dt, p + i * ist);
                acc = cd_mul_s(acc, x);
                dtype_convert_complex(dt, q + i * ost, DT_COMPLEX128, &acc);
            }
        } else if (dt == DT_FLOAT64 || dt == DT_FLOAT32 || !dtype_is_integral(dt, true)) {
            double acc = 1;
            for (int64_t i = 0; i < n; i++) {
                acc *= dtype_load_f64(dt, p + i * ist);
                dtype_store_f64(dt, q + i * ost, acc);
            }
        } else {
            int64_t acc = 1;
            for (int64_t i = 0; i < n; i++) {
                acc = (int64_t)((uint64_t)acc * (uint64_t)dtype_load_i64(dt, p + i * ist));
                dtype_store_i64(dt, q + i * ost, acc);
            }
        }
    }
    return KERNEL_OK;
}

KernelStatus kernel_cummaxmin(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                              const int64_t *in_stride, char *values, int64_t *indices,
                              const int64_t *out_stride, bool is_max) {
    int64_t n = line_length(ndim, shape, d), lines = line_count(ndim, shape, d), es = (int64_t)dtype_size(dt);
    int64_t ist = line_stride(ndim, in_stride, d), ost = line_stride(ndim, out_stride, d);
    bool fl = dtype_is_float(dt);
    for (int64_t l = 0; l < lines; l++) {
        const char *p = in + line_offset(ndim, shape, d, in_stride, l) * es;
        int64_t o = line_offset(ndim, shape, d, out_stride, l), best = 0, bi = 0;
        double bf = 0;
        for (int64_t k = 0; k < n; k++) {
            const char *x = p + k * ist * es;
            bool take;
            if (k == 0) {
                take = true;
            } else if (fl) {
                double v = dtype_load_f64(dt, x);
                /* PyTorch: isnan(x) || (!isnan(out) && x >= out) (<= for min) */
                take = isnan(v) || (!isnan(bf) && (is_max ? v >= bf : v <= bf));
            } else {
                int64_t v = dtype_load_i64(dt, x);
                take = is_max ? v >= bi : v <= bi;
            }
            if (take) {
                best = k;
                if (fl) bf = dtype_load_f64(dt, x);
                else bi = dtype_load_i64(dt, x);
            }
            memcpy(values + (o + k * ost) * es, p + best * ist * es, (size_t)es);
            indices[o + k * ost] = best;
        }
    }
    return KERNEL_OK;
}

size_t kernel_sort_scratch(DType dt, int ndim, const int64_t *shape, int d) {
    /* one line: its values, indices and kernel_sort_line's 4n of perm */
    return (size_t)line_length(ndim, shape, d) * (5 * sizeof(int64_t) + dtype_size(dt));
}

/* The lower median of a sorted line; a NaN anywhere makes it that NaN. */
static int64_t median_pos(DType dt, const char *sv, int64_t n, int64_t es) {
    int64_t k = (n - 1) / 2;
    if (dtype_is_float(dt) && isnan(dtype_load_f64(dt, sv + (n - 1) * es))) {
        k = n - 1;
        while (k > 0 && isnan(dtype_load_f64(dt, sv + (k - 1) * es))) k--;
    }
    return k;
}

/* == of two elements: floats by value (NaN equals nothing) */
static bool elem_equal(DType dt, const char *x, const char *y, int64_t es) {
    if (dtype_is_float(dt)) return dtype_load_f64(dt, x) == dtype_load_f64(dt, y);
    return !memcmp(x, y, (size_t)es);
}

/* The mode of a line in std::sort's order, as PyTorch's mode_kernel
 * finds it: the first longest run of equal values; *index the original
 * index of the run's last element in that order. */
static int64_t mode_pos(DType dt, const char *sv, const int64_t *si, int64_t n, int64_t es, int64_t *index) {
    int64_t best = 0, best_len = 0;
    for (int64_t i = 0; i < n;) {
        int64_t j = i + 1;
        while (j < n && elem_equal(dt, sv + j * es, sv + (j - 1) * es, es)) j++;
        if (j - i > best_len) best = i, best_len = j - i;
        i = j;
    }
    *index = si[best + best_len - 1];
    return best;
}

KernelStatus kernel_sort_select(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                                const int64_t *in_stride, bool descending, bool stable, SortPick pick,
                                int64_t k, char *values, int64_t *indices, const int64_t *out_stride,
                                void *scratch) {
    int64_t n = line_length(ndim, shape, d), lines = line_count(ndim, shape, d), es = (int64_t)dtype_size(dt);
    int64_t ist = line_stride(ndim, in_stride, d), ost = line_stride(ndim, out_stride, d);
    int64_t *si = scratch, *perm = si + n;
    char *sv = (char *)(perm + 4 * n);
    for (int64_t l = 0; l < lines && !tsr_interrupted; l++) {
        const char *line = in + line_offset(ndim, shape, d, in_stride, l) * es;
        int64_t o = line_offset(ndim, shape, d, out_stride, l);
        if (pick == SORT_PICK_FIRST || pick == SORT_PICK_FIRST_UNSORTED) {
            kernel_topk_line(dt, line, ist, n, k, descending, pick == SORT_PICK_FIRST, values + o * es, ost,
                             indices + o, ost, perm);
            continue;
        }
        if (pick == SORT_PICK_KTH) {
            int64_t at = kernel_kthvalue_line(dt, line, ist, n, k, perm);
            memcpy(values + o * es, line + at * ist * es, (size_t)es);
            indices[o] = at;
            continue;
        }
        if (pick == SORT_PICK_ALL) { /* straight into the output */
            kernel_sort_line(dt, line, ist, values + o * es, ost, indices + o, ost, n, descending, stable,
                             perm);
            continue;
        }
        /* mode: PyTorch's mode_kernel sorts with std::sort (stable false) */
        kernel_sort_line(dt, line, ist, sv, 1, si, 1, n, descending, pick == SORT_PICK_MODE ? false : stable, perm);
        int64_t first = 0, count = 1, index = -1;
        switch (pick) {
        case SORT_PICK_FIRST:
        case SORT_PICK_FIRST_UNSORTED: count = k; break;
        case SORT_PICK_KTH: first = k; break;
        case SORT_PICK_MEDIAN: first = median_pos(dt, sv, n, es); break;
        case SORT_PICK_MODE: first = mode_pos(dt, sv, si, n, es, &index); break;
        case SORT_PICK_ALL: break;
        }
        for (int64_t i = 0; i < count; i++) {
            memcpy(values + (o + i * ost) * es, sv + (first + i) * es, (size_t)es);
            indices[o + i * ost] = index >= 0 ? index : si[first + i];
        }
    }
    return KERNEL_OK;
}
