/* The CUDA elementwise kernels (cuda_elementwise.h) against the CPU kernels
 * they mirror, on random data: every op x dtype, every cast pair, where,
 * softmax, strided copy and fill, over contiguous, broadcast, transposed,
 * strided-output, negative-stride, 0-dim and empty operands, in both the
 * 32-bit and the 64-bit index paths. Results must be bitwise equal, except
 * NaN payloads and the libm-style float functions (within a few ulps on a
 * real GPU). Runs on the emulated device of `make CUDA=emu` and on a real
 * GPU; without a device it says so and passes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "copy.h"
#include "cuda_elementwise.h"
#include "device.h"
#include "vec_math.h"

/* elementwise.cu's test hook: nonzero forces the 64-bit index path */

/* The GPU's compute kernels (kernels/cpu/table.h). */
static const Kernels *gpu_kernels(void) { return device_kernels((Device){DEV_CUDA, 0}); }

/* ---- random data ---- */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void) { /* xorshift64* */
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dull;
}
static int64_t rnd_range(int64_t lo, int64_t hi) { return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)); }

static double rnd_float_value(void) {
    static const double special[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1, -1, 0.5, -0.5, 2, 3, 1e-40,
                                     -1e-310, 65504, 1e300, 3.4e38, 1e10, -7.5, 0.25};
    int r = (int)(rnd() % 100);
    if (r < 12) return special[rnd() % (sizeof special / sizeof special[0])];
    if (r < 40) return (double)rnd_range(-8, 8);
    double m = (double)(rnd() >> 11) / 9007199254740992.0; /* [0, 1) */
    int e = r < 95 ? (int)rnd_range(-12, 12) : (int)rnd_range(-80, 80);
    return ((rnd() & 1) ? -1 : 1) * ldexp(1 + m, e);
}

static void rnd_elem(DType dt, void *p) {
    size_t es = dtype_size(dt);
    if (dt == DT_BOOL) {
        *(bool *)p = rnd() & 1;
    } else if (dtype_is_complex(dt)) { /* each part as its float dtype's */
        DType part = dtype_to_real(dt);
        rnd_elem(part, p);
        rnd_elem(part, (char *)p + es / 2);
    } else if (dtype_is_float(dt)) {
        if (rnd() % 16 == 0) { /* raw bits: subnormals, NaN payloads, anything */
            uint64_t b = rnd();
            memcpy(p, &b, es);
        } else {
            dtype_store_f64(dt, p, rnd_float_value());
        }
    } else {
        int r = (int)(rnd() % 10);
        uint64_t b = rnd();
        if (r < 4) b = (uint64_t)rnd_range(-10, 70);
        else if (r < 5) b = (rnd() & 1) ? 0 : (uint64_t)-1;
        else if (r < 6) b = (uint64_t)1 << (8 * es - 1); /* the minimum */
        else if (r < 7) b = ((uint64_t)1 << (8 * es - 1)) - 1; /* the maximum */
        memcpy(p, &b, es); /* little endian: the low bytes */
    }
}

/* ---- comparison ---- */
static bool is_nan_elem(DType dt, const void *p) {
    switch (dt) {
    case DT_FLOAT16: { uint16_t h; memcpy(&h, p, 2); return (h & 0x7fff) > 0x7c00; }
    case DT_BFLOAT16: { uint16_t h; memcpy(&h, p, 2); return (h & 0x7fff) > 0x7f80; }
    case DT_FLOAT32: { float f; memcpy(&f, p, 4); return f != f; }
    case DT_FLOAT64: { double f; memcpy(&f, p, 8); return f != f; }
    default: return false;
    }
}
/* position on the number line in units of the dtype's ulp */
static int64_t ordered(DType dt, const void *p) {
    uint64_t b = 0, signbit = (uint64_t)1 << (8 * dtype_size(dt) - 1);
    memcpy(&b, p, dtype_size(dt));
    int64_t mag = (int64_t)(b & (signbit - 1));
    return (b & signbit) ? -mag : mag;
}
/* equal, or both NaN, or (ulps > 0) within ulps of each other */
static bool same_elem(DType dt, const void *x, const void *y, int ulps) {
    if (dtype_is_float(dt)) {
        bool nx = is_nan_elem(dt, x), ny = is_nan_elem(dt, y);
        if (nx || ny) return nx && ny;
        if (ulps > 0) {
            __int128 d = (__int128)ordered(dt, x) - ordered(dt, y); /* inf - -inf overflows int64 */
            return d >= -ulps && d <= ulps;
        }
    }
    return memcmp(x, y, dtype_size(dt)) == 0;
}
static void hex(char *buf, const void *p, size_t es) {
    for (size_t i = 0; i < es; i++) sprintf(buf + 2 * i, "%02x", ((const unsigned char *)p)[es - 1 - i]);
}

