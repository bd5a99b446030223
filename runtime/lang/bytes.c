/* bytes.c: Python's bytes (immutable) and bytearray (mutable) values:
 * allocation, repr, the operators, subscripts and the constructors'
 * conversions, with CPython 3.11's messages. */
#include "bytes.h"

#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "interp_internal.h"

/* ------------------------------------------------------------ storage */

Value *val_bytes_steal(ValueKind kind, unsigned char *s, int64_t len) {
    Value *v = val_bytes_cell(kind);
    if (!v) {
        free(s);
        return NULL;
    }
    s[len] = 0;
    v->bytes.s = s;
    v->bytes.len = len;
    v->bytes.cap = len;
    v->bytes.exports = 0;
    return v;
}

Value *val_bytes_new(ValueKind kind, const void *s, int64_t len) {
    if (len < 0 || len >= INT64_MAX / 2) {
        tsr_raise_memory_error();
        return NULL;
    }
    /* zeros come from calloc, so bytes(n) of a size the machine cannot hold
     * fails here instead of touching every page */
    unsigned char *buf = s ? tsr_malloc((unsigned long long)len + 1) : tsr_calloc((unsigned long long)len + 1, 1);
    if (!buf) return NULL;
    if (s && len) memcpy(buf, s, (size_t)len);
    return val_bytes_steal(kind, buf, len);
}

/* A buffer a length change left to the storages still over it. */
struct BytesRetired {
    struct BytesRetired *next;
    unsigned char *s;
};

void bytes_free(Value *v) {
    free(v->bytes.s);
    for (struct BytesRetired *r = v->bytes.retired, *next; r; r = next) {
        next = r->next;
        free(r->s);
        free(r);
    }
}

/* Room for n bytes before a change of length: a buffer storages share
 * stays theirs, and the bytes move to a new one (CPython lets a bytearray
 * resize once torch.frombuffer has released the buffer). */
bool bytes_reserve(Value *ba, int64_t n) {
    if (n >= INT64_MAX / 4) {
        tsr_raise_memory_error();
        return false;
    }
    if (ba->bytes.exports) {
        int64_t cap = n > ba->bytes.len ? n : ba->bytes.len;
        unsigned char *s = tsr_malloc((unsigned long long)cap + 1);
        struct BytesRetired *r = s ? tsr_malloc(sizeof *r) : NULL;
        if (!r) {
            free(s);
            return false;
        }
        memcpy(s, ba->bytes.s, (size_t)ba->bytes.len + 1);
        r->s = ba->bytes.s;
        r->next = ba->bytes.retired;
        ba->bytes.retired = r;
        ba->bytes.s = s;
        ba->bytes.cap = cap;
        ba->bytes.exports = 0;
        return true;
    }
    if (n <= ba->bytes.cap) return true;
    int64_t cap = ba->bytes.cap + ba->bytes.cap / 8 + 16;
    if (cap < n) cap = n;
    unsigned char *s = tsr_realloc(ba->bytes.s, (unsigned long long)cap + 1);
    if (!s) return false;
    ba->bytes.s = s;
    ba->bytes.cap = cap;
    return true;
}

bool bytes_splice(Value *ba, int64_t start, int64_t stop, const unsigned char *s, int64_t n) {
    int64_t len = ba->bytes.len, old = stop - start;
    unsigned char *copy = NULL;
    if (s && n && s >= ba->bytes.s && s <= ba->bytes.s + ba->bytes.cap) { /* a[1:2] = a */
        if (!(copy = tsr_malloc((unsigned long long)n))) return false;
        memcpy(copy, s, (size_t)n);
        s = copy;
    }
    if (n != old && !bytes_reserve(ba, len - old + n)) {
        free(copy);
        return false;
    }
    unsigned char *b = ba->bytes.s;
    memmove(b + start + n, b + stop, (size_t)(len - stop));
    if (n) memcpy(b + start, s, (size_t)n);
    ba->bytes.len = len - old + n;
    b[ba->bytes.len] = 0;
    free(copy);
    return true;
}

static void storage_released(void *owner) {
    Value *v = owner;
    if (v->bytes.exports > 0) v->bytes.exports--;
    val_release(v);
}

