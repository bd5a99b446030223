/* npy_format.c: the .npy header, written as np.save writes it and read
 * with np.load's checks (numpy/lib/format.py and npyio.load, 1.24).
 *
 * The header is a Python literal read with ast.literal_eval; a small
 * literal parser here builds its values (into one scratch array sized by
 * the header's length, nesting bounded) so that error messages can show
 * them with Python's repr, as numpy's do.
 */
#include "npy_format.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "\x93NUMPY"
#define MAGIC_PREFIX_LEN 6
#define ARRAY_ALIGN 64
#define GROWTH_AXIS_MAX_DIGITS 21
#define MAX_HEADER_SIZE 10000
/* CPython's parser gives up at 200 nested brackets (a SyntaxError). */
#define MAX_NEST 200

/* ---------------------------------------------------------------- dtypes --- */

const char *npy_descr(DType dt)
{
    switch (dt) {
    case DT_BOOL: return "|b1";
    case DT_UINT8: return "|u1";
    case DT_INT8: return "|i1";
    case DT_INT16: return "<i2";
    case DT_INT32: return "<i4";
    case DT_INT64: return "<i8";
    case DT_FLOAT16: return "<f2";
    case DT_FLOAT32: return "<f4";
    case DT_FLOAT64: return "<f8";
    case DT_COMPLEX64: return "<c8";
    case DT_COMPLEX128: return "<c16";
    default: return NULL;
    }
}

typedef enum { DESCR_OK, DESCR_OBJECT, DESCR_UNSUPPORTED, DESCR_INVALID } DescrClass;

/* numpy.dtype(s) for a string s, as far as tsr has the type. */
static DescrClass descr_class(const char *s, size_t n, DType *dt, bool *swap)
{
    static const struct { const char *name; int dt; } names[] = {
        {"bool", DT_BOOL},     {"bool_", DT_BOOL},      {"uint8", DT_UINT8},   {"ubyte", DT_UINT8},
        {"int8", DT_INT8},     {"byte", DT_INT8},       {"int16", DT_INT16},   {"short", DT_INT16},
        {"int32", DT_INT32},   {"intc", DT_INT32},      {"int64", DT_INT64},   {"int", DT_INT64},
        {"int_", DT_INT64},    {"long", DT_INT64},      {"longlong", DT_INT64}, {"float16", DT_FLOAT16},
        {"half", DT_FLOAT16},  {"float32", DT_FLOAT32}, {"single", DT_FLOAT32}, {"float64", DT_FLOAT64},
        {"double", DT_FLOAT64}, {"float", DT_FLOAT64},  {"object", -1},        {"uint16", -2},
        {"uint32", -2},        {"uint64", -2},          {"complex64", DT_COMPLEX64}, {"complex128", DT_COMPLEX128},
        {"complex", DT_COMPLEX128}, {"csingle", DT_COMPLEX64}, {"cdouble", DT_COMPLEX128},       {"str", -2},             {"bytes", -2},         {"longdouble", -2},
    };
    *swap = false;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i].name) == n && memcmp(names[i].name, s, n) == 0) {
            if (names[i].dt == -1)
                return DESCR_OBJECT;
            if (names[i].dt == -2)
                return DESCR_UNSUPPORTED;
            *dt = (DType)names[i].dt;
            return DESCR_OK;
        }
    }
    if (n == 0)
        return DESCR_INVALID;
    char order = 0;
    if (strchr("<>|=", s[0])) {
        order = s[0];
        s++;
        n--;
    }
    if (n == 0)
        return DESCR_INVALID;
    char kind = s[0];
    const char *digits = s + 1;
    size_t nd = n - 1;
    long size = -1;
    if (nd > 0) {
        if (nd > 6)
            return DESCR_INVALID;
        size = 0;
        for (size_t i = 0; i < nd; i++) {
            if (digits[i] < '0' || digits[i] > '9') {
                /* datetime units: 'M8[s]' */
                if ((kind == 'M' || kind == 'm') && digits[0] == '8' && i == 1 && digits[i] == '[' &&
                    digits[nd - 1] == ']')
                    return DESCR_UNSUPPORTED;
                return DESCR_INVALID;
            }
            size = size * 10 + (digits[i] - '0');
        }
    }
    int d = -3; /* -1 object, -2 unsupported, -3 invalid */
    if (size < 0) {
        switch (kind) {
        case '?': d = DT_BOOL; break;
        case 'b': d = DT_INT8; break;
        case 'B': d = DT_UINT8; break;
        case 'h': d = DT_INT16; break;
        case 'i': d = DT_INT32; break;
        case 'l': case 'q': case 'p': d = DT_INT64; break;
        case 'e': d = DT_FLOAT16; break;
        case 'f': d = DT_FLOAT32; break;
        case 'd': d = DT_FLOAT64; break;
        case 'O': d = -1; break;
        case 'F': d = DT_COMPLEX64; break;
        case 'D': d = DT_COMPLEX128; break;
        case 'H': case 'I': case 'L': case 'Q': case 'P': case 'g': case 'G':
        case 'S': case 'U': case 'V': case 'a': case 'M': case 'm': d = -2; break;
        default: break;
        }
    } else {
        switch (kind) {
        case 'b': d = size == 1 ? DT_BOOL : -3; break;
        case 'i': d = size == 1 ? DT_INT8 : size == 2 ? DT_INT16 : size == 4 ? DT_INT32 : size == 8 ? DT_INT64 : -3; break;
        case 'u': d = size == 1 ? DT_UINT8 : (size == 2 || size == 4 || size == 8) ? -2 : -3; break;
        case 'f': d = size == 2 ? DT_FLOAT16 : size == 4 ? DT_FLOAT32 : size == 8 ? DT_FLOAT64 : size == 16 ? -2 : -3; break;
        case 'c': d = size == 8 ? DT_COMPLEX64 : size == 16 ? DT_COMPLEX128 : size == 32 ? -2 : -3; break;
        case 'O': d = size == 8 ? -1 : -3; break;
        case 'S': case 'U': case 'V': case 'a': d = -2; break;
        case 'M': case 'm': d = size == 8 ? -2 : -3; break;
        default: break;
        }
    }
    if (d == -1)
        return DESCR_OBJECT;
    if (d == -2)
        return DESCR_UNSUPPORTED;
    if (d == -3)
        return DESCR_INVALID;
    *dt = (DType)d;
    *swap = order == '>' && dtype_size(*dt) > 1;
    return DESCR_OK;
}

