/* pyfmt.c: Python's float repr, format-spec mini-language and %-formatting.
 *
 * Ported from CPython 3.11 (Python/formatter_unicode.c, Python/pystrtod.c,
 * Objects/unicodeobject.c). glibc's printf rounds correctly, as CPython's
 * dtoa does, so the digits of the e/f/g conversions come from snprintf and
 * only the layout rules are Python's.
 */
#include "pyfmt.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* ------------------------------------------------------------------ */
/* PyBuf */

static bool pybuf_reserve(PyBuf *b, int64_t extra) {
    if (b->len + extra + 1 <= b->cap) return true;
    int64_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = tsr_realloc(b->data, (unsigned long long)cap);
    if (!p) return false;
    b->data = p;
    b->cap = cap;
    return true;
}

bool pybuf_append(PyBuf *b, const char *s, int64_t n) {
    if (n < 0) n = 0;
    if (!pybuf_reserve(b, n)) return false;
    if (n) memcpy(b->data + b->len, s, (size_t)n);
    b->len += n;
    b->data[b->len] = 0;
    return true;
}

bool pybuf_appends(PyBuf *b, const char *s) { return pybuf_append(b, s, (int64_t)strlen(s)); }

bool pybuf_putc(PyBuf *b, char c) { return pybuf_append(b, &c, 1); }

bool pybuf_fill(PyBuf *b, char c, int64_t n) {
    if (n <= 0) return pybuf_append(b, "", 0);
    if (!pybuf_reserve(b, n)) return false;
    memset(b->data + b->len, c, (size_t)n);
    b->len += n;
    b->data[b->len] = 0;
    return true;
}

/* n copies of a (possibly multi-byte) fill character */
static bool pybuf_fill_str(PyBuf *b, const char *fill, int fill_len, int64_t n) {
    if (fill_len == 1) return pybuf_fill(b, fill[0], n);
    for (int64_t i = 0; i < n; i++)
        if (!pybuf_append(b, fill, fill_len)) return false;
    return true;
}

void pybuf_free(PyBuf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ------------------------------------------------------------------ */
/* UTF-8 helpers */

int utf8_seq_len(unsigned char c) {
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) return 2;
    if ((c & 0xF0) == 0xE0) return 3;
    if ((c & 0xF8) == 0xF0) return 4;
    return 1;
}

