// matmul.cu: GEMM on the GPU (cuda_matmul.h).
//
// cuBLAS is column-major; a row-major product C = A B is computed as
// C^T = B^T A^T, with each operand passed as "N" or "T" over its own
// memory so transposed views need no copy. One entry point,
// cublasGemmStridedBatchedEx, serves every float dtype and batch count.
// The library is opened with dlopen at first use (tsr links no cuBLAS, so
// a machine without it still runs everything else), and the simple kernel
// below runs where it is missing, for integer dtypes, and in emulation.
#include <climits>
#include <cstring>

#include "cuda_matmul.h"
#include "cuda_scalar.h"

#if !defined(TSR_CUDA_EMULATE)
#include <cublas_v2.h> // types and constants only: the functions come from dlopen
#include <dlfcn.h>
#endif

namespace {

// ---- the simple kernel: one thread per element of C ----
template <typename S, typename A>
TSR_GLOBAL void k_gemm(int64_t batch, int64_t m, int64_t n, int64_t k, const S *a, int64_t bsa, int64_t rsa,
                       int64_t csa, const S *b, int64_t bsb, int64_t rsb, int64_t csb, S *c, int64_t bsc,
                       int64_t rsc, int64_t csc) {
    TSR_FOR(t, batch * m * n) {
        int64_t j = t % n, i = (t / n) % m, q = t / (m * n);
        const S *ap = a + q * bsa + i * rsa;
        const S *bp = b + q * bsb + j * csb;
        A acc = 0;
        for (int64_t p = 0; p < k; p++) {
            if (ScalarInfo<S>::is_float) acc += (A)to_f64(ap[p * csa]) * (A)to_f64(bp[p * rsb]);
            else acc += (A)((uint64_t)to_i64(ap[p * csa]) * (uint64_t)to_i64(bp[p * rsb]));
        }
        S *cp = c + q * bsc + i * rsc + j * csc;
        if (ScalarInfo<S>::is_float) *cp = from_f64<S>((double)acc);
        else *cp = from_u64<S>((uint64_t)acc);
    }
}

KernelStatus simple_gemm(DType dt, int64_t batch, int64_t m, int64_t n, int64_t k, const void *a, int64_t bsa,
                         int64_t rsa, int64_t csa, const void *b, int64_t bsb, int64_t rsb, int64_t csb, void *c,
                         int64_t bsc, int64_t rsc, int64_t csc) {
    if (dt == DT_BOOL) return KERNEL_UNSUPPORTED;
    int64_t total = batch * m * n;
    TSR_DISPATCH(dt, S, return KERNEL_UNSUPPORTED, {
        // float32 and the 16-bit floats accumulate in float32, float64 in double
        typedef typename ScalarInfo<S>::acc A;
        void (*kern)(int64_t, int64_t, int64_t, int64_t, const S *, int64_t, int64_t, int64_t, const S *, int64_t,
                     int64_t, int64_t, S *, int64_t, int64_t, int64_t) = k_gemm<S, A>;
        TSR_LAUNCH(kern, tsr_blocks(total, TSR_MAX_BLOCKS), batch, m, n, k, (const S *)a, bsa, rsa, csa,
                   (const S *)b, bsb, rsb, csb, (S *)c, bsc, rsc, csc);
        return KERNEL_OK;
    });
    return KERNEL_UNSUPPORTED;
}

// Strides of a rows x cols operand with size-1 dims given consistent
// values (as ops_linalg.c's gemm_operand does).
void normalize(int64_t r, int64_t c, int64_t *rs, int64_t *cs) {
    if (r == 1) *rs = *cs == 1 ? (c > 1 ? c : 1) : 1;
    if (c == 1) *cs = *rs == 1 ? (r > 1 ? r : 1) : 1;
}

#if !defined(TSR_CUDA_EMULATE)
typedef cublasStatus_t (*create_fn)(cublasHandle_t *);
typedef cublasStatus_t (*set_stream_fn)(cublasHandle_t, cudaStream_t);
typedef cublasStatus_t (*gemm_fn)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const void *,
                                  const void *, cudaDataType, int, long long, const void *, cudaDataType, int,
                                  long long, const void *, void *, cudaDataType, int, long long, int,
                                  cublasComputeType_t, cublasGemmAlgo_t);
