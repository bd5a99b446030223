/* numpy.h: what the numpy_*.c files share (tsr's `import numpy`). An
 * ndarray is a tensor flagged as one (lang/ndarray.h); these files give it
 * numpy's functions, methods, attributes and type promotion. */
#ifndef TSR_NUMPY_H
#define TSR_NUMPY_H

#include "ast.h"
#include "ndarray.h"
#include "value.h"

/* A numpy dtype argument: np.float32, np.dtype('int64'), 'float32', float,
 * int, bool; None/absent -> DT_UNDEFINED. False with numpy's TypeError. */
bool np_arg_dtype(Value *v, DType *out);
/* np.asarray(v): the tensor of an ndarray or torch tensor (retained), or a
 * new one from Python data (floats float64). NULL with an error raised. */
Tensor *np_tensor_of(Value *v);
/* numpy's type promotion of two dtypes (np.promote_types) */
DType np_promote(DType a, DType b);
/* numpy 1.24's result dtype of a binary op's operands, Python scalars and
 * 0-dim operands by value */
DType np_result_type(Value *a, Value *b);
/* the float dtype numpy's float math gives an input of dtype d: d itself
 * when floating, else float16 for bool and 8-bit integers, float32 for
 * 16-bit, float64 above (numpy_ufuncs.c) */
DType np_float_dtype(DType d);
/* isnan, isinf (either part) and isfinite (both parts) of a complex t;
 * op a UnaryOp */
struct Tensor *np_complex_predicate(int op, struct Tensor *t);
/* A complex array cast to the real dtype d as numpy casts it: bool tests
 * both parts; other dtypes take the real part with numpy's ComplexWarning,
 * or (scalar: np.float64(z), np.int64(z)) raise Python's TypeError */
struct Tensor *np_complex_to_real(struct Tensor *t, DType d, bool scalar);
/* Raises numpy's broadcast ValueError unless a and b broadcast. */
bool np_check_broadcast(const Tensor *a, const Tensor *b);

/* np.linalg's shared steps (numpy_linalg.c): _makearray + _commonType
 * (the float64 tensor numpy computes in), the result cast to float32
 * when the input was float32 (np_la_single), _assert_stacked_2d +
 * _assert_stacked_square (LinAlgError) */
Tensor *np_la_array(Value *v);
Tensor *np_la_result(Tensor *r, bool single);
bool np_la_single(Value *v);
bool np_la_square(const Tensor *t);

/* numpy's floating-point error handling (numpy_fpe.c). A ufunc clears the
 * status flags, computes, and checks what its computation raised: each
 * kind (divide by zero, overflow, underflow, invalid value) is ignored,
 * warned about, raised as FloatingPointError... as np.seterr says, with
 * the words "KIND encountered in NAME". The warning is the user's line
 * (the innermost frame outside numpy's Python) for at == NULL, else the
 * place in numpy's own Python the oracle's numpy warns from. */
typedef struct {
    const char *file;   /* numpy's file, as installed with the oracle */
    int line;
    const char *module; /* its module ("numpy.core._methods") */
    const char *text;   /* the source line */
} NpWarnAt;
void np_fpe_clear(void);
/* np.seterr's modes back to numpy's defaults and np.seterrcall's function
 * released: the state dies with the interpreter (interp_free) */
void np_fpe_reset(void);
/* whether the status flags hold an error for np_fpe_check */
bool np_fpe_pending(void);
void np_fpe_raise_divide(void);
void np_fpe_raise_overflow(void);
void np_fpe_raise_invalid(void);
/* false with the error raised when the error state says 'raise' (or a
 * warning filter says 'error') */
bool np_fpe_check(const char *name, const NpWarnAt *at);
/* r after np_fpe_check; NULL (r released) when that raised */
struct Tensor *np_fpe_done(struct Tensor *r, const char *name, const NpWarnAt *at);
/* The flags numpy's loop raises for r = f(x) or f(x, y) (y NULL), read
 * from the values where tsr's vectorised math raises other flags: nan
 * from inputs without nan is invalid; inf from finite inputs is divide by
 * zero at a pole (always, x == 0, y == 0), else overflow. NP_NAN_COMPARED:
 * numpy's loop compares its inputs (logaddexp), so a nan input raises
 * invalid too. Underflow: a subnormal result, or (NP_EXP_LIKE: exp, exp2)
 * 0 from a finite input. */
