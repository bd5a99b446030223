/* python_str_format.c: str.format and str.format_map, parsed as CPython
 * 3.11's unicode_format.h does: {} {0} {name} fields with .attr and [key]
 * parts, !r/!s/!a conversions, format specs with nested fields, and its
 * ValueErrors. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "interp_internal.h"
#include "python_str.h"

typedef struct {
    const CallArgs *a;
    Value *mapping; /* format_map's mapping; NULL for format */
    int next_auto;  /* the next {} index */
    bool manual;    /* a field has named its index */
} Fmt;

static Value *fmt_fail(const char *msg) {
    tsr_raise(ERR_ValueError, "%s", msg);
    return NULL;
}

static bool all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return n > 0;
}

/* The argument that the head of a field name (up to '.' or '[') names:
 * borrowed. */
static Value *field_head(Fmt *f, const char *s, size_t n) {
    if (n == 0 || all_digits(s, n)) {
        if (f->mapping) return fmt_fail("Format string contains positional fields");
        if (n > 18) return fmt_fail("Too many decimal digits in format string");
        if (n == 0 && f->manual)
            return fmt_fail("cannot switch from manual field specification to automatic field numbering");
        if (n > 0 && f->next_auto > 0)
            return fmt_fail("cannot switch from automatic field numbering to manual field specification");
        long long k = n ? atoll(s) : f->next_auto++;
        f->manual = f->manual || n > 0;
        if (k >= f->a->nargs) {
            tsr_raise(ERR_IndexError, "Replacement index %lld out of range for positional args tuple", k);
            return NULL;
        }
        return f->a->args[k];
    }
    char *name = tsr_strndup(s, n);
    if (!name) return NULL;
    Value *arg = NULL;
    if (f->mapping && f->mapping->kind != VK_DICT) {
        tsr_raise(ERR_TypeError, "'%s' object is not subscriptable", val_type_name(f->mapping));
    } else if (f->mapping) {
        Value *key = val_cstr(name);
        if (key && dict_lookup(f->mapping->dict, key, &arg) && !arg) tsr_raise(ERR_KeyError, "'%s'", name);
        val_release(key);
    } else {
        for (int i = 0; i < f->a->nkw; i++)
            if (!strcmp(f->a->kwnames[i], name)) arg = f->a->kwvals[i];
        if (!arg) tsr_raise(ERR_KeyError, "'%s'", name);
    }
    free(name);
    return arg;
}

/* The value a whole field name selects: a new reference. */
static Value *field_value(Fmt *f, const char *s, const char *end) {
    const char *p = s;
    while (p < end && *p != '.' && *p != '[') p++;
    Value *v = val_retain(field_head(f, s, (size_t)(p - s)));
    while (v && p < end) {
        bool attr = *p++ == '.';
        const char *q = p;
        if (attr) {
            while (q < end && *q != '.' && *q != '[') q++;
        } else {
            while (q < end && *q != ']') q++;
            if (q == end) {
                val_release(v);
                return fmt_fail("Missing ']' in format string");
            }
        }
        if (q == p) {
            val_release(v);
            return fmt_fail("Empty attribute in format string");
        }
        char *part = tsr_strndup(p, (unsigned long long)(q - p));
        Value *key = !part || attr ? NULL : all_digits(part, strlen(part)) ? val_int(atoll(part)) : val_cstr(part);
        Value *next = !part ? NULL : attr ? get_attr(v, part) : key ? get_item(v, key) : NULL;
        free(part);
        val_release(key);
        val_release(v);
        v = next;
        p = attr ? q : q + 1;
        if (v && !attr && p < end && *p != '.' && *p != '[') {
            val_release(v);
            return fmt_fail("Only '.' or '[' may follow ']' in format field specifier");
        }
    }
    return v;
}

static bool render(StrBuf *b, const char *s, const char *end, Fmt *f, int depth);