/* ---- geometries: row-major dims, element strides per operand ---- */
typedef struct {
    const char *name;
    int nd;
    int64_t shape[4];
    int64_t st[ITER_MAX_OPS][4];
} Geom;

static const Geom geoms[] = {
    {"contiguous", 1, {1000}, {{1}, {1}, {1}, {1}}},
    {"broadcast", 3, {4, 3, 5}, {{15, 5, 1}, {5, 0, 1}, {0, 1, 0}, {0, 0, 1}}},
    {"transposed", 2, {6, 7}, {{7, 1}, {1, 6}, {28, 2}, {1, 6}}},
    {"strided out", 2, {5, 4}, {{1, 5}, {8, 2}, {4, 1}, {0, 1}}},
    {"negative strides", 1, {9}, {{2}, {-1}, {-3}, {1}}},
    {"0-dim", 0, {0}, {{0}}},
    {"empty", 3, {3, 0, 2}, {{0, 2, 1}, {0, 2, 1}, {0, 2, 1}, {0, 2, 1}}},
    {"scalar b", 1, {50}, {{1}, {1}, {0}, {0}}},
    {"scalar a", 1, {50}, {{1}, {0}, {1}, {1}}},
    {"4-d permuted", 4, {2, 3, 4, 5}, {{60, 20, 5, 1}, {1, 2, 6, 24}, {0, 5, 0, 1}, {60, 20, 5, 1}}},
    {"size-1 dims", 3, {1, 7, 1}, {{7, 1, 1}, {100, 1, 100}, {7, 2, 7}, {0, 0, 0}}},
};
#define NGEOMS (int)(sizeof geoms / sizeof geoms[0])

/* One operand set, twice: host buffers for the CPU kernel and device
 * buffers with the same bytes for the CUDA kernel. Operand 0 (the output)
 * starts as the same random bytes on both sides, so elements neither side
 * writes still compare equal. */
typedef struct {
    int nops;
    DType dt[ITER_MAX_OPS];
    int64_t nbytes[ITER_MAX_OPS], base[ITER_MAX_OPS]; /* base: bytes to element 0 */
    char *host[ITER_MAX_OPS], *dev[ITER_MAX_OPS];
    TsrIter cpu, gpu;
} Bufs;

static void *dev_alloc(size_t n) {
    void *p = tsr_cuda->raw_alloc(n < 16 ? 16 : n);
    assert_non_null(p);
    return p;
}
static void to_dev(void *dst, const void *src, size_t n) { assert_true(tsr_cuda->memcpy(dst, src, n)); }

static void bufs_init(Bufs *b, const Geom *g, int nops, const DType *dt) {
    int64_t shape[ITER_MAX_DIMS], st[ITER_MAX_OPS][ITER_MAX_DIMS];
    char *hp[ITER_MAX_OPS], *dp[ITER_MAX_OPS];
    b->nops = nops;
    for (int k = 0; k < nops; k++) {
        int64_t es = (int64_t)dtype_size(dt[k]), lo = 0, hi = 0;
        for (int d = 0; d < g->nd; d++) {
            int64_t reach = (g->shape[d] - 1) * g->st[k][d];
            if (reach < 0) lo += reach;
            else hi += reach;
            st[k][d] = g->st[k][d] * es;
            shape[d] = g->shape[d];
        }
        b->dt[k] = dt[k];
        b->base[k] = -lo * es;
        b->nbytes[k] = (hi - lo + 1) * es;
        b->host[k] = malloc((size_t)b->nbytes[k]);
        b->dev[k] = dev_alloc((size_t)b->nbytes[k]);
        for (int64_t i = 0; i < b->nbytes[k]; i += es) rnd_elem(dt[k], b->host[k] + i);
        to_dev(b->dev[k], b->host[k], (size_t)b->nbytes[k]);
        hp[k] = b->host[k] + b->base[k];
        dp[k] = b->dev[k] + b->base[k];
    }
    iter_init(&b->cpu, nops, g->nd, shape, hp, st);
    iter_init(&b->gpu, nops, g->nd, shape, dp, st);
}

