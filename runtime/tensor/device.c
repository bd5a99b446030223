/* device.c: the devices this build has (tsr_cuda), availability, the
 * caching CUDA allocator, and the same-device rule. The device runtime
 * itself is kernels/cuda/tsr_cuda.h, reached through tsr_cuda. */
#include "device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

/* The one place that knows whether the CUDA backend is linked in: the
 * Makefile defines TSR_WITH_CUDA for the real and the emulated device. */
#ifdef TSR_WITH_CUDA
const CudaKernels *const tsr_cuda = &cuda_kernel_table;
static const Kernels *const cuda_compute = &cuda_compute_table;
#else
const CudaKernels *const tsr_cuda = NULL;
static const Kernels *const cuda_compute = NULL;
#endif

const Kernels *device_kernels(Device d) {
    return d.type == DEV_CUDA && cuda_compute ? cuda_compute : &cpu_kernels;
}

bool device_scratch(const Kernels *k, Device dev, size_t nbytes, Tensor **out) {
    int64_t n = (int64_t)nbytes;
    *out = n ? tensor_empty(DT_UINT8, 1, &n, k == &cpu_kernels ? device_cpu() : dev) : NULL;
    return !n || *out;
}

CudaState device_cuda_state(void) { return tsr_cuda ? tsr_cuda->init() : CUDA_NOT_BUILT; }
char device_cuda_build(void) { return tsr_cuda ? tsr_cuda->build_kind() : 'n'; }

bool device_cuda_used = false;

uint64_t cuda_rng_seed = 67280421310721ULL, cuda_rng_offset; /* PyTorch's default seed */

const char *device_str(Device d, char *buf, size_t n) {
    d = device_normalize(d);
    if (d.type == DEV_CPU) snprintf(buf, n, "cpu");
    else snprintf(buf, n, "cuda:%d", d.index);
    return buf;
}

Device device_default(void) {
    static int state; /* 0: not read yet, 1: cpu, 2: cuda */
    if (!state) {
        const char *e = getenv("TSR_DEFAULT_DEVICE");
        state = e && !strcmp(e, "cuda") ? 2 : 1;
    }
    if (state == 2) return (Device){DEV_CUDA, 0};
    return device_cpu();
}

bool device_ensure(Device d) {
    if (d.type == DEV_CPU) return true;
    switch (device_cuda_state()) {
    case CUDA_READY: break;
    case CUDA_NOT_BUILT:
        tsr_raise(ERR_AssertionError, "%s", "Torch not compiled with CUDA enabled");
        return false;
    case CUDA_NO_DRIVER:
        tsr_raise(ERR_RuntimeError, "%s",
                  "Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU "
                  "and installed a driver from http://www.nvidia.com/Download/index.aspx");
        return false;
    case CUDA_OLD_DRIVER:
        tsr_raise(ERR_RuntimeError,
                  "The NVIDIA driver on your system is too old (found version %d). Please update your "
                  "GPU driver by downloading and installing a new version from the URL: "
                  "http://www.nvidia.com/Download/index.aspx Alternatively, go to: https://pytorch.org "
                  "to install a PyTorch version that has been compiled with your version of the CUDA "
                  "driver.",
                  tsr_cuda->driver_version());
        return false;
    case CUDA_NO_DEVICE:
        tsr_raise(ERR_RuntimeError, "%s", "No CUDA GPUs are available");
        return false;
    default:
        tsr_raise(ERR_RuntimeError, "CUDA error: %s", tsr_cuda->last_error());
        return false;
    }
    if (d.index >= tsr_cuda->device_count()) {
        tsr_raise(ERR_RuntimeError, "%s",
                  "CUDA error: invalid device ordinal\n"
                  "CUDA kernel errors might be asynchronously reported at any other API call,so the "
                  "stacktrace below might be incorrect.\n"
                  "For debugging consider passing CUDA_LAUNCH_BLOCKING=1.");
        return false;
    }
    device_cuda_used = true;
    return true;
}

