/* numpy_io.c: numpy 1.24's file functions (numpy/lib/npyio.py): np.save
 * and np.load for .npy files, over the codec of tensor/npy_format.c, and
 * np.loadtxt / np.savetxt for delimited text (the reader is
 * tensor/npy_text.c; rows are written through Python's % formatting). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "interp_internal.h"
#include "npy_format.h"
#include "npy_text.h"
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
            if (info.byteswap) /* a complex number swaps each of its two parts */
                npy_byteswap(tensor_data(t), info.count * (dtype_is_complex(info.dtype) ? 2 : 1),
                             dtype_size(info.dtype) / (dtype_is_complex(info.dtype) ? 2 : 1));
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

/* ---- np.loadtxt ---- */

/* A keyword tsr's loadtxt does not take: set and not None raises. */
static bool loadtxt_unsupported(Value *v, const char *name) {
    if (is_none(v)) return true;
    tsr_raise(ERR_TypeError, "tsr: np.loadtxt's %s= is not supported", name);
    return false;
}

/* usecols: an int or a sequence of ints -> cols[] (*n of them) */
static bool loadtxt_usecols(Value *v, int64_t *cols, int64_t *n, int64_t cap) {
    *n = 0;
    if (is_none(v)) return true;
    if (v->kind == VK_INT || v->kind == VK_BOOL) return arg_int(v, "loadtxt", "usecols", 0, &cols[(*n)++]);
    Value *l = iterate_to_list(v);
    if (!l) return false;
    bool ok = l->seq.len <= cap;
    if (!ok) tsr_raise(ERR_ValueError, "tsr: np.loadtxt reads at most %lld columns", (long long)cap);
    for (int64_t i = 0; ok && i < l->seq.len; i++) {
        ok = l->seq.items[i]->kind == VK_INT || l->seq.items[i]->kind == VK_BOOL;
        if (!ok) tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer", val_type_name(l->seq.items[i]));
        else cols[(*n)++] = l->seq.items[i]->i;
    }
    val_release(l);
    return ok;
}

/* numpy's _ensure_ndmin_ndarray: squeeze past ndmin, then pad to it */
static Tensor *loadtxt_ndmin(Tensor *t, int64_t ndmin) {
    Tensor *r = t->ndim > ndmin ? op_squeeze(t, 0, NULL) : tensor_retain(t);
    if (!r || r->ndim >= ndmin) return r;
    int64_t shape[2] = {1, 1};
    if (ndmin == 1 || r->ndim == 1) shape[ndmin == 1 ? 0 : 1] = tensor_numel(r);
    /* 0-d -> (1,) or (1, 1); 1-d of n -> atleast_2d (1, n) then .T (n, 1) */
    if (ndmin == 2 && r->ndim == 1) shape[0] = tensor_numel(r), shape[1] = 1;
    Tensor *o = op_reshape(r, (int)ndmin, shape);
    tensor_release(r);
    return o;
}

