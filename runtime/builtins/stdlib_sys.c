/* stdlib_sys.c: Python's `sys` module: argv, exit, the standard streams
 * (write and flush), the version, the platform's limits and the recursion
 * limit. sys.modules is left out: the module table holding sys would make
 * a reference cycle. */
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"

/* sys.exc_info(): (type, value, traceback) of the exception an except
 * block handles now, (None, None, None) outside one; tsr has no
 * traceback objects, so the third is None */
static Value *sys_exc_info(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("exc_info", "");
    Value *h = tsr_interp->handling;
    Value *t = val_tuple_new(3);
    if (!t) return NULL;
    t->seq.items[0] = h ? val_retain(instance_class(h)) : val_none();
    t->seq.items[1] = h ? val_retain(h) : val_none();
    t->seq.items[2] = val_none();
    return t;
}

/* sys.exception() (3.11): the exception being handled, or None */
static Value *sys_exception(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("exception", "");
    return tsr_interp->handling ? val_retain(tsr_interp->handling) : val_none();
}

/* sys.exit(status=None, /) */
static Value *sys_exit(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "%s", "exit() takes no keyword arguments");
        return NULL;
    }
    if (a->nargs > 1) {
        tsr_raise(ERR_TypeError, "exit expected at most 1 argument, got %d", a->nargs);
        return NULL;
    }
    return raise_system_exit(a->nargs && a->args[0]->kind != VK_NONE ? a->args[0] : NULL);
}

static Value *sys_getrecursionlimit(Value *self, const CallArgs *a) {
    return args_none("sys.getrecursionlimit", a) ? val_int(tsr_interp->recursion_limit) : NULL;
}

static Value *sys_setrecursionlimit(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("setrecursionlimit", "limit");
    int64_t n;
    if (v_[0]->kind == VK_FLOAT) {
        tsr_raise(ERR_TypeError, "%s", "'float' object cannot be interpreted as an integer");
        return NULL;
    }
    if (!val_as_int(v_[0], &n)) return NULL;
    if (n < 1) {
        tsr_raise(ERR_ValueError, "%s", "recursion limit must be greater or equal than 1");
        return NULL;
    }
    if (n <= tsr_interp->depth + 1 || n > INT32_MAX) {
        if (n > INT32_MAX) tsr_raise(ERR_OverflowError, "%s", "Python int too large to convert to C int");
        else
            tsr_raise(ERR_RecursionError,
                      "cannot set the recursion limit to %d at the recursion depth %d: the limit is too low",
                      (int)n, tsr_interp->depth + 1);
        return NULL;
    }
    tsr_interp->recursion_limit = (int)n;
    return val_none();
}

/* ---- sys.stdout and sys.stderr: objects of class _io.TextIOWrapper */

static bool is_stderr(Value *self) {
    Value *name = self->kind == VK_INSTANCE ? dict_get(self->inst.dict->dict, "name") : NULL;
    return name && name->kind == VK_STR && !strcmp(name->str.s, "<stderr>");
}

static Value *stream_write(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("write", "s");
    Value *s = v_[0];
    if (s->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "write() argument must be str, not %s", val_type_name(s));
        return NULL;
    }
    if (is_stderr(self)) {
        fflush(stdout); /* what was printed before comes first */
        fwrite(s->str.s, 1, (size_t)s->str.len, stderr);
    } else if (!tsr_write_stdout(s->str.s, s->str.len)) {
        return NULL;
    }
    return val_int(utf8_len(s->str.s, s->str.len));
}

static Value *stream_flush(Value *self, const CallArgs *a) {
    if (!args_none("TextIOWrapper.flush", a)) return NULL;
    if (is_stderr(self)) fflush(stderr);
    else if (!tsr_flush_stdout()) return NULL;
    return val_none();
}

static Value *stream_isatty(Value *self, const CallArgs *a) {
    if (!args_none("TextIOWrapper.isatty", a)) return NULL;
    return val_bool(false); /* output is compared byte for byte: never a terminal */
}

static const Builtin stream_methods[] = {
    {"write", stream_write},
    {"flush", stream_flush},
    {"isatty", stream_isatty},
    {NULL, NULL},
};

