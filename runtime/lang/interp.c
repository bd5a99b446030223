/* interp.c: the interpreter's life cycle, its namespaces, the script and
 * console runners and error reports. */
#include <ctype.h>
#include <errno.h>
#include <stdio_ext.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autograd.h"
#include "device.h"
#include "error.h"
#include "scope.h"
#include "class.h"
#include "interp_internal.h"
#include "parser.h"
#include "teach.h"

struct Interp *tsr_interp;

/* A failed write or flush of stdout: OSError in CPython's words
 * (BrokenPipeError for a closed pipe), what was buffered dropped, as
 * CPython's BufferedWriter drops it, so the next write starts afresh. */
static bool stdout_failed(void) {
    int e = errno ? errno : EIO;
    __fpurge(stdout);
    clearerr(stdout);
    raise_os_error(e, NULL, NULL);
    return false;
}

bool tsr_write_stdout(const char *s, int64_t len) {
    errno = 0;
    if (fwrite(s, 1, (size_t)len, stdout) == (size_t)len && !ferror(stdout)) return true;
    return stdout_failed();
}

/* errno of a failed flush no program statement saw (before an error
 * report, at the end of a run): interp_final_status reports it */
static int stdout_lost;

static void flush_quietly(void) {
    errno = 0;
    if (fflush(stdout) != 0 && !stdout_lost) stdout_lost = errno ? errno : EIO;
}

int interp_final_status(int status) {
    flush_quietly();
    if (!stdout_lost) return status;
    fprintf(stderr,
            "Exception ignored in: <_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>\n"
            "%s: [Errno %d] %s\n",
            stdout_lost == EPIPE ? "BrokenPipeError" : "OSError", stdout_lost, strerror(stdout_lost));
    return 120;
}

bool tsr_flush_stdout(void) {
    errno = 0;
    if (fflush(stdout) == 0) return true;
    return stdout_failed();
}

static void source_free(Source *src) {
    if (!src) return;
    free(src->text);
    free(src->filename);
    free(src);
}

Interp *interp_new(int argc, char **argv) {
    struct Interp *in = tsr_calloc(1, sizeof *in);
    if (!in) return NULL;
    tsr_interp = in;
    in->globals = val_dict_new();
    in->prelude = val_dict_new();
    in->builtins = val_dict_new();
    in->modules = val_dict_new();
    in->depth_limit = MAX_DEPTH;
    if (!in->globals || !in->prelude || !in->builtins || !in->modules || !classes_init(in->builtins->dict)) {
        interp_free(in);
        return NULL;
    }
    in->exit_status = -1;
    in->recursion_limit = 1000;
    gc_track_grad_tensors();
    if (!(in->argv = val_list_new(argc > 0 ? argc : 1))) {
        interp_free(in);
        return NULL;
    }
    for (int i = 0; i < argc && argv; i++) {
        if (!val_list_append_steal(in->argv, val_cstr(argv[i]))) {
            interp_free(in);
            return NULL;
        }
    }
    if (argc <= 0 && !val_list_append_steal(in->argv, val_cstr(""))) {
        interp_free(in);
        return NULL;
    }
    return in;
}

/* Empties the members of root and of every module reachable from it:
 * torch's submodules written in Python hold `torch` itself (their
 * `import torch`), a cycle reference counts never free. */
static void clear_modules(Value *root) {
    enum { MAX_MODULES = 256 };
    Value *seen[MAX_MODULES];
    int n = 0, next = 0;
    seen[n++] = root;
    while (next < n) {
        Dict *d = seen[next++]->module.members;
        int64_t it = 0;
        const char *k;
        Value *v;
        while (n < MAX_MODULES && dict_next(d, &it, &k, &v)) {
            if (v->kind != VK_MODULE) continue;
            bool known = false;
            for (int i = 0; i < n && !known; i++) known = seen[i] == v;
            if (!known) seen[n++] = val_retain(v);
        }
    }
    for (int i = 0; i < n; i++) dict_clear(seen[i]->module.members);
    for (int i = 1; i < n; i++) val_release(seen[i]);
}

