/* segment_reduce.c: segment_reduce's loops (segment_reduce.h), written as
 * SegmentReduce.cpp's _segment_reduce_cpu_kernel and its backward. */
#include "segment_reduce.h"

#include <math.h>
#include <string.h>

/* v rounded to dt (scalar_t arithmetic: each step's result stored) */
static double rd(DType dt, double v) {
    if (dt == DT_FLOAT64) return v;
    char b[8];
    dtype_store_f64(dt, b, v);
    return dtype_load_f64(dt, b);
}

static double ld(DType dt, const void *p, int64_t i) { return dtype_load_f64(dt, (const char *)p + (size_t)i * dtype_size(dt)); }
static void st(DType dt, void *p, int64_t i, double v) { dtype_store_f64(dt, (char *)p + (size_t)i * dtype_size(dt), v); }

static double seg_init(DType dt, const SegmentGeom *g) {
    if (g->has_initial) return rd(dt, g->initial);
    switch (g->reduction) {
    case SEG_MAX: return -INFINITY;
    case SEG_MIN: return INFINITY;
    case SEG_PROD: return 1;
    default: return 0;
    }
}

void kernel_segment_reduce(DType dt, const SegmentGeom *g, const void *data, const int64_t *lengths, void *out) {
    for (int64_t o = 0; o < g->outer; o++) {
        int64_t cum = 0;
        for (int64_t s = 0; s < g->segments; s++) {
            int64_t len = lengths[o * g->segments + s];
            for (int64_t in = 0; in < g->inner; in++) {
                double v = seg_init(dt, g);
                for (int64_t j = 0; j < len; j++) {
                    double x = ld(dt, data, (o * g->axis_len + cum + j) * g->inner + in);
                    switch (g->reduction) {
                    case SEG_MAX: v = isnan(x) ? x : v < x ? x : v; break; /* std::max */
                    case SEG_MIN: v = isnan(x) ? x : x < v ? x : v; break; /* std::min */
                    case SEG_PROD: v = rd(dt, v * x); break;
                    default: v = rd(dt, v + x); break;
                    }
                }
                if (len == 0 && !g->has_initial && g->reduction == SEG_MEAN) v = NAN;
                else if (g->reduction == SEG_MEAN && len > 0 && !isnan(v)) v = rd(dt, v / rd(dt, (double)len));
                st(dt, out, (o * g->segments + s) * g->inner + in, v);
            }
            cum += len;
        }
    }
}

void kernel_segment_reduce_backward(DType dt, const SegmentGeom *g, const void *grad, const void *out,
                                    const void *data, const int64_t *lengths, void *gin) {
    memset(gin, 0, (size_t)(g->outer * g->axis_len * g->inner) * dtype_size(dt));
    double init_prod = g->has_initial ? rd(dt, g->initial) : 1;
    for (int64_t o = 0; o < g->outer; o++) {
        int64_t cum = 0;
        for (int64_t s = 0; s < g->segments; s++) {
            int64_t len = lengths[o * g->segments + s];
            if (len == 0) continue;
            for (int64_t in = 0; in < g->inner; in++) {
                int64_t oi = (o * g->segments + s) * g->inner + in, base = (o * g->axis_len + cum) * g->inner + in;
                double gv = ld(dt, grad, oi), ov = ld(dt, out, oi);
                if (g->reduction == SEG_MAX || g->reduction == SEG_MIN) {
                    int64_t counter = 0;
                    for (int64_t j = 0; j < len; j++) {
                        double x = ld(dt, data, base + j * g->inner);
                        if (isnan(x) || x == ov) {
                            st(dt, gin, base + j * g->inner, gv);
                            counter++;
                        }
                    }
                    if (counter < 2) continue;
                    /* ATen averages the positive gradients only */
                    for (int64_t j = 0; j < len; j++) {
                        double v = ld(dt, gin, base + j * g->inner);
                        if (v > 0) st(dt, gin, base + j * g->inner, rd(dt, v / rd(dt, (double)counter)));
                    }
                } else if (g->reduction == SEG_MEAN) {
                    double v = rd(dt, gv / rd(dt, (double)len));
                    for (int64_t j = 0; j < len; j++) st(dt, gin, base + j * g->inner, v);
                } else if (g->reduction == SEG_SUM) {
                    for (int64_t j = 0; j < len; j++) st(dt, gin, base + j * g->inner, gv);
                } else {
                    double go = rd(dt, gv * ov);
                    for (int64_t j = 0; j < len; j++) {
                        double x = ld(dt, data, base + j * g->inner);
                        if (isnan(x) || x == 0) { /* the exclusive product, explicitly */
                            double e = init_prod;
                            for (int64_t k = 0; k < len; k++)
                                if (k != j) e = rd(dt, e * ld(dt, data, base + k * g->inner));
                            st(dt, gin, base + j * g->inner, rd(dt, gv * e));
                        } else {
                            st(dt, gin, base + j * g->inner, rd(dt, go / x));
                        }
                    }
                }
            }
            cum += len;
        }
    }
}
