/* zipfile.c: PyTorch's zip container, read and written (zipfile.h). */
#include "zipfile.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

#define ALIGN 64 /* PyTorchStreamWriter's kFieldAlignment */

static uint32_t crc_table[256];
static bool crc_ready;

uint32_t zip_crc32(uint32_t crc, const void *data, size_t n) {
    if (!crc_ready) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            crc_table[i] = c;
        }
        crc_ready = true;
    }
    const uint8_t *p = data;
    crc = ~crc;
    for (size_t i = 0; i < n; i++) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static bool corrupt(const char *what) {
    tsr_raise(ERR_RuntimeError, "PytorchStreamReader failed reading zip archive: %s", what);
    return false;
}

void zip_reader_close(ZipReader *z) {
    for (int64_t i = 0; i < z->n; i++) free(z->entries[i].name);
    free(z->entries);
    z->entries = NULL;
    z->n = 0;
}

/* The zip64 extended information of a central directory entry: the fields
 * that hold 0xFFFFFFFF in the entry, in order. */
static bool zip64_fields(const uint8_t *extra, size_t len, uint64_t *usize, uint64_t *csize, uint64_t *offset) {
    size_t i = 0;
    while (i + 4 <= len) {
        uint16_t id = rd16(extra + i), n = rd16(extra + i + 2);
        if (i + 4 + n > len) return false;
        if (id == 1) {
            const uint8_t *f = extra + i + 4;
            size_t left = n;
            uint64_t *want[3] = {usize, csize, offset};
            for (int k = 0; k < 3; k++) {
                if (*want[k] != 0xFFFFFFFFu) continue;
                if (left < 8) return false;
                *want[k] = rd64(f);
                f += 8;
                left -= 8;
            }
            return true;
        }
        i += 4 + (size_t)n;
    }
    return true;
}

bool zip_reader_open(ZipReader *z, const uint8_t *data, size_t size) {
    memset(z, 0, sizeof *z);
    z->data = data;
    z->size = size;
    /* the end of central directory record: 22 bytes, a comment of up to 64 KiB after it */
    if (size < 22) return corrupt("failed finding central directory");
    size_t eocd = 0;
    bool found = false;
    size_t lowest = size > 22 + 65535 ? size - 22 - 65535 : 0;
    for (size_t p = size - 22 + 1; p-- > lowest;) {
        if (rd32(data + p) == 0x06054b50u) {
            eocd = p;
            found = true;
            break;
        }
    }
    if (!found) return corrupt("failed finding central directory");
    uint64_t count = rd16(data + eocd + 10), cd_size = rd32(data + eocd + 12), cd_off = rd32(data + eocd + 16);
    if (eocd >= 20 && rd32(data + eocd - 20) == 0x07064b50u) { /* zip64 locator */
        uint64_t z64 = rd64(data + eocd - 20 + 8);
        if (z64 > size - 56 || size < 56 || rd32(data + z64) != 0x06064b50u)
            return corrupt("failed finding central directory");
        count = rd64(data + z64 + 32);
        cd_size = rd64(data + z64 + 40);
        cd_off = rd64(data + z64 + 48);
    }
    if (cd_off > size || cd_size > size - cd_off || count > cd_size / 46 + 1)
        return corrupt("failed finding central directory");
    if (count == 0) return true;
    if (!(z->entries = tsr_calloc(count, sizeof *z->entries))) return false;
    size_t p = (size_t)cd_off, end = (size_t)(cd_off + cd_size);
    for (uint64_t i = 0; i < count; i++) {
        if (end - p < 46 || rd32(data + p) != 0x02014b50u) {
            zip_reader_close(z);
            return corrupt("invalid header or archive is corrupted");
        }
        uint16_t method = rd16(data + p + 10);
        uint64_t csize = rd32(data + p + 20), usize = rd32(data + p + 24);
        size_t nlen = rd16(data + p + 28), xlen = rd16(data + p + 30), clen = rd16(data + p + 32);
        uint64_t local = rd32(data + p + 42);
        if (end - p - 46 < nlen + xlen + clen ||
            !zip64_fields(data + p + 46 + nlen, xlen, &usize, &csize, &local)) {
            zip_reader_close(z);
            return corrupt("invalid header or archive is corrupted");
        }
        ZipEntry *e = &z->entries[z->n];
        if (!(e->name = tsr_strndup((const char *)data + p + 46, nlen))) {
            zip_reader_close(z);
            return false;
        }
        z->n++;
        /* the data follows the local header, whose name and extra lengths may differ */
        if (local > size || size - local < 30 || rd32(data + local) != 0x04034b50u) {
            zip_reader_close(z);
            return corrupt("invalid header or archive is corrupted");
        }
        uint64_t start = local + 30 + rd16(data + local + 26) + rd16(data + local + 28);
        if (start > size || csize > size - start || (method == 0 && csize != usize)) {
            zip_reader_close(z);
            return corrupt("invalid header or archive is corrupted");
        }
        if (method != 0) {
            tsr_raise(ERR_RuntimeError, "PytorchStreamReader failed reading file %s: unsupported compression method %u "
                      "(tsr reads stored entries only)", e->name, method);
            zip_reader_close(z);
            return false;
        }
        e->offset = start;
        e->size = csize;
        p += 46 + nlen + xlen + clen;
    }
    return true;
}

const ZipEntry *zip_reader_find(const ZipReader *z, const char *name) {
    for (int64_t i = 0; i < z->n; i++)
        if (strcmp(z->entries[i].name, name) == 0) return &z->entries[i];
    return NULL;
}

