/* zipfile.h: the zip container of PyTorch's checkpoints (torch.save's
 * format): entries stored uncompressed, each record's data aligned to 64
 * bytes by an "FB" padding field, CRC-32 in data descriptors, a zip64 end
 * of central directory, as PyTorch's writer (caffe2's
 * PyTorchStreamWriter over miniz) lays them out. No language dependency.
 *
 * Errors are raised (RuntimeError) in PyTorch's words: "PytorchStreamReader
 * failed reading zip archive: failed finding central directory". */
#ifndef TSR_ZIPFILE_H
#define TSR_ZIPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint32_t zip_crc32(uint32_t crc, const void *data, size_t n);

/* --- reading: an archive held in memory (borrowed for the reader's life) --- */
typedef struct {
    char *name;        /* as stored, NUL-terminated */
    uint64_t offset;   /* of the entry's data in the archive */
    uint64_t size;     /* stored bytes */
} ZipEntry;

typedef struct {
    const uint8_t *data;
    size_t size;
    ZipEntry *entries;
    int64_t n;
} ZipReader;

/* Parses the central directory; false with PyTorch's RuntimeError. */
bool zip_reader_open(ZipReader *z, const uint8_t *data, size_t size);
void zip_reader_close(ZipReader *z);
/* The entry named name, NULL (no error) when absent. */
const ZipEntry *zip_reader_find(const ZipReader *z, const char *name);

/* --- writing: the archive is built in memory --- */
typedef struct {
    uint8_t *buf;
    size_t len, cap;
    struct ZipWritten { char *name; uint64_t header; uint64_t size; uint32_t crc; } *files;
    int64_t n, ncap;
} ZipWriter;

/* Adds a record (stored, aligned to 64 bytes); false on OOM, raised. */
bool zip_writer_add(ZipWriter *z, const char *name, const void *data, size_t n);
/* Writes the central directory and its end records. */
bool zip_writer_finish(ZipWriter *z);
void zip_writer_free(ZipWriter *z);

#endif
