/* linalg_lapack.h: the checks and layouts shared by the LAPACK-based
 * linalg ops (linalg_decomp.c defines them; linalg_qr.c and
 * linalg_spectral.c use them). Private to runtime/ops/. */
#ifndef TSR_LINALG_LAPACK_H
#define TSR_LINALG_LAPACK_H

#include <stdbool.h>
#include <stdint.h>

#include "autograd.h"
#include "tensor.h"

/* PyTorch's checks (LinearAlgebraUtils.h), raising its messages */
bool la_check_is_matrix(const Tensor *A, const char *fn, const char *arg);
bool la_check_square(const Tensor *A, const char *fn, const char *arg);
bool la_check_float(const Tensor *A, const char *fn, bool low_ok);
/* float32/float64 only, else `"kernel" not implemented for 'T'` */
bool la_check_kernel(const Tensor *A, const char *kernel);
/* the last two sizes fit LAPACK's int */
bool la_check_int_sizes(const Tensor *A);

/* at::native::batched_matrix_contiguous_strides */
void la_batched_strides(int nd, const int64_t *shape, bool col_major, int64_t *st);
/* An uninitialised tensor of shape with la_batched_strides */
Tensor *la_empty_batched(DType dt, int nd, const int64_t *shape, bool col_major, Device dev);
/* cloneBatchedColumnMajor(A): an F-contiguous copy */
Tensor *la_clone_col_major(Tensor *A);
/* a's strides equal st where the size is > 1 */
bool la_same_strides(const Tensor *a, const int64_t *st);
/* A.mT() as a view, no autograd */
Tensor *la_mT_view(Tensor *A);
/* The product of t's sizes but the last mat_dims */
int64_t la_batch_count(const Tensor *t, int mat_dims);
/* at::native::linearSolveCheckInputs(b, A, name): dtypes, A square, b's
 * rows (an IndexError for a b of fewer than 2 dims) */
bool la_linear_solve_check(Tensor *B, Tensor *A, const char *name);
/* B's and A's batch dims broadcast (_linalg_broadcast_batch_dims): *Bb,
 * *Ab expanded views */
bool la_broadcast_batch(Tensor *B, Tensor *A, Tensor **Bb, Tensor **Ab);
/* out recorded under a node that saves nothing (steals out) */
Tensor *la_record_unimplemented(Tensor *out, GradNodeKind kind, Tensor *const *ins, int n);

#endif
