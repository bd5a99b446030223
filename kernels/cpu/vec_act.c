/* vec_act.c: the dispatch of vec_act.h's kernels on the CPU capability. */
#include "vec_act.h"

#include "vec_math.h"

bool vec_act(const VecActArgs *a, DType dt, int64_t n, const char *x, const char *g, char *buf,
             char *out) {
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) return false;
    /* oneDNN picks its own instruction set, whatever ATen's capability;
     * its AVX2 and AVX-512 kernels agree lane by lane (with FMA; without
     * it, oneDNN's SSE4.1 code rounds twice and is not mirrored) */
    if (dt == DT_FLOAT32 && a->act == VACT_GELU && a->onednn) {
        if (!cpu_capability_available(CPU_CAP_AVX2)) return false;
        vec_act_onednn_gelu_avx2(a->backward, n, (const float *)x, (const float *)g,
                                 (float *)out);
        return true;
    }
    /* the default capability: the caller's scalar loop */
    if (cpu_capability() == CPU_CAP_AVX512) return vec_act_avx512(a, dt, n, x, g, buf, out);
    if (cpu_capability() != CPU_CAP_AVX2) return false;
    return vec_act_avx2(a, dt, n, x, g, buf, out);
}
