/* random.c: PyTorch 1.13's CPU generator and distributions, bit-exact.
 *
 * Sources followed: ATen/core/MT19937RNGEngine.h, CPUGeneratorImpl.cpp,
 * core/DistributionsHelper.h, core/TransformationHelper.h,
 * native/cpu/DistributionTemplates.h (incl. the AVX2 normal_fill that the
 * oracle's build dispatches to), native/cpu/avx_mathfun.h,
 * native/cpu/MultinomialKernel.cpp, native/Distributions.cpp and
 * TensorFactories.cpp (randperm_cpu).
 */
#include "random.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "device.h"
#include "error.h"

/* ------------------------------------------------------------ mt19937 --- */

#define MT_M 397
#define MATRIX_A 0x9908b0dfu
#define UMASK 0x80000000u
#define LMASK 0x7fffffffu

void rng_seed(RngGen *g, uint64_t seed)
{
    g->seed = seed;
    g->state[0] = (uint32_t)(seed & 0xffffffffu);
    for (int j = 1; j < RNG_STATE_N; j++)
        g->state[j] = 1812433253u * (g->state[j - 1] ^ (g->state[j - 1] >> 30)) + (uint32_t)j;
    g->left = 1;
    g->next = 0;
    g->has_next_float = g->has_next_double = false;
    g->next_float = 0;
    g->next_double = 0;
}

static inline uint32_t mix_bits(uint32_t u, uint32_t v) { return (u & UMASK) | (v & LMASK); }
static inline uint32_t twist(uint32_t u, uint32_t v)
{
    return (mix_bits(u, v) >> 1) ^ ((v & 1) ? MATRIX_A : 0);
}

static void next_state(RngGen *g)
{
    uint32_t *p = g->state;
    g->left = RNG_STATE_N;
    g->next = 0;
    for (int j = RNG_STATE_N - MT_M + 1; --j; p++)
        *p = p[MT_M] ^ twist(p[0], p[1]);
    for (int j = MT_M; --j; p++)
        *p = p[MT_M - RNG_STATE_N] ^ twist(p[0], p[1]);
    *p = p[MT_M - RNG_STATE_N] ^ twist(p[0], g->state[0]);
}

uint32_t rng_random(RngGen *g)
{
    if (--g->left == 0)
        next_state(g);
    uint32_t y = g->state[g->next++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= (y >> 18);
    return y;
}

uint64_t rng_random64(RngGen *g)
{
    uint32_t hi = rng_random(g);
    uint32_t lo = rng_random(g);
    return ((uint64_t)hi << 32) | lo;
}

bool rng_urandom(void *buf, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0)
        return false;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    return got == n;
}

uint64_t rng_nondeterministic_seed(void)
{
    uint64_t s = 0;
    if (rng_urandom(&s, sizeof s))
        return s & INT64_MAX; /* tsr's ints are int64 */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    s = ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^ ((uint64_t)getpid() << 32);
    return s & INT64_MAX;
}

/* init_by_array of mt19937ar.c, as CPython 3.11 runs it. */
void rng_seed_by_array(RngGen *g, const uint32_t *key, size_t n)
{
    uint32_t *mt = g->state;
    rng_seed(g, 19650218u);
    size_t i = 1, j = 0;
    for (size_t k = RNG_STATE_N > n ? RNG_STATE_N : n; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= RNG_STATE_N) {
            mt[0] = mt[RNG_STATE_N - 1];
            i = 1;
        }
        if (j >= n)
            j = 0;
    }
    for (size_t k = RNG_STATE_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
        i++;
        if (i >= RNG_STATE_N) {
            mt[0] = mt[RNG_STATE_N - 1];
            i = 1;
        }
    }
    mt[0] = 0x80000000u;
}

/* rng_random draws state[next] after counting `left` down to 0 (then it
 * regenerates), so CPython's index is next while left = N + 1 - index. */
int rng_mt_index(const RngGen *g) { return RNG_STATE_N + 1 - g->left; }

void rng_mt_set(RngGen *g, const uint32_t state[RNG_STATE_N], int index)
{
    memcpy(g->state, state, sizeof g->state);
    g->left = RNG_STATE_N + 1 - index;
    g->next = (uint32_t)index;
}

RngGen *rng_default(void)
{
    static RngGen g;
    static bool init;
    if (!init) {
        rng_seed(&g, rng_nondeterministic_seed());
        init = true;
    }
    return &g;
}

/* -------------------------------------------------- scalar distributions --- */

float rng_uniform_float(RngGen *g, float from, float to)
{
    float x = (float)(rng_random(g) & ((1u << 24) - 1)) * (1.0f / (float)(1u << 24));
    return fmaf(x, to - from, from);
}

double rng_uniform_double(RngGen *g, double from, double to)
{
    double x = (double)(rng_random64(g) & ((1ull << 53) - 1)) * (1.0 / (double)(1ull << 53));
    return fma(x, to - from, from);
}

/* at::normal_distribution<double> with the generator's cached second value. */
double rng_normal_double(RngGen *g, double mean, double std)
{
    if (g->has_next_double) {
        g->has_next_double = false;
        return fma(g->next_double, std, mean);
    }
    double u1 = rng_uniform_double(g, 0, 1);
    double u2 = rng_uniform_double(g, 0, 1);
    double r = sqrt(-2.0 * log(1.0 - u2));
    double theta = 2.0 * M_PI * u1;
    g->next_double = r * sin(theta);
    g->has_next_double = true;
    return fma(r * cos(theta), std, mean);
}

