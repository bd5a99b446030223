/* python_str.c: the methods of str (CPython 3.11's results and errors)
 * but for the case mapping and the character classes
 * (python_str_case.c). Strings are UTF-8; indices, lengths and widths
 * count code points, as Python's do. */
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"
#include "pyfmt.h"
#include "python_bytes.h"
#include "python_str.h"

/* ------------------------------------------------------------ helpers */

bool str_args(const CallArgs *a, const char *name, StrArgStyle style, int min, int max, Value **out) {
    return method_args("str", a, name, style, min, max, out);
}

bool method_args(const char *type, const CallArgs *a, const char *name, StrArgStyle style, int min, int max,
                 Value **out) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s.%s() takes no keyword arguments", type, name);
        return false;
    }
    int n = a->nargs;
    if (n < min || n > max) {
        bool few = n < min;
        int k = few ? min : max;
        switch (style) {
        case STR_NOARGS: tsr_raise(ERR_TypeError, "%s.%s() takes no arguments (%d given)", type, name, n); break;
        case STR_ONE:
            tsr_raise(ERR_TypeError, "%s.%s() takes exactly one argument (%d given)", type, name, n);
            break;
        case STR_CLINIC:
            if (min == max)
                tsr_raise(ERR_TypeError, "%s expected %d argument%s, got %d", name, k, k == 1 ? "" : "s", n);
            else
                tsr_raise(ERR_TypeError, "%s expected at %s %d argument%s, got %d", name, few ? "least" : "most", k,
                          k == 1 ? "" : "s", n);
            break;
        case STR_TUPLE:
            tsr_raise(ERR_TypeError, "%s() takes at %s %d argument%s (%d given)", name, few ? "least" : "most", k,
                      k == 1 ? "" : "s", n);
            break;
        }
        return false;
    }
    for (int i = 0; i < max; i++) out[i] = i < n ? a->args[i] : NULL;
    return true;
}

bool method_kwargs(const CallArgs *a, const char *name, const char *const *names, int n, Value **out) {
    if (a->nargs + a->nkw > n) {
        tsr_raise(ERR_TypeError, "%s() takes at most %d argument%s (%d given)", name, n, n == 1 ? "" : "s",
                  a->nargs + a->nkw);
        return false;
    }
    for (int i = 0; i < n; i++) out[i] = i < a->nargs ? a->args[i] : NULL;
    for (int k = 0; k < a->nkw; k++) {
        int i = 0;
        while (i < n && strcmp(names[i], a->kwnames[k])) i++;
        if (i == n) {
            tsr_raise(ERR_TypeError, "'%s' is an invalid keyword argument for %s()", a->kwnames[k], name);
            return false;
        }
        if (i < a->nargs) {
            tsr_raise(ERR_TypeError, "argument for %s() given by name ('%s') and position (%d)", name, names[i],
                      i + 1);
            return false;
        }
        out[i] = a->kwvals[k];
    }
    return true;
}

/* "must be str, not int": false when v is not a str */
static bool want_str(Value *v) {
    if (v->kind == VK_STR) return true;
    tsr_raise(ERR_TypeError, "must be str, not %s", val_type_name(v));
    return false;
}

/* Argument Clinic's "replace() argument 1 must be str, not None" (argno 0:
 * "removeprefix() argument must be ..."); it spells None's type None. */
static bool clinic_str(Value *v, const char *fname, int argno) {
    if (v->kind == VK_STR) return true;
    const char *t = v->kind == VK_NONE ? "None" : val_type_name(v);
    if (argno) tsr_raise(ERR_TypeError, "%s() argument %d must be str, not %s", fname, argno, t);
    else tsr_raise(ERR_TypeError, "%s() argument must be str, not %s", fname, t);
    return false;
}

static Value *str_or_empty(StrBuf *b) {
    return b->data ? val_str_steal(b->data, b->len) : val_str("", 0);
}

static int64_t char_len(const char *s, int64_t n) {
    int l = utf8_seq_len((unsigned char)*s);
    return l < n ? l : n;
}

/* The byte offset of the character before offset i. */
static int64_t char_before(const char *s, int64_t i) {
    do i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
    return i;
}

/* The bytes of the whitespace character at s[i], 0 when it is not one. */
static int64_t space_at(const char *s, int64_t n, int64_t i) {
    int64_t j = i;
    return uc_isspace(utf8_next(s, n, &j)) ? j - i : 0;
}

