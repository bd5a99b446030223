/* pyfmt.h: Python's number and string formatting (CPython 3.11 rules).
 *
 * Pure functions over C values: repr(float), format(x, spec) (the format
 * spec mini-language used by f-strings and format()), and the pieces of
 * the printf-style `%` operator on str.
 *
 * Output goes into a PyBuf, a growable byte buffer the caller owns:
 *     PyBuf b = {0};
 *     if (!pyfmt_format_float(&b, 3.14159, ".2f")) ... error raised ...
 *     use b.data (NUL-terminated), b.len
 *     pybuf_free(&b);
 * On failure a function raises (error.h: ValueError/TypeError/OverflowError
 * in Python's words) and returns false; the buffer keeps what was appended
 * before and stays valid to free. Strings are UTF-8; widths and precisions
 * of str formatting count code points, as Python does.
 */
#ifndef TSR_PYFMT_H
#define TSR_PYFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *data; /* NUL-terminated; non-NULL after any successful append */
    int64_t len, cap;
} PyBuf;

bool pybuf_append(PyBuf *b, const char *s, int64_t n);
bool pybuf_appends(PyBuf *b, const char *s);
bool pybuf_putc(PyBuf *b, char c);
bool pybuf_fill(PyBuf *b, char c, int64_t n); /* n copies of c (n <= 0: none) */
void pybuf_free(PyBuf *b);

/* --- UTF-8 (valid input assumed, as the lexer makes it) --- */

int utf8_seq_len(unsigned char lead);                        /* bytes of the sequence lead starts */
int64_t utf8_prefix(const char *s, int64_t n, int64_t chars); /* bytes of the first `chars` code points */
uint32_t utf8_decode(const char *s, int len);                /* one sequence of len bytes */
int utf8_encode(uint32_t cp, char *out);                     /* into out[4]: the byte count */

/* --- repr / str --- */

/* repr(v) == str(v) for a Python float: the shortest string that round
 * trips, scientific when the decimal exponent is < -4 or >= 16 ("1e+16",
 * "1e-05", "0.30000000000000004", "-0.0", "inf", "nan"). Writes at most n
 * bytes (NUL included; 32 is always enough); returns the length. */
int pyfmt_float_repr(double v, char *buf, size_t n);

/* --- format(x, spec) / f"{x:spec}" ---
 * spec is the text after ':' (may be "" = str(x)). Python's error texts:
 * "Invalid format specifier '...' for object of type 'float'",
 * "Unknown format code 'd' for object of type 'float'", ... */
bool pyfmt_format_float(PyBuf *out, double v, const char *spec);
/* ints: types b c d o x X n and none; e E f F g G % convert to float.
 * A bool is an int here, except that the evaluator prints str(b) for an
 * empty spec (format(True, '') == 'True'). */
bool pyfmt_format_int(PyBuf *out, int64_t v, const char *spec);
/* complex: types e E f F g G n and none (none: like str(z)); no zero
 * padding and no '=' alignment, as CPython refuses them */
bool pyfmt_format_complex(PyBuf *out, double re, double im, const char *spec);
/* str (UTF-8, len bytes): type s or none; precision truncates. */
bool pyfmt_format_str(PyBuf *out, const char *s, int64_t len, const char *spec);

/* Low level: Python's PyOS_double_to_string. type is one of e E f F g G r
 * (r = repr: precision ignored); flags below. Appends to out. */
#define PYFMT_DTSF_ALT 1       /* '#' */
#define PYFMT_DTSF_ADD_DOT_0 2 /* keep a ".0" on integral fixed results */
#define PYFMT_DTSF_NO_NEG_0 4  /* 'z' */
bool pyfmt_double_to_string(PyBuf *out, double v, char type, int precision, int flags);

/* Fast "{:.{prec}f}".format(v) (prec 0..30) into buf (>= 64 + prec bytes);
 * returns the length. Used by tensor printing; same text as Python. */
