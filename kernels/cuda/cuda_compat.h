/* cuda_compat.h: lets one kernel source compile with nvcc for the GPU and
 * with g++ for the emulated device of the test build (TSR_CUDA_EMULATE).
 *
 * The rule that makes emulation exact: every CUDA thread is independent.
 * Kernels use no __shared__ memory, no __syncthreads and no warp
 * intrinsics; a kernel reads its thread number from TSR_TID and the grid's
 * size from TSR_NTHREADS (grid-stride loops). Reductions that need
 * cooperation run as several launches over partial results (reduce.cu).
 * Emulation then runs a launch as a loop over every (block, thread). The
 * only shared writes are tsr_atomic_add (scatter_add, index_add) and
 * stores of one same value (a bool scatter_add's 1, a range check's flag),
 * whose result does not depend on the order threads run in. */
#ifndef TSR_CUDA_COMPAT_H
#define TSR_CUDA_COMPAT_H

#include <stdint.h>
#include <cmath>

#include "scalar_ops.h" /* TSR_HD */
#include "tsr_cuda.h"

#define TSR_BLOCK 256 /* threads per block */

/* Blocks for n work items, one item per thread, at most max_blocks. */
static inline unsigned tsr_blocks(int64_t n, int64_t max_blocks) {
    int64_t b = (n + TSR_BLOCK - 1) / TSR_BLOCK;
    if (b < 1) b = 1;
    if (b > max_blocks) b = max_blocks;
    return (unsigned)b;
}
#define TSR_MAX_BLOCKS 65535

#if defined(__CUDACC__) && !defined(TSR_CUDA_EMULATE)
#include <cuda_runtime.h>
#define TSR_GLOBAL __global__
#define TSR_TID ((int64_t)blockIdx.x * blockDim.x + threadIdx.x)
#define TSR_NTHREADS ((int64_t)gridDim.x * blockDim.x)
/* Launches kern over `blocks` blocks of TSR_BLOCK threads on tsr's stream
 * and marks work pending. */
#define TSR_LAUNCH(kern, blocks, ...)                                                     \
    do {                                                                                  \
        kern<<<(blocks), TSR_BLOCK, 0, (cudaStream_t)cuda_stream()>>>(__VA_ARGS__);      \
        cuda_pending = 1;                                                                 \
    } while (0)
/* Launch errors (bad configuration) surface at the next cuda_sync(). */
template <typename T> __device__ __forceinline__ void tsr_atomic_add(T *p, T v) { atomicAdd(p, v); }
__device__ __forceinline__ void tsr_atomic_add(int64_t *p, int64_t v) {
    atomicAdd((unsigned long long *)p, (unsigned long long)v);
}
#else /* emulation on the host */
#define TSR_GLOBAL static
extern thread_local int64_t tsr_emu_tid, tsr_emu_nthreads;
#define TSR_TID tsr_emu_tid
#define TSR_NTHREADS tsr_emu_nthreads
#define TSR_LAUNCH(kern, blocks, ...)                                                     \
    do {                                                                                  \
        tsr_emu_nthreads = (int64_t)(blocks) * TSR_BLOCK;                                 \
        for (tsr_emu_tid = 0; tsr_emu_tid < tsr_emu_nthreads; tsr_emu_tid++) kern(__VA_ARGS__); \
    } while (0)
template <typename T> inline void tsr_atomic_add(T *p, T v) { *p += v; }
#endif

/* Grid-stride loop over [0, n). */
#define TSR_FOR(i, n) for (int64_t i = TSR_TID; i < (n); i += TSR_NTHREADS)

/* ---- half and bfloat16 as raw 16-bit patterns: the code of dtype.c ---- */
TSR_HD float tsr_bits_f(uint32_t u) { union { uint32_t u; float f; } c; c.u = u; return c.f; }
TSR_HD uint32_t tsr_f_bits(float f) { union { uint32_t u; float f; } c; c.f = f; return c.u; }
TSR_HD float tsr_h2f(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
    if (exp == 0) {
        if (mant == 0) bits = sign;
        else { /* subnormal: mant * 2^-24, exact in float */
            float f = (float)mant * 5.9604644775390625e-08f;
            return sign ? -f : f;
        }
    } else if (exp == 31) bits = sign | 0x7f800000u | (mant << 13);
    else bits = sign | ((exp + 112) << 23) | (mant << 13);
    return tsr_bits_f(bits);
}
TSR_HD uint16_t tsr_f2h(float f) {
    uint32_t x = tsr_f_bits(f);
    uint32_t sign = (x >> 16) & 0x8000;
    uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) return (uint16_t)(sign | 0x7c00 | (absx > 0x7f800000u ? 0x200 : 0));
    if (absx >= 0x477ff000u) return (uint16_t)(sign | 0x7c00); /* overflow -> inf */
    if (absx < 0x38800000u) { /* subnormal half or zero: a * 2^24 rounded to nearest even */
        float m = rintf(tsr_bits_f(absx) * 16777216.0f);
        return (uint16_t)(sign | (uint32_t)m);
    }
    uint32_t mant_odd = (absx >> 13) & 1;
    absx += 0xc8000fffu + mant_odd; /* rebias exponent and round to nearest even */
    return (uint16_t)(sign | (absx >> 13));
}
TSR_HD float tsr_bf2f(uint16_t b) { return tsr_bits_f((uint32_t)b << 16); }
TSR_HD uint16_t tsr_f2bf(float f) {
    uint32_t x = tsr_f_bits(f);
    if ((x & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((x >> 16) | 0x40);
    uint32_t lsb = (x >> 16) & 1;
    x += 0x7fffu + lsb;
    return (uint16_t)(x >> 16);
}

// Runs the statement with U the unsigned type of es bytes (copies and
// gathers move elements by size); returns from the caller.
#define BY_SIZE(es, U, ...)                                          \
    switch (es) {                                                    \
    case 1: { typedef uint8_t U; __VA_ARGS__; return KERNEL_OK; }    \
    case 2: { typedef uint16_t U; __VA_ARGS__; return KERNEL_OK; }   \
    case 4: { typedef uint32_t U; __VA_ARGS__; return KERNEL_OK; }   \
    case 8: { typedef uint64_t U; __VA_ARGS__; return KERNEL_OK; }   \
    default: return KERNEL_UNSUPPORTED;                              \
    }

#endif
