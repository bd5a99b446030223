/* vec_math.c: the CPU capability choice and the dispatch to the vector
 * loops of vec_math_avx2.c / vec_math_avx512.c (vec_math.h). */
#include "vec_math.h"

#include <stdlib.h>
#include <string.h>

static int chosen = -1;

static bool cpu_has(CpuCapability cap) {
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    if (cap == CPU_CAP_AVX2)
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (cap == CPU_CAP_AVX512)
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("fma");
#endif
    return cap == CPU_CAP_DEFAULT;
}

/* ATen 1.13's compute_cpu_capability: the environment's choice first (an
 * unknown value is ignored; PyTorch warns), then AVX2 with FMA. AVX-512 is
 * never chosen by itself. A capability the CPU lacks (PyTorch would die
 * of an illegal instruction) falls back to the detected one. */
CpuCapability cpu_capability(void) {
    if (chosen >= 0) return (CpuCapability)chosen;
    CpuCapability cap = cpu_has(CPU_CAP_AVX2) ? CPU_CAP_AVX2 : CPU_CAP_DEFAULT;
    const char *env = getenv("ATEN_CPU_CAPABILITY");
    if (env) {
        if (strcmp(env, "avx512") == 0 && cpu_has(CPU_CAP_AVX512)) cap = CPU_CAP_AVX512;
        else if (strcmp(env, "avx2") == 0 && cpu_has(CPU_CAP_AVX2)) cap = CPU_CAP_AVX2;
        else if (strcmp(env, "default") == 0) cap = CPU_CAP_DEFAULT;
    }
    chosen = (int)cap;
    return cap;
}

void cpu_capability_force(CpuCapability cap) {
    if ((unsigned)cap < CPU_CAP_COUNT && cpu_has(cap)) chosen = (int)cap;
}

bool cpu_capability_available(CpuCapability cap) {
    return (unsigned)cap < CPU_CAP_COUNT && cpu_has(cap);
}

const char *cpu_capability_name(CpuCapability cap) {
    static const char *const names[CPU_CAP_COUNT] = {
#define X(e, s) [CPU_CAP_##e] = s,
        TSR_CPU_CAPABILITIES(X)
#undef X
    };
    return (unsigned)cap < CPU_CAP_COUNT ? names[cap] : "?";
}

bool vec_complex_exp(DType dt, const char *in, int64_t is, char *out, int64_t os, int64_t n) {
    CpuCapability c = cpu_capability(); /* vec512's formula is the same per lane */
    if (c != CPU_CAP_AVX2 && c != CPU_CAP_AVX512) return false;
    return cpu_capability_available(CPU_CAP_AVX2) && vec_complex_exp_avx2(dt, in, is, out, os, n);
}

IterLoopFn vec_unary_loop(UnaryOp op, DType dt) {
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) return NULL;
    switch (cpu_capability()) {
    case CPU_CAP_AVX2: return vec_unary_loop_avx2(op, dt);
    case CPU_CAP_AVX512: return vec_unary_loop_avx512(op, dt);
    default: return NULL;
    }
}

bool vec_softmax_lastdim(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                         bool log) {
    switch (cpu_capability()) {
    case CPU_CAP_AVX2: return vec_softmax_lastdim_avx2(dt, in, out, outer, n, log);
    case CPU_CAP_AVX512: return vec_softmax_lastdim_avx512(dt, in, out, outer, n, log);
    default: return false;
    }
}

IterLoopFn vec_binary_loop(BinaryOp op, DType dt) {
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) return NULL;
    switch (cpu_capability()) {
    case CPU_CAP_AVX2: return vec_binary_loop_avx2(op, dt);
    case CPU_CAP_AVX512: return vec_binary_loop_avx512(op, dt);
    default: return NULL;
    }
}

bool vec_softmax_inner(DType dt, const char *in, char *out, int64_t outer, int64_t n,
                       int64_t inner, bool log) {
    switch (cpu_capability()) {
    case CPU_CAP_AVX2: return vec_softmax_inner_avx2(dt, in, out, outer, n, inner, log);
    case CPU_CAP_AVX512: return vec_softmax_inner_avx512(dt, in, out, outer, n, inner, log);
    default: return false;
    }
}

bool vec_softmax_backward(DType dt, const char *g, const char *y, char *out, int64_t outer,
                          int64_t n, int64_t inner, bool lastdim, bool log) {
    switch (cpu_capability()) {
    case CPU_CAP_AVX2: return vec_softmax_backward_avx2(dt, g, y, out, outer, n, inner, lastdim, log);
    case CPU_CAP_AVX512: return vec_softmax_backward_avx512(dt, g, y, out, outer, n, inner, lastdim, log);
    default: return false;
    }
}

IterLoopFn vec_pow_scalar_loop(DType dt) {
    switch (cpu_capability()) {
    case CPU_CAP_AVX2: return vec_pow_scalar_loop_avx2(dt);
    case CPU_CAP_AVX512: return vec_pow_scalar_loop_avx512(dt);
    default: return NULL;
    }
}
