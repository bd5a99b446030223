/* handout.c: Markdown handouts with `>>>` transcripts (see handout.h).
 *
 * An example is read as doctest reads one: a line whose first non-blank
 * text is `>>>` starts it, the lines after it that begin with the same
 * indentation and `...` continue its source, and the non-blank lines after
 * that (same indentation, up to a blank line, the next `>>>` or a code
 * fence) are its expected output. `<BLANKLINE>` stands for an empty line
 * of output. An expected output that starts with
 * `Traceback (most recent call last):` matches any traceback whose last
 * line (`Class: message`) is the same, as in doctest. All examples of a
 * file run in one session, so names carry from one to the next. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "handout.h"
#include "paste.h"
#include "modules.h"

static const char traceback_header[] = "Traceback (most recent call last):";

/* ---------------------------------------------------------------- buffers */

typedef struct {
    char *data;
    size_t len, cap;
} Text;

static bool text_add(Text *t, const char *s, size_t n) {
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1) cap *= 2;
        char *d = realloc(t->data, cap);
        if (!d) return false;
        t->data = d;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = 0;
    return true;
}

/* ---------------------------------------------------------------- capture */

bool capture_begin(Capture *c) {
    c->fd = c->saved_out = c->saved_err = -1;
    fflush(stdout);
    fflush(stderr);
    FILE *tmp = tmpfile();
    if (!tmp) return false;
    c->fd = dup(fileno(tmp));
    fclose(tmp);
    if (c->fd < 0) return false;
    c->saved_out = dup(STDOUT_FILENO);
    c->saved_err = dup(STDERR_FILENO);
    if (c->saved_out < 0 || c->saved_err < 0 || dup2(c->fd, STDOUT_FILENO) < 0 ||
        dup2(c->fd, STDERR_FILENO) < 0) {
        if (c->saved_out >= 0) dup2(c->saved_out, STDOUT_FILENO), close(c->saved_out);
        if (c->saved_err >= 0) dup2(c->saved_err, STDERR_FILENO), close(c->saved_err);
        close(c->fd);
        c->fd = c->saved_out = c->saved_err = -1;
        return false;
    }
    return true;
}

char *capture_end(Capture *c, size_t *len) {
    fflush(stdout);
    fflush(stderr);
    if (c->fd < 0) return NULL;
    dup2(c->saved_out, STDOUT_FILENO);
    dup2(c->saved_err, STDERR_FILENO);
    close(c->saved_out);
    close(c->saved_err);
    Text t = {0};
    bool ok = text_add(&t, "", 0) && lseek(c->fd, 0, SEEK_SET) == 0;
    char buf[4096];
    ssize_t n;
    while (ok && (n = read(c->fd, buf, sizeof buf)) != 0) {
        if (n < 0) {
            if (errno == EINTR) continue;
            ok = false;
            break;
        }
        ok = text_add(&t, buf, (size_t)n);
    }
    close(c->fd);
    c->fd = -1;
    if (!ok) {
        free(t.data);
        return NULL;
    }
    *len = t.len;
    return t.data;
}

/* ---------------------------------------------------------------- reading */

typedef struct {
    int line;     /* 1-based line of the `>>>` */
    Text source;  /* source lines, each ending in '\n' */
    Text want;    /* expected output, each line ending in '\n' */
} Example;

static size_t indent_of(const char *s, size_t n) {
    size_t i = 0;
    while (i < n && s[i] == ' ') i++;
    return i;
}

static bool is_fence(const char *s, size_t n) {
    size_t i = indent_of(s, n);
    return n - i >= 3 && (!memcmp(s + i, "```", 3) || !memcmp(s + i, "~~~", 3));
}

/* Whether s[i..n) is `>>>` or `...` (tag) alone or followed by a space. */
static bool is_prompt(const char *s, size_t n, size_t i, const char *tag) {
    return n - i >= 3 && !memcmp(s + i, tag, 3) && (n - i == 3 || s[i + 3] == ' ');
}

