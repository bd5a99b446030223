/* python_bytes.c: the methods of bytes and bytearray (CPython 3.11's
 * results and errors): search, split, strip, padding, ASCII case and
 * classes, hex, and bytearray's mutators. The codecs (decode, and
 * str.encode) are in python_codecs.c. A method of a bytearray returns
 * bytearrays where bytes returns bytes. */
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "bytes.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"
#include "python_bytes.h"
#include "python_str.h"

/* ------------------------------------------------------------ helpers */

static const char *tname(const Value *self) { return self->kind == VK_BYTES ? "bytes" : "bytearray"; }

/* positional arguments only, with CPython's messages by style */
static bool bargs(Value *self, const CallArgs *a, const char *name, StrArgStyle style, int min, int max, Value **out) {
    return method_args(tname(self), a, name, style, min, max, out);
}

/* a bytes-like argument: "a bytes-like object is required, not 'str'" */
static bool want_buffer(Value *v, const unsigned char **s, int64_t *n) {
    if (bytes_buffer(v, s, n)) return true;
    tsr_raise(ERR_TypeError, "a bytes-like object is required, not '%s'", val_type_name(v));
    return false;
}

static Value *result(const Value *self, const void *s, int64_t n) { return val_bytes_new(self->kind, s, n); }

static bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(unsigned char c) { return is_lower(c) || is_upper(c); }
static unsigned char to_upper(unsigned char c) { return is_lower(c) ? (unsigned char)(c - 32) : c; }
static unsigned char to_lower(unsigned char c) { return is_upper(c) ? (unsigned char)(c + 32) : c; }

/* start/end of a search: None or an index, clamped as a slice's */
static bool search_bounds(Value *sv, Value *ev, int64_t n, int64_t *start, int64_t *end) {
    *start = 0;
    *end = n;
    Value *vs[2] = {sv, ev};
    int64_t *outs[2] = {start, end};
    for (int k = 0; k < 2; k++) {
        if (!vs[k] || vs[k]->kind == VK_NONE) continue;
        Value *u = val_unwrap(vs[k]);
        if (u->kind != VK_INT && u->kind != VK_BOOL && vs[k]->kind != VK_INSTANCE && vs[k]->kind != VK_TENSOR) {
            tsr_raise(ERR_TypeError, "%s", "slice indices must be integers or None or have an __index__ method");
            return false;
        }
        int64_t x;
        if (!val_as_int(vs[k], &x)) return false;
        if (x < 0) {
            x += n;
            if (x < 0) x = 0;
        } else if (x > n && k == 1) {
            x = n; /* a start past the end finds nothing, not even b'' */
        }
        *outs[k] = x;
    }
    return true;
}

/* the needle of count/find/index: bytes-like or a byte as an int */
static bool needle_of(Value *v, unsigned char *one, const unsigned char **s, int64_t *n) {
    if (bytes_buffer(v, s, n)) return true;
    Value *u = val_unwrap(v);
    if (u->kind == VK_INT || u->kind == VK_BOOL || (v->kind == VK_INSTANCE && class_lookup(v->inst.cls, "__index__"))) {
        int c;
        if (!bytes_byte_of(v, "byte must be in range(0, 256)", &c)) return false;
        *one = (unsigned char)c;
        *s = one;
        *n = 1;
        return true;
    }
    tsr_raise(ERR_TypeError, "argument should be integer or bytes-like object, not '%s'", val_type_name(v));
    return false;
}

static int64_t find_in(const unsigned char *h, int64_t start, int64_t end, const unsigned char *s, int64_t n,
                       bool reverse) {
    if (end - start < n) return -1;
    if (!reverse) {
        if (!n) return start;
        const unsigned char *p = memmem(h + start, (size_t)(end - start), s, (size_t)n);
        return p ? p - h : -1;
    }
    for (int64_t i = end - n; i >= start; i--)
        if (!memcmp(h + i, s, (size_t)n)) return i;
    return -1;
}

/* count, find, rfind, index, rindex */
static Value *search(Value *self, const CallArgs *a, const char *name, int mode) {
    Value *v[3];
    if (!bargs(self, a, name, STR_TUPLE, 1, 3, v)) return NULL;
    unsigned char one;
    const unsigned char *s;
    int64_t n, start, end;
    if (!needle_of(v[0], &one, &s, &n) || !search_bounds(v[1], v[2], self->bytes.len, &start, &end)) return NULL;
    const unsigned char *h = self->bytes.s;
    if (mode == 0) { /* count */
        if (start > end) return val_int(0);
        if (!n) return val_int(end - start + 1);
        int64_t c = 0;
        for (int64_t i = start; (i = find_in(h, i, end, s, n, false)) >= 0; i += n) c++;
        return val_int(c);
    }
    int64_t at = start > end ? -1 : find_in(h, start, end, s, n, mode == 2 || mode == 4);
    if (at < 0 && mode >= 3) {
        tsr_raise(ERR_ValueError, "%s", "subsection not found");
        return NULL;
    }
    return val_int(at);
}

