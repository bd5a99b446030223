/* grid_sample_impl.h: the grid sampler's loops for one scalar type,
 * included by grid_sample.c with T (float or double), S (a name suffix),
 * I (the integer of T's size), FMA, FLOOR, TRUNC, RINT, FABS. */

/* cvtt: an out-of-range or NaN value gives the integer's minimum */
static inline I S(to_int)(T v) {
    if (!(v >= (T)INT_MIN_OF(I) && v < -(T)INT_MIN_OF(I))) return INT_MIN_OF(I);
    return (I)v;
}

/* Vectorized's minimum/maximum: NaN propagates */
static inline T S(minimum)(T a, T b) { return a != a || b != b ? (T)NAN : (a < b ? a : b); }
static inline T S(maximum)(T a, T b) { return a != a || b != b ? (T)NAN : (a > b ? a : b); }

typedef struct {
    T max_val, scaling, low, twice_span;
    bool empty, align;
    int padding;
} S(Loc);

static S(Loc) S(loc_make)(int64_t size, bool align, int padding) {
    S(Loc) l;
    l.align = align;
    l.padding = padding;
    l.max_val = (T)(size - 1);
    if (align) {
        l.scaling = (T)(size - 1) / 2;
        l.low = 0;
        l.twice_span = (T)(size - 1) * 2;
        l.empty = size <= 1;
    } else {
        l.scaling = (T)size / 2;
        l.low = (T)-0.5;
        l.twice_span = (T)size * 2;
        l.empty = size <= 0;
    }
    return l;
}

static inline T S(unnormalize)(const S(Loc) *l, T in) {
    if (l->align) return (in + 1) * l->scaling;
    return FMA(in + 1, l->scaling, (T)-0.5);
}

/* clamp_max(max_val, clamp_min(0, in)): NaN becomes 0 */
static inline T S(clip)(const S(Loc) *l, T in) {
    T lo = in > 0 ? in : 0;
    return lo < l->max_val ? lo : l->max_val;
}

static inline T S(reflect)(const S(Loc) *l, T in) {
    if (l->align && l->empty) return 0;
    T abs_in = FABS(in - l->low);
    T flips = TRUNC(abs_in / l->twice_span);
    T extra = FMA(-flips, l->twice_span, abs_in);
    return S(minimum)(extra, l->twice_span - extra) + l->low;
}

static inline T S(compute_coordinates)(const S(Loc) *l, T in) {
    if (l->padding == GRID_BORDER) return S(clip)(l, in);
    if (l->padding == GRID_REFLECTION) return S(clip)(l, S(reflect)(l, in));
    return in;
}

static inline T S(apply)(const S(Loc) *l, T in) { return S(compute_coordinates)(l, S(unnormalize)(l, in)); }

/* clip_coordinates_get_grad: *mask is whether the clipped value is
 * strictly inside (bit comparison with 0 and max_val) */
static inline T S(clip_get_grad)(const S(Loc) *l, T in, bool *mask) {
    T lo = S(maximum)(in, 0);
    T res = S(minimum)(lo, l->max_val);
    T zero = 0;
    *mask = memcmp(&lo, &zero, sizeof lo) != 0 && memcmp(&res, &l->max_val, sizeof res) != 0;
    return res;
}

/* apply_get_grad: the location and d location / d grid */
static inline T S(apply_get_grad)(const S(Loc) *l, T in, T *grad) {
    T u = S(unnormalize)(l, in);
    if (l->padding == GRID_ZEROS) {
        *grad = l->scaling;
        return u;
    }
    bool m;
    if (l->padding == GRID_BORDER) {
        T res = S(clip_get_grad)(l, u, &m);
        *grad = m ? l->scaling : 0;
        return res;
    }
    T res, g;
    if (l->align && l->empty) {
        res = 0;
        g = 0;
    } else {
        T in_low = u - l->low;
        bool neg = in_low < 0;
        T abs_in = FABS(in_low);
        T flips = TRUNC(abs_in / l->twice_span);
        T extra = FMA(-flips, l->twice_span, abs_in);
        T refl = l->twice_span - extra;
        bool more = extra > refl;
        res = (more ? refl : extra) + l->low;
        g = (more != neg) ? -1 : 1;
    }
    g = g * l->scaling;
    res = S(clip_get_grad)(l, res, &m);
    *grad = m ? g : 0;
    return res;
}

/* ((A x - 5A) x + 8A) x - 4A: each product's add takes the constant
 * product, so nothing fuses */
static inline T S(cubic_outer)(T x) {
    const T A = (T)-0.75;
    T t = A * x - 5 * A;
    t = t * x + 8 * A;
    return t * x - 4 * A;
}

