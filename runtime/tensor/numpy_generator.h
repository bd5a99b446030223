/* numpy_generator.h: numpy 1.24's Generator (np.random.default_rng) on its
 * default bit generator PCG64, bit for bit.
 *
 * Seeding goes through SeedSequence (bit_generator.pyx: hashmix/mix over a
 * 4-word pool, generate_state(4, uint64)); PCG64 is the 128-bit LCG with
 * the XSL-RR output (src/pcg64/pcg64.h); the draws follow
 * src/distributions/distributions.c: 53-bit doubles, ziggurat normals and
 * exponentials (numpy_ziggurat.h), Lemire's bounded integers with the
 * 32-bit buffer for narrower widths, random_interval for shuffles.
 *
 * Nothing here allocates or raises.
 */
#ifndef TSR_NUMPY_GENERATOR_H
#define TSR_NUMPY_GENERATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct NpGenerator {
    unsigned __int128 state, inc;
    bool has_uint32;
    uint32_t uinteger;
} NpGenerator;

/* SeedSequence(entropy words, little end first) then PCG64's seeding;
 * n may be 0 (numpy's entropy for the int 0 is one zero word). */
void npgen_seed_words(NpGenerator *g, const uint32_t *entropy, size_t n);
/* seed=None: 128 bits from the OS */
void npgen_seed_entropy(NpGenerator *g);

uint64_t npgen_next64(NpGenerator *g);
/* the low half of a 64-bit draw, the high half kept for the next call */
uint32_t npgen_next32(NpGenerator *g);
double npgen_double(NpGenerator *g);
float npgen_float(NpGenerator *g);
double npgen_standard_normal(NpGenerator *g);
float npgen_standard_normal_f(NpGenerator *g);
double npgen_standard_exponential(NpGenerator *g);
float npgen_standard_exponential_f(NpGenerator *g);

/* a value in [0, max] by masked rejection (shuffle's draws) */
uint64_t npgen_interval(NpGenerator *g, uint64_t max);
/* off + a value in [0, rng] (Lemire), as random_bounded_uint64 */
uint64_t npgen_bounded_u64(NpGenerator *g, uint64_t off, uint64_t rng);

/* off + [0, rng] for a `bits`-wide type (64, 32, 16, 8, or 1 for bool,
 * whose off is 0 or 1), wrapping in it; the 16-, 8- and 1-bit draws take
 * from b's 32-bit buffer (random_buffered_bounded_*) */
typedef struct NpGenBuf {
    uint32_t buf;
    int bcnt;
} NpGenBuf;
uint64_t npgen_bounded_next(NpGenerator *g, uint64_t off, uint64_t rng, int bits, NpGenBuf *b);
/* integers' fills: n values into out (of the width's type), starting
 * with an empty buffer as numpy's do */
void npgen_bounded_fill(NpGenerator *g, uint64_t off, uint64_t rng, int bits, void *out, size_t n);

/* Fisher-Yates from the end over rows [first, n) (Generator.shuffle's
 * _shuffle_raw, random_interval draws); buf holds itemsize bytes */
void npgen_shuffle_rows(NpGenerator *g, size_t n, size_t itemsize, ptrdiff_t stride, char *data, char *buf);
/* choice's _shuffle_int: the same walk with Lemire draws */
void npgen_shuffle_int(NpGenerator *g, size_t n, size_t first, int64_t *data);

/* the source Generator's distributions draw from (numpy_distributions.h) */
struct NpSource;
void npgen_source(NpGenerator *g, struct NpSource *out);

#endif