static Value *b_count(Value *self, const CallArgs *a) { return search(self, a, "count", 0); }
static Value *b_find(Value *self, const CallArgs *a) { return search(self, a, "find", 1); }
static Value *b_rfind(Value *self, const CallArgs *a) { return search(self, a, "rfind", 2); }
static Value *b_index(Value *self, const CallArgs *a) { return search(self, a, "index", 3); }
static Value *b_rindex(Value *self, const CallArgs *a) { return search(self, a, "rindex", 4); }

static Value *starts_ends(Value *self, const CallArgs *a, const char *name, bool ends) {
    Value *v[3];
    if (!bargs(self, a, name, STR_TUPLE, 1, 3, v)) return NULL;
    int64_t start, end;
    if (!search_bounds(v[1], v[2], self->bytes.len, &start, &end)) return NULL;
    bool tuple = v[0]->kind == VK_TUPLE;
    int64_t k = tuple ? v[0]->seq.len : 1;
    for (int64_t i = 0; i < k; i++) {
        Value *x = tuple ? v[0]->seq.items[i] : v[0];
        const unsigned char *s;
        int64_t n;
        if (!bytes_buffer(x, &s, &n)) {
            if (tuple)
                tsr_raise(ERR_TypeError, "a bytes-like object is required, not '%s'", val_type_name(x));
            else
                tsr_raise(ERR_TypeError, "%s first arg must be bytes or a tuple of bytes, not %s", name,
                          val_type_name(x));
            return NULL;
        }
        if (start > self->bytes.len || end - start < n) continue;
        if (!memcmp(self->bytes.s + (ends ? end - n : start), s, (size_t)n)) return val_bool(true);
    }
    return val_bool(false);
}

static Value *b_startswith(Value *self, const CallArgs *a) { return starts_ends(self, a, "startswith", false); }
static Value *b_endswith(Value *self, const CallArgs *a) { return starts_ends(self, a, "endswith", true); }

/* ------------------------------------------------------------ split, join */

static bool append_part(Value *list, const Value *self, const unsigned char *s, int64_t n) {
    return val_list_append_steal(list, result(self, s, n));
}

static Value *split_any(Value *self, const CallArgs *a, bool right) {
    static const char *const names[] = {"sep", "maxsplit"};
    Value *v[2];
    if (!method_kwargs(a, right ? "rsplit" : "split", names, 2, v)) return NULL;
    int64_t maxsplit = -1;
    if (v[1] && !val_as_int(v[1], &maxsplit)) return NULL;
    if (maxsplit < 0) maxsplit = INT64_MAX;
    const unsigned char *h = self->bytes.s, *s = NULL;
    int64_t len = self->bytes.len, n = 0;
    bool ws = !v[0] || v[0]->kind == VK_NONE;
    if (!ws) {
        if (!want_buffer(v[0], &s, &n)) return NULL;
        if (!n) {
            tsr_raise(ERR_ValueError, "%s", "empty separator");
            return NULL;
        }
    }
    Value *out = val_list_new(0);
    if (!out) return NULL;
    bool ok = true;
    if (ws) {
        if (!right) {
            int64_t i = 0, count = 0;
            while (ok) {
                while (i < len && is_space(h[i])) i++;
                if (i >= len) break;
                int64_t j = i;
                if (count++ >= maxsplit) j = len; /* the rest, as it is */
                else
                    while (j < len && !is_space(h[j])) j++;
                ok = append_part(out, self, h + i, j - i);
                i = j;
            }
        } else {
            int64_t i = len, count = 0;
            while (ok) {
                while (i > 0 && is_space(h[i - 1])) i--;
                if (i <= 0) break;
                int64_t j = i;
                if (count++ >= maxsplit) j = 0;
                else
                    while (j > 0 && !is_space(h[j - 1])) j--;
                ok = append_part(out, self, h + j, i - j);
                i = j;
            }
        }
    } else if (!right) {
        int64_t i = 0, count = 0, at;
        while (ok && count < maxsplit && (at = find_in(h, i, len, s, n, false)) >= 0) {
            ok = append_part(out, self, h + i, at - i);
            i = at + n;
            count++;
        }
        if (ok) ok = append_part(out, self, h + i, len - i);
    } else {
        int64_t j = len, count = 0, at;
        while (ok && count < maxsplit && (at = find_in(h, 0, j, s, n, true)) >= 0) {
            ok = append_part(out, self, h + at + n, j - at - n);
            j = at;
            count++;
        }
        if (ok) ok = append_part(out, self, h, j);
    }
    if (ok && right) { /* built from the right: reverse */
        for (int64_t i = 0, k = out->seq.len - 1; i < k; i++, k--) {
            Value *t = out->seq.items[i];
            out->seq.items[i] = out->seq.items[k];
            out->seq.items[k] = t;
        }
    }
    if (!ok) {
        val_release(out);
        return NULL;
    }
    return out;
}

static Value *b_split(Value *self, const CallArgs *a) { return split_any(self, a, false); }
static Value *b_rsplit(Value *self, const CallArgs *a) { return split_any(self, a, true); }

