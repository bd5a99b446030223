/* reduce.c: reduction kernels. Float sums follow PyTorch's cascade_sum
 * (SumKernel.cpp) so float32 results round the way PyTorch's do: a
 * multi-level accumulator per lane, 4-way ILP, and 256-bit vector lanes
 * for contiguous inner reductions. */
#include "reduce.h"
#include "complex_ops.h"

#include "error.h"

#include "iter.h"
#include "lines.h"
#include "vec_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CASCADE_LEVELS 4
#define VEC_BYTES 32 /* AVX2 Vectorized<T>, PyTorch's default CPU capability */

static int ceil_log2(int64_t x) {
    if (x <= 2) return x == 2 ? 1 : 0;
    int r = 0;
    uint64_t v = (uint64_t)(x - 1);
    while (v) r++, v >>= 1;
    return r;
}

static float load_f32(DType dt, const char *p) {
    switch (dt) {
    case DT_FLOAT32: return *(const float *)p;
    case DT_FLOAT16: return half_to_float(*(const tsr_half *)p);
    case DT_BFLOAT16: return bf16_to_float(*(const tsr_bfloat16 *)p);
    case DT_COMPLEX64: return *(const float *)p; /* p: the part summed */
    default: return (float)dtype_load_f64(dt, p);
    }
}

/* multi_row_sum / row_sum for accumulator type T over a strided input:
 * lane k of row i is at in + (i*row_stride + k*col_stride) elements. */
#define DEFINE_CASCADE(T, NAME, LOAD)                                                              \
    static void NAME##_multi_row(DType dt, const char *in, int64_t es, int64_t row_stride,         \
                                 int64_t col_stride, int64_t size, int nrows, T *ret) {            \
        T acc[CASCADE_LEVELS][64];                                                                 \
        memset(acc, 0, sizeof acc);                                                                \
        int64_t level_power = ceil_log2(size) / CASCADE_LEVELS;                                    \
        if (level_power < 4) level_power = 4;                                                      \
        int64_t level_step = (int64_t)1 << level_power, level_mask = level_step - 1;               \
        int64_t i = 0;                                                                             \
        while (i + level_step <= size) {                                                           \
            for (int64_t j = 0; j < level_step; j++, i++) {                                        \
                const char *base = in + i * row_stride * es;                                       \
                for (int k = 0; k < nrows; k++) acc[0][k] += LOAD(dt, base + k * col_stride * es); \
            }                                                                                      \
            for (int j = 1; j < CASCADE_LEVELS; j++) {                                             \
                for (int k = 0; k < nrows; k++) {                                                  \
                    acc[j][k] += acc[j - 1][k];                                                    \
                    acc[j - 1][k] = 0;                                                             \
                }                                                                                  \
                int64_t mask = level_mask << (j * level_power);                                    \
                if ((i & mask) != 0) break;                                                        \
            }                                                                                      \
        }                                                                                          \
        for (; i < size; i++) {                                                                    \
            const char *base = in + i * row_stride * es;                                           \
            for (int k = 0; k < nrows; k++) acc[0][k] += LOAD(dt, base + k * col_stride * es);     \
        }                                                                                          \
        for (int j = 1; j < CASCADE_LEVELS; j++)                                                   \
            for (int k = 0; k < nrows; k++) acc[0][k] += acc[j][k];                                \
        for (int k = 0; k < nrows; k++) ret[k] = acc[0][k];                                        \
    }                                                                                              \
    /* row_sum over `size` items of width `w` lanes (w == 1: scalars). */                         \
    static void NAME##_row(DType dt, const char *in, int64_t es, int64_t stride, int64_t size,     \
                           int w, T *out) {                                                        \
        T part[64];                                                                                \
        int64_t size_ilp = size / 4;                                                               \
        /* 4 items of w lanes each = 4*w independent lanes */                                      \
        T tmp[64];                                                                                 \
        for (int q = 0; q < 4; q++) {                                                              \
            NAME##_multi_row(dt, in + q * stride * es, es, 4 * stride, 1, size_ilp, w, tmp);       \
            for (int k = 0; k < w; k++) part[q * w + k] = tmp[k];                                  \
        }                                                                                          \
        for (int64_t i = size_ilp * 4; i < size; i++)                                              \
            for (int k = 0; k < w; k++) part[k] += LOAD(dt, in + (i * stride + k) * es);           \
        for (int q = 1; q < 4; q++)                                                                \
            for (int k = 0; k < w; k++) part[k] += part[q * w + k];                                \
        for (int k = 0; k < w; k++) out[k] = part[k];                                              \
    }                                                                                              \
    /* one reduction of n items at stride rs; outer: a column of an outer reduction */            \
    static T NAME##_cascade(DType dt, const char *in, int64_t es, int64_t rs, int64_t n,           \
                            bool outer) {                                                          \
        /* complex: Vectorized<c10::complex<T>> lanes, each part summed alone */                  \
        int w = (int)(VEC_BYTES / (dtype_is_complex(dt) ? es : (int64_t)sizeof(T)));               \
        T r;                                                                                       \
        if (rs == 1 && n >= w && dt == DT_FLOAT32 && sizeof(T) == 4)                               \
            return (T)f32f_contig_sum((const float *)in, n);                                       \
        if (rs == 1 && n >= w && dt == DT_FLOAT64)                                                 \
            return (T)f64f_contig_sum((const double *)in, n);                                      \
        if (rs == 1 && n >= w) {                                                                   \
            T lanes[64];                                                                           \
            int64_t vec_numel = n / w;                                                             \
            NAME##_row(dt, in, es, w, vec_numel, w, lanes);                                        \
            T acc = 0;                                                                             \
            for (int64_t k = vec_numel * w; k < n; k++) acc += LOAD(dt, in + k * es);              \
            for (int k = 0; k < w; k++) acc += lanes[k];                                           \
            return acc;                                                                            \
        }                                                                                          \
        if (outer) {                                                                               \
            NAME##_multi_row(dt, in, es, rs, 0, n, 1, &r);                                         \
            return r;                                                                              \
        }                                                                                          \
        NAME##_row(dt, in, es, rs, n, 1, &r);                                                      \
        return r;                                                                                  \
    }

