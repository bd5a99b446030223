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
#include "iterators.h"

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

/* iter(obj): an iterator; an instance's own __iter__ result */
Value *py_iter(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("iter", "object");
    return iter_of(v_[0]);
}

/* the StopIteration that ends iterator it: StopIteration(value) once
 * after a generator returned a value, else StopIteration(); NULL */
static Value *raise_stop_iteration(Value *it) {
    Value *rv = it->kind == VK_PYGEN ? gen_take_return_value(it) : NULL;
    if (rv && rv->kind != VK_NONE) {
        Value *e = class_call(class_of_error(ERR_StopIteration), &(CallArgs){&rv, 1, NULL, NULL, 0});
        if (e) exc_raise_value(tsr_interp, e, NULL);
        val_release(e);
    } else {
        tsr_raise(ERR_StopIteration, "%s", "");
    }
    val_release(rv);
    return NULL;
}

/* next(iterator[, default]) */
Value *py_next(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("next", "iterator, default=");
    Value *it = v_[0];
    bool done;
    Value *r = it->kind == VK_PYGEN ? gen_send(it, NULL, &done) : iter_next(it, &done);
    if (r || !done) return r;
    if (v_[1]) {
        if (it->kind == VK_PYGEN) val_release(gen_take_return_value(it));
        return val_retain(v_[1]);
    }
    return raise_stop_iteration(it);
}

/* map(fn, *iterables) and filter(fn, iterable): lazy iterators */
Value *py_map(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "map() takes no keyword arguments");
        return NULL;
    }
    if (a->nargs < 2) {
        tsr_raise(ERR_TypeError, "%s", "map() must have at least two arguments.");
        return NULL;
    }
    return iter_map(a->args[0], a->args + 1, a->nargs - 1);
}

Value *py_filter(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("filter", "function, iterable");
    return iter_filter(v_[0], v_[1]);
}

/* ------------------------------------------------------------ characters and numbers */

static bool int_arg(Value *v, const char *fn, int64_t *out) {
    if (v->kind == VK_INT || v->kind == VK_BOOL) {
        *out = v->kind == VK_INT ? v->i : v->b;
        return true;
    }
    if (v->kind == VK_TENSOR || v->kind == VK_INSTANCE) return val_as_int(v, out); /* an int subclass too */
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
    Value *x = val_unwrap(v_[0]), *y = val_unwrap(v_[1]);
    double dy;
    bool numbers = (x->kind == VK_FLOAT || x->kind == VK_INT || x->kind == VK_BOOL) &&
                   (y->kind == VK_FLOAT || y->kind == VK_INT || y->kind == VK_BOOL);
    if (numbers && (x->kind == VK_FLOAT || y->kind == VK_FLOAT) && val_as_double(y, &dy) && dy == 0) {
        tsr_raise(ERR_ZeroDivisionError, "%s", "float divmod()"); /* float's own message, not //'s */
        return NULL;
    }
    if (x->kind == VK_COMPLEX || y->kind == VK_COMPLEX) { /* complex has no divmod since 3.10 */
        tsr_raise(ERR_TypeError, "unsupported operand type(s) for divmod(): '%s' and '%s'", val_type_name(v_[0]),
                  val_type_name(v_[1]));
        return NULL;
    }
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
    return raise_stop_iteration(self);
}

static Value *gen_close_m(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("close", "");
    return gen_close(self) ? val_none() : NULL;
}

/* throw(exc) or 3.11's throw(type, value): the value made an instance */
static Value *gen_throw_m(Value *self, const CallArgs *a) {
    ARGS(3);
    PARSE("throw", "typ, val=, tb=");
    Value *exc = v_[0];
    Value *made = NULL;
    if (!is_none(v_[1]) && exc->kind == VK_CLASS &&
        !(v_[1]->kind == VK_INSTANCE && class_is_subclass(v_[1]->inst.cls, exc))) {
        bool tuple = v_[1]->kind == VK_TUPLE; /* throw(E, (a, b)): E(a, b) */
        CallArgs ca = {tuple ? v_[1]->seq.items : &v_[1], tuple ? (int)v_[1]->seq.len : 1, NULL, NULL, 0};
        made = call_value(exc, &ca);
        if (!made) return NULL;
        exc = made;
    } else if (!is_none(v_[1])) {
        exc = v_[1];
    }
    bool done;
    Value *r = gen_throw(self, exc, &done);
    val_release(made);
    if (r || !done) return r;
    return raise_stop_iteration(self);
}

const Builtin generator_methods[] = {
    {"send", gen_send_m}, {"close", gen_close_m}, {"throw", gen_throw_m}, {NULL, NULL}};
