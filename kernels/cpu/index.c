/* index.c: the CPU indexing loops (index.h). */
#include "index.h"
#include "index_reduce.h"

#include <string.h>

/* Offsets of the walk's three operands, advanced in row-major order. */
typedef struct {
    int64_t pos[KERNEL_MAX_DIMS];
    int64_t off[3];
} WalkPos;

static void walk_next(const IndexWalk *w, WalkPos *p) {
    for (int d = w->ndim - 1; d >= 0; d--) {
        p->pos[d]++;
        for (int k = 0; k < 3; k++) p->off[k] += w->st[k][d];
        if (p->pos[d] < w->shape[d]) return;
        for (int k = 0; k < 3; k++) p->off[k] -= w->st[k][d] * w->shape[d];
        p->pos[d] = 0;
    }
}

static int64_t walk_numel(const IndexWalk *w) {
    int64_t n = 1;
    for (int d = 0; d < w->ndim; d++) n *= w->shape[d];
    return n;
}

/* ix in [0, size); otherwise false with *bad = ix */
static bool in_range(int64_t ix, int64_t size, int64_t *bad) {
    if (ix >= 0 && ix < size) return true;
    *bad = ix;
    return false;
}

KernelStatus kernel_gather(int es, const IndexWalk *w, char *out, const int64_t *index, const char *src,
                           int64_t dim_stride, int64_t dim_size, int64_t *bad) {
    WalkPos p = {0};
    int64_t n = walk_numel(w);
    for (int64_t i = 0; i < n; i++, walk_next(w, &p)) {
        int64_t ix = index[p.off[1]];
        if (!in_range(ix, dim_size, bad)) return KERNEL_INDEX_OUT_OF_RANGE;
        memcpy(out + p.off[0] * es, src + (p.off[2] + ix * dim_stride) * es, (size_t)es);
    }
    return KERNEL_OK;
}

/* *p += *s in dt, rounded as PyTorch's CPU scatter_add */
static void add_elem(DType dt, char *p, const char *s) {
    if (dt == DT_FLOAT32) *(float *)p += *(const float *)s;
    else if (dt == DT_FLOAT64) *(double *)p += *(const double *)s;
    else if (dtype_is_float(dt)) dtype_store_f64(dt, p, (float)(dtype_load_f64(dt, p) + dtype_load_f64(dt, s)));
    else if (dt == DT_BOOL) *(bool *)p = *(bool *)p || *(const bool *)s;
    else dtype_store_i64(dt, p, dtype_load_i64(dt, p) + dtype_load_i64(dt, s));
}

KernelStatus kernel_scatter(DType dt, const IndexWalk *w, char *self, int64_t dim_stride, int64_t dim_size,
                            const int64_t *index, const char *src, const void *value, bool add, int64_t *bad) {
    WalkPos p = {0};
    int64_t n = walk_numel(w), es = (int64_t)dtype_size(dt);
    const char *sp = src ? src : (const char *)value;
    for (int64_t i = 0; i < n; i++, walk_next(w, &p)) {
        int64_t ix = index[p.off[1]];
        if (!in_range(ix, dim_size, bad)) return KERNEL_INDEX_OUT_OF_RANGE;
        char *d = self + (p.off[0] + ix * dim_stride) * es;
        const char *s = sp + p.off[2] * es;
        if (add) add_elem(dt, d, s);
        else memcpy(d, s, (size_t)es);
    }
    return KERNEL_OK;
}

/* *p = op(*p, *s) in dt for scatter_reduce (PyTorch's ReduceMultiply,
 * ReduceMaximum, ReduceMinimum: a NaN source wins, a NaN self stays) */
