/* random.h: PyTorch's CPU generator (at::CPUGeneratorImpl over at::mt19937)
 * and the distributions PyTorch 1.13 draws from it, bit for bit.
 *
 * After rng_seed(g, s) every fill below produces exactly what PyTorch
 * produces after torch.manual_seed(s) on an AVX2 CPU build (the oracle's).
 */
#ifndef TSR_RANDOM_H
#define TSR_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tensor.h"

#define RNG_STATE_N 624

typedef struct RngGen {
    uint64_t seed;
    int left;
    uint32_t next;
    uint32_t state[RNG_STATE_N];
    /* Box-Muller's second value, cached by the scalar normal sampler. */
    bool has_next_float, has_next_double;
    float next_float;
    double next_double;
} RngGen;

/* The default generator (torch.default_generator); seeded from
 * /dev/urandom on first use, as PyTorch does at import. */
RngGen *rng_default(void);
/* A torch.Generator()'s seed before manual_seed (c10's
 * default_rng_seed_val). */
#define RNG_DEFAULT_SEED 67280421310721ULL
/* torch.manual_seed: resets the engine and the cached normals. */
void rng_seed(RngGen *g, uint64_t seed);
/* A fresh non-deterministic seed (torch.seed()); below 2^63 so it fits
 * tsr's int64 ints. */
uint64_t rng_nondeterministic_seed(void);

/* n bytes from /dev/urandom; false when it cannot be read. */
bool rng_urandom(void *buf, size_t n);

/* ---- the same engine as CPython's random module uses it
 * (Modules/_randommodule.c): seeded by init_by_array, positioned by
 * CPython's index (0..624, 624 = regenerate before the next draw). */
void rng_seed_by_array(RngGen *g, const uint32_t *key, size_t n);
int rng_mt_index(const RngGen *g);
void rng_mt_set(RngGen *g, const uint32_t state[RNG_STATE_N], int index);

/* Raw draws: generator->random() and generator->random64(). */
uint32_t rng_random(RngGen *g);
uint64_t rng_random64(RngGen *g);

/* Scalar distributions (at::uniform_real_distribution, at::normal_distribution). */
float rng_uniform_float(RngGen *g, float from, float to);
double rng_uniform_double(RngGen *g, double from, double to);
double rng_normal_double(RngGen *g, double mean, double std);

/* get_rng_state/set_rng_state: PyTorch's 5056-byte CPU state layout. */
#define RNG_STATE_BYTES 5056
void rng_get_state(const RngGen *g, uint8_t out[RNG_STATE_BYTES]);
bool rng_set_state(RngGen *g, const uint8_t *bytes, int64_t n);

/* ---- the CUDA generator, for torch.cuda.* (state: device.h's
 * cuda_rng_seed and cuda_rng_offset). Nothing here needs a GPU. */
/* torch.cuda.manual_seed(s) / manual_seed_all(s); torch.manual_seed
 * calls it too. */
void rng_cuda_manual_seed(uint64_t seed);
/* torch.cuda.seed() / seed_all(): a fresh non-deterministic seed, set and
 * returned (below 2^63). */
uint64_t rng_cuda_seed(void);
/* torch.cuda.initial_seed() */
uint64_t rng_cuda_initial_seed(void);
/* torch.cuda.get_rng_state(): PyTorch 1.13's CUDA layout, 16 bytes (the
 * seed, then the offset, little-endian), as a new uint8 CPU tensor. */
#define RNG_CUDA_STATE_BYTES 16
Tensor *rng_cuda_get_state(void);
/* torch.cuda.set_rng_state(t): t a uint8 tensor of 16 bytes, or 8 (the
 * seed alone, offset 0); raises "RNG state is wrong size" otherwise. */
bool rng_cuda_set_state(Tensor *state);

#endif
