/* numpy_random.h: numpy 1.24's legacy RandomState (np.random.*), bit for bit.
 *
 * The engine is MT19937, the same algorithm as PyTorch's CPU generator and
 * CPython's random module, so it is random.h's RngGen; numpy only adds its
 * seeding rules, the legacy Box-Muller cache (`gauss`) and its own
 * distributions. Sources followed (numpy v1.24.4): random/mtrand.pyx,
 * random/_mt19937.pyx (_legacy_seeding), random/_bounded_integers.pyx.in,
 * random/src/mt19937/mt19937.[ch], random/src/distributions/distributions.c,
 * random/src/legacy/legacy-distributions.c, random/_common.pyx (kahan_sum).
 *
 * The fills write into caller buffers and allocate nothing.
 */
#ifndef TSR_NUMPY_RANDOM_H
#define TSR_NUMPY_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtype.h"
#include "random.h"

typedef struct NpRandomState {
    RngGen mt;
    bool has_gauss;
    double gauss;
} NpRandomState;

/* ---- seeding (RandomState.seed / RandomState(seed)) */
/* seed: an int in [0, 2**32-1] (mt19937_seed); clears the gauss cache. */
void nprand_seed(NpRandomState *s, uint32_t seed);
/* seed: a 1-d array of ints in [0, 2**32-1] (mt19937_init_by_array);
 * n >= 1. Clears the gauss cache. */
void nprand_seed_by_array(NpRandomState *s, const uint32_t *key, size_t n);
/* seed=None: fresh entropy from the OS (numpy uses a SeedSequence; the
 * values differ anyway). Clears the gauss cache. */
void nprand_seed_entropy(NpRandomState *s);

/* ---- get_state / set_state: ('MT19937', key[624], pos, has_gauss, gauss) */
void nprand_get_state(const NpRandomState *s, uint32_t key[RNG_STATE_N], int *pos);
/* pos in 0..624 (set_state's caller checks it). */
void nprand_set_state(NpRandomState *s, const uint32_t key[RNG_STATE_N], int pos,
                      bool has_gauss, double gauss);

/* ---- raw draws */
uint32_t nprand_next32(NpRandomState *s);
/* The high word is drawn first (mt19937_next64 as numpy's build runs it). */
uint64_t nprand_next64(NpRandomState *s);
/* random_sample: a 53-bit double in [0, 1) (mt19937_next_double). */
double nprand_double(NpRandomState *s);
/* legacy_gauss: polar Box-Muller, the second value cached. */
double nprand_gauss(NpRandomState *s);

/* ---- fills (n values into out) */
void nprand_fill_double(NpRandomState *s, double *out, size_t n);
void nprand_fill_gauss(NpRandomState *s, double *out, size_t n);
/* normal(loc, scale): loc + scale * gauss */
void nprand_fill_normal(NpRandomState *s, double loc, double scale, double *out, size_t n);
/* uniform(low, high): low + (high - low) * double; the caller checks that
 * the range is finite ("Range exceeds valid bounds"). */
void nprand_fill_uniform(NpRandomState *s, double low, double range, double *out, size_t n);

/* randint's fills (masked rejection, as RandomState always uses): values
 * off + [0, rng] inclusive, wrapping in the type. Each call starts with an
 * empty 32-bit buffer, as numpy's do. int64/uint64 dtypes use the 64-bit
 * fill (which draws 32 bits when rng fits in 32), int32/uint32 the 32-bit
 * one, and so on; signed dtypes pass off and rng as their unsigned bits. */
void nprand_bounded_u64_fill(NpRandomState *s, uint64_t off, uint64_t rng, uint64_t *out, size_t n);
void nprand_bounded_u32_fill(NpRandomState *s, uint32_t off, uint32_t rng, uint32_t *out, size_t n);
void nprand_bounded_u16_fill(NpRandomState *s, uint16_t off, uint16_t rng, uint16_t *out, size_t n);
void nprand_bounded_u8_fill(NpRandomState *s, uint8_t off, uint8_t rng, uint8_t *out, size_t n);
void nprand_bounded_bool_fill(NpRandomState *s, bool off, bool rng, bool *out, size_t n);

/* randint(low, high, dtype=dt) with scalar bounds (high exclusive as in
 * RandomState, inclusive when closed: Generator.integers' endpoint): NULL
 * and the fill's (off, rng) (for dt's width; signed values as their
 * bits), or numpy's ValueError message ("low is out of bounds for int8",
 * "high <= 0", "low >= high"; closed "high < 0", "low > high"). dt: bool,
 * uint8, int8, int16, int32 or int64. (numpy returns an empty array before any check
 * when the size has no elements; the caller does that.) */
const char *nprand_randint_bounds(DType dt, int64_t low, int64_t high, bool closed, uint64_t *off, uint64_t *rng);

/* randint's broadcast path (array low/high): one value at a time, the
 * 32-bit buffer of 8/16-bit draws kept across the elements in *buf (zero
 * it first). bits: 64, 32, 16, 8 or 1 (bool). */
typedef struct NpBitBuf {
    uint32_t buf;
    int bcnt;
} NpBitBuf;
uint64_t nprand_bounded_next(NpRandomState *s, uint64_t off, uint64_t rng, int bits, NpBitBuf *buf);

/* the smallest all-ones bit mask >= max (gen_mask) */
uint64_t nprand_gen_mask(uint64_t max);
/* random_interval: a value in [0, max] (shuffle's draws). */
uint64_t nprand_interval(NpRandomState *s, uint64_t max);
/* shuffle along axis 0: n rows of `itemsize` bytes, `stride` bytes apart;
 * buf holds itemsize bytes (the caller's). Fisher-Yates from the end. */
void nprand_shuffle_rows(NpRandomState *s, size_t n, size_t itemsize, ptrdiff_t stride,
                         char *data, char *buf);

/* ---- choice(a, size, replace, p) helpers, shared with Generator.choice
 * (numpy_generator.h): `uniform(ctx)` draws one double in [0, 1) */
typedef double (*NpUniformFn)(void *ctx);
/* kahan_sum of _common.pyx (0 when n == 0) */
double nprand_kahan_sum(const double *x, size_t n);
/* With replacement and p: cdf (n doubles, the caller's) = cumsum(p) /
 * cdf[-1]; each of out's k values is searchsorted(cdf, random_sample(),
 * side='right'). */
void nprand_choice_p(NpUniformFn uniform, void *ctx, const double *p, size_t n, double *cdf,
                     int64_t *out, size_t k);
/* Without replacement and p, as mtrand's loop: k distinct indices with
 * p[i] > 0 (the caller checked that there are at least k). p_work (n
 * doubles) starts as a copy of p and is zeroed where found; cdf (n) and
 * x (k doubles) are scratch. */
void nprand_choice_p_noreplace(NpUniformFn uniform, void *ctx, double *p_work, size_t n, double *cdf,
                               double *x, int64_t *out, size_t k);

/* the source RandomState's distributions draw from (numpy_distributions.h) */
struct NpSource;
void nprand_source(NpRandomState *s, struct NpSource *out);

#endif
