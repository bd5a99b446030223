/* binary.c: elementwise binary kernels and where().
 *
 * One scalar expression per op (in `a` and `b`, of the compute type C) and
 * one generic loop (DEF_LOOP), expanded once per dtype: the op lists below
 * generate a loop function per (op, dtype) and the dispatch table. Half and
 * bfloat16 load into float, compute, and round back on store. */
#include <stdbool.h>
#include <stdint.h>
#include <tgmath.h>

#include "kernels.h"

/* ---- loads and stores ---- */
#define LD_N(p) (*(p))
#define ST_N(p, v) (*(p) = (v))
#define LD_H(p) half_to_float(*(p))
#define ST_H(p, v) (*(p) = float_to_half(v))
#define LD_BF(p) bf16_to_float(*(p))
#define ST_BF(p, v) (*(p) = float_to_bf16(v))

/* ---- scalar helpers ---- */
#define DEF_FLOAT_HELPERS(C, SFX)                                                \
    static inline C floordiv_##SFX(C a, C b) { /* PyTorch's div_floor_floating */ \
        if (b == 0) return a / b;                                                \
        C mod = fmod(a, b);                                                      \
        C div = (a - mod) / b;                                                   \
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;                          \
        if (div == 0) return copysign((C)0, a / b);                              \
        C fl = floor(div);                                                       \
        if (div - fl > (C)0.5) fl += 1;                                          \
        return fl;                                                               \
    }                                                                            \
    static inline C rem_##SFX(C a, C b) {                                        \
        C mod = fmod(a, b);                                                      \
        if (mod != 0 && (b < 0) != (mod < 0)) mod += b;                          \
        return mod;                                                              \
    }                                                                            \
    static inline C max_##SFX(C a, C b) { return (a != a || a > b) ? a : b; }    \
    static inline C min_##SFX(C a, C b) { return (a != a || a < b) ? a : b; }
DEF_FLOAT_HELPERS(float, f)
DEF_FLOAT_HELPERS(double, d)
#define FLOORDIV(a, b) _Generic((a), float: floordiv_f, default: floordiv_d)(a, b)
#define FREM(a, b) _Generic((a), float: rem_f, default: rem_d)(a, b)
#define FMAX(a, b) _Generic((a), float: max_f, default: max_d)(a, b)
#define FMIN(a, b) _Generic((a), float: min_f, default: min_d)(a, b)

/* Integer helpers work in int64 (every int dtype fits); b == -1 is special
 * so that INT64_MIN / -1 wraps instead of trapping. */
static inline int64_t i_floordiv(int64_t a, int64_t b) {
    if (b == -1) return (int64_t)(0 - (uint64_t)a);
    int64_t q = a / b, r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) q--;
    return q;
}
static inline int64_t i_rem(int64_t a, int64_t b) {
    if (b == -1) return 0;
    int64_t r = a % b;
    if (r != 0 && ((r < 0) != (b < 0))) r += b;
    return r;
}
static inline int64_t i_fmod(int64_t a, int64_t b) { return b == -1 ? 0 : a % b; }
static inline uint64_t i_pow(int64_t a, int64_t b) { /* PyTorch's powi */
    if (b < 0) {
        if (a == 1) return 1;
        if (a == -1) return (b & 1) ? (uint64_t)-1 : 1;
        return 0;
    }
    uint64_t r = 1, base = (uint64_t)a;
    while (b) {
        if (b & 1) r *= base;
        b >>= 1;
        base *= base;
    }
    return r;
}
/* PyTorch's scalar lshift is a plain C shift: x86 masks the count to the
 * width of the promoted type (32 bits for narrow types). */
static inline uint64_t i_shl(int64_t a, int64_t b, int bits) {
    return (uint64_t)a << ((uint64_t)b & (uint64_t)(bits - 1));
}
static inline int64_t i_shr(int64_t a, int64_t b, int bits, bool is_signed) {
    if (b < 0 || b >= bits) return is_signed && a < 0 ? -1 : 0;
    return a >> b;
}
static inline int64_t i_max(int64_t a, int64_t b) { return a > b ? a : b; }
static inline int64_t i_min(int64_t a, int64_t b) { return a < b ? a : b; }

/* integer division by zero: flag it (ctx is an int *) and write 0 */
#define ZCHECK(T, EXPR) (b == 0 ? (*(volatile int *)ctx = 1, (T)0) : (T)(EXPR))