static void reduce_elem(DType dt, int op, char *p, const char *s) {
    if (op == SCATTER_SUM || op == SCATTER_MEAN) {
        add_elem(dt, p, s);
    } else if (dt == DT_BOOL) {
        bool a = *(bool *)p, b = *(const bool *)s;
        *(bool *)p = op == SCATTER_AMAX ? (a || b) : (a && b);
    } else if (dtype_is_float(dt)) {
        double a = dtype_load_f64(dt, p), b = dtype_load_f64(dt, s), r;
        if (op == SCATTER_PROD) {
            if (dt == DT_FLOAT32) r = (float)((float)a * (float)b);
            else if (dt == DT_FLOAT64) r = a * b;
            else r = (float)(a * b);
        } else if (b != b) {
            r = b;
        } else if (op == SCATTER_AMAX) {
            r = a < b ? b : a;
        } else {
            r = b < a ? b : a;
        }
        dtype_store_f64(dt, p, r);
    } else {
        int64_t a = dtype_load_i64(dt, p), b = dtype_load_i64(dt, s), r;
        if (op == SCATTER_PROD) r = (int64_t)((uint64_t)a * (uint64_t)b);
        else if (op == SCATTER_AMAX) r = a < b ? b : a;
        else r = b < a ? b : a;
        dtype_store_i64(dt, p, r);
    }
}

KernelStatus kernel_scatter_reduce(DType dt, const IndexWalk *w, char *self, int64_t dim_stride, int64_t dim_size,
                                   const int64_t *index, const char *src, const void *value, int op, int64_t *bad) {
    WalkPos p = {0};
    int64_t n = walk_numel(w), es = (int64_t)dtype_size(dt);
    const char *sp = src ? src : (const char *)value;
    for (int64_t i = 0; i < n; i++, walk_next(w, &p)) {
        int64_t ix = index[p.off[1]];
        if (!in_range(ix, dim_size, bad)) return KERNEL_INDEX_OUT_OF_RANGE;
        reduce_elem(dt, op, self + (p.off[0] + ix * dim_stride) * es, sp + p.off[2] * es);
    }
    return KERNEL_OK;
}

KernelStatus kernel_index_check(const IndexWalk *w, const int64_t *index, int64_t dim_size, int64_t *bad) {
    WalkPos p = {0};
    int64_t n = walk_numel(w);
    for (int64_t i = 0; i < n; i++, walk_next(w, &p))
        if (!in_range(index[p.off[1]], dim_size, bad)) return KERNEL_INDEX_OUT_OF_RANGE;
    return KERNEL_OK;
}

KernelStatus kernel_take(int es, const char *src, const int64_t *pos, int64_t n, char *dst) {
    for (int64_t k = 0; k < n; k++) memcpy(dst + k * es, src + pos[k] * es, (size_t)es);
    return KERNEL_OK;
}

KernelStatus kernel_wrap_negative(int64_t *p, int64_t n, int64_t size, int64_t *bad) {
    for (int64_t k = 0; k < n; k++) {
        if (p[k] < -size || p[k] >= size) {
            *bad = p[k];
            return KERNEL_INDEX_OUT_OF_RANGE;
        }
        if (p[k] < 0) p[k] += size;
    }
    return KERNEL_OK;
}

static int64_t index_at(DType idt, const char *index, int64_t off) {
    return idt == DT_INT32 ? ((const int32_t *)index)[off] : ((const int64_t *)index)[off];
}

KernelStatus kernel_select_positions(int ndim, const int64_t *shape, const int64_t *cstride, int dim, DType idt,
                                     const char *index, int64_t istride, int64_t *pos, int64_t dim_size,
                                     int64_t *bad) {
    if (idt != DT_INT32 && idt != DT_INT64) return KERNEL_UNSUPPORTED;
    if (ndim == 0) {
        if (!in_range(index_at(idt, index, 0), dim_size, bad)) return KERNEL_INDEX_OUT_OF_RANGE;
        pos[0] = 0;
        return KERNEL_OK;
    }
    int64_t n = 1, c[KERNEL_MAX_DIMS] = {0};
    for (int d = 0; d < ndim; d++) n *= shape[d];
    for (int64_t k = 0; k < n; k++) {
        int64_t o = 0;
        for (int d = 0; d < ndim; d++) {
            int64_t v = d == dim ? index_at(idt, index, c[d] * istride) : c[d];
            if (d == dim && !in_range(v, dim_size, bad)) return KERNEL_INDEX_OUT_OF_RANGE;
            o += v * cstride[d];
        }
        pos[k] = o;
        for (int d = ndim - 1; d >= 0; d--) {
            if (++c[d] < shape[d]) break;
            c[d] = 0;
        }
    }
    return KERNEL_OK;
}

