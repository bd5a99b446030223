/* serialization_pickle.c: Python objects to pickle protocol 2, as
 * torch.save writes them (Python's pickle.Pickler with torch's reducers):
 * tensors as torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
 * requires_grad, OrderedDict()) with the storage a persistent id
 * ('storage', torch.FloatStorage, key, location, numel); nn.Parameter
 * through _rebuild_parameter; instances as copyreg.__newobj__ (NEWOBJ)
 * with their __dict__ as BUILD's state; OrderedDict through its
 * __reduce__. Objects seen twice are memoised, so sharing survives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "class.h"
#include "ptrmap.h"
#include "serialization.h"

#define MAX_DEPTH 1000 /* RecursionError past this, as CPython's pickler */

typedef struct {
    PyBuf *out;
    SavedStorages *st;
    PtrMap memo; /* object address -> memo index (its insertion index) */
    int depth;
} Pickler;

static bool emit(Pickler *p, const void *s, int64_t n) { return pybuf_append(p->out, s, n); }
static bool op(Pickler *p, char c) { return pybuf_putc(p->out, c); }

static bool emit_u32(Pickler *p, uint32_t v) {
    char b[4] = {(char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)};
    return emit(p, b, 4);
}

static int64_t memo_find(const Pickler *p, const void *key) { return ptrmap_index(&p->memo, key); }

/* Records key as the next memo index and writes BINPUT/LONG_BINPUT. */
static bool memoize(Pickler *p, const void *key) {
    if (!ptrmap_insert(&p->memo, key, NULL)) return false;
    int64_t idx = ptrmap_index(&p->memo, key);
    if (idx < 256) {
        char b[2] = {'q', (char)idx};
        return emit(p, b, 2);
    }
    return op(p, 'r') && emit_u32(p, (uint32_t)idx);
}

/* BINGET of a memoised object: 1 written, 0 not memoised, -1 error */
static int memo_get(Pickler *p, const void *key) {
    int64_t idx = memo_find(p, key);
    if (idx < 0) return 0;
    if (idx < 256) {
        char b[2] = {'h', (char)idx};
        return emit(p, b, 2) ? 1 : -1;
    }
    return op(p, 'j') && emit_u32(p, (uint32_t)idx) ? 1 : -1;
}

static bool save_int(Pickler *p, int64_t v) {
    if (v >= 0 && v < 256) {
        char b[2] = {'K', (char)v};
        return emit(p, b, 2);
    }
    if (v >= 0 && v < 65536) {
        char b[3] = {'M', (char)v, (char)(v >> 8)};
        return emit(p, b, 3);
    }
    if (v >= INT32_MIN && v <= INT32_MAX) return op(p, 'J') && emit_u32(p, (uint32_t)(int32_t)v);
    /* LONG1: little-endian two's complement, as few bytes as hold it */
    char b[10] = {(char)0x8a, 0};
    int n = 8;
    while (n > 1) {
        int64_t top = v >> (8 * (n - 1) - 1); /* the bits the shorter form would drop, and its sign bit */
        if (top != 0 && top != -1) break;
        n--;
    }
    b[1] = (char)n;
    for (int i = 0; i < n; i++) b[2 + i] = (char)((uint64_t)v >> (8 * i));
    return emit(p, b, 2 + n);
}

static bool save_str_raw(Pickler *p, const char *s, int64_t len) {
    return op(p, 'X') && emit_u32(p, (uint32_t)len) && emit(p, s, len);
}

static bool save_global(Pickler *p, const char *module, const char *name) {
    return op(p, 'c') && pybuf_appends(p->out, module) && op(p, '\n') && pybuf_appends(p->out, name) &&
           op(p, '\n');
}

static bool save(Pickler *p, Value *v);

/* bytes as protocol 2 writes them: _codecs.encode(the bytes read as
 * latin-1, 'latin1'), bytes() when empty; a bytearray: bytearray(those) */
