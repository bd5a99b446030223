/* traceback.c: the frames of an error and CPython 3.11's report of them
 * (Lib/traceback.py: StackSummary.format, format_frame_summary,
 * _extract_caret_anchors_from_line_segment; TracebackException's
 * _format_syntax_error). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "interp_internal.h"
#include "traceback.h"

/* traceback.py's _RECURSIVE_CUTOFF: repeats shown before the summary line */
#define RECURSIVE_CUTOFF 3
/* entries kept at most (each distinct: repeats cost nothing) */
#define TB_MAX_ENTRIES 4096

static bool same_entry(const TbEntry *a, const TbEntry *b) {
    return a->source == b->source && a->node == b->node && a->line == b->line && a->col == b->col &&
           a->end_line == b->end_line && a->end_col == b->end_col && !strcmp(a->name, b->name);
}

bool tb_push(Traceback *tb, const TbEntry *e) {
    if (tb->n && same_entry(&tb->items[tb->n - 1], e)) {
        tb->items[tb->n - 1].repeat += e->repeat > 0 ? e->repeat : 1;
        return true;
    }
    if (tb->n >= TB_MAX_ENTRIES) return false;
    if (tb->n == tb->cap) {
        int cap = tb->cap ? tb->cap * 2 : 8;
        TbEntry *items = realloc(tb->items, sizeof *items * (size_t)cap);
        if (!items) return false;
        tb->items = items;
        tb->cap = cap;
    }
    char *name = strdup(e->name ? e->name : "?");
    if (!name) return false;
    TbEntry *d = &tb->items[tb->n++];
    *d = *e;
    d->name = name;
    if (d->repeat <= 0) d->repeat = 1;
    return true;
}

void tb_clear(Traceback *tb) {
    for (int i = 0; i < tb->n; i++) free(tb->items[i].name);
    free(tb->items);
    memset(tb, 0, sizeof *tb);
}

bool tb_copy(Traceback *dst, const Traceback *src) {
    tb_clear(dst);
    for (int i = 0; i < src->n; i++)
        if (!tb_push(dst, &src->items[i])) return false;
    return true;
}

void tb_move(Traceback *dst, Traceback *src) {
    tb_clear(dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
}

bool tb_source_shown(const char *filename) {
    return filename[0] != '<' || !strcmp(filename, "<stdin>") || !strcmp(filename, "<string>");
}

/* ------------------------------------------------------------ one frame */

/* Python's str.isspace() over the ASCII a source line holds */
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* characters in the first n bytes of s (traceback.py's
 * _byte_offset_to_character_offset: a cut character counts as one) */
static int chars_in(const char *s, int n) {
    int c = 0;
    for (int i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xc0) != 0x80;
    return c;
}

/* The line-th line of src (1-based) without its terminator. */
static bool find_line(const char *src, int64_t len, int line, const char **start, int *n) {
    const char *p = src, *end = src + len;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return false;
        p = nl + 1;
    }
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol) eol = end;
    if (eol > p && eol[-1] == '\r') eol--;
    *start = p;
    *n = (int)(eol - p);
    return true;
}

typedef struct {
    int left_end, right_start; /* character offsets in the segment */
} Anchors;

/* _extract_caret_anchors_from_line_segment: a binary operator's operator
 * (the first non-blank after its left operand, one or two characters) and
 * a subscript's brackets get carets of their own, the operands `~`. p is
 * the line, col the segment's start (byte columns). */
static bool caret_anchors(const Node *n, const char *p, int len, int col, Anchors *a) {
    if (n && n->kind == N_EXPR_STMT) n = n->a;
    if (!n) return false;
    if (n->kind == N_BINARY && n->a && n->b && n->a->end_line == n->line && n->b->line == n->line) {
        int op = n->a->end_col, stop = n->b->col;
        if (op < col || stop > len || stop < op) return false;
        int skip = 0;
        while (op + skip < stop && is_space(p[op + skip])) skip++;
        int left = op + skip, right = left + 1;
        if (skip + 1 < stop - op && !is_space(p[op + skip + 1])) right++;
        a->left_end = chars_in(p + col, left - col);
        a->right_start = chars_in(p + col, (right < len ? right : len) - col) + (right > len ? right - len : 0);
        return true;
    }
    if (n->kind == N_SUBSCRIPT && n->a && n->b && n->a->end_line == n->line && n->b->end_line == n->line) {
        int open = n->a->end_col, close = n->b->end_col + 1;
        if (open < col || close > len + 1) return false;
        a->left_end = chars_in(p + col, open - col);
        a->right_start = chars_in(p + col, (close < len ? close : len) - col) + (close > len ? close - len : 0);
        return true;
    }
    return false;
}