int device_all_in_range(Tensor *t, double lo, double hi) {
    if (!tensor_is_cuda(t)) return -1;
    Tensor *flag = tensor_zeros(DT_UINT8, 0, NULL, t->storage->device);
    if (!flag) {
        tsr_err_clear(); /* the caller's host loop checks instead */
        return -1;
    }
    int r = -1;
    if (tsr_cuda->range_check(t->dtype, t->ndim, t->shape, t->stride, tensor_ptr(t), lo, hi,
                         (uint8_t *)tensor_ptr(flag)) == KERNEL_OK)
        r = *(const uint8_t *)tensor_data(flag) == 0;
    tensor_release(flag);
    return r;
}

static bool is_cpu_scalar(const Tensor *t) { return t->storage->device.type == DEV_CPU && t->ndim == 0; }

bool device_check_same(Tensor *const *ts, int n) {
    if (!device_cuda_used) return true;
    const Tensor *first = NULL;
    for (int i = 0; i < n; i++) {
        const Tensor *t = ts[i];
        if (!t) continue;
        if (!first) {
            first = t;
            continue;
        }
        Device a = first->storage->device, b = t->storage->device;
        if (device_equal(a, b)) continue;
        /* a CPU zero-dim tensor mixes with a CUDA one */
        if (is_cpu_scalar(t) && a.type == DEV_CUDA) continue;
        if (is_cpu_scalar(first) && b.type == DEV_CUDA) {
            first = t;
            continue;
        }
        char s1[16], s2[16];
        tsr_raise(ERR_RuntimeError,
                  "Expected all tensors to be on the same device, but found at least two devices, %s and %s!",
                  device_str(a, s1, sizeof s1), device_str(b, s2, sizeof s2));
        return false;
    }
    return true;
}

/* ---- the caching allocator ----
 * Sizes round up to 512 bytes as PyTorch's allocator does, so
 * memory_allocated() reports what PyTorch reports. Freed blocks wait in a
 * small table keyed by exact rounded size. */
#define CACHE_SLOTS 4096
typedef struct {
    void *p;
    size_t size;
} Block;
static Block cache[CACHE_SLOTS];
static int n_cached;
static int64_t allocated, max_allocated, reserved;

static size_t round_size(size_t n) { return n < 512 ? 512 : (n + 511) / 512 * 512; }

static void raise_oom(size_t want) {
    size_t total = tsr_cuda->total_memory(0);
    double gib = 1024.0 * 1024.0 * 1024.0;
    char want_s[32];
    if (want >= (size_t)1 << 30) snprintf(want_s, sizeof want_s, "%.2f GiB", want / gib);
    else if (want >= (size_t)1 << 20) snprintf(want_s, sizeof want_s, "%.2f MiB", want / (1024.0 * 1024.0));
    else snprintf(want_s, sizeof want_s, "%.2f KiB", want / 1024.0);
    double free_b = (double)total - (double)reserved;
    if (free_b < 0) free_b = 0;
    tsr_raise(ERR_RuntimeError,
              "CUDA out of memory. Tried to allocate %s (GPU 0; %.2f GiB total capacity; %.2f GiB already "
              "allocated; %.2f GiB free; %.2f GiB reserved in total by PyTorch) If reserved memory is >> "
              "allocated memory try setting max_split_size_mb to avoid fragmentation.  See documentation "
              "for Memory Management and PYTORCH_CUDA_ALLOC_CONF",
              want_s, total / gib, allocated / gib, free_b / gib, reserved / gib);
}

