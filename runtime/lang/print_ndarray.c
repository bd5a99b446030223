/* print_ndarray.c: numpy 1.24's array printing (numpy/core/arrayprint.py:
 * array_repr, array_str, _formatArray, FloatingFormat, IntegerFormat,
 * BoolFormat, ComplexFloatingFormat) and numpy scalars' repr. Only numpy's default floatmode
 * ('maxprec') and sign ('-') are implemented. */
#include "print_ndarray.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pyfmt.h"

NumpyPrintOptions numpy_print_options = {8, 1000, 3, 75, false};

const char *numpy_dtype_name(DType d) { return dtype_name(d); }

/* ------------------------------------------------------------ digits */

/* True when the decimal text s reads back as x in dtype d. */
static bool round_trips(const char *s, double x, DType d) {
    double y = strtod(s, NULL);
    if (d == DT_FLOAT32) return (float)y == (float)x;
    if (d == DT_FLOAT16) return float_to_half((float)y) == float_to_half((float)x);
    return y == x;
}

/* The shortest digits that read back as x (finite, nonzero or zero) in
 * dtype d: digits without a point in dig, the decimal exponent of the
 * first digit in *exp10 (x = d.ddd * 10^exp10). */
static void shortest_digits(double x, DType d, char *dig, int *exp10) {
    char buf[64];
    x = fabs(x);
    for (int n = 1; n <= 17; n++) {
        snprintf(buf, sizeof buf, "%.*e", n - 1, x);
        if (round_trips(buf, x, d) || n == 17) break;
    }
    char *e = strchr(buf, 'e');
    *exp10 = atoi(e + 1);
    int k = 0;
    for (char *p = buf; p < e; p++)
        if (*p != '.') dig[k++] = *p;
    while (k > 1 && dig[k - 1] == '0') k--;
    dig[k] = 0;
}

/* dragon4_positional(x, precision, unique=True, fractional=True, trim='.')
 * without padding: "1.5", "2.", "-0." */
static void positional(double x, DType d, int64_t precision, char *out) {
    char dig[32];
    int e;
    shortest_digits(x, d, dig, &e);
    int nd = (int)strlen(dig);
    int frac = nd - 1 - e;
    char *o = out;
    if (signbit(x)) *o++ = '-';
    if (frac > precision) { /* the unique digits pass the cutoff: round */
        char buf[400];
        snprintf(buf, sizeof buf, "%.*f", (int)precision, fabs(x));
        char *end = buf + strlen(buf);
        if (strchr(buf, '.'))
            while (end[-1] == '0') end--;
        *end = 0;
        if (!strchr(buf, '.')) strcat(buf, ".");
        strcpy(o, buf);
        return;
    }
    if (e < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -e - 1; i++) *o++ = '0';
        strcpy(o, dig);
        return;
    }
    for (int i = 0; i <= e; i++) *o++ = i < nd ? dig[i] : '0';
    *o++ = '.';
    for (int i = e + 1; i < nd; i++) *o++ = dig[i];
    *o = 0;
}

/* dragon4_scientific(x, precision, unique=True, trim='.'): mantissa digits
 * after the point in *mant (without the sign, "1." / "1.5"), exponent */
static void scientific(double x, DType d, int64_t precision, char *mant, int *exp10) {
    char dig[32];
    shortest_digits(x, d, dig, exp10);
    int nd = (int)strlen(dig);
    if (nd - 1 > precision) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.*e", (int)precision, fabs(x));
        char *e = strchr(buf, 'e');
        *exp10 = atoi(e + 1);
        char *end = e;
        if (memchr(buf, '.', (size_t)(e - buf)))
            while (end[-1] == '0') end--;
        *end = 0;
        if (!strchr(buf, '.')) strcat(buf, ".");
        strcpy(mant, buf);
        return;
    }
    char *o = mant;
    *o++ = dig[0];
    *o++ = '.';
    strcpy(o, dig + 1);
}

/* ------------------------------------------------------------ formats */

typedef struct Fmt {
    const Tensor *t;
    int kind;  /* 'b', 'i', 'f', 'c' (complex: this Fmt formats the real parts) */
    int part;  /* which number of an element: 0 the value, 1 its real part, 2 its imaginary part */
    bool plus; /* sign='+': a '+' before numbers that are not negative */
    DType fdt; /* the float dtype of the numbers: their digits read back in it */
    struct Fmt *imag; /* 'c': the imaginary parts' FloatingFormat */
    /* ints */
    int width;
    /* floats (FloatingFormat) */
    bool exp_format;
    int64_t precision;
    int pad_left, pad_right, exp_size;
    bool any_nonfinite;
    /* walking */
    bool summarize;
    int64_t edge;
} Fmt;