static Value *b_join(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!bargs(self, a, "join", STR_ONE, 1, 1, v)) return NULL;
    Value *items = iterate_to_list(v[0]);
    if (!items) {
        if (tsr_err_kind() == ERR_TypeError && strstr(tsr_err_msg(), "is not iterable"))
            tsr_raise(ERR_TypeError, "%s", "can only join an iterable");
        return NULL;
    }
    PyBuf b = {0};
    bool ok = pybuf_append(&b, "", 0);
    for (int64_t i = 0; ok && i < items->seq.len; i++) {
        const unsigned char *s;
        int64_t n;
        if (!bytes_buffer(items->seq.items[i], &s, &n)) {
            tsr_raise(ERR_TypeError, "sequence item %lld: expected a bytes-like object, %s found", (long long)i,
                      val_type_name(items->seq.items[i]));
            ok = false;
            break;
        }
        if (i) ok = pybuf_append(&b, (const char *)self->bytes.s, self->bytes.len);
        if (ok) ok = pybuf_append(&b, (const char *)s, n);
    }
    val_release(items);
    if (!ok) {
        pybuf_free(&b);
        return NULL;
    }
    return val_bytes_steal(self->kind, (unsigned char *)b.data, b.len);
}

static Value *partition_any(Value *self, const CallArgs *a, bool right) {
    Value *v[1];
    if (!bargs(self, a, right ? "rpartition" : "partition", STR_ONE, 1, 1, v)) return NULL;
    const unsigned char *s, *h = self->bytes.s;
    int64_t n, len = self->bytes.len;
    if (!want_buffer(v[0], &s, &n)) return NULL;
    if (!n) {
        tsr_raise(ERR_ValueError, "%s", "empty separator");
        return NULL;
    }
    int64_t at = find_in(h, 0, len, s, n, right);
    Value *t = val_tuple_new(3);
    if (!t) return NULL;
    if (at < 0) {
        t->seq.items[right ? 2 : 0] = result(self, h, len);
        t->seq.items[1] = result(self, NULL, 0);
        t->seq.items[right ? 0 : 2] = result(self, NULL, 0);
    } else {
        t->seq.items[0] = result(self, h, at);
        t->seq.items[1] = result(self, s, n);
        t->seq.items[2] = result(self, h + at + n, len - at - n);
    }
    for (int i = 0; i < 3; i++)
        if (!t->seq.items[i]) {
            val_release(t);
            return NULL;
        }
    return t;
}

static Value *b_partition(Value *self, const CallArgs *a) { return partition_any(self, a, false); }
static Value *b_rpartition(Value *self, const CallArgs *a) { return partition_any(self, a, true); }

static Value *b_splitlines(Value *self, const CallArgs *a) {
    static const char *const names[] = {"keepends"};
    Value *v[1];
    if (!method_kwargs(a, "splitlines", names, 1, v)) return NULL;
    int64_t keep = 0;
    if (v[0] && !val_as_int(v[0], &keep)) return NULL;
    const unsigned char *h = self->bytes.s;
    int64_t len = self->bytes.len;
    Value *out = val_list_new(0);
    if (!out) return NULL;
    for (int64_t i = 0; i < len;) {
        int64_t j = i;
        while (j < len && h[j] != '\n' && h[j] != '\r') j++;
        int64_t eol = j;
        if (j < len) j += h[j] == '\r' && j + 1 < len && h[j + 1] == '\n' ? 2 : 1;
        if (!append_part(out, self, h + i, (keep ? j : eol) - i)) {
            val_release(out);
            return NULL;
        }
        i = j;
    }
    return out;
}

/* ------------------------------------------------------------ strip, replace */

static Value *strip_any(Value *self, const CallArgs *a, const char *name, bool left, bool right) {
    Value *v[1];
    if (!bargs(self, a, name, STR_CLINIC, 0, 1, v)) return NULL;
    const unsigned char *set = NULL;
    int64_t nset = 0;
    if (v[0] && v[0]->kind != VK_NONE && !want_buffer(v[0], &set, &nset)) return NULL;
    const unsigned char *h = self->bytes.s;
    int64_t i = 0, j = self->bytes.len;
#define STRIPPED(c) (set ? memchr(set, (c), (size_t)nset) != NULL : is_space(c))
    if (left)
        while (i < j && STRIPPED(h[i])) i++;
    if (right)
        while (j > i && STRIPPED(h[j - 1])) j--;
#undef STRIPPED
    return result(self, h + i, j - i);
}

static Value *b_strip(Value *self, const CallArgs *a) { return strip_any(self, a, "strip", true, true); }
static Value *b_lstrip(Value *self, const CallArgs *a) { return strip_any(self, a, "lstrip", true, false); }
static Value *b_rstrip(Value *self, const CallArgs *a) { return strip_any(self, a, "rstrip", false, true); }

