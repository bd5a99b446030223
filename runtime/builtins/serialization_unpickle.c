/* serialization_unpickle.c: pickle data to Python objects, for
 * torch.load. It runs nothing a file names: GLOBAL resolves only a fixed
 * set of names (torch._utils' rebuild functions, torch's storage types,
 * dtypes, Size and device, set/frozenset, collections.OrderedDict, and the
 * classes of tsr's torch.nn / torch.optim and of the running program),
 * REDUCE calls only those, NEWOBJ makes an instance without running
 * __init__, and anything else is refused in PyTorch's weights_only words.
 *
 * Hostile data: every read is bounds-checked (CPython's "pickle data was
 * truncated", "Ran out of input", "invalid load key"); a container may not
 * change once it is inside another one (the only way to make a cycle or
 * to deepen an object behind its parents' backs), so each object's depth
 * is known when it is stored and nesting stops at MAX_NEST; on any error
 * every object made so far is released. The loader holds every object it
 * tracks until it ends, so an address names one object throughout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "bytes.h"
#include "class.h"
#include "device.h"
#include "interp_internal.h"
#include "ops.h"
#include "ptrmap.h"
#include "python_bytes.h"
#include "serialization.h"

#define MAX_NEST 900

static Value *not_callable(Value *self, const CallArgs *a) {
    (void)self;
    (void)a;
    tsr_raise(ERR_TypeError, "%s", "tsr does not call torch._utils' rebuild functions outside torch.load");
    return NULL;
}
static const Builtin g_rebuild_tensor_v2 = {"_rebuild_tensor_v2", not_callable};
static const Builtin g_rebuild_parameter = {"_rebuild_parameter", not_callable};
static const Builtin g_rebuild_parameter_state = {"_rebuild_parameter_with_state", not_callable};
static const Builtin g_codecs_encode = {"encode", not_callable}; /* _codecs.encode: protocol 2's bytes */

/* What the loader knows of each object it made: its nesting depth, whether
 * it sits inside another object (then it may not change), whether it is a
 * storage from a persistent id. */
typedef struct {
    int32_t depth;
    bool sealed, storage;
} Track;

typedef struct {
    const uint8_t *data;
    size_t size, pos;
    const UnpickleContext *ctx;
    Value **stack;
    int64_t sp, scap;
    int64_t *marks;
    int64_t nmarks, mcap;
    Dict *memo;      /* int -> object */
    Dict *storages;  /* key str -> 1-D tensor over the storage */
    PtrMap track;    /* object -> Track; each key held until the load ends */
} Unpickler;

/* ---- errors ---- */

static bool upk_error(const char *msg) {
    tsr_raise(ERR_UnpicklingError, "%s", msg);
    return false;
}

static bool unsupported_global(const char *module, const char *name) {
    tsr_raise(ERR_UnpicklingError,
              "Weights only load failed. Re-running `torch.load` with `weights_only` set to `False` will likely "
              "succeed, but it can result in arbitrary code execution.Do it only if you get the file from a trusted "
              "source. WeightsUnpickler error: Unsupported class %s.%s", module, name);
    return false;
}

/* ---- tracking ---- */

static Track *track_find(Unpickler *u, const Value *v, bool add) {
    if (!add) return ptrmap_find(&u->track, v);
    bool added;
    Track *t = ptrmap_insert(&u->track, v, &added);
    /* held until the load ends, so no other object reuses its address */
    if (added) val_retain((Value *)v);
    return t;
}

static int32_t depth_of(Unpickler *u, const Value *v) {
    Track *t = track_find(u, v, false);
    return t ? t->depth : 0;
}

/* container is about to change: false (raised) when it is inside another object */
static bool may_change(Unpickler *u, const Value *container) {
    Track *t = track_find(u, container, false);
    if (t && t->sealed)
        return upk_error("tsr refuses a pickle that changes an object after storing it in another one "
                         "(a cycle or an out-of-order build)");
    return true;
}

/* child goes into container: seals child, deepens container */
static bool insert_child(Unpickler *u, const Value *container, const Value *child) {
    if (container == child) return upk_error("tsr refuses a pickle that stores an object inside itself");
    int32_t d = depth_of(u, child) + 1;
    if (d > MAX_NEST) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded while unpickling an object");
        return false;
    }
    Track *c = track_find(u, child, true);
    if (!c) return false;
    c->sealed = true;
    Track *t = track_find(u, container, true);
    if (!t) return false;
    if (t->depth < d) t->depth = d;
    return true;
}

/* ---- the stack ---- */

static bool push_steal(Unpickler *u, Value *v) {
    if (!v) return false;
    if (u->sp == u->scap) {
        int64_t cap = u->scap ? u->scap * 2 : 64;
        Value **s = tsr_realloc(u->stack, (size_t)cap * sizeof *s);
        if (!s) {
            val_release(v);
            return false;
        }
        u->stack = s;
        u->scap = cap;
    }
    u->stack[u->sp++] = v;
    return true;
}