static void bufs_free(Bufs *b) {
    for (int k = 0; k < b->nops; k++) {
        free(b->host[k]);
        tsr_cuda->raw_free(b->dev[k]);
    }
}

/* Compares the output buffers; returns the number of mismatches and
 * describes the first in msg. */
static int bufs_compare(Bufs *b, int ulps, char *msg, size_t msgsz) {
    assert_true(tsr_cuda->sync());
    char *got = malloc((size_t)b->nbytes[0]);
    to_dev(got, b->dev[0], (size_t)b->nbytes[0]);
    DType dt = b->dt[0];
    size_t es = dtype_size(dt);
    int bad = 0;
    for (int64_t i = 0; i < b->nbytes[0]; i += (int64_t)es) {
        if (same_elem(dt, b->host[0] + i, got + i, ulps)) continue;
        if (!bad++) {
            char x[40], y[40];
            hex(x, b->host[0] + i, es);
            hex(y, got + i, es);
            snprintf(msg, msgsz, "element at byte %lld: cpu 0x%s, cuda 0x%s", (long long)i, x, y);
        }
    }
    free(got);
    return bad;
}

/* ---- op metadata from the X-macros ---- */
static const char bin_kind[BIN_COUNT] = {
#define X(e, n, k, ...) k,
    TSR_BINARY_OPS(X)
#undef X
};
static const char un_kind[UN_COUNT] = {
#define X(e, n, k, ...) k,
    TSR_UNARY_OPS(X)
#undef X
};
/* the libm-style functions: a real GPU's may differ in the last ulps */
static bool bin_is_libm(BinaryOp op) { return op == BIN_POW || op == BIN_ATAN2 || op == BIN_HYPOT || op == BIN_LOGADDEXP; }
/* math-library ops: libm/SLEEF on the CPU (vec_math.h's rows), CUDA's
 * libm on the device, a few ulps apart as PyTorch's devices are */
static bool un_is_libm(UnaryOp op) {
    switch (op) {
#define X(OP, ...) case UN_##OP:
        TSR_VEC_UNARY(X)
#undef X
        return true;
    default: return op >= UN_EXP && op <= UN_TANH;
    }
}
#define LIBM_ULPS 8

/* Runs one case: statuses must agree (want_gpu_unsupported: the GPU
 * declines where the CPU has a loop), then the outputs. */
static void check_case(Bufs *b, KernelStatus cs, KernelStatus gs, bool gpu_declines, int ulps,
                       const char *what, const Geom *g, int *failures) {
    char msg[200];
    KernelStatus want = gpu_declines ? KERNEL_UNSUPPORTED : cs;
    if (gs != want) {
        print_message("%s [%s]: cpu status %d, cuda status %d\n", what, g->name, cs, gs);
        (*failures)++;
        return;
    }
    if (gs != KERNEL_OK || cs != KERNEL_OK) return;
    int bad = bufs_compare(b, ulps, msg, sizeof msg);
    if (bad) {
        print_message("%s [%s, %s index]: %d mismatches; %s\n", what, g->name,
                      *tsr_cuda->elementwise_force_i64 ? "64-bit" : "32-bit", bad, msg);
        (*failures)++;
    }
}

