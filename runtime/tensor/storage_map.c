/* storage_map.c: a CPU storage over a file mapped into memory, as ATen's
 * MapAllocator makes for torch.from_file: MAP_SHARED (writes reach the
 * file) or MAP_PRIVATE (copy on write). The storage owns the mapping and
 * unmaps it when its last reference goes. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "host_alloc.h"
#include "tensor.h"

typedef struct {
    void *base;
    size_t len;
} FileMapping;

static void mapping_release(void *owner) {
    FileMapping *m = owner;
    if (m->base) munmap(m->base, m->len);
    free(m);
}

/* MapAllocator's messages end with strerror(errno) and errno */
static void raise_errno(const char *fmt, const char *name) {
    int e = errno;
    tsr_raise(ERR_RuntimeError, fmt, name, strerror(e), e);
}

Storage *storage_map_file(const char *path, bool shared, int64_t nbytes) {
    const char *name = *path ? path : "filename not specified";
    FileMapping *m = tsr_calloc(1, sizeof *m);
    if (!m) return NULL;
    Storage *s = NULL;
    int fd = -1;
    if (nbytes == 0) { /* MapAllocator maps nothing and opens nothing */
        s = storage_external(NULL, 0, mapping_release, m);
        if (!s) free(m);
        return s;
    }
    if ((fd = open(path, shared ? O_RDWR | O_CREAT : O_RDONLY, (mode_t)0600)) == -1) {
        raise_errno(shared ? "unable to open file <%s> in read-write mode: %s (%d)"
                           : "unable to open file <%s> in read-only mode: %s (%d)",
                    name);
        goto fail;
    }
    struct stat st;
    if (fstat(fd, &st) == -1) {
        raise_errno("unable to stat the file <%s>: %s (%d)", name);
        goto fail;
    }
    /* ATen compares the byte count as a signed number here, so a negative
     * one passes on to mmap, which refuses it */
    if (nbytes > (int64_t)st.st_size) {
        if (!shared) {
            tsr_raise(ERR_RuntimeError, "file <%s> size is smaller than the required mapping size <%lld>", name,
                      (long long)nbytes);
            goto fail;
        }
        if (ftruncate(fd, (off_t)nbytes) == -1) {
            raise_errno("unable to resize file <%s> to the right size: %s (%d)", name);
            goto fail;
        }
        if (fstat(fd, &st) == -1 || (int64_t)st.st_size < nbytes) {
            raise_errno("unable to stretch file <%s> to the right size: %s (%d)", name);
            goto fail;
        }
        /* as MapAllocator does: one NUL byte written at the file's start */
        if (write(fd, "", 1) != 1) {
            raise_errno("unable to write to file <%s>: %s (%d)", name);
            goto fail;
        }
    }
    m->len = (size_t)nbytes; /* a negative count is a huge one, as in ATen */
    void *base = mmap(NULL, m->len, PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
    if (base == MAP_FAILED) {
        int e = errno;
        tsr_raise(ERR_RuntimeError, "unable to mmap %lld bytes from file <%s>: %s (%d)", (long long)nbytes, name,
                  strerror(e), e);
        goto fail;
    }
    m->base = base;
    close(fd);
    fd = -1;
    if (!(s = storage_external(base, nbytes, mapping_release, m))) goto fail;
    return s;
fail:
    if (fd != -1) close(fd);
    mapping_release(m);
    return NULL;
}
