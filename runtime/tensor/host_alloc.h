/* host_alloc.h: a caching allocator for large tensor buffers.
 *
 * A fresh multi-megabyte block from malloc is a fresh mmap: every page
 * faults on first touch, which costs more than the arithmetic that fills
 * it. Like PyTorch's CUDA caching allocator, freed large blocks go to
 * size-class free lists and are reused; the cache holds at most
 * HOST_CACHE_MAX bytes. Blocks are 64-byte aligned. Small blocks go
 * straight to the C allocator. */
#ifndef TSR_HOST_ALLOC_H
#define TSR_HOST_ALLOC_H

#include <stddef.h>

#define HOST_CACHE_MIN ((size_t)256 << 10) /* blocks below this are not cached */
#define HOST_CACHE_MAX ((size_t)1 << 30)   /* most bytes kept in free lists */

/* Blocks of at most 4 KiB also come from small per-size stacks.
 * host_cache_enabled() is false under AddressSanitizer (every block then
 * goes back to the C allocator, so use-after-free stays detectable). */
int host_cache_enabled(void);
/* NULL on OOM (raises nothing). */
void *host_alloc(size_t nbytes);
/* nbytes: the value passed to host_alloc for p. NULL-safe. */
void host_free(void *p, size_t nbytes);
/* Frees every cached block (e.g. before reporting out of memory). */
void host_alloc_trim(void);

#endif
