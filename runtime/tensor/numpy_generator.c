/* numpy_generator.c: numpy's PCG64 Generator draws (see the header). */
#include <math.h>
#include <string.h>

#include "numpy_distributions.h"
#include "numpy_generator.h"
#include "numpy_random.h"
#include "numpy_ziggurat.h"
#include "random.h"

/* ------------------------------------------------------------ SeedSequence */

enum { POOL = 4 };
#define INIT_A 0x43b0d7e5u
#define MULT_A 0x931e8875u
#define INIT_B 0x8b51f9ddu
#define MULT_B 0x58f38dedu
#define MIX_MULT_L 0xca01f9ddu
#define MIX_MULT_R 0x4973f715u

static uint32_t hashmix(uint32_t value, uint32_t *hash_const)
{
    value ^= *hash_const;
    *hash_const *= MULT_A;
    value *= *hash_const;
    return value ^ (value >> 16);
}

static uint32_t mix(uint32_t x, uint32_t y)
{
    uint32_t r = MIX_MULT_L * x - MIX_MULT_R * y;
    return r ^ (r >> 16);
}

/* SeedSequence(entropy).generate_state(4, np.uint64) */
static void seed_sequence_state(const uint32_t *entropy, size_t n, uint64_t out[4])
{
    uint32_t pool[POOL], hc = INIT_A;
    for (size_t i = 0; i < POOL; i++) pool[i] = hashmix(i < n ? entropy[i] : 0, &hc);
    for (size_t s = 0; s < POOL; s++)
        for (size_t d = 0; d < POOL; d++)
            if (s != d) pool[d] = mix(pool[d], hashmix(pool[s], &hc));
    for (size_t s = POOL; s < n; s++)
        for (size_t d = 0; d < POOL; d++) pool[d] = mix(pool[d], hashmix(entropy[s], &hc));
    uint32_t words[8];
    uint32_t h = INIT_B;
    for (size_t i = 0; i < 8; i++) {
        uint32_t v = pool[i % POOL] ^ h;
        h *= MULT_B;
        v *= h;
        words[i] = v ^ (v >> 16);
    }
    for (size_t i = 0; i < 4; i++) out[i] = (uint64_t)words[2 * i] | (uint64_t)words[2 * i + 1] << 32;
}

/* ------------------------------------------------------------ PCG64 */

#define PCG_MULT (((unsigned __int128)2549297995355413924ULL << 64) + 4865540595714422341ULL)

static void pcg_step(NpGenerator *g) { g->state = g->state * PCG_MULT + g->inc; }

void npgen_seed_words(NpGenerator *g, const uint32_t *entropy, size_t n)
{
    uint64_t v[4];
    seed_sequence_state(entropy, n, v);
    unsigned __int128 initstate = (unsigned __int128)v[0] << 64 | v[1];
    unsigned __int128 initseq = (unsigned __int128)v[2] << 64 | v[3];
    g->state = 0;
    g->inc = initseq << 1 | 1;
    pcg_step(g);
    g->state += initstate;
    pcg_step(g);
    g->has_uint32 = false;
    g->uinteger = 0;
}

void npgen_seed_entropy(NpGenerator *g)
{
    uint32_t key[POOL];
    if (!rng_urandom(key, sizeof key)) {
        uint64_t a = rng_nondeterministic_seed();
        key[0] = (uint32_t)a;
        key[1] = (uint32_t)(a >> 32);
        key[2] = key[3] = 0x9e3779b9u;
    }
    npgen_seed_words(g, key, POOL);
}

uint64_t npgen_next64(NpGenerator *g)
{
    pcg_step(g);
    uint64_t x = (uint64_t)(g->state >> 64) ^ (uint64_t)g->state;
    unsigned rot = (unsigned)(g->state >> 122);
    return (x >> rot) | (x << ((-rot) & 63));
}

uint32_t npgen_next32(NpGenerator *g)
{
    if (g->has_uint32) {
        g->has_uint32 = false;
        return g->uinteger;
    }
    uint64_t next = npgen_next64(g);
    g->has_uint32 = true;
    g->uinteger = (uint32_t)(next >> 32);
    return (uint32_t)next;
}

double npgen_double(NpGenerator *g) { return (double)(npgen_next64(g) >> 11) * (1.0 / 9007199254740992.0); }

float npgen_float(NpGenerator *g) { return (float)(npgen_next32(g) >> 8) * (1.0f / 16777216.0f); }

/* ------------------------------------------------------------ ziggurat */

