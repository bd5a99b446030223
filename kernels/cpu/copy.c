/* copy.c: tiled, two-thread same-dtype strided copy (see copy.h). */
#include "copy.h"

#include <string.h>

#ifdef __SSE2__
#include <immintrin.h>
#endif

#include "iter.h"


typedef struct {
    int nd; /* dims after merging, dim 0 innermost */
    int64_t shape[COPY_MAX_DIMS];
    int64_t ds[COPY_MAX_DIMS], ss[COPY_MAX_DIMS]; /* element strides */
    int es;
    char *dst;
    const char *src;
    int tile;       /* dim tiled against dim 0 (transposes), or -1 */
    int64_t nwork;  /* outer work items: rows (or tile rows) over the outer dims */
} CopyPlan;

#define COPY_TILE 64

static inline void copy_elem(char *d, const char *s, int es) {
    switch (es) {
    case 1: *d = *s; break;
    case 2: memcpy(d, s, 2); break;
    case 4: memcpy(d, s, 4); break;
    case 8: memcpy(d, s, 8); break;
    default: memcpy(d, s, (size_t)es); break;
    }
}

#define COPY_ROW_T(T)                                                                     \
    do {                                                                                  \
        T *d_ = (T *)d;                                                                   \
        const T *s_ = (const T *)s;                                                       \
        for (int64_t i_ = 0; i_ < n; i_++) d_[i_ * dstr] = s_[i_ * sstr];                 \
    } while (0)

/* n elements; strides in elements */
static void copy_row(char *d, const char *s, int64_t n, int64_t dstr, int64_t sstr, int es) {
    if (dstr == 1 && sstr == 1) {
        memcpy(d, s, (size_t)(n * es));
        return;
    }
    if (dstr == 1 && sstr == 0) { /* fill */
        switch (es) {
        case 1: memset(d, *s, (size_t)n); return;
        case 2: { uint16_t v; memcpy(&v, s, 2); for (int64_t i = 0; i < n; i++) ((uint16_t *)d)[i] = v; return; }
        case 4: { uint32_t v; memcpy(&v, s, 4); for (int64_t i = 0; i < n; i++) ((uint32_t *)d)[i] = v; return; }
        case 8: { uint64_t v; memcpy(&v, s, 8); for (int64_t i = 0; i < n; i++) ((uint64_t *)d)[i] = v; return; }
        default: break;
        }
    }
    switch (es) {
    case 1: COPY_ROW_T(uint8_t); break;
    case 2: COPY_ROW_T(uint16_t); break;
    case 4: COPY_ROW_T(uint32_t); break;
    case 8: COPY_ROW_T(uint64_t); break;
    default:
        for (int64_t i = 0; i < n; i++) copy_elem(d + i * dstr * es, s + i * sstr * es, es);
    }
}

#define COPY_TILE_T(T)                                                                    \
    do {                                                                                  \
        for (int64_t a_ = 0; a_ < na; a_++) {                                             \
            T *d_ = (T *)d + a_ * dta;                                                    \
            const T *s_ = (const T *)s + a_ * sta;                                        \
            for (int64_t b_ = 0; b_ < nb; b_++) d_[b_ * dtb] = s_[b_ * stb];              \
        }                                                                                 \
    } while (0)

#ifdef __SSE2__
/* A true 4-byte transpose (src unit-stride along a, dst along b) in 4x4
 * register blocks. */
static void tile_transpose4(char *d, const char *s, int64_t na, int64_t nb, int64_t dta,
                            int64_t stb) {
    float *dp = (float *)d;
    const float *sp = (const float *)s;
    int64_t a4 = na & ~(int64_t)3, b4 = nb & ~(int64_t)3;
    for (int64_t a = 0; a < a4; a += 4) {
        for (int64_t b = 0; b < b4; b += 4) {
            __m128 r0 = _mm_loadu_ps(sp + (b + 0) * stb + a);
            __m128 r1 = _mm_loadu_ps(sp + (b + 1) * stb + a);
            __m128 r2 = _mm_loadu_ps(sp + (b + 2) * stb + a);
            __m128 r3 = _mm_loadu_ps(sp + (b + 3) * stb + a);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            _mm_storeu_ps(dp + (a + 0) * dta + b, r0);
            _mm_storeu_ps(dp + (a + 1) * dta + b, r1);
            _mm_storeu_ps(dp + (a + 2) * dta + b, r2);
            _mm_storeu_ps(dp + (a + 3) * dta + b, r3);
        }
        for (int64_t b = b4; b < nb; b++)
            for (int64_t k = 0; k < 4; k++) memcpy(dp + (a + k) * dta + b, sp + b * stb + a + k, 4);
    }
    for (int64_t a = a4; a < na; a++)
        for (int64_t b = 0; b < nb; b++) memcpy(dp + a * dta + b, sp + b * stb + a, 4);
}
#endif