/* The part of self that start/end select, CPython's ADJUST_INDICES on
 * characters: [lo, hi) in bytes, clo the character index of lo; chars
 * its length in characters, negative when start is past end. */
typedef struct { int64_t lo, hi, clo, chars; } Span;

static bool slice_index(Value *v, int64_t *out) {
    if (is_none(v)) return true;
    if (v->kind == VK_INT || v->kind == VK_BOOL) {
        *out = v->kind == VK_INT ? v->i : v->b;
        return true;
    }
    tsr_raise(ERR_TypeError, "%s", "slice indices must be integers or None or have an __index__ method");
    return false;
}

static bool str_span(Value *self, Value *vstart, Value *vend, Span *sp) {
    int64_t len = utf8_len(self->str.s, self->str.len), start = 0, end = len;
    if (!slice_index(vstart, &start) || !slice_index(vend, &end)) return false;
    if (end > len) end = len;
    else if (end < 0 && (end += len) < 0) end = 0;
    if (start < 0 && (start += len) < 0) start = 0;
    sp->chars = end - start;
    sp->clo = start;
    sp->lo = start <= len ? utf8_prefix(self->str.s, self->str.len, start) : self->str.len;
    sp->hi = end > start ? sp->lo + utf8_prefix(self->str.s + sp->lo, self->str.len - sp->lo, end - start) : sp->lo;
    return true;
}

/* ------------------------------------------------------------ searching */

typedef enum { FIND, RFIND, INDEX, RINDEX, COUNT } FindOp;

static Value *find_common(Value *self, const CallArgs *a, const char *name, FindOp op) {
    Value *v[3];
    if (!str_args(a, name, STR_TUPLE, 1, 3, v) || !want_str(v[0])) return NULL;
    Span sp;
    if (!str_span(self, v[1], v[2], &sp)) return NULL;
    const char *s = self->str.s, *sub = v[0]->str.s;
    int64_t sl = v[0]->str.len;
    if (sp.chars < utf8_len(sub, sl)) {
        if (op == COUNT) return val_int(0);
        if (op == FIND || op == RFIND) return val_int(-1);
        tsr_raise(ERR_ValueError, "%s", "substring not found");
        return NULL;
    }
    if (op == COUNT) {
        if (!sl) return val_int(sp.chars + 1);
        int64_t c = 0;
        for (int64_t i = sp.lo; i + sl <= sp.hi;) {
            const char *hit = memmem(s + i, (size_t)(sp.hi - i), sub, (size_t)sl);
            if (!hit) break;
            c++;
            i = hit - s + sl;
        }
        return val_int(c);
    }
    int64_t at = -1;
    if (op == FIND || op == INDEX) {
        const char *hit = memmem(s + sp.lo, (size_t)(sp.hi - sp.lo), sub, (size_t)sl);
        if (hit) at = hit - s;
    } else {
        for (int64_t i = sp.hi - sl; at < 0 && i >= sp.lo; i--)
            if (!memcmp(s + i, sub, (size_t)sl)) at = i;
    }
    if (at >= 0) return val_int(sp.clo + utf8_len(s + sp.lo, at - sp.lo));
    if (op == FIND || op == RFIND) return val_int(-1);
    tsr_raise(ERR_ValueError, "%s", "substring not found");
    return NULL;
}

static Value *str_find(Value *s, const CallArgs *a) { return find_common(s, a, "find", FIND); }
static Value *str_rfind(Value *s, const CallArgs *a) { return find_common(s, a, "rfind", RFIND); }
static Value *str_index(Value *s, const CallArgs *a) { return find_common(s, a, "index", INDEX); }
static Value *str_rindex(Value *s, const CallArgs *a) { return find_common(s, a, "rindex", RINDEX); }
static Value *str_count(Value *s, const CallArgs *a) { return find_common(s, a, "count", COUNT); }

