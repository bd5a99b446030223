/* print_tensor.c: a port of torch/_tensor_str.py (PyTorch 1.13), strided
 * CPU tensors (no sparse, named or quantized tensors). A complex tensor
 * has two formatters, one over the real parts and one over the imaginary
 * parts: walks over the complex elements that read one half of each.
 *
 * The elements that get printed (all of them, or the edge items of every
 * dim when summarising) are exactly the elements get_summarized_data()
 * feeds the _Formatter, so one walk (for_printed) serves both.
 */
#include "print_tensor.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "error.h"

PrintOptions tsr_print_opts = {4, 1000.0, 3, 80, -1};


void print_options_profile(const char *profile) {
    if (!strcmp(profile, "default")) {
        tsr_print_opts.precision = 4;
        tsr_print_opts.threshold = 1000;
        tsr_print_opts.edgeitems = 3;
        tsr_print_opts.linewidth = 80;
    } else if (!strcmp(profile, "short")) {
        tsr_print_opts.precision = 2;
        tsr_print_opts.threshold = 1000;
        tsr_print_opts.edgeitems = 2;
        tsr_print_opts.linewidth = 80;
    } else if (!strcmp(profile, "full")) {
        tsr_print_opts.precision = 4;
        tsr_print_opts.threshold = INFINITY;
        tsr_print_opts.edgeitems = 3;
        tsr_print_opts.linewidth = 80;
    }
}

/* ------------------------------------------------------------------ */
/* element access */

typedef struct {
    const Tensor *t;
    const char *base; /* element 0 of the view (complex: its real or imaginary part) */
    size_t esize;     /* the stride unit: the tensor's element size */
    bool summarize;
    int64_t edge;
} Walk;

/* Python-side value of an element: float16/bfloat16 become float32 first
 * (`self.float()`), then every float is a Python float (double). */
static double load_f64(DType dt, const char *p) {
    switch (dt) {
    case DT_FLOAT32: { float f; memcpy(&f, p, 4); return f; }
    case DT_FLOAT64: { double d; memcpy(&d, p, 8); return d; }
    default: return dtype_load_f64(dt, p);
    }
}

typedef void (*elem_fn)(void *ctx, const char *p);

/* head/tail index ranges of a dim of size n: summarised dims keep
 * [0, edge) and [n - tail, n) (self[-0:] is the whole dim in Python). */
static bool summarized_dim(const Walk *w, int64_t n) {
    return w->summarize && n > 2 * w->edge;
}