/* The top object, borrowed; NULL with CPython's error when empty (or at a mark). */
static Value *top(Unpickler *u) {
    int64_t floor = u->nmarks ? u->marks[u->nmarks - 1] : 0;
    if (u->sp <= floor) {
        upk_error(u->nmarks ? "unexpected MARK found" : "unpickling stack underflow");
        return NULL;
    }
    return u->stack[u->sp - 1];
}

static Value *pop(Unpickler *u) {
    Value *v = top(u);
    if (v) u->sp--;
    return v; /* the caller owns it */
}

/* The index of the last mark, which it removes; -1 with "could not find MARK". */
static int64_t pop_mark(Unpickler *u) {
    if (!u->nmarks) {
        upk_error("could not find MARK");
        return -1;
    }
    return u->marks[--u->nmarks];
}

/* ---- reading ---- */

static const uint8_t *take(Unpickler *u, size_t n) {
    if (u->size - u->pos < n) {
        upk_error("pickle data was truncated");
        return NULL;
    }
    const uint8_t *p = u->data + u->pos;
    u->pos += n;
    return p;
}

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

/* A line up to '\n' (GLOBAL's module and name), as a new C string. */
static char *read_line(Unpickler *u) {
    const uint8_t *start = u->data + u->pos;
    const uint8_t *nl = memchr(start, '\n', u->size - u->pos);
    if (!nl) {
        upk_error("pickle data was truncated");
        return NULL;
    }
    u->pos += (size_t)(nl - start) + 1;
    return tsr_strndup((const char *)start, (size_t)(nl - start));
}

static bool utf8_valid(const uint8_t *s, size_t n, size_t *bad) {
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 && c <= 0xF4 ? 4 : 0;
        if (!len || i + (size_t)len > n) break;
        bool ok = true;
        for (int k = 1; k < len; k++) ok &= (s[i + k] & 0xC0) == 0x80;
        if (ok && len == 3) {
            uint32_t cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6;
            ok = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
        }
        if (ok && len == 4) {
            uint32_t cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12;
            ok = cp >= 0x10000 && cp <= 0x10FFFF;
        }
        if (!ok) break;
        i += (size_t)len;
    }
    *bad = i;
    return i == n;
}

static bool push_str(Unpickler *u, size_t n) {
    const uint8_t *s = take(u, n);
    if (!s) return false;
    size_t bad;
    if (!utf8_valid(s, n, &bad)) {
        tsr_raise(ERR_UnicodeError, "'utf-8' codec can't decode byte 0x%02x in position %zu: invalid start byte",
                  s[bad], bad);
        return false;
    }
    return push_steal(u, val_str((const char *)s, (int64_t)n));
}

static bool push_bytes(Unpickler *u, ValueKind kind, uint64_t n) {
    if (n > SIZE_MAX) return upk_error("pickle data was truncated");
    const uint8_t *s = take(u, (size_t)n);
    if (!s) return false;
    return push_steal(u, val_bytes_new(kind, s, (int64_t)n));
}

/* ---- globals ---- */

/* A class of tsr's torch package whose module PyTorch names module
 * ("torch.nn.modules.linear"); NULL without error when none. */
static Value *torch_class(const char *module, const char *name) {
    static const struct { const char *tsr_module, *python_name; } parts[] = {
#define X(m, file, python_name) {m, python_name},
        TORCH_PY_PARTS(X)
#undef X
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        if (strcmp(parts[i].python_name, module)) continue;
        Value *m = tsr_interp->torch;
        const char *p = parts[i].tsr_module + strlen("torch");
        while (m && *p == '.') {
            const char *end = strchr(p + 1, '.');
            size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);
            char part[64];
            snprintf(part, sizeof part, "%.*s", (int)len, p + 1);
            Dict *mem = module_members(m);
            if (!mem) return NULL;
            m = dict_get(mem, part);
            if (m && m->kind != VK_MODULE) m = NULL;
            p += 1 + len;
        }
        Dict *mem = m ? module_members(m) : NULL;
        if (!mem) {
            if (tsr_err_occurred()) return NULL;
            continue;
        }
        Value *c = dict_get(mem, name);
        if (c && c->kind == VK_CLASS && !strcmp(class_module(c), module)) return val_retain(c);
    }
    return NULL;
}