static bool is_blank_line(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

/* The file's lines: starts and lengths (without '\n' and a final '\r'). */
typedef struct {
    const char **at;
    size_t *len;
    int n;
} Lines;

static bool split_lines(const char *src, size_t size, Lines *ls) {
    int cap = 64;
    ls->n = 0;
    ls->at = malloc(cap * sizeof *ls->at);
    ls->len = malloc(cap * sizeof *ls->len);
    if (!ls->at || !ls->len) return false;
    size_t i = 0;
    while (i < size) {
        size_t j = i;
        while (j < size && src[j] != '\n') j++;
        if (ls->n == cap) {
            cap *= 2;
            const char **a = realloc(ls->at, cap * sizeof *ls->at);
            if (a) ls->at = a;
            size_t *l = realloc(ls->len, cap * sizeof *ls->len);
            if (l) ls->len = l;
            if (!a || !l) return false;
        }
        size_t n = j - i;
        if (n && src[i + n - 1] == '\r') n--;
        ls->at[ls->n] = src + i;
        ls->len[ls->n] = n;
        ls->n++;
        i = j + 1;
    }
    return true;
}

/* Reads the example that starts at line *k (a `>>>` line with indent
 * `ind`); leaves *k on the first line after it. */
static bool read_example(const Lines *ls, int *k, size_t ind, Example *ex) {
    memset(ex, 0, sizeof *ex);
    ex->line = *k + 1;
    int i = *k;
    do {
        const char *s = ls->at[i] + ind + 3;
        size_t n = ls->len[i] - ind - 3;
        if (n) s++, n--; /* the space after the prompt */
        if (!text_add(&ex->source, s, n) || !text_add(&ex->source, "\n", 1)) return false;
        i++;
    } while (i < ls->n && indent_of(ls->at[i], ls->len[i]) == ind &&
             is_prompt(ls->at[i], ls->len[i], ind, "..."));
    if (!text_add(&ex->want, "", 0)) return false;
    for (; i < ls->n; i++) {
        const char *s = ls->at[i];
        size_t n = ls->len[i];
        if (is_blank_line(s, n) || is_fence(s, n)) break;
        size_t d = indent_of(s, n);
        if (d < ind) break;
        if (d == ind && is_prompt(s, n, ind, ">>>")) break;
        s += ind;
        n -= ind;
        if (n == 11 && !memcmp(s, "<BLANKLINE>", 11)) n = 0;
        if (!text_add(&ex->want, s, n) || !text_add(&ex->want, "\n", 1)) return false;
    }
    *k = i;
    return true;
}

/* ---------------------------------------------------------------- running */

/* The last non-empty line of text (pointer into it, and its length). */
static const char *last_line(const char *t, size_t len, size_t *n) {
    while (len && (t[len - 1] == '\n' || t[len - 1] == ' ')) len--;
    size_t i = len;
    while (i && t[i - 1] != '\n') i--;
    *n = len - i;
    return t + i;
}

/* Where a traceback starts in text (a line that is the header), or NULL. */
static const char *find_traceback(const char *t) {
    for (const char *p = t; (p = strstr(p, traceback_header)); p++)
        if (p == t || p[-1] == '\n') return p;
    return NULL;
}

static bool output_matches(const char *want, size_t want_len, const char *got, size_t got_len) {
    const char *wtb = find_traceback(want);
    if (!wtb) return want_len == got_len && !memcmp(want, got, got_len);
    /* doctest's rule: the output before the traceback and its last line */
    const char *gtb = find_traceback(got);
    if (!gtb || wtb - want != gtb - got || memcmp(want, got, (size_t)(gtb - got))) return false;
    size_t wn, gn;
    const char *wl = last_line(wtb, want_len - (size_t)(wtb - want), &wn);
    const char *gl = last_line(gtb, got_len - (size_t)(gtb - got), &gn);
    return wn == gn && !memcmp(wl, gl, wn);
}

static void print_indented(const char *t, size_t len) {
    if (!len) {
        fputs("    (nothing)\n", stdout);
        return;
    }
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && t[j] != '\n') j++;
        if (j == i) fputs("    <BLANKLINE>\n", stdout);
        else printf("    %.*s\n", (int)(j - i), t + i);
        i = j + 1;
    }
}

static bool push_to_interp(Interp *in, const char *line, bool more) {
    (void)more;
    return interp_push_line(in, line);
}

/* Runs one example; its output (stdout and stderr together) in *got. Its
 * lines go in as a pasted block (paste.c): as in doctest, a blank `...`
 * line inside a function body does not end it. */
static bool run_example(Interp *in, const Example *ex, char **got, size_t *got_len) {
    char *src = strdup(ex->source.data);
    if (!src) return false;
    size_t n = strlen(src);
    if (n && src[n - 1] == '\n') src[n - 1] = 0; /* the last line's end is not a blank line */
    Capture c;
    if (!capture_begin(&c)) {
        free(src);
        return false;
    }
    bool more = paste_push(in, src, false, false, push_to_interp);
    free(src);
    if (more) interp_flush(in);
    *got = capture_end(&c, got_len);
    return *got != NULL;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    Text t = {0};
    char buf[4096];
    size_t n;
    bool ok = text_add(&t, "", 0);
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) ok = text_add(&t, buf, n);
    if (ferror(f)) ok = false;
    fclose(f);
    if (!ok) {
        int e = errno ? errno : EIO;
        free(t.data);
        errno = e;
        return NULL;
    }
    *len = t.len;
    return t.data;
}