double npgen_standard_normal(NpGenerator *g)
{
    for (;;) {
        uint64_t r = npgen_next64(g);
        int idx = (int)(r & 0xff);
        r >>= 8;
        int sign = (int)(r & 1);
        uint64_t rabs = (r >> 1) & 0x000fffffffffffffULL;
        double x = (double)rabs * wi_double[idx];
        if (sign) x = -x;
        if (rabs < ki_double[idx]) return x;
        if (idx == 0) {
            for (;;) {
                double xx = -ziggurat_nor_inv_r * log1p(-npgen_double(g));
                double yy = -log1p(-npgen_double(g));
                if (yy + yy > xx * xx) return ((rabs >> 8) & 1) ? -(ziggurat_nor_r + xx) : ziggurat_nor_r + xx;
            }
        }
        if ((fi_double[idx - 1] - fi_double[idx]) * npgen_double(g) + fi_double[idx] < exp(-0.5 * x * x)) return x;
    }
}

float npgen_standard_normal_f(NpGenerator *g)
{
    for (;;) {
        uint32_t r = npgen_next32(g);
        int idx = (int)(r & 0xff);
        int sign = (int)((r >> 8) & 1);
        uint32_t rabs = (r >> 9) & 0x0007fffff;
        float x = (float)rabs * wi_float[idx];
        if (sign) x = -x;
        if (rabs < ki_float[idx]) return x;
        if (idx == 0) {
            for (;;) {
                float xx = -ziggurat_nor_inv_r_f * log1pf(-npgen_float(g));
                float yy = -log1pf(-npgen_float(g));
                if (yy + yy > xx * xx) return ((rabs >> 8) & 1) ? -(ziggurat_nor_r_f + xx) : ziggurat_nor_r_f + xx;
            }
        }
        if ((fi_float[idx - 1] - fi_float[idx]) * npgen_float(g) + fi_float[idx] < expf(-0.5f * x * x)) return x;
    }
}

double npgen_standard_exponential(NpGenerator *g)
{
    for (;;) {
        uint64_t ri = npgen_next64(g) >> 3;
        uint8_t idx = (uint8_t)(ri & 0xff);
        ri >>= 8;
        double x = (double)ri * we_double[idx];
        if (ri < ke_double[idx]) return x;
        if (idx == 0) return ziggurat_exp_r - log1p(-npgen_double(g));
        if ((fe_double[idx - 1] - fe_double[idx]) * npgen_double(g) + fe_double[idx] < exp(-x)) return x;
    }
}

float npgen_standard_exponential_f(NpGenerator *g)
{
    for (;;) {
        uint32_t ri = npgen_next32(g) >> 1;
        uint8_t idx = (uint8_t)(ri & 0xff);
        ri >>= 8;
        float x = (float)ri * we_float[idx];
        if (ri < ke_float[idx]) return x;
        if (idx == 0) return ziggurat_exp_r_f - log1pf(-npgen_float(g));
        if ((fe_float[idx - 1] - fe_float[idx]) * npgen_float(g) + fe_float[idx] < expf(-x)) return x;
    }
}

/* ------------------------------------------------------------ integers */

uint64_t npgen_interval(NpGenerator *g, uint64_t max)
{
    if (max == 0) return 0;
    uint64_t mask = nprand_gen_mask(max), v;
    if (max <= 0xffffffffULL) {
        while ((v = (npgen_next32(g) & mask)) > max) {}
    } else {
        while ((v = (npgen_next64(g) & mask)) > max) {}
    }
    return v;
}