typedef void (*elem_fn)(Fmt *f, int64_t flat, void *ctx);

/* The number f formats of element flat */
static double fmt_value(const Fmt *f, int64_t flat) {
    if (!f->part) return tensor_get_f64(f->t, flat);
    double re, im;
    tensor_get_complex(f->t, flat, &re, &im);
    return f->part == 1 ? re : im;
}

/* whether x gets a sign: '-' when negative, '+' under sign='+' */
static bool has_sign(const Fmt *f, double x) { return signbit(x) || f->plus; }

/* Calls fn on every element shown (the corners of a summarised array). */
static void visit(Fmt *f, int axis, int64_t flat, elem_fn fn, void *ctx) {
    const Tensor *t = f->t;
    if (axis == t->ndim) {
        fn(f, flat, ctx);
        return;
    }
    int64_t n = t->shape[axis];
    for (int64_t i = 0; i < n; i++) {
        if (f->summarize && n > 2 * f->edge && i == f->edge) i = n - f->edge;
        visit(f, axis + 1, flat * n + i, fn, ctx);
    }
}

typedef struct {
    double maxv, minv;
    bool any;
    int64_t imax, imin;
    bool first;
} Stats;

static void stat_elem(Fmt *f, int64_t flat, void *ctx) {
    Stats *s = ctx;
    if (f->kind == 'i') {
        int64_t v = tensor_get_i64(f->t, flat);
        if (s->first || v > s->imax) s->imax = v;
        if (s->first || v < s->imin) s->imin = v;
        s->first = false;
        return;
    }
    double v = fmt_value(f, flat);
    if (!isfinite(v)) {
        f->any_nonfinite = true;
        return;
    }
    double a = fabs(v);
    if (a == 0) return;
    if (!s->any || a > s->maxv) s->maxv = a;
    if (!s->any || a < s->minv) s->minv = a;
    s->any = true;
}

typedef struct {
    bool any_finite, neginf;
    int pad_left, pad_right, exp_size;
} Pads;

static void pad_elem(Fmt *f, int64_t flat, void *ctx) {
    Pads *p = ctx;
    double v = fmt_value(f, flat);
    if (!isfinite(v)) {
        if (isinf(v) && v < 0) p->neginf = true;
        return;
    }
    p->any_finite = true;
    char buf[512];
    if (f->exp_format) {
        int e;
        scientific(v, f->fdt, f->precision, buf, &e);
        int il = (int)(strchr(buf, '.') - buf) + (has_sign(f, v) ? 1 : 0);
        int fl = (int)strlen(strchr(buf, '.') + 1);
        char eb[16];
        int el = snprintf(eb, sizeof eb, "%02d", abs(e)); /* digits of "+05" less the sign */
        if (il > p->pad_left) p->pad_left = il;
        if (fl > p->pad_right) p->pad_right = fl;
        if (el > p->exp_size) p->exp_size = el;
    } else {
        positional(v, f->fdt, f->precision, buf);
        char *dot = strchr(buf, '.');
        int il = (int)(dot - buf) + (f->plus && !signbit(v) ? 1 : 0), fl = (int)strlen(dot + 1);
        if (il > p->pad_left) p->pad_left = il;
        if (fl > p->pad_right) p->pad_right = fl;
    }
}

/* FloatingFormat over part `part` of t's elements (IntegerFormat,
 * BoolFormat for those dtypes) */
