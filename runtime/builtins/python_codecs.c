/* python_codecs.c: the codecs tsr knows, utf-8, ascii and latin-1, with
 * CPython 3.11's error handlers (strict, ignore, replace,
 * backslashreplace, xmlcharrefreplace) and messages: bytes.decode,
 * str.encode, and str(b, encoding) / bytes(s, encoding). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "builtins_util.h"
#include "bytes.h"
#include "error.h"
#include "interp_internal.h"
#include "python_bytes.h"
#include "python_str.h"

typedef enum { CODEC_UTF8, CODEC_ASCII, CODEC_LATIN1 } Codec;
static const char *const codec_names[] = {"utf-8", "ascii", "latin-1"};

/* encodings.normalize_encoding and the aliases of the three codecs */
static bool codec_of(Value *enc, Codec *out) {
    char norm[64];
    const char *s = enc->str.s;
    size_t w = 0;
    for (int64_t i = 0; i < enc->str.len && w + 1 < sizeof norm; i++) {
        char c = s[i];
        norm[w++] = c == '-' || c == ' ' ? '_' : (char)tolower((unsigned char)c);
    }
    norm[w] = 0;
    static const struct { const char *name; Codec c; } names[] = {
        {"utf_8", CODEC_UTF8},      {"utf8", CODEC_UTF8},       {"u8", CODEC_UTF8},         {"utf", CODEC_UTF8},
        {"cp65001", CODEC_UTF8},    {"ascii", CODEC_ASCII},     {"us_ascii", CODEC_ASCII},  {"646", CODEC_ASCII},
        {"us", CODEC_ASCII},        {"latin_1", CODEC_LATIN1},  {"latin1", CODEC_LATIN1},   {"latin", CODEC_LATIN1},
        {"l1", CODEC_LATIN1},       {"iso_8859_1", CODEC_LATIN1}, {"iso8859_1", CODEC_LATIN1},
        {"8859", CODEC_LATIN1},     {"cp819", CODEC_LATIN1},    {"iso_ir_100", CODEC_LATIN1},
    };
    if ((size_t)enc->str.len < sizeof norm)
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (!strcmp(norm, names[i].name)) {
                *out = names[i].c;
                return true;
            }
    tsr_raise(ERR_LookupError, "unknown encoding: %s", enc->str.s);
    return false;
}

typedef enum { EH_STRICT, EH_IGNORE, EH_REPLACE, EH_BACKSLASH, EH_XMLCHARREF, EH_UNKNOWN } ErrHandler;

static ErrHandler handler_of(const char *s) {
    static const char *const names[] = {"strict", "ignore", "replace", "backslashreplace", "xmlcharrefreplace"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(s, names[i])) return (ErrHandler)i;
    return EH_UNKNOWN;
}

/* CPython looks the handler up only when an error needs it */
static bool unknown_handler(const char *errors) {
    tsr_raise(ERR_LookupError, "unknown error handler name '%s'", errors);
    return false;
}

/* "argument 'encoding' must be str, not int" */
static bool str_param(Value *v, const char *fname, const char *pname) {
    if (!v || v->kind == VK_STR) return true;
    tsr_raise(ERR_TypeError, "%s() argument '%s' must be str, not %s", fname, pname,
              v->kind == VK_NONE ? "None" : val_type_name(v)); /* Argument Clinic spells None's type so */
    return false;
}

/* ------------------------------------------------------------ decoding */

/* The length of the invalid sequence at s[i] (CPython's utf-8 decoder):
 * 0 for a valid one (its length in *len), else the bytes to report, with
 * *why the reason. */
static int64_t utf8_invalid(const unsigned char *s, int64_t n, int64_t i, int *len, const char **why) {
    unsigned char c = s[i];
    if (c < 0x80) {
        *len = 1;
        return 0;
    }
    int need;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        *why = "invalid start byte";
        return 1;
    }
    for (int k = 1; k <= need; k++) {
        if (i + k >= n) {
            *why = "unexpected end of data";
            return n - i;
        }
        unsigned char d = s[i + k];
        bool ok = k == 1 ? d >= lo && d <= hi : d >= 0x80 && d <= 0xbf;
        if (!ok) {
            *why = "invalid continuation byte";
            return k;
        }
    }
    *len = need + 1;
    return 0;
}