static Value *b_replace(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!bargs(self, a, "replace", STR_CLINIC, 2, 3, v)) return NULL;
    const unsigned char *o, *w, *h = self->bytes.s;
    int64_t no, nw, len = self->bytes.len, count = -1;
    if (!want_buffer(v[0], &o, &no) || !want_buffer(v[1], &w, &nw)) return NULL;
    if (v[2] && !val_as_int(v[2], &count)) return NULL;
    if (count < 0) count = INT64_MAX;
    PyBuf b = {0};
    bool ok = pybuf_append(&b, "", 0);
    int64_t i = 0, done = 0;
    if (!no) { /* insert new before every byte and at the end */
        for (; ok && i <= len; i++) {
            if (done < count) {
                ok = pybuf_append(&b, (const char *)w, nw);
                done++;
            }
            if (ok && i < len) ok = pybuf_append(&b, (const char *)h + i, 1);
        }
    } else {
        int64_t at;
        while (ok && done < count && (at = find_in(h, i, len, o, no, false)) >= 0) {
            ok = pybuf_append(&b, (const char *)h + i, at - i) && pybuf_append(&b, (const char *)w, nw);
            i = at + no;
            done++;
        }
        if (ok) ok = pybuf_append(&b, (const char *)h + i, len - i);
    }
    if (!ok) {
        pybuf_free(&b);
        return NULL;
    }
    return val_bytes_steal(self->kind, (unsigned char *)b.data, b.len);
}

static Value *affix(Value *self, const CallArgs *a, const char *name, bool suffix) {
    Value *v[1];
    if (!bargs(self, a, name, STR_ONE, 1, 1, v)) return NULL;
    const unsigned char *s, *h = self->bytes.s;
    int64_t n, len = self->bytes.len;
    if (!want_buffer(v[0], &s, &n)) return NULL;
    if (n <= len && !memcmp(suffix ? h + len - n : h, s, (size_t)n)) return result(self, suffix ? h : h + n, len - n);
    return result(self, h, len);
}

static Value *b_removeprefix(Value *self, const CallArgs *a) { return affix(self, a, "removeprefix", false); }
static Value *b_removesuffix(Value *self, const CallArgs *a) { return affix(self, a, "removesuffix", true); }

/* ------------------------------------------------------------ padding */

static Value *pad(Value *self, const CallArgs *a, const char *name, int how) {
    Value *v[2] = {0};
    if (!bargs(self, a, name, how == 3 ? STR_ONE : STR_CLINIC, 1, how == 3 ? 1 : 2, v)) return NULL;
    int64_t width;
    if (!val_as_int(v[0], &width)) return NULL;
    unsigned char fill = how == 3 ? '0' : ' ';
    if (v[1]) {
        const unsigned char *s;
        int64_t n;
        if (!bytes_buffer(v[1], &s, &n) || n != 1) {
            tsr_raise(ERR_TypeError, "%s() argument 2 must be a byte string of length 1, not %s", name,
                      val_type_name(v[1]));
            return NULL;
        }
        fill = s[0];
    }
    const unsigned char *h = self->bytes.s;
    int64_t len = self->bytes.len;
    if (width <= len) return result(self, h, len);
    int64_t marg = width - len, left;
    if (how == 0) left = 0;                                   /* ljust */
    else if (how == 1) left = marg;                           /* rjust */
    else if (how == 2) left = marg / 2 + (marg & width & 1);  /* center, CPython's rounding */
    else left = marg;                                         /* zfill */
    unsigned char *buf = tsr_malloc((unsigned long long)width + 1);
    if (!buf) return NULL;
    memset(buf, fill, (size_t)width);
    memcpy(buf + left, h, (size_t)len);
    if (how == 3 && len && (h[0] == '+' || h[0] == '-')) { /* the sign goes first */
        buf[0] = h[0];
        buf[left] = '0';
    }
    return val_bytes_steal(self->kind, buf, width);
}

static Value *b_ljust(Value *self, const CallArgs *a) { return pad(self, a, "ljust", 0); }
static Value *b_rjust(Value *self, const CallArgs *a) { return pad(self, a, "rjust", 1); }
static Value *b_center(Value *self, const CallArgs *a) { return pad(self, a, "center", 2); }
static Value *b_zfill(Value *self, const CallArgs *a) { return pad(self, a, "zfill", 3); }

static Value *b_expandtabs(Value *self, const CallArgs *a) {
    static const char *const names[] = {"tabsize"};
    Value *v[1];
    if (!method_kwargs(a, "expandtabs", names, 1, v)) return NULL;
    int64_t tab = 8;
    if (v[0] && !val_as_int(v[0], &tab)) return NULL;
    PyBuf b = {0};
    bool ok = pybuf_append(&b, "", 0);
    int64_t col = 0;
    for (int64_t i = 0; ok && i < self->bytes.len; i++) {
        unsigned char c = self->bytes.s[i];
        if (c == '\t') {
            if (tab > 0) {
                int64_t k = tab - col % tab;
                if (k > (1ll << 40)) {
                    tsr_raise_memory_error();
                    ok = false;
                    break;
                }
                for (int64_t j = 0; ok && j < k; j++) ok = pybuf_append(&b, " ", 1);
                col += k;
            }
        } else {
            ok = pybuf_append(&b, (const char *)&c, 1);
            col = c == '\n' || c == '\r' ? 0 : col + 1;
        }
    }
    if (!ok) {
        pybuf_free(&b);
        return NULL;
    }
    return val_bytes_steal(self->kind, (unsigned char *)b.data, b.len);
}