KernelStatus kernel_mod_gather(int es, const ModWalk *w, const char *src, char *dst) {
    int64_t n = 1, m[KERNEL_MAX_DIMS], c[KERNEL_MAX_DIMS], off = 0;
    for (int d = 0; d < w->ndim; d++) n *= w->shape[d];
    if (n == 0) return KERNEL_OK;
    for (int d = 0; d < w->ndim; d++) { /* c[d] and its wrapped coordinate m[d], kept without divisions */
        c[d] = 0;
        m[d] = w->add[d] % w->mod[d];
        off += m[d] * w->stride[d];
    }
    for (int64_t k = 0; k < n; k++) {
        memcpy(dst + k * es, src + off * es, (size_t)es);
        for (int d = w->ndim - 1; d >= 0; d--) {
            off -= m[d] * w->stride[d];
            if (++m[d] == w->mod[d]) m[d] = 0;
            bool carry = ++c[d] == w->shape[d];
            if (carry) c[d] = 0, m[d] = w->add[d] % w->mod[d];
            off += m[d] * w->stride[d];
            if (!carry) break;
        }
    }
    return KERNEL_OK;
}

#define DEF_EMB_BW(NAME, T)                                                                              \
    static void NAME(int64_t n, int64_t d, const int64_t *idx, const T *g, int64_t rows, int64_t pad, T *o) { \
        for (int64_t i = 0; i < n; i++) {                                                                \
            int64_t k = idx[i];                                                                          \
            if (k == pad || k < 0 || k >= rows) continue;                                                \
            for (int64_t j = 0; j < d; j++) o[k * d + j] += g[i * d + j];                                \
        }                                                                                                \
    }
DEF_EMB_BW(emb_bw_f, float)
DEF_EMB_BW(emb_bw_d, double)

/* float16 / bfloat16: add_stub on a row of the dtype, each sum rounded */
static void emb_bw_reduced(DType dt, int64_t n, int64_t d, const int64_t *idx, const void *g, int64_t rows,
                           int64_t pad, void *o) {
    size_t es = dtype_size(dt);
    for (int64_t i = 0; i < n; i++) {
        int64_t k = idx[i];
        if (k == pad || k < 0 || k >= rows) continue;
        for (int64_t j = 0; j < d; j++) {
            char *q = (char *)o + (size_t)(k * d + j) * es;
            float v = (float)dtype_load_f64(dt, q) + (float)dtype_load_f64(dt, (const char *)g + (size_t)(i * d + j) * es);
            dtype_store_f64(dt, q, v);
        }
    }
}

KernelStatus kernel_embedding_backward(DType dt, int64_t n, int64_t d, const int64_t *idx, const void *grad,
                                       int64_t rows, int64_t padding_idx, void *out) {
    if (dt == DT_FLOAT32) emb_bw_f(n, d, idx, grad, rows, padding_idx, out);
    else if (dt == DT_FLOAT64) emb_bw_d(n, d, idx, grad, rows, padding_idx, out);
    else if (dt == DT_FLOAT16 || dt == DT_BFLOAT16) emb_bw_reduced(dt, n, d, idx, grad, rows, padding_idx, out);
    else return KERNEL_UNSUPPORTED;
    return KERNEL_OK;
}