Tensor *bytes_tensor(Value *v, DType dt, int64_t offset, int64_t count) {
    Tensor *t = tensor_empty(dt, 1, &count, device_cpu());
    Storage *st = t ? storage_external(v->bytes.s + offset, count * (int64_t)dtype_size(dt), storage_released, v) : NULL;
    if (!st) {
        tensor_release(t);
        return NULL;
    }
    val_retain(v);
    v->bytes.exports++;
    storage_release(t->storage);
    t->storage = st;
    return t;
}

/* ------------------------------------------------------------ conversions */

bool bytes_byte_of(Value *v, const char *msg, int *out) {
    int64_t i;
    if (v->kind == VK_FLOAT || v->kind == VK_STR || val_is_bytes(v) || v->kind == VK_NONE) {
        tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer", val_type_name(v));
        return false;
    }
    if (!val_as_int(v, &i)) return false;
    if (i < 0 || i > 255) {
        tsr_raise(ERR_ValueError, "%s", msg);
        return false;
    }
    *out = (int)i;
    return true;
}

bool bytes_buffer(Value *v, const unsigned char **s, int64_t *len) {
    v = val_unwrap(v);
    if (val_is_bytes(v)) {
        *s = v->bytes.s;
        *len = v->bytes.len;
        return true;
    }
    if (v->kind == VK_TENSOR && v->tensor->numpy == TENSOR_NP_ARRAY && tensor_is_contiguous(v->tensor) &&
        !tensor_is_cuda(v->tensor)) {
        *s = (const unsigned char *)tensor_data(v->tensor);
        *len = tensor_numel(v->tensor) * (int64_t)dtype_size(v->tensor->dtype);
        return true;
    }
    return false;
}

/* bytes(n): n zero bytes */
static Value *bytes_of_count(ValueKind kind, int64_t n) {
    if (n < 0) {
        tsr_raise(ERR_ValueError, "%s", "negative count");
        return NULL;
    }
    return val_bytes_new(kind, NULL, n);
}

Value *bytes_from_object(ValueKind kind, Value *x) {
    const unsigned char *s;
    int64_t n;
    if (bytes_buffer(x, &s, &n)) return val_bytes_new(kind, s, n);
    Value *u = val_unwrap(x);
    if (u->kind == VK_INT || u->kind == VK_BOOL) return bytes_of_count(kind, u->kind == VK_INT ? u->i : u->b);
    if (x->kind == VK_INSTANCE) { /* __bytes__, then __index__ */
        bool found;
        Value *r = kind == VK_BYTES ? special_call(x, "__bytes__", NULL, 0, &found) : NULL;
        if (kind == VK_BYTES && found) {
            if (r && r->kind != VK_BYTES) {
                tsr_raise(ERR_TypeError, "__bytes__ returned non-bytes (type %s)", val_type_name(r));
                val_release(r);
                return NULL;
            }
            return r;
        }
        if (tsr_err_occurred()) return NULL;
        if (class_lookup(x->inst.cls, "__index__")) {
            int64_t k;
            if (!val_as_int(x, &k)) return NULL;
            return bytes_of_count(kind, k);
        }
    }
    if (x->kind == VK_TENSOR && !x->tensor->numpy) { /* a tensor: its __index__ when it has one */
        if (dtype_is_integral(x->tensor->dtype, true) && tensor_numel(x->tensor) == 1)
            return bytes_of_count(kind, tensor_get_i64(x->tensor, 0));
    }
    switch (x->kind) {
    case VK_FLOAT: case VK_NONE: case VK_COMPLEX: case VK_FUNCTION: case VK_BUILTIN: case VK_MODULE:
    case VK_TYPE: case VK_CLASS: case VK_DTYPE: case VK_DEVICE: case VK_SLICE: case VK_ELLIPSIS:
        tsr_raise(ERR_TypeError, "cannot convert '%s' object to %s", val_type_name(x),
                  kind == VK_BYTES ? "bytes" : "bytearray");
        return NULL;
    default: break;
    }
    if (x->kind == VK_INSTANCE && !class_lookup(x->inst.cls, "__iter__") &&
        !class_lookup(x->inst.cls, "__getitem__")) {
        tsr_raise(ERR_TypeError, "cannot convert '%s' object to %s", val_type_name(x),
                  kind == VK_BYTES ? "bytes" : "bytearray");
        return NULL;
    }
    Value *items = iterate_to_list(x);
    if (!items) return NULL;
    unsigned char *buf = tsr_malloc((unsigned long long)items->seq.len + 1);
    bool ok = buf != NULL;
    for (int64_t i = 0; ok && i < items->seq.len; i++) {
        int c;
        ok = bytes_byte_of(items->seq.items[i],
                           kind == VK_BYTES ? "bytes must be in range(0, 256)" : "byte must be in range(0, 256)", &c);
        if (ok) buf[i] = (unsigned char)c;
    }
    int64_t len = items->seq.len;
    val_release(items);
    if (!ok) {
        free(buf);
        return NULL;
    }
    return val_bytes_steal(kind, buf, len);
}