/* ------------------------------------------------------------ ASCII case and classes */

static Value *mapped(Value *self, const CallArgs *a, const char *name, int how) {
    Value *v[1];
    if (!bargs(self, a, name, STR_NOARGS, 0, 0, v)) return NULL;
    Value *r = result(self, self->bytes.s, self->bytes.len);
    if (!r) return NULL;
    unsigned char *s = r->bytes.s;
    bool prev_cased = false;
    for (int64_t i = 0; i < r->bytes.len; i++) {
        unsigned char c = s[i];
        switch (how) {
        case 0: s[i] = to_upper(c); break;
        case 1: s[i] = to_lower(c); break;
        case 2: s[i] = i ? to_lower(c) : to_upper(c); break;                 /* capitalize */
        case 3: s[i] = is_upper(c) ? to_lower(c) : to_upper(c); break;       /* swapcase */
        default:                                                              /* title */
            s[i] = prev_cased ? to_lower(c) : to_upper(c);
            prev_cased = is_alpha(c);
        }
    }
    return r;
}

static Value *b_upper(Value *self, const CallArgs *a) { return mapped(self, a, "upper", 0); }
static Value *b_lower(Value *self, const CallArgs *a) { return mapped(self, a, "lower", 1); }
static Value *b_capitalize(Value *self, const CallArgs *a) { return mapped(self, a, "capitalize", 2); }
static Value *b_swapcase(Value *self, const CallArgs *a) { return mapped(self, a, "swapcase", 3); }
static Value *b_title(Value *self, const CallArgs *a) { return mapped(self, a, "title", 4); }

static Value *classify(Value *self, const CallArgs *a, const char *name, bool (*pred)(unsigned char)) {
    Value *v[1];
    if (!bargs(self, a, name, STR_NOARGS, 0, 0, v)) return NULL;
    if (!self->bytes.len) return val_bool(false);
    for (int64_t i = 0; i < self->bytes.len; i++)
        if (!pred(self->bytes.s[i])) return val_bool(false);
    return val_bool(true);
}

static bool is_alnum(unsigned char c) { return is_alpha(c) || is_digit(c); }
static Value *b_isalpha(Value *self, const CallArgs *a) { return classify(self, a, "isalpha", is_alpha); }
static Value *b_isdigit(Value *self, const CallArgs *a) { return classify(self, a, "isdigit", is_digit); }
static Value *b_isspace(Value *self, const CallArgs *a) { return classify(self, a, "isspace", is_space); }
static Value *b_isalnum(Value *self, const CallArgs *a) { return classify(self, a, "isalnum", is_alnum); }

static Value *b_isascii(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!bargs(self, a, "isascii", STR_NOARGS, 0, 0, v)) return NULL;
    for (int64_t i = 0; i < self->bytes.len; i++)
        if (self->bytes.s[i] >= 0x80) return val_bool(false);
    return val_bool(true);
}

/* isupper/islower: some cased byte, none of the other case; istitle */
static Value *cased(Value *self, const CallArgs *a, const char *name, int how) {
    Value *v[1];
    if (!bargs(self, a, name, STR_NOARGS, 0, 0, v)) return NULL;
    bool any = false, prev = false;
    for (int64_t i = 0; i < self->bytes.len; i++) {
        unsigned char c = self->bytes.s[i];
        if (how == 2) { /* istitle: uppercase only after uncased, lowercase only after cased */
            if (is_upper(c)) {
                if (prev) return val_bool(false);
                prev = any = true;
            } else if (is_lower(c)) {
                if (!prev) return val_bool(false);
                prev = any = true;
            } else {
                prev = false;
            }
            continue;
        }
        if (how == 0 ? is_lower(c) : is_upper(c)) return val_bool(false);
        if (how == 0 ? is_upper(c) : is_lower(c)) any = true;
    }
    return val_bool(any);
}

static Value *b_isupper(Value *self, const CallArgs *a) { return cased(self, a, "isupper", 0); }
static Value *b_islower(Value *self, const CallArgs *a) { return cased(self, a, "islower", 1); }
static Value *b_istitle(Value *self, const CallArgs *a) { return cased(self, a, "istitle", 2); }

/* ------------------------------------------------------------ hex */