static void fmt_init_part(Fmt *f, const Tensor *t, int part, bool plus) {
    memset(f, 0, sizeof *f);
    f->t = t;
    f->part = part;
    f->plus = plus;
    f->fdt = part ? dtype_to_real(t->dtype) : t->dtype;
    f->edge = numpy_print_options.edgeitems;
    f->summarize = tensor_numel(t) > numpy_print_options.threshold;
    char k = tsr_dtype_info[t->dtype].kind;
    f->kind = k == 'b' ? 'b' : k == 'f' || k == 'c' ? 'f' : 'i';
    Stats s = {0, 0, false, 0, 0, true};
    if (f->kind == 'b') return;
    visit(f, 0, 0, stat_elem, &s);
    if (f->kind == 'i') {
        char a[32], b[32];
        int la = snprintf(a, sizeof a, "%lld", (long long)s.imax);
        int lb = snprintf(b, sizeof b, "%lld", (long long)s.imin);
        f->width = tensor_numel(t) ? (la > lb ? la : lb) : 0;
        return;
    }
    f->precision = numpy_print_options.precision;
    if (s.any && (s.maxv >= 1e8 || (!numpy_print_options.suppress && (s.minv < 0.0001 || s.maxv / s.minv > 1000.))))
        f->exp_format = true;
    Pads p = {false, false, 0, 0, 0};
    visit(f, 0, 0, pad_elem, &p);
    if (!p.any_finite) {
        f->pad_left = f->pad_right = 0;
        f->exp_size = -1;
    } else if (f->exp_format) {
        f->precision = p.pad_right; /* min_digits too: trim 'k' */
        f->exp_size = p.exp_size;
        f->pad_left = p.pad_left;
        f->pad_right = p.exp_size + 2 + (int)f->precision;
    } else {
        f->pad_left = p.pad_left;
        f->pad_right = p.pad_right;
        f->exp_size = -1;
    }
    if (f->any_nonfinite) {
        int offset = f->pad_right + 1;
        int nanlen = 3, inflen = 3 + (p.neginf || f->plus ? 1 : 0);
        if (nanlen - offset > f->pad_left) f->pad_left = nanlen - offset;
        if (inflen - offset > f->pad_left) f->pad_left = inflen - offset;
    }
}

/* fmt_init_part over t; a complex t's imaginary parts are formatted by
 * *imag (ComplexFloatingFormat: the real parts with sign '-', the
 * imaginary ones with sign '+') */
static void fmt_init(Fmt *f, const Tensor *t, Fmt *imag) {
    if (!dtype_is_complex(t->dtype)) {
        fmt_init_part(f, t, 0, false);
        return;
    }
    fmt_init_part(f, t, 1, false);
    fmt_init_part(imag, t, 2, true);
    f->kind = 'c';
    f->imag = imag;
}

static void fmt_float(Fmt *f, double v, char *out, size_t n);

/* One element's word, padded as numpy pads it, into out. */
static void fmt_elem(Fmt *f, int64_t flat, char *out, size_t n) {
    const Tensor *t = f->t;
    if (f->kind == 'b') {
        snprintf(out, n, "%s", tensor_get_i64(t, flat) ? (t->ndim ? " True" : "True") : "False");
        return;
    }
    if (f->kind == 'i') {
        snprintf(out, n, "%*lld", f->width, (long long)tensor_get_i64(t, flat));
        return;
    }
    if (f->kind == 'f') {
        fmt_float(f, fmt_value(f, flat), out, n);
        return;
    }
    /* complex: real + imaginary with the 'j' before the imaginary word's
     * padding on the right */
    double re, im;
    tensor_get_complex(t, flat, &re, &im);
    char r[256], i[256];
    fmt_float(f, re, r, sizeof r);
    fmt_float(f->imag, im, i, sizeof i);
    size_t sp = strlen(i);
    while (sp > 0 && i[sp - 1] == ' ') sp--;
    snprintf(out, n, "%s%.*sj%s", r, (int)sp, i, i + sp);
}

/* FloatingFormat's text of one number v */
static void fmt_float(Fmt *f, double v, char *out, size_t n) {
    if (!isfinite(v)) {
        const char *s = isnan(v) ? (f->plus ? "+nan" : "nan") : v < 0 ? "-inf" : f->plus ? "+inf" : "inf";
        snprintf(out, n, "%*s", f->pad_left + f->pad_right + 1, s);
        return;
    }
    const char *sign = signbit(v) ? "-" : f->plus ? "+" : "";
    char body[512];
    if (f->exp_format) {
        char mant[64];
        int e;
        scientific(v, f->fdt, f->precision, mant, &e);
        /* min_digits = precision: fewer unique digits go on with the exact
         * value's digits (dragon4 past the unique ones), rounded there */
        if ((int64_t)strlen(strchr(mant, '.') + 1) < f->precision) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.*e", (int)f->precision, fabs(v));
            char *ep = strchr(buf, 'e');
            e = atoi(ep + 1);
            *ep = 0;
            snprintf(mant, sizeof mant, "%s", buf);
        }
        snprintf(body, sizeof body, "%s%s", sign, mant);
        snprintf(out, n, "%*se%c%0*d", f->pad_left + 1 + (int)f->precision, body, e < 0 ? '-' : '+',
                 f->exp_size, abs(e));
        return;
    }
    body[0] = '+';
    positional(v, f->fdt, f->precision, body + (*sign == '+'));
    char *dot = strchr(body, '.');
    int il = (int)(dot - body), fl = (int)strlen(dot + 1);
    snprintf(out, n, "%*s%s%*s", f->pad_left - il, "", body, f->pad_right - fl, "");
}

