/* tsr_cuda.h: the plain-C interface of the CUDA device runtime.
 *
 * Three implementations, picked by the Makefile:
 *   runtime.cu      the real one (nvcc found): CUDA runtime API, one stream,
 *                   managed memory (see docs/cuda.md for why);
 *   runtime_emu.cpp the emulated device of the test build (build-emu/):
 *                   "device" memory is host memory and kernels run on the
 *                   host, thread by thread, so CI without a GPU still runs
 *                   every CUDA kernel and the whole device plumbing;
 *   (none)          the CPU-only build links no kernels/cuda object: tsr_cuda
 *                   (runtime/tensor/device.c) is NULL.
 * Kernel families have their own headers (cuda_elementwise.h, ...). */
#ifndef TSR_CUDA_H
#define TSR_CUDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CUDA_READY = 0,
    CUDA_NOT_BUILT,  /* tsr built without nvcc */
    CUDA_NO_DRIVER,  /* no libcuda */
    CUDA_OLD_DRIVER, /* a driver older than the CUDA runtime tsr was built with */
    CUDA_NO_DEVICE,  /* driver but no GPU */
    CUDA_INIT_FAILED /* anything else: cuda_last_error() says what */
} CudaState;

/* 'n' none, 'r' real, 'e' emulated. Never initialises anything. */
char cuda_build_kind(void);
/* Initialises the device runtime on first call; later calls return the
 * same state. Cheap after the first call. */
CudaState cuda_init(void);
int cuda_device_count(void);              /* 0 unless CUDA_READY */
const char *cuda_device_name(int index);  /* "" when unknown */
size_t cuda_total_memory(int index);      /* bytes, 0 when unknown */
const char *cuda_last_error(void);        /* text of the last failure */
/* The driver's CUDA version as 1000 * major + 10 * minor (0: none). */
int cuda_driver_version(void);

/* Raw device memory (no cache; runtime/device_alloc.c caches on top).
 * Memory is reachable from the host too (managed), but host code must call
 * cuda_sync() before touching it while kernels may be pending. NULL on OOM. */
void *cuda_raw_alloc(size_t nbytes);
void cuda_raw_free(void *p);

/* Kernels were launched and not yet waited for. */
extern int cuda_pending;
/* Waits for every launched kernel; false on a device error (raised by the
 * caller from cuda_last_error()). */
bool cuda_sync(void);
/* Copies n bytes between any two addresses (host or device); waits. */
bool cuda_memcpy(void *dst, const void *src, size_t n);
/* Sets n bytes to zero, asynchronously. */
bool cuda_memset0(void *dst, size_t n);
/* The stream kernels launch on (a cudaStream_t; NULL in emulation). */
void *cuda_stream(void);

#ifdef __cplusplus
}
#endif

#endif
