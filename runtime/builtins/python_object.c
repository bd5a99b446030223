/* python_object.c: Python builtins about objects, iteration and
 * characters: id, hash, setattr, delattr, vars, globals, locals, iter,
 * next, map, filter, chr, ord, bin, oct, hex, divmod, ascii. python.c's
 * table lists them with the others. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "generator.h"
#include "error.h"
#include "interp_internal.h"

Value *py_id(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("id", "obj");
    return val_int((int64_t)(intptr_t)v_[0]);
}

Value *py_hash(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("hash", "obj");
    int64_t h;
    return val_hash(v_[0], &h) ? val_int(h) : NULL;
}

static bool attr_name(Value *v, const char *fn) {
    if (v->kind == VK_STR) return true;
    tsr_raise(ERR_TypeError, "attribute name must be string, not '%s'", val_type_name(v));
    (void)fn;
    return false;
}

Value *py_setattr(Value *self, const CallArgs *a) {
    ARGS(3);
    PARSE("setattr", "obj, name, value");
    if (!attr_name(v_[1], "setattr")) return NULL;
    return set_attr(v_[0], v_[1]->str.s, v_[2]) ? val_none() : NULL;
}

Value *py_delattr(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("delattr", "obj, name");
    if (!attr_name(v_[1], "delattr")) return NULL;
    Value *obj = v_[0];
    const char *name = v_[1]->str.s;
    if (obj->kind == VK_INSTANCE || obj->kind == VK_CLASS) return object_delattr(obj, name) ? val_none() : NULL;
    Dict *d = obj->kind == VK_MODULE ? module_members(obj) : NULL;
    if (d && dict_del(d, name)) return val_none();
    tsr_raise(ERR_AttributeError, "'%s' object has no attribute '%s'", val_type_name(obj), name);
    return NULL;
}

/* vars(obj): obj.__dict__; vars(): the running frame's names */
Value *py_vars(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("vars", "object=");
    if (!v_[0]) {
        Frame *f = tsr_interp->frame;
        return val_retain(f && f->locals ? f->locals : tsr_interp->globals);
    }
    Value *obj = v_[0];
    if (obj->kind == VK_INSTANCE) return val_retain(obj->inst.dict);
    if (obj->kind == VK_CLASS) return val_retain(obj->cls->dict);
    tsr_raise(ERR_TypeError, "%s", "vars() argument must have __dict__ attribute");
    return NULL;
}

Value *py_globals(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("globals", "");
    return val_retain(tsr_interp->globals);
}

Value *py_locals(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("locals", "");
    Frame *f = tsr_interp->frame;
    return val_retain(f && f->locals ? f->locals : tsr_interp->globals);
}

/* ------------------------------------------------------------ iteration */

static const char *iter_name(const Value *v) {
    switch (v->kind) {
    case VK_LIST: return "list_iterator";
    case VK_TUPLE: case VK_SIZE: case VK_NAMEDTUPLE: return "tuple_iterator";
    case VK_STR: return "str_ascii_iterator";
    case VK_RANGE: return "range_iterator";
    case VK_DICT: return "dict_keyiterator";
    case VK_SET: case VK_FROZENSET: return "set_iterator";
    default: return "iterator";
    }
}

/* iter(obj): an iterator; an instance's own __iter__ result */
Value *py_iter(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("iter", "object");
    Value *v = v_[0];
    if (v->kind == VK_ITER || v->kind == VK_PYGEN) return val_retain(v);
    if (v->kind == VK_INSTANCE) {
        bool by_index;
        Value *it = instance_iter(v, &by_index);
        if (!it || !by_index) return it;
        val_release(it);
    }
    return make_iter(iterate_to_list(v), iter_name(v));
}