Value *bytes_to_list(const Value *b) {
    Value *out = val_list_new(b->bytes.len);
    if (!out) return NULL;
    for (int64_t i = 0; i < b->bytes.len; i++)
        if (!val_list_append_steal(out, val_int(b->bytes.s[i]))) {
            val_release(out);
            return NULL;
        }
    return out;
}

/* ------------------------------------------------------------ repr */

bool bytes_repr_into(StrBuf *b, const Value *v) {
    const unsigned char *s = v->bytes.s;
    int64_t n = v->bytes.len;
    bool ba = v->kind == VK_BYTEARRAY;
    bool sq = memchr(s, '\'', (size_t)n) != NULL, dq = memchr(s, '"', (size_t)n) != NULL;
    char q = sq && !dq ? '"' : '\'';
    if (ba && !sb_appends(b, "bytearray(")) return false;
    if (!sb_appends(b, "b") || !sb_append(b, &q, 1)) return false;
    for (int64_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        char esc[8];
        const char *e = NULL;
        if (c == q || c == '\\' || (ba && c == '\'')) { /* bytearray escapes ' whatever the quotes */
            esc[0] = '\\';
            esc[1] = (char)c;
            esc[2] = 0;
            e = esc;
        } else if (c == '\t') e = "\\t";
        else if (c == '\n') e = "\\n";
        else if (c == '\r') e = "\\r";
        else if (c < 0x20 || c >= 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02x", c);
            e = esc;
        }
        if (e ? !sb_appends(b, e) : !sb_append(b, (const char *)&c, 1)) return false;
    }
    if (!sb_append(b, &q, 1)) return false;
    return !ba || sb_appends(b, ")");
}

/* ------------------------------------------------------------ operators */

static const char *kind_name(const Value *v) { return v->kind == VK_BYTES ? "bytes" : "bytearray"; }

static Value *concat(ValueKind kind, const Value *a, const unsigned char *s, int64_t n) {
    unsigned char *buf = tsr_malloc((unsigned long long)(a->bytes.len + n) + 1);
    if (!buf) return NULL;
    memcpy(buf, a->bytes.s, (size_t)a->bytes.len);
    if (n) memcpy(buf + a->bytes.len, s, (size_t)n);
    return val_bytes_steal(kind, buf, a->bytes.len + n);
}

static bool int_operand(const Value *v) {
    const Value *u = val_unwrap((Value *)v);
    return u->kind == VK_INT || u->kind == VK_BOOL;
}

static int64_t int_value(const Value *v) {
    const Value *u = val_unwrap((Value *)v);
    return u->kind == VK_INT ? u->i : u->b;
}

static Value *repeat(Value *a, int64_t times, bool inplace) {
    int64_t n = a->bytes.len;
    if (times < 0) times = 0;
    if (n && times > INT64_MAX / n) { /* CPython's check; a size it passes may still fail to allocate */
        if (a->kind == VK_BYTEARRAY) tsr_raise_memory_error();
        else tsr_raise(ERR_OverflowError, "%s", "repeated bytes are too long");
        return NULL;
    }
    int64_t total = n * times;
    if (inplace) {
        if (total != n && !bytes_reserve(a, total)) return NULL;
        for (int64_t k = 1; k < times; k++) memcpy(a->bytes.s + k * n, a->bytes.s, (size_t)n);
        a->bytes.len = total;
        a->bytes.s[total] = 0;
        return val_retain(a);
    }
    unsigned char *buf = tsr_malloc((unsigned long long)total + 1);
    if (!buf) return NULL;
    for (int64_t k = 0; k < times; k++) memcpy(buf + k * n, a->bytes.s, (size_t)n);
    return val_bytes_steal(a->kind, buf, total);
}