/* ---- the generic loop: contiguous, scalar-a, scalar-b and strided ---- */
#define DEF_LOOP(NAME, T, C, LD, TO, STO, EXPR)                                        \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {               \
        char *po = d[0];                                                               \
        const char *pa = d[1], *pb = d[2];                                             \
        if (s[0] == sizeof(TO) && s[1] == sizeof(T) && s[2] == sizeof(T)) {            \
            TO *o = (TO *)po;                                                          \
            const T *x = (const T *)pa, *y = (const T *)pb;                            \
            for (int64_t i = 0; i < n; i++) {                                          \
                C a = LD(x + i), b = LD(y + i);                                        \
                STO(o + i, EXPR);                                                      \
            }                                                                          \
        } else if (s[0] == sizeof(TO) && s[1] == sizeof(T) && s[2] == 0) {             \
            TO *o = (TO *)po;                                                          \
            const T *x = (const T *)pa;                                                \
            const C b = LD((const T *)pb);                                             \
            for (int64_t i = 0; i < n; i++) {                                          \
                C a = LD(x + i);                                                       \
                STO(o + i, EXPR);                                                      \
            }                                                                          \
        } else if (s[0] == sizeof(TO) && s[1] == 0 && s[2] == sizeof(T)) {             \
            TO *o = (TO *)po;                                                          \
            const T *y = (const T *)pb;                                                \
            const C a = LD((const T *)pa);                                             \
            for (int64_t i = 0; i < n; i++) {                                          \
                C b = LD(y + i);                                                       \
                STO(o + i, EXPR);                                                      \
            }                                                                          \
        } else {                                                                       \
            for (int64_t i = 0; i < n; i++) {                                          \
                C a = LD((const T *)(pa + i * s[1])), b = LD((const T *)(pb + i * s[2])); \
                STO((TO *)(po + i * s[0]), EXPR);                                      \
            }                                                                          \
        }                                                                              \
    }

/* ---- op lists per dtype family: X(OP, DT, T, C, LD, TO, STO, EXPR) ---- */
#define CMP_LOGICAL_OPS(X, DT, T, C, LD)                                   \
    X(EQ, DT, T, C, LD, bool, ST_N, a == b)                                \
    X(NE, DT, T, C, LD, bool, ST_N, a != b)                                \
    X(LT, DT, T, C, LD, bool, ST_N, a < b)                                 \
    X(LE, DT, T, C, LD, bool, ST_N, a <= b)                                \
    X(GT, DT, T, C, LD, bool, ST_N, a > b)                                 \
    X(GE, DT, T, C, LD, bool, ST_N, a >= b)                                \
    X(LOGICAL_AND, DT, T, C, LD, bool, ST_N, (a != 0) && (b != 0))         \
    X(LOGICAL_OR, DT, T, C, LD, bool, ST_N, (a != 0) || (b != 0))          \
    X(LOGICAL_XOR, DT, T, C, LD, bool, ST_N, (a != 0) != (b != 0))

#define FLOAT_OPS(X, DT, T, C, LD, ST)                                     \
    X(ADD, DT, T, C, LD, T, ST, a + b)                                     \
    X(SUB, DT, T, C, LD, T, ST, a - b)                                     \
    X(MUL, DT, T, C, LD, T, ST, a * b)                                     \
    X(DIV, DT, T, C, LD, T, ST, a / b)                                     \
    X(FLOOR_DIVIDE, DT, T, C, LD, T, ST, FLOORDIV(a, b))                   \
    X(REMAINDER, DT, T, C, LD, T, ST, FREM(a, b))                          \
    X(FMOD, DT, T, C, LD, T, ST, fmod(a, b))                               \
    X(POW, DT, T, C, LD, T, ST, (b == 2 ? a * a : b == 1 ? a : pow(a, b))) \
    X(ATAN2, DT, T, C, LD, T, ST, atan2(a, b))                             \
    X(HYPOT, DT, T, C, LD, T, ST, hypot(a, b))                             \
    X(MAXIMUM, DT, T, C, LD, T, ST, FMAX(a, b))                            \
    X(MINIMUM, DT, T, C, LD, T, ST, FMIN(a, b))                            \
    CMP_LOGICAL_OPS(X, DT, T, C, LD)

