/* format.c: f-string/format() and `str % args` over values, on pyfmt. */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "error.h"
#include "class.h"
#include "interp_internal.h"
#include "pyfmt.h"

static Value *pybuf_to_value(PyBuf *b, bool ok) {
    if (!ok) {
        pybuf_free(b);
        return NULL;
    }
    if (!b->data) return val_str("", 0);
    return val_str_steal(b->data, b->len);
}

Value *format_value(Value *v, const char *spec) {
    PyBuf b = {0};
    bool ok;
    if (v->kind == VK_INSTANCE) { /* the class's __format__, else object.__format__ */
        bool found;
        Value *sv = val_cstr(spec);
        Value *r = sv ? special_call(v, "__format__", &sv, 1, &found) : NULL;
        val_release(sv);
        if (!sv || found) {
            if (r && r->kind != VK_STR) {
                tsr_raise(ERR_TypeError, "__format__ must return a str, not %s", val_type_name(r));
                val_release(r);
                return NULL;
            }
            return r;
        }
        if (v->inst.payload && v->inst.payload->kind != VK_DICT && v->inst.payload->kind != VK_LIST &&
            (spec[0] || v->inst.payload->kind == VK_STR))
            return format_value(v->inst.payload, spec); /* str.__format__, int.__format__, ... */
        if (spec[0]) {
            tsr_raise(ERR_TypeError, "unsupported format string passed to %s.__format__", val_type_name(v));
            return NULL;
        }
        return val_str_of(v);
    }
    switch (v->kind) {
    case VK_FLOAT: ok = pyfmt_format_float(&b, v->f, spec); break;
    case VK_COMPLEX:
        ok = spec[0] ? pyfmt_format_complex(&b, v->c.re, v->c.im, spec) : val_str_into(&b, v);
        break;
    case VK_INT: ok = pyfmt_format_int(&b, v->i, spec); break;
    case VK_BOOL:
        if (!spec[0]) return val_cstr(v->b ? "True" : "False");
        ok = pyfmt_format_int(&b, v->b, spec);
        break;
    case VK_TENSOR: {
        /* Tensor.__format__: 0-dim tensors format as their item() (even
         * with an empty spec), others as str(self) */
        Tensor *t = v->tensor;
        if (t->ndim == 0) {
            Value *item = dtype_is_float(t->dtype) ? val_float(tensor_get_f64(t, 0))
                          : t->dtype == DT_BOOL      ? val_bool(tensor_get_i64(t, 0) != 0)
                                                     : val_int(tensor_get_i64(t, 0));
            if (!item) return NULL;
            Value *r = format_value(item, spec);
            val_release(item);
            return r;
        }
        if (spec[0]) {
            tsr_raise(ERR_TypeError, "%s", "unsupported format string passed to Tensor.__format__");
            return NULL;
        }
        return val_str_of(v);
    }
    default: {
        Value *s = val_str_of(v);
        if (!s) return NULL;
        if (v->kind != VK_STR && spec[0]) {
            val_release(s);
            tsr_raise(ERR_TypeError, "unsupported format string passed to %s.__format__",
                      val_type_name(v));
            return NULL;
        }
        ok = pyfmt_format_str(&b, s->str.s, s->str.len, spec);
        val_release(s);
        break;
    }
    }
    return pybuf_to_value(&b, ok);
}

/* One UTF-8 code point? */
static bool is_one_char(const char *s, int64_t len) {
    for (int64_t i = 1; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80) return false;
    return true;
}

/* the number an instance gives a numeric % conversion: its int, float
 * or tuple payload's value, else __index__ (then __int__ for %d %i %u) or
 * __float__ for the float conversions; NULL when it has none (or raised) */
static Value *number_of_instance(Value *x, char conv) {
    if (x->kind != VK_INSTANCE) return NULL;
    if (val_unwrap(x) != x) return val_retain(val_unwrap(x));
    bool is_int = strchr("diuoxX", conv) != NULL, found;
    const char *names[2] = {is_int ? "__index__" : "__float__", strchr("diu", conv) ? "__int__" : NULL};
    for (int i = 0; i < 2 && names[i]; i++) {
        Value *r = special_call(x, names[i], NULL, 0, &found);
        if (found) return r;
    }
    return NULL;
}

