/* numpy_random.c: numpy 1.24's legacy RandomState, bit for bit (see
 * numpy_random.h for the sources followed). */
#include "numpy_distributions.h"
#include "numpy_random.h"

#include <math.h>
#include <string.h>

/* ------------------------------------------------------------ seeding --- */

void nprand_seed(NpRandomState *s, uint32_t seed)
{
    /* mt19937_seed: Knuth's initialisation, pos = 624 (regenerate first):
     * what rng_seed does. */
    rng_seed(&s->mt, seed);
    s->has_gauss = false;
    s->gauss = 0.0;
}

void nprand_seed_by_array(NpRandomState *s, const uint32_t *key, size_t n)
{
    rng_seed_by_array(&s->mt, key, n); /* leaves pos = 624, as numpy */
    s->has_gauss = false;
    s->gauss = 0.0;
}

void nprand_seed_entropy(NpRandomState *s)
{
    uint32_t key[RNG_STATE_N];
    if (!rng_urandom(key, sizeof key)) {
        uint64_t a = rng_nondeterministic_seed();
        uint32_t k2[2] = {(uint32_t)a, (uint32_t)(a >> 32)};
        nprand_seed_by_array(s, k2, 2);
        return;
    }
    key[0] = 0x80000000u; /* as _legacy_seeding: MSB set, never all zero */
    nprand_set_state(s, key, RNG_STATE_N, false, 0.0);
}

void nprand_get_state(const NpRandomState *s, uint32_t key[RNG_STATE_N], int *pos)
{
    memcpy(key, s->mt.state, sizeof s->mt.state);
    *pos = rng_mt_index(&s->mt);
}

void nprand_set_state(NpRandomState *s, const uint32_t key[RNG_STATE_N], int pos,
                      bool has_gauss, double gauss)
{
    rng_mt_set(&s->mt, key, pos);
    s->has_gauss = has_gauss;
    s->gauss = gauss;
}

/* ---------------------------------------------------------- raw draws --- */

uint32_t nprand_next32(NpRandomState *s) { return rng_random(&s->mt); }

uint64_t nprand_next64(NpRandomState *s) { return rng_random64(&s->mt); }

