/* tsr_plot.c: pictures in the terminal, for teaching.
 *   tsr.plot(ys) / tsr.plot(xs, ys, file=None)  a line chart drawn in
 *       Unicode braille (2 x 4 dots a character), with the y range on the
 *       left and the x range below; it fits 80 columns (a loss curve).
 *   tsr.heatmap(x, file=None)  a 2-D tensor as colour blocks (ANSI 256
 *       colours) on a colour terminal, as shade characters otherwise
 *       (standard output not a terminal, or NO_COLOR set).
 * With file='name.svg' each writes an SVG picture instead. Values are
 * read as float64; NaN and infinities are left out of a chart. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins_util.h"
#include "error.h"
#include "interp_internal.h"
#include "ops.h"

#define PLOT_COLS 60 /* characters of the drawing area: 120 dots */
#define PLOT_ROWS 15 /* lines: 60 dots */
#define HEAT_MAX 38  /* cells a side shown in the terminal (two columns each) */

/* v as a contiguous float64 host tensor (a new reference), or NULL. */
static Tensor *as_f64(Value *v, const char *fn, const char *arg) {
    if (v->kind == VK_TENSOR) {
        Tensor *c = op_to(v->tensor, DT_FLOAT64, device_cpu(), false);
        if (!c) return NULL;
        Tensor *r = op_contiguous(c);
        tensor_release(c);
        return r;
    }
    if (v->kind == VK_LIST || v->kind == VK_TUPLE) return tensor_from_data(v, DT_FLOAT64);
    tsr_raise(ERR_TypeError, "%s(): argument '%s' must be Tensor or a list of numbers, not %s", fn, arg,
              val_type_name(v));
    return NULL;
}

/* file= as a path, NULL when absent; *bad on a wrong type */
static const char *file_arg(Value *v, const char *fn, bool *bad) {
    *bad = false;
    if (!v || v->kind == VK_NONE) return NULL;
    if (v->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "%s(): argument 'file' must be str, not %s", fn, val_type_name(v));
        *bad = true;
        return NULL;
    }
    return v->str.s;
}

static void num_text(char *buf, size_t n, double v) { snprintf(buf, n, "%.4g", v); }

/* Writes b to path; says so on stdout. */
static bool write_file(const char *fn, const char *path, StrBuf *b) {
    FILE *f = fopen(path, "w");
    bool ok = f && fwrite(b->data, 1, (size_t)b->len, f) == (size_t)b->len;
    int e = errno;
    if (f && fclose(f) != 0) ok = false, e = errno;
    if (!ok) {
        tsr_raise(ERR_RuntimeError, "tsr.%s: cannot write '%s': %s", fn, path, strerror(e));
        return false;
    }
    StrBuf m = {0};
    ok = sb_printf(&m, "%s written to %s\n", fn, path) && tsr_write_stdout(m.data, m.len);
    free(m.data);
    return ok;
}

/* ------------------------------------------------------------- plot */

typedef struct {
    const double *x, *y;
    int64_t n;
    double x0, x1, y0, y1; /* ranges of the finite points */
} Series;

static bool series_range(Series *s) {
    bool any = false;
    for (int64_t i = 0; i < s->n; i++) {
        double x = s->x ? s->x[i] : (double)i, y = s->y[i];
        if (!isfinite(x) || !isfinite(y)) continue;
        if (!any) s->x0 = s->x1 = x, s->y0 = s->y1 = y;
        if (x < s->x0) s->x0 = x;
        if (x > s->x1) s->x1 = x;
        if (y < s->y0) s->y0 = y;
        if (y > s->y1) s->y1 = y;
        any = true;
    }
    return any;
}

/* dot coordinates of a point: column in [0, w), row in [0, h), row 0 on top */
static void to_dots(const Series *s, double x, double y, int w, int h, int *c, int *r) {
    double fx = s->x1 > s->x0 ? (x - s->x0) / (s->x1 - s->x0) : 0.5;
    double fy = s->y1 > s->y0 ? (y - s->y0) / (s->y1 - s->y0) : 0.5;
    *c = (int)lround(fx * (w - 1));
    *r = (h - 1) - (int)lround(fy * (h - 1));
}