static void raise_decode(Codec c, const unsigned char *s, int64_t start, int64_t end, const char *why) {
    if (end - start == 1)
        tsr_raise(ERR_UnicodeDecodeError, "'%s' codec can't decode byte 0x%02x in position %lld: %s", codec_names[c],
                  s[start], (long long)start, why);
    else
        tsr_raise(ERR_UnicodeDecodeError, "'%s' codec can't decode bytes in position %lld-%lld: %s", codec_names[c],
                  (long long)start, (long long)end - 1, why);
}

static bool put_cp(PyBuf *b, uint32_t cp) {
    char u[4];
    int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (n == 1) u[0] = (char)cp;
    else if (n == 2) {
        u[0] = (char)(0xc0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3f));
    } else if (n == 3) {
        u[0] = (char)(0xe0 | cp >> 12);
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
    } else {
        u[0] = (char)(0xf0 | cp >> 18);
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
    }
    return pybuf_append(b, u, n);
}

Value *codec_decode(const unsigned char *s, int64_t n, Value *encoding, Value *errors, const char *fname) {
    if (!str_param(encoding, fname, "encoding") || !str_param(errors, fname, "errors")) return NULL;
    Codec c = CODEC_UTF8;
    if (encoding && !codec_of(encoding, &c)) return NULL;
    const char *ename = errors ? errors->str.s : "strict";
    ErrHandler eh = handler_of(ename);
    PyBuf b = {0};
    bool ok = pybuf_append(&b, "", 0);
    for (int64_t i = 0; ok && i < n;) {
        int len = 1;
        const char *why = "ordinal not in range(128)";
        int64_t bad = 0;
        if (c == CODEC_UTF8) bad = utf8_invalid(s, n, i, &len, &why);
        else if (c == CODEC_ASCII && s[i] >= 0x80) bad = 1;
        if (!bad) {
            if (c == CODEC_LATIN1) ok = put_cp(&b, s[i]);
            else ok = pybuf_append(&b, (const char *)s + i, len);
            i += len;
            continue;
        }
        switch (eh) {
        case EH_STRICT: raise_decode(c, s, i, i + bad, why); ok = false; break;
        case EH_IGNORE: break;
        case EH_REPLACE: ok = put_cp(&b, 0xfffd); break;
        case EH_BACKSLASH:
            for (int64_t k = 0; ok && k < bad; k++) {
                char e[8];
                snprintf(e, sizeof e, "\\x%02x", s[i + k]);
                ok = pybuf_append(&b, e, 4);
            }
            break;
        case EH_XMLCHARREF:
            tsr_raise(ERR_TypeError, "%s", "don't know how to handle UnicodeDecodeError in error callback");
            ok = false;
            break;
        default: ok = unknown_handler(ename);
        }
        i += bad;
    }
    if (!ok) {
        pybuf_free(&b);
        return NULL;
    }
    return val_str_steal(b.data, b.len);
}

/* bytes.decode(encoding='utf-8', errors='strict') */
Value *b_decode(Value *self, const CallArgs *a) {
    static const char *const names[] = {"encoding", "errors"};
    Value *v[2];
    if (!method_kwargs(a, "decode", names, 2, v)) return NULL;
    return codec_decode(self->bytes.s, self->bytes.len, v[0], v[1], "decode");
}

/* ------------------------------------------------------------ encoding */

static void char_repr(char *out, size_t n, uint32_t cp) {
    if (cp < 0x100) snprintf(out, n, "'\\x%02x'", (unsigned)cp);
    else if (cp < 0x10000) snprintf(out, n, "'\\u%04x'", (unsigned)cp);
    else snprintf(out, n, "'\\U%08x'", (unsigned)cp);
}

/* the code point at s[*i], *i past it */
static uint32_t next_cp(const unsigned char *s, int64_t n, int64_t *i) {
    unsigned char c = s[*i];
    int len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (*i + len > n) len = (int)(n - *i);
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (int k = 1; k < len; k++) cp = cp << 6 | (s[*i + k] & 0x3f);
    *i += len;
    return cp;
}