static Value *find_global(const char *module, const char *name) {
    if (!strcmp(module, "torch._utils")) {
        if (!strcmp(name, "_rebuild_tensor_v2")) return val_builtin(&g_rebuild_tensor_v2);
        if (!strcmp(name, "_rebuild_parameter")) return val_builtin(&g_rebuild_parameter);
        if (!strcmp(name, "_rebuild_parameter_with_state")) return val_builtin(&g_rebuild_parameter_state);
    } else if (!strcmp(module, "torch")) {
        for (int d = 0; d < DT_COUNT; d++) {
            const char *tt = tsr_dtype_info[d].tensor_type;
            size_t stem = strlen(tt) - strlen("Tensor");
            if (!strcmp(name, tsr_dtype_info[d].name) ||
                (!strncmp(name, tt, stem) && !strcmp(name + stem, "Storage")))
                return val_dtype((DType)d);
        }
        if (!strcmp(name, "Size")) return val_type(T_SIZE);
        if (!strcmp(name, "device")) return val_type(T_DEVICE);
    } else if (!strcmp(module, "builtins") || !strcmp(module, "__builtin__")) {
        if (!strcmp(name, "set")) return val_type(T_SET);
        if (!strcmp(name, "frozenset")) return val_type(T_FROZENSET);
        if (!strcmp(name, "bytes")) return val_type(T_BYTES);
        if (!strcmp(name, "bytearray")) return val_type(T_BYTEARRAY);
    } else if (!strcmp(module, "_codecs")) {
        if (!strcmp(name, "encode")) return val_builtin(&g_codecs_encode);
    } else if (!strcmp(module, "collections")) {
        if (!strcmp(name, "OrderedDict")) {
            Value *m = stdlib_import("collections");
            if (!m) return NULL;
            Value *c = dict_get(module_members(m), name);
            c = c && c->kind == VK_CLASS ? val_retain(c) : NULL;
            val_release(m);
            if (c) return c;
        }
    } else if (!strcmp(module, "__main__")) {
        Value *c = dict_get(tsr_interp->globals->dict, name);
        if (c && ((c->kind == VK_CLASS && !strcmp(class_module(c), "__main__")) ||
                  c->kind == VK_FUNCTION))
            return val_retain(c);
        if (!c) {
            tsr_raise(ERR_AttributeError, "Can't get attribute '%s' on <module '__main__'>", name);
            return NULL;
        }
    } else if (!strncmp(module, "torch.", 6)) {
        Value *c = torch_class(module, name);
        if (c || tsr_err_occurred()) return c;
    }
    unsupported_global(module, name);
    return NULL;
}

/* ---- storages and tensors ---- */

static bool restore_default(Tensor **t, const char *location) {
    if (!strcmp(location, "cpu")) return true;
    if (!strncmp(location, "cuda", 4)) {
        Device dev;
        Value *s = val_cstr(location);
        if (!s) return false;
        bool ok = val_as_device(s, &dev);
        val_release(s);
        if (!ok) return false;
        if (!tsr_cuda_available()) {
            tsr_raise(ERR_RuntimeError, "%s",
                      "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
                      "If you are running on a CPU-only machine, please use torch.load with "
                      "map_location=torch.device('cpu') to map your storages to the CPU.");
            return false;
        }
        Tensor *moved = op_to(*t, DT_UNDEFINED, dev, false);
        if (!moved) return false;
        tensor_release(*t);
        *t = moved;
        return true;
    }
    tsr_raise(ERR_RuntimeError, "don't know how to restore data location of torch.storage.UntypedStorage (tagged with %s)",
              location);
    return false;
}

/* torch.load's map_location applied to a storage saved at location */
static bool restore_location(Tensor **t, const char *location, Value *map) {
    char buf[64];
    if (!map || map->kind == VK_NONE) return restore_default(t, location);
    if (map->kind == VK_STR) return restore_default(t, map->str.s);
    if (map->kind == VK_DEVICE) return restore_default(t, device_str(map->device, buf, sizeof buf));
    if (map->kind == VK_DICT) {
        Value *key = val_cstr(location), *to = NULL;
        if (!key) return false;
        bool ok = dict_lookup(map->dict, key, &to);
        val_release(key);
        if (!ok) return false;
        if (!to) return restore_default(t, location);
        if (to->kind == VK_DEVICE) return restore_default(t, device_str(to->device, buf, sizeof buf));
        if (to->kind != VK_STR) {
            tsr_raise(ERR_AttributeError, "'%s' object has no attribute 'startswith'", val_type_name(to));
            return false;
        }
        return restore_default(t, to->str.s);
    }
    /* a function (storage, location) -> storage or None */
    Value *args[2] = {val_tensor_steal(tensor_retain(*t)), val_cstr(location)};
    Value *r = NULL;
    if (args[0] && args[1]) {
        CallArgs a = {args, 2, NULL, NULL, 0};
        r = call_value(map, &a);
    }
    val_release(args[0]);
    val_release(args[1]);
    if (!r) return false;
    if (r->kind == VK_NONE) {
        val_release(r);
        return restore_default(t, location);
    }
    if (r->kind != VK_TENSOR || r->tensor->dtype != (*t)->dtype) {
        tsr_raise(ERR_TypeError, "map_location returned %s; tsr expects the storage it was given, moved",
                  val_type_name(r));
        val_release(r);
        return false;
    }
    Tensor *nt = tensor_retain(r->tensor);
    val_release(r);
    tensor_release(*t);
    *t = nt;
    return true;
}

static bool as_str(Value *v) { return v->kind == VK_STR; }

