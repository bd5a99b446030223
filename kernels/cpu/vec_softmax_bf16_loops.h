/* vec_softmax_bf16_loops.h: bfloat16 softmax and log_softmax as ATen
 * 1.13's SoftMaxKernel.cpp computes them, for one vector width. Included by
 * vec_math_loops.h (VF, SLEEF_F, LANES defined there). A Vectorized<BFloat16>
 * holds two float vectors' worth of lanes (BW = 2 * W); the kernels convert
 * them to float, compute there (functional_bfloat16.h's reduce_all and
 * map_reduce_all on the float halves) and round to bfloat16 where ATen
 * stores a bfloat16:
 *   last dim, softmax:     _vec_softmax_lastdim<BFloat16>: the row to float,
 *                          max, exp in float vectors (std::exp on the
 *                          n % W tail), times 1/sum, rounded once;
 *   last dim, log_softmax: _vec_log_softmax_lastdim: max and sum of exp
 *                          (map_reduce_all) rounded to bfloat16, log of the
 *                          sum rounded, then x - max - log(sum) in float;
 *   other dims:            _vec_softmax / _vec_logsoftmax: in float,
 *                          BW columns at a time, the inner % BW last ones
 *                          by the scalar loop (below). */
#include "dtype.h"

static inline float bsm_r(float v) { return bf16_to_float(float_to_bf16(v)); }
static inline float bsm_max1(float a, float b) { /* vec::maximum, one lane */
    return (a != a || b != b) ? NAN : (a > b ? a : b);
}
static inline VF bsm_vmax(VF a, VF b) {
    for (int64_t k = 0; k < LANES(VF, float); k++) a[k] = bsm_max1(a[k], b[k]);
    return a;
}
/* count bfloat16 elements at p to float lanes, zero padded */
static inline void bsm_load(const tsr_bfloat16 *p, int64_t count, VF *lo, VF *hi) {
    const int64_t w = LANES(VF, float);
    float t[2 * sizeof(VF) / sizeof(float)] = {0};
    for (int64_t k = 0; k < count; k++) t[k] = bf16_to_float(p[k]);
    memcpy(lo, t, sizeof *lo);
    memcpy(hi, t + w, sizeof *hi);
}
/* vec_reduce_all: `lanes` lanes in order (the sized form), or float's whole
 * vector by halves (VecReduceAllSIMD) */
static inline float bsm_fold(VF v, int64_t lanes, bool is_max, bool simd) {
    const int64_t w = LANES(VF, float);
    float a[sizeof(VF) / sizeof(float)];
    memcpy(a, &v, sizeof v);
    if (simd) {
        for (int64_t step = w / 2; step >= 1; step /= 2) {
            float b[sizeof(VF) / sizeof(float)];
            for (int64_t k = 0; k < w; k++) b[k] = is_max ? bsm_max1(a[k], a[k ^ step]) : a[k] + a[k ^ step];
            memcpy(a, b, sizeof b);
        }
        return a[0];
    }
    float r = a[0];
    for (int64_t k = 1; k < lanes; k++) r = is_max ? bsm_max1(r, a[k]) : r + a[k];
    return r;
}
static inline VF bsm_red(VF a, VF b, bool is_max) {
    if (is_max) return bsm_vmax(a, b);
    return a + b;
}
static inline VF bsm_map(VF v, bool is_max, float mx) {
    if (is_max) return v;
    return SLEEF_F(exp, u10)(v - mx);
}

/* functional_bfloat16.h's reduce_all(maximum) (is_max) or
 * map_reduce_all((x - mx).exp(), +) over n bfloat16 */