static void for_printed_rec(const Walk *w, int dim, const char *p, elem_fn fn, void *ctx) {
    const Tensor *t = w->t;
    int64_t n = t->shape[dim], st = t->stride[dim] * (int64_t)w->esize;
    bool last = dim == t->ndim - 1;
    if (tsr_interrupted) return; /* Ctrl-C: tensor_str raises once the walk returns */
    if (summarized_dim(w, n)) {
        int64_t tail = w->edge == 0 && last ? n : w->edge;
        for (int64_t i = 0; i < w->edge; i++) {
            if (last) fn(ctx, p + i * st);
            else for_printed_rec(w, dim + 1, p + i * st, fn, ctx);
        }
        for (int64_t i = n - tail; i < n; i++) {
            if (last) fn(ctx, p + i * st);
            else for_printed_rec(w, dim + 1, p + i * st, fn, ctx);
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        if (last) fn(ctx, p + i * st);
        else for_printed_rec(w, dim + 1, p + i * st, fn, ctx);
    }
}

static void for_printed(const Walk *w, elem_fn fn, void *ctx) {
    if (w->t->ndim == 0) fn(ctx, w->base);
    else for_printed_rec(w, 0, w->base, fn, ctx);
}

/* ------------------------------------------------------------------ */
/* _Formatter */

typedef struct {
    DType dtype;
    bool floating;
    bool int_mode, sci_mode;
    int64_t max_width;
    int precision;
    /* statistics of the nonzero finite values */
    int64_t n_nzf;
    double nzf_min, nzf_max;
    char *scratch; /* formatting buffer, scratch_n bytes */
    size_t scratch_n;
} Formatter;

static void stats_fn(void *ctx, const char *p) {
    Formatter *f = ctx;
    double v = load_f64(f->dtype, p);
    if (!isfinite(v) || v == 0) return;
    double a = fabs(v);
    if (f->n_nzf++ == 0) f->nzf_min = f->nzf_max = a;
    else {
        if (a < f->nzf_min) f->nzf_min = a;
        if (a > f->nzf_max) f->nzf_max = a;
    }
    if (v != ceil(v)) f->int_mode = false;
}

static int fmt_sci(const Formatter *f, double v, int width, char *buf, size_t n) {
    if (isnan(v)) return snprintf(buf, n, "%*s", width, "nan");
    if (isinf(v)) return snprintf(buf, n, "%*s", width, v < 0 ? "-inf" : "inf");
    return snprintf(buf, n, "%*.*e", width, f->precision, v);
}

static void width_fn(void *ctx, const char *p) {
    Formatter *f = ctx;
    int64_t len;
    if (!f->floating) {
        if (f->dtype == DT_BOOL) {
            len = *(const uint8_t *)p ? 4 : 5;
        } else {
            int64_t v = dtype_load_i64(f->dtype, p);
            uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
            len = 1 + (v < 0);
            while (m >= 10) {
                m /= 10;
                len++;
            }
        }
    } else {
        double v = load_f64(f->dtype, p);
        if (!isfinite(v) || v == 0) return;
        if (f->sci_mode) len = fmt_sci(f, v, 0, f->scratch, f->scratch_n);
        else if (f->int_mode) len = pyfmt_fixed(v, 0, f->scratch, f->scratch_n) + 1;
        else len = pyfmt_fixed(v, f->precision, f->scratch, f->scratch_n);
    }
    if (len > f->max_width) f->max_width = len;
}

static void formatter_init(Formatter *f, const Walk *w) {
    f->dtype = dtype_to_real(w->t->dtype);
    f->floating = dtype_is_float(f->dtype);
    f->int_mode = true;
    f->sci_mode = false;
    f->max_width = 1;
    f->precision = tsr_print_opts.precision;
    f->n_nzf = 0;
    if (f->floating) {
        for_printed(w, stats_fn, f);
        if (f->n_nzf == 0) return; /* PyTorch returns before applying sci_mode */
        if (f->int_mode) {
            if (f->nzf_max / f->nzf_min > 1000.0 || f->nzf_max > 1.0e8) f->sci_mode = true;
        } else {
            if (f->nzf_max / f->nzf_min > 1000.0 || f->nzf_max > 1.0e8 || f->nzf_min < 1.0e-4)
                f->sci_mode = true;
        }
    }
    for_printed(w, width_fn, f);
    if (tsr_print_opts.sci_mode >= 0) f->sci_mode = tsr_print_opts.sci_mode;
}

/* formatter.format(value) appended to out, padded to max_width */
static bool format_elem(const Formatter *f, const char *p, PyBuf *out) {
    char *buf = f->scratch;
    size_t n = f->scratch_n;
    int len;
    if (!f->floating) {
        if (f->dtype == DT_BOOL) len = snprintf(buf, n, "%s", *(const uint8_t *)p ? "True" : "False");
        else len = snprintf(buf, n, "%lld", (long long)dtype_load_i64(f->dtype, p));
    } else {
        double v = load_f64(f->dtype, p);
        if (f->sci_mode) {
            len = fmt_sci(f, v, (int)f->max_width, buf, n);
        } else if (f->int_mode) {
            len = pyfmt_fixed(v, 0, buf, n);
            if (isfinite(v)) buf[len++] = '.';
        } else {
            len = pyfmt_fixed(v, f->precision, buf, n);
        }
    }
    return pybuf_fill(out, ' ', f->max_width - len) && pybuf_append(out, buf, len);
}

/* ------------------------------------------------------------------ */
/* layout */

typedef struct {
    const Walk *w;
    const Formatter *f, *f2; /* f2: the imaginary parts' (complex), else NULL */
    PyBuf *out;
} Printer;

/* _val_formatter: a real element, or a complex one as real part, then the
 * imaginary part stripped of its padding, signed, and "j" */
static bool format_value(const Printer *pr, const char *p, PyBuf *out) {
    if (!format_elem(pr->f, p, out)) return false;
    if (!pr->f2) return true;
    PyBuf im = {0};
    bool ok = format_elem(pr->f2, p + pr->w->esize / 2, &im);
    int64_t k = 0;
    while (ok && k < im.len && im.data[k] == ' ') k++;
    ok = ok && (k < im.len && (im.data[k] == '+' || im.data[k] == '-') ? true : pybuf_putc(out, '+')) &&
         pybuf_append(out, im.data + k, im.len - k) && pybuf_putc(out, 'j');
    pybuf_free(&im);
    return ok;
}

static bool newline_indent(PyBuf *out, int64_t newlines, int64_t spaces) {
    return pybuf_putc(out, ',') && pybuf_fill(out, '\n', newlines) && pybuf_fill(out, ' ', spaces);
}

/* _vector_str */
static bool vector_str(const Printer *pr, const char *p, int64_t indent) {
    const Tensor *t = pr->w->t;
    PyBuf *out = pr->out;
    int64_t n = t->shape[t->ndim - 1];
    int64_t st = t->stride[t->ndim - 1] * (int64_t)pr->w->esize;
    int64_t element_length = pr->f->max_width + 2 + (pr->f2 ? pr->f2->max_width + 1 : 0);
    double q = floor((double)(tsr_print_opts.linewidth - indent) / (double)element_length);
    int64_t per_line = q < 1 ? 1 : (int64_t)q;
    int64_t k = 0;
    if (tsr_check_interrupt() || !pybuf_putc(out, '[')) return false;
#define SEP()                                                                         \
    do {                                                                              \
        if (k > 0 && !(k % per_line ? pybuf_append(out, ", ", 2)                      \
                                    : newline_indent(out, 1, indent + 1)))            \
            return false;                                                             \
        k++;                                                                          \
    } while (0)
    if (summarized_dim(pr->w, n)) {
        int64_t edge = pr->w->edge, tail = edge == 0 ? n : edge;
        for (int64_t i = 0; i < edge; i++) {
            SEP();
            if (!format_value(pr, p + i * st, out)) return false;
        }
        SEP();
        if (!pybuf_append(out, " ...", 4)) return false;
        for (int64_t i = n - tail; i < n; i++) {
            SEP();
            if (!format_value(pr, p + i * st, out)) return false;
        }
    } else {
        for (int64_t i = 0; i < n; i++) {
            SEP();
            if (!format_value(pr, p + i * st, out)) return false;
        }
    }
#undef SEP
    return pybuf_putc(out, ']');
}

/* _tensor_str_with_formatter for the sub-tensor starting at `dim` */
static bool tensor_str_rec(const Printer *pr, int dim, const char *p, int64_t indent) {
    const Tensor *t = pr->w->t;
    PyBuf *out = pr->out;
    int rdim = t->ndim - dim;
    if (rdim == 0) return format_value(pr, p, out);
    if (rdim == 1) return vector_str(pr, p, indent);
    int64_t n = t->shape[dim], st = t->stride[dim] * (int64_t)pr->w->esize;
    if (!pybuf_putc(out, '[')) return false;
    if (summarized_dim(pr->w, n)) {
        int64_t edge = pr->w->edge;
        for (int64_t i = 0; i < edge; i++) {
            if (i && !newline_indent(out, rdim - 1, indent + 1)) return false;
            if (!tensor_str_rec(pr, dim + 1, p + i * st, indent + 1)) return false;
        }
        if (edge && !newline_indent(out, rdim - 1, indent + 1)) return false;
        if (!pybuf_append(out, "...", 3)) return false;
        for (int64_t i = n - edge; i < n; i++) {
            if (!newline_indent(out, rdim - 1, indent + 1)) return false;
            if (!tensor_str_rec(pr, dim + 1, p + i * st, indent + 1)) return false;
        }
    } else {
        for (int64_t i = 0; i < n; i++) {
            if (i && !newline_indent(out, rdim - 1, indent + 1)) return false;
            if (!tensor_str_rec(pr, dim + 1, p + i * st, indent + 1)) return false;
        }
    }
    return pybuf_putc(out, ']');
}

/* _tensor_str for a non-empty tensor */
static bool tensor_str(PyBuf *out, const Tensor *t, int64_t indent) {
    Walk w = {t, tensor_data(t), dtype_size(t->dtype), (double)tensor_numel(t) > tsr_print_opts.threshold,
              tsr_print_opts.edgeitems};
    if (w.summarize && w.edge <= 0 && t->ndim >= 2) {
        /* torch.stack of an empty list in get_summarized_data */
        tsr_raise(ERR_RuntimeError, "%s", "stack expects a non-empty TensorList");
        return false;
    }
    if (w.edge < 0) w.edge = 0;
    Formatter f, f2;
    bool cplx = dtype_is_complex(t->dtype);
    if ((dtype_is_float(t->dtype) || cplx) && tsr_print_opts.precision < 0) {
        tsr_raise(ERR_ValueError, "%s", "Format specifier missing precision");
        return false;
    }
    f.scratch_n = 400 + (size_t)(tsr_print_opts.precision > 0 ? tsr_print_opts.precision : 0);
    char stackbuf[512];
    f.scratch = f.scratch_n <= sizeof stackbuf ? stackbuf : tsr_malloc(f.scratch_n);
    if (!f.scratch) return false;
    f2.scratch = f.scratch;
    f2.scratch_n = f.scratch_n;
    formatter_init(&f, &w);
    if (cplx) {
        Walk wi = w;
        wi.base += w.esize / 2;
        formatter_init(&f2, &wi);
    }
    Printer pr = {&w, &f, cplx ? &f2 : NULL, out};
    bool ok = !tsr_check_interrupt() && tensor_str_rec(&pr, 0, w.base, indent);
    if (f.scratch != stackbuf) free(f.scratch);
    return ok;
}

/* ------------------------------------------------------------------ */
/* _str_intern */

#define MAX_SUFFIXES 6

static bool repr_cpu(PyBuf *out, const Tensor *t, const Tensor *orig, const char *prefix) {
    int64_t start = out->len;
    const int64_t indent = (int64_t)strlen(prefix); /* len("tensor(") */
    char suffixes[MAX_SUFFIXES][TSR_MAX_DIMS * 22 + 32];
    int ns = 0;
    Device dev = orig->storage->device;
    if (dev.type == DEV_CUDA)
        snprintf(suffixes[ns++], sizeof suffixes[0], "device='cuda:%d'", dev.index < 0 ? 0 : dev.index);
    bool has_default_dtype = t->dtype == tsr_default_float || t->dtype == dtype_to_complex(tsr_default_float) ||
                             t->dtype == DT_INT64 || t->dtype == DT_BOOL;
    if (!pybuf_appends(out, prefix)) return false;
    if (tensor_numel(t) == 0) {
        if (t->ndim != 1) {
            char *s = suffixes[ns++];
            int k = sprintf(s, "size=(");
            for (int i = 0; i < t->ndim; i++)
                k += sprintf(s + k, "%s%lld", i ? ", " : "", (long long)t->shape[i]);
            sprintf(s + k, "%s)", t->ndim == 1 ? "," : "");
        }
        if (t->dtype != tsr_default_float)
            snprintf(suffixes[ns++], sizeof suffixes[0], "dtype=torch.%s", dtype_name(t->dtype));
        if (!pybuf_appends(out, "[]")) return false;
    } else {
        if (!has_default_dtype)
            snprintf(suffixes[ns++], sizeof suffixes[0], "dtype=torch.%s", dtype_name(t->dtype));
        if (!tensor_str(out, t, indent)) return false;
    }
    if (!ag_refresh_grad_fn((Tensor *)orig)) return false; /* a stale view's grad_fn */
    if (orig->grad_fn)
        snprintf(suffixes[ns++], sizeof suffixes[0], "grad_fn=<%s>", ag_node_name(orig->grad_fn));
    else if (ag_requires_grad(orig))
        snprintf(suffixes[ns++], sizeof suffixes[0], "requires_grad=True");

    /* _add_suffixes */
    int64_t nl = -1;
    for (int64_t i = out->len - 1; i >= start; i--)
        if (out->data[i] == '\n') {
            nl = i - start;
            break;
        }
    int64_t last_line_len = (out->len - start) - nl + 1;
    for (int i = 0; i < ns; i++) {
        int64_t slen = (int64_t)strlen(suffixes[i]);
        if (last_line_len + slen + 2 > tsr_print_opts.linewidth) {
            if (!pybuf_append(out, ",\n", 2) || !pybuf_fill(out, ' ', indent)) return false;
            last_line_len = indent + slen;
        } else {
            if (!pybuf_append(out, ", ", 2)) return false;
            last_line_len += slen + 2;
        }
        if (!pybuf_append(out, suffixes[i], slen)) return false;
    }
    return pybuf_putc(out, ')');
}

bool tensor_repr_into(PyBuf *out, const Tensor *t) { return tensor_repr_prefixed(out, t, "tensor("); }

bool tensor_repr_prefixed(PyBuf *out, const Tensor *t, const char *prefix) {
    if (t->storage->device.type == DEV_CPU) return repr_cpu(out, t, t, prefix);
    /* a CUDA tensor prints from a CPU copy (the one place printing waits) */
    Tensor *c = tensor_empty(t->dtype, t->ndim, t->shape, device_cpu());
    if (!c) return false;
    if (!tensor_copy_(c, (Tensor *)t)) {
        tensor_release(c);
        return false;
    }
    bool ok = repr_cpu(out, c, t, prefix);
    tensor_release(c);
    return ok;
}

char *tensor_repr(const Tensor *t) {
    PyBuf b = {0};
    if (!tensor_repr_into(&b, t)) {
        pybuf_free(&b);
        return NULL;
    }
    return b.data;
}