/* BINPERSID: ('storage', storage_type, key, location, numel) */
static bool persistent_load(Unpickler *u) {
    Value *pid = pop(u);
    if (!pid) return false;
    bool ok = false;
    Value *cached = NULL;
    if (!u->ctx->zip) {
        upk_error("A load persistent id instruction was encountered, but no persistent_load function was specified.");
        goto done;
    }
    if (pid->kind != VK_TUPLE || pid->seq.len != 5 || !as_str(pid->seq.items[0]) ||
        strcmp(pid->seq.items[0]->str.s, "storage") || pid->seq.items[1]->kind != VK_DTYPE ||
        !as_str(pid->seq.items[2]) || !as_str(pid->seq.items[3]) || pid->seq.items[4]->kind != VK_INT) {
        upk_error("unsupported persistent id encountered");
        goto done;
    }
    DType dt = pid->seq.items[1]->dtype;
    Value *key = pid->seq.items[2];
    if (!dict_lookup(u->storages, key, &cached)) goto done;
    if (cached) {
        ok = push_steal(u, val_retain(cached));
        goto done;
    }
    char name[512];
    snprintf(name, sizeof name, "%sdata/%s", u->ctx->prefix, key->str.s);
    const ZipEntry *e = zip_reader_find(u->ctx->zip, name);
    if (!e) {
        tsr_raise(ERR_RuntimeError, "PytorchStreamReader failed locating file data/%s: file not found", key->str.s);
        goto done;
    }
    int64_t esize = (int64_t)dtype_size(dt), n = (int64_t)e->size / esize;
    Tensor *t = tensor_empty(dt, 1, &n, device_cpu());
    if (!t) goto done;
    if (n) memcpy(tensor_data(t), u->ctx->zip->data + e->offset, (size_t)(n * esize));
    if (!restore_location(&t, pid->seq.items[3]->str.s, u->ctx->map_location)) {
        tensor_release(t);
        goto done;
    }
    Value *sv = val_tensor_steal(t);
    if (!sv) goto done;
    Track *tr = track_find(u, sv, true);
    if (!tr || !dict_setv(u->storages, key, sv)) {
        val_release(sv);
        goto done;
    }
    tr->storage = true;
    ok = push_steal(u, sv);
done:
    val_release(pid);
    return ok;
}

static bool int_tuple(Value *v, int64_t *out, int *n) {
    if (v->kind != VK_TUPLE && v->kind != VK_SIZE && v->kind != VK_LIST) return false;
    if (v->seq.len > TSR_MAX_DIMS) return false;
    for (int64_t i = 0; i < v->seq.len; i++) {
        if (v->seq.items[i]->kind != VK_INT) return false;
        out[i] = v->seq.items[i]->i;
    }
    *n = (int)v->seq.len;
    return true;
}

static void dims_str(char *buf, size_t n, const int64_t *xs, int nd) {
    size_t at = (size_t)snprintf(buf, n, "[");
    for (int i = 0; i < nd && at < n; i++) at += (size_t)snprintf(buf + at, n - at, "%s%lld", i ? ", " : "", (long long)xs[i]);
    if (at < n) snprintf(buf + at, n - at, "]");
}

/* _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]) */
static Value *rebuild_tensor(Unpickler *u, Value *args) {
    int64_t size[TSR_MAX_DIMS], stride[TSR_MAX_DIMS];
    int nd, nd2;
    Track *tr = args->kind == VK_TUPLE && args->seq.len >= 6 && args->seq.len <= 7 ? track_find(u, args->seq.items[0], false) : NULL;
    if (!tr || !tr->storage || args->seq.items[1]->kind != VK_INT || !int_tuple(args->seq.items[2], size, &nd) ||
        !int_tuple(args->seq.items[3], stride, &nd2) || nd != nd2 || args->seq.items[4]->kind != VK_BOOL) {
        upk_error("_rebuild_tensor_v2: arguments are not (storage, offset, size, stride, requires_grad, hooks)");
        return NULL;
    }
    Tensor *st = args->seq.items[0]->tensor;
    int64_t offset = args->seq.items[1]->i, storage_numel = st->storage->nbytes / (int64_t)dtype_size(st->dtype);
    /* the extent the geometry reaches, checked as at::TensorImpl::set_storage does */
    bool empty = false, overflow = offset < 0;
    unsigned __int128 need = 1;
    for (int i = 0; i < nd; i++) {
        if (size[i] < 0 || stride[i] < 0) overflow = true;
        if (size[i] == 0) empty = true;
    }
    if (!overflow && !empty) {
        need = (unsigned __int128)offset + 1;
        for (int i = 0; i < nd && need <= (unsigned __int128)INT64_MAX; i++)
            need += (unsigned __int128)(size[i] - 1) * (unsigned __int128)stride[i];
    } else if (empty) {
        need = 0;
    }
    int64_t numel = 1;
    for (int i = 0; i < nd && !overflow; i++)
        if (size[i] && numel > INT64_MAX / size[i]) overflow = true;
        else numel *= size[i];
    if (overflow || need > (unsigned __int128)storage_numel) {
        char s1[512], s2[512];
        dims_str(s1, sizeof s1, size, nd);
        dims_str(s2, sizeof s2, stride, nd);
        tsr_raise(ERR_RuntimeError,
                  "setStorage: sizes %s, strides %s, storage offset %lld, and itemsize %zu requiring a storage size of "
                  "%lld are out of bounds for storage of size %lld",
                  s1, s2, (long long)offset, dtype_size(st->dtype),
                  (long long)(need > (unsigned __int128)INT64_MAX / 8 ? -1 : (int64_t)need * (int64_t)dtype_size(st->dtype)),
                  (long long)st->storage->nbytes);
        return NULL;
    }
    bool requires_grad = args->seq.items[4]->b;
    if (requires_grad && !dtype_is_float(st->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "Only Tensors of floating point and complex dtype can require gradients");
        return NULL;
    }
    Tensor *t = tensor_as_strided(st, nd, size, stride, offset);
    if (!t) return NULL;
    t->requires_grad = requires_grad;
    return val_tensor_steal(t);
}

