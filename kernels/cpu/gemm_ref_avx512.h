/* gemm_ref_avx512.h: micro-kernels that compute exactly what BLIS 0.9's
 * reference gemm micro-kernel (its 'generic' configuration) computes, on
 * AVX-512 and with a wider tile (MR x NR below). BLIS's micro-kernel
 * signature; the caller checks the CPU has AVX-512F. */
#ifndef TSR_KERNEL_GEMM_REF_AVX512_H
#define TSR_KERNEL_GEMM_REF_AVX512_H

#include <blis.h>

enum { GEMM_REF_S_MR = 8, GEMM_REF_S_NR = 32, GEMM_REF_D_MR = 8, GEMM_REF_D_NR = 16 };

void gemm_ref_s_avx512(dim_t m, dim_t n, dim_t k, float *restrict alpha, float *restrict a, float *restrict b,
                       float *restrict beta, float *restrict c, inc_t rs_c, inc_t cs_c, auxinfo_t *data,
                       cntx_t *cntx);
void gemm_ref_d_avx512(dim_t m, dim_t n, dim_t k, double *restrict alpha, double *restrict a, double *restrict b,
                       double *restrict beta, double *restrict c, inc_t rs_c, inc_t cs_c, auxinfo_t *data,
                       cntx_t *cntx);

#endif
