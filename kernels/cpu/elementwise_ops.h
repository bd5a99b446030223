/* elementwise_ops.h: the rows of every elementwise op, read by the op
 * layer (names, type-promotion kind) and by both kernel backends (the enums
 * their loops switch on). One row per op: adding an op starts here. */
#ifndef TSR_ELEMENTWISE_OPS_H
#define TSR_ELEMENTWISE_OPS_H

/* ---- elementwise binary ops: X(ENUM, torch_name, kind, other, inplace)
 * kind: 'a' arithmetic (result = promoted type), 'c' comparison (bool
 * result), 'l' logical (bool result), 'b' bitwise (integral/bool only),
 * 'f' float-only math (ints promote to the default float).
 * other: 'n' when a Python number may be the second operand (PyTorch has
 * the Scalar overload), 't' when it must be a Tensor ("argument 'other'
 * (position 2) must be Tensor, not int").
 * inplace: 1 when PyTorch has the in-place method NAME_. */
#define TSR_BINARY_OPS(X) \
    X(ADD, "add", 'a', 'n', 1)                     \
    X(SUB, "sub", 'a', 'n', 1)                     \
    X(MUL, "mul", 'a', 'n', 1)                     \
    X(DIV, "div", 'f', 'n', 1)                     \
    X(FLOOR_DIVIDE, "floor_divide", 'a', 'n', 1)   \
    X(REMAINDER, "remainder", 'a', 'n', 1)         \
    X(FMOD, "fmod", 'a', 'n', 1)                   \
    X(POW, "pow", 'a', 'n', 1)                     \
    X(ATAN2, "atan2", 'f', 't', 1)                 \
    X(HYPOT, "hypot", 'f', 't', 1)                 \
    X(LOGADDEXP, "logaddexp", 'f', 't', 0)         \
    X(MAXIMUM, "maximum", 'a', 't', 1)             \
    X(MINIMUM, "minimum", 'a', 't', 1)             \
    X(EQ, "eq", 'c', 'n', 1)                       \
    X(NE, "ne", 'c', 'n', 1)                       \
    X(LT, "lt", 'c', 'n', 1)                       \
    X(LE, "le", 'c', 'n', 1)                       \
    X(GT, "gt", 'c', 'n', 1)                       \
    X(GE, "ge", 'c', 'n', 1)                       \
    X(LOGICAL_AND, "logical_and", 'l', 't', 1)     \
    X(LOGICAL_OR, "logical_or", 'l', 't', 1)       \
    X(LOGICAL_XOR, "logical_xor", 'l', 't', 1)     \
    X(BITWISE_AND, "bitwise_and", 'b', 'n', 1)     \
    X(BITWISE_OR, "bitwise_or", 'b', 'n', 1)       \
    X(BITWISE_XOR, "bitwise_xor", 'b', 'n', 1)     \
    X(LSHIFT, "bitwise_left_shift", 'b', 'n', 1)   \
    X(RSHIFT, "bitwise_right_shift", 'b', 'n', 1)

typedef enum {
#define X(e, n, k, ...) BIN_##e,
    TSR_BINARY_OPS(X)
#undef X
    BIN_COUNT
} BinaryOp;

/* ---- elementwise unary ops: X(ENUM, torch_name, kind)
 * kind: 'f' float math (ints promote to default float), 's' same dtype
 * (neg, abs, ...), 'r' rounding (identity on ints), 'p' predicate (bool
 * result), 'n' logical not (bool result), 'i' bitwise not (integral/bool). */
#define TSR_UNARY_OPS(X)            \
    X(NEG, "neg", 's')              \
    X(ABS, "abs", 's')              \
    X(SIGN, "sign", 's')            \
    X(SQUARE, "square", 's')        \
    X(RELU, "relu", 's')            \
    X(SQRT, "sqrt", 'f')            \
    X(RSQRT, "rsqrt", 'f')          \
    X(EXP, "exp", 'f')              \
    X(EXP2, "exp2", 'f')            \
    X(EXPM1, "expm1", 'f')          \
    X(LOG, "log", 'f')              \
    X(LOG2, "log2", 'f')            \
    X(LOG10, "log10", 'f')          \
    X(LOG1P, "log1p", 'f')          \
    X(SIN, "sin", 'f')              \
    X(COS, "cos", 'f')              \
    X(TAN, "tan", 'f')              \
    X(ASIN, "asin", 'f')            \
    X(ACOS, "acos", 'f')            \
    X(ATAN, "atan", 'f')            \
    X(SINH, "sinh", 'f')            \
    X(COSH, "cosh", 'f')            \
    X(TANH, "tanh", 'f')            \
    X(SIGMOID, "sigmoid", 'f')      \
    X(RECIPROCAL, "reciprocal", 'f')\
    X(FLOOR, "floor", 'r')          \
    X(CEIL, "ceil", 'r')            \
    X(ROUND, "round", 'r')          \
    X(TRUNC, "trunc", 'r')          \
    X(FRAC, "frac", 's')            \
    X(ISNAN, "isnan", 'p')          \
    X(ISINF, "isinf", 'p')          \
    X(ISFINITE, "isfinite", 'p')    \
    X(LOGICAL_NOT, "logical_not", 'n') \
    X(BITWISE_NOT, "bitwise_not", 'i')

typedef enum {
#define X(e, n, k) UN_##e,
    TSR_UNARY_OPS(X)
#undef X
    UN_COUNT
} UnaryOp;

extern const char *const binary_op_names[BIN_COUNT];
extern const char *const unary_op_names[UN_COUNT];

#endif