/* ------------------------------------------------------------ layout */

static bool spaces(PyBuf *b, int64_t n) { return pybuf_fill(b, ' ', n); }

/* _extendLine: line is a PyBuf; s collects finished lines */
static bool extend_line(PyBuf *s, PyBuf *line, const char *word, int64_t width, int64_t prefix_len) {
    int64_t wl = (int64_t)strlen(word);
    bool wrap = line->len + wl > width && line->len > prefix_len;
    if (wrap) {
        int64_t l = line->len;
        while (l > 0 && line->data[l - 1] == ' ') l--;
        if (!pybuf_append(s, line->data ? line->data : "", l) || !pybuf_putc(s, '\n')) return false;
        line->len = 0;
        if (line->data) line->data[0] = 0;
        if (!spaces(line, prefix_len)) return false;
    }
    return pybuf_appends(line, word);
}

/* recurser of _formatArray: appends the text of the sub-array at (axis,
 * flat) to out. hanging is the width of the hanging indent (all spaces). */
static bool format_rec(Fmt *f, int axis, int64_t flat, int64_t hanging, int64_t width, const char *sep,
                       PyBuf *out) {
    const Tensor *t = f->t;
    char word[600];
    if (axis == t->ndim) {
        fmt_elem(f, flat, word, sizeof word);
        return pybuf_appends(out, word);
    }
    int64_t n = t->shape[axis];
    bool summary = f->summarize && 2 * f->edge < n;
    int64_t lead = summary ? f->edge : 0, trail = summary ? f->edge : n;
    int axes_left = t->ndim - axis;
    PyBuf s = {0};
    bool ok = pybuf_appends(&s, "");
    size_t seplen = strlen(sep);
    size_t sep_r = seplen;
    while (sep_r > 0 && sep[sep_r - 1] == ' ') sep_r--;
    if (axes_left == 1) {
        int64_t elem_width = width - (int64_t)(sep_r > 1 ? sep_r : 1);
        PyBuf line = {0};
        ok = ok && spaces(&line, hanging) && pybuf_appends(&line, "");
        for (int64_t k = 0; ok && k < n; k++) {
            int64_t i;
            if (k < lead) i = k;
            else if (k == lead && summary) {
                ok = extend_line(&s, &line, "...", elem_width, hanging) && pybuf_appends(&line, sep);
                k = n - trail - 1;
                continue;
            } else i = k;
            if (summary && k >= lead) i = k; /* trailing positions are k itself */
            fmt_elem(f, flat * n + i, word, sizeof word);
            ok = extend_line(&s, &line, word, elem_width, hanging);
            if (ok && k < n - 1) ok = pybuf_appends(&line, sep);
        }
        ok = ok && pybuf_append(&s, line.data, line.len);
        pybuf_free(&line);
    } else {
        for (int64_t k = 0; ok && k < n; k++) {
            if (summary && k == lead) {
                ok = spaces(&s, hanging) && pybuf_appends(&s, "...") && pybuf_append(&s, sep, (int64_t)sep_r) &&
                     pybuf_fill(&s, '\n', axes_left - 1);
                k = n - trail - 1;
                continue;
            }
            ok = ok && spaces(&s, hanging) && format_rec(f, axis + 1, flat * n + k, hanging + 1, width - 1, sep, &s);
            if (ok && k < n - 1) ok = pybuf_append(&s, sep, (int64_t)sep_r) && pybuf_fill(&s, '\n', axes_left - 1);
        }
    }
    ok = ok && pybuf_putc(out, '[') && pybuf_appends(out, s.data + (hanging < s.len ? hanging : s.len)) &&
         pybuf_putc(out, ']');
    pybuf_free(&s);
    return ok;
}

/* array2string(a, separator, prefix, suffix) for a non-empty array */
static bool array2string(const Tensor *t, const char *sep, int64_t prefix_len, int64_t suffix_len, PyBuf *out) {
    Fmt f, imag;
    fmt_init(&f, t, &imag);
    return format_rec(&f, 0, 0, 1 + prefix_len, numpy_print_options.linewidth - suffix_len, sep, out);
}

static bool dtype_implied(DType d) {
    return d == DT_FLOAT64 || d == DT_INT64 || d == DT_BOOL || d == DT_COMPLEX128;
}