int pyfmt_fixed(double v, int prec, char *buf, size_t n);

/* --- printf-style `fmt % args` ---
 * The evaluator walks the format with pyfmt_percent_next, which appends the
 * literal text before each conversion to out and describes the conversion:
 *
 *   int64_t pos = 0; PyPercentSpec sp; int r;
 *   while ((r = pyfmt_percent_next(fmt, len, &pos, &out, &sp)) == 1) {
 *       if (sp.width == PYFMT_STAR)    sp.width = next int arg ("* wants int")
 *       if (sp.prec == PYFMT_STAR)     sp.prec = next int arg
 *       x = sp.key ? mapping[key] : next arg
 *       if (!pyfmt_percent_conv_ok(&sp)) fail;   (after fetching x, as Python)
 *       switch (sp.conv) {
 *       case 's': case 'r': case 'a': pyfmt_percent_str(&out, &sp, str(x)/repr(x)...);
 *       case 'c': int -> pyfmt_percent_char; 1-char str -> pyfmt_percent_str;
 *                 else TypeError "%c requires int or char"
 *       default:  number (int/bool/float) -> pyfmt_percent_number;
 *                 others -> pyfmt_percent_type_error(&sp, type name)
 *       }
 *   }
 *   r == 0: done (then check "not all arguments converted during string
 *   formatting"); r == -1: error raised ("incomplete format",
 *   "unsupported format character 'q' (0x71) at index 1").
 * Running out of arguments: TypeError "not enough arguments for format
 * string"; a key with a non-mapping: TypeError "format requires a mapping".
 */
#define PYFMT_STAR INT64_MIN
enum { PYFMT_F_LJUST = 1, PYFMT_F_SIGN = 2, PYFMT_F_BLANK = 4, PYFMT_F_ALT = 8, PYFMT_F_ZERO = 16 };

typedef struct {
    char conv;           /* d i u o x X e E f F g G c s r a, or any other
                            byte (pyfmt_percent_conv_ok rejects it); "%%"
                            is literal text and never a spec */
    int flags;           /* PYFMT_F_* */
    int64_t width;       /* -1 none, PYFMT_STAR for '*' (a negative value set
                            from '*' means left-justify, as in Python) */
    int64_t prec;        /* -1 none, PYFMT_STAR for '*' */
    const char *key;     /* %(key)s: points into fmt, key_len bytes; else NULL */
    int64_t key_len;
    uint32_t conv_cp;    /* code point of the conversion character */
    int64_t index;       /* index (in code points) of the conversion character */
} PyPercentSpec;

int pyfmt_percent_next(const char *fmt, int64_t len, int64_t *pos, PyBuf *out,
                       PyPercentSpec *spec);
/* Raises "unsupported format character 'q' (0x71) at index 1" unless
 * spec->conv is a valid conversion. */
bool pyfmt_percent_conv_ok(const PyPercentSpec *spec);
/* Conversions d i u o x X e E f F g G (and c with an int) of a number.
 * is_float picks fv, else iv. d/i/u truncate floats (OverflowError/ValueError
 * for inf/nan); o x X of a float raise "%x format: an integer is required,
 * not float". */
bool pyfmt_percent_number(PyBuf *out, const PyPercentSpec *spec, bool is_float, double fv,
                          int64_t iv);
/* s r a (s is the already converted str/repr/ascii text) and c of a 1-char str. */
bool pyfmt_percent_str(PyBuf *out, const PyPercentSpec *spec, const char *s, int64_t len);
/* c of an int code point (OverflowError "%c arg not in range(0x110000)"). */
bool pyfmt_percent_char(PyBuf *out, const PyPercentSpec *spec, int64_t cp);
/* Raises Python's TypeError for a value of type `type_name` ("str", "list")
 * given to numeric conversion spec->conv. Returns false. */
bool pyfmt_percent_type_error(const PyPercentSpec *spec, const char *type_name);

#endif