/* ((A + 2) x - (A + 3)) x x + 1 */
static inline T S(cubic_inner)(T x) {
    const T A = (T)-0.75;
    return FMA(FMA(A + 2, x, -(A + 3)) * x, x, 1);
}

static inline void S(cubic_coeffs)(T c[4], T tx) {
    c[0] = S(cubic_outer)(tx + 1);
    c[1] = S(cubic_inner)(tx);
    c[2] = S(cubic_inner)(1 - tx);
    c[3] = S(cubic_outer)(2 - tx);
}

/* d coeff / d x; the constant products keep every product unfused */
static inline void S(cubic_coeffs_grad)(T c[4], T tx) {
    const T A = (T)-0.75;
    T x = -1 - tx;
    c[0] = ((-3 * A) * x - 10 * A) * x - 8 * A;
    x = 0 - tx;
    c[1] = ((-3 * (A + 2)) * x - 2 * (A + 3)) * x;
    x = 1 - tx;
    c[2] = ((3 * (A + 2)) * x - 2 * (A + 3)) * x;
    x = 2 - tx;
    c[3] = ((3 * A) * x - 10 * A) * x + 8 * A;
}

/* (y, x) inside the input plane: what a mask promises, except for the NaN
 * coordinates the backward's padding keeps (ATen then reads and writes
 * far outside the plane; here such a corner reads 0 and takes nothing) */
static inline bool S(inside)(const GridSample2d *g, int64_t y, int64_t x) {
    return y >= 0 && y < g->inp_H && x >= 0 && x < g->inp_W;
}

typedef struct {
    const GridSample2d *g;
    S(Loc) lh, lw;
    const T *inp;
} S(Ctx);

/* the input at (x, y) after padding (bicubic's get_value_bounded); its
 * gradient offset (y * W + x) and mask */
static inline T S(value_bounded)(const S(Ctx) *k, const T *plane, T x, T y, int64_t *goff, bool *mask) {
    const GridSample2d *g = k->g;
    I ix = S(to_int)(S(compute_coordinates)(&k->lw, x)), iy = S(to_int)(S(compute_coordinates)(&k->lh, y));
    bool m = (g->padding != GRID_ZEROS || (ix > -1 && ix < g->inp_W && iy > -1 && iy < g->inp_H)) &&
             S(inside)(g, iy, ix);
    *mask = m;
    *goff = m ? (int64_t)iy * g->inp_W + ix : 0;
    return m ? plane[iy * g->inp_s[2] + ix * g->inp_s[3]] : 0;
}

typedef struct {
    T n, s, w, e, nw, ne, sw, se;
    bool m[4];
    I iy, ix;
} S(Bilinear);

static inline void S(bilinear_params)(const S(Ctx) *k, T x, T y, S(Bilinear) *b) {
    const GridSample2d *g = k->g;
    T x_w = FLOOR(x), y_n = FLOOR(y);
    b->w = x - x_w;
    b->e = 1 - b->w;
    b->n = y - y_n;
    b->s = 1 - b->n;
    b->nw = b->s * b->e;
    b->ne = b->s * b->w;
    b->sw = b->n * b->e;
    b->se = b->n * b->w;
    I ixw = S(to_int)(x_w), iyn = S(to_int)(y_n);
    I ixe = (I)(ixw + 1), iys = (I)(iyn + 1);
    bool in = g->padding != GRID_ZEROS;
    bool wm = in || (ixw > -1 && ixw < g->inp_W), nm = in || (iyn > -1 && iyn < g->inp_H);
    bool em = in ? ixe < g->inp_W : (ixe > -1 && ixe < g->inp_W);
    bool sm = in ? iys < g->inp_H : (iys > -1 && iys < g->inp_H);
    b->m[0] = in || (wm && nm);
    b->m[1] = em && nm;
    b->m[2] = wm && sm;
    b->m[3] = em && sm;
    b->iy = iyn;
    b->ix = ixw;
}

static inline T S(at)(const S(Ctx) *k, const T *plane, bool m, int64_t y, int64_t x) {
    return m && S(inside)(k->g, y, x) ? plane[y * k->g->inp_s[2] + x * k->g->inp_s[3]] : 0;
}