/* startswith/endswith: a str or a tuple of them, tried in order */
static Value *affix_common(Value *self, const CallArgs *a, const char *name, bool end) {
    Value *v[3];
    if (!str_args(a, name, STR_TUPLE, 1, 3, v)) return NULL;
    Span sp;
    bool tuple = v[0]->kind == VK_TUPLE;
    if (!tuple && v[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s first arg must be str or a tuple of str, not %s", name, val_type_name(v[0]));
        return NULL;
    }
    if (!str_span(self, v[1], v[2], &sp)) return NULL;
    int64_t n = tuple ? v[0]->seq.len : 1;
    for (int64_t i = 0; i < n; i++) {
        Value *x = tuple ? v[0]->seq.items[i] : v[0];
        if (x->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "tuple for %s must only contain str, not %s", name, val_type_name(x));
            return NULL;
        }
        int64_t k = x->str.len;
        if (sp.chars < utf8_len(x->str.s, k) || sp.hi - sp.lo < k) continue;
        if (!memcmp(self->str.s + (end ? sp.hi - k : sp.lo), x->str.s, (size_t)k)) return val_bool(true);
    }
    return val_bool(false);
}

static Value *str_startswith(Value *s, const CallArgs *a) { return affix_common(s, a, "startswith", false); }
static Value *str_endswith(Value *s, const CallArgs *a) { return affix_common(s, a, "endswith", true); }

static Value *affix_remove(Value *self, const CallArgs *a, const char *name, bool suffix) {
    Value *v[1];
    if (!str_args(a, name, STR_ONE, 1, 1, v) || !clinic_str(v[0], name, 0)) return NULL;
    int64_t n = self->str.len, k = v[0]->str.len;
    if (k > n || memcmp(self->str.s + (suffix ? n - k : 0), v[0]->str.s, (size_t)k)) return val_retain(self);
    return val_str(self->str.s + (suffix ? 0 : k), n - k);
}

static Value *str_removeprefix(Value *s, const CallArgs *a) { return affix_remove(s, a, "removeprefix", false); }
static Value *str_removesuffix(Value *s, const CallArgs *a) { return affix_remove(s, a, "removesuffix", true); }

static Value *partition_common(Value *self, const CallArgs *a, const char *name, bool right) {
    Value *v[1];
    if (!str_args(a, name, STR_ONE, 1, 1, v) || !want_str(v[0])) return NULL;
    const char *s = self->str.s, *sep = v[0]->str.s;
    int64_t n = self->str.len, k = v[0]->str.len, at = -1;
    if (!k) {
        tsr_raise(ERR_ValueError, "%s", "empty separator");
        return NULL;
    }
    if (!right) {
        const char *hit = memmem(s, (size_t)n, sep, (size_t)k);
        if (hit) at = hit - s;
    } else {
        for (int64_t i = n - k; at < 0 && i >= 0; i--)
            if (!memcmp(s + i, sep, (size_t)k)) at = i;
    }
    Value *t = val_tuple_new(3);
    if (!t) return NULL;
    if (at < 0) {
        t->seq.items[right ? 2 : 0] = val_retain(self);
        t->seq.items[1] = val_str("", 0);
        t->seq.items[right ? 0 : 2] = val_str("", 0);
    } else {
        t->seq.items[0] = val_str(s, at);
        t->seq.items[1] = val_retain(v[0]);
        t->seq.items[2] = val_str(s + at + k, n - at - k);
    }
    for (int i = 0; i < 3; i++)
        if (!t->seq.items[i]) {
            val_release(t);
            return NULL;
        }
    return t;
}

static Value *str_partition(Value *s, const CallArgs *a) { return partition_common(s, a, "partition", false); }
static Value *str_rpartition(Value *s, const CallArgs *a) { return partition_common(s, a, "rpartition", true); }

/* ------------------------------------------------------------ split, join */

static bool append_piece(Value *list, const char *s, int64_t n) {
    return val_list_append_steal(list, val_str(s, n));
}

/* split() with no separator: runs of whitespace, none at the ends */
static bool split_spaces(Value *out, const char *s, int64_t n, int64_t maxsplit, bool right) {
    int64_t i = right ? n : 0;
    for (;;) {
        if (!right) {
            for (int64_t l; i < n && (l = space_at(s, n, i));) i += l;
            if (i >= n) return true;
            int64_t j = i;
            if (maxsplit >= 0 && out->seq.len == maxsplit) j = n; /* the rest, trailing spaces kept */
            else
                while (j < n && !space_at(s, n, j)) j += char_len(s + j, n - j);
            if (!append_piece(out, s + i, j - i)) return false;
            i = j;
        } else {
            while (i > 0 && space_at(s, n, char_before(s, i))) i = char_before(s, i);
            if (i <= 0) return true;
            int64_t j = i;
            if (maxsplit >= 0 && out->seq.len == maxsplit) j = 0;
            else
                while (j > 0 && !space_at(s, n, char_before(s, j))) j = char_before(s, j);
            if (!append_piece(out, s + j, i - j)) return false;
            i = j;
        }
    }
}