static Value *np_loadtxt(Value *self, const CallArgs *a) {
    Value *v[13] = {0};
    if (!args_parse(a, 0, "loadtxt",
                    "fname, dtype=, comments=, delimiter=, converters=, skiprows=, usecols=, unpack=, ndmin=, "
                    "encoding=, max_rows=, *, quotechar=, like=",
                    v))
        return NULL;
    DType dt = DT_FLOAT64;
    if (v[1] && !np_arg_dtype(v[1], &dt)) return NULL;
    if (dt == DT_UNDEFINED) dt = DT_FLOAT64;
    int64_t skip, ndmin;
    bool unpack;
    if (!loadtxt_unsupported(v[4], "converters") || !loadtxt_unsupported(v[9], "encoding") ||
        !loadtxt_unsupported(v[10], "max_rows") || !loadtxt_unsupported(v[11], "quotechar") ||
        !loadtxt_unsupported(v[12], "like") || !arg_int(v[5], "loadtxt", "skiprows", 0, &skip) ||
        !arg_bool(v[7], "loadtxt", "unpack", false, &unpack) || !arg_int(v[8], "loadtxt", "ndmin", 0, &ndmin))
        return NULL;
    if (ndmin < 0 || ndmin > 2) {
        tsr_raise(ERR_ValueError, "Illegal value of ndmin keyword: %lld", (long long)ndmin);
        return NULL;
    }
    int64_t cols_used[256], n_used;
    if (!loadtxt_usecols(v[6], cols_used, &n_used, 256)) return NULL;
    const char *comment = "#";
    if (v[2] && v[2]->kind == VK_NONE)
        comment = NULL;
    else if (v[2] && v[2]->kind == VK_STR) {
        if (!v[2]->str.len) {
            tsr_raise(ERR_ValueError, "comments cannot be an empty string. Use comments=None to disable comments.");
            return NULL;
        }
        comment = v[2]->str.s;
    } else if (v[2]) {
        tsr_raise(ERR_TypeError, "tsr: np.loadtxt's comments= takes a string or None");
        return NULL;
    }
    char delim = 0;
    if (!is_none(v[3])) {
        if (v[3]->kind != VK_STR || v[3]->str.len != 1 || (unsigned char)v[3]->str.s[0] >= 0x80) {
            Value *r = val_repr(v[3]);
            if (r)
                tsr_raise(ERR_TypeError,
                          "Text reading control character must be a single unicode character or None; but got: %s",
                          r->str.s);
            val_release(r);
            return NULL;
        }
        delim = v[3]->str.s[0];
    }
    if (skip < 0) {
        tsr_raise(ERR_ValueError, "argument must be nonnegative");
        return NULL;
    }
    if (v[0]->kind != VK_STR) {
        tsr_raise(ERR_ValueError,
                  "fname must be a string, filehandle, list of strings,\nor generator. Got <class '%s'> instead.",
                  val_type_name(v[0]));
        return NULL;
    }
    const char *path = v[0]->str.s;
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        if (errno == ENOENT) tsr_raise(ERR_FileNotFoundError, "%s not found.", path);
        else raise_os_error(errno, path, NULL);
        return NULL;
    }
    fclose(probe);
    size_t n;
    uint8_t *text = read_all(path, &n);
    if (!text) return NULL;
    bool integer = dtype_is_int(dt);
    NptxtOptions opt = {delim, comment, skip, integer, dtype_name(dt)};
    char *err = tsr_malloc(NPTXT_ERR_CAP);
    int64_t rows = 0, cols = 0;
    bool via_float;
    Tensor *t = NULL, *r = NULL;
    if (err && !nptxt_parse((const char *)text, n, &opt, NULL, &rows, &cols, &via_float, err))
        tsr_raise(ERR_ValueError, "%s", err);
    else if (err) {
        int64_t shape[2] = {rows, cols};
        t = rows ? tensor_empty(integer ? DT_INT64 : DT_FLOAT64, 2, shape, device_cpu())
                 : tensor_empty(DT_FLOAT64, 1, shape, device_cpu());
        if (t && rows && !nptxt_parse((const char *)text, n, &opt, tensor_data(t), &rows, &cols, &via_float, err)) {
            tsr_raise(ERR_ValueError, "%s", err);
            tensor_release(t);
            t = NULL;
        }
    }
    free(err);
    free(text);
    if (t && rows && n_used) {
        int64_t sel[256];
        for (int64_t i = 0; i < n_used; i++) {
            sel[i] = cols_used[i] < 0 ? cols_used[i] + cols : cols_used[i];
            if (sel[i] < 0 || sel[i] >= cols) {
                tsr_raise(ERR_ValueError, "invalid column index %lld at row 1 with %lld columns",
                          (long long)cols_used[i], (long long)cols);
                tensor_release(t);
                return NULL;
            }
        }
        Tensor *idx = tensor_empty(DT_INT64, 1, &n_used, device_cpu());
        if (idx) memcpy(tensor_data(idx), sel, sizeof(int64_t) * (size_t)n_used);
        Tensor *s2 = idx ? op_index_select(t, 1, idx) : NULL;
        tensor_release(idx);
        tensor_release(t);
        t = s2;
    }
    Tensor *typed = t ? tensor_to_dtype(t, dt) : NULL;
    tensor_release(t);
    r = typed ? loadtxt_ndmin(typed, ndmin) : NULL;
    tensor_release(typed);
    if (r && unpack && r->ndim == 2) {
        Tensor *tr = op_transpose(r, 0, 1);
        tensor_release(r);
        r = tr;
    }
    return r ? ndarray_from_tensor_steal(r) : NULL;
}

/* ---- np.savetxt ---- */

/* the numpy scalars of row i of a 2-D tensor, as one tuple */
static Value *savetxt_row(Tensor *t, int64_t i) {
    Value *row = val_tuple_new(t->shape[1]);
    for (int64_t j = 0; row && j < t->shape[1]; j++) {
        Tensor *e = op_select(t, 0, i);
        Tensor *x = e ? op_select(e, 0, j) : NULL;
        tensor_release(e);
        Value *s = x ? numpy_result_steal(x) : NULL;
        if (!s) {
            val_release(row);
            return NULL;
        }
        row->seq.items[j] = s;
    }
    return row;
}

/* fmt (a str with one % or one per column, or a list/tuple of one per
 * column) -> the format of a whole row */