static Value *b_hex(Value *self, const CallArgs *a) {
    static const char *const names[] = {"sep", "bytes_per_sep"};
    Value *v[2];
    if (!method_kwargs(a, "hex", names, 2, v)) return NULL;
    char sep = 0;
    int64_t per = 1;
    if (v[1] && !val_as_int(v[1], &per)) return NULL; /* CPython converts bytes_per_sep first */
    if (v[0]) {
        const unsigned char *s;
        int64_t n;
        if (v[0]->kind == VK_STR) {
            s = (const unsigned char *)v[0]->str.s;
            n = str_char_count(v[0]);
        } else if (!bytes_buffer(v[0], &s, &n)) {
            tsr_raise(ERR_TypeError, "object of type '%s' has no len()", val_type_name(v[0]));
            return NULL;
        }
        if (n != 1) {
            tsr_raise(ERR_ValueError, "%s", "sep must be length 1.");
            return NULL;
        }
        if (s[0] >= 0x80) {
            tsr_raise(ERR_ValueError, "%s", "sep must be ASCII.");
            return NULL;
        }
        sep = (char)s[0];
    }
    int64_t len = self->bytes.len;
    int64_t group = per < 0 ? -per : per;
    if (!sep || !group) group = 0;
    int64_t nsep = group && len ? (len - 1) / group : 0;
    char *out = tsr_malloc((unsigned long long)(len * 2 + nsep) + 1);
    if (!out) return NULL;
    static const char digits[] = "0123456789abcdef";
    int64_t w = 0;
    for (int64_t i = 0; i < len; i++) {
        /* separators count from the right for a positive bytes_per_sep */
        if (group && i) {
            bool at = per > 0 ? (len - i) % group == 0 : i % group == 0;
            if (at) out[w++] = sep;
        }
        out[w++] = digits[self->bytes.s[i] >> 4];
        out[w++] = digits[self->bytes.s[i] & 15];
    }
    out[w] = 0;
    return val_str_steal(out, w);
}

static int hex_digit(unsigned char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static Value *fromhex(ValueKind kind, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s.fromhex() takes no keyword arguments", kind == VK_BYTES ? "bytes" : "bytearray");
        return NULL;
    }
    if (a->nargs != 1) {
        tsr_raise(ERR_TypeError, "%s.fromhex() takes exactly one argument (%d given)",
                  kind == VK_BYTES ? "bytes" : "bytearray", a->nargs);
        return NULL;
    }
    Value *x = a->args[0];
    if (x->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "fromhex() argument must be str, not %s", val_type_name(x));
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)x->str.s;
    int64_t n = x->str.len, w = 0;
    unsigned char *buf = tsr_malloc((unsigned long long)n / 2 + 1);
    if (!buf) return NULL;
    for (int64_t i = 0; i < n;) {
        if (is_space(s[i])) {
            i++;
            continue;
        }
        int hi = hex_digit(s[i]), lo = i + 1 < n ? hex_digit(s[i + 1]) : -1;
        if (hi < 0 || lo < 0) {
            int64_t bad = hi < 0 ? i : i + 1;
            free(buf);
            /* the position counts code points */
            int64_t pos = 0;
            for (int64_t k = 0; k < bad; k++) pos += (s[k] & 0xc0) != 0x80;
            tsr_raise(ERR_ValueError, "non-hexadecimal number found in fromhex() arg at position %lld", (long long)pos);
            return NULL;
        }
        buf[w++] = (unsigned char)(hi * 16 + lo);
        i += 2;
    }
    return val_bytes_steal(kind, buf, w);
}

static Value *bytes_fromhex(Value *self, const CallArgs *a) { return fromhex(VK_BYTES, a); }
static Value *bytearray_fromhex(Value *self, const CallArgs *a) { return fromhex(VK_BYTEARRAY, a); }
const Builtin bytes_fromhex_builtin = {"fromhex", bytes_fromhex};
const Builtin bytearray_fromhex_builtin = {"fromhex", bytearray_fromhex};

/* ------------------------------------------------------------ bytearray's mutators */

static Value *ba_append(Value *self, const CallArgs *a) {
    Value *v[1];
    int c;
    if (!bargs(self, a, "append", STR_ONE, 1, 1, v) || !bytes_byte_of(v[0], "byte must be in range(0, 256)", &c))
        return NULL;
    unsigned char ch = (unsigned char)c;
    return bytes_splice(self, self->bytes.len, self->bytes.len, &ch, 1) ? val_none() : NULL;
}

static Value *ba_extend(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!bargs(self, a, "extend", STR_ONE, 1, 1, v)) return NULL;
    const unsigned char *s;
    int64_t n;
    Value *src;
    if (bytes_buffer(v[0], &s, &n)) {
        src = val_retain(v[0]);
    } else {
        Value *u = val_unwrap(v[0]);
        if (u->kind == VK_INT || u->kind == VK_BOOL || u->kind == VK_FLOAT || u->kind == VK_NONE) {
            tsr_raise(ERR_TypeError, "can't extend bytearray with %s", val_type_name(v[0]));
            return NULL;
        }
        if (v[0]->kind == VK_STR) {
            tsr_raise(ERR_TypeError, "%s", "'str' object cannot be interpreted as an integer");
            return NULL;
        }
        if (!(src = bytes_from_object(VK_BYTEARRAY, v[0]))) return NULL;
        bytes_buffer(src, &s, &n);
    }
    bool ok = bytes_splice(self, self->bytes.len, self->bytes.len, s, n);
    val_release(src);
    return ok ? val_none() : NULL;
}