static int64_t utf8_count(const char *s, int64_t n) {
    int64_t c = 0;
    for (int64_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

/* byte length of the first `chars` code points of s */
int64_t utf8_prefix(const char *s, int64_t n, int64_t chars) {
    int64_t i = 0;
    while (i < n && chars > 0) {
        i += utf8_seq_len((unsigned char)s[i]);
        chars--;
    }
    return i < n ? i : n;
}

uint32_t utf8_decode(const char *s, int len) {
    const unsigned char *u = (const unsigned char *)s;
    if (len == 1) return u[0];
    uint32_t cp = u[0] & (0x7F >> len);
    for (int i = 1; i < len; i++) cp = (cp << 6) | (u[i] & 0x3F);
    return cp;
}

int utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ------------------------------------------------------------------ */
/* float -> digits */

/* p significant digits of |v| as "%.{p-1}e" writes them: the digits and
 * the exponent of the first */
static int split_e(const char *tmp, char *digits, int *exp10) {
    int nd = 0;
    const char *e = tmp;
    for (; *e && *e != 'e'; e++)
        if (*e >= '0' && *e <= '9') digits[nd++] = *e;
    digits[nd] = 0;
    *exp10 = atoi(e + 1);
    return nd;
}

/* Does digits (nd of them, the first scaled by 10**exp10) read back as v? */
static bool reads_back(const char *digits, int nd, int exp10, double v) {
    char tmp[48];
    int k = 0;
    tmp[k++] = digits[0];
    tmp[k++] = '.';
    for (int i = 1; i < nd; i++) tmp[k++] = digits[i];
    snprintf(tmp + k, sizeof tmp - (size_t)k, "e%d", exp10);
    return strtod(tmp, NULL) == v;
}

/* The p-digit decimal one unit (in the last digit) up or down from
 * digits, in place; the exponent moves when a carry or borrow crosses the
 * first digit. */
static void step_digits(char *digits, int nd, int *exp10, bool up) {
    int i = nd - 1;
    if (up) {
        while (i >= 0 && digits[i] == '9') digits[i--] = '0';
        if (i >= 0) {
            digits[i]++;
        } else { /* 99..9 + 1 = 100..0, one place higher */
            digits[0] = '1';
            (*exp10)++;
        }
    } else {
        while (i >= 0 && digits[i] == '0') digits[i--] = '9';
        digits[i]--; /* digits[0] is never 0 */
        if (digits[0] == '0') { /* 100..0 - 1 = 99..9, one place lower */
            memmove(digits, digits + 1, (size_t)nd - 1);
            digits[nd - 1] = '9';
            (*exp10)--;
        }
    }
}

/* Shortest round-tripping digits of finite |v| (what CPython's repr
 * prints: the fewest digits that read back as v, nearest v among them):
 * digits (no dot), their count, and decpt such that |v| = 0.DIGITS *
 * 10**decpt. At each length the correctly rounded digits come first;
 * when they miss v, the neighbour on v's other side may still hit it
 * (2.0**-24 reads back from 5.960464477539063e-08, not ...062e-08). */
static int shortest_digits(double v, char *digits, int *decpt) {
    char tmp[40];
    int nd = 0, exp10 = 0;
    v = fabs(v);
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
        nd = split_e(tmp, digits, &exp10);
        if (p == 17 || strtod(tmp, NULL) == v) break;
        char other[24];
        int oexp = exp10;
        memcpy(other, digits, (size_t)nd + 1);
        step_digits(other, nd, &oexp, strtod(tmp, NULL) < v);
        if (reads_back(other, nd, oexp, v)) {
            memcpy(digits, other, (size_t)nd + 1);
            exp10 = oexp;
            break;
        }
    }
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = 0;
    *decpt = exp10 + 1;
    return nd;
}

/* `prec` significant digits (prec >= 1) of finite |v|; trailing zeros kept. */
static int precision_digits(double v, int prec, char *digits, int *decpt) {
    char stackbuf[128];
    size_t need = (size_t)prec + 32;
    char *tmp = need <= sizeof stackbuf ? stackbuf : tsr_malloc(need);
    if (!tmp) return -1;
    snprintf(tmp, need, "%.*e", prec - 1, fabs(v));
    int nd = 0;
    char *e = tmp;
    for (; *e && *e != 'e'; e++)
        if (*e >= '0' && *e <= '9') digits[nd++] = *e;
    *decpt = atoi(e + 1) + 1;
    digits[nd] = 0;
    if (tmp != stackbuf) free(tmp);
    return nd;
}

/* CPython's format_float_short layout for 'r' and for 'g' with ADD_DOT_0 */
static bool layout_short(PyBuf *out, bool neg, const char *digits, int nd, int decpt, char type,
                         int precision, int flags, bool upper) {
    bool alt = flags & PYFMT_DTSF_ALT, add_dot_0 = flags & PYFMT_DTSF_ADD_DOT_0;
    bool use_exp = false;
    int vdigits_end = nd, exp = 0;
    if (type == 'r') {
        if (decpt <= -4 || decpt > 16) use_exp = true;
    } else {
        if (decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision)) use_exp = true;
        if (alt) vdigits_end = precision;
    }
    if (use_exp) {
        exp = decpt - 1;
        decpt = 1;
    }
    int vdigits_start = decpt <= 0 ? decpt - 1 : 0;
    if (!use_exp && add_dot_0)
        vdigits_end = vdigits_end > decpt ? vdigits_end : decpt + 1;
    else
        vdigits_end = vdigits_end > decpt ? vdigits_end : decpt;

    int64_t start = out->len;
    if (neg && !pybuf_putc(out, '-')) return false;
    if (decpt <= 0) {
        if (!pybuf_fill(out, '0', decpt - vdigits_start) || !pybuf_putc(out, '.') ||
            !pybuf_fill(out, '0', -decpt))
            return false;
    } else if (!pybuf_fill(out, '0', -vdigits_start)) {
        return false;
    }
    if (0 < decpt && decpt <= nd) {
        if (!pybuf_append(out, digits, decpt) || !pybuf_putc(out, '.') ||
            !pybuf_append(out, digits + decpt, nd - decpt))
            return false;
    } else if (!pybuf_append(out, digits, nd)) {
        return false;
    }
    if (nd < decpt) {
        if (!pybuf_fill(out, '0', decpt - nd) || !pybuf_putc(out, '.') ||
            !pybuf_fill(out, '0', vdigits_end - decpt))
            return false;
    } else if (!pybuf_fill(out, '0', vdigits_end - nd)) {
        return false;
    }
    if (out->len > start && out->data[out->len - 1] == '.' && !alt) out->data[--out->len] = 0;
    if (use_exp) {
        char eb[16];
        snprintf(eb, sizeof eb, "%c%+.02d", upper ? 'E' : 'e', exp);
        if (!pybuf_appends(out, eb)) return false;
    }
    return true;
}

/* 'z': drop the sign of a result whose digits are all zero */
static void drop_neg_zero(PyBuf *out, int64_t start) {
    if (out->len <= start || out->data[start] != '-') return;
    for (int64_t i = start + 1; i < out->len; i++) {
        char c = out->data[i];
        if (c == 'e' || c == 'E') break;
        if (c >= '1' && c <= '9') return;
    }
    memmove(out->data + start, out->data + start + 1, (size_t)(out->len - start));
    out->len--;
}

bool pyfmt_double_to_string(PyBuf *out, double v, char type, int precision, int flags) {
    bool upper = type == 'E' || type == 'F' || type == 'G';
    if (isnan(v)) return pybuf_appends(out, upper ? "NAN" : "nan");
    if (isinf(v)) return pybuf_appends(out, v < 0 ? (upper ? "-INF" : "-inf") : (upper ? "INF" : "inf"));
    int64_t start = out->len;
    bool neg = signbit(v) != 0;
    if (type == 'r' || ((type == 'g' || type == 'G') && (flags & PYFMT_DTSF_ADD_DOT_0))) {
        char sd[40];
        char *digits = sd;
        int nd, decpt;
        if (type == 'r') {
            nd = shortest_digits(v, sd, &decpt);
        } else {
            if (precision == 0) precision = 1;
            if ((size_t)precision + 2 > sizeof sd) {
                digits = tsr_malloc((size_t)precision + 40);
                if (!digits) return false;
            }
            nd = precision_digits(v, precision, digits, &decpt);
            if (nd < 0) return false;
            while (nd > 1 && digits[nd - 1] == '0') nd--;
        }
        bool ok = layout_short(out, neg, digits, nd, decpt, type, precision, flags, upper);
        if (digits != sd) free(digits);
        if (!ok) return false;
    } else {
        char fmt[8];
        int k = 0;
        fmt[k++] = '%';
        if (flags & PYFMT_DTSF_ALT) fmt[k++] = '#';
        fmt[k++] = '.';
        fmt[k++] = '*';
        fmt[k++] = type;
        fmt[k] = 0;
        size_t need = (size_t)precision + 400;
        if (!pybuf_reserve(out, (int64_t)need)) return false;
        int n = snprintf(out->data + out->len, need, fmt, precision, v);
        out->len += n;
    }
    if (flags & PYFMT_DTSF_NO_NEG_0) drop_neg_zero(out, start);
    return true;
}

