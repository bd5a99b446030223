/* fft.c: torch.fft's transforms on the CPU, a C port of pocketfft's C++
 * algorithm (attribution and license in fft_impl.h): the complex radix
 * passes 2, 3, 4, 5, 7, 8, 11 and the generic one, the real radix passes
 * 2, 3, 4, 5 and the generic one, Bluestein's algorithm where pocketfft's
 * cost estimate prefers it, and its twiddles (sincos_2pibyn, computed in
 * double for both precisions). The plan lives in the caller's workspace. */
#include "fft.h"

#include <math.h>
#include <string.h>

#include "fft_bump.h"


/* the twiddle tables' entries, always double */
typedef struct {
    double r, i;
} sc_cx;

static sc_cx sincos_calc(size_t x, size_t n, double ang) {
    x <<= 3;
    if (x < 4 * n) {     /* first half */
        if (x < 2 * n) { /* first quadrant */
            if (x < n) return (sc_cx){cos((double)x * ang), sin((double)x * ang)};
            return (sc_cx){sin((double)(2 * n - x) * ang), cos((double)(2 * n - x) * ang)};
        }
        x -= 2 * n; /* second quadrant */
        if (x < n) return (sc_cx){-sin((double)x * ang), cos((double)x * ang)};
        return (sc_cx){-cos((double)(2 * n - x) * ang), sin((double)(2 * n - x) * ang)};
    }
    x = 8 * n - x;
    if (x < 2 * n) { /* third quadrant */
        if (x < n) return (sc_cx){cos((double)x * ang), -sin((double)x * ang)};
        return (sc_cx){sin((double)(2 * n - x) * ang), -cos((double)(2 * n - x) * ang)};
    }
    x -= 2 * n; /* fourth quadrant */
    if (x < n) return (sc_cx){-sin((double)x * ang), -cos((double)x * ang)};
    return (sc_cx){-cos((double)(2 * n - x) * ang), -sin((double)(2 * n - x) * ang)};
}

static size_t largest_prime_factor(size_t n) {
    size_t res = 1;
    while ((n & 1) == 0) res = 2, n >>= 1;
    for (size_t x = 3; x * x <= n; x += 2)
        while ((n % x) == 0) res = x, n /= x;
    if (n > 1) res = n;
    return res;
}

static double cost_guess(size_t n) {
    const double lfp = 1.1; /* penalty for non-hardcoded larger factors */
    size_t ni = n;
    double result = 0.;
    while ((n & 1) == 0) result += 2, n >>= 1;
    for (size_t x = 3; x * x <= n; x += 2)
        while ((n % x) == 0) {
            result += (x <= 5) ? (double)x : lfp * (double)x;
            n /= x;
        }
    if (n > 1) result += (n <= 5) ? (double)n : lfp * (double)n;
    return result * (double)ni;
}

/* the smallest composite of 2, 3, 5, 7 and 11 which is >= n */
size_t kernel_fft_good_size(size_t n) {
    if (n <= 12) return n;
    size_t bestfac = 2 * n;
    for (size_t f11 = 1; f11 < bestfac; f11 *= 11)
        for (size_t f117 = f11; f117 < bestfac; f117 *= 7)
            for (size_t f1175 = f117; f1175 < bestfac; f1175 *= 5) {
                size_t x = f1175;
                while (x < n) x *= 2;
                for (;;) {
                    if (x < n)
                        x *= 3;
                    else if (x > n) {
                        if (x < bestfac) bestfac = x;
                        if (x & 1) break;
                        x >>= 1;
                    } else
                        return n;
                }
            }
    return bestfac;
}

/* pocketfft_c / pocketfft_r's choice of Bluestein over FFTPACK */
bool kernel_fft_use_bluestein(size_t length, bool real) {
    size_t tmp = (length < 50) ? 0 : largest_prime_factor(length);
    if (tmp * tmp <= length) return false;
    double comp1 = real ? 0.5 * cost_guess(length) : cost_guess(length);
    double comp2 = 2 * cost_guess(kernel_fft_good_size(2 * length - 1));
    comp2 *= 1.5; /* fudge factor that appears to give good overall performance */
    return comp2 < comp1;
}

#define T float
#define N(x) x##_f
#include "fft_impl.h"
#undef T
#undef N

#define T double
#define N(x) x##_d
#include "fft_impl.h"
#undef T
#undef N

size_t kernel_fft_work_size(FftKind kind, bool dbl, int64_t len) {
    return (dbl ? work_size_d(kind, (size_t)len) : work_size_f(kind, (size_t)len)) + 64;
}

/* the workspace's first 64-byte boundary */
static void *aligned(void *work) { return (void *)(((uintptr_t)work + 63) & ~(uintptr_t)63); }

void kernel_fft_c2c(bool dbl, const void *in, void *out, int64_t outer, int64_t len, int64_t inner, bool forward,
                    double fct, void *work) {
    if (dbl)
        c2c_d(in, out, (size_t)outer, (size_t)len, (size_t)inner, forward, fct, aligned(work));
    else
        c2c_f(in, out, (size_t)outer, (size_t)len, (size_t)inner, forward, (float)fct, aligned(work));
}

void kernel_fft_r2c(bool dbl, const void *in, void *out, int64_t outer, int64_t len, int64_t inner, double fct,
                    void *work) {
    if (dbl)
        r2c_d(in, out, (size_t)outer, (size_t)len, (size_t)inner, fct, aligned(work));
    else
        r2c_f(in, out, (size_t)outer, (size_t)len, (size_t)inner, (float)fct, aligned(work));
}

void kernel_fft_c2r(bool dbl, const void *in, void *out, int64_t outer, int64_t len, int64_t inner, double fct,
                    void *work) {
    if (dbl)
        c2r_d(in, out, (size_t)outer, (size_t)len, (size_t)inner, fct, aligned(work));
    else
        c2r_f(in, out, (size_t)outer, (size_t)len, (size_t)inner, (float)fct, aligned(work));
}
