/* reduce_plan.h: a reduction's kernel geometry, for ops outside reduce.c
 * that run their own reduction kernel. */
#ifndef TSR_OPS_REDUCE_PLAN_H
#define TSR_OPS_REDUCE_PLAN_H

#include "reduce.h"
#include "tensor.h"

/* Reducing `dims` of a (all when ndims is 0; wrapped, checked for
 * repeats): the geometry over a's strides and the output's shape. False
 * with the error raised. */
bool op_reduce_plan(Tensor *a, int ndims, const int64_t *dims, bool keepdim, ReduceGeom *g, int *ondim,
                    int64_t *oshape);

#endif