typedef enum { NP_POLE_NONE, NP_POLE_ALWAYS, NP_POLE_X_ZERO, NP_POLE_Y_ZERO, NP_NAN_COMPARED, NP_EXP_LIKE } NpPole;
void np_fpe_from_values(struct Tensor *r, struct Tensor *x, struct Tensor *y, NpPole pole);
/* whether every element of r is finite (a scan of a contiguous float
 * array; integers are) */
bool np_all_finite(struct Tensor *r);
/* a // b, a % b or fmod (op a BinaryOp) in numpy's integer rule: a zero
 * divisor gives 0 and raises the divide flag; floats: op_binary */
struct Tensor *np_int_divide(int op, struct Tensor *a, struct Tensor *b);

/* np.random's argument readers (numpy_random.c): an int dimension as
 * numpy reads it (operator.index); size=None (*scalar), an int or a
 * sequence of ints, *count its elements (1 for None) */
bool np_arg_dim(Value *v, int64_t *out);
bool np_arg_size(Value *v, int64_t *shape, int *ndim, bool *scalar, int64_t *count);
/* randint/integers' dtype=: an integer or bool dtype (int64 when absent),
 * *py_type when it is Python's int or bool (a Python scalar comes back
 * for size=None), dflt_py when absent; numpy's TypeError for floats */
bool np_int_dtype_arg(Value *v, const char *fn, bool dflt_py, DType *d, bool *py_type);
/* arange(n) as int64 */
Tensor *np_arange_i64(int64_t n);

/* A distribution method of Generator or RandomState (numpy_random_dist.c):
 * fn is the method's name ("normal", "binomial", ...), src the generator
 * it draws from (tensor/numpy_distributions.h) */
struct NpSource;
/* the distributions Generator and RandomState share, by method name */
#define NP_SHARED_DISTS(X)                                                                                       \
    X(normal) X(exponential) X(gamma) X(standard_gamma) X(beta) X(chisquare) X(f) X(standard_cauchy)            \
    X(standard_t) X(pareto) X(weibull) X(power) X(laplace) X(gumbel) X(logistic) X(lognormal) X(rayleigh)     \
    X(wald) X(triangular) X(poisson) X(binomial) X(geometric)
Value *np_dist_call(const struct NpSource *src, const char *fn, const CallArgs *a);
/* np.broadcast of n shapes, or numpy's "shape mismatch" ValueError */
bool np_multi_broadcast(int n, const int64_t *const *shapes, const int *nds, int64_t *out, int *out_nd);

/* np.random.default_rng and the Generator class into np.random
 * (numpy_generator.c) */
bool numpy_generator_open(Value *module);

/* the ndarray's methods and attributes (numpy_array.c) */
Value *numpy_getattr(Value *self, const char *name);
/* a.real, a.imag (numpy_functions.c) */
Value *numpy_complex_attr(Value *self, const char *name);
Value *numpy_binary(BinKind op, Value *a, Value *b, bool inplace);
/* the same op as the ufunc's call (np.add(a, b)): its errors are never the
 * "scalar" operator's */
Value *numpy_ufunc_binary(BinKind op, Value *a, Value *b);
Value *numpy_compare(CmpKind op, Value *a, Value *b);
Value *numpy_unary(UnaryKind op, Value *a);
/* np.float32(0.1) and the other scalar types called */
Value *numpy_scalar_new(TypeId t, const CallArgs *a);
/* Python's builtins abs, sum, max, min, round, pow, all, any called with
 * an ndarray or numpy scalar: what the array's special methods do */
Value *numpy_python_builtin(const char *name, const CallArgs *a);
/* numpy's functions that are also ndarray methods (np.sum(a) = a.sum()) */
extern const Builtin numpy_array_methods[];
const Builtin *numpy_method_lookup(const char *name);

#endif