static Value *savetxt_format(Value *fmt, const char *delim, int64_t ncol) {
    StrBuf b = {0};
    bool ok = true;
    if (fmt->kind == VK_LIST || fmt->kind == VK_TUPLE) {
        if (fmt->seq.len != ncol) {
            Value *r = val_str_of(fmt);
            if (r) tsr_raise(ERR_AttributeError, "fmt has wrong shape.  %s", r->str.s);
            val_release(r);
            return NULL;
        }
        for (int64_t i = 0; ok && i < ncol; i++) {
            Value *s = val_str_of(fmt->seq.items[i]);
            ok = s && (i == 0 || sb_appends(&b, delim)) && sb_appends(&b, s->str.s);
            val_release(s);
        }
    } else if (fmt->kind == VK_STR) {
        int64_t pct = 0;
        for (int64_t i = 0; i < fmt->str.len; i++) pct += fmt->str.s[i] == '%';
        if (pct == 1) {
            for (int64_t i = 0; ok && i < ncol; i++)
                ok = (i == 0 || sb_appends(&b, delim)) && sb_appends(&b, fmt->str.s);
        } else if (pct != ncol) {
            tsr_raise(ERR_ValueError, "fmt has wrong number of %% formats:  %s", fmt->str.s);
            return NULL;
        } else
            ok = sb_appends(&b, fmt->str.s);
    } else {
        Value *r = val_repr(fmt);
        if (r) tsr_raise(ERR_ValueError, "invalid fmt: %s", r->str.s);
        val_release(r);
        return NULL;
    }
    if (!ok) {
        free(b.data);
        return NULL;
    }
    return val_str_steal(b.data ? b.data : tsr_strdup(""), b.len);
}

/* comments + text, with comments after every newline in it, then newline */
static bool savetxt_comment(StrBuf *out, const char *text, const char *comments, const char *newline) {
    if (!*text) return true;
    if (!sb_appends(out, comments)) return false;
    for (const char *p = text; *p; p++) {
        if (!sb_append(out, p, 1)) return false;
        if (*p == '\n' && !sb_appends(out, comments)) return false;
    }
    return sb_appends(out, newline);
}

static Value *np_savetxt(Value *self, const CallArgs *a) {
    Value *v[9] = {0};
    if (!args_parse(a, 0, "savetxt", "fname, X, fmt=, delimiter=, newline=, header=, footer=, comments=, encoding=",
                    v))
        return NULL;
    if (v[0]->kind != VK_STR) {
        tsr_raise(ERR_ValueError, "fname must be a string or file handle");
        return NULL;
    }
    const char *strs[5] = {" ", "\n", "", "", "# "}; /* delimiter newline header footer comments */
    static const char *const names[5] = {"delimiter", "newline", "header", "footer", "comments"};
    for (int i = 0; i < 5; i++) {
        Value *s = v[3 + i];
        if (!s) continue;
        if (s->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "tsr: np.savetxt's %s= takes a string", names[i]);
            return NULL;
        }
        strs[i] = s->str.s;
    }
    if (!is_none(v[8]) && !loadtxt_unsupported(NULL, "encoding")) return NULL;
    Tensor *t = np_tensor_of(v[1]);
    if (!t) return NULL;
    Tensor *x = NULL;
    Value *fmt_default = NULL, *format = NULL;
    StrBuf out = {0};
    Value *r = NULL;
    if (t->ndim == 0 || t->ndim > 2) {
        tsr_raise(ERR_ValueError, "Expected 1D or 2D array, got %dD array instead", t->ndim);
        goto done;
    }
    x = t->ndim == 1 ? op_unsqueeze(t, 1) : tensor_retain(t);
    if (!x) goto done;
    fmt_default = v[2] ? NULL : val_cstr("%.18e");
    format = savetxt_format(v[2] ? v[2] : fmt_default, strs[0], x->shape[1]);
    if (!format || !sb_appends(&out, "") || !savetxt_comment(&out, strs[2], strs[4], strs[1])) goto done;
    for (int64_t i = 0; i < x->shape[0]; i++) {
        Value *row = savetxt_row(x, i);
        Value *line = row ? percent_format(format, row) : NULL;
        val_release(row);
        if (!line) {
            if (tsr_err_kind() == ERR_TypeError)
                tsr_raise(ERR_TypeError, "Mismatch between array dtype ('%s') and format specifier ('%s')",
                          dtype_name(t->dtype), format->str.s);
            goto done;
        }
        bool ok = sb_append(&out, line->str.s, line->str.len) && sb_appends(&out, strs[1]);
        val_release(line);
        if (!ok) goto done;
    }
    if (!savetxt_comment(&out, strs[3], strs[4], strs[1])) goto done;
    FILE *f = fopen(v[0]->str.s, "w");
    if (!f) {
        raise_os_error(errno, v[0]->str.s, NULL);
        goto done;
    }
    bool ok = fwrite(out.data, 1, (size_t)out.len, f) == (size_t)out.len;
    int e = errno;
    if (fclose(f) != 0 && ok) ok = false, e = errno;
    if (!ok) raise_os_error(e, v[0]->str.s, NULL);
    else r = val_none();
done:
    free(out.data);
    val_release(format);
    val_release(fmt_default);
    tensor_release(x);
    tensor_release(t);
    return r;
}

const Builtin numpy_io_functions[] = {
    {"save", np_save},
    {"load", np_load},
    {"loadtxt", np_loadtxt},
    {"savetxt", np_savetxt},
    {NULL, NULL},
};
