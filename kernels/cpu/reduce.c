/* reduce.c: reduction kernels. Float sums follow PyTorch's cascade_sum
 * (SumKernel.cpp) so float32 results round the way PyTorch's do: a
 * multi-level accumulator per lane, 4-way ILP, and 256-bit vector lanes
 * for contiguous inner reductions. */
#include "reduce.h"

#include "error.h"

#include "iter.h"
#include "lines.h"

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
        int w = (int)(VEC_BYTES / sizeof(T));                                                      \
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
    return dt == DT_FLOAT64 ? *(const double *)p : dtype_load_f64(dt, p);
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

static void sum_loop(DType dt, const ReduceGeom *g, const char *in, char *out) {
    int64_t es = (int64_t)dtype_size(dt);
    int64_t nout = prod(g->nout, g->out_shape);
    int64_t rs[RED_MAX_DIMS], rt[RED_MAX_DIMS];
    int nr = coalesce(g->nred, g->red_shape, g->red_stride, rs, rt);
    int64_t inner = nr ? rs[nr - 1] : 1, inner_stride = nr ? rt[nr - 1] : 1;
    int64_t nouter = nr ? prod(nr - 1, rs) : 1;
    /* PyTorch's "outer reduction" order: when the outputs are contiguous
     * in the input and the reduced dim is not */
    bool outer = g->nout > 0 && g->out_stride[g->nout - 1] == 1 && inner_stride != 1 &&
                 g->out_shape[g->nout - 1] > 1;
    for (int64_t j = 0; j < nout; j++) {
        int64_t base;
        unravel(g->nout, g->out_shape, g->out_stride, j, &base);
        const char *p = in + base * es;
        if (dtype_is_float(dt)) {
            if (dt == DT_FLOAT64) {
                double acc = 0;
                for (int64_t o = 0; o < nouter; o++) {
                    int64_t off;
                    unravel(nr - 1, rs, rt, o, &off);
                    acc += f64_cascade(dt, p + off * es, es, inner_stride, inner, outer);
                }
                ((double *)out)[j] = acc;
            } else {
                float acc = 0;
                for (int64_t o = 0; o < nouter; o++) {
                    int64_t off;
                    unravel(nr - 1, rs, rt, o, &off);
                    acc += f32_cascade(dt, p + off * es, es, inner_stride, inner, outer);
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

KernelStatus kernel_prod(DType dt, const ReduceGeom *g, const char *in, char *out, void *scratch) {
    int64_t es = (int64_t)dtype_size(dt);
    int64_t nout = prod(g->nout, g->out_shape);
    for (int64_t j = 0; j < nout; j++) {
        if (dt == DT_FLOAT64) {
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

KernelStatus kernel_var(DType dt, const ReduceGeom *g, const char *in, char *out, int64_t correction,
                        bool take_sqrt, void *scratch) {
    int64_t es = (int64_t)dtype_size(dt);
    int64_t nout = prod(g->nout, g->out_shape);
    int64_t n = prod(g->nred, g->red_shape);
    for (int64_t j = 0; j < nout; j++) {
        /* Welford in double, like PyTorch's WelfordOps */
        double mean = 0, m2 = 0;
        int64_t cnt = 0;
        FOR_EACH_REDUCED(g, in, es, j, q, r, {
            double v = dtype_load_f64(dt, q);
            cnt++;
            double delta = v - mean;
            mean += delta / (double)cnt;
            m2 += delta * (v - mean);
        });
        double div = n - correction > 0 ? (double)(n - correction) : 0.0;
        double var = n == 0 ? NAN : m2 / div; /* 0/0: NaN like PyTorch */
        if (take_sqrt) var = sqrt(var);
        dtype_store_f64(dt, out + j * es, var);
    }
    return KERNEL_OK;
}

void kernel_cumsum_line(DType dt, const char *in, int64_t in_stride, char *out, int64_t out_stride,
                        int64_t n) {
    int64_t es = (int64_t)dtype_size(dt);
    if (dtype_is_float(dt)) {
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

KernelStatus kernel_cumsum(DType dt, int ndim, const int64_t *shape, int d, const char *in,
                           const int64_t *in_stride, char *out, const int64_t *out_stride) {
    int64_t n = line_length(ndim, shape, d), lines = line_count(ndim, shape, d), es = (int64_t)dtype_size(dt);
    int64_t ist = line_stride(ndim, in_stride, d), ost = line_stride(ndim, out_stride, d);
    for (int64_t k = 0; k < lines; k++)
        kernel_cumsum_line(dt, in + line_offset(ndim, shape, d, in_stride, k) * es, ist,
                           out + line_offset(ndim, shape, d, out_stride, k) * es, ost, n);
    return KERNEL_OK;
}