static void test_binary(void **state) {
    int failures = 0, cases = 0;
    for (int i64 = 0; i64 < 2; i64++) {
        *tsr_cuda->elementwise_force_i64 = i64;
        for (int op = 0; op < BIN_COUNT; op++) {
            /* the special polynomials loop n times: this test's large
             * operands would take hours (their values are checked by
             * tests/golden/special/polynomials) */
            if (strstr(binary_op_names[op], "polynomial")) continue;
            for (int dt = 0; dt < DT_COUNT; dt++) {
                char k = bin_kind[op];
                DType out = (k == 'c' || k == 'l') ? DT_BOOL : (DType)dt;
                /* the GPU declines (the op layer then runs the CPU's loop over
                 * managed memory): integer division, which must report a zero
                 * divisor, and complex dtypes, which have no CUDA functors yet */
                bool int_div = (dtype_is_int((DType)dt) &&
                                (op == BIN_FLOOR_DIVIDE || op == BIN_REMAINDER || op == BIN_FMOD)) ||
                               dtype_is_complex((DType)dt);
                /* bfloat16 logit: rounded at every operation on the CPU, as
                 * ATen's CPU kernel; once, from float, on CUDA, as ATen's */
                if (dt == DT_BFLOAT16 && op == BIN_LOGIT) continue;
                /* bfloat16 xlogy/xlog1py: the CPU rounds the logarithm to
                 * bfloat16 (c10's std::log(BFloat16)); ATen's CUDA lambda
                 * does too, tsr's CUDA functor not yet (it rounds once) */
                if (dt == DT_BFLOAT16 && (op == BIN_XLOGY || op == BIN_XLOG1PY)) continue;
                char what[80];
                snprintf(what, sizeof what, "%s %s", binary_op_names[op], dtype_name((DType)dt));
                for (int gi = 0; gi < NGEOMS; gi++) {
                    DType dts[3] = {out, (DType)dt, (DType)dt};
                    Bufs b;
                    bufs_init(&b, &geoms[gi], 3, dts);
                    KernelStatus cs = kernel_binary((BinaryOp)op, (DType)dt, &b.cpu);
                    KernelStatus gs = gpu_kernels()->binary((BinaryOp)op, (DType)dt, &b.gpu);
                    check_case(&b, cs, gs, int_div, bin_is_libm((BinaryOp)op) ? LIBM_ULPS : 0, what,
                               &geoms[gi], &failures);
                    bufs_free(&b);
                    cases++;
                }
            }
        }
    }
    *tsr_cuda->elementwise_force_i64 = 0;
    print_message("binary: %d cases\n", cases);
    assert_int_equal(failures, 0);
}

static void test_unary(void **state) {
    int failures = 0, cases = 0;
    for (int i64 = 0; i64 < 2; i64++) {
        *tsr_cuda->elementwise_force_i64 = i64;
        for (int op = 0; op < UN_COUNT; op++) {
            for (int dt = 0; dt < DT_COUNT; dt++) {
                /* float32 log1p, sinh, cosh (and float64 sinh, cosh near 710):
                 * the CPU runs SLEEF as PyTorch's CPU does, which overflows to
                 * inf just below the largest float where CUDA's libm (and
                 * PyTorch's CUDA) does not: the devices differ there too */
                if (dt == DT_FLOAT32 && (op == UN_LOG1P || op == UN_SINH || op == UN_COSH)) continue;
                if (dt == DT_FLOAT64 && (op == UN_SINH || op == UN_COSH)) continue;
                /* bfloat16 sinc: ATen's CPU kernel rounds every operation to
                 * bfloat16 (the CPU mirrors it), its CUDA kernel computes in
                 * float and rounds once (so does tsr's): they differ */
                if (dt == DT_BFLOAT16 && op == UN_SINC) continue;
                char k = un_kind[op];
                DType out = (k == 'p' || k == 'n') ? DT_BOOL : (DType)dt;
                char what[80];
                snprintf(what, sizeof what, "%s %s", unary_op_names[op], dtype_name((DType)dt));
                for (int gi = 0; gi < NGEOMS; gi++) {
                    DType dts[2] = {out, (DType)dt};
                    Bufs b;
                    bufs_init(&b, &geoms[gi], 2, dts);
                    KernelStatus cs = kernel_unary((UnaryOp)op, (DType)dt, &b.cpu);
                    KernelStatus gs = gpu_kernels()->unary((UnaryOp)op, (DType)dt, &b.gpu);
                    check_case(&b, cs, gs, dtype_is_complex((DType)dt), un_is_libm((UnaryOp)op) ? LIBM_ULPS : 0, what,
                               &geoms[gi], &failures);
                    bufs_free(&b);
                    cases++;
                }
            }
        }
    }
    *tsr_cuda->elementwise_force_i64 = 0;
    print_message("unary: %d cases\n", cases);
    assert_int_equal(failures, 0);
}

static void test_cast(void **state) {
    int failures = 0, cases = 0;
    for (int i64 = 0; i64 < 2; i64++) {
        *tsr_cuda->elementwise_force_i64 = i64;
        for (int to = 0; to < DT_COUNT; to++) {
            for (int from = 0; from < DT_COUNT; from++) {
                char what[80];
                snprintf(what, sizeof what, "cast %s -> %s", dtype_name((DType)from), dtype_name((DType)to));
                for (int gi = 0; gi < NGEOMS; gi++) {
                    DType dts[2] = {(DType)to, (DType)from};
                    Bufs b;
                    bufs_init(&b, &geoms[gi], 2, dts);
                    KernelStatus cs = kernel_cast((DType)to, (DType)from, &b.cpu);
                    KernelStatus gs = gpu_kernels()->cast((DType)to, (DType)from, &b.gpu);
                    bool declines = to != from && (dtype_is_complex((DType)to) || dtype_is_complex((DType)from));
                    check_case(&b, cs, gs, declines, 0, what, &geoms[gi], &failures);
                    bufs_free(&b);
                    cases++;
                }
            }
        }
    }
    *tsr_cuda->elementwise_force_i64 = 0;
    print_message("cast: %d cases\n", cases);
    assert_int_equal(failures, 0);
}