Value *bytes_binary_op(BinKind op, Value *a, Value *b, bool inplace, bool *handled) {
    *handled = true;
    if (op == B_MOD && val_is_bytes(a)) return bytes_percent_format(a, b); /* %= too makes a new one */
    if (op == B_ADD && val_is_bytes(a)) {
        const unsigned char *s;
        int64_t n;
        if (!bytes_buffer(b, &s, &n)) {
            tsr_raise(ERR_TypeError, "can't concat %s to %s", val_type_name(b), kind_name(a));
            return NULL;
        }
        if (inplace && a->kind == VK_BYTEARRAY) {
            if (val_unwrap(b) == a && n) { /* CPython holds a's own buffer while resizing a */
                tsr_raise(ERR_BufferError, "%s", "Existing exports of data: object cannot be re-sized");
                return NULL;
            }
            if (!bytes_splice(a, a->bytes.len, a->bytes.len, s, n)) return NULL;
            return val_retain(a);
        }
        return concat(a->kind, a, s, n);
    }
    if (op == B_MUL) {
        /* the left operand repeats when it is a sequence (its error names the right one) */
        bool left_seq = a->kind == VK_STR || a->kind == VK_LIST || a->kind == VK_TUPLE || a->kind == VK_SIZE;
        Value *seq = val_is_bytes(a) ? a : val_is_bytes(b) && !left_seq ? b : NULL, *k = seq == a ? b : a;
        if (seq && int_operand(k)) return repeat(seq, int_value(k), inplace && seq == a && a->kind == VK_BYTEARRAY);
        if (seq && (k->kind == VK_INSTANCE && class_lookup(k->inst.cls, "__index__"))) {
            int64_t t;
            if (!val_as_int(k, &t)) return NULL;
            return repeat(seq, t, inplace && seq == a && a->kind == VK_BYTEARRAY);
        }
        if (seq && k->kind != VK_INSTANCE && k->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "can't multiply sequence by non-int of type '%s'", val_type_name(k));
            return NULL;
        }
    }
    *handled = false;
    return NULL;
}

int bytes_equal(const Value *a, const Value *b) {
    if (!val_is_bytes(a) || !val_is_bytes(b)) return -1;
    return a->bytes.len == b->bytes.len && !memcmp(a->bytes.s, b->bytes.s, (size_t)a->bytes.len);
}

int bytes_cmp(const Value *a, const Value *b) {
    int64_t n = a->bytes.len < b->bytes.len ? a->bytes.len : b->bytes.len;
    int c = n ? memcmp(a->bytes.s, b->bytes.s, (size_t)n) : 0;
    if (c) return c;
    return a->bytes.len < b->bytes.len ? -1 : a->bytes.len > b->bytes.len;
}

Value *bytes_contains(Value *container, Value *item) {
    const unsigned char *s;
    int64_t n;
    if (bytes_buffer(item, &s, &n)) {
        if (!n) return val_bool(true);
        return val_bool(memmem(container->bytes.s, (size_t)container->bytes.len, s, (size_t)n) != NULL);
    }
    Value *u = val_unwrap(item);
    if (u->kind != VK_INT && u->kind != VK_BOOL &&
        !(item->kind == VK_INSTANCE && class_lookup(item->inst.cls, "__index__"))) {
        tsr_raise(ERR_TypeError, "a bytes-like object is required, not '%s'", val_type_name(item));
        return NULL;
    }
    int c;
    if (!bytes_byte_of(item, "byte must be in range(0, 256)", &c)) return NULL;
    return val_bool(memchr(container->bytes.s, c, (size_t)container->bytes.len) != NULL);
}

/* ------------------------------------------------------------ subscripts */

/* an index that is not a slice: its value, or the TypeError of the type */
static bool index_of(Value *obj, Value *idx, int64_t *i) {
    Value *u = val_unwrap(idx);
    bool ok = u->kind == VK_INT || u->kind == VK_BOOL || idx->kind == VK_TENSOR ||
              (idx->kind == VK_INSTANCE && class_lookup(idx->inst.cls, "__index__"));
    if (!ok) {
        tsr_raise(ERR_TypeError, "%s indices must be integers or slices, not %s",
                  obj->kind == VK_BYTES ? "byte" : "bytearray", val_type_name(idx));
        return false;
    }
    if (!val_as_int(idx, i)) return false;
    if (*i < 0) *i += obj->bytes.len;
    if (*i < 0 || *i >= obj->bytes.len) {
        tsr_raise(ERR_IndexError, "%s", obj->kind == VK_BYTES ? "index out of range" : "bytearray index out of range");
        return false;
    }
    return true;
}