int pyfmt_float_repr(double v, char *buf, size_t n) {
    char tmp[64];
    PyBuf b = {tmp, 0, sizeof tmp};
    /* the buffer is big enough for any repr: no reallocation happens */
    pyfmt_double_to_string(&b, v, 'r', 0, PYFMT_DTSF_ADD_DOT_0);
    if (n) {
        size_t k = (size_t)b.len < n - 1 ? (size_t)b.len : n - 1;
        memcpy(buf, tmp, k);
        buf[k] = 0;
    }
    return (int)b.len;
}

int pyfmt_fixed(double v, int prec, char *buf, size_t n) {
    static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                 1e8, 1e9, 1e10, 1e11, 1e12};
    if (isnan(v)) return snprintf(buf, n, "nan");
    if (isinf(v)) return snprintf(buf, n, v < 0 ? "-inf" : "inf");
    if (prec >= 0 && prec <= 12 && n >= 40) {
        double r = fabs(v) * p10[prec];
        if (r < 1e12) {
            double fl = floor(r), frac = r - fl;
            /* r carries at most 2^-13 of error: decide only when clear of .5 */
            if (fabs(frac - 0.5) > 1e-3) {
                uint64_t q = (uint64_t)fl + (frac > 0.5);
                uint64_t ip = q / (uint64_t)p10[prec], fp = q % (uint64_t)p10[prec];
                char tmp[32];
                int k = 0;
                do {
                    tmp[k++] = (char)('0' + ip % 10);
                    ip /= 10;
                } while (ip);
                int len = 0;
                if (signbit(v)) buf[len++] = '-';
                while (k) buf[len++] = tmp[--k];
                if (prec > 0) {
                    buf[len++] = '.';
                    for (int i = prec - 1; i >= 0; i--) {
                        buf[len + i] = (char)('0' + fp % 10);
                        fp /= 10;
                    }
                    len += prec;
                }
                buf[len] = 0;
                return len;
            }
        }
    }
    return snprintf(buf, n, "%.*f", prec, v);
}

/* ------------------------------------------------------------------ */
/* format spec mini-language */

typedef struct {
    char fill[5];
    int fill_len;
    char align;      /* < > ^ = */
    char sign;       /* 0 + - ' ' */
    bool no_neg_0;   /* z */
    bool alt;        /* # */
    int64_t width;   /* -1 none */
    char thousands;  /* 0 , _ */
    int group;       /* digits per group (3, or 4 for _ with b o x X) */
    int64_t precision; /* -1 none */
    uint32_t type;   /* 0 none */
} Spec;