/* next(iterator[, default]) */
Value *py_next(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("next", "iterator, default=");
    Value *it = v_[0];
    if (it->kind == VK_ITER) {
        Value *seq = it->iter.seq;
        if (it->iter.pos < seq->seq.len) return val_retain(seq->seq.items[it->iter.pos++]);
    } else if (it->kind == VK_PYGEN) {
        bool done;
        Value *r = gen_send(it, NULL, &done);
        if (r || !done) return r;
        if (!v_[1]) { /* StopIteration(value) when it returned one */
            Value *rv = gen_return_value(it);
            if (rv && rv->kind != VK_NONE) {
                Value *e = class_call(class_of_error(ERR_StopIteration), &(CallArgs){&rv, 1, NULL, NULL, 0});
                if (e) exc_raise_value(tsr_interp, e, NULL);
                val_release(e);
                return NULL;
            }
        }
    } else if (it->kind == VK_INSTANCE && class_lookup(it->inst.cls, "__next__")) {
        bool done;
        Value *r = instance_next(it, false, 0, &done);
        if (r || !done) return r;
    } else {
        tsr_raise(ERR_TypeError, "'%s' object is not an iterator", val_type_name(it));
        return NULL;
    }
    if (v_[1]) return val_retain(v_[1]);
    tsr_raise(ERR_StopIteration, "%s", "");
    return NULL;
}

/* map(fn, *iterables) and filter(fn, iterable), computed when called */
Value *py_map(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "map() takes no keyword arguments");
        return NULL;
    }
    if (a->nargs < 2) {
        tsr_raise(ERR_TypeError, "%s", "map() must have at least two arguments.");
        return NULL;
    }
    int n = a->nargs - 1;
    Value *lists[ARGS_MAX];
    if (n > ARGS_MAX) n = ARGS_MAX;
    int64_t len = INT64_MAX;
    int got = 0;
    Value *out = NULL;
    for (; got < n; got++) {
        if (!(lists[got] = iterate_to_list(a->args[got + 1]))) goto done;
        if (lists[got]->seq.len < len) len = lists[got]->seq.len;
    }
    out = val_list_new(len);
    for (int64_t i = 0; out && i < len; i++) {
        Value *args[ARGS_MAX];
        for (int k = 0; k < n; k++) args[k] = lists[k]->seq.items[i];
        CallArgs ca = {args, n, NULL, NULL, 0};
        Value *r = call_value(a->args[0], &ca);
        if (!r || !val_list_append_steal(out, r)) {
            val_release(out);
            out = NULL;
        }
    }
done:
    for (int k = 0; k < got; k++) val_release(lists[k]);
    return out ? make_iter(out, "map") : NULL;
}

Value *py_filter(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("filter", "function, iterable");
    Value *items = iterate_to_list(v_[1]);
    Value *out = items ? val_list_new(0) : NULL;
    for (int64_t i = 0; out && i < items->seq.len; i++) {
        Value *x = items->seq.items[i], *r = NULL;
        if (v_[0]->kind != VK_NONE) {
            CallArgs ca = {&x, 1, NULL, NULL, 0};
            if (!(r = call_value(v_[0], &ca))) goto fail;
        }
        int t = val_truthy(r ? r : x);
        val_release(r);
        if (t < 0 || (t && !val_list_append(out, x))) goto fail;
        continue;
    fail:
        val_release(out);
        out = NULL;
    }
    val_release(items);
    return out ? make_iter(out, "filter") : NULL;
}

/* ------------------------------------------------------------ characters and numbers */

static bool int_arg(Value *v, const char *fn, int64_t *out) {
    if (v->kind == VK_INT || v->kind == VK_BOOL) {
        *out = v->kind == VK_INT ? v->i : v->b;
        return true;
    }
    if (v->kind == VK_TENSOR) return val_as_int(v, out);
    tsr_raise(ERR_TypeError, "'%s' object cannot be interpreted as an integer", val_type_name(v));
    (void)fn;
    return false;
}