static int64_t slice_count(int64_t start, int64_t stop, int64_t step) {
    if (step > 0) return stop > start ? (stop - start + step - 1) / step : 0;
    return start > stop ? (start - stop - step - 1) / -step : 0;
}

Value *bytes_get(Value *obj, Value *idx) {
    if (idx->kind == VK_SLICE) {
        int64_t start, stop, step;
        if (!slice_indices(idx, obj->bytes.len, &start, &stop, &step)) return NULL;
        int64_t n = slice_count(start, stop, step);
        if (step == 1) return val_bytes_new(obj->kind, obj->bytes.s + start, n);
        unsigned char *buf = tsr_malloc((unsigned long long)n + 1);
        if (!buf) return NULL;
        for (int64_t k = 0; k < n; k++) buf[k] = obj->bytes.s[start + k * step];
        return val_bytes_steal(obj->kind, buf, n);
    }
    int64_t i;
    if (!index_of(obj, idx, &i)) return NULL;
    return val_int(obj->bytes.s[i]);
}

bool bytes_set_item(Value *obj, Value *idx, Value *v) {
    if (obj->kind == VK_BYTES) {
        tsr_raise(ERR_TypeError, "%s", "'bytes' object does not support item assignment");
        return false;
    }
    if (idx->kind != VK_SLICE) {
        int64_t i;
        int c;
        if (!index_of(obj, idx, &i) || !bytes_byte_of(v, "byte must be in range(0, 256)", &c)) return false;
        obj->bytes.s[i] = (unsigned char)c;
        return true;
    }
    int64_t start, stop, step;
    if (!slice_indices(idx, obj->bytes.len, &start, &stop, &step)) return false;
    Value *src;
    const unsigned char *s;
    int64_t n;
    if (v->kind == VK_STR || int_operand(v) || v->kind == VK_FLOAT || v->kind == VK_NONE) {
        tsr_raise(ERR_TypeError, "%s", "can assign only bytes, buffers, or iterables of ints in range(0, 256)");
        return false;
    }
    if (bytes_buffer(v, &s, &n)) src = val_unwrap(v) == obj ? val_bytes(s, n) : val_retain(v); /* a[::-1] = a */
    else src = bytes_from_object(VK_BYTEARRAY, v);
    if (!src) return false;
    if (!bytes_buffer(src, &s, &n)) n = 0, s = NULL;
    bool ok = true;
    if (step == 1) {
        if (stop < start) stop = start;
        ok = bytes_splice(obj, start, stop, s, n);
    } else {
        int64_t count = slice_count(start, stop, step);
        if (count != n) {
            tsr_raise(ERR_ValueError, "attempt to assign bytes of size %lld to extended slice of size %lld",
                      (long long)n, (long long)count);
            ok = false;
        } else {
            for (int64_t k = 0; k < count; k++) obj->bytes.s[start + k * step] = s[k];
        }
    }
    val_release(src);
    return ok;
}

bool bytes_del_item(Value *obj, Value *idx) {
    if (obj->kind == VK_BYTES) {
        tsr_raise(ERR_TypeError, "%s", "'bytes' object doesn't support item deletion");
        return false;
    }
    if (idx->kind == VK_SLICE) {
        int64_t start, stop, step, n = obj->bytes.len;
        if (!slice_indices(idx, n, &start, &stop, &step)) return false;
        if (!slice_count(start, stop, step)) return true;
        if (!bytes_reserve(obj, n)) return false; /* unshared first */
        int64_t w = 0;
        for (int64_t i = 0; i < n; i++) {
            bool in = step > 0 ? (i >= start && i < stop && (i - start) % step == 0)
                               : (i <= start && i > stop && (start - i) % -step == 0);
            if (!in) obj->bytes.s[w++] = obj->bytes.s[i];
        }
        obj->bytes.len = w;
        obj->bytes.s[w] = 0;
        return true;
    }
    int64_t i;
    if (!index_of(obj, idx, &i)) return false;
    return bytes_splice(obj, i, i + 1, NULL, 0);
}