static float bsm_reduce(const tsr_bfloat16 *x, int64_t n, bool is_max, float mx) {
    const int64_t w = LANES(VF, float), bw = 2 * w;
    VF a0, a1, v0, v1;
    if (n < bw) {
        bsm_load(x, n, &v0, &v1);
        if (n > w) {
            v0 = bsm_map(v0, is_max, mx);
            v1 = bsm_map(v1, is_max, mx);
            VF r = bsm_red(v0, v1, is_max);
            for (int64_t k = 0; k < n - w; k++) v0[k] = r[k];
            return bsm_fold(v0, w, is_max, false);
        }
        return bsm_fold(bsm_map(v0, is_max, mx), n, is_max, false);
    }
    bsm_load(x, bw, &a0, &a1);
    a0 = bsm_map(a0, is_max, mx);
    a1 = bsm_map(a1, is_max, mx);
    int64_t d = bw;
    for (; d < n - n % bw; d += bw) {
        bsm_load(x + d, bw, &v0, &v1);
        a0 = bsm_red(a0, bsm_map(v0, is_max, mx), is_max);
        a1 = bsm_red(a1, bsm_map(v1, is_max, mx), is_max);
    }
    if (n - d > 0) {
        bsm_load(x + d, n - d, &v0, &v1);
        if (n - d > w) {
            a0 = bsm_red(a0, bsm_map(v0, is_max, mx), is_max);
            VF r = bsm_red(a1, bsm_map(v1, is_max, mx), is_max);
            for (int64_t k = 0; k < n - d - w; k++) a1[k] = r[k];
        } else {
            VF r = bsm_red(a0, bsm_map(v0, is_max, mx), is_max);
            for (int64_t k = 0; k < n - d; k++) a0[k] = r[k];
        }
    }
    return bsm_fold(bsm_red(a0, a1, is_max), w, is_max, true);
}

/* _vec_softmax_lastdim<BFloat16> (which keeps the row in a float buffer:
 * here each exp is computed again, to the same bits, for the output) */
static void bsm_softmax_row(const tsr_bfloat16 *x, tsr_bfloat16 *y, int64_t n) {
    const int64_t w = LANES(VF, float), bw = 2 * w;
    VF mv, v0, v1;
    for (int64_t k = 0; k < w; k++) mv[k] = -INFINITY;
    int64_t d = 0;
    for (; d < n - n % bw; d += bw) {
        bsm_load(x + d, bw, &v0, &v1);
        mv = bsm_vmax(bsm_vmax(mv, v0), v1);
    }
    float mx = bsm_fold(mv, w, true, true);
    for (; d < n; d++) {
        float v = bf16_to_float(x[d]);
        mx = mx < v ? v : mx; /* std::max */
    }
    float sum = 0, inv = 0;
    for (int pass = 0; pass < 2; pass++) {
        VF sv = (VF){0};
        for (d = 0; d < n - n % w; d += w) {
            for (int64_t k = 0; k < w; k++) v0[k] = bf16_to_float(x[d + k]);
            v0 = SLEEF_F(exp, u10)(v0 - mx);
            if (pass == 0) sv = sv + v0;
            else
                for (int64_t k = 0; k < w; k++) y[d + k] = float_to_bf16(v0[k] * inv);
        }
        if (pass == 0) sum = bsm_fold(sv, w, false, true);
        for (; d < n; d++) {
            float e = expf(bf16_to_float(x[d]) - mx);
            if (pass == 0) sum += e;
            else y[d] = float_to_bf16(e * inv);
        }
        if (pass == 0) inv = 1 / sum;
    }
}

/* _vec_log_softmax_lastdim<BFloat16> */
static void bsm_log_softmax_row(const tsr_bfloat16 *x, tsr_bfloat16 *y, int64_t n) {
    float mx = bsm_r(bsm_reduce(x, n, true, 0));
    float sum = bsm_r(bsm_reduce(x, n, false, mx));
    VF s = (VF){0} + sum; /* vec::map(log) over the bfloat16 sums */
    s = SLEEF_F(log, u10)(s);
    float ls = bsm_r(s[0]);
    for (int64_t d = 0; d < n; d++) y[d] = float_to_bf16(bf16_to_float(x[d]) - mx - ls);
}

static void bsm_lastdim(const tsr_bfloat16 *in, tsr_bfloat16 *out, int64_t outer, int64_t n,
                        bool lg) {
    for (int64_t i = 0; i < outer; i++) {
        if (lg) bsm_log_softmax_row(in + i * n, out + i * n, n);
        else bsm_softmax_row(in + i * n, out + i * n, n);
    }
}

/* _vec_softmax<BFloat16> (lg false) and _vec_logsoftmax<BFloat16> over the
 * middle dim of [outer, n, inner], in float and rounded once: max, sum of
 * exp(x - max) (SLEEF on the vector columns, std::exp on the inner % BW
 * last ones), then exp / sum (softmax; the scalar columns divide the
 * exp already rounded to bfloat16, as ATen's scalar loop stores it in the
 * output first) or x - max - log(sum) (SLEEF's log on every sum). Each
 * exp is computed again, to the same bits, where ATen keeps a float buffer.
 * log_softmax's vector columns take the upper float half of each
 * Vectorized<BFloat16> with the lower half's maxima (column c - W's), in
 * the sum and in the output, as 1.13's kernel loads them: the result is
 * still log_softmax, rounded as if shifted by that other max.
 * BSM_COLS columns at a time: a multiple of every BW, so the split keeps
 * which columns are vector lanes. */
