/* numpy_sum.c: numpy's float and complex add.reduce order (see the header). */
#include "numpy_sum.h"

enum { NP_BUFSIZE = 8192, PW_BLOCKSIZE = 128 };

#define DEF_NP_SUM(T, SUF)                                                              \
    static T pairwise_##SUF(const T *a, int64_t n)                                     \
    {                                                                                  \
        if (n < 8) {                                                                   \
            T res = 0;                                                                 \
            for (int64_t i = 0; i < n; i++) res += a[i];                               \
            return res;                                                                \
        }                                                                              \
        if (n <= PW_BLOCKSIZE) {                                                       \
            T r[8];                                                                    \
            for (int j = 0; j < 8; j++) r[j] = a[j];                                   \
            int64_t i;                                                                 \
            for (i = 8; i < n - (n % 8); i += 8)                                       \
                for (int j = 0; j < 8; j++) r[j] += a[i + j];                          \
            T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])); \
            for (; i < n; i++) res += a[i];                                            \
            return res;                                                                \
        }                                                                              \
        int64_t n2 = n / 2;                                                            \
        n2 -= n2 % 8;                                                                  \
        return pairwise_##SUF(a, n2) + pairwise_##SUF(a + n2, n - n2);                 \
    }

DEF_NP_SUM(double, f64)
DEF_NP_SUM(float, f32)

#define RUN_REAL(o, a, n, SUF) (*(o) += pairwise_##SUF(a, n))
#define RUN_F64(o, a, n) RUN_REAL(o, a, n, f64)
#define RUN_F32(o, a, n) RUN_REAL(o, a, n, f32)
#define ELEM_REAL(o, x) (*(o) += (x))

/* complex: pairwise over the interleaved parts, n counting parts (two an
 * element): 4 elements' accumulators per part up to 64 elements, the
 * halves split at a multiple of 4 elements above */
#define DEF_NP_CSUM(T, R, SUF)                                                         \
    static void cpairwise_##SUF(const R *a, int64_t n, R *rr, R *ri)                   \
    {                                                                                  \
        if (n < 8) {                                                                   \
            R sr = 0, si = 0;                                                          \
            for (int64_t i = 0; i < n; i += 2) {                                       \
                sr += a[i];                                                            \
                si += a[i + 1];                                                        \
            }                                                                          \
            *rr = sr;                                                                  \
            *ri = si;                                                                  \
            return;                                                                    \
        }                                                                              \
        if (n <= PW_BLOCKSIZE) {                                                       \
            R r[8];                                                                    \
            for (int j = 0; j < 8; j++) r[j] = a[j];                                   \
            int64_t i;                                                                 \
            for (i = 8; i < n - (n % 8); i += 8)                                       \
                for (int j = 0; j < 8; j++) r[j] += a[i + j];                          \
            R sr = ((r[0] + r[2]) + (r[4] + r[6])), si = ((r[1] + r[3]) + (r[5] + r[7])); \
            for (; i < n; i += 2) {                                                    \
                sr += a[i];                                                            \
                si += a[i + 1];                                                        \
            }                                                                          \
            *rr = sr;                                                                  \
            *ri = si;                                                                  \
            return;                                                                    \
        }                                                                              \
        int64_t n2 = n / 2;                                                            \
        n2 -= n2 % 8;                                                                  \
        R r1, i1, r2, i2;                                                              \
        cpairwise_##SUF(a, n2, &r1, &i1);                                              \
        cpairwise_##SUF(a + n2, n - n2, &r2, &i2);                                     \
        *rr = r1 + r2;                                                                 \
        *ri = i1 + i2;                                                                 \
    }

DEF_NP_CSUM(tsr_cdouble, double, c128)
DEF_NP_CSUM(tsr_cfloat, float, c64)
#define RUN_COMPLEX(o, a, n, R, SUF)                                                   \
    do {                                                                               \
        R sr_, si_;                                                                    \
        cpairwise_##SUF((const R *)(a), 2 * (n), &sr_, &si_);                          \
        (o)->re += sr_;                                                                \
        (o)->im += si_;                                                                \
    } while (0)
#define RUN_C128(o, a, n) RUN_COMPLEX(o, a, n, double, c128)
#define RUN_C64(o, a, n) RUN_COMPLEX(o, a, n, float, c64)
#define ELEM_COMPLEX(o, x) ((o)->re += (x).re, (o)->im += (x).im)

/* numpy's traversal of the runs: RUN(o, a, n) adds the sum of the n
 * contiguous elements at a into *o (one call per buffer), ELEM(o, x) adds
 * the element x into *o */
#define DEF_NP_SUM_KERNEL(T, SUF, RUN, ELEM)                                           \
    void kernel_np_sum_##SUF(const NpSumRuns *r, const T *in, T *out)                  \
    {                                                                                  \
        int last = r->n - 1;                                                           \
        int64_t inner = r->len[last];                                                  \
        int64_t idx[NP_SUM_MAX_RUNS] = {0}, ostride[NP_SUM_MAX_RUNS];                  \
        int64_t os = r->reduced[last] ? 1 : inner;                                     \
        for (int k = last - 1; k >= 0; k--) {                                          \
            ostride[k] = r->reduced[k] ? 0 : os;                                       \
            if (!r->reduced[k]) os *= r->len[k];                                       \
        }                                                                              \
        int64_t in_off = 0, out_off = 0;                                               \
        for (;;) {                                                                     \
            const T *a = in + in_off;                                                  \
            if (r->reduced[last]) {                                                    \
                for (int64_t s = 0; s < inner; s += NP_BUFSIZE)                        \
                    RUN(&out[out_off], a + s, inner - s < NP_BUFSIZE ? inner - s : NP_BUFSIZE); \
            } else {                                                                   \
                for (int64_t j = 0; j < inner; j++) ELEM(&out[out_off + j], a[j]);     \
            }                                                                          \
            in_off += inner;                                                           \
            int k = last - 1;                                                          \
            for (; k >= 0; k--) {                                                      \
                out_off += ostride[k];                                                 \
                if (++idx[k] < r->len[k]) break;                                       \
                out_off -= ostride[k] * r->len[k];                                     \
                idx[k] = 0;                                                            \
            }                                                                          \
            if (k < 0) return;                                                         \
        }                                                                              \
    }

DEF_NP_SUM_KERNEL(double, f64, RUN_F64, ELEM_REAL)
DEF_NP_SUM_KERNEL(float, f32, RUN_F32, ELEM_REAL)
DEF_NP_SUM_KERNEL(tsr_cdouble, c128, RUN_C128, ELEM_COMPLEX)
DEF_NP_SUM_KERNEL(tsr_cfloat, c64, RUN_C64, ELEM_COMPLEX)