Value *codec_encode(Value *str, Value *encoding, Value *errors, const char *fname, ValueKind kind) {
    if (!str_param(encoding, fname, "encoding") || !str_param(errors, fname, "errors")) return NULL;
    Codec c = CODEC_UTF8;
    if (encoding && !codec_of(encoding, &c)) return NULL;
    const unsigned char *s = (const unsigned char *)str->str.s;
    int64_t n = str->str.len;
    /* tsr's strs are UTF-8 already: utf-8 copies them, but for surrogates */
    if (c == CODEC_UTF8 && !memmem(s, (size_t)n, "\xed", 1)) return val_bytes_new(kind, s, n);
    const char *ename = errors ? errors->str.s : "strict";
    ErrHandler eh = handler_of(ename);
    uint32_t limit = c == CODEC_ASCII ? 0x80 : c == CODEC_LATIN1 ? 0x100 : 0x110000;
    char why[32];
    if (c == CODEC_UTF8) snprintf(why, sizeof why, "surrogates not allowed");
    else snprintf(why, sizeof why, "ordinal not in range(%u)", limit);
    PyBuf b = {0};
    bool ok = pybuf_append(&b, "", 0);
    int64_t pos = 0; /* code points so far */
    for (int64_t i = 0; ok && i < n; pos++) {
        int64_t at = i;
        uint32_t cp = next_cp(s, n, &i);
        if (cp < limit && !(c == CODEC_UTF8 && cp >= 0xd800 && cp < 0xe000)) {
            unsigned char ch = (unsigned char)cp;
            ok = c == CODEC_UTF8 ? pybuf_append(&b, (const char *)s + at, i - at) : pybuf_append(&b, (const char *)&ch, 1);
            continue;
        }
        char e[24];
        switch (eh) {
        case EH_STRICT: {
            /* the run of characters this codec cannot encode */
            int64_t j = i, end = pos + 1;
            while (j < n) {
                int64_t k = j;
                uint32_t d = next_cp(s, n, &k);
                if (d < limit && !(c == CODEC_UTF8 && d >= 0xd800 && d < 0xe000)) break;
                j = k;
                end++;
            }
            if (end - pos == 1) {
                char_repr(e, sizeof e, cp);
                tsr_raise(ERR_UnicodeEncodeError, "'%s' codec can't encode character %s in position %lld: %s",
                          codec_names[c], e, (long long)pos, why);
            } else {
                tsr_raise(ERR_UnicodeEncodeError, "'%s' codec can't encode characters in position %lld-%lld: %s",
                          codec_names[c], (long long)pos, (long long)end - 1, why);
            }
            ok = false;
            break;
        }
        case EH_IGNORE: break;
        case EH_REPLACE: ok = pybuf_append(&b, "?", 1); break;
        case EH_BACKSLASH:
            if (cp < 0x100) snprintf(e, sizeof e, "\\x%02x", (unsigned)cp);
            else if (cp < 0x10000) snprintf(e, sizeof e, "\\u%04x", (unsigned)cp);
            else snprintf(e, sizeof e, "\\U%08x", (unsigned)cp);
            ok = pybuf_appends(&b, e);
            break;
        case EH_XMLCHARREF:
            snprintf(e, sizeof e, "&#%u;", (unsigned)cp);
            ok = pybuf_appends(&b, e);
            break;
        default: ok = unknown_handler(ename);
        }
    }
    if (!ok) {
        pybuf_free(&b);
        return NULL;
    }
    return val_bytes_steal(kind, (unsigned char *)b.data, b.len);
}

/* str.encode(encoding='utf-8', errors='strict') */
Value *str_encode(Value *self, const CallArgs *a) {
    static const char *const names[] = {"encoding", "errors"};
    Value *v[2];
    if (!method_kwargs(a, "encode", names, 2, v)) return NULL;
    return codec_encode(self, v[0], v[1], "encode", VK_BYTES);
}