static void set_dot(unsigned char *cells, int c, int r) {
    /* braille dot bits: column 0 rows 0-3 = 0x01 0x02 0x04 0x40, column 1 = 0x08 0x10 0x20 0x80 */
    static const unsigned char bit[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
    cells[(r / 4) * PLOT_COLS + c / 2] |= bit[c % 2][r % 4];
}

static void draw_line(unsigned char *cells, int c0, int r0, int c1, int r1) {
    int dc = abs(c1 - c0), dr = -abs(r1 - r0), sc = c0 < c1 ? 1 : -1, sr = r0 < r1 ? 1 : -1;
    int err = dc + dr;
    for (;;) {
        set_dot(cells, c0, r0);
        if (c0 == c1 && r0 == r1) break;
        int e2 = 2 * err;
        if (e2 >= dr) err += dr, c0 += sc;
        if (e2 <= dc) err += dc, r0 += sr;
    }
}

static bool plot_text(const Series *s, StrBuf *b) {
    enum { W = PLOT_COLS * 2, H = PLOT_ROWS * 4 };
    unsigned char cells[PLOT_ROWS * PLOT_COLS];
    memset(cells, 0, sizeof cells);
    bool have = false;
    int pc = 0, pr = 0;
    for (int64_t i = 0; i < s->n; i++) {
        double x = s->x ? s->x[i] : (double)i, y = s->y[i];
        if (!isfinite(x) || !isfinite(y)) {
            have = false; /* a gap in the line */
            continue;
        }
        int c, r;
        to_dots(s, x, y, W, H, &c, &r);
        if (have) draw_line(cells, pc, pr, c, r);
        else set_dot(cells, c, r);
        pc = c, pr = r, have = true;
    }
    char top[32], bottom[32], left[32], right[32];
    num_text(top, sizeof top, s->y1);
    num_text(bottom, sizeof bottom, s->y0);
    num_text(left, sizeof left, s->x0);
    num_text(right, sizeof right, s->x1);
    int lw = (int)(strlen(top) > strlen(bottom) ? strlen(top) : strlen(bottom));
    for (int r = 0; r < PLOT_ROWS; r++) {
        const char *label = r == 0 ? top : r == PLOT_ROWS - 1 ? bottom : "";
        sb_printf(b, "%*s %s", lw, label, r == 0 || r == PLOT_ROWS - 1 ? "\u2524" : "\u2502");
        int last = PLOT_COLS - 1; /* no trailing blanks */
        while (last >= 0 && !cells[r * PLOT_COLS + last]) last--;
        for (int c = 0; c <= last; c++) {
            unsigned cp = 0x2800 + cells[r * PLOT_COLS + c];
            char u[4] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                         (char)(0x80 | (cp & 0x3F)), 0};
            sb_appends(b, cells[r * PLOT_COLS + c] ? u : " ");
        }
        sb_appends(b, "\n");
    }
    sb_printf(b, "%*s \u2514", lw, "");
    for (int c = 0; c < PLOT_COLS; c++) sb_appends(b, "\u2500");
    sb_appends(b, "\n");
    int gap = PLOT_COLS + 1 - (int)strlen(left) - (int)strlen(right);
    return sb_printf(b, "%*s %s%*s%s\n", lw, "", left, gap > 1 ? gap : 1, "", right);
}