#define INT_OPS(X, DT, T, SGN)                                                     \
    X(ADD, DT, T, T, LD_N, T, ST_N, (T)((uint64_t)a + (uint64_t)b))                \
    X(SUB, DT, T, T, LD_N, T, ST_N, (T)((uint64_t)a - (uint64_t)b))                \
    X(MUL, DT, T, T, LD_N, T, ST_N, (T)((uint64_t)a * (uint64_t)b))                \
    X(FLOOR_DIVIDE, DT, T, T, LD_N, T, ST_N, ZCHECK(T, i_floordiv(a, b)))          \
    X(REMAINDER, DT, T, T, LD_N, T, ST_N, ZCHECK(T, i_rem(a, b)))                  \
    X(FMOD, DT, T, T, LD_N, T, ST_N, ZCHECK(T, i_fmod(a, b)))                      \
    X(POW, DT, T, T, LD_N, T, ST_N, (T)i_pow(a, b))                                \
    X(MAXIMUM, DT, T, T, LD_N, T, ST_N, (T)i_max(a, b))                            \
    X(MINIMUM, DT, T, T, LD_N, T, ST_N, (T)i_min(a, b))                            \
    X(BITWISE_AND, DT, T, T, LD_N, T, ST_N, (T)(a & b))                            \
    X(BITWISE_OR, DT, T, T, LD_N, T, ST_N, (T)(a | b))                             \
    X(BITWISE_XOR, DT, T, T, LD_N, T, ST_N, (T)(a ^ b))                            \
    X(LSHIFT, DT, T, T, LD_N, T, ST_N, (T)i_shl(a, b, sizeof(T) < 4 ? 32 : 8 * (int)sizeof(T)))         \
    X(RSHIFT, DT, T, T, LD_N, T, ST_N, (T)i_shr(a, b, 8 * (int)sizeof(T), SGN))    \
    CMP_LOGICAL_OPS(X, DT, T, T, LD_N)

#define BOOL_OPS(X, DT, T)                                                 \
    X(ADD, DT, T, T, LD_N, T, ST_N, a || b)                                \
    X(MUL, DT, T, T, LD_N, T, ST_N, a && b)                                \
    X(MAXIMUM, DT, T, T, LD_N, T, ST_N, a || b)                            \
    X(MINIMUM, DT, T, T, LD_N, T, ST_N, a && b)                            \
    X(BITWISE_AND, DT, T, T, LD_N, T, ST_N, a && b)                        \
    X(BITWISE_OR, DT, T, T, LD_N, T, ST_N, a || b)                         \
    X(BITWISE_XOR, DT, T, T, LD_N, T, ST_N, a != b)                        \
    CMP_LOGICAL_OPS(X, DT, T, T, LD_N)

#define ALL_DTYPES(X)                                   \
    FLOAT_OPS(X, FLOAT32, float, float, LD_N, ST_N)     \
    FLOAT_OPS(X, FLOAT64, double, double, LD_N, ST_N)   \
    FLOAT_OPS(X, FLOAT16, tsr_half, float, LD_H, ST_H)  \
    FLOAT_OPS(X, BFLOAT16, tsr_bfloat16, float, LD_BF, ST_BF) \
    INT_OPS(X, UINT8, uint8_t, false)                   \
    INT_OPS(X, INT8, int8_t, true)                      \
    INT_OPS(X, INT16, int16_t, true)                    \
    INT_OPS(X, INT32, int32_t, true)                    \
    INT_OPS(X, INT64, int64_t, true)                    \
    BOOL_OPS(X, BOOL, bool)

#define GEN_LOOP(OP, DT, T, C, LD, TO, STO, EXPR) DEF_LOOP(bin_##OP##_##DT, T, C, LD, TO, STO, EXPR)
ALL_DTYPES(GEN_LOOP)
#undef GEN_LOOP

static const IterLoopFn bin_table[BIN_COUNT][DT_COUNT] = {
#define ENTRY(OP, DT, T, C, LD, TO, STO, EXPR) [BIN_##OP][DT_##DT] = bin_##OP##_##DT,
    ALL_DTYPES(ENTRY)
#undef ENTRY
};

KernelStatus kernel_binary(BinaryOp op, DType dt, const TsrIter *it) {
    if ((unsigned)op >= BIN_COUNT || (unsigned)dt >= DT_COUNT || !bin_table[op][dt])
        return KERNEL_UNSUPPORTED;
    int err = 0;
    if (it->numel > 0) iter_run(it, bin_table[op][dt], &err);
    return err ? KERNEL_ZERO_DIVISION : KERNEL_OK;
}

/* ---- where(cond, a, b): copies elements by size ---- */
#define DEF_WHERE(NAME, T)                                                           \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {             \
        for (int64_t i = 0; i < n; i++) {                                            \
            bool c = *(const bool *)(d[1] + i * s[1]);                               \
            *(T *)(d[0] + i * s[0]) = c ? *(const T *)(d[2] + i * s[2])              \
                                        : *(const T *)(d[3] + i * s[3]);             \
        }                                                                            \
    }
DEF_WHERE(where_1, uint8_t)
DEF_WHERE(where_2, uint16_t)
DEF_WHERE(where_4, uint32_t)
DEF_WHERE(where_8, uint64_t)

KernelStatus kernel_where(size_t elem_size, const TsrIter *it) {
    IterLoopFn fn = elem_size == 1 ? where_1 : elem_size == 2 ? where_2
                  : elem_size == 4 ? where_4 : elem_size == 8 ? where_8 : NULL;
    if (!fn) return KERNEL_UNSUPPORTED;
    if (it->numel > 0) iter_run(it, fn, NULL);
    return KERNEL_OK;
}