/* An instance of cls with the attributes names[i] = values[i] (stolen). */
static Value *instance_with(Value *cls, const char *const *names, Value **values, int n) {
    CallArgs none = {0};
    Value *obj = cls ? class_call(cls, &none) : NULL;
    bool ok = obj != NULL;
    for (int i = 0; i < n; i++) {
        ok = ok && values[i] && dict_set(obj->inst.dict->dict, names[i], values[i]);
        val_release(values[i]);
    }
    if (!ok) {
        val_release(obj);
        return NULL;
    }
    return obj;
}

static Value *class_with(const char *name, const char *module, const Builtin *methods) {
    Value *dict = val_dict_new();
    for (const Builtin *b = methods; dict && b && b->name; b++) {
        Value *f = val_builtin(b);
        if (!f || !dict_set(dict->dict, b->name, f)) {
            val_release(f);
            val_release(dict);
            return NULL;
        }
        val_release(f);
    }
    Value *cls = dict ? class_new(name, module, class_object, dict) : NULL;
    val_release(dict);
    return cls;
}

static Value *stream_new(Value *cls, const char *name) {
    static const char *const names[] = {"name", "mode", "encoding"};
    Value *values[] = {val_cstr(name), val_cstr("w"), val_cstr("utf-8")};
    return instance_with(cls, names, values, 3);
}

static Value *float_info_new(void) {
    static const char *const names[] = {"max", "max_exp", "max_10_exp", "min", "min_exp",
                                        "min_10_exp", "dig", "mant_dig", "epsilon", "radix", "rounds"};
    Value *values[] = {val_float(DBL_MAX), val_int(DBL_MAX_EXP), val_int(DBL_MAX_10_EXP),
                       val_float(DBL_MIN), val_int(DBL_MIN_EXP), val_int(DBL_MIN_10_EXP),
                       val_int(DBL_DIG), val_int(DBL_MANT_DIG), val_float(DBL_EPSILON),
                       val_int(FLT_RADIX), val_int(1)};
    Value *cls = class_with("float_info", "sys", NULL);
    Value *info = instance_with(cls, names, values, 11);
    val_release(cls);
    return info;
}

/* (3, 11, 0, 'final', 0) */
static Value *version_info_new(void) {
    Value *t = val_tuple_new(5);
    if (!t) return NULL;
    Value *items[] = {val_int(3), val_int(11), val_int(0), val_cstr("final"), val_int(0)};
    bool ok = true;
    for (int i = 0; i < 5; i++) {
        ok = ok && items[i];
        t->seq.items[i] = items[i];
    }
    if (!ok) {
        val_release(t);
        return NULL;
    }
    return t;
}

static const Builtin sys_functions[] = {
    {"exit", sys_exit},
    {"exc_info", sys_exc_info},
    {"exception", sys_exception},
    {"getrecursionlimit", sys_getrecursionlimit},
    {"setrecursionlimit", sys_setrecursionlimit},
    {NULL, NULL},
};

static bool set_steal(Value *module, const char *name, Value *v) {
    bool ok = v && dict_set(module->module.members, name, v);
    val_release(v);
    return ok;
}

bool stdlib_sys_open(Value *module) {
    if (!module_install(module, sys_functions)) return false;
    Value *stream_cls = class_with("TextIOWrapper", "_io", stream_methods);
    bool ok = stream_cls && set_steal(module, "stdout", stream_new(stream_cls, "<stdout>")) &&
              set_steal(module, "stderr", stream_new(stream_cls, "<stderr>"));
    val_release(stream_cls);
    Value *path = ok ? val_list_new(1) : NULL;
    if (!path || !val_list_append_steal(path, val_cstr(""))) {
        val_release(path);
        return false;
    }
    return set_steal(module, "path", path) &&
           dict_set(module->module.members, "argv", tsr_interp->argv) &&
           set_steal(module, "version", val_cstr("3.11.0 (tsr " TSR_VERSION ")")) &&
           set_steal(module, "version_info", version_info_new()) &&
           set_steal(module, "platform", val_cstr("linux")) &&
           set_steal(module, "byteorder", val_cstr("little")) &&
           set_steal(module, "maxsize", val_int(INT64_MAX)) &&
           set_steal(module, "float_info", float_info_new());
}