static bool is_align(char c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

static void raise_unknown_code(uint32_t type, const char *tname) {
    if (type > 32 && type < 128)
        tsr_raise(ERR_ValueError, "Unknown format code '%c' for object of type '%s'", (char)type,
                  tname);
    else
        tsr_raise(ERR_ValueError, "Unknown format code '\\x%x' for object of type '%s'",
                  (unsigned)type, tname);
}

/* parses the digits at spec[*pos]; returns count consumed or -1 (raised) */
static int get_integer(const char *spec, size_t *pos, int64_t *out) {
    int64_t v = 0;
    int n = 0;
    while (spec[*pos] >= '0' && spec[*pos] <= '9') {
        int d = spec[*pos] - '0';
        if (v > (INT64_MAX - d) / 10) {
            tsr_raise(ERR_ValueError, "%s", "Too many decimal digits in format string");
            return -1;
        }
        v = v * 10 + d;
        (*pos)++;
        n++;
    }
    *out = v;
    return n;
}

static bool parse_spec(const char *spec, Spec *f, uint32_t default_type, char default_align,
                       const char *tname) {
    size_t end = strlen(spec), pos = 0;
    bool fill_specified = false, align_specified = false;
    memset(f, 0, sizeof *f);
    f->fill[0] = ' ';
    f->fill_len = 1;
    f->align = default_align;
    f->width = -1;
    f->precision = -1;
    f->type = default_type;

    int l0 = end ? utf8_seq_len((unsigned char)spec[0]) : 0;
    if (l0 > (int)end) l0 = (int)end;
    if (end >= (size_t)l0 + 1 && l0 && is_align(spec[l0])) {
        memcpy(f->fill, spec, (size_t)l0);
        f->fill[l0] = 0;
        f->fill_len = l0;
        f->align = spec[l0];
        fill_specified = align_specified = true;
        pos = (size_t)l0 + 1;
    } else if (end >= 1 && is_align(spec[0])) {
        f->align = spec[0];
        align_specified = true;
        pos = 1;
    }
    if (pos < end && (spec[pos] == '+' || spec[pos] == '-' || spec[pos] == ' ')) f->sign = spec[pos++];
    if (pos < end && spec[pos] == 'z') {
        f->no_neg_0 = true;
        pos++;
    }
    if (pos < end && spec[pos] == '#') {
        f->alt = true;
        pos++;
    }
    if (!fill_specified && pos < end && spec[pos] == '0') {
        f->fill[0] = '0';
        f->fill_len = 1;
        if (!align_specified && default_align == '>') f->align = '=';
        pos++;
    }
    int consumed = get_integer(spec, &pos, &f->width);
    if (consumed < 0) return false;
    if (consumed == 0) f->width = -1;
    if (pos < end && spec[pos] == ',') {
        f->thousands = ',';
        pos++;
    }
    if (pos < end && spec[pos] == '_') {
        if (f->thousands) {
            tsr_raise(ERR_ValueError, "%s", "Cannot specify both ',' and '_'.");
            return false;
        }
        f->thousands = '_';
        pos++;
    }
    if (pos < end && spec[pos] == ',' && f->thousands == '_') {
        tsr_raise(ERR_ValueError, "%s", "Cannot specify both ',' and '_'.");
        return false;
    }
    if (pos < end && spec[pos] == '.') {
        pos++;
        consumed = get_integer(spec, &pos, &f->precision);
        if (consumed < 0) return false;
        if (consumed == 0) {
            tsr_raise(ERR_ValueError, "%s", "Format specifier missing precision");
            return false;
        }
    }
    if (pos < end) {
        int lt = utf8_seq_len((unsigned char)spec[pos]);
        if (end - pos > (size_t)lt) {
            tsr_raise(ERR_ValueError, "Invalid format specifier '%s' for object of type '%s'", spec,
                      tname);
            return false;
        }
        f->type = utf8_decode(spec + pos, lt);
    }
    f->group = 3;
    if (f->thousands) {
        switch (f->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (f->thousands == '_') {
                f->group = 4;
                break;
            }
            /* fall through */
        default:
            if (f->type > 32 && f->type < 128)
                tsr_raise(ERR_ValueError, "Cannot specify '%c' with '%c'.", f->thousands,
                          (char)f->type);
            else
                tsr_raise(ERR_ValueError, "Cannot specify '%c' with '\\x%x'.", f->thousands,
                          (unsigned)f->type);
            return false;
        }
    }
    return true;
}

/* CPython's _PyUnicode_InsertThousandsGrouping into out: digits grouped
 * (group 0: none) and left-padded with zeros to min_width. */
static bool group_digits(PyBuf *out, const char *digits, int64_t nd, int64_t min_width, int group,
                         char sep) {
    if (min_width < 0) min_width = 0;
    int64_t cap = nd + min_width + (group ? (nd + min_width) / group + 2 : 0) + 2;
    char *tmp = tsr_malloc((unsigned long long)cap);
    if (!tmp) return false;
    int64_t w = cap; /* written right to left into tmp[w..cap) */
    int64_t remaining = nd, di = nd;
    bool use_sep = false, broken = false;
    if (group) {
        for (;;) {
            int64_t m = remaining > min_width ? remaining : min_width;
            if (m < 1) m = 1;
            int64_t l = group < m ? group : m;
            int64_t n_zeros = l - remaining > 0 ? l - remaining : 0;
            int64_t n_chars = remaining < l ? remaining : l;
            if (n_chars < 0) n_chars = 0;
            if (use_sep) tmp[--w] = sep;
            for (int64_t i = 0; i < n_chars; i++) tmp[--w] = digits[--di];
            for (int64_t i = 0; i < n_zeros; i++) tmp[--w] = '0';
            use_sep = true;
            remaining -= n_chars;
            min_width -= l;
            if (remaining <= 0 && min_width <= 0) {
                broken = true;
                break;
            }
            min_width -= 1;
        }
    }
    if (!broken) {
        int64_t l = remaining > min_width ? remaining : min_width;
        if (l < 1) l = 1;
        int64_t n_zeros = l - remaining > 0 ? l - remaining : 0;
        int64_t n_chars = remaining < l ? remaining : l;
        if (n_chars < 0) n_chars = 0;
        if (use_sep) tmp[--w] = sep;
        for (int64_t i = 0; i < n_chars; i++) tmp[--w] = digits[--di];
        for (int64_t i = 0; i < n_zeros; i++) tmp[--w] = '0';
    }
    bool ok = pybuf_append(out, tmp + w, cap - w);
    free(tmp);
    return ok;
}

/* CPython's calc_number_widths + fill_number. number = [sign] prefix-free
 * text: digits, then optional decimal point, then the remainder (which has
 * rem_chars code points). */
static bool fill_number(PyBuf *out, const Spec *f, char sign_char, const char *prefix,
                        int n_prefix, const char *digits, int64_t nd, bool has_decimal,
                        const char *rem, int64_t rem_len, int64_t rem_chars, bool upper) {
    char sign = 0;
    if (f->sign == '+') sign = sign_char == '-' ? '-' : '+';
    else if (f->sign == ' ') sign = sign_char == '-' ? '-' : ' ';
    else if (sign_char == '-') sign = '-';
    int64_t n_non_digit = (sign ? 1 : 0) + n_prefix + (has_decimal ? 1 : 0) + rem_chars;
    int64_t min_width = 0;
    if (f->fill_len == 1 && f->fill[0] == '0' && f->align == '=') min_width = f->width - n_non_digit;

    PyBuf g = {0};
    if (nd && !group_digits(&g, digits, nd, min_width, f->thousands ? f->group : 0,
                            f->thousands ? f->thousands : ','))
        return false;
    if (upper)
        for (int64_t i = 0; i < g.len; i++)
            if (g.data[i] >= 'a' && g.data[i] <= 'z') g.data[i] = (char)(g.data[i] - 32);
    int64_t n_padding = f->width - (n_non_digit + g.len);
    int64_t lpad = 0, spad = 0, rpad = 0;
    if (n_padding > 0) {
        switch (f->align) {
        case '<': rpad = n_padding; break;
        case '^': lpad = n_padding / 2; rpad = n_padding - lpad; break;
        case '=': spad = n_padding; break;
        default: lpad = n_padding; break;
        }
    }
    bool ok = pybuf_fill_str(out, f->fill, f->fill_len, lpad) && (!sign || pybuf_putc(out, sign));
    if (ok && n_prefix) {
        char pb[4];
        memcpy(pb, prefix, (size_t)n_prefix);
        if (upper)
            for (int i = 0; i < n_prefix; i++)
                if (pb[i] >= 'a' && pb[i] <= 'z') pb[i] = (char)(pb[i] - 32);
        ok = pybuf_append(out, pb, n_prefix);
    }
    ok = ok && pybuf_fill_str(out, f->fill, f->fill_len, spad) && pybuf_append(out, g.data, g.len) &&
         (!has_decimal || pybuf_putc(out, '.')) && pybuf_append(out, rem, rem_len) &&
         pybuf_fill_str(out, f->fill, f->fill_len, rpad);
    pybuf_free(&g);
    return ok;
}

/* a float's text s (PyOS_double_to_string's) through fill_number: its
 * sign, digits, decimal point and remainder (exponent, '%') split apart */
static bool fill_float_text(PyBuf *out, const Spec *f, const PyBuf *s) {
    int64_t i = 0;
    char sign_char = 0;
    if (s->data[0] == '-') {
        sign_char = '-';
        i = 1;
    }
    int64_t d0 = i;
    while (i < s->len && s->data[i] >= '0' && s->data[i] <= '9') i++;
    int64_t nd = i - d0;
    bool has_decimal = i < s->len && s->data[i] == '.';
    if (has_decimal) i++;
    return fill_number(out, f, sign_char, NULL, 0, s->data + d0, nd, has_decimal, s->data + i, s->len - i,
                       s->len - i, false);
}

static bool format_float_internal(PyBuf *out, double v, const Spec *f) {
    uint32_t type = f->type;
    int flags = 0, default_precision = 6;
    bool add_pct = false;
    if (f->precision > INT_MAX) {
        tsr_raise(ERR_ValueError, "%s", "precision too big");
        return false;
    }
    int precision = (int)f->precision;
    if (f->alt) flags |= PYFMT_DTSF_ALT;
    if (f->no_neg_0) flags |= PYFMT_DTSF_NO_NEG_0;
    if (type == 0) {
        flags |= PYFMT_DTSF_ADD_DOT_0;
        type = 'r';
        default_precision = 0;
    }
    if (type == 'n') type = 'g';
    if (type == '%') {
        type = 'f';
        v *= 100;
        add_pct = true;
    }
    if (precision < 0) precision = default_precision;
    else if (type == 'r') type = 'g';

    PyBuf s = {0};
    if (!pyfmt_double_to_string(&s, v, (char)type, precision, flags)) goto fail;
    if (add_pct && !pybuf_putc(&s, '%')) goto fail;
    if (f->sign != '+' && f->sign != ' ' && f->width == -1 && f->type != 'n' && !f->thousands) {
        bool ok = pybuf_append(out, s.data, s.len);
        pybuf_free(&s);
        return ok;
    }
    bool ok = fill_float_text(out, f, &s);
    pybuf_free(&s);
    return ok;
fail:
    pybuf_free(&s);
    return false;
}

bool pyfmt_format_float(PyBuf *out, double v, const char *spec) {
    if (!spec[0]) {
        char buf[64];
        int n = pyfmt_float_repr(v, buf, sizeof buf);
        return pybuf_append(out, buf, n);
    }
    Spec f;
    if (!parse_spec(spec, &f, 0, '>', "float")) return false;
    switch (f.type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%':
        return format_float_internal(out, v, &f);
    default:
        raise_unknown_code(f.type, "float");
        return false;
    }
}

/* one part of a complex number, as CPython's format_complex_internal
 * lays it out: the digits grouped, no padding (sign '+' forces a sign) */
static bool complex_part(PyBuf *out, const Spec *f, char sign, double v, char type, int precision,
                         int flags) {
    PyBuf s = {0};
    if (!pyfmt_double_to_string(&s, v, type, precision, flags)) return false;
    Spec part = *f;
    part.fill[0] = ' ';
    part.fill_len = 1;
    part.align = '<';
    part.width = -1;
    part.sign = sign;
    bool ok = fill_float_text(out, &part, &s);
    pybuf_free(&s);
    return ok;
}

bool pyfmt_format_complex(PyBuf *out, double re, double im, const char *spec) {
    Spec f;
    if (!parse_spec(spec, &f, 0, '>', "complex")) return false;
    switch (f.type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': break;
    default: raise_unknown_code(f.type, "complex"); return false;
    }
    if (f.precision > INT_MAX) {
        tsr_raise(ERR_ValueError, "%s", "precision too big");
        return false;
    }
    if (f.fill_len == 1 && f.fill[0] == '0') { /* a '0' before the width, or '0' as the fill */
        tsr_raise(ERR_ValueError, "%s", "Zero padding is not allowed in complex format specifier");
        return false;
    }
    if (f.align == '=') {
        tsr_raise(ERR_ValueError, "%s", "'=' alignment flag is not allowed in complex format specifier");
        return false;
    }
    int flags = 0, precision = (int)f.precision, default_precision = 6;
    char type = (char)f.type;
    bool skip_re = false, parens = false;
    if (f.alt) flags |= PYFMT_DTSF_ALT;
    if (f.no_neg_0) flags |= PYFMT_DTSF_NO_NEG_0;
    if (type == 0) { /* like str(z) */
        type = 'r';
        default_precision = 0;
        if (re == 0.0 && copysign(1.0, re) == 1.0) skip_re = true;
        else parens = true;
    }
    if (type == 'n') type = 'g';
    if (precision < 0) precision = default_precision;
    else if (type == 'r') type = 'g';
    PyBuf body = {0};
    bool ok = (!parens || pybuf_putc(&body, '(')) &&
              (skip_re || complex_part(&body, &f, f.sign, re, type, precision, flags)) &&
              complex_part(&body, &f, skip_re ? f.sign : '+', im, type, precision, flags) &&
              pybuf_putc(&body, 'j') && (!parens || pybuf_putc(&body, ')'));
    if (ok) {
        int64_t n = utf8_count(body.data, body.len), pad = f.width > n ? f.width - n : 0, lpad = 0, rpad = 0;
        if (f.align == '<') rpad = pad;
        else if (f.align == '^') lpad = pad / 2, rpad = pad - pad / 2;
        else lpad = pad;
        ok = pybuf_fill_str(out, f.fill, f.fill_len, lpad) && pybuf_append(out, body.data, body.len) &&
             pybuf_fill_str(out, f.fill, f.fill_len, rpad);
    }
    pybuf_free(&body);
    return ok;
}

/* magnitude of v in base (lowercase digits) into buf; returns length */
static int u64_to_base(uint64_t m, int base, char *buf) {
    char tmp[70];
    int k = 0;
    do {
        tmp[k++] = "0123456789abcdef"[m % (uint64_t)base];
        m /= (uint64_t)base;
    } while (m);
    for (int i = 0; i < k; i++) buf[i] = tmp[k - 1 - i];
    buf[k] = 0;
    return k;
}

static uint64_t magnitude(int64_t v) { return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v; }

static bool format_long_internal(PyBuf *out, int64_t v, const Spec *f) {
    if (f->precision != -1) {
        tsr_raise(ERR_ValueError, "%s", "Precision not allowed in integer format specifier");
        return false;
    }
    if (f->no_neg_0) {
        tsr_raise(ERR_ValueError, "%s",
                  "Negative zero coercion (z) not allowed in integer format specifier");
        return false;
    }
    if (f->type == 'c') {
        if (f->sign) {
            tsr_raise(ERR_ValueError, "%s", "Sign not allowed with integer format specifier 'c'");
            return false;
        }
        if (f->alt) {
            tsr_raise(ERR_ValueError, "%s",
                      "Alternate form (#) not allowed with integer format specifier 'c'");
            return false;
        }
        if (v < 0 || v > 0x10ffff) {
            tsr_raise(ERR_OverflowError, "%s", "%c arg not in range(0x110000)");
            return false;
        }
        char cb[4];
        int n = utf8_encode((uint32_t)v, cb);
        return fill_number(out, f, 0, NULL, 0, NULL, 0, false, cb, n, 1, false);
    }
    int base = 10;
    const char *prefix = "";
    switch (f->type) {
    case 'b': base = 2; prefix = "0b"; break;
    case 'o': base = 8; prefix = "0o"; break;
    case 'x': case 'X': base = 16; prefix = "0x"; break;
    default: break;
    }
    char digits[72];
    int nd = u64_to_base(magnitude(v), base, digits);
    int n_prefix = f->alt ? (int)strlen(prefix) : 0;
    return fill_number(out, f, v < 0 ? '-' : 0, prefix, n_prefix, digits, nd, false, "", 0, 0,
                       f->type == 'X');
}

bool pyfmt_format_int(PyBuf *out, int64_t v, const char *spec) {
    if (!spec[0]) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
        return pybuf_append(out, buf, n);
    }
    Spec f;
    if (!parse_spec(spec, &f, 'd', '>', "int")) return false;
    switch (f.type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
        return format_long_internal(out, v, &f);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
        return format_float_internal(out, (double)v, &f);
    default:
        raise_unknown_code(f.type, "int");
        return false;
    }
}