int handout_check(const char *path) {
    errno = 0;
    size_t size = 0;
    char *src = read_file(path, &size);
    if (!src) {
        int e = errno ? errno : EIO;
        fprintf(stderr, "tsr: can't open file '%s': [Errno %d] %s\n", path, e, strerror(e));
        return 2;
    }
    Lines ls = {0};
    Interp *in = NULL;
    int status = 2, examples = 0, failed = 0;
    if (!split_lines(src, size, &ls)) goto out;
    char *argv[] = {(char *)path, NULL};
    in = interp_new(1, argv);
    if (!in || !builtins_open(in)) {
        fprintf(stderr, "tsr: failed to start: %s\n", tsr_err_msg());
        goto out;
    }
    for (int k = 0; k < ls.n && interp_exit_status(in) < 0;) {
        size_t ind = indent_of(ls.at[k], ls.len[k]);
        if (!is_prompt(ls.at[k], ls.len[k], ind, ">>>")) {
            k++;
            continue;
        }
        Example ex;
        char *got = NULL;
        size_t got_len = 0;
        if (!read_example(&ls, &k, ind, &ex) || !run_example(in, &ex, &got, &got_len)) {
            free(ex.source.data);
            free(ex.want.data);
            fprintf(stderr, "tsr: %s:%d: out of memory\n", path, ex.line);
            goto out;
        }
        examples++;
        if (!output_matches(ex.want.data, ex.want.len, got, got_len)) {
            failed++;
            printf("%s:%d: output differs\n", path, ex.line);
            printf("Example:\n");
            for (const char *s = ex.source.data; *s;) {
                const char *nl = strchr(s, '\n');
                printf("    %s %.*s\n", s == ex.source.data ? ">>>" : "...", (int)(nl - s), s);
                s = nl + 1;
            }
            printf("Expected:\n");
            print_indented(ex.want.data, ex.want.len);
            printf("Got:\n");
            print_indented(got, got_len);
        }
        free(got);
        free(ex.source.data);
        free(ex.want.data);
    }
    printf("%s: %d example%s, %d differ%s\n", path, examples, examples == 1 ? "" : "s", failed,
           failed == 1 ? "s" : "");
    status = failed ? 1 : 0;
out:
    fflush(stdout);
    if (in) interp_free(in);
    free(ls.at);
    free(ls.len);
    free(src);
    return status;
}

/* -------------------------------------------------------------- recording */

bool recorder_open(Recorder *r, const char *path) {
    memset(r, 0, sizeof *r);
    r->f = fopen(path, "w");
    if (!r->f) {
        fprintf(stderr, "tsr: can't open file '%s': [Errno %d] %s\n", path, errno, strerror(errno));
        return false;
    }
    fputs("# tsr session\n\n"
          "Check it again with `tsr --check FILE.md`.\n\n"
          "```python\n",
          r->f);
    fflush(r->f);
    return true;
}

static bool buf_add(char **data, size_t *len, size_t *cap, const char *s, size_t n) {
    Text t = {*data, *len, *cap};
    bool ok = text_add(&t, s, n);
    *data = t.data;
    *len = t.len;
    *cap = t.cap;
    return ok;
}

/* Writes the statement typed so far and its output, as doctest wants
 * them: `<BLANKLINE>` for an empty output line, and a blank line after an
 * output that does not end one. */
static void recorder_write(Recorder *r) {
    if (r->input_len) fwrite(r->input, 1, r->input_len, r->f);
    const char *t = r->output;
    size_t len = r->output_len;
    for (size_t i = 0; i < len;) {
        size_t j = i;
        while (j < len && t[j] != '\n') j++;
        if (j == i) fputs("<BLANKLINE>\n", r->f);
        else fprintf(r->f, "%.*s\n", (int)(j - i), t + i);
        i = j + 1;
    }
    fflush(r->f);
    r->input_len = r->output_len = 0;
}

bool recorder_push(Recorder *r, Interp *in, const char *line, bool continuation) {
    /* the blank line that ends a block is not part of the transcript */
    bool ending = continuation && line[strspn(line, " \t")] == 0;
    if (!ending) {
        const char *prompt = continuation ? "... " : ">>> ";
        if (!continuation && line[strspn(line, " \t")] == 0) return false;
        /* blank lines a paste kept inside a block come first: bare `...` */
        const char *text = line;
        for (; *text == '\n'; text++)
            if (!buf_add(&r->input, &r->input_len, &r->input_cap, "...\n", 4)) r->input_len = 0;
        if (!buf_add(&r->input, &r->input_len, &r->input_cap, prompt, 4) ||
            !buf_add(&r->input, &r->input_len, &r->input_cap, text, strlen(text)) ||
            !buf_add(&r->input, &r->input_len, &r->input_cap, "\n", 1))
            r->input_len = 0;
    }
    Capture c;
    bool captured = capture_begin(&c);
    bool more = interp_push_line(in, line);
    if (captured) {
        size_t n = 0;
        char *out = capture_end(&c, &n);
        if (out) {
            fwrite(out, 1, n, stdout);
            fflush(stdout);
            buf_add(&r->output, &r->output_len, &r->output_cap, out, n);
            free(out);
        }
    }
    if (!more) recorder_write(r);
    return more;
}

void recorder_close(Recorder *r, Interp *in) {
    if (!r->f) return;
    if (r->input_len) recorder_push(r, in, "", true);
    fputs("\n```\n", r->f);
    fclose(r->f);
    r->f = NULL;
    free(r->input);
    free(r->output);
    r->input = r->output = NULL;
}
