/* serialization.c: torch.save and torch.load in PyTorch 1.13's zip format
 * (the archive is named after the file: "m.pth" holds m/data.pkl,
 * m/data/0..N, m/version), so a file either writes loads in the other.
 * The pickle codec is serialization_pickle.c / serialization_unpickle.c;
 * the container runtime/base/zipfile.c. f is a path or a file object (a
 * binary file, io.BytesIO: what has read/write), the archive then named
 * "archive". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "class.h"
#include "bytes.h"
#include "interp_internal.h"
#include "serialization.h"

/* PyTorch's legacy format starts with the pickled magic number 0x1950a86a20f9469cfc6c */
static const char legacy_magic[] = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19";

static Value *load_zip(const uint8_t *data, size_t size, Value *map_location) {
    ZipReader z;
    if (!zip_reader_open(&z, data, size)) return NULL;
    Value *r = NULL;
    char *prefix = NULL;
    if (z.n == 0) {
        tsr_raise(ERR_RuntimeError, "%s", "PytorchStreamReader failed reading zip archive: file in archive is not in a subdirectory: ");
        goto done;
    }
    const char *slash = strchr(z.entries[0].name, '/');
    if (!slash) {
        tsr_raise(ERR_RuntimeError, "[enforce fail at inline_container.cc:129] . file in archive is not in a subdirectory: %s",
                  z.entries[0].name);
        goto done;
    }
    size_t plen = (size_t)(slash - z.entries[0].name) + 1;
    if (!(prefix = tsr_malloc(plen + 32))) goto done;
    char name[600];
    snprintf(name, sizeof name, "%.*s.data/version", (int)plen, z.entries[0].name);
    const ZipEntry *ver = zip_reader_find(&z, name);
    if (!ver) {
        snprintf(name, sizeof name, "%.*sversion", (int)plen, z.entries[0].name);
        ver = zip_reader_find(&z, name);
    }
    if (!ver) {
        tsr_raise(ERR_RuntimeError, "%s", "Expected hasRecord(\"version\") to be true, but got false.  (Could this "
                  "error message be improved?  If so, please report an enhancement request to PyTorch.)");
        goto done;
    }
    long long version = 0;
    for (uint64_t i = 0; i < ver->size && data[ver->offset + i] >= '0' && data[ver->offset + i] <= '9' && version < 1000000; i++)
        version = version * 10 + (data[ver->offset + i] - '0');
    if (version > 10) {
        tsr_raise(ERR_RuntimeError, "[enforce fail at inline_container.cc:165] . Attempted to read a PyTorch file with "
                  "version %lld, but the maximum supported version for reading is 10. The version of your PyTorch "
                  "installation may be too old, please upgrade PyTorch to latest version to mitigate this issue.", version);
        goto done;
    }
    snprintf(prefix, plen + 32, "%.*s", (int)plen, z.entries[0].name);
    snprintf(name, sizeof name, "%sconstants.pkl", prefix);
    if (zip_reader_find(&z, name)) {
        tsr_raise(ERR_RuntimeError, "%s", "tsr cannot load a TorchScript archive (torch.jit.load)");
        goto done;
    }
    snprintf(name, sizeof name, "%sdata.pkl", prefix);
    const ZipEntry *pkl = zip_reader_find(&z, name);
    if (!pkl) {
        tsr_raise(ERR_RuntimeError, "%s", "PytorchStreamReader failed locating file data.pkl: file not found");
        goto done;
    }
    UnpickleContext ctx = {&z, prefix, map_location};
    r = pickle_load(data + pkl->offset, (size_t)pkl->size, &ctx);
done:
    free(prefix);
    zip_reader_close(&z);
    return r;
}

Value *torch_load_bytes(const uint8_t *data, size_t size, Value *map_location) {
    if (size >= 4 && !memcmp(data, "PK\x03\x04", 4)) return load_zip(data, size, map_location);
    if (size >= sizeof legacy_magic - 1 && !memcmp(data, legacy_magic, sizeof legacy_magic - 1)) {
        tsr_raise(ERR_RuntimeError, "%s", "tsr does not read PyTorch's legacy (before 1.6) serialization format");
        return NULL;
    }
    /* what PyTorch's legacy reader does first: unpickle the magic number */
    UnpickleContext ctx = {NULL, "", map_location};
    Value *magic = pickle_load(data, size, &ctx);
    if (!magic) return NULL;
    val_release(magic);
    tsr_raise(ERR_RuntimeError, "%s", "Invalid magic number; corrupt file?");
    return NULL;
}

/* f: a path, or a file object (an open binary file, io.BytesIO, any
 * object with read/write) */
static bool file_arg(Value *f, const char *fn) {
    if (f->kind == VK_STR || f->kind == VK_FILE || f->kind == VK_INSTANCE) return true;
    tsr_raise(ERR_AttributeError, "'%s' object has no attribute '%s'", val_type_name(f),
              strcmp(fn, "save") ? "read" : "write");
    return false;
}

/* f.read() or f.write(arg) of a file object */
static Value *call_file_method(Value *f, const char *name, Value *arg) {
    Value *m = get_attr(f, name);
    if (!m) return NULL;
    CallArgs ca = {arg ? &arg : NULL, arg ? 1 : 0, NULL, NULL, 0};
    Value *r = call_value(m, &ca);
    val_release(m);
    return r;
}