static void S(forward_point)(const S(Ctx) *k, int64_t n, T gx, T gy, T *out, int64_t plane_size) {
    const GridSample2d *g = k->g;
    for (int64_t c = 0; c < g->C; c++) {
        const T *plane = k->inp + n * g->inp_s[0] + c * g->inp_s[1];
        T r;
        if (g->interp == GRID_BILINEAR) {
            S(Bilinear) b;
            S(bilinear_params)(k, S(apply)(&k->lw, gx), S(apply)(&k->lh, gy), &b);
            T v0 = S(at)(k, plane, b.m[0], b.iy, b.ix), v1 = S(at)(k, plane, b.m[1], b.iy, (int64_t)b.ix + 1);
            T v2 = S(at)(k, plane, b.m[2], (int64_t)b.iy + 1, b.ix);
            T v3 = S(at)(k, plane, b.m[3], (int64_t)b.iy + 1, (int64_t)b.ix + 1);
            r = FMA(v3, b.se, FMA(v2, b.sw, FMA(v1, b.ne, v0 * b.nw)));
        } else if (g->interp == GRID_NEAREST) {
            I ix = S(to_int)(RINT(S(apply)(&k->lw, gx))), iy = S(to_int)(RINT(S(apply)(&k->lh, gy)));
            r = S(at)(k, plane, true, iy, ix);
        } else {
            T x = S(unnormalize)(&k->lw, gx), y = S(unnormalize)(&k->lh, gy);
            T ix = FLOOR(x), iy = FLOOR(y), cx[4], cy[4], row[4];
            S(cubic_coeffs)(cx, x - ix);
            S(cubic_coeffs)(cy, y - iy);
            int64_t go;
            bool m;
            for (int i = 0; i < 4; i++) {
                T yy = iy + (T)(-1 + i);
                T a0 = S(value_bounded)(k, plane, ix - 1, yy, &go, &m);
                T a1 = S(value_bounded)(k, plane, ix + 0, yy, &go, &m);
                T a2 = S(value_bounded)(k, plane, ix + 1, yy, &go, &m);
                T a3 = S(value_bounded)(k, plane, ix + 2, yy, &go, &m);
                /* only the first product of each row fuses */
                row[i] = FMA(cx[0], a0, cx[1] * a1) + cx[2] * a2 + cx[3] * a3;
            }
            r = FMA(cy[3], row[3], FMA(cy[2], row[2], FMA(cy[1], row[1], cy[0] * row[0])));
        }
        out[c * plane_size] = r;
    }
}

/* the points of grid slice n in the kernel's vectors: flattened over H x W
 * when the grid's (H, W) walk is contiguous, else row by row */
static int64_t S(chunks)(const GridSample2d *g, int64_t *row_len) {
    const int64_t *s = g->grid_s;
    int64_t H = g->out_H, W = g->out_W;
    bool c3 = (H == 1 || s[1] == W * 2) && (W == 1 || s[2] == 2) && s[3] == 1;
    bool c2 = (W == 1 || s[2] == 1) && (H == 1 || W == 1 || s[1] == W * s[2]);
    if (c3 || ((s[2] == 1 || W == 1) && c2)) {
        *row_len = H * W;
        return 1;
    }
    *row_len = W;
    return H;
}

static void S(grid_point)(const GridSample2d *g, const T *grid, int64_t n, int64_t p, T *gx, T *gy) {
    int64_t h = p / g->out_W, w = p % g->out_W;
    const T *q = grid + n * g->grid_s[0] + h * g->grid_s[1] + w * g->grid_s[2];
    *gx = q[0];
    *gy = q[g->grid_s[3]];
}

static void S(forward)(const GridSample2d *g, void *out_) {
    S(Ctx) k = {g, S(loc_make)(g->inp_H, g->align_corners, g->padding),
                S(loc_make)(g->inp_W, g->align_corners, g->padding), g->input};
    T *out = out_;
    int64_t P = g->out_H * g->out_W;
    for (int64_t n = 0; n < g->N; n++) {
        for (int64_t p = 0; p < P; p++) {
            T gx, gy;
            S(grid_point)(g, g->grid, n, p, &gx, &gy);
            S(forward_point)(&k, n, gx, gy, out + n * g->C * P + p, P);
        }
    }
}

enum { S(LANES) = 32 / (int)sizeof(T) };

