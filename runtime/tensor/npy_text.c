/* npy_text.c: np.loadtxt's table reading (see npy_text.h). */
#include "npy_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_space(char c) { return c == ' ' || c == '\t'; }

bool nptxt_to_double(const char *s, size_t n, double *out)
{
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    if (n == 0 || n > 400)
        return false;
    char buf[408];
    memcpy(buf, s, n);
    buf[n] = 0;
    /* strtod would also take hex floats, which numpy refuses */
    for (size_t i = 0; i < n; i++)
        if (buf[i] == 'x' || buf[i] == 'X' || buf[i] == '_')
            return false;
    const char *b = buf + (buf[0] == '+' || buf[0] == '-');
    /* strtod's 'infinity' and 'nan(...)' forms: numpy takes inf/nan/infinity */
    if (strchr(b, '(') != NULL)
        return false;
    char *end;
    double v = strtod(buf, &end);
    if (end != buf + n)
        return false;
    *out = v;
    return true;
}

static bool to_int64(const char *s, size_t n, int64_t *out, bool *via_float)
{
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    uint64_t v = 0;
    size_t d0 = i;
    bool over = false;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > (UINT64_MAX - 9) / 10)
            over = true;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (i == n && i > d0 && !over && v <= (uint64_t)INT64_MAX + neg) {
        *out = neg ? (int64_t)(0 - v) : (int64_t)v;
        return true;
    }
    /* numpy 1.24 still reads "1.5" through a float (deprecated) */
    double d;
    if (!nptxt_to_double(s, n, &d) || !isfinite(d) || d >= 9223372036854775808.0 ||
        d < -9223372036854775808.0)
        return false;
    *out = (int64_t)d;
    *via_float = true;
    return true;
}

/* The next field of line[0..len) from *pos; false at the line's end. */
static bool next_field(const char *line, size_t len, char delim, size_t *pos, size_t *a, size_t *b)
{
    size_t p = *pos;
    if (delim == 0) {
        while (p < len && is_space(line[p]))
            p++;
        if (p >= len)
            return false;
        *a = p;
        while (p < len && !is_space(line[p]))
            p++;
        *b = p;
        *pos = p;
        return true;
    }
    if (p > len)
        return false;
    *a = p;
    while (p < len && line[p] != delim)
        p++;
    *b = p;
    *pos = p + 1; /* past the delimiter; beyond len after the last field */
    return true;
}

bool nptxt_parse(const char *text, size_t n, const NptxtOptions *opt, void *out, int64_t *rows,
                 int64_t *cols, bool *int_via_float, char *err)
{
    size_t clen = opt->comment ? strlen(opt->comment) : 0;
    int64_t row = 0, ncols = -1, skipped = 0;
    *int_via_float = false;
    size_t at = 0;
    while (at < n) {
        size_t eol = at;
        while (eol < n && text[eol] != '\n' && text[eol] != '\r')
            eol++;
        const char *line = text + at;
        size_t len = eol - at;
        /* "\r\n", "\r" and "\n" end lines */
        at = eol < n && text[eol] == '\r' && eol + 1 < n && text[eol + 1] == '\n' ? eol + 2 : eol + 1;
        if (skipped < opt->skiprows) {
            skipped++;
            continue;
        }
        if (clen)
            for (size_t i = 0; i + clen <= len; i++)
                if (memcmp(line + i, opt->comment, clen) == 0) {
                    len = i;
                    break;
                }
        size_t k = 0;
        while (k < len && (is_space(line[k])))
            k++;
        if (k == len)
            continue; /* empty lines are skipped */
        /* the row's fields are counted first, then converted */
        size_t pos = 0, a, b;
        int64_t col = 0;
        while (next_field(line, len, opt->delimiter, &pos, &a, &b))
            col++;
        if (ncols < 0)
            ncols = col;
        else if (col != ncols) {
            snprintf(err, NPTXT_ERR_CAP,
                     "the number of columns changed from %lld to %lld at row %lld; use `usecols` to "
                     "select a subset and avoid this error",
                     (long long)ncols, (long long)col, (long long)row + 1);
            return false;
        }
        pos = 0;
        for (col = 0; next_field(line, len, opt->delimiter, &pos, &a, &b); col++) {
            union {
                double d;
                int64_t i;
            } scratch;
            bool ok;
            if (opt->integer)
                ok = to_int64(line + a, b - a, out ? (int64_t *)out + row * ncols + col : &scratch.i,
                              int_via_float);
            else
                ok = nptxt_to_double(line + a, b - a, out ? (double *)out + row * ncols + col : &scratch.d);
            if (!ok) {
                /* the field as numpy shows it, surrounding spaces stripped */
                while (a < b && is_space(line[a]))
                    a++;
                while (b > a && is_space(line[b - 1]))
                    b--;
                int shown = b - a > 200 ? 200 : (int)(b - a);
                snprintf(err, NPTXT_ERR_CAP, "could not convert string '%.*s' to %s at row %lld, column %lld.",
                         shown, line + a, opt->dtype_name, (long long)row, (long long)col + 1);
                return false;
            }
        }
        row++;
    }
    *rows = row;
    *cols = ncols < 0 ? 0 : ncols;
    return true;
}