static uint64_t lemire64(NpGenerator *g, uint64_t rng)
{
    const uint64_t excl = rng + 1;
    unsigned __int128 m = (unsigned __int128)npgen_next64(g) * excl;
    uint64_t left = (uint64_t)m;
    if (left < excl) {
        const uint64_t threshold = (UINT64_MAX - rng) % excl;
        while (left < threshold) {
            m = (unsigned __int128)npgen_next64(g) * excl;
            left = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

static uint32_t lemire32(NpGenerator *g, uint32_t rng)
{
    const uint32_t excl = rng + 1;
    uint64_t m = (uint64_t)npgen_next32(g) * excl;
    uint32_t left = (uint32_t)m;
    if (left < excl) {
        const uint32_t threshold = (UINT32_MAX - rng) % excl;
        while (left < threshold) {
            m = (uint64_t)npgen_next32(g) * excl;
            left = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

/* 16- and 8-bit draws from a 32-bit buffer: `per` values per word */
static uint32_t buffered(NpGenerator *g, int bits, int *bcnt, uint32_t *buf)
{
    if (!*bcnt) {
        *buf = npgen_next32(g);
        *bcnt = 32 / bits - 1;
    } else {
        *buf >>= bits;
        *bcnt -= 1;
    }
    return *buf & ((1u << bits) - 1);
}

/* Lemire on 16 or 8 bits, the products in the type's double width */
static uint32_t lemire_small(NpGenerator *g, uint32_t rng, int bits, int *bcnt, uint32_t *buf)
{
    const uint32_t wmask = (1u << bits) - 1;
    const uint32_t excl = (rng + 1) & wmask;
    uint32_t m = buffered(g, bits, bcnt, buf) * excl;
    uint32_t left = m & wmask;
    if (left < excl) {
        const uint32_t threshold = (wmask - rng) % excl;
        while (left < threshold) {
            m = buffered(g, bits, bcnt, buf) * excl;
            left = m & wmask;
        }
    }
    return (m >> bits) & wmask;
}

uint64_t npgen_bounded_u64(NpGenerator *g, uint64_t off, uint64_t rng)
{
    if (rng == 0) return off;
    if (rng == 0xffffffffULL) return off + npgen_next32(g);
    if (rng < 0xffffffffULL) return off + lemire32(g, (uint32_t)rng);
    if (rng == UINT64_MAX) return off + npgen_next64(g);
    return off + lemire64(g, rng);
}

uint64_t npgen_bounded_next(NpGenerator *g, uint64_t off, uint64_t rng, int bits, NpGenBuf *b)
{
    if (rng == 0) return off;
    switch (bits) {
    case 64: return npgen_bounded_u64(g, off, rng);
    case 32: return (uint32_t)(rng == UINT32_MAX ? off + npgen_next32(g) : off + lemire32(g, (uint32_t)rng));
    case 16:
    case 8: {
        uint32_t wmask = (1u << bits) - 1;
        uint32_t v = rng == wmask ? buffered(g, bits, &b->bcnt, &b->buf)
                                  : lemire_small(g, (uint32_t)rng, bits, &b->bcnt, &b->buf);
        return (off + v) & wmask;
    }
    default:
        if (!b->bcnt) {
            b->buf = npgen_next32(g);
            b->bcnt = 31;
        } else {
            b->buf >>= 1;
            b->bcnt--;
        }
        return b->buf & 1;
    }
}

void npgen_bounded_fill(NpGenerator *g, uint64_t off, uint64_t rng, int bits, void *out, size_t n)
{
    NpGenBuf b = {0, 0};
    for (size_t i = 0; i < n; i++) {
        uint64_t v = npgen_bounded_next(g, off, rng, bits, &b);
        switch (bits) {
        case 64: ((uint64_t *)out)[i] = v; break;
        case 32: ((uint32_t *)out)[i] = (uint32_t)v; break;
        case 16: ((uint16_t *)out)[i] = (uint16_t)v; break;
        case 8: ((uint8_t *)out)[i] = (uint8_t)v; break;
        default: ((bool *)out)[i] = v != 0; break;
        }
    }
}

/* ------------------------------------------------------------ shuffles */

void npgen_shuffle_rows(NpGenerator *g, size_t n, size_t itemsize, ptrdiff_t stride, char *data, char *buf)
{
    for (size_t i = n; i-- > 1;) {
        size_t j = (size_t)npgen_interval(g, i);
        memcpy(buf, data + (ptrdiff_t)j * stride, itemsize);
        memmove(data + (ptrdiff_t)j * stride, data + (ptrdiff_t)i * stride, itemsize);
        memcpy(data + (ptrdiff_t)i * stride, buf, itemsize);
    }
}

void npgen_shuffle_int(NpGenerator *g, size_t n, size_t first, int64_t *data)
{
    for (size_t i = n; i-- > first;) {
        size_t j = (size_t)npgen_bounded_u64(g, 0, i);
        int64_t t = data[j];
        data[j] = data[i];
        data[i] = t;
    }
}

/* ------------------------------------------------------------ source */

static double src_double(void *g) { return npgen_double(g); }
static double src_normal(void *g) { return npgen_standard_normal(g); }
static double src_exponential(void *g) { return npgen_standard_exponential(g); }

void npgen_source(NpGenerator *g, NpSource *out)
{
    *out = (NpSource){g, src_double, src_normal, src_exponential, false};
}
