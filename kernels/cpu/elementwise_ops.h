/* elementwise_ops.h: the rows of every elementwise op, read by the op
 * layer (every fact PyTorch's op has: names, type promotion, which dtypes
 * have a loop, its autograd node and saves) and by both kernel backends (the
 * enums their loops switch on). One row per op: adding an op starts here. */
#ifndef TSR_ELEMENTWISE_OPS_H
#define TSR_ELEMENTWISE_OPS_H

/* ---- elementwise binary ops:
 * X(ENUM, torch_name, kind, other, inplace, loops, kernel, half, node, snode, rnode, saves)
 * kind: 'a' arithmetic (result = promoted type), 'c' comparison (bool
 *   result), 'l' logical (bool result), 'b' bitwise, 'f' float math (ints
 *   promote to the default float unless loops is 'f').
 * other: 'n' when a Python number may be the second operand (PyTorch has
 *   the Scalar overload), 't' when it must be a Tensor ("argument 'other'
 *   (position 2) must be Tensor, not int").
 * inplace: 1 when PyTorch has the in-place method NAME_.
 * loops: the dtypes PyTorch's kernel has a loop for: 'a' all, 'n' all but
 *   bool, 'f' floating only, 'i' integers only, 'b' integers and bool.
 * kernel: PyTorch's CPU kernel name in '"NAME" not implemented for ...'.
 * half: 'h' when PyTorch's CPU build has no float16 loop, 'x' neither a
 *   float16 nor a bfloat16 loop ('-' it has).
 * torch_name: a name starting with '_' makes no torch.NAME or Tensor.NAME:
 *   "_special_NAME" is torch.special.NAME only, "_NAME" a loop that
 *   composites use (polygamma's) or one bound by hand ("_poly_NAME":
 *   torch.special's polynomials, runtime/builtins/special.c).
 * The autograd columns expand only in the op layer (as NODE_<name>):
 * node: the node of op(Tensor, Tensor), NONE when not differentiable;
 * snode: the node of op(Tensor, number) when that is its own ATen overload
 *   with one edge (x ** 2 is pow.Tensor_Scalar), SAME when the Tensor
 *   overload runs with the number wrapped (x + 2: edges x, None);
 * rnode: the node of op(number, Tensor): one edge, SWAP when the op
 *   commutes (2 * x is x.mul(2)), SAME as for two tensors;
 * saves: '-' nothing, 'x' self and other, 'r' self, other and, when the
 *   node has two edges, the result. */