static bool split_sep(Value *out, const char *s, int64_t n, const char *sep, int64_t k, int64_t maxsplit,
                      bool right) {
    int64_t i = right ? n : 0;
    for (;;) {
        int64_t at = -1;
        if (maxsplit < 0 || out->seq.len < maxsplit) {
            if (!right) {
                const char *hit = memmem(s + i, (size_t)(n - i), sep, (size_t)k);
                if (hit) at = hit - s;
            } else {
                for (int64_t j = i - k; at < 0 && j >= 0; j--)
                    if (!memcmp(s + j, sep, (size_t)k)) at = j;
            }
        }
        if (at < 0) return right ? append_piece(out, s, i) : append_piece(out, s + i, n - i);
        if (!(right ? append_piece(out, s + at + k, i - at - k) : append_piece(out, s + i, at - i))) return false;
        i = right ? at : at + k;
    }
}

static Value *split_common(Value *self, const CallArgs *a, const char *name, bool right) {
    static const char *const names[] = {"sep", "maxsplit"};
    Value *v[2];
    int64_t maxsplit = -1;
    if (!method_kwargs(a, name, names, 2, v)) return NULL;
    if (!is_none(v[0]) && v[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "must be str or None, not %s", val_type_name(v[0]));
        return NULL;
    }
    if (v[1] && !val_as_int(v[1], &maxsplit)) return NULL;
    if (!is_none(v[0]) && !v[0]->str.len) {
        tsr_raise(ERR_ValueError, "%s", "empty separator");
        return NULL;
    }
    Value *out = val_list_new(4);
    if (!out) return NULL;
    bool ok = is_none(v[0]) ? split_spaces(out, self->str.s, self->str.len, maxsplit, right)
                            : split_sep(out, self->str.s, self->str.len, v[0]->str.s, v[0]->str.len, maxsplit, right);
    if (ok && right)
        for (int64_t i = 0, j = out->seq.len - 1; i < j; i++, j--) {
            Value *t = out->seq.items[i];
            out->seq.items[i] = out->seq.items[j];
            out->seq.items[j] = t;
        }
    if (!ok) {
        val_release(out);
        return NULL;
    }
    return out;
}

static Value *str_split(Value *s, const CallArgs *a) { return split_common(s, a, "split", false); }
static Value *str_rsplit(Value *s, const CallArgs *a) { return split_common(s, a, "rsplit", true); }

/* The bytes of the line break at s[i] ("\r\n" is one), 0 if none. */
static int64_t line_break_at(const char *s, int64_t n, int64_t i) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\r') return i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1C && c <= 0x1E)) return 1;
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85) return 2;
    if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9))
        return 3;
    return 0;
}

static Value *str_splitlines(Value *self, const CallArgs *a) {
    static const char *const names[] = {"keepends"};
    Value *v[1];
    int64_t keep = 0;
    if (!method_kwargs(a, "splitlines", names, 1, v) || (v[0] && !val_as_int(v[0], &keep))) return NULL;
    Value *out = val_list_new(4);
    if (!out) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len, start = 0;
    for (int64_t i = 0; i < n;) {
        int64_t br = line_break_at(s, n, i);
        if (!br) {
            i++;
            continue;
        }
        if (!append_piece(out, s + start, i - start + (keep ? br : 0))) goto fail;
        i += br;
        start = i;
    }
    if (start < n && !append_piece(out, s + start, n - start)) goto fail;
    return out;
fail:
    val_release(out);
    return NULL;
}

