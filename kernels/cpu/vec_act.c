/* vec_act.c: the dispatch of vec_act.h's kernels on the CPU capability. */
#include "vec_act.h"

#include "vec_math.h"

bool vec_act(const VecActArgs *a, DType dt, int64_t n, const char *x, const char *g, char *buf,
             char *out) {
    if (dt != DT_FLOAT32 && dt != DT_FLOAT64) return false;
    /* the AVX-512 kernels (16 floats a vector) are not mirrored yet: the
     * caller's scalar loop runs there, as on the default capability */
    if (cpu_capability() != CPU_CAP_AVX2) return false;
    return vec_act_avx2(a, dt, n, x, g, buf, out);
}