/* ---- writing ---- */

static bool reserve(ZipWriter *z, size_t n) {
    if (z->cap - z->len >= n) return true;
    size_t cap = z->cap ? z->cap : 4096;
    while (cap - z->len < n) {
        if (cap > SIZE_MAX / 2) {
            tsr_raise_oom(n);
            return false;
        }
        cap *= 2;
    }
    uint8_t *b = tsr_realloc(z->buf, cap);
    if (!b) return false;
    z->buf = b;
    z->cap = cap;
    return true;
}

static void put(ZipWriter *z, const void *p, size_t n) {
    memcpy(z->buf + z->len, p, n);
    z->len += n;
}
static void put16(ZipWriter *z, uint16_t v) {
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    put(z, b, 2);
}
static void put32(ZipWriter *z, uint32_t v) {
    put16(z, (uint16_t)v);
    put16(z, (uint16_t)(v >> 16));
}
static void put64(ZipWriter *z, uint64_t v) {
    put32(z, (uint32_t)v);
    put32(z, (uint32_t)(v >> 32));
}

bool zip_writer_add(ZipWriter *z, const char *name, const void *data, size_t n) {
    size_t nlen = strlen(name);
    /* padding so the data starts on a multiple of ALIGN; the "FB" field
     * needs 4 bytes of its own, so a gap under 4 takes another ALIGN */
    size_t at = z->len + 30 + nlen, pad = (ALIGN - at % ALIGN) % ALIGN;
    if (pad != 0 && pad < 4) pad += ALIGN;
    if (nlen > 0xFFFF || n > 0xFFFFFFFEu) {
        tsr_raise(ERR_RuntimeError, "tsr cannot write a record of %zu bytes (zip64 records are not written)", n);
        return false;
    }
    if (z->n == z->ncap) {
        int64_t cap = z->ncap ? z->ncap * 2 : 8;
        void *f = tsr_realloc(z->files, (size_t)cap * sizeof *z->files);
        if (!f) return false;
        z->files = f;
        z->ncap = cap;
    }
    char *copy = tsr_strdup(name);
    if (!copy || !reserve(z, 30 + nlen + pad + n + 16)) {
        free(copy);
        return false;
    }
    uint32_t crc = zip_crc32(0, data, n);
    z->files[z->n++] = (struct ZipWritten){copy, z->len, n, crc};
    put32(z, 0x04034b50u);
    put16(z, 0);       /* version needed */
    put16(z, 0x0808);  /* a data descriptor follows; UTF-8 names */
    put16(z, 0);       /* stored */
    put32(z, 0);       /* time, date */
    put32(z, 0);       /* crc, sizes: in the descriptor */
    put32(z, 0);
    put32(z, 0);
    put16(z, (uint16_t)nlen);
    put16(z, (uint16_t)pad);
    put(z, name, nlen);
    if (pad) {
        put16(z, 0x4246); /* "FB" */
        put16(z, (uint16_t)(pad - 4));
        memset(z->buf + z->len, 'Z', pad - 4);
        z->len += pad - 4;
    }
    if (n) put(z, data, n);
    put32(z, 0x08074b50u);
    put32(z, crc);
    put32(z, (uint32_t)n);
    put32(z, (uint32_t)n);
    return true;
}

bool zip_writer_finish(ZipWriter *z) {
    size_t need = 56 + 20 + 22;
    for (int64_t i = 0; i < z->n; i++) need += 46 + strlen(z->files[i].name);
    if (!reserve(z, need)) return false;
    uint64_t cd = z->len;
    for (int64_t i = 0; i < z->n; i++) {
        const struct ZipWritten *f = &z->files[i];
        size_t nlen = strlen(f->name);
        put32(z, 0x02014b50u);
        put16(z, 0);      /* made by */
        put16(z, 0);      /* needed */
        put16(z, 0x0808);
        put16(z, 0);
        put32(z, 0);      /* time, date */
        put32(z, f->crc);
        put32(z, (uint32_t)f->size);
        put32(z, (uint32_t)f->size);
        put16(z, (uint16_t)nlen);
        put16(z, 0);      /* extra */
        put16(z, 0);      /* comment */
        put16(z, 0);      /* disk */
        put16(z, 0);      /* internal attributes */
        put32(z, 0);      /* external attributes */
        put32(z, (uint32_t)f->header);
        put(z, f->name, nlen);
    }
    uint64_t cd_size = z->len - cd, z64 = z->len;
    put32(z, 0x06064b50u); /* zip64 end of central directory, as miniz writes it */
    put64(z, 44);
    put16(z, 0x031e);
    put16(z, 0x002d);
    put32(z, 0);
    put32(z, 0);
    put64(z, (uint64_t)z->n);
    put64(z, (uint64_t)z->n);
    put64(z, cd_size);
    put64(z, cd);
    put32(z, 0x07064b50u); /* its locator */
    put32(z, 0);
    put64(z, z64);
    put32(z, 1);
    put32(z, 0x06054b50u);
    put16(z, 0);
    put16(z, 0);
    put16(z, (uint16_t)(z->n > 0xFFFF ? 0xFFFF : z->n));
    put16(z, (uint16_t)(z->n > 0xFFFF ? 0xFFFF : z->n));
    put32(z, cd_size > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)cd_size);
    put32(z, cd > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)cd);
    put16(z, 0);
    return true;
}

void zip_writer_free(ZipWriter *z) {
    for (int64_t i = 0; i < z->n; i++) free(z->files[i].name);
    free(z->files);
    free(z->buf);
    memset(z, 0, sizeof *z);
}