static bool plot_svg(const Series *s, StrBuf *b) {
    const int W = 640, H = 400, L = 70, R = 20, T = 20, B = 40;
    char t0[32], t1[32], x0[32], x1[32];
    num_text(t1, sizeof t1, s->y1);
    num_text(t0, sizeof t0, s->y0);
    num_text(x0, sizeof x0, s->x0);
    num_text(x1, sizeof x1, s->x1);
    sb_printf(b,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n"
              "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n"
              "<g stroke=\"black\" stroke-width=\"1\">"
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>\n"
              "<g font-family=\"sans-serif\" font-size=\"12\" fill=\"black\">"
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
              "<text x=\"%d\" y=\"%d\" text-anchor=\"start\">%s</text>"
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text></g>\n",
              W, H, W, H, W, H, L, T, L, H - B, L, H - B, W - R, H - B, L - 6, T + 4, t1, L - 6, H - B,
              t0, L, H - B + 18, x0, W - R, H - B + 18, x1);
    sb_appends(b, "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"");
    for (int64_t i = 0; i < s->n; i++) {
        double x = s->x ? s->x[i] : (double)i, y = s->y[i];
        if (!isfinite(x) || !isfinite(y)) continue;
        double fx = s->x1 > s->x0 ? (x - s->x0) / (s->x1 - s->x0) : 0.5;
        double fy = s->y1 > s->y0 ? (y - s->y0) / (s->y1 - s->y0) : 0.5;
        sb_printf(b, "%s%.2f,%.2f", i ? " " : "", L + fx * (W - L - R), (H - B) - fy * (H - B - T));
    }
    return sb_appends(b, "\"/>\n</svg>\n");
}

/* tsr.plot(ys) / tsr.plot(xs, ys), file= */
static Value *tsr_plot(Value *self, const CallArgs *a) {
    Value *v[3] = {0};
    if (!args_parse(a, 0, "plot", "xs, ys=, *, file=", v)) return NULL;
    Value *xv = v[1] ? v[0] : NULL, *yv = v[1] ? v[1] : v[0];
    bool bad;
    const char *path = file_arg(v[2], "plot", &bad);
    if (bad) return NULL;
    Tensor *y = as_f64(yv, "plot", "ys"), *x = NULL;
    if (!y) return NULL;
    if (xv && !(x = as_f64(xv, "plot", "xs"))) {
        tensor_release(y);
        return NULL;
    }
    Value *res = NULL;
    StrBuf b = {0};
    Series s = {x ? (const double *)tensor_data(x) : NULL, (const double *)tensor_data(y), tensor_numel(y)};
    if (y->ndim != 1 || (x && x->ndim != 1)) {
        tsr_raise(ERR_ValueError, "plot(): %s must be 1-D, got %d dimensions", y->ndim != 1 ? "ys" : "xs",
                  y->ndim != 1 ? y->ndim : x->ndim);
    } else if (x && tensor_numel(x) != s.n) {
        tsr_raise(ERR_ValueError, "plot(): xs and ys must have the same length, got %lld and %lld",
                  (long long)tensor_numel(x), (long long)s.n);
    } else if (!series_range(&s)) {
        tsr_raise(ERR_ValueError, "%s", "plot(): no finite point to draw");
    } else if (path ? plot_svg(&s, &b) && write_file("plot", path, &b)
                    : plot_text(&s, &b) && tsr_write_stdout(b.data, b.len)) {
        res = val_none();
    }
    free(b.data);
    tensor_release(x);
    tensor_release(y);
    return res;
}

/* ---------------------------------------------------------- heatmap */

/* A value in [0, 1] as a colour of a blue-to-yellow ramp (viridis-like). */
static void ramp(double f, int *r, int *g, int *bl) {
    static const int stops[5][3] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    if (!(f >= 0)) f = 0;
    if (f > 1) f = 1;
    double p = f * 4;
    int i = p >= 4 ? 3 : (int)p;
    double t = p - i;
    *r = (int)lround(stops[i][0] + t * (stops[i + 1][0] - stops[i][0]));
    *g = (int)lround(stops[i][1] + t * (stops[i + 1][1] - stops[i][1]));
    *bl = (int)lround(stops[i][2] + t * (stops[i + 1][2] - stops[i][2]));
}

static bool colour_terminal(void) {
    const char *nc = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(nc && *nc);
}

static double frac(double v, double lo, double hi) { return hi > lo ? (v - lo) / (hi - lo) : 0.5; }

static bool heatmap_text(const double *d, int64_t rows, int64_t cols, double lo, double hi, StrBuf *b) {
    bool colour = colour_terminal();
    int64_t sr = rows > HEAT_MAX ? (rows + HEAT_MAX - 1) / HEAT_MAX : 1;
    int64_t sc = cols > HEAT_MAX ? (cols + HEAT_MAX - 1) / HEAT_MAX : 1;
    static const char *const shades[5] = {"  ", "\u2591\u2591", "\u2592\u2592", "\u2593\u2593", "\u2588\u2588"};
    for (int64_t i = 0; i < rows; i += sr) {
        for (int64_t j = 0; j < cols; j += sc) {
            double v = d[i * cols + j];
            if (isnan(v)) {
                sb_appends(b, colour ? "\x1b[0m??" : "??");
                continue;
            }
            double f = frac(v, lo, hi);
            if (colour) {
                int r, g, bl;
                ramp(f, &r, &g, &bl);
                /* the 6x6x6 cube of the 256-colour palette */
                int idx = 16 + 36 * (int)lround(r / 51.0) + 6 * (int)lround(g / 51.0) + (int)lround(bl / 51.0);
                sb_printf(b, "\x1b[38;5;%dm\u2588\u2588", idx);
            } else {
                int k = (int)lround(f * 4);
                sb_appends(b, shades[k < 0 ? 0 : k > 4 ? 4 : k]);
            }
        }
        sb_appends(b, colour ? "\x1b[0m\n" : "\n");
    }
    char l[32], h[32];
    num_text(l, sizeof l, lo);
    num_text(h, sizeof h, hi);
    if (colour) {
        sb_printf(b, "%s ", l);
        for (int k = 0; k <= 8; k++) {
            int r, g, bl;
            ramp(k / 8.0, &r, &g, &bl);
            sb_printf(b, "\x1b[38;5;%dm\u2588",
                      16 + 36 * (int)lround(r / 51.0) + 6 * (int)lround(g / 51.0) + (int)lround(bl / 51.0));
        }
        sb_printf(b, "\x1b[0m %s", h);
    } else {
        sb_printf(b, "%s %s%s%s%s%s %s", l, shades[0], shades[1], shades[2], shades[3], shades[4], h);
    }
    sb_printf(b, "  (%lld x %lld", (long long)rows, (long long)cols);
    if (sr > 1 || sc > 1)
        sb_printf(b, "; one cell shown per %lld x %lld block", (long long)sr, (long long)sc);
    return sb_appends(b, ")\n");
}

static bool heatmap_svg(const double *d, int64_t rows, int64_t cols, double lo, double hi, StrBuf *b) {
    int64_t cell = rows > cols ? (rows > 40 ? 400 / rows : 10) : (cols > 40 ? 400 / cols : 10);
    if (cell < 1) cell = 1;
    cell *= 2;
    int64_t W = cols * cell, H = rows * cell;
    sb_printf(b,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%lld\" height=\"%lld\" viewBox=\"0 0 %lld "
              "%lld\" shape-rendering=\"crispEdges\">\n",
              (long long)W, (long long)H + 30, (long long)W, (long long)H + 30);
    sb_printf(b, "<rect width=\"%lld\" height=\"%lld\" fill=\"white\"/>\n", (long long)W, (long long)H + 30);
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) {
            int r = 255, g = 255, bl = 255;
            double v = d[i * cols + j];
            if (!isnan(v)) ramp(frac(v, lo, hi), &r, &g, &bl);
            sb_printf(b, "<rect x=\"%lld\" y=\"%lld\" width=\"%lld\" height=\"%lld\" fill=\"#%02x%02x%02x\"/>\n",
                      (long long)(j * cell), (long long)(i * cell), (long long)cell, (long long)cell, r, g, bl);
        }
    char l[32], h[32];
    num_text(l, sizeof l, lo);
    num_text(h, sizeof h, hi);
    sb_printf(b,
              "<g font-family=\"sans-serif\" font-size=\"12\" fill=\"black\"><text x=\"0\" y=\"%lld\">min %s</text>"
              "<text x=\"%lld\" y=\"%lld\" text-anchor=\"end\">max %s</text></g>\n",
              (long long)H + 20, l, (long long)W, (long long)H + 20, h);
    return sb_appends(b, "</svg>\n");
}

