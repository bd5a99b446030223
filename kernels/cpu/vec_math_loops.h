/* vec_math_loops.h: the loops of vec_math.h's rows, for one vector width.
 * Included by vec_math_avx2.c and vec_math_avx512.c after they define, for
 * their instruction set:
 *   VF, VD          the float and double vector types (__m256, ...)
 *   SLEEF_F(f, u), SLEEF_D(f, u)   SLEEF's function f at accuracy u for
 *                   VF / VD (Sleef_expf8_u10, Sleef_expd4_u10, ...)
 *   SQRT_F, SQRT_D  the vector square roots
 *   SUFFIX          the name of the table function (vec_unary_loop_SUFFIX)
 * Vectors are GCC vector types: + - * / act lane by lane, each one IEEE
 * operation as ATen's _mm256_add_ps & co. (no contraction: the Makefile
 * compiles with -ffp-contract=off). */
#include <stdint.h>
#include <string.h>
#include <tgmath.h>

#include "vec_math.h"

#define LANES(VT, T) ((int64_t)(sizeof(VT) / sizeof(T)))
/* a strided row of a VML op is copied through buffers of this many */
#define VM_BUF 256

/* ---- 'm': every element through the vector function (vec::map) ---- */
#define DEF_MAP(NAME, T, VT, VEXPR)                                               \
    static void NAME##_row(T *o, const T *x, int64_t n) {                         \
        const int64_t w = LANES(VT, T);                                           \
        int64_t i = 0;                                                            \
        for (; i + w <= n; i += w) {                                              \
            VT a, r;                                                              \
            memcpy(&a, x + i, sizeof a);                                          \
            r = VEXPR;                                                            \
            memcpy(o + i, &r, sizeof r);                                          \
        }                                                                         \
        if (i < n) { /* Vectorized::loadu(ptr, count): zero padded */             \
            T tmp[sizeof(VT) / sizeof(T)] = {0};                                  \
            VT a, r;                                                              \
            memcpy(tmp, x + i, (size_t)(n - i) * sizeof(T));                      \
            memcpy(&a, tmp, sizeof a);                                            \
            r = VEXPR;                                                            \
            memcpy(tmp, &r, sizeof r);                                            \
            memcpy(o + i, tmp, (size_t)(n - i) * sizeof(T));                      \
        }                                                                         \
    }                                                                             \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {          \
        if (s[0] == sizeof(T) && s[1] == sizeof(T)) {                             \
            NAME##_row((T *)d[0], (const T *)d[1], n);                            \
            return;                                                               \
        }                                                                         \
        T in[VM_BUF], out[VM_BUF];                                                \
        for (int64_t i = 0; i < n; i += VM_BUF) {                                 \
            int64_t m = n - i < VM_BUF ? n - i : VM_BUF;                          \
            for (int64_t j = 0; j < m; j++) in[j] = *(const T *)(d[1] + (i + j) * s[1]); \
            NAME##_row(out, in, m);                                               \
            for (int64_t j = 0; j < m; j++) *(T *)(d[0] + (i + j) * s[0]) = out[j]; \
        }                                                                         \
    }

/* ---- 'k': cpu_kernel_vec's vectorized_loop, or basic_loop when strided ---- */
#define DEF_KVEC(NAME, T, VT, VEXPR, SEXPR)                                       \
    static void NAME(char **d, const int64_t *s, int64_t n, void *ctx) {          \
        typedef T C;                                                              \
        const int64_t w = LANES(VT, T);                                           \
        if (s[0] == sizeof(T) && (s[1] == sizeof(T) || s[1] == 0)) {              \
            T *o = (T *)d[0];                                                     \
            const T *x = (const T *)d[1];                                         \
            const int64_t step = s[1] ? 1 : 0;                                    \
            int64_t i = 0;                                                        \
            for (; i + 2 * w <= n; i += 2 * w) {                                  \
                VT a, r0, r1;                                                     \
                if (step) memcpy(&a, x + i, sizeof a);                            \
                else a = (VT){0} + *x;                                            \
                r0 = VEXPR;                                                       \
                if (step) memcpy(&a, x + i + w, sizeof a);                        \
                r1 = VEXPR;                                                       \
                memcpy(o + i, &r0, sizeof r0);                                    \
                memcpy(o + i + w, &r1, sizeof r1);                                \
            }                                                                     \
            for (; i < n; i++) {                                                  \
                C a = x[i * step];                                                \
                o[i] = (C)(SEXPR);                                                \
            }                                                                     \
            return;                                                               \
        }                                                                         \
        for (int64_t i = 0; i < n; i++) {                                         \
            C a = *(const T *)(d[1] + i * s[1]);                                  \
            *(T *)(d[0] + i * s[0]) = (C)(SEXPR);                                 \
        }                                                                         \
    }

/* the rows' LOOP column names the loop: MAP or KVEC */
#define GEN_MAP(NAME, T, VT, VEXPR, SEXPR) DEF_MAP(NAME, T, VT, VEXPR)
#define GEN_KVEC(NAME, T, VT, VEXPR, SEXPR) DEF_KVEC(NAME, T, VT, VEXPR, SEXPR)

#define V_ONE ((V_T){0} + 1)
#define V_ZERO ((V_T){0})

/* float32 loops */
#define V_T VF
#define V_SLEEF1(f, u) SLEEF_F(f, u)
#define V_SQRT(v) SQRT_F(v)
#define GEN(OP, LOOP, VEXPR, SEXPR) GEN_##LOOP(vu_##OP##_f32, float, VF, VEXPR, SEXPR)
TSR_VEC_UNARY(GEN)
#undef GEN
#undef V_T
#undef V_SLEEF1
#undef V_SQRT

/* float64 loops */
#define V_T VD
#define V_SLEEF1(f, u) SLEEF_D(f, u)
#define V_SQRT(v) SQRT_D(v)
#define GEN(OP, LOOP, VEXPR, SEXPR) GEN_##LOOP(vu_##OP##_f64, double, VD, VEXPR, SEXPR)
TSR_VEC_UNARY(GEN)
#undef GEN
#undef V_T
#undef V_SLEEF1
#undef V_SQRT

#define VEC_TABLE_FN_(S) vec_unary_loop_##S
#define VEC_TABLE_FN(S) VEC_TABLE_FN_(S)
IterLoopFn VEC_TABLE_FN(SUFFIX)(UnaryOp op, DType dt) {
    static const IterLoopFn f32[UN_COUNT] = {
#define ENTRY(OP, ...) [UN_##OP] = vu_##OP##_f32,
        TSR_VEC_UNARY(ENTRY)
#undef ENTRY
    };
    static const IterLoopFn f64[UN_COUNT] = {
#define ENTRY(OP, ...) [UN_##OP] = vu_##OP##_f64,
        TSR_VEC_UNARY(ENTRY)
#undef ENTRY
    };
    if ((unsigned)op >= UN_COUNT) return NULL;
    return dt == DT_FLOAT32 ? f32[op] : dt == DT_FLOAT64 ? f64[op] : NULL;
}
