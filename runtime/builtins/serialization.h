/* serialization.h: torch.save / torch.load's parts. The pickle codec
 * (protocol 2, as torch.save writes data.pkl) is serialization_pickle.c
 * (writing) and serialization_unpickle.c (reading, which runs nothing a
 * file names: it knows a fixed set of globals); serialization.c binds
 * torch.save / torch.load over the zip container (runtime/base/zipfile.c). */
#ifndef TSR_SERIALIZATION_H
#define TSR_SERIALIZATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"
#include "zipfile.h"

/* The storages a pickle refers to, in order of first use: key i is "i". */
typedef struct {
    Storage **items;
    DType *dtypes;
    int64_t n, cap;
} SavedStorages;

/* Pickles obj (protocol 2) into out; tensors become persistent ids naming
 * their storage, which is added to st. False with the error raised. */
bool pickle_dump(Value *obj, PyBuf *out, SavedStorages *st);
void saved_storages_free(SavedStorages *st);

/* Where load puts the storages: torch.load's map_location (NULL or None:
 * where they were saved). */
typedef struct {
    const ZipReader *zip;   /* NULL: no storages (the legacy header) */
    const char *prefix;     /* "archive/" */
    Value *map_location;    /* borrowed */
} UnpickleContext;

/* Unpickles data; a new reference, or NULL with Python's or PyTorch's
 * error (never a half-built value). */
Value *pickle_load(const uint8_t *data, size_t size, const UnpickleContext *ctx);

/* torch.load over an archive (or legacy file) held in memory: what
 * torch.load does after reading its file, and what the fuzzer feeds. */
Value *torch_load_bytes(const uint8_t *data, size_t size, Value *map_location);

#endif