void interp_free(Interp *in) {
    if (!in) return;
    if (in->hooks.release_state) in->hooks.release_state();
    teach_release();
    /* globals may hold functions whose closures point at trees: release
     * values before trees. The dict itself lives through the last
     * collection: a paused generator it closes runs its finally blocks,
     * whose names are looked up there. */
    gc_drop_grad_graphs(in->globals);
    dict_clear(in->globals->dict);
    /* the console's `_` (a builtin) may hold an instance whose class
     * reaches back to the builtins */
    if (in->builtins) dict_del(in->builtins->dict, "_");
    val_release(in->exc);
    in->exc = NULL;
    /* modules' members go before the last collection too: a closure
     * defined in a module's source (a decorator's wrapper) is a cycle
     * through its frame that only the collector frees */
    if (in->torch) clear_modules(in->torch);
    if (in->modules) {
        int64_t it = 0;
        const char *k;
        Value *m;
        while (dict_next(in->modules->dict, &it, &k, &m))
            if (m->kind == VK_MODULE) dict_clear(m->module.members);
    }
    gc_shutdown();
    val_release(in->globals);
    val_release(in->prelude);
    val_release(in->builtins);
    val_release(in->torch);
    val_release(in->modules);
    val_release(in->argv);
    classes_shutdown();
    for (int i = 0; i < in->n_trees; i++) {
        ast_free(in->trees[i]);
        source_free(in->sources[i]);
    }
    free(in->trees);
    free(in->sources);
    free(in->console.data);
    tb_clear(&in->tb);
    free(in->hint);
    scope_free(in);
    if (tsr_interp == in) tsr_interp = NULL;
    free(in);
}

/* The lines before the console buffer's first (interp_number_console_stream). */
static int console_line_base(const struct Interp *in) {
    return in->console_numbers_stream ? in->console_first_line - 1 : 0;
}

/* Keeps tree and a copy of the text it was parsed from for the life of the
 * interpreter (functions point into both). Returns the source, or NULL
 * (tree freed) on OOM. */
static const Source *keep_tree(struct Interp *in, Node *tree, const char *text, int64_t len,
                               const char *filename, int line_base) {
    Source *src = tsr_calloc(1, sizeof *src);
    if (!src || !(src->text = tsr_strndup(text, (unsigned long long)len)) ||
        !(src->filename = tsr_strdup(filename)))
        goto fail;
    src->len = len;
    src->line_base = line_base;
    if (in->n_trees == in->cap_trees) {
        int cap = in->cap_trees ? in->cap_trees * 2 : 16;
        Node **t = tsr_realloc(in->trees, sizeof(Node *) * (size_t)cap);
        if (!t) goto fail;
        in->trees = t;
        Source **ss = tsr_realloc(in->sources, sizeof(Source *) * (size_t)cap);
        if (!ss) goto fail;
        in->sources = ss;
        in->cap_trees = cap;
    }
    in->trees[in->n_trees] = tree;
    in->sources[in->n_trees++] = src;
    return src;
fail:
    source_free(src);
    ast_free(tree);
    return NULL;
}

/* keep_tree for the language's other files (teach.c's explain) */
const Source *interp_keep_tree(struct Interp *in, Node *tree, const char *text, int64_t len,
                               const char *filename) {
    return keep_tree(in, tree, text, len, filename, 0);
}

/* ------------------------------------------------------------ errors */

/* The last line of an error's report, `Class: message`; a multi-line
 * message is joined into one line, as the oracle prints it. */