/* Contiguous float32/float64 sums: the same arithmetic as NAME_cascade with
 * rs == 1 (4 ILP streams of W-lane vectors, each with its own cascade of
 * CASCADE_LEVELS accumulators), with the streams interleaved in one pass
 * over memory and level 0 kept in registers.
 *
 * Large inputs use two threads without changing a bit of the result: the
 * top accumulator only ever receives whole "chunks" (level_step^3 vectors,
 * after which every lower level is zero again), so thread 0 sums the first
 * half of the chunks as usual while thread 1 sums the rest, recording each
 * of its chunk sums; the caller then adds those to thread 0's top
 * accumulator in order, exactly as the single-threaded loop would. */
#define FAST_MAX_CHUNKS 1024
#define DEFINE_FAST_SUM(T, NAME)                                                                   \
    enum { NAME##_W = VEC_BYTES / (int)sizeof(T), NAME##_H = 16 / (int)sizeof(T) };                \
    /* 16-byte vectors (native on every x86-64): stream q is lanes r[2q], r[2q+1] */               \
    typedef T NAME##_V __attribute__((vector_size(16)));                                           \
    typedef struct {                                                                               \
        NAME##_V acc[CASCADE_LEVELS][8];                                                           \
    } NAME##_State;                                                                                \
    static NAME##_V NAME##_chunks[FAST_MAX_CHUNKS][8];                                             \
    /* nvec 4-vector items from x, from a zero state; rec: where to put the                     \
     * chunk sums instead of adding them to the top level (or NULL) */                             \
    static void NAME##_run(const T *x, int64_t nvec, int64_t level_power, NAME##_State *st,        \
                           NAME##_V (*rec)[8]) {                                                   \
        enum { W = NAME##_W, H = NAME##_H };                                                       \
        NAME##_V(*acc)[8] = st->acc;                                                               \
        memset(st, 0, sizeof *st);                                                                 \
        int64_t level_step = (int64_t)1 << level_power, level_mask = level_step - 1;               \
        int64_t i = 0, nrec = 0;                                                                   \
        while (i + level_step <= nvec) {                                                           \
            NAME##_V r0 = acc[0][0], r1 = acc[0][1], r2 = acc[0][2], r3 = acc[0][3];               \
            NAME##_V r4 = acc[0][4], r5 = acc[0][5], r6 = acc[0][6], r7 = acc[0][7];               \
            const T *b = x + i * 4 * W;                                                            \
            for (int64_t j = 0; j < level_step; j++, b += 4 * W) {                                 \
                NAME##_V v;                                                                        \
                memcpy(&v, b + 0 * H, 16), r0 += v;                                                \
                memcpy(&v, b + 1 * H, 16), r1 += v;                                                \
                memcpy(&v, b + 2 * H, 16), r2 += v;                                                \
                memcpy(&v, b + 3 * H, 16), r3 += v;                                                \
                memcpy(&v, b + 4 * H, 16), r4 += v;                                                \
                memcpy(&v, b + 5 * H, 16), r5 += v;                                                \
                memcpy(&v, b + 6 * H, 16), r6 += v;                                                \
                memcpy(&v, b + 7 * H, 16), r7 += v;                                                \
            }                                                                                      \
            i += level_step;                                                                       \
            acc[0][0] = r0, acc[0][1] = r1, acc[0][2] = r2, acc[0][3] = r3;                        \
            acc[0][4] = r4, acc[0][5] = r5, acc[0][6] = r6, acc[0][7] = r7;                        \
            for (int j = 1; j < CASCADE_LEVELS; j++) {                                             \
                if (j == CASCADE_LEVELS - 1 && rec) {                                              \
                    memcpy(rec[nrec++], acc[j - 1], sizeof acc[j - 1]);                            \
                    memset(acc[j - 1], 0, sizeof acc[j - 1]);                                      \
                    break;                                                                         \
                }                                                                                  \
                for (int m = 0; m < 8; m++) {                                                      \
                    acc[j][m] += acc[j - 1][m];                                                    \
                    acc[j - 1][m] = (NAME##_V){0};                                                 \
                }                                                                                  \
                int64_t mask = level_mask << (j * level_power);                                    \
                if ((i & mask) != 0) break;                                                        \
            }                                                                                      \
        }                                                                                          \
        for (; i < nvec; i++) {                                                                    \
            const T *b = x + i * 4 * W;                                                            \
            for (int m = 0; m < 8; m++) {                                                          \
                NAME##_V v;                                                                        \
                memcpy(&v, b + m * H, 16);                                                         \
                acc[0][m] += v;                                                                    \
            }                                                                                      \
        }                                                                                          \
    }                                                                                              \
    typedef struct {                                                                               \
        const T *x;                                                                                \
        int64_t split, nvec, level_power;                                                          \
        NAME##_State st[2];                                                                        \
    } NAME##_Job;                                                                                  \
    static void NAME##_half(void *arg, int half) {                                                 \
        NAME##_Job *j = arg;                                                                       \
        if (half == 0) NAME##_run(j->x, j->split, j->level_power, &j->st[0], NULL);                \
        else NAME##_run(j->x + j->split * 4 * NAME##_W, j->nvec - j->split, j->level_power,        \
                        &j->st[1], NAME##_chunks);                                                 \
    }                                                                                              \
    static T NAME##_contig_sum(const T *x, int64_t n) {                                            \
        enum { W = NAME##_W, H = NAME##_H };                                                       \
        int64_t vec_numel = n / W, nvec = vec_numel / 4;                                           \
        int64_t level_power = ceil_log2(nvec) / CASCADE_LEVELS;                                    \
        if (level_power < 4) level_power = 4;                                                      \
        int64_t chunk = (int64_t)1 << (level_power * (CASCADE_LEVELS - 1));                        \
        int64_t nchunks = nvec / chunk;                                                            \
        NAME##_Job job;                                                                            \
        job.x = x, job.split = 0, job.nvec = nvec, job.level_power = level_power;                  \
        NAME##_State *st = &job.st[0];                                                             \
        if (n >= ITER_PARALLEL_MIN && nchunks >= 2 && nchunks - nchunks / 2 <= FAST_MAX_CHUNKS &&  \
            par_available()) {                                                                     \
            job.split = nchunks / 2 * chunk;                                                       \
            par_run2(NAME##_half, &job);                                                           \
            NAME##_State *s1 = &job.st[1];                                                         \
            for (int64_t k = 0; k < nchunks - nchunks / 2; k++)                                    \
                for (int m = 0; m < 8; m++) st->acc[CASCADE_LEVELS - 1][m] += NAME##_chunks[k][m]; \
            for (int j = 0; j < CASCADE_LEVELS - 1; j++) memcpy(st->acc[j], s1->acc[j],            \
                                                               sizeof st->acc[j]);                 \
        } else {                                                                                   \
            NAME##_run(x, nvec, level_power, st, NULL);                                            \
        }                                                                                          \
        for (int j = 1; j < CASCADE_LEVELS; j++)                                                   \
            for (int m = 0; m < 8; m++) st->acc[0][m] += st->acc[j][m];                            \
        T part[4][W];                                                                              \
        for (int m = 0; m < 8; m++) memcpy(&part[m / 2][(m % 2) * H], &st->acc[0][m], 16);         \
        for (int64_t i = nvec * 4; i < vec_numel; i++)                                             \
            for (int k = 0; k < W; k++) part[0][k] += x[i * W + k];                                \
        for (int q = 1; q < 4; q++)                                                                \
            for (int k = 0; k < W; k++) part[0][k] += part[q][k];                                  \
        T acc = 0;                                                                                 \
        for (int64_t k = vec_numel * W; k < n; k++) acc += x[k];                                   \
        for (int k = 0; k < W; k++) acc += part[0][k];                                             \
        return acc;                                                                                \
    }

DEFINE_FAST_SUM(float, f32f)
DEFINE_FAST_SUM(double, f64f)

static double load_f64(DType dt, const char *p) {
    return dt == DT_FLOAT64 || dt == DT_COMPLEX128 ? *(const double *)p : dtype_load_f64(dt, p);
}

DEFINE_CASCADE(float, f32, load_f32)
DEFINE_CASCADE(double, f64, load_f64)

/* Visits output j's base pointer and each outer reduced position. */
static void unravel(int n, const int64_t *shape, const int64_t *stride, int64_t k, int64_t *off) {
    int64_t o = 0;
    for (int d = n - 1; d >= 0; d--) {
        o += (k % shape[d]) * stride[d];
        k /= shape[d];
    }
    *off = o;
}

static int64_t prod(int n, const int64_t *s) {
    int64_t p = 1;
    for (int i = 0; i < n; i++) p *= s[i];
    return p;
}

/* Merges adjacent reduced dims that are contiguous with each other. */
static int coalesce(int n, const int64_t *shape, const int64_t *stride, int64_t *os, int64_t *ot) {
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

/* g with its reduced dims in TensorIterator's order, outermost first:
 * FOR_EACH_REDUCED over it visits the elements in ATen's order (its r is
 * then no longer the row-major position). */
static void ti_geom(const ReduceGeom *g, ReduceGeom *t) {
    ReduceOrder ro;
    kernel_reduce_order(g, &ro);
    *t = *g;
    t->nred = ro.n;
    for (int i = 0; i < ro.n; i++) t->red_shape[i] = ro.shape[ro.n - 1 - i], t->red_stride[i] = ro.stride[ro.n - 1 - i];
}

static void sum_loop(DType dt, const ReduceGeom *g, const char *in, char *out) {
    int64_t es = (int64_t)dtype_size(dt);
    int64_t nout = prod(g->nout, g->out_shape);
    /* the reduced dims in TensorIterator's order (the innermost, by input
     * stride, gets the cascade), then coalesced */
    ReduceGeom t;
    ti_geom(g, &t);
    int64_t rs[RED_MAX_DIMS], rt[RED_MAX_DIMS];
    int nr = coalesce(t.nred, t.red_shape, t.red_stride, rs, rt);
    int64_t inner = nr ? rs[nr - 1] : 1, inner_stride = nr ? rt[nr - 1] : 1;
    int64_t nouter = nr ? prod(nr - 1, rs) : 1;
    /* PyTorch's "outer reduction" (SumKernel.cpp): when the outputs are
     * contiguous in the input and the reduced dim is not, the size1
     * outputs of that contiguous run are summed in groups: whole groups of
     * 4 vectors (vectorized_outer_sum) or of 4 scalars (scalar_outer_sum,
     * size1 < one vector) by multi_row_sum, one cascade per column; the
     * columns after them by row_sum, four interleaved partial sums. */
    int64_t os_[RED_MAX_DIMS], ot_[RED_MAX_DIMS];
    int no = coalesce(g->nout, g->out_shape, g->out_stride, os_, ot_);
    int64_t size1 = no ? os_[no - 1] : 1;
    int64_t w = VEC_BYTES / (dtype_is_complex(dt) ? es : dt == DT_FLOAT64 ? 8 : 4);
    /* cascade_sum's choice for one reduced dim (then the next iterator dim
     * is the innermost kept one): a contiguous row of at least a vector is
     * vectorized_inner_sum; else kept outputs contiguous in the input over
     * at least a vector are vectorized_outer_sum; else rows whose stride is
     * below the outputs' are scalar_inner_sum, the rest scalar_outer_sum. */
    bool outer = false;
    int64_t grouped = 0;
    if (nr == 1 && no > 0 && size1 > 1 && !(inner_stride == 1 && inner >= w)) {
        if (ot_[no - 1] == 1 && size1 >= w) outer = true, grouped = size1 / (4 * w) * (4 * w);
        else if (inner_stride >= ot_[no - 1]) outer = true, grouped = size1 / 4 * 4;
    }
    for (int64_t j = 0; j < nout; j++) {
        bool col_outer = outer && j % size1 < grouped;
        int64_t base;
        unravel(g->nout, g->out_shape, g->out_stride, j, &base);
        const char *p = in + base * es;
        if (dtype_is_complex(dt)) { /* complex addition is by parts: one cascade per part */
            int64_t ps = es / 2;
            for (int part = 0; part < 2; part++) {
                double acc64 = 0;
                float acc32 = 0;
                for (int64_t o = 0; o < nouter; o++) {
                    int64_t off;
                    unravel(nr - 1, rs, rt, o, &off);
                    const char *q = p + off * es + part * ps;
                    if (dt == DT_COMPLEX128) acc64 += f64_cascade(dt, q, es, inner_stride, inner, col_outer);
                    else acc32 += f32_cascade(dt, q, es, inner_stride, inner, col_outer);
                }
                if (dt == DT_COMPLEX128) ((double *)out)[2 * j + part] = acc64;
                else ((float *)out)[2 * j + part] = acc32;
            }
        } else if (dtype_is_float(dt)) {
            if (dt == DT_FLOAT64) {
                double acc = 0;
                for (int64_t o = 0; o < nouter; o++) {
                    int64_t off;
                    unravel(nr - 1, rs, rt, o, &off);
                    acc += f64_cascade(dt, p + off * es, es, inner_stride, inner, col_outer);
                }
                ((double *)out)[j] = acc;
            } else {
                float acc = 0;
                for (int64_t o = 0; o < nouter; o++) {
                    int64_t off;
                    unravel(nr - 1, rs, rt, o, &off);
                    acc += f32_cascade(dt, p + off * es, es, inner_stride, inner, col_outer);
                }
                dtype_store_f64(dt, out + j * es, acc);
            }
        } else {
            uint64_t acc = 0;
            for (int64_t o = 0; o < nouter; o++) {
                int64_t off;
                unravel(nr - 1, rs, rt, o, &off);
                for (int64_t i = 0; i < inner; i++)
                    acc += (uint64_t)dtype_load_i64(dt, p + (off + i * inner_stride) * es);
            }
            dtype_store_i64(dt, out + j * es, (int64_t)acc);
        }
    }
}

size_t kernel_reduce_scratch(const ReduceGeom *g) { return 0; }

KernelStatus kernel_sum(DType dt, const ReduceGeom *g, const char *in, char *out, double div, void *scratch) {
    sum_loop(dt, g, in, out);
    if (div < 0) return KERNEL_OK;
    int64_t n = prod(g->nout, g->out_shape), es = (int64_t)dtype_size(dt);
    for (int64_t i = 0; i < n; i++) { /* mean */
        if (dt == DT_FLOAT64) ((double *)out)[i] /= div;
        else if (dt == DT_FLOAT32) ((float *)out)[i] /= (float)div;
        else dtype_store_f64(dt, out + i * es, (float)dtype_load_f64(dt, out + i * es) / (float)div);
    }
    return KERNEL_OK;
}

/* Calls body for each reduced element of output j: `q` is its pointer and
 * `r` its row-major position in the reduced dims. */
#define FOR_EACH_REDUCED(g, in, es, j, q, r, ...)                                       \
    do {                                                                                \
        int64_t base_;                                                                  \
        unravel((g)->nout, (g)->out_shape, (g)->out_stride, (j), &base_);               \
        int64_t nred_ = prod((g)->nred, (g)->red_shape);                                \
        int64_t idx_[RED_MAX_DIMS] = {0};                                               \
        const char *q = (in) + base_ * (es);                                            \
        for (int64_t r = 0; r < nred_; r++) {                                           \
            __VA_ARGS__;                                                                     \
            for (int d_ = (g)->nred - 1; d_ >= 0; d_--) {                               \
                if (++idx_[d_] < (g)->red_shape[d_]) {                                  \
                    q += (g)->red_stride[d_] * (es);                                    \
                    break;                                                              \
                }                                                                       \
                q -= ((g)->red_shape[d_] - 1) * (g)->red_stride[d_] * (es);             \
                idx_[d_] = 0;                                                           \
            }                                                                           \
        }                                                                               \
    } while (0)

/* binary_kernel_reduce_vec's product of a contiguous row onto acc: whole
 * blocks of 4 vectors of w lanes (reduction128: lane products down the
 * blocks, then (v0 * v1) * (v2 * v3), then the lanes in order), then the
 * rest one by one (basic_loop) */
#define DEF_PROD_ROW(SFX, T)                                                         \
    static T prod_row_##SFX(const T *x, int64_t n, int w, T acc) {                   \
        int64_t count = n / (4 * w), k = 0;                                          \
        if (count > 0) {                                                             \
            T v[4][16], b[16] = {0};                                                     \
            for (int q = 0; q < 4; q++)                                              \
                for (int l = 0; l < w; l++) v[q][l] = x[q * w + l];                  \
            for (int64_t i = 1; i < count; i++)                                      \
                for (int q = 0; q < 4; q++)                                          \
                    for (int l = 0; l < w; l++) v[q][l] = v[q][l] * x[(i * 4 + q) * w + l]; \
            for (int l = 0; l < w; l++) b[l] = (v[0][l] * v[1][l]) * (v[2][l] * v[3][l]); \
            for (int l = 1; l < w; l++) b[0] = b[0] * b[l];                          \
            acc = acc * b[0];                                                        \
            k = count * 4 * w;                                                       \
        }                                                                            \
        for (; k < n; k++) acc = acc * x[k];                                         \
        return acc;                                                                  \
    }
DEF_PROD_ROW(f32, float)
DEF_PROD_ROW(f64, double)

/* float32/float64 products in ATen's order: rows along the innermost
 * reduced dim (vectorised when contiguous), the other reduced dims in
 * TensorIterator's order */
static void prod_float(DType dt, const ReduceGeom *g, const char *in, char *out) {
    int64_t es = (int64_t)dtype_size(dt), nout = prod(g->nout, g->out_shape);
    ReduceGeom t;
    ti_geom(g, &t);
    int64_t rs[RED_MAX_DIMS], rt[RED_MAX_DIMS];
    int nr = coalesce(t.nred, t.red_shape, t.red_stride, rs, rt);
    int64_t inner = nr ? rs[nr - 1] : 1, istride = nr ? rt[nr - 1] : 1, nouter = nr ? prod(nr - 1, rs) : 1;
    int w = (cpu_capability() == CPU_CAP_AVX512 ? 64 : 32) / (int)es;
    for (int64_t j = 0; j < nout; j++) {
        int64_t base;
        unravel(g->nout, g->out_shape, g->out_stride, j, &base);
        double acc64 = 1;
        float acc32 = 1;
        for (int64_t o = 0; o < nouter; o++) {
            int64_t off;
            unravel(nr - 1, rs, rt, o, &off);
            const char *p = in + (base + off) * es;
            if (istride == 1 && dt == DT_FLOAT64) acc64 = prod_row_f64((const double *)p, inner, w, acc64);
            else if (istride == 1) acc32 = prod_row_f32((const float *)p, inner, w, acc32);
            else
                for (int64_t i = 0; i < inner; i++) {
                    if (dt == DT_FLOAT64) acc64 *= ((const double *)p)[i * istride];
                    else acc32 *= ((const float *)p)[i * istride];
                }
        }
        if (dt == DT_FLOAT64) ((double *)out)[j] = acc64;
        else ((float *)out)[j] = acc32;
    }
}

KernelStatus kernel_prod(DType dt, const ReduceGeom *g, const char *in, char *out, void *scratch) {
    int64_t es = (int64_t)dtype_size(dt);
    int64_t nout = prod(g->nout, g->out_shape);
    if (dt == DT_FLOAT32 || dt == DT_FLOAT64) {
        prod_float(dt, g, in, out);
        return KERNEL_OK;
    }
    for (int64_t j = 0; j < nout; j++) {
        if (dt == DT_COMPLEX64) { /* binary_kernel_reduce's scalar loop, the fused product */
            tsr_cfloat acc = {1, 0};
            FOR_EACH_REDUCED(g, in, es, j, q, r, acc = cf_mul_s(acc, *(const tsr_cfloat *)q));
            ((tsr_cfloat *)out)[j] = acc;
        } else if (dt == DT_COMPLEX128) {
            tsr_cdouble acc = {1, 0};
            FOR_EACH_REDUCED(g, in, es, j, q, r, acc = cd_mul_s(acc, *(const tsr_cdouble *)q));
            ((tsr_cdouble *)out)[j] = acc;
        } else if (dt == DT_FLOAT64) {
            double acc = 1;
            FOR_EACH_REDUCED(g, in, es, j, q, r, acc *= *(const double *)q);
            ((double *)out)[j] = acc;
        } else if (dtype_is_float(dt)) {
            float acc = 1;
            FOR_EACH_REDUCED(g, in, es, j, q, r, acc *= load_f32(dt, q));
            dtype_store_f64(dt, out + j * es, acc);
        } else {
            uint64_t acc = 1;
            FOR_EACH_REDUCED(g, in, es, j, q, r, acc *= (uint64_t)dtype_load_i64(dt, q));
            dtype_store_i64(dt, out + j * es, (int64_t)acc);
        }
    }
    return KERNEL_OK;
}

KernelStatus kernel_minmax(DType dt, const ReduceGeom *g, const char *in, char *values,
                           int64_t *indices, bool is_max, void *scratch) {
    int64_t es = (int64_t)dtype_size(dt);
    int64_t nout = prod(g->nout, g->out_shape);
    bool fl = dtype_is_float(dt);
    for (int64_t j = 0; j < nout; j++) {
        const char *best = NULL;
        int64_t best_r = 0;
        double bf = 0;
        int64_t bi = 0;
        bool nan = false;
        FOR_EACH_REDUCED(g, in, es, j, q, r, {
            if (nan) {
                /* a NaN wins; later positions cannot change the result */
            } else if (fl) {
                double v = dtype_load_f64(dt, q);
                if (!best || isnan(v) || (is_max ? v > bf : v < bf)) {
                    best = q, best_r = r, bf = v;
                    nan = isnan(v);
                }
            } else {
                int64_t v = dtype_load_i64(dt, q);
                if (!best || (is_max ? v > bi : v < bi)) best = q, best_r = r, bi = v;
            }
        });
        if (values && best) memcpy(values + j * es, best, (size_t)es);
        if (indices) indices[j] = best_r;
    }
    return KERNEL_OK;
}

KernelStatus kernel_allany(DType dt, const ReduceGeom *g, const char *in, DType out_dt, char *out,
                           bool is_all, void *scratch) {
    int64_t es = (int64_t)dtype_size(dt), oes = (int64_t)dtype_size(out_dt);
    int64_t nout = prod(g->nout, g->out_shape);
    for (int64_t j = 0; j < nout; j++) {
        bool acc = is_all;
        FOR_EACH_REDUCED(g, in, es, j, q, r, {
            bool nz = dtype_load_f64(dt, q) != 0;
            if (is_all) acc = acc && nz;
            else acc = acc || nz;
        });
        dtype_store_i64(out_dt, out + j * oes, acc ? 1 : 0);
    }
    return KERNEL_OK;
}

KernelStatus kernel_var(DType dt, const ReduceGeom *g, const char *in, char *out, char *mean_out,
                        int64_t correction, bool take_sqrt, void *scratch) {
    int64_t es = (int64_t)dtype_size(dt);
    int64_t nout = prod(g->nout, g->out_shape);
    int64_t n = prod(g->nred, g->red_shape);
    /* ReduceOpsKernel.cpp is built with -mfma for the AVX2/AVX-512
     * capabilities, and GCC fuses WelfordOps::reduce's m2 + delta * new_delta */
    bool fused = cpu_capability() != CPU_CAP_DEFAULT;
    ReduceGeom t;
    ti_geom(g, &t);
    g = &t;
    for (int64_t j = 0; j < nout; j++) {
        /* Welford in double, like PyTorch's WelfordOps */
        double mean = 0, m2 = 0;
        int64_t cnt = 0;
        FOR_EACH_REDUCED(g, in, es, j, q, r, {
            double v = dtype_load_f64(dt, q);
            cnt++;
            double delta = v - mean;
            mean += delta / (double)cnt;
            m2 = fused ? fma(delta, v - mean, m2) : m2 + delta * (v - mean);
        });
        double div = n - correction > 0 ? (double)(n - correction) : 0.0;
        double var = n == 0 ? NAN : m2 / div; /* 0/0: NaN like PyTorch */
        if (take_sqrt) var = sqrt(var);
        dtype_store_f64(dt, out + j * es, var);
        if (mean_out) dtype_store_f64(dt, mean_out + j * es, n == 0 ? NAN : mean);
    }
    return KERNEL_OK;
}

/* reorder_dimensions' comparison for one input operand */
static int ti_order(int64_t s0, int64_t n0, int64_t s1, int64_t n1) {
    if (s0 == 0 || s1 == 0) return 0;
    if (s0 != s1) return s0 < s1 ? -1 : 1;
    return n0 > n1 ? 1 : 0;
}

void kernel_reduce_order(const ReduceGeom *g, ReduceOrder *r) {
    int64_t *sh = r->shape, *st = r->stride;
    int n = 0;
    for (int d = g->nred - 1; d >= 0; d--)
        if (g->red_shape[d] != 1) sh[n] = g->red_shape[d], st[n++] = g->red_stride[d];
    for (int i = 1; i < n; i++)
        for (int d0 = i - 1, d1 = i; d0 >= 0; d0--) {
            int c = ti_order(st[d0], sh[d0], st[d1], sh[d1]);
            if (c > 0) {
                int64_t t = sh[d0]; sh[d0] = sh[d1], sh[d1] = t;
                t = st[d0]; st[d0] = st[d1], st[d1] = t;
                d1 = d0;
            } else if (c < 0) {
                break;
            }
        }
    r->n = n;
}

double kernel_var_all_sum(DType dt, const ReduceGeom *g, const char *data, double mean) {
    ReduceOrder r;
    kernel_reduce_order(g, &r);
    int64_t *sh = r.shape, *st = r.stride;
    int n = r.n;
    int m = 0; /* coalesce_dimensions */
    for (int d = 1; d < n; d++) {
        if (st[m] * sh[m] == st[d]) sh[m] *= sh[d];
        else m++, sh[m] = sh[d], st[m] = st[d];
    }
    n = n ? m + 1 : 0;
    int64_t n0 = n > 0 ? sh[0] : 1, n1 = n > 1 ? sh[1] : 1, s0 = n > 0 ? st[0] : 0, s1 = n > 1 ? st[1] : 0;
    int64_t slabs = 1, idx[RED_MAX_DIMS] = {0};
    for (int d = 2; d < n; d++) slabs *= sh[d];
    size_t es = dtype_size(dt);
    double total = 0;
    for (int64_t k = 0; k < slabs; k++) {
        int64_t off = 0;
        for (int d = 2; d < n; d++) off += idx[d] * st[d];
        double local = 0;
        for (int64_t i = 0; i < n1; i++)
            for (int64_t j = 0; j < n0; j++) {
                const char *q = data + (size_t)(off + i * s1 + j * s0) * es;
                double dx = (dt == DT_FLOAT32 ? (double)*(const float *)q : *(const double *)q) - mean;
                local += dx * dx;
            }
        total += local;
        for (int d = 2; d < n && ++idx[d] == sh[d]; d++) idx[d] = 0;
    }
    return total;
}

void kernel_cumsum_line(DType dt, const char *in, int64_t in_stride, char *out, int64_t out_stride,
                        int64_t n) {
    int64_t es = (int64_t)dtype_size(dt);
    if (dtype_is_complex(dt)) { /* acc_type: complex<double> */
        tsr_cdouble acc = {0, 0}, x;
        for (int64_t i = 0; i < n; i++) {
            dtype_convert_complex(DT_COMPLEX128, &x, dt, in + i * in_stride * es);
            acc.re += x.re, acc.im += x.im;
            dtype_convert_complex(dt, out + i * out_stride * es, DT_COMPLEX128, &acc);
        }
    } else if (dtype_is_float(dt)) {
        double acc = 0;
        for (int64_t i = 0; i < n; i++) {
            acc += dtype_load_f64(dt, in + i * in_stride * es);
            dtype_store_f64(dt, out + i * out_stride * es, acc);
        }
    } else {
        uint64_t acc = 0;
        for (int64_t i = 0; i < n; i++) {
            acc += (uint64_t)dtype_load_i64(dt, in + i * in_stride * es);
            dtype_store_i64(dt, out + i * out_stride * es, (int64_t)acc);
        }
    }
}

KernelStatus kernel_cumsum(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                           const int64_t *in_stride, char *out, const int64_t *out_stride) {
    int64_t n = line_length(ndim, shape, d), lines = line_count(ndim, shape, d), es = (int64_t)dtype_size(dt);
    int64_t ist = line_stride(ndim, in_stride, d), ost = line_stride(ndim, out_stride, d);
    for (int64_t k = 0; k < lines; k++)
        kernel_cumsum_line(dt, in + line_offset(ndim, shape, d, in_stride, k) * es, ist,
                           out + line_offset(ndim, shape, d, out_stride, k) * es, ost, n);
    return KERNEL_OK;
}