static bool repeat_char(StrBuf *b, char c, int n) {
    char buf[64];
    memset(buf, c, sizeof buf);
    for (; n > 0; n -= (int)sizeof buf)
        if (!sb_append(b, buf, n < (int)sizeof buf ? n : (int)sizeof buf)) return false;
    return true;
}

/* format_frame_summary: the File line, the stripped source line and, when
 * they do not cover the whole line, carets under the failing part. The
 * line is Python's linecache line: its text and a '\n'. */
static bool render_frame(StrBuf *b, const TbEntry *e) {
    const char *filename = e->source ? e->source->filename : "<unknown>";
    int base = e->source ? e->source->line_base : 0;
    if (!sb_printf(b, "  File \"%s\", line %d, in %s\n", filename, e->line + base, e->name)) return false;
    const char *p;
    int len;
    if (!e->source || filename[0] == '<' || e->line <= 0 ||
        !find_line(e->source->text, e->source->len, e->line, &p, &len))
        return true; /* linecache has no lines for <stdin>, <string> */
    int lead = 0, stop = len;
    while (lead < len && is_space(p[lead])) lead++;
    while (stop > lead && is_space(p[stop - 1])) stop--;
    if (stop == lead) return true;
    if (!sb_printf(b, "    %.*s\n", stop - lead, p + lead)) return false;
    if (e->col < 0) return true;
    int stripped_len = chars_in(p + lead, stop - lead);
    /* the original line's length counts its '\n' */
    int stripped_chars = chars_in(p, len) + 1 - stripped_len;
    int col = e->col < len + 1 ? e->col : len + 1;
    int start = chars_in(p, col < len ? col : len) + (col > len) + 1, end;
    Anchors anchors;
    bool have_anchors = false;
    if (e->end_line == e->line) {
        int ec = e->end_col < len + 1 ? e->end_col : len + 1;
        end = chars_in(p, ec < len ? ec : len) + (ec > len) + 1;
        /* the node noted with the position (not a stale one) */
        const Node *n = e->node;
        if (n && (n->line != e->line || n->col != e->col || n->end_line != e->end_line || n->end_col != e->end_col))
            n = NULL;
        have_anchors = caret_anchors(n, p, len, col, &anchors);
    } else {
        end = stripped_chars + stripped_len;
    }
    if (!(end - start < stripped_len || (have_anchors && anchors.right_start - anchors.left_end > 0))) return true;
    bool ok = sb_appends(b, "    ") && repeat_char(b, ' ', start - stripped_chars);
    if (have_anchors) {
        ok = ok && repeat_char(b, '~', anchors.left_end) &&
             repeat_char(b, '^', anchors.right_start - anchors.left_end) &&
             repeat_char(b, '~', end - start - anchors.right_start);
    } else {
        ok = ok && repeat_char(b, '^', end - start);
    }
    return ok && sb_appends(b, "\n");
}

/* ------------------------------------------------------------ the stack */

static bool repeated_line(StrBuf *b, int64_t count) {
    return sb_printf(b, "  [Previous line repeated %lld more time%s]\n", (long long)count, count > 1 ? "s" : "");
}

/* StackSummary.format: a run of frames with the same file, line and name
 * shows its first three, then how many more there were. */
bool tb_render(StrBuf *b, const Traceback *tb) {
    bool any = false;
    for (int i = 0; i < tb->n && !any; i++)
        any = !tb->items[i].source || tb_source_shown(tb->items[i].source->filename);
    if (!any) return true;
    if (!sb_appends(b, "Traceback (most recent call last):\n")) return false;
    const TbEntry *last = NULL;
    int64_t count = 0;
    for (int i = tb->n - 1; i >= 0; i--) {
        const TbEntry *e = &tb->items[i];
        if (e->source && !tb_source_shown(e->source->filename)) continue;
        if (!last || last->source != e->source || last->line != e->line || strcmp(last->name, e->name)) {
            if (count > RECURSIVE_CUTOFF && !repeated_line(b, count - RECURSIVE_CUTOFF)) return false;
            last = e;
            count = 0;
        }
        for (int64_t k = 0; k < e->repeat; k++) {
            if (++count > RECURSIVE_CUTOFF) {
                count += e->repeat - k - 1;
                break;
            }
            if (!render_frame(b, e)) return false;
        }
    }
    if (count > RECURSIVE_CUTOFF && !repeated_line(b, count - RECURSIVE_CUTOFF)) return false;
    return true;
}

