/* complex.c: Python's complex numbers, as CPython 3.11 computes them
 * (Objects/complexobject.c): the same operations in the same order, so
 * results agree to the last bit. */
#include "complex.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

bool complex_operand(const Value *v, Cpx *out) {
    switch (v->kind) {
    case VK_COMPLEX: *out = (Cpx){v->c.re, v->c.im}; return true;
    case VK_FLOAT: *out = (Cpx){v->f, 0.0}; return true;
    case VK_INT: *out = (Cpx){(double)v->i, 0.0}; return true;
    case VK_BOOL: *out = (Cpx){v->b ? 1.0 : 0.0, 0.0}; return true;
    default: return false;
    }
}

static Cpx c_prod(Cpx a, Cpx b) {
    return (Cpx){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

/* _Py_c_quot; *edom on division by zero */
static Cpx c_quot(Cpx a, Cpx b, bool *edom) {
    double abs_breal = b.re < 0 ? -b.re : b.re, abs_bimag = b.im < 0 ? -b.im : b.im;
    if (abs_breal >= abs_bimag) {
        if (abs_breal == 0.0) {
            *edom = true;
            return (Cpx){0.0, 0.0};
        }
        double ratio = b.im / b.re, denom = b.re + b.im * ratio;
        return (Cpx){(a.re + a.im * ratio) / denom, (a.im - a.re * ratio) / denom};
    }
    if (abs_bimag >= abs_breal) {
        double ratio = b.re / b.im, denom = b.re * ratio + b.im;
        return (Cpx){(a.re * ratio + a.im) / denom, (a.im * ratio - a.re) / denom};
    }
    return (Cpx){NAN, NAN}; /* a NaN in b */
}

bool complex_div(Cpx a, Cpx b, Cpx *out) {
    bool edom = false;
    *out = c_quot(a, b, &edom);
    if (edom) tsr_raise(ERR_ZeroDivisionError, "%s", "complex division by zero");
    return !edom;
}

/* _Py_c_pow */
static Cpx c_pow(Cpx a, Cpx b, bool *edom) {
    if (b.re == 0.0 && b.im == 0.0) return (Cpx){1.0, 0.0};
    if (a.re == 0.0 && a.im == 0.0) {
        if (b.im != 0.0 || b.re < 0.0) *edom = true;
        return (Cpx){0.0, 0.0};
    }
    double vabs = hypot(a.re, a.im), len = pow(vabs, b.re), at = atan2(a.im, a.re), phase = at * b.re;
    if (b.im != 0.0) {
        len /= exp(at * b.im);
        phase += b.im * log(vabs);
    }
    return (Cpx){len * cos(phase), len * sin(phase)};
}

static Cpx c_powu(Cpx x, long n) {
    Cpx r = {1.0, 0.0}, p = x;
    long mask = 1;
    while (mask > 0 && n >= mask) {
        if (n & mask) r = c_prod(r, p);
        mask <<= 1;
        p = c_prod(p, p);
    }
    return r;
}

bool complex_pow(Cpx a, Cpx b, Cpx *out) {
    bool edom = false;
    if (b.im == 0.0 && b.re == floor(b.re) && fabs(b.re) <= 100.0) {
        long n = (long)b.re;
        *out = n > 0 ? c_powu(a, n) : c_quot((Cpx){1.0, 0.0}, c_powu(a, -n), &edom);
    } else {
        *out = c_pow(a, b, &edom);
    }
    if (edom) {
        tsr_raise(ERR_ZeroDivisionError, "%s", "0.0 to a negative or complex power");
        return false;
    }
    if (isinf(out->re) || isinf(out->im)) { /* _Py_ADJUST_ERANGE2 */
        tsr_raise(ERR_OverflowError, "%s", "complex exponentiation");
        return false;
    }
    return true;
}

Value *complex_binop(BinKind op, Value *a, Value *b) {
    static const char *const symbols[] = {"+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>"};
    Cpx x = {0, 0}, y = {0, 0}, r;
    bool numbers = complex_operand(a, &x) && complex_operand(b, &y);
    switch (numbers ? op : B_MATMUL) {
    case B_ADD: r = (Cpx){x.re + y.re, x.im + y.im}; break;
    case B_SUB: r = (Cpx){x.re - y.re, x.im - y.im}; break;
    case B_MUL: r = c_prod(x, y); break;
    case B_DIV:
        if (!complex_div(x, y, &r)) return NULL;
        break;
    case B_POW:
        if (!complex_pow(x, y, &r)) return NULL;
        break;
    default:
        tsr_raise(ERR_TypeError, "unsupported operand type(s) for %s: '%s' and '%s'", symbols[op],
                  val_type_name(a), val_type_name(b));
        return NULL;
    }
    return val_complex(r.re, r.im);
}

/* ------------------------------------------------------------ parsing */

static bool ci_prefix(const char *s, const char *word) {
    for (; *word; s++, word++)
        if (tolower((unsigned char)*s) != *word) return false;
    return true;
}

/* PyOS_string_to_double(s, &end): the longest prefix of s that is a
 * Python float ([sign] digits [. digits] [e [sign] digits], inf,
 * infinity, nan); returns its length, 0 when none. No leading space. */
static int64_t float_prefix(const char *s, double *v) {
    int64_t i = 0;
    if (s[i] == '+' || s[i] == '-') i++;
    int64_t n = 0;
    if (ci_prefix(s + i, "infinity")) n = i + 8;
    else if (ci_prefix(s + i, "inf") || ci_prefix(s + i, "nan")) n = i + 3;
    if (n) {
        bool nan = tolower((unsigned char)s[i]) == 'n';
        *v = (s[0] == '-' ? -1.0 : 1.0) * (nan ? NAN : INFINITY);
        if (nan) *v = s[0] == '-' ? -NAN : NAN;
        return n;
    }
    int64_t digits = 0;
    while (isdigit((unsigned char)s[i])) i++, digits++;
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i])) i++, digits++;
    }
    if (!digits) return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        int64_t k = i + 1;
        if (s[k] == '+' || s[k] == '-') k++;
        if (isdigit((unsigned char)s[k])) {
            while (isdigit((unsigned char)s[k])) k++;
            i = k;
        }
    }
    char *text = malloc((size_t)i + 1);
    if (!text) {
        tsr_raise_memory_error();
        return -1;
    }
    memcpy(text, s, (size_t)i);
    text[i] = 0;
    *v = strtod(text, NULL);
    free(text);
    return i;
}