static Value *convert(Value *v, char conv) {
    if (conv == 'r') return val_repr(v);
    if (conv == 's') return val_str_of(v);
    if (conv == 'a') return py_ascii(NULL, &(CallArgs){.args = &v, .nargs = 1});
    return val_retain(v);
}

/* One field, s at the character after its '{': appends it and returns
 * the end of the field (after its '}'), or NULL. */
static const char *render_field(StrBuf *b, const char *s, const char *end, Fmt *f, int depth) {
    const char *p = s;
    char c = 0;
    while (p < end) {
        c = *p++;
        if (c == '{') return fmt_fail("unexpected '{' in field name"), NULL;
        if (c == '[')
            while (p < end && *p != ']') p++;
        else if (c == '}' || c == ':' || c == '!')
            break;
    }
    const char *name_end = p - 1, *spec = p, *spec_end = p;
    char conv = 0;
    bool has_spec = c == ':';
    if (c == '!') {
        if (p >= end) return fmt_fail("end of string while looking for conversion specifier"), NULL;
        conv = *p++;
        has_spec = true;
        if (p < end) {
            c = *p++;
            if (c == '}') has_spec = false;
            else if (c != ':') return fmt_fail("expected ':' after conversion specifier"), NULL;
        }
    } else if (c != '}' && c != ':') {
        return fmt_fail("expected '}' before end of string"), NULL;
    }
    if (has_spec) {
        spec = p;
        for (int count = 1; count > 0;) {
            if (p >= end) return fmt_fail("unmatched '{' in format spec"), NULL;
            c = *p++;
            count += c == '{' ? 1 : c == '}' ? -1 : 0;
        }
        spec_end = p - 1;
    }
    if (conv && conv != 'r' && conv != 's' && conv != 'a') {
        tsr_raise(ERR_ValueError, "Unknown conversion specifier %c", conv);
        return NULL;
    }
    Value *arg = field_value(f, s, name_end);
    if (!arg) return NULL;
    Value *v = convert(arg, conv), *out = NULL;
    val_release(arg);
    StrBuf sb = {0};
    /* only a spec with fields in it counts against the depth */
    bool nested = memchr(spec, '{', (size_t)(spec_end - spec)) != NULL;
    if (v && sb_append(&sb, "", 0) &&
        (nested ? render(&sb, spec, spec_end, f, depth - 1) : sb_append(&sb, spec, spec_end - spec)))
        out = format_value(v, sb.data);
    free(sb.data);
    val_release(v);
    bool ok = out && sb_append(b, out->str.s, out->str.len);
    val_release(out);
    return ok ? p : NULL;
}

/* Appends s[..end) with its fields replaced; depth bounds the nesting of
 * fields in specs. */
static bool render(StrBuf *b, const char *s, const char *end, Fmt *f, int depth) {
    if (depth <= 0) return fmt_fail("Max string recursion exceeded");
    while (s < end) {
        char c = *s++;
        if ((c == '{' || c == '}') && s < end && *s == c) {
            s++;
        } else if (c == '}') {
            return fmt_fail("Single '}' encountered in format string");
        } else if (c == '{') {
            if (s >= end) return fmt_fail("Single '{' encountered in format string");
            if (!(s = render_field(b, s, end, f, depth))) return false;
            continue;
        }
        if (!sb_append(b, s - 1, 1)) return false;
    }
    return true;
}

static Value *format_common(Value *self, const CallArgs *a, Value *mapping) {
    Fmt f = {a, mapping, 0, false};
    StrBuf b = {0};
    if (!sb_append(&b, "", 0) || !render(&b, self->str.s, self->str.s + self->str.len, &f, 2)) {
        free(b.data);
        return NULL;
    }
    return val_str_steal(b.data, b.len);
}

Value *str_format(Value *self, const CallArgs *a) { return format_common(self, a, NULL); }

Value *str_format_map(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!str_args(a, "format_map", STR_ONE, 1, 1, v)) return NULL;
    CallArgs none = {0};
    return format_common(self, &none, v[0]);
}