/* ascii(repr(x)), for a bytes format's %r and %a */
static Value *ascii_repr(Value *x) {
    Value *r = val_repr(x);
    if (!r) return NULL;
    PyBuf b = {0};
    const unsigned char *p = (const unsigned char *)r->str.s;
    bool ok = pybuf_append(&b, "", 0);
    for (int64_t i = 0; ok && i < r->str.len;) {
        if (p[i] < 0x80) {
            ok = pybuf_append(&b, (const char *)p + i++, 1);
            continue;
        }
        int n = p[i] < 0xe0 ? 2 : p[i] < 0xf0 ? 3 : 4;
        uint32_t c = n == 2 ? p[i] & 0x1f : n == 3 ? p[i] & 0x0f : p[i] & 0x07;
        for (int k = 1; k < n && i + k < r->str.len; k++) c = (c << 6) | (p[i + k] & 0x3f);
        ok = c < 0x100 ? sb_printf(&b, "\\x%02x", (unsigned)c)
             : c < 0x10000 ? sb_printf(&b, "\\u%04x", (unsigned)c) : sb_printf(&b, "\\U%08x", (unsigned)c);
        i += n;
    }
    val_release(r);
    return pybuf_to_value(&b, ok);
}

/* a bytes format's %s/%b argument: bytes-like, or its __bytes__ */
static Value *bytes_arg(Value *x) {
    const unsigned char *s;
    int64_t n;
    if (bytes_buffer(x, &s, &n)) return val_retain(x);
    if (x->kind == VK_INSTANCE) {
        bool found;
        Value *r = special_call(x, "__bytes__", NULL, 0, &found);
        if (found) return r;
    }
    tsr_raise(ERR_TypeError, "%%b requires a bytes-like object, or an object that implements __bytes__, not '%s'",
              val_type_name(x));
    return NULL;
}

static Value *percent_any(Value *fmt, Value *args, bool bytes);

/* Python's `fmt % args`; a tensor argument formats through its item(). */
Value *percent_format(Value *fmt, Value *args) { return percent_any(fmt, args, false); }
/* bytes's and bytearray's `fmt % args` */
Value *bytes_percent_format(Value *fmt, Value *args) { return percent_any(fmt, args, true); }