static void S(backward)(const GridSample2d *g, const T *gout, T *ginp, T *ggrid) {
    S(Ctx) k = {g, S(loc_make)(g->inp_H, g->align_corners, g->padding),
                S(loc_make)(g->inp_W, g->align_corners, g->padding), g->input};
    int64_t P = g->out_H * g->out_W, HW = g->inp_H * g->inp_W, row_len;
    int64_t rows = S(chunks)(g, &row_len);
    enum { L = S(LANES) };
    for (int64_t n = 0; n < g->N; n++) {
        for (int64_t r = 0; r < rows; r++) {
            for (int64_t start = 0; start < row_len; start += L) {
                int64_t len = row_len - start < L ? row_len - start : L, base = r * row_len + start;
                T gxs[L], gys[L], xm[L], ym[L], acc_x[L], acc_y[L];
                S(Bilinear) b[L];
                T bx[L], by[L], cx[L][4], cy[L][4], cxg[L][4], cyg[L][4];
                for (int64_t l = 0; l < len; l++) {
                    S(grid_point)(g, g->grid, n, base + l, &gxs[l], &gys[l]);
                    acc_x[l] = acc_y[l] = 0;
                    if (g->interp == GRID_BILINEAR) {
                        T x = S(apply_get_grad)(&k.lw, gxs[l], &xm[l]);
                        T y = S(apply_get_grad)(&k.lh, gys[l], &ym[l]);
                        S(bilinear_params)(&k, x, y, &b[l]);
                    } else if (g->interp == GRID_BICUBIC) {
                        T x = S(unnormalize)(&k.lw, gxs[l]), y = S(unnormalize)(&k.lh, gys[l]);
                        xm[l] = k.lw.scaling;
                        ym[l] = k.lh.scaling;
                        bx[l] = FLOOR(x);
                        by[l] = FLOOR(y);
                        S(cubic_coeffs)(cx[l], x - bx[l]);
                        S(cubic_coeffs)(cy[l], y - by[l]);
                        S(cubic_coeffs_grad)(cxg[l], x - bx[l]);
                        S(cubic_coeffs_grad)(cyg[l], y - by[l]);
                    }
                }
                for (int64_t c = 0; c < g->C; c++) {
                    const T *plane = k.inp + n * g->inp_s[0] + c * g->inp_s[1];
                    const T *go = gout + (n * g->C + c) * P + base;
                    T *gi = ginp ? ginp + (n * g->C + c) * HW : NULL;
                    if (g->interp == GRID_NEAREST) {
                        if (!gi) continue;
                        for (int64_t l = 0; l < len; l++) {
                            I ix = S(to_int)(RINT(S(apply)(&k.lw, gxs[l])));
                            I iy = S(to_int)(RINT(S(apply)(&k.lh, gys[l])));
                            if (S(inside)(g, iy, ix)) gi[(int64_t)iy * g->inp_W + ix] += go[l];
                        }
                    } else if (g->interp == GRID_BILINEAR) {
                        if (gi) {
                            for (int corner = 0; corner < 4; corner++) {
                                for (int64_t l = 0; l < len; l++) {
                                    const S(Bilinear) *q = &b[l];
                                    T wt = corner == 0 ? q->nw : corner == 1 ? q->ne : corner == 2 ? q->sw : q->se;
                                    int64_t y = (int64_t)q->iy + (corner >> 1), x = (int64_t)q->ix + (corner & 1);
                                    if (q->m[corner] && S(inside)(g, y, x)) gi[y * g->inp_W + x] += wt * go[l];
                                }
                            }
                        }
                        for (int64_t l = 0; l < len; l++) {
                            const S(Bilinear) *q = &b[l];
                            T v0 = S(at)(&k, plane, q->m[0], q->iy, q->ix);
                            T v1 = S(at)(&k, plane, q->m[1], q->iy, (int64_t)q->ix + 1);
                            T v2 = S(at)(&k, plane, q->m[2], (int64_t)q->iy + 1, q->ix);
                            T v3 = S(at)(&k, plane, q->m[3], (int64_t)q->iy + 1, (int64_t)q->ix + 1);
                            T tx = FMA(v3 - v2, q->n, (v1 - v0) * q->s);
                            T ty = FMA(v3 - v1, q->w, (v2 - v0) * q->e);
                            acc_x[l] = FMA(tx, go[l], acc_x[l]);
                            acc_y[l] = FMA(ty, go[l], acc_y[l]);
                        }
                    } else {
                        for (int i = 0; i < 4; i++) {
                            for (int j = 0; j < 4; j++) {
                                int64_t goff[L];
                                bool gm[L];
                                T val[L];
                                for (int64_t l = 0; l < len; l++)
                                    val[l] = S(value_bounded)(&k, plane, bx[l] + (T)(-1 + i), by[l] + (T)(-1 + j),
                                                             &goff[l], &gm[l]);
                                if (gi)
                                    for (int64_t l = 0; l < len; l++)
                                        if (gm[l]) gi[goff[l]] += go[l] * cx[l][i] * cy[l][j];
                                for (int64_t l = 0; l < len; l++) {
                                    T vg = val[l] * go[l];
                                    acc_x[l] = FMA(-(vg * cxg[l][i]), cy[l][j], acc_x[l]);
                                    acc_y[l] = FMA(-(vg * cyg[l][j]), cx[l][i], acc_y[l]);
                                }
                            }
                        }
                    }
                }
                for (int64_t l = 0; l < len; l++) {
                    T *q = ggrid + (n * P + base + l) * 2;
                    if (g->interp == GRID_NEAREST) {
                        q[0] = q[1] = 0;
                    } else {
                        q[0] = acc_x[l] * xm[l];
                        q[1] = acc_y[l] * ym[l];
                    }
                }
            }
        }
    }
}
