/* reduced_float.h: the ops whose PyTorch 1.13 CPU kernel has no float16
 * loop, or neither a float16 nor a bfloat16 one, and raises
 * '"silu_cpu" not implemented for 'Half'' (PyTorch's CUDA build has them:
 * CUDA tensors are never refused). One row per op:
 *   X(ENUM, op, kernel, refused)
 * op: the ATen op (what torch._reduced_float_check names from the Python
 *   composites); kernel: the name in the error;
 * refused: 'h' float16, 'b' bfloat16, 'x' both; upper case ('H', 'X'):
 *   every non-floating dtype too (the kernel has floating loops only; the
 *   rows of ops that tsr composes of other ops need it).
 * The elementwise unary and binary ops keep theirs in the rows of
 * kernels/cpu/elementwise_ops.h (their half column). This table is what
 * `scripts/half_refusals --table` reads from the oracle; `--check` compares
 * tsr with it over every public function. */
#ifndef TSR_REDUCED_FLOAT_H
#define TSR_REDUCED_FLOAT_H

#define TSR_REDUCED_FLOAT_REFUSALS(X)                                                  \
    X(GELU, "gelu", "GeluKernelImpl", 'h')                                             \
    X(SILU, "silu", "silu_cpu", 'h')                                                   \
    X(MISH, "mish", "mish_cpu", 'X')                                                   \
    X(ELU, "elu", "elu_cpu", 'h')                                                      \
    X(LEAKY_RELU, "leaky_relu", "leaky_relu_cpu", 'h')                                 \
    X(SOFTPLUS, "softplus", "softplus_cpu", 'h')                                       \
    X(LOG_SIGMOID, "log_sigmoid", "log_sigmoid_cpu", 'h')                              \
    X(HARDTANH, "hardtanh", "clamp_scalar_cpu", 'h')                                   \
    X(HARDTANH_BACKWARD, "hardtanh_backward", "hardshrink_backward_cpu", 'b')          \
    X(HARDSWISH, "hardswish", "hardswish_cpu", 'H')                                    \
    X(HARDSIGMOID, "hardsigmoid", "hardsigmoid_cpu", 'H')                              \
    X(SOFTSHRINK, "softshrink", "softshrink_cpu", 'H')                                 \
    X(GLU, "glu", "glu_cpu", 'H')                                                      \
    X(ADDCMUL, "addcmul", "addcmul_cpu_out", 'h')                                      \
    X(ADDCDIV, "addcdiv", "addcdiv_cpu_out", 'h')                                      \
    X(AMINMAX, "aminmax", "aminmax_cpu", 'x')                                          \
    X(AMINMAX_ALL, "_aminmax_all", "aminmax_cpu", 'h')                                 \
    X(HISTC, "histc", "histogram_cpu", 'h')                                            \
    X(TRACE, "trace", "trace", 'x')                                                    \
    X(ISIN, "isin", "isin_default_cpu", 'h')                                           \
    X(UNIQUE, "_unique2", "unique", 'h')                                               \
    X(DOT, "dot", "dot", 'h')                                                          \
    X(NLL_LOSS, "nll_loss", "nll_loss_out_frame", 'h')                                 \
    X(NLL_LOSS2D, "nll_loss2d", "nll_loss2d_forward_out_frame", 'h')                   \
    X(MSE_LOSS, "mse_loss", "mse_cpu", 'b')                                            \
    X(MSE_LOSS_BACKWARD, "mse_loss_backward", "mse_backward_cpu_out", 'h')             \
    X(SMOOTH_L1_LOSS_BACKWARD, "smooth_l1_loss_backward", "smooth_l1_backward_cpu_out", 'h')

typedef enum {
#define X(e, ...) RF_##e,
    TSR_REDUCED_FLOAT_REFUSALS(X)
#undef X
        RF_COUNT
} ReducedFloatOp;

#endif
