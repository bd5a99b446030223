/* sort.c: the CPU scan and selection loops (sort.h). */
#include "sort.h"

static bool elem_nonzero(DType dt, const char *p) {
    switch (dt) {
    case DT_FLOAT32: return *(const float *)p != 0;
    case DT_FLOAT64: return *(const double *)p != 0;
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
