/* linalg_args.h: argument helpers of the torch.linalg builtins
 * (linalg_decomp.c defines them; linalg_factor.c uses them). */
#ifndef TSR_LINALG_ARGS_H
#define TSR_LINALG_ARGS_H

#include "builtins_util.h"

/* A namedtuple of type nt (a plain tuple when NULL) of n tensors (stolen) */
Value *la_tensors_tuple(const NamedTupleType *nt, Tensor **ts, int n);
/* Argument v (position i, 0-based) as a tensor; PyTorch's TypeError */
Tensor *la_tensor_arg(const CallArgs *a, Value *v, int i, const char *fn, const char *name);
/* out= is accepted as None only */
bool la_no_out(Value *out, const char *fn);

/* linalg.matrix_norm for ord 2, -2 and 'nuc' (ord 0), all of PyTorch's
 * checks (linalg.c; torch.norm's p='nuc' uses it) */
Tensor *linalg_matrix_norm_svd(Tensor *x, double ord, int64_t d0, int64_t d1, bool keepdim, DType dt);

#endif