void *device_alloc(size_t nbytes) {
    size_t size = round_size(nbytes);
    for (int i = n_cached - 1; i >= 0; i--) {
        if (cache[i].size != size) continue;
        void *p = cache[i].p;
        cache[i] = cache[--n_cached];
        allocated += (int64_t)size;
        if (allocated > max_allocated) max_allocated = allocated;
        return p;
    }
    /* Managed memory can oversubscribe the GPU; PyTorch's cannot, and a
     * tensor beyond the card's memory should fail as it does there. */
    size_t total = tsr_cuda->total_memory(0);
    if (total && (size > total || (size_t)reserved + size > total)) {
        device_empty_cache();
        if (size > total || (size_t)reserved + size > total) {
            raise_oom(size);
            return NULL;
        }
    }
    void *p = tsr_cuda->raw_alloc(size);
    if (!p) {
        device_empty_cache();
        p = tsr_cuda->raw_alloc(size);
    }
    if (!p) {
        raise_oom(size);
        return NULL;
    }
    reserved += (int64_t)size;
    allocated += (int64_t)size;
    if (allocated > max_allocated) max_allocated = allocated;
    return p;
}

void device_free(void *p, size_t nbytes) {
    if (!p) return;
    size_t size = round_size(nbytes);
    allocated -= (int64_t)size;
    if (n_cached < CACHE_SLOTS) {
        cache[n_cached].p = p;
        cache[n_cached].size = size;
        n_cached++;
        return;
    }
    /* the freed block may still be in use by a pending kernel */
    device_wait();
    tsr_cuda->raw_free(p);
    reserved -= (int64_t)size;
}

void device_empty_cache(void) {
    if (n_cached) device_wait();
    for (int i = 0; i < n_cached; i++) {
        tsr_cuda->raw_free(cache[i].p);
        reserved -= (int64_t)cache[i].size;
    }
    n_cached = 0;
}

int64_t device_memory_allocated(void) { return allocated; }
int64_t device_max_memory_allocated(void) { return max_allocated; }
int64_t device_memory_reserved(void) { return reserved; }
void device_reset_peak_memory(void) { max_allocated = allocated; }

void device_wait(void) {
    if (!tsr_cuda || !*tsr_cuda->pending) return;
    tsr_cuda->sync(); /* an error stays with the runtime; device_synchronize reports it */
}

bool device_synchronize(void) {
    if (!tsr_cuda || tsr_cuda->sync()) return true;
    tsr_raise(ERR_RuntimeError, "CUDA error: %s", tsr_cuda->last_error());
    return false;
}

/* The first GPU's model as the NVIDIA driver lists it, without starting
 * CUDA (that costs a tenth of a second; the REPL starts in milliseconds). */
static bool probe_gpu_model(char *out, size_t n) {
    FILE *ls = popen("ls /proc/driver/nvidia/gpus 2>/dev/null | head -1", "r");
    char bus[128] = "";
    if (!ls) return false;
    bool got = fgets(bus, sizeof bus, ls) != NULL;
    pclose(ls);
    if (!got) return false;
    bus[strcspn(bus, "\n")] = 0;
    char path[512];
    snprintf(path, sizeof path, "/proc/driver/nvidia/gpus/%s/information", bus);
    FILE *f = fopen(path, "r");
    if (!f) return false;
    char line[256];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, "Model:", 6)) continue;
        char *m = line + 6;
        while (*m == ' ' || *m == '\t') m++;
        m[strcspn(m, "\n")] = 0;
        snprintf(out, n, "%.120s", m);
        found = true;
    }
    fclose(f);
    return found;
}

const char *device_banner(void) {
    static char buf[200];
    char model[128];
    switch (device_cuda_build()) {
    case 'n': return "CPU only: built without CUDA";
    case 'e':
        snprintf(buf, sizeof buf, "CUDA: %s (cuda:0)", tsr_cuda->device_name(0));
        return buf;
    default:
        if (access("/dev/nvidiactl", F_OK) != 0 && access("/proc/driver/nvidia", F_OK) != 0)
            return "CPU only: CUDA build, but no NVIDIA driver found";
        if (probe_gpu_model(model, sizeof model)) {
            snprintf(buf, sizeof buf, "CUDA: %s (cuda:0)", model);
            return buf;
        }
        return "CUDA build: NVIDIA driver found, GPU initialised on first use";
    }
}