static Value *ba_pop(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!bargs(self, a, "pop", STR_CLINIC, 0, 1, v)) return NULL;
    int64_t i = -1, n = self->bytes.len;
    if (v[0] && !val_as_int(v[0], &i)) return NULL;
    if (!n) {
        tsr_raise(ERR_IndexError, "%s", "pop from empty bytearray");
        return NULL;
    }
    if (i < 0) i += n;
    if (i < 0 || i >= n) {
        tsr_raise(ERR_IndexError, "%s", "pop index out of range");
        return NULL;
    }
    int c = self->bytes.s[i];
    return bytes_splice(self, i, i + 1, NULL, 0) ? val_int(c) : NULL;
}

static Value *ba_insert(Value *self, const CallArgs *a) {
    Value *v[2];
    if (!bargs(self, a, "insert", STR_CLINIC, 2, 2, v)) return NULL;
    int64_t i, n = self->bytes.len;
    int c;
    if (!val_as_int(v[0], &i) || !bytes_byte_of(v[1], "byte must be in range(0, 256)", &c)) return NULL;
    if (i < 0) {
        i += n;
        if (i < 0) i = 0;
    }
    if (i > n) i = n;
    unsigned char ch = (unsigned char)c;
    return bytes_splice(self, i, i, &ch, 1) ? val_none() : NULL;
}

static Value *ba_remove(Value *self, const CallArgs *a) {
    Value *v[1];
    int c;
    if (!bargs(self, a, "remove", STR_ONE, 1, 1, v) || !bytes_byte_of(v[0], "byte must be in range(0, 256)", &c))
        return NULL;
    const unsigned char *p = memchr(self->bytes.s, c, (size_t)self->bytes.len);
    if (!p) {
        tsr_raise(ERR_ValueError, "%s", "value not found in bytearray");
        return NULL;
    }
    int64_t i = p - self->bytes.s;
    return bytes_splice(self, i, i + 1, NULL, 0) ? val_none() : NULL;
}

static Value *ba_clear(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!bargs(self, a, "clear", STR_NOARGS, 0, 0, v)) return NULL;
    return bytes_splice(self, 0, self->bytes.len, NULL, 0) ? val_none() : NULL;
}

static Value *ba_reverse(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!bargs(self, a, "reverse", STR_NOARGS, 0, 0, v)) return NULL;
    unsigned char *s = self->bytes.s;
    for (int64_t i = 0, j = self->bytes.len - 1; i < j; i++, j--) {
        unsigned char t = s[i];
        s[i] = s[j];
        s[j] = t;
    }
    return val_none();
}

static Value *ba_copy(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!bargs(self, a, "copy", STR_NOARGS, 0, 0, v)) return NULL;
    return result(self, self->bytes.s, self->bytes.len);
}

/* ------------------------------------------------------------ tables */

#define BYTES_METHODS(X)                                                                              \
    X(capitalize) X(center) X(count) X(decode) X(endswith) X(expandtabs) X(find) X(hex) X(index)      \
    X(isalnum) X(isalpha) X(isascii) X(isdigit) X(islower) X(isspace) X(istitle) X(isupper) X(join)   \
    X(ljust) X(lower) X(lstrip) X(partition) X(removeprefix) X(removesuffix) X(replace) X(rfind)      \
    X(rindex) X(rjust) X(rpartition) X(rsplit) X(rstrip) X(split) X(splitlines) X(startswith)        \
    X(strip) X(swapcase) X(title) X(upper) X(zfill)

#define X(name) {#name, b_##name},
const Builtin bytes_methods[] = {BYTES_METHODS(X) {"fromhex", bytes_fromhex}, {NULL, NULL}};
const Builtin bytearray_methods[] = {BYTES_METHODS(X) {"fromhex", bytearray_fromhex},
                                     {"append", ba_append},
                                     {"extend", ba_extend},
                                     {"pop", ba_pop},
                                     {"insert", ba_insert},
                                     {"remove", ba_remove},
                                     {"clear", ba_clear},
                                     {"reverse", ba_reverse},
                                     {"copy", ba_copy},
                                     {NULL, NULL}};
#undef X

/* ------------------------------------------------------------ constructors */

Value *bytes_construct(ValueKind kind, const CallArgs *a) {
    static const char *const names[] = {"source", "encoding", "errors"};
    const char *tn = kind == VK_BYTES ? "bytes" : "bytearray";
    Value *v[3];
    if (!method_kwargs(a, tn, names, 3, v)) return NULL;
    if (!v[0]) {
        if (v[1] || v[2]) {
            tsr_raise(ERR_TypeError, "%s", v[1] ? "encoding without a string argument" : "errors without a string argument");
            return NULL;
        }
        return val_bytes_new(kind, NULL, 0);
    }
    if (val_unwrap(v[0])->kind == VK_STR) {
        if (!v[1]) {
            tsr_raise(ERR_TypeError, "%s", "string argument without an encoding");
            return NULL;
        }
        return codec_encode(val_unwrap(v[0]), v[1], v[2], tn, kind);
    }
    if (v[1] || v[2]) {
        tsr_raise(ERR_TypeError, "%s", v[1] ? "encoding without a string argument" : "errors without a string argument");
        return NULL;
    }
    if (kind == VK_BYTES && v[0]->kind == VK_BYTES) return val_retain(v[0]);
    return bytes_from_object(kind, v[0]);
}