/* torch.load of a file object: what its read() gives */
static Value *load_file_object(Value *f, Value *map) {
    Value *data = call_file_method(f, "read", NULL);
    if (!data) return NULL;
    Value *r = NULL;
    if (!val_is_bytes(data))
        tsr_raise(ERR_TypeError, "a bytes-like object is required, not '%s'", val_type_name(data));
    else if (!data->bytes.len)
        tsr_raise(ERR_EOFError, "%s", "Ran out of input");
    else
        r = torch_load_bytes(data->bytes.s, (size_t)data->bytes.len, map);
    val_release(data);
    return r;
}

static Value *t_load(Value *self, const CallArgs *a) {
    (void)self;
    ARGS(7);
    /* encoding, errors, fix_imports: **pickle_load_args, for Python 2
     * pickles; a file torch.save wrote does not need them */
    PARSE("load", "f, map_location=, pickle_module=, *, weights_only=, encoding=, errors=, fix_imports=");
    if (!file_arg(v_[0], "load")) return NULL;
    Value *map = v_[1];
    if (map && map->kind != VK_NONE && map->kind != VK_STR && map->kind != VK_DEVICE && map->kind != VK_DICT &&
        map->kind != VK_FUNCTION && map->kind != VK_BUILTIN && map->kind != VK_BOUND && map->kind != VK_CLASS) {
        tsr_raise(ERR_TypeError, "'%s' object is not callable", val_type_name(map));
        return NULL;
    }
    if (v_[0]->kind != VK_STR) return load_file_object(v_[0], map);
    const char *path = v_[0]->str.s;
    FILE *fp = fopen(path, "rb");
    if (!fp) return raise_os_error(errno, path, NULL);
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 65536) {
            size_t ncap = cap ? cap * 2 : 65536;
            uint8_t *nb = tsr_realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0) break;
    }
    int err = ferror(fp) ? errno : 0;
    fclose(fp);
    if (err) {
        free(buf);
        return raise_os_error(err, path, NULL);
    }
    Value *r = torch_load_bytes(buf, len, map);
    free(buf);
    return r;
}

static int cmp_key(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The archive's folder, as PyTorchStreamWriter names it: the file's base
 * name without its extension, "archive" when that is empty. */
static char *archive_name(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot ? (size_t)(dot - base) : strlen(base);
    return n ? tsr_strndup(base, n) : tsr_strdup("archive");
}

static Value *t_save(Value *self, const CallArgs *a) {
    (void)self;
    ARGS(5);
    PARSE("save", "obj, f, pickle_module=, pickle_protocol=, _use_new_zipfile_serialization=");
    if (!file_arg(v_[1], "save")) return NULL;
    /* a file object gets the archive through its write(), named "archive" */
    const char *path = v_[1]->kind == VK_STR ? v_[1]->str.s : NULL;
    /* the file is opened first, as PyTorchStreamWriter does */
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (slash && slash != path) {
        char *dir = tsr_strndup(path, (size_t)(slash - path));
        if (!dir) return NULL;
        FILE *probe = fopen(dir, "r");
        if (!probe) {
            tsr_raise(ERR_RuntimeError, "Parent directory %s does not exist.", dir);
            free(dir);
            return NULL;
        }
        fclose(probe);
        free(dir);
    }
    FILE *fp = path ? fopen(path, "wb") : NULL;
    if (path && !fp) {
        tsr_raise(ERR_RuntimeError, "File %s cannot be opened.", path);
        return NULL;
    }
    PyBuf pkl = {0};
    SavedStorages st = {0};
    ZipWriter z = {0};
    char *arch = path ? archive_name(path) : tsr_strdup("archive"), **keys = NULL;
    char name[600];
    bool ok = arch && pickle_dump(v_[0], &pkl, &st);
    if (ok) {
        snprintf(name, sizeof name, "%s/data.pkl", arch);
        ok = zip_writer_add(&z, name, pkl.data, (size_t)pkl.len);
    }
    /* the storages in the order of their keys as strings, as torch.save sorts them */
    if (ok && st.n && (ok = (keys = tsr_calloc((size_t)st.n, sizeof *keys)) != NULL)) {
        for (int64_t i = 0; ok && i < st.n; i++) {
            char k[32];
            snprintf(k, sizeof k, "%lld", (long long)i);
            ok = (keys[i] = tsr_strdup(k)) != NULL;
        }
        if (ok) qsort(keys, (size_t)st.n, sizeof *keys, cmp_key);
        for (int64_t i = 0; ok && i < st.n; i++) {
            Storage *s = st.items[atoll(keys[i])];
            snprintf(name, sizeof name, "%s/data/%s", arch, keys[i]);
            ok = zip_writer_add(&z, name, storage_host(s), (size_t)s->nbytes);
        }
    }
    if (ok) {
        snprintf(name, sizeof name, "%s/version", arch);
        ok = zip_writer_add(&z, name, "3\n", 2) && zip_writer_finish(&z);
    }
    if (ok && !fp) {
        Value *data = val_bytes(z.buf, (int64_t)z.len);
        Value *r = data ? call_file_method(v_[1], "write", data) : NULL;
        ok = r != NULL;
        val_release(r);
        val_release(data);
    }
    if (ok && fp && fwrite(z.buf, 1, z.len, fp) != z.len) {
        raise_os_error(errno, path, NULL);
        ok = false;
    }
    if (fp && fclose(fp) != 0 && ok) {
        raise_os_error(errno, path, NULL);
        ok = false;
    }
    for (int64_t i = 0; keys && i < st.n; i++) free(keys[i]);
    free(keys);
    free(arch);
    zip_writer_free(&z);
    saved_storages_free(&st);
    pybuf_free(&pkl);
    return ok ? val_none() : NULL;
}

const Builtin serialization_functions[] = {
    {"save", t_save},
    {"load", t_load},
    {NULL, NULL},
};

const Builtin serialization_methods[] = {{NULL, NULL}};