#define TSR_BINARY_OPS(X) \
    X(ADD, "add", 'a', 'n', 1, 'a', 0, '-', AddBackward0, SAME, SWAP, '-')                          \
    X(SUB, "sub", 'a', 'n', 1, 'a', 0, '-', SubBackward0, SAME, RsubBackward1, '-')                 \
    X(MUL, "mul", 'a', 'n', 1, 'a', 0, '-', MulBackward0, SAME, SWAP, 'x')                          \
    X(DIV, "div", 'f', 'n', 1, 'a', 0, '-', DivBackward0, SAME, SAME, 'x')                          \
    X(FLOOR_DIVIDE, "floor_divide", 'a', 'n', 1, 'n', "div_floor_cpu", '-', NotImplemented,        \
      NotImplemented, NotImplemented, '-')                                                          \
    X(REMAINDER, "remainder", 'a', 'n', 1, 'n', "remainder_cpu", '-', RemainderBackward1,          \
      RemainderBackward0, NotImplemented, 'x')                                                      \
    X(FMOD, "fmod", 'a', 'n', 1, 'n', "fmod_cpu", '-', FmodBackward1, FmodBackward0, SAME, 'x')     \
    X(POW, "pow", 'a', 'n', 1, 'n', "pow", '-', PowBackward1, PowBackward0, SAME, 'r')              \
    X(ATAN2, "atan2", 'f', 't', 1, 'a', "atan2_cpu", 'h', Atan2Backward0, SAME, SAME, 'x')          \
    X(HYPOT, "hypot", 'f', 't', 1, 'f', "hypot_cpu", 'h', HypotBackward0, SAME, SAME, 'r')          \
    X(LOGADDEXP, "logaddexp", 'f', 't', 0, 'f', "logaddexp_cpu", 'h', LogaddexpBackward0, SAME,    \
      SAME, 'x')                                                                                    \
    X(MAXIMUM, "maximum", 'a', 't', 0, 'a', 0, '-', MaximumBackward0, SAME, SAME, 'x')              \
    X(MINIMUM, "minimum", 'a', 't', 0, 'a', 0, '-', MinimumBackward0, SAME, SAME, 'x')              \
    X(EQ, "eq", 'c', 'n', 1, 'a', 0, '-', NONE, SAME, SAME, '-')                                    \
    X(NE, "ne", 'c', 'n', 1, 'a', 0, '-', NONE, SAME, SAME, '-')                                    \
    X(LT, "lt", 'c', 'n', 1, 'a', 0, '-', NONE, SAME, SAME, '-')                                    \
    X(LE, "le", 'c', 'n', 1, 'a', 0, '-', NONE, SAME, SAME, '-')                                    \
    X(GT, "gt", 'c', 'n', 1, 'a', 0, '-', NONE, SAME, SAME, '-')                                    \
    X(GE, "ge", 'c', 'n', 1, 'a', 0, '-', NONE, SAME, SAME, '-')                                    \
    X(LOGICAL_AND, "logical_and", 'l', 't', 1, 'a', 0, '-', NONE, SAME, SAME, '-')                  \
    X(LOGICAL_OR, "logical_or", 'l', 't', 1, 'a', 0, '-', NONE, SAME, SAME, '-')                    \
    X(LOGICAL_XOR, "logical_xor", 'l', 't', 1, 'a', 0, '-', NONE, SAME, SAME, '-')                  \
    X(BITWISE_AND, "bitwise_and", 'b', 'n', 1, 'b', "bitwise_and_cpu", '-', NONE, SAME, SAME, '-')  \
    X(BITWISE_OR, "bitwise_or", 'b', 'n', 1, 'b', "bitwise_or_cpu", '-', NONE, SAME, SAME, '-')     \
    X(BITWISE_XOR, "bitwise_xor", 'b', 'n', 1, 'b', "bitwise_xor_cpu", '-', NONE, SAME, SAME, '-')  \
    X(LSHIFT, "bitwise_left_shift", 'b', 'n', 1, 'i', "lshift_cpu", '-', NONE, SAME, SAME, '-')     \
    X(RSHIFT, "bitwise_right_shift", 'b', 'n', 1, 'i', "rshift_cpu", '-', NONE, SAME, SAME, '-')     \
    X(XLOGY, "xlogy", 'f', 'n', 1, 'a', "xlogy_cpu", '-', XlogyBackward0, XlogyBackward2,           \
      XlogyBackward1, 'x')                                                                          \
    X(COPYSIGN, "copysign", 'f', 'n', 1, 'a', "copysign_cpu", '-', CopysignBackward0,              \
      CopysignBackward1, SAME, 'x')                                                                 \
    X(FMAX, "fmax", 'a', 't', 0, 'a', 0, '-', FmaxBackward0, SAME, SAME, 'x')                       \
    X(FMIN, "fmin", 'a', 't', 0, 'a', 0, '-', FminBackward0, SAME, SAME, 'x')                       \
    X(LOGADDEXP2, "logaddexp2", 'f', 't', 0, 'f', "logaddexp2_cpu", 'h', Logaddexp2Backward0,      \
      SAME, SAME, 'x')                                                                              \
    X(HEAVISIDE, "heaviside", 'a', 't', 1, 'a', "heaviside_cpu", '-', NotImplemented, SAME, SAME,  \
      '-')                                                                                          \
    X(GCD, "gcd", 'a', 't', 1, 'i', "gcd_cpu", '-', NONE, SAME, SAME, '-')                          \
    X(LCM, "lcm", 'a', 't', 1, 'i', "lcm_cpu", '-', NONE, SAME, SAME, '-')                          \
    X(NEXTAFTER, "nextafter", 'a', 't', 1, 'f', "nextafter_cpu", 'h', NextafterBackward0, SAME,    \
      SAME, '-')                                                                                    \
    X(XLOG1PY, "_special_xlog1py", 'f', 'n', 0, 'a', "xlog1py_cpu", '-', SpecialXlog1PyBackward0,   \
      SpecialXlog1PyBackward2, SpecialXlog1PyBackward1, 'x')                                        \
    X(ZETA, "_special_zeta", 'f', 'n', 0, 'a', "zeta_cpu", 'x', SpecialZetaBackward0,              \
      SpecialZetaBackward2, SpecialZetaBackward1, 'x')                                              \
    X(POLYGAMMA, "_polygamma", 'a', 'n', 0, 'f', "polygamma", 'h', NONE, SAME, SAME, '-')           \
    X(LOGIT, "_logit", 'f', 'n', 0, 'a', "logit_cpu", 'h', NONE, SAME, SAME, '-')         \
    X(IGAMMA, "igamma", 'f', 't', 1, 'f', "igamma_cpu", '-', IgammaBackward0, SAME, SAME, 'x')   \
    X(IGAMMAC, "igammac", 'f', 't', 1, 'f', "igammac_cpu", '-', IgammacBackward0, SAME, SAME, 'x') \
    X(CHEBYSHEV_T, "_poly_chebyshev_polynomial_t", 'f', 'n', 0, 'a', "chebyshev_polynomial_t_cpu", 'x', NONE, SAME, SAME, '-') \
    X(CHEBYSHEV_U, "_poly_chebyshev_polynomial_u", 'f', 'n', 0, 'a', "chebyshev_polynomial_u_cpu", 'x', NONE, SAME, SAME, '-') \
    X(CHEBYSHEV_V, "_poly_chebyshev_polynomial_v", 'f', 'n', 0, 'a', "chebyshev_polynomial_v_cpu", 'x', NONE, SAME, SAME, '-') \
    X(CHEBYSHEV_W, "_poly_chebyshev_polynomial_w", 'f', 'n', 0, 'a', "chebyshev_polynomial_w_cpu", 'x', NONE, SAME, SAME, '-') \
    X(SHIFTED_CHEBYSHEV_T, "_poly_shifted_chebyshev_polynomial_t", 'f', 'n', 0, 'a', "shifted_chebyshev_polynomial_t_cpu", 'x', NONE, SAME, SAME, '-') \
    X(SHIFTED_CHEBYSHEV_U, "_poly_shifted_chebyshev_polynomial_u", 'f', 'n', 0, 'a', "shifted_chebyshev_polynomial_u_cpu", 'x', NONE, SAME, SAME, '-') \
    X(SHIFTED_CHEBYSHEV_V, "_poly_shifted_chebyshev_polynomial_v", 'f', 'n', 0, 'a', "shifted_chebyshev_polynomial_v_cpu", 'x', NONE, SAME, SAME, '-') \
    X(SHIFTED_CHEBYSHEV_W, "_poly_shifted_chebyshev_polynomial_w", 'f', 'n', 0, 'a', "shifted_chebyshev_polynomial_w_cpu", 'x', NONE, SAME, SAME, '-') \
    X(HERMITE_H, "_poly_hermite_polynomial_h", 'f', 'n', 0, 'a', "hermite_polynomial_h_cpu", 'x', NONE, SAME, SAME, '-') \
    X(HERMITE_HE, "_poly_hermite_polynomial_he", 'f', 'n', 0, 'a', "hermite_polynomial_he_cpu", 'x', NONE, SAME, SAME, '-') \
    X(LAGUERRE_L, "_poly_laguerre_polynomial_l", 'f', 'n', 0, 'a', "laguerre_polynomial_l_cpu", 'x', NONE, SAME, SAME, '-') \
    X(LEGENDRE_P, "_poly_legendre_polynomial_p", 'f', 'n', 0, 'a', "legendre_polynomial_p_cpu", 'x', NONE, SAME, SAME, '-')