bool pyfmt_format_str(PyBuf *out, const char *s, int64_t len, const char *spec) {
    if (!spec[0]) return pybuf_append(out, s, len);
    Spec f;
    if (!parse_spec(spec, &f, 's', '<', "str")) return false;
    if (f.type != 's') {
        raise_unknown_code(f.type, "str");
        return false;
    }
    const char *err = NULL;
    if (f.sign) err = "Sign not allowed in string format specifier";
    else if (f.no_neg_0) err = "Negative zero coercion (z) not allowed in string format specifier";
    else if (f.alt) err = "Alternate form (#) not allowed in string format specifier";
    else if (f.align == '=') err = "'=' alignment not allowed in string format specifier";
    if (err) {
        tsr_raise(ERR_ValueError, "%s", err);
        return false;
    }
    int64_t nbytes = len, nchars = utf8_count(s, len);
    if (f.precision >= 0 && nchars > f.precision) {
        nbytes = utf8_prefix(s, len, f.precision);
        nchars = f.precision;
    }
    int64_t pad = f.width > nchars ? f.width - nchars : 0, lpad = 0, rpad = 0;
    if (f.align == '>') lpad = pad;
    else if (f.align == '^') {
        lpad = pad / 2;
        rpad = pad - lpad;
    } else rpad = pad;
    return pybuf_fill_str(out, f.fill, f.fill_len, lpad) && pybuf_append(out, s, nbytes) &&
           pybuf_fill_str(out, f.fill, f.fill_len, rpad);
}