struct Cublas {
    bool tried, ok;
    cublasHandle_t handle;
    gemm_fn gemm;
} cublas;

bool cublas_load() {
    if (cublas.tried) return cublas.ok;
    cublas.tried = true;
    void *lib = dlopen("libcublas.so.13", RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen("/usr/local/cuda/lib64/libcublas.so.13", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return false;
    create_fn create = (create_fn)dlsym(lib, "cublasCreate_v2");
    set_stream_fn set_stream = (set_stream_fn)dlsym(lib, "cublasSetStream_v2");
    cublas.gemm = (gemm_fn)dlsym(lib, "cublasGemmStridedBatchedEx");
    if (!create || !set_stream || !cublas.gemm || create(&cublas.handle) != CUBLAS_STATUS_SUCCESS) return false;
    if (set_stream(cublas.handle, (cudaStream_t)cuda_stream()) != CUBLAS_STATUS_SUCCESS) return false;
    cublas.ok = true;
    return true;
}

// A rows x cols operand as cuBLAS sees it: op N over column-major memory
// (ld = column stride) or op T over its transpose (ld = row stride).
bool as_colmajor(int64_t rows, int64_t cols, int64_t rs, int64_t cs, cublasOperation_t *op, int *ld) {
    normalize(rows, cols, &rs, &cs);
    if (rs == 1 && cs >= (rows > 1 ? rows : 1) && cs <= INT_MAX) {
        *op = CUBLAS_OP_N, *ld = (int)cs;
        return true;
    }
    if (cs == 1 && rs >= (cols > 1 ? cols : 1) && rs <= INT_MAX) {
        *op = CUBLAS_OP_T, *ld = (int)rs;
        return true;
    }
    return false;
}

// C (m x n, column-major with ld) = A (m x k) B (k x n); false: not in cuBLAS's terms.
bool cublas_gemm(DType dt, int64_t batch, int64_t m, int64_t n, int64_t k, const void *a, int64_t bsa, int64_t rsa,
                 int64_t csa, const void *b, int64_t bsb, int64_t rsb, int64_t csb, void *c, int64_t bsc,
                 int64_t rsc, int64_t csc) {
    cudaDataType t;
    cublasComputeType_t ct = CUBLAS_COMPUTE_32F;
    switch (dt) {
    case DT_FLOAT32: t = CUDA_R_32F; break;
    case DT_FLOAT64: t = CUDA_R_64F, ct = CUBLAS_COMPUTE_64F; break;
    case DT_FLOAT16: t = CUDA_R_16F; break;
    case DT_BFLOAT16: t = CUDA_R_16BF; break;
    default: return false;
    }
    if (m > INT_MAX || n > INT_MAX || k > INT_MAX || batch > INT_MAX) return false;
    normalize(m, n, &rsc, &csc);
    // column-major C with ld: either C itself (rsc == 1) or C^T (csc == 1)
    bool trans_c;
    int ldc;
    if (rsc == 1 && csc >= (m > 1 ? m : 1) && csc <= INT_MAX) trans_c = false, ldc = (int)csc;
    else if (csc == 1 && rsc >= (n > 1 ? n : 1) && rsc <= INT_MAX) trans_c = true, ldc = (int)rsc;
    else return false;
    cublasOperation_t opa, opb;
    int lda, ldb;
    if (!trans_c) { // C = A B
        if (!as_colmajor(m, k, rsa, csa, &opa, &lda) || !as_colmajor(k, n, rsb, csb, &opb, &ldb)) return false;
    } else { // C^T = B^T A^T: the first operand is B^T (n x k), the second A^T (k x m)
        if (!as_colmajor(n, k, csb, rsb, &opb, &ldb) || !as_colmajor(k, m, csa, rsa, &opa, &lda)) return false;
    }
    if (!cublas_load()) return false;
    float one_f = 1, zero_f = 0;
    double one_d = 1, zero_d = 0;
    const void *alpha = dt == DT_FLOAT64 ? (const void *)&one_d : (const void *)&one_f;
    const void *beta = dt == DT_FLOAT64 ? (const void *)&zero_d : (const void *)&zero_f;
    cublasStatus_t st;
    if (!trans_c)
        st = cublas.gemm(cublas.handle, opa, opb, (int)m, (int)n, (int)k, alpha, a, t, lda, bsa, b, t, ldb, bsb,
                         beta, c, t, ldc, bsc, (int)batch, ct, CUBLAS_GEMM_DEFAULT);
    else
        st = cublas.gemm(cublas.handle, opb, opa, (int)n, (int)m, (int)k, alpha, b, t, ldb, bsb, a, t, lda, bsa,
                         beta, c, t, ldc, bsc, (int)batch, ct, CUBLAS_GEMM_DEFAULT);
    if (st != CUBLAS_STATUS_SUCCESS) return false;
    cuda_pending = 1;
    return true;
}
#endif

template <typename S> TSR_GLOBAL void k_zero(S *c, int64_t batch, int64_t m, int64_t n, int64_t bsc, int64_t rsc,
                                             int64_t csc) {
    TSR_FOR(t, batch * m * n) {
        int64_t j = t % n, i = (t / n) % m, q = t / (m * n);
        c[q * bsc + i * rsc + j * csc] = 0;
    }
}

} // namespace

extern "C" {

bool cuda_gemm_strides_ok(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
    normalize(rows, cols, &rs, &cs);
    return (rs == 1 && cs >= (rows > 1 ? rows : 1)) || (cs == 1 && rs >= (cols > 1 ? cols : 1));
}

char cuda_gemm_backend(void) {
#if defined(TSR_CUDA_EMULATE)
    return 'k';
#else
    return cuda_init() == CUDA_READY && cublas_load() ? 'c' : 'k';
#endif
}

KernelStatus cuda_gemm(DType dt, int64_t batch, int64_t m, int64_t n, int64_t k, const void *a, int64_t bsa,
                       int64_t rsa, int64_t csa, const void *b, int64_t bsb, int64_t rsb, int64_t csb, void *c,
                       int64_t bsc, int64_t rsc, int64_t csc) {
    if (dt == DT_BOOL) return KERNEL_UNSUPPORTED;
    if (batch == 0 || m == 0 || n == 0) return KERNEL_OK;
    if (k == 0) { // no products: zeros (cuBLAS would leave C alone)
        int es = (int)dtype_size(dt);
        int64_t total = batch * m * n;
        switch (es) {
        case 1: { void (*z)(uint8_t *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) = k_zero<uint8_t>;
                  TSR_LAUNCH(z, tsr_blocks(total, TSR_MAX_BLOCKS), (uint8_t *)c, batch, m, n, bsc, rsc, csc); break; }
        case 2: { void (*z)(uint16_t *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) = k_zero<uint16_t>;
                  TSR_LAUNCH(z, tsr_blocks(total, TSR_MAX_BLOCKS), (uint16_t *)c, batch, m, n, bsc, rsc, csc); break; }
        case 4: { void (*z)(uint32_t *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) = k_zero<uint32_t>;
                  TSR_LAUNCH(z, tsr_blocks(total, TSR_MAX_BLOCKS), (uint32_t *)c, batch, m, n, bsc, rsc, csc); break; }
        default: { void (*z)(uint64_t *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t) = k_zero<uint64_t>;
                   TSR_LAUNCH(z, tsr_blocks(total, TSR_MAX_BLOCKS), (uint64_t *)c, batch, m, n, bsc, rsc, csc); break; }
        }
        return KERNEL_OK;
    }
#if !defined(TSR_CUDA_EMULATE)
    if (cublas_gemm(dt, batch, m, n, k, a, bsa, rsa, csa, b, bsb, rsb, csb, c, bsc, rsc, csc)) return KERNEL_OK;
#endif
    return simple_gemm(dt, batch, m, n, k, a, bsa, rsa, csa, b, bsb, rsb, csb, c, bsc, rsc, csc);
}

} // extern "C"