static void test_where(void **state) {
    int failures = 0;
    for (int i64 = 0; i64 < 2; i64++) {
        *tsr_cuda->elementwise_force_i64 = i64;
        for (int dt = 0; dt < DT_COUNT; dt++) {
            char what[80];
            snprintf(what, sizeof what, "where %s", dtype_name((DType)dt));
            for (int gi = 0; gi < NGEOMS; gi++) {
                DType dts[4] = {(DType)dt, DT_BOOL, (DType)dt, (DType)dt};
                Bufs b;
                bufs_init(&b, &geoms[gi], 4, dts);
                KernelStatus cs = kernel_where(dtype_size((DType)dt), &b.cpu);
                KernelStatus gs = gpu_kernels()->where(dtype_size((DType)dt), &b.gpu);
                check_case(&b, cs, gs, false, 0, what, &geoms[gi], &failures);
                bufs_free(&b);
            }
        }
    }
    *tsr_cuda->elementwise_force_i64 = 0;
    /* element sizes without a loop */
    Bufs b;
    DType dts[4] = {DT_FLOAT32, DT_BOOL, DT_FLOAT32, DT_FLOAT32};
    bufs_init(&b, &geoms[0], 4, dts);
    assert_int_equal(gpu_kernels()->where(3, &b.gpu), KERNEL_UNSUPPORTED);
    assert_int_equal(gpu_kernels()->where(32, &b.gpu), KERNEL_UNSUPPORTED); /* 16: complex128's loop */
    bufs_free(&b);
    assert_int_equal(failures, 0);
}

/* out-of-range op and dtype numbers are declined, never indexed */
static void test_out_of_range(void **state) {
    Bufs b;
    DType dts[3] = {DT_FLOAT32, DT_FLOAT32, DT_FLOAT32};
    bufs_init(&b, &geoms[0], 3, dts);
    assert_int_equal(gpu_kernels()->binary(BIN_COUNT, DT_FLOAT32, &b.gpu), KERNEL_UNSUPPORTED);
    assert_int_equal(gpu_kernels()->binary(BIN_ADD, DT_COUNT, &b.gpu), KERNEL_UNSUPPORTED);
    assert_int_equal(gpu_kernels()->unary(UN_COUNT, DT_FLOAT32, &b.gpu), KERNEL_UNSUPPORTED);
    assert_int_equal(gpu_kernels()->unary(UN_NEG, (DType)-1, &b.gpu), KERNEL_UNSUPPORTED);
    assert_int_equal(gpu_kernels()->cast(DT_COUNT, DT_FLOAT32, &b.gpu), KERNEL_UNSUPPORTED);
    assert_int_equal(gpu_kernels()->cast(DT_FLOAT32, DT_COUNT, &b.gpu), KERNEL_UNSUPPORTED);
    bufs_free(&b);
}