static bool malformed(void) {
    tsr_raise(ERR_ValueError, "%s", "complex() arg is a malformed string");
    return false;
}

/* CPython's complex_from_string_inner over a NUL-terminated s */
static bool parse_plain(const char *s, int64_t len, Cpx *out) {
    const char *start = s;
    double x = 0.0, y = 0.0, z;
    bool bracket = false;
    while (isspace((unsigned char)*s)) s++;
    if (*s == '(') {
        bracket = true;
        s++;
        while (isspace((unsigned char)*s)) s++;
    }
    int64_t n = float_prefix(s, &z);
    if (n < 0) return false;
    if (n > 0) {
        s += n;
        if (*s == '+' || *s == '-') { /* <float><signed-float>j | <float><sign>j */
            x = z;
            int64_t m = float_prefix(s, &y);
            if (m < 0) return false;
            if (m > 0) {
                s += m;
            } else {
                y = *s == '+' ? 1.0 : -1.0;
                s++;
            }
            if (*s != 'j' && *s != 'J') return malformed();
            s++;
        } else if (*s == 'j' || *s == 'J') {
            s++;
            y = z;
        } else {
            x = z;
        }
    } else { /* <sign>j or j */
        if (*s == '+' || *s == '-') {
            y = *s == '+' ? 1.0 : -1.0;
            s++;
        } else {
            y = 1.0;
        }
        if (*s != 'j' && *s != 'J') return malformed();
        s++;
    }
    while (isspace((unsigned char)*s)) s++;
    if (bracket) {
        if (*s != ')') return malformed();
        s++;
        while (isspace((unsigned char)*s)) s++;
    }
    if (s - start != len) return malformed();
    *out = (Cpx){x, y};
    return true;
}

bool complex_parse(const Value *str, Cpx *out) {
    const char *s = str->str.s;
    int64_t len = str->str.len;
    /* _Py_string_to_number_with_underscores: an underscore only between
     * two digits, then dropped */
    char *text = malloc((size_t)len + 1);
    if (!text) {
        tsr_raise_memory_error();
        return false;
    }
    int64_t n = 0;
    bool ok = true;
    for (int64_t i = 0; i < len; i++) {
        if (s[i] == '_') {
            if (!(i > 0 && isdigit((unsigned char)s[i - 1]) && i + 1 < len && isdigit((unsigned char)s[i + 1]))) {
                ok = false;
                break;
            }
            continue;
        }
        if (s[i] == 0) { /* an embedded NUL */
            ok = false;
            break;
        }
        text[n++] = s[i];
    }
    text[n] = 0;
    if (ok) {
        ok = parse_plain(text, n, out);
    } else if (memchr(s, '_', (size_t)len) && !memchr(s, 0, (size_t)len)) {
        Value *r = val_repr((Value *)str);
        if (r) tsr_raise(ERR_ValueError, "could not convert string to complex: %s", r->str.s);
        val_release(r);
    } else {
        malformed();
    }
    free(text);
    return ok;
}
