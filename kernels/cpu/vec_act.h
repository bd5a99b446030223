/* vec_act.h: ATen's vectorised activation kernels (Activation.cpp's gelu,
 * silu, elu, leaky_relu, softplus, log_sigmoid, mish, hardswish,
 * hardsigmoid and their backward kernels;
 * BinaryOpsKernel.cpp's tanh_backward) for float32 and float64, with the
 * bits PyTorch's AVX2 and AVX-512 kernels give (vec_act_impl.h, written
 * once, instantiated per instruction set).
 *
 * Those kernels are cpu_kernel_vec loops (blocks of two vectors, then the
 * scalar lambda on the rest of the row) except log_sigmoid's forward,
 * which runs every element through vectors (the last one zero padded).
 * ATen compiles its AVX2 kernels with -mfma, and GCC fuses a product into
 * the sum that uses it (`1 - b * b` is one fused multiply-add), in the
 * vector code and in the scalar lambdas of the same file alike; so
 * vec_act_avx2.c is compiled with -mavx2 -mfma -ffp-contract=fast and
 * writes each expression as ATen does, leaving GCC to fuse the same
 * products (vec_act_avx512.c likewise, with the AVX-512 flags). Vector
 * exp/log1p/tanh/erf are SLEEF's (1.0 ULP); the tail
 * calls the C library (expf, erff, ...) as the scalar lambda does.
 * float32 gelu (approximate='none') is the exception: PyTorch 1.13 hands a
 * contiguous input of more than one element to oneDNN
 * (vec_act_onednn_avx2.c).
 *
 * The loops take contiguous arrays (the caller copies), which is what
 * ATen's loop sees for a contiguous input: the row is the whole tensor on
 * one thread. */
#ifndef TSR_VEC_ACT_H
#define TSR_VEC_ACT_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"

#define TSR_VEC_ACTS(X) \
    X(GELU)             \
    X(GELU_TANH)        \
    X(SILU)             \
    X(ELU)              \
    X(LEAKY)            \
    X(SOFTPLUS)         \
    X(LOGSIGMOID)       \
    X(TANH)             \
    X(MISH)             \
    X(HARDSWISH)        \
    X(HARDSIGMOID)

typedef enum {
#define X(e) VACT_##e,
    TSR_VEC_ACTS(X)
#undef X
    VACT_COUNT
} VecAct;

/* The arguments of one call. p: ELU's alpha, scale, input_scale;
 * LEAKY's negative slope; SOFTPLUS's beta, threshold (each converted to
 * the dtype as ATen's Scalar::to<scalar_t> does). */
typedef struct {
    VecAct act;
    bool backward;  /* out = g * f'(x) instead of f(x) */
    bool is_result; /* ELU backward: x is the forward's result */
    /* float32 GELU (approximate='none'): oneDNN's kernel, which PyTorch
     * 1.13 runs instead of its own for a contiguous input of more than one
     * element (use_mkldnn in Activation.cpp) */
    bool onednn;
    /* the scalar expression on every element (ATen's basic_loop: an
     * operand is strided along the row) */
    bool scalar;
    double p[3];
} VecActArgs;

/* Forward: out = f(x) (LOGSIGMOID: also buf = exp(-|x|), its buffer).
 * Backward: out = the backward kernel of (g, x) (LOGSIGMOID: of (x, buf,
 * g); TANH: tanh_backward(g, x), x the forward's result). n elements of
 * dtype dt, contiguous. False (nothing done) when this CPU capability or
 * dtype has no vector kernel: the caller runs its scalar loop. */
bool vec_act(const VecActArgs *a, DType dt, int64_t n, const char *x, const char *g,
             char *buf, char *out);

bool vec_act_avx2(const VecActArgs *a, DType dt, int64_t n, const char *x, const char *g,
                  char *buf, char *out);
bool vec_act_avx512(const VecActArgs *a, DType dt, int64_t n, const char *x, const char *g,
                    char *buf, char *out);

/* oneDNN's gelu_erf, forward (out = gelu(x)) or backward (out = g *
 * gelu'(x)), float32 (vec_act_onednn_avx2.c) */
void vec_act_onednn_gelu_avx2(bool backward, int64_t n, const float *x, const float *g,
                              float *out);

#endif