static bool save_bytes(Pickler *p, Value *v) {
    bool ba = v->kind == VK_BYTEARRAY;
    if (ba && !save_global(p, "__builtin__", "bytearray")) return false;
    if (!v->bytes.len) return ba ? op(p, ')') && op(p, 'R') : save_global(p, "__builtin__", "bytes") && op(p, ')') && op(p, 'R');
    PyBuf s = {0};
    bool ok = true;
    for (int64_t i = 0; ok && i < v->bytes.len; i++) {
        unsigned char c = v->bytes.s[i];
        char u[2] = {(char)(0xc0 | c >> 6), (char)(0x80 | (c & 0x3f))};
        ok = c < 0x80 ? pybuf_putc(&s, (char)c) : pybuf_append(&s, u, 2);
    }
    ok = ok && save_global(p, "_codecs", "encode") && save_str_raw(p, s.data, s.len) && save_str_raw(p, "latin1", 6) &&
         op(p, '\x86') && op(p, 'R') && (!ba || (op(p, '\x85') && op(p, 'R')));
    pybuf_free(&s);
    return ok;
}

/* An OrderedDict(): the hooks argument of the rebuild functions. */
static bool save_empty_ordered_dict(Pickler *p) {
    return save_global(p, "collections", "OrderedDict") && op(p, ')') && op(p, 'R');
}

static bool save_items(Pickler *p, Value *seq_or_dict, bool dict) {
    /* batches of 1000 as CPython's pickler */
    int64_t n = dict ? dict_len(seq_or_dict->dict) : seq_or_dict->seq.len, i = 0, it = 0;
    while (i < n) {
        int64_t batch = n - i < 1000 ? n - i : 1000;
        if (batch > 1 && !op(p, '(')) return false;
        for (int64_t k = 0; k < batch; k++, i++) {
            if (dict) {
                Value *key, *val;
                if (!dict_next_item(seq_or_dict->dict, &it, &key, &val)) {
                    tsr_raise(ERR_RuntimeError, "%s", "dictionary changed size during iteration");
                    return false;
                }
                if (!save(p, key) || !save(p, val)) return false;
            } else if (!save(p, seq_or_dict->seq.items[i])) {
                return false;
            }
        }
        if (!op(p, batch > 1 ? (dict ? 'u' : 'e') : (dict ? 's' : 'a'))) return false;
    }
    return true;
}

static bool storage_key(Pickler *p, Storage *s, DType dt, int64_t *key) {
    SavedStorages *st = p->st;
    for (int64_t i = 0; i < st->n; i++)
        if (st->items[i] == s) {
            if (st->dtypes[i] != dt) {
                tsr_raise(ERR_RuntimeError, "%s", "Cannot save multiple tensors or storages that view the same data as different types");
                return false;
            }
            *key = i;
            return true;
        }
    if (st->n == st->cap) {
        int64_t cap = st->cap ? st->cap * 2 : 8;
        Storage **items = tsr_realloc(st->items, (size_t)cap * sizeof *items);
        if (!items) return false;
        st->items = items;
        DType *dts = tsr_realloc(st->dtypes, (size_t)cap * sizeof *dts);
        if (!dts) return false;
        st->dtypes = dts;
        st->cap = cap;
    }
    storage_retain(s);
    st->items[st->n] = s;
    st->dtypes[st->n] = dt;
    *key = st->n++;
    return true;
}

static bool save_int_tuple(Pickler *p, int n, const int64_t *xs) {
    if (n == 0) return op(p, ')');
    if (n > 3 && !op(p, '(')) return false;
    for (int i = 0; i < n; i++)
        if (!save_int(p, xs[i])) return false;
    return op(p, n > 3 ? 't' : (char)(0x84 + n));
}