static bool render_final(StrBuf *b, const char *cls, const char *msg, const char *hint) {
    bool ok = true;
    char *tail = NULL;
    if (hint) { /* CPython's printer appends the hint to the message */
        size_t n = strlen(msg) + strlen(hint) + 32;
        if (!(tail = malloc(n))) return false;
        snprintf(tail, n, "%s. Did you mean: '%s'?", msg, hint);
        msg = tail;
    }
    if (msg[0] && strchr(msg, '\n')) {
        ok = sb_printf(b, "%s:", cls);
        for (const char *p = msg; *p && ok;) {
            const char *e = strchr(p, '\n');
            if (!e) e = p + strlen(p);
            const char *a = p, *z = e;
            while (a < z && (*a == ' ' || *a == '\t')) a++;
            while (z > a && (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r')) z--;
            if (z > a) ok = sb_printf(b, " %.*s", (int)(z - a), a);
            p = *e ? e + 1 : e;
        }
        ok = ok && sb_appends(b, "\n");
    } else if (msg[0]) {
        ok = sb_printf(b, "%s: %s\n", cls, msg);
    } else {
        ok = sb_printf(b, "%s\n", cls);
    }
    free(tail);
    return ok;
}

char *exc_render_report(const Traceback *tb, const char *class_name, const char *msg, const char *hint) {
    StrBuf b = {0};
    if (!tb_render(&b, tb) || !render_final(&b, class_name, msg, hint)) {
        free(b.data);
        return NULL;
    }
    return b.data;
}

/* The exceptions the current one was raised from or while handling, as
 * CPython's traceback prints them: the oldest first, each followed by the
 * sentence that links it to the next. A cycle or a chain longer than
 * MAX_CHAIN stops the walk. */
#define MAX_CHAIN 64
static void report_chain(struct Interp *in) {
    if (!in || !in->exc || in->exc_serial != tsr_err_serial()) return;
    Value *chain[MAX_CHAIN];
    bool cause[MAX_CHAIN];
    int n = 0;
    for (Value *cur = in->exc; n < MAX_CHAIN;) {
        Dict *d = cur->inst.dict->dict;
        Value *next = dict_get(d, "__cause__");
        bool by_cause = next && next->kind == VK_INSTANCE;
        if (!by_cause) {
            Value *sup = dict_get(d, "__suppress_context__");
            next = sup && sup->kind == VK_BOOL && sup->b ? NULL : dict_get(d, "__context__");
        }
        if (!next || next->kind != VK_INSTANCE || !next->inst.args) break;
        bool seen = next == in->exc;
        for (int i = 0; i < n && !seen; i++) seen = chain[i] == next;
        if (seen) break;
        chain[n] = next;
        cause[n++] = by_cause;
        cur = next;
    }
    for (int i = n - 1; i >= 0; i--) {
        Value *e = chain[i];
        if (e->inst.report) {
            fputs(e->inst.report, stderr);
        } else {
            StrBuf b = {0};
            char name[160];
            const char *cls = class_display_name(e->inst.cls, name, sizeof name);
            if (instance_str_into(&b, e)) fprintf(stderr, b.data && b.data[0] ? "%s: %s\n" : "%s\n", cls, b.data ? b.data : "");
            free(b.data);
        }
        fputs(cause[i] ? "\nThe above exception was the direct cause of the following exception:\n\n"
                       : "\nDuring handling of the above exception, another exception occurred:\n\n",
              stderr);
    }
}

/* Prints the current error, after the exceptions it is chained to: a
 * syntax error (the parser's, or one tsr finds as it runs) as CPython's
 * compiler reports it, at its position in the text given or the source
 * recorded with it; any other with its traceback, whose last entry is
 * the module's. */
static void report_error(struct Interp *in, const char *src, int64_t src_len, const char *filename) {
    flush_quietly();
    int line, col, end_line, end_col;
    tsr_err_get_pos(&line, &col, &end_line, &end_col);
    bool syntax = tsr_err_is_a(tsr_err_kind(), ERR_SyntaxError) && !(in && in->exc && in->exc_serial == tsr_err_serial());
    int line_base = in && src && src == in->console.data ? console_line_base(in) : 0;
    if (in && in->err_source) {
        src = in->err_source->text;
        src_len = in->err_source->len;
        filename = in->err_source->filename;
        line_base = in->err_source->line_base;
    }
    /* the class and message first: a user's __str__ may run in report_chain */
    char *cls = strdup(tsr_err_class_name()), *msg = strdup(tsr_err_msg());
    char *hint = in ? suggest_take(in) : NULL;
    Traceback tb = {0};
    if (in && !syntax) {
        tb_leave_frame(in, "<module>");
        tb_move(&tb, tb_current(in));
    }
    if (in) {
        in->err_source = NULL;
        in->err_node = NULL;
    }
    report_chain(in);
    StrBuf b = {0};
    bool ok = cls && msg &&
              (syntax ? tb_render_syntax(&b, src, src_len, filename, line_base, line, col, end_line, end_col) : tb_render(&b, &tb)) &&
              render_final(&b, cls, msg, hint);
    if (ok) fputs(b.data, stderr);
    else fprintf(stderr, "%s\n", cls ? cls : "MemoryError");
    free(b.data);
    tb_clear(&tb);
    free(hint);
    free(cls);
    free(msg);
    fflush(stderr);
    tsr_err_clear();
}

/* ------------------------------------------------------------ running */

/* An uncaught SystemExit ends the program as CPython's handle_system_exit
 * does: a code of None is status 0, an int that status, anything else is
 * printed to stderr and gives status 1. Clears the error. */
static int exit_status_of(struct Interp *in) {
    flush_quietly();
    Value *exc = exc_current(in);
    Value *code = exc ? get_attr(exc, "code") : NULL;
    int status = 1;
    if (code && code->kind == VK_NONE) {
        status = 0;
    } else if (code && (code->kind == VK_INT || code->kind == VK_BOOL)) {
        status = (int)(code->kind == VK_INT ? code->i : code->b);
    } else if (code) {
        Value *s = val_str_of(code);
        if (s) fprintf(stderr, "%s\n", s->str.s);
        val_release(s);
    }
    val_release(code);
    val_release(exc);
    fflush(stderr);
    tsr_err_clear();
    return status;
}

static bool is_system_exit(void) { return tsr_err_is_a(tsr_err_kind(), ERR_SystemExit); }

int interp_exit_status(Interp *in) { return in->exit_status; }

void interp_set_teach(Interp *in, bool on) { in->teach = on; }

void interp_set_inspect(Interp *in, bool on) { in->inspect = on; }

static bool run_tree(struct Interp *in, Node *tree, const Source *src, bool echo) {
    Frame frame = {.echo = echo, .src = src};
    bool prev_grad = ag_grad_enabled;
    in->depth = 0;
    in->running = src;
    in->err_source = NULL;
    in->err_node = NULL;
    Frame *prev_frame = in->frame;
    in->frame = &frame;
    ExecStatus st = exec_block(in, &frame, &tree->body);
    in->frame = prev_frame;
    gc_maybe_collect();
    val_release(frame.retval);
    val_release(frame.global_names);
    if (st == EXEC_ERROR) {
        ag_grad_enabled = prev_grad; /* a failed `with no_grad()` body restores */
        return false;
    }
    if (st == EXEC_BREAK || st == EXEC_CONTINUE) {
        tsr_raise(ERR_SyntaxError, "'%s' outside loop", st == EXEC_BREAK ? "break" : "continue");
        return false;
    }
    return true;
}

int interp_run_script(Interp *in, const char *src, size_t len, const char *filename) {
    Node *tree = NULL;
    tsr_err_clear();
    in->err_source = NULL;
    in->err_node = NULL;
    ParseStatus ps = parse_program(src, (int64_t)len, &tree);
    if (ps != PARSE_OK) {
        if (ps == PARSE_INCOMPLETE || !tsr_err_occurred())
            tsr_raise(ERR_SyntaxError, "%s", "unexpected end of input");
        report_error(in, src, (int64_t)len, filename);
        return 1;
    }
    const Source *source = keep_tree(in, tree, src, (int64_t)len, filename, 0);
    if (!source) {
        report_error(in, NULL, 0, filename);
        return 1;
    }
    bool ok = run_tree(in, tree, source, false);
    flush_quietly();
    if (!ok && is_system_exit() && !in->inspect) return in->exit_status = exit_status_of(in);
    if (!ok) {
        report_error(in, src, (int64_t)len, filename);
        return 1;
    }
    return 0;
}

bool interp_run_module(struct Interp *in, const char *name, const char *src, size_t len, Dict *globals) {
    Node *tree = NULL;
    ParseStatus ps = parse_program(src, (int64_t)len, &tree);
    if (ps != PARSE_OK) {
        if (ps == PARSE_INCOMPLETE || !tsr_err_occurred())
            tsr_raise(ERR_SyntaxError, "%s", "unexpected end of input");
        return false;
    }
    char filename[128];
    snprintf(filename, sizeof filename, "<%s>", name);
    const Source *source = keep_tree(in, tree, src, (int64_t)len, filename, 0);
    if (!source) return false;
    Value *modname = val_cstr(name);
    if (!modname || !dict_set(globals, "__name__", modname)) {
        val_release(modname);
        return false;
    }
    val_release(modname);
    /* an import runs inside the importing code: its frame, source and
     * depth come back afterwards */
    const Source *prev_running = in->running;
    Frame *prev_frame = in->frame;
    Frame frame = {.globals = globals, .back = in->frame, .src = source};
    in->running = source;
    in->frame = &frame;
    ExecStatus st = exec_block(in, &frame, &tree->body);
    if (st == EXEC_ERROR) tb_leave_frame(in, "<module>");
    in->running = prev_running;
    in->frame = prev_frame;
    val_release(frame.retval);
    val_release(frame.global_names);
    return st == EXEC_OK;
}

static bool is_blank(const char *s) {
    for (; *s; s++)
        if (!isspace((unsigned char)*s)) return false;
    return true;
}

void interp_number_console_stream(Interp *in, bool on) { in->console_numbers_stream = on; }

void interp_reset_input(Interp *in) {
    in->console.len = 0;
    if (in->console.data) in->console.data[0] = 0;
    in->console_lines = 0;
}

/* code.InteractiveConsole compiles each input inside catch_warnings
 * (codeop), which moves the filters' version: the once-per-place registry
 * starts afresh with every input, so a warning typed again shows again. */
static bool warnings_new_input(struct Interp *in) {
    Value *w = dict_get(in->modules->dict, "warnings");
    Value *fn = w && w->kind == VK_MODULE ? dict_get(module_members(w), "_filters_mutated") : NULL;
    if (!fn) return true;
    Value *r = call_function(in, fn, &(CallArgs){NULL, 0, NULL, NULL, 0});
    val_release(r);
    return r != NULL;
}

static void run_console_buffer(struct Interp *in, Node *tree) {
    const Source *source = keep_tree(in, tree, in->console.data, in->console.len, "<stdin>", console_line_base(in));
    if (!source) {
        report_error(in, NULL, 0, "<stdin>");
        return;
    }
    if (!warnings_new_input(in)) {
        report_error(in, NULL, 0, "<stdin>");
        return;
    }
    teach_before(in);
    if (!run_tree(in, tree, source, true)) {
        unsigned long serial = tsr_err_serial();
        if (is_system_exit()) in->exit_status = exit_status_of(in);
        else report_error(in, in->console.data, in->console.len, "<stdin>");
        teach_after(in, NULL);
        teach_error(in, serial);
    } else {
        teach_after(in, tree);
    }
    flush_quietly();
}

bool interp_push_line(Interp *in, const char *line) {
    tsr_err_clear();
    if (in->exit_status >= 0) return false; /* the program has ended */
    in->console_line_no++;
    if (in->console_lines == 0) in->console_first_line = in->console_line_no;
    if (in->console_lines == 0 && is_blank(line)) return false;
    if (in->console_lines && !sb_append(&in->console, "\n", 1)) goto oom;
    if (!sb_appends(&in->console, line)) goto oom;
    in->console_lines++;
    Node *tree = NULL;
    in->err_source = NULL; /* a syntax error lies in the text typed */
    in->err_node = NULL;
    ParseStatus ps = parse_console(in->console.data, in->console.len, &tree);
    if (ps == PARSE_INCOMPLETE) return true;
    if (ps == PARSE_ERROR) {
        if (!tsr_err_occurred()) tsr_raise(ERR_SyntaxError, "%s", "invalid syntax");
        report_error(in, in->console.data, in->console.len, "<stdin>");
    } else {
        run_console_buffer(in, tree);
    }
    interp_reset_input(in);
    return false;
oom:
    report_error(in, NULL, 0, "<stdin>");
    interp_reset_input(in);
    return false;
}

bool interp_block_open(Interp *in) {
    if (in->console_lines == 0 || in->exit_status >= 0) return false;
    /* the pending text with a blank line after it parses whole: only that
     * line is missing (open brackets, strings and backslashes parse on) */
    if (!sb_append(&in->console, "\n", 1)) {
        tsr_err_clear();
        return false;
    }
    Node *tree = NULL;
    ParseStatus ps = parse_console(in->console.data, in->console.len, &tree);
    in->console.data[--in->console.len] = 0;
    if (ps == PARSE_OK) ast_free(tree);
    tsr_err_clear();
    return ps == PARSE_OK;
}

void interp_flush(Interp *in) {
    if (in->console_lines == 0 || in->exit_status >= 0) return;
    /* end of input closes an open block as a blank line would */
    if (interp_push_line(in, "")) {
        Node *tree = NULL;
        tsr_err_clear();
        in->err_source = NULL;
        in->err_node = NULL;
        ParseStatus ps = parse_program(in->console.data, in->console.len, &tree);
        if (ps == PARSE_OK) {
            run_console_buffer(in, tree);
        } else {
            if (!tsr_err_occurred()) tsr_raise(ERR_SyntaxError, "%s", "unexpected EOF while parsing");
            report_error(in, in->console.data, in->console.len, "<stdin>");
        }
        interp_reset_input(in);
    }
}

bool tsr_cuda_available(void) { return device_cuda_state() == CUDA_READY; }
const char *tsr_cuda_description(void) { return device_banner(); }