/* _rebuild_parameter(data, requires_grad, backward_hooks) and
 * _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state) */
static Value *rebuild_parameter(Value *args, bool with_state) {
    int64_t n = with_state ? 4 : 3;
    if (args->kind != VK_TUPLE || args->seq.len != n || args->seq.items[0]->kind != VK_TENSOR ||
        args->seq.items[1]->kind != VK_BOOL ||
        (with_state && args->seq.items[3]->kind != VK_NONE &&
         !(args->seq.items[3]->kind == VK_DICT && dict_len(args->seq.items[3]->dict) == 0))) {
        upk_error("_rebuild_parameter: arguments are not (data, requires_grad, hooks)");
        return NULL;
    }
    Tensor *src = args->seq.items[0]->tensor;
    if (args->seq.items[1]->b && !dtype_is_float(src->dtype)) {
        tsr_raise(ERR_RuntimeError, "%s", "Only Tensors of floating point and complex dtype can require gradients");
        return NULL;
    }
    Tensor *t = tensor_alias(src);
    if (!t) return NULL;
    t->requires_grad = args->seq.items[1]->b;
    t->is_parameter = true;
    return val_tensor_steal(t);
}

/* REDUCE: callable(*args) for the callables find_global hands out */
static Value *reduce(Unpickler *u, Value *fn, Value *args) {
    if (args->kind != VK_TUPLE) {
        upk_error("REDUCE's arguments are not a tuple");
        return NULL;
    }
    if (fn->kind == VK_BUILTIN) {
        if (fn->builtin == &g_rebuild_tensor_v2) return rebuild_tensor(u, args);
        if (fn->builtin == &g_rebuild_parameter) return rebuild_parameter(args, false);
        if (fn->builtin == &g_rebuild_parameter_state) return rebuild_parameter(args, true);
        if (fn->builtin == &g_codecs_encode && args->seq.len == 2 && args->seq.items[0]->kind == VK_STR &&
            args->seq.items[1]->kind == VK_STR)
            return codec_encode(args->seq.items[0], args->seq.items[1], NULL, "encode", VK_BYTES);
    }
    if (fn->kind == VK_TYPE) {
        bool fits = false;
        switch (fn->type) {
        case T_SET: case T_FROZENSET:
            fits = args->seq.len == 0 || (args->seq.len == 1 && args->seq.items[0]->kind == VK_LIST);
            break;
        case T_SIZE: fits = args->seq.len == 1 && args->seq.items[0]->kind == VK_TUPLE; break;
        case T_BYTES: case T_BYTEARRAY: /* bytes(), bytearray(b), bytearray(str, encoding) */
            fits = args->seq.len == 0 || (args->seq.len == 1 && val_is_bytes(args->seq.items[0])) ||
                   (args->seq.len == 2 && args->seq.items[0]->kind == VK_STR && args->seq.items[1]->kind == VK_STR);
            break;
        case T_DEVICE:
            fits = (args->seq.len == 1 || args->seq.len == 2) && args->seq.items[0]->kind == VK_STR &&
                   (args->seq.len == 1 || args->seq.items[1]->kind == VK_INT);
            break;
        default: break;
        }
        if (fits) {
            CallArgs a = {args->seq.items, (int)args->seq.len, NULL, NULL, 0};
            return type_call(fn->type, &a);
        }
    }
    if (fn->kind == VK_CLASS && !strcmp(class_module(fn), "collections") &&
        !strcmp(fn->cls->name, "OrderedDict") && args->seq.len == 0)
        return instance_new(fn);
    upk_error("tsr refuses a REDUCE of this callable with these arguments");
    return NULL;
}

/* BUILD: state (a dict, or (dict, slots)) into an instance's __dict__, or
 * through its class's __setstate__ */
