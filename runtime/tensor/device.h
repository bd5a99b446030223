/* device.h: devices for the op layer. Availability checks that raise
 * PyTorch's errors, the caching CUDA allocator with PyTorch's statistics,
 * and the same-device rule for ops with several tensor operands. */
#ifndef TSR_DEVICE_H
#define TSR_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cuda_kernels.h"
#include "table.h"
#include "tensor.h"

/* The CUDA backend's entry points (kernels/cuda/cuda_kernels.h), or NULL
 * in a build without CUDA, where no CUDA tensor can exist. */
extern const CudaKernels *const tsr_cuda;
/* The compute kernels of device d (kernels/cpu/table.h): cpu_kernels,
 * or the CUDA backend's for a CUDA device (which exists only in a build
 * with one). */
const Kernels *device_kernels(Device d);
/* st = device_kernels(dev)->name(...), or the CPU's entry after waiting
 * for the device when dev's returns KERNEL_UNSUPPORTED (device memory is
 * managed, so the host reaches it). The arguments are evaluated again
 * for the CPU call: pass plain expressions. */
#define DEVICE_RUN(st, dev, name, ...)                                      \
    do {                                                                    \
        const Kernels *k_ = device_kernels(dev);                            \
        (st) = k_ == &cpu_kernels ? KERNEL_UNSUPPORTED : k_->name(__VA_ARGS__); \
        if ((st) == KERNEL_UNSUPPORTED) {                                   \
            device_wait();                                                  \
            (st) = cpu_kernels.name(__VA_ARGS__);                           \
        }                                                                   \
    } while (0)
/* *out = scratch of nbytes for a kernel of k running on a tensor of
 * device dev: on dev for its own kernels, on the host for the CPU's (a
 * uint8 tensor; NULL when nbytes is 0). False with an error raised. */
bool device_scratch(const Kernels *k, Device dev, size_t nbytes, Tensor **out);
/* tsr_cuda->init(), or CUDA_NOT_BUILT without it (never NULL-unsafe). */
CudaState device_cuda_state(void);
/* 'n' built without CUDA, 'r' real, 'e' emulated (initialises nothing). */
char device_cuda_build(void);

/* Set once any tensor has been put on a CUDA device: checks that only
 * matter then cost one test before. */
extern bool device_cuda_used;

/* True when tensors may live on d; otherwise raises what PyTorch raises
 * (AssertionError "Torch not compiled with CUDA enabled" in a CPU-only
 * build, "Found no NVIDIA driver ..." / "No CUDA GPUs are available" /
 * "CUDA error: invalid device ordinal" at run time) and returns false. */
bool device_ensure(Device d);
/* "cuda" (no index) means the current device, cuda:0. */
static inline Device device_normalize(Device d) {
    if (d.type == DEV_CUDA && d.index < 0) d.index = 0;
    if (d.type == DEV_CPU) d.index = -1;
    return d;
}
static inline bool device_equal(Device a, Device b) {
    return a.type == b.type && (a.type == DEV_CPU || a.index == b.index);
}
/* The device of a creation op given no device=: the CPU, or cuda:0 when
 * the environment has TSR_DEFAULT_DEVICE=cuda (read once; a test switch
 * that runs the golden suite on the GPU, tests/run_golden_on_cuda). */
Device device_default(void);
/* "cpu", "cuda:0" (normalised) into buf; returns buf. */
const char *device_str(Device d, char *buf, size_t n);

/* PyTorch's rule for ops over several tensors: every operand on the same
 * device, except CPU zero-dim tensors, which mix with CUDA ones. NULL
 * entries are skipped. Raises "Expected all tensors to be on the same
 * device, but found at least two devices, cuda:0 and cpu!". */
bool device_check_same(Tensor *const *ts, int n);
/* The device of an op's result: the first operand that is not a CPU
 * zero-dim tensor (CPU when all are). */
static inline Device device_of_operands(Tensor *const *ts, int n) {
    if (device_cuda_used)
        for (int i = 0; i < n; i++)
            if (ts[i] && (ts[i]->storage->device.type != DEV_CPU || ts[i]->ndim != 0))
                return ts[i]->storage->device;
    return device_cpu();
}

/* Whether every element of t lies in [lo, hi] (NaN does not), checked by
 * a GPU kernel so that one byte comes back instead of t: 1 yes, 0 no,
 * -1 not checked (t not on a GPU, or no kernel: the caller's host loop
 * then checks, and raises PyTorch's error). For validations that must
 * raise on the host (index bounds, bernoulli's p) without reading every
 * element there. */
int device_all_in_range(Tensor *t, double lo, double hi);

/* The caching device allocator (as PyTorch's: a freed block is kept for
 * the next request of its size class; device_empty_cache returns them).
 * NULL with PyTorch's "CUDA out of memory" error raised. */
void *device_alloc(size_t nbytes);
void device_free(void *p, size_t nbytes);
void device_empty_cache(void);
int64_t device_memory_allocated(void);
int64_t device_max_memory_allocated(void);
int64_t device_memory_reserved(void);
void device_reset_peak_memory(void);

/* Waits for pending kernels (tensor.h's storage_host calls it). */
void device_wait(void);
/* Waits and raises a pending device error; false when one was raised. */
bool device_synchronize(void);

/* The GPU generator's state (Philox: a seed and an offset that each draw
 * advances); random.h's rng_cuda_* functions read and set it. */
extern uint64_t cuda_rng_seed, cuda_rng_offset;

/* One line for the REPL banner: "CUDA: NVIDIA H100 (cuda:0)", "CPU only:
 * built without CUDA", "CUDA build, no NVIDIA driver found", ... */
const char *device_banner(void);

#endif