typedef enum {
#define X(e, n, k, ...) BIN_##e,
    TSR_BINARY_OPS(X)
#undef X
    BIN_COUNT
} BinaryOp;

/* ---- elementwise unary ops: X(ENUM, torch_name, kind, loops, kernel, half, node, saves)
 * torch_name: as for the binary ops ('_' prefix: no torch.NAME).
 * kind: 'f' float math (ints promote to default float), 's' same dtype
 *   (neg, abs, ...), 'r' rounding (identity on ints), 'p' predicate (bool
 *   result), 'n' logical not (bool result), 'i' bitwise not.
 * loops, kernel: as for the binary ops.
 * kernel: PyTorch's CPU kernel name in '"NAME" not implemented for ...'.
 * half: 'h' when PyTorch's CPU build has no float16 loop; 'x' neither a float16
 *   nor a bfloat16 loop (torch.special's Cephes functions); 'B' as 'h', but
 *   checked only when the op is called by name (torch.sqrt), because the
 *   composites PyTorch runs in float16 (norm, std, div(rounding_mode=
 *   'trunc')) compute through it; '-' it has one.
 * node: the autograd node (NONE: not differentiable), expanded only in the
 *   op layer; saves: 'r' the result, 'i' the input, '-' nothing. */
#define TSR_UNARY_OPS(X)                                                         \
    X(NEG, "neg", 's', 'a', 0, '-', NegBackward0, '-')                           \
    X(ABS, "abs", 's', 'n', "abs_cpu", '-', AbsBackward0, 'i')                   \
    X(SIGN, "sign", 's', 'a', 0, '-', SignBackward0, '-')                        \
    X(SQUARE, "square", 's', 'a', 0, '-', PowBackward0, 'i')                     \
    X(RELU, "relu", 's', 'a', "clamp_min_cpu", 'h', ReluBackward0, 'r')          \
    X(SQRT, "sqrt", 'f', 'a', "sqrt_vml_cpu", 'B', SqrtBackward0, 'r')           \
    X(RSQRT, "rsqrt", 'f', 'a', "rsqrt_cpu", 'h', RsqrtBackward0, 'r')           \
    X(EXP, "exp", 'f', 'a', "exp_vml_cpu", 'h', ExpBackward0, 'r')               \
    X(EXP2, "exp2", 'f', 'a', 0, '-', Exp2Backward0, 'r')                        \
    X(EXPM1, "expm1", 'f', 'a', "expm1_vml_cpu", 'h', Expm1Backward0, 'r')       \
    X(LOG, "log", 'f', 'a', "log_vml_cpu", 'h', LogBackward0, 'i')               \
    X(LOG2, "log2", 'f', 'a', "log2_vml_cpu", 'h', Log2Backward0, 'i')           \
    X(LOG10, "log10", 'f', 'a', "log10_vml_cpu", 'h', Log10Backward0, 'i')       \
    X(LOG1P, "log1p", 'f', 'a', "log1p_vml_cpu", 'h', Log1PBackward0, 'i')       \
    X(SIN, "sin", 'f', 'a', "sin_vml_cpu", 'h', SinBackward0, 'i')               \
    X(COS, "cos", 'f', 'a', "cos_vml_cpu", 'h', CosBackward0, 'i')               \
    X(TAN, "tan", 'f', 'a', "tan_vml_cpu", 'h', TanBackward0, 'r')               \
    X(ASIN, "asin", 'f', 'a', "asin_vml_cpu", 'h', AsinBackward0, 'i')           \
    X(ACOS, "acos", 'f', 'a', "acos_vml_cpu", 'h', AcosBackward0, 'i')           \
    X(ATAN, "atan", 'f', 'a', "atan_vml_cpu", 'h', AtanBackward0, 'i')           \
    X(SINH, "sinh", 'f', 'a', "sinh_cpu", 'h', SinhBackward0, 'i')               \
    X(COSH, "cosh", 'f', 'a', "cosh_cpu", 'h', CoshBackward0, 'i')               \
    X(TANH, "tanh", 'f', 'a', "tanh_vml_cpu", 'h', TanhBackward0, 'r')           \
    X(SIGMOID, "sigmoid", 'f', 'a', "sigmoid_cpu", 'h', SigmoidBackward0, 'r')   \
    X(RECIPROCAL, "reciprocal", 'f', 'a', 0, '-', ReciprocalBackward0, 'r')      \
    X(FLOOR, "floor", 'r', 'n', "floor_vml_cpu", 'h', FloorBackward0, '-')       \
    X(CEIL, "ceil", 'r', 'n', "ceil_vml_cpu", 'h', CeilBackward0, '-')           \
    X(ROUND, "round", 'r', 'n', "round_vml_cpu", 'h', RoundBackward0, '-')       \
    X(TRUNC, "trunc", 'r', 'n', "trunc_vml_cpu", 'B', TruncBackward0, '-')       \
    X(FRAC, "frac", 's', 'f', "frac_cpu", '-', FracBackward0, '-')               \
    X(ISNAN, "isnan", 'p', 'a', 0, '-', NONE, '-')                               \
    X(ISINF, "isinf", 'p', 'a', 0, '-', NONE, '-')                               \
    X(ISFINITE, "isfinite", 'p', 'a', 0, '-', NONE, '-')                         \
    X(LOGICAL_NOT, "logical_not", 'n', 'a', 0, '-', NONE, '-')                   \
    X(BITWISE_NOT, "bitwise_not", 'i', 'b', "bitwise_not_cpu", '-', NONE, '-')  \
    X(ACOSH, "acosh", 'f', 'a', "acosh_cpu", 'h', AcoshBackward0, 'i')           \
    X(ASINH, "asinh", 'f', 'a', "asinh_cpu", 'h', AsinhBackward0, 'i')           \
    X(ATANH, "atanh", 'f', 'a', "atanh_cpu", 'h', AtanhBackward0, 'i')           \
    X(ERF, "erf", 'f', 'a', "erf_vml_cpu", 'h', ErfBackward0, 'i')               \
    X(ERFC, "erfc", 'f', 'a', "erfc_vml_cpu", 'h', ErfcBackward0, 'i')           \
    X(ERFINV, "erfinv", 'f', 'a', "erfinv_vml_cpu", 'h', ErfinvBackward0, 'i')   \
    X(LGAMMA, "lgamma", 'f', 'a', "lgamma_vml_cpu", 'h', LgammaBackward0, 'i')   \
    X(DIGAMMA, "digamma", 'f', 'a', "digamma", 'h', DigammaBackward0, 'i')       \
    X(I0, "i0", 'f', 'a', "i0_vml_cpu", 'h', I0Backward0, 'i')                   \
    X(SINC, "sinc", 'f', 'a', "sinc_cpu", 'h', SincBackward0, 'i')               \
    X(TRIGAMMA, "_trigamma", 'f', 'a', "trigamma", 'h', NONE, '-')               \
    X(I0E, "_special_i0e", 'f', 'a', "i0e_cpu", 'h', SpecialI0EBackward0, 'i')   \
    X(I1, "_special_i1", 'f', 'a', "i1_cpu", 'x', SpecialI1Backward0, 'i')       \
    X(I1E, "_special_i1e", 'f', 'a', "i1e_cpu", 'x', SpecialI1EBackward0, 'i')   \
    X(ENTR, "_special_entr", 'f', 'a', "entr_cpu", 'h', SpecialEntrBackward0, 'i')  \
    X(ERFCX, "_special_erfcx", 'f', 'a', "erfcx_cpu", 'x', SpecialErfcxBackward0, 'i') \
    X(LOG_NDTR, "_special_log_ndtr", 'f', 'a', "log_ndtr_cpu", 'x', SpecialLogNdtrBackward0, 'i') \
    X(NDTRI, "_special_ndtri", 'f', 'a', "ndtri_cpu", 'x', SpecialNdtriBackward0, 'r') \
    X(BESSEL_J0, "_special_bessel_j0", 'f', 'a', "bessel_j0_cpu", 'x', NONE, '-') \
    X(BESSEL_J1, "_special_bessel_j1", 'f', 'a', "bessel_j1_cpu", 'x', NONE, '-') \
    X(BESSEL_Y0, "_special_bessel_y0", 'f', 'a', "bessel_y0_cpu", 'x', NONE, '-') \
    X(BESSEL_Y1, "_special_bessel_y1", 'f', 'a', "bessel_y1_cpu", 'x', NONE, '-') \
    X(MODIFIED_BESSEL_I0, "_special_modified_bessel_i0", 'f', 'a', "modified_bessel_i0_cpu", 'x', NONE, '-') \
    X(MODIFIED_BESSEL_I1, "_special_modified_bessel_i1", 'f', 'a', "modified_bessel_i1_cpu", 'x', NONE, '-') \
    X(MODIFIED_BESSEL_K0, "_special_modified_bessel_k0", 'f', 'a', "modified_bessel_k0_cpu", 'x', NONE, '-') \
    X(MODIFIED_BESSEL_K1, "_special_modified_bessel_k1", 'f', 'a', "modified_bessel_k1_cpu", 'x', NONE, '-') \
    X(SCALED_MODIFIED_BESSEL_K0, "_special_scaled_modified_bessel_k0", 'f', 'a', "scaled_modified_bessel_k0_cpu", 'x', NONE, '-') \
    X(SCALED_MODIFIED_BESSEL_K1, "_special_scaled_modified_bessel_k1", 'f', 'a', "scaled_modified_bessel_k1_cpu", 'x', NONE, '-') \
    X(SPHERICAL_BESSEL_J0, "_special_spherical_bessel_j0", 'f', 'a', "spherical_bessel_j0_cpu", 'x', NONE, '-') \
    X(AIRY_AI, "_special_airy_ai", 'f', 'a', "airy_ai_cpu", 'x', NONE, '-')

typedef enum {
#define X(e, n, k, ...) UN_##e,
    TSR_UNARY_OPS(X)
#undef X
    UN_COUNT
} UnaryOp;

extern const char *const binary_op_names[BIN_COUNT];
extern const char *const unary_op_names[UN_COUNT];

#endif
