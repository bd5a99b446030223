/* npy_format.h: numpy's .npy file format (numpy/lib/format.py, 1.24): the
 * header np.save writes (version 1.0) and the header np.load reads
 * (versions 1.0, 2.0, 3.0), with np.load's checks and error messages.
 *
 * The codec works on bytes in memory and allocates only its parse scratch
 * (bounded by the header's length); the caller reads/writes the file and
 * builds the array. Any input bytes are safe: truncated or corrupt headers
 * give numpy's error, never a crash; nesting depth and sizes are bounded.
 */
#ifndef TSR_NPY_FORMAT_H
#define TSR_NPY_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dtype.h"

/* numpy's NPY_MAXDIMS (a header may hold more; such a shape is refused) */
#define NPY_MAX_NDIM 32
/* Enough for every message npy_parse writes (header reprs included). */
#define NPY_ERR_CAP 65536

/* The Python exception an error maps to. */
typedef enum NpyErrKind {
    NPY_OK = 0,
    NPY_ERR_VALUE,       /* ValueError */
    NPY_ERR_TOKEN,       /* tokenize.TokenError (an unclosed bracket) */
    NPY_ERR_UNSUPPORTED, /* a valid numpy dtype tsr has no type for (TypeError) */
    NPY_ERR_TYPE,        /* TypeError (a bool in the shape) */
} NpyErrKind;

typedef struct NpyInfo {
    int major, minor;      /* format version */
    DType dtype;
    bool byteswap;         /* data stored big-endian: swap after reading */
    bool fortran_order;
    int ndim;
    int64_t shape[NPY_MAX_NDIM];
    size_t data_offset;    /* bytes before the data */
    int64_t count;         /* elements (the product of the shape) */
} NpyInfo;

/* The descr np.save writes for a dtype ('<f8', '|b1', ...); NULL for
 * bfloat16, which numpy has no type for. */
const char *npy_descr(DType dt);

/* np.save's header for an array of dtype dt and shape (fortran_order as
 * numpy decides it: F-contiguous and not C-contiguous). Writes at most
 * cap bytes and returns the header's full length (a multiple of 64);
 * the data follows it. dt must have a descr. */
size_t npy_write_header(uint8_t *out, size_t cap, DType dt, bool fortran_order,
                        const int64_t *shape, int ndim);

/* np.load's reading of a file's bytes buf[0..n): checks the magic, the
 * version, the header (as format._read_array_header) and that the data
 * holds count elements. On failure returns the kind and writes numpy's
 * message into err (NPY_ERR_CAP bytes). */
NpyErrKind npy_parse(const uint8_t *buf, size_t n, NpyInfo *info, char *err);

/* Swaps each element's bytes in place (big-endian data). */
void npy_byteswap(void *data, int64_t count, size_t itemsize);

#endif