static Value *str_join(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!str_args(a, "join", STR_ONE, 1, 1, v)) return NULL;
    Value *items = iterate_to_list(v[0]);
    if (!items) {
        if (tsr_err_kind() == ERR_TypeError && strstr(tsr_err_msg(), "is not iterable")) {
            tsr_err_clear();
            tsr_raise(ERR_TypeError, "%s", "can only join an iterable");
        }
        return NULL;
    }
    StrBuf b = {0};
    for (int64_t i = 0; i < items->seq.len; i++) {
        Value *s = val_unwrap(items->seq.items[i]); /* a str subclass's str */
        if (s->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "sequence item %lld: expected str instance, %s found", (long long)i,
                      val_type_name(s));
            free(b.data);
            val_release(items);
            return NULL;
        }
        if (i) sb_append(&b, self->str.s, self->str.len);
        sb_append(&b, s->str.s, s->str.len);
    }
    val_release(items);
    return str_or_empty(&b);
}

/* ------------------------------------------------------------ strip, pad */

/* Does the code point at s[i] (l bytes) occur in chars? */
static bool in_chars(const char *s, int64_t l, Value *chars) {
    if (!chars) return uc_isspace(utf8_decode(s, (int)l));
    return memmem(chars->str.s, (size_t)chars->str.len, s, (size_t)l) != NULL;
}

static Value *strip_common(Value *self, const CallArgs *a, const char *name, bool left, bool right) {
    Value *v[1];
    if (!str_args(a, name, STR_CLINIC, 0, 1, v)) return NULL;
    Value *chars = is_none(v[0]) ? NULL : v[0];
    if (chars && chars->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s arg must be None or str", name);
        return NULL;
    }
    const char *s = self->str.s;
    int64_t lo = 0, hi = self->str.len, l;
    while (left && lo < hi && in_chars(s + lo, l = char_len(s + lo, hi - lo), chars)) lo += l;
    while (right && hi > lo && in_chars(s + char_before(s, hi), hi - char_before(s, hi), chars))
        hi = char_before(s, hi);
    return val_str(s + lo, hi - lo);
}

static Value *str_strip(Value *s, const CallArgs *a) { return strip_common(s, a, "strip", true, true); }
static Value *str_lstrip(Value *s, const CallArgs *a) { return strip_common(s, a, "lstrip", true, false); }
static Value *str_rstrip(Value *s, const CallArgs *a) { return strip_common(s, a, "rstrip", false, true); }

static bool put_fill(StrBuf *b, const char *fill, int64_t fl, int64_t count) {
    for (int64_t i = 0; i < count; i++)
        if (!sb_append(b, fill, fl)) return false;
    return true;
}

/* center, ljust, rjust: where 0 right-pads, 1 centers, 2 left-pads */
static Value *pad_common(Value *self, const CallArgs *a, const char *name, int where) {
    Value *v[2];
    int64_t width;
    if (!str_args(a, name, STR_CLINIC, 1, 2, v) || !val_as_int(v[0], &width)) return NULL;
    const char *fill = " ";
    int64_t fl = 1;
    if (v[1]) {
        if (v[1]->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "The fill character must be a unicode character, not %s",
                      val_type_name(v[1]));
            return NULL;
        }
        if (utf8_len(v[1]->str.s, v[1]->str.len) != 1) {
            tsr_raise(ERR_TypeError, "%s", "The fill character must be exactly one character long");
            return NULL;
        }
        fill = v[1]->str.s;
        fl = v[1]->str.len;
    }
    int64_t len = utf8_len(self->str.s, self->str.len);
    if (width <= len) return val_retain(self);
    int64_t marg = width - len, left = where == 0 ? 0 : where == 2 ? marg : marg / 2 + (marg & width & 1);
    StrBuf b = {0};
    if (!put_fill(&b, fill, fl, left) || !sb_append(&b, self->str.s, self->str.len) ||
        !put_fill(&b, fill, fl, marg - left)) {
        free(b.data);
        return NULL;
    }
    return str_or_empty(&b);
}

static Value *str_ljust(Value *s, const CallArgs *a) { return pad_common(s, a, "ljust", 0); }
static Value *str_center(Value *s, const CallArgs *a) { return pad_common(s, a, "center", 1); }
static Value *str_rjust(Value *s, const CallArgs *a) { return pad_common(s, a, "rjust", 2); }

static Value *str_zfill(Value *self, const CallArgs *a) {
    Value *v[1];
    int64_t width;
    if (!str_args(a, "zfill", STR_ONE, 1, 1, v) || !val_as_int(v[0], &width)) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len, len = utf8_len(s, n);
    if (width <= len) return val_retain(self);
    int64_t sign = n && (s[0] == '+' || s[0] == '-');
    StrBuf b = {0};
    if (!sb_append(&b, s, sign) || !put_fill(&b, "0", 1, width - len) || !sb_append(&b, s + sign, n - sign)) {
        free(b.data);
        return NULL;
    }
    return str_or_empty(&b);
}