double nprand_double(NpRandomState *s)
{
    int32_t a = (int32_t)(rng_random(&s->mt) >> 5), b = (int32_t)(rng_random(&s->mt) >> 6);
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

double nprand_gauss(NpRandomState *s)
{
    if (s->has_gauss) {
        double t = s->gauss;
        s->has_gauss = false;
        s->gauss = 0.0;
        return t;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * nprand_double(s) - 1.0;
        x2 = 2.0 * nprand_double(s) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    s->gauss = f * x1;
    s->has_gauss = true;
    return f * x2;
}

/* -------------------------------------------------------------- fills --- */

void nprand_fill_double(NpRandomState *s, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = nprand_double(s);
}

void nprand_fill_gauss(NpRandomState *s, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = nprand_gauss(s);
}

void nprand_fill_normal(NpRandomState *s, double loc, double scale, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = loc + scale * nprand_gauss(s);
}

void nprand_fill_uniform(NpRandomState *s, double low, double range, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = low + range * nprand_double(s);
}

/* ----------------------------------------------------- bounded integers --- */

uint64_t nprand_gen_mask(uint64_t max)
{
    uint64_t mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    return mask;
}

/* 16 or 8 bits at a time out of a 32-bit draw (buffered_uint16/8). */
static uint32_t buffered_small(NpRandomState *s, int bits, int *bcnt, uint32_t *buf)
{
    if (!*bcnt) {
        *buf = rng_random(&s->mt);
        *bcnt = 32 / bits - 1;
    } else {
        *buf >>= bits;
        *bcnt -= 1;
    }
    return *buf & ((1u << bits) - 1);
}

/* Masked rejection. When rng is all ones (numpy's special case for
 * Lemire's method) the mask rejects nothing, so one path serves. */
static uint32_t masked_small(NpRandomState *s, uint32_t rng, uint32_t mask, int bits,
                             int *bcnt, uint32_t *buf)
{
    uint32_t v;
    while ((v = (buffered_small(s, bits, bcnt, buf) & mask)) > rng)
        ;
    return v;
}

static uint32_t masked_u32(NpRandomState *s, uint32_t rng, uint32_t mask)
{
    uint32_t v;
    while ((v = (rng_random(&s->mt) & mask)) > rng)
        ;
    return v;
}

static uint64_t masked_u64(NpRandomState *s, uint64_t rng, uint64_t mask)
{
    uint64_t v;
    while ((v = (rng_random64(&s->mt) & mask)) > rng)
        ;
    return v;
}

const char *nprand_randint_bounds(DType dt, int64_t low, int64_t high, bool closed, uint64_t *off, uint64_t *rng)
{
    static const struct { DType dt; int64_t lo, hi; const char *lo_msg, *hi_msg; } bounds[] = {
        {DT_BOOL, 0, 1, "low is out of bounds for bool", "high is out of bounds for bool"},
        {DT_UINT8, 0, 255, "low is out of bounds for uint8", "high is out of bounds for uint8"},
        {DT_INT8, -128, 127, "low is out of bounds for int8", "high is out of bounds for int8"},
        {DT_INT16, -32768, 32767, "low is out of bounds for int16", "high is out of bounds for int16"},
        {DT_INT32, INT32_MIN, INT32_MAX, "low is out of bounds for int32", "high is out of bounds for int32"},
        {DT_INT64, INT64_MIN, INT64_MAX, "low is out of bounds for int64", "high is out of bounds for int64"},
    };
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        if (bounds[i].dt != dt)
            continue;
        /* the closed upper end, high - 1 as Python computes it (never
         * below INT64_MIN here: high == INT64_MIN leaves nothing to draw) */
        bool empty = !closed && high == INT64_MIN;
        int64_t top = closed || empty ? high : high - 1;
        if (low < bounds[i].lo)
            return bounds[i].lo_msg;
        if (!empty && top > bounds[i].hi)
            return bounds[i].hi_msg;
        if (empty || low > top) {
            if (low == 0)
                return closed ? "high < 0" : "high <= 0";
            return closed ? "low > high" : "low >= high";
        }
        *off = (uint64_t)low;
        *rng = (uint64_t)top - (uint64_t)low;
        if (dtype_size(dt) < 8) {
            uint64_t m = (1ull << (8 * dtype_size(dt))) - 1;
            *off &= m;
            *rng &= m;
        }
        return NULL;
    }
    return "Unsupported dtype for randint";
}

uint64_t nprand_bounded_next(NpRandomState *s, uint64_t off, uint64_t rng, int bits, NpBitBuf *b)
{
    if (rng == 0)
        return off;
    switch (bits) {
    case 64: return off + nprand_interval(s, rng);
    case 32: return (uint32_t)(off + masked_u32(s, (uint32_t)rng, (uint32_t)nprand_gen_mask(rng)));
    case 16:
    case 8: {
        uint64_t m = (1ull << bits) - 1;
        return (off + masked_small(s, (uint32_t)rng, (uint32_t)nprand_gen_mask(rng), bits, &b->bcnt, &b->buf)) & m;
    }
    default: {
        bool v;
        /* the bool draw keeps its own 1-bit buffer */
        if (!b->bcnt) {
            b->buf = rng_random(&s->mt);
            b->bcnt = 31;
        } else {
            b->buf >>= 1;
            b->bcnt -= 1;
        }
        v = (b->buf & 1u) != 0;
        return v;
    }
    }
}

/* random_bounded_uint64_fill's masked path is random_interval's. */
void nprand_bounded_u64_fill(NpRandomState *s, uint64_t off, uint64_t rng, uint64_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = off + nprand_interval(s, rng);
}

void nprand_bounded_u32_fill(NpRandomState *s, uint32_t off, uint32_t rng, uint32_t *out, size_t n)
{
    uint32_t mask = (uint32_t)nprand_gen_mask(rng);
    for (size_t i = 0; i < n; i++)
        out[i] = rng ? off + masked_u32(s, rng, mask) : off;
}

void nprand_bounded_u16_fill(NpRandomState *s, uint16_t off, uint16_t rng, uint16_t *out, size_t n)
{
    uint32_t buf = 0, mask = (uint32_t)nprand_gen_mask(rng);
    int bcnt = 0;
    for (size_t i = 0; i < n; i++)
        out[i] = rng ? (uint16_t)(off + masked_small(s, rng, mask, 16, &bcnt, &buf)) : off;
}

void nprand_bounded_u8_fill(NpRandomState *s, uint8_t off, uint8_t rng, uint8_t *out, size_t n)
{
    uint32_t buf = 0, mask = (uint32_t)nprand_gen_mask(rng);
    int bcnt = 0;
    for (size_t i = 0; i < n; i++)
        out[i] = rng ? (uint8_t)(off + masked_small(s, rng, mask, 8, &bcnt, &buf)) : off;
}

void nprand_bounded_bool_fill(NpRandomState *s, bool off, bool rng, bool *out, size_t n)
{
    NpBitBuf b = {0, 0};
    for (size_t i = 0; i < n; i++)
        out[i] = nprand_bounded_next(s, off, rng, 1, &b) != 0;
}

/* rng == 0 draws nothing; a range that fits in 32 bits draws 32 bits. */
uint64_t nprand_interval(NpRandomState *s, uint64_t max)
{
    if (max == 0)
        return 0;
    uint64_t mask = nprand_gen_mask(max);
    if (max <= 0xFFFFFFFFu)
        return masked_u32(s, (uint32_t)max, (uint32_t)mask);
    return masked_u64(s, max, mask);
}

void nprand_shuffle_rows(NpRandomState *s, size_t n, size_t itemsize, ptrdiff_t stride,
                         char *data, char *buf)
{
    for (size_t i = n; i-- > 1;) {
        size_t j = (size_t)nprand_interval(s, i);
        if (i == j)
            continue;
        memcpy(buf, data + (ptrdiff_t)j * stride, itemsize);
        memcpy(data + (ptrdiff_t)j * stride, data + (ptrdiff_t)i * stride, itemsize);
        memcpy(data + (ptrdiff_t)i * stride, buf, itemsize);
    }
}

/* ------------------------------------------------------------- choice --- */

double nprand_kahan_sum(const double *x, size_t n)
{
    if (n == 0)
        return 0.0;
    double sum = x[0], c = 0.0;
    for (size_t i = 1; i < n; i++) {
        double y = x[i] - c;
        double t = sum + y;
        c = (t - sum) - y;
        sum = t;
    }
    return sum;
}

static void cdf_of(const double *p, size_t n, double *cdf)
{
    double acc = 0.0;
    for (size_t i = 0; i < n; i++)
        cdf[i] = acc = acc + p[i];
    double last = cdf[n - 1];
    for (size_t i = 0; i < n; i++)
        cdf[i] /= last;
}

/* searchsorted(side='right'): the first i with cdf[i] > x (n if none). */
static size_t search_right(const double *cdf, size_t n, double x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x < cdf[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void nprand_choice_p(NpUniformFn uniform, void *ctx, const double *p, size_t n, double *cdf,
                     int64_t *out, size_t k)
{
    cdf_of(p, n, cdf);
    for (size_t i = 0; i < k; i++)
        out[i] = (int64_t)search_right(cdf, n, uniform(ctx));
}

void nprand_choice_p_noreplace(NpUniformFn uniform, void *ctx, double *p_work, size_t n, double *cdf,
                               double *x, int64_t *out, size_t k)
{
    size_t found = 0;
    while (found < k) {
        size_t m = k - found;
        for (size_t i = 0; i < m; i++)
            x[i] = uniform(ctx);
        for (size_t i = 0; i < found; i++)
            p_work[out[i]] = 0.0;
        cdf_of(p_work, n, cdf);
        /* np.unique(new, return_index=True) then sorting the indices: the
         * new values in order of first appearance. */
        size_t before = found;
        for (size_t i = 0; i < m; i++) {
            int64_t v = (int64_t)search_right(cdf, n, x[i]);
            bool seen = false;
            for (size_t j = before; j < found && !seen; j++)
                seen = out[j] == v;
            if (!seen)
                out[found++] = v;
        }
    }
}

/* ---- the source RandomState's distributions draw from */

static double src_double(void *s) { return nprand_double(s); }
static double src_gauss(void *s) { return nprand_gauss(s); }
/* legacy_standard_exponential: -log(1 - U) */
static double src_exponential(void *s) { return -log(1.0 - nprand_double(s)); }

void nprand_source(NpRandomState *s, NpSource *out)
{
    *out = (NpSource){s, src_double, src_gauss, src_exponential, true};
}
