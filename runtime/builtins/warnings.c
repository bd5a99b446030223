/* warnings.c: what the warnings module (stdlib/warnings.py, CPython's
 * Lib/warnings.py in Python) needs of the interpreter, and the C side's
 * way to warn (PyTorch's TORCH_WARN reaching PyErr_WarnEx):
 *   tsr._warning_frame(level)  -> (filename, lineno, module) of the frame
 *                                 `level` calls above the caller, or None
 *   tsr._source_line(filename, lineno) -> the line's text, or None
 *   tsr_warn(kind, msg)        -> warnings.warn(msg, kind), from C */
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"
#include "traceback.h"

static Value *warning_frame(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("_warning_frame", "level");
    if (v_[0]->kind != VK_INT) {
        tsr_raise(ERR_TypeError, "%s", "an integer is required");
        return NULL;
    }
    const char *filename, *module;
    int line;
    if (v_[0]->i < 0 || v_[0]->i > 1 << 30 || !frame_info((int)v_[0]->i, &filename, &line, &module))
        return val_none();
    Value *t = val_tuple_new(3);
    if (!t) return NULL;
    t->seq.items[0] = val_cstr(filename);
    t->seq.items[1] = val_int(line);
    t->seq.items[2] = val_cstr(module);
    for (int i = 0; i < 3; i++)
        if (!t->seq.items[i]) return val_release(t), NULL;
    return t;
}

static Value *source_line_of(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("_source_line", "filename, lineno");
    if (v_[0]->kind != VK_STR || v_[1]->kind != VK_INT) return val_none();
    const char *start;
    int n;
    if (v_[1]->i > 1 << 30 || !source_line(v_[0]->str.s, (int)v_[1]->i, &start, &n)) return val_none();
    return val_str(start, n);
}

const Builtin tsr_warnings_functions[] = {
    {"_warning_frame", warning_frame},
    {"_source_line", source_line_of},
    {NULL, NULL},
};

static bool warn_at(ErrKind kind, const char *msg, int64_t stacklevel) {
    Value *m = stdlib_import("warnings");
    if (!m) return false;
    Value *warn = dict_get(module_members(m), "warn");
    Value *args[3] = {val_cstr(msg), class_of_error(kind), val_int(stacklevel)};
    Value *r = NULL;
    if (warn && args[0] && args[2]) r = call_function(tsr_interp, warn, &(CallArgs){args, 3, NULL, NULL, 0});
    val_release(args[0]);
    val_release(args[2]);
    val_release(m);
    if (!r) return false;
    val_release(r);
    return true;
}

bool tsr_warn(ErrKind kind, const char *msg) { return warn_at(kind, msg, 1); }

/* whether the frame `level` calls up runs the package pkg's own Python */
static bool frame_in_package(int level, const char *pkg) {
    const char *filename, *module;
    int line;
    size_t n = strlen(pkg);
    return frame_info(level, &filename, &line, &module) && !strncmp(module, pkg, n) &&
           (module[n] == 0 || module[n] == '.');
}

bool tsr_warn_from(ErrKind kind, const char *msg, const char *pkg) {
    int level = 0;
    while (frame_in_package(level, pkg)) level++;
    return warn_at(kind, msg, level + 1);
}

bool tsr_warn_caller(ErrKind kind, const char *msg) { return tsr_warn_from(kind, msg, "torch"); }

bool tsr_warn_unless_from(ErrKind kind, const char *msg, const char *pkg) {
    return frame_in_package(0, pkg) || warn_at(kind, msg, 1);
}

bool tsr_warn_explicit(ErrKind kind, const char *msg, const char *filename, int lineno, const char *module,
                       const char *line) {
    Value *m = stdlib_import("warnings");
    if (!m) return false;
    Value *warn = dict_get(module_members(m), "_torch_warn");
    Value *args[6] = {val_cstr(msg), val_cstr(filename), val_int(lineno), val_cstr(module), val_cstr(line),
                      class_of_error(kind)};
    Value *r = NULL;
    if (warn && args[0] && args[1] && args[2] && args[3] && args[4])
        r = call_function(tsr_interp, warn, &(CallArgs){args, 6, NULL, NULL, 0});
    for (int i = 0; i < 5; i++) val_release(args[i]);
    val_release(m);
    if (!r) return false;
    val_release(r);
    return true;
}