Value *py_chr(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("chr", "i");
    int64_t c;
    if (!int_arg(v_[0], "chr", &c)) return NULL;
    if (c < 0 || c > 0x10ffff) {
        tsr_raise(ERR_ValueError, "%s", "chr() arg not in range(0x110000)");
        return NULL;
    }
    char buf[4];
    int n;
    if (c < 0x80) {
        buf[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        buf[0] = (char)(0xc0 | (c >> 6));
        buf[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        buf[0] = (char)(0xe0 | (c >> 12));
        buf[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        buf[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        buf[0] = (char)(0xf0 | (c >> 18));
        buf[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        buf[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        buf[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    return val_str(buf, n);
}

Value *py_ord(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("ord", "c");
    Value *s = v_[0];
    if (s->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "ord() expected string of length 1, but %s found", val_type_name(s));
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)s->str.s;
    int64_t len = s->str.len, n = !len ? 0 : p[0] < 0x80 ? 1 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
    if (len == 0 || n != len) {
        int64_t chars = 0;
        for (int64_t i = 0; i < len; i++) chars += (p[i] & 0xc0) != 0x80;
        tsr_raise(ERR_TypeError, "ord() expected a character, but string of length %lld found", (long long)chars);
        return NULL;
    }
    int64_t c = n == 1 ? p[0] : n == 2 ? p[0] & 0x1f : n == 3 ? p[0] & 0x0f : p[0] & 0x07;
    for (int64_t i = 1; i < n; i++) c = (c << 6) | (p[i] & 0x3f);
    return val_int(c);
}

/* bin/oct/hex: '-0b101' */
static Value *radix(const CallArgs *a, const char *fn, int bits, const char *prefix) {
    ARGS(1);
    PARSE(fn, "number");
    int64_t v;
    if (!int_arg(v_[0], fn, &v)) return NULL;
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char digits[72];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[m & ((1u << bits) - 1)];
        m >>= bits;
    } while (m);
    char buf[80];
    int k = 0;
    if (v < 0) buf[k++] = '-';
    for (const char *p = prefix; *p;) buf[k++] = *p++;
    while (n) buf[k++] = digits[--n];
    return val_str(buf, k);
}
Value *py_bin(Value *self, const CallArgs *a) { return radix(a, "bin", 1, "0b"); }
Value *py_oct(Value *self, const CallArgs *a) { return radix(a, "oct", 3, "0o"); }
Value *py_hex(Value *self, const CallArgs *a) { return radix(a, "hex", 4, "0x"); }

/* divmod(a, b): (a // b, a % b) */
Value *py_divmod(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("divmod", "a, b");
    Value *q = binary_op(B_FLOORDIV, v_[0], v_[1]);
    Value *r = q ? binary_op(B_MOD, v_[0], v_[1]) : NULL;
    Value *t = r ? val_tuple_new(2) : NULL;
    if (!t) {
        val_release(q);
        val_release(r);
        return NULL;
    }
    t->seq.items[0] = q;
    t->seq.items[1] = r;
    return t;
}

/* ascii(obj): repr with non-ASCII characters escaped */
Value *py_ascii(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("ascii", "obj");
    Value *r = val_repr(v_[0]);
    if (!r) return NULL;
    StrBuf b = {0};
    const unsigned char *p = (const unsigned char *)r->str.s;
    bool ok = true;
    for (int64_t i = 0; ok && i < r->str.len;) {
        if (p[i] < 0x80) {
            ok = sb_append(&b, (const char *)p + i, 1);
            i++;
            continue;
        }
        int n = p[i] < 0xe0 ? 2 : p[i] < 0xf0 ? 3 : 4;
        int64_t c = n == 2 ? p[i] & 0x1f : n == 3 ? p[i] & 0x0f : p[i] & 0x07;
        for (int k = 1; k < n && i + k < r->str.len; k++) c = (c << 6) | (p[i + k] & 0x3f);
        ok = c < 0x100 ? sb_printf(&b, "\\x%02llx", (long long)c)
             : c < 0x10000 ? sb_printf(&b, "\\u%04llx", (long long)c) : sb_printf(&b, "\\U%08llx", (long long)c);
        i += n;
    }
    val_release(r);
    if (!ok) {
        free(b.data);
        return NULL;
    }
    return b.data ? val_str_steal(b.data, b.len) : val_str("", 0);
}

/* ------------------------------------------------------------ generator methods */

static Value *gen_send_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("send", "value");
    bool done;
    Value *r = gen_send(self, v_[0], &done);
    if (r || !done) return r;
    tsr_raise(ERR_StopIteration, "%s", "");
    return NULL;
}

static Value *gen_close_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("close", "");
    return gen_close(self) ? val_none() : NULL;
}

const Builtin generator_methods[] = {{"send", gen_send_m}, {"close", gen_close_m}, {NULL, NULL}};