static void test_softmax(void **state) {
    static const int64_t shapes[][3] = {{3, 5, 1}, {2, 7, 3}, {1, 1, 1}, {4, 0, 2},
                                        {0, 3, 2}, {2, 33, 4}, {5, 2, 0}, {1, 300, 1}};
    int failures = 0;
    for (int dt = 0; dt < DT_COUNT; dt++) {
        size_t es = dtype_size((DType)dt);
        for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
            for (int lg = 0; lg < 2; lg++) {
                int64_t outer = shapes[si][0], n = shapes[si][1], inner = shapes[si][2];
                int64_t numel = outer * n * inner, nb = (numel > 0 ? numel : 1) * (int64_t)es;
                char *in = malloc((size_t)nb), *out = malloc((size_t)nb), *got = malloc((size_t)nb);
                for (int64_t i = 0; i < numel; i++) {
                    double v = rnd_float_value();
                    if (fabs(v) > 30 && v == v && !isinf(v)) v = fmod(v, 30); /* mostly finite lines */
                    if (dtype_is_float((DType)dt)) dtype_store_f64((DType)dt, in + i * es, v);
                    else rnd_elem((DType)dt, in + i * es);
                }
                for (int64_t i = 0; i < nb; i++) out[i] = (char)rnd();
                char *din = dev_alloc((size_t)nb), *dout = dev_alloc((size_t)nb);
                to_dev(din, in, (size_t)nb);
                to_dev(dout, out, (size_t)nb);
                KernelStatus cs = kernel_softmax((DType)dt, in, out, outer, n, inner, inner == 1, lg);
                KernelStatus gs = gpu_kernels()->softmax((DType)dt, din, dout, outer, n, inner, inner == 1, lg);
                if (cs != gs) {
                    print_message("softmax %s: cpu status %d, cuda status %d\n", dtype_name((DType)dt), cs, gs);
                    failures++;
                } else if (cs == KERNEL_OK) {
                    assert_true(tsr_cuda->sync());
                    to_dev(got, dout, (size_t)nb);
                    /* exp and log may differ in the last ulps on a GPU; the
                     * sums carry that on */
                    int ulps = dt == DT_BFLOAT16 ? 2 : 64;
                    for (int64_t i = 0; i < numel; i++) {
                        if (same_elem((DType)dt, out + i * es, got + i * es, ulps)) continue;
                        double x = dtype_load_f64((DType)dt, out + i * es), y = dtype_load_f64((DType)dt, got + i * es);
                        /* log-softmax cancellation; bfloat16: the CPU rounds as
                         * ATen's bfloat16 kernels do, the GPU computes in float,
                         * so an ulp of the inputs (|x| < 32) can separate them */
                        double tol = dt == DT_FLOAT64 ? 1e-13 : dt == DT_BFLOAT16 ? 0.125 : 1e-6;
                        if (fabs(x - y) <= tol) continue;
                        print_message("%s %s [%lld,%lld,%lld] element %lld: cpu %.17g, cuda %.17g\n",
                                      lg ? "log_softmax" : "softmax", dtype_name((DType)dt), (long long)outer,
                                      (long long)n, (long long)inner, (long long)i, x, y);
                        failures++;
                        break;
                    }
                }
                free(in);
                free(out);
                free(got);
                tsr_cuda->raw_free(din);
                tsr_cuda->raw_free(dout);
            }
        }
    }
    assert_int_equal(failures, 0);
}

/* kernel_copy_strided's contract: dims innermost first, element strides */
static void copy_case(int es, int nd, const int64_t *shape, const int64_t *dst_st, const int64_t *src_st,
                      int64_t dst_shift, const char *name, int *failures) {
    int64_t numel = 1, dlo = 0, dhi = 0, slo = 0, shi = 0;
    for (int d = 0; d < nd; d++) {
        numel *= shape[d];
        int64_t r = (shape[d] - 1) * dst_st[d];
        if (r < 0) dlo += r;
        else dhi += r;
        r = (shape[d] - 1) * src_st[d];
        if (r < 0) slo += r;
        else shi += r;
    }
    if (numel == 0) dlo = dhi = slo = shi = 0;
    int64_t dn = (dhi - dlo + 1) * es + dst_shift, sn = (shi - slo + 1) * es;
    char *hd = malloc((size_t)dn), *hs = malloc((size_t)sn), *got = malloc((size_t)dn);
    for (int64_t i = 0; i < dn; i++) hd[i] = (char)rnd();
    for (int64_t i = 0; i < sn; i++) hs[i] = (char)rnd();
    char *dd = dev_alloc((size_t)dn), *ds = dev_alloc((size_t)sn);
    to_dev(dd, hd, (size_t)dn);
    to_dev(ds, hs, (size_t)sn);
    int64_t doff = dst_shift - dlo * es, soff = -slo * es;
    kernel_copy_strided(es, nd, shape, hd + doff, dst_st, hs + soff, src_st, numel);
    KernelStatus gs = tsr_cuda->copy_strided(es, nd, shape, dd + doff, dst_st, ds + soff, src_st, numel);
    if (gs != KERNEL_OK) {
        print_message("copy %s es %d: status %d\n", name, es, gs);
        (*failures)++;
    } else {
        assert_true(tsr_cuda->sync());
        to_dev(got, dd, (size_t)dn);
        if (memcmp(got, hd, (size_t)dn)) {
            print_message("copy %s es %d: bytes differ\n", name, es);
            (*failures)++;
        }
    }
    free(hd);
    free(hs);
    free(got);
    tsr_cuda->raw_free(dd);
    tsr_cuda->raw_free(ds);
}

