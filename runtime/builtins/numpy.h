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
/* Raises numpy's broadcast ValueError unless a and b broadcast. */
bool np_check_broadcast(const Tensor *a, const Tensor *b);

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
Value *numpy_binary(BinKind op, Value *a, Value *b, bool inplace);
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