/* ---------------------------------------------------------------- writer --- */

static size_t put(uint8_t *out, size_t cap, size_t at, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (at + i < cap)
            out[at + i] = (uint8_t)s[i];
    return at + n;
}

size_t npy_write_header(uint8_t *out, size_t cap, DType dt, bool fortran_order,
                        const int64_t *shape, int ndim)
{
    /* "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }" and
     * spare spaces so the growth axis can be rewritten in place */
    char dict[64 + 24 * NPY_MAX_NDIM + GROWTH_AXIS_MAX_DIGITS];
    int len = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': %s, 'shape': (",
                       npy_descr(dt), fortran_order ? "True" : "False");
    for (int i = 0; i < ndim && i < NPY_MAX_NDIM; i++)
        len += snprintf(dict + len, sizeof dict - (size_t)len, i ? ", %lld" : "%lld", (long long)shape[i]);
    len += snprintf(dict + len, sizeof dict - (size_t)len, "%s), }", ndim == 1 ? "," : "");
    if (ndim > 0) {
        char axis[24];
        int alen = snprintf(axis, sizeof axis, "%lld", (long long)shape[fortran_order ? ndim - 1 : 0]);
        for (int i = alen; i < GROWTH_AXIS_MAX_DIGITS; i++)
            dict[len++] = ' ';
    }
    size_t hlen = (size_t)len + 1;
    size_t padlen = ARRAY_ALIGN - ((MAGIC_PREFIX_LEN + 2 + 2 + hlen) % ARRAY_ALIGN);
    size_t total_hdr = hlen + padlen; /* fits uint16: ndim is bounded */
    uint8_t prefix[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (uint8_t)(total_hdr & 0xff),
                          (uint8_t)(total_hdr >> 8)};
    size_t at = put(out, cap, 0, (const char *)prefix, sizeof prefix);
    at = put(out, cap, at, dict, (size_t)len);
    for (size_t i = 0; i < padlen; i++)
        at = put(out, cap, at, " ", 1);
    return put(out, cap, at, "\n", 1);
}

void npy_byteswap(void *data, int64_t count, size_t itemsize)
{
    uint8_t *p = data;
    for (int64_t i = 0; i < count; i++, p += itemsize)
        for (size_t a = 0, b = itemsize - 1; a < b; a++, b--) {
            uint8_t t = p[a];
            p[a] = p[b];
            p[b] = t;
        }
}

/* ------------------------------------------------------ literal values --- */

typedef enum { LV_STR, LV_INT, LV_FLOAT, LV_BOOL, LV_NONE, LV_TUPLE, LV_LIST, LV_DICT } LvKind;

typedef struct Lv {
    LvKind kind;
    int first, next; /* children (dict: key, value, key, value...) */
    int nchild;
    bool truth;      /* LV_BOOL */
    double f;        /* LV_FLOAT */
    int64_t i;       /* LV_INT, when !big */
    bool big;        /* an int beyond int64: text holds its digits */
    size_t text, tlen; /* LV_STR: decoded bytes; LV_INT big: digits; in Parser.strbuf */
} Lv;