static Value *str_expandtabs(Value *self, const CallArgs *a) {
    static const char *const names[] = {"tabsize"};
    Value *v[1];
    int64_t tab = 8, col = 0;
    if (!method_kwargs(a, "expandtabs", names, 1, v) || (v[0] && !val_as_int(v[0], &tab))) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len;
    StrBuf b = {0};
    bool ok = sb_append(&b, "", 0);
    for (int64_t i = 0; ok && i < n;) {
        int64_t l = char_len(s + i, n - i);
        if (s[i] == '\t') {
            int64_t k = tab > 0 ? tab - col % tab : 0;
            ok = put_fill(&b, " ", 1, k);
            col += k;
        } else {
            ok = sb_append(&b, s + i, l);
            col = s[i] == '\n' || s[i] == '\r' ? 0 : col + 1;
        }
        i += l;
    }
    if (!ok) {
        free(b.data);
        return NULL;
    }
    return val_str_steal(b.data, b.len);
}

static Value *str_replace(Value *self, const CallArgs *a) {
    Value *v[3];
    int64_t count = -1;
    if (!str_args(a, "replace", STR_CLINIC, 2, 3, v) || !clinic_str(v[0], "replace", 1) ||
        !clinic_str(v[1], "replace", 2) || (v[2] && !val_as_int(v[2], &count)))
        return NULL;
    StrBuf b = {0};
    const char *s = self->str.s, *old = v[0]->str.s;
    int64_t n = self->str.len, ol = v[0]->str.len, i = 0;
    bool ok = sb_append(&b, "", 0);
    for (int64_t done = 0; ok && (count < 0 || done < count); done++) {
        int64_t at;
        if (ol) {
            const char *hit = memmem(s + i, (size_t)(n - i), old, (size_t)ol);
            if (!hit) break;
            at = hit - s;
        } else {
            /* an empty old matches before each character and at the end */
            if (i > n) break;
            at = i;
        }
        ok = sb_append(&b, s + i, at - i) && sb_append(&b, v[1]->str.s, v[1]->str.len);
        i = at + ol;
        if (!ol && i < n) {
            int64_t l = char_len(s + i, n - i);
            ok = ok && sb_append(&b, s + i, l);
            i += l;
        } else if (!ol) {
            i = n + 1;
        }
    }
    if (ok && i < n) ok = sb_append(&b, s + i, n - i);
    if (!ok) {
        free(b.data);
        return NULL;
    }
    return val_str_steal(b.data, b.len);
}

/* ------------------------------------------------------------ translate */

/* str.maketrans (a static method: self is ignored): a dict from code
 * points to code points, strs or None */
Value *str_maketrans(Value *self, const CallArgs *a) {
    Value *v[3];
    if (!str_args(a, "maketrans", STR_CLINIC, 1, 3, v)) return NULL;
    Value *out = val_dict_new();
    bool ok = out != NULL;
    if (ok && !v[1]) {
        if (v[0]->kind != VK_DICT) {
            tsr_raise(ERR_TypeError, "%s", "if you give only one argument to maketrans it must be a dict");
            val_release(out);
            return NULL;
        }
        Value *key, *val;
        for (int64_t i = 0; ok && dict_next_item(v[0]->dict, &i, &key, &val);) {
            Value *k = NULL;
            if (key->kind == VK_INT) k = val_retain(key);
            else if (key->kind != VK_STR)
                tsr_raise(ERR_TypeError, "%s", "keys in translate table must be strings or integers");
            else if (utf8_len(key->str.s, key->str.len) != 1)
                tsr_raise(ERR_ValueError, "%s", "string keys in translate table must be of length 1");
            else
                k = val_int(utf8_decode(key->str.s, (int)key->str.len));
            ok = k && dict_setv(out->dict, k, val);
            val_release(k);
        }
    } else if (ok) {
        if (v[0]->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "%s", "first maketrans argument must be a string if there is a second argument");
            ok = false;
        } else if (!clinic_str(v[1], "maketrans", 2) || (v[2] && !clinic_str(v[2], "maketrans", 3))) {
            ok = false;
        } else if (utf8_len(v[0]->str.s, v[0]->str.len) != utf8_len(v[1]->str.s, v[1]->str.len)) {
            tsr_raise(ERR_ValueError, "%s", "the first two maketrans arguments must have equal length");
            ok = false;
        }
        const char *x = v[0]->str.s, *y = v[1]->str.s;
        for (int64_t i = 0, j = 0; ok && i < v[0]->str.len;) {
            Value *k = val_int(utf8_next(x, v[0]->str.len, &i)), *c = val_int(utf8_next(y, v[1]->str.len, &j));
            ok = k && c && dict_setv(out->dict, k, c);
            val_release(k);
            val_release(c);
        }
        Value *none = val_none();
        for (int64_t i = 0; ok && v[2] && i < v[2]->str.len;) {
            Value *k = val_int(utf8_next(v[2]->str.s, v[2]->str.len, &i));
            ok = k && dict_setv(out->dict, k, none);
            val_release(k);
        }
        val_release(none);
    }
    if (!ok) {
        val_release(out);
        return NULL;
    }
    return out;
}