/* ------------------------------------------------------------ int.to_bytes, int.from_bytes */

/* byteorder: 'big' (true) or 'little' */
static bool byteorder_of(Value *v, const char *fname, bool *big) {
    if (!v) {
        *big = true;
        return true;
    }
    if (v->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s() argument 'byteorder' must be str, not %s", fname, val_type_name(v));
        return false;
    }
    if (strcmp(v->str.s, "big") && strcmp(v->str.s, "little")) {
        tsr_raise(ERR_ValueError, "%s", "byteorder must be either 'little' or 'big'");
        return false;
    }
    *big = !strcmp(v->str.s, "big");
    return true;
}

/* (length=1, byteorder='big', *, signed=False) and (bytes, byteorder='big', *, signed=False) */
static bool int_bytes_args(const CallArgs *a, const char *fname, const char *first, Value **v) {
    const char *names[3] = {first, "byteorder", "signed"};
    if (a->nargs > 2) { /* signed is keyword-only */
        tsr_raise(ERR_TypeError, "%s() takes at most 2 positional arguments (%d given)", fname, a->nargs);
        return false;
    }
    return method_kwargs(a, fname, names, 3, v);
}

Value *int_to_bytes(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!int_bytes_args(a, "to_bytes", "length", v)) return NULL;
    int64_t length = 1;
    bool big;
    int sign = v[2] ? val_truthy(v[2]) : 0;
    if (sign < 0 || (v[0] && !val_as_int(v[0], &length)) || !byteorder_of(v[1], "to_bytes", &big)) return NULL;
    if (length < 0) {
        tsr_raise(ERR_ValueError, "%s", "length argument must be non-negative");
        return NULL;
    }
    int64_t x = self->kind == VK_INT ? self->i : self->b;
    if (x < 0 && !sign) {
        tsr_raise(ERR_OverflowError, "%s", "can't convert negative int to unsigned");
        return NULL;
    }
    /* does x fit length bytes? */
    bool fits = true;
    if (length < 8) {
        int64_t bits = length * 8;
        if (sign) fits = bits == 0 ? x == 0 : x >= -((int64_t)1 << (bits - 1)) && x < ((int64_t)1 << (bits - 1));
        else fits = bits == 0 ? x == 0 : (uint64_t)x < ((uint64_t)1 << bits);
    } else if (length == 8 && !sign) {
        fits = true;
    }
    if (!fits) {
        tsr_raise(ERR_OverflowError, "%s", "int too big to convert");
        return NULL;
    }
    Value *r = val_bytes_new(VK_BYTES, NULL, length);
    if (!r) return NULL;
    uint64_t u = (uint64_t)x;
    for (int64_t k = 0; k < length; k++) {
        unsigned char byte = k < 8 ? (unsigned char)(u >> (8 * k)) : (x < 0 ? 0xff : 0);
        r->bytes.s[big ? length - 1 - k : k] = byte;
    }
    return r;
}

static Value *int_from_bytes(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!int_bytes_args(a, "from_bytes", "bytes", v)) return NULL;
    if (!v[0]) {
        tsr_raise(ERR_TypeError, "%s", "from_bytes() missing required argument 'bytes' (pos 1)");
        return NULL;
    }
    bool big;
    int sign = v[2] ? val_truthy(v[2]) : 0;
    if (sign < 0 || !byteorder_of(v[1], "from_bytes", &big)) return NULL;
    Value *src;
    const unsigned char *s;
    int64_t n;
    if (bytes_buffer(v[0], &s, &n)) src = val_retain(v[0]);
    else if (v[0]->kind == VK_STR) {
        tsr_raise(ERR_TypeError, "%s", "cannot convert 'str' object to bytes");
        return NULL;
    } else if (!(src = bytes_from_object(VK_BYTES, v[0]))) return NULL;
    bytes_buffer(src, &s, &n);
    /* the bytes past the eighth must only extend the sign */
    uint64_t u = 0;
    bool neg = sign && n && (s[big ? 0 : n - 1] & 0x80);
    bool ok = true;
    for (int64_t k = 0; k < n; k++) {
        unsigned char byte = s[big ? n - 1 - k : k];
        if (k < 8) u |= (uint64_t)byte << (8 * k);
        else if (byte != (neg ? 0xff : 0)) ok = false;
    }
    if (n > 8 || n == 8) {
        if (!sign && n >= 8 && (u >> 63)) ok = false; /* past INT64_MAX */
        if (sign && n > 8 && ((u >> 63) != (uint64_t)neg)) ok = false;
    }
    val_release(src);
    if (!ok) {
        tsr_raise(ERR_OverflowError, "%s", "integer overflow: tsr ints are 64-bit");
        return NULL;
    }
    if (neg && n < 8) u |= ~(uint64_t)0 << (8 * n);
    return val_int((int64_t)u);
}

const Builtin int_from_bytes_builtin = {"from_bytes", int_from_bytes};