static bool build(Unpickler *u, Value *obj, Value *state) {
    if (obj->kind != VK_INSTANCE || obj->inst.cls->cls->err) return upk_error("tsr refuses a BUILD of this object");
    if (!may_change(u, obj) || !insert_child(u, obj, state)) return false;
    Value *setstate = class_lookup(obj->inst.cls, "__setstate__");
    if (setstate && setstate->kind == VK_FUNCTION) {
        CallArgs a = {&state, 1, NULL, NULL, 0};
        Value *r = call_with_self(setstate, obj, &a);
        val_release(r);
        return r != NULL;
    }
    Value *parts[2] = {state, NULL};
    if (state->kind == VK_TUPLE && state->seq.len == 2) {
        parts[0] = state->seq.items[0];
        parts[1] = state->seq.items[1];
    }
    for (int k = 0; k < 2; k++) {
        Value *d = parts[k];
        if (!d || d->kind == VK_NONE) continue;
        if (d->kind != VK_DICT) return upk_error("state is not a dictionary");
        int64_t it = 0;
        Value *key, *val;
        while (dict_next_item(d->dict, &it, &key, &val)) {
            if (key->kind != VK_STR) return upk_error("tsr refuses an attribute name that is not a str");
            if (!dict_set(obj->inst.dict->dict, key->str.s, val)) return false;
        }
    }
    return true;
}

/* APPEND(S), SETITEM(S), ADDITEMS: items stack[from..sp) into target */
static bool add_items(Unpickler *u, Value *target, int64_t from, int kind /* 0 list, 1 dict, 2 set */) {
    Value *t = val_unwrap(target);
    bool fits = kind == 0 ? t->kind == VK_LIST : kind == 1 ? t->kind == VK_DICT : t->kind == VK_SET;
    if (!fits) return upk_error(kind == 0 ? "tsr refuses an APPEND to an object that is not a list"
                                : kind == 1 ? "tsr refuses a SETITEM on an object that is not a dict"
                                            : "tsr refuses an ADDITEMS to an object that is not a set");
    if (kind == 1 && (u->sp - from) % 2) return upk_error("odd number of items for SETITEMS");
    if (!may_change(u, target)) return false;
    for (int64_t i = from; i < u->sp; i++) {
        if (!insert_child(u, target, u->stack[i])) return false;
        bool ok = kind == 0 ? val_list_append(t, u->stack[i])
                : kind == 1 ? dict_setv(t->dict, u->stack[i], u->stack[i + 1])
                            : set_add(t, u->stack[i]);
        if (kind == 1) {
            i++;
            ok = ok && insert_child(u, target, u->stack[i]);
        }
        if (!ok) return false;
    }
    while (u->sp > from) val_release(u->stack[--u->sp]);
    return true;
}

/* TUPLE, LIST, DICT, FROZENSET: a new object of stack[from..sp) */
static bool collect(Unpickler *u, int64_t from, ValueKind kind) {
    int64_t n = u->sp - from;
    Value *v = kind == VK_TUPLE ? val_tuple_new(n) : kind == VK_LIST ? val_list_new(n)
             : kind == VK_DICT ? val_dict_new() : val_set_new(true);
    if (!v) return false;
    if (kind == VK_DICT && n % 2) {
        val_release(v);
        return upk_error("odd number of items for DICT");
    }
    for (int64_t i = from; i < u->sp; i++) {
        bool ok = insert_child(u, v, u->stack[i]);
        if (ok) {
            if (kind == VK_TUPLE) v->seq.items[i - from] = val_retain(u->stack[i]);
            else if (kind == VK_LIST) ok = val_list_append(v, u->stack[i]);
            else if (kind == VK_DICT) ok = insert_child(u, v, u->stack[i + 1]) && dict_setv(v->dict, u->stack[i], u->stack[i + 1]), i++;
            else ok = set_add(v, u->stack[i]);
        }
        if (!ok) {
            val_release(v);
            return false;
        }
    }
    while (u->sp > from) val_release(u->stack[--u->sp]);
    return push_steal(u, v);
}

static bool memo_put(Unpickler *u, int64_t idx) {
    Value *v = top(u);
    if (!v) return false;
    Value *k = val_int(idx);
    bool ok = k && dict_setv(u->memo, k, v);
    val_release(k);
    return ok;
}

static bool memo_get(Unpickler *u, int64_t idx) {
    Value *k = val_int(idx), *v = NULL;
    bool ok = k && dict_lookup(u->memo, k, &v);
    val_release(k);
    if (!ok) return false;
    if (!v) {
        tsr_raise(ERR_UnpicklingError, "Memo value not found at index %lld", (long long)idx);
        return false;
    }
    return push_steal(u, val_retain(v));
}

static bool push_int64(Unpickler *u, const uint8_t *p, size_t n) {
    if (n > 8) {
        tsr_raise(ERR_OverflowError, "%s", "tsr's int holds 64 bits; the pickle holds a larger one");
        return false;
    }
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) x |= (uint64_t)p[i] << (8 * i);
    if (n && n < 8 && (p[n - 1] & 0x80)) x |= ~(uint64_t)0 << (8 * n); /* sign-extend */
    return push_steal(u, val_int((int64_t)x));
}

