/* grid_sample_3d.c: torch.grid_sampler_3d's loops (grid_sample.h), ATen's
 * grid_sampler_3d_cpu_impl and its backward with GridSampler.h's scalar
 * coordinate helpers, for float and double: products and sums in ATen's
 * order, each rounded (ATen compiles this file without FMA). */
#include <math.h>
#include <stdint.h>

#include "grid_sample.h"

/* static_cast<int> as x86 gives it: out of range and NaN give INT_MIN */
static inline int gs3_int(double v) { return v == v && v > -2147483649.0 && v < 2147483648.0 ? (int)v : INT32_MIN; }

static inline bool gs3_inside(int64_t d, int64_t h, int64_t w, int64_t D, int64_t H, int64_t W) {
    return d >= 0 && d < D && h >= 0 && h < H && w >= 0 && w < W;
}

#define GS3_IMPL(T_, S, FLOOR, FABS, FMOD, RINT)                                                                     \
    static inline T_ S##_unnorm(T_ c, int64_t size, bool align, T_ *grad) {                                          \
        if (align) {                                                                                                 \
            if (grad) *grad = (T_)(size - 1) / 2;                                                                    \
            return ((c + 1) / 2) * (T_)(size - 1);                                                                   \
        }                                                                                                            \
        if (grad) *grad = (T_)size / 2;                                                                              \
        return ((c + 1) * (T_)size - 1) / 2;                                                                         \
    }                                                                                                                \
    /* std::min(limit - 1, std::max(in, 0)) */                                                                       \
    static inline T_ S##_clip(T_ in, int64_t limit) {                                                                \
        T_ lo = in < 0 ? (T_)0 : in;                                                                                 \
        T_ hi = (T_)(limit - 1);                                                                                     \
        return lo < hi ? lo : hi;                                                                                    \
    }                                                                                                                \
    static inline T_ S##_clip_grad(T_ in, int64_t limit, T_ *grad) {                                                 \
        if (in <= 0) {                                                                                               \
            *grad = 0;                                                                                               \
            return 0;                                                                                                \
        }                                                                                                            \
        T_ mx = (T_)(limit - 1);                                                                                     \
        if (in >= mx) {                                                                                              \
            *grad = 0;                                                                                               \
            return mx;                                                                                               \
        }                                                                                                            \
        *grad = 1;                                                                                                   \
        return in;                                                                                                   \
    }                                                                                                                \
    static inline T_ S##_reflect(T_ in, int64_t twice_low, int64_t twice_high, T_ *grad) {                           \
        if (twice_low == twice_high) {                                                                               \
            if (grad) *grad = 0;                                                                                     \
            return 0;                                                                                                \
        }                                                                                                            \
        T_ mn = (T_)twice_low / 2, span = (T_)(twice_high - twice_low) / 2;                                          \
        int mult = 1;                                                                                                \
        in = in - mn;                                                                                                \
        if (grad) {                                                                                                  \
            if (in < 0) {                                                                                            \
                mult = -1;                                                                                           \
                in = -in;                                                                                            \
            }                                                                                                        \
        } else {                                                                                                     \
            in = FABS(in);                                                                                           \
        }                                                                                                            \
        T_ extra = FMOD(in, span);                                                                                   \
        int flips = gs3_int((double)FLOOR(in / span));                                                               \
        if (flips % 2 == 0) {                                                                                        \
            if (grad) *grad = (T_)mult;                                                                              \
            return extra + mn;                                                                                       \
        }                                                                                                            \
        if (grad) *grad = (T_)-mult;                                                                                 \
        return span - extra + mn;                                                                                    \
    }                                                                                                                \
    static inline T_ S##_safe(T_ x) {                                                                                \
        if (x > (T_)(INT32_MAX - 1) || x < (T_)INT32_MIN || !isfinite((double)x)) return (T_)-100.0;                 \
        return x;                                                                                                    \
    }                                                                                                                \
    /* grid_sampler_compute_source_index(_set_grad): grad NULL for the first */                                      \
    static T_ S##_source(T_ c, int64_t size, int padding, bool align, T_ *grad) {                                    \
        c = S##_unnorm(c, size, align, grad);                                                                        \
        if (padding == GRID_BORDER) {                                                                                \
            if (grad) {                                                                                              \
                T_ gc;                                                                                               \
                c = S##_clip_grad(c, size, &gc);                                                                     \
                *grad = *grad * gc;                                                                                  \
            } else {                                                                                                 \
                c = S##_clip(c, size);                                                                               \
            }                                                                                                        \
        } else if (padding == GRID_REFLECTION) {                                                                     \
            T_ gr = 1, gc = 1;                                                                                       \
            c = align ? S##_reflect(c, 0, 2 * (size - 1), grad ? &gr : NULL)                                         \
                      : S##_reflect(c, -1, 2 * size - 1, grad ? &gr : NULL);                                         \
            if (grad) {                                                                                              \
                c = S##_clip_grad(c, size, &gc);                                                                     \
                *grad = *grad * gr * gc;                                                                             \
            } else {                                                                                                 \
                c = S##_clip(c, size);                                                                               \
            }                                                                                                        \
        }                                                                                                            \
        return S##_safe(c);                                                                                          \
    }                                                                                                                \
    typedef struct {                                                                                                 \
        int64_t x0, y0, z0;                                                                                          \
        T_ ix, iy, iz, w[8];                                                                                         \
    } S##_Tri;                                                                                                       \
    /* corner k: bit 0 x+1 (east), bit 1 y+1 (south), bit 2 z+1 (bottom); ATen's tnw, tne, tsw, tse, bnw, ... */     \
    static void S##_tri(T_ ix, T_ iy, T_ iz, S##_Tri *t) {                                                           \
        t->ix = ix, t->iy = iy, t->iz = iz;                                                                          \
        t->x0 = (int64_t)FLOOR(ix), t->y0 = (int64_t)FLOOR(iy), t->z0 = (int64_t)FLOOR(iz);                          \
        T_ x0 = (T_)t->x0, y0 = (T_)t->y0, z0 = (T_)t->z0, x1 = (T_)(t->x0 + 1), y1 = (T_)(t->y0 + 1),               \
           z1 = (T_)(t->z0 + 1);                                                                                     \
        t->w[0] = (x1 - ix) * (y1 - iy) * (z1 - iz);                                                                 \
        t->w[1] = (ix - x0) * (y1 - iy) * (z1 - iz);                                                                 \
        t->w[2] = (x1 - ix) * (iy - y0) * (z1 - iz);                                                                 \
        t->w[3] = (ix - x0) * (iy - y0) * (z1 - iz);                                                                 \
        t->w[4] = (x1 - ix) * (y1 - iy) * (iz - z0);                                                                 \
        t->w[5] = (ix - x0) * (y1 - iy) * (iz - z0);                                                                 \
        t->w[6] = (x1 - ix) * (iy - y0) * (iz - z0);                                                                 \
        t->w[7] = (ix - x0) * (iy - y0) * (iz - z0);                                                                 \
    }                                                                                                                \
    static void S##_point(const GridSample3d *g, int64_t n, int64_t d, int64_t h, int64_t w, T_ *x, T_ *y, T_ *z) {  \
        const T_ *q = (const T_ *)g->grid + n * g->grid_s[0] + d * g->grid_s[1] + h * g->grid_s[2] +                \
                      w * g->grid_s[3];                                                                              \
        *x = q[0], *y = q[g->grid_s[4]], *z = q[2 * g->grid_s[4]];                                                   \
    }                                                                                                                \
    static void S##_forward(const GridSample3d *g, T_ *out) {                                                        \
        const T_ *inp = g->input;                                                                                    \
        int64_t P = g->out_D * g->out_H * g->out_W;                                                                  \
        for (int64_t n = 0; n < g->N; n++)                                                                           \
            for (int64_t d = 0; d < g->out_D; d++)                                                                   \
                for (int64_t h = 0; h < g->out_H; h++)                                                               \
                    for (int64_t w = 0; w < g->out_W; w++) {                                                         \
                        T_ gx, gy, gz;                                                                               \
                        S##_point(g, n, d, h, w, &gx, &gy, &gz);                                                     \
                        T_ ix = S##_source(gx, g->inp_W, g->padding, g->align_corners, NULL);                        \
                        T_ iy = S##_source(gy, g->inp_H, g->padding, g->align_corners, NULL);                        \
                        T_ iz = S##_source(gz, g->inp_D, g->padding, g->align_corners, NULL);                        \
                        T_ *o = out + n * g->C * P + (d * g->out_H + h) * g->out_W + w;                              \
                        const T_ *pl = inp + n * g->inp_s[0];                                                        \
                        if (g->interp == GRID_BILINEAR) {                                                            \
                            S##_Tri t;                                                                               \
                            S##_tri(ix, iy, iz, &t);                                                                 \
                            for (int64_t c = 0; c < g->C; c++, o += P, pl += g->inp_s[1]) {                          \
                                T_ r = 0;                                                                            \
                                for (int k = 0; k < 8; k++) {                                                        \
                                    int64_t xx = t.x0 + (k & 1), yy = t.y0 + ((k >> 1) & 1), zz = t.z0 + (k >> 2);   \
                                    if (gs3_inside(zz, yy, xx, g->inp_D, g->inp_H, g->inp_W))                        \
                                        r += pl[zz * g->inp_s[2] + yy * g->inp_s[3] + xx * g->inp_s[4]] * t.w[k];    \
                                }                                                                                    \
                                *o = r;                                                                              \
                            }                                                                                        \
                        } else {                                                                                     \
                            int64_t xx = (int64_t)RINT(ix), yy = (int64_t)RINT(iy), zz = (int64_t)RINT(iz);          \
                            bool in = gs3_inside(zz, yy, xx, g->inp_D, g->inp_H, g->inp_W);                          \
                            for (int64_t c = 0; c < g->C; c++, o += P, pl += g->inp_s[1])                            \
                                *o = in ? pl[zz * g->inp_s[2] + yy * g->inp_s[3] + xx * g->inp_s[4]] : (T_)0;        \
                        }                                                                                            \
                    }                                                                                                \
    }                                                                                                                \
    static void S##_backward(const GridSample3d *g, const T_ *gout, T_ *gin, T_ *ggrid) {                            \
        const T_ *inp = g->input;                                                                                    \
        int64_t P = g->out_D * g->out_H * g->out_W, V = g->inp_D * g->inp_H * g->inp_W;                              \
        for (int64_t n = 0; n < g->N; n++)                                                                           \
            for (int64_t d = 0; d < g->out_D; d++)                                                                   \
                for (int64_t h = 0; h < g->out_H; h++)                                                               \
                    for (int64_t w = 0; w < g->out_W; w++) {                                                         \
                        T_ gx, gy, gz, mx, my, mz;                                                                   \
                        S##_point(g, n, d, h, w, &gx, &gy, &gz);                                                     \
                        T_ ix = S##_source(gx, g->inp_W, g->padding, g->align_corners, &mx);                         \
                        T_ iy = S##_source(gy, g->inp_H, g->padding, g->align_corners, &my);                         \
                        T_ iz = S##_source(gz, g->inp_D, g->padding, g->align_corners, &mz);                         \
                        int64_t p = (d * g->out_H + h) * g->out_W + w;                                               \
                        T_ *gg = ggrid + (n * P + p) * 3;                                                            \
                        const T_ *go = gout + n * g->C * P + p;                                                      \
                        T_ *gi = gin ? gin + n * g->C * V : NULL;                                                    \
                        const T_ *pl = inp + n * g->inp_s[0];                                                        \
                        if (g->interp == GRID_BILINEAR) {                                                            \
                            S##_Tri t;                                                                               \
                            S##_tri(ix, iy, iz, &t);                                                                 \
                            T_ x0 = (T_)t.x0, y0 = (T_)t.y0, z0 = (T_)t.z0, x1 = (T_)(t.x0 + 1),                     \
                               y1 = (T_)(t.y0 + 1), z1 = (T_)(t.z0 + 1);                                             \
                            T_ gix = 0, giy = 0, giz = 0;                                                            \
                            for (int64_t c = 0; c < g->C; c++, go += P, pl += g->inp_s[1]) {                         \
                                T_ o = *go;                                                                          \
                                if (gi)                                                                              \
                                    for (int k = 0; k < 8; k++) {                                                    \
                                        int64_t xx = t.x0 + (k & 1), yy = t.y0 + ((k >> 1) & 1), zz = t.z0 + (k >> 2); \
                                        if (gs3_inside(zz, yy, xx, g->inp_D, g->inp_H, g->inp_W))                    \
                                            gi[c * V + (zz * g->inp_H + yy) * g->inp_W + xx] += t.w[k] * o;          \
                                    }                                                                                \
                                /* the x, y, z factors of each corner's weight, ATen's signs */                      \
                                for (int k = 0; k < 8; k++) {                                                        \
                                    int64_t xx = t.x0 + (k & 1), yy = t.y0 + ((k >> 1) & 1), zz = t.z0 + (k >> 2);   \
                                    if (!gs3_inside(zz, yy, xx, g->inp_D, g->inp_H, g->inp_W)) continue;             \
                                    T_ v = pl[zz * g->inp_s[2] + yy * g->inp_s[3] + xx * g->inp_s[4]];               \
                                    T_ fx = (k & 1) ? ix - x0 : x1 - ix;                                             \
                                    T_ fy = ((k >> 1) & 1) ? iy - y0 : y1 - iy;                                      \
                                    T_ fz = (k >> 2) ? iz - z0 : z1 - iz;                                            \
                                    T_ ax = v * fy * fz * o, ay = v * fx * fz * o, az = v * fx * fy * o;             \
                                    if (k & 1) gix += ax; else gix -= ax;                                            \
                                    if ((k >> 1) & 1) giy += ay; else giy -= ay;                                     \
                                    if (k >> 2) giz += az; else giz -= az;                                           \
                                }                                                                                    \
                            }                                                                                        \
                            gg[0] = mx * gix;                                                                        \
                            gg[1] = my * giy;                                                                        \
                            gg[2] = mz * giz;                                                                        \
                        } else {                                                                                     \
                            int64_t xx = (int64_t)RINT(ix), yy = (int64_t)RINT(iy), zz = (int64_t)RINT(iz);          \
                            if (gi && gs3_inside(zz, yy, xx, g->inp_D, g->inp_H, g->inp_W))                          \
                                for (int64_t c = 0; c < g->C; c++, go += P)                                          \
                                    gi[c * V + (zz * g->inp_H + yy) * g->inp_W + xx] += *go;                         \
                            gg[0] = gg[1] = gg[2] = 0;                                                               \
                        }                                                                                            \
                    }                                                                                                \
    }

GS3_IMPL(float, gs3f, floorf, fabsf, fmodf, nearbyintf)
GS3_IMPL(double, gs3d, floor, fabs, fmod, nearbyint)

void kernel_grid_sample_3d(const GridSample3d *g, void *out) {
    if (g->dt == DT_FLOAT32) gs3f_forward(g, out);
    else gs3d_forward(g, out);
}

void kernel_grid_sample_3d_backward(const GridSample3d *g, const void *grad_out, void *grad_input, void *grad_grid) {
    if (g->dt == DT_FLOAT32) gs3f_backward(g, grad_out, grad_input, grad_grid);
    else gs3d_backward(g, grad_out, grad_input, grad_grid);
}