/* ------------------------------------------------------------------ */
/* printf-style % */

int pyfmt_percent_next(const char *fmt, int64_t len, int64_t *pos, PyBuf *out,
                       PyPercentSpec *spec) {
    int64_t i = *pos;
    for (;;) {
        int64_t j = i;
        while (j < len && fmt[j] != '%') j++;
        if (!pybuf_append(out, fmt + i, j - i)) return -1;
        if (j >= len) {
            *pos = len;
            return 0;
        }
        if (j + 1 < len && fmt[j + 1] == '%') {
            if (!pybuf_putc(out, '%')) return -1;
            i = j + 2;
            continue;
        }
        i = j + 1;
        break;
    }
    memset(spec, 0, sizeof *spec);
    spec->width = -1;
    spec->prec = -1;
    int64_t k = i;
    if (k < len && fmt[k] == '(') {
        int pcount = 1;
        int64_t ks = ++k;
        while (k < len && pcount > 0) {
            if (fmt[k] == ')') pcount--;
            else if (fmt[k] == '(') pcount++;
            k++;
        }
        if (pcount > 0) {
            tsr_raise(ERR_ValueError, "%s", "incomplete format key");
            return -1;
        }
        spec->key = fmt + ks;
        spec->key_len = k - ks - 1;
    }
    for (; k < len; k++) {
        char c = fmt[k];
        if (c == '-') spec->flags |= PYFMT_F_LJUST;
        else if (c == '+') spec->flags |= PYFMT_F_SIGN;
        else if (c == ' ') spec->flags |= PYFMT_F_BLANK;
        else if (c == '#') spec->flags |= PYFMT_F_ALT;
        else if (c == '0') spec->flags |= PYFMT_F_ZERO;
        else break;
    }
    if (k < len && fmt[k] == '*') {
        spec->width = PYFMT_STAR;
        k++;
    } else if (k < len && fmt[k] >= '0' && fmt[k] <= '9') {
        int64_t w = 0;
        for (; k < len && fmt[k] >= '0' && fmt[k] <= '9'; k++) {
            int d = fmt[k] - '0';
            if (w > (INT64_MAX - d) / 10) {
                tsr_raise(ERR_ValueError, "%s", "width too big");
                return -1;
            }
            w = w * 10 + d;
        }
        spec->width = w;
    }
    if (k < len && fmt[k] == '.') {
        k++;
        spec->prec = 0;
        if (k < len && fmt[k] == '*') {
            spec->prec = PYFMT_STAR;
            k++;
        } else {
            int64_t p = 0;
            for (; k < len && fmt[k] >= '0' && fmt[k] <= '9'; k++) {
                int d = fmt[k] - '0';
                if (p > (INT_MAX - d) / 10) {
                    tsr_raise(ERR_ValueError, "%s", "precision too big");
                    return -1;
                }
                p = p * 10 + d;
            }
            spec->prec = p;
        }
    }
    if (k < len && (fmt[k] == 'h' || fmt[k] == 'l' || fmt[k] == 'L')) k++;
    if (k >= len) {
        tsr_raise(ERR_ValueError, "%s", "incomplete format");
        return -1;
    }
    int cl = utf8_seq_len((unsigned char)fmt[k]);
    if (k + cl > len) cl = (int)(len - k);
    spec->conv = cl > 1 ? '?' : fmt[k]; /* non-ASCII: always unsupported */
    spec->conv_cp = utf8_decode(fmt + k, cl);
    spec->index = utf8_count(fmt, k);
    *pos = k + cl;
    return 1;
}