/* Runs the opcodes; the object STOP returns, or NULL. */
static Value *run(Unpickler *u) {
    for (;;) {
        if (u->pos >= u->size) {
            tsr_raise(ERR_EOFError, "%s", "Ran out of input");
            return NULL;
        }
        uint8_t code = u->data[u->pos++];
        const uint8_t *p;
        bool ok = true;
        switch (code) {
        case 0x80: /* PROTO */
            if (!(p = take(u, 1))) return NULL;
            if (p[0] > 5) {
                tsr_raise(ERR_ValueError, "unsupported pickle protocol: %d", p[0]);
                return NULL;
            }
            break;
        case 0x95: /* FRAME: a length; the data follows in line */
            ok = take(u, 8) != NULL;
            break;
        case '.': { /* STOP */
            Value *v = pop(u);
            return v;
        }
        case '(': /* MARK */
            if (u->nmarks == u->mcap) {
                int64_t cap = u->mcap ? u->mcap * 2 : 16;
                int64_t *m = tsr_realloc(u->marks, (size_t)cap * sizeof *m);
                if (!m) return NULL;
                u->marks = m;
                u->mcap = cap;
            }
            u->marks[u->nmarks++] = u->sp;
            break;
        case '0': { /* POP */
            if (u->nmarks && u->marks[u->nmarks - 1] == u->sp) {
                u->nmarks--;
                break;
            }
            Value *v = pop(u);
            ok = v != NULL;
            val_release(v);
            break;
        }
        case '1': { /* POP_MARK */
            int64_t m = pop_mark(u);
            if (m < 0) return NULL;
            while (u->sp > m) val_release(u->stack[--u->sp]);
            break;
        }
        case '2': { /* DUP */
            Value *v = top(u);
            ok = v && push_steal(u, val_retain(v));
            break;
        }
        case 'N': ok = push_steal(u, val_none()); break;
        case 0x88: ok = push_steal(u, val_bool(true)); break;
        case 0x89: ok = push_steal(u, val_bool(false)); break;
        case 'J': ok = (p = take(u, 4)) && push_steal(u, val_int((int32_t)le32(p))); break;
        case 'K': ok = (p = take(u, 1)) && push_steal(u, val_int(p[0])); break;
        case 'M': ok = (p = take(u, 2)) && push_steal(u, val_int(p[0] | p[1] << 8)); break;
        case 0x8a: /* LONG1 */
            ok = (p = take(u, 1)) && (p = take(u, p[0])) && push_int64(u, p, p[-1]);
            break;
        case 0x8b: { /* LONG4 */
            if (!(p = take(u, 4))) return NULL;
            int32_t n = (int32_t)le32(p);
            if (n < 0) {
                upk_error("LONG pickle has negative byte count");
                return NULL;
            }
            ok = (p = take(u, (size_t)n)) && push_int64(u, p, (size_t)n);
            break;
        }
        case 'G': {
            if (!(p = take(u, 8))) return NULL;
            uint64_t bits = 0;
            for (int i = 0; i < 8; i++) bits = bits << 8 | p[i];
            double d;
            memcpy(&d, &bits, 8);
            ok = push_steal(u, val_float(d));
            break;
        }
        case 'X': ok = (p = take(u, 4)) && push_str(u, le32(p)); break;
        case 0x8c: ok = (p = take(u, 1)) && push_str(u, p[0]); break;
        case 0x8d: {
            if (!(p = take(u, 8))) return NULL;
            uint64_t n = le64(p);
            if (n > u->size - u->pos) {
                upk_error("pickle data was truncated");
                return NULL;
            }
            ok = push_str(u, (size_t)n);
            break;
        }
        case ']': ok = push_steal(u, val_list_new(0)); break;
        case ')': ok = push_steal(u, val_tuple_new(0)); break;
        case '}': ok = push_steal(u, val_dict_new()); break;
        case 0x8f: ok = push_steal(u, val_set_new(false)); break;
        case 0x85: case 0x86: case 0x87: { /* TUPLE1..3 */
            int64_t n = code - 0x84, floor = u->nmarks ? u->marks[u->nmarks - 1] : 0;
            if (u->sp - floor < n) {
                upk_error(u->nmarks ? "unexpected MARK found" : "unpickling stack underflow");
                return NULL;
            }
            ok = collect(u, u->sp - n, VK_TUPLE);
            break;
        }
        case 't': case 'l': case 'd': case 0x91: { /* TUPLE LIST DICT FROZENSET */
            int64_t m = pop_mark(u);
            if (m < 0) return NULL;
            ok = collect(u, m, code == 't' ? VK_TUPLE : code == 'l' ? VK_LIST : code == 'd' ? VK_DICT : VK_FROZENSET);
            break;
        }
        case 'a': case 's': { /* APPEND, SETITEM */
            int64_t n = code == 'a' ? 1 : 2, floor = u->nmarks ? u->marks[u->nmarks - 1] : 0;
            if (u->sp - floor < n + 1) {
                upk_error(u->nmarks ? "unexpected MARK found" : "unpickling stack underflow");
                return NULL;
            }
            ok = add_items(u, u->stack[u->sp - n - 1], u->sp - n, code == 'a' ? 0 : 1);
            break;
        }
        case 'e': case 'u': case 0x90: { /* APPENDS, SETITEMS, ADDITEMS */
            int64_t m = pop_mark(u);
            if (m < 0) return NULL;
            int64_t floor = u->nmarks ? u->marks[u->nmarks - 1] : 0;
            if (m - 1 < floor) {
                upk_error(u->nmarks ? "unexpected MARK found" : "unpickling stack underflow");
                return NULL;
            }
            ok = add_items(u, u->stack[m - 1], m, code == 'e' ? 0 : code == 'u' ? 1 : 2);
            break;
        }
        case 'c': case 0x93: { /* GLOBAL, STACK_GLOBAL */
            char *module = NULL, *name = NULL;
            if (code == 'c') {
                module = read_line(u);
                name = module ? read_line(u) : NULL;
            } else {
                Value *n = pop(u);
                Value *m = n ? pop(u) : NULL;
                if (m && (m->kind != VK_STR || n->kind != VK_STR)) upk_error("STACK_GLOBAL requires str");
                else if (m) {
                    module = tsr_strdup(m->str.s);
                    name = module ? tsr_strdup(n->str.s) : NULL;
                }
                val_release(n);
                val_release(m);
            }
            ok = name && push_steal(u, find_global(module, name));
            free(module);
            free(name);
            break;
        }
        case 'R': case 0x81: { /* REDUCE, NEWOBJ */
            Value *args = pop(u);
            Value *fn = args ? pop(u) : NULL;
            if (fn) {
                if (code == 'R') {
                    /* the result holds what args held (set(list), Size(tuple)): as deep */
                    Value *res = reduce(u, fn, args);
                    Track *t = res ? track_find(u, res, true) : NULL;
                    if (t && t->depth < depth_of(u, args)) t->depth = depth_of(u, args);
                    ok = t && push_steal(u, res);
                    if (res && !t) val_release(res);
                }
                else if (fn->kind != VK_CLASS || fn->cls->err || args->kind != VK_TUPLE || args->seq.len)
                    ok = upk_error("tsr refuses a NEWOBJ of this class with these arguments");
                else ok = push_steal(u, instance_new(fn));
            } else {
                ok = false;
            }
            val_release(args);
            val_release(fn);
            break;
        }
        case 'b': { /* BUILD */
            Value *state = pop(u);
            Value *obj = state ? top(u) : NULL;
            ok = obj && build(u, obj, state);
            val_release(state);
            break;
        }
        case 'Q': ok = persistent_load(u); break;
        case 'h': ok = (p = take(u, 1)) && memo_get(u, p[0]); break;
        case 'j': ok = (p = take(u, 4)) && memo_get(u, le32(p)); break;
        case 'q': ok = (p = take(u, 1)) && memo_put(u, p[0]); break;
        case 'r': {
            if (!(p = take(u, 4))) return NULL;
            if ((int32_t)le32(p) < 0) { /* CPython reads a signed Py_ssize_t on 32 bits */
                upk_error("negative LONG_BINPUT argument");
                return NULL;
            }
            ok = memo_put(u, le32(p));
            break;
        }
        case 0x94: ok = memo_put(u, dict_len(u->memo)); break; /* MEMOIZE */
        case 'C': ok = (p = take(u, 1)) && push_bytes(u, VK_BYTES, p[0]); break;   /* SHORT_BINBYTES */
        case 'B': ok = (p = take(u, 4)) && push_bytes(u, VK_BYTES, le32(p)); break; /* BINBYTES */
        case 0x8e: case 0x96:                                                        /* BINBYTES8, BYTEARRAY8 */
            ok = (p = take(u, 8)) && push_bytes(u, code == 0x8e ? VK_BYTES : VK_BYTEARRAY, le64(p));
            break;
        case 0x97: case 0x98:
            return upk_error("tsr refuses out-of-band buffers in a pickle"), NULL;
        default:
            if (code >= 0x20 && code < 0x7f) tsr_raise(ERR_UnpicklingError, "invalid load key, '%c'.", code);
            else tsr_raise(ERR_UnpicklingError, "invalid load key, '\\x%02x'.", code);
            return NULL;
        }
        if (!ok) return NULL;
    }
}

Value *pickle_load(const uint8_t *data, size_t size, const UnpickleContext *ctx) {
    Unpickler u = {.data = data, .size = size, .ctx = ctx, .track = PTRMAP_OF(Track)};
    Value *memo = val_dict_new(), *storages = val_dict_new(), *r = NULL;
    if (memo && storages) {
        u.memo = memo->dict;
        u.storages = storages->dict;
        r = run(&u);
    }
    while (u.sp > 0) val_release(u.stack[--u.sp]);
    free(u.stack);
    free(u.marks);
    for (int64_t i = 0; i < u.track.n; i++) val_release((Value *)ptrmap_key(&u.track, i));
    ptrmap_free(&u.track);
    val_release(memo);
    val_release(storages);
    return r;
}