static Value *percent_any(Value *fmt, Value *args, bool bytes) {
    PyBuf out = {0};
    const char *fs = bytes ? (const char *)fmt->bytes.s : fmt->str.s;
    int64_t flen = bytes ? fmt->bytes.len : fmt->str.len;
    if (val_unwrap(args)->kind == VK_TUPLE) args = val_unwrap(args); /* a tuple subclass */
    bool tuple_args = args->kind == VK_TUPLE || args->kind == VK_NAMEDTUPLE || args->kind == VK_SIZE;
    int64_t nargs = tuple_args ? args->seq.len : 1, next = 0;
    bool is_mapping = args->kind == VK_DICT;
    int64_t pos = 0;
    PyPercentSpec sp;
    int r;
    if (bytes && !pybuf_append(&out, "", 0)) return NULL;
    while ((r = pyfmt_percent_next(fs, flen, &pos, &out, &sp)) == 1) {
        for (int k = 0; k < 2; k++) {
            int64_t *field = k ? &sp.prec : &sp.width;
            if (*field != PYFMT_STAR) continue;
            Value *w = next < nargs ? (tuple_args ? args->seq.items[next] : args) : NULL;
            next++;
            if (!w) {
                tsr_raise(ERR_TypeError, "%s", "not enough arguments for format string");
                goto fail;
            }
            if (w->kind != VK_INT) {
                tsr_raise(ERR_TypeError, "%s", "* wants int");
                goto fail;
            }
            *field = w->i;
        }
        Value *x;
        if (sp.key) {
            if (!is_mapping) {
                tsr_raise(ERR_TypeError, "%s", "format requires a mapping");
                goto fail;
            }
            char key[256];
            int64_t kl = sp.key_len < 255 ? sp.key_len : 255;
            memcpy(key, sp.key, (size_t)kl);
            key[kl] = 0;
            if (bytes) { /* b'%(k)s' looks b'k' up */
                Value *k = val_bytes(sp.key, sp.key_len);
                bool found = k && dict_lookup(args->dict, k, &x);
                if (found && !x) raise_key_error(k);
                val_release(k);
                if (!found || !x) goto fail;
            } else if (!(x = dict_get(args->dict, key))) {
                tsr_raise(ERR_KeyError, "'%s'", key);
                goto fail;
            }
        } else {
            if (next >= nargs) {
                tsr_raise(ERR_TypeError, "%s", "not enough arguments for format string");
                goto fail;
            }
            x = tuple_args ? args->seq.items[next] : args;
            next++;
        }
        char conv = sp.conv;
        if (bytes && conv == 'b') conv = 's';
        else if (!pyfmt_percent_conv_ok(&sp)) goto fail;
        bool ok;
        if (bytes && (conv == 's' || conv == 'r' || conv == 'a' || conv == 'c')) {
            Value *s = conv == 's' ? bytes_arg(x) : conv == 'c' ? NULL : ascii_repr(x);
            if (conv == 'c') {
                const unsigned char *p;
                int64_t n;
                unsigned char ch = 0;
                int64_t c = -1;
                if (x->kind == VK_INT || x->kind == VK_BOOL) c = x->kind == VK_INT ? x->i : x->b;
                else if (bytes_buffer(x, &p, &n) && n == 1) c = p[0];
                else {
                    tsr_raise(ERR_TypeError, "%s", "%c requires an integer in range(256) or a single byte");
                    goto fail;
                }
                if (c < 0 || c > 255) {
                    tsr_raise(ERR_OverflowError, "%s", "%c arg not in range(256)");
                    goto fail;
                }
                ch = (unsigned char)c;
                if (!pyfmt_percent_str(&out, &sp, (const char *)&ch, 1)) goto fail;
                continue;
            }
            if (!s) goto fail;
            if (s->kind == VK_STR) ok = pyfmt_percent_str(&out, &sp, s->str.s, s->str.len);
            else ok = pyfmt_percent_str(&out, &sp, (const char *)s->bytes.s, s->bytes.len);
            val_release(s);
            if (!ok) goto fail;
            continue;
        }
        switch (conv) {
        case 's':
        case 'r':
        case 'a': {
            Value *s = sp.conv == 's' ? val_str_of(x) : val_repr(x);
            if (!s) goto fail;
            ok = pyfmt_percent_str(&out, &sp, s->str.s, s->str.len);
            val_release(s);
            break;
        }
        case 'c':
            if (x->kind == VK_INT || x->kind == VK_BOOL) ok = pyfmt_percent_char(&out, &sp, x->kind == VK_INT ? x->i : x->b);
            else if (x->kind == VK_STR && x->str.len > 0 && is_one_char(x->str.s, x->str.len))
                ok = pyfmt_percent_str(&out, &sp, x->str.s, x->str.len);
            else {
                tsr_raise(ERR_TypeError, "%s", "%c requires int or char");
                ok = false;
            }
            break;
        default: {
            Value *conv = number_of_instance(x, sp.conv);
            if (!conv && tsr_err_occurred()) goto fail;
            if (conv) x = conv;
            if (x->kind == VK_INT || x->kind == VK_BOOL) {
                ok = pyfmt_percent_number(&out, &sp, false, 0, x->kind == VK_INT ? x->i : x->b);
            } else if (x->kind == VK_FLOAT) {
                ok = pyfmt_percent_number(&out, &sp, true, x->f, 0);
            } else if (x->kind == VK_TENSOR && tensor_numel(x->tensor) == 1) {
                Tensor *t = x->tensor;
                if (dtype_is_float(t->dtype))
                    ok = pyfmt_percent_number(&out, &sp, true, tensor_get_f64(t, 0), 0);
                else
                    ok = pyfmt_percent_number(&out, &sp, false, 0, tensor_get_i64(t, 0));
            } else {
                ok = pyfmt_percent_type_error(&sp, val_type_name(x));
            }
            val_release(conv);
        }
        }
        if (!ok) goto fail;
    }
    if (r < 0) goto fail;
    /* an argument with __getitem__ (not a tuple or a str, for bytes not
     * bytes-like) is a mapping to CPython: no count of its uses */
    bool mapping_like = args->kind == VK_LIST || args->kind == VK_RANGE ||
                        (!bytes && val_is_bytes(args));
    if (!is_mapping && !mapping_like && next < nargs) {
        tsr_raise(ERR_TypeError, "not all arguments converted during %s formatting", bytes ? "bytes" : "string");
        goto fail;
    }
    if (bytes) return val_bytes_steal(fmt->kind, (unsigned char *)out.data, out.len);
    return pybuf_to_value(&out, true);
fail:
    pybuf_free(&out);
    return NULL;
}