typedef struct Parser {
    const uint8_t *s;
    size_t n, pos;
    bool utf8;       /* version 3.0: the header is UTF-8, else latin-1 */
    bool allow_l;    /* versions 1.0/2.0: _filter_header tokenizes first
                      * (and drops 2L's L) */
    Lv *v;
    int nv, cap;
    char *strbuf;
    size_t slen, scap;
    int depth;
} Parser;

static int lv_new(Parser *p, LvKind k)
{
    if (p->nv >= p->cap)
        return -1;
    Lv *x = &p->v[p->nv];
    memset(x, 0, sizeof *x);
    x->kind = k;
    x->first = x->next = -1;
    return p->nv++;
}

static void skip_space(Parser *p)
{
    while (p->pos < p->n) {
        uint8_t c = p->s[p->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
            p->pos++;
        else if (c == '\\' && p->pos + 1 < p->n && p->s[p->pos + 1] == '\n')
            p->pos += 2;
        else if (c == '#') {
            while (p->pos < p->n && p->s[p->pos] != '\n')
                p->pos++;
        } else
            break;
    }
}

static bool str_push(Parser *p, uint8_t c)
{
    if (p->slen >= p->scap)
        return false;
    p->strbuf[p->slen++] = (char)c;
    return true;
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* One quoted string (no prefix), appended to strbuf. */
static bool parse_quoted(Parser *p)
{
    uint8_t q = p->s[p->pos++];
    for (;;) {
        if (p->pos >= p->n)
            return false;
        uint8_t c = p->s[p->pos++];
        if (c == q)
            return true;
        if (c == '\n')
            return false;
        if (c != '\\') {
            if (!str_push(p, c))
                return false;
            continue;
        }
        if (p->pos >= p->n)
            return false;
        c = p->s[p->pos++];
        uint8_t out;
        switch (c) {
        case '\n': continue;
        case '\\': out = '\\'; break;
        case '\'': out = '\''; break;
        case '"': out = '"'; break;
        case 'n': out = '\n'; break;
        case 't': out = '\t'; break;
        case 'r': out = '\r'; break;
        case 'a': out = 7; break;
        case 'b': out = 8; break;
        case 'f': out = 12; break;
        case 'v': out = 11; break;
        case 'x': {
            if (p->pos + 2 > p->n)
                return false;
            int h = hexval(p->s[p->pos]), l = hexval(p->s[p->pos + 1]);
            if (h < 0 || l < 0)
                return false;
            p->pos += 2;
            int cp = h * 16 + l;
            if (p->utf8 && cp >= 0x80) {
                if (!str_push(p, (uint8_t)(0xc0 | (cp >> 6))))
                    return false;
                out = (uint8_t)(0x80 | (cp & 0x3f));
            } else
                out = (uint8_t)cp;
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int cp = c - '0';
                for (int k = 0; k < 2 && p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '7'; k++)
                    cp = cp * 8 + (p->s[p->pos++] - '0');
                if (cp > 0xff)
                    return false; /* beyond latin-1: not kept by this reader */
                out = (uint8_t)cp;
            } else {
                /* unknown escapes keep the backslash */
                if (!str_push(p, '\\'))
                    return false;
                out = c;
            }
        }
        if (!str_push(p, out))
            return false;
    }
}

static int parse_value(Parser *p);

static bool is_ident(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'); }

static int parse_number(Parser *p, bool negative)
{
    size_t start = p->pos;
    const uint8_t *s = p->s;
    bool is_float = false;
    if (s[p->pos] == '0' && p->pos + 1 < p->n && (s[p->pos + 1] == 'x' || s[p->pos + 1] == 'X')) {
        p->pos += 2;
        size_t d0 = p->pos;
        uint64_t v = 0;
        bool over = false;
        while (p->pos < p->n && hexval(s[p->pos]) >= 0) {
            if (v >> 60)
                over = true;
            v = v * 16 + (uint64_t)hexval(s[p->pos++]);
        }
        if (p->pos == d0 || over || (p->pos < p->n && is_ident(s[p->pos])) || v > (uint64_t)INT64_MAX)
            return -1; /* big hex literals: not kept by this reader */
        int x = lv_new(p, LV_INT);
        if (x >= 0)
            p->v[x].i = negative ? -(int64_t)v : (int64_t)v;
        return x;
    }
    while (p->pos < p->n && s[p->pos] >= '0' && s[p->pos] <= '9')
        p->pos++;
    if (p->pos < p->n && s[p->pos] == '.') {
        is_float = true;
        p->pos++;
        while (p->pos < p->n && s[p->pos] >= '0' && s[p->pos] <= '9')
            p->pos++;
    }
    if (p->pos < p->n && (s[p->pos] == 'e' || s[p->pos] == 'E')) {
        size_t save = p->pos++;
        if (p->pos < p->n && (s[p->pos] == '+' || s[p->pos] == '-'))
            p->pos++;
        size_t d0 = p->pos;
        while (p->pos < p->n && s[p->pos] >= '0' && s[p->pos] <= '9')
            p->pos++;
        if (p->pos == d0)
            p->pos = save;
        else
            is_float = true;
    }
    size_t end = p->pos;
    if (end == start || (end == start + 1 && s[start] == '.'))
        return -1;
    if (!is_float && p->allow_l && p->pos < p->n && s[p->pos] == 'L')
        p->pos++;
    if (p->pos < p->n && is_ident(s[p->pos]))
        return -1;
    if (is_float) {
        char tmp[64];
        size_t len = end - start;
        double f = INFINITY;
        if (len < sizeof tmp) {
            memcpy(tmp, s + start, len);
            tmp[len] = 0;
            f = strtod(tmp, NULL);
        }
        int x = lv_new(p, LV_FLOAT);
        if (x >= 0)
            p->v[x].f = negative ? -f : f;
        return x;
    }
    /* Python 3 refuses leading zeros (007) */
    size_t a = start;
    while (a + 1 < end && s[a] == '0')
        a++;
    if (a != start && s[a] != '0')
        return -1;
    if (a + 1 < end && s[a] == '0')
        return -1;
    int x = lv_new(p, LV_INT);
    if (x < 0)
        return -1;
    uint64_t v = 0;
    bool big = false;
    for (size_t k = a; k < end; k++) {
        unsigned dgt = (unsigned)(s[k] - '0');
        if (v > (UINT64_MAX - dgt) / 10)
            big = true;
        else
            v = v * 10 + dgt;
    }
    if (big || v > (uint64_t)INT64_MAX + (negative ? 1u : 0u)) {
        p->v[x].big = true;
        p->v[x].text = p->slen;
        if (negative && !str_push(p, '-'))
            return -1;
        for (size_t k = a; k < end; k++)
            if (!str_push(p, s[k]))
                return -1;
        p->v[x].tlen = p->slen - p->v[x].text;
    } else
        p->v[x].i = negative ? (int64_t)(0 - v) : (int64_t)v;
    return x;
}

/* Appends child c to x's children (tail kept in *tail). */
static void add_child(Parser *p, int x, int c, int *tail)
{
    if (*tail < 0)
        p->v[x].first = c;
    else
        p->v[*tail].next = c;
    *tail = c;
    p->v[x].nchild++;
}

/* ( ... ), [ ... ], { ... }; opening bracket at pos. */
static int parse_bracket(Parser *p)
{
    uint8_t open = p->s[p->pos++], close = open == '(' ? ')' : open == '[' ? ']' : '}';
    if (++p->depth > MAX_NEST)
        return -1; /* too deep to parse: a SyntaxError */
    int x = lv_new(p, open == '(' ? LV_TUPLE : open == '[' ? LV_LIST : LV_DICT);
    if (x < 0)
        return -1;
    int tail = -1;
    bool comma = false;
    for (;;) {
        skip_space(p);
        if (p->pos >= p->n)
            return -1;
        if (p->s[p->pos] == close) {
            p->pos++;
            break;
        }
        if (p->v[x].nchild > 0 && !comma)
            return -1;
        int c = parse_value(p);
        if (c < 0)
            return -1;
        add_child(p, x, c, &tail);
        skip_space(p);
        if (open == '{') {
            if (p->pos >= p->n)
                return -1;
            if (p->s[p->pos] != ':')
                return -1; /* sets are not kept by this reader */
            p->pos++;
            skip_space(p);
            int val = parse_value(p);
            if (val < 0)
                return -1;
            add_child(p, x, val, &tail);
            skip_space(p);
        }
        comma = false;
        if (p->pos < p->n && p->s[p->pos] == ',') {
            comma = true;
            p->pos++;
        }
    }
    p->depth--;
    /* (x) is x itself */
    if (open == '(' && p->v[x].nchild == 1 && !comma)
        return p->v[x].first;
    return x;
}

static int parse_value(Parser *p)
{
    skip_space(p);
    if (p->pos >= p->n)
        return -1;
    uint8_t c = p->s[p->pos];
    if (c == '(' || c == '[' || c == '{')
        return parse_bracket(p);
    if (c == '\'' || c == '"') {
        int x = lv_new(p, LV_STR);
        if (x < 0)
            return -1;
        p->v[x].text = p->slen;
        do {
            if (!parse_quoted(p))
                return -1;
            skip_space(p); /* 'a' 'b' is 'ab' */
        } while (p->pos < p->n && (p->s[p->pos] == '\'' || p->s[p->pos] == '"'));
        p->v[x].tlen = p->slen - p->v[x].text;
        return x;
    }
    if (c == '-' || c == '+') {
        p->pos++;
        skip_space(p);
        if (p->pos >= p->n || !((p->s[p->pos] >= '0' && p->s[p->pos] <= '9') || p->s[p->pos] == '.'))
            return -1;
        return parse_number(p, c == '-');
    }
    if ((c >= '0' && c <= '9') || c == '.')
        return parse_number(p, false);
    size_t a = p->pos;
    while (p->pos < p->n && is_ident(p->s[p->pos]))
        p->pos++;
    size_t len = p->pos - a;
    if (len == 4 && memcmp(p->s + a, "True", 4) == 0) {
        int x = lv_new(p, LV_BOOL);
        if (x >= 0)
            p->v[x].truth = true;
        return x;
    }
    if (len == 5 && memcmp(p->s + a, "False", 5) == 0)
        return lv_new(p, LV_BOOL);
    if (len == 4 && memcmp(p->s + a, "None", 4) == 0)
        return lv_new(p, LV_NONE);
    return -1;
}

/* _filter_header runs Python's tokenize over versions 1.0/2.0 headers
 * first: it fails with "EOF in multi-line statement" when the brackets
 * (of any kind, strings and comments aside) do not balance at the end, or
 * a line ends in a backslash. Returns the line number it reports, or 0. */
static int tokenize_eof_line(const uint8_t *s, size_t n)
{
    long level = 0;
    int lines = 1;
    bool continued = false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        continued = false;
        if (c == '\\' && i + 1 < n && s[i + 1] == '\n') {
            continued = true;
            lines++;
            i++;
        } else if (c == '\n')
            lines++;
        else if (c == '#') {
            while (i + 1 < n && s[i + 1] != '\n')
                i++;
        } else if (c == '\'' || c == '"') {
            /* a string closed on its line; an unclosed quote is an error
             * token and tokenizing goes on after it */
            size_t j = i + 1;
            while (j < n && s[j] != c && s[j] != '\n')
                j += s[j] == '\\' && j + 1 < n && s[j + 1] != '\n' ? 2 : 1;
            if (j < n && s[j] == c)
                i = j;
        } else if (c == '(' || c == '[' || c == '{')
            level++;
        else if (c == ')' || c == ']' || c == '}')
            level--;
    }
    if (n > 0 && s[n - 1] != '\n')
        lines++; /* tokenize adds the missing newline */
    return level != 0 || continued ? lines : 0;
}

/* ------------------------------------------------------------- reprs --- */

typedef struct Out {
    char *buf;
    size_t len, cap;
} Out;

static void out_add(Out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && o->len + 1 < o->cap; i++)
        o->buf[o->len++] = s[i];
    o->buf[o->len] = 0;
}

static void out_fmt(Out *o, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        out_add(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Python's repr of a str whose characters are bytes (latin-1) or UTF-8. */
static void repr_str(Out *o, const char *s, size_t n, bool utf8)
{
    bool sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
    char q = sq && !dq ? '"' : '\'';
    out_add(o, &q, 1);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)s[i];
        if (c == (uint8_t)q || c == '\\') {
            out_add(o, "\\", 1);
            out_add(o, (const char *)&c, 1);
        } else if (c == '\n')
            out_add(o, "\\n", 2);
        else if (c == '\r')
            out_add(o, "\\r", 2);
        else if (c == '\t')
            out_add(o, "\\t", 2);
        else if (c < 0x20 || c == 0x7f)
            out_fmt(o, "\\x%02x", c);
        else if (c < 0x80 || utf8)
            out_add(o, (const char *)&c, 1);
        else if (c <= 0xa0 || c == 0xad)
            out_fmt(o, "\\x%02x", c);
        else {
            char u[2] = {(char)(0xc0 | (c >> 6)), (char)(0x80 | (c & 0x3f))};
            out_add(o, u, 2);
        }
    }
    out_add(o, &q, 1);
}

/* Python's float repr: the shortest digits that round-trip, in 'r' style. */
static void repr_float(Out *o, double f)
{
    if (isnan(f)) {
        out_add(o, "nan", 3);
        return;
    }
    if (isinf(f)) {
        out_add(o, f < 0 ? "-inf" : "inf", f < 0 ? 4 : 3);
        return;
    }
    char e[40];
    for (int prec = 0; prec < 17; prec++) {
        snprintf(e, sizeof e, "%.*e", prec, f);
        if (strtod(e, NULL) == f)
            break;
    }
    /* e = [-]d[.ddd]e[+-]XX */
    char *ep = strchr(e, 'e');
    int exp = atoi(ep + 1);
    *ep = 0;
    bool neg = e[0] == '-';
    char digits[24];
    size_t nd = 0;
    for (char *c = e + neg; *c; c++)
        if (*c != '.')
            digits[nd++] = *c;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (neg)
        out_add(o, "-", 1);
    if (exp >= -5 && exp < 16) {
        if (exp < 0) {
            out_add(o, "0.", 2);
            for (int k = -1; k > exp; k--)
                out_add(o, "0", 1);
            out_add(o, digits, nd);
        } else {
            for (int k = 0; k <= exp; k++)
                out_add(o, k < (int)nd ? &digits[k] : "0", 1);
            out_add(o, ".", 1);
            if ((int)nd > exp + 1)
                out_add(o, digits + exp + 1, nd - (size_t)exp - 1);
            else
                out_add(o, "0", 1);
        }
    } else {
        out_add(o, digits, 1);
        if (nd > 1) {
            out_add(o, ".", 1);
            out_add(o, digits + 1, nd - 1);
        }
        out_fmt(o, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
}

static bool lv_equal(const Parser *p, int a, int b);

/* Large dicts (only a hostile header has them) skip the quadratic
 * duplicate-key merge. */
#define DICT_DEDUP_MAX 128

/* A dict's entry is shown at its key's first place with its last value. */
static int dict_last_value(const Parser *p, int dict, int key)
{
    int val = p->v[key].next;
    if (p->v[dict].nchild > 2 * DICT_DEDUP_MAX)
        return val;
    for (int k = p->v[val].next; k >= 0; k = p->v[p->v[k].next].next)
        if (lv_equal(p, key, k))
            val = p->v[k].next;
    return val;
}

static bool dict_seen_before(const Parser *p, int dict, int key)
{
    if (p->v[dict].nchild > 2 * DICT_DEDUP_MAX)
        return false;
    for (int k = p->v[dict].first; k != key; k = p->v[p->v[k].next].next)
        if (lv_equal(p, k, key))
            return true;
    return false;
}

static void repr_lv(const Parser *p, Out *o, int x)
{
    const Lv *v = &p->v[x];
    switch (v->kind) {
    case LV_STR: repr_str(o, p->strbuf + v->text, v->tlen, p->utf8); break;
    case LV_INT:
        if (v->big)
            out_add(o, p->strbuf + v->text, v->tlen);
        else
            out_fmt(o, "%lld", (long long)v->i);
        break;
    case LV_FLOAT: repr_float(o, v->f); break;
    case LV_BOOL: out_add(o, v->truth ? "True" : "False", v->truth ? 4 : 5); break;
    case LV_NONE: out_add(o, "None", 4); break;
    case LV_TUPLE:
    case LV_LIST: {
        out_add(o, v->kind == LV_TUPLE ? "(" : "[", 1);
        for (int c = v->first; c >= 0; c = p->v[c].next) {
            if (c != v->first)
                out_add(o, ", ", 2);
            repr_lv(p, o, c);
        }
        if (v->kind == LV_TUPLE && v->nchild == 1)
            out_add(o, ",", 1);
        out_add(o, v->kind == LV_TUPLE ? ")" : "]", 1);
        break;
    }
    case LV_DICT: {
        out_add(o, "{", 1);
        bool any = false;
        for (int k = v->first; k >= 0; k = p->v[p->v[k].next].next) {
            if (dict_seen_before(p, x, k))
                continue;
            if (any)
                out_add(o, ", ", 2);
            any = true;
            repr_lv(p, o, k);
            out_add(o, ": ", 2);
            repr_lv(p, o, dict_last_value(p, x, k));
        }
        out_add(o, "}", 1);
        break;
    }
    }
}

/* Keys compare by kind and repr (1 == True is not modelled). */
static bool lv_equal(const Parser *p, int a, int b)
{
    if (p->v[a].kind != p->v[b].kind)
        return false;
    char ba[256], bb[256];
    Out oa = {ba, 0, sizeof ba}, ob = {bb, 0, sizeof bb};
    ba[0] = bb[0] = 0;
    repr_lv(p, &oa, a);
    repr_lv(p, &ob, b);
    return strcmp(ba, bb) == 0;
}

/* ------------------------------------------------------------ np.load --- */

static NpyErrKind fail(char *err, NpyErrKind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, NPY_ERR_CAP, fmt, ap);
    va_end(ap);
    return kind;
}

/* 'EOF: reading %s, expected %d bytes got %d' (format._read_bytes) */
static NpyErrKind eof(char *err, const char *what, size_t want, size_t got)
{
    return fail(err, NPY_ERR_VALUE, "EOF: reading %s, expected %zu bytes got %zu", what, want, got);
}

static int dict_get(const Parser *p, int dict, const char *key)
{
    int found = -1;
    for (int k = p->v[dict].first; k >= 0; k = p->v[p->v[k].next].next)
        if (p->v[k].kind == LV_STR && p->v[k].tlen == strlen(key) &&
            memcmp(p->strbuf + p->v[k].text, key, p->v[k].tlen) == 0)
            found = p->v[k].next;
    return found;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "Header does not contain the correct keys: ['descr', 'shape']" */
static NpyErrKind bad_keys(const Parser *p, int dict, char *err)
{
    int n = 0;
    for (int k = p->v[dict].first; k >= 0; k = p->v[p->v[k].next].next)
        n++;
    char **reprs = calloc((size_t)n + 1, sizeof *reprs);
    char *pool = malloc((size_t)n * 512 + 1);
    Out o = {err, 0, NPY_ERR_CAP};
    err[0] = 0;
    out_add(&o, "Header does not contain the correct keys: [", 43);
    if (reprs && pool) {
        int m = 0;
        for (int k = p->v[dict].first; k >= 0; k = p->v[p->v[k].next].next) {
            if (dict_seen_before(p, dict, k))
                continue;
            Out ko = {pool + (size_t)m * 512, 0, 512};
            ko.buf[0] = 0;
            repr_lv(p, &ko, k);
            reprs[m++] = ko.buf;
        }
        qsort(reprs, (size_t)m, sizeof *reprs, cmp_str);
        for (int i = 0; i < m; i++) {
            if (i)
                out_add(&o, ", ", 2);
            out_add(&o, reprs[i], strlen(reprs[i]));
        }
    }
    out_add(&o, "]", 1);
    free(reprs);
    free(pool);
    return NPY_ERR_VALUE;
}

static NpyErrKind bad_value(const Parser *p, int x, const char *what, char *err)
{
    Out o = {err, 0, NPY_ERR_CAP};
    err[0] = 0;
    out_add(&o, what, strlen(what));
    repr_lv(p, &o, x);
    return NPY_ERR_VALUE;
}

/* Checks the parsed header as format._read_array_header does. */
static NpyErrKind check_header(Parser *p, int root, const char *header, size_t hlen,
                               NpyInfo *info, char *err)
{
    if (root < 0 || p->v[root].kind != LV_DICT)
        return bad_value(p, root, "Header is not a dictionary: ", err);
    int descr = dict_get(p, root, "descr"), fo = dict_get(p, root, "fortran_order"),
        shape = dict_get(p, root, "shape");
    int nkeys = 0;
    for (int k = p->v[root].first; k >= 0; k = p->v[p->v[k].next].next)
        nkeys += !dict_seen_before(p, root, k);
    if (descr < 0 || fo < 0 || shape < 0 || nkeys != 3)
        return bad_keys(p, root, err);
    bool shape_ok = p->v[shape].kind == LV_TUPLE;
    for (int c = shape_ok ? p->v[shape].first : -1; c >= 0; c = p->v[c].next)
        if (p->v[c].kind != LV_INT && p->v[c].kind != LV_BOOL)
            shape_ok = false;
    if (!shape_ok)
        return bad_value(p, shape, "shape is not valid: ", err);
    if (p->v[fo].kind != LV_BOOL)
        return bad_value(p, fo, "fortran_order is not a valid bool: ", err);
    if (p->v[descr].kind != LV_STR) {
        if (p->v[descr].kind == LV_LIST || p->v[descr].kind == LV_TUPLE)
            return bad_value(p, descr, "tsr: structured and subarray dtypes are not supported: ", err);
        return bad_value(p, descr, "descr is not a valid dtype descriptor: ", err);
    }
    (void)header;
    (void)hlen;
    DescrClass dc = descr_class(p->strbuf + p->v[descr].text, p->v[descr].tlen, &info->dtype,
                                &info->byteswap);
    if (dc == DESCR_INVALID)
        return bad_value(p, descr, "descr is not a valid dtype descriptor: ", err);
    if (dc == DESCR_OBJECT)
        return fail(err, NPY_ERR_VALUE, "Object arrays cannot be loaded when allow_pickle=False");
    if (dc == DESCR_UNSUPPORTED) {
        bad_value(p, descr, "tsr: numpy dtype ", err);
        size_t l = strlen(err);
        snprintf(err + l, NPY_ERR_CAP - l, " has no tsr type");
        return NPY_ERR_UNSUPPORTED;
    }
    info->fortran_order = p->v[fo].truth;
    info->ndim = 0;
    int64_t count = 1;
    bool overflow = false;
    for (int c = p->v[shape].first; c >= 0; c = p->v[c].next) {
        const Lv *d = &p->v[c];
        int64_t dim = d->kind == LV_BOOL ? d->truth : d->i;
        if (d->kind == LV_INT && d->big)
            overflow = true;
        if (info->ndim < NPY_MAX_NDIM)
            info->shape[info->ndim] = dim;
        info->ndim++;
        if (dim < 0 || (dim > 0 && count > INT64_MAX / dim))
            overflow = true;
        else
            count *= dim;
    }
    info->count = overflow ? -1 : count;
    /* array.shape = (True, 2) */
    for (int c = p->v[shape].first; c >= 0; c = p->v[c].next)
        if (p->v[c].kind == LV_BOOL)
            return fail(err, NPY_ERR_TYPE, "an integer is required");
    return NPY_OK;
}

/* "(2,3)": the shape as numpy's reshape error shows it (fortran: reversed) */
static void shape_text(const NpyInfo *info, Out *o)
{
    out_add(o, "(", 1);
    for (int i = 0; i < info->ndim && i < NPY_MAX_NDIM; i++) {
        int k = info->fortran_order ? info->ndim - 1 - i : i;
        out_fmt(o, i ? ",%lld" : "%lld", (long long)info->shape[k]);
    }
    out_add(o, info->ndim == 1 ? ",)" : ")", info->ndim == 1 ? 2 : 1);
}

NpyErrKind npy_parse(const uint8_t *buf, size_t n, NpyInfo *info, char *err)
{
    memset(info, 0, sizeof *info);
    err[0] = 0;
    /* npyio.load: anything but the magic would be a pickle */
    if (n < MAGIC_PREFIX_LEN || memcmp(buf, MAGIC, MAGIC_PREFIX_LEN) != 0)
        return fail(err, NPY_ERR_VALUE,
                    "Cannot load file containing pickled data when allow_pickle=False");
    if (n < MAGIC_PREFIX_LEN + 2)
        return eof(err, "magic string", MAGIC_PREFIX_LEN + 2, n);
    info->major = buf[6];
    info->minor = buf[7];
    if (!((info->major >= 1 && info->major <= 3) && info->minor == 0))
        return fail(err, NPY_ERR_VALUE,
                    "we only support format version (1,0), (2,0), and (3,0), not (%d, %d)",
                    info->major, info->minor);
    size_t lsize = info->major == 1 ? 2 : 4, at = MAGIC_PREFIX_LEN + 2;
    if (n - at < lsize)
        return eof(err, "array header length", lsize, n - at);
    size_t hlen = (size_t)buf[at] | (size_t)buf[at + 1] << 8;
    if (lsize == 4)
        hlen |= (size_t)buf[at + 2] << 16 | (size_t)buf[at + 3] << 24;
    at += lsize;
    if (n - at < hlen)
        return eof(err, "array header", hlen, n - at);
    const uint8_t *header = buf + at;
    info->data_offset = at + hlen;
    /* len(header) in characters */
    size_t nchars = hlen;
    if (info->major == 3) {
        nchars = 0;
        for (size_t i = 0; i < hlen; i++)
            nchars += (header[i] & 0xc0) != 0x80;
    }
    if (nchars > MAX_HEADER_SIZE)
        return fail(err, NPY_ERR_VALUE,
                    "Header info length (%zu) is large and may not be safe to load securely.\n"
                    "To allow loading, adjust `max_header_size` or fully trust the `.npy` file "
                    "using `allow_pickle=True`.\n"
                    "For safety against large resource use or crashes, sandboxing may be necessary.",
                    nchars);
    Parser p = {.s = header, .n = hlen, .utf8 = info->major == 3, .allow_l = info->major < 3};
    p.cap = (int)hlen + 2;
    p.scap = 2 * hlen + 2;
    p.v = malloc(sizeof *p.v * (size_t)p.cap);
    p.strbuf = malloc(p.scap);
    if (!p.v || !p.strbuf) {
        free(p.v);
        free(p.strbuf);
        return fail(err, NPY_ERR_VALUE, "out of memory reading the array header");
    }
    int eof_line = p.allow_l ? tokenize_eof_line(header, hlen) : 0;
    int root = eof_line ? -1 : parse_value(&p);
    if (root >= 0) {
        skip_space(&p);
        if (p.pos != p.n)
            root = -1;
    }
    NpyErrKind kind;
    if (eof_line) {
        kind = fail(err, NPY_ERR_TOKEN, "('EOF in multi-line statement', (%d, 0))", eof_line);
    } else if (root < 0) {
        Out o = {err, 0, NPY_ERR_CAP};
        out_add(&o, "Cannot parse header: ", 21);
        repr_str(&o, (const char *)header, hlen, p.utf8);
        kind = NPY_ERR_VALUE;
    } else
        kind = check_header(&p, root, (const char *)header, hlen, info, err);
    free(p.v);
    free(p.strbuf);
    if (kind != NPY_OK)
        return kind;
    if (info->ndim > NPY_MAX_NDIM)
        return fail(err, NPY_ERR_VALUE, "maximum supported dimension for an ndarray is %d, found %d",
                    NPY_MAX_NDIM, info->ndim);
    /* numpy.fromfile reads what is there (all of it for a negative count),
     * then setting the shape checks the size */
    size_t item = dtype_size(info->dtype);
    uint64_t have = (uint64_t)((n - info->data_offset) / item);
    if (info->count < 0 || (uint64_t)info->count > have) {
        Out o = {err, 0, NPY_ERR_CAP};
        out_fmt(&o, "cannot reshape array of size %llu into shape ", (unsigned long long)have);
        shape_text(info, &o);
        return NPY_ERR_VALUE;
    }
    return NPY_OK;
}
