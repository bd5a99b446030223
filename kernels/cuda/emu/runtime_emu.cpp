// runtime_emu.cpp: the emulated CUDA device of the test builds.
//
// "Device" memory is host memory and TSR_LAUNCH runs every (block, thread)
// of a kernel in turn on the calling thread (cuda_compat.h), so a machine
// without a GPU runs every CUDA kernel and all of the device plumbing.
// Launches are synchronous; cuda_pending is still set and cleared so the
// host accessors' waiting is exercised. The device reports 4 GiB unless
// TSR_EMU_MEMORY (bytes) says otherwise, so out-of-memory paths can be
// tested.
#include <cstdlib>
#include <cstring>

#include "tsr_cuda.h"

thread_local int64_t tsr_emu_tid, tsr_emu_nthreads;

extern "C" {

int cuda_pending = 0;

char cuda_build_kind(void) { return 'e'; }
CudaState cuda_init(void) { return CUDA_READY; }
int cuda_device_count(void) { return 1; }
const char *cuda_device_name(int index) { return index == 0 ? "tsr emulated CUDA device" : ""; }
size_t cuda_total_memory(int index) {
    const char *s = getenv("TSR_EMU_MEMORY");
    return s ? (size_t)strtoull(s, nullptr, 10) : (size_t)4 << 30;
}
int cuda_driver_version(void) { return 0; }
const char *cuda_last_error(void) { return "no error"; }
void *cuda_raw_alloc(size_t nbytes) { return aligned_alloc(256, (nbytes + 255) / 256 * 256); }
void cuda_raw_free(void *p) { free(p); }
bool cuda_sync(void) {
    cuda_pending = 0;
    return true;
}
bool cuda_memcpy(void *dst, const void *src, size_t n) {
    cuda_pending = 0;
    if (n) memmove(dst, src, n);
    return true;
}
bool cuda_memset0(void *dst, size_t n) {
    if (n) memset(dst, 0, n);
    return true;
}
void *cuda_stream(void) { return nullptr; }
}
