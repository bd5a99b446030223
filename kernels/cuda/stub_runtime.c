/* stub.c: the CUDA interface in a build without nvcc: no device, no
 * kernels (every op runs on the CPU; device='cuda' raises PyTorch's
 * "Torch not compiled with CUDA enabled"). */
#include <stddef.h>

#include "cuda_elementwise.h"
#include "tsr_cuda.h"

int cuda_pending = 0;

char cuda_build_kind(void) { return 'n'; }
CudaState cuda_init(void) { return CUDA_NOT_BUILT; }
int cuda_device_count(void) { return 0; }
const char *cuda_device_name(int index) { return ""; }
size_t cuda_total_memory(int index) { return 0; }
int cuda_driver_version(void) { return 0; }
const char *cuda_last_error(void) { return "built without CUDA"; }
void *cuda_raw_alloc(size_t nbytes) { return NULL; }
void cuda_raw_free(void *p) {}
bool cuda_sync(void) { return true; }
bool cuda_memcpy(void *dst, const void *src, size_t n) { return false; }
bool cuda_memset0(void *dst, size_t n) { return false; }
void *cuda_stream(void) { return NULL; }