bool pyfmt_percent_conv_ok(const PyPercentSpec *spec) {
    if (spec->conv && spec->conv_cp < 0x80 && strchr("diuoxXeEfFgGcsra", spec->conv)) return true;
    uint32_t c = spec->conv_cp;
    tsr_raise(ERR_ValueError, "unsupported format character '%c' (0x%x) at index %lld",
              (c >= 31 && c <= 126) ? (char)c : '?', (unsigned)c, (long long)spec->index);
    return false;
}

/* width/prec after '*' normalisation */
static void percent_norm(const PyPercentSpec *in, PyPercentSpec *s) {
    *s = *in;
    if (s->width < -1 || s->width == PYFMT_STAR) {
        if (s->width == PYFMT_STAR) s->width = -1;
        else {
            s->flags |= PYFMT_F_LJUST;
            s->width = -s->width;
        }
    }
    if (s->prec < -1 || s->prec == PYFMT_STAR) s->prec = s->prec == PYFMT_STAR ? -1 : 0;
}

/* CPython's unicode_format_arg_output; `sign` says numeric conversion */
static bool percent_output(PyBuf *out, const PyPercentSpec *s0, const char *str, int64_t nbytes,
                           bool sign) {
    PyPercentSpec a;
    percent_norm(s0, &a);
    char fill = (sign && (a.flags & PYFMT_F_ZERO)) ? '0' : ' ';
    int64_t len = utf8_count(str, nbytes);
    if ((a.width == -1 || a.width <= len) && (a.prec == -1 || a.prec >= len) &&
        !(a.flags & (PYFMT_F_SIGN | PYFMT_F_BLANK)))
        return pybuf_append(out, str, nbytes);
    if ((a.conv == 's' || a.conv == 'r' || a.conv == 'a') && a.prec >= 0 && len > a.prec) {
        nbytes = utf8_prefix(str, nbytes, a.prec);
        len = a.prec;
    }
    int64_t pi = 0;
    char signchar = 0;
    if (sign) {
        if (len > 0 && (str[0] == '-' || str[0] == '+')) {
            signchar = str[0];
            len--;
            pi++;
        } else if (a.flags & PYFMT_F_SIGN) signchar = '+';
        else if (a.flags & PYFMT_F_BLANK) signchar = ' ';
        else sign = false;
    }
    int64_t width = a.width < len ? len : a.width;
    if (sign) {
        if (fill != ' ' && !pybuf_putc(out, signchar)) return false;
        if (width > len) width--;
    }
    bool alt_prefix = (a.flags & PYFMT_F_ALT) && (a.conv == 'x' || a.conv == 'X' || a.conv == 'o');
    if (alt_prefix) {
        if (fill != ' ') {
            if (!pybuf_append(out, str + pi, 2)) return false;
            pi += 2;
        }
        width -= 2;
        if (width < 0) width = 0;
        len -= 2;
    }
    if (width > len && !(a.flags & PYFMT_F_LJUST)) {
        if (!pybuf_fill(out, fill, width - len)) return false;
        width = len;
    }
    if (fill == ' ') {
        if (sign && !pybuf_putc(out, signchar)) return false;
        if (alt_prefix) {
            if (!pybuf_append(out, str + pi, 2)) return false;
            pi += 2;
        }
    }
    if (!pybuf_append(out, str + pi, nbytes - pi)) return false;
    if (width > len && !pybuf_fill(out, ' ', width - len)) return false;
    return true;
}

