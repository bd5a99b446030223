// runtime.cu: the CUDA device runtime (real GPU): initialisation with
// PyTorch's failure modes, managed memory, one stream, synchronisation.
//
// Memory is managed (cudaMallocManaged) and prefetched to the GPU when
// allocated: kernels see device memory, and the host can still read and
// write it after cuda_sync(), which is how ops without a GPU kernel run
// (docs/cuda.md).
#include <cstdio>
#include <cstring>

#include <cuda_runtime.h>

#include "tsr_cuda.h"

extern "C" {

int cuda_pending = 0;

static CudaState state;
static bool initialised;
static int ndev;
static cudaStream_t stream;
static char names[8][256];
static size_t totals[8];
static char last_error[256] = "no error";

static void remember(cudaError_t e) {
    snprintf(last_error, sizeof last_error, "%s", cudaGetErrorString(e));
}

char cuda_build_kind(void) { return 'r'; }

CudaState cuda_init(void) {
    if (initialised) return state;
    initialised = true;
    cudaError_t e = cudaGetDeviceCount(&ndev);
    if (e == cudaErrorInsufficientDriver) return state = cuda_driver_version() ? CUDA_OLD_DRIVER : CUDA_NO_DRIVER;
    if (e == cudaErrorNoDevice || (e == cudaSuccess && ndev == 0)) return state = CUDA_NO_DEVICE;
    if (e != cudaSuccess) {
        remember(e);
        return state = CUDA_INIT_FAILED;
    }
    for (int i = 0; i < ndev && i < 8; i++) {
        cudaDeviceProp p;
        if (cudaGetDeviceProperties(&p, i) == cudaSuccess) {
            snprintf(names[i], sizeof names[i], "%s", p.name);
            totals[i] = p.totalGlobalMem;
        }
    }
    if ((e = cudaSetDevice(0)) != cudaSuccess || (e = cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking)) != cudaSuccess) {
        remember(e);
        return state = CUDA_INIT_FAILED;
    }
    return state = CUDA_READY;
}

int cuda_device_count(void) { return cuda_init() == CUDA_READY ? ndev : 0; }
const char *cuda_device_name(int index) { return index >= 0 && index < 8 ? names[index] : ""; }
size_t cuda_total_memory(int index) { return index >= 0 && index < 8 ? totals[index] : 0; }
const char *cuda_last_error(void) { return last_error; }

int cuda_driver_version(void) {
    int v = 0;
    if (cudaDriverGetVersion(&v) != cudaSuccess) return 0;
    return v;
}

// Managed memory may exceed the GPU's (it is paged), and asking a GPU for
// more managed memory than it has free can hang it: refuse anything that
// would not fit in what is free now, keeping a margin for cuBLAS and the
// driver. tsr then raises PyTorch's "CUDA out of memory".
static const size_t FREE_MARGIN = (size_t)256 << 20;

void *cuda_raw_alloc(size_t nbytes) {
    size_t free_b = 0, total_b = 0;
    if (cudaMemGetInfo(&free_b, &total_b) != cudaSuccess || nbytes + FREE_MARGIN > free_b) {
        cudaGetLastError();
        snprintf(last_error, sizeof last_error, "out of memory");
        return nullptr;
    }
    void *p = nullptr;
    cudaError_t e = cudaMallocManaged(&p, nbytes, cudaMemAttachGlobal);
    if (e != cudaSuccess) {
        cudaGetLastError(); // clear the sticky-free error state
        remember(e);
        return nullptr;
    }
#if CUDART_VERSION >= 13000
    cudaMemLocation loc;
    loc.type = cudaMemLocationTypeDevice;
    loc.id = 0;
    cudaMemPrefetchAsync(p, nbytes, loc, 0, stream);
#else
    cudaMemPrefetchAsync(p, nbytes, 0, stream);
#endif
    cuda_pending = 1;
    return p;
}

void cuda_raw_free(void *p) {
    if (p) cudaFree(p);
}

bool cuda_sync(void) {
    cudaError_t e = cudaStreamSynchronize(stream);
    cuda_pending = 0;
    if (e == cudaSuccess) e = cudaGetLastError();
    if (e != cudaSuccess) {
        remember(e);
        return false;
    }
    return true;
}

bool cuda_memcpy(void *dst, const void *src, size_t n) {
    if (!n) return true;
    cudaError_t e = cudaMemcpyAsync(dst, src, n, cudaMemcpyDefault, stream);
    if (e != cudaSuccess) {
        remember(e);
        return false;
    }
    return cuda_sync();
}

bool cuda_memset0(void *dst, size_t n) {
    if (!n) return true;
    cudaError_t e = cudaMemsetAsync(dst, 0, n, stream);
    cuda_pending = 1;
    if (e != cudaSuccess) {
        remember(e);
        return false;
    }
    return true;
}

void *cuda_stream(void) { return (void *)stream; }
}
