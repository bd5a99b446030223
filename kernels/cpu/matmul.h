/* matmul.h: CPU GEMM (BLIS for float32/float64, a blocked loop for
 * integers). No allocation. Strides are in elements. */
#ifndef TSR_KERNEL_MATMUL_H
#define TSR_KERNEL_MATMUL_H

#include <stdbool.h>
#include <stdint.h>

#include "dtype.h"

/* C (m x n) = A (m x k) @ B (k x n). For float32/float64 each operand
 * must have unit row or column stride (BLIS); C is overwritten. dt is
 * float32, float64 or an integer type (wrapping arithmetic). */
void kernel_gemm(DType dt, int64_t m, int64_t n, int64_t k, const void *a, int64_t rsa,
                 int64_t csa, const void *b, int64_t rsb, int64_t csb, void *c, int64_t rsc,
                 int64_t csc);

/* True when float32/float64 products run BLIS's reference arithmetic on
 * the AVX-512 micro-kernel (gemm_ref_avx512.c): BLIS picked its 'generic'
 * configuration and the CPU has AVX-512F. */
bool kernel_gemm_reference_on_avx512(void);

/* The BLAS interface as ATen 1.13's cpublas calls it, for float32,
 * float64, complex64 and complex128 (dt; c/zgemm_, c/zgemv_, c/zdotu), so products carry PyTorch's bits: Debian's PyTorch calls
 * sgemm_/dgemm_/sgemv_/sdot_ of this same BLIS. Column-major, leading
 * dimensions and increments in elements.
 *
 * kernel_blas_gemm: cpublas::gemm: C (m x n) = alpha * op(A) op(B) +
 * beta * C, op transposing when transa/transb; normalize_last_dims and
 * use_blas_gemm, then sgemm_/dgemm_ (or ATen's loops past int range). */
void kernel_blas_gemm(DType dt, bool transa, bool transb, int64_t m, int64_t n, int64_t k, double alpha,
                      const void *a, int64_t lda, const void *b, int64_t ldb, double beta, void *c,
                      int64_t ldc);
/* ATen's gemv<scalar_t>: y = alpha * op(A) x + beta * y, A m x n. */
void kernel_blas_gemv(DType dt, bool trans, int64_t m, int64_t n, double alpha, const void *a, int64_t lda,
                      const void *x, int64_t incx, double beta, void *y, int64_t incy);
/* ATen's dot_impl: *out (a scalar of dt) = x . y over n elements (complex:
 * 0, as Debian's PyTorch 1.13 computes it: matmul.c). */
void kernel_blas_dot(DType dt, int64_t n, const void *x, int64_t incx, const void *y, int64_t incy, void *out);
/* ATen's vdot_impl, complex64/complex128: conj(x) . y through cdotc_,
 * which in Debian's PyTorch 1.13 leaves its zero result (see dot) */
void kernel_blas_vdot(DType dt, int64_t n, const void *x, int64_t incx, const void *y, int64_t incy, void *out);
/* ATen's baddbmm_cpu_kernel (small batched products): r[b] = s[b] @ m[b]
 * (is_bmm), else beta * r[b] + alpha * s[b] @ m[b] as 1.13 sums it; s (bs, m, k), m (bs,
 * k, n), r (bs, m, n), each with its three strides. */
void kernel_bmm_small(DType dt, int64_t bs, int64_t m, int64_t n, int64_t k, const void *s, const int64_t *ss,
                      const void *mt, const int64_t *ms, void *r, const int64_t *rs, bool is_bmm, double beta,
                      double alpha);

#endif