/* ---------------------------------------------------------- state bytes --- */

/* struct CPUGeneratorImplState { legacy pod { int64 seed; int left; int
 * seeded; uint64 next; uint64 state[624]; double normal_x, normal_y,
 * normal_rho; int normal_is_valid; } float next_float; bool valid; } */
#define OFF_SEED 0
#define OFF_LEFT 8
#define OFF_SEEDED 12
#define OFF_NEXT 16
#define OFF_STATE 24
#define OFF_NORMAL_Y (OFF_STATE + 8 * RNG_STATE_N + 8)
#define OFF_NORMAL_VALID (OFF_STATE + 8 * RNG_STATE_N + 24)
#define OFF_NEXT_FLOAT 5048
#define OFF_FLOAT_VALID 5052

void rng_get_state(const RngGen *g, uint8_t out[RNG_STATE_BYTES])
{
    memset(out, 0, RNG_STATE_BYTES);
    int32_t left = g->left, seeded = 1;
    uint64_t next = g->next;
    memcpy(out + OFF_SEED, &g->seed, 8);
    memcpy(out + OFF_LEFT, &left, 4);
    memcpy(out + OFF_SEEDED, &seeded, 4);
    memcpy(out + OFF_NEXT, &next, 8);
    for (int i = 0; i < RNG_STATE_N; i++) {
        uint64_t s = g->state[i];
        memcpy(out + OFF_STATE + 8 * i, &s, 8);
    }
    if (g->has_next_double) {
        int32_t valid = 1;
        memcpy(out + OFF_NORMAL_Y, &g->next_double, 8);
        memcpy(out + OFF_NORMAL_VALID, &valid, 4);
    }
    if (g->has_next_float) {
        memcpy(out + OFF_NEXT_FLOAT, &g->next_float, 4);
        out[OFF_FLOAT_VALID] = 1;
    }
}

bool rng_set_state(RngGen *g, const uint8_t *b, int64_t n)
{
    if (n != RNG_STATE_BYTES) {
        tsr_raise(ERR_RuntimeError, "Expected either a THGeneratorState of size 5048 or a "
                  "CPUGeneratorImplState of size 5056 but found the input RNG state size to be %lld",
                  (long long)n);
        return false;
    }
    int32_t left;
    uint64_t next;
    memcpy(&g->seed, b + OFF_SEED, 8);
    memcpy(&left, b + OFF_LEFT, 4);
    memcpy(&next, b + OFF_NEXT, 8);
    if (left <= 0 || left > RNG_STATE_N || next > RNG_STATE_N) {
        tsr_raise(ERR_RuntimeError, "The provided RNG state is invalid");
        return false;
    }
    g->left = left;
    g->next = (uint32_t)next;
    for (int i = 0; i < RNG_STATE_N; i++) {
        uint64_t s;
        memcpy(&s, b + OFF_STATE + 8 * i, 8);
        g->state[i] = (uint32_t)s;
    }
    int32_t dvalid;
    memcpy(&dvalid, b + OFF_NORMAL_VALID, 4);
    g->has_next_double = dvalid != 0;
    memcpy(&g->next_double, b + OFF_NORMAL_Y, 8);
    g->has_next_float = b[OFF_FLOAT_VALID] != 0;
    memcpy(&g->next_float, b + OFF_NEXT_FLOAT, 4);
    return true;
}

/* ------------------------------------------------------- the CUDA generator --- */

void rng_cuda_manual_seed(uint64_t seed) {
    cuda_rng_seed = seed;
    cuda_rng_offset = 0;
}

uint64_t rng_cuda_seed(void)
{
    uint64_t s = rng_nondeterministic_seed();
    rng_cuda_manual_seed(s);
    return s;
}

uint64_t rng_cuda_initial_seed(void) { return cuda_rng_seed; }

Tensor *rng_cuda_get_state(void)
{
    int64_t n = RNG_CUDA_STATE_BYTES;
    Tensor *t = tensor_empty(DT_UINT8, 1, &n, device_cpu());
    if (!t)
        return NULL;
    uint8_t *b = (uint8_t *)tensor_data(t);
    memcpy(b, &cuda_rng_seed, 8);
    memcpy(b + 8, &cuda_rng_offset, 8);
    return t;
}

bool rng_cuda_set_state(Tensor *state)
{
    if (state->dtype != DT_UINT8 || tensor_is_cuda(state)) {
        tsr_raise(ERR_TypeError, "RNG state must be a torch.ByteTensor");
        return false;
    }
    int64_t n = tensor_numel(state);
    if (n != RNG_CUDA_STATE_BYTES && n != 8) {
        tsr_raise(ERR_RuntimeError, "RNG state is wrong size");
        return false;
    }
    Tensor *c = tensor_contiguous(state);
    if (!c)
        return false;
    uint64_t seed, off = 0;
    memcpy(&seed, tensor_data(c), 8);
    if (n == RNG_CUDA_STATE_BYTES)
        memcpy(&off, tensor_data(c) + 8, 8);
    tensor_release(c);
    cuda_rng_seed = seed;
    cuda_rng_offset = off;
    return true;
}