/* _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict()) */
static bool save_tensor_body(Pickler *p, Tensor *t, bool requires_grad) {
    int64_t key;
    if (!storage_key(p, t->storage, t->dtype, &key)) return false;
    char keybuf[32], loc[32], stype[64];
    snprintf(keybuf, sizeof keybuf, "%lld", (long long)key);
    const char *tt = tsr_dtype_info[t->dtype].tensor_type; /* "FloatTensor" -> "FloatStorage" */
    snprintf(stype, sizeof stype, "%.*sStorage", (int)(strlen(tt) - strlen("Tensor")), tt);
    Device d = t->storage->device;
    if (d.type == DEV_CUDA) snprintf(loc, sizeof loc, "cuda:%d", d.index < 0 ? 0 : d.index);
    else snprintf(loc, sizeof loc, "cpu");
    int64_t numel = t->storage->nbytes / (int64_t)dtype_size(t->dtype);
    return save_global(p, "torch._utils", "_rebuild_tensor_v2") && op(p, '(') &&
           op(p, '(') && save_str_raw(p, "storage", 7) && save_global(p, "torch", stype) &&
           save_str_raw(p, keybuf, (int64_t)strlen(keybuf)) && save_str_raw(p, loc, (int64_t)strlen(loc)) &&
           save_int(p, numel) && op(p, 't') && op(p, 'Q') &&
           save_int(p, t->offset) && save_int_tuple(p, t->ndim, t->shape) && save_int_tuple(p, t->ndim, t->stride) &&
           op(p, requires_grad ? (char)0x88 : (char)0x89) && save_empty_ordered_dict(p) && op(p, 't') && op(p, 'R');
}

static bool save_tensor(Pickler *p, Value *v) {
    Tensor *t = v->tensor;
    if (t->is_parameter) {
        /* _rebuild_parameter(data, requires_grad, OrderedDict()) */
        return save_global(p, "torch._utils", "_rebuild_parameter") && op(p, '(') &&
               save_tensor_body(p, t, false) && op(p, t->requires_grad ? (char)0x88 : (char)0x89) &&
               save_empty_ordered_dict(p) && op(p, 't') && op(p, 'R') && memoize(p, v);
    }
    return save_tensor_body(p, t, t->requires_grad) && memoize(p, v);
}

static bool unpicklable(Value *v) {
    tsr_raise(ERR_TypeError, "cannot pickle '%s' object", val_type_name(v));
    return false;
}

static bool save_class_ref(Pickler *p, Value *cls) {
    if (!cls->cls->base || cls->cls->err) {
        tsr_raise(ERR_PicklingError, "Can't pickle <class '%s'>: it is not a class tsr can name", cls->cls->name);
        return false;
    }
    return save_global(p, class_module(cls), cls->cls->name);
}

/* An instance: cls.__reduce_ex__(2), which is copyreg.__newobj__ (NEWOBJ)
 * for plain classes and OrderedDict's own __reduce__ (cls, ()); then
 * the list or dict items of a list or dict subclass, then BUILD with
 * __getstate__()'s value or the __dict__ when it has entries. */
static bool save_instance(Pickler *p, Value *v) {
    Value *cls = v->inst.cls;
    if (cls->cls->err || v->inst.native) return unpicklable(v);
    bool od = !strcmp(class_module(cls), "collections") && !strcmp(cls->cls->name, "OrderedDict");
    if (!save_class_ref(p, cls) || !op(p, ')') || !op(p, od ? 'R' : (char)0x81) || !memoize(p, v)) return false;
    if (v->inst.payload && !save_items(p, v->inst.payload, v->inst.payload->kind == VK_DICT)) return false;
    Value *getstate = class_lookup(cls, "__getstate__");
    Value *state = NULL;
    if (getstate && getstate->kind == VK_FUNCTION) {
        CallArgs none = {0};
        if (!(state = call_with_self(getstate, v, &none))) return false;
    } else if (dict_len(v->inst.dict->dict) > 0) {
        state = val_retain(v->inst.dict);
    }
    if (!state) return true;
    bool ok = save(p, state) && op(p, 'b');
    val_release(state);
    return ok;
}