/* _format_syntax_error: the line left-stripped of spaces (tabs stay, and
 * stay in the caret line for alignment), carets from the offset to the
 * end offset, at least one. */
bool tb_render_syntax(StrBuf *b, const char *src, int64_t len, const char *filename, int line_base, int line,
                      int col, int end_line, int end_col) {
    if (!sb_printf(b, "  File \"%s\", line %d\n", filename, line + line_base)) return false;
    const char *p;
    int n;
    if (!src || line <= 0 || !find_line(src, len, line, &p, &n)) return true;
    int spaces = 0;
    while (spaces < n && (p[spaces] == ' ' || p[spaces] == '\f')) spaces++;
    if (!sb_printf(b, "    %.*s\n", n - spaces, p + spaces)) return false;
    int offset = chars_in(p, col < n ? col : n) + (col > n ? col - n : 0) + 1;
    int end_offset = end_col > 0 ? chars_in(p, end_col < n ? end_col : n) + (end_col > n ? end_col - n : 0) + 1 : offset;
    (void)end_line;
    if (offset == end_offset) end_offset = offset + 1;
    int colno = offset - 1 - spaces, end_colno = end_offset - 1 - spaces;
    if (colno < 0) return true;
    bool ok = sb_appends(b, "    ");
    /* whitespace before the caret is kept (tabs align), the rest is blank */
    int c = 0;
    for (int i = spaces; i < n && c < colno && ok; i++) {
        if (((unsigned char)p[i] & 0xc0) == 0x80) continue;
        ok = sb_append(b, is_space(p[i]) ? p + i : " ", 1);
        c++;
    }
    ok = ok && repeat_char(b, ' ', colno - c) && repeat_char(b, '^', end_colno - colno);
    return ok && sb_appends(b, "\n");
}

/* ------------------------------------------------------------ the interpreter's */

const char *frame_code_name(const Frame *f) {
    if (!f) return "<module>";
    if (f->scope_name) return f->scope_name;
    if (f->class_body) return f->class_name;
    return f->fn ? f->fn->name : "<module>";
}

Traceback *tb_current(struct Interp *in) {
    if (in->tb_serial != tsr_err_serial()) {
        tb_clear(&in->tb);
        in->tb_serial = tsr_err_serial();
    }
    return &in->tb;
}

void tb_leave_frame(struct Interp *in, const char *name) {
    if (!tsr_err_occurred()) return;
    TbEntry e = {.source = in->err_source ? in->err_source : in->running, .node = in->err_node, .name = (char *)name};
    tsr_err_get_pos(&e.line, &e.col, &e.end_line, &e.end_col);
    tb_push(tb_current(in), &e);
    tsr_err_set_pos(0, 0, 0, 0);
    in->err_source = NULL;
    in->err_node = NULL;
}

void tb_resume_outer(struct Interp *in) {
    Traceback *tb = tb_current(in);
    if (!tb->n) return;
    TbEntry *e = &tb->items[tb->n - 1];
    tsr_err_set_pos(e->line, e->col, e->end_line, e->end_col);
    in->err_source = e->source;
    in->err_node = e->node;
    if (e->repeat > 1) {
        e->repeat--;
    } else {
        free(e->name);
        tb->n--;
    }
}

/* ------------------------------------------------------------ warnings' context */

bool frame_info(int level, const char **filename, int *line, const char **module) {
    struct Interp *in = tsr_interp;
    Frame *f = in->frame;
    for (int i = 0; f && i < level; i++) f = f->back;
    if (!f || !f->src) return false;
    *filename = f->src->filename;
    /* a lambda runs no statement: its line is its body's */
    const Node *at = f->stmt ? f->stmt : f->fn && f->fn->is_lambda ? f->fn->body : NULL;
    *line = (at ? at->line : 1) + f->src->line_base;
    Value *name = dict_get(frame_globals(in, f), "__name__");
    *module = name && name->kind == VK_STR ? name->str.s : "<string>";
    return true;
}

bool source_line(const char *filename, int line, const char **start, int *n) {
    struct Interp *in = tsr_interp;
    if (filename[0] == '<' || line < 1) return false; /* linecache reads only files */
    for (int i = in->n_trees - 1; i >= 0; i--) {
        const Source *s = in->sources[i];
        if (!strcmp(s->filename, filename)) return find_line(s->text, s->len, line, start, n);
    }
    return false;
}
