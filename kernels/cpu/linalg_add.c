/* linalg_add.c: torch.addr's loop for float32/float64.
 *
 * ATen's addr_kernel writes `beta * self + alpha * vec1 * vec2` once for
 * its vectorized loop and once for the scalar one, and GCC contracts the
 * two differently in the AVX2 build (which the oracle runs): the
 * vectorized lanes fuse the last product into the sum, fma(alpha * vec1,
 * vec2, beta * self), the scalar remainder fuses beta's,
 * fma(beta, self, alpha * vec1 * vec2). cpu_kernel_vec takes a row
 * vectorized when every operand is unit-stride or exactly one input has
 * stride 0, in chunks of two vectors (16 floats, 8 doubles), and the rest
 * of the row element by element. */
#include <math.h>
#include <stdbool.h>

#include "linalg_add.h"

typedef struct {
    double beta, alpha;
} AddrScalars;

/* cpu_kernel_vec's test: all operands contiguous, or one input a scalar */
static bool vectorized_row(const int64_t *s, int64_t es) {
    if (s[0] != es) return false;
    int zeros = 0;
    for (int k = 1; k < 4; k++) {
        if (s[k] == 0) zeros++;
        else if (s[k] != es) return false;
    }
    return zeros <= 1;
}

#define ADDR_ROW(NAME, T, FMA, CHUNK)                                                   \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {                \
        const AddrScalars *c = ctx;                                                     \
        T beta = (T)c->beta, alpha = (T)c->alpha;                                       \
        int64_t nvec = vectorized_row(s, (int64_t)sizeof(T)) ? n - n % (CHUNK) : 0;     \
        for (int64_t i = 0; i < n; i++) {                                               \
            T *o = (T *)(d[0] + i * s[0]);                                              \
            T u = *(const T *)(d[2] + i * s[2]), w = *(const T *)(d[3] + i * s[3]);     \
            if (beta == 0) {                                                            \
                *o = alpha * u * w;                                                     \
                continue;                                                               \
            }                                                                           \
            T x = *(const T *)(d[1] + i * s[1]);                                        \
            *o = i < nvec ? FMA(alpha * u, w, beta * x) : FMA(beta, x, alpha * u * w);  \
        }                                                                               \
    }
ADDR_ROW(addr_row_f32, float, fmaf, 16)
ADDR_ROW(addr_row_f64, double, fma, 8)

KernelStatus kernel_addr(DType dt, const TsrIter *it, double beta, double alpha) {
    IterLoopFn fn = dt == DT_FLOAT32 ? addr_row_f32 : dt == DT_FLOAT64 ? addr_row_f64 : NULL;
    if (!fn) return KERNEL_UNSUPPORTED;
    AddrScalars c = {beta, alpha};
    if (it->numel > 0) iter_run_range(it, 0, it->numel, fn, &c);
    return KERNEL_OK;
}
