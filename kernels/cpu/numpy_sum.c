/* numpy_sum.c: numpy's float add.reduce order (see the header). */
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
    }                                                                                  \
                                                                                       \
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
                    out[out_off] += pairwise_##SUF(a + s, inner - s < NP_BUFSIZE ? inner - s : NP_BUFSIZE); \
            } else {                                                                   \
                for (int64_t j = 0; j < inner; j++) out[out_off + j] += a[j];          \
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

DEF_NP_SUM(double, f64)
DEF_NP_SUM(float, f32)

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
    }                                                                                  \
                                                                                       \
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
                for (int64_t s = 0; s < inner; s += NP_BUFSIZE) {                      \
                    int64_t m = inner - s < NP_BUFSIZE ? inner - s : NP_BUFSIZE;       \
                    R sr, si;                                                          \
                    cpairwise_##SUF((const R *)(a + s), 2 * m, &sr, &si);              \
                    out[out_off].re += sr;                                             \
                    out[out_off].im += si;                                             \
                }                                                                      \
            } else {                                                                   \
                for (int64_t j = 0; j < inner; j++) {                                  \
                    out[out_off + j].re += a[j].re;                                    \
                    out[out_off + j].im += a[j].im;                                    \
                }                                                                      \
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

DEF_NP_CSUM(tsr_cdouble, double, c128)
DEF_NP_CSUM(tsr_cfloat, float, c64)