static bool save(Pickler *p, Value *v) {
    switch (v->kind) {
    case VK_NONE: return op(p, 'N');
    case VK_BOOL: return op(p, v->b ? (char)0x88 : (char)0x89);
    case VK_INT: return save_int(p, v->i);
    case VK_FLOAT: {
        uint64_t bits;
        memcpy(&bits, &v->f, 8);
        char b[9] = {'G'};
        for (int i = 0; i < 8; i++) b[1 + i] = (char)(bits >> (56 - 8 * i));
        return emit(p, b, 9);
    }
    case VK_DTYPE: return save_global(p, "torch", tsr_dtype_info[v->dtype].name);
    case VK_CLASS: return save_class_ref(p, v);
    default: break;
    }
    int got = memo_get(p, v);
    if (got) return got > 0;
    if (p->depth >= MAX_DEPTH) {
        tsr_raise(ERR_RecursionError, "%s", "maximum recursion depth exceeded while pickling an object");
        return false;
    }
    p->depth++;
    bool ok;
    switch (v->kind) {
    case VK_STR: ok = save_str_raw(p, v->str.s, v->str.len) && memoize(p, v); break;
    case VK_BYTES: case VK_BYTEARRAY: ok = save_bytes(p, v) && memoize(p, v); break;
    case VK_LIST: ok = op(p, ']') && memoize(p, v) && save_items(p, v, false); break;
    case VK_DICT: ok = op(p, '}') && memoize(p, v) && save_items(p, v, true); break;
    case VK_TUPLE: {
        int64_t n = v->seq.len;
        ok = n > 3 ? op(p, '(') : true;
        for (int64_t i = 0; ok && i < n; i++) ok = save(p, v->seq.items[i]);
        if (ok && memo_find(p, v) >= 0) { /* reached itself through a list: POP the copy as CPython does */
            ok = op(p, n > 3 ? '1' : '0');
            for (int64_t i = 1; ok && n <= 3 && i < n; i++) ok = op(p, '0');
            ok = ok && memo_get(p, v) > 0;
            break;
        }
        ok = ok && op(p, n == 0 ? ')' : n > 3 ? 't' : (char)(0x84 + n)) && memoize(p, v);
        break;
    }
    case VK_SIZE: { /* torch.Size((items)) */
        int64_t n = v->seq.len;
        ok = save_global(p, "torch", "Size") && (n > 3 ? op(p, '(') : true);
        for (int64_t i = 0; ok && i < n; i++) ok = save(p, v->seq.items[i]);
        ok = ok && op(p, n == 0 ? ')' : n > 3 ? 't' : (char)(0x84 + n)) && op(p, (char)0x85) && op(p, 'R') &&
             memoize(p, v);
        break;
    }
    case VK_SET: case VK_FROZENSET: { /* set([items]) */
        ok = save_global(p, "__builtin__", v->kind == VK_SET ? "set" : "frozenset") && op(p, ']');
        int64_t it = 0;
        Value *key;
        if (ok && set_len(v) > 0) {
            ok = op(p, '(');
            while (ok && set_next(v, &it, &key)) ok = save(p, key);
            ok = ok && op(p, 'e');
        }
        ok = ok && op(p, (char)0x85) && op(p, 'R') && memoize(p, v);
        break;
    }
    case VK_DEVICE: { /* torch.device(type[, index]) */
        Device d = v->device;
        const char *type = d.type == DEV_CUDA ? "cuda" : "cpu";
        ok = save_global(p, "torch", "device") && save_str_raw(p, type, (int64_t)strlen(type));
        if (ok && d.index >= 0) ok = save_int(p, d.index) && op(p, (char)0x86);
        else ok = ok && op(p, (char)0x85);
        ok = ok && op(p, 'R') && memoize(p, v);
        break;
    }
    case VK_TENSOR: ok = save_tensor(p, v); break;
    case VK_INSTANCE: ok = save_instance(p, v); break;
    case VK_FUNCTION: {
        Function *f = v->fn;
        if (f->is_lambda || f->closure || f->globals || strcmp(f->qualname, f->name)) {
            tsr_raise(ERR_PicklingError, "Can't pickle <function %s>: attribute lookup %s on __main__ failed",
                      f->qualname, f->qualname);
            ok = false;
        } else {
            ok = save_global(p, "__main__", f->name) && memoize(p, v);
        }
        break;
    }
    default: ok = unpicklable(v);
    }
    p->depth--;
    return ok;
}

bool pickle_dump(Value *obj, PyBuf *out, SavedStorages *st) {
    Pickler p = {.out = out, .st = st, .memo = PTRMAP_OF(char)};
    bool ok = emit(&p, "\x80\x02", 2) && save(&p, obj) && op(&p, '.');
    ptrmap_free(&p.memo);
    return ok;
}

void saved_storages_free(SavedStorages *st) {
    for (int64_t i = 0; i < st->n; i++) storage_release(st->items[i]);
    free(st->items);
    free(st->dtypes);
    memset(st, 0, sizeof *st);
}