char *ndarray_repr(const Tensor *t) {
    PyBuf b = {0};
    int64_t numel = tensor_numel(t);
    bool skip = dtype_implied(t->dtype) && numel > 0;
    bool ok = pybuf_appends(&b, "array(");
    if (numel > 0 || (t->ndim == 1)) {
        if (numel == 0) ok = ok && pybuf_appends(&b, "[]");
        else ok = ok && array2string(t, ", ", 6, 1, &b);
    } else {
        ok = ok && pybuf_appends(&b, "[], shape=(");
        for (int i = 0; ok && i < t->ndim; i++) {
            char d[32];
            snprintf(d, sizeof d, "%s%lld", i ? ", " : "", (long long)t->shape[i]);
            ok = pybuf_appends(&b, d);
        }
        ok = ok && pybuf_appends(&b, t->ndim == 1 ? ",)" : ")");
    }
    ok = ok && pybuf_appends(&b, skip ? ")" : ",");
    if (ok && !skip) {
        char dt[64];
        snprintf(dt, sizeof dt, "dtype=%s)", numpy_dtype_name(t->dtype));
        int64_t last = b.len;
        for (int64_t i = b.len - 1; i >= 0; i--)
            if (b.data[i] == '\n') {
                last = b.len - i - 1;
                break;
            }
        if (last + (int64_t)strlen(dt) + 1 > numpy_print_options.linewidth)
            ok = pybuf_appends(&b, "\n      ");
        else ok = pybuf_putc(&b, ' ');
        ok = ok && pybuf_appends(&b, dt);
    }
    if (!ok) {
        pybuf_free(&b);
        return NULL;
    }
    return b.data;
}

char *ndarray_str(const Tensor *t) {
    if (t->ndim == 0) return npscalar_repr(t);
    PyBuf b = {0};
    bool ok = tensor_numel(t) == 0 ? pybuf_appends(&b, "[]") : array2string(t, " ", 0, 0, &b);
    if (!ok) {
        pybuf_free(&b);
        return NULL;
    }
    return b.data;
}

/* A numpy float scalar's repr of v in dtype d: float64 as Python's
 * repr, float32/16 by their own shortest digits; `trim` drops the point
 * of an integral value ("2." -> "2": the parts of complex scalars), `plus`
 * puts '+' before numbers that are not negative. */
static void scalar_float_text(double v, DType d, bool trim, bool plus, char *buf, size_t n) {
    const char *sign = signbit(v) ? "-" : plus ? "+" : "";
    if (!isfinite(v)) {
        snprintf(buf, n, "%s%s", isnan(v) ? (plus ? "+" : "") : sign, isnan(v) ? "nan" : "inf");
        return;
    }
    double a = fabs(v);
    char body[400];
    if (d == DT_FLOAT64 && !trim) {
        pyfmt_float_repr(v, buf, n);
        return;
    }
    if (a != 0 && (a < 1e-4 || a >= 1e16)) {
        char mant[64];
        int e;
        scientific(v, d, 64, mant, &e);
        size_t l = strlen(mant);
        if (mant[l - 1] == '.') mant[l - 1] = 0;
        snprintf(buf, n, "%s%se%c%02d", sign, mant, e < 0 ? '-' : '+', abs(e));
        return;
    }
    positional(a, d, 64, body);
    size_t l = strlen(body);
    if (body[l - 1] == '.') {
        if (trim) body[l - 1] = 0;
        else strcat(body, "0");
    }
    snprintf(buf, n, "%s%s", sign, body);
}

char *npscalar_repr(const Tensor *t) {
    char buf[1024];
    char k = tsr_dtype_info[t->dtype].kind;
    if (k == 'b') snprintf(buf, sizeof buf, "%s", tensor_get_i64(t, 0) ? "True" : "False");
    else if (k == 'c') { /* (1+2j); 2j alone when the real part is +0 */
        double re, im;
        tensor_get_complex(t, 0, &re, &im);
        DType d = dtype_to_real(t->dtype);
        char r[400], i[400];
        if (re == 0 && !signbit(re)) {
            scalar_float_text(im, d, true, false, i, sizeof i);
            snprintf(buf, sizeof buf, "%sj", i);
        } else {
            scalar_float_text(re, d, true, false, r, sizeof r);
            scalar_float_text(im, d, true, true, i, sizeof i);
            snprintf(buf, sizeof buf, "(%s%sj)", r, i);
        }
    } else if (k != 'f') snprintf(buf, sizeof buf, "%lld", (long long)tensor_get_i64(t, 0));
    else scalar_float_text(tensor_get_f64(t, 0), t->dtype, false, false, buf, sizeof buf);
    char *s = strdup(buf);
    if (!s) tsr_raise(ERR_MemoryError, "%s", "out of memory");
    return s;
}