/* CPython's _PyUnicode_FormatLong for an int64 */
static int format_long(char *buf, int64_t v, bool alt, int64_t prec, char type) {
    char digits[72];
    int base = type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
    int nd = u64_to_base(magnitude(v), base, digits);
    int k = 0;
    if (v < 0) buf[k++] = '-';
    if (alt && base != 10) {
        buf[k++] = '0';
        buf[k++] = type;
    }
    for (int64_t i = nd; i < prec; i++) buf[k++] = '0';
    for (int i = 0; i < nd; i++) buf[k++] = type == 'X' ? (char)(digits[i] >= 'a' ? digits[i] - 32 : digits[i]) : digits[i];
    buf[k] = 0;
    return k;
}

bool pyfmt_percent_number(PyBuf *out, const PyPercentSpec *spec, bool is_float, double fv,
                          int64_t iv) {
    PyPercentSpec a;
    percent_norm(spec, &a);
    char c = a.conv;
    switch (c) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
        if (is_float && (c == 'o' || c == 'x' || c == 'X')) {
            tsr_raise(ERR_TypeError, "%%%c format: an integer is required, not float", c);
            return false;
        }
        if (c == 'i' || c == 'u') c = 'd';
        if (is_float) {
            if (isnan(fv)) {
                tsr_raise(ERR_ValueError, "%s", "cannot convert float NaN to integer");
                return false;
            }
            if (isinf(fv)) {
                tsr_raise(ERR_OverflowError, "%s", "cannot convert float infinity to integer");
                return false;
            }
            double t = trunc(fv);
            if (fabs(t) >= 9.2e18) { /* beyond int64: exact digits of the float */
                int64_t p = a.prec;
                PyBuf s = {0};
                char dig[400];
                int nd = snprintf(dig, sizeof dig, "%.0f", fabs(t));
                bool ok = (t < 0 ? pybuf_putc(&s, '-') : pybuf_fill(&s, ' ', 0)) &&
                          pybuf_fill(&s, '0', p - nd) && pybuf_append(&s, dig, nd) &&
                          percent_output(out, spec, s.data, s.len, true);
                pybuf_free(&s);
                return ok;
            }
            iv = (int64_t)t;
        }
        int64_t prec = a.prec;
        PyBuf s = {0};
        if (!pybuf_reserve(&s, 80 + (prec > 0 ? prec : 0))) return false;
        s.len = format_long(s.data, iv, a.flags & PYFMT_F_ALT, prec, c);
        bool ok = percent_output(out, spec, s.data, s.len, true);
        pybuf_free(&s);
        return ok;
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
        double x = is_float ? fv : (double)iv;
        PyBuf s = {0};
        bool ok = pyfmt_double_to_string(&s, x, c, a.prec < 0 ? 6 : (int)a.prec,
                                         (a.flags & PYFMT_F_ALT) ? PYFMT_DTSF_ALT : 0) &&
                  percent_output(out, spec, s.data, s.len, true);
        pybuf_free(&s);
        return ok;
    }
    case 'c':
        if (is_float) {
            tsr_raise(ERR_TypeError, "%s", "%c requires int or char");
            return false;
        }
        return pyfmt_percent_char(out, spec, iv);
    default:
        return pyfmt_percent_conv_ok(spec);
    }
}

bool pyfmt_percent_str(PyBuf *out, const PyPercentSpec *spec, const char *s, int64_t len) {
    return percent_output(out, spec, s, len, false);
}

bool pyfmt_percent_char(PyBuf *out, const PyPercentSpec *spec, int64_t cp) {
    if (cp < 0 || cp > 0x10ffff) {
        tsr_raise(ERR_OverflowError, "%s", "%c arg not in range(0x110000)");
        return false;
    }
    char cb[4];
    int n = utf8_encode((uint32_t)cp, cb);
    return percent_output(out, spec, cb, n, false);
}

bool pyfmt_percent_type_error(const PyPercentSpec *spec, const char *type_name) {
    char c = spec->conv;
    if (c == 'd' || c == 'i' || c == 'u')
        tsr_raise(ERR_TypeError, "%%%c format: a real number is required, not %s", c, type_name);
    else if (c == 'o' || c == 'x' || c == 'X')
        tsr_raise(ERR_TypeError, "%%%c format: an integer is required, not %s", c, type_name);
    else if (c == 'c')
        tsr_raise(ERR_TypeError, "%s", "%c requires int or char");
    else
        tsr_raise(ERR_TypeError, "must be real number, not %s", type_name);
    return false;
}