/* an na x nb tile: a along the tiled dim, b along dim 0 */
static void copy_tile(char *d, const char *s, int64_t na, int64_t nb, int64_t dta, int64_t sta,
                      int64_t dtb, int64_t stb, int es) {
#ifdef __SSE2__
    if (es == 4 && sta == 1 && dtb == 1) {
        tile_transpose4(d, s, na, nb, dta, stb);
        return;
    }
#endif
    switch (es) {
    case 1: COPY_TILE_T(uint8_t); break;
    case 2: COPY_TILE_T(uint16_t); break;
    case 4: COPY_TILE_T(uint32_t); break;
    case 8: COPY_TILE_T(uint64_t); break;
    default:
        for (int64_t a = 0; a < na; a++)
            for (int64_t b = 0; b < nb; b++)
                copy_elem(d + (a * dta + b * dtb) * es, s + (a * sta + b * stb) * es, es);
    }
}

/* Work item w: the outer dims' index (all dims but 0 and the tiled one),
 * and for tiled plans which block of COPY_TILE along the tiled dim. */
static void copy_work(const CopyPlan *p, int64_t w0, int64_t w1) {
    int64_t nblk = p->tile >= 0 ? (p->shape[p->tile] + COPY_TILE - 1) / COPY_TILE : 1;
    for (int64_t w = w0; w < w1; w++) {
        int64_t r = w, blk = 0;
        if (p->tile >= 0) {
            blk = r % nblk;
            r /= nblk;
        }
        int64_t doff = 0, soff = 0;
        for (int d = 1; d < p->nd; d++) {
            if (d == p->tile) continue;
            int64_t i = r % p->shape[d];
            r /= p->shape[d];
            doff += i * p->ds[d];
            soff += i * p->ss[d];
        }
        char *dp = p->dst + doff * p->es;
        const char *sp = p->src + soff * p->es;
        if (p->tile < 0) {
            copy_row(dp, sp, p->shape[0], p->ds[0], p->ss[0], p->es);
            continue;
        }
        int t = p->tile;
        int64_t a0 = blk * COPY_TILE, na = p->shape[t] - a0;
        if (na > COPY_TILE) na = COPY_TILE;
        dp += a0 * p->ds[t] * p->es;
        sp += a0 * p->ss[t] * p->es;
        for (int64_t b0 = 0; b0 < p->shape[0]; b0 += COPY_TILE) {
            int64_t nb = p->shape[0] - b0 < COPY_TILE ? p->shape[0] - b0 : COPY_TILE;
            copy_tile(dp + b0 * p->ds[0] * p->es, sp + b0 * p->ss[0] * p->es, na, nb, p->ds[t],
                      p->ss[t], p->ds[0], p->ss[0], p->es);
        }
    }
}

static void copy_half(void *arg, int part) {
    const CopyPlan *p = arg;
    int64_t mid = p->nwork / 2;
    if (part == 0) copy_work(p, 0, mid);
    else copy_work(p, mid, p->nwork);
}

void kernel_copy_strided(int es, int ndim, const int64_t *shape, char *dst, const int64_t *dst_stride,
                         const char *src, const int64_t *src_stride, int64_t numel) {
    if (numel <= 0) return;
    CopyPlan p;
    p.es = es;
    p.dst = dst;
    p.src = src;
    int m = 0;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] == 1) continue;
        if (m > 0 && dst_stride[d] == p.shape[m - 1] * p.ds[m - 1] &&
            src_stride[d] == p.shape[m - 1] * p.ss[m - 1]) {
            p.shape[m - 1] *= shape[d];
            continue;
        }
        p.shape[m] = shape[d];
        p.ds[m] = dst_stride[d];
        p.ss[m] = src_stride[d];
        m++;
    }
    if (m == 0) {
        p.shape[0] = 1;
        p.ds[0] = p.ss[0] = 0;
        m = 1;
    }
    p.nd = m;
    /* tile when src's smallest stride is on another dim than dst's */
    p.tile = -1;
    int64_t abs0 = p.ss[0] < 0 ? -p.ss[0] : p.ss[0];
    for (int d = 1; d < m; d++) {
        int64_t a = p.ss[d] < 0 ? -p.ss[d] : p.ss[d];
        if (a != 0 && a < abs0 && p.shape[d] > 1 && p.shape[0] >= 8) {
            abs0 = a;
            p.tile = d;
        }
    }
    p.nwork = 1;
    for (int d = 1; d < m; d++)
        if (d != p.tile) p.nwork *= p.shape[d];
    if (p.tile >= 0) p.nwork *= (p.shape[p.tile] + COPY_TILE - 1) / COPY_TILE;
    if (numel >= ITER_PARALLEL_MIN && p.nwork >= 2 && par_available()) par_run2(copy_half, &p);
    else copy_work(&p, 0, p.nwork);
}
