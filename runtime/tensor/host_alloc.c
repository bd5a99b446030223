/* host_alloc.c: size-class free lists for large buffers (see host_alloc.h). */
#include "host_alloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

/* Under AddressSanitizer every block goes back to the C allocator so that
 * use-after-free stays detectable. */
#if defined(__SANITIZE_ADDRESS__)
#define HOST_CACHE_ENABLED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_CACHE_ENABLED 0
#endif
#endif
#ifndef HOST_CACHE_ENABLED
#define HOST_CACHE_ENABLED 1
#endif

int host_cache_enabled(void) {
    return HOST_CACHE_ENABLED;
}

/* Size classes: 4 per power of two (at most 25% slack). */
#define SUB 4
#define NCLASS (64 * SUB)

typedef struct Block {
    struct Block *next;
} Block;

static Block *bins[NCLASS];
static size_t cached_bytes;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* class index and rounded size for n >= HOST_CACHE_MIN */
static int size_class(size_t n, size_t *rounded) {
    int lg = 63 - __builtin_clzll((unsigned long long)n); /* 2^lg <= n */
    size_t step = (size_t)1 << (lg - 2);
    size_t r = (n + step - 1) & ~(step - 1);
    if (r == ((size_t)1 << (lg + 1))) { /* rounded up into the next power */
        *rounded = r;
        return (lg + 1) * SUB;
    }
    *rounded = r;
    return lg * SUB + (int)((r >> (lg - 2)) - SUB);
}

/* Small blocks (most tensors are a few elements): per-64-byte-class stacks
 * of recently freed blocks, so that an op's result costs no trip through
 * malloc's memalign path. Tensors are created and freed on the
 * interpreter's thread only (kernels allocate nothing), so these stacks
 * take no lock; the large-block lists keep theirs. */
#define SMALL_MAX 4096
#define SMALL_KEEP 64
static void *small_bins[SMALL_MAX / 64][SMALL_KEEP];
static int small_count[SMALL_MAX / 64];

void *host_alloc(size_t nbytes) {
    size_t rounded = (nbytes + 63) & ~(size_t)63;
    if (!rounded) rounded = 64;
    if (HOST_CACHE_ENABLED && rounded <= SMALL_MAX) {
        int c = (int)(rounded / 64) - 1;
        if (small_count[c] > 0) return small_bins[c][--small_count[c]];
        return aligned_alloc(64, rounded);
    }
    if (!HOST_CACHE_ENABLED || rounded < HOST_CACHE_MIN) return aligned_alloc(64, rounded);
    int c = size_class(rounded, &rounded);
    pthread_mutex_lock(&mu);
    Block *b = bins[c];
    if (b) {
        bins[c] = b->next;
        cached_bytes -= rounded;
    }
    pthread_mutex_unlock(&mu);
    if (b) return b;
    void *p = aligned_alloc(4096, rounded);
    if (!p) {
        host_alloc_trim();
        p = aligned_alloc(4096, rounded);
    }
    return p;
}

void host_free(void *p, size_t nbytes) {
    if (!p) return;
    size_t rounded = (nbytes + 63) & ~(size_t)63;
    if (!rounded) rounded = 64;
    if (HOST_CACHE_ENABLED && rounded <= SMALL_MAX) {
        int c = (int)(rounded / 64) - 1;
        if (small_count[c] < SMALL_KEEP) small_bins[c][small_count[c]++] = p;
        else free(p);
        return;
    }
    if (!HOST_CACHE_ENABLED || rounded < HOST_CACHE_MIN) {
        free(p);
        return;
    }
    int c = size_class(rounded, &rounded);
    pthread_mutex_lock(&mu);
    if (cached_bytes + rounded <= HOST_CACHE_MAX) {
        Block *b = p;
        b->next = bins[c];
        bins[c] = b;
        cached_bytes += rounded;
        p = NULL;
    }
    pthread_mutex_unlock(&mu);
    free(p);
}

void host_alloc_trim(void) {
    pthread_mutex_lock(&mu);
    for (int c = 0; c < NCLASS; c++) {
        while (bins[c]) {
            Block *b = bins[c];
            bins[c] = b->next;
            free(b);
        }
    }
    cached_bytes = 0;
    for (int c = 0; c < SMALL_MAX / 64; c++)
        while (small_count[c] > 0) free(small_bins[c][--small_count[c]]);
    pthread_mutex_unlock(&mu);
}
