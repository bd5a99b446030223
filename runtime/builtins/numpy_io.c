/* numpy_io.c: np.save and np.load for .npy files (numpy/lib/npyio.py and
 * format.py, numpy 1.24), over the codec of tensor/npy_format.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "npy_format.h"
#include "numpy.h"
#include "ops.h"
#include "stdlib_os.h"

/* numpy's own limit on what np.load reads whole: a file over this is
 * refused rather than read (tsr reads the file into memory first). */
#define NPY_LOAD_MAX_BYTES (1ull << 36)

/* f-contiguous and not c-contiguous: numpy writes fortran_order=True */
static bool f_contiguous_only(const Tensor *t)
{
    if (t->ndim < 2 || tensor_is_contiguous(t)) return false;
    int64_t expect = 1;
    for (int i = 0; i < t->ndim; i++) {
        if (t->shape[i] != 1 && t->stride[i] != expect) return false;
        expect *= t->shape[i];
    }
    return true;
}

static Value *np_save(Value *self, const CallArgs *a)
{
    Value *v[4] = {0};
    if (!args_parse(a, 0, "save", "file, arr, allow_pickle=, fix_imports=", v)) return NULL;
    const char *path;
    if (!os_path_arg(NULL, v[0], &path)) return NULL;
    Tensor *t = np_tensor_of(v[1]);
    if (!t) return NULL;
    if (!npy_descr(t->dtype)) {
        tensor_release(t);
        tsr_raise(ERR_TypeError, "tsr: np.save of a %s array: numpy has no such dtype", dtype_name(t->dtype));
        return NULL;
    }
    bool fortran = f_contiguous_only(t);
    /* F order: the transpose is C-contiguous in the same memory */
    Tensor *data;
    if (fortran) {
        int64_t perm[TSR_MAX_DIMS];
        for (int i = 0; i < t->ndim; i++) perm[i] = t->ndim - 1 - i;
        Tensor *tt = op_permute(t, t->ndim, perm);
        data = tt ? tensor_contiguous(tt) : NULL;
        tensor_release(tt);
    } else
        data = tensor_contiguous(t);
    if (!data) {
        tensor_release(t);
        return NULL;
    }
    size_t plen = strlen(path);
    char *name = tsr_malloc(plen + 5);
    Value *r = NULL;
    if (name) {
        memcpy(name, path, plen + 1);
        if (plen < 4 || strcmp(path + plen - 4, ".npy") != 0) memcpy(name + plen, ".npy", 5);
        uint8_t header[4096];
        size_t hlen = npy_write_header(header, sizeof header, t->dtype, fortran, t->shape, t->ndim);
        FILE *f = fopen(name, "wb");
        if (!f)
            raise_os_error(errno, name, NULL);
        else {
            size_t nbytes = (size_t)tensor_numel(data) * dtype_size(data->dtype);
            bool ok = fwrite(header, 1, hlen, f) == hlen && fwrite(tensor_data(data), 1, nbytes, f) == nbytes;
            int e = errno;
            if (fclose(f) != 0 && ok) {
                ok = false;
                e = errno;
            }
            if (!ok)
                raise_os_error(e, name, NULL);
            else
                r = val_none();
        }
        free(name);
    }
    tensor_release(data);
    tensor_release(t);
    return r;
}

static uint8_t *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        raise_os_error(errno, path, NULL);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = tsr_malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
        if (len == cap) {
            if (cap >= NPY_LOAD_MAX_BYTES) {
                free(buf);
                buf = NULL;
                tsr_raise(ERR_ValueError, "tsr: np.load: file '%s' is too large", path);
                break;
            }
            uint8_t *nb = tsr_realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    *n = len;
    return buf;
}

static Value *np_load(Value *self, const CallArgs *a)
{
    Value *v[6] = {0};
    if (!args_parse(a, 0, "load", "file, mmap_mode=, allow_pickle=, fix_imports=, encoding=, max_header_size=", v))
        return NULL;
    const char *path;
    if (!os_path_arg(NULL, v[0], &path)) return NULL;
    size_t n;
    uint8_t *buf = read_all(path, &n);
    if (!buf) return NULL;
    NpyInfo info;
    char *err = tsr_malloc(NPY_ERR_CAP);
    if (!err) {
        free(buf);
        return NULL;
    }
    NpyErrKind k = npy_parse(buf, n, &info, err);
    Tensor *t = NULL;
    if (k == NPY_ERR_TOKEN)
        tsr_raise_class(ERR_Exception, "tokenize.TokenError", err);
    else if (k == NPY_ERR_TYPE || k == NPY_ERR_UNSUPPORTED)
        tsr_raise(ERR_TypeError, "%s", err);
    else if (k != NPY_OK)
        tsr_raise(ERR_ValueError, "%s", err);
    else if (info.ndim > TSR_MAX_DIMS)
        tsr_raise(ERR_ValueError, "tsr: np.load: %d dimensions, more than tsr's %d", info.ndim, TSR_MAX_DIMS);
    else {
        int64_t shape[TSR_MAX_DIMS];
        for (int i = 0; i < info.ndim; i++) shape[i] = info.fortran_order ? info.shape[info.ndim - 1 - i] : info.shape[i];
        t = tensor_empty(info.dtype, info.ndim, shape, device_cpu());
        if (t) {
            memcpy(tensor_data(t), buf + info.data_offset, (size_t)info.count * dtype_size(info.dtype));
            if (info.byteswap) npy_byteswap(tensor_data(t), info.count, dtype_size(info.dtype));
            if (info.fortran_order && info.ndim > 1) {
                int64_t perm[TSR_MAX_DIMS];
                for (int i = 0; i < info.ndim; i++) perm[i] = info.ndim - 1 - i;
                Tensor *p = op_permute(t, info.ndim, perm);
                tensor_release(t);
                t = p;
            }
        }
    }
    free(err);
    free(buf);
    return t ? ndarray_from_tensor_steal(t) : NULL;
}

const Builtin numpy_io_functions[] = {
    {"save", np_save},
    {"load", np_load},
    {NULL, NULL},
};