/* tsr.heatmap(x, file=None) */
static Value *tsr_heatmap(Value *self, const CallArgs *a) {
    Value *v[2] = {0};
    if (!args_parse(a, 0, "heatmap", "x, file=", v)) return NULL;
    bool bad;
    const char *path = file_arg(v[1], "heatmap", &bad);
    if (bad) return NULL;
    Tensor *t = as_f64(v[0], "heatmap", "x");
    if (!t) return NULL;
    Value *res = NULL;
    if (t->ndim != 2 || tensor_numel(t) == 0) {
        tsr_raise(ERR_ValueError, "heatmap(): x must be a non-empty 2-D tensor, got %d dimensions%s", t->ndim,
                  t->ndim == 2 ? " and no element" : "");
        tensor_release(t);
        return NULL;
    }
    const double *d = (const double *)tensor_data(t);
    int64_t rows = t->shape[0], cols = t->shape[1], n = rows * cols;
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < n; i++) {
        if (isnan(d[i])) continue;
        if (d[i] < lo) lo = d[i];
        if (d[i] > hi) hi = d[i];
    }
    if (lo > hi) lo = hi = 0; /* all NaN */
    StrBuf b = {0};
    if (path ? heatmap_svg(d, rows, cols, lo, hi, &b) && write_file("heatmap", path, &b)
             : heatmap_text(d, rows, cols, lo, hi, &b) && tsr_write_stdout(b.data, b.len))
        res = val_none();
    free(b.data);
    tensor_release(t);
    return res;
}

const Builtin tsr_plot_functions[] = {
    {"plot", tsr_plot},
    {"heatmap", tsr_heatmap},
    {NULL, NULL},
};