#define BSM_COLS 256
static void bsm_inner(const tsr_bfloat16 *in, tsr_bfloat16 *out, int64_t outer, int64_t n,
                      int64_t inner, bool lg) {
    const int64_t w = LANES(VF, float), bw = 2 * w, vend = inner - inner % bw;
    float mxs[BSM_COLS], used[BSM_COLS], sums[BSM_COLS];
    for (int64_t o = 0; o < outer; o++)
        for (int64_t c0 = 0; c0 < inner; c0 += BSM_COLS) {
            const int64_t nc = inner - c0 < BSM_COLS ? inner - c0 : BSM_COLS;
            int64_t nv = vend - c0; /* the columns that are vector lanes */
            nv = nv < 0 ? 0 : nv > nc ? nc : nv;
            const tsr_bfloat16 *xo = in + o * n * inner + c0;
            tsr_bfloat16 *yo = out + o * n * inner + c0;
            for (int64_t c = 0; c < nc; c++) {
                mxs[c] = lg ? -INFINITY : bf16_to_float(xo[c]);
                sums[c] = 0;
            }
            for (int64_t d = lg ? 0 : 1; d < n; d++)
                for (int64_t c = 0; c < nc; c++) {
                    float v = bf16_to_float(xo[d * inner + c]), m = mxs[c];
                    if (lg) mxs[c] = v > m ? v : m;           /* blendv(max, x, x > max) */
                    else if (c < nv) mxs[c] = bsm_max1(m, v); /* vec::maximum */
                    else mxs[c] = m < v ? v : m;              /* std::max */
                }
            for (int64_t c = 0; c < nc; c++) used[c] = lg && c < nv && c % bw >= w ? mxs[c - w] : mxs[c];
            for (int pass = 0; pass < (lg ? 1 : 2); pass++)
                for (int64_t d = 0; d < n; d++) {
                    const tsr_bfloat16 *xd = xo + d * inner;
                    tsr_bfloat16 *yd = yo + d * inner;
                    int64_t c = 0;
                    for (; c < nv; c += w) {
                        VF v, m;
                        for (int64_t k = 0; k < w; k++) v[k] = bf16_to_float(xd[c + k]);
                        memcpy(&m, used + c, sizeof m);
                        v = SLEEF_F(exp, u10)(v - m);
                        for (int64_t k = 0; k < w; k++) {
                            if (pass == 0) sums[c + k] += v[k];
                            else yd[c + k] = float_to_bf16(v[k] / sums[c + k]);
                        }
                    }
                    for (; c < nc; c++) {
                        float e = expf(bf16_to_float(xd[c]) - used[c]);
                        if (pass == 0) sums[c] += e;
                        else yd[c] = float_to_bf16(bsm_r(e) / sums[c]);
                    }
                }
            if (!lg) continue;
            for (int64_t c = 0; c < nc; c += w) { /* vec::map(log) over the sums */
                VF s = (VF){0};
                int64_t m = nc - c < w ? nc - c : w;
                memcpy(&s, sums + c, (size_t)m * sizeof(float));
                s = SLEEF_F(log, u10)(s);
                memcpy(sums + c, &s, (size_t)m * sizeof(float));
            }
            for (int64_t d = 0; d < n; d++)
                for (int64_t c = 0; c < nc; c++)
                    yo[d * inner + c] = float_to_bf16(bf16_to_float(xo[d * inner + c]) - used[c] - sums[c]);
        }
}

/* ---- the backward (_softmax_backward_data, _log_softmax_backward_data)
 * in bfloat16: g the gradient, y the forward's result, in float.
 * Last dim: _vec_host_softmax_backward_lastdim on float vectors:
 * functional_bfloat16.h's reduce_all(+, g) or map2_reduce_all(g * y, +)
 * (products fused into the sum), the sum rounded to bfloat16, then
 * g - exp(y) * sum (fused) or (g - sum) * y in float, rounded once. Other
 * dims: per column, the sum in float down the dim, the same formulas, the
 * inner % BW last columns with std::exp. ---- */