/* Appends what table maps c to; a missing entry (LookupError) keeps c. */
static bool translate_char(StrBuf *b, Value *table, uint32_t c, const char *src, int64_t l) {
    Value *key = val_int(c), *m = NULL;
    if (!key) return false;
    if (table->kind == VK_DICT) {
        bool found = dict_lookup(table->dict, key, &m);
        val_release(key);
        if (!found) return false;
        if (!m) return sb_append(b, src, l);
        val_retain(m);
    } else {
        m = get_item(table, key);
        val_release(key);
        if (!m) {
            if (!tsr_err_is_a(tsr_err_kind(), ERR_LookupError)) return false;
            tsr_err_clear();
            return sb_append(b, src, l);
        }
    }
    bool ok = true;
    if (m->kind == VK_STR) {
        ok = sb_append(b, m->str.s, m->str.len);
    } else if (m->kind == VK_INT || m->kind == VK_BOOL) {
        int64_t cp = m->kind == VK_INT ? m->i : m->b;
        char u[4];
        if (cp < 0 || cp > 0x10FFFF) {
            tsr_raise(ERR_ValueError, "%s", "character mapping must be in range(0x110000)");
            ok = false;
        } else {
            ok = sb_append(b, u, utf8_encode((uint32_t)cp, u));
        }
    } else if (m->kind != VK_NONE) {
        tsr_raise(ERR_TypeError, "%s", "character mapping must return integer, None or str");
        ok = false;
    }
    val_release(m);
    return ok;
}

static Value *str_translate(Value *self, const CallArgs *a) {
    Value *v[1];
    if (!str_args(a, "translate", STR_ONE, 1, 1, v)) return NULL;
    const char *s = self->str.s;
    int64_t n = self->str.len;
    StrBuf b = {0};
    bool ok = sb_append(&b, "", 0);
    for (int64_t i = 0; ok && i < n;) {
        int64_t at = i;
        uint32_t c = utf8_next(s, n, &i);
        ok = translate_char(&b, v[0], c, s + at, i - at);
    }
    if (!ok) {
        free(b.data);
        return NULL;
    }
    return val_str_steal(b.data, b.len);
}

#define STR_METHODS(X)                                                                               \
    X(capitalize) X(casefold) X(center) X(count) X(endswith) X(expandtabs) X(find) X(format)        \
    X(format_map) X(index) X(isalnum) X(isalpha) X(isascii) X(isdecimal) X(isdigit) X(isidentifier) \
    X(islower) X(isnumeric) X(isprintable) X(isspace) X(istitle) X(isupper) X(join) X(ljust)        \
    X(lower) X(lstrip) X(partition) X(removeprefix) X(removesuffix) X(replace) X(rfind) X(rindex)   \
    X(rjust) X(rpartition) X(rsplit) X(rstrip) X(split) X(splitlines) X(startswith) X(strip)        \
    X(swapcase) X(title) X(translate) X(upper) X(zfill) X(encode)

#define X(name) {#name, str_##name},
const Builtin str_methods[] = {STR_METHODS(X) {"maketrans", str_maketrans}, {NULL, NULL}};
#undef X

/* str.maketrans, a static method */
const Builtin str_maketrans_builtin = {"maketrans", str_maketrans};