static void test_copy_strided(void **state) {
    static const int sizes[] = {1, 2, 3, 4, 8, 16};
    int failures = 0;
    for (int i64 = 0; i64 < 2; i64++) {
        *tsr_cuda->elementwise_force_i64 = i64;
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            int es = sizes[si];
            for (int shift = 0; shift < 2; shift++) {
                int64_t sh1[1] = {1001}, c1[1] = {1}, s2[1] = {2}, z[1] = {0}, neg[1] = {-1};
                copy_case(es, 1, sh1, c1, c1, shift * es, "contiguous", &failures);
                copy_case(es, 1, sh1, c1, s2, shift * es, "strided src", &failures);
                copy_case(es, 1, sh1, s2, c1, shift * es, "strided dst", &failures);
                copy_case(es, 1, sh1, c1, z, shift * es, "broadcast src", &failures);
                copy_case(es, 1, sh1, c1, neg, shift * es, "negative src", &failures);
                int64_t sh2[2] = {70, 9}, dst2[2] = {1, 70}, tr2[2] = {9, 1};
                copy_case(es, 2, sh2, dst2, tr2, shift * es, "transpose", &failures);
                copy_case(es, 2, sh2, dst2, dst2, shift * es, "2-d contiguous (merged)", &failures);
                int64_t sh3[3] = {4, 1, 5}, dst3[3] = {1, 4, 4}, src3[3] = {15, 99, 1};
                copy_case(es, 3, sh3, dst3, src3, shift * es, "size-1 dim", &failures);
                int64_t sh4[3] = {4, 0, 5};
                copy_case(es, 3, sh4, dst3, src3, shift * es, "empty", &failures);
                copy_case(es, 0, NULL, NULL, NULL, shift * es, "0-dim", &failures);
            }
        }
    }
    *tsr_cuda->elementwise_force_i64 = 0;
    /* more elements than the grid has threads: the grid-stride loops */
    int64_t big[1] = {20000000}, c1[1] = {1}, s3[1] = {3};
    copy_case(1, 1, big, c1, s3, 0, "grid-stride strided", &failures);
    copy_case(1, 1, big, c1, c1, 1, "grid-stride contiguous", &failures);
    assert_int_equal(failures, 0);
}

static void test_fill(void **state) {
    static const int sizes[] = {1, 2, 3, 4, 8, 16};
    static const int64_t counts[] = {0, 1, 7, 1000, 1001};
    int failures = 0;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        for (size_t ci = 0; ci < sizeof counts / sizeof counts[0]; ci++) {
            for (int shift = 0; shift < 9; shift += 4) {
                int es = sizes[si];
                int64_t n = counts[ci], nb = n * es + shift + 16;
                unsigned char value[16];
                for (int i = 0; i < 16; i++) value[i] = (unsigned char)rnd();
                char *want = malloc((size_t)nb), *got = malloc((size_t)nb);
                for (int64_t i = 0; i < nb; i++) want[i] = (char)rnd();
                char *dv = dev_alloc((size_t)nb);
                to_dev(dv, want, (size_t)nb);
                for (int64_t i = 0; i < n * es; i++) want[shift + i] = (char)value[i % es];
                KernelStatus gs = tsr_cuda->fill(es, dv + shift, n, value);
                assert_int_equal(gs, KERNEL_OK);
                assert_true(tsr_cuda->sync());
                to_dev(got, dv, (size_t)nb);
                if (memcmp(got, want, (size_t)nb)) {
                    print_message("fill es %d n %lld shift %d: bytes differ\n", es, (long long)n, shift);
                    failures++;
                }
                free(want);
                free(got);
                tsr_cuda->raw_free(dv);
            }
        }
    }
    assert_int_equal(failures, 0);
}

int main(void) {
    if (device_cuda_state() != CUDA_READY) {
        printf("skipped: no CUDA device\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binary),     cmocka_unit_test(test_unary),
        cmocka_unit_test(test_cast),       cmocka_unit_test(test_where),
        cmocka_unit_test(test_out_of_range), cmocka_unit_test(test_softmax),
        cmocka_unit_test(test_copy_strided), cmocka_unit_test(test_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