static inline VF bsmb_map(VF g, VF y, bool prod) {
    if (prod) return g * y;
    return g;
}
static inline VF bsmb_red(VF acc, VF g, VF y, bool prod) {
    if (!prod) return acc + g;
    for (int64_t k = 0; k < LANES(VF, float); k++) acc[k] = fmaf(g[k], y[k], acc[k]);
    return acc;
}
static float bsmb_rsum(const tsr_bfloat16 *g, const tsr_bfloat16 *y, int64_t n, bool prod) {
    const int64_t w = LANES(VF, float), bw = 2 * w;
    VF g0, g1, y0 = (VF){0}, y1 = (VF){0}, a0, a1;
    if (n < bw) {
        bsm_load(g, n, &g0, &g1);
        if (prod) bsm_load(y, n, &y0, &y1);
        if (n > w) {
            a0 = bsmb_map(g0, y0, prod);
            VF r = bsmb_red(a0, g1, y1, prod);
            for (int64_t k = 0; k < n - w; k++) a0[k] = r[k];
            return bsm_fold(a0, w, false, false);
        }
        return bsm_fold(bsmb_map(g0, y0, prod), n, false, false);
    }
    bsm_load(g, bw, &g0, &g1);
    if (prod) bsm_load(y, bw, &y0, &y1);
    a0 = bsmb_map(g0, y0, prod);
    a1 = bsmb_map(g1, y1, prod);
    int64_t d = bw;
    for (; d < n - n % bw; d += bw) {
        bsm_load(g + d, bw, &g0, &g1);
        if (prod) bsm_load(y + d, bw, &y0, &y1);
        a0 = bsmb_red(a0, g0, y0, prod);
        a1 = bsmb_red(a1, g1, y1, prod);
    }
    if (n - d > 0) {
        bsm_load(g + d, n - d, &g0, &g1);
        if (prod) bsm_load(y + d, n - d, &y0, &y1);
        if (n - d > w) {
            a0 = bsmb_red(a0, g0, y0, prod);
            VF r = bsmb_red(a1, g1, y1, prod);
            for (int64_t k = 0; k < n - d - w; k++) a1[k] = r[k];
        } else {
            VF r = bsmb_red(a0, g0, y0, prod);
            for (int64_t k = 0; k < n - d; k++) a0[k] = r[k];
        }
    }
    return bsm_fold(a0 + a1, w, false, true);
}

/* m <= W gradients from sums s (float), lg: std::exp where scalar */
static void bsmb_apply(const tsr_bfloat16 *g, const tsr_bfloat16 *y, const float *s, tsr_bfloat16 *out,
                       int64_t m, bool lg, bool scalar) {
    VF gv, yv, hi;
    bsm_load(g, m, &gv, &hi);
    bsm_load(y, m, &yv, &hi);
    VF e = yv;
    if (lg) e = SLEEF_F(exp, u10)(yv);
    for (int64_t k = 0; k < m; k++) {
        float r;
        if (lg) r = fmaf(-(scalar ? expf(yv[k]) : e[k]), s[k], gv[k]);
        else r = (gv[k] - s[k]) * yv[k];
        out[k] = float_to_bf16(r);
    }
}

static void bsm_backward(const tsr_bfloat16 *g, const tsr_bfloat16 *y, tsr_bfloat16 *out, int64_t outer,
                         int64_t n, int64_t inner, bool lastdim, bool lg) {
    const int64_t w = LANES(VF, float), bw = 2 * w;
    float s[sizeof(VF) / sizeof(float)];
    if (lastdim) {
        for (int64_t i = 0; i < outer; i++) {
            const tsr_bfloat16 *gi = g + i * n, *yi = y + i * n;
            float sum = bsm_r(bsmb_rsum(gi, yi, n, !lg));
            for (int64_t k = 0; k < w; k++) s[k] = sum;
            for (int64_t d = 0; d < n; d += w)
                bsmb_apply(gi + d, yi + d, s, out + i * n + d, n - d < w ? n - d : w, lg, false);
        }
        return;
    }
    const int64_t vend = inner - inner % bw;
    for (int64_t o = 0; o < outer; o++)
        for (int64_t c = 0; c < inner; c += w) {
            const int64_t m = inner - c < w ? inner - c : w, base = o * n * inner + c;
            for (int64_t k = 0; k < m; k++) s[k] = 0;
            for (int64_t d = 0; d < n; d++)
                for (int64_t k = 0; k < m; k++) {
                    int64_t at = base + d * inner + k;
                    float gv = bf16_to_float(g[at]);
                    s[k] = lg ? s[k] + gv : fmaf(gv, bf16_to_float(y[at]), s[k]);
                }
            for (int64_t d = 0; d < n; d++) {
                int64_t at = base + d * inner;
                bsmb_apply(g + at, y + at, s, out + at, m, lg, c >= vend);
            }
        }
}
